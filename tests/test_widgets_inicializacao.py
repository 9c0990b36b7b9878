"""Testes das funções puras do widget da aula 08 (inicialização dos pesos)."""

import numpy as np
import pytest

from coursekit.nn import init
from coursekit.widgets import inicializacao as m


def test_make_circles_shapes_balance_and_radii():
    X, y = m.make_circles(240, noise=0.0, factor=0.5, seed=1)
    assert X.shape == (240, 2) and y.shape == (240,)
    assert y.sum() == 120
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.5)
    X2, y2 = m.make_circles(240, noise=0.0, factor=0.5, seed=1)
    np.testing.assert_array_equal(X, X2)


def test_init_weights_uses_coursekit_initialisers():
    ws = m.init_weights("xavier_uniform", [3, 5, 2], seed=4)
    rng = np.random.default_rng(4)
    expected = [init.xavier_uniform(3, 5, rng), init.xavier_uniform(5, 2, rng)]
    for a, b in zip(ws, expected):
        np.testing.assert_array_equal(a, b)
    ws = m.init_weights("pequena", [200, 300], seed=0)
    assert abs(ws[0].std() - m.SMALL_STD) < 0.001
    ws = m.init_weights("grande", [200, 300], seed=0)
    assert abs(ws[0].std() - m.LARGE_STD) < 0.1
    with pytest.raises(ValueError):
        m.init_weights("nenhum", [2, 2])


def test_init_stats_zero_scheme_is_all_zero():
    s = m.compute_init_stats("zeros", "relu")
    assert len(s["activations"]) == 3 and len(s["gradients"]) == 4
    assert all(v == 0 for v in s["act_std"])
    assert all(v == 0 for v in s["grad_std"])
    assert np.isclose(s["loss"], np.log(2))  # saída constante σ(0) = 0.5


def test_small_init_vanishes_and_large_explodes_with_relu():
    small = m.compute_init_stats("pequena", "relu")["act_std"]
    large = m.compute_init_stats("grande", "relu")["act_std"]
    he = m.compute_init_stats("he_normal", "relu")["act_std"]
    assert small[0] > small[1] > small[2] and small[2] < 1e-4
    assert large[2] > 10 * large[0] and large[2] > 50
    assert 0.1 < min(he) and max(he) < 3


def test_init_stats_gradients_match_mlp():
    X, y = m.make_circles(50, seed=3)
    s = m.compute_init_stats("he_normal", "tanh", (2, 4, 1), X, y, seed=3)
    net = m.build_network("he_normal", (2, 4, 1), "tanh", "sigmoid", 3)
    _, gw, _ = net.loss_and_gradients(X, y, loss="bce")
    np.testing.assert_allclose(s["gradients"][0], gw[0])
    np.testing.assert_allclose(s["activations"][0], np.tanh(X @ net.weights[0]))


def test_training_he_learns_circles_and_zero_does_not():
    calls = []
    good = m.compute_training("he_normal", "relu", 0.5, 300, callback=lambda d, t: calls.append((d, t)))
    assert good["accuracy"] > 0.95
    assert good["loss_history"][-1] < 0.1 * good["loss_history"][0]
    assert calls and calls[-1] == (300, 300)
    assert good["prob"].shape == good["xx"].shape
    zero = m.compute_training("zeros", "relu", 0.5, 300)
    np.testing.assert_allclose(zero["loss_history"], np.log(2), atol=1e-3)
    assert zero["accuracy"] <= 0.55
    small = m.compute_training("pequena", "relu", 0.5, 300)
    assert small["loss_history"][-1] > 0.6
    # cache: mesma configuração devolve o mesmo objeto e ainda avisa o progresso
    calls.clear()
    again = m.compute_training("he_normal", "relu", 0.5, 300, callback=lambda d, t: calls.append((d, t)))
    assert again is good and calls == [(300, 300)]


def test_training_with_huge_lr_is_warning_free():
    r = m.compute_training("grande", "relu", 2.0, 50)
    assert len(r["loss_history"]) == 50


def test_digits_stats():
    small = m.compute_digits_stats("pequena", "tanh", depth=6)
    assert len(small["act_std"]) == 6 and small["layer_sizes"] == [64] * 7 + [10]
    assert small["act_std"][-1] < 1e-5
    xav = m.compute_digits_stats("xavier_normal", "tanh", depth=6)["act_std"]
    assert min(xav) > 0.1
    std1 = m.compute_digits_stats("normal_padrao", "tanh", depth=6)["act_std"]
    assert min(std1) > 0.85  # tanh saturada: valores perto de ±1
    relu_std1 = m.compute_digits_stats("normal_padrao", "relu", depth=6)["act_std"]
    assert relu_std1[-1] > 1000


def test_demos_draw():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert m.TRAINING_DEMOS <= set(m.DEMOS)
    for _name, (draw, kwargs, figsize) in m.DEMOS.items():
        fig = plt.figure(figsize=figsize)
        draw(fig, **kwargs)
        assert len(fig.axes) >= 2
        plt.close(fig)


def test_digitos_padronizados():
    X, y = m.standardized_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    usados = X.std(axis=0) > 0
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0)[usados], 1, rtol=1e-12)
    assert np.all(X[:, ~usados] == 0) and (~usados).sum() >= 1  # pixels sempre 0 (cantos) ficam 0


def test_digits_stats_tem_gradientes_por_camada():
    from coursekit.nn import numerical_gradient

    r = m.compute_digits_stats("he_normal", "relu", depth=3, n=50)
    assert len(r["grad_std"]) == 4  # 3 escondidas + a de saída
    # confere um gradiente contra diferenças finitas, com a mesma rede e os mesmos dados
    X, y = m.standardized_digits()
    net = m.build_network("he_normal", r["layer_sizes"], "relu", "softmax", 0)
    _, gw, _ = net.loss_and_gradients(X[:50], y[:50], loss="cross_entropy")
    np.testing.assert_allclose([np.std(g) for g in gw], r["grad_std"], rtol=1e-12)
    W = net.weights[0]
    bloco = W[:3, :3].copy()

    def perda(b):
        W[:3, :3] = b
        return net.loss_and_gradients(X[:50], y[:50], loss="cross_entropy")[0]

    np.testing.assert_allclose(numerical_gradient(perda, bloco), gw[0][:3, :3], atol=1e-8)
    assert max(m.compute_digits_stats("pequena", "tanh", depth=6)["grad_std"]) < 1e-7


def _digits_figure(scheme, activation, depth):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=m.FIGSIZE_DIGITS)
    m.draw_digits_activations(fig, scheme, activation, depth)
    ax_h, ax_s = fig.axes
    info = {
        "ticks": [t.get_text() for t in ax_h.get_yticklabels()],
        "notes": [t.get_text() for t in ax_h.texts],
        "legend": [t.get_text() for t in ax_s.get_legend().get_texts()],
        "xlim": ax_h.get_xlim(),
        "xlabel": ax_h.get_xlabel(),
        "hist_colors": {matplotlib.colors.to_hex(p.get_facecolor()) for p in ax_h.patches},
        "line_colors": [matplotlib.colors.to_hex(line.get_color()) for line in ax_s.get_lines()],
    }
    plt.close(fig)
    return info


def test_widget_dos_digitos_mostra_gradientes_e_o_desvio_real_de_cada_camada():
    from coursekit.widgets._ui import BACKWARD, FORWARD, fmt

    f = _digits_figure("normal_padrao", "relu", 10)
    stds = m.compute_digits_stats("normal_padrao", "relu", depth=10)["act_std"]
    assert f["legend"] == ["ativações", "gradientes ∂J/∂W"]
    assert len(f["ticks"]) == 10 and len(f["notes"]) == 10
    # o desvio impresso em cada camada é o desvio REAL das ativações (nada dividido)
    assert all(note.startswith(f"desvio {fmt(sd, digits=2)} ·") for note, sd in zip(f["notes"], stds))
    assert all("% em 0" in note and "% > 4" in note for note in f["notes"][2:])
    assert "÷" not in f["xlabel"] and "mesmo eixo" in f["xlabel"]
    # as cores vêm da paleta do curso: ida = FORWARD, volta = BACKWARD
    assert f["hist_colors"] == {FORWARD.lower()} and f["line_colors"] == [FORWARD.lower(), BACKWARD.lower()]


@pytest.mark.parametrize("scheme", ["pequena", "he_normal", "normal_padrao", "zeros"])
def test_histogramas_dos_digitos_usam_um_eixo_comum_na_escala_real(scheme):
    """O padrão do widget não reescala as camadas: o eixo x é o mesmo para todo esquema e camada."""
    edges, *_ = m._digits_histograms(scheme, "relu", 6)
    np.testing.assert_allclose(edges, np.linspace(0.0, m.RELU_AXIS_MAX, 41))
    assert _digits_figure(scheme, "relu", 6)["xlim"] == (0.0, m.RELU_AXIS_MAX)
    edges, *_ = m._digits_histograms(scheme, "tanh", 6)
    np.testing.assert_allclose(edges, np.linspace(-1.0, 1.0, 41))


def test_sinal_que_some_colapsa_em_zero_e_o_que_explode_vai_para_a_borda():
    _, small, *_, beyond_small = m._digits_histograms("pequena", "relu", 6)
    _, he, *_, beyond_he = m._digits_histograms("he_normal", "relu", 6)
    _, big, *_, beyond_big = m._digits_histograms("normal_padrao", "relu", 6)
    _, sat, *_ = m._digits_histograms("normal_padrao", "tanh", 6)
    # pequena: da camada 2 em diante, todo valor > 0 cai na primeira barra (colado no 0)
    assert all(c[0] == c.sum() > 0 for c in small[1:])
    # He: cada camada se espalha pelo eixo, quase nada além dele
    assert all((c > 0).sum() >= 20 for c in he) and max(beyond_he) < 0.01
    # normal padrão + ReLU: da camada 3 em diante, quase tudo além do eixo (na última barra)
    assert all(c[-1] > 0.95 * c.sum() for c in big[2:]) and min(beyond_big[2:]) > 0.95
    assert max(beyond_small) == 0
    # normal padrão + tanh: saturada, a maior parte nas barras das pontas ±1
    assert all(c[0] + c[-1] > 0.6 * c.sum() for c in sat)


def test_compute_digits_histograms_e_o_que_o_widget_desenha():
    r = m.compute_digits_histograms("he_normal", "relu", 6)
    edges, counts, stds, *_ = m._digits_histograms("he_normal", "relu", 6)
    np.testing.assert_array_equal(r["edges"], edges)
    assert [c.sum() for c in r["counts"]] == [c.sum() for c in counts]
    np.testing.assert_allclose(r["act_std"], m.compute_digits_stats("he_normal", "relu", 6)["act_std"])
    assert 0.4 < r["zeros"].min() and r["zeros"].max() < 0.6  # a ReLU zera ~metade


def test_scheme_style_distinguishes_every_scheme_drawn_together():
    """Os oito esquemas têm estilos diferentes (a figura da aula 08 põe sete juntos); a cor
    é a da família (METHOD_STYLES) e uniforme × normal muda só o traço e o marcador."""
    from coursekit.widgets import METHOD_STYLES
    from coursekit.widgets import inicializacao as ini

    styles = [tuple(ini.scheme_style(s).values()) for s in ini.SCHEMES]
    assert len(set(styles)) == len(ini.SCHEMES)
    colors = {c for c, _, _ in METHOD_STYLES}
    assert {ini.scheme_style(s)["color"] for s in ini.SCHEMES} <= colors
    for family in ("xavier", "he"):
        uni, nor = ini.scheme_style(f"{family}_uniform"), ini.scheme_style(f"{family}_normal")
        assert uni["color"] == nor["color"] and (uni["ls"], nor["ls"]) == ("--", "-")
    with pytest.raises(ValueError, match="scheme"):
        ini.scheme_style("kaiming")
