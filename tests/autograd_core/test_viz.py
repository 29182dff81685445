"""draw_dot: DOT structure, roles, clusters, the node cap, escaping, and both renderers."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET

import graphviz
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_core import Value, draw_dot, render_svg
from autograd_core import viz
from autograd_core.viz import Graph, RenderError, ROLE_COLOURS, escape_record, find_renderer

SVG_NS = "{http://www.w3.org/2000/svg}"
REQUIRE_SYSTEM = os.environ.get("AUTOGRAD_CORE_REQUIRE_SYSTEM_DEPS") == "1"


def node_lines(src: str) -> dict[str, str]:
    """{node id: attribute text} of every node statement of a draw_dot source."""
    out = {}
    for line in src.splitlines():
        m = re.match(r"\s*(\w+) \[(.*)\]$", line)
        if m and "->" not in line and m.group(1) not in ("node", "edge", "graph"):
            out[m.group(1)] = m.group(2)
    return out


def edge_lines(src: str) -> list[tuple[str, str, str]]:
    out = []
    for line in src.splitlines():
        m = re.match(r"\s*(\w+) -> (\w+)(?: \[(.*)\])?$", line)
        if m:
            out.append((m.group(1), m.group(2), m.group(3) or ""))
    return out


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode("utf-8"))
    return ["".join(t.itertext()) for t in root.iter(SVG_NS + "text")]


def svg_node_count(svg: str) -> int:
    root = ET.fromstring(svg.encode("utf-8"))
    return sum(1 for g in root.iter(SVG_NS + "g") if g.get("class") == "node")


def svg_edge_count(svg: str) -> int:
    root = ET.fromstring(svg.encode("utf-8"))
    return sum(1 for g in root.iter(SVG_NS + "g") if g.get("class") == "edge")


def renderers() -> list[str]:
    """Both renderers; the system one is required where the test target installed it."""
    names = ["graphviz-pure"]
    if shutil.which("dot"):
        names.append("dot")
    elif REQUIRE_SYSTEM:
        pytest.fail("system Graphviz `dot` is missing although scripts/ensure-system-deps.sh should have installed it")
    return names


# --------------------------------------------------------------------------- structure
def test_a_plus_a_has_both_edges_in_parent_order():
    a = Value(3.0, label="a")
    s = a + a
    s.label = "s"
    g = draw_dot(s)
    assert isinstance(g, graphviz.Digraph) and isinstance(g, Graph)
    nodes = node_lines(g.source)
    edges = edge_lines(g.source)
    assert len(nodes) == 3  # a, s, the + op
    ida, ids_ = g.node_ids[a], g.node_ids[s]
    op = ids_ + "op"
    assert nodes[op].startswith('label="+"')
    assert [(x, y) for x, y, _ in edges] == [(op, ids_), (ida, op), (ida, op)]


def test_nodes_edges_labels_and_argument_order():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    d = a - b
    d.label = "d"
    o = (d * 2).tanh()
    o.label = "o"
    o.backward()
    g = draw_dot(o, show_local=True)
    nodes, edges = node_lines(g.source), edge_lines(g.source)
    # values: a, b, d, 2, d*2, o; ops: -, *, tanh
    assert len(nodes) == 9
    assert len(edges) == 2 + 2 + 1 + 3  # parent->op edges plus one op->value per op
    ida, idb, idd = g.node_ids[a], g.node_ids[b], g.node_ids[d]
    into_sub = [(x, lab) for x, y, lab in edges if y == idd + "op"]
    assert [x for x, _ in into_sub] == [ida, idb]  # argument order a, b
    assert "∂/∂a = 1" in into_sub[0][1] and "∂/∂b = -1" in into_sub[1][1]
    # each record: label | data | grad, with the gradient from .grad
    assert nodes[ida].startswith('label="{a | data\\ 2 | grad\\ ')
    assert f"grad\\ {a.grad:.4g}" in nodes[ida]
    assert "data\\ 5" in nodes[idd]
    # the local derivative of tanh on its edge is 1 - out^2
    tanh_in = [lab for x, y, lab in edges if y == g.node_ids[o] + "op"][0]
    assert f"{1 - o.data ** 2:.4g}" in tanh_in
    # without show_local: no edge labels; without show_grad: no grad field
    g2 = draw_dot(o, show_grad=False)
    assert "label=" not in "".join(lab for *_, lab in edge_lines(g2.source))
    assert "grad\\ " not in g2.source


def test_rankdir_and_bad_arguments():
    x = Value(1.0, label="x")
    y = x * 2
    assert "rankdir=TB" in draw_dot(y, rankdir="TB").source
    with pytest.raises(ValueError, match="rankdir"):
        draw_dot(y, rankdir="sideways")
    with pytest.raises(TypeError, match="Value"):
        draw_dot(3.0)
    with pytest.raises(ValueError, match="max_nodes"):
        draw_dot(y, max_nodes=0)
    with pytest.raises(TypeError, match="params"):
        draw_dot(y, params=[1.0])


def test_role_colours():
    x, w, b = Value(0.5, label="x"), Value(-1.0, label="w"), Value(0.1, label="b")
    h = x * w + b
    out = (h * 3).tanh()
    g = draw_dot(out, params=[w, b])
    nodes = node_lines(g.source)
    colour = {v: re.search(r'fillcolor="(#\w+)"', nodes[g.node_ids[v]]).group(1)
              for v in (x, w, b, h, out)}
    assert colour[x] == ROLE_COLOURS["input"]
    assert colour[w] == colour[b] == ROLE_COLOURS["parameter"]
    assert colour[h] == ROLE_COLOURS["intermediate"]
    assert colour[out] == ROLE_COLOURS["output"]
    three = [v for v in g.node_ids if v.is_leaf and v.data == 3.0][0]
    assert ROLE_COLOURS["constant"] in nodes[g.node_ids[three]]
    # a predicate works too
    g2 = draw_dot(out, params=lambda v: v.label == "x")
    assert ROLE_COLOURS["parameter"] in node_lines(g2.source)[g2.node_ids[x]]


def tiny_mlp():
    """Two layers of labeled neurons built by hand: L0.N0, L0.N1, L1.N0."""
    xs = [Value(1.0, label="x0"), Value(-2.0, label="x1")]
    params = []

    def neuron(name, inputs):
        ws = [Value(0.1 * (i + 1), label=f"{name}.w{i}") for i in range(len(inputs))]
        b = Value(0.2, label=f"{name}.b")
        params.extend(ws + [b])
        s = b
        for w, x in zip(ws, inputs):
            s = s + w * x
        return s.tanh()

    h = [neuron("L0.N0", xs), neuron("L0.N1", xs)]
    return neuron("L1.N0", h), params


def test_clusters_by_label_prefix_and_collapse():
    out, params = tiny_mlp()
    g = draw_dot(out, cluster="label-prefix", params=params)
    src = g.source
    assert src.count("subgraph cluster_") == 3
    for name in ("L0.N0", "L0.N1", "L1.N0"):
        assert f'label="{name}"' in src
    # the unlabeled intermediates of a neuron fall into its cluster: the cluster of L1.N0
    # holds its 2 weights, bias, 2 products, 2 sums, tanh = 8 values and 5 ops
    blocks = re.findall(r"subgraph cluster_\d+ \{(.*?)\n\t\}", src, re.S)
    sizes = sorted(len(re.findall(r"^\s+v\d+(?:op)? \[", blk, re.M)) for blk in blocks)
    assert sizes == [13, 13, 13]
    # collapsing every neuron: 3 group nodes + 2 inputs
    gc = draw_dot(out, cluster="label-prefix", collapse=True)
    nodes = node_lines(gc.source)
    assert len(nodes) == 5
    assert sum("collapsed, 8 values" in a.replace("\\ ", " ") for a in nodes.values()) == 3
    svg = gc.svg("graphviz-pure")
    assert svg_node_count(svg) == 5
    # collapsing one neuron keeps the others' clusters
    g1 = draw_dot(out, cluster="label-prefix", collapse=["L0.N0"])
    assert g1.source.count("subgraph cluster_") == 2
    with pytest.raises(ValueError, match="no cluster named"):
        draw_dot(out, cluster="label-prefix", collapse=["nope"])
    with pytest.raises(TypeError, match="cluster"):
        draw_dot(out, cluster=42)
    # a callable works: everything of layer 0 in one box
    g2 = draw_dot(out, cluster=lambda v: v.label.split(".")[0] if v.label.startswith("L") else None)
    assert g2.source.count("subgraph cluster_") == 2


def test_node_cap_gives_a_clear_message_not_a_huge_picture():
    x = Value(0.5, label="x")
    y = x
    for _ in range(100):
        y = y * 1.01
    g = draw_dot(y, max_nodes=50)
    assert "more than max_nodes=50" in g.message
    assert len(node_lines(g.source)) == 1
    texts = " ".join(svg_texts(g.svg("graphviz-pure")))
    assert "max_nodes=50" in texts
    assert len(node_lines(draw_dot(y, max_nodes=None).source)) == 1 + 2 * 100 + 100


def test_deep_chain_needs_no_recursion():
    x = Value(0.1, label="x")
    y = x
    for _ in range(20000):
        y = y + 1.0
    src = draw_dot(y, max_nodes=None, show_grad=False).source
    assert src.count("->") == 3 * 20000


# --------------------------------------------------------------------------- escaping
HOSTILE = [
    'quote " here',
    "braces {x} and {",
    "pipe | bar",
    "<angle> <",
    "new\nline",
    "back\\slash \\N \\G \\",
    '"]; evil [label="pwned',
    "}} | {{ <p> ",
    "\\\"",
    "<b>html?</b>",
    "tab\there",
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_render_as_text(label):
    a = Value(1.0, label=label)
    b = Value(2.0, label="b")
    c = a * b
    c.label = label
    g = draw_dot(c, title=label)
    # one node statement per value/op: nothing injected
    assert len(node_lines(g.source)) == 4
    for name in renderers():
        svg = g.svg(name)
        assert svg_node_count(svg) == 4 and svg_edge_count(svg) == 3
        texts = svg_texts(svg)
        shown = label.replace("\t", " ")
        for part in shown.split("\n"):
            # each line of the label is drawn as text (whitespace runs may collapse)
            want = " ".join(part.split())
            assert any(want in " ".join(t.split()) for t in texts), (name, want, texts)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FF), max_size=25))
def test_any_label_keeps_the_dot_valid(label):
    a = Value(1.0, label=label)
    y = a * a
    y.label = label
    g = draw_dot(y)
    assert len(node_lines(g.source)) == 3
    svg = render_svg(g.source, "graphviz-pure")
    assert svg_node_count(svg) == 3 and svg_edge_count(svg) == 3


def test_escape_record_escapes_every_special():
    assert escape_record('a{b}c|d<e>f"g\\h i\nj') == 'a\\{b\\}c\\|d\\<e\\>f\\"g\\\\h\\ i\\nj'


# --------------------------------------------------------------------------- rendering
@pytest.mark.parametrize("name", ["graphviz-pure", "dot"])
def test_both_renderers_draw_records_ops_and_clusters(name, tmp_path):
    if name not in renderers():
        pytest.skip("system Graphviz not installed (run scripts/ensure-system-deps.sh as root)")
    out, params = tiny_mlp()
    out.backward()
    g = draw_dot(out, cluster="label-prefix", params=params, show_local=True)
    svg = g.svg(name)
    assert svg_node_count(svg) == len(node_lines(g.source)) == 2 + 3 * 13
    assert svg_edge_count(svg) == len(edge_lines(g.source))
    root = ET.fromstring(svg.encode())
    clusters = [e for e in root.iter(SVG_NS + "g") if e.get("class") == "cluster"]
    assert len(clusters) == 3
    texts = svg_texts(svg)
    assert "L1.N0.w0" in texts and f"grad {params[0].grad:.4g}" in texts
    p = g.save(tmp_path / "g.svg", renderer=name)
    assert p.read_text().lstrip().startswith("<?xml") or "<svg" in p.read_text()[:400]


def test_renderer_choice_env_and_path(monkeypatch):
    assert find_renderer("graphviz-pure")[0] == "graphviz-pure"
    monkeypatch.setenv("AUTOGRAD_CORE_RENDERER", "none")
    assert find_renderer() is None
    monkeypatch.setenv("AUTOGRAD_CORE_RENDERER", "graphviz-pure")
    assert find_renderer()[0] == "graphviz-pure"
    monkeypatch.delenv("AUTOGRAD_CORE_RENDERER")
    # a kernel whose PATH lacks the venv's bin still finds graphviz-pure next to Python
    monkeypatch.setenv("PATH", "")
    assert find_renderer() == ("graphviz-pure", viz._pure_executable())
    with pytest.raises(ValueError, match="renderer must be"):
        find_renderer("cairo")


def test_no_renderer_shows_dot_text_and_hint_not_a_traceback(monkeypatch):
    from IPython.core.formatters import DisplayFormatter

    x = Value(2.0, label="x<&>")
    y = x * x
    monkeypatch.setenv("AUTOGRAD_CORE_RENDERER", "none")
    g = draw_dot(y)
    with pytest.raises(RenderError, match="graphviz-pure"):
        g.svg()
    data, _ = DisplayFormatter().format(g)
    assert "image/svg+xml" not in data
    assert "pip install graphviz-pure" in data["text/html"]
    assert "digraph autograd" in data["text/html"] and "x\\&lt;&amp;\\&gt;" in data["text/html"]
    # a Value shows its repr and the fallback as well
    vdata, _ = DisplayFormatter().format(y)
    assert "Value(data=4" in vdata["text/html"] and "digraph" in vdata["text/html"]


def test_jupyter_display_with_a_renderer():
    from IPython.core.formatters import DisplayFormatter

    x = Value(2.0, label="x")
    y = (x * 3).exp()
    data, _ = DisplayFormatter().format(draw_dot(y))
    assert data["image/svg+xml"].lstrip().startswith("<?xml") or "<svg" in data["image/svg+xml"]
    vdata, _ = DisplayFormatter().format(y)
    assert "<svg" in vdata["text/html"] and "Value(data=" in vdata["text/html"]
    # a big graph is summarised, not drawn
    z = x
    for _ in range(100):
        z = z + 1
    assert "<svg" not in z._repr_html_() and "graph of 201 values" in z._repr_html_()


def test_a_broken_renderer_is_a_render_error(monkeypatch, tmp_path):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho boom >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(viz, "available_renderers", lambda: {"dot": str(fake)})
    with pytest.raises(RenderError, match="exit 3.*boom"):
        render_svg("digraph { a }")
    assert "boom" in draw_dot(Value(1.0) * 2).html()


def test_a_long_graph_with_a_widely_shared_input_lays_out():
    """One input feeding all 50 levels of a chain: capped network-simplex iterations keep it drawable."""
    x = Value(0.5, label="x")
    z = x
    for _ in range(50):
        z = (z * 1.01 + x).tanh()
    g = draw_dot(z)
    assert "nslimit=2" in g.source
    svg = g.svg("graphviz-pure")
    assert svg_node_count(svg) == len(node_lines(g.source)) == 1 + 50 * 2 * 3 + 50
    assert "nslimit" not in draw_dot(x * 2).source  # small pictures keep the full layout


def test_a_failing_renderer_falls_back_to_the_next(monkeypatch, tmp_path):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(viz, "available_renderers",
                        lambda: {"dot": str(fake), "graphviz-pure": viz._pure_executable()})
    assert svg_node_count(render_svg(draw_dot(Value(1.0, label="one") * 2).source)) == 4
    with pytest.raises(RenderError, match="dot could not draw"):
        render_svg("digraph { a }", "dot")  # asked for by name: no fallback
