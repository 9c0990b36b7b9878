"""Aula 05 — o perceptron nas duas luas (double moons) de Haykin.

``compute_moons`` gera as luas com ``coursekit.data.double_moons``, treina
``coursekit.linear.Perceptron`` e devolve a reta de decisão e os erros por época.
"""

from functools import lru_cache

import numpy as np

from coursekit.data import double_moons
from coursekit.linear import Perceptron
from coursekit.widgets._ui import fmt

FIGSIZE = (9.5, 4.2)
"""Tamanho da figura do widget (polegadas): cabe na área do notebook sem ser reduzida."""


def decision_line(coef, intercept, x_range):
    """Pontos (x₁, x₂) da reta w₁x₁ + w₂x₂ + b = 0 para x₁ em ``x_range`` (2 valores).

    Se w₂ = 0 a reta é vertical (x₁ = −b/w₁); se w = 0 não há reta: devolve ``None``."""
    w1, w2 = float(coef[0]), float(coef[1])
    if w2 != 0:
        xs = np.asarray(x_range, dtype=float)
        return xs, -(w1 * xs + intercept) / w2
    if w1 != 0:
        x0 = -intercept / w1
        return np.array([x0, x0]), None
    return None


def compute_moons(distance=1.0, radius=10.0, width=6.0, epochs=10, n=400, seed=0):
    """Treina o perceptron nas duas luas e devolve o que é desenhado.

    Chaves: ``X`` (n, 2), ``y`` em {−1, +1}, ``coef`` (2,), ``intercept``, ``errors``
    (erros por época; o treino para na primeira época sem erros), ``converged`` (bool),
    ``train_errors`` (pontos errados pelo modelo final), ``accuracy``.
    """
    X, y = double_moons(n=n, distance=distance, radius=radius, width=width, seed=seed)
    model = Perceptron(epochs=epochs, seed=seed).fit(X, y)
    wrong = model.predict(X) != y
    return {
        "X": X,
        "y": y,
        "coef": model.coef_.copy(),
        "intercept": model.intercept_,
        "errors": np.array(model.errors_, dtype=int),
        "converged": bool(model.errors_[-1] == 0),
        "wrong": wrong,
        "train_errors": int(wrong.sum()),
        "accuracy": float(1 - wrong.mean()),
    }


@lru_cache(maxsize=256)
def _cached_moons(distance, radius, width, epochs):
    """``compute_moons`` guardada por configuração (só o widget usa; não modifique os arrays)."""
    return compute_moons(distance, radius, width, epochs)


def draw_moons(fig, distance=1.0, radius=10.0, width=6.0, epochs=10):
    """Esquerda: as luas e a reta de decisão; direita: erros (atualizações) por época."""
    from matplotlib.ticker import MaxNLocator

    r = _cached_moons(float(distance), float(radius), float(width), int(epochs))
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
    X, y = r["X"], r["y"]
    up, down = y > 0, y < 0
    ax1.plot(X[up, 0], X[up, 1], "o", ms=3, color="tab:blue", label="lua de cima (+1)")
    ax1.plot(X[down, 0], X[down, 1], "^", ms=3.5, color="tab:red", label="lua de baixo (−1)")
    if r["wrong"].any():
        ax1.plot(
            X[r["wrong"], 0],
            X[r["wrong"], 1],
            "o",
            ms=7,
            mfc="none",
            mec="black",
            mew=0.8,
            label="classificado errado",
        )
    x_lo, x_hi = X[:, 0].min() - 2, X[:, 0].max() + 2
    y_lo, y_hi = X[:, 1].min() - 2, X[:, 1].max() + 2
    line = decision_line(r["coef"], r["intercept"], (x_lo, x_hi))
    if line is not None:
        xs, ys = line
        if ys is None:
            ax1.axvline(xs[0], color="black", lw=2, label="reta de decisão")
        else:
            ax1.plot(xs, ys, color="black", lw=2, label="reta de decisão")
    ax1.set(xlim=(x_lo, x_hi), ylim=(y_lo, y_hi), xlabel="x₁", ylabel="x₂")
    ax1.set_title(
        f"distância = {fmt(distance)}, raio = {fmt(radius)}, largura = {fmt(width)}"
        f" — acurácia {fmt(100 * r['accuracy'])}%",
        fontsize=10,
    )
    ax1.legend(fontsize=8, loc="lower left")

    errors = r["errors"]
    # barras como UM artista (degraus com vãos em 0): ~10 retângulos a menos para desenhar
    centers = np.arange(1, len(errors) + 1)
    edges = np.column_stack([centers - 0.4, centers + 0.4]).ravel()
    heights = np.column_stack([errors, np.zeros_like(errors)]).ravel()[:-1]
    ax2.stairs(heights, edges, fill=True, color="tab:purple")
    ax2.set(xlabel="época (epoch)", ylabel="erros (atualizações) na época", xlim=(0.4, epochs + 0.6))
    ax2.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax2.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    if r["converged"]:
        ax2.set_title(f"convergiu na época {len(errors)}: 0 erros", fontsize=10, color="tab:green")
    else:
        ax2.set_title(
            f"não zerou em {epochs} épocas (último: {errors[-1]} erros)", fontsize=10, color="tab:red"
        )
    return r


def perceptron_widget():
    """Widget: distância (1º controle), raio, largura e épocas."""
    from coursekit.widgets._ui import int_slider, live_plot, slider

    controls = {
        "distance": slider("distância", 1.0, -6.0, 4.0, 0.5, fmt_spec=".1f"),
        "radius": slider("raio", 10.0, 5.0, 15.0, 1.0, fmt_spec=".0f"),
        "width": slider("largura", 6.0, 1.0, 9.0, 1.0, fmt_spec=".0f"),
        "epochs": int_slider("épocas", 10, 1, 30),
    }
    return live_plot(draw_moons, controls, figsize=FIGSIZE, columns=2)


DEMOS = {
    "luas": (draw_moons, {"distance": 1.0, "radius": 10.0, "width": 6.0, "epochs": 10}, FIGSIZE),
}
TRAINING_DEMOS = set()
