"""Testes de correção da aula 09 (funções de perda).

A referência confiável são as perdas de ``coursekit.nn`` (``mae``, ``huber``, ``huber_grad``,
``softmax``, ``cross_entropy``, ``hinge``), todas reduzidas pela média. A docstring de cada
teste é a dica mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.nn import cross_entropy, hinge, huber, huber_grad, mae, softmax

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
    """Dica: média de |ŷ − y|; para o exemplo, (0.5 + 0.5 + 0 + 1)/4 = 0.5. Converta listas com np.asarray."""
    assert sub.call("mae_loss", Y_TRUE, Y_PRED) == pytest.approx(0.5)


@pytest.mark.exercise("mae_loss", points=1, hidden=True)
def test_mae_random_and_2d(sub):
    """Dica: a média é sobre TODOS os elementos (também em matrizes); o resultado é um float."""
    for seed, shape in [(0, (50,)), (1, (10, 3))]:
        t, p = _regression_case(seed, shape)
        assert sub.call("mae_loss", t, p) == pytest.approx(mae(t, p), rel=1e-10)
    assert sub.call("mae_loss", [1.0, 2.0], [1.0, 2.0]) == pytest.approx(0.0, abs=1e-15)


# --------------------------------------------------------------------------- Huber
@pytest.mark.exercise("huber_loss", points=1)
def test_huber_worked(sub):
    """Dica: com δ = 0.5 os termos são 0.125, 0.125, 0 e 0.5·(1 − 0.25) = 0.375; média 0.15625.
    Com δ = 1 todos os erros estão dentro e a Huber vale metade da MSE: 0.1875."""
    assert sub.call("huber_loss", Y_TRUE, Y_PRED, 0.5) == pytest.approx(0.15625)
    assert sub.call("huber_loss", Y_TRUE, Y_PRED) == pytest.approx(0.1875)


@pytest.mark.exercise("huber_loss", points=2, hidden=True)
def test_huber_random_deltas(sub):
    """Dica: use ½e² quando |e| ≤ δ e δ(|e| − ½δ) quando |e| > δ, elemento a elemento (np.where),
    e tire a média sobre todos os elementos."""
    for seed, delta, shape in [(2, 1.0, (40,)), (3, 0.3, (40,)), (4, 5.0, (8, 4))]:
        t, p = _regression_case(seed, shape)
        assert sub.call("huber_loss", t, p, delta) == pytest.approx(huber(t, p, delta), rel=1e-10)
    # exatamente na fronteira |e| = δ as duas fórmulas coincidem
    assert sub.call("huber_loss", [0.0], [2.0], 2.0) == pytest.approx(2.0)


# --------------------------------------------------------------------------- gradiente da Huber
@pytest.mark.exercise("huber_gradient", points=1)
def test_huber_gradient_worked(sub):
    """Dica: clip(ŷ − y, −δ, δ) / N; no exemplo com δ = 0.5: (−0.125, 0.125, 0, 0.125)."""
    g = np.asarray(sub.call("huber_gradient", Y_TRUE, Y_PRED, 0.5), dtype=float)
    np.testing.assert_allclose(g, [-0.125, 0.125, 0.0, 0.125], atol=1e-12)


@pytest.mark.exercise("huber_gradient", points=2, hidden=True)
def test_huber_gradient_random(sub):
    """Dica: o sinal é de ŷ − y (a derivada em relação à PREVISÃO), o formato é o de y_pred e não
    esqueça de dividir pelo número total de elementos."""
    for seed, delta, shape in [(5, 1.0, (30,)), (6, 0.2, (30,)), (7, 2.0, (6, 5))]:
        t, p = _regression_case(seed, shape)
        g = np.asarray(sub.call("huber_gradient", t, p, delta), dtype=float)
        assert g.shape == p.shape
        np.testing.assert_allclose(g, huber_grad(t, p, delta), rtol=1e-10, atol=1e-15)


# --------------------------------------------------------------------------- softmax
@pytest.mark.exercise("stable_softmax", points=1)
def test_softmax_worked(sub):
    """Dica: exp(z − max(z)) / soma; para [2, 1, 0.1] dá ≈ [0.659, 0.242, 0.099]."""
    s = np.asarray(sub.call("stable_softmax", np.array([2.0, 1.0, 0.1])), dtype=float)
    np.testing.assert_allclose(s, softmax(np.array([2.0, 1.0, 0.1])), rtol=1e-10)


@pytest.mark.exercise("stable_softmax", points=2, hidden=True)
def test_softmax_large_logits_and_rows(sub):
    """Dica: subtraia o máximo de CADA LINHA (axis=-1, keepdims=True) antes de exponenciar; com
    [1000, 999, 998] a fórmula direta dá nan, a estável dá o mesmo que [2, 1, 0]."""
    big = np.array([1000.0, 999.0, 998.0])
    s = np.asarray(sub.call("stable_softmax", big), dtype=float)
    assert np.all(np.isfinite(s)), "o softmax devolveu nan/inf com logits grandes"
    np.testing.assert_allclose(s, softmax(np.array([2.0, 1.0, 0.0])), rtol=1e-10)
    s = np.asarray(sub.call("stable_softmax", -big), dtype=float)
    np.testing.assert_allclose(s, softmax(-big), rtol=1e-10)
    Z = np.random.default_rng(8).normal(0, 50, size=(6, 4))
    S = np.asarray(sub.call("stable_softmax", Z), dtype=float)
    assert S.shape == (6, 4)
    np.testing.assert_allclose(S, softmax(Z), rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(S.sum(axis=1), 1.0)


# --------------------------------------------------------------------------- entropia cruzada
@pytest.mark.exercise("cross_entropy_loss", points=1)
def test_cross_entropy_slide(sub):
    """Dica: o exemplo dos slides dá −ln 0.7 ≈ 0.3567 (logaritmo natural, não log10 nem log2)."""
    got = sub.call("cross_entropy_loss", [0], [[0.7, 0.2, 0.1]])
    assert got == pytest.approx(-np.log(0.7), rel=1e-10)


@pytest.mark.exercise("cross_entropy_loss", points=2, hidden=True)
def test_cross_entropy_random(sub):
    """Dica: pegue, em cada linha i, a probabilidade da coluna labels[i]
    (probs[np.arange(n), labels]) e tire a média de −log; os rótulos podem vir como floats."""
    rng = np.random.default_rng(9)
    P = softmax(rng.normal(0, 2, size=(25, 5)))
    y = rng.integers(0, 5, 25)
    assert sub.call("cross_entropy_loss", y, P) == pytest.approx(cross_entropy(y, P), rel=1e-10)
    assert sub.call("cross_entropy_loss", y.astype(float), P) == pytest.approx(cross_entropy(y, P), rel=1e-10)
    assert sub.call("cross_entropy_loss", [2, 0], [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]) == pytest.approx(
        0.0, abs=1e-15
    )


# --------------------------------------------------------------------------- hinge
@pytest.mark.exercise("multiclass_hinge", points=1)
def test_hinge_slide_table(sub):
    """Dica: na tabela dos slides as perdas por imagem são 8.48, 0 e 5.20, e a média é 4.56. Não
    conte a própria classe certa (ela somaria Δ = 1 a cada linha)."""
    assert sub.call("multiclass_hinge", LABELS_SLIDE, SCORES_SLIDE) == pytest.approx(4.56)
    for i, expected in enumerate([8.48, 0.0, 5.20]):
        got = sub.call("multiclass_hinge", LABELS_SLIDE[i : i + 1], SCORES_SLIDE[i : i + 1])
        assert got == pytest.approx(expected)


@pytest.mark.exercise("multiclass_hinge", points=2, hidden=True)
def test_hinge_random_and_delta(sub):
    """Dica: some max(0, s_j − s_y + Δ) sobre as classes ERRADAS de cada exemplo, tire a média
    sobre os exemplos, e use o delta recebido."""
    rng = np.random.default_rng(10)
    S = rng.normal(0, 2, size=(30, 4))
    y = rng.integers(0, 4, 30)
    for delta in (1.0, 0.0, 3.5):
        assert sub.call("multiclass_hinge", y, S, delta) == pytest.approx(hinge(y, S, delta), rel=1e-10)
    assert sub.call("multiclass_hinge", LABELS_SLIDE, SCORES_SLIDE, 0.0) == pytest.approx(
        hinge(LABELS_SLIDE, SCORES_SLIDE, 0.0)
    )
