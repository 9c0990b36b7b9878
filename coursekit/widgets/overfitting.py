"""Widget da aula 11: capacidade do modelo (grau do polinômio) × erro de treino e de validação.

``compute_capacity`` é puro: gera dados com ruído de uma curva suave, separa treino e
validação, ajusta polinômios de grau 1..``max_degree`` (mínimos quadrados, com penalidade L2
opcional, via ``coursekit.model_selection``) e devolve os erros e a curva ajustada.
"""

import functools

import numpy as np

from coursekit._checks import check_positive
from coursekit.model_selection import polynomial_features, ridge_fit
from coursekit.widgets._ui import TRAIN, VALIDATION, fmt, simple_log_axis, text_color

#: o polinômio ajustado e o grau escolhido: o modelo, sem matiz (verde é o treino)
MODEL_COLOR = "black"
CHOSEN_COLOR = "0.45"

MAX_DEGREE = 15
ALPHAS = (0.0, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)


def true_function(x):
    """A curva "verdadeira" que gera os dados: f(x) = sin(3x)."""
    return np.sin(3.0 * np.asarray(x, dtype=float))


def make_data(n_train=20, n_val=60, noise=0.3, seed=0):
    """Amostras x ~ U(−1, 1) e y = f(x) + ruído N(0, noise²): ``(x_tr, y_tr, x_val, y_val)``."""
    check_positive(n_train, "n_train", integer=True)
    check_positive(n_val, "n_val", integer=True)
    check_positive(noise, "noise", allow_zero=True)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, n_train + n_val)
    y = true_function(x) + noise * rng.normal(size=x.size)
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


def fit_polynomial(x, y, degree, alpha=0.0):
    """Ajusta ŷ = b + Σₖ wₖ·xᵏ (k = 1..degree) com penalidade L2 λ = ``alpha`` (0 = mínimos
    quadrados); devolve uma função ``predict(x_novo)``."""
    coef, b = ridge_fit(polynomial_features(x, degree), y, alpha)
    return lambda x_new: polynomial_features(x_new, degree) @ coef + b


@functools.lru_cache(maxsize=256)
def _errors_by_degree(noise, n_train, alpha, seed, max_degree):
    """MSE de treino e de validação para os graus 1..``max_degree`` (em cache: mexer só no
    grau escolhido não refaz os 15 ajustes)."""
    x_tr, y_tr, x_val, y_val = make_data(n_train, 60, noise, seed)
    train_mse, val_mse = np.empty(max_degree), np.empty(max_degree)
    for i, d in enumerate(range(1, max_degree + 1)):
        predict = fit_polynomial(x_tr, y_tr, d, alpha)
        train_mse[i] = np.mean((predict(x_tr) - y_tr) ** 2)
        val_mse[i] = np.mean((predict(x_val) - y_val) ** 2)
    train_mse.flags.writeable = val_mse.flags.writeable = False  # compartilhados pelo cache
    return train_mse, val_mse


def compute_capacity(degree=3, noise=0.3, n_train=40, alpha=0.0, seed=0, max_degree=MAX_DEGREE):
    """Erros de treino e de validação (MSE) para cada grau 1..``max_degree`` e a curva do
    grau ``degree``. Devolve um dict com ``x_train``, ``y_train``, ``x_val``, ``y_val``,
    ``degrees``, ``train_mse``, ``val_mse`` (arrays por grau), ``grid``, ``curve`` (a previsão
    do grau escolhido na grade), ``truth`` (f na grade), ``best_degree`` (menor erro de
    validação) e os erros do grau escolhido (``train``, ``val``)."""
    check_positive(degree, "degree", integer=True)
    check_positive(max_degree, "max_degree", integer=True)
    if degree > max_degree:
        raise ValueError(f"degree deve ser no máximo {max_degree}; recebi {degree}.")
    x_tr, y_tr, x_val, y_val = make_data(n_train, 60, noise, seed)
    degrees = np.arange(1, max_degree + 1)
    train_mse, val_mse = _errors_by_degree(float(noise), int(n_train), float(alpha), seed, int(max_degree))
    grid = np.linspace(-1, 1, 300)
    curve = fit_polynomial(x_tr, y_tr, degree, alpha)(grid)
    return {
        "x_train": x_tr,
        "y_train": y_tr,
        "x_val": x_val,
        "y_val": y_val,
        "degrees": degrees,
        "train_mse": train_mse,
        "val_mse": val_mse,
        "grid": grid,
        "curve": curve,
        "truth": true_function(grid),
        "best_degree": int(degrees[np.argmin(val_mse)]),
        "train": float(train_mse[degree - 1]),
        "val": float(val_mse[degree - 1]),
    }


#: tamanho da figura do widget (e da DEMO medida em benchmarks/widgets.py)
FIGSIZE = (9.5, 4.2)


def _labels(ax, items, x, y, width=None, step=0.07):
    """Textos coloridos empilhados de cima para baixo a partir de (x, y) (coordenadas do eixo),
    sobre um fundo branco de largura ``width`` (se dada): fazem o papel de uma legenda, que é
    bem mais cara de desenhar."""
    from matplotlib.patches import Rectangle

    if width:
        height = step * len(items) + 0.02
        ax.add_patch(
            Rectangle(
                (x - 0.015, y - height + 0.01),
                width,
                height,
                color="white",
                alpha=0.85,
                transform=ax.transAxes,
                zorder=3,
            )
        )
    for i, (text, color) in enumerate(items):
        ax.text(
            x,
            y - step * i,
            text,
            color=text_color(color),
            fontsize=8.5,
            va="top",
            zorder=4,
            transform=ax.transAxes,
        )


def draw_capacity(fig, degree=3, noise=0.3, n_train=40, alpha=0.0):
    """Esquerda: dados e polinômio ajustado. Direita: erro de treino e validação por grau."""

    r = compute_capacity(degree, noise, n_train, alpha)
    ax, ax2 = fig.subplots(1, 2)
    ax.plot(r["grid"], r["truth"], "--", color="0.45", lw=1.2)
    ax.plot(r["x_val"], r["y_val"], "o", ms=4.5, mfc="none", mec=VALIDATION)
    ax.plot(r["x_train"], r["y_train"], "o", ms=5, color=TRAIN)
    ax.plot(r["grid"], np.clip(r["curve"], -10, 10), color=MODEL_COLOR, lw=2.2)
    ax.set(xlim=(-1.05, 1.05), ylim=(-2.5, 3.3), xlabel="x", ylabel="y")  # folga em cima para os textos
    ax.locator_params(nbins=5)
    pen = "" if alpha == 0 else f", L2 λ = {fmt(alpha)}"
    ax.set_title(
        f"Grau {degree}{pen}: MSE treino {fmt(r['train'])}, validação {fmt(r['val'])}", fontsize=10, y=1.0
    )  # y fixo: o título não precisa medir os rótulos
    _labels(
        ax,
        [
            ("● treino", TRAIN),
            ("○ validação", VALIDATION),
            ("– – curva verdadeira sin(3x)", "0.45"),
            (f"── polinômio de grau {degree}", MODEL_COLOR),
        ],
        0.03,
        0.97,
        width=0.5,
    )  # no alto à esquerda, acima dos dados (y ≤ 1.5 com o ruído padrão): não cobre a curva

    floor = 1e-6
    train, val = np.maximum(r["train_mse"], floor), np.maximum(r["val_mse"], floor)
    ax2.plot(r["degrees"], train, "o-", ms=5, color=TRAIN)
    ax2.plot(r["degrees"], val, "s-", ms=5, color=VALIDATION)
    ax2.axvline(degree, color=CHOSEN_COLOR, lw=2)
    ax2.axhline(noise**2 if noise > 0 else floor, color="grey", ls=":", lw=1)
    ax2.set_yscale("log")
    lo = min(train.min(), val.min(), noise**2 if noise > 0 else floor)
    hi = max(train.max(), val.max())
    decades = np.log10(hi / lo)
    lo, hi = lo / 10 ** (0.05 * decades + 0.02), hi * 10 ** (0.6 * decades + 0.2)
    ax2.set_ylim(lo, hi)  # folga em cima para os textos
    simple_log_axis(ax2.yaxis, lo, hi)
    ax2.set_xticks(np.arange(1, r["degrees"][-1] + 1, 2))
    ax2.set_xlim(0.5, r["degrees"][-1] + 0.5)
    ax2.set(xlabel="grau do polinômio (capacidade do modelo)", ylabel="erro quadrático médio (MSE)")
    ax2.set_title(f"Melhor grau na validação: {r['best_degree']}", fontsize=10, y=1.0)
    _labels(
        ax2,
        [
            ("■ erro de validação", VALIDATION),
            ("● erro de treino", TRAIN),
            (f"│ grau escolhido ({degree})", CHOSEN_COLOR),
            ("⋯ variância do ruído (erro mínimo esperado)", "0.4"),
        ],
        0.03,
        0.96,
    )
    ax2.grid(alpha=0.3)
    return r


def overfitting_widget():
    """Grau do polinômio (capacidade), ruído, tamanho do treino e penalidade L2."""
    from coursekit.widgets._ui import dropdown, int_slider, live_plot, slider

    controls = {
        "degree": int_slider("grau do polinômio", 3, 1, MAX_DEGREE),
        "noise": slider("ruído (desvio-padrão)", 0.3, 0.0, 1.0, 0.05),
        "n_train": int_slider("amostras de treino", 40, 16, 200, 4),
        "alpha": dropdown("penalidade L2 (λ)", [(fmt(a), a) for a in ALPHAS], value=0.0),
    }
    return live_plot(draw_capacity, controls, figsize=FIGSIZE, columns=2)


DEMOS = {"overfitting": (draw_capacity, {"degree": 3}, FIGSIZE)}
TRAINING_DEMOS = set()
