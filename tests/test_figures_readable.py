"""Every public figure of lrutils.figures is whole on a projector and its text readable there.

Each figure is rendered the way JupyterLab's inline backend shows it (cropped to what is drawn,
0.1 inch margins, ``figure.dpi`` = 100 px per inch): at most 720 x 520 px, and no text under
10 px, where a mathtext super- or subscript counts at 70 % of its font. Examples are the
notebooks' own calls (and their longest labels); training results come from tiny runs.
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable
from typing import Any

import numpy as np
import PIL.Image
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

import lrutils
from lrutils import figures as _figures_package  # noqa: F401  (the package the registry must cover)
from lrutils.curves import surface
from lrutils.curves.synthetic import synthetic_val_loss
from lrutils.figures import (
    cheat_sheet,
    cosine,
    curves,
    cyclic,
    decay,
    intro,
    language,
    loops,
    onecycle,
    plateau,
    range_test,
    restarts,
    results,
    side_by_side,
    style,
    warmup,
)
from lrutils.training.range_compare import compare_rules

MAX_PX = (720, 520)
MIN_TEXT_PX = 10.0
MODULES = [cheat_sheet, cosine, curves, cyclic, decay, intro, loops, onecycle, plateau, range_test, restarts, results]
MODULES += [side_by_side, warmup]


@pytest.fixture(scope="module")
def trained() -> dict[str, Any]:
    """Small training results of every kind the figures draw (2 epochs, 2 seeds)."""
    return build_trained()


def build_trained() -> dict[str, Any]:
    """Small training results of every kind the figures draw (2 epochs, 2 seeds)."""
    fast = {"epochs": 2, "seeds": 2, "progress": False}
    six = lrutils.compare([None, *lrutils.BLOG_SCHEDULERS], **fast)
    candidates = lrutils.compare(
        {
            "OneCycleLR, tuned lr": lrutils.Setup("OneCycleLR", 0.4),
            "OneCycleLR at the suggestion": lrutils.Setup("OneCycleLR", 0.05),
            "OneCycleLR at the steepest point": lrutils.Setup("OneCycleLR", 0.2),
            "OneCycleLR at the minimum": lrutils.Setup("OneCycleLR", 1.0),
            "constant, tuned lr": lrutils.Setup(None, 0.1),
            "constant at the suggestion": lrutils.Setup(None, 0.05),
        },
        **fast,
    )
    tuning = lrutils.tune_lr([None, "OneCycleLR"], grid=(0.05, 0.1, 0.2), seeds=[1], epochs=2, progress=False)
    test = lrutils.lr_range_test(num_iter=100)
    seeds = [test, lrutils.lr_range_test(num_iter=100, seed=1)]
    return {
        "rules": compare_rules(seeds, epochs=2, progress=False),
        "six": six,
        "candidates": candidates,
        "tuning": tuning,
        "range": test,
        "ranges": {"batch 40, seed 0": test, "batch 40, seed 1": seeds[1]},
        "history": {"constant 0.4": lrutils.train(None, epochs=2, lr=0.4), "StepLR": lrutils.train("StepLR", epochs=2)},
    }


def _recipes_grid() -> dict[str, dict[str, np.ndarray]]:
    """Notebook 12's grid of recipes (its longest titles)."""
    floor = {"warmup_steps": 100, "total_steps": 1000}
    wsd = {"warmup_steps": 100, "stable_steps": 700, "decay_steps": 200}
    return {
        "noam (d_model=512, warmup 4000), lr 1": {
            "noam": lrutils.lr_curve("noam", 20_000, base_lr=1.0, d_model=512, warmup_steps=4000)
        },
        "linear_warmup_decay (BERT), lr 0.1": {"w=100, N=1000": lrutils.lr_curve("linear_warmup_decay", 1000, **floor)},
        "warmup_cosine_floor, lr 0.1": {
            "floor 0.01 (min_lr_ratio=0.1)": lrutils.lr_curve("warmup_cosine_floor", 1000, min_lr_ratio=0.1, **floor),
            "no floor": lrutils.lr_curve("warmup_cosine_floor", 1000, min_lr_ratio=0.0, **floor),
        },
        "wsd_1sqrt, lr 0.1": {
            "1-sqrt cooldown": lrutils.lr_curve("wsd_1sqrt", 1000, **wsd),
            "linear cooldown": lrutils.lr_curve("warmup_stable_decay", 1000, **wsd),
        },
    }


def _plateau_metric() -> np.ndarray:
    return synthetic_val_loss(99, flat_from=40)


EXAMPLES: dict[str, Callable[[dict[str, Any]], Figure]] = {
    "cheat_sheet.in_small": lambda t: cheat_sheet.in_small("decays"),
    "curves.plot_curves": lambda t: curves.plot_curves({"a": np.linspace(1, 0, 50), "b": np.ones(50)}, title="two"),
    "curves.plot_curve": lambda t: curves.plot_curve(np.geomspace(0.1, 1e-4, 50), log=True),
    "cosine.best_and_final": lambda t: cosine.best_and_final(t["six"], ["constant", "CosineAnnealingLR"]),
    "cosine.past_t_max": lambda t: cosine.past_t_max(t_max=100, n_steps=300, base_lr=0.1),
    "cosine.stepped_per_batch": lambda t: cosine.stepped_per_batch(30, 40, base_lr=0.1, T_max=30),
    "cyclic.modes": lambda t: cyclic.modes(300, base_lr=0.01, max_lr=0.1, step_size_up=25),
    "cyclic.lr_and_momentum": lambda t: cyclic.lr_and_momentum(150, base_lr=0.01, max_lr=0.1, step_size_up=25),
    "decay.curve_vs_torch": lambda t: decay.curve_vs_torch(
        "ExponentialLR", 100, base_lr=0.1, scales=("linear", "log"), gamma=0.9
    ),
    "decay.staircases": lambda t: decay.staircases(
        {
            "StepLR(step_size=10, gamma=0.5)": lrutils.lr_curve("StepLR", 100, step_size=10, gamma=0.5),
            "MultiStepLR(milestones=[30, 80], gamma=0.1)": lrutils.lr_curve("MultiStepLR", 100, milestones=[30, 80]),
        },
        title="even steps vs chosen milestones",
    ),
    "decay.stepped_per_batch": lambda t: decay.stepped_per_batch("StepLR", 30, 40, step_size=10, gamma=0.5),
    "intro.bowl_paths": lambda t: intro.bowl_paths(
        {f"lr {lr}": surface.descend(lr, steps=30) for lr in (0.05, 0.15, 0.21)}
    ),
    "loops.plot_lr_runs": lambda t: loops.plot_lr_runs(
        {
            "uninterrupted": np.geomspace(0.1, 0.01, 20),
            "right": np.geomspace(0.1, 0.01, 20),
            "no scheduler state": np.r_[np.geomspace(0.1, 0.03, 10), np.geomspace(0.1, 0.03, 10)],
            "scheduler built last": np.r_[np.geomspace(0.1, 0.03, 10), np.geomspace(0.1, 0.05, 10)],
        },
        title="the lr the optimizer used; checkpoint after step 10",
        at=10,
        log=True,
        styles={"right": "o"},
    ),
    "loops.plot_lr_grid": lambda t: loops.plot_lr_grid(_recipes_grid()),
    "onecycle.curve_and_momentum": lambda t: onecycle.curve_and_momentum(
        1000, sketch=True, max_lr=0.1, steps_per_epoch=100, epochs=10
    ),
    "onecycle.variants": lambda t: onecycle.variants(
        {
            "default (cos)": lrutils.lr_curve("OneCycleLR", 1000, max_lr=0.1, total_steps=1000),
            "div_factor=5, final_div_factor=100": lrutils.lr_curve(
                "OneCycleLR", 1000, max_lr=0.1, total_steps=1000, div_factor=5.0, final_div_factor=100.0
            ),
        }
    ),
    "onecycle.behind_then_ahead": lambda t: onecycle.behind_then_ahead(t["six"]),
    "onecycle.stepping_rate": lambda t: onecycle.stepping_rate(epochs=30, steps_per_epoch=30, max_lr=0.1),
    "plateau.lr_and_metric": lambda t: plateau.lr_and_metric(
        {
            "smooth, threshold=1e-4": lrutils.lr_curve("ReduceLROnPlateau", 100, metrics=_plateau_metric()),
            "noisy, threshold=0.02": lrutils.lr_curve("ReduceLROnPlateau", 100, metrics=_plateau_metric()),
        },
        {"smooth val loss": _plateau_metric(), "noisy val loss": _plateau_metric()},
        metric_ylim=(0.3, 0.4),
    ),
    "plateau.curve_vs_torch": lambda t: plateau.curve_vs_torch(
        _plateau_metric(), blog=True, shade=(39, 49), patience=10, factor=0.1
    ),
    "range_test.plot_range_test": lambda t: range_test.plot_range_test(t["range"]),
    "range_test.suggestions_trained": lambda t: range_test.suggestions_trained(
        t["rules"], t["rules"].labels[1:-1], ["OneCycleLR, tuned lr", "constant, tuned lr"]
    ),
    "range_test.smoothing_start": lambda t: range_test.smoothing_start(t["range"], n=100),
    "restarts.rises_again": lambda t: restarts.rises_again(150),
    "restarts.fractional_epochs": lambda t: restarts.fractional_epochs(T_0=2, T_mult=2, epochs=7, iters=30),
    "results.plot_comparison": lambda t: results.plot_comparison(t["six"]),
    "results.plot_history": lambda t: results.plot_history(t["history"]),
    "results.plot_tuning": lambda t: results.plot_tuning(t["tuning"]),
    "side_by_side.blog_grid": lambda t: side_by_side.blog_grid(),
    "warmup.lr_curves": lambda t: warmup.lr_curves(
        {
            "LinearLR(start_factor=0.1, total_iters=10)": lrutils.lr_curve("LinearLR", 40, start_factor=0.1),
            "ConstantLR(factor=0.25, total_iters=10)": lrutils.lr_curve("ConstantLR", 40, factor=0.25),
            "MultiStepLR(milestones=[15, 30], gamma=0.5)": lrutils.lr_curve("MultiStepLR", 40, milestones=[15, 30]),
            "PolynomialLR(total_iters=30, power=2)": lrutils.lr_curve("PolynomialLR", 40, total_iters=30, power=2.0),
        },
        title="the pieces, from lr 0.1",
    ),
}
"""One call per public figure function (module.function -> call)."""
MORE: dict[str, Callable[[dict[str, Any]], Figure]] = {
    "cheat_sheet.in_small, the recipes": lambda t: cheat_sheet.in_small("composing"),
    "results.plot_comparison, six long labels": lambda t: results.plot_comparison(t["candidates"]),
    "range_test.plot_range_test, two tests": lambda t: range_test.plot_range_test(t["ranges"]),
    "decay.curve_vs_torch, one scale": lambda t: decay.curve_vs_torch("StepLR", 100, step_size=10, gamma=0.5),
}
"""Harder cases of the same functions: more and longer labels."""


def figure_functions() -> list[str]:
    """Every public function of lrutils.figures' modules that returns a Figure."""
    names = []
    for module in MODULES:
        for name, obj in inspect.getmembers(module, inspect.isfunction):
            public = not name.startswith("_") and obj.__module__ == module.__name__
            if public and "Figure" in str(inspect.signature(obj).return_annotation):
                names.append(f"{module.__name__.rsplit('.', 1)[1]}.{name}")
    return names


def test_every_public_figure_function_is_checked() -> None:
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(lrutils.figures.__path__) if not m.name.startswith("_")}
    assert modules == {m.__name__.rsplit(".", 1)[1] for m in [*MODULES, style, language]}  # style, language: no figures
    assert sorted(figure_functions()) == sorted(EXAMPLES)


def shown(fig: Figure) -> tuple[tuple[int, int], PIL.Image.Image]:
    """(width, height) in px as the inline backend shows ``fig`` at 100 dpi (tight crop, 0.1 in margins)."""
    FigureCanvasAgg(fig)  # a canvas that can measure text (drawn_texts)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=style.DPI, bbox_inches="tight", pad_inches=0.1)
    image = PIL.Image.open(buffer)
    return image.size, image


def text_px(text: Text) -> float:
    """Height of ``text``'s font as shown, in px; mathtext with a super- or subscript at 70 %."""
    s = text.get_text()
    scripted = s.count("$") >= 2 and ("^" in s or "_" in s)
    return text.get_fontsize() / 72 * style.DPI * (0.7 if scripted else 1.0)


def drawn_texts(fig: Figure) -> list[Text]:
    """Texts that are drawn: visible, not empty, and for tick labels only those of ticks in view
    (matplotlib keeps label objects of the other ticks, undrawn)."""
    tick_labels, in_view = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                tick_labels |= {tick.label1, tick.label2}
            for tick in axis._update_ticks():  # the ticks Axis.draw draws (no public API says which)
                in_view |= {tick.label1, tick.label2}
    return [
        text
        for text in fig.findobj(Text)
        if text.get_visible() and text.get_text().strip() and (text not in tick_labels or text in in_view)
    ]


@pytest.fixture(autouse=True)
def series_style() -> None:
    lrutils.setup()  # the notebooks' rcParams: what the figures look like there


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("name", [*EXAMPLES, *MORE])
def test_figure_is_whole_on_a_projector_and_its_text_readable(name: str, lang: str, trained: dict[str, Any]) -> None:
    """In both editions: Korean labels (the notebooks' own, from the label catalog) are wider than English."""
    lrutils.setup(lang=lang)
    try:
        fig = {**EXAMPLES, **MORE}[name](trained)
        (width, height), _ = shown(fig)  # draws the figure (in the edition's fonts): tick labels get their text
    finally:
        lrutils.setup()
    assert width <= MAX_PX[0] and height <= MAX_PX[1], f"{name} is shown {width} x {height} px"
    small = {f"{t.get_text()!r}: {text_px(t):.1f} px" for t in drawn_texts(fig) if text_px(t) < MIN_TEXT_PX}
    assert not small, f"{name}: text under {MIN_TEXT_PX} px: {sorted(small)}"
    logs = [ax for ax in fig.axes if "log" in (ax.get_xscale(), ax.get_yscale())]
    for ax in logs:
        labels = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        assert not [s for s in labels if "^" in s], f"{name}: a log axis writes exponents: {labels}"


def test_the_check_catches_what_the_issue_saw() -> None:
    """A 7 x 6.6 in figure and a default log axis fail the checks above."""
    fig = Figure(figsize=(7, 6.6), layout="constrained")
    ax = fig.subplots()
    ax.plot([1, 2], [0.1, 0.001])
    ax.set_yscale("log")
    (width, height), _ = shown(fig)
    assert height > MAX_PX[1]
    assert min(text_px(t) for t in drawn_texts(fig)) < MIN_TEXT_PX  # 10^{-1}: the exponent at 70 %


class _EveryLabel(dict):
    """A label catalog that knows every text: what a figure shows after it went through ``localized``."""

    def get(self, text: str, default: Any = None) -> str:
        return "»" + text


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_text_of_a_figure_goes_through_the_label_catalog(
    name: str, trained: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A notebook's labels and titles reach the learner in their language only if the figure function
    hands its figure to ``localized``: with a catalog that knows every text, no text may stay as drawn."""
    from lrutils.text import i18n

    monkeypatch.setattr(i18n, "label_catalog", lambda lang: _EveryLabel())
    with i18n.language("ko"):
        fig = EXAMPLES[name](trained)
    ticks = {
        label
        for ax in fig.axes
        for axis in (ax.xaxis, ax.yaxis)
        for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]
        for label in (tick.label1, tick.label2)
    }
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text().strip() and t not in ticks]
    assert texts and [s for s in texts if not s.startswith("»")] == []
