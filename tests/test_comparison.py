"""Comparison and Tuning: tables (text and HTML), verdicts that follow the intervals, failures
reported instead of drawn, and figures built without warnings."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from lrutils import History, Setup, compare, tune_lr
from lrutils.text.tables import Table
from lrutils.training.comparison import Comparison
from lrutils.training.history import Failure

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def small() -> Comparison:
    return compare([None, "CosineAnnealingLR", "OneCycleLR"], epochs=3, seeds=4, progress=False)


def fake(label: str, finals: list[float], failed: tuple[int, ...] = ()) -> list[History]:
    """Histories with the given final val losses (for testing the verdict logic)."""
    out = []
    for seed, value in enumerate(finals):
        failure = Failure(step=3, epoch=1, lr=9.0, loss=float("nan")) if seed in failed else None
        loss = np.array([np.nan if failure else value])
        out.append(
            History(
                None if label == "constant" else label,
                {},
                np.zeros(30),
                np.zeros(30),
                loss,
                loss,
                loss,
                30,
                seed,
                0.1,
                failure=failure,
            )
        )
    return out


def comparison(**finals: list[float]) -> Comparison:
    runs = {label: fake(label, values) for label, values in finals.items()}
    return Comparison(runs, {label: Setup(None, 0.1) for label in runs}, baseline="constant")


def test_table_text_is_fixed_precision_and_html_matches(small: Comparison) -> None:
    text = repr(small)
    lines = text.splitlines()
    assert lines[0] == "4 seeds (0-3), 3 epochs"
    assert lines[1].split()[:2] == ["schedule", "lr"]
    assert lines[2].startswith("constant") and "(baseline)" in lines[2]
    mean = small.summary("OneCycleLR").mean
    assert f"{mean:.4f}" in lines[4] and lines[4].rstrip().endswith(f"{small.paired('OneCycleLR').wins}/4")
    html = small._repr_html_()
    assert html.startswith("<table") and f"{mean:.4f}" in html and "white-space:nowrap" in html


def test_verdict_says_a_difference_only_when_the_interval_excludes_zero() -> None:
    c = comparison(constant=[0.50, 0.52, 0.48, 0.51], lower=[0.45, 0.46, 0.44, 0.455], noisy=[0.40, 0.60, 0.45, 0.55])
    assert c.verdict("lower").startswith("lower: lower final val loss than constant")
    assert "lower on 4 of 4 seeds" in c.verdict("lower")
    assert c.verdict("noisy").startswith("noisy: no clear difference from constant")
    assert c.verdict("constant") == "constant is the baseline"


def test_failed_runs_are_counted_and_left_out() -> None:
    runs = {"constant": fake("constant", [0.5, 0.5, 0.5]), "wild": fake("wild", [0.4, 0.41, 0.0], failed=(2,))}
    c = Comparison(runs, {"constant": Setup(None, 0.1), "wild": Setup(None, 50.0)}, baseline="constant")
    assert c.summary("wild").n == 2 and c.paired("wild").n == 2
    assert "wild (1 failed)" in repr(c)
    assert "1 of 3 runs failed" in c.verdict("wild")
    all_failed = Comparison(
        {"constant": fake("constant", [0.5]), "x": fake("x", [0.0], failed=(0,))},
        {"constant": Setup(None, 0.1), "x": Setup(None, 9.0)},
        baseline="constant",
    )
    assert "all runs failed" in repr(all_failed)


def test_plot_draws_median_and_band_and_marks_failures(small: Comparison) -> None:
    fig = small.plot()
    ax_lr, ax_loss, ax_final = fig.axes
    assert ax_lr.get_yscale() == "log"
    medians = [line for line in ax_loss.get_lines()]
    assert len(medians) == 3  # one line per schedule, not one per seed
    expected = np.median(np.stack([h.val_loss for h in small["OneCycleLR"]]), axis=0)
    assert np.allclose(medians[2].get_ydata(), expected)
    assert len(ax_loss.collections) == 3  # the bands
    with pytest.raises(ValueError, match="band"):
        small.plot(band="sd")


def test_plot_with_a_failed_run_gives_no_numpy_warnings() -> None:
    c = compare({"ok": Setup(None, 0.05), "blows up": Setup(None, 60.0)}, epochs=2, seeds=2, progress=False)
    assert all(h.failed for h in c["blows up"])
    c.plot()  # pytest turns any RuntimeWarning (nanmedian of an all-NaN column ...) into an error
    assert "all runs failed" in repr(c)


def test_tuning_table_and_plot() -> None:
    t = tune_lr([None, "StepLR"], grid=(0.05, 0.1), seeds=[1], epochs=2, progress=False)
    text = repr(t)
    assert text.splitlines()[1].split() == ["schedule", "lr", "0.05", "lr", "0.1"]
    assert text.count("*") == 2 + 1  # one per schedule, plus the caption explaining it
    ax = t.plot().axes[0]
    assert ax.get_xscale() == "log"


def test_table_rejects_ragged_rows() -> None:
    with pytest.raises(ValueError, match="2 cells"):
        Table(["a", "b"], [["1"]])


def test_metrics_measure_what_they_say(small: Comparison) -> None:
    from lrutils.training.metrics import metric_value

    h = small["constant"][0]
    assert metric_value(h, "val_loss@2") == h.val_loss[1]
    assert metric_value(h, "gap") == h.val_loss[-1] - h.train_loss[-1]
    assert metric_value(h, "best_val_loss") == h.val_loss.min()
    assert np.isclose(metric_value(h, "jitter"), np.abs(np.diff(h.val_loss)).mean())
    with pytest.raises(ValueError, match="metric must be one of"):
        metric_value(h, "val_los")
    with pytest.raises(ValueError, match="1..3"):
        metric_value(h, "val_loss@4")
    table = small.metric_table(["val_loss@1", "gap"]).text()
    assert "gap: validation loss minus training loss" in table and "after epoch 1" in table


def test_agreement_is_a_bound_not_last_bit_noise() -> None:
    from lrutils import agreement

    text = agreement("CosineAnnealingLR", 300, T_max=100)
    expected = "CosineAnnealingLR, 300 steps: lrutils.lr_curve and torch agree to within 3e-12 of the largest lr"
    assert text == expected + " at every step"  # max(1e-12, 1e-14 * 300): torch's recursion drifts with the run
    plateau = agreement("ReduceLROnPlateau", 20, patience=1, metrics=[1.0] * 19)
    assert "agree to within 1e-12" in plateau
