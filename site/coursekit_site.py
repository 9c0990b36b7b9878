"""Extensão Sphinx local do site: tira do HTML o que buscaria arquivos na internet e deixa a
busca indiferente a acentos.

O Jupyter Book carrega sempre o sphinx-thebe, que põe em toda página um script que aponta para
um CDN (e, por um defeito, o põe duas vezes, o que dá erro no console). O site não usa o thebe
(as aulas rodam no JupyterLab), então os arquivos dele saem de cada página.
"""


def _drop_thebe(app, pagename, templatename, context, doctree):
    def keep(asset):
        name = getattr(asset, "filename", None) or str(asset)
        body = getattr(asset, "attributes", {}).get("body", "") if hasattr(asset, "attributes") else ""
        return "thebe" not in (name or "").lower() and "THEBE" not in (body or "")

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if keep(asset)]


def fold(word):
    """A palavra sem acentos nem cedilha: "retropropagação" → "retropropagacao"."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _folded_portuguese():
    from sphinx.search.pt import SearchPortuguese

    class SearchPortugueseFolded(SearchPortuguese):
        """Português, com as palavras do índice sem acento antes do radical (o coursekit.js faz
        o mesmo com a consulta): a busca acha com ou sem acentos."""

        def stem(self, word):
            return super().stem(fold(word.lower()))

    return SearchPortugueseFolded


def setup(app):
    from sphinx.search import languages

    languages["pt"] = _folded_portuguese()
    # muda quando o índice de busca muda de formato: o Sphinx refaz todas as páginas e o índice
    app.add_config_value("coursekit_search_index", "sem-acentos-1", "html")
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
