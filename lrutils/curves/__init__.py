"""What a schedule is: the scheduler table, torch-free curves, the real torch schedulers.

- :mod:`~lrutils.curves.spec`: :class:`ParamSpec` and :class:`ScheduleSpec`, what every keyword accepts;
- one module per family of torch schedulers (:mod:`decay`, :mod:`cosine`, :mod:`plateau`,
  :mod:`onecycle`, :mod:`restarts`, :mod:`cyclic`, :mod:`warmup`): its spec and closed-form curve;
- :mod:`~lrutils.curves.table`: every spec by name (:func:`get_spec`), torch's single schedulers and
  the composites;
- :mod:`~lrutils.curves.composite`: LambdaLR, SequentialLR, ChainedScheduler and lrutils' recipes;
  :mod:`~lrutils.curves.recipes`: the published recipes (Noam, BERT, cosine with a floor, WSD);
- :mod:`~lrutils.curves.closed_form`: :func:`lr_curve`, :func:`momentum_curve` (numpy, no torch);
- :mod:`~lrutils.curves.torch_reference`: the real torch scheduler, :func:`torch_lr_curve`,
  :func:`agreement`;
- :mod:`~lrutils.curves.blog`: the blog's hand-written sketches; :mod:`~lrutils.curves.synthetic`: a
  scripted metric for ReduceLROnPlateau; :mod:`~lrutils.curves.surface`: gradient descent on a 2-D
  bowl (notebook 00).

Layer 1: imports only :mod:`lrutils.text` (and numpy, torch).
"""

from __future__ import annotations

from .closed_form import DEFAULT_BASE_LR, lr_curve, momentum_curve
from .table import BLOG_SCHEDULERS, SCHEDULES, get_spec, scheduler_names
from .torch_reference import agreement, make_torch_scheduler, torch_lr_curve, torch_momentum_curve

__all__ = [
    "BLOG_SCHEDULERS",
    "DEFAULT_BASE_LR",
    "SCHEDULES",
    "agreement",
    "get_spec",
    "lr_curve",
    "make_torch_scheduler",
    "momentum_curve",
    "scheduler_names",
    "torch_lr_curve",
    "torch_momentum_curve",
]
