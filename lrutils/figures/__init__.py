"""Everything lrutils draws as a matplotlib Figure, in one style.

- :mod:`~lrutils.figures.style`: sizes, fonts and colours that read on a projector; :mod:`~lrutils.figures.language`:
  the Hangul font for the Korean edition (``fonts/``, SIL OFL);
- :mod:`~lrutils.figures.curves`: general lr-curve figures;
- :mod:`~lrutils.figures.results`: training runs and multi-seed comparisons (what
  ``History.plot``, ``Comparison.plot`` and ``Tuning.plot`` draw);
- one module per notebook topic (:mod:`intro`, :mod:`decay`, :mod:`cosine`, :mod:`plateau`,
  :mod:`onecycle`, :mod:`side_by_side`, :mod:`warmup`, :mod:`restarts`, :mod:`cyclic`,
  :mod:`range_test`, :mod:`loops`, :mod:`cheat_sheet`), so that a notebook cell that draws shows one idea
  in a few lines.

Layer 2: imports :mod:`lrutils.curves` and :mod:`lrutils.text`. Figures of training results take
the result objects (duck-typed) and never train, so :mod:`lrutils.training` can draw with them.
Every function returns a Figure and never calls ``plt.show()``.
"""
