"""CPU-independent numerics: MKL's reproducible mode, and exp/log/sums built from exact operations.

Why this module exists: the notebooks' saved outputs are checked digit for digit on whatever
x86-64 CPU runs CI, and a training run amplifies a last-bit difference into a visible one. Three
things differ between CPUs and are pinned here:

* **MKL's matrix multiplies** pick a kernel per CPU (AVX-512 on one Xeon, AVX2 on another, yet
  another path on AMD), and each kernel sums in its own order. Intel's *conditional numerical
  reproducibility* mode ``COMPATIBLE`` runs the same code path on every x86-64 CPU, Intel or AMD.
  It must be chosen before MKL runs its first multiply: :func:`pin_mkl` does it when lrutils is
  imported, and :func:`require_pinned_mkl` refuses to train if it came too late.
* **torch's vectorised exp, log and sums** round differently with and without AVX2/AVX-512 (SLEEF
  polynomials vs libm; 4, 8 or 16 partial sums). :func:`exp_nonpositive` and :func:`log_positive`
  are built from ``+``, ``-``, ``*``, ``/`` and exact bit operations only, which IEEE 754 rounds
  the same way on every CPU; sums go through :func:`sum_rows`, a fixed pairwise order of additions.
* elementwise ``+ - * /``, comparisons, ``max`` and indexing need nothing: IEEE 754 rounds them
  exactly, whatever the vector width, in torch and in numpy alike (the hot loops use numpy, whose
  call costs less; :class:`RowSums`, :func:`exp_nonpositive_`). ``torch.sqrt`` of float64 is MKL's
  vector math, not the CPU's square root: about one value in a hundred is an ulp from numpy's, and
  MKL's reproducible mode pins it like the multiplies.

>>> import torch
>>> x = torch.tensor([[-1.0, 0.0]], dtype=torch.float64)
>>> exp_nonpositive(x).tolist() == torch.exp(x).tolist()
True
"""

from __future__ import annotations

import ctypes
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

MKL_CBWR_BRANCH = 1  # mkl_service.h: ask for the code branch
MKL_CBWR_COMPATIBLE = 3  # the branch that gives the same results on every x86-64 CPU
MKL_CBWR_MODE_CHANGE_FAILURE = -8  # mkl_cbwr_set after MKL already ran: too late

RESTART_ADVICE = (
    "restart the kernel (Kernel > Restart) and run `import lrutils` before anything that multiplies matrices with torch"
)

_state: dict[str, str] = {}


def _mkl_library() -> ctypes.CDLL | None:
    """torch's own copy of MKL (linked into libtorch_cpu), or None where torch has no MKL (ARM, macOS)."""
    lib_dir = Path(torch.__file__).parent / "lib"
    for candidate in sorted(lib_dir.glob("libtorch_cpu.*")):
        try:
            lib = ctypes.CDLL(str(candidate))
        except OSError:
            continue
        if hasattr(lib, "mkl_serv_cbwr_set") and hasattr(lib, "mkl_serv_cbwr_get"):
            return lib
    return None


def pin_mkl() -> str:
    """Switch torch's MKL to its CPU-independent mode; return the resulting state.

    ``"pinned"``: MKL multiplies identically on every x86-64 CPU from now on. ``"too late"``: MKL
    had already run in this process, so its mode can no longer change (restart and import lrutils
    first). ``"no MKL"``: this torch build has no MKL (ARM, macOS); see the README for what is
    guaranteed there. Called once when lrutils is imported; calling it again is harmless.

    >>> pin_mkl() in ("pinned", "no MKL")
    True
    """
    os.environ["MKL_CBWR"] = "COMPATIBLE"  # child processes (and an MKL loaded later) read this
    lib = _mkl_library()
    if lib is None:
        state = "no MKL"
    elif lib.mkl_serv_cbwr_get(MKL_CBWR_BRANCH) == MKL_CBWR_COMPATIBLE:
        state = "pinned"
    else:
        status = lib.mkl_serv_cbwr_set(MKL_CBWR_COMPATIBLE)
        state = "pinned" if status == 0 else "too late"
    _state["mkl"] = state
    return state


def mkl_state() -> str:
    """The MKL mode in effect now: ``"pinned"``, ``"too late"`` or ``"no MKL"`` (see :func:`pin_mkl`).

    >>> mkl_state() in ("pinned", "no MKL")
    True
    """
    lib = _mkl_library()
    if lib is None:
        return "no MKL"
    return "pinned" if lib.mkl_serv_cbwr_get(MKL_CBWR_BRANCH) == MKL_CBWR_COMPATIBLE else "too late"


def require_pinned_mkl() -> None:
    """Raise a RuntimeError that says what to do if MKL runs in a CPU-dependent mode.

    >>> require_pinned_mkl()
    """
    if mkl_state() == "too late":
        raise RuntimeError(
            "torch's MKL already multiplied matrices before lrutils could switch it to its "
            "CPU-independent mode (MKL_CBWR=COMPATIBLE), so training results would depend on this CPU "
            f"and not match the saved notebook outputs: {RESTART_ADVICE}"
        )


# --- exp and log from exact operations ----------------------------------------------------------

EXP_FLOOR = -40.0
"""exp(-40) = 4e-18: below it :func:`exp_nonpositive` returns exp(-40). Only used inside a softmax,
where the largest term is 1, so terms this small change no sum."""
_LN2_HI = 0.693145751953125  # ln 2 split so that k * _LN2_HI is exact for |k| < 2**11 (Cody & Waite)
_LN2_LO = 1.4286068203094173e-06
_LN2 = 0.6931471805599453
_INV_LN2 = 1.4426950408889634
_EXP_TERMS = [1.0 / math.factorial(k) for k in range(14)]  # Taylor series of exp on |r| <= ln2 / 2
_LOG_TERMS = [2.0 / (2 * k + 1) for k in range(14)]  # log m = 2 atanh(u), u = (m - 1) / (m + 1)
_SQRT_HALF = 0.7071067811865476


class ExpScratch:
    """Scratch arrays for :func:`exp_nonpositive_` on arrays of one shape, allocated once and reused.

    >>> ExpScratch((2, 3)).bits.dtype
    dtype('int64')
    """

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.k, self.poly = np.empty(shape), np.empty(shape)
        self.bits = np.empty(shape, dtype=np.int64)


def _power_of_two_(k: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """``2.0 ** k`` for integer-valued float64 ``k`` (normal range), built from the exponent bits in
    ``bits`` (overwritten): exact. Returns ``bits`` viewed as float64."""
    np.add(k, 1023.0, out=bits, casting="unsafe")  # exact in float64, then an exact conversion
    np.left_shift(bits, 52, out=bits)
    return bits.view(np.float64)


def _exp_parts_(x: np.ndarray, k: np.ndarray, poly: np.ndarray) -> None:
    """In place, ``exp(x) = poly * 2**k``: Cody-Waite reduction ``x = k ln2 + r``, ``|r| <= ln2 / 2``,
    and a degree-13 Taylor polynomial for ``exp(r)`` by Horner's rule (truncation error < 1e-17).
    ``x`` is left holding ``r``. Every step is one IEEE operation (numpy's round is to even)."""
    np.multiply(x, _INV_LN2, out=k)
    np.rint(k, out=k)
    np.multiply(k, _LN2_HI, out=poly)
    np.subtract(x, poly, out=x)
    np.multiply(k, _LN2_LO, out=poly)
    np.subtract(x, poly, out=x)
    np.multiply(x, _EXP_TERMS[13], out=poly)
    np.add(poly, _EXP_TERMS[12], out=poly)
    for coefficient in reversed(_EXP_TERMS[:12]):
        np.multiply(poly, x, out=poly)
        np.add(poly, coefficient, out=poly)


def exp_nonpositive_(x: np.ndarray, scratch: ExpScratch) -> None:
    """In place, ``x = exp(x)`` for float64 ``x <= 0`` inside a softmax: floored at :data:`EXP_FLOOR`,
    so ``2**k`` is one normal power of two (the same bits as :func:`exp_portable`); NaN stays NaN.
    Call inside ``np.errstate(invalid="ignore")`` if ``x`` may hold NaN.

    >>> x = np.array([0.0, -1.0]); exp_nonpositive_(x, ExpScratch(x.shape)); x.tolist()
    [1.0, 0.36787944117144233]
    """
    np.maximum(x, EXP_FLOOR, out=x)  # torch.clamp; its result for -0 may differ in sign: exp(±0) is 1 either way
    np.minimum(x, 0.0, out=x)
    _exp_parts_(x, scratch.k, scratch.poly)
    np.multiply(scratch.poly, _power_of_two_(scratch.k, scratch.bits), out=x)


def _array(x: torch.Tensor) -> np.ndarray:
    """A float64 numpy copy of ``x`` (numpy does the elementwise work: see :func:`sum_rows`)."""
    return np.array(x.detach().numpy(), dtype=np.float64)


def exp_portable(x: torch.Tensor) -> torch.Tensor:
    """``exp(x)`` for float64 ``x``, rounded the same way on every CPU (about 1 ulp from torch.exp).

    ``* 2**k`` is two exact multiplies by powers of two built from their exponent bits, so
    subnormal results and overflow to inf come out right.

    >>> [f"{v:.15g}" for v in exp_portable(torch.tensor([0.0, 1.0, -745.2], dtype=torch.float64)).tolist()]
    ['1', '2.71828182845905', '0']
    """
    r = np.clip(_array(x), -1100.0, 1100.0)  # beyond: 0 or inf either way
    k, poly, bits = np.empty_like(r), np.empty_like(r), np.empty(r.shape, dtype=np.int64)
    with np.errstate(invalid="ignore"):  # NaN in, NaN out, without numpy's warning
        _exp_parts_(r, k, poly)
        half = np.trunc(k / 2.0)
        np.multiply(poly, _power_of_two_(half, bits), out=poly)
        np.subtract(k, half, out=k)
        np.multiply(poly, _power_of_two_(k, bits), out=poly)
    return torch.from_numpy(poly)


def exp_nonpositive(x: torch.Tensor) -> torch.Tensor:
    """``exp(x)`` for float64 ``x <= 0`` inside a softmax (:func:`exp_nonpositive_` on a copy).

    >>> exp_nonpositive(torch.tensor([0.0, -1.0], dtype=torch.float64)).tolist()
    [1.0, 0.36787944117144233]
    """
    out = _array(x)
    with np.errstate(invalid="ignore"):
        exp_nonpositive_(out, ExpScratch(out.shape))
    return torch.from_numpy(out)


def geometric_sequence(start: float, end: float, n: int) -> torch.Tensor:
    """``n`` values from ``start`` to ``end`` (both positive) with a constant ratio, rounded the
    same way on every CPU (numpy's vectorised power is not): ``start * exp(t * log(end / start))``.

    >>> [f"{v:.15g}" for v in geometric_sequence(1e-3, 1e-1, 3).tolist()]
    ['0.001', '0.01', '0.1']
    """
    logs = log_positive(torch.tensor([start, end], dtype=torch.float64))
    t = torch.arange(n, dtype=torch.float64) / (n - 1)
    out = exp_portable(logs[0] + t * (logs[1] - logs[0]))
    out[0], out[-1] = start, end
    return out


def log_positive(x: torch.Tensor) -> torch.Tensor:
    """``log(x)`` for positive finite float64 ``x``, rounded the same way on every CPU.

    ``x = m * 2**e`` exactly (frexp, then ``m`` moved into [sqrt(1/2), sqrt(2))); ``log m = 2 atanh(u)``
    with ``u = (m - 1) / (m + 1)``, ``|u| < 0.172``, summed to 14 odd powers (error < 1e-20).

    >>> log_positive(torch.tensor([1.0, 2.0], dtype=torch.float64)).tolist()
    [0.0, 0.6931471805599453]
    """
    mantissa, exponent = torch.frexp(x)
    small = mantissa < _SQRT_HALF
    mantissa = torch.where(small, mantissa * 2.0, mantissa)  # exact: a power of two
    exponent = exponent - small.to(exponent.dtype)
    u = (mantissa - 1.0) / (mantissa + 1.0)
    u2 = u * u
    series = torch.full_like(u, _LOG_TERMS[-1])
    for coefficient in reversed(_LOG_TERMS[:-1]):
        series = series * u2 + coefficient
    return series * u + exponent.to(torch.float64) * _LN2


class RowSums:
    """The fixed-order pairwise sum over the rows of stacked matrices, planned once for fixed arrays.

    ``parts`` are arrays ``(n, rows, cols_i)`` with the same ``rows``; ``out`` is scratch of shape
    ``(n, max(size // 2, 1), sum of cols_i)``, ``size`` the power of two >= ``rows``. Calling the plan
    leaves each part's column sums in ``out[:, :1]`` (side by side, in the order of ``parts``) with
    exactly the additions of :func:`sum_rows`: the rows are padded with zeros to ``size``, then the
    bottom half is added to the top half until one row is left. Only the first level meets the padding
    (a row plus a padding row is that row ``+ 0.0``); the plan adds it without building it. ``add``
    is ``np.add`` for numpy arrays or ``torch.add`` for tensors (the same IEEE additions).

    >>> parts = [np.arange(10.0).reshape(1, 5, 2)]
    >>> out = np.empty((1, 4, 2)); RowSums(parts, out)(); out[:, :1].tolist()
    [[[20.0, 25.0]]]
    """

    def __init__(self, parts: list, out: Any, add: Callable[..., Any] = np.add) -> None:
        rows = parts[0].shape[1]
        half = (1 << max(rows - 1, 0).bit_length()) // 2
        self.add, self.steps = add, []
        for part, col in _columns(parts):
            target = out[:, :, col : col + part.shape[2]]
            if half == 0:  # one row: its own sum (x + -0.0 is x, bit for bit)
                self.steps.append((part, -0.0, target))
                continue
            paired = rows - half  # rows that meet a real row; the rest meet padding
            self.steps.append((part[:, :paired], part[:, half:], target[:, :paired]))
            if paired < half:
                self.steps.append((part[:, paired:half], 0.0, target[:, paired:half]))
        size = half
        while size > 1:
            size //= 2
            self.steps.append((out[:, :size], out[:, size : 2 * size], out[:, :size]))

    def __call__(self) -> None:
        add = self.add
        for a, b, target in self.steps:
            add(a, b, out=target)


def _columns(parts: list) -> list[tuple[Any, int]]:
    """Each part with the first column it takes in the side-by-side output."""
    starts = np.cumsum([0] + [p.shape[2] for p in parts[:-1]])
    return [(p, int(c)) for p, c in zip(parts, starts, strict=True)]


def sum_rows(x: torch.Tensor) -> torch.Tensor:
    """Sum a stack of matrices over their rows, ``(n, rows, cols) -> (n, 1, cols)``, in a fixed order.

    Pairwise: rows are padded with zeros to a power of two, then the bottom half is added to the
    top half until one row is left. Every addition is one IEEE operation, so the result is the same
    on every CPU and for every ``n``; ``torch.sum`` and a multiply by ones (MKL) both choose their
    order by vector width or by the shape of the whole stack. :class:`RowSums` makes the same
    additions with numpy on arrays allocated once.

    >>> sum_rows(torch.arange(10.0, dtype=torch.float64).view(1, 5, 2)).tolist()
    [[[20.0, 25.0]]]
    """
    rows = x.shape[1]
    size = 1 << max(rows - 1, 0).bit_length()
    if size != rows:
        x = torch.cat([x, x.new_zeros(x.shape[0], size - rows, x.shape[2])], dim=1)
    while size > 1:
        size //= 2
        x = x[:, :size] + x[:, size:]
    return x


__all__ = [
    "EXP_FLOOR",
    "ExpScratch",
    "RowSums",
    "exp_nonpositive",
    "exp_nonpositive_",
    "exp_portable",
    "geometric_sequence",
    "log_positive",
    "mkl_state",
    "pin_mkl",
    "require_pinned_mkl",
    "sum_rows",
]
