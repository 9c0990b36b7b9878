"""Aula 01 — correlação de Pearson ao vivo: ruído e inclinação mudam ρ.

``compute_correlation`` é pura (NumPy + ``coursekit.stats.pearson``) e devolve os pontos e ρ;
``draw_correlation`` desenha a nuvem de pontos e uma régua de ρ em [−1, 1];
``correlation_widget`` liga os controles (o primeiro é o ruído).
"""

import numpy as np

from coursekit._checks import check_positive
from coursekit.stats import pearson
from coursekit.widgets._ui import fmt, sign_color

#: os pontos são dados, sem significado de cor: cinza-escuro neutro
POINT_COLOR = "0.3"

X_RANGE = (-3.0, 3.0)
FIGSIZE = (9.5, 4.0)  # polegadas: cabe na área do notebook sem encolher as letras


def describe_rho(rho):
    """Leitura em palavras de ρ (uma convenção comum, não uma lei)."""
    if not np.isfinite(rho):
        return "indefinida (uma variável é constante)"
    a = abs(rho)
    if a >= 0.9995:  # |ρ| que, com três casas, se escreve 1: os pontos estão numa reta
        force = "perfeita"
    elif a >= 0.9:
        force = "muito forte"
    elif a >= 0.7:
        force = "forte"
    elif a >= 0.4:
        force = "moderada"
    elif a >= 0.1:
        force = "fraca"
    else:
        return "praticamente nenhuma relação linear"
    return f"{'positiva' if rho > 0 else 'negativa'} {force}"


def compute_correlation(noise=1.0, slope=1.0, n=100, seed=0):
    """Gera y = slope·x + noise·ε (x uniforme em [−3, 3], ε normal padrão) e mede ρ.

    Devolve um dict com ``x``, ``y``, ``rho`` (``nan`` se y sair constante, ex.: inclinação
    e ruído zero) e ``description`` (ρ em palavras).
    """
    check_positive(noise, "noise", allow_zero=True)
    check_positive(n, "n", integer=True)
    if n < 2:
        raise ValueError(f"n deve ser pelo menos 2; recebi {n}.")
    if isinstance(slope, bool) or not np.isfinite(float(slope)):
        raise ValueError(f"slope deve ser um número finito; recebi {slope!r}.")
    rng = np.random.default_rng(seed)
    x = rng.uniform(*X_RANGE, size=n)
    eps = rng.standard_normal(n)
    y = slope * x + noise * eps
    if np.ptp(y) == 0:
        rho = float("nan")
    else:
        rho = pearson(x, y)
    return {"x": x, "y": y, "rho": rho, "description": describe_rho(rho)}


def draw_correlation(fig, noise=1.0, slope=1.0):
    """Nuvem de pontos com ρ no título e, ao lado, a posição de ρ na régua [−1, 1]."""
    r = compute_correlation(noise=noise, slope=slope)
    ax1, ax2 = fig.subplots(1, 2, width_ratios=[2.2, 1])
    ax1.plot(r["x"], r["y"], "o", ms=4.5, alpha=0.75, color=POINT_COLOR)
    ax1.set_xlim(*X_RANGE)
    lim = max(4.0, 1.1 * float(np.max(np.abs(r["y"]))))
    ax1.set_ylim(-lim, lim)
    ax1.set_xlabel("x", fontsize=11)
    ax1.set_ylabel("y = inclinação·x + ruído", fontsize=11)
    if np.isfinite(r["rho"]):
        ax1.set_title(f"ρ = {fmt(r['rho'])} — {r['description']}", fontsize=12)
    else:
        ax1.set_title("ρ indefinido: y ficou constante (inclinação 0 e ruído 0)", fontsize=12)
    ax1.grid(alpha=0.3)

    # a barra tem a cor do sinal de ρ (vermelho = positivo, azul = negativo, a convenção do curso);
    # os rótulos das pontas da régua, nas mesmas cores, fazem as vezes de legenda
    rho = r["rho"] if np.isfinite(r["rho"]) else 0.0
    ax2.barh([0], [rho], height=0.4, color=sign_color(rho))
    for tick, text in ((-1, "negativa\nperfeita"), (0, "nenhuma\nlinear"), (1, "positiva\nperfeita")):
        ax2.axvline(tick, color="gray", ls=":", lw=1)
        ax2.text(tick, -0.35, text, ha="center", va="top", fontsize=9, color=sign_color(tick))
    ax2.set_xlim(-1.45, 1.45)
    ax2.set_ylim(-1.0, 0.6)
    ax2.set_yticks([])
    ax2.set_xticks([-1, -0.5, 0, 0.5, 1])
    ax2.set_xlabel("valor de ρ", fontsize=11)
    ax2.set_title("Régua da correlação", fontsize=12)
    return fig


def correlation_widget():
    """Controles: ruído (primeiro) e inclinação."""
    from coursekit.widgets._ui import live_plot, slider

    controls = {
        "noise": slider("ruído", 1.0, 0.0, 6.0, 0.1, fmt_spec=".1f"),
        "slope": slider("inclinação", 1.0, -3.0, 3.0, 0.1, fmt_spec=".1f"),
    }
    return live_plot(draw_correlation, controls, figsize=FIGSIZE)


DEMOS = {"correlacao": (draw_correlation, {"noise": 1.0, "slope": 1.0}, FIGSIZE)}
TRAINING_DEMOS = set()
