"""Envios hostis: o corretor sobrevive, explica em português e só dá a nota merecida.

Todos os envios são corrigidos de uma vez (``--jobs 2``), numa única turma: assim
cada teste também prova que um envio hostil não afeta os outros da mesma turma.
Cada envio tem ``good`` certo (2 pontos: um teste público e um oculto) e ``bad``
hostil (1 ponto), salvo quando dito o contrário.

A turma é corrigida três vezes: no melhor isolamento da máquina (``bwrap`` no CI,
como root), com ``--user nobody`` e no nível de reserva ``processo``.
"""

import csv
import json
import os
import random
import time

import pytest

from coursekit.grading.sandbox import isolation_level

MARKER = f"{random.randrange(10**6, 10**7)}"  # duração única dos "sleep" perdidos deste teste

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
        "        try:\n"
        "            (pathlib.Path(OUT) / name).write_text(fake)\n"
        "        except OSError:\n"
        "            pass\n"
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
    "lone_surrogate": (
        "def bad(x):\n    print('\\ud800 oi \\udcff')\n    raise ValueError('\\udcff' + chr(0xD800) + 'x')\n"
    ),
    "absurd_empty_shape": "import numpy as np\ndef bad(x):\n    return np.zeros((0, 250_000_000))\n",
    "kill_grader": "import os, signal\ndef bad(x):\n    os.kill(os.getppid(), signal.SIGKILL)\n    return 2 * x\n",
}

# envios em que `bad` está certo: a hostilidade está em outras células
FULL_SCORE_CASES = {
    "stray_children": [
        "import os, subprocess, time\n"
        "def bad(x):\n"
        "    subprocess.Popen(['sleep', MARKER + '.1'], start_new_session=True)\n"
        "    if os.fork() == 0:\n"
        "        os.setsid()\n"
        "        if os.fork() == 0:\n"
        "            os.execvp('sleep', ['sleep', MARKER + '.2'])\n"
        "        os._exit(0)\n"
        "    time.sleep(0.2)\n"
        "    return 2 * x\n",
        "import subprocess\nq = subprocess.Popen(['sleep', MARKER + '.3'])\n",
    ],
    "long_chain": [  # uma corrente de 60 processos, cada um filho do anterior
        "import os, time\n"
        "def bad(x):\n"
        "    if os.fork() == 0:\n"
        "        for _ in range(60):\n"
        "            if os.fork() != 0:\n"
        "                os._exit(0)\n"
        "            os.setsid()\n"
        "        os.execvp('sleep', ['sleep', MARKER + '.4'])\n"
        "    time.sleep(0.5)\n"
        "    return 2 * x\n",
    ],
    "syntax_error_cell": ["def broken(:\n    pass\n", "def bad(x):\n    return 2 * x\n"],
    "top_level_loop": ["while True:\n    pass\n", "def bad(x):\n    return 2 * x\n"],
    "top_level_exit": ["import os\nos._exit(1)\n", "def bad(x):\n    return 2 * x\n"],
    "top_level_sys_exit": ["import sys\nsys.exit('tchau')\n", "def bad(x):\n    return 2 * x\n"],
    "subclass_results": [  # tupla nomeada com escalares NumPy: dados simples, nota cheia
        "import collections\nimport numpy as np\nTrio = collections.namedtuple('Trio', 'a b c')\n"
        "def bad(x):\n    return Trio(*[np.float64(v) for v in 2 * x])\n",
    ],
    "ipython_syntax": [  # o IPython executaria tudo isto: nada pode virar erro nem sumir
        "%%time\ndef bad(x):\n    return 2 * x\n",
        "r = (10\n     % 3)\nq = (1\n     != 2)\nassert r == 1 and q\n",
        "%time t = good(1)\nassert t == 2\nfiles = !ls\n%matplotlib inline\n",
        "%%timeit\nassert bad(1) == 2\n",
    ],
    "magics": [
        "%matplotlib inline\n!pip install nada\nimport numpy as np\n",
        "%%bash\necho oi\n",
        "def bad(x):\n    return 2 * x\n",
    ],
}


MODES = {
    "melhor": [],
    "nobody": ["--user", "nobody"],
    "processo": ["--isolation", "processo"],
}


@pytest.fixture(scope="module", params=list(MODES))
def graded(request, tmp_path_factory, hostile_tests_dir, engine):
    extra = MODES[request.param]
    if request.param == "nobody" and (os.geteuid() != 0 or isolation_level() != "bwrap"):
        pytest.skip("--user nobody só funciona como root com o bubblewrap nesta máquina")
    root = tmp_path_factory.mktemp("hostis")
    out = root / "saida"
    out.mkdir()
    prelude = f"OUT = {str(out)!r}\nMARKER = {MARKER!r}\n"
    paths = []
    for name, cells in FULL_SCORE_CASES.items():
        paths.append(engine.write_notebook(root / f"{name}.ipynb", [prelude, engine.GOOD_CELL, *cells]))
    for name, bad in CASES.items():  # kill_grader por último: quebra o processo corretor
        paths.append(engine.write_notebook(root / f"{name}.ipynb", [prelude, engine.GOOD_CELL, bad]))
    run = engine.run_grader(
        *paths, "--out", out, "--jobs", 2, "--tests", hostile_tests_dir, "--timeout", TIMEOUT, *extra
    )
    assert run.returncode == 0, run.stderr
    reports = {p.stem: json.loads((out / f"{p.stem}.json").read_text()) for p in paths}
    with open(out / "notas.csv", newline="") as handle:
        grades = {row["submission"]: row for row in csv.DictReader(handle)}
    level = "processo" if request.param == "processo" else isolation_level()
    return reports, grades, out, level


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
        ("lone_surrogate", "ValueError: ��x"),
        ("absurd_empty_shape", "devolveu dados inválidos"),
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
        ("long_chain", ""),
        ("syntax_error_cell", "célula 4: SyntaxError"),
        ("top_level_loop", "célula 4 foi ignorada: Tempo esgotado"),
        ("top_level_exit", "célula 4 foi ignorada: O seu código encerrou o processo"),
        ("top_level_sys_exit", "célula 4: SystemExit: tchau"),
        ("magics", ""),
        ("ipython_syntax", ""),
        ("subclass_results", ""),
    ],
)
def test_hostile_cells_do_not_cost_other_exercises(graded, case, expected):
    reports, _, _, _ = graded
    report = reports[case]
    assert (report["score"], report["max_score"]) == (3, 3), report["output"]
    assert expected in report["output"]
    if case in ("ipython_syntax", "magics"):
        assert "Problemas ao executar" not in report["output"]


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
    deadline = time.monotonic() + 5
    alive = _marked()
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = _marked()
    assert alive == []


def _marked():
    """Processos vivos (não zumbis) cujo comando tem o MARKER deste teste."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read()
            with open(f"/proc/{entry}/stat") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if MARKER.encode() in command and state != "Z":
            found.append(int(entry))
    return found


def test_every_result_says_which_isolation_was_used(graded):
    reports, grades, _, level = graded
    graded_ok = [name for name in reports if grades[name]["status"] == "corrigido"]
    assert len(graded_ok) >= len(reports) - 1
    assert all(grades[name]["isolation"] == level for name in graded_ok)
    assert all(f"Isolamento: {level}" in reports[name]["output"] for name in graded_ok)


def test_submission_that_kills_the_grader_gets_zero_and_others_survive(graded):
    reports, grades, _, level = graded
    report = reports["kill_grader"]
    if level == "bwrap":  # o corretor nem é visível de dentro da caixa; o pai é o init dela
        assert report["score"] >= 2 and grades["kill_grader"]["status"] == "corrigido"
    else:
        assert report["score"] == 0
        assert "interrompida" in report["output"]
        assert grades["kill_grader"]["status"] == "falha_na_correcao"
    others = [name for name in reports if name != "kill_grader"]
    assert all(grades[name]["status"] == "corrigido" for name in others)
