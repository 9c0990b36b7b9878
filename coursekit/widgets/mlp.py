"""Playground de MLP (no espírito do TensorFlow Playground) para a aula 06.

Escolha o conjunto de dados (dataset), a largura (width) e a profundidade (depth) da rede,
a função de ativação, a taxa de aprendizado (learning rate) e o número de épocas; a rede
``coursekit.nn.MLP`` é treinada e o widget desenha a fronteira de decisão e a curva de perda.

``compute_*`` são puras (só NumPy); ``draw_*`` desenham numa Figure do matplotlib; o
``mlp_widget()`` monta os controles. O treino é guardado num cache por configuração, então
voltar a uma configuração já vista é instantâneo.
"""

import numpy as np

from coursekit import data
from coursekit.widgets._ui import fmt, simple_log_axis

DATASETS = ("XOR", "duas luas", "círculos", "espiral")
ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoide", "identity": "identidade (linear)"}

FIGSIZE = (9.5, 4.3)
"""Tamanho da figura do widget (polegadas): cabe na área do notebook sem ser reduzida."""


_CACHE = {}
_CACHE_MAX = 64


# ------------------------------------------------------------------------- dados
def _xor_clouds(n, rng):
    """Quatro nuvens em torno dos cantos do XOR (coursekit.data.xor), levados para (±0.75, ±0.75)."""
    corners, labels = data.xor()
    centers = 1.5 * corners - 0.75
    idx = np.arange(n) % 4
    X = centers[idx] + np.clip(rng.normal(0.0, 0.25, size=(n, 2)), -0.6, 0.6)
    return X, labels[idx]


def _moons(n, seed):
    """As duas luas de Haykin (coursekit.data.double_moons), sobrepostas e reescaladas."""
    X, y = data.double_moons(n=n, distance=-3.0, radius=10.0, width=6.0, seed=seed)
    X = (X - np.array([5.0, 1.5])) / 12.0
    return X, (y > 0).astype(float)


def _circles(n, rng):
    """Um disco (classe 1) dentro de um anel (classe 0)."""
    n_in = n // 2
    r = np.concatenate([rng.uniform(0.0, 0.45, n_in), rng.uniform(0.7, 1.05, n - n_in)])
    theta = rng.uniform(0.0, 2 * np.pi, n)
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)]) + rng.normal(0, 0.04, (n, 2))
    y = np.concatenate([np.ones(n_in), np.zeros(n - n_in)])
    return X, y


def _spiral(n, rng):
    """Duas espirais entrelaçadas (o conjunto mais difícil do playground)."""
    n0 = n // 2
    t = np.sqrt(rng.uniform(0.0, 1.0, n)) * 2.5 * np.pi  # mais pontos longe do centro
    r = t / (2.5 * np.pi)
    phase = np.where(np.arange(n) < n0, 0.0, np.pi)
    X = np.column_stack([r * np.cos(t + phase), r * np.sin(t + phase)])
    X += rng.normal(0.0, 0.03, size=(n, 2))
    y = (np.arange(n) >= n0).astype(float)
    return X, y


def make_dataset(name, n=200, seed=0):
    """Gera ``(X, y)`` do conjunto ``name`` (um de ``DATASETS``): X (n, 2) em ≈ [−1.3, 1.3]², y em {0, 1}."""
    if name not in DATASETS:
        raise ValueError(f"dataset deve ser um de {list(DATASETS)}; recebi {name!r}.")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 8:
        raise ValueError(f"n deve ser um inteiro ≥ 8; recebi {n!r}.")
    rng = np.random.default_rng(seed)
    if name == "XOR":
        X, y = _xor_clouds(n, rng)
    elif name == "duas luas":
        X, y = _moons(n, seed)
    elif name == "círculos":
        X, y = _circles(n, rng)
    else:
        X, y = _spiral(n, rng)
    return X.astype(float), y.astype(float)


# ------------------------------------------------------------------------- treino
def compute_playground(
    dataset="XOR",
    width=8,
    depth=2,
    activation="tanh",
    lr=0.03,
    epochs=200,
    n=200,
    seed=0,
    grid=60,
    callback=None,
):
    """Treina uma MLP ``[2] + [width]*depth + [1]`` (saída sigmoide, perda BCE, Adam(lr)).

    Devolve um dict com ``X``, ``y``, a grade ``xx``, ``yy`` e a probabilidade prevista
    ``proba`` (grid, grid) da classe 1, ``loss_history`` (perda por época), ``accuracy``
    (acurácia no treino), ``n_params`` e ``layer_sizes``. Resultados ficam num cache por
    configuração. ``callback(epoca, total)`` é chamado durante o treino (barra de progresso).
    """
    from coursekit.nn import MLP, Adam, n_params

    key = (dataset, int(width), int(depth), activation, float(lr), int(epochs), int(n), seed, int(grid))
    if key in _CACHE:
        if callback is not None:
            callback(int(epochs), int(epochs))
        return _CACHE[key]
    if int(depth) < 0 or int(width) < 1:
        raise ValueError("width deve ser ≥ 1 e depth ≥ 0.")
    X, y = make_dataset(dataset, n=n, seed=seed)
    sizes = [2] + [int(width)] * int(depth) + [1]
    model = MLP(sizes, activation=activation, output_activation="sigmoid", init="xavier_uniform", seed=seed)
    cb = None
    if callback is not None:

        def cb(epoch, _model):
            callback(epoch + 1, int(epochs))

    model.fit(X, y, loss="bce", optimizer=Adam(lr), epochs=int(epochs), batch_size=32, seed=seed, callback=cb)
    lo, hi = -1.5, 1.5
    ticks = np.linspace(lo, hi, grid)
    xx, yy = np.meshgrid(ticks, ticks)
    proba = model.forward(np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    result = {
        "X": X,
        "y": y,
        "xx": xx,
        "yy": yy,
        "proba": proba,
        "loss_history": np.array(model.loss_history_),
        "accuracy": float(np.mean(model.predict(X) == y)),
        "n_params": n_params(sizes),
        "layer_sizes": sizes,
    }
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = result
    return result


def draw_playground(
    fig, dataset="XOR", width=8, depth=2, activation="tanh", lr=0.03, epochs=200, callback=None
):
    """Fronteira de decisão (esquerda) e curva de perda (direita) do playground."""
    r = compute_playground(dataset, width, depth, activation, lr, epochs, callback=callback)
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
    # imshow (uma imagem) em vez de contourf com muitos níveis: o mesmo fundo, bem mais barato
    im = ax1.imshow(
        r["proba"],
        extent=(-1.5, 1.5, -1.5, 1.5),
        origin="lower",
        cmap="RdBu",
        vmin=0,
        vmax=1,
        alpha=0.75,
        interpolation="bilinear",
    )
    ax1.contour(r["xx"], r["yy"], r["proba"], levels=[0.5], colors="k", linewidths=1.5)
    X, y = r["X"], r["y"]
    ax1.plot(X[y == 1, 0], X[y == 1, 1], "o", color="#1f4e99", mec="k", mew=0.6, ms=5, label="classe 1")
    ax1.plot(X[y == 0, 0], X[y == 0, 1], "s", color="#c0392b", mec="k", mew=0.6, ms=4.5, label="classe 0")
    ax1.set_xlim(-1.5, 1.5)
    ax1.set_ylim(-1.5, 1.5)
    ax1.set_aspect("equal")
    ax1.locator_params(nbins=5)
    ax1.set_xlabel("x₁", fontsize=11)
    ax1.set_ylabel("x₂", fontsize=11)
    arch = "-".join(str(s) for s in r["layer_sizes"])
    ax1.set_title(
        f"{dataset}: rede {arch} ({r['n_params']} parâmetros)\n"
        f"acurácia no treino = {fmt(100 * r['accuracy'])}%",
        fontsize=11,
    )
    ax1.legend(loc="upper right", fontsize=8, framealpha=0.8)
    cbar = fig.colorbar(im, ax=ax1, shrink=0.8, label="P(classe 1)", ticks=[0, 0.5, 1])
    cbar.ax.tick_params(labelsize=9)
    loss = r["loss_history"]
    ax2.plot(np.arange(1, len(loss) + 1), loss, color="tab:purple")
    ax2.set_yscale("log")
    simple_log_axis(ax2.yaxis)
    finite = loss[np.isfinite(loss) & (loss > 0)]
    if finite.size:  # limites em potências de 10: sempre há tiques com rótulo, mesmo se a perda parar
        lo, hi = np.floor(np.log10(finite.min())), np.ceil(np.log10(finite.max()))
        ax2.set_ylim(10.0**lo, 10.0 ** max(hi, lo + 1))
    ax2.locator_params(axis="x", nbins=5)
    ax2.set_xlabel("época (epoch)", fontsize=11)
    ax2.set_ylabel("perda BCE no treino (escala log)", fontsize=11)
    act = ACTIVATION_LABELS.get(activation, activation)
    ax2.set_title(f"ativação {act}, lr = {fmt(lr)}\nperda final = {fmt(loss[-1])}", fontsize=11)
    ax2.grid(True, alpha=0.3)


def draw_architecture(ax, layer_sizes, title=None, node_labels=None, max_nodes=8):
    """Desenha uma rede totalmente conectada: uma coluna de neurônios por camada.

    ``node_labels`` (opcional): lista de listas de rótulos por camada. Camadas com mais de
    ``max_nodes`` neurônios são desenhadas resumidas (com "⋮").
    """
    sizes = [int(s) for s in layer_sizes]
    n_layers = len(sizes)
    shown = [min(s, max_nodes) for s in sizes]
    ys = [np.linspace(0.5 * (k - 1), -0.5 * (k - 1), k) for k in shown]
    for i in range(n_layers - 1):
        for y0 in ys[i]:
            for y1 in ys[i + 1]:
                ax.plot([i, i + 1], [y0, y1], color="0.6", lw=0.8, zorder=1)
    colors = ["#d6eaf8"] + ["#d5f5e3"] * (n_layers - 2) + ["#fadbd8"]
    for i, col in enumerate(ys):
        for j, y in enumerate(col):
            ax.scatter([i], [y], s=700, color=colors[i], edgecolors="k", zorder=3)
            if node_labels is not None:
                ax.text(i, y, node_labels[i][j], ha="center", va="center", fontsize=10, zorder=4)
        if sizes[i] > max_nodes:
            ax.text(i, col[-1] - 0.5, "⋮", ha="center", fontsize=14)
        if i == 0:
            name = "entrada"
        elif i == n_layers - 1:
            name = "saída"
        else:
            name = f"escondida {i}"
        ax.text(i, 0.5 * max(shown) + 0.15, f"{name}\n({sizes[i]})", ha="center", va="bottom", fontsize=10)
    ax.set_xlim(-0.5, n_layers - 0.5)
    ax.set_ylim(-0.5 * max(shown) - 0.4, 0.5 * max(shown) + 0.9)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=11)


def mlp_widget():
    """O playground: conjunto de dados, largura, profundidade, ativação, lr e épocas."""
    import ipywidgets as w

    from coursekit.widgets._ui import dropdown, int_slider, live_plot

    progress = w.IntProgress(
        value=0, min=0, max=1, description="treino:", style={"description_width": "initial"}
    )
    status = w.Label("")

    def on_progress(done, total):
        progress.max = max(1, total)
        if done == total or done % max(1, total // 20) == 0:
            progress.value = done
            status.value = f"época {done} de {total}"

    def draw(fig, **values):
        draw_playground(fig, callback=on_progress, **values)

    controls = {
        "dataset": dropdown("conjunto de dados", list(DATASETS), value="XOR"),
        "width": int_slider("largura (neurônios)", 8, 1, 16),
        "depth": int_slider("profundidade (camadas)", 2, 0, 3),
        "activation": dropdown(
            "ativação",
            [
                ("tanh", "tanh"),
                ("ReLU", "relu"),
                ("sigmoide", "sigmoid"),
                ("identidade (linear)", "identity"),
            ],
            value="tanh",
        ),
        "lr": dropdown("taxa de aprendizado (lr)", [0.001, 0.003, 0.01, 0.03, 0.1, 0.3], value=0.03),
        "epochs": dropdown("épocas", [25, 50, 100, 200, 400, 800], value=200),
    }
    return live_plot(draw, controls, figsize=FIGSIZE, columns=2, header=w.HBox([progress, status]))


DEMOS = {
    "playground": (
        draw_playground,
        {"dataset": "XOR", "width": 8, "depth": 2, "activation": "tanh", "lr": 0.03, "epochs": 200},
        FIGSIZE,
    ),
}
TRAINING_DEMOS = {"playground"}
