"""lrutils: helpers for the learning-rate scheduler notebooks.

>>> import lrutils
>>> lrutils.lr_curve("ExponentialLR", 3, base_lr=1.0, gamma=0.5).tolist()
[1.0, 0.5, 0.25]
"""

from __future__ import annotations

from . import loops, recipes  # lrutils.loops.*, lrutils.recipes.* (notebooks 12 and 13)
from .comparison import Comparison, Setup, Tuning
from .composite import composite_names, linear_warmup_lambda, warmup_cosine, warmup_stable_decay
from .curves import DEFAULT_BASE_LR, lr_curve, momentum_curve
from .history import Failure, History
from .notebook import setup
from .numerics import pin_mkl
from .range_test import RangeTestResult, lr_range_test, plot_range_test
from .schedules import BLOG_SCHEDULERS, SCHEDULES, get_spec, scheduler_names
from .torch_code import torch_code
from .torch_reference import agreement, make_torch_scheduler, torch_lr_curve, torch_momentum_curve
from .training import bake_off, compare, train, tune_lr
from .training_plots import plot_history
from .widgets import Explorer, explore

# MKL's CPU-independent mode, before anything multiplies a matrix (importing lrutils' modules does
# not): see lrutils.numerics.
MKL_STATE = pin_mkl()

__all__ = [
    "composite_names",
    "linear_warmup_lambda",
    "warmup_cosine",
    "warmup_stable_decay",
    "Explorer",
    "explore",
    "Comparison",
    "Failure",
    "History",
    "Setup",
    "Tuning",
    "bake_off",
    "compare",
    "plot_history",
    "train",
    "tune_lr",
    "RangeTestResult",
    "lr_range_test",
    "plot_range_test",
    "BLOG_SCHEDULERS",
    "DEFAULT_BASE_LR",
    "SCHEDULES",
    "get_spec",
    "lr_curve",
    "make_torch_scheduler",
    "momentum_curve",
    "scheduler_names",
    "setup",
    "torch_code",
    "torch_lr_curve",
    "agreement",
    "torch_momentum_curve",
    "loops",
    "recipes",
]
