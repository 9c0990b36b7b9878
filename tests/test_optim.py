"""Testes das partes novas dos otimizadores (aula 10): Nesterov, AdamW, agendas da taxa de
aprendizado, corte do gradiente e ``run_optimizer`` com agenda e corte."""

import numpy as np
import pytest

from coursekit import landscapes
from coursekit.nn.optim import (
    SGD,
    Adam,
    AdamW,
    Momentum,
    clip_grad_norm,
    cosine_schedule,
    exponential_decay,
    linear_warmup,
    step_decay,
)


def test_nesterov_matches_sklearn_sgd_optimizer():
    """Referência independente: o SGDOptimizer do scikit-learn (forma com η dentro da
    velocidade, v ← μv − ηg; passo μv − ηg) dá a mesma trajetória com η constante."""
    from sklearn.neural_network._stochastic_optimizers import SGDOptimizer

    rng = np.random.default_rng(0)
    A = rng.normal(size=(3, 3))
    H = A @ A.T + np.eye(3)  # quadrática f = ½ θᵀHθ, gradiente Hθ
    theta0 = rng.normal(size=3)
    ours, ref = theta0.copy(), [theta0.copy()]
    opt = Momentum(0.05, momentum=0.9, nesterov=True)
    sk = SGDOptimizer(ref, learning_rate_init=0.05, momentum=0.9, nesterov=True)
    for _ in range(25):
        opt.step([ours], [H @ ours])
        sk.update_params(ref, [H @ ref[0]])
    np.testing.assert_allclose(ours, ref[0], rtol=1e-12, atol=1e-14)


def test_nesterov_first_steps_by_hand():
    w = np.array([2.0])
    opt = Momentum(0.1, momentum=0.5, nesterov=True)
    opt.step([w], [np.array([4.0])])  # v = 4; passo 0.1·(4 + 0.5·4) = 0.6
    np.testing.assert_allclose(w, [1.4], rtol=0, atol=1e-15)
    opt.step([w], [np.array([1.0])])  # v = 0.5·4 + 1 = 3; passo 0.1·(1 + 1.5) = 0.25
    np.testing.assert_allclose(w, [1.15], rtol=0, atol=1e-15)


def test_nesterov_default_off_and_validated():
    assert Momentum(0.1).nesterov is False
    with pytest.raises(TypeError, match="nesterov"):
        Momentum(0.1, nesterov="sim")


def test_adamw_is_adam_after_decoupled_shrink():
    rng = np.random.default_rng(1)
    p_w, p_a = rng.normal(size=4), None
    p_a = p_w.copy()
    opt_w, opt_a = AdamW(0.01, weight_decay=0.1), Adam(0.01)
    for _ in range(5):
        g = rng.normal(size=4)
        opt_w.step([p_w], [g])
        p_a *= 1 - 0.01 * 0.1  # o decaimento desacoplado, à mão
        opt_a.step([p_a], [g])
    np.testing.assert_allclose(p_w, p_a, rtol=1e-13)


def test_adamw_zero_decay_is_adam_and_differs_from_l2():
    g = np.array([10.0, 0.01])
    a, b, c = np.ones(2), np.ones(2), np.ones(2)
    AdamW(0.1, weight_decay=0.0).step([a], [g])
    Adam(0.1).step([b], [g])
    np.testing.assert_array_equal(a, b)
    # L2 dentro do Adam: o termo αθ é normalizado junto com g, o desacoplado não
    Adam(0.1).step([c], [g + 0.5 * c])
    d = np.ones(2)
    AdamW(0.1, weight_decay=0.5).step([d], [g])
    assert not np.allclose(c, d)
    with pytest.raises(ValueError, match="weight_decay"):
        AdamW(0.1, weight_decay=-1.0)


def test_step_and_exponential_decay():
    t = np.arange(7)
    np.testing.assert_allclose(step_decay(0.1, t, 3, gamma=0.5), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025])
    np.testing.assert_allclose(exponential_decay(0.2, t, 0.9), 0.2 * 0.9 ** np.arange(7.0), rtol=1e-15)
    assert exponential_decay(0.2, 0, 0.9) == pytest.approx(0.2, rel=1e-15)


def test_cosine_schedule_matches_recursive_form():
    """O CosineAnnealingLR do torch é definido por uma recorrência; a forma fechada tem de
    reproduzi-la passo a passo."""
    lr, lr_min, T = 0.3, 0.01, 10
    closed = cosine_schedule(lr, np.arange(T + 1), T, lr_min=lr_min)
    rec = [lr]
    for t in range(1, T + 1):
        prev = rec[-1]
        rec.append(lr_min + (prev - lr_min) * (1 + np.cos(np.pi * t / T)) / (1 + np.cos(np.pi * (t - 1) / T)))
    np.testing.assert_allclose(closed, rec, rtol=1e-12)
    assert closed[0] == pytest.approx(lr) and closed[-1] == pytest.approx(lr_min)
    assert cosine_schedule(lr, 5, T, lr_min) == pytest.approx((lr + lr_min) / 2)
    assert cosine_schedule(lr, 25, T, lr_min) == pytest.approx(lr_min)


def test_linear_warmup():
    np.testing.assert_allclose(linear_warmup(0.1, np.arange(6), 4), [0.025, 0.05, 0.075, 0.1, 0.1, 0.1])


@pytest.mark.parametrize(
    "call",
    [
        lambda: step_decay(0.1, 3, 0),
        lambda: step_decay(-0.1, 3, 2),
        lambda: exponential_decay(0.1, -1, 0.9),
        lambda: cosine_schedule(0.1, 1.5 * np.nan, 10),
        lambda: linear_warmup(0.1, 2, 0),
    ],
)
def test_schedules_reject_bad_input(call):
    with pytest.raises((ValueError, TypeError)):
        call()


def test_clip_grad_norm():
    g1, g2 = np.array([3.0, 0.0]), np.array([[0.0], [4.0]])  # norma total 5
    clipped, norm = clip_grad_norm([g1, g2], max_norm=1.0)
    assert norm == pytest.approx(5.0, rel=1e-15)
    np.testing.assert_allclose(clipped[0], [0.6, 0.0], rtol=1e-15)
    np.testing.assert_allclose(clipped[1], [[0.0], [0.8]], rtol=1e-15)
    np.testing.assert_array_equal(g1, [3.0, 0.0])  # entradas intactas
    same, norm2 = clip_grad_norm([g1, g2], max_norm=10.0)
    assert norm2 == pytest.approx(5.0) and np.array_equal(same[0], g1)
    with pytest.raises(TypeError, match="grads"):
        clip_grad_norm(np.array([1.0]), 1.0)
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm([g1], 0.0)


def test_run_optimizer_schedule_and_clipping():
    bowl = landscapes.quadratic
    start = np.array([-5.0, 2.0])
    # agenda constante = sem agenda
    a = landscapes.run_optimizer(bowl, SGD(0.05), start, 20)
    b = landscapes.run_optimizer(bowl, SGD(0.05), start, 20, schedule=lambda t: 0.05)
    np.testing.assert_array_equal(a, b)
    # o primeiro passo usa schedule(0), o segundo schedule(1)
    c = landscapes.run_optimizer(bowl, SGD(1.0), start, 2, schedule=lambda t: 0.01 * (t + 1))
    w1 = start - 0.01 * bowl.grad(start)
    np.testing.assert_allclose(c[1], w1, rtol=1e-15)
    np.testing.assert_allclose(c[2], w1 - 0.02 * bowl.grad(w1), rtol=1e-15)
    # com corte, cada passo do GD anda no máximo lr·max_norm
    opt = SGD(0.1)
    d = landscapes.run_optimizer(bowl, opt, start, 30, max_norm=1.0)
    assert np.all(np.linalg.norm(np.diff(d, axis=0), axis=1) <= 0.1 + 1e-12)
    assert opt.lr == 0.1
    with pytest.raises(TypeError, match="schedule"):
        landscapes.run_optimizer(bowl, SGD(0.1), start, 3, schedule=0.1)
    with pytest.raises(ValueError, match="max_norm"):
        landscapes.run_optimizer(bowl, SGD(0.1), start, 3, max_norm=-1.0)
