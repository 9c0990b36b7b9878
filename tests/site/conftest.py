"""Testes do site, dos slides e dos PDFs (marca ``site``), sobre o que ``site/build.py`` construiu.

Sem o site construído (``site/_build/html``) os testes que precisam dele são pulados com uma
mensagem; com ``COURSEKIT_SITE_REQUIRED=1`` (o passo do site em ``.ci/run``) eles falham.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
HTML = SITE / "_build" / "html"
sys.path.insert(0, str(SITE))


def _need(condition, message):
    if condition:
        return
    if os.environ.get("COURSEKIT_SITE_REQUIRED") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def html_dir():
    _need((HTML / "index.html").exists(), f"site não construído em {HTML}: rode `python site/build.py`")
    return HTML


# Por módulo, não por sessão: o Playwright síncrono deixa um laço asyncio rodando enquanto está
# aberto, e os testes que vêm depois (a oficina) também usam o Playwright síncrono.
@pytest.fixture(scope="module")
def chromium(html_dir):
    path = os.environ.get("COURSEKIT_CHROMIUM", "/usr/bin/chromium")
    _need(Path(path).exists(), f"Chromium não encontrado em {path}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        _need(False, 'Playwright não instalado: pip install -e ".[site]"')
    from pdfs import CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def server(html_dir):
    from serve import serve

    with serve(html_dir) as url:
        yield url


class Watch:
    """Uma aba do Chromium que bloqueia e conta todo pedido a outro host, e anota erros."""

    def __init__(self, browser, base, **context):
        self.base = base
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.blocked, self.failed, self.console = [], [], []
        self.page.route("**/*", self._route)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on(
            "response",
            lambda r: self.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
        )
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.base, "data:", "blob:")):
            return route.continue_()
        self.blocked.append(url)
        return route.abort()

    def reset(self):
        self.blocked.clear()
        self.failed.clear()
        self.console.clear()

    def problems(self):
        # um pedido bloqueado também aparece como falho: conta uma vez só
        failed = [f for f in self.failed if not any(f.startswith(b) for b in self.blocked)]
        return {"bloqueados": list(self.blocked), "falhos": failed, "console": list(self.console)}

    def close(self):
        self.context.close()


@pytest.fixture
def watch(server, chromium):
    tabs = []

    def make(**context):
        tab = Watch(chromium, server, **context)
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.close()
