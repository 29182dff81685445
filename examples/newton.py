"""Newton's method on a scalar function, with derivatives from ``grad``.

Root finding:   x ← x − f(x) / f'(x)
Minimization:   x ← x − f'(x) / f''(x)       (f'' is ``grad(grad(f))``)

Run: ``PYTHONPATH=. python examples/newton.py``
"""

from __future__ import annotations

from typing import Callable

from autograd_core import Value, grad, value_and_grad

Fn = Callable[[Value], Value]


def newton_root(f: Fn, x0: float, tol: float = 1e-14, max_steps: int = 50) -> tuple[float, list[float]]:
    """A root of f near x0; returns (root, the iterates)."""
    step = value_and_grad(f)
    x, xs = float(x0), []
    for _ in range(max_steps):
        fx, dfx = step(x)
        x_new = x - fx / dfx
        xs.append(x_new)
        if abs(x_new - x) <= tol * max(1.0, abs(x)):
            return x_new, xs
        x = x_new
    raise RuntimeError(f"Newton's method did not converge in {max_steps} steps (last x = {x})")


def newton_minimize(f: Fn, x0: float, tol: float = 1e-14, max_steps: int = 50) -> tuple[float, list[float]]:
    """A stationary point of f near x0 (a minimum where f'' > 0): Newton on f'."""
    df = grad(f)
    d2f = grad(df)
    x, xs = float(x0), []
    for _ in range(max_steps):
        x_new = x - df(x) / d2f(x)
        xs.append(x_new)
        if abs(x_new - x) <= tol * max(1.0, abs(x)):
            return x_new, xs
        x = x_new
    raise RuntimeError(f"Newton's method did not converge in {max_steps} steps (last x = {x})")


def main() -> str:
    lines = ["Newton's method for x³ − 2x − 5 = 0 from x = 2:"]
    f = lambda x: x * x * x - 2.0 * x - 5.0  # noqa: E731
    root, xs = newton_root(f, 2.0)
    for k, x in enumerate(xs, 1):
        lines.append(f"  step {k}: x = {x:.17g}   f(x) = {f(Value(x)).data:.3g}")
    lines.append(f"root ≈ {root:.17g}")
    g = lambda x: (x - 1.5) ** 4 + x.exp()  # noqa: E731
    xmin, xs = newton_minimize(g, 0.0)
    lines.append("Newton's method for the minimum of (x − 1.5)⁴ + eˣ from x = 0 (uses f'' = grad(grad(f))):")
    for k, x in enumerate(xs, 1):
        lines.append(f"  step {k}: x = {x:.17g}   f'(x) = {grad(g)(x):.3g}")
    lines.append(f"minimum at x ≈ {xmin:.17g}")
    text = "\n".join(lines)
    print(text)
    return text


if __name__ == "__main__":
    main()
