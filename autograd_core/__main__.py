"""``python -m autograd_core``: a short guided run of the engine.

Builds a small expression (a single tanh neuron), prints its value, the
gradient of every input, and the reverse sweep step by step: for every edge,
the local derivative from the op table, the upstream adjoint, their product,
and the running sum where a node fans out.
"""

from __future__ import annotations

import sys

from . import Value, reverse_sweep, topological_order


def _name(v: Value, names: dict[Value, str]) -> str:
    if v not in names:
        names[v] = v.label or (f"{v.data:g}" if v.is_leaf else f"n{len(names)}")
    return names[v]


def main(out=sys.stdout) -> int:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p("A neuron: o = tanh(x1·w1 + x2·w2 + b)\n")
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1; x1w1.label = "x1w1"
    x2w2 = x2 * w2; x2w2.label = "x2w2"
    s = x1w1 + x2w2; s.label = "x1w1+x2w2"
    n = s + b; n.label = "n"
    o = n.tanh(); o.label = "o"

    p("Forward pass, in topological order (each node after its parents):")
    names: dict[Value, str] = {}
    for v in topological_order(o):
        nm = _name(v, names)
        if v.is_leaf:
            p(f"  {nm:>10} = {v.data:.6g}   (input)")
        else:
            args = ", ".join(_name(q, names) for q in v.parents)
            p(f"  {nm:>10} = {v.op_info.name}({args}) = {v.data:.6g}")

    p("\nReverse sweep, in reverse topological order: adjoint[parent] += adjoint[node] · local")
    p("  start: ∂o/∂o = 1")

    def show(node, k, parent, local, upstream, product, running):
        rule = node.op_info.rule(k)
        p(f"  {_name(node, names):>10} → {_name(parent, names):<10} {rule:<34} "
          f"local = {local:<9.6g} upstream = {upstream:<9.6g} product = {product:<9.6g} "
          f"running sum = {running:.6g}")

    reverse_sweep(o, observer=show)
    o.backward()
    p("\nGradients of the inputs after o.backward():")
    for v in (x1, w1, x2, w2, b):
        p(f"  ∂o/∂{v.label:<3} = {v.grad: .6g}")
    p("\nThe same numbers as the sweep's last running sum for each input: the chain rule,")
    p("evaluated once per edge, back to front.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
