"""The learning-rate range test (Leslie Smith 2015/2017; popularised by fast.ai as ``lr_find``).

:func:`lr_range_test` trains for a few hundred batches while the learning rate grows
exponentially from ``start_lr`` to ``end_lr``, records the loss of every batch, smooths it with a
bias-corrected exponential moving average, stops once the smoothed loss has blown up to
``diverge_factor`` times its best value, and suggests a learning rate
(:mod:`lrutils.training.range_rules`). :func:`lrutils.figures.range_test.plot_range_test` draws the curve.

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
    Three rules are computed and all kept:

    * ``steepest_lr``: where the smoothed loss falls fastest per decade of lr (most negative
      ``d smoothed / d log10(lr)``), searched between 10 % of the way in (the first points are
      mostly the moving average warming up) and the smoothed minimum.
    * ``min_loss_lr / 10``: one decade below the lr of the smallest smoothed loss. The minimum
      itself is already at the edge of divergence (the loss is smoothed, so it lags behind),
      so training there is too aggressive; a decade lower is the usual rule for a peak lr
      (fastai's ``minimum`` suggestion).
    * ``valley_lr``: fastai's ``valley`` rule, its ``lr_find`` default since fastai 2.4 (2021): about
      halfway along the longest descending stretch of the smoothed loss
      (:func:`~lrutils.training.range_rules.valley_index`).

    ``suggestion`` is ``min_loss_lr / 10``: it is meant as the *peak* lr (``max_lr``) of a
    schedule such as OneCycleLR, which warms up to it and anneals away from it. On the demo
    (seeds 0-9, each seed's own test, :mod:`lrutils.training.range_compare`) it trained OneCycleLR
    closest to the tuned peak; the valley suggested a third to two thirds as much and trained
    worse, and the steepest point jumped from 0.16 to 0.82, often next to the minimum. All three
    are drawn by :func:`~lrutils.figures.range_test.plot_range_test`; notebook 10 compares them by
    training with each.

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

import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..curves.spec import REQUIRED, ParamSpec
from ..text.i18n import tr
from .data import N_TRAIN, seeded_one_thread
from .demo import BATCH_SIZE
from .range_rules import steepest_index, valley_index
from .range_sweep import (
    check_model_fits,
    check_owned_params,
    demo_sweep,
    own_sweep,
    restore_state,
    save_state,
    sweep_lrs,
)

DEFAULT_START_LR = 1e-5
DEFAULT_END_LR = 10.0
DEFAULT_NUM_ITER = 300
DEFAULT_SMOOTH = 0.98
DEFAULT_DIVERGE_FACTOR = 4.0
MIN_NUM_ITER = 10
MAX_NUM_ITER = 100_000
"""A sweep of more batches than this is refused (the usual one has 100-300)."""
MAX_DECADES = 20
"""Widest sweep accepted, in powers of ten from start_lr to end_lr."""
EARLY_STOP_FRACTION = 0.1
"""A sweep that stops within this fraction of its batches gets a warning: too few points to trust."""


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
    valley_lr: float
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
            "valley_lr",
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
        stop = tr("stopped early at lr {lr:.3e}", lr=self.diverged_lr) if self.stopped_early else tr("ran to end_lr")
        return "\n".join(
            [
                tr("batches run          {n} of {total} ({stop})", n=len(self.lrs), total=self.num_iter, stop=stop),
                tr("best smoothed loss   {loss:.4f} at lr {lr:.3e}", loss=self.best_loss, lr=self.min_loss_lr),
                tr("steepest descent at  lr {lr:.3e}", lr=self.steepest_lr),
                tr("valley (fastai)      lr {lr:.3e}", lr=self.valley_lr),
                tr("min-loss lr / 10     lr {lr:.3e}  <- suggestion (max_lr)", lr=self.min_div10_lr),
            ]
        )


def _positive(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive finite number, got {type(value).__name__} {value!r}")
    try:
        number = float(value)
    except OverflowError:  # an int beyond float range
        raise ValueError(f"{name} must be a positive finite number, got one beyond float range") from None
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return number


def _integer(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    return ParamSpec(name, "int", REQUIRED, low=minimum, high=maximum).check(value)


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
    n = _integer("num_iter", num_iter, MIN_NUM_ITER, MAX_NUM_ITER)
    if isinstance(smooth, bool) or not isinstance(smooth, numbers.Real):
        raise TypeError(f"smooth must be a number in [0, 1), got {type(smooth).__name__} {smooth!r}")
    if not 0.0 <= smooth < 1.0:
        raise ValueError(f"smooth must be a number in [0, 1) (0 = no smoothing), got {smooth!r}")
    if isinstance(diverge_factor, bool) or not isinstance(diverge_factor, numbers.Real):
        raise TypeError(f"diverge_factor must be a number > 1, got {type(diverge_factor).__name__} {diverge_factor!r}")
    try:
        diverge_factor = float(diverge_factor)
    except OverflowError:  # an int beyond float range
        raise ValueError("diverge_factor must be a number > 1 within float range (inf: never stop early)") from None
    if not (diverge_factor > 1.0):  # also catches nan; inf means "never stop early"
        raise ValueError(f"diverge_factor must be a number > 1, got {diverge_factor!r}")
    s = _integer("seed", seed, 0, 2**31)
    b = _integer("batch_size", batch_size, 1)
    if b > N_TRAIN:
        raise ValueError(f"batch_size must be at most the {N_TRAIN} training points, got {b!r}")
    return start, end, n, float(smooth), float(diverge_factor), s, b


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
        check_owned_params(model, optimizer)
        check_model_fits(model)

    if model is None or optimizer is None:
        record = demo_sweep(start, end, n, beta, factor, seed, batch)
    else:
        with seeded_one_thread(seed):
            saved = save_state(model, optimizer)
            try:
                record = own_sweep(model, optimizer, start, end, n, beta, factor, seed, batch)
            finally:
                restore_state(model, optimizer, saved)
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
        valley_lr=float(lrs[valley_index(smoothed, n)]),
        start_lr=start,
        end_lr=end,
        num_iter=n,
        smooth=beta,
        diverge_factor=factor,
        seed=seed,
        batch_size=batch,
    )


__all__ = ["RangeTestResult", "lr_range_test", "sweep_lrs"]
