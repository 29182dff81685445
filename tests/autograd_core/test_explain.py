"""explain(): the recorded reverse sweep, its renderings, and totals equal to .grad."""

from __future__ import annotations

import math
import re

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_core import Value, explain, reverse_sweep, topological_order
from autograd_core.explain import Explanation, node_names


def sig(t: float) -> float:
    return 1.0 / (1.0 + math.exp(-t))


def num(x: float) -> str:
    s = f"{x:.6g}"
    return "0" if s == "-0" else s


X, Y, W1, W2 = 1.5, 0.5, 0.8, -1.2


def wikipedia_example():
    """The seeds' network g(x) = f²(W² f¹(W¹ x)) with f = σ and cost C = ½ (a² − y)²."""
    x, y = Value(X, label="x"), Value(Y, label="y")
    w1, w2 = Value(W1, label="W¹"), Value(W2, label="W²")
    z1 = w1 * x; z1.label = "z¹"
    a1 = z1.sigmoid(); a1.label = "a¹"
    z2 = w2 * a1; z2.label = "z²"
    a2 = z2.sigmoid(); a2.label = "a²"
    e = a2 - y; e.label = "e"
    e2 = e ** 2; e2.label = "e²"
    c = 0.5 * e2; c.label = "C"
    return c, dict(x=x, y=y, w1=w1, w2=w2)


def cells(line: str) -> list[str]:
    return [c for c in re.split(r"\s{2,}", line.strip())]


def test_wikipedia_example_text_line_by_line():
    c, v = wikipedia_example()
    ex = explain(c, inputs=[v["x"], v["w1"], v["w2"], v["y"]])
    # the same numbers computed by hand, independently of the engine
    z1 = W1 * X; a1 = sig(z1); z2 = W2 * a1; a2 = sig(z2); e = a2 - Y; C = 0.5 * e * e
    d_e = 0.5 * 2 * e                 # ∂C/∂e
    d_a2 = d_e                        # e = a² − y
    d_z2 = d_a2 * a2 * (1 - a2)       # δ² = ∂C/∂z²
    d_a1 = d_z2 * W2
    d_z1 = d_a1 * a1 * (1 - a1)       # δ¹
    expected = [
        [f"Reverse sweep from C = {num(C)}, seed ∂C/∂C = 1"],
        ["each step: adjoint[parent] += adjoint[node] · local, local = ∂node/∂parent"],
        ["#", "node → parent", "local rule", "local", "upstream", "product", "adjoint of parent"],
        ["1", "C → 0.5", "∂(a·b)/∂a = b", num(e * e), "1", num(e * e), num(e * e)],
        ["2", "C → e²", "∂(a·b)/∂b = a", "0.5", "1", "0.5", "0.5"],
        ["3", "e² → e", "∂(a^b)/∂a = b·a^(b−1)", num(2 * e), "0.5", num(d_e), num(d_e)],
        ["4", "e² → 2", "∂(a^b)/∂b = 0 (b is a plain number: a constant)", "0", "0.5", "0", "0"],
        ["5", "e → a²", "∂(a − b)/∂a = 1", "1", num(d_e), num(d_a2), num(d_a2)],
        ["6", "e → y", "∂(a − b)/∂b = −1", "-1", num(d_e), num(-d_e), num(-d_e)],
        ["7", "a² → z²", "∂(σ(a))/∂a = σ(a)(1 − σ(a)) = out·(1 − out)", num(a2 * (1 - a2)), num(d_a2),
         num(d_z2), num(d_z2)],
        ["8", "z² → W²", "∂(a·b)/∂a = b", num(a1), num(d_z2), num(d_z2 * a1), num(d_z2 * a1)],
        ["9", "z² → a¹", "∂(a·b)/∂b = a", num(W2), num(d_z2), num(d_a1), num(d_a1)],
        ["10", "a¹ → z¹", "∂(σ(a))/∂a = σ(a)(1 − σ(a)) = out·(1 − out)", num(a1 * (1 - a1)), num(d_a1),
         num(d_z1), num(d_z1)],
        ["11", "z¹ → W¹", "∂(a·b)/∂a = b", num(X), num(d_z1), num(d_z1 * X), num(d_z1 * X)],
        ["12", "z¹ → x", "∂(a·b)/∂b = a", num(W1), num(d_z1), num(d_z1 * W1), num(d_z1 * W1)],
        ["total gradients (equal to .grad after C.backward()):"],
        [f"∂C/∂x = {num(d_z1 * W1)}"],
        [f"∂C/∂W¹ = {num(d_z1 * X)}"],
        [f"∂C/∂W² = {num(d_z2 * a1)}"],
        [f"∂C/∂y = {num(-d_e)}"],
    ]
    lines = ex.to_text().splitlines()
    assert len(lines) == len(expected)
    for i, (line, want) in enumerate(zip(lines, expected)):
        got = cells(line) if len(want) > 1 else [" ".join(line.split())]
        assert got == want, f"line {i + 1}: {line!r}"
    assert str(ex) == ex.to_text()
    assert c.explain(inputs=[v["x"], v["w1"], v["w2"], v["y"]]).to_text() == ex.to_text()


def test_wikipedia_example_gradients_match_backward_torch_and_central_differences():
    c, v = wikipedia_example()
    ex = explain(c)
    c.backward()
    for leaf in v.values():
        assert ex.totals[leaf] == leaf.grad
    # PyTorch float64
    t = {k: torch.tensor(float(val), dtype=torch.float64, requires_grad=True)
         for k, val in dict(x=X, y=Y, w1=W1, w2=W2).items()}
    a2 = torch.sigmoid(t["w2"] * torch.sigmoid(t["w1"] * t["x"]))
    tc = 0.5 * (a2 - t["y"]) ** 2
    tc.backward()
    for k in t:
        assert ex.totals[v[k]] == pytest.approx(t[k].grad.item(), rel=1e-12, abs=1e-15)

    # central differences
    def cost(**kw):
        p = {**dict(x=X, y=Y, w1=W1, w2=W2), **kw}
        return 0.5 * (sig(p["w2"] * sig(p["w1"] * p["x"])) - p["y"]) ** 2

    h = 1e-6
    for k in ("x", "y", "w1", "w2"):
        base = dict(x=X, y=Y, w1=W1, w2=W2)[k]
        fd = (cost(**{k: base + h}) - cost(**{k: base - h})) / (2 * h)
        assert ex.totals[v[k]] == pytest.approx(fd, rel=1e-6, abs=1e-9)


def test_fan_out_running_sum():
    a = Value(3.0, label="a")
    f = a * a + a
    f.label = "f"
    ex = explain(f)
    into_a = [s for s in ex.steps if s.parent is a]
    assert [s.product for s in into_a] == [1.0, 3.0, 3.0]
    assert [s.previous for s in into_a] == [None, 1.0, 4.0]
    assert [s.running for s in into_a] == [1.0, 4.0, 7.0]
    assert [s.fan_in for s in into_a] == [False, True, True]
    text = ex.to_text()
    assert "1 + 3 = 4" in text and "4 + 3 = 7" in text
    assert text.splitlines()[-1].split() == ["∂f/∂a", "=", "1", "+", "3", "+", "3", "=", "7"]
    assert ex.contributions(a) == [1.0, 3.0, 3.0]


def test_steps_are_every_edge_in_reverse_topological_order():
    x, w = Value(0.3, label="x"), Value(-2.0, label="w")
    h = (x * w).tanh()
    out = h * h + x.exp() / w
    ex = explain(out, gradient=2.0)
    order = topological_order(out)
    assert len(ex) == sum(len(v.parents) for v in order)
    pos = {v: i for i, v in enumerate(order)}
    nodes = [s.node for s in ex]
    assert all(pos[a] >= pos[b] for a, b in zip(nodes, nodes[1:]))
    assert ex.seed == 2.0 and ex.adjoints == reverse_sweep(out, 2.0)
    for s in ex:
        assert s.rule == s.op.rule(s.index)
        assert s.local == s.op.local_float(*[p.data for p in s.node.parents], s.node.data)[s.index]
        assert s.product == s.upstream * s.local
        assert s.op.doc in s.words and s.op.args[s.index] in s.words


def test_explain_touches_no_grad_and_default_inputs():
    x = Value(2.0, label="x")
    y = x * 3 + 1
    ex = explain(y)
    assert x.grad == 0.0 and y.grad == 0.0
    assert ex.inputs == [x]  # the constants 3 and 1 are unlabeled: left out
    z = Value(1.0) * Value(2.0)
    assert len(explain(z).inputs) == 2  # nothing labeled: every leaf
    leaf = Value(5.0, label="v")
    lex = explain(leaf)
    assert lex.steps == [] and lex.totals == {leaf: 1.0} and "no steps" in lex.to_text()


def test_bad_input():
    with pytest.raises(TypeError, match="Value"):
        explain(2.0)
    with pytest.raises(ValueError, match="not part of the graph"):
        explain(Value(1.0) * 2, inputs=[Value(3.0)])
    with pytest.raises(TypeError):
        explain(Value(1.0) * 2, gradient="one")


def test_html_and_markdown():
    a = Value(2.0, label="<script>alert(1)</script>")
    b = Value(-1.0, label="b|c")
    out = (a * b).tanh()
    ex = explain(out)
    h = ex._repr_html_()
    assert "<script>" not in h and "&lt;script&gt;" in h
    assert h.count("<tr") == len(ex) + 1
    assert "1 − tanh²(a) = 1 − out²" in h
    md = ex.to_markdown()
    assert r"\frac{\partial}{\partial a}\left(\tanh a\right) = 1 - \tanh^2 a" in md
    assert r"\frac{\partial}{\partial b}\left(a \cdot b\right) = a" in md
    assert "b\\|c" in md  # a pipe in a name does not break the table
    assert "\\<script\\>" in md and "<script>" not in md  # names are text, never markup
    ab = explain(abs(Value(-2.0, label="u")))
    assert r"$\frac{\partial}{\partial a}\left(\|a\|\right) = \operatorname{sign}(a)$" in ab.to_markdown()
    rows = [l for l in md.splitlines() if l.startswith("| ") and l[2].isdigit()]
    assert len(rows) == len(ex)
    bundle = ex._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/markdown", "text/plain"}


def test_node_names_number_intermediates_forward():
    x = Value(1.0, label="x")
    y = (x + 2) * x
    names = node_names(y)
    assert names[x] == "x"
    assert sorted(n for v, n in names.items() if not v.is_leaf) == ["n1", "n2"]
    assert names[y] == "n2"
    assert node_names(y, {y: "y"})[y] == "y"


# --------------------------------------------------------------------------- random graphs
UNARY = ["tanh", "sigmoid", "sin", "cos", "exp_small", "relu", "neg"]
BINARY = ["add", "sub", "mul"]


@st.composite
def random_graph(draw):
    n_leaves = draw(st.integers(1, 4))
    vals = [Value(draw(st.floats(-2, 2, allow_nan=False)), label=f"x{i}") for i in range(n_leaves)]
    nodes = list(vals)
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.booleans()):
            a = draw(st.sampled_from(nodes))
            op = draw(st.sampled_from(UNARY))
            v = {"tanh": a.tanh, "sigmoid": a.sigmoid, "sin": a.sin, "cos": a.cos,
                 "exp_small": lambda: (a * 0.3).exp(), "relu": a.relu, "neg": lambda: -a}[op]()
        else:
            a, b = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
            v = {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b}[draw(st.sampled_from(BINARY))]()
        nodes.append(v)
    return nodes[-1], vals


@settings(max_examples=60, deadline=None)
@given(random_graph(), st.floats(-3, 3, allow_nan=False))
def test_totals_equal_grad_on_random_graphs(graph, seed):
    root, leaves = graph
    ex = explain(root, seed)
    root.backward(seed)
    for v in topological_order(root):
        assert ex.adjoints.get(v, 0.0) == v.grad
    for leaf in ex.inputs:
        assert ex.totals[leaf] == leaf.grad
    # each adjoint is the sum of the products recorded into it
    for v in topological_order(root):
        if v is not root:
            assert math.fsum(ex.contributions(v)) == pytest.approx(v.grad, rel=1e-12, abs=1e-12)
