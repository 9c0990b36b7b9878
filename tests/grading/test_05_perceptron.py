"""Testes de correção da aula 05 (o perceptron de Rosenblatt).

A referência confiável é ``coursekit.linear.Perceptron`` (saída com v = 0 → +1, erro quando
y·v ≤ 0, ordem de cada época sorteada por ``np.random.default_rng(seed).permutation``) e os dados
de ``coursekit.data`` (duas luas de Haykin, XOR). A docstring de cada teste é a dica mostrada
quando ele falha.
"""

import numpy as np
import pytest

from coursekit.data import double_moons, xor
from coursekit.linear import Perceptron

LECTURE = "05_perceptron"

X_MINI = np.array([[2.0, 1.0], [-1.0, -1.5], [0.5, 2.0], [-2.0, 0.5]])
Y_MINI = np.array([1, -1, 1, -1])


def _model(w, b):
    p = Perceptron()
    p.coef_, p.intercept_ = np.asarray(w, dtype=float), float(b)
    return p


def _triple(result, name):
    assert isinstance(result, (tuple, list)) and len(result) == 3, (
        f"{name} deve devolver uma tupla com 3 itens"
    )
    return result


# ------------------------------------------------------------------------ saída
@pytest.mark.exercise("perceptron_output", points=1)
def test_output_slide(sub):
    """Dica: com w = (2, −1), b = −1 o ponto (1, 0.5) tem v = 0.5 → +1 e (0, 1) tem v = −2 → −1; v = 0 dá +1."""
    w, b = np.array([2.0, -1.0]), -1.0
    pts = np.array([[1.0, 0.5], [0.0, 1.0], [0.5, 0.0]])  # o último tem v = 0
    out = np.asarray(sub.call("perceptron_output", pts, w, b))
    np.testing.assert_array_equal(out.astype(int), _model(w, b).predict(pts))


@pytest.mark.exercise("perceptron_output", points=1, hidden=True)
def test_output_random(sub):
    """Dica: devolva +1/−1 (inteiros) para cada linha de X, com v = X @ w + b."""
    rng = np.random.default_rng(11)
    X = rng.normal(size=(30, 3))
    w, b = rng.normal(size=3), float(rng.normal())
    out = np.asarray(sub.call("perceptron_output", X, w, b))
    assert out.shape == (30,)
    np.testing.assert_array_equal(out.astype(int), _model(w, b).predict(X))


# ------------------------------------------------------------------------ regra
@pytest.mark.exercise("perceptron_update", points=1)
def test_update_slide(sub):
    """Dica: de w = 0, b = 0 o exemplo x = (0.5, 2), y = +1 tem v = 0 (erro!): vira w = (0.5, 2), b = 1 e errou = True."""
    x, y = np.array([0.5, 2.0]), 1
    w, b, wrong = _triple(sub.call("perceptron_update", np.zeros(2), 0.0, x, y), "perceptron_update")
    ref = Perceptron(epochs=1).fit(x.reshape(1, -1), [y])  # um exemplo, um passo desde zero
    np.testing.assert_allclose(w, ref.coef_)
    assert float(b) == pytest.approx(ref.intercept_)
    assert bool(wrong) is True
    w2, b2, wrong2 = _triple(
        sub.call("perceptron_update", w, b, np.array([2.0, 1.0]), 1), "perceptron_update"
    )
    np.testing.assert_allclose(w2, w)
    assert float(b2) == pytest.approx(float(b)) and bool(wrong2) is False


@pytest.mark.exercise("perceptron_update", points=1, hidden=True)
def test_update_random(sub):
    """Dica: só atualize quando y·(w·x + b) ≤ 0; a correção é w + lr·y·x e b + lr·y (respeite o lr pedido)."""
    rng = np.random.default_rng(4)
    for _ in range(10):
        w0, b0 = rng.normal(size=3), float(rng.normal())
        x, y = rng.normal(size=3), int(rng.choice([-1, 1]))
        w, b, wrong = _triple(sub.call("perceptron_update", w0, b0, x, y, lr=0.5), "perceptron_update")
        errs = y * (x @ w0 + b0) <= 0  # v = 0 também é erro
        if errs:
            np.testing.assert_allclose(w, w0 + 0.5 * y * x, rtol=1e-12)
            assert float(b) == pytest.approx(b0 + 0.5 * y)
        else:
            np.testing.assert_allclose(w, w0)
            assert float(b) == pytest.approx(b0)
        assert bool(wrong) == bool(errs)


# ------------------------------------------------------------------------ época
@pytest.mark.exercise("perceptron_epoch", points=2)
def test_epoch_slide(sub):
    """Dica: com X_mini, y_mini e order = [2, 0, 1, 3], desde zero, o resultado é (array([2.5, 1.5]), 0.0, 2)."""
    order = np.random.default_rng(0).permutation(4)  # = [2, 0, 1, 3]
    w, b, n = _triple(
        sub.call("perceptron_epoch", X_MINI, Y_MINI, np.zeros(2), 0.0, order), "perceptron_epoch"
    )
    ref = Perceptron(epochs=1, seed=0).fit(X_MINI, Y_MINI)
    np.testing.assert_allclose(w, ref.coef_)
    assert float(b) == pytest.approx(ref.intercept_)
    assert int(n) == ref.errors_[0]


@pytest.mark.exercise("perceptron_epoch", points=2, hidden=True)
def test_epoch_moons(sub):
    """Dica: visite os exemplos exatamente na ordem de `order` e conte uma atualização por exemplo errado."""
    X, y = double_moons(n=60, distance=-1.0, seed=3)
    for seed in (1, 2):
        order = np.random.default_rng(seed).permutation(len(X))
        w, b, n = _triple(sub.call("perceptron_epoch", X, y, np.zeros(2), 0.0, order), "perceptron_epoch")
        ref = Perceptron(epochs=1, seed=seed).fit(X, y)
        np.testing.assert_allclose(w, ref.coef_, rtol=1e-12)
        assert float(b) == pytest.approx(ref.intercept_)
        assert int(n) == ref.errors_[0]


# ------------------------------------------------------------------------ treino
@pytest.mark.exercise("train_perceptron", points=2)
def test_train_separable(sub):
    """Dica: nas duas luas com distância 1 a lista de erros termina em 0 e o treino para ali; um só rng para todas as épocas."""
    X, y = double_moons(n=200, distance=1.0, radius=10.0, width=6.0, seed=0)
    w, b, errors = _triple(sub.call("train_perceptron", X, y, 50, seed=0), "train_perceptron")
    ref = Perceptron(epochs=50, seed=0).fit(X, y)
    assert [int(e) for e in errors] == ref.errors_
    np.testing.assert_allclose(w, ref.coef_, rtol=1e-12)
    assert float(b) == pytest.approx(ref.intercept_)
    assert errors[-1] == 0


@pytest.mark.exercise("train_perceptron", points=2, hidden=True)
def test_train_not_separable(sub):
    """Dica: quando os dados não são separáveis (luas com distância −4, XOR), rode todas as épocas pedidas: a lista tem `epochs` números, nenhum zero."""
    X, y = double_moons(n=100, distance=-4.0, seed=1)
    w, b, errors = _triple(sub.call("train_perceptron", X, y, 15, seed=2), "train_perceptron")
    ref = Perceptron(epochs=15, seed=2).fit(X, y)
    assert [int(e) for e in errors] == ref.errors_ and len(errors) == 15
    np.testing.assert_allclose(w, ref.coef_, rtol=1e-12)
    Xx, yx = xor()
    w, b, errors = _triple(sub.call("train_perceptron", Xx, 2 * yx - 1, 30, seed=0), "train_perceptron")
    assert len(errors) == 30 and min(errors) > 0
