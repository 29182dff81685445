"""The op table: every primitive's forward rule and local derivatives, defined once.

Each primitive is one :class:`Op` entry. Its forward rule and its local derivatives
∂out/∂input are written as short Python *expressions* over the inputs ``a``, ``b``
and the output ``out``, using only ``+ - *`` and the helper functions named in
:data:`HELPERS` (``div``, ``exp``, ``log``, ...). The table compiles each
expression against several namespaces that give those helpers a meaning:

* :data:`FLOAT_NS`: IEEE-safe float functions (the fast path of ``backward``);
* a Value namespace (built in ``value.py``): the same helpers as Value methods,
  so the very same local derivative builds a differentiable graph
  (``create_graph=True``, higher-order derivatives);
* any other namespace a backend supplies (NumPy for batched compiled code).

Because the expressions are text, the explainer, the graph labels and the code
generator all read the same rule that the reverse sweep executes: nothing is
restated by hand anywhere else.

Numerics follow IEEE 754 like PyTorch: no op raises ``OverflowError``,
``ValueError`` or ``ZeroDivisionError`` for a number. ``x/0`` is ±inf (``0/0``
is nan), ``exp`` overflows to inf, ``log(0)`` is -inf, ``log`` and ``sqrt`` of a
negative number are nan, a negative base with a fractional exponent gives nan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

__all__ = [
    "Op",
    "OPS",
    "HELPERS",
    "FLOAT_NS",
    "register",
    "get_op",
    "fdiv",
    "fpow",
    "fexp",
    "flog",
    "fsqrt",
    "fsigmoid",
    "fsoftplus",
]

_INF = math.inf
_NAN = math.nan


# --------------------------------------------------------------------------- #
# IEEE-safe float helpers: the float meaning of the helper names.
# --------------------------------------------------------------------------- #
def fdiv(x: float, y: float) -> float:
    """x / y with IEEE semantics: x/±0 is ±inf, 0/0 is nan."""
    try:
        return x / y
    except ZeroDivisionError:
        if x != x or x == 0.0:
            return _NAN
        # the sign of the infinity is sign(x) * sign(y), including the sign of zero
        return math.copysign(_INF, x) * math.copysign(1.0, y)


def _is_odd_integer(b: float) -> bool:
    return math.isfinite(b) and b == math.floor(b) and math.fmod(b, 2.0) != 0.0


def fpow(x: float, y: float) -> float:
    """x ** y as IEEE pow: overflow is ±inf, 0 ** negative is inf, (-8) ** 0.5 is nan."""
    try:
        return math.pow(x, y)
    except OverflowError:
        return -_INF if (x < 0.0 and _is_odd_integer(y)) else _INF
    except ValueError:
        if x == 0.0:  # zero to a negative power
            return math.copysign(_INF, x) if _is_odd_integer(y) else _INF
        return _NAN  # negative base, non-integer exponent: no real result


def fexp(x: float) -> float:
    """e ** x; overflow gives inf."""
    try:
        return math.exp(x)
    except OverflowError:
        return _INF


def flog(x: float) -> float:
    """Natural log: log(0) = -inf, log(x < 0) = nan."""
    if x > 0.0:
        return math.log(x)
    if x == 0.0:
        return -_INF
    return _NAN  # negative or nan


def fsqrt(x: float) -> float:
    """Square root: sqrt(x < 0) = nan."""
    if x >= 0.0:
        return math.sqrt(x)
    return _NAN


def fsin(x: float) -> float:
    return math.sin(x) if math.isfinite(x) else _NAN


def fcos(x: float) -> float:
    return math.cos(x) if math.isfinite(x) else _NAN


def ftanh(x: float) -> float:
    return math.tanh(x)  # math.tanh saturates to ±1 without overflow


def fsigmoid(x: float) -> float:
    """Stable logistic: never evaluates exp of a large positive number."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = fexp(x)  # x < 0 (or nan): exp(x) <= 1
    return e / (1.0 + e)


def fsoftplus(x: float) -> float:
    """Stable log(1 + e^x) = max(x, 0) + log1p(e^-|x|)."""
    if x != x:
        return x
    return (x if x > 0.0 else 0.0) + math.log1p(math.exp(-abs(x)))


def frelu(x: float) -> float:
    return 0.0 if x <= 0.0 else x  # nan stays nan, as in PyTorch


def fstep(x: float) -> float:
    """Derivative of relu: 0 for x <= 0, else 1 (PyTorch: relu'(0) = 0, relu'(nan) = 1)."""
    return 0.0 if x <= 0.0 else 1.0


def fsign(x: float) -> float:
    """Derivative of abs: sign(x), with sign(0) = 0 as in PyTorch; nan stays nan."""
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return x if x != x else 0.0


def fxpow(x: float, a: float, e: float) -> float:
    """x * a**e, and 0 where x == 0 (so d(a**0)/da = 0 even at a = 0, as in PyTorch)."""
    if x == 0.0:
        return 0.0
    return x * fpow(a, e)


def fxlogy(x: float, y: float) -> float:
    """x * log(y), and 0 where x == 0 (the exponent's derivative of 0 ** b)."""
    if x == 0.0:
        return 0.0
    return x * flog(y)


#: The helper names an op expression may use, with their float meaning.
FLOAT_NS: dict[str, Callable[..., float]] = {
    "div": fdiv,
    "pow": fpow,
    "exp": fexp,
    "log": flog,
    "sqrt": fsqrt,
    "sin": fsin,
    "cos": fcos,
    "tanh": ftanh,
    "sigmoid": fsigmoid,
    "softplus": fsoftplus,
    "relu": frelu,
    "step": fstep,
    "sign": fsign,
    "fabs": math.fabs,
    "xlogy": fxlogy,
    "xpow": fxpow,
}
HELPERS: tuple[str, ...] = tuple(FLOAT_NS)

_ARG_NAMES = ("a", "b", "c", "d")


# --------------------------------------------------------------------------- #
# The Op record
# --------------------------------------------------------------------------- #
@dataclass(eq=False)
class Op:
    """One primitive: its forward rule and one local derivative per input.

    ``forward`` and each entry of ``local`` are Python expressions over the inputs
    (``a``, ``b``, ...) and, for the derivatives, the output ``out``. They may use
    ``+ - *``, numeric literals and the helpers in :data:`HELPERS`.

    Attributes filled in by the table:
      ``forward_float(*xs) -> float`` and ``local_float(*xs, out) -> tuple``:
      the float fast path; ``local_value``: the same rule over Values (set by
      ``value.py``), used to build differentiable gradients.
    """

    name: str
    symbol: str
    arity: int
    forward: str
    local: tuple[str, ...]
    formula: str  # how the output reads, for labels and explanations: "a·b"
    pretty: tuple[str, ...]  # each local derivative as a reader writes it: "1 − out²"
    latex: str = ""  # the forward formula in LaTeX
    latex_local: tuple[str, ...] = ()
    doc: str = ""
    forward_float: Callable[..., float] = field(init=False, repr=False)
    local_float: Callable[..., tuple] = field(init=False, repr=False)
    local_value: Callable[..., tuple] | None = field(default=None, init=False, repr=False)
    sweep_step: Callable[..., None] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"op name must be an identifier, got {self.name!r}")
        if not 1 <= self.arity <= len(_ARG_NAMES):
            raise ValueError(f"op {self.name!r}: arity must be 1 to {len(_ARG_NAMES)}, got {self.arity}")
        if len(self.local) != self.arity:
            raise ValueError(
                f"op {self.name!r}: needs one local derivative per input "
                f"({self.arity}), got {len(self.local)}"
            )
        if len(self.pretty) != self.arity:
            raise ValueError(f"op {self.name!r}: needs one pretty rule per input")
        self.forward_float = self.compile_forward(FLOAT_NS)
        self.local_float = self.compile_local(FLOAT_NS)

    @property
    def args(self) -> tuple[str, ...]:
        """The input names the expressions use: ('a',) or ('a', 'b')."""
        return _ARG_NAMES[: self.arity]

    def compile_forward(self, namespace: Mapping[str, Any]) -> Callable[..., Any]:
        """The forward expression as a function of the inputs, over ``namespace``."""
        return _compile(f"lambda {', '.join(self.args)}: {self.forward}", namespace, self.name)

    def compile_local(self, namespace: Mapping[str, Any]) -> Callable[..., tuple]:
        """The local derivatives as one function ``(*inputs, out) -> tuple``."""
        body = ", ".join(f"({e})" for e in self.local) + ","
        return _compile(f"lambda {', '.join(self.args)}, out: ({body})", namespace, self.name)

    def rule(self, i: int) -> str:
        """The i-th local derivative in words and symbols: '∂(a·b)/∂a = b'."""
        return f"∂({self.formula})/∂{self.args[i]} = {self.pretty[i]}"

    def __repr__(self) -> str:
        return f"Op({self.name!r}, {self.symbol!r}, arity={self.arity})"


def _compile(src: str, namespace: Mapping[str, Any], name: str) -> Callable[..., Any]:
    try:
        code = compile(src, f"<op {name}>", "eval")
    except SyntaxError as e:
        raise ValueError(f"op {name!r}: bad expression {src!r}: {e.msg}") from None
    return eval(code, {"__builtins__": {}, **namespace})


# --------------------------------------------------------------------------- #
# The table
# --------------------------------------------------------------------------- #
#: Every primitive by name. ``register`` adds to it.
OPS: dict[str, Op] = {}


def register(op: Op, *, replace: bool = False) -> Op:
    """Add ``op`` to the table (``replace=True`` to redefine an existing name)."""
    if op.name in OPS and not replace:
        raise ValueError(f"an op named {op.name!r} is already in the table")
    OPS[op.name] = op
    return op


def get_op(name: str) -> Op:
    """The op called ``name``; KeyError lists the known ones."""
    try:
        return OPS[name]
    except KeyError:
        raise KeyError(f"no op named {name!r}; known ops: {', '.join(sorted(OPS))}") from None


ADD = register(Op(
    "add", "+", 2, "a + b", ("1.0", "1.0"), "a + b", ("1", "1"),
    latex="a + b", latex_local=("1", "1"), doc="sum"))
SUB = register(Op(
    "sub", "-", 2, "a - b", ("1.0", "-1.0"), "a − b", ("1", "−1"),
    latex="a - b", latex_local=("1", "-1"), doc="difference"))
MUL = register(Op(
    "mul", "*", 2, "a * b", ("b", "a"), "a·b", ("b", "a"),
    latex=r"a \cdot b", latex_local=("b", "a"), doc="product"))
DIV = register(Op(
    "div", "/", 2, "div(a, b)", ("div(1.0, b)", "-div(out, b)"), "a / b", ("1/b", "−a/b² = −out/b"),
    latex=r"\frac{a}{b}", latex_local=(r"\frac{1}{b}", r"-\frac{a}{b^2}"), doc="quotient"))
POW = register(Op(
    "pow", "**", 2, "pow(a, b)", ("xpow(b, a, b - 1.0)", "xlogy(out, a)"),
    "a^b", ("b·a^(b−1)", "a^b·ln a = out·ln a"),
    latex="a^{b}", latex_local=(r"b\,a^{b-1}", r"a^{b}\ln a"), doc="power with a Value exponent"))
POWC = register(Op(
    "powc", "**", 2, "pow(a, b)", ("xpow(b, a, b - 1.0)", "0.0"),
    "a^b", ("b·a^(b−1)", "0 (b is a plain number: a constant)"),
    latex="a^{b}", latex_local=(r"b\,a^{b-1}", "0"),
    doc="power with a constant number exponent: no derivative is taken for the exponent"))
NEG = register(Op(
    "neg", "neg", 1, "-a", ("-1.0",), "−a", ("−1",),
    latex="-a", latex_local=("-1",), doc="negation"))
EXP = register(Op(
    "exp", "exp", 1, "exp(a)", ("out",), "exp(a)", ("exp(a) = out",),
    latex="e^{a}", latex_local=("e^{a}",), doc="exponential"))
LOG = register(Op(
    "log", "log", 1, "log(a)", ("div(1.0, a)",), "ln a", ("1/a",),
    latex=r"\ln a", latex_local=(r"\frac{1}{a}",), doc="natural logarithm"))
TANH = register(Op(
    "tanh", "tanh", 1, "tanh(a)", ("1.0 - out * out",), "tanh(a)", ("1 − tanh²(a) = 1 − out²",),
    latex=r"\tanh a", latex_local=(r"1 - \tanh^2 a",), doc="hyperbolic tangent"))
SIGMOID = register(Op(
    "sigmoid", "σ", 1, "sigmoid(a)", ("out * (1.0 - out)",), "σ(a)", ("σ(a)(1 − σ(a)) = out·(1 − out)",),
    latex=r"\sigma(a)", latex_local=(r"\sigma(a)\,(1 - \sigma(a))",), doc="logistic sigmoid"))
RELU = register(Op(
    "relu", "ReLU", 1, "relu(a)", ("step(a)",), "relu(a)", ("1 if a > 0 else 0",),
    latex=r"\max(a, 0)", latex_local=(r"[a > 0]",), doc="rectified linear unit"))
SQRT = register(Op(
    "sqrt", "√", 1, "sqrt(a)", ("div(0.5, out)",), "√a", ("1/(2√a) = 0.5/out",),
    latex=r"\sqrt{a}", latex_local=(r"\frac{1}{2\sqrt{a}}",), doc="square root"))
SIN = register(Op(
    "sin", "sin", 1, "sin(a)", ("cos(a)",), "sin(a)", ("cos(a)",),
    latex=r"\sin a", latex_local=(r"\cos a",), doc="sine"))
COS = register(Op(
    "cos", "cos", 1, "cos(a)", ("-sin(a)",), "cos(a)", ("−sin(a)",),
    latex=r"\cos a", latex_local=(r"-\sin a",), doc="cosine"))
ABS = register(Op(
    "abs", "abs", 1, "fabs(a)", ("sign(a)",), "|a|", ("sign(a)",),
    latex=r"|a|", latex_local=(r"\operatorname{sign}(a)",), doc="absolute value"))
SOFTPLUS = register(Op(
    "softplus", "softplus", 1, "softplus(a)", ("sigmoid(a)",), "softplus(a)", ("σ(a)",),
    latex=r"\ln(1 + e^{a})", latex_local=(r"\sigma(a)",), doc="log(1 + exp(a)), computed stably"))
