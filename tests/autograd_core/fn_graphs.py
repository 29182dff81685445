"""Random computation graphs for the functional/codegen tests: one program, three interpreters.

A program is a list of steps ``(op, i, j)``; step k appends a node computed from
nodes ``i`` and ``j`` (indices taken modulo the nodes so far). The same program
runs on Values, on float64 torch tensors and on anything else with the same
methods, so results can be compared edge for edge. ``safe=True`` keeps every op
inside its smooth domain (for comparisons of derivatives); ``safe=False`` uses
the raw ops, nan and inf included (for exactness tests of generated code).
"""

from __future__ import annotations

from hypothesis import strategies as st

UNARY = ["neg", "exp", "log", "tanh", "sigmoid", "relu", "sqrt", "sin", "cos", "abs", "softplus"]
BINARY = ["add", "sub", "mul", "div", "pow", "powc2", "powc3", "powc_half"]
OPS = UNARY + BINARY


def _u(x, name):
    if name == "softplus" and type(x).__module__.startswith("torch"):
        import torch

        # PyTorch's default threshold=20 switches to the identity above 20, a 2e-9 relative
        # difference from log(1 + e^x) there; at 40 the switch is below float resolution
        return torch.nn.functional.softplus(x, threshold=40.0)
    return getattr(x, name)()


def step(name, a, b, safe):
    """One node: the op ``name`` applied to a (and b), wrapped into its smooth domain when safe."""
    if name == "add":
        return a + b
    if name == "sub":
        return a - b
    if name == "mul":
        return a * b
    if name == "div":
        return a / (1.5 + b * b) if safe else a / b
    if name == "pow":  # Value exponent
        # exponent kept away from 0: PyTorch masks d(a^b)/da where b == 0, which drops terms from
        # its third derivative there (ours is exact, see test_pow_third_derivative_at_zero_exponent)
        return (1.0 + a * a) ** (1.5 + b.tanh()) if safe else a ** b
    if name == "powc2":
        return a ** 2
    if name == "powc3":
        return a ** 3
    if name == "powc_half":
        return (1.0 + a * a) ** 0.5 if safe else a ** 0.5
    if name == "neg":
        return -a
    if name == "exp":
        return _u(a.tanh(), "exp") if safe else _u(a, "exp")
    if name in ("log", "sqrt"):
        return _u(1.0 + a * a, name) if safe else _u(a, name)
    return _u(a, name)


def run(program, xs, safe=True):
    """The output node of ``program`` over inputs ``xs`` (Values or tensors)."""
    nodes = list(xs)
    for name, i, j in program:
        nodes.append(step(name, nodes[i % len(nodes)], nodes[j % len(nodes)], safe))
    out = nodes[-1]
    for extra in nodes[len(xs):-1][-3:]:  # fan-in: later nodes reuse earlier ones
        out = out + extra * 0.5
    return out


def programs(max_steps=8, ops=OPS):
    return st.lists(
        st.tuples(st.sampled_from(ops), st.integers(0, 50), st.integers(0, 50)),
        min_size=1, max_size=max_steps,
    )


def inputs(n_min=1, n_max=3, lo=-2.0, hi=2.0):
    return st.lists(st.floats(lo, hi, allow_nan=False, allow_infinity=False), min_size=n_min, max_size=n_max)
