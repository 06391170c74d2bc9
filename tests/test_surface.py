"""Tests for lrutils.curves.surface: the 2-D bowl, gradient descent on it, and its picture."""

from __future__ import annotations

import numpy as np
import pytest

import lrutils
from lrutils.curves import surface


def test_loss_is_the_bowl():
    assert surface.loss((0.0, 0.0)) == 0.0
    assert surface.loss((2.0, 1.0), curvature=(1.0, 10.0)) == pytest.approx(0.5 * (4 + 10))
    grid = np.zeros((4, 5, 2))
    assert surface.loss(grid).shape == (4, 5)


def test_one_step_multiplies_each_coordinate_by_one_minus_lr_times_curvature():
    path = surface.descend(0.05, steps=1, start=(2.0, 1.0), curvature=(1.0, 10.0))
    np.testing.assert_allclose(path[1], [2.0 * (1 - 0.05), 1.0 * (1 - 0.5)])


@pytest.mark.parametrize("curvature", [(1.0, 10.0), (1.0, 25.0), (3.0, 2.0)])
def test_max_stable_lr_separates_converging_from_diverging(curvature):
    limit = surface.max_stable_lr(curvature)
    assert limit == pytest.approx(2 / max(curvature))
    below = surface.descend(0.95 * limit, steps=300, curvature=curvature)
    above = surface.descend(1.05 * limit, steps=300, curvature=curvature)
    assert surface.loss(below[-1], curvature) < 1e-3 * surface.loss(below[0], curvature)
    assert surface.loss(above[-1], curvature) > surface.loss(above[0], curvature)


def test_schedule_array_and_constant_agree():
    constant = surface.descend(0.1, steps=20)
    schedule = surface.descend(np.full(20, 0.1))
    np.testing.assert_array_equal(constant, schedule)


def test_noise_is_reproducible_and_seeded():
    a = surface.descend(0.1, steps=30, noise=1.0, seed=3)
    b = surface.descend(0.1, steps=30, noise=1.0, seed=3)
    c = surface.descend(0.1, steps=30, noise=1.0, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_decaying_lr_settles_lower_than_large_constant_under_noise():
    """What notebook 00 shows: with noisy gradients a cosine schedule ends closer to the minimum."""
    steps = 60
    cosine = lrutils.lr_curve("CosineAnnealingLR", steps, base_lr=0.19, T_max=steps)
    ends = {}
    for label, lr in {"large": 0.19, "cosine": cosine}.items():
        losses = [
            surface.loss(surface.descend(lr, steps=None if label == "cosine" else steps, noise=1.0, seed=s)[-10:])
            for s in range(5)
        ]
        ends[label] = float(np.mean(losses))
    assert ends["cosine"] < 0.5 * ends["large"]


def test_diverging_path_is_returned_without_warnings():
    path = surface.descend(1.0, steps=2000)  # overflows to inf/nan, silently
    assert path.shape == (2001, 2)
    assert not np.all(np.isfinite(path[-1]))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"lr": 0.1}, "steps"),
        ({"lr": 0.1, "steps": -1}, "steps"),
        ({"lr": np.ones((2, 2))}, "1-D"),
        ({"lr": np.ones(3), "steps": 4}, "does not match"),
        ({"lr": np.array([0.1, -0.1])}, ">= 0"),
        ({"lr": 0.1, "steps": 3, "noise": -1.0}, "noise"),
        ({"lr": 0.1, "steps": 3, "curvature": (1.0, 0.0)}, "curvature"),
        ({"lr": 0.1, "steps": 3, "start": (1.0, 2.0, 3.0)}, "start"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(kwargs, error):
    with pytest.raises(ValueError, match=error):
        surface.descend(**kwargs)


def test_loss_rejects_points_without_xy():
    with pytest.raises(ValueError, match="last axis"):
        surface.loss(np.zeros(3))
