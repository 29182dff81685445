"""Property tests: random expression DAGs against PyTorch float64.

Each example draws 1 to 4 inputs and a program of up to 12 steps. A step
applies an op to earlier nodes (so subexpressions are shared: diamonds) or to
a plain number on either side. The same program runs on Values and on 0-dim
float64 tensors; forward values and every input's gradient must agree to 1e-9.
"""

from __future__ import annotations

import math

import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd_core import Value, topological_order

from .oracle import same

# op name -> (arity, on Values / tensors, on numbers). Where an op has a domain,
# the program feeds it a positive quantity built from primitives (x*x + 0.5).
UNARY = {
    "neg": lambda x: -x,
    "exp": lambda x: x.exp() if isinstance(x, Value) else torch.exp(x),
    "log": lambda x: (x * x + 0.5).log() if isinstance(x, Value) else torch.log(x * x + 0.5),
    "tanh": lambda x: x.tanh() if isinstance(x, Value) else torch.tanh(x),
    "sigmoid": lambda x: x.sigmoid() if isinstance(x, Value) else torch.sigmoid(x),
    "relu": lambda x: x.relu() if isinstance(x, Value) else torch.relu(x),
    "sqrt": lambda x: (x * x + 0.5).sqrt() if isinstance(x, Value) else torch.sqrt(x * x + 0.5),
    "sin": lambda x: x.sin() if isinstance(x, Value) else torch.sin(x),
    "cos": lambda x: x.cos() if isinstance(x, Value) else torch.cos(x),
    "abs": lambda x: abs(x),
    "softplus": lambda x: x.softplus() if isinstance(x, Value) else torch.logaddexp(x, torch.zeros_like(x)),
    "square": lambda x: x ** 2,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 0.5),
    "pow": lambda a, b: (a * a + 0.5) ** b,
}

number = st.floats(-2.0, 2.0, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def programs(draw):
    n_inputs = draw(st.integers(1, 4))
    inputs = [draw(number) for _ in range(n_inputs)]
    steps = []
    for k in range(draw(st.integers(1, 12))):
        pool = n_inputs + k
        if draw(st.booleans()):
            steps.append(("u", draw(st.sampled_from(sorted(UNARY))), draw(st.integers(0, pool - 1))))
        else:
            name = draw(st.sampled_from(sorted(BINARY)))
            side = draw(st.sampled_from(["both", "number_left", "number_right"]))
            i, j = draw(st.integers(0, pool - 1)), draw(st.integers(0, pool - 1))
            steps.append(("b", name, i, j, side, draw(number)))
    # the output combines the last node with a random earlier one: more sharing
    last_mix = draw(st.integers(0, n_inputs + len(steps) - 1))
    return inputs, steps, last_mix


def run(program, leaf):
    inputs, steps, last_mix = program
    nodes = [leaf(x) for x in inputs]
    leaves = list(nodes)
    for step in steps:
        if step[0] == "u":
            _, name, i = step
            nodes.append(UNARY[name](nodes[i]))
        else:
            _, name, i, j, side, c = step
            a, b = nodes[i], nodes[j]
            if side == "number_left":
                a = c
            elif side == "number_right":
                b = c
            nodes.append(BINARY[name](a, b))
    out = nodes[-1] * nodes[last_mix] + nodes[-1]
    return leaves, out


def finite_and_moderate(x: float) -> bool:
    return math.isfinite(x) and abs(x) < 1e12


@settings(max_examples=300, deadline=None)
@given(programs())
def test_random_dags_match_torch(program):
    leaves, out = run(program, Value)
    assume(all(finite_and_moderate(v.data) for v in topological_order(out)))
    out.backward()
    t_leaves, t_out = run(program, lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True))
    t_out.backward()
    assert same(out.data, t_out.item(), rel=1e-9, abs_tol=1e-12)
    for v, t in zip(leaves, t_leaves):
        tg = 0.0 if t.grad is None else t.grad.item()
        assume(finite_and_moderate(tg))
        assert same(v.grad, tg, rel=1e-9, abs_tol=1e-12), (v.grad, tg)


@settings(max_examples=100, deadline=None)
@given(programs())
def test_second_backward_doubles_exactly(program):
    leaves, out = run(program, Value)
    out.backward()
    first = {v: v.grad for v in topological_order(out)}
    out.backward()
    for v, g in first.items():
        assert same(v.grad, 2 * g, rel=0.0), (v.grad, g)
