"""Testes de demonstração da autoverificação, usados só na aula 00 (``introducao.check_demo``).

Têm o mesmo formato dos testes de correção de ``tests/grading/`` (veja
``coursekit/grading/AUTHORING.md``), mas ficam fora de lá de propósito: não são um
exercício do curso e o corretor ``coursekit-grade`` nunca os vê.
"""

import numpy as np
import pytest


@pytest.mark.exercise("dobro", points=1)
def test_dobro_de_2(sub):
    """Dica: o dobro de 2 é 4."""
    assert sub.call("dobro", 2) == 4


@pytest.mark.exercise("dobro", points=1)
def test_dobro_de_3(sub):
    """Dica: o dobro de um número é ele vezes 2 (2 * x), não ele mais 2."""
    assert sub.call("dobro", 3) == 6


@pytest.mark.exercise("dobro", points=1)
def test_dobro_de_um_array(sub):
    """Dica: 2 * x funciona também com arrays do NumPy, elemento a elemento."""
    np.testing.assert_allclose(sub.call("dobro", np.array([0.0, 1.5])), [0.0, 3.0])
