"""Independent oracles for gradient tests: central differences and PyTorch float64.

The PyTorch mapping names, for every primitive of the op table, the torch
function that computes the same thing, so each op is checked against an
implementation that shares no code with ours.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import torch

from autograd_core import ops

torch.set_default_dtype(torch.float64)

#: op name -> a function of torch tensors (or, for powc's exponent, a float)
TORCH: dict[str, Callable[..., torch.Tensor]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: torch.pow(a, b),
    "powc": lambda a, b: torch.pow(a, b),
    "neg": lambda a: -a,
    "exp": torch.exp,
    "log": torch.log,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "sqrt": torch.sqrt,
    "sin": torch.sin,
    "cos": torch.cos,
    "abs": torch.abs,
    # torch's softplus switches to x above a threshold; logaddexp is the exact function
    "softplus": lambda a: torch.logaddexp(a, torch.zeros_like(a)),
}
assert set(TORCH) == set(ops.OPS), "every op of the table needs a torch oracle"


def torch_value_and_grads(name: str, xs: Sequence[float]) -> tuple[float, list[float]]:
    """The op's value at ``xs`` and its partial derivatives, from PyTorch in float64."""
    ts = [torch.tensor(float(x), dtype=torch.float64, requires_grad=True) for x in xs]
    if name == "powc":  # the exponent is a plain number, as in Value ** 2.0
        out = TORCH[name](ts[0], float(xs[1]))
        out.backward()
        return out.item(), [ts[0].grad.item(), 0.0]
    out = TORCH[name](*ts)
    out.backward()
    return out.item(), [t.grad.item() for t in ts]


def central_difference(f: Callable[..., float], xs: Sequence[float], i: int, h: float = 1e-6) -> float:
    """∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h, with h scaled to |x_i|."""
    step = h * max(1.0, abs(xs[i]))
    up = list(xs)
    down = list(xs)
    up[i] += step
    down[i] -= step
    return (f(*up) - f(*down)) / (2 * step)


def same(a: float, b: float, rel: float = 1e-12, abs_tol: float = 0.0) -> bool:
    """Equal as IEEE results: both nan, the same infinity, or close."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)
