"""``python -m nn``: the acceptance numbers, the files it writes, and its flags."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nn import MLP
from autograd_core import draw_dot
from nn.__main__ import CONFIGS, main, neuron_graph, train_demo, write_graph

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def moons():
    return train_demo("moons", progress=False)  # the default run: seed 1, 100 epochs


def test_demo_reaches_100_percent_train_and_97_percent_held_out(moons):
    assert len(moons.X_train) == 100 and len(moons.X_test) == 200
    assert moons.model.num_parameters() == 337
    assert moons.train_accuracy == 1.0
    assert moons.test_accuracy >= 0.97
    assert moons.history.epochs == 100
    assert moons.history.accuracy.index(1.0) < 60  # micrograd reaches 100% around step 40
    assert moons.history.loss[-1] < 0.05


def test_same_seed_same_history_and_weights_bit_for_bit(moons):
    again = train_demo("moons", epochs=100, progress=False)
    assert [x.hex() for x in again.history.loss] == [x.hex() for x in moons.history.loss]
    assert again.history.accuracy == moons.history.accuracy
    assert again.history.val_accuracy == moons.history.val_accuracy
    assert [p.data.hex() for p in again.model.parameters()] == [p.data.hex() for p in moons.model.parameters()]
    other = train_demo("moons", epochs=3, seed=2, progress=False)
    assert other.history.loss[:3] != moons.history.loss[:3]


def test_main_writes_pictures_and_the_neuron_graph(tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["--epochs", "3", "--hidden", "4,4", "--out", str(out), "--seed", "3"]) == 0
    text = capsys.readouterr().out
    assert "Training MLP(2, [4, 4, 1]) on 100 points of moons (seed 3)" in text
    assert "train accuracy" in text and "held-out accuracy" in text
    for name in ("decision_boundary.png", "loss_curve.png"):
        data = (out / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    svg = (out / "neuron_graph.svg").read_text()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "data" in svg and "grad" in svg and "x1" in svg and "layers.0.neurons." in svg


def test_quiet_prints_nothing(tmp_path, capsys):
    assert main(["--epochs", "2", "--out", str(tmp_path), "--quiet", "--dataset", "xor"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert (tmp_path / "decision_boundary.png").exists()


def test_spirals_demo_uses_three_outputs(tmp_path):
    r = train_demo("spirals", hidden=[8], epochs=2, progress=False)
    assert r.model.nouts == [8, 3] and len(r.X_train) == CONFIGS["spirals"].n_train


def test_neuron_graph_has_data_and_gradients_and_leaves_the_model_alone():
    model = MLP(2, [16, 16, 1], seed=1)
    before = [(p.data, p.grad) for p in model.parameters()]
    out = neuron_graph(model, [0.5, 0.3])
    assert [(p.data, p.grad) for p in model.parameters()] == before
    assert out.grad == 1.0 and out.data > 0  # a live neuron was chosen
    src = draw_dot(out).source
    assert "x1" in src and "x2" in src and "grad" in src and "data" in src
    assert src.count("->") >= 10


def test_neuron_graph_is_written_as_svg(tmp_path):
    out = neuron_graph(MLP(2, [4, 1], seed=1), [0.5, 0.3])
    path = write_graph(out, str(tmp_path))
    assert path.endswith("neuron_graph.svg")
    text = (tmp_path / "neuron_graph.svg").read_text()
    assert "<svg" in text and "x1" in text


@pytest.mark.parametrize("args,msg", [
    (["--dataset", "mnist"], "invalid choice: 'mnist'"),
    (["--hidden", "16,x"], "expected comma-separated layer sizes"),
    (["--hidden", "16,0"], "layer sizes must be positive integers"),
    (["--epochs", "0"], "expected a positive integer"),
    (["--lr", "-1"], "expected a positive number"),
    (["--lr", "nan"], "expected a positive number"),
    (["--seed", "1.5"], "expected an integer"),
    (["--bogus"], "unrecognized arguments: --bogus"),
])
def test_bad_flags_give_usage_not_a_traceback(args, msg, capsys):
    with pytest.raises(SystemExit) as e:
        main(args)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m nn") and msg in err and "Traceback" not in err


def test_command_line_bad_flag_and_unwritable_out(tmp_path):
    r = subprocess.run([sys.executable, "-m", "nn", "--epochs", "many"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "usage: python -m nn" in r.stderr and "Traceback" not in r.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = subprocess.run([sys.executable, "-m", "nn", "--out", str(blocker / "sub"), "--epochs", "1"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1 and "cannot create output folder" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "nn", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and "--dataset {circles,moons,spirals,xor}" in r.stdout


def test_bit_identical_across_processes_and_hash_seeds():
    """Nothing depends on set or dict iteration order of objects: two fresh interpreters with
    different hash seeds give the same history and weights."""
    import os

    code = ("from nn.__main__ import train_demo; r = train_demo('moons', epochs=4, progress=False); "
            "print([x.hex() for x in r.history.loss], [p.data.hex() for p in r.model.parameters()])")
    outs = []
    for hash_seed in ("1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
        outs.append(r.stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 1000
