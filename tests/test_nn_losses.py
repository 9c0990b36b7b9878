"""Perdas calculadas a partir dos logits: ∂CE/∂z = p − y (softmax + CE e σ + BCE)."""

import numpy as np
import pytest
from scipy.special import expit, log_softmax
from sklearn.metrics import log_loss

from coursekit.nn import MLP, bce, cross_entropy, numerical_gradient, sigmoid, softmax
from coursekit.nn.losses import (
    bce_from_logits,
    bce_from_logits_grad,
    cross_entropy_from_logits,
    cross_entropy_from_logits_grad,
)


def test_bce_from_logits_igual_a_bce_de_sigmoide_e_ao_scikit_learn():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 3, size=50)
    y = rng.integers(0, 2, size=50).astype(float)
    assert np.isclose(bce_from_logits(y, z), bce(y, sigmoid(z)), rtol=1e-12)
    assert np.isclose(bce_from_logits(y, z), log_loss(y, expit(z)), rtol=1e-10)


def test_bce_from_logits_grad_e_sigma_menos_y_e_bate_com_diferencas_finitas():
    rng = np.random.default_rng(1)
    z = rng.normal(0, 2, size=(6, 2))
    y = rng.integers(0, 2, size=(6, 2)).astype(float)
    g = bce_from_logits_grad(y, z)
    np.testing.assert_allclose(g, (expit(z) - y) / y.size, rtol=1e-12)
    np.testing.assert_allclose(g, numerical_gradient(lambda v: bce_from_logits(y, v), z.copy()), atol=1e-9)


def test_cross_entropy_from_logits_igual_a_log_softmax_do_scipy():
    rng = np.random.default_rng(2)
    z = rng.normal(0, 3, size=(8, 4))
    labels = rng.integers(0, 4, size=8)
    esperado = -np.mean(log_softmax(z, axis=1)[np.arange(8), labels])
    assert np.isclose(cross_entropy_from_logits(labels, z), esperado, rtol=1e-12)
    assert np.isclose(cross_entropy_from_logits(labels, z), cross_entropy(labels, softmax(z)), rtol=1e-12)


def test_cross_entropy_from_logits_grad_e_p_menos_y_e_bate_com_diferencas_finitas():
    rng = np.random.default_rng(3)
    z = rng.normal(0, 2, size=(5, 3))
    labels = rng.integers(0, 3, size=5)
    g = cross_entropy_from_logits_grad(labels, z)
    np.testing.assert_allclose(g, (softmax(z) - np.eye(3)[labels]) / 5, rtol=1e-12)
    num = numerical_gradient(lambda v: cross_entropy_from_logits(labels, v), z.copy())
    np.testing.assert_allclose(g, num, atol=1e-9)
    # com alvo "suave" (distribuição, como no label smoothing) vale o mesmo p − y
    suave = 0.9 * np.eye(3)[labels] + 0.1 / 3
    np.testing.assert_allclose(cross_entropy_from_logits_grad(suave, z), (softmax(z) - suave) / 5, rtol=1e-12)


def test_gradiente_de_logits_e_o_que_a_mlp_usa_na_saida():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(7, 3))
    labels = rng.integers(0, 4, size=7)
    rede = MLP([3, 4], activation="identity", output_activation="softmax", seed=0)
    _, gw, gb = rede.loss_and_gradients(X, labels, loss="cross_entropy")
    z = X @ rede.weights[0] + rede.biases[0]
    d = cross_entropy_from_logits_grad(labels, z)
    np.testing.assert_allclose(gw[0], X.T @ d, rtol=1e-12)
    np.testing.assert_allclose(gb[0], d.sum(axis=0), rtol=1e-12)


def test_logits_enormes_nao_estouram(recwarn):
    z = np.array([1000.0, -1000.0, 1000.0, -1000.0])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    assert np.isclose(bce_from_logits(y, z), (0 + 0 + 1000 + 1000) / 4)
    np.testing.assert_allclose(bce_from_logits_grad(y, z), [0, 0, 0.25, -0.25])
    Z = np.array([[1000.0, 0.0, -1000.0]])
    assert np.isclose(cross_entropy_from_logits([2], Z), 2000.0)
    np.testing.assert_allclose(cross_entropy_from_logits_grad([2], Z), [[1.0, 0.0, -1.0]])
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize(
    ("f", "args", "nome"),
    [
        (bce_from_logits, ([1.0, 0.0], [0.5]), "y_true e z"),
        (bce_from_logits_grad, ([1.0, 2.0], [0.5, 0.1]), "y_true"),
        (cross_entropy_from_logits, ([0, 3], [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), "y_true"),
        (cross_entropy_from_logits_grad, ([0], [1.0, 2.0]), "z"),
    ],
)
def test_entradas_ruins_dao_erro_em_portugues(f, args, nome):
    with pytest.raises(ValueError) as exc:
        f(*args)
    assert any(parte in str(exc.value) for parte in nome.split(" e "))
