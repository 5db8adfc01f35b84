"""Training pairs: (target, context) for text and for artists.

For text, the context of a word is its neighbours within a window. For artists, the
context is another artist that shares something with it: a genre, a score bucket, both
(a *group*), a record label, or a label and a group. The original article drew
:data:`GENRE_SHARE` of its pairs from a shared genre and the rest from a shared score
bucket. Every artist of one group has the same genre and bucket contexts, so the model
cannot tell them apart; labels can. The library's training draws :data:`JOINT_SHARE` of
its pairs from a shared group, :data:`LABEL_GROUP_SHARE` from a shared label within a
group and :data:`LABEL_SHARE` from a shared label alone (see :func:`context_pairs`).

>>> skipgram_pairs(["the", "quick", "brown"], window=1)
[('the', 'quick'), ('quick', 'the'), ('quick', 'brown'), ('brown', 'quick')]
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .data import artist_table, genre_matrix, record_labels
from .errors import DataError, is_whole_number
from .vocab import Vocabulary

GENRE_SHARE = 0.8  # the article's mix: 80% of pairs share a genre, 20% a score bucket
# The library's training mix, chosen by measurement (the benchmarks page): 45% of the pairs
# share a group (a genre and a score bucket; artists without a genre form groups of their
# own by bucket), 45% a record label as well as a group, 10% a label alone.
JOINT_SHARE = 0.45
LABEL_GROUP_SHARE = 0.45
LABEL_SHARE = 0.1
NO_GENRE = "(no genre)"  # the genre of a group of artists without one


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
    """The artists of each genre, score bucket, group (genre and bucket), record label, and
    label within a group, as ids."""

    genres: GroupIndex
    scores: GroupIndex
    vocab_size: int
    # keys are (genre, bucket): the artists that share both (NO_GENRE for those without one)
    joint: GroupIndex = field(default_factory=lambda: GroupIndex.from_groups({}))
    labels: GroupIndex = field(default_factory=lambda: GroupIndex.from_groups({}))
    # keys are (label, genre, bucket)
    label_groups: GroupIndex = field(default_factory=lambda: GroupIndex.from_groups({}))

    @classmethod
    def from_artists(cls, artists: pd.DataFrame, vocab: Vocabulary) -> ContextGroups:
        """Group the artists of an artist table by genre, score bucket, group, label (not
        "self-released") and label within a group."""
        ids = vocab.ids(artists.index)
        buckets = artists["score_bucket"].to_numpy(dtype=np.int64)
        genres = [sorted(g) for g in artists["genres"]]
        labels = [sorted(ls) for ls in record_labels(artists)]
        kinds: dict[str, dict] = {k: {} for k in ("genres", "scores", "joint", "labels", "label_groups")}
        for i, gs, bucket, ls in zip(ids.tolist(), genres, buckets.tolist(), labels, strict=True):
            kinds["scores"].setdefault(bucket, []).append(i)
            for g in gs:
                kinds["genres"].setdefault(g, []).append(i)
            for g in gs or [NO_GENRE]:
                kinds["joint"].setdefault((g, bucket), []).append(i)
                for label in ls:
                    kinds["label_groups"].setdefault((label, g, bucket), []).append(i)
            for label in ls:
                kinds["labels"].setdefault(label, []).append(i)
        indexes = {k: GroupIndex.from_groups(dict(sorted(v.items()))) for k, v in kinds.items()}
        return cls(vocab_size=len(vocab), **indexes)

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


# The kinds of pairs, in the order they are drawn, each from the ContextGroups field named.
PAIR_KINDS = {"genre": "genres", "joint": "joint", "label": "labels", "label_group": "label_groups", "score": "scores"}
_KIND_WORDS = {"genre": "genre", "joint": "genre and score bucket", "label": "record label",
               "label_group": "record label within a genre and score bucket", "score": "score bucket"}  # fmt: skip


def pair_counts(
    n: int, genre_share: float = 0.0, joint_share: float = 0.0, label_share: float = 0.0, label_group_share: float = 0.0
) -> dict[str, int]:
    """How many of ``n`` pairs share a genre, a group (genre and bucket), a label, a label
    within a group, and (the rest) a score bucket alone.

    >>> pair_counts(10, genre_share=0.8)
    {'genre': 8, 'joint': 0, 'label': 0, 'label_group': 0, 'score': 2}
    >>> pair_counts(100, joint_share=0.5, label_group_share=0.5)["score"]
    0
    """
    n = _check_count(n, "the number of pairs")
    shares = {"genre": genre_share, "joint": joint_share, "label": label_share, "label_group": label_group_share}
    for name, share in shares.items():
        if not 0.0 <= float(share) <= 1.0:
            raise ValueError(f"{name}_share must be between 0 and 1, not {share!r}")
    if sum(map(float, shares.values())) > 1.0 + 1e-9:
        raise ValueError(f"the shares of pairs must add up to at most 1, not {' + '.join(map(repr, shares.values()))}")
    counts, left = {}, n
    for kind, share in shares.items():
        counts[kind] = min(int(round(n * float(share))), left)
        left -= counts[kind]
    return {**counts, "score": left}


def context_pairs(
    groups: ContextGroups,
    n: int,
    *,
    genre_share: float = GENRE_SHARE,
    joint_share: float = 0.0,
    label_share: float = 0.0,
    label_group_share: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """``n`` (target, context) id pairs of distinct artists that share something.

    ``round(n * genre_share)`` pairs share a genre, ``round(n * joint_share)`` a genre *and*
    a score bucket, ``round(n * label_share)`` a record label, ``round(n * label_group_share)``
    a label within a genre and bucket, and the rest a score bucket (:func:`pair_counts`), in
    shuffled order. The defaults are the article's mix (80% genre, 20% bucket); the
    library's training uses :data:`JOINT_SHARE`, :data:`LABEL_GROUP_SHARE` and :data:`LABEL_SHARE`.
    Groups are drawn in proportion to their size, so every membership is equally likely;
    an artist is never paired with itself.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 2)``, dtype ``int64``: column 0 the targets, column 1 the contexts.
    """
    counts = pair_counts(n, genre_share, joint_share, label_share, label_group_share)
    return _sampled_pairs(groups, counts, seed)


def _sampled_pairs(groups: ContextGroups, counts: dict[str, int], seed: int, **mistakes: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    parts = []
    for kind, field_name in PAIR_KINDS.items():
        index, count, what = getattr(groups, field_name), counts.get(kind, 0), _KIND_WORDS[kind]
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
    entries of one artist make a self pair (on the real data, 0.08% of the pairs with this
    mistake alone, 0.21% with ``uniform_groups`` as well, as the article drew them).
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
    return _sampled_pairs(groups, pair_counts(n, genre_share), seed, uniform_groups=uniform_groups)


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


def what_pairs_share(pairs: np.ndarray, artists: pd.DataFrame, vocab: Vocabulary) -> dict[str, float]:
    """The shares of ``pairs`` whose two artists share a genre, a score bucket, a group
    (both, or no genre and a bucket) and a record label (not "self-released")."""
    ids = vocab.ids(artists.index)
    genres = np.zeros((len(vocab), len(artists["genres"].explode().dropna().unique())), dtype=bool)
    genres[ids] = genre_matrix(artists)
    buckets = np.zeros(len(vocab), dtype=np.int64)
    buckets[ids] = artists["score_bucket"].to_numpy()
    labels = dict(zip(ids.tolist(), record_labels(artists), strict=True))
    t, c = np.asarray(pairs).T
    genre = (genres[t] & genres[c]).any(axis=1)
    none = ~genres.any(axis=1)
    bucket = buckets[t] == buckets[c]
    label = [bool(labels.get(a, frozenset()) & labels.get(b, frozenset())) for a, b in zip(t, c, strict=True)]
    return {"genre": float(genre.mean()), "bucket": float(bucket.mean()),
            "group": float((bucket & (genre | (none[t] & none[c]))).mean()), "label": float(np.mean(label))}


def twins(groups: ContextGroups, kinds: Sequence[str]) -> float:
    """The share of artists with a context of ``kinds`` (fields of :class:`ContextGroups`)
    whose contexts of those kinds are all another artist's too: the model cannot tell them
    apart."""
    signature: dict[int, list] = {}
    for kind in kinds:
        index = getattr(groups, kind)
        for key, start, size in zip(index.keys, index.starts, index.sizes, strict=True):
            for member in index.members[start : start + size].tolist():
                signature.setdefault(member, []).append((kind, key))
    counts = pd.Series([tuple(sorted(s, key=repr)) for s in signature.values()]).value_counts()
    with_twin = counts[counts >= 2].sum()
    return float(with_twin / max(len(signature), 1))
