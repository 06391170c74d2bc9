"""The training loop around a scheduler: what the optimizer really used, checkpoints, conversions.

* :class:`LrRecorder` records every param group's lr each time ``optimizer.step()`` really runs
  (an optimizer step pre-hook), so a step skipped by ``GradScaler`` leaves no entry.
* :func:`two_part_model`, :func:`batch`, :func:`loss_of` and :func:`run_steps`: a tiny model with a
  ``backbone`` and a ``head`` and a plain loop (``zero_grad``, ``backward``, ``optimizer.step()``,
  ``scheduler.step()``) to run schedulers in. Only learning rates are meant to be printed: losses
  and weights of float32 training can differ in the last bits from one CPU to another.
* :func:`checkpoint` and :func:`resume_roundtrip`: save a run half-way (through ``torch.save`` and
  ``torch.load``, as a file would), resume it with your code, and compare every lr with the run
  that was never interrupted.
* :func:`epochs_to_batches`: the same schedule stepped once per batch instead of once per epoch.
* :func:`lr_table`, :func:`plot_lr_runs`, :class:`CaughtWarnings`: show what happened.
"""

from __future__ import annotations

import io
import math
import textwrap
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import matplotlib
import numpy as np
import torch
from matplotlib.figure import Figure

from .schedules import get_spec
from .schedules._spec import REQUIRED, ParamSpec
from .style import MAX_WIDTH, RC_PARAMS

Run = tuple[torch.nn.Module, torch.optim.Optimizer, Any]
"""``(model, optimizer, scheduler)``: what ``start()`` and ``resume(checkpoint)`` return."""

BATCH_SIZE = 8
N_FEATURES = 4
N_CLASSES = 3

# --- recording -------------------------------------------------------------------------------------


class LrRecorder:
    """Record every param group's lr each time ``optimizer.step()`` really runs.

    Use it as a context manager; ``lrs`` is an array of shape ``(steps, param groups)``. A step
    that ``GradScaler`` skips never calls ``optimizer.step()``, so it leaves no row.

    >>> w = torch.zeros(1, requires_grad=True)
    >>> opt = torch.optim.SGD([w], lr=0.1)
    >>> with LrRecorder(opt) as used:
    ...     opt.step()
    ...     opt.param_groups[0]["lr"] = 0.05
    ...     opt.step()
    >>> used.lrs.tolist()
    [[0.1], [0.05]]
    """

    def __init__(self, optimizer: torch.optim.Optimizer) -> None:
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self._rows: list[list[float]] = []
        self._handle: Any = None

    def _hook(self, optimizer: torch.optim.Optimizer, args: Any, kwargs: Any) -> None:
        self._rows.append([float(group["lr"]) for group in optimizer.param_groups])

    def __enter__(self) -> LrRecorder:
        self._handle = self.optimizer.register_step_pre_hook(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.remove()

    @property
    def lrs(self) -> np.ndarray:
        """The lr of every group at every real optimizer step, shape ``(steps, groups)``."""
        return np.array(self._rows, dtype=float).reshape(len(self._rows), len(self.optimizer.param_groups))


class CaughtWarnings:
    """Catch every warning inside a ``with`` block; ``texts`` are ``"Category: message"`` (no file or line).

    >>> with CaughtWarnings() as caught:
    ...     warnings.warn("careful")
    >>> caught.texts
    ['UserWarning: careful']
    """

    def __init__(self) -> None:
        self._manager = warnings.catch_warnings(record=True)
        self._records: list[warnings.WarningMessage] = []

    def __enter__(self) -> CaughtWarnings:
        self._records = self._manager.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc: object) -> None:
        self._manager.__exit__(*exc)

    @property
    def texts(self) -> list[str]:
        """One ``"Category: message"`` string per warning, in order."""
        return [f"{w.category.__name__}: {w.message}" for w in self._records]

    def __str__(self) -> str:
        if not self._records:
            return "no warnings"
        return "\n".join(textwrap.fill(text, 110, subsequent_indent="    ") for text in self.texts)


# --- a tiny model and data -------------------------------------------------------------------------


def two_part_model(seed: int = 0) -> torch.nn.Sequential:
    """A tiny classifier with a ``backbone`` (Linear 4->16, tanh) and a ``head`` (Linear 16->3).

    The weights come from a seeded generator with exact operations, the same on every run.

    >>> model = two_part_model()
    >>> [name for name, _ in model.named_children()]
    ['backbone', 'head']
    """
    seed = ParamSpec("seed", "int", REQUIRED, low=0).check(seed)
    model = torch.nn.Sequential(
        OrderedDict(
            backbone=torch.nn.Sequential(torch.nn.Linear(N_FEATURES, 16), torch.nn.Tanh()),
            head=torch.nn.Linear(16, N_CLASSES),
        )
    )
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in (model.backbone[0], model.head):
            bound = 1.0 / math.sqrt(layer.in_features)
            for param in (layer.weight, layer.bias):
                param.copy_((torch.rand(param.shape, generator=generator) * 2 - 1) * bound)
    return model


def batch(index: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Batch number ``index`` of an endless, deterministic stream: 8 points, 4 features, 3 classes.

    >>> x, y = batch(0)
    >>> tuple(x.shape), tuple(y.shape)
    ((8, 4), (8,))
    """
    index = ParamSpec("index", "int", REQUIRED, low=0).check(index)
    generator = torch.Generator().manual_seed(1_000_003 * seed + index)
    x = torch.randn(BATCH_SIZE, N_FEATURES, generator=generator)
    y = torch.randint(0, N_CLASSES, (BATCH_SIZE,), generator=generator)
    return x, y


def loss_of(model: torch.nn.Module, xy: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    """Cross-entropy of ``model`` on one batch ``(x, y)``.

    >>> loss_of(two_part_model(), batch(0)).shape
    torch.Size([])
    """
    x, y = xy
    return torch.nn.functional.cross_entropy(model(x), y)


def run_steps(
    model: torch.nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any, n_steps: int, start: int = 0
) -> np.ndarray:
    """Train ``n_steps`` steps on batches ``start, start + 1, ...``; return the lrs the optimizer used.

    Each step is ``zero_grad``, ``loss.backward()``, ``optimizer.step()``, then ``scheduler.step()``
    (skipped if ``scheduler`` is None). The result has shape ``(n_steps, param groups)``.

    >>> model = two_part_model()
    >>> opt = torch.optim.SGD(model.parameters(), lr=1.0)
    >>> sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> run_steps(model, opt, sched, 5)[:, 0].tolist()
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    n_steps = ParamSpec("n_steps", "int", REQUIRED, low=0).check(n_steps)
    start = ParamSpec("start", "int", REQUIRED, low=0).check(start)
    with LrRecorder(optimizer) as used:
        for i in range(start, start + n_steps):
            optimizer.zero_grad()
            loss_of(model, batch(i)).backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
    return used.lrs


# --- checkpoints -----------------------------------------------------------------------------------


def checkpoint(model: torch.nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any, step: int) -> dict[str, Any]:
    """The usual checkpoint dict, passed through ``torch.save`` and ``torch.load`` as a file would be.

    Keys: ``"model"``, ``"optimizer"``, ``"scheduler"`` (their ``state_dict()``) and ``"step"``.

    >>> model = two_part_model()
    >>> opt = torch.optim.SGD(model.parameters(), lr=0.1)
    >>> sorted(checkpoint(model, opt, torch.optim.lr_scheduler.StepLR(opt, 3), step=0))
    ['model', 'optimizer', 'scheduler', 'step']
    """
    state = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "step": ParamSpec("step", "int", REQUIRED, low=0).check(step),
    }
    buffer = io.BytesIO()
    torch.save(state, buffer)
    buffer.seek(0)
    return torch.load(buffer)


@dataclass
class Roundtrip:
    """An uninterrupted run and the same run checkpointed at ``stop_at`` and resumed.

    ``uninterrupted`` and ``resumed`` hold the lr of every group at every optimizer step, shape
    ``(steps, groups)``; ``resumed`` is shorter when resuming raised (``error`` says what).
    ``weights_match`` says whether the final weights are bit for bit those of the uninterrupted run.
    """

    uninterrupted: np.ndarray
    resumed: np.ndarray
    stop_at: int
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    weights_match: bool | None = None

    @property
    def matches(self) -> bool:
        """Every lr of the resumed run equals the uninterrupted one exactly, and nothing raised."""
        return self.error is None and np.array_equal(self.uninterrupted, self.resumed)

    @property
    def first_difference(self) -> int | None:
        """The first optimizer step whose lr differs (or is missing), or None."""
        n = min(len(self.uninterrupted), len(self.resumed))
        differs = np.flatnonzero(np.any(self.uninterrupted[:n] != self.resumed[:n], axis=1))
        if len(differs):
            return int(differs[0])
        return None if len(self.resumed) == len(self.uninterrupted) else n


def describe_error(err: BaseException) -> str:
    """``"TypeName: message"``; a KeyError's message without the quotes and escapes of its repr.

    >>> describe_error(KeyError("no 'initial_lr'"))
    "KeyError: no 'initial_lr'"
    """
    text = err.args[0] if isinstance(err, KeyError) and len(err.args) == 1 else err
    return f"{type(err).__name__}: {text}"


def _as_run(value: Any, who: str) -> Run:
    ok = isinstance(value, (tuple, list)) and len(value) == 3
    if not ok or not isinstance(value[0], torch.nn.Module) or not isinstance(value[1], torch.optim.Optimizer):
        raise TypeError(f"{who} must return (model, optimizer, scheduler), got {type(value).__name__} {value!r:.80}")
    return value[0], value[1], value[2]


def resume_roundtrip(
    start: Callable[[], Run], resume: Callable[[dict[str, Any]], Run], n_steps: int, stop_at: int
) -> Roundtrip:
    """Run ``start()`` for ``n_steps``; run it again, checkpoint at ``stop_at``, ``resume`` and finish.

    ``start()`` builds a fresh ``(model, optimizer, scheduler)``; ``resume(checkpoint)`` gets the
    dict of :func:`checkpoint` and returns the run to continue with. Errors raised by ``resume``
    or while stepping after it are kept in ``error``; warnings after resuming in ``warnings``.

    >>> def start():
    ...     model = two_part_model()
    ...     opt = torch.optim.SGD(model.parameters(), lr=0.1)
    ...     return model, opt, torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    >>> def resume(ck):
    ...     model, opt, sched = start()
    ...     model.load_state_dict(ck["model"])
    ...     opt.load_state_dict(ck["optimizer"])
    ...     sched.load_state_dict(ck["scheduler"])
    ...     return model, opt, sched
    >>> resume_roundtrip(start, resume, n_steps=6, stop_at=3).matches
    True
    """
    n_steps = ParamSpec("n_steps", "int", REQUIRED, low=1).check(n_steps)
    stop_at = ParamSpec("stop_at", "int", REQUIRED, low=0, high=n_steps).check(stop_at)
    model, optimizer, scheduler = _as_run(start(), "start()")
    full = run_steps(model, optimizer, scheduler, n_steps)
    final_weights = [p.detach().clone() for p in model.parameters()]

    model, optimizer, scheduler = _as_run(start(), "start()")
    first = run_steps(model, optimizer, scheduler, stop_at)
    saved = checkpoint(model, optimizer, scheduler, step=stop_at)
    with CaughtWarnings() as caught:
        try:
            model, optimizer, scheduler = _as_run(resume(saved), "resume(checkpoint)")
        except Exception as err:  # the learner's code: report it, do not crash the notebook
            return Roundtrip(full, first, stop_at, f"resume(checkpoint) raised {describe_error(err)}")
        with LrRecorder(optimizer) as used:
            error = None
            try:
                run_steps(model, optimizer, scheduler, n_steps - stop_at, start=stop_at)
            except Exception as err:  # e.g. OneCycleLR's "Tried to step"
                error = f"after {stop_at + len(used.lrs)} optimizer steps the resumed run raised {describe_error(err)}"
    if used.lrs.shape[1] != first.shape[1]:
        error = f"the resumed optimizer has {used.lrs.shape[1]} param groups, the saved one {first.shape[1]}"
        return Roundtrip(full, first, stop_at, error, caught.texts)
    resumed = np.concatenate([first, used.lrs])
    weights = None
    if error is None:
        weights = all(torch.equal(a, b.detach()) for a, b in zip(final_weights, model.parameters(), strict=True))
    return Roundtrip(full, resumed, stop_at, error, caught.texts, weights)


def resume_with_last_epoch(
    name: str, kwargs: Mapping[str, Any], n_steps: int, stop_at: int, last_epoch: int, base_lr: float = 0.1
) -> Roundtrip:
    """Resume ``torch.optim.lr_scheduler.<name>(optimizer, **kwargs)`` with ``last_epoch=`` instead of its state_dict.

    The run is SGD on :func:`two_part_model` from ``base_lr``. The resume loads the model's and the
    optimizer's state (so ``initial_lr`` is there), then builds the scheduler with ``last_epoch``.

    >>> resume_with_last_epoch("ExponentialLR", {"gamma": 0.9}, n_steps=8, stop_at=4, last_epoch=3).matches
    True
    """
    spec = get_spec(name)
    if spec.factory is not None or spec.unit == "metric" or not hasattr(torch.optim.lr_scheduler, spec.name):
        raise ValueError(
            f"resume_with_last_epoch needs one torch scheduler class stepped without a metric, such as 'StepLR'; "
            f"got {name!r}"
        )
    cls = getattr(torch.optim.lr_scheduler, spec.name)
    last_epoch = ParamSpec("last_epoch", "int", REQUIRED, low=-1).check(last_epoch)

    def start() -> Run:
        model = two_part_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=base_lr)
        return model, optimizer, cls(optimizer, **kwargs)

    def resume(saved: dict[str, Any]) -> Run:
        model = two_part_model()
        model.load_state_dict(saved["model"])
        optimizer = torch.optim.SGD(model.parameters(), lr=base_lr)
        optimizer.load_state_dict(saved["optimizer"])
        return model, optimizer, cls(optimizer, last_epoch=last_epoch, **kwargs)

    return resume_roundtrip(start, resume, n_steps, stop_at)


# --- mixed precision -------------------------------------------------------------------------------


def amp_run(
    make_scheduler: Callable[[torch.optim.Optimizer], Any],
    n_iterations: int,
    overflow_at: Iterable[int] = (),
    skip_aware: bool = False,
) -> tuple[np.ndarray, CaughtWarnings]:
    """A float16 autocast loop with ``GradScaler("cpu")``; returns the lrs the optimizer used and the warnings.

    At the iterations in ``overflow_at`` an ``inf`` is written into one gradient (what a float16
    overflow leaves), so ``scaler.step`` skips ``optimizer.step()``. With ``skip_aware`` the
    scheduler steps only when the scale did not drop in ``scaler.update()`` (no step was skipped).

    >>> make = lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    >>> lrs, caught = amp_run(make, 4, overflow_at=[1])
    >>> lrs[:, 0].tolist()
    [0.1, 0.025, 0.0125]
    """
    n_iterations = ParamSpec("n_iterations", "int", REQUIRED, low=1).check(n_iterations)
    overflow = {ParamSpec("overflow_at", "int", REQUIRED, low=0).check(i) for i in overflow_at}
    model = two_part_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = make_scheduler(optimizer)
    scaler = torch.amp.GradScaler("cpu", init_scale=256.0)  # small: this tiny model's float16 grads stay finite
    with LrRecorder(optimizer) as used, CaughtWarnings() as caught:
        for i in range(n_iterations):
            optimizer.zero_grad()
            with torch.autocast("cpu", dtype=torch.float16):
                loss = loss_of(model, batch(i))
            scaler.scale(loss).backward()
            if i in overflow:
                model.head.weight.grad[0, 0] = float("inf")
            scale = scaler.get_scale()
            scaler.step(optimizer)  # skips optimizer.step() when a gradient is inf or NaN
            scaler.update()  # and then halves the scale
            if not skip_aware or scaler.get_scale() >= scale:
                scheduler.step()
    return used.lrs, caught


# --- epochs to batches -----------------------------------------------------------------------------

_COUNTS_STEPS: dict[str, tuple[str, ...]] = {
    "StepLR": ("step_size",),
    "MultiStepLR": ("milestones",),
    "CosineAnnealingLR": ("T_max",),
    "LinearLR": ("total_iters",),
    "ConstantLR": ("total_iters",),
    "PolynomialLR": ("total_iters",),
    "CosineAnnealingWarmRestarts": ("T_0",),
    "warmup_cosine": ("warmup_steps", "T_max"),
    "warmup_stable_decay": ("warmup_steps", "stable_steps", "decay_steps"),
    "SequentialLR": ("milestones",),
}
"""The keywords that count steps, per scheduler: multiplied by the batches per epoch."""


def epochs_to_batches(name: str, kwargs: Mapping[str, Any], batches_per_epoch: int) -> dict[str, Any]:
    """The keywords that give the same schedule when ``scheduler.step()`` runs once per batch.

    Step counts (``step_size``, ``milestones``, ``T_max``, ``total_iters``, ``T_0``, warm-up and
    decay lengths) are multiplied by ``batches_per_epoch``; ``ExponentialLR``'s ``gamma`` becomes
    ``gamma ** (1 / batches_per_epoch)``; the stages of ``SequentialLR`` and ``ChainedScheduler``
    are converted one by one. Schedulers that already count batches (OneCycleLR, CyclicLR, the
    published recipes) and those that cannot be converted (ReduceLROnPlateau, LambdaLR) are refused.

    >>> epochs_to_batches("MultiStepLR", {"milestones": [30, 60], "gamma": 0.1}, 100)
    {'milestones': [3000, 6000], 'gamma': 0.1}
    """
    spec = get_spec(name)
    per = ParamSpec("batches_per_epoch", "int", REQUIRED, low=1).check(batches_per_epoch)
    if name == "ReduceLROnPlateau":
        raise ValueError(
            "ReduceLROnPlateau cannot be converted: it reacts to a metric measured once per epoch; "
            "keep stepping it once per epoch, after validation"
        )
    if name == "LambdaLR":
        raise ValueError(
            "LambdaLR cannot be converted automatically: write lr_lambda=lambda t: f(t / batches_per_epoch)"
        )
    if spec.unit == "batch":
        raise ValueError(f"{name} already counts optimizer steps (batches); give its lengths in batches")
    params = spec.resolve(1, dict(kwargs), with_data=False)
    out = dict(params)
    for key in _COUNTS_STEPS.get(name, ()):
        value = params[key]
        out[key] = [m * per for m in value] if isinstance(value, list) else value * per
    if name == "ExponentialLR":
        out["gamma"] = params["gamma"] ** (1.0 / per)
    if name in ("SequentialLR", "ChainedScheduler"):
        out["schedulers"] = [(stage, epochs_to_batches(stage, kw, per)) for stage, kw in params["schedulers"]]
    keep = set(kwargs) | set(_COUNTS_STEPS.get(name, ())) | {"schedulers"}  # defaulted lengths count steps too
    return {key: value for key, value in out.items() if key in keep}


# --- showing results -------------------------------------------------------------------------------


def _columns(columns: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Every column as 1-D: a 2-D ``(steps, groups)`` array with several groups becomes one per group."""
    if not columns:
        raise ValueError("columns must map at least one label to an array of learning rates")
    out: dict[str, np.ndarray] = {}
    for label, values in columns.items():
        array = np.asarray(values, dtype=float)
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim == 1:
            out[label] = array
        elif array.ndim == 2:
            for g in range(array.shape[1]):
                out[f"{label} [group {g}]"] = array[:, g]
        else:
            raise ValueError(f"columns[{label!r}] must be 1-D or (steps, groups), got shape {array.shape}")
    return out


def lr_table(columns: Mapping[str, Any], steps: Iterable[int] | None = None, digits: int = 4) -> str:
    """A text table: one row per step, one column per run; ``-`` where a run has no such step.

    >>> print(lr_table({"a": [0.1, 0.05], "b": [0.1]}))
    step           a           b
       0         0.1         0.1
       1        0.05           -
    """
    digits = ParamSpec("digits", "int", REQUIRED, low=1, high=17).check(digits)
    cols = _columns(columns)
    rows = range(max(len(v) for v in cols.values())) if steps is None else list(steps)
    widths = [max(len(label), digits + 6) for label in cols]
    lines = ["step  " + "  ".join(f"{label:>{w}}" for label, w in zip(cols, widths, strict=True))]
    for step in rows:
        cells = []
        for values, w in zip(cols.values(), widths, strict=True):
            cells.append(f"{values[step]:>{w}.{digits}g}" if 0 <= step < len(values) else f"{'-':>{w}}")
        lines.append(f"{step:4d}  " + "  ".join(cells))
    return "\n".join(lines)


def plot_lr_runs(
    runs: Mapping[str, Any],
    title: str = "",
    at: int | None = None,
    log: bool = False,
    xlabel: str = "optimizer step",
    styles: Mapping[str, str] | None = None,
) -> Figure:
    """Overlay lr sequences (1-D, or ``(steps, groups)``), with a dashed line at step ``at`` if given.

    >>> fig = plot_lr_runs({"a": [0.1, 0.05], "b": [[0.1, 1.0], [0.05, 0.5]]}, at=1)
    >>> len(fig.axes[0].lines)
    4
    """
    cols = _columns(runs)
    styles = dict(styles or {})
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(MAX_WIDTH, 3.6), layout="constrained")
        ax = fig.add_subplot()
        for label, values in cols.items():
            ax.plot(np.arange(len(values)), values, styles.get(label, "-"), label=label, markersize=4)
        if at is not None:
            ax.axvline(at, color="gray", linestyle="--", linewidth=1)
            ax.annotate(
                "resumed here",
                (at, 0),  # at the bottom: curves start at the top, where the lr is largest
                xycoords=("data", "axes fraction"),
                xytext=(4, 4),
                textcoords="offset points",
                color="gray",
            )
        ax.set_xlabel(xlabel)
        ax.set_ylabel("learning rate")
        if log:
            ax.set_yscale("log")
        ax.grid(True, alpha=0.3)
        if title:
            ax.set_title(title)
        ax.legend(loc="best")
    return fig


def plot_lr_grid(
    panels: Mapping[str, Mapping[str, Any]], ncols: int = 2, xlabel: str = "optimizer step", log: bool = False
) -> Figure:
    """One panel per title, each overlaying its lr sequences (as :func:`plot_lr_runs` does).

    >>> fig = plot_lr_grid({"one": {"a": [1.0, 0.5]}, "two": {"b": [0.1, 0.2], "c": [0.2, 0.1]}, "three": {"d": [1]}})
    >>> len(fig.axes), len(fig.axes[1].lines)
    (4, 2)
    """
    if not panels:
        raise ValueError("panels must map at least one title to a mapping label -> array")
    ncols = ParamSpec("ncols", "int", REQUIRED, low=1).check(ncols)
    nrows = math.ceil(len(panels) / ncols)
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(MAX_WIDTH, 3.0 * nrows), layout="constrained")  # the series' width, not per column
        axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
        for ax, (title, runs) in zip(axes, panels.items(), strict=False):
            for label, values in _columns(runs).items():
                ax.plot(np.arange(len(values)), values, label=label)
            ax.set_title(title)
            ax.set_xlabel(xlabel)
            ax.set_ylabel("learning rate")
            ax.locator_params(axis="x", nbins=5)  # long runs: tick labels that do not collide
            if log:
                ax.set_yscale("log")
            ax.grid(True, alpha=0.3)
            if len(runs) > 1:
                ax.legend(loc="best")
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
    return fig


__all__ = [
    "CaughtWarnings",
    "LrRecorder",
    "Roundtrip",
    "amp_run",
    "batch",
    "checkpoint",
    "describe_error",
    "epochs_to_batches",
    "loss_of",
    "lr_table",
    "plot_lr_grid",
    "plot_lr_runs",
    "resume_roundtrip",
    "resume_with_last_epoch",
    "run_steps",
    "two_part_model",
]
