"""A anotação dos slides (site/annotate_slides.py) e as páginas geradas: sem precisar do site."""

from __future__ import annotations

import annotate_slides
import decks
import nbformat
import pages
import pytest


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        maker = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        nb.cells.append(maker(source))
    return nb


def test_lecture_notebooks_are_annotated():
    assert annotate_slides.main(["--check"]) == 0, "rode python site/annotate_slides.py"


def test_rules_derive_from_content():
    nb = _nb(
        ("md", "# Aula 99 — Teste\n\nUma aula de teste."),
        ("code", "import numpy as np\nimport matplotlib.pyplot as plt"),
        ("md", "## 1. Seção\n\nTexto curto."),
        ("code", "x = np.arange(3)\nprint(x.sum())"),
        ("code", "# código do desenho — pode pular\nfig, ax = plt.subplots()\nax.plot(x)\nplt.show()"),
        ("code", "fig, ax = plt.subplots()\nax.plot(x, x**2)\nax.set_title('t')\nplt.show()"),
        ("md", "### Detalhe\n\nMais texto."),
        ("md", "**Notas para quem apresenta:** pergunte à turma o que acontece com x."),
        ("md", "## Teste-se\n\n1. Pergunta?"),
    )
    annotate_slides.annotate(nb)
    kinds = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
    assert kinds == [
        "slide",
        "skip",
        "slide",
        "fragment",
        "subslide",
        "subslide",
        "subslide",
        "notes",
        "slide",
    ]
    hidden = ["hide-input" in c.metadata.get("tags", []) for c in nb.cells]
    assert hidden == [False, False, False, False, True, True, False, False, False]
    assert nb.cells[7].metadata["tags"] == ["remove-cell"]
    notes = [c.metadata.get("coursekit", {}).get("notes") for c in nb.cells]
    assert notes[0] and "Abertura" in notes[0]
    assert notes[2] is None, "a seção 1 já tem nota própria"
    assert notes[8] and "minuto" in notes[8]


def test_idempotent_preserves_and_resets():
    nb = _nb(("md", "## A\n\ntexto"), ("code", "y = 1 + 1\nprint(y)"), ("md", "## B\n\ntexto"))
    nb.cells[1].metadata["slideshow"] = {"slide_type": "slide"}  # escolhido à mão
    nb.cells[2].metadata["tags"] = ["minha-tag"]
    annotate_slides.annotate(nb)
    once = nbformat.writes(nb)
    assert annotate_slides.annotate(nb) == 0
    assert nbformat.writes(nb) == once
    assert nb.cells[1].metadata["slideshow"] == {"slide_type": "slide"}
    assert nb.cells[2].metadata["tags"] == ["minha-tag"]
    annotate_slides.annotate(nb, reset=True)
    assert nb.cells[1].metadata["slideshow"] == {"slide_type": "slide"}, "--reset só refaz o automático"
    assert nb.cells[0].metadata["slideshow"] == {"slide_type": "slide"}


def test_drawing_detection():
    assert annotate_slides.is_drawing_code("fig, ax = plt.subplots()\nbp.draw_network(ax)\nplt.show()")
    assert not annotate_slides.is_drawing_code("w = fit(X)\nplt.plot(w)\nplt.show()")
    assert annotate_slides.is_import_only("import numpy as np\nnp.set_printoptions(precision=3)")
    assert not annotate_slides.is_import_only("import numpy as np\nx = np.ones(3)")


def test_long_markdown_is_split_only_in_the_deck():
    long = "## Erros comuns\n\n" + "\n".join(f"* **Erro {i}.** " + "explicação " * 12 for i in range(30))
    nb = _nb(("md", long))
    nb.cells[0].metadata["slideshow"] = {"slide_type": "slide"}
    out = decks.split_long_cells(nbformat.from_dict(nb))
    assert len(out.cells) >= 3
    assert out.cells[0].metadata["slideshow"]["slide_type"] == "slide"
    assert all(c.metadata["slideshow"]["slide_type"] == "subslide" for c in out.cells[1:])
    assert "Erro 29" in out.cells[-1].source and "continuação" in out.cells[-1].source
    assert len({c.id for c in out.cells}) == len(out.cells)


def test_long_hidden_answers_are_split_into_several_details_in_the_deck():
    items = "\n".join(f"{i}. **Resposta {i}:** " + "uma explicação longa " * 8 for i in range(1, 9))
    source = (
        "## Experimentos\n\n<details><summary>Respostas</summary>\n\n" + items + "\n\nFim.\n\n</details>\n"
    )
    nb = _nb(("md", source))
    nb.cells[0].metadata["slideshow"] = {"slide_type": "slide"}
    out = decks.split_long_cells(nbformat.from_dict(nb))
    parts = [c.source for c in out.cells]
    details = [p for p in parts if "<details>" in p]
    assert len(details) >= 2, parts
    for k, part in enumerate(details, 1):
        assert part.count("<details>") == part.count("</details>") == 1
        assert f"<summary>Respostas ({k}/{len(details)})</summary>" in part
        body = part.split("<details>")[1]
        assert len(body) <= decks.SLIDE_CHARS, (k, len(body))
    joined = "\n".join(details)
    assert all(f"**Resposta {i}:**" in joined for i in range(1, 9)) and "Fim." in details[-1]
    # uma resposta curta continua inteira
    short = "<details><summary>Resposta</summary>\n\nCurta.\n\n</details>"
    assert decks._blocks(short) == [short]


def test_glossary_has_every_lecture_and_links():
    text = pages.glossary_markdown()
    for path in pages.lectures():
        assert f"</notebooks/{path.stem}>" in text
    assert "| retropropagação | backpropagation | {doc}`Aula 07 </notebooks/07_backpropagation>` |" in text
    assert "| backpropagation | retropropagação |" in text


def test_glossary_rejects_a_lecture_without_table(tmp_path):
    nb = _nb(("md", "# Aula\n\n## Glossário\n\nnada aqui"))
    path = tmp_path / "99_x.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="tabela"):
        pages.glossary_rows(path)
