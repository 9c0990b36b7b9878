"""Regra da implementação de referência: chamar scikit-learn/coursekit zera o exercício."""

import json
import shutil

import nbformat

from coursekit.grading.runner import grade_notebook

SCALER = (
    "from sklearn.preprocessing import StandardScaler\n"
    "def standardize(X):\n"
    "    return StandardScaler().fit_transform(X)\n"
)

ALLOW_TESTS = """
import numpy as np
import pytest

LECTURE = "98_permitido"


@pytest.mark.exercise("standardize", points=1, allow=["sklearn"])
def test_standardize_allowed(sub):
    np.testing.assert_allclose(sub.call("standardize", np.array([[1.0], [3.0]])), [[-1.0], [1.0]])


@pytest.mark.exercise("other", points=1, allow=["coursekit"])
def test_other_not_allowed(sub):
    np.testing.assert_allclose(sub.call("standardize", np.array([[1.0], [3.0]])), [[-1.0], [1.0]])
"""


def submission_with(engine, path, old, new):
    notebook = nbformat.read(engine.ROOT / "solutions/00_introducao.ipynb", as_version=4)
    cell = next(c for c in notebook.cells if old in c.source)
    cell.source = new
    nbformat.write(notebook, path)
    return path


def test_calling_sklearn_zeroes_the_exercise_unless_allowed(tmp_path, engine):
    tests = tmp_path / "testes"
    tests.mkdir()
    shutil.copy(engine.ROOT / "tests/grading/test_00_introducao.py", tests)
    (tests / "test_98_permitido.py").write_text(ALLOW_TESTS)
    scaler = submission_with(engine, tmp_path / "scaler.ipynb", "def standardize", SCALER)
    allowed = engine.write_notebook(tmp_path / "permitido.ipynb", [SCALER], lecture="98_permitido")
    out = tmp_path / "saida"
    run = engine.run_grader(scaler, allowed, "--out", out, "--jobs", 2, "--tests", tests, "--timeout", 30)
    assert run.returncode == 0, run.stderr

    report = json.loads((out / "scaler.json").read_text())
    assert (report["score"], report["max_score"]) == (7, 10)
    outputs = [t["output"] for t in report["tests"] if t["name"].startswith("standardize")]
    assert len(outputs) == 2  # o teste oculto também explica por que foi zerado
    assert all("Exercício zerado" in o and "StandardScaler" in o for o in outputs)

    report = json.loads((out / "permitido.json").read_text())
    assert [t["status"] for t in report["tests"]] == ["passed", "failed"]
    assert "Exercício zerado" in report["tests"][1]["output"]


def test_disabling_the_monitor_zeroes_the_exercise(tmp_path, engine):
    code = (
        "import sys\n"
        "def dot_product(a, b):\n"
        "    sys.setprofile(None)\n"
        "    if a.shape != b.shape:\n        raise ValueError('formatos')\n"
        "    return float((a * b).sum())\n"
    )
    path = submission_with(engine, tmp_path / "monitor.ipynb", "def dot_product", code)
    report = grade_notebook(path, tests_dir=engine.ROOT / "tests/grading")
    assert report["score"] == 7
    assert all("desativou o monitor" in t["output"] for t in report["tests"] if t["name"].startswith("dot_"))
