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

The demo: a 2-32-32-3 ReLU network on three noisy spiral arms (:mod:`lrutils.training.data`),
SGD with momentum 0.9 (or AdamW), batches of 40, 30 epochs, float64.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from ..curves.table import REQUIRED, ParamSpec
from ..text.progress import progress_bar
from .comparison import Comparison, Setup, Tuning
from .data import HIDDEN, N_TRAIN
from .engine import MOMENTUM, OptimizerName, RunSpec, train_runs
from .history import CONSTANT, History, TrainingFailed

DEFAULT_EPOCHS = 30
DEFAULT_LR = 0.1
"""Starting (peak) learning rate when none is given: the blog's 0.1."""
BATCH_SIZE = 40
DEFAULT_SEEDS = 10
"""Seeds per schedule in :func:`compare` and :func:`bake_off`: 0, 1, ..., 9."""
TUNING_SEEDS = (100, 101, 102)
"""Seeds :func:`tune_lr` sweeps on: disjoint from the seeds results are reported on."""
LR_GRID = (0.025, 0.05, 0.1, 0.2, 0.4)
"""The sweep every schedule gets in :func:`tune_lr`: factors of 2 around the blog's 0.1."""
OPTIMIZERS = ("sgd", "adamw")


def steps_per_epoch(batch_size: int = BATCH_SIZE) -> int:
    """Optimizer steps (batches) per epoch of the demo data set.

    >>> steps_per_epoch()
    30
    """
    return math.ceil(N_TRAIN / batch_size)


def _check_name(name: object) -> str | None:
    from ..curves.table import get_spec

    if name is None:
        return None
    if not isinstance(name, str):
        raise TypeError(f"name must be a scheduler name (str) or None, got {type(name).__name__}")
    get_spec(name)  # a clear error listing the names (and a near miss) if it is unknown
    return name


# Validated like every scheduler parameter: one mechanism, one style of error message.
EPOCHS_SPEC = ParamSpec("epochs", "int", REQUIRED, low=1, high=1000)
LR_SPEC = ParamSpec("lr", "float", REQUIRED, low=0.0, low_open=True)
SEED_SPEC = ParamSpec("seed", "int", REQUIRED, low=0, high=2**63 - 1)
OPTIMIZER_SPEC = ParamSpec("optimizer", "choice", "sgd", choices=OPTIMIZERS)


def demo_kwargs(name: str | None, epochs: int, steps_per_epoch: int, lr: float) -> dict[str, Any]:
    """Demo keyword arguments for scheduler ``name`` over a run of ``epochs`` epochs.

    The one table of defaults :func:`train` starts from (keywords the caller passes win):
    StepLR cuts the lr by 0.3 every third of the run, ExponentialLR decays it 100x over the run,
    CosineAnnealingLR anneals over the whole run, ReduceLROnPlateau cuts by 0.3 after 2 epochs
    without improvement, OneCycleLR peaks at ``lr`` over ``epochs * steps_per_epoch`` batches,
    CosineAnnealingWarmRestarts restarts every third of the run, CyclicLR climbs from ``lr`` (its
    ``base_lr``, the optimizer's lr) to ``2 * lr`` and back three times (per batch).
    Warm-up schedulers warm up over the first tenth of the run, SequentialLR and ``warmup_cosine``
    warm up then anneal over the rest, ChainedScheduler multiplies a warm-up with a cosine over the
    whole run, ``warmup_stable_decay`` decays over the last fifth, MultiStepLR cuts by 0.3 at half
    and three quarters, PolynomialLR decays linearly.

    >>> demo_kwargs("StepLR", 30, 30, 0.2)
    {'step_size': 10, 'gamma': 0.3}
    >>> demo_kwargs(None, 30, 30, 0.2)
    {}
    """
    if _check_name(name) is None:
        return {}
    table: dict[str, dict[str, Any]] = {
        "StepLR": {"step_size": max(1, epochs // 3), "gamma": 0.3},
        "ExponentialLR": {"gamma": 0.01 ** (1.0 / epochs)},
        "CosineAnnealingLR": {"T_max": epochs},
        "ReduceLROnPlateau": {"patience": 2, "factor": 0.3},
        "OneCycleLR": {"max_lr": lr, "epochs": epochs, "steps_per_epoch": steps_per_epoch},
        "CosineAnnealingWarmRestarts": {"T_0": max(1, epochs // 3)},
        "CyclicLR": {"max_lr": 2 * lr, "step_size_up": max(1, epochs * steps_per_epoch // 6)},
    }
    table.update(_warmup_demo_kwargs(epochs))
    table.update(_recipe_demo_kwargs(epochs * steps_per_epoch))
    return dict(table.get(name, {}))


def _recipe_demo_kwargs(total: int) -> dict[str, dict[str, Any]]:
    """The per-batch recipes of notebook 13 over ``total`` batches: warm-up over the first tenth,
    decay over the last fifth (WSD). Noam with ``d_model=1`` peaks at ``lr / sqrt(warmup_steps)``."""
    warm, decay = max(1, total // 10), max(1, total // 5)
    return {
        "noam": {"d_model": 1, "warmup_steps": warm},
        "linear_warmup_decay": {"warmup_steps": warm, "total_steps": total},
        "warmup_cosine_floor": {"warmup_steps": warm, "total_steps": total, "min_lr_ratio": 0.1},
        "wsd_1sqrt": {"warmup_steps": warm, "stable_steps": max(0, total - warm - decay), "decay_steps": decay},
    }


def _warmup_demo_kwargs(epochs: int) -> dict[str, dict[str, Any]]:
    """Warm-up schedulers: warm-up over the first tenth of the run (at least one epoch)."""
    from ..curves.composite import linear_warmup_lambda, warmup_cosine

    warm = max(1, epochs // 10)
    decay = max(1, epochs // 5)
    return {
        "MultiStepLR": {"milestones": [epochs // 2, 3 * epochs // 4], "gamma": 0.3},
        "ConstantLR": {"factor": 0.25, "total_iters": warm},
        "LinearLR": {"start_factor": 0.1, "total_iters": warm},
        "PolynomialLR": {"total_iters": epochs, "power": 1.0},
        "LambdaLR": {"lr_lambda": linear_warmup_lambda(warm)},
        "SequentialLR": warmup_cosine(warmup_steps=warm, T_max=max(1, epochs - warm)),
        "ChainedScheduler": {
            "schedulers": [
                ("LinearLR", {"start_factor": 0.1, "total_iters": warm}),
                ("CosineAnnealingLR", {"T_max": epochs}),
            ]
        },
        "warmup_cosine": {"warmup_steps": warm, "T_max": max(1, epochs - warm)},
        "warmup_stable_decay": {
            "warmup_steps": warm,
            "stable_steps": max(0, epochs - warm - decay),
            "decay_steps": decay,
        },
    }


def _check_schedule(name: str | None, kwargs: dict[str, Any], epochs: int, spe: int, lr: float) -> None:
    """Refuse settings that would fail inside torch during training, with lrutils' clear errors.

    The schedule is drawn with :func:`lrutils.lr_curve` over exactly the steps training will take,
    so a setting that divides by zero or overflows at step 900 is refused before training starts.
    """
    from ..curves.closed_form import lr_curve
    from ..curves.table import get_spec

    if name is None:
        return
    spec = get_spec(name)
    n_steps = epochs * spe if spec.unit == "batch" else epochs
    if spec.length_param is not None:
        params = spec.resolve(1, kwargs, with_data=False)
        total = params.get(spec.length_param)
        if total is None and "epochs" in params and "steps_per_epoch" in params:
            total = params["epochs"] * params["steps_per_epoch"]
        if total is not None and total < n_steps:
            raise ValueError(
                f"{name} is set up for {total} steps but training takes epochs * steps_per_epoch = "
                f"{epochs} * {spe} = {n_steps}; pass matching total_steps (or epochs and steps_per_epoch)"
            )
    if spec.unit == "metric":
        spec.resolve(n_steps, kwargs, with_data=False)
        return
    curve = lr_curve(name, n_steps, base_lr=lr, **kwargs)
    if not all(math.isfinite(v) for v in curve.tolist()):
        raise ValueError(f"{name} with {kwargs} gives a non-finite learning rate within {n_steps} steps")


def _run_spec(
    name: str | None, epochs: int, seed: int, lr: float, optimizer: str, kwargs: Mapping[str, Any]
) -> RunSpec:
    """Validate one run's arguments and fill in the demo keywords."""
    spe = steps_per_epoch()
    if name is None:
        if kwargs:
            raise TypeError(f"name=None (constant lr) takes no scheduler keywords, got {', '.join(kwargs)}")
        merged: dict[str, Any] = {}
    else:
        merged = {**demo_kwargs(name, epochs, spe, lr), **kwargs}
        _check_schedule(name, merged, epochs, spe, lr)
    return RunSpec(name, merged, lr=lr, seed=seed, optimizer=optimizer)  # type: ignore[arg-type]


def _check_common(epochs: object, optimizer: object) -> tuple[int, OptimizerName]:
    return EPOCHS_SPEC.check(epochs), OPTIMIZER_SPEC.check(optimizer)


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
    name = _check_name(name)
    epochs, optimizer = _check_common(epochs, optimizer)
    run = _run_spec(name, epochs, SEED_SPEC.check(seed), LR_SPEC.check(lr), optimizer, scheduler_kwargs)
    history = train_runs([run], epochs, HIDDEN, BATCH_SIZE)[0]
    if history.failure is not None:
        warnings.warn(f"{name or CONSTANT} (seed {seed}): {history.failure.message}", TrainingFailed, stacklevel=2)
    return history


def _seed_list(seeds: object) -> list[int]:
    if isinstance(seeds, bool):
        raise TypeError(f"seeds must be a number of seeds (int >= 1) or a list of seeds, got {seeds!r}")
    if isinstance(seeds, int):
        return list(range(ParamSpec("seeds", "int", REQUIRED, low=1, high=1000).check(seeds)))
    if isinstance(seeds, Sequence) and not isinstance(seeds, (str, bytes)):
        out = [SEED_SPEC.check(s) for s in seeds]
        if not out or len(set(out)) != len(out):
            raise ValueError(f"seeds must be a non-empty list of different seeds, got {list(seeds)!r}")
        return out
    raise TypeError(f"seeds must be a number of seeds (int >= 1) or a list of seeds, got {type(seeds).__name__}")


def _setups(names: object, lr: object, common: Mapping[str, Any]) -> dict[str, Setup]:
    """Labelled setups from ``names`` (a list of names, or a dict label -> Setup / name)."""
    if isinstance(names, Mapping):
        items = list(names.items())
    elif isinstance(names, Sequence) and not isinstance(names, (str, bytes)):
        items = [(CONSTANT if n is None else n, n) for n in names]
    else:
        raise TypeError(
            f"names must be a list of scheduler names (None: constant lr) or a dict label -> Setup, "
            f"got {type(names).__name__}"
        )
    if not items:
        raise ValueError("names must name at least one schedule (None is the constant baseline)")
    labels = [label for label, _ in items]
    if len(set(labels)) != len(labels):
        raise ValueError(f"names must not repeat a schedule, got {labels!r}")
    out: dict[str, Setup] = {}
    for label, item in items:
        if not isinstance(label, str):
            raise TypeError(f"labels must be strings, got {label!r}")
        setup = item if isinstance(item, Setup) else Setup(_check_name(item))
        if setup.name is not None:
            setup = Setup(setup.name, setup.lr, {**common, **setup.kwargs})
        out[label] = setup
    for label, setup in out.items():
        if setup.lr is None:
            value = lr.get(label, lr.get(setup.name, REQUIRED)) if isinstance(lr, Mapping) else lr
            if value is REQUIRED:
                raise ValueError(f"lr has no entry for {label!r}; give one lr, or one per schedule label")
            out[label] = Setup(setup.name, LR_SPEC.check(value), setup.kwargs)
    return out


def _train_setups(
    setups: Mapping[str, Setup], seeds: Sequence[int], epochs: int, optimizer: OptimizerName, progress: bool, what: str
) -> dict[str, list[History]]:
    """Train every setup on every seed in one pass; ``what`` describes the job on the progress bar."""
    runs = [
        _run_spec(setup.name, epochs, seed, setup.lr, optimizer, setup.kwargs)  # type: ignore[arg-type]
        for setup in setups.values()
        for seed in seeds
    ]
    with progress_bar(f"{what}: {len(runs)} runs", 1, progress):
        histories = train_runs(runs, epochs, HIDDEN, BATCH_SIZE)
    n = len(seeds)
    return {label: histories[i * n : (i + 1) * n] for i, label in enumerate(setups)}


def compare(
    names: Sequence[str | None] | Mapping[str, Setup | str | None],
    epochs: int = DEFAULT_EPOCHS,
    seeds: int | Sequence[int] = DEFAULT_SEEDS,
    lr: float | Mapping[Any, float] = DEFAULT_LR,
    optimizer: OptimizerName = "sgd",
    baseline: str | None = None,
    progress: bool = True,
    **common: Any,
) -> Comparison:
    """Train each schedule on the same seeds and compare them with a baseline, seed by seed.

    ``names``: scheduler names (``None`` is the constant lr, labelled ``"constant"``), or a dict
    ``{label: Setup(name, lr, kwargs)}`` to compare several setups of one scheduler. ``lr``: one
    lr for all, or a dict label (or name) -> lr, e.g. from :func:`tune_lr`. ``baseline``: the
    label every schedule is paired with (default: the first). ``common`` keywords go to every
    scheduler. In a Jupyter kernel, ``progress=True`` shows a progress bar; nothing is printed.

    >>> c = compare([None, "StepLR"], epochs=2, seeds=2, progress=False)
    >>> c.labels, [h.seed for h in c["StepLR"]]
    (['constant', 'StepLR'], [0, 1])
    """
    epochs, optimizer = _check_common(epochs, optimizer)
    seed_list = _seed_list(seeds)
    setups = _setups(names, lr, common)
    if baseline is not None and baseline not in setups:
        raise ValueError(f"baseline must be one of the labels {list(setups)}, got {baseline!r}")
    what = f"training ({len(setups)} schedules x {len(seed_list)} seeds)"
    runs = _train_setups(setups, seed_list, epochs, optimizer, progress, what)
    return Comparison(runs, setups, baseline=baseline or next(iter(setups)))


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
    epochs, optimizer = _check_common(epochs, optimizer)
    seed_list = _seed_list(seeds)
    grid = [LR_SPEC.check(v) for v in grid]
    if not grid or len(set(grid)) != len(grid):
        raise ValueError(f"grid must be a non-empty list of different learning rates, got {list(grid)!r}")
    base = _setups(names, grid[0], common)
    swept = {(label, value): Setup(setup.name, value, setup.kwargs) for label, setup in base.items() for value in grid}
    keyed = {f"{label} @ {value!r}": setup for (label, value), setup in swept.items()}
    what = f"lr sweep ({len(base)} schedules x {len(grid)} lrs x {len(seed_list)} seeds)"
    runs = _train_setups(keyed, seed_list, epochs, optimizer, progress, what)
    results = {key: runs[f"{key[0]} @ {key[1]!r}"] for key in swept}
    return Tuning(labels=list(base), grid=list(grid), seeds=seed_list, runs=results, setups=base)


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
    tuning = tune_lr(names, grid, tuning_seeds, epochs, optimizer, progress, **common)
    setups = {label: Setup(s.name, tuning.best[label], s.kwargs) for label, s in tuning.setups.items()}
    comparison = compare(setups, epochs, seeds, optimizer=optimizer, baseline=baseline, progress=progress)
    comparison.tuning = tuning
    return comparison


__all__ = [
    "BATCH_SIZE",
    "DEFAULT_EPOCHS",
    "DEFAULT_LR",
    "DEFAULT_SEEDS",
    "LR_GRID",
    "MOMENTUM",
    "TUNING_SEEDS",
    "bake_off",
    "compare",
    "demo_kwargs",
    "steps_per_epoch",
    "train",
    "tune_lr",
]
