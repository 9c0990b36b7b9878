"""Testes do widget da aula 12 (classificador de dígitos treinado uma vez)."""

import numpy as np
import pytest

from coursekit.model_selection import accuracy
from coursekit.widgets import projeto_final as pf


@pytest.fixture(scope="module")
def bundle():
    return pf.train_digit_classifier()


def test_training_is_cached_and_accurate(bundle):
    assert pf.train_digit_classifier() is bundle
    assert bundle["accuracy"] > 0.94
    assert len(bundle["y_test"]) == 450 and bundle["proba"].shape == (450, 10)
    np.testing.assert_allclose(bundle["proba"].sum(axis=1), 1.0)
    assert np.isclose(bundle["accuracy"], accuracy(bundle["y_test"], bundle["pred"]))
    np.testing.assert_array_equal(bundle["errors"], np.flatnonzero(bundle["pred"] != bundle["y_test"]))


def test_compute_digit_values(bundle):
    r = pf.compute_digit(5)
    assert r["image"].shape == (8, 8) and r["test_index"] == 5
    np.testing.assert_array_equal(r["image"].ravel(), bundle["X_test"][5])
    assert r["label"] == bundle["y_test"][5] and r["pred"] == int(np.argmax(r["proba"]))
    assert r["correct"] == (r["pred"] == r["label"]) and r["n"] == 450


def test_errors_subset_only_shows_mistakes(bundle):
    n_err = len(bundle["errors"])
    assert 0 < n_err < 30
    for i in range(n_err):
        r = pf.compute_digit(i, "erros")
        assert not r["correct"] and r["n"] == n_err
    assert pf.compute_digit(n_err, "erros")["test_index"] == pf.compute_digit(0, "erros")["test_index"]


def test_compute_digit_rejects_bad_args():
    with pytest.raises(ValueError, match="subset"):
        pf.compute_digit(0, "alguns")
    with pytest.raises(ValueError, match="index"):
        pf.compute_digit(-1)


def test_no_errors_case():
    fake = {"y_test": np.array([1, 2]), "errors": np.array([], dtype=int)}
    with pytest.raises(ValueError, match="não errou"):
        pf.compute_digit(0, "erros", bundle=fake)


def test_redraw_after_training(bundle):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert "digitos" in pf.TRAINING_DEMOS
    draw, kw, figsize = pf.DEMOS["digitos"]
    fig = plt.figure()
    draw(fig, **kw)
    plt.close(fig)
    fig = plt.figure(figsize=figsize)
    r = draw(fig, index=int(bundle["errors"][0]))
    plt.close(fig)
    assert r["test_index"] == bundle["errors"][0]


def test_widget_builds(bundle):
    box = pf.digit_browser_widget()
    first = box.children[0].children[0]
    assert first.description == "índice do dígito" and first.max == 449


def test_barras_do_digito_sem_matiz_rotulo_preto_e_erro_hachurado(bundle):
    """Vermelho e azul são do sinal (paleta do curso): aqui o rótulo verdadeiro é preto e a
    previsão errada, hachurada, como diz a aula."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb

    i = int(bundle["errors"][0])
    fig = plt.figure(figsize=pf.FIGSIZE)
    r = pf.draw_digit(fig, index=i)
    bars = fig.axes[1].patches
    cores = [to_rgb(b.get_facecolor()) for b in bars]
    hachuras = [b.get_hatch() or "" for b in bars]
    plt.close(fig)
    assert not r["correct"]
    assert all(len(set(c)) == 1 for c in cores)  # cinzas: R = G = B
    assert cores[r["label"]] == to_rgb("0.1") and all(
        c == to_rgb("0.75") for k, c in enumerate(cores) if k != r["label"]
    )
    assert hachuras[r["pred"]] == "///" and sum(bool(h) for h in hachuras) == 1
