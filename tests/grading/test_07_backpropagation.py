"""Testes de correção da aula 07 (retropropagação no exemplo 2-3 dos slides).

Cada teste recebe ``sub`` (a submissão) e chama as funções do aluno com ``sub.call``.
A referência confiável é ``coursekit.nn``: uma ``MLP([2, 2, 1], activation="identity",
bias=False)`` com os pesos dados, a perda ``"half_mse"`` (½(o − y)² com um exemplo) e
``SGD(alpha)``. A docstring de cada teste é a dica mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.nn import MLP, SGD, numerical_gradient, rel_error

LECTURE = "07_backpropagation"

X_SLIDE = np.array([2.0, 3.0])
Y_SLIDE = 1.0
W_SLIDE = np.array([[0.11, 0.12], [0.21, 0.08]])
W1_SLIDE = np.array([0.14, 0.15])


def _net(W, W1):
    net = MLP([2, 2, 1], activation="identity", output_activation="identity", bias=False)
    net.weights = [np.array(W, dtype=float), np.array(W1, dtype=float).reshape(2, 1)]
    return net


def _reference(x, W, W1, y):
    """(h, o, erro, grad_W, grad_W1) pela MLP de coursekit."""
    net = _net(W, W1)
    X = np.asarray(x, dtype=float).reshape(1, 2)
    h = X @ net.weights[0]
    o = float(net.forward(X)[0, 0])
    err, gw, _ = net.loss_and_gradients(X, np.array([y]), loss="half_mse")
    return h[0], o, err, gw[0], gw[1][:, 0]


def _reference_train(x, y, W, W1, alpha, n_iter):
    net = _net(W, W1)
    X = np.asarray(x, dtype=float).reshape(1, 2)
    opt = SGD(alpha)
    errors = []
    for _ in range(n_iter):
        err, gw, _ = net.loss_and_gradients(X, np.array([y]), loss="half_mse")
        errors.append(err)
        opt.step(net.weights, gw)
    return np.array(errors), net.weights[0], net.weights[1][:, 0]


def _random_case(seed):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=2),
        rng.normal(0, 0.5, size=(2, 2)),
        rng.normal(0, 0.5, size=2),
        float(rng.normal()),
    )


def _pair(result, name):
    assert isinstance(result, (tuple, list)) and len(result) == 2, (
        f"{name} deve devolver uma tupla com 2 itens"
    )
    return result


# --------------------------------------------------------------------------- forward
@pytest.mark.exercise("forward_23", points=1)
def test_forward_slide(sub):
    """Dica: h = x @ W dá [0.85, 0.48] e o = h @ W1 dá 0.191 com os valores do slide; devolva (h, o)."""
    h, o = _pair(sub.call("forward_23", X_SLIDE, W_SLIDE, W1_SLIDE), "forward_23")
    np.testing.assert_allclose(h, [0.85, 0.48])
    assert o == pytest.approx(0.191)


@pytest.mark.exercise("forward_23", points=1, hidden=True)
def test_forward_random(sub):
    """Dica: a linha i de W corresponde à entrada x_i (x @ W, não W @ x); o é um único número."""
    for seed in range(3):
        x, W, W1, y = _random_case(seed)
        h, o = _pair(sub.call("forward_23", x, W, W1), "forward_23")
        h_ref, o_ref, *_ = _reference(x, W, W1, y)
        np.testing.assert_allclose(h, h_ref, rtol=1e-10)
        assert float(o) == pytest.approx(o_ref, rel=1e-10, abs=1e-12)


# --------------------------------------------------------------------------- erro
@pytest.mark.exercise("half_squared_error", points=1)
def test_error_slide(sub):
    """Dica: ½(0.191 − 1)² = ½·0.654481 = 0.3272405 (o 0.327 do slide)."""
    assert sub.call("half_squared_error", 0.191, 1.0) == pytest.approx(0.3272405)


@pytest.mark.exercise("half_squared_error", points=1, hidden=True)
def test_error_values(sub):
    """Dica: não esqueça o ½ e o quadrado; o erro é zero quando o = y e nunca é negativo."""
    assert sub.call("half_squared_error", 2.0, 2.0) == pytest.approx(0.0)
    assert sub.call("half_squared_error", -1.0, 2.0) == pytest.approx(4.5)
    assert sub.call("half_squared_error", 0.2557457, 1.0) == pytest.approx(0.5 * (0.2557457 - 1) ** 2)


# --------------------------------------------------------------------------- backward
@pytest.mark.exercise("backward_23", points=2)
def test_backward_slide(sub):
    """Dica: Δ = o − y = −0.809; grad_W1 = Δ·h = [−0.68765, −0.38832] e grad_W = Δ·np.outer(x, W1)."""
    gW, gW1 = _pair(sub.call("backward_23", X_SLIDE, W_SLIDE, W1_SLIDE, Y_SLIDE), "backward_23")
    np.testing.assert_allclose(gW1, [-0.68765, -0.38832])
    np.testing.assert_allclose(gW, -0.809 * np.outer([2.0, 3.0], [0.14, 0.15]))


@pytest.mark.exercise("backward_23", points=2, hidden=True)
def test_backward_random(sub):
    """Dica: grad_W[i, j] = Δ·x_i·W1[j] (linha = entrada, coluna = neurônio escondido); grad_W tem o formato de W."""
    for seed in range(10, 14):
        x, W, W1, y = _random_case(seed)
        gW, gW1 = _pair(sub.call("backward_23", x, W, W1, y), "backward_23")
        *_, gW_ref, gW1_ref = _reference(x, W, W1, y)
        assert np.shape(gW) == (2, 2) and np.shape(gW1) == (2,)
        np.testing.assert_allclose(gW, gW_ref, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(gW1, gW1_ref, rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------- update
@pytest.mark.exercise("update_step", points=1)
def test_update_slide(sub):
    """Dica: W_novo = W − α·grad_W; com α = 0.05 os pesos do slide viram W1 ≈ [0.17, 0.17] e W ≈ [[0.12, 0.13], [0.23, 0.10]]."""
    gW = -0.809 * np.outer([2.0, 3.0], [0.14, 0.15])
    gW1 = -0.809 * np.array([0.85, 0.48])
    W_new, W1_new = _pair(sub.call("update_step", W_SLIDE, W1_SLIDE, gW, gW1, 0.05), "update_step")
    np.testing.assert_allclose(W1_new, [0.1743825, 0.169416])
    np.testing.assert_allclose(W_new, [[0.121326, 0.132135], [0.226989, 0.0982025]])


@pytest.mark.exercise("update_step", points=1, hidden=True)
def test_update_matches_sgd(sub):
    """Dica: subtraia (não some) α vezes o gradiente, para as duas matrizes."""
    rng = np.random.default_rng(5)
    W, W1, gW, gW1 = rng.normal(size=(2, 2)), rng.normal(size=2), rng.normal(size=(2, 2)), rng.normal(size=2)
    W_new, W1_new = _pair(sub.call("update_step", W, W1, gW, gW1, 0.3), "update_step")
    params = [W.copy(), W1.copy()]
    SGD(0.3).step(params, [gW, gW1])
    np.testing.assert_allclose(W_new, params[0])
    np.testing.assert_allclose(W1_new, params[1])


# --------------------------------------------------------------------------- treino
def _check_train(sub, x, y, W, W1, alpha, n_iter):
    result = sub.call("train_23", x, y, W, W1, alpha, n_iter)
    assert isinstance(result, dict), "train_23 deve devolver um dicionário"
    for key in ("errors", "W", "W1"):
        assert key in result, f"falta a chave {key!r}"
    errors, W_ref, W1_ref = _reference_train(x, y, W, W1, alpha, n_iter)
    assert np.shape(result["errors"]) == (n_iter,)
    np.testing.assert_allclose(result["errors"], errors, rtol=1e-8, atol=1e-15)
    np.testing.assert_allclose(result["W"], W_ref, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(result["W1"], W1_ref, rtol=1e-8, atol=1e-12)
    return result


@pytest.mark.exercise("train_23", points=2)
def test_train_slide(sub):
    """Dica: errors[0] é o erro ANTES da primeira atualização (0.3272405), errors[1] = 0.27695717; com α = 0.05 o erro fica < 1e-6 a partir da iteração 20."""
    result = _check_train(sub, X_SLIDE, Y_SLIDE, W_SLIDE, W1_SLIDE, 0.05, 25)
    assert result["errors"][20] < 1e-6


@pytest.mark.exercise("train_23", points=1, hidden=True)
def test_train_random_and_zero_iterations(sub):
    """Dica: com n_iter = 0 devolva errors vazio (formato (0,)) e os pesos iniciais; calcule todos os gradientes antes de atualizar."""
    x, W, W1, y = _random_case(21)
    _check_train(sub, x, y, W, W1, 0.02, 15)
    _check_train(sub, X_SLIDE, Y_SLIDE, W_SLIDE, W1_SLIDE, 0.05, 0)


# --------------------------------------------------------------------------- gradiente numérico
@pytest.mark.exercise("numerical_grad_W1", points=1)
def test_numerical_grad_slide(sub):
    """Dica: (Erro(w + eps) − Erro(w − eps)) / (2·eps) mexendo em um peso de W1 por vez; no slide dá ≈ [−0.68765, −0.38832]."""
    g = sub.call("numerical_grad_W1", X_SLIDE, W_SLIDE, W1_SLIDE, Y_SLIDE)
    assert np.shape(g) == (2,)
    assert rel_error(g, [-0.68765, -0.38832]) < 1e-6


@pytest.mark.exercise("numerical_grad_W1", points=1, hidden=True)
def test_numerical_grad_random(sub):
    """Dica: use diferenças CENTRAIS (±eps) e restaure o peso depois de cada perturbação (trabalhe numa cópia)."""
    for seed in range(30, 33):
        x, W, W1, y = _random_case(seed)
        g = sub.call("numerical_grad_W1", x, W, W1, y, eps=1e-5)
        net = _net(W, W1)
        X = x.reshape(1, 2)
        ref = numerical_gradient(
            lambda _, net=net, X=X, y=y: net.loss_and_gradients(X, np.array([y]), loss="half_mse")[0],
            net.weights[1],
            eps=1e-5,
        )[:, 0]
        assert rel_error(g, ref) < 1e-6
