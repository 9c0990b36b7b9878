"""Testes das funções puras do widget da aula 10 (otimizadores)."""

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


def test_saddle_gd_stalls_while_momentum_escapes():
    res = o.compute_trajectories("saddle", optimizers=("gd", "momentum"), steps=300)
    assert res["final"]["gd"] > 0.5  # quase parado perto do ponto de sela
    assert res["final"]["momentum"] < 1e-6


def test_local_minima_momentum_reaches_global_gd_stuck():
    res = o.compute_trajectories("local_minima", optimizers=("gd", "momentum"), steps=300)
    assert res["paths"]["gd"][-1][0] > 1.0  # preso no mínimo local (w₀ ≈ 1.33)
    assert res["paths"]["momentum"][-1][0] < -1.0  # rolou até o global (w₀ ≈ −1.48)


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
