"""The parameters of a chapter that papermill reruns: a value that does not fit is one line, not a traceback.

The trends and own-country chapters take their parameters from papermill's
injected cell. Their first code cell checks them inside
:func:`checked_parameters`; a ``ValueError`` raised there (the validation rules
live in :mod:`sinoiran.analysis.trends`) becomes a :class:`ParameterError`,
which IPython shows as the one line ``ParameterError: window=0: must be ...``
instead of some sixty lines of traceback through the package. ``python -m
sinoiran report`` prints that line alone and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class ParameterError(ValueError):
    """A chapter parameter that does not fit the data; the message says which and what to change."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for it: one line (IPython calls this instead of formatting a traceback)."""
        return [f"{type(self).__name__}: {self}"]


@contextmanager
def checked_parameters() -> Iterator[None]:
    """Check a chapter's parameters inside this block: a ``ValueError`` becomes a one-line ParameterError."""
    try:
        yield
    except ParameterError:
        raise
    except ValueError as err:
        raise ParameterError(str(err)) from None
