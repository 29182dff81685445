"""Training an MLP with ``compile``: trace the per-sample loss once, then every step is
one call over NumPy arrays of the whole batch (forward and reverse sweep, elementwise).

Run: ``PYTHONPATH=. python examples/compiled_training.py``
"""

from __future__ import annotations

import random

import numpy as np

from autograd_core import compile

SIZES = (2, 16, 16, 1)


def init_params(seed: int = 0) -> list[float]:
    rnd = random.Random(seed)
    params: list[float] = []
    for nin, nout in zip(SIZES, SIZES[1:]):
        for _ in range(nout):
            params += [rnd.uniform(-1, 1) / nin ** 0.5 for _ in range(nin)] + [0.0]
    return params


def mlp(params, x1, x2):
    """relu hidden layers, linear output; works on Values (the trace) and on anything with * + relu."""
    it = iter(params)
    act = [x1, x2]
    for layer, (nin, nout) in enumerate(zip(SIZES, SIZES[1:])):
        new = []
        for _ in range(nout):
            z = next(it) * act[0]
            for k in range(1, nin):
                z = z + next(it) * act[k]
            z = z + next(it)
            new.append(z if layer == len(SIZES) - 2 else z.relu())
        act = new
    return act[0]


def hinge(params, x1, x2, y):
    """max(0, 1 − y·score) for one point (y = ±1)."""
    return (1.0 - y * mlp(params, x1, x2)).relu()


def circles(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x1, x2 = rng.uniform(-2, 2, n), rng.uniform(-2, 2, n)
    return x1, x2, np.where(x1 * x1 + x2 * x2 < 1.5, 1.0, -1.0)


def train(steps: int = 200, lr: float = 0.1, n: int = 200, seed: int = 0) -> tuple[list[float], list[float], float]:
    """(parameters, loss per step, final training accuracy)."""
    x1, x2, y = circles(n)
    params = init_params(seed)
    step = compile(hinge, argnums=0)  # traced on the first call
    losses = []
    for _ in range(steps):
        per_sample, grads = step(params, x1, x2, y)
        losses.append(float(per_sample.mean()))
        params = [p - lr * float(g.mean()) for p, g in zip(params, grads)]
    scores, _ = compile(lambda ps, a, b: mlp(ps, a, b))(params, x1, x2)
    accuracy = float(np.mean(np.sign(scores) == y))
    return params, losses, accuracy


if __name__ == "__main__":
    _, losses, acc = train()
    for k in range(0, len(losses), 25):
        print(f"step {k:3d}  hinge loss {losses[k]:.4f}")
    print(f"final loss {losses[-1]:.4f}, training accuracy {acc:.1%}")
