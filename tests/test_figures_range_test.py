"""Notebook 10's figures: the smoothing at the start of a sweep, and where the rules land on real training."""

from __future__ import annotations

import numpy as np

from lrutils.figures import style
from lrutils.figures.range_test import smoothing_start, suggestions_trained, uncorrected_average
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


def test_suggestions_trained_draws_one_point_per_seed_and_the_reference_means() -> None:
    from lrutils.training.range_compare import compare_rules

    tests = [lr_range_test(seed=s, num_iter=30) for s in (0, 1, 2)]
    c = compare_rules(tests, epochs=2, progress=False)
    rules, references = c.labels[1:-1], [c.labels[0], c.labels[-1]]
    fig = suggestions_trained(c, rules, references)
    ax = fig.axes[0]
    points = [line for line in ax.lines if line.get_linestyle() == "None"]
    assert len(points) == 3
    valley = points[0]
    np.testing.assert_array_equal(valley.get_xdata(), [t.valley_lr for t in tests])
    np.testing.assert_array_equal(valley.get_ydata(), [h.val_loss[-1] for h in c[rules[0]]])
    means = [line for line in ax.lines if line.get_linestyle() != "None"]
    mean = np.mean([h.val_loss[-1] for h in c[references[0]]])
    assert means[0].get_ydata()[0] == mean and f"{mean:.4f}" in means[0].get_label()
    assert ax.get_xscale() == "log" and fig.get_figwidth() <= style.MAX_WIDTH
