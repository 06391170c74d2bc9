"""The CPU code paths this machine can emulate, as environment settings for a fresh process.

The saved notebook outputs must not depend on the CPU. Three libraries pick code by CPU, and each
can be told to use a lower instruction set than the machine has:

- torch's own kernels (ATen): ``ATEN_CPU_CAPABILITY`` = default (no SIMD), avx2, avx512;
- MKL (torch's matrix multiplies): ``MKL_ENABLE_INSTRUCTIONS`` = SSE4_2, AVX2 (AVX-512 is native);
- numpy: ``NPY_DISABLE_CPU_FEATURES`` switches off its AVX-512 or AVX2 loops.

:data:`PATHS` holds one setting at a time (for strict nbval under each: ``make test-cpu-paths``);
:data:`MACHINES` combines them into the CPUs they stand for (used by tests/test_cpu_paths.py).

Usage: python tools/cpu_paths.py            print the paths this machine can emulate
"""

from __future__ import annotations

import os
from pathlib import Path

NUMPY_NO_AVX512 = "X86_V4 AVX512_ICL AVX512_SPR"
NUMPY_NO_AVX2 = "X86_V3 " + NUMPY_NO_AVX512

PATHS: dict[str, dict[str, str]] = {
    "aten-default": {"ATEN_CPU_CAPABILITY": "default"},
    "aten-avx2": {"ATEN_CPU_CAPABILITY": "avx2"},
    "aten-avx512": {"ATEN_CPU_CAPABILITY": "avx512"},
    "mkl-sse4_2": {"MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},
    "mkl-avx2": {"MKL_ENABLE_INSTRUCTIONS": "AVX2"},
    "numpy-no-avx512": {"NPY_DISABLE_CPU_FEATURES": NUMPY_NO_AVX512},
    "numpy-no-avx2": {"NPY_DISABLE_CPU_FEATURES": NUMPY_NO_AVX2},
}
"""One emulated setting each; the machine's own (native) path is what plain nbval runs."""

MACHINES: dict[str, dict[str, str]] = {
    "SSE4.2-only CPU": {**PATHS["aten-default"], **PATHS["mkl-sse4_2"], **PATHS["numpy-no-avx2"]},
    "AVX2 CPU (no AVX-512)": {**PATHS["aten-avx2"], **PATHS["mkl-avx2"], **PATHS["numpy-no-avx512"]},
}
"""Every setting of every library above, grouped as real CPUs have them (the native path is the third)."""


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def available_paths() -> dict[str, dict[str, str]]:
    """The settings this CPU can run: an instruction set it lacks cannot be emulated, only avoided.

    >>> "aten-default" in available_paths()
    True
    """
    flags = _cpu_flags()
    out = dict(PATHS)
    if "avx512f" not in flags:
        out.pop("aten-avx512")
        out.pop("numpy-no-avx512")
    if "avx2" not in flags:
        for name in ("aten-avx2", "mkl-avx2", "numpy-no-avx2"):
            out.pop(name, None)
    return out


CONTROLLED = (
    "ATEN_CPU_CAPABILITY",
    "MKL_ENABLE_INSTRUCTIONS",
    "NPY_DISABLE_CPU_FEATURES",
    # what `make` sets: left out, so a process started like a learner's own `jupyter lab` is tested
    "MKL_CBWR",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "PYTHONHASHSEED",
)


def environment(settings: dict[str, str]) -> dict[str, str]:
    """This process's environment without anything make or lrutils set, with ``settings`` on top.

    >>> environment({"ATEN_CPU_CAPABILITY": "default"})["ATEN_CPU_CAPABILITY"]
    'default'
    """
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(settings)
    return env


if __name__ == "__main__":
    for name, settings in available_paths().items():
        print(f"{name:16} {' '.join(f'{k}={v!r}' for k, v in settings.items())}")
