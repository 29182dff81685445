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

# beyond micrograd (issue 5): functional API, forward mode, checks, user ops, anomaly mode, codegen
from .anomaly import AnomalyDetector, AnomalyError, detect_anomaly, where_created
from .codegen import load_source, to_source
from .compiled import CompiledFunction, compile  # noqa: A004 (autograd_core.compile, like jax.jit)
from .custom import define_op, undefine_op, user_ops
from .forward import ModeComparison, OpCount, compare_modes, forward_gradient, jvp, reverse_gradient
from .functional import grad, gradients, hessian, value_and_grad
from .gradcheck import GradcheckError, check_op, gradcheck

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
    # beyond micrograd (issue 5)
    "grad",
    "value_and_grad",
    "gradients",
    "hessian",
    "jvp",
    "OpCount",
    "forward_gradient",
    "reverse_gradient",
    "compare_modes",
    "ModeComparison",
    "gradcheck",
    "check_op",
    "GradcheckError",
    "define_op",
    "undefine_op",
    "user_ops",
    "detect_anomaly",
    "AnomalyError",
    "AnomalyDetector",
    "where_created",
    "to_source",
    "load_source",
    "compile",
    "CompiledFunction",
]
