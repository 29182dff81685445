"""Reverse topological order and the reverse sweep (back-propagation).

The sweep is the chain rule evaluated from the output back to the inputs
(Goodfellow §6.5): visiting nodes in reverse topological order, each node's
adjoint δ = ∂out/∂node is complete before it is used, and every edge adds
``adjoint[parent] += adjoint[node] · local`` where ``local`` = ∂node/∂parent
comes from the op table. Nothing here recurses, so a chain of a million ops is
fine.

How the order is found: every op node carries its creation number ``_seq``.
A node's parents always exist before it, so sorting by creation number is a
topological order. A plain walk gathers the nodes that reach the output and
one sort orders them; no post-order bookkeeping is needed.

The hot sweep goes further and needs no separate walk: it pops op nodes from a
max-heap of creation numbers, discovering parents as it goes, and each op's
step is generated from its op-table entry (kernels.py).

Where the adjoints live: the hot float sweep accumulates into each node's
``_adj`` slot (0.0 outside a sweep) instead of a dict, which halves its cost.
The slots are reset to 0.0 as each adjoint is moved out, so every sweep starts
from a fresh accumulator; a lock keeps two threads' sweeps over shared nodes
(say, the same parameters) from mixing.
"""

from __future__ import annotations

import threading
from heapq import heappop as _heappop
from operator import attrgetter
from typing import Any, Callable, Optional

from .modes import DEFAULT_MODE, _MODE
from .kernels import sweep_step
from .value import Value, local_value_fn, real_data

__all__ = ["topological_order", "reverse_sweep", "backward", "zero_grad", "leaves", "Observer"]

#: Called once per edge of the sweep, in sweep order:
#: observer(node, index, parent, local, upstream, product, running)
#: where ``local`` = ∂node/∂parent, ``upstream`` = adjoint of node, ``product`` =
#: upstream · local and ``running`` = parent's adjoint so far, this edge included.
Observer = Callable[[Value, int, Value, Any, Any, Any, Any], None]

_by_creation = attrgetter("_seq")
_SWEEP_LOCK = threading.RLock()


def _gather(roots: tuple[Value, ...]) -> tuple[list[Value], list[Value]]:
    """(interior, reached): the op nodes that reach ``roots`` and every node that does.

    ``reached`` is in depth-first discovery order (parents in argument order);
    ``interior`` is unordered. Iterative: no recursion.
    """
    for root in roots:
        if not isinstance(root, Value):
            raise TypeError(f"expected a Value, got {type(root).__name__}")
    seen: set[Value] = set()
    reached: list[Value] = []
    interior: list[Value] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        reached.append(node)
        if node._op is not None:
            interior.append(node)
            stack.extend(reversed(node.parents))
    return interior, reached


def topological_order(*roots: Value) -> list[Value]:
    """Every node that reaches ``roots``, each after all of its parents (inputs first).

    Op nodes come in the order they were created; each leaf comes just before
    the first op that uses it, so the list reads like the program that built it.
    """
    interior, reached = _gather(roots)
    interior.sort(key=_by_creation)
    order: list[Value] = []
    placed: set[Value] = set()
    for node in interior:
        for p in node.parents:
            if p._op is None and p not in placed:
                placed.add(p)
                order.append(p)
        order.append(node)
    order.extend(n for n in reached if n._op is None and n not in placed)  # a leaf root
    return order


def leaves(*roots: Value) -> list[Value]:
    """The leaves (inputs and constants) that reach ``roots``."""
    return [n for n in _gather(roots)[1] if n._op is None]



def reverse_sweep(
    root: Value,
    gradient: Any = 1.0,
    *,
    create_graph: bool = False,
    observer: Optional[Observer] = None,
) -> dict[Value, Any]:
    """One reverse sweep from ``root``; returns {node: adjoint ∂root/∂node · gradient}.

    Every node that reaches ``root`` has an entry (0.0 where no path carries
    gradient). Touches no ``.grad``. With ``create_graph=True`` the adjoints are
    Values built from the op table's local derivatives over Values, so they can
    be differentiated again; ``gradient`` may then be a Value too. ``observer``
    (see :data:`Observer`) sees every edge as it is processed.
    """
    if not isinstance(root, Value):
        raise TypeError(f"reverse_sweep needs a Value, got {type(root).__name__}")
    if create_graph:
        seed: Any = gradient if isinstance(gradient, Value) else Value(real_data(gradient, "backward gradient"))
        return _sweep_general(root, seed, True, observer)
    seed = real_data(gradient, "backward gradient")
    if observer is not None:
        return _sweep_general(root, seed, False, observer)
    adj: dict[Value, float] = {}
    _sweep_floats(root, seed, adj)
    return adj


def _sweep_floats(root: Value, seed: float, out: Optional[dict[Value, float]]) -> None:
    """The hot loop: float adjoints in the ``_adj`` slots.

    Op nodes are taken from a max-heap of creation numbers, so the walk that
    finds them and the sweep are one pass: a node is popped only after every
    node created later, hence after all of its children, so its adjoint is
    complete. Each op's step (generated from its op-table entry, see
    kernels.py) adds ``upstream · local`` into each parent and queues the
    parents not seen yet; leaves are kept aside and settled at the end. Each
    adjoint goes into ``out[node]``, or, when ``out`` is None, into ``node.grad``.
    """
    kept: list[Value] = []  # leaves, possibly repeated: a second visit moves 0.0
    keep = kept.append
    with _SWEEP_LOCK:
        try:
            root._adj = seed
            s = root._seq
            if not s:
                keep(root)
            else:
                pending = {s: root}
                take = pending.pop
                heap = [-s]
                while heap:
                    node = take(-_heappop(heap))
                    g = node._adj
                    node._adj = 0.0
                    if out is None:
                        node.grad += g
                    else:
                        out[node] = g
                    op = node._op
                    (op.sweep_step or sweep_step(op))(node, g, pending, heap, keep)
            for node in kept:
                if out is None:
                    node.grad += node._adj
                elif node not in out:
                    out[node] = node._adj
                node._adj = 0.0
        except BaseException:
            _reset(root)  # an error (or KeyboardInterrupt) mid-sweep: restore _adj == 0.0
            raise


def _reset(root: Value) -> None:
    for node in _gather((root,))[1]:
        node._adj = 0.0


def _sweep_general(root: Value, seed: Any, create_graph: bool, observer: Optional[Observer]) -> dict[Value, Any]:
    """The same sweep, edge by edge, over a dict: optionally over Values, with an observer."""
    interior, reached = _gather((root,))
    interior.sort(key=_by_creation, reverse=True)
    adj: dict[Value, Any] = {root: seed}
    for node in interior:
        op = node._op
        g = adj[node]
        ps = node.parents
        if create_graph:
            locs = local_value_fn(op)(*ps, node)
        else:
            locs = op.local_float(*[p.data for p in ps], node.data)
        for k, (p, l) in enumerate(zip(ps, locs)):
            # g · 1 is g: skip the extra node when building a graph of the gradient
            product = g if (create_graph and type(l) is float and l == 1.0) else g * l
            prev = adj.get(p)
            running = product if prev is None else prev + product
            adj[p] = running
            if observer is not None:
                observer(node, k, p, l, g, product, running)
    for node in reached:  # nodes that reach the root along no path carrying gradient
        if node not in adj:
            adj[node] = 0.0
    return adj


def backward(root: Value, gradient: Any = 1.0) -> None:
    """``root.backward(gradient)``: sweep, then add each adjoint into ``node.grad``."""
    if not isinstance(root, Value):
        raise TypeError(f"backward needs a Value, got {type(root).__name__}")
    mode = _MODE.get()
    if mode is not DEFAULT_MODE and mode.anomaly is not None:
        adj = _sweep_general(root, real_data(gradient, "backward gradient"), False, mode.anomaly.on_step)
        for node, g in adj.items():
            node.grad += g
        return
    _sweep_floats(root, real_data(gradient, "backward gradient"), None)


def zero_grad(*roots: Value) -> None:
    """Set ``.grad = 0.0`` on every node that reaches any of ``roots``."""
    for node in _gather(roots)[1]:
        node.grad = 0.0
