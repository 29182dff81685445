"""User-defined ops: add a primitive to the op table from your own code.

An op is a forward rule and one local derivative per input, written like the
built-in table: Python expressions over the inputs ``a``, ``b`` (``c``, ``d``) and,
for the derivatives, the output ``out``, using ``+ - *``, numbers and the helpers
of :data:`ops.HELPERS` (``div pow exp log sqrt sin cos tanh sigmoid softplus relu
step sign fabs xlogy``)::

    from autograd_core import define_op, apply_op, Value

    cube = define_op("cube", forward="a * a * a", local=["3.0 * a * a"],
                     pretty=["3a²"], doc="a³")
    y = apply_op(cube, Value(2.0))        # or apply_op("cube", ...)
    y.backward()                          # uses the local derivative above

    logaddexp = define_op(
        "logaddexp", "log(exp(a) + exp(b))",
        ["div(exp(a), exp(a) + exp(b))", "div(exp(b), exp(a) + exp(b))"])

Because the op lives in the table, everything that reads the table handles it:
``backward``/``reverse_sweep`` (floats and ``create_graph`` Values), forward mode
(``jvp``), ``gradcheck``/``check_op``, ``to_source``/``compile`` (floats and NumPy),
the explainer and the graph drawing.

Python callables work too, for rules that are not one expression: ``forward`` a
callable ``f(a, ...) -> float`` and each local entry a callable ``(a, ..., out) ->
derivative`` (or ``local`` one callable returning the tuple). They become helpers
named after the op (``cube``, ``cube_d0``, ``cube_local``), so generated code stays
readable. A callable must accept floats; for higher-order derivatives its local
derivatives must also accept Values and compute with their methods (``math.sin`` on
a Value silently uses its float value, so the result would count as a constant).
For the batched NumPy path a callable is applied elementwise with ``np.vectorize``
unless ``vectorized=True`` says it already takes arrays. Results should be IEEE
(inf/nan, not exceptions): a Python math exception from a callable becomes nan.

Check a new op with :func:`autograd_core.check_op`, which compares every local
derivative with central differences of the forward rule.
"""

from __future__ import annotations

import ast
import keyword
import math
from typing import Any, Callable, Sequence, Union

from . import ops as _ops
from . import value as _value
from .ops import Op

__all__ = ["define_op", "undefine_op", "user_ops", "numpy_helpers"]

Rule = Union[str, Callable[..., Any]]

#: The ops that came with the table; these cannot be redefined or removed.
_BUILTIN = frozenset(_ops.OPS)
#: user op name -> {helper name: (float fn, value fn, numpy fn or None if vectorized is needed)}
_USER: dict[str, dict[str, tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any] | None]]] = {}
_ARGS = ("a", "b", "c", "d")


def _ieee(fn: Callable[..., Any], name: str, n_out: int = 0) -> Callable[..., Any]:
    """A float meaning of a user callable: floats out (a tuple of ``n_out`` if n_out), never a
    Python math exception (those become nan)."""

    def helper(*xs: float) -> Any:
        try:
            if n_out:
                r = tuple(float(v) for v in fn(*xs))
                if len(r) != n_out:
                    raise ValueError(f"{name} returned {len(r)} derivatives, expected {n_out}")
                return r
            return float(fn(*xs))
        except ArithmeticError:
            return (math.nan,) * n_out if n_out else math.nan
        except ValueError as e:
            if "derivatives, expected" in str(e):
                raise
            return (math.nan,) * n_out if n_out else math.nan

    helper.__name__ = name
    helper.__wrapped__ = fn  # type: ignore[attr-defined]
    helper.n_out = n_out  # type: ignore[attr-defined]
    return helper


def _check_expression(expr: Any, allowed: set[str], what: str, op_name: str) -> str:
    if not isinstance(expr, str):
        raise TypeError(f"op {op_name!r}: {what} must be an expression string or a callable, got {type(expr).__name__}")
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as e:
        raise ValueError(f"op {op_name!r}: {what} {expr!r} is not a Python expression: {e.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in allowed:
            raise ValueError(
                f"op {op_name!r}: {what} {expr!r} uses unknown name {node.id!r}; "
                f"it may use {', '.join(sorted(allowed))}"
            )
        if isinstance(node, (ast.Attribute, ast.Lambda, ast.NamedExpr, ast.comprehension, ast.Starred)):
            raise ValueError(f"op {op_name!r}: {what} {expr!r} may only use names, numbers, operators and helper calls")
    return expr


def define_op(
    name: str,
    forward: Rule,
    local: Union[Sequence[Rule], Callable[..., Any]],
    *,
    arity: int | None = None,
    symbol: str | None = None,
    formula: str | None = None,
    pretty: Sequence[str] | None = None,
    latex: str = "",
    latex_local: Sequence[str] = (),
    doc: str = "",
    vectorized: bool = False,
    replace: bool = False,
) -> Op:
    """Add a primitive to the op table and return its :class:`Op`.

    ``forward``: expression over ``a, b, ...`` (or a callable); ``local``: one
    derivative ∂out/∂input per input, each an expression over the inputs and ``out``
    (or a callable), or one callable returning the tuple (then give ``arity``).
    ``symbol``/``formula``/``pretty``/``latex``/``doc`` are how the explainer and the
    drawings show it (defaults are derived from the name). ``replace=True``
    redefines an op you defined before; built-in ops cannot be replaced.
    """
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"op name must be a Python identifier, got {name!r}")
    if name in _BUILTIN:
        raise ValueError(f"{name!r} is a built-in op; choose another name")
    if name in _ops.OPS and not replace:
        raise ValueError(f"an op named {name!r} is already in the table (pass replace=True to redefine it)")
    if callable(local) and not isinstance(local, str):
        if arity is None:
            raise TypeError(f"op {name!r}: give arity= when local is one callable returning every derivative")
        local_entries: list[Rule] | None = None
    else:
        if isinstance(local, str):
            local = [local]
        local_entries = list(local)
        if arity is None:
            arity = len(local_entries)
        elif arity != len(local_entries):
            raise ValueError(f"op {name!r}: arity {arity} but {len(local_entries)} local derivative(s)")
    if not isinstance(arity, int) or not 1 <= arity <= len(_ARGS):
        raise ValueError(f"op {name!r}: arity must be 1 to {len(_ARGS)}, got {arity!r}")
    args = _ARGS[:arity]
    arglist = ", ".join(args)

    # the helpers this op brings, and the expression strings that call them
    new_helpers: dict[str, Callable[..., Any]] = {}
    if callable(forward):
        new_helpers[name] = forward
        forward_expr = f"{name}({arglist})"
    else:
        forward_expr = forward
    local_exprs: list[str] = []
    if local_entries is None:
        hname = f"{name}_local"
        new_helpers[hname] = local  # type: ignore[assignment]
        local_exprs = [f"{hname}({arglist}, out)[{i}]" for i in range(arity)]
    else:
        for i, entry in enumerate(local_entries):
            if callable(entry) and not isinstance(entry, str):
                hname = f"{name}_d{i}"
                new_helpers[hname] = entry
                local_exprs.append(f"{hname}({arglist}, out)")
            else:
                local_exprs.append(entry)  # type: ignore[arg-type]

    own_old = set(_USER.get(name, {}))
    for h in new_helpers:
        if h in _ops.FLOAT_NS and h not in own_old:
            raise ValueError(f"op {name!r}: helper name {h!r} is already taken; choose another op name")
    known = (set(_ops.FLOAT_NS) - own_old) | set(new_helpers)
    _check_expression(forward_expr, known | set(args), "forward", name)
    for i, e in enumerate(local_exprs):
        _check_expression(e, known | set(args) | {"out"}, f"local[{i}]", name)

    if pretty is None:
        pretty = tuple(e if isinstance(e, str) else f"∂{name}/∂{a}" for e, a in zip(local_entries or [None] * arity, args))
    pretty = tuple(str(p) for p in pretty)
    if formula is None:
        formula = f"{name}({arglist})"
    latex = latex or rf"\operatorname{{{name}}}({arglist})"
    latex_local = tuple(latex_local) or tuple(rf"\partial_{{{a}}}\operatorname{{{name}}}" for a in args)

    # install the helpers first: the Op compiles its expressions against FLOAT_NS
    if name in _USER:
        _remove_helpers(name)
    installed = {}
    for h, fn in new_helpers.items():
        float_fn = _ieee(fn, h, arity if (local_entries is None and h == f"{name}_local") else 0)
        _ops.FLOAT_NS[h] = float_fn
        _value.VALUE_NS[h] = fn
        installed[h] = (float_fn, fn, fn if vectorized else None)
    try:
        op = Op(name, symbol or name, arity, forward_expr, tuple(local_exprs), formula, pretty,
                latex=latex, latex_local=latex_local, doc=doc or f"user-defined op {name}")
        _ops.register(op, replace=True)
    except Exception:
        for h in installed:
            _ops.FLOAT_NS.pop(h, None)
            _value.VALUE_NS.pop(h, None)
        raise
    _USER[name] = installed
    return op


def _remove_helpers(name: str) -> None:
    for h in _USER.pop(name, {}):
        _ops.FLOAT_NS.pop(h, None)
        _value.VALUE_NS.pop(h, None)


def undefine_op(name: str) -> None:
    """Remove a user-defined op (and its helpers) from the table. Graphs that already
    use it keep working for the float rules; new code generation will not know it."""
    if name in _BUILTIN:
        raise ValueError(f"{name!r} is a built-in op and cannot be removed")
    if name not in _USER:
        raise KeyError(f"no user-defined op named {name!r}; user ops: {', '.join(sorted(_USER)) or 'none'}")
    _remove_helpers(name)
    _ops.OPS.pop(name, None)


def user_ops() -> list[str]:
    """Names of the ops defined with :func:`define_op`, oldest first."""
    return list(_USER)


def numpy_helpers() -> dict[str, Callable[..., Any]]:
    """The NumPy meaning of every user helper (elementwise ``np.vectorize`` unless vectorized)."""
    out: dict[str, Callable[..., Any]] = {}
    if not _USER:
        return out
    import numpy as np

    for helpers in _USER.values():
        for h, (float_fn, _value_fn, numpy_fn) in helpers.items():
            if numpy_fn is not None:
                out[h] = numpy_fn
            elif float_fn.n_out:  # type: ignore[attr-defined]
                # one call per element returning a tuple: vectorize into a tuple of arrays
                out[h] = _tuple_vectorize(float_fn, np)
            else:
                out[h] = np.vectorize(float_fn, otypes=[np.float64])
    return out


def _tuple_vectorize(float_fn: Callable[..., tuple], np: Any) -> Callable[..., tuple]:
    def helper(*xs: Any) -> tuple:
        arrays = np.broadcast_arrays(*[np.asarray(x, dtype=np.float64) for x in xs])
        rows = [float_fn(*vals) for vals in zip(*[a.ravel() for a in arrays])]
        n = float_fn.n_out
        cols = np.array(rows, dtype=np.float64).reshape(-1, n) if rows else np.zeros((0, n))
        return tuple(cols[:, i].reshape(arrays[0].shape) for i in range(n))

    return helper
