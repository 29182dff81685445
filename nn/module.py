"""Modules: ``Module``, ``Neuron``, ``Layer`` and ``MLP``, built from Values.

A neuron computes ``act(b + Σ_i w_i·x_i)``; a layer is a list of neurons that
see the same input; an MLP is a chain of layers. Defaults follow micrograd:
weights uniform in [-1, 1], bias 0, hidden layers ReLU, last layer linear, so
``MLP(2, [16, 16, 1])`` has 2·16+16 + 16·16+16 + 16+1 = 337 parameters.

Parameters are found by walking a module's public attributes in the order
they were set (Values, Modules, and lists/tuples of them), which gives
``parameters()`` a stable order and ``named_parameters()`` dotted names such as
``layers.0.neurons.3.w.1``.

Models are saved as JSON (never pickle) with a format version; see
:meth:`Module.save` and :meth:`Module.load`.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import random
import secrets
from typing import Any, Iterator, Mapping, Sequence

from autograd_core import Value, get_op

__all__ = [
    "Module",
    "Neuron",
    "Layer",
    "MLP",
    "CheckpointError",
    "ACTIVATIONS",
    "INITS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
]

#: Activation names and the Value method each one calls (None: identity).
ACTIVATIONS: dict[str, str | None] = {
    "relu": "relu",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "linear": None,
}
#: Weight initialisers (biases always start at 0, as in micrograd).
INITS = ("uniform", "xavier", "he")

FORMAT_NAME = "autograd_core.nn model"
FORMAT_VERSION = 1


class CheckpointError(ValueError):
    """A model file or state dict that cannot be loaded into this model."""


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}"
        )
    return activation


def _check_init(init: str) -> str:
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    return init


def _check_size(name: str, n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")
    return int(n)


def _make_rng(seed: int | None, rng: random.Random | None) -> random.Random:
    """A private generator: never the global ``random`` state."""
    if rng is not None:
        if seed is not None:
            raise ValueError("give either seed or rng, not both")
        return rng
    return random.Random(seed)  # seed None: seeded from the OS, still private


class Module:
    """Base class: parameter discovery, gradients, state dicts and JSON files.

    Subclasses set their Values and sub-Modules (or lists of them) as public
    attributes and define ``__call__``.
    """

    # ------------------------------------------------------------ parameters
    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Value]]:
        """(dotted name, Value) for every parameter, in a stable order."""
        seen: set[int] = set()
        for name, p in self._walk(self, prefix):
            if id(p) not in seen:  # a shared Value is listed once, under its first name
                seen.add(id(p))
                yield name, p

    @classmethod
    def _walk(cls, obj: Any, prefix: str) -> Iterator[tuple[str, Value]]:
        if isinstance(obj, Value):
            yield prefix, obj
        elif isinstance(obj, Module):
            for key, val in vars(obj).items():
                if not key.startswith("_"):
                    yield from cls._walk(val, f"{prefix}.{key}" if prefix else key)
        elif isinstance(obj, (list, tuple)):
            for i, val in enumerate(obj):
                yield from cls._walk(val, f"{prefix}.{i}" if prefix else str(i))

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of :meth:`named_parameters`."""
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        return len(self.parameters())

    def zero_grad(self) -> None:
        """Set ``p.grad = 0`` for every parameter (gradients accumulate otherwise)."""
        for p in self.parameters():
            p.grad = 0.0

    def _label_parameters(self) -> None:
        # labels show up in graph drawings: name each parameter by its path
        for name, p in self.named_parameters():
            p.label = name

    def architecture(self) -> dict[str, Any]:
        """What a saved file must match to load into this model (subclasses add sizes)."""
        return {"class": type(self).__name__}

    # ----------------------------------------------------------- state dicts
    def state_dict(self) -> dict[str, float]:
        """{dotted name: float} for every parameter, in order."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy numbers into the parameters; names must match exactly.

        Everything is checked first, so on error the model is unchanged.
        """
        if not isinstance(state, Mapping):
            raise CheckpointError(f"state dict must be a mapping of names to numbers, got {type(state).__name__}")
        named = list(self.named_parameters())
        names = [n for n, _ in named]
        missing = [n for n in names if n not in state]
        unexpected = [k for k in state if k not in set(names)]
        if missing or unexpected:
            parts = []
            if missing:
                parts.append(f"{len(missing)} missing (e.g. {', '.join(missing[:3])})")
            if unexpected:
                parts.append(f"{len(unexpected)} unexpected (e.g. {', '.join(map(str, unexpected[:3]))})")
            raise CheckpointError(
                f"parameter names do not match this {type(self).__name__} "
                f"({len(names)} parameters): " + "; ".join(parts)
            )
        values = []
        for n in names:
            v = state[n]
            if isinstance(v, Value):
                v = v.data
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                raise CheckpointError(f"parameter {n!r} must be a number, got {type(v).__name__}: {v!r:.40}")
            values.append(float(v))
        for (_, p), v in zip(named, values):
            p.data = v

    # ------------------------------------------------------------ JSON files
    def save(self, path: str | os.PathLike) -> None:
        """Write the model as JSON: format name, version, architecture, parameters.

        Writes a temporary file in the same folder and renames it over ``path``,
        so a crash never leaves a half-written model file. Floats are written
        with ``repr``, so a load gives back exactly the same numbers.
        """
        path = os.fspath(path)
        doc = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "architecture": self.architecture(),
            "num_parameters": self.num_parameters(),
            "parameters": self.state_dict(),
        }
        text = json.dumps(doc, indent=1)
        folder, base = os.path.split(os.path.abspath(path))
        # a fresh name next to the target ("x": never reuse a file); plain open() so the
        # new file gets the usual permissions (umask), as writing ``path`` directly would
        tmp = os.path.join(folder, f".{base}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            with open(tmp, "x", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def load(self, path: str | os.PathLike) -> "Module":
        """Load a file written by :meth:`save` into this model (same architecture).

        Raises FileNotFoundError for a missing file and :class:`CheckpointError`
        naming the problem for a truncated, corrupt, wrong-version or
        wrong-shape file; the model is unchanged after any error.
        """
        path = os.fspath(path)
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            raise FileNotFoundError(f"no model file at {path!r}") from None
        except IsADirectoryError:
            raise CheckpointError(f"{path!r} is a folder, not a model file") from None
        if not raw.strip():
            raise CheckpointError(f"model file {path!r} is empty (truncated?)")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise CheckpointError(f"model file {path!r} is corrupt: not UTF-8 text ({e.reason} at byte {e.start})") from None
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            if e.pos >= len(text.rstrip()):
                raise CheckpointError(
                    f"model file {path!r} is truncated: the JSON ends early ({e.msg} at line {e.lineno})"
                ) from None
            raise CheckpointError(
                f"model file {path!r} is corrupt: invalid JSON ({e.msg} at line {e.lineno}, column {e.colno})"
            ) from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
            raise CheckpointError(f"{path!r} is not an {FORMAT_NAME} file (no 'format': {FORMAT_NAME!r} entry)")
        version = doc.get("version")
        if version != FORMAT_VERSION or isinstance(version, bool):
            raise CheckpointError(
                f"model file {path!r} has format version {version!r}; this version of nn reads version {FORMAT_VERSION}"
            )
        arch, mine = doc.get("architecture"), self.architecture()
        if arch != mine:
            raise CheckpointError(
                f"model file {path!r} holds a different architecture: file has {_arch_str(arch)}, "
                f"this model is {_arch_str(mine)}"
            )
        params = doc.get("parameters")
        if not isinstance(params, dict):
            raise CheckpointError(f"model file {path!r} is corrupt: 'parameters' is not a mapping of names to numbers")
        try:
            self.load_state_dict(params)
        except CheckpointError as e:
            raise CheckpointError(f"model file {path!r} does not fit this model: {e}") from None
        return self

    # ------------------------------------------------------------------ misc
    def to_torch(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} has no PyTorch equivalent; MLP, Layer and Neuron do")

    def __call__(self, x: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


def _arch_str(arch: Any) -> str:
    if isinstance(arch, dict):
        return ", ".join(f"{k}={v!r}" for k, v in arch.items())
    return repr(arch)


class Neuron(Module):
    """One unit: ``act(b + Σ_i w_i·x_i)``.

    ``activation`` is one of relu, tanh, sigmoid, linear (micrograd's
    ``nonlin=True/False`` is accepted too and means relu/linear). ``init``:
    uniform(-1, 1) (micrograd's), ``xavier`` (uniform ±√(6/(fan_in+fan_out)))
    or ``he`` (normal with std √(2/fan_in)). Bias starts at 0.
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        *,
        init: str = "uniform",
        seed: int | None = None,
        rng: random.Random | None = None,
        nonlin: bool | None = None,
        fan_out: int = 1,
    ) -> None:
        nin = _check_size("nin", nin)
        if nonlin is not None:
            activation = "relu" if nonlin else "linear"
        rng = _make_rng(seed, rng)
        init = _check_init(init)
        if init == "uniform":
            w = [rng.uniform(-1.0, 1.0) for _ in range(nin)]
        elif init == "xavier":
            a = math.sqrt(6.0 / (nin + fan_out))
            w = [rng.uniform(-a, a) for _ in range(nin)]
        else:
            std = math.sqrt(2.0 / nin)
            w = [rng.gauss(0.0, std) for _ in range(nin)]
        self.w = [Value(wi) for wi in w]
        self.b = Value(0.0)
        self._activation = _check_activation(activation)
        self._method = ACTIVATIONS[activation]
        # the activation's float forward rule, from the op table
        self._float_fn = None if self._method is None else get_op(self._method).forward_float
        self._nin = nin
        self._label_parameters()

    @property
    def nin(self) -> int:
        return self._nin

    @property
    def activation(self) -> str:
        return self._activation

    def __call__(self, x: Any) -> Value:
        return self._forward(_inputs(x, self._nin, "Neuron"))

    def _forward(self, xs: Sequence[Any]) -> Value:
        act = self.b
        for wi, xi in zip(self.w, xs):
            act = act + wi * xi
        m = self._method
        return act if m is None else getattr(act, m)()

    def _forward_float(self, xs: Sequence[float]) -> float:
        # the same sums in the same order as _forward, on floats: bit-identical data
        act = self.b.data
        for wi, xi in zip(self.w, xs):
            act = act + wi.data * xi
        f = self._float_fn
        return act if f is None else f(act)

    def architecture(self) -> dict[str, Any]:
        return {"class": "Neuron", "nin": self._nin, "activation": self._activation}

    def to_torch(self) -> Any:
        return _torch_sequential([[self]])

    def __repr__(self) -> str:
        return f"Neuron({self._nin}, {self._activation})"


class Layer(Module):
    """``nout`` neurons on the same input. Returns a Value for one output, else a list."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        *,
        init: str = "uniform",
        seed: int | None = None,
        rng: random.Random | None = None,
        nonlin: bool | None = None,
    ) -> None:
        nin, nout = _check_size("nin", nin), _check_size("nout", nout)
        if nonlin is not None:
            activation = "relu" if nonlin else "linear"
        rng = _make_rng(seed, rng)
        self.neurons = [
            Neuron(nin, activation, init=init, rng=rng, fan_out=nout) for _ in range(nout)
        ]
        self._nin, self._nout, self._activation = nin, nout, _check_activation(activation)
        self._label_parameters()

    @property
    def nin(self) -> int:
        return self._nin

    @property
    def nout(self) -> int:
        return self._nout

    @property
    def activation(self) -> str:
        return self._activation

    def __call__(self, x: Any) -> Value | list[Value]:
        out = self._forward(_inputs(x, self._nin, "Layer"))
        return out[0] if len(out) == 1 else out

    def _forward(self, xs: Sequence[Any]) -> list[Value]:
        return [n._forward(xs) for n in self.neurons]

    def architecture(self) -> dict[str, Any]:
        return {"class": "Layer", "nin": self._nin, "nout": self._nout, "activation": self._activation}

    def to_torch(self) -> Any:
        return _torch_sequential([self.neurons])

    def __repr__(self) -> str:
        return f"Layer({self._nin} -> {self._nout}, {self._activation})"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(nin, [h1, ..., nout])``.

    Hidden layers use ``activation`` (relu by default), the last layer
    ``output_activation`` (linear by default), as in micrograd. ``seed`` makes
    the initial weights reproducible through a private ``random.Random``.
    ``model(x)`` takes ``nin`` numbers or Values and returns a Value when the
    last layer has one output, else a list of Values.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        *,
        output_activation: str = "linear",
        init: str = "uniform",
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        nin = _check_size("nin", nin)
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or len(nouts) == 0:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        nouts = [_check_size("each layer size in nouts", n) for n in nouts]
        _check_activation(activation)
        _check_activation(output_activation)
        rng = _make_rng(seed, rng)
        sizes = [nin] + nouts
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < len(nouts) - 1 else output_activation, init=init, rng=rng)
            for i in range(len(nouts))
        ]
        self._nin, self._nouts = nin, nouts
        self._activation, self._output_activation, self._init = activation, output_activation, init
        self._label_parameters()

    @property
    def nin(self) -> int:
        return self._nin

    @property
    def nouts(self) -> list[int]:
        return list(self._nouts)

    def __call__(self, x: Any) -> Value | list[Value]:
        xs: Sequence[Any] = _inputs(x, self._nin, "MLP")
        for layer in self.layers:
            xs = layer._forward(xs)
        return xs[0] if len(xs) == 1 else xs

    def forward_float(self, x: Any) -> float | list[float]:
        """``model(x)`` on plain floats, recording no graph: the same numbers as
        ``model(x).data`` (same operations in the same order, activations from the
        op table), many times faster. Used by ``predict`` and the plots."""
        xs: Sequence[float] = [float(v) for v in _inputs(x, self._nin, "MLP")] if not _all_floats(x, self._nin) else x
        for layer in self.layers:
            xs = [n._forward_float(xs) for n in layer.neurons]
        return xs[0] if len(xs) == 1 else xs

    def architecture(self) -> dict[str, Any]:
        return {
            "class": "MLP",
            "nin": self._nin,
            "nouts": list(self._nouts),
            "activation": self._activation,
            "output_activation": self._output_activation,
        }

    def to_torch(self) -> Any:
        """An equivalent ``torch.nn.Sequential`` (float64) with the same weights.

        It maps a tensor of shape (N, nin) to (N, nout). torch is imported here
        only, so it stays an optional dependency.
        """
        return _torch_sequential([layer.neurons for layer in self.layers])

    def __repr__(self) -> str:
        lines = [f"MLP({self._nin}, {self._nouts}, {self.num_parameters()} parameters"]
        for i, layer in enumerate(self.layers):
            lines.append(f"  (layers.{i}): {layer!r}")
        return "\n".join(lines) + "\n)"


def _all_floats(x: Any, nin: int) -> bool:
    return type(x) in (list, tuple) and len(x) == nin and all(type(v) is float for v in x)


def _inputs(x: Any, nin: int, who: str) -> list[Value]:
    """The input as a list of ``nin`` Values (numbers become constant leaves, made once)."""
    if isinstance(x, (Value, numbers.Real)) and not isinstance(x, bool):
        x = [x]
    try:
        n = len(x)
    except TypeError:
        raise TypeError(f"{who} input must be a sequence of {nin} numbers or Values, got {type(x).__name__}") from None
    if n != nin:
        raise ValueError(f"{who} expects {nin} input(s), got {n}")
    out = []
    for i, xi in enumerate(x):
        if type(xi) is Value or isinstance(xi, Value):
            out.append(xi)
        elif isinstance(xi, numbers.Real) and not isinstance(xi, bool):
            out.append(Value(xi))
        else:
            raise TypeError(f"{who} input {i} must be a number or a Value, got {type(xi).__name__}: {xi!r:.40}")
    return out


def _torch_sequential(layers: list[list[Neuron]]) -> Any:
    import torch  # optional: only to_torch needs it

    mods: list[Any] = []
    acts = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}
    for neurons in layers:
        lin = torch.nn.Linear(neurons[0].nin, len(neurons), dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor([[w.data for w in n.w] for n in neurons], dtype=torch.float64))
            lin.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=torch.float64))
        mods.append(lin)
        act = neurons[0].activation
        if act != "linear":
            mods.append(acts[act]())
    return torch.nn.Sequential(*mods)
