"""Ambiente quebrado: a aula 00 e o check() dizem em português o que falta e o comando que conserta."""

import re
import sys
from importlib.metadata import PackageNotFoundError
from pathlib import Path

import pytest

from coursekit import environment
from coursekit.grading import check
from coursekit.widgets import introducao

ROOT = Path(__file__).resolve().parents[1]


def fake_installed(**versions):
    """Como importlib.metadata.version, mas com as versões dadas (None = não instalado)."""

    def installed(name):
        current = versions.get(name.replace("-", "_"), "99.0")
        if current is None:
            raise PackageNotFoundError(name)
        return current

    return installed


def test_required_matches_pyproject_core_dependencies():
    text = (ROOT / "pyproject.toml").read_text()
    core = re.search(r"^dependencies = \[(.*?)^\]", text, flags=re.M | re.S).group(1)
    minima = dict(re.findall(r'^\s+"([A-Za-z][\w-]*)>=(\d+\.\d+)', core, flags=re.M))
    assert {name: tuple(map(int, v.split("."))) for name, v in minima.items()} == environment.REQUIRED


def test_complete_environment_has_no_problems():
    assert environment.problems() == []
    assert environment.check_environment() is None


def test_missing_and_old_packages_are_named_with_the_minimum():
    found = environment.problems(installed=fake_installed(pytest=None, numpy="1.21.6"))
    assert found == [
        "o numpy 1.21.6 é antigo demais (o curso precisa do numpy >= 1.24)",
        "falta o pacote pytest (o curso precisa do pytest >= 7.4)",
    ]
    assert environment.problems(installed=fake_installed(numpy="1.24.0rc1")) == []


def test_old_python_is_named():
    (found,) = environment.problems(required={}, python=(3, 9, 7))
    assert found.startswith("o Python 3.9 é antigo demais")


def test_parse_version():
    assert environment.parse_version("2.0.0rc1") == (2, 0)
    assert environment.parse_version("1.3.10") < (1, 24) < environment.parse_version("1.26.4")


def test_fix_command_is_one_pip_install_of_the_course_in_this_python():
    command = environment.fix_command()
    assert command == f'"{sys.executable}" -m pip install -e "{ROOT}"'
    assert environment.fix_command("py", root="/nao/existe") == '"py" -m pip install -e "<pasta do curso>"'


def test_explain_lists_each_problem_and_the_command():
    text = environment.explain(
        ["falta o pacote pytest (x)", "o numpy 1.0 é antigo demais (y)"], command="CMD"
    )
    assert text.splitlines() == [
        "O ambiente do curso está incompleto:",
        "  • falta o pacote pytest (x);",
        "  • o numpy 1.0 é antigo demais (y).",
        "Para consertar, rode este comando num terminal:",
        "    CMD",
        "e depois reinicie o kernel (menu Kernel → Restart Kernel…) e rode as células de novo.",
        "Numa oficina, mostre esta mensagem a quem organiza a turma.",
    ]


@pytest.fixture
def without_pytest(monkeypatch):
    monkeypatch.setattr(environment, "version", fake_installed(pytest=None))


def test_check_without_pytest_says_what_is_missing_and_the_command(without_pytest, capsys):
    assert check("make_grid") is None  # nunca levanta
    out = capsys.readouterr().out
    assert "falta o pacote pytest (o curso precisa do pytest >= 7.4)" in out
    assert environment.fix_command() in out
    assert "Traceback" not in out and "ModuleNotFoundError" not in out


def test_lecture_00_stops_with_the_same_message(without_pytest):
    with pytest.raises(environment.IncompleteEnvironment, match="falta o pacote pytest") as raised:
        environment.check_environment()
    assert environment.fix_command() in str(raised.value)
    with pytest.raises(environment.IncompleteEnvironment, match="falta o pacote pytest"):
        introducao.check_demo("dobro", namespace={"dobro": lambda x: 2 * x})


EXERCISES = sorted((ROOT / "exercises").glob("[0-9][0-9]_*_exercicios.ipynb"))


def test_there_is_one_exercise_notebook_per_lecture():
    lectures = sorted(p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [p.name[:2] for p in EXERCISES] == lectures


@pytest.mark.parametrize("notebook", EXERCISES, ids=lambda p: p.name[:2])
def test_exercise_first_cell_explains_a_missing_numpy_in_portuguese(notebook, monkeypatch):
    """Sem o NumPy, a primeira célula de cada caderno de exercícios para com a frase em português
    e o comando que conserta, antes de qualquer ``import numpy`` (que daria um erro em inglês)."""
    import nbformat

    first = next(c for c in nbformat.read(notebook, 4).cells if c.cell_type == "code")
    monkeypatch.setattr(environment, "version", fake_installed(numpy=None))
    monkeypatch.setitem(sys.modules, "numpy", None)  # "import numpy" agora falharia
    monkeypatch.delenv("COURSEKIT_SANDBOX", raising=False)
    with pytest.raises(environment.IncompleteEnvironment, match="falta o pacote numpy") as raised:
        exec(compile(first.source, str(notebook), "exec"), {})
    assert environment.fix_command() in str(raised.value)


def test_check_environment_is_silent_inside_the_grader_sandbox(without_pytest, monkeypatch):
    monkeypatch.setenv("COURSEKIT_SANDBOX", "1")
    assert environment.check_environment() is None
