"""The vocabulary: artists sorted by number of reviews, ids both ways, one-hot vectors.

>>> vocab = Vocabulary(["b", "a", "c"], counts=[1, 5, 3])
>>> vocab.names, vocab.id("a"), vocab.name(2)
(('a', 'c', 'b'), 0, 'b')
>>> vocab.one_hot(["c"]).tolist()
[[0.0, 1.0, 0.0]]
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import UnknownArtistError


def normal_name(name: str) -> str:
    """Lower case with single spaces: how names are compared when no exact match exists."""
    return " ".join(str(name).lower().split())


def closest_names(name: str, names: Sequence[str], n: int = 3) -> list[str]:
    """The names that look most like ``name`` (for error messages)."""
    return difflib.get_close_matches(normal_name(name), list(names), n=n, cutoff=0.5)


def unknown_artist(name: object, names: Sequence[str]) -> UnknownArtistError:
    """The error for a name that is not in ``names``, listing the closest ones."""
    close = closest_names(str(name), names)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return UnknownArtistError(f"unknown artist {name!r}{hint}")


class Vocabulary:
    """Artist names sorted by count (most reviewed first, ties by name), with ids.

    The order makes ids stable and id 0 the most reviewed artist. It is not what
    TensorFlow's log-uniform noise sampler assumes: that needs ids sorted by how often
    each occurs as a *context* in the training pairs, and a Zipf law over those counts.
    The library's context counts follow the sizes of an artist's groups, not its reviews,
    so it samples noise from the counts themselves (the unigram sampler, lesson 3).

    Parameters
    ----------
    names
        The artists.
    counts
        How often each occurs (reviews per artist); the order follows from it.
    sort
        ``False`` keeps the names in the order given (see :meth:`first_seen`).
    """

    def __init__(self, names: Iterable[str], counts: Iterable[int], *, sort: bool = True):
        names = list(names)
        counts = np.asarray(counts if isinstance(counts, np.ndarray) else list(counts), dtype=np.int64)
        if len(names) != len(counts):
            raise ValueError(f"{len(names)} names but {len(counts)} counts")
        if sort:
            order = sorted(range(len(names)), key=lambda i: (-counts[i], names[i]))
            names, counts = [names[i] for i in order], counts[order]
        self.names: tuple[str, ...] = tuple(names)
        self.counts: np.ndarray = counts
        self._ids = dict(zip(self.names, range(len(self.names)), strict=True))
        if len(self._ids) != len(self.names):
            raise ValueError("the names of a vocabulary must be distinct")

    @functools.cached_property
    def _normal(self) -> dict[str, str]:
        """Each normalised name's first name (made when a name is first looked up loosely)."""
        normal: dict[str, str] = {}
        for name in self.names:
            normal.setdefault(normal_name(name), name)
        return normal

    @classmethod
    def from_artists(cls, artists: pd.DataFrame) -> Vocabulary:
        """The vocabulary of an artist table (see :func:`~bands2vec_lib.data.artist_table`)."""
        return cls(artists.index, artists["n_reviews"])

    @classmethod
    def first_seen(cls, reviews: pd.DataFrame) -> Vocabulary:
        """The artists of cleaned reviews with ids in the order each first appears.

        The original article's ids came in this order (its SQL join's), not sorted by
        count; lesson 7 measures what that cost with TensorFlow's log-uniform sampler.

        >>> reviews = pd.DataFrame({"artist": ["b", "a", "b", "c"]})
        >>> Vocabulary.first_seen(reviews).names, Vocabulary.first_seen(reviews).counts.tolist()
        (('b', 'a', 'c'), [2, 1, 1])
        """
        counts = reviews["artist"].value_counts(sort=False)
        names = list(dict.fromkeys(reviews["artist"]))
        return cls(names, counts.loc[names].to_numpy(), sort=False)

    def __len__(self) -> int:
        return len(self.names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self._ids or normal_name(name) in self._normal)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} entries, largest count first: {self.names[:3]})"

    def resolve(self, name: str) -> str:
        """The vocabulary's spelling of ``name``, matching case and spaces loosely."""
        if name in self._ids:
            return name
        if isinstance(name, str) and normal_name(name) in self._normal:
            return self._normal[normal_name(name)]
        raise unknown_artist(name, self.names)

    def id(self, name: str) -> int:
        """The id of an artist; an unknown name raises an error listing close names."""
        return self._ids[self.resolve(name)]

    def ids(self, names: Iterable[str]) -> np.ndarray:
        """The ids of several artists."""
        return np.array([self.id(n) for n in names], dtype=np.int64)

    def name(self, i: int) -> str:
        """The artist with id ``i``."""
        if not 0 <= int(i) < len(self):
            raise IndexError(f"id {i} is outside the vocabulary (0..{len(self) - 1})")
        return self.names[int(i)]

    def one_hot(self, artists: Iterable[str | int]) -> np.ndarray:
        """One row per artist (a name or an id): 1 at the artist's id, 0 elsewhere."""
        ids = [a if isinstance(a, (int, np.integer)) else self.id(a) for a in artists]
        out = np.zeros((len(ids), len(self)), dtype=np.float32)
        out[np.arange(len(ids)), ids] = 1.0
        return out
