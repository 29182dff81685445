"""Matplotlib pictures for the demo and the notebooks: decision boundary and loss curve.

matplotlib is imported inside the functions (it is in the ``demo`` extra). With
``ax=None`` a new ``matplotlib.figure.Figure`` is made without pyplot, so these
work under any backend (the demo saves PNGs headless).
"""

from __future__ import annotations

from typing import Any, Sequence

from .train import History, predict_scores

__all__ = ["decision_grid", "plot_decision_boundary", "plot_loss_curve"]


def _new_ax(ax: Any, figsize: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="tight").add_subplot()


def decision_grid(model: Any, X: Sequence[Sequence[float]], resolution: int = 100, margin: float = 0.5):
    """Model class predictions on a ``resolution``² grid around the 2-D points ``X``.

    Returns ``(xs, ys, Z)`` with ``Z[i][j]`` the class at ``(xs[j], ys[i])``.
    """
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2, got {resolution!r}")
    x0 = [p[0] for p in X]
    x1 = [p[1] for p in X]
    lo0, hi0 = min(x0) - margin, max(x0) + margin
    lo1, hi1 = min(x1) - margin, max(x1) + margin
    xs = [lo0 + (hi0 - lo0) * j / (resolution - 1) for j in range(resolution)]
    ys = [lo1 + (hi1 - lo1) * i / (resolution - 1) for i in range(resolution)]
    scores = predict_scores(model, [[a, b] for b in ys for a in xs])
    classes = []
    for s in scores:
        if isinstance(s, list):
            classes.append(max(range(len(s)), key=s.__getitem__))
        else:
            classes.append(1 if s > 0.0 else 0)
    Z = [classes[i * resolution:(i + 1) * resolution] for i in range(resolution)]
    return xs, ys, Z


def plot_decision_boundary(model: Any, X: Sequence[Sequence[float]], y: Sequence[Any], ax: Any = None,
                           resolution: int = 100, title: str | None = None) -> Any:
    """Filled regions of the predicted class, with the points coloured by label. Returns the Axes."""
    ax = _new_ax(ax, (5.5, 5.0))
    xs, ys, Z = decision_grid(model, X, resolution)
    labels = [0 if v == -1 else int(v) for v in y]  # ±1 labels colour like 0/1
    k = max(max(labels), max(max(r) for r in Z)) + 1
    ax.contourf(xs, ys, Z, levels=[c - 0.5 for c in range(k + 1)], cmap="Spectral", alpha=0.35)
    ax.scatter([p[0] for p in X], [p[1] for p in X], c=labels, s=22, cmap="Spectral",
               vmin=0, vmax=max(k - 1, 1), edgecolors="k", linewidths=0.5)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if title:
        ax.set_title(title)
    return ax


def plot_loss_curve(history: History, ax: Any = None, title: str = "training loss") -> Any:
    """Loss per epoch (log scale) with training (and validation) accuracy on a second axis."""
    ax = _new_ax(ax, (6.5, 4.0))
    epochs = range(1, history.epochs + 1)
    ax.plot(epochs, history.loss, color="C0", label="loss")
    if history.loss and min(history.loss) > 0:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss", color="C0")
    acc = ax.twinx()
    acc.plot(epochs, history.accuracy, color="C1", label="train accuracy")
    if history.val_accuracy:
        acc.plot(epochs, history.val_accuracy, color="C2", linestyle="--", label="held-out accuracy")
    acc.set_ylim(0.0, 1.05)
    acc.set_ylabel("accuracy")
    lines = ax.get_lines() + acc.get_lines()
    ax.legend(lines, [ln.get_label() for ln in lines], loc="center right")
    ax.set_title(title)
    return ax
