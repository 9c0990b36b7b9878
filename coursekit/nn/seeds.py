"""Treinar várias redes de uma vez: ``fit_seeds`` (para experimentos com várias sementes).

Uma conclusão tirada de uma semente só pode virar com outra. Para repetir um treino com 5 ou
10 sementes sem multiplicar o tempo, ``fit_seeds`` empilha os pesos das redes num eixo a mais
(forma ``(K, fan_in, fan_out)``) e faz o passo para frente, o para trás e a atualização de
todas juntas, com ``@`` em lote. Cada rede tem os seus minilotes (a sua semente de
embaralhamento) e as suas máscaras de dropout, sorteados exatamente como ``MLP.fit`` sorteia:
o resultado é o mesmo de treinar cada rede separadamente, só que bem mais rápido.
"""

import copy

import numpy as np

from coursekit._checks import check_positive, make_rng
from coursekit.nn.mlp import MLP
from coursekit.nn.optim import Adam, Optimizer

_FUSED = {
    ("softmax", "cross_entropy"),
    ("sigmoid", "bce"),
    ("identity", "mse"),
    ("identity", "half_mse"),
}


def mean_std(values, axis=0):
    """Média e desvio-padrão amostral (ddof=1) ao longo de ``axis``: o "média ± desvio" das aulas."""
    values = np.asarray(values, dtype=float)
    if values.shape[axis] < 2:
        raise ValueError("mean_std precisa de pelo menos 2 valores (um por semente).")
    return values.mean(axis=axis), values.std(axis=axis, ddof=1)


def _stack_optimizer(optimizers, k):
    """Um otimizador só para as K redes: hiperparâmetros que mudam entre elas viram arrays (K, 1, 1)."""
    if isinstance(optimizers, Optimizer):
        optimizers = [copy.deepcopy(optimizers) for _ in range(k)]
    optimizers = list(optimizers)
    if len(optimizers) != k or not all(isinstance(o, Optimizer) for o in optimizers):
        raise TypeError(f"optimizer deve ser um otimizador de coursekit.nn ou uma lista de {k} otimizadores.")
    kinds = {type(o) for o in optimizers}
    if len(kinds) != 1:
        raise ValueError("os otimizadores de fit_seeds devem ser da mesma classe (ex.: todos Adam).")
    if any(o.t or o.state for o in optimizers):
        raise ValueError("os otimizadores de fit_seeds devem ser novos (sem passos dados).")
    stacked = copy.deepcopy(optimizers[0])
    for name, value in vars(optimizers[0]).items():
        if name in ("t", "state"):
            continue
        values = [getattr(o, name) for o in optimizers]
        if any(v != value for v in values):
            setattr(stacked, name, np.asarray(values, dtype=float).reshape(k, 1, 1))
    return stacked


def _patience(patience, k, has_val):
    """Paciência por rede, como array (K,); ``inf`` = sem parada antecipada."""
    values = list(patience) if isinstance(patience, (list, tuple)) else [patience] * k
    if len(values) != k:
        raise ValueError(f"patience deve ser um inteiro ou uma lista com um valor por rede ({k}).")
    if any(v is not None for v in values) and not has_val:
        raise ValueError("patience (parada antecipada) exige validation_data=(X_val, y_val).")
    return np.array([np.inf if v is None else check_positive(v, "patience", integer=True) for v in values])


def _per_net(net, X, y, loss, k, x_name, y_name):
    """Dados (K, n, d) e alvos (K, n, saídas): os mesmos para todas as redes, ou uma lista com um conjunto por rede."""
    if isinstance(X, (list, tuple)):
        if not isinstance(y, (list, tuple)) or len(X) != k or len(y) != k:
            raise ValueError(f"{x_name} e {y_name} em lista precisam de um conjunto por rede ({k}).")
        Xs = [net._check_X(x) for x in X]
        if len({len(x) for x in Xs}) != 1:
            raise ValueError(f"os conjuntos de {x_name} devem ter o mesmo número de exemplos.")
        Ts = [net._targets(t, loss, len(x)) for x, t in zip(Xs, y)]
        return np.stack(Xs), np.stack(Ts).astype(float)
    X = net._check_X(X)
    T = np.asarray(net._targets(y, loss, len(X)), dtype=float)
    return np.broadcast_to(X, (k, *X.shape)), np.broadcast_to(T, (k, *T.shape))


def _check_nets(nets):
    if isinstance(nets, MLP) or not hasattr(nets, "__len__") or len(nets) < 1:
        raise TypeError("nets deve ser uma lista de MLPs (uma por semente).")
    first = nets[0]
    for net in nets:
        if not isinstance(net, MLP):
            raise TypeError("nets deve conter só objetos MLP.")
        same = (net.layer_sizes, net.activation, net.output_activation, net.bias) == (
            first.layer_sizes,
            first.activation,
            first.output_activation,
            first.bias,
        )
        if not same:
            raise ValueError(
                "as redes de fit_seeds devem ter os mesmos layer_sizes, activation, output_activation e bias."
            )
    return list(nets)


def _loss_and_delta(kind, T, out, z):
    """Perda por rede (K,) e ∂perda/∂z da saída, com T (K, n, k) e z (K, n, k)."""
    n, k = z.shape[1], z.shape[2]
    if kind == "cross_entropy":
        zmax = z.max(axis=2, keepdims=True)
        log_p = z - zmax - np.log(np.sum(np.exp(z - zmax), axis=2, keepdims=True))
        return -np.sum(T * log_p, axis=(1, 2)) / n, (out - T) / n
    if kind == "bce":
        value = np.mean(np.maximum(z, 0) - z * T + np.log1p(np.exp(-np.abs(z))), axis=(1, 2))
        return value, (out - T) / (n * k)
    scale = 1.0 if kind == "mse" else 0.5
    return scale * np.mean((out - T) ** 2, axis=(1, 2)), 2.0 * scale * (out - T) / (n * k)


def _output(kind, z):
    if kind == "cross_entropy":
        e = np.exp(z - z.max(axis=2, keepdims=True))
        return e / e.sum(axis=2, keepdims=True)
    if kind == "bce":
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z) sem overflow
    return z


def fit_seeds(
    nets,
    X,
    y,
    loss="mse",
    optimizer=None,
    epochs=100,
    batch_size=32,
    seeds=None,
    validation_data=None,
    patience=None,
):
    """Treina as MLPs de ``nets`` juntas, como ``net.fit(X, y, ...)`` faria com cada uma; devolve ``nets``.

    ``nets``: lista de K redes com a mesma arquitetura (``layer_sizes``, ativações, ``bias``),
    tipicamente a mesma receita com sementes de inicialização diferentes; ``alpha`` e
    ``dropout`` podem variar entre elas (uma grade de regularização inteira numa chamada só).
    ``optimizer``: um otimizador novo (copiado para cada rede) ou uma lista de K otimizadores
    novos da mesma classe, por exemplo ``[Adam(lr) for lr in grade]``; ``None`` usa ``Adam()``.
    ``X`` e ``y`` (e os de ``validation_data``) podem ser listas com um conjunto por rede, do mesmo
    tamanho: por exemplo, K separações treino/validação diferentes.
    ``patience``: como em ``MLP.fit``, ou uma lista com um valor por rede (``None`` = sem parada
    antecipada), para treinar redes com e sem parada antecipada na mesma chamada.
    ``seeds``: sementes do embaralhamento dos minilotes (e das máscaras de dropout), uma por
    rede; ``None`` usa 0 para todas, o padrão de ``MLP.fit``.
    Perdas aceitas (as combinações que ``MLP`` funde com a saída): softmax + ``"cross_entropy"``,
    sigmoid + ``"bce"``, identidade + ``"mse"`` ou ``"half_mse"``.

    Cada rede termina com os mesmos ``weights``, ``loss_history_``, ``val_loss_history_`` e
    ``best_epoch_`` que ``net.fit(X, y, loss, optimizer, epochs, batch_size, seed=seeds[i],
    validation_data, patience)`` daria (a menos do arredondamento da última casa).
    """
    nets = _check_nets(nets)
    K = len(nets)
    first = nets[0]
    if (first.output_activation, loss) not in _FUSED:
        raise ValueError(
            "fit_seeds aceita softmax + 'cross_entropy', sigmoid + 'bce' e identidade + 'mse'/'half_mse'; "
            f"recebi output_activation={first.output_activation!r} com loss={loss!r}."
        )
    X, T = _per_net(first, X, y, loss, K, "X", "y")
    check_positive(epochs, "epochs", integer=True)
    check_positive(batch_size, "batch_size", integer=True)
    seeds = [0] * K if seeds is None else list(seeds)
    if len(seeds) != K:
        raise ValueError(f"seeds deve ter uma semente por rede ({K}); recebi {len(seeds)}.")
    opt = _stack_optimizer(optimizer if optimizer is not None else [Adam() for _ in nets], K)
    val = None
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError("validation_data deve ser um par (X_val, y_val).")
        val = _per_net(first, *validation_data, loss, K, "X_val", "y_val")
    patience = _patience(patience, K, val is not None)
    for net in nets:
        net._check_X(X[0, :1])

    W = [np.stack([net.weights[i] for net in nets]).astype(float) for i in range(len(first.weights))]
    B = [
        np.stack([net.biases[i] for net in nets]).astype(float)[:, None, :] for i in range(len(first.biases))
    ]
    params = W + (B if first.bias else [])
    alpha = np.array([net.alpha for net in nets], dtype=float)
    keep = np.array([1.0 - net.dropout for net in nets])
    rngs = [make_rng(s) for s in seeds]
    act, act_grad = first._act, first._act_grad
    n, L = X.shape[1], len(W)
    rows = np.arange(K)[:, None]

    from_output = {"tanh": lambda f: 1.0 - f * f, "sigmoid": lambda f: f * (1.0 - f)}.get(first.activation)
    dropping = [k for k in range(K) if keep[k] < 1]

    def forward(A, dropout):
        cache = []
        for layer in range(L):
            z = A @ W[layer]
            if first.bias:
                z += B[layer]
            if layer == L - 1:
                return z, cache, A
            f = act(z)
            mask, new_a = None, f
            if dropout and dropping:
                mask = np.ones_like(z)
                for k in dropping:
                    mask[k] = (rngs[k].random(z.shape[1:]) < keep[k]) / keep[k]
                new_a = f * mask
            cache.append((A, z, f, mask))
            A = new_a

    history = np.zeros((K, epochs))
    val_history = np.full((K, epochs), np.nan)
    best_val = np.full(K, np.inf)
    best_epoch = np.zeros(K, dtype=int)
    best_params = [p.copy() for p in params]
    waited = np.zeros(K, dtype=int)
    stopped_at = np.full(K, epochs)  # número de épocas que cada rede "viu" no fit
    for epoch in range(epochs):
        orders = np.stack([rng.permutation(n) for rng in rngs])
        total = np.zeros(K)
        for start in range(0, n, batch_size):
            idx = orders[:, start : start + batch_size]
            z_out, cache, a_last = forward(X[rows, idx], dropout=True)
            value, delta = _loss_and_delta(loss, T[rows, idx], _output(loss, z_out), z_out)
            grads_w, grads_b = [None] * L, [None] * L
            a_prev = a_last
            for layer in range(L - 1, -1, -1):
                grads_w[layer] = np.swapaxes(a_prev, 1, 2) @ delta
                grads_b[layer] = delta.sum(axis=1, keepdims=True)
                if layer > 0:
                    a_prev, z, f, mask = cache[layer - 1]
                    grad = from_output(f) if from_output else act_grad(z)  # tanh, sigmoid: f' vem de f
                    delta = (delta @ np.swapaxes(W[layer], 1, 2)) * grad
                    if mask is not None:
                        delta = delta * mask
            if np.any(alpha):
                value = value + 0.5 * alpha * sum(np.sum(w * w, axis=(1, 2)) for w in W)
                for gw, w in zip(grads_w, W):
                    gw += alpha[:, None, None] * w
            opt.step(params, grads_w + grads_b if first.bias else grads_w)
            total += value * idx.shape[1]
        history[:, epoch] = total / n
        if val is not None:
            z_val = forward(val[0], dropout=False)[0]
            v = _loss_and_delta(loss, val[1], _output(loss, z_val), z_val)[0]
            active = stopped_at == epochs
            val_history[active, epoch] = v[active]
            better = active & (v < best_val)
            best_val[better], best_epoch[better] = v[better], epoch
            waited[better] = 0
            waited[active & ~better] += 1
            for p, saved in zip(params, best_params):
                saved[better] = p[better]
            stop = active & (waited >= patience)
            stopped_at[stop] = epoch + 1
            if not np.any(stopped_at == epochs):
                break
    early = np.isfinite(patience)
    for p, saved in zip(params, best_params):
        p[early] = saved[early]
    for k, net in enumerate(nets):
        seen = min(int(stopped_at[k]), epoch + 1)
        for i in range(L):
            net.weights[i][...] = W[i][k]
            net.biases[i][...] = B[i][k, 0] if first.bias else net.biases[i]
        net.loss_history_ = [float(v) for v in history[k, :seen]]
        net.val_loss_history_ = [float(v) for v in val_history[k, :seen]] if val is not None else []
        net.best_epoch_ = int(best_epoch[k]) if val is not None else None
    return nets
