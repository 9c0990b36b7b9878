"""Testes das funções puras do playground de MLP."""

import numpy as np
import pytest

from coursekit.widgets import mlp


@pytest.mark.parametrize("name", mlp.DATASETS)
def test_datasets_shapes_balance_and_seed(name):
    X, y = mlp.make_dataset(name, n=200, seed=0)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert 80 <= y.sum() <= 120
    assert np.abs(X).max() < 1.5
    X2, y2 = mlp.make_dataset(name, n=200, seed=0)
    np.testing.assert_array_equal(X, X2)
    X3, _ = mlp.make_dataset(name, n=200, seed=1)
    assert not np.allclose(X, X3)


def test_bad_dataset_name():
    with pytest.raises(ValueError):
        mlp.make_dataset("lua", n=200)


def test_playground_learns_xor_and_is_cached():
    calls = []
    r = mlp.compute_playground(
        "XOR",
        width=8,
        depth=2,
        activation="tanh",
        lr=0.03,
        epochs=200,
        callback=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (200, 200) and len(calls) == 200
    assert r["accuracy"] > 0.95
    assert r["loss_history"].shape == (200,)
    assert r["loss_history"][-1] < r["loss_history"][0]
    assert r["proba"].shape == (60, 60) and r["xx"].shape == (60, 60)
    assert np.all((r["proba"] >= 0) & (r["proba"] <= 1))
    assert r["n_params"] == (2 + 1) * 8 + (8 + 1) * 8 + (8 + 1) * 1
    again = mlp.compute_playground("XOR", width=8, depth=2, activation="tanh", lr=0.03, epochs=200)
    assert again is r  # do cache: nada é treinado de novo


def test_linear_network_cannot_solve_xor_or_circles():
    for name in ("XOR", "círculos"):
        r = mlp.compute_playground(name, width=8, depth=2, activation="identity", lr=0.03, epochs=100)
        assert r["accuracy"] < 0.8


def test_no_hidden_layer_is_logistic_regression():
    r = mlp.compute_playground("XOR", width=4, depth=0, activation="relu", lr=0.03, epochs=50)
    assert r["layer_sizes"] == [2, 1] and r["n_params"] == 3
    assert r["accuracy"] < 0.8


def test_spiral_needs_capacity():
    small = mlp.compute_playground("espiral", width=2, depth=1, activation="tanh", lr=0.03, epochs=100)
    big = mlp.compute_playground("espiral", width=8, depth=2, activation="tanh", lr=0.03, epochs=200)
    assert small["accuracy"] < 0.85 < big["accuracy"]


def test_draw_and_demos():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert set(mlp.DEMOS) == {"playground"} and mlp.TRAINING_DEMOS == {"playground"}
    for _name, (draw, kwargs, figsize) in mlp.DEMOS.items():
        fig = plt.figure(figsize=figsize)
        draw(fig, **kwargs)
        assert len(fig.axes) >= 2
        plt.close(fig)


def test_widget_builds():
    box = mlp.mlp_widget()
    assert "coursekit-widget" in box._dom_classes
