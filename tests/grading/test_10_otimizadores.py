"""Testes de correção da aula 10 (otimizadores). Referência: coursekit.nn (SGD, Momentum, RMSProp, Adam)
e coursekit.nn.lr_schedule."""

import numpy as np
import pytest

from coursekit.nn import Adam, Momentum, RMSProp, lr_schedule

LECTURE = "10_otimizadores"


def _ref_momentum(theta, v, g, lr, mu):
    p = np.array(theta, dtype=float)
    opt = Momentum(lr, momentum=mu)
    if np.any(v):
        opt.state[0] = [np.array(v, dtype=float)]
    opt.step([p], [np.array(g, dtype=float)])
    return p, opt.state[0][0]


@pytest.mark.exercise("momentum_step", points=1)
def test_momentum_slide(sub):
    """Dica: v = μ·v + g = [-5, 40]; theta = theta − lr·v = [-4.95, 1.6]."""
    theta, v = sub.call(
        "momentum_step", np.array([-5.0, 2.0]), np.zeros(2), np.array([-5.0, 40.0]), 0.01, 0.9
    )
    np.testing.assert_allclose(theta, [-4.95, 1.6])
    np.testing.assert_allclose(v, [-5.0, 40.0])


@pytest.mark.exercise("momentum_step", points=1, hidden=True)
def test_momentum_random(sub):
    """Dica: a velocidade antiga é multiplicada por μ ANTES de somar o gradiente; o passo usa a velocidade nova."""
    rng = np.random.default_rng(0)
    for _ in range(3):
        theta, v, g = rng.normal(size=(3, 4))
        lr, mu = float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.1, 0.95))
        t_new, v_new = sub.call("momentum_step", theta, v, g, lr, mu)
        ref_t, ref_v = _ref_momentum(theta, v, g, lr, mu)
        np.testing.assert_allclose(t_new, ref_t, rtol=1e-10)
        np.testing.assert_allclose(v_new, ref_v, rtol=1e-10)


@pytest.mark.exercise("rmsprop_step", points=1)
def test_rmsprop_first_step(sub):
    """Dica: s = 0.99·0 + (1 − 0.99)·3² = 0.09 (o slide escreve 1 + γ, errado); o passo é lr·3/√0.09 = 10·lr."""
    theta, s = sub.call("rmsprop_step", np.array([1.0]), np.array([0.0]), np.array([3.0]), 0.01)
    np.testing.assert_allclose(s, [0.09])
    np.testing.assert_allclose(theta, [1.0 - 0.1], rtol=1e-6)


@pytest.mark.exercise("rmsprop_step", points=2, hidden=True)
def test_rmsprop_random(sub):
    """Dica: s ← γ·s + (1 − γ)·g²; theta ← theta − lr·g/(√s + eps), com o s NOVO."""
    rng = np.random.default_rng(1)
    theta, g = rng.normal(size=(2, 5))
    s = rng.uniform(0, 2, size=5)
    lr, gamma = 0.05, 0.9
    t_new, s_new = sub.call("rmsprop_step", theta, s, g, lr, gamma, 1e-8)
    p = theta.copy()
    opt = RMSProp(lr, decay=gamma, eps=1e-8)
    opt.state[0] = [s.copy()]
    opt.step([p], [g])
    np.testing.assert_allclose(s_new, opt.state[0][0], rtol=1e-10)
    np.testing.assert_allclose(t_new, p, rtol=1e-10)


@pytest.mark.exercise("adam_run", points=1)
def test_adam_first_step(sub):
    """Dica: no 1º passo m̂ = g e v̂ = g², então cada coordenada anda exatamente lr: [1, 1] → [0.9, 1.1]."""
    np.testing.assert_allclose(
        sub.call("adam_run", np.array([1.0, 1.0]), [np.array([2.0, -0.5])], 0.1), [0.9, 1.1], rtol=1e-6
    )


@pytest.mark.exercise("adam_run", points=2)
def test_adam_two_steps(sub):
    """Dica: a correção de viés usa t = 1, 2, ... (1 − β^t); com g = (2, −0.5) e (1, 0.5) o resultado é ≈ [0.8068, 1.0947]."""
    grads = [np.array([2.0, -0.5]), np.array([1.0, 0.5])]
    p = np.array([1.0, 1.0])
    opt = Adam(0.1)
    for g in grads:
        opt.step([p], [g])
    np.testing.assert_allclose(sub.call("adam_run", np.array([1.0, 1.0]), grads, 0.1), p, rtol=1e-9)


@pytest.mark.exercise("adam_run", points=2, hidden=True)
def test_adam_random(sub):
    """Dica: m e v começam em zero e são atualizados a cada passo; use β₁, β₂ e eps recebidos."""
    rng = np.random.default_rng(2)
    grads = list(rng.normal(size=(6, 3)))
    theta = rng.normal(size=3)
    p = theta.copy()
    opt = Adam(0.03, beta1=0.8, beta2=0.99, eps=1e-6)
    for g in grads:
        opt.step([p], [g])
    out = sub.call("adam_run", theta, grads, 0.03, 0.8, 0.99, 1e-6)
    np.testing.assert_allclose(out, p, rtol=1e-9)


@pytest.mark.exercise("lr_decay", points=1)
def test_lr_decay(sub):
    """Dica: η_t = η₀/(1 + decay·t); com η₀ = 0.1, decay = 0.01 e t = 100 dá 0.05; com t = 0 é η₀."""
    assert sub.call("lr_decay", 0.1, 0.01, 100) == pytest.approx(0.05)
    for lr0, decay, t in [(0.1, 0.0, 50), (0.3, 0.5, 0), (0.02, 0.2, 7)]:
        assert sub.call("lr_decay", lr0, decay, t) == pytest.approx(float(lr_schedule(lr0, decay, t)))
