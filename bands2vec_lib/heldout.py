"""Held-out checks: what the vectors know that no training pair told them.

Genre precision and score error ask the vectors to give back the genres and buckets their
pairs were made from. Two checks ask for something the training never saw:

* **genres never shown**: vectors trained on record labels alone
  (:meth:`~bands2vec_lib.training.TrainConfig.labels`) are judged on genres
  (:func:`~bands2vec_lib.similarity.genre_precision_at_k`), against random vectors and
  against listing an artist's label-mates (:func:`label_mate_neighbours`);
* **hidden label memberships**: a share of the artist-label memberships is hidden before
  training (:func:`hide_labels`), and the vectors are asked to find the label-mates the
  hidden memberships made (:meth:`HiddenLabels.recall_at_k`).

>>> from bands2vec_lib.data import load_artists
>>> hidden = hide_labels(load_artists(n_artists=300), share=0.2)
>>> len(hidden.queries) == len(hidden.mates) > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import label_members, record_labels
from .similarity import unit_rows

HOLD_OUT = 0.1  # the share of label memberships the library's training hides


@dataclass(frozen=True)
class HiddenLabels:
    """An artist table with some label memberships hidden, and what there is to find.

    ``kept`` is the artist table training sees (``labels`` without the hidden ones);
    ``hidden`` the hidden (``artist`` position, ``label``) rows. For each artist of
    ``queries`` (positions in the table), ``mates`` holds the artists that share a hidden
    label with it and no kept one (what there is to find), ``known`` its kept label-mates
    and itself (not asked for, and left out of the search).
    """

    kept: pd.DataFrame
    hidden: pd.DataFrame
    queries: np.ndarray
    mates: tuple[np.ndarray, ...]
    known: tuple[np.ndarray, ...]

    def neighbours(self, vectors: np.ndarray, k: int = 10) -> np.ndarray:
        """Each query's ``k`` cosine-nearest artists among those it does not know already.

        ``vectors`` has one row per artist of the table, in its order.
        """
        unit = unit_rows(np.asarray(vectors, dtype=np.float32))
        sims = unit[self.queries] @ unit.T
        for row, known in enumerate(self.known):
            sims[row, known] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(sims, top, axis=1), axis=1, kind="stable")
        return np.take_along_axis(top, order, axis=1)

    def recall_at_k(self, neighbours: np.ndarray) -> float:
        """The share of the hidden label-mates found among each query's neighbours (one row
        per query; at most ``k`` can be found, so a query with more counts ``k`` as all),
        averaged over the queries."""
        k = neighbours.shape[1]
        found = [np.isin(mates, row).sum() / min(k, len(mates))
                 for row, mates in zip(neighbours, self.mates, strict=True)]  # fmt: skip
        return float(np.mean(found))

    def mates_of_mates(self, k: int = 10, seed: int = 0) -> np.ndarray:
        """The counting baseline: each query's neighbours are the artists that share the
        most kept labels with its kept label-mates (ties and a shortfall at random), among
        those it does not know already."""
        rng = np.random.default_rng(seed)
        members = label_members(self.kept)
        by_label = members.groupby("label", sort=False)["artist"].agg(np.array)
        labels_of = members.groupby("artist", sort=False)["label"].agg(list)
        n = len(self.kept)
        out = np.empty((len(self.queries), k), dtype=np.int64)
        for row, (query, known) in enumerate(zip(self.queries, self.known, strict=True)):
            mates = [by_label[label] for label in labels_of.get(query, [])]
            second = [by_label[label] for m in np.unique(np.concatenate(mates or [[]]).astype(np.int64))
                      if m != query for label in labels_of.get(m, [])]  # fmt: skip
            counts = np.bincount(np.concatenate(second or [np.zeros(0, np.int64)]), minlength=n).astype(float)
            counts[known] = -np.inf
            out[row] = np.argsort(-(counts + rng.random(n) * 0.5), kind="stable")[:k]
        return out


def hide_labels(artists: pd.DataFrame, share: float = HOLD_OUT, seed: int = 0) -> HiddenLabels:
    """Hide ``share`` of the memberships of labels with two or more artists, at random.

    Returns the artist table training may see and the label-mates there are to find
    (see :class:`HiddenLabels`).
    """
    if not 0.0 <= float(share) < 1.0:
        raise ValueError(f"the share of label memberships to hide must be at least 0 and below 1, not {share!r}")
    members = label_members(artists)
    sizes = members.groupby("label")["artist"].transform("size")
    shared = members[sizes >= 2]
    hide = np.random.default_rng(seed).random(len(shared)) < float(share)
    hidden = shared[hide].reset_index(drop=True)
    kept_members = members.drop(index=shared.index[hide])
    lost = hidden.groupby("artist")["label"].agg(frozenset)
    kept = artists.copy()
    positions = lost.index.to_numpy()
    kept.iloc[positions, kept.columns.get_loc("labels")] = [
        labels - lost[p] for p, labels in zip(positions, kept["labels"].iloc[positions], strict=True)
    ]
    by_label = members.groupby("label")["artist"].agg(np.array)
    kept_by_label = kept_members.groupby("label")["artist"].agg(np.array)
    kept_labels = record_labels(kept)
    queries, mates, known = [], [], []
    for artist, labels in lost.items():
        seen = np.unique(np.concatenate([[artist]] + [kept_by_label[label] for label in kept_labels.iloc[artist]
                                                      if label in kept_by_label.index]))  # fmt: skip
        new = np.setdiff1d(np.concatenate([by_label[label] for label in labels]), seen)
        if len(new):
            queries.append(artist)
            mates.append(new)
            known.append(seen)
    return HiddenLabels(kept, hidden, np.array(queries, dtype=np.int64), tuple(mates), tuple(known))


def label_mate_neighbours(artists: pd.DataFrame, k: int = 10, seed: int = 0) -> np.ndarray:
    """The counting baseline for genres never shown: each artist's ``k`` neighbours are the
    artists that share the most labels with it (ties broken at random), then, when it has
    fewer than ``k`` label-mates, random artists."""
    rng = np.random.default_rng(seed)
    members = label_members(artists)
    n = len(artists)
    pairs = members.merge(members, on="label", suffixes=("", "_mate"))
    pairs = pairs[pairs["artist"] != pairs["artist_mate"]]
    shared = pairs.groupby(["artist", "artist_mate"]).size().reset_index(name="labels")
    # Most shared labels first, ties in random order.
    order = np.lexsort((rng.random(len(shared)), -shared["labels"].to_numpy(), shared["artist"].to_numpy()))
    shared = shared.iloc[order]
    mates = dict(iter(shared.groupby("artist")["artist_mate"]))
    out = np.empty((n, k), dtype=np.int64)
    for i in range(n):
        chosen = mates[i].to_numpy()[:k] if i in mates else np.zeros(0, np.int64)
        while len(chosen) < k:
            extra = rng.integers(n, size=k)
            extra = extra[(extra != i) & ~np.isin(extra, chosen)]
            chosen = np.concatenate([chosen, pd.unique(extra)[: k - len(chosen)]])
        out[i] = chosen
    return out


def label_sharers(artists: pd.DataFrame) -> np.ndarray:
    """Whether each artist shares a label (not "self-released") with another."""
    members = label_members(artists)
    sizes = members.groupby("label")["artist"].transform("size")
    out = np.zeros(len(artists), dtype=bool)
    out[members.loc[sizes >= 2, "artist"].to_numpy()] = True
    return out
