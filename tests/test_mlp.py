"""MLP: gradientes exatos (checados por diferenças finitas), o exemplo 2-3 dos slides e o treino."""

import numpy as np
import pytest

from coursekit import data, nn

CONFIGS = [
    # (ativação escondida, ativação de saída, perda, n_saídas)
    ("sigmoid", "identity", "mse", 2),
    ("tanh", "identity", "half_mse", 1),
    ("relu", "identity", "mae", 2),
    ("tanh", "identity", "huber", 2),
    ("identity", "sigmoid", "bce", 1),
    ("tanh", "sigmoid", "mse", 1),
    ("sigmoid", "softmax", "cross_entropy", 3),
    ("tanh", "softmax", "mse", 3),
    ("relu", "identity", "hinge", 3),
]


def targets(loss, n_out, rng, n=6):
    if loss in ("cross_entropy", "hinge"):
        return rng.integers(0, n_out, n)
    if loss == "bce":
        return rng.integers(0, 2, (n, n_out)).astype(float)
    return rng.normal(size=(n, n_out))


def gradient_errors(act, out, loss, n_out, bias, seed, eps=1e-5):
    """Erros relativos (elemento a elemento) entre o gradiente da MLP e o numérico."""
    rng = np.random.default_rng(seed)
    net = nn.MLP([3, 4, 5, n_out], activation=act, output_activation=out, init="he_normal", bias=bias, seed=2)
    if bias:
        net.biases = [rng.normal(size=b.shape) * 0.1 for b in net.biases]
    X, y = rng.normal(size=(4, 3)), targets(loss, n_out, rng, n=4)
    _, gw, gb = net.loss_and_gradients(X, y, loss=loss)
    errors = []
    for p, g in zip(net.weights + net.biases, gw + gb):
        numeric = nn.numerical_gradient(lambda _: net.loss_and_gradients(X, y, loss=loss)[0], p, eps)
        if not bias and p.ndim == 1:
            assert not g.any()  # sem bias: gradiente zero, e o viés nunca muda
            continue
        errors.append((nn.rel_error(g, numeric), np.linalg.norm(g - numeric) / np.linalg.norm(g + numeric)))
    return errors


@pytest.mark.parametrize("act, out, loss, n_out", CONFIGS)
@pytest.mark.parametrize("bias", [True, False])
def test_mlp_gradient_check(act, out, loss, n_out, bias):
    # Semente fixa longe das "quinas" (ReLU, MAE, Huber, hinge): ali a derivada não existe e
    # a diferença finita mente. O ruído de arredondamento da diferença central é ~1e-11.
    for elementwise, _ in gradient_errors(act, out, loss, n_out, bias, seed=3):
        assert elementwise < 1e-7


@pytest.mark.parametrize("seed", range(4))
def test_mlp_gradient_check_many_seeds(seed):
    # Em sementes quaisquer, um elemento pode cair numa quina; medido pela norma, o gradiente
    # inteiro continua batendo com o numérico.
    for config in CONFIGS:
        for _, normwise in gradient_errors(*config, bias=True, seed=10 + seed):
            assert normwise < 1e-6


def test_l2_penalty_gradient():
    rng = np.random.default_rng(0)
    net = nn.MLP([2, 3, 1], activation="tanh", alpha=0.3, seed=1)
    X, y = rng.normal(size=(5, 2)), rng.normal(size=5)
    plain = nn.MLP([2, 3, 1], activation="tanh", seed=1)
    loss, gw, _ = net.loss_and_gradients(X, y)
    loss0 = plain.loss_and_gradients(X, y)[0]
    assert loss == pytest.approx(loss0 + 0.15 * sum(np.sum(W**2) for W in net.weights))
    for W, g in zip(net.weights, gw):
        assert nn.rel_error(g, nn.numerical_gradient(lambda _: net.loss_and_gradients(X, y)[0], W)) < 1e-7


def slide_network():
    net = nn.MLP([2, 2, 1], activation="identity", bias=False)
    net.weights = [np.array([[0.11, 0.12], [0.21, 0.08]]), np.array([[0.14], [0.15]])]
    return net


def test_backprop_2_3_slide_example():
    net, X, y = slide_network(), np.array([[2.0, 3.0]]), np.array([1.0])
    h = X @ net.weights[0]
    np.testing.assert_allclose(h, [[0.85, 0.48]])
    o = net.forward(X)
    assert o[0, 0] == pytest.approx(0.191)
    error, gw, gb = net.loss_and_gradients(X, y, loss="half_mse")
    assert error == pytest.approx(0.3272405) and round(error, 3) == 0.327
    delta = o[0, 0] - 1
    assert delta == pytest.approx(-0.809)
    np.testing.assert_allclose(gw[1], delta * h.T)
    np.testing.assert_allclose(gw[0], delta * X.T @ net.weights[1].T)
    nn.SGD(0.05).step(net.weights, gw)
    np.testing.assert_allclose(net.weights[1].ravel(), [0.17, 0.17], atol=0.005)
    np.testing.assert_allclose(net.weights[0], [[0.12, 0.13], [0.23, 0.10]], atol=0.005)
    new_o = net.forward(X)[0, 0]
    assert new_o == pytest.approx(0.2557, abs=1e-4) and round(new_o, 2) == 0.26
    new_error = net.loss_and_gradients(X, y, loss="half_mse")[0]
    assert new_error == pytest.approx(0.2770, abs=1e-4)
    assert 0.5 * (0.26 - 1) ** 2 == pytest.approx(0.2738)  # o slide eleva ao quadrado o o arredondado


def test_repeating_drives_error_down():
    net, X, y = slide_network(), np.array([[2.0, 3.0]]), np.array([1.0])
    opt = nn.SGD(0.05)
    errors = []
    for _ in range(40):
        error, gw, _ = net.loss_and_gradients(X, y, loss="half_mse")
        errors.append(error)
        opt.step(net.weights, gw)
    assert np.all(np.diff(errors) < 0) and errors[-1] < 1e-6


def test_bias_trick():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4, 2))
    with_bias = nn.MLP([2, 1], seed=0)
    with_bias.biases = [np.array([0.7])]
    trick = nn.MLP([3, 1], bias=False)
    trick.weights = [np.vstack([with_bias.weights[0], [[0.7]]])]
    np.testing.assert_allclose(with_bias.forward(X), trick.forward(np.column_stack([X, np.ones(4)])))


def test_xor_is_learned_and_training_is_deterministic():
    X, y = data.xor()
    kw = dict(loss="bce", optimizer=nn.Adam(0.05), epochs=300, batch_size=4, seed=0)
    a = nn.MLP([2, 8, 1], activation="tanh", output_activation="sigmoid", seed=0).fit(X, y, **kw)
    assert np.array_equal(a.predict(X), y)
    assert a.loss_history_[-1] < 0.05 and len(a.loss_history_) == 300
    kw["optimizer"] = nn.Adam(0.05)
    b = nn.MLP([2, 8, 1], activation="tanh", output_activation="sigmoid", seed=0).fit(X, y, **kw)
    assert all(np.array_equal(p, q) for p, q in zip(a.weights, b.weights))
    proba = a.predict_proba(X)
    assert proba.shape == (4, 2) and np.allclose(proba.sum(axis=1), 1)


def test_fit_defaults_to_adam_and_bias_false_never_updates():
    X, y = data.xor()
    net = nn.MLP([2, 4, 1], bias=False).fit(X, y, epochs=5)
    assert all(not b.any() for b in net.biases) and len(net.loss_history_) == 5


def test_digits_softmax_classifier():
    X, y = data.digits()
    net = nn.MLP([64, 32, 10], output_activation="softmax", seed=0)
    net.fit(X[:1000], y[:1000], loss="cross_entropy", optimizer=nn.Adam(0.01), epochs=15, batch_size=64)
    assert np.mean(net.predict(X[1000:]) == y[1000:]) > 0.9
    assert net.predict_proba(X[:3]).shape == (3, 10)


def test_early_stopping_restores_best_weights():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(30, 1))
    y = np.sin(3 * X[:, 0]) + rng.normal(scale=0.3, size=30)
    Xv = rng.uniform(-1, 1, size=(30, 1))
    yv = np.sin(3 * Xv[:, 0]) + rng.normal(scale=0.3, size=30)
    net = nn.MLP([1, 64, 64, 1], activation="tanh", seed=0)
    net.fit(X, y, optimizer=nn.Adam(0.02), epochs=400, batch_size=30, validation_data=(Xv, yv), patience=20)
    assert len(net.loss_history_) < 400
    assert len(net.val_loss_history_) == len(net.loss_history_)
    best = min(net.val_loss_history_)
    assert net.val_loss_history_[net.best_epoch_] == best
    assert net.loss_and_gradients(Xv, yv)[0] == pytest.approx(best)


def test_dropout_only_in_training():
    X, y = data.xor()
    net = nn.MLP([2, 16, 1], activation="relu", dropout=0.5, seed=0)
    assert np.array_equal(net.forward(X), net.forward(X))  # forward/predição sem dropout
    net.fit(X, y, epochs=3)
    out, _, cache, _ = net._forward(X, np.random.default_rng(0))
    mask = cache[0][2]
    assert set(np.unique(mask)) <= {0.0, 2.0}  # dropout invertido: mantidos escalados por 1/(1 − p)


def test_n_params():
    assert nn.n_params([2, 3, 1]) == (2 + 1) * 3 + (3 + 1) * 1 == 13
    assert nn.n_params([2, 3, 1], bias=False) == 9
    assert nn.n_params([64, 100, 10]) == 65 * 100 + 101 * 10
    net = nn.MLP([4, 5, 3])
    assert nn.n_params([4, 5, 3]) == sum(W.size for W in net.weights) + sum(b.size for b in net.biases)


@pytest.mark.parametrize(
    "call, err, msg",
    [
        (lambda: nn.MLP([3]), ValueError, "pelo menos 2"),
        (lambda: nn.MLP([3, 0, 1]), ValueError, "inteiros positivos"),
        (lambda: nn.MLP("2,3"), TypeError, "layer_sizes"),
        (lambda: nn.MLP([2, 1], activation="swish"), ValueError, "activation desconhecido"),
        (lambda: nn.MLP([2, 1], activation="softmax"), ValueError, "activation desconhecido"),
        (lambda: nn.MLP([2, 1], init="glorot"), ValueError, "init desconhecido"),
        (lambda: nn.MLP([2, 1]).forward(np.ones((3, 3))), ValueError, "2 colunas"),
        (lambda: nn.MLP([2, 1]).forward([[1.0, np.nan]]), ValueError, "NaN"),
        (lambda: nn.MLP([2, 1]).loss_and_gradients(np.ones((3, 2)), [1, 2]), ValueError, "mesmo número"),
        (
            lambda: nn.MLP([2, 1]).loss_and_gradients(np.ones((2, 2)), [1, 2], loss="l3"),
            ValueError,
            "loss desconhecido",
        ),
        (
            lambda: nn.MLP([2, 3], output_activation="softmax").loss_and_gradients(
                np.ones((2, 2)), [0, 5], loss="cross_entropy"
            ),
            ValueError,
            "rótulos",
        ),
        (lambda: nn.MLP([2, 1]).fit(np.ones((2, 2)), [1, 2], optimizer="adam"), TypeError, "optimizer"),
        (lambda: nn.MLP([2, 1]).fit(np.ones((2, 2)), [1, 2], patience=3), ValueError, "validation_data"),
        (lambda: nn.MLP([2, 1]).predict_proba(np.ones((2, 2))), ValueError, "predict_proba"),
    ],
)
def test_mlp_bad_input(call, err, msg):
    with pytest.raises(err, match=msg):
        call()


def test_assigned_weights_with_wrong_shape_are_reported():
    net = nn.MLP([2, 3, 1])
    net.weights[1] = np.ones((4, 1))
    with pytest.raises(ValueError, match=r"weights\[1\]"):
        net.forward(np.ones((1, 2)))


def test_validation_loss_excludes_the_l2_penalty():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(20, 2)), rng.normal(size=20)
    net = nn.MLP([2, 4, 1], activation="tanh", alpha=0.5, seed=0)
    net.fit(X, y, optimizer=nn.SGD(0.01), epochs=2, batch_size=20, validation_data=(X, y))
    plain = nn.MLP([2, 4, 1], activation="tanh", seed=0)
    plain.weights, plain.biases = net.weights, net.biases
    assert net.val_loss_history_[-1] == pytest.approx(plain.loss_and_gradients(X, y)[0])
    assert net.loss_and_gradients(X, y)[0] > net.val_loss_history_[-1]  # a penalidade só no treino


@pytest.mark.parametrize("loss", ["bce", "cross_entropy"])
@pytest.mark.parametrize("output", ["identity", "relu", "tanh"])
def test_probability_loss_on_a_non_probability_output_is_refused(loss, output):
    # antes, treinava com o gradiente errado (o corte de log(p) em [ε, 1 − ε] zera a derivada)
    net = nn.MLP([2, 3, 1], output_activation=output, seed=0)
    X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0, 1])
    for call in (lambda: net.fit(X, y, loss=loss, epochs=1), lambda: net.loss_and_gradients(X, y, loss=loss)):
        with pytest.raises(ValueError, match="não é uma probabilidade"):
            call()
    nn.MLP([2, 3, 1], output_activation="sigmoid").fit(X, y, loss="bce", epochs=1)  # a combinação certa passa
