"""Toy data sets, splitting and batching, in plain Python (nothing downloaded, no scikit-learn).

Every generator returns ``(X, y)``: ``X`` a list of points (lists of floats),
``y`` a list of integer class labels 0..k−1, in shuffled order. The same
``seed`` gives the same data; generators use a private ``random.Random`` and
never touch the global random state.

For micrograd-style hinge loss, turn 0/1 labels into ±1 with :func:`to_pm1`.
"""

from __future__ import annotations

import math
import numbers
import random
from typing import Any, Iterator, Sequence

__all__ = [
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_xor",
    "make_blobs",
    "train_test_split",
    "batches",
    "to_pm1",
    "DATASETS",
]


def _count(name: str, n: Any, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n!r}")
    return int(n)


def _nonneg(name: str, x: Any) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not x >= 0 or math.isinf(x):
        raise ValueError(f"{name} must be a finite number >= 0, got {x!r}")
    return float(x)


def _linspace(a: float, b: float, n: int) -> list[float]:
    if n == 1:
        return [a]
    return [a + (b - a) * i / (n - 1) for i in range(n)]


def _finish(points: list[list[float]], labels: list[int], noise: float, rng: random.Random):
    """Add Gaussian noise (std ``noise``) to every coordinate and shuffle."""
    if noise:
        points = [[c + rng.gauss(0.0, noise) for c in p] for p in points]
    order = list(range(len(points)))
    rng.shuffle(order)
    return [points[i] for i in order], [labels[i] for i in order]


def _split(n: int, k: int) -> list[int]:
    """n samples over k classes, as evenly as possible (the first classes get the extra ones)."""
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def make_moons(n_samples: int = 100, noise: float = 0.1, seed: int | None = None):
    """Two interleaving half circles.

    Class 0: (cos t, sin t); class 1: (1 − cos t, 0.5 − sin t), t evenly in [0, π],
    then Gaussian noise of std ``noise`` on each coordinate.
    """
    n = _count("n_samples", n_samples, 2)
    noise = _nonneg("noise", noise)
    rng = random.Random(seed)
    n0, n1 = _split(n, 2)
    pts = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n0)]
    pts += [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _linspace(0.0, math.pi, n1)]
    return _finish(pts, [0] * n0 + [1] * n1, noise, rng)


def make_circles(n_samples: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int | None = None):
    """A circle of radius ``factor`` (class 1) inside a circle of radius 1 (class 0)."""
    n = _count("n_samples", n_samples, 2)
    noise = _nonneg("noise", noise)
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not 0 < factor < 1:
        raise ValueError(f"factor must lie strictly between 0 and 1, got {factor!r}")
    rng = random.Random(seed)
    n0, n1 = _split(n, 2)
    pts = []
    for count, r in ((n0, 1.0), (n1, float(factor))):
        for i in range(count):
            t = 2.0 * math.pi * i / count
            pts.append([r * math.cos(t), r * math.sin(t)])
    return _finish(pts, [0] * n0 + [1] * n1, noise, rng)


def make_spirals(n_samples: int = 150, classes: int = 3, noise: float = 0.2, turns: float = 0.6,
                 seed: int | None = None):
    """``classes`` interleaved spiral arms (the CS231n toy problem).

    Arm c: radius r evenly in [0, 1] and angle θ = 2π·(c/classes + turns·r), plus
    Gaussian noise of std ``noise`` on θ; the point is (r·sin θ, r·cos θ).
    """
    n = _count("n_samples", n_samples, 1)
    k = _count("classes", classes, 2)
    noise = _nonneg("noise", noise)
    turns = _nonneg("turns", turns)
    rng = random.Random(seed)
    pts, labels = [], []
    for c, count in enumerate(_split(n, k)):
        for r in _linspace(0.0, 1.0, count):
            theta = 2.0 * math.pi * (c / k + turns * r)
            if noise:
                theta += rng.gauss(0.0, noise)
            pts.append([r * math.sin(theta), r * math.cos(theta)])
            labels.append(c)
    return _finish(pts, labels, 0.0, rng)


def make_xor(n_samples: int = 100, noise: float = 0.0, seed: int | None = None):
    """Points uniform in [−1, 1]²; class 1 where x1·x2 < 0 (opposite signs), else 0.

    The label is decided before Gaussian noise of std ``noise`` is added.
    """
    n = _count("n_samples", n_samples, 1)
    noise = _nonneg("noise", noise)
    rng = random.Random(seed)
    pts = [[rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)] for _ in range(n)]
    labels = [1 if p[0] * p[1] < 0 else 0 for p in pts]
    return _finish(pts, labels, noise, rng)


def make_blobs(n_samples: int = 100, centers: int | Sequence[Sequence[float]] = 3, std: float = 1.0,
               n_features: int = 2, box: tuple[float, float] = (-10.0, 10.0), seed: int | None = None):
    """Gaussian blobs: class c is centre_c + N(0, std²) per coordinate.

    ``centers`` is a count (centres drawn uniformly in ``box``) or a list of points.
    """
    n = _count("n_samples", n_samples, 1)
    std = _nonneg("std", std)
    rng = random.Random(seed)
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        k = _count("centers", centers, 1)
        d = _count("n_features", n_features, 1)
        lo, hi = box
        cs = [[rng.uniform(lo, hi) for _ in range(d)] for _ in range(k)]
    else:
        cs = [[float(c) for c in centre] for centre in centers]
        if not cs or len({len(c) for c in cs}) != 1:
            raise ValueError("centers must be a count or a non-empty list of points of equal length")
    pts, labels = [], []
    for c, count in enumerate(_split(n, len(cs))):
        for _ in range(count):
            pts.append(list(cs[c]))
            labels.append(c)
    return _finish(pts, labels, std, rng)


def to_pm1(y: Sequence[int]) -> list[int]:
    """0/1 labels as −1/+1 (for hinge loss)."""
    out = []
    for i, v in enumerate(y):
        if v not in (0, 1):
            raise ValueError(f"to_pm1 expects labels 0 or 1, got {v!r} at index {i}")
        out.append(1 if v == 1 else -1)
    return out


def train_test_split(X: Sequence[Any], y: Sequence[Any], test_size: float | int = 0.25,
                     seed: int | None = None, shuffle: bool = True):
    """Split into ``X_train, X_test, y_train, y_test`` (scikit-learn's order).

    ``test_size``: a fraction in (0, 1) or a number of test samples.
    """
    n = len(X)
    if len(y) != n:
        raise ValueError(f"train_test_split: X has {n} samples but y has {len(y)}")
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(f"test_size must be a fraction or a count, got {type(test_size).__name__}")
    if isinstance(test_size, numbers.Integral):
        n_test = int(test_size)
    elif 0.0 < test_size < 1.0:
        n_test = int(math.ceil(test_size * n))
    else:
        raise ValueError(f"test_size as a fraction must lie in (0, 1), got {test_size!r}")
    if not 0 < n_test < n:
        raise ValueError(f"test_size gives {n_test} test samples out of {n}; need at least one of each")
    order = list(range(n))
    if shuffle:
        random.Random(seed).shuffle(order)
    test, train = order[:n_test], order[n_test:]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]


def batches(X: Sequence[Any], y: Sequence[Any], batch_size: int | None = None, shuffle: bool = False,
            seed: int | None = None, rng: random.Random | None = None) -> Iterator[tuple[list[Any], list[Any]]]:
    """Yield ``(X_batch, y_batch)`` pairs covering the data once (the last one may be short).

    ``batch_size=None`` gives one batch of everything. ``shuffle`` uses ``rng``
    (or a private ``random.Random(seed)``).
    """
    n = len(X)
    if len(y) != n:
        raise ValueError(f"batches: X has {n} samples but y has {len(y)}")
    size = n if batch_size is None else _count("batch_size", batch_size, 1)
    order = list(range(n))
    if shuffle:
        (rng if rng is not None else random.Random(seed)).shuffle(order)
    for start in range(0, n, size):
        idx = order[start:start + size]
        yield [X[i] for i in idx], [y[i] for i in idx]


#: The generators by name (the demo's --dataset choices use these).
DATASETS = {
    "moons": make_moons,
    "circles": make_circles,
    "spirals": make_spirals,
    "xor": make_xor,
    "blobs": make_blobs,
}
