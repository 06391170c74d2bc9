"""Self-check for notebook 13 (your own scheduler): a subclass of ``LRScheduler``, run and resumed.

* :func:`check_scheduler_class`: the learner's ``WarmupStepDecay(optimizer, warmup_steps, step_size,
  gamma, last_epoch=-1)`` must set the intended lr in both param groups at every one of
  :data:`STEPS` optimizer steps, survive ``torch.save`` of its ``state_dict``, and continue exactly
  when the run is resumed after :data:`STOP_AT` steps, from the checkpoint's ``state_dict`` and
  with ``last_epoch``.

The usual mistakes are recognised and named: ``get_lr`` multiplying the current lr by the factor at
every call, one lr for every group, a step count of its own instead of ``last_epoch``, a lambda
stored on ``self``, settings assigned after ``super().__init__``. ``None`` gives a polite "not yet".
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..text.i18n import tr
from ..training.loops import describe_error, resume_roundtrip, run_steps, two_part_model
from . import Verdict, limits
from .answers import function
from .limits import run_learner

WARMUP_STEPS = 5
STEP_SIZE = 10
GAMMA = 0.5
"""The check builds ``cls(optimizer, 5, 10, 0.5)``: warm-up over 5 steps, then halve every 10."""
STEPS = 40
STOP_AT = 17
"""40 optimizer steps; the checkpoint is taken after 17 of them."""
GROUP_LRS = (0.05, 0.5)
"""The optimizer's two param groups: the backbone at lr 0.05, the head at 0.5."""

SIGNATURE = "cls(optimizer, warmup_steps, step_size, gamma, last_epoch=-1)"


def intended_factor(t: int) -> float:
    """The exercise's factor: ``(t + 1) / w`` while ``t < w``, then ``gamma ** ((t - w) // step_size)``.

    >>> [intended_factor(t) for t in (0, 4, 5, 14, 15, 25)]
    [0.2, 1.0, 1.0, 1.0, 0.5, 0.25]
    """
    if t < WARMUP_STEPS:
        return (t + 1) / WARMUP_STEPS
    return GAMMA ** ((t - WARMUP_STEPS) // STEP_SIZE)


def intended_lrs(factor: Callable[[int], float] = intended_factor) -> np.ndarray:
    """The lrs of both groups at every step, shape ``(STEPS, 2)``: each group's lr times ``factor(t)``.

    >>> intended_lrs()[[0, 15]].tolist()
    [[0.010000000000000002, 0.1], [0.025, 0.25]]
    """
    return np.array([[lr * factor(t) for lr in GROUP_LRS] for t in range(STEPS)])


def make_optimizer(model: torch.nn.Module) -> torch.optim.Optimizer:
    """SGD with two param groups: ``model.backbone`` at lr 0.05 and ``model.head`` at 0.5.

    >>> [g["lr"] for g in make_optimizer(two_part_model()).param_groups]
    [0.05, 0.5]
    """
    groups = [
        {"params": model.backbone.parameters(), "lr": GROUP_LRS[0]},
        {"params": model.head.parameters(), "lr": GROUP_LRS[1]},
    ]
    return torch.optim.SGD(groups, lr=GROUP_LRS[0])


def _building_failed(error: Exception, doing: str) -> str:
    """What went wrong when ``cls(optimizer, 5, 10, 0.5)`` (``doing``: building or stepping it) raised ``error``."""
    detail = describe_error(error) if str(error) else type(error).__name__
    text = f"{doing} {tr('raised')} {detail}"
    if isinstance(error, AttributeError) and "has no attribute" in str(error):
        return tr(
            "{error}. LRScheduler.__init__ already takes the first step, which calls your "
            "get_lr(): assign your settings (self.warmup_steps = ...) before super().__init__(optimizer, last_epoch).",
            error=text,
        )
    if isinstance(error, NotImplementedError):
        return tr("{error}: define get_lr(self), which returns one lr per param group.", error=text)
    if isinstance(error, TypeError) and ("argument" in str(error) or "positional" in str(error)):
        return tr(
            "{error}. The check calls {signature} with (optimizer, 5, 10, 0.5).",
            error=text,
            signature=SIGNATURE,
        )
    if isinstance(error, TypeError) and "not iterable" in str(error):
        return tr(
            "{error}: get_lr must return a list with one lr per param group, not a number.",
            error=text,
        )
    if isinstance(error, ValueError) and "zip()" in str(error):
        return tr(
            "{error}: get_lr must return one lr per param group (this optimizer has {n}), "
            "e.g. [base_lr * factor for base_lr in self.base_lrs].",
            error=text,
            n=len(GROUP_LRS),
        )
    return text


def _standalone(cls: Callable[..., Any]) -> tuple[np.ndarray | None, str | None]:
    """The lrs of a fresh run of :data:`STEPS` steps with ``cls``, or what went wrong."""
    model = two_part_model()
    optimizer = make_optimizer(model)
    built = run_learner(cls, optimizer, WARMUP_STEPS, STEP_SIZE, GAMMA)
    if built.out_of_time:
        return None, _out_of_time()
    if built.error is not None:
        return None, _building_failed(built.error, tr("building your scheduler"))
    scheduler = built.value
    if not isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler):
        return None, tr(
            "{signature} returned {kind}, not a scheduler: write a class that subclasses "
            "torch.optim.lr_scheduler.LRScheduler.",
            signature=SIGNATURE,
            kind=type(scheduler).__name__,
        )
    ran = run_learner(run_steps, model, optimizer, scheduler, STEPS)
    if ran.out_of_time:
        return None, _out_of_time()
    if ran.error is not None:
        return None, _building_failed(ran.error, tr("stepping your scheduler"))
    return ran.value, None


def _out_of_time() -> str:
    return tr(
        "your scheduler was still running after {seconds:g} seconds and was stopped: does every loop in it end?",
        seconds=limits.TIME_LIMIT,
    )


def _compounded(t: int) -> float:
    """The factor a get_lr of ``current lr * factor(last_epoch)`` reaches at step t: every factor so far, multiplied."""
    return float(np.prod([intended_factor(i) for i in range(t + 1)]))


def _wrong_values(got: np.ndarray) -> str:
    """Why the standalone lrs differ from the intended ones, naming a known mistake where one fits."""
    want = intended_lrs()
    if np.allclose(got, intended_lrs(_compounded), rtol=1e-9, atol=0):
        return tr(
            "your lrs fall far too fast (step {t}: {got} instead of {want}): get_lr multiplies the current lr by "
            "the factor at every call, so the factors compound. Compute each lr from self.base_lrs and "
            "self.last_epoch instead.",
            t=STEPS - 1,
            got=f"{got[-1, 0]:.3g}",
            want=f"{want[-1, 0]:.3g}",
        )
    if np.allclose(got[:, 0], got[:, 1], rtol=1e-12, atol=0):
        return tr(
            "both param groups got the same lr ({lr} at step 0), but the backbone starts at {a} and the head at "
            "{b}: compute one lr per group from its own base lr, [base_lr * f for base_lr in self.base_lrs].",
            lr=f"{got[0, 0]:.4g}",
            a=GROUP_LRS[0],
            b=GROUP_LRS[1],
        )
    for shift in (1, -1):
        shifted = intended_lrs(lambda t, s=shift: intended_factor(max(t + s, 0)))
        if np.allclose(got, shifted, rtol=1e-12, atol=0):
            return tr(
                "every lr is one step {direction} of the schedule: compute the factor for self.last_epoch itself, "
                "which is 0 for the first optimizer step (the constructor's step) and 1 after one step().",
                direction=tr("ahead") if shift == 1 else tr("behind"),
            )
    if np.allclose(got, intended_lrs(lambda t: t / WARMUP_STEPS if t < WARMUP_STEPS else intended_factor(t))):
        return tr(
            "your warm-up starts at lr 0 (t / w): the exercise's warm-up is (t + 1) / w, so that the first step "
            "already moves the weights and step {last} (= w - 1) reaches the peak.",
            last=WARMUP_STEPS - 1,
        )
    t, g = np.argwhere(~np.isclose(got, want, rtol=1e-12, atol=0))[0]
    return tr(
        "at step {t} the {group} used lr {got}; the schedule says {want} ({lr} x {factor}).",
        t=int(t),
        group=tr("backbone") if g == 0 else tr("head"),
        got=f"{got[t, g]:.6g}",
        want=f"{want[t, g]:.6g}",
        lr=GROUP_LRS[g],
        factor=f"{intended_factor(int(t)):.6g}",
    )


def _unsaveable(cls: Callable[..., Any]) -> str | None:
    """What stops the scheduler's state_dict from going through torch.save and torch.load, or None."""
    optimizer = make_optimizer(two_part_model())
    state = cls(optimizer, WARMUP_STEPS, STEP_SIZE, GAMMA).state_dict()
    buffer = io.BytesIO()
    try:
        torch.save(state, buffer)
    except (pickle.PicklingError, AttributeError, TypeError) as err:
        return tr(
            "torch.save(scheduler.state_dict()) raised {error}. state_dict() holds every attribute of your "
            "scheduler, and a lambda or a function defined inside a function cannot be pickled: keep the formula "
            "in a method (def factor(self, t)) and only numbers in attributes.",
            error=describe_error(err),
        )
    buffer.seek(0)
    try:
        torch.load(buffer)
    except pickle.UnpicklingError:
        kinds = sorted({type(v).__name__ for v in state.values() if not isinstance(v, (int, float, list, bool))})
        return tr(
            "torch.load refuses this state_dict (it loads weights_only=True by default, which admits numbers, "
            "lists, dicts and tensors): your attributes hold {kinds}. Store settings as plain numbers.",
            kinds=", ".join(kinds) or tr("an object"),
        )
    return None


def _resume_from_state(cls: Callable[..., Any]) -> Callable[[dict[str, Any]], Any]:
    def resume(checkpoint: dict[str, Any]) -> tuple[torch.nn.Module, torch.optim.Optimizer, Any]:
        model = two_part_model()
        optimizer = make_optimizer(model)
        scheduler = cls(optimizer, WARMUP_STEPS, STEP_SIZE, GAMMA)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        return model, optimizer, scheduler

    return resume


def _resume_with_last_epoch(cls: Callable[..., Any]) -> Callable[[dict[str, Any]], Any]:
    def resume(checkpoint: dict[str, Any]) -> tuple[torch.nn.Module, torch.optim.Optimizer, Any]:
        model = two_part_model()
        model.load_state_dict(checkpoint["model"])
        optimizer = make_optimizer(model)
        optimizer.load_state_dict(checkpoint["optimizer"])  # brings initial_lr, which last_epoch >= 0 needs
        return model, optimizer, cls(optimizer, WARMUP_STEPS, STEP_SIZE, GAMMA, last_epoch=checkpoint["step"] - 1)

    return resume


def _roundtrips(cls: Callable[..., Any]) -> str | None:
    """Resume after :data:`STOP_AT` steps, from the state_dict and with last_epoch; what differs, or None."""

    def start() -> tuple[torch.nn.Module, torch.optim.Optimizer, Any]:
        model = two_part_model()
        optimizer = make_optimizer(model)
        return model, optimizer, cls(optimizer, WARMUP_STEPS, STEP_SIZE, GAMMA)

    from_state = resume_roundtrip(start, _resume_from_state(cls), STEPS, STOP_AT)
    if not from_state.matches:
        k = from_state.first_difference
        if from_state.error is not None:
            return tr("resumed from its state_dict after {n} steps: {error}", n=STOP_AT, error=from_state.error)
        return tr(
            "resumed from its state_dict after {n} steps, step {k} used lr {got}; the run that never stopped used "
            "{want}. Keep everything get_lr needs in attributes (state_dict saves self.__dict__) or derive it from "
            "self.last_epoch.",
            n=STOP_AT,
            k=k,
            got=f"{from_state.resumed[k, 0]:.6g}",
            want=f"{from_state.uninterrupted[k, 0]:.6g}",
        )
    with_epoch = resume_roundtrip(start, _resume_with_last_epoch(cls), STEPS, STOP_AT)
    if with_epoch.error is not None and "last_epoch" in with_epoch.error:
        return tr(
            "{signature} must accept last_epoch and pass it on: super().__init__(optimizer, last_epoch). Built "
            "with last_epoch={e}, it raised {error}",
            signature=SIGNATURE,
            e=STOP_AT - 1,
            error=with_epoch.cause or with_epoch.error,
        )
    if not with_epoch.matches:
        k = with_epoch.first_difference
        got = f"{with_epoch.resumed[k, 0]:.6g}" if k is not None and k < len(with_epoch.resumed) else "-"
        return tr(
            "built again with last_epoch={e} after {n} steps, your scheduler did not continue at step {n}: step {k} "
            "used lr {got}, the run that never stopped {want}. Compute the factor from self.last_epoch (torch sets "
            "it, and SequentialLR resets it at a milestone), not from a count of your own or from the current lr.",
            e=STOP_AT - 1,
            n=STOP_AT,
            k=k,
            got=got,
            want=f"{with_epoch.uninterrupted[k, 0]:.6g}",
        )
    return None


def check_scheduler_class(cls: Callable[..., Any] | None) -> Verdict:
    """The exercise: ``cls(optimizer, warmup_steps, step_size, gamma, last_epoch=-1)``, an ``LRScheduler``.

    Its lr is each group's initial lr times ``(t + 1) / warmup_steps`` for ``t < warmup_steps``,
    then ``gamma ** ((t - warmup_steps) // step_size)``. The check builds it with ``(optimizer, 5,
    10, 0.5)`` on SGD with two param groups (0.05 and 0.5), runs 40 steps, saves its state_dict,
    and resumes after 17 steps from the checkpoint and with ``last_epoch=16``.

    >>> check_scheduler_class(None).correct
    False
    """
    if cls is None:
        return Verdict(False, tr("write your class (class WarmupStepDecay(LRScheduler): ...) and pass it in."))
    function(cls, SIGNATURE)
    got, problem = _standalone(cls)
    if problem is not None:
        return Verdict(False, problem)
    assert got is not None
    if got.shape != (STEPS, len(GROUP_LRS)) or not np.allclose(got, intended_lrs(), rtol=1e-12, atol=0):
        return Verdict(False, _wrong_values(got))
    for step in (_unsaveable, _roundtrips):
        ran = run_learner(step, cls, seconds=4 * limits.TIME_LIMIT)
        if ran.out_of_time:
            return Verdict(False, _out_of_time())
        if ran.error is not None:
            return Verdict(False, tr("checking it raised {error}", error=describe_error(ran.error)))
        if ran.value is not None:
            return Verdict(False, ran.value)
    return Verdict(
        True,
        tr(
            "all {steps} lrs of both groups follow the schedule, the state_dict goes through torch.save, and the run "
            "resumed after {n} steps (from the checkpoint, and with last_epoch={e}) continues exactly: get_lr "
            "depends on self.base_lrs and self.last_epoch alone.",
            steps=STEPS,
            n=STOP_AT,
            e=STOP_AT - 1,
        ),
    )


__all__ = [
    "GAMMA",
    "GROUP_LRS",
    "STEPS",
    "STEP_SIZE",
    "STOP_AT",
    "WARMUP_STEPS",
    "check_scheduler_class",
    "intended_factor",
    "intended_lrs",
    "make_optimizer",
]
