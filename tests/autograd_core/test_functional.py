"""grad, value_and_grad, gradients, hessian; higher-order derivatives against PyTorch and analytic results."""

import importlib.util
import math
import pathlib

import pytest
import torch
from hypothesis import assume, given, settings

from autograd_core import Value, as_value, grad, gradients, hessian, no_grad, value_and_grad
try:  # the random-graph helpers next to this file (plain or package-style test imports)
    from fn_graphs import inputs, programs, run
except ImportError:  # pragma: no cover
    from .fn_graphs import inputs, programs, run

ROOT = pathlib.Path(__file__).resolve().parents[2]


def close(a, b, rel=1e-9, abs_=1e-12):
    return abs(a - b) <= abs_ + rel * max(abs(a), abs(b))


# --------------------------------------------------------------------------- basics
def test_value_and_grad_single_and_tuple_argnums():
    f = lambda x, y: x * y + as_value(y).sin()  # noqa: E731
    v, g = value_and_grad(f)(2.0, 3.0)
    assert v == 6.0 + math.sin(3.0) and g == 3.0
    v, (gx, gy) = value_and_grad(f, argnums=(0, 1))(2.0, 3.0)
    assert gx == 3.0 and gy == pytest.approx(2.0 + math.cos(3.0), rel=1e-15)
    assert value_and_grad(f, argnums=(1, 0))(2.0, 3.0)[1] == (gy, gx)
    assert grad(f, argnums=-1)(2.0, 3.0) == gy
    assert isinstance(v, float) and isinstance(gx, float)


def test_grad_passes_other_arguments_through_and_kwargs():
    f = lambda x, scale, *, shift: (x * scale + shift) ** 2  # noqa: E731
    assert grad(f)(1.0, 3.0, shift=1.0) == 2 * (3.0 + 1.0) * 3.0


def test_same_value_twice_gives_separate_partials_like_jax():
    x = Value(2.0)
    gx, gy = grad(lambda a, b: a * b * b, argnums=(0, 1))(x, x)
    assert float(gx) == 4.0 and float(gy) == 8.0  # b², 2ab


def test_argument_computed_from_another_is_held_fixed():
    x = Value(3.0)
    y = x * 2.0
    gx = grad(lambda a, b: a * b, argnums=0)(x, y)
    assert float(gx) == 6.0  # ∂(ab)/∂a = b, not d/dx of 2x²


def test_constant_function_and_unused_argument():
    assert grad(lambda x: 5.0)(1.0) == 0.0
    assert grad(lambda x, y: y * 2.0, argnums=(0, 1))(1.0, 4.0) == (0.0, 2.0)


def test_works_inside_no_grad():
    with no_grad():
        assert grad(lambda x: x * x)(3.0) == 6.0


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(TypeError, match="argument 0 must be a real number"):
        grad(lambda x: x)("a")
    with pytest.raises(ValueError, match="out of range"):
        grad(lambda x: x, argnums=2)(1.0)
    with pytest.raises(TypeError, match="argnums"):
        grad(lambda x: x, argnums=1.5)(1.0)
    with pytest.raises(TypeError, match="must return a scalar"):
        grad(lambda x: [x])(1.0)
    with pytest.raises(TypeError, match="callable"):
        grad(3)
    with pytest.raises(TypeError, match="inputs\\[1\\] must be a Value"):
        gradients(Value(1.0) * 2, [Value(1.0), 2.0])
    with pytest.raises(TypeError, match="output must be a Value"):
        gradients(1.0, [Value(1.0)])


def test_gradients_touches_no_grad_and_matches_backward():
    x, y = Value(1.5, label="x"), Value(-0.5, label="y")
    out = (x * y).tanh() + x.exp()
    gx, gy = gradients(out, [x, y])
    assert x.grad == 0.0 and y.grad == 0.0 and out.grad == 0.0
    out.backward()
    assert (gx, gy) == (x.grad, y.grad)
    assert gradients(out, x) == (gx,)
    assert gradients(out, [x, Value(3.0)])[1] == 0.0
    assert gradients(out, [x], grad_outputs=2.0) == (2.0 * gx,)


def test_gradients_create_graph_gives_differentiable_values():
    x = Value(3.0)
    (g,) = gradients(x * x * x, [x], create_graph=True)
    assert isinstance(g, Value) and g.data == 27.0
    assert gradients(g, [x]) == (18.0,)


# --------------------------------------------------------------- analytic higher order
@pytest.mark.parametrize("n", range(1, 7))
def test_nth_derivative_of_sin(n):
    f = lambda x: x.sin()  # noqa: E731
    for _ in range(n):
        f = grad(f)
    for x in (-1.3, 0.0, 0.4, 2.9):
        assert f(x) == pytest.approx(math.sin(x + n * math.pi / 2), abs=1e-14)


def test_tanh_second_and_third_derivative():
    d2 = grad(grad(lambda x: x.tanh()))
    d3 = grad(d2)
    for x in (-2.0, -0.3, 0.0, 0.7, 1.9):
        t = math.tanh(x)
        assert d2(x) == pytest.approx(-2 * t * (1 - t * t), rel=1e-13, abs=1e-15)
        assert d3(x) == pytest.approx(-2 * (1 - t * t) * (1 - 3 * t * t), rel=1e-12, abs=1e-15)


def test_hessian_of_rosenbrock():
    rosen = lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2  # noqa: E731
    for x, y in [(1.0, 1.0), (-1.2, 1.0), (0.3, -0.7)]:
        h = hessian(rosen)(x, y)
        expected = [[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200.0]]
        for row, erow in zip(h, expected):
            for a, b in zip(row, erow):
                assert close(a, b, rel=1e-13)
    assert hessian(rosen, argnums=1)(0.5, 0.5) == [[200.0]]


def test_hessian_of_constant_and_linear_parts():
    assert hessian(lambda x, y: 3.0)(1.0, 2.0) == [[0.0, 0.0], [0.0, 0.0]]
    assert hessian(lambda x, y: x + 2 * y)(1.0, 2.0) == [[0.0, 0.0], [0.0, 0.0]]


def test_closure_over_outer_value_needs_create_graph():
    outer = lambda x: grad(lambda y: x * x * y, create_graph=True)(2.0)  # noqa: E731
    assert grad(outer)(3.0) == 6.0  # d/dx of x² = 2x


def test_mixed_partials_with_nested_grad():
    f = lambda x, y: x.sin() * y * y  # noqa: E731
    dxdy = grad(grad(f, argnums=0), argnums=1)
    assert dxdy(0.5, 3.0) == pytest.approx(math.cos(0.5) * 2 * 3.0, rel=1e-15)


# ------------------------------------------------------------- against PyTorch, random graphs
def _torch_derivatives(program, xs):
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = run(program, ts)
    g1 = torch.autograd.grad(out, ts, create_graph=True, materialize_grads=True)

    def again(g, create):
        if not g.requires_grad:
            return [torch.zeros((), dtype=torch.float64) for _ in ts]
        return list(torch.autograd.grad(g, ts, create_graph=create, retain_graph=True, materialize_grads=True))

    h = [again(g, True) for g in g1]
    t3 = [[[float(v) for v in again(hij, False)] for hij in row] for row in h]
    return float(out.detach()), [float(g.detach()) for g in g1], [[float(v.detach()) for v in row] for row in h], t3


def _our_derivatives(program, xs):
    vs = [Value(x) for x in xs]
    out = run(program, vs)
    g1 = gradients(out, vs, create_graph=True)
    h = [gradients(g, vs, create_graph=True) for g in g1]
    t3 = [[[float(v) for v in gradients(hij, vs)] for hij in row] for row in h]
    return float(out.detach()), [float(g.detach()) for g in g1], [[float(v.detach()) for v in row] for row in h], t3


def _flat(x):
    if isinstance(x, list):
        for v in x:
            yield from _flat(v)
    else:
        yield x


@settings(max_examples=60, deadline=None)
@given(programs(max_steps=7), inputs())
def test_second_and_third_derivatives_match_pytorch(program, xs):
    ours = _our_derivatives(program, xs)
    flat = list(_flat(list(ours)))
    assume(all(math.isfinite(v) and abs(v) < 1e8 for v in flat))
    theirs = _torch_derivatives(program, xs)
    scale = max(1.0, max(abs(v) for v in flat))
    for order, (a, b) in enumerate(zip(ours, theirs)):
        fa, fb = list(_flat(a if isinstance(a, list) else [a])), list(_flat(b if isinstance(b, list) else [b]))
        for u, v in zip(fa, fb):
            # 1e-9 relative; entries that cancel to ~0 are judged against the largest entry
            assert close(u, v, rel=1e-9, abs_=1e-13 * scale), (order, u, v, program, xs)


@settings(max_examples=25, deadline=None)
@given(programs(max_steps=6), inputs(2, 3))
def test_hessian_and_nested_grad_agree_with_gradients(program, xs):
    f = lambda *vs: run(program, [as_value(v) for v in vs])  # noqa: E731
    h = hessian(f)(*xs)
    assume(all(math.isfinite(v) for row in h for v in row))
    _, _, h_ref, _ = _our_derivatives(program, xs)
    assert h == h_ref
    for i in range(len(xs)):
        for j in range(len(xs)):
            nested = grad(grad(f, argnums=i), argnums=j)(*xs)
            assert close(float(nested), h[i][j], rel=1e-12, abs_=1e-12)


# ---------------------------------------------------------------------------- example
def test_newton_example_converges_quadratically():
    spec = importlib.util.spec_from_file_location("newton_example", ROOT / "examples" / "newton.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    root, steps = mod.newton_root(lambda x: x * x * x - 2.0 * x - 5.0, 2.0)
    assert abs(root ** 3 - 2 * root - 5) < 1e-12
    assert len(steps) <= 6
    xmin, steps = mod.newton_minimize(lambda x: (x - 1.5) ** 4 + x.exp(), 0.0)
    assert abs(grad(lambda x: (x - 1.5) ** 4 + x.exp())(xmin)) < 1e-10
    out = mod.main()
    assert "Newton" in out


def test_pow_third_derivative_at_zero_exponent():
    # f = (1 + x²)^tanh(x) = exp(tanh(x)·ln(1 + x²)) = 1 + x³ + O(x⁵), so f'''(0) = 6.
    # (PyTorch 2.x reports 2 here: it masks ∂(a^b)/∂a where b == 0, which cuts the higher-order terms.)
    f = lambda x: (1.0 + x * x) ** x.tanh()  # noqa: E731
    assert grad(grad(grad(f)))(0.0) == pytest.approx(6.0, rel=1e-12)
    assert grad(grad(f))(0.0) == 0.0
