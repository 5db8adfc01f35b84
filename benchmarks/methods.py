"""The three ways to embed artists from the same (target, context) pairs, and how to score them.

* ``bands2vec``: the library's trainer with its default settings, every pair used once;
* ``gensim``: gensim's ``Word2Vec`` (skip-gram, negative sampling, 2 workers) on the pairs
  written as two-token sentences, window 1;
* ``ppmi_svd``: closed form, the positive pointwise mutual information of the symmetric
  pair counts, factorised by a truncated SVD (vectors ``U * sqrt(S)``;
  :func:`bands2vec_lib.similarity.ppmi_svd`).

Each function returns one vector per vocabulary id (row ``i`` is ``vocab.names[i]``) and the
wall time of the method itself: building its inputs from the pairs and training, not
loading the data or scoring the result.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bands2vec_lib.similarity import ppmi_svd

METHODS = ("bands2vec", "gensim", "ppmi_svd")
REFERENCE = "gensim"  # time to quality is compared with this method's
QUALITY = 0.99  # the genre precision@10 a method must reach
SCORE_QUALITY = 0.30  # and the score error@10 it must not exceed
DIM = 64


@dataclass(frozen=True)
class Fit:
    """What one method produced from some pairs."""

    vectors: np.ndarray  # (vocab size, dim), vocabulary order
    seconds: float  # wall time of the method
    cpu_seconds: float  # CPU time of the whole process (all threads) during the method
    pairs_used: int  # pairs the method consumed (the library drops a last partial batch)


def library_batch_size() -> int:
    """The library trainer's default batch size (read from ``TrainConfig``, never copied)."""
    from bands2vec_lib.training import TrainConfig

    return TrainConfig().batch_size


def fit_bands2vec(pairs: np.ndarray, vocab) -> Fit:
    """The library's default trainer, with just enough steps to use every pair once."""
    from bands2vec_lib.training import TrainConfig, train_on_pairs

    batch = library_batch_size()
    steps = len(pairs) // batch
    if steps < 1:
        raise ValueError(f"the library trains on whole batches of {batch} pairs, not {len(pairs)} pairs")
    used = pairs[: steps * batch]
    start, cpu = time.perf_counter(), time.process_time()
    result = train_on_pairs(used, vocab, TrainConfig(steps=steps))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    vectors = _in_vocab_order(result.embeddings.names, result.embeddings.vectors, vocab.names)
    return Fit(vectors, seconds, cpu, len(used))


def sentences_of(pairs: np.ndarray, names: Sequence[str]) -> list[list[str]]:
    """Every pair as a two-token sentence ``[target name, context name]``."""
    return [[names[t], names[c]] for t, c in np.asarray(pairs).tolist()]


def fit_gensim(pairs: np.ndarray, vocab, *, workers: int = 2, seed: int = 0) -> Fit:
    """gensim's skip-gram with 16 negatives on the pairs as two-token sentences.

    The clock covers building gensim's vocabulary and training, not writing the sentences.
    Artists that occur in no pair keep a small random vector, as an untrained model would.
    """
    from gensim.models import Word2Vec

    sentences = sentences_of(pairs, vocab.names)
    start, cpu = time.perf_counter(), time.process_time()
    model = Word2Vec(
        sentences=sentences, sg=1, negative=16, workers=workers, vector_size=DIM, window=1,
        min_count=1, epochs=1, seed=seed, sample=0,
    )  # fmt: skip
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    vectors = _in_vocab_order(model.wv.index_to_key, model.wv.vectors, vocab.names, seed=seed)
    return Fit(vectors, seconds, cpu, len(pairs))


def _in_vocab_order(
    keys: Sequence[str], vectors: np.ndarray, names: Sequence[str], seed: int = 0
) -> np.ndarray:
    """Rows of ``vectors`` (one per key) re-ordered as ``names``; unknown names get random rows."""
    rng = np.random.default_rng(seed)
    dim = vectors.shape[1]
    out = ((rng.random((len(names), dim)) - 0.5) / dim).astype(np.float32)
    row_of = {k: i for i, k in enumerate(keys)}
    known = [(i, row_of[n]) for i, n in enumerate(names) if n in row_of]
    if known:
        to, frm = (np.array(x) for x in zip(*known, strict=True))
        out[to] = vectors[frm]
    return out


def fit_ppmi_svd(pairs: np.ndarray, vocab) -> Fit:
    """:func:`ppmi_svd` with its wall time (counting, PPMI and SVD; imports excluded)."""
    import scipy.sparse  # noqa: F401  (imported before the clock starts, like gensim and TensorFlow)
    import sklearn.utils.extmath  # noqa: F401

    start, cpu = time.perf_counter(), time.process_time()
    vectors = ppmi_svd(pairs, len(vocab))
    return Fit(vectors, time.perf_counter() - start, time.process_time() - cpu, len(pairs))


FITS = {"bands2vec": fit_bands2vec, "gensim": fit_gensim, "ppmi_svd": fit_ppmi_svd}


def quality_at_10(vectors: np.ndarray, vocab, artists) -> tuple[float, float]:
    """Genre precision@10 and score error@10 of vectors in vocabulary order (one neighbour search)."""
    from bands2vec_lib.embeddings import Embeddings
    from bands2vec_lib.similarity import neighbour_scores

    row = neighbour_scores(Embeddings(vocab.names, vectors), artists, ks=(10,)).iloc[0]
    return float(row["genre_precision"]), float(row["score_error"])


@dataclass(frozen=True)
class Quality:
    """When a method first reaches the quality targets."""

    method: str
    amount: int | None  # pairs of the smallest amount reaching them; None if never reached
    seconds: float | None  # the wall time of that run
    ratio: float | None  # seconds / the reference method's seconds (same run)
    best: float  # the best precision the method reached at any amount
    best_score_error: float = float("nan")  # the lowest score error it reached at any amount


def time_to_quality(
    rows: Sequence[dict],
    threshold: float = QUALITY,
    reference: str = REFERENCE,
    score_threshold: float | None = SCORE_QUALITY,
) -> list[Quality]:
    """For each method in ``rows``, the smallest amount that reaches both quality targets.

    ``rows`` are dicts with ``method``, ``amount`` (the pairs it was given), ``seconds``,
    ``precision`` and ``score_error``; failed runs may hold ``precision=None``. A run
    reaches the targets when its precision is at least ``threshold`` and its score error
    at most ``score_threshold`` (``None``: precision alone). The ratio divides a method's
    time by the reference method's time to quality, when both reached it.
    """
    methods = list(dict.fromkeys(r["method"] for r in rows))
    found: dict[str, Quality] = {}
    for method in methods:
        mine = sorted((r for r in rows if r["method"] == method), key=lambda r: r["amount"])
        scored = [r for r in mine if r.get("precision") is not None]
        best = max((r["precision"] for r in scored), default=float("nan"))
        errors = [r["score_error"] for r in scored if r.get("score_error") is not None]
        best_error = min(errors, default=float("nan"))

        def reached(r: dict) -> bool:
            if r["precision"] < threshold:
                return False
            return score_threshold is None or (r.get("score_error") is not None and r["score_error"] <= score_threshold)

        hit = next((r for r in scored if reached(r)), None)
        if hit is None:
            found[method] = Quality(method, None, None, None, best, best_error)
        else:
            found[method] = Quality(method, int(hit["amount"]), float(hit["seconds"]), None, best, best_error)
    ref = found.get(reference)
    out = []
    for q in found.values():
        ratio = None
        if q.seconds is not None and ref is not None and ref.seconds:
            ratio = q.seconds / ref.seconds
        out.append(Quality(q.method, q.amount, q.seconds, ratio, q.best, q.best_score_error))
    return out
