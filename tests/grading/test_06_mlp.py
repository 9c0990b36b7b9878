"""Testes de correção da aula 06 (MLP: ReLU, contagem de parâmetros, passo para frente, XOR).

Cada teste recebe ``sub`` (a submissão) e chama as funções do aluno com ``sub.call``;
a referência confiável é ``coursekit.nn``. A docstring de cada teste é a dica mostrada
quando ele falha.
"""

import numpy as np
import pytest

from coursekit.grading.expect import array, assert_close, assert_equal, items, keys
from coursekit.nn import MLP, n_params
from coursekit.nn import relu as ref_relu
from coursekit.nn import relu_grad as ref_relu_grad

LECTURE = "06_mlp"

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])


def _reference_forward(X, W1, b1, W2, b2):
    net = MLP([W1.shape[0], W1.shape[1], W2.shape[1]], activation="relu")
    net.weights = [np.array(W1, dtype=float), np.array(W2, dtype=float)]
    net.biases = [np.array(b1, dtype=float), np.array(b2, dtype=float)]
    return net.forward(X)


# --------------------------------------------------------------------------- relu
@pytest.mark.exercise("relu", points=1)
def test_relu_example(sub):
    """Dica: a ReLU elemento a elemento (np.maximum, não o max do Python) zera os negativos e mantém os positivos; relu(0) = 0; o resultado é um
    array float do formato de z (também para matrizes e listas)."""
    assert_close(sub.call("relu", np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0], name="relu([−2, 0, 3])")
    out = sub.call("relu", [[-1.0, 2.5], [0.5, -3.0]])
    array(out, shape=(2, 2), kind="f", name="relu(Z)")
    assert_close(out, [[0.0, 2.5], [0.5, 0.0]], name="relu(Z)")


@pytest.mark.exercise("relu", points=1, hidden=True)
def test_relu_random_2d(sub):
    """Dica: a ReLU é elemento a elemento e o resultado tem o mesmo formato da entrada (também para matrizes)."""
    z = np.random.default_rng(0).normal(size=(5, 4))
    assert_close(sub.call("relu", z), ref_relu(z), name="relu(z)")


# --------------------------------------------------------------------------- relu_grad
@pytest.mark.exercise("relu_grad", points=1)
def test_relu_grad_example(sub):
    """Dica: 1.0 onde z é positivo e 0.0 no resto (inclusive em z = 0): um
    array de FLOAT (não de bool) do formato de z."""
    out = sub.call("relu_grad", np.array([-2.0, 0.0, 3.0]))
    array(out, shape=(3,), kind="f", name="relu_grad(z)")
    assert_close(out, [0.0, 0.0, 1.0], name="relu_grad([−2, 0, 3])")
    out = sub.call("relu_grad", [[0.5, -1.0], [0.0, 2.0]])
    array(out, shape=(2, 2), kind="f", name="relu_grad(Z)")
    assert_close(out, [[1.0, 0.0], [0.0, 1.0]], name="relu_grad(Z)")


@pytest.mark.exercise("relu_grad", points=1, hidden=True)
def test_relu_grad_random_and_zero(sub):
    """Dica: em z = 0 a derivada é 0 (convenção do curso); o formato da saída é o da entrada."""
    z = np.random.default_rng(1).normal(size=(3, 6))
    z[0, 0] = 0.0
    out = array(sub.call("relu_grad", z), kind="f", name="relu_grad(z)")
    assert_close(out, ref_relu_grad(z), name="relu_grad(z)")


# --------------------------------------------------------------------------- count_params
@pytest.mark.exercise("count_params", points=1)
def test_count_params_slide_example(sub):
    """Dica: a rede 4 → 5 → 3 tem (4 + 1)·5 + (5 + 1)·3 = 43 parâmetros (um viés por neurônio, não por
    camada); devolva um int."""
    assert_equal(sub.call("count_params", [4, 5, 3]), 43, name="count_params([4, 5, 3])")


@pytest.mark.exercise("count_params", points=1)
def test_count_params_small(sub):
    """Dica: a rede 2 → 2 → 1 tem (2 + 1)·2 + (2 + 1)·1 = 9 parâmetros; com uma camada só, [3, 2], são 8;
    com três camadas de pesos, some as três."""
    for sizes in ([2, 2, 1], [3, 2], [2, 3, 4, 1]):
        assert_equal(sub.call("count_params", sizes), n_params(sizes), name=f"count_params({sizes})")


@pytest.mark.exercise("count_params", points=1, hidden=True)
def test_count_params_deep_and_single_layer(sub):
    """Dica: some (n_in + 1)·n_out para cada par de camadas consecutivas; com só [entrada, saída] há uma camada."""
    for sizes in ([2, 8, 8, 1], [64, 32, 10], [3, 1], [10, 7, 5, 3, 2]):
        assert_equal(sub.call("count_params", sizes), n_params(sizes), name=f"count_params({sizes})")


# --------------------------------------------------------------------------- forward
@pytest.mark.exercise("forward_two_layer", points=2)
def test_forward_worked_example(sub):
    """Dica: H = ReLU(X @ W1 + b1) e saída = H @ W2 + b2; no exemplo, H = [[3, 0]] e a saída é [[6.5]];
    com várias linhas em X a saída tem uma linha por exemplo, formato (n, m)."""
    W1, b1 = np.array([[1.0, -1.0], [1.0, 1.0]]), np.array([0.0, -5.0])
    W2, b2 = np.array([[2.0], [1.0]]), np.array([0.5])
    out = sub.call("forward_two_layer", np.array([[1.0, 2.0]]), W1, b1, W2, b2)
    assert_close(out, [[6.5]], name="a saída")
    X = np.array([[1.0, 2.0], [4.0, 3.0], [-1.0, 0.5]])
    W2, b2 = np.array([[2.0, -1.0], [1.0, 0.5]]), np.array([0.5, 1.0])
    out = sub.call("forward_two_layer", X, W1, b1, W2, b2)
    assert_close(
        out, _reference_forward(X, W1, b1, W2, b2), rtol=1e-12, name="a saída (3 exemplos, 2 saídas)"
    )


@pytest.mark.exercise("forward_two_layer", points=2, hidden=True)
def test_forward_random_batch(sub):
    """Dica: a saída tem formato (n, m): processe todas as linhas de X de uma vez com X @ W1."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(7, 3))
    W1, b1 = rng.normal(size=(3, 4)), rng.normal(size=4)
    W2, b2 = rng.normal(size=(4, 2)), rng.normal(size=2)
    out = sub.call("forward_two_layer", X, W1, b1, W2, b2)
    assert_close(out, _reference_forward(X, W1, b1, W2, b2), rtol=1e-10, atol=1e-12, name="a saída")


# --------------------------------------------------------------------------- xor
def _xor_output(sub):
    w = keys(sub.call("xor_weights"), ("W1", "b1", "W2", "b2"), name="xor_weights()")
    for key, shape in (("W1", (2, 2)), ("b1", (2,)), ("W2", (2, 1)), ("b2", (1,))):
        array(w[key], shape=shape, kind="fi", name=f"xor_weights()[{key!r}]")
    return _reference_forward(XOR_X, *(np.asarray(w[k], dtype=float) for k in ("W1", "b1", "W2", "b2")))


@pytest.mark.exercise("xor_weights", points=2)
def test_xor_weights_classify(sub):
    """Dica: um neurônio escondido conta quantas entradas estão ligadas (ReLU(x1 + x2)), o outro só acende
    com as duas (viés −1); a saída subtrai o segundo com peso 2. A saída fica a menos de 0.1 do XOR."""
    out = _xor_output(sub).ravel()
    assert_equal(out > 0.5, XOR_Y > 0.5, name="a classe prevista em cada ponto")
    assert_close(out, XOR_Y, atol=0.1, name="a saída da rede")


@pytest.mark.exercise("xor_weights", points=1, hidden=True)
def test_xor_weights_close(sub):
    """Dica: a saída deve ficar a menos de 0.1 do XOR (0, 1, 1, 0) em cada um dos quatro pontos."""
    assert_close(_xor_output(sub).ravel(), XOR_Y, atol=0.1, name="a saída da rede")


# ------------------------------------------------------------------------ camadas lineares empilhadas
def _check_collapse(sub, d, k, m, seed):
    rng = np.random.default_rng(seed)
    W1, b1 = rng.integers(-3, 4, size=(d, k)).astype(float), rng.integers(-3, 4, size=k).astype(float)
    W2, b2 = rng.integers(-3, 4, size=(k, m)).astype(float), rng.integers(-3, 4, size=m).astype(float)
    W, b = items(sub.call("collapse_linear", W1, b1, W2, b2), 2, "collapse_linear")
    X = rng.normal(size=(5, d))
    stacked = (X @ W1 + b1) @ W2 + b2
    W = array(W, shape=(d, m), kind="f", name="W")
    b = array(b, shape=(m,), kind="f", name="b")
    assert_close(
        X @ W + b, stacked, rtol=1e-10, atol=1e-10, name=f"X @ W + b contra as duas camadas ({d}→{k}→{m})"
    )


@pytest.mark.exercise("collapse_linear", points=2)
def test_collapse_linear(sub):
    """Dica: (XW₁ + b₁)W₂ + b₂ = X(W₁W₂) + (b₁W₂ + b₂): W tem formato (d, m) e b, (m,); o viés da
    primeira camada também passa por W₂."""
    W, b = items(
        sub.call("collapse_linear", [[2.0], [3.0]], [1.0], [[4.0, 5.0]], [0.0, 1.0]), 2, "collapse_linear"
    )
    assert_close(W, [[8.0, 10.0], [12.0, 15.0]], name="W")
    assert_close(b, [4.0, 6.0], name="b")
    _check_collapse(sub, 3, 2, 4, seed=0)


@pytest.mark.exercise("collapse_linear", points=1, hidden=True)
def test_collapse_linear_shapes(sub):
    """Dica: funcione para quaisquer formatos compatíveis, inclusive uma saída só."""
    for seed, (d, k, m) in enumerate([(4, 6, 1), (1, 3, 2), (5, 5, 5)]):
        _check_collapse(sub, d, k, m, seed + 1)
