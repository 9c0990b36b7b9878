"""Aula 04 — regressão logística: fronteira de decisão em 2 atributos da Iris e o limiar.

O modelo é ``coursekit.linear.LogisticRegression`` treinado (uma vez, com cache) em dois
atributos padronizados; mudar o limiar (threshold) não retreina nada: só move a fronteira
P(y = 1 | x) = limiar e muda as contagens da matriz de confusão.
"""

from functools import lru_cache

import numpy as np

from coursekit.data import iris
from coursekit.linear import LogisticRegression, scale_features
from coursekit.widgets._ui import CLASS_2, CLASS_CMAP, CLASS_COLORS, draw_counts, fmt

FEATURE_NAMES = (
    "comprimento da sépala (cm)",
    "largura da sépala (cm)",
    "comprimento da pétala (cm)",
    "largura da pétala (cm)",
)
CLASS_NAMES = ("setosa", "versicolor", "virginica")
#: pares de atributos oferecidos no widget
FEATURE_PAIRS = {"pétalas": (2, 3), "sépalas": (0, 1), "sépala × pétala (comprimentos)": (0, 2)}
#: problemas binários oferecidos: (classe negativa, classe positiva)
CLASS_PAIRS = {"versicolor × virginica": (1, 2), "setosa × versicolor": (0, 1)}
FIGSIZE = (9.5, 4.2)  # polegadas: cabe na área do notebook sem encolher as letras


def binary_iris(features=(2, 3), classes=(1, 2)):
    """Dois atributos e duas classes da Iris: ``(X, y)`` com y = 1 para ``classes[1]``."""
    X, y = iris()
    mask = np.isin(y, classes)
    return X[mask][:, list(features)], (y[mask] == classes[1]).astype(int)


@lru_cache(maxsize=16)
def _fitted(features, classes):
    X, y = binary_iris(features, classes)
    Xs, center, scale = scale_features(X, method="standard")
    model = LogisticRegression(lr=1.0, epochs=300).fit(Xs, y)
    return model, center, scale


def confusion_counts(y_true, y_pred):
    """Contagens da matriz de confusão binária: dict ``vp``, ``fp``, ``fn``, ``vn``
    (verdadeiros/falsos positivos/negativos) e ``acuracia``."""
    y_true = np.asarray(y_true).astype(int)
    y_pred = np.asarray(y_pred).astype(int)
    vp = int(np.sum((y_pred == 1) & (y_true == 1)))
    fp = int(np.sum((y_pred == 1) & (y_true == 0)))
    fn = int(np.sum((y_pred == 0) & (y_true == 1)))
    vn = int(np.sum((y_pred == 0) & (y_true == 0)))
    return {"vp": vp, "fp": fp, "fn": fn, "vn": vn, "acuracia": (vp + vn) / len(y_true)}


def compute_boundary(threshold=0.5, features=(2, 3), classes=(1, 2), n_grid=120):
    """Treina (com cache) e devolve o que é desenhado.

    Chaves: ``X`` (n, 2) em cm, ``y`` (n,), ``proba`` P(y=1|x) de cada ponto, ``y_pred`` com
    o limiar, ``counts`` (ver ``confusion_counts``), ``xx``, ``yy``, ``pp`` (malha de
    probabilidades), ``coef``, ``intercept`` (no espaço padronizado) e ``center``, ``scale`` da
    padronização z = (x − center)/scale.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold deve estar entre 0 e 1 (exclusive); recebi {threshold}.")
    features, classes = tuple(features), tuple(classes)
    model, center, scale = _fitted(features, classes)
    X, y = binary_iris(features, classes)
    proba = model.predict_proba((X - center) / scale)[:, 1]
    y_pred = model.predict((X - center) / scale, threshold=threshold)
    xx, yy, pp = _proba_grid(features, classes, n_grid)
    return {
        "X": X,
        "y": y,
        "proba": proba,
        "y_pred": y_pred,
        "counts": confusion_counts(y, y_pred),
        "xx": xx,
        "yy": yy,
        "pp": pp,
        "coef": model.coef_[0].copy(),
        "intercept": float(model.intercept_[0]),
        "center": center.copy(),
        "scale": scale.copy(),
    }


@lru_cache(maxsize=16)
def _proba_grid(features, classes, n_grid):
    """Malha de P(y=1|x): não depende do limiar, então é calculada uma vez por par
    (arrays somente leitura, compartilhados entre redesenhos)."""
    model, center, scale = _fitted(features, classes)
    X, _ = binary_iris(features, classes)
    pad = 0.15 * np.ptp(X, axis=0)
    gx = np.linspace(X[:, 0].min() - pad[0], X[:, 0].max() + pad[0], n_grid)
    gy = np.linspace(X[:, 1].min() - pad[1], X[:, 1].max() + pad[1], n_grid)
    xx, yy = np.meshgrid(gx, gy)
    grid = (np.column_stack([xx.ravel(), yy.ravel()]) - center) / scale
    pp = model.predict_proba(grid)[:, 1].reshape(xx.shape)
    for a in (xx, yy, pp):
        a.flags.writeable = False
    return xx, yy, pp


@lru_cache(maxsize=1)
def _pale_cmap():
    """O mapa das classes (``CLASS_CMAP``: laranja = classe 0, roxo = classe 1) clareado (35% da
    cor sobre branco), já opaco: mesmo visual de ``alpha=0.35`` sem o custo de misturar
    transparência a cada redesenho."""
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    rgb = colormaps[CLASS_CMAP](np.linspace(0, 1, 256))[:, :3]
    return ListedColormap(0.35 * rgb + 0.65, name=f"{CLASS_CMAP}_claro")


def boundary_line(threshold, features, classes, extent):
    """Dois pontos (em cm) da reta P(y=1|x) = ``threshold`` do modelo (com cache), cobrindo
    ``extent`` = (x0, x1, y0, y1): devolve ``(xs, ys)``, cada um com 2 valores.

    No espaço padronizado z = (x − centro)/escala, P = limiar ⇔ w·z + b = log(limiar/(1 − limiar)).
    """
    model, center, scale = _fitted(tuple(features), tuple(classes))
    w = model.coef_[0] / scale  # pesos em cm
    c = np.log(threshold / (1 - threshold)) - float(model.intercept_[0]) + float(w @ center)
    x0, x1, y0, y1 = extent
    if abs(w[1]) * (y1 - y0) > 1e-9 * abs(w[0]) * (x1 - x0):
        xs = np.array([x0, x1])
        return xs, (c - w[0] * xs) / w[1]
    x = c / w[0]  # fronteira vertical
    return np.array([x, x]), np.array([y0, y1])


def draw_boundary(fig, threshold=0.5, pair="pétalas", classes="versicolor × virginica"):
    """Esquerda: pontos, P(y=1|x) ao fundo e a fronteira no limiar; direita: matriz de confusão."""
    features, cls = FEATURE_PAIRS[pair], CLASS_PAIRS[classes]
    r = compute_boundary(threshold, features, cls)
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
    xx, yy, pp = r["xx"], r["yy"], r["pp"]
    extent = (xx[0, 0], xx[0, -1], yy[0, 0], yy[-1, 0])
    # imshow (uma imagem) em vez de contourf: o mesmo fundo, muito mais barato de redesenhar
    ax1.imshow(
        pp,
        extent=extent,
        origin="lower",
        aspect="auto",
        cmap=_pale_cmap(),
        vmin=0,
        vmax=1,
        interpolation="nearest",
    )
    # P(y=1|x) = limiar é uma reta (o modelo é linear): dois pontos bastam, sem contour
    at_half = np.isclose(threshold, 0.5)
    if not at_half:  # no limiar 0.5 as duas retas coincidiriam: desenha só uma
        ax1.plot(*boundary_line(0.5, features, cls, extent), color="gray", ls="--", lw=1)
    ax1.plot(*boundary_line(threshold, features, cls, extent), color="black", lw=2)
    X, y = r["X"], r["y"]
    wrong = r["y_pred"] != y
    for label, color, marker in ((0, CLASS_COLORS[0], "o"), (1, CLASS_COLORS[1], "^")):
        sel = y == label
        ax1.plot(
            X[sel, 0],
            X[sel, 1],
            marker,
            color=color,
            ms=5.5,
            mec="white",
            mew=0.5,
            label=CLASS_NAMES[cls[label]],
        )
    ax1.plot(
        X[wrong, 0], X[wrong, 1], "o", mfc="none", mec="black", ms=10, mew=1.2, label="erro com este limiar"
    )
    ax1.set(
        xlim=extent[:2], ylim=extent[2:], xlabel=FEATURE_NAMES[features[0]], ylabel=FEATURE_NAMES[features[1]]
    )
    ax1.locator_params(nbins=5)
    # fronteiras e fundo explicados no título: sem barra de cores nem entradas extras na
    # legenda (cada uma custa um bom pedaço do redesenho)
    first_line = (
        "Fronteira com limiar 0.5 (preta)"
        if at_half
        else f"Fronteira com limiar {fmt(threshold)} (preta); com 0.5 (tracejada)"
    )
    ax1.set_title(
        f"{first_line}\nfundo: P({CLASS_NAMES[cls[1]]} | x), de laranja (0) a roxo (1)",
        fontsize=10.5,
    )
    ax1.legend(fontsize=8, loc="upper left")

    c = r["counts"]
    table = np.array([[c["vn"], c["fp"]], [c["fn"], c["vp"]]])
    kinds = [["VN", "FP"], ["FN", "VP"]]
    texts = [[f"{kinds[i][j]}\n{table[i, j]}" for j in range(2)] for i in range(2)]
    draw_counts(ax2, table, texts=texts, fontsize=13, vmax=len(y), aspect="auto")
    names = [CLASS_NAMES[cls[0]], CLASS_NAMES[cls[1]]]
    ax2.set_xticks([0, 1], names, fontsize=9)
    ax2.set_yticks([0, 1], names, fontsize=9, rotation=90, va="center")
    ax2.set_xlabel("classe prevista", fontsize=10)
    ax2.set_ylabel("classe real", fontsize=10)
    ax2.set_title(
        f"Matriz de confusão nas {len(y)} flores do treino\nacurácia no treino = {fmt(100 * c['acuracia'])}%",
        fontsize=10,
    )
    return r


def fit_one_vs_rest(features=(2, 3), lr=1.0, epochs=1000):
    """Os "três juízes": ``coursekit.linear.LogisticRegression`` um-contra-todos nas 150 flores,
    em dois atributos padronizados. Devolve ``(modelo, X, y, centro, escala)``, X em cm."""
    X, y = iris()
    X = X[:, list(features)]
    Xs, center, scale = scale_features(X, method="standard")
    model = LogisticRegression(lr=lr, epochs=epochs).fit(Xs, y)
    return model, X, y, center, scale


def one_vs_rest_lines(model, center, scale, extent):
    """A reta de cada juiz, θ_c·x = 0 (onde σ = 0.5), em cm: lista de ``(xs, ys)`` por classe,
    cada um com 2 pontos cobrindo ``extent`` = (x0, x1, y0, y1)."""
    x0, x1, _, _ = extent
    lines = []
    for w_std, b_std in zip(model.coef_, model.intercept_):
        w = w_std / scale  # pesos em cm
        c = float(w @ center) - float(b_std)
        xs = np.array([x0, x1])
        lines.append((xs, (c - w[0] * xs) / w[1]))
    return lines


def draw_one_vs_rest(fig, features=(2, 3), n_grid=200):
    """Esquerda: as três retas "é c ou não é" (uma por juiz); direita: a decisão final
    argmax_c, com as regiões de cada classe. Devolve ``(modelo, regioes)``."""
    from matplotlib.colors import ListedColormap, to_rgb

    model, X, y, center, scale = fit_one_vs_rest(features)
    pad = 0.15 * np.ptp(X, axis=0)
    extent = (X[:, 0].min() - pad[0], X[:, 0].max() + pad[0], X[:, 1].min() - pad[1], X[:, 1].max() + pad[1])
    gx = np.linspace(extent[0], extent[1], n_grid)
    gy = np.linspace(extent[2], extent[3], n_grid)
    xx, yy = np.meshgrid(gx, gy)
    grid = (np.column_stack([xx.ravel(), yy.ravel()]) - center) / scale
    regions = model.predict(grid).reshape(xx.shape)
    colors = (*CLASS_COLORS, CLASS_2)  # laranja, roxo, verde-azulado: nunca vermelho/azul
    markers = ("o", "s", "^")
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    for k, (xs, ys) in enumerate(one_vs_rest_lines(model, center, scale, extent)):
        ax1.plot(xs, ys, color=colors[k], lw=2, ls="--", label=f"juiz '{CLASS_NAMES[k]} ou não'")
    pale = ListedColormap([0.3 * np.array(to_rgb(c)) + 0.7 for c in colors])
    ax2.imshow(
        regions,
        extent=extent,
        origin="lower",
        aspect="auto",
        cmap=pale,
        vmin=-0.5,
        vmax=2.5,
        interpolation="nearest",
    )
    for ax in (ax1, ax2):
        for k in range(3):
            sel = y == k
            ax.plot(X[sel, 0], X[sel, 1], markers[k], color=colors[k], ms=4.5, mec="white", mew=0.4)
        ax.set(xlim=extent[:2], ylim=extent[2:], xlabel=FEATURE_NAMES[features[0]])
    ax1.set_ylabel(FEATURE_NAMES[features[1]])
    ax1.set_title("Três juízes: cada reta separa uma espécie das outras", fontsize=10.5)
    ax1.legend(fontsize=8, loc="lower right")  # no canto sem retas
    for k in range(3):  # legenda das regiões: um marcador por espécie
        ax2.plot([], [], markers[k], color=colors[k], label=f"região e flores: {CLASS_NAMES[k]}")
    ax2.set_title("A decisão: a espécie do juiz mais confiante", fontsize=10.5)
    ax2.legend(fontsize=8, loc="upper left")
    return model, regions


def logistica_widget():
    """Widget: limiar (1º controle), par de atributos e par de classes."""
    from coursekit.widgets._ui import dropdown, live_plot, slider

    controls = {
        "threshold": slider("limiar", 0.5, 0.05, 0.95, 0.05),
        "pair": dropdown("atributos", list(FEATURE_PAIRS), "pétalas"),
        "classes": dropdown("classes", list(CLASS_PAIRS), "versicolor × virginica"),
    }
    return live_plot(draw_boundary, controls, figsize=FIGSIZE)


DEMOS = {
    "fronteira": (
        draw_boundary,
        {"threshold": 0.5, "pair": "pétalas", "classes": "versicolor × virginica"},
        FIGSIZE,
    ),
}
TRAINING_DEMOS = set()
