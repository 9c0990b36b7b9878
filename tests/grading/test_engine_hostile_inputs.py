"""O lado confiável não confia no que recebe: arquivos, nomes, aula, pasta atual, lotes interrompidos."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from coursekit.grading import cli
from coursekit.grading.runner import load_items

SOLUTION = "solutions/00_introducao.ipynb"


def read_grades(out):
    with open(out / "notas.csv", newline="") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def test_lecture_option_wins_over_notebook_metadata(tmp_path, engine):
    shutil.copy(engine.ROOT / "solutions/01_correlacao.ipynb", tmp_path / "facil.ipynb")
    notebook = nbformat.read(engine.ROOT / SOLUTION, as_version=4)
    del notebook.metadata["coursekit"]
    nbformat.write(notebook, tmp_path / "sem_metadado.ipynb")
    out = tmp_path / "saida"
    run = engine.run_grader(
        tmp_path / "facil.ipynb", tmp_path / "sem_metadado.ipynb", "--out", out, "--lecture", "00_introducao"
    )
    assert run.returncode == 0, run.stderr
    grades = read_grades(out)
    assert (grades["facil"]["score"], grades["facil"]["max_score"]) == ("0", "13")
    assert grades["facil"]["status"] == "aula_errada"
    report = json.loads((out / "facil.json").read_text())
    assert "diz ser da aula '01_correlacao'" in report["output"] and "00_introducao" in report["output"]
    assert grades["sem_metadado"]["score"] == "13"


def test_unknown_lecture_option_is_a_usage_error(tmp_path, engine):
    shutil.copy(engine.ROOT / SOLUTION, tmp_path / "a.ipynb")
    run = engine.run_grader(tmp_path / "a.ipynb", "--out", tmp_path / "o", "--lecture", "77_nada")
    assert run.returncode == 2 and "77_nada" in run.stderr


def test_only_regular_bounded_files_are_read(tmp_path, engine):
    folder = tmp_path / "envios"
    folder.mkdir()
    os.symlink(engine.ROOT / SOLUTION, folder / "00_link_para_solucao.ipynb")
    os.symlink("/dev/zero", folder / "00_zero.ipynb")
    os.mkfifo(folder / "00_fifo.ipynb")
    with open(folder / "00_enorme.ipynb", "wb") as handle:  # esparso: 30 MiB sem ocupar disco
        handle.truncate(30 * 2**20)
    shutil.copy(engine.ROOT / SOLUTION, folder / "00_normal.ipynb")
    out = tmp_path / "saida"
    started = time.monotonic()
    run = engine.run_grader(folder, "--out", out, timeout=120)
    assert run.returncode == 0, run.stderr
    assert time.monotonic() - started < 60  # a FIFO não trava o lote
    grades = read_grades(out)
    assert grades["00_normal"]["score"] == "13"
    for name, words in [
        ("00_link_para_solucao", "link simbólico"),
        ("00_zero", "link simbólico"),
        ("00_fifo", "não é um arquivo comum"),
        ("00_enorme", "o limite é 20 MiB"),
    ]:
        assert grades[name]["score"] == "0" and grades[name]["status"] == "arquivo_invalido"
        assert words in json.loads((out / f"{name}.json").read_text())["output"]


def test_output_names_never_collide(tmp_path, engine):
    for folder, name in [("a", "x"), ("b", "x"), ("c", "x-2"), ("d", "X")]:
        (tmp_path / folder).mkdir()
        shutil.copy(engine.ROOT / SOLUTION, tmp_path / folder / f"{name}.ipynb")
    paths = [tmp_path / f / f"{n}.ipynb" for f, n in [("a", "x"), ("b", "x"), ("c", "x-2"), ("d", "X")]]
    assert cli.output_names(paths) == ["x", "x-2", "x-2-2", "X-3"]
    out = tmp_path / "saida"
    run = engine.run_grader(*paths, "--out", out, "--jobs", 2)
    assert run.returncode == 0, run.stderr
    assert sorted(read_grades(out)) == sorted(["x", "x-2", "x-2-2", "X-3"])
    assert len(list(out.glob("*.json"))) == 4


def test_hostile_file_names_are_made_safe(tmp_path, engine):
    folder = tmp_path / "envios"
    folder.mkdir()
    names = [b"00_\xff\xfe.ipynb", b"=HYPERLINK(1).ipynb", b"-2+3.ipynb", b"@SUM(A1).ipynb", b"..ipynb"]
    for raw in names:
        shutil.copy(engine.ROOT / SOLUTION, os.path.join(os.fsencode(folder), raw))
    out = tmp_path / "saida"
    run = engine.run_grader(folder, "--out", out)
    assert run.returncode == 0, run.stderr
    text = (out / "notas.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))[1:]
    assert len(rows) == len(names)
    for row in rows:
        assert row[0][:1] not in "=+-@", row
        assert row[1] == "13"
    assert {"'-2_3", "HYPERLINK_1", "SUM_A1", "00", "envio"} == {row[0] for row in rows}


def test_tests_and_modules_are_never_taken_from_the_current_folder(tmp_path, engine):
    planted = tmp_path / "pasta_gravavel"
    (planted / "tests" / "grading").mkdir(parents=True)
    os.chmod(planted, 0o777)
    marker = tmp_path / "importado"
    plant = f"open({str(marker)!r}, 'w').write('sim')\n"
    for module in ["pytest.py", "numpy.py", "_pytest.py"]:
        (planted / module).write_text(plant)
    (planted / "tests" / "grading" / "test_00_introducao.py").write_text(
        plant + "import pytest\n\n@pytest.mark.exercise('x', points=100)\ndef test_x(sub):\n    pass\n"
    )
    shutil.copy(engine.ROOT / SOLUTION, planted / "00_envio.ipynb")
    run = subprocess.run(
        [sys.executable, "-m", "coursekit.grading.cli", "00_envio.ipynb", "--out", str(tmp_path / "o")],
        cwd=planted,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert not marker.exists()
    assert read_grades(tmp_path / "o")["00_envio"]["max_score"] == "13"


def test_killed_batch_resumes_without_regrading(tmp_path, engine):
    folder = tmp_path / "envios"
    folder.mkdir()
    shutil.copy(engine.ROOT / SOLUTION, folder / "a_rapido.ipynb")
    notebook = nbformat.read(engine.ROOT / SOLUTION, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(30)\n"))
    nbformat.write(notebook, folder / "b_lento.ipynb")
    out = tmp_path / "saida"
    command = [sys.executable, "-m", "coursekit.grading.cli", str(folder), "--out", str(out), "--timeout", 60]
    command = [str(c) for c in command]
    batch = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not (out / "a_rapido.json").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (out / "a_rapido.json").exists()  # gravado assim que ficou pronto, antes do fim do lote
    os.killpg(batch.pid, signal.SIGKILL)
    batch.communicate()
    assert not (out / "notas.csv").exists() and not (out / "b_lento.json").exists()
    first = (out / "a_rapido.json").read_text()
    nbformat.write(nbformat.read(engine.ROOT / SOLUTION, as_version=4), folder / "b_lento.ipynb")
    run = engine.run_grader(folder, "--out", out)
    assert run.returncode == 0, run.stderr
    assert "retomando; 1 envio(s) já corrigido(s)" in run.stderr
    assert "[2/2] b_lento: 13/13" in run.stderr and "a_rapido:" not in run.stderr
    assert (out / "a_rapido.json").read_text() == first
    assert {row["score"] for row in read_grades(out).values()} == {"13"}
    again = engine.run_grader(folder, "--out", out, "--restart")
    assert "retomando" not in again.stderr and "a_rapido: 13/13" in again.stderr


def test_progress_line_with_eta(tmp_path, engine):
    for name in ["a", "b", "c"]:
        shutil.copy(engine.ROOT / SOLUTION, tmp_path / f"{name}.ipynb")
    run = engine.run_grader(*sorted(tmp_path.glob("*.ipynb")), "--out", tmp_path / "o")
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in lines] == ["[1/3", "[2/3", "[3/3"]
    assert all("faltam ≈" in line and "13/13 (corrigido)" in line for line in lines)


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


def test_global_watchdog_ends_a_batch_that_stops_progressing(tmp_path, engine):
    tests = tmp_path / "testes"
    tests.mkdir()
    (tests / "test_96_lento.py").write_text(SLOW_TESTS)
    good = engine.write_notebook(tmp_path / "bom.ipynb", [engine.GOOD_CELL], lecture="96_lento")
    stuck = engine.write_notebook(
        tmp_path / "trava.ipynb", ["def good(x):\n    return 0\n"], lecture="96_lento"
    )
    seen = {}
    started = time.monotonic()
    graded = cli.grade_many(
        [stuck, good], {"tests_dir": tests}, jobs=2, on_result=seen.__setitem__, watchdog=4
    )
    assert time.monotonic() - started < 40
    assert graded[1]["score"] == 1
    assert graded[0]["score"] == 0 and "vigia" in graded[0]["output"]
    assert set(seen) == {0, 1}


def test_public_tests_run_before_hidden_ones(tmp_path):
    (tmp_path / "test_95_ordem.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.exercise('f', hidden=True)\ndef test_oculto(sub):\n    pass\n\n"
        "@pytest.mark.exercise('f')\ndef test_publico(sub):\n    pass\n\n"
        "@pytest.mark.exercise('g', hidden=True)\ndef test_oculto_g(sub):\n    pass\n\n"
        "@pytest.mark.exercise('g')\ndef test_publico_g(sub):\n    pass\n"
    )
    names = [item.name for item in load_items("95_ordem", tmp_path)]
    assert names == ["test_publico", "test_publico_g", "test_oculto", "test_oculto_g"]


def test_trusted_worker_has_its_own_memory_limit():
    code = (
        "import resource\nfrom coursekit.grading import cli\ncli._worker_init()\n"
        "print(resource.getrlimit(resource.RLIMIT_AS)[0] // 2**20)\n"
        "try:\n    bytearray(6 * 2**30)\nexcept MemoryError:\n    print('MemoryError')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == [str(cli.TRUSTED_MEMORY_MB), "MemoryError"], done.stderr


@pytest.mark.parametrize("kind", ["moodle", "canvas"])
def test_gradebook_export(tmp_path, engine, kind):
    shutil.copy(engine.ROOT / SOLUTION, tmp_path / "maria.ipynb")
    shutil.copy(engine.ROOT / "exercises/00_introducao_exercicios.ipynb", tmp_path / "joao.ipynb")
    out = tmp_path / "o"
    run = engine.run_grader(
        tmp_path / "maria.ipynb", tmp_path / "joao.ipynb", "--out", out, "--gradebook", kind
    )
    assert run.returncode == 0, run.stderr
    with open(out / f"notas-{kind}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if kind == "moodle":
        assert rows == [
            {"Identificador": "joao", "Nota": "0.00", "Comentário": "00_introducao: 0/13"},
            {"Identificador": "maria", "Nota": "13.00", "Comentário": "00_introducao: 13/13"},
        ]
    else:
        assert list(rows[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "00_introducao"]
        assert [(r["SIS Login ID"], r["00_introducao"]) for r in rows] == [("joao", "0"), ("maria", "13")]


def test_markdown_feedback_with_exercise_table_and_fenced_student_text(tmp_path, engine):
    engine.write_notebook(
        tmp_path / "md.ipynb",
        [
            "import numpy as np\n",
            "def column_means(X):\n    print('```\\n# título forjado')\n    return X.mean(axis=1)\n",
        ],
        lecture="00_introducao",
    )
    out = tmp_path / "o"
    run = engine.run_grader(tmp_path / "md.ipynb", "--out", out, "--feedback", "md")
    assert run.returncode == 0, run.stderr
    report = json.loads((out / "md.json").read_text())
    assert report["output_format"] == "md"
    assert "| Exercício | Nota | Máximo |" in report["output"]
    assert "| `column_means` | 0 | 2 |" in report["output"]
    assert all(t["output_format"] == "md" for t in report["tests"])
    printed = next(t["output"] for t in report["tests"] if "título forjado" in t["output"])
    assert printed.startswith("````text\n") and printed.endswith("\n````")  # a cerca é maior que a do aluno
    assert set(report) == {"score", "max_score", "execution_time", "output", "output_format", "tests"}
