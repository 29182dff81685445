"""User-defined ops: define_op adds to the op table; backward, higher order, forward mode,
gradcheck, code generation and compile all handle them."""

import math

import numpy as np
import pytest
import torch

from autograd_core import (
    OPS, Op, Value, apply_op, check_op, compile, define_op, get_op, gradcheck, gradients, grad, jvp,
    load_source, reverse_sweep, to_source, topological_order, undefine_op, user_ops, value_and_grad,
)
from autograd_core.ops import FLOAT_NS
from autograd_core.value import VALUE_NS


@pytest.fixture(autouse=True)
def _remove_user_ops():
    before = set(user_ops())
    yield
    for name in set(user_ops()) - before:
        undefine_op(name)


def test_expression_op_in_the_table_with_backward_and_reverse_sweep():
    cube = define_op("cube", "a * a * a", ["3.0 * a * a"], pretty=["3a²"], symbol="³", doc="a cubed")
    assert isinstance(cube, Op) and get_op("cube") is cube and OPS["cube"] is cube
    assert cube.rule(0) == "∂(cube(a))/∂a = 3a²" and cube.symbol == "³"
    x = Value(2.0)
    y = apply_op(cube, x)
    assert y.data == 8.0 and y.op == "³" and y.op_info is cube and y.parents == (x,)
    y.backward()
    assert x.grad == 12.0
    assert reverse_sweep(apply_op("cube", x) * 2.0)[x] == 24.0
    # higher order: the same expression over Values
    (g,) = gradients(apply_op(cube, x), [x], create_graph=True)
    assert gradients(g, [x]) == (12.0,)  # 6a
    assert grad(grad(grad(lambda v: apply_op(cube, v))))(5.0) == 6.0


def test_binary_expression_op_matches_pytorch():
    lae = define_op(
        "logaddexp2", "log(exp(a) + exp(b))",
        ["div(exp(a), exp(a) + exp(b))", "div(exp(b), exp(a) + exp(b))"],
        pretty=["eᵃ/(eᵃ + eᵇ)", "eᵇ/(eᵃ + eᵇ)"])
    xs = (0.3, -1.2)
    vs = [Value(x) for x in xs]
    out = apply_op(lae, vs[0] * vs[1], vs[1].tanh())
    g1 = gradients(out, vs, create_graph=True)
    h = [gradients(g, vs) for g in g1]
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    tout = torch.logaddexp(ts[0] * ts[1], ts[1].tanh())
    tg = torch.autograd.grad(tout, ts, create_graph=True)
    th = [torch.autograd.grad(g, ts, retain_graph=True) for g in tg]
    assert out.data == pytest.approx(tout.item(), rel=1e-14)
    for a, b in zip(g1, tg):
        assert float(a) == pytest.approx(b.item(), rel=1e-12)
    for ra, rb in zip(h, th):
        for a, b in zip(ra, rb):
            assert a == pytest.approx(float(b), rel=1e-9, abs=1e-12)
    assert check_op(lae)


def test_callable_op_per_input_locals_work_on_floats_and_values():
    def fsin(a):
        return a.sin() if isinstance(a, Value) else math.sin(a)

    def dsin(a, out):
        return a.cos() if isinstance(a, Value) else math.cos(a)

    op = define_op("mysin", fsin, [dsin])
    assert "mysin" in FLOAT_NS and "mysin_d0" in VALUE_NS
    x = 0.4
    assert value_and_grad(lambda v: apply_op(op, v))(x) == (math.sin(x), math.cos(x))
    assert grad(grad(lambda v: apply_op(op, v)))(x) == pytest.approx(-math.sin(x), rel=1e-15)
    assert jvp(lambda v: apply_op(op, v), (x,), (2.0,)) == (math.sin(x), 2 * math.cos(x))
    assert gradcheck(lambda v: apply_op(op, v) * v, x)
    assert check_op(op)


def test_single_callable_local_returning_a_tuple():
    hyp = define_op("hyp", lambda a, b: math.hypot(a, b), lambda a, b, out: (a / out, b / out), arity=2,
                    formula="√(a² + b²)")
    x, y = Value(3.0), Value(4.0)
    z = apply_op(hyp, x, y)
    z.backward()
    assert (z.data, x.grad, y.grad) == (5.0, 0.6, 0.8)
    assert check_op(hyp, points=[(3.0, 4.0), (-1.0, 2.0)])


def test_user_ops_in_generated_and_compiled_code_floats_and_numpy():
    define_op("cube", "a * a * a", ["3.0 * a * a"])
    define_op("mysq", lambda a: a * a, [lambda a, out: 2.0 * a])
    define_op("hyp", lambda a, b: math.hypot(a, b), lambda a, b, out: (a / out, b / out), arity=2)
    f = lambda x, y: apply_op("hyp", apply_op("cube", x), apply_op("mysq", y)) + x  # noqa: E731
    x, y = Value(0.7), Value(-1.1)
    out = f(x, y)
    out.backward()
    src = to_source(out)
    assert "cube" in src and "mysq(" in src and "hyp_local(" in src
    values, adjoints = load_source(src)([n.data for n in topological_order(out) if n.is_leaf])
    assert values[-1] == out.data
    assert [adjoints[i] for i, n in enumerate(topological_order(out)) if n in (x, y)] == [
        n.grad for n in topological_order(out) if n in (x, y)]
    cf = compile(f, (0, 1))
    assert cf(0.7, -1.1) == value_and_grad(f, (0, 1))(0.7, -1.1)
    xs, ys = np.array([0.7, 1.5, -0.2]), np.array([-1.1, 0.3, 2.0])
    values, (gx, gy) = cf(xs, ys)
    for k in range(3):
        v, (rx, ry) = value_and_grad(f, (0, 1))(float(xs[k]), float(ys[k]))
        assert values[k] == pytest.approx(v, rel=1e-13)
        assert gx[k] == pytest.approx(rx, rel=1e-13) and gy[k] == pytest.approx(ry, rel=1e-13)


def test_vectorized_callables_run_on_arrays_directly():
    calls = []

    def fwd(a):
        calls.append(type(a).__name__)
        return np.sinh(a) if isinstance(a, np.ndarray) else math.sinh(a)

    define_op("mysinh", fwd, [lambda a, out: np.cosh(a) if isinstance(a, np.ndarray) else math.cosh(a)],
              vectorized=True)
    cf = compile(lambda x: apply_op("mysinh", x))
    values, grads = cf(np.array([0.0, 1.0]))
    assert calls == ["float", "ndarray"]  # once while tracing, once for the whole batch
    assert values[1] == pytest.approx(math.sinh(1.0)) and grads[1] == pytest.approx(math.cosh(1.0))


def test_python_math_errors_become_nan_like_the_builtin_ops():
    define_op("mylog", math.log, [lambda a, out: 1.0 / a])
    y = apply_op("mylog", -1.0)
    assert math.isnan(y.data)


def test_bad_definitions_raise_clear_errors():
    with pytest.raises(ValueError, match="built-in op"):
        define_op("tanh", "a", ["1.0"])
    with pytest.raises(ValueError, match="identifier"):
        define_op("my op", "a", ["1.0"])
    with pytest.raises(ValueError, match="evil"):
        define_op("evil", "os.system('x')", ["1.0"])
    with pytest.raises(ValueError, match="unknown name '__import__'"):
        define_op("evil2", "__import__('os')", ["1.0"])
    with pytest.raises(ValueError, match="unknown name 'q'"):
        define_op("usesq", "a", ["q"])
    with pytest.raises(ValueError, match="not a Python expression"):
        define_op("broken", "a +", ["1.0"])
    with pytest.raises(ValueError, match="may only use"):
        define_op("attr", "a.real", ["1.0"])
    with pytest.raises(ValueError, match="arity 2 but 1"):
        define_op("arity", "a", ["1.0"], arity=2)
    with pytest.raises(TypeError, match="give arity="):
        define_op("noarity", lambda a: a, lambda a, out: (1.0,))
    define_op("once", "a", ["1.0"])
    with pytest.raises(ValueError, match="already in the table"):
        define_op("once", "a", ["1.0"])
    redefined = define_op("once", "2.0 * a", ["2.0"], replace=True)
    assert apply_op("once", 3.0).data == 6.0 and get_op("once") is redefined
    with pytest.raises(KeyError, match="no user-defined op"):
        undefine_op("nothing")
    with pytest.raises(ValueError, match="built-in"):
        undefine_op("add")
    assert "evil" not in OPS and "broken" not in OPS


def test_undefine_removes_op_and_helpers():
    define_op("tmp_op", lambda a: 2.0 * a, [lambda a, out: 2.0])
    assert "tmp_op" in OPS and "tmp_op" in FLOAT_NS and "tmp_op_d0" in VALUE_NS
    undefine_op("tmp_op")
    assert "tmp_op" not in OPS and "tmp_op" not in FLOAT_NS and "tmp_op_d0" not in VALUE_NS
    assert "tmp_op" not in user_ops()


def test_explainer_and_drawing_show_user_ops():
    from autograd_core import draw_dot, explain

    define_op("cube", "a * a * a", ["3.0 * a * a"], pretty=["3a²"], symbol="cube")
    define_op("mysin", math.sin, [lambda a, out: a.cos() if isinstance(a, Value) else math.cos(a)])
    x = Value(2.0, label="x")
    y = apply_op("cube", x) * apply_op("mysin", x)
    y.label = "y"
    text = str(explain(y))
    assert "∂(cube(a))/∂a = 3a²" in text and "∂(mysin(a))/∂a" in text
    y.backward()
    assert f"{x.grad:g}"[:5] in text  # the explainer's total is the gradient
    dot = draw_dot(y).source
    assert "cube" in dot and "mysin" in dot


def test_ternary_op_everywhere():
    op = define_op("fma", "a * b + c", ["b", "a", "1.0"], pretty=["b", "a", "1"])
    f = lambda a, b, c: apply_op(op, a, b, c).tanh()  # noqa: E731
    xs = (0.2, -0.3, 0.1)
    value, grads = value_and_grad(f, (0, 1, 2))(*xs)
    t = math.tanh(0.2 * -0.3 + 0.1)
    assert value == t and grads == pytest.approx(((1 - t * t) * -0.3, (1 - t * t) * 0.2, 1 - t * t), rel=1e-15)
    assert compile(f, (0, 1, 2))(*xs) == (value, grads)
    assert jvp(f, xs, (0.0, 0.0, 1.0))[1] == grads[2]
    assert gradcheck(f, *xs) and check_op(op)
    assert grad(grad(f))(*xs) == pytest.approx(-2 * t * (1 - t * t) * 0.09, rel=1e-12)
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    values, adjoints = load_source(to_source(out))([n.data for n in topological_order(out) if n.is_leaf])
    order = topological_order(out)
    assert values == [n.data for n in order] and adjoints == [n.grad for n in order]
