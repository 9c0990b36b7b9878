"""Aula 06: as respostas do laboratório que falam de outras sementes, refeitas com essas sementes.

- Experimento 3 (espiral, taxa de cada rede escolhida nas sementes de ajuste): nos grupos (ajuste 110–112,
  julgamento 10–14) … (140–142, 40–44) a largura ganha a mais de 2 erros-padrão e a profundidade empata,
  com largura 8 e também com largura 2 (na aula, com 2, ela ganha por pouco).
- Experimentos 1, 2, 4 e 5 com as sementes 1 a 10 (a célula do laboratório com ``lab`` na semente s): a
  reta da identidade aparece em 13 de 20 casos, acerto de 39% a 64%; os círculos sem camada escondida
  acima de 50% em 8, abaixo em 2 (de 40% a 65%); a razão das perdas com as taxas 0,001 e 0,3 de umas 110
  a umas 3600 vezes; com ruído, o mínimo da perda de teste da época 2 à 79 e a subida de 2,3 a 9,5 vezes.
"""

import numpy as np
import pytest

from ._rerun import _code_cells, rerun, says

LAB = "lab = playground.compute_playground"
SOURCE = next(s for s in _code_cells("06") if LAB in s)
PARTS_1_2 = SOURCE[SOURCE.index('for nome in ("XOR", "círculos"):') : SOURCE.index("# 3. espiral")]
SPIRAL = SOURCE[SOURCE.index("# 3. espiral") : SOURCE.index("lenta, rapida = lab(")]
PARTS_4_5 = SOURCE[SOURCE.index("lenta, rapida = lab(") :]

ONLY_LAB_SEED = (  # o que a célula afirma só da semente do laboratório (0)
    ('assert r["accuracy"] == 0.5 and not r["boundary_visible"]', "pass"),
    ('assert np.abs(r["proba"] - 0.5).max() < 0.05  # quase 0.5 em toda a janela', "pass"),
    (
        'assert round(prof0["círculos"], 3) == 0.365 and abs(circ["loss_history"][-1] - np.log(2)) < 0.002',
        "pass",
    ),
    (
        'assert round(prof0["duas luas"], 2) == 0.94 and max(prof0["XOR"], prof0["círculos"], prof0["espiral"]) < 0.75',
        "pass",
    ),
    (
        '0.02 < lenta["loss_history"][-1] < 0.04 and rapida["loss_history"][-1] < lenta["loss_history"][-1] / 1000',
        "True",
    ),
    ('assert ruido["accuracy"] == 0.985 and ruido["test_accuracy"] == 0.935', "pass"),
    ('assert teste.argmin() + 1 == 2 and 8 < teste[-1] / teste.min() < 12  # "uns 10 vezes"', "pass"),
    ("assert abs(treino[-1] - 0.02) < 0.005 and np.ptp(treino[-300:]) < 0.005", "pass"),
    ("assert np.max(treino[1:] / treino[:-1]) > 3", "pass"),
)


@pytest.mark.parametrize("base", [10, 20, 30, 40])
def test_width_wins_and_depth_ties_in_four_other_groups(base):
    says(
        "06",
        "com largura 2 ganha por pouco aqui (+0,022 ± 0,011), mas empata em outros grupos de sementes.",
        "Em outros quatro grupos (ajuste nas sementes 110 a 112 e julgamento nas 10 a 14, e assim até 140 a 142 e 40"
        " a 44), a largura ganha e a profundidade empata em todos, também com largura 2.",
        "# o que vale também com outros grupos de sementes (conferido com ajuste 110–112 e julgamento 10–14,"
        " # 120–122 e 20–24, 130–132 e 30–34, 140–142 e 40–44): a largura ganha (a mais de 2 erros-padrão) e,"
        " com # largura 8, a profundidade empata (nesses quatro grupos, também com largura 2)",
        "com largura 2, um ganho pequeno que some com outras sementes",
    )
    ns = rerun(
        "06",
        LAB,
        LAB,
        replace=[
            (PARTS_1_2, ""),  # só o experimento 3 roda aqui
            (PARTS_4_5, ""),
            (
                "sementes_ajuste, sementes = range(100, 103), range(5)",
                f"sementes_ajuste, sementes = range({100 + base}, {103 + base}), range({base}, {base + 5})",
            ),
            ("assert [round(100 * teste_esp[k].mean()) for k in redes] == [68, 70, 99, 94]", "pass"),
        ],
    )
    assert list(ns["sementes"]) == list(range(base, base + 5))
    dif = ns["dif"]  # os asserts da célula já conferiram: largura a mais de 2 EP, e empate com largura 8
    for a, b in [("8×1", "2×1"), ("8×2", "2×2")]:
        assert dif[a, b][0] > 2 * dif[a, b][1]
    for a, b in [("8×2", "8×1"), ("2×2", "2×1")]:
        assert abs(dif[a, b][0]) < 2 * dif[a, b][1]


def test_lab_answers_with_seeds_1_to_10():
    says(
        "06",
        "(com as sementes 1 a 10, nos dois conjuntos, a reta aparece em 13 dos 20 casos, e o acerto fica entre 39% e"
        " 64%)",
        "com outras sementes dá acima ou abaixo de 50% (nas sementes 1 a 10, de 40% a 65%: acima em 8, abaixo em 2)",
        "(com as sementes 1 a 10 a razão muda, de umas 110 a umas 3600 vezes, mas fica nas centenas ou nos milhares)",
        "Com as sementes 1 a 10 o mínimo do teste vem na época 2 ou mais tarde (até a 79) e a subida é menor (de 2,3 a"
        " 9,5 vezes o mínimo), mas o padrão se repete.",
    )
    runs = {}
    for seed in range(11):  # 0 é a semente do laboratório (com os asserts dela), 1 a 10 as outras
        ns = rerun(
            "06",
            LAB,
            LAB,
            replace=[
                (SPIRAL, ""),  # o experimento 3 tem o seu teste acima
                (
                    LAB,
                    f"import functools\n\nident = {{}}\nlab = functools.partial(playground.compute_playground, seed={seed})",
                ),
                (
                    '    r = lab(nome, 8, 2, "identity", 0.03, 200)',
                    '    r = ident[nome] = lab(nome, 8, 2, "identity", 0.03, 200)',
                ),
            ]
            + ([] if seed == 0 else list(ONLY_LAB_SEED)),
        )
        runs[seed] = ns
    others = [runs[s] for s in range(1, 11)]
    # 1. identidade: a reta aparece em 13 dos 20 casos, acerto de 39% a 64%
    ident = [r for ns in others for r in ns["ident"].values()]
    assert len(ident) == 20 and sum(r["boundary_visible"] for r in ident) == 13
    acc = [100 * r["accuracy"] for r in ident]
    assert round(min(acc)) == 39 and round(max(acc)) == 64
    # 2. círculos sem camada escondida: de 40% a 65%, acima de 50% em 8, abaixo em 2
    circ = np.array([ns["prof0"]["círculos"] for ns in others])
    assert round(100 * circ.min()) == 40 and round(100 * circ.max()) == 65
    assert np.sum(circ > 0.5) == 8 and np.sum(circ < 0.5) == 2
    # 4. a razão entre as perdas finais com 0,001 e com 0,3: nas centenas ou nos milhares, de ~110 a ~3600
    ratio = np.array([ns["lenta"]["loss_history"][-1] / ns["rapida"]["loss_history"][-1] for ns in others])
    assert np.all((100 <= ratio) & (ratio < 10_000))
    assert round(ratio.min(), -1) == 110 and round(ratio.max(), -2) == 3600
    # 5. ruído: o mínimo do teste da época 2 à 79, a subida de 2,3 a 9,5 vezes, menor que a da semente 0
    epoch = np.array([ns["teste"].argmin() + 1 for ns in others])
    rise = np.array([ns["teste"][-1] / ns["teste"].min() for ns in others])
    assert epoch.min() == 2 and epoch.max() == 79
    assert round(rise.min(), 1) == 2.3 and round(rise.max(), 1) == 9.5
    assert rise.max() < runs[0]["teste"][-1] / runs[0]["teste"].min()
    # "o padrão se repete": acerta mais no treino que no teste, e a perda de teste sobe depois do mínimo
    assert all(ns["ruido"]["accuracy"] > ns["ruido"]["test_accuracy"] for ns in others)
    assert rise.min() > 2 and all(ns["teste"].argmin() < len(ns["teste"]) - 100 for ns in others)


def test_xor_with_other_lots_of_20_seeds():
    says(
        "06",
        "Com outras 20 sementes os números mudam um pouco, mas a diferença fica (nos lotes 20 a 39, 40 a 59, 60 a 79"
        " e 80 a 99, a 2 → 2 → 1 resolve em 13 a 18 das 20, e a 2 → 4 → 1 em 19 ou 20).",
    )
    mini, wide = [], []
    for base in (20, 40, 60, 80):
        ns = rerun(
            "06",
            "def resolve_xor(",
            "def resolve_xor(",
            replace=[
                ("sementes = range(20)", f"sementes = range({base}, {base + 20})"),
                ("assert n_mini == 14 and sum(larga) == 20", "pass"),  # os números do lote da aula
                (  # o jeito de empacar descrito no texto é o das sementes 0 a 19
                    "    assert np.sum(np.abs(r.forward(X_xor).ravel() - 0.5) < 0.05) == 2\n"
                    "    assert abs(r.loss_history_[-1] - np.log(2) / 2) < 0.01",
                    "    pass",
                ),
            ],
            setup=("X_xor, y_xor = data.xor()",),
        )
        mini.append(ns["n_mini"])
        wide.append(sum(ns["larga"]))
    assert min(mini) == 13 and max(mini) == 18
    assert set(wide) == {19, 20}
    assert all(w > m for w, m in zip(wide, mini))  # "a diferença fica"
