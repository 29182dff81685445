"""Training loop: ``fit``, ``predict``, ``accuracy``.

One step of ``fit`` is micrograd's loop: forward every sample of the batch,
loss (+ L2 penalty), ``zero_grad``, ``backward``, ``optimizer.step()``.

Class predictions from model outputs:
- one output s per sample: class 1 if s > 0 else class 0; labels may be 0/1
  or −1/+1 (a label counts as positive when it is > 0);
- several outputs: the index of the largest score (argmax).
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from autograd_core import Value, no_grad

from .data import batches
from .losses import LOSSES, l2_penalty
from .optim import Optimizer

__all__ = ["fit", "train_step", "predict", "predict_scores", "accuracy", "History"]


@dataclass
class History:
    """What ``fit`` recorded, one entry per epoch.

    ``loss``: mean training loss over the epoch's batches (data loss + L2);
    ``accuracy``: training accuracy of the outputs computed during the epoch
    (before each batch's update); ``val_loss``/``val_accuracy`` when a
    validation set was given; ``lr``: learning rate at the epoch's last step;
    ``time``: seconds per epoch.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    time: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def __getitem__(self, key: str) -> list[float]:
        if key not in self.__dataclass_fields__:
            raise KeyError(f"no {key!r} in history; have {', '.join(self.__dataclass_fields__)}")
        return getattr(self, key)

    def as_dict(self) -> dict[str, list[float]]:
        return {k: list(getattr(self, k)) for k in self.__dataclass_fields__}


def _score_class(out: Any) -> int:
    if isinstance(out, (list, tuple)):
        best, best_i = None, 0
        for i, s in enumerate(out):
            d = float(s)
            if best is None or d > best:
                best, best_i = d, i
        return best_i
    return 1 if float(out) > 0.0 else 0


def _label_class(y: Any, multi: bool) -> int:
    return int(y) if multi else (1 if float(y) > 0.0 else 0)


def _correct(outputs: Sequence[Any], y: Sequence[Any]) -> int:
    return sum(
        _score_class(o) == _label_class(t, isinstance(o, (list, tuple))) for o, t in zip(outputs, y)
    )


def predict_scores(model: Callable[[Any], Any], X: Sequence[Any]) -> list[Any]:
    """The raw model outputs as floats (a float per sample, or a list of floats), without recording a graph."""
    fast = getattr(model, "forward_float", None)
    if fast is not None:  # an MLP: the same numbers without building Values
        return [fast(x) for x in X]
    out = []
    with no_grad():
        for x in X:
            o = model(x)
            out.append([float(s) for s in o] if isinstance(o, (list, tuple)) else float(o))
    return out


def predict(model: Callable[[Any], Any], X: Sequence[Any]) -> list[int]:
    """Class per sample: argmax of the scores, or 1 if the single score is > 0 else 0."""
    return [_score_class(o) for o in predict_scores(model, X)]


def accuracy(model: Callable[[Any], Any], X: Sequence[Any], y: Sequence[Any]) -> float:
    """Fraction of samples whose predicted class matches the label (0/1, ±1 or class index)."""
    if len(X) != len(y):
        raise ValueError(f"accuracy: X has {len(X)} samples but y has {len(y)}")
    if len(X) == 0:
        raise ValueError("accuracy: no samples")
    return _correct(predict_scores(model, X), y) / len(X)


def train_step(model: Any, X: Sequence[Any], y: Sequence[Any], loss: str | Callable[[Any, Any], Value],
               optimizer: Optimizer, l2: float = 0.0) -> tuple[float, list[Any]]:
    """One step on one batch: forward every sample, loss (+ l2 · Σ p²), ``zero_grad``,
    ``backward``, ``optimizer.step()``. Returns the loss and the outputs as floats
    (a float per sample, or a list of floats); the graph is freed before returning."""
    loss_fn = _resolve_loss(loss)
    outputs = [model(x) for x in X]
    batch_loss = loss_fn(outputs, y)
    if l2:
        batch_loss = batch_loss + l2_penalty(model.parameters(), l2)
    model.zero_grad()
    batch_loss.backward()
    optimizer.step()
    scores = [[s.data for s in o] if isinstance(o, (list, tuple)) else float(o) for o in outputs]
    return batch_loss.data, scores


def _resolve_loss(loss: str | Callable[..., Any]) -> Callable[..., Any]:
    if isinstance(loss, str):
        try:
            return LOSSES[loss]
        except KeyError:
            raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)} or pass a function") from None
    if not callable(loss):
        raise TypeError(f"loss must be a name or a function (outputs, targets) -> Value, got {type(loss).__name__}")
    return loss


def _progress_bar(show: bool | None, epochs: int, file: Any) -> Any:
    """A tqdm bar over epochs, or None when silent (``show=None``: only on a terminal)."""
    if show is None:
        isatty = getattr(file, "isatty", None)
        show = bool(isatty and isatty())
    if not show:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError as e:  # tqdm is in the demo extra
        raise ImportError("progress=True needs tqdm: pip install 'autograd-core[demo]' (or tqdm)") from e
    return tqdm(total=epochs, desc="training", unit="epoch", file=file, leave=True)


def fit(
    model: Any,
    X: Sequence[Any],
    y: Sequence[Any],
    loss: str | Callable[[Any, Any], Value],
    optimizer: Optimizer,
    epochs: int,
    batch_size: int | None = None,
    *,
    l2: float = 0.0,
    shuffle: bool = True,
    seed: int | None = None,
    validation: tuple[Sequence[Any], Sequence[Any]] | None = None,
    progress: bool | None = None,
    progress_file: Any = None,
    callback: Callable[[int, History], Any] | None = None,
) -> History:
    """Train ``model`` on ``(X, y)`` and return a :class:`History`.

    ``loss``: a name (mse, hinge, bce, cross_entropy) or ``f(outputs, targets) -> Value``.
    ``batch_size=None``: full batch (one step per epoch, micrograd's demo).
    ``l2``: adds l2 · Σ p² over the model's parameters. ``shuffle``/``seed``:
    mini-batch order from a private ``random.Random(seed)``. ``progress``:
    True shows a tqdm bar with the running loss and accuracy, False hides it,
    None (default) shows it only when ``progress_file`` (stderr) is a terminal.
    ``callback(epoch, history)`` runs after each epoch.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}")
    if len(X) != len(y):
        raise ValueError(f"fit: X has {len(X)} samples but y has {len(y)}")
    if len(X) == 0:
        raise ValueError("fit: no training samples")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nn optimiser (SGD, Adam), got {type(optimizer).__name__}")
    loss_fn = _resolve_loss(loss)
    rng = random.Random(seed)
    hist = History()
    bar = _progress_bar(progress, epochs, progress_file if progress_file is not None else sys.stderr)
    try:
        for epoch in range(epochs):
            t0 = time.perf_counter()
            total, correct, nb = 0.0, 0, 0
            for Xb, yb in batches(X, y, batch_size, shuffle=shuffle and batch_size is not None, rng=rng):
                lr = optimizer.lr
                value, scores = train_step(model, Xb, yb, loss_fn, optimizer, l2)
                total += value
                correct += _correct(scores, yb)
                nb += 1
            hist.loss.append(total / nb)
            hist.accuracy.append(correct / len(X))
            hist.lr.append(lr)
            if validation is not None:
                hist.val_accuracy.append(accuracy(model, *validation))
            hist.time.append(time.perf_counter() - t0)
            if bar is not None:
                post = {"loss": f"{hist.loss[-1]:.4f}", "acc": f"{hist.accuracy[-1]:.0%}"}
                if validation is not None:
                    post["val_acc"] = f"{hist.val_accuracy[-1]:.0%}"
                bar.set_postfix(post, refresh=False)
                bar.update(1)
            if callback is not None:
                callback(epoch, hist)
    finally:
        if bar is not None:
            bar.close()
    return hist
