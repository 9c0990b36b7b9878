"""Testes da comparação justa da aula 10 (``tune_lr``: a melhor taxa de cada otimizador)."""

import numpy as np
import pytest

from coursekit import landscapes
from coursekit.widgets import otimizadores as o


def test_tune_lr_matches_direct_runs():
    """Referência independente: rodar cada taxa direto com ``run_optimizer`` dá os mesmos custos."""
    grid = (0.01, 0.05, 0.09, 0.11)
    res = o.tune_lr("quadratic", "gd", grid=grid, steps=100)
    land = landscapes.quadratic
    for rate in grid:
        path = landscapes.run_optimizer(land, o.make_optimizer("gd", rate), land.start, 100)
        expected = float(land.f(path[-1])) if np.all(np.isfinite(path)) else float("inf")
        assert res["finals"][rate] == pytest.approx(expected, rel=1e-12, abs=1e-300)
    assert res["finals"][0.11] == float("inf")  # η > 2/20: diverge
    assert res["best_lr"] == min(grid[:3], key=lambda r: res["finals"][r])
    assert res["best_final"] == res["finals"][res["best_lr"]]


def test_tune_lr_prefers_smaller_rate_on_ties_and_rejects_bad_grid():
    res = o.tune_lr("quadratic", "adam", grid=(0.5, 0.2), steps=0)  # 0 passos: todos empatam
    assert res["best_lr"] == 0.2
    with pytest.raises(ValueError, match="grid"):
        o.tune_lr("quadratic", "adam", grid=())
    with pytest.raises(ValueError, match="grid"):
        o.tune_lr("quadratic", "adam", grid=(0.1, -1.0))
    with pytest.raises(ValueError, match="name"):
        o.tune_lr("quadratic", "lbfgs")


def test_tune_lr_ties_below_the_floor_go_to_the_smallest_rate():
    """Abaixo de ``COST_FLOOR`` é arredondamento: na tigela, o Adam com 0.2, 0.5, 1 e 2 chega lá,
    e a escolha é 0.2, mesmo que outra taxa tenha o custo bruto menor. Referência: cada taxa
    rodada direto com ``run_optimizer``."""
    land = landscapes.quadratic
    direct = {}
    for rate in o.LR_GRID:
        path = landscapes.run_optimizer(land, o.make_optimizer("adam", rate), land.start, 300)
        direct[rate] = float(land.f(path[-1])) if np.all(np.isfinite(path)) else float("inf")
    below = sorted(r for r, c in direct.items() if c < o.COST_FLOOR)
    assert below == [0.2, 0.5, 1.0, 2.0]
    assert min(direct, key=direct.get) != 0.2  # pelo custo bruto, seria outra
    res = o.tune_lr("quadratic", "adam")
    assert res["best_lr"] == 0.2 and res["tied"] == tuple(below)
    assert res["best_final"] == pytest.approx(direct[0.2], rel=1e-9)
    # sem empate abaixo do piso, o menor custo: GD na Rosenbrock, uma taxa só
    ros = o.tune_lr("rosenbrock", "gd")
    assert ros["tied"] == (ros["best_lr"],) and ros["best_final"] > o.COST_FLOOR


def test_tuned_adam_beats_the_fixed_rate_on_rosenbrock():
    """O argumento da aula: com η = 0.05 fixo o Adam parecia pior na Rosenbrock; com a taxa
    escolhida numa grade ele melhora muito."""
    fixed = o.compute_trajectories("rosenbrock", optimizers=("adam",), lr_adaptive=0.05)["final"]["adam"]
    tuned = o.tune_lr("rosenbrock", "adam")
    assert tuned["best_final"] < fixed / 5


def test_tuned_lr_table_is_what_tune_lr_finds():
    """A tabela guardada (com que o widget abre) é recalculada aqui, superfície por superfície."""
    assert set(o.TUNED_LR) == set(landscapes.LANDSCAPES)
    for land in landscapes.LANDSCAPES:
        assert set(o.TUNED_LR[land]) == set(o.OPTIMIZERS)
        for name in o.OPTIMIZERS:
            assert o.TUNED_LR[land][name] == o.tune_lr(land, name)["best_lr"], (land, name)


def test_the_widget_default_is_the_fair_comparison():
    """Aberto numa superfície, o widget mostra o custo final da melhor taxa de cada otimizador
    (a tabela da seção 7 da aula), não o de uma taxa compartilhada."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    draw, kwargs, _ = o.DEMOS["otimizadores"]
    for land in landscapes.LANDSCAPES:
        res = draw(Figure(), **{**kwargs, "landscape": land})
        for name in o.OPTIMIZERS:
            best = o.tune_lr(land, name)["best_final"]
            assert res["final"][name] == pytest.approx(best, rel=1e-12, abs=1e-300), (land, name)
