"""lrutils.setup() with the proven torch, with another torch, and where MKL cannot be found."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch

import lrutils
from lrutils import notebook
from lrutils.notebook import EXPECTED_TORCH, ProvenElsewhereWarning


def fresh_env() -> dict[str, str]:
    """A learner's kernel: none of the settings lrutils made in this process (MKL_CBWR), no warning filters."""
    return {k: v for k, v in os.environ.items() if k not in ("MKL_CBWR", "PYTHONWARNINGS")}


@pytest.fixture
def no_notice_given_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notebook, "_notices_given", set())


@pytest.mark.usefixtures("no_notice_given_yet")
def test_with_the_proven_torch_setup_is_silent(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(notebook, "version", lambda name: f"{EXPECTED_TORCH}+cpu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning at all fails
        notebook.setup()
    assert capsys.readouterr() == ("", "")


@pytest.mark.usefixtures("no_notice_given_yet")
def test_another_torch_is_told_once_plainly_and_setup_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notebook, "version", lambda name: "2.14.1+cu130")
    try:
        with pytest.warns(ProvenElsewhereWarning) as record:
            notebook.setup(seed=7)
            notebook.setup(seed=7)  # a second set-up in the same kernel says nothing new
        assert torch.initial_seed() == 7 and torch.get_num_threads() == 1
        assert np.get_printoptions()["precision"] == notebook.PRINT_PRECISION
    finally:
        torch.manual_seed(0), np.random.seed(0), random.seed(0)
    assert len(record) == 1
    assert str(record[0].message) == (
        f"These notebooks were checked with torch {EXPECTED_TORCH}; this kernel runs torch 2.14.1. The notebooks "
        "run, but numbers printed from training may differ from the saved outputs in their last digits."
    )
    assert record[0].filename == __file__, "the warning points at the cell that called setup(), not at lrutils"
    assert issubclass(ProvenElsewhereWarning, UserWarning)


def test_setup_in_a_fresh_process_with_the_installed_torch() -> None:
    """No monkeypatching: with the proven torch nothing at all is printed; with another, one notice."""
    code = (
        "import json, warnings\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    import lrutils\n"
        "    lrutils.setup()\n"
        "    lrutils.setup()\n"
        "print(json.dumps([str(w.message) for w in caught]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=fresh_env())
    notices = json.loads(done.stdout)
    installed = torch.__version__.split("+")[0]
    if installed == EXPECTED_TORCH and lrutils.MKL_STATE == "pinned":
        assert notices == [] and done.stderr == ""
    else:
        assert len(notices) == 1 and f"torch {EXPECTED_TORCH}" in notices[0]
        assert installed == EXPECTED_TORCH or f"this kernel runs torch {installed}" in notices[0]


# Ways a torch build can keep lrutils from finding MKL, each set up before lrutils is imported.
HIDE_MKL = {
    # Windows names the library torch_cpu.dll, so lrutils' lookup of libtorch_cpu.* finds no file.
    "no-libtorch_cpu-file": (
        "import pathlib\n"
        "_glob = pathlib.Path.glob\n"
        "def glob(self, pattern, *args, **kwargs):\n"
        "    return iter(()) if pattern.startswith('libtorch_cpu') else _glob(self, pattern, *args, **kwargs)\n"
        "pathlib.Path.glob = glob\n"
    ),
    # macOS and ARM builds have libtorch_cpu but no MKL inside (Accelerate, OpenBLAS).
    "library-without-mkl-symbols": (
        "import ctypes\n"
        "class NoMkl(ctypes.CDLL):\n"
        "    def __getattr__(self, name):\n"
        "        if name.startswith('mkl_'):\n"
        "            raise AttributeError(name)\n"
        "        return super().__getattr__(name)\n"
        "ctypes.CDLL = NoMkl\n"
    ),
    # A library the loader refuses.
    "library-that-will-not-load": (
        "import ctypes\n"
        "class Refuses(ctypes.CDLL):\n"
        "    def __init__(self, name, *args, **kwargs):\n"
        "        if 'libtorch_cpu' in str(name):\n"
        "            raise OSError(f'{name}: cannot open shared object file')\n"
        "        super().__init__(name, *args, **kwargs)\n"
        "ctypes.CDLL = Refuses\n"
    ),
}

TRAIN_WITHOUT_MKL = (
    "import json, warnings\n"
    "with warnings.catch_warnings(record=True) as caught:\n"
    "    warnings.simplefilter('always')\n"
    "    import lrutils\n"
    "    from lrutils.training.numerics import mkl_state\n"
    "    lrutils.setup()\n"
    "    lrutils.setup()\n"
    "    history = lrutils.train('StepLR', epochs=3, seed=1)\n"
    "print(json.dumps({'MKL_STATE': lrutils.MKL_STATE, 'now': mkl_state(), 'val_loss': history.val_loss.tolist(),\n"
    "                  'notices': [str(w.message) for w in caught if issubclass(w.category, UserWarning)]}))\n"
)


@pytest.mark.parametrize("hide", list(HIDE_MKL))
def test_without_mkl_lrutils_imports_sets_up_and_trains(hide: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", HIDE_MKL[hide] + TRAIN_WITHOUT_MKL],
        capture_output=True,
        text=True,
        check=True,
        env=fresh_env(),
    )
    out = json.loads(done.stdout)
    assert out["MKL_STATE"] == "no MKL" and out["now"] == "no MKL"
    assert len(out["notices"]) == 1, out["notices"]
    assert "lrutils finds no MKL in this torch" in out["notices"][0]
    assert "may differ from the saved outputs in their last digits" in out["notices"][0]
    val_loss = np.array(out["val_loss"])
    assert val_loss.shape == (3,) and np.isfinite(val_loss).all()
    # The MKL this torch really has still read MKL_CBWR, which lrutils set before the first multiply:
    # the run is the pinned one, bit for bit. (On a machine truly without MKL the last bits may differ.)
    assert out["val_loss"] == lrutils.train("StepLR", epochs=3, seed=1).val_loss.tolist()
