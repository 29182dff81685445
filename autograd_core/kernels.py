"""Fast kernels generated from the op table: fused forward methods and sweep steps.

The op table (``ops.py``) writes each rule once, as an expression. For the hot
paths this module turns those same expressions into straight Python functions,
so that building a node or taking one step of the reverse sweep costs one call
instead of four:

* ``forward_method(op)``: a Value method (``__mul__``, ``tanh``, ...) that coerces
  a number operand, evaluates the op's forward expression inline on the floats
  and records the node;
* ``sweep_step(op)``: one step of the float reverse sweep for a node made by
  ``op``: evaluates each local derivative inline, adds ``upstream · local`` into
  each parent's accumulator, and queues the parents not seen yet.

Nothing here states a derivative: every formula is pasted from the table.
The generated source of any kernel is available as ``kernel.__source__``.
"""

from __future__ import annotations

import linecache
import os
from heapq import heappush
from typing import Any, Callable

from . import ops as _ops
from .modes import DEFAULT_MODE, _MODE
from .ops import Op

__all__ = ["forward_method", "sweep_step"]

_HERE = os.path.dirname(os.path.abspath(__file__))

# Every forward kernel ends by recording the node: its parents (unless the mode
# says otherwise) and its creation number.
_RECORD = """\
    v = _new(Value)
    v.data = {forward}
    v.grad = v._adj = 0.0
    v.label = ""
    mode = _mode()
    if mode is _DEFAULT:
        v._op = OP
        v._a = {first}
        v._b = {second}
        v._seq = _next_seq()
        return v
    return _finish(v, OP, {parents}, mode)
"""

_BINARY = """\
def _kernel(self, other):
    if type(other) is not Value:
        other = _const(other)
        if other is None:
            return NotImplemented
    A = {left}
    B = {right}
    a = A.data
    b = B.data
""" + _RECORD.replace("{first}", "A").replace("{second}", "B").replace("{parents}", "(A, B)")

_UNARY = """\
def _kernel(self):
    a = self.data
""" + _RECORD.replace("{first}", "self").replace("{second}", "None").replace("{parents}", "(self,)")

# A parent whose creation number is 0 is a leaf: it only collects its adjoint,
# and is kept aside for the end of the sweep on its first visit (a leaf whose
# adjoint is still exactly 0.0 may be kept twice; the second time moves 0.0).
# Any other parent is queued once, by creation number, on the heap.
_QUEUE = """\
    s = {P}._seq
    if not s:
        if {P}._adj == 0.0:
            keep({P})
    elif s not in pending:
        pending[s] = {P}
        heappush(heap, -s)
    {P}._adj += g * l{i}
"""

_STEP_HEAD = """\
def _kernel(node, g, pending, heap, keep):
{unpack}
    out = node.data
"""


def _namespace(op: Op, value_module: Any) -> dict[str, Any]:
    ns: dict[str, Any] = dict(_ops.FLOAT_NS)
    ns.update(
        OP=op,
        Value=value_module.Value,
        _const=value_module._const,
        _finish=value_module._finish,
        _new=object.__new__,
        _next_seq=value_module._next_seq,
        _mode=_MODE.get,
        _DEFAULT=DEFAULT_MODE,
        heappush=heappush,
    )
    return ns


def _build(src: str, ns: dict[str, Any], fname: str, opname: str) -> Callable[..., Any]:
    # Defined as _kernel so it can never shadow a helper of the same name (tanh).
    # The file name lies inside the package, so code that tells engine frames
    # from user frames by path (anomaly mode) sees kernels as engine code, and
    # linecache holds the source, so tracebacks show the generated line.
    filename = os.path.join(_HERE, f"<kernel {opname}.{fname}>")
    exec(compile(src, filename, "exec"), ns)
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    fn = ns.pop("_kernel")
    fn.__name__ = fn.__qualname__ = fname
    fn.__source__ = src.replace("def _kernel(", f"def {fname}(", 1)
    return fn


def forward_method(op: Op, *, reflected: bool = False, name: str | None = None, doc: str = "") -> Callable[..., Any]:
    """A Value method applying ``op`` (binary: ``self op other``, or reflected)."""
    from . import value as value_module  # the kernels are built while value.py loads

    fname = name or op.name
    if op.arity == 2:
        left, right = ("other", "self") if reflected else ("self", "other")
        src = _BINARY.format(left=left, right=right, forward=op.forward)
    elif op.arity == 1:
        src = _UNARY.format(forward=op.forward)
    else:
        raise ValueError(f"op {op.name!r}: forward methods are made for unary and binary ops")
    fn = _build(src, _namespace(op, value_module), fname, op.name)
    fn.__doc__ = doc or f"{op.doc or op.name}: {op.formula}; " + "; ".join(op.rule(i) for i in range(op.arity))
    return fn


def sweep_step(op: Op) -> Callable[..., None]:
    """One float sweep step for ``op``, cached on the op (``op.sweep_step``)."""
    step = op.sweep_step
    if step is not None:
        return step
    from . import value as value_module

    names = [n.upper() for n in op.args]
    if op.arity == 1:
        unpack = "    A = node._a\n    a = A.data"
    elif op.arity == 2:
        unpack = "    A = node._a\n    B = node._b\n    a = A.data\n    b = B.data"
    else:
        unpack = f"    {', '.join(names)} = node._a\n" + "\n".join(
            f"    {n} = {N}.data" for n, N in zip(op.args, names)
        )
    lines = [_STEP_HEAD.format(unpack=unpack)]
    # every local derivative is evaluated before any accumulator moves (a * a)
    lines += [f"    l{i} = {expr}\n" for i, expr in enumerate(op.local)]
    lines += [_QUEUE.format(P=N, i=i) for i, N in enumerate(names)]
    step = _build("".join(lines), _namespace(op, value_module), "step", op.name)
    op.sweep_step = step
    return step
