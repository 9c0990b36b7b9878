"""Testes do widget da aula 12 sobre um parâmetro de aprendizado (neurônios escondidos,
alpha, épocas): acurácia de validação (o teste fica fora da figura), matriz de confusão, cache."""

import numpy as np
import pytest

from coursekit.model_selection import accuracy, confusion_matrix
from coursekit.nn import MLP, Adam
from coursekit.widgets import projeto_final as pf


def test_splits_are_disjoint_and_the_lecture_test_set():
    X_fit, X_val, X_te, y_fit, y_val, y_te = pf.project_splits()
    assert (len(y_fit), len(y_val), len(y_te)) == (1077, 270, 450)
    rows = {tuple(r) for r in np.vstack([X_fit, X_val, X_te])}
    assert len(rows) > 1700  # (há alguns dígitos repetidos no conjunto original)
    from coursekit.data import digits
    from coursekit.model_selection import train_test_split

    X, y = digits()
    _, X_te2, _, y_te2 = train_test_split(X, y, test_size=0.25, seed=0)
    np.testing.assert_array_equal(X_te, X_te2)
    np.testing.assert_array_equal(y_te, y_te2)
    assert pf.project_splits() is pf.project_splits()  # em cache


def test_compute_project_matches_a_fresh_training():
    """Referência independente: treinar a mesma rede por `epochs` épocas, à parte, dá as
    mesmas acurácias e a mesma matriz de confusão que o widget lê do cache."""
    X_fit, X_val, _, y_fit, y_val, _ = pf.project_splits()
    r = pf.compute_project(hidden=16, alpha=1e-3, epochs=7)
    net = MLP([64, 16, 10], activation="relu", output_activation="softmax", alpha=1e-3, seed=0)
    net.fit(X_fit, y_fit, loss="cross_entropy", optimizer=Adam(0.005), epochs=7, batch_size=64, seed=0)
    assert r["val_accuracy"] == accuracy(y_val, net.predict(X_val))
    assert not any("test" in key for key in r)  # o widget nem calcula o teste
    np.testing.assert_array_equal(r["confusion"], confusion_matrix(y_val, net.predict(X_val), n_classes=10))
    assert r["confusion"].sum() == len(y_val)
    assert r["val_curve"].shape == r["train_loss"].shape == r["train_curve"].shape == (pf.MAX_EPOCHS,)
    assert r["train_curve"][6] == accuracy(
        y_fit, net.predict(X_fit)
    )  # a curva de treino, da mesma rede à parte
    assert r["val_curve"][6] == r["val_accuracy"] and r["n_params"] == 65 * 16 + 17 * 10
    assert r["val_curve"][r["best_epoch"] - 1] == r["val_curve"].max()


def test_epochs_are_free_once_trained():
    pf.compute_project(64, 0.0, 5)
    before = pf._project_run.cache_info()
    for e in (1, 13, 40):
        pf.compute_project(64, 0.0, e)
    after = pf._project_run.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + 3


def test_capacity_and_penalty_change_the_result():
    tiny = pf.compute_project(4, 0.0, 40)
    big = pf.compute_project(64, 0.0, 40)
    heavy = pf.compute_project(64, 1e-1, 40)
    assert big["val_accuracy"] > 0.95 and tiny["val_accuracy"] < big["val_accuracy"] - 0.03
    assert heavy["val_accuracy"] < big["val_accuracy"]  # alpha = 0.1 é penalidade demais
    early = pf.compute_project(64, 0.0, 1)
    assert early["val_accuracy"] < big["val_accuracy"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"hidden": 10}, "hidden"),
        ({"alpha": 0.5}, "alpha"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 41}, "epochs"),
    ],
)
def test_compute_project_rejects_bad_args(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pf.compute_project(**kwargs)


def test_draw_and_widget():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    draw, kw, figsize = pf.DEMOS["projeto_final"]
    assert figsize[0] <= 9.5 and "projeto_final" in pf.TRAINING_DEMOS
    fig = plt.figure(figsize=figsize)
    r = draw(fig, **kw)
    assert len(fig.axes) == 3 and fig.axes[0].get_legend() is not None
    # enquanto se ajusta, o teste não aparece: nem curva, nem número no título, nem na legenda
    ax = fig.axes[0]
    texts = [ax.get_title()] + [t.get_text() for t in ax.get_legend().get_texts()]
    assert not any("teste" in t for t in texts), texts
    # só treino e validação, cada um na cor da paleta do curso; as contagens sem matiz
    from matplotlib.colors import to_hex

    from coursekit.widgets._ui import COUNT_CMAP, TEST, TRAIN, VALIDATION

    curvas = [line for line in ax.get_lines() if len(line.get_xdata()) == pf.MAX_EPOCHS]
    assert sorted(to_hex(c.get_color()) for c in curvas) == sorted([TRAIN.lower(), VALIDATION.lower()])
    assert TEST.lower() not in [to_hex(line.get_color()) for line in ax.get_lines()]
    assert fig.axes[1].images[0].get_cmap().name == COUNT_CMAP
    plt.close(fig)
    assert r["val_accuracy"] == pf.compute_project(**kw)["val_accuracy"]
    box = pf.projeto_final_widget()
    first = box.children[0].children[0]
    assert first.description == "épocas" and first.max == pf.MAX_EPOCHS
