"""Testes de correção da aula 04 (regressão logística binária).

A referência confiável é o ``coursekit``: ``coursekit.nn.sigmoid`` (estável), ``coursekit.nn.bce``
(a log-perda), ``numerical_gradient`` sobre a ``bce`` para o gradiente e
``coursekit.linear.LogisticRegression`` para o treino e a previsão com limiar. A docstring de cada
teste é a dica mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.grading.expect import assert_close, assert_equal, diagnose, fail, items, uses
from coursekit.linear import LogisticRegression
from coursekit.nn import bce, numerical_gradient, sigmoid

LECTURE = "04_regressao_logistica"

X_FLORES = np.array([[4.7, 1.4], [4.5, 1.5], [6.0, 2.5], [5.1, 1.9]])
Y_FLORES = np.array([0.0, 0.0, 1.0, 1.0])


def _ref_grad(X, y, w, b):
    theta = np.append(np.asarray(w, dtype=float), b)
    g = numerical_gradient(lambda t: bce(y, sigmoid(X @ t[:-1] + t[-1])), theta, eps=1e-6)
    return g[:-1], g[-1]


def _random_problem(seed, m=40, n=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n))
    y = (X @ rng.normal(size=n) + 0.8 * rng.normal(size=m) > 0).astype(float)
    return X, y, 0.5 * rng.normal(size=n), float(0.5 * rng.normal())


def _model(w, b):
    m = LogisticRegression()
    m.classes_ = np.array([0, 1])
    m.coef_, m.intercept_ = np.asarray(w, dtype=float).reshape(1, -1), np.array([float(b)])
    return m


def _sigmoid_quietly(sub, z):
    """Chama stable_sigmoid sem aceitar overflow (no check(): erro do NumPy; na correção: aviso impresso)."""
    with np.errstate(over="raise", invalid="raise"):
        out = sub.call("stable_sigmoid", z)
    if "RuntimeWarning" in sub.last_output or "overflow" in sub.last_output:
        fail(
            "`stable_sigmoid` deu aviso de overflow do NumPy em exp com |z| grande: a fórmula direta "
            "1/(1 + e^(−z)) calcula e^1000. Use e^(−|z|), que nunca passa de 1."
        )
    return out


W_FLORES, B_FLORES = np.array([0.4, -0.3]), -1.2


# ------------------------------------------------------------------------ sigmoide
@pytest.mark.exercise("stable_sigmoid", points=1)
def test_sigmoid_values(sub):
    """Dica: σ(0) = 0.5, σ(2) ≈ 0.8808, σ(−2) ≈ 0.1192; e σ(±1000) = 1 e 0 sem overflow nem aviso
    (use e^(−|z|) e np.where). Funciona também para matrizes."""
    z = np.array([-1000.0, -2.0, -0.5, 0.0, 2.0, 1000.0])
    assert_close(_sigmoid_quietly(sub, z), sigmoid(z), rtol=1e-12, atol=1e-300, name="σ(z)")
    Z = np.array([[-800.0, 1.0], [3.0, 750.0]])
    assert_close(_sigmoid_quietly(sub, Z), sigmoid(Z), rtol=1e-12, atol=1e-300, name="σ(Z) com Z 2×2")


@pytest.mark.exercise("stable_sigmoid", points=1, hidden=True)
def test_sigmoid_random(sub):
    """Dica: a função trabalha elemento a elemento e devolve o mesmo formato da entrada (também para matrizes)."""
    rng = np.random.default_rng(3)
    z = rng.normal(0, 30, size=(6, 5))
    assert_close(sub.call("stable_sigmoid", z), sigmoid(z), rtol=1e-10, atol=1e-300, name="σ(z)")
    big = np.array([-745.0, -710.0, 710.0, 745.0])
    assert_close(sub.call("stable_sigmoid", big), sigmoid(big), rtol=1e-10, atol=1e-300, name="σ(z)")


# ------------------------------------------------------------------------ log-perda
@pytest.mark.exercise("log_loss", points=1)
def test_log_loss_slide(sub):
    """Dica: y = [1, 0, 1], p = [0.8, 0.1, 0.7] dá ≈ 0.2284 = média de −log 0.8, −log 0.9 e −log 0.7."""
    y, p = np.array([1.0, 0.0, 1.0]), np.array([0.8, 0.1, 0.7])
    ratios = [
        (-1.0, "faltou o sinal de menos: −log p é positivo"),
        (3.0, "você somou em vez de tirar a média"),
    ]
    diagnose(sub.call("log_loss", y, p), bce(y, p), ratios=ratios, rtol=1e-10, name="log_loss")
    y, p = np.array([0.0, 1.0, 0.0, 0.0]), np.array([0.3, 0.6, 0.2, 0.9])
    assert_close(sub.call("log_loss", y, p), bce(y, p), rtol=1e-10, name="log_loss")


@pytest.mark.exercise("log_loss", points=1, hidden=True)
def test_log_loss_random(sub):
    """Dica: cada exemplo contribui −[y·log p + (1 − y)·log(1 − p)] e o resultado é a MÉDIA (não a soma)."""
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, size=50).astype(float)
    p = rng.uniform(0.01, 0.99, size=50)
    assert_close(sub.call("log_loss", y, p), bce(y, p), rtol=1e-10, name="log_loss")


# ------------------------------------------------------------------------ gradiente
def _check_gradient(sub, X, y, w, b):
    gw, gb = items(sub.call("logistic_gradient", X, y, w, b), 2, "logistic_gradient")
    rw, rb = _ref_grad(X, y, w, b)
    assert_close(gw, rw, rtol=1e-6, atol=1e-8, name="grad_w")
    assert_close(gb, float(rb), rtol=1e-6, atol=1e-8, name="grad_b")
    return gw


@pytest.mark.exercise("logistic_gradient", points=1)
def test_gradient_flowers(sub):
    """Dica: nas 4 flores com w = 0, b = 0 o gradiente é ([-0.2375, -0.1875], 0): média de (h − y)·x,
    com h = σ(Xw + b); em outro ponto (w ≠ 0, b ≠ 0) o b também entra."""
    with uses(sub, "stable_sigmoid"):
        gw = _check_gradient(sub, X_FLORES, Y_FLORES, np.zeros(2), 0.0)
        assert_close(gw, [-0.2375, -0.1875], atol=1e-9, name="grad_w")
        _check_gradient(sub, X_FLORES, Y_FLORES, W_FLORES, B_FLORES)


@pytest.mark.exercise("logistic_gradient", points=2, hidden=True)
def test_gradient_random(sub):
    """Dica: o sinal é (h − y), não (y − h): este é o gradiente da log-perda, que vamos DESCER."""
    for seed in range(3):
        X, y, w, b = _random_problem(seed)
        _check_gradient(sub, X, y, w, b)


# ------------------------------------------------------------------------ treino
def _check_train(sub, X, y, lr, epochs, rtol=1e-10):
    w, b = items(sub.call("train_logistic", X, y, lr, epochs), 2, "train_logistic")
    ref = LogisticRegression(lr=lr, epochs=epochs).fit(X, y)
    assert_close(w, ref.coef_[0], rtol=rtol, atol=1e-12, name="w")
    assert_close(b, float(ref.intercept_[0]), rtol=rtol, atol=1e-12, name="b")


@pytest.mark.exercise("train_logistic", points=1)
def test_train_one_step(sub):
    """Dica: um passo com lr = 0.1 nas 4 flores dá w = [0.02375, 0.01875] e b = 0 (começando de
    zeros); cada época é um passo w ← w − lr·grad_w, b ← b − lr·grad_b."""
    with uses(sub, "logistic_gradient", "stable_sigmoid"):
        _check_train(sub, X_FLORES, Y_FLORES, 0.1, 1)
        _check_train(sub, X_FLORES, np.array([0.0, 1.0, 1.0, 1.0]), 0.5, 4)


@pytest.mark.exercise("train_logistic", points=2, hidden=True)
def test_train_random(sub):
    """Dica: lote inteiro, um passo por época, w ← w − lr·grad_w e b ← b − lr·grad_b, começando de zeros."""
    for seed in range(2):
        X, y, _, _ = _random_problem(seed)
        _check_train(sub, X, y, 0.5, 200, rtol=1e-8)


# ------------------------------------------------------------------------ previsão
@pytest.mark.exercise("predict_labels", points=1)
def test_predict_threshold(sub):
    """Dica: com w = [1, 1], b = −6 as flores dão h ≈ [0.525, 0.5, 0.924, 0.731]: limiar 0.5 → [1, 1, 1, 1];
    0.6 → [0, 0, 1, 1] (use ≥). Devolva inteiros 0/1 (.astype(int)), não booleanos."""
    w, b = np.array([1.0, 1.0]), -6.0
    with uses(sub, "stable_sigmoid"):
        for t in (0.5, 0.6, 0.8):
            out = sub.call("predict_labels", X_FLORES, w, b, threshold=t)
            expected = np.asarray(_model(w, b).predict(X_FLORES, threshold=t)).astype(int)
            assert_equal(out, expected, name=f"predict_labels com limiar {t}", kind="i")
        assert_equal(sub.call("predict_labels", X_FLORES, w, b), np.array([1, 1, 1, 1]), name="limiar padrão")


@pytest.mark.exercise("predict_labels", points=1, hidden=True)
def test_predict_random(sub):
    """Dica: devolva 0/1 (inteiros) para cada linha de X, comparando σ(Xw + b) com o limiar pedido."""
    for seed in range(3):
        X, _, w, b = _random_problem(seed)
        for t in (0.2, 0.5, 0.9):
            out = sub.call("predict_labels", X, w, b, threshold=t)
            expected = np.asarray(_model(w, b).predict(X, threshold=t)).astype(int)
            assert_equal(out, expected, name=f"predict_labels com limiar {t}", kind="i")
