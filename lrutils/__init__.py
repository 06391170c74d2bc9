"""lrutils: helpers for the learning-rate scheduler notebooks.

Every notebook starts with ``import lrutils; lrutils.setup()`` and uses the names below. The
package is layered; each layer imports only those under it (``tests/test_layers.py`` checks it):

0. :mod:`lrutils.text`: tables and progress bars a learner reads;
1. :mod:`lrutils.curves`: what a schedule is (specs, torch-free curves, the real torch schedulers);
2. :mod:`lrutils.figures`: everything drawn, in one style;
3. :mod:`lrutils.training`: the demo model, the engine, runs and fair comparisons, the range test,
   the training-loop helpers;
4. :mod:`lrutils.explorer`: sliders, live training, printed torch code;
5. :mod:`lrutils.exercises`: the self-checks; and this module with :mod:`lrutils.notebook` (``setup``).

>>> import lrutils
>>> lrutils.lr_curve("ExponentialLR", 3, base_lr=1.0, gamma=0.5).tolist()
[1.0, 0.5, 0.25]
"""

from __future__ import annotations

from .curves import (
    BLOG_SCHEDULERS,
    DEFAULT_BASE_LR,
    SCHEDULES,
    agreement,
    get_spec,
    lr_curve,
    make_torch_scheduler,
    momentum_curve,
    recipes,  # lrutils.recipes.*: the published recipes (notebook 12)
    scheduler_names,
    torch_lr_curve,
    torch_momentum_curve,
)
from .curves.composite import composite_names, linear_warmup_lambda, warmup_cosine, warmup_stable_decay
from .explorer import Explorer, explore, torch_code
from .figures.range_test import plot_range_test
from .figures.results import plot_history
from .notebook import setup
from .training import (
    TUNED_LR,
    Comparison,
    Failure,
    History,
    RangeTestResult,
    Setup,
    Tuning,
    bake_off,
    compare,
    loops,  # lrutils.loops.*: the training loop around a scheduler (notebooks 11 and 12)
    lr_range_test,
    train,
    tune_lr,
)
from .training.numerics import pin_mkl

# MKL's CPU-independent mode, before anything multiplies a matrix (importing lrutils' modules does
# not): see lrutils.training.numerics.
MKL_STATE = pin_mkl()

__all__ = [
    "BLOG_SCHEDULERS",
    "DEFAULT_BASE_LR",
    "SCHEDULES",
    "TUNED_LR",
    "Comparison",
    "Explorer",
    "Failure",
    "History",
    "RangeTestResult",
    "Setup",
    "Tuning",
    "agreement",
    "bake_off",
    "compare",
    "composite_names",
    "explore",
    "get_spec",
    "linear_warmup_lambda",
    "loops",
    "lr_curve",
    "lr_range_test",
    "make_torch_scheduler",
    "momentum_curve",
    "plot_history",
    "plot_range_test",
    "recipes",
    "scheduler_names",
    "setup",
    "torch_code",
    "torch_lr_curve",
    "torch_momentum_curve",
    "train",
    "tune_lr",
    "warmup_cosine",
    "warmup_stable_decay",
]
