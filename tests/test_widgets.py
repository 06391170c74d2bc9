"""Explorers: the values shown are the values drawn and printed, every control acts, the picture reads well."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import PIL.Image
import pytest
from matplotlib.text import Text

import lrutils
from lrutils.curves.composite import composite_names
from lrutils.curves.recipes import FACTOR_MAKERS
from lrutils.curves.synthetic import synthetic_val_loss
from lrutils.explorer import explore
from lrutils.explorer.code import value_text
from lrutils.explorer.controls import NONE_CHOICE, float_options, linear_grid, log_grid, shown
from lrutils.explorer.explorer import LOG_SCALE_FIRST, Explorer
from lrutils.explorer.panels import NO_GAIN_LABEL
from lrutils.explorer.picture import DENSITY, FONT_KEY
from lrutils.explorer.start import EXPLORER_MAX_STEPS

ALL_NAMES = [*lrutils.scheduler_names(), *composite_names()]
SLIDERS = (widgets.IntSlider, widgets.SelectionSlider)
FIXTURE = Path(__file__).parent / "browser" / "fixtures" / "03_every_explorer.ipynb"


def sliders(ex: Explorer, skip: tuple[str, ...] = ("base_lr", "n_steps")) -> dict[str, widgets.ValueWidget]:
    return {k: c for k, c in ex.controls.items() if k not in skip and isinstance(c, SLIDERS) and not c.disabled}


def positions(control: widgets.ValueWidget) -> list:
    """Every value a slider can take (what the browser can send)."""
    if isinstance(control, widgets.IntSlider):
        return list(range(control.min, control.max + 1))
    return [value for _, value in control.options]


@pytest.mark.parametrize("name", lrutils.scheduler_names())
def test_every_parameter_has_a_control(name: str) -> None:
    ex = explore(name)
    spec = lrutils.get_spec(name)
    expected = {p.name for p in spec.params} - ({"epochs", "steps_per_epoch"} if name == "OneCycleLR" else set())
    assert expected <= set(ex.controls)
    assert "lrutils-explorer" in ex._dom_classes and "lrutils-plot" in ex.image._dom_classes
    assert bytes(ex.image.value).startswith(b"\x89PNG")


@pytest.mark.parametrize("name", ALL_NAMES)
def test_moving_each_slider_redraws_what_lr_curve_says(name: str) -> None:
    """From the starting values, moving any one slider to the end of its range changes the picture."""
    for key in sliders(explore(name), skip=()):
        ex = explore(name)
        before_png, before_code = ex.image.value, ex.message.value
        slider = ex.controls[key]
        options = positions(slider)
        slider.value = options[-1] if slider.value != options[-1] else options[0]
        assert ex.valid, f"{name}: moving {key} to an end made an invalid combination: {ex.message.value}"
        assert ex.image.value != before_png, f"{name}: moving {key} did not change the picture"
        assert ex.message.value != before_code or key in ("loss flattens at", "loss noise")
        n_steps, base_lr, kwargs = ex.settings()
        assert np.array_equal(ex.curve, lrutils.lr_curve(name, n_steps, base_lr=base_lr, **kwargs))
        assert np.array_equal(ex.lr_panel.line.get_ydata(), ex.curve)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_value_shown_is_the_value_drawn_and_printed(name: str) -> None:
    ex = explore(name)
    code = ex.code()
    for key, control in ex.controls.items():
        if isinstance(control, widgets.SelectionSlider):
            labels = [label for label, _ in control.options]
            assert len(set(labels)) == len(labels), f"{key}: two positions look the same"
            for label, option in control.options:
                value = None if option == NONE_CHOICE else option  # the slider's stand-in for None
                assert label == value_text(value) and eval(label) == value  # exact: no neighbour float
        if key in ("loss flattens at", "loss noise"):
            continue
        text = shown(control).removesuffix(" (torch default)")
        if isinstance(control, widgets.Dropdown) and isinstance(control.value, str):
            text = repr(text)  # a menu shows min; the code says mode='min'
        if isinstance(control, widgets.Checkbox):
            text = repr(control.value)
        spec_default = {p.name: p.default for p in ex.spec.params}.get(key)
        if key == "base_lr":
            assert f"lr={text})" in code
        elif key == "n_steps":
            assert f"# {text} " in code
        elif isinstance(control, widgets.Text):
            assert f"{key}=[{text}]" in code
        elif f"{key}=" in code:
            assert f"{key}={text}" in code
        elif name in FACTOR_MAKERS:  # a published recipe: its settings are written into the printed def
            assert text in code, f"{key} shows {text} but the printed def does not contain it"
        else:
            assert text == value_text(spec_default), f"{key} shows {text} but the code leaves it out"


@pytest.mark.parametrize(
    "name,keywords",
    [
        ("StepLR", {"step_size": 500, "gamma": 0.37, "base_lr": 0.3, "n_steps": 1000}),
        ("ExponentialLR", {"gamma": 0.9999}),
        ("ConstantLR", {"factor": 1 / 3, "total_iters": 7}),
        ("OneCycleLR", {"max_lr": 0.3, "div_factor": 7.0, "pct_start": 0.123, "total_steps": 5000}),
        ("CyclicLR", {"base_lr": 0.0, "max_lr": 2.0, "gamma": 0.9, "mode": "exp_range"}),
        ("ReduceLROnPlateau", {"threshold": 0.0, "eps": 0.5, "min_lr": 0.05}),
    ],
)
def test_starting_values_are_kept_exactly_and_widen_the_slider(name: str, keywords: dict) -> None:
    ex = explore(name, **keywords)
    values = ex.values()
    for key, value in keywords.items():
        assert values[key] == value and type(values[key]) is type(value), f"{key}: {values[key]!r} != {value!r}"
        assert value_text(value) in ex.code() or key in ("total_steps",) or value == ex.spec.param(key).default
    n_steps, base_lr, kwargs = ex.settings()
    assert np.array_equal(ex.curve, lrutils.lr_curve(name, n_steps, base_lr=base_lr, **kwargs))


def test_step_size_beyond_the_slider_draws_what_was_asked() -> None:
    ex = explore("StepLR", step_size=500, n_steps=1000)
    assert ex.controls["step_size"].max == 500 and ex.curve[499] == ex.curve[0] and ex.curve[500] < ex.curve[0]


@pytest.mark.parametrize(
    "keywords,error,words",
    [
        ({"base_lr": -1}, ValueError, ["base_lr", ">= 0"]),
        ({"gamma": -1.0}, ValueError, ["gamma", "> 0"]),
        ({"stepsize": 3}, TypeError, ["stepsize", "did you mean 'step_size'"]),
        ({"n_steps": 0}, ValueError, ["n_steps", ">= 1"]),
        ({"n_steps": EXPLORER_MAX_STEPS + 1}, ValueError, ["n_steps", "100,000"]),
        ({"step_size": 2**60}, ValueError, ["step_size", "2**53"]),
    ],
)
def test_bad_starting_values_are_clear_errors(keywords: dict, error: type, words: list[str]) -> None:
    with pytest.raises(error) as info:
        explore("StepLR", **keywords)
    for word in words:
        assert word in str(info.value), f"{word!r} missing from {info.value}"


def test_unknown_names_get_a_suggestion() -> None:
    with pytest.raises(ValueError, match="did you mean 'CyclicLR'"):
        explore("CyclicLr")


def test_onecycle_with_epochs_and_steps_per_epoch() -> None:
    ex = explore("OneCycleLR", epochs=10, steps_per_epoch=100)
    assert {"epochs", "steps_per_epoch"} <= set(ex.controls) and "total_steps" not in ex.controls
    assert len(ex.curve) == 1000
    assert np.array_equal(ex.curve, lrutils.lr_curve("OneCycleLR", 1000, max_lr=0.1, epochs=10, steps_per_epoch=100))
    ex.controls["epochs"].value = 3
    assert len(ex.curve) == 300 and "epochs=3" in ex.code()
    with pytest.raises(ValueError, match="not both"):
        explore("OneCycleLR", total_steps=100, epochs=10, steps_per_epoch=10)


def test_plateau_uses_the_metrics_it_is_given() -> None:
    metrics = [1.0, 0.9, 0.9, 0.9, 0.9, 0.95, 0.8] + [0.8] * 20
    ex = explore("ReduceLROnPlateau", metrics=metrics, patience=2)
    assert "loss flattens at" not in ex.controls and len(ex.curve) == len(metrics) + 1
    assert np.array_equal(ex.curve, lrutils.lr_curve("ReduceLROnPlateau", 28, metrics=metrics, patience=2))
    ex.controls["n_steps"].value = 10
    assert np.array_equal(ex.curve, lrutils.lr_curve("ReduceLROnPlateau", 10, metrics=metrics, patience=2))
    assert ex.controls["n_steps"].max == len(metrics) + 1


def test_plateau_metric_controls_act() -> None:
    ex = explore("ReduceLROnPlateau", patience=5)
    ex.controls["loss flattens at"].value = 20
    cuts_early = np.nonzero(np.diff(ex.curve))[0][0] + 1
    metric = synthetic_val_loss(99, flat_from=20)
    assert np.array_equal(ex.curve, lrutils.lr_curve("ReduceLROnPlateau", 100, metrics=metric, patience=5))
    ex.controls["loss flattens at"].value = 60
    assert np.nonzero(np.diff(ex.curve))[0][0] + 1 > cuts_early


@pytest.mark.parametrize("key", ["threshold", "factor", "min_lr"])
def test_plateau_sliders_change_the_picture_all_along(key: str) -> None:
    """Ten evenly spaced positions: each changes the picture (threshold and min_lr are lines, factor the cuts)."""
    ex = explore("ReduceLROnPlateau")
    ex.controls["loss noise"].value = 0.01  # wiggles: a small threshold then matters too
    options = positions(ex.controls[key])
    pictures = set()
    for i in np.linspace(0, len(options) - 1, 10).astype(int):
        ex.controls[key].value = options[i]
        pictures.add(bytes(ex.image.value))
    assert len(pictures) == 10, f"only {len(pictures)} different pictures over 10 positions of {key}"


def test_plateau_choices_and_eps_show_their_effect() -> None:
    ex = explore("ReduceLROnPlateau")
    assert isinstance(ex.controls["eps"], widgets.Dropdown)  # not a slider: it matters only for tiny lrs
    panels = ex.plateau_panels
    assert len(panels.skipped.get_xdata()) == 0  # five cuts down to 1e-6: none skipped with eps=1e-8
    ex.controls["eps"].value = 1e-3  # cuts below ~1e-3 are now skipped: crosses on the lr panel
    assert len(panels.skipped.get_xdata()) > 0 and ex.curve.min() >= 1e-3 * 0.9
    for key, value in [("mode", "max"), ("threshold_mode", "abs")]:
        before = bytes(ex.image.value)
        ex.controls[key].value = value
        assert bytes(ex.image.value) != before, f"{key}={value!r} did not change the picture"


def test_a_control_that_would_do_nothing_is_greyed_out() -> None:
    ex = explore("CyclicLR")
    assert ex.controls["gamma"].disabled
    ex.controls["mode"].value = "exp_range"
    assert not ex.controls["gamma"].disabled
    ex.controls["cycle_momentum"].value = False
    assert ex.controls["base_momentum"].disabled and ex.controls["max_momentum"].disabled
    assert ex.momentum_panel.off.get_visible()


@pytest.mark.parametrize("name", ALL_NAMES)
def test_picture_is_2x_dense_and_no_text_is_under_10_px(name: str) -> None:
    ex = explore(name)
    for toggle in (ex.log_scale, ex.show_blog):
        toggle.value = not toggle.value
    png = bytes(ex.image.value)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (ex.figure.css_size[0] * DENSITY, ex.figure.css_size[1] * DENSITY)
    texts = [t for t in ex.figure.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts and not any("$" in t.get_text() for t in texts)  # no mathtext: its scripts are smaller
    smallest_css_px = min(t.get_fontsize() for t in texts)  # 1 pt = 1 CSS px: the figure is 72 px per inch
    assert smallest_css_px >= 10
    assert f"{FONT_KEY}\x00{smallest_css_px * DENSITY:g}".encode() in png  # what the browser test reads


def test_setup_font_size_does_not_shrink_the_explorer() -> None:
    import matplotlib

    with matplotlib.rc_context({"font.size": 6, "xtick.labelsize": 5, "legend.fontsize": 4}):
        ex = explore("OneCycleLR")
        ex.log_scale.value = True
    texts = [t for t in ex.figure.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert min(t.get_fontsize() for t in texts) >= 10


def test_display_carries_a_static_picture_and_stable_text() -> None:
    ex = explore("StepLR")
    first = bytes(ex.image.value)
    ex.controls["gamma"].value = 0.5
    data, metadata = ex._repr_mimebundle_()
    assert set(data) == {"text/plain", "image/png", "application/vnd.jupyter.widget-view+json"}
    assert data["text/plain"] == "<lrutils explorer: StepLR, 4 controls>" == repr(explore("StepLR"))
    saved = PIL.Image.open(io.BytesIO(base64.b64decode(data["image/png"])))  # the first picture, compressed hard
    assert np.array_equal(np.asarray(saved), np.asarray(PIL.Image.open(io.BytesIO(first))))
    assert len(base64.b64decode(data["image/png"])) < len(first)
    assert metadata["image/png"] == {"width": ex.figure.css_size[0], "height": ex.figure.css_size[1]}


def test_nothing_is_printed_on_slider_moves(capsys: pytest.CaptureFixture[str]) -> None:
    ex = explore("ReduceLROnPlateau")
    ex.controls["factor"].value = 0.5
    ex.controls["patience"].value = 0
    assert capsys.readouterr() == ("", "")


def test_an_invalid_combination_says_so_and_keeps_the_last_picture() -> None:
    ex = explore("OneCycleLR", total_steps=100)
    picture, code = bytes(ex.image.value), ex.code()
    ex.controls["total_steps"].value = 10
    ex.controls["pct_start"].value = 0.1  # 0.1 * 10 steps: a zero-length warm-up torch divides by zero on
    assert not ex.valid and "zero length" in ex.message.value and "Not drawn" in ex.message.value
    assert "total_steps=10" in ex.message.value  # the last code that worked is still shown, labelled as such
    ex.controls["pct_start"].value = 0.5
    assert ex.valid and bytes(ex.image.value) != picture and "zero length" not in ex.message.value
    assert ex.code() != code


def test_release_hook_gets_valid_settings_only() -> None:
    ex = explore("OneCycleLR", total_steps=100)
    seen = []
    ex.on_release(lambda e: seen.append(e.settings()))
    ex.controls["max_lr"].value = 0.5
    assert seen[-1][2]["max_lr"] == 0.5 and seen[-1][0] == 100
    ex.controls["total_steps"].value = 10
    ex.controls["pct_start"].value = 0.1  # invalid: no callback
    assert len(seen) == 2


def test_release_hook_errors_are_shown_not_raised() -> None:
    ex = explore("StepLR")

    def broken(_: Explorer) -> None:
        raise RuntimeError("training failed")

    ex.on_release(broken)
    ex.controls["gamma"].value = 0.5
    assert "broken raised RuntimeError: training failed" in ex.message.value


def test_an_extra_panel_is_under_the_others_and_can_be_drawn_into() -> None:
    height = explore("StepLR").figure.css_size[1]
    ex = Explorer("StepLR", extra_panels=["training loss"])
    ax = ex.extra_axes[0]
    assert ex.figure.css_size[1] > height and ax.get_ylabel() == "training loss"
    ax.plot([0, 99], [1.0, 0.2])
    before = bytes(ex.image.value)
    ex.render()
    assert bytes(ex.image.value) != before
    ex.controls["gamma"].value = 0.5  # redraws keep the panel
    assert ex.extra_axes[0] is ax and len(ax.lines) == 1


@pytest.mark.parametrize("name", ["StepLR", "ReduceLROnPlateau", "OneCycleLR"])
def test_log_scale_toggle_redraws_the_same_curve(name: str) -> None:
    ex = explore(name)
    log_png, curve = bytes(ex.image.value), ex.curve.copy()
    ex.log_scale.value = False
    assert ex.lr_panel.ax.get_yscale() == "linear" and bytes(ex.image.value) != log_png
    assert np.array_equal(ex.curve, curve) and ex.lr_panel.ax.get_ylabel() == "learning rate"
    ex.log_scale.value = True
    assert ex.lr_panel.ax.get_yscale() == "log" and ex.lr_panel.ax.get_ylabel() == "learning rate (log scale)"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_decays_open_on_a_log_axis_unless_they_reach_zero(name: str) -> None:
    """Notebook 02's advice: a decay reads on a log axis (equal factors, equal steps); a log axis cannot show 0."""
    ex = explore(name)
    expected = name in LOG_SCALE_FIRST and bool(np.all(ex.curve > 0))
    assert ex.log_scale.value is expected and (ex.lr_panel.ax.get_yscale() == "log") is expected
    assert ex.lr_panel.ax.get_ylabel() == ("learning rate (log scale)" if expected else "learning rate")
    assert name != "PolynomialLR" or not expected  # its default reaches 0 at total_iters


def test_cosine_to_zero_opens_on_a_linear_axis() -> None:
    ex = explore("CosineAnnealingLR", T_max=50)  # reaches 0 at step 50 of 100
    assert ex.curve.min() == 0 and not ex.log_scale.value and ex.lr_panel.ax.get_yscale() == "linear"


def test_plateau_legends_list_only_what_is_drawn() -> None:
    ex = explore("ReduceLROnPlateau")
    legend = ex.figure.legend_texts
    texts = [t.get_text() for t in legend()]
    assert "cut" in texts and "cut skipped (<= eps)" not in texts and "min_lr" not in texts  # min_lr=0, no skip
    assert not ex.plateau_panels.min_lr.get_visible()
    ex.controls["eps"].value = 1e-3  # cuts below ~1e-3 are now skipped: crosses on the lr panel
    assert "cut skipped (<= eps)" in [t.get_text() for t in legend()]
    ex.controls["min_lr"].value = 0.002
    assert ex.plateau_panels.min_lr.get_visible() and "min_lr" in [t.get_text() for t in legend()]
    ex.log_scale.value = False  # 0.002 of 0.12 would sit on the x axis of a linear panel: neither drawn nor listed
    assert not ex.plateau_panels.min_lr.get_visible() and "min_lr" not in [t.get_text() for t in legend()]
    ex = explore("ReduceLROnPlateau", metrics=list(np.linspace(1.0, 0.5, 99)))  # better every epoch: no cut
    texts = [t.get_text() for t in ex.figure.legend_texts()]
    assert "cut" not in texts and "not better" not in texts and "better: resets patience" in texts


def test_no_gain_sits_in_a_row_of_its_own_under_the_gain_numbers() -> None:
    ex = explore("ReduceLROnPlateau")  # flat from epoch 40: no gain at all from then on
    panels, ax = ex.plateau_panels, ex.plateau_panels.gain_ax
    _ = ex.figure.png(fresh=True)
    x, y = panels.gain_no.get_data()
    flat = np.asarray(x) > 42
    assert flat.any() and np.allclose(np.asarray(y)[flat], panels._row)
    ticks = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels() if t.get_text()}
    assert ticks.pop(NO_GAIN_LABEL) == pytest.approx(panels._row)
    assert min(ticks.values()) > 10 * panels._row  # every number is well above the row
    assert np.all(np.asarray(panels.gain_yes.get_data()[1]) > panels.no_gain_line.get_ydata()[0])


def test_grids_hold_round_numbers_exactly() -> None:
    assert linear_grid(0.8, 1.0)[:3] == [0.8, 0.802, 0.804] and 0.9 in linear_grid(0.8, 1.0)
    assert {0.05, 0.1, 0.5, 0.95} <= set(linear_grid(0.05, 1.0))
    assert {1e-4, 2e-4, 5e-4, 1e-3, 0.01, 0.1, 0.3} <= set(log_grid(1e-5, 0.1) + log_grid(0.1, 1.0))
    assert {25.0, 1e4} <= set(log_grid(1.0, 1e6))
    for grid in (linear_grid(0.0, 5.0), log_grid(1e-3, 1.0)):
        assert all(float(value_text(v)) == v and len(value_text(v)) <= 8 for v in grid)


def test_float_options_widen_to_hold_given_values() -> None:
    gamma = lrutils.get_spec("StepLR").param("gamma")
    options = float_options(gamma, [2.5])
    assert options[-1] == 2.5 and options[0] > 0  # gamma > 0: no 0 on the grid
    threshold = lrutils.get_spec("ReduceLROnPlateau").param("threshold")
    assert float_options(threshold, [0.0])[0] == 0.0  # threshold=0 is valid: added below the log grid


def test_the_every_explorer_fixture_covers_every_name() -> None:
    cells = json.loads(FIXTURE.read_text())["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    missing = [name for name in ALL_NAMES if f'explore("{name}"' not in source]
    assert not missing, f"tests/browser/fixtures/03_every_explorer.ipynb shows no explorer for {missing}"


COLUMN_PX = 934
"""JupyterLab's notebook column in a 1366x768 window with the file browser open (lrutils.figures.style)."""


@pytest.mark.parametrize("name", ALL_NAMES)
def test_picture_and_controls_fit_a_1366x768_screen(name: str) -> None:
    """The picture is at most 520 px tall, and it and the controls side by side fit the column."""
    ex = explore(name)
    width, height = ex.figure.css_size
    left, right = ex.children
    controls = int(left.layout.width.removesuffix("px")) + 10  # its right margin
    assert height <= 520 and controls + int(right.layout.width.removesuffix("px")) <= COLUMN_PX


@pytest.mark.parametrize("name", ["StepLR", "ReduceLROnPlateau", "OneCycleLR"])
def test_live_training_pictures_are_at_most_520_px_tall(name: str) -> None:
    assert explore(name, train=True).figure.css_size[1] <= 520
