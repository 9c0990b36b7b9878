"""Fixtures dos testes no navegador (marcados ``browser``).

Um único JupyterLab (raiz = repositório) e um único Chromium headless por sessão de testes.
Sem Chromium ou sem Playwright os testes são pulados com uma mensagem explicando como
ativá-los — exceto com ``CI=true``, quando falham: no CI eles precisam rodar.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _browser_lab as lab_tools  # noqa: E402


def require_browser() -> None:
    """Pula (ou, no CI, falha) se faltar Chromium ou Playwright."""
    missing = lab_tools.missing_requirements()
    if not missing:
        return
    msg = "Testes no navegador desativados: " + "; ".join(missing) + ". " + lab_tools.ENABLE_HELP
    if lab_tools.in_ci():
        pytest.fail("CI=true exige os testes no navegador. " + msg, pytrace=False)
    pytest.skip(msg)


@pytest.fixture(scope="session")
def browser_requirements():
    require_browser()


@pytest.fixture(scope="session")
def jupyter_lab(browser_requirements):
    """JupyterLab servindo o repositório em 127.0.0.1; sempre derrubado no fim da sessão."""
    with lab_tools.start_lab(lab_tools.REPO) as lab:
        problem = lab_tools.check_python3_kernelspec(lab)
        if problem:
            pytest.fail(f"Kernel errado no JupyterLab de teste: {problem}", pytrace=False)
        yield lab


@pytest.fixture(scope="session")
def browser(browser_requirements):
    """Um Chromium headless (o do sistema; nunca baixado pelo Playwright)."""
    with lab_tools.launch_browser() as b:
        yield b


@pytest.fixture(scope="session")
def browser_context(browser):
    """Contexto compartilhado entre as aulas (reaproveita o cache HTTP do JupyterLab)."""
    ctx = lab_tools.new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    lab_tools.SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return lab_tools.SCREENSHOT_DIR
