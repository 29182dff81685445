"""Graph pictures: ``draw_dot(root)`` and rendering DOT to SVG without surprises.

``draw_dot`` walks the graph once (iteratively, via ``topological_order``) and emits
Graphviz DOT: one record node per Value (label | data | grad), one small node per
op, and an edge from every parent to the op in argument order, so ``a + a`` shows
both edges. Every piece of user text is escaped for DOT, so a label holding quotes,
braces, ``|``, ``<``, ``>``, backslashes or newlines is drawn as text.

Rendering (:func:`render_svg`) uses the first renderer it finds:

1. the system Graphviz ``dot`` on ``PATH``;
2. ``graphviz-pure`` (the pip package ships a dot-compatible executable of that
   name, a Rust port of Graphviz that draws records, HTML labels and clusters);
3. none: pictures display as their DOT text with a one-line hint (never a traceback).

``AUTOGRAD_CORE_RENDERER=dot|graphviz-pure|none`` forces a choice.
"""

from __future__ import annotations

import html
import math
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Union

import graphviz

from .backward import topological_order
from .value import Value

__all__ = [
    "draw_dot",
    "Graph",
    "RenderError",
    "render_svg",
    "find_renderer",
    "available_renderers",
    "escape_record",
    "escape_text",
    "label_prefix",
    "ROLE_COLOURS",
    "RENDER_HINT",
]

#: Fill colour of a value node by its role in the graph.
ROLE_COLOURS: dict[str, str] = {
    "input": "#dbeafe",  # a leaf the caller feeds in (blue)
    "parameter": "#dcfce7",  # a leaf the caller trains (green)
    "constant": "#f3f4f6",  # an unlabeled number used in arithmetic (grey)
    "intermediate": "#ffffff",
    "output": "#fef3c7",  # the root (amber)
}
HIGHLIGHT = "#dc2626"  # current node / edge of a frame (red)

RENDER_HINT = (
    "No Graphviz renderer found: `pip install graphviz-pure` (or install system Graphviz, "
    "e.g. `apt-get install graphviz`) to see the picture; its DOT source is shown instead."
)


# --------------------------------------------------------------------------- #
# Escaping
# --------------------------------------------------------------------------- #
_RECORD_SPECIAL = set('\\{}|<>" ')


def _is_control(ch: str) -> bool:
    """Control characters and Unicode line separators: drawn as a space."""
    return ch < " " or "\x7f" <= ch <= "\x9f" or ch in "\u2028\u2029"


def _escape(text: str, special: str, control: str) -> str:
    out = []
    for ch in str(text):
        if ch in special:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif _is_control(ch):
            out.append(control)
        else:
            out.append(ch)
    return "".join(out)


def escape_record(text: str) -> str:
    """``text`` as one literal field of a DOT record label (inside a quoted string).

    Backslash-escapes the record syntax ``{ } | < >``, spaces, quotes and backslashes;
    a newline becomes a centred line break ``\\n``; other control characters a space.
    """
    return _escape(text, _RECORD_SPECIAL, "\\ ")


def escape_text(text: str) -> str:
    """``text`` for a plain (non-record) DOT label: quotes, backslashes, newlines escaped."""
    return _escape(text, '\\"', " ")


def _lit(escaped: str) -> graphviz.quoting.NoHtml:
    # nohtml: a label that happens to start with '<' and end with '>' must stay a
    # quoted string, never become an HTML-like label
    return graphviz.nohtml(escaped)


# --------------------------------------------------------------------------- #
# Renderers
# --------------------------------------------------------------------------- #
class RenderError(RuntimeError):
    """No renderer could turn the DOT source into SVG (the message says why)."""


def _pure_executable() -> Optional[str]:
    """The ``graphviz-pure`` executable: on PATH or next to this Python (a venv's bin)."""
    found = shutil.which("graphviz-pure")
    if found:
        return found
    exe = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
    for d in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        cand = d / exe
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    return None


def available_renderers() -> dict[str, str]:
    """{name: executable} of every renderer found, in order of preference."""
    found: dict[str, str] = {}
    dot = shutil.which("dot")
    if dot:
        found["dot"] = dot
    pure = _pure_executable()
    if pure:
        found["graphviz-pure"] = pure
    return found


def find_renderer(prefer: Optional[str] = None) -> Optional[tuple[str, str]]:
    """(name, executable) of the renderer to use, or None when there is none.

    ``prefer`` (else ``$AUTOGRAD_CORE_RENDERER``) is 'dot', 'graphviz-pure' or 'none'.
    """
    prefer = prefer or os.environ.get("AUTOGRAD_CORE_RENDERER") or None
    if prefer is not None and prefer not in ("dot", "graphviz-pure", "none"):
        raise ValueError(f"renderer must be 'dot', 'graphviz-pure' or 'none', got {prefer!r}")
    if prefer == "none":
        return None
    found = available_renderers()
    if prefer is not None:
        return (prefer, found[prefer]) if prefer in found else None
    for name, exe in found.items():
        return name, exe
    return None


def render_svg(source: str, renderer: Optional[str] = None, timeout: float = 60.0) -> str:
    """The SVG text of DOT ``source``, drawn by the first renderer found (see module doc).

    When no renderer was asked for and the first one fails, the next one is tried.
    Raises :class:`RenderError` when no renderer is available or every one fails.
    """
    choice = find_renderer(renderer)
    if choice is None:
        wanted = renderer or os.environ.get("AUTOGRAD_CORE_RENDERER")
        if wanted == "none":
            why = "rendering is turned off (renderer 'none')"
        else:
            why = f"renderer {wanted!r} not available" if wanted else "no renderer found"
        raise RenderError(f"{why}. {RENDER_HINT}")
    if renderer or os.environ.get("AUTOGRAD_CORE_RENDERER"):
        candidates = [choice]
    else:
        candidates = list(available_renderers().items())
    errors = []
    for name, exe in candidates:
        try:
            return _run_renderer(name, exe, source, timeout)
        except RenderError as e:
            errors.append(str(e))
    raise RenderError("; ".join(errors))


def _run_renderer(name: str, exe: str, source: str, timeout: float) -> str:
    try:
        proc = subprocess.run(
            [exe, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise RenderError(f"{name} failed to run: {e}") from None
    if proc.returncode != 0 or b"<svg" not in proc.stdout:
        err = proc.stderr.decode("utf-8", "replace").strip()[:500]
        raise RenderError(f"{name} could not draw the graph (exit {proc.returncode}): {err}")
    return proc.stdout.decode("utf-8")


def strip_svg_prolog(svg: str) -> str:
    """The ``<svg>...</svg>`` element alone, for inlining into HTML."""
    i = svg.find("<svg")
    return svg[i:] if i >= 0 else svg


def dot_fallback_html(source: str, reason: str = RENDER_HINT) -> str:
    """HTML shown in place of a picture: the one-line hint, then the DOT text."""
    return (
        f'<div class="agc-no-render"><p><em>{html.escape(reason)}</em></p>'
        f"<pre>{html.escape(source)}</pre></div>"
    )


# --------------------------------------------------------------------------- #
# The picture object
# --------------------------------------------------------------------------- #
class Graph(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders itself with :func:`render_svg`.

    Displays inline in Jupyter (SVG, or the DOT text and a hint when nothing can
    draw it). ``node_ids`` maps each drawn Value to its DOT node name.
    """

    node_ids: dict
    message: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.node_ids = {}
        self.message = ""

    def svg(self, renderer: Optional[str] = None) -> str:
        """The picture as SVG text (raises :class:`RenderError` when it cannot be drawn)."""
        return render_svg(self.source, renderer)

    def html(self, renderer: Optional[str] = None) -> str:
        """Inline HTML: the SVG, or the DOT text with a one-line hint."""
        try:
            return strip_svg_prolog(self.svg(renderer))
        except RenderError as e:
            return dot_fallback_html(self.source, str(e))

    def save(self, path: Union[str, os.PathLike], renderer: Optional[str] = None) -> Path:
        """Write the picture: ``.svg`` renders, ``.dot``/``.gv`` writes the source."""
        path = Path(path)
        if path.suffix.lower() in (".dot", ".gv", ".svg"):
            path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() in (".dot", ".gv"):
            path.write_text(self.source, encoding="utf-8")
        elif path.suffix.lower() == ".svg":
            path.write_text(self.svg(renderer), encoding="utf-8")
        else:
            raise ValueError(f"save: use a .svg, .dot or .gv file name, got {path.name!r}")
        return path

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        try:
            return {"image/svg+xml": self.svg(), "text/plain": f"<Graph: {len(self.node_ids)} values>"}
        except RenderError as e:
            return {
                "text/html": dot_fallback_html(self.source, str(e)),
                "text/plain": f"{e}\n{self.source}",
            }

    def _repr_html_(self) -> str:
        return self.html()


# --------------------------------------------------------------------------- #
# Roles and clusters
# --------------------------------------------------------------------------- #
def label_prefix(value: Value) -> Optional[str]:
    """Cluster key by label: 'L1.N2.w0' -> 'L1.N2'; None for a label without a dot."""
    lab = value.label
    if "." in lab:
        return lab.rsplit(".", 1)[0]
    return None


def _as_membership(params: Any) -> Callable[[Value], bool]:
    if params is None:
        return lambda v: False
    if callable(params):
        return params
    ids = set()
    for p in params:
        if not isinstance(p, Value):
            raise TypeError(f"params must hold Values, got {type(p).__name__}")
        ids.add(p)
    return ids.__contains__


def _role(v: Value, root: Value, is_param: Callable[[Value], bool]) -> str:
    if v is root:
        return "output"
    if not v.is_leaf:
        return "intermediate"
    if is_param(v):
        return "parameter"
    return "input" if v.label else "constant"


def _groups(order: list[Value], cluster: Any) -> dict[Value, str]:
    """Cluster key of each node. A node the key function leaves out (None) joins the
    group of its leaf parents (its weights), else the one group all its grouped parents
    share; so an MLP's unlabeled intermediates fall into their neuron."""
    if cluster is None:
        return {}
    if cluster == "label-prefix":
        key = label_prefix
    elif callable(cluster):
        key = cluster
    else:
        raise TypeError(f"cluster must be None, 'label-prefix' or a callable Value -> str | None, got {cluster!r}")
    group: dict[Value, str] = {}
    for v in order:
        g = key(v)
        if g is None and not v.is_leaf:
            leaf_groups = {group[p] for p in v.parents if p.is_leaf and p in group}
            if len(leaf_groups) == 1:
                g = leaf_groups.pop()
            elif not leaf_groups:
                inner = {group[p] for p in v.parents if p in group}
                if len(inner) == 1:
                    g = inner.pop()
        if g is not None:
            group[v] = str(g)
    return group


def _fmt(x: Any, precision: int) -> str:
    if isinstance(x, Value):
        x = x.data
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    s = f"{x:.{precision}g}"
    return "0" if s == "-0" else s


# --------------------------------------------------------------------------- #
# draw_dot
# --------------------------------------------------------------------------- #
def draw_dot(
    root: Value,
    rankdir: str = "LR",
    show_grad: bool = True,
    show_local: bool = False,
    *,
    params: Any = None,
    cluster: Any = None,
    collapse: Any = (),
    max_nodes: Optional[int] = 400,
    precision: int = 4,
    grads: Optional[Mapping[Value, Any]] = None,
    highlight: Iterable[Value] = (),
    highlight_edges: Iterable[tuple[Value, int]] = (),
    title: str = "",
    names: Optional[Mapping[Value, str]] = None,
) -> Graph:
    """The graph that computes ``root`` as a :class:`Graph` (a ``graphviz.Digraph``).

    One record node per Value ``{label | data | grad}``, one small node per op, and
    an edge parent → op for every argument in order (``a + a`` draws two).

    - ``rankdir``: 'LR' (left to right) or 'TB', 'RL', 'BT'.
    - ``show_grad``: the grad field (``.grad``, or ``grads[v]`` when ``grads`` is
      given; a node missing from ``grads`` shows 'grad ·').
    - ``show_local``: label each edge with the local derivative ∂out/∂input,
      from the op table.
    - ``params``: the Values (or a predicate) drawn with the parameter colour;
      other leaves are inputs (labeled) or constants (unlabeled numbers).
    - ``cluster``: None, ``'label-prefix'`` or a function Value -> group name or
      None; each group is drawn in its own box. ``collapse``: group names (or
      True for every group) drawn as one node each.
    - ``max_nodes``: above this many drawn nodes the picture is one note saying
      so (``None``: no cap).
    - ``highlight`` / ``highlight_edges``: Values and (node, argument index)
      edges drawn in red (the frame-by-frame view uses these).
    - ``names``: display names overriding labels (e.g. ``explain``'s n1, n2, ...).
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_dot expects a Value, got {type(root).__name__}")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be 'LR', 'TB', 'RL' or 'BT', got {rankdir!r}")
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"max_nodes must be a positive int or None, got {max_nodes!r}")

    order = topological_order(root)
    is_param = _as_membership(params)
    group = _groups(order, cluster)
    all_groups = sorted(set(group.values()))
    if collapse is True:
        collapsed = set(all_groups)
    else:
        collapsed = {str(c) for c in collapse}
        unknown = collapsed - set(all_groups)
        if unknown:
            raise ValueError(f"collapse: no cluster named {sorted(unknown)!r}; clusters are {all_groups!r}")

    g = Graph(name="autograd", format="svg")
    g.attr(rankdir=rankdir, fontname="Helvetica", fontsize="12")
    g.attr("node", fontname="Helvetica", fontsize="11")
    g.attr("edge", fontname="Helvetica", fontsize="9", color="#4b5563")
    if title:
        g.attr(label=_lit(escape_text(title)), labelloc="t")

    def shown(v: Value) -> bool:
        return group.get(v) not in collapsed or v not in group

    # drawn-node count before building anything large
    n_drawn = sum(1 if v.is_leaf else 2 for v in order if shown(v)) + len(collapsed)
    if max_nodes is not None and n_drawn > max_nodes:
        g.message = (
            f"This graph has {len(order)} values ({n_drawn} nodes to draw), more than "
            f"max_nodes={max_nodes}: draw a smaller part (e.g. one neuron's output), group it "
            f"with cluster=... and collapse=True, or pass max_nodes=None."
        )
        g.node("too_big", _lit(escape_text(g.message)), shape="note", style="filled", fillcolor="#fee2e2")
        return g

    if n_drawn > 100:
        # dot's network simplex (x coordinates) goes quadratic on long graphs where one input
        # feeds many ranks (a 250-rank chain took minutes); capping its iterations keeps big
        # pictures to about a second with no visible change to the layout
        g.attr(nslimit="2")

    hl = set(highlight)
    hl_edges = set((n, int(k)) for n, k in highlight_edges)
    ids: dict[Value, str] = {}
    for i, v in enumerate(order):
        ids[v] = f"v{i}"
    g.node_ids = {v: ids[v] for v in order if shown(v)}

    # subgraphs per cluster (collapsed ones are a single node in the main graph)
    subs: dict[str, graphviz.Digraph] = {}
    for gi, name in enumerate(all_groups):
        if name in collapsed:
            continue
        sub = graphviz.Digraph(name=f"cluster_{gi}")
        sub.attr(label=_lit(escape_text(name)), style="rounded,dashed", color="#9ca3af", fontsize="10")
        subs[name] = sub
    group_id = {name: f"g{gi}" for gi, name in enumerate(all_groups)}

    def target(v: Value) -> Graph | graphviz.Digraph:
        name = group.get(v)
        return subs[name] if name in subs else g

    # collapsed groups: one node each, showing the group's outputs (members used outside it)
    if collapsed:
        members: dict[str, list[Value]] = {c: [] for c in collapsed}
        used_outside: set[Value] = {root}
        for v in order:
            if group.get(v) in collapsed:
                members[group[v]].append(v)
            for p in v.parents:
                if group.get(p) != group.get(v):
                    used_outside.add(p)
        for name in sorted(collapsed):
            outs = [v for v in members[name] if v in used_outside]
            fields = [escape_record(f"{name} (collapsed, {len(members[name])} values)")]
            for v in outs[:4]:
                txt = f"out {_fmt(v.data, precision)}"
                if show_grad:
                    txt += f"  grad {_grad_text(v, grads, precision)}"
                fields.append(escape_record(txt))
            if len(outs) > 4:
                fields.append(escape_record(f"… {len(outs) - 4} more outputs"))
            g.node(group_id[name], _lit("{" + " | ".join(fields) + "}"), shape="record",
                   style="filled,dashed", fillcolor="#e5e7eb")

    def vid(v: Value) -> str:
        name = group.get(v)
        return group_id[name] if name in collapsed else ids[v]

    # edges are emitted after the clusters, so every node is declared in its cluster first
    edges: list[tuple[str, str, dict]] = []
    drawn_edges: set[tuple[str, str]] = set()
    for v in order:
        in_collapsed = not shown(v)
        if not in_collapsed:
            role = _role(v, root, is_param)
            fields = []
            if role != "constant":  # a constant is just its number
                fields.append(escape_record(names.get(v, v.label) if names is not None else v.label))
            fields.append(escape_record(f"data {_fmt(v.data, precision)}"))
            if show_grad:
                fields.append(escape_record(f"grad {_grad_text(v, grads, precision)}"))
            attrs = {"shape": "record", "style": "filled", "fillcolor": ROLE_COLOURS[role]}
            if v in hl:
                attrs.update(color=HIGHLIGHT, penwidth="3")
            target(v).node(ids[v], _lit("{" + " | ".join(fields) + "}"), **attrs)
        if v.is_leaf:
            continue
        op = v.op_info
        if in_collapsed:
            # edges from outside the group into it
            for p in v.parents:
                if shown(p) or group.get(p) != group.get(v):
                    e = (vid(p), vid(v))
                    if e not in drawn_edges and e[0] != e[1]:
                        drawn_edges.add(e)
                        edges.append((e[0], e[1], {"style": "dashed"}))
            continue
        oid = f"{ids[v]}op"
        target(v).node(oid, _lit(escape_text(op.symbol)), shape="circle" if len(op.symbol) <= 2 else "ellipse",
                       width="0.3", height="0.3", fixedsize="false", margin="0.02", fontsize="10",
                       style="filled", fillcolor="#f9fafb")
        edges.append((oid, ids[v], {}))
        locs: tuple = ()
        if show_local:
            locs = op.local_float(*[p.data for p in v.parents], v.data)
        for k, p in enumerate(v.parents):
            attrs = {}
            if show_local:
                attrs["label"] = _lit(escape_text(f"∂/∂{op.args[k]} = {_fmt(locs[k], precision)}"))
            if (v, k) in hl_edges:
                attrs.update(color=HIGHLIGHT, penwidth="3", fontcolor=HIGHLIGHT)
            edges.append((vid(p), oid, attrs))
    for sub in subs.values():
        g.subgraph(sub)
    for a, b, attrs in edges:
        g.edge(a, b, **attrs)
    return g


def _grad_text(v: Value, grads: Optional[Mapping[Value, Any]], precision: int) -> str:
    if grads is None:
        return _fmt(v.grad, precision)
    if v in grads:
        return _fmt(grads[v], precision)
    return "·"


# --------------------------------------------------------------------------- #
# Value display in Jupyter
# --------------------------------------------------------------------------- #
#: A Value draws its graph inline when the graph has at most this many values.
INLINE_GRAPH_LIMIT = 60


def value_html(v: Value) -> str:
    """Jupyter HTML of a Value: its repr, then its graph picture when the graph is small."""
    head = f"<code>{html.escape(repr(v))}</code>"
    n = len(topological_order(v))
    if n > INLINE_GRAPH_LIMIT:
        return head + f"<br><small>graph of {n} values: draw it with <code>draw_dot(v, cluster=...)</code></small>"
    return head + "<br>" + draw_dot(v).html()
