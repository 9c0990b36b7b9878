import numpy as np
import pytest

from coursekit import data


def test_baby_weights_table():
    X, y = data.baby_weights()
    assert X.shape == (13, 1) and y.shape == (13,)
    assert X[0, 0] == 0 and X[-1, 0] == 24 and np.all(np.diff(X[:, 0]) == 2)
    assert y[0] == 3.2 and y[-1] == 11.5


def test_double_moons_geometry():
    X, y = data.double_moons(n=1001, distance=1.0, radius=10.0, width=6.0, seed=3)
    assert X.shape == (1001, 2) and set(np.unique(y)) == {-1.0, 1.0}
    assert (y == 1).sum() == 501 and (y == -1).sum() == 500
    up, low = X[y == 1], X[y == -1]
    r_up = np.hypot(*up.T)
    r_low = np.hypot(low[:, 0] - 10.0, low[:, 1] + 1.0)
    assert np.all((r_up >= 7) & (r_up <= 13)) and np.all(up[:, 1] >= 0)
    assert np.all((r_low >= 7) & (r_low <= 13)) and np.all(low[:, 1] <= -1.0)


def test_double_moons_uniform_over_area():
    # uniforme na área: a fração de pontos com r < raio médio é a fração da área do anel
    X, y = data.double_moons(n=40000, seed=0)
    r = np.hypot(*X[y == 1].T)
    expected = (10**2 - 7**2) / (13**2 - 7**2)
    assert abs(np.mean(r < 10) - expected) < 0.01


def test_double_moons_seeded_and_validated():
    a, b = data.double_moons(seed=5), data.double_moons(seed=5)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], data.double_moons(seed=6)[0])
    with pytest.raises(ValueError, match="width"):
        data.double_moons(width=25)
    with pytest.raises(TypeError, match="seed"):
        data.double_moons(seed="x")
    with pytest.raises(ValueError, match="n deve"):
        data.double_moons(n=1)


def test_xor_anscombe_iris_digits_binary():
    X, y = data.xor()
    assert np.array_equal(y, (X[:, 0] != X[:, 1]).astype(float))
    quartet = data.anscombe()
    assert sorted(quartet) == ["I", "II", "III", "IV"]
    for x, yy in quartet.values():
        assert len(x) == len(yy) == 11 and abs(yy.mean() - 7.50) < 0.01
    X, y = data.iris()
    assert X.shape == (150, 4) and set(y) == {0, 1, 2}
    X, y = data.digits()
    assert X.shape == (1797, 64) and X.min() == 0 and X.max() == 1 and set(y) == set(range(10))
    X, y = data.binary_numbers(4)
    assert X.shape == (16, 4) and np.array_equal(X[5], [0, 1, 0, 1]) and y[5] == 5
    assert np.array_equal(X @ (2 ** np.arange(3, -1, -1)), y)
    with pytest.raises(TypeError, match="n_bits"):
        data.binary_numbers(2.5)


def test_bundled_tables_match_scikit_learn_loaders():
    """iris e digits são lidos direto do arquivo do scikit-learn (sem importá-lo): os mesmos números."""
    from sklearn.datasets import load_digits, load_iris

    X, y = data.iris()
    reference = load_iris()
    np.testing.assert_array_equal(X, reference.data)
    np.testing.assert_array_equal(y, reference.target)
    X, y = data.digits()
    reference = load_digits()
    np.testing.assert_array_equal(X, reference.data / 16.0)
    np.testing.assert_array_equal(y, reference.target)
    assert X.dtype == np.float64 and y.dtype == np.int64


def test_loaders_return_fresh_copies_and_do_not_import_sklearn():
    import subprocess
    import sys

    X, _ = data.digits()
    X[0, 0] = 99.0
    assert data.digits()[0][0, 0] != 99.0  # o cache interno não é alterado por quem recebe
    code = "import sys; from coursekit.data import digits, iris; digits(); iris(); print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_mnist1d_is_seeded_balanced_and_leaves_global_rng_alone():
    import random

    from coursekit.data import mnist1d

    np.random.seed(123)
    random.seed(123)
    before = (np.random.random(), random.random())
    np.random.seed(123)
    random.seed(123)
    X, y = mnist1d(n_samples=200, seed=3)
    assert (np.random.random(), random.random()) == before  # o estado global não mudou
    assert X.shape == (200, 40) and X.dtype == float and y.dtype == np.int64
    assert np.array_equal(np.bincount(y), np.full(10, 20))
    assert np.isclose(X.mean(), 0.0, atol=1e-12) and np.isclose(X.std(), 1.0, rtol=1e-12)
    X2, y2 = mnist1d(n_samples=200, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X2[0, 0] = 99.0  # cópia: o cache não é alterado
    assert mnist1d(n_samples=200, seed=3)[0][0, 0] == X[0, 0]
    assert not np.array_equal(mnist1d(n_samples=200, seed=4)[0], X)


def test_mnist1d_rejects_bad_arguments():
    from coursekit.data import mnist1d

    with pytest.raises(ValueError, match="n_samples"):
        mnist1d(n_samples=5)
    with pytest.raises(TypeError, match="seed"):
        mnist1d(seed=1.5)
