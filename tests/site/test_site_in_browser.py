"""O site, os slides e os PDFs num Chromium de verdade, sem internet (todo outro host bloqueado)."""

from __future__ import annotations

import re
from pathlib import Path

import offline
import pages
import pytest

pytestmark = pytest.mark.site

LECTURES = [p.stem for p in pages.lectures()]
EXERCISES = [p.stem for p in sorted((pages.ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))]
SITE_PAGES = (
    ["site/index", "site/como_usar", "site/notacao", "site/_generated/glossario", "site/_generated/baixar"]
    + [f"notebooks/{s}" for s in LECTURES]
    + [f"exercises/{s}" for s in EXERCISES]
)

WAIT_READY = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await Promise.all([...document.images].map(i => i.complete ? null :
      new Promise(r => { i.onload = i.onerror = r; })));
}"""

PAGE_FACTS = """() => {
  const clone = document.querySelector('.bd-article').cloneNode(true);
  clone.querySelectorAll('pre, code, .highlight').forEach(e => e.remove());
  return {
    lang: document.documentElement.lang,
    text: clone.innerText,
    math: document.querySelectorAll('mjx-container').length,
    images: [...document.images].map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0})),
    widgetText: document.body.innerText.includes('Loading widget'),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  };
}"""


def _load(tab, path):
    tab.page.goto(f"{tab.base}{path}.html", wait_until="load")
    tab.page.evaluate(WAIT_READY)
    return tab.page.evaluate(PAGE_FACTS)


def test_every_page_is_built(html_dir):
    missing = [p for p in SITE_PAGES if not (html_dir / f"{p}.html").exists()]
    assert not missing, f"páginas que não foram construídas: {missing}"
    assert len(LECTURES) == 13, LECTURES


def test_no_file_points_to_another_host(html_dir):
    problems = offline.scan(html_dir)
    assert not problems, "recursos de outro servidor:\n" + "\n".join(problems[:30])


def test_offline_scanner_catches_remote_resources(tmp_path):
    """A própria conferência: recursos remotos são achados; links de texto, não."""
    (tmp_path / "a.html").write_text(
        '<script src="https://cdn.example.org/x.js"></script><link rel="stylesheet" href="//fonts.example.org/f.css">'
        '<img src="http://127.0.0.1:8000/ok.png"><iframe src="https://www.youtube.com/embed/x"></iframe>'
        '<a href="https://d2l.ai/">referência</a><div style="background: url(https://x.org/b.png)"></div>',
        encoding="utf-8",
    )
    (tmp_path / "b.css").write_text(
        "@font-face { src: url('https://fonts.gstatic.com/f.woff2'); }", encoding="utf-8"
    )
    found = offline.scan(tmp_path)
    assert len(found) == 5, found
    assert not any("d2l.ai" in f or "127.0.0.1" in f for f in found)


@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_loads_offline(watch, path):
    tab = watch(viewport={"width": 1280, "height": 900})
    facts = _load(tab, path)
    assert tab.problems() == {"bloqueados": [], "falhos": [], "console": []}
    assert facts["lang"] == "pt-BR"
    assert "$$" not in facts["text"], "fórmula sem renderizar ($$) na página"
    assert not re.search(r"(?<![\\\w])\$[^$\s][^$\n]{0,80}\$", facts["text"]), "fórmula inline sem renderizar"
    broken = [i["src"] for i in facts["images"] if not i["ok"]]
    assert not broken, f"imagens que não carregaram: {broken}"
    assert not facts["widgetText"], "widget mostrado como 'Loading widget…'"
    if path.startswith("notebooks/"):
        assert facts["images"], "uma aula executada tem figuras"
        assert facts["math"] > 0 or path.endswith("00_introducao"), "a aula tem fórmulas (MathJax)"


@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_fits_a_phone(watch, path):
    tab = watch(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=1)
    facts = _load(tab, path)
    assert facts["scrollWidth"] <= facts["clientWidth"] + 1, (
        f"a página rola para o lado a 375 px ({facts['scrollWidth']} > {facts['clientWidth']})"
    )


def test_widgets_are_pictures_with_a_note(watch):
    tab = watch(viewport={"width": 1280, "height": 900})
    _load(tab, "notebooks/07_backpropagation")
    text = tab.page.inner_text(".bd-article")
    assert "abra esta aula no JupyterLab" in text
    assert tab.page.locator("script[type='application/vnd.jupyter.widget-view+json']").count() == 0


def test_search_finds_retropropagacao_in_lecture_07(watch):
    tab = watch(viewport={"width": 1280, "height": 900})
    tab.page.goto(f"{tab.base}search.html?q=retropropaga%C3%A7%C3%A3o", wait_until="load")
    tab.page.wait_for_selector("#search-results ul.search li", timeout=30_000)
    tab.page.wait_for_function(
        "() => document.querySelector('#search-results p.search-summary') !== null", timeout=30_000
    )
    links = tab.page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    assert any("notebooks/07_backpropagation.html" in link for link in links), links
    assert tab.problems() == {"bloqueados": [], "falhos": [], "console": []}


def test_dark_mode_switch_changes_the_page(watch):
    tab = watch(viewport={"width": 1280, "height": 900}, color_scheme="light")
    _load(tab, "notebooks/07_backpropagation")
    page = tab.page

    def look():
        return page.evaluate(
            "() => [document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.querySelector('.bd-article p')).color]"
        )

    before = look()
    assert before[0] == "light"
    seen = []
    for _ in range(3):  # o botão alterna claro → escuro → automático
        page.click("button.theme-switch-button")
        seen.append(look())
        if seen[-1][0] == "dark":
            break
    dark = seen[-1]
    assert dark[0] == "dark", seen
    assert dark[1] != before[1] and dark[2] != before[2], (before, dark)
    assert tab.problems() == {"bloqueados": [], "falhos": [], "console": []}


DECK_STATE = """() => {
  const s = Reveal.getCurrentSlide();
  return {h: Reveal.getIndices().h, v: Reveal.getIndices().v, f: Reveal.getIndices().f,
          last: Reveal.isLastSlide() && !Reveal.availableFragments().next,
          over: window.coursekitOverflow(s), zoom: s.dataset.fitted || '',
          inViewport: (() => { let b = 0, r = 0; s.querySelectorAll('*').forEach(e => {
              const x = e.getBoundingClientRect(); if (x.width > 0 && x.height > 0) {
              b = Math.max(b, x.bottom); r = Math.max(r, x.right); } });
              return b <= innerHeight + 1 && r <= innerWidth + 1; })(),
          title: (s.querySelector('h1, h2, h3') || {}).innerText || ''};
}"""


@pytest.mark.parametrize("stem", LECTURES)
def test_deck_steps_to_the_last_slide_without_overflow(watch, html_dir, stem):
    assert (html_dir / "slides" / f"{stem}.html").exists()
    tab = watch(viewport={"width": 1280, "height": 720})
    page = tab.page
    page.goto(f"{tab.base}slides/{stem}.html", wait_until="load")
    page.wait_for_function("() => document.documentElement.dataset.mathReady === '1'", timeout=60_000)
    total = page.evaluate("() => Reveal.getTotalSlides()")
    assert total >= 8, f"só {total} slides"
    # sem fragmentos nem transições: cada slide é medido de uma vez, já com todo o conteúdo visível
    # (o tamanho de um slide não depende de qual fragmento está à mostra)
    page.evaluate(
        "() => Reveal.configure({fragments: false, transition: 'none', backgroundTransition: 'none'})"
    )
    overflow, seen = [], set()
    for _ in range(3000):
        state = page.evaluate(DECK_STATE)
        key = (state["h"], state["v"])
        if key not in seen:
            seen.add(key)
            if state["over"] or not state["inViewport"]:
                overflow.append(f"slide {key} '{state['title'][:40]}' (zoom {state['zoom']})")
        if state["last"]:
            break
        page.evaluate("() => Reveal.next()")
    assert state["last"], "não chegou ao último slide"
    assert len(seen) == total, f"passou por {len(seen)} de {total} slides"
    assert not overflow, "slides maiores que 1280×720:\n" + "\n".join(overflow)
    broken = page.evaluate(
        "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).length"
    )
    assert broken == 0
    assert page.locator("aside.notes").count() >= 3, "notas de quem apresenta"
    assert page.evaluate(
        "() => document.querySelectorAll('.reveal mjx-container').length"
    ) > 0 or stem.startswith("00")
    assert tab.problems() == {"bloqueados": [], "falhos": [], "console": []}


@pytest.mark.parametrize("stem", LECTURES)
def test_pdf_has_text_and_figures(html_dir, stem):
    from pypdf import PdfReader

    path = html_dir / "downloads" / "pdf" / f"{stem}.pdf"
    assert path.exists(), f"PDF não gerado: {path}"
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 2
    text = "".join(page.extract_text() or "" for page in reader.pages)
    title = pages.lecture_title(Path(pages.ROOT / "notebooks" / f"{stem}.ipynb"))
    assert title.split("—")[0].strip() in text, "o título da aula está no PDF"
    assert len(text) > 3000
    n_images = sum(len(page.images) for page in reader.pages)
    assert n_images >= 1, "o PDF tem figuras"
