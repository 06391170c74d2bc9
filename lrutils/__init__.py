"""lrutils: helpers for the learning-rate scheduler notebooks.

>>> import lrutils
>>> lrutils.lr_curve("ExponentialLR", 3, base_lr=1.0, gamma=0.5).tolist()
[1.0, 0.5, 0.25]
"""

from __future__ import annotations

from .composite import composite_names, linear_warmup_lambda, warmup_cosine, warmup_stable_decay
from .curves import DEFAULT_BASE_LR, lr_curve, momentum_curve
from .notebook import setup
from .range_test import RangeTestResult, lr_range_test, plot_range_test
from .schedules import BLOG_SCHEDULERS, SCHEDULES, get_spec, scheduler_names
from .torch_code import torch_code
from .torch_reference import make_torch_scheduler, torch_lr_curve, torch_momentum_curve
from .training import History, compare, plot_history, results_table, train
from .widgets import Explorer, explore

__all__ = [
    "composite_names",
    "linear_warmup_lambda",
    "warmup_cosine",
    "warmup_stable_decay",
    "Explorer",
    "explore",
    "History",
    "compare",
    "plot_history",
    "results_table",
    "train",
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
    "torch_momentum_curve",
]
