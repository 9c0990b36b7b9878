"""Aula 11: as caixas "conferimos com outras sementes" conferidas de novo.

Duas caixas. A da seção 5 (remédios contra o sobreajuste) roda a célula que treina as 40 redes com oito lotes de 5
sementes (0–4, o da aula, 10–14, …, 50–54, e os dois a mais, 60–64 e 70–74; uns 4 s de CPU cada) e a comparação que a segue. A da seção 6 (regra de um
erro-padrão) roda a célula dos 30 conjuntos com os 20 lotes da caixa (1–30, 31–60, …, 571–600; uma fração de segundo
cada). Os asserts das próprias células rodam também, com as sementes novas.
"""

import numpy as np
import pytest

from coursekit.stats import paired_difference

from ._rerun import paired_z, rerun, says

# ---------------------------------------------------------------- seção 5: L2, dropout e parada antecipada

# células de outras seções que os trechos refeitos pulam (figuras, widget, outras demonstrações)
OTHER_SECTIONS = (
    "fit3 = LinearRegression()",
    "grid_in = np.linspace",
    "idx = np.arange(100)",
    "val_sorteios = []",
    "wover.overfitting_widget()",
    "def erros(**ajuste)",
    "sizes = (15, 20, 40",
    "numerical_gradient(lambda",
    "sem = MLP([1, 5, 1]",
    "def shrink(",
    "def parada_antecipada(",
    "net_full (sem paciência)",
    "net_d = MLP([1, 200, 1]",
    "media_mascaras = np.mean",
    "def desenha_rede(",
)
LOTS = (0, 10, 20, 30, 40, 50)  # o da aula e os cinco da caixa (as contas "com as 30 sementes")
EXTRA = (60, 70)  # os dois lotes a mais da caixa (dropout × L2 lote a lote)


@pytest.fixture(scope="module")
def remedies():
    out = {}
    for base in LOTS + EXTRA:
        ns = rerun(
            "11",
            "x_all, y_all, _, _ = wover.make_data(n_train=80",
            "gap_sem, gap_es = none - val_sem",
            [
                ("(0.1, 0.2, 0.5), range(5)", f"(0.1, 0.2, 0.5), range({base}, {base + 5})"),
                # a separação da seção 1 é a da semente 0: só o lote da aula a tem
                (
                    "assert np.allclose(splits[s0][0], X_tr)",
                    "pass" if base else "assert np.allclose(splits[s0][0], X_tr)",
                ),
            ],
            skip=("errors = {}", "from sklearn.linear_model import Ridge", "alphas = np.logspace(-8, 2, 41)")
            + OTHER_SECTIONS,
        )
        out[base] = {
            "table": ns["table"],
            "gap_sem": ns["gap_sem"],
            "gap_es": ns["gap_es"],
            "se_test": ns["se_test"],
        }
    return out


def _column(remedies, name, lots=LOTS):
    return np.concatenate([remedies[b]["table"][name] for b in lots])


NONE, L2, DP, ES = "sem regularização", "L2 (λ escolhido)", "dropout (p escolhido)", "parada antecipada"


def test_section_5_this_lot(remedies):
    says(
        "11",
        "uns 0,036 de MSE, a 5,0 e 3,4 erros-padrão aqui",
        "erro-padrão de uns 0,0075",
        "L2 − parada = 0,002 ± 0,006",
        "a diferença pareada fica a 1,7 erros-padrão",
        "E o dropout fica atrás das duas, da L2 e da parada antecipada (4,4 e 2,9 erros-padrão).",
        "para separar as duas: **empate com estas sementes**",
    )
    t = remedies[0]["table"]
    gain_l2, gain_es = (t[NONE] - t[L2]).mean(), (t[NONE] - t[ES]).mean()
    assert round(gain_l2, 3) == 0.036 and round(gain_es, 3) in (0.036, 0.038)  # "uns 0,036" (0,0357 e 0,0377)
    assert round(paired_z(t[NONE], t[L2]), 1) == 5.0 and round(paired_z(t[NONE], t[ES]), 1) == 3.4
    assert remedies[0]["se_test"] == pytest.approx(0.0075, abs=0.0005)
    d, se = paired_difference(t[L2], t[ES])
    assert round(d, 3) == 0.002 and round(se, 3) == 0.006
    assert round(paired_z(t[NONE], t[DP]), 1) == 1.7
    assert round(paired_z(t[DP], t[L2]), 1) == 4.4 and round(paired_z(t[DP], t[ES]), 1) == 2.9


def test_section_5_box(remedies):
    says(
        "11",
        "Rodamos a mesma célula com os lotes de sementes 10–14, 20–24, 30–34, 40–44 e 50–54",
        'L2 e parada antecipada vencem "sem regularização" em toda semente de todos os lotes, de 2,6 a 7,4 erros-padrão.',
        "Juntando as 30 sementes, o ganho do dropout aparece, mas é cerca de **metade** do que dão a L2 e a parada antecipada: sem regularização − dropout = +0,018 ± 0,004 (4,0 erros-padrão), contra uns 0,036 da L2",
        "Com mais sementes, a parada antecipada fica um pouco à frente da L2, por uma fração pequena do que cada uma ganha sobre não regularizar.",
        "dropout − L2 = +0,016 ± 0,0015 (10,6 erros-padrão) e dropout − parada = +0,021 ± 0,002 (11,6)",
        "fica atrás da L2 (3,2 a 9,8 erros-padrão) e da parada (2,9 a 24,7) em todos",
        "passa de dois erros-padrão em 2 dos 6 lotes (30–34 e 50–54) e empata nos outros 4",
        "L2 − parada antecipada, com as 30 sementes: +0,005 ± 0,0015 (3,3 erros-padrão); lote a lote, de 0,4 a 3,4",
        "positiva na média nos 6 lotes (de +0,005 a +0,018), mas nunca a dois erros-padrão com 5 sementes",
        "com as 30 juntas, +0,010 ± 0,003 (2,9 erros-padrão)",
    )
    z_l2 = [paired_z(remedies[b]["table"][NONE], remedies[b]["table"][L2]) for b in LOTS]
    z_es = [paired_z(remedies[b]["table"][NONE], remedies[b]["table"][ES]) for b in LOTS]
    for b in LOTS:
        t = remedies[b]["table"]
        assert np.all(t[L2] < t[NONE]) and np.all(t[ES] < t[NONE]), b
    assert round(min(z_l2 + z_es), 1) == 2.6 and round(max(z_l2 + z_es), 1) == 7.4

    none, l2, dp, es = (_column(remedies, k) for k in (NONE, L2, DP, ES))
    d, se = paired_difference(none, dp)
    assert (round(d, 3), round(se, 3), round(d / se, 1)) == (0.018, 0.004, 4.0)
    assert 0.4 < d / np.mean(none - l2) < 0.6  # "cerca de metade" do ganho da L2
    d, se = paired_difference(dp, l2)
    assert (round(d, 3), round(se, 4), round(d / se, 1)) == (0.016, 0.0015, 10.6)
    d, se = paired_difference(dp, es)
    assert (round(d, 3), round(se, 3), round(d / se, 1)) == (0.021, 0.002, 11.6)

    def per_lot(a, b):
        return np.array([paired_z(remedies[x]["table"][a], remedies[x]["table"][b]) for x in LOTS])

    behind_l2, behind_es, over_none = per_lot(DP, L2), per_lot(DP, ES), per_lot(NONE, DP)
    assert (round(behind_l2.min(), 1), round(behind_l2.max(), 1)) == (3.2, 9.8)
    assert (round(behind_es.min(), 1), round(behind_es.max(), 1)) == (2.9, 24.7)
    assert [b for b, z in zip(LOTS, over_none) if z > 2] == [30, 50]

    d, se = paired_difference(l2, es)
    assert (round(d, 3), round(se, 4), round(d / se, 1)) == (0.005, 0.0015, 3.3)
    l2_es = per_lot(L2, ES)
    assert (round(np.abs(l2_es).min(), 1), round(np.abs(l2_es).max(), 1)) == (0.4, 3.4)

    extras = [paired_difference(remedies[b]["gap_es"], remedies[b]["gap_sem"]) for b in LOTS]
    means = np.array([e[0] for e in extras])
    assert np.all(means > 0) and (round(means.min(), 3), round(means.max(), 3)) == (0.005, 0.018)
    assert all(e[0] < 2 * e[1] for e in extras)
    gap_es = np.concatenate([remedies[b]["gap_es"] for b in LOTS])
    gap_sem = np.concatenate([remedies[b]["gap_sem"] for b in LOTS])
    d, se = paired_difference(gap_es, gap_sem)
    assert (round(d, 3), round(se, 3), round(d / se, 1)) == (0.010, 0.003, 2.9)


def test_section_5_extra_lots(remedies):
    says(
        "11",
        'Lote a lote, o dropout fica sempre atrás da parada antecipada, mas nem todo lote de 5 sementes o separa da L2: a conclusão "o dropout fica atrás da L2" vem das 30 sementes juntas.',
        'Dois lotes a mais, 60–64 e 70–74: de novo L2 e parada antecipada vencem "sem regularização" em toda semente (2,4 a 4,4 erros-padrão), e o dropout fica atrás da parada (4,6 e 5,3 erros-padrão); mas atrás da L2 só a 2,1 e 1,7 erros-padrão',
    )
    z = []
    for b in EXTRA:
        t = remedies[b]["table"]
        assert np.all(t[L2] < t[NONE]) and np.all(t[ES] < t[NONE]), b
        z += [paired_z(t[NONE], t[L2]), paired_z(t[NONE], t[ES])]
    assert (round(min(z), 1), round(max(z), 1)) == (2.4, 4.4)
    behind_es = [round(paired_z(remedies[b]["table"][DP], remedies[b]["table"][ES]), 1) for b in EXTRA]
    behind_l2 = [round(paired_z(remedies[b]["table"][DP], remedies[b]["table"][L2]), 1) for b in EXTRA]
    assert behind_es == [4.6, 5.3] and behind_l2 == [2.1, 1.7]
    # "lote a lote, fica sempre atrás da parada antecipada, mas nem todo lote o separa da L2": nos 8 lotes
    all_lots = LOTS + EXTRA
    assert all(paired_z(remedies[b]["table"][DP], remedies[b]["table"][ES]) > 2 for b in all_lots)
    assert any(paired_z(remedies[b]["table"][DP], remedies[b]["table"][L2]) < 2 for b in all_lots)
    assert all(remedies[b]["table"][DP].mean() > remedies[b]["table"][L2].mean() for b in all_lots)


# ---------------------------------------------------------------- seção 6: a regra de um erro-padrão

STARTS = tuple(range(1, 600, 30))  # 1–30 (o da aula), 31–60, …, 571–600


@pytest.fixture(scope="module")
def one_se():
    out = {}
    for start in STARTS:
        ns = rerun(
            "11",
            "pela_menor_media, pela_regra = Counter()",
            "pela_menor_media, pela_regra = Counter()",
            [
                ("for s in range(1, 31):", f"for s in range({start}, {start + 30}):"),
                (
                    "from collections import Counter",
                    "from collections import Counter\n\ndegrees = range(1, 13)",
                ),
            ],
        )
        out[start] = ns
    return out


def test_one_se_rule_this_lot(one_se):
    says("11", "a 2,2 erros-padrão nestes 30 conjuntos", "(aqui em 18 de 30)")
    ns = one_se[1]
    assert round(ns["dif"] / ns["ep_dif"], 1) == 2.2 and ns["mesmo_grau"] == 18


def test_one_se_rule_box(one_se):
    says(
        "11",
        "A mesma célula com 20 lotes de 30 conjuntos: sementes 1–30 (este), 31–60, 61–90, …, 571–600",
        "a regra escolhe o grau 3 em 26 a 30 de cada 30; a menor média, em só 11 a 18",
        "os dois critérios escolhem o mesmo grau em 11 a 19 dos 30 conjuntos; a regra erra no máximo o mesmo em 22 a 28",
        "a sua maior perda num conjunto foi de 0,012 de MSE",
        "a diferença média menor média − regra ficou positiva nos 20 lotes, mas de 0,2 a 2,7 erros-padrão",
        "passou de dois erros-padrão em 7 dos 20 lotes",
        "Nos três lotes de média maior (181–210, 331–360 e 511–540), um só conjunto",
        "perde de 1,0 a 5,8 e sozinho faz a média",
        "com outros lotes de 30 conjuntos ela vai de 0,2 a 2,7 erros-padrão",
    )
    rule3 = [one_se[s]["pela_regra"][3] for s in STARTS]
    min3 = [one_se[s]["pela_menor_media"][3] for s in STARTS]
    assert (min(rule3), max(rule3), min(min3), max(min3)) == (26, 30, 11, 18)
    same = [one_se[s]["mesmo_grau"] for s in STARTS]
    assert (min(same), max(same)) == (11, 19)
    no_worse = [int(np.sum(one_se[s]["teste_regra"] <= one_se[s]["teste_menor"] + 1e-12)) for s in STARTS]
    assert (min(no_worse), max(no_worse)) == (22, 28)
    worst = max(np.max(one_se[s]["teste_regra"] - one_se[s]["teste_menor"]) for s in STARTS)
    assert round(worst, 3) == 0.012
    dif = np.array([one_se[s]["dif"] for s in STARTS])
    z = dif / np.array([one_se[s]["ep_dif"] for s in STARTS])
    assert np.all(dif > 0) and (round(z.min(), 1), round(z.max(), 1)) == (0.2, 2.7)
    assert int(np.sum(z > 2)) == 7
    top3 = sorted(np.argsort(dif)[-3:])
    assert [STARTS[i] for i in top3] == [181, 331, 511]
    for i in top3:
        gain = one_se[STARTS[i]]["teste_menor"] - one_se[STARTS[i]]["teste_regra"]
        assert gain.max() > 1 and gain.max() / 30 > 0.9 * dif[i]  # um só conjunto faz a média
    big = [np.max(one_se[STARTS[i]]["teste_menor"] - one_se[STARTS[i]]["teste_regra"]) for i in top3]
    assert (round(min(big), 1), round(max(big), 1)) == (1.0, 5.8)


# ---------------------------------------------------------------- seção 1: viés e variância com x fixo

NOISE_LOTS = (0, 10, 20, 30, 60, 90, 120)  # a semente dos 30 sorteios do ruído: o da aula (0) e seis outros


@pytest.fixture(scope="module")
def bias_variance():
    out = {}
    for base in NOISE_LOTS:
        ns = rerun(
            "11",
            "x_all, y_all, _, _ = wover.make_data(n_train=80",
            "f_tr, f_grid = np.sin(3 * x_tr)",
            [("np.random.default_rng(0).normal(0, 0.3", f"np.random.default_rng({base}).normal(0, 0.3")],
            skip=("errors = {}", "fit3 = LinearRegression()"),
        )  # os asserts da célula (a ordem dos termos e a fórmula fechada) rodam com cada lote
        out[base] = (ns["bias2"], ns["var"])
    return out


def test_bias_variance_numbers(bias_variance):
    says(
        "11",
        "No grau 1 as curvas concordam entre si, mas a média erra a forma: viés² 0,13 contra variância 0,004.",
        "No grau 15 a média segue a curva verdadeira (viés² 0,002), mas cada ajuste vai para um lado: variância 0,04, dez vezes a do grau 1.",
    )
    bias2, var = bias_variance[0]
    assert (round(bias2[1], 2), round(var[1], 3), round(bias2[15], 3), round(var[15], 2)) == (
        0.13,
        0.004,
        0.002,
        0.04,
    )
    assert round(var[15] / var[1]) == 10
    for base in NOISE_LOTS:  # a mensagem (grau 1: viés; grau 15: variância) em todo lote
        bias2, var = bias_variance[base]
        assert bias2[1] > 10 * max(bias2[3], bias2[15]) and var[15] > 4 * var[3] > 4 * var[1], base
        assert bias2[15] < 0.01 and 0.1 < bias2[1] < 0.2, base


def test_degree_15_variance_with_x_redrawn():
    """A caixa "e se x também fosse sorteado?": a variância do grau 15 quando cada conjunto sorteia os seus 40 x."""
    says(
        "11",
        "nos lotes de 30 sorteios das sementes 30–59, 60–89, 90–119 e 120–149, de menos de 1 a dezenas de milhares",
    )
    from coursekit.widgets import overfitting as wover

    grid_in = np.linspace(-0.9, 0.9, 200)
    var = []
    for base in (30, 60, 90, 120):
        fits = np.array(
            [
                wover.fit_polynomial(*wover.make_data(n_train=40, n_val=1, seed=s)[:2], 15)(grid_in)
                for s in range(base, base + 30)
            ]
        )
        var.append(np.mean(fits.var(axis=0)))
    assert min(var) < 1 and 10_000 < max(var) < 100_000


# ---------------------------------------------------------------- seção 7: o lasso em outras separações

LASSO_SKIP = OTHER_SECTIONS + (
    "ALPHAS, DROPOUTS, SEEDS",
    "rows = {",
    "a mesma tabela, mais duas perguntas",
    "gap_sem, gap_es = none - val_sem",
    "models = {k: nets[k][0]",
    "folds = k_fold(20, 5)",
    "for train_idx, val_idx in k_fold(10, 3)",
    "limite = cv[best - 1] + ep[best - 1]",
    "pela_menor_media, pela_regra = Counter()",
    "notas = cv_folds[escolhido - 1]",
)


def test_lasso_in_other_splits():
    says(
        "11",
        "(com as separações das sementes 10 a 39, de 6 a 11)",
        "ficaram em todas as separações (nas 10 daqui e nas 30 das sementes 10 a 39)",
    )
    ns = rerun(
        "11",
        "x_all, y_all, _, _ = wover.make_data(n_train=80",
        "def lasso_na_validacao(",
        [
            ("for s in range(10):", "for s in range(10, 40):"),
            ("assert (min(zeros), max(zeros)) == (7, 11)", "pass"),
        ],
        skip=LASSO_SKIP,
    )
    assert len(ns["zeros"]) == 30 and (min(ns["zeros"]), max(ns["zeros"])) == (6, 11)
    assert all(ns["com_x_e_x3"])
