"""One full training step of MLP(2, [16, 16, 1]): ours vs micrograd 0.1.0 vs PyTorch scalars.

A step is micrograd's demo step: forward over 100 two-moons points, hinge loss
+ 1e-4·L2, zero_grad, backward, SGD update. All three start from the same
weights and build the same scalar graph (PyTorch with 0-dim float64 tensors);
they run interleaved in one process (``gc.collect()`` before each timed step,
untimed) and the median of several repeats is reported, with the loss of the
first step as a check that they agree.

Two rows for us: ``nn.train_step`` (what ``fit`` runs: nn's losses and SGD)
and micrograd's loop written with our Values, node for node micrograd's graph.
The cycle collector stays on for everyone, as in a user's program.

    PYTHONPATH=. python -m benchmarks.train_step [--repeats 7] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import platform
import pstats
import statistics
import sys
import time

from nn import MLP, SGD, make_moons, to_pm1, train_step

ALPHA = 1e-4
LR = 0.05


def make_nn_step(model):
    opt = SGD(model, lr=LR)

    def step(m, X, y):
        loss, _ = train_step(m, X, y, "hinge", opt, l2=ALPHA)
        return loss

    return step


def ours_step(model, X, y):
    """micrograd's demo step written with our Values, node for node the same graph."""
    params = model.parameters()
    scores = [model(x) for x in X]
    data_loss = sum((1 + -yi * s).relu() for yi, s in zip(y, scores)) * (1.0 / len(X))
    loss = data_loss + ALPHA * sum(p * p for p in params)
    model.zero_grad()
    loss.backward()
    for p in params:
        p.data -= LR * p.grad
    return loss.data


def make_micrograd(model):
    from micrograd.nn import MLP as MgMLP

    mg = MgMLP(2, [16, 16, 1])
    for p, q in zip(mg.parameters(), model.parameters(), strict=True):
        p.data = q.data  # same order: per neuron, weights then bias
    return mg


def micrograd_step(mg, X, y):
    from micrograd.engine import Value as MgValue

    inputs = [list(map(MgValue, x)) for x in X]
    scores = list(map(mg, inputs))
    data_loss = sum((1 + -yi * s).relu() for yi, s in zip(y, scores)) * (1.0 / len(X))
    loss = data_loss + ALPHA * sum(p * p for p in mg.parameters())
    mg.zero_grad()
    loss.backward()
    for p in mg.parameters():
        p.data -= LR * p.grad
    return loss.data


def make_torch(model):
    import torch

    layers = []
    for layer in model.layers:
        layers.append([
            ([torch.tensor(w.data, dtype=torch.float64, requires_grad=True) for w in n.w],
             torch.tensor(n.b.data, dtype=torch.float64, requires_grad=True), n.activation)
            for n in layer.neurons
        ])
    params = [t for layer in layers for ws, b, _ in layer for t in ws + [b]]
    return layers, params


def torch_step(tmodel, X, y):
    import torch

    layers, params = tmodel

    def forward(x):
        for layer in layers:
            out = []
            for ws, b, act in layer:
                a = b
                for w, xi in zip(ws, x):
                    a = a + w * xi
                out.append(torch.relu(a) if act == "relu" else a)
            x = out
        return x[0]

    xs = [[torch.tensor(v, dtype=torch.float64) for v in row] for row in X]
    scores = [forward(x) for x in xs]
    data_loss = sum(torch.relu(1 + -yi * s) for yi, s in zip(y, scores)) * (1.0 / len(X))
    loss = data_loss + ALPHA * sum(p * p for p in params)
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= LR * p.grad
    return loss.item()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.train_step", description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7, help="timed steps per implementation (median reported)")
    ap.add_argument("--profile", action="store_true", help="also print a cProfile of our step")
    args = ap.parse_args(argv)
    sys.setrecursionlimit(100_000)  # micrograd's topological sort is recursive

    import torch

    torch.set_num_threads(1)
    X, y01 = make_moons(100, noise=0.1, seed=0)
    y = to_pm1(y01)
    model = MLP(2, [16, 16, 1], seed=0)
    mg = make_micrograd(model)
    tm = make_torch(model)
    twin = MLP(2, [16, 16, 1], seed=0)
    impls = [("ours: nn.train_step", make_nn_step(model), model),
             ("ours: micrograd's loop", ours_step, twin),
             ("micrograd 0.1.0", micrograd_step, mg),
             ("PyTorch 0-dim float64", torch_step, tm)]

    first = [fn(m, X, y) for _, fn, m in impls]  # warm-up step, and the check that all agree
    spread = max(first) - min(first)  # nn's hinge skips micrograd's ·(−1) node: equal up to rounding
    times: dict[str, list[float]] = {name: [] for name, _, _ in impls}
    for _ in range(args.repeats):
        for name, fn, m in impls:  # interleaved: the same machine state for all three
            # start each step from a clean heap: otherwise one library's uncollected cyclic
            # garbage (micrograd's closures) is scanned by the collector during the next one's step
            gc.collect()
            t0 = time.perf_counter()
            fn(m, X, y)
            times[name].append(time.perf_counter() - t0)

    med = {k: statistics.median(v) for k, v in times.items()}
    ours = med["ours: nn.train_step"]
    print(f"MLP(2, [16, 16, 1]), 337 parameters; 100 moons points; hinge + L2; SGD. "
          f"Python {platform.python_version()}, torch {torch.__version__} (1 thread), "
          f"median of {args.repeats} interleaved steps.")
    print(f"first-step losses agree to {spread:.1e}: " + ", ".join(f"{v:.12f}" for v in first))
    print()
    print(f"| {'implementation':<24} | {'ms / step':>9} | {'time vs ours':>12} |")
    print(f"|{'-' * 26}|{'-' * 10}:|{'-' * 13}:|")
    for name in times:
        print(f"| {name:<24} | {med[name] * 1e3:9.1f} | {med[name] / ours:11.2f}x |")

    if args.profile:
        print("\ncProfile of one step of micrograd's loop with our Values (by own time):")
        pr = cProfile.Profile()
        pr.enable()
        ours_step(twin, X, y)
        pr.disable()
        pstats.Stats(pr).sort_stats("tottime").print_stats(12)
        gc.collect()
        gc.disable()
        t0 = time.perf_counter()
        ours_step(twin, X, y)
        t1 = time.perf_counter()
        gc.enable()
        t2 = time.perf_counter()
        ours_step(twin, X, y)
        t3 = time.perf_counter()
        print(f"one step of micrograd's loop with our Values, cycle collector off: {1e3 * (t1 - t0):.1f} ms, on: {1e3 * (t3 - t2):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
