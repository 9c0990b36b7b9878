"""Otimizadores (optimizers). Cada um atualiza, no lugar (in place), uma lista de arrays
com ``step(params, grads)`` e guarda seu próprio estado por posição da lista. As fórmulas
seguem as do ``torch.optim`` com os mesmos hiperparâmetros."""

import numpy as np

from coursekit._checks import check_fraction, check_positive


class Optimizer:
    """Base: valida ``params``/``grads`` e cria o estado (zeros) na primeira chamada."""

    def __init__(self, lr):
        self.lr = check_positive(lr, "lr")
        self.t = 0  # número de passos dados
        self.state = {}

    def step(self, params, grads):
        if not isinstance(params, (list, tuple)) or not isinstance(grads, (list, tuple)):
            raise TypeError("params e grads devem ser listas de arrays NumPy.")
        if len(params) != len(grads):
            raise ValueError(
                f"params e grads devem ter o mesmo tamanho; recebi {len(params)} e {len(grads)}."
            )
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                raise TypeError(f"params[{i}] deve ser um numpy.ndarray de floats (é atualizado no lugar).")
            if np.shape(g) != p.shape:
                raise ValueError(
                    f"grads[{i}] deve ter o formato de params[{i}], {p.shape}; recebi {np.shape(g)}."
                )
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            self._update(i, p, np.asarray(g, dtype=float))

    def _buffers(self, i, p, n):
        """Os ``n`` acumuladores (iniciados em zero) da posição ``i``."""
        if i not in self.state or self.state[i][0].shape != p.shape:
            self.state[i] = [np.zeros_like(p) for _ in range(n)]
        return self.state[i]

    def _update(self, i, p, g):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in vars(self).items() if k not in ("t", "state"))
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Descida do gradiente: θ ← θ − lr·g."""

    def _update(self, i, p, g):
        p -= self.lr * g


class Momentum(Optimizer):
    """Momento (momentum): v ← μ·v + g;  θ ← θ − lr·v (como ``torch.optim.SGD(momentum=μ)``).

    Com ``nesterov=True``, o gradiente acelerado de Nesterov (Nesterov accelerated gradient)
    na forma do ``torch.optim.SGD(nesterov=True)``: v ← μ·v + g;  θ ← θ − lr·(g + μ·v),
    o que equivale a calcular o gradiente no ponto "adiantado" θ − lr·μ·v.
    """

    def __init__(self, lr, momentum=0.9, nesterov=False):
        super().__init__(lr)
        self.momentum = check_fraction(momentum, "momentum")
        if not isinstance(nesterov, bool):
            raise TypeError(f"nesterov deve ser True ou False; recebi {nesterov!r}.")
        self.nesterov = nesterov

    def _update(self, i, p, g):
        (v,) = self._buffers(i, p, 1)
        v *= self.momentum
        v += g
        if self.nesterov:
            p -= self.lr * (g + self.momentum * v)
        else:
            p -= self.lr * v


class Adagrad(Optimizer):
    """Adagrad: G ← G + g²;  θ ← θ − lr·g / (√G + eps)."""

    def __init__(self, lr, eps=1e-10):
        super().__init__(lr)
        self.eps = check_positive(eps, "eps")

    def _update(self, i, p, g):
        (G,) = self._buffers(i, p, 1)
        G += g * g
        p -= self.lr * g / (np.sqrt(G) + self.eps)


class RMSProp(Optimizer):
    """RMSProp: E ← ρ·E + (1 − ρ)·g²;  θ ← θ − lr·g / (√E + eps)."""

    def __init__(self, lr, decay=0.99, eps=1e-8):
        super().__init__(lr)
        self.decay = check_fraction(decay, "decay")
        self.eps = check_positive(eps, "eps")

    def _update(self, i, p, g):
        (E,) = self._buffers(i, p, 1)
        E *= self.decay
        E += (1.0 - self.decay) * g * g
        p -= self.lr * g / (np.sqrt(E) + self.eps)


class Adam(Optimizer):
    """Adam: m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
    m̂ = m/(1 − β₁ᵗ);  v̂ = v/(1 − β₂ᵗ);  θ ← θ − lr·m̂/(√v̂ + eps)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = check_fraction(beta1, "beta1")
        self.beta2 = check_fraction(beta2, "beta2")
        self.eps = check_positive(eps, "eps")

    def _update(self, i, p, g):
        m, v = self._buffers(i, p, 2)
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * g * g
        m_hat_scale = 1.0 / (1.0 - self.beta1**self.t)
        v_hat_sqrt_scale = 1.0 / np.sqrt(1.0 - self.beta2**self.t)
        p -= (self.lr * m_hat_scale) * m / (np.sqrt(v) * v_hat_sqrt_scale + self.eps)


class AdamW(Adam):
    """AdamW (Loshchilov e Hutter): o Adam com o decaimento dos pesos (weight decay)
    **desacoplado** do passo adaptativo, como ``torch.optim.AdamW``:
    θ ← θ − lr·weight_decay·θ e, depois, o passo do Adam com o gradiente da perda.

    Diferente de somar ``alpha·θ`` ao gradiente (penalidade L2) e usar ``Adam``: lá o termo
    é dividido por √v̂ junto com o resto, e parâmetros com gradientes grandes quase não
    encolhem. Aqui todos encolhem pelo mesmo fator (1 − lr·weight_decay) a cada passo.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(lr, beta1, beta2, eps)
        self.weight_decay = check_positive(weight_decay, "weight_decay", allow_zero=True)

    def _update(self, i, p, g):
        p *= 1.0 - self.lr * self.weight_decay
        super()._update(i, p, g)


def _check_step(t):
    t = np.asarray(t)
    if t.dtype.kind not in "iuf" or np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ValueError("t deve ser um passo (ou array de passos) inteiro maior ou igual a zero.")
    return t.astype(float)


def step_decay(lr, t, step_size, gamma=0.1):
    """Decaimento em degraus (step decay), como ``torch.optim.lr_scheduler.StepLR``:
    lr_t = lr · gamma^⌊t / step_size⌋ (a taxa é multiplicada por ``gamma`` a cada
    ``step_size`` passos ou épocas). ``t`` = 0, 1, 2, …"""
    check_positive(lr, "lr")
    check_positive(step_size, "step_size", integer=True)
    check_positive(gamma, "gamma")
    return lr * gamma ** np.floor(_check_step(t) / step_size)


def exponential_decay(lr, t, gamma):
    """Decaimento exponencial (exponential decay), como ``ExponentialLR``: lr_t = lr · gamma^t."""
    check_positive(lr, "lr")
    check_positive(gamma, "gamma")
    return lr * gamma ** _check_step(t)


def cosine_schedule(lr, t, total_steps, lr_min=0.0):
    """Decaimento cosseno (cosine annealing), a forma fechada do ``CosineAnnealingLR``:
    lr_t = lr_min + (lr − lr_min)·(1 + cos(π·t/total_steps))/2 para t ≤ total_steps
    (depois disso, lr_min). Começa em ``lr`` e termina em ``lr_min``."""
    check_positive(lr, "lr")
    check_positive(total_steps, "total_steps", integer=True)
    check_positive(lr_min, "lr_min", allow_zero=True)
    t = np.minimum(_check_step(t), total_steps)
    return lr_min + (lr - lr_min) * 0.5 * (1.0 + np.cos(np.pi * t / total_steps))


def linear_warmup(lr, t, warmup_steps):
    """Aquecimento linear (warm-up): lr_t = lr · (t + 1)/warmup_steps nos primeiros
    ``warmup_steps`` passos e ``lr`` depois. Passos pequenos no começo, quando as médias do
    Adam ainda são ruidosas e os pesos iniciais podem gerar gradientes enormes."""
    check_positive(lr, "lr")
    check_positive(warmup_steps, "warmup_steps", integer=True)
    return lr * np.minimum(1.0, (_check_step(t) + 1.0) / warmup_steps)


def clip_grad_norm(grads, max_norm):
    """Corte do gradiente pela norma (gradient clipping), como
    ``torch.nn.utils.clip_grad_norm_`` (sem o 1e-6 que o torch soma à norma): se a norma total ‖g‖ = √(Σ g²), somada sobre todos
    os arrays, passa de ``max_norm``, todos são multiplicados por max_norm/‖g‖ (a direção
    não muda, só o tamanho). Devolve ``(lista de gradientes cortados, norma original)``;
    os arrays recebidos não são alterados."""
    if not isinstance(grads, (list, tuple)) or len(grads) == 0:
        raise TypeError("grads deve ser uma lista (não vazia) de arrays NumPy.")
    check_positive(max_norm, "max_norm")
    arrays = [np.asarray(g, dtype=float) for g in grads]
    for i, g in enumerate(arrays):
        if not np.all(np.isfinite(g)):
            raise ValueError(f"grads[{i}] contém NaN ou infinito.")
    norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in arrays)))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [g * scale for g in arrays], norm


def lr_schedule(lr, decay, t):
    """Taxa de aprendizado com decaimento (learning rate decay): lr_t = lr / (1 + decay·t),
    ``t`` = 0, 1, 2, … o número de passos já dados. ``decay=0`` mantém a taxa constante."""
    check_positive(lr, "lr")
    check_positive(decay, "decay", allow_zero=True)
    return lr / (1.0 + decay * np.asarray(t, dtype=float))
