"""``python -m nn``: train an MLP on a toy data set and draw what it learned.

Default: micrograd's demo. ``MLP(2, [16, 16, 1])`` on 100 points of two moons
(noise 0.1), hinge loss + 1e-4·L2, full-batch SGD with the learning rate
falling linearly from 1.0 to 0.1 over 100 epochs; 200 more points from the
same draw are held out for the test accuracy. ``--dataset spirals`` trains
3-class spirals with cross-entropy and Adam (see ``CONFIGS``).

Writes to ``--out`` (default ``./out``): ``decision_boundary.png``,
``loss_curve.png`` and ``neuron_graph.svg`` (the computation graph of one
neuron's output on one training point, with data and gradient on each node).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from typing import Any, Sequence

from autograd_core import RenderError, Value, draw_dot

from . import (
    MLP,
    SGD,
    Adam,
    LinearDecayLR,
    accuracy,
    fit,
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
    to_pm1,
    train_test_split,
)
from .train import History


@dataclass(frozen=True)
class Config:
    """How the demo trains on one data set."""

    make: Any
    data_kwargs: dict
    n_train: int
    n_test: int
    classes: int  # 2: one output and hinge loss on ±1; more: one output per class and cross-entropy
    optimizer: str  # "sgd": linear decay lr → lr/10 over the epochs (micrograd); "adam": constant lr
    lr: float
    epochs: int
    batch_size: int | None
    l2: float


CONFIGS: dict[str, Config] = {
    "moons": Config(make_moons, {"noise": 0.1}, 100, 200, 2, "sgd", 1.0, 100, None, 1e-4),
    "circles": Config(make_circles, {"noise": 0.05, "factor": 0.5}, 100, 200, 2, "sgd", 1.0, 100, None, 1e-4),
    "xor": Config(make_xor, {"noise": 0.0}, 100, 200, 2, "sgd", 1.0, 100, None, 1e-4),
    # 3-class spirals (noise 0.2, 0.6 turns): Adam(lr=0.05), batches of 30, 30 epochs
    "spirals": Config(make_spirals, {"classes": 3, "noise": 0.2}, 150, 150, 3, "adam", 0.05, 30, 30, 0.0),
}


# --------------------------------------------------------------------------- #
# Command line
# --------------------------------------------------------------------------- #
def _hidden(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated layer sizes like 16,16, got {text!r}") from None
    if not sizes or any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be positive integers, got {text!r}")
    return sizes


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return n


def _positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not 0.0 < x < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return x


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m nn",
        description="Train an MLP built from scalar Values on a toy data set; write the decision "
        "boundary, the loss curve and one neuron's computation graph.",
    )
    p.add_argument("--dataset", choices=sorted(CONFIGS), default="moons", help="toy data set (default: moons)")
    p.add_argument("--hidden", type=_hidden, default=[16, 16], metavar="16,16",
                   help="hidden layer sizes, comma-separated (default: 16,16)")
    p.add_argument("--epochs", type=_positive_int, default=None, help="training epochs (default: per data set)")
    p.add_argument("--lr", type=_positive_float, default=None, help="(starting) learning rate (default: per data set)")
    p.add_argument("--seed", type=_int, default=1, help="seed for data and weights (default: 1)")
    p.add_argument("--out", default="out", help="output folder (default: ./out)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no messages except errors")
    return p


# --------------------------------------------------------------------------- #
# Training
# --------------------------------------------------------------------------- #
@dataclass
class Result:
    model: MLP
    history: History
    X_train: list
    y_train: list
    X_test: list
    y_test: list
    train_accuracy: float
    test_accuracy: float


def train_demo(dataset: str = "moons", hidden: Sequence[int] = (16, 16), epochs: int | None = None,
               lr: float | None = None, seed: int = 1, progress: bool | None = None) -> Result:
    """Data, model and training for one data set, as ``python -m nn`` does it."""
    cfg = CONFIGS[dataset]
    epochs = cfg.epochs if epochs is None else epochs
    lr = cfg.lr if lr is None else lr
    X, y = cfg.make(cfg.n_train + cfg.n_test, seed=seed, **cfg.data_kwargs)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=cfg.n_test, seed=seed)
    nout = 1 if cfg.classes == 2 else cfg.classes
    model = MLP(2, [*hidden, nout], seed=seed)
    if cfg.optimizer == "sgd":
        opt: Any = SGD(model, lr=LinearDecayLR(lr, lr / 10, epochs))
    else:
        opt = Adam(model, lr=lr)
    if cfg.classes == 2:
        y_fit, loss = to_pm1(y_train), "hinge"
    else:
        y_fit, loss = y_train, "cross_entropy"
    history = fit(model, X_train, y_fit, loss, opt, epochs, batch_size=cfg.batch_size, l2=cfg.l2,
                  seed=seed, validation=(X_test, y_test), progress=progress)
    return Result(model, history, X_train, y_train, X_test, y_test,
                  accuracy(model, X_train, y_train), accuracy(model, X_test, y_test))


# --------------------------------------------------------------------------- #
# One neuron's computation graph
# --------------------------------------------------------------------------- #
def neuron_graph(model: MLP, x: Sequence[float]) -> Value:
    """The output of one first-layer neuron on input ``x``, built from labelled copies
    of its weights (the model is not touched), after ``backward()``.

    Picks the first neuron whose pre-activation is positive, so gradients are not all 0.
    """
    neurons = model.layers[0].neurons
    chosen = 0
    for i, n in enumerate(neurons):
        pre = n.b.data + sum(w.data * xi for w, xi in zip(n.w, x))
        if pre > 0:
            chosen = i
            break
    n = neurons[chosen]
    xs = [Value(xi, label=f"x{j + 1}") for j, xi in enumerate(x)]
    ws = [Value(w.data, label=w.label) for w in n.w]
    act = Value(n.b.data, label=n.b.label)
    for wi, xi in zip(ws, xs):
        act = act + wi * xi
    act.label = "pre-activation"
    out = act if n.activation == "linear" else getattr(act, n.activation)()
    out.label = f"layers.0.neurons.{chosen} output"
    out.backward()
    return out


def write_graph(root: Value, out_dir: str) -> str:
    """Write ``neuron_graph.svg`` (``neuron_graph.dot`` when no Graphviz renderer is
    installed) with ``autograd_core.draw_dot``; returns the path."""
    # the copies of the neuron's weights keep their parameter names: colour them as parameters
    graph = draw_dot(root, params=lambda v: v.is_leaf and v.label.startswith("layers."))
    try:
        return str(graph.save(os.path.join(out_dir, "neuron_graph.svg")))
    except RenderError:
        return str(graph.save(os.path.join(out_dir, "neuron_graph.dot")))


# --------------------------------------------------------------------------- #
# Pictures and main
# --------------------------------------------------------------------------- #
def write_pictures(result: Result, dataset: str, out_dir: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")  # headless: files only
    from .plots import plot_decision_boundary, plot_loss_curve

    ax = plot_decision_boundary(
        result.model, result.X_train, result.y_train,
        title=f"{dataset}: train {result.train_accuracy:.0%}, held-out {result.test_accuracy:.0%}")
    p1 = os.path.join(out_dir, "decision_boundary.png")
    ax.figure.savefig(p1, dpi=100)
    ax = plot_loss_curve(result.history, title=f"{dataset}: loss and accuracy per epoch")
    p2 = os.path.join(out_dir, "loss_curve.png")
    ax.figure.savefig(p2, dpi=100)
    p3 = write_graph(neuron_graph(result.model, result.X_train[0]), out_dir)
    return [p1, p2, p3]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # bad flags: usage message and exit status 2
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))  # noqa: E731
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as e:
        print(f"python -m nn: error: cannot create output folder {args.out!r}: {e.strerror or e}", file=sys.stderr)
        return 1
    cfg = CONFIGS[args.dataset]
    nout = 1 if cfg.classes == 2 else cfg.classes
    say(f"Training MLP(2, {[*args.hidden, nout]}) on {cfg.n_train} points of {args.dataset} "
        f"(seed {args.seed}); {cfg.n_test} more points held out.")
    result = train_demo(args.dataset, args.hidden, args.epochs, args.lr, args.seed,
                        progress=False if args.quiet else None)
    say(result.model)
    say(f"final loss {result.history.loss[-1]:.4f}; train accuracy {result.train_accuracy:.1%}; "
        f"held-out accuracy {result.test_accuracy:.1%}")
    try:
        paths = write_pictures(result, args.dataset, args.out)
    except OSError as e:
        print(f"python -m nn: error: cannot write to {args.out!r}: {e.strerror or e}", file=sys.stderr)
        return 1
    for p in paths:
        say(f"wrote {p}")
    if paths[-1].endswith(".dot"):
        say("(no Graphviz renderer found: pip install graphviz-pure to get the SVG)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
