"""Aula 02 — ajuste uma reta à mão: m e b, os resíduos e o MSE ao vivo.

Dados: a tabela de pesos de bebês dos slides (``coursekit.data.baby_weights``).
``compute_line_fit`` é pura (NumPy + coursekit) e devolve a reta, os resíduos, o MSE e a
curva do MSE em função de m (com b fixo); ``draw_line_fit`` desenha; ``line_fit_widget``
liga os controles (o primeiro é m). As respostas das perguntas da aula (a melhor reta, o melhor m
para o b escolhido, o MSE mínimo) só aparecem com a caixa "mostrar as respostas" marcada: o widget
começa sem elas, para o participante prever antes de ver.
"""

import numpy as np

from coursekit.data import baby_weights
from coursekit.linear import LinearRegression
from coursekit.nn.losses import mse
from coursekit.widgets._ui import NEGATIVE, POSITIVE, fmt

#: dados e curvas sem significado de cor ficam em cinzas e preto; o resíduo y − ŷ (a convenção da
#: estatística) tem sinal: vermelho = ponto acima da reta, azul = ponto abaixo, como toda grandeza
#: com sinal no curso
POINT_COLOR = "0.3"
LINE_COLOR = "black"
CURVE_COLOR = "0.45"

M_RANGE = (-0.2, 0.8)
B_RANGE = (0.0, 10.0)
FIGSIZE = (9.5, 4.2)  # polegadas: cabe na área do notebook sem encolher as letras


def compute_line_fit(m=0.15, b=6.0, n_grid=121):
    """Reta ŷ = m·x + b sobre a tabela dos bebês.

    Devolve um dict com ``x``, ``y`` (dados), ``y_hat`` (previsões), ``residuals`` (y − ŷ),
    ``mse`` (média de (y − ŷ)²), ``best_m``, ``best_b``, ``best_mse`` (a reta de mínimos
    quadrados), ``m_grid`` e ``mse_grid`` (o MSE para cada m da grade, com o b escolhido),
    ``m_at_b`` (o melhor m **para o b escolhido**, Σx(y − b)/Σx², o fundo da parábola) e
    ``mse_at_b`` (o MSE nesse fundo).
    """
    for name, v in (("m", m), ("b", b)):
        if isinstance(v, bool) or not np.isfinite(float(v)):
            raise ValueError(f"{name} deve ser um número finito; recebi {v!r}.")
    X, y = baby_weights()
    x = X[:, 0]
    y_hat = m * x + b
    best = LinearRegression().fit(X, y)
    m_grid = np.linspace(*M_RANGE, n_grid)
    # (n_grid, n): cada linha são as previsões de uma reta com inclinação m_grid[i]
    pred_grid = m_grid[:, None] * x[None, :] + b
    mse_grid = np.mean((pred_grid - y[None, :]) ** 2, axis=1)
    m_at_b = np.sum(x * (y - b)) / np.sum(x**2)  # derivada do MSE em m igual a zero, com b fixo
    return {
        "x": x,
        "y": y,
        "y_hat": y_hat,
        "residuals": y - y_hat,
        "mse": mse(y, y_hat),
        "best_m": float(best.coef_[0]),
        "best_b": float(best.intercept_),
        "best_mse": mse(y, best.predict(X)),
        "m_grid": m_grid,
        "mse_grid": mse_grid,
        "m_at_b": float(m_at_b),
        "mse_at_b": mse(y, m_at_b * x + b),
    }


def draw_line_fit(fig, m=0.15, b=6.0, show_answers=False):
    """À esquerda, dados, reta e resíduos (segmentos); à direita, o MSE em função de m.

    Com ``show_answers`` (falso no começo), aparecem também as respostas: a melhor reta
    (tracejada), o MSE mínimo no título, o melhor m para este b (triângulo) e o melhor m geral.
    """
    from matplotlib.lines import Line2D

    r = compute_line_fit(m=m, b=b)
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[1.5, 1])
    x, y = r["x"], r["y"]
    above = r["residuals"] > 0  # o ponto fica acima da reta
    ax1.vlines(x[above], y[above], r["y_hat"][above], color=POSITIVE, lw=1.8)
    ax1.vlines(x[~above], y[~above], r["y_hat"][~above], color=NEGATIVE, lw=1.8)
    ax1.plot(x, y, "o", color=POINT_COLOR, zorder=3)
    xs = np.array([-1.0, 25.0])
    ax1.plot(xs, m * xs + b, color=LINE_COLOR, lw=2)
    # legenda montada à mão: as duas cores do resíduo aparecem mesmo quando um sinal não ocorre
    handles = [
        Line2D([], [], ls="", marker="o", color=POINT_COLOR),
        Line2D([], [], color=LINE_COLOR, lw=2),
        Line2D([], [], color=POSITIVE, lw=1.8),
        Line2D([], [], color=NEGATIVE, lw=1.8),
    ]
    labels = [
        "dados (tabela dos slides)",
        f"sua reta: ŷ = {fmt(m)}·x + {fmt(b)}",
        "resíduo y − ŷ > 0 (ponto acima)",
        "resíduo y − ŷ < 0 (ponto abaixo)",
    ]
    title = f"MSE da sua reta = {fmt(r['mse'])} kg²"
    if show_answers:
        ax1.plot(xs, r["best_m"] * xs + r["best_b"], "--", color="gray", lw=1)
        handles.insert(2, Line2D([], [], ls="--", color="gray", lw=1))
        labels.insert(2, "melhor reta (mínimos quadrados)")
        title += f"  (mínimo possível: {fmt(r['best_mse'])})"
    ax1.set_xlim(-1, 25)
    ax1.set_ylim(0, 20)
    ax1.locator_params(nbins=6)
    ax1.set_xlabel("idade (meses)", fontsize=11)
    ax1.set_ylabel("peso médio (kg)", fontsize=11)
    ax1.set_title(title, fontsize=11)
    ax1.legend(handles, labels, fontsize=8.5, loc="upper left")
    ax1.grid(alpha=0.3)

    ax2.plot(r["m_grid"], r["mse_grid"], color=CURVE_COLOR, lw=2)
    ax2.plot([m], [r["mse"]], "o", color=LINE_COLOR, ms=9, zorder=3, label="o seu m")
    if show_answers:
        ax2.plot(
            [r["m_at_b"]],
            [r["mse_at_b"]],
            "v",
            color="white",
            mec=LINE_COLOR,
            mew=1.5,
            ms=10,
            zorder=3,
            label=f"melhor m com este b: {fmt(r['m_at_b'])}",
        )
        ax2.axvline(r["best_m"], color="gray", ls="--", lw=1, label=f"melhor m geral: {fmt(r['best_m'])}")
    ax2.legend(fontsize=8.5, loc="best")
    # eixo linear: com b fixo, o MSE em função de m é uma parábola. O teto do eixo acompanha o
    # fundo dela (6 vezes o menor MSE com este b), para que a região das perguntas 1 e 2 não fique
    # espremida embaixo; sobe só o bastante para o ponto do seu m aparecer sempre
    ax2.set_xlim(*M_RANGE)
    top = min(float(r["mse_grid"].max()), max(6 * r["mse_at_b"], 1.3 * r["mse"]))
    ax2.set_ylim(0, 1.05 * top)
    ax2.locator_params(nbins=5)
    ax2.set_xlabel("inclinação m (ponto preto: o seu m)", fontsize=11)
    ax2.set_ylabel("MSE (kg²)", fontsize=11)
    ax2.set_title(f"MSE em função de m (com b = {fmt(b)})", fontsize=11)
    ax2.grid(alpha=0.3)
    return fig


def line_fit_widget():
    """Controles: m (primeiro), b e a caixa "mostrar as respostas" (desmarcada no começo)."""
    import ipywidgets as w

    from coursekit.widgets._ui import live_plot, slider

    controls = {
        "m": slider("inclinação m", 0.15, M_RANGE[0], M_RANGE[1], 0.01),
        "b": slider("intercepto b", 6.0, B_RANGE[0], B_RANGE[1], 0.1, fmt_spec=".1f"),
        "show_answers": w.Checkbox(
            value=False,
            description="mostrar as respostas (melhor reta e MSE mínimo)",
            indent=False,
            layout=w.Layout(width="380px"),
        ),
    }
    return live_plot(draw_line_fit, controls, figsize=FIGSIZE)


DEMOS = {"reta": (draw_line_fit, {"m": 0.15, "b": 6.0}, FIGSIZE)}
TRAINING_DEMOS = set()
