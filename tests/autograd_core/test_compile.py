"""compile(f): traced once, runs generated code; same values and gradients as the graph; NumPy batches."""

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings

from autograd_core import Value, as_value, compile, topological_order, value_and_grad
try:  # the random-graph helpers next to this file (plain or package-style test imports)
    from fn_graphs import inputs, programs, run
except ImportError:  # pragma: no cover
    from .fn_graphs import inputs, programs, run


def same(a, b):
    return a == b or (a != a and b != b)


def near(a, b, rel=1e-12):
    if a != a or b != b:
        return a != a and b != b
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def test_matches_value_and_grad_and_traces_once():
    f = lambda w, x: (w * x).tanh() + w.relu() * as_value(x).sin() / (x * x + 1)  # noqa: E731
    cf = compile(f, argnums=(0, 1))
    for w, x in [(0.5, 2.0), (-1.0, 0.3), (0.0, -4.0), (2.0, 0.0)]:
        assert cf(w, x) == value_and_grad(f, (0, 1))(w, x)
    assert cf.traces == 1
    assert "def compiled_step(x, gradient=1.0):" in cf.source
    v, g = compile(f)(0.5, 2.0)
    assert isinstance(g, float) and g == value_and_grad(f)(0.5, 2.0)[1]


@settings(max_examples=60, deadline=None)
@given(programs(max_steps=10), inputs(1, 3, -3.0, 3.0), inputs(1, 3, -3.0, 3.0))
def test_random_graphs_same_as_graph_for_new_inputs(program, xs, ys):
    n = len(xs)
    ys = (ys * n)[:n]
    f = lambda *vs: run(program, vs, safe=False)  # noqa: E731
    argnums = tuple(range(n))
    cf = compile(f, argnums)
    for point in (xs, ys):
        value, grads = cf(*point)
        ref_value, ref_grads = value_and_grad(f, argnums)(*point)
        assert same(value, ref_value)
        assert all(same(a, b) for a, b in zip(grads, ref_grads)), (grads, ref_grads)
    assert cf.traces == 1


@settings(max_examples=40, deadline=None)
@given(programs(max_steps=10), inputs(1, 3, -3.0, 3.0))
def test_numpy_batch_matches_per_sample_graph(program, xs):
    n = len(xs)
    f = lambda *vs: run(program, vs, safe=False)  # noqa: E731
    argnums = tuple(range(n))
    rng = np.random.default_rng(len(program))
    batch = [rng.uniform(-3, 3, size=7) for _ in range(n)]
    batch[0][0] = 0.0
    if n > 1:
        batch[1][1] = -batch[0][1]
    cf = compile(f, argnums)
    values, grads = cf(*batch)
    assert values.shape == (7,) and all(g.shape == (7,) for g in grads)
    for k in range(7):
        point = [float(b[k]) for b in batch]
        ref_value, ref_grads = value_and_grad(f, argnums)(*point)
        # NumPy's exp/tanh/pow may differ from libm's by an ulp; sin or cos of a large number
        # amplifies that, so ill-conditioned graphs are compared to a looser tolerance
        largest = max((abs(n.data) for n in topological_order(f(*[Value(x) for x in point]))
                       if math.isfinite(n.data)), default=0.0)
        rel = 1e-12 if largest <= 100.0 else 1e-7
        assert near(float(values[k]), ref_value, rel), (k, values[k], ref_value)
        for g, r in zip(grads, ref_grads):
            assert near(float(g[k]), r, rel), (k, g[k], r)


def test_numpy_ieee_results_without_warnings():
    f = lambda x: x.log() + 1.0 / x + (x ** 0.5) + x.sqrt()  # noqa: E731
    cf = compile(f)
    xs = np.array([-1.0, 0.0, 4.0])
    with np.errstate(all="raise"):  # the call itself must not warn or raise
        values, grads = cf(xs)
    for k, x in enumerate(xs):
        rv, rg = value_and_grad(f)(float(x))
        assert same(float(values[k]), rv) and same(float(grads[k]), rg)


def test_scalars_broadcast_against_a_batch_and_structured_args():
    def loss(params, x, y):
        w1, w2, b = params
        return ((w1 * x + w2 * x * x + b).tanh() - y) ** 2

    cf = compile(loss)
    params = [0.3, -0.2, 0.1]
    xs, ys = np.linspace(-1, 1, 5), np.linspace(0, 1, 5)
    values, (g1, g2, gb) = cf(params, xs, ys)
    assert values.shape == (5,)
    for k in range(5):
        vals = [Value(p) for p in params]
        out = loss(vals, float(xs[k]), float(ys[k]))
        out.backward()
        assert near(float(values[k]), out.data)
        assert near(float(g1[k]), vals[0].grad) and near(float(gb[k]), vals[2].grad)
    # the float path returns the same structure
    v, grads = cf(params, 0.5, 0.2)
    assert isinstance(grads, list) and len(grads) == 3 and all(isinstance(g, float) for g in grads)


def test_new_structure_retraces():
    cf = compile(lambda xs: sum((x * x for x in xs), start=Value(0.0)))
    assert cf([1.0, 2.0]) == (5.0, [2.0, 4.0])
    assert cf([1.0, 2.0, 3.0]) == (14.0, [2.0, 4.0, 6.0])
    assert cf.traces == 2
    cf([5.0, 6.0])
    assert cf.traces == 2


def test_control_flow_is_fixed_by_the_trace_as_documented():
    def f(x):
        return x * x if x > 0 else -x  # Python control flow on a value

    cf = compile(f)
    assert cf(2.0) == (4.0, 4.0)
    assert cf(-3.0) == (9.0, -6.0)  # still the x > 0 branch: the caller's responsibility (as with jax.jit)
    assert value_and_grad(f)(-3.0) == (3.0, -1.0)


def test_relu_kink_is_not_control_flow():
    cf = compile(lambda x: (x * 2.0).relu() + x.abs())
    for x in (-1.0, 0.0, 1.0):
        assert cf(x) == value_and_grad(lambda x: (x * 2.0).relu() + x.abs())(x)


def test_constant_output_and_errors():
    cf = compile(lambda x: 3.0)
    assert cf(1.0) == (3.0, 0.0)
    with pytest.raises(TypeError, match="argument 0 must be a number"):
        compile(lambda x: x)("a")
    with pytest.raises(TypeError, match="callable"):
        compile(5)
    with pytest.raises(TypeError, match="must return a scalar"):
        compile(lambda x: [x])(1.0)


def test_small_mlp_training_step_matches_graph():
    rnd = random.Random(0)
    sizes = [2, 4, 1]
    params = [rnd.uniform(-1, 1) for _ in range(2 * 4 + 4 + 4 + 1)]
    points = [(rnd.uniform(-1, 1), rnd.uniform(-1, 1)) for _ in range(5)]
    targets = [rnd.uniform(-1, 1) for _ in range(5)]

    def loss(ps, xs, ys):
        ps = list(ps)
        total = Value(0.0)
        for (x1, x2), y in zip(xs, ys):
            it = iter(ps)
            hidden = [(next(it) * x1 + next(it) * x2 + next(it)).relu() for _ in range(sizes[1])]
            out = sum((next(it) * h for h in hidden), start=next(it))
            total = total + (out - y) ** 2
        return total * (1.0 / len(xs))

    cf = compile(loss)
    v, g = cf(params, points, targets)
    vals = [Value(p) for p in params]
    out = loss(vals, points, targets)
    out.backward()
    assert v == out.data and g == [p.grad for p in vals]


SPECIAL = [-math.inf, -1e308, -3.0, -2.0, -1.0, -0.7, -0.5, -0.0, 0.0, 1e-320, 0.5, 0.7, 1.0, 2.0, 3.0,
           710.0, -710.0, 1e308, math.inf, math.nan]


@pytest.mark.parametrize("name", sorted(__import__("autograd_core").ops.FLOAT_NS))
def test_numpy_helpers_give_the_float_helpers_ieee_results(name):
    """Every helper over arrays: same nan/inf/zero pattern as the float helper, finite values to an ulp."""
    import inspect
    import itertools

    from autograd_core.codegen import numpy_namespace
    from autograd_core.ops import FLOAT_NS

    f, g = FLOAT_NS[name], numpy_namespace()[name]
    n = len(inspect.signature(f).parameters) if name != "fabs" else 1
    combos = list(itertools.product(SPECIAL, repeat=n))
    cols = [np.array([c[i] for c in combos]) for i in range(n)]
    with np.errstate(all="raise"):
        with np.errstate(all="ignore"):
            got = g(*cols)
    for k, args in enumerate(combos):
        assert near(f(*args), float(got[k])), (name, args, f(*args), float(got[k]))
    # scalar exponents take NumPy shortcuts (x ** 0.5 is a sqrt): still IEEE pow
    if name == "pow":
        with np.errstate(all="ignore"):
            for e in (0.5, 2.0, -1.0, 1.0, 0.0, 3.0, -0.5):
                got = g(np.array(SPECIAL), e)
                for x, v in zip(SPECIAL, got):
                    assert near(f(x, e), float(v)), (x, e, f(x, e), float(v))


def test_compiled_training_example_learns_and_matches_the_graph():
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).resolve().parents[2] / "examples" / "compiled_training.py"
    spec = importlib.util.spec_from_file_location("compiled_training_example", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    _, losses, acc = mod.train(steps=150)
    assert losses[-1] < 0.5 * losses[0] and acc > 0.85
    # one step's batch gradient is the graph's gradient of the mean loss
    x1, x2, y = mod.circles(20)
    params = mod.init_params()
    _, grads = compile(mod.hinge)(params, x1, x2, y)
    vals = [Value(p) for p in params]
    total = sum((mod.hinge(vals, float(a), float(b), float(c)) for a, b, c in zip(x1, x2, y)), Value(0.0))
    (total * (1.0 / 20)).backward()
    assert [float(g.mean()) for g in grads] == pytest.approx([v.grad for v in vals], rel=1e-12, abs=1e-15)


def test_batch_results_never_share_memory_with_each_other_or_the_inputs():
    cf = compile(lambda x, y, z: (x + y) * z + x * 0.0, argnums=(0, 1, 2))
    x, y, z = np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([0.5, 0.25])
    value, (gx, gy, gz) = cf(x, y, z)
    arrays = [value, gx, gy, gz, x, y, z]
    for i, a in enumerate(arrays):
        for b in arrays[i + 1:]:
            assert not np.shares_memory(a, b)
    gx += 1.0
    assert list(gy) == [0.5, 0.25]
    v, g = compile(lambda x: x)(x)
    assert list(v) == [1.0, 2.0] and not np.shares_memory(v, x) and list(g) == [1.0, 1.0]
