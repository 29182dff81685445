"""Every notebook in notebooks/ runs from a clean kernel without errors, and its key results hold.

A notebook stores its key results in a dict ``RESULTS`` (see nbrun.py). Notebooks with a
checker below get specific assertions; any other notebook must at least store a non-empty
RESULTS whose boolean entries are all True.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tests.notebooks.nbrun import NOTEBOOKS, REPO, execute

ALL = sorted(NOTEBOOKS.glob("*.ipynb"))


def sig(t: float) -> float:
    return 1.0 / (1.0 + math.exp(-t))


def check_01(r: dict) -> None:
    fp = lambda u: 1 - math.tanh(u) ** 2  # noqa: E731
    w = 0.5
    assert r["goodfellow_dz_dw"] == pytest.approx(fp(math.tanh(math.tanh(w))) * fp(math.tanh(w)) * fp(w), rel=1e-12)
    assert r["goodfellow_steps"] == 3
    x, y, w1, w2 = 1.5, 0.5, 0.8, -1.2
    a1 = sig(w1 * x); a2 = sig(w2 * a1)
    d2 = (a2 - y) * a2 * (1 - a2); d1 = w2 * d2 * a1 * (1 - a1)
    assert r["wiki_C"] == pytest.approx(0.5 * (a2 - y) ** 2, rel=1e-12)
    assert r["wiki_delta"]["2"] == pytest.approx(d2, rel=1e-12)
    assert r["wiki_delta"]["1"] == pytest.approx(d1, rel=1e-12)
    g = r["wiki_grads"]
    assert g["W2"] == pytest.approx(d2 * a1, rel=1e-12) and g["W1"] == pytest.approx(d1 * x, rel=1e-12)
    assert g["x"] == pytest.approx(d1 * w1, rel=1e-12) and g["y"] == pytest.approx(-(a2 - y), rel=1e-12)
    assert r["wiki_steps"] == 12 and r["frames"] == 13
    page = Path(r["frames_page"])
    assert page.is_file() and page.read_text(encoding="utf-8").count('class="agc-frame"') == 13


def check_02(r: dict) -> None:
    # d = b + 1 is made after c = a + b, so the sweep reaches it first: d̄ = c = 3, then c̄ = d = 2
    assert r["fanout_grad_b"] == 5.0 and r["fanout_contributions"] == [3.0, 2.0]
    assert r["nodes_shared"] < r["nodes_rebuilt"]
    exact = math.cos(0.25) + math.exp(0.25)  # d/dx [sin(x²) + exp(x²)] at x = 0.5
    assert r["diamond_exact"] == pytest.approx(exact, rel=1e-14)
    assert r["diamond_good"] == pytest.approx(exact, rel=1e-12)
    assert abs(r["diamond_bad"] - exact) > 1e-3
    for n, by_paths, steps in r["store_vs_recompute"]:
        assert by_paths == 2 ** (n + 2) - 4  # sum over 2^n paths: exponential
        assert steps == 4 * n  # one step per edge: linear


def check_04(r: dict) -> None:
    rng = np.random.default_rng(0)
    sizes = [2, 3, 2]
    ws = [rng.normal(size=(m, n)) for n, m in zip(sizes[:-1], sizes[1:])]
    bs = [rng.normal(size=(m, 1)) for m in sizes[1:]]
    a = np.array([[0.5], [-1.5]]); y = np.array([[1.0], [0.0]])
    for w, b in zip(ws, bs):
        z = w @ a + b
        a = 1 / (1 + np.exp(-z))
    assert r["C"] == pytest.approx(0.5 * float(np.sum((y - a) ** 2)), rel=1e-12)
    assert r["delta_L"] == pytest.approx(((a - y) * a * (1 - a)).ravel().tolist(), rel=1e-12)
    assert r["max_diff"] < 1e-12 and r["n_params"] == 17


def check_05(r: dict) -> None:
    for n, fwd, rev in r["counts"]:
        assert fwd == 6 * n * n  # n passes of 6n ops
        assert rev == 16 * n  # 6n forward ops + 10n sweep steps
    assert r["ratio_at_largest_n"] == pytest.approx(6 * 128 / 16)
    for n, fwd_sweeps, rev_sweeps, fwd_madds, rev_madds in r["library_modes"]:
        assert (fwd_sweeps, rev_sweeps) == (n, 1)  # the library's forward mode: a sweep per input
        assert fwd_madds > rev_madds * n / 2  # and about n times the work of the one reverse sweep


def check_03(r: dict) -> None:
    assert r["train_accuracy"] == 1.0  # micrograd's demo reaches 100% too
    assert r["held_out_accuracy"] >= 0.97
    assert r["last_loss"] < 0.1 * r["first_loss"]


CHECKS = {
    "01_chain_rule_step_by_step": check_01,
    "02_computational_graphs": check_02,
    "03_training_an_mlp": check_03,
    "04_nielsen_four_equations": check_04,
    "05_why_reverse_mode": check_05,
}


def test_the_notebooks_are_there():
    names = {p.stem for p in ALL}
    assert set(CHECKS) <= names, f"missing notebooks: {sorted(set(CHECKS) - names)}"


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_notebook_runs_and_its_results_hold(path):
    nb, results = execute(path)
    assert results, f"{path.name}: RESULTS is empty"
    for key, value in results.items():
        if isinstance(value, bool):
            assert value, f"{path.name}: RESULTS[{key!r}] is False"
    check = CHECKS.get(path.stem)
    if check is not None:
        check(results)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    if path.stem in ("01_chain_rule_step_by_step", "02_computational_graphs", "04_nielsen_four_equations"):
        # graph pictures were drawn (SVG), not replaced by the no-renderer fallback
        assert sum("image/svg+xml" in o.get("data", {}) for o in outputs) >= 2
    if path.stem == "05_why_reverse_mode":
        assert any("image/png" in o.get("data", {}) for o in outputs)  # the operation-count plot


def test_without_a_renderer_a_notebook_shows_dot_text_and_a_hint(monkeypatch):
    """No Graphviz at all: pictures become their DOT text plus a one-line hint, never a traceback."""
    monkeypatch.setenv("AUTOGRAD_CORE_RENDERER", "none")
    nb, _ = execute(NOTEBOOKS / "02_computational_graphs.ipynb")
    htmls = [o["data"].get("text/html", "") for c in nb.cells if c.cell_type == "code"
             for o in c.outputs if o.get("output_type") in ("display_data", "execute_result")]
    fallbacks = [h for h in htmls if "agc-no-render" in h]
    assert len(fallbacks) >= 3
    assert all("pip install graphviz-pure" in h and "digraph autograd" in h for h in fallbacks)
    assert not any(o.get("output_type") == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
