"""model.to_torch(): the same network in PyTorch, same outputs and gradients."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from nn import MLP, Layer, Neuron, cross_entropy, mse_loss


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_to_torch_same_outputs_and_gradients(activation):
    model = MLP(3, [5, 4, 2], activation=activation, output_activation="tanh", seed=1)
    for p in model.parameters():  # biases off zero, so every parameter matters
        if p.label.endswith(".b"):
            p.data = random.Random(p.label).uniform(-0.5, 0.5)
    rng = random.Random(0)
    X = [[rng.uniform(-2, 2) for _ in range(3)] for _ in range(6)]
    targets = [[rng.uniform(-1, 1) for _ in range(2)] for _ in range(6)]

    tm = model.to_torch()
    assert isinstance(tm, torch.nn.Module)
    assert all(p.dtype == torch.float64 for p in tm.parameters())
    assert sum(p.numel() for p in tm.parameters()) == model.num_parameters()
    tout = tm(torch.tensor(X, dtype=torch.float64))
    outs = [model(x) for x in X]
    for o, to in zip(outs, tout.tolist()):
        assert [v.data for v in o] == pytest.approx(to, rel=1e-14, abs=1e-15)

    loss = mse_loss(outs, targets)
    model.zero_grad()
    loss.backward()
    tloss = torch.nn.functional.mse_loss(tout, torch.tensor(targets, dtype=torch.float64))
    tloss.backward()
    assert loss.data == pytest.approx(tloss.item(), rel=1e-13)
    linears = [m for m in tm if isinstance(m, torch.nn.Linear)]
    assert len(linears) == 3
    for layer, lin in zip(model.layers, linears):
        for j, n in enumerate(layer.neurons):
            assert [w.grad for w in n.w] == pytest.approx(lin.weight.grad[j].tolist(), rel=1e-10, abs=1e-15)
            assert n.b.grad == pytest.approx(lin.bias.grad[j].item(), rel=1e-10, abs=1e-15)


def test_to_torch_keeps_training_where_we_left_off():
    """The converted copy is independent: training it in PyTorch leaves our model unchanged."""
    model = MLP(2, [8, 3], seed=0)
    before = model.state_dict()
    tm = model.to_torch()
    opt = torch.optim.SGD(tm.parameters(), lr=0.1)
    x = torch.tensor([[0.5, -0.5], [1.0, 2.0]], dtype=torch.float64)
    loss = torch.nn.functional.cross_entropy(tm(x), torch.tensor([0, 2]))
    ours = cross_entropy([model([0.5, -0.5]), model([1.0, 2.0])], [0, 2])
    assert ours.data == pytest.approx(loss.item(), rel=1e-13)
    loss.backward()
    opt.step()
    assert model.state_dict() == before


def test_layer_and_neuron_convert_too():
    n = Neuron(3, "sigmoid", seed=0)
    t = n.to_torch()
    assert t(torch.tensor([[1.0, 2.0, 3.0]], dtype=torch.float64)).item() == pytest.approx(n([1, 2, 3]).data, rel=1e-14)
    layer = Layer(2, 3, "tanh", seed=0)
    out = layer.to_torch()(torch.tensor([[0.3, -0.7]], dtype=torch.float64))[0].tolist()
    assert out == pytest.approx([v.data for v in layer([0.3, -0.7])], rel=1e-14)


def test_torch_is_imported_only_by_to_torch():
    code = "import sys, nn; m = nn.MLP(2, [3, 1], seed=0); m([1, 2]); print('torch' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "False"
