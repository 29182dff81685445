"""Module, Neuron, Layer, MLP: parameters, names, init, inputs, state dicts, JSON files."""

from __future__ import annotations

import json
import math
import os
import random

import numpy as np
import pytest

from autograd_core import Value
from nn import MLP, CheckpointError, Layer, Module, Neuron


# ----------------------------------------------------------------- structure
def test_micrograd_sized_mlp_has_337_parameters_and_micrograd_defaults():
    model = MLP(2, [16, 16, 1], seed=0)
    assert model.num_parameters() == 337 == len(model.parameters())
    assert [layer.activation for layer in model.layers] == ["relu", "relu", "linear"]
    for p in model.parameters():
        assert isinstance(p, Value)
    biases = [p for n, p in model.named_parameters() if n.endswith(".b")]
    weights = [p for n, p in model.named_parameters() if not n.endswith(".b")]
    assert len(biases) == 33 and all(b.data == 0.0 for b in biases)
    assert all(-1.0 <= w.data <= 1.0 for w in weights)
    assert len({w.data for w in weights}) == len(weights)


def test_named_parameters_dotted_names_in_a_stable_order():
    model = MLP(2, [16, 16, 1], seed=0)
    names = [n for n, _ in model.named_parameters()]
    assert names[:4] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b",
                         "layers.0.neurons.1.w.0"]
    assert "layers.1.neurons.3.w.1" in names
    assert names[-1] == "layers.2.neurons.0.b"
    assert len(set(names)) == 337
    # same order as parameters(), every call
    assert [id(p) for _, p in model.named_parameters()] == [id(p) for p in model.parameters()]
    assert [id(p) for p in model.parameters()] == [id(p) for p in model.parameters()]
    # the micrograd order: per neuron, weights then bias
    n = model.layers[1].neurons[3]
    assert dict(model.named_parameters())["layers.1.neurons.3.w.1"] is n.w[1]
    assert n.parameters() == n.w + [n.b]
    # labels follow the names (they show in graph drawings)
    assert n.w[1].label == "layers.1.neurons.3.w.1"


def test_zero_grad_resets_every_parameter():
    model = MLP(3, [4, 1], seed=1)
    out = model([1.0, 2.0, 3.0])
    out.backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_repr_shows_the_architecture():
    r = repr(MLP(2, [16, 16, 1], seed=0))
    assert r.startswith("MLP(2, [16, 16, 1], 337 parameters")
    assert "(layers.0): Layer(2 -> 16, relu)" in r
    assert "(layers.2): Layer(16 -> 1, linear)" in r
    assert repr(Neuron(3, "tanh", seed=0)) == "Neuron(3, tanh)"


def test_output_is_a_value_for_one_output_else_a_list():
    assert isinstance(MLP(2, [3, 1], seed=0)([1, 2]), Value)
    out = MLP(2, [3, 4], seed=0)([1, 2])
    assert isinstance(out, list) and len(out) == 4 and all(isinstance(o, Value) for o in out)
    assert isinstance(Layer(2, 1, seed=0)([1, 2]), Value)


def test_forward_is_the_neuron_formula():
    n = Neuron(3, "linear", seed=4)
    x = [0.5, -1.5, 2.0]
    n.b.data = 0.25
    expect = 0.25 + sum(w.data * xi for w, xi in zip(n.w, x))
    assert n(x).data == pytest.approx(expect, rel=1e-15)
    for act, f in [("relu", lambda z: max(z, 0.0)), ("tanh", math.tanh),
                   ("sigmoid", lambda z: 1 / (1 + math.exp(-z)))]:
        m = Neuron(3, act, seed=4)
        m.b.data = 0.25
        assert m(x).data == pytest.approx(f(expect), rel=1e-14)
    assert Neuron(3, nonlin=False, seed=4).activation == "linear"  # micrograd's keyword


def test_hidden_layer_of_one_neuron_works():
    model = MLP(2, [1, 1], seed=0)
    model.layers[0].neurons[0].b.data = 5.0  # keep the relu alive
    out = model([0.3, -0.2])
    out.backward()
    assert isinstance(out, Value)
    assert model.layers[0].neurons[0].w[0].grad != 0.0
    model2 = MLP(3, [4, 1, 2], activation="tanh", seed=0)
    assert len(model2([1, 2, 3])) == 2


def test_activations_and_inits():
    for act in ("relu", "tanh", "sigmoid", "linear"):
        m = MLP(2, [3, 2], activation=act, seed=1)
        assert m.layers[0].activation == act and m.layers[1].activation == "linear"
    assert MLP(2, [3, 1], output_activation="sigmoid", seed=0).layers[-1].activation == "sigmoid"
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        MLP(2, [3, 1], activation="swish")
    with pytest.raises(ValueError, match="unknown init 'zeros'"):
        MLP(2, [3, 1], init="zeros")
    # Xavier: uniform within ±sqrt(6 / (fan_in + fan_out)); He: normal with std sqrt(2 / fan_in)
    big = MLP(200, [100, 1], init="xavier", seed=0)
    w = [p.data for n, p in big.layers[0].named_parameters() if ".w." in n]
    bound = math.sqrt(6 / 300)
    assert max(abs(v) for v in w) <= bound and max(abs(v) for v in w) > 0.95 * bound
    assert np.std(w) == pytest.approx(bound / math.sqrt(3), rel=0.03)
    he = MLP(200, [100, 1], init="he", seed=0)
    w = [p.data for n, p in he.layers[0].named_parameters() if ".w." in n]
    assert np.std(w) == pytest.approx(math.sqrt(2 / 200), rel=0.03)
    assert abs(np.mean(w)) < 0.005


def test_seed_is_reproducible_and_never_touches_the_global_rng():
    random.seed(123)
    state = random.getstate()
    a = MLP(2, [16, 16, 1], seed=42)
    b = MLP(2, [16, 16, 1], seed=42)
    c = MLP(2, [16, 16, 1], seed=43)
    MLP(2, [4, 1])  # no seed: still a private generator
    assert random.getstate() == state
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != c.state_dict()


def test_inputs_may_be_numbers_values_or_numpy():
    model = MLP(3, [4, 1], seed=2)
    ref = model([1.0, 2, -3.5]).data
    assert model([Value(1.0), 2.0, Value(-3.5)]).data == ref
    assert model(np.array([1.0, 2.0, -3.5])).data == ref
    assert model((np.float32(1.0), np.int64(2), -3.5)).data == ref
    x = Value(2.0)
    out = MLP(1, [3, 1], seed=0)
    y = out(x)  # one input may be given bare
    y.backward()
    assert isinstance(x.grad, float)


def test_wrong_inputs_raise_clear_errors():
    model = MLP(3, [4, 1], seed=0)
    with pytest.raises(ValueError, match="MLP expects 3 input"):
        model([1.0, 2.0])
    with pytest.raises(ValueError, match="expects 3 input.*got 4"):
        model([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(TypeError, match="input 1 must be a number or a Value, got str"):
        model([1.0, "a", 3.0])
    with pytest.raises(TypeError, match="sequence of 3"):
        model(None)
    with pytest.raises(ValueError, match="nin must be a positive integer"):
        MLP(0, [1])
    with pytest.raises(ValueError, match="nouts must be a non-empty list"):
        MLP(2, [])
    with pytest.raises(ValueError, match="either seed or rng"):
        MLP(2, [1], seed=1, rng=random.Random(1))


def test_a_custom_module_finds_nested_parameters():
    class Two(Module):
        def __init__(self):
            self.scale = Value(2.0)
            self.blocks = [MLP(2, [2, 1], seed=0), (Neuron(2, seed=1),)]
            self._hidden = Value(9.0)  # private: not a parameter

        def __call__(self, x):
            return self.scale * self.blocks[0](x)

    m = Two()
    names = [n for n, _ in m.named_parameters()]
    assert names[0] == "scale"
    assert "blocks.0.layers.1.neurons.0.b" in names and "blocks.1.0.w.1" in names
    assert len(names) == 1 + 9 + 3
    with pytest.raises(NotImplementedError):
        m.to_torch()


# ----------------------------------------------------------- state and files
def test_state_dict_round_trip_and_rejects_mismatches_atomically():
    a, b = MLP(2, [5, 1], seed=1), MLP(2, [5, 1], seed=2)
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()
    before = b.state_dict()
    bad = dict(a.state_dict())
    bad["layers.1.neurons.0.b"] = "x"
    bad["layers.0.neurons.0.w.0"] = 123.0
    with pytest.raises(CheckpointError, match="'layers.1.neurons.0.b' must be a number"):
        b.load_state_dict(bad)
    assert b.state_dict() == before
    missing = dict(a.state_dict())
    del missing["layers.0.neurons.4.w.1"]
    missing["extra"] = 1.0
    with pytest.raises(CheckpointError, match="1 missing .*layers.0.neurons.4.w.1.*1 unexpected .*extra"):
        b.load_state_dict(missing)
    assert b.state_dict() == before


def _trained_like(seed):
    m = MLP(2, [16, 16, 1], seed=seed)
    rng = random.Random(seed)
    for p in m.parameters():  # awkward floats: exact round trip must keep every bit
        p.data = rng.uniform(-1, 1) / 3 * 10 ** rng.randint(-12, 12)
    return m


def test_save_load_round_trips_exactly(tmp_path):
    a = _trained_like(1)
    a.parameters()[0].data = 5e-324  # subnormal
    a.parameters()[1].data = -0.0
    path = tmp_path / "model.json"
    a.save(path)
    b = MLP(2, [16, 16, 1], seed=9)
    assert b.load(path) is b
    for (na, pa), (nb, pb) in zip(a.named_parameters(), b.named_parameters()):
        assert na == nb and pa.data.hex() == pb.data.hex()
    doc = json.loads(path.read_text())
    assert doc["version"] == 1 and doc["format"] == "autograd_core.nn model"
    assert doc["architecture"]["nouts"] == [16, 16, 1]
    assert "pickle" not in path.read_text()
    assert not [f for f in os.listdir(tmp_path) if f != "model.json"]  # no temporary left behind
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~umask  # ordinary permissions, as open() gives


def test_save_replaces_the_file_atomically(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    _trained_like(1).save(path)
    original = path.read_bytes()

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        _trained_like(2).save(path)
    assert path.read_bytes() == original  # the old file is intact
    assert os.listdir(tmp_path) == ["model.json"]  # the temporary file was removed


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "model.json"
    _trained_like(3).save(path)
    return path


def _assert_fails_unchanged(path, match, exc=CheckpointError):
    model = _trained_like(4)
    before = {n: p.data for n, p in model.named_parameters()}
    with pytest.raises(exc, match=match):
        model.load(path)
    assert {n: p.data for n, p in model.named_parameters()} == before


def test_load_missing_file(tmp_path):
    _assert_fails_unchanged(tmp_path / "nope.json", "no model file at .*nope.json", FileNotFoundError)


def test_load_truncated_file(saved):
    text = saved.read_text()
    saved.write_text(text[: len(text) // 2])
    _assert_fails_unchanged(saved, "truncated")
    saved.write_text("")
    _assert_fails_unchanged(saved, "empty")


def test_load_corrupt_file(saved):
    text = saved.read_text()
    saved.write_text(text.replace('"parameters": {', '"parameters": {,,', 1))
    _assert_fails_unchanged(saved, "corrupt: invalid JSON")
    saved.write_bytes(b"\xff\xfe\x00garbage" * 10)
    _assert_fails_unchanged(saved, "corrupt: not UTF-8")
    saved.write_text("[1, 2, 3]")
    _assert_fails_unchanged(saved, "is not an autograd_core.nn model file")
    doc = json.loads(text)
    doc["parameters"]["layers.0.neurons.0.w.0"] = "0.5"
    saved.write_text(json.dumps(doc))
    _assert_fails_unchanged(saved, "'layers.0.neurons.0.w.0' must be a number")


def test_load_wrong_version(saved):
    doc = json.loads(saved.read_text())
    doc["version"] = 99
    saved.write_text(json.dumps(doc))
    _assert_fails_unchanged(saved, "format version 99; this version of nn reads version 1")
    del doc["version"]
    saved.write_text(json.dumps(doc))
    _assert_fails_unchanged(saved, "format version None")


def test_load_wrong_shape(tmp_path):
    path = tmp_path / "small.json"
    MLP(2, [8, 1], seed=0).save(path)
    _assert_fails_unchanged(path, r"different architecture: file has .*nouts=\[8, 1\].*this model is .*nouts=\[16, 16, 1\]")
    # same architecture entry but the parameter list does not fit
    doc = json.loads(path.read_text())
    doc["architecture"] = MLP(2, [16, 16, 1], seed=0).architecture()
    path.write_text(json.dumps(doc))
    _assert_fails_unchanged(path, "does not fit this model: parameter names do not match")


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid", "linear"])
def test_forward_float_is_bit_identical_to_the_value_forward(act):
    model = MLP(2, [7, 5, 3], activation=act, output_activation=act, seed=3)
    rng = random.Random(0)
    for p in model.parameters():
        p.data = rng.uniform(-1, 1)
    for _ in range(50):
        x = [rng.uniform(-3, 3), rng.uniform(-3, 3)]
        assert model.forward_float(x) == [v.data for v in model(x)]
    one = MLP(2, [4, 1], seed=0)
    assert one.forward_float([1, 2]) == one([1, 2]).data  # ints are fine, one output is a float
    with pytest.raises(ValueError, match="expects 2 input"):
        one.forward_float([1.0])
