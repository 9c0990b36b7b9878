"""Testes das funções puras do widget da aula 10 (otimizadores)."""

import re

import numpy as np
import pytest

from coursekit import landscapes
from coursekit.nn import Momentum
from coursekit.widgets import otimizadores as o


def test_compute_trajectories_shapes_and_costs():
    res = o.compute_trajectories("rosenbrock", steps=50)
    assert set(res["paths"]) == set(o.OPTIMIZERS)
    for name, p in res["paths"].items():
        assert p.shape == (51, 2)
        np.testing.assert_allclose(p[0], landscapes.rosenbrock.start)
        c = res["costs"][name]
        assert c.shape == (51,) and np.all(c[np.isfinite(c)] >= 0)
    assert res["f_star"] == 0.0
    assert np.isclose(res["costs"]["gd"][0], landscapes.rosenbrock.f(landscapes.rosenbrock.start))


def test_momentum_trajectory_matches_coursekit_directly():
    res = o.compute_trajectories("quadratic", start=(-4.0, 1.0), optimizers=("momentum",), lr=0.02, steps=40)
    ref = landscapes.run_optimizer(landscapes.quadratic, Momentum(0.02), (-4.0, 1.0), 40)
    np.testing.assert_array_equal(res["paths"]["momentum"], ref)


def test_diverging_learning_rate_is_reported():
    res = o.compute_trajectories("quadratic", optimizers=("gd", "adam"), lr=0.5, lr_adaptive=0.05, steps=200)
    assert res["diverged"]["gd"] and np.isnan(res["final"]["gd"])  # 0.5·20 > 2: diverge em w₁
    assert not res["diverged"]["adam"] and res["final"]["adam"] < 1e-2


def test_saddle_gd_stalls_at_a_small_shared_rate_while_momentum_escapes():
    res = o.compute_trajectories("saddle", optimizers=("gd", "momentum"), lr=0.01, steps=300)
    assert res["final"]["gd"] > 0.5  # quase parado perto do ponto de sela
    assert res["final"]["momentum"] < 1e-6


def test_saddle_with_tuned_rates_everyone_escapes():
    res = o.compute_trajectories("saddle")
    assert all(v < 1e-6 for v in res["final"].values())


def test_local_minima_momentum_reaches_global_gd_stuck():
    res = o.compute_trajectories("local_minima", optimizers=("gd", "momentum"), lr=0.08, steps=300)
    assert res["paths"]["gd"][-1][0] > 1.0  # preso no mínimo local (w₀ ≈ 1.33)
    assert res["paths"]["momentum"][-1][0] < -1.0  # rolou até o global (w₀ ≈ −1.48)
    small = o.compute_trajectories("local_minima", optimizers=("momentum",), lr=0.05)
    assert small["paths"]["momentum"][-1][0] > 1.0  # taxa pequena: o Momentum também fica preso


def test_default_rates_are_each_optimizers_tuned_rate():
    """Sem ``lr``/``lr_adaptive``, cada otimizador usa a sua taxa de TUNED_LR nesta superfície
    (não uma taxa compartilhada); passar uma taxa só troca a do seu grupo."""
    for land in landscapes.LANDSCAPES:
        res = o.compute_trajectories(land, steps=20)
        assert res["rates"] == o.TUNED_LR[land]
    rates = o.TUNED_LR["rosenbrock"]
    assert len({rates["gd"], rates["adam"]}) == 2  # de fato taxas diferentes
    res = o.compute_trajectories("rosenbrock", lr=0.001, steps=20)
    assert res["rates"]["gd"] == res["rates"]["momentum"] == 0.001
    assert all(res["rates"][n] == rates[n] for n in ("adagrad", "rmsprop", "adam"))
    ref = landscapes.run_optimizer(
        landscapes.rosenbrock, o.make_optimizer("adam", rates["adam"]), landscapes.rosenbrock.start, 20
    )
    np.testing.assert_array_equal(res["paths"]["adam"], ref)


def test_unknown_names_rejected():
    with pytest.raises(ValueError, match="landscape"):
        o.compute_trajectories("everest")
    with pytest.raises(ValueError, match="optimizers"):
        o.compute_trajectories("quadratic", optimizers=("lbfgs",))


def test_draw_every_landscape_and_no_optimizer_case():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert o.TRAINING_DEMOS == set()
    draw, kwargs, figsize = o.DEMOS["otimizadores"]
    fig = plt.figure()
    draw(fig, **kwargs)
    plt.close(fig)  # aquece
    for land in landscapes.LANDSCAPES:
        fig = plt.figure(figsize=figsize)
        res = draw(fig, landscape=land)
        assert set(res["paths"]) == {"gd", "momentum", "adagrad", "rmsprop", "adam"}
        plt.close(fig)
    fig = plt.figure()
    res = draw(fig, gd=False, momentum=False, adagrad=False, rmsprop=False, adam=False)
    assert res["paths"] == {}
    plt.close(fig)


def test_widget_builds():
    box = o.otimizadores_widget()
    dd = box.children[0].children[0]
    assert dd.value == "quadratic"
    dd.value = "rosenbrock"
    sliders = {c.description: c for row in box.children[:-1] for c in row.children}
    assert sliders["w₀ inicial"].value == -1.5 and sliders["w₁ inicial"].max == 3
    # o menu mostra nomes em português, mas os valores continuam os nomes de coursekit.landscapes
    assert dd.label == "Rosenbrock (vale curvo)"
    assert set(o.LANDSCAPE_LABELS) == set(landscapes.LANDSCAPES)
    # o primeiro controle deslizante (o que o teste no navegador mexe) é o ponto inicial
    first_slider = next(c for row in box.children[:-1] for c in row.children if hasattr(c, "readout"))
    assert first_slider.description == "w₀ inicial"
    for desc in ("taxa η (GD, Momentum)", "taxa η (Adagrad, RMSProp, Adam)"):
        assert int(sliders[desc].layout.width.rstrip("px")) >= 7 * len(desc) + 200


def test_widget_opens_with_tuned_rates_and_the_toggle_enables_the_shared_sliders():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    box = o.otimizadores_widget()
    controls = {c.description: c for row in box.children[:-1] for c in row.children}
    toggle = controls["taxas ajustadas para cada método"]
    shared = [controls["taxa η (GD, Momentum)"], controls["taxa η (Adagrad, RMSProp, Adam)"]]
    assert toggle.value is True and all(s.disabled for s in shared)

    def drawn_rates():
        """As taxas do desenho com os valores atuais dos controles (o que o widget mostra)."""
        return o.draw_optimizers(Figure(), **{k: c.value for k, c in box.controls.items()})["rates"]

    # o estado inicial (o mesmo da imagem do site e dos slides): a taxa ajustada de cada um
    assert drawn_rates() == o.TUNED_LR["quadratic"]
    toggle.value = False
    assert not any(s.disabled for s in shared)
    lr, lr_adaptive = o.SHARED_LR["quadratic"]
    assert drawn_rates() == {n: lr_adaptive if o.OPTIMIZERS[n][2] else lr for n in o.OPTIMIZERS}
    box.controls["landscape"].value = "rosenbrock"  # continua no modo manual, com as taxas da superfície
    lr, lr_adaptive = o.SHARED_LR["rosenbrock"]
    assert drawn_rates() == {n: lr_adaptive if o.OPTIMIZERS[n][2] else lr for n in o.OPTIMIZERS}
    toggle.value = True
    assert all(s.disabled for s in shared) and drawn_rates() == o.TUNED_LR["rosenbrock"]


def test_trajectories_are_cached_per_optimizer():
    a = o.compute_trajectories("quadratic", (-4.0, 1.5), ("gd", "adam"))
    b = o.compute_trajectories("quadratic", (-4.0, 1.5), ("adam",), lr=0.02)  # só a lr de GD mudou
    assert b["paths"]["adam"] is a["paths"]["adam"]
    assert not a["paths"]["adam"].flags.writeable


def test_changing_the_landscape_redraws_once_per_change_not_per_control():
    box = o.otimizadores_widget()
    drawn = []
    png = box.renderer.png
    box.renderer.png = lambda **values: drawn.append(values["landscape"]) or png(**values)
    menu = next(c for c in box.children[0].children if getattr(c, "options", None))
    menu.value = "rosenbrock"
    # o observador ajusta w₀, w₁ e as duas taxas sob box.hold(): 1 redesenho dele + 1 do menu
    assert len(drawn) <= 2 and drawn[-1] == "rosenbrock"


def test_paleta_do_curso_cada_otimizador_e_um_metodo_comparado():
    """GD, Momentum, Adagrad, RMSProp e Adam são METHOD_STYLES[0..4] (o GD, a referência, em
    preto): mesma cor, traço e marcador na trajetória, na curva de custo e na legenda; poucos
    marcadores por trajetória; início, mínimos e curvas de nível neutros (preto, branco, cinza);
    nenhuma cor escrita à mão no módulo."""
    import inspect

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import same_color, to_rgb
    from test_widgets_ui import _COLOR_LITERAL  # o detector do teste da paleta

    from coursekit.widgets import METHOD_STYLES

    assert [style for _, style, _ in o.OPTIMIZERS.values()] == list(METHOD_STYLES)
    assert list(o.OPTIMIZERS) == ["gd", "momentum", "adagrad", "rmsprop", "adam"]
    assert _COLOR_LITERAL.findall(inspect.getsource(o)) == []

    def neutral(color):
        r, g, b = to_rgb(color)
        return max(r, g, b) - min(r, g, b) < 1e-9

    for land in ("quadratic", "local_minima"):
        fig = plt.figure(figsize=o.FIGSIZE)
        o.draw_optimizers(fig, landscape=land)
        ax, ax2 = fig.axes
        legend = ax2.get_legend()
        assert legend is not None
        for (label, (color, dash, marker), _), text, handle in zip(
            o.OPTIMIZERS.values(), legend.get_texts(), legend.legend_handles
        ):
            assert text.get_text().startswith(label)
            assert same_color(handle.get_color(), color) and handle.get_marker() == marker
            ref = matplotlib.lines.Line2D([], [], ls=dash)
            assert handle.get_linestyle() == ref.get_linestyle()
            for panel in (ax, ax2):  # a curva desse otimizador, com o mesmo estilo, nos dois painéis
                curves = [
                    ln
                    for ln in panel.get_lines()
                    if same_color(ln.get_color(), color) and len(ln.get_xdata()) > 1
                ]
                assert len(curves) == 1
                assert (curves[0].get_linestyle(), curves[0].get_marker()) == (ref.get_linestyle(), marker)
                marks = curves[0].get_markevery()
                n_marks = len(marks) if isinstance(marks, list) else len(range(*marks[:1], 301, marks[1]))
                assert 1 <= n_marks <= 12  # marcadores que distinguem, sem entulhar
        hues = {ln.get_color() for ln in ax.get_lines() + ax2.get_lines() if not neutral(ln.get_color())}
        assert all(any(same_color(h, s[0]) for s in METHOD_STYLES) for h in hues)
        # início (○) e mínimos (☆): marcadores brancos de borda preta
        stars = [ln for ln in ax.get_lines() if ln.get_marker() == "*"]
        starts = [
            ln
            for ln in ax.get_lines()
            if ln.get_marker() == "o" and same_color(ln.get_markerfacecolor(), "white")
        ]
        assert len(stars) == len(landscapes.LANDSCAPES[land].minima) and len(starts) == 1
        np.testing.assert_allclose(np.ravel(starts[0].get_xydata()), landscapes.LANDSCAPES[land].start)
        for ln in stars + starts:
            assert same_color(ln.get_markerfacecolor(), "white") and same_color(
                ln.get_markeredgecolor(), "black"
            )
        plt.close(fig)


def test_cost_panel_has_a_floor_so_rounding_noise_does_not_draw_a_band():
    """Custos no nível do arredondamento (10⁻¹⁶ a 3·10⁻¹⁶, pulando) ficam no piso COST_FLOOR: uma
    reta, e não uma faixa tracejada grossa que esconde as outras curvas."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=o.FIGSIZE)
    res = o.draw_optimizers(fig, landscape="saddle")
    tiny = [n for n in res["costs"] if np.nanmin(res["costs"][n]) < o.COST_FLOOR]
    assert tiny, "nenhuma curva chega ao arredondamento: o teste não exercita o piso"
    assert o.COST_FLOOR >= 1e3 * 3e-16  # bem acima do vaivém do arredondamento
    ax_cost = fig.axes[1]
    for line in ax_cost.get_lines():
        y = np.asarray(line.get_ydata(), dtype=float)
        assert np.nanmin(y) >= o.COST_FLOOR
    assert "piso 10⁻¹²" in ax_cost.get_title()
    plt.close(fig)


def test_legend_reports_costs_below_the_floor_as_below_the_floor():
    """A legenda não mostra 10⁻⁹⁷ (arredondamento): abaixo do piso ela diz "< 1×10⁻¹²", como o painel desenha."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=o.FIGSIZE)
    res = o.draw_optimizers(fig, landscape="quadratic", tuned=True)
    below = [n for n in res["final"] if res["final"][n] < o.COST_FLOOR]
    assert below, "nenhum custo final abaixo do piso: o teste não exercita a legenda"
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert sum("< 1×10⁻¹²" in t for t in labels) == len(below)
    exponents = [
        int(e.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")))
        for t in labels
        for e in re.findall(r"10([⁻⁰-⁹¹²³]+)", t)
    ]
    assert min(exponents) >= -12
    plt.close(fig)
