"""Tables that read well in JupyterLab (HTML) and stay stable for strict nbval (fixed-width text).

A :class:`Table` is shown as an HTML table in a notebook (``_repr_html_``) and as aligned plain
text everywhere else (``__repr__``, ``str``): the text form is what strict nbval compares and what
a code host shows, so every cell is a string the caller formatted with fixed precision.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass


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
        """Aligned plain text: caption, header, rows, then notes."""
        columns = list(zip(self.header, *self.rows, strict=True))
        widths = [max(len(cell) for cell in column) for column in columns]

        def line(cells: Sequence[str]) -> str:
            parts = [cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
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
                out.append(f"<{tag} style='text-align:{align}; white-space:nowrap'>{html.escape(c)}</{tag}>")
            return "".join(out)

        head = f"<thead><tr>{cells('th', self.header)}</tr></thead>"
        body = "".join(f"<tr>{cells('td', row)}</tr>" for row in self.rows)
        caption = f"<caption style='caption-side:top; text-align:left'>{html.escape(self.caption)}</caption>"
        notes = "".join(f"<div style='font-size:90%'>{html.escape(n)}</div>" for n in self.notes)
        table = f"<table class='lrutils-table'>{caption if self.caption else ''}{head}<tbody>{body}</tbody></table>"
        return table + notes


__all__ = ["Table"]
