"""Verificação do gradiente (gradient checking) por diferenças finitas."""

import numpy as np

from coursekit._checks import as_array, check_positive


def numerical_gradient(f, x, eps=1e-6):
    """Gradiente numérico de uma função escalar ``f(x)`` por diferenças centrais:

    ∂f/∂xᵢ ≈ (f(x + eps·eᵢ) − f(x − eps·eᵢ)) / (2·eps).

    Se ``x`` é um array float64, ele é alterado temporariamente no lugar (e restaurado),
    então ``f`` pode ler o próprio ``x`` (ex.: os pesos de uma rede). Outras entradas (listas,
    inteiros) são copiadas para um array float64, e ``f`` recebe essa cópia perturbada.
    """
    if not callable(f):
        raise TypeError("f deve ser uma função que recebe x e devolve um número.")
    check_positive(eps, "eps")
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64):
        x = as_array(x, "x", allow_empty=True).copy()
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        f_plus = float(f(x))
        x[idx] = old - eps
        f_minus = float(f(x))
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


def rel_error(a, b):
    """Erro relativo máximo: max |a − b| / max(1e-8, |a| + |b|), elemento a elemento."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"a e b devem ter o mesmo formato; recebi {a.shape} e {b.shape}.")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
