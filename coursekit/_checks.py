"""Validação de entradas com mensagens em português que nomeiam o argumento."""

import numbers

import numpy as np


def as_array(value, name, ndim=None, allow_empty=False):
    """Converte ``value`` em array float64 finito, ou levanta TypeError/ValueError claros.

    ``ndim`` pode ser um inteiro ou uma tupla de dimensões aceitas.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} deve ser um array numérico; recebi {type(value).__name__}.")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} deve ser um array numérico (lista ou numpy.ndarray de números); "
            f"recebi {type(value).__name__}."
        ) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            dims = " ou ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} deve ser um array {dims}; recebi formato {arr.shape}.")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} está vazio: é preciso pelo menos um valor.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contém NaN ou infinito; limpe os dados antes.")
    return arr


def as_X(X, name="X"):
    """Matriz de dados (n_amostras, n_atributos); um vetor 1-D vira uma coluna."""
    X = as_array(X, name, ndim=(1, 2))
    return X.reshape(-1, 1) if X.ndim == 1 else X


def as_Xy(X, y, y_ndim=1):
    """Valida ``X`` (n, d) e ``y`` com o mesmo número de amostras."""
    X = as_X(X)
    y = as_array(y, "y", ndim=y_ndim)
    check_same_length(X, y, "X", "y")
    return X, y


def check_same_length(a, b, name_a, name_b):
    if len(a) != len(b):
        raise ValueError(
            f"{name_a} e {name_b} devem ter o mesmo número de amostras; recebi {len(a)} e {len(b)}."
        )


def check_same_shape(a, b, name_a, name_b):
    if a.shape != b.shape:
        raise ValueError(f"{name_a} e {name_b} devem ter o mesmo formato; recebi {a.shape} e {b.shape}.")


def check_positive(value, name, integer=False, allow_zero=False):
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "um inteiro" if integer else "um número"
        raise TypeError(f"{name} deve ser {what}; recebi {value!r}.")
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "maior ou igual a zero" if allow_zero else "positivo"
        raise ValueError(f"{name} deve ser {bound}; recebi {value!r}.")
    return value


def check_fraction(value, name, closed_right=False):
    """Número em [0, 1) (ou [0, 1] com ``closed_right``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} deve ser um número; recebi {value!r}.")
    ok = 0 <= value <= 1 if closed_right else 0 <= value < 1
    if not ok:
        interval = "[0, 1]" if closed_right else "[0, 1)"
        raise ValueError(f"{name} deve estar no intervalo {interval}; recebi {value!r}.")
    return float(value)


def check_choice(value, name, options):
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} desconhecido: {value!r}. Opções válidas: {listed}.")
    return value


def check_labels(y, name, allowed=None):
    """Rótulos inteiros (ex.: 0/1, ou -1/+1 com ``allowed``); devolve array int64."""
    if not np.all(y == np.round(y)):
        raise ValueError(f"{name} deve conter rótulos inteiros (classes); recebi valores fracionários.")
    labels = y.astype(np.int64)
    if allowed is not None:
        bad = np.setdiff1d(np.unique(labels), allowed)
        if bad.size:
            ok = ", ".join(str(a) for a in allowed)
            raise ValueError(f"{name} só pode conter os rótulos {{{ok}}}; encontrei {bad.tolist()}.")
    return labels


def make_rng(seed, name="seed"):
    """Aceita um inteiro, ``None`` ou um ``numpy.random.Generator``."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(f"{name} deve ser um inteiro ou numpy.random.Generator; recebi {seed!r}.")
