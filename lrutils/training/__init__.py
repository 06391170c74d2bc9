"""Training the demo model: data, network, the CPU-independent engine, runs, fair comparisons.

- :mod:`~lrutils.training.numerics`: MKL's reproducible mode and portable exp/log/sums;
- :mod:`~lrutils.training.data`: the spiral data set; :mod:`~lrutils.training.mlp`: the stacked MLP;
- :mod:`~lrutils.training.engine`: many runs in one stacked float64 pass;
- :mod:`~lrutils.training.history`: what a run recorded; :mod:`~lrutils.training.stats`: intervals;
- :mod:`~lrutils.training.runs`: :func:`train`, :func:`compare`, :func:`tune_lr`, :func:`bake_off`; their
  settings in :mod:`~lrutils.training.demo`, their arguments checked in :mod:`~lrutils.training.arguments`;
- :mod:`~lrutils.training.comparison`: :class:`Comparison` and its tables; :mod:`~lrutils.training.tuning`:
  :class:`Tuning`, an lr sweep; :mod:`~lrutils.training.metrics`: what they measure;
- :mod:`~lrutils.training.range_test`: the learning-rate range test (its sweep in
  :mod:`~lrutils.training.range_sweep`, its rules in :mod:`~lrutils.training.range_rules`); how well each
  rule's suggestion trains: :mod:`~lrutils.training.range_compare`;
- :mod:`~lrutils.training.loops`: the raw-torch training loop around a scheduler (notebooks 11-12).

Layer 3: imports :mod:`lrutils.curves`, :mod:`lrutils.figures` (results draw themselves) and
:mod:`lrutils.text`.
"""

from __future__ import annotations

from . import loops
from .comparison import Comparison, Setup
from .demo import TUNED_LR, demo_kwargs, steps_per_epoch
from .history import Failure, History
from .range_test import RangeTestResult, lr_range_test
from .runs import bake_off, compare, train, tune_lr
from .tuning import Tuning

__all__ = [
    "TUNED_LR",
    "Comparison",
    "Failure",
    "History",
    "RangeTestResult",
    "Setup",
    "Tuning",
    "bake_off",
    "compare",
    "demo_kwargs",
    "loops",
    "lr_range_test",
    "steps_per_epoch",
    "train",
    "tune_lr",
]
