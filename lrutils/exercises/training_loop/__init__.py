"""Self-checks for notebook 11 (the training loop around the scheduler): the learner writes the loop.

* :func:`check_resume`: resume a half-finished run from its checkpoint so that every lr (and every
  weight) equals the run that was never interrupted.
* :func:`check_accumulation`: a warm-up + cosine loop with gradient accumulation over k = 4
  micro-batches, its lengths counted in optimizer steps.
* :func:`check_head_10x`: a backbone and a head in two param groups, the head at 10x the backbone's
  lr under ``OneCycleLR``.

Each check runs the learner's code on :func:`lrutils.training.loops.two_part_model`, records the lr the
optimizer really used at every step (:class:`lrutils.training.loops.LrRecorder`) and compares it with the
intended schedule; typical mistakes are replayed here and named. ``None`` gives a polite "not yet".
"""

from __future__ import annotations

from .accumulation import check_accumulation
from .groups import check_head_10x
from .resume import check_resume, make_model, make_optimizer, make_run, make_scheduler

__all__ = [
    "check_accumulation",
    "check_head_10x",
    "check_resume",
    "make_model",
    "make_optimizer",
    "make_run",
    "make_scheduler",
]
