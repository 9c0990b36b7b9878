import numpy as np
import pytest

from coursekit.widgets import perceptron as g


def test_decision_line_cases():
    xs, ys = g.decision_line([1.0, 2.0], -4.0, (0.0, 4.0))
    np.testing.assert_allclose(ys, [2.0, 0.0])  # x₁ + 2x₂ − 4 = 0
    xs, ys = g.decision_line([2.0, 0.0], -4.0, (0.0, 4.0))
    assert ys is None and np.allclose(xs, 2.0)  # vertical: x₁ = 2
    assert g.decision_line([0.0, 0.0], 1.0, (0.0, 1.0)) is None


def test_separable_moons_converge():
    r = g.compute_moons(distance=1.0, radius=10.0, width=6.0, epochs=10)
    assert r["converged"] and r["errors"][-1] == 0
    assert r["train_errors"] == 0 and r["accuracy"] == 1.0
    assert r["X"].shape == (400, 2)


def test_points_on_line_side_match_labels():
    r = g.compute_moons(distance=1.0, epochs=10)
    v = r["X"] @ r["coef"] + r["intercept"]
    assert np.all(np.sign(v) == r["y"])


@pytest.mark.parametrize("epochs", [5, 30])
def test_overlapping_moons_never_converge(epochs):
    r = g.compute_moons(distance=-4.0, radius=10.0, width=6.0, epochs=epochs)
    assert not r["converged"]
    assert len(r["errors"]) == epochs and np.all(r["errors"] > 0)
    assert r["train_errors"] > 0


def test_draw_at_defaults_and_other_settings():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert set(g.DEMOS) == {"luas"} and g.TRAINING_DEMOS == set()
    draw, kwargs, figsize = g.DEMOS["luas"]
    for kw in (kwargs, {**kwargs, "distance": -4.0}):
        fig = plt.figure(figsize=figsize, layout="constrained")
        draw(fig, **kw)
        assert fig.axes
        plt.close(fig)


def test_widget_builds():
    box = g.perceptron_widget()
    assert "coursekit-widget" in box._dom_classes


def test_is_separable_on_hand_made_cases():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    assert not g.is_separable(X, np.array([-1, -1, 1, 1]))  # o XOR
    assert g.is_separable(X, np.array([-1, 1, 1, 1]))  # o OU
    assert not g.is_separable(np.array([[0.0, 0.0], [0.0, 0.0]]), np.array([1, -1]))  # mesmo ponto


def test_distance_zero_is_separable_but_needs_many_epochs():
    """A armadilha da aula 05: com d = 0 o perceptron não zera em 30 épocas, mas as luas são
    separáveis (a reta x₂ ≈ 0 separa) e com 100 épocas ele converge."""
    r30 = g.compute_moons(distance=0.0, epochs=30)
    assert not r30["converged"] and r30["separable"]
    assert 0 < r30["margin"] < 0.1
    title = g.moons_verdict(r30, 30)
    assert "É separável" in title and "NÃO" not in title and g.verdict_color(r30) == "0.4"
    r100 = g.compute_moons(distance=0.0, epochs=100)
    assert r100["converged"] and len(r100["errors"]) < 100


@pytest.mark.parametrize("distance", [-4.0, -1.0])
def test_overlapping_moons_are_not_separable(distance):
    r = g.compute_moons(distance=distance, epochs=10)
    assert not r["separable"] and r["margin"] is None
    assert "NÃO é separável" in g.moons_verdict(r, 10) and g.verdict_color(r) == "black"


def test_margin_bound_holds_and_grows_as_the_gap_closes():
    """Teorema de convergência: nº de correções ≤ (R/γ)²; a cota cresce quando γ → 0."""
    from coursekit.data import double_moons
    from coursekit.linear import Perceptron

    bounds = {}
    for d in (1.0, 0.0):
        X, y = double_moons(n=400, distance=d, seed=0)
        gamma, R, bound = g.horizontal_margin(X, y)
        model = Perceptron(epochs=200, seed=0).fit(X, y)
        assert model.errors_[-1] == 0 and sum(model.errors_) <= bound
        X_aug = np.column_stack([X, np.ones(len(X))])
        assert np.isclose(R, np.linalg.norm(X_aug, axis=1).max())
        bounds[d] = bound
    assert bounds[0.0] > 20 * bounds[1.0]


def test_draw_update_shows_the_point_changing_side():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(9.5, 4.6))
    x = np.array([1.0, 1.5])
    (w0, b0, _), (w1, b1, _) = g.draw_update(fig, [1.0, -2.0], 0.5, x, 1)
    assert x @ w0 + b0 < 0 <= x @ w1 + b1 and np.allclose(w1, [2.0, -0.5]) and b1 == 1.5
    assert len(fig.axes) == 2 and all(ax.get_legend() is not None for ax in fig.axes)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(9.5, 4.2))
    g.draw_neuron(ax)
    assert any("sinal" in t.get_text() for t in ax.texts)
    plt.close(fig)


def test_cores_das_classes_vem_da_paleta():
    """−1 é a classe 0 (laranja), +1 a classe 1 (roxo), de CLASS_COLORS; os semiplanos são essas
    cores clareadas; nenhum vermelho ou azul (que são sinal) nem verde (treino)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_hex, to_rgb
    from matplotlib.figure import Figure

    from coursekit.widgets._ui import CLASS_COLORS

    fig = Figure(figsize=(9.5, 4.2))
    FigureCanvasAgg(fig)
    g.draw_moons(fig)
    cores = {line.get_label(): to_hex(line.get_color()) for line in fig.axes[0].lines}
    assert cores["lua de cima (+1)"] == CLASS_COLORS[1].lower()
    assert cores["lua de baixo (−1)"] == CLASS_COLORS[0].lower()
    assert fig.axes[1].title.get_color() in ("black", "0.4")

    fig = Figure(figsize=(9.5, 4.6))
    FigureCanvasAgg(fig)
    g.draw_update(fig, [1.0, -2.0], 0.5, np.array([1.0, 1.5]), 1)
    ax = fig.axes[0]
    ponto = next(line for line in ax.lines if line.get_label().startswith("x (classe +1)"))
    assert to_hex(ponto.get_color()) == CLASS_COLORS[1].lower()
    lados = {c.get_label(): np.array(to_rgb(c.get_facecolor()[0])) for c in ax.collections}
    for rotulo, cor in (("lado −1", CLASS_COLORS[0]), ("lado +1", CLASS_COLORS[1])):
        np.testing.assert_allclose(lados[rotulo], 0.25 * np.array(to_rgb(cor)) + 0.75)
