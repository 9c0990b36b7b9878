"""Aula 00 — "aprender com a experiência": uma reta ajustada a cada vez mais dados.

Os quatro componentes de um sistema de aprendizado aparecem aqui em miniatura:

- **dados**: pontos (x, y) gerados por uma regra escondida, y = 2x + 1, mais ruído;
- **modelo**: uma reta ŷ = m·x + b;
- **função objetivo**: o erro quadrático médio (MSE);
- **otimizador**: a equação normal (mínimos quadrados), via ``coursekit.linear.LinearRegression``.

``compute_learning_curve`` é pura (só NumPy + coursekit) e devolve tudo o que é desenhado;
``draw_learning`` desenha numa Figure do matplotlib; ``learning_widget`` liga os controles.
``check_demo`` mostra a autoverificação ``check`` funcionando numa função de brinquedo.
"""

from functools import lru_cache

import numpy as np

from coursekit._checks import check_positive
from coursekit.linear import LinearRegression
from coursekit.nn.losses import mse
from coursekit.widgets._ui import TEST, TRAIN, fmt, text_color

TRUE_SLOPE = 2.0
TRUE_INTERCEPT = 1.0
X_RANGE = (0.0, 5.0)
N_TEST = 10_000  # muitos dados novos: o erro medido fica perto do erro esperado
N_POOL = 100
FIGSIZE = (9.5, 4.2)  # polegadas: cabe na área do notebook sem encolher as letras

#: a reta aprendida e o ponto da quantidade escolhida: neutros (verde é o treino, dourado o teste)
MODEL_COLOR = "black"
CHOSEN_COLOR = "black"


def _make_pool(noise, seed, n):
    """Os ``n`` primeiros pontos de uma sequência fixa: mais dados = mesmos pontos + novos."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(*X_RANGE, size=n)
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + noise * rng.standard_normal(n)
    return x, y


def _make_test(noise, seed):
    """Dados novos (nunca vistos no treino), com a mesma regra e o mesmo ruído."""
    rng = np.random.default_rng(seed + 10_000)
    x = rng.uniform(*X_RANGE, size=N_TEST)
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + noise * rng.standard_normal(N_TEST)
    return x, y


def compute_learning_curve(n_points=5, noise=1.0, seed=0, n_max=N_POOL):
    """Ajusta uma reta aos ``n_points`` primeiros pontos e mede o erro em dados novos.

    Devolve um dict com:

    - ``x_train``, ``y_train``: os dados de treino usados (``n_points`` pontos);
    - ``m``, ``b``: a reta aprendida; ``line_x``, ``line_y``: a reta para desenhar;
    - ``train_mse``, ``test_mse``: o MSE no treino e em ``N_TEST`` pontos novos;
    - ``sizes``: quantidades de dados 2..n_max; ``curve_train``, ``curve_test``: o MSE
      de treino e de teste para cada quantidade (a curva de aprendizado);
    - ``noise_floor``: ruído², o menor MSE de teste que qualquer modelo pode esperar **em
      média**. Com ``N_TEST`` = 10 000 pontos novos, o MSE medido fica perto do esperado: nas
      sementes 0 a 20 do widget ele nunca fica mais que 3 % abaixo do piso (os testes conferem).
    """
    check_positive(n_points, "n_points", integer=True)
    check_positive(n_max, "n_max", integer=True)
    check_positive(noise, "noise", allow_zero=True)
    if not 2 <= n_points <= n_max:
        raise ValueError(f"n_points deve estar entre 2 e n_max ({n_max}); recebi {n_points}.")
    x_pool, y_pool, x_test, y_test, sizes, curve = _curve(float(noise), int(seed), int(n_max))
    model, train_mse, test_mse = _fit(x_pool, y_pool, x_test, y_test, n_points)
    line_x = np.array(X_RANGE)
    return {
        "x_train": x_pool[:n_points].copy(),
        "y_train": y_pool[:n_points].copy(),
        "m": float(model.coef_[0]),
        "b": float(model.intercept_),
        "line_x": line_x,
        "line_y": model.predict(line_x[:, None]),
        "true_y": TRUE_SLOPE * line_x + TRUE_INTERCEPT,
        "train_mse": train_mse,
        "test_mse": test_mse,
        "sizes": sizes.copy(),
        "curve_train": curve[:, 0].copy(),
        "curve_test": curve[:, 1].copy(),
        "noise_floor": float(noise) ** 2,
    }


def _fit(x_pool, y_pool, x_test, y_test, n):
    """Reta ajustada aos ``n`` primeiros pontos: (modelo, MSE de treino, MSE de teste)."""
    model = LinearRegression().fit(x_pool[:n, None], y_pool[:n])
    train = mse(y_pool[:n], model.predict(x_pool[:n, None]))
    test = mse(y_test, model.predict(x_test[:, None]))
    # erros da ordem do arredondamento (ex.: ruído zero) viram 0 exato
    return model, (train if train > 1e-12 else 0.0), (test if test > 1e-12 else 0.0)


@lru_cache(maxsize=32)
def _curve(noise, seed, n_max):
    """Dados e curva de aprendizado (não dependem da quantidade escolhida): calculados uma
    vez por (ruído, semente), então mexer na quantidade de dados só ajusta uma reta."""
    x_pool, y_pool = _make_pool(noise, seed, n_max)
    x_test, y_test = _make_test(noise, seed)
    sizes = np.arange(2, n_max + 1)
    curve = np.array([_fit(x_pool, y_pool, x_test, y_test, n)[1:] for n in sizes])
    return x_pool, y_pool, x_test, y_test, sizes, curve


def draw_learning(fig, n_points=5, noise=1.0, seed=0):
    """Desenha, à esquerda, os dados e a reta aprendida; à direita, a curva de aprendizado."""
    r = compute_learning_curve(n_points=n_points, noise=noise, seed=seed)
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(r["x_train"], r["y_train"], "o", color=TRAIN, zorder=3, label="dados de treino")
    ax1.plot(r["line_x"], r["true_y"], "--", color="gray", label="regra verdadeira (escondida)")
    ax1.plot(
        r["line_x"],
        r["line_y"],
        color=MODEL_COLOR,
        lw=2,
        label=f"modelo: ŷ = {fmt(r['m'])}·x {'+' if r['b'] >= 0 else '−'} {fmt(abs(r['b']))}",
    )
    ax1.set_xlim(*X_RANGE)
    ax1.set_ylim(min(-4.0, 1.0 - 2.5 * noise), max(16.0, 11.0 + 2.5 * noise))
    ax1.locator_params(nbins=5)
    ax1.set_xlabel("x (entrada)", fontsize=11)
    ax1.set_ylabel("y (saída)", fontsize=11)
    ax1.set_title(f"{n_points} pontos de treino → MSE em dados novos: {fmt(r['test_mse'])}", fontsize=10.5)
    ax1.legend(fontsize=9, loc="upper left")
    ax1.grid(alpha=0.3)

    # eixo linear: o topo mostra até 3× o piso (erros maiores, só com poucos pontos, saem por cima)
    floor = r["noise_floor"]
    top = 3.0 * floor if floor > 0 else 1.0
    ax2.plot(r["sizes"], r["curve_test"], color=TEST, lw=2)
    ax2.plot(r["sizes"], r["curve_train"], color=TRAIN)
    ax2.axhline(floor, color="gray", ls=":")
    # o ponto preto (a quantidade escolhida) é explicado no texto da aula
    # acima do topo (nas sementes 0 a 20, só com 2 a 7 pontos), o ponto vira um triângulo no topo
    fora = r["test_mse"] > 0.97 * top
    ax2.plot(
        [n_points], [min(r["test_mse"], 0.97 * top)], "^" if fora else "o", color=CHOSEN_COLOR, ms=9, zorder=4
    )
    # rótulos coloridos no lugar de uma legenda: mesma leitura, redesenho mais rápido
    for y_text, color, text in (
        (0.95, TEST, "erro em dados novos (teste)"),
        (0.88, TRAIN, "erro nos dados de treino"),
        (0.81, "dimgray", "piso pontilhado: ruído² (erro irredutível)"),
    ):
        ax2.text(
            0.97,
            y_text,
            text,
            color=text_color(color),
            transform=ax2.transAxes,
            ha="right",
            va="top",
            fontsize=9.5,
        )
    ax2.set_xlim(0, N_POOL + 1)
    ax2.set_ylim(0, top)
    ax2.locator_params(nbins=5)
    ax2.set_xlabel("quantidade de dados de treino (experiência)", fontsize=10.5)
    ax2.set_ylabel("MSE", fontsize=11)
    ax2.set_title("Curva de aprendizado: mais dados, menos erro", fontsize=10.5)
    ax2.grid(alpha=0.3)
    return fig


def learning_widget():
    """Controles: quantidade de dados (primeiro), ruído e semente."""
    from coursekit.widgets._ui import int_slider, live_plot, slider

    controls = {
        "n_points": int_slider("quantidade de dados", 5, 2, N_POOL),
        "noise": slider("ruído", 1.0, 0.1, 3.0, 0.1, fmt_spec=".1f"),  # sem 0: a reta cobriria a regra
        "seed": int_slider("semente", 0, 0, 20),
    }
    return live_plot(draw_learning, controls, figsize=FIGSIZE, columns=2)


DEMOS = {"aprendizado": (draw_learning, {"n_points": 5, "noise": 1.0, "seed": 0}, FIGSIZE)}
TRAINING_DEMOS = set()


def check_demo(name="dobro", namespace=None):
    """A autoverificação ``check(name)`` da aula 00, com testes de demonstração.

    Roda os testes públicos de ``name`` que estão em ``_check_demo_tests.py`` (não em
    ``tests/grading``: não é um exercício e o corretor não os vê) contra as funções do
    notebook (``namespace``; por padrão, as do kernel), imprime o mesmo retorno que
    ``check`` imprime e devolve esse texto.
    """
    import contextlib
    import io
    import sys
    from pathlib import Path

    if not isinstance(name, str):
        raise TypeError(f"name deve ser o nome da função (texto); recebi {type(name).__name__}.")
    from coursekit.environment import check_environment

    check_environment()  # sem o pytest (ou outro pacote), diz em português o que falta e como instalar
    from coursekit.grading.selfcheck import report
    from coursekit.grading.testsuite import collect, load_module

    module = load_module(Path(__file__).with_name("_check_demo_tests.py"))
    items = [item for item in collect(module) if item.exercise == name and not item.hidden]
    if namespace is None:
        namespace = vars(sys.modules["__main__"])
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        report(name, items, namespace)
    text = buffer.getvalue()
    print(text, end="")
    return text


# ---------------------------------------------------------------- figuras estáticas da aula 00
#: tamanhos das três figuras de diagrama (polegadas)
FIGSIZE_COMPONENTS = (9.5, 3.8)
FIGSIZE_DEEP = (9.5, 3.8)
FIGSIZE_TIMELINE = (9.5, 5.0)

#: (título, texto) das quatro caixas; as caixas são neutras (cinza-claro, borda preta): a cor
#: não distingue os componentes, os títulos é que distinguem
COMPONENTS = [
    ("Dados", "exemplos (x, y)\n(fornadas anteriores)"),
    ("Modelo", "regra com parâmetros\nŷ = a·x + b"),
    ("Função objetivo", "mede o erro\nex.: média de (ŷ − y)²"),
    ("Otimizador", "ajusta a e b para\ndiminuir o erro"),
]

#: os três estágios dos slides (LeCun e Ranzato): (nome, [(etapa, treinável?), ...])
STAGES = [
    ("Tradicional", [("características\nfeitas à mão", False), ("classificador\ntreinável", True)]),
    (
        "Moderno (anos 2000)",
        [
            ("características\nfeitas à mão", False),
            ("nível médio\n(sem supervisão)", True),
            ("classificador\ntreinável", True),
        ],
    ),
    (
        "Aprendizado profundo",
        [
            ("características\nde baixo nível", True),
            ("de nível médio", True),
            ("de alto nível", True),
            ("classificador\ntreinável", True),
        ],
    ),
]


#: as etapas do diagrama "fixo × aprendido", em tons neutros que também se leem impressos em
#: preto e branco (o significado está na legenda da figura, não num matiz)
FIXED_STYLE = {"facecolor": "white", "edgecolor": "0.5", "ls": "--", "lw": 1.5}
TRAINABLE_STYLE = {"facecolor": "0.8", "edgecolor": "black", "ls": "-", "lw": 2}
FIXED_LABEL, TRAINABLE_LABEL = "fixo (desenhado por pessoas)", "aprendido com dados"


def _box(ax, x, y, width, height, pad, facecolor, edgecolor="black", ls="-", lw=1.5):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x, y),
            width,
            height,
            boxstyle=f"round,pad={pad}",
            facecolor=facecolor,
            edgecolor=edgecolor,
            ls=ls,
            lw=lw,
        )
    )


def draw_components(fig):
    """O ciclo dos quatro componentes: dados → modelo → função objetivo → otimizador → modelo."""
    ax = fig.subplots()
    ax.set_xlim(0, 11)
    ax.set_ylim(-0.6, 3.9)
    ax.axis("off")
    for x0, (title, text) in zip((0.2, 2.9, 5.6, 8.3), COMPONENTS):
        _box(ax, x0, 1.2, 2.4, 1.6, 0.08, facecolor="0.93")
        ax.text(x0 + 1.2, 2.45, title, ha="center", va="center", fontsize=13, weight="bold")
        ax.text(x0 + 1.2, 1.75, text, ha="center", va="center", fontsize=10)
    for x0 in (2.6, 5.3, 8.0):
        ax.annotate(
            "",
            xy=(x0 + 0.3, 2.0),
            xytext=(x0, 2.0),
            arrowprops={"arrowstyle": "-|>", "lw": 2, "color": "gray"},
        )
    # a função objetivo também precisa das respostas y dos dados (arco por cima, fino e cinza)
    ax.annotate(
        "",
        xy=(6.5, 2.95),
        xytext=(1.7, 2.95),
        arrowprops={"arrowstyle": "-|>", "lw": 1.2, "color": "gray", "connectionstyle": "arc3,rad=-0.12"},
    )
    ax.text(4.1, 3.45, "y (as respostas certas)", ha="center", color="0.35", fontsize=10)
    # o ciclo: o otimizador devolve parâmetros novos ao modelo (em preto, o destaque neutro)
    ax.annotate(
        "",
        xy=(4.1, 1.12),
        xytext=(9.5, 1.12),
        arrowprops={"arrowstyle": "-|>", "lw": 2, "color": "black", "connectionstyle": "arc3,rad=-0.2"},
    )
    ax.text(
        6.8,
        0.3,
        "ajusta os parâmetros: de uma vez (equação normal)\nou passo a passo (descida do gradiente)",
        ha="center",
        va="top",
        color="black",
        fontsize=10,
    )
    ax.set_title("Os quatro componentes de um sistema de aprendizado", fontsize=13)
    return ax


def draw_deep_vs_classic(fig):
    """Os três estágios históricos (LeCun e Ranzato): caixas brancas de borda cinza tracejada são
    as etapas fixas; cinza com borda preta, as aprendidas (a legenda embaixo diz isso)."""
    from matplotlib.patches import Patch

    ax = fig.subplots()
    ax.set_xlim(-0.2, 12.3)
    ax.set_ylim(-0.2, 3.3)
    ax.axis("off")
    for i, (name, steps) in enumerate(STAGES):
        y = 2.4 - 1.1 * i
        ax.text(0, y + 0.35, name, ha="left", va="center", fontsize=10, weight="bold")
        for j, (text, trainable) in enumerate(steps):
            x = 3.1 + 2.35 * j
            _box(ax, x, y, 2.0, 0.7, 0.05, **(TRAINABLE_STYLE if trainable else FIXED_STYLE))
            ax.text(x + 1.0, y + 0.35, text, ha="center", va="center", fontsize=8.5)
            if j:
                ax.annotate(
                    "",
                    xy=(x - 0.02, y + 0.35),
                    xytext=(x - 0.43, y + 0.35),
                    arrowprops={"arrowstyle": "-|>", "color": "gray"},
                )
    ax.legend(
        handles=[Patch(**FIXED_STYLE, label=FIXED_LABEL), Patch(**TRAINABLE_STYLE, label=TRAINABLE_LABEL)],
        loc="lower center",
        bbox_to_anchor=(0.53, -0.06),
        ncol=2,
        frameon=False,
        fontsize=10,
    )
    ax.set_title("Do reconhecimento de padrões tradicional ao aprendizado profundo", fontsize=12)
    return ax


def draw_timeline(fig, milestones, highlight=2012):
    """Linha do tempo: ``milestones`` é uma lista de (ano, texto) em ordem; ``highlight`` em
    destaque (ponto e borda pretos, texto em negrito), os outros em cinza."""
    years = [year for year, _ in milestones]
    if not milestones or any(b < a for a, b in zip(years, years[1:])):
        raise ValueError("milestones deve ser uma lista não vazia de (ano, texto) em ordem de ano.")
    ax = fig.subplots()
    shift = {2017: 4.5}  # anos: afasta a caixa de 2017 da haste de 2009
    ax.axhline(0, color="black", lw=1.5)
    for k, (year, text) in enumerate(milestones):
        height = [1.0, -1.0, 2.1, -2.1][k % 4]
        chosen = year == highlight
        ax.plot(
            [year, year], [0, height * 0.82], color="black" if chosen else "0.55", lw=1.5 if chosen else 1
        )
        ax.plot(year, 0, "o", color="black" if chosen else "0.55", ms=10 if chosen else 8, zorder=3)
        ax.text(
            year + shift.get(year, 0),
            height,
            f"{year}\n{text}",
            ha="center",
            va="center",
            fontsize=8.5,
            weight="bold" if chosen else "normal",
            bbox={
                "boxstyle": "round",
                "fc": "white",
                "ec": "black" if chosen else "0.55",
                "lw": 1.5 if chosen else 1,
            },
        )
    ax.set_xlim(min(years) - 8, max(years) + 11)
    ax.set_ylim(-2.9, 2.9)
    ax.set_yticks([])
    ax.set_xlabel("ano", fontsize=11)
    ax.set_title("Marcos do aprendizado de máquina e das redes neurais", fontsize=13)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return ax
