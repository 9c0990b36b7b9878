"""O site, os slides e os PDFs num Chromium de verdade, sem internet (todo outro host bloqueado)."""

from __future__ import annotations

import contextlib
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


AXE = pages.ROOT / "site" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.nodes[0].target.join(' ')}`);
}"""


def _axe(tab):
    """As violações graves ou críticas de WCAG 2.2 AA (axe-core) na página aberta."""
    assert AXE.exists(), "axe-core não encontrado: rode `npm ci --prefix site`"
    tab.page.add_script_tag(path=str(AXE))
    return tab.page.evaluate(AXE_RUN)


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
    assert _axe(tab) == [], "violações de acessibilidade (WCAG 2.2 AA)"


def test_root_page_has_language_and_title(html_dir):
    text = (html_dir / "index.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR">' in text
    assert re.search(r"<title>[^<]{10,}</title>", text)
    assert "url=site/index.html" in text and 'href="site/index.html"' in text


@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_fits_a_phone(watch, path):
    tab = watch(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=1)
    facts = _load(tab, path)
    assert facts["scrollWidth"] <= facts["clientWidth"] + 1, (
        f"a página rola para o lado a 375 px ({facts['scrollWidth']} > {facts['clientWidth']})"
    )
    page = tab.page
    page.evaluate("() => coursekitMarkScrollables()")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('.bd-article mjx-container[display="true"], .bd-article table')]
             .filter(e => e.scrollWidth > e.clientWidth + 1)
             .map(e => e.classList.contains('ck-scrollable') && e.tabIndex === 0
                       && (e.parentElement.matches('div.math') ? e.parentElement : e)
                            .nextElementSibling.classList.contains('ck-scroll-hint'))"""
    )
    assert all(wide), "fórmula ou tabela larga sem o aviso de que rola para o lado"
    figures = page.evaluate(
        "() => [...document.querySelectorAll('.bd-article .cell_output img')]"
        ".map(i => !!i.closest('a') && i.closest('a').href === i.src)"
    )
    assert all(figures), "figura que não abre em tamanho real num toque"
    if path.startswith("notebooks/"):
        assert figures, "a aula tem figuras"


def test_widgets_are_pictures_with_a_note(watch):
    tab = watch(viewport={"width": 1280, "height": 900})
    _load(tab, "notebooks/07_backpropagation")
    text = tab.page.inner_text(".bd-article")
    assert "abra esta aula no JupyterLab" in text
    assert tab.page.locator("script[type='application/vnd.jupyter.widget-view+json']").count() == 0


def _search(tab, query):
    tab.page.goto(f"{tab.base}search.html?q={query}", wait_until="load")
    tab.page.wait_for_function(
        "() => document.querySelector('#search-results p.search-summary') !== null", timeout=30_000
    )
    tab.page.wait_for_timeout(500)  # os trechos chegam depois, página por página
    return tab.page.eval_on_selector_all(
        "#search-results ul.search li", "els => els.map(e => [e.querySelector('a').href, e.innerText])"
    )


@pytest.mark.parametrize("query", ["retropropaga%C3%A7%C3%A3o", "retropropagacao", "RETROPROPAGACAO"])
def test_search_finds_lecture_07_with_or_without_accents(watch, query):
    tab = watch(viewport={"width": 1280, "height": 900})
    results = _search(tab, query)
    assert any("notebooks/07_backpropagation.html" in link for link, _ in results), results
    assert tab.problems() == {"bloqueados": [], "falhos": [], "console": []}


def test_search_with_and_without_accents_finds_the_same_pages(watch):
    tab = watch(viewport={"width": 1280, "height": 900})
    accented = sorted(link for link, _ in _search(tab, "regulariza%C3%A7%C3%A3o"))
    plain = sorted(link for link, _ in _search(tab, "regularizacao"))
    assert len(accented) >= 2 and set(accented) <= set(plain)  # sem acento acha também os nomes de arquivo


def test_search_snippets_have_no_raw_latex(watch):
    tab = watch(viewport={"width": 1280, "height": 900})
    results = _search(tab, "gradiente")
    tab.page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results ul.search li p.context')].length >= 3",
        timeout=30_000,
    )
    snippets = tab.page.eval_on_selector_all(
        "#search-results ul.search li p.context", "els => els.map(e => e.innerText)"
    )
    assert len(results) >= 5 and snippets
    for text in snippets:
        assert not re.search(r"\\(frac|mathbf|sum|partial|theta)|\$", text), text


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
    assert _axe(tab) == [], "violações de acessibilidade no modo escuro"
    assert tab.problems() == {"bloqueados": [], "falhos": [], "console": []}


DECK_STATE = """() => {
  const s = Reveal.getCurrentSlide();
  const k = parseFloat(s.dataset.fitted || '1');
  let smallest = 999, chars = 0;
  const walker = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('aside.notes, mjx-assistive-mml, script, style')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize) * k);
    if (!el.closest('mjx-container')) chars += n.textContent.trim().length;
  }
  return {h: Reveal.getIndices().h, v: Reveal.getIndices().v, f: Reveal.getIndices().f,
          index: Reveal.getSlidePastCount(), last: Reveal.isLastSlide() && !Reveal.availableFragments().next,
          over: window.coursekitOverflow(s), zoom: s.dataset.fitted || '', smallest, chars,
          inViewport: (() => { let b = 0, r = 0; s.querySelectorAll('*').forEach(e => {
              if (e.closest('mjx-assistive-mml, aside.notes')) return;
              const x = e.getBoundingClientRect(); if (x.width > 0 && x.height > 0) {
              b = Math.max(b, x.bottom); r = Math.max(r, x.right); } });
              return b <= innerHeight + 1 && r <= innerWidth + 1; })(),
          title: (s.querySelector('h1, h2, h3') || {}).innerText || ''};
}"""

#: menor fonte legível num slide de 1280×720 projetado (px do slide, já com a redução do ajuste)
MIN_FONT_PX = 16
#: texto máximo de um slide (o gerador parte em ~900 caracteres de markdown)
MAX_SLIDE_CHARS = 1000


def _open_deck(tab, stem):
    page = tab.page
    page.goto(f"{tab.base}slides/{stem}.html", wait_until="load")
    page.wait_for_function("() => document.documentElement.dataset.mathReady === '1'", timeout=60_000)
    return page


@pytest.mark.parametrize("stem", LECTURES)
def test_deck_steps_to_the_last_slide_with_the_right_arrow(watch, html_dir, stem):
    """Só a tecla →, do primeiro ao último slide, cada um uma vez, em ordem, legível e sem sobrar."""
    assert (html_dir / "slides" / f"{stem}.html").exists()
    tab = watch(viewport={"width": 1280, "height": 720})
    page = _open_deck(tab, stem)
    assert page.evaluate("() => document.documentElement.lang") == "pt-BR"
    total = page.evaluate("() => Reveal.getTotalSlides()")
    assert total >= 8, f"só {total} slides"
    # sem fragmentos nem transições: cada → é um slide novo, medido já com todo o conteúdo visível
    page.evaluate(
        "() => Reveal.configure({fragments: false, transition: 'none', backgroundTransition: 'none'})"
    )
    problems, order = [], []
    for _ in range(total + 5):
        state = page.evaluate(DECK_STATE)
        order.append(state["index"])
        where = f"slide {state['index'] + 1}/{total} '{state['title'][:40]}' (zoom {state['zoom']})"
        if state["over"] or not state["inViewport"]:
            problems.append(f"{where}: maior que 1280×720")
        if state["smallest"] < MIN_FONT_PX:
            problems.append(f"{where}: texto de {state['smallest']:.1f} px")
        if state["chars"] > MAX_SLIDE_CHARS:
            problems.append(f"{where}: {state['chars']} caracteres")
        if state["last"]:
            break
        page.keyboard.press("ArrowRight")
    assert state["last"], "não chegou ao último slide só com →"
    assert order == list(range(total)), f"→ não passa por todos os slides em ordem: {order}"
    assert not problems, "slides difíceis de ler numa sala:\n" + "\n".join(problems)
    broken = page.evaluate(
        "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).length"
    )
    assert broken == 0
    assert page.locator("aside.notes").count() >= 3, "notas de quem apresenta"
    assert _axe(tab) == [], "violações de acessibilidade (WCAG 2.2 AA) no deck"
    assert page.evaluate(
        "() => document.querySelectorAll('.reveal mjx-container').length"
    ) > 0 or stem.startswith("00")
    assert tab.problems() == {"bloqueados": [], "falhos": [], "console": []}


@pytest.mark.parametrize("stem", LECTURES)
def test_every_slide_of_the_deck_passes_axe(watch, stem):
    """O axe em **todos** os slides de uma vez: na apresentação normal o reveal.js esconde (e tira
    do axe) os slides fora da tela; no modo de impressão (``?print-pdf``), cada slide vira uma
    página visível, e aqui todos são mostrados também à tecnologia assistiva."""
    tab = watch(viewport={"width": 1280, "height": 720})
    page = tab.page
    page.goto(f"{tab.base}slides/{stem}.html?print-pdf", wait_until="load")
    page.wait_for_function("() => document.documentElement.dataset.mathReady === '1'", timeout=60_000)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # O reveal.js monta as páginas de impressão (.pdf-page) depois do "ready", tirando os slides
    # das pilhas verticais (que ficam vazias, class "stack"); no meio da montagem o
    # Reveal.getTotalSlides() chega a dar 0. A conta é feita nas folhas (section sem section
    # dentro, fora as pilhas vazias): uma página por slide, todas visíveis.
    count = (
        "() => { const leaves = [...document.querySelectorAll('.slides section')]"
        ".filter(s => !s.querySelector('section') && !s.classList.contains('stack'));"
        " leaves.forEach(s => { s.removeAttribute('aria-hidden'); s.removeAttribute('hidden'); });"
        " return {pages: document.querySelectorAll('.pdf-page').length, leaves: leaves.length,"
        " visible: leaves.filter(s => s.getBoundingClientRect().height > 0).length}; }"
    )
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            f"() => {{ const c = ({count})(); return c.leaves > 0 && c.pages === c.leaves && c.visible === c.leaves; }}",
            timeout=30_000,
        )
    state = page.evaluate(count)
    assert state["pages"] == state["leaves"], f"o modo de impressão não montou uma página por slide: {state}"
    assert state["leaves"] >= 20, state  # um deck de verdade (o menor tem dezenas de slides)
    assert state["visible"] == state["leaves"], f"nem todo slide ficou visível: {state}"
    assert _axe(tab) == [], "violações de acessibilidade (WCAG 2.2 AA) em algum slide"
    # o teste enxerga uma violação de verdade: números do código no verde claro original do tema
    page.add_style_tag(
        content=".reveal .highlight .mi, .reveal .highlight .mf { color: #00aa00 !important; }"
    )
    if page.locator(".reveal .highlight .mi, .reveal .highlight .mf").count():
        assert any(v.startswith("color-contrast") for v in page.evaluate(AXE_RUN))


def test_deck_keys_of_a_clicker_go_back_and_forth(watch):
    """PageDown/PageUp (o passador) e ← andam um slide de cada vez, inclusive entre subslides."""
    tab = watch(viewport={"width": 1280, "height": 720})
    page = _open_deck(tab, LECTURES[7])
    index = "() => Reveal.getSlidePastCount()"
    page.evaluate("() => Reveal.configure({fragments: false})")
    for _ in range(4):
        page.keyboard.press("PageDown")
    assert page.evaluate(index) == 4
    page.keyboard.press("PageUp")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(index) == 2


def test_speaker_view_is_in_portuguese(html_dir):
    js = (html_dir / "slides" / "reveal.js" / "plugin" / "notes" / "notes.js").read_text(encoding="utf-8")
    for english in (">Upcoming<", ">Notes<", "Click to Reset", 'lang=\\"en\\"'):
        assert english not in js, english
    assert ">Próximo slide<" in js and ">Notas<" in js


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
    assert "Mostrar o código" not in text and "Esconder o código" not in text, "botões do site no PDF"

    def titles(items):
        for item in items:
            yield from titles(item) if isinstance(item, list) else [item.title]

    bookmarks = list(titles(reader.outline))
    assert len(bookmarks) >= 5, f"marcadores (bookmarks) do PDF: {bookmarks}"
    assert any(title.split("—")[0].strip() in b for b in bookmarks), bookmarks
