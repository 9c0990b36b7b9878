"""Testes da demonstração da aula 02 (coursekit.widgets.regressao_linear)."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from coursekit.widgets import regressao_linear as wr  # noqa: E402


def test_values_at_defaults():
    r = wr.compute_line_fit(m=0.15, b=6.0)
    x = np.arange(0, 25, 2.0)
    np.testing.assert_allclose(r["x"], x)
    np.testing.assert_allclose(r["y_hat"], 0.15 * x + 6.0)
    np.testing.assert_allclose(r["residuals"], r["y"] - r["y_hat"])  # resíduo y − ŷ, como na estatística
    # com m = 0,15 e b = 6, a reta passa acima do bebê de 0 meses (6 > 3,2 kg) e abaixo do de 24 (9,6 < 11,5 kg)
    assert r["residuals"][0] < 0 < r["residuals"][-1]
    assert np.isclose(r["mse"], np.mean(r["residuals"] ** 2))


def test_best_line_is_the_slide_line_and_has_least_mse():
    r = wr.compute_line_fit()
    assert np.isclose(r["best_m"], 0.3021978, atol=1e-7)
    assert np.isclose(r["best_b"], 4.8274725, atol=1e-7)
    at_best = wr.compute_line_fit(m=r["best_m"], b=r["best_b"])
    assert np.isclose(at_best["mse"], r["best_mse"])
    assert at_best["residuals"].sum() == pytest.approx(0.0, abs=1e-9)  # resíduos somam zero
    for dm, db in [(0.01, 0), (-0.01, 0), (0, 0.1), (0, -0.1)]:
        assert wr.compute_line_fit(m=r["best_m"] + dm, b=r["best_b"] + db)["mse"] > r["best_mse"]


def test_mse_grid_is_a_parabola_in_m():
    r = wr.compute_line_fit(m=0.3, b=4.8)
    assert r["m_grid"].shape == r["mse_grid"].shape == (121,)
    i = np.argmin(r["mse_grid"])
    assert 0 < i < len(r["m_grid"]) - 1
    # a grade contém o m escolhido? o valor da grade no m mais próximo bate com o MSE
    j = np.argmin(np.abs(r["m_grid"] - 0.3))
    assert np.isclose(r["mse_grid"][j], wr.compute_line_fit(m=r["m_grid"][j], b=4.8)["mse"])
    second_diff = np.diff(r["mse_grid"], 2)
    assert np.all(second_diff > 0)


@pytest.mark.parametrize("kwargs", [{"m": float("nan")}, {"b": float("inf")}])
def test_bad_input(kwargs):
    with pytest.raises(ValueError):
        wr.compute_line_fit(**kwargs)


def test_demo_draws_mse_in_title():
    import matplotlib.pyplot as plt

    assert set(wr.DEMOS) == {"reta"} and wr.TRAINING_DEMOS == set()
    draw, kwargs, figsize = wr.DEMOS["reta"]
    fig = plt.figure()
    draw(fig, **kwargs)
    mse = wr.compute_line_fit(**kwargs)["mse"]
    assert fig.axes[0].get_title().startswith(f"MSE da sua reta = {wr.fmt(mse)}")
    plt.close(fig)


def test_import_does_not_load_ipywidgets():
    code = (
        "import sys, coursekit.widgets.regressao_linear; "
        "assert 'ipywidgets' not in sys.modules and 'matplotlib.pyplot' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_widget_builds():
    box = wr.line_fit_widget()
    assert box.children[0].children[0].description == "inclinação m"


def test_best_m_for_the_chosen_b_is_the_bottom_of_the_parabola():
    """O triângulo branco do widget: com b fixo, o melhor m é Σx(y − b)/Σx² (602,8/2600 com b = 6),
    o fundo da parábola; com o b de mínimos quadrados, ele é o melhor m geral."""
    from coursekit.widgets import regressao_linear as rl

    r = rl.compute_line_fit(m=0.15, b=6.0)
    assert np.isclose(r["m_at_b"], 602.8 / 2600, rtol=1e-12)
    assert abs(r["m_at_b"] - r["m_grid"][np.argmin(r["mse_grid"])]) <= 0.5 * (r["m_grid"][1] - r["m_grid"][0])
    assert r["mse_at_b"] <= r["mse_grid"].min() + 1e-12 and r["mse_at_b"] > r["best_mse"]
    best = rl.compute_line_fit(m=0.3, b=r["best_b"])
    assert np.isclose(best["m_at_b"], r["best_m"]) and np.isclose(best["mse_at_b"], r["best_mse"])


def test_answers_are_hidden_until_the_box_is_checked():
    """Prever antes de ver: no começo o widget não mostra a melhor reta, o MSE mínimo nem o
    melhor m para o b escolhido; com ``show_answers=True`` mostra os três."""
    import matplotlib.pyplot as plt

    def texts(**kwargs):
        fig = plt.figure()
        wr.draw_line_fit(fig, m=0.15, b=6.0, **kwargs)
        found = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        n_lines = len(fig.axes[0].lines) + len(fig.axes[1].lines)
        plt.close(fig)
        return " | ".join(found), n_lines

    hidden, n_hidden = texts()
    shown, n_shown = texts(show_answers=True)
    r = wr.compute_line_fit(m=0.15, b=6.0)
    for answer in ("mínimo possível", "melhor m com este b", "melhor reta", wr.fmt(r["m_at_b"])):
        assert answer not in hidden and answer in shown
    assert n_shown == n_hidden + 3  # a reta tracejada, o triângulo e a vertical do melhor m geral


def test_widget_starts_with_the_answers_hidden():
    box = wr.line_fit_widget()
    checkbox = box.children[0].children[2]
    assert checkbox.description.startswith("mostrar as respostas") and checkbox.value is False
