"""Draw the README's picture: the blog's five sketches next to what torch does with the same settings.

    .venv/bin/python tools/readme_figure.py           # writes docs/readme_schedulers.png
    .venv/bin/python tools/readme_figure.py --check   # exit 1 if the saved file differs

Colour-blind safe: the Okabe-Ito palette plus a different line style per scheduler, so every curve
can be told apart without colour (and in greyscale). 7 x 4.2 inches at 100 dpi is 700 x 420 px as the
README shows it (``<img width="700">``); the file has twice the pixels, so it stays crisp. The
smallest text is 10 pt, 14 px as shown.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from lrutils.curves.blog import BLOG_EPOCHS, blog_sketch, blog_torch_curve
from lrutils.curves.table import BLOG_SCHEDULERS
from lrutils.figures.style import DPI, RC_PARAMS, SCHEDULE_LOOKS, SMALL_FONT

OUT = Path(__file__).resolve().parents[1] / "docs" / "readme_schedulers.png"
SIZE_INCHES = (7.0, 4.2)
PIXEL_DENSITY = 2  # file pixels per displayed pixel

# The series' own looks (lrutils.figures.style: Okabe-Ito colours at 3:1 on white, a line style each).
LOOKS = {name: (SCHEDULE_LOOKS[name].color, SCHEDULE_LOOKS[name].linestyle) for name in BLOG_SCHEDULERS}
STAIRCASES = ("StepLR", "ReduceLROnPlateau")


def readme_figure() -> Figure:
    """Two panels, one legend below: the blog's sketches and torch's real curves, lr 0.1, 100 epochs.

    >>> fig = readme_figure()
    >>> [ax.get_title() for ax in fig.axes], fig.get_size_inches().tolist()
    (["the blog's sketches", 'what torch really does'], [7.0, 4.2])
    """
    import matplotlib

    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
        left, right = fig.subplots(1, 2, sharey=True)
        epochs = np.arange(BLOG_EPOCHS)
        for ax, curve, title in (
            (left, blog_sketch, "the blog's sketches"),
            (right, blog_torch_curve, "what torch really does"),
        ):
            for name in BLOG_SCHEDULERS:
                color, style = LOOKS[name]
                draw = "steps-post" if name in STAIRCASES else "default"
                ax.plot(epochs, curve(name), color=color, linestyle=style, linewidth=2.2, drawstyle=draw)
            ax.set_title(title)
            ax.set_xlabel("epoch")
            ax.set_xlim(0, BLOG_EPOCHS - 1)
        left.set_ylabel("learning rate")
        handles = [Line2D([], [], color=LOOKS[n][0], linestyle=LOOKS[n][1], linewidth=2.2) for n in BLOG_SCHEDULERS]
        fig.legend(handles, BLOG_SCHEDULERS, loc="outside lower center", ncols=3, frameon=False, fontsize=SMALL_FONT)
    return fig


def png_bytes() -> bytes:
    """The README's PNG, byte for byte (no timestamp or version in its metadata)."""
    buffer = io.BytesIO()
    readme_figure().savefig(buffer, format="png", dpi=DPI * PIXEL_DENSITY, metadata={"Software": None})
    return buffer.getvalue()


def main(check: bool = False) -> None:
    if check:
        if not OUT.exists() or OUT.read_bytes() != png_bytes():
            sys.exit(f"{OUT} is not what tools/readme_figure.py draws: run it and commit the picture")
        return
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_bytes(png_bytes())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(check="--check" in sys.argv[1:])
