"""Testes de correção da aula 11. Referências: coursekit.nn.MLP (alpha, validation_data, patience)
e coursekit.model_selection (train_test_split, k_fold)."""

import numpy as np
import pytest

from coursekit.model_selection import k_fold, train_test_split
from coursekit.nn import MLP, Adam

LECTURE = "11_overfitting_regularizacao"


@pytest.mark.exercise("l2_penalize", points=1)
def test_l2_worked(sub):
    """Dica: ‖W‖² = 1² + 2² = 5; perda = 1 + 0.1/2·5 = 1.25; gradiente = 0 + 0.1·W = [[0.1, 0.2]]."""
    loss, grad = sub.call("l2_penalize", 1.0, np.zeros((1, 2)), np.array([[1.0, 2.0]]), 0.1)
    assert loss == pytest.approx(1.25)
    np.testing.assert_allclose(grad, [[0.1, 0.2]])


@pytest.mark.exercise("l2_penalize", points=2, hidden=True)
def test_l2_matches_mlp(sub):
    """Dica: a penalidade é α/2 vezes a soma dos quadrados de TODOS os elementos de W; o gradiente ganha α·W."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    plain = MLP([3, 2], seed=1)
    reg = MLP([3, 2], seed=1, alpha=0.7)
    l0, g0, _ = plain.loss_and_gradients(X, Y)
    l1, g1, _ = reg.loss_and_gradients(X, Y)
    loss, grad = sub.call("l2_penalize", l0, g0[0], plain.weights[0], 0.7)
    assert loss == pytest.approx(l1, rel=1e-10)
    np.testing.assert_allclose(grad, g1[0], rtol=1e-10)


def _ref_split(n, frac, seed):
    X = np.arange(n)
    _, _, tr, va = train_test_split(X, X, test_size=frac, seed=seed)
    return tr, va


@pytest.mark.exercise("split_indices", points=1)
def test_split_sizes(sub):
    """Dica: a validação tem ceil(0.25·10) = 3 índices; treino e validação juntos são 0..9 sem repetição."""
    tr, va = sub.call("split_indices", 10, 0.25, 0)
    assert len(va) == 3 and len(tr) == 7
    assert sorted(np.concatenate([tr, va]).tolist()) == list(range(10))


@pytest.mark.exercise("split_indices", points=2, hidden=True)
def test_split_matches_reference(sub):
    """Dica: use np.random.default_rng(seed).permutation(n); os PRIMEIROS da permutação vão para a validação."""
    for n, frac, seed in [(10, 0.25, 0), (37, 0.3, 5), (100, 0.2, 42)]:
        tr, va = sub.call("split_indices", n, frac, seed)
        ref_tr, ref_va = _ref_split(n, frac, seed)
        np.testing.assert_array_equal(va, ref_va)
        np.testing.assert_array_equal(tr, ref_tr)


@pytest.mark.exercise("kfold_indices", points=1)
def test_kfold_worked(sub):
    """Dica: com n = 10 e k = 3 as validações são [0..3], [4..6], [7..9] (a primeira dobra leva o elemento a mais)."""
    folds = sub.call("kfold_indices", 10, 3)
    assert len(folds) == 3
    for (tr, va), (rtr, rva) in zip(folds, k_fold(10, 3)):
        np.testing.assert_array_equal(va, rva)
        np.testing.assert_array_equal(tr, rtr)


@pytest.mark.exercise("kfold_indices", points=2, hidden=True)
def test_kfold_various(sub):
    """Dica: as n % k primeiras dobras têm n // k + 1 elementos; o treino é tudo menos a dobra, em ordem crescente."""
    for n, k in [(7, 7), (23, 4), (50, 5), (11, 2)]:
        folds = sub.call("kfold_indices", n, k)
        assert len(folds) == k
        for (tr, va), (rtr, rva) in zip(folds, k_fold(n, k)):
            np.testing.assert_array_equal(va, rva)
            np.testing.assert_array_equal(tr, rtr)


@pytest.mark.exercise("early_stopping", points=1)
def test_early_stopping_worked(sub):
    """Dica: a melhor é a época 1 (perda 4); as épocas 2 e 3 não melhoram; com paciência 2 para após 4 épocas."""
    assert tuple(sub.call("early_stopping", [5.0, 4.0, 4.5, 4.2, 3.9, 4.1, 4.3], 2)) == (1, 4)
    assert tuple(sub.call("early_stopping", [3.0, 2.0, 1.0], 2)) == (2, 3)


@pytest.mark.exercise("early_stopping", points=2, hidden=True)
def test_early_stopping_matches_mlp(sub):
    """Dica: uma perda IGUAL à melhor não conta como melhora; a época que atinge a paciência também conta como rodada."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(20, 1))
    y = np.sin(3 * X[:, 0]) + 0.4 * rng.normal(size=20)
    Xv = rng.uniform(-1, 1, size=(40, 1))
    yv = np.sin(3 * Xv[:, 0]) + 0.4 * rng.normal(size=40)
    full = MLP([1, 32, 1], activation="tanh", seed=0)
    full.fit(X, y, optimizer=Adam(0.01), epochs=400, batch_size=20, validation_data=(Xv, yv))
    for patience in (5, 30, 100):
        stop = MLP([1, 32, 1], activation="tanh", seed=0)
        stop.fit(
            X, y, optimizer=Adam(0.01), epochs=400, batch_size=20, validation_data=(Xv, yv), patience=patience
        )
        best, ran = sub.call("early_stopping", list(full.val_loss_history_), patience)
        assert (int(best), int(ran)) == (stop.best_epoch_, len(stop.val_loss_history_))
    assert tuple(sub.call("early_stopping", [1.0, 1.0, 1.0], 2)) == (0, 3)
