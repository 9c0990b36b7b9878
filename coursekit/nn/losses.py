"""Funções de perda (loss functions) e seus gradientes.

Toda perda reduz pela média, como o padrão ``reduction="mean"`` do ``torch.nn``, e cada
``nome`` tem ``nome_grad`` com os mesmos argumentos: a derivada dessa média em relação a
``y_pred``. As funções públicas validam a entrada; as versões ``_nome`` (sem validação)
são as usadas dentro do treino da MLP.
"""

import numpy as np

from coursekit._checks import as_array, check_labels, check_positive, check_same_shape
from coursekit.nn.activations import sigmoid, softmax

_LOG_FLOOR = -100.0  # como o torch: log(p) nunca abaixo de −100, então a perda é finita
_TINY = np.exp(_LOG_FLOOR)


def _safe_log(p):
    return np.log(np.maximum(p, _TINY))


# ----------------------------------------------------------------------------- validação
def _pair(y_true, y_pred):
    t = as_array(y_true, "y_true")
    p = as_array(y_pred, "y_pred")
    check_same_shape(t, p, "y_true", "y_pred")
    return t, p


def _probabilities(p, name):
    if p.min() < 0 or p.max() > 1:
        raise ValueError(f"{name} deve conter probabilidades em [0, 1]; recebi valores fora disso.")
    return p


def _one_hot_targets(y_true, y_pred):
    """y_true como rótulos (n,) ou one-hot (n, k); devolve a matriz one-hot (n, k)."""
    p = as_array(y_pred, "y_pred", ndim=2)
    t = as_array(y_true, "y_true", ndim=(1, 2))
    if t.ndim == 2:
        check_same_shape(t, p, "y_true", "y_pred")
        return _probabilities(t, "y_true"), p
    if len(t) != len(p):
        raise ValueError(f"y_true e y_pred devem ter o mesmo número de amostras; recebi {len(t)} e {len(p)}.")
    labels = check_labels(t, "y_true", allowed=np.arange(p.shape[1]))
    return one_hot(labels, p.shape[1]), p


def one_hot(labels, n_classes):
    """Codificação one-hot: rótulo inteiro c vira o vetor com 1 na posição c."""
    out = np.zeros((len(labels), n_classes))
    out[np.arange(len(labels)), labels] = 1.0
    return out


# ------------------------------------------------------------------- regressão: MAE, MSE, Huber
def _mae(t, p):
    return float(np.mean(np.abs(p - t)))


def _mae_grad(t, p):
    return np.sign(p - t) / p.size


def _mse(t, p):
    return float(np.mean((p - t) ** 2))


def _mse_grad(t, p):
    return 2.0 * (p - t) / p.size


def _half_mse(t, p):
    return 0.5 * _mse(t, p)


def _half_mse_grad(t, p):
    return (p - t) / p.size


def _huber(t, p, delta=1.0):
    d = np.abs(p - t)
    return float(np.mean(np.where(d <= delta, 0.5 * d * d, delta * (d - 0.5 * delta))))


def _huber_grad(t, p, delta=1.0):
    return np.clip(p - t, -delta, delta) / p.size


def mae(y_true, y_pred):
    """Erro absoluto médio (MAE, L1): média de |ŷ − y|."""
    return _mae(*_pair(y_true, y_pred))


def mae_grad(y_true, y_pred):
    """∂MAE/∂ŷ = sinal(ŷ − y) / N (0 onde ŷ = y)."""
    return _mae_grad(*_pair(y_true, y_pred))


def mse(y_true, y_pred):
    """Erro quadrático médio (MSE, L2): média de (ŷ − y)² sobre todos os elementos."""
    return _mse(*_pair(y_true, y_pred))


def mse_grad(y_true, y_pred):
    """∂MSE/∂ŷ = 2(ŷ − y) / N."""
    return _mse_grad(*_pair(y_true, y_pred))


def half_mse(y_true, y_pred):
    """Metade do MSE: média de ½(ŷ − y)², a perda dos slides (o ½ cancela o 2 da derivada)."""
    return _half_mse(*_pair(y_true, y_pred))


def half_mse_grad(y_true, y_pred):
    """∂(½MSE)/∂ŷ = (ŷ − y) / N."""
    return _half_mse_grad(*_pair(y_true, y_pred))


def huber(y_true, y_pred, delta=1.0):
    """Perda de Huber (como ``torch.nn.HuberLoss``): ½d² se |d| ≤ δ, senão δ(|d| − ½δ)."""
    check_positive(delta, "delta")
    return _huber(*_pair(y_true, y_pred), delta)


def huber_grad(y_true, y_pred, delta=1.0):
    """Derivada da Huber: d dentro de [−δ, δ], δ·sinal(d) fora, dividido por N."""
    check_positive(delta, "delta")
    return _huber_grad(*_pair(y_true, y_pred), delta)


# ------------------------------------------------------------- classificação: BCE, CE, hinge
def _bce(t, p):
    return float(-np.mean(t * _safe_log(p) + (1 - t) * _safe_log(1 - p)))


def _bce_grad(t, p):
    return (p - t) / np.maximum(p * (1 - p), 1e-12) / p.size


def _bce_from_logits(t, z):
    """BCE calculada direto do logit z (sem passar por σ): estável para |z| enorme."""
    return float(np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))))


def _cross_entropy(T, p):
    return float(-np.sum(T * _safe_log(p)) / len(p))


def _cross_entropy_grad(T, p):
    return -T / np.maximum(p, _TINY) / len(p)


def _cross_entropy_from_logits(T, z):
    zmax = z.max(axis=1, keepdims=True)
    log_p = z - zmax - np.log(np.sum(np.exp(z - zmax), axis=1, keepdims=True))
    return float(-np.sum(T * log_p) / len(z))


def _hinge_margins(labels, s, delta):
    correct = s[np.arange(len(s)), labels][:, None]
    margins = np.maximum(0.0, s - correct + delta)
    margins[np.arange(len(s)), labels] = 0.0
    return margins


def _hinge(labels, s, delta=1.0):
    return float(np.sum(_hinge_margins(labels, s, delta)) / len(s))


def _hinge_grad(labels, s, delta=1.0):
    active = (_hinge_margins(labels, s, delta) > 0).astype(float)
    active[np.arange(len(s)), labels] = -active.sum(axis=1)
    return active / len(s)


def bce(y_true, y_pred):
    """Entropia cruzada binária (BCE): −média[y·log p + (1 − y)·log(1 − p)], p = probabilidades."""
    t, p = _pair(y_true, y_pred)
    return _bce(_probabilities(t, "y_true"), _probabilities(p, "y_pred"))


def bce_grad(y_true, y_pred):
    """∂BCE/∂p = (p − y) / (p(1 − p)) / N."""
    t, p = _pair(y_true, y_pred)
    return _bce_grad(_probabilities(t, "y_true"), _probabilities(p, "y_pred"))


def cross_entropy(y_true, y_pred):
    """Entropia cruzada multiclasse: −(1/n) Σᵢ Σₖ yᵢₖ·log pᵢₖ.

    ``y_true``: rótulos inteiros (n,) ou one-hot (n, k); ``y_pred``: probabilidades (n, k).
    """
    T, p = _one_hot_targets(y_true, y_pred)
    return _cross_entropy(T, _probabilities(p, "y_pred"))


def cross_entropy_grad(y_true, y_pred):
    """∂CE/∂p = −y / p / n."""
    T, p = _one_hot_targets(y_true, y_pred)
    return _cross_entropy_grad(T, _probabilities(p, "y_pred"))


def _hinge_inputs(y_true, y_pred, delta):
    check_positive(delta, "delta", allow_zero=True)
    s = as_array(y_pred, "y_pred", ndim=2)
    t = as_array(y_true, "y_true", ndim=1)
    if len(t) != len(s):
        raise ValueError(f"y_true e y_pred devem ter o mesmo número de amostras; recebi {len(t)} e {len(s)}.")
    return check_labels(t, "y_true", allowed=np.arange(s.shape[1])), s


def hinge(y_true, y_pred, delta=1.0):
    """Hinge multiclasse (SVM): média sobre amostras de Σ_{j≠y} max(0, s_j − s_y + δ).

    ``y_true``: rótulos inteiros (n,); ``y_pred``: pontuações (scores) (n, k).
    """
    return _hinge(*_hinge_inputs(y_true, y_pred, delta), delta)


def hinge_grad(y_true, y_pred, delta=1.0):
    """Derivada da hinge: +1/n em cada classe j que viola a margem, −(nº de violações)/n em y."""
    return _hinge_grad(*_hinge_inputs(y_true, y_pred, delta), delta)


# --------------------------------------------------- a partir dos logits ("from logits")
def _logit_pair(y_true, z):
    t = as_array(y_true, "y_true")
    z = as_array(z, "z")
    check_same_shape(t, z, "y_true", "z")
    return _probabilities(t, "y_true"), z


def bce_from_logits(y_true, z):
    """BCE calculada direto do logit z, sem passar por p = σ(z) (como ``torch.nn.BCEWithLogitsLoss``).

    Igual a ``bce(y_true, sigmoid(z))``, mas estável para |z| enorme: usa
    max(z, 0) − z·y + log(1 + e^(−|z|)), que nunca calcula log(0) nem estoura.
    """
    return _bce_from_logits(*_logit_pair(y_true, z))


def bce_from_logits_grad(y_true, z):
    """∂BCE/∂z = (σ(z) − y) / N: "probabilidade prevista menos rótulo", sem divisão por p(1 − p)."""
    t, z = _logit_pair(y_true, z)
    return (sigmoid(z) - t) / z.size


def _logit_targets(y_true, z):
    z = as_array(z, "z", ndim=2)
    T, _ = _one_hot_targets(y_true, np.zeros_like(z))
    return T, z


def cross_entropy_from_logits(y_true, z):
    """Entropia cruzada multiclasse a partir dos logits z (n, k), com log-softmax estável.

    Igual a ``cross_entropy(y_true, softmax(z))`` (como ``torch.nn.CrossEntropyLoss``, que também
    recebe logits). ``y_true``: rótulos inteiros (n,) ou distribuições (n, k).
    """
    return _cross_entropy_from_logits(*_logit_targets(y_true, z))


def cross_entropy_from_logits_grad(y_true, z):
    """∂CE/∂z = (softmax(z) − y) / n: "probabilidades previstas menos rótulo (one-hot)"."""
    T, z = _logit_targets(y_true, z)
    return (softmax(z) - T) / len(z)


def _kl_inputs(p, q):
    p = as_array(p, "p", ndim=(1, 2))
    q = as_array(q, "q", ndim=(1, 2))
    check_same_shape(p, q, "p", "q")
    _probabilities(p, "p")
    _probabilities(q, "q")
    return np.atleast_2d(p), np.atleast_2d(q), p.ndim


def kl_divergence(p, q):
    """Divergência KL(p‖q) = Σ p·log(p/q), média sobre as linhas (0·log 0 = 0)."""
    P, Q, _ = _kl_inputs(p, q)
    terms = np.where(P > 0, P * (_safe_log(P) - _safe_log(Q)), 0.0)
    return float(np.sum(terms) / len(P))


def kl_divergence_grad(p, q):
    """∂KL/∂q = −p / q / n (o gradiente em relação à distribuição prevista q)."""
    P, Q, ndim = _kl_inputs(p, q)
    g = -P / np.maximum(Q, _TINY) / len(P)
    return g if ndim == 2 else g[0]


LOSSES = {
    "mae": (_mae, _mae_grad),
    "mse": (_mse, _mse_grad),
    "half_mse": (_half_mse, _half_mse_grad),
    "huber": (_huber, _huber_grad),
    "bce": (_bce, _bce_grad),
    "cross_entropy": (_cross_entropy, _cross_entropy_grad),
    "hinge": (_hinge, _hinge_grad),
}
"""Perdas que a MLP aceita pelo nome: ``(valor, gradiente)`` sem validação."""
