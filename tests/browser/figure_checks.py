"""What a browser can check about every figure a notebook shows (used by test_jupyterlab.py).

In a 1366x768 window, for every image in the notebook's outputs (matplotlib figures and the
explorers' pictures):

- it is shown at most :data:`MAX_WIDTH` x :data:`MAX_HEIGHT` CSS px, so a room sees it whole on
  a 1366x768 (or 1280x720) screen;
- scrolled to its top, it fits in the visible part of the notebook (under JupyterLab's bars);
- it is shown at its own size, not shrunk to the column: the text sizes that
  ``tests/test_figures_readable.py`` measures in Python (>= 10 px) are then what the screen shows.
  The explorers' pictures carry their smallest font in the PNG (``explorer_checks``).
"""

from __future__ import annotations

from typing import Any

MAX_WIDTH = 720
MAX_HEIGHT = 520
IMAGES = ".jp-Notebook .jp-Cell .jp-OutputArea-output img"

# Every output image: its cell, its size as shown and as meant, and (after scrolling it to the
# top of the notebook) whether it fits in the notebook's visible area.
JS_FIGURES = """async (selector) => {
    const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
    const scroller = document.querySelector('.jp-WindowedPanel-outer') || document.querySelector('.jp-NotebookPanel');
    const out = [];
    for (const img of Array.from(document.querySelectorAll(selector))) {
        if (img.offsetParent === null) continue;  // not shown (a hidden static copy)
        if (!img.complete) await new Promise((ok) => { img.onload = ok; img.onerror = ok; });
        img.scrollIntoView({block: 'start'});
        await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
        const box = img.getBoundingClientRect();
        const view = scroller.getBoundingClientRect();
        const cell = img.closest('.jp-Cell');
        out.push({
            cell: cells.indexOf(cell),
            explorer: img.classList.contains('lrutils-plot'),
            width: box.width, height: box.height, top: box.top, bottom: box.bottom,
            meantWidth: img.hasAttribute('width') ? parseFloat(img.getAttribute('width')) : null,
            naturalWidth: img.naturalWidth,
            visibleTop: view.top, visibleBottom: Math.min(view.bottom, window.innerHeight),
        });
    }
    return out;
}"""


def figure_problems(figures: list[dict[str, Any]]) -> list[str]:
    """What is wrong with each shown figure (see the module docstring); [] if nothing.

    >>> ok = {"cell": 3, "explorer": False, "width": 711, "height": 498, "top": 120, "bottom": 618,
    ...       "meantWidth": 711, "naturalWidth": 1422, "visibleTop": 120, "visibleBottom": 768}
    >>> figure_problems([ok])
    []
    >>> figure_problems([{**ok, "height": 668, "bottom": 788}])[0]
    'cell 3: figure shown 711 x 668 px, more than 720 x 520'
    """
    problems = []
    for f in figures:
        what = f"cell {f['cell']}: {'explorer picture' if f['explorer'] else 'figure'}"
        if f["width"] > MAX_WIDTH + 0.5 or f["height"] > MAX_HEIGHT + 0.5:
            problems.append(
                f"{what} shown {f['width']:.0f} x {f['height']:.0f} px, more than {MAX_WIDTH} x {MAX_HEIGHT}"
            )
        elif f["top"] < f["visibleTop"] - 1 or f["bottom"] > f["visibleBottom"] + 1:
            problems.append(
                f"{what} not whole on the screen: {f['top']:.0f}-{f['bottom']:.0f} px, visible "
                f"{f['visibleTop']:.0f}-{f['visibleBottom']:.0f}"
            )
        meant = f["meantWidth"] if f["meantWidth"] is not None else (None if f["explorer"] else f["naturalWidth"])
        if meant is not None and f["width"] < meant - 1:
            problems.append(f"{what} shrunk to {f['width']:.0f} px from {meant:.0f}: its text is smaller than drawn")
    return problems


def check_figures(page: Any, label: str) -> int:
    """Every image the notebook shows fits and reads (see the module docstring); returns how many were checked."""
    figures = page.evaluate(JS_FIGURES, IMAGES)
    problems = figure_problems(figures)
    assert not problems, f"{label}: " + "\n".join(problems)
    return len(figures)
