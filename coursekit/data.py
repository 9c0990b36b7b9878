"""Conjuntos de dados das aulas: tabelas dos slides, geradores com semente e os dados
que acompanham o scikit-learn (nada é baixado da internet)."""

import functools

import numpy as np

from coursekit._checks import check_positive, make_rng

_BABY_AGES = np.arange(0, 25, 2, dtype=float)
_BABY_WEIGHTS = np.array([3.2, 5.1, 6.4, 7.3, 7.9, 8.5, 8.9, 9.4, 9.8, 10.2, 10.6, 11.1, 11.5])

_ANSCOMBE_X = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5]
_ANSCOMBE = {
    "I": (_ANSCOMBE_X, [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68]),
    "II": (_ANSCOMBE_X, [9.14, 8.14, 8.74, 8.77, 9.26, 8.10, 6.13, 3.10, 9.13, 7.26, 4.74]),
    "III": (_ANSCOMBE_X, [7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73]),
    "IV": (
        [8, 8, 8, 8, 8, 8, 8, 19, 8, 8, 8],
        [6.58, 5.76, 7.71, 8.84, 8.47, 7.04, 5.25, 12.50, 5.56, 7.91, 6.89],
    ),
}


def baby_weights():
    """Tabela do slide de regressão linear: idade (meses, 0..24) e peso médio (kg).

    Devolve ``(X, y)`` com X de formato (13, 1) e y de formato (13,).
    """
    return _BABY_AGES.reshape(-1, 1).copy(), _BABY_WEIGHTS.copy()


def double_moons(n=1000, distance=1.0, radius=10.0, width=6.0, seed=0):
    """As "duas luas" de Haykin (double moons), com ``n`` pontos, metade em cada lua.

    Os pontos são uniformes sobre a área de cada lua (anel de raio ``radius`` e largura
    ``width``). A lua de cima tem centro na origem (y ≥ 0) e rótulo +1; a de baixo tem
    centro em (radius, −distance) (y ≤ −distance) e rótulo −1. Com ``distance`` negativa
    as luas se sobrepõem e deixam de ser linearmente separáveis.
    """
    check_positive(n, "n", integer=True)
    if n < 2:
        raise ValueError(f"n deve ser pelo menos 2 (um ponto por lua); recebi {n}.")
    check_positive(radius, "radius")
    check_positive(width, "width")
    if width >= 2 * radius:
        raise ValueError(f"width deve ser menor que 2·radius ({2 * radius}); recebi {width}.")
    if isinstance(distance, bool) or not np.isfinite(float(distance)):
        raise ValueError(f"distance deve ser um número finito; recebi {distance!r}.")
    rng = make_rng(seed)
    n_up = n - n // 2
    r_in, r_out = radius - width / 2, radius + width / 2

    def moon(m):
        # raio com densidade ∝ r: uniforme na área do anel
        r = np.sqrt(rng.uniform(r_in**2, r_out**2, size=m))
        theta = rng.uniform(0, np.pi, size=m)
        return np.column_stack([r * np.cos(theta), r * np.sin(theta)])

    upper = moon(n_up)
    lower = moon(n // 2) * [1, -1] + [radius, -distance]
    X = np.vstack([upper, lower])
    y = np.concatenate([np.ones(n_up), -np.ones(n // 2)])
    order = rng.permutation(n)
    return X[order], y[order]


def xor():
    """Os quatro pontos do XOR: X (4, 2) com 0/1 e y = x₁ XOR x₂ em {0, 1}."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array([0.0, 1.0, 1.0, 0.0])


def anscombe():
    """O quarteto de Anscombe: dict "I".."IV" → (x, y), quatro conjuntos com a mesma
    média, variância e correlação (≈ 0.816), mas gráficos muito diferentes."""
    return {k: (np.array(x, dtype=float), np.array(y, dtype=float)) for k, (x, y) in _ANSCOMBE.items()}


def _sklearn_table(name, skip_header=0):
    """Tabela ``name`` (CSV, talvez .gz) que acompanha o scikit-learn, lida sem importá-lo.

    Importar ``sklearn.datasets`` leva 1 a 2 s (carrega o SciPy); os dados são
    só um arquivo de texto dentro do pacote. Devolve None se o arquivo não estiver lá
    (outra organização do pacote): aí quem chama usa o carregador do scikit-learn.
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "datasets" / "data" / name
        if path.is_file():
            return np.loadtxt(path, delimiter=",", skiprows=skip_header)
    return None


@functools.cache
def _iris():
    table = _sklearn_table("iris.csv", skip_header=1)
    if table is None or table.shape != (150, 5):
        from sklearn.datasets import load_iris

        data = load_iris()
        return data.data.astype(float), data.target.astype(np.int64)
    return table[:, :4], table[:, 4].astype(np.int64)


@functools.cache
def _digits():
    table = _sklearn_table("digits.csv.gz")
    if table is None or table.shape != (1797, 65):
        from sklearn.datasets import load_digits

        data = load_digits()
        return data.data.astype(float) / 16.0, data.target.astype(np.int64)
    return table[:, :64] / 16.0, table[:, 64].astype(np.int64)


def iris():
    """Iris (cópia que acompanha o scikit-learn): X (150, 4), y em {0, 1, 2}."""
    X, y = _iris()
    return X.copy(), y.copy()


def digits():
    """Dígitos 8×8 do scikit-learn (1797 imagens): X (1797, 64) escalado para [0, 1], y em 0..9."""
    X, y = _digits()
    return X.copy(), y.copy()


def binary_numbers(n_bits=4):
    """Todos os números de ``n_bits`` bits: X (2**n_bits, n_bits) com os bits (o mais
    significativo primeiro) e y (2**n_bits,) com o valor inteiro."""
    check_positive(n_bits, "n_bits", integer=True)
    if n_bits > 20:
        raise ValueError(f"n_bits deve ser no máximo 20; recebi {n_bits}.")
    y = np.arange(2**n_bits, dtype=np.int64)
    X = (y[:, None] >> np.arange(n_bits - 1, -1, -1)) & 1
    return X.astype(float), y


def mnist1d(n_samples=4000, seed=42):
    """MNIST-1D (Greydanus e Steinbach): sinais 1-D de 40 pontos dos dígitos 0..9, gerados aqui mesmo
    pelo pacote ``mnist1d`` (``make_dataset``; nada é baixado nem gravado em disco).

    Devolve ``(X, y)`` com X de formato (n_samples, 40), centrado e com desvio 1, e y em 0..9
    (``n_samples // 10`` exemplos de cada classe, embaralhados). Mais difícil que os dígitos 8×8:
    um modelo linear fica perto de 30 % e uma MLP pequena entre 50 % e 70 %. Com os mesmos
    argumentos, os mesmos dados; o estado global do ``random``/``np.random`` é preservado.
    """
    check_positive(n_samples, "n_samples", integer=True)
    check_positive(seed, "seed", integer=True, allow_zero=True)
    if n_samples < 10:
        raise ValueError(f"n_samples deve ser pelo menos 10 (um exemplo por classe); recebi {n_samples}.")
    X, y = _mnist1d(int(n_samples), int(seed))
    return X.copy(), y.copy()


@functools.lru_cache(maxsize=4)
def _mnist1d(n_samples, seed):
    import random

    from mnist1d.data import get_dataset_args, make_dataset

    args = get_dataset_args()
    args.num_samples = n_samples
    args.train_split = 1.0
    args.seed = seed
    py_state, np_state = random.getstate(), np.random.get_state()
    try:
        data = make_dataset(args)
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
    return data["x"].astype(float), data["y"].astype(np.int64)
