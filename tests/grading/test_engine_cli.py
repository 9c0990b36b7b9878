"""O comando ``coursekit-grade``: uso, arquivos ruins, turma inteira, determinismo."""

import csv
import json
import shutil

import nbformat
import pytest

SOLUTION = "solutions/00_introducao.ipynb"


def read_grades(out):
    with open(out / "notas.csv", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    "args", [[], ["x.ipynb"], ["x.ipynb", "--out"], ["x.ipynb", "--out", "o", "--jobs", "0"]]
)
def test_usage_errors_exit_nonzero(engine, args):
    run = engine.run_grader(*args)
    assert run.returncode != 0
    assert "usage" in run.stderr.lower() or "uso" in run.stderr.lower()


def test_bad_files_get_zero_with_explanation_and_batch_goes_on(tmp_path, engine):
    (tmp_path / "vazio.ipynb").write_text("")
    (tmp_path / "corrompido.ipynb").write_text('{"cells": [')
    (tmp_path / "binario.ipynb").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff" * 10)
    (tmp_path / "lista.ipynb").write_text("[1, 2, 3]")
    (tmp_path / "00_introducao_quebrado.ipynb").write_text("isto não é json")
    engine.write_notebook(tmp_path / "tarefa.ipynb", ["x = 1\n"], lecture=None)
    shutil.copy(engine.ROOT / SOLUTION, tmp_path / "boa.ipynb")
    out = tmp_path / "saida"
    run = engine.run_grader(*sorted(tmp_path.glob("*.ipynb")), "--out", out)
    assert run.returncode == 0, run.stderr
    grades = {row["submission"]: row for row in read_grades(out)}
    assert list(grades) == sorted(grades)
    assert grades["boa"]["score"] == "13" and grades["boa"]["status"] == "corrigido"
    assert "aula do lote: 00_introducao (indicada por 1 de 7" in run.stderr
    for name in ["vazio", "corrompido", "binario", "lista", "00_introducao_quebrado"]:
        report = json.loads((out / f"{name}.json").read_text())
        assert report["score"] == 0 and report["tests"] == []
        row = grades[name]
        assert (row["score"], row["max_score"], row["status"]) == ("0", "13", "arquivo_invalido")
        assert row["lecture"] == "00_introducao"
    assert "vazio" in json.loads((out / "vazio.json").read_text())["output"]
    assert "não é um notebook" in json.loads((out / "corrompido.json").read_text())["output"]
    # sem metadado nem prefixo NN_, o envio é corrigido na aula do lote (e não tem os exercícios)
    assert (grades["tarefa"]["score"], grades["tarefa"]["status"]) == ("0", "corrigido")


def test_lecture_unknown_for_every_submission(tmp_path, engine):
    engine.write_notebook(tmp_path / "tarefa.ipynb", ["x = 1\n"], lecture=None)
    out = tmp_path / "saida"
    run = engine.run_grader(tmp_path / "tarefa.ipynb", "--out", out)
    assert run.returncode == 0, run.stderr
    assert read_grades(out)[0]["status"] == "aula_desconhecida"
    assert "Não consegui identificar a aula" in json.loads((out / "tarefa.json").read_text())["output"]


def test_lecture_from_file_name_prefix(tmp_path, engine):
    notebook = nbformat.read(engine.ROOT / SOLUTION, as_version=4)
    del notebook.metadata["coursekit"]
    nbformat.write(notebook, tmp_path / "00_maria_silva.ipynb")
    run = engine.run_grader(tmp_path / "00_maria_silva.ipynb", "--out", tmp_path / "o")
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "o" / "00_maria_silva.json").read_text())["score"] == 13


def test_every_solution_scores_max_and_every_exercise_scores_zero(tmp_path, engine):
    solutions = sorted((engine.ROOT / "solutions").glob("*.ipynb"))
    exercises = sorted((engine.ROOT / "exercises").glob("*.ipynb"))
    assert solutions and exercises
    for path in solutions:
        shutil.copy(path, tmp_path / f"solucao-{path.name}")
    for path in exercises:
        shutil.copy(path, tmp_path / f"exercicio-{path.name}")
    out = tmp_path / "saida"
    # todas as aulas numa execução (notebooks confiáveis): cada um na aula do próprio metadado
    run = engine.run_grader(*sorted(tmp_path.glob("*.ipynb")), "--out", out, "--jobs", 2, "--each-lecture")
    assert run.returncode == 0, run.stderr
    for row in read_grades(out):
        assert row["lecture"] == row["submission"].split("-", 1)[1].removesuffix("_exercicios")
        report = json.loads((out / f"{row['submission']}.json").read_text())
        assert row["status"] == "corrigido" and report["max_score"] > 0
        if row["submission"].startswith("solucao-"):
            assert report["score"] == report["max_score"], report["output"]
            assert "Problemas ao executar" not in report["output"]
        else:
            assert report["score"] == 0
            assert all("ainda não" in t["output"] or "oculto" in t["name"] for t in report["tests"])


def partial_submission(engine, path):
    """Solução com standardize usando ddof=1 (errado) e um print."""
    notebook = nbformat.read(engine.ROOT / SOLUTION, as_version=4)
    for cell in notebook.cells:
        if "def standardize" in cell.source:
            cell.source = cell.source.replace("X.std(axis=0)", "X.std(axis=0, ddof=1)")
            cell.source = cell.source.replace("mu = ", "print('calculando...')\n    mu = ")
    nbformat.write(notebook, path)


def test_partial_credit_with_expected_got_and_hint(tmp_path, engine):
    partial_submission(engine, tmp_path / "parcial.ipynb")
    run = engine.run_grader(tmp_path / "parcial.ipynb", "--out", tmp_path / "o")
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "o" / "parcial.json").read_text())
    assert (report["score"], report["max_score"]) == (10, 13)
    assert "standardize: 0/3" in report["output"]
    failed = next(
        t for t in report["tests"] if t["name"] == "standardize: test_standardize_mean_zero_std_one"
    )
    assert failed["status"] == "failed" and failed["score"] == 0 and failed["max_score"] == 2
    for words in [
        "obtido",
        "esperado",
        "Dica: cada coluna menos a própria média",
        "Diagnóstico: ddof=1",
        "√((n−1)/n)",
        "calculando...",
    ]:
        assert words in failed["output"]
    hidden = next(t for t in report["tests"] if t["name"].startswith("standardize: test_standardize_random"))
    assert hidden["output"] == "Teste oculto: os detalhes não são mostrados."


def test_grading_twice_gives_identical_results(tmp_path, engine):
    folder = tmp_path / "envios"
    folder.mkdir()
    shutil.copy(engine.ROOT / SOLUTION, folder / "a_solucao.ipynb")
    shutil.copy(engine.ROOT / "exercises/00_introducao_exercicios.ipynb", folder / "b_stub.ipynb")
    partial_submission(engine, folder / "c_parcial.ipynb")
    engine.write_notebook(
        folder / "d_erros.ipynb",
        [
            "import numpy as np\n",
            "def make_grid(n_rows, n_cols:\n",
            "def column_means(X):\n    return {1, 2}\n",
            "def dot_product(a, b):\n    return float(undefined_name)\n",
            "def standardize(X):\n    print(object())\n    return [object()]\n",
        ],
        lecture="00_introducao",
    )
    runs = []
    for name in ["um", "dois"]:
        run = engine.run_grader(folder, "--out", tmp_path / name, "--jobs", 2)
        assert run.returncode == 0, run.stderr
        runs.append(tmp_path / name)
    assert (runs[0] / "notas.csv").read_bytes() == (runs[1] / "notas.csv").read_bytes()
    for path in sorted(runs[0].glob("*.json")):
        first, second = json.loads(path.read_text()), json.loads((runs[1] / path.name).read_text())
        assert isinstance(first.pop("execution_time"), int)
        second.pop("execution_time")
        assert first == second
    errors = json.loads((runs[0] / "d_erros.json").read_text())
    assert "SyntaxError" in errors["output"] and "NameError" in json.dumps(errors["tests"])


def test_lecture_option_accepts_the_number_like_mutate(tmp_path, engine):
    shutil.copy(engine.ROOT / SOLUTION, tmp_path / "envio.ipynb")
    run = engine.run_grader(tmp_path / "envio.ipynb", "--out", tmp_path / "o", "--lecture", "00")
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "o" / "envio.json").read_text())
    assert report["score"] == 13 and "00_introducao" in report["output"]
    run = engine.run_grader(tmp_path / "envio.ipynb", "--out", tmp_path / "p", "--lecture", "99")
    assert run.returncode == 2 and "não há testes da aula '99'" in run.stderr


def test_lecture_from_exercise_file_name_without_metadata(tmp_path, engine):
    notebook = nbformat.read(engine.ROOT / SOLUTION, as_version=4)
    del notebook.metadata["coursekit"]
    nbformat.write(notebook, tmp_path / "00_introducao_exercicios.ipynb")
    run = engine.run_grader(tmp_path / "00_introducao_exercicios.ipynb", "--out", tmp_path / "o")
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "o" / "00_introducao_exercicios.json").read_text())["score"] == 13
