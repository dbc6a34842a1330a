"""The one error a refresh raises, so the command line can report it in a single line."""

from __future__ import annotations


class RefreshError(RuntimeError):
    """A refresh or diff could not be completed; ``data/`` is left as it was."""
