"""Figures of notebook 04 (lrutils.figures.plateau): right data, series style, readable sizes."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from lrutils import lr_curve
from lrutils.curves.blog import plateau_demo_metric
from lrutils.curves.synthetic import synthetic_val_loss
from lrutils.figures import plateau as figures
from lrutils.figures.style import MAX_WIDTH


def _check_style(fig: Figure) -> None:
    assert isinstance(fig, Figure)
    assert fig.get_figwidth() <= MAX_WIDTH
    for ax in fig.axes:
        assert len(ax.get_lines()) <= 8  # a few curves, their cut marks and torch's dots, not a tangle
        legend = ax.get_legend()
        if legend is not None:  # outside the data: anchored right of the axes
            assert legend.get_bbox_to_anchor().x0 >= ax.get_window_extent().x1 - 1


def test_cut_epochs():
    assert figures.cut_epochs([0.1, 0.1, 0.01]) == [2]
    assert figures.cut_epochs(np.full(5, 0.1)) == []


def test_lr_and_metric_draws_lrs_as_log_steps_and_metrics_at_the_end_of_their_epoch():
    loss = synthetic_val_loss(29, flat_from=10)
    lr = lr_curve("ReduceLROnPlateau", 30, metrics=loss, patience=2)
    fig = figures.lr_and_metric({"blog's sketch": np.full(30, 0.1), "torch": lr}, {"loss": loss}, shade=(11, 13))
    _check_style(fig)
    top, bottom = fig.axes
    assert top.get_yscale() == "log"
    curve = next(line for line in top.get_lines() if line.get_label() == "torch")
    assert curve.get_drawstyle() == "steps-post"
    assert curve.get_xdata()[-1] == 30  # the last epoch drawn to its end
    metric = bottom.get_lines()[0]
    assert metric.get_xdata()[0] == 1  # metrics[0] is measured after epoch 0
    cuts = [line.get_xdata()[0] for line in top.get_lines() if line.get_linestyle() == ":"]
    assert cuts == figures.cut_epochs(lr) == [14, 17, 20, 23, 26, 29]  # flat_from + patience + 2, then every 3


def test_lr_and_metric_needs_a_curve():
    with pytest.raises(ValueError, match="at least one curve"):
        figures.lr_and_metric({}, {})


def test_curve_vs_torch_draws_torch_on_lrutils():
    fig = figures.curve_vs_torch(plateau_demo_metric(), blog=True, shade=(39, 49), patience=10, factor=0.1)
    _check_style(fig)
    dots = next(line for line in fig.axes[0].get_lines() if line.get_label() == "torch (stepped)")
    ours = lr_curve("ReduceLROnPlateau", 100, metrics=plateau_demo_metric(), patience=10, factor=0.1)
    np.testing.assert_allclose(dots.get_ydata(), ours[:: max(1, 100 // 40)], rtol=1e-12)
    assert fig.axes[0].get_title() == "ReduceLROnPlateau(patience=10, factor=0.1)\na new lr from epoch 50"


def test_long_titles_wrap():
    title = figures.call_title({"patience": 5, "factor": 0.5, "threshold": 0.02, "cooldown": 3, "min_lr": 0.002})
    assert all(len(line) <= 60 for line in title.splitlines()) and title.count("\n") == 1
