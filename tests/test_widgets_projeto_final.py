"""Testes do widget da aula 12 (classificador de dígitos treinado uma vez, examinado na validação)."""

import numpy as np
import pytest

from coursekit.model_selection import accuracy
from coursekit.widgets import projeto_final as pf


@pytest.fixture(scope="module")
def bundle():
    return pf.train_digit_classifier()


def test_training_is_cached_and_accurate(bundle):
    assert pf.train_digit_classifier() is bundle
    assert bundle["accuracy"] > 0.95
    assert len(bundle["y_val"]) == 270 and bundle["proba"].shape == (270, 10)
    np.testing.assert_allclose(bundle["proba"].sum(axis=1), 1.0)
    assert np.isclose(bundle["accuracy"], accuracy(bundle["y_val"], bundle["pred"]))
    np.testing.assert_array_equal(bundle["errors"], np.flatnonzero(bundle["pred"] != bundle["y_val"]))


def test_bundle_is_the_lecture_network_on_validation_only(bundle):
    """Referência independente: a mesma receita treinada à parte, pelo fit_seeds (outro código),
    na separação da aula; o teste não entra no bundle."""
    from coursekit.data import digits
    from coursekit.model_selection import train_test_split
    from coursekit.nn import MLP, Adam, fit_seeds

    X, y = digits()
    X_tr, _, y_tr, _ = train_test_split(X, y, test_size=0.25, seed=0)
    X_fit, X_val, y_fit, y_val = train_test_split(X_tr, y_tr, test_size=0.2, seed=1)
    np.testing.assert_array_equal(bundle["X_val"], X_val)
    (net,) = fit_seeds(
        [MLP([64, 64, 10], activation="relu", output_activation="softmax", seed=0)],
        X_fit,
        y_fit,
        loss="cross_entropy",
        optimizer=Adam(0.005),
        epochs=20,
        batch_size=64,
        seeds=[0],
    )
    np.testing.assert_array_equal(net.predict(X_val), bundle["pred"])
    assert "X_test" not in bundle and "y_test" not in bundle


def test_compute_digit_values(bundle):
    r = pf.compute_digit(5)
    assert r["image"].shape == (8, 8) and r["val_index"] == 5
    np.testing.assert_array_equal(r["image"].ravel(), bundle["X_val"][5])
    assert r["label"] == bundle["y_val"][5] and r["pred"] == int(np.argmax(r["proba"]))
    assert r["correct"] == (r["pred"] == r["label"]) and r["n"] == 270


def test_errors_subset_only_shows_mistakes(bundle):
    n_err = len(bundle["errors"])
    assert 0 < n_err < 20
    for i in range(n_err):
        r = pf.compute_digit(i, "erros")
        assert not r["correct"] and r["n"] == n_err
    assert pf.compute_digit(n_err, "erros")["val_index"] == pf.compute_digit(0, "erros")["val_index"]


def test_compute_digit_rejects_bad_args():
    with pytest.raises(ValueError, match="subset"):
        pf.compute_digit(0, "alguns")
    with pytest.raises(ValueError, match="index"):
        pf.compute_digit(-1)


def test_no_errors_case():
    fake = {"y_val": np.array([1, 2]), "errors": np.array([], dtype=int)}
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
    assert r["val_index"] == bundle["errors"][0]


def test_widget_builds(bundle):
    box = pf.digit_browser_widget()
    first = box.children[0].children[0]
    assert first.description == "índice do dígito" and first.max == 269


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
