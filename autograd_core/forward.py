"""Forward mode: Jacobian-vector products by a forward sweep over the op table.

``jvp(f, primals, tangents)`` returns ``(f(*primals), ṫ)`` where ṫ = Σᵢ ∂f/∂xᵢ · tᵢ,
as ``jax.jvp``. The sweep visits the recorded graph inputs first and carries a
tangent per node: ṅ = Σₖ (∂n/∂parentₖ) · ṗarentₖ, with ∂n/∂parentₖ the op
table's ``local`` rule, the same one the reverse sweep uses. Nodes that depend
on no input (constants) carry no tangent, exactly as the reverse sweep gives
their adjoints to nobody.

Cost. One forward sweep gives one directional derivative, so the gradient of
f: ℝⁿ → ℝ takes n sweeps; one reverse sweep gives all n at once. Pass an
:class:`OpCount` as ``counter`` (or call :func:`compare_modes`) to count the
work of each: sweeps, local derivatives evaluated, multiply-adds.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .backward import reverse_sweep, topological_order
from .modes import enable_grad
from .value import Value, real_data

__all__ = ["jvp", "OpCount", "forward_gradient", "reverse_gradient", "compare_modes", "ModeComparison"]


@dataclass
class OpCount:
    """Work done by derivative sweeps: a learner's cost model of forward vs reverse mode.

    ``sweeps``: passes over the graph; ``local_derivatives``: local rules evaluated
    (one per edge visited); ``multiply_adds``: ``acc += local · tangent/adjoint`` steps.
    """

    sweeps: int = 0
    local_derivatives: int = 0
    multiply_adds: int = 0

    def reset(self) -> None:
        self.sweeps = self.local_derivatives = self.multiply_adds = 0



def _trace(f: Callable[..., Any], xs: Sequence[float]) -> tuple[list[Value], Any]:
    leaves = [Value(x) for x in xs]
    with enable_grad():
        out = f(*leaves)
    return leaves, out


def _tangent_sweep(leaves: list[Value], outs: list[Value], tangents: Sequence[float],
                   counter: OpCount | None) -> list[float]:
    """ṅ for each of ``outs``: one forward sweep in topological order."""
    tangent: dict[Value, float] = {}
    for leaf, t in zip(leaves, tangents):
        tangent[leaf] = tangent.get(leaf, 0.0) + t
    locals_n = madds = 0
    for node in topological_order(*outs):
        op = node.op_info
        if op is None:
            continue
        ps = node.parents
        active = [k for k, p in enumerate(ps) if p in tangent]
        if not active:
            continue  # depends on no input: no tangent
        locs = op.local_float(*[p.data for p in ps], node.data)
        t = 0.0
        first = True
        for k in active:
            term = locs[k] * tangent[ps[k]]
            t = term if first else t + term
            first = False
        tangent[node] = t
        locals_n += len(active)
        madds += len(active)
    if counter is not None:
        counter.sweeps += 1
        counter.local_derivatives += locals_n
        counter.multiply_adds += madds
    return [tangent.get(o, 0.0) for o in outs]


def jvp(
    f: Callable[..., Any],
    primals: Sequence[Any],
    tangents: Sequence[Any],
    *,
    counter: OpCount | None = None,
) -> tuple[Any, Any]:
    """``(f(*primals), Σᵢ ∂f/∂xᵢ · tangents[i])``, as ``jax.jvp``.

    ``f`` takes one Value per primal and returns a Value (or a list/tuple of them,
    giving lists of outputs and tangents). Primals and tangents are numbers
    (Values count by their ``.data``); results are floats.

    >>> jvp(lambda x, y: x * y, (2.0, 3.0), (1.0, 0.0))   # ∂(xy)/∂x = y
    (6.0, 3.0)
    """
    if not callable(f):
        raise TypeError(f"jvp: f must be callable, got {type(f).__name__}")
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primal(s) but {len(tangents)} tangent(s); give one tangent per primal")
    xs = [real_data(p, f"jvp: primals[{i}]") for i, p in enumerate(primals)]
    ts = [real_data(t, f"jvp: tangents[{i}]") for i, t in enumerate(tangents)]
    leaves, out = _trace(f, xs)
    many = isinstance(out, (list, tuple))
    outs = list(out) if many else [out]
    nodes, values = [], []
    for k, o in enumerate(outs):
        if isinstance(o, Value):
            nodes.append(o)
            values.append(o.data)
        elif isinstance(o, numbers.Real) and not isinstance(o, bool):
            values.append(float(o))
        else:
            raise TypeError(f"jvp: f must return Values or numbers, got {type(o).__name__}")
    tans = iter(_tangent_sweep(leaves, nodes, ts, counter) if nodes else [])
    out_t = [next(tans) if isinstance(o, Value) else 0.0 for o in outs]
    if many:
        return values, out_t
    return values[0], out_t[0]


def forward_gradient(f: Callable[..., Any], *xs: Any, counter: OpCount | None = None) -> tuple[float, ...]:
    """∇f by forward mode: one jvp per input along each basis vector (n sweeps)."""
    n = len(xs)
    return tuple(jvp(f, xs, [1.0 if j == i else 0.0 for j in range(n)], counter=counter)[1] for i in range(n))


def reverse_gradient(f: Callable[..., Any], *xs: Any, counter: OpCount | None = None) -> tuple[float, ...]:
    """∇f by reverse mode: one reverse sweep, counting its work in ``counter``."""
    leaves, out = _trace(f, [real_data(x, f"jvp: xs[{i}]") for i, x in enumerate(xs)])
    if not isinstance(out, Value):
        return (0.0,) * len(xs)
    edges = 0

    def count(*_: Any) -> None:
        nonlocal edges
        edges += 1

    adj = reverse_sweep(out, observer=count if counter is not None else None)
    if counter is not None:
        counter.sweeps += 1
        counter.local_derivatives += edges
        counter.multiply_adds += edges
    return tuple(adj.get(leaf, 0.0) for leaf in leaves)


@dataclass
class ModeComparison:
    """The gradient of f at a point by both modes, with the work each did."""

    n_inputs: int
    forward: OpCount = field(default_factory=OpCount)
    reverse: OpCount = field(default_factory=OpCount)
    forward_grad: tuple[float, ...] = ()
    reverse_grad: tuple[float, ...] = ()

    def table(self) -> str:
        rows = [("", "sweeps", "local derivatives", "multiply-adds")]
        for name, c in (("forward mode", self.forward), ("reverse mode", self.reverse)):
            rows.append((name, str(c.sweeps), str(c.local_derivatives), str(c.multiply_adds)))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
                 for r in rows]
        lines.append(f"gradient of f: ℝ^{self.n_inputs} → ℝ: forward mode needs one sweep per input, "
                     f"reverse mode one sweep in all")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def compare_modes(f: Callable[..., Any], *xs: Any) -> ModeComparison:
    """∇f at ``xs`` by forward and by reverse mode, with operation counts for each."""
    cmp = ModeComparison(len(xs))
    cmp.forward_grad = forward_gradient(f, *xs, counter=cmp.forward)
    cmp.reverse_grad = reverse_gradient(f, *xs, counter=cmp.reverse)
    return cmp
