"""Gradient checking: the reverse sweep against central differences in float64.

``gradcheck(f, *inputs)`` compares ∂f/∂xᵢ from one reverse sweep with the central
difference (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for every input. It returns True, or
raises :class:`GradcheckError` whose message is the per-input table (analytic,
numeric, absolute and relative error). On a mismatch it also checks every op of
the recorded graph locally — each local derivative of the op table against a
central difference of that op's own forward rule at the node's inputs — and names
the op whose derivative rule is wrong.

``check_op(op)`` runs that local check for one op (e.g. a user-defined one) over a
set of points, and also checks that the rule gives the same numbers over Values
(the path used for higher-order derivatives) as over floats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from . import ops as _ops
from .backward import reverse_sweep, topological_order
from .modes import enable_grad, no_grad
from .ops import Op
from .value import Value, local_value_fn, real_data

__all__ = ["gradcheck", "check_op", "GradcheckError"]


@dataclass
class _Row:
    name: str
    analytic: float
    numeric: float
    ok: bool

    @property
    def abs_err(self) -> float:
        return abs(self.analytic - self.numeric)

    @property
    def rel_err(self) -> float:
        return self.abs_err / max(abs(self.numeric), abs(self.analytic), 1e-300)


def _format(rows: Sequence[_Row], first: str) -> str:
    head = (first, "analytic", "numeric", "abs err", "rel err", "")
    cells = [head] + [
        (r.name, f"{r.analytic:.10g}", f"{r.numeric:.10g}", f"{r.abs_err:.3g}", f"{r.rel_err:.3g}",
         "ok" if r.ok else "MISMATCH")
        for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
                     for row in cells)


class GradcheckError(AssertionError):
    """A gradient disagreed with central differences.

    ``rows``: per input (``name, analytic, numeric, abs_err, rel_err, ok``);
    ``suspects``: per op edge whose local rule failed (``op, node, input, analytic,
    numeric``); ``table``: the formatted per-input table.
    """

    def __init__(self, message: str, rows: list[_Row], suspects: list[dict[str, Any]], table: str) -> None:
        super().__init__(message)
        self.rows = rows
        self.suspects = suspects
        self.table = table


def _close(a: float, n: float, atol: float, rtol: float) -> bool:
    if a == n:  # covers equal infinities
        return True
    return abs(a - n) <= atol + rtol * abs(n)


def _central(fn: Callable[[list[float]], float], xs: list[float], i: int, eps: float) -> float:
    """(fn(x + h·eᵢ) − fn(x − h·eᵢ)) / 2h, with h the step the floats actually took
    (at |x| ≫ 1 the rounded x ± eps are not 2·eps apart)."""
    hi = list(xs); hi[i] = xs[i] + eps
    lo = list(xs); lo[i] = xs[i] - eps
    return (fn(hi) - fn(lo)) / (hi[i] - lo[i])



def _local_checks(order: list[Value], active: set[Value], eps: float, atol: float, rtol: float) -> list[dict[str, Any]]:
    """Each op edge of the graph: the table's local derivative vs a central difference of its forward rule."""
    bad = []
    for node in order:
        op = node.op_info
        if op is None:
            continue
        xs = [p.data for p in node.parents]
        if not all(math.isfinite(x) for x in xs) or not math.isfinite(node.data):
            continue
        locs = op.local_float(*xs, node.data)
        for k, p in enumerate(node.parents):
            if p not in active:
                continue  # a constant: its local derivative never reaches an input
            numeric = _central(lambda v: op.forward_float(*v), xs, k, eps)
            if math.isfinite(numeric) and not _close(locs[k], numeric, atol, rtol):
                bad.append({"op": op.name, "node": node, "input": k, "inputs": tuple(xs),
                            "analytic": locs[k], "numeric": numeric, "rule": op.rule(k)})
    return bad


def gradcheck(
    f: Callable[..., Any],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """True if ∂f/∂inputs from the reverse sweep match central differences, else GradcheckError.

    ``f`` takes one Value per input and returns a Value. Mismatch when
    |analytic − numeric| > atol + rtol·|numeric| (PyTorch's defaults). The error
    message holds the per-input table and, when an op's own derivative rule is
    wrong, names that op.
    """
    if not callable(f):
        raise TypeError(f"gradcheck: f must be callable, got {type(f).__name__}")
    if not inputs:
        raise ValueError("gradcheck: give at least one input")
    xs = [real_data(x, f"gradcheck: input {i}") for i, x in enumerate(inputs)]
    names = [(x.label if isinstance(x, Value) and x.label else f"x{i}") for i, x in enumerate(inputs)]
    leaves = [Value(x) for x in xs]
    with enable_grad():
        out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
    adj = reverse_sweep(out)
    analytic = [adj.get(leaf, 0.0) for leaf in leaves]

    def f_float(v: list[float]) -> float:
        with no_grad():
            r = f(*[Value(x) for x in v])
        return float(r)

    rows = []
    for i in range(len(xs)):
        numeric = _central(f_float, xs, i, eps)
        rows.append(_Row(names[i], analytic[i], numeric, _close(analytic[i], numeric, atol, rtol)))
    if all(r.ok for r in rows):
        return True

    table = _format(rows, "input")
    order = topological_order(out)
    active = set(leaves)
    for node in order:
        if any(p in active for p in node.parents):
            active.add(node)
    suspects = _local_checks(order, active, eps, atol, rtol)
    lines = [f"gradcheck failed for {getattr(f, '__name__', 'f')} at {tuple(xs)} "
             f"(eps={eps}, atol={atol}, rtol={rtol}):", table]
    if suspects:
        lines.append("per-op local check: these local derivatives disagree with their op's forward rule:")
        for s in suspects:
            lines.append(f"  op {s['op']!r} at inputs {s['inputs']}: {s['rule']} gives {s['analytic']:.10g}, "
                         f"central difference {s['numeric']:.10g}")
        names_ = sorted({s["op"] for s in suspects})
        lines.append(f"suspect op(s): {', '.join(names_)}")
    else:
        lines.append("per-op local check: every op's local derivative agrees with its forward rule here; "
                     "the mismatch comes from f itself (a kink, Python control flow, or a float() that cut the graph)")
    raise GradcheckError("\n".join(lines), rows, suspects, table)


def _declared_constant(op: Op, k: int) -> bool:
    """A local derivative written as the literal 0 declares that input a constant
    (``powc``'s exponent): the op takes no derivative for it, so there is nothing to check."""
    try:
        return float(op.local[k]) == 0.0
    except ValueError:
        return False


_UNARY_POINTS = [(-1.7,), (-0.6,), (0.3,), (0.9,), (2.2,)]
_BINARY_POINTS = [(0.7, 1.3), (1.9, -0.4), (-1.1, 2.5), (2.3, 0.6), (0.4, 3.0)]


def check_op(
    op: Op | str,
    points: Iterable[Sequence[float]] | None = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check an op's local derivatives against central differences of its forward rule.

    ``points``: input tuples to check at (default: a few points spread over
    [−2, 3]; points where the forward rule or the difference is not finite are
    skipped). Also checks that the rule over Values (higher-order derivatives)
    gives the same numbers as over floats. An input whose local derivative is the
    literal ``0.0`` is declared constant (like ``powc``'s exponent) and skipped.
    True, or GradcheckError with the table.
    """
    if isinstance(op, str):
        op = _ops.get_op(op)
    if not isinstance(op, Op):
        raise TypeError(f"check_op: expected an Op or an op name, got {type(op).__name__}")
    if points is None:
        base = _UNARY_POINTS if op.arity == 1 else _BINARY_POINTS
        points = [tuple(p[k % len(p)] for k in range(op.arity)) for p in base]
    value_local = local_value_fn(op)
    rows, suspects = [], []
    for pt in points:
        xs = [float(x) for x in pt]
        if len(xs) != op.arity:
            raise ValueError(f"check_op: op {op.name!r} takes {op.arity} input(s), point {tuple(pt)} has {len(xs)}")
        out = op.forward_float(*xs)
        if not math.isfinite(out):
            continue
        locs = op.local_float(*xs, out)
        with no_grad():
            vlocs = value_local(*[Value(x) for x in xs], Value(out))
        for k in range(op.arity):
            if _declared_constant(op, k):
                continue
            numeric = _central(lambda v: op.forward_float(*v), xs, k, eps)
            if not math.isfinite(numeric):
                continue
            name = f"∂/∂{op.args[k]} at {tuple(xs)}"
            row = _Row(name, locs[k], numeric, _close(locs[k], numeric, atol, rtol))
            rows.append(row)
            if not row.ok:
                suspects.append({"op": op.name, "node": None, "input": k, "inputs": tuple(xs),
                                 "analytic": locs[k], "numeric": numeric, "rule": op.rule(k)})
            vk = float(vlocs[k])
            if not (vk == locs[k] or (vk != vk and locs[k] != locs[k]) or _close(vk, locs[k], 1e-12, 1e-12)):
                rows.append(_Row(f"{name} over Values", vk, locs[k], False))
                suspects.append({"op": op.name, "node": None, "input": k, "inputs": tuple(xs),
                                 "analytic": vk, "numeric": locs[k], "rule": op.rule(k) + " (Value vs float)"})
    if not rows:
        raise ValueError(f"check_op: no point where op {op.name!r} is finite; pass points= inside its domain")
    if all(r.ok for r in rows):
        return True
    table = _format(rows, "local derivative")
    msg = (f"check_op: op {op.name!r} has a local derivative that disagrees with its forward rule "
           f"{op.forward!r}:\n{table}")
    raise GradcheckError(msg, rows, suspects, table)
