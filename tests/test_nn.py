"""Ativações, inicializadores, perdas, otimizadores e verificação de gradiente."""

import warnings

import numpy as np
import pytest

from coursekit import nn

RNG = np.random.default_rng(0)


def check_grad(f, x, analytic, tol=1e-7):
    numeric = nn.numerical_gradient(f, x)
    assert nn.rel_error(analytic, numeric) < tol


# --------------------------------------------------------------------- ativações
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_activation_gradients(name):
    f, f_grad = getattr(nn, name), getattr(nn, name + "_grad")
    z = RNG.normal(size=(4, 5)) * 3
    z[np.abs(z) < 1e-3] = 0.5  # longe do "bico" da ReLU
    for idx in np.ndindex(z.shape):

        def scalar(x, idx=idx):
            return f(x)[idx]

        numeric = nn.numerical_gradient(scalar, z.copy())[idx]
        assert nn.rel_error(f_grad(z)[idx], numeric) < 1e-7


def test_activation_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(nn.sigmoid(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(nn.relu(z), [0, 0, 3])
    assert nn.relu_grad(np.array(0.0)) == 0
    assert nn.sigmoid(0.0) == 0.5 and nn.sigmoid_grad(0.0) == 0.25
    np.testing.assert_allclose(nn.tanh_grad(0.0), 1.0)


def test_softmax_rows_and_gradient():
    z = RNG.normal(size=(3, 4))
    s = nn.softmax(z)
    np.testing.assert_allclose(s.sum(axis=1), 1.0)
    np.testing.assert_allclose(nn.softmax(z + 100), s)  # invariante a deslocamentos
    g = RNG.normal(size=(3, 4))
    check_grad(lambda x: np.sum(nn.softmax(x) * g), z.copy(), nn.softmax_backward(s, g))


def test_extreme_inputs_are_finite_and_silent():
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = nn.sigmoid(z)
        assert s[0] == 0.0 and s[-1] == 1.0 and np.all(np.isfinite(nn.sigmoid_grad(z)))
        p = nn.softmax(np.array([[1000.0, 0.0, -1000.0]]))
        np.testing.assert_allclose(p, [[1.0, 0.0, 0.0]])
        assert np.isfinite(nn.bce([1.0, 0.0], nn.sigmoid(np.array([-1000.0, 1000.0]))))
        assert np.isfinite(nn.cross_entropy([2], p))
        assert np.all(np.isfinite(nn.bce_grad([1.0, 0.0], [0.0, 1.0])))
        assert np.all(np.isfinite(nn.cross_entropy_grad([2], p)))
        assert np.isfinite(nn.kl_divergence([[0.5, 0.5]], [[1.0, 0.0]]))
        # a MLP com sigmoid/softmax na saída usa os logits: perda exata mesmo em |z| = 1000
        net = nn.MLP([1, 1], output_activation="sigmoid", bias=False)
        net.weights = [np.array([[1000.0]])]
        loss, gw, _ = net.loss_and_gradients([[1.0]], [0.0], loss="bce")
        assert loss == pytest.approx(1000.0) and gw[0][0, 0] == pytest.approx(1.0)


# --------------------------------------------------------------------- inicializadores
@pytest.mark.parametrize(
    "name, std",
    [
        ("xavier_uniform", np.sqrt(2 / (300 + 200))),
        ("xavier_normal", np.sqrt(2 / (300 + 200))),
        ("he_uniform", np.sqrt(2 / 300)),
        ("he_normal", np.sqrt(2 / 300)),
        ("normal", 0.01),
    ],
)
def test_initializer_scale(name, std):
    W = getattr(nn, name)(300, 200, np.random.default_rng(1))
    assert W.shape == (300, 200)
    assert W.std() == pytest.approx(std, rel=0.02) and abs(W.mean()) < 0.01 * std * 10


def test_uniform_limits_and_zeros_and_seed():
    W = nn.xavier_uniform(30, 20, np.random.default_rng(0))
    assert np.abs(W).max() <= np.sqrt(6 / 50)
    assert np.abs(nn.he_uniform(30, 20, np.random.default_rng(0))).max() <= np.sqrt(6 / 30)
    assert not nn.zeros(3, 4, np.random.default_rng(0)).any()
    a = nn.he_normal(5, 5, np.random.default_rng(7))
    assert np.array_equal(a, nn.he_normal(5, 5, np.random.default_rng(7)))
    assert np.array_equal(a, nn.he_normal(5, 5, 7))  # um inteiro também serve de semente
    with pytest.raises(ValueError, match="fan_in"):
        nn.xavier_normal(0, 3, 0)
    with pytest.raises(TypeError, match="rng"):
        nn.xavier_normal(2, 3, "semente")


# --------------------------------------------------------------------- perdas
REGRESSION = ["mae", "mse", "half_mse", "huber"]


@pytest.mark.parametrize("name", REGRESSION + ["bce"])
def test_elementwise_loss_gradients(name):
    y = RNG.uniform(0.1, 0.9, size=(6, 2)) if name == "bce" else RNG.normal(size=(6, 2))
    p = RNG.uniform(0.1, 0.9, size=(6, 2)) if name == "bce" else y + RNG.normal(size=(6, 2)) * 2
    loss, grad = getattr(nn, name), getattr(nn, name + "_grad")
    check_grad(lambda x: loss(y, x), p.copy(), grad(y, p))


def test_classification_loss_gradients():
    p = nn.softmax(RNG.normal(size=(5, 3)))
    labels = np.array([0, 2, 1, 1, 0])
    check_grad(lambda x: nn.cross_entropy(labels, x), p.copy(), nn.cross_entropy_grad(labels, p))
    scores = RNG.normal(size=(5, 3)) * 3
    check_grad(lambda x: nn.hinge(labels, x), scores.copy(), nn.hinge_grad(labels, scores))
    q = nn.softmax(RNG.normal(size=(4, 3)))
    t = nn.softmax(RNG.normal(size=(4, 3)))
    check_grad(lambda x: nn.kl_divergence(t, x), q.copy(), nn.kl_divergence_grad(t, q))


def test_loss_hand_values():
    y, p = np.array([0.0, 1.0, 2.0]), np.array([0.5, 1.0, 5.0])
    assert nn.mae(y, p) == pytest.approx((0.5 + 0 + 3) / 3)
    assert nn.mse(y, p) == pytest.approx((0.25 + 0 + 9) / 3)
    assert nn.half_mse(y, p) == pytest.approx((0.25 + 0 + 9) / 6)
    # Huber (δ = 1): ½·0.5² dentro; 1·(3 − ½) fora — como torch.nn.HuberLoss
    assert nn.huber(y, p) == pytest.approx((0.125 + 0 + 2.5) / 3)
    assert nn.huber(y, p, delta=4.0) == pytest.approx((0.125 + 0 + 4.5) / 3)
    assert nn.bce([1.0, 0.0], [0.8, 0.4]) == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2)
    # entropia cruzada do slide: one-hot [1, 0, 0] com previsão [0.7, 0.2, 0.1]
    assert nn.cross_entropy([[1, 0, 0]], [[0.7, 0.2, 0.1]]) == pytest.approx(-np.log(0.7))
    assert nn.cross_entropy([0], [[0.7, 0.2, 0.1]]) == pytest.approx(0.35667494)
    # hinge multiclasse (CS231n): scores [3.2, 5.1, −1.7], classe 0 → max(0, 2.9) + max(0, −3.9)
    assert nn.hinge([0], [[3.2, 5.1, -1.7]]) == pytest.approx(2.9)
    assert nn.hinge([1, 2], [[1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]) == pytest.approx((0 + 12.9) / 2)
    assert nn.kl_divergence([0.5, 0.5], [0.5, 0.5]) == 0
    assert nn.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2))


def test_losses_match_sklearn_metrics():
    from sklearn.metrics import log_loss, mean_absolute_error, mean_squared_error

    y = RNG.integers(0, 2, 20).astype(float)
    p = RNG.uniform(0.05, 0.95, 20)
    assert nn.bce(y, p) == pytest.approx(log_loss(y, p))
    yt, yp = RNG.normal(size=20), RNG.normal(size=20)
    assert nn.mae(yt, yp) == pytest.approx(mean_absolute_error(yt, yp))
    assert nn.mse(yt, yp) == pytest.approx(mean_squared_error(yt, yp))
    labels = RNG.integers(0, 3, 20)
    probs = nn.softmax(RNG.normal(size=(20, 3)))
    assert nn.cross_entropy(labels, probs) == pytest.approx(log_loss(labels, probs))


@pytest.mark.parametrize(
    "call, err, msg",
    [
        (lambda: nn.mse([1, 2], [1, 2, 3]), ValueError, "mesmo formato"),
        (lambda: nn.mae([1, np.nan], [1, 2]), ValueError, "NaN"),
        (lambda: nn.mse([], []), ValueError, "vazio"),
        (lambda: nn.bce([1, 0], [1.2, 0.3]), ValueError, "probabilidades"),
        (lambda: nn.cross_entropy([0, 3], [[0.5, 0.5], [0.5, 0.5]]), ValueError, r"rótulos \{0, 1\}"),
        (lambda: nn.cross_entropy([0.5, 1], [[0.5, 0.5], [0.5, 0.5]]), ValueError, "inteiros"),
        (lambda: nn.hinge([0], [1.0, 2.0]), ValueError, "2-D"),
        (lambda: nn.huber([1.0], [1.0], delta=-1), ValueError, "delta"),
        (lambda: nn.mse("abc", [1.0]), TypeError, "y_true"),
    ],
)
def test_loss_bad_input(call, err, msg):
    with pytest.raises(err, match=msg):
        call()


# --------------------------------------------------------------------- otimizadores
def run_steps(opt, grads, theta=1.0):
    p = np.array([theta])
    out = []
    for g in grads:
        opt.step([p], [np.array([g])])
        out.append(p[0])
    return out


@pytest.mark.parametrize(
    "opt, expected",
    [
        # contas feitas à mão com g₁ = 0.5 e g₂ = −1.0, θ₀ = 1
        (nn.SGD(0.1), [0.95, 1.05]),
        (nn.Momentum(0.1, momentum=0.9), [0.95, 0.95 - 0.1 * (0.9 * 0.5 - 1.0)]),
        (nn.Adagrad(0.1), [0.9, 0.9 + 0.1 * 1.0 / np.sqrt(1.25)]),
        (nn.RMSProp(0.01), [0.900000019999996, 0.9895323081911337]),
        (nn.Adam(0.1), [0.9000000019999999, 0.9366103542405653]),
    ],
)
def test_optimizer_hand_values(opt, expected):
    np.testing.assert_allclose(run_steps(opt, [0.5, -1.0]), expected, rtol=1e-10)


def test_optimizer_state_per_position_and_validation():
    opt = nn.Momentum(0.1)
    a, b = np.zeros(2), np.zeros(3)
    opt.step([a, b], [np.ones(2), 2 * np.ones(3)])
    opt.step([a, b], [np.ones(2), 2 * np.ones(3)])
    np.testing.assert_allclose(a, -0.1 * (1 + 1.9))
    np.testing.assert_allclose(b, -0.2 * (1 + 1.9))
    with pytest.raises(ValueError, match="mesmo tamanho"):
        opt.step([a], [])
    with pytest.raises(ValueError, match=r"grads\[0\]"):
        opt.step([a], [np.ones(3)])
    with pytest.raises(ValueError, match="lr deve"):
        nn.Adam(lr=0)
    with pytest.raises(ValueError, match="beta1"):
        nn.Adam(beta1=1.5)


# --------------------------------------------------------------------- utilidades
def test_numerical_gradient_and_rel_error():
    x = np.array([1.0, -2.0, 3.0])
    np.testing.assert_allclose(nn.numerical_gradient(lambda v: np.sum(v**3), x), 3 * x**2, rtol=1e-8)
    assert np.array_equal(x, [1.0, -2.0, 3.0])  # x restaurado
    assert nn.rel_error(np.array([1.0]), np.array([1.0])) == 0
    assert nn.rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    # listas e inteiros viram uma cópia float64
    np.testing.assert_allclose(nn.numerical_gradient(lambda v: np.sum(v**2), [1, 2]), [2.0, 4.0])
    with pytest.raises(TypeError, match="f deve"):
        nn.numerical_gradient("f", x)
    with pytest.raises(ValueError, match="NaN"):
        nn.numerical_gradient(lambda v: 0.0, [1.0, np.nan])
