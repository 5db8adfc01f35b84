"""The errors the library raises: each message is one line that says what to do."""

from __future__ import annotations

import numpy as np


class Bands2VecError(Exception):
    """Base class: the command line prints these as one line, without a traceback."""


class DataError(Bands2VecError, ValueError):
    """A data file is missing, unreadable, of the wrong schema or empty."""


class UnknownArtistError(Bands2VecError, KeyError):
    """A name that is not in the vocabulary; the message lists the closest names."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class ModelFileError(Bands2VecError, ValueError):
    """A model file that is not a Bands2Vec model, or belongs to other data."""


def is_whole_number(value: object) -> bool:
    """True for a Python or NumPy integer; ``True`` and ``False`` do not count as numbers."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)
