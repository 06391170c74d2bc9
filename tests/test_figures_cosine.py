"""Figures of notebook 03: torch's cosine past T_max, the blog's sketch and a restart; the per-batch bug."""

from __future__ import annotations

import numpy as np
import pytest

from lrutils import torch_lr_curve
from lrutils.curves.blog import blog_sketch
from lrutils.figures import cosine
from lrutils.figures.style import MAX_WIDTH


def test_past_t_max_draws_torch_the_sketch_and_a_restart() -> None:
    fig = cosine.past_t_max(t_max=100, n_steps=300, base_lr=0.1)
    assert fig.get_figwidth() <= MAX_WIDTH and fig.legends and fig.axes[0].get_legend() is None
    ax = fig.axes[0]
    annealing, sketch, restarts = (line for line in ax.lines if line.get_label()[0] != "_")
    np.testing.assert_array_equal(
        annealing.get_ydata(), torch_lr_curve("CosineAnnealingLR", 300, base_lr=0.1, T_max=100)
    )
    np.testing.assert_array_equal(sketch.get_ydata(), blog_sketch("CosineAnnealingLR"))
    assert restarts.get_ydata()[100] == pytest.approx(0.1) and annealing.get_ydata()[200] == pytest.approx(0.1)
    assert sorted({round(float(x)) for x in (line.get_xdata()[0] for line in ax.lines[:2])}) == [100, 200]


def test_past_t_max_needs_steps_beyond_t_max() -> None:
    with pytest.raises(ValueError, match="larger than t_max"):
        cosine.past_t_max(t_max=100, n_steps=100)


def test_stepped_per_batch_is_linear_and_cycles() -> None:
    fig = cosine.stepped_per_batch(30, 30, base_lr=0.1, T_max=30)
    ax = fig.axes[0]
    assert ax.get_yscale() == "linear" and fig.get_figwidth() <= MAX_WIDTH
    bug = ax.lines[1].get_ydata()[:900]
    assert int(np.sum(bug < 1e-12)) == 15


def test_best_and_final_draws_each_seeds_best_and_final_loss() -> None:
    from lrutils import compare

    result = compare([None, "CosineAnnealingLR"], epochs=3, seeds=2, progress=False)
    fig = cosine.best_and_final(result)
    assert fig.get_figwidth() <= MAX_WIDTH and fig.legends and fig.axes[0].get_legend() is None
    ax = fig.axes[0]
    points = [line for line in ax.lines if line.get_linestyle() == "None"]
    assert len(points) == 4  # best and final, for each of the two schedules
    for i, label in enumerate(result.labels):
        best, final = points[2 * i], points[2 * i + 1]
        np.testing.assert_array_equal(best.get_ydata(), [h.val_loss.min() for h in result[label]])
        np.testing.assert_array_equal(final.get_ydata(), [h.val_loss[-1] for h in result[label]])
        assert best.get_markerfacecolor() == "white" and final.get_markerfacecolor() != "white"
    assert [t.get_text() for t in fig.legends[0].get_texts()][:2] == result.labels


def test_best_and_final_needs_a_label() -> None:
    from lrutils import compare

    with pytest.raises(ValueError, match="at least one schedule"):
        cosine.best_and_final(compare([None], epochs=2, seeds=2, progress=False), labels=[])
