"""Figures of notebook 05 (lrutils.figures.onecycle): right data, series style, readable sizes."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import lrutils
from lrutils import lr_curve, momentum_curve
from lrutils.figures import onecycle as figures
from lrutils.figures.style import MAX_WIDTH


def _check_style(fig: Figure) -> None:
    assert isinstance(fig, Figure)
    assert fig.get_figwidth() <= MAX_WIDTH
    for ax in fig.axes:
        assert len(ax.get_lines()) <= 5


def test_curve_and_momentum_draws_lrutils_and_torch():
    kwargs = {"max_lr": 0.1, "steps_per_epoch": 100, "epochs": 10}
    fig = figures.curve_and_momentum(1000, sketch=True, **kwargs)
    _check_style(fig)
    top, bottom = fig.axes
    labels = [line.get_label() for line in top.get_lines()]
    assert labels == ["blog's sketch\n(stretched)", "lrutils.lr_curve", "torch (stepped)"]
    np.testing.assert_allclose(top.get_lines()[2].get_ydata(), lr_curve("OneCycleLR", 1000, **kwargs)[::20], rtol=1e-9)
    np.testing.assert_allclose(
        bottom.get_lines()[0].get_ydata(), momentum_curve("OneCycleLR", 1000, **kwargs), rtol=1e-12
    )


def test_variants_draws_each_curve_on_linear_and_log_axes():
    curves = {"a": lr_curve("OneCycleLR", 100, max_lr=0.1, total_steps=100), "b": np.linspace(0.1, 0.01, 100)}
    fig = figures.variants(curves)
    _check_style(fig)
    assert [ax.get_yscale() for ax in fig.axes] == ["linear", "log"]
    assert all(len(ax.get_lines()) == 2 for ax in fig.axes)


def test_stepping_rate_per_epoch_never_leaves_the_warm_up():
    fig = figures.stepping_rate(30, 30, 0.1)
    _check_style(fig)
    per_batch, per_epoch = (line.get_ydata() for line in fig.axes[0].get_lines())
    assert per_batch.max() > 0.099 and per_epoch.max() < 0.02


def test_behind_then_ahead_draws_the_paired_difference_per_epoch_and_the_peak():
    c = lrutils.compare([None, "OneCycleLR"], epochs=3, seeds=3, progress=False)
    fig = figures.behind_then_ahead(c)
    _check_style(fig)
    top, bottom = fig.axes
    assert [line.get_label() for line in top.get_lines()[:2]] == ["constant", "OneCycleLR"]
    np.testing.assert_array_equal(top.get_lines()[1].get_ydata(), c["OneCycleLR"][0].lr)
    means = [c.paired("OneCycleLR", f"val_loss@{e}").difference.mean for e in (1, 2, 3)]
    (mean_line,) = [line for line in bottom.get_lines() if line.get_label() == "mean over seeds"]
    np.testing.assert_allclose(mean_line.get_ydata(), means, rtol=0, atol=0)
    run = c["OneCycleLR"][0]
    peak = run.step_epochs[int(np.argmax(run.lr))]
    dotted = [line for line in top.get_lines() if line.get_linestyle() == ":"]
    assert len(dotted) == 1 and dotted[0].get_xdata()[0] == peak


def test_behind_then_ahead_names_a_missing_label():
    c = lrutils.compare([None, "StepLR"], epochs=2, seeds=2, progress=False)
    with pytest.raises(ValueError, match="label must be one of the labels"):
        figures.behind_then_ahead(c)
