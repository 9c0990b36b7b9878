"""Testes de correção da aula 11. Referências: coursekit.nn.MLP (alpha, validation_data, patience)
e coursekit.model_selection (train_test_split, k_fold)."""

import numpy as np
import pytest

from coursekit.grading.expect import array, assert_close, assert_equal, fail, items
from coursekit.model_selection import k_fold, train_test_split
from coursekit.nn import MLP, Adam

LECTURE = "11_overfitting_regularizacao"


def _check_l2(sub, loss, grad, W, alpha):
    got_loss, got_grad = items(sub.call("l2_penalize", loss, grad, W, alpha), 2, "l2_penalize")
    W_arr, grad_arr = np.asarray(W, dtype=float), np.asarray(grad, dtype=float)
    assert_close(
        got_loss, loss + 0.5 * alpha * float(np.sum(W_arr**2)), rtol=1e-12, name="a perda penalizada"
    )
    assert_close(got_grad, grad_arr + alpha * W_arr, rtol=1e-12, atol=1e-15, name="o gradiente penalizado")


@pytest.mark.exercise("l2_penalize", points=1)
def test_l2_worked(sub):
    """Dica: ‖W‖² = 1² + 2² = 5; perda = 1 + 0.1/2·5 = 1.25; gradiente = 0 + 0.1·W = [[0.1, 0.2]].
    W e o gradiente podem vir como listas (np.asarray); some os quadrados de TODOS os elementos."""
    _check_l2(sub, 1.0, [[0.0, 0.0]], [[1.0, 2.0]], 0.1)
    _check_l2(sub, 0.5, np.array([[0.2, -0.1], [0.0, 0.3]]), np.array([[1.0, -2.0], [0.5, 3.0]]), 0.4)


@pytest.mark.exercise("l2_penalize", points=2, hidden=True)
def test_l2_matches_mlp(sub):
    """Dica: a penalidade é α/2 vezes a soma dos quadrados de TODOS os elementos de W; o gradiente ganha α·W."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    plain = MLP([3, 2], seed=1)
    reg = MLP([3, 2], seed=1, alpha=0.7)
    l0, g0, _ = plain.loss_and_gradients(X, Y)
    l1, g1, _ = reg.loss_and_gradients(X, Y)
    loss, grad = items(sub.call("l2_penalize", l0, g0[0], plain.weights[0], 0.7), 2, "l2_penalize")
    assert_close(loss, float(l1), rtol=1e-10, name="a perda penalizada")
    assert_close(grad, g1[0], rtol=1e-10, name="o gradiente penalizado")


def _ref_split(n, frac, seed):
    X = np.arange(n)
    _, _, tr, va = train_test_split(X, X, test_size=frac, seed=seed)
    return tr, va


def _check_split(sub, n, frac, seed):
    tr, va = items(sub.call("split_indices", n, frac, seed), 2, "split_indices")
    ref_tr, ref_va = _ref_split(n, frac, seed)
    assert_equal(va, np.asarray(ref_va), name="idx_validacao")
    assert_equal(tr, np.asarray(ref_tr), name="idx_treino")


@pytest.mark.exercise("split_indices", points=1)
def test_split_sizes(sub):
    """Dica: a validação tem ceil(0.25·10) = 3 índices; treino e validação juntos são 0..9 sem
    repetição. Use np.random.default_rng(seed).permutation(n): os PRIMEIROS vão para a validação."""
    tr, va = items(sub.call("split_indices", 10, 0.25, 0), 2, "split_indices")
    assert_equal(len(va), 3, name="o tamanho da validação")
    assert_equal(len(tr), 7, name="o tamanho do treino")
    assert_equal(sorted(np.concatenate([tr, va]).tolist()), list(range(10)), name="treino + validação")
    _check_split(sub, 10, 0.25, 0)
    _check_split(sub, 7, 0.3, 3)


@pytest.mark.exercise("split_indices", points=2, hidden=True)
def test_split_matches_reference(sub):
    """Dica: use np.random.default_rng(seed).permutation(n); os PRIMEIROS da permutação vão para a validação."""
    for n, frac, seed in [(10, 0.25, 0), (37, 0.3, 5), (100, 0.2, 42)]:
        _check_split(sub, n, frac, seed)


def _check_kfold(sub, n, k):
    folds = items(sub.call("kfold_indices", n, k), k, "kfold_indices")
    for index, (fold, (rtr, rva)) in enumerate(zip(folds, k_fold(n, k))):
        tr, va = items(fold, 2, f"a dobra {index}")
        assert_equal(va, np.asarray(rva), name=f"a validação da dobra {index}")
        assert_equal(tr, np.asarray(rtr), name=f"o treino da dobra {index}")


@pytest.mark.exercise("kfold_indices", points=1)
def test_kfold_worked(sub):
    """Dica: com n = 10 e k = 3 as validações são [0..3], [4..6], [7..9] (a primeira dobra leva o
    elemento a mais); as n % k primeiras dobras têm n // k + 1 elementos."""
    _check_kfold(sub, 10, 3)
    _check_kfold(sub, 11, 4)


@pytest.mark.exercise("kfold_indices", points=2, hidden=True)
def test_kfold_various(sub):
    """Dica: as n % k primeiras dobras têm n // k + 1 elementos; o treino é tudo menos a dobra, em ordem crescente."""
    for n, k in [(7, 7), (23, 4), (50, 5), (11, 2)]:
        _check_kfold(sub, n, k)


def _check_early(sub, losses, patience, expected):
    best, ran = items(sub.call("early_stopping", losses, patience), 2, "early_stopping")
    assert_equal(best, expected[0], name="melhor_epoca")
    assert_equal(ran, expected[1], name="epocas_rodadas")


@pytest.mark.exercise("early_stopping", points=1)
def test_early_stopping_worked(sub):
    """Dica: a melhor é a época 1 (perda 4); as épocas 2 e 3 não melhoram; com paciência 2 para após
    4 épocas. Uma perda IGUAL à melhor não conta como melhora; se nunca parar, a melhor época é a de
    menor perda (não a última) e as épocas rodadas são todas. Devolva inteiros."""
    _check_early(sub, [5.0, 4.0, 4.5, 4.2, 3.9, 4.1, 4.3], 2, (1, 4))
    _check_early(sub, [3.0, 2.0, 1.0], 2, (2, 3))
    _check_early(sub, [3.0, 1.0, 2.0, 1.5], 3, (1, 4))
    _check_early(sub, [2.0, 1.0, 1.0, 1.0, 0.5], 2, (1, 4))
    _check_early(sub, [1.0, 1.0, 1.0], 5, (0, 3))


@pytest.mark.exercise("early_stopping", points=2, hidden=True)
def test_early_stopping_matches_mlp(sub):
    """Dica: uma perda IGUAL à melhor não conta como melhora; a época que atinge a paciência também conta como rodada."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(20, 1))
    y = np.sin(3 * X[:, 0]) + 0.4 * rng.normal(size=20)
    Xv = rng.uniform(-1, 1, size=(40, 1))
    yv = np.sin(3 * Xv[:, 0]) + 0.4 * rng.normal(size=40)
    full = MLP([1, 32, 1], activation="tanh", seed=0)
    full.fit(X, y, optimizer=Adam(0.01), epochs=400, batch_size=20, validation_data=(Xv, yv))
    for patience in (5, 30, 100):
        stop = MLP([1, 32, 1], activation="tanh", seed=0)
        stop.fit(
            X, y, optimizer=Adam(0.01), epochs=400, batch_size=20, validation_data=(Xv, yv), patience=patience
        )
        _check_early(
            sub, list(full.val_loss_history_), patience, (stop.best_epoch_, len(stop.val_loss_history_))
        )
    _check_early(sub, [1.0, 1.0, 1.0], 2, (0, 3))


# --------------------------------------------------------------------------- dropout invertido
def _dropout_reference(a, p, seed):
    """A máscara do coursekit: uma camada identidade (pesos = I) com dropout p e a mesma semente."""
    a = np.asarray(a, dtype=float)
    flat = a.reshape(-1, a.shape[-1]) if a.ndim > 1 else a.reshape(1, -1)
    net = MLP([flat.shape[1], flat.shape[1], 1], activation="identity", bias=False, dropout=p)
    net.weights[0] = np.eye(flat.shape[1])
    out = net.hidden_activations(flat, dropout_seed=seed)[0].reshape(a.shape)
    keep = np.random.default_rng(seed).random(a.shape) < 1.0 - p
    return out, keep / (1.0 - p)


def _check_dropout(sub, a, p, seed):
    out, mask = items(sub.call("dropout_forward", a, p, seed), 2, "dropout_forward")
    out_ref, mask_ref = _dropout_reference(a, p, seed)
    mask = array(mask, shape=np.shape(a), kind="f", name="a máscara")
    keep_ref = mask_ref > 0
    if p > 0 and np.array_equal(mask, keep_ref.astype(float)) and not np.allclose(mask, mask_ref):
        fail(
            "A máscara vale 1 nos mantidos: no dropout invertido os mantidos são multiplicados por 1/(1 − p)."
        )
    flipped = (np.random.default_rng(seed).random(np.shape(a)) < p) / (1.0 - p)
    if not np.allclose(mask, mask_ref) and np.allclose(mask, flipped):
        fail(
            "Você manteve os neurônios com probabilidade p; p é a probabilidade de DESLIGAR (mantenha se sorteio < 1 − p)."
        )
    assert_close(mask, mask_ref, rtol=1e-12, name="a máscara")
    assert_close(out, out_ref, rtol=1e-12, atol=1e-15, name="a saída")


@pytest.mark.exercise("dropout_forward", points=2)
def test_dropout_forward_public(sub):
    """Dica: um sorteio default_rng(seed).random(a.shape); mantido se < 1 − p; máscara = mantido/(1 − p);
    saída = a · máscara; p fora de [0, 1) levanta ValueError."""
    a = np.arange(1.0, 13.0).reshape(3, 4)
    _check_dropout(sub, a, 0.25, 3)
    _check_dropout(sub, a, 0.0, 1)
    _check_dropout(sub, np.array([0.5, -1.0, 2.0, 3.0, -0.2, 1.1]), 0.6, 7)
    for bad in (1.0, -0.1):
        assert_equal(
            sub.raises("dropout_forward", a, bad, 0), "ValueError", name=f"dropout_forward com p = {bad}"
        )


@pytest.mark.exercise("dropout_forward", points=1, hidden=True)
def test_dropout_forward_mean(sub):
    """Dica: a escala 1/(1 − p) preserva a média: em muitos neurônios, a média da saída fica perto da da entrada."""
    a = np.ones((200, 50))
    out, _ = items(sub.call("dropout_forward", a, 0.3, 11), 2, "dropout_forward")
    _check_dropout(sub, a, 0.3, 11)
    assert_close(float(np.mean(out)), 1.0, rtol=0.02, name="a média da saída")
    _check_dropout(sub, np.random.default_rng(2).normal(size=(2, 3, 4)), 0.5, 5)


@pytest.mark.exercise("dropout_backward", points=2)
def test_dropout_backward_public(sub):
    """Dica: saída = a · máscara, então ∂J/∂a = ∂J/∂saída · máscara (a mesma máscara; a escala já está nela)."""
    mask = np.array([[0.0, 2.0], [2.0, 0.0]])
    g = sub.call("dropout_backward", np.array([[1.0, 1.0], [3.0, -1.0]]), mask)
    assert_close(g, [[0.0, 2.0], [6.0, 0.0]], rtol=1e-12, name="∂J/∂a")
    # diferenças finitas de J(a) = Σ c · dropout(a) com a máscara fixa
    rng = np.random.default_rng(4)
    mask = (rng.random((3, 5)) < 0.8) / 0.8
    c = rng.normal(size=(3, 5))
    g = sub.call("dropout_backward", c, mask)
    assert_close(g, c * mask, rtol=1e-12, name="∂J/∂a")


@pytest.mark.exercise("dropout_backward", points=1, hidden=True)
def test_dropout_backward_random(sub):
    """Dica: funcione para qualquer formato; neurônios desligados não recebem gradiente."""
    rng = np.random.default_rng(8)
    mask = (rng.random((4, 2, 3)) < 0.5) / 0.5
    c = rng.normal(size=(4, 2, 3))
    assert_close(sub.call("dropout_backward", c, mask), c * mask, rtol=1e-12, name="∂J/∂a")
