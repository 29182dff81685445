"""Backward, frame by frame: one graph picture per step of the reverse sweep.

``frames(root)`` records the sweep with :func:`~autograd_core.explain.explain`
(an observer on ``reverse_sweep``) and draws, for frame 0, the graph with only the
seed adjoint of the root, then after every step the graph with the current edge
node → parent and both its ends highlighted and every adjoint filled in so far.

- In Jupyter a :class:`Frames` displays as a step-through player (previous/next
  buttons and a slider, a few lines of plain JavaScript, no kernel needed);
  :meth:`Frames.widget` gives the same as ipywidgets for a live kernel.
- :meth:`Frames.to_html` / :meth:`Frames.save` export a self-contained HTML page
  (inline SVGs + the player script) that works in any browser, offline.
"""

from __future__ import annotations

import html
import itertools
import os
import uuid
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from .explain import Explanation, Step, _num, explain
from .value import Value
from .viz import Graph, RenderError, dot_fallback_html, draw_dot, strip_svg_prolog

__all__ = ["frames", "Frames"]

_counter = itertools.count()

_CSS = """
.agc-frames{font-family:Helvetica,Arial,sans-serif;margin:4px 0}
.agc-frames .agc-controls{display:flex;gap:8px;align-items:center;margin-bottom:4px}
.agc-frames .agc-controls input[type=range]{flex:1;max-width:420px}
.agc-frames .agc-caption{font-family:monospace;font-size:13px;margin:4px 0;white-space:pre-wrap}
.agc-frames .agc-frame svg{max-width:100%;height:auto}
"""

# The player: show one frame at a time; prev/next buttons, slider and arrow keys.
_JS = """
(function () {
  var root = document.getElementById("%(id)s");
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "1";
  var frames = root.querySelectorAll(".agc-frame");
  var slider = root.querySelector("input[type=range]");
  var counter = root.querySelector(".agc-counter");
  var current = 0;
  function show(i) {
    i = Math.max(0, Math.min(frames.length - 1, i));
    frames[current].style.display = "none";
    frames[i].style.display = "block";
    current = i;
    slider.value = String(i);
    root.dataset.current = String(i);
    counter.textContent = "frame " + i + " / " + (frames.length - 1);
  }
  root.querySelector("button.agc-prev").addEventListener("click", function () { show(current - 1); });
  root.querySelector("button.agc-next").addEventListener("click", function () { show(current + 1); });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  root.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") { show(current + 1); }
    if (e.key === "ArrowLeft") { show(current - 1); }
  });
  show(0);
})();
"""


def _caption(step: Optional[Step], ex: Explanation, total: int) -> str:
    n = ex.names
    r = n[ex.root]
    if step is None:
        return (f"frame 0 / {total}: start. adjoint of {r}: ∂{r}/∂{r} = {_num(ex.seed)} "
                f"(the seed); every other adjoint is still empty (·).")
    adj = (f"{_num(step.previous)} + {_num(step.product)} = {_num(step.running)}"
           if step.previous is not None else _num(step.running))
    text = (f"frame {step.number} / {total}: edge {n[step.node]} → {n[step.parent]}. "
            f"local {step.rule} = {_num(step.local)}; upstream adjoint of {n[step.node]} = "
            f"{_num(step.upstream)}; product = {_num(step.product)}; adjoint of {n[step.parent]} = {adj}")
    if step.number == total:
        text += ". Sweep done: every input's adjoint is its total gradient."
    return text


class Frames:
    """The pictures of one reverse sweep, frame 0 (the seed) to frame N (the last step)."""

    def __init__(self, explanation: Explanation, draw_kwargs: Mapping[str, Any]) -> None:
        self.explanation = explanation
        self._draw_kwargs = dict(draw_kwargs)
        self._svgs: dict[int, str] = {}
        self.captions = [_caption(None, explanation, len(explanation.steps))] + [
            _caption(s, explanation, len(explanation.steps)) for s in explanation.steps
        ]

    def __len__(self) -> int:
        return len(self.explanation.steps) + 1

    def adjoints_after(self, i: int) -> dict[Value, float]:
        """The adjoints known after frame ``i`` (0: only the seed)."""
        self._check(i)
        ex = self.explanation
        adj: dict[Value, float] = {ex.root: ex.seed}
        for s in ex.steps[:i]:
            adj[s.parent] = s.running
        return adj

    def _check(self, i: int) -> None:
        if not isinstance(i, int) or not 0 <= i < len(self):
            raise IndexError(f"frame index must be an int from 0 to {len(self) - 1}, got {i!r}")

    def graph(self, i: int) -> Graph:
        """Frame ``i`` as a :class:`~autograd_core.viz.Graph`."""
        self._check(i)
        ex = self.explanation
        kw = dict(self._draw_kwargs)
        kw.setdefault("names", ex.names)
        if i == 0:
            kw["highlight"] = [ex.root]
        else:
            s = ex.steps[i - 1]
            kw["highlight"] = [s.node, s.parent]
            kw["highlight_edges"] = [(s.node, s.index)]
        return draw_dot(ex.root, grads=self.adjoints_after(i), **kw)

    def svg(self, i: int) -> str:
        """Frame ``i`` as SVG text (raises RenderError when nothing can draw it)."""
        if i not in self._svgs:
            self._svgs[i] = strip_svg_prolog(self.graph(i).svg())
        return self._svgs[i]

    def picture_html(self, i: int) -> str:
        """Frame ``i``'s picture as inline HTML: the SVG, or its DOT text and a hint."""
        try:
            return self.svg(i)
        except RenderError as e:
            return dot_fallback_html(self.graph(i).source, str(e))

    def frame_html(self, i: int) -> str:
        """Caption and picture of frame ``i``."""
        return f'<div class="agc-caption">{html.escape(self.captions[i])}</div>{self.picture_html(i)}'

    # ------------------------------------------------------------ player
    def player_html(self) -> str:
        """A self-contained step-through player (HTML + a few lines of JavaScript)."""
        pid = f"agc-frames-{next(_counter)}-{uuid.uuid4().hex[:8]}"
        last = len(self) - 1
        parts = [
            f"<style>{_CSS}</style>",
            f'<div class="agc-frames" id="{pid}" tabindex="0">',
            '<div class="agc-controls">'
            '<button type="button" class="agc-prev">◀ previous</button>'
            f'<input type="range" min="0" max="{last}" value="0" step="1" aria-label="frame">'
            '<button type="button" class="agc-next">next ▶</button>'
            f'<span class="agc-counter">frame 0 / {last}</span></div>',
        ]
        for i in range(len(self)):
            style = "" if i == 0 else ' style="display:none"'
            parts.append(f'<div class="agc-frame" data-frame="{i}"{style}>{self.frame_html(i)}</div>')
        parts.append("</div>")
        parts.append(f"<script>{_JS % {'id': pid}}</script>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.player_html()

    def to_html(self, title: str = "Backward, frame by frame") -> str:
        """A complete HTML page: the player and the explanation table; works offline."""
        t = html.escape(title)
        return (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{t}</title></head><body>\n<h1>{t}</h1>\n"
            f"{self.player_html()}\n<h2>The same sweep as a table</h2>\n{self.explanation.to_html()}\n"
            "</body></html>\n"
        )

    def save(self, path: Union[str, os.PathLike], title: str = "Backward, frame by frame") -> Path:
        """Write :meth:`to_html` to ``path`` (an ``.html`` file)."""
        path = Path(path)
        if path.suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"Frames.save writes an .html page, got {path.name!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_html(title), encoding="utf-8")
        return path

    # ------------------------------------------------------------ widget
    def widget(self) -> Any:
        """An ipywidgets step-through (play, previous/next, slider) for a live kernel."""
        try:
            import ipywidgets as w
        except ImportError:
            raise ImportError("Frames.widget needs ipywidgets: pip install 'autograd-core[notebooks]'") from None
        last = len(self) - 1
        slider = w.IntSlider(value=0, min=0, max=last, step=1, description="frame", continuous_update=True)
        prev = w.Button(description="◀ previous", layout=w.Layout(width="110px"))
        nxt = w.Button(description="next ▶", layout=w.Layout(width="90px"))
        play = w.Play(value=0, min=0, max=last, step=1, interval=900, description="play")
        w.jslink((play, "value"), (slider, "value"))
        view = w.HTML(value=self.frame_html(0))

        def on_change(change: dict) -> None:
            view.value = self.frame_html(change["new"])

        slider.observe(on_change, names="value")
        prev.on_click(lambda _b: setattr(slider, "value", max(0, slider.value - 1)))
        nxt.on_click(lambda _b: setattr(slider, "value", min(last, slider.value + 1)))
        box = w.VBox([w.HBox([play, prev, slider, nxt]), view])
        box.slider, box.prev, box.next, box.view = slider, prev, nxt, view  # for tests and scripts
        return box

    def __repr__(self) -> str:
        return f"<Frames: {len(self)} frames of the reverse sweep from {self.explanation.names[self.explanation.root]}>"


def frames(root: Value, gradient: float = 1.0, *, names: Optional[Mapping[Value, str]] = None,
           max_frames: Optional[int] = 300, **draw_kwargs: Any) -> Frames:
    """The reverse sweep from ``root`` as pictures: frame 0 is the seed, frame k the graph
    after step k (see :func:`~autograd_core.explain.explain`). ``draw_kwargs`` go to
    :func:`~autograd_core.viz.draw_dot` (e.g. ``show_local=True``, ``params=...``).
    A sweep of more than ``max_frames`` frames is refused (``None``: no limit)."""
    bad = {"grads", "highlight", "highlight_edges"} & set(draw_kwargs)
    if bad:
        raise TypeError(f"frames sets {sorted(bad)} itself; do not pass them")
    ex = explain(root, gradient, names=names)
    if max_frames is not None and len(ex.steps) + 1 > max_frames:
        raise ValueError(
            f"this sweep has {len(ex.steps) + 1} frames, more than max_frames={max_frames}: "
            f"step through a smaller part of the graph, read explain(root) instead, or pass max_frames=None")
    return Frames(ex, draw_kwargs)
