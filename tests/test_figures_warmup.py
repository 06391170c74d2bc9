"""Notebook 07's figures: readable sizes, staircases, legends outside the data."""

from __future__ import annotations

import numpy as np
import pytest

from lrutils.figures import style
from lrutils.figures.warmup import lr_curves


def test_lr_curves_draws_staircases_with_the_legend_outside_the_axes() -> None:
    fig = lr_curves({"a": np.linspace(1, 0, 5), "b": np.ones(5), "c": np.zeros(5)}, title="t")
    ax = fig.axes[0]
    assert [line.get_drawstyle() for line in ax.lines] == ["steps-post"] * 3
    assert ax.get_legend() is None and len(fig.legends) == 1  # a figure legend, below the panel
    assert fig.get_figwidth() <= style.MAX_WIDTH


def test_lr_curves_refuses_nothing_to_draw() -> None:
    with pytest.raises(ValueError, match="at least one curve"):
        lr_curves({})
