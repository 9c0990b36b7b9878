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


# ------------------------------------------------------------------ contraste: texto legível
def _draw_calls():
    """Uma chamada de cada função de desenho de widget (``draw_*``), com os argumentos que a
    aula usa; ``test_every_draw_function_is_measured`` falha se uma função nova ficar de fora."""
    import numpy as np

    from coursekit import data
    from coursekit.nn import MLP
    from coursekit.widgets import (
        backpropagation,
        correlacao,
        funcoes_de_perda,
        gradiente_descendente,
        inicializacao,
        introducao,
        mlp,
        otimizadores,
        overfitting,
        perceptron,
        projeto_final,
        regressao_linear,
        regressao_logistica,
    )

    W, W1 = np.array([[0.11, 0.12], [0.21, 0.08]]), np.array([[0.14], [0.15]])
    xor_net = MLP([2, 2, 1], activation="relu")
    xor_net.weights = [np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([[1.0], [-2.0]])]
    xor_net.biases = [np.array([0.0, -1.0]), np.array([0.0])]
    X_xor, y_xor = data.xor()
    graph = {k: k for k in ("x", "W", "h", "W1", "o", "y", "e", "Erro")}
    milestones = [(1958, "Perceptron"), (1986, "Retropropagação"), (2012, "AlexNet")]
    fig_calls = [
        (backpropagation.draw_backprop, {"iteration": 3}),
        (correlacao.draw_correlation, {}),
        (funcoes_de_perda.draw_loss_fits, {}),
        (gradiente_descendente.draw_gd, {"lr": 0.3, "batch_size": 24}),
        (inicializacao.draw_digits_activations, {}),
        (inicializacao.draw_initialization, {"epochs": 30}),
        (introducao.draw_components, {}),
        (introducao.draw_deep_vs_classic, {}),
        (introducao.draw_learning, {}),
        (introducao.draw_timeline, {"milestones": milestones}),
        (mlp.draw_hidden_space, {"model": xor_net, "X": X_xor, "y": y_xor}),
        (mlp.draw_playground, {"epochs": 20}),
        (otimizadores.draw_optimizers, {"steps": 50}),
        (overfitting.draw_capacity, {}),
        (perceptron.draw_moons, {"distance": -4.0}),
        (
            perceptron.draw_update,
            {"w_before": np.array([0.5, -0.5]), "b_before": 0.0, "x": np.array([1.0, 1.0]), "y": 1},
        ),
        (projeto_final.draw_digit, {}),
        (projeto_final.draw_project, {"epochs": 2}),
        (regressao_linear.draw_line_fit, {}),
        (regressao_linear.draw_line_fit, {"show_answers": True}),  # as respostas reveladas também
        (regressao_logistica.draw_boundary, {}),
        (regressao_logistica.draw_one_vs_rest, {"n_grid": 60}),
    ]
    ax_calls = [
        (backpropagation.draw_computational_graph, {"forward": graph, "backward": dict(graph)}),
        (backpropagation.draw_four_steps, {}),
        (backpropagation.draw_network, {"W": W, "W1": W1, "title": "rede 2-2-1"}),
        (
            backpropagation.draw_network,
            {"W": W, "W1": W1, "grad_W": -W, "grad_W1": W1},
        ),  # com a legenda do sinal
        (mlp.draw_architecture, {"layer_sizes": [2, 2, 1], "title": "arquitetura"}),
        (  # com os nós "+1" do viés e os pesos escritos nas arestas (aula 06)
            mlp.draw_architecture,
            {"layer_sizes": [2, 2, 1], "bias": True, "edge_labels": {(0, 0, 0): "w₁", (0, "+1", 1): "b₂"}},
        ),
        (perceptron.draw_neuron, {}),
    ]
    return fig_calls, ax_calls


def test_every_draw_function_is_measured():
    import importlib
    import inspect

    fig_calls, ax_calls = _draw_calls()
    measured = {f"{f.__module__}.{f.__name__}" for f, _ in fig_calls + ax_calls}
    existing = {
        f"{f.__module__}.{name}"
        for module in PALETTE_MODULES
        for name, f in inspect.getmembers(
            importlib.import_module(f"coursekit.widgets.{module}"), inspect.isfunction
        )
        if name.startswith("draw") and f.__module__ == f"coursekit.widgets.{module}"
    }
    assert measured == existing, existing ^ measured


def _text_contrasts(fig):
    """(texto, contraste, mínimo exigido) de cada texto visível de ``fig``: a cor do texto contra
    a cor mediana do que ele cobre (a figura desenhada de novo sem as letras, com as caixas)."""
    import matplotlib
    import numpy as np
    from matplotlib.colors import to_rgb

    from coursekit.widgets._ui import contrast_ratio

    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in texts]
    for t in texts:
        t.set_alpha(0)  # some a letra; a caixa de fundo do texto (bbox), se houver, fica
    fig.canvas.draw()
    background = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255
    height, width = background.shape[:2]
    result = []
    for t, box in zip(texts, boxes):
        x0, x1 = max(int(box.x0), 0), min(int(box.x1), width)
        y0, y1 = max(int(height - box.y1), 0), min(int(height - box.y0), height)
        if x1 <= x0 or y1 <= y0:
            continue  # fora da figura
        under = tuple(np.median(background[y0:y1, x0:x1].reshape(-1, 3), axis=0))
        large = t.get_fontsize() >= 18 or (t.get_fontsize() >= 14 and t.get_fontweight() in ("bold", 700))
        result.append((t.get_text(), contrast_ratio(to_rgb(t.get_color()), under), 3.0 if large else 4.5))
    return result


def test_every_text_in_every_widget_figure_is_legible():
    """Nenhum rótulo dourado ou verde-claro sobre branco: todo texto de toda figura de widget
    tem contraste ≥ 4,5 (≥ 3 se grande) com o que está atrás dele (WCAG 2, critério 1.4.3)."""
    import matplotlib.pyplot as plt

    fig_calls, ax_calls = _draw_calls()
    measured, illegible = 0, []
    for draw, kwargs in fig_calls + ax_calls:
        fig = plt.figure(figsize=(9.5, 5))
        try:
            draw(fig, **kwargs) if (draw, kwargs) in fig_calls else draw(fig.add_subplot(), **kwargs)
            contrasts = _text_contrasts(fig)
        finally:
            plt.close(fig)
        assert contrasts, draw.__name__  # toda figura tem texto (título, eixos, rótulos)
        measured += len(contrasts)
        illegible += [(draw.__name__, text, round(c, 2)) for text, c, need in contrasts if c < need]
    assert not illegible, illegible
    assert measured > 300  # umas 20 figuras com títulos, eixos, marcas e rótulos


def test_the_contrast_measure_catches_gold_text():
    import matplotlib.pyplot as plt

    from coursekit.widgets._ui import TEST, TRAIN, contrast_ratio, text_color

    fig, ax = plt.subplots()
    try:
        ax.text(0.5, 0.5, "teste", color=TEST)
        ax.text(0.5, 0.2, "teste legível", color=text_color(TEST))
        by_text = {text: c for text, c, _ in _text_contrasts(fig)}
    finally:
        plt.close(fig)
    assert by_text["teste"] < 4.5 <= by_text["teste legível"]
    assert contrast_ratio("black") == pytest.approx(21) and contrast_ratio("white") == pytest.approx(1)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)  # o cinza-limite do WCAG
    assert text_color(TRAIN) != TRAIN and contrast_ratio(text_color(TRAIN)) >= 4.5
    assert text_color("black") == "#000000"


def test_every_palette_colour_is_visible_as_a_line_on_white():
    from coursekit.widgets._ui import PALETTE, contrast_ratio

    weak = {name: round(contrast_ratio(c), 2) for name, (c, _) in PALETTE.items() if contrast_ratio(c) < 3}
    assert not weak, weak  # WCAG 2, critério 1.4.11: objetos gráficos com contraste ≥ 3
