"""Using the vectors: cosine neighbours, analogies, and measures of an embedding.

All of it happens in the embedding's own space (64-d by default), never on a 2-D
t-SNE map: t-SNE keeps neighbourhoods, not distances or offsets.

>>> import numpy as np
>>> emb = Embeddings(["a", "b", "c"], np.array([[1, 0], [0.9, 0.1], [0, 1]]))
>>> nearest(emb, "a", k=1)["artist"].tolist()
['b']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .data import genre_matrix
from .embeddings import Embeddings
from .errors import is_whole_number

_CHUNK = 512  # rows of the similarity matrix computed at once (memory, not speed)


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (a zero row stays zero)."""
    from sklearn.preprocessing import normalize

    return normalize(vectors, axis=1)


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The cosine of the angle between two vectors (0 when either is zero)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    return 0.0 if norm == 0 else float(a @ b / norm)


def _check_k(k: object, limit: int) -> int:
    if not is_whole_number(k) or k < 1:
        raise ValueError(f"k must be a whole number of at least 1, not {k!r}")
    if limit < 1:
        raise ValueError("there is no other artist to compare with")
    return int(min(k, limit))


def _ranked(emb: Embeddings, query: np.ndarray, k: int, exclude: Sequence[int]) -> pd.DataFrame:
    unit = emb.unit()
    norm = np.linalg.norm(query)
    sims = unit @ (query / norm if norm else query)
    sims[list(exclude)] = -np.inf
    k = _check_k(k, len(emb) - len(set(exclude)))
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.lexsort((top, -sims[top]))]  # by similarity, ties by id: stable output
    return pd.DataFrame({"artist": [emb.names[i] for i in top], "similarity": sims[top]})


def nearest(emb: Embeddings, name: str, k: int = 10) -> pd.DataFrame:
    """The ``k`` artists most cosine-similar to ``name`` (itself excluded), best first."""
    i = emb.vocab.id(name)
    return _ranked(emb, emb.vectors[i], k, exclude=[i])


def analogy(emb: Embeddings, a: str, b: str, c: str | None = None, k: int = 10) -> pd.DataFrame:
    """Artists nearest to ``a - b (+ c)`` on unit vectors, the inputs excluded.

    With ``c``, this is the classic "b is to a as c is to ?" (king - man + woman).
    """
    names = [a, b] if c is None else [a, b, c]
    ids = [emb.vocab.id(n) for n in names]
    unit = emb.unit()
    query = unit[ids[0]] - unit[ids[1]]
    if c is not None:
        query = query + unit[ids[2]]
    return _ranked(emb, query, k, exclude=ids)


def neighbour_ids(vectors: np.ndarray, k: int) -> np.ndarray:
    """For every row, the ids of its ``k`` cosine-nearest other rows, best first."""
    vectors = np.asarray(vectors, dtype=np.float32)
    k = _check_k(k, len(vectors) - 1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1, norms)
    out = np.empty((len(vectors), k), dtype=np.int64)
    for lo in range(0, len(vectors), _CHUNK):
        sims = unit[lo : lo + _CHUNK] @ unit.T
        rows = np.arange(len(sims))
        sims[rows, lo + rows] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(sims, top, axis=1), axis=1, kind="stable")
        out[lo : lo + _CHUNK] = np.take_along_axis(top, order, axis=1)
    return out


def genre_precision_at_k(emb: Embeddings, artists: pd.DataFrame, k: int = 10) -> float:
    """The share of an artist's ``k`` nearest neighbours that share a genre with it.

    Averaged over the artists that have a genre; a neighbour without a genre is a miss.
    """
    return genre_precision(neighbour_ids(emb.aligned(artists).vectors, k), artists)


def genre_precision(neighbours: np.ndarray, artists: pd.DataFrame) -> float:
    """:func:`genre_precision_at_k` of given neighbours (one row of positions per artist)."""
    genres = genre_matrix(artists)
    has_genre = genres.any(axis=1)
    if not has_genre.any():
        raise ValueError("no artist has a genre, so genre precision is undefined")
    shares = (genres[:, None, :] & genres[neighbours]).any(axis=2)
    return float(shares[has_genre].mean())


def score_error_at_k(emb: Embeddings, artists: pd.DataFrame, k: int = 10) -> float:
    """Mean absolute difference between an artist's mean score and its neighbours' mean."""
    return score_error(neighbour_ids(emb.aligned(artists).vectors, k), artists)


def score_error(neighbours: np.ndarray, artists: pd.DataFrame) -> float:
    """:func:`score_error_at_k` of given neighbours (one row of positions per artist)."""
    scores = artists["mean_score"].to_numpy(dtype=float)
    return float(np.mean(np.abs(scores - scores[neighbours].mean(axis=1))))


def neighbour_overlap(a: Embeddings, b: Embeddings, artists: pd.DataFrame, k: int = 10) -> float:
    """The share of each artist's ``k`` nearest neighbours that two embeddings agree on
    (two training seeds, say), averaged over the artists: 1 when every list is the same."""
    first = neighbour_ids(a.aligned(artists).vectors, k)
    second = neighbour_ids(b.aligned(artists).vectors, k)
    return float((first[:, :, None] == second[:, None, :]).any(axis=2).mean())


def random_embeddings(artists: pd.DataFrame, dim: int = 64, seed: int = 0) -> Embeddings:
    """Random Gaussian vectors: the baseline that knows nothing."""
    if not is_whole_number(dim) or dim < 1:
        raise ValueError(f"dim must be a whole number of at least 1, not {dim!r}")
    rng = np.random.default_rng(seed)
    return Embeddings(list(artists.index), rng.normal(size=(len(artists), dim)), {"kind": "random"})


def profile_embeddings(artists: pd.DataFrame, score_weight: float = 0.5) -> Embeddings:
    """A closed-form baseline: each artist's genres (multi-hot) and score bucket (one-hot).

    No training at all: two artists are similar exactly when they share genres and a
    score bucket, which is everything the training pairs know.
    """
    buckets = np.arange(11)
    multi_hot = genre_matrix(artists).astype(np.float32)
    lengths = np.linalg.norm(multi_hot, axis=1, keepdims=True)
    multi_hot /= np.where(lengths == 0, 1, lengths)
    one_hot = (artists["score_bucket"].to_numpy()[:, None] == buckets[None, :]).astype(np.float32)
    vectors = np.hstack([multi_hot, score_weight * one_hot])
    return Embeddings(list(artists.index), vectors, {"kind": "profile", "score_weight": score_weight})


def neighbour_scores(emb: Embeddings, artists: pd.DataFrame, ks: Sequence[int] = (1, 5, 10, 20, 50)) -> pd.DataFrame:
    """:func:`genre_precision_at_k` and :func:`score_error_at_k` for several ``k`` from one search.

    Returns one row per ``k`` with the columns ``k``, ``genre_precision`` and ``score_error``;
    the neighbours are searched once, for the largest ``k``.
    """
    ks = sorted({_check_k(k, len(artists) - 1) for k in ks})
    emb = emb.aligned(artists)
    neighbours = neighbour_ids(emb.vectors, ks[-1])
    genres = genre_matrix(artists)
    has_genre = genres.any(axis=1)
    if not has_genre.any():
        raise ValueError("no artist has a genre, so genre precision is undefined")
    shares = (genres[:, None, :] & genres[neighbours]).any(axis=2)[has_genre]
    scores = artists["mean_score"].to_numpy(dtype=float)
    rows = [
        {"k": k, "genre_precision": float(shares[:, :k].mean()),
         "score_error": float(np.mean(np.abs(scores - scores[neighbours[:, :k]].mean(axis=1))))}
        for k in ks
    ]  # fmt: skip
    return pd.DataFrame(rows)


def ppmi_svd(pairs: np.ndarray, vocab_size: int, dim: int = 64, seed: int = 0) -> np.ndarray:
    """Closed-form vectors: PPMI of the symmetric pair counts, truncated SVD, ``U * sqrt(S)``.

    Parameters
    ----------
    pairs
        ``(n, 2)`` (target, context) ids below ``vocab_size``.
    vocab_size
        Number of ids; an id in no pair gets a zero vector.
    dim
        Number of dimensions (at most ``vocab_size - 1``).
    seed
        Seeds the randomised SVD.

    Returns
    -------
    numpy.ndarray
        Shape ``(vocab_size, dim)``, float32.
    """
    from scipy import sparse
    from sklearn.utils.extmath import randomized_svd

    pairs = np.asarray(pairs, dtype=np.int64)
    if not 1 <= dim < vocab_size:
        raise ValueError(f"dim must be between 1 and vocab_size - 1 ({vocab_size - 1}), not {dim}")
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    ones = np.ones(len(rows), dtype=np.float64)
    counts = sparse.coo_matrix((ones, (rows, cols)), shape=(vocab_size, vocab_size)).tocsr()
    counts.sum_duplicates()
    counts = counts.tocoo()
    total = counts.data.sum()
    marginal = np.bincount(counts.row, weights=counts.data, minlength=vocab_size)
    pmi = np.log(counts.data * total / (marginal[counts.row] * marginal[counts.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (counts.row[keep], counts.col[keep])), shape=(vocab_size, vocab_size))
    u, s, _ = randomized_svd(ppmi, dim, n_iter=5, random_state=seed)
    return (u * np.sqrt(s)).astype(np.float32)


def ppmi_embeddings(pairs: np.ndarray, names: Sequence[str], dim: int = 64, seed: int = 0) -> Embeddings:
    """A closed-form baseline from the training pairs themselves: :func:`ppmi_svd`.

    Skip-gram with negative sampling implicitly factorises a shifted PMI matrix of its
    pairs (Levy and Goldberg, 2014); this factorises the positive PMI explicitly. ``names``
    are the vocabulary's names, in id order.
    """
    return Embeddings(list(names), ppmi_svd(pairs, len(names), dim=dim, seed=seed), {"kind": "ppmi_svd"})
