"""Figures for one notebook topic each (``lrutils.figures.plateau``, ...), so that a notebook cell
that draws shows one idea in a few lines. General figures live in :mod:`lrutils.plotting` and
:mod:`lrutils.training_plots`; all follow :mod:`lrutils.style`.
"""
