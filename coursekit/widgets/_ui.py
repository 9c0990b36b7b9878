"""Peças comuns da camada de ipywidgets: formatação de números e o redesenho ao vivo."""

import math


def fmt(value, digits=3):
    """Formata um número para pessoas: ``fmt(0.09999999) == '0.1'``, ``fmt(0.3021978) == '0.302'``.

    Usa ``digits`` algarismos significativos (sem cortar a parte inteira) e nunca notação científica entre 1e-4 e 1e6.
    """
    value = float(value)
    if math.isnan(value):
        return "indefinido"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0"
    if 1e-4 <= abs(value) < 1e6:
        decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
        text = f"{value:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return f"{value:.{digits - 1}e}"


def live_plot(draw, controls, *, figsize=(9, 4), columns=None, header=None):
    """Liga os ``controls`` (dict nome → widget) a ``draw(fig, **valores)``.

    A cada mudança, cria uma figura nova, chama ``draw`` e mostra o resultado. Devolve a
    caixa (``ipywidgets.VBox``) com a classe CSS ``coursekit-widget``, usada pelos testes
    no navegador.
    """
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from IPython.display import display

    def redraw(**values):
        fig = plt.figure(figsize=figsize, layout="constrained")
        draw(fig, **values)
        display(fig)
        plt.close(fig)

    out = w.interactive_output(redraw, controls)
    widgets = list(controls.values())
    per_row = columns or 3
    rows = [w.HBox(widgets[i:i + per_row]) for i in range(0, len(widgets), per_row)]
    children = ([header] if header is not None else []) + rows + [out]
    box = w.VBox(children)
    box.add_class("coursekit-widget")
    return box


def slider(description, value, min, max, step, fmt_spec=".2f", **kwargs):
    """FloatSlider com rótulo em português, largura confortável e leitura sem ruído."""
    import ipywidgets as w

    return w.FloatSlider(
        value=value, min=min, max=max, step=step, description=description,
        readout_format=fmt_spec, continuous_update=False,
        style={"description_width": "initial"}, layout=w.Layout(width="320px"), **kwargs,
    )


def int_slider(description, value, min, max, step=1, **kwargs):
    """IntSlider com rótulo em português."""
    import ipywidgets as w

    return w.IntSlider(
        value=value, min=min, max=max, step=step, description=description,
        continuous_update=False, style={"description_width": "initial"},
        layout=w.Layout(width="320px"), **kwargs,
    )


def dropdown(description, options, value=None, **kwargs):
    """Dropdown com rótulo em português; ``options`` pode ser lista de pares (rótulo, valor)."""
    import ipywidgets as w

    kw = {} if value is None else {"value": value}
    return w.Dropdown(options=options, description=description,
                      style={"description_width": "initial"}, **kw, **kwargs)
