"""Retropropagação (backpropagation) passo a passo no exemplo 2-3 dos slides (aula 07).

A rede tem 2 entradas, 2 neurônios escondidos e 1 saída, ativação identidade e nenhum viés:
X = (2, 3), y = 1, W = [[0.11, 0.12], [0.21, 0.08]], W¹ = [0.14, 0.15]. Cada iteração faz
os quatro passos (forward, erro, backward, atualização) com ``coursekit.nn.MLP`` e
``coursekit.nn.SGD(α)``. ``compute_history`` é pura e barata (devolve todo o histórico);
``draw_*`` desenham; ``backprop_widget()`` monta os controles.
"""

from functools import lru_cache

import numpy as np

from coursekit.widgets._ui import BACKWARD, FORWARD, TRAIN, fmt, sign_color, simple_log_axis

SLIDE_X = np.array([[2.0, 3.0]])
SLIDE_Y = np.array([1.0])
SLIDE_W = np.array([[0.11, 0.12], [0.21, 0.08]])
SLIDE_W1 = np.array([[0.14], [0.15]])
SLIDE_ALPHA = 0.05

_DIVERGED = 1e6  # acima deste erro consideramos que o treino divergiu e paramos
# |o − y| até 4 ulps de 1 é só arredondamento (o passo para frente faz várias contas): conta como
# erro 0 exato, igual em qualquer máquina (sem isso, uma máquina dá 0 e outra ½(1,1e-16)² ≈ 6e-33)
_ROUNDING = 4 * np.finfo(float).eps

FIGSIZE = (9.5, 4.4)
"""Tamanho da figura do widget (polegadas): cabe na área do notebook sem ser reduzida."""


ACTIVATIONS = {"identity": "identidade (o slide)", "sigmoid": "sigmoide"}
"""Ativações da camada escondida que o widget oferece: nome → rótulo em português."""


def _check_activation(activation):
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation deve ser um de {sorted(ACTIVATIONS)}; recebi {activation!r}.")
    return activation


def slide_network(W=None, W1=None, activation="identity"):
    """A rede 2-2-1 dos slides (sem viés, saída identidade) com os pesos do slide (ou os dados).

    ``activation`` é a da camada escondida: ``"identity"`` (a do slide) ou ``"sigmoid"``.
    """
    from coursekit.nn import MLP

    net = MLP([2, 2, 1], activation=_check_activation(activation), output_activation="identity", bias=False)
    net.weights = [
        np.array(SLIDE_W if W is None else W, dtype=float),
        np.array(SLIDE_W1 if W1 is None else W1, dtype=float).reshape(2, 1),
    ]
    return net


def compute_history(alpha=SLIDE_ALPHA, n_iter=60, X=SLIDE_X, y=SLIDE_Y, activation="identity"):
    """Roda ``n_iter`` iterações de descida do gradiente no exemplo 2-3.

    ``activation``: a da camada escondida, ``"identity"`` (o slide) ou ``"sigmoid"`` (a seção 6
    da aula: a mesma rede com h = σ(xW)).

    Devolve um dict de arrays indexados pela iteração k = 0..K (K ≤ n_iter): os pesos
    ``W`` (K+1, 2, 2) e ``W1`` (K+1, 2) *antes* da atualização k, a camada escondida ``h``
    (K+1, 2), a saída ``o`` e o ``error`` = ½(o − y)² (K+1,), ``delta`` = o − y e os
    gradientes ``grad_W`` e ``grad_W1`` da iteração k (com |o − y| ≤ 4 ulps de y, no nível do
    arredondamento, ``delta`` e ``error`` são 0 exato, em qualquer máquina); e ``diverged`` (True se o erro passou
    de 1e6, caso em que o histórico termina ali).
    """
    from coursekit.nn import SGD, sigmoid

    if not np.isfinite(alpha) or alpha <= 0:
        raise ValueError(f"alpha deve ser um número positivo; recebi {alpha!r}.")
    if isinstance(n_iter, bool) or not isinstance(n_iter, (int, np.integer)) or n_iter < 0:
        raise ValueError(f"n_iter deve ser um inteiro ≥ 0; recebi {n_iter!r}.")
    net = slide_network(activation=activation)
    opt = SGD(alpha)
    keys = ("W", "W1", "h", "o", "error", "delta", "grad_W", "grad_W1")
    hist = {k: [] for k in keys}
    diverged = False
    for k in range(n_iter + 1):
        W, W1 = net.weights
        h = X @ W if activation == "identity" else sigmoid(X @ W)  # h = f(z)
        error, gw, _ = net.loss_and_gradients(X, y, loss="half_mse")
        o = float(net.forward(X)[0, 0])
        delta = o - float(y[0])
        if abs(delta) <= _ROUNDING * max(1.0, abs(float(y[0]))):
            delta, error = 0.0, 0.0
        for name, value in zip(
            keys, (W.copy(), W1[:, 0].copy(), h[0].copy(), o, error, delta, gw[0], gw[1][:, 0])
        ):
            hist[name].append(value)
        if error > _DIVERGED:
            diverged = True
            break
        if k < n_iter:
            opt.step(net.weights, gw)
    out = {k: np.array(v, dtype=float) for k, v in hist.items()}
    out["diverged"] = diverged
    out["alpha"] = float(alpha)
    out["activation"] = activation
    return out


@lru_cache(maxsize=128)
def _cached_history(alpha, n_iter, activation="identity"):
    """``compute_history`` guardada por (α, n_iter, ativação): mover só a iteração não recalcula nada.

    Só o widget usa esta versão (os arrays são compartilhados: não os modifique)."""
    return compute_history(alpha, n_iter, activation=activation)


# ------------------------------------------------------------------------- desenho
def draw_network(
    ax, W, W1, x=(2.0, 3.0), h=None, o=None, y=1.0, title=None, grad_W=None, grad_W1=None, loss_name="J"
):
    """Desenha a rede 2-2-1 com os pesos nas arestas e os valores nos neurônios.

    ``loss_name`` é o nome da perda na caixa sob a saída: ``"J"`` (notação do curso; com um
    único exemplo, perda ℓ = custo J) ou ``"Erro"`` (o nome do slide, nas seções 2 a 4 da aula).

    Se ``grad_W``/``grad_W1`` forem dados, a espessura de cada aresta é proporcional ao
    tamanho do gradiente (a "culpa" daquele peso) e a cor diz o sinal do gradiente, na
    convenção do curso (``POSITIVE``, vermelho: gradiente positivo, o peso vai diminuir;
    ``NEGATIVE``, azul: gradiente negativo, o peso vai aumentar).
    """
    W = np.asarray(W, dtype=float)
    W1 = np.asarray(W1, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    if h is None:
        h = x @ W
    if o is None:
        o = float(h @ W1)
    pos = {"x1": (0.0, 1.0), "x2": (0.0, 0.0), "h1": (1.0, 1.0), "h2": (1.0, 0.0), "o": (2.0, 0.5)}
    all_g = [abs(v) for g in (grad_W, grad_W1) if g is not None for v in np.ravel(g)]
    gmax = max(all_g) if all_g else 1.0

    def edge(a, b, w, g, label_at):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        if g is None:
            color, lw = "0.35", 2.0
        else:
            color = sign_color(g)  # gradiente 0 exato: preto, sem sinal
            lw = 0.8 + 5.0 * abs(g) / max(gmax, 1e-300)
        ax.plot([x0, x1], [y0, y1], color=color, lw=lw, zorder=1)
        lx, ly = x0 + label_at * (x1 - x0), y0 + label_at * (y1 - y0)
        ax.text(
            lx,
            ly,
            fmt(w),
            fontsize=9,
            ha="center",
            va="center",
            zorder=3,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.6"},
        )

    for i, a in enumerate(("x1", "x2")):
        for j, b in enumerate(("h1", "h2")):
            edge(a, b, W[i, j], None if grad_W is None else np.asarray(grad_W)[i, j], 0.5 if i == j else 0.25)
    for j, a in enumerate(("h1", "h2")):
        edge(a, "o", W1[j], None if grad_W1 is None else np.ravel(grad_W1)[j], 0.45)
    values = {"x1": x[0], "x2": x[1], "h1": h[0], "h2": h[1], "o": o}
    names = {"x1": "x₁", "x2": "x₂", "h1": "h₁", "h2": "h₂", "o": "o"}  # sem mathtext: mais rápido
    colors = {"x": "0.95", "h": "0.88", "o": "0.8"}  # neutros: a cor fica para o sinal
    for n, (px, py) in pos.items():
        ax.add_patch(_circle((px, py), 0.2, colors[n[0]]))
        ax.text(
            px,
            py,
            f"{names[n]}\n{fmt(values[n])}",
            ha="center",
            va="center",
            fontsize=10,
            linespacing=1.4,
            zorder=5,
        )
    ax.text(
        2.0,
        0.05,
        f"alvo y = {fmt(y)}\n{loss_name} = ½(o − y)² = {fmt(0.5 * (o - y) ** 2)}",
        ha="center",
        va="top",
        fontsize=9,
    )
    if grad_W is not None or grad_W1 is not None:  # a cor carrega significado: a legenda vai junto
        ax.text(
            1.05,
            -0.42,
            "aresta: espessura = |gradiente|; vermelho: gradiente > 0\n(o peso diminui), azul: gradiente < 0 (aumenta)",
            ha="center",
            va="top",
            fontsize=9,
            color="0.25",
        )
    ax.text(0.0, 1.32, "entrada", ha="center", fontsize=10)
    ax.text(1.0, 1.32, "camada escondida", ha="center", fontsize=10)
    ax.text(2.0, 1.32, "saída", ha="center", fontsize=10)
    ax.set_xlim(-0.35, 2.45)
    ax.set_ylim(-0.7, 1.45)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=11)


def _circle(center, radius, color):
    from matplotlib.patches import Circle

    return Circle(center, radius, fc=color, ec="k", lw=1.2, zorder=4)


def draw_four_steps(ax):
    """Os quatro passos da retropropagação como um ciclo: forward, erro, backward, atualização."""
    from matplotlib.patches import FancyArrowPatch

    steps = [
        ("1. Passo para frente\n(forward pass)", (0.0, 1.0), "0.93"),
        ("2. Cálculo do erro\n(loss)", (1.0, 1.0), "0.93"),
        ("3. Passo para trás\n(backward pass)", (1.0, 0.0), "0.93"),
        ("4. Atualização dos pesos\n(update)", (0.0, 0.0), "0.93"),
    ]
    for text, (x, y), color in steps:
        ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=11,
            bbox={"boxstyle": "round,pad=0.6", "fc": color, "ec": "k"},
        )
    for (_, a, _), (_, b, _) in zip(steps, steps[1:] + steps[:1]):
        (x0, y0), (x1, y1) = a, b
        dx, dy = x1 - x0, y1 - y0
        start = (x0 + 0.33 * dx, y0 + 0.3 * dy)
        end = (x1 - 0.33 * dx, y1 - 0.3 * dy)
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=20, lw=1.8, color="0.3"))
    ax.text(
        0.5, 0.5, "repetir até\no erro ficar\npequeno", ha="center", va="center", fontsize=10, style="italic"
    )
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(-0.35, 1.35)
    ax.axis("off")


def draw_computational_graph(ax, forward, backward):
    """Grafo computacional do exemplo 2-3: x, W → h → o → e = o − y → Erro = ½e².

    ``forward`` e ``backward`` são dicts nome do nó → texto do valor (passo para frente,
    cor ``FORWARD``, cinza-escuro, acima do nó) e do gradiente ∂Erro/∂nó (passo para trás,
    cor ``BACKWARD``, marrom, abaixo).
    Nós: ``"x"``, ``"W"``, ``"h"``, ``"W1"``, ``"o"``, ``"y"``, ``"e"``, ``"Erro"``.
    """
    from matplotlib.patches import FancyArrowPatch

    pos = {
        "x": (0.0, 1.0),
        "W": (0.0, -0.2),
        "h": (1.5, 0.4),
        "W1": (1.5, -0.8),
        "o": (3.0, -0.2),
        "y": (3.0, -1.4),
        "e": (4.5, -0.8),
        "Erro": (6.0, -0.8),
    }
    labels = {
        "x": "$x$",
        "W": "$W$",
        "h": "$h = xW$",
        "W1": "$W^1$",
        "o": "$o = hW^1$",
        "y": "$y$",
        "e": "$e = o - y$",
        "Erro": "Erro $= \\frac{1}{2}e^2$",
    }
    edges = [("x", "h"), ("W", "h"), ("h", "o"), ("W1", "o"), ("o", "e"), ("y", "e"), ("e", "Erro")]
    for a, b in edges:
        ax.add_patch(
            FancyArrowPatch(
                pos[a],
                pos[b],
                arrowstyle="-|>",
                mutation_scale=15,
                lw=1.3,
                color="0.4",
                shrinkA=24,
                shrinkB=30,
            )
        )
    for n, (px, py) in pos.items():
        is_leaf = n in ("x", "W", "W1", "y")
        ax.text(
            px,
            py,
            labels[n],
            ha="center",
            va="center",
            fontsize=11,
            bbox={"boxstyle": "round,pad=0.45", "fc": "0.95" if is_leaf else "0.85", "ec": "k"},
        )
        if n in forward:
            ax.text(px, py + 0.3, forward[n], ha="center", va="bottom", fontsize=9, color=FORWARD)
        if n in backward:
            ax.text(px, py - 0.3, backward[n], ha="center", va="top", fontsize=9, color=BACKWARD)
    ax.set_xlim(-0.8, 6.8)
    ax.set_ylim(-2.1, 1.7)
    ax.axis("off")


def draw_backprop(fig, iteration=0, alpha=SLIDE_ALPHA, n_iter=60, activation="identity"):
    """Rede com os pesos da iteração escolhida (esquerda) e o erro por iteração (direita)."""
    hist = _cached_history(float(alpha), int(n_iter), _check_activation(activation))
    last = len(hist["error"]) - 1
    k = int(min(max(iteration, 0), last))
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    draw_network(
        ax1,
        hist["W"][k],
        hist["W1"][k],
        SLIDE_X[0],
        hist["h"][k],
        hist["o"][k],
        float(SLIDE_Y[0]),
        grad_W=hist["grad_W"][k],
        grad_W1=hist["grad_W1"][k],
    )
    note = " (divergiu: parou aqui)" if hist["diverged"] and k == last else ""
    ax1.set_title(
        f"{'sigmoide, ' if activation == 'sigmoid' else ''}iteração {k}, η = {fmt(alpha)}: "
        f"δ[2] = o − y = {fmt(hist['delta'][k], 4).replace('-', '−')}{note}",
        fontsize=10,
    )
    its = np.arange(last + 1)
    # o erro pode chegar a 0 exato, que não cabe na escala log: ali a curva termina (nada de piso falso)
    err = np.where(hist["error"] > 0, hist["error"], np.nan)
    ax2.plot(its, err, "o-", ms=3, color=TRAIN)
    ax2.plot([k], [err[k]], "o", ms=10, mfc="none", mec="k", mew=2)  # a iteração escolhida
    ax2.set_yscale("log")
    simple_log_axis(ax2.yaxis)
    ax2.set_xlim(-1, n_iter + 1)
    ax2.locator_params(axis="x", nbins=6)
    ax2.set_xlabel("iteração", fontsize=11)
    ax2.set_ylabel("J = ½(o − y)² (escala log)", fontsize=11)
    zero = " — J = 0 exato, fora da escala log" if hist["error"][k] == 0 else ""
    ax2.set_title(f"o custo J a cada iteração (círculo preto: iteração {k}){zero}", fontsize=10)
    ax2.grid(True, alpha=0.3)


def backprop_widget():
    """Controles: iteração (0..60), taxa de aprendizado η (o α do slide; ``alpha`` no código) e a ativação escondida."""
    from coursekit.widgets._ui import dropdown, int_slider, live_plot, slider

    controls = {
        "iteration": int_slider("iteração", 0, 0, 60),
        "alpha": slider("taxa de aprendizado η", SLIDE_ALPHA, 0.01, 0.6, 0.01),
        "activation": dropdown("ativação escondida", [(v, k) for k, v in ACTIVATIONS.items()], "identity"),
    }
    return live_plot(draw_backprop, controls, figsize=FIGSIZE)


DEMOS = {"backprop": (draw_backprop, {"iteration": 0, "alpha": SLIDE_ALPHA}, FIGSIZE)}
TRAINING_DEMOS = set()
