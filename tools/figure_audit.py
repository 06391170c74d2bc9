"""Print every figure the notebooks show, at its displayed size, and flag what a room cannot read whole.

Usage: python tools/figure_audit.py [notebooks/*.ipynb]   (default: every notebooks/*.ipynb)

For each ``image/png`` output saved in a notebook: notebook, cell index, displayed width x height
in CSS pixels, and the cell's first line. The displayed size is the output's ``width``/``height``
metadata (retina PNGs carry it: JupyterLab shows them at half their pixels), else the PNG header's
size (JupyterLab shows a PNG without metadata at one CSS pixel per pixel). An explorer's
saved picture is marked ``explorer``: in JupyterLab the live widget is shown instead, beside its
controls. A figure wider than :data:`MAX_WIDTH` or taller than :data:`MAX_HEIGHT` is flagged
``TOO BIG``; the exit status is 1 if any is.
"""

from __future__ import annotations

import base64
import json
import struct
import sys
from pathlib import Path

MAX_WIDTH = 720
MAX_HEIGHT = 520
"""Whole on a 1366x768 (or 1280x720) screen under JupyterLab's bars, in a 720 px column."""
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
REPO = Path(__file__).resolve().parents[1]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk.

    >>> header = b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00\\x00\\x00\\rIHDR"
    >>> png_size(header + (3).to_bytes(4, "big") + (2).to_bytes(4, "big"))
    (3, 2)
    """
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG (no IHDR chunk first)")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def displayed_size(output: dict) -> tuple[int, int]:
    """(width, height) in CSS pixels at which JupyterLab shows an output's ``image/png``."""
    meta = output.get("metadata", {}).get("image/png", {})
    if "width" in meta and "height" in meta:
        return int(meta["width"]), int(meta["height"])
    return png_size(base64.b64decode(output["data"]["image/png"]))


def figures(path: Path) -> list[dict]:
    """One row per saved ``image/png`` output of the notebook at ``path``."""
    notebook = json.loads(path.read_text())
    rows = []
    for index, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            width, height = displayed_size(output)
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            first = next((line for line in source.splitlines() if line.strip() and not line.startswith("#")), "")
            rows.append(
                {
                    "notebook": path.name,
                    "cell": index,
                    "width": width,
                    "height": height,
                    "kind": "explorer" if WIDGET_MIME in data else "figure",
                    "source": first.strip(),
                    "too_big": width > MAX_WIDTH or height > MAX_HEIGHT,
                }
            )
    return rows


def main(argv: list[str]) -> int:
    """Print the table; return 1 if a figure is too big to be read whole."""
    paths = [Path(a) for a in argv] or sorted((REPO / "notebooks").glob("*.ipynb"))
    rows = [row for path in paths for row in figures(path)]
    print(f"{'notebook':32} {'cell':>4} {'W x H (CSS px)':>14}  {'kind':8}  first line of the cell")
    for row in rows:
        flag = "  TOO BIG" if row["too_big"] else ""
        size = f"{row['width']} x {row['height']}"
        print(f"{row['notebook']:32} {row['cell']:>4} {size:>14}  {row['kind']:8}  {row['source'][:60]}{flag}")
    big = [row for row in rows if row["too_big"]]
    print(f"{len(rows)} figures, {len(big)} larger than {MAX_WIDTH} x {MAX_HEIGHT}")
    return 1 if big else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
