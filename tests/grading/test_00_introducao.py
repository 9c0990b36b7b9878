"""Testes de correção da aula 00 (aquecimento com NumPy).

Cada teste recebe ``sub`` (a submissão) e chama as funções do aluno com
``sub.call``. A docstring de cada teste é a dica mostrada quando ele falha.
"""

import numpy as np
import pytest

LECTURE = "00_introducao"


@pytest.mark.exercise("make_grid", points=1)
def test_make_grid_2x3(sub):
    """Dica: np.arange(n_rows * n_cols, dtype=float).reshape(n_rows, n_cols)."""
    grid = sub.call("make_grid", 2, 3)
    np.testing.assert_array_equal(grid, [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])


@pytest.mark.exercise("make_grid", points=1, hidden=True)
def test_make_grid_float_and_shape(sub):
    """Dica: o resultado deve ser float64 e ter formato (n_rows, n_cols)."""
    grid = sub.call("make_grid", 4, 1)
    assert isinstance(grid, np.ndarray) and grid.dtype == np.float64
    np.testing.assert_array_equal(grid, np.arange(4.0).reshape(4, 1))


@pytest.mark.exercise("column_means", points=1)
def test_column_means_small(sub):
    """Dica: X.mean(axis=0) tira a média de cada coluna (ao longo das linhas)."""
    X = np.array([[1.0, 2.0], [3.0, 6.0]])
    np.testing.assert_allclose(sub.call("column_means", X), [2.0, 4.0])


@pytest.mark.exercise("column_means", points=1, hidden=True)
def test_column_means_random(sub):
    """Dica: devolva um array de formato (n_features,)."""
    X = np.random.default_rng(0).normal(size=(50, 3))
    np.testing.assert_allclose(sub.call("column_means", X), X.mean(axis=0))


@pytest.mark.exercise("standardize", points=2)
def test_standardize_mean_zero_std_one(sub):
    """Dica: (X - X.mean(axis=0)) / X.std(axis=0); cada coluna fica com média 0 e desvio 1."""
    X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]])
    Z = sub.call("standardize", X)
    np.testing.assert_allclose(Z.mean(axis=0), [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), [1.0, 1.0])


@pytest.mark.exercise("standardize", points=1, hidden=True)
def test_standardize_random(sub):
    """Dica: use o desvio padrão populacional (ddof=0), que é o padrão de X.std."""
    X = np.random.default_rng(1).normal(3.0, 2.0, size=(20, 4))
    expected = (X - X.mean(axis=0)) / X.std(axis=0)
    np.testing.assert_allclose(sub.call("standardize", X), expected)


@pytest.mark.exercise("dot_product", points=1)
def test_dot_product_value(sub):
    """Dica: multiplique elemento a elemento e some: (a * b).sum()."""
    result = sub.call("dot_product", np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0]))
    assert result == pytest.approx(32.0)


@pytest.mark.exercise("dot_product", points=1)
def test_dot_product_shape_mismatch(sub):
    """Dica: se a.shape != b.shape, levante ValueError com uma mensagem em português."""
    assert sub.raises("dot_product", np.ones(3), np.ones(2)) == "ValueError"


@pytest.mark.exercise("dot_product", points=1, hidden=True)
def test_dot_product_random(sub):
    """Dica: o resultado é um único número (float)."""
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=10), rng.normal(size=10)
    assert sub.call("dot_product", a, b) == pytest.approx(float(a @ b))
