"""Data-parallel training on one machine, by arithmetic and by simulation: how many optimizer steps
each rank takes per epoch, and how many scheduler steps that makes.

* :func:`samples_per_rank`, :func:`batches_per_rank`: torch's ``DistributedSampler`` gives every rank
  ``ceil(len(dataset) / world_size)`` samples (padding with repeats from the start), so each rank's
  loader has ``ceil(samples / batch_size)`` batches. In plain DDP every rank runs its own scheduler,
  once per optimizer step, so ``OneCycleLR``'s ``total_steps`` counts one rank's optimizer steps.
* :func:`rank_loaders`: the real ``DistributedSampler`` with ``num_replicas`` and ``rank`` given, which
  needs no process group, one ``DataLoader`` per simulated rank.
* :func:`step_like_accelerate`: how accelerate's ``AcceleratedScheduler.step`` (accelerate 1.15,
  ``split_batches=False``, no skipped step) advances the scheduler it wraps: ``num_processes`` steps
  per call, each taken only while ``_step_count <= total_steps`` for a scheduler that has a
  ``total_steps`` (``OneCycleLR``). Re-stated from accelerate's source (Apache-2.0), not copied.

>>> batches_per_rank(1000, world_size=4, batch_size=32)
8
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch.utils.data import DataLoader, DistributedSampler

from ...curves.spec import REQUIRED, ParamSpec
from ...text.i18n import tr


def _sizes(n_samples: object, world_size: object) -> tuple[int, int]:
    n = ParamSpec("n_samples", "int", REQUIRED, low=1).check(n_samples)
    world = ParamSpec("world_size", "int", REQUIRED, low=1).check(world_size)
    return n, world


def samples_per_rank(n_samples: int, world_size: int, drop_last: bool = False) -> int:
    """How many samples ``DistributedSampler`` gives each rank per epoch.

    ``ceil(n_samples / world_size)``; with the sampler's ``drop_last=True`` and a remainder, the tail
    is dropped instead of padded: ``ceil((n_samples - world_size) / world_size)``.

    >>> samples_per_rank(1000, 3), samples_per_rank(1000, 3, drop_last=True)
    (334, 333)
    """
    n, world = _sizes(n_samples, world_size)
    if drop_last and n % world:
        return math.ceil((n - world) / world)
    return math.ceil(n / world)


def batches_per_rank(n_samples: int, world_size: int, batch_size: int, drop_last: bool = False) -> int:
    """Batches each rank's ``DataLoader`` yields per epoch with a ``DistributedSampler``:
    ``ceil(samples_per_rank / batch_size)`` (``drop_last`` is the sampler's).

    >>> [batches_per_rank(1000, world, 32) for world in (1, 2, 3, 4, 8)]
    [32, 16, 11, 8, 4]
    """
    batch = ParamSpec("batch_size", "int", REQUIRED, low=1).check(batch_size)
    return math.ceil(samples_per_rank(n_samples, world_size, drop_last) / batch)


def rank_loaders(n_samples: int, world_size: int, batch_size: int) -> list[DataLoader]:
    """One ``DataLoader`` of sample indices per simulated rank, each with torch's ``DistributedSampler``
    (``num_replicas=world_size``, ``rank=r``, ``shuffle=False``): no process group is needed.

    >>> [len(loader) for loader in rank_loaders(100, 2, 8)]
    [7, 7]
    >>> [batch.tolist() for batch in rank_loaders(5, 2, 8)[1]]
    [[1, 3, 0]]
    """
    n, world = _sizes(n_samples, world_size)
    batch = ParamSpec("batch_size", "int", REQUIRED, low=1).check(batch_size)
    dataset = list(range(n))
    return [
        DataLoader(dataset, batch_size=batch, sampler=DistributedSampler(dataset, world, rank, shuffle=False))
        for rank in range(world)
    ]


def step_like_accelerate(scheduler: Any, num_processes: int) -> None:
    """Advance ``scheduler`` as accelerate's ``AcceleratedScheduler.step()`` does after an optimizer
    step (accelerate 1.15, ``split_batches=False``, no skipped step): ``num_processes`` times, each
    only while ``scheduler._step_count <= scheduler.total_steps`` if it has a ``total_steps``.

    >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    >>> sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    >>> for _ in range(3):
    ...     opt.step()
    ...     step_like_accelerate(sched, num_processes=2)
    >>> sched.last_epoch  # 6 steps asked for, 3 taken; plain torch raises on the 4th
    3
    """
    processes = ParamSpec("num_processes", "int", REQUIRED, low=1).check(num_processes)
    if not isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler):
        raise TypeError(tr("scheduler must be a torch LRScheduler, got {kind}", kind=type(scheduler).__name__))
    for _ in range(processes):
        total = getattr(scheduler, "total_steps", None)
        if total is None or scheduler._step_count <= total:
            scheduler.step()


__all__ = ["batches_per_rank", "rank_loaders", "samples_per_rank", "step_like_accelerate"]
