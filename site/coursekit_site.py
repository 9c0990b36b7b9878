"""Extensão Sphinx local do site: tira do HTML o que buscaria arquivos na internet.

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


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
