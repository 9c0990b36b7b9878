import numpy as np
import pytest

from coursekit.widgets import regressao_logistica as g


def test_binary_iris():
    X, y = g.binary_iris((2, 3), (1, 2))
    assert X.shape == (100, 2) and set(np.unique(y)) == {0, 1} and y.sum() == 50


def test_confusion_counts():
    c = g.confusion_counts([1, 1, 0, 0, 1], [1, 0, 0, 1, 1])
    assert c == {"vp": 2, "fp": 1, "fn": 1, "vn": 1, "acuracia": 0.6}


def test_boundary_default_values():
    r = g.compute_boundary(0.5)
    c = r["counts"]
    assert c["vp"] + c["fp"] + c["fn"] + c["vn"] == 100
    assert c["acuracia"] >= 0.93
    assert r["pp"].shape == r["xx"].shape
    assert np.all((r["pp"] >= 0) & (r["pp"] <= 1))
    # as previsões seguem o limiar sobre as probabilidades
    np.testing.assert_array_equal(r["y_pred"], (r["proba"] >= 0.5).astype(int))


def test_threshold_moves_counts_monotonically():
    low, high = g.compute_boundary(0.1), g.compute_boundary(0.9)
    assert low["counts"]["fn"] <= high["counts"]["fn"]
    assert low["counts"]["fp"] >= high["counts"]["fp"]
    assert (low["counts"]["vp"] + low["counts"]["fp"]) > (high["counts"]["vp"] + high["counts"]["fp"])


def test_separable_pair_is_perfect():
    r = g.compute_boundary(0.5, features=(2, 3), classes=(0, 1))
    assert r["counts"]["acuracia"] == 1.0


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.2, 1.5])
def test_bad_threshold(bad):
    with pytest.raises(ValueError, match="threshold"):
        g.compute_boundary(bad)


def test_draw_at_defaults_and_other_settings():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert set(g.DEMOS) == {"fronteira"} and g.TRAINING_DEMOS == set()
    draw, kwargs, figsize = g.DEMOS["fronteira"]
    fig = plt.figure(figsize=g.FIGSIZE, layout="constrained")
    draw(fig, **kwargs)  # aquece o cache do modelo
    plt.close(fig)
    fig = plt.figure(figsize=g.FIGSIZE, layout="constrained")
    draw(fig, threshold=0.3, pair="pétalas", classes="versicolor × virginica")
    assert fig.axes
    plt.close(fig)


def test_widget_builds():
    box = g.logistica_widget()
    assert "coursekit-widget" in box._dom_classes


def test_boundary_line_is_where_probability_equals_threshold():
    """A fronteira desenhada (uma reta, sem contour) passa onde P(y=1|x) = limiar."""
    for features, classes in (((2, 3), (1, 2)), ((0, 1), (0, 1))):
        r = g.compute_boundary(0.5, features, classes)
        extent = (r["xx"][0, 0], r["xx"][0, -1], r["yy"][0, 0], r["yy"][-1, 0])
        model, center, scale = g._fitted(features, classes)
        for t in (0.2, 0.5, 0.8):
            xs, ys = g.boundary_line(t, features, classes, extent)
            pts = np.column_stack([np.linspace(*xs, 5), np.linspace(*ys, 5)])
            assert np.allclose(model.predict_proba((pts - center) / scale)[:, 1], t)


def _lines_and_title(threshold):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=g.FIGSIZE, layout="constrained")
    g.draw_boundary(fig, threshold=threshold)
    ax1 = fig.axes[0]
    dashed = [ln for ln in ax1.lines if ln.get_linestyle() == "--"]
    title = ax1.get_title()
    plt.close(fig)
    return dashed, title


def test_no_redundant_dashed_line_at_half():
    """No limiar 0.5 a reta tracejada (a de 0.5) coincidiria com a preta: não é desenhada."""
    dashed, title = _lines_and_title(0.5)
    assert dashed == [] and "tracejada" not in title
    dashed, title = _lines_and_title(0.3)
    assert len(dashed) == 1 and "tracejada" in title and "0.3" in title


def test_one_vs_rest_lines_are_where_each_judge_says_half():
    model, X, y, center, scale = g.fit_one_vs_rest((2, 3))
    assert model.coef_.shape == (3, 2)
    extent = (0.0, 8.0, -1.0, 3.0)
    for k, (xs, ys) in enumerate(g.one_vs_rest_lines(model, center, scale, extent)):
        pts = np.column_stack([np.linspace(*xs, 7), np.linspace(*ys, 7)])
        z = model.decision_function((pts - center) / scale)[:, k]
        np.testing.assert_allclose(z, 0.0, atol=1e-9)  # σ(z) = 0.5 na reta do juiz k


def test_one_vs_rest_regions_are_the_argmax():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(9.5, 4.2), layout="constrained")
    model, regions = g.draw_one_vs_rest(fig, n_grid=50)
    assert len(fig.axes) == 2 and fig.get_size_inches()[0] <= 9.5
    assert all(ax.get_legend() is not None for ax in fig.axes)
    plt.close(fig)
    assert regions.shape == (50, 50) and set(np.unique(regions)) == {0, 1, 2}
    _, X, y, center, scale = g.fit_one_vs_rest((2, 3))
    proba = model.predict_proba((X - center) / scale)
    np.testing.assert_array_equal(model.predict((X - center) / scale), proba.argmax(axis=1))
    assert np.mean(proba.argmax(axis=1) == y) > 0.9


def test_cores_das_classes_vem_da_paleta():
    """Classe 0 em laranja, classe 1 em roxo (CLASS_COLORS), fundo P(classe 1) no CLASS_CMAP e a
    matriz de confusão em COUNT_CMAP; nas três espécies, nenhuma em vermelho ou azul."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure

    from coursekit.widgets._ui import CLASS_2, CLASS_CMAP, CLASS_COLORS, COUNT_CMAP, NEGATIVE, POSITIVE

    fig = Figure(figsize=g.FIGSIZE)
    FigureCanvasAgg(fig)
    g.draw_boundary(fig)
    ax1, ax2 = fig.axes
    classes = {
        line.get_label(): to_hex(line.get_color()) for line in ax1.lines if line.get_marker() in ("o", "^")
    }
    assert classes["versicolor"] == CLASS_COLORS[0].lower()  # a classe 0 do par padrão
    assert classes["virginica"] == CLASS_COLORS[1].lower()
    assert ax1.images[0].get_cmap().name == f"{CLASS_CMAP}_claro"
    assert ax2.images[0].get_cmap().name == COUNT_CMAP
    assert "de laranja (0) a roxo (1)" in ax1.get_title()

    fig = Figure(figsize=(9.5, 4.2))
    FigureCanvasAgg(fig)
    g.draw_one_vs_rest(fig, n_grid=20)
    cores = {to_hex(line.get_color()) for ax in fig.axes for line in ax.lines}
    assert cores == {CLASS_COLORS[0].lower(), CLASS_COLORS[1].lower(), CLASS_2.lower()}
    assert not cores & {POSITIVE.lower(), NEGATIVE.lower()}
