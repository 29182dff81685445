"""Reverse topological order and the reverse sweep (back-propagation).

The sweep is the chain rule evaluated from the output back to the inputs
(Goodfellow §6.5): visiting nodes in reverse topological order, each node's
adjoint δ = ∂out/∂node is complete before it is used, and every edge adds
``adjoint[parent] += adjoint[node] · local`` where ``local`` = ∂node/∂parent
comes from the op table. Nothing here recurses, so a chain of a million ops is
fine.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Iterable, Optional

from .modes import DEFAULT_MODE, _MODE
from .value import Value, local_value_fn

__all__ = ["topological_order", "reverse_sweep", "backward", "zero_grad", "Observer"]

#: Called once per edge of the sweep, in sweep order:
#: observer(node, index, parent, local, upstream, product, running)
#: where ``local`` = ∂node/∂parent, ``upstream`` = adjoint of node, ``product`` =
#: upstream · local and ``running`` = parent's adjoint so far, this edge included.
Observer = Callable[[Value, int, Value, Any, Any, Any, Any], None]


def topological_order(*roots: Value) -> list[Value]:
    """Every node that reaches ``roots``, each after all of its parents (inputs first).

    Iterative depth-first search: no recursion, so graph depth is unlimited.
    """
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list[tuple[Value, bool]] = []
    for root in roots:
        if not isinstance(root, Value):
            raise TypeError(f"expected a Value, got {type(root).__name__}")
        stack.append((root, False))
    append, pop, push, seen, mark = order.append, stack.pop, stack.append, visited.__contains__, visited.add
    while stack:
        node, expanded = pop()
        if expanded:
            append(node)
            continue
        if seen(node):
            continue
        mark(node)
        push((node, True))
        for p in node._parents:
            if not seen(p):
                push((p, False))
    return order


def _check_gradient(gradient: Any) -> float:
    if isinstance(gradient, Value):
        return gradient.data
    if isinstance(gradient, bool) or not isinstance(gradient, numbers.Real):
        raise TypeError(f"backward gradient must be a real number, got {type(gradient).__name__}")
    return float(gradient)


def reverse_sweep(
    root: Value,
    gradient: Any = 1.0,
    *,
    create_graph: bool = False,
    observer: Optional[Observer] = None,
) -> dict[Value, Any]:
    """One reverse sweep from ``root``; returns {node: adjoint ∂root/∂node · gradient}.

    Touches no ``.grad``. With ``create_graph=True`` the adjoints are Values built
    from the op table's local derivatives over Values, so they can be
    differentiated again; ``gradient`` may then be a Value too. ``observer`` (see
    :data:`Observer`) sees every edge as it is processed.
    """
    order = topological_order(root)
    if create_graph:
        seed: Any = gradient if isinstance(gradient, Value) else Value(_check_gradient(gradient))
    else:
        seed = _check_gradient(gradient)
    if observer is None and not create_graph:
        return _sweep_floats(order, root, seed)
    return _sweep_general(order, root, seed, create_graph, observer)


def _sweep_floats(order: list[Value], root: Value, seed: float) -> dict[Value, float]:
    """The hot loop: float adjoints, no observer."""
    adj: dict[Value, float] = {root: seed}
    get = adj.get
    for i in range(len(order) - 1, -1, -1):
        node = order[i]
        op = node._op
        if op is None:
            continue
        g = adj[node]
        ps = node._parents
        if len(ps) == 2:
            a, b = ps
            la, lb = op.local_float(a.data, b.data, node.data)
            prev = get(a)
            adj[a] = g * la if prev is None else prev + g * la
            prev = get(b)
            adj[b] = g * lb if prev is None else prev + g * lb
        elif len(ps) == 1:
            a = ps[0]
            (la,) = op.local_float(a.data, node.data)
            prev = get(a)
            adj[a] = g * la if prev is None else prev + g * la
        else:
            locs = op.local_float(*[p.data for p in ps], node.data)
            for p, l in zip(ps, locs):
                prev = get(p)
                adj[p] = g * l if prev is None else prev + g * l
    return adj


def _sweep_general(
    order: list[Value], root: Value, seed: Any, create_graph: bool, observer: Optional[Observer]
) -> dict[Value, Any]:
    """The same sweep, edge by edge, optionally over Values and with an observer."""
    adj: dict[Value, Any] = {root: seed}
    for i in range(len(order) - 1, -1, -1):
        node = order[i]
        op = node._op
        if op is None:
            continue
        g = adj[node]
        ps = node._parents
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
    return adj


def backward(root: Value, gradient: Any = 1.0) -> None:
    """``root.backward(gradient)``: sweep, then add each adjoint into ``node.grad``."""
    mode = _MODE.get()
    observer = None
    if mode is not DEFAULT_MODE and mode.anomaly is not None:
        observer = mode.anomaly.on_step
    adj = reverse_sweep(root, gradient, observer=observer)
    for node, g in adj.items():
        node.grad += g


def zero_grad(*roots: Value) -> None:
    """Set ``.grad = 0.0`` on every node that reaches any of ``roots``."""
    for node in topological_order(*roots):
        node.grad = 0.0


def leaves(*roots: Value) -> list[Value]:
    """The leaves (inputs and constants) that reach ``roots``, in topological order."""
    return [n for n in topological_order(*roots) if n._op is None]
