"""Testes de correção da aula 09 (funções de perda).

A referência confiável são as perdas de ``coursekit.nn`` (``mae``, ``huber``, ``huber_grad``,
``softmax``, ``cross_entropy``, ``hinge``), todas reduzidas pela média. A docstring de cada
teste é a dica mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.grading.expect import array, assert_close, fail, items
from coursekit.nn import (
    bce,
    cross_entropy,
    cross_entropy_from_logits,
    cross_entropy_from_logits_grad,
    hinge,
    huber,
    huber_grad,
    mae,
    sigmoid,
    softmax,
)
from coursekit.nn import bce_from_logits as bce_from_logits_ref

LECTURE = "09_funcoes_de_perda"

Y_TRUE = [3.0, -0.5, 2.0, 7.0]
Y_PRED = [2.5, 0.0, 2.0, 8.0]
SCORES_SLIDE = np.array([[-0.39, 1.49, 4.21], [-4.61, 3.28, 1.46], [1.03, -2.37, -2.27]])
LABELS_SLIDE = np.array([0, 1, 2])


def _regression_case(seed, shape=(20,)):
    rng = np.random.default_rng(seed)
    t = rng.normal(0, 3, size=shape)
    p = t + rng.standard_t(2, size=shape)  # erros de cauda pesada (alguns atípicos)
    return t, p


# --------------------------------------------------------------------------- MAE
@pytest.mark.exercise("mae_loss", points=1)
def test_mae_worked(sub):
    """Dica: média de |ŷ − y|; para o exemplo, (0.5 + 0.5 + 0 + 1)/4 = 0.5. Converta listas com
    np.asarray; em matrizes a média é sobre TODOS os elementos."""
    assert_close(sub.call("mae_loss", Y_TRUE, Y_PRED), 0.5, rtol=1e-12, name="mae_loss")
    t, p = [[1.0, 2.0], [0.0, -1.0], [3.0, 3.0]], [[2.0, 2.0], [0.5, 1.0], [3.0, 0.0]]
    assert_close(sub.call("mae_loss", t, p), 6.5 / 6, rtol=1e-12, name="mae_loss em matrizes 3×2")


@pytest.mark.exercise("mae_loss", points=1, hidden=True)
def test_mae_random_and_2d(sub):
    """Dica: a média é sobre TODOS os elementos (também em matrizes); o resultado é um float."""
    for seed, shape in [(0, (50,)), (1, (10, 3))]:
        t, p = _regression_case(seed, shape)
        assert_close(sub.call("mae_loss", t, p), mae(t, p), rtol=1e-10, name="mae_loss")
    assert_close(sub.call("mae_loss", [1.0, 2.0], [1.0, 2.0]), 0.0, atol=1e-15, name="mae_loss")


# --------------------------------------------------------------------------- Huber
@pytest.mark.exercise("huber_loss", points=1)
def test_huber_worked(sub):
    """Dica: com δ = 0.5 os termos são 0.125, 0.125, 0 e 0.5·(1 − 0.25) = 0.375; média 0.15625.
    Com δ = 1 todos os erros estão dentro e a Huber vale metade da MSE: 0.1875."""
    assert_close(
        sub.call("huber_loss", Y_TRUE, Y_PRED, 0.5), 0.15625, rtol=1e-12, name="huber_loss com δ = 0.5"
    )
    assert_close(sub.call("huber_loss", Y_TRUE, Y_PRED), 0.1875, rtol=1e-12, name="huber_loss com δ = 1")
    t, p = _regression_case(4, (8, 4))
    assert_close(
        sub.call("huber_loss", t, p, 2.0), huber(t, p, 2.0), rtol=1e-10, name="huber_loss em matriz 8×4"
    )


@pytest.mark.exercise("huber_loss", points=2, hidden=True)
def test_huber_random_deltas(sub):
    """Dica: use ½e² quando |e| ≤ δ e δ(|e| − ½δ) quando |e| > δ, elemento a elemento (np.where),
    e tire a média sobre todos os elementos."""
    for seed, delta, shape in [(2, 1.0, (40,)), (3, 0.3, (40,)), (4, 5.0, (8, 4))]:
        t, p = _regression_case(seed, shape)
        assert_close(sub.call("huber_loss", t, p, delta), huber(t, p, delta), rtol=1e-10, name="huber_loss")
    # exatamente na fronteira |e| = δ as duas fórmulas coincidem
    assert_close(sub.call("huber_loss", [0.0], [2.0], 2.0), 2.0, rtol=1e-12, name="huber_loss na fronteira")


# --------------------------------------------------------------------------- gradiente da Huber
@pytest.mark.exercise("huber_gradient", points=1)
def test_huber_gradient_worked(sub):
    """Dica: clip(ŷ − y, −δ, δ) / N, com N o número total de elementos; no exemplo com δ = 0.5:
    (−0.125, 0.125, 0, 0.125). O formato é o de y_pred."""
    g = sub.call("huber_gradient", Y_TRUE, Y_PRED, 0.5)
    assert_close(g, [-0.125, 0.125, 0.0, 0.125], atol=1e-12, name="huber_gradient")
    t, p = _regression_case(7, (6, 5))
    assert_close(
        sub.call("huber_gradient", t, p, 2.0),
        huber_grad(t, p, 2.0),
        rtol=1e-10,
        atol=1e-15,
        name="huber_gradient em matriz 6×5",
    )


@pytest.mark.exercise("huber_gradient", points=2, hidden=True)
def test_huber_gradient_random(sub):
    """Dica: o sinal é de ŷ − y (a derivada em relação à PREVISÃO), o formato é o de y_pred e não
    esqueça de dividir pelo número total de elementos."""
    for seed, delta, shape in [(5, 1.0, (30,)), (6, 0.2, (30,)), (7, 2.0, (6, 5))]:
        t, p = _regression_case(seed, shape)
        g = sub.call("huber_gradient", t, p, delta)
        assert_close(g, huber_grad(t, p, delta), rtol=1e-10, atol=1e-15, name="huber_gradient")


# --------------------------------------------------------------------------- softmax
@pytest.mark.exercise("stable_softmax", points=1)
def test_softmax_worked(sub):
    """Dica: exp(z − max(z)) / soma; para [2, 1, 0.1] dá ≈ [0.659, 0.242, 0.099]. Numa matriz, cada
    LINHA é um exemplo: subtraia o máximo de cada linha (axis=-1, keepdims=True), não o máximo
    global nem o mínimo — com logits como ±1000 os outros jeitos dão nan."""
    z = np.array([2.0, 1.0, 0.1])
    assert_close(sub.call("stable_softmax", z), softmax(z), rtol=1e-10, name="stable_softmax([2, 1, 0.1])")
    Z = np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1003.0], [0.0, 1000.0, 2.0], [1.0, 2.0, 3.0]])
    assert_close(
        sub.call("stable_softmax", Z), softmax(Z), rtol=1e-10, atol=1e-300, name="stable_softmax(Z), Z 4×3"
    )


@pytest.mark.exercise("stable_softmax", points=2, hidden=True)
def test_softmax_large_logits_and_rows(sub):
    """Dica: subtraia o máximo de CADA LINHA (axis=-1, keepdims=True) antes de exponenciar; com
    [1000, 999, 998] a fórmula direta dá nan, a estável dá o mesmo que [2, 1, 0]."""
    big = np.array([1000.0, 999.0, 998.0])
    assert_close(
        sub.call("stable_softmax", big), softmax(np.array([2.0, 1.0, 0.0])), rtol=1e-10, name="softmax"
    )
    assert_close(sub.call("stable_softmax", -big), softmax(-big), rtol=1e-10, name="softmax")
    Z = np.random.default_rng(8).normal(0, 50, size=(6, 4))
    S = assert_close(sub.call("stable_softmax", Z), softmax(Z), rtol=1e-9, atol=1e-300, name="softmax")
    assert_close(S.sum(axis=1), np.ones(6), rtol=1e-12, name="a soma de cada linha")


# --------------------------------------------------------------------------- entropia cruzada
@pytest.mark.exercise("cross_entropy_loss", points=1)
def test_cross_entropy_slide(sub):
    """Dica: o exemplo dos slides dá −ln 0.7 ≈ 0.3567 (logaritmo natural, não log10 nem log2); com
    várias linhas, pegue em cada linha i a coluna labels[i] (probs[np.arange(n), labels]) e tire a
    média; os rótulos podem vir como floats."""
    got = sub.call("cross_entropy_loss", [0], [[0.7, 0.2, 0.1]])
    assert_close(got, -np.log(0.7), rtol=1e-10, name="cross_entropy_loss")
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25]])
    y = np.array([2.0, 2.0, 1.0])
    assert_close(
        sub.call("cross_entropy_loss", y, P),
        cross_entropy(y.astype(int), P),
        rtol=1e-10,
        name="cross_entropy_loss",
    )


@pytest.mark.exercise("cross_entropy_loss", points=2, hidden=True)
def test_cross_entropy_random(sub):
    """Dica: pegue, em cada linha i, a probabilidade da coluna labels[i]
    (probs[np.arange(n), labels]) e tire a média de −log; os rótulos podem vir como floats."""
    rng = np.random.default_rng(9)
    P = softmax(rng.normal(0, 2, size=(25, 5)))
    y = rng.integers(0, 5, 25)
    assert_close(
        sub.call("cross_entropy_loss", y, P), cross_entropy(y, P), rtol=1e-10, name="cross_entropy_loss"
    )
    got = sub.call("cross_entropy_loss", y.astype(float), P)
    assert_close(got, cross_entropy(y, P), rtol=1e-10, name="cross_entropy_loss com rótulos float")
    got = sub.call("cross_entropy_loss", [2, 0], [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    assert_close(got, 0.0, atol=1e-15, name="cross_entropy_loss com acerto certeiro")


# --------------------------------------------------------------------------- hinge
@pytest.mark.exercise("multiclass_hinge", points=1)
def test_hinge_slide_table(sub):
    """Dica: na tabela dos slides as perdas por imagem são 8.48, 0 e 5.20, e a média é 4.56. Não
    conte a própria classe certa (ela somaria Δ = 1 a cada linha) e use o delta recebido."""
    assert_close(sub.call("multiclass_hinge", LABELS_SLIDE, SCORES_SLIDE), 4.56, rtol=1e-10, name="a média")
    got = sub.call("multiclass_hinge", LABELS_SLIDE.astype(float), SCORES_SLIDE)
    assert_close(got, 4.56, rtol=1e-10, name="a média com rótulos float")
    for i, expected in enumerate([8.48, 0.0, 5.20]):
        got = sub.call("multiclass_hinge", LABELS_SLIDE[i : i + 1], SCORES_SLIDE[i : i + 1])
        assert_close(got, expected, rtol=1e-10, atol=1e-12, name=f"a perda da imagem {i + 1}")
    got = sub.call("multiclass_hinge", LABELS_SLIDE, SCORES_SLIDE, 2.5)
    assert_close(got, hinge(LABELS_SLIDE, SCORES_SLIDE, 2.5), rtol=1e-10, name="com Δ = 2.5")


@pytest.mark.exercise("multiclass_hinge", points=2, hidden=True)
def test_hinge_random_and_delta(sub):
    """Dica: some max(0, s_j − s_y + Δ) sobre as classes ERRADAS de cada exemplo, tire a média
    sobre os exemplos, e use o delta recebido."""
    rng = np.random.default_rng(10)
    S = rng.normal(0, 2, size=(30, 4))
    y = rng.integers(0, 4, 30)
    for delta in (1.0, 0.0, 3.5):
        assert_close(
            sub.call("multiclass_hinge", y, S, delta),
            hinge(y, S, delta),
            rtol=1e-10,
            atol=1e-12,
            name="hinge",
        )
    got = sub.call("multiclass_hinge", LABELS_SLIDE, SCORES_SLIDE, 0.0)
    assert_close(got, hinge(LABELS_SLIDE, SCORES_SLIDE, 0.0), rtol=1e-10, atol=1e-12, name="hinge com Δ = 0")


# --------------------------------------------------------------------------- ∂CE/∂z = p − y
def _ce_fd_gradient(labels, z, eps=1e-6):
    """Diferenças centrais da entropia cruzada média (referência independente da fórmula p − y)."""
    z = np.asarray(z, dtype=float)
    g = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        plus, minus = z.copy(), z.copy()
        plus[idx] += eps
        minus[idx] -= eps
        g[idx] = (cross_entropy_from_logits(labels, plus) - cross_entropy_from_logits(labels, minus)) / (
            2 * eps
        )
    return g


def _check_ce_logits(sub, labels, z, fd=True):
    loss, grad = items(sub.call("cross_entropy_logits", labels, z), 2, "cross_entropy_logits")
    assert_close(
        loss,
        cross_entropy_from_logits(np.asarray(labels), np.asarray(z, dtype=float)),
        rtol=1e-9,
        name="a perda",
    )
    grad = array(grad, shape=np.shape(z), kind="f", name="grad")
    if fd:
        reference = _ce_fd_gradient(labels, z)
        if np.allclose(grad, reference * len(z), rtol=1e-5, atol=1e-8) and len(z) > 1:
            fail(
                f"grad está {len(z)} vezes maior que o das diferenças finitas: a perda é uma média, divida por n."
            )
        assert_close(grad, reference, rtol=1e-5, atol=1e-8, name="grad (comparado com diferenças finitas)")


@pytest.mark.exercise("cross_entropy_logits", points=3)
def test_ce_logits_public(sub):
    """Dica: perda = média de log Σ exp(z − max) − (z_y − max); grad = (softmax(z) − one_hot)/n, cada linha soma 0.
    Logits enormes ([1000, 0, −1000]) não podem dar inf nem nan."""
    _check_ce_logits(sub, [0], [[2.0, 1.0, 0.1]])
    _check_ce_logits(
        sub,
        [2.0, 0.0, 1.0, 1.0],
        np.array([[0.5, -1.0, 2.0], [3.0, 0.0, 0.0], [-2.0, 1.5, 1.0], [0.1, 0.2, 0.3]]),
    )
    loss, grad = items(
        sub.call("cross_entropy_logits", [1, 0], [[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]]),
        2,
        "cross_entropy_logits",
    )
    assert_close(loss, 500.0, rtol=1e-12, name="a perda com logits enormes")
    assert_close(grad, [[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]], atol=1e-12, name="grad com logits enormes")
    # linhas em escalas muito diferentes: o máximo é o de CADA linha, não o da matriz
    z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -1002.0]])
    loss, grad = items(sub.call("cross_entropy_logits", [0, 2], z), 2, "cross_entropy_logits")
    ref_loss = cross_entropy_from_logits(np.array([0, 2]), z)
    assert_close(loss, ref_loss, rtol=1e-9, name="a perda (linhas em escalas diferentes)")
    ref_grad = cross_entropy_from_logits_grad(np.array([0, 2]), z)
    assert_close(grad, ref_grad, rtol=1e-9, atol=1e-15, name="grad (linhas em escalas diferentes)")


@pytest.mark.exercise("cross_entropy_logits", points=1, hidden=True)
def test_ce_logits_random(sub):
    """Dica: funcione para qualquer n e K; os rótulos podem vir como floats."""
    rng = np.random.default_rng(9)
    z = rng.normal(0, 3, size=(6, 5))
    labels = rng.integers(0, 5, size=6)
    _check_ce_logits(sub, labels.astype(float), z)


# --------------------------------------------------------------------------- BCE a partir do logit
@pytest.mark.exercise("bce_from_logits", points=2)
def test_bce_from_logits_public(sub):
    """Dica: média de max(z, 0) − z·y + log1p(exp(−|z|)); com |z| = 1000 nada de inf: BCE(1, −1000) = 1000."""
    assert_close(sub.call("bce_from_logits", [1, 0], [0, 0]), np.log(2), rtol=1e-12, name="BCE(z = 0)")
    y, z = np.array([1.0, 0.0, 1.0, 0.0]), np.array([2.0, -1.5, -0.3, 4.0])
    assert_close(sub.call("bce_from_logits", y, z), bce(y, sigmoid(z)), rtol=1e-9, name="a BCE média")
    y, z = np.array([1.0, 0.0, 1.0, 0.0]), np.array([-1000.0, 1000.0, 1000.0, -1000.0])
    assert_close(sub.call("bce_from_logits", y, z), 500.0, rtol=1e-12, name="a BCE com |z| = 1000")
    assert_close(sub.call("bce_from_logits", [0.0], [40.0]), 40.0, rtol=1e-12, name="BCE(y = 0, z = 40)")


@pytest.mark.exercise("bce_from_logits", points=1, hidden=True)
def test_bce_from_logits_random(sub):
    """Dica: compare com −[y log σ(z) + (1 − y) log(1 − σ(z))] para z moderado; a média é sobre n."""
    rng = np.random.default_rng(4)
    z = rng.normal(0, 5, size=20)
    y = (rng.random(20) < 0.5).astype(float)
    assert_close(sub.call("bce_from_logits", y, z), bce_from_logits_ref(y, z), rtol=1e-9, name="a BCE média")
