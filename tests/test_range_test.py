"""The lr range test: deterministic, exponential, stops on divergence, restores what it borrows."""

from __future__ import annotations

import copy
import math
import warnings
from typing import Any

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from lrutils import torch_lr_curve, train
from lrutils.figures.range_test import plot_range_test
from lrutils.training.data import make_model
from lrutils.training.demo import DEFAULT_LR
from lrutils.training.engine import MOMENTUM
from lrutils.training.range_rules import smooth_losses, steepest_index
from lrutils.training.range_test import RangeTestResult, lr_range_test, sweep_lrs

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def default() -> RangeTestResult:
    return lr_range_test()


def assert_same(a: Any, b: Any, where: str = "") -> None:
    """Nested dicts/lists/tensors are identical, tensors bit for bit (dtype, shape, bytes)."""
    if isinstance(a, torch.Tensor):
        assert isinstance(b, torch.Tensor), where
        assert a.dtype == b.dtype and a.shape == b.shape, where
        assert a.numpy().tobytes() == b.numpy().tobytes(), where
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), (where, list(a), list(b))
        for key in a:
            assert_same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    else:
        assert a == b or (a != a and b != b), (where, a, b)


def test_same_arguments_give_bit_identical_results(default: RangeTestResult) -> None:
    again = lr_range_test()
    for key in ("lrs", "losses", "smoothed"):
        assert getattr(default, key).tobytes() == getattr(again, key).tobytes(), key
    assert default == again
    assert lr_range_test(seed=1) != default


def test_global_rng_and_thread_count_are_left_alone() -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        lr_range_test(num_iter=20)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(threads)
    assert torch.equal(torch.rand(3), expected)


def test_the_sweep_is_exponential_and_matches_exponential_lr(default: RangeTestResult) -> None:
    lrs = default.lrs
    assert lrs[0] == 1e-5 and len(lrs) == 300 and not default.stopped_early
    assert lrs[-1] == 10.0
    ratios = lrs[1:] / lrs[:-1]
    assert np.allclose(ratios, default.ratio, rtol=1e-12, atol=0)
    assert math.isclose(default.ratio ** (default.num_iter - 1), 1e6, rel_tol=1e-12)
    torch_trace = torch_lr_curve("ExponentialLR", 300, base_lr=1e-5, gamma=default.ratio)
    assert np.allclose(lrs, torch_trace, rtol=1e-12, atol=0)  # the same sequence ExponentialLR steps through
    assert np.allclose(sweep_lrs(1e-3, 1e-1, 3), [0.001, 0.01, 0.1], rtol=1e-15, atol=0)


def test_smoothing_is_the_bias_corrected_moving_average(default: RangeTestResult) -> None:
    assert np.array_equal(smooth_losses(default.losses, 0.98), default.smoothed)
    assert default.smoothed[0] == default.losses[0]  # bias correction: no pull towards zero at the start
    raw = lr_range_test(num_iter=40, smooth=0.0)
    assert np.array_equal(raw.smoothed, raw.losses)
    assert np.std(np.diff(default.smoothed)) < np.std(np.diff(default.losses)) / 5


def test_stops_early_when_the_loss_diverges() -> None:
    r = lr_range_test(end_lr=1e4)
    assert r.stopped_early and len(r.lrs) < r.num_iter
    assert r.diverged_lr == r.lrs[-1]
    assert r.smoothed[-1] > r.diverge_factor * np.min(r.smoothed[:-1])
    assert np.all(r.smoothed[:-1] <= r.diverge_factor * np.minimum.accumulate(r.smoothed[:-1]))
    never = lr_range_test(end_lr=1e4, diverge_factor=math.inf, num_iter=100)
    assert len(never.lrs) <= never.num_iter  # may still stop on a non-finite loss, never on the factor


def test_suggestions_lie_in_the_swept_range_below_divergence(default: RangeTestResult) -> None:
    for r in (default, lr_range_test(end_lr=1e4), lr_range_test(seed=1), lr_range_test(batch_size=160)):
        low, high = r.lrs[0], r.lrs[-1]
        assert low <= r.steepest_lr <= r.min_loss_lr <= high
        assert low <= r.suggestion < r.min_loss_lr
        assert r.suggestion == r.min_loss_lr / 10 == r.min_div10_lr
        assert r.best_loss == np.min(r.smoothed)
        if r.diverged_lr is not None:
            assert r.min_loss_lr < r.diverged_lr
        assert r.steepest_lr in r.lrs and r.min_loss_lr in r.lrs


def test_steepest_index_finds_the_fastest_descent_before_the_minimum() -> None:
    lrs = np.logspace(-4, 0, 41)
    curve = 1.0 - 0.5 * (1 + np.tanh(3 * (np.log10(lrs) + 2)))  # steepest at lr 1e-2
    curve[-5:] = [0.5, 0.8, 1.5, 3.0, 6.0]  # divergence after the minimum: not a descent
    assert lrs[steepest_index(lrs, curve)] == pytest.approx(1e-2)


def test_suggested_max_lr_makes_onecycle_beat_the_constant_baseline(default: RangeTestResult) -> None:
    baseline = train(None)  # constant lr 0.2, the demos' baseline
    suggested = train("OneCycleLR", max_lr=default.suggestion)
    assert suggested.val_loss[-1] < baseline.val_loss[-1] - 0.05
    assert suggested.val_acc[-1] > baseline.val_acc[-1]
    too_high = train("OneCycleLR", max_lr=2 * default.min_loss_lr)  # past the minimum of the range test
    assert too_high.val_loss[-1] > suggested.val_loss[-1] + 0.3
    assert default.suggestion < DEFAULT_LR < default.min_loss_lr


def test_a_model_and_optimizer_passed_in_are_restored_bit_for_bit() -> None:
    torch.manual_seed(5)
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=MOMENTUM, nesterov=True, weight_decay=1e-4)
    x, y = torch.randn(16, 2, dtype=torch.float64), torch.randint(0, 3, (16,))
    for _ in range(3):  # momentum buffers exist, grads are left on the parameters
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    model.eval()
    state = copy.deepcopy(model.state_dict())
    opt_state = copy.deepcopy(optimizer.state_dict())
    grads = [p.grad.clone() for p in model.parameters()]
    params = list(model.parameters())
    r = lr_range_test(model, optimizer, num_iter=60, end_lr=1.0)
    assert len(r.lrs) == 60 and not r.stopped_early
    assert_same(model.state_dict(), state, "model")
    assert_same(optimizer.state_dict(), opt_state, "optimizer")
    assert_same([p.grad for p in model.parameters()], grads, "grads")
    assert list(model.parameters()) == params and all(a is b for a, b in zip(model.parameters(), params, strict=True))
    assert optimizer.param_groups[0]["params"][0] is params[0]
    assert not model.training and not any(m.training for m in model.modules())
    assert optimizer.param_groups[0]["lr"] == 0.03
    assert type(optimizer).step is torch.optim.SGD.step and "step" not in vars(optimizer)  # not wrapped


def test_restores_adam_with_an_attached_scheduler_and_no_grads() -> None:
    torch.manual_seed(6)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.01, total_steps=50)
    opt_state = copy.deepcopy(optimizer.state_dict())  # has initial_lr, max_lr, ... in its group
    sched_state = copy.deepcopy(scheduler.state_dict())
    state = copy.deepcopy(model.state_dict())
    r = lr_range_test(model, optimizer, start_lr=1e-6, end_lr=1.0, num_iter=40)
    assert len(r.lrs) >= 10
    assert_same(model.state_dict(), state, "model")
    assert_same(optimizer.state_dict(), opt_state, "optimizer")
    assert optimizer.state_dict()["state"] == {}  # Adam had not stepped: no moments left behind
    assert all(p.grad is None for p in model.parameters())
    assert model.training
    assert_same(scheduler.state_dict(), sched_state, "scheduler")


def test_passed_in_model_gives_the_same_curve_as_the_default() -> None:
    """make_model(seed=0) starts from the demo's weights; torch's autograd and SGD round a little
    differently from lrutils' portable trainer, so the curves agree closely, not bit for bit."""
    model = make_model(seed=0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=MOMENTUM)
    theirs, ours = lr_range_test(model, optimizer, num_iter=80), lr_range_test(num_iter=80)
    assert np.array_equal(theirs.lrs, ours.lrs)
    assert np.allclose(theirs.losses, ours.losses, rtol=1e-9, atol=0)


def test_restored_even_when_the_sweep_fails() -> None:
    class Broken(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = make_model()
            self.calls = 0

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            self.calls += 1
            if self.calls > 20:
                raise RuntimeError("boom")
            return self.inner(x)

    model = Broken()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.5)
    state = copy.deepcopy(model.state_dict())
    opt_state = copy.deepcopy(optimizer.state_dict())
    with pytest.raises(RuntimeError, match="boom"):
        lr_range_test(model, optimizer, num_iter=50)
    assert_same(model.state_dict(), state, "model")
    assert_same(optimizer.state_dict(), opt_state, "optimizer")


def test_no_warnings() -> None:
    # (its speed is measured by `make bench`, never asserted: a loaded CI machine would fail it)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lr_range_test(num_iter=20)
        lr_range_test(end_lr=1e4)
        plot_range_test(lr_range_test())


def test_plot_returns_a_figure_and_marks_the_suggestion(default: RangeTestResult) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = plot_range_test(default)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]  # one legend, below the axes
    assert labels[0] == "smoothed loss" and any("suggestion" in label for label in labels)
    vertical = [line for line in ax.get_lines() if np.ptp(np.asarray(line.get_xdata(), float)) == 0]
    assert any(line.get_xdata()[0] == default.suggestion for line in vertical)
    valley = [line for line in ax.get_lines() if line.get_marker() == "D"]
    assert len(valley) == 1 and valley[0].get_xdata()[0] == default.valley_lr
    assert any(label.startswith("valley") for label in labels)
    both = plot_range_test({"a": default, "b": lr_range_test(seed=1)})
    assert len(both.legends[0].get_texts()) == 2
    assert plt.get_fignums() == before
    with pytest.raises(TypeError, match="results"):
        plot_range_test({})
    with pytest.raises(TypeError, match="results"):
        plot_range_test([default])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"start_lr": 1.0, "end_lr": 1.0}, ValueError, ["start_lr", "end_lr"]),
        ({"start_lr": 2.0, "end_lr": 1.0}, ValueError, ["start_lr", "end_lr"]),
        ({"start_lr": 0.0}, ValueError, ["start_lr", "positive"]),
        ({"start_lr": -1e-3}, ValueError, ["start_lr", "positive"]),
        ({"end_lr": math.inf}, ValueError, ["end_lr", "finite"]),
        ({"end_lr": math.nan}, ValueError, ["end_lr"]),
        ({"start_lr": "1e-5"}, TypeError, ["start_lr"]),
        ({"end_lr": True}, TypeError, ["end_lr"]),
        ({"num_iter": 9}, ValueError, ["num_iter", ">= 10"]),
        ({"num_iter": 100.0}, TypeError, ["num_iter", "int"]),
        ({"smooth": 1.0}, ValueError, ["smooth", "[0, 1)"]),
        ({"smooth": -0.1}, ValueError, ["smooth", "[0, 1)"]),
        ({"smooth": "0.9"}, TypeError, ["smooth"]),
        ({"diverge_factor": 1.0}, ValueError, ["diverge_factor", "> 1"]),
        ({"diverge_factor": 0.5}, ValueError, ["diverge_factor", "> 1"]),
        ({"diverge_factor": math.nan}, ValueError, ["diverge_factor"]),
        ({"diverge_factor": None}, TypeError, ["diverge_factor"]),
        ({"seed": -1}, ValueError, ["seed"]),
        ({"seed": 1.5}, TypeError, ["seed"]),
        ({"batch_size": 0}, ValueError, ["batch_size"]),
        ({"batch_size": 5000}, ValueError, ["batch_size", "1200"]),
        ({"model": make_model()}, TypeError, ["optimizer", "together"]),
        ({"optimizer": torch.optim.SGD(make_model().parameters(), lr=0.1)}, TypeError, ["model", "together"]),
        ({"model": "net", "optimizer": torch.optim.SGD(make_model().parameters(), lr=0.1)}, TypeError, ["model"]),
        ({"model": make_model(), "optimizer": "sgd"}, TypeError, ["optimizer"]),
        (
            {"model": make_model(), "optimizer": torch.optim.SGD(make_model().parameters(), lr=0.1)},
            ValueError,
            ["model"],
        ),
    ],
)
def test_bad_input_names_the_parameter(kwargs: dict, error: type[Exception], words: list[str]) -> None:
    with pytest.raises(error) as info:
        lr_range_test(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_summary_is_fixed_precision(default: RangeTestResult) -> None:
    text = default.summary()
    assert "300 of 300" in text and f"{default.suggestion:.3e}" in text and "suggestion" in text
    assert "stopped early" in lr_range_test(end_lr=1e4).summary()


def test_a_sweep_over_absurd_decades_is_refused_not_answered_with_inf() -> None:
    with pytest.raises(ValueError, match="600 decades apart"):
        lr_range_test(start_lr=1e-300, end_lr=1e300)


def test_a_sweep_that_stops_in_its_first_batches_warns() -> None:
    with pytest.warns(UserWarning, match="stopped after .* of 300 batches"):
        r = lr_range_test(start_lr=10.0, end_lr=1e6)
    assert r.stopped_early and len(r.lrs) <= 30


def test_valley_is_fastais_rule_on_the_recorded_curve() -> None:
    from lrutils.training.range_rules import valley_index

    r = lr_range_test(num_iter=100)
    assert r.valley_lr == r.lrs[valley_index(r.smoothed, r.num_iter)]
    assert r.lrs[r.num_iter // 10] <= r.valley_lr <= r.min_loss_lr  # inside the descent, before the minimum


def fastai_valley_restated(lrs: np.ndarray, losses: np.ndarray, num_it: int) -> float:
    """fastai's ``valley`` written as its loops run (trim, then an O(n^2) scan that updates the best
    end inside the inner loop), independently of :func:`valley_index`: the two must agree."""
    lrs, losses = lrs[num_it // 10 : -5], losses[num_it // 10 : -5]
    n = len(losses)
    lds = [1] * n
    best_start = best_end = 0
    for i in range(1, n):
        for j in range(i):
            if losses[i] < losses[j] and lds[i] < lds[j] + 1:
                lds[i] = lds[j] + 1
            if lds[best_end] < lds[i]:
                best_end, best_start = i, i - lds[i]
    third = (best_end - best_start) / 3
    return float(lrs[best_start + int(third) + int(third / 2)])


def test_valley_index_agrees_with_fastais_loops_on_random_curves() -> None:
    from lrutils.training.range_rules import smooth_losses, valley_index

    rng = np.random.default_rng(3)
    for _ in range(60):
        n = int(rng.integers(30, 200))
        lrs = np.logspace(-5, 1, n)
        curve = smooth_losses(np.cumsum(rng.normal(-0.01, 0.05, n)) + 2.0, 0.9)
        assert lrs[valley_index(curve, n)] == fastai_valley_restated(lrs, curve, n)


def test_valley_on_a_curve_that_never_falls_is_its_first_point_not_fastais_last() -> None:
    from lrutils.training.range_rules import valley_index

    n = 30
    lrs = np.logspace(-5, 1, n)
    curve = np.linspace(1.0, 2.0, n)
    curve[n // 10 + 1] = curve[n // 10] - 0.01  # the only descent: the first two points after the trim
    assert fastai_valley_restated(lrs, curve, n) == lrs[-6]  # fastai: index -1 of the trimmed lrs
    assert valley_index(curve, n) == n // 10


def test_compare_rules_trains_each_seeds_own_suggestion_on_that_seed() -> None:
    from lrutils import TUNED_LR
    from lrutils.training.range_compare import RULES, compare_rules

    tests = [lr_range_test(seed=s, num_iter=40) for s in (3, 5)]
    c = compare_rules(tests, epochs=2, progress=False)
    assert c.baseline == "OneCycleLR, tuned lr" and c.seeds == [3, 5]
    for label, attribute in RULES.items():
        runs = c[f"OneCycleLR at {label}"]
        assert [h.name for h in runs] == ["OneCycleLR", "OneCycleLR"]
        assert [h.base_lr for h in runs] == [getattr(t, attribute) for t in tests]
    assert [h.base_lr for h in c["OneCycleLR, tuned lr"]] == [TUNED_LR["OneCycleLR"]] * 2
    assert [h.name for h in c["constant, tuned lr"]] == [None, None]
    # the same run as lrutils.train on that seed at that lr: the range test's seed is the training seed
    alone = train("OneCycleLR", epochs=2, seed=5, lr=tests[1].valley_lr)
    assert alone == c["OneCycleLR at the valley"][1]


@pytest.mark.parametrize(
    ("tests", "kwargs", "error", "words"),
    [
        ("one", {}, TypeError, "list of range test"),
        ([], {}, TypeError, "list of range test"),
        (["x"], {}, TypeError, "range test results"),
        ("batch80", {}, ValueError, "batch size"),
        ("twice", {}, ValueError, "different seeds"),
        ("ok", {"name": "CyclicLR"}, ValueError, "tuned"),
        ("ok", {"rules": {"x": "nope"}}, ValueError, "rules"),
        ("ok", {"rules": {}}, TypeError, "rules"),
        ("ok", {"epochs": 0}, ValueError, "epochs"),
    ],
)
def test_compare_rules_refuses_what_it_cannot_train(tests: Any, kwargs: dict, error: type, words: str) -> None:
    from lrutils.training.range_compare import compare_rules

    one = lr_range_test(num_iter=20)
    made = {
        "one": one,
        "batch80": [lr_range_test(num_iter=20, batch_size=80)],
        "twice": [one, one],
        "ok": [one],
    }
    with pytest.raises(error, match=words):
        compare_rules(made.get(tests, tests) if isinstance(tests, str) else tests, progress=False, **kwargs)
