"""Train many runs of the demo model in one pass: every seed, learning rate and schedule at once.

A :class:`RunSpec` names one run: a schedule (or ``None`` for a constant lr), its keywords, the
starting lr, the seed and the optimizer. :func:`train_runs` stacks all runs' networks
(:mod:`lrutils.training.mlp`) and trains them together, each with its own batches (from its seed), its own
learning rate at every step and its own optimizer state. Nothing is shared between runs except the
data: run ``i`` of a stack computes exactly what it computes alone (a test checks it bit for bit).

The learning rate and momentum of every step come from the real torch scheduler, built by
:func:`lrutils.make_torch_scheduler` on a throw-away optimizer and stepped as it is meant to be:
after every batch (OneCycleLR, CyclicLR), with the run's own validation loss after every epoch
(ReduceLROnPlateau: each run reacts to its own metric), or after every epoch (the others).
Identical schedules are stepped once and shared.

The update is torch's SGD with momentum (``buf = momentum * buf + grad; w -= lr * buf``) or AdamW,
written out with separately rounded operations so that it rounds the same on every CPU (torch's
own step may fuse a multiply and an add, which rounds differently with and without FMA). Each
step runs on arrays allocated once per stack (:mod:`lrutils.training.step`); a step whose logits
are NaN or infinite is done by the torch functions of :mod:`lrutils.training.mlp`, which define
the results.

A run whose loss becomes NaN, infinite or larger than :data:`~lrutils.training.history.DIVERGED_LOSS` is
stopped at the end of that epoch and records a :class:`~lrutils.training.history.Failure`; the others go on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import torch

from . import run_cache
from .data import N_TRAIN, seeded_one_thread, spiral_data
from .history import DIVERGED_LOSS, Failure, History
from .mlp import DTYPE, StackedMLP, backward, init_stack
from .numerics import log_positive, require_pinned_mkl, sum_rows
from .step import (
    ADAMW_BETAS,
    ADAMW_EPS,
    ADAMW_WEIGHT_DECAY,
    OptimizerName,
    OptimizerState,
    Params,
    StepArrays,
    adamw_step,
    batch_labels,
    evaluate,
    int_power,
    sgd_step,
)

MOMENTUM = 0.9
"""SGD momentum of every demo run (OneCycleLR and CyclicLR cycle it when asked)."""


@dataclass(frozen=True)
class RunSpec:
    """One run: schedule ``name`` (``None``: constant lr) with ``kwargs``, starting ``lr``, ``seed``.

    >>> RunSpec("StepLR", {"step_size": 10}, lr=0.1, seed=3).label
    'StepLR'
    """

    name: str | None
    kwargs: dict[str, Any] = field(default_factory=dict)
    lr: float = 0.1
    seed: int = 0
    optimizer: OptimizerName = "sgd"
    step_lrs: tuple[float, ...] | None = None
    """Explicit lr for every optimizer step, instead of a schedule (the range test's sweep); after the
    last one the last value is kept. Needs ``name=None``."""

    @property
    def label(self) -> str:
        """The schedule's name, or ``"constant"``."""
        return "constant" if self.name is None else self.name


@lru_cache(maxsize=1)
def _data64() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    d = spiral_data()
    return d.x_train.to(DTYPE), d.y_train, d.x_val.to(DTYPE), d.y_val


def _throwaway_optimizer(kind: OptimizerName, lr: float) -> torch.optim.Optimizer:
    param = torch.zeros(1, requires_grad=True)
    if kind == "adamw":
        return torch.optim.AdamW([param], lr=lr, betas=ADAMW_BETAS, eps=ADAMW_EPS, weight_decay=ADAMW_WEIGHT_DECAY)
    return torch.optim.SGD([param], lr=lr, momentum=MOMENTUM)


class FixedLrs:
    """Learning rates given for every step (the range test): the driver of a run with ``step_lrs``.

    >>> FixedLrs((0.1, 0.2, 0.4), momentum=0.9).epoch_values(2)[0].tolist()
    [0.1, 0.2]
    """

    unit = "fixed"

    def __init__(self, lrs: Sequence[float], momentum: float) -> None:
        self.lrs, self.momentum, self.position = np.asarray(lrs, dtype=float), momentum, 0

    def epoch_values(self, steps: int, last: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The next ``steps`` learning rates (the last one repeated past the end) and momenta."""
        index = np.minimum(np.arange(self.position, self.position + steps), len(self.lrs) - 1)
        self.position += steps
        return self.lrs[index], np.full(steps, self.momentum)

    def end_epoch(self, metric: float | None) -> None:
        """Nothing to step."""


class ScheduleDriver:
    """A real torch scheduler on a throw-away optimizer, stepped the way training steps it.

    :meth:`epoch_values` gives the lr and momentum of every batch of the coming epoch;
    :meth:`end_epoch` steps an epoch-wise scheduler (with the metric for ReduceLROnPlateau).

    >>> driver = ScheduleDriver(RunSpec("StepLR", {"step_size": 1, "gamma": 0.5}, lr=1.0), unit="epoch")
    >>> driver.epoch_values(2)[0].tolist(); driver.end_epoch(None); driver.epoch_values(2)[0].tolist()
    [1.0, 1.0]
    [0.5, 0.5]
    """

    def __init__(self, run: RunSpec, unit: str | None) -> None:
        from ..curves.torch_reference import make_torch_scheduler  # torch schedulers, checked by lrutils' specs

        self.unit = unit
        self.optimizer = _throwaway_optimizer(run.optimizer, run.lr)
        self.group = self.optimizer.param_groups[0]
        self.scheduler = None if run.name is None else make_torch_scheduler(run.name, self.optimizer, **run.kwargs)
        self.momentum_key = "betas" if run.optimizer == "adamw" else "momentum"

    def _momentum(self) -> float:
        value = self.group[self.momentum_key]
        return float(value[0] if self.momentum_key == "betas" else value)

    def epoch_values(self, steps: int, last: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(lr, momentum) for each of the next ``steps`` batches; steps a per-batch scheduler.

        In the ``last`` epoch the scheduler is not stepped after the final batch: no batch uses that lr,
        and a schedule defined only over the run (a LambdaLR, ConstantLR's factor 0) must not be asked for it.
        """
        lrs, momenta = np.empty(steps), np.empty(steps)
        for k in range(steps):
            lrs[k], momenta[k] = float(self.group["lr"]), self._momentum()
            if self.unit == "batch" and not (last and k == steps - 1):
                self.optimizer.step()  # no gradients: changes nothing, keeps torch's call order
                self.scheduler.step()
        return lrs, momenta

    def end_epoch(self, metric: float | None) -> None:
        """Step an epoch-wise scheduler; ReduceLROnPlateau gets ``metric``."""
        if self.unit == "epoch":
            self.optimizer.step()
            self.scheduler.step()
        elif self.unit == "metric":
            self.optimizer.step()
            self.scheduler.step(metric)


def _driver_key(run: RunSpec, unit: str | None) -> tuple[Any, ...] | None:
    """Runs with equal keys see the same lr at every step and can share one driver."""
    if unit == "metric":
        return None  # reacts to the run's own validation loss
    items = tuple(sorted((k, repr(v) if not callable(v) else id(v)) for k, v in run.kwargs.items()))
    return (run.name, items, run.lr, run.optimizer)


def _batch_means(example_losses: torch.Tensor, batch_size: int) -> torch.Tensor:
    """Mean loss of every batch of an epoch, ``(N, examples) -> (N, batches)``, in a fixed order."""
    n, examples = example_losses.shape
    if examples % batch_size == 0:  # equal batches: one sum over a (runs * batches, batch, 1) stack
        stacked = example_losses.reshape(n * (examples // batch_size), batch_size, 1)
        return (sum_rows(stacked) / batch_size).view(n, -1)
    chunks = torch.split(example_losses, batch_size, dim=1)
    return torch.cat([sum_rows(c.unsqueeze(-1)).view(-1, 1) / c.shape[1] for c in chunks], dim=1)


def _first_failure(batch_losses: np.ndarray, lrs: np.ndarray, spe: int, epoch: int) -> Failure | None:
    """The first batch of one run's epoch whose mean loss is NaN, infinite or above DIVERGED_LOSS."""
    bad = np.flatnonzero(~(batch_losses <= DIVERGED_LOSS))  # NaN fails every comparison
    if bad.size == 0:
        return None
    k = int(bad[0])
    return Failure(step=epoch * spe + k, epoch=epoch + 1, lr=float(lrs[k]), loss=float(batch_losses[k]))


def _train_epoch(
    net: StackedMLP,
    spans: list[tuple[int, int]],
    arrays: dict[int, StepArrays],
    state: OptimizerState,
    xs: np.ndarray,
    ys: np.ndarray,
    lrs: np.ndarray,
    moms: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One pass of every run of the stack over its own shuffled data ``xs``, ``ys`` (``(n, N_TRAIN, ...)``),
    in batches ``spans``, with ``lrs[k]`` and ``moms[k]`` (one per run) at step ``k``. Returns each
    example's loss as ``offset + log(total)`` parts, both ``(n, N_TRAIN)``."""
    n = xs.shape[0]
    update = sgd_step if state.kind == "sgd" else adamw_step
    params, tensors = Params(net), [t.numpy() for t in net.tensors()]
    lrs, moms = lrs[..., None, None], moms[..., None, None]
    onehot, index = batch_labels(ys, spans)
    offsets, totals = np.empty((n, N_TRAIN)), np.empty((n, N_TRAIN, 1))
    for k, (a, b) in enumerate(spans):
        step = arrays[b - a]
        np.copyto(step.x, xs[:, a:b])
        grads = step.gradients(params, onehot[:, a:b], index[:, a:b], offsets[:, a:b], totals[:, a:b])
        if grads is None:  # a NaN or infinite logit: torch's own operations (step's docstring says why)
            exact = backward(net, step.x_t, torch.from_numpy(ys[:, a:b]))
            offsets[:, a:b], totals[:, a:b, 0] = exact.offset.numpy(), exact.total.numpy()
            grads = [g.numpy() for g in exact.grads]
        update(tensors, grads, state, lrs[k], moms[k])
    return offsets, totals[..., 0]


def train_runs(runs: Sequence[RunSpec], epochs: int, hidden: int, batch_size: int) -> list[History]:
    """Train every run in ``runs`` for ``epochs`` epochs in one stacked pass; one History per run.

    Keywords are used as given (fill in demo defaults before); they are validated by the real
    torch scheduler's spec when its driver is built.

    >>> hs = train_runs([RunSpec(None, lr=0.1, seed=0), RunSpec(None, lr=0.1, seed=1)], 1, 8, 40)
    >>> [h.seed for h in hs], bool(hs[0].val_loss[0] != hs[1].val_loss[0])
    ([0, 1], True)
    """
    key = run_cache.cache_key(runs, epochs, hidden, batch_size)
    stored = run_cache.load(key)  # only while a test session shares its runs (see run_cache)
    if stored is not None:
        return stored
    histories = _train(list(runs), epochs, hidden, batch_size)
    run_cache.store(key, histories)
    return histories


def _train(runs: list[RunSpec], epochs: int, hidden: int, batch_size: int) -> list[History]:
    from ..curves.table import get_spec

    require_pinned_mkl()
    kinds = {run.optimizer for run in runs}
    if len(kinds) != 1:
        raise ValueError(f"runs trained together must share one optimizer, got {sorted(kinds)}")
    kind: OptimizerName = runs[0].optimizer
    spe = math.ceil(N_TRAIN / batch_size)
    units = [None if run.name is None else get_spec(run.name).unit for run in runs]
    drivers: list[ScheduleDriver | FixedLrs] = []
    shared: dict[tuple[Any, ...], ScheduleDriver] = {}
    for run, unit in zip(runs, units, strict=True):
        if run.step_lrs is not None:
            if run.name is not None:
                raise ValueError(f"a run with step_lrs takes no scheduler, got name={run.name!r}")
            drivers.append(FixedLrs(run.step_lrs, ADAMW_BETAS[0] if run.optimizer == "adamw" else MOMENTUM))
            continue
        key = _driver_key(run, unit)
        if key is not None and key in shared:
            drivers.append(shared[key])
            continue
        driver = ScheduleDriver(run, unit)
        drivers.append(driver)
        if key is not None:
            shared[key] = driver

    n = len(runs)
    total_steps = epochs * spe
    lr_rec, mom_rec = np.full((n, total_steps), np.nan), np.full((n, total_steps), np.nan)
    train_rec, val_rec, acc_rec = (np.full((n, epochs), np.nan) for _ in range(3))
    batch_rec = np.full((n, total_steps), np.nan)
    failures: list[Failure | None] = [None] * n

    # Outside inference mode: the cached data (and spiral_data()'s, which a learner may use with
    # autograd) must stay ordinary tensors.
    x_train, y_train, x_val, y_val = _data64()
    spans = [(a, min(a + batch_size, N_TRAIN)) for a in range(0, N_TRAIN, batch_size)]
    # numpy warns about overflow and NaN; training reports them as a Failure instead
    with seeded_one_thread(0), torch.inference_mode(), np.errstate(all="ignore"):
        net = init_stack([run.seed for run in runs], hidden)
        generators = [torch.Generator().manual_seed(run.seed) for run in runs]
        state = OptimizerState(kind)
        active = list(range(n))  # which runs the rows of the stack belong to
        arrays: dict[int, StepArrays] = {}  # by batch size, for the current stack
        val_arrays: dict = {}
        for epoch in range(epochs):
            # Every distinct driver is stepped once per epoch, however many runs share it.
            last_epoch = epoch == epochs - 1  # no scheduler step after the run's last batch (see epoch_values)
            distinct = {id(drivers[i]): drivers[i] for i in active}.values()
            values = {id(d): d.epoch_values(spe, last_epoch) for d in distinct}
            lr_np = np.stack([values[id(drivers[i])][0] for i in active], axis=1)
            mom_np = np.stack([values[id(drivers[i])][1] for i in active], axis=1)
            orders = torch.stack([torch.randperm(N_TRAIN, generator=generators[i]) for i in active]).numpy()
            for a, b in spans:
                if b - a not in arrays:
                    arrays[b - a] = StepArrays(len(active), b - a, hidden)
            xs, ys = x_train.numpy()[orders], y_train.numpy()[orders]
            offsets, totals = _train_epoch(net, spans, arrays, state, xs, ys, lr_np, mom_np)
            example_losses = torch.from_numpy(offsets) + log_positive(torch.from_numpy(totals))
            train_loss = sum_rows(example_losses.unsqueeze(-1)).view(-1) / example_losses.shape[1]
            batch_np = _batch_means(example_losses, batch_size).numpy()
            val_loss, val_acc = evaluate(net, x_val, y_val, cache=val_arrays)
            keep = []
            for row, i in enumerate(active):
                lr_rec[i, epoch * spe : (epoch + 1) * spe] = lr_np[:, row]
                mom_rec[i, epoch * spe : (epoch + 1) * spe] = mom_np[:, row]
                batch_rec[i, epoch * spe : (epoch + 1) * spe] = batch_np[row]
                failure = _first_failure(batch_np[row], lr_np[:, row], spe, epoch)
                if failure is None and not float(val_loss[row]) <= DIVERGED_LOSS:  # blew up in the last step
                    last = float(val_loss[row])
                    failure = Failure(step=(epoch + 1) * spe - 1, epoch=epoch + 1, lr=float(lr_np[-1, row]), loss=last)
                if failure is not None:
                    failures[i] = failure
                    for record in (lr_rec, mom_rec, batch_rec):  # nothing after the failing step
                        record[i, failure.step + 1 :] = np.nan
                    continue
                train_rec[i, epoch], val_rec[i, epoch], acc_rec[i, epoch] = train_loss[row], val_loss[row], val_acc[row]
                if units[i] == "metric" and not last_epoch:
                    drivers[i].end_epoch(float(val_loss[row]))
                keep.append(row)
            for d in {id(drivers[active[r]]): drivers[active[r]] for r in keep}.values():
                if d.unit == "epoch" and not last_epoch:
                    d.end_epoch(None)
            if len(keep) < len(active):
                net, active = net.select(torch.tensor(keep, dtype=torch.long)), [active[r] for r in keep]
                state.select(np.array(keep, dtype=np.int64))
                arrays.clear(), val_arrays.clear()
                if not active:
                    break

    return [
        History(
            name=run.name,
            kwargs=dict(run.kwargs),
            lr=lr_rec[i],
            momentum=mom_rec[i],
            train_loss=train_rec[i],
            batch_loss=batch_rec[i],
            val_loss=val_rec[i],
            val_acc=acc_rec[i],
            steps_per_epoch=spe,
            seed=run.seed,
            base_lr=run.lr,
            optimizer=kind,
            failure=failures[i],
        )
        for i, run in enumerate(runs)
    ]


__all__ = [
    "ADAMW_BETAS",
    "ADAMW_EPS",
    "ADAMW_WEIGHT_DECAY",
    "MOMENTUM",
    "RunSpec",
    "ScheduleDriver",
    "int_power",
    "train_runs",
]
