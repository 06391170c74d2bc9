"""The real torch schedulers: build one from validated keywords, and record its curve."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch

from ..text.i18n import tr
from .closed_form import DEFAULT_BASE_LR, LEARNING_RATE, MOMENTUM, finite_curve
from .spec import MAX_STEPS, REQUIRED, ParamSpec, check_base_lr, check_n_steps
from .table import get_spec

REFERENCE_MOMENTUM = 0.9
"""SGD momentum of the throw-away optimizer (OneCycleLR needs an optimizer with momentum)."""


def _with_optimizer_lr(name: str, optimizer: torch.optim.Optimizer, params: dict[str, Any]) -> dict[str, Any]:
    """Pass the optimizer's lr to schedulers whose constructor takes it as a keyword (the spec says which)."""
    keyword = get_spec(name).base_lr_keyword
    if keyword is None:
        return params
    lrs = [group["lr"] for group in optimizer.param_groups]
    return {keyword: lrs[0] if len(lrs) == 1 else lrs, **params}


def make_torch_scheduler(name: str, optimizer: torch.optim.Optimizer, **kwargs: Any) -> Any:
    """Build ``torch.optim.lr_scheduler.<name>`` after checking ``kwargs`` with lrutils' specs.

    ``CyclicLR`` gets the optimizer's lr as its ``base_lr`` (lrutils' one meaning of base_lr).

    >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    >>> type(make_torch_scheduler("StepLR", opt, step_size=10)).__name__
    'StepLR'
    """
    spec = get_spec(name)
    constructor_kwargs = {k: v for k, v in kwargs.items() if k not in spec.extra_keywords}
    params = spec.resolve(1, constructor_kwargs, with_data=False)
    return _build(name, optimizer, params)


def _build(name: str, optimizer: torch.optim.Optimizer, params: dict[str, Any]) -> Any:
    """Construct the torch scheduler from already validated parameters."""
    spec = get_spec(name)
    if spec.factory is not None:  # composites and recipes build their stages first
        return spec.factory(optimizer, **params)
    cls = getattr(torch.optim.lr_scheduler, name)
    return cls(optimizer, **_with_optimizer_lr(name, optimizer, params))


def _reference_optimizer(base_lr: float) -> torch.optim.Optimizer:
    param = torch.zeros(1, requires_grad=True)
    return torch.optim.SGD([param], lr=base_lr, momentum=REFERENCE_MOMENTUM)


def _record(name: str, n_steps: int, base_lr: float, kwargs: dict[str, Any], key: str) -> np.ndarray:
    spec = get_spec(name)
    n_steps = check_n_steps(n_steps)
    base_lr = check_base_lr(base_lr)
    params = spec.resolve(n_steps, kwargs)
    metrics = params.pop("metrics", None)
    optimizer = _reference_optimizer(base_lr)
    group = optimizer.param_groups[0]
    out = np.empty(n_steps)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a torch warning here would mean we step it wrongly
        scheduler = _build(name, optimizer, params)
        for i in range(n_steps):
            out[i] = group[key]
            if i == n_steps - 1:
                break
            optimizer.step()  # no gradients: changes nothing, but keeps torch's call order
            if metrics is not None:
                scheduler.step(metrics[i])
            else:
                scheduler.step()
    return finite_curve(spec, LEARNING_RATE if key == "lr" else MOMENTUM, out, base_lr, kwargs)


def torch_lr_curve(name: str, n_steps: int, base_lr: float = DEFAULT_BASE_LR, **kwargs: Any) -> np.ndarray:
    """The same curve as :func:`lrutils.lr_curve`, recorded by stepping the real torch scheduler.

    >>> torch_lr_curve("StepLR", 4, base_lr=0.1, step_size=2, gamma=0.5).tolist()
    [0.1, 0.1, 0.05, 0.05]
    """
    return _record(name, n_steps, base_lr, kwargs, "lr")


def torch_momentum_curve(name: str, n_steps: int, base_lr: float = DEFAULT_BASE_LR, **kwargs: Any) -> np.ndarray:
    """The momentum the real torch scheduler sets on an SGD optimizer at each step.

    >>> torch_momentum_curve("OneCycleLR", 3, max_lr=1.0, total_steps=3, pct_start=0.5)[1].round(6)
    np.float64(0.875)
    """
    return _record(name, n_steps, base_lr, kwargs, "momentum")


def torch_fractional_epoch_lrs(
    T_0: int, T_mult: int, epochs: int, iters: int, base_lr: float = DEFAULT_BASE_LR, shift: float = 1.0
) -> np.ndarray:
    """The lr of every optimizer step when ``CosineAnnealingWarmRestarts`` is stepped after every batch
    with the fractional epoch ``epoch + (i + shift) / iters`` (``shift=0``: the loop of torch's docstring,
    which sets the lr for the batch that already ran). Recorded from the real scheduler.

    >>> torch_fractional_epoch_lrs(T_0=1, T_mult=1, epochs=1, iters=4).round(4).tolist()
    [0.1, 0.0854, 0.05, 0.0146]
    """
    T_0 = ParamSpec("T_0", "int", REQUIRED, low=1).check(T_0)
    T_mult = ParamSpec("T_mult", "int", REQUIRED, low=1).check(T_mult)
    epochs = ParamSpec("epochs", "int", REQUIRED, low=1, high=MAX_STEPS).check(epochs)
    iters = ParamSpec("iters", "int", REQUIRED, low=1, high=MAX_STEPS // epochs).check(iters)
    optimizer = _reference_optimizer(check_base_lr(base_lr))
    scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=T_0, T_mult=T_mult)
    out = np.empty(epochs * iters)
    for epoch in range(epochs):
        for i in range(iters):
            out[epoch * iters + i] = optimizer.param_groups[0]["lr"]
            optimizer.step()  # no gradients: changes nothing, but keeps torch's call order
            scheduler.step(epoch + (i + shift) / iters)
    return out


AGREEMENT_FLOOR = 1e-12
AGREEMENT_PER_STEP = 1e-14


def agreement_bound(n_steps: int) -> float:
    """How far apart (relative to the curve's largest lr) lrutils' closed form and torch may be after
    ``n_steps`` steps: ``max(1e-12, 1e-14 * n_steps)``.

    Most schedulers agree to within a few units of 1e-16. Torch computes ``CosineAnnealingLR`` (and
    composites built on it) recursively, ``lr <- eta_min + ratio * (lr - eta_min)``: each step adds
    its own rounding, so the difference grows with the run, by at most 4.9e-15 per step in 5,100
    random cases (3.3e-10 after a million steps). This bound allows twice that rate. It holds the
    tests in ``tests/test_curves_vs_torch.py`` too, and notebooks print it, never the difference
    itself (whose last bits differ between CPUs).

    >>> agreement_bound(100), agreement_bound(10_000)
    (1e-12, 1e-10)
    """
    return max(AGREEMENT_FLOOR, AGREEMENT_PER_STEP * n_steps)


def agreement(name: str, n_steps: int, base_lr: float = DEFAULT_BASE_LR, **kwargs: Any) -> str:
    """One sentence, the same on every CPU: does ``lr_curve`` equal the real torch scheduler here?

    Compares every step with :func:`agreement_bound` relative to the largest lr of the curve (an lr of
    0 is then compared with that scale, not divided by).

    >>> agreement("StepLR", 100, base_lr=0.1, step_size=10, gamma=0.5)
    'StepLR, 100 steps: lrutils.lr_curve and torch agree to within 1e-12 of the largest lr at every step'
    """
    from .closed_form import lr_curve

    ours = lr_curve(name, n_steps, base_lr=base_lr, **kwargs)
    theirs = torch_lr_curve(name, n_steps, base_lr=base_lr, **kwargs)
    scale = float(np.max(np.abs(theirs))) or 1.0
    worst = float(np.max(np.abs(ours - theirs))) / scale
    bound = agreement_bound(len(ours))
    if worst <= bound:
        return tr(
            "{name}, {n} steps: lrutils.lr_curve and torch agree to within {bound:.0e} of the largest lr at every step",
            name=name,
            n=len(ours),
            bound=bound,
        )
    step = int(np.argmax(np.abs(ours - theirs)))
    return tr(
        "{name}, {n} steps: lrutils.lr_curve and torch DIFFER: by {worst:.1e} of the largest lr at step {step}, "
        "more than {bound:.0e} (please report this)",
        name=name,
        n=len(ours),
        worst=worst,
        step=step,
        bound=bound,
    )
