"""Running a learner's function inside a checker: whatever it does, the checker gets an outcome in time.

:func:`run_learner` calls the function and keeps what it returned, or the exception it raised,
or that it was stopped after :data:`TIME_LIMIT` seconds. The time limit is a ``SIGALRM`` timer
(``signal.setitimer``), available on the main thread of Linux and macOS (where notebooks and
tests run their cells); the timer and the handler that were there before are put back. Where
there is no such timer (Windows, another thread) only the loop checker's step budget stops a loop.

>>> run_learner(lambda x: x + 1, 1).value
2
>>> run_learner(lambda: 1 / 0).error
ZeroDivisionError('division by zero')
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

TIME_LIMIT = 5.0
"""Seconds a learner's function may run inside a checker (the exercises' own take milliseconds)."""


class OutOfTime(BaseException):
    """Raised inside the learner's code when its time is up.

    A ``BaseException``, so that the learner's ``except Exception`` lets it through.
    """


def can_time_out() -> bool:
    """Whether :func:`time_limit` can stop code here: a ``SIGALRM`` timer on the main thread.

    >>> isinstance(can_time_out(), bool)
    True
    """
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`OutOfTime` inside the block once it has run ``seconds`` (and again every 0.1 s until it ends,
    in case the code swallows it). Does nothing where :func:`can_time_out` is False.

    >>> with time_limit(1.0):
    ...     total = sum(range(10))
    >>> total
    45
    """
    if not can_time_out():
        yield
        return
    armed = True

    def ring(signum: int, frame: Any) -> None:
        if armed:
            raise OutOfTime()

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, ring)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler if previous_handler is not None else signal.SIG_DFL)
        if previous_delay > 0:  # someone else's timer was running: let it go off when it would have
            left = max(previous_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)


@dataclass
class Outcome:
    """What a learner's function did: returned ``value``, raised ``error``, or ran out of time."""

    value: Any = None
    error: Exception | None = None
    out_of_time: bool = False

    @property
    def returned(self) -> bool:
        """It returned (neither raised nor ran out of time)."""
        return self.error is None and not self.out_of_time


def run_learner(fn: Callable[..., Any], *args: Any, seconds: float | None = None) -> Outcome:
    """Call ``fn(*args)`` with a time limit (default :data:`TIME_LIMIT`): an exception it raises is kept, not raised.

    ``KeyboardInterrupt`` and other ``BaseException``\\s that are not the time limit's pass through.

    >>> run_learner(int, "x").error
    ValueError("invalid literal for int() with base 10: 'x'")
    """
    try:
        with time_limit(TIME_LIMIT if seconds is None else seconds):
            return Outcome(value=fn(*args))
    except OutOfTime:
        return Outcome(out_of_time=True)
    except Exception as err:  # the learner's code: report it, do not crash the notebook
        return Outcome(error=err)


__all__ = ["TIME_LIMIT", "OutOfTime", "Outcome", "can_time_out", "run_learner", "time_limit"]
