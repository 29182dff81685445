"""Acceptance: every parameter gradient of three MLPs agrees with central differences
and with PyTorch float64 (same weights, same data) to 1e-7 relative."""

from __future__ import annotations

import random

import pytest
import torch

from autograd_core import no_grad
from nn import MLP, binary_cross_entropy, cross_entropy, l2_penalty, mse_loss

REL = 1e-7


def _data(nin, n, seed):
    rng = random.Random(seed)
    return [[rng.uniform(-2, 2) for _ in range(nin)] for _ in range(n)]


def _central_difference(model, loss_of, h=1e-5):
    """Fourth-order central difference of the float loss for every parameter:
    (−L(p+2h) + 8L(p+h) − 8L(p−h) + L(p−2h)) / 12h."""
    out = {}
    for name, p in model.named_parameters():
        d = p.data
        vals = []
        for k in (2, 1, -1, -2):
            p.data = d + k * h
            with no_grad():
                vals.append(loss_of().data)
        p.data = d
        out[name] = (-vals[0] + 8 * vals[1] - 8 * vals[2] + vals[3]) / (12 * h)
    return out


def _torch_grads(model, X, torch_loss):
    """The same network in PyTorch, written out as matrices from our weights."""
    Ws, bs = [], []
    for layer in model.layers:
        Ws.append(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True))
        bs.append(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True))
    h = torch.tensor(X, dtype=torch.float64)
    for i, (W, b) in enumerate(zip(Ws, bs)):
        h = h @ W.T + b
        if i < len(Ws) - 1:
            h = torch.relu(h)
    loss = torch_loss(h, Ws + bs)
    loss.backward()
    grads = {}
    for i, (W, b) in enumerate(zip(Ws, bs)):
        for j in range(W.shape[0]):
            for k in range(W.shape[1]):
                grads[f"layers.{i}.neurons.{j}.w.{k}"] = W.grad[j, k].item()
            grads[f"layers.{i}.neurons.{j}.b"] = b.grad[j].item()
    return loss.item(), grads


def _off_kinks(model, seed):
    """Biases start at exactly 0, so a unit fed only by dead ReLUs sits exactly on the
    kink, where relu'(0) = 0 (as in PyTorch) but a central difference sees half a slope.
    Random biases move every unit off the kink."""
    rng = random.Random(seed)
    for name, p in model.named_parameters():
        if name.endswith(".b"):
            p.data = rng.uniform(-0.5, 0.5)


def _check(model, loss_of, torch_loss, X):
    _off_kinks(model, 99)
    loss = loss_of()
    model.zero_grad()
    loss.backward()
    ours = {name: p.grad for name, p in model.named_parameters()}
    fd = _central_difference(model, loss_of)
    t_loss, t_grads = _torch_grads(model, X, torch_loss)
    assert set(t_grads) == set(ours)
    assert loss.data == pytest.approx(t_loss, rel=1e-12)
    scale = max(abs(g) for g in ours.values())
    assert scale > 1e-3  # a real gradient, not all zeros
    nonzero = 0
    for name, g in ours.items():
        assert g == pytest.approx(t_grads[name], rel=REL, abs=1e-15 * scale), name
        # central differences carry ~1e-11 rounding error: relative where the gradient is not tiny
        assert g == pytest.approx(fd[name], rel=REL, abs=1e-9), name
        nonzero += g != 0.0
    assert nonzero >= len(ours) // 3  # most units live: the check covers real paths


def test_mse_mlp_3_4_4_1_matches_central_differences_and_torch():
    model = MLP(3, [4, 4, 1], seed=3)
    X = _data(3, 12, 0)
    y = [random.Random(i).uniform(-1, 1) for i in range(12)]

    def loss_of():
        return mse_loss([model(x) for x in X], y)

    def torch_loss(out, params):
        return torch.nn.functional.mse_loss(out.squeeze(1), torch.tensor(y, dtype=torch.float64))

    _check(model, loss_of, torch_loss, X)


def test_mse_with_l2_penalty_matches_torch():
    model = MLP(3, [4, 4, 1], seed=5)
    X = _data(3, 6, 1)
    y = [0.5, -0.25, 1.0, 0.0, -1.0, 0.75]

    def loss_of():
        return mse_loss([model(x) for x in X], y) + l2_penalty(model.parameters(), 1e-2)

    def torch_loss(out, params):
        t = torch.nn.functional.mse_loss(out.squeeze(1), torch.tensor(y, dtype=torch.float64))
        return t + 1e-2 * sum((p * p).sum() for p in params)

    _check(model, loss_of, torch_loss, X)


def test_three_class_cross_entropy_mlp_matches_central_differences_and_torch():
    model = MLP(2, [6, 5, 3], seed=11)
    X = _data(2, 12, 2)
    y = [i % 3 for i in range(12)]

    def loss_of():
        return cross_entropy([model(x) for x in X], y)

    def torch_loss(out, params):
        return torch.nn.functional.cross_entropy(out, torch.tensor(y))

    _check(model, loss_of, torch_loss, X)


def test_binary_cross_entropy_mlp_matches_central_differences_and_torch():
    model = MLP(2, [5, 4, 1], seed=7)
    X = _data(2, 12, 3)
    y = [float(i % 2) for i in range(12)]

    def loss_of():
        return binary_cross_entropy([model(x) for x in X], y)

    def torch_loss(out, params):
        return torch.nn.functional.binary_cross_entropy_with_logits(out.squeeze(1), torch.tensor(y, dtype=torch.float64))

    _check(model, loss_of, torch_loss, X)
