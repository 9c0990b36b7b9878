"""Benchmark: a MLP do coursekit contra um laço mínimo em NumPy e o MLPClassifier do scikit-learn.

Mesma divisão treino/teste dos dígitos 8×8, mesma rede 64-100-10 (ReLU, softmax + entropia
cruzada), Adam com lr = 1e-3, lotes de 200 e o mesmo número de épocas. Imprime os tempos de
treino (melhor de várias repetições), as razões e a acurácia de teste.

    python benchmarks/mlp_digits.py [--epochs 60] [--repeats 5]
"""

import argparse
import platform
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

from coursekit import data, nn

LR, BATCH, HIDDEN = 1e-3, 200, 100


def split():
    X, y = data.digits()
    return train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)


def train_coursekit(X, y, epochs):
    net = nn.MLP([64, HIDDEN, 10], activation="relu", output_activation="softmax", seed=0)
    net.fit(X, y, loss="cross_entropy", optimizer=nn.Adam(LR), epochs=epochs, batch_size=BATCH, seed=0)
    return net.predict


def train_minimal(X, y, epochs):
    """O laço mais curto que faz a mesma conta: sem validação, sem generalidade."""
    rng = np.random.default_rng(0)
    a1, a2 = np.sqrt(6 / (64 + HIDDEN)), np.sqrt(6 / (HIDDEN + 10))
    params = [
        rng.uniform(-a1, a1, (64, HIDDEN)),
        np.zeros(HIDDEN),
        rng.uniform(-a2, a2, (HIDDEN, 10)),
        np.zeros(10),
    ]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    T = np.eye(10)[y]
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), BATCH):
            idx = order[s : s + BATCH]
            W1, b1, W2, b2 = params
            z1 = X[idx] @ W1 + b1
            h = np.maximum(z1, 0)
            z2 = h @ W2 + b2
            e = np.exp(z2 - z2.max(axis=1, keepdims=True))
            d2 = (e / e.sum(axis=1, keepdims=True) - T[idx]) / len(idx)
            d1 = (d2 @ W2.T) * (z1 > 0)
            grads = [X[idx].T @ d1, d1.sum(0), h.T @ d2, d2.sum(0)]
            t += 1
            for p, g, mi, vi in zip(params, grads, m, v):
                mi[:] = 0.9 * mi + 0.1 * g
                vi[:] = 0.999 * vi + 0.001 * g * g
                p -= LR * (mi / (1 - 0.9**t)) / (np.sqrt(vi / (1 - 0.999**t)) + 1e-8)

    def predict(Xn):
        W1, b1, W2, b2 = params
        return (np.maximum(Xn @ W1 + b1, 0) @ W2 + b2).argmax(axis=1)

    return predict


def train_sklearn(X, y, epochs):
    clf = MLPClassifier(
        hidden_layer_sizes=(HIDDEN,),
        activation="relu",
        solver="adam",
        alpha=0.0,
        batch_size=BATCH,
        learning_rate_init=LR,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    return clf.predict


def measure(train, X, y, X_test, y_test, epochs, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        predict = train(X, y, epochs)
        times.append(time.perf_counter() - start)
    return min(times), float(np.mean(predict(X_test) == y_test))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    X, X_test, y, y_test = split()
    runs = {"coursekit": train_coursekit, "laço mínimo NumPy": train_minimal, "scikit-learn": train_sklearn}
    # rodadas intercaladas: as três sofrem igual qualquer variação da máquina
    results = {name: (np.inf, 0.0) for name in runs}
    for _ in range(args.repeats):
        for name, train in runs.items():
            t, acc = measure(train, X, y, X_test, y_test, args.epochs, 1)
            results[name] = (min(results[name][0], t), acc)
    print(
        f"Dígitos 8×8: {len(X)} treino / {len(X_test)} teste, rede 64-{HIDDEN}-10, "
        f"{args.epochs} épocas, lotes de {BATCH}, Adam lr={LR}"
    )
    print(
        f"Máquina: {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"NumPy {np.__version__}"
    )
    print(f"{'implementação':<20}{'tempo (s)':>10}{'acurácia':>10}")
    for name, (t, acc) in results.items():
        print(f"{name:<20}{t:>10.3f}{acc:>10.1%}")
    ck, mini, sk = (results[k] for k in runs)
    print(f"razão coursekit / laço mínimo: {ck[0] / mini[0]:.2f}× (meta ≤ 1.2×)")
    print(f"razão coursekit / scikit-learn: {ck[0] / sk[0]:.2f}× (meta < 1×)")
    print(f"diferença de acurácia para o scikit-learn: {100 * (ck[1] - sk[1]):+.1f} pontos (meta: |Δ| ≤ 1)")


if __name__ == "__main__":
    main()
