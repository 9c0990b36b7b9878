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
