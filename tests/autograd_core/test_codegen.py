"""to_source: readable straight-line code that reproduces .data and .grad exactly; labels never become code."""

import io
import math
import re
import tokenize

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_core.ops import FLOAT_NS
from autograd_core import Value, load_source, to_source, topological_order
from autograd_core.codegen import generate
try:  # the random-graph helpers next to this file (plain or package-style test imports)
    from fn_graphs import inputs, programs, run
except ImportError:  # pragma: no cover
    from .fn_graphs import inputs, programs, run


def same(a, b):
    return a == b or (a != a and b != b)


def check_reproduces(out, xs_leaves):
    out.backward()
    order = topological_order(out)
    src = to_source(out)
    fn = load_source(src)
    leaves = [n for n in order if n.is_leaf]
    values, adjoints = fn([v.data for v in leaves])
    assert len(values) == len(order) == len(adjoints)
    for node, v, d in zip(order, values, adjoints):
        assert same(v, node.data), (node, v)
        assert same(d, node.grad), (node, d)
    return src


def test_neuron_source_reads_like_the_math():
    x1, w1, b = Value(2.0, label="x1"), Value(-3.0, label="w1"), Value(6.88, label="b")
    n = x1 * w1 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    src = check_reproduces(o, [x1, w1, b])
    lines = src.splitlines()
    # one line per node forward, one per edge backward
    assert sum(1 for l in lines if re.match(r"\s+v\d+ = ", l)) == 6
    assert sum(1 for l in lines if re.match(r"\s+d\d+ = ", l)) == 1 + 5
    tanh_line = next(l for l in lines if "# tanh, ∂(tanh(a))/∂a" in l)
    assert "(1.0 - v5 * v5)" in tanh_line and "d('n')" in tanh_line and "1 − out²" in tanh_line
    assert "tanh = _FLOAT_NS['tanh']" in src
    assert any("input" in l and "'x1'" in l for l in lines)


@settings(max_examples=80, deadline=None)
@given(programs(max_steps=10), inputs(1, 4, -3.0, 3.0), st.booleans())
def test_random_graphs_reproduce_data_and_grad_exactly(program, xs, safe):
    vs = [Value(x) for x in xs]
    out = run(program, vs, safe=safe)
    check_reproduces(out, vs)


def test_nan_and_inf_constants_and_results_are_reproduced():
    x = Value(0.0)
    out = (x / 0.0) + (x - 1.0).log() + Value(math.inf) * x + Value(-math.inf) + Value(math.nan) * 0.0
    check_reproduces(out, [x])


HOSTILE = [
    "x'); import os; os.system('echo pwned') #",
    'he said "hi"\nprint("escaped!")',
    "line1\r\nline2\u2028line3\x85\x0c\x00end",
    "# -*- coding: latin-1 -*-",
    "\\",
    "'''", '"""',
    "__import__('sys').exit(3)",
    "v0", "d1", "x", "gradient", "tanh",
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_stay_inside_comments(label):
    a, b = Value(1.5, label=label), Value(-0.5, label=label + "b")
    c = (a * b).tanh()
    c.label = label
    d = c + a
    d.label = label
    src = check_reproduces(d, [a, b])
    assert src.splitlines()[0].startswith("# Forward and reverse sweep")
    assert_labels_only_in_comments(src)


ALLOWED_NAMES = {"def", "return", "from", "import", "as", "x", "gradient", "float", "_FLOAT_NS",
                 "autograd_core", "ops", "FLOAT_NS", "forward_backward"}


def assert_labels_only_in_comments(src):
    """Every token that is not a comment is a generated name, a helper, a number or an operator."""
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.STRING:
            text = eval(tok.string)
            assert text in FLOAT_NS or text.startswith("Values and adjoints of every node"), tok
        elif tok.type == tokenize.NAME:
            assert (tok.string in ALLOWED_NAMES or tok.string in FLOAT_NS
                    or re.fullmatch(r"[vd]\d+", tok.string)), tok
        elif tok.type == tokenize.OP:
            assert tok.string in "= ( ) [ ] , . + - * :".split(), tok
        elif tok.type == tokenize.NUMBER:
            float(tok.string)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=3, max_size=3))
def test_random_text_labels_never_change_the_code(labels):
    a, b = Value(0.7, label=labels[0]), Value(1.3, label=labels[1])
    c = (a / b).sin() * a
    c.label = labels[2]
    src = check_reproduces(c, [a, b])
    assert_labels_only_in_comments(src)
    plain = generate(c, comments=False).source
    # the code part of each line (without comments) is the same as with no labels at all
    a2, b2 = Value(0.7), Value(1.3)
    bare = generate((a2 / b2).sin() * a2, comments=False).source
    assert plain == bare
    assert len(src.splitlines()) == len(to_source((a2 / b2).sin() * a2).splitlines())


def test_explicit_inputs_make_other_leaves_constants():
    x, w = Value(2.0, label="x"), Value(3.0, label="w")
    y = (x * w).tanh()
    fn = load_source(to_source(y, inputs=[w]))
    values, adjoints = fn([0.5])
    order = topological_order(y)
    assert values[order.index(w)] == 0.5 and values[-1] == math.tanh(0.5 * 2.0)
    assert adjoints[order.index(w)] == (1 - math.tanh(1.0) ** 2) * 2.0


def test_bad_arguments():
    x = Value(1.0)
    y = x * 2
    with pytest.raises(TypeError, match="expected a Value"):
        to_source(3.0)
    with pytest.raises(ValueError, match="not a leaf"):
        to_source(y, inputs=[y])
    with pytest.raises(ValueError, match="same Value"):
        to_source(y, inputs=[x, x])
    with pytest.raises(ValueError, match="identifier"):
        to_source(y, name="x; import os")


def test_gradient_seed_argument():
    x = Value(1.2)
    y = x.exp() * x
    fn = load_source(to_source(y))
    _, adj = fn([1.2], gradient=3.0)
    y.backward(3.0)
    assert adj[0] == x.grad
