"""Widget da aula 10: otimizadores (GD, Momentum, Adagrad, RMSProp, Adam) em superfícies 2-D,
no espírito das notas de otimização do deeplearning.ai.

``compute_trajectories`` é puro (NumPy + coursekit): roda os otimizadores escolhidos a partir
de um ponto inicial, com taxa de aprendizado (learning rate) que decai como
``lr_t = lr / (1 + decay·t)`` (``coursekit.nn.lr_schedule``), e devolve as trajetórias e o custo por
iteração. ``draw_optimizers`` desenha o contorno com as trajetórias e as curvas de custo.

O widget abre com a comparação justa da aula: cada otimizador com a **sua** melhor taxa naquela
superfície (``TUNED_LR``, a escolha de ``tune_lr`` na grade ``LR_GRID``); desmarcando
"taxas ajustadas para cada método", o participante escolhe duas taxas compartilhadas
(uma para GD/Momentum, outra para os adaptativos), que começam em ``SHARED_LR``.
"""

import functools

import numpy as np

from coursekit import landscapes
from coursekit._checks import as_array, check_choice
from coursekit.nn.optim import SGD, Adagrad, Adam, Momentum, RMSProp, lr_schedule
from coursekit.widgets._ui import LOG_FLOOR, METHOD_STYLES, fmt, simple_log_axis

#: nome → (rótulo, (cor, traço, marcador), usa a taxa "adaptativa"?). O estilo é o k-ésimo de
#: ``METHOD_STYLES`` (métodos comparados numa figura): o GD, a referência, em preto e linha
#: cheia; os mesmos estilos nas figuras da aula 10.
OPTIMIZERS = {
    "gd": ("Descida do gradiente", METHOD_STYLES[0], False),
    "momentum": ("Momentum", METHOD_STYLES[1], False),
    "adagrad": ("Adagrad", METHOD_STYLES[2], True),
    "rmsprop": ("RMSProp", METHOD_STYLES[3], True),
    "adam": ("Adam", METHOD_STYLES[4], True),
}

#: nome da superfície → rótulo mostrado no menu do widget (o valor continua sendo o nome)
LANDSCAPE_LABELS = {
    "quadratic": "tigela alongada",
    "rosenbrock": "Rosenbrock (vale curvo)",
    "saddle": "ponto de sela",
    "local_minima": "mínimos locais",
}

#: tamanho da figura do widget (e da DEMO medida em benchmarks/widgets.py)
FIGSIZE = (9.5, 4.4)

#: valores iniciais das duas taxas compartilhadas do modo manual do widget (caixa "taxas
#: ajustadas para cada método" desmarcada), por superfície: (lr de GD/Momentum, lr dos adaptativos).
#: Não é uma comparação justa (seção 7 da aula): o widget abre com ``TUNED_LR``.
SHARED_LR = {
    "quadratic": (0.01, 0.05),
    "rosenbrock": (0.002, 0.05),
    "saddle": (0.01, 0.05),
    "local_minima": (0.08, 0.05),
}


#: grade de taxas da comparação justa: três por década, de 0.001 a 2
LR_GRID = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)

#: a melhor taxa de cada otimizador em cada superfície: ``tune_lr(superfície, nome)["best_lr"]``
#: (grade ``LR_GRID``, 300 passos, do ponto inicial da superfície; custos abaixo de ``COST_FLOOR``
#: empatam, e fica a menor taxa). Guardada aqui para o widget
#: abrir depressa; ``tests/test_widgets_otimizadores_tune.py`` recalcula a tabela inteira.
TUNED_LR = {
    "quadratic": {"gd": 0.05, "momentum": 0.005, "adagrad": 1.0, "rmsprop": 0.05, "adam": 0.2},
    "rosenbrock": {"gd": 0.002, "momentum": 0.002, "adagrad": 2.0, "rmsprop": 0.2, "adam": 2.0},
    "saddle": {"gd": 0.05, "momentum": 0.02, "adagrad": 0.5, "rmsprop": 0.02, "adam": 0.05},
    "local_minima": {"gd": 0.5, "momentum": 0.1, "adagrad": 2.0, "rmsprop": 0.2, "adam": 1.0},
}


def make_optimizer(name, lr):
    """Cria o otimizador ``name`` de coursekit.nn com taxa ``lr`` (demais hiperparâmetros no
    padrão do torch.optim: momento 0.9, RMSProp com decaimento 0.99, Adam com β₁=0.9, β₂=0.999)."""
    check_choice(name, "name", list(OPTIMIZERS))
    return {"gd": SGD, "momentum": Momentum, "adagrad": Adagrad, "rmsprop": RMSProp, "adam": Adam}[name](lr)


COST_FLOOR = LOG_FLOOR
"""Piso do gráfico de custo (o da paleta): abaixo disso, f(w) − f* é arredondamento (pula entre
10⁻¹⁶ e 3·10⁻¹⁶, e um traço tracejado nesse vaivém vira uma faixa grossa que esconde as outras curvas)."""


def tune_lr(landscape, name, grid=LR_GRID, steps=300):
    """Comparação justa: roda o otimizador ``name`` com cada taxa de ``grid`` na superfície
    ``landscape`` (do ponto inicial dela) e devolve um dict com ``finals`` (taxa → custo final
    acima do mínimo, ``inf`` se divergiu), ``best_lr`` e ``best_final`` (a taxa de menor custo
    final e o custo dela) e ``tied`` (as taxas empatadas com ela, em ordem crescente).

    Custos abaixo de ``COST_FLOOR`` contam como ``COST_FLOOR``: abaixo do piso a diferença é
    arredondamento, e todas as taxas que chegaram lá empatam; em empate, fica a menor taxa."""
    land = landscapes.LANDSCAPES[check_choice(landscape, "landscape", list(landscapes.LANDSCAPES))]
    check_choice(name, "name", list(OPTIMIZERS))
    grid = tuple(float(g) for g in grid)
    if not grid or any(not np.isfinite(g) or g <= 0 for g in grid):
        raise ValueError(f"grid deve ser uma lista não vazia de taxas positivas; recebi {grid!r}.")
    start = tuple(float(v) for v in land.start)
    finals = {}
    for rate in grid:
        _, cost = _trajectory(land.name, start, name, rate, 0.0, int(steps))
        finals[rate] = float(cost[-1]) if np.all(np.isfinite(cost)) else float("inf")
    floored = {rate: max(cost, COST_FLOOR) for rate, cost in finals.items()}
    best = min(sorted(floored), key=floored.get)  # em empate, a menor taxa
    tied = tuple(rate for rate in sorted(floored) if floored[rate] == floored[best])
    return {"finals": finals, "best_lr": best, "best_final": finals[best], "tied": tied}


@functools.lru_cache(maxsize=512)
def _trajectory(landscape, start, name, rate, decay, steps):
    """Trajetória e custo acima do mínimo (f(w) − f*) de um otimizador, guardados em cache:
    ao mexer num controle, só os otimizadores afetados por ele são recalculados."""
    land = landscapes.LANDSCAPES[landscape]
    if len(start) != 2:
        raise ValueError(f"start deve ter 2 coordenadas (w₀, w₁); recebi {len(start)}.")
    f_star = float(min(land.f(np.array(m)) for m in land.minima))
    path = landscapes.run_optimizer(land, make_optimizer(name, rate), np.array(start), steps, decay)
    with np.errstate(over="ignore", invalid="ignore"):
        cost = np.maximum(land.f(path) - f_star, 0.0)
    path.flags.writeable = cost.flags.writeable = False  # compartilhados pelo cache
    return path, cost


def compute_trajectories(
    landscape="quadratic",
    start=None,
    optimizers=tuple(OPTIMIZERS),
    lr=None,
    lr_adaptive=None,
    decay=0.0,
    steps=300,
):
    """Roda cada otimizador de ``optimizers`` na superfície ``landscape`` (nome de
    ``coursekit.landscapes.LANDSCAPES``) a partir de ``start`` (padrão: o da superfície).

    ``lr`` é a taxa compartilhada de GD e Momentum; ``lr_adaptive``, a de Adagrad, RMSProp e
    Adam. Com ``None`` (o padrão), cada otimizador daquele grupo usa a **sua** melhor taxa
    nesta superfície, ``TUNED_LR[landscape][nome]`` (a comparação justa). Devolve um dict com
    ``paths`` (nome → (steps + 1, 2)), ``costs`` (nome → custo acima do mínimo global,
    f(w) − f*, por iteração; NaN após divergir), ``final`` (nome → último custo finito ou NaN),
    ``diverged`` (nome → bool), ``rates`` (nome → taxa inicial usada), ``lr_final`` (nome → taxa
    no último passo), ``f_star``, ``start``, ``bounds``, ``minima`` e ``title``.
    """
    land = landscapes.LANDSCAPES[check_choice(landscape, "landscape", list(landscapes.LANDSCAPES))]
    start = land.start if start is None else as_array(start, "start", ndim=1)
    for name in optimizers:
        check_choice(name, "optimizers", list(OPTIMIZERS))
    f_star = float(min(land.f(np.array(m)) for m in land.minima))
    paths, costs, final, diverged, rates = {}, {}, {}, {}, {}
    start_key = tuple(float(v) for v in np.ravel(start))
    for name in optimizers:
        shared = lr_adaptive if OPTIMIZERS[name][2] else lr
        rate = rates[name] = float(TUNED_LR[land.name][name] if shared is None else shared)
        path, cost = _trajectory(land.name, start_key, name, float(rate), float(decay), int(steps))
        paths[name], costs[name] = path, cost
        ok = np.isfinite(cost)
        diverged[name] = not bool(ok.all())
        final[name] = float(cost[ok][-1]) if not diverged[name] else float("nan")
    last = max(steps - 1, 0)
    return {
        "paths": paths,
        "costs": costs,
        "final": final,
        "diverged": diverged,
        "f_star": f_star,
        "start": np.array(start, dtype=float),
        "bounds": land.bounds,
        "minima": land.minima,
        "title": land.title,
        "name": land.name,
        "rates": rates,
        "lr_final": {name: float(lr_schedule(rate, decay, last)) for name, rate in rates.items()},
    }


@functools.cache
def _contour_lines(landscape):
    """Curvas de nível da superfície, calculadas uma vez por superfície: 20 níveis de
    log₁₀(f − f* + 10⁻³) (contourpy, o motor do ``contour`` do matplotlib). Devolve os
    segmentos e, para cada um, a posição do seu nível entre 0 (o mais baixo) e 1 (o mais alto).
    Redesenhar esses segmentos prontos é bem mais barato que chamar ``contour``/``contourf``."""
    import contourpy
    from matplotlib.ticker import MaxNLocator

    land = landscapes.LANDSCAPES[landscape]
    xx, yy, zz = land.grid(100)
    f_star = float(min(land.f(np.array(m)) for m in land.minima))
    rel = np.log10(zz - f_star + 1e-3)
    gen = contourpy.contour_generator(xx, yy, rel)
    levels = MaxNLocator(20).tick_values(rel.min(), rel.max())
    segments, heights = [], []
    for level in levels:
        for seg in gen.lines(level):
            if len(seg) > 1:
                segments.append(seg)
                heights.append((level - levels[0]) / (levels[-1] - levels[0]))
    return segments, np.array(heights)


def _legend_corner(ax, curves, rows, line=0.062, width=0.8):
    """O canto do eixo log ``ax`` onde passam menos pontos das ``curves`` para uma legenda de
    ``rows`` linhas: como ``legend(loc="best")``, mas bem mais barato (conta pontos em três
    retângulos em vez de medir a legenda contra cada curva). Devolve o ``loc`` da legenda."""
    height = 0.04 + line * rows
    (lo, hi) = np.log10(ax.get_ylim())
    (x_lo, x_hi) = ax.get_xlim()
    pts = [(np.arange(len(c)) - x_lo) / (x_hi - x_lo) for c in curves]
    heights = [(np.log10(c) - lo) / (hi - lo) for c in curves]
    corners = {
        "lower left": (0.015, 0.015),
        "lower right": (0.985 - width, 0.015),
        "upper right": (0.985 - width, 0.985 - height),
    }

    def crowd(loc):
        x0, y0 = corners[loc]
        return sum(
            int(np.sum((u >= x0) & (u <= x0 + width) & (v >= y0) & (v <= y0 + height)))
            for u, v in zip(pts, heights)
        )

    return min(corners, key=crowd)


def _markevery(k, n, marks=6):
    """Marcadores de ``n`` pontos de uma curva por iteração: uns ``marks`` por curva, com a
    k-ésima deslocada, para que os marcadores de curvas sobrepostas não caiam uns sobre os outros."""
    every = max(1, (n - 1) // marks)
    return (min(n - 1, k * every // len(OPTIMIZERS)), every)


def _path_marks(path, bounds, k, gap=0.13):
    """Índices dos marcadores da trajetória do k-ésimo otimizador: um novo marcador só onde o
    caminho está a ``gap`` (fração do eixo) ou mais do início e de todos os marcadores
    anteriores. Assim uma trajetória que oscila num canto não empilha marcadores ali, e os
    cinco, que partem do mesmo ponto, põem o primeiro marcador a distâncias diferentes dele."""
    (x0, x1), (y0, y1) = bounds
    uv = (path - [x0, y0]) / [x1 - x0, y1 - y0]
    finite = np.isfinite(uv).all(axis=1)
    uv = uv[: len(uv) if finite.all() else int(np.argmin(finite))]  # até divergir
    inside = np.flatnonzero(((uv >= 0) & (uv <= 1)).all(axis=1)[1:]) + 1  # fora do desenho, nada
    # candidatos: o primeiro ponto do caminho em cada quadradinho de lado gap/2 (vetorizado);
    # só eles passam pela conta de distância, feita um a um
    cells = np.floor(uv[inside] / (gap / 2)).astype(int)
    _, first = np.unique(cells[:, 0] * 4096 + cells[:, 1], return_index=True)
    placed, start_gap, marks = [], gap * (0.45 + 0.2 * k), []
    (u0, v0) = uv[0]
    for i in inside[np.sort(first)]:
        u, v = uv[i]
        if (u - u0) ** 2 + (v - v0) ** 2 >= start_gap**2 and all(
            (u - a) ** 2 + (v - b) ** 2 >= gap**2 for a, b in placed
        ):
            marks.append(int(i))
            placed.append((u, v))
    return marks


def draw_optimizers(
    fig,
    landscape="quadratic",
    w0=None,
    w1=None,
    tuned=True,
    gd=True,
    momentum=True,
    adagrad=True,
    rmsprop=True,
    adam=True,
    lr=None,
    lr_adaptive=None,
    decay=0.0,
    steps=300,
):
    """Curvas de nível da superfície com as trajetórias (esquerda) e custo por iteração (direita).

    Com ``tuned=True`` (o padrão), cada otimizador roda com a sua melhor taxa nesta superfície
    (``TUNED_LR``) e ``lr``/``lr_adaptive`` são ignorados; com ``tuned=False``, GD e Momentum
    usam ``lr`` e os adaptativos ``lr_adaptive`` (``None``: os valores de ``SHARED_LR``).
    Cada otimizador tem o seu estilo de ``METHOD_STYLES`` (cor, traço e marcador), o mesmo nos
    dois painéis; a legenda, à direita, dá o nome, a taxa e o custo final de cada um.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    land = landscapes.LANDSCAPES[check_choice(landscape, "landscape", list(landscapes.LANDSCAPES))]
    start = (land.start[0] if w0 is None else w0, land.start[1] if w1 is None else w1)
    chosen = [n for n, on in zip(OPTIMIZERS, (gd, momentum, adagrad, rmsprop, adam)) if on]
    if tuned:
        lr = lr_adaptive = None  # None: cada um com a sua taxa de TUNED_LR
    else:
        lr = SHARED_LR[land.name][0] if lr is None else lr
        lr_adaptive = SHARED_LR[land.name][1] if lr_adaptive is None else lr_adaptive
    res = compute_trajectories(land.name, start, chosen, lr, lr_adaptive, decay, steps)
    ax, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
    # curvas de nível: cinza-claro nos vales, escuro nos morros
    segments, heights = _contour_lines(land.name)
    grey = np.interp(heights, [0, 1], [0.8, 0.4])
    ax.add_collection(LineCollection(segments, colors=np.column_stack([grey, grey, grey]), linewidths=0.6))
    # o mínimo e o início em preto e branco (neutros): as cores ficam para os otimizadores
    for m in land.minima:
        ax.plot(*m, marker="*", color="black", mfc="white", mec="black", mew=1.2, markersize=15, zorder=5)
    ax.plot(*res["start"], "o", color="black", mfc="white", mec="black", mew=1.5, markersize=9, zorder=6)
    handles, labels = [], []
    floored = {n: np.maximum(res["costs"][n], COST_FLOOR) for n in chosen}  # o que o painel log desenha
    for name in chosen:
        label, (color, dash, marker), _ = OPTIMIZERS[name]
        style = {"color": color, "ls": dash, "marker": marker, "lw": 1.8, "ms": 5.5}
        p = res["paths"][name]
        k = list(OPTIMIZERS).index(name)
        ax.plot(p[:, 0], p[:, 1], markevery=_path_marks(p, land.bounds, k), **style)
        ok = np.isfinite(p[:, 0])
        ax.plot(*p[ok][-1], marker=marker, color=color, markersize=8, markeredgecolor="k", zorder=4)
        c = floored[name]
        ax2.plot(np.arange(len(c)), c, markevery=_markevery(k, len(c)), **style)
        final = res["final"][name]
        if res["diverged"][name]:
            tail = "divergiu"
        else:  # abaixo do piso é arredondamento: a legenda diz "< 1e-12", como o painel log desenha
            tail = f"< {fmt(COST_FLOOR)}" if final < COST_FLOOR else fmt(final)
        handles.append(Line2D([], [], **style))
        labels.append(f"{label} (η {fmt(res['rates'][name])}): {tail}")
    (x0, x1), (y0, y1) = land.bounds
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="w₀", ylabel="w₁")
    ax.locator_params(nbins=5, steps=[1, 2, 5, 10])
    ax.set_title(land.title, fontsize=9, y=1.0)  # y fixo: o título não precisa medir os rótulos
    left = land.name == "rosenbrock"  # o canto livre da superfície
    ax.text(
        0.03 if left else 0.97,
        0.03,
        "○ início   ☆ mínimo",
        color="0.2",
        fontsize=9,
        ha="left" if left else "right",
        transform=ax.transAxes,
    )
    ax2.set_yscale("log")
    simple_log_axis(ax2.yaxis)
    ax2.locator_params(axis="x", nbins=4)
    ax2.set(xlabel="iteração", ylabel="custo acima do mínimo, f(w) − f*")
    ax2.set_title(
        "Custo por iteração (log; piso 10⁻¹²: arredondamento)"
        if not decay
        else f"Custo por iteração (log; piso 10⁻¹²); decaimento de η {fmt(decay)}",
        fontsize=10,
        y=1.0,
    )
    if chosen:
        head = "taxa ajustada para cada método; custo final" if tuned else "taxas compartilhadas; custo final"
        loc = _legend_corner(ax2, list(floored.values()), len(chosen) + 1)
        ax2.legend(
            handles,
            labels,
            title=head,
            loc=loc,
            fontsize=8,
            title_fontsize=8,
            handlelength=3.2,
            labelspacing=0.3,
            borderaxespad=0.3,
            framealpha=0.85,
        )
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
    """Escolha a superfície, o ponto inicial, os otimizadores, as taxas e o decaimento.

    Abre com cada otimizador na sua melhor taxa para a superfície (``TUNED_LR``); desmarcando
    "taxas ajustadas para cada método", valem as duas taxas compartilhadas dos controles."""
    import ipywidgets as w

    from coursekit.widgets._ui import control_width, dropdown, int_slider, live_plot, slider

    land = landscapes.quadratic
    (x0, x1), (y0, y1) = land.bounds
    lr0, lra0 = SHARED_LR[land.name]

    def log_slider(description, value):
        return w.FloatLogSlider(
            value=value,
            min=-4,
            max=0,
            step=0.05,
            base=10,
            description=description,
            continuous_update=False,
            readout_format=".4f",
            style={"description_width": "initial"},
            layout=w.Layout(width=control_width(description)),
            disabled=True,  # a caixa "taxas ajustadas para cada método" começa marcada
        )

    controls = {
        "landscape": dropdown(
            "superfície", [(LANDSCAPE_LABELS[n], n) for n in landscapes.LANDSCAPES], value=land.name
        ),
        "w0": slider("w₀ inicial", float(land.start[0]), x0, x1, 0.05),
        "w1": slider("w₁ inicial", float(land.start[1]), y0, y1, 0.05),
        "tuned": w.Checkbox(
            value=True,
            description="taxas ajustadas para cada método",
            indent=False,
            layout=w.Layout(width="270px"),
        ),
        "lr": log_slider("taxa η (GD, Momentum)", lr0),
        "lr_adaptive": log_slider("taxa η (Adagrad, RMSProp, Adam)", lra0),
        "decay": slider("decaimento de η (decay)", 0.0, 0.0, 0.05, 0.001, fmt_spec=".3f"),
        "steps": int_slider("iterações", 300, 10, 1000, 10),
    }
    for name, (label, _, _) in OPTIMIZERS.items():
        controls[name] = w.Checkbox(
            value=True, description=label, indent=False, layout=w.Layout(width=f"{8 * len(label) + 40}px")
        )

    def on_landscape(change):
        new = landscapes.LANDSCAPES[change["new"]]
        (a, b), (c, d) = new.bounds
        with box.hold():  # quatro controles mudam: um redesenho só
            _set_range(controls["w0"], a, b, float(new.start[0]))
            _set_range(controls["w1"], c, d, float(new.start[1]))
            controls["lr"].value, controls["lr_adaptive"].value = SHARED_LR[new.name]

    def on_tuned(change):
        # taxas ajustadas: as duas taxas compartilhadas não valem, e ficam desativadas
        controls["lr"].disabled = controls["lr_adaptive"].disabled = change["new"]

    controls["landscape"].observe(on_landscape, names="value")
    controls["tuned"].observe(on_tuned, names="value")
    box = live_plot(draw_optimizers, controls, figsize=FIGSIZE)
    box.controls = controls  # nome → controle (os nomes que draw_optimizers recebe)
    # linhas de controles por assunto, cada uma cabendo na largura do caderno (~850 px)
    wrap = w.Layout(flex_flow="row wrap")
    groups = [
        ("landscape",),
        ("w0", "w1"),
        ("tuned",),
        ("lr", "lr_adaptive"),
        ("decay", "steps"),
        tuple(OPTIMIZERS),
    ]
    box.children = [w.HBox([controls[k] for k in g], layout=wrap) for g in groups] + [box.children[-1]]
    return box


DEMOS = {"otimizadores": (draw_optimizers, {"landscape": "quadratic", "tuned": True}, FIGSIZE)}
TRAINING_DEMOS = set()
