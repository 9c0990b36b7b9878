"""Testes de correção da aula 02 (regressão linear).

Cada teste recebe ``sub`` (a submissão) e chama as funções do aluno com ``sub.call``.
A referência (lado confiável) vem do ``coursekit``. A docstring de cada teste é a dica
mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.data import baby_weights
from coursekit.linear import LinearRegression, normal_equation
from coursekit.nn import half_mse, mse

LECTURE = "02_regressao_linear"

M_SLIDE, B_SLIDE = 0.30219780219780235, 4.827472527472528


def _random_problem(seed, n=25, d=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    b = float(rng.normal())
    y = X @ w + b + 0.1 * rng.normal(size=n)
    return X, y, w, b


# --------------------------------------------------------------------- 1. predict
@pytest.mark.exercise("predict", points=1)
def test_predict_baby_19_months(sub):
    """Dica: X @ w + b; aos 19 meses, 0,3021978·19 + 4,8274725 ≈ 10,5692."""
    result = sub.call("predict", np.array([[19.0]]), np.array([M_SLIDE]), B_SLIDE)
    np.testing.assert_allclose(result, [10.569230769230769], rtol=1e-12)


@pytest.mark.exercise("predict", points=1)
def test_predict_two_features(sub):
    """Dica: [[1, 2], [3, 4]] @ [10, 1] = [12, 34]; somando b = 0,5 dá [12,5; 34,5]."""
    result = sub.call("predict", np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([10.0, 1.0]), 0.5)
    np.testing.assert_allclose(result, [12.5, 34.5])


@pytest.mark.exercise("predict", points=1, hidden=True)
def test_predict_random(sub):
    """Dica: devolva um vetor (n_amostras,), igual ao predict de um modelo com esses w e b."""
    X, _, w, b = _random_problem(1, n=40, d=5)
    model = LinearRegression()
    model.coef_, model.intercept_ = w, b
    result = sub.call("predict", X, w, b)
    assert np.shape(result) == (40,)
    np.testing.assert_allclose(result, model.predict(X), rtol=1e-12)


# ------------------------------------------------------------- 2. per_sample_loss
@pytest.mark.exercise("per_sample_loss", points=1)
def test_per_sample_loss_small(sub):
    """Dica: 0.5 * (y_pred - y_true) ** 2, elemento a elemento: [1, 2] e [3, 2] → [2, 0]."""
    np.testing.assert_allclose(
        sub.call("per_sample_loss", np.array([1.0, 2.0]), np.array([3.0, 2.0])), [2.0, 0.0]
    )


@pytest.mark.exercise("per_sample_loss", points=1)
def test_per_sample_loss_mean_is_half_mse(sub):
    """Dica: a média das perdas por exemplo é a L(w, b) do slide (½MSE); no bebê de 0 meses, ≈ 1,3243."""
    X, y = baby_weights()
    y_hat = M_SLIDE * X[:, 0] + B_SLIDE
    losses = sub.call("per_sample_loss", y, y_hat)
    assert np.shape(losses) == (13,)
    assert losses[0] == pytest.approx(1.3243, abs=1e-4)
    assert float(np.mean(losses)) == pytest.approx(half_mse(y, y_hat), rel=1e-12)


@pytest.mark.exercise("per_sample_loss", points=1, hidden=True)
def test_per_sample_loss_random(sub):
    """Dica: nunca negativa; não tire a média nesta função (uma perda por exemplo)."""
    rng = np.random.default_rng(5)
    t, p = rng.normal(size=30), rng.normal(size=30)
    losses = sub.call("per_sample_loss", t, p)
    np.testing.assert_allclose(losses, 0.5 * (p - t) ** 2)
    assert float(np.mean(losses)) == pytest.approx(half_mse(t, p))


# ------------------------------------------------------------------------- 3. mse
@pytest.mark.exercise("mse", points=1)
def test_mse_small(sub):
    """Dica: média de (ŷ − y)²: erros [1, 0, 2] → (1 + 0 + 4) / 3 ≈ 1,667 (sem o ½)."""
    assert sub.call("mse", np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0])) == pytest.approx(5 / 3)


@pytest.mark.exercise("mse", points=1)
def test_mse_baby_line(sub):
    """Dica: na reta de mínimos quadrados dos bebês, o MSE é ≈ 0,3899."""
    X, y = baby_weights()
    y_hat = M_SLIDE * X[:, 0] + B_SLIDE
    assert sub.call("mse", y, y_hat) == pytest.approx(mse(y, y_hat), rel=1e-12)


@pytest.mark.exercise("mse", points=1, hidden=True)
def test_mse_random(sub):
    """Dica: devolva um único número (float), a média sobre todos os exemplos."""
    rng = np.random.default_rng(6)
    t, p = rng.normal(size=50), rng.normal(size=50)
    assert sub.call("mse", t, p) == pytest.approx(mse(t, p), rel=1e-12)


@pytest.mark.exercise("mse", points=1, hidden=True)
def test_mse_shape_mismatch(sub):
    """Dica: se y_true e y_pred têm formatos diferentes, levante ValueError."""
    assert sub.raises("mse", np.ones(3), np.ones((3, 1))) == "ValueError"


# ------------------------------------------------------------- 4. add_bias_column
@pytest.mark.exercise("add_bias_column", points=1)
def test_add_bias_column_small(sub):
    """Dica: np.column_stack([X, np.ones(len(X))]) — a coluna de 1s vai no FINAL."""
    result = sub.call("add_bias_column", np.array([[0.0], [2.0], [4.0]]))
    np.testing.assert_allclose(result, [[0.0, 1.0], [2.0, 1.0], [4.0, 1.0]])


@pytest.mark.exercise("add_bias_column", points=1, hidden=True)
def test_add_bias_column_shapes(sub):
    """Dica: formato (n, d + 1); um vetor 1-D vira uma coluna antes (x.reshape(-1, 1))."""
    X = np.random.default_rng(7).normal(size=(6, 3))
    result = sub.call("add_bias_column", X)
    assert np.shape(result) == (6, 4)
    np.testing.assert_allclose(result[:, :3], X)
    np.testing.assert_allclose(result[:, 3], np.ones(6))
    np.testing.assert_allclose(sub.call("add_bias_column", np.array([1.0, 2.0])), [[1.0, 1.0], [2.0, 1.0]])


# ------------------------------------------------------------- 5. normal_equation
@pytest.mark.exercise("normal_equation", points=2)
def test_normal_equation_baby_weights(sub):
    """Dica: θ = lstsq([X 1], y); na tabela dos bebês, w ≈ [0,3021978] e b ≈ 4,8274725."""
    X, y = baby_weights()
    w, b = sub.call("normal_equation", X, y)
    ref_w, ref_b = normal_equation(X, y)
    np.testing.assert_allclose(w, ref_w, rtol=1e-9)
    assert b == pytest.approx(ref_b, rel=1e-9)
    np.testing.assert_allclose(w, [0.3021978], atol=1e-7)


@pytest.mark.exercise("normal_equation", points=2, hidden=True)
def test_normal_equation_random(sub):
    """Dica: devolva (w, b) com w de formato (n_atributos,) e b um número."""
    for seed in range(3):
        X, y, _, _ = _random_problem(seed + 10)
        w, b = sub.call("normal_equation", X, y)
        ref = LinearRegression().fit(X, y)
        assert np.shape(w) == (3,)
        np.testing.assert_allclose(w, ref.coef_, rtol=1e-8, atol=1e-10)
        assert b == pytest.approx(ref.intercept_, rel=1e-8, abs=1e-10)


@pytest.mark.exercise("normal_equation", points=2, hidden=True)
def test_normal_equation_duplicated_column(sub):
    """Dica: com uma coluna repetida, XᵀX é singular e np.linalg.inv falha; use np.linalg.lstsq."""
    X, y = baby_weights()
    X_dup = np.column_stack([X, X])
    w, b = sub.call("normal_equation", X_dup, y)
    ref_w, ref_b = normal_equation(X_dup, y)
    # qualquer solução de mínimos quadrados serve: as previsões (e o MSE) são as mesmas
    np.testing.assert_allclose(X_dup @ np.asarray(w) + b, X_dup @ ref_w + ref_b, rtol=1e-8)
    assert float(np.sum(w)) == pytest.approx(M_SLIDE, rel=1e-8)
