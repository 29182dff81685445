from autograd_core import Value


def test_neuron_gradients_match_hand_derivation():
    x, w, b = Value(2.0), Value(-3.0), Value(6.5)
    n = x * w + b
    o = n.tanh()
    o.backward()
    t = o.data
    assert w.grad == (1 - t * t) * x.data
    assert x.grad == (1 - t * t) * w.data
    assert b.grad == 1 - t * t
