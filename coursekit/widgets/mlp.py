"""Playground de MLP (no espírito do TensorFlow Playground) para a aula 06.

Escolha o conjunto de dados (dataset), o ruído (noise), a largura (width) e a profundidade
(depth) da rede, a função de ativação, a taxa de aprendizado (learning rate) e o número de
épocas; a rede ``coursekit.nn.MLP`` é treinada e o widget desenha a fronteira de decisão e as
curvas de perda no treino e num conjunto de teste (pontos novos, da mesma distribuição, que a
rede nunca vê no treino), com a acurácia nos dois.

``compute_*`` são puras (só NumPy); ``draw_*`` desenham numa Figure do matplotlib; o
``mlp_widget()`` monta os controles. O treino é guardado num cache por configuração, então
voltar a uma configuração já vista é instantâneo.
"""

import numpy as np

from coursekit import data
from coursekit.widgets._ui import CLASS_CMAP, CLASS_COLORS, TEST, TRAIN, fmt, simple_log_axis

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


NOISE_LEVELS = (0.0, 0.1, 0.2, 0.3)
"""Desvios-padrão do ruído gaussiano extra oferecidos no widget (0 = os conjuntos originais)."""

TEST_SEED_OFFSET = 1000
"""O conjunto de teste usa a semente ``seed + TEST_SEED_OFFSET``: pontos novos da mesma distribuição."""


def make_dataset(name, n=200, seed=0, noise=0.0):
    """Gera ``(X, y)`` do conjunto ``name`` (um de ``DATASETS``): X (n, 2) em ≈ [−1.3, 1.3]², y em {0, 1}.

    ``noise`` > 0 soma a cada ponto um ruído gaussiano de desvio ``noise`` (as classes se misturam
    mais); com ``noise=0`` os pontos são exatamente os de antes.
    """
    if name not in DATASETS:
        raise ValueError(f"dataset deve ser um de {list(DATASETS)}; recebi {name!r}.")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 8:
        raise ValueError(f"n deve ser um inteiro ≥ 8; recebi {n!r}.")
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.floating)) or not 0 <= noise <= 1:
        raise ValueError(f"noise deve ser um número entre 0 e 1; recebi {noise!r}.")
    rng = np.random.default_rng(seed)
    if name == "XOR":
        X, y = _xor_clouds(n, rng)
    elif name == "duas luas":
        X, y = _moons(n, seed)
    elif name == "círculos":
        X, y = _circles(n, rng)
    else:
        X, y = _spiral(n, rng)
    if noise > 0:  # gerador próprio: com noise = 0 nada muda nos pontos
        X = X + np.random.default_rng([seed, 1]).normal(0.0, noise, size=X.shape)
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
    noise=0.0,
    n_test=200,
):
    """Treina uma MLP ``[2] + [width]*depth + [1]`` (saída sigmoide, perda BCE, Adam(lr)).

    Treina em ``n`` pontos e avalia em ``n_test`` pontos novos do mesmo conjunto (semente
    ``seed + TEST_SEED_OFFSET``, mesmo ``noise``). Devolve um dict com ``X``, ``y``, ``X_test``,
    ``y_test``, a grade ``xx``, ``yy`` e a probabilidade prevista ``proba`` (grid, grid) da
    classe 1, ``loss_history`` e ``test_loss_history`` (perda BCE por época no treino e no
    teste), ``accuracy`` (no treino), ``test_accuracy``, ``boundary_visible`` (se a fronteira
    P = 0.5 passa pela janela desenhada), ``n_params`` e ``layer_sizes``. Resultados ficam num
    cache por configuração. ``callback(epoca, total)`` é chamado durante o treino (barra de progresso).
    """
    from coursekit.nn import MLP, Adam, n_params

    # sem camada escondida, largura e ativação não entram na rede: a mesma entrada no cache
    if int(depth) == 0:
        width, activation = 1, "identity"
    key = (
        dataset,
        int(width),
        int(depth),
        activation,
        float(lr),
        int(epochs),
        int(n),
        seed,
        int(grid),
        float(noise),
        int(n_test),
    )
    if key in _CACHE:
        if callback is not None:
            callback(int(epochs), int(epochs))
        return _CACHE[key]
    if int(depth) < 0 or int(width) < 1:
        raise ValueError("width deve ser ≥ 1 e depth ≥ 0.")
    X, y = make_dataset(dataset, n=n, seed=seed, noise=noise)
    X_test, y_test = make_dataset(dataset, n=n_test, seed=seed + TEST_SEED_OFFSET, noise=noise)
    sizes = [2] + [int(width)] * int(depth) + [1]
    model = MLP(sizes, activation=activation, output_activation="sigmoid", init="xavier_uniform", seed=seed)
    cb = None
    if callback is not None:

        def cb(epoch, _model):
            callback(epoch + 1, int(epochs))

    model.fit(
        X,
        y,
        loss="bce",
        optimizer=Adam(lr),
        epochs=int(epochs),
        batch_size=32,
        seed=seed,
        callback=cb,
        validation_data=(X_test, y_test),
    )
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
        "X_test": X_test,
        "y_test": y_test,
        "loss_history": np.array(model.loss_history_),
        "test_loss_history": np.array(model.val_loss_history_),
        "accuracy": float(np.mean(model.predict(X) == y)),
        "test_accuracy": float(np.mean(model.predict(X_test) == y_test)),
        "boundary_visible": bool(proba.min() < 0.5 < proba.max()),
        "n_params": n_params(sizes),
        "layer_sizes": sizes,
    }
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = result
    return result


def draw_playground(
    fig, dataset="XOR", width=8, depth=2, activation="tanh", lr=0.03, epochs=200, noise=0.0, callback=None
):
    """Fronteira de decisão (esquerda) e curvas de perda no treino e no teste (direita)."""
    r = compute_playground(dataset, width, depth, activation, lr, epochs, callback=callback, noise=noise)
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
    # imshow (uma imagem) em vez de contourf com muitos níveis: o mesmo fundo, bem mais barato
    im = ax1.imshow(
        r["proba"],
        extent=(-1.5, 1.5, -1.5, 1.5),
        origin="lower",
        cmap=CLASS_CMAP,  # laranja = P 0 (classe 0), roxo = P 1 (classe 1)
        vmin=0,
        vmax=1,
        alpha=0.5,  # claro o bastante para os pontos (nas mesmas cores, mais vivas) aparecerem
        interpolation="bilinear",
    )
    if r["boundary_visible"]:
        ax1.contour(r["xx"], r["yy"], r["proba"], levels=[0.5], colors="k", linewidths=1.5)
    else:  # sem contorno: dizer por quê, em vez de deixar um fundo liso sem explicação
        ax1.text(
            0.0,
            -1.3,
            "a fronteira P = 0.5 fica fora da janela:\na rede prevê a mesma classe em toda parte",
            ha="center",
            va="bottom",
            fontsize=8.5,
            bbox={"boxstyle": "round", "fc": "white", "alpha": 0.85},
        )
    X, y = r["X"], r["y"]
    ax1.plot(X[y == 1, 0], X[y == 1, 1], "o", color=CLASS_COLORS[1], mec="k", mew=0.6, ms=5, label="classe 1")
    ax1.plot(
        X[y == 0, 0], X[y == 0, 1], "s", color=CLASS_COLORS[0], mec="k", mew=0.6, ms=4.5, label="classe 0"
    )
    ax1.set_xlim(-1.5, 1.5)
    ax1.set_ylim(-1.5, 1.5)
    ax1.set_aspect("equal")
    ax1.locator_params(nbins=5)
    ax1.set_xlabel("x₁", fontsize=11)
    ax1.set_ylabel("x₂", fontsize=11)
    arch = "-".join(str(s) for s in r["layer_sizes"])
    ax1.set_title(
        f"{dataset}: rede {arch} ({r['n_params']} parâmetros)\n"
        f"acurácia: treino {fmt(100 * r['accuracy'])}% | teste {fmt(100 * r['test_accuracy'])}%",
        fontsize=11,
    )
    ax1.legend(loc="upper right", fontsize=8, framealpha=0.8)
    cbar = fig.colorbar(im, ax=ax1, shrink=0.8, label="P(classe 1)", ticks=[0, 0.5, 1])
    cbar.ax.tick_params(labelsize=9)
    loss, test_loss = r["loss_history"], r["test_loss_history"]
    epochs_axis = np.arange(1, len(loss) + 1)
    ax2.plot(epochs_axis, loss, color=TRAIN, label="treino")
    ax2.plot(epochs_axis, test_loss, color=TEST, ls="--", label="teste (pontos novos)")
    best = int(np.nanargmin(test_loss))  # o mínimo do teste, marcado: ele pode vir logo nas primeiras épocas
    ax2.plot(
        best + 1,
        test_loss[best],
        "o",
        color=TEST,
        mec="k",
        ms=7,
        zorder=4,
        label=f"mínimo do teste (época {best + 1})",
    )
    ax2.set_yscale("log")
    simple_log_axis(ax2.yaxis)
    ax2.legend(fontsize=8, loc="best")  # três entradas: no canto que as curvas deixam livre
    both = np.concatenate([loss, test_loss])
    finite = both[np.isfinite(both) & (both > 0)]
    if finite.size:  # limites em potências de 10: sempre há tiques com rótulo, mesmo se a perda parar
        lo, hi = np.floor(np.log10(finite.min())), np.ceil(np.log10(finite.max()))
        ax2.set_ylim(10.0**lo, 10.0 ** max(hi, lo + 1))
    ax2.locator_params(axis="x", nbins=5)
    ax2.set_xlabel("época (epoch)", fontsize=11)
    ax2.set_ylabel("perda BCE (escala log)", fontsize=11)
    act = (
        f"ativação {ACTIVATION_LABELS.get(activation, activation)}"
        if int(depth) > 0
        else "sem camada escondida"
    )
    ax2.set_title(
        f"{act}, lr = {fmt(lr)}, ruído = {fmt(noise)}\n"
        f"perda final: treino {fmt(loss[-1])} | teste {fmt(test_loss[-1])}",
        fontsize=10.5,
    )
    ax2.grid(True, alpha=0.3)


def hidden_representation(model, X):
    """A saída da (primeira) camada escondida de ``model`` (uma ``coursekit.nn.MLP``) para ``X``:
    h = f(X·W⁽¹⁾ + b⁽¹⁾), formato (n, largura)."""
    from coursekit.nn.activations import get_activation

    if len(model.weights) < 2:
        raise ValueError("model precisa de pelo menos uma camada escondida (layer_sizes com 3 ou mais).")
    f, _ = get_activation(model.activation)
    return f(np.asarray(X, dtype=float) @ model.weights[0] + model.biases[0])


def draw_hidden_space(fig, model, X, y, threshold=0.5):
    """Dois painéis para uma rede 2-2-1: à esquerda o espaço de entrada (x₁, x₂), com as retas em
    que cada neurônio escondido "dobra" (z = 0); à direita o espaço escondido (h₁, h₂), onde os
    pontos chegam e a reta da camada de saída, w·h + b = ``threshold``, os separa.
    Devolve as coordenadas escondidas H (n, 2)."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if model.layer_sizes[1:] != [2, 1] or len(model.layer_sizes) != 3:
        raise ValueError(f"draw_hidden_space espera uma rede [2, 2, 1]; recebi {model.layer_sizes}.")
    H = hidden_representation(model, X)
    ax1, ax2 = fig.subplots(1, 2)
    styles = {1: ("o", CLASS_COLORS[1], "classe 1"), 0: ("s", CLASS_COLORS[0], "classe 0")}
    xs = np.array([-0.5, 1.5])
    for k, ls in zip(range(2), ("--", ":")):
        w, b = model.weights[0][:, k], model.biases[0][k]
        if w[1] != 0:
            ax1.plot(
                xs, -(w[0] * xs + b) / w[1], "k", ls=ls, lw=1.3, label=f"z{'₁₂'[k]} = 0 (dobra de h{'₁₂'[k]})"
            )
    for cls, (mk, color, label) in styles.items():
        sel = y == cls
        ax1.scatter(X[sel, 0], X[sel, 1], s=150, marker=mk, c=color, edgecolors="k", zorder=3, label=label)
        ax2.scatter(H[sel, 0], H[sel, 1], s=150, marker=mk, c=color, edgecolors="k", zorder=3, label=label)
    lo = min(H.min(), 0.0) - 0.5
    hi = max(H.max(), 1.0) + 1.0
    groups = []  # pontos que caem (quase) no mesmo lugar do espaço escondido ganham um só rótulo
    for x, h in zip(X, H):
        near = next((g for g in groups if np.linalg.norm(g[0] - h) < 0.08 * (hi - lo)), None)
        if near is None:
            groups.append((h, [f"({x[0]:g}, {x[1]:g})"]))
        else:
            near[1].append(f"({x[0]:g}, {x[1]:g})")
    for h, names in groups:
        ax2.annotate(
            " e ".join(names),
            h,
            xytext=(11, 9),  # longe o bastante do marcador (s = 150) para não encostar nele
            textcoords="offset points",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    w_out, b_out = model.weights[1][:, 0], float(model.biases[1][0])
    hs = np.array([lo, hi])
    if w_out[1] != 0:
        ax2.plot(
            hs,
            (threshold - b_out - w_out[0] * hs) / w_out[1],
            color="black",
            lw=2,
            label=f"reta da saída: {linear_text(w_out, ('h₁', 'h₂'))} = {fmt(threshold - b_out)}",
        )
    ax1.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), aspect="equal", xlabel="x₁", ylabel="x₂")
    ax1.set_title("Espaço de entrada: nenhuma reta separa", fontsize=11)
    ax2.set(xlim=(lo, hi), ylim=(lo, hi), aspect="equal", xlabel="h₁", ylabel="h₂")
    ax2.set_title("Espaço escondido: uma reta separa", fontsize=11)
    for ax in (ax1, ax2):  # legendas abaixo dos painéis: nenhuma cobre um ponto ou uma reta
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8.5, frameon=False)
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
    return H


def linear_text(coefs, names):
    """``linear_text([1, -2], ("h₁", "h₂")) == "h₁ − 2·h₂"``: uma combinação linear legível."""
    text = ""
    for c, name in zip(coefs, names):
        c = float(c)
        if c == 0:
            continue
        mag = "" if abs(c) == 1 else f"{fmt(abs(c))}·"
        sign = ("−" if c < 0 else "") if not text else (" − " if c < 0 else " + ")
        text += f"{sign}{mag}{name}"
    return text or "0"


def draw_architecture(
    ax, layer_sizes, title=None, node_labels=None, max_nodes=8, bias=False, edge_labels=None
):
    """Desenha uma rede totalmente conectada: uma coluna de neurônios por camada.

    ``node_labels`` (opcional): lista de listas de rótulos por camada. Camadas com mais de
    ``max_nodes`` neurônios são desenhadas resumidas (com "⋮"). ``bias=True`` acrescenta, acima de
    cada camada que alimenta outra, um nó tracejado "+1" ligado (tracejado) a cada neurônio da
    camada seguinte: o viés é o peso dessa entrada constante. ``edge_labels`` (opcional): dict
    ``(camada, i, j) → rótulo`` para a ligação do neurônio ``i`` da camada ``camada`` ao ``j`` da
    seguinte (``i = "+1"`` para a ligação do viés).
    """
    sizes = [int(s) for s in layer_sizes]
    n_layers = len(sizes)
    shown = [min(s, max_nodes) for s in sizes]
    ys = [np.linspace(0.5 * (k - 1), -0.5 * (k - 1), k) for k in shown]
    top = 0.5 * max(shown)
    bias_y = top + 0.35  # os nós "+1" ficam acima da coluna mais alta
    edge_labels = dict(edge_labels or {})

    def label_edge(p0, p1, text, frac):
        x = p0[0] + frac * (p1[0] - p0[0])
        y = p0[1] + frac * (p1[1] - p0[1])
        ax.text(
            x, y, text, ha="center", va="center", fontsize=9, zorder=5,
            bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none"},
        )  # fmt: skip

    for i in range(n_layers - 1):
        for a, y0 in enumerate(ys[i]):
            for b, y1 in enumerate(ys[i + 1]):
                ax.plot([i, i + 1], [y0, y1], color="0.6", lw=0.8, zorder=1)
                if (i, a, b) in edge_labels:  # cruzamentos no meio: o rótulo fica a 1/3 da origem
                    label_edge((i, y0), (i + 1, y1), edge_labels[(i, a, b)], 0.5 if a == b else 0.3)
        if bias:
            ax.scatter([i + 0.35], [bias_y], s=450, color="white", edgecolors="k", linestyle="--", zorder=3)
            ax.text(i + 0.35, bias_y, "+1", ha="center", va="center", fontsize=9, zorder=4)
            for b, y1 in enumerate(ys[i + 1]):
                ax.plot([i + 0.35, i + 1], [bias_y, y1], color="0.6", lw=0.8, ls="--", zorder=1)
                if (i, "+1", b) in edge_labels:
                    label_edge((i + 0.35, bias_y), (i + 1, y1), edge_labels[(i, "+1", b)], 0.3)
    # cinzas claros: a cor das camadas não carrega significado (a posição e o rótulo já dizem qual é)
    colors = ["0.97"] + ["0.88"] * (n_layers - 2) + ["0.78"]
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
        name_y = top + 0.15 + (0.6 if bias else 0.0)  # acima dos nós "+1", quando há
        ax.text(i, name_y, f"{name}\n({sizes[i]})", ha="center", va="bottom", fontsize=10)
    ax.set_xlim(-0.5, n_layers - 0.5)
    ax.set_ylim(-top - 0.4, top + 0.9 + (0.6 if bias else 0.0))
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=11)


def mlp_widget():
    """O playground: conjunto de dados, largura, profundidade, ativação, lr, épocas e ruído."""
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
        "depth": int_slider("camadas escondidas", 2, 0, 3),
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
        "lr": dropdown("taxa do Adam (lr)", [0.001, 0.003, 0.01, 0.03, 0.1, 0.3], value=0.03),
        "epochs": dropdown("épocas", [25, 50, 100, 200, 400, 800], value=200),
        "noise": dropdown("ruído", list(NOISE_LEVELS), value=0.0),
    }

    def on_depth(change):
        # profundidade 0: a entrada liga direto na saída, e largura e ativação não mudam nada (ficam desativadas)
        controls["width"].disabled = controls["activation"].disabled = change["new"] == 0

    controls["depth"].observe(on_depth, names="value")
    box = live_plot(draw, controls, figsize=FIGSIZE, columns=2, header=w.HBox([progress, status]))
    box.controls = controls  # nome → controle (os nomes que draw_playground recebe)
    return box


DEMOS = {
    "playground": (
        draw_playground,
        {
            "dataset": "XOR",
            "width": 8,
            "depth": 2,
            "activation": "tanh",
            "lr": 0.03,
            "epochs": 200,
            "noise": 0.0,
        },
        FIGSIZE,
    ),
}
TRAINING_DEMOS = {"playground"}
