"""What a learner reads besides figures: tables, progress bars, messages.

- :mod:`~lrutils.text.tables`: :class:`~lrutils.text.tables.Table`, HTML in JupyterLab and fixed-width
  text for strict nbval;
- :mod:`~lrutils.text.progress`: a progress bar whose text form never changes;
- :mod:`~lrutils.text.suggest`: the "did you mean" hint of every error that lists what is accepted.

Layer 0: imports nothing from the rest of lrutils, so every other package may use it.
"""
