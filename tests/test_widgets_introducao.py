"""Testes da demonstração da aula 00 (coursekit.widgets.introducao)."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from coursekit.widgets import introducao as wi  # noqa: E402


def test_shapes_and_nested_data():
    r = wi.compute_learning_curve(n_points=7, noise=1.0, seed=3)
    assert r["x_train"].shape == (7,) and r["y_train"].shape == (7,)
    assert r["sizes"][0] == 2 and r["sizes"][-1] == wi.N_POOL
    assert r["curve_test"].shape == r["sizes"].shape == r["curve_train"].shape
    # mais dados = os mesmos pontos de antes + pontos novos (a "experiência" cresce)
    r12 = wi.compute_learning_curve(n_points=12, noise=1.0, seed=3)
    np.testing.assert_array_equal(r12["x_train"][:7], r["x_train"])


def test_fit_matches_least_squares_and_curve():
    r = wi.compute_learning_curve(n_points=20, noise=0.5, seed=1)
    m, b = np.polyfit(r["x_train"], r["y_train"], 1)
    assert np.isclose(r["m"], m) and np.isclose(r["b"], b)
    assert np.isclose(r["curve_test"][20 - 2], r["test_mse"])
    assert np.isclose(r["curve_train"][20 - 2], r["train_mse"])
    assert np.isclose(r["noise_floor"], 0.25)


def test_more_data_lowers_test_error_towards_noise_floor():
    r = wi.compute_learning_curve(n_points=2, noise=1.0, seed=0)
    small = r["curve_test"][:3].mean()  # 2 a 4 pontos
    large = r["curve_test"][-10:].mean()  # 91 a 100 pontos
    assert large < small
    assert abs(large - r["noise_floor"]) < 0.3 * r["noise_floor"]
    # com 2 pontos a reta passa exatamente por eles: erro de treino zero
    assert r["train_mse"] == 0.0


def test_zero_noise_recovers_the_rule_exactly():
    r = wi.compute_learning_curve(n_points=2, noise=0.0)
    assert np.isclose(r["m"], wi.TRUE_SLOPE) and np.isclose(r["b"], wi.TRUE_INTERCEPT)
    assert r["test_mse"] == 0.0 and r["noise_floor"] == 0.0


@pytest.mark.parametrize("kwargs", [{"n_points": 1}, {"n_points": 101}, {"noise": -1.0}, {"n_points": 2.5}])
def test_bad_input(kwargs):
    with pytest.raises((ValueError, TypeError)):
        wi.compute_learning_curve(**kwargs)


def test_demos_draw_and_seed_changes_picture():
    import matplotlib.pyplot as plt

    assert set(wi.DEMOS) == {"aprendizado"} and wi.TRAINING_DEMOS == set()
    draw, kwargs, figsize = wi.DEMOS["aprendizado"]
    fig = plt.figure()
    draw(fig, **kwargs)
    assert len(fig.axes) == 2
    assert "MSE" in fig.axes[0].get_title()
    plt.close(fig)
    a = wi.compute_learning_curve(n_points=5)
    b = wi.compute_learning_curve(n_points=6)
    assert a["test_mse"] != b["test_mse"]


def test_import_does_not_load_ipywidgets():
    code = (
        "import sys, coursekit.widgets.introducao; "
        "assert 'ipywidgets' not in sys.modules and 'matplotlib.pyplot' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_widget_builds():
    box = wi.learning_widget()
    first = box.children[0].children[0]
    assert first.description == "quantidade de dados"


def test_curve_does_not_depend_on_n_points_and_is_a_copy():
    a = wi.compute_learning_curve(n_points=5, noise=1.0, seed=2)
    a["curve_test"][:] = -1.0  # mexer no resultado não estraga o cache
    b = wi.compute_learning_curve(n_points=40, noise=1.0, seed=2)
    c = wi.compute_learning_curve(n_points=5, noise=1.0, seed=2)
    assert np.array_equal(b["curve_test"], c["curve_test"]) and np.all(c["curve_test"] >= 0)
