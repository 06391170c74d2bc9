"""The torch code an explorer prints runs in real torch and gives the curve the explorer draws."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
import torch

import lrutils
from conftest import assert_agrees
from lrutils.curves.blog import plateau_demo_metric
from lrutils.curves.composite import composite_names
from lrutils.explorer.code import torch_code, value_text

ALL_NAMES = [*lrutils.scheduler_names(), *composite_names()]


def decay_by_five_percent(t: int) -> float:
    return 0.95**t


# (name, explore keywords): every scheduler's and composite's starting values, then the keywords
# that change what is printed (a lambda, a def, metrics, epochs, CyclicLR's own base_lr, defaults).
CASES: list[tuple[str, dict[str, Any]]] = [(name, {}) for name in ALL_NAMES] + [
    ("StepLR", {"step_size": 7, "gamma": 0.5, "base_lr": 0.3, "n_steps": 60}),
    ("ReduceLROnPlateau", {"metrics": list(plateau_demo_metric()), "mode": "max", "threshold_mode": "abs"}),
    ("ReduceLROnPlateau", {"patience": 2, "cooldown": 3, "min_lr": 0.002, "eps": 0.01, "factor": 0.5}),
    ("OneCycleLR", {"epochs": 4, "steps_per_epoch": 25, "three_phase": True, "anneal_strategy": "linear"}),
    ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 25, "step_size_down": 25, "n_steps": 200}),
    ("CyclicLR", {"mode": "exp_range", "gamma": 0.99}),
    ("ConstantLR", {"factor": 1 / 3}),
    ("LambdaLR", {"lr_lambda": lambda t: 1.0 / (t + 1)}),
    ("LambdaLR", {"lr_lambda": decay_by_five_percent}),
    ("SequentialLR", {"schedulers": [("ConstantLR", {"factor": 0.5}), ("LambdaLR", {"lr_lambda": lambda t: 0.9**t})]}),
    ("ChainedScheduler", {"schedulers": [("CosineAnnealingLR", {"T_max": 20, "eta_min": 0.01})]}),
    ("warmup_cosine", {"warmup_steps": 5, "T_max": 50, "start_factor": 0.1, "eta_min": 0.001}),
]


def run_printed(code: str, n_steps: int, metrics: Any = None) -> np.ndarray:
    """Execute the printed code with a ``model`` and step it as its last comment says."""
    scope: dict[str, Any] = {"torch": torch, "model": torch.nn.Linear(1, 1)}
    exec(code, scope)  # the code under test is the point: it must run as printed
    optimizer, scheduler = scope["optimizer"], scope["scheduler"]
    lrs = [optimizer.param_groups[0]["lr"]]
    for i in range(n_steps - 1):
        optimizer.step()
        scheduler.step(metrics[i]) if metrics is not None else scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    return np.array(lrs)


@pytest.mark.parametrize("name,keywords", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_printed_code_reproduces_the_drawn_curve(name: str, keywords: dict[str, Any]) -> None:
    ex = lrutils.explore(name, **keywords)
    code = ex.code()
    n_steps, base_lr, kwargs = ex.settings()
    assert "<pre class='lrutils-code'" in ex.message.value
    theirs = run_printed(code, n_steps, kwargs.get("metrics"))
    scale = max(base_lr, float(kwargs.get("max_lr", 0.0)), float(kwargs.get("eta_min", 0.0)))
    assert_agrees(ex.curve, theirs, scale)


def test_every_name_is_covered() -> None:
    assert {name for name, _ in CASES} == set(ALL_NAMES)


def test_code_names_real_torch_classes_only() -> None:
    code = torch_code("warmup_stable_decay", 100, warmup_steps=10, stable_steps=70, decay_steps=20)
    assert "# lrutils.warmup_stable_decay(" in code  # the recipe is named in a comment only
    called = set(re.findall(r"\b([A-Z]\w+)\(", code)) - {"SGD"}
    assert called == {"SequentialLR", "LinearLR", "ConstantLR"}
    assert all(hasattr(torch.optim.lr_scheduler, cls) for cls in called)
    assert "'LinearLR'" not in code and "('" not in code  # no (name, kwargs) tuples


def test_cyclic_code_gives_its_required_base_lr() -> None:
    code = torch_code("CyclicLR", 100, base_lr=0.01, max_lr=0.1)
    assert "base_lr=0.01" in code and "max_lr=0.1" in code


def test_a_lambda_without_readable_source_gets_a_placeholder_that_says_so() -> None:
    fn = eval("lambda t: 0.5")  # no source file: inspect cannot read it
    code = torch_code("LambdaLR", 10, lr_lambda=fn)
    assert "your_lr_lambda_1" in code and "source could not be read" in code
    with pytest.raises(NameError, match="your_lr_lambda_1"):
        run_printed(code, 3)


def test_a_lambda_reading_outside_names_says_which() -> None:
    gamma = 0.9  # noqa: F841 (read by the lambda through its closure)
    code = torch_code("LambdaLR", 10, lr_lambda=lambda t: gamma**t)
    assert "lr_lambda=lambda t: gamma**t" in code and "reads gamma from your code" in code


def test_lambdas_on_one_line_are_told_apart() -> None:
    first, second = (lambda t: 0.5**t), (lambda t: 0.25**t)
    outer = lambda t: (lambda s: s + 1)(t) / 2  # noqa: E731 (a lambda holding a lambda, on one line)
    assert "lr_lambda=lambda t: 0.5**t)" in torch_code("LambdaLR", 5, lr_lambda=first)
    assert "lr_lambda=lambda t: 0.25**t)" in torch_code("LambdaLR", 5, lr_lambda=second)
    assert "lr_lambda=lambda t: (lambda s: s + 1)(t) / 2\n" in torch_code("LambdaLR", 5, lr_lambda=outer)


def test_defaults_are_left_out_and_required_keywords_kept() -> None:
    code = torch_code("StepLR", 10, step_size=3, gamma=0.1)
    assert "StepLR(optimizer, step_size=3)" in code


@pytest.mark.parametrize(
    "value,text",
    [(0.1, "0.1"), (0.35, "0.35"), (1e-05, "1e-05"), (1 / 3, "1/3"), (2 / 3, "2/3"), (25.0, "25.0"), (7, "7"),
     (True, "True"), ("cos", "'cos'"), ([30, 80], "[30, 80]"), (np.float64(0.5), "0.5"),
     (0.1 + 0.2, "0.30000000000000004")],
)  # fmt: skip
def test_value_text_reads_back_as_the_same_value(value: Any, text: str) -> None:
    assert value_text(value) == text
    assert eval(text) == value  # exactly the same float, not a neighbour


def test_bad_keywords_are_refused_before_any_code() -> None:
    with pytest.raises(TypeError, match="did you mean 'step_size'"):
        torch_code("StepLR", 10, stepsize=3)
