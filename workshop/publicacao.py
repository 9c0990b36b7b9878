"""A versão dos participantes (release): o curso sem soluções e sem testes ocultos.

``publish`` grava, num ramo git do repositório do instrutor (padrão ``oficina``), um commit
com só o que o participante usa: as aulas (``notebooks/``), os exercícios (``exercises/``)
e os testes PÚBLICOS de ``tests/grading/test_NN_*.py`` (o que ``check()`` roda no kernel do
participante). Ficam de fora ``solutions/``, os testes ocultos (``hidden=True``), o
``conftest.py`` da correção e todo o resto do repositório. O link do nbgitpuller aponta
para esse ramo; a correção continua lendo os testes completos do lado do instrutor.

Cada publicação é filha da anterior (o ramo só avança), então o nbgitpuller dos
participantes junta a nova versão com o que eles já escreveram.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import tempfile
from pathlib import Path

RELEASE_BRANCH = "oficina"
PUBLIC_FOLDERS = ("notebooks/", "exercises/")
TEST_RE = re.compile(r"^tests/grading/test_\d\d_[A-Za-z0-9_]+\.py$")
README_NAME = "LEIAME.md"
README_TEXT = """# Curso — versão dos participantes da oficina

- `notebooks/`: as aulas.
- `exercises/`: os exercícios; `check("nome_da_funcao")` roda os testes públicos.
- `tests/grading/`: só os testes públicos que o `check()` usa.

As soluções e os testes ocultos da correção ficam com o instrutor.
Versão publicada a partir do commit {commit}.
"""


class PublishError(Exception):
    """Problema ao publicar, com mensagem em português para o instrutor."""


def _is_hidden_test(node: ast.AST) -> bool:
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    for deco in node.decorator_list:
        if isinstance(deco, ast.Call) and getattr(deco.func, "attr", None) == "exercise":
            for kw in deco.keywords:
                if kw.arg == "hidden" and isinstance(kw.value, ast.Constant) and kw.value.value:
                    return True
    return False


def strip_hidden_tests(source: str) -> str:
    """O arquivo de testes sem as funções marcadas ``hidden=True`` (comentários e o resto intactos)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    drop: set[int] = set()
    for node in tree.body:
        if _is_hidden_test(node):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            drop.update(range(first - 1, node.end_lineno))
    kept = "".join(line for i, line in enumerate(lines) if i not in drop)
    kept = re.sub(r"\n{4,}", "\n\n\n", kept)
    ast.parse(kept)  # continua Python válido
    return kept


def _git(repo: Path, *args: str, env=None, input: bytes | None = None) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=env, input=input)
    if done.returncode != 0:
        raise PublishError(
            f"`git {' '.join(args)}` falhou em {repo}:\n{done.stderr.decode(errors='replace')}"
        )
    return done.stdout.decode()


def release_files(repo: Path, commit: str) -> list[tuple[str, str, str]]:
    """(modo, blob, caminho) de cada arquivo da versão dos participantes, a partir de ``commit``."""
    listing = _git(repo, "ls-tree", "-r", "-z", commit).split("\0")
    files = []
    for entry in filter(None, listing):
        meta, path = entry.split("\t", 1)
        mode, kind, blob = meta.split()
        if kind != "blob":
            continue
        if path.startswith(PUBLIC_FOLDERS):
            files.append((mode, blob, path))
        elif TEST_RE.match(path):
            source = _git(repo, "cat-file", "blob", blob)
            public = strip_hidden_tests(source)
            new_blob = _git(repo, "hash-object", "-w", "--stdin", input=public.encode()).strip()
            files.append((mode, new_blob, path))
    if not any(p.startswith("exercises/") for _, _, p in files):
        raise PublishError(f"o commit {commit} não tem a pasta exercises/: é o repositório do curso?")
    return files


def publish(repo: Path, branch: str = RELEASE_BRANCH, source: str = "HEAD") -> tuple[str, int]:
    """Grava a versão dos participantes no ramo ``branch``; devolve (commit, número de arquivos).

    Se nada mudou desde a última publicação, o ramo fica como está.
    """
    repo = Path(repo)
    commit = _git(repo, "rev-parse", "--verify", f"{source}^{{commit}}").strip()
    files = release_files(repo, commit)
    readme = README_TEXT.format(commit=commit[:12])
    readme_blob = _git(repo, "hash-object", "-w", "--stdin", input=readme.encode()).strip()
    files.append(("100644", readme_blob, README_NAME))
    with tempfile.TemporaryDirectory(prefix="oficina-publicar-") as tmp:
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(tmp) / "index"))
        info = "".join(f"{mode} {blob}\t{path}\n" for mode, blob, path in files)
        _git(repo, "update-index", "--add", "--index-info", env=env, input=info.encode())
        tree = _git(repo, "write-tree", env=env).strip()
    ref = f"refs/heads/{branch}"
    parent = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "-q", ref], capture_output=True, text=True
    ).stdout.strip()
    if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}").strip() == tree:
        return parent, len(files)
    ident = {
        "GIT_AUTHOR_NAME": "oficina",
        "GIT_AUTHOR_EMAIL": "oficina@localhost",
        "GIT_COMMITTER_NAME": "oficina",
        "GIT_COMMITTER_EMAIL": "oficina@localhost",
    }
    env = dict(os.environ, **ident)
    args = ["commit-tree", tree, "-m", f"Versão dos participantes (a partir de {commit[:12]})"]
    if parent:
        args += ["-p", parent]
    new = _git(repo, *args, env=env).strip()
    _git(repo, "update-ref", ref, new, *([parent] if parent else []))
    return new, len(files)
