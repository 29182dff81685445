"""Anomaly mode: the first nan or inf becomes an error that says where it came from.

::

    with detect_anomaly():
        y = (x - x).log()      # AnomalyError: op 'log' produced -inf from inputs (0.0,)
                               #   at my_script.py:12: y = (x - x).log()
        y.backward()           # or: the first nan/inf of the reverse sweep, naming the
                               #   op whose local derivative made it and where it was built

While the mode is on, every new node records the user's source line that created
it (the first frame outside ``autograd_core``), in a side table of weak
references: nothing is added to ``Value`` and nothing is kept alive. Outside the
mode, ops pay nothing beyond the mode lookup they always do.

The forward check covers every node made inside the block; the reverse check
covers ``backward()`` and :func:`gradients` / :func:`grad` called inside the
block (``reverse_sweep`` called directly takes the observer as an argument:
pass ``observer=AnomalyDetector().on_step``).
"""

from __future__ import annotations

import contextlib
import linecache
import math
import os
import sys
import weakref
from typing import Any, Iterator, NamedTuple

from .modes import set_mode
from .ops import Op
from .value import Value

__all__ = ["detect_anomaly", "AnomalyError", "AnomalyDetector", "where_created"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


class Where(NamedTuple):
    filename: str
    lineno: int
    function: str
    line: str

    def __str__(self) -> str:
        text = f"{self.filename}:{self.lineno} in {self.function}"
        return f"{text}: {self.line}" if self.line else text


#: node -> where it was created (only nodes made while anomaly mode was on)
_WHERE: "weakref.WeakKeyDictionary[Value, Where]" = weakref.WeakKeyDictionary()


def where_created(node: Value) -> Where | None:
    """The user's source line that created ``node``, if it was made in anomaly mode."""
    return _WHERE.get(node)


def _user_frame() -> Where | None:
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    if frame is None:
        return None
    code = frame.f_code
    line = linecache.getline(code.co_filename, frame.f_lineno).strip()
    return Where(code.co_filename, frame.f_lineno, code.co_name, line)


class AnomalyError(FloatingPointError):
    """The first nan/inf of a forward or reverse computation in anomaly mode.

    ``phase`` ('forward' or 'backward'), ``op`` (the op's name), ``inputs`` (the op's
    input values), ``where`` (the source line that created the node, or None),
    ``node``; in the backward phase also ``quantity`` (which number was not finite).
    """

    def __init__(self, message: str, *, phase: str, op: str, inputs: tuple, where: Where | None,
                 node: Value, quantity: str = "output") -> None:
        super().__init__(message)
        self.phase = phase
        self.op = op
        self.inputs = inputs
        self.where = where
        self.node = node
        self.quantity = quantity


def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return True


def _where_text(w: Where | None) -> str:
    return f"created at {w}" if w is not None else "creation site not recorded (node made outside detect_anomaly)"


class AnomalyDetector:
    """The hooks the engine calls in anomaly mode (``modes.set_mode(anomaly=...)``)."""

    __slots__ = ("check_forward", "check_backward")

    def __init__(self, check_forward: bool = True, check_backward: bool = True) -> None:
        self.check_forward = check_forward
        self.check_backward = check_backward

    def on_create(self, node: Value, op: Op, parents: tuple[Value, ...]) -> None:
        where = _user_frame()
        if where is not None:
            _WHERE[node] = where
        if self.check_forward and not math.isfinite(node.data):
            inputs = tuple(p.data for p in parents)
            raise AnomalyError(
                f"anomaly in the forward pass: op {op.name!r} ({op.formula}) produced {node.data!r} "
                f"from inputs {inputs}; {_where_text(where)}",
                phase="forward", op=op.name, inputs=inputs, where=where, node=node,
            )

    def on_step(self, node: Value, index: int, parent: Value, local: Any, upstream: Any,
                product: Any, running: Any) -> None:
        if not self.check_backward:
            return
        for quantity, val in (("upstream adjoint", upstream), ("local derivative", local),
                              ("product upstream · local", product), ("accumulated adjoint", running)):
            if not _finite(val):
                op = node.op_info
                inputs = tuple(p.data for p in node.parents)
                where = _WHERE.get(node)
                rule = op.rule(index) if op is not None else "?"
                raise AnomalyError(
                    f"anomaly in the reverse sweep: {quantity} is {float(val)!r} on the edge from "
                    f"op {op.name if op else '?'!r} to its input {index} ({rule}) at inputs {inputs}, "
                    f"output {node.data!r}; {_where_text(where)}",
                    phase="backward", op=op.name if op else "", inputs=inputs, where=where, node=node,
                    quantity=quantity,
                )


@contextlib.contextmanager
def detect_anomaly(check_forward: bool = True, check_backward: bool = True) -> Iterator[AnomalyDetector]:
    """Context manager: raise :class:`AnomalyError` at the first nan/inf, forward or backward,
    naming the op, its input values and the source line that created the node."""
    detector = AnomalyDetector(check_forward, check_backward)
    with set_mode(anomaly=detector):
        yield detector
