"""A versão dos participantes, recolher, corrigir, relatório da turma e devolver — sem hub.

Os participantes são usuários do sistema de verdade (como os que o hub cria), com o
curso na pasta pessoal vindo do ramo publicado. Precisa de root; fora do CI, sem root,
é pulado com a explicação; no CI (CI=true) falha.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _hub  # noqa: E402
import publicacao  # noqa: E402

from coursekit.grading.testsuite import collect, load_module  # noqa: E402

pytestmark = pytest.mark.workshop

REPO = _hub.REPO
LECTURE = "01"


def _require_root():
    if os.geteuid() == 0 and shutil.which("useradd"):
        return
    msg = "precisa de root e do useradd (cria um usuário do sistema por participante)"
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail("CI=true exige este teste da oficina: " + msg, pytrace=False)
    pytest.skip(msg)


def _hidden_and_public(path: Path) -> tuple[set[str], set[str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        items = collect(load_module(path))
    return {i.name for i in items if i.hidden}, {i.name for i in items if not i.hidden}


def test_strip_hidden_tests_keeps_exactly_the_public_ones(tmp_path):
    """Em cada aula, o arquivo publicado coleta os mesmos testes públicos e nenhum oculto."""
    for original in sorted((REPO / "tests" / "grading").glob("test_[0-9][0-9]_*.py")):
        hidden, public = _hidden_and_public(original)
        stripped = tmp_path / original.name
        stripped.write_text(publicacao.strip_hidden_tests(original.read_text()))
        hidden_after, public_after = _hidden_and_public(stripped)
        assert not hidden_after, f"{original.name}: sobraram testes ocultos {sorted(hidden_after)}"
        assert public_after == public, f"{original.name}: os testes públicos mudaram"
        if hidden:  # o nome de nenhuma função oculta sobra no arquivo
            names = {n.split("[")[0] for n in hidden}
            defined = {n.name for n in ast.parse(stripped.read_text()).body if hasattr(n, "name")}
            assert not names & defined, f"{original.name}: {sorted(names & defined)}"


def _run_kit(*args):
    return subprocess.run(
        [sys.executable, str(_hub.KIT / "oficina.py"), *args], capture_output=True, text=True, timeout=300
    )


def _notebook_with(source: Path, extra_code: str | None = None) -> bytes:
    nb = json.loads(source.read_text())
    if extra_code:
        nb["cells"].append(
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": extra_code,
            }
        )
    return json.dumps(nb, ensure_ascii=False, indent=1).encode()


@contextlib.contextmanager
def _participants(group: str, homes: Path, names: list[str]):
    subprocess.run(["groupadd", "--system", group], check=True, capture_output=True)
    try:
        for name in names:
            subprocess.run(
                [
                    "useradd",
                    "--gid",
                    group,
                    "--home-dir",
                    str(homes / name),
                    "--create-home",
                    "--shell",
                    "/bin/bash",
                    name,
                ],
                check=True,
                capture_output=True,
            )
            os.chmod(homes / name, 0o700)
        yield {name: pwd.getpwnam(name) for name in names}
    finally:
        for name in names:
            subprocess.run(["userdel", name], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)


def test_release_collect_grade_report_and_give_back():
    _require_root()
    _hub.remove_stale_test_accounts()
    tmp_path = _hub.workdir()  # 0755 em /tmp: os participantes atravessam até a própria pasta
    try:
        _class_round_trip(tmp_path)
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


def _class_round_trip(tmp_path: Path):
    instructor = tmp_path / "instrutor"
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(REPO), str(instructor)], check=True)
    done = _run_kit("publicar", f"--repositorio={instructor}")
    assert done.returncode == 0, done.stderr
    # o instrutor corrige com os testes completos: a árvore de trabalho do seu repositório
    subprocess.run(
        ["git", "-C", str(instructor), "checkout", "-q", "HEAD", "--", "exercises", "tests"], check=True
    )
    state = tmp_path / "estado"
    homes = state / "participantes"
    homes.mkdir(parents=True)
    os.chmod(state, 0o711)
    group = _hub.test_group_name()
    suffix = secrets.token_hex(2)
    ana, bruno, carla, davi = (f"{n}{suffix}" for n in ("ana", "bruno", "carla", "davi"))
    with _participants(group, homes, [ana, bruno, carla, davi]) as users:
        for entry in users.values():  # o que o nbgitpuller traria do ramo publicado
            home = Path(entry.pw_dir)
            subprocess.run(
                ["git", "clone", "-q", "--branch", "oficina", str(instructor), str(home / "curso")],
                check=True,
            )
            shutil.rmtree(home / "curso" / ".git")
            subprocess.run(["chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", str(home)], check=True)
        # --- a pasta de um participante não tem solução nem teste oculto
        home = Path(users[ana].pw_dir)
        files = [p for p in home.rglob("*") if p.is_file()]
        assert not any("solutions" in p.parts for p in files), "a versão dos participantes trouxe solutions/"
        hidden_names = set()
        for original in (instructor / "tests" / "grading").glob("test_[0-9][0-9]_*.py"):
            hidden_names |= {n.split("[")[0] for n in _hidden_and_public(original)[0]}
        assert len(hidden_names) > 20
        text = "\n".join(p.read_text(errors="replace") for p in files)
        assert "hidden=True" not in text
        assert not [n for n in hidden_names if f"def {n}(" in text]
        assert not (home / "curso" / "tests" / "grading" / "conftest.py").exists()
        (exercise,) = (home / "curso" / "exercises").glob(f"{LECTURE}_*.ipynb")
        (solution,) = (REPO / "solutions").glob(f"{LECTURE}_*.ipynb")
        # --- ana resolve, bruno erra o pearson, carla nem abre, davi planta um link para /etc/shadow
        wrong = "def pearson(x, y):\n    return 0.5\n"
        for name, content in ((ana, _notebook_with(solution)), (bruno, _notebook_with(solution, wrong))):
            target = Path(users[name].pw_dir) / "curso" / "exercises" / exercise.name
            target.write_bytes(content)
            os.utime(target, (1_700_000_000, 1_700_000_000))
        davi_nb = Path(users[davi].pw_dir) / "curso" / "exercises" / exercise.name
        davi_nb.unlink()
        davi_nb.symlink_to("/etc/shadow")
        bruno_nb = Path(users[bruno].pw_dir) / "curso" / "exercises" / exercise.name
        before = (bruno_nb.read_bytes(), bruno_nb.stat().st_mtime)

        common = [f"--estado={state}", f"--grupo={group}", f"--repositorio={instructor}"]
        done = _run_kit("recolher", LECTURE, *common)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"{carla}: não mudou o caderno" in done.stdout, done.stdout
        assert f"{davi}: não tem o caderno" in done.stdout, done.stdout
        (tests_file,) = (instructor / "tests" / "grading").glob(f"test_{LECTURE}_*.py")
        lecture = tests_file.stem[len("test_") :]
        folder = state / "recolha" / lecture
        assert (state / "recolha").stat().st_mode & 0o777 == 0o700
        assert sorted(p.name for p in (folder / "envios").iterdir()) == [f"{ana}.ipynb", f"{bruno}.ipynb"]
        assert (folder / "envios" / f"{ana}.ipynb").stat().st_mtime == 1_700_000_000
        rows = {r["participante"]: r for r in csv.DictReader(open(folder / "recolha.csv", encoding="utf-8"))}
        assert rows[ana]["modificado_em"] == "2023-11-14T22:13:20+00:00"
        assert (rows[carla]["situacao"], rows[davi]["situacao"]) == ("sem_alteracao", "sem_arquivo")
        grades = {r["submission"]: r for r in csv.DictReader(open(folder / "correcao" / "notas.csv"))}
        assert set(grades) == {ana, bruno}
        assert grades[ana]["score"] == grades[ana]["max_score"] and float(grades[ana]["score"]) > 0
        assert grades[bruno]["pearson"] == "0" and float(grades[bruno]["score"]) < float(grades[ana]["score"])
        assert grades[bruno]["covariance"] == grades[ana]["covariance"]
        # --- relatório da turma
        tests = list(csv.DictReader(open(folder / "relatorio_testes.csv", encoding="utf-8")))
        pearson = [t for t in tests if t["exercicio"] == "pearson"]
        assert pearson and all((t["passaram"], t["total"]) == ("1", "2") for t in pearson)
        assert all(t["passaram"] == "2" for t in tests if t["exercicio"] == "covariance")
        report = (folder / "relatorio.md").read_text()
        assert f"{carla}" in report and "| `pearson` |" in report
        assert "- `pearson`:\n  - 1 envio(s):" in report
        pairs = list(csv.DictReader(open(folder / "relatorio_similaridade.csv", encoding="utf-8")))
        assert [(p["participante_a"], p["participante_b"]) for p in pairs] == [(ana, bruno)]
        assert float(pairs[0]["similaridade"]) > 0.9
        assert (folder / "relatorio.png").read_bytes()[:4] == b"\x89PNG"
        # --- devolver: na pasta de cada um, dono dele, caderno intacto
        done = _run_kit("devolver", LECTURE, *common)
        assert done.returncode == 0, done.stdout + done.stderr
        for name in (ana, bruno):
            feedback = Path(users[name].pw_dir) / "devolutivas" / f"{lecture}.md"
            assert feedback.stat().st_uid == users[name].pw_uid
            assert feedback.parent.stat().st_uid == users[name].pw_uid
        ana_text = (Path(users[ana].pw_dir) / "devolutivas" / f"{lecture}.md").read_text()
        bruno_text = (Path(users[bruno].pw_dir) / "devolutivas" / f"{lecture}.md").read_text()
        top = grades[ana]["max_score"]
        assert f"Nota: **{top} de {top}**" in ana_text and "✘" not in ana_text
        assert "## ✘ `pearson`" in bruno_text and "## ✔ `covariance`" in bruno_text
        assert (bruno_nb.read_bytes(), bruno_nb.stat().st_mtime) == before
        for name in (carla, davi):
            assert not (Path(users[name].pw_dir) / "devolutivas").exists()
        assert f"{carla}" in done.stdout and f"{davi}" in done.stdout
