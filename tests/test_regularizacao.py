"""Testes da regularização da MLP (aula 11): penalidade L2 (alpha), dropout e parada antecipada."""

import numpy as np
import pytest

from coursekit.nn import MLP, SGD, Adam, numerical_gradient, rel_error


def _data(n=12, d=3, k=2, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.normal(size=(n, k))


@pytest.mark.parametrize("alpha", [0.0, 0.1, 2.0])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_l2_gradient_passes_finite_differences(alpha, activation):
    X, Y = _data()
    net = MLP([3, 4, 2], activation=activation, alpha=alpha, seed=1)
    net.biases = [np.full_like(b, 0.1) for b in net.biases]
    _, gw, gb = net.loss_and_gradients(X, Y, loss="mse")
    for W, g in zip(net.weights + net.biases, gw + gb):
        num = numerical_gradient(lambda _: net.loss_and_gradients(X, Y, "mse")[0], W)
        assert rel_error(g, num) < 1e-6


def test_l2_adds_half_alpha_squared_norm_to_loss():
    X, Y = _data()
    plain = MLP([3, 4, 2], activation="tanh", seed=2)
    reg = MLP([3, 4, 2], activation="tanh", seed=2, alpha=0.5)
    l0, gw0, gb0 = plain.loss_and_gradients(X, Y)
    l1, gw1, gb1 = reg.loss_and_gradients(X, Y)
    penalty = 0.25 * sum(np.sum(W**2) for W in plain.weights)
    assert np.isclose(l1, l0 + penalty)
    for a, b, W in zip(gw0, gw1, plain.weights):
        np.testing.assert_allclose(b, a + 0.5 * W)
    for a, b in zip(gb0, gb1):  # o viés não é penalizado
        np.testing.assert_allclose(a, b)


def test_l2_shrinks_weights_after_training():
    X, Y = _data(n=40)
    norms = []
    for alpha in (0.0, 0.1, 1.0):
        net = MLP([3, 16, 2], activation="tanh", alpha=alpha, seed=0)
        net.fit(X, Y, optimizer=Adam(0.01), epochs=200, batch_size=40)
        norms.append(sum(np.sum(W**2) for W in net.weights))
    assert norms[0] > norms[1] > norms[2]


def test_dropout_zero_equals_no_dropout():
    X, Y = _data(n=30)
    a = MLP([3, 8, 8, 2], activation="relu", seed=4).fit(X, Y, epochs=15, batch_size=8)
    b = MLP([3, 8, 8, 2], activation="relu", seed=4, dropout=0.0).fit(X, Y, epochs=15, batch_size=8)
    for Wa, Wb in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(Wa, Wb)
    np.testing.assert_array_equal(a.loss_history_, b.loss_history_)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_mask_scales_kept_units_by_one_over_keep(p):
    X, _ = _data(n=200, d=3)
    net = MLP([3, 50, 1], activation="sigmoid", seed=0, dropout=p)
    keep = 1 - p
    full = net._forward(X)[3]  # ativação escondida sem dropout (inferência)
    dropped = net._forward(X, np.random.default_rng(0))[3]
    zero = dropped == 0
    np.testing.assert_allclose(dropped[~zero], full[~zero] / keep)  # sigmoid > 0: zeros vêm da máscara
    assert abs(zero.mean() - p) < 0.03
    assert abs(dropped.mean() / full.mean() - 1) < 0.05  # em média, a escala se mantém
    np.testing.assert_array_equal(net.forward(X), net._forward(X)[0])  # predict não usa dropout


def test_dropout_gradient_matches_finite_differences_with_fixed_mask():
    X, Y = _data(n=10)
    net = MLP([3, 6, 5, 2], activation="tanh", seed=3, dropout=0.4)
    T = Y

    def loss_with_mask(_):
        return net._loss_and_gradients(X, T, "mse", np.random.default_rng(7))[0]

    _, gw, gb = net._loss_and_gradients(X, T, "mse", np.random.default_rng(7))
    for W, g in zip(net.weights + net.biases, gw + gb):
        assert rel_error(g, numerical_gradient(loss_with_mask, W)) < 1e-6


def _overfit_setup():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(20, 1))
    y = np.sin(3 * X[:, 0]) + 0.4 * rng.normal(size=20)
    Xv = rng.uniform(-1, 1, size=(60, 1))
    yv = np.sin(3 * Xv[:, 0]) + 0.4 * rng.normal(size=60)
    return X, y, Xv, yv


def test_early_stopping_stops_after_patience_and_restores_best():
    X, y, Xv, yv = _overfit_setup()
    snapshots = []
    net = MLP([1, 64, 64, 1], activation="tanh", seed=0)
    net.fit(
        X,
        y,
        optimizer=Adam(0.01),
        epochs=2000,
        batch_size=20,
        validation_data=(Xv, yv),
        patience=25,
        callback=lambda e, m: snapshots.append([W.copy() for W in m.weights]),
    )
    hist = net.val_loss_history_
    assert len(hist) < 2000, "a rede deveria ter parado antes"
    assert len(hist) == len(net.loss_history_) == len(snapshots)
    assert net.best_epoch_ == int(np.argmin(hist))
    assert len(hist) == net.best_epoch_ + 1 + 25
    for W, saved in zip(net.weights, snapshots[net.best_epoch_]):
        np.testing.assert_array_equal(W, saved)
    assert np.isclose(np.mean((net.predict(Xv) - yv) ** 2), min(hist))
    assert min(hist[net.best_epoch_ + 1 :]) >= hist[net.best_epoch_]


def test_validation_without_patience_runs_all_epochs_and_keeps_last_weights():
    X, y, Xv, yv = _overfit_setup()
    net = MLP([1, 16, 1], activation="tanh", seed=0)
    net.fit(X, y, optimizer=SGD(0.05), epochs=30, batch_size=5, validation_data=(Xv, yv))
    assert len(net.val_loss_history_) == 30
    assert np.isclose(np.mean((net.predict(Xv) - yv) ** 2), net.val_loss_history_[-1])
    assert 0 <= net.best_epoch_ < 30


def test_patience_requires_validation_data():
    X, y, _, _ = _overfit_setup()
    with pytest.raises(ValueError, match="validation_data"):
        MLP([1, 4, 1]).fit(X, y, patience=3)
