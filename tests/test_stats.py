"""Student-t intervals and paired comparisons, against published values and by construction."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from lrutils.training.stats import mean_interval, paired, t_cdf, t_quantile

# Two-sided 95 % critical values t(0.975, df) from any statistics table (e.g. NIST/SEMATECH
# e-Handbook, table 1.3.6.7.2): independent of this code.
T_TABLE = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 9: 2.262, 10: 2.228, 20: 2.086, 30: 2.042, 100: 1.984}


@pytest.mark.parametrize(("df", "value"), sorted(T_TABLE.items()))
def test_t_quantile_matches_the_table(df: int, value: float) -> None:
    assert round(t_quantile(0.975, df), 3) == value


def test_t_cdf_is_symmetric_and_inverts_the_quantile() -> None:
    for df in (1, 3, 9, 40):
        for t in (-3.0, -0.5, 0.7, 2.5):
            assert math.isclose(t_cdf(t, df) + t_cdf(-t, df), 1.0, rel_tol=1e-12)
        for p in (0.05, 0.5, 0.9, 0.975):
            assert math.isclose(t_cdf(t_quantile(p, df), df), p, rel_tol=1e-9)


def test_mean_interval_covers_the_truth_about_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(0)
    hits = sum(mean_interval(rng.normal(3.0, 2.0, 10)).contains(3.0) for _ in range(2000))
    assert 0.93 <= hits / 2000 <= 0.97


def test_mean_interval_edge_cases() -> None:
    single = mean_interval([0.4])
    assert single.mean == 0.4 and math.isnan(single.low) and single.n == 1
    with pytest.raises(ValueError, match="at least one"):
        mean_interval([])
    with pytest.raises(ValueError, match="finite"):
        mean_interval([0.4, float("nan")])


def test_paired_counts_wins_and_differences() -> None:
    p = paired([0.40, 0.42, 0.50, 0.44], [0.45, 0.43, 0.50, 0.40])
    assert (p.wins, p.ties, p.n) == (2, 1, 4)
    assert math.isclose(p.difference.mean, (-0.05 - 0.01 + 0.0 + 0.04) / 4, abs_tol=1e-15)
    assert not p.clear
    clear = paired([0.40, 0.41, 0.42, 0.43], [0.50, 0.50, 0.51, 0.53])
    assert clear.clear and clear.wins == 4 and clear.difference.high < 0
    with pytest.raises(ValueError, match="pair"):
        paired([1.0], [1.0, 2.0])


def test_the_interval_is_the_same_whatever_the_summation_order() -> None:
    values = [0.1, 0.2, 0.3, 1e-17, 0.4]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mean_interval(values) == mean_interval(values[::-1])
