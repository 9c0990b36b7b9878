"""Aula 03 — descida do gradiente (gradient descent): taxa de aprendizado, tamanho do lote
e o caminho de (w, b) sobre as curvas de nível de J.

As funções ``compute_*`` são puras (só NumPy) e o treino é sempre o de
``coursekit.linear.LinearRegression(solver="gd")``; ``draw_*`` desenha numa ``Figure``
recebida e ``gradiente_widget()`` monta os controles.
"""

from functools import lru_cache

import numpy as np

from coursekit._checks import make_rng
from coursekit.linear import LinearRegression
from coursekit.widgets._ui import LOG_FLOOR, TRAIN, contour_colors, fmt, simple_log_axis

#: taxas de aprendizado oferecidas no widget (escala quase logarítmica)
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.45, 0.5, 1.0)
#: tamanhos de lote oferecidos: None = lote inteiro (batch = n), 24 = mini-lote, 1 = estocástico
BATCH_SIZES = (None, 24, 8, 1)
#: nº de exemplos dos dados do widget; no menu, o lote inteiro é o número M_WIDGET (não None:
#: um Dropdown do ipywidgets com valor None aparece vazio no navegador) — dá o mesmo treino
M_WIDGET = 48
#: janela (w, b) das curvas de nível no widget
WINDOW = ((-1.5, 5.0), (-2.5, 4.5))
FIGSIZE = (9.5, 4.2)  # polegadas: cabe na área do notebook sem encolher as letras
_FAR = 1e6  # além disto o ponto já saiu (muito) da janela: paramos de desenhar o caminho
#: oscilação fora de controle: J voltou a subir para mais que RUNAWAY × o menor J já alcançado
RUNAWAY = 10.0
#: piso do excesso J − J mínimo no gráfico log: abaixo disso (ou ≤ 0, por arredondamento na
#: precisão de máquina) o ponto é desenhado no piso, sem log de zero nem avisos
EXCESS_FLOOR = LOG_FLOOR
#: cores da figura (veja a paleta em _ui.py): o caminho de (w, b) em preto e o mínimo como estrela
#: branca de borda preta, sem matiz; a curva de J − J mínimo em TRAIN (verde), pois J é o custo nos
#: dados de treino; as curvas de nível em cinza (``contour_colors`` da paleta)
PATH_COLOR = "black"


def widget_data(n=M_WIDGET, seed=0):
    """Dados do widget: x ~ U(0, 3), y = 2x + 1 + ruído N(0, 0,5²). Devolve ``(X, y)``
    com X (n, 1). Com n = 48, mini-lotes de 24 dão 2 atualizações por época."""
    rng = make_rng(seed)
    x = rng.uniform(0.0, 3.0, size=n)
    y = 2.0 * x + 1.0 + rng.normal(0.0, 0.5, size=n)
    return x.reshape(-1, 1), y


def cost_grid(X, y, W, B):
    """J(w, b) = (1/2n) Σ (w·x + b − y)² em cada ponto de uma malha (W, B) (mesmo formato).

    É ``coursekit.nn.half_mse(y, w·x + b)`` calculada de uma vez para a malha inteira
    (os testes conferem ponto a ponto)."""
    x = np.asarray(X, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float)
    W, B = np.asarray(W, dtype=float), np.asarray(B, dtype=float)
    residual = W[..., None] * x + B[..., None] - y
    return 0.5 * np.mean(residual**2, axis=-1)


def epochs_to_reach(loss_history, target):
    """Primeira época (contando de 1) em que J ≤ ``target``; ``None`` se nunca chegou."""
    loss = np.asarray(loss_history, dtype=float)
    hits = np.flatnonzero(np.isfinite(loss) & (loss <= target))
    return int(hits[0]) + 1 if hits.size else None


def runaway(loss_history, factor=RUNAWAY):
    """True se, depois de descer, J voltou a subir para mais que ``factor`` × o menor J
    alcançado nas épocas anteriores (uma oscilação fora de controle, mesmo que J termine
    baixo). Uma curva que só desce, ou que treme pouco em volta do mínimo, dá False."""
    loss = np.asarray(loss_history, dtype=float)
    if loss.size < 2:
        return False
    with np.errstate(invalid="ignore"):
        best_before = np.minimum.accumulate(np.where(np.isfinite(loss), loss, np.inf))[:-1]
        later = loss[1:]
        return bool(np.any(~np.isfinite(later) | (later > factor * best_before)))


def excess_cost(loss_history, j_min, floor=EXCESS_FLOOR):
    """O excesso J − J mínimo de cada época, o que o gráfico da direita mostra em escala log.
    Valores ≤ ``floor`` (J já no mínimo, ou um pouco abaixo dele por arredondamento) viram
    ``floor``: o log fica definido e a curva "deita" no piso em vez de sumir."""
    return np.maximum(np.asarray(loss_history, dtype=float) - float(j_min), floor)


def _finite_prefix(path):
    """Parte inicial do caminho com números finitos e não absurdos (para desenhar)."""
    ok = np.all(np.isfinite(path), axis=1) & np.all(np.abs(path) < _FAR, axis=1)
    bad = np.flatnonzero(~ok)
    return path[: bad[0]] if bad.size else path


def compute_gd(lr=0.1, batch_size=None, epochs=20, seed=0, n_grid=80):
    """Treina ``LinearRegression(solver="gd")`` nos dados do widget e devolve o que é desenhado.

    Chaves: ``path`` (k, 2) pontos (w, b) finitos desde (0, 0), uma linha por atualização;
    ``loss`` J ao fim de cada época (só enquanto é finito e menor que 1e6·J inicial);
    ``diverged`` (bool: J virou ∞/NaN, explodiu, terminou maior que J no ponto de partida ou
    oscilou fora de controle, ver :func:`runaway`); ``exploded`` (bool: só os três primeiros
    casos, a divergência "de verdade"; ``diverged and not exploded`` = oscila fora de controle);
    ``w_star``, ``b_star``, ``j_star`` (a solução de mínimos quadrados, por ``np.linalg.lstsq``,
    e seu custo J mínimo); ``excess`` (``excess_cost(loss, j_star)``: o que o gráfico mostra); ``w``, ``b``
    finais; ``n_updates`` por época; ``W``, ``B``, ``J`` a malha das curvas de nível (com
    cache por semente: somente leitura).
    """
    X, y = widget_data(seed=seed)
    model = LinearRegression(
        solver="gd", lr=lr, epochs=epochs, batch_size=batch_size, seed=seed, record_path=True
    ).fit(X, y)
    loss = np.asarray(model.loss_history_, dtype=float)
    j0 = float(cost_grid(X, y, 0.0, 0.0))
    shown = np.isfinite(loss) & (loss < _FAR * max(j0, 1.0))
    bad = np.flatnonzero(~shown)
    shown_loss = loss[: bad[0]] if bad.size else loss
    # divergiu: J virou ∞/NaN, explodiu, terminou pior que no ponto de partida, ou voltou a
    # subir para mais de 10× o menor J já visto (oscilação fora de controle, ex.: lote 8, η = 0.5)
    exploded = bool(bad.size or (loss.size and loss[-1] > j0))
    diverged = exploded or runaway(loss)
    land = _landscape(seed, n_grid)
    n_updates = (len(model.path_) - 1) // max(1, len(loss))
    return {
        "path": _finite_prefix(model.path_),
        "loss": shown_loss,
        "excess": excess_cost(shown_loss, land["j_star"]),
        "diverged": diverged,
        "exploded": exploded,
        "w_star": land["w_star"],
        "b_star": land["b_star"],
        "j_star": land["j_star"],
        "j0": j0,
        "w": float(model.coef_[0]),
        "b": float(model.intercept_),
        "n_updates": n_updates,
        "W": land["W"],
        "B": land["B"],
        "J": land["J"],
    }


@lru_cache(maxsize=8)
def _landscape(seed, n_grid):
    """O que não depende da taxa, do lote nem das épocas (calculado uma vez por semente):
    a solução de mínimos quadrados (``np.linalg.lstsq``, sem passar pela descida do gradiente)
    e a malha de J. Arrays somente leitura (são compartilhados)."""
    X, y = widget_data(seed=seed)
    (coef, intercept), *_ = np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), y, rcond=None)
    coef = np.array([coef])
    (w0, w1), (b0, b1) = WINDOW
    W, B = np.meshgrid(np.linspace(w0, w1, n_grid), np.linspace(b0, b1, n_grid))
    J = cost_grid(X, y, W, B)
    for a in (W, B, J):
        a.flags.writeable = False
    return {
        "w_star": float(coef[0]),
        "b_star": float(intercept),
        "j_star": float(cost_grid(X, y, coef[0], intercept)),
        "W": W,
        "B": B,
        "J": J,
    }


def _batch_label(batch_size):
    return "n (lote inteiro)" if batch_size in (None, M_WIDGET) else str(batch_size)


def draw_gd(fig, lr=0.1, batch_size=None, epochs=20):
    """Esquerda: curvas de nível de J(w, b) (cinza) e o caminho da descida (preto); direita: o
    excesso J − J mínimo por época, em escala log (uma descida geométrica vira uma reta), em
    verde (``TRAIN``): J é o custo nos dados de treino. O aviso de divergência é preto, sem matiz."""
    from matplotlib.ticker import MaxNLocator

    r = compute_gd(lr=lr, batch_size=batch_size, epochs=epochs)
    ax1, ax2 = fig.subplots(1, 2)
    levels = r["j_star"] + np.geomspace(0.01, r["J"].max(), 14)
    ax1.contour(r["W"], r["B"], r["J"], levels=levels, colors=contour_colors(len(levels)), linewidths=1)
    path = r["path"]
    ax1.plot(
        path[:, 0],
        path[:, 1],
        ".-" if len(path) <= 200 else "-",
        color=PATH_COLOR,
        lw=1.2,
        ms=5,
        label="caminho de (w, b)",
    )
    ax1.plot(path[0, 0], path[0, 1], "s", color=PATH_COLOR, ms=7, label="início (0, 0)")
    ax1.plot(
        r["w_star"],
        r["b_star"],
        "*",
        color="white",
        mec="black",
        mew=1.2,
        ms=16,
        zorder=5,
        label="mínimo (mínimos quadrados)",
    )
    (w0, w1), (b0, b1) = WINDOW
    ax1.set(xlim=(w0, w1), ylim=(b0, b1), xlabel="peso w", ylabel="viés b")
    ax1.locator_params(nbins=5)
    ax1.set_title(f"Curvas de nível de J — lote = {_batch_label(batch_size)}", fontsize=11)
    ax1.legend(loc="lower left", fontsize=9)

    excess = r["excess"]
    if excess.size:
        ax2.plot(np.arange(1, len(excess) + 1), excess, "o-", ms=3, color=TRAIN)  # J nos dados de treino
    # eixo log com marcas simples (0.01, 0.1, 1): sem mathtext (lento)
    ax2.set_yscale("log")
    shown = excess if excess.size else np.array([1.0])
    lo, hi = 0.5 * float(shown.min()), 3.0 * float(shown.max())
    if hi / lo < 100:  # pelo menos duas décadas: uma curva quase parada parece quase parada
        mid = np.sqrt(lo * hi)
        lo, hi = mid / 10, mid * 10
    ax2.set_ylim(lo, hi)
    simple_log_axis(ax2.yaxis, lo, hi)
    ax2.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))  # épocas: 5, 10, 15...
    ax2.set(
        # o J mínimo que o excesso desconta vai no rótulo do eixo x: nunca cobre a curva
        xlabel=f"época (epoch)  ·  J mínimo = {fmt(r['j_star'], digits=4)} (mínimos quadrados)",
        ylabel="J − J mínimo no treino, por época (log)",
        xlim=(0.5, epochs + 0.5),
    )
    ax2.grid(alpha=0.3)
    if r["diverged"]:
        what = "divergiu!" if r["exploded"] else "oscila fora de controle!"
        ax2.set_title(f"{what} η = {fmt(lr)} é alta demais", fontsize=10.5, fontweight="bold")
        # aviso sem matiz (vermelho é sinal positivo no curso); por cima de tudo e com fundo
        # branco: legível mesmo sobre centenas de segmentos do caminho
        ax1.text(
            0.5,
            0.95,
            what,
            transform=ax1.transAxes,
            ha="center",
            va="top",
            color="black",
            fontsize=15,
            fontweight="bold",
            zorder=10,
            bbox={
                "facecolor": "white",
                "edgecolor": "black",
                "linewidth": 1.5,
                "alpha": 0.9,
                "boxstyle": "round",
            },
        )
    else:
        ax2.set_title(f"taxa de aprendizado = {fmt(lr)}: w = {fmt(r['w'])}, b = {fmt(r['b'])}", fontsize=11)
    return r


def gradiente_widget():
    """Widget: taxa de aprendizado (1º controle), tamanho do lote e número de épocas."""
    from coursekit.widgets._ui import dropdown, int_slider, live_plot

    controls = {
        "lr": dropdown("taxa de aprendizado (η)", [(fmt(v), v) for v in LEARNING_RATES], 0.1),
        "batch_size": dropdown(
            "tamanho do lote", [(_batch_label(b), b or M_WIDGET) for b in BATCH_SIZES], M_WIDGET
        ),
        "epochs": int_slider("épocas", 20, 1, 25),
    }
    return live_plot(draw_gd, controls, figsize=FIGSIZE)


DEMOS = {
    "gradiente": (draw_gd, {"lr": 0.1, "batch_size": None, "epochs": 20}, FIGSIZE),
}
TRAINING_DEMOS = set()
