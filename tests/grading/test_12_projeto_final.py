"""Testes de correção da aula 12. Referências: coursekit.data (binary_numbers, mnist1d),
coursekit.model_selection (accuracy, confusion_matrix, train_test_split) e scipy.stats (sem).

O exercício 6 (``train_mnist1d``) treina uma rede de verdade: o lado confiável separa o
MNIST-1D em treino e teste, entrega ao participante só ``X_train``, ``y_train`` e ``X_test``,
guarda os rótulos do teste e dá pontos por faixas de acurácia (crédito parcial). Nos testes
ocultos os nomes das classes são permutados (o dígito 0 vira a classe 3, etc.): quem aprende
com ``y_train`` não percebe diferença; quem "procura a resposta" no conjunto público,
carregado fora da função, erra quase tudo.

Regra da implementação de referência no exercício 6: o enunciado permite ``coursekit.nn``
(a ``MLP`` e os otimizadores que o participante já escreveu à mão nas aulas 07 a 11) e
``coursekit.model_selection`` (separar uma validação, k-fold, acurácia). scikit-learn e
``coursekit.data`` continuam proibidos dentro da função.
"""

import numpy as np
import pytest
from scipy import stats

from coursekit.data import binary_numbers, mnist1d
from coursekit.grading.expect import array, assert_close, assert_equal, fail, items, scalar
from coursekit.model_selection import accuracy, confusion_matrix, train_test_split

LECTURE = "12_projeto_final"

#: o que o exercício 6 pode chamar (veja o enunciado)
PROJECT_ALLOW = ["coursekit.nn", "coursekit.model_selection"]


def _labels(value, name, n):
    """Rótulos previstos: array (n,) de inteiros entre 0 e 9 (floats inteiros, como 3.0, também valem)."""
    pred = array(value, shape=(n,), kind="fi", name=name)
    if pred.dtype.kind == "f" and not np.all(pred == np.round(pred)):
        fail(f"{name} deve devolver rótulos inteiros (0 a 9); devolveu valores não inteiros.")
    if not np.all((pred >= 0) & (pred <= 9)):
        fail(f"{name} devolveu rótulos fora de 0..9.")
    return pred.astype(np.int64)


# -- exercício 1 -------------------------------------------------------------------------


@pytest.mark.exercise("bits_to_int", points=1)
def test_bits_worked(sub):
    """Dica: 1010₂ = 8 + 2 = 10 e 0111₂ = 4 + 2 + 1 = 7; o primeiro bit é o mais significativo. A matriz
    pode vir como lista (np.asarray) ou com floats 0. e 1.; devolva inteiros (.astype(np.int64))."""
    out = sub.call("bits_to_int", [[1, 0, 1, 0], [0, 1, 1, 1]])
    assert_equal(out, np.array([10, 7]), name="bits_to_int([[1, 0, 1, 0], [0, 1, 1, 1]])")
    X, y = binary_numbers(3)  # 8 linhas de 3 bits, em floats 0. e 1.
    assert_equal(sub.call("bits_to_int", X), y, name="bits_to_int com 3 bits em floats")


@pytest.mark.exercise("bits_to_int", points=2, hidden=True)
def test_bits_all(sub):
    """Dica: os pesos dependem do número de colunas: 2^(n_bits−1), ..., 2, 1."""
    for n_bits in (1, 5, 8):
        X, y = binary_numbers(n_bits)
        assert_equal(sub.call("bits_to_int", X.astype(np.int64)), y, name=f"bits_to_int com {n_bits} bits")


# -- exercício 2 -------------------------------------------------------------------------


@pytest.mark.exercise("accuracy_score", points=1)
def test_accuracy_worked(sub):
    """Dica: 3 acertos em 4 → 0.75 (um número, não um array); as entradas podem vir como listas (np.asarray)."""
    value = sub.call("accuracy_score", [0, 1, 2, 2], [0, 2, 2, 2])
    assert_close(value, 0.75, rtol=0, atol=1e-12, name="accuracy_score([0, 1, 2, 2], [0, 2, 2, 2])")
    value = sub.call("accuracy_score", np.array([3, 1, 4, 1, 5]), np.array([3, 0, 4, 2, 2]))
    assert_close(value, 0.4, rtol=0, atol=1e-12, name="accuracy_score com 2 acertos em 5")


@pytest.mark.exercise("accuracy_score", points=1, hidden=True)
def test_accuracy_random(sub):
    """Dica: compare elemento a elemento e tire a média; o resultado é uma fração entre 0 e 1, não uma porcentagem."""
    rng = np.random.default_rng(0)
    t = rng.integers(0, 10, 200)
    p = np.where(rng.random(200) < 0.8, t, rng.integers(0, 10, 200))
    value = sub.call("accuracy_score", t, p)
    assert_close(value, accuracy(t, p), rtol=0, atol=1e-12, name="accuracy_score")


# -- exercício 3 -------------------------------------------------------------------------


@pytest.mark.exercise("confusion", points=1)
def test_confusion_worked(sub):
    """Dica: linhas = verdade, colunas = previsão: [[1, 0], [1, 1]]. A matriz conta amostras, então é de
    inteiros (np.zeros(..., dtype=int)), e tem formato (n_classes, n_classes) mesmo se uma classe não aparece."""
    C = sub.call("confusion", [0, 1, 1], [0, 0, 1], 2)
    assert_equal(C, np.array([[1, 0], [1, 1]]), name="a matriz de confusão (contagens inteiras)")
    t, p = np.array([0, 2, 2, 1, 0, 2]), np.array([2, 2, 1, 1, 0, 2])
    C = sub.call("confusion", t, p, 4)  # a classe 3 não aparece
    assert_equal(C, confusion_matrix(t, p, n_classes=4), name="a matriz de confusão com 4 classes")


@pytest.mark.exercise("confusion", points=2, hidden=True)
def test_confusion_random(sub):
    """Dica: a matriz tem formato (n_classes, n_classes) mesmo se alguma classe não aparece; C[verdade, previsão] += 1."""
    rng = np.random.default_rng(1)
    t = rng.integers(0, 4, 100)
    p = np.where(rng.random(100) < 0.6, t, rng.integers(0, 4, 100))
    C = sub.call("confusion", t, p, 6)
    assert_equal(C, confusion_matrix(t, p, n_classes=6), name="a matriz de confusão")


# -- exercício 4: o projeto ---------------------------------------------------------------


#: separação pública (a da aula) e a oculta, com os nomes das classes permutados
# --------------------------------------------------------------------------- média e erro-padrão
def _check_mean_se(sub, scores):
    m, se = items(sub.call("mean_and_stderr", scores), 2, "mean_and_stderr")
    values = np.asarray(scores, dtype=float)
    se_ref = float(stats.sem(values))  # scipy: desvio amostral (ddof=1) / √k
    m = scalar(m, name="a média")
    se = scalar(se, name="o erro-padrão")
    k = len(values)
    if se_ref > 1e-12 and np.isclose(se, se_ref * np.sqrt((k - 1) / k), rtol=1e-9) and k > 1:
        fail(
            f"erro-padrão {se:.6g} = o esperado × √((k−1)/k): você usou o desvio com k no denominador (ddof=0); "
            "o desvio amostral usa k − 1 (ddof=1)."
        )
    if se_ref > 1e-12 and np.isclose(se, se_ref * np.sqrt(k), rtol=1e-9):
        fail("Isso é o desvio-padrão das acurácias; o erro-padrão da média divide esse desvio por √k.")
    assert_close(m, float(values.mean()), rtol=1e-12, name="a média")
    assert_close(se, se_ref, rtol=1e-9, name="o erro-padrão")


@pytest.mark.exercise("mean_and_stderr", points=2)
def test_mean_stderr_public(sub):
    """Dica: erro-padrão = desvio amostral (ddof=1) / √k; [0.5, 0.6, 0.7] → (0.6, 0.0577…); menos de 2 valores: ValueError."""
    _check_mean_se(sub, [0.5, 0.6, 0.7])
    _check_mean_se(sub, [0.5, 0.7])  # duas sementes já bastam
    _check_mean_se(sub, np.array([0.61, 0.58, 0.6, 0.55, 0.63]))
    assert_equal(sub.raises("mean_and_stderr", [0.5]), "ValueError", name="mean_and_stderr com 1 valor")


@pytest.mark.exercise("mean_and_stderr", points=1, hidden=True)
def test_mean_stderr_more(sub):
    """Dica: funcione para qualquer k ≥ 2; valores iguais têm erro-padrão 0."""
    _check_mean_se(sub, [0.5, 0.5, 0.5])
    _check_mean_se(sub, np.random.default_rng(3).uniform(0.4, 0.6, size=12))
    assert_equal(sub.raises("mean_and_stderr", []), "ValueError", name="mean_and_stderr sem valores")


# --------------------------------------------------------------------------- regra de um erro-padrão
def _one_se_reference(means, stderrs):
    best = max(range(len(means)), key=lambda i: (means[i], -i))
    return next(i for i, m in enumerate(means) if m >= means[best] - stderrs[best])


def _check_one_se(sub, means, stderrs):
    got = sub.call("one_se_choice", means, stderrs)
    assert_equal(got, _one_se_reference(means, stderrs), name=f"one_se_choice({means}, {stderrs})")


@pytest.mark.exercise("one_se_choice", points=2)
def test_one_se_public(sub):
    """Dica: limiar = maior média − erro-padrão DO MELHOR; devolva o primeiro índice (o mais simples) com média ≥ limiar."""
    _check_one_se(sub, [0.50, 0.56, 0.58, 0.57], [0.01, 0.01, 0.03, 0.01])
    _check_one_se(sub, [0.50, 0.53, 0.58, 0.57], [0.04, 0.04, 0.01, 0.04])  # o erro-padrão é o do melhor
    _check_one_se(sub, [0.40, 0.60, 0.60], [0.0, 0.0, 0.0])  # empate no topo: o mais simples
    _check_one_se(sub, [0.55, 0.60], [0.01, 0.05])  # exatamente no limiar conta


@pytest.mark.exercise("one_se_choice", points=1, hidden=True)
def test_one_se_more(sub):
    """Dica: o melhor pode ser o primeiro; aceite listas e arrays."""
    _check_one_se(sub, [0.9, 0.5, 0.6], [0.01, 0.2, 0.2])
    rng = np.random.default_rng(5)
    for _ in range(5):
        means, ses = rng.uniform(0.4, 0.6, size=6), rng.uniform(0.0, 0.03, size=6)
        _check_one_se(sub, means.tolist(), ses.tolist())


# --------------------------------------------------------------------------- o projeto (MNIST-1D)
PUBLIC_SPLIT = {"test_size": 0.25, "seed": 0}
HIDDEN_SPLIT = {"test_size": 0.3, "seed": 2026}
HIDDEN_RELABEL = np.array([3, 7, 0, 9, 1, 5, 8, 2, 6, 4])  # classe nova de cada dígito
BASELINE_MARGIN = 0.45  # o modelo de base (regressão softmax) fica perto de 0.32


def _project_data(split, relabel=None):
    X, y = mnist1d()
    if relabel is not None:
        y = relabel[y]
    return train_test_split(X, y, **split)


def _hidden_predictions(sub):
    """As previsões no teste oculto, pedidas UMA vez por envio (o treino é caro): o teste de
    determinismo e as três faixas de acurácia avaliam a mesma chamada."""
    X_tr, X_te, y_tr, y_te = _project_data(HIDDEN_SPLIT, HIDDEN_RELABEL)
    reply = sub.call_once("projeto-oculto", "train_mnist1d", X_tr, y_tr, X_te)
    return _labels(reply, "train_mnist1d", len(y_te)), y_te


def _hidden_accuracy(sub):
    pred, y_te = _hidden_predictions(sub)
    return accuracy(y_te, pred)


@pytest.mark.exercise("train_mnist1d", points=1, allow=PROJECT_ALLOW)
def test_project_public_split(sub):
    """Dica: devolva um array (n_teste,) com um rótulo inteiro por sinal de X_test, previsto pela rede que você treinou
    com X_train e y_train; na separação da aula, espera-se passar o modelo de base com folga (acurácia ≥ 0.45), e a
    mesma entrada deve dar a mesma previsão (sementes fixas)."""
    X_tr, X_te, y_tr, y_te = _project_data(PUBLIC_SPLIT)
    pred = _labels(sub.call("train_mnist1d", X_tr, y_tr, X_te), "train_mnist1d", len(y_te))
    acc = accuracy(y_te, pred)
    # repetível: o mesmo pedaço pequeno do treino, duas vezes, dá a mesma previsão
    first = _labels(sub.call("train_mnist1d", X_tr[:600], y_tr[:600], X_te[:200]), "train_mnist1d", 200)
    second = _labels(sub.call("train_mnist1d", X_tr[:600], y_tr[:600], X_te[:200]), "train_mnist1d", 200)
    assert_equal(second, first, name="a segunda previsão com a mesma entrada (fixe seed= na MLP e no fit)")
    assert acc >= BASELINE_MARGIN, (
        f"acurácia no teste da aula {acc:.3f}; esperado pelo menos {BASELINE_MARGIN} (o modelo de base fica perto de 0.32)."
    )


@pytest.mark.exercise("train_mnist1d", points=1, hidden=True, allow=PROJECT_ALLOW)
def test_project_is_deterministic(sub):
    """Dica: fixe as sementes (seed=...) da MLP e do fit: a mesma entrada deve dar a mesma previsão
    (e a previsão precisa ter aprendido algo: acurácia acima do modelo de base)."""
    first, y_te = _hidden_predictions(sub)
    X_tr, X_te, y_tr, _ = _project_data(HIDDEN_SPLIT, HIDDEN_RELABEL)
    second = _labels(sub.call("train_mnist1d", X_tr, y_tr, X_te), "train_mnist1d", len(X_te))
    assert_equal(second, first, name="a segunda previsão com a mesma entrada")
    acc = accuracy(y_te, first)
    assert acc >= 0.35, f"acurácia {acc:.3f} no teste escondido; esperado pelo menos 0.35."


_HIDDEN_HINT = (
    "a nota vem da acurácia num teste escondido (crédito parcial: 0.45, 0.50 e 0.54). Escolha a rede numa "
    "validação tirada do treino (curvas de aprendizado, várias sementes); aprenda com y_train (os nomes das "
    "classes podem ser outros) e mantenha o treino abaixo de uns 2 segundos."
)


@pytest.mark.exercise("train_mnist1d", points=1, hidden=True, allow=PROJECT_ALLOW)
def test_project_hidden_045(sub):
    """Dica: acurácia ≥ 0.45 no teste escondido; veja o enunciado."""
    assert _hidden_accuracy(sub) >= 0.45, _HIDDEN_HINT


@pytest.mark.exercise("train_mnist1d", points=1, hidden=True, allow=PROJECT_ALLOW)
def test_project_hidden_050(sub):
    """Dica: acurácia ≥ 0.50 no teste escondido; veja o enunciado."""
    assert _hidden_accuracy(sub) >= 0.50, _HIDDEN_HINT


@pytest.mark.exercise("train_mnist1d", points=2, hidden=True, allow=PROJECT_ALLOW)
def test_project_hidden_054(sub):
    """Dica: acurácia ≥ 0.54 no teste escondido; veja o enunciado."""
    assert _hidden_accuracy(sub) >= 0.54, _HIDDEN_HINT
