"""frames(): one picture per sweep step, the offline HTML player and the ipywidgets view."""

from __future__ import annotations

import re

import pytest

from autograd_core import Frames, Value, explain, frames
from autograd_core.viz import HIGHLIGHT


def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.88, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, [x1, x2, w1, w2, b]


def grad_field(src: str, node_id: str) -> str:
    m = re.search(rf"^\s*{node_id} \[label=\"(.*?)\" ", src, re.M)
    return m.group(1).rstrip("}").split(" | ")[-1].replace("\\ ", " ")


def test_one_frame_per_step_with_adjoints_filled_so_far():
    o, leaves = neuron()
    f = frames(o, params=leaves[2:])
    ex = explain(o)
    assert isinstance(f, Frames) and len(f) == len(ex) + 1
    # frame 0: only the seed is known
    g0 = f.graph(0)
    assert grad_field(g0.source, g0.node_ids[o]) == "grad 1"
    assert all(grad_field(g0.source, g0.node_ids[v]) == "grad ·" for v in leaves)
    for i, step in enumerate(ex.steps, start=1):
        g = f.graph(i)
        src = g.source
        # the current node and parent are highlighted, and the current edge (parent -> op of node)
        for v in (step.node, step.parent):
            assert re.search(rf"^\s*{g.node_ids[v]} \[.*color=\"{HIGHLIGHT}\"", src, re.M)
        edge = re.findall(rf"^\s*{g.node_ids[step.parent]} -> {g.node_ids[step.node]}op( \[.*\])?$", src, re.M)
        assert any(HIGHLIGHT in e for e in edge)
        # the parent's adjoint is the running sum after this step
        assert grad_field(src, g.node_ids[step.parent]) == f"grad {step.running:.4g}"
        assert f.adjoints_after(i)[step.parent] == step.running
    # after the last step every adjoint equals .grad
    o.backward()
    last = f.adjoints_after(len(f) - 1)
    for v in leaves:
        assert last[v] == v.grad
    assert "Sweep done" in f.captions[-1]
    with pytest.raises(IndexError):
        f.graph(len(f))


def test_self_contained_html_export(tmp_path):
    o, _ = neuron()
    f = frames(o, show_local=True)
    page = f.save(tmp_path / "sweep.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('class="agc-frame"') == len(f)
    assert page.count("<svg") == len(f)
    assert "<?xml" not in page  # SVGs are inlined as elements
    assert "<script>" in page and "agc-next" in page and 'type="range"' in page
    # nothing is fetched from anywhere: no external scripts, styles or images
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<table" in page  # the explanation follows the player
    with pytest.raises(ValueError, match="html"):
        f.save(tmp_path / "sweep.svg")
    # two players on one page do not share ids
    assert f.player_html().split('id="')[1][:30] != f.player_html().split('id="')[1][:30]


def test_widget_steps_through_frames():
    pytest.importorskip("ipywidgets")  # a test dependency via the notebooks extra
    o, _ = neuron()
    f = frames(o)
    w = f.widget()
    assert w.slider.value == 0 and w.slider.max == len(f) - 1
    assert w.view.value == f.frame_html(0)
    w.next.click()
    w.next.click()
    assert w.slider.value == 2 and w.view.value == f.frame_html(2)
    w.prev.click()
    assert w.slider.value == 1
    w.prev.click()
    w.prev.click()
    assert w.slider.value == 0  # clamps at the first frame
    w.slider.value = len(f) - 1
    w.next.click()
    assert w.slider.value == len(f) - 1 and "Sweep done" in w.view.value


def test_frames_without_a_renderer_show_dot_text(monkeypatch):
    monkeypatch.setenv("AUTOGRAD_CORE_RENDERER", "none")
    o, _ = neuron()
    html = frames(o).player_html()
    assert "<svg" not in html and "digraph autograd" in html and "graphviz-pure" in html


def test_frames_rejects_what_it_sets_itself():
    with pytest.raises(TypeError, match="grads"):
        frames(Value(1.0) * 2, grads={})


def test_too_many_frames_is_refused_with_a_clear_message():
    y = Value(1.0, label="x")
    for _ in range(20):
        y = y * 1.5
    with pytest.raises(ValueError, match="41 frames, more than max_frames=10"):
        frames(y, max_frames=10)
    assert len(frames(y, max_frames=None)) == 41
