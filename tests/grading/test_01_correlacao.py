"""Testes de correção da aula 01 (correlação).

Cada teste recebe ``sub`` (a submissão) e chama as funções do aluno com ``sub.call``.
A referência (lado confiável) vem do ``coursekit`` ou do NumPy. A docstring de cada
teste é a dica mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.data import anscombe, baby_weights
from coursekit.linear import LinearRegression
from coursekit.stats import pearson

LECTURE = "01_correlacao"

# o exemplo da sorveteria da aula
X_SORVETE = np.array([20.0, 22.0, 25.0, 28.0, 30.0])
Y_SORVETE = np.array([12.0, 15.0, 19.0, 24.0, 25.0])


def _random_pair(seed, n=30):
    rng = np.random.default_rng(seed)
    x = rng.normal(2.0, 3.0, size=n)
    y = rng.normal(-1.0, 0.5) * x + rng.normal(0.0, 2.0, size=n)
    return x, y


def _ref_line(x, y):
    model = LinearRegression().fit(np.asarray(x).reshape(-1, 1), y)
    return float(model.coef_[0]), float(model.intercept_)


# ------------------------------------------------------------------ 1. deviations
@pytest.mark.exercise("deviations", points=1)
def test_deviations_example(sub):
    """Dica: x - x.mean(); para [20, 22, 25, 28, 30] a média é 25."""
    np.testing.assert_allclose(sub.call("deviations", X_SORVETE), [-5.0, -3.0, 0.0, 3.0, 5.0])


@pytest.mark.exercise("deviations", points=1, hidden=True)
def test_deviations_random(sub):
    """Dica: devolva um array do mesmo formato de x, cuja soma é zero."""
    x = np.random.default_rng(11).normal(5.0, 2.0, size=17)
    result = sub.call("deviations", x)
    np.testing.assert_allclose(result, x - x.mean())
    assert abs(float(np.sum(result))) < 1e-9


# ------------------------------------------------------------------ 2. covariance
@pytest.mark.exercise("covariance", points=1)
def test_covariance_example(sub):
    """Dica: média dos produtos dos desvios: 92 / 5 = 18,4 no exemplo da sorveteria."""
    assert sub.call("covariance", X_SORVETE, Y_SORVETE) == pytest.approx(18.4)


@pytest.mark.exercise("covariance", points=1)
def test_covariance_of_x_with_itself_is_variance(sub):
    """Dica: cov(x, x) é a variância populacional (divide por n, não por n − 1): 68 / 5 = 13,6."""
    assert sub.call("covariance", X_SORVETE, X_SORVETE) == pytest.approx(13.6)


@pytest.mark.exercise("covariance", points=2, hidden=True)
def test_covariance_random(sub):
    """Dica: divida por n (np.cov(x, y, bias=True)[0, 1] dá o mesmo)."""
    for seed in range(3):
        x, y = _random_pair(seed)
        expected = float(np.cov(x, y, bias=True)[0, 1])
        assert sub.call("covariance", x, y) == pytest.approx(expected, rel=1e-9)


@pytest.mark.exercise("covariance", points=1, hidden=True)
def test_covariance_length_mismatch(sub):
    """Dica: se x e y têm tamanhos diferentes, levante ValueError."""
    assert sub.raises("covariance", np.ones(3), np.ones(4)) == "ValueError"


# --------------------------------------------------------------------- 3. pearson
@pytest.mark.exercise("pearson", points=2)
def test_pearson_example(sub):
    """Dica: ρ = Σ dx·dy / (√Σdx² · √Σdy²) = 92 / (√68 · √126) ≈ 0,99391."""
    assert sub.call("pearson", X_SORVETE, Y_SORVETE) == pytest.approx(
        pearson(X_SORVETE, Y_SORVETE), abs=1e-12
    )


@pytest.mark.exercise("pearson", points=1)
def test_pearson_anscombe(sub):
    """Dica: os quatro conjuntos de Anscombe têm ρ ≈ 0,816."""
    for name, (x, y) in anscombe().items():
        assert sub.call("pearson", x, y) == pytest.approx(pearson(x, y), abs=1e-10), name


@pytest.mark.exercise("pearson", points=1)
def test_pearson_constant_raises(sub):
    """Dica: se x ou y é constante, o denominador é zero: levante ValueError (não devolva nan)."""
    assert sub.raises("pearson", np.array([1.0, 2.0, 3.0]), np.array([5.0, 5.0, 5.0])) == "ValueError"


@pytest.mark.exercise("pearson", points=2, hidden=True)
def test_pearson_random_and_properties(sub):
    """Dica: ρ é simétrico, fica em [−1, 1] e não muda se x for trocado por a·x + c (a > 0)."""
    for seed in range(3):
        x, y = _random_pair(seed + 10)
        expected = pearson(x, y)
        assert sub.call("pearson", x, y) == pytest.approx(expected, abs=1e-10)
        assert sub.call("pearson", y, x) == pytest.approx(expected, abs=1e-10)
        assert sub.call("pearson", 3.0 * x + 7.0, y) == pytest.approx(expected, abs=1e-10)
        assert sub.call("pearson", -x, y) == pytest.approx(-expected, abs=1e-10)
    x = np.linspace(0.0, 1.0, 9)
    assert sub.call("pearson", x, 2 * x + 1) == pytest.approx(1.0)
    assert sub.call("pearson", x, -x) == pytest.approx(-1.0)


@pytest.mark.exercise("pearson", points=1, hidden=True)
def test_pearson_constant_x_raises(sub):
    """Dica: confira as duas variáveis: x constante também deixa ρ indefinido."""
    assert sub.raises("pearson", np.full(4, 2.0), np.arange(4.0)) == "ValueError"


# -------------------------------------------------------------------- 4. fit_line
@pytest.mark.exercise("fit_line", points=2)
def test_fit_line_baby_weights(sub):
    """Dica: m = cov(x, y) / var(x) e b = ȳ − m·x̄; na tabela dos bebês, m ≈ 0,30220 e b ≈ 4,82747."""
    X, y = baby_weights()
    m, b = sub.call("fit_line", X[:, 0], y)
    ref_m, ref_b = _ref_line(X[:, 0], y)
    assert m == pytest.approx(ref_m, abs=1e-9)
    assert b == pytest.approx(ref_b, abs=1e-9)
    assert m == pytest.approx(0.3021978, abs=1e-7)


@pytest.mark.exercise("fit_line", points=1)
def test_fit_line_anscombe(sub):
    """Dica: nos quatro conjuntos de Anscombe a reta é ŷ ≈ 3,00 + 0,500·x."""
    for name, (x, y) in anscombe().items():
        m, b = sub.call("fit_line", x, y)
        ref_m, ref_b = _ref_line(x, y)
        assert (m, b) == pytest.approx((ref_m, ref_b), abs=1e-9), name


@pytest.mark.exercise("fit_line", points=2, hidden=True)
def test_fit_line_random(sub):
    """Dica: devolva a tupla (m, b) de floats; funcione para qualquer x não constante."""
    for seed in range(3):
        x, y = _random_pair(seed + 20)
        m, b = sub.call("fit_line", x, y)
        ref_m, ref_b = _ref_line(x, y)
        assert m == pytest.approx(ref_m, rel=1e-8, abs=1e-10)
        assert b == pytest.approx(ref_b, rel=1e-8, abs=1e-10)


# --------------------------------------------------------------- 5. swapped_slopes
@pytest.mark.exercise("swapped_slopes", points=2)
def test_swapped_slopes_anscombe(sub):
    """Dica: m_yx = fit_line(x, y)[0], m_xy = fit_line(y, x)[0]; no Anscombe I, ≈ 0,5001 e 1,3328."""
    x, y = anscombe()["I"]
    m_yx, m_xy, rho = sub.call("swapped_slopes", x, y)
    assert m_yx == pytest.approx(_ref_line(x, y)[0], abs=1e-9)
    assert m_xy == pytest.approx(_ref_line(y, x)[0], abs=1e-9)
    assert rho == pytest.approx(pearson(x, y), abs=1e-10)


@pytest.mark.exercise("swapped_slopes", points=1, hidden=True)
def test_swapped_slopes_product_is_rho_squared(sub):
    """Dica: m_yx · m_xy deve dar ρ²; a ordem da tupla é (m_yx, m_xy, rho)."""
    for seed in range(3):
        x, y = _random_pair(seed + 30)
        m_yx, m_xy, rho = sub.call("swapped_slopes", x, y)
        assert m_yx == pytest.approx(_ref_line(x, y)[0], rel=1e-8)
        assert m_xy == pytest.approx(_ref_line(y, x)[0], rel=1e-8)
        assert m_yx * m_xy == pytest.approx(pearson(x, y) ** 2, rel=1e-8)
