"""One checker for every "write the training loop" exercise: run the learner's loop, record the lr
each real ``optimizer.step()`` used, compare with the intended schedule, and explain a difference.

The learner writes ``def loop(optimizer): ...``: build the scheduler on ``optimizer`` and run the
steps (``optimizer.step()`` and ``scheduler.step()``, plus ``scheduler.step(metric)`` for
ReduceLROnPlateau, in whatever order they think right). No model is needed: ``optimizer`` holds one
parameter whose gradient is zero, so ``optimizer.step()`` changes nothing but the record.
:func:`check_loop` says ``right`` or explains the first difference in the series' one wording:
what the loop used, what was intended, and the usual cause of that pattern.

Whatever the loop does, the check ends with a verdict: a loop that raises, never ends (a time
limit, :data:`~lrutils.exercises.limits.TIME_LIMIT` seconds, and a budget of
:data:`STEP_BUDGET` times the intended optimizer steps), adds or removes a param group, or writes
the intended lrs by hand without a scheduler is told so.

:func:`per_epoch_lrs` and :func:`epoch_mistakes` build the intended lrs and the usual mistakes of
a scheduler meant to be stepped once per epoch, for every per-epoch loop exercise.

>>> import torch
>>> def loop(optimizer):
...     scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
...     for _ in range(4):
...         optimizer.step()
...         scheduler.step()
>>> check_loop(loop, [0.1, 0.1, 0.05, 0.05], what="StepLR(step_size=2, gamma=0.5)")
right: your loop used the intended lr at all 4 optimizer steps of StepLR(step_size=2, gamma=0.5).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch

from ..curves.closed_form import lr_curve
from ..text.i18n import tr
from ..training.loops import CaughtWarnings, LrRecorder, describe_error
from . import Verdict, limits
from .answers import function

BASE_LR = 0.1
"""The lr the optimizer handed to the learner's loop starts with."""

STEP_BUDGET = 100
"""A loop may run this many times the intended number of optimizer steps before it is stopped."""


def optimizer_for_exercise(lr: float = BASE_LR) -> torch.optim.Optimizer:
    """SGD with momentum 0.9 on one parameter with a zero gradient: steps cost nothing and change nothing.

    >>> optimizer_for_exercise().param_groups[0]["lr"]
    0.1
    """
    param = torch.zeros(1, requires_grad=True)
    param.grad = torch.zeros(1)
    return torch.optim.SGD([param], lr=lr, momentum=0.9)


def per_epoch_lrs(name: str, epochs: int, batches: int, /, base_lr: float = BASE_LR, **kwargs: Any) -> np.ndarray:
    """The lr of every optimizer step when ``name`` is stepped once per epoch of ``batches`` batches.

    ``kwargs`` are the scheduler's (OneCycleLR's own ``epochs`` too).

    >>> per_epoch_lrs("StepLR", 3, 2, step_size=1, gamma=0.5).tolist()
    [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]
    """
    return np.repeat(lr_curve(name, epochs, base_lr=base_lr, **kwargs), batches)


def epoch_mistakes(
    name: str,
    epochs: int,
    batches: int,
    /,
    base_lr: float = BASE_LR,
    metrics: Sequence[float] | None = None,
    **kwargs: Any,
) -> dict[str, np.ndarray]:
    """The two usual mistakes with a scheduler meant to step once per epoch, each with what to change:
    ``scheduler.step()`` at the start of each epoch (every epoch gets the next epoch's lr) and
    ``scheduler.step()`` after every batch (the schedule counts batches).

    ``metrics`` (ReduceLROnPlateau) holds the metric passed after each of the ``epochs`` epochs;
    stepped every batch, the loop passes each epoch's metric after each of its batches.

    >>> mistakes = epoch_mistakes("StepLR", 3, 2, step_size=1, gamma=0.5)
    >>> [lrs.tolist() for lrs in mistakes.values()]
    [[0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125], [0.1, 0.05, 0.025, 0.0125, 0.00625, 0.003125]]
    """
    steps = epochs * batches
    if metrics is None:
        early = lr_curve(name, epochs + 1, base_lr=base_lr, **kwargs)[1:]
        every_batch = lr_curve(name, steps, base_lr=base_lr, **kwargs)
        start = tr(
            "every epoch trained with the next epoch's lr: scheduler.step() runs at the start of each epoch, "
            "before the batches (torch warns about this order once, at the first step). Call it after the "
            "epoch's {batches} batches.",
            batches=batches,
        )
        inside = tr(
            "scheduler.step() sits inside the batch loop, so {name} counts batches where the exercise counts "
            "epochs: call it once per epoch, after the epoch's {batches} batches.",
            name=name,
            batches=batches,
        )
    else:
        metric = [float(m) for m in metrics]
        early = lr_curve(name, epochs + 1, base_lr=base_lr, metrics=metric[:epochs], **kwargs)[1:]
        batch_metrics = np.repeat(metric[:epochs], batches)[: steps - 1]
        every_batch = lr_curve(name, steps, base_lr=base_lr, metrics=batch_metrics, **kwargs)
        start = tr(
            "every decision comes one epoch early: scheduler.step(metric) runs before the epoch's optimizer steps "
            "(or is given the next epoch's loss). Train the epoch, measure its loss, then step."
        )
        inside = tr(
            "scheduler.step(metric) runs after every batch, so each epoch's loss counts {batches} times and "
            "patience counts batches, not epochs. Call it once per epoch, after the epoch's batches.",
            batches=batches,
        )
    return {start: np.repeat(early, batches), inside: every_batch}


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-15))


def _diagnose(used: np.ndarray, want: np.ndarray) -> str:
    """The usual cause of a difference between the lrs used and the intended ones, or ''."""
    n = min(len(used), len(want))
    if n > 1 and np.all(used[:n] == used[0]) and not np.all(want[:n] == want[0]):
        return tr("the lr never changed: is scheduler.step() called inside the loop?")
    if n > 1 and _close(used[: n - 1], want[1:n]):
        return tr(
            "your lrs are the intended ones one step early: scheduler.step() runs before optimizer.step() "
            "(torch warns about this once, at the first step)"
        )
    if n > 1 and _close(used[1:n], want[: n - 1]):
        return tr("your lrs are the intended ones one step late: the first scheduler.step() comes one step too late")
    return ""


def _apart(a: float, b: float) -> tuple[str, str]:
    """``a`` and ``b`` printed with the fewest digits (6 at least) that show they differ."""
    for digits in range(6, 18):
        shown_a, shown_b = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if shown_a != shown_b:
            return shown_a, shown_b
    return repr(a), repr(b)


class _TooManySteps(BaseException):
    """Raised by the step budget's hook; a BaseException, so the learner's ``except Exception`` lets it through."""


@contextmanager
def _step_budget(optimizer: torch.optim.Optimizer, limit: int) -> Iterator[None]:
    """Stop the loop (raise :class:`_TooManySteps` at the step) once it tries more than ``limit`` optimizer steps."""
    count = 0

    def hook(opt: torch.optim.Optimizer, args: Any, kwargs: Any) -> None:
        nonlocal count
        count += 1
        if count > limit:
            raise _TooManySteps()

    handle = optimizer.register_step_pre_hook(hook)
    try:
        yield
    finally:
        handle.remove()


def _scheduler_classes() -> list[type]:
    """Every scheduler class there is now, ReduceLROnPlateau and the learner's own subclasses included."""
    found: list[type] = []
    todo: list[type] = [torch.optim.lr_scheduler.LRScheduler, torch.optim.lr_scheduler.ReduceLROnPlateau]
    while todo:
        cls = todo.pop()
        if cls not in found:
            found.append(cls)
            todo.extend(cls.__subclasses__())
    return found


@contextmanager
def scheduler_steps(optimizer: torch.optim.Optimizer) -> Iterator[list[int]]:
    """Count the ``step()`` calls of schedulers bound to ``optimizer`` inside the block (not their constructors').

    Every scheduler class's own ``step`` (ReduceLROnPlateau's and the learner's subclasses' too) is
    wrapped for the block and put back after it. The count is the list's one element.

    >>> opt = optimizer_for_exercise()
    >>> with scheduler_steps(opt) as stepped:
    ...     scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(opt)
    ...     scheduler.step(1.0)
    >>> stepped
    [1]
    """
    count = [0]
    patched: list[tuple[type, Callable[..., Any]]] = []

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def step(self: Any, *args: Any, **kwargs: Any) -> Any:
            if getattr(self, "optimizer", None) is optimizer and not getattr(self, "_is_initial", False):
                count[0] += 1
            return original(self, *args, **kwargs)

        return step

    try:
        for cls in _scheduler_classes():
            original = cls.__dict__.get("step")
            if callable(original):
                patched.append((cls, original))
                cls.step = wrap(original)  # type: ignore[attr-defined]
        yield count
    finally:
        for cls, original in reversed(patched):
            cls.step = original  # type: ignore[attr-defined]


def _run(loop: Callable[[torch.optim.Optimizer], Any], optimizer: torch.optim.Optimizer) -> bool:
    """Run the learner's loop; True when the step budget stopped it."""
    try:
        loop(optimizer)
    except _TooManySteps:
        return True
    return False


def _group_change(counts: np.ndarray, final: int) -> str:
    """What the loop did to the optimizer's one param group, or ''."""
    changed = np.flatnonzero(counts != 1)
    step = int(changed[0]) if len(changed) else len(counts)
    groups = int(counts[step]) if len(changed) else final
    if groups == 1:
        return ""
    if groups > 1:
        return tr("your loop added a param group at optimizer step {step}; the exercise uses one.", step=step)
    return tr(
        "your loop removed the optimizer's param group at optimizer step {step}; the exercise uses one.", step=step
    )


def _warned(from_torch: bool, text: str) -> str:
    if from_torch:
        return tr("torch warned: {warning}", warning=text)
    return tr("your code warned: {warning}", warning=text)


def check_loop(
    loop: Callable[[torch.optim.Optimizer], Any] | None,
    intended: Sequence[float] | np.ndarray,
    what: str,
    lr: float = BASE_LR,
    mistakes: Mapping[str, Sequence[float] | np.ndarray] | None = None,
    needs_scheduler: bool = True,
    error_hints: Mapping[str, str] | None = None,
) -> Verdict:
    """Run ``loop(optimizer)``, record the lr of every real ``optimizer.step()``, compare with ``intended``.

    ``what`` names the schedule in the feedback. ``mistakes`` (optional) maps a hint to the lrs a
    known wrong loop uses: a loop that used exactly those gets that hint (see
    :func:`epoch_mistakes`). ``needs_scheduler`` (default True): the lrs must be set by a scheduler's
    ``step()``, not written by hand. ``error_hints`` maps a text found in the error a loop raised
    to a sentence that explains it. Warnings raised inside the loop are reported with the verdict,
    as torch's or as the learner's own.
    """
    if loop is None:
        return Verdict(False, tr("no loop yet: define loop(optimizer) and pass it to the check."))
    function(loop, "loop(optimizer)")
    want = np.asarray(intended, dtype=float)
    optimizer = optimizer_for_exercise(lr)
    with (
        CaughtWarnings() as caught,
        _step_budget(optimizer, STEP_BUDGET * max(len(want), 1)),
        LrRecorder(optimizer) as recorder,
        scheduler_steps(optimizer) as stepped,
    ):
        outcome = limits.run_learner(_run, loop, optimizer)
    n = recorder.steps
    warned = [_warned(t, text) for t, text in _first_warnings(caught)]
    changed = _group_change(recorder.group_counts, len(optimizer.param_groups))
    if changed:
        parts = [changed]
        if outcome.error is not None:
            parts.append(tr("Then it raised {error}.", error=describe_error(outcome.error).rstrip(".")))
        return Verdict(False, " ".join(parts))
    if outcome.error is not None:
        error = describe_error(outcome.error).rstrip(".")
        hints = [hint for text, hint in (error_hints or {}).items() if text in error]
        return Verdict(False, " ".join([tr("your loop raised {error}.", error=error), *hints[:1]]))
    if outcome.out_of_time:
        return Verdict(
            False,
            tr(
                "your loop was still running after {seconds:g} seconds and was stopped, after {n} optimizer steps; "
                "{what} is meant for {want}. Does every loop in it end?",
                seconds=limits.TIME_LIMIT,
                n=n,
                what=what,
                want=len(want),
            ),
        )
    if outcome.value:  # the step budget stopped it
        return Verdict(
            False,
            tr(
                "your loop was stopped after {n} optimizer steps; {what} is meant for {want}. Does every loop in "
                "it end?",
                n=n,
                what=what,
                want=len(want),
            ),
        )
    used = recorder.lrs[:, 0] if n else np.zeros(0)
    by_hand = needs_scheduler and stepped[0] == 0
    if _close(used, want) and not by_hand:
        right = tr("your loop used the intended lr at all {n} optimizer steps of {what}.", n=len(want), what=what)
        return Verdict(True, " ".join([right, *warned]))
    if _close(used, want):
        message = tr(
            "no scheduler stepped the lr: your loop used the intended lrs, but it set them itself. The exercise "
            "asks a scheduler to set them: build one on the optimizer and call its step()."
        )
        return Verdict(False, " ".join([message, *warned]))
    named = [hint for hint, lrs in (mistakes or {}).items() if _close(used, np.asarray(lrs, dtype=float))]
    cause = named[0] if named else _diagnose(used, want)
    if not cause and by_hand and n and not np.all(used == used[0]):
        cause = tr("no scheduler stepped the lr: your loop set it itself; the exercise asks a scheduler to set it.")
    if n != len(want):
        message = tr("your loop ran {n} optimizer steps; {what} is meant for {want}.", n=n, what=what, want=len(want))
    else:
        step = int(np.argmax(~np.isclose(used, want, rtol=1e-9, atol=1e-15)))
        ours, theirs = _apart(float(used[step]), float(want[step]))
        dtype = recorder.tensor_lrs.get((step, 0))
        if dtype is None:
            message = tr(
                "at optimizer step {step} your loop used lr {used}; {what} intends {want}.",
                step=step,
                used=ours,
                what=what,
                want=theirs,
            )
        else:
            message = tr(
                "at optimizer step {step} your loop used a {dtype} tensor lr, {used}; {what} intends {want}.",
                step=step,
                dtype=dtype,
                used=ours,
                what=what,
                want=theirs,
            )
    return Verdict(False, " ".join(part for part in (message, cause, *warned) if part))


def _first_warnings(caught: CaughtWarnings) -> list[tuple[bool, str]]:
    """The first warning torch issued and the first the learner's code issued (each if any), in that order."""
    firsts: list[tuple[bool, str]] = []
    for source in (True, False):
        for text, from_torch in zip(caught.texts, caught.from_torch, strict=True):
            if from_torch is source:
                firsts.append((source, text))
                break
    return firsts


__all__ = [
    "BASE_LR",
    "STEP_BUDGET",
    "check_loop",
    "epoch_mistakes",
    "optimizer_for_exercise",
    "per_epoch_lrs",
    "scheduler_steps",
]
