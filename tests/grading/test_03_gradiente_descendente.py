"""Testes de correção da aula 03 (descida do gradiente na regressão linear).

A referência confiável é o ``coursekit``: ``coursekit.nn.half_mse`` / ``half_mse_grad`` para o
custo J = (1/2m) Σ (ŷ − y)² e o seu gradiente, ``LinearRegression(solver="gd")`` para o laço de
treino e ``coursekit.linear.scale_features`` para a normalização. A docstring de cada teste é a
dica mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.data import baby_weights
from coursekit.linear import LinearRegression, normal_equation, scale_features
from coursekit.nn import half_mse, half_mse_grad

LECTURE = "03_gradiente_descendente"

X_BABY, Y_BABY = baby_weights()


def _ref_grad(X, y, w, b):
    g = half_mse_grad(y, X @ w + b)  # ∂J/∂ŷ = (ŷ − y)/m
    return X.T @ g, float(g.sum())


def _random_problem(seed, m=20, n=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n))
    y = X @ rng.normal(size=n) + rng.normal() + 0.1 * rng.normal(size=m)
    return X, y, rng.normal(size=n), float(rng.normal())


def _pair(result, name, size=2):
    assert isinstance(result, (tuple, list)) and len(result) == size, (
        f"{name} deve devolver uma tupla com {size} itens"
    )
    return result


# ------------------------------------------------------------------------ custo
@pytest.mark.exercise("cost_J", points=1)
def test_cost_slide(sub):
    """Dica: nos bebês, J(0, 0) ≈ 38.4858 e no mínimo (w ≈ 0.3022, b ≈ 4.8275) J ≈ 0.19495; não esqueça o ½ e a média."""
    assert sub.call("cost_J", X_BABY, Y_BABY, np.zeros(1), 0.0) == pytest.approx(half_mse(Y_BABY, 0 * Y_BABY))
    assert sub.call("cost_J", X_BABY, Y_BABY, np.zeros(1), 0.0) == pytest.approx(38.4858, abs=1e-4)
    w, b = normal_equation(X_BABY, Y_BABY)
    assert sub.call("cost_J", X_BABY, Y_BABY, w, b) == pytest.approx(half_mse(Y_BABY, X_BABY @ w + b))


@pytest.mark.exercise("cost_J", points=1, hidden=True)
def test_cost_random(sub):
    """Dica: com vários atributos a previsão é X @ w + b (w tem um valor por coluna de X)."""
    for seed in range(3):
        X, y, w, b = _random_problem(seed)
        assert sub.call("cost_J", X, y, w, b) == pytest.approx(half_mse(y, X @ w + b), rel=1e-10)


# ------------------------------------------------------------------------ gradiente
@pytest.mark.exercise("gradient_J", points=1)
def test_gradient_slide(sub):
    """Dica: nos bebês em w = 0, b = 0 o gradiente é ([-118.3692], -8.4538): média de (ŷ − y)·x e de (ŷ − y)."""
    gw, gb = _pair(sub.call("gradient_J", X_BABY, Y_BABY, np.zeros(1), 0.0), "gradient_J")
    rw, rb = _ref_grad(X_BABY, Y_BABY, np.zeros(1), 0.0)
    np.testing.assert_allclose(np.ravel(gw), rw, rtol=1e-10)
    assert float(gb) == pytest.approx(rb, rel=1e-10)


@pytest.mark.exercise("gradient_J", points=2, hidden=True)
def test_gradient_random(sub):
    """Dica: grad_w = X.T @ erro / m tem o formato de w; grad_b = erro.mean(), com erro = X @ w + b − y."""
    for seed in range(3):
        X, y, w, b = _random_problem(seed)
        gw, gb = _pair(sub.call("gradient_J", X, y, w, b), "gradient_J")
        rw, rb = _ref_grad(X, y, w, b)
        assert np.shape(gw) == w.shape, "grad_w deve ter o formato de w"
        np.testing.assert_allclose(gw, rw, rtol=1e-9, atol=1e-12)
        assert float(gb) == pytest.approx(rb, rel=1e-9, abs=1e-12)


# ------------------------------------------------------------------------ um passo
@pytest.mark.exercise("gd_step", points=1)
def test_step_slide(sub):
    """Dica: de w = 0, b = 0 com lr = 0.001 nos bebês o passo dá w ≈ 0.118369 e b ≈ 0.008454 (w − lr·grad)."""
    w, b = _pair(sub.call("gd_step", X_BABY, Y_BABY, np.zeros(1), 0.0, 0.001), "gd_step")
    ref = LinearRegression(solver="gd", lr=0.001, epochs=1).fit(X_BABY, Y_BABY)
    np.testing.assert_allclose(np.ravel(w), ref.coef_, rtol=1e-10)
    assert float(b) == pytest.approx(ref.intercept_, rel=1e-10)


@pytest.mark.exercise("gd_step", points=1, hidden=True)
def test_step_random(sub):
    """Dica: o gradiente é calculado no ponto antigo e w e b são atualizados juntos, com sinal de menos."""
    for seed in range(3):
        X, y, w0, b0 = _random_problem(seed)
        w, b = _pair(sub.call("gd_step", X, y, w0, b0, 0.05), "gd_step")
        rw, rb = _ref_grad(X, y, w0, b0)
        np.testing.assert_allclose(w, w0 - 0.05 * rw, rtol=1e-10)
        assert float(b) == pytest.approx(b0 - 0.05 * rb, rel=1e-10)


# ------------------------------------------------------------------------ laço completo
@pytest.mark.exercise("gradient_descent", points=2)
def test_loop_slide(sub):
    """Dica: nos bebês, lr = 0.009 por 5000 épocas chega a w ≈ 0.30220, b ≈ 4.8275 (a equação normal); o histórico tem um J por época."""
    w, b, hist = _pair(sub.call("gradient_descent", X_BABY, Y_BABY, 0.009, 5000), "gradient_descent", 3)
    ref = LinearRegression(solver="gd", lr=0.009, epochs=5000).fit(X_BABY, Y_BABY)
    np.testing.assert_allclose(np.ravel(w), ref.coef_, rtol=1e-8)
    assert float(b) == pytest.approx(ref.intercept_, rel=1e-8)
    assert len(hist) == 5000
    np.testing.assert_allclose(hist, ref.loss_history_, rtol=1e-8)
    w_ne, b_ne = normal_equation(X_BABY, Y_BABY)
    assert float(b) == pytest.approx(b_ne, abs=1e-4)


@pytest.mark.exercise("gradient_descent", points=2, hidden=True)
def test_loop_random(sub):
    """Dica: comece em zeros (um por atributo), um passo por época com o lote inteiro, e guarde J depois de cada passo."""
    for seed in range(2):
        X, y, _, _ = _random_problem(seed, m=30, n=2)
        w, b, hist = _pair(sub.call("gradient_descent", X, y, 0.1, 40), "gradient_descent", 3)
        ref = LinearRegression(solver="gd", lr=0.1, epochs=40).fit(X, y)
        np.testing.assert_allclose(w, ref.coef_, rtol=1e-8, atol=1e-12)
        assert float(b) == pytest.approx(ref.intercept_, rel=1e-8, abs=1e-12)
        np.testing.assert_allclose(hist, ref.loss_history_, rtol=1e-8)
    w, b, hist = sub.call("gradient_descent", X, y, 0.1, 1)
    assert len(hist) == 1


# ------------------------------------------------------------------------ normalização
@pytest.mark.exercise("scale_mean_range", points=1)
def test_scale_slide(sub):
    """Dica: nos bebês μ = 12 e max − min = 24, então as idades viram −0.5, −0.4167, …, 0.5."""
    Xs, mu, amp = _pair(sub.call("scale_mean_range", X_BABY), "scale_mean_range", 3)
    ref, c, s = scale_features(X_BABY)
    np.testing.assert_allclose(Xs, ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(np.ravel(mu), c)
    np.testing.assert_allclose(np.ravel(amp), s)


@pytest.mark.exercise("scale_mean_range", points=1, hidden=True)
def test_scale_random(sub):
    """Dica: a normalização é por coluna (axis=0), e cada coluna usa a própria média e a própria amplitude."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(25, 4)) * [1, 10, 100, 0.01] + [0, 5, -50, 3]
    Xs, mu, amp = _pair(sub.call("scale_mean_range", X), "scale_mean_range", 3)
    ref, c, s = scale_features(X)
    assert np.shape(Xs) == X.shape
    np.testing.assert_allclose(Xs, ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(mu, c, rtol=1e-10)
    np.testing.assert_allclose(amp, s, rtol=1e-10)
