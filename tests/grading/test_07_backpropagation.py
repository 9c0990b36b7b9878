"""Testes de correção da aula 07 (retropropagação no exemplo 2-3 dos slides).

Cada teste recebe ``sub`` (a submissão) e chama as funções do aluno com ``sub.call``.
A referência confiável é ``coursekit.nn``: uma ``MLP([2, 2, 1], activation="identity",
bias=False)`` com os pesos dados, a perda ``"half_mse"`` (½(o − y)² com um exemplo) e
``SGD(alpha)``. A docstring de cada teste é a dica mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.grading.expect import array, assert_close, fail, items, keys, scalar, uses
from coursekit.nn import MLP, SGD, numerical_gradient

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


# --------------------------------------------------------------------------- forward
def _check_forward(sub, x, W, W1, rtol=1e-10):
    h, o = items(sub.call("forward_23", x, W, W1), 2, "forward_23")
    h_ref, o_ref, *_ = _reference(x, W, W1, 0.0)
    assert_close(h, h_ref, rtol=rtol, atol=1e-12, name="h")
    assert_close(o, o_ref, rtol=rtol, atol=1e-12, name="o")


@pytest.mark.exercise("forward_23", points=1)
def test_forward_slide(sub):
    """Dica: h = x @ W dá [0.85, 0.48] e o = h @ W1 dá 0.191 com os valores do slide; devolva (h, o),
    com o um único número. A linha i de W corresponde à entrada x_i (x @ W, não W @ x)."""
    h, o = items(sub.call("forward_23", X_SLIDE, W_SLIDE, W1_SLIDE), 2, "forward_23")
    assert_close(h, [0.85, 0.48], name="h")
    assert_close(o, 0.191, name="o")
    _check_forward(sub, np.array([1.0, -2.0]), np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([1.5, -0.5]))


@pytest.mark.exercise("forward_23", points=1, hidden=True)
def test_forward_random(sub):
    """Dica: a linha i de W corresponde à entrada x_i (x @ W, não W @ x); o é um único número."""
    for seed in range(3):
        x, W, W1, _ = _random_case(seed)
        _check_forward(sub, x, W, W1)


# --------------------------------------------------------------------------- erro
@pytest.mark.exercise("half_squared_error", points=1)
def test_error_slide(sub):
    """Dica: ½(0.191 − 1)² = ½·0.654481 = 0.3272405 (o 0.327 do slide); ½(3 − 1)² = 2."""
    assert_close(sub.call("half_squared_error", 0.191, 1.0), 0.3272405, rtol=1e-10, name="½(0.191 − 1)²")
    assert_close(sub.call("half_squared_error", 3.0, 1.0), 2.0, rtol=1e-12, name="½(3 − 1)²")


@pytest.mark.exercise("half_squared_error", points=1, hidden=True)
def test_error_values(sub):
    """Dica: não esqueça o ½ e o quadrado; o erro é zero quando o = y e nunca é negativo."""
    assert_close(sub.call("half_squared_error", 2.0, 2.0), 0.0, atol=1e-15, name="½(2 − 2)²")
    assert_close(sub.call("half_squared_error", -1.0, 2.0), 4.5, rtol=1e-12, name="½(−1 − 2)²")
    expected = 0.5 * (0.2557457 - 1) ** 2
    assert_close(sub.call("half_squared_error", 0.2557457, 1.0), expected, rtol=1e-12, name="o erro")


# --------------------------------------------------------------------------- backward
def _check_backward(sub, x, W, W1, y, rtol=1e-9):
    gW, gW1 = items(sub.call("backward_23", x, W, W1, y), 2, "backward_23")
    *_, gW_ref, gW1_ref = _reference(x, W, W1, y)
    assert_close(gW, gW_ref, rtol=rtol, atol=1e-12, name="grad_W")
    assert_close(gW1, gW1_ref, rtol=rtol, atol=1e-12, name="grad_W1")


@pytest.mark.exercise("backward_23", points=2)
def test_backward_slide(sub):
    """Dica: Δ = o − y = −0.809; grad_W1 = Δ·h = [−0.68765, −0.38832] e grad_W = Δ·np.outer(x, W1)
    (linha = entrada, coluna = neurônio escondido)."""
    with uses(sub, "forward_23"):
        gW, gW1 = items(sub.call("backward_23", X_SLIDE, W_SLIDE, W1_SLIDE, Y_SLIDE), 2, "backward_23")
        assert_close(gW1, [-0.68765, -0.38832], name="grad_W1")
        assert_close(gW, -0.809 * np.outer([2.0, 3.0], [0.14, 0.15]), name="grad_W")
        _check_backward(
            sub, np.array([1.0, -2.0]), np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([1.5, -0.5]), -1.0
        )


@pytest.mark.exercise("backward_23", points=2, hidden=True)
def test_backward_random(sub):
    """Dica: grad_W[i, j] = Δ·x_i·W1[j] (linha = entrada, coluna = neurônio escondido); grad_W tem o formato de W."""
    for seed in range(10, 14):
        x, W, W1, y = _random_case(seed)
        _check_backward(sub, x, W, W1, y)


# --------------------------------------------------------------------------- update
@pytest.mark.exercise("update_step", points=1)
def test_update_slide(sub):
    """Dica: W_novo = W − α·grad_W; com α = 0.05 os pesos do slide viram W1 ≈ [0.17, 0.17] e W ≈ [[0.12, 0.13], [0.23, 0.10]]."""
    gW = -0.809 * np.outer([2.0, 3.0], [0.14, 0.15])
    gW1 = -0.809 * np.array([0.85, 0.48])
    W_new, W1_new = items(sub.call("update_step", W_SLIDE, W1_SLIDE, gW, gW1, 0.05), 2, "update_step")
    assert_close(W1_new, [0.1743825, 0.169416], name="W1 novo")
    assert_close(W_new, [[0.121326, 0.132135], [0.226989, 0.0982025]], name="W novo")


@pytest.mark.exercise("update_step", points=1, hidden=True)
def test_update_matches_sgd(sub):
    """Dica: subtraia (não some) α vezes o gradiente, para as duas matrizes."""
    rng = np.random.default_rng(5)
    W, W1, gW, gW1 = rng.normal(size=(2, 2)), rng.normal(size=2), rng.normal(size=(2, 2)), rng.normal(size=2)
    W_new, W1_new = items(sub.call("update_step", W, W1, gW, gW1, 0.3), 2, "update_step")
    params = [W.copy(), W1.copy()]
    SGD(0.3).step(params, [gW, gW1])
    assert_close(W_new, params[0], name="W novo")
    assert_close(W1_new, params[1], name="W1 novo")


# --------------------------------------------------------------------------- treino
def _check_train(sub, x, y, W, W1, alpha, n_iter):
    result = keys(sub.call("train_23", x, y, W, W1, alpha, n_iter), ("errors", "W", "W1"), name="train_23")
    errors, W_ref, W1_ref = _reference_train(x, y, W, W1, alpha, n_iter)
    array(result["errors"], shape=(n_iter,), kind="f", name="result['errors']")
    assert_close(result["errors"], errors, rtol=1e-8, atol=1e-15, name="result['errors']")
    assert_close(result["W"], W_ref, rtol=1e-8, atol=1e-12, name="result['W']")
    assert_close(result["W1"], W1_ref, rtol=1e-8, atol=1e-12, name="result['W1']")
    return result


@pytest.mark.exercise("train_23", points=2)
def test_train_slide(sub):
    """Dica: errors[0] é o erro ANTES da primeira atualização (0.3272405), errors[1] = 0.27695717; com
    α = 0.05 o erro fica < 1e-6 a partir da iteração 20. errors é um array NumPy (np.array(lista))."""
    with uses(sub, "forward_23", "half_squared_error", "backward_23", "update_step"):
        result = _check_train(sub, X_SLIDE, Y_SLIDE, W_SLIDE, W1_SLIDE, 0.05, 25)
        if not scalar(float(result["errors"][20])) < 1e-6:
            fail(f"result['errors'][20] deveria ser < 1e-6; obtido {float(result['errors'][20]):.3g}.")
        _check_train(
            sub,
            np.array([1.0, -2.0]),
            -1.0,
            np.array([[0.5, -1.0], [2.0, 0.25]]),
            np.array([1.5, -0.5]),
            0.02,
            3,
        )


@pytest.mark.exercise("train_23", points=1, hidden=True)
def test_train_random_and_zero_iterations(sub):
    """Dica: com n_iter = 0 devolva errors vazio (formato (0,)) e os pesos iniciais; calcule todos os gradientes antes de atualizar."""
    x, W, W1, y = _random_case(21)
    _check_train(sub, x, y, W, W1, 0.02, 15)
    _check_train(sub, X_SLIDE, Y_SLIDE, W_SLIDE, W1_SLIDE, 0.05, 0)


# --------------------------------------------------------------------------- gradiente numérico
def _numeric_reference(x, W, W1, y, eps):
    net = _net(W, W1)
    X = np.asarray(x, dtype=float).reshape(1, 2)
    return numerical_gradient(
        lambda _: net.loss_and_gradients(X, np.array([y]), loss="half_mse")[0], net.weights[1], eps=eps
    )[:, 0]


@pytest.mark.exercise("numerical_grad_W1", points=1)
def test_numerical_grad_slide(sub):
    """Dica: (Erro(w + eps) − Erro(w − eps)) / (2·eps) mexendo em um peso de W1 por vez (numa cópia);
    no slide dá ≈ [−0.68765, −0.38832]; respeite o eps recebido."""
    with uses(sub, "forward_23", "half_squared_error"):
        g = array(sub.call("numerical_grad_W1", X_SLIDE, W_SLIDE, W1_SLIDE, Y_SLIDE), shape=(2,), kind="f")
        assert_close(g, [-0.68765, -0.38832], rtol=1e-6, name="gradiente numérico")
        x, W, W1 = np.array([1.0, -2.0]), np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([1.5, -0.5])
        g = sub.call("numerical_grad_W1", x, W, W1, -1.0, eps=1e-4)
        assert_close(g, _numeric_reference(x, W, W1, -1.0, 1e-4), rtol=1e-7, name="gradiente numérico")


@pytest.mark.exercise("numerical_grad_W1", points=1, hidden=True)
def test_numerical_grad_random(sub):
    """Dica: use diferenças CENTRAIS (±eps) e restaure o peso depois de cada perturbação (trabalhe numa cópia)."""
    for seed in range(30, 33):
        x, W, W1, y = _random_case(seed)
        g = sub.call("numerical_grad_W1", x, W, W1, y, eps=1e-5)
        assert_close(
            g, _numeric_reference(x, W, W1, y, 1e-5), rtol=1e-6, atol=1e-10, name="gradiente numérico"
        )


# --------------------------------------------------------------------------- ⊙f′: tanh na camada escondida
def _tanh_reference(x, W, W1, y):
    net = MLP([2, 2, 1], activation="tanh", output_activation="identity", bias=False)
    net.weights = [np.array(W, dtype=float), np.array(W1, dtype=float).reshape(2, 1)]
    _, gw, _ = net.loss_and_gradients(
        np.asarray(x, dtype=float).reshape(1, 2), np.array([y]), loss="half_mse"
    )
    return gw[0], gw[1][:, 0]


def _without_fprime(x, W, W1, y):
    """O erro típico: grad_W calculado como se a ativação fosse a identidade (sem o fator 1 − tanh²)."""
    h = np.tanh(np.asarray(x) @ W)
    return np.outer(x, (float(h @ W1) - y) * np.asarray(W1))


def _check_backward_tanh(sub, x, W, W1, y, rtol=1e-9):
    gW, gW1 = items(sub.call("backward_tanh_23", x, W, W1, y), 2, "backward_tanh_23")
    gW_ref, gW1_ref = _tanh_reference(x, W, W1, y)
    assert_close(gW1, gW1_ref, rtol=rtol, atol=1e-12, name="grad_W1")
    gW = array(gW, shape=(2, 2), kind="f", name="grad_W")
    if np.allclose(gW, _without_fprime(x, W, W1, y), rtol=1e-9) and not np.allclose(gW, gW_ref, rtol=1e-9):
        fail(
            "grad_W é o que se obtém sem o fator da ativação: o erro que volta a cada neurônio escondido "
            "precisa ser multiplicado, elemento a elemento, por tanh'(z_j) = 1 − h_j²."
        )
    assert_close(gW, gW_ref, rtol=rtol, atol=1e-12, name="grad_W")


@pytest.mark.exercise("backward_tanh_23", points=2)
def test_backward_tanh_slide(sub):
    """Dica: h = tanh(x @ W); grad_W1 = Δ·h com o novo h (≈ [−0.57795, −0.37320] no slide); o erro de cada
    neurônio escondido é Δ·W1[j]·(1 − h_j²) e grad_W[i, j] = x_i vezes esse erro."""
    _check_backward_tanh(sub, X_SLIDE, W_SLIDE, W1_SLIDE, Y_SLIDE)
    _check_backward_tanh(
        sub, np.array([1.0, -2.0]), np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([1.5, -0.5]), -1.0
    )


@pytest.mark.exercise("backward_tanh_23", points=1, hidden=True)
def test_backward_tanh_random(sub):
    """Dica: o fator 1 − tanh²(z_j) vale para cada neurônio escondido; grad_W tem o formato de W."""
    for seed in range(40, 44):
        x, W, W1, y = _random_case(seed)
        _check_backward_tanh(sub, 2 * x, 2 * W, W1, y)


# --------------------------------------------------------------------------- rede de L camadas
def _layers_reference(X, Y, weights):
    sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    net = MLP(sizes, activation="tanh", output_activation="identity", bias=False)
    net.weights = [np.array(W, dtype=float) for W in weights]
    _, gw, _ = net.loss_and_gradients(np.asarray(X, dtype=float), np.asarray(Y, dtype=float), loss="half_mse")
    return gw


def _layers_case(seed, sizes, n):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    Y = rng.normal(size=(n, sizes[-1]))
    weights = [rng.normal(0, 0.8, size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    return X, Y, weights


def _check_layers(sub, X, Y, weights):
    grads = sub.call("backward_layers", X, Y, weights)
    grads = items(grads, len(weights), "backward_layers")
    for l, (g, g_ref) in enumerate(zip(grads, _layers_reference(X, Y, weights)), start=1):
        assert_close(g, g_ref, rtol=1e-8, atol=1e-12, name=f"o gradiente de W[{l}] (weights[{l - 1}])")


@pytest.mark.exercise("backward_layers", points=3)
def test_backward_layers_public(sub):
    """Dica: δ da saída = (Ŷ − Y)/(n·k); grad de W[l] = a[l−1]ᵀ δ[l]; δ[l−1] = (δ[l] W[l]ᵀ) ⊙ (1 − a[l−1]²).
    Guarde a entrada de cada camada no passo para frente e percorra as camadas de trás para frente."""
    X, Y, weights = _layers_case(1, [3, 4, 2], 5)
    _check_layers(sub, X, Y, weights)
    X, Y, weights = _layers_case(2, [2, 3, 4, 1], 6)
    _check_layers(sub, X, Y, weights)
    X, Y, weights = _layers_case(3, [3, 2], 4)  # L = 1: regressão linear
    _check_layers(sub, X, Y, weights)


@pytest.mark.exercise("backward_layers", points=2, hidden=True)
def test_backward_layers_random(sub):
    """Dica: o mesmo código precisa servir para qualquer L e quaisquer larguras; a média é sobre n·k números."""
    for seed, sizes in [(10, [4, 5, 5, 5, 3]), (11, [1, 6, 1]), (12, [5, 3, 3, 2])]:
        X, Y, weights = _layers_case(seed, sizes, 7)
        _check_layers(sub, X, Y, weights)
