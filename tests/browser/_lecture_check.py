"""O teste de uma aula no navegador, comum aos dois arquivos de teste (as aulas ficam divididas em
duas metades, uma por arquivo, para o ``pytest -n 2 --dist loadfile`` rodar as duas em paralelo)."""

from __future__ import annotations

import os

import _browser_lab as lab_tools
import pytest

NOTEBOOKS_DIR = lab_tools.REPO / "notebooks"
LECTURES = sorted(p for p in NOTEBOOKS_DIR.glob("*.ipynb") if not p.name.startswith("."))
HALF = (len(LECTURES) + 1) // 2

# Um redesenho no navegador (tecla → nova figura) acima disto é considerado quebrado.
MAX_REDRAW_S = float(os.environ.get("COURSEKIT_BROWSER_MAX_REDRAW", "5"))


def parametrize(lectures):
    """``@pytest.mark.parametrize`` de uma lista de aulas (ou de ``None``, se não houver aulas)."""
    return pytest.mark.parametrize(
        "notebook", lectures or [None], ids=[p.stem for p in lectures] or ["sem-aulas"]
    )


def problems_message(report) -> str:
    msg = [f"Aula {report.path} com problema(s) no JupyterLab (navegador):"]
    msg += [f"  - {p}" for p in report.problems]
    if report.console_errors:
        msg.append("  erros no console do navegador (contexto): " + " | ".join(report.console_errors[:5]))
    if report.screenshot:
        msg.append(f"  captura de tela: {report.screenshot}")
    return "\n".join(msg)


def check_lecture(notebook, request):
    """Roda a aula ``notebook`` no JupyterLab, mexe no widget principal e falha com o que deu errado."""
    if notebook is None:
        msg = f"Nenhuma aula em {NOTEBOOKS_DIR} (esperado notebooks/NN_tema.ipynb)."
        if lab_tools.in_ci():
            pytest.fail(msg + " No CI o curso precisa ter aulas para testar.", pytrace=False)
        pytest.skip(msg)
    # só agora sobe servidor e navegador (e pula/falha se faltar Chromium)
    jupyter_lab = request.getfixturevalue("jupyter_lab")
    browser = request.getfixturevalue("browser_context")
    screenshot_dir = request.getfixturevalue("screenshot_dir")

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
    (screenshot_dir / f"{notebook.stem}-resumo.txt").write_text(report.summary() + "\n", encoding="utf-8")
    print(report.summary())
    if report.problems:
        pytest.fail(problems_message(report), pytrace=False)
