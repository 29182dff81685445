"""Loss functions, built only from Value ops (so their gradients come from the op table).

All take model outputs (Values, or plain numbers) and targets, and reduce with
``reduction="mean"`` by default (``"sum"`` and ``"none"`` also work; ``"none"``
returns one loss per sample as a list).

- ``mse_loss``: mean of (ŷ − y)².
- ``hinge_loss``: micrograd's max-margin loss, mean of relu(1 − y·s) with y = ±1.
- ``binary_cross_entropy``: on logits z with targets y in [0, 1]:
  softplus(z) − y·z  (= −y·log σ(z) − (1−y)·log(1 − σ(z))), stable for |z| = 1000.
- ``cross_entropy``: class scores s and an integer class c:
  logsumexp(s) − s_c, with logsumexp(s) = m + log Σ_k exp(s_k − m), m = max_k s_k.
- ``l2_penalty``: alpha · Σ p².
"""

from __future__ import annotations

import numbers
from typing import Any, Iterable, Sequence

from autograd_core import Value

__all__ = ["mse_loss", "hinge_loss", "binary_cross_entropy", "cross_entropy", "l2_penalty", "LOSSES"]

_REDUCTIONS = ("mean", "sum", "none")


def _sum(terms: Sequence[Any]) -> Any:
    """Σ terms without the extra constant-0 node that ``sum()`` would add."""
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def _reduce(terms: list[Any], reduction: str, who: str) -> Any:
    if reduction == "none":
        return terms
    if not terms:
        raise ValueError(f"{who}: no samples")
    total = _sum(terms)
    if reduction == "sum":
        return total
    return total / len(terms) if len(terms) > 1 else total


def _check_reduction(reduction: str, who: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{who}: reduction must be one of {', '.join(_REDUCTIONS)}, got {reduction!r}")


def _is_scalar(x: Any) -> bool:
    return isinstance(x, Value) or (isinstance(x, numbers.Real) and not isinstance(x, bool))


def _as_list(x: Any, who: str, what: str) -> list[Any]:
    if _is_scalar(x):
        return [x]
    try:
        return list(x)
    except TypeError:
        raise TypeError(f"{who}: {what} must be a Value, a number or a sequence of them, got {type(x).__name__}") from None


def _pairs(pred: Any, target: Any, who: str) -> tuple[list[Any], list[Any]]:
    p = _as_list(pred, who, "predictions")
    t = _as_list(target, who, "targets")
    if len(p) != len(t):
        raise ValueError(f"{who}: {len(p)} predictions but {len(t)} targets")
    return p, t


def _number(y: Any, who: str, i: int) -> float:
    if isinstance(y, Value):
        return y.data
    if isinstance(y, bool) or not isinstance(y, numbers.Real):
        raise TypeError(f"{who}: target {i} must be a number, got {type(y).__name__}: {y!r:.40}")
    return float(y)


def mse_loss(pred: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean squared error: (1/n) Σ (ŷ_i − y_i)².

    ``pred`` and ``target`` are scalars or equally long sequences; a sample may
    itself be a sequence (several outputs), and then every output counts.
    """
    who = "mse_loss"
    _check_reduction(reduction, who)
    p, t = _pairs(pred, target, who)
    terms = []
    for i, (pi, ti) in enumerate(zip(p, t)):
        if _is_scalar(pi):
            d = pi - _number(ti, who, i)
            terms.append(d * d)
        else:
            sub_p, sub_t = _pairs(pi, ti, f"{who} (sample {i})")
            for a, b in zip(sub_p, sub_t):
                d = a - b
                terms.append(d * d)
    return _reduce(terms, reduction, who)


def hinge_loss(scores: Any, labels: Any, reduction: str = "mean") -> Any:
    """Max-margin loss on labels ±1: (1/n) Σ relu(1 − y_i·s_i) (micrograd's demo loss)."""
    who = "hinge_loss"
    _check_reduction(reduction, who)
    s, y = _pairs(scores, labels, who)
    terms = []
    for i, (si, yi) in enumerate(zip(s, y)):
        yv = _number(yi, who, i)
        if yv not in (1.0, -1.0):
            raise ValueError(f"{who}: labels must be -1 or +1, got {yi!r} at index {i}")
        si = si if isinstance(si, Value) else Value(si)
        terms.append((1.0 - si).relu() if yv == 1.0 else (1.0 + si).relu())
    return _reduce(terms, reduction, who)


def binary_cross_entropy(logits: Any, targets: Any, reduction: str = "mean") -> Any:
    """Binary cross-entropy on logits: (1/n) Σ softplus(z_i) − y_i·z_i.

    Equal to −y·log σ(z) − (1−y)·log(1−σ(z)) but never takes log of 0, so
    logits of ±1000 give finite losses and the gradient σ(z) − y.
    Targets are probabilities in [0, 1] (usually 0 or 1).
    """
    who = "binary_cross_entropy"
    _check_reduction(reduction, who)
    z, y = _pairs(logits, targets, who)
    terms = []
    for i, (zi, yi) in enumerate(zip(z, y)):
        yv = _number(yi, who, i)
        if not 0.0 <= yv <= 1.0:
            raise ValueError(f"{who}: targets must lie in [0, 1], got {yi!r} at index {i}")
        zi = zi if isinstance(zi, Value) else Value(zi)
        sp = zi.softplus()
        if yv == 0.0:
            terms.append(sp)
        elif yv == 1.0:
            terms.append(sp - zi)
        else:
            terms.append(sp - yv * zi)
    return _reduce(terms, reduction, who)


def _logsumexp(scores: Sequence[Any]) -> Any:
    """log Σ exp(s_k), shifted by the largest score (a constant) so nothing overflows."""
    m = max(float(s) for s in scores)
    if m in (float("inf"), float("-inf")) or m != m:
        m = 0.0  # nothing to gain from shifting; let IEEE give inf/nan
    terms = [(s - m).exp() for s in scores]
    return _sum(terms).log() + m


def cross_entropy(scores: Any, targets: Any, reduction: str = "mean") -> Any:
    """Softmax cross-entropy: (1/n) Σ_i logsumexp(s_i) − s_i[c_i], with integer classes c_i.

    ``scores`` is one list of class scores per sample (or a single list with an
    int target). Stable: log-sum-exp is shifted by the maximum score.
    """
    who = "cross_entropy"
    _check_reduction(reduction, who)
    if isinstance(targets, numbers.Integral) and not isinstance(targets, bool):
        scores, targets = [scores], [targets]
    s = _as_list(scores, who, "scores")
    c = _as_list(targets, who, "targets")
    if len(s) != len(c):
        raise ValueError(f"{who}: {len(s)} score lists but {len(c)} targets")
    terms = []
    for i, (si, ci) in enumerate(zip(s, c)):
        if _is_scalar(si):
            raise ValueError(f"{who}: sample {i} needs a list of class scores (one per class), got one scalar")
        si = list(si)
        if isinstance(ci, bool) or not isinstance(ci, numbers.Integral):
            raise TypeError(f"{who}: target {i} must be an integer class index, got {type(ci).__name__}: {ci!r:.40}")
        if not 0 <= ci < len(si):
            raise ValueError(f"{who}: target {i} is class {ci}, but there are {len(si)} classes")
        terms.append(_logsumexp(si) - si[int(ci)])
    return _reduce(terms, reduction, who)


def l2_penalty(params: Iterable[Value], alpha: float = 1e-4) -> Any:
    """L2 regularisation: alpha · Σ p² (micrograd's demo uses alpha = 1e-4)."""
    if hasattr(params, "parameters") and callable(params.parameters):
        params = params.parameters()
    ps = list(params)
    if not ps:
        raise ValueError("l2_penalty: no parameters")
    return alpha * _sum([p * p for p in ps])


#: Loss names accepted by ``fit``.
LOSSES = {
    "mse": mse_loss,
    "hinge": hinge_loss,
    "bce": binary_cross_entropy,
    "binary_cross_entropy": binary_cross_entropy,
    "cross_entropy": cross_entropy,
}
