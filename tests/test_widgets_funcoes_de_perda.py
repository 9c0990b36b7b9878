"""Testes das funções puras do widget da aula 09 (funções de perda)."""

import numpy as np
import pytest

from coursekit.nn import huber, mae, mse
from coursekit.widgets import funcoes_de_perda as m


def test_loss_curves_values():
    c = m.compute_loss_curves(delta=1.0, lim=3.0, n=7)  # erros -3..3 passo 1
    np.testing.assert_allclose(c["errors"], [-3, -2, -1, 0, 1, 2, 3])
    np.testing.assert_allclose(c["mae"], [3, 2, 1, 0, 1, 2, 3])
    np.testing.assert_allclose(c["mse"], [9, 4, 1, 0, 1, 4, 9])
    np.testing.assert_allclose(c["huber"], [2.5, 1.5, 0.5, 0, 0.5, 1.5, 2.5])
    c2 = m.compute_loss_curves(delta=2.0, lim=3.0, n=7)
    np.testing.assert_allclose(c2["huber"], [4, 2, 0.5, 0, 0.5, 2, 4])


def test_outlier_data():
    x, y, out = m.make_outlier_data(3)
    assert x.shape == y.shape == out.shape == (30,)
    assert out.sum() == 3 and out[-3:].all()
    assert np.all(np.diff(x) >= 0)
    resid = y - (2 * x + 1)
    assert np.all(resid[out] < -10) and np.all(np.abs(resid[~out]) < 3)
    assert m.make_outlier_data(0)[2].sum() == 0
    with pytest.raises(ValueError):
        m.make_outlier_data(31)


def test_mse_fit_matches_least_squares():
    x, y, _ = m.make_outlier_data(4)
    w, b = m.fit_line(x, y, "mse")
    np.testing.assert_allclose([w, b], np.polyfit(x, y, 1), rtol=1e-8)


def test_mae_fit_matches_quantile_regression():
    from sklearn.linear_model import QuantileRegressor

    x, y, _ = m.make_outlier_data(5)
    w, b = m.fit_line(x, y, "mae")
    q = QuantileRegressor(quantile=0.5, alpha=0.0, solver="highs").fit(x[:, None], y)
    assert mae(y, w * x + b) <= mae(y, q.predict(x[:, None])) + 1e-4


@pytest.mark.parametrize("delta", [0.1, 1.0, 3.0])
def test_huber_fit_is_a_minimum(delta):
    x, y, _ = m.make_outlier_data(3)
    w, b = m.fit_line(x, y, "huber", delta)
    best = huber(y, w * x + b, delta)
    for dw, db in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3), (1e-3, -5e-3)]:
        assert best <= huber(y, (w + dw) * x + b + db, delta) + 1e-12


def test_robust_losses_resist_outliers_and_mse_does_not():
    r = m.compute_line_fits(delta=1.0, n_outliers=6)
    assert abs(r["fits"]["mae"][0] - 2) < 0.1
    assert abs(r["fits"]["huber"][0] - 2) < 0.2
    assert r["fits"]["mse"][0] < 1.0  # a MSE é puxada pelos atípicos
    clean = m.compute_line_fits(delta=1.0, n_outliers=0)
    for k in ("mse", "mae", "huber"):
        assert abs(clean["fits"][k][0] - 2) < 0.1
    # huber com δ enorme = MSE (dividida por 2), logo mesma reta
    big = m.compute_line_fits(delta=1000.0, n_outliers=6)
    np.testing.assert_allclose(big["fits"]["huber"], big["fits"]["mse"], rtol=1e-6)
    assert np.isclose(r["losses"]["mse"], mse(r["y"], r["fits"]["mse"][0] * r["x"] + r["fits"]["mse"][1]))


def test_bad_inputs():
    with pytest.raises(ValueError):
        m.fit_line([0, 1], [0, 1], "l3")
    with pytest.raises(ValueError):
        m.compute_line_fits(delta=0.0)


def test_demo_draws_two_panels():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert m.TRAINING_DEMOS == set()
    draw, kwargs, figsize = m.DEMOS["perdas"]
    fig = plt.figure()
    draw(fig, **kwargs)
    plt.close(fig)
    fig = plt.figure()
    draw(fig, delta=0.7, n_outliers=5)
    plt.close(fig)
    assert len(fig.axes) == 2  # o tempo de redesenho é medido em benchmarks/widgets.py


def test_widget_labels_follow_house_style():
    box = m.loss_fits_widget()
    labels = [c.description for row in box.children[:-1] for c in row.children]
    assert labels == ["δ da Huber", "número de atípicos"]
    assert not any(label.endswith(":") for label in labels)


def _texts(fig):
    import matplotlib.pyplot as plt

    out = [t.get_text() for ax in fig.axes for t in ax.texts] + [ax.get_title() for ax in fig.axes]
    out += [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    plt.close(fig)
    return out


def test_huber_com_delta_grande_coincide_com_a_mse_e_o_desenho_avisa():
    import matplotlib.pyplot as plt

    # com 8 atípicos, a reta da MSE deixa todos os resíduos abaixo de 10: a Huber(δ = 10) é a MSE
    r = m.compute_line_fits(delta=10.0, n_outliers=8)
    w, b = r["fits"]["mse"]
    assert np.abs(r["y"] - (w * r["x"] + b)).max() < 10
    assert m.huber_matches_mse(r)
    assert not m.huber_matches_mse(m.compute_line_fits(delta=10.0, n_outliers=3))  # resíduo de ~15 > δ
    assert not m.huber_matches_mse(m.compute_line_fits(delta=1.0, n_outliers=8))
    fig = plt.figure()
    m.draw_loss_fits(fig, delta=10.0, n_outliers=8)
    textos = _texts(fig)
    assert any("coincide com a MSE" in t for t in textos)
    assert any("±δ fora do eixo" in t for t in textos)  # as marcas ±10 não cabem no eixo ±3
    fig = plt.figure()
    m.draw_loss_fits(fig, delta=1.0, n_outliers=3)
    textos = _texts(fig)
    assert not any("coincide" in t or "fora do eixo" in t for t in textos)


def test_titulo_no_singular_e_no_plural():
    import matplotlib.pyplot as plt

    for n, esperado in [(1, "1 atípico (outliers)"), (3, "3 atípicos (outliers)")]:
        fig = plt.figure()
        m.draw_loss_fits(fig, delta=1.0, n_outliers=n)
        assert any(esperado in t for t in _texts(fig))


def test_reta_verdadeira_fica_por_cima_dos_ajustes():
    import matplotlib.pyplot as plt

    fig = plt.figure()
    m.draw_loss_fits(fig, delta=1.0, n_outliers=3)
    linhas = fig.axes[1].get_lines()
    verdadeira = [ln for ln in linhas if ln.get_linestyle() == ":"]
    plt.close(fig)
    assert len(verdadeira) == 1 and verdadeira[0].get_zorder() > max(
        ln.get_zorder() for ln in linhas if ln is not verdadeira[0]
    )


def _neutral(color):
    """Cinza, preto ou branco: sem matiz, sem significado na paleta do curso."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return max(r, g, b) - min(r, g, b) < 1e-9


def test_paleta_do_curso_as_perdas_sao_metodos_comparados():
    """MSE, MAE e Huber são METHOD_STYLES[0], [1] e [2] (a MSE, a referência, em preto), com a
    mesma cor, traço e marcador nos dois painéis e uma legenda em cada; o resto é neutro (as
    marcas ±δ, os pontos, a reta verdadeira) e o módulo não escreve cor nenhuma à mão."""
    import inspect

    import matplotlib.pyplot as plt
    from matplotlib.colors import same_color
    from test_widgets_ui import _COLOR_LITERAL  # o detector do teste da paleta

    from coursekit.widgets import METHOD_STYLES

    assert m.LOSS_STYLES == {"mse": METHOD_STYLES[0], "mae": METHOD_STYLES[1], "huber": METHOD_STYLES[2]}
    assert _COLOR_LITERAL.findall(inspect.getsource(m)) == []
    fig = plt.figure(figsize=m.FIGSIZE)
    m.draw_loss_fits(fig, delta=1.0, n_outliers=3)
    for ax in fig.axes:
        legend = ax.get_legend()
        assert legend is not None
        shown = {}
        for text, handle in zip(legend.get_texts(), legend.legend_handles):
            name = text.get_text().split(":")[0].split(" (")[0]
            shown[name] = (handle.get_color(), handle.get_linestyle(), handle.get_marker())
        for k, (color, dash, marker) in m.LOSS_STYLES.items():
            got = shown[m.LOSS_LABELS[k]]
            assert same_color(got[0], color) and got[1:] == (dash, marker)
        for line in ax.get_lines():  # cada linha: uma perda (com o estilo dela) ou neutra
            styles = [s for s in m.LOSS_STYLES.values() if same_color(line.get_color(), s[0])]
            assert _neutral(line.get_color()) or (
                len(styles) == 1 and (line.get_linestyle(), line.get_marker()) == styles[0][1:]
            )
    plt.close(fig)
