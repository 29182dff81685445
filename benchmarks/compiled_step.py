"""Compiled training step vs the graph, the batched NumPy path, and a hand-written floor.

Run: ``PYTHONPATH=. python -m benchmarks.compiled_step``

In one process, for an MLP(2, [16, 16, 1]) (relu hidden layers, linear output;
built here from Value parameters with a fixed seed) over 100 points:

1. one training step (mse loss, backward, SGD update) on the graph, versus the
   same step through ``compile`` (the whole 100-point loss traced once);
2. per-sample value and gradients: the graph, one point at a time, versus the
   compiled per-sample loss called once on NumPy arrays of all 100 points;
3. a hand-written straight-line float implementation of the same step: the
   floor for pure-Python code.

Times are the best of several repeats (``time.perf_counter``); the one-time cost
of tracing and compiling is reported separately.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import Any, Callable, Sequence

import numpy as np

from autograd_core import Value, compile

SIZES = [2, 16, 16, 1]
N_POINTS = 100
LR = 0.05


# --------------------------------------------------------------------------- the model
def init_params(seed: int = 0) -> list[float]:
    """Weights and biases, layer by layer, each neuron's weights then its bias."""
    rnd = random.Random(seed)
    params = []
    for nin, nout in zip(SIZES, SIZES[1:]):
        for _ in range(nout):
            params.extend(rnd.uniform(-1, 1) / nin ** 0.5 for _ in range(nin))
            params.append(0.0)
    return params


def make_data(seed: int = 1) -> tuple[list[tuple[float, float]], list[float]]:
    rnd = random.Random(seed)
    xs = [(rnd.uniform(-2, 2), rnd.uniform(-2, 2)) for _ in range(N_POINTS)]
    ys = [1.0 if x1 * x1 + x2 * x2 < 1.5 else -1.0 for x1, x2 in xs]
    return xs, ys


def mlp(params: Sequence[Any], x: Sequence[Any]) -> Any:
    """The MLP on one point, from whatever ``params`` hold (Values, or traced leaves)."""
    it = iter(params)
    act = list(x)
    for layer, (nin, nout) in enumerate(zip(SIZES, SIZES[1:])):
        last = layer == len(SIZES) - 2
        new = []
        for _ in range(nout):
            z = next(it) * act[0]
            for k in range(1, nin):
                z = z + next(it) * act[k]
            z = z + next(it)
            new.append(z if last else z.relu())
        act = new
    return act[0]


def mse_loss(params: Sequence[Any], xs: Sequence[Sequence[Any]], ys: Sequence[Any]) -> Any:
    total = None
    for x, y in zip(xs, ys):
        d = mlp(params, x) - y
        total = d * d if total is None else total + d * d
    return total * (1.0 / len(ys))


def sample_loss(params: Sequence[Any], x1: Any, x2: Any, y: Any) -> Any:
    d = mlp(params, (x1, x2)) - y
    return d * d


# --------------------------------------------------------------------------- the steps
def graph_step(params: list[Value], xs: list, ys: list) -> float:
    loss = mse_loss(params, xs, ys)
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= LR * p.grad
    return loss.data


def make_compiled_step() -> Callable[[list[float], list, list], tuple[list[float], float]]:
    value_and_grad = compile(mse_loss, argnums=0)

    def step(params: list[float], xs: list, ys: list) -> tuple[list[float], float]:
        loss, grads = value_and_grad(params, xs, ys)
        return [p - LR * g for p, g in zip(params, grads)], loss

    step.compiled = value_and_grad  # type: ignore[attr-defined]
    return step


def handwritten_step(params: list[float], xs: list, ys: list) -> tuple[list[float], float]:
    """The same forward, backward and update, written by hand over floats (the floor)."""
    n_in, n_h1, n_h2 = SIZES[0], SIZES[1], SIZES[2]
    # unpack: layer l, neuron j -> (weights, bias) offsets
    W1 = [params[j * (n_in + 1): j * (n_in + 1) + n_in] for j in range(n_h1)]
    b1 = [params[j * (n_in + 1) + n_in] for j in range(n_h1)]
    o2 = n_h1 * (n_in + 1)
    W2 = [params[o2 + j * (n_h1 + 1): o2 + j * (n_h1 + 1) + n_h1] for j in range(n_h2)]
    b2 = [params[o2 + j * (n_h1 + 1) + n_h1] for j in range(n_h2)]
    o3 = o2 + n_h2 * (n_h1 + 1)
    W3 = params[o3: o3 + n_h2]
    b3 = params[o3 + n_h2]
    gW1 = [[0.0] * n_in for _ in range(n_h1)]; gb1 = [0.0] * n_h1
    gW2 = [[0.0] * n_h1 for _ in range(n_h2)]; gb2 = [0.0] * n_h2
    gW3 = [0.0] * n_h2; gb3 = 0.0
    total = 0.0
    scale = 1.0 / len(ys)
    for (x1, x2), y in zip(xs, ys):
        z1 = [w[0] * x1 + w[1] * x2 + b for w, b in zip(W1, b1)]
        h1 = [z if z > 0.0 else 0.0 for z in z1]
        z2 = []
        for w, b in zip(W2, b2):
            s = 0.0
            for wk, hk in zip(w, h1):
                s += wk * hk
            z2.append(s + b)
        h2 = [z if z > 0.0 else 0.0 for z in z2]
        out = b3
        for wk, hk in zip(W3, h2):
            out += wk * hk
        d = out - y
        total += d * d
        dout = 2.0 * d * scale
        gb3 += dout
        dz2 = []
        for k in range(n_h2):
            gW3[k] += dout * h2[k]
            dz2.append(dout * W3[k] if z2[k] > 0.0 else 0.0)
        dh1 = [0.0] * n_h1
        for j in range(n_h2):
            g = dz2[j]
            if g != 0.0:
                gb2[j] += g
                row, grow = W2[j], gW2[j]
                for k in range(n_h1):
                    grow[k] += g * h1[k]
                    dh1[k] += g * row[k]
        for j in range(n_h1):
            if z1[j] > 0.0:
                g = dh1[j]
                gW1[j][0] += g * x1
                gW1[j][1] += g * x2
                gb1[j] += g
    grads = []
    for j in range(n_h1):
        grads.extend(gW1[j]); grads.append(gb1[j])
    for j in range(n_h2):
        grads.extend(gW2[j]); grads.append(gb2[j])
    grads.extend(gW3); grads.append(gb3)
    return [p - LR * g for p, g in zip(params, grads)], total * scale


def graph_per_sample(params: list[Value], xs: list, ys: list) -> list[list[float]]:
    """Value and gradient of every point's loss, one graph per point."""
    out = []
    for (x1, x2), y in zip(xs, ys):
        for p in params:
            p.grad = 0.0
        loss = sample_loss(params, x1, x2, y)
        loss.backward()
        out.append([loss.data] + [p.grad for p in params])
    return out


# --------------------------------------------------------------------------- timing
def best_of(fn: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run(out=sys.stdout, repeats: int = 5) -> dict[str, float]:
    """Check that the implementations agree, time them, print a Markdown table; return the times (s)."""
    p = lambda *a: print(*a, file=out)  # noqa: E731
    params0 = init_params()
    xs, ys = make_data()
    x1s = np.array([x[0] for x in xs]); x2s = np.array([x[1] for x in xs]); yarr = np.array(ys)

    # --- correctness first: the three steps agree
    vparams = [Value(v) for v in params0]
    loss_graph = mse_loss(vparams, xs, ys)
    loss_graph.backward()
    t0 = time.perf_counter()
    step = make_compiled_step()
    new_c, loss_c = step(list(params0), xs, ys)
    t_compile = time.perf_counter() - t0
    new_h, loss_h = handwritten_step(list(params0), xs, ys)
    new_g = [v.data - LR * v.grad for v in vparams]
    assert loss_c == loss_graph.data and new_c == new_g, "compiled step must equal the graph step exactly"
    assert abs(loss_h - loss_c) < 1e-12 and max(abs(a - b) for a, b in zip(new_h, new_c)) < 1e-12
    n_lines = step.compiled.source.count("\n")

    batch_fn = compile(sample_loss, argnums=0)
    t0 = time.perf_counter()
    batch_fn(list(params0), x1s, x2s, yarr)
    t_compile_batch = time.perf_counter() - t0
    vals, grads = batch_fn(list(params0), x1s, x2s, yarr)
    ref = graph_per_sample([Value(v) for v in params0], xs[:3], ys[:3])
    for k in range(3):
        assert abs(vals[k] - ref[k][0]) <= 1e-12 * max(1, abs(ref[k][0]))
        assert all(abs(g[k] - r) <= 1e-12 * max(1.0, abs(r)) for g, r in zip(grads, ref[k][1:]))

    # --- timings
    vparams = [Value(v) for v in params0]
    t_graph = best_of(lambda: graph_step(vparams, xs, ys), repeats)
    t_comp = best_of(lambda: step(list(params0), xs, ys), repeats * 4)
    t_hand = best_of(lambda: handwritten_step(list(params0), xs, ys), repeats * 4)
    vparams = [Value(v) for v in params0]
    t_graph_ps = best_of(lambda: graph_per_sample(vparams, xs, ys), repeats)
    t_batch = best_of(lambda: batch_fn(list(params0), x1s, x2s, yarr), repeats * 4)

    n_params = len(params0)
    p(f"MLP{tuple(SIZES)}: {n_params} parameters, {N_POINTS} points, "
      f"graph of {len(__import__('autograd_core').topological_order(loss_graph))} nodes per step")
    p(f"one-time trace + code generation + compile: {t_compile * 1e3:.0f} ms for the 100-point step "
      f"({n_lines} lines), {t_compile_batch * 1e3:.0f} ms for the per-sample function")
    p("")
    rows = [
        ("(1) training step: graph (forward, backward, SGD)", t_graph, None),
        ("    training step: compiled straight-line code", t_comp, t_graph / t_comp),
        ("    training step: hand-written floats (floor)", t_hand, t_graph / t_hand),
        ("(2) per-sample value+grad: graph, 100 graphs", t_graph_ps, None),
        ("    per-sample value+grad: compiled, one NumPy call", t_batch, t_graph_ps / t_batch),
    ]
    p("| | time | speed-up |")
    p("|---|---:|---:|")
    for name, t, ratio in rows:
        p(f"| {name.strip()} | {t * 1e3:.2f} ms | {'' if ratio is None else f'{ratio:.1f}x'} |")
    p("")
    p(f"(1) compiled vs graph: {t_graph / t_comp:.1f}x faster (target >= 10x)")
    p(f"(2) batched NumPy vs per-sample graph: {t_graph_ps / t_batch:.1f}x faster (target >= 50x)")
    p(f"(3) compiled vs hand-written floats: {t_comp / t_hand:.2f}x the time of the floor")
    return {
        "graph_step": t_graph, "compiled_step": t_comp, "handwritten_step": t_hand,
        "graph_per_sample": t_graph_ps, "numpy_batch": t_batch,
        "compile_time": t_compile, "compile_time_batch": t_compile_batch,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compiled_step", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of the slow paths (fast ones: 4x); best is reported")
    args = parser.parse_args(argv)
    run(repeats=args.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
