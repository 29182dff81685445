"""The plotting helpers used by the demo and the notebook."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from nn import MLP, SGD, fit, make_moons, make_spirals, predict  # noqa: E402
from nn.plots import decision_grid, plot_decision_boundary, plot_loss_curve  # noqa: E402


def test_decision_grid_holds_the_model_predictions():
    X, _ = make_spirals(30, seed=0)
    model = MLP(2, [6, 3], seed=0)
    xs, ys, Z = decision_grid(model, X, resolution=7)
    assert len(xs) == len(ys) == 7 and len(Z) == 7 and all(len(r) == 7 for r in Z)
    assert xs[0] == min(p[0] for p in X) - 0.5 and ys[-1] == max(p[1] for p in X) + 0.5
    flat = predict(model, [[a, b] for b in ys for a in xs])
    assert [c for row in Z for c in row] == flat
    assert set(flat) <= {0, 1, 2}


def test_plots_draw_into_a_given_axes_or_a_new_figure():
    X, y = make_moons(20, seed=0)
    model = MLP(2, [4, 1], seed=0)
    hist = fit(model, X, y, "bce", SGD(model, lr=0.1), 3, validation=(X, y), progress=False)
    ax = Figure().add_subplot()
    assert plot_decision_boundary(model, X, y, ax=ax, resolution=10, title="t") is ax
    assert ax.get_title() == "t" and len(ax.collections) >= 2  # filled regions and the points
    ax2 = plot_loss_curve(hist)
    labels = [ln.get_label() for ln in ax2.get_legend().get_lines()]
    assert labels == ["loss", "train accuracy", "held-out accuracy"]
    assert list(ax2.get_lines()[0].get_ydata()) == hist.loss
