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
    """Momento (momentum): v ← μ·v + g;  θ ← θ − lr·v (como ``torch.optim.SGD(momentum=μ)``)."""

    def __init__(self, lr, momentum=0.9):
        super().__init__(lr)
        self.momentum = check_fraction(momentum, "momentum")

    def _update(self, i, p, g):
        (v,) = self._buffers(i, p, 1)
        v *= self.momentum
        v += g
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


def lr_schedule(lr, decay, t):
    """Taxa de aprendizado com decaimento (learning rate decay): lr_t = lr / (1 + decay·t),
    ``t`` = 0, 1, 2, … o número de passos já dados. ``decay=0`` mantém a taxa constante."""
    check_positive(lr, "lr")
    check_positive(decay, "decay", allow_zero=True)
    return lr / (1.0 + decay * np.asarray(t, dtype=float))
