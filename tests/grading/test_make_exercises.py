"""Gerador de exercises/ a partir de solutions/."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from coursekit.grading import make_exercises
from coursekit.grading.make_exercises import AuthoringError, differences, strip_solution

STUB = 'raise NotImplementedError("Exercício ainda não resolvido: escreva seu código aqui.")'


def test_exercises_folder_is_exactly_what_the_generator_produces(engine):
    problems = differences(engine.ROOT / "solutions", engine.ROOT / "exercises")
    assert problems == [], "rode `python -m coursekit.grading.make_exercises`:\n" + "\n".join(problems)


def test_solution_block_becomes_prompt_at_marker_indentation():
    source = (
        'def f(x):\n    """Doc."""\n    ### BEGIN SOLUTION\n    y = x + 1\n'
        "    return y\n    ### END SOLUTION\n\nz = 3"
    )
    assert strip_solution(source) == (
        'def f(x):\n    """Doc."""\n    # SEU CÓDIGO AQUI\n    ' + STUB + "\n\nz = 3"
    )


@pytest.mark.parametrize(
    "source",
    [
        "### BEGIN SOLUTION\nx = 1",
        "x = 1\n### END SOLUTION",
        "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION",
    ],
)
def test_bad_markers_are_reported(source):
    with pytest.raises(AuthoringError):
        strip_solution(source)


def write_solution(folder, name="01_teste.ipynb"):
    tagged = new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")
    tagged.metadata["tags"] = ["solution"]
    tagged.outputs = [new_output("stream", text="saída velha")]
    tagged.execution_count = 3
    untagged = new_code_cell("# ### BEGIN SOLUTION fica aqui\nprint(1)")
    notebook = new_notebook(cells=[new_markdown_cell("# Aula"), tagged, untagged])
    notebook.metadata["coursekit"] = {"exercise": "01_teste"}
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"c{index}"
    folder.mkdir(exist_ok=True)
    nbformat.write(notebook, folder / name)


def test_generate_check_and_stale_detection(tmp_path, capsys):
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    args = ["--solutions", str(solutions), "--exercises", str(exercises)]
    assert make_exercises.main(args + ["--check"]) == 0  # solutions/ vazia

    write_solution(solutions)
    assert make_exercises.main(args + ["--check"]) == 1
    assert "falta exercises/01_teste_exercicios.ipynb" in capsys.readouterr().out
    assert make_exercises.main(args) == 0
    assert make_exercises.main(args + ["--check"]) == 0

    assert sorted(p.name for p in exercises.iterdir()) == ["01_teste_exercicios.ipynb"]
    generated = nbformat.read(exercises / "01_teste_exercicios.ipynb", as_version=4)
    tagged, untagged = generated.cells[1], generated.cells[2]
    assert STUB in tagged.source and "return 1" not in tagged.source
    assert tagged.outputs == [] and tagged.execution_count is None
    assert untagged.source == "# ### BEGIN SOLUTION fica aqui\nprint(1)"
    assert generated.metadata["coursekit"] == {"exercise": "01_teste"}

    stale = exercises / "01_teste_exercicios.ipynb"
    stale.write_text(stale.read_text() + " ")
    (exercises / "99_sobra.ipynb").write_text("{}")
    assert make_exercises.main(args + ["--check"]) == 1
    out = capsys.readouterr().out
    assert "difere" in out and "99_sobra.ipynb não vem de nenhuma solução" in out


def test_exercise_name_tells_exercise_from_lecture_and_keeps_the_lecture_prefix():
    assert make_exercises.exercise_name("07_backpropagation.ipynb") == "07_backpropagation_exercicios.ipynb"
    assert make_exercises.exercise_name("solutions/00_introducao.ipynb") == "00_introducao_exercicios.ipynb"
