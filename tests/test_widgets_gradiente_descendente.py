import numpy as np
import pytest

from coursekit.linear import LinearRegression, normal_equation
from coursekit.nn import half_mse
from coursekit.widgets import gradiente_descendente as g


def test_widget_data_shapes_and_seed():
    X, y = g.widget_data()
    assert X.shape == (48, 1) and y.shape == (48,)
    X2, y2 = g.widget_data()
    np.testing.assert_array_equal(y, y2)


def test_cost_grid_matches_half_mse():
    X, y = g.widget_data()
    W = np.array([[0.0, 1.5], [2.0, -1.0]])
    B = np.array([[0.0, 0.3], [1.0, 4.0]])
    J = g.cost_grid(X, y, W, B)
    for i in range(2):
        for j in range(2):
            expected = half_mse(y, W[i, j] * X[:, 0] + B[i, j])
            assert np.isclose(J[i, j], expected)


def test_epochs_to_reach():
    assert g.epochs_to_reach([5.0, 3.0, 1.0, 0.5], 1.0) == 3
    assert g.epochs_to_reach([5.0, 3.0], 1.0) is None
    assert g.epochs_to_reach([np.inf, np.nan], 1.0) is None


def test_record_path_core_change():
    """LinearRegression(record_path=True): uma linha por atualização, igual ao coef_ final."""
    X, y = g.widget_data()
    m = LinearRegression(solver="gd", lr=0.1, epochs=3, batch_size=24, record_path=True).fit(X, y)
    assert m.path_.shape == (1 + 3 * 2, 2)
    np.testing.assert_array_equal(m.path_[0], [0.0, 0.0])
    np.testing.assert_allclose(m.path_[-1], [m.coef_[0], m.intercept_])
    assert not hasattr(LinearRegression(solver="gd", epochs=2).fit(X, y), "path_")


def test_compute_converges_to_normal_equation():
    r = g.compute_gd(lr=0.3, batch_size=None, epochs=25)
    X, y = g.widget_data()
    coef, b = normal_equation(X, y)
    assert not r["diverged"]
    assert np.isclose(r["w_star"], coef[0]) and np.isclose(r["b_star"], b)
    assert abs(r["w"] - coef[0]) < 0.05 and abs(r["b"] - b) < 0.1
    assert r["path"].shape == (26, 2)
    assert len(r["loss"]) == 25
    assert np.all(np.diff(r["loss"]) <= 1e-12)  # lote inteiro, taxa boa: J só desce
    assert r["J"].shape == r["W"].shape == r["B"].shape


@pytest.mark.parametrize("bs, per_epoch", [(None, 1), (24, 2), (8, 6), (1, 48)])
def test_updates_per_epoch(bs, per_epoch):
    r = g.compute_gd(lr=0.01, batch_size=bs, epochs=2)
    assert r["n_updates"] == per_epoch
    assert len(r["path"]) == 1 + 2 * per_epoch


def test_small_learning_rate_is_slow():
    r = g.compute_gd(lr=0.001, batch_size=None, epochs=20)
    assert not r["diverged"]
    assert r["loss"][-1] > 10 * r["j_star"]


@pytest.mark.parametrize("lr, bs", [(0.5, None), (1.0, None), (1.0, 1), (0.5, 24), (0.45, 1)])
def test_divergence_is_graceful(lr, bs):
    """Taxa alta demais: sinaliza divergência, sem avisos (RuntimeWarning vira erro)."""
    r = g.compute_gd(lr=lr, batch_size=bs, epochs=25)
    assert r["diverged"] and r["exploded"]
    assert np.all(np.isfinite(r["path"])) and np.all(np.abs(r["path"]) < 1e6)
    assert np.all(np.isfinite(r["loss"]))


def test_below_stability_limit_converges():
    # 2/λ_max ≈ 0,49 para estes dados: 0,45 ainda converge (em zigue-zague)
    r = g.compute_gd(lr=0.45, batch_size=None, epochs=25)
    assert not r["diverged"]
    X, _ = g.widget_data()
    X_til = np.column_stack([X, np.ones(len(X))])
    assert 0.45 < 2 / np.linalg.eigvalsh(X_til.T @ X_til / len(X)).max() < 0.5


@pytest.mark.parametrize("lr, bs", [(0.5, 8), (0.3, 1)])
def test_runaway_oscillation_is_flagged(lr, bs):
    """Lote 8 com η = 0,5 (e lote 1 com η = 0,3) não explodem, mas J volta a subir para mais de
    10× o menor valor já visto: o widget avisa em vez de mostrar "w = …, b = …" como se fosse
    um bom resultado (o texto da aula 03 diz isso)."""
    r = g.compute_gd(lr=lr, batch_size=bs, epochs=20)
    assert r["diverged"] and not r["exploded"]
    assert np.all(np.isfinite(r["loss"])) and r["loss"].max() > 10 * r["j_star"]


@pytest.mark.parametrize("lr, bs", [(0.45, 24), (0.45, 8), (0.1, 1), (0.3, 8), (0.001, None)])
def test_jitter_and_slowness_are_not_flagged(lr, bs):
    for epochs in (1, 5, 20, 25):
        assert not g.compute_gd(lr=lr, batch_size=bs, epochs=epochs)["diverged"]


def test_runaway():
    assert not g.runaway([5.0, 3.0, 1.0, 0.5])  # só desce
    assert not g.runaway([5.0, 0.2, 1.5, 0.3])  # treme, mas menos de 10×
    assert g.runaway([5.0, 0.2, 2.5, 0.3])  # voltou a subir para mais de 10× o menor
    assert g.runaway([1.0, np.inf]) and not g.runaway([]) and not g.runaway([3.0])
    assert g.runaway([5.0, 0.2, 1.5], factor=5)


def test_draw_survives_diverging_learning_rate():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert set(g.DEMOS) == {"gradiente"} and g.TRAINING_DEMOS == set()
    for lr, bs, label in ((0.1, None, None), (1.0, None, "divergiu!"), (0.5, 8, "oscila fora de controle!")):
        fig = plt.figure(figsize=g.FIGSIZE, layout="constrained")
        g.draw_gd(fig, lr=lr, batch_size=bs, epochs=20)  # lr = 1.0 diverge: sem avisos
        texts = [t for t in fig.axes[0].texts if t.get_text() == label]
        if label is None:
            assert not fig.axes[0].texts and "w =" in fig.axes[1].get_title()
        else:
            assert texts and texts[0].get_zorder() >= 10 and texts[0].get_bbox_patch() is not None
            assert fig.axes[1].get_title().startswith(label)
        plt.close(fig)
    draw, kwargs, figsize = g.DEMOS["gradiente"]
    fig = plt.figure()
    draw(fig, **kwargs)
    plt.close(fig)


def test_figure_uses_the_course_palette():
    """Só a paleta do curso: a curva de J (custo no treino) em TRAIN; caminho, estrela, curvas de
    nível e aviso de divergência sem matiz (cinzas, preto e branco)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure

    from coursekit.widgets import TRAIN

    def gray(color):
        r, g_, b = to_rgb(color)
        return r == g_ == b

    grays = [float(c) for c in g.contour_colors(14)]
    assert all(b < a for a, b in zip(grays, grays[1:])) and 0 < grays[-1] < grays[0] < 1  # claro → escuro
    for lr, bs in ((0.1, None), (1.0, None), (0.5, 8)):
        fig = Figure(figsize=g.FIGSIZE)
        g.draw_gd(fig, lr=lr, batch_size=bs, epochs=20)
        ax1, ax2 = fig.axes
        (curve,) = ax2.get_lines()
        assert to_rgb(curve.get_color()) == to_rgb(TRAIN) and "treino" in ax2.get_ylabel()
        for line in ax1.get_lines():
            assert (
                gray(line.get_color())
                and gray(line.get_markeredgecolor())
                and gray(line.get_markerfacecolor())
            )
        for coll in ax1.collections:  # as curvas de nível
            assert all(r == g_ == b for r, g_, b, _ in coll.get_edgecolor())
        for text in [*ax1.texts, ax2.title]:
            assert gray(text.get_color())
            if text.get_bbox_patch() is not None:
                assert gray(text.get_bbox_patch().get_edgecolor())


def test_j_min_is_the_least_squares_cost():
    """J mínimo do widget = custo da solução de mínimos quadrados, conferido com a equação
    normal do coursekit e com a regressão do scikit-learn (referências independentes)."""
    from sklearn.linear_model import LinearRegression as SkLinearRegression

    X, y = g.widget_data()
    r = g.compute_gd(lr=0.3, epochs=25)
    coef, b = normal_equation(X, y)
    assert r["j_star"] == pytest.approx(half_mse(y, X[:, 0] * coef[0] + b), rel=1e-12)
    sk = SkLinearRegression().fit(X, y)
    assert r["j_star"] == pytest.approx(half_mse(y, sk.predict(X)), rel=1e-12)
    for lr, bs in ((0.3, None), (0.1, 1), (0.5, 8)):  # nenhuma época fica abaixo do mínimo
        assert np.all(g.compute_gd(lr=lr, batch_size=bs, epochs=20)["loss"] >= r["j_star"] * (1 - 1e-12))


def test_excess_cost_floors_machine_precision_without_warnings():
    with np.errstate(all="raise"):
        ex = g.excess_cost([1.0, 0.5 + 1e-3, 0.5, 0.5 - 1e-17], 0.5)
    np.testing.assert_allclose(ex[:2], [0.5, 1e-3], rtol=1e-9)
    assert ex[2] == ex[3] == g.EXCESS_FLOOR > 0


@pytest.mark.parametrize("lr, bs", [(0.1, None), (0.3, None), (0.5, 8), (1.0, None)])
def test_loss_plot_is_the_excess_over_j_min_on_a_log_scale(lr, bs):
    """O gráfico da direita mostra J − J mínimo (não J) em escala log, com rótulo em português:
    com η = 0.3 o excesso cai mais de 1000 vezes em 20 épocas, o que a curva de J escondia."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=g.FIGSIZE)
    r = g.draw_gd(fig, lr=lr, batch_size=bs, epochs=20)
    ax2 = fig.axes[1]
    assert ax2.get_yscale() == "log" and ax2.get_ylabel().startswith("J − J mínimo")
    assert "J mínimo = " in ax2.get_xlabel()
    (line,) = ax2.get_lines()
    np.testing.assert_allclose(line.get_ydata(), np.maximum(r["loss"] - r["j_star"], g.EXCESS_FLOOR))
    lo, hi = ax2.get_ylim()
    assert lo <= line.get_ydata().min() and line.get_ydata().max() <= hi
    if (lr, bs) == (0.3, None):
        assert line.get_ydata()[0] / line.get_ydata()[-1] > 1000


def test_widget_builds():
    box = g.gradiente_widget()
    assert "coursekit-widget" in box._dom_classes


def test_batch_menu_has_no_none_value():
    """Um Dropdown com valor None aparece vazio no navegador: o lote inteiro é m = 48."""
    box = g.gradiente_widget()
    menu = box.children[0].children[1]
    assert menu.description == "tamanho do lote"
    assert menu.value == g.M_WIDGET and menu.label == "n (lote inteiro)"
    assert None not in [v for _, v in menu.options]
