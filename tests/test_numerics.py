"""CPU-independent numerics: MKL pinned, exp/log from exact operations, sums in a fixed order."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import lrutils
from lrutils.training.data import N_TRAIN, N_VAL, spiral_points, spiral_points_float64
from lrutils.training.numerics import (
    EXP_FLOOR,
    ExpScratch,
    RowSums,
    exp_nonpositive,
    exp_nonpositive_,
    log_positive,
    mkl_state,
    sum_rows,
)

F64 = torch.float64


def ulps(ours: torch.Tensor, theirs: torch.Tensor) -> float:
    spacing = (theirs.abs().nextafter(torch.tensor(math.inf, dtype=F64)) - theirs.abs()).clamp_min(5e-324)
    return float(((ours - theirs).abs() / spacing).max())


def test_importing_lrutils_pins_mkl() -> None:
    assert lrutils.MKL_STATE == "pinned"
    assert mkl_state() == "pinned"


def test_pin_comes_too_late_after_a_matrix_multiply_and_training_refuses() -> None:
    code = (
        "import torch\n"
        "a = torch.rand(40, 32, dtype=torch.float64); a @ a.T\n"
        "import lrutils\n"
        "print(lrutils.MKL_STATE)\n"
        "try:\n"
        "    lrutils.train(None, epochs=1)\n"
        "except RuntimeError as err:\n"
        "    print(err)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MKL_CBWR"}  # lrutils set it for this process's children
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    first, message = out.splitlines()[:2]
    assert first == "too late"
    assert "restart the kernel" in message and "MKL_CBWR=COMPATIBLE" in message


def test_exp_is_within_a_few_ulps_of_torch_and_floors_at_exp_floor() -> None:
    x = -torch.rand(200_000, generator=torch.Generator().manual_seed(0), dtype=F64) * -EXP_FLOOR
    x = torch.cat([x, torch.tensor([0.0, -1e-300, -0.5, EXP_FLOOR], dtype=F64)])
    assert ulps(exp_nonpositive(x), torch.exp(x)) <= 2
    assert exp_nonpositive(torch.tensor([0.0], dtype=F64)).item() == 1.0
    below = exp_nonpositive(torch.tensor([-1000.0, -math.inf], dtype=F64))
    assert torch.equal(below[0], below[1]) and ulps(below, torch.exp(torch.full((2,), EXP_FLOOR, dtype=F64))) <= 2
    assert torch.isnan(exp_nonpositive(torch.tensor([math.nan], dtype=F64))).all()


def test_log_is_within_a_few_ulps_of_torch_over_many_decades() -> None:
    g = torch.Generator().manual_seed(1)
    x = torch.exp(torch.rand(200_000, generator=g, dtype=F64) * 1400 - 700)
    x = torch.cat([x, torch.tensor([1.0, 2.0, 3.0, 0.5, 1e-300, 1e300], dtype=F64)])
    assert ulps(log_positive(x), torch.log(x)) <= 4
    assert log_positive(torch.tensor([1.0], dtype=F64)).item() == 0.0


@pytest.mark.parametrize("rows", [1, 2, 3, 5, 40, 600, 1200])
def test_sum_rows_is_close_to_torch_sum_and_independent_of_the_stack(rows: int) -> None:
    x = torch.randn(7, rows, 3, generator=torch.Generator().manual_seed(rows), dtype=F64)
    total = sum_rows(x)
    assert total.shape == (7, 1, 3)
    assert torch.allclose(total, x.sum(dim=1, keepdim=True), rtol=1e-13, atol=1e-13)
    for i in range(7):  # the same bits whatever else is stacked with it
        assert torch.equal(sum_rows(x[i : i + 1]), total[i : i + 1])


def test_the_data_set_is_far_from_float32_rounding_ties() -> None:
    """The points are computed in float64 (cos, sin: last bits differ between CPUs) and stored as
    float32. A last-bit difference could only change the data if a float64 value sat within a few
    ulps of halfway between two float32 values; none does, by a wide margin."""
    x64, _ = spiral_points_float64(N_TRAIN + N_VAL)
    x32, _ = spiral_points(N_TRAIN + N_VAL)
    assert np.array_equal(x64.astype(np.float32), x32)
    below = np.nextafter(x32, np.float32(-np.inf)).astype(np.float64)
    above = np.nextafter(x32, np.float32(np.inf)).astype(np.float64)
    low_tie, high_tie = (below + x32) / 2, (above + x32) / 2  # halfway points, exact in float64
    margin = np.minimum(np.abs(x64 - low_tie), np.abs(high_tie - x64)) / np.abs(x64)
    assert margin.min() > 1e-12  # a libm differs by ~1e-16 relative


@pytest.mark.parametrize("rows", [1, 2, 3, 5, 8, 33, 40, 48])
@pytest.mark.parametrize("add", [np.add, torch.add], ids=["numpy", "torch"])
def test_row_sums_make_sum_rows_additions(rows: int, add) -> None:
    """The planned sums, side by side and without the padding built, give sum_rows' bits: a column of
    -0 (which + 0.0 from the padding turns into +0), an infinity, a NaN."""
    g = torch.Generator().manual_seed(rows)
    parts = [torch.randn(3, rows, cols, generator=g, dtype=F64) for cols in (4, 1, 3)]
    parts[0][0, :, 0] = -0.0
    parts[2][1, 0, 1] = math.inf
    parts[2][2, -1, 2] = math.nan
    out = torch.full((3, max((1 << (rows - 1).bit_length()) // 2, 1), 8), 5.0, dtype=F64)
    if add is np.add:
        RowSums([p.numpy() for p in parts], out.numpy())()
    else:
        RowSums(parts, out, torch.add)()
    expected = sum_rows(torch.cat(parts, dim=2))
    assert out[:, :1].numpy().tobytes() == expected.numpy().tobytes()


def test_exp_in_place_is_exp_nonpositive() -> None:
    x = torch.cat(
        [-torch.rand(999, generator=torch.Generator().manual_seed(2), dtype=F64) * 45, torch.tensor([0.0, -0.0])]
    )
    y = x.numpy().copy()
    exp_nonpositive_(y, ExpScratch(y.shape))
    assert y.tobytes() == exp_nonpositive(x).numpy().tobytes()
