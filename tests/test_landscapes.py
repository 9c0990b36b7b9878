import numpy as np
import pytest

from coursekit import landscapes, nn


@pytest.mark.parametrize("name", ["quadratic", "rosenbrock", "saddle", "local_minima"])
def test_gradients_and_minima(name):
    land = landscapes.LANDSCAPES[name]
    assert getattr(landscapes, name) is land
    for w in [np.array([0.3, -0.7]), np.array([-1.2, 1.1]), land.start.copy()]:
        assert nn.rel_error(land.grad(w), nn.numerical_gradient(land.f, w)) < 1e-7
    for m in land.minima:
        assert np.linalg.norm(land.grad(np.array(m))) < 1e-4
    xx, yy, zz = land.grid(50)
    assert zz.shape == (50, 50) and np.all(np.isfinite(zz))


def test_run_optimizer_shapes_and_convergence():
    path = landscapes.run_optimizer(landscapes.quadratic, nn.Momentum(0.05), [-5.0, 2.0], 300)
    assert path.shape == (301, 2) and np.array_equal(path[0], [-5.0, 2.0])
    assert np.linalg.norm(path[-1]) < 1e-3
    path = landscapes.run_optimizer(landscapes.rosenbrock, nn.Adam(0.05), [-1.5, 2.0], 3000)
    assert np.linalg.norm(path[-1] - [1, 1]) < 0.05
    # SGD cai no mínimo local da direita; começando à esquerda, no global
    right = landscapes.run_optimizer(landscapes.local_minima, nn.SGD(0.05), [2.0, 1.0], 500)[-1]
    left = landscapes.run_optimizer(landscapes.local_minima, nn.SGD(0.05), [-2.0, 1.0], 500)[-1]
    assert right[0] == pytest.approx(1.33222, abs=1e-3) and left[0] == pytest.approx(-1.48397, abs=1e-3)
    assert landscapes.local_minima.f(left) < landscapes.local_minima.f(right)


def test_divergence_is_nan_not_a_warning():
    path = landscapes.run_optimizer(landscapes.rosenbrock, nn.SGD(0.01), [-1.5, 2.0], 50)
    assert path.shape == (51, 2) and np.isnan(path[-1]).all()


def test_run_optimizer_bad_input():
    with pytest.raises(TypeError, match="landscape"):
        landscapes.run_optimizer("rosenbrock", nn.SGD(0.1), [0, 0], 5)
    with pytest.raises(ValueError, match="start"):
        landscapes.run_optimizer(landscapes.saddle, nn.SGD(0.1), [0, 0, 0], 5)


def test_lr_schedule_values():
    assert nn.lr_schedule(0.1, 0.0, 50) == 0.1
    np.testing.assert_allclose(nn.lr_schedule(0.1, 0.5, [0, 1, 2, 4]), [0.1, 0.1 / 1.5, 0.05, 0.1 / 3])
    with pytest.raises(ValueError, match="decay"):
        nn.lr_schedule(0.1, -1.0, 3)


def test_run_optimizer_with_decay_applies_schedule_and_restores_lr():
    opt = nn.SGD(0.05)
    path = landscapes.run_optimizer(landscapes.quadratic, opt, (1.0, 0.0), 3, decay=1.0)
    assert opt.lr == 0.05
    # f = ½w₀² na linha w₁ = 0: w ← w·(1 − lr_t), com lr_t = 0.05/(1 + t)
    np.testing.assert_allclose(path[:, 0], np.cumprod([1.0, 1 - 0.05, 1 - 0.025, 1 - 0.05 / 3]))
    land = landscapes.quadratic
    fast = landscapes.run_optimizer(land, nn.SGD(0.01), land.start, 100)
    slow = landscapes.run_optimizer(land, nn.SGD(0.01), land.start, 100, decay=0.1)
    assert land.f(slow[-1]) > land.f(fast[-1])  # passos cada vez menores: chega menos longe
