"""Notebook 08's figures: one panel per way to rise again, and the lr each batch really used."""

from __future__ import annotations

import numpy as np

from lrutils.curves.torch_reference import torch_fractional_epoch_lrs as used_lrs_fractional
from lrutils.figures import style
from lrutils.figures.restarts import RISES, fractional_epochs, rises_again


def test_rises_again_has_one_staircase_panel_per_curve() -> None:
    fig = rises_again(150)
    assert len(fig.axes) == len(RISES)
    assert all(ax.lines[0].get_drawstyle() == "steps-post" for ax in fig.axes)
    jumps = [np.flatnonzero(np.diff(ax.lines[0].get_ydata()) > 0.05) + 1 for ax in fig.axes]
    assert [j.tolist() for j in jumps] == [[], [50, 100], [10, 30, 70]]
    assert fig.get_figwidth() <= style.MAX_WIDTH


def test_fractional_stepping_restarts_on_time_and_the_docstring_loop_one_batch_late() -> None:
    on_time = used_lrs_fractional(T_0=2, T_mult=2, epochs=7, iters=30)
    docstring = used_lrs_fractional(T_0=2, T_mult=2, epochs=7, iters=30, shift=0)
    assert (np.flatnonzero(np.diff(on_time) > 0) + 1).tolist() == [60, 180]
    assert (np.flatnonzero(np.diff(docstring) > 0) + 1).tolist() == [61, 181]
    np.testing.assert_allclose(docstring[1:], on_time[:-1], rtol=1e-12)


def test_fractional_epochs_figure_draws_both_ways_with_the_legend_outside() -> None:
    fig = fractional_epochs()
    ax = fig.axes[0]
    assert len(ax.lines) == 2 and ax.get_legend() is None and len(fig.legends) == 1
    assert fig.get_figwidth() <= style.MAX_WIDTH
