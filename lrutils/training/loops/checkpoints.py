"""Checkpoints: save a run half-way (through ``torch.save`` and ``torch.load``, as a file would), resume
it with your code, and compare every lr with the run that was never interrupted.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from ...curves.spec import REQUIRED, ParamSpec, check_base_lr
from ...curves.table import get_spec
from ...text.i18n import tr
from .recording import CaughtWarnings, LrRecorder
from .toy import describe_error, run_steps, two_part_model

Run = tuple[torch.nn.Module, torch.optim.Optimizer, Any]
"""``(model, optimizer, scheduler)``: what ``start()`` and ``resume(checkpoint)`` return."""


def through_a_file(state: dict[str, Any]) -> dict[str, Any]:
    """``state`` passed through ``torch.save`` and ``torch.load`` (``weights_only``, the default), as a file would be.

    >>> through_a_file({"step": 3, "scale": 128.0})
    {'step': 3, 'scale': 128.0}
    """
    buffer = io.BytesIO()
    torch.save(state, buffer)
    buffer.seek(0)
    try:
        return torch.load(buffer)
    except pickle.UnpicklingError:  # torch.load (weights_only) refuses numpy numbers: say which and why
        where = _numpy_values(state)
        raise ValueError(
            tr(
                "the checkpoint holds numpy numbers ({where}), which torch.load refuses by default "
                "(weights_only=True); pass plain Python numbers to the scheduler, e.g. gamma=float(gamma)",
                where=", ".join(where) or "somewhere in a state_dict",
            )
        ) from None


def checkpoint(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    step: int,
    scaler: torch.amp.GradScaler | None = None,
) -> dict[str, Any]:
    """The usual checkpoint dict, passed through ``torch.save`` and ``torch.load`` as a file would be.

    Keys: ``"model"``, ``"optimizer"``, ``"scheduler"`` (their ``state_dict()``) and ``"step"``;
    with mixed precision also ``"scaler"``, the ``GradScaler``'s ``state_dict()`` (its scale).

    >>> model = two_part_model()
    >>> opt = torch.optim.SGD(model.parameters(), lr=0.1)
    >>> sorted(checkpoint(model, opt, torch.optim.lr_scheduler.StepLR(opt, 3), step=0))
    ['model', 'optimizer', 'scheduler', 'step']
    >>> scheduler = torch.optim.lr_scheduler.StepLR(opt, 3)
    >>> checkpoint(model, opt, scheduler, 0, scaler=torch.amp.GradScaler("cpu"))["scaler"]["scale"]
    65536.0
    """
    state = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "step": ParamSpec("step", "int", REQUIRED, low=0).check(step),
    }
    if scaler is not None:
        if not isinstance(scaler, torch.amp.GradScaler):
            raise TypeError(tr("scaler must be a torch.amp.GradScaler or None, got {kind}", kind=type(scaler).__name__))
        state["scaler"] = scaler.state_dict()
    return through_a_file(state)


def _numpy_values(value: Any, path: str = "") -> list[str]:
    """Where numpy scalars sit in a nested checkpoint (``scheduler.gamma``)."""
    if isinstance(value, np.generic):
        return [path or "the value"]
    if isinstance(value, Mapping):
        return [found for k, v in value.items() for found in _numpy_values(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, (list, tuple)):
        return [found for i, v in enumerate(value) for found in _numpy_values(v, f"{path}[{i}]")]
    return []


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
    cause: str | None = None
    """The exception itself when resuming or stepping raised (``error`` says where), e.g. for a checker to quote."""

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


def _not_a_run(value: Any, who: str) -> str | None:
    """What is wrong with ``value`` as the ``(model, optimizer, scheduler)`` that ``who`` returned, or None."""
    if value is None:
        return tr("{who} returned None; it must return (model, optimizer, scheduler)", who=who)
    ok = isinstance(value, (tuple, list)) and len(value) == 3
    if not ok or not isinstance(value[0], torch.nn.Module) or not isinstance(value[1], torch.optim.Optimizer):
        return tr(
            "{who} must return (model, optimizer, scheduler), got {kind} {value}",
            who=who,
            kind=type(value).__name__,
            value=f"{value!r:.80}",
        )
    return None


def _as_run(value: Any, who: str) -> Run:
    problem = _not_a_run(value, who)
    if problem is not None:
        raise TypeError(problem)
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
            returned = resume(saved)
        except Exception as err:  # the learner's code: report it, do not crash the notebook
            error = tr("resume(checkpoint) raised {error}", error=describe_error(err))
            return Roundtrip(full, first, stop_at, error, cause=describe_error(err))
        problem = _not_a_run(returned, "resume(checkpoint)")
        if problem is not None:
            return Roundtrip(full, first, stop_at, problem)
        model, optimizer, scheduler = returned[0], returned[1], returned[2]
        with LrRecorder(optimizer) as used:
            error = cause = None
            try:
                run_steps(model, optimizer, scheduler, n_steps - stop_at, start=stop_at)
            except Exception as err:  # e.g. OneCycleLR's "Tried to step"
                cause = describe_error(err)
                error = tr(
                    "after {n} optimizer steps the resumed run raised {error}",
                    n=stop_at + used.steps,
                    error=describe_error(err),
                )
    if used.lrs.shape[1] != first.shape[1] or np.any(used.group_counts != first.shape[1]):
        error = tr(
            "the resumed optimizer has {groups} param groups, the saved one {saved}",
            groups=used.lrs.shape[1],
            saved=first.shape[1],
        )
        return Roundtrip(full, first, stop_at, error, caught.texts)
    resumed = np.concatenate([first, used.lrs])
    weights = None
    if error is None:
        weights = all(torch.equal(a, b.detach()) for a, b in zip(final_weights, model.parameters(), strict=True))
    return Roundtrip(full, resumed, stop_at, error, caught.texts, weights, cause)


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
    base_lr = check_base_lr(base_lr)
    if not isinstance(kwargs, Mapping):
        raise TypeError(
            tr(
                "kwargs must be a dict of {name}'s keywords, such as {example}, got {value}",
                name=name,
                example="{'step_size': 2}",
                value=repr(kwargs),
            )
        )

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


__all__ = [
    "Roundtrip",
    "Run",
    "checkpoint",
    "resume_roundtrip",
    "resume_with_last_epoch",
    "through_a_file",
]
