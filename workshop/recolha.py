"""Recolher, corrigir e devolver os exercícios de uma aula da turma.

- ``collect``: copia o caderno de exercícios da aula de cada participante (lido COMO o
  participante: um link simbólico plantado não faz o root ler o arquivo de outro) para
  ``ESTADO/recolha/NN_tema/envios/<participante>.ipynb``, com a data de modificação
  original; ``ESTADO/recolha`` é 0700 (nenhum participante alcança). Quem não tem o
  caderno, ou nunca o mudou, fica listado em ``recolha.csv`` e não vai para a correção.
- ``grade``: roda o ``coursekit-grade`` (caixa de areia, testes ocultos do instrutor) sobre
  os envios, uma aula por chamada, com feedback em Markdown.
- ``give_back``: grava ``~/devolutivas/NN_tema.md`` (português, por exercício) na pasta de
  cada participante, escrito pelo próprio participante (dono dele), sem tocar no caderno.
"""

from __future__ import annotations

import csv
import datetime as dt
import grp
import json
import os
import pwd
import re
import subprocess
import sys
from pathlib import Path

TARGET_DIR = "curso"
FEEDBACK_DIR = "devolutivas"
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


class CollectError(Exception):
    """Problema ao recolher/corrigir/devolver, com mensagem em português para o instrutor."""


# --------------------------------------------------------------------------- aula


def lecture_exercise(repo: Path, lecture: str) -> Path:
    """O caderno de exercícios da aula (``exercises/NN_*.ipynb`` do instrutor) a partir de "NN" ou "NN_tema"."""
    match = re.fullmatch(r"(\d\d)(_\w+)?", str(lecture))
    if not match:
        raise CollectError(f"AULA deve ser o número da aula com dois dígitos (ex.: 01); recebi {lecture!r}")
    found = sorted((Path(repo) / "exercises").glob(f"{match.group(1)}_*.ipynb"))
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "nenhum"
        raise CollectError(f"esperava um caderno exercises/{match.group(1)}_*.ipynb; encontrei: {names}")
    return found[0]


def lecture_name(repo: Path, lecture: str) -> str:
    """Nome da aula para a correção (``NN_tema`` de ``tests/grading/test_NN_tema.py``)."""
    number = lecture_exercise(repo, lecture).name[:2]
    found = sorted((Path(repo) / "tests" / "grading").glob(f"test_{number}_*.py"))
    if len(found) != 1:
        raise CollectError(
            f"esperava um arquivo tests/grading/test_{number}_*.py no repositório do instrutor"
        )
    return found[0].stem[len("test_") :]


def code_sources(raw: bytes) -> list[str] | None:
    try:
        cells = json.loads(raw)["cells"]
        return ["".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"]
    except (ValueError, KeyError, TypeError):
        return None


# --------------------------------------------------------------------------- participantes


def participants(group: str) -> list[pwd.struct_passwd]:
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise CollectError(f"o grupo {group!r} dos participantes não existe nesta máquina") from None
    return sorted((p for p in pwd.getpwall() if p.pw_gid == gid), key=lambda p: p.pw_name)


def _as(entry: pwd.struct_passwd):
    def become():
        os.setgroups([])
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)
        os.umask(0o077)

    return become


def run_as(entry, cmd, **kwargs) -> subprocess.CompletedProcess:
    """Roda ``cmd`` como o participante (nunca como root), em ``/``, com ambiente mínimo."""
    env = {"PATH": "/usr/bin:/bin", "HOME": entry.pw_dir, "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        cmd, preexec_fn=_as(entry), cwd="/", env=env, capture_output=True, timeout=60, **kwargs
    )


def read_as(entry, path: Path) -> tuple[bytes, float] | None:
    """(conteúdo, mtime) de ``path`` lido pelo próprio participante, ou None se não houver."""
    stat = run_as(entry, ["stat", "-L", "--format=%Y", "--", str(path)], text=True)
    if stat.returncode != 0:
        return None
    data = run_as(entry, ["head", "-c", str(MAX_NOTEBOOK_BYTES + 1), "--", str(path)])
    if data.returncode != 0:
        return None
    return data.stdout, float(stat.stdout.strip())


# --------------------------------------------------------------------------- recolher


def collection_dir(state: Path, name: str) -> Path:
    root = Path(state) / "recolha"
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o700)  # fora do alcance dos participantes
    return root / name


def collect(state: Path, group: str, repo: Path, lecture: str) -> dict:
    """Recolhe a aula ``lecture`` de todo o grupo. Devolve {"pasta", "recolhidos", "sem_envio"}."""
    exercise = lecture_exercise(repo, lecture)
    name = lecture_name(repo, lecture)
    original = code_sources(exercise.read_bytes())
    folder = collection_dir(state, name)
    inbox = folder / "envios"
    inbox.mkdir(parents=True, exist_ok=True)
    for old in inbox.glob("*.ipynb"):
        old.unlink()
    rows, collected, missing = [], [], []
    for entry in participants(group):
        path = Path(entry.pw_dir) / TARGET_DIR / "exercises" / exercise.name
        got = read_as(entry, path)
        if got is None:
            status, when = "sem_arquivo", ""
        elif len(got[0]) > MAX_NOTEBOOK_BYTES:
            status, when = "grande_demais", ""
        else:
            raw, mtime = got
            when = dt.datetime.fromtimestamp(mtime, dt.timezone.utc).isoformat(timespec="seconds")
            if code_sources(raw) == original:
                status = "sem_alteracao"
            else:
                status = "recolhido"
                target = inbox / f"{entry.pw_name}.ipynb"
                target.write_bytes(raw)
                os.utime(target, (mtime, mtime))
        rows.append({"participante": entry.pw_name, "situacao": status, "modificado_em": when})
        (collected if status == "recolhido" else missing).append(entry.pw_name)
    with open(folder / "recolha.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["participante", "situacao", "modificado_em"])
        writer.writeheader()
        writer.writerows(rows)
    return {"pasta": folder, "aula": name, "recolhidos": collected, "sem_envio": missing, "linhas": rows}


def grade(folder: Path, repo: Path, lecture: str, jobs: int = 1) -> subprocess.CompletedProcess:
    """``coursekit-grade`` sobre ``folder/envios`` → ``folder/correcao`` (testes completos do instrutor)."""
    name = lecture_name(repo, lecture)
    out = Path(folder) / "correcao"
    cmd = [
        sys.executable,
        "-c",
        "import sys; from coursekit.grading.cli import main; sys.exit(main())",
        str(Path(folder) / "envios"),
        "--out",
        str(out),
        "--lecture",
        name,
        "--tests",
        str(Path(repo) / "tests" / "grading"),
        "--feedback",
        "md",
        "--jobs",
        str(jobs),
        "--restart",
    ]
    if os.geteuid() == 0:
        cmd += ["--user", "nobody"]  # só vale se não houver bwrap; com bwrap cada caixa tem seu uid
    return subprocess.run(cmd, cwd=folder, capture_output=True, text=True)


# --------------------------------------------------------------------------- devolver


def _exercise_of(test_name: str) -> str:
    return test_name.split(":", 1)[0].strip() if ":" in test_name else "geral"


def _num(x) -> str:
    return f"{x:g}".replace(".", ",")


def feedback_markdown(result: dict, lecture: str, participant: str) -> str:
    """Devolutiva em português, um bloco por exercício (nota, e o que falhou com a dica)."""
    by_exercise: dict[str, list[dict]] = {}
    for test in result.get("tests", []):
        by_exercise.setdefault(_exercise_of(test.get("name", "")), []).append(test)
    lines = [
        f"# Devolutiva — aula {lecture}",
        "",
        f"Participante: **{participant}**. Nota: **{_num(result.get('score', 0))} de "
        f"{_num(result.get('max_score', 0))}**.",
        "",
        "O seu caderno não foi alterado; esta é só a correção (testes públicos e ocultos).",
        "",
    ]
    if not by_exercise:
        lines += ["Não foi possível corrigir o envio:", "", str(result.get("output", "")).strip(), ""]
    for exercise, tests in by_exercise.items():
        score = sum(t.get("score", 0) for t in tests)
        top = sum(t.get("max_score", 0) for t in tests)
        passed = sum(t.get("score", 0) >= t.get("max_score", 0) for t in tests)
        mark = "✔" if score >= top else "✘"
        lines += [
            f"## {mark} `{exercise}` — {_num(score)} de {_num(top)}",
            "",
            f"{passed} de {len(tests)} teste(s) passaram.",
            "",
        ]
        for test in tests:
            if test.get("score", 0) >= test.get("max_score", 0):
                continue
            test_name = test.get("name", "").split(":", 1)[-1].strip()
            lines += [f"- **{test_name}** falhou:", "", str(test.get("output", "")).strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def give_back(state: Path, group: str, repo: Path, lecture: str) -> dict:
    """Grava a devolutiva de cada participante corrigido; devolve {"devolvidos", "sem_correcao"}."""
    name = lecture_name(repo, lecture)
    correction = collection_dir(state, name) / "correcao"
    given, without = [], []
    for entry in participants(group):
        result_file = correction / f"{entry.pw_name}.json"
        if not result_file.is_file():
            without.append(entry.pw_name)
            continue
        text = feedback_markdown(json.loads(result_file.read_text()), name, entry.pw_name)
        folder = Path(entry.pw_dir) / FEEDBACK_DIR
        script = 'mkdir -p -- "$1" && cat > "$1/$2.tmp" && mv -f -- "$1/$2.tmp" "$1/$2"'
        done = run_as(entry, ["/bin/sh", "-c", script, "sh", str(folder), f"{name}.md"], input=text.encode())
        if done.returncode != 0:
            raise CollectError(
                f"não consegui gravar a devolutiva de {entry.pw_name} em {folder}: "
                f"{done.stderr.decode(errors='replace').strip()}"
            )
        given.append(entry.pw_name)
    return {"devolvidos": given, "sem_correcao": without}
