"""Engine benchmark: autograd_core against micrograd and PyTorch, in one process.

    python -m benchmarks.engine            # the sizes of the issue (a minute or two)
    python -m benchmarks.engine --quick    # tiny sizes, to check that it runs

(a) a chain of N steps ``tanh(x * 1.0001 + 0.1)``, forward + backward;
(b) the sum of x_i * x_j over n inputs, forward + backward;
(c) bytes per graph node (tracemalloc), on the chain of (a).

Each measurement is the median of several runs, the libraries interleaved and
the garbage collector left on (it is part of the real cost), after a full
collection. micrograd 0.1.0 has no tanh: the benchmark adds one written in
micrograd's own style (a closure per node), as in its author's lectures.
micrograd's backward recurses, so (a) is also run at the deepest chain it
survives under Python's default recursion limit; (b) and the full-size (a)
raise the limit for it.
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import sys
import time
import tracemalloc
from typing import Any, Callable

from autograd_core import Value


def _micrograd_value() -> Any:
    from micrograd.engine import Value as MValue

    if not hasattr(MValue, "tanh"):

        def tanh(self):  # micrograd's style: the local derivative in a closure
            t = math.tanh(self.data)
            out = MValue(t, (self,), "tanh")

            def _backward():
                self.grad += (1 - t * t) * out.grad

            out._backward = _backward
            return out

        MValue.tanh = tanh
    return MValue


def _torch_leaf(torch: Any) -> Callable[[float], Any]:
    def leaf(x: float) -> Any:
        return torch.tensor(x, dtype=torch.float64, requires_grad=True)

    return leaf


# ----------------------------------------------------------------- workloads
def chain(make: Callable[[float], Any], tanh: Callable[[Any], Any], n: int) -> Any:
    x = make(0.1)
    y = x
    for _ in range(n):
        y = tanh(y * 1.0001 + 0.1)
    y.backward()
    return x


def pairs(make: Callable[[float], Any], n: int) -> Any:
    xs = [make(i / n) for i in range(n)]
    s = xs[0] * 0.0
    for xi in xs:
        for xj in xs:
            s = s + xi * xj
    s.backward()
    return xs[0]


def timed(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def interleaved(cases: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Median seconds per case, running the cases in turn ``repeats`` times."""
    runs: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(repeats):
        for name, fn in cases.items():
            runs[name].append(timed(fn, 1))
    return {k: statistics.median(v) for k, v in runs.items()}


def deepest_micrograd_chain(MValue: Any, limit: int = 20_000) -> int:
    """The longest chain micrograd's backward survives at the current recursion limit."""
    lo, hi = 1, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:  # through the same calls as the timed runs: the same stack depth
            interleaved({"micrograd": lambda: chain(MValue, MValue.tanh, mid)}, 1)
            lo = mid
        except RecursionError:
            hi = mid - 1
    return lo


def bytes_per_node(build: Callable[[], Any], count: Callable[[Any], int]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        graph = build()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    n = count(graph)
    del graph
    return (after - before) / n


def _count_ours(root: Value) -> int:
    from autograd_core import topological_order

    return len(topological_order(root))


def _count_micrograd(root: Any) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        v = stack.pop()
        for c in v._prev:
            if id(c) not in seen:
                seen.add(id(c))
                stack.append(c)
    return len(seen)


def _forward_chain(make: Callable[[float], Any], tanh: Callable[[Any], Any], n: int) -> Any:
    y = make(0.1)
    for _ in range(n):
        y = tanh(y * 1.0001 + 0.1)
    return y


# --------------------------------------------------------------------- main
def run(chain_n: int, pairs_n: int, repeats: int, out=sys.stdout) -> dict[str, Any]:
    import torch

    torch.set_num_threads(1)
    MValue = _micrograd_value()
    ours = Value
    tleaf = _torch_leaf(torch)
    results: dict[str, Any] = {}
    p = lambda *a: print(*a, file=out)  # noqa: E731

    default_limit = sys.getrecursionlimit()
    deep = deepest_micrograd_chain(MValue, limit=min(chain_n, 20_000))
    results["micrograd_deepest_chain"] = deep

    a_small = interleaved({
        "autograd_core": lambda: chain(ours, Value.tanh, deep),
        "micrograd": lambda: chain(MValue, MValue.tanh, deep),
        "pytorch": lambda: chain(tleaf, torch.tanh, deep),
    }, repeats)
    results["chain_deepest"] = a_small

    sys.setrecursionlimit(max(default_limit, 10 * chain_n + 10 * pairs_n * pairs_n))
    try:
        a_full = interleaved({
            "autograd_core": lambda: chain(ours, Value.tanh, chain_n),
            "micrograd": lambda: chain(MValue, MValue.tanh, chain_n),
            "pytorch": lambda: chain(tleaf, torch.tanh, chain_n),
        }, max(3, repeats // 3))
        b = interleaved({
            "autograd_core": lambda: pairs(ours, pairs_n),
            "micrograd": lambda: pairs(MValue, pairs_n),
            "pytorch": lambda: pairs(tleaf, pairs_n),
        }, max(3, repeats // 3))
    finally:
        sys.setrecursionlimit(default_limit)
    results["chain_full"] = a_full
    results["pairs"] = b

    mem_n = min(chain_n, 20_000)
    c_ours = bytes_per_node(lambda: _forward_chain(ours, Value.tanh, mem_n), _count_ours)
    c_micro = bytes_per_node(lambda: _forward_chain(MValue, MValue.tanh, mem_n), _count_micrograd)
    results["bytes_per_node"] = {"autograd_core": c_ours, "micrograd": c_micro}

    def row(label: str, r: dict[str, float]) -> str:
        a, m, t = r["autograd_core"], r["micrograd"], r["pytorch"]
        return (f"| {label} | {a * 1e3:.1f} | {m * 1e3:.1f} | {t * 1e3:.1f} | "
                f"{m / a:.2f}x | {t / a:.2f}x |")

    p(f"Python {sys.version.split()[0]}, torch {torch.__version__}, {repeats} interleaved runs, median wall time")
    p("")
    p("| workload (forward + backward) | autograd_core ms | micrograd ms | PyTorch ms | vs micrograd | vs PyTorch |")
    p("|---|---|---|---|---|---|")
    p(row(f"(a) tanh chain, N = {deep} (deepest micrograd survives at the default recursion limit)", a_small))
    p(row(f"(a) tanh chain, N = {chain_n:,} (recursion limit raised for micrograd)", a_full))
    p(row(f"(b) Σ x_i·x_j, n = {pairs_n} ({pairs_n * pairs_n:,} products)", b))
    p("")
    p(f"(c) bytes per node (tracemalloc, tanh chain of {mem_n:,} steps): autograd_core {c_ours:.0f}, "
      f"micrograd {c_micro:.0f} ({c_ours / c_micro:.0%} of micrograd's)")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check that it runs")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args(argv)
    if args.quick:
        run(chain_n=300, pairs_n=20, repeats=args.repeats or 3)
    else:
        run(chain_n=100_000, pairs_n=300, repeats=args.repeats or 9)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
