"""Testes de correção da aula 01 (correlação).

Cada teste recebe ``sub`` (a submissão) e chama as funções do aluno com ``sub.call``.
A referência (lado confiável) vem do ``coursekit`` ou do NumPy. A docstring de cada
teste é a dica mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.data import anscombe, baby_weights
from coursekit.grading.expect import assert_close, diagnose, items, raises, uses
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
    """Dica: cada valor menos a média; para [20, 22, 25, 28, 30] a média é 25 e os desvios, [-5, -3, 0, 3, 5]."""
    assert_close(sub.call("deviations", X_SORVETE), [-5.0, -3.0, 0.0, 3.0, 5.0], name="deviations(x)")
    assert_close(sub.call("deviations", [1.0, 2.0, 6.0]), [-2.0, -1.0, 3.0], name="deviations([1, 2, 6])")


@pytest.mark.exercise("deviations", points=1, hidden=True)
def test_deviations_random(sub):
    """Dica: devolva um array do mesmo formato de x, cuja soma é zero."""
    x = np.random.default_rng(11).normal(5.0, 2.0, size=17)
    result = assert_close(
        sub.call("deviations", x), x - x.mean(), rtol=1e-12, atol=1e-12, name="deviations(x)"
    )
    assert_close(float(np.sum(result)), 0.0, atol=1e-9, name="a soma dos desvios")


# ------------------------------------------------------------------ 2. covariance
@pytest.mark.exercise("covariance", points=1)
def test_covariance_example(sub):
    """Dica: média dos produtos dos desvios: 92 / 5 = 18,4 no exemplo da sorveteria (um único float)."""
    sample = (
        5 / 4,
        "você dividiu por n − 1 (a covariância amostral, o padrão de np.cov); aqui é a populacional: divida por n",
    )
    got = sub.call("covariance", X_SORVETE, Y_SORVETE)
    diagnose(got, 18.4, ratios=[sample], rtol=1e-10, name="covariance(x, y)")
    assert_close(sub.call("covariance", Y_SORVETE, -X_SORVETE), -18.4, rtol=1e-10, name="covariance(y, −x)")


@pytest.mark.exercise("covariance", points=1)
def test_covariance_of_x_with_itself_is_variance(sub):
    """Dica: cov(x, x) é a variância populacional (divide por n, não por n − 1): 68 / 5 = 13,6."""
    assert_close(sub.call("covariance", X_SORVETE, X_SORVETE), 13.6, rtol=1e-10, name="covariance(x, x)")


@pytest.mark.exercise("covariance", points=1)
def test_covariance_shape_mismatch(sub):
    """Dica: se x e y têm formatos diferentes, levante ValueError — também quando o NumPy
    conseguiria combiná-los (5 valores com 1 valor)."""
    raises(sub, "ValueError", "covariance", X_SORVETE, Y_SORVETE[:1])
    raises(sub, "ValueError", "covariance", np.ones(3), np.ones(4))


@pytest.mark.exercise("covariance", points=2, hidden=True)
def test_covariance_random(sub):
    """Dica: divida por n (np.cov(x, y, bias=True)[0, 1] dá o mesmo)."""
    for seed in range(3):
        x, y = _random_pair(seed)
        expected = float(np.cov(x, y, bias=True)[0, 1])
        assert_close(sub.call("covariance", x, y), expected, rtol=1e-9, name="covariance(x, y)")
    assert_close(
        sub.call("covariance", [1.0, 2.0, 3.0], [1.0, 0.0, 2.0]), 1 / 3, rtol=1e-12, name="com listas"
    )


@pytest.mark.exercise("covariance", points=1, hidden=True)
def test_covariance_length_mismatch(sub):
    """Dica: se x e y têm tamanhos diferentes, levante ValueError."""
    raises(sub, "ValueError", "covariance", np.ones(1), np.ones(4))


# --------------------------------------------------------------------- 3. pearson
@pytest.mark.exercise("pearson", points=2)
def test_pearson_example(sub):
    """Dica: ρ = Σ dx·dy / (√Σdx² · √Σdy²) = 92 / (√68 · √126) ≈ 0,99391; com −y o sinal troca."""
    rho = pearson(X_SORVETE, Y_SORVETE)
    assert_close(sub.call("pearson", X_SORVETE, Y_SORVETE), rho, rtol=1e-12, name="pearson(x, y)")
    assert_close(sub.call("pearson", X_SORVETE, -Y_SORVETE), -rho, rtol=1e-12, name="pearson(x, −y)")
    assert_close(
        sub.call("pearson", [1.0, 2.0, 3.0, 4.0], [2.0, 1.0, 4.0, 3.0]), 0.6, rtol=1e-12, name="pearson"
    )


@pytest.mark.exercise("pearson", points=1)
def test_pearson_anscombe(sub):
    """Dica: os quatro conjuntos de Anscombe têm ρ ≈ 0,816."""
    for name, (x, y) in anscombe().items():
        assert_close(sub.call("pearson", x, y), pearson(x, y), rtol=1e-10, name=f"pearson no conjunto {name}")


@pytest.mark.exercise("pearson", points=1)
def test_pearson_constant_raises(sub):
    """Dica: se x ou y é constante, ρ não é definido: levante ValueError (não devolva nan nem 0).
    Cuidado: a média de [0.1, 0.1, 0.1] não é exatamente 0.1 em ponto flutuante, então os desvios
    saem minúsculos mas não nulos — compare os valores entre si, não a soma dos desvios com zero.
    Formatos diferentes também são ValueError."""
    raises(sub, "ValueError", "pearson", np.array([1.0, 2.0, 3.0]), np.array([5.0, 5.0, 5.0]))
    raises(sub, "ValueError", "pearson", np.full(3, 0.1), np.array([0.0, 1.0, 2.0]))
    raises(sub, "ValueError", "pearson", np.arange(7.0), np.full(7, 0.1))
    raises(sub, "ValueError", "pearson", np.array([4.0, 4.0, 4.0]), np.array([1.0, 2.0, 3.0]))
    raises(sub, "ValueError", "pearson", X_SORVETE, Y_SORVETE.reshape(-1, 1))


@pytest.mark.exercise("pearson", points=2, hidden=True)
def test_pearson_random_and_properties(sub):
    """Dica: ρ é simétrico, fica em [−1, 1] e não muda se x for trocado por a·x + c (a > 0)."""
    for seed in range(3):
        x, y = _random_pair(seed + 10)
        expected = pearson(x, y)
        assert_close(sub.call("pearson", x, y), expected, rtol=1e-10, name="pearson(x, y)")
        assert_close(sub.call("pearson", y, x), expected, rtol=1e-10, name="pearson(y, x)")
        assert_close(sub.call("pearson", 3.0 * x + 7.0, y), expected, rtol=1e-10, name="pearson(3x + 7, y)")
        assert_close(sub.call("pearson", -x, y), -expected, rtol=1e-10, name="pearson(−x, y)")
    x = np.linspace(0.0, 1.0, 9)
    assert_close(sub.call("pearson", x, 2 * x + 1), 1.0, rtol=1e-12, name="pearson(x, 2x + 1)")
    assert_close(sub.call("pearson", x, -x), -1.0, rtol=1e-12, name="pearson(x, −x)")


@pytest.mark.exercise("pearson", points=1, hidden=True)
def test_pearson_constant_x_raises(sub):
    """Dica: confira as duas variáveis: x constante também deixa ρ indefinido."""
    raises(sub, "ValueError", "pearson", np.full(4, 2.0), np.arange(4.0))


# -------------------------------------------------------------------- 4. fit_line
def _check_line(sub, x, y, label, rtol=1e-9):
    m, b = items(sub.call("fit_line", x, y), 2, "fit_line")
    ref_m, ref_b = _ref_line(x, y)
    assert_close(m, ref_m, rtol=rtol, atol=1e-12, name=f"m ({label})")
    assert_close(b, ref_b, rtol=rtol, atol=1e-12, name=f"b ({label})")
    return m, b


@pytest.mark.exercise("fit_line", points=2)
def test_fit_line_baby_weights(sub):
    """Dica: m = cov(x, y) / var(x) e b = ȳ − m·x̄; na tabela dos bebês, m ≈ 0,30220 e b ≈ 4,82747."""
    X, y = baby_weights()
    with uses(sub, "covariance"):
        m, _ = _check_line(sub, X[:, 0], y, "bebês")
        assert_close(m, 0.3021978, atol=1e-7, name="m")
        _check_line(sub, [0.0, 1.0, 2.0, 3.0], [1.0, 1.0, 3.0, 4.0], "x = [0, 1, 2, 3]")


@pytest.mark.exercise("fit_line", points=1)
def test_fit_line_anscombe(sub):
    """Dica: nos quatro conjuntos de Anscombe a reta é ŷ ≈ 3,00 + 0,500·x."""
    with uses(sub, "covariance"):
        for name, (x, y) in anscombe().items():
            _check_line(sub, x, y, f"Anscombe {name}")


@pytest.mark.exercise("fit_line", points=2, hidden=True)
def test_fit_line_random(sub):
    """Dica: devolva a tupla (m, b) de floats; funcione para qualquer x não constante."""
    for seed in range(3):
        x, y = _random_pair(seed + 20)
        _check_line(sub, x, y, "sorteio", rtol=1e-8)


# --------------------------------------------------------------- 5. swapped_slopes
@pytest.mark.exercise("swapped_slopes", points=2)
def test_swapped_slopes_anscombe(sub):
    """Dica: m_yx = fit_line(x, y)[0], m_xy = fit_line(y, x)[0]; no Anscombe I, ≈ 0,5001 e 1,3328."""
    with uses(sub, "fit_line", "pearson"):
        for x, y in (anscombe()["I"], (X_SORVETE, -Y_SORVETE)):
            m_yx, m_xy, rho = items(sub.call("swapped_slopes", x, y), 3, "swapped_slopes")
            assert_close(m_yx, _ref_line(x, y)[0], rtol=1e-9, name="m_yx")
            assert_close(m_xy, _ref_line(y, x)[0], rtol=1e-9, name="m_xy")
            assert_close(rho, pearson(x, y), rtol=1e-10, name="rho")


@pytest.mark.exercise("swapped_slopes", points=1, hidden=True)
def test_swapped_slopes_product_is_rho_squared(sub):
    """Dica: m_yx · m_xy deve dar ρ²; a ordem da tupla é (m_yx, m_xy, rho)."""
    for seed in range(3):
        x, y = _random_pair(seed + 30)
        m_yx, m_xy, rho = items(sub.call("swapped_slopes", x, y), 3, "swapped_slopes")
        assert_close(m_yx, _ref_line(x, y)[0], rtol=1e-8, name="m_yx")
        assert_close(m_xy, _ref_line(y, x)[0], rtol=1e-8, name="m_xy")
        assert_close(m_yx * m_xy, pearson(x, y) ** 2, rtol=1e-8, name="m_yx · m_xy")


# -------------------------------------------------------------- 6. parabola_center
def _ref_center(x):
    """Referência pelos momentos centrais: c = x̄ + m₃ / (2·m₂) (m₃ = média de (x − x̄)³, m₂ = variância)."""
    x = np.asarray(x, dtype=float)
    d = x - x.mean()
    return float(x.mean() + np.mean(d**3) / (2 * np.mean(d**2)))


def _check_center(sub, x, label):
    x = np.asarray(x, dtype=float)
    expected = _ref_center(x)
    mistakes = []
    if not np.isclose(x.mean(), expected):
        mistakes.append(
            (
                x.mean(),
                "você devolveu a média de x: ela só zera ρ quando x é simétrico em torno da média; "
                "em dados assimétricos o ramo mais comprido pesa mais — resolva cov(x, (x − c)²) = 0 para c",
            )
        )
    ratios = [(2.0, "faltou o 2 de (x − c)² = x² − 2cx + c²: o c obtido é o dobro do certo")]
    c = diagnose(
        sub.call("parabola_center", x),
        expected,
        mistakes=mistakes,
        ratios=ratios,
        rtol=1e-9,
        atol=1e-12,
        name=label,
    )
    rho = pearson(x, (x - c) ** 2)
    assert_close(rho, 0.0, atol=1e-9, name=f"pearson(x, (x − c)²) ({label})")


@pytest.mark.exercise("parabola_center", points=2)
def test_parabola_center_symmetric_and_skewed(sub):
    """Dica: cov(x, (x − c)²) = cov(x, x²) − 2c·cov(x, x); iguale a zero e isole c. Em x simétrico c é a
    média (x = [1, 2, 3] dá c = 2); em x = [0, 1, 2, 3, 10] a média (3,2) NÃO serve."""
    with uses(sub, "covariance"):
        _check_center(sub, [-2.0, -1.0, 0.0, 1.0, 2.0], "parabola_center([-2, -1, 0, 1, 2])")
        _check_center(sub, [1.0, 2.0, 3.0], "parabola_center([1, 2, 3])")
        _check_center(sub, [0.0, 1.0, 2.0, 3.0, 10.0], "parabola_center([0, 1, 2, 3, 10])")


@pytest.mark.exercise("parabola_center", points=1, hidden=True)
def test_parabola_center_random(sub):
    """Dica: a fórmula vale para qualquer x com pelo menos três valores diferentes, simétrico ou não."""
    rng = np.random.default_rng(41)
    _check_center(sub, rng.exponential(2.0, size=40), "parabola_center em dados exponenciais")
    _check_center(sub, rng.normal(5.0, 1.0, size=25), "parabola_center em dados normais")
    _check_center(sub, np.array([4.0, 4.0, 5.0, 9.0]), "parabola_center([4, 4, 5, 9])")
