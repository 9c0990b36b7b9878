"""Seleção de modelos (model selection): separar treino e validação, validação cruzada
(cross-validation) k-fold, atributos polinomiais, regressão com penalidade L2 e métricas de
classificação (aulas 11 e 12).

As convenções seguem as do scikit-learn onde ele tem a mesma ferramenta
(``train_test_split``, ``KFold``, ``PolynomialFeatures``, ``Ridge``, ``accuracy_score``,
``confusion_matrix``); a aleatoriedade vem só de ``seed``.
"""

import math
import numbers

import numpy as np

from coursekit._checks import as_array, as_X, as_Xy, check_positive, check_same_length, make_rng


def train_test_split(X, y, test_size=0.25, shuffle=True, seed=0):
    """Separa ``(X, y)`` em treino e teste/validação: devolve ``X_train, X_test, y_train, y_test``.

    ``test_size``: fração em (0, 1) (o número de amostras de teste é arredondado para cima,
    como no scikit-learn) ou um inteiro (número de amostras). ``shuffle=True`` embaralha com
    ``seed`` antes de cortar; ``shuffle=False`` põe as últimas amostras no teste.
    """
    X = as_X(X)
    as_array(y, "y", ndim=(1, 2))  # valida; o y devolvido mantém o tipo original (ex.: rótulos inteiros)
    y = np.asarray(y)
    check_same_length(X, y, "X", "y")
    n = len(X)
    n_test = _n_test(test_size, n)
    if shuffle:  # como o ShuffleSplit do scikit-learn: os primeiros da permutação vão para o teste
        order = make_rng(seed).permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:  # sem embaralhar: as últimas amostras vão para o teste
        train, test = np.arange(n - n_test), np.arange(n - n_test, n)
    return X[train], X[test], y[train], y[test]


def _n_test(test_size, n):
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(f"test_size deve ser uma fração (ex.: 0.25) ou um inteiro; recebi {test_size!r}.")
    if isinstance(test_size, numbers.Integral):
        n_test = int(test_size)
    else:
        if not 0 < test_size < 1:
            raise ValueError(f"test_size, como fração, deve estar em (0, 1); recebi {test_size!r}.")
        n_test = math.ceil(test_size * n)
    if not 1 <= n_test <= n - 1:
        raise ValueError(
            f"test_size deixa {n_test} amostra(s) de teste de {n}: treino e teste precisam de pelo menos 1 cada."
        )
    return n_test


def k_fold(n_samples, k=5, shuffle=False, seed=0):
    """Índices da validação cruzada k-fold: lista de ``k`` pares ``(idx_treino, idx_validacao)``.

    As amostras (embaralhadas com ``seed`` se ``shuffle=True``) são cortadas em ``k`` dobras
    (folds) consecutivas; as ``n_samples % k`` primeiras têm uma amostra a mais. Cada amostra
    cai na validação exatamente uma vez. Sem embaralhar, os índices são os mesmos de
    ``sklearn.model_selection.KFold(k)``.
    """
    check_positive(n_samples, "n_samples", integer=True)
    check_positive(k, "k", integer=True)
    if not 2 <= k <= n_samples:
        raise ValueError(f"k deve estar entre 2 e n_samples ({n_samples}); recebi {k}.")
    order = make_rng(seed).permutation(n_samples) if shuffle else np.arange(n_samples)
    sizes = np.full(k, n_samples // k)
    sizes[: n_samples % k] += 1
    folds, start = [], 0
    for size in sizes:
        val = order[start : start + size]
        train = np.concatenate([order[:start], order[start + size :]])
        folds.append((train, val))
        start += size
    return folds


def cross_val_score(make_model, X, y, k=5, scoring=None, shuffle=True, seed=0):
    """Validação cruzada: para cada dobra de ``k_fold``, treina ``make_model()`` (um modelo
    novo, com ``fit``/``predict``) nas outras dobras e mede ``scoring(y_val, y_previsto)``.

    ``scoring=None`` usa o erro quadrático médio (MSE, menor é melhor). Devolve um array com
    as ``k`` notas, uma por dobra.
    """
    X, y = as_X(X), as_array(y, "y", ndim=(1, 2))
    check_same_length(X, y, "X", "y")
    if not callable(make_model):
        raise TypeError("make_model deve ser uma função sem argumentos que cria um modelo novo.")
    if scoring is None:

        def scoring(a, b):
            return float(np.mean((np.asarray(a, float) - np.asarray(b, float)) ** 2))

    scores = []
    for train, val in k_fold(len(X), k, shuffle=shuffle, seed=seed):
        model = make_model().fit(X[train], y[train])
        scores.append(float(scoring(y[val], model.predict(X[val]))))
    return np.array(scores)


def polynomial_features(x, degree, include_bias=False):
    """Atributos polinomiais de uma variável: colunas ``x, x², …, x^degree`` (e uma coluna de 1s
    antes, com ``include_bias=True``), como ``PolynomialFeatures`` do scikit-learn para um
    único atributo. ``x``: vetor (n,) ou coluna (n, 1)."""
    x = as_X(x, "x")
    if x.shape[1] != 1:
        raise ValueError(f"x deve ter um único atributo (n,) ou (n, 1); recebi formato {x.shape}.")
    check_positive(degree, "degree", integer=True)
    first = 0 if include_bias else 1
    return x ** np.arange(first, degree + 1)


def ridge_fit(X, y, alpha=0.0):
    """Regressão linear com penalidade L2 (ridge): minimiza ‖y − Xw − b‖² + alpha·‖w‖²
    (o viés b não é penalizado), a mesma convenção de ``sklearn.linear_model.Ridge``.

    Solução fechada: centraliza X e y e resolve (XcᵀXc + alpha·I) w = Xcᵀyc; b = ȳ − x̄ᵀw.
    Com ``alpha=0`` é a regressão linear comum (mínimos quadrados). Devolve ``(coef, intercept)``.
    """
    X, y = as_Xy(X, y)
    check_positive(alpha, "alpha", allow_zero=True)
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    d = X.shape[1]
    if alpha == 0:
        w, *_ = np.linalg.lstsq(Xc, yc, rcond=None)
    else:
        w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(d), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


def accuracy(y_true, y_pred):
    """Acurácia (accuracy): fração de previsões iguais ao rótulo verdadeiro."""
    y_true = as_array(y_true, "y_true", ndim=1)
    y_pred = as_array(y_pred, "y_pred", ndim=1)
    check_same_length(y_true, y_pred, "y_true", "y_pred")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Matriz de confusão (confusion matrix) C (k, k): C[i, j] conta as amostras da classe
    verdadeira i previstas como j (linhas = verdade, colunas = previsão), como no
    scikit-learn. Rótulos inteiros 0..k−1; ``n_classes=None`` usa o maior rótulo + 1."""
    y_true = as_array(y_true, "y_true", ndim=1)
    y_pred = as_array(y_pred, "y_pred", ndim=1)
    check_same_length(y_true, y_pred, "y_true", "y_pred")
    for name, v in (("y_true", y_true), ("y_pred", y_pred)):
        if np.any(v < 0) or np.any(v != np.round(v)):
            raise ValueError(f"{name} deve conter rótulos inteiros não negativos (0, 1, 2, ...).")
    t, p = y_true.astype(np.int64), y_pred.astype(np.int64)
    k = int(max(t.max(), p.max()) + 1) if n_classes is None else n_classes
    check_positive(k, "n_classes", integer=True)
    if t.max() >= k or p.max() >= k:
        raise ValueError(f"há rótulos ≥ n_classes ({k}).")
    C = np.zeros((k, k), dtype=np.int64)
    np.add.at(C, (t, p), 1)
    return C
