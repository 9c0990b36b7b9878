import numpy as np
import pytest
from sklearn import linear_model
from sklearn.datasets import load_diabetes
from sklearn.multiclass import OneVsRestClassifier

from coursekit import data
from coursekit.linear import LinearRegression, LogisticRegression, Perceptron, normal_equation, scale_features


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return scale_features(X, method="standard")[0], y


def test_baby_weight_slide_numbers():
    X, y = data.baby_weights()
    model = LinearRegression().fit(X, y)
    assert model.coef_[0] == pytest.approx(0.3021978022, abs=1e-10)
    assert model.intercept_ == pytest.approx(4.8274725275, abs=1e-10)
    assert model.predict([[19]])[0] == pytest.approx(10.5692307692, abs=1e-9)
    # o slide imprime 10.56: é o valor truncado, o arredondado é 10.57
    assert np.floor(model.predict([[19]])[0] * 100) / 100 == 10.56


def test_normal_equation_equals_sklearn(diabetes):
    X, y = diabetes
    ours = LinearRegression().fit(X, y)
    ref = linear_model.LinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9, atol=1e-9)
    assert ours.intercept_ == pytest.approx(ref.intercept_, rel=1e-12)


def test_normal_equation_singular_matrix():
    # coluna repetida: XᵀX não é invertível, mas mínimos quadrados ainda resolve
    x = np.arange(5.0)
    coef, b = normal_equation(np.column_stack([x, x]), 2 * x + 1)
    np.testing.assert_allclose(coef, [1.0, 1.0], atol=1e-10)
    assert b == pytest.approx(1.0)


def test_full_batch_gd_converges_to_normal_equation(diabetes):
    X, y = diabetes
    exact = LinearRegression().fit(X, y)
    # lr < 2/λ_max(XᵀX/m) ≈ 0.497 garante convergência; λ_min ≈ 0.0086 dita a velocidade
    gd = LinearRegression(solver="gd", lr=0.4, epochs=6000).fit(X, y)
    np.testing.assert_allclose(gd.coef_, exact.coef_, rtol=1e-6, atol=1e-6)
    assert gd.intercept_ == pytest.approx(exact.intercept_, rel=1e-6)
    assert np.all(np.diff(gd.loss_history_) <= 1e-9)  # lote inteiro: a perda nunca sobe


def test_stochastic_gd_gets_close(diabetes):
    X, y = diabetes
    exact = LinearRegression().fit(X, y)
    sgd = LinearRegression(solver="gd", lr=0.002, epochs=60, batch_size=1, seed=0).fit(X, y)
    best = np.mean((exact.predict(X) - y) ** 2)
    assert np.mean((sgd.predict(X) - y) ** 2) < 1.01 * best
    assert len(sgd.loss_history_) == 60


def test_gd_diverges_without_warnings():
    X, y = data.baby_weights()
    model = LinearRegression(solver="gd", lr=0.1, epochs=500).fit(X, y)
    assert not np.isfinite(model.loss_history_[-1]) or model.loss_history_[-1] > 1e10
    assert len(model.loss_history_) < 500  # parou ao divergir


def test_gd_is_deterministic(diabetes):
    X, y = diabetes
    a = LinearRegression(solver="gd", lr=0.01, epochs=5, batch_size=24, seed=1).fit(X, y)
    b = LinearRegression(solver="gd", lr=0.01, epochs=5, batch_size=24, seed=1).fit(X, y)
    c = LinearRegression(solver="gd", lr=0.01, epochs=5, batch_size=24, seed=2).fit(X, y)
    assert np.array_equal(a.coef_, b.coef_) and not np.array_equal(a.coef_, c.coef_)


def test_scale_features_mean_range():
    X = np.array([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]])
    Xs, center, scale = scale_features(X)
    np.testing.assert_allclose(center, [3, 20])
    np.testing.assert_allclose(scale, [4, 20])
    np.testing.assert_allclose(Xs[:, 0], [-0.5, 0, 0.5])
    with pytest.raises(ValueError, match="constante"):
        scale_features(np.ones((3, 2)))


def test_logistic_matches_sklearn_unregularised():
    X, y = data.iris()
    mask = y > 0  # versicolor × virginica: não separáveis, o ótimo sem regularização é finito
    X, y = scale_features(X[mask], method="standard")[0], (y[mask] == 2).astype(int)
    ours = LogisticRegression(lr=1.0, epochs=20000).fit(X, y)
    ref = linear_model.LogisticRegression(C=np.inf, tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-4)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-3)
    assert np.array_equal(ours.predict(X), ref.predict(X))


def test_logistic_one_vs_rest_iris():
    X, y = data.iris()
    X = scale_features(X, method="standard")[0]
    ours = LogisticRegression(lr=0.5, epochs=3000).fit(X, y)
    assert ours.coef_.shape == (3, 4) and ours.intercept_.shape == (3,)
    proba = ours.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    ref = OneVsRestClassifier(linear_model.LogisticRegression(C=np.inf, max_iter=5000)).fit(X, y)
    assert np.mean(ours.predict(X) == ref.predict(X)) >= 0.97
    assert np.mean(ours.predict(X) == y) >= 0.95


def test_logistic_bad_labels():
    X = np.zeros((4, 1))
    with pytest.raises(ValueError, match=r"\{0, 1\}"):
        LogisticRegression().fit(X, [1, 2, 1, 2])
    with pytest.raises(ValueError, match="inteiros"):
        LogisticRegression().fit(X, [0, 0.5, 1, 1])
    with pytest.raises(ValueError, match="2 classes"):
        LogisticRegression().fit(X, [1, 1, 1, 1])


def test_perceptron_double_moons():
    X, y = data.double_moons(n=1000, distance=1.0, radius=10.0, width=6.0, seed=0)
    model = Perceptron(epochs=100).fit(X, y)
    assert model.errors_[-1] == 0 and np.all(model.predict(X) == y)
    X, y = data.double_moons(n=1000, distance=-4.0, radius=10.0, width=6.0, seed=0)
    model = Perceptron(epochs=50).fit(X, y)
    assert len(model.errors_) == 50 and min(model.errors_) > 0
    assert np.mean(model.predict(X) == y) < 1.0


def test_perceptron_xor_impossible_and_labels():
    X, y = data.xor()
    model = Perceptron(epochs=50).fit(X, 2 * y - 1)
    assert min(model.errors_) > 0 and np.sum(model.predict(X) == 2 * y - 1) <= 3
    with pytest.raises(ValueError, match="-1, 1"):
        Perceptron().fit(X, y)  # rótulos 0/1 em vez de −1/+1


@pytest.mark.parametrize(
    "make, X, y, err, msg",
    [
        (LinearRegression, [[1.0], [2.0]], [1.0], ValueError, "mesmo número"),
        (LinearRegression, [[1.0], [np.inf]], [1.0, 2.0], ValueError, "NaN ou infinito"),
        (LinearRegression, np.empty((0, 2)), [], ValueError, "vazio"),
        (LinearRegression, "dados", [1.0], TypeError, "X deve"),
        (lambda: LinearRegression(solver="svd"), [[1.0]], [1.0], ValueError, "solver desconhecido"),
        (lambda: LinearRegression(solver="gd", lr=-1), [[1.0]], [1.0], ValueError, "lr deve"),
        (lambda: LinearRegression(solver="gd", batch_size=0), [[1.0]], [1.0], ValueError, "batch_size"),
        (lambda: Perceptron(epochs=1.5), [[1.0]], [1.0], TypeError, "epochs"),
    ],
)
def test_bad_input_messages(make, X, y, err, msg):
    with pytest.raises(err, match=msg):
        make().fit(X, y)


def test_predict_checks_columns():
    model = LinearRegression().fit(np.arange(10.0).reshape(5, 2), np.arange(5.0))
    with pytest.raises(ValueError, match="2 coluna"):
        model.predict(np.zeros((3, 3)))
