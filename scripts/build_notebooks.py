"""Write the teaching notebooks 01, 02, 04 and 05 (without outputs) from this file.

    python scripts/build_notebooks.py

The notebooks are kept as source here so that a change to their text is a
reviewable diff; tests/notebooks executes the written .ipynb files. Each notebook
fills a dict ``RESULTS`` with its key results, which the test asserts.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent.parent / "notebooks"

SETUP = '''\
# Find the project: installed (pip install -e .), or this clone (the notebook's parent folder).
import sys, pathlib
try:
    import autograd_core
except ImportError:
    for _p in (pathlib.Path.cwd(), *pathlib.Path.cwd().parents):
        if (_p / "autograd_core").is_dir():
            sys.path.insert(0, str(_p))
            break
    import autograd_core
REPO = pathlib.Path(autograd_core.__file__).resolve().parent.parent
RESULTS = {}  # key results of this notebook; the test suite checks them'''


def md(s: str):
    return new_markdown_cell(s.strip("\n"))


def code(s: str):
    return new_code_cell(s.strip("\n"))


def write(name: str, cells: list) -> None:
    nb = new_notebook(cells=cells)
    for i, cell in enumerate(nb.cells):  # stable ids: rebuilding changes only what changed
        cell.id = f"{name[:2]}-{i:02d}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    HERE.mkdir(exist_ok=True)
    nbformat.write(nb, HERE / name)


# --------------------------------------------------------------------------- 01
NB01 = [
    md(r"""
# 01 · The chain rule, step by step

Back-propagation is the chain rule evaluated from the output back to the inputs
(Goodfellow, Bengio, Courville, *Deep Learning* §6.5). For $y = g(x)$ and $z = f(y)$

$$\frac{dz}{dx} = \frac{dz}{dy}\,\frac{dy}{dx}.$$

Every node $u$ of a computational graph gets an **adjoint** $\bar u = \partial C/\partial u$
(Nielsen calls it $\delta$, the "error"). Going in **reverse topological order**, each edge
node → parent does one multiply-add

$$\bar{u}_{\text{parent}} \mathrel{+}= \bar{u}_{\text{node}} \cdot \frac{\partial\,\text{node}}{\partial\,\text{parent}},$$

where the **local derivative** $\partial\,\text{node}/\partial\,\text{parent}$ comes from the op
(for $a\cdot b$ it is $b$; for $\tanh$ it is $1-\text{out}^2$). This notebook watches that happen on two
examples from the seed texts: Goodfellow's chain $z = f(f(f(w)))$ and the Wikipedia network
$g(x) = f^{2}(W^{2} f^{1}(W^{1} x))$ with cost $C$.
"""),
    code(SETUP),
    code("""
from autograd_core import Value, draw_dot, explain, frames
import math
"""),
    md(r"""
## 1. Goodfellow's chain: $x = f(w)$, $y = f(x)$, $z = f(y)$

Figure 6.9 of §6.5.3 uses this chain to show a *repeated subexpression*: written out,

$$\frac{\partial z}{\partial w} = f'(y)\,f'(x)\,f'(w) = f'(f(f(w)))\,f'(f(w))\,f'(w),$$

and the second form recomputes $f(w)$ twice. Back-propagation uses the first form: $x$ and $y$ are
stored by the forward pass and each factor is used once. Take $f = \tanh$, so $f'(u) = 1 - \tanh^2 u$.
"""),
    code("""
w = Value(0.5, label="w")
x = w.tanh(); x.label = "x"
y = x.tanh(); y.label = "y"
z = y.tanh(); z.label = "z"
draw_dot(z, show_local=True)
"""),
    md(r"""
`explain()` runs the same reverse sweep as `backward()` (it *observes* it) and prints each step: the
edge, the local rule from the op table, its value, the upstream adjoint, their product and the
parent's adjoint so far.
"""),
    code("""
ex = z.explain()
print(ex)
"""),
    code("""
fp = lambda u: 1 - math.tanh(u) ** 2        # f'(u) for f = tanh
by_hand = fp(math.tanh(math.tanh(0.5))) * fp(math.tanh(0.5)) * fp(0.5)   # f'(f(f(w))) f'(f(w)) f'(w)
z.backward()
print(f"explain: {ex.totals[w]:.12f}   backward: {w.grad:.12f}   by hand: {by_hand:.12f}")
assert abs(ex.totals[w] - by_hand) < 1e-12 and ex.totals[w] == w.grad
RESULTS["goodfellow_dz_dw"] = w.grad
RESULTS["goodfellow_by_hand"] = by_hand
RESULTS["goodfellow_steps"] = len(ex.steps)
"""),
    md(r"""
## 2. The Wikipedia network

The Wikipedia article writes a network as a composition,
$g(x) := f^{L}(W^{L} f^{L-1}(\cdots f^{1}(W^{1} x)\cdots))$, and the loss on one pair $(x, y)$ as
$C(y, g(x))$. Take $L = 2$ with one unit per layer, $f^1 = f^2 = \sigma$ and the quadratic cost:

$$z^1 = W^1 x,\quad a^1 = \sigma(z^1),\quad z^2 = W^2 a^1,\quad a^2 = \sigma(z^2),\quad C = \tfrac12 (a^2 - y)^2 .$$

During training $(x, y)$ is fixed and the weights vary; back-propagation computes $\partial C/\partial W^l$
through $\delta^l = \partial C/\partial z^l$, "the gradient of the weighted input of each layer", from back
to front.
"""),
    code("""
x = Value(1.5, label="x"); y = Value(0.5, label="y")
W1 = Value(0.8, label="W¹"); W2 = Value(-1.2, label="W²")
z1 = W1 * x;      z1.label = "z¹"
a1 = z1.sigmoid(); a1.label = "a¹"
z2 = W2 * a1;     z2.label = "z²"
a2 = z2.sigmoid(); a2.label = "a²"
e = a2 - y;       e.label = "e"
e2 = e ** 2;      e2.label = "e²"
C = 0.5 * e2;     C.label = "C"
draw_dot(C, params=[W1, W2])
"""),
    md("""
The same explanation renders as an HTML table in Jupyter (rows where an adjoint is a running sum are
shaded) and as Markdown with the rules in LaTeX (`ex.to_markdown()`):
"""),
    code("""
ex = explain(C, inputs=[x, W1, W2, y])
ex
"""),
    code("""
from IPython.display import Markdown
Markdown(ex.to_markdown())
"""),
    md(r"""
### The same numbers as the matrix formula

Wikipedia's gradient, read right to left, is
$\nabla_x C = (W^1)^T (f^1)' (W^2)^T (f^2)' \nabla_{a^2} C$. With one unit per layer every matrix is a
number, so we can evaluate it by hand and compare with the sweep; $\delta^2$ and $\delta^1$ are the
adjoints of $z^2$ and $z^1$ (after `backward()` every node's `.grad` holds its adjoint).
"""),
    code("""
C.backward()
s = lambda t: 1 / (1 + math.exp(-t))
A1 = s(0.8 * 1.5); A2 = s(-1.2 * A1)
grad_a2 = A2 - 0.5                       # ∇_{a²} C
delta2 = grad_a2 * A2 * (1 - A2)         # δ² = ∇_{a²}C · (f²)'
delta1 = (-1.2) * delta2 * A1 * (1 - A1) # δ¹ = (W²)ᵀ δ² · (f¹)'
grad_x = 0.8 * delta1                    # ∇_x C = (W¹)ᵀ δ¹
rows = [("δ² = ∂C/∂z²", z2.grad, delta2), ("δ¹ = ∂C/∂z¹", z1.grad, delta1),
        ("∂C/∂W² = δ² a¹", W2.grad, delta2 * A1), ("∂C/∂W¹ = δ¹ x", W1.grad, delta1 * 1.5),
        ("∂C/∂x = (W¹)ᵀ δ¹", x.grad, grad_x)]
for name, engine, formula in rows:
    print(f"{name:20} engine {engine: .10f}   formula {formula: .10f}")
    assert abs(engine - formula) < 1e-12
assert all(ex.totals[v] == v.grad for v in (x, W1, W2, y))
RESULTS["wiki_C"] = C.data
RESULTS["wiki_grads"] = {"x": x.grad, "W1": W1.grad, "W2": W2.grad, "y": y.grad}
RESULTS["wiki_delta"] = {"1": z1.grad, "2": z2.grad}
RESULTS["wiki_steps"] = len(ex.steps)
"""),
    md("""
## 3. Backward, frame by frame

`frames(C)` draws the graph once per step of the same sweep: the current edge and its two ends in red,
and every adjoint known so far in the grad field (`·` = not reached yet). Use the buttons or the
slider; the player is plain HTML and JavaScript, so it also works in the exported page without a
kernel. `frames(C).widget()` gives the same with ipywidgets in a live kernel.
"""),
    code("""
fr = frames(C, show_local=True, params=[W1, W2])
fr
"""),
    code("""
fr.widget()
"""),
    code("""
# out/ of the clone (or of the working directory when the project is pip-installed)
out_dir = (REPO if (REPO / "pyproject.toml").exists() else pathlib.Path.cwd()) / "out"
out_dir.mkdir(exist_ok=True)
page = fr.save(out_dir / "wikipedia_backward.html")
print("self-contained page:", page)
RESULTS["frames"] = len(fr)
RESULTS["frames_page"] = str(page)
"""),
]

# --------------------------------------------------------------------------- 02
NB02 = [
    md(r"""
# 02 · Computational graphs

Goodfellow §6.5.1: each node is a variable, and an *operation* makes a new variable from its
parents, $u^{(i)} = f^{(i)}(\mathbb{A}^{(i)})$. In this engine every `Value` records the op that made it
(`.op`) and its parents in argument order (`.parents`); numbers used in arithmetic become constant leaves.
"""),
    code(SETUP),
    code("""
from autograd_core import Value, draw_dot, explain, topological_order
import math
"""),
    md("## 1. Building and drawing a graph"),
    code("""
a = Value(2.0, label="a"); b = Value(1.0, label="b")
c = a + b;   c.label = "c"
d = b + 1;   d.label = "d"
e = c * d;   e.label = "e"
for v in topological_order(e):
    print(f"{v.label or v.data!s:>3}  op={v.op or '(leaf)':7} parents={[p.label or p.data for p in v.parents]}")
"""),
    code("""
draw_dot(e, rankdir="TB", show_local=True)
"""),
    md(r"""
`b` is used twice (by `c` and by `d`): it **fans out**. The chain rule sums over every path from
`e` to `b`, so its adjoint is a running sum of two products. The sweep visits nodes in reverse
order of creation, so `d` (made after `c`) adds its share first: $\bar b = \bar d\cdot 1 + \bar c \cdot 1$:
"""),
    code("""
ex = explain(e)
print(ex)
e.backward()
assert b.grad == ex.totals[b] == d.data + c.data   # ∂e/∂b = d + c
RESULTS["fanout_grad_b"] = b.grad
RESULTS["fanout_contributions"] = ex.contributions(b)
"""),
    md(r"""
## 2. Reusing a subexpression versus rebuilding it

A subexpression built once and used twice is one node with two outgoing edges; built twice it is two
separate copies. The value is the same, the graph is not:
"""),
    code("""
x = Value(0.7, label="x")
s = x.tanh()
shared = s * s + s                          # tanh(x) built once, used three times
rebuilt = x.tanh() * x.tanh() + x.tanh()    # built three times
n_shared, n_rebuilt = len(topological_order(shared)), len(topological_order(rebuilt))
print("same value:", shared.data == rebuilt.data, "| nodes shared:", n_shared, "rebuilt:", n_rebuilt)
shared.backward(); g_shared = x.grad; x.grad = 0.0
rebuilt.backward(); g_rebuilt = x.grad
assert shared.data == rebuilt.data and abs(g_shared - g_rebuilt) < 1e-15 and n_shared < n_rebuilt
RESULTS["nodes_shared"], RESULTS["nodes_rebuilt"] = n_shared, n_rebuilt
draw_dot(shared)
"""),
    md(r"""
## 3. Why reverse topological order: the diamond

In the diamond $u = x^2$, $v = \sin u$, $w = \exp u$, $z = v + w$, the adjoint of $u$ has two
contributions (from $v$ and from $w$). It may only be passed on to $x$ once **both** have arrived.
Reverse topological order guarantees that: every node comes after all the nodes that use it.

Below, a ten-line sweep that takes the order as an argument (the local derivatives still come from the
op table). In reverse topological order it agrees with `backward()`; in an order that visits $u$ before
$w$, $x$ receives an incomplete adjoint and the result is wrong.
"""),
    code("""
x = Value(0.5, label="x")
u = x ** 2;     u.label = "u"
v = u.sin();    v.label = "v"
w = u.exp();    w.label = "w"
z = v + w;      z.label = "z"

def sweep_in_order(root, order):
    adj = {root: 1.0}
    for node in order:
        if node.is_leaf or node not in adj:
            continue
        locs = node.op_info.local_float(*[p.data for p in node.parents], node.data)
        for p, l in zip(node.parents, locs):
            adj[p] = adj.get(p, 0.0) + adj[node] * l
    return adj

good = sweep_in_order(z, list(reversed(topological_order(z))))
bad = sweep_in_order(z, [z, v, u, w])            # u before w: w's share has not arrived yet
z.backward()
exact = math.cos(0.25) * 2 * 0.5 + math.exp(0.25) * 2 * 0.5
print(f"reverse topological: {good[x]:.10f}   bad order: {bad[x]:.10f}   backward: {x.grad:.10f}   exact: {exact:.10f}")
assert abs(good[x] - exact) < 1e-12 and abs(bad[x] - exact) > 1e-3 and x.grad == good[x]
RESULTS["diamond_good"], RESULTS["diamond_bad"], RESULTS["diamond_exact"] = good[x], bad[x], exact
draw_dot(z, show_local=True)
"""),
    md(r"""
## 4. Store or recompute (§6.5.3)

"Any procedure that computes the gradient will need to choose whether to store these subexpressions or
to recompute them." Take a chain of $n$ diamonds, $x_{k+1} = \sin(x_k) + \cos(x_k)$. Written out, the
chain rule is a **sum over paths** from the output to the input: $2^n$ paths, each a product of $2n$
local derivatives. Evaluating it that way recomputes the shared prefixes over and over. The reverse sweep
stores one adjoint per node and touches each edge once: its work grows like $n$, not $2^n$.
"""),
    code("""
def diamond_chain(n, x0=0.3):
    x = Value(x0, label="x0")
    out = x
    for _ in range(n):
        out = out.sin() + out.cos()
    return x, out

def grad_by_paths(node, target, counter):
    \"\"\"∂node/∂target as the sum over all paths of products of local derivatives (no storing).\"\"\"
    if node is target:
        return 1.0
    if node.is_leaf:
        return 0.0
    locs = node.op_info.local_float(*[p.data for p in node.parents], node.data)
    total = 0.0
    for p, l in zip(node.parents, locs):
        counter[0] += 1                      # one multiplication per edge visit
        total += l * grad_by_paths(p, target, counter)
    return total

rows = []
for n in range(1, 11):
    x, out = diamond_chain(n)
    counter = [0]
    by_paths = grad_by_paths(out, x, counter)
    ex = explain(out)
    rows.append((n, counter[0], len(ex.steps)))
    assert abs(by_paths - ex.totals[x]) < 1e-9 * max(1.0, abs(by_paths))
print(" n   multiplications by paths   steps of the reverse sweep")
for n, paths, steps in rows:
    print(f"{n:2}   {paths:24}   {steps:10}")
RESULTS["store_vs_recompute"] = rows
"""),
    md(r"""
The cost of storing is memory: the sweep needs the forward values (here each `Value` keeps its `data`,
and `tanh`'s local derivative $1 - \text{out}^2$ reads the stored output). Recomputing instead of storing
is the other side of the same trade-off, and is worth it only when memory is the scarce resource
(checkpointing).
"""),
]

# --------------------------------------------------------------------------- 04
NB04 = [
    md(r"""
# 04 · Nielsen's four equations

Nielsen, *Neural Networks and Deep Learning*, ch. 2. With $z^l = w^l a^{l-1} + b^l$,
$a^l = \sigma(z^l)$, the error $\delta^l_j \equiv \partial C/\partial z^l_j$ and the quadratic cost
$C = \tfrac12 \lVert y - a^L\rVert^2$:

| | equation | |
|---|---|---|
| BP1 | $\delta^L = \nabla_a C \odot \sigma'(z^L)$ | error of the output layer |
| BP2 | $\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)$ | error moves back one layer |
| BP3 | $\partial C/\partial b^l_j = \delta^l_j$ | bias gradient |
| BP4 | $\partial C/\partial w^l_{jk} = a^{l-1}_k \delta^l_j$ | weight gradient, $a_\text{in}\,\delta_\text{out}$ |

Below: the equations in NumPy matrix form for a $[2, 3, 2]$ network, then the scalar engine on the same
weights, with every gradient shown equal.
"""),
    code(SETUP),
    code("""
import numpy as np
from autograd_core import Value, draw_dot

rng = np.random.default_rng(0)
sizes = [2, 3, 2]
weights = [rng.normal(size=(m, n)) for n, m in zip(sizes[:-1], sizes[1:])]   # w^l: (n_l, n_{l-1})
biases = [rng.normal(size=(m, 1)) for m in sizes[1:]]
x = np.array([[0.5], [-1.5]]); y = np.array([[1.0], [0.0]])

sigmoid = lambda z: 1 / (1 + np.exp(-z))
sigmoid_prime = lambda z: sigmoid(z) * (1 - sigmoid(z))
"""),
    md("## 1. The four equations in NumPy (Nielsen's `backprop`, written out)"),
    code("""
# feedforward, storing every z and activation
activation, activations, zs = x, [x], []
for w, b in zip(weights, biases):
    z = w @ activation + b
    zs.append(z)
    activation = sigmoid(z)
    activations.append(activation)
C_np = 0.5 * float(np.sum((y - activations[-1]) ** 2))

deltas = [None] * len(weights)
deltas[-1] = (activations[-1] - y) * sigmoid_prime(zs[-1])                        # BP1
for l in range(len(weights) - 2, -1, -1):
    deltas[l] = (weights[l + 1].T @ deltas[l + 1]) * sigmoid_prime(zs[l])          # BP2
nabla_b = [d for d in deltas]                                                      # BP3
nabla_w = [d @ a.T for d, a in zip(deltas, activations[:-1])]                      # BP4
print("C =", C_np)
for l, (d, nw) in enumerate(zip(deltas, nabla_w), start=1):
    print(f"delta^{l} =", d.ravel(), f"\\n∂C/∂w^{l} =\\n", nw)
"""),
    md(r"""
## 2. The same network in scalars

Every weight and bias is a `Value` labelled `L{l}.N{j}.w{k}` / `L{l}.N{j}.b`; $z^l_j$ is kept so its
`.grad` after `backward()` is $\delta^l_j$.
"""),
    code("""
W = [[[Value(float(weights[l][j, k]), label=f"L{l+1}.N{j}.w{k}") for k in range(sizes[l])]
      for j in range(sizes[l + 1])] for l in range(len(weights))]
B = [[Value(float(biases[l][j, 0]), label=f"L{l+1}.N{j}.b") for j in range(sizes[l + 1])]
     for l in range(len(weights))]
a = [Value(float(v), label=f"x{k}") for k, v in enumerate(x.ravel())]
Z = []
for l in range(len(weights)):
    z_l = []
    for j in range(sizes[l + 1]):
        zj = B[l][j]
        for k in range(sizes[l]):
            zj = zj + W[l][j][k] * a[k]
        z_l.append(zj)
    Z.append(z_l)
    a = [zj.sigmoid() for zj in z_l]
C = 0.5 * sum((float(t) - aj) ** 2 for t, aj in zip(y.ravel(), a))
C.label = "C"
C.backward()
print("C =", C.data)
"""),
    code("""
eng_delta = [np.array([[zj.grad] for zj in z_l]) for z_l in Z]
eng_nabla_w = [np.array([[wjk.grad for wjk in row] for row in W_l]) for W_l in W]
eng_nabla_b = [np.array([[bj.grad] for bj in B_l]) for B_l in B]
diffs = {
    "C": abs(C.data - C_np),
    "delta (BP1, BP2)": max(np.abs(e - d).max() for e, d in zip(eng_delta, deltas)),
    "∂C/∂b (BP3)": max(np.abs(e - d).max() for e, d in zip(eng_nabla_b, nabla_b)),
    "∂C/∂w (BP4)": max(np.abs(e - d).max() for e, d in zip(eng_nabla_w, nabla_w)),
}
for k, v in diffs.items():
    print(f"{k:18} max |engine − numpy| = {v:.2e}")
assert all(v < 1e-12 for v in diffs.values())
RESULTS["max_diff"] = max(diffs.values())
RESULTS["C"] = C.data
RESULTS["n_params"] = sum(w.size + b.size for w, b in zip(weights, biases))
RESULTS["delta_L"] = deltas[-1].ravel().tolist()
"""),
    md(r"""
BP2 is the reverse sweep: the adjoint of $a^l_j$ collects $\sum_k w^{l+1}_{kj}\,\delta^{l+1}_k$ (one
product per outgoing edge), and the sigmoid's local derivative $\sigma(z)(1-\sigma(z))$ turns it into
$\delta^l_j$. The graph of this small network, one box per neuron (clusters by label prefix), and the
same with every neuron collapsed:
"""),
    code("""
params = [w for W_l in W for row in W_l for w in row] + [b for B_l in B for b in B_l]
draw_dot(C, cluster="label-prefix", params=params)
"""),
    code("""
draw_dot(C, cluster="label-prefix", collapse=True)
"""),
]

# --------------------------------------------------------------------------- 05
NB05 = [
    md(r"""
# 05 · Why reverse mode

A gradient of $f:\mathbb{R}^n \to \mathbb{R}$ has $n$ entries. **Forward mode** pushes one tangent
direction through the computation per pass (a Jacobian-vector product), so the full gradient takes $n$
passes. **Reverse mode** (back-propagation) runs the computation once and sweeps back once
(vector-Jacobian products, Goodfellow eq. 6.46), giving all $n$ entries together. For a loss with many
parameters and one output that is the whole reason back-propagation is fast: Nielsen's "only one forward
and one backward pass".

Below, forward mode is a tiny dual-number class written here ($a + b\varepsilon$ with
$\varepsilon^2 = 0$) that counts its operations.
"""),
    code(SETUP),
    code("""
import math
from autograd_core import Value, explain, topological_order

class Dual:
    \"\"\"a + b·ε with ε² = 0: value and one directional derivative. Counts every op.\"\"\"
    ops = 0
    __slots__ = ("val", "eps")
    def __init__(self, val, eps=0.0):
        self.val, self.eps = val, eps
    @staticmethod
    def lift(o):
        return o if isinstance(o, Dual) else Dual(float(o))
    def __add__(self, o):
        o = Dual.lift(o); Dual.ops += 1
        return Dual(self.val + o.val, self.eps + o.eps)
    __radd__ = __add__
    def __mul__(self, o):
        o = Dual.lift(o); Dual.ops += 1
        return Dual(self.val * o.val, self.val * o.eps + self.eps * o.val)
    __rmul__ = __mul__
    def tanh(self):
        Dual.ops += 1
        t = math.tanh(self.val)
        return Dual(t, (1 - t * t) * self.eps)
    def sin(self):
        Dual.ops += 1
        return Dual(math.sin(self.val), math.cos(self.val) * self.eps)

def f(xs):
    \"\"\"A loss with many inputs and one output, written once for Dual and Value alike.\"\"\"
    n = len(xs)
    total = 0.0
    for i in range(n):
        total = total + (xs[i] * xs[(i + 1) % n]).tanh() + xs[i].sin() * 0.5
    return total
"""),
    md(r"""
## Counting

Forward mode: one pass per input, seeding $\varepsilon = 1$ on that input. Reverse mode: the forward
computation builds the graph (one op per node), the sweep does one multiply-add per edge.
"""),
    code("""
def forward_mode_gradient(xs):
    Dual.ops = 0
    grad = []
    for i in range(len(xs)):
        out = f([Dual(x, 1.0 if j == i else 0.0) for j, x in enumerate(xs)])
        grad.append(out.eps)
    return grad, Dual.ops

def reverse_mode_gradient(xs):
    vs = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    out = f(vs)
    nodes = topological_order(out)
    forward_ops = sum(1 for v in nodes if not v.is_leaf)
    ex = explain(out)                      # the reverse sweep, one step per edge
    return [ex.adjoints.get(v, 0.0) for v in vs], forward_ops + len(ex.steps)

rows = []
for n in (1, 2, 4, 8, 16, 32, 64, 128):
    xs = [math.sin(1.7 * i + 0.3) for i in range(n)]
    g_fwd, ops_fwd = forward_mode_gradient(xs)
    g_rev, ops_rev = reverse_mode_gradient(xs)
    assert max(abs(a - b) for a, b in zip(g_fwd, g_rev)) < 1e-12
    rows.append((n, ops_fwd, ops_rev))
print("   n   forward-mode ops   reverse-mode ops   ratio")
for n, fw, rv in rows:
    print(f"{n:4}   {fw:16}   {rv:16}   {fw / rv:6.1f}")
RESULTS["counts"] = rows
"""),
    code("""
import matplotlib
import matplotlib.pyplot as plt
ns = [r[0] for r in rows]
fig, ax = plt.subplots(figsize=(5.5, 3.5))
ax.loglog(ns, [r[1] for r in rows], "o-", label="forward mode: n passes")
ax.loglog(ns, [r[2] for r in rows], "s-", label="reverse mode: 1 forward + 1 sweep")
ax.set_xlabel("number of inputs n"); ax.set_ylabel("operations for the full gradient")
ax.legend(); ax.grid(True, which="both", alpha=0.3)
plt.show()
"""),
    md(r"""
## The same with the library's forward mode

`autograd_core.jvp(f, primals, tangents)` is forward mode over the op table: one pass carries a tangent
alongside every value, using the same local derivatives the reverse sweep uses. `compare_modes` computes
the whole gradient both ways and counts the work: forward mode needs one sweep per input, reverse mode one
sweep in all.
"""),
    code("""
from autograd_core import compare_modes, jvp

g = lambda *xs: f(list(xs))       # the same loss, one argument per input
xs = [math.sin(1.7 * i + 0.3) for i in range(8)]
value, d0 = jvp(g, xs, [1.0] + [0.0] * 7)   # ∂f/∂x0: one forward pass, tangent seeded on x0
print(f"f = {value:.6f}, ∂f/∂x0 = {d0:.6f}")
assert abs(d0 - forward_mode_gradient(xs)[0][0]) < 1e-12   # our Dual class agrees

library_rows = []
for n in (4, 16, 64):
    xs = [math.sin(1.7 * i + 0.3) for i in range(n)]
    c = compare_modes(g, *xs)
    assert max(abs(a - b) for a, b in zip(c.forward_grad, c.reverse_grad)) < 1e-12
    library_rows.append((n, c.forward.sweeps, c.reverse.sweeps, c.forward.multiply_adds, c.reverse.multiply_adds))
print(c)
RESULTS["library_modes"] = library_rows
"""),
    md(r"""
Forward mode grows like $n^2$ here (n passes of a computation of size $\sim n$), reverse mode like $n$.
The balance flips for a function with **few inputs and many outputs**: one forward pass per input gives
whole columns of the Jacobian, while reverse mode would need one sweep per output. A neural network's loss
has one output and millions of inputs (its parameters), which is why training uses reverse mode.
"""),
    code("""
first, last = rows[0], rows[-1]
RESULTS["ratio_at_largest_n"] = last[1] / last[2]
RESULTS["forward_growth"] = last[1] / first[1]
RESULTS["reverse_growth"] = last[2] / first[2]
print(RESULTS)
"""),
]


def main() -> None:
    write("01_chain_rule_step_by_step.ipynb", NB01)
    write("02_computational_graphs.ipynb", NB02)
    write("04_nielsen_four_equations.ipynb", NB04)
    write("05_why_reverse_mode.ipynb", NB05)


if __name__ == "__main__":
    main()
