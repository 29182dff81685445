"""Optimisers (SGD with momentum and weight decay, Adam) and learning-rate schedules.

An optimiser holds the parameters it was given and only ever changes those.
Updates are plain float arithmetic on ``p.data`` (not recorded in any graph),
with PyTorch's formulas, so a step here and a step of ``torch.optim`` agree:

SGD:   g = ∇p + λ·p;   v = μ·v + g;   p ← p − η·v
Adam:  g = ∇p + λ·p;   m = β1·m + (1−β1)·g;   v = β2·v + (1−β2)·g²;
       p ← p − η · (m / (1−β1^t)) / (√(v / (1−β2^t)) + ε)

``lr`` is a number or a schedule: any callable ``step -> lr`` (step counts
from 0), such as :class:`ConstantLR`, :class:`LinearDecayLR`, :class:`StepLR`.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable, Iterable

from autograd_core import Value

__all__ = ["Optimizer", "SGD", "Adam", "ConstantLR", "LinearDecayLR", "StepLR"]


# --------------------------------------------------------------------------- #
# Schedules
# --------------------------------------------------------------------------- #
def _positive(name: str, x: Any, *, zero_ok: bool = False) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x) or x < 0 or (x == 0 and not zero_ok):
        raise ValueError(f"{name} must be a {'non-negative' if zero_ok else 'positive'} number, got {x!r}")
    return float(x)


class ConstantLR:
    """lr(step) = lr."""

    def __init__(self, lr: float) -> None:
        self.lr = _positive("lr", lr)

    def __call__(self, step: int) -> float:
        return self.lr

    def __repr__(self) -> str:
        return f"ConstantLR({self.lr})"


class LinearDecayLR:
    """Straight line from ``start`` to ``end`` over ``steps`` steps, then ``end``.

    micrograd's demo: ``LinearDecayLR(1.0, 0.1, 100)``, i.e. lr = 1 − 0.9·k/100.
    """

    def __init__(self, start: float, end: float, steps: int) -> None:
        self.start = _positive("start", start)
        self.end = _positive("end", end, zero_ok=True)
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
            raise ValueError(f"steps must be a positive integer, got {steps!r}")
        self.steps = int(steps)

    def __call__(self, step: int) -> float:
        frac = min(step, self.steps) / self.steps
        return self.start + (self.end - self.start) * frac

    def __repr__(self) -> str:
        return f"LinearDecayLR({self.start}, {self.end}, {self.steps})"


class StepLR:
    """lr(step) = lr · gamma^(step // step_size) (PyTorch's StepLR)."""

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1) -> None:
        self.lr = _positive("lr", lr)
        if isinstance(step_size, bool) or not isinstance(step_size, numbers.Integral) or step_size < 1:
            raise ValueError(f"step_size must be a positive integer, got {step_size!r}")
        self.step_size = int(step_size)
        self.gamma = _positive("gamma", gamma)

    def __call__(self, step: int) -> float:
        return self.lr * self.gamma ** (step // self.step_size)

    def __repr__(self) -> str:
        return f"StepLR({self.lr}, step_size={self.step_size}, gamma={self.gamma})"


# --------------------------------------------------------------------------- #
# Optimisers
# --------------------------------------------------------------------------- #
class Optimizer:
    """Base class: the parameter list, the schedule, the step counter, ``zero_grad``."""

    def __init__(self, params: Iterable[Value] | Any, lr: float | Callable[[int], float]) -> None:
        if hasattr(params, "parameters") and callable(params.parameters):
            params = params.parameters()  # a Module
        ps: list[Value] = []
        seen: set[int] = set()
        for i, p in enumerate(params):
            if not isinstance(p, Value):
                raise TypeError(f"{type(self).__name__}: parameter {i} must be a Value, got {type(p).__name__}")
            if id(p) not in seen:
                seen.add(id(p))
                ps.append(p)
        if not ps:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        self.params = ps
        if callable(lr):
            self.schedule: Callable[[int], float] = lr
        else:
            self.schedule = ConstantLR(lr)
        self.steps = 0  # how many updates so far

    @property
    def lr(self) -> float:
        """The learning rate the next ``step()`` will use."""
        return float(self.schedule(self.steps))

    def zero_grad(self) -> None:
        """Set ``p.grad = 0`` for this optimiser's parameters."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        lr = self.lr
        self._update(lr)
        self.steps += 1

    def _update(self, lr: float) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum μ and weight decay λ.

    v = μ·v + (∇p + λ·p);  p ← p − η·v   (μ = 0: plain p ← p − η·∇p).
    """

    def __init__(self, params: Any, lr: float | Callable[[int], float] = 0.01, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = _positive("momentum", momentum, zero_ok=True)
        self.weight_decay = _positive("weight_decay", weight_decay, zero_ok=True)
        self._velocity = [0.0] * len(self.params)

    def _update(self, lr: float) -> None:
        mu, wd, vel = self.momentum, self.weight_decay, self._velocity
        for i, p in enumerate(self.params):
            g = p.grad + wd * p.data if wd else p.grad
            if mu:
                g = vel[i] = mu * vel[i] + g
            p.data -= lr * g

    def __repr__(self) -> str:
        return f"SGD({len(self.params)} parameters, lr={self.schedule!r}, momentum={self.momentum}, weight_decay={self.weight_decay})"


class Adam(Optimizer):
    """Adam (Kingma & Ba) with bias correction, as ``torch.optim.Adam``."""

    def __init__(self, params: Any, lr: float | Callable[[int], float] = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        b1, b2 = betas
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must each lie in [0, 1), got {betas!r}")
        self.betas = (float(b1), float(b2))
        self.eps = _positive("eps", eps, zero_ok=True)
        self.weight_decay = _positive("weight_decay", weight_decay, zero_ok=True)
        self._m = [0.0] * len(self.params)
        self._v = [0.0] * len(self.params)

    def _update(self, lr: float) -> None:
        b1, b2 = self.betas
        t = self.steps + 1
        c1, sc2 = 1.0 - b1 ** t, math.sqrt(1.0 - b2 ** t)
        step = lr / c1
        wd, eps, m, v = self.weight_decay, self.eps, self._m, self._v
        for i, p in enumerate(self.params):
            g = p.grad + wd * p.data if wd else p.grad
            m[i] = b1 * m[i] + (1.0 - b1) * g
            v[i] = b2 * v[i] + (1.0 - b2) * g * g
            # the same operation order as torch.optim.Adam, so the two agree to the last bit or so
            p.data -= step * (m[i] / (math.sqrt(v[i]) / sc2 + eps))

    def __repr__(self) -> str:
        return f"Adam({len(self.params)} parameters, lr={self.schedule!r}, betas={self.betas}, eps={self.eps}, weight_decay={self.weight_decay})"
