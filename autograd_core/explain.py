"""The chain-rule explainer: the reverse sweep, one recorded step per edge.

``explain(root)`` runs :func:`~autograd_core.reverse_sweep` once with an observer
that records every step; nothing here computes a derivative itself. Each step is
one edge node → parent in reverse topological order:

    adjoint[parent] += adjoint[node] · local,   local = ∂node/∂parent

with the local derivative's rule taken from the op table (``Op.rule(i)``,
``Op.latex_local``). Where a parent fans out (feeds several ops) its adjoint is a
running sum, and the step shows it: ``previous + product = running``.

The result renders as a text table (``str``), HTML (Jupyter) and Markdown with
LaTeX, and ends with the total gradient of every input, which equals ``.grad``
after ``root.backward()``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

from .backward import reverse_sweep, topological_order
from .ops import Op
from .value import Value
from .viz import _fmt

__all__ = ["explain", "Explanation", "Step", "node_names"]


def _num(x: float, digits: int = 6) -> str:
    """A number as the pictures print it: 6 significant digits, nan/inf spelled out."""
    return _fmt(x, digits)


def node_names(root: Value, names: Optional[Mapping[Value, str]] = None) -> dict[Value, str]:
    """A display name for every node of ``root``'s graph, in topological order.

    ``names[v]`` if given, else the label; an unlabeled constant is its number, an
    unlabeled intermediate ``n1``, ``n2``, ... numbered from the inputs forward.
    """
    out: dict[Value, str] = {}
    k = 0
    for v in topological_order(root):
        if names is not None and v in names:
            out[v] = str(names[v])
        elif v.label:
            out[v] = v.label
        elif v.is_leaf:
            out[v] = _num(v.data)
        else:
            k += 1
            out[v] = f"n{k}"
    return out


def _md_cell(latex: str) -> str:
    """LaTeX inside a Markdown table cell: only the pipe needs escaping (GFM)."""
    return latex.replace("|", "\\|")


_MD_PUNCT = set("\\`*_{}[]()#+-.!|<>$&~^=:\"'")

_ORDINAL = {0: "first", 1: "second", 2: "third", 3: "fourth"}


@dataclass(frozen=True)
class Step:
    """One edge of the reverse sweep: ``adjoint[parent] += upstream · local``.

    ``previous`` is the parent's adjoint before this step (None for its first
    contribution), ``running`` the adjoint after it.
    """

    number: int
    node: Value
    index: int
    parent: Value
    op: Op
    local: float
    upstream: float
    product: float
    running: float
    previous: Optional[float]

    @property
    def rule(self) -> str:
        """The local derivative in symbols: '∂(a·b)/∂a = b'."""
        return self.op.rule(self.index)

    @property
    def words(self) -> str:
        """The local derivative in words."""
        arg = self.op.args[self.index]
        which = _ORDINAL.get(self.index, f"#{self.index + 1}") if self.op.arity > 1 else "only"
        return (f"the {self.op.doc} {self.op.formula} ({self.op.name}), differentiated with respect "
                f"to its {which} input {arg}: {self.op.pretty[self.index]}")

    @property
    def latex(self) -> str:
        """The local derivative in LaTeX: '\\frac{\\partial}{\\partial a}\\left(a \\cdot b\\right) = b'."""
        arg = self.op.args[self.index]
        loc = self.op.latex_local[self.index] if self.op.latex_local else self.op.pretty[self.index]
        form = self.op.latex or self.op.formula
        return rf"\frac{{\partial}}{{\partial {arg}}}\left({form}\right) = {loc}"

    @property
    def fan_in(self) -> bool:
        """True when this step adds to an adjoint that already had a contribution."""
        return self.previous is not None


class Explanation:
    """The recorded reverse sweep of ``root`` (see :func:`explain`)."""

    def __init__(self, root: Value, seed: float, steps: list[Step], adjoints: dict[Value, float],
                 names: dict[Value, str], inputs: list[Value]) -> None:
        self.root = root
        self.seed = seed
        self.steps = steps
        self.adjoints = adjoints
        self.names = names
        self.inputs = inputs

    # ------------------------------------------------------------------ data
    @property
    def totals(self) -> dict[Value, float]:
        """{input: ∂root/∂input · seed}, the total gradient of every input."""
        return {v: self.adjoints.get(v, 0.0) for v in self.inputs}

    def contributions(self, v: Value) -> list[float]:
        """The products that were summed into ``v``'s adjoint, in sweep order."""
        return [s.product for s in self.steps if s.parent is v]

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self):
        return iter(self.steps)

    def __getitem__(self, i: int) -> Step:
        return self.steps[i]

    def _total_expr(self, v: Value) -> str:
        parts = self.contributions(v)
        total = _num(self.adjoints.get(v, 0.0))
        if len(parts) > 1:
            return " + ".join(_num(p) for p in parts) + " = " + total
        return total

    def _adjoint_cell(self, s: Step) -> str:
        if s.previous is None:
            return _num(s.running)
        return f"{_num(s.previous)} + {_num(s.product)} = {_num(s.running)}"

    # ------------------------------------------------------------------ text
    def to_text(self) -> str:
        """The sweep as a plain-text table, then the total gradient of each input."""
        n = self.names
        r = n[self.root]
        lines = [
            f"Reverse sweep from {r} = {_num(self.root.data)}, seed ∂{r}/∂{r} = {_num(self.seed)}",
            "each step: adjoint[parent] += adjoint[node] · local, local = ∂node/∂parent",
        ]
        header = ("#", "node → parent", "local rule", "local", "upstream", "product", "adjoint of parent")
        rows = [
            (str(s.number), f"{n[s.node]} → {n[s.parent]}", s.rule, _num(s.local), _num(s.upstream),
             _num(s.product), self._adjoint_cell(s))
            for s in self.steps
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def fmt(row: tuple[str, ...]) -> str:
            cells = [row[0].rjust(widths[0])] + [c.ljust(w) for c, w in zip(row[1:], widths[1:])]
            return "  ".join(cells).rstrip()

        lines.append(fmt(header))
        lines.extend(fmt(row) for row in rows)
        if not rows:
            lines.append("(no steps: the root is a leaf)")
        lines.append(f"total gradients (equal to .grad after {r}.backward()):")
        width = max((len(n[v]) for v in self.inputs), default=0)
        for v in self.inputs:
            lines.append(f"  ∂{r}/∂{n[v]}".ljust(width + len(r) + 5) + f" = {self._total_expr(v)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<Explanation of {self.names[self.root]}: {len(self.steps)} steps, {len(self.inputs)} inputs>"

    # ------------------------------------------------------------------ HTML
    def to_html(self) -> str:
        """The sweep as an HTML table (what Jupyter shows)."""
        e = html.escape
        n = self.names
        r = n[self.root]
        out = [
            '<div class="agc-explain">',
            f"<p>Reverse sweep from <b>{e(r)}</b> = {e(_num(self.root.data))}, seed "
            f"∂{e(r)}/∂{e(r)} = {e(_num(self.seed))}. Each step: "
            "<code>adjoint[parent] += adjoint[node] · local</code>.</p>",
            '<table style="border-collapse:collapse">',
            "<thead><tr>" + "".join(
                f'<th style="text-align:left;padding:2px 8px">{h}</th>'
                for h in ("#", "node → parent", "local rule", "local", "upstream", "product",
                          "adjoint of parent")) + "</tr></thead><tbody>",
        ]
        for s in self.steps:
            style = ' style="background:#fef9c3"' if s.fan_in else ""
            cells = (str(s.number), f"{n[s.node]} → {n[s.parent]}", s.rule, _num(s.local),
                     _num(s.upstream), _num(s.product), self._adjoint_cell(s))
            out.append(f'<tr{style} title="{e(s.words)}">' + "".join(
                f'<td style="text-align:left;padding:2px 8px;font-family:monospace">{e(c)}</td>'
                for c in cells) + "</tr>")
        out.append("</tbody></table>")
        out.append(f"<p>Total gradients (equal to <code>.grad</code> after "
                   f"<code>{e(r)}.backward()</code>):</p><ul>")
        for v in self.inputs:
            out.append(f"<li><code>∂{e(r)}/∂{e(n[v])} = {e(self._total_expr(v))}</code></li>")
        out.append("</ul></div>")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        return self.to_html()

    # -------------------------------------------------------------- Markdown
    def to_markdown(self) -> str:
        """The sweep as a Markdown table with the local rules in LaTeX."""
        n = self.names
        r = n[self.root]

        def md(s: str) -> str:
            # a name is text: every ASCII punctuation mark escaped, so it never becomes markup
            return "".join("\\" + ch if ch in _MD_PUNCT else (" " if ch in "\r\n" else ch) for ch in s)

        out = [
            f"Reverse sweep from **{md(r)}** = {_num(self.root.data)}, seed "
            f"∂{md(r)}/∂{md(r)} = {_num(self.seed)}; each step: "
            r"$\bar{u}_{\text{parent}} \mathrel{+}= \bar{u}_{\text{node}} \cdot \frac{\partial\,\text{node}}{\partial\,\text{parent}}$",
            "",
            "| # | node → parent | local rule | local | upstream | product | adjoint of parent |",
            "|--:|---|---|--:|--:|--:|---|",
        ]
        for s in self.steps:
            out.append(
                f"| {s.number} | {md(n[s.node])} → {md(n[s.parent])} | ${_md_cell(s.latex)}$ | {_num(s.local)} | "
                f"{_num(s.upstream)} | {_num(s.product)} | {self._adjoint_cell(s)} |")
        out.append("")
        out.append(f"Total gradients (equal to `.grad` after `{r}.backward()`):")
        out.append("")
        for v in self.inputs:
            out.append(f"- ∂{md(r)}/∂{md(n[v])} = {self._total_expr(v)}")
        return "\n".join(out)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        return {"text/html": self.to_html(), "text/markdown": self.to_markdown(), "text/plain": self.to_text()}


def explain(
    root: Value,
    gradient: float = 1.0,
    *,
    names: Optional[Mapping[Value, str]] = None,
    inputs: Optional[Iterable[Value]] = None,
) -> Explanation:
    """Run the reverse sweep from ``root`` and record every step (touches no ``.grad``).

    The steps are observed from :func:`reverse_sweep` itself, the sweep that
    ``backward()`` runs. ``names`` overrides display names; ``inputs`` chooses
    whose totals end the explanation (default: the labeled leaves, or every leaf
    when none is labeled).
    """
    if not isinstance(root, Value):
        raise TypeError(f"explain expects a Value, got {type(root).__name__}")
    steps: list[Step] = []
    last: dict[Value, float] = {}

    def observe(node: Value, index: int, parent: Value, local: Any, upstream: Any,
                product: Any, running: Any) -> None:
        steps.append(Step(len(steps) + 1, node, index, parent, node.op_info, float(local),
                          float(upstream), float(product), float(running), last.get(parent)))
        last[parent] = float(running)

    adjoints = reverse_sweep(root, gradient, observer=observe)
    seed = float(adjoints[root])
    all_names = node_names(root, names)
    if inputs is None:
        leaves = [v for v in all_names if v.is_leaf]
        chosen = [v for v in leaves if v.label or (names is not None and v in names)] or leaves
    else:
        chosen = list(inputs)
        for v in chosen:
            if v not in all_names:
                raise ValueError(f"explain: input {v!r} is not part of the graph of {all_names[root]!r}")
    return Explanation(root, seed, steps, adjoints, all_names, chosen)
