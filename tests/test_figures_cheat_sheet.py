"""The cheat sheet's pictures in small: every scheduler of the series once, torch's own values, readable."""

from __future__ import annotations

import numpy as np
import pytest

import lrutils
from conftest import SERIES_SCHEDULERS as TAUGHT
from lrutils.figures import style
from lrutils.figures.cheat_sheet import PARTS, STEPS, in_small, panel_curve


def test_the_two_parts_show_every_scheduler_the_series_teaches_once() -> None:
    names = [panel.name for panels in PARTS.values() for panel in panels]
    assert sorted(names) == sorted(TAUGHT)


@pytest.mark.parametrize("part", sorted(PARTS))
def test_each_panel_draws_what_the_torch_scheduler_set(part: str) -> None:
    fig = in_small(part)
    assert [ax.get_title() for ax in fig.axes] == [panel.title for panel in PARTS[part]]
    for ax, panel in zip(fig.axes, PARTS[part], strict=True):
        drawn = ax.lines[0].get_ydata()[:-1]  # the staircase repeats the last value once
        assert np.array_equal(drawn, panel_curve(panel)) and len(drawn) == STEPS
        assert ax.get_ylim()[0] == 0.0 and ax.get_xlabel() == panel.note
    assert fig.get_figwidth() <= style.MAX_WIDTH and fig.get_figheight() <= style.MAX_HEIGHT


def test_panels_show_the_shapes_the_cheat_sheet_describes() -> None:
    curves = {panel.title: panel_curve(panel) for panels in PARTS.values() for panel in panels}
    assert int(np.argmax(curves["OneCycleLR"])) == 29  # pct_start 0.3 of 100 steps: the peak at step 29
    assert curves["CosineAnnealingWarmRestarts"][[10, 30, 70]].tolist() == [1.0, 1.0, 1.0]  # restarts
    assert curves["ReduceLROnPlateau"][0] == 1.0 and curves["ReduceLROnPlateau"][-1] < 0.01  # cut twice
    assert curves["BERT linear"][0] == 0.0 and curves["LinearLR"][0] == pytest.approx(0.1)
    expected = lrutils.torch_lr_curve("noam", STEPS, base_lr=1.0, d_model=512, warmup_steps=10)
    assert np.array_equal(curves["Noam"], expected) and int(np.argmax(expected)) == 9


def test_an_unknown_part_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"part must be one of \['composing', 'decays'\], got 'all'"):
        in_small("all")
