"""Compiled functions: trace once, then run generated straight-line code.

``compile(f, argnums=0)`` returns a function with the signature and results of
``value_and_grad(f, argnums)``. On the first call (and on a call whose arguments
have a new structure) it runs ``f`` once on fresh leaf Values to record the graph,
and turns that graph into one Python function with :mod:`codegen`: a line per
node forward, a line per edge backward, no Value objects, no dictionaries. Later
calls only run that function.

Arguments may be numbers, Values (their ``.data`` is used), lists or tuples of
those (nested), or NumPy arrays: with arrays, the same code runs over NumPy, so a
whole batch is evaluated elementwise in one call (scalars broadcast against
arrays; results have the broadcast shape).

As with ``jax.jit``, the trace records one path through ``f``'s Python control
flow: ``if x > 0`` or ``float(x)`` inside ``f`` are decided by the values of the
first call, and Values that ``f`` captures instead of receiving as arguments are
frozen as constants. Keeping such values out of control flow is the caller's
responsibility. The ops themselves (relu, abs, ...) are not control flow: their
kinks are inside the op table's helpers and stay correct for every input.
"""

from __future__ import annotations

import numbers
from itertools import islice
from typing import Any, Callable, Sequence, Union

from . import codegen
from .codegen import Program, generate
from .modes import enable_grad
from .value import Value

__all__ = ["compile", "CompiledFunction"]

ArgNums = Union[int, Sequence[int]]


def _is_array(x: Any) -> bool:
    return type(x).__module__ == "numpy" and getattr(x, "ndim", 0) > 0


def _scan(x: Any, where: str, flat: list) -> Any:
    """Append the scalars of an argument to ``flat`` (Values as their ``.data``, batch arrays
    as they are) and return its tree structure: None for a scalar, ``(kind, n)`` for a flat
    list/tuple of n floats, ``(kind, children)`` otherwise."""
    t = type(x)
    if t is float:
        flat.append(x)
        return None
    if t is list or t is tuple:
        for c in x:
            if type(c) is not float:
                break
        else:  # the common case, a list of floats: no per-element recursion
            flat.extend(x)
            return (t.__name__, len(x))
    if isinstance(x, (list, tuple)):
        kind = "tuple" if isinstance(x, tuple) else "list"
        return (kind, tuple(_scan(c, f"{where}[{i}]", flat) for i, c in enumerate(x)))
    if isinstance(x, Value):
        flat.append(x.data)
        return None
    if _is_array(x):
        flat.append(x)
        return None
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        flat.append(float(x))
        return None
    if type(x).__module__ == "numpy" and getattr(x, "ndim", None) == 0:
        flat.append(float(x))
        return None
    raise TypeError(
        f"compile: {where} must be a number, a Value, a NumPy array or a list/tuple of those, "
        f"got {type(x).__name__}"
    )


def _count(struct: Any) -> int:
    if struct is None:
        return 1
    children = struct[1]
    return children if type(children) is int else sum(_count(c) for c in children)


def _unflatten(struct: Any, it: Any) -> Any:
    if struct is None:
        return next(it)
    kind, children = struct
    if type(children) is int:
        items = list(islice(it, children))
    else:
        items = [_unflatten(c, it) for c in children]
    return items if kind == "list" else tuple(items)


def _first(x: Any) -> float:
    """The scalar a batch argument is traced with: its first element."""
    if _is_array(x):
        return float(x.reshape(-1)[0]) if x.size else 0.0
    return float(x)


class _Trace:
    __slots__ = ("program", "float_fn", "numpy_fn", "constant")

    def __init__(self) -> None:
        self.program: Program | None = None
        self.float_fn: Callable[..., Any] | None = None
        self.numpy_fn: Callable[..., Any] | None = None
        self.constant: float | None = None


class CompiledFunction:
    """``value_and_grad(f, argnums)`` running generated code; see :func:`compile`.

    ``.source`` is the generated code of the latest trace; ``.traces`` counts traces.
    """

    def __init__(self, f: Callable[..., Any], argnums: ArgNums = 0) -> None:
        if not callable(f):
            raise TypeError(f"compile: f must be callable, got {type(f).__name__}")
        self.f = f
        self.argnums = argnums
        self.traces = 0
        self._cache: dict[Any, _Trace] = {}
        self._nums: dict[int, tuple[tuple[int, ...], bool]] = {}
        self._last: _Trace | None = None
        self.__name__ = f"compiled_{getattr(f, '__name__', 'f')}"
        self.__doc__ = getattr(f, "__doc__", None)

    # ------------------------------------------------------------------ public
    @property
    def source(self) -> str:
        """The generated function of the latest trace (empty before the first call)."""
        if self._last is None or self._last.program is None:
            return ""
        return self._last.program.source

    def __call__(self, *args: Any) -> tuple:
        nargs = len(args)
        hit = self._nums.get(nargs)
        if hit is None:
            hit = self._nums[nargs] = self._argnums(nargs)
        nums, single = hit
        flat: list = []
        structs = tuple(_scan(a, f"argument {i}", flat) for i, a in enumerate(args))
        key = (structs, nums)
        trace = self._cache.get(key)
        if trace is None:
            trace = self._cache[key] = self._trace(flat, structs, nums)
        self._last = trace
        batch = False
        for v in flat:
            if type(v) is not float:
                batch = True
                break
        if batch:
            value, grads = self._run_numpy(trace, flat)
        elif trace.constant is not None:
            value, grads = trace.constant, (0.0,) * sum(_count(structs[n]) for n in nums)
        else:
            value, grads = trace.float_fn(flat)  # type: ignore[misc]
        it = iter(grads)
        if single:
            return value, _unflatten(structs[nums[0]], it)
        return value, tuple(_unflatten(structs[n], it) for n in nums)

    # ----------------------------------------------------------------- helpers
    def _argnums(self, nargs: int) -> tuple[tuple[int, ...], bool]:
        from .functional import _normalize_argnums

        return _normalize_argnums(self.argnums, nargs, "compile")

    def _trace(self, flat: list, structs: tuple, nums: tuple[int, ...]) -> _Trace:
        """Run f once on fresh leaves; generate and compile its straight-line code."""
        leaves = [Value(_first(v)) for v in flat]
        it = iter(leaves)
        traced_args = [_unflatten(s, it) for s in structs]
        starts, pos = [], 0
        for s in structs:
            starts.append(pos)
            pos += _count(s)
        wanted: list[Value] = []
        for n in nums:
            wanted.extend(leaves[starts[n]: starts[n] + _count(structs[n])])
        with enable_grad():
            out = self.f(*traced_args)
        self.traces += 1
        trace = _Trace()
        if not isinstance(out, Value):
            if isinstance(out, numbers.Real) and not isinstance(out, bool):
                trace.constant = float(out)
                return trace
            raise TypeError(f"compile: f must return a scalar (a Value or a number), got {type(out).__name__}")
        prog = generate(out, leaves, wanted=wanted, name="compiled_step", all_nodes=False, comments=False)
        trace.program = prog
        trace.float_fn = prog.function(codegen.float_namespace())
        return trace

    def _run_numpy(self, trace: _Trace, flat: list) -> tuple:
        import numpy as np

        ndarray, f64 = np.ndarray, np.float64
        # scalars become 0-d arrays too: array-with-array ops are cheaper than array-with-float
        arrays = [v if (type(v) is ndarray and v.dtype == f64) else np.asarray(v, dtype=f64) for v in flat]
        shape = np.broadcast_shapes(*[a.shape for a in arrays if a.ndim])
        if trace.constant is not None:
            n = len(flat)  # upper bound; unflatten takes only what it needs
            return np.full(shape, trace.constant), [np.zeros(shape)] * n
        if trace.numpy_fn is None:
            trace.numpy_fn = trace.program.function(codegen.numpy_namespace())  # type: ignore[union-attr]
        with np.errstate(all="ignore"):
            value, grads = trace.numpy_fn(arrays)
        # every result is its own array of the batch shape: the straight-line code may hand
        # back one array for two adjoints (d_x = d_y = d_sum) or an input array itself
        seen = {id(a) for a in arrays}
        value = _own_array(value, shape, seen, np)
        grads = [_own_array(g, shape, seen, np) for g in grads]
        return value, grads


def _own_array(x: Any, shape: tuple, seen: set, np: Any) -> Any:
    """``x`` as an array of the batch shape that no other result or input shares."""
    if type(x) is np.ndarray and x.shape == shape and id(x) not in seen:
        seen.add(id(x))
        return x
    out = np.array(np.broadcast_to(x, shape), dtype=np.float64)
    seen.add(id(out))
    return out


def compile(f: Callable[..., Any], argnums: ArgNums = 0) -> CompiledFunction:
    """``value_and_grad(f, argnums)``, traced once and run as generated straight-line code.

    >>> step = compile(lambda w, x: (w * x).tanh(), argnums=0)
    >>> value, dw = step(0.5, 2.0)           # same as value_and_grad(f)(0.5, 2.0)
    >>> values, dws = step(0.5, np.array([1.0, 2.0, 3.0]))   # a batch in one call

    Python control flow inside ``f`` is fixed by the first call's values, as with
    ``jax.jit``; see the module docstring.
    """
    return CompiledFunction(f, argnums)
