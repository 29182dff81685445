"""Every primitive of the op table: forward and local derivatives against
central differences and PyTorch float64, at ordinary points and at each edge
case of DESIGN.md's numerics section."""

from __future__ import annotations

import math
import warnings

import pytest

from autograd_core import OPS, Value, apply_op, get_op

from .oracle import central_difference, same, torch_value_and_grads

# Smooth points inside each op's domain, away from kinks.
POINTS: dict[str, list[tuple[float, ...]]] = {
    "add": [(1.5, -2.25), (0.0, 3.0)],
    "sub": [(1.5, -2.25), (-4.0, 0.5)],
    "mul": [(1.5, -2.25), (0.3, 7.0)],
    "div": [(1.5, -2.25), (-3.0, 0.4)],
    "pow": [(1.7, 2.3), (0.4, -1.5), (2.0, 0.5)],
    "powc": [(1.7, 2.0), (-1.3, 3.0), (0.4, -1.5)],
    "neg": [(1.5,), (-0.2,)],
    "exp": [(0.7,), (-3.0,), (5.0,)],
    "log": [(0.7,), (12.0,)],
    "tanh": [(0.7,), (-2.0,)],
    "sigmoid": [(0.7,), (-4.0,), (9.0,)],
    "relu": [(0.7,), (-4.0,)],
    "sqrt": [(0.7,), (25.0,)],
    "sin": [(0.7,), (-2.0,)],
    "cos": [(0.7,), (-2.0,)],
    "abs": [(0.7,), (-2.0,)],
    "softplus": [(0.7,), (-4.0,), (30.0,), (-30.0,)],
}
CASES = [(name, xs) for name in sorted(OPS) for xs in POINTS[name]]


def test_every_op_has_test_points():
    assert set(POINTS) == set(OPS)


def ours(name: str, xs: tuple[float, ...]) -> tuple[float, list[float]]:
    """Value and gradients from the engine: the op applied to leaves, then backward()."""
    leaves = [Value(x) for x in xs]
    if name == "powc":
        out = leaves[0] ** xs[1]  # a plain number exponent
        leaves = [leaves[0], out.parents[1]]
    else:
        out = apply_op(name, *leaves)
    out.backward()
    return out.data, [v.grad for v in leaves]


def forward_float(name: str) -> callable:
    return get_op(name).forward_float


@pytest.mark.parametrize("name,xs", CASES, ids=[f"{n}{xs}" for n, xs in CASES])
def test_op_matches_torch(name, xs):
    value, grads = ours(name, xs)
    t_value, t_grads = torch_value_and_grads(name, xs)
    assert same(value, t_value), (value, t_value)
    for g, tg in zip(grads, t_grads):
        assert same(g, tg, rel=1e-12), (grads, t_grads)


@pytest.mark.parametrize("name,xs", CASES, ids=[f"{n}{xs}" for n, xs in CASES])
def test_op_matches_central_differences(name, xs):
    _, grads = ours(name, xs)
    f = forward_float(name)
    inputs = range(1) if name == "powc" else range(len(xs))
    for i in inputs:
        numeric = central_difference(f, xs, i)
        assert math.isclose(grads[i], numeric, rel_tol=1e-6, abs_tol=1e-8), (i, grads[i], numeric)


@pytest.mark.parametrize("name", sorted(OPS))
def test_value_method_and_operator_agree_with_apply_op(name):
    """The generated operators compute exactly what the table says."""
    xs = POINTS[name][0]
    a = Value(xs[0])
    via = {
        "add": lambda: a + xs[1], "sub": lambda: a - xs[1], "mul": lambda: a * xs[1],
        "div": lambda: a / xs[1], "pow": lambda: a ** Value(xs[1]), "powc": lambda: a ** xs[1],
        "neg": lambda: -a, "abs": lambda: abs(a),
    }.get(name, lambda: getattr(a, name)())
    out = via()
    assert out.op_info is get_op(name)
    assert out.data == get_op(name).forward_float(*xs)


# The numerics section of DESIGN.md, case by case: (op, inputs, expected value).
EDGES = [
    ("div", (1.0, 0.0), math.inf),
    ("div", (-1.0, 0.0), -math.inf),
    ("div", (1.0, -0.0), -math.inf),
    ("div", (0.0, 0.0), math.nan),
    ("exp", (1000.0,), math.inf),
    ("exp", (-1000.0,), 0.0),
    ("log", (0.0,), -math.inf),
    ("log", (-1.0,), math.nan),
    ("sqrt", (-1.0,), math.nan),
    ("sqrt", (0.0,), 0.0),
    ("powc", (-8.0, 0.5), math.nan),
    ("powc", (0.0, -1.0), math.inf),
    ("powc", (-0.0, -1.0), -math.inf),
    ("powc", (0.0, -2.0), math.inf),
    ("powc", (0.0, 0.0), 1.0),
    ("powc", (10.0, 400.0), math.inf),
    ("powc", (-10.0, 401.0), -math.inf),
    ("powc", (-2.0, 3.0), -8.0),
    ("pow", (0.0, 2.0), 0.0),
    ("pow", (-8.0, 1.0 / 3.0), math.nan),
    ("sigmoid", (1000.0,), 1.0),
    ("sigmoid", (-1000.0,), 0.0),
    ("tanh", (1000.0,), 1.0),
    ("tanh", (-1000.0,), -1.0),
    ("softplus", (1000.0,), 1000.0),
    ("softplus", (-1000.0,), 0.0),
    ("relu", (0.0,), 0.0),
    ("abs", (0.0,), 0.0),
    ("sin", (math.inf,), math.nan),
    ("cos", (math.inf,), math.nan),
    ("log", (math.inf,), math.inf),
    ("exp", (math.nan,), math.nan),
    ("relu", (math.nan,), math.nan),
]


@pytest.mark.parametrize("name,xs,expected", EDGES, ids=[f"{n}{xs}" for n, xs, _ in EDGES])
def test_edge_cases_follow_ieee_and_torch(name, xs, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning either, just the IEEE result
        value, grads = ours(name, xs)
    assert same(value, expected), value
    t_value, t_grads = torch_value_and_grads(name, xs)
    assert same(value, t_value), (value, t_value)
    for g, tg in zip(grads, t_grads):
        assert same(g, tg), (name, xs, grads, t_grads)


def test_kink_gradients_follow_pytorch():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0  # relu'(0) = 0
    y = Value(0.0)
    y.abs().backward()
    assert y.grad == 0.0  # abs'(0) = 0


@pytest.mark.parametrize("expr", [
    lambda x: x / 0, lambda x: 0 / (x - x), lambda x: (x * 1000).exp(), lambda x: (x - x).log(),
    lambda x: (-x).log(), lambda x: (-x).sqrt(), lambda x: (-x - 7) ** 0.5, lambda x: (x - x) ** -1,
    lambda x: 2 ** (x * 2000), lambda x: x ** 5000, lambda x: Value(-8.0) ** (x / 3),
])
def test_no_python_math_exception_forward_or_backward(expr):
    x = Value(1.0)
    out = expr(x)
    out.backward()  # no OverflowError, ValueError or ZeroDivisionError anywhere
    assert isinstance(out.data, float) and isinstance(x.grad, float)


def test_stable_sigmoid_and_softplus_in_the_tails():
    for x in (-745.0, -100.0, -40.0, 40.0, 100.0, 745.0):
        s = Value(x).sigmoid().data
        assert same(s, 1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0, rel=1e-15, abs_tol=1e-300)
    assert Value(-40.0).softplus().data == pytest.approx(math.exp(-40.0), rel=1e-12)
    assert Value(40.0).softplus().data == pytest.approx(40.0, rel=1e-15)
    assert Value(800.0).sigmoid().data == 1.0 and Value(-800.0).softplus().data == 0.0


def test_each_op_rule_reads_as_math():
    assert get_op("mul").rule(0) == "∂(a·b)/∂a = b"
    assert get_op("tanh").rule(0).endswith("1 − out²")
    for op in OPS.values():
        assert op.doc and op.formula and len(op.pretty) == op.arity


def test_pow_rules_keep_higher_derivatives_where_the_exponent_is_zero():
    """f = (1 + x²)^tanh(x) = 1 + x³ + O(x⁵): f'''(0) = 6 needs ∂(a^b)/∂a = b·a^(b−1) to stay
    a graph at b = 0 (a constant 0 there, as PyTorch masks it, would give 2)."""
    from autograd_core import reverse_sweep

    x = Value(0.0)
    f = (1.0 + x * x) ** x.tanh()
    d1 = reverse_sweep(f, create_graph=True)[x]
    d2 = reverse_sweep(d1, create_graph=True)[x]
    d3 = reverse_sweep(d2)[x]
    assert d1.data == 0.0 and d2.data == 0.0 and d3 == pytest.approx(6.0, rel=1e-12)
    # and the first derivative at a = 0, b = 0 is still PyTorch's 0, not 0·inf = nan
    a, b = Value(0.0), Value(0.0)
    g = reverse_sweep(a ** b, create_graph=True)
    assert g[a] == 0.0 or g[a].data == 0.0
