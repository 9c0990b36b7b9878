"""Pacote do Gradescope: roda o mesmo corretor num /autograder simulado (pasta temporária)."""

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

from coursekit.grading import gradescope


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("pacote") / "autograder.zip"
    gradescope.build(out, lecture="00_introducao")
    return out


def test_bundle_has_gradescope_layout(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert {
        "setup.sh",
        "run_autograder",
        "pyproject.toml",
        "coursekit/grading/cli.py",
        "tests/grading/test_00_introducao.py",
    } <= names
    assert not any(name.startswith("solutions/") or "__pycache__" in name for name in names)
    assert [n for n in names if n.startswith("tests/")] == ["tests/grading/test_00_introducao.py"]
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR


def simulate(bundle, root, notebooks):
    """Monta ROOT/{source,submission,results} como o Gradescope e roda run_autograder."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    for notebook in notebooks:
        shutil.copy(notebook, root / "submission" / notebook.name)
    env = dict(os.environ, COURSEKIT_AUTOGRADER_ROOT=str(root), COURSEKIT_PYTHON=sys.executable)
    run = subprocess.run(
        ["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_run_autograder_grades_a_solution(bundle, tmp_path, engine):
    report = simulate(bundle, tmp_path, [engine.ROOT / "solutions/00_introducao.ipynb"])
    assert report["score"] == report["max_score"] == 13
    assert {"score", "max_score", "execution_time", "output", "tests"} == set(report)
    assert all(
        {"name", "score", "max_score", "status", "output", "visibility"} == set(t) for t in report["tests"]
    )
    assert "00_introducao.ipynb" in report["output"]


def test_run_autograder_without_notebook_gives_zero_and_message(bundle, tmp_path):
    report = simulate(bundle, tmp_path, [])
    assert report["score"] == 0
    assert "Nenhum notebook" in report["output"]


def test_bundle_needs_a_lecture(tmp_path):
    with pytest.raises(ValueError, match="lecture"):
        gradescope.build(tmp_path / "a.zip")
    with pytest.raises(ValueError, match="lecture"):
        gradescope.build(tmp_path / "a.zip", lecture="99_nao_existe")


def test_bundle_grades_only_its_lecture(bundle, tmp_path, engine):
    import nbformat

    notebook = nbformat.read(engine.ROOT / "solutions/01_correlacao.ipynb", as_version=4)
    nbformat.write(notebook, tmp_path / "00_disfarce.ipynb")
    report = simulate(bundle, tmp_path / "raiz", [tmp_path / "00_disfarce.ipynb"])
    assert report["score"] == 0 and report["max_score"] == 13
    assert "diz ser da aula '01_correlacao'" in report["output"]
