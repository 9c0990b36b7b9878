"""Testes das funções puras do widget da aula 11 (capacidade × erro)."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression as SkLR
from sklearn.preprocessing import PolynomialFeatures

from coursekit.widgets import overfitting as o


def test_make_data_shapes_seed_and_noise_free():
    a = o.make_data(20, 60, 0.3, seed=1)
    b = o.make_data(20, 60, 0.3, seed=1)
    assert [len(v) for v in a] == [20, 20, 60, 60]
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    x, y, xv, yv = o.make_data(10, 5, 0.0)
    np.testing.assert_allclose(y, np.sin(3 * x))


def test_fit_polynomial_matches_sklearn():
    x, y, xv, _ = o.make_data(25, 10, 0.2)
    for d in (1, 4, 8):
        ours = o.fit_polynomial(x, y, d)(xv)
        pf = PolynomialFeatures(d, include_bias=False)
        sk = SkLR().fit(pf.fit_transform(x[:, None]), y).predict(pf.transform(xv[:, None]))
        np.testing.assert_allclose(ours, sk, atol=1e-6)


def test_capacity_curve_train_error_decreases_validation_is_u_shaped():
    r = o.compute_capacity(degree=3, noise=0.3, n_train=20)
    assert r["degrees"].tolist() == list(range(1, 16))
    assert np.all(np.diff(r["train_mse"]) <= 1e-9)  # mais capacidade, menos erro de treino
    assert r["val_mse"][-1] > 10 * r["val_mse"].min()  # grau 15 com 20 pontos: overfitting
    assert r["val_mse"][0] > r["val_mse"].min()  # grau 1: underfitting
    assert 2 <= r["best_degree"] <= 7
    assert r["train"] == r["train_mse"][2] and r["val"] == r["val_mse"][2]
    assert r["curve"].shape == r["grid"].shape == r["truth"].shape == (300,)


def test_l2_tames_high_degree():
    plain = o.compute_capacity(degree=15, n_train=20, alpha=0.0)  # poucos pontos: sobreajuste extremo
    ridge = o.compute_capacity(degree=15, n_train=20, alpha=1e-3)
    assert ridge["val"] < plain["val"] / 100
    assert ridge["train"] > plain["train"]


def test_more_data_reduces_overfitting():
    small = o.compute_capacity(degree=12, n_train=20)
    big = o.compute_capacity(degree=12, n_train=200)
    assert big["val"] < small["val"]


def test_no_noise_high_degree_fits_well():
    r = o.compute_capacity(degree=7, noise=0.0, n_train=40)
    assert r["val"] < 1e-4


def test_bad_degree():
    with pytest.raises(ValueError, match="degree"):
        o.compute_capacity(degree=16)


def test_demo_draws_at_defaults_and_at_high_degree():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert o.TRAINING_DEMOS == set()
    draw, kw, figsize = o.DEMOS["overfitting"]
    fig = plt.figure()
    draw(fig, **kw)
    plt.close(fig)
    fig = plt.figure(figsize=figsize)
    draw(fig, degree=15, alpha=1e-2)
    assert fig.axes
    plt.close(fig)


def test_widget_builds():
    box = o.overfitting_widget()
    first = box.children[0].children[0]
    assert first.description == "grau do polinômio" and first.value == 3


def test_widget_default_is_the_lectures_40_points():
    import inspect

    box = o.overfitting_widget()
    sizes = [
        c
        for row in box.children
        for c in getattr(row, "children", [row])
        if getattr(c, "description", "") == "amostras de treino"
    ]
    assert [c.value for c in sizes] == [40]  # os 40 pontos de treino das figuras da aula 11
    for f in (o.compute_capacity, o.draw_capacity):
        assert inspect.signature(f).parameters["n_train"].default == 40


def test_cores_de_treino_e_validacao_vem_da_paleta():
    """Pontos e curva de treino em TRAIN, de validação em VALIDATION (nada de azul/laranja soltos)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure

    from coursekit.widgets._ui import TRAIN, VALIDATION, text_color

    fig = Figure(figsize=(9.5, 4.2))
    FigureCanvasAgg(fig)
    o.draw_capacity(fig)
    ax, ax2 = fig.axes
    treino, validacao = TRAIN.lower(), VALIDATION.lower()
    assert to_hex(ax.lines[1].get_markeredgecolor()) == validacao
    assert to_hex(ax.lines[2].get_color()) == treino
    assert [to_hex(line.get_color()) for line in ax2.lines[:2]] == [treino, validacao]
    textos = {t.get_text(): to_hex(t.get_color()) for a in (ax, ax2) for t in a.texts}
    # os rótulos usam a mesma cor escurecida até ser legível como texto (contraste ≥ 4,5)
    treino_txt, validacao_txt = text_color(TRAIN), text_color(VALIDATION)
    assert treino_txt != treino and validacao_txt != validacao
    assert textos["● treino"] == treino_txt and textos["○ validação"] == validacao_txt
    assert textos["■ erro de validação"] == validacao_txt and textos["● erro de treino"] == treino_txt
