"""Superfícies de custo 2-D para comparar otimizadores (aula 10)."""

import numpy as np

from coursekit._checks import as_array, check_positive
from coursekit.nn.optim import clip_grad_norm, lr_schedule


class Landscape:
    """Uma função de custo f(w) de w = (w₀, w₁), com gradiente exato.

    ``bounds`` = ((x_min, x_max), (y_min, y_max)) é a janela sugerida para o gráfico de
    contorno; ``minima`` lista os mínimos conhecidos; ``start`` é um bom ponto de partida.
    """

    def __init__(self, name, title, f, grad, bounds, start, minima=()):
        self.name, self.title = name, title
        self._f, self._grad = f, grad
        self.bounds, self.start, self.minima = bounds, np.array(start, dtype=float), minima

    def f(self, w):
        w = np.asarray(w, dtype=float)
        return self._f(w[..., 0], w[..., 1])

    def grad(self, w):
        w = np.asarray(w, dtype=float)
        if w.ndim == 1:  # um ponto só (o caso do laço de otimização): sem np.stack, mais rápido
            return np.array(self._grad(w[0], w[1]), dtype=float)
        return np.stack(self._grad(w[..., 0], w[..., 1]), axis=-1)

    def grid(self, n=120):
        """Malha (xx, yy, zz) para ``contour``."""
        (x0, x1), (y0, y1) = self.bounds
        xx, yy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        return xx, yy, self._f(xx, yy)

    def __repr__(self):
        return f"<Landscape {self.name!r}: {self.title}>"


quadratic = Landscape(
    "quadratic",
    "Tigela alongada (mal condicionada): f = ½(w₀² + 20·w₁²)",
    lambda x, y: 0.5 * (x**2 + 20 * y**2),
    lambda x, y: (x, 20 * y),
    bounds=((-6, 6), (-3, 3)),
    start=(-5.0, 2.0),
    minima=((0.0, 0.0),),
)

rosenbrock = Landscape(
    "rosenbrock",
    "Rosenbrock: f = (1 − w₀)² + 100(w₁ − w₀²)²",
    lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    lambda x, y: (-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)),
    bounds=((-2, 2), (-1, 3)),
    start=(-1.5, 2.0),
    minima=((1.0, 1.0),),
)

saddle = Landscape(
    "saddle",
    "Ponto de sela: f = w₀² − w₁² (+ w₁⁴/4 para ter mínimos)",
    lambda x, y: x**2 - y**2 + 0.25 * y**4,
    lambda x, y: (2 * x, -2 * y + y**3),
    bounds=((-2, 2), (-2.5, 2.5)),
    start=(-1.8, 1e-3),
    minima=((0.0, np.sqrt(2)), (0.0, -np.sqrt(2))),
)

local_minima = Landscape(
    "local_minima",
    "Mínimo local e global: f = w₀⁴/4 − w₀² + 0.3·w₀ + w₁²",
    lambda x, y: 0.25 * x**4 - x**2 + 0.3 * x + y**2,
    lambda x, y: (x**3 - 2 * x + 0.3, 2 * y),
    bounds=((-2.2, 2.2), (-1.5, 1.5)),
    start=(2.0, 1.2),
    minima=((-1.48397, 0.0), (1.33222, 0.0)),  # raízes de w₀³ − 2w₀ + 0.3
)

LANDSCAPES = {l.name: l for l in (quadratic, rosenbrock, saddle, local_minima)}


def run_optimizer(landscape, optimizer, start, steps, decay=0.0, schedule=None, max_norm=None):
    """Roda ``optimizer`` por ``steps`` passos a partir de ``start`` e devolve a trajetória
    (steps + 1, 2).

    A taxa de cada passo: com ``schedule`` (uma função ``t -> taxa``, ex.
    ``lambda t: cosine_schedule(0.1, t, 100)``), antes do passo t a taxa vira ``schedule(t)``;
    senão, com ``decay`` > 0, vira ``lr_schedule(lr₀, decay, t)`` = lr₀ / (1 + decay·t). No fim,
    ``optimizer.lr`` volta a lr₀. Com ``max_norm``, o gradiente é cortado por
    ``clip_grad_norm`` antes de cada passo. Se a otimização divergir (valores infinitos ou
    enormes), o resto vira NaN."""
    if not isinstance(landscape, Landscape):
        raise TypeError("landscape deve ser uma superfície de coursekit.landscapes (ex.: rosenbrock).")
    w = as_array(start, "start", ndim=1).copy()
    if w.shape != (2,):
        raise ValueError(f"start deve ter 2 coordenadas (w₀, w₁); recebi formato {w.shape}.")
    check_positive(steps, "steps", integer=True, allow_zero=True)
    if schedule is not None and not callable(schedule):
        raise TypeError("schedule deve ser uma função t -> taxa de aprendizado (ou None).")
    if max_norm is not None:
        check_positive(max_norm, "max_norm")
    lr0 = optimizer.lr
    if schedule is None:
        rates = lr_schedule(lr0, decay, np.arange(steps))
    else:
        rates = [float(check_positive(float(schedule(t)), "schedule(t)")) for t in range(steps)]
    path = np.full((steps + 1, 2), np.nan)
    path[0] = w
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for k in range(steps):
                optimizer.lr = float(rates[k])
                g = landscape.grad(w)
                if max_norm is not None and np.all(np.isfinite(g)):
                    g = clip_grad_norm([g], max_norm)[0][0]
                optimizer.step([w], [g])
                if not (abs(w[0]) <= 1e8 and abs(w[1]) <= 1e8):  # também pega NaN e ∞
                    break
                path[k + 1] = w
    finally:
        optimizer.lr = lr0
    return path
