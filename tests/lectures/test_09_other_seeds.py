"""Aula 09: os comentários "conferido também nos sorteios …" refeitos com esses sorteios.

- 6 atípicos em 20 sorteios (a caixa "Para ir além" depois do widget): os asserts valem nos lotes 20–39, 40–59 e 60–79;
- quantos pontos na ponta derrubam a reta da MAE: de 6 a 10 nos sorteios 10–19 a 40–49;
- BCE × ½MSE com a taxa 10: a ½MSE com média de 53 % a 59 % em 50 épocas, de 73 % a 82 % em 300 nos
  lotes 5–9, 10–14 e 15–19 (99 % no lote da aula), e a BCE com pelo menos 97 % em 30 épocas.
"""

import numpy as np
import pytest

from ._rerun import rerun, says


@pytest.mark.parametrize("base", [20, 40, 60])
def test_six_outliers_in_other_lots_of_20(base):
    says(
        "09",
        "# o que vale também em outros lotes de 20 sorteios (conferido nas sementes 20–39, 40–59 e 60–79):",
    )
    rerun(
        "09",
        "def k_critico(xs):",
        "def k_critico(xs):",
        replace=[
            ("for semente in range(20):", f"for semente in range({base}, {base + 20}):"),
            # os números exatos da caixa são os do lote da aula (sementes 0–19)
            (
                "assert round(np.median(incl_mae), 2) == 1.85 and round(np.median(incl_hub), 2) == 1.73",
                "pass",
            ),
            ("assert np.sum(incl_mae > 1.5) == 18 and round(incl_mae.min(), 2) == -0.05", "pass"),
        ],
        setup=("from sklearn.linear_model import LinearRegression, QuantileRegressor",),
    )


def test_breakdown_count_in_other_lots():
    says("09", "conferido também nos sorteios 10–19, 20–29, 30–39 e 40–49 (de 6 a 10)")
    counts = []
    for base in (0, 10, 20, 30, 40):
        ns = rerun(
            "09",
            "def k_critico(xs):",
            "def k_critico(xs):",
            replace=[
                ("for semente in range(10):\n", f"for semente in range({base}, {base + 10}):\n"),
                ("if semente == 0:  # os dados do widget", "if semente == 0 and False:"),
            ]
            if base
            else [],
            setup=("from sklearn.linear_model import LinearRegression, QuantileRegressor",),
        )
        counts += ns["criticos"]
    assert min(counts) == 6 and max(counts) == 10


def test_bce_versus_half_mse_with_rate_10_in_other_lots():
    says(
        "09",
        "(conferido também nos sorteios 5–9, # 10–14 e 15–19: a ½MSE com média de 53 % a 59 % em 50 épocas e de 73 %"
        " a 99 % em 300; a BCE com pelo menos 97 % em 30)",
        "em outros lotes de 5 sorteios, de 73 % a 82 % em 300",
    )
    at50, at300, bce30 = {}, {}, []
    for base in (0, 5, 10, 15):
        swap = [("for semente in range(5):", f"for semente in range({base}, {base + 5}):")]
        if base:  # os números do texto são do lote da aula
            swap.append(
                (
                    "assert round(mse10[:, 49].mean(), 2) == 0.59 and round(mse10[:, 299].mean(), 2) == 0.99",
                    "pass",
                )
            )
        ns = rerun("09", "acertos = {}  # (perda, taxa)", "acertos = {}  # (perda, taxa)", replace=swap)
        at50[base], at300[base] = ns["mse10"][:, 49].mean(), ns["mse10"][:, 299].mean()
        bce30.append(ns["bce10"][:, 29].min())
    assert round(min(at50.values()), 2) == 0.53 and round(max(at50.values()), 2) == 0.59
    assert round(min(at300.values()), 2) == 0.73 and round(max(at300.values()), 2) == 0.99
    others = [at300[b] for b in (5, 10, 15)]
    assert round(min(others), 2) == 0.73 and round(max(others), 2) == 0.82
    assert np.min(bce30) >= 0.97 - 1e-12
