"""Funções de ativação (activation functions) e suas derivadas, elemento a elemento."""

import numpy as np

from coursekit._checks import check_choice


def _as_float(z):
    return np.asarray(z, dtype=float)


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), calculada sem overflow mesmo para |z| = 1000."""
    z = _as_float(z)
    ez = np.exp(-np.abs(z))  # nunca passa de 1
    return np.where(z >= 0, 1.0 / (1.0 + ez), ez / (1.0 + ez))


def sigmoid_grad(z):
    """σ'(z) = σ(z)·(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Tangente hiperbólica, com valores em (−1, 1)."""
    return np.tanh(_as_float(z))


def tanh_grad(z):
    """tanh'(z) = 1 − tanh²(z)."""
    t = np.tanh(_as_float(z))
    return 1.0 - t * t


def relu(z):
    """ReLU(z) = max(0, z)."""
    return np.maximum(_as_float(z), 0.0)


def relu_grad(z):
    """ReLU'(z) = 1 se z > 0, senão 0 (convenção: 0 em z = 0)."""
    return (_as_float(z) > 0).astype(float)


def identity(z):
    """Identidade: f(z) = z (a ativação "linear")."""
    return _as_float(z).copy()


def identity_grad(z):
    """A derivada da identidade é 1 em todo ponto."""
    return np.ones_like(_as_float(z))


def softmax(z):
    """Softmax por linha: e^(zᵢ) / Σⱼ e^(zⱼ), estável (subtrai o máximo da linha)."""
    z = _as_float(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_backward(s, grad_s):
    """Dado s = softmax(z) e ∂L/∂s, devolve ∂L/∂z = s ⊙ (∂L/∂s − Σ s ⊙ ∂L/∂s) por linha."""
    return s * (grad_s - np.sum(s * grad_s, axis=-1, keepdims=True))


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "identity": (identity, identity_grad),
}


def get_activation(name, allow_softmax=False):
    """Devolve ``(f, f_grad)`` da ativação pelo nome (``"softmax"`` só como saída)."""
    options = list(ACTIVATIONS) + (["softmax"] if allow_softmax else [])
    check_choice(name, "activation", options)
    return (softmax, None) if name == "softmax" else ACTIVATIONS[name]
