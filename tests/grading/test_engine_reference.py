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
    run = engine.run_grader(
        scaler, allowed, "--out", out, "--jobs", 2, "--tests", tests, "--timeout", 30, "--each-lecture"
    )
    assert run.returncode == 0, run.stderr

    report = json.loads((out / "scaler.json").read_text())
    assert (report["score"], report["max_score"]) == (10, 13)
    outputs = [t["output"] for t in report["tests"] if t["name"].startswith("standardize")]
    assert len(outputs) == 2  # o teste oculto também explica por que foi zerado
    assert all("Exercício zerado" in o and "StandardScaler" in o for o in outputs)

    report = json.loads((out / "permitido.json").read_text())
    assert [t["status"] for t in report["tests"]] == ["passed", "failed"]
    assert "Exercício zerado" in report["tests"][1]["output"]
    # a mensagem diz o que ESTE exercício permite (não "sem usar coursekit" quando coursekit vale)
    assert "você pode usar `coursekit`, mas não o resto" in report["tests"][1]["output"]
    scaler_outputs = " ".join(outputs)
    assert "sem usar coursekit nem scikit-learn" in scaler_outputs and "você pode usar" not in scaler_outputs


def test_disabling_the_monitor_zeroes_the_exercise(tmp_path, engine):
    code = (
        "import sys\n"
        "def dot_product(a, b):\n"
        "    sys.setprofile(None)\n"
        "    if a.shape != b.shape:\n        raise ValueError('formatos')\n"
        "    return float((a * b).sum())\n"
    )
    path = submission_with(engine, tmp_path / "monitor.ipynb", "def dot_product", "import sklearn\n" + code)
    report = grade_notebook(path, tests_dir=engine.ROOT / "tests/grading")
    assert report["score"] == 10
    assert all("desativou o monitor" in t["output"] for t in report["tests"] if t["name"].startswith("dot_"))
    # sem nenhum código de referência carregado não há o que esconder: nota cheia, sem falso zero
    path = submission_with(engine, tmp_path / "sem_ref.ipynb", "def dot_product", code)
    assert grade_notebook(path, tests_dir=engine.ROOT / "tests/grading")["score"] == 13


EVASIONS = {
    "thread": (
        "import threading\n"
        "def standardize(X):\n"
        "    out = {}\n"
        "    worker = threading.Thread(target=lambda: out.update(r=StandardScaler().fit_transform(X)))\n"
        "    worker.start()\n"
        "    worker.join()\n"
        "    return out['r']\n"
    ),
    "thread_from_cell": (
        "import queue, threading\n"
        "jobs, answers = queue.Queue(), queue.Queue()\n"
        "threading.Thread(target=lambda: [answers.put(StandardScaler().fit_transform(jobs.get()))"
        " for _ in iter(int, 1)], daemon=True).start()\n"
        "def standardize(X):\n"
        "    jobs.put(X)\n"
        "    return answers.get()\n"
    ),
    "save_restore": (
        "import sys\n"
        "def standardize(X):\n"
        "    saved = sys.getprofile()\n"
        "    sys.setprofile(None)\n"
        "    result = StandardScaler().fit_transform(X)\n"
        "    saved.enable()\n"
        "    return result\n"
    ),
    "disable_enable": (
        "import sys\n"
        "def standardize(X):\n"
        "    profiler = sys.getprofile()\n"
        "    profiler.disable()\n"
        "    result = StandardScaler().fit_transform(X)\n"
        "    profiler.enable()\n"
        "    return result\n"
    ),
    "clear_record": (
        "import sys\n"
        "def standardize(X):\n"
        "    result = StandardScaler().fit_transform(X)\n"
        "    sys.getprofile().clear()\n"
        "    return result\n"
    ),
    "settrace": (
        "import sys\n"
        "def standardize(X):\n"
        "    sys.settrace(None)\n"
        "    return StandardScaler().fit_transform(X)\n"
    ),
}


def test_evading_the_monitor_zeroes_the_exercise(tmp_path, engine):
    paths = []
    for name, code in EVASIONS.items():
        source = "from sklearn.preprocessing import StandardScaler\n" + code
        paths.append(submission_with(engine, tmp_path / f"{name}.ipynb", "def standardize", source))
    out = tmp_path / "saida"
    run = engine.run_grader(*paths, "--out", out, "--jobs", 2, "--timeout", 30)
    assert run.returncode == 0, run.stderr
    for name in EVASIONS:
        report = json.loads((out / f"{name}.json").read_text())
        outputs = [t["output"] for t in report["tests"] if t["name"].startswith("standardize")]
        # uma thread viva desde uma célula zera todos os exercícios: o monitor não a acompanha
        assert report["score"] == (0 if name == "thread_from_cell" else 10), (name, report["output"])
        assert all("Exercício zerado" in o for o in outputs), (name, outputs)
        expected = "threads" if name.startswith("thread") else "desativou o monitor"
        assert all(expected in o for o in outputs), (name, outputs)


CALL_HEAVY = (
    "import time\n"
    "def step(x):\n"
    "    return x + 1\n"
    "def work(n):\n"
    "    started = time.perf_counter()\n"
    "    total = 0\n"
    "    for _ in range(n):\n"
    "        total = step(total)\n"
    "    return [total, time.perf_counter() - started]\n"
)


def _timed(cells, n):
    from coursekit.grading.sandbox import Limits, Sandbox
    from coursekit.grading.submission import Submission

    with Sandbox(cells, Limits(call_timeout=60)) as box:
        sub = Submission(box)
        return min(sub.call("work", n)[1] for _ in range(3))


def test_grading_runs_call_heavy_code_at_check_speed():
    namespace = {}
    exec(CALL_HEAVY, namespace)
    n = 1_000_000
    plain = min(namespace["work"](n)[1] for _ in range(3))
    graded = _timed([(1, CALL_HEAVY)], n)
    # sem código de referência carregado, nada de gancho: o gancho antigo deixava isto 12 a 17× mais lento
    assert graded < 2 * plain, (graded, plain)
    # com scikit-learn importado no notebook, o cProfile (em C) monitora a chamada
    profiled = _timed([(1, "import sklearn.preprocessing\n" + CALL_HEAVY)], n // 10) * 10
    assert profiled > graded  # o monitor está mesmo ligado nesse caso


def test_reference_imported_inside_the_function_is_still_caught(tmp_path, engine):
    code = (
        "def standardize(X):\n"
        "    from sklearn.preprocessing import StandardScaler\n"
        "    return StandardScaler().fit_transform(X)\n"
    )
    path = submission_with(engine, tmp_path / "dentro.ipynb", "def standardize", code)
    report = grade_notebook(path, tests_dir=engine.ROOT / "tests/grading")
    assert report["score"] == 10
    outputs = [t["output"] for t in report["tests"] if t["name"].startswith("standardize")]
    assert all("Exercício zerado" in o and "StandardScaler" in o for o in outputs)
