"""Aula 09 — funções de perda (loss functions).

Widget: o δ da perda de Huber e uma reta ajustada a dados com valores atípicos
(outliers) sob MSE, MAE e Huber. Cada reta é ajustada por descida do gradiente usando
os gradientes das perdas de ``coursekit.nn`` (``mse_grad``, ``mae_grad``, ``huber_grad``).

As funções ``compute_*`` são puras (só NumPy + coursekit); ``draw_*`` desenham numa
figura do matplotlib; ``*_widget`` montam os controles (ipywidgets, importado só ali).
"""

import numpy as np

from coursekit._checks import as_array, check_choice, check_positive, make_rng
from coursekit.nn import losses as _losses
from coursekit.widgets._ui import METHOD_STYLES

LOSS_LABELS = {"mse": "MSE", "mae": "MAE", "huber": "Huber"}
#: perda → (cor, traço, marcador) de ``METHOD_STYLES`` (métodos comparados numa figura): a MSE,
#: a referência, em preto e linha cheia; o mesmo estilo de cada perda nas figuras da aula 09
LOSS_STYLES = {"mse": METHOD_STYLES[0], "mae": METHOD_STYLES[1], "huber": METHOD_STYLES[2]}
TRUE_SLOPE, TRUE_INTERCEPT = 2.0, 1.0


# ----------------------------------------------------------------------------- curvas
def loss_values(loss, errors, delta=1.0):
    """Valor da perda para um único exemplo com erro ``e = ŷ − y``, para cada ``e`` em ``errors``.

    Cada ponto é a perda de ``coursekit.nn`` (``mae``, ``mse`` ou ``huber``) com y = 0 e ŷ = e.
    """
    check_choice(loss, "loss", list(LOSS_LABELS))
    errors = as_array(errors, "errors", ndim=1)
    zero = np.zeros(1)
    if loss == "huber":
        return np.array([_losses.huber(zero, np.array([e]), delta) for e in errors])
    f = getattr(_losses, loss)
    return np.array([f(zero, np.array([e])) for e in errors])


_CURVES = {}


def compute_loss_curves(delta=1.0, lim=3.0, n=121):
    """Curvas perda × erro de MAE, MSE e Huber(δ) em ``[−lim, lim]`` (o gráfico do slide).

    Devolve ``{"errors": e, "mae": ..., "mse": ..., "huber": ...}``.
    """
    check_positive(delta, "delta")
    key = (round(float(delta), 6), float(lim), int(n))
    if key not in _CURVES:
        e = np.linspace(-lim, lim, n)
        _CURVES[key] = {"errors": e, **{k: loss_values(k, e, delta) for k in LOSS_LABELS}}
        if len(_CURVES) > 256:
            _CURVES.clear()
            _CURVES[key] = {"errors": e, **{k: loss_values(k, e, delta) for k in LOSS_LABELS}}
    return _CURVES[key]


# ----------------------------------------------------------------------------- dados e ajuste
def make_outlier_data(n_outliers=3, n=30, noise=0.6, seed=0):
    """Pontos de y = 2x + 1 + ruído com x em [0, 10]; os ``n_outliers`` de maior x viram atípicos.

    Cada atípico é deslocado para baixo em 12 a 20 unidades. Devolve ``(x, y, is_outlier)``,
    com x em ordem crescente.
    """
    check_positive(n, "n", integer=True)
    check_positive(n_outliers, "n_outliers", integer=True, allow_zero=True)
    if n_outliers > n:
        raise ValueError(f"n_outliers deve ser no máximo n = {n}; recebi {n_outliers}.")
    rng = make_rng(seed)
    x = np.sort(rng.uniform(0.0, 10.0, n))
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + rng.normal(0.0, noise, n)
    shifts = rng.uniform(12.0, 20.0, n)
    is_outlier = np.zeros(n, dtype=bool)
    if n_outliers:
        is_outlier[-n_outliers:] = True
    y = np.where(is_outlier, y - shifts, y)
    return x, y, is_outlier


def fit_line(x, y, loss="mse", delta=1.0, steps=600):
    """Ajusta ŷ = w·x + b minimizando a perda ``loss`` por descida do gradiente (full batch).

    O gradiente vem de ``coursekit.nn`` (``mse_grad``, ``mae_grad`` ou ``huber_grad``):
    g = ∂L/∂ŷ, então ∂L/∂w = Σ gᵢ·xᵢ e ∂L/∂b = Σ gᵢ. Para o passo ser bem comportado, x é
    centrado e escalado por dentro (u = (x − média)/desvio). A MSE usa passo fixo 0.5 (a
    curvatura dela é 2); MAE e Huber, cujo gradiente tem tamanho limitado, usam um passo
    que começa grande e decai geometricamente (como em subgradiente). Devolve ``(w, b)``.
    """
    check_choice(loss, "loss", list(LOSS_LABELS))
    check_positive(delta, "delta")
    check_positive(steps, "steps", integer=True)
    x = as_array(x, "x", ndim=1)
    y = as_array(y, "y", ndim=1)
    mx, sx = x.mean(), x.std()
    sx = sx if sx > 0 else 1.0
    u = (x - mx) / sx
    scale = max(float(np.std(y)), 1e-8)
    if loss == "mse":
        lr = np.full(steps, 0.5)
    else:
        lr0 = scale if loss == "mae" else max(1.0, scale / delta)
        lr = lr0 * (1e-4) ** (np.arange(steps) / steps)
    grad = {
        "mse": _losses._mse_grad,
        "mae": _losses._mae_grad,
        "huber": lambda t, p: _losses._huber_grad(t, p, delta),
    }[loss]
    a, c = 0.0, float(np.median(y))
    for step in range(steps):
        g = grad(y, a * u + c)
        a -= lr[step] * float(g @ u)
        c -= lr[step] * float(g.sum())
    w = a / sx
    return float(w), float(c - w * mx)


_FITS = {}


def compute_line_fits(delta=1.0, n_outliers=3, steps=600):
    """Retas ajustadas por MSE, MAE e Huber(δ) aos dados de :func:`make_outlier_data`.

    Devolve ``x``, ``y``, ``is_outlier`` e ``fits``: ``{"mse": (w, b), "mae": ..., "huber": ...}``,
    e ``losses``: o valor de cada perda na sua própria reta. Os ajustes MSE e MAE (que não
    dependem de δ) ficam em cache por número de atípicos.
    """
    check_positive(delta, "delta")
    x, y, out = make_outlier_data(n_outliers)
    fits = {}
    for loss in ("mse", "mae"):
        key = (loss, int(n_outliers), int(steps))
        if key not in _FITS:
            _FITS[key] = fit_line(x, y, loss, steps=steps)
        fits[loss] = _FITS[key]
    key = ("huber", int(n_outliers), int(steps), round(float(delta), 6))
    if key not in _FITS:
        if len(_FITS) > 512:
            _FITS.clear()
        _FITS[key] = fit_line(x, y, "huber", delta, steps)
    fits["huber"] = _FITS[key]
    values = {}
    for loss, (w, b) in fits.items():
        pred = w * x + b
        values[loss] = _losses.huber(y, pred, delta) if loss == "huber" else getattr(_losses, loss)(y, pred)
    return {"x": x, "y": y, "is_outlier": out, "fits": fits, "losses": values}


def huber_matches_mse(fits, tol=1e-3):
    """``True`` quando a reta da Huber coincide com a da MSE (δ maior que todos os erros).

    ``fits``: o dicionário de :func:`compute_line_fits`. Compara inclinação e intercepto.
    """
    (w_h, b_h), (w_m, b_m) = fits["fits"]["huber"], fits["fits"]["mse"]
    return abs(w_h - w_m) < tol and abs(b_h - b_m) < tol


# ----------------------------------------------------------------------------- desenho
#: tamanho da figura do widget (e das DEMOS medidas em benchmarks/widgets.py)
FIGSIZE = (9.5, 4.2)


def _style(k, lw=2.0, ms=6):
    """Os argumentos de ``plot`` da perda ``k``: cor, traço e marcador de ``LOSS_STYLES``."""
    color, dash, marker = LOSS_STYLES[k]
    return {"color": color, "ls": dash, "marker": marker, "lw": lw, "ms": ms}


def draw_loss_fits(fig, delta=1.0, n_outliers=3):
    """À esquerda, perda × erro (MAE, MSE, Huber δ); à direita, as três retas ajustadas.

    Cada perda tem o seu estilo de ``LOSS_STYLES`` (cor, traço e marcador), o mesmo nos dois
    painéis, e cada painel tem a sua legenda (em lugar fixo: ``loc="best"`` é caro).
    """
    from coursekit.widgets._ui import fmt

    curves = compute_loss_curves(delta)
    r = compute_line_fits(delta, n_outliers)
    ax_c, ax_f = fig.subplots(1, 2)
    e = curves["errors"]
    order = ("mse", "mae", "huber")  # a ordem da legenda: a referência primeiro
    names = {"mse": "MSE", "mae": "MAE", "huber": f"Huber (δ = {fmt(delta)})"}
    every = (len(e) - 1) // 6  # uns 7 marcadores por curva, deslocados para não se sobreporem
    for i, k in enumerate(order):
        ax_c.plot(e, curves[k], markevery=(i * every // 3, every), label=names[k], **_style(k))
    lim = e.max()
    if delta < lim:
        ax_c.axvline(-delta, color="0.45", ls=":", lw=1.2, label="±δ")
        ax_c.axvline(delta, color="0.45", ls=":", lw=1.2)
    else:  # as marcas ±δ cairiam fora do eixo: dizemos isso em vez de escondê-las
        ax_c.text(
            0.5,
            0.62,
            f"±δ fora do eixo (|e| ≤ {fmt(lim)} < δ):\naqui a Huber é ½e²",
            color=LOSS_STYLES["huber"][0],
            fontsize=9,
            ha="center",
            va="top",
            transform=ax_c.transAxes,
        )
    # a legenda em cima, no meio: região sempre livre (as curvas sobem pelos lados)
    ax_c.legend(loc="upper center", fontsize=9, handlelength=3, labelspacing=0.3, framealpha=0.85)
    ax_c.set_ylim(-0.1, 4.0)
    ax_c.set_xlim(-lim, lim)
    ax_c.set_xlabel("erro ŷ − y")
    ax_c.set_ylabel("perda de um exemplo")
    ax_c.set_title(
        "Perda em função do erro", fontsize=11, y=1.0
    )  # y fixo: sem medir os rótulos a cada desenho
    ax_c.locator_params(nbins=5)
    ax_c.grid(alpha=0.3)

    x, y, out = r["x"], r["y"], r["is_outlier"]
    ax_f.plot(x[~out], y[~out], "o", ms=4, color="0.55")
    if out.any():
        ax_f.plot(x[out], y[out], "x", ms=7, mew=2, color="0.3")
    grid = np.linspace(0.0, 10.0, 21)
    # a reta verdadeira por cima das outras (fina, pontilhada): nunca fica escondida sob um ajuste
    ax_f.plot(
        grid,
        TRUE_SLOPE * grid + TRUE_INTERCEPT,
        color="0.35",
        ls=":",
        lw=1.5,
        zorder=5,
        label="reta verdadeira: y = 2x + 1",
    )
    same_as_mse = huber_matches_mse(r)
    for i, k in enumerate(order):
        w, b = r["fits"][k]
        label = f"{LOSS_LABELS[k]}: ŷ = {fmt(w)}x + {fmt(b)}".replace("+ -", "− ")
        if k == "huber" and same_as_mse:
            label += " (coincide com a MSE)"
        # cada reta com o seu traço: quando duas coincidem, as duas continuam visíveis
        ax_f.plot(grid, w * grid + b, markevery=(1 + i, 4), label=label, **_style(k, lw=2.0, ms=6))
    ax_f.legend(loc="upper left", fontsize=8.5, handlelength=3, labelspacing=0.3, framealpha=0.85)
    ax_f.set_xticks(np.arange(0, 11, 2))
    ax_f.set_xlabel("x")
    ax_f.set_ylabel("y")
    ax_f.set_ylim(min(-2.0, y.min() - 1), 24)
    title = (
        f"Retas ajustadas: {n_outliers} {'atípico' if n_outliers == 1 else 'atípicos'} (outliers), marcados com ×"
        if n_outliers
        else "Retas ajustadas: sem atípicos (outliers)"
    )
    ax_f.set_title(title, fontsize=10, y=1.0)
    ax_f.locator_params(axis="y", nbins=5)
    ax_f.grid(alpha=0.3)


def loss_fits_widget():
    """Widget: δ da Huber e número de atípicos → curvas de perda e as três retas."""
    from coursekit.widgets._ui import int_slider, live_plot, slider

    controls = {
        "delta": slider("δ da Huber", 1.0, 0.1, 10.0, 0.1, fmt_spec=".1f"),
        "n_outliers": int_slider("número de atípicos", 3, 0, 8),
    }
    return live_plot(draw_loss_fits, controls, figsize=FIGSIZE, columns=2)


DEMOS = {"perdas": (draw_loss_fits, {"delta": 1.0, "n_outliers": 3}, FIGSIZE)}
TRAINING_DEMOS = set()
