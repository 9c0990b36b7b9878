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
from _browser_lab import require_browser  # noqa: E402


@pytest.fixture(scope="session")
def browser_requirements():
    require_browser()


@pytest.fixture(scope="module")
def jupyter_lab(browser_requirements):
    """JupyterLab servindo o repositório em 127.0.0.1; sempre derrubado no fim do módulo.

    Navegador e servidor são por módulo, não por sessão: o Playwright síncrono deixa um laço
    asyncio aberto enquanto vive, e os testes da oficina (mais adiante) também o usam.
    """
    with lab_tools.start_lab(lab_tools.REPO) as lab:
        problem = lab_tools.check_python3_kernelspec(lab)
        if problem:
            pytest.fail(f"Kernel errado no JupyterLab de teste: {problem}", pytrace=False)
        yield lab


@pytest.fixture(scope="module")
def browser(browser_requirements):
    """Um Chromium headless (o do sistema; nunca baixado pelo Playwright)."""
    with lab_tools.launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def browser_context(browser):
    """Contexto compartilhado entre as aulas (reaproveita o cache HTTP do JupyterLab)."""
    ctx = lab_tools.new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    lab_tools.SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return lab_tools.SCREENSHOT_DIR
