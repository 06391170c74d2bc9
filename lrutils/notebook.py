"""The set-up every notebook runs first: pinned numerics, one thread, fixed seeds, readable figures."""

from __future__ import annotations

import random
import warnings
from importlib.metadata import version

import numpy as np

EXPECTED_TORCH = "2.13.0"
PRINT_PRECISION = 6

_notices_given: set[str] = set()  # each notice once per kernel, however often setup() runs


class ProvenElsewhereWarning(UserWarning):
    """Told once by :func:`setup` when this kernel differs from the one the saved outputs were proven
    in (another torch, or no MKL that lrutils can set): everything runs, but some last digits may differ."""


def environment_notice(torch_version: str, mkl: str) -> str | None:
    """What :func:`setup` tells a learner about this kernel, or None when it is the proven one.

    ``torch_version`` without its build label (``"2.14.1"``), ``mkl`` as :func:`lrutils.training.numerics.mkl_state`
    gives it.

    >>> environment_notice("2.13.0", "pinned") is None
    True
    >>> environment_notice("2.14.1", "pinned")[:60]
    'These notebooks were checked with torch 2.13.0; this kernel '
    """
    differences = []
    if torch_version != EXPECTED_TORCH:
        differences.append(f"this kernel runs torch {torch_version}")
    if mkl == "no MKL":
        differences.append(
            "lrutils finds no MKL in this torch to make CPU-independent (as on Apple silicon, ARM and Windows)"
        )
    if not differences:
        return None
    return (
        f"These notebooks were checked with torch {EXPECTED_TORCH}; "
        + " and ".join(differences)
        + ". The notebooks run, but numbers printed from training may differ from the saved outputs "
        "in their last digits."
    )


def setup(seed: int = 0, lang: str = "en") -> None:
    """Make a notebook reproducible to the last printed digit on any x86-64 CPU, and check torch.

    ``lang="ko"`` (the Korean edition's notebooks) makes lrutils speak Korean: checker feedback,
    verdicts, tables, progress labels, explorer readouts, errors (:mod:`lrutils.text.i18n`), and
    figures with a Hangul font (:mod:`lrutils.figures.language`); English is the default.

    Checks that MKL runs in its CPU-independent mode (lrutils switches it on when imported; if a
    matrix multiply ran before ``import lrutils``, this says to restart the kernel), one torch
    thread, seeds for ``random``, numpy and torch, numpy prints ``PRINT_PRECISION`` digits, and
    figures use :mod:`lrutils.figures.style` (readable on a projector, crisp PNGs).

    With another torch than :data:`EXPECTED_TORCH`, or a torch without MKL, it says so once per
    kernel (a :class:`ProvenElsewhereWarning`) and goes on; with the proven one it prints nothing.

    >>> setup()
    """
    import torch

    from .curves.spec import REQUIRED, ParamSpec
    from .figures import language, style
    from .text.i18n import check_language, set_language
    from .training.numerics import mkl_state, require_pinned_mkl

    seed = ParamSpec("seed", "int", REQUIRED, low=0, high=2**32 - 1).check(seed)  # before anything is seeded
    lang = check_language(lang)

    require_pinned_mkl()
    notice = environment_notice(version("torch").split("+")[0], mkl_state())
    if notice is not None and notice not in _notices_given:
        _notices_given.add(notice)
        warnings.warn(notice, ProvenElsewhereWarning, stacklevel=2)
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    np.set_printoptions(precision=PRINT_PRECISION, suppress=False)
    style.apply()
    set_language(lang)
    language.use_language(lang)
