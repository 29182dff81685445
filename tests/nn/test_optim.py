"""SGD and Adam against torch.optim, schedules, and 'only the given parameters'."""

from __future__ import annotations

import random

import pytest
import torch

from autograd_core import Value
from nn import MLP, SGD, Adam, ConstantLR, LinearDecayLR, StepLR


def _run_both(make_ours, make_torch, steps=6, n=5, seed=0):
    """Same start, same gradient function g(p) = p³ − sin-free polynomial; compare after each step."""
    rng = random.Random(seed)
    start = [rng.uniform(-2, 2) for _ in range(n)]
    ours = [Value(x) for x in start]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in start]
    opt, topt = make_ours(ours), make_torch(theirs)
    for _ in range(steps):
        loss = sum((p * p * p * 0.25 + p * 0.5) for p in ours)  # a non-quadratic loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        tloss = sum(p ** 3 * 0.25 + p * 0.5 for p in theirs)
        topt.zero_grad()
        tloss.backward()
        topt.step()
        for a, b in zip(ours, theirs):
            assert a.data == pytest.approx(b.item(), rel=1e-13, abs=1e-15)
    return ours


def test_plain_sgd_matches_torch():
    _run_both(lambda ps: SGD(ps, lr=0.1), lambda ps: torch.optim.SGD(ps, lr=0.1))


def test_sgd_momentum_and_weight_decay_match_torch():
    _run_both(lambda ps: SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01),
              lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01), steps=10)


def test_adam_matches_torch():
    _run_both(lambda ps: Adam(ps, lr=0.1), lambda ps: torch.optim.Adam(ps, lr=0.1), steps=10)
    _run_both(lambda ps: Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
              lambda ps: torch.optim.Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), steps=10)


def test_sgd_step_formula_by_hand():
    p = Value(1.0)
    p.grad = 2.0
    opt = SGD([p], lr=0.5, momentum=0.9)
    opt.step()  # v = 2, p = 1 - 0.5·2 = 0
    assert p.data == 0.0
    p.grad = 1.0
    opt.step()  # v = 0.9·2 + 1 = 2.8, p = 0 - 1.4
    assert p.data == pytest.approx(-1.4, rel=1e-15)


def test_an_optimiser_only_touches_its_own_parameters():
    model = MLP(2, [4, 1], seed=0)
    first = model.layers[0].parameters()
    rest = model.layers[1].parameters()
    out = model([1.0, -1.0]) * 3.0
    out.backward()
    before_rest = [(p.data, p.grad) for p in rest]
    before_first = [p.data for p in first]
    for opt in (SGD(first, lr=0.1, momentum=0.5, weight_decay=0.1), Adam(first, lr=0.1, weight_decay=0.1)):
        opt.step()
        opt.zero_grad()
        assert [(p.data, p.grad) for p in rest] == before_rest
    assert [p.data for p in first] != before_first
    assert all(p.grad == 0.0 for p in first)


def test_schedules():
    lin = LinearDecayLR(1.0, 0.1, 100)  # micrograd's demo: 1 − 0.9·k/100
    for k in (0, 1, 40, 99, 100):
        assert lin(k) == pytest.approx(1.0 - 0.9 * k / 100, rel=1e-15)
    assert lin(150) == pytest.approx(0.1)
    step = StepLR(0.5, step_size=10, gamma=0.5)
    assert [step(k) for k in (0, 9, 10, 25)] == [0.5, 0.5, 0.25, 0.125]
    assert ConstantLR(0.3)(1000) == 0.3


def test_schedule_drives_the_optimiser_like_torch_lr_scheduler():
    p, q = Value(1.0), torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    opt = SGD([p], lr=StepLR(0.1, step_size=2, gamma=0.5))
    topt = torch.optim.SGD([q], lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(topt, step_size=2, gamma=0.5)
    seen = []
    for _ in range(6):
        seen.append(opt.lr)
        p.grad = 1.0
        opt.step()
        q.grad = torch.tensor(1.0, dtype=torch.float64)
        topt.step()
        sched.step()
    assert seen == [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]
    assert p.data == pytest.approx(q.item(), rel=1e-15)
    assert opt.steps == 6


def test_optimiser_argument_errors():
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="parameter 1 must be a Value, got float"):
        SGD([Value(1.0), 2.0], lr=0.1)
    with pytest.raises(ValueError, match="lr must be a positive number, got -1"):
        SGD([Value(1.0)], lr=-1)
    with pytest.raises(ValueError, match="momentum must be a non-negative number"):
        SGD([Value(1.0)], momentum=-0.5)
    with pytest.raises(ValueError, match="betas must each lie in"):
        Adam([Value(1.0)], betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        LinearDecayLR(1.0, 0.1, 0)
    assert len(SGD(MLP(2, [3, 1], seed=0), lr=0.1).params) == 13  # a Module works too
    v = Value(1.0)
    assert len(SGD([v, v], lr=0.1).params) == 1  # duplicates are updated once
