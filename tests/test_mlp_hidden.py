"""Testes de ``MLP.hidden_activations`` (aula 11: ver a máscara do dropout sem API privada)."""

import numpy as np
import pytest

from coursekit.nn import MLP, relu, tanh


def test_hidden_activations_by_hand():
    net = MLP([3, 4, 2, 1], activation="tanh", seed=0)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 3))
    h1, h2 = net.hidden_activations(X)
    e1 = tanh(X @ net.weights[0] + net.biases[0])
    e2 = tanh(e1 @ net.weights[1] + net.biases[1])
    np.testing.assert_allclose(h1, e1, rtol=1e-15)
    np.testing.assert_allclose(h2, e2, rtol=1e-15)
    np.testing.assert_allclose(h2 @ net.weights[2] + net.biases[2], net.forward(X), rtol=1e-14)


def test_dropout_mask_matches_training_forward():
    """Referência: com a mesma semente, o passo de treino interno sorteia a mesma máscara."""
    net = MLP([1, 50, 1], activation="relu", seed=0, dropout=0.5)
    X = np.linspace(-1, 1, 20)[:, None]
    full = net.hidden_activations(X)[0]
    drop = net.hidden_activations(X, dropout_seed=3)[0]
    expected = relu(X @ net.weights[0] + net.biases[0])
    np.testing.assert_allclose(full, expected, rtol=1e-15)
    kept = drop != 0
    np.testing.assert_allclose(drop[kept], 2 * full[kept], rtol=1e-15)
    internal = net._forward(X, np.random.default_rng(3))[3]
    np.testing.assert_array_equal(drop, internal)
    assert 0.3 < np.mean(~kept[full != 0]) < 0.7
    np.testing.assert_array_equal(net.hidden_activations(X, dropout_seed=3)[0], drop)  # determinístico


def test_no_hidden_layer_and_bad_input():
    assert MLP([2, 1]).hidden_activations(np.zeros((3, 2))) == []
    with pytest.raises(ValueError, match="colunas"):
        MLP([2, 3, 1]).hidden_activations(np.zeros((3, 5)))
