"""Training pairs: (target, context) for text and for artists.

For text, the context of a word is its neighbours within a window. For artists, the
context is another artist that shares a genre, a score bucket, or both with it. The
original article drew :data:`GENRE_SHARE` of its pairs from a shared genre and the rest
from a shared score bucket; the library's training draws :data:`JOINT_SHARE` of them from
a shared genre *and* bucket (see :func:`context_pairs`).

>>> skipgram_pairs(["the", "quick", "brown"], window=1)
[('the', 'quick'), ('quick', 'the'), ('quick', 'brown'), ('brown', 'quick')]
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .data import artist_table
from .errors import DataError, is_whole_number
from .vocab import Vocabulary

GENRE_SHARE = 0.8  # the article's mix: 80% of pairs share a genre, 20% a score bucket
# The library's training mix: 95% of pairs share a genre and a score bucket; the other 5%
# share a bucket alone, which is all the artists without a genre have (benchmarks page).
JOINT_SHARE = 0.95


def skipgram_pairs(tokens: Sequence[str], window: int) -> list[tuple[str, str]]:
    """(centre, context) pairs of every word with its neighbours up to ``window`` away."""
    if not is_whole_number(window) or window < 1:
        raise ValueError(f"window must be a whole number of at least 1, not {window!r}")
    pairs = []
    for i, centre in enumerate(tokens):
        for j in range(max(0, i - window), min(len(tokens), i + window + 1)):
            if j != i:
                pairs.append((centre, tokens[j]))
    return pairs


@dataclass(frozen=True)
class GroupIndex:
    """Groups of artist ids laid end to end, for vectorised sampling.

    Only groups of two or more artists can give a pair, so smaller ones are left out.
    """

    keys: tuple
    members: np.ndarray  # the ids of every group, one group after the other
    starts: np.ndarray  # where each group starts in ``members``
    sizes: np.ndarray

    @classmethod
    def from_groups(cls, groups: dict) -> GroupIndex:
        """Index the groups that hold at least two entries."""
        kept = [(k, np.asarray(v, dtype=np.int64)) for k, v in groups.items() if len(v) >= 2]
        sizes = np.array([len(v) for _, v in kept], dtype=np.int64)
        starts = np.cumsum(sizes) - sizes
        members = np.concatenate([v for _, v in kept]) if kept else np.zeros(0, np.int64)
        return cls(tuple(k for k, _ in kept), members, starts, sizes)

    def sample(self, n: int, rng: np.random.Generator, *, uniform_groups: bool = False) -> np.ndarray:
        """``n`` pairs of two different entries of one group, groups drawn by size.

        The two entries are different positions in the group, so an artist listed once per
        group is never paired with itself. ``uniform_groups`` (the article's mistake, for
        measuring it) draws every group equally often whatever its size.
        """
        if uniform_groups:
            group = rng.integers(len(self.sizes), size=n)
            slot = self.starts[group] + rng.integers(0, self.sizes[group])
        else:
            # A uniform draw over all memberships picks a group in proportion to its size
            # and a target uniformly within it.
            slot = rng.integers(len(self.members), size=n)
            group = np.searchsorted(self.starts, slot, side="right") - 1
        start, size = self.starts[group], self.sizes[group]
        # The context: any other position, by drawing among size - 1 and skipping the
        # target's (what the article's "draw again while equal" loop draws, in one step).
        other = rng.integers(0, size - 1)
        other += other >= slot - start
        return np.stack([self.members[slot], self.members[start + other]], axis=1)


@dataclass(frozen=True)
class ContextGroups:
    """The artists of each genre, of each score bucket, and of each (genre, bucket), as ids."""

    genres: GroupIndex
    scores: GroupIndex
    vocab_size: int
    # keys are (genre, bucket): the artists that share both
    joint: GroupIndex = field(default_factory=lambda: GroupIndex.from_groups({}))

    @classmethod
    def from_artists(cls, artists: pd.DataFrame, vocab: Vocabulary) -> ContextGroups:
        """Group the artists of an artist table by genre and by score bucket."""
        genre_groups: dict[str, list[int]] = {}
        score_groups: dict[int, list[int]] = {}
        joint_groups: dict[tuple[str, int], list[int]] = {}
        ids = vocab.ids(artists.index)
        for i, genres, bucket in zip(ids, artists["genres"], artists["score_bucket"], strict=True):
            for g in sorted(genres):
                genre_groups.setdefault(g, []).append(int(i))
                joint_groups.setdefault((g, int(bucket)), []).append(int(i))
            score_groups.setdefault(int(bucket), []).append(int(i))
        return cls(
            genres=GroupIndex.from_groups(dict(sorted(genre_groups.items()))),
            scores=GroupIndex.from_groups(dict(sorted(score_groups.items()))),
            joint=GroupIndex.from_groups(dict(sorted(joint_groups.items()))),
            vocab_size=len(vocab),
        )

    @classmethod
    def from_reviews(cls, reviews: pd.DataFrame, vocab: Vocabulary) -> ContextGroups:
        """The article's groups: a genre's list holds one entry per *review*, so an artist
        with ten rock reviews is ten entries of the rock list; a score bucket's list holds
        each artist once, as the article's did.

        ``reviews`` are cleaned reviews (:func:`~bands2vec_lib.data.clean`); an artist's
        bucket is its mean score rounded, as in :func:`~bands2vec_lib.data.artist_table`.
        Lists of a single entry are left out: on them the article's loop, which draws the
        context's position again while it equals the target's, would never end. There
        are no joint groups.
        """
        bucket_of = np.rint(reviews.groupby("artist")["score"].mean()).astype(int)
        genre_groups: dict[str, list[int]] = {}
        score_groups: dict[int, list[int]] = {}
        for artist, genres in zip(reviews["artist"], reviews["genres"], strict=True):
            for g in genres:
                genre_groups.setdefault(g, []).append(vocab.id(artist))
        for artist, bucket in bucket_of.items():
            score_groups.setdefault(int(bucket), []).append(vocab.id(artist))
        return cls(
            genres=GroupIndex.from_groups(dict(sorted(genre_groups.items()))),
            scores=GroupIndex.from_groups(dict(sorted(score_groups.items()))),
            vocab_size=len(vocab),
        )

    def sizes(self) -> pd.DataFrame:
        """A table of the genre and score groups (kind, key, size), largest first within a kind.

        The (genre, bucket) groups are left out: ``joint.keys`` and ``joint.sizes`` hold them.
        """
        rows = [("genre", k, int(s)) for k, s in zip(self.genres.keys, self.genres.sizes, strict=True)]
        rows += [("score", k, int(s)) for k, s in zip(self.scores.keys, self.scores.sizes, strict=True)]
        frame = pd.DataFrame(rows, columns=["kind", "group", "size"])
        return frame.sort_values(["kind", "size"], ascending=[True, False], ignore_index=True)


def _check_count(n: object, what: str) -> int:
    if not is_whole_number(n) or n < 0:
        raise ValueError(f"{what} must be a whole number of at least 0, not {n!r}")
    return int(n)


def pair_counts(n: int, genre_share: float, joint_share: float = 0.0) -> tuple[int, int, int]:
    """How many of ``n`` pairs share a genre, a genre and a bucket, and a bucket alone.

    >>> pair_counts(10, genre_share=0.8)
    (8, 0, 2)
    >>> pair_counts(100, genre_share=0.0, joint_share=0.95)
    (0, 95, 5)
    """
    n = _check_count(n, "the number of pairs")
    for name, share in (("genre_share", genre_share), ("joint_share", joint_share)):
        if not 0.0 <= float(share) <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, not {share!r}")
    if float(genre_share) + float(joint_share) > 1.0 + 1e-9:
        raise ValueError(f"genre_share + joint_share must be at most 1, not {genre_share!r} + {joint_share!r}")
    n_genre = int(round(n * float(genre_share)))
    n_joint = min(int(round(n * float(joint_share))), n - n_genre)
    return n_genre, n_joint, n - n_genre - n_joint


def context_pairs(
    groups: ContextGroups, n: int, *, genre_share: float = GENRE_SHARE, joint_share: float = 0.0, seed: int = 0
) -> np.ndarray:
    """``n`` (target, context) id pairs of distinct artists sharing a genre, a bucket, or both.

    ``round(n * genre_share)`` pairs share a genre, ``round(n * joint_share)`` share a genre
    *and* a score bucket, and the rest share a score bucket (:func:`pair_counts`), in
    shuffled order. The defaults are the article's mix (80% genre, 20% bucket); the
    library's training uses ``genre_share=0, joint_share=JOINT_SHARE``. Groups are drawn in
    proportion to their size, so every membership is equally likely; an artist is never
    paired with itself.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 2)``, dtype ``int64``: column 0 the targets, column 1 the contexts.
    """
    return _sampled_pairs(groups, n, genre_share, joint_share, seed)


def _sampled_pairs(
    groups: ContextGroups, n: int, genre_share: float, joint_share: float, seed: int, **mistakes: bool
) -> np.ndarray:
    n_genre, n_joint, n_score = pair_counts(n, genre_share, joint_share)
    rng = np.random.default_rng(seed)
    parts = []
    kinds = ((groups.genres, n_genre, "genre"), (groups.scores, n_score, "score bucket"),
             (groups.joint, n_joint, "genre and score bucket"))  # fmt: skip
    for index, count, what in kinds:
        if count == 0:
            continue
        if len(index.members) == 0:
            raise DataError(f"no {what} is shared by two artists, so no {what} pairs can be made")
        parts.append(index.sample(count, rng, **mistakes))
    pairs = np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)
    return pairs[rng.permutation(len(pairs))]


def pairs_with_mistakes(
    reviews: pd.DataFrame,
    vocab: Vocabulary,
    n: int,
    *,
    per_review_lists: bool = True,
    uniform_groups: bool = True,
    genre_share: float = GENRE_SHARE,
    seed: int = 0,
) -> np.ndarray:
    """The article's pairs with each of its generator's two mistakes on or off, vectorised.

    ``per_review_lists``: a genre's list holds one entry per review
    (:meth:`ContextGroups.from_reviews`), so prolific artists dominate, and two different
    entries of one artist make a self pair (0.28% of the article's pairs on its data).
    ``uniform_groups``: a genre or bucket is chosen uniformly, whatever its size.

    With both on it draws what :func:`article_pairs` draws (the same distribution, not the
    same numbers); with both off it is :func:`context_pairs` on the same mix, seed for
    seed. ``reviews`` are cleaned reviews (:func:`~bands2vec_lib.data.clean`).
    """
    n = _check_count(n, "the number of pairs")
    if per_review_lists:
        groups = ContextGroups.from_reviews(reviews, vocab)
    else:
        groups = ContextGroups.from_artists(artist_table(reviews), vocab)
    return _sampled_pairs(groups, n, genre_share, 0.0, seed, uniform_groups=uniform_groups)


def article_pairs(
    reviews: pd.DataFrame, vocab: Vocabulary, n: int, *, genre_share: float = GENRE_SHARE, seed: int = 0
) -> np.ndarray:
    """The original article's pair generator, bugs included, as its per-pair Python loop.

    Kept to measure against :func:`context_pairs`. As in the article's code:

    - a genre's list holds one entry per *review* (its check meant to add each artist
      once compared a name with a list of ids and never matched), so prolific artists
      dominate; a score bucket's list holds each artist once;
    - a genre (with probability ``genre_share``) or a bucket is picked uniformly, whatever
      its size;
    - the target is a random position of the list, and the context's position is drawn
      again while it equals the target's. Positions differ, but two entries of one artist
      still pair it with itself.

    Lists of a single entry, on which that loop would never end, are left out.
    ``reviews`` are cleaned reviews (:func:`~bands2vec_lib.data.clean`).
    """
    n = _check_count(n, "the number of pairs")
    rand = random.Random(seed)
    groups = ContextGroups.from_reviews(reviews, vocab)
    genre_lists, score_lists = ([g.members[s : s + k].tolist() for s, k in zip(g.starts, g.sizes, strict=True)]
                                for g in (groups.genres, groups.scores))  # fmt: skip
    for lists, share, what in ((genre_lists, genre_share, "genre"), (score_lists, 1 - genre_share, "score bucket")):
        if share > 0 and n > 0 and not lists:
            raise DataError(f"no {what} has two entries, so no {what} pairs can be made")
    out = np.empty((n, 2), dtype=np.int64)
    for k in range(n):
        members = rand.choice(genre_lists if rand.random() < genre_share else score_lists)
        first = rand.randrange(len(members))
        second = rand.randrange(len(members))
        while second == first:
            second = rand.randrange(len(members))
        out[k] = members[first], members[second]
    return out
