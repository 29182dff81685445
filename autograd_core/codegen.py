"""Readable code: a recorded graph as straight-line Python.

``to_source(root)`` writes the forward computation and the reverse sweep of the
graph that ends at ``root`` as one function, one line per node and one line per
edge, e.g.::

    v4 = tanh(v3)  # tanh → 'o'
    ...
    d3 = d4 * (1.0 - v4 * v4)  # tanh, ∂(tanh(a))/∂a = 1 − tanh²(a) = 1 − out²: d('n') += d('o') · (1 − out²)

Every expression is the op table's own ``forward`` or ``local`` string with the
generated names put in for ``a``, ``b`` and ``out``; the helpers (``div``,
``tanh``, ``step`` ...) are the IEEE-safe floats of :data:`ops.FLOAT_NS`. The lines
run in the same order as :func:`reverse_sweep` with the same accumulation
(``d = d + upstream · local``), so executing the code reproduces ``.data`` and
``.grad`` exactly, bit for bit.

Labels never become code: identifiers are generated (``x``, ``gradient``, ``vN``
for values, ``dN`` for adjoints, and the helper names), and a label appears only
inside a comment, quoted with ``repr`` and stripped of anything that could end
the line. The first two lines are fixed text (no label can plant an encoding
declaration there).

The same generator, with a NumPy namespace for the helpers
(:func:`numpy_namespace`), gives the batched path of :func:`compiled.compile`.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import math
import re
from typing import Any, Callable, Iterable, Mapping, Sequence

from . import ops as _ops
from .backward import topological_order
from .ops import Op
from .value import Value

__all__ = ["to_source", "load_source", "numpy_namespace", "float_namespace", "Program", "generate"]

_GENERATED = re.compile(r"^[vd]\d+$")
_RESERVED = {"x", "gradient", "float", "_FLOAT_NS"}


# --------------------------------------------------------------------------- #
# Safe text
# --------------------------------------------------------------------------- #
def _one_line(text: str) -> str:
    """``text`` with every character that could end or disturb a source line escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _quote(label: str) -> str:
    """A label as it may appear in a comment: repr-quoted, on one line."""
    return _one_line(repr(label))


# --------------------------------------------------------------------------- #
# Expression templates: the op table's strings with placeholders for the names
# --------------------------------------------------------------------------- #
_TEMPLATES: dict[tuple[int, str], tuple[str, frozenset[str]]] = {}  # (arity, expression) -> template


def _template(op: Op, expr: str) -> tuple[str, frozenset[str]]:
    """(format string over {0} {1} ... {arity} for a, b, ..., out; helper names used)."""
    key = (op.arity, expr)
    hit = _TEMPLATES.get(key)
    if hit is not None:
        return hit
    names = list(op.args) + ["out"]
    sentinels = {n: f"_ARG{i}_SENTINEL_" for i, n in enumerate(names)}
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as e:
        raise ValueError(f"op {op.name!r}: cannot parse expression {expr!r}: {e.msg}") from None
    helpers = set()

    class _Sub(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id in sentinels:
                return ast.copy_location(ast.Name(sentinels[node.id], ast.Load()), node)
            helpers.add(node.id)
            return node

    text = ast.unparse(_Sub().visit(tree)).replace("{", "{{").replace("}", "}}")
    for i, n in enumerate(names):
        text = text.replace(sentinels[n], "{%d}" % i)
    result = (text, frozenset(helpers))
    _TEMPLATES[key] = result
    return result


def _literal(x: float) -> str:
    if math.isfinite(x):
        return repr(x)
    if x != x:
        return "float('nan')"
    return "float('inf')" if x > 0 else "-float('inf')"


# --------------------------------------------------------------------------- #
# The generator
# --------------------------------------------------------------------------- #
class Program:
    """Generated straight-line code for one recorded graph.

    ``source``: the text of a function ``name(x, gradient=1.0)`` where ``x`` is a
    sequence of the input values. ``helpers``: the helper names the code uses.
    ``all_nodes``: whether it returns every node's value and adjoint (``to_source``)
    or only the output's value and the adjoints of ``wanted`` inputs (``compile``).
    """

    __slots__ = ("source", "helpers", "name", "n_nodes", "n_inputs", "all_nodes")

    def __init__(self, source: str, helpers: frozenset[str], name: str, n_nodes: int,
                 n_inputs: int, all_nodes: bool) -> None:
        self.source = source
        self.helpers = helpers
        self.name = name
        self.n_nodes = n_nodes
        self.n_inputs = n_inputs
        self.all_nodes = all_nodes

    def function(self, namespace: Mapping[str, Any]) -> Callable[..., Any]:
        """Compile the function body over ``namespace`` (helper name -> function)."""
        missing = sorted(h for h in self.helpers if h not in namespace)
        if missing:
            raise KeyError(f"the namespace gives no meaning to helper(s) {', '.join(missing)}")
        glb: dict[str, Any] = {h: namespace[h] for h in self.helpers}
        code = builtins.compile(self.source, f"<autograd_core generated {self.name}>", "exec")
        exec(code, glb)
        return glb[self.name]


def generate(
    root: Value,
    inputs: Sequence[Value] | None = None,
    *,
    wanted: Iterable[Value] | None = None,
    name: str = "forward_backward",
    all_nodes: bool = True,
    comments: bool = True,
) -> Program:
    """Generate the function for the graph of ``root`` (see :class:`Program`).

    ``inputs``: the leaves that become ``x[0]``, ``x[1]``, ... (default: every leaf, in
    topological order); other leaves are written in as constants. With
    ``all_nodes=False`` only edges that lead to a ``wanted`` input are swept (the rest
    of the reverse sweep is dead code for the caller) and the function returns
    ``(output value, (adjoint of each wanted input))``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value, got {type(root).__name__}")
    if not name.isidentifier() or keyword.iskeyword(name) or _GENERATED.match(name) or name in _RESERVED:
        raise ValueError(f"function name must be a plain identifier, got {name!r}")
    order = topological_order(root)
    index = {node: i for i, node in enumerate(order)}
    if inputs is None:
        inputs = [n for n in order if n.is_leaf]
    inputs = list(inputs)
    input_pos: dict[Value, int] = {}
    for k, v in enumerate(inputs):
        if not isinstance(v, Value):
            raise TypeError(f"inputs[{k}] must be a Value, got {type(v).__name__}")
        if v in input_pos:
            raise ValueError(f"inputs[{k}] is the same Value as inputs[{input_pos[v]}]; pass each input once")
        if v in index and not v.is_leaf:
            raise ValueError(f"inputs[{k}] is not a leaf of the graph (it was made by {v.op_info.name!r})")
        input_pos[v] = k
    wanted_list = list(inputs) if wanted is None else list(wanted)
    for w in wanted_list:
        if w not in input_pos:
            raise ValueError("every wanted Value must be one of the inputs")

    # which nodes need an adjoint: all of them, or those that depend on a wanted input
    if all_nodes:
        needs = None
    else:
        needs = set(w for w in wanted_list if w in index)
        for node in order:
            if node not in needs and any(p in needs for p in node.parents):
                needs.add(node)

    helpers: set[str] = set()
    body: list[str] = []
    emit = body.append

    def tag(node: Value) -> str:
        return _quote(node.label) if node.label else f"v{index[node]}"

    def note(text: str) -> str:
        return f"  # {_one_line(text)}" if comments else ""

    emit(f"    # forward: one line per node, inputs first ({len(order)} nodes)")
    for i, node in enumerate(order):
        op = node.op_info
        if op is None:
            k = input_pos.get(node)
            if k is not None:
                lab = f": {_quote(node.label)}" if node.label else ""
                emit(f"    v{i} = x[{k}]" + note(f"input {k}{lab}"))
            else:
                lab = f" {_quote(node.label)}" if node.label else ""
                emit(f"    v{i} = {_literal(node.data)}" + note(f"constant{lab}"))
            continue
        tpl, used = _template(op, op.forward)
        helpers |= used
        args = [f"v{index[p]}" for p in node.parents] + [f"v{i}"]
        lab = f" → {_quote(node.label)}" if node.label else ""
        emit(f"    v{i} = {tpl.format(*args)}" + note(f"{op.name}{lab}"))

    emit("    # reverse sweep: dN = ∂output/∂vN · gradient, in reverse topological order")
    root_i = index[root]
    emit(f"    d{root_i} = gradient" + note(f"seed: d({tag(root)}) = gradient"))
    assigned = {root}
    for i in range(len(order) - 1, -1, -1):
        node = order[i]
        op = node.op_info
        if op is None or node not in assigned:
            continue
        if needs is not None and node not in needs:
            continue
        args = [f"v{index[p]}" for p in node.parents] + [f"v{i}"]
        for k, p in enumerate(node.parents):
            if needs is not None and p not in needs:
                continue
            expr = op.local[k]
            tpl, used = _template(op, expr)
            local = tpl.format(*args)
            # g · 1.0 is g exactly, for every float: keep the line short
            product = f"d{i}" if local == "1.0" else f"d{i} * ({local})"
            j = index[p]
            if p in assigned:
                line = f"    d{j} = d{j} + {product}"
            else:
                line = f"    d{j} = {product}"
                assigned.add(p)
            if local != "1.0":
                helpers |= used
            short = op.pretty[k].split("=")[-1].strip()  # "1 − tanh²(a) = 1 − out²" -> "1 − out²"
            emit(line + note(f"{op.name}, {op.rule(k)}: d({tag(p)}) += d({tag(node)}) · ({short})"))

    if all_nodes:
        values = ", ".join(f"v{i}" for i in range(len(order)))
        adjoints = ", ".join(f"d{i}" if order[i] in assigned else "0.0" for i in range(len(order)))
        emit(f"    return [{values}], [{adjoints}]")
    else:
        grads = [f"d{index[w]}" if (w in index and w in assigned) else "0.0" for w in wanted_list]
        emit(f"    return v{root_i}, ({', '.join(grads)}{',' if len(grads) == 1 else ''})")

    for h in helpers:
        if not h.isidentifier() or keyword.iskeyword(h) or _GENERATED.match(h) or h in _RESERVED or h == name:
            raise ValueError(f"helper name {h!r} would clash with a generated identifier")
    doc = ("Values and adjoints of every node, in topological order."
           if all_nodes else "(output value, adjoints of the wanted inputs).")
    head = [f"def {name}(x, gradient=1.0):", f'    """{doc}"""']
    source = "\n".join(head + body) + "\n"
    return Program(source, frozenset(helpers), name, len(order), len(inputs), all_nodes)


def to_source(root: Value, inputs: Sequence[Value] | None = None, *, name: str = "forward_backward") -> str:
    """Straight-line Python for the forward and reverse sweep of ``root``'s graph.

    The text is a self-contained module: it imports the float helpers, then defines
    ``name(x, gradient=1.0) -> (values, adjoints)``, where ``x`` holds the inputs
    (default: every leaf, in topological order; other leaves are constants) and
    both lists follow ``topological_order(root)``. Running it reproduces each
    node's ``.data`` and, after ``root.backward(gradient)`` from zero, its ``.grad``.
    """
    prog = generate(root, inputs, name=name, all_nodes=True)
    n_leaves = prog.n_inputs
    lines = [
        "# Forward and reverse sweep of a recorded graph, generated by autograd_core.to_source.",
        "# Identifiers are generated; labels appear only in comments. Helpers: autograd_core.ops.FLOAT_NS.",
        f"# {prog.n_nodes} nodes, {n_leaves} inputs.",
        "from autograd_core.ops import FLOAT_NS as _FLOAT_NS",
    ]
    for h in sorted(prog.helpers):
        lines.append(f"{h} = _FLOAT_NS[{h!r}]")
    lines.append("")
    lines.append("")
    return "\n".join(lines) + "\n" + prog.source


def load_source(source: str, name: str = "forward_backward") -> Callable[..., Any]:
    """Execute text from :func:`to_source` as a module and return its function."""
    glb: dict[str, Any] = {"__name__": "autograd_core_generated"}
    exec(builtins.compile(source, "<autograd_core generated source>", "exec"), glb)
    return glb[name]


# --------------------------------------------------------------------------- #
# Namespaces
# --------------------------------------------------------------------------- #
def float_namespace() -> dict[str, Callable[..., Any]]:
    """The helpers over Python floats (the op table's own IEEE-safe functions)."""
    return dict(_ops.FLOAT_NS)


def numpy_namespace() -> dict[str, Callable[..., Any]]:
    """The same helper names over NumPy arrays, elementwise, with the IEEE results of
    the float helpers (call under ``np.errstate(all="ignore")``, as ``compile`` does):
    ``div`` is ``np.divide``, ``pow`` is ``np.power`` in float64 (negative base with a
    fractional exponent is nan), ``step``/``sign``/``relu`` use ``np.less_equal``/``np.sign``/``np.maximum``,
    ``sigmoid`` and ``softplus`` use the same stable formulas as the floats.

    NumPy's vectorized ``exp``/``log``/``tanh`` may differ from the C library's by an
    ulp, so the batched path agrees with the float path to rounding, not bit for bit.
    """
    import numpy as np

    def sigmoid(x: Any) -> Any:
        x = np.asarray(x, dtype=np.float64)
        e = np.exp(-np.abs(x))  # never overflows
        return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))

    def softplus(x: Any) -> Any:
        x = np.asarray(x, dtype=np.float64)
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))

    def relu(x: Any) -> Any:
        return np.maximum(x, 0.0)  # nan stays nan, as in the float helper

    def step(x: Any) -> Any:
        # 0 where x <= 0, else 1: nan gives 1, like the float helper (and PyTorch's relu'(nan))
        return np.logical_not(np.less_equal(x, 0.0)).astype(np.float64)

    def xlogy(x: Any, y: Any) -> Any:
        return np.where(x == 0.0, 0.0, x * np.log(y))

    def xpow(x: Any, a: Any, e: Any) -> Any:
        return np.where(np.equal(x, 0.0), 0.0, np.multiply(x, power(a, e)))

    def sin(x: Any) -> Any:
        return np.sin(x)

    def power(x: Any, y: Any) -> Any:
        x = np.asarray(x, dtype=np.float64)
        r = np.power(x, y)
        if np.isneginf(x).any():
            # np.power with a scalar exponent 0.5 takes a sqrt shortcut: (-inf) ** 0.5 would be nan,
            # where IEEE pow (and the float helper) gives inf; the general loop gets it right
            y_full = np.array(np.broadcast_to(np.asarray(y, dtype=np.float64), np.broadcast_shapes(x.shape, np.shape(y))))
            r = np.power(x, y_full)
        return r

    ns: dict[str, Callable[..., Any]] = {
        "div": np.divide,
        "pow": power,
        "exp": np.exp,
        "log": np.log,
        "sqrt": np.sqrt,
        "sin": sin,
        "cos": np.cos,
        "tanh": np.tanh,
        "sigmoid": sigmoid,
        "softplus": softplus,
        "relu": relu,
        "step": step,
        "sign": np.sign,
        "fabs": np.abs,
        "xlogy": xlogy,
        "xpow": xpow,
    }
    from . import custom

    ns.update(custom.numpy_helpers())
    missing = set(_ops.FLOAT_NS) - set(ns)
    if missing:
        raise KeyError(f"no NumPy meaning for helper(s) {', '.join(sorted(missing))}")
    return ns
