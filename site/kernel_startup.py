"""Roda no início de cada kernel das aulas no build do site (``PYTHONSTARTUP``).

Cada figura que o backend inline mostra ganha, nos metadados da saída, um texto alternativo
em português (``coursekit.alt``) montado do que a própria figura diz: título geral, título de
cada painel, rótulos dos eixos e legenda. O site, os slides e os PDFs usam esse texto no ``alt``.
"""

import re


def _clean(text):
    text = re.sub(r"\\(mathrm|mathbf|text|operatorname)\{([^}]*)\}", r"\2", text or "")
    text = text.replace("$", "").replace("\\", "").replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).strip()


def figure_alt(fig):
    """Texto alternativo em português para uma figura do matplotlib."""
    parts = []
    sup = getattr(fig, "_suptitle", None)
    head = _clean(sup.get_text()) if sup is not None else ""
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    panels = []
    for ax in axes:
        bits = []
        title = _clean(" ".join(t.get_text() for t in (ax.title, ax._left_title, ax._right_title)))
        if title:
            bits.append(f"«{title}»")
        xl, yl = _clean(ax.get_xlabel()), _clean(ax.get_ylabel())
        if xl:
            bits.append(f"eixo x: {xl}")
        if yl:
            bits.append(f"eixo y: {yl}")
        legend = ax.get_legend()
        if legend is not None:
            names = [_clean(t.get_text()) for t in legend.get_texts()][:6]
            if any(names):
                bits.append("legenda: " + ", ".join(n for n in names if n))
        if bits:
            panels.append("; ".join(bits))
    if len(axes) > 1:
        parts.append(f"Figura com {len(axes)} painéis")
    else:
        parts.append("Gráfico")
    if head:
        parts[0] += f" «{head}»"
    if panels:
        parts.append(" | ".join(panels))
    return ": ".join(parts) + "."


def _install():
    try:
        import matplotlib_inline.backend_inline as inline
    except ImportError:  # pragma: no cover
        return
    original = inline._fetch_figure_metadata

    def with_alt(fig):
        meta = dict(original(fig) or {})
        try:
            meta["coursekit"] = {"alt": figure_alt(fig)}
        except Exception:  # o texto alternativo nunca derruba uma aula
            pass
        return meta

    inline._fetch_figure_metadata = with_alt


_install()
