"""The learning-rate range test (Leslie Smith 2015/2017; popularised by fast.ai as ``lr_find``).

:func:`lr_range_test` trains for a few hundred batches while the learning rate grows
exponentially from ``start_lr`` to ``end_lr``, records the loss of every batch, smooths it with a
bias-corrected exponential moving average, stops once the smoothed loss has blown up to
``diverge_factor`` times its best value, and suggests a learning rate. :func:`plot_range_test`
draws the curve.

How the sweep works
    Step ``i`` uses ``lr_i = start_lr * (end_lr / start_lr) ** (i / (num_iter - 1))``, written
    straight into every parameter group of the optimizer before the step (no torch scheduler:
    an ``LRScheduler`` would wrap the caller's ``optimizer.step`` and add ``initial_lr`` to its
    groups, side effects the test is meant not to leave behind). That is the same sequence as
    ``ExponentialLR`` with ``gamma = (end_lr / start_lr) ** (1 / (num_iter - 1))``, computed in
    closed form so it does not accumulate rounding. ``losses[i]`` is the loss of batch ``i``,
    computed just before the step at ``lrs[i]`` (as fast.ai records it). Batches cycle through
    the demo training set in the order :func:`lrutils.train` uses (a fresh shuffle per pass).

How the suggestion is made
    Two rules are computed and both kept:

    * ``steepest_lr``: where the smoothed loss falls fastest per decade of lr (most negative
      ``d smoothed / d log10(lr)``), searched between 10 % of the way in (the first points are
      mostly the moving average warming up) and the smoothed minimum.
    * ``min_loss_lr / 10``: one decade below the lr of the smallest smoothed loss. The minimum
      itself is already at the edge of divergence (the loss is smoothed, so it lags behind),
      so training there is too aggressive; a decade lower is the usual rule for a peak lr.

    ``suggestion`` is ``min_loss_lr / 10``: it is meant as the *peak* lr (``max_lr``) of a
    schedule such as OneCycleLR, which warms up to it and anneals away from it, and the steepest
    point sits wherever the descent is fastest, which on noisy curves jumps around and tends to
    be too cautious for a peak. Both are drawn by :func:`plot_range_test`; notebook 09 compares
    them by training with each.

Restoring state
    With ``model=None`` and ``optimizer=None`` the test builds the demo model (initialised from
    ``seed`` exactly as ``lrutils.train(seed=seed)`` does) and SGD with momentum 0.9, and throws
    them away. A model and optimizer passed in are put back exactly as they were: parameters and
    buffers (``state_dict``), optimizer state and hyper-parameters (momentum buffers, ``lr``,
    ``momentum``, ...), the ``.grad`` of every parameter and the train/eval mode of every module.

Every run is deterministic: one torch thread (the caller's thread count is restored), the
caller's global torch RNG is left untouched, and the same arguments give bit-identical results.
"""

from __future__ import annotations

import copy
import math
import numbers
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn

from .engine import RunSpec, train_runs
from .numerics import geometric_sequence
from .style import MAX_WIDTH
from .training import BATCH_SIZE
from .training_data import HIDDEN, N_TRAIN, seeded_one_thread, shuffled_batches, spiral_data

DEFAULT_START_LR = 1e-5
DEFAULT_END_LR = 10.0
DEFAULT_NUM_ITER = 300
DEFAULT_SMOOTH = 0.98
DEFAULT_DIVERGE_FACTOR = 4.0
MIN_NUM_ITER = 10
MAX_DECADES = 20
"""Widest sweep accepted, in powers of ten from start_lr to end_lr."""
EARLY_STOP_FRACTION = 0.1
"""A sweep that stops within this fraction of its batches gets a warning: too few points to trust."""
SKIP_START = 0.1
"""Fraction of the sweep left out of the steepest-slope search (the moving average is warming up)."""


@dataclass(eq=False)
class RangeTestResult:
    """What one :func:`lr_range_test` recorded, and the learning rates it suggests.

    ``lrs``, ``losses`` and ``smoothed`` hold one value per batch actually run (fewer than
    ``num_iter`` when the test stopped early). ``stopped_early`` is true when the smoothed loss
    went above ``diverge_factor * best_loss`` (or a loss was not finite); ``diverged_lr`` is the
    lr of that batch (``None`` otherwise). Two results are ``==`` when everything is identical
    (arrays bit for bit).

    >>> r = lr_range_test(num_iter=20, end_lr=1.0)
    >>> r.lrs.shape, bool(r.start_lr <= r.suggestion <= r.lrs[-1])
    ((20,), True)
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    stopped_early: bool
    diverged_lr: float | None
    best_loss: float
    min_loss_lr: float
    steepest_lr: float
    start_lr: float
    end_lr: float
    num_iter: int
    smooth: float
    diverge_factor: float
    seed: int
    batch_size: int

    @property
    def min_div10_lr(self) -> float:
        """One decade below the lr of the smallest smoothed loss."""
        return self.min_loss_lr / 10.0

    @property
    def suggestion(self) -> float:
        """The suggested peak lr (``max_lr``): ``min_loss_lr / 10`` (see the module docstring for why)."""
        return self.min_div10_lr

    @property
    def ratio(self) -> float:
        """The constant factor between consecutive learning rates of the sweep."""
        return (self.end_lr / self.start_lr) ** (1.0 / (self.num_iter - 1))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RangeTestResult):
            return NotImplemented
        arrays = ("lrs", "losses", "smoothed")
        same = all(
            getattr(self, a).dtype == getattr(other, a).dtype
            and getattr(self, a).tobytes() == getattr(other, a).tobytes()
            for a in arrays
        )
        scalars = (
            "stopped_early",
            "diverged_lr",
            "best_loss",
            "min_loss_lr",
            "steepest_lr",
            "start_lr",
            "end_lr",
            "num_iter",
            "smooth",
            "diverge_factor",
            "seed",
            "batch_size",
        )
        return same and all(getattr(self, s) == getattr(other, s) for s in scalars)

    def summary(self) -> str:
        """A few fixed-precision lines for a notebook to print."""
        stop = f"stopped early at lr {self.diverged_lr:.3e}" if self.stopped_early else "ran to end_lr"
        return "\n".join(
            [
                f"batches run          {len(self.lrs)} of {self.num_iter} ({stop})",
                f"best smoothed loss   {self.best_loss:.4f} at lr {self.min_loss_lr:.3e}",
                f"steepest descent at  lr {self.steepest_lr:.3e}",
                f"min-loss lr / 10     lr {self.min_div10_lr:.3e}  <- suggestion (max_lr)",
            ]
        )


def _positive(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive finite number, got {type(value).__name__} {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _integer(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int >= {minimum}, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def _check_args(
    start_lr: object,
    end_lr: object,
    num_iter: object,
    smooth: object,
    diverge_factor: object,
    seed: object,
    batch_size: object,
) -> tuple[float, float, int, float, float, int, int]:
    start = _positive("start_lr", start_lr)
    end = _positive("end_lr", end_lr)
    if start >= end:
        raise ValueError(f"start_lr must be smaller than end_lr, got start_lr={start!r} >= end_lr={end!r}")
    decades = math.log10(end) - math.log10(start)  # no overflow, unlike end / start
    if decades > MAX_DECADES:
        raise ValueError(
            f"start_lr={start!r} and end_lr={end!r} are {decades:.0f} decades apart; a sweep spans at most "
            f"{MAX_DECADES} (the usual 1e-5 to 10 spans 6): each batch would multiply the lr by a huge factor"
        )
    n = _integer("num_iter", num_iter, MIN_NUM_ITER)
    if isinstance(smooth, bool) or not isinstance(smooth, numbers.Real):
        raise TypeError(f"smooth must be a number in [0, 1), got {type(smooth).__name__} {smooth!r}")
    if not 0.0 <= smooth < 1.0:
        raise ValueError(f"smooth must be a number in [0, 1) (0 = no smoothing), got {smooth!r}")
    if isinstance(diverge_factor, bool) or not isinstance(diverge_factor, numbers.Real):
        raise TypeError(f"diverge_factor must be a number > 1, got {type(diverge_factor).__name__} {diverge_factor!r}")
    if not (diverge_factor > 1.0):  # also catches nan; inf means "never stop early"
        raise ValueError(f"diverge_factor must be a number > 1, got {diverge_factor!r}")
    s = _integer("seed", seed, 0)
    b = _integer("batch_size", batch_size, 1)
    if b > N_TRAIN:
        raise ValueError(f"batch_size must be at most the {N_TRAIN} training points, got {b!r}")
    return start, end, n, float(smooth), float(diverge_factor), s, b


def sweep_lrs(start_lr: float, end_lr: float, num_iter: int) -> np.ndarray:
    """The ``num_iter`` learning rates of the sweep, exponentially spaced from start to end
    (computed so that every CPU gets the same bits: :func:`lrutils.numerics.geometric_sequence`).

    >>> [f"{v:.15g}" for v in sweep_lrs(1e-3, 1e-1, 3)]
    ['0.001', '0.01', '0.1']
    """
    return geometric_sequence(start_lr, end_lr, num_iter).numpy()


class BiasCorrectedAverage:
    """The running smoothed loss of the range test, one loss at a time.

    ``avg_i = beta * avg_{i-1} + (1 - beta) * loss_i`` starts at ``avg_{-1} = 0``; dividing by
    ``1 - beta**(i+1)`` (the total weight given so far) undoes the pull towards 0 at the start.

    >>> average = BiasCorrectedAverage(0.5)
    >>> average.add(1.0), average.add(3.0)  # (0.5*0.5 + 0.5*3) / 0.75
    (1.0, 2.3333333333333335)
    """

    def __init__(self, beta: float) -> None:
        self.beta = beta
        self.avg = 0.0
        self.count = 0

    def add(self, loss: float) -> float:
        """Take the next loss; return the bias-corrected average so far."""
        self.count += 1
        self.avg = self.beta * self.avg + (1.0 - self.beta) * loss
        return self.avg / (1.0 - self.beta**self.count)


def smooth_losses(losses: np.ndarray, beta: float) -> np.ndarray:
    """Every value of :class:`BiasCorrectedAverage` over ``losses`` (what the sweep records).

    >>> smooth_losses(np.array([2.0, 2.0, 2.0]), 0.9).tolist()
    [2.0, 2.0, 2.0]
    >>> smooth_losses(np.array([1.0, 3.0]), 0.5).tolist()
    [1.0, 2.3333333333333335]
    """
    average = BiasCorrectedAverage(beta)
    return np.array([average.add(float(loss)) for loss in np.asarray(losses, dtype=np.float64)])


def steepest_index(lrs: np.ndarray, smoothed: np.ndarray) -> int:
    """Index of the most negative slope of ``smoothed`` vs ``log10(lrs)`` before the minimum.

    The first ``SKIP_START`` of the points is skipped (bias-corrected averages of few losses are
    noisy), and the search stops at the smoothed minimum (past it the loss is diverging).

    >>> steepest_index(np.logspace(-3, 0, 6), np.array([1.0, 0.98, 0.9, 0.5, 0.45, 2.0]))
    2
    """
    stop = int(np.argmin(smoothed))
    start = min(int(len(smoothed) * SKIP_START), max(stop - 1, 0))
    if stop - start < 2:
        return stop
    x = np.log10(lrs[start : stop + 1])
    slope = np.gradient(smoothed[start : stop + 1], x)
    return start + int(np.argmin(slope))


def _owned_params(model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
    ids = {id(p) for p in model.parameters()}
    for group in optimizer.param_groups:
        for p in group["params"]:
            if id(p) not in ids:
                raise ValueError("optimizer must optimize the parameters of model (found one that is not the model's)")


def lr_range_test(
    model: nn.Module | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    start_lr: float = DEFAULT_START_LR,
    end_lr: float = DEFAULT_END_LR,
    num_iter: int = DEFAULT_NUM_ITER,
    smooth: float = DEFAULT_SMOOTH,
    diverge_factor: float = DEFAULT_DIVERGE_FACTOR,
    seed: int = 0,
    batch_size: int = BATCH_SIZE,
) -> RangeTestResult:
    """Sweep the lr exponentially over ``num_iter`` batches of the demo data and record the loss.

    ``model`` and ``optimizer`` go together: both ``None`` (the demo MLP initialised from
    ``seed`` and SGD with momentum 0.9, as :func:`lrutils.train` builds them) or both given, and
    then restored exactly afterwards (see the module docstring). A model passed in must map the
    demo inputs ``(n, 2)`` to 3 class logits. ``seed`` fixes the batch order (and the init of
    the default model); ``batch_size`` should be the one you will train with (40 in the demos).

    >>> r = lr_range_test(num_iter=50)
    >>> len(r.lrs), bool(np.allclose(r.lrs[1:] / r.lrs[:-1], r.ratio)), f"{r.suggestion:.2e}"
    (50, True, '5.96e-02')
    """
    start, end, n, beta, factor, seed, batch = _check_args(
        start_lr, end_lr, num_iter, smooth, diverge_factor, seed, batch_size
    )
    if (model is None) != (optimizer is None):
        missing = "optimizer" if optimizer is None else "model"
        raise TypeError(f"pass model and optimizer together, or neither (the demo model + SGD); {missing} is missing")
    if model is not None and not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if optimizer is not None and not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}")
    if model is not None and optimizer is not None:
        _owned_params(model, optimizer)

    if model is None or optimizer is None:
        record = _demo_sweep(start, end, n, beta, factor, seed, batch)
    else:
        with seeded_one_thread(seed):
            saved = _save(model, optimizer)
            try:
                record = _sweep(model, optimizer, start, end, n, beta, factor, seed, batch)
            finally:
                _restore(model, optimizer, saved)
    lrs, losses, smoothed, diverged_lr = record
    if diverged_lr is not None and len(lrs) <= max(MIN_NUM_ITER, EARLY_STOP_FRACTION * n):
        warnings.warn(
            f"the range test stopped after {len(lrs)} of {n} batches (the loss blew up at lr {diverged_lr:.3g}): "
            "its suggestion rests on too few points to trust; lower start_lr and end_lr",
            UserWarning,
            stacklevel=2,
        )
    best = int(np.argmin(smoothed))
    return RangeTestResult(
        lrs=lrs,
        losses=losses,
        smoothed=smoothed,
        stopped_early=diverged_lr is not None,
        diverged_lr=diverged_lr,
        best_loss=float(smoothed[best]),
        min_loss_lr=float(lrs[best]),
        steepest_lr=float(lrs[steepest_index(lrs, smoothed)]),
        start_lr=start,
        end_lr=end,
        num_iter=n,
        smooth=beta,
        diverge_factor=factor,
        seed=seed,
        batch_size=batch,
    )


def _save(model: nn.Module, optimizer: torch.optim.Optimizer) -> dict[str, Any]:
    return {
        "model": copy.deepcopy(model.state_dict()),
        "optimizer": copy.deepcopy(optimizer.state_dict()),
        "grads": [None if p.grad is None else p.grad.detach().clone() for p in model.parameters()],
        "modes": [m.training for m in model.modules()],
    }


def _restore(model: nn.Module, optimizer: torch.optim.Optimizer, saved: dict[str, Any]) -> None:
    model.load_state_dict(saved["model"])
    optimizer.load_state_dict(saved["optimizer"])
    for p, g in zip(model.parameters(), saved["grads"], strict=True):
        p.grad = g
    for m, mode in zip(model.modules(), saved["modes"], strict=True):
        m.training = mode


class _SweepRecorder:
    """Smooths the batch losses as they come and says when the test stops (both sweeps share it)."""

    def __init__(self, schedule: np.ndarray, beta: float, factor: float) -> None:
        self.schedule, self.factor = schedule, factor
        self.losses, self.smoothed = np.empty(len(schedule)), np.empty(len(schedule))
        self.average, self.best = BiasCorrectedAverage(beta), math.inf
        self.diverged_lr: float | None = None
        self.done = 0

    def add(self, i: int, loss: float) -> bool:
        """Record batch ``i``'s loss; True if the test stops here (not finite, or blown up)."""
        lr = float(self.schedule[i])
        if not math.isfinite(loss):
            self.diverged_lr = lr
            return True
        value = self.average.add(loss)
        self.losses[i], self.smoothed[i] = loss, value
        self.done = i + 1
        if value > self.factor * self.best:
            self.diverged_lr = lr
            return True
        self.best = min(self.best, value)
        return False

    def result(self, start: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
        if self.done == 0:
            raise ValueError(f"the loss was not finite at the first batch (lr {start!r}); lower start_lr")
        d = self.done
        return self.schedule[:d].copy(), self.losses[:d].copy(), self.smoothed[:d].copy(), self.diverged_lr


def _demo_sweep(
    start: float, end: float, n: int, beta: float, factor: float, seed: int, batch: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
    """The sweep on the demo model, trained by lrutils' engine (bit-identical on every CPU).

    The whole sweep is trained (a run that blows up is stopped by the engine), then cut where the
    test stops: batch ``i``'s loss depends only on the steps before it, so this records exactly
    what stopping early would have.
    """
    schedule = sweep_lrs(start, end, n)
    spe = math.ceil(N_TRAIN / batch)
    run = RunSpec(None, {}, lr=start, seed=seed, step_lrs=tuple(schedule.tolist()))
    batch_losses = train_runs([run], math.ceil(n / spe), HIDDEN, batch)[0].batch_loss
    recorder = _SweepRecorder(schedule, beta, factor)
    for i in range(n):
        if recorder.add(i, float(batch_losses[i])):
            break
    return recorder.result(start)


def _sweep(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    start: float,
    end: float,
    n: int,
    beta: float,
    factor: float,
    seed: int,
    batch: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float | None]:
    """The sweep on the caller's own model and optimizer (their dtype and their numerics)."""
    data = spiral_data()
    schedule = sweep_lrs(start, end, n)
    batches = shuffled_batches(seed, batch)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    recorder = _SweepRecorder(schedule, beta, factor)
    for i in range(n):
        idx = next(batches)
        for group in optimizer.param_groups:
            group["lr"] = float(schedule[i])
        dtype = next(model.parameters()).dtype
        loss_t = loss_fn(model(data.x_train[idx].to(dtype)), data.y_train[idx])
        if recorder.add(i, loss_t.item()):
            break
        optimizer.zero_grad(set_to_none=True)
        loss_t.backward()
        optimizer.step()
    return recorder.result(start)


def plot_range_test(
    results: RangeTestResult | Mapping[str, RangeTestResult], title: str = "learning-rate range test"
) -> Figure:
    """Draw smoothed loss vs lr (log x), the raw loss faint, both suggestions marked.

    ``results`` is one result or a dict ``{label: result}`` to overlay several tests. The
    steepest point is a circle, ``min_loss_lr / 10`` (the suggestion) a vertical dashed line,
    the minimum a cross, and where the test stopped early a short grey dotted line.

    >>> fig = plot_range_test(lr_range_test(num_iter=30))
    >>> len(fig.axes)
    1
    """
    if isinstance(results, RangeTestResult):
        items = {"": results}
    elif isinstance(results, Mapping) and results and all(isinstance(r, RangeTestResult) for r in results.values()):
        items = {str(k): v for k, v in results.items()}
    else:
        raise TypeError("results must be a RangeTestResult or a non-empty dict {label: RangeTestResult}")
    fig = Figure(figsize=(MAX_WIDTH, 4.8), layout="constrained")
    ax = fig.subplots()
    lows, highs = [], []
    single = len(items) == 1
    for i, (label, r) in enumerate(items.items()):
        colour = f"C{i % 10}"
        k = int(np.searchsorted(r.lrs, r.steepest_lr))
        if single:
            tags = ("smoothed loss", f"steepest {r.steepest_lr:.2e}", f"min {r.min_loss_lr:.2e}")
            tags += (f"min / 10 {r.suggestion:.2e} (suggestion)",)
        else:  # one legend entry per test: the markers mean the same for every colour
            tags = (f"{label}: steepest {r.steepest_lr:.2e}, min / 10 {r.suggestion:.2e}", None, None, None)
        ax.plot(r.lrs, r.losses, color=colour, alpha=0.25, linewidth=0.8)
        ax.plot(r.lrs, r.smoothed, color=colour, linewidth=2, label=tags[0])
        ax.plot([r.steepest_lr], [r.smoothed[k]], "o", color=colour, markersize=8, label=tags[1])
        ax.plot([r.min_loss_lr], [r.best_loss], "x", color=colour, markersize=9, mew=2, label=tags[2])
        ax.axvline(r.suggestion, color=colour, linestyle="--", linewidth=1.2, label=tags[3])
        if r.diverged_lr is not None:
            ax.axvline(r.diverged_lr, color="grey", linestyle=":", linewidth=1)
        lows.append(float(np.min(r.smoothed)))
        highs.append(float(np.max(r.smoothed[: max(1, len(r.smoothed) // 10)])))
    low, high = min(lows), max(highs)
    ax.set_ylim(low - 0.1 * (high - low), high + 0.6 * (high - low))  # raw spikes near the end do not squash the curve
    ax.set_xscale("log")
    ax.set(xlabel="learning rate (log scale)", ylabel="training loss (per batch)")
    ax.grid(alpha=0.3, which="both")
    if not single:
        title += "\n(o steepest descent, x minimum, dashed min / 10, dotted where a test stopped)"
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    # below: never on the curve; one test per line when each entry names a test (they are long)
    fig.legend(handles, labels, loc="outside lower center", ncols=2 if single else 1, frameon=False)
    return fig


__all__ = [
    "BiasCorrectedAverage",
    "RangeTestResult",
    "lr_range_test",
    "plot_range_test",
    "smooth_losses",
    "steepest_index",
    "sweep_lrs",
]
