"""Envios hostis: o corretor sobrevive, explica em português e só dá a nota merecida.

Todos os envios são corrigidos de uma vez (``--jobs 2``), numa única turma: assim
cada teste também prova que um envio hostil não afeta os outros da mesma turma.
Cada envio tem ``good`` certo (2 pontos: um teste público e um oculto) e ``bad``
hostil (1 ponto), salvo quando dito o contrário.
"""

import csv
import json
import time

import pytest

TIMEOUT = 2.0

CASES = {
    "sys_exit": "import sys\ndef bad(x):\n    sys.exit(0)\n",
    "raise_systemexit": "def bad(x):\n    raise SystemExit(3)\n",
    "os_exit": "import os\ndef bad(x):\n    os._exit(0)\n",
    "kill_self": "import os, signal\ndef bad(x):\n    os.kill(os.getpid(), signal.SIGKILL)\n",
    "sigterm_self": "import os, signal\ndef bad(x):\n    os.kill(os.getpid(), signal.SIGTERM)\n",
    "keyboard_interrupt": "def bad(x):\n    raise KeyboardInterrupt\n",
    "infinite_loop": "def bad(x):\n    while True:\n        pass\n",
    "loop_ignoring_signals": (
        "import signal\n"
        "def bad(x):\n"
        "    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):\n"
        "        signal.signal(sig, signal.SIG_IGN)\n"
        "    while True:\n"
        "        try:\n"
        "            pass\n"
        "        except BaseException:\n"
        "            pass\n"
    ),
    "patched_assertions": (
        "import builtins, operator\nimport numpy as np\nimport numpy.testing\n"
        "np.testing.assert_allclose = lambda *a, **k: None\n"
        "numpy.testing.assert_array_equal = lambda *a, **k: None\n"
        "builtins.AssertionError = ZeroDivisionError\n"
        "operator.eq = lambda a, b: True\n"
        "def bad(x):\n    return x * 3\n"
    ),
    "always_equal_object": (
        "class Liar:\n"
        "    def __eq__(self, other):\n        return True\n"
        "    def __array__(self, *args, **kwargs):\n        import numpy\n"
        "        return numpy.array([0.0, 2.0, 4.0])\n"
        "def bad(x):\n    return Liar()\n"
    ),
    "object_array": "import numpy as np\ndef bad(x):\n    return np.array([0.0, 2.0, {}], dtype=object)\n",
    "forged_reply": (
        "import os\nfrom coursekit.grading import protocol\n"
        "def bad(x):\n"
        "    forged = protocol.pack({'status': 'ok', 'seq': 999, 'refs': [], 'stdout': '',\n"
        "                            'value': {'l': [0.0, 2.0, 4.0]}})\n"
        "    for fd in map(int, os.listdir('/proc/self/fd')):\n"
        "        try:\n            os.write(fd, forged)\n"
        "        except OSError:\n            pass\n"
        "    return x * 3\n"
    ),
    "forged_results_file": (
        "import json, pathlib\n"
        "def bad(x):\n"
        "    fake = json.dumps({'score': 999, 'max_score': 3, 'tests': []})\n"
        "    for name in ['forged_results_file.json', 'notas.csv', 'sys_exit.json']:\n"
        "        (pathlib.Path(OUT) / name).write_text(fake)\n"
        "    pathlib.Path('results.json').write_text(fake)\n"
        "    return x * 3\n"
    ),
    "output_flood": (
        "import os\n"
        "for _ in range(20000):\n    print('barulho ' * 50)\n"
        "def bad(x):\n"
        "    for _ in range(30000):\n        print('spam ' * 40)\n"
        "    os.write(1, b'x' * 10_000_000)\n    os.write(2, b'y' * 10_000_000)\n"
        "    return x * 3\n"
    ),
    "memory_numpy": "import numpy as np\ndef bad(x):\n    big = np.ones((30000, 30000))\n    return 2 * x\n",
    "memory_list": "def bad(x):\n    hog = []\n    while True:\n        hog.append(bytes(10**8))\n",
    "huge_return": "import numpy as np\ndef bad(x):\n    return np.zeros(10_000_000)\n",
    "kill_grader": "import os, signal\ndef bad(x):\n    os.kill(os.getppid(), signal.SIGKILL)\n    return 2 * x\n",
}

# envios em que `bad` está certo: a hostilidade está em outras células
FULL_SCORE_CASES = {
    "stray_children": [
        "import os, subprocess, time\n"
        "def bad(x):\n"
        "    p = subprocess.Popen(['sleep', '300'], start_new_session=True)\n"
        "    open(PIDS + '/stray_a', 'w').write(str(p.pid))\n"
        "    if os.fork() == 0:\n"
        "        os.setsid()\n"
        "        if os.fork() == 0:\n"
        "            open(PIDS + '/stray_b', 'w').write(str(os.getpid()))\n"
        "            time.sleep(300)\n"
        "        os._exit(0)\n"
        "    for _ in range(200):\n"
        "        if os.path.exists(PIDS + '/stray_b'):\n            break\n"
        "        time.sleep(0.01)\n"
        "    return 2 * x\n",
        "import subprocess\nq = subprocess.Popen(['sleep', '300'])\n"
        "open(PIDS + '/stray_c', 'w').write(str(q.pid))\n",
    ],
    "syntax_error_cell": ["def broken(:\n    pass\n", "def bad(x):\n    return 2 * x\n"],
    "top_level_loop": ["while True:\n    pass\n", "def bad(x):\n    return 2 * x\n"],
    "top_level_exit": ["import os\nos._exit(1)\n", "def bad(x):\n    return 2 * x\n"],
    "top_level_sys_exit": ["import sys\nsys.exit('tchau')\n", "def bad(x):\n    return 2 * x\n"],
    "magics": [
        "%matplotlib inline\n!pip install nada\nimport numpy as np\n",
        "%%bash\necho oi\n",
        "def bad(x):\n    return 2 * x\n",
    ],
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, hostile_tests_dir, engine):
    root = tmp_path_factory.mktemp("hostis")
    out, pids = root / "saida", root / "pids"
    out.mkdir()
    pids.mkdir()
    prelude = f"OUT = {str(out)!r}\nPIDS = {str(pids)!r}\n"
    paths = []
    for name, cells in FULL_SCORE_CASES.items():
        paths.append(engine.write_notebook(root / f"{name}.ipynb", [prelude, engine.GOOD_CELL, *cells]))
    for name, bad in CASES.items():  # kill_grader por último: quebra o processo corretor
        paths.append(engine.write_notebook(root / f"{name}.ipynb", [prelude, engine.GOOD_CELL, bad]))
    run = engine.run_grader(
        *paths, "--out", out, "--jobs", 2, "--tests", hostile_tests_dir, "--timeout", TIMEOUT
    )
    assert run.returncode == 0, run.stderr
    reports = {p.stem: json.loads((out / f"{p.stem}.json").read_text()) for p in paths}
    with open(out / "notas.csv", newline="") as handle:
        grades = {row["submission"]: row for row in csv.DictReader(handle)}
    return reports, grades, out, pids


def bad_output(report):
    return next(t["output"] for t in report["tests"] if t["name"].startswith("bad:"))


@pytest.mark.parametrize(
    "case, expected",
    [
        ("sys_exit", "SystemExit"),
        ("raise_systemexit", "SystemExit"),
        ("os_exit", "encerrou o processo"),
        ("kill_self", "SIGKILL"),
        ("sigterm_self", "SIGTERM"),
        ("keyboard_interrupt", "KeyboardInterrupt"),
        ("infinite_loop", "Tempo esgotado"),
        ("loop_ignoring_signals", "Tempo esgotado"),
        ("patched_assertions", "Resultado diferente do esperado"),
        ("always_equal_object", "o corretor não aceita"),
        ("object_array", "o corretor não aceita"),
        ("forged_reply", "resposta inválida"),
        ("forged_results_file", "Resultado diferente do esperado"),
        ("output_flood", "caracteres omitidos"),
        ("memory_numpy", "MemoryError"),
        ("memory_list", "MemoryError"),
        ("huge_return", "resposta inválida"),
    ],
)
def test_hostile_function_scores_only_what_was_earned(graded, case, expected):
    reports, grades, _, _ = graded
    report = reports[case]
    assert (report["score"], report["max_score"]) == (2, 3), report["output"]
    assert expected in bad_output(report)
    assert grades[case]["score"] == "2" and grades[case]["status"] == "corrigido"
    hidden = next(t for t in report["tests"] if t["name"].startswith("good: test_good_hidden"))
    assert hidden["status"] == "passed"  # o processo foi reiniciado depois da falha
    assert hidden["output"] == "Teste oculto: os detalhes não são mostrados."


@pytest.mark.parametrize(
    "case, expected",
    [
        ("stray_children", ""),
        ("syntax_error_cell", "célula 4: SyntaxError"),
        ("top_level_loop", "célula 4 foi ignorada: Tempo esgotado"),
        ("top_level_exit", "célula 4 foi ignorada: O seu código encerrou o processo"),
        ("top_level_sys_exit", "célula 4: SystemExit: tchau"),
        ("magics", ""),
    ],
)
def test_hostile_cells_do_not_cost_other_exercises(graded, case, expected):
    reports, _, _, _ = graded
    report = reports[case]
    assert (report["score"], report["max_score"]) == (3, 3), report["output"]
    assert expected in report["output"]


def test_forged_result_files_are_overwritten(graded):
    reports, grades, out, _ = graded
    assert reports["forged_results_file"]["score"] == 2
    assert reports["sys_exit"]["score"] == 2
    assert grades["forged_results_file"]["score"] == "2"
    assert "999" not in (out / "notas.csv").read_text()


def test_output_flood_keeps_result_file_small(graded):
    _, _, out, _ = graded
    assert (out / "output_flood.json").stat().st_size < 20_000
    assert max(p.stat().st_size for p in out.glob("*.json")) < 20_000


def test_stray_processes_are_killed(graded):
    _, _, _, pids = graded
    files = sorted(pids.glob("stray_*"))
    assert [f.name for f in files] == ["stray_a", "stray_b", "stray_c"]
    deadline = time.monotonic() + 5
    alive = [int(f.read_text()) for f in files]
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if _running(pid)]
        time.sleep(0.05)
    assert alive == []


def _running(pid):
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_submission_that_kills_the_grader_gets_zero_and_others_survive(graded):
    reports, grades, _, _ = graded
    report = reports["kill_grader"]
    assert report["score"] == 0
    assert "interrompida" in report["output"]
    assert grades["kill_grader"]["status"] == "falha_na_correcao"
    others = [name for name in reports if name != "kill_grader"]
    assert all(grades[name]["status"] == "corrigido" for name in others)
