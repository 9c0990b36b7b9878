"""Segunda metade das aulas no JupyterLab de verdade (veja ``test_lectures_in_browser.py``) e o
autoteste da maquinaria."""

from __future__ import annotations

import sys

import _browser_lab as lab_tools  # caminho posto por conftest.py
import _lecture_check as lecture_check
import pytest

pytestmark = pytest.mark.browser
_problems_message = lecture_check.problems_message


@lecture_check.parametrize(lecture_check.LECTURES[lecture_check.HALF :])
def test_lecture_in_browser(notebook, request):
    lecture_check.check_lecture(notebook, request)


def test_machinery_catches_broken_widget(browser, tmp_path):
    """Autoteste da maquinaria, com cadernos de demonstração numa pasta temporária.

    Cadernos bons (widget com controle deslizante; widget só com menu) têm de passar, e o
    kernel tem de ser o Python deste ambiente; um caderno cujo redesenho lança exceção, e
    outro com uma célula que termina em erro, têm de ser reprovados; nenhum kernel pode sobrar.
    """
    lab_tools.write_demo_notebook(tmp_path / "demo.ipynb")
    lab_tools.write_demo_notebook(tmp_path / "menu.ipynb", kind="dropdown")
    lab_tools.write_demo_notebook(tmp_path / "quebrado.ipynb", kind="broken")
    lab_tools.write_demo_notebook(tmp_path / "celula.ipynb", kind="cell_error")
    with lab_tools.start_lab(tmp_path) as lab:
        good = lab_tools.run_lecture_in_browser(browser, lab, "demo.ipynb", tmp_path / "demo.png")
        menu = lab_tools.run_lecture_in_browser(browser, lab, "menu.ipynb")
        bad = lab_tools.run_lecture_in_browser(browser, lab, "quebrado.ipynb")
        cell_err = lab_tools.run_lecture_in_browser(browser, lab, "celula.ipynb")
        sessions = lab.api("GET", "/api/sessions")
    proc_gone = lab.proc.poll() is not None

    if good.problems:
        pytest.fail(_problems_message(good), pytrace=False)
    assert good.redraw_s is not None and good.n_coursekit_widgets == 1 and good.n_widget_views == 2
    # começa no máximo (3.00): a seta para a direita não muda nada, então recua
    assert "Inclinação" in good.control and "3.00 → 2.50" in good.control, good.control
    assert sys.prefix in good.stdout_texts[0], (
        f"o kernel do JupyterLab não é o Python deste ambiente: {good.stdout_texts[:1]} ≠ {sys.prefix}"
    )
    assert (tmp_path / "demo.png").stat().st_size > 10_000

    if menu.problems:
        pytest.fail(_problems_message(menu), pytrace=False)
    assert menu.control.startswith("menu") and menu.redraw_s is not None, menu.control

    assert any("ValueError" in p and "inclinação inválida" in p for p in bad.problems), bad.problems
    # erro numa célula comum: a célula é apontada e as seguintes ficam sem rodar
    assert any("célula 3" in p and "ZeroDivisionError" in p for p in cell_err.problems), cell_err.problems
    assert any("não foi executada" in p for p in cell_err.problems), cell_err.problems
    assert sessions == [], f"kernels não foram encerrados depois de cada caderno: {sessions}"
    assert proc_gone, "o servidor JupyterLab continuou rodando depois do fim do teste"
