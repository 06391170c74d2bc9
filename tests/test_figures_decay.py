"""Figures of notebooks 01 and 02: they draw what they say (torch's values, staircases, log axes) and follow
lrutils.figures.style (width, legend outside the data)."""

from __future__ import annotations

import numpy as np
import pytest

from lrutils import lr_curve, torch_lr_curve
from lrutils.figures import decay
from lrutils.figures.style import MAX_WIDTH


def check_style(fig) -> None:
    assert fig.get_figwidth() <= MAX_WIDTH
    assert fig.legends, "one legend for the figure, outside the panels"
    assert all(ax.get_legend() is None for ax in fig.axes), "no legend on top of the data"
    assert all(len(ax.lines) <= 5 for ax in fig.axes)


def test_curve_vs_torch_draws_torch_on_the_formula_and_the_sketch() -> None:
    fig = decay.curve_vs_torch("StepLR", 100, base_lr=0.1, step_size=10, gamma=0.5)
    check_style(fig)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log"
    sketch, formula, dots = ax.lines
    assert sketch.get_drawstyle() == formula.get_drawstyle() == "steps-post"
    np.testing.assert_array_equal(
        dots.get_ydata(), torch_lr_curve("StepLR", 100, base_lr=0.1, step_size=10, gamma=0.5)[::2]
    )
    np.testing.assert_array_equal(
        formula.get_ydata()[:100], lr_curve("StepLR", 100, base_lr=0.1, step_size=10, gamma=0.5)
    )
    assert formula.get_xdata()[-1] == 100, "the last epoch's stair is drawn to its end"


def test_curve_vs_torch_two_scales() -> None:
    fig = decay.curve_vs_torch("ExponentialLR", 100, base_lr=0.1, scales=("linear", "log"), gamma=0.9)
    check_style(fig)
    assert [ax.get_yscale() for ax in fig.axes] == ["linear", "log"]


def test_curve_vs_torch_leaves_out_the_sketch_beyond_the_blogs_100_epochs() -> None:
    fig = decay.curve_vs_torch("ExponentialLR", 150, gamma=0.95)
    assert len(fig.axes[0].lines) == 2


@pytest.mark.parametrize("scales", [(), ("loglog",)])
def test_curve_vs_torch_refuses_unknown_scales(scales) -> None:
    with pytest.raises(ValueError, match="scales"):
        decay.curve_vs_torch("StepLR", 10, scales=scales, step_size=2)


def test_stepped_per_batch_shows_both_from_torch_against_epochs() -> None:
    fig = decay.stepped_per_batch("StepLR", 30, 30, base_lr=0.1, step_size=10, gamma=0.5)
    check_style(fig)
    (ax,) = fig.axes
    meant, bug = ax.lines
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"
    assert meant.get_xdata()[-1] == bug.get_xdata()[-1] == 30
    np.testing.assert_array_equal(
        bug.get_ydata()[:900], torch_lr_curve("StepLR", 900, base_lr=0.1, step_size=10, gamma=0.5)
    )
    assert meant.get_ydata()[0] == meant.get_ydata()[299] == 0.1 and meant.get_ydata()[300] == 0.05


def test_staircases_long_labels_get_one_legend_column_and_bad_input_raises() -> None:
    fig = decay.staircases({"a label longer than twenty-eight characters": np.ones(3), "b": np.ones(3)})
    check_style(fig)
    assert fig.legends[0]._ncols == 1
    with pytest.raises(ValueError, match="at least one curve"):
        decay.staircases({})
    with pytest.raises(ValueError, match="per"):
        decay.staircases({"a": np.ones(3)}, per=0)
