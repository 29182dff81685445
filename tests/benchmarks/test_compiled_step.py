"""The compiled-step benchmark's implementations agree (tiny sizes). Speed is never asserted here."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_core import Value, compile


def test_benchmark_steps_agree_on_a_few_points():
    """The benchmark's three implementations of one training step compute the same thing."""
    from benchmarks import compiled_step as bench

    params = bench.init_params()
    xs, ys = bench.make_data()
    xs, ys = xs[:4], ys[:4]
    vparams = [Value(p) for p in params]
    loss_graph = bench.graph_step(vparams, xs, ys)
    new_c, loss_c = bench.make_compiled_step()(list(params), xs, ys)
    new_h, loss_h = bench.handwritten_step(list(params), xs, ys)
    assert loss_c == loss_graph and new_c == [p.data for p in vparams]
    assert loss_h == pytest.approx(loss_c, rel=1e-12)
    assert max(abs(a - b) for a, b in zip(new_h, new_c)) < 1e-12
    per_sample = bench.graph_per_sample([Value(p) for p in params], xs, ys)
    values, grads = compile(bench.sample_loss)(list(params), *map(np.array, zip(*xs)), np.array(ys))
    for k in range(4):
        assert values[k] == pytest.approx(per_sample[k][0], rel=1e-12)
        assert [g[k] for g in grads] == pytest.approx(per_sample[k][1:], rel=1e-10, abs=1e-14)


def test_main_takes_argv_like_the_other_benchmarks(capsys):
    from benchmarks import compiled_step as bench

    with pytest.raises(SystemExit) as info:
        bench.main(["--help"])
    assert info.value.code == 0 and "--repeats" in capsys.readouterr().out
