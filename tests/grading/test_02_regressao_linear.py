"""Testes de correção da aula 02 (regressão linear).

Cada teste recebe ``sub`` (a submissão) e chama as funções do aluno com ``sub.call``.
A referência (lado confiável) vem do ``coursekit``. A docstring de cada teste é a dica
mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.data import baby_weights
from coursekit.grading.expect import array, assert_close, diagnose, fail, items, raises, uses
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
    assert_close(result, [10.569230769230769], rtol=1e-12, name="predict aos 19 meses")


@pytest.mark.exercise("predict", points=1)
def test_predict_two_features(sub):
    """Dica: [[1, 2], [3, 4], [0, 1]] @ [10, 1] = [12, 34, 1]; somando b = 0,5 dá [12,5; 34,5; 1,5]."""
    X = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 1.0]])
    result = sub.call("predict", X, np.array([10.0, 1.0]), 0.5)
    assert_close(result, [12.5, 34.5, 1.5], name="predict(X, w, b)")
    assert_close(sub.call("predict", X.tolist(), [10.0, 1.0], 0.5), [12.5, 34.5, 1.5], name="com listas")


@pytest.mark.exercise("predict", points=1, hidden=True)
def test_predict_random(sub):
    """Dica: devolva um vetor (n_amostras,), igual ao predict de um modelo com esses w e b."""
    X, _, w, b = _random_problem(1, n=40, d=5)
    model = LinearRegression()
    model.coef_, model.intercept_ = w, b
    assert_close(sub.call("predict", X, w, b), model.predict(X), rtol=1e-12, name="predict(X, w, b)")


# ------------------------------------------------------------- 2. per_sample_loss
@pytest.mark.exercise("per_sample_loss", points=1)
def test_per_sample_loss_small(sub):
    """Dica: 0.5 * (y_pred - y_true) ** 2, elemento a elemento: [1, 2, 0] e [3, 2, −1] → [2, 0, 0,5]."""
    result = sub.call("per_sample_loss", np.array([1.0, 2.0, 0.0]), np.array([3.0, 2.0, -1.0]))
    diagnose(result, [2.0, 0.0, 0.5], ratios=[(2.0, "faltou o ½ de ℓ = ½(ŷ − y)²")], name="per_sample_loss")


@pytest.mark.exercise("per_sample_loss", points=1)
def test_per_sample_loss_mean_is_half_mse(sub):
    """Dica: a média das perdas por exemplo é a L(w, b) do slide (½MSE); no bebê de 0 meses, ≈ 1,3243."""
    X, y = baby_weights()
    y_hat = M_SLIDE * X[:, 0] + B_SLIDE
    losses = assert_close(
        sub.call("per_sample_loss", y, y_hat), 0.5 * (y_hat - y) ** 2, rtol=1e-12, name="perdas"
    )
    assert_close(float(losses[0]), 1.3243, atol=1e-4, name="a perda do bebê de 0 meses")
    assert_close(float(np.mean(losses)), half_mse(y, y_hat), rtol=1e-12, name="a média das perdas")


@pytest.mark.exercise("per_sample_loss", points=1, hidden=True)
def test_per_sample_loss_random(sub):
    """Dica: nunca negativa; não tire a média nesta função (uma perda por exemplo)."""
    rng = np.random.default_rng(5)
    t, p = rng.normal(size=30), rng.normal(size=30)
    assert_close(sub.call("per_sample_loss", t, p), 0.5 * (p - t) ** 2, rtol=1e-12, name="perdas")


# ------------------------------------------------------------------------- 3. mse
@pytest.mark.exercise("mse", points=1)
def test_mse_small(sub):
    """Dica: média de (ŷ − y)²: erros [1, 0, 2] → (1 + 0 + 4) / 3 ≈ 1,667 (sem o ½)."""
    half = (0.5, "o MSE não tem o ½: ½·MSE é a média das perdas do exercício 2")
    got = sub.call("mse", np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0]))
    diagnose(got, 5 / 3, ratios=[half], rtol=1e-12, name="mse")


@pytest.mark.exercise("mse", points=1)
def test_mse_baby_line(sub):
    """Dica: na reta de mínimos quadrados dos bebês, o MSE é ≈ 0,3899; formatos diferentes
    (mesmo (3,) e (3, 1), que o NumPy combinaria) levantam ValueError."""
    X, y = baby_weights()
    y_hat = M_SLIDE * X[:, 0] + B_SLIDE
    assert_close(sub.call("mse", y, y_hat), mse(y, y_hat), rtol=1e-12, name="mse nos bebês")
    raises(sub, "ValueError", "mse", np.ones(3), np.ones((3, 1)))


@pytest.mark.exercise("mse", points=1, hidden=True)
def test_mse_random(sub):
    """Dica: devolva um único número (float), a média sobre todos os exemplos."""
    rng = np.random.default_rng(6)
    t, p = rng.normal(size=50), rng.normal(size=50)
    assert_close(sub.call("mse", t, p), mse(t, p), rtol=1e-12, name="mse")


@pytest.mark.exercise("mse", points=1, hidden=True)
def test_mse_shape_mismatch(sub):
    """Dica: se y_true e y_pred têm formatos diferentes, levante ValueError."""
    raises(sub, "ValueError", "mse", np.ones(4), np.ones(1))


# ------------------------------------------------------------- 4. add_bias_column
@pytest.mark.exercise("add_bias_column", points=1)
def test_add_bias_column_small(sub):
    """Dica: a coluna de 1s vai no FINAL, formato (n, d + 1); um vetor 1-D vira uma coluna (n, 1) antes."""
    result = sub.call("add_bias_column", np.array([[0.0, 5.0], [2.0, 6.0], [4.0, 7.0]]))
    assert_close(result, [[0.0, 5.0, 1.0], [2.0, 6.0, 1.0], [4.0, 7.0, 1.0]], name="add_bias_column(X)")
    result = sub.call("add_bias_column", np.array([1.0, 2.0]))
    assert_close(result, [[1.0, 1.0], [2.0, 1.0]], name="add_bias_column([1, 2])")


@pytest.mark.exercise("add_bias_column", points=1, hidden=True)
def test_add_bias_column_shapes(sub):
    """Dica: formato (n, d + 1); um vetor 1-D vira uma coluna antes (x.reshape(-1, 1))."""
    X = np.random.default_rng(7).normal(size=(6, 3))
    assert_close(sub.call("add_bias_column", X), np.column_stack([X, np.ones(6)]), name="add_bias_column(X)")
    assert_close(sub.call("add_bias_column", [[3.0]]), [[3.0, 1.0]], name="add_bias_column([[3]])")


# ------------------------------------------------------------- 5. normal_equation
def _check_normal_equation(sub, X, y, label):
    w, b = items(sub.call("normal_equation", X, y), 2, "normal_equation")
    ref = LinearRegression().fit(X, y)
    assert_close(w, ref.coef_, rtol=1e-8, atol=1e-10, name=f"w ({label})")
    assert_close(b, float(ref.intercept_), rtol=1e-8, atol=1e-10, name=f"b ({label})")


@pytest.mark.exercise("normal_equation", points=2)
def test_normal_equation_baby_weights(sub):
    """Dica: θ resolve os mínimos quadrados com [X 1] (sem inverter X̃ᵀX̃) e θ = (w, b): o último elemento é o b; na tabela dos bebês,
    w ≈ [0,3021978] e b ≈ 4,8274725. Com dois atributos, w tem dois números."""
    X, y = baby_weights()
    with uses(sub, "add_bias_column"):
        w, b = items(sub.call("normal_equation", X, y), 2, "normal_equation")
        ref_w, ref_b = normal_equation(X, y)
        assert_close(w, ref_w, rtol=1e-9, name="w")
        assert_close(b, ref_b, rtol=1e-9, name="b")
        assert_close(w, [0.3021978], atol=1e-7, name="w")
        X2, y2, _, _ = _random_problem(3, n=12, d=2)
        _check_normal_equation(sub, X2, y2, "dois atributos")


@pytest.mark.exercise("normal_equation", points=2, hidden=True)
def test_normal_equation_random(sub):
    """Dica: devolva (w, b) com w de formato (n_atributos,) e b um número."""
    for seed in range(3):
        X, y, _, _ = _random_problem(seed + 10)
        _check_normal_equation(sub, X, y, "sorteio")


@pytest.mark.exercise("normal_equation", points=2)
def test_normal_equation_duplicated_column(sub):
    """Dica: com uma coluna repetida, X̃ᵀX̃ é singular: inverter essa matriz falha (ou dá lixo).
    O enunciado exige que funcione: resolva os mínimos quadrados sem inverter. Qualquer solução
    serve — as previsões são as mesmas e a soma dos dois pesos é a inclinação da coluna única."""
    X, y = baby_weights()
    X_dup = np.column_stack([X, X])
    ref_w, ref_b = normal_equation(X_dup, y)
    w, b = items(sub.call("normal_equation", X_dup, y), 2, "normal_equation")
    w = array(w, shape=(2,), kind="fi", name="w").astype(float)
    b = assert_close(b, float(ref_b), rtol=1e-8, name="b")
    # qualquer solução de mínimos quadrados serve: as previsões (e o MSE) são as mesmas
    assert_close(X_dup @ w + b, X_dup @ ref_w + ref_b, rtol=1e-8, name="as previsões")
    assert_close(float(np.sum(w)), M_SLIDE, rtol=1e-8, name="a soma dos pesos")


# ------------------------------------------------------------- 6. linear nos parâmetros
def _ref_sqrt_model(x, y):
    line = LinearRegression().fit(x.reshape(-1, 1), y)
    root = LinearRegression().fit(np.sqrt(x).reshape(-1, 1), y)
    mse_line = mse(y, line.predict(x.reshape(-1, 1)))
    mse_root = mse(y, root.predict(np.sqrt(x).reshape(-1, 1)))
    return float(root.coef_[0]), float(root.intercept_), mse_line, mse_root


def _check_sqrt_model(sub, x, y, label):
    got = items(sub.call("fit_sqrt_model", x, y), 4, "fit_sqrt_model")
    w, b, mse_line, mse_root = _ref_sqrt_model(x, y)
    in_x = (M_SLIDE, "esse é o w da reta em x: o modelo pede o atributo √x")
    diagnose(got[0], w, mistakes=[in_x] if label == "bebês" else [], rtol=1e-8, name=f"w ({label})")
    assert_close(got[1], b, rtol=1e-8, name=f"b ({label})")
    assert_close(got[2], mse_line, rtol=1e-8, name=f"mse_reta ({label})")
    assert_close(got[3], mse_root, rtol=1e-8, name=f"mse_raiz ({label})")
    return got


@pytest.mark.exercise("fit_sqrt_model", points=2)
def test_fit_sqrt_model_babies(sub):
    """Dica: o mesmo ajuste da equação normal, com a coluna √x no lugar de x; nos bebês w ≈ 1,7107,
    b ≈ 3,0106, mse_reta ≈ 0,3899 e mse_raiz ≈ 0,0149 (a curva que se achata cabe melhor em √x)."""
    X, y = baby_weights()
    with uses(sub, "normal_equation", "mse"):
        got = _check_sqrt_model(sub, X[:, 0], y, "bebês")
        if not got[3] < got[2] / 20:
            fail("nos bebês o modelo com √x deveria errar mais de 20 vezes menos que a reta.")
        x = np.array([0.0, 1.0, 4.0, 9.0, 16.0])
        _check_sqrt_model(
            sub, x, 2.0 * np.sqrt(x) + 1.0 + np.array([0.1, -0.1, 0.0, 0.1, -0.1]), "cinco pontos"
        )


@pytest.mark.exercise("fit_sqrt_model", points=1, hidden=True)
def test_fit_sqrt_model_random(sub):
    """Dica: o atributo do modelo é √x; a reta e o modelo são avaliados nos mesmos (x, y)."""
    rng = np.random.default_rng(12)
    x = rng.uniform(0.0, 50.0, size=30)
    _check_sqrt_model(sub, x, 0.5 * x - 3.0 + rng.normal(size=30), "sorteio")
