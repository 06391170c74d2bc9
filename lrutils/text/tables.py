"""Tables that read well in JupyterLab (HTML) and stay stable for strict nbval (fixed-width text).

A :class:`Table` is shown as an HTML table in a notebook (``_repr_html_``) and as aligned plain
text everywhere else (``__repr__``, ``str``): the text form is what strict nbval compares and what
a code host shows, so every cell is a string the caller formatted with fixed precision.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_INTERVAL = re.compile(r"^(.*\S) (\[[^\[\]]*\])$")
"""A cell that ends in a bracketed part: ``0.4385 [0.4268, 0.4501]``, ``final val loss [95% CI]``."""


def _nowrap(text: str) -> str:
    return f"<span style='white-space:nowrap'>{html.escape(text)}</span>"


WORD_START = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
"""Where a CamelCase name may break: ``Cosine|Annealing|Warm|Restarts``, ``Reduce|LR|On|Plateau``."""


def _html_label(text: str) -> str:
    """A row label's HTML: it may break between words, and inside a CamelCase scheduler name where a
    word starts (``<wbr>``), only when the column is too narrow for it on one line.

    >>> _html_label("ReduceLROnPlateau, tuned")
    'Reduce<wbr>LR<wbr>On<wbr>Plateau, tuned'
    """
    return "".join(
        ("<wbr>".join(WORD_START.split(part)) if len(part) > 12 else part)
        for part in re.split(r"(\s+)", html.escape(text))
    )


def _html_cell(text: str, header: bool = False) -> str:
    """A cell's HTML: a number is never broken; a line breaks only between a value and its
    bracketed interval and, in a header, between words (a bracketed part stays whole).

    A narrow notebook column (a projector) then shows the interval under its value instead of
    pushing the table's last columns out of sight; a wide one keeps each cell on one line.

    >>> _html_cell("0.4385 [0.4268, 0.4501]")
    "<span style='white-space:nowrap'>0.4385</span> <span style='white-space:nowrap'>[0.4268, 0.4501]</span>"
    >>> _html_cell("(baseline)")
    "<span style='white-space:nowrap'>(baseline)</span>"
    >>> _html_cell("final val loss [95% CI]", header=True)
    "final val loss <span style='white-space:nowrap'>[95% CI]</span>"
    """
    match = _INTERVAL.match(text)
    main, interval = (text, "") if match is None else match.groups()
    out = html.escape(main) if header else _nowrap(main)
    return out + (f" {_nowrap(interval)}" if interval else "")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font: wide characters (Hangul, CJK) take two.

    >>> display_width("loss"), display_width("손실")
    (4, 4)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int, left: bool) -> str:
    """``text`` padded with spaces to ``width`` display columns, on the right (``left``) or the left.

    >>> pad("손실", 6, left=False)
    '  손실'
    """
    fill = " " * max(0, width - display_width(text))
    return text + fill if left else fill + text


@dataclass(frozen=True)
class Table:
    """Rows of pre-formatted cells under a header; the first column is left-aligned, the rest right.

    >>> t = Table(["schedule", "loss"], [["constant", "0.4544"], ["StepLR", "0.4385"]])
    >>> print(t)
    schedule    loss
    constant  0.4544
    StepLR    0.4385
    """

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""
    notes: Sequence[str] = ()

    def __post_init__(self) -> None:
        width = len(self.header)
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"every row needs {width} cells (one per header), got {len(row)}: {row!r}")

    def text(self) -> str:
        """Aligned plain text: caption, header, rows, then notes (Hangul counts two columns wide).

        >>> print(Table(["스케줄", "손실"], [["constant", "0.4544"]]).text())
        스케줄      손실
        constant  0.4544
        """
        columns = list(zip(self.header, *self.rows, strict=True))
        widths = [max(display_width(cell) for cell in column) for column in columns]

        def line(cells: Sequence[str]) -> str:
            parts = [pad(cells[0], widths[0], left=True)]
            parts += [pad(c, w, left=False) for c, w in zip(cells[1:], widths[1:], strict=True)]
            return "  ".join(parts).rstrip()

        lines = ([self.caption] if self.caption else []) + [line(self.header)] + [line(r) for r in self.rows]
        return "\n".join(lines + list(self.notes))

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        def cells(tag: str, row: Sequence[str]) -> str:
            out = []
            for i, c in enumerate(row):
                align = "left" if i == 0 else "right"
                content = _html_cell(c, header=tag == "th") if i else _html_label(c)
                out.append(f"<{tag} style='text-align:{align}'>{content}</{tag}>")
            return "".join(out)

        head = f"<thead><tr>{cells('th', self.header)}</tr></thead>"
        body = "".join(f"<tr>{cells('td', row)}</tr>" for row in self.rows)
        caption = f"<caption style='caption-side:top; text-align:left'>{html.escape(self.caption)}</caption>"
        notes = "".join(f"<div style='font-size:90%'>{html.escape(n)}</div>" for n in self.notes)
        table = f"<table class='lrutils-table'>{caption if self.caption else ''}{head}<tbody>{body}</tbody></table>"
        return table + notes


__all__ = ["Table", "display_width", "pad"]
