"""Redes neurais em NumPy: ativações, inicializadores, perdas, otimizadores e a MLP."""

from coursekit.nn.activations import (
    identity,
    identity_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_backward,
    tanh,
    tanh_grad,
)
from coursekit.nn.gradcheck import numerical_gradient, rel_error
from coursekit.nn.init import (
    he_normal,
    he_uniform,
    lecun_normal,
    lecun_uniform,
    normal,
    orthogonal,
    xavier_normal,
    xavier_uniform,
    zeros,
)
from coursekit.nn.losses import (
    bce,
    bce_from_logits,
    bce_from_logits_grad,
    bce_grad,
    cross_entropy,
    cross_entropy_from_logits,
    cross_entropy_from_logits_grad,
    cross_entropy_grad,
    half_mse,
    half_mse_grad,
    hinge,
    hinge_grad,
    huber,
    huber_grad,
    kl_divergence,
    kl_divergence_grad,
    mae,
    mae_grad,
    mse,
    mse_grad,
    one_hot,
)
from coursekit.nn.mlp import MLP, n_params
from coursekit.nn.optim import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    Momentum,
    Optimizer,
    RMSProp,
    clip_grad_norm,
    cosine_schedule,
    exponential_decay,
    linear_warmup,
    lr_schedule,
    step_decay,
)
from coursekit.nn.seeds import fit_seeds, mean_std

__all__ = [name for name in dir() if not name.startswith("_")]
