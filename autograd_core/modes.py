"""Gradient-recording modes, per thread and per async task (``contextvars``).

``no_grad()`` turns recording off: Values made inside it are leaves with no
parents. ``enable_grad()`` turns it back on inside a ``no_grad`` block. A
thread or an asyncio task never sees another's mode, because each has its own
context.

The mode also carries the optional anomaly hooks (see ``anomaly.py``); ops
only look at them when the mode is not the default, so normal runs pay one
``ContextVar.get`` per op and nothing else.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any, Iterator

__all__ = ["Mode", "DEFAULT_MODE", "current_mode", "no_grad", "enable_grad", "is_grad_enabled", "set_mode"]


class Mode:
    """An immutable snapshot of the recording mode.

    ``grad_enabled``: record parents for new nodes.
    ``anomaly``: ``None``, or an object with ``on_create(node)`` (called for every
    node made while it is set) and ``on_step(node, index, parent, local, upstream,
    product, running)`` (called for every edge of the reverse sweep).
    """

    __slots__ = ("grad_enabled", "anomaly")

    def __init__(self, grad_enabled: bool = True, anomaly: Any = None) -> None:
        self.grad_enabled = grad_enabled
        self.anomaly = anomaly

    def replace(self, **changes: Any) -> "Mode":
        new = Mode(self.grad_enabled, self.anomaly)
        for k, v in changes.items():
            setattr(new, k, v)
        return DEFAULT_MODE if (new.grad_enabled and new.anomaly is None) else new

    def __repr__(self) -> str:
        return f"Mode(grad_enabled={self.grad_enabled}, anomaly={self.anomaly!r})"


#: The mode nobody changed: ops take their fast path when they see exactly this object.
DEFAULT_MODE = Mode()
_MODE: ContextVar[Mode] = ContextVar("autograd_core_mode", default=DEFAULT_MODE)
current_mode = _MODE.get


@contextlib.contextmanager
def set_mode(**changes: Any) -> Iterator[Mode]:
    """Run the block with some fields of the current mode changed."""
    token = _MODE.set(_MODE.get().replace(**changes))
    try:
        yield _MODE.get()
    finally:
        _MODE.reset(token)


def no_grad() -> contextlib.AbstractContextManager[Mode]:
    """Context manager (or decorator): Values made inside record no parents.

    >>> with no_grad():
    ...     y = x * 2      # y is a leaf: y.parents == ()
    """
    return set_mode(grad_enabled=False)


def enable_grad() -> contextlib.AbstractContextManager[Mode]:
    """Context manager (or decorator): record parents again, e.g. inside ``no_grad``."""
    return set_mode(grad_enabled=True)


def is_grad_enabled() -> bool:
    """True when new Values record their parents (the default)."""
    return _MODE.get().grad_enabled
