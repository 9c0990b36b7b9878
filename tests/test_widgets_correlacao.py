"""Testes da demonstração da aula 01 (coursekit.widgets.correlacao)."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from coursekit.widgets import correlacao as wc  # noqa: E402


def test_rho_matches_numpy():
    r = wc.compute_correlation(noise=1.0, slope=1.0)
    assert r["x"].shape == r["y"].shape == (100,)
    assert np.isclose(r["rho"], np.corrcoef(r["x"], r["y"])[0, 1])


def test_no_noise_gives_perfect_correlation_with_sign_of_slope():
    assert np.isclose(wc.compute_correlation(noise=0.0, slope=2.0)["rho"], 1.0)
    assert np.isclose(wc.compute_correlation(noise=0.0, slope=-0.5)["rho"], -1.0)


def test_more_noise_weakens_correlation():
    rhos = [wc.compute_correlation(noise=s, slope=1.0)["rho"] for s in (0.0, 0.5, 1.0, 3.0, 6.0)]
    assert all(a > b for a, b in zip(rhos, rhos[1:]))
    assert abs(wc.compute_correlation(noise=1.0, slope=0.0)["rho"]) < 0.3


def test_constant_y_is_undefined_not_an_error():
    r = wc.compute_correlation(noise=0.0, slope=0.0)
    assert np.isnan(r["rho"])
    assert "indefinida" in r["description"]


@pytest.mark.parametrize(
    "rho, word",
    [
        (0.95, "positiva muito forte"),
        (0.999, "positiva muito forte"),
        (1.0, "positiva perfeita"),
        (-1.0, "negativa perfeita"),
        (-0.8, "negativa forte"),
        (0.5, "positiva moderada"),
        (-0.2, "negativa fraca"),
        (0.05, "nenhuma"),
    ],
)
def test_describe_rho(rho, word):
    assert word in wc.describe_rho(rho)


@pytest.mark.parametrize("kwargs", [{"noise": -0.1}, {"n": 1}, {"slope": float("nan")}])
def test_bad_input(kwargs):
    with pytest.raises((ValueError, TypeError)):
        wc.compute_correlation(**kwargs)


def test_demo_draws_rho_in_title():
    import matplotlib.pyplot as plt

    assert set(wc.DEMOS) == {"correlacao"} and wc.TRAINING_DEMOS == set()
    draw, kwargs, figsize = wc.DEMOS["correlacao"]
    fig = plt.figure()
    draw(fig, **kwargs)
    rho = wc.compute_correlation(**kwargs)["rho"]
    assert fig.axes[0].get_title().startswith(f"ρ = {wc.fmt(rho)}")
    plt.close(fig)
    fig = plt.figure()
    draw(fig, noise=0.0, slope=0.0)  # não pode quebrar
    assert "indefinido" in fig.axes[0].get_title()
    plt.close(fig)


def test_import_does_not_load_ipywidgets():
    code = (
        "import sys, coursekit.widgets.correlacao; "
        "assert 'ipywidgets' not in sys.modules and 'matplotlib.pyplot' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_widget_builds():
    box = wc.correlation_widget()
    assert box.children[0].children[0].description == "ruído"
