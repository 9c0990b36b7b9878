"""Aula 05: o que a aula diz das luas com outras sementes.

- Com d = −4, "com as sementes 1 a 10, o melhor de 50 épocas fica entre 87 e 126 erros": a célula
  das duas luas roda de novo com cada semente (dados e ordem dos pontos).
- Na caixa da programação linear, d = −0,2 e d = −0,5 com 400 pontos sorteados saem separáveis em
  "5 a 9" e "0 a 2" de 10 sementes nos lotes 0–9 a 40–49: a célula roda de novo com cada lote, e o
  assert dela confere as faixas.
"""

import pytest

from ._rerun import rerun, says

ONLY_SEED_0 = (  # o que a célula afirma só da semente 0
    ("assert ok[-1] == 0 and len(ok) == 3", "pass"),
    ("assert len(nao) == 50 and min(nao) > 100", "pass"),
    (
        "assert acc == 1.0 and acc_novo > 0.99",
        "pass",
    ),
    ("assert 0.85 <= acc < 0.9 and abs(acc_novo - acc) < 0.02", "pass"),
)


def test_best_of_50_epochs_with_seeds_1_to_10():
    says("05", "(com as sementes 1 a 10, o melhor de 50 épocas fica entre 87 e 126 erros)")
    best = []
    for seed in range(1, 11):
        ns = rerun(
            "05",
            "resultados = {}\nfor d in (1.0, -4.0):",
            "resultados = {}\nfor d in (1.0, -4.0):",
            replace=[
                (
                    "double_moons(n=1000, distance=d, radius=10.0, width=6.0, seed=0)\n"
                    "    resultados[d] = (Xd, yd, Perceptron(epochs=50, seed=0).fit(Xd, yd))",
                    f"double_moons(n=1000, distance=d, radius=10.0, width=6.0, seed={seed})\n"
                    f"    resultados[d] = (Xd, yd, Perceptron(epochs=50, seed={seed}).fit(Xd, yd))",
                ),
                *ONLY_SEED_0,
            ],
        )
        best.append(min(ns["nao"]))
    assert min(best) == 87 and max(best) == 126


@pytest.mark.parametrize("base", [0, 10, 20, 30, 40])
def test_lucky_separable_moons_in_each_lot(base):
    says("05", "nos lotes de sementes 0–9, 10–19, 20–29, 30–39 e 40–49")
    rerun(
        "05",
        "def folga_maxima",
        "def folga_maxima",
        replace=[("seed=s)) for s in range(10)", f"seed=s)) for s in range({base}, {base + 10})")],
    )
