"""Aula 10: as caixas "o que mudou com outras sementes" conferidas de novo.

A aula ajusta a taxa de cada otimizador nas sementes 0–4 e julga nas 5–14; as caixas contam o que
aconteceu com outros sete pares de conjuntos (ajuste em b…b+4, julgamento em b+5…b+14). Aqui cada
par roda de novo (uns 4 s cada), com os asserts das células, e os números das caixas são conferidos.
"""

import numpy as np
import pytest

from coursekit.stats import paired_difference

from ._rerun import rerun, says

BASES = (0, 20, 40, 60, 200, 300, 500, 1000)  # o da aula e os sete da caixa
EFFECTIVE = (0.1, 0.3, 1.0, 3.0)


def _z(a, b):
    d, se = paired_difference(a, b)
    return d / se


@pytest.fixture(scope="module")
def runs():
    out = {}
    for base in BASES:
        ns = rerun(
            "10",
            "from coursekit.data import digits",
            "Adam / Momentum, médias",
            [
                ("TUNE = range(5)", f"TUNE = range({base}, {base + 5})"),
                ("NEW = range(5, 15)", f"NEW = range({base + 5}, {base + 15})"),
            ],
        )
        sgd, mom = ns["sgd_pair"], ns["mom_pair"]  # (passo efetivo, semente de ajuste)
        out[base] = {
            "z_eff": [_z(sgd[i], mom[i]) for i in range(3)],
            "sgd_mean_lower": [sgd[i].mean() < mom[i].mean() for i in range(3)],
            "sgd_at_3": sgd[3],
            "z": ns["z"],
            "m": ns["m"],
            "new": ns["new"],
            "chosen": ns["chosen"],
        }
    return out


def test_sgd_versus_momentum_box(runs):
    says(
        "10",
        "passo efetivo 0,1: de $-4{,}1$ a $-0{,}6$ (aqui $-2{,}3$); SGD com média menor nos oito conjuntos, a mais de dois erros-padrão em seis",
        "passo efetivo 0,3: de $-0{,}2$ a $+2{,}4$ (aqui $+2{,}1$): o lado troca",
        "passo efetivo 1: de $+1{,}1$ a $+7{,}9$ (aqui o maior): o Momentum sempre com média menor",
        "passo efetivo 3: o SGD colapsou (perda ≈ 2,3) nos oito",
    )
    z = np.array([runs[b]["z_eff"] for b in BASES])  # (conjunto, passo efetivo 0.1 / 0.3 / 1)
    # passo efetivo 0,1: "de −4,1 a −0,6 (aqui −2,3); SGD com média menor nos oito, a mais de 2 EP em seis"
    assert z[0, 0] == pytest.approx(-2.3, abs=0.051)
    assert z[:, 0].min() == pytest.approx(-4.1, abs=0.051) and z[:, 0].max() == pytest.approx(-0.6, abs=0.051)
    assert all(runs[b]["sgd_mean_lower"][0] for b in BASES) and np.sum(z[:, 0] < -2) == 6
    # 0,3: "de −0,2 a +2,4 (aqui +2,1): o lado troca"
    assert z[0, 1] == pytest.approx(2.1, abs=0.051)
    assert z[:, 1].min() == pytest.approx(-0.2, abs=0.051) and z[:, 1].max() == pytest.approx(2.4, abs=0.051)
    # 1: "de +1,1 a +7,9 (aqui o maior): o Momentum sempre com média menor"
    assert z[:, 2].min() == pytest.approx(1.1, abs=0.051) and z[0, 2] == pytest.approx(7.9, abs=0.051)
    assert z[0, 2] == z[:, 2].max() and not any(runs[b]["sgd_mean_lower"][2] for b in BASES)
    # 3: "o SGD colapsou (perda ≈ 2,3) nos oito"
    assert all(np.all(np.abs(runs[b]["sgd_at_3"] - np.log(10)) < 0.05) for b in BASES)


def test_each_with_its_rate_box(runs):
    says(
        "10",
        'As quatro afirmações "à frente" se repetiram em todos, e a ordem das médias de Adam, Momentum e RMSProp também',
        "Momentum × SGD passou de dois erros-padrão em sete dos oito conjuntos",
        "Momentum × RMSProp em cinco, e Adam × Momentum em quatro (nos quatro, por 4,4 a 7,0 erros-padrão; nos outros, de 0,8 a 1,6)",
        "1 ou 0,3 para o SGD, 0,1 ou 0,3 para o Momentum",
    )
    ahead = (("Adam", "SGD"), ("Adam", "Adagrad"), ("Adam", "RMSProp"), ("Momentum", "Adagrad"))
    # "as quatro afirmações 'à frente' se repetiram em todos, e a ordem das médias de Adam, Momentum e RMSProp também"
    for b in BASES:
        assert all(runs[b]["z"][k] < -2 for k in ahead), b
        m = runs[b]["m"]
        assert m["Adam"] < m["Momentum"] < m["RMSProp"], b

    def beyond(pair):
        return sum(runs[b]["z"][pair] < -2 for b in BASES)

    # "Momentum × SGD … em sete dos oito, Momentum × RMSProp em cinco, e Adam × Momentum em quatro"
    assert beyond(("Momentum", "SGD")) == 7
    assert beyond(("Momentum", "RMSProp")) == 5
    assert beyond(("Adam", "Momentum")) == 4
    # "(nos quatro, por 4,4 a 7,0 erros-padrão; nos outros, de 0,8 a 1,6)"
    z_am = np.array([-runs[b]["z"][("Adam", "Momentum")] for b in BASES])
    won, tied = z_am[z_am > 2], z_am[z_am <= 2]
    assert won.min() == pytest.approx(4.4, abs=0.051) and won.max() == pytest.approx(7.0, abs=0.051)
    assert tied.min() == pytest.approx(0.8, abs=0.051) and tied.max() == pytest.approx(1.6, abs=0.051)
    # "1 ou 0,3 para o SGD, 0,1 ou 0,3 para o Momentum"
    assert {runs[b]["chosen"]["SGD"] for b in BASES} == {1.0, 0.3}
    assert {runs[b]["chosen"]["Momentum"] for b in BASES} == {0.1, 0.3}


def test_adam_versus_momentum_in_every_set(runs):
    # texto: "a média do Adam foi sempre menor, de uns 20 % a 46 % abaixo da do Momentum, e ele venceu em 7 a 10
    # das 10 sementes"; comentário da célula: "de 0,54 a 0,80"
    says(
        "10",
        "de uns 20 % a 46 % abaixo da do Momentum, e ele venceu em 7 a 10 das 10 sementes",
        "(de 0,54 a 0,80)",
    )
    ratio = np.array([runs[b]["m"]["Adam"] / runs[b]["m"]["Momentum"] for b in BASES])
    assert ratio.min() == pytest.approx(0.54, abs=0.0051) and ratio.max() == pytest.approx(0.80, abs=0.0051)
    wins = [int(np.sum(runs[b]["new"]["Adam"] < runs[b]["new"]["Momentum"])) for b in BASES]
    assert min(wins) == 7 and max(wins) == 10
