"""Corrige UM notebook: roda os testes da aula (lado confiável) contra o processo do aluno."""

import time
from pathlib import Path

from . import results
from .errors import ReferenceUse, cap, failure_text
from .notebook import (
    NotebookError,
    code_cells,
    lecture_claim,
    lecture_hint,
    metadata_lecture,
    read_notebook,
    resolve_lecture,
)
from .sandbox import Limits, Sandbox
from .submission import Submission
from .testsuite import collect, grading_tests_dir, load_module, public_first, run_item


def test_output(item, error, printed=""):
    if error is None:
        return "OK"
    text = failure_text(error)
    if item.hint and not isinstance(error, ReferenceUse):
        text += f"\n\nDica: {item.hint}"
    if printed.strip():
        text += "\n\nSaída do seu código (início):\n" + cap(printed, 500)
    return text


def run_tests(items, sandbox):
    """Roda os testes; devolve a lista de entradas ``tests`` do results.json."""
    outcomes, zeroed = [], {}
    for item in items:
        sub = Submission(sandbox, allow=item.allow)
        error = run_item(item, sub)
        if isinstance(error, ReferenceUse):
            zeroed.setdefault(item.exercise, error.feedback)
        outcomes.append((item, error, sub.last_output))
    tests = []
    for item, error, printed in outcomes:
        if item.exercise in zeroed:
            tests.append(results.test_entry(item, False, zeroed[item.exercise], reveal=True))
        else:
            tests.append(results.test_entry(item, error is None, test_output(item, error, printed)))
    return tests


def load_items(lecture, tests_dir):
    module = load_module(Path(tests_dir) / f"test_{lecture}.py")
    return public_first(collect(module))


def grade_notebook(
    path, tests_dir=None, limits=None, default_lecture=None, sweep_orphans=False, scratch_dir=None
):
    """Corrige o notebook em ``path`` → dicionário de resultado (ver :mod:`results`).

    ``default_lecture`` (o ``--lecture`` do comando, ou a aula do pacote do
    Gradescope) vale mais que o metadado do notebook: um notebook de outra aula
    fica com 0 e a explicação.
    """
    started = time.monotonic()
    tests_dir = Path(tests_dir) if tests_dir else grading_tests_dir()
    notebook, problem = None, None
    try:
        notebook = read_notebook(path)
    except NotebookError as error:
        problem = str(error)
    if default_lecture is not None:
        lecture = resolve_lecture(default_lecture, tests_dir)
        if lecture is None:
            raise ValueError(f"--lecture {default_lecture!r}: não há testes dessa aula em {tests_dir}")
        claimed, claimed_lecture = lecture_claim(notebook, path, tests_dir)
        if claimed is not None and claimed_lecture != lecture:
            maximum = sum(item.points for item in load_items(lecture, tests_dir))
            source = "metadado coursekit.exercise" if metadata_lecture(notebook) else "nome do arquivo"
            return results.failure(
                f"Aula: {lecture}\nEste notebook diz ser da aula {claimed[:80]!r} ({source}), "
                f"mas esta correção é da aula {lecture}. Envie o notebook de "
                "exercícios desta aula. Nota 0.",
                "aula_errada",
                maximum,
                time.monotonic() - started,
                lecture=lecture,
            )
    else:
        lecture = resolve_lecture(lecture_hint(notebook, path), tests_dir)
    if lecture is None:
        message = (
            "Não consegui identificar a aula deste notebook: o metadado "
            "coursekit.exercise está ausente e o nome do arquivo não começa com o número "
            "de uma aula conhecida (ex.: 07_backpropagation.ipynb)."
        )
        if problem:
            message = problem + "\n" + message
        return results.failure(message, "aula_desconhecida", 0.0, time.monotonic() - started)
    if problem:
        items = load_items(lecture, tests_dir)
        maximum = sum(item.points for item in items)
        return results.failure(
            f"Aula: {lecture}\n{problem}",
            "arquivo_invalido",
            maximum,
            time.monotonic() - started,
            lecture=lecture,
        )
    with Sandbox(
        code_cells(notebook), limits or Limits(), sweep_orphans=sweep_orphans, scratch_dir=scratch_dir
    ) as sandbox:
        sandbox.launch()  # o processo do aluno sobe enquanto os testes carregam
        items = load_items(lecture, tests_dir)
        tests = run_tests(items, sandbox)
        problems = [sandbox.cell_problems[n] for n in sorted(sandbox.cell_problems)]
        level = sandbox.level
    return results.build(lecture, tests, problems, time.monotonic() - started, isolation=level)
