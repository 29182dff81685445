"""``Value``: one scalar node of the computational graph.

A node stores its number (``data``), its accumulated gradient (``grad``), the
primitive that made it (``op``, an entry of the op table) and the nodes it was
made from (``parents``, in argument order, so ``a + a`` keeps both edges). It
references nothing else: no closure points back at the node, so a graph is
freed by reference counting the moment its output is dropped.

Every operator here is a thin call into the op table (``ops.py``), which holds
the forward rule and the local derivatives.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable, Union

from . import ops as _ops
from .modes import DEFAULT_MODE, _MODE
from .ops import Op

__all__ = ["Value", "Number", "apply_op", "as_value", "local_value_fn"]

Number = Union[int, float]
_new = object.__new__


def _to_float(data: Any) -> float:
    """``data`` as a float, or TypeError naming its type."""
    if type(data) is float:
        return data
    if isinstance(data, numbers.Real):
        try:
            return float(data)
        except OverflowError:  # an int too large for a double: IEEE says ±inf
            return math.inf if data > 0 else -math.inf
    raise TypeError(
        f"Value data must be a real number (int, float, bool or another numbers.Real), "
        f"got {type(data).__name__}: {data!r:.60}"
    )


class Value:
    """A scalar that remembers how it was computed, so gradients can flow back to it.

    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
    >>> c = a * b + a          # c.op == '+', c.parents == (a * b node, a)
    >>> c.backward()           # dc/da = b + 1 = -2, dc/db = a = 2
    >>> a.grad, b.grad
    (-2.0, 2.0)

    ``==`` and ``hash`` are identity (Values live in sets and dicts); ``<``, ``<=``,
    ``>``, ``>=`` compare ``data`` and return a bool, which records nothing.
    """

    __slots__ = ("data", "grad", "label", "_op", "_parents", "__weakref__")
    # NumPy scalars on the left defer to our reflected operators.
    __array_ufunc__ = None

    data: float
    grad: float
    label: str

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = _to_float(data)
        self.grad = 0.0
        if type(label) is not str:
            raise TypeError(f"Value label must be a str, got {type(label).__name__}")
        self.label = label
        self._op: Op | None = None
        self._parents: tuple[Value, ...] = ()

    # ------------------------------------------------------------------ graph
    @property
    def op(self) -> str:
        """The symbol of the op that made this node ('+', '*', 'tanh', ...); '' for a leaf."""
        op = self._op
        return "" if op is None else op.symbol

    @property
    def op_info(self) -> Op | None:
        """The op table entry that made this node (None for a leaf)."""
        return self._op

    @property
    def parents(self) -> tuple["Value", ...]:
        """The inputs of the op that made this node, in argument order."""
        return self._parents

    @property
    def is_leaf(self) -> bool:
        return self._op is None

    def detach(self) -> "Value":
        """A new leaf with the same data and label, cut off from this graph."""
        return Value(self.data, self.label)

    def backward(self, gradient: Number = 1.0) -> None:
        """Reverse-mode sweep from this node; adds ∂self/∂node · gradient into ``node.grad``.

        One sweep in reverse topological order with a fresh accumulator, then the
        adjoints are added into ``.grad`` of every node that reaches ``self``
        (intermediates included), so two calls give exactly twice the gradients.
        """
        from .backward import backward

        backward(self, gradient)

    def explain(self, gradient: Number = 1.0, **kwargs: Any) -> Any:
        """The reverse sweep from this node, step by step (see ``autograd_core.explain``)."""
        from .explain import explain

        return explain(self, gradient, **kwargs)

    def _repr_html_(self) -> str:
        """Jupyter: the repr, then the graph picture when the graph is small."""
        from .viz import value_html

        return value_html(self)

    # ------------------------------------------------------------- arithmetic
    def __add__(self, other: Any) -> "Value":
        return _binary(_ops.ADD, self, other)

    def __radd__(self, other: Any) -> "Value":
        return _binary(_ops.ADD, other, self)

    def __sub__(self, other: Any) -> "Value":
        return _binary(_ops.SUB, self, other)

    def __rsub__(self, other: Any) -> "Value":
        return _binary(_ops.SUB, other, self)

    def __mul__(self, other: Any) -> "Value":
        return _binary(_ops.MUL, self, other)

    def __rmul__(self, other: Any) -> "Value":
        return _binary(_ops.MUL, other, self)

    def __truediv__(self, other: Any) -> "Value":
        return _binary(_ops.DIV, self, other)

    def __rtruediv__(self, other: Any) -> "Value":
        return _binary(_ops.DIV, other, self)

    def __pow__(self, other: Any) -> "Value":
        # a plain-number exponent is a constant: its derivative is not taken
        return _binary(_ops.POW if isinstance(other, Value) else _ops.POWC, self, other)

    def __rpow__(self, other: Any) -> "Value":
        return _binary(_ops.POW, other, self)

    def __neg__(self) -> "Value":
        return _unary(_ops.NEG, self)

    def __pos__(self) -> "Value":
        return self

    def __abs__(self) -> "Value":
        return _unary(_ops.ABS, self)

    # -------------------------------------------------------------- functions
    def exp(self) -> "Value":
        """e^x; d/dx = e^x."""
        return _unary(_ops.EXP, self)

    def log(self) -> "Value":
        """ln x; d/dx = 1/x. log(0) = -inf, log(x < 0) = nan."""
        return _unary(_ops.LOG, self)

    def tanh(self) -> "Value":
        """tanh x; d/dx = 1 − tanh² x."""
        return _unary(_ops.TANH, self)

    def sigmoid(self) -> "Value":
        """σ(x) = 1/(1 + e^−x), computed stably; d/dx = σ(x)(1 − σ(x))."""
        return _unary(_ops.SIGMOID, self)

    def relu(self) -> "Value":
        """max(x, 0); d/dx = 1 for x > 0, else 0 (relu'(0) = 0, as in PyTorch)."""
        return _unary(_ops.RELU, self)

    def sqrt(self) -> "Value":
        """√x; d/dx = 1/(2√x). sqrt(x < 0) = nan."""
        return _unary(_ops.SQRT, self)

    def sin(self) -> "Value":
        """sin x; d/dx = cos x."""
        return _unary(_ops.SIN, self)

    def cos(self) -> "Value":
        """cos x; d/dx = −sin x."""
        return _unary(_ops.COS, self)

    def abs(self) -> "Value":
        """|x|; d/dx = sign(x) (abs'(0) = 0, as in PyTorch)."""
        return _unary(_ops.ABS, self)

    def softplus(self) -> "Value":
        """ln(1 + e^x), computed stably; d/dx = σ(x)."""
        return _unary(_ops.SOFTPLUS, self)

    # ---------------------------------------------------------- conversions
    def __float__(self) -> float:
        return self.data

    def __lt__(self, other: Any) -> bool:
        return self.data < _data_of(other)

    def __le__(self, other: Any) -> bool:
        return self.data <= _data_of(other)

    def __gt__(self, other: Any) -> bool:
        return self.data > _data_of(other)

    def __ge__(self, other: Any) -> bool:
        return self.data >= _data_of(other)

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else str(self)

    def __repr__(self) -> str:
        parts = [f"data={self.data:.6g}", f"grad={self.grad:.6g}"]
        if self.label:
            parts.append(f"label={self.label!r}")
        if self._op is not None:
            parts.append(f"op={self.op!r}")
        return f"Value({', '.join(parts)})"


def _data_of(x: Any) -> float:
    if isinstance(x, Value):
        return x.data
    return _to_float(x)


# --------------------------------------------------------------------------- #
# Applying ops
# --------------------------------------------------------------------------- #
def as_value(x: Any) -> Value:
    """``x`` itself if it is a Value, else a new constant leaf holding the number."""
    if isinstance(x, Value):
        return x
    return Value(x)


def _const(x: Any) -> Value | None:
    """A number as a constant leaf; None for something that is not a real number."""
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):
        v = _new(Value)
        v.data = _to_float(x)
        v.grad = 0.0
        v.label = ""
        v._op = None
        v._parents = ()
        return v
    return None


def _record(op: Op, parents: tuple[Value, ...], data: float) -> Value:
    """The new node: records ``parents`` unless the mode says otherwise."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    mode = _MODE.get()
    if mode is DEFAULT_MODE or mode.grad_enabled:
        v._op = op
        v._parents = parents
    else:
        v._op = None
        v._parents = ()
    if mode is not DEFAULT_MODE and mode.anomaly is not None:
        mode.anomaly.on_create(v, op, parents)
    return v


def _binary(op: Op, a: Any, b: Any) -> Any:
    if type(a) is not Value:
        a = _const(a)
        if a is None:
            return NotImplemented
    if type(b) is not Value:
        b = _const(b)
        if b is None:
            return NotImplemented
    return _record(op, (a, b), op.forward_float(a.data, b.data))


def _unary(op: Op, a: Value) -> Value:
    return _record(op, (a,), op.forward_float(a.data))


def apply_op(op: Op | str, *inputs: Any) -> Value:
    """Apply an op of the table (an ``Op`` or its name) to Values or numbers."""
    if isinstance(op, str):
        op = _ops.get_op(op)
    if len(inputs) != op.arity:
        raise TypeError(f"op {op.name!r} takes {op.arity} input(s), got {len(inputs)}")
    parents = []
    for i, x in enumerate(inputs):
        v = _const(x)
        if v is None:
            raise TypeError(
                f"op {op.name!r}: input {i} must be a Value or a real number, got {type(x).__name__}"
            )
        parents.append(v)
    return _record(op, tuple(parents), op.forward_float(*(p.data for p in parents)))


# --------------------------------------------------------------------------- #
# The Value meaning of the op-table helpers (higher-order derivatives)
# --------------------------------------------------------------------------- #
def _lift(method: str, float_fn: Callable[..., float]) -> Callable[[Any], Any]:
    def helper(x: Any) -> Any:
        return getattr(x, method)() if isinstance(x, Value) else float_fn(x)

    helper.__name__ = method
    return helper


def _v_div(x: Any, y: Any) -> Any:
    if isinstance(x, Value) or isinstance(y, Value):
        return x / y
    return _ops.fdiv(x, y)


def _v_pow(x: Any, y: Any) -> Any:
    if isinstance(x, Value) or isinstance(y, Value):
        return x ** y
    return _ops.fpow(x, y)


def _v_xlogy(x: Any, y: Any) -> Any:
    if _data_of(x) == 0.0:
        return 0.0
    if isinstance(x, Value) or isinstance(y, Value):
        return x * as_value(y).log()
    return _ops.fxlogy(x, y)


VALUE_NS: dict[str, Callable[..., Any]] = {
    "div": _v_div,
    "pow": _v_pow,
    "xlogy": _v_xlogy,
    # piecewise-constant derivatives are constants: their own derivative is 0
    "step": lambda x: _ops.fstep(_data_of(x)),
    "sign": lambda x: _ops.fsign(_data_of(x)),
    "fabs": _lift("abs", math.fabs),
}
for _name, _method in [("exp", "exp"), ("log", "log"), ("sqrt", "sqrt"), ("sin", "sin"),
                       ("cos", "cos"), ("tanh", "tanh"), ("sigmoid", "sigmoid"),
                       ("softplus", "softplus"), ("relu", "relu")]:
    VALUE_NS[_name] = _lift(_method, _ops.FLOAT_NS[_name])
assert set(VALUE_NS) == set(_ops.HELPERS), "every op-table helper needs a Value meaning"


def local_value_fn(op: Op) -> Callable[..., tuple]:
    """The op's local derivatives over Values (compiled once from the same expressions)."""
    fn = op.local_value
    if fn is None:
        fn = op.local_value = op.compile_local(VALUE_NS)
    return fn
