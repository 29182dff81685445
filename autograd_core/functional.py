"""The functional API: gradients of Python functions, in the style of JAX and PyTorch.

* ``grad(f, argnums=0)(*args)``: ∂f/∂args[argnums] (JAX's ``jax.grad``).
* ``value_and_grad(f, argnums=0)(*args)``: ``(f(*args), gradient)``.
* ``gradients(output, inputs, create_graph=False)``: the adjoints of ``inputs`` from one
  reverse sweep, like ``torch.autograd.grad``; touches no ``.grad``.
* ``hessian(f)(*xs)``: the matrix ∂²f/∂xᵢ∂xⱼ as a list of rows.

Higher order. When any argument is a ``Value``, the reverse sweep is built from
Value operations (``create_graph=True``): the gradient is itself a Value that
depends on the arguments, so ``grad(grad(f))`` is the second derivative, mixed
partials ``grad(grad(f, 0), 1)`` work, and any order works. Plain numbers in give
plain floats out. A function that closes over Values an outer ``grad``
differentiates needs ``grad(f, create_graph=True)`` (the closure is invisible).

Each differentiated argument enters ``f`` through a fresh node (``x − 0``, exact
for every float, signed zeros included), so ``∂f/∂argᵢ`` is the partial
derivative through that argument alone, even when one Value is passed twice or
one argument is computed from another, as in JAX.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Sequence, Union

from . import ops as _ops
from .backward import reverse_sweep
from .modes import current_mode, enable_grad
from .value import Value, apply_op

__all__ = ["grad", "value_and_grad", "gradients", "hessian"]

ArgNums = Union[int, Sequence[int]]


def _observer() -> Any:
    """The anomaly mode's sweep observer when that mode is on, else None."""
    anomaly = current_mode().anomaly
    return None if anomaly is None else anomaly.on_step


def gradients(
    output: Value,
    inputs: Union[Value, Sequence[Value]],
    grad_outputs: Any = 1.0,
    create_graph: bool = False,
) -> tuple:
    """∂output/∂input · grad_outputs for each input, from one reverse sweep (``grad_outputs``:
    the seed, a number or a Value, as in ``torch.autograd.grad``).

    Like ``torch.autograd.grad``: returns a tuple (one entry per input, even for a
    single Value) and touches no ``.grad``. An input the output does not depend on
    gets 0.0. With ``create_graph=True`` the results are Values that can be
    differentiated again (higher-order derivatives).

    >>> x = Value(3.0); y = x * x * x
    >>> (g,) = gradients(y, x, create_graph=True)   # 3x² = 27
    >>> gradients(g, x)                             # 6x = 18
    (18.0,)
    """
    if not isinstance(output, Value):
        raise TypeError(f"gradients: output must be a Value, got {type(output).__name__}")
    if isinstance(inputs, Value):
        inputs = (inputs,)
    else:
        try:
            inputs = tuple(inputs)
        except TypeError:
            raise TypeError(
                f"gradients: inputs must be a Value or a sequence of Values, got {type(inputs).__name__}"
            ) from None
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"gradients: inputs[{i}] must be a Value, got {type(x).__name__}")
    adj = reverse_sweep(output, grad_outputs, create_graph=create_graph, observer=_observer())
    zero: Any = Value(0.0) if create_graph else 0.0
    return tuple(adj.get(x, zero) for x in inputs)


def _normalize_argnums(argnums: ArgNums, nargs: int, fname: str) -> tuple[tuple[int, ...], bool]:
    """(indices, single) where single says argnums was one int."""
    single = isinstance(argnums, numbers.Integral) and not isinstance(argnums, bool)
    nums = (argnums,) if single else argnums
    try:
        nums = tuple(nums)
    except TypeError:
        raise TypeError(f"{fname}: argnums must be an int or a tuple of ints, got {argnums!r}") from None
    if not nums:
        raise ValueError(f"{fname}: argnums must not be empty")
    out = []
    for n in nums:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"{fname}: argnums must hold ints, got {n!r}")
        if not -nargs <= n < nargs:
            raise ValueError(f"{fname}: argnums {n} is out of range for {nargs} positional argument(s)")
        out.append(int(n) % nargs)
    return tuple(out), single


def _entry(x: Any, i: int, fname: str) -> tuple[Value, bool]:
    """The node through which argument ``i`` enters f, and whether it was a Value."""
    if isinstance(x, Value):
        # a fresh node per argument: the sweep then gives the partial through this argument only
        return apply_op(_ops.SUB, x, 0.0), True
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(
            f"{fname}: argument {i} must be a real number or a Value to differentiate it, "
            f"got {type(x).__name__}"
        )
    return Value(x), False


def value_and_grad(
    f: Callable[..., Any], argnums: ArgNums = 0, *, create_graph: bool | None = None
) -> Callable[..., tuple]:
    """A function returning ``(f(*args), ∂f/∂args[argnums])``, as ``jax.value_and_grad``.

    ``argnums`` an int gives one gradient; a tuple gives a tuple of gradients in that
    order: ``value_and_grad(f, (0, 1))(x, y) == (f(x, y), (∂f/∂x, ∂f/∂y))``.
    Numbers in give floats out. When any argument is a Value, the results are Values
    built with ``create_graph=True``, so they can be differentiated again
    (``grad(grad(f))``); ``create_graph`` forces either behaviour, e.g. ``True`` when
    ``f`` closes over Values that an outer ``grad`` differentiates. ``f`` must return
    one scalar.
    """
    if not callable(f):
        raise TypeError(f"value_and_grad: f must be callable, got {type(f).__name__}")
    fname = getattr(f, "__name__", "f")

    def value_and_grad_f(*args: Any, **kwargs: Any) -> tuple:
        nums, single = _normalize_argnums(argnums, len(args), "value_and_grad")
        any_value = any(isinstance(a, Value) for a in args) or any(
            isinstance(a, Value) for a in kwargs.values())
        if create_graph is not None:
            any_value = bool(create_graph)
        args = list(args)
        entries = []
        with enable_grad():
            for n in dict.fromkeys(nums):
                node, _ = _entry(args[n], n, "value_and_grad")
                args[n] = node
                entries.append(node)
            out = f(*args, **kwargs)
        if isinstance(out, Value):
            gs = gradients(out, entries, create_graph=any_value)
            by_arg = dict(zip(dict.fromkeys(nums), gs))
            value: Any = out if any_value else out.data
        elif isinstance(out, numbers.Real) and not isinstance(out, bool):
            zero: Any = Value(0.0) if any_value else 0.0
            by_arg = {n: zero for n in nums}  # a constant function
            value = float(out)
        else:
            raise TypeError(
                f"value_and_grad: {fname} must return a scalar (a Value or a number), "
                f"got {type(out).__name__}"
            )
        if single:
            return value, by_arg[nums[0]]
        return value, tuple(by_arg[n] for n in nums)

    value_and_grad_f.__name__ = f"value_and_grad_{fname}"
    value_and_grad_f.__doc__ = f"(value, gradient) of {fname} with respect to argnums={argnums!r}."
    return value_and_grad_f


def grad(f: Callable[..., Any], argnums: ArgNums = 0, *, create_graph: bool | None = None) -> Callable[..., Any]:
    """A function returning ∂f/∂args[argnums], as ``jax.grad``.

    >>> grad(lambda x: x * x * x)(2.0)            # 3x² = 12
    12.0
    >>> grad(grad(lambda x: x * x * x))(2.0)      # 6x = 12
    12.0
    """
    vg = value_and_grad(f, argnums, create_graph=create_graph)
    fname = getattr(f, "__name__", "f")

    def grad_f(*args: Any, **kwargs: Any) -> Any:
        return vg(*args, **kwargs)[1]

    grad_f.__name__ = f"grad_{fname}"
    grad_f.__doc__ = f"Gradient of {fname} with respect to argnums={argnums!r}."
    return grad_f


def hessian(f: Callable[..., Any], argnums: ArgNums | None = None) -> Callable[..., list]:
    """A function returning the Hessian H[i][j] = ∂²f/∂xᵢ∂xⱼ as a list of rows of floats.

    ``argnums=None`` differentiates with respect to every positional argument. One
    reverse sweep builds the gradient as Values; one more sweep per row
    differentiates it again.
    """
    if not callable(f):
        raise TypeError(f"hessian: f must be callable, got {type(f).__name__}")

    def hessian_f(*args: Any, **kwargs: Any) -> list[list[float]]:
        nums = tuple(range(len(args))) if argnums is None else _normalize_argnums(argnums, len(args), "hessian")[0]
        args = list(args)
        xs = []
        with enable_grad():
            for n in nums:
                a = args[n]
                if isinstance(a, Value):
                    a = a.data
                node, _ = _entry(a, n, "hessian")
                args[n] = node
                xs.append(node)
            out = f(*args, **kwargs)
            if not isinstance(out, Value):
                if isinstance(out, numbers.Real):
                    return [[0.0] * len(xs) for _ in xs]
                raise TypeError(f"hessian: f must return a scalar, got {type(out).__name__}")
            first = gradients(out, xs, create_graph=True)
        rows = []
        for g in first:
            if isinstance(g, Value):
                rows.append([float(v) for v in gradients(g, xs)])
            else:
                rows.append([0.0] * len(xs))
        return rows

    return hessian_f
