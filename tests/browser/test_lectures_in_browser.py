"""Cada aula aberta no JupyterLab de verdade, num Chromium headless, como um participante a usa.

Para cada ``notebooks/*.ipynb``: roda todas as células, confere que não há erro, que todos
os widgets renderizaram e que mexer no primeiro controle do widget principal (o primeiro
``.coursekit-widget``) redesenha a figura. Salva ``artifacts/screenshots/<aula>.png``
(caderno inteiro) e ``<aula>-widget.png`` (só o widget principal) para revisão.

Rodar só estes testes::

    pytest -m browser tests/browser -v
"""

from __future__ import annotations

import os
import sys

import _browser_lab as lab_tools  # caminho posto por conftest.py
import pytest

NOTEBOOKS_DIR = lab_tools.REPO / "notebooks"
LECTURES = sorted(p for p in NOTEBOOKS_DIR.glob("*.ipynb") if not p.name.startswith("."))

# Um redesenho no navegador (tecla → nova figura) acima disto é considerado quebrado.
MAX_REDRAW_S = float(os.environ.get("COURSEKIT_BROWSER_MAX_REDRAW", "5"))

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def summary(screenshot_dir):
    """Junta um resumo por aula em ``artifacts/screenshots/resumo.txt``."""
    lines: list[str] = []
    yield lines
    if lines:
        (screenshot_dir / "resumo.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _problems_message(report) -> str:
    msg = [f"Aula {report.path} com problema(s) no JupyterLab (navegador):"]
    msg += [f"  - {p}" for p in report.problems]
    if report.console_errors:
        msg.append("  erros no console do navegador (contexto): " + " | ".join(report.console_errors[:5]))
    if report.screenshot:
        msg.append(f"  captura de tela: {report.screenshot}")
    return "\n".join(msg)


@pytest.mark.parametrize(
    "notebook",
    LECTURES or [None],
    ids=[p.stem for p in LECTURES] or ["sem-aulas"],
)
def test_lecture_in_browser(notebook, request):
    if notebook is None:
        msg = f"Nenhuma aula em {NOTEBOOKS_DIR} (esperado notebooks/NN_tema.ipynb)."
        if lab_tools.in_ci():
            pytest.fail(msg + " No CI o curso precisa ter aulas para testar.", pytrace=False)
        pytest.skip(msg)
    # só agora sobe servidor e navegador (e pula/falha se faltar Chromium)
    jupyter_lab = request.getfixturevalue("jupyter_lab")
    browser = request.getfixturevalue("browser_context")
    screenshot_dir = request.getfixturevalue("screenshot_dir")
    summary = request.getfixturevalue("summary")

    rel = notebook.relative_to(lab_tools.REPO).as_posix()
    report = lab_tools.run_lecture_in_browser(
        browser,
        jupyter_lab,
        rel,
        screenshot=screenshot_dir / f"{notebook.stem}.png",
        widget_screenshot=screenshot_dir / f"{notebook.stem}-widget.png",
    )
    if report.redraw_s is not None and report.redraw_s > MAX_REDRAW_S:
        report.problems.append(
            f"o widget principal levou {report.redraw_s:.1f} s para redesenhar "
            f"(limite {MAX_REDRAW_S:.0f} s; COURSEKIT_BROWSER_MAX_REDRAW)"
        )
    summary.append(report.summary())
    print(report.summary())
    if report.problems:
        pytest.fail(_problems_message(report), pytrace=False)


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
