"""Aula 00: sub e sobreajuste em 20 sorteios de 8 pontos, com as outras sementes que a aula cita.

A célula do experimento e a da caixa "de onde vem o erro enorme do grau 7" dizem que os asserts
valem também com as sementes 1–5, 10–14, 20–24 e 30–34 do ``rng``, e a caixa dá a faixa da
fração de pontos novos fora da faixa de treino nessas sementes. Aqui as duas células rodam de novo
com cada semente; só saem os asserts que a aula diz valer "nesta semente".
"""

import pytest

from ._rerun import rerun, says

SEEDS = (0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 30, 31, 32, 33, 34)
ONLY_SEED_0 = (  # números que a aula dá só para a semente 0
    ("assert 1e4 < np.median(erro_novo[:, 2]) < 1e5  # nesta semente, dezenas de milhares", "pass"),
    ("and round(frac_fora.mean(), 2) == 0.21", ""),
    ("and round(np.median(parte_fora), 2) == 0.98", ""),
    ("and round(np.median(erro_dentro)) == 629", ""),
)


@pytest.fixture(scope="module")
def fractions():
    out = {}
    for seed in SEEDS:
        swap = [("rng = np.random.default_rng(0)\nx_novo", f"rng = np.random.default_rng({seed})\nx_novo")]
        ns = rerun(
            "00",
            "# subajuste × sobreajuste",
            "# Para ir além (opcional): a caixa acima, o erro do grau 7",
            replace=swap + ([] if seed == 0 else list(ONLY_SEED_0)),
            skip=("from coursekit.widgets import METHOD_STYLES, TRAIN",),
            setup=("from coursekit.linear import LinearRegression",),
        )
        out[seed] = ns["frac_fora"].mean()
    return out


def test_the_asserts_hold_with_every_seed_the_lecture_names(fractions):
    says(
        "00",
        "(conferido também com as sementes 1–5, 10–14, 20–24 e 30–34 do rng)",
        "(de 16 % a 31 % nas sementes 0–5, 10–14, 20–24 e 30–34 do `rng`)",
    )
    assert set(fractions) == set(SEEDS)  # cada semente rodou as duas células, com os asserts delas


def test_fraction_outside_the_range_spans_what_the_box_says(fractions):
    values = list(fractions.values())
    assert round(min(values), 2) == 0.16 and round(max(values), 2) == 0.31
