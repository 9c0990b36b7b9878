"""Verificações para autores de testes (``coursekit.grading.expect``) e mensagens em português."""

import sys
import types

import numpy as np
import pytest

from coursekit.grading import check
from coursekit.grading.errors import ExpectationFailed, failure_text, translate_assertion
from coursekit.grading.expect import array, assert_close, assert_equal, items, keys, raises, scalar

ENGLISH = ("ACTUAL", "DESIRED", "First 5 mismatches", "Mismatched elements", "assert False", "Not equal")


def message(function, *args, **kwargs):
    with pytest.raises(ExpectationFailed) as caught:
        function(*args, **kwargs)
    text = failure_text(caught.value)
    assert not any(word in text for word in ENGLISH), text
    assert text.count("(") == text.count(")"), text
    return text


@pytest.mark.parametrize(
    "bad",
    [
        np.empty(0),
        np.array([32.0]),
        np.array(32.0)[None],
        [32.0],
        (32.0,),
        None,
        True,
        "32",
        np.nan,
        {"x": 32.0},
    ],
)
def test_scalar_expectation_refuses_everything_but_one_real_number(bad):
    text = message(assert_close, bad, 32.0, name="dot_product")
    assert "dot_product" in text


def test_scalar_expectation_accepts_numbers_and_checks_tolerance():
    assert assert_close(32.0, 32.0) == 32.0
    assert assert_close(np.float64(32.0 + 1e-9), 32.0) == pytest.approx(32.0)
    assert assert_close(32, 32.0) == 32.0
    text = message(assert_close, 31.0, 32.0, rtol=1e-6, name="a soma")
    assert "esperado 32, obtido 31" in text and "tolerância relativa 1e-06" in text


@pytest.mark.parametrize(
    "bad, why",
    [
        (np.empty(0), "formato (3,)"),
        (np.ones((3, 1)), "formato (3,)"),
        (np.ones((1, 3)), "formato (3,)"),
        (np.ones(1), "formato (3,)"),
        (np.array([True, True, True]), "floats ou inteiros"),
        ([1.0, 1.0, 1.0], "array NumPy"),
        (1.0, "array NumPy"),
        (np.array([1.0, np.nan, 1.0]), "nan ou inf"),
        (np.array([1.0, np.inf, 1.0]), "nan ou inf"),
    ],
)
def test_array_expectation_checks_type_shape_kind_and_finiteness_before_values(bad, why):
    assert why in message(assert_close, bad, np.ones(3), name="o resultado")


def test_array_values_message_is_short_portuguese_and_points_at_first_difference():
    expected = np.arange(20.0).reshape(4, 5)
    got = expected.copy()
    got[2, 3] += 1.0
    text = message(assert_close, got, expected, name="Z")
    assert "1 de 20 valores diferentes" in text and "(2, 3)" in text
    assert "esperado:" in text and "obtido:" in text
    assert_close(got, expected, atol=1.0)  # dentro da tolerância pedida


def test_sequence_ok_accepts_lists_only_when_asked():
    assert_close([1.0, 2.0], [1.0, 2.0], sequence_ok=True)
    message(assert_close, [1.0, 2.0], [1.0, 2.0])
    message(assert_close, [1.0, "a"], [1.0, 2.0], sequence_ok=True)


def test_scalar_kinds():
    assert scalar(3, kind="i") == 3
    assert scalar(True, kind="b") is True
    assert "inteiro" in message(scalar, 3.0, kind="i")
    assert "booleano" in message(scalar, 1, kind="b")
    assert "um único número" in message(scalar, np.ones(1))


def test_array_shape_wildcard_and_kinds():
    assert array(np.ones((2, 5)), shape=(2, None)).shape == (2, 5)
    assert "(2, ?)" in message(array, np.ones((3, 5)), shape=(2, None))
    assert "inteiro" in message(array, np.ones(3), kind="i")
    array(np.arange(3), kind="i")
    array(np.arange(3, dtype=np.uint8), kind="i")


def test_assert_equal_checks_labels_type():
    assert_equal(np.array([0, 1, 1]), np.array([0, 1, 1]))
    assert "inteiro" in message(assert_equal, np.array([False, True, True]), np.array([0, 1, 1]))
    assert "inteiro" in message(assert_equal, np.array([0.0, 1.0, 1.0]), np.array([0, 1, 1]))
    assert "posição (2,)" in message(assert_equal, np.array([0, 1, 0]), np.array([0, 1, 1]))
    assert_equal([1, 2], [1, 2])  # esperado lista: aceita lista
    assert_equal(3, 3)
    assert "esperado 3, obtido 4" in message(assert_equal, 4, 3)
    assert "inteiro" in message(assert_equal, 3.0, 3)
    assert_equal((1, 4), (1, 4))
    assert_equal(True, True)
    message(assert_equal, 1, True)


def test_items_keys_and_raises():
    assert items((1, 2), 2) == [1, 2]
    assert "2 itens" in message(items, (1, 2, 3), 2, "gd_step")
    assert "tupla" in message(items, np.ones(2), 2)
    assert keys({"a": 1}, ["a"]) == {"a": 1}
    assert "'b'" in message(keys, {"a": 1}, ["a", "b"])

    class Fake:
        def __init__(self, outcome):
            self.outcome = outcome

        def raises(self, name, *args, **kwargs):
            return self.outcome

    raises(Fake("ValueError"), "ValueError", "f")
    assert "não levantou nenhuma exceção" in message(raises, Fake(None), "ValueError", "f")
    assert "levantou TypeError" in message(raises, Fake("TypeError"), "ValueError", "f")


def test_numpy_and_pytest_messages_are_translated():
    with pytest.raises(AssertionError) as caught:
        np.testing.assert_allclose(np.arange(10.0), np.arange(10.0) + [0, 1, 0, 1, 1, 1, 1, 1, 1, 0])
    text = translate_assertion(str(caught.value))
    assert not any(word in text for word in ENGLISH), text
    assert text.count("(") == text.count(")"), text
    with pytest.raises(AssertionError) as caught:
        np.testing.assert_array_equal([1, 2], [1, 3])
    assert "ACTUAL" not in translate_assertion(str(caught.value))
    assert translate_assertion("assert False") == ""
    assert translate_assertion("assert (True and 3 == 2)") == ""
    assert "obtido 0.0, esperado 32.0 ± 3.2e-05" in translate_assertion("assert 0.0 == 32.0 ± 3.2e-05")
    assert failure_text(AssertionError("assert False")).startswith("Resultado diferente do esperado")


@pytest.fixture
def kernel(monkeypatch):
    module = types.ModuleType("__main__")
    monkeypatch.setitem(sys.modules, "__main__", module)
    monkeypatch.delenv("COURSEKIT_SANDBOX", raising=False)
    exec("import numpy as np", module.__dict__)
    return module.__dict__


def test_check_names_the_broken_helper(kernel, capsys):
    exec(
        "def stable_sigmoid(z):\n    return np.asarray(z, dtype=float) * 0 + 0.5\n"
        "def logistic_gradient(X, y, w, b):\n"
        "    error = stable_sigmoid(X @ w + b) - y\n"
        "    return X.T @ error / len(y), float(error.mean())\n",
        kernel,
    )
    check("logistic_gradient")
    out = capsys.readouterr().out
    assert "✘" in out and "esta função usa `stable_sigmoid`, que ainda falha nos testes dela" in out


def test_check_blames_a_helper_only_when_the_function_called_it(kernel, capsys):
    """Sigmoide quebrada, mas o gradiente (errado) não a chama: nada de "corrija primeiro"."""
    exec(
        "def stable_sigmoid(z):\n    return np.asarray(z, dtype=float) * 0 + 0.5\n"
        "def logistic_gradient(X, y, w, b):\n"
        "    error = 1 / (1 + np.exp(-(X @ w + b))) + y\n"
        "    return X.T @ error / len(y), float(error.mean())\n",
        kernel,
    )
    check("logistic_gradient")
    out = capsys.readouterr().out
    assert "✘" in out and "stable_sigmoid" not in out
    assert kernel["stable_sigmoid"].__name__ == "stable_sigmoid"  # o invólucro saiu do namespace


def test_check_rejects_the_naive_sigmoid_and_empty_arrays(kernel, capsys):
    exec("def stable_sigmoid(z):\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n", kernel)
    check("stable_sigmoid")
    assert "🎉" not in capsys.readouterr().out
    exec("def dot_product(a, b):\n    return np.empty(0)\n", kernel)
    check("dot_product")
    out = capsys.readouterr().out
    assert "🎉" not in out and "um único número" in out
    assert not any(word in out for word in ENGLISH)


def test_grader_names_the_broken_helper_and_explains_numpy_errors(tmp_path, engine):
    import json

    import nbformat

    notebook = nbformat.read(engine.ROOT / "solutions/04_regressao_logistica.ipynb", as_version=4)
    for cell in notebook.cells:
        if "def stable_sigmoid" in cell.source:
            cell.source = "def stable_sigmoid(z):\n    return np.clip(0.5 + 0.25 * np.asarray(z, dtype=float), 0.0, 1.0)\n"
        if "def predict_labels" in cell.source:
            cell.source = "def predict_labels(X, w, b, threshold=0.5):\n    return np.ones(3) @ np.ones(2)\n"
        if "def train_logistic" in cell.source:  # errado e sem chamar a sigmoide nem o gradiente
            cell.source = "def train_logistic(X, y, lr, epochs):\n    return np.zeros(np.shape(X)[1]), 1.0\n"
    nbformat.write(notebook, tmp_path / "04_regressao_logistica.ipynb")
    run = engine.run_grader(tmp_path / "04_regressao_logistica.ipynb", "--out", tmp_path / "o")
    assert run.returncode == 0, run.stderr
    tests = json.loads((tmp_path / "o" / "04_regressao_logistica.json").read_text())["tests"]
    gradient = next(t for t in tests if t["name"] == "logistic_gradient: test_gradient_flowers")
    assert gradient["status"] == "failed"
    assert "esta função usa `stable_sigmoid`, que ainda falha nos testes dela" in gradient["output"]
    training = [t for t in tests if t["name"].startswith("train_logistic") and t["status"] == "failed"]
    assert training and not any("Corrija primeiro" in t["output"] for t in training)
    labels = next(t for t in tests if t["name"] == "predict_labels: test_predict_threshold")
    assert "(Em português: no @ (produto de matrizes), as dimensões internas não batem.)" in labels["output"]
    for test in tests:
        assert not any(word in test["output"] for word in ENGLISH), test["output"]


def test_helper_not_implemented_is_named_too(kernel, capsys):
    exec(
        "def stable_sigmoid(z):\n    raise NotImplementedError('ainda não')\n"
        "def logistic_gradient(X, y, w, b):\n"
        "    error = stable_sigmoid(X @ w + b) - y\n"
        "    return X.T @ error / len(y), float(error.mean())\n",
        kernel,
    )
    from coursekit.grading.selfcheck import find_items
    from coursekit.grading.submission import LocalSubmission
    from coursekit.grading.testsuite import run_item

    _, tests = find_items("logistic_gradient", namespace=kernel)
    error = run_item(tests[0], LocalSubmission(kernel))
    assert "pode vir de `stable_sigmoid`" in failure_text(error)
    check("logistic_gradient")
    assert "⏳" in capsys.readouterr().out  # para o check, continua "ainda não implementado"


def test_diagnose_names_a_known_constant_ratio_or_a_known_wrong_value():
    from coursekit.grading.expect import diagnose

    X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]])
    right = (X - X.mean(axis=0)) / X.std(axis=0)
    wrong = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    with pytest.raises(ExpectationFailed) as caught:
        diagnose(wrong, right, ratios=[(np.sqrt(2 / 3), "ddof=1")], name="Z")
    assert "Diagnóstico: ddof=1" in str(caught.value) and "0.8164965809" in str(caught.value)
    with pytest.raises(ExpectationFailed) as caught:  # razão constante sem nome: apontada mesmo assim
        diagnose(3 * right, right, name="Z")
    assert "a mesma constante 3" in str(caught.value)
    with pytest.raises(ExpectationFailed) as caught:  # valor errado conhecido
        diagnose([1.0, 2.0], [2.0, 3.0], mistakes=[([1.0, 2.0], "custo antes do passo")], sequence_ok=True)
    assert "Diagnóstico: custo antes do passo" in str(caught.value)
    with pytest.raises(ExpectationFailed) as caught:  # erro qualquer: só o esperado × obtido
        diagnose(np.array([1.0, 5.0]), [2.0, 3.0], ratios=[(0.5, "metade")])
    assert "Diagnóstico" not in str(caught.value)
    with pytest.raises(ExpectationFailed) as caught:  # um número só: razão sem nome não diz nada
        diagnose(2.0, 3.0)
    assert "Diagnóstico" not in str(caught.value)
    assert diagnose(np.array([2.0, 3.0]), [2.0, 3.0], ratios=[(2.0, "x")]).tolist() == [2.0, 3.0]


def test_check_diagnoses_ddof_1_and_the_cost_recorded_before_the_step(kernel, capsys):
    exec("def standardize(X):\n    return (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)\n", kernel)
    check("standardize")
    out = capsys.readouterr().out
    assert "ddof=1" in out and "√((n−1)/n)" in out
    exec(
        "def gd_step(X, y, w, b, lr):\n"
        "    e = X @ w + b - y\n"
        "    return w - lr * X.T @ e / len(y), float(b - lr * e.mean())\n"
        "def cost_J(X, y, w, b):\n    return float(0.5 * np.mean((X @ w + b - y) ** 2))\n"
        "def gradient_descent(X, y, lr, epochs):\n"
        "    w, b, history = np.zeros(X.shape[1]), 0.0, []\n"
        "    for _ in range(epochs):\n"
        "        history.append(cost_J(X, y, w, b))\n"
        "        w, b = gd_step(X, y, w, b, lr)\n"
        "    return w, b, history\n",
        kernel,
    )
    check("gradient_descent")
    assert "ANTES de cada passo" in capsys.readouterr().out
