"""train / compare / tune_lr / bake_off: what they train, what they check, what they report."""

from __future__ import annotations

import math
import warnings

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

import lrutils
from conftest import assert_agrees
from lrutils import Setup, bake_off, compare, plot_history, train, tune_lr
from lrutils.text.progress import ProgressBar
from lrutils.training.demo import DEFAULT_LR, demo_kwargs, steps_per_epoch
from lrutils.training.engine import MOMENTUM

matplotlib.use("Agg")

FIVE = ("StepLR", "ExponentialLR", "CosineAnnealingLR", "ReduceLROnPlateau", "OneCycleLR")


@pytest.mark.parametrize("name", [None, "OneCycleLR", "ReduceLROnPlateau"])
def test_two_runs_are_bit_identical(name: str | None) -> None:
    assert train(name, epochs=3, seed=7) == train(name, epochs=3, seed=7)


def test_seed_matters_and_global_state_is_left_alone() -> None:
    torch.manual_seed(123)
    expected_next = torch.rand(3)
    torch.manual_seed(123)
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        a = train(None, epochs=2, seed=0)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(threads)
    assert torch.equal(torch.rand(3), expected_next)  # the caller's RNG stream is untouched
    assert not np.array_equal(a.val_loss, train(None, epochs=2, seed=1).val_loss)


@pytest.mark.parametrize("name", FIVE)
def test_recorded_lr_equals_lr_curve(name: str) -> None:
    epochs = 10
    extra = {"patience": 0} if name == "ReduceLROnPlateau" else {}  # make sure it cuts
    h = train(name, epochs=epochs, **extra)
    spe = h.steps_per_epoch
    unit = lrutils.get_spec(name).unit
    if unit == "batch":
        expected = lrutils.lr_curve(name, epochs * spe, base_lr=h.base_lr, **h.kwargs)
    elif unit == "metric":
        expected = np.repeat(lrutils.lr_curve(name, epochs, base_lr=h.base_lr, metrics=h.val_loss, **h.kwargs), spe)
    else:
        expected = np.repeat(lrutils.lr_curve(name, epochs, base_lr=h.base_lr, **h.kwargs), spe)
    assert_agrees(h.lr, expected, scale=h.base_lr)
    assert len(np.unique(h.lr)) > 1  # the schedule really moved the lr


def test_constant_keeps_lr_and_momentum() -> None:
    flat = train(None, epochs=1)
    assert np.all(flat.lr == DEFAULT_LR) and np.all(flat.momentum == MOMENTUM)


def test_no_warnings_for_any_scheduler() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in (None, *lrutils.scheduler_names(), *lrutils.composite_names()):
            train(name, epochs=2)


def test_a_diverging_run_stops_and_says_where_at_once() -> None:
    with pytest.warns(
        lrutils.training.history.TrainingFailed,
        match=r"StepLR \(seed 0\): loss .* in epoch 1 .* at lr 50.*lower the lr",
    ):
        h = lrutils.train("StepLR", lr=50.0, epochs=3)
    assert h.failure is not None and h.failure.epoch == 1 and h.failure.lr == 50.0


def test_adamw_trains_and_records_beta1() -> None:
    h = train("LinearLR", epochs=2, lr=0.003, optimizer="adamw")
    assert h.optimizer == "adamw" and np.all(h.momentum == 0.9) and np.isfinite(h.val_loss).all()


def test_demo_kwargs_and_overrides() -> None:
    spe = steps_per_epoch()
    assert demo_kwargs("StepLR", 30, spe, 0.2) == {"step_size": 10, "gamma": 0.3}
    assert math.isclose(demo_kwargs("ExponentialLR", 30, spe, 0.2)["gamma"] ** 30, 0.01)
    assert demo_kwargs("OneCycleLR", 5, spe, 0.1) == {"max_lr": 0.1, "epochs": 5, "steps_per_epoch": spe}
    assert train("StepLR", epochs=3, gamma=0.5).kwargs == {"step_size": 1, "gamma": 0.5}
    assert train("CosineAnnealingLR", epochs=2, lr=0.05).lr[0] == 0.05


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"name": "Nope"}, ValueError, ["Nope", "StepLR", "OneCycleLR"]),
        ({"name": 3}, TypeError, ["name"]),
        ({"name": None, "epochs": 0}, ValueError, ["epochs"]),
        ({"name": None, "epochs": 2.0}, TypeError, ["epochs"]),
        ({"name": None, "epochs": True}, TypeError, ["epochs"]),
        ({"name": None, "epochs": 10**6}, ValueError, ["epochs", "1000"]),
        ({"name": None, "lr": 0.0}, ValueError, ["lr"]),
        ({"name": None, "lr": math.nan}, ValueError, ["lr"]),
        ({"name": None, "lr": math.inf}, ValueError, ["lr"]),
        ({"name": None, "lr": "0.1"}, TypeError, ["lr"]),
        ({"name": None, "seed": -1}, ValueError, ["seed"]),
        ({"name": None, "optimizer": "adam"}, ValueError, ["optimizer", "sgd", "adamw"]),
        ({"name": None, "gamma": 0.5}, TypeError, ["gamma"]),
        ({"name": "StepLR", "gama": 0.5}, TypeError, ["gama"]),
        ({"name": "StepLR", "gamma": -1.0}, ValueError, ["gamma"]),
        ({"name": "OneCycleLR", "epochs": 2, "total_steps": 5}, ValueError, ["total_steps", "60"]),
        # torch would die with ZeroDivisionError in the middle of training; lr_curve's check says why first
        ({"name": "ConstantLR", "epochs": 3, "factor": 0.0, "total_iters": 1}, ValueError, ["factor"]),
    ],
)
def test_bad_input_names_the_parameter(kwargs: dict, error: type[Exception], words: list[str]) -> None:
    with pytest.raises(error) as info:
        train(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_cyclic_overflow_is_refused_before_training() -> None:
    # triangular2 halves the amplitude every cycle; after 1024 cycles torch overflows. 3 epochs of
    # 30 batches with step_size_up=1 is 45 cycles: fine. With 1 step per half cycle and 40 epochs
    # (1200 steps = 600 cycles) still fine; the check is what lr_curve says about this exact run.
    with pytest.raises(ValueError, match="CyclicLR"):
        train("CyclicLR", epochs=80, step_size_up=1, mode="triangular2")


def test_compare_reports_every_seed_and_pairs_with_the_baseline() -> None:
    c = compare([None, "CosineAnnealingLR"], epochs=3, seeds=4, progress=False)
    assert c.labels == ["constant", "CosineAnnealingLR"] and c.seeds == [0, 1, 2, 3]
    assert c.baseline == "constant"
    for label in c.labels:
        assert [h.seed for h in c[label]] == c.seeds
    assert c["CosineAnnealingLR"][2] == train("CosineAnnealingLR", epochs=3, seed=2)
    losses = [h.val_loss[-1] for h in c["CosineAnnealingLR"]]
    assert math.isclose(c.summary("CosineAnnealingLR").mean, float(np.mean(losses)), rel_tol=1e-12)
    p = c.paired("CosineAnnealingLR")
    diffs = [a.val_loss[-1] - b.val_loss[-1] for a, b in zip(c["CosineAnnealingLR"], c["constant"], strict=True)]
    assert p.wins == sum(d < 0 for d in diffs) and math.isclose(p.difference.mean, float(np.mean(diffs)), rel_tol=1e-12)


def test_compare_with_setups_and_per_label_lrs() -> None:
    c = compare(
        {"constant, too large": Setup(None, 0.4), "constant": None, "step": Setup("StepLR", kwargs={"gamma": 0.5})},
        epochs=2,
        seeds=[3, 4],
        lr={"constant": 0.05, "step": 0.1},
        baseline="constant",
        progress=False,
    )
    assert c.lrs == {"constant, too large": 0.4, "constant": 0.05, "step": 0.1}
    assert c["step"][0].kwargs["gamma"] == 0.5 and c["step"][1].seed == 4
    with pytest.raises(ValueError, match="lr has no entry"):
        compare([None, "StepLR"], epochs=1, seeds=1, lr={"StepLR": 0.1}, progress=False)


def test_compare_bad_input() -> None:
    with pytest.raises(ValueError, match="names"):
        compare([], progress=False)
    with pytest.raises(ValueError, match="repeat"):
        compare(["StepLR", "StepLR"], progress=False)
    with pytest.raises(TypeError, match="names"):
        compare("StepLR", progress=False)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Bogus"):
        compare([None, "Bogus"], epochs=1, progress=False)
    with pytest.raises(ValueError, match="seeds"):
        compare([None], seeds=[1, 1], progress=False)
    with pytest.raises(ValueError, match="baseline"):
        compare([None], seeds=1, baseline="StepLR", progress=False)


def test_tune_lr_keeps_the_best_mean_and_never_a_failed_point() -> None:
    t = tune_lr([None, "StepLR"], grid=(0.05, 0.1, 80.0), seeds=[7, 8], epochs=2, progress=False)
    assert set(t.best) == {"constant", "StepLR"} and all(v != 80.0 for v in t.best.values())
    for label in t.labels:
        means = {lr: t.mean_loss(label, lr) for lr in t.grid}
        assert math.isnan(means[80.0])  # lr 80 diverges: every run of that point failed
        assert t.best[label] == min((m, lr) for lr, m in means.items() if not math.isnan(m))[1]
    assert "failed" in t.table().text() and "*" in t.table().text()


def test_bake_off_tunes_on_other_seeds_then_compares() -> None:
    c = bake_off([None, "StepLR"], grid=(0.05, 0.1), tuning_seeds=[50], seeds=2, epochs=2, progress=False)
    assert c.tuning is not None and c.tuning.seeds == [50] and c.seeds == [0, 1]
    assert c.lrs == c.tuning.best


def test_compare_shows_a_progress_bar_with_a_stable_text_form(monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display

    from lrutils.text import progress

    shown = []
    monkeypatch.setattr(progress, "in_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append((obj, repr(obj))))
    compare([None, "ExponentialLR"], epochs=1, seeds=2)
    [(bar, text)] = shown
    assert isinstance(bar, ProgressBar) and text == "[training (2 schedules x 2 seeds): 4 runs]"
    assert bar.value == bar.max and bar.bar_style == "success"


def test_compare_prints_nothing_outside_a_kernel(capsys: pytest.CaptureFixture[str]) -> None:
    compare([None, "StepLR"], epochs=1, seeds=1)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_plot_history_draws_lr_as_steps_on_a_log_axis() -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    runs = {"constant 0.05": train(None, epochs=2, lr=0.05), "cosine": train("CosineAnnealingLR", epochs=2)}
    fig = plot_history(runs)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    assert fig.axes[0].get_yscale() == "log"
    assert fig.axes[0].get_lines()[1].get_drawstyle() == "steps-post"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:2] == ["constant 0.05", "cosine"]
    assert plt.get_fignums() == before  # nothing registered with pyplot
