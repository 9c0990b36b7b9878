"""Inicializadores de pesos (weight initialisers): cada um é ``f(fan_in, fan_out, rng)``
e devolve uma matriz (fan_in, fan_out), para camadas ``X @ W + b``."""

import numpy as np

from coursekit._checks import check_choice, check_positive, make_rng


def _prepare(fan_in, fan_out, rng):
    check_positive(fan_in, "fan_in", integer=True)
    check_positive(fan_out, "fan_out", integer=True)
    return make_rng(rng, "rng")


def zeros(fan_in, fan_out, rng=None):
    """Tudo zero: todos os neurônios de uma camada ficam iguais (simetria nunca quebrada)."""
    _prepare(fan_in, fan_out, rng)
    return np.zeros((fan_in, fan_out))


def normal(fan_in, fan_out, rng=None, std=0.01):
    """Normal N(0, std²) com desvio fixo (0.01 por padrão: "pequena demais" em redes fundas)."""
    rng = _prepare(fan_in, fan_out, rng)
    check_positive(std, "std", allow_zero=True)
    return rng.normal(0.0, std, size=(fan_in, fan_out))


def xavier_uniform(fan_in, fan_out, rng=None):
    """Xavier/Glorot uniforme: U(−a, a) com a = √(6 / (fan_in + fan_out))."""
    rng = _prepare(fan_in, fan_out, rng)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def xavier_normal(fan_in, fan_out, rng=None):
    """Xavier/Glorot normal: N(0, σ²) com σ = √(2 / (fan_in + fan_out))."""
    rng = _prepare(fan_in, fan_out, rng)
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def he_uniform(fan_in, fan_out, rng=None):
    """He/Kaiming uniforme (para ReLU): U(−a, a) com a = √(6 / fan_in)."""
    rng = _prepare(fan_in, fan_out, rng)
    a = np.sqrt(6.0 / fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def he_normal(fan_in, fan_out, rng=None):
    """He/Kaiming normal (para ReLU): N(0, σ²) com σ = √(2 / fan_in)."""
    rng = _prepare(fan_in, fan_out, rng)
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def lecun_normal(fan_in, fan_out, rng=None):
    """LeCun normal (a de SELU): N(0, σ²) com σ = √(1 / fan_in), variância 1/fan_in."""
    rng = _prepare(fan_in, fan_out, rng)
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))


def lecun_uniform(fan_in, fan_out, rng=None):
    """LeCun uniforme: U(−a, a) com a = √(3 / fan_in), a mesma variância 1/fan_in."""
    rng = _prepare(fan_in, fan_out, rng)
    a = np.sqrt(3.0 / fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def orthogonal(fan_in, fan_out, rng=None, gain=1.0):
    """Ortogonal (Saxe et al., 2014): colunas (ou linhas) ortonormais, vezes ``gain``.

    Sorteia uma matriz gaussiana e fica com o fator Q da decomposição QR (com os sinais
    corrigidos, para a distribuição ser uniforme entre as matrizes ortogonais). Se
    fan_in ≥ fan_out, WᵀW = gain²·I; senão, WWᵀ = gain²·I.
    """
    rng = _prepare(fan_in, fan_out, rng)
    check_positive(gain, "gain")
    big, small = max(fan_in, fan_out), min(fan_in, fan_out)
    q, r = np.linalg.qr(rng.normal(size=(big, small)))
    q = q * np.where(np.diag(r) < 0, -1.0, 1.0)  # sinais de diag(R) positivos: Q uniforme
    return gain * (q if fan_in >= fan_out else q.T)


INITIALIZERS = {
    f.__name__: f
    for f in (
        zeros,
        normal,
        xavier_uniform,
        xavier_normal,
        he_uniform,
        he_normal,
        lecun_normal,
        lecun_uniform,
        orthogonal,
    )
}


def get_initializer(name):
    """Devolve o inicializador pelo nome (``"xavier_uniform"``, ``"he_normal"``, ...)."""
    return INITIALIZERS[check_choice(name, "init", list(INITIALIZERS))]
