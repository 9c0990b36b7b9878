"""Testes de correção da aula 10 (otimizadores). Referência: coursekit.nn (SGD, Momentum, RMSProp, Adam)
e coursekit.nn.lr_schedule."""

import numpy as np
import pytest

from coursekit.grading.expect import array, assert_close, fail, items
from coursekit.nn import Adam, AdamW, Momentum, RMSProp, lr_schedule

LECTURE = "10_otimizadores"


def _ref_momentum(theta, v, g, lr, mu):
    p = np.array(theta, dtype=float)
    opt = Momentum(lr, momentum=mu)
    if np.any(v):
        opt.state[0] = [np.array(v, dtype=float)]
    opt.step([p], [np.array(g, dtype=float)])
    return p, opt.state[0][0]


def _check_momentum(sub, theta, v, g, lr, mu):
    t_new, v_new = items(sub.call("momentum_step", theta, v, g, lr, mu), 2, "momentum_step")
    ref_t, ref_v = _ref_momentum(theta, v, g, lr, mu)
    assert_close(t_new, ref_t, rtol=1e-10, name="theta novo")
    assert_close(v_new, ref_v, rtol=1e-10, name="v novo")


def _ref_rmsprop(theta, s, g, lr, gamma, eps):
    p = np.array(theta, dtype=float)
    opt = RMSProp(lr, decay=gamma, eps=eps)
    opt.state[0] = [np.array(s, dtype=float)]
    opt.step([p], [np.array(g, dtype=float)])
    return p, opt.state[0][0]


def _ref_adam(theta, grads, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    p = np.array(theta, dtype=float)
    opt = Adam(lr, beta1=beta1, beta2=beta2, eps=eps)
    for g in grads:
        opt.step([p], [np.array(g, dtype=float)])
    return p


@pytest.mark.exercise("momentum_step", points=1)
def test_momentum_slide(sub):
    """Dica: v = μ·v + g = [-5, 40]; theta = theta − lr·v = [-4.95, 1.6]. Com uma velocidade antiga
    não nula, ela é multiplicada por μ ANTES de somar o gradiente, e o passo usa a velocidade nova."""
    theta, v = items(
        sub.call("momentum_step", np.array([-5.0, 2.0]), np.zeros(2), np.array([-5.0, 40.0]), 0.01, 0.9),
        2,
        "momentum_step",
    )
    assert_close(theta, [-4.95, 1.6], name="theta novo")
    assert_close(v, [-5.0, 40.0], name="v novo")
    _check_momentum(
        sub, np.array([1.0, -2.0, 0.5]), np.array([0.5, 1.0, -2.0]), np.array([2.0, -1.0, 0.25]), 0.1, 0.8
    )
    _check_momentum(sub, [1.0, -2.0], [0.5, 1.0], [2.0, -1.0], 0.1, 0.5)


@pytest.mark.exercise("momentum_step", points=1, hidden=True)
def test_momentum_random(sub):
    """Dica: a velocidade antiga é multiplicada por μ ANTES de somar o gradiente; o passo usa a velocidade nova."""
    rng = np.random.default_rng(0)
    for _ in range(3):
        theta, v, g = rng.normal(size=(3, 4))
        lr, mu = float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.1, 0.95))
        _check_momentum(sub, theta, v, g, lr, mu)


@pytest.mark.exercise("rmsprop_step", points=1)
def test_rmsprop_first_step(sub):
    """Dica: s = 0.99·0 + (1 − 0.99)·3² = 0.09 (o slide escreve 1 + γ, errado); o passo é lr·3/√0.09 = 10·lr.
    Com s antigo não nulo: s ← γ·s + (1 − γ)·g² e theta ← theta − lr·g/(√s + eps), com o s NOVO."""
    theta, s = items(
        sub.call("rmsprop_step", np.array([1.0]), np.array([0.0]), np.array([3.0]), 0.01), 2, "rmsprop_step"
    )
    assert_close(s, [0.09], rtol=1e-12, name="s novo")
    assert_close(theta, [1.0 - 0.1], rtol=1e-6, name="theta novo")
    theta0, s0, g = np.array([1.0, -1.0, 2.0]), np.array([0.5, 0.1, 2.0]), np.array([-1.0, 0.5, 3.0])
    theta, s = items(sub.call("rmsprop_step", theta0, s0, g, 0.05, 0.9, 1e-3), 2, "rmsprop_step")
    ref_t, ref_s = _ref_rmsprop(theta0, s0, g, 0.05, 0.9, 1e-3)
    assert_close(s, ref_s, rtol=1e-12, name="s novo")
    assert_close(theta, ref_t, rtol=1e-12, name="theta novo")
    lists = (theta0.tolist(), s0.tolist(), g.tolist())
    theta, s = items(sub.call("rmsprop_step", *lists, 0.05, 0.9, 1e-3), 2, "rmsprop_step")
    assert_close(theta, ref_t, rtol=1e-12, name="theta novo (listas)")


@pytest.mark.exercise("rmsprop_step", points=2, hidden=True)
def test_rmsprop_random(sub):
    """Dica: s ← γ·s + (1 − γ)·g²; theta ← theta − lr·g/(√s + eps), com o s NOVO."""
    rng = np.random.default_rng(1)
    theta, g = rng.normal(size=(2, 5))
    s = rng.uniform(0, 2, size=5)
    t_new, s_new = items(sub.call("rmsprop_step", theta, s, g, 0.05, 0.9, 1e-8), 2, "rmsprop_step")
    ref_t, ref_s = _ref_rmsprop(theta, s, g, 0.05, 0.9, 1e-8)
    assert_close(s_new, ref_s, rtol=1e-10, name="s novo")
    assert_close(t_new, ref_t, rtol=1e-10, name="theta novo")


@pytest.mark.exercise("adam_run", points=1)
def test_adam_first_step(sub):
    """Dica: no 1º passo m̂ = g e v̂ = g², então cada coordenada anda exatamente lr: [1, 1] → [0.9, 1.1];
    theta e os gradientes podem vir como listas (np.asarray)."""
    assert_close(
        sub.call("adam_run", np.array([1.0, 1.0]), [np.array([2.0, -0.5])], 0.1),
        [0.9, 1.1],
        rtol=1e-6,
        name="theta final",
    )
    assert_close(
        sub.call("adam_run", [1.0, 1.0], [[2.0, -0.5]], 0.1),
        [0.9, 1.1],
        rtol=1e-6,
        name="theta final (listas)",
    )


@pytest.mark.exercise("adam_run", points=2)
def test_adam_two_steps(sub):
    """Dica: a correção de viés usa t = 1, 2, ... (1 − β^t); com g = (2, −0.5) e (1, 0.5) o resultado é ≈ [0.8068, 1.0947];
    use os β₁, β₂ e eps recebidos."""
    grads = [np.array([2.0, -0.5]), np.array([1.0, 0.5])]
    got = sub.call("adam_run", np.array([1.0, 1.0]), grads, 0.1)
    assert_close(got, _ref_adam([1.0, 1.0], grads, 0.1), rtol=1e-9, name="theta final")
    grads = [[0.5, -1.0, 2.0], [1.5, 0.0, -1.0], [-0.5, 2.0, 1.0]]
    got = sub.call("adam_run", [0.0, 1.0, -1.0], grads, 0.05, 0.8, 0.9, 0.1)
    assert_close(
        got, _ref_adam([0.0, 1.0, -1.0], grads, 0.05, 0.8, 0.9, 0.1), rtol=1e-9, name="theta final (3 passos)"
    )


@pytest.mark.exercise("adam_run", points=2, hidden=True)
def test_adam_random(sub):
    """Dica: m e v começam em zero e são atualizados a cada passo; use β₁, β₂ e eps recebidos."""
    rng = np.random.default_rng(2)
    grads = list(rng.normal(size=(6, 3)))
    theta = rng.normal(size=3)
    out = sub.call("adam_run", theta, grads, 0.03, 0.8, 0.99, 1e-6)
    assert_close(out, _ref_adam(theta, grads, 0.03, 0.8, 0.99, 1e-6), rtol=1e-9, name="theta final")


@pytest.mark.exercise("lr_decay", points=1)
def test_lr_decay(sub):
    """Dica: η_t = η₀/(1 + decay·t); com η₀ = 0.1, decay = 0.01 e t = 100 dá 0.05; com t = 0 é η₀."""
    assert_close(sub.call("lr_decay", 0.1, 0.01, 100), 0.05, rtol=1e-12, name="lr_decay(0.1, 0.01, 100)")
    for lr0, decay, t in [(0.1, 0.0, 50), (0.3, 0.5, 0), (0.02, 0.2, 7)]:
        expected = float(lr_schedule(lr0, decay, t))
        assert_close(
            sub.call("lr_decay", lr0, decay, t), expected, rtol=1e-12, name=f"lr_decay({lr0}, {decay}, {t})"
        )


# --------------------------------------------------------------------------- Nesterov
def _nesterov_reference(theta, v, grad, lr, mu):
    opt = Momentum(lr, momentum=mu, nesterov=True)
    params = [np.array(theta, dtype=float)]
    opt.state[0] = [np.array(v, dtype=float)]
    opt.step(params, [np.array(grad, dtype=float)])
    return params[0], opt.state[0][0]


def _check_nesterov(sub, theta, v, grad, lr, mu):
    th, v_new = items(sub.call("nesterov_step", theta, v, grad, lr, mu), 2, "nesterov_step")
    th_ref, v_ref = _nesterov_reference(theta, v, grad, lr, mu)
    assert_close(v_new, v_ref, rtol=1e-10, atol=1e-14, name="v_novo")
    th = array(th, shape=np.shape(th_ref), kind="f", name="theta_novo")
    momentum_only = np.asarray(theta, dtype=float) - lr * v_ref
    if np.allclose(th, momentum_only, rtol=1e-10) and not np.allclose(th, th_ref, rtol=1e-10):
        fail(
            "theta_novo é o passo do Momentum (θ − η·v); no Nesterov o passo é θ − η·(g + μ·v), com o v novo."
        )
    assert_close(th, th_ref, rtol=1e-10, atol=1e-14, name="theta_novo")


@pytest.mark.exercise("nesterov_step", points=2)
def test_nesterov_public(sub):
    """Dica: v ← μv + g (como no Momentum) e θ ← θ − η(g + μv) com o v novo; aceite listas."""
    _check_nesterov(sub, [1.0, -2.0], [0.5, 0.0], [2.0, 1.0], 0.1, 0.9)
    _check_nesterov(
        sub,
        np.array([[0.3, -0.7], [1.2, 0.0]]),
        np.array([[1.0, -1.0], [0.2, 0.4]]),
        np.array([[0.5, 2.0], [-1.0, 0.3]]),
        0.05,
        0.8,
    )


@pytest.mark.exercise("nesterov_step", points=1, hidden=True)
def test_nesterov_random(sub):
    """Dica: funcione para qualquer formato e qualquer μ."""
    rng = np.random.default_rng(12)
    _check_nesterov(
        sub, rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 0.02, 0.95
    )


# --------------------------------------------------------------------------- AdamW
def _adamw_reference(theta, m, v, grad, t, lr, wd, beta1=0.9, beta2=0.999, eps=1e-8):
    opt = AdamW(lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=wd)
    params = [np.array(theta, dtype=float)]
    opt.state[0] = [np.array(m, dtype=float), np.array(v, dtype=float)]
    opt.t = t - 1
    opt.step(params, [np.array(grad, dtype=float)])
    return params[0], opt.state[0][0], opt.state[0][1]


def _check_adamw(sub, theta, m, v, grad, t, lr, wd, **kw):
    th, m_new, v_new = items(sub.call("adamw_step", theta, m, v, grad, t, lr, wd, **kw), 3, "adamw_step")
    th_ref, m_ref, v_ref = _adamw_reference(theta, m, v, grad, t, lr, wd, **kw)
    assert_close(m_new, m_ref, rtol=1e-10, atol=1e-14, name="m_novo")
    assert_close(v_new, v_ref, rtol=1e-10, atol=1e-14, name="v_novo")
    th = array(th, shape=np.shape(th_ref), kind="f", name="theta_novo")
    theta = np.asarray(theta, dtype=float)
    coupled, *_ = _adamw_reference(theta, m, v, np.asarray(grad, dtype=float) + wd * theta, t, lr, 0.0, **kw)
    if wd > 0 and np.allclose(th, coupled, rtol=1e-10) and not np.allclose(th, th_ref, rtol=1e-10):
        fail(
            "Isso é o Adam com a penalidade L2 (λθ somado ao gradiente); no AdamW o decaimento fica fora das "
            "médias móveis: θ ← (1 − ηλ)θ − η·m̂/(√v̂ + ε)."
        )
    assert_close(th, th_ref, rtol=1e-10, atol=1e-14, name="theta_novo")


@pytest.mark.exercise("adamw_step", points=2)
def test_adamw_public(sub):
    """Dica: m e v só com o gradiente da perda; m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ);
    θ ← (1 − ηλ)θ − η·m̂/(√v̂ + ε). Com weight_decay = 0 é um passo do Adam."""
    _check_adamw(sub, [2.0, -1.0], [0.0, 0.0], [0.0, 0.0], [1.0, 1.0], 1, 0.1, 0.5)
    _check_adamw(
        sub,
        np.array([[0.5, -3.0], [1.0, 2.0]]),
        np.array([[0.1, -0.2], [0.05, 0.3]]),
        np.array([[0.02, 0.01], [0.04, 0.2]]),
        np.array([[0.3, -1.0], [2.0, 0.1]]),
        4,
        0.01,
        0.1,
    )


@pytest.mark.exercise("adamw_step", points=1, hidden=True)
def test_adamw_random(sub):
    """Dica: respeite beta1, beta2 e eps recebidos; t pode ser grande."""
    rng = np.random.default_rng(13)
    shape = (5,)
    _check_adamw(
        sub,
        rng.normal(size=shape),
        rng.normal(size=shape),
        rng.random(shape),
        rng.normal(size=shape),
        37,
        0.003,
        0.02,
        beta1=0.8,
        beta2=0.99,
        eps=1e-6,
    )
    _check_adamw(
        sub,
        rng.normal(size=shape),
        rng.normal(size=shape),
        rng.random(shape),
        rng.normal(size=shape),
        2,
        0.1,
        0.0,
    )
