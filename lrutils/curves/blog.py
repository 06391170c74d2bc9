"""The blog post's pictures: its hand-written numpy sketches and the torch settings it names.

The blog ("[개념 정리] 스케쥴러란? Scheduler", CodeCrafter, 2024) draws five curves over 100 epochs
from an initial lr of 0.1 with simple numpy formulas. They are sketches: three of them differ from
what torch does (one-cycle, plateau, and the claim that cosine rises again), which the notebooks
show side by side with :data:`BLOG_TORCH_KWARGS` traced through real torch.
"""

from __future__ import annotations

import numpy as np

BLOG_EPOCHS = 100
BLOG_BASE_LR = 0.1

BLOG_TORCH_KWARGS: dict[str, dict[str, object]] = {
    "StepLR": {"step_size": 10, "gamma": 0.5},
    "ExponentialLR": {"gamma": 0.9},
    "CosineAnnealingLR": {"T_max": 100},
    "ReduceLROnPlateau": {"patience": 10, "factor": 0.1},
    # The blog's line is OneCycleLR(max_lr=0.1, steps_per_epoch=100, epochs=10): 1000 batch steps.
    # Its 100-epoch picture squeezes one cycle into the plot, i.e. 100 steps in all.
    "OneCycleLR": {"max_lr": 0.1, "total_steps": 100},
}
"""The blog's torch parameters, as used for its 100-epoch grid."""


def plateau_demo_metric(n: int = BLOG_EPOCHS - 1, best_at: int = 38, flat_until: int = 50) -> np.ndarray:
    """A scripted validation loss: falls until ``best_at``, stays flat until ``flat_until``, falls again.

    ``metric[j]`` is the loss measured after epoch j. With ``patience=10`` torch sees 11 epochs
    without improvement (39..49) and cuts the lr from epoch 50 on, where the blog draws its drop.

    >>> m = plateau_demo_metric()
    >>> len(m), bool(m[49] == m[38]), bool(m[50] < m[38])
    (99, True, True)
    """
    epochs = np.arange(n, dtype=float)
    loss = 0.3 + 0.7 * np.exp(-epochs / 15)
    plateau = loss[best_at]
    loss[best_at:flat_until] = plateau
    after = epochs[flat_until:] - flat_until + 1
    loss[flat_until:] = plateau * (1 - 0.003 * after)  # the cut helps: slow progress again
    return loss


def blog_sketch(name: str, epochs: int = BLOG_EPOCHS, base_lr: float = BLOG_BASE_LR) -> np.ndarray:
    """The blog's numpy approximation of scheduler ``name`` (a sketch, not torch).

    The one-cycle sketch is the blog's own code: a ramp from 0 to the peak at epoch 50, then a cosine
    over ``epochs - 50`` epochs, which would reach 0 at epoch 100, one past the picture: its last
    value (epoch 99) is 9.87e-5, not 0.

    >>> blog_sketch("OneCycleLR")[[0, 50, 99]].tolist()
    [0.0, 0.1, 9.866357858642206e-05]
    """
    e = np.arange(epochs, dtype=float)
    half = epochs // 2
    if name == "StepLR":
        return base_lr * 0.5 ** (e // 10)
    if name == "ExponentialLR":
        return base_lr * 0.9**e
    if name == "CosineAnnealingLR":
        return base_lr * (1 + np.cos(np.pi * e / epochs)) / 2
    if name == "ReduceLROnPlateau":
        return np.where(e < half, base_lr, base_lr * 0.1)  # one fixed drop, no metric
    if name == "OneCycleLR":
        ramp = base_lr * e / half  # linear from 0 to the peak at the middle
        down = base_lr * (1 + np.cos(np.pi * (e - half) / (epochs - half))) / 2  # the blog's / (epochs - peak)
        return np.where(e < half, ramp, down)
    raise ValueError(
        f"the blog sketches only StepLR, ExponentialLR, CosineAnnealingLR, ReduceLROnPlateau, OneCycleLR; got {name!r}"
    )


def blog_torch_curve(name: str, epochs: int = BLOG_EPOCHS, base_lr: float = BLOG_BASE_LR) -> np.ndarray:
    """What torch really does with the blog's parameters over its 100 epochs (torch-free, exact).

    >>> blog_torch_curve("StepLR")[[0, 10, 20]].round(4).tolist()
    [0.1, 0.05, 0.025]
    """
    from .closed_form import lr_curve

    kwargs = dict(BLOG_TORCH_KWARGS[name])
    if name == "ReduceLROnPlateau":
        kwargs["metrics"] = plateau_demo_metric(epochs - 1)
    return lr_curve(name, epochs, base_lr=base_lr, **kwargs)
