"""Testes das funções puras do playground de MLP."""

import numpy as np
import pytest

from coursekit.widgets import mlp


@pytest.mark.parametrize("name", mlp.DATASETS)
def test_datasets_shapes_balance_and_seed(name):
    X, y = mlp.make_dataset(name, n=200, seed=0)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert 80 <= y.sum() <= 120
    assert np.abs(X).max() < 1.5
    X2, y2 = mlp.make_dataset(name, n=200, seed=0)
    np.testing.assert_array_equal(X, X2)
    X3, _ = mlp.make_dataset(name, n=200, seed=1)
    assert not np.allclose(X, X3)


def test_bad_dataset_name():
    with pytest.raises(ValueError):
        mlp.make_dataset("lua", n=200)


def test_playground_learns_xor_and_is_cached():
    mlp._CACHE.clear()  # outro teste (ou a aula, no mesmo processo) pode já ter treinado esta configuração
    calls = []
    r = mlp.compute_playground(
        "XOR",
        width=8,
        depth=2,
        activation="tanh",
        lr=0.03,
        epochs=200,
        callback=lambda done, total: calls.append((done, total)),
    )
    assert calls[-1] == (200, 200) and len(calls) == 200
    assert r["accuracy"] > 0.95
    assert r["loss_history"].shape == (200,)
    assert r["loss_history"][-1] < r["loss_history"][0]
    assert r["proba"].shape == (60, 60) and r["xx"].shape == (60, 60)
    assert np.all((r["proba"] >= 0) & (r["proba"] <= 1))
    assert r["n_params"] == (2 + 1) * 8 + (8 + 1) * 8 + (8 + 1) * 1
    again = mlp.compute_playground("XOR", width=8, depth=2, activation="tanh", lr=0.03, epochs=200)
    assert again is r  # do cache: nada é treinado de novo


def test_linear_network_cannot_solve_xor_or_circles():
    for name in ("XOR", "círculos"):
        r = mlp.compute_playground(name, width=8, depth=2, activation="identity", lr=0.03, epochs=100)
        assert r["accuracy"] < 0.8


def test_no_hidden_layer_is_logistic_regression():
    r = mlp.compute_playground("XOR", width=4, depth=0, activation="relu", lr=0.03, epochs=50)
    assert r["layer_sizes"] == [2, 1] and r["n_params"] == 3
    assert r["accuracy"] < 0.8


def test_spiral_needs_capacity():
    small = mlp.compute_playground("espiral", width=2, depth=1, activation="tanh", lr=0.03, epochs=100)
    big = mlp.compute_playground("espiral", width=8, depth=2, activation="tanh", lr=0.03, epochs=200)
    assert small["accuracy"] < 0.85 < big["accuracy"]


def test_draw_and_demos():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert set(mlp.DEMOS) == {"playground"} and mlp.TRAINING_DEMOS == {"playground"}
    for _name, (draw, kwargs, figsize) in mlp.DEMOS.items():
        fig = plt.figure(figsize=figsize)
        draw(fig, **kwargs)
        assert len(fig.axes) >= 2
        plt.close(fig)


def test_widget_builds():
    box = mlp.mlp_widget()
    assert "coursekit-widget" in box._dom_classes


@pytest.mark.parametrize("name", mlp.DATASETS)
def test_noise_zero_keeps_the_points_and_noise_adds_gaussian_noise(name):
    X0, y0 = mlp.make_dataset(name, n=400, seed=0)
    Xz, yz = mlp.make_dataset(name, n=400, seed=0, noise=0.0)
    np.testing.assert_array_equal(X0, Xz)
    np.testing.assert_array_equal(y0, yz)
    Xn, yn = mlp.make_dataset(name, n=400, seed=0, noise=0.2)
    np.testing.assert_array_equal(y0, yn)
    assert abs((Xn - X0).std() - 0.2) < 0.02 and abs((Xn - X0).mean()) < 0.03


@pytest.mark.parametrize("bad", [-0.1, 1.5, "0.1", True])
def test_bad_noise(bad):
    with pytest.raises(ValueError, match="noise"):
        mlp.make_dataset("XOR", n=20, noise=bad)


def test_test_set_is_fresh_points_from_the_same_problem():
    r = mlp.compute_playground("duas luas", width=4, depth=1, activation="tanh", lr=0.03, epochs=25)
    assert r["X_test"].shape == (200, 2) and r["y_test"].shape == (200,)
    shared = {tuple(p) for p in r["X"]} & {tuple(p) for p in r["X_test"]}
    assert not shared  # nenhum ponto de teste aparece no treino
    assert r["test_loss_history"].shape == r["loss_history"].shape == (25,)
    assert 0.0 <= r["test_accuracy"] <= 1.0


def test_noise_shows_overfitting_on_test_data():
    """Com ruído, uma rede grande acerta o treino mais que o teste, e a perda de teste sobe acima do seu
    mínimo, que vem cedo: o padrão que a aula 06 descreve vale em 5 sementes, não só na do laboratório."""
    for seed in range(5):
        r = mlp.compute_playground(
            "XOR", width=16, depth=3, activation="relu", lr=0.03, epochs=800, noise=0.3, seed=seed
        )
        train, test = r["loss_history"], r["test_loss_history"]
        assert r["accuracy"] - r["test_accuracy"] > 0.01, seed
        assert test.argmin() < 200 and test[-1] > 1.5 * test.min(), seed
        assert train[-1] < test[-1] / 2, seed
        calm = mlp.compute_playground(
            "XOR", width=16, depth=3, activation="relu", lr=0.001, epochs=800, noise=0.3, seed=seed
        )["loss_history"]
        assert np.max(calm[1:] / calm[:-1]) < 1.5, seed  # com taxa 0.001 os picos da perda de treino somem
    clean = mlp.compute_playground("XOR", width=8, depth=2, activation="tanh", lr=0.03, epochs=200)
    assert clean["accuracy"] == clean["test_accuracy"] == 1.0


def test_lecture_claims_hold_for_other_seeds():
    """As frases da aula 06 sobre o laboratório que dizem "com outras sementes": identidade longe de 100%,
    profundidade 0 só resolve as luas, círculos ao acaso em torno de 50%, taxa 0.3 centenas de vezes melhor."""
    for seed in range(1, 5):
        for name in ("XOR", "círculos"):
            assert mlp.compute_playground(name, 8, 2, "identity", 0.03, 200, seed=seed)["accuracy"] < 0.75
    circles = []
    for seed in range(5):
        acc = {
            name: mlp.compute_playground(name, 8, 0, "tanh", 0.03, 200, seed=seed)["accuracy"]
            for name in mlp.DATASETS
        }
        assert acc["duas luas"] > 0.85 and max(acc["XOR"], acc["círculos"], acc["espiral"]) < 0.75, seed
        circles.append(acc["círculos"])
        slow = mlp.compute_playground("XOR", 8, 2, "tanh", 0.001, 200, seed=seed)["loss_history"][-1]
        fast = mlp.compute_playground("XOR", 8, 2, "tanh", 0.3, 200, seed=seed)["loss_history"][-1]
        assert fast < slow / 100, seed
    assert min(circles) < 0.5 < max(circles)


def test_depth_zero_ignores_width_and_activation():
    """Sem camada escondida, largura e ativação não entram na rede: o mesmo resultado (e a mesma entrada
    do cache), e o título diz que não há camada escondida."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    a = mlp.compute_playground("duas luas", width=3, depth=0, activation="relu", lr=0.03, epochs=25)
    b = mlp.compute_playground("duas luas", width=16, depth=0, activation="sigmoid", lr=0.03, epochs=25)
    assert a is b and a["layer_sizes"] == [2, 1]
    fig = plt.figure(figsize=mlp.FIGSIZE)
    mlp.draw_playground(fig, "duas luas", 16, 0, "sigmoid", 0.03, 25)
    assert "sem camada escondida" in fig.axes[1].get_title()
    plt.close(fig)


def test_widget_disables_width_and_activation_at_depth_zero():
    box = mlp.mlp_widget()
    width, activation, depth = (box.controls[k] for k in ("width", "activation", "depth"))
    assert depth.value == 2 and not width.disabled and not activation.disabled
    with box.hold():  # sem redesenhar a cada mudança
        depth.value = 0
    assert width.disabled and activation.disabled
    with box.hold():
        depth.value = 1
    assert not width.disabled and not activation.disabled


def test_loss_panel_marks_the_test_minimum():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = mlp.compute_playground("XOR", width=16, depth=3, activation="relu", lr=0.03, epochs=800, noise=0.3)
    fig = plt.figure(figsize=mlp.FIGSIZE)
    mlp.draw_playground(fig, "XOR", 16, 3, "relu", 0.03, 800, noise=0.3)
    (marker,) = [line for line in fig.axes[1].lines if line.get_label().startswith("mínimo do teste")]
    best = int(r["test_loss_history"].argmin())
    assert marker.get_label() == f"mínimo do teste (época {best + 1})"
    np.testing.assert_allclose(marker.get_xydata(), [[best + 1, r["test_loss_history"].min()]])
    plt.close(fig)


def test_linear_boundary_outside_the_window_is_explained():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    r = mlp.compute_playground("círculos", width=8, depth=2, activation="identity", lr=0.03, epochs=200)
    assert not r["boundary_visible"] and not (r["proba"].min() < 0.5 < r["proba"].max())
    fig = plt.figure(figsize=mlp.FIGSIZE)
    mlp.draw_playground(fig, "círculos", 8, 2, "identity", 0.03, 200)
    assert any("fora da janela" in t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)
    assert mlp.compute_playground("XOR", width=8, depth=2, activation="tanh", lr=0.03, epochs=200)[
        "boundary_visible"
    ]


def _xor_by_hand():
    from coursekit.nn import MLP

    net = MLP([2, 2, 1], activation="relu")
    net.weights = [np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([[1.0], [-2.0]])]
    net.biases = [np.array([0.0, -1.0]), np.array([0.0])]
    return net


def test_hidden_space_makes_xor_linearly_separable():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from coursekit import data

    X, y = data.xor()
    net = _xor_by_hand()
    H = mlp.hidden_representation(net, X)
    np.testing.assert_allclose(H, [[0, 0], [1, 0], [1, 0], [2, 1]])
    side = H[:, 0] - 2 * H[:, 1] > 0.5  # a reta h₁ − 2h₂ = 1/2 separa as classes
    np.testing.assert_array_equal(side, y == 1)
    fig = plt.figure(figsize=(9.5, 5))
    H2 = mlp.draw_hidden_space(fig, net, X, y)
    np.testing.assert_array_equal(H, H2)
    assert len(fig.axes) == 2 and all(ax.get_legend() is not None for ax in fig.axes)
    labels = [t.get_text() for t in fig.axes[1].texts]
    assert "(0, 1) e (1, 0)" in labels and len(labels) == 3  # pontos coincidentes: um rótulo só
    assert any("h₁ − 2·h₂ = 0.5" in t.get_text() for t in fig.axes[1].get_legend().get_texts())
    plt.close(fig)


def test_hidden_space_rejects_other_shapes():
    from coursekit.nn import MLP

    with pytest.raises(ValueError, match="camada escondida"):
        mlp.hidden_representation(MLP([2, 1]), np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"\[2, 2, 1\]"):
        mlp.draw_hidden_space(None, MLP([2, 3, 1]), np.zeros((1, 2)), np.zeros(1))


def test_linear_text():
    assert mlp.linear_text([1, -2], ("h₁", "h₂")) == "h₁ − 2·h₂"
    assert mlp.linear_text([-0.5, 1], ("a", "b")) == "−0.5·a + b"
    assert mlp.linear_text([0, 0], ("a", "b")) == "0"


def test_learned_hidden_space_groups_nearby_points():
    """A 2-2-1 sigmoide treinada no XOR leva (0, 0) e (1, 1) para quase o mesmo ponto: um rótulo só."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from coursekit import data
    from coursekit.nn import MLP, SGD

    X, y = data.xor()
    net = MLP([2, 2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    net.fit(X, y, loss="bce", optimizer=SGD(1.0), epochs=2000, batch_size=4, seed=0)
    fig = plt.figure(figsize=(9.5, 5))
    H = mlp.draw_hidden_space(fig, net, X, y, threshold=0.0)
    labels = sorted(t.get_text() for t in fig.axes[1].texts)
    plt.close(fig)
    assert labels == ["(0, 0) e (1, 1)", "(0, 1)", "(1, 0)"]
    w, b = net.weights[1][:, 0], net.biases[1][0]
    np.testing.assert_array_equal(H @ w + b > 0, y == 1)  # a reta da saída (z = 0) separa


def test_cores_das_classes_vem_da_paleta():
    """Classe 0 em laranja e classe 1 em roxo (CLASS_COLORS), fundo P(classe 1) no CLASS_CMAP,
    curvas de treino/teste em TRAIN/TEST; nada em vermelho ou azul."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure

    from coursekit import data
    from coursekit.widgets._ui import CLASS_CMAP, CLASS_COLORS, TEST, TRAIN

    fig = Figure(figsize=(9.5, 4.2))
    FigureCanvasAgg(fig)
    mlp.draw_playground(fig, epochs=20)
    ax1, ax2 = fig.axes[:2]
    cores = {line.get_label(): to_hex(line.get_color()) for line in ax1.lines}
    assert cores["classe 0"] == CLASS_COLORS[0].lower() and cores["classe 1"] == CLASS_COLORS[1].lower()
    assert ax1.images[0].get_cmap().name == CLASS_CMAP
    curvas = {line.get_label(): to_hex(line.get_color()) for line in ax2.lines}
    assert curvas["treino"] == TRAIN.lower() and curvas["teste (pontos novos)"] == TEST.lower()

    X, y = data.xor()
    fig = Figure(figsize=(9.5, 5))
    FigureCanvasAgg(fig)
    mlp.draw_hidden_space(fig, _xor_by_hand(), X, y)
    for ax in fig.axes:
        pontos = {c.get_label(): to_hex(c.get_facecolor()[0]) for c in ax.collections}
        assert pontos == {"classe 0": CLASS_COLORS[0].lower(), "classe 1": CLASS_COLORS[1].lower()}
