"""Perceptron multicamadas (MLP) com retropropagação (backpropagation) escrita à mão.

Cada camada faz ``z = a @ W + b`` e ``a = f(z)``. O passo para frente (forward) guarda o
que o passo para trás (backward) precisa (o "cache": entradas e z de cada camada), como
nas notas do CS231n.
"""

import numbers

import numpy as np

from coursekit._checks import (
    as_array,
    as_X,
    check_choice,
    check_fraction,
    check_labels,
    check_positive,
    check_same_length,
    make_rng,
)
from coursekit.nn.activations import get_activation, softmax_backward
from coursekit.nn.init import get_initializer
from coursekit.nn.losses import LOSSES, _bce_from_logits, _cross_entropy_from_logits, one_hot
from coursekit.nn.optim import Adam, Optimizer


def n_params(layer_sizes, bias=True):
    """Número de parâmetros treináveis: Σ (n_entrada + 1)·n_saída por camada (sem o +1 se
    ``bias=False``)."""
    sizes = _check_sizes(layer_sizes)
    return int(sum((a + int(bool(bias))) * b for a, b in zip(sizes[:-1], sizes[1:])))


def _check_sizes(layer_sizes):
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError("layer_sizes deve ser uma lista de inteiros, ex.: [2, 3, 1].")
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes precisa de pelo menos 2 tamanhos (entrada e saída); recebi {sizes}.")
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1:
            raise ValueError(f"layer_sizes deve conter inteiros positivos; recebi {sizes}.")
    return [int(s) for s in sizes]


class MLP:
    """Rede neural totalmente conectada.

    Parâmetros
    ----------
    layer_sizes : lista de inteiros, ex. ``[2, 3, 1]`` (entrada, escondidas..., saída).
    activation : ativação das camadas escondidas (``"relu"``, ``"tanh"``, ``"sigmoid"``, ``"identity"``).
    output_activation : ativação da saída (as mesmas, ou ``"softmax"``).
    init : inicializador dos pesos (``"xavier_uniform"``, ``"he_normal"``, ``"zeros"``, ...).
    bias : se False, os vieses ficam zero e nunca são atualizados.
    seed : semente (ou ``numpy.random.Generator``) da inicialização.
    alpha : força da penalidade L2 (weight decay): soma ``alpha/2 · Σ‖W‖²`` à perda.
    dropout : fração dos neurônios escondidos desligados a cada passo de treino (só no ``fit``).

    Atributos: ``weights`` (lista de (fan_in, fan_out)), ``biases`` (lista de (fan_out,)),
    ``loss_history_`` (perda média por época, depois do ``fit``) e, com ``validation_data``,
    ``val_loss_history_`` e ``best_epoch_``.
    """

    def __init__(
        self,
        layer_sizes,
        activation="relu",
        output_activation="identity",
        init="xavier_uniform",
        bias=True,
        seed=0,
        alpha=0.0,
        dropout=0.0,
    ):
        self.layer_sizes = _check_sizes(layer_sizes)
        self.activation = activation
        self.output_activation = output_activation
        self._act, self._act_grad = get_activation(activation)
        self._out_act, self._out_act_grad = get_activation(output_activation, allow_softmax=True)
        self.init = init
        self.bias = bool(bias)
        self.alpha = check_positive(alpha, "alpha", allow_zero=True)
        self.dropout = check_fraction(dropout, "dropout")
        rng = make_rng(seed)
        init_fn = get_initializer(init)
        pairs = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        self.weights = [init_fn(a, b, rng) for a, b in pairs]
        self.biases = [np.zeros(b) for _, b in pairs]

    # ------------------------------------------------------------------ forward
    def _forward(self, X, dropout_rng=None):
        """Passo para frente; devolve (saída, z da saída, cache das camadas escondidas)."""
        cache = []  # (entrada da camada, z, máscara de dropout ou None)
        a = X
        last = len(self.weights) - 1
        for layer, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ W
            if self.bias:
                z += b
            if layer == last:
                return self._out_act(z), z, cache, a
            mask = None
            new_a = self._act(z)
            if dropout_rng is not None and self.dropout > 0:
                keep = 1.0 - self.dropout
                mask = (dropout_rng.random(z.shape) < keep) / keep
                new_a *= mask
            cache.append((a, z, mask))
            a = new_a

    def forward(self, X):
        """Saída da rede para ``X`` (n_amostras, n_entradas)."""
        return self._forward(self._check_X(X))[0]

    def hidden_activations(self, X, dropout_seed=None):
        """Ativações das camadas escondidas para ``X``: lista com um array (n, neurônios) por
        camada escondida, na ordem. Sem ``dropout_seed`` é o que a previsão usa (nada desligado);
        com ``dropout_seed`` (um inteiro), sorteia a máscara de dropout como num passo de treino
        (neurônios desligados valem 0 e os outros são multiplicados por 1/(1 − dropout))."""
        X = self._check_X(X)
        rng = None if dropout_seed is None else make_rng(dropout_seed)
        acts = []
        a = X
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            z = a @ W + (b if self.bias else 0.0)
            a = self._act(z)
            if rng is not None and self.dropout > 0:
                keep = 1.0 - self.dropout
                a = a * ((rng.random(z.shape) < keep) / keep)
            acts.append(a)
        return acts

    def predict(self, X):
        """Classe prevista (saída softmax → argmax; sigmoid → limiar 0.5) ou o valor (regressão)."""
        out = self.forward(X)
        if self.output_activation == "softmax":
            return out.argmax(axis=1)
        if self.output_activation == "sigmoid":
            labels = (out >= 0.5).astype(np.int64)
            return labels.ravel() if out.shape[1] == 1 else labels
        return out.ravel() if out.shape[1] == 1 else out

    def predict_proba(self, X):
        """Probabilidades por classe (n, n_classes); exige saída ``"softmax"`` ou ``"sigmoid"``."""
        out = self.forward(X)
        if self.output_activation == "softmax":
            return out
        if self.output_activation == "sigmoid" and out.shape[1] == 1:
            return np.column_stack([1.0 - out[:, 0], out[:, 0]])
        raise ValueError(
            "predict_proba exige output_activation='softmax' ou 'sigmoid' com uma saída; "
            f"esta rede usa {self.output_activation!r} com {out.shape[1]} saídas."
        )

    # ------------------------------------------------------------------ backward
    def loss_and_gradients(self, X, y, loss="mse"):
        """Perda ``loss`` da saída da rede e seus gradientes exatos.

        Devolve ``(perda, grads_w, grads_b)``, listas no mesmo formato de ``weights``/``biases``.
        ``y``: alvos (n,) ou (n, n_saídas); rótulos inteiros para ``"cross_entropy"``/``"hinge"``.
        ``"bce"`` e ``"cross_entropy"`` exigem saída ``"sigmoid"`` ou ``"softmax"`` (ValueError se não).
        """
        X = self._check_X(X)
        return self._loss_and_gradients(X, self._targets(y, loss, len(X)), loss)

    def _loss_and_gradients(self, X, T, loss, dropout_rng=None):
        out, z_out, cache, a_last = self._forward(X, dropout_rng)
        value, delta = self._output_delta(T, out, z_out, loss)
        n_layers = len(self.weights)
        grads_w, grads_b = [None] * n_layers, [None] * n_layers
        a_prev = a_last
        for layer in range(n_layers - 1, -1, -1):
            W = self.weights[layer]
            grads_w[layer] = a_prev.T @ delta
            grads_b[layer] = delta.sum(axis=0) if self.bias else np.zeros_like(self.biases[layer])
            if layer > 0:
                a_prev, z, mask = cache[layer - 1]
                delta = (delta @ W.T) * self._act_grad(z)
                if mask is not None:
                    delta *= mask
        if self.alpha:
            value += 0.5 * self.alpha * sum(float(np.sum(W * W)) for W in self.weights)
            for gw, W in zip(grads_w, self.weights):
                gw += self.alpha * W
        return value, grads_w, grads_b

    def _output_delta(self, T, out, z, loss):
        """Perda e ∂perda/∂z da camada de saída (fundindo sigmoid+BCE e softmax+CE)."""
        if loss == "bce" and self.output_activation == "sigmoid":
            return _bce_from_logits(T, z), (out - T) / T.size
        if loss == "cross_entropy" and self.output_activation == "softmax":
            return _cross_entropy_from_logits(T, z), (out - T) / len(T)
        loss_fn, loss_grad = LOSSES[loss]
        g = loss_grad(T, out)
        if self.output_activation == "softmax":
            return loss_fn(T, out), softmax_backward(out, g)
        return loss_fn(T, out), g * self._out_act_grad(z)

    # ------------------------------------------------------------------ treino
    def fit(
        self,
        X,
        y,
        loss="mse",
        optimizer=None,
        epochs=100,
        batch_size=32,
        seed=0,
        validation_data=None,
        patience=None,
        callback=None,
    ):
        """Treina por mini-lotes (mini-batches) embaralhados a cada época; devolve ``self``.

        ``optimizer=None`` usa ``Adam()``. Com ``validation_data=(X_val, y_val)`` guarda
        ``val_loss_history_`` (a perda nos dados de validação, sem a penalidade L2); com ``patience`` também, faz parada antecipada (early stopping):
        para após ``patience`` épocas sem melhora e restaura os melhores pesos.
        ``callback(epoca, modelo)``, se dado, é chamado ao fim de cada época (ex.: barra de progresso).
        """
        X = self._check_X(X)
        T = self._targets(y, loss, len(X))
        check_positive(epochs, "epochs", integer=True)
        check_positive(batch_size, "batch_size", integer=True)
        if optimizer is None:
            optimizer = Adam()
        if not isinstance(optimizer, Optimizer):
            raise TypeError("optimizer deve ser um otimizador de coursekit.nn (ex.: Adam(), SGD(0.1)).")
        val = self._validation(validation_data, loss)
        if patience is not None:
            check_positive(patience, "patience", integer=True)
            if val is None:
                raise ValueError("patience (parada antecipada) exige validation_data=(X_val, y_val).")
        rng = make_rng(seed)
        params = self.weights + (self.biases if self.bias else [])
        self.loss_history_, self.val_loss_history_ = [], []
        best, waited = (np.inf, None, 0), 0
        n = len(X)
        for epoch in range(epochs):
            order = rng.permutation(n)
            total = 0.0
            for start in range(0, n, batch_size):
                idx = order[start : start + batch_size]
                value, gw, gb = self._loss_and_gradients(X[idx], T[idx], loss, rng)
                optimizer.step(params, gw + gb if self.bias else gw)
                total += value * len(idx)
            self.loss_history_.append(total / n)
            if val is not None:
                out, z_out, _, _ = self._forward(val[0])  # perda dos dados, sem a penalidade L2
                v = self._output_delta(val[1], out, z_out, loss)[0]
                self.val_loss_history_.append(v)
                if v < best[0]:
                    best, waited = (v, [p.copy() for p in params], epoch), 0
                else:
                    waited += 1
            if callback is not None:
                callback(epoch, self)
            if patience is not None and waited >= patience:
                break
        if patience is not None and best[1] is not None:
            for p, saved in zip(params, best[1]):
                p[...] = saved
        self.best_epoch_ = best[2] if val is not None else None
        return self

    # ------------------------------------------------------------------ validação
    def _check_X(self, X):
        X = as_X(X)
        if X.shape[1] != self.layer_sizes[0]:
            raise ValueError(
                f"X deve ter {self.layer_sizes[0]} colunas (layer_sizes[0]); recebi {X.shape[1]}."
            )
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            expected = (self.layer_sizes[i], self.layer_sizes[i + 1])
            if np.shape(W) != expected or np.shape(b) != expected[1:]:
                raise ValueError(
                    f"weights[{i}] deve ter formato {expected} e biases[{i}] {expected[1:]}; "
                    f"recebi {np.shape(W)} e {np.shape(b)}."
                )
        return X

    def _targets(self, y, loss, n):
        """Alvos no formato da saída: one-hot para cross_entropy, rótulos para hinge, (n, k) para o resto."""
        check_choice(loss, "loss", list(LOSSES))
        if loss in ("bce", "cross_entropy") and self.output_activation not in ("sigmoid", "softmax"):
            raise ValueError(
                f"a perda {loss!r} mede probabilidades, mas a saída desta rede ({self.output_activation!r}) "
                "não é uma probabilidade: use output_activation='sigmoid' (com 'bce') ou 'softmax' "
                "(com 'cross_entropy'), ou uma perda de regressão como 'mse'."
            )
        k = self.layer_sizes[-1]
        y = as_array(y, "y", ndim=(1, 2))
        check_same_length(np.empty(n), y, "X", "y")
        if loss in ("cross_entropy", "hinge") and y.ndim == 1:
            labels = check_labels(y, "y", allowed=np.arange(k))
            return one_hot(labels, k) if loss == "cross_entropy" else labels
        if loss == "hinge":
            raise ValueError("y deve conter rótulos inteiros (n,) para a perda 'hinge'.")
        y = y.reshape(-1, 1) if y.ndim == 1 else y
        if y.shape[1] != k:
            raise ValueError(f"y deve ter {k} coluna(s), uma por saída da rede; recebi {y.shape[1]}.")
        if loss in ("bce", "cross_entropy") and (y.min() < 0 or y.max() > 1):
            raise ValueError(f"y deve estar em [0, 1] para a perda {loss!r} (rótulos 0/1 ou one-hot).")
        return y

    def _validation(self, data, loss):
        if data is None:
            return None
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise TypeError("validation_data deve ser um par (X_val, y_val).")
        X_val = self._check_X(data[0])
        return X_val, self._targets(data[1], loss, len(X_val))

    def __repr__(self):
        return (
            f"MLP({self.layer_sizes}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r}, init={self.init!r}, bias={self.bias})"
        )
