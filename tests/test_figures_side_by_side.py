"""Figures of notebook 06 (lrutils.figures.side_by_side): the blog's grid against torch."""

from __future__ import annotations

import numpy as np
from matplotlib.text import Text

import lrutils
from lrutils.curves.blog import blog_sketch, blog_torch_curve
from lrutils.figures import style
from lrutils.figures.side_by_side import LOG_PANELS, blog_grid


def test_blog_grid_fits_the_column_and_uses_readable_fonts() -> None:
    lrutils.setup()
    fig = blog_grid()
    assert fig.get_figwidth() <= style.MAX_WIDTH
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    assert min(t.get_fontsize() for t in texts) >= style.SMALL_FONT


def test_blog_grid_draws_torch_under_the_sketch_and_logs_the_decays() -> None:
    fig = blog_grid()
    for ax, name in zip(fig.axes, lrutils.BLOG_SCHEDULERS, strict=False):
        torch_line, sketch_line = ax.lines
        np.testing.assert_array_equal(torch_line.get_ydata(), blog_torch_curve(name))
        np.testing.assert_array_equal(sketch_line.get_ydata(), blog_sketch(name))
        assert sketch_line.get_linestyle() == "--" and sketch_line.get_color() == "black"
        assert ax.get_yscale() == ("log" if name in LOG_PANELS else "linear")
        assert ax.get_ylabel() == ("lr (log scale)" if name in LOG_PANELS else "lr (linear)")  # says its scale
        assert ax.get_legend() is None
    assert len(fig.axes[-1].lines) == 5 and fig.axes[-1].get_yscale() == "log"
    assert fig.axes[-1].get_ylabel() == "lr (log scale)"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[-1] == "the blog's sketch" and labels[:5] == list(lrutils.BLOG_SCHEDULERS)


def test_the_five_together_differ_in_line_style() -> None:
    # matplotlib has no public getter for a custom dash pattern: "--" is all get_linestyle() says
    styles = {str(line._unscaled_dash_pattern) for line in blog_grid().axes[-1].lines}
    assert len(styles) == 5
