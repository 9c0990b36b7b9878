"""Testes de correção da aula 05 (o perceptron de Rosenblatt).

A referência confiável é ``coursekit.linear.Perceptron`` (saída com v = 0 → +1, erro quando
y·v ≤ 0, ordem de cada época sorteada por ``np.random.default_rng(seed).permutation``) e os dados
de ``coursekit.data`` (duas luas de Haykin, XOR). A docstring de cada teste é a dica mostrada
quando ele falha.
"""

import numpy as np
import pytest

from coursekit.data import double_moons, xor
from coursekit.grading.expect import array, assert_close, assert_equal, fail, items, uses
from coursekit.linear import Perceptron

LECTURE = "05_perceptron"

X_MINI = np.array([[2.0, 1.0], [-1.0, -1.5], [0.5, 2.0], [-2.0, 0.5]])
Y_MINI = np.array([1, -1, 1, -1])


def _model(w, b):
    p = Perceptron()
    p.coef_, p.intercept_ = np.asarray(w, dtype=float), float(b)
    return p


def _check_update(sub, w0, b0, x, y, lr=None):
    kwargs = {} if lr is None else {"lr": lr}
    w, b, wrong = items(sub.call("perceptron_update", w0, b0, x, y, **kwargs), 3, "perceptron_update")
    step = 1.0 if lr is None else lr
    errs = bool(y * (x @ w0 + b0) <= 0)  # v = 0 também é erro
    assert_close(w, w0 + step * y * x if errs else w0, rtol=1e-12, name="w")
    assert_close(b, b0 + step * y if errs else b0, rtol=1e-12, atol=1e-15, name="b")
    assert_equal(wrong, errs, name="errou")


# ------------------------------------------------------------------------ saída
@pytest.mark.exercise("perceptron_output", points=1)
def test_output_slide(sub):
    """Dica: com w = (2, −1), b = −1 o ponto (1, 0.5) tem v = 0.5 → +1 e (0, 1) tem v = −2 → −1;
    v = 0 dá +1. Devolva inteiros +1/−1 (um por linha de X)."""
    w, b = np.array([2.0, -1.0]), -1.0
    pts = np.array([[1.0, 0.5], [0.0, 1.0], [0.5, 0.0], [0.0, -0.5], [0.2, 0.0]])  # o 3º tem v = 0
    expected = np.asarray(_model(w, b).predict(pts)).astype(int)
    assert_equal(sub.call("perceptron_output", pts, w, b), expected, name="perceptron_output", kind="i")


@pytest.mark.exercise("perceptron_output", points=1, hidden=True)
def test_output_random(sub):
    """Dica: devolva +1/−1 (inteiros) para cada linha de X, com v = X @ w + b."""
    rng = np.random.default_rng(11)
    X = rng.normal(size=(30, 3))
    w, b = rng.normal(size=3), float(rng.normal())
    expected = np.asarray(_model(w, b).predict(X)).astype(int)
    assert_equal(sub.call("perceptron_output", X, w, b), expected, name="perceptron_output", kind="i")


# ------------------------------------------------------------------------ regra
@pytest.mark.exercise("perceptron_update", points=1)
def test_update_slide(sub):
    """Dica: de w = 0, b = 0 o exemplo x = (0.5, 2), y = +1 tem v = 0 (erro!): vira w = (0.5, 2), b = 1
    e errou = True; acerto (y·v > 0) não muda nada. Respeite o lr pedido: w + lr·y·x e b + lr·y."""
    x, y = np.array([0.5, 2.0]), 1
    w, b, wrong = items(sub.call("perceptron_update", np.zeros(2), 0.0, x, y), 3, "perceptron_update")
    ref = Perceptron(epochs=1).fit(x.reshape(1, -1), [y])  # um exemplo, um passo desde zero
    assert_close(w, ref.coef_, name="w")
    assert_close(b, float(ref.intercept_), name="b")
    assert_equal(wrong, True, name="errou")
    _check_update(sub, np.array([0.5, 2.0]), 1.0, np.array([2.0, 1.0]), 1)
    _check_update(sub, np.array([0.5, -1.0]), 0.25, np.array([1.0, 1.0]), 1, lr=0.5)
    _check_update(sub, np.array([1.0, -2.0]), -0.5, np.array([-1.0, 3.0]), -1, lr=0.1)
    _check_update(sub, np.array([1.0, 1.0]), 1.0, np.array([-1.0, -1.0]), 1, lr=2.0)


@pytest.mark.exercise("perceptron_update", points=1, hidden=True)
def test_update_random(sub):
    """Dica: só atualize quando y·(w·x + b) ≤ 0; a correção é w + lr·y·x e b + lr·y (respeite o lr pedido)."""
    rng = np.random.default_rng(4)
    for _ in range(10):
        w0, b0 = rng.normal(size=3), float(rng.normal())
        x, y = rng.normal(size=3), int(rng.choice([-1, 1]))
        _check_update(sub, w0, b0, x, y, lr=0.5)


# ------------------------------------------------------------------------ época
def _check_epoch(sub, X, y, w0, b0, order, rtol=1e-12):
    w, b, n = items(sub.call("perceptron_epoch", X, y, w0, b0, order), 3, "perceptron_epoch")
    ref_w, ref_b, mistakes = np.array(w0, dtype=float), float(b0), 0
    for i in order:
        if y[i] * (X[i] @ ref_w + ref_b) <= 0:
            ref_w, ref_b, mistakes = ref_w + y[i] * X[i], ref_b + y[i], mistakes + 1
    assert_close(w, ref_w, rtol=rtol, name="w")
    assert_close(b, ref_b, rtol=rtol, atol=1e-12, name="b")
    assert_equal(n, mistakes, name="erros")


@pytest.mark.exercise("perceptron_epoch", points=2)
def test_epoch_slide(sub):
    """Dica: com X_mini, y_mini e order = [2, 0, 1, 3], desde zero, o resultado é (array([2.5, 1.5]), 0.0, 2);
    comece do w e do b recebidos e visite os exemplos na ordem de `order`."""
    order = np.random.default_rng(0).permutation(4)  # = [2, 0, 1, 3]
    with uses(sub, "perceptron_update"):
        w, b, n = items(
            sub.call("perceptron_epoch", X_MINI, Y_MINI, np.zeros(2), 0.0, order), 3, "perceptron_epoch"
        )
        ref = Perceptron(epochs=1, seed=0).fit(X_MINI, Y_MINI)
        assert_close(w, ref.coef_, name="w")
        assert_close(b, float(ref.intercept_), atol=1e-12, name="b")
        assert_equal(n, ref.errors_[0], name="erros")
        _check_epoch(sub, X_MINI, Y_MINI, np.array([-1.0, 0.5]), 0.5, np.array([3, 1, 0, 2]))


@pytest.mark.exercise("perceptron_epoch", points=2, hidden=True)
def test_epoch_moons(sub):
    """Dica: visite os exemplos exatamente na ordem de `order` e conte uma atualização por exemplo errado."""
    X, y = double_moons(n=60, distance=-1.0, seed=3)
    for seed in (1, 2):
        order = np.random.default_rng(seed).permutation(len(X))
        _check_epoch(sub, X, y, np.zeros(2), 0.0, order)


# ------------------------------------------------------------------------ treino
@pytest.mark.exercise("train_perceptron", points=2)
def test_train_separable(sub):
    """Dica: nas duas luas com distância 1 a lista de erros termina em 0 e o treino para ali; um só rng
    para todas as épocas (rng.permutation a cada época); dados não separáveis rodam todas as épocas."""
    X, y = double_moons(n=200, distance=1.0, radius=10.0, width=6.0, seed=0)
    with uses(sub, "perceptron_epoch", "perceptron_update"):
        w, b, errors = items(sub.call("train_perceptron", X, y, 50, seed=0), 3, "train_perceptron")
        ref = Perceptron(epochs=50, seed=0).fit(X, y)
        assert_equal(list(errors), list(ref.errors_), name="erros por época")
        assert_close(w, ref.coef_, rtol=1e-12, name="w")
        assert_close(b, float(ref.intercept_), name="b")
        X, y = double_moons(n=40, distance=-4.0, seed=1)
        w, b, errors = items(sub.call("train_perceptron", X, y, 4, seed=3), 3, "train_perceptron")
        ref = Perceptron(epochs=4, seed=3).fit(X, y)
        assert_equal(list(errors), list(ref.errors_), name="erros por época (luas sobrepostas)")
        assert_close(w, ref.coef_, rtol=1e-12, name="w")


@pytest.mark.exercise("train_perceptron", points=2, hidden=True)
def test_train_not_separable(sub):
    """Dica: quando os dados não são separáveis (luas com distância −4, XOR), rode todas as épocas pedidas: a lista tem `epochs` números, nenhum zero."""
    X, y = double_moons(n=100, distance=-4.0, seed=1)
    w, b, errors = items(sub.call("train_perceptron", X, y, 15, seed=2), 3, "train_perceptron")
    ref = Perceptron(epochs=15, seed=2).fit(X, y)
    assert_equal(list(errors), list(ref.errors_), name="erros por época")
    assert_close(w, ref.coef_, rtol=1e-12, name="w")
    Xx, yx = xor()
    w, b, errors = items(sub.call("train_perceptron", Xx, 2 * yx - 1, 30, seed=0), 3, "train_perceptron")
    assert_equal(len(errors), 30, name="o número de épocas no XOR")
    if min(errors) == 0:
        fail("no XOR nenhuma época fica sem erro (ele não é linearmente separável); a sua lista tem um 0.")


# ------------------------------------------------------------------------ separabilidade
def _noisy_corners(seed, per_corner, spread):
    rng = np.random.default_rng(seed)
    X, y01 = xor()
    X = np.repeat(X, per_corner, axis=0) + rng.normal(0.0, spread, size=(4 * per_corner, 2))
    return X, np.where(np.repeat(y01, per_corner) == 1, 1, -1)


def _check_lift(sub, X, y, label):
    Z = array(sub.call("lift_xor", X), shape=(len(X), 3), kind="f", name=f"lift_xor ({label})")
    assert_close(Z[:, :2], X, rtol=0, name=f"as duas primeiras colunas ({label})")
    if np.linalg.matrix_rank(np.column_stack([X, np.ones(len(X)), Z[:, 2]])) < 4:
        fail(
            f"a terceira coluna é uma combinação linear de x₁, x₂ e 1 ({label}): assim o XOR continua impossível."
        )
    errors = Perceptron(epochs=2000).fit(Z, y).errors_
    if errors[-1] != 0:
        fail(
            f"com os seus atributos, um perceptron ainda erra {errors[-1]} pontos depois de {len(errors)} épocas "
            f"({label}): o problema não ficou linearmente separável."
        )


@pytest.mark.exercise("lift_xor", points=2)
def test_lift_xor_separates(sub):
    """Dica: mantenha x₁ e x₂ e acrescente um atributo NÃO linear que distinga o canto (1, 1) — um produto
    de entradas, por exemplo. Uma combinação linear de x₁ e x₂ não resolve (a prova da aula vale para ela)."""
    X, y01 = xor()
    _check_lift(sub, X, np.where(y01 == 1, 1, -1), "os quatro pontos do XOR")
    _check_lift(sub, *_noisy_corners(0, 10, 0.1), "XOR com ruído")


@pytest.mark.exercise("lift_xor", points=1, hidden=True)
def test_lift_xor_more_noise(sub):
    """Dica: o atributo deve funcionar para pontos perto dos cantos também, não só nos cantos exatos."""
    _check_lift(sub, *_noisy_corners(5, 25, 0.1), "XOR com ruído, 100 pontos")
