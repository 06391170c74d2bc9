"""The browser suite's comparison of printed code with slider readouts catches what issue 11 saw.

``tests/browser/explorer_checks.mismatches`` reads sliders and code from the page; here it gets
them by hand, so its verdicts are checked without a browser.
"""

from __future__ import annotations

from browser.explorer_checks import mismatches, printed, scheduler_of

import lrutils

STEP = lrutils.torch_code("StepLR", 100, base_lr=0.1, step_size=10, gamma=0.5)


def state(code: str, **shown: str) -> dict:
    return {"code": code, "sliders": [{"name": k, "shown": v, "disabled": False} for k, v in shown.items()]}


def test_what_the_screen_shows_and_the_code_says_agree() -> None:
    assert mismatches(state(STEP, base_lr="0.1", n_steps="100", step_size="10", gamma="0.5")) == []


def test_a_snapped_value_is_caught() -> None:
    snapped = STEP.replace("gamma=0.5", "gamma=0.5012")  # the symptom: the code is not the readout
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
