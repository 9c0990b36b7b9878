"""Widget da aula 10: otimizadores (GD, Momentum, Adagrad, RMSProp, Adam) em superfícies 2-D,
no espírito das notas de otimização do deeplearning.ai.

``compute_trajectories`` é puro (NumPy + coursekit): roda os otimizadores escolhidos a partir
de um ponto inicial, com taxa de aprendizado (learning rate) que decai como
``lr_t = lr / (1 + decay·t)`` (``lr_schedule``), e devolve as trajetórias e o custo por
iteração. ``draw_optimizers`` desenha o contorno com as trajetórias e as curvas de custo.
"""

import numpy as np

from coursekit import landscapes
from coursekit._checks import as_array, check_choice, check_positive
from coursekit.nn.optim import SGD, Adagrad, Adam, Momentum, RMSProp
from coursekit.widgets._ui import fmt

#: nome → (rótulo, cor, usa a taxa "adaptativa"?)
OPTIMIZERS = {
    "gd": ("Gradiente descendente", "tab:blue", False),
    "momentum": ("Momentum", "tab:orange", False),
    "adagrad": ("Adagrad", "tab:green", True),
    "rmsprop": ("RMSProp", "tab:red", True),
    "adam": ("Adam", "tab:purple", True),
}

#: taxas sugeridas por superfície: (lr de GD/Momentum, lr dos adaptativos)
SUGGESTED_LR = {
    "quadratic": (0.01, 0.05),
    "rosenbrock": (0.002, 0.05),
    "saddle": (0.01, 0.05),
    "local_minima": (0.08, 0.05),
}


def lr_schedule(lr, decay, t):
    """Taxa de aprendizado com decaimento (learning rate decay): lr_t = lr / (1 + decay·t),
    ``t`` = 0, 1, 2, … o número de passos já dados. ``decay=0`` mantém a taxa constante."""
    check_positive(lr, "lr")
    check_positive(decay, "decay", allow_zero=True)
    return lr / (1.0 + decay * np.asarray(t, dtype=float))


def make_optimizer(name, lr):
    """Cria o otimizador ``name`` de coursekit.nn com taxa ``lr`` (demais hiperparâmetros no
    padrão do torch.optim: momento 0.9, RMSProp com decaimento 0.99, Adam com β₁=0.9, β₂=0.999)."""
    check_choice(name, "name", list(OPTIMIZERS))
    return {"gd": SGD, "momentum": Momentum, "adagrad": Adagrad,
            "rmsprop": RMSProp, "adam": Adam}[name](lr)


def run_with_decay(landscape, optimizer, start, steps, decay=0.0):
    """Como ``coursekit.landscapes.run_optimizer``, mas antes de cada passo t faz
    ``optimizer.lr = lr_schedule(lr₀, decay, t)``. Devolve a trajetória (steps + 1, 2);
    se divergir, o resto vira NaN. Com ``decay=0`` é idêntico a ``run_optimizer``."""
    lr0 = optimizer.lr
    w = as_array(start, "start", ndim=1).copy()
    if w.shape != (2,):
        raise ValueError(f"start deve ter 2 coordenadas (w₀, w₁); recebi formato {w.shape}.")
    check_positive(steps, "steps", integer=True, allow_zero=True)
    path = np.full((steps + 1, 2), np.nan)
    path[0] = w
    rates = lr_schedule(lr0, decay, np.arange(steps))
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for k in range(steps):
                optimizer.lr = float(rates[k])
                optimizer.step([w], [landscape.grad(w)])
                if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > 1e8:
                    break
                path[k + 1] = w
    finally:
        optimizer.lr = lr0
    return path


def compute_trajectories(landscape="quadratic", start=None, optimizers=tuple(OPTIMIZERS),
                         lr=None, lr_adaptive=None, decay=0.0, steps=300):
    """Roda cada otimizador de ``optimizers`` na superfície ``landscape`` (nome de
    ``coursekit.landscapes.LANDSCAPES``) a partir de ``start`` (padrão: o da superfície).

    ``lr`` vale para GD e Momentum; ``lr_adaptive`` para Adagrad, RMSProp e Adam (padrões em
    ``SUGGESTED_LR``). Devolve um dict com ``paths`` (nome → (steps + 1, 2)), ``costs``
    (nome → custo acima do mínimo global, f(w) − f*, por iteração; NaN após divergir),
    ``final`` (nome → último custo finito ou NaN), ``diverged`` (nome → bool), ``f_star``,
    ``start``, ``bounds``, ``minima``, ``title`` e ``lr_final`` (as taxas no último passo).
    """
    land = landscapes.LANDSCAPES[check_choice(landscape, "landscape", list(landscapes.LANDSCAPES))]
    start = land.start if start is None else as_array(start, "start", ndim=1)
    default_lr, default_ad = SUGGESTED_LR[land.name]
    lr = default_lr if lr is None else lr
    lr_adaptive = default_ad if lr_adaptive is None else lr_adaptive
    for name in optimizers:
        check_choice(name, "optimizers", list(OPTIMIZERS))
    f_star = float(min(land.f(np.array(m)) for m in land.minima))
    paths, costs, final, diverged = {}, {}, {}, {}
    for name in optimizers:
        rate = lr_adaptive if OPTIMIZERS[name][2] else lr
        path = run_with_decay(land, make_optimizer(name, rate), start, steps, decay)
        with np.errstate(over="ignore", invalid="ignore"):
            cost = np.maximum(land.f(path) - f_star, 0.0)
        paths[name], costs[name] = path, cost
        ok = np.isfinite(cost)
        diverged[name] = not bool(ok.all())
        final[name] = float(cost[ok][-1]) if not diverged[name] else float("nan")
    last = max(steps - 1, 0)
    return {
        "paths": paths, "costs": costs, "final": final, "diverged": diverged, "f_star": f_star,
        "start": np.array(start, dtype=float), "bounds": land.bounds, "minima": land.minima,
        "title": land.title, "name": land.name,
        "lr_final": (float(lr_schedule(lr, decay, last)), float(lr_schedule(lr_adaptive, decay, last))),
    }


def draw_optimizers(fig, landscape="quadratic", w0=None, w1=None, gd=True, momentum=True,
                    adagrad=True, rmsprop=True, adam=True, lr=None, lr_adaptive=None,
                    decay=0.0, steps=300):
    """Contorno da superfície com as trajetórias (esquerda) e custo por iteração (direita)."""
    land = landscapes.LANDSCAPES[check_choice(landscape, "landscape", list(landscapes.LANDSCAPES))]
    start = (land.start[0] if w0 is None else w0, land.start[1] if w1 is None else w1)
    chosen = [n for n, on in zip(OPTIMIZERS, (gd, momentum, adagrad, rmsprop, adam)) if on]
    res = compute_trajectories(land.name, start, chosen, lr, lr_adaptive, decay, steps)
    ax, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
    xx, yy, zz = land.grid(100)
    rel = np.log10(zz - res["f_star"] + 1e-3)
    ax.contourf(xx, yy, rel, levels=20, cmap="Greys", alpha=0.35)
    ax.contour(xx, yy, rel, levels=20, colors="grey", linewidths=0.5, alpha=0.7)
    for m in land.minima:
        ax.plot(*m, marker="*", color="gold", markeredgecolor="k", markersize=13, zorder=5)
    ax.plot(*res["start"], "o", color="red", markersize=8, zorder=6, label="início")
    for name in chosen:
        label, color, _ = OPTIMIZERS[name]
        p = res["paths"][name]
        ax.plot(p[:, 0], p[:, 1], "-", color=color, lw=1.8, label=label)
        ok = np.isfinite(p[:, 0])
        ax.plot(*p[ok][-1], "o", color=color, markersize=5, markeredgecolor="k")
        c = res["costs"][name]
        tail = " (divergiu)" if res["diverged"][name] else f": {fmt(res['final'][name])}"
        ax2.plot(np.arange(len(c)), np.maximum(c, 1e-16), color=color, lw=1.8, label=label + tail)
    (x0, x1), (y0, y1) = land.bounds
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="w₀", ylabel="w₁")
    ax.set_title(land.title, fontsize=10)
    ax.legend(fontsize=8, loc="lower right" if land.name != "rosenbrock" else "lower left")
    ax2.set_yscale("log")
    ax2.set(xlabel="iteração", ylabel="custo acima do mínimo global, f(w) − f*")
    ax2.set_title("Custo por iteração (escala log)" + (f"; decaimento {fmt(decay)}" if decay else ""),
                  fontsize=10)
    if chosen:
        ax2.legend(fontsize=8, loc="best")
    else:
        ax2.text(0.5, 0.5, "escolha ao menos um otimizador", ha="center", transform=ax2.transAxes)
    ax2.grid(alpha=0.3)
    return res


def _set_range(slider, lo, hi, value):
    """Muda a faixa e o valor de um slider sem violar min ≤ valor ≤ max no meio do caminho."""
    slider.min = min(lo, slider.min)
    slider.max = max(hi, slider.max)
    slider.value = value
    slider.min, slider.max = lo, hi


def otimizadores_widget():
    """Escolha a superfície, o ponto inicial, os otimizadores, as taxas e o decaimento."""
    import ipywidgets as w

    from coursekit.widgets._ui import dropdown, int_slider, live_plot, slider

    land = landscapes.quadratic
    (x0, x1), (y0, y1) = land.bounds
    lr0, lra0 = SUGGESTED_LR[land.name]
    log = dict(base=10, continuous_update=False, readout_format=".4f",
               style={"description_width": "initial"}, layout=w.Layout(width="320px"))
    controls = {
        "landscape": dropdown("superfície", [(f"{l.name}", l.name) for l in landscapes.LANDSCAPES.values()],
                              value=land.name),
        "w0": slider("w₀ inicial", float(land.start[0]), x0, x1, 0.05),
        "w1": slider("w₁ inicial", float(land.start[1]), y0, y1, 0.05),
        "lr": w.FloatLogSlider(value=lr0, min=-4, max=0, step=0.05,
                               description="lr (GD, Momentum)", **log),
        "lr_adaptive": w.FloatLogSlider(value=lra0, min=-4, max=0, step=0.05,
                                        description="lr (Adagrad, RMSProp, Adam)", **log),
        "decay": slider("decaimento da lr (decay)", 0.0, 0.0, 0.05, 0.001, fmt_spec=".3f"),
        "steps": int_slider("iterações", 300, 10, 1000, 10),
    }
    for name, (label, _, _) in OPTIMIZERS.items():
        controls[name] = w.Checkbox(value=True, description=label, indent=False,
                                    layout=w.Layout(width="200px"))

    def on_landscape(change):
        new = landscapes.LANDSCAPES[change["new"]]
        (a, b), (c, d) = new.bounds
        _set_range(controls["w0"], a, b, float(new.start[0]))
        _set_range(controls["w1"], c, d, float(new.start[1]))
        controls["lr"].value, controls["lr_adaptive"].value = SUGGESTED_LR[new.name]

    controls["landscape"].observe(on_landscape, names="value")
    return live_plot(draw_optimizers, controls, figsize=(11, 4.6), columns=4)


DEMOS = {"otimizadores": (draw_optimizers, {"landscape": "quadratic"})}
TRAINING_DEMOS = set()
