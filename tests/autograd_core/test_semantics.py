"""The core contract of DESIGN.md: construction, operators, backward semantics, no_grad."""

from __future__ import annotations

import asyncio
import fractions
import math
import threading

import numpy as np
import pytest

from autograd_core import Value, enable_grad, is_grad_enabled, no_grad, reverse_sweep, topological_order, zero_grad


# --------------------------------------------------------------- construction
@pytest.mark.parametrize("data,expected", [
    (2, 2.0), (2.5, 2.5), (True, 1.0), (np.float64(1.25), 1.25), (np.float32(0.5), 0.5),
    (np.int64(7), 7.0), (fractions.Fraction(1, 4), 0.25), (10**400, math.inf), (-(10**400), -math.inf),
])
def test_data_is_any_real_number_stored_as_float(data, expected):
    v = Value(data)
    assert type(v.data) is float and v.data == expected
    assert v.grad == 0.0 and type(v.grad) is float
    assert v.op == "" and v.parents == () and v.label == "" and v.is_leaf


@pytest.mark.parametrize("bad", ["1.0", None, 1 + 2j, [1.0], (1.0,), {}, object()])
def test_non_real_data_raises_type_error_naming_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


def test_label_must_be_a_string():
    assert Value(1.0, label="x").label == "x"
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)


def test_nan_and_inf_are_valid_data():
    assert math.isnan(Value(float("nan")).data)
    assert Value(float("inf")).data == math.inf


# ------------------------------------------------------------------ operators
def test_operators_with_numbers_on_either_side():
    x = Value(3.0)
    cases = [
        (x + 2, 5.0), (2 + x, 5.0), (x - 2, 1.0), (2 - x, -1.0), (x * 2, 6.0), (2 * x, 6.0),
        (x / 2, 1.5), (6 / x, 2.0), (x ** 2, 9.0), (2 ** x, 8.0), (x ** Value(2.0), 9.0), (-x, -3.0),
        (np.float64(2.0) * x, 6.0), (x * np.float64(2.0), 6.0), (abs(Value(-3.0)), 3.0),
    ]
    for out, expected in cases:
        assert isinstance(out, Value) and out.data == expected


def test_numbers_become_constant_leaf_parents_in_argument_order():
    x = Value(3.0)
    y = 2 - x
    assert y.op == "-" and y.parents[1] is x and y.parents[0].is_leaf and y.parents[0].data == 2.0


@pytest.mark.parametrize("bad", ["a", None, [1.0], 1j])
def test_non_number_operand_gives_pythons_type_error(bad):
    x = Value(1.0)
    for op in (lambda: x + bad, lambda: bad + x, lambda: x * bad, lambda: bad * x, lambda: x - bad,
               lambda: x / bad, lambda: bad / x, lambda: x ** bad):
        with pytest.raises(TypeError):
            op()


def test_subtraction_and_division_are_single_nodes():
    a, b = Value(1.0), Value(2.0)
    assert (a - b).op == "-" and (a - b).parents == (a, b)
    assert (a / b).op == "/" and (a / b).parents == (a, b)


def test_equality_and_hash_are_identity():
    a, b = Value(1.0), Value(1.0)
    assert a != b and a == a
    assert len({a, b, a}) == 2
    assert {a: 1}[a] == 1


def test_ordering_compares_data_and_conversions():
    a, b = Value(1.0), Value(2.0)
    assert a < b and b > a and a <= 1.0 and b >= 2
    assert max([a, b]) is b
    assert float(Value(2.5)) == 2.5
    assert f"{Value(2.5):.2f}" == "2.50"


def test_repr_is_readable():
    r = repr((Value(2.0, label="x") * 3))
    assert r.startswith("Value(") and "data=6" in r and "op='*'" in r
    assert "label='w'" in repr(Value(1.0, label="w"))


def test_value_has_slots_not_a_dict():
    with pytest.raises(AttributeError):
        Value(1.0).__dict__  # noqa: B018


# ------------------------------------------------------------------- backward
def test_two_backward_calls_give_exactly_twice_the_gradients_everywhere():
    a, b = Value(1.3), Value(-0.7)
    c = a * b
    d = c + a
    e = d.tanh() * c
    e.backward()
    first = {v: v.grad for v in topological_order(e)}
    e.backward()
    for v, g in first.items():
        assert v.grad == 2 * g, v
    # micrograd's failure mode: a + a where the intermediate is reused
    x = Value(2.0)
    y = x * x
    z = y + y
    z.backward()
    z.backward()
    assert x.grad == 16.0  # d(2x^2)/dx = 4x = 8, twice


def test_intermediate_nodes_receive_their_gradients():
    a, b = Value(2.0), Value(3.0)
    c = a * b
    d = c + 1
    e = d * d
    e.backward()
    assert e.grad == 1.0 and d.grad == 2 * d.data and c.grad == 2 * d.data
    assert a.grad == 2 * d.data * b.data and b.grad == 2 * d.data * a.data


def test_reuse_keeps_both_edges():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    x2 = Value(3.0)
    s = x2 + x2
    assert s.parents == (x2, x2)
    s.backward()
    assert x2.grad == 2.0


def test_unused_inputs_have_zero_gradient():
    x, unused = Value(1.0), Value(5.0)
    (x * 2).backward()
    assert unused.grad == 0.0


def test_backward_from_an_intermediate_node():
    a = Value(2.0)
    b = a * 3
    c = b.tanh()
    b.backward()
    assert a.grad == 3.0 and c.grad == 0.0 and b.grad == 1.0


def test_backward_gradient_argument_scales_everything():
    a = Value(2.0)
    y = a * a
    y.backward(gradient=0.5)
    assert a.grad == 2.0 and y.grad == 0.5


def test_backward_rejects_a_non_number_gradient():
    with pytest.raises(TypeError, match="gradient"):
        Value(1.0).backward("1")


def test_backward_of_a_leaf():
    a = Value(2.0)
    a.backward()
    assert a.grad == 1.0


def test_zero_grad_clears_every_node_reaching_the_output():
    a, b = Value(1.0), Value(2.0)
    c = a * b + a
    c.backward()
    zero_grad(c)
    assert all(v.grad == 0.0 for v in topological_order(c))


def test_reverse_sweep_touches_no_grad_and_returns_every_adjoint():
    a, b = Value(1.5), Value(2.0)
    c = a * b
    adj = reverse_sweep(c)
    assert a.grad == 0.0 and adj[a] == 2.0 and adj[b] == 1.5 and adj[c] == 1.0
    seen = []
    reverse_sweep(c, observer=lambda *step: seen.append(step))
    assert [(s[0], s[1], s[2]) for s in seen] == [(c, 0, a), (c, 1, b)]
    assert seen[0][3:] == (2.0, 1.0, 2.0, 2.0)  # local, upstream, product, running


def test_topological_order_puts_parents_first():
    x = Value(1.0, label="x")
    y = x * 2
    z = y + x
    w = z * y
    order = topological_order(w)
    pos = {v: i for i, v in enumerate(order)}
    for v in order:
        for p in v.parents:
            assert pos[p] < pos[v]
    assert order[-1] is w and len(order) == 5  # x, the constant 2, y, z, w
    with pytest.raises(TypeError):
        topological_order(1.0)


def test_an_error_mid_sweep_leaves_the_graph_usable():
    a = Value(2.0)
    b = a * a
    c = b.tanh()

    class Boom(Exception):
        pass

    def explode(*_):
        raise Boom

    with pytest.raises(Boom):
        reverse_sweep(c, observer=explode)
    c.backward()
    assert a.grad == pytest.approx((1 - c.data ** 2) * 2 * a.data, rel=1e-15)


# --------------------------------------------------------------------- detach
def test_detach_cuts_the_graph():
    a = Value(2.0, label="a")
    b = a * 3
    d = b.detach()
    assert d.is_leaf and d.data == 6.0 and d is not b
    (d * a).backward()
    assert a.grad == 6.0 and b.grad == 0.0


# -------------------------------------------------------------------- no_grad
def test_no_grad_records_no_parents_and_restores():
    a = Value(2.0)
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        b = a * 3 + 1
        with enable_grad():
            c = a * 3
        assert not is_grad_enabled()
    assert is_grad_enabled()
    assert b.is_leaf and b.parents == () and b.op == "" and b.data == 7.0
    assert c.parents[0] is a


def test_no_grad_as_decorator():
    @no_grad()
    def f(x):
        return x * 2

    assert f(Value(1.0)).is_leaf and is_grad_enabled()


def test_no_grad_does_not_leak_across_threads():
    inside = threading.Event()
    release = threading.Event()
    seen = {}

    def worker():
        with no_grad():
            inside.set()
            release.wait(5)
            seen["worker"] = (Value(1.0) * 2).is_leaf

    t = threading.Thread(target=worker)
    t.start()
    assert inside.wait(5)
    seen["main"] = (Value(1.0) * 2).is_leaf  # main thread still records
    release.set()
    t.join(5)
    assert seen == {"worker": True, "main": False}


def test_no_grad_does_not_leak_across_async_tasks():
    async def in_no_grad(started, release):
        with no_grad():
            started.set()
            await release.wait()
            return (Value(1.0) * 2).is_leaf

    async def recording(started, release):
        await started.wait()
        result = (Value(1.0) * 2).is_leaf
        release.set()
        return result

    async def main():
        started, release = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(in_no_grad(started, release), recording(started, release))

    assert asyncio.run(main()) == [True, False]


def test_concurrent_backward_on_shared_parameters_is_exact():
    w = Value(0.5)
    errors = []

    def worker():
        try:
            for _ in range(200):
                x = Value(2.0)
                (w * x * x).tanh().backward()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    one = 4.0 * (1 - math.tanh(0.5 * 4.0) ** 2)
    assert w.grad == pytest.approx(800 * one, rel=1e-12)


def test_generated_kernels_show_their_source_in_tracebacks():
    import traceback

    class Weird:
        pass

    x = Value(1.0)
    try:
        x.tanh().__class__.tanh(Weird())  # a kernel fed a non-Value fails inside its own code
    except AttributeError:
        text = traceback.format_exc()
    assert "<kernel tanh.tanh>" in text and "a = self.data" in text
