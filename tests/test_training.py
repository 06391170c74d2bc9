"""The training demo: deterministic, steps each scheduler as meant, and schedules beat constant lr."""

from __future__ import annotations

import math
import warnings

import matplotlib
import numpy as np
import pytest
import torch
from conftest import assert_agrees
from matplotlib.figure import Figure

from lrutils import training
from lrutils.training import (
    DEFAULT_LR,
    History,
    compare,
    demo_kwargs,
    plot_history,
    results_table,
    steps_per_epoch,
    train,
)

matplotlib.use("Agg")

FIVE = ("StepLR", "ExponentialLR", "CosineAnnealingLR", "ReduceLROnPlateau", "OneCycleLR")
FALLBACK_UNITS = {
    "StepLR": "epoch",
    "ExponentialLR": "epoch",
    "CosineAnnealingLR": "epoch",
    "ReduceLROnPlateau": "metric",
    "OneCycleLR": "batch",
}


def unit_of(name: str) -> str:
    try:
        from lrutils.schedules import get_spec
    except ImportError:  # pragma: no cover - only while lrutils.schedules is being written
        return FALLBACK_UNITS[name]
    return get_spec(name).unit


def assert_identical(a: History, b: History) -> None:
    for key in ("lr", "momentum", "train_loss", "val_loss", "val_acc"):
        x, y = getattr(a, key), getattr(b, key)
        assert x.dtype == y.dtype and x.tobytes() == y.tobytes(), key
    assert (a.name, a.kwargs, a.steps_per_epoch) == (b.name, b.kwargs, b.steps_per_epoch)
    assert a == b


@pytest.fixture(scope="module")
def default_runs() -> dict[str | None, History]:
    return compare([None, *FIVE], progress=False)


@pytest.mark.parametrize("name", [None, "OneCycleLR", "ReduceLROnPlateau"])
def test_two_runs_are_bit_identical(name: str | None) -> None:
    assert_identical(train(name, epochs=3, seed=7), train(name, epochs=3, seed=7))


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
    b = train(None, epochs=2, seed=1)
    assert not np.array_equal(a.val_loss, b.val_loss)


@pytest.mark.parametrize("name", FIVE)
def test_recorded_lr_equals_lr_curve(name: str) -> None:
    from lrutils import lr_curve

    epochs = 10
    extra = {"patience": 0} if name == "ReduceLROnPlateau" else {}  # make sure it cuts
    h = train(name, epochs=epochs, **extra)
    spe = h.steps_per_epoch
    assert h.lr.shape == h.momentum.shape == (epochs * spe,)
    unit = unit_of(name)
    if unit == "batch":
        expected = lr_curve(name, epochs * spe, base_lr=h.base_lr, **h.kwargs)
    elif unit == "metric":
        expected = np.repeat(lr_curve(name, epochs, base_lr=h.base_lr, metrics=h.val_loss, **h.kwargs), spe)
    else:
        expected = np.repeat(lr_curve(name, epochs, base_lr=h.base_lr, **h.kwargs), spe)
    assert_agrees(h.lr, expected, scale=h.base_lr)
    assert len(np.unique(h.lr)) > 1  # the schedule really moved the lr


def test_onecycle_records_momentum_and_constant_keeps_it() -> None:
    from lrutils import momentum_curve

    h = train("OneCycleLR", epochs=2)
    expected = momentum_curve("OneCycleLR", len(h.lr), base_lr=h.base_lr, **h.kwargs)
    assert_agrees(h.momentum, expected, scale=1.0)
    flat = train(None, epochs=1)
    assert np.all(flat.lr == DEFAULT_LR) and np.all(flat.momentum == training.MOMENTUM)


def test_schedules_beat_constant_lr_with_defaults(default_runs: dict[str | None, History]) -> None:
    baseline = default_runs[None].val_loss[-1]
    finals = {name: default_runs[name].val_loss[-1] for name in FIVE}
    winners = [name for name, loss in finals.items() if loss < baseline]
    assert len(winners) >= 3, (baseline, finals)
    assert all(h.epochs == training.DEFAULT_EPOCHS for h in default_runs.values())


def test_no_warnings_for_any_scheduler() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in (None, *FIVE):
            train(name, epochs=2)


def test_demo_kwargs_and_overrides() -> None:
    spe = steps_per_epoch()
    assert demo_kwargs("StepLR", 30, spe, 0.2) == {"step_size": 10, "gamma": 0.3}
    gamma = demo_kwargs("ExponentialLR", 30, spe, 0.2)["gamma"]
    assert math.isclose(gamma**30, 0.01)
    assert demo_kwargs("OneCycleLR", 5, spe, 0.1) == {"max_lr": 0.1, "epochs": 5, "steps_per_epoch": spe}
    assert train("StepLR", epochs=3, gamma=0.5).kwargs == {"step_size": 1, "gamma": 0.5}
    assert train("CosineAnnealingLR", epochs=2, lr=0.05).lr[0] == 0.05


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"name": "Nope"}, ValueError, ["Nope", "StepLR", "OneCycleLR", "None"]),
        ({"name": 3}, TypeError, ["name"]),
        ({"name": None, "epochs": 0}, ValueError, ["epochs"]),
        ({"name": None, "epochs": -2}, ValueError, ["epochs"]),
        ({"name": None, "epochs": 2.0}, TypeError, ["epochs"]),
        ({"name": None, "epochs": True}, TypeError, ["epochs"]),
        ({"name": None, "lr": 0.0}, ValueError, ["lr"]),
        ({"name": None, "lr": -0.1}, ValueError, ["lr"]),
        ({"name": None, "lr": math.nan}, ValueError, ["lr"]),
        ({"name": None, "lr": math.inf}, ValueError, ["lr"]),
        ({"name": None, "lr": "0.1"}, TypeError, ["lr"]),
        ({"name": None, "seed": -1}, ValueError, ["seed"]),
        ({"name": None, "gamma": 0.5}, TypeError, ["gamma"]),
        ({"name": "StepLR", "gama": 0.5}, TypeError, ["gama"]),
        ({"name": "StepLR", "gamma": -1.0}, ValueError, ["gamma"]),
        ({"name": "OneCycleLR", "epochs": 2, "total_steps": 5}, ValueError, ["total_steps"]),
    ],
)
def test_bad_input_names_the_parameter(kwargs: dict, error: type[Exception], words: list[str]) -> None:
    with pytest.raises(error) as info:
        train(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_compare_bad_input() -> None:
    with pytest.raises(ValueError, match="names"):
        compare([], progress=False)
    with pytest.raises(ValueError, match="repeat"):
        compare(["StepLR", "StepLR"], progress=False)
    with pytest.raises(TypeError, match="names"):
        compare("StepLR", progress=False)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="StepLR"):
        compare([None, "Bogus"], epochs=1, progress=False)


def test_compare_prints_nothing_outside_a_kernel(capsys: pytest.CaptureFixture[str]) -> None:
    runs = compare([None, "StepLR"], epochs=2, gamma=0.5)
    assert list(runs) == [None, "StepLR"] and runs["StepLR"].kwargs["gamma"] == 0.5
    assert runs[None] == train(None, epochs=2)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_compare_shows_a_progress_widget_in_a_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ipywidgets")
    import IPython.display

    shown = []
    monkeypatch.setattr(training, "_in_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append((obj, repr(obj))))
    compare([None, "ExponentialLR"], epochs=1)
    [(bar, text)] = shown
    assert text == repr(type(bar)(value=0, min=0, max=2, description="training"))  # stable text/plain
    assert bar.value == 2 and bar.bar_style == "success"


def test_results_table_is_fixed_precision(default_runs: dict[str | None, History]) -> None:
    text = results_table(default_runs)
    lines = text.splitlines()
    assert len(lines) == 1 + len(default_runs)
    assert lines[0].split()[:3] == ["schedule", "final", "val"]
    assert lines[1].startswith("constant ")
    assert f"{default_runs['StepLR'].val_loss[-1]:.4f}" in lines[2]
    assert text == results_table(list(default_runs.values()))
    never = results_table(default_runs, target=0.0).splitlines()
    assert all(line.split()[-1] == "-" for line in never[1:])
    with pytest.raises(TypeError, match="histories"):
        results_table([1, 2])  # type: ignore[list-item]


def test_plot_history_returns_a_figure_with_three_axes(default_runs: dict[str | None, History]) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for arg in (default_runs, list(default_runs.values()), default_runs[None]):
        fig = plot_history(arg)
        assert isinstance(fig, Figure) and len(fig.axes) == 3
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["constant"]
    fig = plot_history(default_runs)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["constant", *FIVE]
    line = fig.axes[0].get_lines()[-1]  # OneCycleLR: lr per batch at fractional epochs
    assert np.allclose(line.get_xdata()[:2], [0.0, 1.0 / steps_per_epoch()])
    assert plt.get_fignums() == before  # nothing registered with pyplot


def test_dict_keys_label_the_runs(default_runs: dict[str | None, History]) -> None:
    runs = {"constant 0.2": default_runs[None], "cosine": default_runs["CosineAnnealingLR"]}
    fig = plot_history(runs)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["constant 0.2", "cosine"]
    assert results_table(runs).splitlines()[1].startswith("constant 0.2 ")
    assert "constant " in results_table(default_runs).splitlines()[1]  # compare's None key stays "constant"
