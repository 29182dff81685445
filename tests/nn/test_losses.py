"""Losses: values and gradients against PyTorch, stability, reductions, errors."""

from __future__ import annotations

import math
import random

import pytest
import torch

from autograd_core import Value
from nn import binary_cross_entropy, cross_entropy, hinge_loss, l2_penalty, mse_loss

F = torch.nn.functional


def _vals(xs):
    return [Value(x) for x in xs]


def _t(xs):
    return torch.tensor(xs, dtype=torch.float64, requires_grad=True)


def test_mse_matches_torch_value_and_gradient():
    rng = random.Random(0)
    p, y = [rng.uniform(-3, 3) for _ in range(7)], [rng.uniform(-3, 3) for _ in range(7)]
    vs = _vals(p)
    loss = mse_loss(vs, y)
    loss.backward()
    tp = _t(p)
    tl = F.mse_loss(tp, torch.tensor(y, dtype=torch.float64))
    tl.backward()
    assert loss.data == pytest.approx(tl.item(), rel=1e-14)
    assert [v.grad for v in vs] == pytest.approx(tp.grad.tolist(), rel=1e-14)
    assert mse_loss(vs, y, reduction="sum").data == pytest.approx(tl.item() * 7, rel=1e-14)
    per = mse_loss(vs, y, reduction="none")
    assert [t.data for t in per] == pytest.approx([(a - b) ** 2 for a, b in zip(p, y)])
    # several outputs per sample: every output counts
    two = mse_loss([_vals([1.0, 2.0]), _vals([3.0, 5.0])], [[0.0, 0.0], [3.0, 3.0]])
    assert two.data == pytest.approx((1 + 4 + 0 + 4) / 4)
    assert mse_loss(Value(3.0), 1.0).data == 4.0


def test_hinge_is_micrograds_max_margin_loss():
    s = _vals([2.0, 0.5, -0.3, -2.0])
    y = [1, 1, -1, 1]
    loss = hinge_loss(s, y)
    expect = sum(max(0.0, 1 - yi * si.data) for si, yi in zip(s, y)) / 4
    assert loss.data == pytest.approx(expect, rel=1e-15)
    loss.backward()
    assert [v.grad for v in s] == [0.0, -0.25, 0.25, -0.25]
    with pytest.raises(ValueError, match="labels must be -1 or \\+1, got 0 at index 2"):
        hinge_loss(s, [1, 1, 0, 1])


def test_bce_on_logits_matches_torch():
    z, y = [-3.0, -0.5, 0.0, 0.7, 4.0, 2.0], [0.0, 1.0, 1.0, 0.0, 1.0, 0.25]
    vs = _vals(z)
    loss = binary_cross_entropy(vs, y)
    loss.backward()
    tz = _t(z)
    tl = F.binary_cross_entropy_with_logits(tz, torch.tensor(y, dtype=torch.float64))
    tl.backward()
    assert loss.data == pytest.approx(tl.item(), rel=1e-14)
    assert [v.grad for v in vs] == pytest.approx(tz.grad.tolist(), rel=1e-13)


@pytest.mark.parametrize("z,y", [(1000.0, 1.0), (1000.0, 0.0), (-1000.0, 1.0), (-1000.0, 0.0)])
def test_bce_is_stable_for_logits_of_plus_minus_1000(z, y):
    v = Value(z)
    loss = binary_cross_entropy([v], [y])
    loss.backward()
    tz = _t([z])
    tl = F.binary_cross_entropy_with_logits(tz, torch.tensor([y], dtype=torch.float64))
    tl.backward()
    assert math.isfinite(loss.data) and math.isfinite(v.grad)
    assert loss.data == tl.item()  # 0 or 1000 exactly
    assert v.grad == tz.grad.item()  # σ(z) − y: 0, ±1


def test_cross_entropy_matches_torch_and_is_stable():
    rng = random.Random(1)
    scores = [[rng.uniform(-4, 4) for _ in range(3)] for _ in range(5)]
    targets = [0, 2, 1, 1, 0]
    vs = [_vals(s) for s in scores]
    loss = cross_entropy(vs, targets)
    loss.backward()
    ts = _t(scores)
    tl = F.cross_entropy(ts, torch.tensor(targets))
    tl.backward()
    assert loss.data == pytest.approx(tl.item(), rel=1e-14)
    for row, trow in zip(vs, ts.grad.tolist()):
        assert [v.grad for v in row] == pytest.approx(trow, rel=1e-12, abs=1e-16)
    # huge scores: log-sum-exp shifted by the maximum never overflows
    big = _vals([1000.0, -1000.0, 999.0])
    l2 = cross_entropy(big, 2)  # one sample, int target
    l2.backward()
    tb = _t([[1000.0, -1000.0, 999.0]])
    tl2 = F.cross_entropy(tb, torch.tensor([2]))
    tl2.backward()
    assert l2.data == pytest.approx(tl2.item(), rel=1e-14)
    assert [v.grad for v in big] == pytest.approx(tb.grad[0].tolist(), rel=1e-12, abs=1e-300)


def test_cross_entropy_errors():
    s = [_vals([1.0, 2.0, 3.0])]
    with pytest.raises(ValueError, match="target 0 is class 3, but there are 3 classes"):
        cross_entropy(s, [3])
    with pytest.raises(TypeError, match="integer class index, got float"):
        cross_entropy(s, [1.0])
    with pytest.raises(ValueError, match="2 score lists but 1 targets"):
        cross_entropy(s * 2, [1])
    with pytest.raises(ValueError, match="needs a list of class scores"):
        cross_entropy([Value(1.0)], [0])


def test_l2_penalty_and_common_errors():
    ps = _vals([1.0, -2.0, 3.0])
    pen = l2_penalty(ps, 0.5)
    assert pen.data == 0.5 * 14
    pen.backward()
    assert [p.grad for p in ps] == [1.0, -2.0, 3.0]  # d(α p²)/dp = 2αp
    with pytest.raises(ValueError, match="3 predictions but 2 targets"):
        mse_loss(ps, [1.0, 2.0])
    with pytest.raises(ValueError, match="reduction must be one of mean, sum, none"):
        mse_loss(ps, [1, 2, 3], reduction="avg")
    with pytest.raises(ValueError, match="targets must lie in \\[0, 1\\]"):
        binary_cross_entropy(ps, [0, 1, 2])
    with pytest.raises(TypeError, match="target 1 must be a number, got str"):
        mse_loss(ps, [1, "2", 3])


def test_losses_use_only_op_table_ops():
    """Every node of a loss graph is made by an op of the table (no hand-written derivative)."""
    from autograd_core import OPS, topological_order

    z = _vals([0.3, -0.2])
    root = binary_cross_entropy(z, [1, 0]) + cross_entropy([z], [1]) + hinge_loss(z, [1, -1]) + mse_loss(z, [0, 0])
    ops = {n.op_info for n in topological_order(root) if not n.is_leaf}
    assert ops <= set(OPS.values())
    assert {o.name for o in ops} >= {"softplus", "exp", "log", "relu", "mul", "add", "sub", "div"}
