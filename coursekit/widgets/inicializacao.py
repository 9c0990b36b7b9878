"""Aula 08 — inicialização dos pesos (weight initialization).

Na linha das notas de inicialização do deeplearning.ai: escolha o esquema de
inicialização, treine uma MLP pequena em dados 2-D (dois círculos) e veja o custo, a
fronteira de decisão e as distribuições das ativações e dos gradientes de cada camada
no momento da inicialização. A mesma análise (sem treino) nos dígitos 8×8 do
scikit-learn.

As funções ``compute_*`` são puras (só NumPy + coursekit); ``draw_*`` desenham numa
figura do matplotlib; ``*_widget`` montam os controles (ipywidgets, importado só ali).
"""

from functools import lru_cache

import numpy as np

from coursekit._checks import check_choice, check_positive, make_rng
from coursekit.nn import init as _init
from coursekit.nn.mlp import MLP
from coursekit.nn.optim import SGD
from coursekit.widgets._ui import (
    BACKWARD,
    CLASS_CMAP,
    CLASS_COLORS,
    FORWARD,
    METHOD_STYLES,
    TRAIN,
    simple_log_axis,
)

# ----------------------------------------------------------------------------- esquemas
SMALL_STD = 0.01
"""Desvio da inicialização "pequena demais" (o ``normal`` padrão do coursekit)."""
LARGE_STD = 3.0
"""Desvio da inicialização "grande demais" na rede dos círculos."""

SCHEMES = {
    "zeros": ("Zero", lambda a, b, rng: _init.zeros(a, b, rng)),
    "pequena": ("Pequena demais: N(0, 0.01²)", lambda a, b, rng: _init.normal(a, b, rng, std=SMALL_STD)),
    "normal_padrao": ("Normal padrão: N(0, 1)", lambda a, b, rng: _init.normal(a, b, rng, std=1.0)),
    "grande": ("Grande demais: N(0, 3²)", lambda a, b, rng: _init.normal(a, b, rng, std=LARGE_STD)),
    "xavier_uniform": ("Xavier uniforme", _init.xavier_uniform),
    "xavier_normal": ("Xavier normal", _init.xavier_normal),
    "he_uniform": ("He uniforme", _init.he_uniform),
    "he_normal": ("He normal", _init.he_normal),
}
"""nome → (rótulo em português, inicializador ``f(fan_in, fan_out, rng)`` de coursekit.nn)."""

ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "tanh"}
"""Como cada ativação aparece nos títulos (igual aos menus)."""

FIGSIZE = (9.5, 7.6)
"""Figura do widget de treino (polegadas): larga no máximo 9,5 (cabe no notebook), alta se preciso."""
FIGSIZE_DIGITS = (9.5, 4.2)
"""Figura do widget dos dígitos."""


CIRCLES_LAYERS = (2, 10, 10, 10, 1)
"""Arquitetura da rede dos círculos: 2 entradas, três camadas escondidas de 10, 1 saída."""


#: família de cada esquema → índice em METHOD_STYLES (a cor); uniforme × normal muda só o traço
_SCHEME_FAMILY = {"zeros": 0, "pequena": 1, "normal_padrao": 2, "grande": 2, "xavier": 3, "he": 4}


def scheme_style(scheme):
    """Estilo do esquema nas figuras que comparam esquemas: ``dict(color=…, ls=…, marker=…)``.

    A cor é a da família (zero, pequena, normal padrão ou grande, Xavier, He), tirada de
    ``METHOD_STYLES``; a versão uniforme de Xavier e de He é tracejada, com quadrado, e a
    normal é contínua, com círculo; a "grande" é pontilhada. Nenhum dos oito esquemas repete estilo.
    """
    check_choice(scheme, "scheme", list(SCHEMES))
    family = scheme if scheme in _SCHEME_FAMILY else scheme.split("_")[0]
    color, ls, marker = METHOD_STYLES[_SCHEME_FAMILY[family]]
    if scheme == "grande":  # a mesma família da normal padrão (só o desvio muda): outro traço
        ls, marker = ":", "v"
    elif scheme.endswith("_uniform"):
        ls, marker = "--", "s"
    elif scheme.endswith("_normal"):
        ls, marker = "-", "o"
    return {"color": color, "ls": ls, "marker": marker}


def scheme_label(scheme):
    """Rótulo em português do esquema (``"he_normal"`` → ``"He normal"``)."""
    return SCHEMES[check_choice(scheme, "scheme", list(SCHEMES))][0]


def activation_label(activation):
    """``"relu"`` → ``"ReLU"``: o nome da ativação como nos menus."""
    return ACTIVATION_LABELS.get(activation, activation)


def init_weights(scheme, layer_sizes, seed=0):
    """Matrizes de pesos (fan_in, fan_out) de cada camada, sorteadas pelo ``scheme``.

    Usa sempre os inicializadores de ``coursekit.nn`` (um mesmo gerador para todas as
    camadas, na ordem das camadas).
    """
    f = SCHEMES[check_choice(scheme, "scheme", list(SCHEMES))][1]
    rng = make_rng(seed)
    sizes = list(layer_sizes)
    return [f(a, b, rng) for a, b in zip(sizes[:-1], sizes[1:])]


def build_network(scheme, layer_sizes, activation="relu", output_activation="sigmoid", seed=0):
    """Uma ``coursekit.nn.MLP`` com os pesos do ``scheme`` e vieses zero."""
    net = MLP(list(layer_sizes), activation=activation, output_activation=output_activation, seed=seed)
    net.weights = init_weights(scheme, layer_sizes, seed)
    return net


def hidden_activations(net, X):
    """Lista com as ativações (n, largura) de cada camada escondida da ``net`` para ``X``."""
    _, _, cache, _ = net._forward(np.asarray(X, dtype=float))
    return [net._act(z) for _, z, _ in cache]


# ----------------------------------------------------------------------------- dados 2-D
def make_circles(n=240, noise=0.08, factor=0.5, seed=0):
    """Dois círculos concêntricos: externo (raio 1) com rótulo 0, interno (raio ``factor``) com 1.

    Devolve ``(X, y)`` com X (n, 2) e y (n,) em {0, 1}, embaralhados.
    """
    check_positive(n, "n", integer=True)
    rng = make_rng(seed)
    n_out = n // 2
    theta = rng.uniform(0.0, 2.0 * np.pi, n)
    radius = np.where(np.arange(n) < n_out, 1.0, factor)
    X = np.column_stack([radius * np.cos(theta), radius * np.sin(theta)])
    X += rng.normal(0.0, noise, size=X.shape)
    y = (np.arange(n) >= n_out).astype(float)
    order = rng.permutation(n)
    return X[order], y[order]


def compute_init_stats(
    scheme,
    activation="relu",
    layer_sizes=CIRCLES_LAYERS,
    X=None,
    y=None,
    loss="bce",
    output_activation="sigmoid",
    seed=0,
):
    """Ativações e gradientes por camada NA INICIALIZAÇÃO (antes de qualquer passo de treino).

    Devolve um dict com
    ``activations``: lista (uma por camada escondida) de arrays (n, largura);
    ``gradients``: lista (uma por matriz de pesos, saída incluída) de ∂perda/∂W;
    ``act_std`` e ``grad_std``: os desvios-padrão de cada um; ``loss``: a perda inicial.
    Sem ``X``/``y``, usa os círculos de :func:`make_circles`.
    """
    if X is None:
        X, y = make_circles(seed=seed)
    net = build_network(scheme, layer_sizes, activation, output_activation, seed)
    acts = hidden_activations(net, X)
    value, grads_w, _ = net.loss_and_gradients(X, y, loss=loss)
    return {
        "activations": acts,
        "gradients": grads_w,
        "act_std": [float(np.std(a)) for a in acts],
        "grad_std": [float(np.std(g)) for g in grads_w],
        "loss": float(value),
    }


_TRAIN_CACHE = {}


def compute_training(
    scheme="he_normal", activation="relu", lr=0.5, epochs=300, n=240, seed=0, callback=None, grid_size=80
):
    """Treina a rede dos círculos por descida do gradiente em lote completo (full batch).

    Devolve um dict com ``X``, ``y``, ``loss_history`` (perda BCE por época),
    ``accuracy`` (acerto no treino), a grade ``xx``, ``yy``, ``prob`` (probabilidade da
    classe 1 em cada ponto, para a fronteira de decisão) e, de :func:`compute_init_stats`,
    ``init`` (ativações e gradientes por camada na inicialização), ``weights`` e ``biases``
    (os pesos e vieses depois do treino). O resultado fica em
    cache por configuração; ``callback(epoca, total)`` recebe o progresso do treino.
    """
    check_choice(scheme, "scheme", list(SCHEMES))
    check_positive(lr, "lr")
    check_positive(epochs, "epochs", integer=True)
    key = (scheme, activation, float(lr), int(epochs), int(n), seed, int(grid_size))
    if key in _TRAIN_CACHE:
        if callback is not None:
            callback(epochs, epochs)
        return _TRAIN_CACHE[key]
    X, y = make_circles(n, seed=seed)
    stats = compute_init_stats(scheme, activation, CIRCLES_LAYERS, X, y, seed=seed)
    net = build_network(scheme, CIRCLES_LAYERS, activation, "sigmoid", seed)
    every = max(1, epochs // 20)

    def report(epoch, _model):
        if callback is not None and ((epoch + 1) % every == 0 or epoch + 1 == epochs):
            callback(epoch + 1, epochs)

    with np.errstate(over="ignore", invalid="ignore"):
        net.fit(X, y, loss="bce", optimizer=SGD(lr), epochs=epochs, batch_size=n, seed=seed, callback=report)
        lim = 1.6
        g = np.linspace(-lim, lim, grid_size)
        xx, yy = np.meshgrid(g, g)
        prob = net.forward(np.column_stack([xx.ravel(), yy.ravel()]))[:, 0].reshape(xx.shape)
        accuracy = float(np.mean(net.predict(X) == y))
    result = {
        "X": X,
        "y": y,
        "loss_history": np.asarray(net.loss_history_, dtype=float),
        "accuracy": accuracy,
        "xx": xx,
        "yy": yy,
        "prob": prob,
        "init": stats,
        "weights": [W.copy() for W in net.weights],
        "biases": [b.copy() for b in net.biases],
    }
    if len(_TRAIN_CACHE) > 64:
        _TRAIN_CACHE.clear()
    _TRAIN_CACHE[key] = result
    return result


# ----------------------------------------------------------------------------- desenho
def _hist_range(arrays):
    finite = [np.ravel(a)[np.isfinite(np.ravel(a))] for a in arrays]
    m = max((float(np.max(np.abs(a))) for a in finite if a.size), default=0.0)
    m = m if m > 0 else 1.0
    if all(a.size == 0 or a.min() >= 0 for a in finite):  # ReLU: nada negativo
        return -0.02 * m, 1.05 * m
    return -1.05 * m, 1.05 * m


def _fmt_formatter():
    """Formatador de tiques que escreve os números como ``fmt`` (sem "1e7" nem offset no canto)."""
    from matplotlib.ticker import FuncFormatter

    from coursekit.widgets._ui import fmt

    return FuncFormatter(lambda value, _pos=None: fmt(value))


def _draw_histograms(axes, arrays, title, color, fmt):
    """Um histograma por camada, todos com as mesmas classes (bins) para comparar a escala."""
    lo, hi = _hist_range(arrays)
    edges = np.linspace(lo, hi, 41)
    for i, (ax, a) in enumerate(zip(axes, arrays)):
        values = np.ravel(a)
        values = values[np.isfinite(values)]
        counts, _ = np.histogram(values, bins=edges)
        ax.stairs(counts, edges, fill=True, color=color, alpha=0.85)  # um artista só: bem mais rápido
        ax.set_xlim(lo, hi)
        ax.set_title(
            f"{title} {i + 1}\ndesvio {fmt(np.std(values) if values.size else 0.0)}", fontsize=9.5
        )  # 2 linhas: não encostam
        ax.set_yticks([])
        ax.locator_params(axis="x", nbins=4)
        ax.xaxis.set_major_formatter(_fmt_formatter())
        ax.tick_params(labelsize=8.5)


def draw_initialization(fig, scheme="he_normal", activation="relu", lr=0.5, epochs=300, progress=None):
    """Custo, fronteira de decisão e histogramas por camada (ativações e ∂W na inicialização)."""
    from coursekit.widgets._ui import fmt

    r = compute_training(scheme, activation, lr, epochs, callback=progress)
    grid = fig.add_gridspec(3, 6, height_ratios=[1.6, 1, 1])
    ax_loss = fig.add_subplot(grid[0, :3])
    ax_db = fig.add_subplot(grid[0, 3:])
    hist = r["loss_history"]
    finite = np.isfinite(hist)
    ax_loss.plot(np.arange(1, len(hist) + 1)[finite], hist[finite], color=TRAIN)
    ax_loss.set_xlabel("época (epoch)")
    ax_loss.set_ylabel("custo (entropia cruzada binária)")
    last = hist[-1] if np.isfinite(hist[-1]) else float("nan")
    ax_loss.set_title(
        f"{scheme_label(scheme)} + {activation_label(activation)}\ncusto final {fmt(last)}", fontsize=10.5
    )
    _loss_scale(ax_loss, hist[finite])
    ax_loss.grid(alpha=0.3)

    lim = float(r["xx"].max())
    ax_db.imshow(
        r["prob"],
        extent=(-lim, lim, -lim, lim),
        origin="lower",
        cmap=CLASS_CMAP,
        vmin=0,
        vmax=1,
        alpha=0.6,
        interpolation="bilinear",
    )
    X, y = r["X"], r["y"]
    for k, name in enumerate(("classe 0 (externo)", "classe 1 (interno)")):
        ax_db.plot(*X[y == k].T, "o", ms=3.5, color=CLASS_COLORS[k], mec="k", mew=0.3, label=name)
    ax_db.set_title(f"fronteira de decisão\nacerto no treino {fmt(100 * r['accuracy'])}%", fontsize=10.5)
    ax_db.set_xlabel("x₁")
    ax_db.set_ylabel("x₂")
    ax_db.set_xlim(-lim, lim)
    ax_db.set_ylim(-lim, lim)
    ax_db.set_aspect("equal")
    ax_db.locator_params(nbins=5)
    ax_db.legend(loc="upper right", fontsize=8)

    stats = r["init"]
    n_hidden = len(stats["activations"])
    width = 6 // n_hidden
    act_axes = [fig.add_subplot(grid[1, i * width : (i + 1) * width]) for i in range(n_hidden)]
    grad_axes = [fig.add_subplot(grid[2, i * width : (i + 1) * width]) for i in range(n_hidden)]
    _draw_histograms(act_axes, stats["activations"], "ativações, camada", FORWARD, fmt)
    _draw_histograms(grad_axes, stats["gradients"][:n_hidden], "gradiente ∂J/∂W, camada", BACKWARD, fmt)
    act_axes[0].set_ylabel("na inicialização", fontsize=9)
    grad_axes[0].set_ylabel("na inicialização", fontsize=9)


def _loss_scale(ax, hist):
    """Escala do eixo do custo: log se o custo varia muito; senão linear a partir de 0.

    Um custo quase parado (ex.: 0.693 = ln 2 o tempo todo) num eixo linear "justo" faria o
    matplotlib mostrar seis tiques iguais a 0.693147; começando em 0, a reta parada aparece
    como ela é.
    """
    if hist.size and np.max(hist) > 20 * max(np.min(hist), 1e-3):
        ax.set_yscale("log")
        simple_log_axis(ax.yaxis)
    else:
        top = float(np.max(hist)) if hist.size else 1.0
        ax.set_ylim(0, max(1.0, 1.1 * top))
        ax.ticklabel_format(axis="y", useOffset=False, style="plain")


def initialization_widget():
    """Widget: esquema de inicialização, ativação, taxa de aprendizado e épocas."""
    import ipywidgets as w

    from coursekit.widgets._ui import dropdown, int_slider, live_plot, slider

    bar = w.IntProgress(value=0, min=0, max=1, description="treino:", style={"description_width": "initial"})
    label = w.Label("")

    def progress(done, total):
        bar.max = total
        bar.value = done
        label.value = f"época {done} de {total}"

    def draw(fig, **kw):
        draw_initialization(fig, progress=progress, **kw)

    controls = {
        "scheme": dropdown("inicialização", [(v[0], k) for k, v in SCHEMES.items()], "he_normal"),
        "activation": dropdown("ativação", [("ReLU", "relu"), ("tanh", "tanh")], "relu"),
        "lr": slider("taxa de aprendizado", 0.5, 0.05, 2.0, 0.05),
        "epochs": int_slider("épocas", 300, 50, 1500, 50),
    }
    return live_plot(draw, controls, figsize=FIGSIZE, columns=2, header=w.HBox([bar, label]))


# ----------------------------------------------------------------------------- dígitos 8×8
DIGITS_WIDTH = 64
_DIGITS = {}


def standardized_digits():
    """Os dígitos 8×8 de ``coursekit.data.digits()`` com cada pixel padronizado (média 0, desvio 1).

    As fórmulas de Xavier e He supõem entradas de média 0 e variância 1; os pixels crus
    estão em [0, 1] (média ~0,31, desvio ~0,38). Pixels constantes (os cantos, sempre 0)
    ficam em 0. Devolve ``(X, y)``; a padronização usa a média e o desvio das 1797 imagens.
    """
    if "X" not in _DIGITS:
        from sklearn.preprocessing import StandardScaler

        from coursekit.data import digits

        X, y = digits()
        _DIGITS["X"] = StandardScaler().fit_transform(X)  # desvio 0 vira 1: pixel constante fica 0
        _DIGITS["y"] = y
    return _DIGITS["X"], _DIGITS["y"]


def compute_digits_stats(scheme="xavier_normal", activation="tanh", depth=6, n=500, seed=0):
    """Ativações e gradientes de cada camada de uma rede funda nos dígitos 8×8, na inicialização.

    Rede ``[64] + [64]·depth + [10]`` com saída softmax; usa as ``n`` primeiras imagens de
    :func:`standardized_digits`. Devolve ``activations`` (lista por camada escondida),
    ``act_std`` (desvio-padrão por camada escondida), ``grad_std`` (desvio-padrão de
    ∂perda/∂W de cada matriz de pesos, a de saída por último, com a entropia cruzada) e
    ``layer_sizes``.
    """
    check_positive(depth, "depth", integer=True)
    X, y = standardized_digits()
    sizes = [64] + [DIGITS_WIDTH] * int(depth) + [10]
    net = build_network(scheme, sizes, activation, "softmax", seed)
    with np.errstate(over="ignore", invalid="ignore"):
        acts = hidden_activations(net, X[:n])
        stds = [float(np.std(a)) for a in acts]
        _, grads_w, _ = net.loss_and_gradients(X[:n], y[:n], loss="cross_entropy")
        grad_stds = [float(np.std(g)) for g in grads_w]
    return {"activations": acts, "act_std": stds, "grad_std": grad_stds, "layer_sizes": sizes}


def _decade_limits(values):
    """Limites de um eixo log em potências de 10 que incluem ``values`` e pelo menos 0,1–1.

    Assim o eixo sempre tem tiques com rótulo (um desvio estável em 0,3–0,4 não cabe numa
    década só) e fica fácil comparar esquemas: sinal que some desce, sinal que explode sobe.
    """
    lo = min(float(np.min(values)) / 1.5, 0.1)
    hi = max(float(np.max(values)) * 1.5, 1.0)
    return 10.0 ** np.floor(np.log10(lo)), 10.0 ** np.ceil(np.log10(hi))


RELU_AXIS_MAX = 4.0
"""Fim do eixo x comum dos histogramas ReLU dos dígitos: com He, 99% das ativações > 0 ficam
abaixo de ~3,6. O eixo é o mesmo para todo esquema e toda camada, então um sinal que some se
amontoa em 0 e um que explode se amontoa na borda direita (a barra "além de 4")."""


@lru_cache(maxsize=64)
def _digits_histograms(scheme, activation, depth):
    """(bordas, contagens por camada, desvios das ativações, desvios dos gradientes, fração em 0,
    fração além do eixo) — em cache.

    Todas as camadas usam o MESMO eixo x, na escala real das ativações (nada é dividido pelo
    desvio da camada): com tanh, o valor em [−1, 1] (mostra a saturação); com ReLU, de 0 a
    ``RELU_AXIS_MAX``, com os valores maiores contados na última barra (o eixo fixo deixa ver
    o sinal que some, amontoado em 0, e o que explode, amontoado na borda). Com ReLU, os zeros
    exatos (metade dos neurônios) viram um número no rótulo, não uma barra gigante.
    """
    r = compute_digits_stats(scheme, activation, depth)
    acts = r["activations"]
    edges = np.linspace(-1.0, 1.0, 41) if activation == "tanh" else np.linspace(0.0, RELU_AXIS_MAX, 41)
    counts, zeros, beyond = [], [], []
    for a in acts:
        values = np.ravel(a)
        values = values[np.isfinite(values)]
        zeros.append(float(np.mean(values == 0)) if values.size else 1.0)
        if activation != "tanh":
            values = values[values > 0]
        beyond.append(float(np.mean(values > edges[-1])) if values.size else 0.0)
        counts.append(np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)[0])
    return (
        edges,
        counts,
        np.asarray(r["act_std"]),
        np.asarray(r["grad_std"]),
        np.asarray(zeros),
        np.asarray(beyond),
    )


def compute_digits_histograms(scheme="xavier_normal", activation="tanh", depth=6):
    """O que o widget dos dígitos desenha à esquerda, num dict: ``edges`` (bordas das barras,
    as mesmas para todas as camadas), ``counts`` (contagens por camada), ``act_std`` (desvio
    real das ativações), ``grad_std``, ``zeros`` (fração de ativações exatamente 0) e
    ``beyond`` (fração dos valores mostrados que passa do fim do eixo e entra na última barra)."""
    check_positive(depth, "depth", integer=True)
    keys = ("edges", "counts", "act_std", "grad_std", "zeros", "beyond")
    return dict(zip(keys, _digits_histograms(scheme, activation, int(depth))))


def _digits_layer_note(std, zero, beyond, activation):
    """Texto de uma camada: o desvio-padrão real e, com ReLU, a fração em 0 e além do eixo."""
    from coursekit.widgets._ui import fmt

    text = f"desvio {fmt(std, digits=2)}"
    if activation != "tanh":
        text += f" · {100 * zero:.0f}% em 0"
        if beyond >= 0.005:
            text += f" · {100 * beyond:.0f}% > {fmt(RELU_AXIS_MAX)}"
    return text


def draw_digits_activations(fig, scheme="xavier_normal", activation="tanh", depth=6):
    """Histogramas das ativações de cada camada (dígitos 8×8), todos no mesmo eixo x e na escala
    real, e, por camada, o desvio-padrão das ativações e dos gradientes ∂J/∂W, tudo na
    inicialização."""
    from matplotlib.ticker import MaxNLocator

    from coursekit.widgets._ui import fmt

    check_positive(depth, "depth", integer=True)
    edges, counts, stds, grad_stds, zeros, beyond = _digits_histograms(scheme, activation, int(depth))
    ax_h, ax_s = fig.subplots(1, 2, width_ratios=[1.25, 1])
    lo, hi = edges[0], edges[-1]
    n = len(counts)
    for i, c in enumerate(counts):
        base = n - 1 - i
        # uma "montanha" por camada, de baixo (base) para cima; a altura é relativa a cada camada,
        # o eixo x é o mesmo para todas
        ax_h.stairs(
            base + 0.9 * c / max(c.max(), 1),
            edges,
            baseline=base,
            fill=True,
            color=FORWARD,
            alpha=0.85 if i % 2 == 0 else 0.55,
        )
    # rótulos de largura fixa (o layout é reaproveitado entre redesenhos); o desvio real de cada
    # camada fica escrito dentro do painel, à direita, logo antes da última barra
    ax_h.set_yticks(np.arange(n)[::-1] + 0.4, [f"camada {i + 1:>2}" for i in range(n)], fontsize=8)
    for i, v in enumerate(zip(stds, zeros, beyond)):
        ax_h.text(
            edges[-2],
            n - 1 - i + 0.45,
            _digits_layer_note(*v, activation),
            ha="right",
            va="center",
            fontsize=7.5 if n <= 6 else 7,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
        )
    ax_h.set_xlim(lo, hi)
    ax_h.set_ylim(-0.1, n)
    ax_h.locator_params(axis="x", nbins=5)
    ax_h.xaxis.set_major_formatter(_fmt_formatter())
    if activation == "tanh":
        ax_h.set_xlabel("valor da ativação, mesmo eixo em todas as camadas")
    else:
        ax_h.set_xlabel(
            f"ativações > 0, mesmo eixo em todas as camadas (> {fmt(RELU_AXIS_MAX)}: última barra)"
        )
    ax_h.set_title(
        f"histogramas por camada: {scheme_label(scheme)} + {activation_label(activation)}", fontsize=10
    )
    layers = np.arange(1, n + 1)
    floor = 1e-12  # desvio 0 (pesos zero) não cabe na escala log
    ax_s.plot(layers, np.maximum(stds, floor), "o-", color=FORWARD, label="ativações")
    ax_s.plot(layers, np.maximum(grad_stds[:n], floor), "s--", color=BACKWARD, label="gradientes ∂J/∂W")
    ax_s.set_yscale("log")
    simple_log_axis(ax_s.yaxis)
    both = np.maximum(np.concatenate([stds, grad_stds[:n]]), floor)
    ax_s.set_ylim(*_decade_limits(both))
    ax_s.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax_s.set_xlabel("camada escondida")
    ax_s.set_ylabel("desvio-padrão (escala log)")
    ax_s.set_title("ida (ativações) e volta (gradientes)", fontsize=10)
    ax_s.legend(fontsize=8, loc="best")
    ax_s.grid(alpha=0.3, axis="y")


def digits_widget():
    """Widget (sem treino): esquema, ativação e profundidade → ativações e gradientes por camada."""
    from coursekit.widgets._ui import dropdown, int_slider, live_plot

    controls = {
        "scheme": dropdown("inicialização", [(v[0], k) for k, v in SCHEMES.items()], "xavier_normal"),
        "activation": dropdown("ativação", [("tanh", "tanh"), ("ReLU", "relu")], "tanh"),
        "depth": int_slider("camadas escondidas", 6, 2, 10),
    }
    return live_plot(draw_digits_activations, controls, figsize=FIGSIZE_DIGITS, columns=2)


DEMOS = {
    "inicializacao": (
        draw_initialization,
        {"scheme": "he_normal", "activation": "relu", "lr": 0.5, "epochs": 300},
        FIGSIZE,
    ),
    "digitos": (
        draw_digits_activations,
        {"scheme": "xavier_normal", "activation": "tanh", "depth": 6},
        FIGSIZE_DIGITS,
    ),
}
TRAINING_DEMOS = {"inicializacao"}
