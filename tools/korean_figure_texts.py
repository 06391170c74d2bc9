"""List the English words a Korean notebook's figures still show (a label written in notebook code, missing
from the label catalog lrutils/text/ko_labels.toml).

Usage: python tools/korean_figure_texts.py [notebooks/ko/*.ipynb]   (default: every Korean notebook)

Each notebook runs in a fresh kernel (a copy; nothing is written back) whose first cell records every text
of every figure the inline backend renders. A text is listed when it has two or more English words outside
code (an identifier, ``k=v``, a call or a dotted name is code: ``T_max=24``, ``lrutils.lr_curve``); scheduler
names and settings stay as they are. Add a listed label to ko_labels.toml (``en`` exactly as the English
notebook writes it), then run ``make ko``. Exit status 1 if anything is listed. About two minutes for all.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KO_DIR = Path(__file__).resolve().parents[1] / "notebooks" / "ko"
_RECORD = """
import json as _json, matplotlib.backend_bases as _backend_bases
from matplotlib.text import Text as _Text
_print_figure = _backend_bases.FigureCanvasBase.print_figure
def _recorded(self, *args, **kwargs):
    with open({log!r}, "a", encoding="utf-8") as _log:
        for _t in self.figure.findobj(_Text):
            if _t.get_visible() and _t.get_text().strip():
                _log.write(_json.dumps(_t.get_text()) + "\\n")
    return _print_figure(self, *args, **kwargs)
_backend_bases.FigureCanvasBase.print_figure = _recorded
"""
_CODE = re.compile(r"[^\s,;:()\[\]]*[=_.()\[\]*/][^\s,;:]*")
_KEPT_ENGLISH = re.compile(r"[\w.]+, tuned lr|[\w.]+ at (?:the valley|min / 10|the steepest point)|valley|min / 10")
"""English on purpose: the comparison labels of lrutils.training.range_compare are keys the code looks up
(``with_baseline("constant, tuned lr")``; their ko.toml entries are the English), and the glossary keeps
fastai's rule names (valley, min / 10)."""


def english_words(text: str) -> list[str]:
    """The lower-case English words of ``text`` outside code.

    >>> english_words("T_max=24, per optimizer step"), english_words("lrutils.lr_curve (numpy)")
    (['per', 'optimizer', 'step'], [])
    >>> english_words("constant, tuned lr (0.1): 평균 0.4839")
    []
    """
    prose = _CODE.sub(" ", _KEPT_ENGLISH.sub(" ", text))
    return [w for w in re.findall(r"[A-Za-z]+", prose) if w.islower() and len(w) >= 2]


def figure_texts(path: Path) -> list[str]:
    """Every text of every figure ``path`` shows when run top to bottom, in order, without repeats."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "texts.jsonl"
        log.touch()
        nb = nbformat.read(path, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(_RECORD.format(log=str(log))))
        client = NotebookClient(
            nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(path.parent)}}
        )
        client.execute()
        texts = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return list(dict.fromkeys(texts))


def main(paths: list[str]) -> int:
    notebooks = [Path(p) for p in paths] or sorted(KO_DIR.glob("*.ipynb"))
    listed = 0
    for path in notebooks:
        for text in figure_texts(path):
            if len(english_words(text)) >= 2:
                print(f"{path.name}: {text!r}")
                listed += 1
    print(f"{listed} figure text(s) in English in {len(notebooks)} notebook(s)")
    return 1 if listed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
