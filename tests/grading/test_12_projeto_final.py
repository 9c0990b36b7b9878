"""Testes de correção da aula 12. Referências: coursekit.data.binary_numbers e
coursekit.model_selection (accuracy, confusion_matrix)."""

import numpy as np
import pytest

from coursekit.data import binary_numbers
from coursekit.model_selection import accuracy, confusion_matrix

LECTURE = "12_projeto_final"


@pytest.mark.exercise("bits_to_int", points=1)
def test_bits_worked(sub):
    """Dica: 1010₂ = 8 + 2 = 10 e 0111₂ = 4 + 2 + 1 = 7; o primeiro bit é o mais significativo."""
    np.testing.assert_array_equal(sub.call("bits_to_int", np.array([[1, 0, 1, 0], [0, 1, 1, 1]])), [10, 7])


@pytest.mark.exercise("bits_to_int", points=2, hidden=True)
def test_bits_all(sub):
    """Dica: os pesos dependem do número de colunas: 2^(n_bits−1), ..., 2, 1."""
    for n_bits in (1, 3, 8):
        X, y = binary_numbers(n_bits)
        np.testing.assert_array_equal(sub.call("bits_to_int", X.astype(np.int64)), y)


@pytest.mark.exercise("accuracy_score", points=1)
def test_accuracy_worked(sub):
    """Dica: 3 acertos em 4 → 0.75."""
    assert sub.call("accuracy_score", np.array([0, 1, 2, 2]), np.array([0, 2, 2, 2])) == pytest.approx(0.75)


@pytest.mark.exercise("accuracy_score", points=1, hidden=True)
def test_accuracy_random(sub):
    """Dica: compare elemento a elemento e tire a média; o resultado é uma fração entre 0 e 1, não uma porcentagem."""
    rng = np.random.default_rng(0)
    t = rng.integers(0, 10, 200)
    p = np.where(rng.random(200) < 0.8, t, rng.integers(0, 10, 200))
    assert sub.call("accuracy_score", t, p) == pytest.approx(accuracy(t, p))


@pytest.mark.exercise("confusion", points=1)
def test_confusion_worked(sub):
    """Dica: linhas = verdade, colunas = previsão: [[1, 0], [1, 1]]."""
    np.testing.assert_array_equal(
        sub.call("confusion", np.array([0, 1, 1]), np.array([0, 0, 1]), 2), [[1, 0], [1, 1]]
    )


@pytest.mark.exercise("confusion", points=2, hidden=True)
def test_confusion_random(sub):
    """Dica: a matriz tem formato (n_classes, n_classes) mesmo se alguma classe não aparece; C[verdade, previsão] += 1."""
    rng = np.random.default_rng(1)
    t = rng.integers(0, 4, 100)
    p = np.where(rng.random(100) < 0.6, t, rng.integers(0, 4, 100))
    C = sub.call("confusion", t, p, 6)
    np.testing.assert_array_equal(C, confusion_matrix(t, p, n_classes=6))
