"""Notebook 09's figures: numpy lines with torch dots on them, lr and momentum in opposition."""

from __future__ import annotations

import numpy as np

from lrutils.figures import style
from lrutils.figures.cyclic import MODES, lr_and_momentum, modes


def test_modes_has_one_panel_per_mode_with_torch_dots_on_the_line() -> None:
    fig = modes(300)
    assert len(fig.axes) == len(MODES)
    for ax in fig.axes:
        line, dots = ax.lines
        x = dots.get_xdata().astype(int)
        np.testing.assert_allclose(dots.get_ydata(), line.get_ydata()[x], rtol=1e-12)
    assert fig.get_figwidth() <= style.MAX_WIDTH and len(fig.legends) == 1


def test_momentum_troughs_sit_at_lr_peaks() -> None:
    fig = lr_and_momentum(150)
    lr = fig.axes[0].lines[0].get_ydata()
    momentum = fig.axes[1].lines[0].get_ydata()
    assert int(np.argmax(lr[:50])) == int(np.argmin(momentum[:50])) == 25
    assert fig.get_figwidth() <= style.MAX_WIDTH
