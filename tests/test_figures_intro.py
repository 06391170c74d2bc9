"""Figures of notebook 00 (lrutils.figures.intro): readable on a projector, legends off the data."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.text import Text

import lrutils
from lrutils.curves import surface
from lrutils.figures import style
from lrutils.figures.intro import bowl_paths


def all_texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text()]


@pytest.fixture
def paths() -> dict[str, np.ndarray]:
    lrutils.setup()
    return {
        "lr = 0.01": surface.descend(0.01, steps=20, noise=1.0),
        "lr = 0.19": surface.descend(0.19, steps=20, noise=1.0),
        "cosine": surface.descend(lrutils.lr_curve("CosineAnnealingLR", 20, base_lr=0.19, T_max=20), noise=1.0),
    }


def test_bowl_paths_fits_the_column_and_uses_readable_fonts(paths) -> None:
    fig = bowl_paths(paths)
    assert fig.get_figwidth() <= style.MAX_WIDTH
    assert min(t.get_fontsize() for t in all_texts(fig)) >= style.SMALL_FONT


def test_bowl_paths_draws_every_path_twice_and_one_legend_outside(paths) -> None:
    fig = bowl_paths(paths)
    ax_map, ax_loss = fig.axes
    assert len(ax_loss.lines) == 3 and ax_loss.get_yscale() == "log"
    assert ax_map.get_legend() is None and ax_loss.get_legend() is None  # the legend is the figure's
    assert [t.get_text() for t in fig.legends[0].get_texts()] == list(paths)


def test_bowl_paths_refuses_nothing_to_draw() -> None:
    with pytest.raises(ValueError, match="at least one path"):
        bowl_paths({})
