"""Testes da demonstração da aula 00 (coursekit.widgets.introducao)."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from coursekit.widgets import introducao as wi  # noqa: E402

# a marca "exercise" dos testes de demonstração (e dos de tests/grading) só é registrada pelo
# conftest de tests/grading; aqui ela é esperada
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")


def test_shapes_and_nested_data():
    r = wi.compute_learning_curve(n_points=7, noise=1.0, seed=3)
    assert r["x_train"].shape == (7,) and r["y_train"].shape == (7,)
    assert r["sizes"][0] == 2 and r["sizes"][-1] == wi.N_POOL
    assert r["curve_test"].shape == r["sizes"].shape == r["curve_train"].shape
    # mais dados = os mesmos pontos de antes + pontos novos (a "experiência" cresce)
    r12 = wi.compute_learning_curve(n_points=12, noise=1.0, seed=3)
    np.testing.assert_array_equal(r12["x_train"][:7], r["x_train"])


def test_fit_matches_least_squares_and_curve():
    r = wi.compute_learning_curve(n_points=20, noise=0.5, seed=1)
    m, b = np.polyfit(r["x_train"], r["y_train"], 1)
    assert np.isclose(r["m"], m) and np.isclose(r["b"], b)
    assert np.isclose(r["curve_test"][20 - 2], r["test_mse"])
    assert np.isclose(r["curve_train"][20 - 2], r["train_mse"])
    assert np.isclose(r["noise_floor"], 0.25)


def test_more_data_lowers_test_error_towards_noise_floor():
    r = wi.compute_learning_curve(n_points=2, noise=1.0, seed=0)
    small = r["curve_test"][:3].mean()  # 2 a 4 pontos
    large = r["curve_test"][-10:].mean()  # 91 a 100 pontos
    assert large < small
    assert abs(large - r["noise_floor"]) < 0.02 * r["noise_floor"]
    # com 2 pontos a reta passa exatamente por eles: erro de treino zero
    assert r["train_mse"] == 0.0


def test_zero_noise_recovers_the_rule_exactly():
    r = wi.compute_learning_curve(n_points=2, noise=0.0)
    assert np.isclose(r["m"], wi.TRUE_SLOPE) and np.isclose(r["b"], wi.TRUE_INTERCEPT)
    assert r["test_mse"] == 0.0 and r["noise_floor"] == 0.0


@pytest.mark.parametrize("kwargs", [{"n_points": 1}, {"n_points": 101}, {"noise": -1.0}, {"n_points": 2.5}])
def test_bad_input(kwargs):
    with pytest.raises((ValueError, TypeError)):
        wi.compute_learning_curve(**kwargs)


def test_demos_draw_and_seed_changes_picture():
    import matplotlib.pyplot as plt

    assert set(wi.DEMOS) == {"aprendizado"} and wi.TRAINING_DEMOS == set()
    draw, kwargs, figsize = wi.DEMOS["aprendizado"]
    fig = plt.figure()
    draw(fig, **kwargs)
    assert len(fig.axes) == 2
    assert "MSE" in fig.axes[0].get_title()
    plt.close(fig)
    a = wi.compute_learning_curve(n_points=5)
    b = wi.compute_learning_curve(n_points=6)
    assert a["test_mse"] != b["test_mse"]


def test_import_does_not_load_ipywidgets():
    code = (
        "import sys, coursekit.widgets.introducao; "
        "assert 'ipywidgets' not in sys.modules and 'matplotlib.pyplot' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_widget_builds():
    box = wi.learning_widget()
    first = box.children[0].children[0]
    assert first.description == "quantidade de dados"


def test_curve_does_not_depend_on_n_points_and_is_a_copy():
    a = wi.compute_learning_curve(n_points=5, noise=1.0, seed=2)
    a["curve_test"][:] = -1.0  # mexer no resultado não estraga o cache
    b = wi.compute_learning_curve(n_points=40, noise=1.0, seed=2)
    c = wi.compute_learning_curve(n_points=5, noise=1.0, seed=2)
    assert np.array_equal(b["curve_test"], c["curve_test"]) and np.all(c["curve_test"] >= 0)


def test_test_error_never_far_below_the_noise_floor():
    """O texto da aula 00: o erro em dados novos fica em torno do piso, em média acima dele,
    e nunca mais que 3 % abaixo, em todas as sementes e quantidades do widget (o MSE / ruído²
    não depende do ruído: os sorteios são os mesmos, só escalados)."""
    curves = np.array(
        [wi.compute_learning_curve(n_points=2, noise=1.0, seed=s)["curve_test"] for s in range(21)]
    )
    assert curves.min() >= 0.97
    assert np.all(curves.mean(axis=0) >= 1.0)  # em média (21 sorteios), acima do piso
    scaled = wi.compute_learning_curve(n_points=2, noise=2.5, seed=4)["curve_test"] / 2.5**2
    np.testing.assert_allclose(scaled, curves[4], rtol=1e-9)


def test_off_scale_triangle_only_with_few_points():
    """O texto da aula 00: o erro passa do topo do gráfico (3 × piso; o ponto vira triângulo) só
    com poucos pontos: conforme a semente, de 2 até 7 pontos, ou nunca (na semente 0, com 3 e 4)."""
    import matplotlib.pyplot as plt

    curves = np.array(
        [wi.compute_learning_curve(n_points=2, noise=1.0, seed=s)["curve_test"] for s in range(21)]
    )
    off = curves > 0.97 * 3.0  # sizes começa em 2 pontos: a coluna k é n = k + 2
    assert not off[:, 6:].any() and off[:, 5].any() and not off.any(axis=1).all()
    assert off[0, :3].tolist() == [False, True, True]
    fig = plt.figure()
    wi.draw_learning(fig, n_points=3, noise=1.0, seed=0)
    assert fig.axes[1].lines[-1].get_marker() == "^"
    plt.close(fig)


def test_check_demo_reports_like_check():
    def wrong(x):
        return x + 2

    def right(x):
        return 2 * x

    text = wi.check_demo("dobro", {"dobro": wrong})
    assert "✔ test_dobro_de_2" in text and "✘ test_dobro_de_3" in text
    assert "1 de 3 testes públicos passaram" in text and "vezes 2" in text
    assert "os 3 testes públicos passaram" in wi.check_demo("dobro", {"dobro": right})
    assert "ainda não implementado" in wi.check_demo("dobro", {})
    assert "Não encontrei testes públicos" in wi.check_demo("triplo", {"triplo": right})
    with pytest.raises(TypeError, match="name"):
        wi.check_demo(3)


def test_check_demo_is_not_a_graded_exercise():
    """Os testes de demonstração não ficam em tests/grading: o corretor nunca os vê."""
    from pathlib import Path

    from coursekit.grading.selfcheck import find_items

    root = Path(__file__).resolve().parents[1]
    assert find_items("dobro", tests_dir=root / "tests" / "grading") == (None, [])


def test_check_demo_uses_the_kernel_namespace(monkeypatch):
    import types

    main = types.ModuleType("__main__")
    main.dobro = lambda x: 2 * x
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert "os 3 testes públicos passaram" in wi.check_demo("dobro")


def test_lecture_00_minimum_versions_match_pyproject():
    """A verificação do ambiente da aula 00 confere os mesmos mínimos do pyproject.toml."""
    import ast
    import json
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    deps = re.findall(r'"([A-Za-z][\w-]*)>=(\d+)\.(\d+)', (root / "pyproject.toml").read_text())
    required = {name: (int(a), int(b)) for name, a, b in deps}
    cells = json.loads((root / "notebooks" / "00_introducao.ipynb").read_text())["cells"]
    source = next("".join(c["source"]) for c in cells if "MINIMOS = " in "".join(c["source"]))
    assert source.index("sys.version_info >= (3, 10)") < source.index("import coursekit")
    minimos = next(
        ast.literal_eval(node.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MINIMOS"
    )
    assert minimos and all(required[name] == version for name, version in minimos.items())
    assert re.search(r'requires-python = ">=3\.10"', (root / "pyproject.toml").read_text())


def test_static_figures_of_lecture_00():
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=wi.FIGSIZE_COMPONENTS)
    ax = wi.draw_components(fig)
    texts = {t.get_text() for t in ax.texts}
    assert {"Dados", "Modelo", "Função objetivo", "Otimizador"} <= texts and len(ax.patches) == 4
    plt.close(fig)

    fig = plt.figure(figsize=wi.FIGSIZE_DEEP)
    ax = wi.draw_deep_vs_classic(fig)
    boxes = [p for p in ax.patches]
    assert len(boxes) == sum(len(steps) for _, steps in wi.STAGES) == 9
    # aprendida: borda preta contínua; fixa: borda cinza (0,5) tracejada; nenhuma com matiz
    learned = [p for p in boxes if p.get_edgecolor()[:3] == (0.0, 0.0, 0.0) and p.get_linestyle() == "-"]
    fixed = [p for p in boxes if np.allclose(p.get_edgecolor()[:3], 0.5) and p.get_linestyle() == "--"]
    assert len(learned) == 7 and len(fixed) == 2  # duas etapas feitas à mão, sete aprendidas
    for p in boxes:
        r, g, b, _ = p.get_facecolor()
        assert r == g == b  # só cinzas e branco (uma cor, um significado: aqui não há significado de cor)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]  # a chave dos dois estilos
    assert legend == ["fixo (desenhado por pessoas)", "aprendido com dados"]
    plt.close(fig)

    milestones = [(1958, "Perceptron"), (2012, "AlexNet"), (2017, "Transformer")]
    fig = plt.figure(figsize=wi.FIGSIZE_TIMELINE)
    ax = wi.draw_timeline(fig, milestones)
    assert [t.get_text().split("\n")[0] for t in ax.texts] == ["1958", "2012", "2017"]
    plt.close(fig)
    with pytest.raises(ValueError, match="milestones"):
        wi.draw_timeline(plt.figure(), [(2012, "a"), (1958, "b")])
    assert max(wi.FIGSIZE_COMPONENTS[0], wi.FIGSIZE_DEEP[0], wi.FIGSIZE_TIMELINE[0]) <= 9.5
    plt.close("all")
