"""Self-checks for notebook 12 (the training loop around the scheduler): the learner writes the loop.

* :func:`check_resume`: resume a half-finished run from its checkpoint so that every lr (and every
  weight) equals the run that was never interrupted.
* :func:`check_accumulation`: a warm-up + cosine loop with gradient accumulation over k = 4
  micro-batches, its lengths counted in optimizer steps.
* :func:`check_head_10x`: a backbone and a head in two param groups, the head at 10x the backbone's
  lr under ``OneCycleLR``.

Each check runs the learner's code on :func:`lrutils.loops.two_part_model`, records the lr the
optimizer really used at every step (:class:`lrutils.loops.LrRecorder`) and compares it with the
intended schedule; typical mistakes are replayed here and named. ``None`` gives a polite "not yet".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..curves import lr_curve
from ..loops import CaughtWarnings, LrRecorder, batch, loss_of, resume_roundtrip, run_steps, two_part_model
from . import Verdict

# --- exercise 1: resume ----------------------------------------------------------------------------

RESUME_STEPS = 40
RESUME_AT = 25
RESUME_MAX_LR = 0.01


def make_model() -> torch.nn.Module:
    """The model of exercise 1 (:func:`lrutils.loops.two_part_model`, seed 0).

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
            False, "write a function resume(checkpoint) that returns (model, optimizer, scheduler) and pass it in."
        )
    if not callable(resume):
        raise TypeError(f"resume must be a function resume(checkpoint), got {type(resume).__name__}")
    got = resume_roundtrip(make_run, resume, RESUME_STEPS, RESUME_AT)
    if got.error is not None:
        hint = ""
        if "initial_lr" in got.error:
            hint = " Build the scheduler without last_epoch and load its state_dict instead."
        elif "Tried to step" in got.error:
            hint = (
                " OneCycleLR counted more steps than total_steps: its count comes back with its state_dict "
                "(last_epoch=step passed by hand counts the constructor's step once more)."
            )
        return Verdict(False, f"{got.error}.{hint}")
    if got.matches:
        if got.weights_match:
            return Verdict(
                True,
                f"all {RESUME_STEPS} lrs and the final weights equal the uninterrupted run's, bit for bit: the model, "
                "the optimizer (lr, beta1, AdamW's moments) and the scheduler (its step count) all came back.",
            )
        return Verdict(
            False,
            "every lr matches, but the final weights do not: load the model's state_dict, and the optimizer's "
            "(it holds AdamW's moment estimates, not only the lr).",
        )
    k = got.first_difference
    assert k is not None  # not matching and no error: some step differs
    for wrong, why in (
        (
            _resume_without_scheduler_state,
            "the scheduler's state was not loaded, so OneCycleLR began its cycle again from step 0 after resuming; "
            "load checkpoint['scheduler'] into it.",
        ),
        (
            _resume_scheduler_built_after_load,
            "the scheduler was built after optimizer.load_state_dict: its constructor wrote max_lr / div_factor "
            "into the optimizer, and loading its state_dict does not undo that. Build the scheduler first, then "
            "load the optimizer, then the scheduler.",
        ),
    ):
        if np.array_equal(resume_roundtrip(make_run, wrong, RESUME_STEPS, RESUME_AT).resumed, got.resumed):
            return Verdict(False, f"from step {k} the lr differs: {why}")
    ours, theirs = got.resumed[k, 0], got.uninterrupted[k, 0]
    return Verdict(
        False,
        f"step {k} used lr {ours:.6g}; the uninterrupted run used {theirs:.6g}. Build model, optimizer and "
        "scheduler as make_run() does, then load the three state_dicts (the optimizer's before the scheduler's).",
    )


# --- exercise 2: gradient accumulation -------------------------------------------------------------

ACCUM_K = 4
ACCUM_MICRO_BATCHES = 96
ACCUM_WARMUP = 4
ACCUM_LR = 0.1
ACCUM_START_FACTOR = 0.25
ACCUM_OPTIMIZER_STEPS = ACCUM_MICRO_BATCHES // ACCUM_K


def accumulation_batches() -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The 96 micro-batches of exercise 2, ``(x, y)`` pairs of 8 points each.

    >>> len(accumulation_batches())
    96
    """
    return [batch(i) for i in range(ACCUM_MICRO_BATCHES)]


def _accumulation_curve(warmup: int, t_max: int, n_steps: int = ACCUM_OPTIMIZER_STEPS) -> np.ndarray:
    kwargs = {"warmup_steps": warmup, "T_max": t_max, "start_factor": ACCUM_START_FACTOR}
    return lr_curve("warmup_cosine", n_steps, ACCUM_LR, **kwargs)


def _reference_accumulation(model: torch.nn.Module, optimizer: torch.optim.Optimizer, micro: list[Any]) -> None:
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=ACCUM_START_FACTOR, total_iters=ACCUM_WARMUP)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=ACCUM_OPTIMIZER_STEPS - ACCUM_WARMUP)
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[ACCUM_WARMUP])
    for i, xy in enumerate(micro):
        (loss_of(model, xy) / ACCUM_K).backward()
        if (i + 1) % ACCUM_K == 0:
            optimizer.step()
            optimizer.zero_grad()
            scheduler.step()


def _fresh_accumulation_setup() -> tuple[torch.nn.Module, torch.optim.Optimizer]:
    model = two_part_model()
    return model, torch.optim.SGD(model.parameters(), lr=ACCUM_LR, momentum=0.9)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    """The project's bar: ``|a - b| <= 1e-12 * ACCUM_LR + 1e-9 * |b|`` at every step, same length."""
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= 1e-12 * ACCUM_LR + 1e-9 * np.abs(b)))


def check_accumulation(train: Callable[[torch.nn.Module, torch.optim.Optimizer, list[Any]], Any] | None) -> Verdict:
    """Exercise 2: ``train(model, optimizer, micro_batches)`` accumulates k = 4 micro-batches per step.

    It must build its own scheduler: a LinearLR warm-up from ``0.25 * lr`` over the first 4
    optimizer steps, then CosineAnnealingLR down to 0 over the remaining ones. The check passes
    ``two_part_model()``, ``SGD(lr=0.1, momentum=0.9)`` and the 96 :func:`accumulation_batches`.

    >>> check_accumulation(None).correct
    False
    """
    if train is None:
        return Verdict(False, "write a function train(model, optimizer, micro_batches) with its loop and pass it in.")
    if not callable(train):
        raise TypeError(f"train must be a function train(model, optimizer, micro_batches), got {type(train).__name__}")
    model, optimizer = _fresh_accumulation_setup()
    with LrRecorder(optimizer) as used, CaughtWarnings() as caught:
        try:
            train(model, optimizer, accumulation_batches())
        except Exception as err:  # the learner's code: report it, do not crash the notebook
            return Verdict(False, f"your function raised {type(err).__name__}: {err}")
    lrs = used.lrs[:, 0] if used.lrs.size else np.empty(0)
    warned = " (torch warned: 'Detected call of `lr_scheduler.step()` before `optimizer.step()`'.)"
    warned = warned if any("before `optimizer.step()`" in t for t in caught.texts) else ""
    n, want_n = len(lrs), ACCUM_OPTIMIZER_STEPS
    if n != want_n:
        return Verdict(
            False,
            f"optimizer.step() ran {n} times; with {ACCUM_MICRO_BATCHES} micro-batches and k = {ACCUM_K} it should "
            f"run {want_n} times, once after every {ACCUM_K}th micro-batch.",
        )
    want = _accumulation_curve(ACCUM_WARMUP, want_n - ACCUM_WARMUP)
    if _close(lrs, want):
        reference_model, reference_optimizer = _fresh_accumulation_setup()
        _reference_accumulation(reference_model, reference_optimizer, accumulation_batches())
        same = all(
            torch.allclose(a, b, rtol=1e-4, atol=1e-6)
            for a, b in zip(model.parameters(), reference_model.parameters(), strict=True)
        )
        if not same:
            return Verdict(
                False,
                "the lrs are right, but the weights differ from the reference loop's: divide each micro-batch loss "
                f"by k = {ACCUM_K}, and call optimizer.zero_grad() after each optimizer.step(), not per micro-batch.",
            )
        return Verdict(
            True,
            f"{want_n} optimizer steps, each with the lr of the {want_n}-step schedule: warm-up over "
            f"{ACCUM_WARMUP} optimizer steps, T_max = {want_n} - {ACCUM_WARMUP} = {want_n - ACCUM_WARMUP}.",
        )
    long = _accumulation_curve(ACCUM_WARMUP, want_n - ACCUM_WARMUP, ACCUM_MICRO_BATCHES + 1)
    per_micro = [long[np.arange(want_n) * ACCUM_K + ACCUM_K - 1 + shift] for shift in (0, 1)]
    if any(_close(lrs, p) for p in per_micro):
        return Verdict(
            False,
            f"the scheduler stepped once per micro-batch, {ACCUM_K}x too fast: the warm-up was over before the "
            f"second optimizer step and the cosine reached 0 a quarter of the way in. Call scheduler.step() once "
            f"per optimizer step.{warned}",
        )
    micro_lengths = _accumulation_curve(ACCUM_WARMUP * ACCUM_K, (want_n - ACCUM_WARMUP) * ACCUM_K)
    if _close(lrs, micro_lengths):
        return Verdict(
            False,
            f"warm-up {ACCUM_WARMUP * ACCUM_K} and T_max {(want_n - ACCUM_WARMUP) * ACCUM_K} count micro-batches, but "
            f"the scheduler steps once per optimizer step: the schedule runs {ACCUM_K}x too slowly and never ends. "
            f"Count optimizer steps ({ACCUM_MICRO_BATCHES} / {ACCUM_K} = {want_n}).",
        )
    if _close(lrs, _accumulation_curve(ACCUM_WARMUP, want_n)):
        return Verdict(
            False,
            f"T_max counts the steps after the warm-up: {want_n} - {ACCUM_WARMUP} = {want_n - ACCUM_WARMUP}, "
            f"so that the cosine ends at the last step.",
        )
    if _close(lrs, _accumulation_curve(ACCUM_WARMUP, want_n - ACCUM_WARMUP, want_n + 1)[1:]):
        return Verdict(
            False,
            f"every step used the next step's lr: scheduler.step() runs before optimizer.step(), so the first "
            f"value of the warm-up is never used.{warned}",
        )
    k = int(np.argmax(np.abs(lrs - want) > 1e-12 * ACCUM_LR + 1e-9 * np.abs(want)))
    return Verdict(
        False,
        f"optimizer step {k} used lr {lrs[k]:.6g}; the intended schedule has {want[k]:.6g} there "
        f"(warm-up over {ACCUM_WARMUP} optimizer steps from {ACCUM_START_FACTOR} * lr, then a cosine to 0).{warned}",
    )


# --- exercise 3: a head at 10x the backbone's lr ---------------------------------------------------

HEAD_STEPS = 50
BACKBONE_MAX_LR = 0.01
HEAD_MAX_LR = 0.1


def _groups_of(model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> tuple[set[int], set[int], list[str]]:
    """The param groups that hold the backbone's and the head's parameters, and any problems."""
    where: dict[int, list[int]] = {}
    for g, group in enumerate(optimizer.param_groups):
        for p in group["params"]:
            where.setdefault(id(p), []).append(g)
    problems = []
    found: dict[str, set[int]] = {}
    for part in ("backbone", "head"):
        params = list(getattr(model, part).parameters())
        missing = [p for p in params if id(p) not in where]
        if missing:
            problems.append(f"model.{part}'s parameters are in no param group: the optimizer would never train them")
        found[part] = {g for p in params for g in where.get(id(p), [])}
    return found["backbone"], found["head"], problems


def check_head_10x(build: Callable[[torch.nn.Module], Any] | None) -> Verdict:
    """Exercise 3: ``build(model) -> (optimizer, scheduler)`` gives the head 10x the backbone's lr.

    Under ``OneCycleLR`` with ``total_steps=50``, the backbone must peak at 0.01 and the head at
    0.1, at every step in the ratio 10. The check steps it 50 times on ``two_part_model()``.

    >>> check_head_10x(None).correct
    False
    """
    if build is None:
        return Verdict(False, "write a function build(model) that returns (optimizer, scheduler) and pass it in.")
    if not callable(build):
        raise TypeError(f"build must be a function build(model), got {type(build).__name__}")
    model = two_part_model()
    try:
        built = build(model)
    except Exception as err:  # the learner's code: report it, do not crash the notebook
        return Verdict(False, f"build(model) raised {type(err).__name__}: {err}")
    if not (isinstance(built, (tuple, list)) and len(built) == 2 and isinstance(built[0], torch.optim.Optimizer)):
        return Verdict(False, f"build(model) must return (optimizer, scheduler), got {type(built).__name__}")
    optimizer, scheduler = built
    backbone, head, problems = _groups_of(model, optimizer)
    if problems:
        return Verdict(False, "; ".join(problems) + ".")
    if backbone & head:
        return Verdict(
            False,
            "the backbone and the head share a param group, so they share one lr: give each its own group, "
            "[{'params': model.backbone.parameters()}, {'params': model.head.parameters()}].",
        )
    if len(backbone) != 1 or len(head) != 1:
        return Verdict(False, "put the whole backbone in one param group and the whole head in another.")
    g_backbone, g_head = backbone.pop(), head.pop()
    try:
        with CaughtWarnings():
            lrs = run_steps(model, optimizer, scheduler, HEAD_STEPS)
    except Exception as err:
        return Verdict(False, f"stepping it {HEAD_STEPS} times raised {type(err).__name__}: {err}")
    ours_b, ours_h = lrs[:, g_backbone], lrs[:, g_head]
    want_b = lr_curve("OneCycleLR", HEAD_STEPS, max_lr=BACKBONE_MAX_LR, total_steps=HEAD_STEPS)
    want_h = lr_curve("OneCycleLR", HEAD_STEPS, max_lr=HEAD_MAX_LR, total_steps=HEAD_STEPS)

    def agree(a: np.ndarray, b: np.ndarray) -> bool:
        return bool(np.all(np.abs(a - b) <= 1e-12 * HEAD_MAX_LR + 1e-9 * np.abs(b)))

    if agree(ours_b, want_b) and agree(ours_h, want_h):
        return Verdict(
            True,
            f"the head's lr is 10x the backbone's at all {HEAD_STEPS} steps (peaks {HEAD_MAX_LR} and "
            f"{BACKBONE_MAX_LR}): OneCycleLR took max_lr as a list, one per param group.",
        )
    ratio = ours_h / ours_b
    if np.allclose(ratio, 1.0):
        return Verdict(
            False,
            f"both groups follow the same lr (peak {ours_h.max():.3g}): OneCycleLR overwrites every group's lr "
            f"with max_lr / div_factor, whatever lr the group had. Pass max_lr=[{BACKBONE_MAX_LR}, {HEAD_MAX_LR}], "
            "one value per group, in the order of the groups.",
        )
    if np.allclose(ratio, 0.1):
        return Verdict(
            False,
            "the head gets a tenth of the backbone's lr: the list max_lr follows the order of "
            "optimizer.param_groups; swap its two values (or the groups).",
        )
    if np.allclose(ratio, 10.0):
        if np.isclose(ours_b.max(), BACKBONE_MAX_LR) and np.isclose(ours_h.max(), HEAD_MAX_LR):
            peak = int(np.argmax(ours_h))
            return Verdict(
                False,
                f"the ratio and the peaks are right, but the cycle peaks at step {peak} instead of "
                f"{int(np.argmax(want_h))}: make it total_steps={HEAD_STEPS} long.",
            )
        return Verdict(
            False,
            f"the ratio is 10, but the peaks are {ours_b.max():.3g} and {ours_h.max():.3g}; they should be "
            f"{BACKBONE_MAX_LR} and {HEAD_MAX_LR}.",
        )
    return Verdict(
        False,
        f"the backbone's lr peaks at {ours_b.max():.3g} and the head's at {ours_h.max():.3g}; use "
        f"OneCycleLR(optimizer, max_lr=[{BACKBONE_MAX_LR}, {HEAD_MAX_LR}], total_steps={HEAD_STEPS}).",
    )


__all__ = [
    "ACCUM_K",
    "ACCUM_MICRO_BATCHES",
    "ACCUM_WARMUP",
    "BACKBONE_MAX_LR",
    "HEAD_MAX_LR",
    "HEAD_STEPS",
    "RESUME_AT",
    "RESUME_STEPS",
    "accumulation_batches",
    "check_accumulation",
    "check_head_10x",
    "check_resume",
    "make_model",
    "make_optimizer",
    "make_run",
    "make_scheduler",
]
