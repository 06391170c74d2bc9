"""The explorer's picture: panels stacked on one x axis, sized in screen pixels, rendered at 2x.

One figure inch is 72 CSS pixels, so a font of 12 points is 12 CSS pixels tall where the browser
shows the picture at its CSS size (``css_size``); the PNG has ``DENSITY`` times as many pixels
(crisp on high-density screens and projectors, never stretched). Margins are fixed in pixels,
so nothing is re-laid out on a slider move. The smallest font in PNG pixels travels with the PNG
(a ``tEXt`` chunk, :data:`FONT_KEY`), so a browser test can check it at the displayed size.
"""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Sequence

import numpy as np
import PIL.Image
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import FigureImage
from matplotlib.text import Text
from matplotlib.ticker import NullFormatter
from PIL.PngImagePlugin import PngInfo

from ..figures.style import PlainLogFormatter

DENSITY = 2
"""PNG pixels per CSS pixel."""
FONT_PX = 12
"""Every text in the picture, in CSS pixels at the picture's CSS size (a projector needs >= 10)."""
WIDTH_PX = 540
MARGINS_PX = {"left": 76, "right": 14, "top": 6, "bottom": 42, "gap": 8}
LEGEND_ROW_PX = 20
"""Each panel's legend sits in a row above it, off the data."""
FONT_KEY = "lrutils:min-font-png-px"
"""PNG text chunk: the smallest font of the picture, in PNG pixels."""
PNG_OPTIONS = {"compress_level": 1, "compress_type": zlib.Z_RLE}  # fastest; plots are runs of one colour


class ExplorerFigure:
    """Panels of the given heights (CSS pixels) sharing one x axis, styled for reading at a distance.

    ``legend_rows[i]`` legend rows are kept free above panel ``i`` (see :meth:`legend`).

    >>> fig = ExplorerFigure([150, 110], legend_rows=[2, 1])
    >>> fig.css_size, len(fig.axes)
    ((540, 376), 2)
    """

    def __init__(self, heights: Sequence[int], xlabel: str = "", legend_rows: Sequence[int] | None = None) -> None:
        m = MARGINS_PX
        rows = list(legend_rows) if legend_rows is not None else [1] * len(heights)
        above = [(m["top"] if i == 0 else m["gap"]) + LEGEND_ROW_PX * r for i, r in enumerate(rows)]
        height = sum(above) + sum(heights) + m["bottom"]
        self.css_size = (WIDTH_PX, int(height))
        self.figure = Figure(figsize=(WIDTH_PX / 72, height / 72), dpi=72 * DENSITY)
        self.canvas = FigureCanvasAgg(self.figure)
        self._background, self._background_key, self._still_font = None, None, math.inf
        self._moving: list[Artist] = []
        self._legends: dict[Axes, tuple[FigureImage, tuple[str, ...], list[Text]]] = {}
        self.axes: list[Axes] = []
        top = height
        for i, (panel, gap) in enumerate(zip(heights, above, strict=True)):
            top -= gap + panel
            rect = (m["left"] / WIDTH_PX, top / height, 1 - (m["left"] + m["right"]) / WIDTH_PX, panel / height)
            ax = self.figure.add_axes(rect, sharex=self.axes[0] if self.axes else None)
            ax.tick_params(labelsize=FONT_PX, which="both")  # stored: ticks made later get it too
            ax.yaxis.get_offset_text().set_fontsize(FONT_PX)
            ax.grid(True, alpha=0.3)
            if i < len(heights) - 1:
                ax.tick_params(labelbottom=False)
            self.axes.append(ax)
        self.axes[-1].set_xlabel(xlabel, fontsize=FONT_PX)

    def legend(self, ax: Axes, handles: Sequence[Artist], ncols: int | None = None) -> None:
        """A frameless legend in the row(s) above ``ax``, replacing the one it had.

        A legend is the slowest thing to draw and never changes with a slider, so it is drawn
        once, on a figure of its own at the same density, and pasted as pixels (``figimage``).
        """
        if ax in self._legends:
            self._legends.pop(ax)[0].remove()
        sheet = Figure(figsize=(WIDTH_PX / 72, 1.0), dpi=self.figure.dpi)
        legend = sheet.legend(
            handles=list(handles),
            loc="lower left",
            ncols=ncols or max(len(handles), 1),
            frameon=False,
            fontsize=FONT_PX,
            borderaxespad=0.0,
            borderpad=0.1,
            handlelength=1.6,
            handletextpad=0.4,
            columnspacing=1.0,
            labelspacing=0.2,
        )
        for handle in legend.legend_handles:  # copies of artists that may be animated (see png)
            handle.set_animated(False)
        rows = math.ceil(len(handles) / (ncols or max(len(handles), 1)))
        sheet.set_size_inches(WIDTH_PX / 72, rows * LEGEND_ROW_PX / 72)
        canvas = FigureCanvasAgg(sheet)
        canvas.draw()
        box = legend.get_window_extent().padded(2)
        pixels = np.asarray(canvas.buffer_rgba())
        height = pixels.shape[0]
        crop = pixels[max(0, int(height - box.y1)) : int(height - box.y0), max(0, int(box.x0)) : int(box.x1) + 1]
        left = int(ax.bbox.x0 - DENSITY * 3)  # the legend's handles start just left of the frame
        bottom = int(ax.bbox.y1 + DENSITY * 2)
        image = self.figure.figimage(crop.copy(), xo=left, yo=bottom, origin="upper", zorder=3)
        self._legends[ax] = (image, tuple(t.get_text() for t in legend.get_texts()), legend.get_texts())

    def legend_texts(self) -> list[Text]:
        """The texts of every legend (drawn on their own small figures, see :meth:`legend`)."""
        return [text for _, _, texts in self._legends.values() for text in texts]

    def set_log(self, ax: Axes, log: bool) -> None:
        """Switch ``ax``'s y axis between linear and log, with plain-text log labels (only when it changes)."""
        if ax.get_yscale() == ("log" if log else "linear"):
            return
        ax.set_yscale("log" if log else "linear")
        if log:  # plain 0.001, as in every lrutils figure: no superscripts at 70 % size
            ax.yaxis.set_major_formatter(PlainLogFormatter())
            ax.yaxis.set_minor_formatter(NullFormatter())

    def min_font_px(self, texts: Sequence[Text] | None = None) -> float:
        """The smallest font among visible texts (all of the figure's by default), in PNG pixels; inf if none.

        Tick labels get their text in a draw, so measure after :meth:`png`.

        >>> fig = ExplorerFigure([150], xlabel="epoch")
        >>> _ = fig.png()
        >>> fig.min_font_px() == FONT_PX * DENSITY
        True
        """
        texts = [*self.figure.findobj(Text), *self.legend_texts()] if texts is None else texts
        sizes = [
            t.get_fontsize() * (0.7 if "$" in t.get_text() else 1.0)  # mathtext scripts are smaller
            for t in texts
            if t.get_visible() and t.get_text().strip()
        ]
        return float(min(sizes, default=math.inf)) * self.figure.dpi / 72

    def _still_key(self) -> tuple:
        """Everything the drawn-once background depends on: limits, scales, labels, legend entries."""
        key = []
        for ax in self.axes:
            entries = self._legends[ax][1] if ax in self._legends else ()
            key.append((ax.get_xlim(), ax.get_ylim(), ax.get_yscale(), ax.get_ylabel(), entries))
        return tuple(key)

    def set_moving(self, moving: Sequence[Artist]) -> None:
        """Which artists move from one slider move to the next, without rendering (see :meth:`png`)."""
        self._moving = list(moving)

    def png(self, moving: Sequence[Artist] | None = None, fresh: bool = False) -> bytes:
        """Draw and encode the picture as PNG, with :data:`FONT_KEY` in a text chunk.

        ``moving``: the artists whose data change from one slider move to the next (kept from the
        last call if None). Everything else (frames, ticks, labels, legends) is drawn once and its
        pixels reused while limits, scales and labels stay the same: a move then costs a few
        lines, not a figure. ``fresh=True`` redraws everything (after drawing into the figure).

        >>> ExplorerFigure([150]).png()[:4]
        b'\\x89PNG'
        """
        if moving is not None:
            self.set_moving(moving)
        key = self._still_key()
        if fresh or key != self._background_key:
            for artist in self._moving:
                artist.set_animated(True)  # left out of the background, drawn on top of it below
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._background_key = key
            still = [t for t in self.figure.findobj(Text) if not t.get_animated()]
            self._still_font = self.min_font_px([*still, *self.legend_texts()])
        else:
            self.canvas.restore_region(self._background)
        for artist in self._moving:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        moving_texts = [a for a in self._moving if isinstance(a, Text)]
        font = min(self._still_font, self.min_font_px(moving_texts))
        info = PngInfo()
        info.add_text(FONT_KEY, f"{font:g}")
        width, height = self.canvas.get_width_height(physical=True)
        image = PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="png", pnginfo=info, **PNG_OPTIONS)  # opaque: no alpha needed
        return buffer.getvalue()


def step_xlim(ax: Axes, n_steps: int) -> None:
    """x from step 0 to the last step (at least one step wide)."""
    ax.set_xlim(0, max(n_steps - 1, 1))


def finite_ylim(ax: Axes, values: np.ndarray, pad: float = 0.1) -> None:
    """y limits around the finite values, padded; left alone if there are none."""
    finite = values[np.isfinite(values)]
    if finite.size:
        low, high = float(finite.min()), float(finite.max())
        margin = (high - low) * pad or max(abs(high) * pad, 0.05)
        ax.set_ylim(low - margin, high + margin)


LOG_MANTISSAS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)
"""Values per decade on a log slider (steps of x1.2 to x1.33, and every round number people type);
with 10, the round limits of an lr axis."""
NICE_MANTISSAS = (*LOG_MANTISSAS, 10)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10**k that is >= ``value`` (> 0).

    An axis ending there stays put while a slider moves the curve a little: the learner sees the
    curve move against a still axis, and the explorer can reuse the drawn axes (ExplorerFigure.png).

    >>> nice_ceiling(0.108), nice_ceiling(0.5), nice_ceiling(2.6e-3)
    (0.12, 0.5, 0.003)
    """
    exponent = math.floor(math.log10(value))
    for mantissa in NICE_MANTISSAS:
        candidate = float(f"{mantissa}e{exponent}")
        if candidate >= value * (1 - 1e-12):
            return candidate
    return float(f"1e{exponent + 1}")


def compact_png(png: bytes) -> bytes:
    """The same pixels and text chunks, compressed hard: for a picture saved once in a notebook.

    >>> fig = ExplorerFigure([150])
    >>> png = fig.png()
    >>> small = compact_png(png)
    >>> len(small) <= len(png), PIL.Image.open(io.BytesIO(small)).text == PIL.Image.open(io.BytesIO(png)).text
    (True, True)
    """
    image = PIL.Image.open(io.BytesIO(png))
    info = PngInfo()
    for key, value in image.text.items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    image.save(buffer, format="png", pnginfo=info, compress_level=9)
    return buffer.getvalue()
