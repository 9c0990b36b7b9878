"""PDF de cada aula: a página do site impressa no Chromium (Playwright), com figuras e fórmulas."""

from __future__ import annotations

import os
from pathlib import Path

from serve import serve

#: os argumentos do Chromium headless do projeto (os testes no navegador usam os mesmos)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def chromium_path():
    path = os.environ.get("COURSEKIT_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        raise SystemExit(
            f"Chromium não encontrado em {path} (instale o pacote chromium ou defina COURSEKIT_CHROMIUM)."
        )
    return path


def block_remote(route):
    """Só o servidor local responde: qualquer outro host é bloqueado."""
    if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
        return route.continue_()
    return route.abort()


def wait_ready(page):
    """Espera as fórmulas (MathJax) e as imagens da página."""
    page.wait_for_function(
        "() => !window.MathJax || (MathJax.startup && MathJax.startup.promise && "
        "MathJax.startup.document && MathJax.startup.document.processed !== undefined)",
        timeout=60_000,
    )
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    page.evaluate(
        "() => Promise.all([...document.images].map(i => i.complete ? null :"
        " new Promise(r => { i.onload = i.onerror = r; })))"
    )


def print_all(html_dir, out_dir, stems):
    from playwright.sync_api import sync_playwright

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with serve(html_dir) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.route("**/*", block_remote)
            for stem in stems:
                page.goto(f"{url}notebooks/{stem}.html", wait_until="load")
                wait_ready(page)
                page.emulate_media(media="print")
                page.pdf(
                    path=str(out_dir / f"{stem}.pdf"),
                    format="A4",
                    print_background=True,
                    outline=True,  # marcadores (bookmarks) com os títulos das seções
                    tagged=True,  # PDF marcado (estrutura para leitores de tela)
                    margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=(
                        '<div style="font-size:8px;width:100%;text-align:center;color:#666">'
                        '<span class="title"></span> — <span class="pageNumber"></span>/<span class="totalPages"></span></div>'
                    ),
                )
                page.emulate_media(media="screen")
        finally:
            browser.close()
