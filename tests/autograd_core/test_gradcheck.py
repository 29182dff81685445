"""gradcheck and check_op: tables of analytic vs numeric, and naming the op whose rule is wrong."""

import math

import pytest
from hypothesis import assume, given, settings

from autograd_core import OPS, topological_order, GradcheckError, Value, apply_op, check_op, define_op, gradcheck, undefine_op, user_ops
try:  # the random-graph helpers next to this file (plain or package-style test imports)
    from fn_graphs import inputs, programs, run
except ImportError:  # pragma: no cover
    from .fn_graphs import inputs, programs, run


@pytest.fixture(autouse=True)
def _remove_user_ops():
    before = set(user_ops())
    yield
    for name in set(user_ops()) - before:
        undefine_op(name)


@settings(max_examples=40, deadline=None)
@given(programs(max_steps=8), inputs(1, 3, -2.0, 2.0))
def test_passes_on_random_smooth_graphs(program, xs):
    # stay away from the kinks of relu/abs, where a central difference is not a derivative
    assume(all(abs(x) > 1e-3 for x in xs))
    f = lambda *vs: run(program, vs)  # noqa: E731
    vs = [Value(x) for x in xs]
    out = f(*vs)
    order = topological_order(out)
    # well-conditioned only: central differences cannot follow sin(3e8·x) or a kink at 0
    assume(all(math.isfinite(n.data) and abs(n.data) < 1e3 for n in order))
    assume(not [n for n in order if n.op in ("ReLU", "abs") and abs(n.parents[0].data) < 1e-2])
    assert gradcheck(f, *xs) is True


@pytest.mark.parametrize("name", sorted(n for n in OPS))
def test_every_builtin_op_passes_check_op(name):
    assert check_op(name) is True


def test_wrong_user_rule_is_named_with_a_table():
    define_op("badsq", "a * a", ["a"])  # d(a²)/da is 2a, not a
    f = lambda x, y: apply_op("badsq", x) * y + x.tanh()  # noqa: E731
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, 0.7, Value(1.3, label="y"))
    err = info.value
    msg = str(err)
    assert "suspect op(s): badsq" in msg
    assert [s["op"] for s in err.suspects] == ["badsq"]
    # the per-input table: analytic, numeric, abs err, rel err, for every input
    assert "analytic" in err.table and "numeric" in err.table and "rel err" in err.table
    x_row, y_row = err.rows
    assert x_row.name == "x0" and y_row.name == "y"
    assert not x_row.ok and y_row.ok
    expected_numeric = 2 * 0.7 * 1.3 + (1 - math.tanh(0.7) ** 2)
    assert x_row.numeric == pytest.approx(expected_numeric, rel=1e-7)
    assert x_row.analytic == pytest.approx(0.7 * 1.3 + (1 - math.tanh(0.7) ** 2), rel=1e-14)
    assert x_row.abs_err == pytest.approx(abs(x_row.analytic - x_row.numeric))
    assert "MISMATCH" in msg


def test_mismatch_from_f_itself_names_no_op():
    f = lambda x: x * float(x)  # float() cuts the graph: the analytic gradient misses a term  # noqa: E731
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, 1.5)
    assert info.value.suspects == []
    assert "comes from f itself" in str(info.value)


def test_check_op_reports_wrong_rule_and_value_path():
    op = define_op("twice_wrong", "a + a", ["1.0"])
    with pytest.raises(GradcheckError, match="twice_wrong"):
        check_op(op)
    good = define_op("twice", "a + a", ["2.0"])
    assert check_op(good) is True
    assert check_op("powc")  # the exponent's literal 0.0 declares it constant


def test_check_op_domain_and_errors():
    op = define_op("mylog", "log(a)", ["div(1.0, a)"])
    assert check_op(op)  # negative default points are skipped (nan forward)
    with pytest.raises(ValueError, match="no point where"):
        check_op(op, points=[(-1.0,), (-2.0,)])
    with pytest.raises(ValueError, match="takes 1 input"):
        check_op(op, points=[(1.0, 2.0)])
    with pytest.raises(KeyError, match="no op named"):
        check_op("nope")
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda x: 1.0, 1.0)
    with pytest.raises(ValueError, match="at least one input"):
        gradcheck(lambda: Value(1.0))
