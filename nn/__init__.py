"""nn: a small neural-network layer built from ``autograd_core`` Values.

>>> from nn import MLP, SGD, fit, make_moons, to_pm1
>>> X, y = make_moons(100, noise=0.1, seed=1)
>>> model = MLP(2, [16, 16, 1], seed=1)          # 337 parameters, as in micrograd
>>> opt = SGD(model.parameters(), lr=0.5)
>>> history = fit(model, X, to_pm1(y), "hinge", opt, epochs=5, l2=1e-4, progress=False)
"""

from .data import (
    DATASETS,
    batches,
    make_blobs,
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
    to_pm1,
    train_test_split,
)
from .losses import LOSSES, binary_cross_entropy, cross_entropy, hinge_loss, l2_penalty, mse_loss
from .module import MLP, CheckpointError, Layer, Module, Neuron
from .optim import SGD, Adam, ConstantLR, LinearDecayLR, Optimizer, StepLR
from .train import History, accuracy, fit, predict, predict_scores, train_step

__all__ = [
    "Module",
    "Neuron",
    "Layer",
    "MLP",
    "CheckpointError",
    "mse_loss",
    "hinge_loss",
    "binary_cross_entropy",
    "cross_entropy",
    "l2_penalty",
    "LOSSES",
    "Optimizer",
    "SGD",
    "Adam",
    "ConstantLR",
    "LinearDecayLR",
    "StepLR",
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_xor",
    "make_blobs",
    "to_pm1",
    "train_test_split",
    "batches",
    "DATASETS",
    "fit",
    "train_step",
    "predict",
    "predict_scores",
    "accuracy",
    "History",
]
