"""Toy data sets, splitting and batching."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter

import pytest

from nn import (
    DATASETS,
    batches,
    make_blobs,
    make_circles,
    make_moons,
    make_spirals,
    make_xor,
    to_pm1,
    train_test_split,
)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_generator_is_deterministic_shaped_and_private(name):
    make = DATASETS[name]
    random.seed(5)
    state = random.getstate()
    X1, y1 = make(90, seed=3)
    X2, y2 = make(90, seed=3)
    X3, _ = make(90, seed=4)
    assert random.getstate() == state  # the global generator is never used
    assert (X1, y1) == (X2, y2) and X1 != X3
    assert len(X1) == len(y1) == 90
    assert all(len(p) == 2 and all(isinstance(c, float) for c in p) for p in X1)
    assert all(isinstance(c, int) for c in y1)
    assert y1 != sorted(y1)  # shuffled


def test_moons_geometry():
    X, y = make_moons(200, noise=0.0, seed=0)
    assert Counter(y) == {0: 100, 1: 100}
    for (a, b), c in zip(X, y):
        if c == 0:  # upper moon: unit circle around the origin
            assert math.hypot(a, b) == pytest.approx(1.0) and b >= -1e-12
        else:  # lower moon: unit circle around (1, 0.5)
            assert math.hypot(a - 1, b - 0.5) == pytest.approx(1.0) and b <= 0.5 + 1e-12
    Xn, _ = make_moons(200, noise=0.1, seed=0)
    # noise of std 0.1 on each coordinate
    d = [p[0] - q[0] for p, q in zip(sorted(Xn), sorted(X))]
    assert 0.0 < max(abs(v) for v in d)
    X5, y5 = make_moons(5, seed=0)
    assert Counter(y5) == {0: 3, 1: 2}


def test_moons_noise_has_the_requested_spread():
    # the same points with and without noise: differences are N(0, 0.1²) per coordinate
    Xc, _ = make_moons(2000, noise=0.0, seed=1)
    Xn, _ = make_moons(2000, noise=0.1, seed=1)
    clean = {tuple(p) for p in Xc}
    dists = []
    for p in Xn:
        nearest = min(clean, key=lambda q: (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2)
        dists.append(math.dist(p, nearest))
        if len(dists) == 200:
            break
    # the distance to the nearest clean point is at most the noise displacement (Rayleigh mean 0.125)
    assert 0.02 < statistics.mean(dists) < 0.13


def test_circles_spirals_xor_blobs_shapes():
    X, y = make_circles(100, noise=0.0, factor=0.3, seed=0)
    for p, c in zip(X, y):
        assert math.hypot(*p) == pytest.approx(1.0 if c == 0 else 0.3)
    X, y = make_spirals(150, classes=3, noise=0.0, seed=0)
    assert Counter(y) == {0: 50, 1: 50, 2: 50}
    assert max(math.hypot(*p) for p in X) == pytest.approx(1.0)
    X, y = make_spirals(100, classes=5, seed=0)
    assert set(y) == set(range(5))
    X, y = make_xor(400, seed=0)
    assert all((c == 1) == (a * b < 0) for (a, b), c in zip(X, y))
    assert 150 < sum(y) < 250
    X, y = make_blobs(300, centers=[[0, 0], [10, 10], [-10, 5]], std=0.5, seed=0)
    for c, centre in enumerate([[0, 0], [10, 10], [-10, 5]]):
        pts = [p for p, k in zip(X, y) if k == c]
        assert len(pts) == 100
        assert statistics.mean(p[0] for p in pts) == pytest.approx(centre[0], abs=0.2)
        assert statistics.stdev(p[1] for p in pts) == pytest.approx(0.5, rel=0.2)
    X, y = make_blobs(50, centers=4, n_features=3, seed=1)
    assert len(X[0]) == 3 and set(y) == {0, 1, 2, 3}


def test_generator_argument_errors():
    with pytest.raises(ValueError, match="n_samples must be an integer >= 2"):
        make_moons(1)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        make_moons(10, noise=-1)
    with pytest.raises(ValueError, match="factor must lie strictly between 0 and 1"):
        make_circles(10, factor=1.5)
    with pytest.raises(ValueError, match="classes must be an integer >= 2"):
        make_spirals(10, classes=1)


def test_train_test_split():
    X = [[float(i), 0.0] for i in range(20)]
    y = list(range(20))
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, seed=1)
    assert len(Xte) == 5 and len(Xtr) == 15
    assert sorted(ytr + yte) == y
    assert all(p[0] == float(c) for p, c in zip(Xtr + Xte, ytr + yte))  # pairs stay together
    assert train_test_split(X, y, test_size=0.25, seed=1) == (Xtr, Xte, ytr, yte)
    assert train_test_split(X, y, test_size=0.25, seed=2)[3] != yte
    assert len(train_test_split(X, y, test_size=7)[1]) == 7
    assert train_test_split(X, y, test_size=4, shuffle=False)[3] == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="X has 20 samples but y has 3"):
        train_test_split(X, [1, 2, 3])
    with pytest.raises(ValueError, match="need at least one of each"):
        train_test_split(X, y, test_size=20)
    with pytest.raises(ValueError, match="fraction must lie in"):
        train_test_split(X, y, test_size=1.5)


def test_batches():
    X = [[i] for i in range(10)]
    y = list(range(10))
    got = list(batches(X, y, 4))
    assert [b[1] for b in got] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert list(batches(X, y)) == [(X, y)]
    shuffled = list(batches(X, y, 3, shuffle=True, seed=0))
    flat = [c for _, yb in shuffled for c in yb]
    assert sorted(flat) == y and flat != y
    assert shuffled == list(batches(X, y, 3, shuffle=True, seed=0))
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        list(batches(X, y, 0))


def test_to_pm1():
    assert to_pm1([0, 1, 1, 0]) == [-1, 1, 1, -1]
    with pytest.raises(ValueError, match="labels 0 or 1, got 2"):
        to_pm1([0, 2])
