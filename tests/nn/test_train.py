"""fit / predict / accuracy, the progress bar, determinism, and the spirals acceptance run."""

from __future__ import annotations

import io

import pytest

from autograd_core import Value
from nn import (
    MLP,
    SGD,
    Adam,
    History,
    LinearDecayLR,
    accuracy,
    cross_entropy,
    fit,
    make_moons,
    make_spirals,
    predict,
    train_step,
    to_pm1,
)
from nn.train import predict_scores


def _moons(n=40, seed=0):
    X, y = make_moons(n, noise=0.1, seed=seed)
    return X, y


def test_fit_returns_a_history_and_learns():
    X, y = _moons()
    model = MLP(2, [8, 1], seed=0)
    hist = fit(model, X, to_pm1(y), "hinge", SGD(model, lr=0.1), epochs=15, l2=1e-4, progress=False)
    assert isinstance(hist, History) and hist.epochs == 15
    assert len(hist.loss) == len(hist.accuracy) == len(hist.time) == len(hist.lr) == 15
    assert hist["loss"] is hist.loss and set(hist.as_dict()) >= {"loss", "accuracy", "time"}
    assert hist.loss[-1] < hist.loss[0]
    assert all(t > 0 for t in hist.time)
    assert hist.val_accuracy == []
    with pytest.raises(KeyError, match="no 'acc' in history"):
        hist["acc"]


def test_full_batch_fit_is_micrograds_loop():
    """One epoch of fit = forward all, hinge + L2, zero_grad, backward, SGD step, written out by hand."""
    X, y = _moons(20)
    yy = to_pm1(y)
    a, b = MLP(2, [6, 1], seed=1), MLP(2, [6, 1], seed=1)
    fit(a, X, yy, "hinge", SGD(a, lr=LinearDecayLR(1.0, 0.1, 3)), epochs=3, l2=1e-4, progress=False)
    for k in range(3):
        scores = [b(x) for x in X]
        loss = sum((1 + -yi * s).relu() for yi, s in zip(yy, scores)) * (1.0 / len(X))
        loss = loss + 1e-4 * sum((p * p for p in b.parameters()))
        b.zero_grad()
        loss.backward()
        for p in b.parameters():
            p.data -= (1.0 - 0.9 * k / 3) * p.grad
    for p, q in zip(a.parameters(), b.parameters()):
        assert p.data == pytest.approx(q.data, rel=1e-12, abs=1e-15)


def test_minibatches_validation_and_callback():
    X, y = _moons(30)
    model = MLP(2, [6, 1], seed=2)
    calls = []
    hist = fit(model, X, y, "bce", Adam(model, lr=0.05), epochs=4, batch_size=8, seed=0,
               validation=(X[:10], y[:10]), progress=False, callback=lambda e, h: calls.append((e, h.epochs)))
    assert calls == [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert len(hist.val_accuracy) == 4 and all(0 <= a <= 1 for a in hist.val_accuracy)
    # a custom loss function works too
    three = MLP(2, [4, 3], seed=0)
    fit(three, X, [c % 3 for c in range(30)], lambda out, t: cross_entropy(out, t), SGD(three, lr=0.1), 2,
        progress=False)


def test_fit_argument_errors():
    X, y = _moons(10)
    model = MLP(2, [3, 1], seed=0)
    opt = SGD(model, lr=0.1)
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        fit(model, X, y, "l1", opt, 1, progress=False)
    with pytest.raises(ValueError, match="X has 10 samples but y has 9"):
        fit(model, X, y[:9], "mse", opt, 1, progress=False)
    with pytest.raises(ValueError, match="epochs must be a non-negative integer"):
        fit(model, X, y, "mse", opt, -1, progress=False)
    with pytest.raises(TypeError, match="optimizer must be an nn optimiser"):
        fit(model, X, y, "mse", "sgd", 1, progress=False)
    with pytest.raises(ValueError, match="labels must be -1 or \\+1"):
        fit(model, X, y, "hinge", opt, 1, progress=False)  # 0/1 labels with hinge


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_shows_loss_and_accuracy_when_asked_or_on_a_terminal(capsys):
    X, y = _moons(10)
    model = MLP(2, [3, 1], seed=0)
    buf = io.StringIO()
    fit(model, X, y, "bce", SGD(model, lr=0.1), 3, progress=True, progress_file=buf)
    text = buf.getvalue()
    assert "loss=" in text and "acc=" in text and "3/3" in text
    tty = _Tty()
    fit(model, X, y, "bce", SGD(model, lr=0.1), 2, progress_file=tty)  # default: on, for a terminal
    assert "2/2" in tty.getvalue()
    quiet = _Tty()
    fit(model, X, y, "bce", SGD(model, lr=0.1), 2, progress=False, progress_file=quiet)  # silent when asked
    assert quiet.getvalue() == ""
    notty = io.StringIO()
    fit(model, X, y, "bce", SGD(model, lr=0.1), 2, progress_file=notty)  # not a terminal: silent
    assert notty.getvalue() == ""
    fit(model, X, y, "bce", SGD(model, lr=0.1), 2)  # pytest's stderr is not a terminal
    out = capsys.readouterr()
    assert out.err == "" and out.out == ""


def test_predict_and_accuracy_for_both_label_conventions_and_argmax():
    class Fixed:
        def __init__(self, outs):
            self.outs = iter(outs)

        def __call__(self, x):
            o = next(self.outs)
            return [Value(v) for v in o] if isinstance(o, list) else Value(o)

    X = [[0.0]] * 4
    assert predict(Fixed([2.0, -1.0, 0.0, 0.5]), X) == [1, 0, 0, 1]
    assert accuracy(Fixed([2.0, -1.0, 0.0, 0.5]), X, [1, -1, -1, -1]) == 0.75  # ±1 labels
    assert accuracy(Fixed([2.0, -1.0, 0.0, 0.5]), X, [1, 0, 0, 1]) == 1.0  # 0/1 labels
    outs = [[0.1, 0.9, 0.2], [3.0, 1.0, 2.0], [0.0, 0.0, 5.0], [1.0, 2.0, 0.0]]
    assert predict(Fixed(outs), X) == [1, 0, 2, 1]
    assert accuracy(Fixed(outs), X, [1, 0, 2, 2]) == 0.75
    model = MLP(2, [4, 1], seed=0)
    s = predict_scores(model, [[0.5, 0.5]])
    assert isinstance(s[0], float) and s[0] == model([0.5, 0.5]).data
    with pytest.raises(ValueError, match="no samples"):
        accuracy(model, [], [])


def test_same_seed_gives_bit_identical_history_and_weights():
    def run():
        X, y = make_moons(60, noise=0.1, seed=7)
        model = MLP(2, [8, 8, 1], seed=7)
        hist = fit(model, X, to_pm1(y), "hinge", SGD(model, lr=0.3, momentum=0.5), 6, batch_size=16,
                   l2=1e-4, seed=7, progress=False)
        return hist, [p.data.hex() for p in model.parameters()]

    (h1, w1), (h2, w2) = run(), run()
    assert [x.hex() for x in h1.loss] == [x.hex() for x in h2.loss]
    assert h1.accuracy == h2.accuracy and w1 == w2


def test_three_class_spirals_reach_90_percent_with_the_documented_configuration():
    """README: make_spirals(150, classes=3, noise=0.2, seed=0), MLP(2, [16, 16, 3], seed=0),
    Adam(lr=0.05), cross_entropy, batch_size=30, 30 epochs."""
    X, y = make_spirals(150, classes=3, noise=0.2, seed=0)
    model = MLP(2, [16, 16, 3], seed=0)
    hist = fit(model, X, y, "cross_entropy", Adam(model, lr=0.05), epochs=30, batch_size=30, seed=0,
               progress=False)
    assert accuracy(model, X, y) >= 0.90
    assert hist.loss[-1] < 0.5 * hist.loss[0]


def test_train_step_returns_floats_and_leaves_the_cycle_collector_alone():
    import gc

    X, y = _moons(10)
    model = MLP(2, [3, 1], seed=0)
    opt = SGD(model, lr=0.1)
    assert gc.isenabled()
    loss, scores = train_step(model, X, to_pm1(y), "hinge", opt, l2=1e-4)
    assert gc.isenabled() and isinstance(loss, float) and all(isinstance(s, float) for s in scores)
    assert opt.steps == 1
    with pytest.raises(ValueError):
        train_step(model, X, y, "hinge", opt)  # 0/1 labels: error inside the step
    gc.disable()
    try:
        train_step(model, X, to_pm1(y), "hinge", opt)
        assert not gc.isenabled()  # the caller's setting is theirs
    finally:
        gc.enable()


def test_numpy_arrays_work_as_data():
    import numpy as np
    X, y = make_moons(30, noise=0.1, seed=0)
    Xa, ya = np.array(X), np.array(y)
    a, b = MLP(2, [6, 1], seed=0), MLP(2, [6, 1], seed=0)
    ha = fit(a, Xa, ya, "bce", SGD(a, lr=0.1), 3, batch_size=8, seed=1, progress=False)
    hb = fit(b, X, y, "bce", SGD(b, lr=0.1), 3, batch_size=8, seed=1, progress=False)
    assert ha.loss == hb.loss
    assert accuracy(a, Xa, ya) == accuracy(b, X, y)
    Xs, ys = make_spirals(30, seed=0)
    m = MLP(2, [5, 3], seed=0)
    fit(m, np.array(Xs), np.array(ys), "cross_entropy", Adam(m, lr=0.01), 1, progress=False)
