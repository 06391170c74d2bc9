"""One rule for every exercise checker (lrutils/exercises/__init__.py): the kind of an answer decides
whether a checker raises, its value only decides the verdict.

Every public ``check_*`` function of every exercise module is listed in :data:`CHECKERS` with the
kind of answer it reads and a right answer; each rule is then tested over every checker it applies
to. A new checker that is not listed fails :func:`test_every_checker_is_listed`.
"""

from __future__ import annotations

import decimal
import fractions
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import torch

import lrutils.exercises
from lrutils.exercises import Verdict, answers, limits

# --- the table: every checker, the kind of answer it reads, a right answer -----------------------------


@dataclass(frozen=True)
class Checker:
    kind: str
    """number, whole, wholes, numbers, letters, keyed, pair (step_size, gamma) or function."""
    right: Any = None
    wrong: tuple[Any, ...] = ()
    """Well-typed answers that are wrong in the exercise's or the scheduler's terms: each a not-yet."""
    name: str = "answer"
    """The parameter a TypeError names."""
    extra: tuple[Any, ...] = field(default=())
    """Arguments after the answer (check_loop's intended lrs and name)."""


HUGE = 10**400


def _reading_comparison() -> Any:
    """Notebook 00's two constants, short: the comparison ``intro.check_paired_interval`` reads its truth from."""
    from lrutils import Setup, compare
    from lrutils.exercises.intro import BASE, SMALL

    return compare({SMALL: Setup(None, 0.025), BASE: Setup(None, 0.1)}, epochs=2, seeds=3, progress=False)


READING = _reading_comparison()
READ = READING.with_baseline("constant 0.1").paired("small constant 0.025", "train_loss").difference
CHECKERS: dict[str, Checker] = {
    "intro.check_diverging_lrs": Checker("numbers", [0.09, 0.15], ([0.5], [-1.0], [0.05, 0.59], [])),
    "intro.check_loop_order": Checker("letters", "CEBDA", ("", "ABCD", "ABCDEE", "ABCDF", "XYZ", ["A"])),
    "intro.check_paired_interval": Checker(
        "numbers", [READ.low, READ.high], ([], [0.0], [1.0, 0.0], [0.0, 1.0]), extra=(READING,)
    ),
    "step_decay.check_lr_at_epoch_25": Checker("number", 0.025, (-1.0, 0.0, 1e300)),
    "step_decay.check_reach_target": Checker("pair", (30, 0.1), ((0, 0.1), (-5, 0.1), (30, 0.0), (30, 1.5))),
    "step_decay.check_wrong_order_epoch": Checker("whole", 79, (-1, 10**9)),
    "exponential_decay.check_halving_gamma": Checker("number", 0.5**0.1, (0.0, -1.0, 2.0, 1e300), name="gamma"),
    "exponential_decay.check_epochs_below": Checker("whole", 90, (-5, 10**9, 1e300)),
    "cosine.check_midpoint_lr": Checker("number", 0.0505, (-1.0, 1e300)),
    "cosine.check_lr_past_t_max": Checker("number", 0.0206, (-1.0, 1e300)),
    "plateau.check_first_cut": Checker("whole", 7, (-1, 10**9)),
    "plateau.check_change_epochs": Checker("wholes", [4, 10, 16], ([], [4, 4], [16, 10, 4], [-1], [10**9])),
    "onecycle.check_last_lr": Checker("number", 3e-6, (-1.0, 1e300)),
    "onecycle.check_allowed_steps": Checker("whole", 1000, (0, -1, 10**9)),
    "onecycle.check_peak_step": Checker("whole", 49, (-1, 10**9)),
    "warmup.check_restart_lr": Checker("number", 0.1, (-1.0, 1e300)),
    "warmup.check_wsd_milestones": Checker(
        "wholes", [5, 80], ([], [5], [5, 80, 90], [80, 5], [-1, 5], [5, 10**9], [10**9, 10**9])
    ),
    "restarts.check_restart_epochs": Checker("wholes", [5, 20, 65], ([], [-10], [5, 5], [150], [10**9])),
    "cyclic.check_step_size_up": Checker("whole", 60, (0, -1, 10**9)),
    "range_test.check_batch160_max_lr": Checker("number", None, (0.0, -1.0)),  # the right answer takes a run
    "in_the_wild.check_per_batch": Checker(
        "keyed",
        {"warmup_steps": 250, "T_max": 4250},
        (
            {},
            {"T_max": 4250},
            {"warmup_steps": 250, "T_max": 4250, "eta_min": 0},
            {"warmup_steps": 0, "T_max": 4250},
            {"warmup_steps": -1, "T_max": 4250},
            {"warmup_steps": 250, "T_max": 10**9},
        ),
    ),
    "range_test.check_smoothing": Checker("function", name="smooth"),
    "in_the_wild.check_noam_lambda": Checker("function", name="factor"),
    "training_loop.check_resume": Checker("function", name="resume"),
    "training_loop.check_accumulation": Checker("function", name="train"),
    "training_loop.check_head_10x": Checker("function", name="build"),
    "custom_scheduler.check_scheduler_class": Checker("function", name="cls"),
    "loop_check.check_loop": Checker("function", name="loop", extra=([0.1, 0.1], "a constant lr")),
    **{
        f"{module}.{name}": Checker("function", name="loop")
        for module, name in [
            ("step_decay", "check_step_lr_loop"),
            ("exponential_decay", "check_per_batch_loop"),
            ("cosine", "check_per_batch_loop"),
            ("plateau", "check_knobs_loop"),
            ("onecycle", "check_onecycle_loop"),
            ("side_by_side", "check_one_cycle_loop"),
            ("side_by_side", "check_plateau_loop"),
            ("warmup", "check_warmup_cosine_loop"),
            ("restarts", "check_fractional_loop"),
            ("cyclic", "check_triangle_loop"),
            ("range_test", "check_sweep_loop"),
        ]
    },
}


def public_checkers() -> set[str]:
    """``module.check_name`` of every public check function defined in lrutils.exercises."""
    found = set()
    for info in pkgutil.walk_packages(lrutils.exercises.__path__, "lrutils.exercises."):
        module = importlib.import_module(info.name)
        top = info.name.removeprefix("lrutils.exercises.").split(".")[0]
        for name, value in vars(module).items():
            if name.startswith("check_") and inspect.isfunction(value):
                if value.__module__.removeprefix("lrutils.exercises.").split(".")[0] == top:
                    found.add(f"{top}.{name}")
    return found


def checker(key: str) -> Callable[..., Verdict]:
    module, name = key.rsplit(".", 1)
    return getattr(importlib.import_module(f"lrutils.exercises.{module}"), name)


def call(key: str, answer: Any, slot: int = 0) -> Verdict:
    """The checker called with ``answer`` (for the pair, at ``slot``, the other argument right)."""
    spec = CHECKERS[key]
    if spec.kind == "pair":
        args = list(spec.right)
        args[slot] = answer
        return checker(key)(*args)
    return checker(key)(answer, *spec.extra)


def keys(*kinds: str, with_right: bool = False) -> list[str]:
    return [k for k, c in CHECKERS.items() if c.kind in kinds and (c.right is not None or not with_right)]


def slots(*kinds: str, with_right: bool = False) -> list[tuple[str, int]]:
    """(checker, argument) pairs: the pair checker contributes both of its arguments."""
    found = [(k, 0) for k in keys(*kinds, with_right=with_right)]
    if "whole" in kinds:
        found.append(("step_decay.check_reach_target", 0))
    if "number" in kinds:
        found.append(("step_decay.check_reach_target", 1))
    return found


def right_value(key: str, slot: int) -> Any:
    spec = CHECKERS[key]
    return spec.right[slot] if spec.kind == "pair" else spec.right


def name_of(key: str, slot: int) -> str:
    return ("step_size", "gamma")[slot] if CHECKERS[key].kind == "pair" else CHECKERS[key].name


def is_not_yet(verdict: object) -> bool:
    return isinstance(verdict, Verdict) and not verdict.correct


def test_every_checker_is_listed() -> None:
    assert public_checkers() == set(CHECKERS)


def test_the_right_answers_in_the_table_are_right() -> None:
    for key, spec in CHECKERS.items():
        if spec.kind != "function" and spec.right is not None:
            assert call(key, spec.right[0], 0).correct if spec.kind == "pair" else call(key, spec.right).correct, key


# --- rule 5: None is the polite placeholder ----------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(CHECKERS))
def test_rule_5_none_is_a_polite_not_yet(key: str) -> None:
    spec = CHECKERS[key]
    verdict = checker(key)(None, None) if spec.kind == "pair" else call(key, None)
    assert is_not_yet(verdict) and repr(verdict).startswith("not yet: ")


# --- rule 1: numbers in any ordinary form; the wrong kind raises TypeError; NaN and inf ValueError ---------


def number_forms(value: float) -> list[Any]:
    forms = [
        float(value),
        np.float64(value),
        np.array(value),
        torch.tensor(value, dtype=torch.float64),
        fractions.Fraction(value),
        decimal.Decimal(repr(float(value))),
        np.float32(value),
    ]
    if float(value).is_integer():
        whole = int(value)
        forms += [whole, np.int64(whole), np.array(whole), torch.tensor(whole), torch.tensor(float(whole))]
    return forms


@pytest.mark.parametrize(("key", "slot"), slots("number", "whole", with_right=True))
def test_rule_1_every_ordinary_form_of_a_number_is_that_number(key: str, slot: int) -> None:
    for form in number_forms(right_value(key, slot)):
        assert call(key, form, slot).correct, (key, type(form).__name__, form)


WRONG_KINDS = ["0.1", b"1", True, np.bool_(False), torch.tensor(True), [1], (1,), {1}, {"a": 1}, 1j, np.zeros(2)]


@pytest.mark.parametrize(("key", "slot"), slots("number", "whole"))
@pytest.mark.parametrize("wrong", WRONG_KINDS, ids=[type(w).__name__ for w in WRONG_KINDS])
def test_rule_1_the_wrong_kind_raises_a_type_error_naming_the_parameter(key: str, slot: int, wrong: Any) -> None:
    with pytest.raises(TypeError) as raised:
        call(key, wrong, slot)
    assert str(raised.value).startswith(f"{name_of(key, slot)} must be a"), str(raised.value)


@pytest.mark.parametrize(("key", "slot"), slots("number", "whole"))
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), decimal.Decimal("NaN"), np.float64("nan")])
def test_rule_1_nan_and_inf_raise_a_value_error_naming_the_parameter(key: str, slot: int, bad: Any) -> None:
    with pytest.raises(ValueError, match=f"^{name_of(key, slot)} must be a finite number"):
        call(key, bad, slot)


@pytest.mark.parametrize(("key", "slot"), slots("number", "whole"))
@pytest.mark.parametrize("huge", [HUGE, -HUGE, fractions.Fraction(HUGE, 3), decimal.Decimal("1e400")])
def test_rule_1_a_number_beyond_float_range_is_far_off(key: str, slot: int, huge: Any) -> None:
    verdict = call(key, huge, slot)
    assert is_not_yet(verdict) and "far off" in verdict.message


# --- rule 2: a whole number may be written as any number whose value is whole -------------------------------


@pytest.mark.parametrize(("key", "slot"), slots("whole"))
@pytest.mark.parametrize("half", [7.5, np.float64(299.5), torch.tensor(0.5), fractions.Fraction(3, 2)])
def test_rule_2_a_number_that_is_not_whole_is_a_not_yet_that_says_so(key: str, slot: int, half: Any) -> None:
    verdict = call(key, half, slot)
    assert is_not_yet(verdict) and "not a whole number" in verdict.message


# --- rule 3: lists in any ordinary form; str, set, dict and a lone number are the wrong kind ---------------


def list_forms(values: list[float]) -> list[Any]:
    return [
        list(values),
        tuple(values),
        np.array(values),
        torch.tensor(values),
        [float(v) for v in values],
        [np.float64(v) for v in values],
        [torch.tensor(v) for v in values],
    ]


@pytest.mark.parametrize("key", keys("wholes", "numbers"))
def test_rule_3_every_ordinary_form_of_a_list_is_that_list(key: str) -> None:
    for form in list_forms(CHECKERS[key].right):
        assert call(key, form).correct, (key, form)


@pytest.mark.parametrize("key", keys("wholes", "numbers"))
def test_rule_3_the_wrong_kind_of_list_raises_a_type_error(key: str) -> None:
    right = CHECKERS[key].right
    wrong = ["4, 10, 16", b"4", {"a": 4}, np.zeros((2, 2)), [str(right[0])], [True], (v for v in right)]
    if key != "intro.check_diverging_lrs":  # its docstring takes a set, or one number for one lr
        wrong += [set(right), right[0], np.array(right[0]), torch.tensor(right[0])]
    for answer in wrong:
        with pytest.raises(TypeError) as raised:
            call(key, answer)
        assert str(raised.value).startswith("answer"), (answer, str(raised.value))


def test_rule_3_the_diverging_lrs_take_a_set_or_one_number_as_documented() -> None:
    check = CHECKERS["intro.check_diverging_lrs"]
    assert call("intro.check_diverging_lrs", set(check.right)).correct
    assert is_not_yet(call("intro.check_diverging_lrs", 0.15)) and is_not_yet(call("intro.check_diverging_lrs", 0.09))


@pytest.mark.parametrize("key", keys("wholes", "numbers"))
def test_rule_3_elements_follow_rules_1_and_2(key: str) -> None:
    right = list(CHECKERS[key].right)
    with pytest.raises(ValueError, match=r"^answer\[0\] must be a finite number"):
        call(key, [float("nan"), *right[1:]])
    far = call(key, [HUGE, *right[1:]])
    assert is_not_yet(far) and "far off" in far.message
    if CHECKERS[key].kind == "wholes":
        half = call(key, [right[0] + 0.5, *right[1:]])
        assert is_not_yet(half) and "not a whole number" in half.message


# --- rule 4: a well-typed answer that is wrong is a not-yet that says what is wrong --------------------------


@pytest.mark.parametrize(
    ("key", "answer"),
    [(key, answer) for key, spec in CHECKERS.items() for answer in spec.wrong],
    ids=lambda value: repr(value)[:30],
)
def test_rule_4_a_wrong_but_well_typed_answer_is_a_not_yet(key: str, answer: Any) -> None:
    verdict = checker(key)(*answer) if CHECKERS[key].kind == "pair" else call(key, answer)
    assert is_not_yet(verdict) and verdict.message


# --- rule 6: a function answer ends in a verdict whatever it does -------------------------------------------


FUNCTIONS = keys("function")


@pytest.mark.parametrize("key", FUNCTIONS)
def test_rule_6_a_function_answer_that_is_not_callable_raises_a_type_error(key: str) -> None:
    with pytest.raises(TypeError, match=f"^{CHECKERS[key].name} must be a function {CHECKERS[key].name}\\("):
        call(key, 3)


@pytest.mark.parametrize("key", FUNCTIONS)
def test_rule_6_a_function_that_raises_is_a_not_yet_that_says_so(key: str) -> None:
    def boom(*args: Any) -> Any:
        raise RuntimeError("boom")

    verdict = call(key, boom)
    assert is_not_yet(verdict) and "raised RuntimeError: boom" in verdict.message


@pytest.mark.parametrize("key", FUNCTIONS)
def test_rule_6_a_function_that_never_ends_is_stopped_in_time(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "TIME_LIMIT", 0.3)

    def endless(*args: Any) -> Any:
        while True:
            pass

    verdict = call(key, endless)  # returns at all only because the limit stopped it
    assert is_not_yet(verdict) and "still running after 0.3 seconds" in verdict.message


@pytest.mark.parametrize("key", FUNCTIONS)
@pytest.mark.parametrize("junk", [None, "junk", 1.5])
def test_rule_6_a_function_that_returns_junk_is_a_not_yet(key: str, junk: Any) -> None:
    verdict = call(key, lambda *args: junk)
    assert is_not_yet(verdict)
    if key in ("range_test.check_smoothing", "training_loop.check_resume", "training_loop.check_head_10x"):
        assert "raised" not in verdict.message and "returned" in verdict.message or "must return" in verdict.message


# --- the readers themselves ----------------------------------------------------------------------------------


def test_whole_keeps_ints_exact_and_a_float_past_2_to_53_is_still_whole() -> None:
    assert answers.whole(2**60 + 1) == 2**60 + 1
    assert answers.whole(np.uint64(2**63)) == 2**63
    assert answers.whole(1e20) == 10**20


def test_letters_and_keyed_name_what_is_wrong() -> None:
    with pytest.raises(answers.NotYet, match="B, E missing; A more than once"):
        answers.letters("AACD", "ABCDE")
    with pytest.raises(answers.NotYet, match="needs exactly the keys a, b: b missing; 'c' not asked for"):
        answers.keyed({"a": 1, "c": 2}, ["a", "b"])
    with pytest.raises(TypeError, match="answer must be a dict with the keys a, b, got list"):
        answers.keyed([("a", 1)], ["a", "b"])
