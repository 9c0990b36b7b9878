"""Cada figura que uma aula desenha chega à página, aos slides e ao PDF, com texto alternativo.

O número esperado vem da execução (as saídas guardadas no cache do Jupyter Book), nunca de um
número fixo: uma figura a mais na aula exige uma imagem a mais em cada canal.
"""

from __future__ import annotations

import html
import re

import decks
import figures
import pages
import pytest

pytestmark = pytest.mark.site

LECTURES = pages.lectures()
IMG = re.compile(r"<img\b[^>]*>")
ALT = re.compile(r'\balt="([^"]*)"')


def _alts(text):
    return [html.unescape(m.group(1)) if (m := ALT.search(tag)) else None for tag in IMG.findall(text)]


@pytest.fixture(scope="module")
def executed(html_dir):
    cache = html_dir.parent / ".jupyter_cache"

    def get(path):
        return figures.figure_outputs(decks.executed(cache, path))

    return get


@pytest.mark.parametrize("lecture", LECTURES, ids=[p.stem for p in LECTURES])
def test_every_figure_reaches_page_deck_and_pdf(html_dir, executed, lecture):
    from pypdf import PdfReader

    produced = executed(lecture)
    assert produced, "a aula executada desenha figuras"
    expected = [alt for _, _, alt in produced]
    page = _alts((html_dir / "notebooks" / f"{lecture.stem}.html").read_text(encoding="utf-8"))
    deck = _alts((html_dir / "slides" / f"{lecture.stem}.html").read_text(encoding="utf-8"))
    pdf = PdfReader(str(html_dir / "downloads" / "pdf" / f"{lecture.stem}.pdf"))
    in_pdf = sum(len(p.images) for p in pdf.pages)
    assert (len(page), len(deck), in_pdf) == (len(produced),) * 3, (
        f"figuras: aula {len(produced)}, página {len(page)}, slides {len(deck)}, PDF {in_pdf}"
    )
    # o texto alternativo de cada figura, na ordem da aula, é o que a figura diz (em português)
    assert page == expected
    assert sorted(deck) == sorted(expected)
    for alt in expected:
        assert alt.startswith(("Gráfico", "Figura com", "Estado inicial da demonstração")), alt
        assert "_images" not in alt and ".png" not in alt


def test_alt_text_is_built_from_the_figure():
    """Título geral, título de cada painel, eixos e legenda, em português e sem LaTeX cru."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from kernel_startup import figure_alt

    fig, (a, b) = plt.subplots(1, 2)
    a.plot([0, 1], label=r"$\eta = 0.1$")
    a.legend()
    a.set_title("Perda")
    b.set_xlabel(r"época $t$")
    fig.suptitle("Treino")
    try:
        assert figure_alt(fig) == (
            "Figura com 2 painéis «Treino»: «Perda»; legenda: eta = 0.1 | eixo x: época t."
        )
    finally:
        plt.close(fig)


def test_no_empty_general_index_page(html_dir):
    """O índice geral do Sphinx (genindex) ficaria vazio: não é gerado nem anunciado em página alguma."""
    assert not (html_dir / "genindex.html").exists()
    pages_with_link = [
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if "genindex.html" in p.read_text(encoding="utf-8", errors="replace")
    ]
    assert pages_with_link == []
