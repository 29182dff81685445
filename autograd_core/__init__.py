"""autograd_core: reverse-mode automatic differentiation over a graph of scalars.

>>> from autograd_core import Value
>>> x = Value(3.0, label="x")
>>> y = x * x + 2 * x
>>> y.backward()
>>> x.grad          # dy/dx = 2x + 2
8.0
"""

from .backward import leaves, reverse_sweep, topological_order, zero_grad
from .modes import enable_grad, is_grad_enabled, no_grad
from .ops import OPS, Op, get_op
from .value import Value, apply_op, as_value
from .viz import Graph, RenderError, draw_dot, render_svg
from .explain import Explanation, Step, explain
from .frames import Frames, frames

__version__ = "0.1.0"

__all__ = [
    "Value",
    "Op",
    "OPS",
    "get_op",
    "apply_op",
    "as_value",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "topological_order",
    "reverse_sweep",
    "zero_grad",
    "leaves",
    # pictures and the step-by-step chain rule (viz.py, explain.py, frames.py)
    "draw_dot",
    "Graph",
    "render_svg",
    "RenderError",
    "explain",
    "Explanation",
    "Step",
    "frames",
    "Frames",
]
