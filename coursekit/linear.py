"""Modelos lineares das primeiras aulas, no estilo do scikit-learn: ``fit`` devolve
``self`` e os atributos aprendidos terminam em ``_``."""

import numpy as np

from coursekit._checks import as_X, as_Xy, check_choice, check_labels, check_positive, make_rng
from coursekit.nn.activations import sigmoid
from coursekit.nn.losses import _bce_from_logits, _half_mse, one_hot


def normal_equation(X, y):
    """Resolve a equação normal w* = (XᵀX)⁻¹Xᵀy com uma coluna de 1s para o viés.

    Devolve ``(coef, intercept)``. Em vez de inverter XᵀX (instável, e impossível quando XᵀX
    é singular, ex.: atributos repetidos), usa mínimos quadrados (``numpy.linalg.lstsq``),
    que dá a mesma resposta quando XᵀX é invertível e a de menor norma quando não é.
    """
    X, y = as_Xy(X, y)
    A = np.column_stack([X, np.ones(len(X))])
    w, *_ = np.linalg.lstsq(A, y, rcond=None)
    return w[:-1], float(w[-1])


def scale_features(X, method="mean_range"):
    """Normalização de atributos (feature scaling), coluna a coluna.

    ``"mean_range"`` (a dos slides): x' = (x − μ) / (max − min);
    ``"standard"``: x' = (x − μ) / σ. Devolve ``(X_escalado, centro, escala)`` para aplicar
    a mesma transformação a dados novos: ``(X_novo − centro) / escala``.
    """
    X = as_X(X)
    check_choice(method, "method", ["mean_range", "standard"])
    center = X.mean(axis=0)
    scale = np.ptp(X, axis=0) if method == "mean_range" else X.std(axis=0)
    if np.any(scale == 0):
        raise ValueError("X tem uma coluna constante: não dá para escalar (divisão por zero).")
    return (X - center) / scale, center, scale


def _batches(n, batch_size, rng):
    """Índices dos lotes de uma época: lote inteiro, ou embaralhado em pedaços de ``batch_size``."""
    if batch_size is None or batch_size >= n:
        return [np.arange(n)]
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def _check_training(lr, epochs, batch_size):
    check_positive(lr, "lr")
    check_positive(epochs, "epochs", integer=True)
    if batch_size is not None:
        check_positive(batch_size, "batch_size", integer=True)


class LinearRegression:
    """Regressão linear ŷ = Xw + b.

    ``solver="normal"``: equação normal (mínimos quadrados). ``solver="gd"``: descida do
    gradiente (gradient descent) em J(w, b) = (1/2m) Σ (ŷ − y)² (a perda dos slides, metade
    do MSE), com ∂J/∂w = (1/m) Xᵀ(ŷ − y); ``batch_size=None`` usa o lote inteiro (batch),
    1 é estocástico (SGD) e outro valor é mini-lote. ``loss_history_`` guarda J no conjunto
    inteiro ao fim de cada época. Com ``record_path=True``, ``path_`` guarda o caminho dos
    parâmetros: uma linha (w₁, …, wₙ, b) no início e depois de cada atualização.
    """

    def __init__(self, solver="normal", lr=0.01, epochs=1000, batch_size=None, seed=0, record_path=False):
        self.solver = solver
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.seed = seed
        self.record_path = record_path

    def fit(self, X, y):
        check_choice(self.solver, "solver", ["normal", "gd"])
        X, y = as_Xy(X, y)
        if self.solver == "normal":
            self.coef_, self.intercept_ = normal_equation(X, y)
            return self
        _check_training(self.lr, self.epochs, self.batch_size)
        rng = make_rng(self.seed)
        w, b = np.zeros(X.shape[1]), 0.0
        self.loss_history_ = []
        path = [np.append(w, b)] if self.record_path else None
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(self.epochs):
                for idx in _batches(len(X), self.batch_size, rng):
                    residual = X[idx] @ w + b - y[idx]
                    w -= self.lr * (X[idx].T @ residual) / len(idx)
                    b -= self.lr * residual.mean()
                    if path is not None:
                        path.append(np.append(w, b))
                loss = _half_mse(y, X @ w + b)
                self.loss_history_.append(loss)
                if not np.isfinite(loss):
                    break  # divergiu: taxa de aprendizado alta demais
        self.coef_, self.intercept_ = w, float(b)
        if path is not None:
            self.path_ = np.array(path)
        return self

    def predict(self, X):
        X = as_X(X)
        if X.shape[1] != len(self.coef_):
            raise ValueError(f"X deve ter {len(self.coef_)} coluna(s); recebi {X.shape[1]}.")
        return X @ self.coef_ + self.intercept_


class LogisticRegression:
    """Regressão logística sem regularização, treinada por descida do gradiente na
    log-perda média (entropia cruzada binária): ∂J/∂w = (1/m) Xᵀ(σ(Xw + b) − y).

    Com y em {0, 1} treina um modelo; com k > 2 classes treina k modelos um-contra-todos
    (one-vs-rest) de uma vez. ``predict_proba`` devolve (n, n_classes).
    """

    def __init__(self, lr=0.1, epochs=1000, batch_size=None, seed=0):
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.seed = seed

    def fit(self, X, y):
        _check_training(self.lr, self.epochs, self.batch_size)
        X, y = as_Xy(X, y)
        labels = check_labels(y, "y")
        self.classes_ = np.unique(labels)
        if len(self.classes_) < 2:
            raise ValueError("y deve ter pelo menos 2 classes diferentes.")
        if len(self.classes_) == 2:
            check_labels(y, "y", allowed=[0, 1])
            Y = labels.reshape(-1, 1).astype(float)
        else:
            Y = one_hot(np.searchsorted(self.classes_, labels), len(self.classes_))
        rng = make_rng(self.seed)
        W, b = np.zeros((X.shape[1], Y.shape[1])), np.zeros(Y.shape[1])
        self.loss_history_ = []
        for _ in range(self.epochs):
            for idx in _batches(len(X), self.batch_size, rng):
                error = sigmoid(X[idx] @ W + b) - Y[idx]
                W -= self.lr * (X[idx].T @ error) / len(idx)
                b -= self.lr * error.mean(axis=0)
            self.loss_history_.append(_bce_from_logits(Y, X @ W + b))
        self.coef_, self.intercept_ = W.T.copy(), b.copy()
        return self

    def decision_function(self, X):
        """z = Xwᵀ + b, um valor por modelo (o logit)."""
        X = as_X(X)
        if X.shape[1] != self.coef_.shape[1]:
            raise ValueError(f"X deve ter {self.coef_.shape[1]} coluna(s); recebi {X.shape[1]}.")
        return X @ self.coef_.T + self.intercept_

    def predict_proba(self, X):
        """Probabilidade de cada classe; no um-contra-todos, as k sigmoides normalizadas."""
        p = sigmoid(self.decision_function(X))
        if p.shape[1] == 1:
            return np.column_stack([1.0 - p[:, 0], p[:, 0]])
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X, threshold=0.5):
        """Classe prevista; no caso binário, 1 quando P(y=1) ≥ ``threshold``."""
        proba = self.predict_proba(X)
        if proba.shape[1] == 2:
            return self.classes_[(proba[:, 1] >= threshold).astype(int)]
        return self.classes_[proba.argmax(axis=1)]


class Perceptron:
    """Perceptron de Rosenblatt: v = w·x + b, ŷ = sinal(v); a cada ponto errado,
    w ← w + lr·y·x e b ← b + lr·y. y em {−1, +1}. Para quando uma época não tem erros.

    ``errors_`` guarda o número de erros (atualizações) em cada época.
    """

    def __init__(self, lr=1.0, epochs=100, seed=0):
        self.lr = lr
        self.epochs = epochs
        self.seed = seed

    def fit(self, X, y):
        _check_training(self.lr, self.epochs, None)
        X, y = as_Xy(X, y)
        y = check_labels(y, "y", allowed=[-1, 1]).astype(float)
        rng = make_rng(self.seed)
        w, b = np.zeros(X.shape[1]), 0.0
        self.errors_ = []
        for _ in range(self.epochs):
            mistakes = 0
            for i in rng.permutation(len(X)):
                if y[i] * (X[i] @ w + b) <= 0:
                    w += self.lr * y[i] * X[i]
                    b += self.lr * y[i]
                    mistakes += 1
            self.errors_.append(mistakes)
            if mistakes == 0:
                break
        self.coef_, self.intercept_ = w, float(b)
        return self

    def decision_function(self, X):
        X = as_X(X)
        if X.shape[1] != len(self.coef_):
            raise ValueError(f"X deve ter {len(self.coef_)} coluna(s); recebi {X.shape[1]}.")
        return X @ self.coef_ + self.intercept_

    def predict(self, X):
        """+1 onde v ≥ 0, −1 onde v < 0."""
        return np.where(self.decision_function(X) >= 0, 1, -1)
