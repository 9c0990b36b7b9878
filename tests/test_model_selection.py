"""Testes de coursekit.model_selection (aulas 11 e 12), comparados ao scikit-learn."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.metrics import accuracy_score
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from sklearn.model_selection import KFold
from sklearn.model_selection import train_test_split as sk_split
from sklearn.preprocessing import PolynomialFeatures

from coursekit import model_selection as ms
from coursekit.linear import LinearRegression


def test_train_test_split_sizes_and_partition():
    X = np.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    Xtr, Xte, ytr, yte = ms.train_test_split(X, y, test_size=0.25, seed=3)
    sk = sk_split(X, y, test_size=0.25, random_state=3)
    assert len(Xtr) == len(sk[0]) == 15 and len(Xte) == len(sk[1]) == 5
    assert sorted(np.concatenate([ytr, yte]).tolist()) == list(range(20))
    np.testing.assert_array_equal(Xtr[:, 0] / 2, ytr)  # linhas continuam pareadas
    assert ytr.dtype == y.dtype


def test_train_test_split_rounds_up_like_sklearn():
    X = np.zeros((11, 1))
    y = np.arange(11)
    for frac in (0.1, 0.2, 0.33, 0.5):
        ours = ms.train_test_split(X, y, test_size=frac)[1]
        theirs = sk_split(X, y, test_size=frac, random_state=0)[1]
        assert len(ours) == len(theirs)


def test_train_test_split_no_shuffle_matches_sklearn():
    X = np.arange(10.0)
    y = np.arange(10)
    ours = ms.train_test_split(X, y, test_size=3, shuffle=False)
    theirs = sk_split(X.reshape(-1, 1), y, test_size=3, shuffle=False)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


def test_train_test_split_seed_reproducible_and_different():
    X = np.arange(50.0)
    y = np.arange(50)
    a = ms.train_test_split(X, y, seed=1)[3]
    b = ms.train_test_split(X, y, seed=1)[3]
    c = ms.train_test_split(X, y, seed=2)[3]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("bad", [0.0, 1.0, 0, 10, -1])
def test_train_test_split_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="test_size"):
        ms.train_test_split(np.zeros(10), np.zeros(10), test_size=bad)


@pytest.mark.parametrize("n,k", [(10, 5), (11, 3), (7, 7), (23, 4)])
def test_k_fold_matches_sklearn_without_shuffle(n, k):
    ours = ms.k_fold(n, k)
    theirs = list(KFold(k).split(np.zeros((n, 1))))
    assert len(ours) == k
    for (tr, va), (str_, sva) in zip(ours, theirs):
        np.testing.assert_array_equal(tr, str_)
        np.testing.assert_array_equal(va, sva)


def test_k_fold_shuffled_is_partition_and_seeded():
    folds = ms.k_fold(17, 4, shuffle=True, seed=5)
    vals = np.concatenate([va for _, va in folds])
    assert sorted(vals.tolist()) == list(range(17))
    assert [len(va) for _, va in folds] == [5, 4, 4, 4]
    for tr, va in folds:
        assert len(np.intersect1d(tr, va)) == 0 and len(tr) + len(va) == 17
    again = ms.k_fold(17, 4, shuffle=True, seed=5)
    for (a, b), (c, d) in zip(folds, again):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    assert not np.array_equal(folds[0][1], ms.k_fold(17, 4, shuffle=True, seed=6)[0][1])


@pytest.mark.parametrize("k", [1, 11])
def test_k_fold_rejects_bad_k(k):
    with pytest.raises(ValueError, match="k deve"):
        ms.k_fold(10, k)


def test_cross_val_score_matches_manual_loop():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = X @ [1.0, -2.0] + 0.1 * rng.normal(size=30)
    scores = ms.cross_val_score(LinearRegression, X, y, k=3, shuffle=False)
    manual = []
    for tr, va in KFold(3).split(X):
        m = LinearRegression().fit(X[tr], y[tr])
        manual.append(np.mean((m.predict(X[va]) - y[va]) ** 2))
    np.testing.assert_allclose(scores, manual)
    acc = ms.cross_val_score(LinearRegression, X, y, k=3, scoring=lambda a, b: -1.0)
    np.testing.assert_array_equal(acc, [-1.0] * 3)


@pytest.mark.parametrize("degree,bias", [(1, False), (3, True), (7, False)])
def test_polynomial_features_matches_sklearn(degree, bias):
    x = np.linspace(-1, 2, 9)
    ours = ms.polynomial_features(x, degree, include_bias=bias)
    theirs = PolynomialFeatures(degree, include_bias=bias).fit_transform(x.reshape(-1, 1))
    np.testing.assert_allclose(ours, theirs)


def test_polynomial_features_rejects_two_columns():
    with pytest.raises(ValueError, match="único atributo"):
        ms.polynomial_features(np.zeros((4, 2)), 2)


@pytest.mark.parametrize("alpha", [0.0, 0.01, 1.0, 30.0])
def test_ridge_fit_matches_sklearn(alpha):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(25, 4))
    y = X @ [1.0, 0.5, -1.0, 2.0] + 3 + rng.normal(size=25)
    coef, b = ms.ridge_fit(X, y, alpha)
    sk = Ridge(alpha=alpha, solver="svd").fit(X, y)
    np.testing.assert_allclose(coef, sk.coef_, atol=1e-10)
    assert np.isclose(b, sk.intercept_)


def test_ridge_shrinks_weights():
    x = np.linspace(-1, 1, 12)
    X = ms.polynomial_features(x, 9)
    y = np.sin(3 * x)
    norms = [np.linalg.norm(ms.ridge_fit(X, y, a)[0]) for a in (0.0, 1e-3, 1e-1, 10.0)]
    assert all(a > b for a, b in zip(norms, norms[1:]))


def test_accuracy_and_confusion_matrix_match_sklearn():
    rng = np.random.default_rng(2)
    t = rng.integers(0, 4, 50)
    p = np.where(rng.random(50) < 0.7, t, rng.integers(0, 4, 50))
    assert np.isclose(ms.accuracy(t, p), accuracy_score(t, p))
    np.testing.assert_array_equal(ms.confusion_matrix(t, p), sk_confusion_matrix(t, p))
    C = ms.confusion_matrix([0, 1], [0, 0], n_classes=3)
    np.testing.assert_array_equal(C, [[1, 0, 0], [1, 0, 0], [0, 0, 0]])
    assert C.sum() == 2


def test_confusion_matrix_rejects_bad_labels():
    with pytest.raises(ValueError):
        ms.confusion_matrix([0, 1.5], [0, 1])
    with pytest.raises(ValueError, match="n_classes"):
        ms.confusion_matrix([0, 3], [0, 1], n_classes=2)
