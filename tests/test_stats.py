import numpy as np
import pytest

from coursekit import data
from coursekit.stats import pearson


def test_pearson_matches_numpy():
    rng = np.random.default_rng(0)
    x = rng.normal(size=50)
    y = 2 * x + rng.normal(size=50)
    assert np.isclose(pearson(x, y), np.corrcoef(x, y)[0, 1], rtol=1e-12)
    assert pearson(x, -3 * x + 1) == pytest.approx(-1.0)


def test_anscombe_same_correlation():
    for x, y in data.anscombe().values():
        assert pearson(x, y) == pytest.approx(0.816, abs=1e-3)


@pytest.mark.parametrize(
    "x, y, err, msg",
    [
        ([1, 2, 3], [1, 2], ValueError, "mesmo número"),
        ([1, 1, 1], [1, 2, 3], ValueError, "constante"),
        ([0.1] * 3, [0, 1, 2], ValueError, "x é constante"),  # a média de 0.1 não é exatamente 0.1
        ([0, 1, 2, 3, 4, 5, 6], [0.1] * 7, ValueError, "y é constante"),
        ([1, np.nan], [1, 2], ValueError, "NaN"),
        ([], [], ValueError, "vazio"),
        ([1], [2], ValueError, "pelo menos 2"),
        ("abc", [1, 2, 3], TypeError, "x deve"),
    ],
)
def test_pearson_bad_input(x, y, err, msg):
    with pytest.raises(err, match=msg):
        pearson(x, y)


def test_paired_difference_matches_scipy_paired_t():
    from scipy import stats as sp

    from coursekit.stats import paired_difference

    rng = np.random.default_rng(0)
    a = rng.normal(1.0, 0.3, size=7)
    b = a - 0.1 + rng.normal(0, 0.05, size=7)
    mean, se = paired_difference(a, b)
    assert mean == pytest.approx(np.mean(a - b))
    assert mean / se == pytest.approx(sp.ttest_rel(a, b).statistic)  # t pareado = média / erro-padrão
    assert paired_difference([1.0, 2.0, 3.0], [0.0, 1.0, 2.0]) == (1.0, 0.0)


def test_paired_difference_rejects_bad_input():
    from coursekit.stats import paired_difference

    with pytest.raises(ValueError, match="mesmo número"):
        paired_difference([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="2 sementes"):
        paired_difference([1.0], [2.0])
