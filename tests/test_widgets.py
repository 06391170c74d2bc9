"""Explorers: moving a slider from Python redraws the picture, and the picture is lr_curve's."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest

import lrutils
from lrutils.synthetic import synthetic_val_loss
from lrutils.widgets import Explorer, explore


def first_slider(ex: Explorer, skip: tuple[str, ...] = ("base_lr", "n_steps")) -> tuple[str, widgets.ValueWidget]:
    return next(
        (k, c)
        for k, c in ex.controls.items()
        if k not in skip and isinstance(c, (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider))
    )


@pytest.mark.parametrize("name", lrutils.scheduler_names())
def test_every_parameter_has_a_control(name: str) -> None:
    ex = explore(name)
    spec = lrutils.get_spec(name)
    expected = {p.name for p in spec.params} - ({"epochs", "steps_per_epoch"} if name == "OneCycleLR" else set())
    assert expected <= set(ex.controls)
    assert "lrutils-explorer" in ex._dom_classes and "lrutils-plot" in ex.image._dom_classes
    assert bytes(ex.image.value).startswith(b"\x89PNG")


@pytest.mark.parametrize("name", lrutils.scheduler_names())
def test_moving_a_slider_redraws_what_lr_curve_says(name: str) -> None:
    ex = explore(name)
    before_png, before_curve = ex.image.value, ex.curve.copy()
    key, slider = first_slider(ex)
    new = slider.max if slider.value != slider.max else slider.min
    slider.value = new
    assert ex.image.value != before_png, f"moving {key} did not change the picture"
    n_steps, base_lr, kwargs = ex.curve_kwargs()
    expected = lrutils.lr_curve(name, n_steps, base_lr=base_lr, **kwargs)
    assert np.array_equal(ex.curve, expected)
    assert np.array_equal(ex.line.get_ydata(), expected)
    assert not np.array_equal(ex.curve, before_curve) or name == "ReduceLROnPlateau"


def test_step_lr_values_from_python_match_lr_curve() -> None:
    ex = explore("StepLR")
    ex.controls["step_size"].value = 7
    ex.controls["gamma"].value = 0.5
    ex.controls["base_lr"].value = 0.2
    ex.controls["n_steps"].value = 50
    assert np.array_equal(ex.curve, lrutils.lr_curve("StepLR", 50, base_lr=0.2, step_size=7, gamma=0.5))
    assert "StepLR(optimizer, step_size=7, gamma=0.5)" in ex.message.value


def test_plateau_metric_controls_act() -> None:
    ex = explore("ReduceLROnPlateau", patience=5)
    ex.controls["loss flattens at"].value = 20
    cuts_early = np.nonzero(np.diff(ex.curve))[0][0] + 1
    metric = synthetic_val_loss(99, flat_from=20)
    assert np.array_equal(ex.curve, lrutils.lr_curve("ReduceLROnPlateau", 100, metrics=metric, patience=5))
    ex.controls["loss flattens at"].value = 60
    assert np.nonzero(np.diff(ex.curve))[0][0] + 1 > cuts_early
    picture = ex.image.value
    ex.controls["cooldown"].value = 10
    assert ex.image.value != picture


def test_onecycle_shows_momentum_and_refuses_bad_combinations() -> None:
    ex = explore("OneCycleLR", total_steps=100)
    momentum = ex.second_line.get_ydata()
    assert np.allclose(momentum, lrutils.momentum_curve("OneCycleLR", 100, max_lr=0.1, total_steps=100))
    picture = ex.image.value
    ex.controls["total_steps"].value = 10
    ex.controls["pct_start"].value = 0.1  # 0.1 * 10 steps: a zero-length warm-up torch divides by zero on
    assert "zero length" in ex.message.value
    ex.controls["pct_start"].value = 0.5
    assert ex.image.value != picture and "zero length" not in ex.message.value


def test_repr_is_stable() -> None:
    assert repr(explore("StepLR")) == repr(explore("StepLR")) == "<lrutils explorer: StepLR, 4 controls>"


def test_bad_overrides_are_clear() -> None:
    with pytest.raises(ValueError, match="unknown scheduler"):
        explore("Nope")
    with pytest.raises(ValueError, match="gamma"):
        explore("StepLR", gamma=-1.0)
    with pytest.raises(TypeError, match="stepsize"):
        explore("StepLR", stepsize=3)


@pytest.mark.parametrize("name", ["StepLR", "ReduceLROnPlateau", "OneCycleLR"])
def test_log_scale_toggle_redraws_the_same_curve(name: str) -> None:
    ex = explore(name)
    linear_png, curve = bytes(ex.image.value), ex.curve.copy()
    ex.log_scale.value = True
    assert ex.axes[0].get_yscale() == "log" and bytes(ex.image.value) != linear_png
    assert np.array_equal(ex.curve, curve)
    ex.log_scale.value = False
    assert ex.axes[0].get_yscale() == "linear"
