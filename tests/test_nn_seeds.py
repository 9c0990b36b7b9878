"""fit_seeds: K redes treinadas juntas dão o mesmo que K chamadas de MLP.fit (a referência)."""

import numpy as np
import pytest

from coursekit.nn import MLP, SGD, Adam, Momentum, fit_seeds, mean_std


def _data(n=90, d=5, k=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X[:, 0] + X[:, 1] ** 2 > 0.5).astype(int) + (X[:, 2] > 1).astype(int)
    return X, y


def _pairs(recipe, K=3):
    return [recipe(s) for s in range(K)], [recipe(s) for s in range(K)]


@pytest.mark.parametrize(
    "recipe, loss, opts, kwargs",
    [
        (
            lambda s: MLP([5, 8, 6, 3], activation="relu", output_activation="softmax", seed=s),
            "cross_entropy",
            lambda: [Adam(0.01), Adam(0.03), Adam(0.003)],
            {},
        ),
        (
            lambda s: MLP(
                [5, 7, 3],
                activation="tanh",
                output_activation="softmax",
                seed=s,
                alpha=0.01 * s,
                dropout=0.2 * s,
            ),
            "cross_entropy",
            lambda: [Momentum(0.05)] * 3,
            {},
        ),
        (
            lambda s: MLP([5, 6, 1], activation="tanh", output_activation="identity", seed=s),
            "mse",
            lambda: [SGD(0.05), SGD(0.05), SGD(0.1)],
            {"patience": [None, 3, 2]},
        ),
        (
            lambda s: MLP([5, 6, 1], activation="relu", output_activation="sigmoid", seed=s),
            "bce",
            lambda: [Adam(0.02)] * 3,
            {"validation": True},
        ),
    ],
)
def test_fit_seeds_matches_separate_fits(recipe, loss, opts, kwargs):
    X, y = _data()
    if loss == "mse":
        y = X[:, 0] - 0.5 * X[:, 1]
    elif loss == "bce":
        y = (y > 0).astype(float)
    X_tr, y_tr, X_va, y_va = X[:60], y[:60], X[60:], y[60:]
    together, alone = _pairs(recipe)
    val = (X_va, y_va) if (kwargs.get("patience") or kwargs.get("validation")) else None
    patience = kwargs.get("patience")
    each = patience if isinstance(patience, list) else [patience] * 3
    seeds = [4, 5, 6]
    import copy

    fit_seeds(
        together,
        X_tr,
        y_tr,
        loss=loss,
        optimizer=[copy.deepcopy(o) for o in opts()],
        epochs=12,
        batch_size=16,
        seeds=seeds,
        validation_data=val,
        patience=patience,
    )
    for net, opt, seed, ref, pat in zip(alone, opts(), seeds, together, each):
        net.fit(
            X_tr,
            y_tr,
            loss=loss,
            optimizer=copy.deepcopy(opt),
            epochs=12,
            batch_size=16,
            seed=seed,
            validation_data=val,
            patience=pat,
        )
        assert len(ref.loss_history_) == len(net.loss_history_)
        np.testing.assert_allclose(ref.loss_history_, net.loss_history_, rtol=1e-9)
        for a, b in zip(ref.weights + ref.biases, net.weights + net.biases):
            np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-12)
        if val is not None:
            np.testing.assert_allclose(ref.val_loss_history_, net.val_loss_history_, rtol=1e-9)
            assert ref.best_epoch_ == net.best_epoch_
    if patience:  # a parada antecipada de fato cortou algum treino, e a rede sem paciência foi até o fim
        assert min(len(n.loss_history_) for n in alone) < 12 == len(alone[0].loss_history_)


def test_fit_seeds_rejects_bad_input():
    X, y = _data()
    nets = [MLP([5, 4, 3], output_activation="softmax", seed=s) for s in range(2)]
    with pytest.raises(ValueError, match="seeds"):
        fit_seeds(nets, X, y, loss="cross_entropy", seeds=[1])
    with pytest.raises(ValueError, match="fit_seeds aceita"):
        fit_seeds(nets, X, y, loss="hinge")
    with pytest.raises(ValueError, match="mesmos layer_sizes"):
        fit_seeds(nets + [MLP([5, 3, 3], output_activation="softmax")], X, y, loss="cross_entropy")
    with pytest.raises(ValueError, match="mesma classe"):
        fit_seeds(nets, X, y, loss="cross_entropy", optimizer=[Adam(), SGD(0.1)])
    with pytest.raises(TypeError, match="lista de MLPs"):
        fit_seeds(nets[0], X, y, loss="cross_entropy")


def test_mean_std_is_the_sample_std():
    m, s = mean_std([[1.0, 10.0], [3.0, 10.0], [5.0, 10.0]])
    np.testing.assert_allclose(m, [3.0, 10.0])
    np.testing.assert_allclose(s, [2.0, 0.0])  # √(((−2)² + 0 + 2²)/2) = 2, à mão
    with pytest.raises(ValueError, match="pelo menos 2"):
        mean_std([1.0])


def test_fit_seeds_with_one_data_set_per_net():
    X, y = _data(n=80)
    splits = [np.random.default_rng(s).permutation(80) for s in range(3)]
    parts = [(X[i[:50]], y[i[:50]], X[i[50:]], y[i[50:]]) for i in splits]
    together = [MLP([5, 6, 3], activation="tanh", output_activation="softmax", seed=s) for s in range(3)]
    fit_seeds(
        together,
        [p[0] for p in parts],
        [p[1] for p in parts],
        loss="cross_entropy",
        optimizer=Adam(0.02),
        epochs=8,
        batch_size=20,
        validation_data=([p[2] for p in parts], [p[3] for p in parts]),
        patience=[None, 2, 2],
    )
    for s, (ref, (Xa, ya, Xb, yb)) in enumerate(zip(together, parts)):
        net = MLP([5, 6, 3], activation="tanh", output_activation="softmax", seed=s)
        net.fit(
            Xa,
            ya,
            loss="cross_entropy",
            optimizer=Adam(0.02),
            epochs=8,
            batch_size=20,
            validation_data=(Xb, yb),
            patience=None if s == 0 else 2,
        )
        np.testing.assert_allclose(ref.val_loss_history_, net.val_loss_history_, rtol=1e-9)
        for a, b in zip(ref.weights, net.weights):
            np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-12)
    with pytest.raises(ValueError, match="um conjunto por rede"):
        fit_seeds(together, [X, X], [y, y], loss="cross_entropy")
