"""Widget da aula 11: capacidade do modelo (grau do polinômio) × erro de treino e de validação.

``compute_capacity`` é puro: gera dados com ruído de uma curva suave, separa treino e
validação, ajusta polinômios de grau 1..``max_degree`` (mínimos quadrados, com penalidade L2
opcional, via ``coursekit.model_selection``) e devolve os erros e a curva ajustada.
"""

import numpy as np

from coursekit._checks import check_positive
from coursekit.model_selection import polynomial_features, ridge_fit
from coursekit.widgets._ui import fmt

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
    """Ajusta ŷ = b + Σₖ wₖ·xᵏ (k = 1..degree) com penalidade L2 ``alpha`` (0 = mínimos
    quadrados); devolve uma função ``predict(x_novo)``."""
    coef, b = ridge_fit(polynomial_features(x, degree), y, alpha)
    return lambda x_new: polynomial_features(x_new, degree) @ coef + b


def compute_capacity(degree=3, noise=0.3, n_train=20, alpha=0.0, seed=0, max_degree=MAX_DEGREE):
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
    train_mse, val_mse = np.empty(max_degree), np.empty(max_degree)
    for i, d in enumerate(degrees):
        predict = fit_polynomial(x_tr, y_tr, int(d), alpha)
        train_mse[i] = np.mean((predict(x_tr) - y_tr) ** 2)
        val_mse[i] = np.mean((predict(x_val) - y_val) ** 2)
    grid = np.linspace(-1, 1, 300)
    curve = fit_polynomial(x_tr, y_tr, degree, alpha)(grid)
    return {
        "x_train": x_tr, "y_train": y_tr, "x_val": x_val, "y_val": y_val,
        "degrees": degrees, "train_mse": train_mse, "val_mse": val_mse,
        "grid": grid, "curve": curve, "truth": true_function(grid),
        "best_degree": int(degrees[np.argmin(val_mse)]),
        "train": float(train_mse[degree - 1]), "val": float(val_mse[degree - 1]),
    }


def draw_capacity(fig, degree=3, noise=0.3, n_train=20, alpha=0.0):
    """Esquerda: dados e polinômio ajustado. Direita: erro de treino e validação por grau."""
    r = compute_capacity(degree, noise, n_train, alpha)
    ax, ax2 = fig.subplots(1, 2)
    ax.plot(r["grid"], r["truth"], "k--", lw=1.2, label="curva verdadeira sin(3x)")
    ax.scatter(r["x_train"], r["y_train"], s=30, color="tab:blue", zorder=3, label="treino")
    ax.scatter(r["x_val"], r["y_val"], s=22, facecolors="none", edgecolors="tab:orange",
               zorder=3, label="validação")
    ax.plot(r["grid"], np.clip(r["curve"], -10, 10), color="tab:green", lw=2.2,
            label=f"polinômio de grau {degree}")
    ax.set(xlim=(-1.05, 1.05), ylim=(-2.5, 2.5), xlabel="x", ylabel="y")
    pen = "" if alpha == 0 else f", L2 α = {fmt(alpha)}"
    ax.set_title(f"Grau {degree}{pen}: MSE treino {fmt(r['train'])}, validação {fmt(r['val'])}",
                 fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    floor = 1e-6
    ax2.semilogy(r["degrees"], np.maximum(r["train_mse"], floor), "o-", color="tab:blue",
                 label="erro de treino")
    ax2.semilogy(r["degrees"], np.maximum(r["val_mse"], floor), "s-", color="tab:orange",
                 label="erro de validação")
    ax2.axvline(degree, color="tab:green", lw=2, alpha=0.6, label=f"grau escolhido ({degree})")
    ax2.axhline(noise**2 if noise > 0 else floor, color="grey", ls=":", lw=1,
                label="variância do ruído (erro mínimo esperado)")
    ax2.set(xlabel="grau do polinômio (capacidade do modelo)", ylabel="erro quadrático médio (MSE)")
    ax2.set_title(f"Melhor grau na validação: {r['best_degree']}", fontsize=10)
    ax2.set_xticks(r["degrees"])
    ax2.legend(fontsize=8, loc="upper left")
    ax2.grid(alpha=0.3)
    return r


def overfitting_widget():
    """Grau do polinômio (capacidade), ruído, tamanho do treino e penalidade L2."""
    from coursekit.widgets._ui import dropdown, int_slider, live_plot, slider

    controls = {
        "degree": int_slider("grau do polinômio", 3, 1, MAX_DEGREE),
        "noise": slider("ruído (desvio-padrão)", 0.3, 0.0, 1.0, 0.05),
        "n_train": int_slider("amostras de treino", 20, 16, 200, 4),
        "alpha": dropdown("penalidade L2 (α)", [(fmt(a), a) for a in ALPHAS], value=0.0),
    }
    return live_plot(draw_capacity, controls, figsize=(11, 4.4), columns=4)


DEMOS = {"overfitting": (draw_capacity, {"degree": 3})}
TRAINING_DEMOS = set()
