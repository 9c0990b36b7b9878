"""Aula 05 — o perceptron nas duas luas (double moons) de Haykin.

``compute_moons`` gera as luas com ``coursekit.data.double_moons``, treina
``coursekit.linear.Perceptron`` e devolve a reta de decisão e os erros por época. Como
"não zerou os erros em N épocas" não quer dizer "não é separável", ``is_separable`` decide a
separabilidade de verdade (um programa linear) e ``horizontal_margin`` dá a margem de uma reta
separadora e a cota (R/γ)² do teorema de convergência.
"""

from functools import lru_cache

import numpy as np

from coursekit.data import double_moons
from coursekit.linear import Perceptron
from coursekit.widgets._ui import CLASS_COLORS, fmt

#: o perceptron rotula −1/+1: −1 é a classe 0 (laranja), +1 a classe 1 (roxo)
LABEL_COLORS = {-1: CLASS_COLORS[0], 1: CLASS_COLORS[1]}
#: cor dos erros por época: uma contagem, em cinza (sem matiz)
ERRORS_COLOR = "0.45"

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


def is_separable(X, y):
    """``True`` se existe uma reta (hiperplano) com todos os pontos de rótulo +1 de um lado e
    os de −1 do outro, estritamente. Resolve o programa linear "maximizar t com
    yᵢ(w·xᵢ + b) ≥ t e −1 ≤ wⱼ, b ≤ 1": separável ⇔ o ótimo t é positivo."""
    from scipy.optimize import linprog

    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, d = X.shape
    # variáveis (w₁..w_d, b, t); linprog minimiza, então o custo é −t
    A_ub = -np.column_stack([y[:, None] * X, y, -np.ones(n)])
    res = linprog(
        c=np.r_[np.zeros(d + 1), -1.0],
        A_ub=A_ub,
        b_ub=np.zeros(n),
        bounds=[(-1.0, 1.0)] * (d + 1) + [(None, 1.0)],
        method="highs",
    )
    return bool(res.status == 0 and -res.fun > 1e-9)


def horizontal_margin(X, y):
    """Margem da reta horizontal no meio do vão entre as luas (x₂ = c) e a cota do teorema de
    convergência do perceptron para ela.

    Devolve ``(gamma, R, bound)``: com x̃ = (x₁, x₂, 1) (o viés como entrada constante) e
    u = (0, 1, −c)/‖(0, 1, −c)‖, γ = minᵢ yᵢ u·x̃ᵢ, R = maxᵢ ‖x̃ᵢ‖ e o número de correções do
    perceptron (começando de w = 0, b = 0, η = 1) é no máximo (R/γ)². Se a lua de cima (+1) não
    fica toda acima da de baixo (−1), essa reta não separa: devolve ``None``.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    top, bottom = X[y > 0, 1].min(), X[y < 0, 1].max()
    if top <= bottom:
        return None
    c = (top + bottom) / 2
    u = np.array([0.0, 1.0, -c]) / np.hypot(1.0, c)
    X_aug = np.column_stack([X, np.ones(len(X))])
    gamma = float(np.min(y * (X_aug @ u)))
    R = float(np.sqrt((X_aug**2).sum(axis=1)).max())
    return gamma, R, (R / gamma) ** 2


def compute_moons(distance=1.0, radius=10.0, width=6.0, epochs=10, n=400, seed=0):
    """Treina o perceptron nas duas luas e devolve o que é desenhado.

    Chaves: ``X`` (n, 2), ``y`` em {−1, +1}, ``coef`` (2,), ``intercept``, ``errors``
    (erros por época; o treino para na primeira época sem erros), ``converged`` (bool),
    ``separable`` (bool, de ``is_separable``: independe do treino), ``margin`` (γ de
    ``horizontal_margin``, ou ``None``), ``train_errors`` (pontos errados pelo modelo final),
    ``accuracy``.
    """
    X, y = double_moons(n=n, distance=distance, radius=radius, width=width, seed=seed)
    model = Perceptron(epochs=epochs, seed=seed).fit(X, y)
    wrong = model.predict(X) != y
    margin = horizontal_margin(X, y)
    return {
        "X": X,
        "y": y,
        "coef": model.coef_.copy(),
        "intercept": model.intercept_,
        "errors": np.array(model.errors_, dtype=int),
        "converged": bool(model.errors_[-1] == 0),
        "separable": is_separable(X, y),
        "margin": None if margin is None else margin[0],
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
    ax1.plot(X[up, 0], X[up, 1], "o", ms=3, color=LABEL_COLORS[1], label="lua de cima (+1)")
    ax1.plot(X[down, 0], X[down, 1], "^", ms=3.5, color=LABEL_COLORS[-1], label="lua de baixo (−1)")
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
    ax2.stairs(heights, edges, fill=True, color=ERRORS_COLOR)
    ax2.set(xlabel="época (epoch)", ylabel="erros (atualizações) na época", xlim=(0.4, epochs + 0.6))
    ax2.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax2.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax2.set_title(moons_verdict(r, epochs), fontsize=10, color=verdict_color(r))
    return r


def moons_verdict(r, epochs):
    """O título do gráfico de erros: convergiu, ou não zerou — e, nesse caso, se os dados são
    separáveis (faltam épocas) ou não (nenhuma quantidade de épocas basta)."""
    errors = r["errors"]
    if r["converged"]:
        return f"convergiu na época {len(errors)}: 0 erros"
    last = errors[-1]
    first = f"não zerou em {epochs} épocas (último: {last} erro{'s' if last != 1 else ''})"
    if r["separable"]:
        gap = "" if r["margin"] is None else f" (margem γ ≥ {fmt(r['margin'], 2)})"
        return f"{first}\nmas É separável{gap}: faltam épocas"
    return f"{first}\ne NÃO é separável: épocas não bastam"


def verdict_color(r):
    """Sem matiz (as cores do curso já têm significado): preto quando convergiu ou quando nunca
    vai convergir (não separável, o título diz "NÃO"); cinza quando ainda não convergiu, mas vai
    (faltam épocas)."""
    if r["converged"] or not r["separable"]:
        return "black"
    return "0.4"


def draw_neuron(ax):
    """O diagrama do perceptron: entradas x₁..x_d com pesos, a entrada +1 do viés, a soma Σ e o sinal."""
    from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

    ax.set_xlim(0, 10.8)
    ax.set_ylim(0, 5)
    ax.axis("off")
    inputs = [("$x_1$", 4.2, "$w_1$"), ("$x_2$", 3.1, "$w_2$"), ("⋮", 2.2, ""), ("$x_d$", 1.2, "$w_d$")]
    for name, yy, weight in inputs:
        if name == "⋮":
            ax.text(1.0, yy, name, fontsize=18, ha="center", va="center")
            continue
        ax.add_patch(Circle((1.0, yy), 0.35, fc="0.92", ec="black"))
        ax.text(1.0, yy, name, ha="center", va="center", fontsize=13)
        ax.add_patch(FancyArrowPatch((1.35, yy), (4.45, 2.6), arrowstyle="-|>", mutation_scale=14))
        ax.text(2.6, (yy + 2.6) / 2 + 0.25, weight, fontsize=12, color="black")
    ax.add_patch(Circle((1.0, 0.35), 0.3, fc="0.92", ec="black"))
    ax.text(1.0, 0.35, "+1", ha="center", va="center", fontsize=11)
    ax.add_patch(FancyArrowPatch((1.3, 0.45), (4.5, 2.4), arrowstyle="-|>", mutation_scale=14))
    ax.text(2.7, 1.2, "b (viés)", fontsize=12, color="black")
    ax.add_patch(Circle((5.0, 2.6), 0.55, fc="0.97", ec="black"))
    ax.text(5.0, 2.6, "Σ", ha="center", va="center", fontsize=20)
    ax.text(5.0, 1.7, "$v = \\sum_j w_j x_j + b$\n(corpo celular)", ha="center", va="top", fontsize=10)
    ax.add_patch(FancyArrowPatch((5.55, 2.6), (6.7, 2.6), arrowstyle="-|>", mutation_scale=14))
    ax.add_patch(Rectangle((6.7, 2.1), 1.3, 1.0, fc="0.85", ec="black"))
    ax.text(7.35, 2.6, "sinal(v)", ha="center", va="center", fontsize=12)
    ax.add_patch(FancyArrowPatch((8.0, 2.6), (9.1, 2.6), arrowstyle="-|>", mutation_scale=14))
    ax.text(9.15, 2.6, "ŷ ∈ {−1, +1}\n(axônio)", va="center", fontsize=10)
    ax.text(1.0, 4.85, "entradas (dendritos)", ha="center", fontsize=10)
    ax.set_title("O perceptron: soma ponderada + viés, seguida do sinal")


def draw_update(fig, w_before, b_before, x, y, lim=3.0):
    """Dois painéis, antes e depois de uma correção w ← w + y·x, b ← b + y: cada um pinta o
    semiplano +1 (roxo claro) e o −1 (laranja claro), a reta, o vetor w e o ponto corrigido; o segundo
    repete a reta de antes, tracejada. As retas não podem ser verticais (w₂ ≠ 0).
    Devolve ``[(w, b, "antes"), (w, b, "depois")]``."""
    from matplotlib.colors import ListedColormap, to_rgb

    w_before, x = np.asarray(w_before, dtype=float), np.asarray(x, dtype=float)
    states = [(w_before, float(b_before), "antes"), (w_before + y * x, float(b_before) + y, "depois")]
    axes = fig.subplots(1, 2, sharey=True)
    g = np.linspace(-lim, lim, 200)
    gx, gy = np.meshgrid(g, g)
    # as cores das classes clareadas (25% da cor sobre branco): −1 laranja claro, +1 roxo claro
    pale_minus, pale_plus = (0.25 * np.array(to_rgb(LABEL_COLORS[k])) + 0.75 for k in (-1, 1))
    pale = ListedColormap([pale_minus, pale_plus])
    for ax, (w, b, name) in zip(axes, states):
        side = np.where(gx * w[0] + gy * w[1] + b >= 0, 1, 0)
        ax.imshow(side, extent=(-lim, lim, -lim, lim), origin="lower", cmap=pale, vmin=0, vmax=1)
        if name == "depois":  # a reta de antes, para comparar: girou E se deslocou
            old_line = decision_line(states[0][0], states[0][1], (-lim, lim))
            ax.plot(*old_line, color="0.45", lw=1.2, ls="--", label="reta antes")
        line = decision_line(w, b, (-lim, lim))
        ax.plot(
            *line, color="black", lw=2, label=f"reta {name}: w = ({fmt(w[0])}, {fmt(w[1])}), b = {fmt(b)}"
        )
        ax.annotate("", xy=w, xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": "black", "lw": 2})
        ax.text(*(w * 1.08 + [0.05, 0.05]), "w", fontsize=12)
        v = float(x @ w + b)
        ax.plot(
            *x,
            "o",
            ms=11,
            color=LABEL_COLORS[1 if y > 0 else -1],
            mec="black",
            label=f"x (classe {y:+d}), v = {fmt(v)}",
        )
        ax.fill_between([], [], color=pale_plus, label="lado +1")
        ax.fill_between([], [], color=pale_minus, label="lado −1")
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="x₁", title=f"{name} da correção")
        ax.legend(loc="lower left", fontsize=8)
    axes[0].set_ylabel("x₂")
    return states


def perceptron_widget():
    """Widget: distância (1º controle), raio, largura e épocas."""
    from coursekit.widgets._ui import int_slider, live_plot, slider

    controls = {
        "distance": slider("distância", 1.0, -6.0, 4.0, 0.5, fmt_spec=".1f"),
        "radius": slider("raio", 10.0, 5.0, 15.0, 1.0, fmt_spec=".0f"),
        "width": slider("largura", 6.0, 1.0, 9.0, 1.0, fmt_spec=".0f"),
        "epochs": int_slider("épocas", 10, 1, 100),
    }
    return live_plot(draw_moons, controls, figsize=FIGSIZE, columns=2)


DEMOS = {
    "luas": (draw_moons, {"distance": 1.0, "radius": 10.0, "width": 6.0, "epochs": 10}, FIGSIZE),
}
TRAINING_DEMOS = set()
