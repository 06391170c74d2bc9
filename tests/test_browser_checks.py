"""The browser suite's comparison of printed code with slider readouts catches what issue 11 saw.

``tests/browser/explorer_checks.mismatches`` reads sliders and code from the page; here it gets
them by hand, so its verdicts are checked without a browser.
"""

from __future__ import annotations

from browser.explorer_checks import mismatches, printed, scheduler_of
from browser.figure_checks import figure_problems

import lrutils

STEP = lrutils.torch_code("StepLR", 100, base_lr=0.1, step_size=10, gamma=0.5)


def state(code: str, **shown: str) -> dict:
    return {"code": code, "sliders": [{"name": k, "shown": v, "disabled": False} for k, v in shown.items()]}


def test_what_the_screen_shows_and_the_code_says_agree() -> None:
    assert mismatches(state(STEP, base_lr="0.1", n_steps="100", step_size="10", gamma="0.5")) == []


def test_a_snapped_value_is_caught() -> None:
    snapped = STEP.replace("gamma=0.5", "gamma=0.5012")  # the issue's symptom: the code is not the readout
    assert mismatches(state(snapped, gamma="0.5")) == ["gamma shows '0.5' but the code says gamma=0.5012"]


def test_a_value_left_out_must_be_torch_default() -> None:
    code = lrutils.torch_code("StepLR", 100, step_size=10)  # gamma=0.1 is the default: not printed
    assert mismatches(state(code, gamma="0.1")) == []
    assert mismatches(state(code, gamma="0.3")) == ["gamma shows '0.3'; the code leaves it at torch's default 0.1"]


def test_recipes_and_long_calls_are_read() -> None:
    code = lrutils.torch_code("warmup_stable_decay", 200, warmup_steps=12, stable_steps=70, decay_steps=20)
    assert scheduler_of(code) == "warmup_stable_decay"
    assert printed(code, "warmup_steps") == "12" and printed(code, "n_steps") == "200"
    code = lrutils.torch_code("CyclicLR", 100, base_lr=0.002, max_lr=0.5, step_size_up=20, step_size_down=20)
    assert scheduler_of(code) == "CyclicLR" and printed(code, "base_lr") == "0.002"
    assert printed(code, "max_lr") == "0.5" and printed(code, "step_size_down") == "20"


FIGURE = {
    "cell": 5, "explorer": False, "width": 711.0, "height": 498.0, "top": 110.0, "bottom": 608.0,
    "meantWidth": 711.0, "naturalWidth": 1422, "visibleTop": 110.0, "visibleBottom": 768.0,
}  # fmt: skip


def test_a_figure_that_fits_passes() -> None:
    assert figure_problems([FIGURE, {**FIGURE, "explorer": True, "width": 540.0, "meantWidth": None}]) == []


def test_the_issues_figures_are_caught() -> None:
    """The 3-panel plot at 711 x 668 px and 02's 793 px wide figure (issue 20)."""
    tall = {**FIGURE, "height": 668.0, "bottom": 778.0}
    wide = {**FIGURE, "width": 793.0, "meantWidth": 793.0}
    assert figure_problems([tall]) == ["cell 5: figure shown 711 x 668 px, more than 720 x 520"]
    assert figure_problems([wide]) == ["cell 5: figure shown 793 x 498 px, more than 720 x 520"]


def test_a_figure_cut_by_the_screen_or_shrunk_is_caught() -> None:
    cut = {**FIGURE, "visibleBottom": 560.0}  # a window too short for it under JupyterLab's bars
    assert figure_problems([cut]) == ["cell 5: figure not whole on the screen: 110-608 px, visible 110-560"]
    shrunk = {**FIGURE, "width": 650.0}  # a narrow column: its 10 px text would be smaller
    assert figure_problems([shrunk]) == ["cell 5: figure shrunk to 650 px from 711: its text is smaller than drawn"]
    plain = {**FIGURE, "meantWidth": None, "naturalWidth": 700, "width": 640.0}  # no retina metadata
    assert figure_problems([plain])[0].startswith("cell 5: figure shrunk to 640 px from 700")
