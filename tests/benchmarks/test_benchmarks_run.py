"""The benchmarks still run (tiny sizes). Their speed is never asserted here."""

from __future__ import annotations

import io

from benchmarks import engine


def test_engine_benchmark_runs_and_reports_every_workload():
    buf = io.StringIO()
    results = engine.run(chain_n=60, pairs_n=6, repeats=1, out=buf)
    text = buf.getvalue()
    assert text.count("| (a)") == 2 and "| (b)" in text and "bytes per node" in text
    for key in ("chain_deepest", "chain_full", "pairs"):
        assert set(results[key]) == {"autograd_core", "micrograd", "pytorch"}
        assert all(t > 0 for t in results[key].values())
    assert 0 < results["bytes_per_node"]["autograd_core"] < results["bytes_per_node"]["micrograd"]
