"""Aula 03 — descida do gradiente (gradient descent): taxa de aprendizado, tamanho do lote
e o caminho de (w, b) sobre as curvas de nível de J.

As funções ``compute_*`` são puras (só NumPy) e o treino é sempre o de
``coursekit.linear.LinearRegression(solver="gd")``; ``draw_*`` desenha numa ``Figure``
recebida e ``gradiente_widget()`` monta os controles.
"""

import numpy as np

from coursekit._checks import make_rng
from coursekit.linear import LinearRegression, normal_equation
from coursekit.widgets._ui import fmt

#: taxas de aprendizado oferecidas no widget (escala quase logarítmica)
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.45, 0.5, 1.0)
#: tamanhos de lote oferecidos: None = lote inteiro (batch = m), 24 = mini-lote, 1 = estocástico
BATCH_SIZES = (None, 24, 8, 1)
#: janela (w, b) das curvas de nível no widget
WINDOW = ((-1.5, 5.0), (-2.5, 4.5))
_FAR = 1e6  # além disto o ponto já saiu (muito) da janela: paramos de desenhar o caminho


def widget_data(m=48, seed=0):
    """Dados do widget: x ~ U(0, 3), y = 2x + 1 + ruído N(0, 0,5²). Devolve ``(X, y)``
    com X (m, 1). Com m = 48, mini-lotes de 24 dão 2 atualizações por época."""
    rng = make_rng(seed)
    x = rng.uniform(0.0, 3.0, size=m)
    y = 2.0 * x + 1.0 + rng.normal(0.0, 0.5, size=m)
    return x.reshape(-1, 1), y


def cost_grid(X, y, W, B):
    """J(w, b) = (1/2m) Σ (w·x + b − y)² em cada ponto de uma malha (W, B) (mesmo formato).

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


def _finite_prefix(path):
    """Parte inicial do caminho com números finitos e não absurdos (para desenhar)."""
    ok = np.all(np.isfinite(path), axis=1) & np.all(np.abs(path) < _FAR, axis=1)
    bad = np.flatnonzero(~ok)
    return path[: bad[0]] if bad.size else path


def compute_gd(lr=0.1, batch_size=None, epochs=20, seed=0, n_grid=80):
    """Treina ``LinearRegression(solver="gd")`` nos dados do widget e devolve o que é desenhado.

    Chaves: ``path`` (k, 2) pontos (w, b) finitos desde (0, 0), uma linha por atualização;
    ``loss`` J ao fim de cada época (só enquanto é finito e menor que 1e6·J inicial);
    ``diverged`` (bool: J virou ∞/NaN, explodiu ou terminou maior que J no ponto de partida); ``w_star``, ``b_star``, ``j_star`` (a solução
    da equação normal e seu custo); ``w``, ``b`` finais; ``n_updates`` por época; ``W``, ``B``,
    ``J`` a malha das curvas de nível.
    """
    X, y = widget_data(seed=seed)
    model = LinearRegression(solver="gd", lr=lr, epochs=epochs, batch_size=batch_size,
                             seed=seed, record_path=True).fit(X, y)
    loss = np.asarray(model.loss_history_, dtype=float)
    j0 = float(cost_grid(X, y, 0.0, 0.0))
    shown = np.isfinite(loss) & (loss < _FAR * max(j0, 1.0))
    bad = np.flatnonzero(~shown)
    shown_loss = loss[: bad[0]] if bad.size else loss
    # divergiu: J virou ∞/NaN, explodiu, ou terminou pior que no ponto de partida
    diverged = bool(bad.size or (loss.size and loss[-1] > j0))
    coef, intercept = normal_equation(X, y)
    (w0, w1), (b0, b1) = WINDOW
    W, B = np.meshgrid(np.linspace(w0, w1, n_grid), np.linspace(b0, b1, n_grid))
    n_updates = (len(model.path_) - 1) // max(1, len(loss))
    return {
        "path": _finite_prefix(model.path_), "loss": shown_loss, "diverged": diverged,
        "w_star": float(coef[0]), "b_star": intercept,
        "j_star": float(cost_grid(X, y, coef[0], intercept)), "j0": j0,
        "w": float(model.coef_[0]), "b": float(model.intercept_),
        "n_updates": n_updates, "W": W, "B": B, "J": cost_grid(X, y, W, B),
    }


def _batch_label(batch_size):
    return "m (lote inteiro)" if batch_size is None else str(batch_size)


def draw_gd(fig, lr=0.1, batch_size=None, epochs=20):
    """Esquerda: curvas de nível de J(w, b) e o caminho da descida; direita: J por época."""
    r = compute_gd(lr=lr, batch_size=batch_size, epochs=epochs)
    ax1, ax2 = fig.subplots(1, 2)
    levels = r["j_star"] + np.geomspace(0.01, r["J"].max(), 14)
    ax1.contour(r["W"], r["B"], r["J"], levels=levels, cmap="viridis", linewidths=1)
    path = r["path"]
    ax1.plot(path[:, 0], path[:, 1], ".-" if len(path) <= 200 else "-", color="tab:red",
             lw=1, ms=4, alpha=0.8, label="caminho de (w, b)")
    ax1.plot(path[0, 0], path[0, 1], "o", color="black", ms=6, label="início (0, 0)")
    ax1.plot(r["w_star"], r["b_star"], "*", color="gold", mec="black", ms=14,
             label="mínimo (eq. normal)")
    (w0, w1), (b0, b1) = WINDOW
    ax1.set(xlim=(w0, w1), ylim=(b0, b1), xlabel="peso w", ylabel="viés b")
    ax1.set_title(f"Curvas de nível de J — lote = {_batch_label(batch_size)}", fontsize=11)
    ax1.legend(loc="lower left", fontsize=8)

    loss = r["loss"]
    if loss.size:
        ax2.semilogy(np.arange(1, len(loss) + 1), loss, "o-", ms=3, color="tab:blue",
                     label="J ao fim da época")
    ax2.axhline(r["j_star"], color="gray", ls="--", label=f"J mínimo = {fmt(r['j_star'])}")
    ax2.set(xlabel="época (epoch)", ylabel="J(w, b) (escala log)", xlim=(0.5, epochs + 0.5))
    if r["diverged"]:
        ax2.set_title(f"divergiu! taxa {fmt(lr)} é alta demais", color="tab:red", fontsize=11)
        ax1.text(0.5, 0.95, "divergiu!", transform=ax1.transAxes, ha="center", va="top",
                 color="tab:red", fontsize=16, fontweight="bold")
    else:
        ax2.set_title(f"taxa de aprendizado = {fmt(lr)}: w = {fmt(r['w'])}, b = {fmt(r['b'])}",
                      fontsize=11)
    ax2.legend(fontsize=8)
    return r


def gradiente_widget():
    """Widget: taxa de aprendizado (1º controle), tamanho do lote e número de épocas."""
    from coursekit.widgets._ui import dropdown, int_slider, live_plot

    controls = {
        "lr": dropdown("taxa de aprendizado (η)", [(fmt(v), v) for v in LEARNING_RATES], 0.1),
        "batch_size": dropdown("tamanho do lote", [(_batch_label(b), b) for b in BATCH_SIZES],
                               None),
        "epochs": int_slider("épocas", 20, 1, 25),
    }
    return live_plot(draw_gd, controls, figsize=(10, 4.2))


DEMOS = {
    "gradiente": (draw_gd, {"lr": 0.1, "batch_size": None, "epochs": 20}),
}
TRAINING_DEMOS = set()
