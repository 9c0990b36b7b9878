"""Testes de correção da aula 03 (descida do gradiente na regressão linear).

A referência confiável é o ``coursekit``: ``coursekit.nn.half_mse`` / ``half_mse_grad`` para o
custo J = (1/2m) Σ (ŷ − y)² e o seu gradiente, ``LinearRegression(solver="gd")`` para o laço de
treino e ``coursekit.linear.scale_features`` para a normalização. A docstring de cada teste é a
dica mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.data import baby_weights
from coursekit.grading.expect import assert_close, diagnose, fail, items, uses
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


X_SMALL = np.array([[1.0, 2.0], [2.0, -1.0], [0.0, 1.0], [3.0, 0.5]])
Y_SMALL = np.array([3.0, 1.0, 1.5, 2.0])
W_SMALL, B_SMALL = np.array([0.5, -0.2]), 0.3


# ------------------------------------------------------------------------ custo
@pytest.mark.exercise("cost_J", points=1)
def test_cost_slide(sub):
    """Dica: nos bebês, J(0, 0) ≈ 38.4858 e no mínimo (w ≈ 0.3022, b ≈ 4.8275) J ≈ 0.19495; não
    esqueça o ½ e a média. Com dois atributos, a previsão é X @ w + b."""
    ratios = [
        (2.0, "faltou o ½ de J = (1/2m)·Σ(ŷ − y)²"),
        (13.0, "você somou em vez de tirar a média (m = 13)"),
    ]
    got = sub.call("cost_J", X_BABY, Y_BABY, np.zeros(1), 0.0)
    diagnose(got, 38.4858, ratios=ratios, atol=1e-4, name="J(0, 0)")
    w, b = normal_equation(X_BABY, Y_BABY)
    expected = half_mse(Y_BABY, X_BABY @ w + b)
    assert_close(sub.call("cost_J", X_BABY, Y_BABY, w, b), expected, rtol=1e-10, name="J no mínimo")
    expected = half_mse(Y_SMALL, X_SMALL @ W_SMALL + B_SMALL)
    assert_close(sub.call("cost_J", X_SMALL, Y_SMALL, W_SMALL, B_SMALL), expected, rtol=1e-10, name="J")


@pytest.mark.exercise("cost_J", points=1, hidden=True)
def test_cost_random(sub):
    """Dica: com vários atributos a previsão é X @ w + b (w tem um valor por coluna de X)."""
    for seed in range(3):
        X, y, w, b = _random_problem(seed)
        assert_close(sub.call("cost_J", X, y, w, b), half_mse(y, X @ w + b), rtol=1e-10, name="J")


# ------------------------------------------------------------------------ gradiente
def _check_gradient(sub, X, y, w, b, rtol=1e-10):
    gw, gb = items(sub.call("gradient_J", X, y, w, b), 2, "gradient_J")
    rw, rb = _ref_grad(X, y, np.asarray(w, dtype=float), b)
    sign = [(-1.0, "sinal trocado: o erro é a previsão menos o alvo, ŷ − y")]
    diagnose(gw, rw, ratios=sign, rtol=rtol, atol=1e-12, name="grad_w")
    diagnose(gb, rb, ratios=sign, rtol=rtol, atol=1e-12, name="grad_b")


@pytest.mark.exercise("gradient_J", points=1)
def test_gradient_slide(sub):
    """Dica: nos bebês em w = 0, b = 0 o gradiente é ([-118.3692], -8.4538): média de (ŷ − y)·x e
    de (ŷ − y), com erro = X @ w + b − y; grad_w tem o formato de w."""
    _check_gradient(sub, X_BABY, Y_BABY, np.zeros(1), 0.0)
    _check_gradient(sub, X_SMALL, Y_SMALL, W_SMALL, B_SMALL)


@pytest.mark.exercise("gradient_J", points=2, hidden=True)
def test_gradient_random(sub):
    """Dica: ∇w J = (1/m)·Xᵀ·erro tem o formato de w e ∂J/∂b é a média do erro, com erro = ŷ − y."""
    for seed in range(3):
        X, y, w, b = _random_problem(seed)
        _check_gradient(sub, X, y, w, b, rtol=1e-9)


# ------------------------------------------------------------------------ um passo
@pytest.mark.exercise("gd_step", points=1)
def test_step_slide(sub):
    """Dica: de w = 0, b = 0 com lr = 0.001 nos bebês o passo dá w ≈ 0.118369 e b ≈ 0.008454
    (w − lr·grad, com o gradiente no ponto antigo; w e b mudam juntos)."""
    with uses(sub, "gradient_J"):
        w, b = items(sub.call("gd_step", X_BABY, Y_BABY, np.zeros(1), 0.0, 0.001), 2, "gd_step")
        ref = LinearRegression(solver="gd", lr=0.001, epochs=1).fit(X_BABY, Y_BABY)
        assert_close(w, ref.coef_, rtol=1e-10, name="w")
        assert_close(b, float(ref.intercept_), rtol=1e-10, name="b")
        w, b = items(sub.call("gd_step", X_SMALL, Y_SMALL, W_SMALL, B_SMALL, 0.1), 2, "gd_step")
        rw, rb = _ref_grad(X_SMALL, Y_SMALL, W_SMALL, B_SMALL)
        assert_close(w, W_SMALL - 0.1 * rw, rtol=1e-10, name="w")
        assert_close(b, B_SMALL - 0.1 * rb, rtol=1e-10, name="b")


@pytest.mark.exercise("gd_step", points=1, hidden=True)
def test_step_random(sub):
    """Dica: o gradiente é calculado no ponto antigo e w e b são atualizados juntos, com sinal de menos."""
    for seed in range(3):
        X, y, w0, b0 = _random_problem(seed)
        w, b = items(sub.call("gd_step", X, y, w0, b0, 0.05), 2, "gd_step")
        rw, rb = _ref_grad(X, y, w0, b0)
        assert_close(w, w0 - 0.05 * rw, rtol=1e-10, name="w")
        assert_close(b, b0 - 0.05 * rb, rtol=1e-10, name="b")


# ------------------------------------------------------------------------ laço completo
def _check_loop(sub, X, y, lr, epochs, rtol=1e-8):
    w, b, hist = items(sub.call("gradient_descent", X, y, lr, epochs), 3, "gradient_descent")
    ref = LinearRegression(solver="gd", lr=lr, epochs=epochs).fit(X, y)
    assert_close(w, ref.coef_, rtol=rtol, atol=1e-12, name="w")
    assert_close(b, float(ref.intercept_), rtol=rtol, atol=1e-12, name="b")
    before = [half_mse(y, np.zeros(len(y)))] + list(ref.loss_history_[:-1])  # J antes de cada passo
    late = (before, "você anotou o custo ANTES de cada passo; o histórico guarda J depois do passo")
    diagnose(hist, ref.loss_history_, mistakes=[late], rtol=rtol, name="o histórico de J", sequence_ok=True)
    return b


@pytest.mark.exercise("gradient_descent", points=2)
def test_loop_slide(sub):
    """Dica: nos bebês, lr = 0.009 por 5000 épocas chega a w ≈ 0.30220, b ≈ 4.8275 (a equação
    normal); comece de zeros (um por atributo) e guarde um J por época, depois de cada passo."""
    with uses(sub, "gd_step", "cost_J"):
        b = _check_loop(sub, X_BABY, Y_BABY, 0.009, 5000)
        assert_close(b, normal_equation(X_BABY, Y_BABY)[1], atol=1e-4, name="b")
        _check_loop(sub, X_SMALL, Y_SMALL, 0.05, 3)


@pytest.mark.exercise("gradient_descent", points=2, hidden=True)
def test_loop_random(sub):
    """Dica: comece em zeros (um por atributo), um passo por época com o lote inteiro, e guarde J depois de cada passo."""
    for seed in range(2):
        X, y, _, _ = _random_problem(seed, m=30, n=2)
        _check_loop(sub, X, y, 0.1, 40)
    _check_loop(sub, X, y, 0.1, 1)


# ------------------------------------------------------------------------ normalização
def _check_scale(sub, X, rtol=1e-12):
    Xs, mu, amp = items(sub.call("scale_mean_range", X), 3, "scale_mean_range")
    ref, c, s = scale_features(X)
    assert_close(Xs, ref, rtol=rtol, atol=1e-15, name="X normalizado")
    assert_close(mu, c, rtol=rtol, name="mu")
    assert_close(amp, s, rtol=rtol, name="amplitude")


@pytest.mark.exercise("scale_mean_range", points=1)
def test_scale_slide(sub):
    """Dica: nos bebês μ = 12 e max − min = 24, então as idades viram −0.5, −0.4167, …, 0.5; com
    várias colunas, cada coluna usa a própria média e a própria amplitude (axis=0)."""
    _check_scale(sub, X_BABY)
    _check_scale(sub, np.array([[1.0, 10.0, -3.0], [2.0, 30.0, 0.0], [6.0, 20.0, 5.0]]))


@pytest.mark.exercise("scale_mean_range", points=1, hidden=True)
def test_scale_random(sub):
    """Dica: a normalização é por coluna (axis=0), e cada coluna usa a própria média e a própria amplitude."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(25, 4)) * [1, 10, 100, 0.01] + [0, 5, -50, 3]
    _check_scale(sub, X, rtol=1e-10)


# ------------------------------------------------------------------------ limite de estabilidade
def _check_stability(sub, X, y, epochs, rtol=1e-6):
    eta, below, above = items(sub.call("stability_limit", X, y, epochs), 3, "stability_limit")
    X_til = np.column_stack([X, np.ones(len(X))])
    ref_eta = 2.0 / np.linalg.eigvalsh(X_til.T @ X_til / len(X))[-1]
    wrong = 2.0 / np.linalg.eigvalsh(X.T @ X / len(X))[-1]
    no_bias = (wrong, "esse é o 2/λ_max sem a coluna de 1s: a hessiana de J(w, b) inclui o viés, H = X̃ᵀX̃/m")
    diagnose(eta, ref_eta, mistakes=[no_bias], rtol=1e-9, name="eta_max")
    ref = [
        LinearRegression(solver="gd", lr=f * ref_eta, epochs=epochs).fit(X, y).loss_history_[-1]
        for f in (0.9, 1.1)
    ]
    assert_close(below, ref[0], rtol=rtol, name="J_abaixo (lr = 0.9 · eta_max)")
    assert_close(above, ref[1], rtol=rtol, name="J_acima (lr = 1.1 · eta_max)")
    return above


@pytest.mark.exercise("stability_limit", points=2)
def test_stability_limit_babies(sub):
    """Dica: H = X̃ᵀX̃/m com X̃ = [X 1]; eta_max = 2/λ_max ≈ 0.0099641 nos bebês. Os dois custos são o
    ÚLTIMO do histórico da sua gradient_descent com lr = 0.9·eta_max e lr = 1.1·eta_max."""
    with uses(sub, "gradient_descent"):
        above = _check_stability(sub, X_BABY, Y_BABY, 200)
        initial = half_mse(Y_BABY, np.zeros(len(Y_BABY)))
        if not above > initial:
            fail(f"J_acima = {above:.6g} deveria passar do custo inicial {initial:.6g}: a descida diverge.")
        _check_stability(sub, X_SMALL, Y_SMALL, 30)


@pytest.mark.exercise("stability_limit", points=1, hidden=True)
def test_stability_limit_random(sub):
    """Dica: a hessiana usa todos os atributos e a coluna de 1s; o maior autovalor é o último de eigvalsh."""
    for seed in range(2):
        X, y, _, _ = _random_problem(seed + 20, m=25, n=3)
        _check_stability(sub, X * [1.0, 3.0, 0.5], y, 60)


# ------------------------------------------------------------------------ mini-lotes
def _ref_minibatch(X, y, w, b, lr, batch_size, order):
    w, b = np.array(w, dtype=float), float(b)
    groups = [order[k : k + batch_size] for k in range(0, len(order), batch_size)]
    for idx in groups:
        gw, gb = _ref_grad(X[idx], y[idx], w, b)
        w, b = w - lr * gw, b - lr * gb
    return w, b


def _check_minibatch(sub, X, y, w, b, lr, batch_size, order, label):
    got_w, got_b = items(
        sub.call("minibatch_epoch", X, y, w, b, lr, batch_size, list(order)), 2, "minibatch_epoch"
    )
    ref_w, ref_b = _ref_minibatch(X, y, w, b, lr, batch_size, list(order))
    assert_close(got_w, ref_w, rtol=1e-10, atol=1e-12, name=f"w ({label})")
    assert_close(got_b, ref_b, rtol=1e-10, atol=1e-12, name=f"b ({label})")


@pytest.mark.exercise("minibatch_epoch", points=2)
def test_minibatch_epoch_small(sub):
    """Dica: um passo por grupo de batch_size índices de order, na ordem dada, com o gradiente só do
    grupo; o último grupo pode ser menor (4 exemplos em grupos de 3: dois passos). batch_size = m é
    um gd_step; batch_size = 1 é o SGD."""
    with uses(sub, "gradient_J"):
        _check_minibatch(sub, X_SMALL, Y_SMALL, W_SMALL, B_SMALL, 0.1, 3, [2, 0, 3, 1], "batch_size = 3")
        _check_minibatch(sub, X_SMALL, Y_SMALL, W_SMALL, B_SMALL, 0.1, 1, [3, 1, 0, 2], "batch_size = 1")
        _check_minibatch(sub, X_SMALL, Y_SMALL, W_SMALL, B_SMALL, 0.1, 2, [1, 3, 0, 2], "batch_size = 2")
        _check_minibatch(sub, X_SMALL, Y_SMALL, W_SMALL, B_SMALL, 0.1, 4, [0, 1, 2, 3], "batch_size = m")


@pytest.mark.exercise("minibatch_epoch", points=1, hidden=True)
def test_minibatch_epoch_random(sub):
    """Dica: percorra TODOS os índices de order, em grupos consecutivos de batch_size."""
    X, y, w, b = _random_problem(31, m=23, n=3)
    order = np.random.default_rng(31).permutation(23)
    for batch_size in (5, 7, 23):
        _check_minibatch(sub, X, y, w, b, 0.05, batch_size, order, f"batch_size = {batch_size}")
