"""Aula 09: os comentários "conferido também nos sorteios …" refeitos com esses sorteios.

- 6 atípicos em 20 sorteios (a caixa "Para ir além" depois do widget): os asserts valem nos lotes 20–39, 40–59 e 60–79;
- quantos pontos na ponta derrubam a reta da MAE: de 6 a 10 nos sorteios 10–19 a 40–49;
- BCE × ½MSE, nos 21 lotes de 5 sorteios 0–4, 5–9, …, 100–104: com a taxa 10, a ½MSE com média de 49% a 59% em 50
  épocas e de 70% a 99,7% em 300 (99% no lote da aula), e a BCE com pelo menos 97% em 30 épocas; com a taxa 1, a
  BCE com média entre 94% e 99% em 20 épocas (e acima de 95% em 30).
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
        "(conferido nos 21 lotes de 5 sorteios # 0–4, 5–9, …, 100–104: a ½MSE com média de 49% a 59% em 50 épocas e de"
        " 70% a 99.7% em 300; a BCE com pelo menos # 97% em 30)",
        "com 20 épocas de treino, a média dos 5 sorteios já fica entre 94% e 99%, conforme o lote de sorteios",
        "Nestes 5 sorteios, 59% em 50 épocas e 99% em 300; nos 21 lotes de 5 sorteios que conferimos (sementes 0–4,"
        " 5–9, …, 100–104), a média vai de 49% a 59% em 50 épocas e de 70% a 99,7% em 300. A BCE, com a mesma taxa,"
        " passa de 95% em menos de 30 épocas em todo sorteio desses lotes.",
    )
    at50, at300, bce30, bce1_20 = {}, {}, [], []
    for base in range(0, 105, 5):  # os 21 lotes de 5 sorteios
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
        bce1_20.append(ns["bce1"][:, 19].mean())
    assert len(at50) == 21
    assert round(at50[0], 2) == 0.59 and round(at300[0], 2) == 0.99
    assert round(min(at50.values()), 2) == 0.49 and round(max(at50.values()), 2) == 0.59
    assert round(min(at300.values()), 2) == 0.70 and round(max(at300.values()), 3) == 0.997
    assert np.min(bce30) >= 0.97 - 1e-12
    assert min(bce1_20) >= 0.94 and max(bce1_20) <= 0.995
