"""Testes de correção da aula 08 (inicialização dos pesos).

A referência confiável são os inicializadores de ``coursekit.nn.init`` (com o mesmo gerador
``np.random.default_rng(seed)``) e as ativações ``coursekit.nn.tanh``/``relu``. A docstring de
cada teste é a dica mostrada quando ele falha.
"""

import numpy as np
import pytest

from coursekit.grading.expect import array, assert_close, assert_equal, fail, items, raises
from coursekit.nn import MLP, SGD, init, relu, tanh

LECTURE = "08_inicializacao"


def _ref_std(scheme, fan_in, fan_out):
    """Desvio-padrão teórico, a partir dos parâmetros dos inicializadores do coursekit."""
    if scheme.startswith("xavier"):
        return np.sqrt(2.0 / (fan_in + fan_out))
    return np.sqrt(2.0 / fan_in)


def _ref_activation_stds(X, weights, activation):
    f = {"tanh": tanh, "relu": relu}[activation]
    a = np.asarray(X, dtype=float)
    out = []
    for W in weights:
        a = f(a @ W)
        out.append(float(np.std(a)))
    return out


# --------------------------------------------------------------------------- init_std
@pytest.mark.exercise("init_std", points=1)
def test_init_std_worked_values(sub):
    """Dica: Xavier (uniforme ou normal) tem desvio √(2/(fan_in + fan_out)) ≈ 0.05345 para 400→300;
    He tem √(2/fan_in) ≈ 0.07071. Devolva o desvio, não a variância nem o limite a. Nomes
    desconhecidos levantam ValueError."""
    for fan_in, fan_out in [(400, 300), (3, 5)]:
        for scheme in ("xavier_uniform", "xavier_normal", "he_uniform", "he_normal"):
            got = sub.call("init_std", scheme, fan_in, fan_out)
            assert_close(
                got,
                _ref_std(scheme, fan_in, fan_out),
                rtol=1e-9,
                name=f"init_std({scheme!r}, {fan_in}, {fan_out})",
            )
    raises(sub, "ValueError", "init_std", "lecun", 3, 4)


@pytest.mark.exercise("init_std", points=1, hidden=True)
def test_init_std_matches_sampled_weights(sub):
    """Dica: o desvio da uniforme U(−a, a) é a/√3; He usa só o fan_in. Nomes desconhecidos devem
    levantar ValueError."""
    rng = np.random.default_rng(123)
    for fan_in, fan_out in [(1, 1), (64, 10), (3, 500), (784, 256)]:
        for scheme in ("xavier_uniform", "xavier_normal", "he_uniform", "he_normal"):
            got = sub.call("init_std", scheme, fan_in, fan_out)
            assert_close(got, _ref_std(scheme, fan_in, fan_out), rtol=1e-9, name=f"init_std({scheme!r})")
        # a teoria bate com os inicializadores do coursekit
        W = init.xavier_uniform(fan_in, fan_out, rng)
        a = np.sqrt(6.0 / (fan_in + fan_out))
        assert np.abs(W).max() <= a
    raises(sub, "ValueError", "init_std", "xavier", 3, 4)


# --------------------------------------------------------------------------- xavier_uniform
def _check_xavier(sub, fan_in, fan_out, seed):
    W = sub.call("xavier_uniform", fan_in, fan_out, seed)
    array(W, shape=(fan_in, fan_out), kind="f", name=f"xavier_uniform({fan_in}, {fan_out}, {seed})")
    expected = init.xavier_uniform(fan_in, fan_out, np.random.default_rng(seed))
    return assert_close(W, expected, rtol=1e-12, name=f"xavier_uniform({fan_in}, {fan_out}, {seed})")


@pytest.mark.exercise("xavier_uniform", points=1)
def test_xavier_uniform_small(sub):
    """Dica: rng = np.random.default_rng(seed); a = √(6/(fan_in + fan_out)); devolva
    rng.uniform(-a, a, size=(fan_in, fan_out)) — um único sorteio, com os parênteses no lugar;
    o formato é (fan_in, fan_out), nessa ordem."""
    W = _check_xavier(sub, 4, 2, 0)
    if np.abs(W).max() > 1.0:
        fail("com fan_in = 4 e fan_out = 2 o limite é a = √(6/6) = 1, mas há pesos maiores que 1 em módulo.")
    _check_xavier(sub, 3, 5, 1)
    _check_xavier(sub, 10, 2, 7)


@pytest.mark.exercise("xavier_uniform", points=2, hidden=True)
def test_xavier_uniform_shapes_seeds_and_statistics(sub):
    """Dica: o formato é (fan_in, fan_out) — não troque a ordem; use a semente recebida."""
    for fan_in, fan_out, seed in [(3, 5, 1), (64, 10, 7), (300, 200, 42)]:
        W = _check_xavier(sub, fan_in, fan_out, seed)
    assert_close(float(W.std()), np.sqrt(2 / 500), rtol=0.02, name="o desvio dos pesos")


# --------------------------------------------------------------------------- he_normal
def _check_he(sub, fan_in, fan_out, seed):
    W = sub.call("he_normal", fan_in, fan_out, seed)
    array(W, shape=(fan_in, fan_out), kind="f", name=f"he_normal({fan_in}, {fan_out}, {seed})")
    expected = init.he_normal(fan_in, fan_out, np.random.default_rng(seed))
    return assert_close(W, expected, rtol=1e-12, name=f"he_normal({fan_in}, {fan_out}, {seed})")


@pytest.mark.exercise("he_normal", points=1)
def test_he_normal_worked(sub):
    """Dica: σ = √(2/fan_in) (0.1 para fan_in = 200); rng.normal(0.0, σ, size=(fan_in, fan_out)),
    com rng = np.random.default_rng(seed). O segundo argumento é o desvio, não a variância."""
    W = _check_he(sub, 200, 300, 0)
    assert_close(float(W.std()), 0.1, rtol=0.02, name="o desvio dos pesos")
    _check_he(sub, 2, 7, 3)


@pytest.mark.exercise("he_normal", points=1, hidden=True)
def test_he_normal_other_sizes(sub):
    """Dica: He usa só o fan_in (número de entradas da camada) no desvio."""
    for fan_in, fan_out, seed in [(2, 7, 3), (50, 1, 9), (128, 64, 2024)]:
        _check_he(sub, fan_in, fan_out, seed)


# --------------------------------------------------------------------------- activation_stds
def _check_stds(sub, X, weights, activation, rtol=1e-9):
    got = items(sub.call("activation_stds", X, weights, activation), len(weights), "activation_stds")
    expected = _ref_activation_stds(X, weights, activation)
    for layer, (g, e) in enumerate(zip(got, expected), start=1):
        assert_close(g, e, rtol=rtol, atol=1e-15, name=f"o desvio da camada {layer}")


@pytest.mark.exercise("activation_stds", points=1)
def test_activation_stds_worked(sub):
    """Dica: a = relu(X @ W) = [[1, 0], [3, 0]] e o desvio de todos os números é √1.5 ≈ 1.2247; aplique
    a ativação em cada camada e meça o desvio DEPOIS dela (uma entrada da lista por matriz);
    ativação desconhecida levanta ValueError."""
    got = items(
        sub.call(
            "activation_stds",
            np.array([[1.0, 2.0], [3.0, 4.0]]),
            [np.array([[1.0, 0.0], [0.0, -1.0]])],
            "relu",
        ),
        1,
        "activation_stds",
    )
    assert_close(got[0], np.sqrt(1.5), rtol=1e-9, name="o desvio da camada 1")
    rng = np.random.default_rng(4)
    X = rng.normal(size=(6, 3))
    weights = [rng.normal(size=(3, 4)), rng.normal(size=(4, 4)), rng.normal(size=(4, 2))]
    _check_stds(sub, X, weights, "tanh")
    _check_stds(sub, X, weights, "relu")
    raises(sub, "ValueError", "activation_stds", X, weights, "sigmoide")


@pytest.mark.exercise("activation_stds", points=2, hidden=True)
def test_activation_stds_deep_networks(sub):
    """Dica: aplique a ativação em TODAS as camadas e meça o desvio depois dela, camada a camada
    (uma entrada por matriz de pesos)."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(200, 32))
    for activation, maker in [
        ("tanh", init.xavier_normal),
        ("relu", init.he_normal),
        ("relu", lambda a, b, r: init.normal(a, b, r, std=0.01)),
    ]:
        weights = [maker(32, 32, rng) for _ in range(5)]
        _check_stds(sub, X, weights, activation)


# --------------------------------------------------------------------------- quebra de simetria
def _train_reference(X, y, W1, w2, lr, n_steps):
    net = MLP([W1.shape[0], W1.shape[1], 1], activation="tanh", output_activation="identity", bias=False)
    net.weights = [np.array(W1, dtype=float), np.array(w2, dtype=float).reshape(-1, 1)]
    opt = SGD(lr)
    for _ in range(n_steps):
        _, gw, _ = net.loss_and_gradients(X, y.reshape(-1, 1), loss="half_mse")
        opt.step(net.weights, gw)
    return net.weights[0], net.weights[1][:, 0]


def _sym_data(seed, n=6, d=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, np.sin(X.sum(axis=1))


def _check_train_hidden(sub, X, y, W1, w2, lr, n_steps):
    before = (W1.copy(), w2.copy())
    W1_new, w2_new = items(sub.call("train_hidden", X, y, W1, w2, lr, n_steps), 2, "train_hidden")
    W1_ref, w2_ref = _train_reference(X, y, W1, w2, lr, n_steps)
    assert_close(W1_new, W1_ref, rtol=1e-8, atol=1e-12, name="W1 final")
    assert_close(w2_new, w2_ref, rtol=1e-8, atol=1e-12, name="w2 final")
    if not (np.array_equal(W1, before[0]) and np.array_equal(w2, before[1])):
        fail("train_hidden alterou os arrays recebidos; trabalhe em cópias (np.array(W1, dtype=float)).")
    return W1_new, w2_new


@pytest.mark.exercise("train_hidden", points=3)
def test_train_hidden_symmetry(sub):
    """Dica: h = tanh(X @ W1), e = (h @ w2 − y)/n; grad_w2 = hᵀe; grad_W1 = Xᵀ((e w2ᵀ) ⊙ (1 − h²)),
    ambos com os pesos antes do passo. Pesos constantes: as colunas de W1 continuam iguais; pesos zero: nada muda."""
    X, y = _sym_data(0)
    rng = np.random.default_rng(1)
    W1, w2 = rng.normal(0, 0.5, size=(2, 3)), rng.normal(0, 0.5, size=3)
    _check_train_hidden(sub, X, y, W1, w2, 0.3, 20)
    W1_c, _ = _check_train_hidden(sub, X, y, np.full((2, 4), 0.5), np.full(4, 0.5), 0.3, 200)
    if not np.allclose(W1_c, W1_c[:, :1], rtol=0, atol=1e-12):
        fail("Com todos os pesos iguais, as colunas de W1 deveriam continuar idênticas (simetria).")
    W1_z, w2_z = _check_train_hidden(sub, X, y, np.zeros((2, 4)), np.zeros(4), 0.3, 50)
    if np.any(W1_z != 0) or np.any(w2_z != 0):
        fail("Com todos os pesos zero, nenhum gradiente deveria ser diferente de zero (w2 = 0 e h = 0).")


@pytest.mark.exercise("train_hidden", points=1, hidden=True)
def test_train_hidden_random(sub):
    """Dica: funcione para qualquer d, m e n; n_steps = 0 devolve os pesos iniciais."""
    X, y = _sym_data(5, n=9, d=3)
    rng = np.random.default_rng(6)
    _check_train_hidden(sub, X, y, rng.normal(size=(3, 5)), rng.normal(size=5), 0.1, 30)
    _check_train_hidden(sub, X, y, rng.normal(size=(3, 2)), rng.normal(size=2), 0.1, 0)


@pytest.mark.exercise("count_distinct_units", points=2)
def test_count_distinct_units_public(sub):
    """Dica: um neurônio é (coluna de W1, peso em w2); conte grupos cuja maior diferença absoluta é ≤ tol."""
    W1 = np.array([[1.0, 1.0, 2.0], [0.0, 0.0, 0.0]])
    assert_equal(
        sub.call("count_distinct_units", W1, np.array([3.0, 3.0, 3.0])), 2, name="neurônios diferentes"
    )
    assert_equal(
        sub.call("count_distinct_units", W1, np.array([3.0, 4.0, 3.0])), 3, name="neurônios diferentes"
    )
    W1 = np.array([[0.5, 0.5 + 1e-12, 0.5, 0.7], [0.2, 0.2, 0.2 + 1e-3, 0.2]])
    assert_equal(
        sub.call("count_distinct_units", W1, np.ones(4)), 3, name="neurônios diferentes (tol = 1e-9)"
    )
    assert_equal(
        sub.call("count_distinct_units", W1, np.ones(4), tol=0.01),
        2,
        name="neurônios diferentes (tol = 0.01)",
    )
    # a ordem não importa: uma coluna menor que a anterior também é diferente (|diferença|, não diferença)
    assert_equal(
        sub.call("count_distinct_units", np.array([[2.0, 1.0]]), np.zeros(2)), 2, name="neurônios ([[2, 1]])"
    )
    # diferença exatamente igual a tol conta como cópia ("nenhuma diferença maior que tol")
    assert_equal(
        sub.call("count_distinct_units", np.array([[0.0, 0.5]]), np.zeros(2), tol=0.5),
        1,
        name="neurônios (diferença = tol)",
    )


@pytest.mark.exercise("count_distinct_units", points=1, hidden=True)
def test_count_distinct_units_more(sub):
    """Dica: cópias que não estão lado a lado também contam como um só; todos iguais dá 1."""
    assert_equal(
        sub.call("count_distinct_units", np.full((3, 5), 0.25), np.full(5, -1.0)), 1, name="neurônios"
    )
    W1 = np.array([[1.0, 2.0, 1.0, 2.0, 3.0]])
    assert_equal(sub.call("count_distinct_units", W1, np.zeros(5)), 3, name="neurônios")
    rng = np.random.default_rng(3)
    assert_equal(
        sub.call("count_distinct_units", rng.normal(size=(4, 6)), rng.normal(size=6)), 6, name="neurônios"
    )
