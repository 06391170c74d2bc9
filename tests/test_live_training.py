"""explore(name, train=True): the picture's loss is the demo model trained with exactly the settings shown."""

from __future__ import annotations

import numpy as np
import pytest

import lrutils
from lrutils.explorer.live import constant_reference
from lrutils.training.demo import DEFAULT_EPOCHS, steps_per_epoch


def assert_run_matches_the_controls(ex: lrutils.Explorer) -> None:
    """The last run is lrutils.train with the explorer's settings; its loss is what the panel draws."""
    _, base_lr, kwargs = ex.settings()
    kwargs.pop("metrics", None)
    for key in ("epochs", "steps_per_epoch"):
        kwargs.pop(key, None)
    expected = lrutils.train(ex.name, epochs=DEFAULT_EPOCHS, seed=0, lr=base_lr, **kwargs)
    assert ex.live.history == expected
    if ex.plateau_panels is not None:  # the run's loss is the metric the panel shows, beside the constant's
        drawn = [line.get_ydata() for line in ex.plateau_panels.metric_ax.get_lines()]
        assert any(np.array_equal(y, expected.val_loss[:-1]) for y in drawn)
        assert any(np.array_equal(y, constant_reference().val_loss[:-1]) for y in drawn)
    else:
        drawn = [line.get_ydata() for line in ex.extra_axes[-1].get_lines()]
        assert any(np.array_equal(y, expected.val_loss) for y in drawn)
        assert any(np.array_equal(y, constant_reference().val_loss) for y in drawn)
    assert f"final val loss {expected.val_loss[-1]:.4f}" in ex.message.value


@pytest.mark.parametrize("name", ["StepLR", "OneCycleLR", "warmup_cosine"])  # epoch, batch, composite
def test_the_first_run_is_the_demo_with_the_shown_settings(name: str) -> None:
    ex = lrutils.explore(name, train=True)
    assert ex.live.history.epochs == DEFAULT_EPOCHS
    assert "n_steps" not in ex.controls and "epochs" not in ex.controls  # the budget is fixed
    assert_run_matches_the_controls(ex)


def test_moving_a_slider_retrains_with_the_new_value() -> None:
    ex = lrutils.explore("StepLR", train=True)
    before = ex.live.history
    ex.controls["gamma"].value = 0.5  # outside a kernel the release fires at once
    assert ex.live.history.kwargs["gamma"] == 0.5 and ex.live.history != before
    assert_run_matches_the_controls(ex)
    ex.controls["base_lr"].value = 0.2
    assert ex.live.history.base_lr == 0.2
    assert_run_matches_the_controls(ex)


def test_plateau_draws_the_cuts_of_the_run_it_trained() -> None:
    ex = lrutils.explore("ReduceLROnPlateau", train=True, patience=1)
    per_epoch = ex.live.history.lr[:: steps_per_epoch()]
    assert np.array_equal(ex.curve, per_epoch)  # the explorer's lr is the lr the run used
    assert len(np.unique(per_epoch)) > 1
    ex.controls["patience"].value = 4
    assert np.array_equal(ex.curve, ex.live.history.lr[:: steps_per_epoch()])
    assert_run_matches_the_controls(ex)


def test_a_run_that_blows_up_says_so() -> None:
    ex = lrutils.explore("StepLR", train=True, base_lr=50.0)  # far above the slider: it widens
    assert ex.live.history.failure is not None
    assert "this run: loss reached" in ex.message.value and "lower the lr" in ex.message.value
    assert any("diverged" in text.get_text() for text in ex.extra_axes[-1].texts)


def test_the_training_budget_cannot_be_changed_and_train_must_be_a_bool() -> None:
    for key in ("n_steps", "epochs", "metrics"):
        with pytest.raises(TypeError, match=key):
            lrutils.explore("OneCycleLR" if key == "epochs" else "StepLR", train=True, **{key: 10})
    with pytest.raises(TypeError, match="train"):
        lrutils.explore("StepLR", train="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["StepLR", "ReduceLROnPlateau"])
def test_the_saved_picture_has_the_loss_panel_at_the_size_the_notebook_records(name: str) -> None:
    import base64
    import io

    import PIL.Image

    ex = lrutils.explore(name, train=True)
    data, metadata = ex._repr_mimebundle_()
    saved = PIL.Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    size = metadata["image/png"]
    assert saved.size == (2 * size["width"], 2 * size["height"])  # drawn at twice the CSS size
    assert np.array_equal(np.asarray(saved), np.asarray(PIL.Image.open(io.BytesIO(bytes(ex.image.value)))))


def test_the_training_explorer_builds_and_renders_its_picture_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from lrutils.explorer.picture import ExplorerFigure

    built, rendered = [], []
    original_init, original_png = ExplorerFigure.__init__, ExplorerFigure.png

    def counting_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        original_init(self, *args, **kwargs)

    def counting_png(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append(1)
        return original_png(self, *args, **kwargs)

    monkeypatch.setattr(ExplorerFigure, "__init__", counting_init)
    monkeypatch.setattr(ExplorerFigure, "png", counting_png)
    lrutils.explore("StepLR", train=True)
    assert (len(built), len(rendered)) == (1, 1)
