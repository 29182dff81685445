"""Forward mode: jvp agrees with reverse mode and PyTorch; operation counts for forward vs reverse."""

import math

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd_core import OpCount, Value, compare_modes, forward_gradient, gradients, jvp, reverse_gradient
try:  # the random-graph helpers next to this file (plain or package-style test imports)
    from fn_graphs import inputs, programs, run
except ImportError:  # pragma: no cover
    from .fn_graphs import inputs, programs, run


def close(a, b, rel=1e-12):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def test_jvp_simple():
    out, t = jvp(lambda x, y: x * y + x.sin(), (2.0, 3.0), (1.0, 0.0))
    assert out == 6.0 + math.sin(2.0) and t == 3.0 + math.cos(2.0)
    out, t = jvp(lambda x, y: x * y, (2.0, 3.0), (0.5, -1.0))
    assert t == 0.5 * 3.0 - 1.0 * 2.0


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # torch.func's internal use of torch.jit
@settings(max_examples=60, deadline=None)
@given(programs(max_steps=10), inputs(1, 4), st.lists(st.floats(-2, 2), min_size=4, max_size=4))
def test_jvp_is_the_gradient_dotted_with_the_tangent(program, xs, ts):
    ts = ts[: len(xs)]
    f = lambda *vs: run(program, vs)  # noqa: E731
    out, tangent = jvp(f, xs, ts)
    vs = [Value(x) for x in xs]
    y = f(*vs)
    gs = gradients(y, vs)
    assume(math.isfinite(y.data) and all(math.isfinite(g) for g in gs))
    assert out == y.data
    assert close(tangent, sum(g * t for g, t in zip(gs, ts)), rel=1e-10)
    # and PyTorch's forward-mode AD
    tx = tuple(torch.tensor(x, dtype=torch.float64) for x in xs)
    tt = tuple(torch.tensor(t, dtype=torch.float64) for t in ts)
    _, ref = torch.func.jvp(lambda *a: run(program, a), tx, tt)
    assert close(tangent, float(ref), rel=1e-10)


def test_multiple_outputs_and_constant_outputs():
    outs, tans = jvp(lambda x, y: (x * y, x.exp(), 2.0), (1.0, 2.0), (1.0, 1.0))
    assert outs == [2.0, math.e, 2.0] and tans == [3.0, math.e, 0.0]
    assert jvp(lambda x: 5.0, (1.0,), (1.0,)) == (5.0, 0.0)
    assert jvp(lambda x: x, (Value(4.0),), (2.0,)) == (4.0, 2.0)


def test_constants_carry_no_tangent_so_no_0_times_inf():
    # sqrt(0) has an infinite local derivative; a constant input must not turn it into nan
    out, t = jvp(lambda x: Value(0.0).sqrt() + x, (1.0,), (1.0,))
    assert t == 1.0


def test_errors():
    with pytest.raises(ValueError, match="one tangent per primal"):
        jvp(lambda x: x, (1.0, 2.0), (1.0,))
    with pytest.raises(TypeError, match="primals\\[0\\]"):
        jvp(lambda x: x, ("a",), (1.0,))
    with pytest.raises(TypeError, match="callable"):
        jvp(1, (1.0,), (1.0,))
    with pytest.raises(TypeError, match="must return Values"):
        jvp(lambda x: "s", (1.0,), (1.0,))


def test_counts_forward_needs_n_sweeps_reverse_one():
    n = 6
    f = lambda *xs: sum((x * x for x in xs), start=Value(0.0)).tanh()  # noqa: E731
    xs = [0.1 * (i + 1) for i in range(n)]
    cmp = compare_modes(f, *xs)
    assert cmp.forward.sweeps == n and cmp.reverse.sweeps == 1
    for a, b in zip(cmp.forward_grad, cmp.reverse_grad):
        assert close(a, b, 1e-14)
    # the graph has n squares (2 edges each), n adds (2 edges each) and a tanh (1 edge)
    edges = 2 * n + 2 * n + 1
    assert cmp.reverse.local_derivatives == edges
    # each forward sweep touches only edges that carry a tangent, and sweeps n times
    assert cmp.forward.local_derivatives > cmp.reverse.local_derivatives * (n // 2)
    text = cmp.table()
    assert "forward mode" in text and "reverse mode" in text and str(n) in text


def test_counter_accumulates_and_resets():
    c = OpCount()
    forward_gradient(lambda x, y: x * y, 1.0, 2.0, counter=c)
    assert c.sweeps == 2 and c.multiply_adds == 4  # both edges per sweep: every input carries a tangent
    reverse_gradient(lambda x, y: x * y, 1.0, 2.0, counter=c)
    assert c.sweeps == 3
    c.reset()
    assert (c.sweeps, c.local_derivatives, c.multiply_adds) == (0, 0, 0)
