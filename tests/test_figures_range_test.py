"""Notebook 10's figures: the smoothing at the start of a sweep, and where the rules land on real training."""

from __future__ import annotations

import numpy as np

from lrutils import tune_lr
from lrutils.figures import style
from lrutils.figures.range_test import rules_vs_tuning, smoothing_start, uncorrected_average
from lrutils.training.range_test import lr_range_test


def test_smoothing_start_shows_raw_uncorrected_and_corrected() -> None:
    result = lr_range_test(num_iter=60)
    fig = smoothing_start(result, n=50)
    raw, uncorrected, corrected = (line.get_ydata() for line in fig.axes[0].lines)
    assert len(raw) == 50
    assert uncorrected[0] < 0.05 * raw[0]  # pulled towards 0
    assert corrected[0] == raw[0]  # bias correction starts at the first loss
    np.testing.assert_array_equal(corrected, result.smoothed[:50])
    assert fig.get_figwidth() <= style.MAX_WIDTH


def test_uncorrected_average_is_the_plain_ema() -> None:
    assert uncorrected_average(np.array([2.0, 2.0, 2.0]), 0.5).tolist() == [1.0, 1.5, 1.75]


def test_rules_vs_tuning_marks_every_rule_on_both_panels() -> None:
    result = lr_range_test(num_iter=40)
    tuning = tune_lr([None, "OneCycleLR"], grid=(0.05, 0.1), seeds=[1], epochs=2, progress=False)
    marks = {"min / 10": result.suggestion, "minimum": result.min_loss_lr}
    fig = rules_vs_tuning(result, tuning, marks)
    top, bottom = fig.axes
    vertical = [line for line in top.lines if len(set(line.get_xdata())) == 1]
    assert len(vertical) == len(marks)
    assert bottom.get_xscale() == "log" and len(fig.legends) == 1
    assert fig.get_figwidth() <= style.MAX_WIDTH
