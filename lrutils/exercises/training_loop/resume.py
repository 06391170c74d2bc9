"""Exercise 1 of notebook 11: resume a half-finished run from its checkpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ...text.i18n import tr
from ...training.loops import resume_roundtrip, two_part_model
from .. import Verdict, limits
from ..answers import function
from ..limits import run_learner

RESUME_STEPS = 40
RESUME_AT = 25
RESUME_MAX_LR = 0.01


def make_model() -> torch.nn.Module:
    """The model of exercise 1 (:func:`lrutils.training.loops.two_part_model`, seed 0).

    >>> [name for name, _ in make_model().named_children()]
    ['backbone', 'head']
    """
    return two_part_model()


def make_optimizer(model: torch.nn.Module) -> torch.optim.Optimizer:
    """``AdamW(model.parameters(), lr=RESUME_MAX_LR)`` (OneCycleLR overwrites the lr and beta1 anyway).

    >>> type(make_optimizer(make_model())).__name__
    'AdamW'
    """
    return torch.optim.AdamW(model.parameters(), lr=RESUME_MAX_LR)


def make_scheduler(optimizer: torch.optim.Optimizer) -> torch.optim.lr_scheduler.OneCycleLR:
    """``OneCycleLR(optimizer, max_lr=0.01, total_steps=40)``: it cycles AdamW's beta1 too.

    >>> make_scheduler(make_optimizer(make_model())).total_steps
    40
    """
    return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=RESUME_MAX_LR, total_steps=RESUME_STEPS)


def make_run() -> tuple[torch.nn.Module, torch.optim.Optimizer, Any]:
    """A fresh run of exercise 1: ``(model, optimizer, scheduler)``, built in that order.

    >>> model, optimizer, scheduler = make_run()
    >>> type(scheduler).__name__, round(optimizer.param_groups[0]["lr"], 9)
    ('OneCycleLR', 0.0004)
    """
    model = make_model()
    optimizer = make_optimizer(model)
    return model, optimizer, make_scheduler(optimizer)


def _resume_without_scheduler_state(ck: dict[str, Any]) -> tuple[torch.nn.Module, torch.optim.Optimizer, Any]:
    model, optimizer, scheduler = make_run()
    model.load_state_dict(ck["model"])
    optimizer.load_state_dict(ck["optimizer"])
    return model, optimizer, scheduler


def _resume_scheduler_built_after_load(ck: dict[str, Any]) -> tuple[torch.nn.Module, torch.optim.Optimizer, Any]:
    model = make_model()
    model.load_state_dict(ck["model"])
    optimizer = make_optimizer(model)
    optimizer.load_state_dict(ck["optimizer"])
    scheduler = make_scheduler(optimizer)
    scheduler.load_state_dict(ck["scheduler"])
    return model, optimizer, scheduler


def check_resume(resume: Callable[[dict[str, Any]], Any] | None) -> Verdict:
    """Exercise 1: ``resume(checkpoint) -> (model, optimizer, scheduler)`` continues the run exactly.

    The run is :func:`make_run` trained for 40 steps; the checkpoint is taken after 25 (keys
    ``model``, ``optimizer``, ``scheduler``, ``step``). Right means all 40 lrs and the final
    weights equal the uninterrupted run's, bit for bit.

    >>> check_resume(None).correct
    False
    >>> def resume(checkpoint):
    ...     model, optimizer, scheduler = make_run()
    ...     model.load_state_dict(checkpoint["model"])
    ...     optimizer.load_state_dict(checkpoint["optimizer"])
    ...     scheduler.load_state_dict(checkpoint["scheduler"])
    ...     return model, optimizer, scheduler
    >>> check_resume(resume).correct
    True
    """
    if resume is None:
        return Verdict(
            False,
            tr("write a function resume(checkpoint) that returns (model, optimizer, scheduler) and pass it in."),
        )
    function(resume, "resume(checkpoint)")
    ran = run_learner(resume_roundtrip, make_run, resume, RESUME_STEPS, RESUME_AT)
    if ran.out_of_time:
        return Verdict(
            False,
            tr(
                "resume(checkpoint) was still running after {seconds:g} seconds and was stopped: does every loop "
                "in it end?",
                seconds=limits.TIME_LIMIT,
            ),
        )
    if ran.error is not None:  # resume_roundtrip keeps the learner's errors: this one is the check's own
        raise ran.error
    got = ran.value
    if got.error is not None:
        if "initial_lr" in got.error:
            hint = tr("Build the scheduler without last_epoch and load its state_dict instead.")
            return Verdict(False, f"{got.error}. {hint}")
        if "Tried to step" in got.error:
            hint = tr(
                "OneCycleLR counted more steps than total_steps: its count comes back with its state_dict "
                "(last_epoch=step passed by hand counts the constructor's step once more)."
            )
            return Verdict(False, f"{got.error}. {hint}")
        return Verdict(False, f"{got.error}.")
    if got.matches:
        if got.weights_match:
            return Verdict(
                True,
                tr(
                    "all {steps} lrs and the final weights equal the uninterrupted run's, bit for bit: the model, "
                    "the optimizer (lr, beta1, AdamW's moments) and the scheduler (its step count) all came back.",
                    steps=RESUME_STEPS,
                ),
            )
        return Verdict(
            False,
            tr(
                "every lr matches, but the final weights do not: load the model's state_dict, and the optimizer's "
                "(it holds AdamW's moment estimates, not only the lr)."
            ),
        )
    k = got.first_difference
    assert k is not None  # not matching and no error: some step differs
    for wrong, why in (
        (
            _resume_without_scheduler_state,
            tr(
                "the scheduler's state was not loaded, so OneCycleLR began its cycle again from step 0 after "
                "resuming; load checkpoint['scheduler'] into it."
            ),
        ),
        (
            _resume_scheduler_built_after_load,
            tr(
                "the scheduler was built after optimizer.load_state_dict: its constructor wrote max_lr / div_factor "
                "into the optimizer, and loading its state_dict does not undo that. Build the scheduler first, then "
                "load the optimizer, then the scheduler."
            ),
        ),
    ):
        if np.array_equal(resume_roundtrip(make_run, wrong, RESUME_STEPS, RESUME_AT).resumed, got.resumed):
            return Verdict(False, tr("from step {step} the lr differs: {why}", step=k, why=why))
    ours, theirs = got.resumed[k, 0], got.uninterrupted[k, 0]
    return Verdict(
        False,
        tr(
            "step {step} used lr {ours}; the uninterrupted run used {theirs}. Build model, optimizer and scheduler "
            "as make_run() does, then load the three state_dicts (the optimizer's before the scheduler's).",
            step=k,
            ours=f"{ours:.6g}",
            theirs=f"{theirs:.6g}",
        ),
    )


__all__ = [
    "RESUME_AT",
    "RESUME_MAX_LR",
    "RESUME_STEPS",
    "check_resume",
    "make_model",
    "make_optimizer",
    "make_run",
    "make_scheduler",
]
