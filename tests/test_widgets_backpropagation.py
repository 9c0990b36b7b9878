"""Testes das funções puras do widget de retropropagação (exemplo 2-3 dos slides)."""

import numpy as np
import pytest

from coursekit.widgets import backpropagation as bp


def test_first_iteration_matches_slide():
    h = bp.compute_history(0.05, n_iter=5)
    np.testing.assert_allclose(h["h"][0], [0.85, 0.48])
    assert np.isclose(h["o"][0], 0.191)
    assert np.isclose(h["error"][0], 0.5 * 0.809**2)
    assert np.isclose(h["delta"][0], -0.809)
    # gradientes: ΔW¹ = hᵀΔ, ΔW = xᵀ(Δ W¹ᵀ)
    np.testing.assert_allclose(h["grad_W1"][0], -0.809 * np.array([0.85, 0.48]))
    np.testing.assert_allclose(h["grad_W"][0], -0.809 * np.outer([2, 3], [0.14, 0.15]))
    # depois de uma atualização com α = 0.05 (valores do slide arredondados a 2 casas)
    np.testing.assert_allclose(h["W1"][1], [0.17, 0.17], atol=0.005)
    np.testing.assert_allclose(h["W"][1], [[0.12, 0.13], [0.23, 0.10]], atol=0.005)
    assert np.isclose(h["o"][1], 0.25574578, rtol=0, atol=5e-9)
    assert np.isclose(h["error"][1], 0.5 * (h["o"][1] - 1) ** 2)


def test_shapes_and_monotone_decrease_at_slide_alpha():
    h = bp.compute_history(0.05, n_iter=40)
    assert h["W"].shape == (41, 2, 2) and h["W1"].shape == (41, 2) and h["error"].shape == (41,)
    assert not h["diverged"]
    assert np.all(np.diff(h["error"]) < 0)
    assert h["error"][-1] < 1e-12


def test_small_alpha_is_slow():
    slow = bp.compute_history(0.01, n_iter=20)["error"][-1]
    fast = bp.compute_history(0.05, n_iter=20)["error"][-1]
    assert fast < slow < 0.327


def test_large_alpha_diverges_and_stops():
    h = bp.compute_history(0.6, n_iter=60)
    assert h["diverged"]
    assert len(h["error"]) < 61
    assert h["error"][-1] > 1e6
    assert np.all(np.isfinite(h["error"]))


def test_zero_iterations_and_bad_alpha():
    h = bp.compute_history(0.05, n_iter=0)
    assert h["error"].shape == (1,)
    with pytest.raises(ValueError):
        bp.compute_history(0.0)
    with pytest.raises(ValueError):
        bp.compute_history(0.05, n_iter=-1)


def test_draw_and_demos():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert set(bp.DEMOS) == {"backprop"} and bp.TRAINING_DEMOS == set()
    for _name, (draw, kwargs, figsize) in bp.DEMOS.items():
        fig = plt.figure(figsize=figsize)
        draw(fig, **kwargs)
        assert len(fig.axes) == 2
        plt.close(fig)
    fig = plt.figure()
    bp.draw_backprop(fig, iteration=60, alpha=0.6)  # iteração além do fim de um treino que divergiu
    plt.close(fig)


def test_widget_builds():
    box = bp.backprop_widget()
    assert "coursekit-widget" in box._dom_classes


def test_titulo_do_widget_usa_um_so_sinal_de_menos():
    import matplotlib.pyplot as plt

    fig = plt.figure()
    bp.draw_backprop(fig, iteration=0)
    titulo = fig.axes[0].get_title()
    plt.close(fig)
    assert "δ[2] = o − y = −0.809" in titulo and "η = 0.05" in titulo and "-" not in titulo


def test_erro_zero_exato_nao_vira_piso_falso():
    import matplotlib.pyplot as plt

    h = bp.compute_history(0.2, n_iter=60)
    k = int(np.argmax(h["error"] == 0))
    assert (
        h["error"][k] == 0 and 38 <= k <= 50
    )  # com α = 0.2 o erro chega a 0 exato (a aula: "por volta de 42")
    # o zero é exato por construção: |o − y| no nível do arredondamento vira 0, e depois tudo fica em 0
    assert np.all(h["error"][k:] == 0) and np.all(h["delta"][k:] == 0)
    assert np.all(np.abs(h["o"][k:] - 1) <= 4 * np.finfo(float).eps)
    piso = 0.5 * (4 * np.finfo(float).eps) ** 2  # o menor erro não nulo possível (≈ 3.9e-31)
    assert np.all(h["error"][:k] > 0.99 * piso)
    fig = plt.figure()
    bp.draw_backprop(fig, iteration=k, alpha=0.2)
    ax2 = fig.axes[1]
    curva = ax2.get_lines()[0].get_ydata()
    titulo = ax2.get_title()
    plt.close(fig)
    assert np.all(np.isnan(curva[k:])) and np.nanmin(curva) > 0.99 * piso  # a curva termina, sem piso falso
    assert "J = 0 exato" in titulo


def test_com_sigmoide_bate_com_a_conta_a_mao_da_aula():
    h = bp.compute_history(0.05, n_iter=3, activation="sigmoid")
    seis = {"rtol": 0, "atol": 5e-7}
    np.testing.assert_allclose(h["h"][0], [0.700567, 0.617748], **seis)
    assert np.isclose(h["o"][0], 0.190742, **seis) and np.isclose(h["error"][0], 0.327450, **seis)
    np.testing.assert_allclose(h["grad_W1"][0], [-0.566940, -0.499918], **seis)
    np.testing.assert_allclose(h["grad_W"][0], [[-0.047533, -0.057328], [-0.071299, -0.085993]], **seis)
    np.testing.assert_allclose(h["W1"][1], [0.168347, 0.174996], **seis)
    assert np.isclose(h["o"][1], 0.227354, **seis)
    # a identidade continua sendo o padrão, e o histórico diz qual ativação usou
    assert h["activation"] == "sigmoid" and bp.compute_history(0.05, n_iter=1)["activation"] == "identity"
    with pytest.raises(ValueError, match="activation"):
        bp.compute_history(0.05, activation="relu")


def test_widget_tem_o_menu_da_ativacao_e_o_titulo_diz_qual():
    import matplotlib.pyplot as plt

    box = bp.backprop_widget()
    labels = [c.description for row in box.children[:-1] for c in getattr(row, "children", [row])]
    assert "ativação escondida" in labels
    fig = plt.figure()
    bp.draw_backprop(fig, iteration=0, activation="sigmoid")
    titulo = fig.axes[0].get_title()
    plt.close(fig)
    assert titulo.startswith("sigmoide, iteração 0") and "−0.8093" in titulo


def test_cor_das_arestas_e_o_sinal_do_gradiente_na_paleta_do_curso():
    """Vermelho = gradiente positivo (o peso diminui), azul = negativo, como em todo o curso."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    from coursekit.widgets._ui import FORWARD, NEGATIVE, TRAIN, sign_color

    grad_W = np.array([[0.5, -0.2], [-0.1, 0.3]])
    grad_W1 = np.array([-0.4, 0.6])
    fig, ax = plt.subplots()
    bp.draw_network(ax, [[0.11, 0.12], [0.21, 0.08]], [0.14, 0.15], grad_W=grad_W, grad_W1=grad_W1)
    cores = [to_hex(line.get_color()) for line in ax.get_lines()]
    assert any("vermelho: gradiente > 0" in t.get_text() for t in ax.texts)  # a cor tem legenda
    plt.close(fig)
    fig, ax = plt.subplots()
    bp.draw_network(ax, [[0.11, 0.12], [0.21, 0.08]], [0.14, 0.15])  # sem gradiente: sem legenda de cor
    assert not any("vermelho" in t.get_text() for t in ax.texts)
    plt.close(fig)
    # ordem das arestas: x1→h1, x1→h2, x2→h1, x2→h2, h1→o, h2→o
    sinais = list(grad_W.ravel()) + list(grad_W1)
    assert cores == [to_hex(sign_color(g)) for g in sinais]
    # na iteração 0 todo gradiente é negativo: todas as arestas azuis (pergunta 2 da aula)
    fig = plt.figure(figsize=bp.FIGSIZE)
    bp.draw_backprop(fig, iteration=0)
    ax1, ax2 = fig.axes
    assert {to_hex(line.get_color()) for line in ax1.get_lines()} == {NEGATIVE.lower()}
    assert to_hex(ax2.get_lines()[0].get_color()) == TRAIN.lower()
    assert any("vermelho: gradiente > 0" in t.get_text() for t in ax1.texts)
    assert "círculo preto" in ax2.get_title()
    plt.close(fig)
    # grafo computacional: valores (ida) e gradientes (volta) nas cores FORWARD e BACKWARD
    fig, ax = plt.subplots()
    bp.draw_computational_graph(ax, {"x": "(2, 3)"}, {"Erro": "1"})
    from coursekit.widgets._ui import BACKWARD

    cores = {t.get_text(): to_hex(t.get_color()) for t in ax.texts}
    plt.close(fig)
    assert cores["(2, 3)"] == FORWARD.lower() and cores["1"] == BACKWARD.lower()
