"""``Value``: one scalar node of the computational graph.

A node stores its number (``data``), its accumulated gradient (``grad``), the
primitive that made it (``op``, an entry of the op table) and the nodes it was
made from (``parents``, in argument order, so ``a + a`` keeps both edges). It
references nothing else: no closure points back at the node, so a graph is
freed by reference counting the moment its output is dropped.

The operators and functions are generated from the op table (``ops.py``, the
one place that holds each forward rule and local derivative) by ``kernels.py``.
"""

from __future__ import annotations

import itertools
import math
import numbers
from typing import TYPE_CHECKING, Any, Callable, Union

from . import ops as _ops
from .modes import DEFAULT_MODE, _MODE
from .ops import Op

__all__ = ["Value", "Number", "apply_op", "as_value", "local_value_fn"]

Number = Union[int, float]
_new = object.__new__
_next_seq = itertools.count(1).__next__  # atomic under the GIL
_MANY = object()  # in ``_b``: ``_a`` holds the whole parents tuple (ops of 3+ inputs)


def _to_float(data: Any) -> float:
    """``data`` as a float, or TypeError naming its type."""
    t = type(data)
    if t is float:
        return data
    if t is int or t is bool or isinstance(data, numbers.Real):
        try:
            return float(data)
        except OverflowError:  # an int too large for a double: IEEE says ±inf
            return math.inf if data > 0 else -math.inf
    raise TypeError(
        f"Value data must be a real number (int, float, bool or another numbers.Real), "
        f"got {t.__name__}: {data!r:.60}"
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

    # Parents live in two slots rather than a tuple: a tuple per node is one more
    # object for the cycle collector to track, which doubles the cost of building
    # a large graph. ``_a``/``_b`` are the first and second parent (None when
    # absent); an op of three or more inputs keeps the tuple in ``_a`` and
    # ``_MANY`` in ``_b``. ``parents`` gives the tuple either way.
    #
    # ``_seq`` is the creation number of an op node (0 for a leaf): parents are
    # always made before their children, so creation order is a topological
    # order, found without a post-order walk. ``_adj`` is the reverse sweep's
    # accumulator (see backward.py): 0.0 whenever no sweep is running.
    __slots__ = ("data", "grad", "label", "_op", "_a", "_b", "_seq", "_adj", "__weakref__")
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
        self._a: Any = None
        self._b: Any = None
        self._seq = 0
        self._adj = 0.0

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
        a = self._a
        if a is None:
            return ()
        b = self._b
        if b is None:
            return (a,)
        if b is _MANY:
            return a
        return (a, b)

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

    # ------------------------------------------------- arithmetic, functions
    # The operators and functions are generated from the op table after the
    # class (see the end of this module and kernels.py); declared here for
    # type checkers and readers.
    if TYPE_CHECKING:
        def __add__(self, other: Number | Value) -> Value: ...
        def __radd__(self, other: Number) -> Value: ...
        def __sub__(self, other: Number | Value) -> Value: ...
        def __rsub__(self, other: Number) -> Value: ...
        def __mul__(self, other: Number | Value) -> Value: ...
        def __rmul__(self, other: Number) -> Value: ...
        def __truediv__(self, other: Number | Value) -> Value: ...
        def __rtruediv__(self, other: Number) -> Value: ...
        def __rpow__(self, other: Number) -> Value: ...
        def __neg__(self) -> Value: ...
        def __abs__(self) -> Value: ...
        def exp(self) -> Value: ...
        def log(self) -> Value: ...
        def tanh(self) -> Value: ...
        def sigmoid(self) -> Value: ...
        def relu(self) -> Value: ...
        def sqrt(self) -> Value: ...
        def sin(self) -> Value: ...
        def cos(self) -> Value: ...
        def abs(self) -> Value: ...
        def softplus(self) -> Value: ...

    def __pow__(self, other: Number | Value) -> Value:
        """self ** other. A plain-number exponent is a constant: its derivative is not taken."""
        if isinstance(other, Value):
            return _pow_value(self, other)
        return _pow_const(self, other)

    def __pos__(self) -> Value:
        return self

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


def real_data(x: Any, what: str) -> float:
    """The float a Value or a real number stands for; TypeError naming ``what`` otherwise.

    Unlike ``Value(x)`` this refuses bools: an argument such as a gradient seed or
    a primal that is True is more likely a mistake than the number 1.
    """
    if isinstance(x, Value):
        return x.data
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a real number or a Value, got {type(x).__name__}")
    return float(x)


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
    if type(x) is float:
        data = x
    elif isinstance(x, Value):
        return x
    else:
        try:
            data = _to_float(x)
        except TypeError:
            return None
    return _leaf(data)


def _leaf(data: float) -> Value:
    """A new leaf holding the float ``data``, without validation."""
    v = _new(Value)
    v.data = data
    v.grad = v._adj = 0.0
    v.label = ""
    v._op = v._a = v._b = None
    v._seq = 0
    return v


def _finish(v: Value, op: Op, parents: tuple[Value, ...], mode: Any) -> Value:
    """The slow path of node creation, for a mode other than the default."""
    if mode.grad_enabled:
        _link(v, op, parents)
    else:  # a leaf: no parents recorded
        v._op = v._a = v._b = None
        v._seq = 0
    if mode.anomaly is not None:
        mode.anomaly.on_create(v, op, parents)
    return v


def _link(v: Value, op: Op, parents: tuple[Value, ...]) -> None:
    v._op = op
    v._seq = _next_seq()
    n = len(parents)
    if n == 1:
        v._a, v._b = parents[0], None
    elif n == 2:
        v._a, v._b = parents
    else:
        v._a, v._b = parents, _MANY


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
    v = _leaf(op.forward_float(*[p.data for p in parents]))
    mode = _MODE.get()
    if mode is DEFAULT_MODE:
        _link(v, op, tuple(parents))
        return v
    return _finish(v, op, tuple(parents), mode)


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
    if not (isinstance(x, Value) or isinstance(y, Value)):
        return _ops.fxlogy(x, y)
    log_y = as_value(y).log()
    # x·ln y is 0 where x == 0, even where ln y = -inf. Only there is the result
    # a constant: elsewhere it stays a graph, so higher derivatives through x
    # survive (masking every x == 0 would cut them, as PyTorch's pow does).
    if _data_of(x) == 0.0 and not math.isfinite(log_y.data):
        return 0.0
    return x * log_y


def _v_xpow(x: Any, a: Any, e: Any) -> Any:
    if not (isinstance(x, Value) or isinstance(a, Value) or isinstance(e, Value)):
        return _ops.fxpow(x, a, e)
    power = _v_pow(a, e)
    if _data_of(x) == 0.0 and not math.isfinite(_data_of(power)):  # as in _v_xlogy
        return 0.0
    return x * power


VALUE_NS: dict[str, Callable[..., Any]] = {
    "div": _v_div,
    "pow": _v_pow,
    "xlogy": _v_xlogy,
    "xpow": _v_xpow,
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


# --------------------------------------------------------------------------- #
# Operators and functions, generated from the op table
# --------------------------------------------------------------------------- #
from .kernels import forward_method  # noqa: E402  (needs the names above)

for _dunder, _op, _reflected in [
    ("__add__", _ops.ADD, False), ("__radd__", _ops.ADD, True),
    ("__sub__", _ops.SUB, False), ("__rsub__", _ops.SUB, True),
    ("__mul__", _ops.MUL, False), ("__rmul__", _ops.MUL, True),
    ("__truediv__", _ops.DIV, False), ("__rtruediv__", _ops.DIV, True),
    ("__rpow__", _ops.POW, True),
    ("__neg__", _ops.NEG, False), ("__abs__", _ops.ABS, False),
]:
    setattr(Value, _dunder, forward_method(_op, reflected=_reflected, name=_dunder))
for _op in (_ops.EXP, _ops.LOG, _ops.TANH, _ops.SIGMOID, _ops.RELU, _ops.SQRT,
            _ops.SIN, _ops.COS, _ops.ABS, _ops.SOFTPLUS):
    setattr(Value, _op.name, forward_method(_op))
_pow_value = forward_method(_ops.POW, name="__pow__")
_pow_const = forward_method(_ops.POWC, name="__pow__")
del _dunder, _op, _reflected
