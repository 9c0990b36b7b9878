"""A camada comum dos widgets: formatação de números e o redesenho com layout reaproveitado."""

import numpy as np
import pytest
from matplotlib.layout_engine import ConstrainedLayoutEngine

from coursekit.widgets._ui import (
    FigureRenderer,
    control_width,
    fmt,
    live_plot,
    log_tick_label,
    log_ticks,
    simple_log_axis,
    slider,
)


@pytest.mark.parametrize(
    "value, text",
    [
        (0.09999999, "0.1"),
        (0.3021978, "0.302"),
        (10.569230769, "10.6"),
        (1234.5, "1234"),
        (-0.5, "-0.5"),
        (12.0, "12"),
        (0.0, "0"),
        (0.00012345, "0.000123"),
        (5.34e-05, "5.34×10⁻⁵"),
        (3e8, "3×10⁸"),
        (float("nan"), "indefinido"),
        (float("inf"), "∞"),
    ],
)
def test_fmt_reads_like_a_person_writes(value, text):
    assert fmt(value) == text


def constrained(fig):
    return isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)


def two_panels(fig, slope=1.0):
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot([0, 1], [0, slope])
    ax1.set_title(f"inclinação {fmt(slope)}")
    ax2.bar(["a", "b"], [1, slope])
    return {"slope": slope}


def test_renderer_reuses_the_first_layout():
    renderer = FigureRenderer(two_panels, figsize=(6, 3))
    first = renderer.png(slope=1.0)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    laid_out = [ax.get_position(original=True).bounds for ax in renderer.figure(slope=2.0).axes]
    fig = renderer.figure(slope=2.0)
    assert not constrained(fig)  # sem recalcular o layout
    assert [ax.get_position(original=True).bounds for ax in fig.axes] == laid_out
    # o layout reaproveitado é o mesmo que o constrained calcularia de novo
    fresh = FigureRenderer(two_panels, figsize=(6, 3))
    fresh.png(slope=2.0)
    np.testing.assert_allclose(
        laid_out, [ax.get_position(original=True).bounds for ax in fresh.figure(slope=2.0).axes], atol=0.02
    )
    assert renderer.png(slope=2.0) != first  # o desenho muda com o parâmetro


def test_renderer_lays_out_again_when_axes_change():
    def panels(fig, n=1):
        fig.subplots(1, n)

    renderer = FigureRenderer(panels, figsize=(6, 3))
    renderer.png(n=1)
    fig = renderer.figure(n=2)
    assert constrained(fig)  # arranjo novo: layout calculado de novo
    renderer.png(n=2)
    assert not constrained(renderer.figure(n=2))


def test_live_plot_box_and_controls():
    box = live_plot(two_panels, {"slope": slider("inclinação da reta", 1.0, -2, 2, 0.1)})
    assert "coursekit-widget" in box._dom_classes
    assert isinstance(box.renderer, FigureRenderer)
    assert control_width("x") == "320px"
    assert int(control_width("um rótulo bem comprido para um controle")[:-2]) > 320


def test_log_ticks_are_round_and_few():
    np.testing.assert_allclose(log_ticks(0.05, 2000), [0.1, 1, 10, 100, 1000])
    np.testing.assert_allclose(log_ticks(0.08, 0.6), [0.1, 0.2, 0.5])
    for lo, hi in ((0.09, 4.5), (0.09, 1e7), (1.0, 1.5), (1e-7, 1e7)):
        ticks = log_ticks(lo, hi)
        assert 1 <= len(ticks) <= 6 and all(lo <= t <= hi for t in ticks)


def test_log_tick_labels_are_plain_text():
    values = (0.1, 1, 10, 1e-5, 1e4, 0.2, 5.0, 100.0, 0.0)
    assert [log_tick_label(v) for v in values] == ["0.1", "1", "10", "10⁻⁵", "10⁴", "0.2", "5", "100", ""]


def test_simple_log_axis_has_no_minor_ticks_and_no_mathtext():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    ax.semilogy([1, 2, 3], [1e-6, 1e-2, 3.0])
    simple_log_axis(ax.yaxis, 1e-6, 3.0)
    labels = [ax.yaxis.get_major_formatter()(t) for t in ax.get_yticks()]
    assert labels == ["10⁻⁶", "10⁻⁴", "0.01", "1"]  # 7 décadas: uma sim, outra não
    assert ax.yaxis.get_minor_locator()() == []


def test_hold_batches_several_changes_into_one_redraw():
    calls = []

    def counting(fig, a=0.0, b=0.0):
        calls.append((a, b))
        fig.subplots().plot([0, 1], [a, b])

    controls = {"a": slider("a", 0.0, -1, 1, 0.1), "b": slider("b", 0.0, -1, 1, 0.1)}
    box = live_plot(counting, controls)
    calls.clear()
    controls["a"].value = 0.5
    assert calls == [(0.5, 0.0)]  # sem hold: cada mudança redesenha
    calls.clear()
    with box.hold():
        controls["a"].value = 0.2
        controls["b"].value = 0.3
    assert calls == [(0.2, 0.3)]  # com hold: um redesenho só, com os valores finais


def _widget_modules():
    import importlib
    import pkgutil

    import coursekit.widgets as pkg

    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"coursekit.widgets.{name}") for name in names]


@pytest.mark.parametrize("module", _widget_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_demo_renders_at_its_defaults(module):
    """O contrato de cada módulo de widget com o benchmark e o navegador: DEMOS com
    (draw, kwargs, figsize), figura que cabe no notebook, e um PNG desenhado nos padrões."""
    assert module.DEMOS and module.TRAINING_DEMOS <= set(module.DEMOS)
    for name, (draw, kwargs, figsize) in module.DEMOS.items():
        assert figsize[0] <= 9.5, f"{name}: figura larga demais para o notebook"
        png = FigureRenderer(draw, figsize).png(**kwargs)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000


# ------------------------------------------------------------------ a paleta do curso
def test_paleta_uma_cor_um_significado():
    import matplotlib
    from matplotlib.colors import to_rgb

    from coursekit.widgets import _ui

    cores = [to_rgb(cor) for cor, _ in _ui.PALETTE.values()]
    assert len(set(cores)) == len(cores)  # nenhuma cor com dois significados
    assert set(_ui.PALETTE) >= {"POSITIVE", "NEGATIVE", "CLASS_0", "CLASS_1", "TRAIN", "VALIDATION", "TEST"}
    r, _, b = to_rgb(_ui.POSITIVE)
    assert r > b  # positivo = vermelho
    r, _, b = to_rgb(_ui.NEGATIVE)
    assert b > r  # negativo = azul
    signed = matplotlib.colormaps[_ui.SIGNED_CMAP]
    assert signed(1.0)[0] > signed(1.0)[2] and signed(0.0)[2] > signed(0.0)[0]  # o mesmo sentido
    classes = matplotlib.colormaps[_ui.CLASS_CMAP]
    for p, cor in ((0.0, _ui.CLASS_COLORS[0]), (1.0, _ui.CLASS_COLORS[1])):
        # as pontas do mapa das classes têm o matiz da cor da classe (laranja: R > B; roxo: B > G)
        assert (classes(p)[0] > classes(p)[2]) == (to_rgb(cor)[0] > to_rgb(cor)[2])
    import coursekit.widgets as pkg

    assert pkg.PALETTE is _ui.PALETTE and pkg.CLASS_CMAP == _ui.CLASS_CMAP  # as aulas importam daqui


#: todos os módulos de widget (um módulo novo entra sozinho e também tem de usar só a paleta)
PALETTE_MODULES = tuple(
    sorted(
        m.name
        for m in __import__("pkgutil").iter_modules(__import__("coursekit.widgets").widgets.__path__)
        if not m.name.startswith("_")
    )
)


_COLOR_LITERAL = __import__("re").compile(
    r"""["'](?:tab:\w+|C\d|\#[0-9a-fA-F]{3,8}|red|blue|green|orange|purple|gold|firebrick|darkgreen|"""
    r"""lightyellow|olive|crimson|navy|RdBu(?:_r)?|bwr|coolwarm|seismic|Blues|Reds|Greens|viridis)["']"""
)


@pytest.mark.parametrize("name", PALETTE_MODULES)
def test_widgets_usam_a_paleta_e_nao_cores_soltas(name):
    """Nenhuma cor com matiz escrita à mão: só os nomes da paleta de _ui.py (cinzas, preto e
    branco são neutros e continuam permitidos)."""
    import importlib
    import inspect

    source = inspect.getsource(importlib.import_module(f"coursekit.widgets.{name}"))
    found = [m.group(0) for m in _COLOR_LITERAL.finditer(source)]
    assert not found, f"{name}: cores fora da paleta do curso: {found}"


def test_o_detector_de_cores_soltas_pega_o_que_deve():
    assert _COLOR_LITERAL.search('color="tab:red"') and _COLOR_LITERAL.search("cmap='RdBu_r'")
    assert _COLOR_LITERAL.search('fc="#d6eaf8"') and _COLOR_LITERAL.search('color="gold"')
    assert not _COLOR_LITERAL.search('color="0.35"') and not _COLOR_LITERAL.search('mec="k"')
    assert not _COLOR_LITERAL.search('"classe 1 (vermelho)"') and not _COLOR_LITERAL.search('cmap="gray_r"')


def test_palette_modules_are_one_widget_per_lecture():
    assert len(PALETTE_MODULES) == 13, PALETTE_MODULES  # um widget por aula, 00 a 12


def test_shared_palette_helpers():
    """Sinal, curvas de nível e piso do log vivem na paleta (um lugar só para todos os widgets)."""
    import coursekit.widgets as pkg
    from coursekit.widgets import _ui

    assert (pkg.sign_color(0.3), pkg.sign_color(-2), pkg.sign_color(0.0)) == (
        _ui.POSITIVE,
        _ui.NEGATIVE,
        "black",
    )
    grays = [float(c) for c in pkg.contour_colors(5)]
    assert grays[0] == pytest.approx(1 - _ui.CONTOUR_GRAYS[0]) and grays[-1] == pytest.approx(
        1 - _ui.CONTOUR_GRAYS[1]
    )
    assert all(a > b for a, b in zip(grays, grays[1:]))  # mais escuras para cima
    from coursekit.widgets import gradiente_descendente, otimizadores

    assert gradiente_descendente.EXCESS_FLOOR == otimizadores.COST_FLOOR == pkg.LOG_FLOOR
