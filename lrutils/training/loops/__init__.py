"""The training loop around a scheduler: what the optimizer really used, checkpoints, conversions.

* :class:`LrRecorder` records every param group's lr each time ``optimizer.step()`` really runs
  (an optimizer step pre-hook), so a step skipped by ``GradScaler`` leaves no entry (unless the
  optimizer is fused: then ``optimizer.step()`` runs and the kernel skips the update).
* :func:`two_part_model`, :func:`batch`, :func:`loss_of` and :func:`run_steps`: a tiny model with a
  ``backbone`` and a ``head`` and a plain loop (``zero_grad``, ``backward``, ``optimizer.step()``,
  ``scheduler.step()``) to run schedulers in. Only learning rates are meant to be printed: losses
  and weights of float32 training can differ in the last bits from one CPU to another.
* :func:`checkpoint` and :func:`resume_roundtrip`: save a run half-way (through ``torch.save`` and
  ``torch.load``, as a file would), resume it with your code, and compare every lr with the run
  that was never interrupted.
* :func:`epochs_to_batches`: the same schedule stepped once per batch instead of once per epoch.
* :func:`amp_run`, :func:`scaler_roundtrip` (:mod:`.amp`): float16 autocast with ``GradScaler("cpu")``:
  skipped steps, fused optimizers, and the scaler's state in a checkpoint.
* :func:`batches_per_rank`, :func:`rank_loaders`, :func:`step_like_accelerate` (:mod:`.data_parallel`):
  steps per epoch under data-parallel training, simulated on one machine.
* :func:`lr_table`, :func:`plot_lr_runs`, :class:`CaughtWarnings`: show what happened.

Layer 3, with the rest of :mod:`lrutils.training`; the tables and plots come from :mod:`lrutils.figures.loops`.
"""

from __future__ import annotations

from ...figures.loops import lr_table, plot_lr_grid, plot_lr_runs
from .amp import AmpRun, ScalerRoundtrip, amp_run, scaler_roundtrip
from .checkpoints import Roundtrip, checkpoint, resume_roundtrip, resume_with_last_epoch
from .conversions import epochs_to_batches
from .data_parallel import batches_per_rank, rank_loaders, samples_per_rank, step_like_accelerate
from .recording import CaughtWarnings, LrRecorder
from .toy import batch, describe_error, loss_of, run_steps, two_part_model

__all__ = [
    "AmpRun",
    "CaughtWarnings",
    "LrRecorder",
    "Roundtrip",
    "ScalerRoundtrip",
    "amp_run",
    "batch",
    "batches_per_rank",
    "checkpoint",
    "describe_error",
    "epochs_to_batches",
    "loss_of",
    "lr_table",
    "plot_lr_grid",
    "plot_lr_runs",
    "rank_loaders",
    "resume_roundtrip",
    "resume_with_last_epoch",
    "run_steps",
    "samples_per_rank",
    "scaler_roundtrip",
    "step_like_accelerate",
    "two_part_model",
]
