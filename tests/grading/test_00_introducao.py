"""Testes de correção da aula 00 (aquecimento com NumPy).

Cada teste recebe ``sub`` (a submissão) e chama as funções do aluno com ``sub.call``.
As verificações de ``coursekit.grading.expect`` conferem tipo e formato exatos antes dos
valores (um ``np.empty(0)`` nunca passa). A docstring de cada teste é a dica mostrada
quando ele falha.
"""

import numpy as np
import pytest

from coursekit.grading.expect import array, assert_close, assert_equal, diagnose, raises

LECTURE = "00_introducao"


@pytest.mark.exercise("make_grid", points=1)
def test_make_grid_2x3(sub):
    """Dica: os números 0, 1, 2, … em fila, rearrumados em n_rows linhas de n_cols; o tipo é float64, não int."""
    grid = sub.call("make_grid", 2, 3)
    array(grid, shape=(2, 3), kind="f", name="make_grid(2, 3)")
    assert_equal(grid, np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]), name="make_grid(2, 3)")


@pytest.mark.exercise("make_grid", points=1, hidden=True)
def test_make_grid_float_and_shape(sub):
    """Dica: o resultado deve ser float64 e ter formato (n_rows, n_cols)."""
    grid = array(sub.call("make_grid", 4, 1), shape=(4, 1), kind="f", name="make_grid(4, 1)")
    assert_equal(grid, np.arange(4.0).reshape(4, 1), name="make_grid(4, 1)")
    assert_equal(sub.call("make_grid", 3, 5), np.arange(15.0).reshape(3, 5), name="make_grid(3, 5)")


@pytest.mark.exercise("column_means", points=1)
def test_column_means_small(sub):
    """Dica: a média de cada coluna percorre as linhas (o eixo 0): um número por coluna, formato (n_features,)."""
    X = np.array([[1.0, 2.0], [3.0, 6.0]])
    assert_close(sub.call("column_means", X), [2.0, 4.0], name="column_means(X)")
    X = np.array([[1.0, 2.0, 0.0], [3.0, 6.0, 0.0]])
    assert_close(sub.call("column_means", X), [2.0, 4.0, 0.0], name="column_means(X) com 3 colunas")


@pytest.mark.exercise("column_means", points=1, hidden=True)
def test_column_means_random(sub):
    """Dica: devolva um array de formato (n_features,)."""
    X = np.random.default_rng(0).normal(size=(50, 3))
    assert_close(sub.call("column_means", X), X.mean(axis=0), rtol=1e-12, name="column_means(X)")


@pytest.mark.exercise("standardize", points=2)
def test_standardize_mean_zero_std_one(sub):
    """Dica: cada coluna menos a própria média, dividida pelo próprio desvio populacional (ddof=0); no fim cada
    coluna tem média 0 e desvio 1."""
    X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]])
    expected = (X - X.mean(axis=0)) / X.std(axis=0)
    ddof1 = (
        np.sqrt(2 / 3),
        (
            "ddof=1: você dividiu por n − 1 (o desvio amostral, padrão do pandas) e não por n; isso multiplica toda a matriz pela mesma razão √((n−1)/n). Use o desvio populacional, ddof=0"
        ),
    )  # n = 3
    Z = diagnose(sub.call("standardize", X), expected, ratios=[ddof1], rtol=1e-10, name="standardize(X)")
    assert_close(Z.mean(axis=0), [0.0, 0.0], atol=1e-12, name="a média de cada coluna")
    assert_close(Z.std(axis=0), [1.0, 1.0], name="o desvio de cada coluna")


@pytest.mark.exercise("standardize", points=1, hidden=True)
def test_standardize_random(sub):
    """Dica: use o desvio padrão populacional (ddof=0), que é o padrão de X.std."""
    X = np.random.default_rng(1).normal(3.0, 2.0, size=(20, 4))
    expected = (X - X.mean(axis=0)) / X.std(axis=0)
    assert_close(sub.call("standardize", X), expected, rtol=1e-10, name="standardize(X)")


@pytest.mark.exercise("dot_product", points=1)
def test_dot_product_value(sub):
    """Dica: multiplique elemento a elemento e some tudo: [1, 2, 3]·[4, 5, 6] = 4 + 10 + 18 = 32, um único float."""
    result = sub.call("dot_product", np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0]))
    assert_close(result, 32.0, name="dot_product([1, 2, 3], [4, 5, 6])")


@pytest.mark.exercise("dot_product", points=1)
def test_dot_product_shape_mismatch(sub):
    """Dica: se a.shape != b.shape, levante ValueError com uma mensagem em português — mesmo quando
    o NumPy conseguiria combinar os dois (formatos (3,) e (1,), por exemplo)."""
    raises(sub, "ValueError", "dot_product", np.ones(3), np.ones(2))
    raises(sub, "ValueError", "dot_product", np.ones(3), np.ones(1))
    raises(sub, "ValueError", "dot_product", np.ones(3), np.ones((3, 1)))


@pytest.mark.exercise("dot_product", points=1, hidden=True)
def test_dot_product_random(sub):
    """Dica: o resultado é um único número (float)."""
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=10), rng.normal(size=10)
    assert_close(sub.call("dot_product", a, b), float(a @ b), rtol=1e-10, name="dot_product(a, b)")
    raises(sub, "ValueError", "dot_product", np.ones((2, 3)), np.ones((3, 2)))


# ----------------------------------------------------------- 5. pairwise_sq_distances
def _ref_sq_distances(A, B):
    """Referência independente: dois laços, um par de pontos por vez."""
    return np.array([[float(np.sum((a - b) ** 2)) for b in B] for a in A])


def _check_distances(sub, A, B, label):
    expected = _ref_sq_distances(A, B)
    got = array(sub.call("pairwise_sq_distances", A, B), shape=expected.shape, kind="f", name=label)
    mistakes = [
        (
            expected.T,
            "a sua matriz é a transposta da esperada: a linha i deve falar do ponto i de A e a coluna j, do ponto j "
            "de B — confira em que posição cada um ganhou o eixo novo (np.newaxis)",
        ),
        (np.sqrt(expected), "você tirou a raiz: o exercício pede a distância AO QUADRADO"),
    ]
    diagnose(got, expected, mistakes=mistakes, rtol=1e-10, atol=1e-10, name=label)


@pytest.mark.exercise("pairwise_sq_distances", points=2)
def test_pairwise_sq_distances_example(sub):
    """Dica: D tem formato (n, m) — uma linha por ponto de A, uma coluna por ponto de B; com
    A = [[0, 0], [3, 4]] e B = [[0, 0], [1, 0], [0, 2]], D = [[0, 1, 4], [25, 20, 13]]. Faça A ganhar um eixo
    novo na posição 1 e B na posição 0, e some o eixo das coordenadas."""
    A = np.array([[0.0, 0.0], [3.0, 4.0]])
    B = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    _check_distances(sub, A, B, "pairwise_sq_distances(A, B) com A (2, 2) e B (3, 2)")
    # n = m: a transposta tem o mesmo formato, então só os valores denunciam o eixo trocado
    A = np.array([[0.0, 0.0, 1.0], [2.0, 1.0, 0.0]])
    B = np.array([[1.0, 1.0, 1.0], [0.0, 3.0, 0.0]])
    _check_distances(sub, A, B, "pairwise_sq_distances(A, B) com A e B (2, 3)")
    _check_distances(sub, B, A[:1], "pairwise_sq_distances(B, A[:1]) com m = 1")


@pytest.mark.exercise("pairwise_sq_distances", points=1, hidden=True)
def test_pairwise_sq_distances_random(sub):
    """Dica: funcione para quaisquer n, m e d (inclusive d = 1), sem laços."""
    rng = np.random.default_rng(5)
    for n, m, d in ((7, 5, 3), (4, 4, 1), (1, 6, 2)):
        A, B = rng.normal(size=(n, d)), rng.normal(size=(m, d))
        _check_distances(sub, A, B, f"pairwise_sq_distances com n = {n}, m = {m}, d = {d}")
