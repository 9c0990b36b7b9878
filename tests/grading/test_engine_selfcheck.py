"""Autoverificação ``check(nome)``: feedback amigável, só testes públicos, nunca levanta."""

import sys
import types

import numpy as np
import pytest

from coursekit.grading import check


@pytest.fixture
def kernel(monkeypatch):
    """Um ``__main__`` falso, como o namespace de um notebook."""
    module = types.ModuleType("__main__")
    monkeypatch.setitem(sys.modules, "__main__", module)
    monkeypatch.delenv("COURSEKIT_SANDBOX", raising=False)
    return module.__dict__


def run_check(capsys, name, **kwargs):
    assert check(name, **kwargs) is None
    return capsys.readouterr().out


def test_correct_function_passes(kernel, capsys):
    kernel["make_grid"] = lambda r, c: np.arange(r * c, dtype=float).reshape(r, c)
    out = run_check(capsys, "make_grid")
    assert "✔ test_make_grid_2x3" in out and "🎉" in out
    assert "test_make_grid_float_and_shape" not in out  # oculto: não roda no check


def test_wrong_function_shows_expected_got_and_hint(kernel, capsys):
    kernel["column_means"] = lambda X: X.mean(axis=1)
    out = run_check(capsys, "column_means")
    assert "✘ test_column_means_small" in out
    assert "obtido" in out and "esperado" in out
    assert "Dica: a média de cada coluna percorre as linhas" in out
    assert "0 de 1" in out


def test_stub_and_missing_function_are_not_implemented_yet(kernel, capsys):
    def standardize(X):
        raise NotImplementedError("Exercício ainda não resolvido: escreva seu código aqui.")

    kernel["standardize"] = standardize
    assert "ainda não implementado" in run_check(capsys, "standardize")
    assert "ainda não implementado" in run_check(capsys, "dot_product")


@pytest.mark.parametrize(
    "body",
    [
        "raise SystemExit(1)",
        "raise KeyboardInterrupt",
        "import sys; sys.exit()",
        "return object()",
        "return 1 / 0",
    ],
)
def test_check_never_raises(kernel, capsys, body):
    exec(f"def dot_product(a, b):\n    {body}\n", kernel)
    out = run_check(capsys, "dot_product")
    assert "✘" in out


def test_unknown_exercise_and_lecture_argument(kernel, capsys):
    assert "Não encontrei testes públicos" in run_check(capsys, "nao_existe")
    kernel["make_grid"] = lambda r, c: np.arange(r * c, dtype=float).reshape(r, c)
    assert "✔" in run_check(capsys, "make_grid", lecture="00_introducao")
    assert "Não encontrei" in run_check(capsys, "make_grid", lecture="99_nao_existe")


def test_check_is_silent_inside_the_grading_sandbox(kernel, capsys, monkeypatch):
    monkeypatch.setenv("COURSEKIT_SANDBOX", "1")
    assert run_check(capsys, "make_grid") == ""


def test_same_exercise_name_in_two_lectures_picks_the_notebook_lecture(tmp_path):
    from coursekit.grading.selfcheck import find_items

    body = (
        "import pytest\nLECTURE = '{0}'\n"
        "@pytest.mark.exercise('shared', points=1)\ndef test_shared_{0}(sub):\n    pass\n"
        "@pytest.mark.exercise('{1}', points=1)\ndef test_other_{0}(sub):\n    pass\n"
    )
    (tmp_path / "test_01_um.py").write_text(body.format("01_um", "only_one"))
    (tmp_path / "test_02_dois.py").write_text(body.format("02_dois", "only_two"))
    namespace = {"shared": print, "only_two": print}
    assert find_items("shared", tests_dir=tmp_path, namespace=namespace)[0] == "02_dois"
    assert find_items("shared", tests_dir=tmp_path, namespace={})[0] == "01_um"
    assert find_items("shared", "02_dois", tests_dir=tmp_path)[0] == "02_dois"
