"""Train the demo MLP with any learning-rate schedule, over many seeds, and compare fairly.

:func:`train` runs one schedule (or ``None``: a constant learning rate) for one seed and returns a
:class:`~lrutils.training.history.History`. :func:`compare` runs several schedules over the same seeds (10
by default) and returns a :class:`~lrutils.training.comparison.Comparison`: per schedule the mean final
validation loss and accuracy with 95 % intervals, and each schedule paired seed by seed with a
baseline. :func:`tune_lr` gives every schedule the same small learning-rate sweep, and
:func:`bake_off` does both: each schedule (the constant included) gets its best lr from the sweep
on tuning seeds, then is compared on fresh seeds.

All runs of one call are trained together in one pass (:mod:`lrutils.training.engine`), and every result
is bit-identical on every x86-64 CPU (see :mod:`lrutils.training.numerics`).

The demo's settings are in :mod:`lrutils.training.demo`; what every argument accepts is checked by
:mod:`lrutils.training.arguments` before anything trains.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from ..text.i18n import template, tr
from ..text.progress import progress_bar
from .arguments import (
    LR_SPEC,
    PROGRESS_SPEC,
    SEED_SPEC,
    check_common,
    check_grid,
    check_name,
    pick_baseline,
    run_spec,
    seed_list,
    setups,
)
from .comparison import Comparison, Setup
from .data import HIDDEN
from .demo import BATCH_SIZE, DEFAULT_EPOCHS, DEFAULT_LR, DEFAULT_SEEDS, LR_GRID, TUNING_SEEDS
from .engine import OptimizerName, train_runs
from .history import CONSTANT, History, TrainingFailed
from .tuning import Tuning


def train(
    name: str | None,
    epochs: int = DEFAULT_EPOCHS,
    seed: int = 0,
    lr: float = DEFAULT_LR,
    optimizer: OptimizerName = "sgd",
    **scheduler_kwargs: Any,
) -> History:
    """Train the demo MLP with scheduler ``name`` (``None``: constant ``lr``) for one seed.

    ``lr`` is the schedule's starting (or peak) lr. Scheduler keywords not given come from
    :func:`demo_kwargs`. The scheduler is the real torch one, stepped as it is meant to be: after
    every batch (OneCycleLR, CyclicLR), with the validation loss after every epoch
    (ReduceLROnPlateau) or after every epoch (the others), always after the optimizer's step.

    A run whose loss turns NaN, infinite or larger than 100 stops there: its History's ``failure``
    says where, and a :class:`~lrutils.training.history.TrainingFailed` warning says so at once.

    >>> h = train("CosineAnnealingLR", epochs=3, seed=1)
    >>> h.kwargs, h.val_acc.shape
    ({'T_max': 3}, (3,))
    """
    name = check_name(name)
    epochs, optimizer = check_common(epochs, optimizer)
    run = run_spec(name, epochs, SEED_SPEC.check(seed), LR_SPEC.check(lr), optimizer, scheduler_kwargs)
    history = train_runs([run], epochs, HIDDEN, BATCH_SIZE)[0]
    if history.failure is not None:
        message = tr("{name} (seed {seed}): {why}", name=name or CONSTANT, seed=seed, why=history.failure.message)
        warnings.warn(message, TrainingFailed, stacklevel=2)
    return history


_COUNTS = {
    "schedule": (template("1 schedule"), template("{n} schedules")),
    "seed": (template("1 seed"), template("{n} seeds")),
    "lr": (template("1 lr"), template("{n} lrs")),
}


def _count(n: int, what: str) -> str:
    """``"1 schedule"``, ``"6 schedules"``: a count with its noun, for progress labels."""
    one, many = _COUNTS[what]
    return tr(one) if n == 1 else tr(many, n=n)


def _train_setups(
    setups: Mapping[str, Setup], seeds: Sequence[int], epochs: int, optimizer: OptimizerName, progress: bool, what: str
) -> dict[str, list[History]]:
    """Train every setup on every seed in one pass; ``what`` describes the job on the progress bar."""
    runs = [
        run_spec(setup.name, epochs, seed, setup.lr, optimizer, setup.kwargs)  # type: ignore[arg-type]
        for setup in setups.values()
        for seed in seeds
    ]
    with progress_bar(tr("{what}: {n} runs", what=what, n=len(runs)), 1, progress):
        histories = train_runs(runs, epochs, HIDDEN, BATCH_SIZE)
    n = len(seeds)
    return {label: histories[i * n : (i + 1) * n] for i, label in enumerate(setups)}


def compare(
    names: Sequence[str | None] | Mapping[str, Setup | str | None],
    epochs: int = DEFAULT_EPOCHS,
    seeds: int | Sequence[int] = DEFAULT_SEEDS,
    lr: float | Mapping[Any, float] | str = DEFAULT_LR,
    optimizer: OptimizerName = "sgd",
    baseline: str | None = None,
    progress: bool = True,
    **common: Any,
) -> Comparison:
    """Train each schedule on the same seeds and compare them with a baseline, seed by seed.

    ``names``: scheduler names (``None`` is the constant lr, labelled ``"constant"``), or a dict
    ``{label: Setup(name, lr, kwargs)}`` to compare several setups of one scheduler. ``lr``: one
    lr for all, a dict label (or name) -> lr (e.g. ``tune_lr(...).best``), or ``"tuned"``: each
    schedule at the lr the shared sweep chose for it (:data:`~lrutils.training.demo.TUNED_LR`).
    ``baseline``: the label every schedule is paired with (default: the first). ``common``
    keywords go to every scheduler. In a Jupyter kernel, ``progress=True`` shows a progress bar.

    >>> c = compare([None, "StepLR"], epochs=2, seeds=2, progress=False)
    >>> c.labels, [h.seed for h in c["StepLR"]]
    (['constant', 'StepLR'], [0, 1])
    >>> compare([None, "ExponentialLR"], lr="tuned", epochs=1, seeds=2, progress=False).lrs
    {'constant': 0.1, 'ExponentialLR': 0.4}
    """
    epochs, optimizer = check_common(epochs, optimizer)
    seeds_used = seed_list(seeds)
    labelled = setups(names, lr, common)
    chosen = pick_baseline(baseline, list(labelled))
    what = tr(
        "training ({schedules} x {seeds})",
        schedules=_count(len(labelled), "schedule"),
        seeds=_count(len(seeds_used), "seed"),
    )
    runs = _train_setups(labelled, seeds_used, epochs, optimizer, PROGRESS_SPEC.check(progress), what)
    return Comparison(runs, labelled, baseline=chosen)


def tune_lr(
    names: Sequence[str | None] | Mapping[str, Setup | str | None],
    grid: Sequence[float] = LR_GRID,
    seeds: int | Sequence[int] = TUNING_SEEDS,
    epochs: int = DEFAULT_EPOCHS,
    optimizer: OptimizerName = "sgd",
    progress: bool = True,
    **common: Any,
) -> Tuning:
    """Give every schedule the same lr sweep: train each lr of ``grid`` on ``seeds``, keep the one
    with the lowest mean final validation loss.

    The tuning seeds (100-102 by default) differ from the seeds :func:`compare` reports on (0-9),
    so the tuned lrs are not chosen on the runs they are judged by.

    >>> t = tune_lr([None], grid=(0.05, 0.1), seeds=[5], epochs=2, progress=False)
    >>> sorted(t.best)
    ['constant']
    """
    return _tune(names, grid, seeds, epochs, optimizer, progress, "seeds", common)


def _tune(
    names: object,
    grid: object,
    seeds: object,
    epochs: object,
    optimizer: object,
    progress: object,
    seeds_name: str,
    common: Mapping[str, Any],
) -> Tuning:
    """:func:`tune_lr`; ``seeds_name`` is what errors call ``seeds`` (``bake_off``'s ``tuning_seeds``)."""
    epochs, optimizer = check_common(epochs, optimizer)
    seeds_used = seed_list(seeds, seeds_name)
    grid = check_grid(grid)
    base = setups(names, grid[0], common)
    swept = {(label, value): Setup(setup.name, value, setup.kwargs) for label, setup in base.items() for value in grid}
    keyed = {f"{label} @ {value!r}": setup for (label, value), setup in swept.items()}
    what = tr(
        "lr sweep ({schedules} x {lrs} x {seeds})",
        schedules=_count(len(base), "schedule"),
        lrs=_count(len(grid), "lr"),
        seeds=_count(len(seeds_used), "seed"),
    )
    runs = _train_setups(keyed, seeds_used, epochs, optimizer, PROGRESS_SPEC.check(progress), what)
    results = {key: runs[f"{key[0]} @ {key[1]!r}"] for key in swept}
    return Tuning(labels=list(base), grid=list(grid), seeds=seeds_used, runs=results, setups=base)


def bake_off(
    names: Sequence[str | None] | Mapping[str, Setup | str | None],
    grid: Sequence[float] = LR_GRID,
    tuning_seeds: int | Sequence[int] = TUNING_SEEDS,
    seeds: int | Sequence[int] = DEFAULT_SEEDS,
    epochs: int = DEFAULT_EPOCHS,
    optimizer: OptimizerName = "sgd",
    baseline: str | None = None,
    progress: bool = True,
    **common: Any,
) -> Comparison:
    """A fair comparison: :func:`tune_lr` for every schedule on ``tuning_seeds``, then
    :func:`compare` at each one's best lr on fresh ``seeds``. The result keeps the sweep
    (``.tuning``) for its table and plot.

    >>> c = bake_off([None, "StepLR"], grid=(0.05, 0.1), tuning_seeds=[9], seeds=2, epochs=2, progress=False)
    >>> c.tuning is not None, sorted(c.lrs)
    (True, ['StepLR', 'constant'])
    """
    tuning = _tune(names, grid, tuning_seeds, epochs, optimizer, progress, "tuning_seeds", common)
    setups = {label: Setup(s.name, tuning.best[label], s.kwargs) for label, s in tuning.setups.items()}
    comparison = compare(setups, epochs, seeds, optimizer=optimizer, baseline=baseline, progress=progress)
    comparison.tuning = tuning
    return comparison


__all__ = ["bake_off", "compare", "train", "tune_lr"]
