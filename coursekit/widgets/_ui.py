"""Peças comuns da camada de ipywidgets: a paleta do curso, formatação de números e o redesenho ao vivo."""

import math
import os

# ----------------------------------------------------------------------------- paleta do curso
# Uma cor, um significado, em todas as aulas (veja "Figuras" na parte 0 do guia de autoria).
# Os widgets usam só estes nomes; cinzas, preto e branco são neutros (eixos, bordas, texto,
# destaque do ponto escolhido) e não carregam significado.

POSITIVE = "#b2182b"
"""Vermelho: valor **positivo** de uma grandeza com sinal (peso, gradiente, ∂Erro/∂w)."""
NEGATIVE = "#2166ac"
"""Azul: valor **negativo** de uma grandeza com sinal."""
SIGNED_CMAP = "RdBu_r"
"""Mapa divergente das grandezas com sinal: azul (negativo) → branco (0) → vermelho (positivo);
use sempre centrado em 0 (``vmin=-m, vmax=m``)."""

CLASS_COLORS = ("#e66101", "#5e3c99")
"""Classificação binária: laranja = classe 0, roxo = classe 1 (nunca vermelho/azul, que são sinal)."""
CLASS_2 = "#01665e"
"""Verde-azulado escuro: a **terceira** classe, só nas figuras com três classes (a Iris inteira);
as duas primeiras continuam ``CLASS_COLORS``."""
CLASS_CMAP = "PuOr"
"""Mapa da probabilidade P(classe 1): laranja (0, classe 0) → branco (0,5) → roxo (1, classe 1);
as pontas são as cores de ``CLASS_COLORS``. Use com ``vmin=0, vmax=1``."""

TRAIN = "#1b9e77"
"""Verde: curvas e números do conjunto de **treino**."""
VALIDATION = "#e7298a"
"""Magenta: curvas e números da **validação** (onde se decide)."""
TEST = "#b8860b"
"""Dourado: o **teste**, medido uma vez, no fim (escuro o bastante para uma linha ser vista
sobre branco: contraste ≥ 3)."""

FORWARD = "#4d4d4d"
"""Cinza-escuro: a ida (forward), valores e ativações."""
BACKWARD = "#8c510a"
"""Marrom: a volta (backward), os gradientes que chegam de trás, como distribuição ou rótulo."""

COUNT_CMAP = "Greys"
"""Contagens (matriz de confusão): cinza, sem matiz, para não competir com as cores acima."""

METHOD_STYLES = (
    ("#000000", "-", "o"),
    ("#3a93d0", "--", "s"),
    ("#cc79a7", "-.", "^"),
    ("#999933", ":", "D"),
    ("#882255", (0, (5, 1, 1, 1)), "v"),
)
"""Métodos comparados numa mesma figura (os otimizadores da aula 10, as perdas da aula 09):
(cor, estilo de linha, marcador) do k-ésimo método, sempre com legenda. Cor, traço e marcador
mudam juntos, então dois métodos nunca se confundem, nem impressos em preto e branco. Só em
figuras sem classes, conjuntos (treino/validação/teste) ou sinal; as cores ficam fora da tabela
acima (azul-celeste, rosa, oliva, vinho), e o primeiro, a referência (a descida do gradiente
simples, o MSE), é preto, neutro nas outras figuras."""

LOG_FLOOR = 1e-12
"""Piso dos gráficos de custo em escala log: abaixo disso, a diferença para o mínimo é
arredondamento (pula entre 0 e uns 10⁻¹⁶) e é desenhada no piso, numa reta, sem log de zero."""

CONTOUR_GRAYS = (0.4, 0.8)
"""Curvas de nível de um custo: o quanto escurecer (0 = branco, 1 = preto) a mais baixa, perto
do mínimo, e a mais alta. Cinza, sem matiz: o caminho e as cores com significado se destacam."""


def contour_colors(n_levels):
    """Cinzas das ``n_levels`` curvas de nível (da mais baixa à mais alta), como textos "0.xx"
    do matplotlib (``contour(..., colors=contour_colors(n))``): claras perto do mínimo, escuras
    onde o custo é alto."""
    import numpy as np

    light, dark = CONTOUR_GRAYS
    return [f"{1 - g:.3f}" for g in np.linspace(light, dark, n_levels)]


def contrast_ratio(color, background="white"):
    """Contraste entre duas cores pela fórmula do WCAG 2 (de 1 a 21): texto pede ao menos 4,5
    (3 se grande), linhas e marcadores que carregam significado, ao menos 3."""
    from matplotlib.colors import to_rgb

    def luminance(c):
        linear = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in to_rgb(c)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    dark, light = sorted((luminance(color), luminance(background)))
    return (light + 0.05) / (dark + 0.05)


def text_color(color, min_contrast=4.5):
    """A mesma cor, escurecida só o bastante para ser lida como **texto** sobre branco
    (contraste ≥ ``min_contrast``): ``text_color(TEST)`` é um dourado-escuro. Linhas e pontos
    continuam com a cor da paleta; um rótulo escrito com ela usa esta versão."""
    from matplotlib.colors import to_hex, to_rgb

    rgb = to_rgb(color)
    factor = 1.0
    while contrast_ratio(tuple(x * factor for x in rgb)) < min_contrast:
        factor -= 0.02
    return to_hex(tuple(x * factor for x in rgb))


def ink_on(background):
    """Preto ou branco, o que tiver mais contraste com ``background``: a cor de um número
    escrito dentro de uma célula colorida (matriz de confusão)."""
    return "black" if contrast_ratio("black", background) >= contrast_ratio("white", background) else "white"


def draw_counts(ax, table, texts=None, fontsize=9, vmax=None, aspect=None):
    """Desenha uma tabela de contagens (matriz de confusão) em cinza (``COUNT_CMAP``), com cada
    contagem não nula escrita na célula (ou, se dado, ``texts[i][j]`` em todas as células), em
    preto ou branco conforme o fundo (``ink_on``). Devolve a imagem, para uma barra de cores."""
    import matplotlib
    import numpy as np

    table = np.asarray(table)
    vmax = table.max() if vmax is None else vmax
    image = ax.imshow(table, cmap=COUNT_CMAP, vmin=0, vmax=vmax, aspect=aspect)
    cmap = matplotlib.colormaps[COUNT_CMAP]
    cells = zip(*np.nonzero(table)) if texts is None else np.ndindex(table.shape)
    for i, j in cells:
        ink = ink_on(cmap(image.norm(table[i, j])))
        text = table[i, j] if texts is None else texts[i][j]
        ax.text(j, i, text, ha="center", va="center", fontsize=fontsize, color=ink)
    return image


def sign_color(value):
    """A cor do sinal de ``value``: ``POSITIVE`` (vermelho) se > 0, ``NEGATIVE`` (azul) se < 0,
    preto se 0 (zero não tem sinal)."""
    if value > 0:
        return POSITIVE
    if value < 0:
        return NEGATIVE
    return "black"


PALETTE = {
    "POSITIVE": (POSITIVE, "grandeza com sinal: positivo"),
    "NEGATIVE": (NEGATIVE, "grandeza com sinal: negativo"),
    "CLASS_0": (CLASS_COLORS[0], "classe 0"),
    "CLASS_1": (CLASS_COLORS[1], "classe 1"),
    "CLASS_2": (CLASS_2, "classe 2 (só com três classes)"),
    "TRAIN": (TRAIN, "treino"),
    "VALIDATION": (VALIDATION, "validação"),
    "TEST": (TEST, "teste"),
    "FORWARD": (FORWARD, "ida: valores e ativações"),
    "BACKWARD": (BACKWARD, "volta: gradientes"),
    **{
        f"METHOD_{k + 1}": (style[0], f"método comparado nº {k + 1}") for k, style in enumerate(METHOD_STYLES)
    },
}
"""nome → (cor, significado): a tabela do guia de autoria; cada cor aparece uma vez só."""


def fmt(value, digits=3):
    """Formata um número para pessoas: ``fmt(0.09999999) == '0.1'``, ``fmt(0.3021978) == '0.302'``.

    Usa ``digits`` algarismos significativos (sem cortar a parte inteira) e nunca notação científica entre 1e-4 e 1e6; fora disso, ``fmt(5.34e-05) == '5.34×10⁻⁵'``.
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
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = str(int(exponent)).translate(_SUPERSCRIPT)
    return f"{mantissa}×10{power}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def log_ticks(lo, hi, max_ticks=6):
    """Marcas "redondas" (1, 2, 5 × 10ᵏ; ou 1, 3; ou só potências de 10) entre ``lo`` e
    ``hi`` (> 0), no máximo umas ``max_ticks``: um eixo log legível e barato de desenhar."""
    k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    for mantissas in ((1, 2, 5), (1, 3), (1,)):
        ticks = [m * 10.0**k for k in range(k0, k1 + 1) for m in mantissas]
        ticks = [t for t in ticks if lo <= t <= hi]
        if len(ticks) <= max_ticks:
            break
    step = max(1, math.ceil(len(ticks) / max_ticks))  # muitas décadas: pula algumas
    return ticks[::step]


def log_tick_label(value, _pos=None):
    """Rótulo de um tique log em texto simples (o mathtext do matplotlib é lento):
    potências de 10 grandes ou pequenas viram ``10⁻⁶``/``10⁴``; o resto, ``fmt`` (0.2, 5, 100)."""
    if not value > 0:
        return ""
    k = math.log10(value)
    if abs(k - round(k)) < 1e-9 and abs(k) >= 3:
        return "10" + str(int(round(k))).translate(_SUPERSCRIPT)
    return fmt(value, digits=2)


def simple_log_axis(axis, lo=None, hi=None):
    """Deixa ``axis`` (ex.: ``ax.yaxis``, já em escala log) com marcas redondas, rótulos
    ``log_tick_label`` e sem marcas menores. Com ``lo``/``hi``, usa ``log_ticks(lo, hi)``."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullFormatter, NullLocator

    axis.set_major_locator(FixedLocator(log_ticks(lo, hi)) if lo and hi else LogLocator(numticks=6))
    axis.set_major_formatter(FuncFormatter(log_tick_label))
    axis.set_minor_locator(NullLocator())
    axis.set_minor_formatter(NullFormatter())


class FigureRenderer:
    """Desenha ``draw(fig, **valores)`` numa figura nova e devolve o PNG.

    O layout "constrained" do matplotlib (que evita rótulos cortados) é caro: mede todos os
    textos a cada desenho. Aqui ele roda só no primeiro desenho de cada arranjo de eixos; nos
    seguintes, as posições calculadas são reaproveitadas, o que corta o tempo do redesenho
    quase pela metade.
    """

    def __init__(self, draw, figsize=(9, 4), dpi=100):
        self.draw, self.figsize, self.dpi = draw, figsize, dpi
        self._positions = {}  # nº de eixos → posições calculadas pelo layout

    def figure(self, **values):
        """A figura desenhada (ainda não rasterizada) e as posições que ela deve usar."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(fig)
        self.draw(fig, **values)
        known = self._positions.get(len(fig.axes))
        if known is not None:
            fig.set_layout_engine("none")
            for ax, pos in zip(fig.axes, known):
                ax.set_position(pos, which="original")
        return fig

    def png(self, **values):
        """Os bytes do PNG de um redesenho com esses valores."""
        import io

        fig = self.figure(**values)
        buf = io.BytesIO()
        # print_png desenha uma vez só (savefig faria uma passada extra por causa do layout) e
        # a compressão leve custa poucos kB a mais e alguns ms a menos
        fig.canvas.print_png(buf, pil_kwargs={"compress_level": 1})
        if len(fig.axes) not in self._positions:
            self._positions[len(fig.axes)] = [ax.get_position(original=True) for ax in fig.axes]
        return buf.getvalue()


def live_plot(draw, controls, *, figsize=(9, 4), columns=None, header=None):
    """Liga os ``controls`` (dict nome → widget) a ``draw(fig, **valores)``.

    A cada mudança, ``draw`` desenha numa figura nova (via ``FigureRenderer``) e a imagem
    aparece na área de saída. Devolve a caixa (``ipywidgets.VBox``) com a classe CSS
    ``coursekit-widget``, usada pelos testes no navegador; ``box.renderer`` é o
    ``FigureRenderer`` (o benchmark dos widgets mede exatamente ele). ``with box.hold():``
    muda vários controles de uma vez (ex.: num observador) com um redesenho só, no fim.
    """
    import contextlib

    import ipywidgets as w
    from IPython.display import Image, display

    renderer = FigureRenderer(draw, figsize)
    held = []

    def redraw(**values):
        if not held:
            display(Image(data=renderer.png(**values), format="png"))

    @contextlib.contextmanager
    def hold():
        held.append(True)
        try:
            yield
        finally:
            held.pop()
            if not held:
                with out:
                    out.clear_output(wait=True)
                    redraw(**{name: c.value for name, c in controls.items()})

    out = w.interactive_output(redraw, controls)
    widgets = list(controls.values())
    per_row = columns or 3
    wrap = w.Layout(flex_flow="row wrap")  # numa janela estreita os controles descem, não somem
    rows = [w.HBox(widgets[i : i + per_row], layout=wrap) for i in range(0, len(widgets), per_row)]
    children = ([header] if header is not None else []) + rows + [out]
    box = w.VBox(children)
    box.add_class("coursekit-widget")
    box.renderer, box.hold = renderer, hold
    if os.environ.get("COURSEKIT_STATIC_WIDGETS"):  # site e slides: uma imagem no lugar do widget
        box._ipython_display_ = lambda: _display_static(box, controls)
    return box


def _display_static(box, controls):
    """Mostra o estado atual do widget como PNG e avisa que ele é interativo no JupyterLab."""
    from IPython.display import Image, Markdown, display

    display(Image(data=box.renderer.png(**{name: c.value for name, c in controls.items()}), format="png"))
    display(Markdown(STATIC_NOTE))


#: a linha mostrada abaixo da imagem de um widget no site e nos slides
STATIC_NOTE = (
    "*Demonstração interativa: aqui aparece o estado inicial; abra esta aula no JupyterLab "
    "para mexer nos controles.*"
)


def control_width(description):
    """Largura de um controle: o rótulo inteiro mais uns 230 px de trilho (nunca espremido)."""
    return f"{max(320, 7 * len(description) + 230)}px"


def slider(description, value, min, max, step, fmt_spec=".2f", **kwargs):
    """FloatSlider com rótulo em português, largura confortável e leitura sem ruído."""
    import ipywidgets as w

    return w.FloatSlider(
        value=value,
        min=min,
        max=max,
        step=step,
        description=description,
        readout_format=fmt_spec,
        continuous_update=False,
        style={"description_width": "initial"},
        layout=w.Layout(width=control_width(description)),
        **kwargs,
    )


def int_slider(description, value, min, max, step=1, **kwargs):
    """IntSlider com rótulo em português."""
    import ipywidgets as w

    return w.IntSlider(
        value=value,
        min=min,
        max=max,
        step=step,
        description=description,
        continuous_update=False,
        style={"description_width": "initial"},
        layout=w.Layout(width=control_width(description)),
        **kwargs,
    )


def dropdown(description, options, value=None, **kwargs):
    """Dropdown com rótulo em português; ``options`` pode ser lista de pares (rótulo, valor)."""
    import ipywidgets as w

    kw = {} if value is None else {"value": value}
    return w.Dropdown(
        options=options, description=description, style={"description_width": "initial"}, **kw, **kwargs
    )
