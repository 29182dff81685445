"""No recursion anywhere (deep graphs), and graphs freed by reference counting alone."""

from __future__ import annotations

import gc
import math
import sys
import weakref

from autograd_core import Value, reverse_sweep, topological_order, zero_grad


def test_million_op_chain_backprops_without_recursion_error():
    assert sys.getrecursionlimit() < 100_000  # the default-ish limit: depth must not matter
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0
    assert len(topological_order(y)) == 2_000_001  # a million ops, a million constants, x
    zero_grad(y)
    assert x.grad == 0.0
    del y
    gc.collect()


def test_sum_of_100k_values_backprops():
    xs = [Value(float(i)) for i in range(100_000)]
    s = sum(xs)
    s.backward()
    assert s.data == sum(range(100_000))
    assert all(v.grad == 1.0 for v in xs)


def test_deep_chain_of_unary_ops():
    x = Value(0.1)
    y = x
    for _ in range(200_000):
        y = y.tanh()
    adj = reverse_sweep(y)
    assert 0.0 < adj[x] <= 1.0 and math.isfinite(adj[x])


def test_dropped_graph_is_freed_by_reference_counting_alone():
    gc.collect()
    gc.disable()
    try:
        x = Value(1.5)
        w = Value(-0.5)
        out = ((x * w + 1).tanh() * x).exp()
        out.backward()
        mid = out.parents[0]
        refs = [weakref.ref(v) for v in topological_order(out) if v is not x and v is not w]
        del mid
        assert all(r() is not None for r in refs)
        del out
        assert all(r() is None for r in refs), "a node outlived its graph without the cycle collector"
        assert x.grad != 0.0  # leaves the user holds are untouched
    finally:
        gc.enable()


def test_a_deep_dropped_graph_is_freed_without_the_cycle_collector():
    gc.collect()
    gc.disable()
    try:
        x = Value(1.0)
        y = x
        for _ in range(100_000):
            y = (y * 1.0001).tanh()
        y.backward()
        tail = weakref.ref(y)
        del y
        assert tail() is None
    finally:
        gc.enable()


def test_nodes_do_not_reference_closures_or_their_children():
    a = Value(1.0)
    b = a * 2
    refs = gc.get_referents(b)
    assert a in refs
    assert not any(callable(r) and not isinstance(r, type) and r is not b.op_info for r in refs)
    assert b not in gc.get_referents(a)
