"""Inicializadores LeCun e ortogonal de coursekit.nn.init (aula 08)."""

import numpy as np
import pytest
from scipy import stats

from coursekit.nn import MLP, init, relu


@pytest.mark.parametrize("f", [init.lecun_normal, init.lecun_uniform])
def test_lecun_tem_variancia_1_sobre_fan_in(f):
    W = f(400, 300, np.random.default_rng(0))
    assert W.shape == (400, 300)
    assert np.isclose(W.var(), 1 / 400, rtol=0.02)
    assert abs(W.mean()) < 0.003


def test_lecun_normal_e_gaussiana_e_lecun_uniform_respeita_o_limite():
    rng = np.random.default_rng(1)
    Wn = init.lecun_normal(200, 200, rng).ravel()
    assert stats.kstest(Wn, "norm", args=(0, np.sqrt(1 / 200))).pvalue > 0.01
    Wu = init.lecun_uniform(200, 200, rng).ravel()
    a = np.sqrt(3 / 200)
    assert np.abs(Wu).max() <= a and np.abs(Wu).max() > 0.999 * a
    assert stats.kstest(Wu, "uniform", args=(-a, 2 * a)).pvalue > 0.01


@pytest.mark.parametrize(("fan_in", "fan_out"), [(50, 20), (20, 50), (30, 30)])
def test_ortogonal(fan_in, fan_out):
    W = init.orthogonal(fan_in, fan_out, np.random.default_rng(2), gain=2.0)
    assert W.shape == (fan_in, fan_out)
    k = min(fan_in, fan_out)
    gram = W.T @ W if fan_in >= fan_out else W @ W.T
    np.testing.assert_allclose(gram, 4.0 * np.eye(k), atol=1e-12)


def test_ortogonal_preserva_a_norma_numa_rede_linear_funda():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 64))
    a = x
    for _ in range(50):
        a = a @ init.orthogonal(64, 64, rng)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), np.linalg.norm(x, axis=1), rtol=1e-10)


def test_mlp_aceita_os_novos_nomes_e_lecun_com_relu_encolhe_o_sinal():
    for nome in ("lecun_normal", "lecun_uniform", "orthogonal"):
        rede = MLP([8, 8, 1], init=nome, seed=0)
        assert rede.weights[0].shape == (8, 8)
    # com ReLU, LeCun (variância 1/n) perde metade de E[a²] por camada; He (2/n) não perde nada
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2000, 512))
    for f, fator in [(init.lecun_normal, 0.5), (init.he_normal, 1.0)]:
        a, razoes = x, []
        for _ in range(6):
            b = relu(a @ f(512, 512, rng))
            razoes.append(np.mean(b**2) / np.mean(a**2))
            a = b
        razoes = np.array(razoes)
        assert np.all(np.abs(razoes / fator - 1) < 0.3)  # cada camada (largura finita: flutua)
        assert abs(np.exp(np.mean(np.log(razoes))) / fator - 1) < 0.1  # em média geométrica


def test_entradas_ruins():
    with pytest.raises(ValueError, match="gain"):
        init.orthogonal(3, 3, None, gain=-1.0)
    with pytest.raises(ValueError, match="fan_in"):
        init.lecun_normal(0, 3)
