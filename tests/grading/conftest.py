"""Liga o fixture ``sub`` dos testes de correção ao notebook de SOLUÇÃO da aula.

Assim o ``pytest`` normal prova que ``solutions/NN_tema.ipynb`` passa em todos os
testes de ``tests/grading/test_NN_tema.py``, executado na mesma caixa de areia da
correção (processo separado, limites, regra da implementação de referência).
"""

from pathlib import Path

import pytest

from coursekit.grading.notebook import code_cells, read_notebook
from coursekit.grading.sandbox import Limits, Sandbox
from coursekit.grading.submission import Submission

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "exercise(name, points=1, hidden=False, allow=()): teste de correção do exercício "
        "`name` (ver coursekit/grading/AUTHORING.md)",
    )


@pytest.fixture(scope="module")
def solution_sandbox(request):
    lecture = getattr(request.module, "LECTURE", None)
    if lecture is None:
        pytest.fail("o módulo de testes de correção precisa definir LECTURE = 'NN_tema'")
    path = ROOT / "solutions" / f"{lecture}.ipynb"
    if not path.is_file():
        pytest.fail(f"falta solutions/{lecture}.ipynb para os testes de correção de {lecture}")
    limits = Limits(total_timeout=3600)  # a aula inteira divide um processo
    with Sandbox(code_cells(read_notebook(path)), limits) as sandbox:
        yield sandbox
    assert not sandbox.cell_problems, f"células da solução com problemas: {sandbox.cell_problems}"


@pytest.fixture
def sub(request, solution_sandbox):
    marker = request.node.get_closest_marker("exercise")
    allow = marker.kwargs.get("allow", ()) if marker else ()
    return Submission(solution_sandbox, allow=(allow,) if isinstance(allow, str) else allow)


# -- ferramentas para os testes do próprio corretor (test_engine_*.py) --------------

HOSTILE_TESTS = '''
import numpy as np
import pytest

LECTURE = "99_hostil"


@pytest.mark.exercise("good", points=1)
def test_good(sub):
    """Dica: devolva x + 1."""
    assert sub.call("good", 1) == 2


@pytest.mark.exercise("bad", points=1)
def test_bad(sub):
    """Dica: devolva 2 * x."""
    np.testing.assert_allclose(sub.call("bad", np.arange(3.0)), [0.0, 2.0, 4.0])


@pytest.mark.exercise("good", points=1, hidden=True)
def test_good_hidden(sub):
    """Dica: devolva x + 1 também para números grandes."""
    assert sub.call("good", 41) == 42
'''

GOOD_CELL = "def good(x):\n    return x + 1\n"


def write_notebook(path, cells, lecture="99_hostil"):
    """Grava um notebook com as células de código ``cells`` (textos)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    notebook = new_notebook(
        cells=[new_markdown_cell("# Envio de teste")] + [new_code_cell(source) for source in cells]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if lecture:
        notebook.metadata["coursekit"] = {"exercise": lecture}
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    nbformat.write(notebook, str(path))
    return Path(path)


def run_grader(*args, timeout=240):
    """Roda ``coursekit-grade`` como o instrutor rodaria (processo separado)."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "coursekit.grading.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def engine():
    """Ferramentas dos testes do corretor: write_notebook, run_grader, GOOD_CELL."""
    import types

    return types.SimpleNamespace(
        write_notebook=write_notebook, run_grader=run_grader, GOOD_CELL=GOOD_CELL, ROOT=ROOT
    )


@pytest.fixture(scope="session")
def hostile_tests_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("testes_hostis")
    (folder / "test_99_hostil.py").write_text(HOSTILE_TESTS, encoding="utf-8")
    return folder
