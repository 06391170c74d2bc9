"""Train a small MLP with each learning-rate scheduler and compare the runs.

:func:`train` runs one scheduler (or ``None``: a constant learning rate, the baseline) on the
demo data set of :mod:`lrutils.training_data` with SGD + momentum and records the learning rate
of every optimizer step plus per-epoch losses and accuracy in a :class:`History`.
:func:`compare`, :func:`results_table` and :func:`plot_history` put several runs side by side.

Every run is deterministic (bit-identical for the same arguments) and takes a fraction of a
second on one CPU thread.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from torch import nn

from .schedules import REQUIRED, ParamSpec
from .training_data import N_TRAIN, make_model, seeded_one_thread, shuffled_batches, spiral_data

DEFAULT_EPOCHS = 30
DEFAULT_LR = 0.2
"""Starting learning rate: large enough that a constant lr keeps the loss noisy."""
BATCH_SIZE = 40
MOMENTUM = 0.9
DEFAULT_TARGET = 0.5
"""Validation loss that :func:`results_table` counts the epochs to."""
CONSTANT = "constant"
"""Label of the constant-lr baseline (``name=None``) in tables and legends."""


@dataclass(eq=False)
class History:
    """What one :func:`train` run recorded.

    ``lr`` and ``momentum`` hold one value per optimizer step (read just before
    ``optimizer.step()``), ``epochs * steps_per_epoch`` in all; ``train_loss``, ``val_loss``
    and ``val_acc`` hold one value per epoch, measured on the whole split after the epoch.
    Two histories are ``==`` when every field is identical (arrays bit for bit).

    >>> h = train("StepLR", epochs=2)
    >>> h.label, h.lr.shape == (2 * h.steps_per_epoch,), h.val_loss.shape
    ('StepLR', True, (2,))
    """

    name: str | None
    kwargs: dict[str, Any]
    lr: np.ndarray
    momentum: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    val_acc: np.ndarray
    steps_per_epoch: int
    seed: int = 0
    base_lr: float = DEFAULT_LR

    @property
    def label(self) -> str:
        """The scheduler's name, or ``"constant"`` for the baseline."""
        return CONSTANT if self.name is None else self.name

    @property
    def epochs(self) -> int:
        """Number of epochs trained."""
        return len(self.val_loss)

    @property
    def step_epochs(self) -> np.ndarray:
        """Fractional epoch of every optimizer step (``step / steps_per_epoch``), to plot ``lr``."""
        return np.arange(len(self.lr)) / self.steps_per_epoch

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        arrays = ("lr", "momentum", "train_loss", "val_loss", "val_acc")
        return all(np.array_equal(getattr(self, a), getattr(other, a)) for a in arrays) and (
            self.name,
            self.kwargs,
            self.steps_per_epoch,
            self.seed,
            self.base_lr,
        ) == (other.name, other.kwargs, other.steps_per_epoch, other.seed, other.base_lr)


def steps_per_epoch() -> int:
    """Optimizer steps (batches) per epoch of the demo data set.

    >>> steps_per_epoch()
    30
    """
    return math.ceil(N_TRAIN / BATCH_SIZE)


def _get_spec(name: object) -> Any:
    from lrutils.schedules import get_spec, scheduler_names

    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a scheduler name (str) or None, got {type(name).__name__}")
    try:
        return get_spec(name)
    except ValueError:
        valid = ", ".join(scheduler_names())
        raise ValueError(f"unknown scheduler name {name!r}; expected None (constant lr) or one of {valid}") from None


# Validated like every scheduler parameter: one mechanism, one style of error message.
EPOCHS_SPEC = ParamSpec("epochs", "int", REQUIRED, low=1)
LR_SPEC = ParamSpec("lr", "float", REQUIRED, low=0.0, low_open=True)
SEED_SPEC = ParamSpec("seed", "int", REQUIRED, low=0, high=2**63 - 1)


def _check_run(epochs: object, lr: object, seed: object) -> tuple[int, float, int]:
    return EPOCHS_SPEC.check(epochs), LR_SPEC.check(lr), SEED_SPEC.check(seed)


def demo_kwargs(name: str | None, epochs: int, steps_per_epoch: int, lr: float) -> dict[str, Any]:
    """Demo keyword arguments for scheduler ``name`` over a run of ``epochs`` epochs.

    The one table of defaults :func:`train` starts from (keywords the caller passes win):
    StepLR cuts the lr by 0.3 every third of the run, ExponentialLR decays it 100x over the run,
    CosineAnnealingLR anneals over the whole run, ReduceLROnPlateau cuts by 0.3 after 2 epochs
    without improvement, OneCycleLR peaks at ``lr`` over ``epochs * steps_per_epoch`` batches,
    CosineAnnealingWarmRestarts restarts every third of the run, CyclicLR climbs from ``lr`` (its
    ``base_lr``) to ``2 * lr`` and back three times (per batch).
    Notebook 07's: LinearLR/ConstantLR/LambdaLR warm up over the first tenth of the run,
    SequentialLR and ``warmup_cosine`` warm up then anneal over the rest, ChainedScheduler
    multiplies a warm-up with a cosine over the whole run, ``warmup_stable_decay`` decays over the
    last fifth, MultiStepLR cuts by 0.3 at half and three quarters, PolynomialLR decays linearly.

    >>> demo_kwargs("StepLR", 30, 30, 0.2)
    {'step_size': 10, 'gamma': 0.3}
    >>> demo_kwargs(None, 30, 30, 0.2)
    {}
    """
    if name is None:
        return {}
    _get_spec(name)
    table: dict[str, dict[str, Any]] = {
        "StepLR": {"step_size": max(1, epochs // 3), "gamma": 0.3},
        "ExponentialLR": {"gamma": 0.01 ** (1.0 / epochs)},
        "CosineAnnealingLR": {"T_max": epochs},
        "ReduceLROnPlateau": {"patience": 2, "factor": 0.3},
        "OneCycleLR": {"max_lr": lr, "epochs": epochs, "steps_per_epoch": steps_per_epoch},
        "CosineAnnealingWarmRestarts": {"T_0": max(1, epochs // 3)},
        # CyclicLR's base_lr is ``lr`` (the bottom of the wave): peak at 2 * lr, three cycles.
        "CyclicLR": {"max_lr": 2 * lr, "step_size_up": max(1, epochs * steps_per_epoch // 6)},
    }
    table.update(_warmup_demo_kwargs(epochs))
    return dict(table.get(name, {}))


def _warmup_demo_kwargs(epochs: int) -> dict[str, dict[str, Any]]:
    """Notebook 07's schedulers: warm-up over the first tenth of the run (at least one epoch)."""
    from .composite import linear_warmup_lambda, warmup_cosine

    warm = max(1, epochs // 10)
    decay = max(1, epochs // 5)
    return {
        "MultiStepLR": {"milestones": [epochs // 2, 3 * epochs // 4], "gamma": 0.3},
        "ConstantLR": {"factor": 0.25, "total_iters": warm},
        "LinearLR": {"start_factor": 0.1, "total_iters": warm},
        "PolynomialLR": {"total_iters": epochs, "power": 1.0},
        "LambdaLR": {"lr_lambda": linear_warmup_lambda(warm)},
        "SequentialLR": warmup_cosine(warmup_steps=warm, T_max=max(1, epochs - warm)),
        "ChainedScheduler": {
            "schedulers": [
                ("LinearLR", {"start_factor": 0.1, "total_iters": warm}),
                ("CosineAnnealingLR", {"T_max": epochs}),
            ]
        },
        "warmup_cosine": {"warmup_steps": warm, "T_max": max(1, epochs - warm)},
        "warmup_stable_decay": {
            "warmup_steps": warm,
            "stable_steps": max(0, epochs - warm - decay),
            "decay_steps": decay,
        },
    }


def train(
    name: str | None,
    epochs: int = DEFAULT_EPOCHS,
    seed: int = 0,
    lr: float = DEFAULT_LR,
    **scheduler_kwargs: Any,
) -> History:
    """Train the demo MLP with scheduler ``name`` (``None``: constant ``lr``) and record it.

    SGD with momentum 0.9, batches of 40, starting learning rate ``lr``. Scheduler keywords not
    given come from :func:`demo_kwargs`. The scheduler is stepped as it is meant to be: after
    every batch (OneCycleLR), with the validation loss after every epoch (ReduceLROnPlateau) or
    after every epoch (the others), always after ``optimizer.step()``.

    >>> h = train("CosineAnnealingLR", epochs=3, seed=1)
    >>> h.kwargs, h.val_acc.shape
    ({'T_max': 3}, (3,))
    """
    epochs, lr, seed = _check_run(epochs, lr, seed)
    spe = steps_per_epoch()
    if name is None:
        if scheduler_kwargs:
            raise TypeError(f"name=None (constant lr) takes no scheduler keywords, got {', '.join(scheduler_kwargs)}")
        unit, kwargs = None, {}
    else:
        unit = _get_spec(name).unit
        kwargs = {**demo_kwargs(name, epochs, spe, lr), **scheduler_kwargs}
    with seeded_one_thread(seed):
        return _run(name, unit, kwargs, epochs, spe, seed, lr)


def _run(
    name: str | None, unit: str | None, kwargs: dict[str, Any], epochs: int, spe: int, seed: int, lr: float
) -> History:
    data = spiral_data()
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=MOMENTUM)
    scheduler: Any = None
    if name is not None:
        from lrutils import make_torch_scheduler

        scheduler = make_torch_scheduler(name, optimizer, **kwargs)
        total = getattr(scheduler, "total_steps", None)
        if unit == "batch" and total is not None and total < epochs * spe:
            raise ValueError(
                f"{name} is set up for {total} steps but training takes epochs * steps_per_epoch = "
                f"{epochs} * {spe} = {epochs * spe}; pass matching total_steps/epochs/steps_per_epoch"
            )
    batches = shuffled_batches(seed, BATCH_SIZE)
    loss_fn = nn.CrossEntropyLoss()
    lrs = np.empty(epochs * spe)
    momenta = np.empty(epochs * spe)
    train_loss, val_loss, val_acc = np.empty(epochs), np.empty(epochs), np.empty(epochs)
    group = optimizer.param_groups[0]
    step = 0
    for epoch in range(epochs):
        for _ in range(spe):
            idx = next(batches)
            loss = loss_fn(model(data.x_train[idx]), data.y_train[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            lrs[step] = float(group["lr"])
            momenta[step] = float(group["momentum"])
            optimizer.step()
            step += 1
            if unit == "batch":
                scheduler.step()
        with torch.no_grad():
            train_loss[epoch] = loss_fn(model(data.x_train), data.y_train).item()
            logits = model(data.x_val)
            val_loss[epoch] = loss_fn(logits, data.y_val).item()
            val_acc[epoch] = (logits.argmax(dim=1) == data.y_val).double().mean().item()
        if unit == "epoch":
            scheduler.step()
        elif unit == "metric":
            scheduler.step(float(val_loss[epoch]))
    return History(name, kwargs, lrs, momenta, train_loss, val_loss, val_acc, spe, seed, lr)


def _in_kernel() -> bool:
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def compare(
    names: Sequence[str | None],
    epochs: int = DEFAULT_EPOCHS,
    seed: int = 0,
    lr: float = DEFAULT_LR,
    progress: bool = True,
    **common: Any,
) -> dict[str | None, History]:
    """Run :func:`train` for each name with the same data, seed and starting lr.

    ``common`` scheduler keywords go to every scheduler (not to the constant baseline ``None``).
    In a Jupyter kernel, ``progress=True`` shows an ipywidgets progress bar; nothing is printed.

    >>> runs = compare([None, "StepLR"], epochs=2, progress=False)
    >>> list(runs), runs[None].label
    ([None, 'StepLR'], 'constant')
    """
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence):
        raise TypeError(f"names must be a sequence of scheduler names (or None), got {type(names).__name__}")
    names = list(names)
    if not names:
        raise ValueError("names must name at least one scheduler (None is the constant baseline)")
    for name in names:
        if name is not None:
            _get_spec(name)
    if len(set(names)) != len(names):
        raise ValueError(f"names must not repeat a scheduler, got {names!r}")
    epochs, lr, seed = _check_run(epochs, lr, seed)
    bar = None
    if progress and _in_kernel():
        from IPython.display import display
        from ipywidgets import IntProgress

        bar = IntProgress(value=0, min=0, max=len(names), description="training")
        display(bar)
    results: dict[str | None, History] = {}
    try:
        for i, name in enumerate(names):
            results[name] = train(name, epochs=epochs, seed=seed, lr=lr, **({} if name is None else common))
            if bar is not None:
                bar.value = i + 1
    except BaseException:
        if bar is not None:
            bar.bar_style = "danger"
        raise
    if bar is not None:
        bar.bar_style = "success"
    return results


def _labelled(histories: History | Sequence[History] | Mapping[Any, History], what: str) -> list[tuple[str, History]]:
    """(label, history) pairs: a dict's string keys are the labels (``compare``'s None key stays
    "constant"), so two constant-lr runs can be told apart; otherwise each history's own label."""
    if isinstance(histories, History):
        items = [(histories.label, histories)]
    elif isinstance(histories, Mapping):
        items = [(key if isinstance(key, str) else h.label, h) for key, h in histories.items()]
    elif isinstance(histories, Sequence) and not isinstance(histories, (str, bytes)):
        items = [(getattr(h, "label", ""), h) for h in histories]
    else:
        raise TypeError(
            f"{what} must be a History, a sequence of them or a dict of them, got {type(histories).__name__}"
        )
    if not items or not all(isinstance(h, History) for _, h in items):
        raise TypeError(f"{what} must contain at least one History and nothing else")
    return items


def results_table(histories: Mapping[Any, History] | Sequence[History], target: float = DEFAULT_TARGET) -> str:
    """A fixed-precision plain-text table of the runs, one row each, for notebooks to print.

    Columns: final val loss, final val accuracy, best val loss, and the first epoch (1-based)
    whose val loss is <= ``target``, or ``-`` if none is.

    >>> print(results_table(compare([None], epochs=1, progress=False)).splitlines()[0])
    schedule             final val loss  final val acc  best val loss  epochs to 0.50
    """
    items = _labelled(histories, "histories")
    if isinstance(target, bool) or not isinstance(target, numbers.Real) or not math.isfinite(target):
        raise TypeError(f"target must be a finite number, got {target!r}")
    head = f"epochs to {target:.2f}"
    width = max(20, *(len(label) for label, _ in items))  # CosineAnnealingWarmRestarts is 27 characters
    lines = [f"{'schedule':<{width}} {'final val loss':>14} {'final val acc':>14} {'best val loss':>14} {head:>15}"]
    for label, h in items:
        hit = np.flatnonzero(h.val_loss <= target)
        reached = str(int(hit[0]) + 1) if hit.size else "-"
        lines.append(
            f"{label:<{width}} {h.val_loss[-1]:>14.4f} {h.val_acc[-1]:>14.4f} "
            f"{np.nanmin(h.val_loss):>14.4f} {reached:>15}"
        )
    return "\n".join(lines)


def plot_history(histories: History | Sequence[History] | Mapping[Any, History]) -> Figure:
    """Draw learning rate, train/val loss and val accuracy of the runs in 3 panels side by side.

    The lr is drawn per optimizer step at fractional epochs; losses (train dashed, val solid) and
    accuracy are drawn at the end of each epoch. The constant baseline is black. A dict's string
    keys label the runs (``{"constant 0.2": ..., "constant 0.02": ...}``).

    >>> fig = plot_history(train(None, epochs=2))
    >>> len(fig.axes)
    3
    """
    items = _labelled(histories, "histories")
    fig = Figure(figsize=(15, 4), layout="constrained")
    ax_lr, ax_loss, ax_acc = fig.subplots(1, 3)
    colour_index = 0
    for label, h in items:
        if label == CONSTANT:  # the baseline, unless the caller named its constant runs
            colour = "black"
        else:
            colour = f"C{colour_index % 10}"
            colour_index += 1
        epochs = np.arange(1, h.epochs + 1)
        ax_lr.plot(h.step_epochs, h.lr, color=colour, label=label, drawstyle="steps-post")
        ax_loss.plot(epochs, h.train_loss, color=colour, linestyle="--", alpha=0.7)
        ax_loss.plot(epochs, h.val_loss, color=colour, label=label)
        ax_acc.plot(epochs, h.val_acc, color=colour, label=label)
    ax_lr.set(title="learning rate", xlabel="epoch", ylabel="lr")
    ax_loss.set(title="loss", xlabel="epoch", ylabel="cross-entropy")
    ax_acc.set(title="validation accuracy", xlabel="epoch", ylabel="accuracy")
    ax_lr.legend(loc="best", fontsize="small")
    styles = [Line2D([], [], color="grey", linestyle="--"), Line2D([], [], color="grey")]
    ax_loss.legend(styles, ["train", "validation"], loc="upper right", fontsize="small")
    for ax in (ax_lr, ax_loss, ax_acc):
        ax.grid(alpha=0.3)
    return fig


__all__ = [
    "BATCH_SIZE",
    "CONSTANT",
    "DEFAULT_EPOCHS",
    "DEFAULT_LR",
    "DEFAULT_TARGET",
    "MOMENTUM",
    "History",
    "compare",
    "demo_kwargs",
    "plot_history",
    "results_table",
    "steps_per_epoch",
    "train",
]
