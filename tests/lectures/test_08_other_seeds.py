"""Aula 08: os comentários e as caixas que falam de outras sementes, refeitos com essas sementes.

- ReLU mortas com a inicialização grande (seção 2): nas sementes 10–17, 20–27 e 30–37, médias de 0,37 a 0,41
  depois de 1 passo e de 0,92 a 0,93 no fim; os asserts gerais da célula valem nelas também.
- Dígitos, taxa 0,05 para todos (seção 5): He abaixo de metade do custo de Xavier, e menor em cada semente,
  nas sementes 5–9, 10–14, 15–19 e 20–24 (razão das médias de 0,18 a 0,26; aqui 0,19); a mediana do custo de
  Xavier de 0,082 a 0,093 nas sementes 50–54, 60–64 e 70–74 (aqui 0,070), dentro de "uns 0,07 a 0,09".
- Cada esquema com a sua taxa: nos grupos (ajuste 110–112, julgamento 10–14) … (140–142, 40–44) os dois
  preferem uma taxa maior que 0,05, medianas de custo abaixo de 0,02 e de acerto acima de 90%; no custo, He
  abaixo em um grupo e empate em três; no teste, Xavier à frente por 1 ponto em um, empate em três.
- Rede de 12 camadas: nos grupos (110–112, 10–14) … (150–152, 50–54), He à frente por +0,20 a +0,44, sempre
  a mais de 2 erros-padrão, médias de Xavier de 0,37 a 0,48 e de He de 0,68 a 0,86; nos seis grupos (com o
  da aula), a taxa escolhida vai de 0,02 a 0,1 para He e de 0,1 a 0,2 para Xavier, e 0,4 (acrescentada à
  grade aqui) nunca é a escolhida.
"""

import numpy as np
import pytest

from coursekit.stats import paired_difference

from ._rerun import rerun, says

CELL_41 = "from sklearn.preprocessing import StandardScaler"
CELL_42 = "custo = {c: h[:, -1] for c, (h, _) in historicos.items()}"
CELL_44 = "# escolher a taxa de cada esquema na validação"
CELL_46 = "# Para ir além (opcional): He contra Xavier numa rede ReLU de 12"


def test_dead_relus_with_seeds_10_to_37():
    says(
        "08",
        "# conferido também com as sementes 10–17, 20–27 e 30–37 (médias de 0.37 a 0.41 depois de 1 passo; 0.92 a"
        " 0.93 no fim)",
    )
    after_1, at_end = [], []
    for base in (10, 20, 30):
        ns = rerun(
            "08",
            "casos = {\n",
            "def fracao_mortas(r):",
            replace=[
                (
                    "seed=k, grid_size=2)) for k in range(8)",
                    f"seed=k, grid_size=2)) for k in range({base}, {base + 8})",
                ),
                ("seed=k)) for k in range(8)", f"seed=k)) for k in range({base}, {base + 8})"),
                ("assert 0.25 < min(mortas_1) and max(mortas_1) < 0.65", "pass"),  # "nestes 8 sorteios"
            ],
        )
        after_1.append(np.mean(ns["mortas_1"]))
        at_end.append(np.mean(ns["mortas"]))
    assert round(min(after_1), 2) == 0.37 and round(max(after_1), 2) == 0.41
    assert round(min(at_end), 2) == 0.92 and round(max(at_end), 2) == 0.93


ONLY_THESE_SEEDS_42 = (  # o que a célula afirma só das sementes 0–4
    ("assert abs(m_dif) < 2 * ep_dif  # empate com estas sementes", "pass"),
    ("assert np.any(dif > 0) and np.any(dif < 0)", "pass"),
)


def _rerun_42(base, also_tiny=False):
    swap = [("SEMENTES = range(5)", f"SEMENTES = range({base}, {base + 5})")]
    if also_tiny:  # zero e pequena também com as sementes do lote (a aula roda as duas só com a 0)
        swap.append(
            (
                '**treina(("zeros", "pequena"), "tanh", [0]),',
                '**treina(("zeros", "pequena"), "tanh", SEMENTES),',
            )
        )
    return rerun("08", CELL_41, CELL_42, replace=swap + ([] if base == 0 else list(ONLY_THESE_SEEDS_42)))


def test_same_rate_he_versus_xavier_in_other_lots():
    says(
        "08",
        "# com a mesma taxa 0.05, He desce mais rápido no treino: custo médio abaixo de metade do de Xavier, menor em"
        " # cada semente (conferido também com as sementes 5–9, 10–14, 15–19 e 20–24)",
        '# "uns 0.07 a 0.09" (aqui 0.070; com as sementes 50–54, 60–64 e 70–74, de 0.082 a 0.093)',
        "contra uns 0,07 a 0,09 de Xavier com a taxa 0,05",
        "(a célula a imprime: aqui 0,19; com as sementes 5–9, 10–14, 15–19 e 20–24, de 0,18 a 0,26)",
        "com a pequena o sinal não chega à saída com nenhuma semente (seção 2; conferido também com as sementes 5 a 24).",
    )
    ratio, median = {}, {}
    for base in (0, 5, 10, 15, 20, 50, 60, 70):
        ns = _rerun_42(base, also_tiny=base in (5, 10, 15, 20))
        he, xavier = ns["custo"][("he_normal", "relu")], ns["custo"][("xavier_normal", "relu")]
        ratio[base], median[base] = he.mean() / xavier.mean(), np.median(xavier)
        if base in (5, 10, 15, 20):  # a pequena: a mesma curva da zero, e chute, em cada semente
            assert len(ns["acc"][("pequena", "tanh")]) == 5
            assert np.all(ns["acc"][("pequena", "tanh")] < 0.15) and np.all(
                ns["acc"][("zeros", "tanh")] < 0.15
            )
    others = [ratio[b] for b in (5, 10, 15, 20)]
    assert round(ratio[0], 2) == 0.19 and round(min(others), 2) == 0.18 and round(max(others), 2) == 0.26
    assert round(median[0], 3) == 0.070
    late = [median[b] for b in (50, 60, 70)]
    assert round(min(late), 3) == 0.082 and round(max(late), 3) == 0.093
    assert all(0.065 < m < 0.095 for m in median.values())  # "uns 0,07 a 0,09"


@pytest.fixture(scope="module")
def groups():
    out = {}
    for base in (0, 10, 20, 30, 40, 50):
        swap = [
            ("SEMENTES = range(5)", f"SEMENTES = range({base}, {base + 5})"),
            (  # a célula 42 (que importa paired_difference) não roda aqui
                "TAXAS, SEMENTES_AJUSTE = (0.05, 0.1, 0.2), range(100, 103)",
                "from coursekit.stats import paired_difference\n\n"
                f"TAXAS, SEMENTES_AJUSTE = (0.05, 0.1, 0.2), range({100 + base}, {103 + base})",
            ),
            (
                "TAXAS_FUNDA = (0.02, 0.05, 0.1, 0.2)",
                "TAXAS_FUNDA = (0.02, 0.05, 0.1, 0.2, 0.4)",
            ),  # "0,4 fica atrás"
        ]
        if base:  # só com as sementes da aula: He um pouco abaixo no custo
            swap.append(("assert m_custo < -2 * ep_custo and abs(m_custo + 0.005) < 0.001", "pass"))
        with np.errstate(over="ignore", invalid="ignore"):  # com 0.4, algumas redes de 12 camadas divergem
            ns = rerun("08", CELL_41, CELL_46, replace=swap, skip=(CELL_42,))
        assert list(ns["SEMENTES_AJUSTE"]) == list(range(100 + base, 103 + base))
        out[base] = ns
    return out


def _six_layers(base, rates=(0.05, 0.1, 0.2)):
    """A célula da taxa de cada esquema (6 camadas) com o grupo de sementes (100 + base…, base…)."""
    swap = [
        ("SEMENTES = range(5)", f"SEMENTES = range({base}, {base + 5})"),
        (
            "TAXAS, SEMENTES_AJUSTE = (0.05, 0.1, 0.2), range(100, 103)",
            "from coursekit.stats import paired_difference\n\n"
            f"TAXAS, SEMENTES_AJUSTE = {rates}, range({100 + base}, {103 + base})",
        ),
    ]
    if base:
        swap.append(("assert m_custo < -2 * ep_custo and abs(m_custo + 0.005) < 0.001", "pass"))
    if base in (
        80,
        100,
    ):  # o comentário da célula diz os grupos em que a mediana fica abaixo de 0.02: não estes
        swap.append(("assert np.median(c_he) < 0.02 and np.median(c_xa) < 0.02", "pass"))
    with np.errstate(over="ignore", invalid="ignore"):  # com 0.2 ou 0.4, uma semente pode divergir
        return rerun("08", CELL_41, CELL_44, replace=swap, skip=(CELL_42,))


def test_rate_04_with_the_lectures_tuning_seeds():
    says(
        "08",
        "As duas preferem 0,2 (a maior da grade; acrescentando 0,4, Xavier cai muito e, para He, 0,1, 0,2 e 0,4 quase"
        " empatam na validação)",
    )
    ns = _six_layers(0, rates=(0.05, 0.1, 0.2, 0.4))
    val = {
        t: {s: ns["val"][t][(s, "relu")][1].mean() for s in ("he_normal", "xavier_normal")}
        for t in ns["TAXAS"]
    }
    assert (
        ns["taxa_de"]["xavier_normal"] == 0.2 and val[0.4]["xavier_normal"] < val[0.2]["xavier_normal"] - 0.1
    )
    assert max(abs(val[t]["he_normal"] - val[0.2]["he_normal"]) for t in (0.1, 0.4)) < 0.01


@pytest.fixture(scope="module")
def more_groups():
    return {base: _six_layers(base) for base in (60, 70, 80, 100, 110)}


def test_he_never_ahead_with_its_own_rate(groups, more_groups):
    says(
        "08",
        "Com a taxa de cada uma escolhida na validação, He não fica à frente no teste, e a diferença no custo de treino"
        " quase some.",
        "em dez outros grupos (ajuste 110–112 e julgamento 10–14, e assim até 180–182 e 80–84, mais 200–202 e 100–104"
        " e 210–212 e 110–114), He nunca ficou à frente por mais de dois erros-padrão no teste; Xavier ficou à frente"
        " em quatro (por 0,6 a 1,2 ponto) e empatou nos outros seis.",
        "No grupo 190–192 e 90–94, uma semente diverge com a taxa 0,2 (custo infinito) e a célula para na comparação",
    )
    tuned = {b: groups[b]["ajustados"] for b in (10, 20, 30, 40, 50)} | {
        b: more_groups[b]["ajustados"] for b in more_groups
    }
    acc = {}
    for b, t in tuned.items():
        acc[b] = paired_difference(t["he_normal"][1], t["xavier_normal"][1])
    assert all(m < 2 * ep for m, ep in acc.values())  # He nunca à frente
    xavier = [-100 * m for m, ep in acc.values() if m < -2 * ep]
    assert (
        len(acc) == 10 and len(xavier) == 4 and round(min(xavier), 1) == 0.6 and round(max(xavier), 1) == 1.2
    )
    with pytest.raises(ValueError, match="NaN ou infinito"):  # 90: uma semente diverge, o custo tem NaN
        _six_layers(90)


def test_each_scheme_with_its_rate_cost_in_ten_other_groups(groups, more_groups):
    says(
        "08",
        "# o que vale também com outros grupos de sementes (ajuste 110–112 e julgamento 10–14; 120–122 e 20–24;"
        " # 130–132 e 30–34; 140–142 e 40–44): os dois preferem uma taxa maior que 0.05, chegam a um custo de treino"
        " # pequeno (mediana abaixo de 0.02, contra uns 0.07 a 0.09 de Xavier com 0.05 na célula anterior) e acertam"
        " # mais de 90% do teste na mediana",
        "No custo de treino, He fica um pouco abaixo nestas sementes e em um daqueles dez grupos, e empata nos"
        " outros nove.",
    )
    cost = []
    for ns in [groups[b] for b in (10, 20, 30, 40, 50)] + list(more_groups.values()):
        tuned = ns["ajustados"]  # os asserts da célula 44 já conferiram taxas, medianas e acertos
        cost.append(paired_difference(tuned["he_normal"][0][:, -1], tuned["xavier_normal"][0][:, -1]))
    assert (
        len(cost) == 10
        and sum(m < -2 * ep for m, ep in cost) == 1
        and sum(abs(m) < 2 * ep for m, ep in cost) == 9
    )


def test_twelve_layers_in_five_other_groups(groups):
    says(
        "08",
        "# conferido com os grupos (ajuste 110–112, julgamento 10–14), (120–122, 20–24), (130–132, 30–34), #"
        " (140–142, 40–44) e (150–152, 50–54): diferença de +0.20 a +0.44, sempre a mais de 2 erros-padrão; #"
        " médias de Xavier de 0.37 a 0.48 e de He de 0.68 a 0.86",
        "Com outros cinco grupos de sementes (ajuste 110–112 e julgamento 10–14, até 150–152 e 50–54), a vantagem de"
        " He ficou entre 20 e 44 pontos, a mais de dois erros-padrão em todos.",
        "(nesses seis grupos, o da aula e os cinco acima: de 0,02 a 0,1 para He, de 0,1 a 0,2 para Xavier; 0,4 fica"
        " atrás para os dois)",
    )
    others = [groups[b] for b in (10, 20, 30, 40, 50)]
    m = [ns["m_f"] for ns in others]
    assert round(min(m), 2) == 0.20 and round(max(m), 2) == 0.44
    assert all(ns["m_f"] > 2 * ns["ep_f"] for ns in others)
    xavier = [ns["a_xa_f"].mean() for ns in others]
    he = [ns["a_he_f"].mean() for ns in others]
    assert round(min(xavier), 2) == 0.37 and round(max(xavier), 2) == 0.48
    assert round(min(he), 2) == 0.68 and round(max(he), 2) == 0.86
    rates = {s: {ns["taxa_funda"][s] for ns in groups.values()} for s in ("he_normal", "xavier_normal")}
    assert min(rates["he_normal"]) == 0.02 and max(rates["he_normal"]) == 0.1
    assert min(rates["xavier_normal"]) == 0.1 and max(rates["xavier_normal"]) == 0.2
    assert 0.4 in groups[0]["TAXAS_FUNDA"] and 0.4 not in rates["he_normal"] | rates["xavier_normal"]
