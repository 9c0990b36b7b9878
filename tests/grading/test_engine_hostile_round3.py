"""Terceira rodada de ataques: nenhum envio mexe na nota de um colega; as falhas do corretor aparecem.

Uma turma (``--jobs 2``, sem ``--lecture``: a aula é inferida pela maioria) com envios
honestos e hostis, corrigida no melhor isolamento da máquina e no nível ``processo``.
Classes de ataque (cada uma com as suas cargas):

1. código do envio processado fora da caixa: milhares de linhas ``x = !cmd`` (o
   transformador do IPython custa tempo quadrático) — a transformação roda na caixa, sob o
   prazo da célula;
3. CPU: dezenas de laços ocupados, cada um na sua sessão (``setsid``) — cgroup de CPU por
   caixa e prazo que desconta o tempo sem CPU;
4. disco: arquivos de 8 MiB até encher — tmpfs com tamanho (bwrap) e limite da pasta de
   trabalho (processo);
5. outra aula: um notebook que diz ser de outra aula (com mais pontos) fica com 0;
6. ``from __future__ import annotations`` numa célula vale para as seguintes (controle honesto).

As falhas que não são do aluno (classe 2: vigia, erro do corretor) têm testes próprios abaixo.
Os envios honestos precisam tirar a nota cheia, a mesma que tirariam sozinhos.
"""

import csv
import errno
import json
import os
import shutil

import pytest

from coursekit.grading import cli, notebook, results
from coursekit.grading.sandbox import remove_files_of

TIMEOUT = 2.0

TESTS = """
import pytest

LECTURE = "95_rodada"


@pytest.mark.exercise("good", points=1)
def test_good(sub):
    assert sub.call("good", 1) == 2


@pytest.mark.exercise("work", points=1)
def test_work(sub):
    assert sub.call("work", 0.5) == 0.5  # meio segundo de CPU, com prazo de 2 s


@pytest.mark.exercise("typed", points=1)
def test_typed(sub):
    assert sub.call("typed", [1.0, 2.0]) == [2.0, 4.0]
"""

OTHER_TESTS = """
import pytest

LECTURE = "94_outra"


@pytest.mark.exercise("good", points=5)
def test_good(sub):
    assert sub.call("good", 1) == 2
"""

FUTURE = (
    "from __future__ import annotations\n"
    "from typing import TYPE_CHECKING\n"
    "if TYPE_CHECKING:\n"
    "    from numpy.typing import ArrayLike\n"
)
HONEST = [
    FUTURE,
    "def good(x: ArrayLike) -> ArrayLike:\n    return x + 1\n",
    "import time\n"
    "def work(seconds: float) -> float:\n"
    "    start = time.process_time()\n"
    "    while time.process_time() - start < seconds:\n"
    "        pass\n"
    "    return seconds\n",
    "def typed(values: list[ArrayLike]) -> list[ArrayLike]:\n    return [2 * v for v in values]\n",
]
# a mesma coisa numa célula %%time (executada pelo get_ipython() mínimo, com as mesmas flags)
HONEST_MAGIC = [*HONEST[:3], "%%time\n" + HONEST[3]]

ATTACKS = {
    # 1: o transformador do IPython, quadrático, com 1000 linhas de "!" (≈ 10 s de CPU; 5000 linhas, minutos)
    "escapes_1": [*HONEST, "x = !true\n" * 1000],
    "escapes_2": [*HONEST, "!true\n" * 1000 + "y = 1\n"],
    # 3: laços ocupados, cada um na sua sessão (grupo automático próprio do escalonador)
    "cpu_hog": [
        "import os\n"
        "for _ in range(8):\n"
        "    if os.fork() == 0:\n"
        "        os.setsid()\n"
        "        while True:\n"
        "            pass\n",
        *HONEST,
    ],
    # 4: encher o disco com arquivos de 8 MiB (a pasta de trabalho e, no bwrap, os tmpfs)
    "disk_fill": [
        *HONEST,
        "import os\n"
        "folders = [os.getcwd()] + (['/var/tmp', '/dev/shm'] if os.getcwd() == '/tmp' else [])\n"
        "block = b'x' * (8 * 1024 * 1024)\n"
        "for folder in folders:\n"
        "    for number in range(50):\n"
        "        try:\n"
        "            with open(os.path.join(folder, f'enche-{number}'), 'wb') as handle:\n"
        "                handle.write(block)\n"
        "        except OSError:\n"
        "            break\n",
    ],
}

MODES = {"melhor": [], "processo": ["--isolation", "processo"]}


@pytest.fixture(scope="module", params=list(MODES))
def batch(request, tmp_path_factory, engine):
    root = tmp_path_factory.mktemp("rodada3")
    tests = root / "testes"
    tests.mkdir()
    (tests / "test_95_rodada.py").write_text(TESTS, encoding="utf-8")
    (tests / "test_94_outra.py").write_text(OTHER_TESTS, encoding="utf-8")
    folder = root / "envios"
    folder.mkdir()
    for name, cells in ATTACKS.items():
        engine.write_notebook(folder / f"{name}.ipynb", cells, lecture="95_rodada")
    for number, cells in enumerate([HONEST, HONEST_MAGIC]):
        engine.write_notebook(folder / f"colega_{number}.ipynb", cells, lecture="95_rodada")
    # 5: o nome diz 95, o metadado diz 94 (uma aula com mais pontos)
    engine.write_notebook(folder / "95_rodada_x.ipynb", HONEST, lecture="94_outra")
    out = root / "saida"
    run = engine.run_grader(
        folder, "--out", out, "--jobs", 2, "--tests", tests, "--timeout", TIMEOUT,
        "--gradebook", "moodle", *MODES[request.param],
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    reports = {p.stem: json.loads((out / f"{p.stem}.json").read_text()) for p in folder.glob("*.ipynb")}
    with open(out / "notas.csv", newline="") as handle:
        grades = {row["submission"]: row for row in csv.DictReader(handle)}
    with open(out / "notas-moodle.csv", newline="") as handle:
        moodle = {row["Identificador"]: row for row in csv.DictReader(handle)}
    return reports, grades, moodle, run.stderr, request.param


def test_honest_classmates_keep_full_marks(batch):
    reports, grades, _, _, _ = batch
    for number in range(2):
        report = reports[f"colega_{number}"]
        assert (report["score"], report["max_score"]) == (3, 3), report["output"]
        assert "Problemas ao executar" not in report["output"]
        assert grades[f"colega_{number}"]["lecture"] == "95_rodada"


@pytest.mark.parametrize("case", ["escapes_1", "escapes_2"])
def test_shell_escape_flood_costs_only_its_own_cell(batch, case):
    reports, grades, _, _, _ = batch
    report = reports[case]
    assert (report["score"], report["max_score"]) == (3, 3), report["output"]
    assert "célula 6 foi ignorada: Tempo esgotado" in report["output"]
    assert grades[case]["status"] == "corrigido"


def test_no_submission_was_stopped_by_the_watchdog(batch):
    _, grades, _, stderr, _ = batch
    assert {row["status"] for row in grades.values()} == {"corrigido", "aula_errada"}
    assert "vigia" not in stderr and "problema do corretor" not in stderr


def test_cpu_hog_is_graded_and_stopped(batch):
    reports, grades, _, _, _ = batch
    assert grades["cpu_hog"]["status"] == "corrigido"
    assert reports["cpu_hog"]["tests"][0]["status"] == "passed"  # good não depende de CPU


def test_disk_fill_is_bounded(batch):
    reports, _, _, _, mode = batch
    report = reports["disk_fill"]
    assert (report["score"], report["max_score"]) == (3, 3), report["output"]
    if mode == "processo":  # 400 MiB na pasta de trabalho: passa do limite de 256 MiB
        assert "célula 6 foi ignorada: O seu código gravou mais que o limite de disco" in report["output"]


def test_notebook_claiming_another_lecture_gets_zero(batch):
    reports, grades, moodle, stderr, _ = batch
    assert "aula do lote: 95_rodada (indicada por 6 de 7" in stderr
    report = reports["95_rodada_x"]
    assert (report["score"], report["max_score"]) == (0, 3)
    assert "diz ser da aula '94_outra'" in report["output"]
    row = grades["95_rodada_x"]
    assert (row["status"], row["lecture"], row["max_score"]) == ("aula_errada", "95_rodada", "3")
    assert all(float(r["Nota"]) <= 3 for r in moodle.values())
    assert moodle["95_rodada_x"]["Comentário"] == "95_rodada: 0/3"


# -- classe 1, sem rodar nada: o lado confiável não transforma nem analisa as células ----------


def test_trusted_side_never_transforms_cells(tmp_path, engine, monkeypatch):
    def forbidden(source):
        raise AssertionError("transformação no processo confiável")

    monkeypatch.setattr(notebook, "transform_cell", forbidden)
    monkeypatch.setattr(notebook, "is_check_only", forbidden)
    cells = ["x = !true\n", "%%time\ny = 1\n", "check(y)\n"]
    path = engine.write_notebook(tmp_path / "n.ipynb", cells)
    assert [source for _, source in notebook.code_cells(notebook.read_notebook(path))] == cells


# -- classe 2: falhas que não são do aluno -------------------------------------------------------

SLOW_TESTS = """
import time
import pytest

LECTURE = "96_lento"


@pytest.mark.exercise("good", points=1)
def test_good(sub):
    if sub.call("good", 1) == 0:
        time.sleep(3600)  # um teste de correção que trava (erro do autor, não do aluno)
    assert sub.call("good", 1) == 2
"""


def test_watchdog_never_fails_a_submission_that_had_not_started(tmp_path, engine):
    tests = tmp_path / "testes"
    tests.mkdir()
    (tests / "test_96_lento.py").write_text(SLOW_TESTS)
    stuck = engine.write_notebook(
        tmp_path / "trava.ipynb", ["def good(x):\n    return 0\n"], lecture="96_lento"
    )
    waiting = [
        engine.write_notebook(tmp_path / f"fila_{n}.ipynb", [engine.GOOD_CELL], lecture="96_lento")
        for n in range(2)
    ]
    graded = cli.grade_many([stuck, *waiting], {"tests_dir": tests}, jobs=1, watchdog=4)
    assert [g["score"] for g in graded[1:]] == [1, 1]  # na fila quando o vigia agiu: refeitos
    assert graded[0]["status"] == "vigia_do_corretor" and "não uma nota" in graded[0]["output"]


BROKEN_TESTS = """
import pacote_que_nao_existe_no_corretor

LECTURE = "93_quebrado"
"""


def test_grader_error_is_retried_never_resumed_and_exits_nonzero(tmp_path, engine):
    tests = tmp_path / "testes"
    tests.mkdir()
    (tests / "test_93_quebrado.py").write_text(BROKEN_TESTS)
    paths = [
        engine.write_notebook(tmp_path / f"{n}.ipynb", [engine.GOOD_CELL], lecture="93_quebrado")
        for n in "ab"
    ]
    out = tmp_path / "saida"
    run = engine.run_grader(*paths, "--out", out, "--tests", tests)
    assert run.returncode == cli.EXIT_GRADER_FAILURE, run.stderr
    assert "2 envio(s) NÃO foram corrigidos por um problema do corretor" in run.stderr
    assert "a, b" in run.stderr and "ModuleNotFoundError" in run.stderr
    (tests / "test_93_quebrado.py").write_text(
        'import pytest\nLECTURE = "93_quebrado"\n\n@pytest.mark.exercise("good", points=1)\n'
        'def test_good(sub):\n    assert sub.call("good", 1) == 2\n'
    )
    again = engine.run_grader(*paths, "--out", out, "--tests", tests)
    assert again.returncode == 0, again.stderr
    assert "retomando" not in again.stderr and "a: 1/1 (corrigido)" in again.stderr


def test_results_are_written_with_the_disk_reserve(tmp_path, monkeypatch):
    reserve = results.DiskReserve(tmp_path, size=1024 * 1024)
    assert reserve.path.stat().st_size == 1024 * 1024
    real, calls = results._write_atomic, []

    def full_once(path, text):
        calls.append(path)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, text)

    monkeypatch.setattr(results, "_write_atomic", full_once)
    results.write_atomic(tmp_path / "notas.csv", "x\n", reserve)
    assert (tmp_path / "notas.csv").read_text() == "x\n" and not reserve.path.exists()
    with pytest.raises(OSError):  # sem reserva, o erro chega ao comando (que sai com o código 4)
        calls.clear()
        results.write_atomic(tmp_path / "notas.csv", "y\n", reserve)


def test_command_exits_with_distinct_code_when_results_cannot_be_written(tmp_path, engine, monkeypatch):
    path = shutil.copy(engine.ROOT / "solutions" / "00_introducao.ipynb", tmp_path / "a.ipynb")

    def always_full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(results, "_write_atomic", always_full)
    assert cli.main([str(path), "--out", str(tmp_path / "saida")]) == cli.EXIT_CANNOT_WRITE


@pytest.mark.skipif(os.geteuid() != 0, reason="trocar o dono de um arquivo exige root")
def test_files_left_by_the_sandbox_user_are_removed(tmp_path):
    uid = 1_640_000 + 4000  # da faixa reservada às caixas: nenhum processo real o usa
    for name in ("enche-1", "pasta"):
        target = tmp_path / name
        target.mkdir() if name == "pasta" else target.write_bytes(b"x" * 1024)
        os.chown(target, uid, uid)
    (tmp_path / "pasta" / "dentro").write_text("x")
    (tmp_path / "do-corretor").write_text("fica")
    remove_files_of(uid, folders=[str(tmp_path)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["do-corretor"]


@pytest.mark.parametrize("name", ["07_backpropagation.ipynb", "07_backpropagation_exercicios.ipynb"])
def test_lecture_from_either_exercise_file_name(name, engine):
    tests = engine.ROOT / "tests" / "grading"
    assert notebook.lecture_claim({}, f"exercises/{name}", tests) == (name[:-6], "07_backpropagation")
    claimed = {"metadata": {"coursekit": {"exercise": "02_regressao_linear"}}}
    assert notebook.lecture_claim(claimed, name, tests) == ("02_regressao_linear", "02_regressao_linear")
    assert notebook.lecture_claim({}, "aluno_07.ipynb", tests) == (None, None)
