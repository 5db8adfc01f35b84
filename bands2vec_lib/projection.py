"""From many dimensions to two: t-SNE, and files for the TensorFlow Embedding Projector.

A t-SNE map keeps who is near whom. It does not keep distances, offsets or cluster
sizes, so measure and do arithmetic in the full space (:mod:`bands2vec_lib.similarity`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .embeddings import Embeddings
from .errors import is_whole_number

TSNE_METHODS = ("auto", "fft", "sklearn")
FFT_FROM = 5_000
"""From this many points ``tsne(method="auto")`` uses openTSNE's FFT method; below, scikit-learn's."""
SCHEDULES = {"sklearn": (250, 750), "fft": (125, 325)}
"""Per method: the iterations with early exaggeration 12, and all iterations by default."""
# openTSNE's grid has one interval per unit of map width, and at least this many (openTSNE: 50);
# while the map is narrower than that (early on, and for small data), more intervals only cost time.
FFT_MIN_INTERVALS = 10


def tsne(
    vectors: np.ndarray,
    *,
    perplexity: float = 30.0,
    seed: int = 0,
    method: str = "auto",
    max_iter: int | None = None,
) -> np.ndarray:
    """2-D t-SNE coordinates of unit-length ``vectors``, from a PCA start.

    Scaling to unit length makes Euclidean t-SNE follow cosine similarity. Both methods
    start from the first two principal components and exaggerate the affinities 12 times
    at first, and each gives the same coordinates every time for the same vectors and seed:

    * ``"sklearn"``: scikit-learn's ``TSNE``, whose gradient uses Barnes-Hut, as lesson 6
      teaches it: 250 exaggerated iterations, 750 in all (scikit-learn's default is 1,000;
      the map has settled by 750). Its map does not depend on the seed.
    * ``"fft"``: openTSNE's t-SNE, with FFT-accelerated interpolation for the gradient
      (Linderman et al. 2019), exact nearest neighbours and openTSNE's learning rate (the
      number of points once the exaggeration ends, 12 times scikit-learn's), which needs
      fewer iterations: 125 exaggerated, 325 in all.
    * ``"auto"`` (the default): ``"fft"`` from :data:`FFT_FROM` points, ``"sklearn"`` below.

    All 8,713 artists, default vectors, 2 cores (``python -m benchmarks.tsne_compare``, two
    seeds): ``"fft"`` takes 8.4 s of CPU time on the sample and 7.7 s on the real data,
    ``"sklearn"`` 36.8 s and 35.9 s, over four times as much. The maps are as good:
    trustworthiness 0.964 against 0.966 (sample) and 0.971 against 0.971 (real), 99.5% of
    the 10 nearest on the map in the artist's score bucket for both, and each artist's 10
    nearest neighbours in 64-d kept on the map 0.386 against 0.393 and 0.378 against 0.384.

    ``max_iter`` counts all iterations, the exaggerated ones included.
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or len(vectors) < 3:
        raise ValueError(f"t-SNE needs at least 3 vectors in a 2-D array, not shape {vectors.shape}")
    if not 0 < perplexity < len(vectors):
        raise ValueError(f"perplexity must be between 0 and the number of points ({len(vectors)}), not {perplexity}")
    if method not in TSNE_METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, TSNE_METHODS))}, not {method!r}")
    if method == "auto":
        method = "fft" if len(vectors) >= FFT_FROM else "sklearn"
    exaggerated, default_iter = SCHEDULES[method]
    max_iter = default_iter if max_iter is None else max_iter
    if not is_whole_number(max_iter) or max_iter <= exaggerated:
        raise ValueError(
            f"max_iter must be a whole number above {exaggerated} (the exaggerated iterations of {method!r}), "
            f"not {max_iter!r}"
        )
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1, norms)
    if method == "fft":
        return _tsne_fft(unit, perplexity, seed, exaggerated, int(max_iter))
    from sklearn.manifold import TSNE

    model = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed, max_iter=int(max_iter))
    return model.fit_transform(unit).astype(np.float32)


def _tsne_fft(unit: np.ndarray, perplexity: float, seed: int, exaggerated: int, max_iter: int) -> np.ndarray:
    """openTSNE's FFT-accelerated t-SNE of unit rows, with a thread per core.

    Its coordinates depend on the seed, not on the number of threads.
    """
    from joblib import cpu_count
    from openTSNE import TSNE

    model = TSNE(
        n_components=2, perplexity=perplexity, initialization="pca", random_state=seed,
        early_exaggeration=12, early_exaggeration_iter=exaggerated, n_iter=max_iter - exaggerated,
        negative_gradient_method="fft", neighbors="exact", min_num_intervals=FFT_MIN_INTERVALS, n_jobs=cpu_count(),
    )  # fmt: skip
    return np.array(model.fit(unit), dtype=np.float32)


def _cell(value: object) -> str:
    """A TSV cell: tabs and line breaks would split rows and columns."""
    return " ".join(str(value).split())


def export_projector(
    emb: Embeddings, artists: pd.DataFrame, out_dir: str | os.PathLike, *, overwrite: bool = False
) -> tuple[Path, Path]:
    """Write ``vectors.tsv`` and ``metadata.tsv`` for https://projector.tensorflow.org.

    Load both with the Projector's "Load" button: the vectors first, then the metadata,
    whose columns (genres, score bucket, ...) can colour and label the points.
    """
    out_dir = Path(out_dir)
    emb = emb.aligned(artists)
    targets = out_dir / "vectors.tsv", out_dir / "metadata.tsv"
    existing = [str(p) for p in targets if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(f"{', '.join(existing)} exist: choose another folder or allow overwriting")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".export.") as tmp:
        vectors, metadata = Path(tmp) / "vectors.tsv", Path(tmp) / "metadata.tsv"
        np.savetxt(vectors, emb.vectors, delimiter="\t", fmt="%.6f")
        rows = ["artist\tgenres\tmean_score\tscore_bucket\tn_reviews"]
        for name, row in artists.iterrows():
            genres = ", ".join(sorted(row["genres"])) or "(none)"
            rows.append("\t".join(_cell(x) for x in (
                name, genres, f"{row['mean_score']:.2f}", row["score_bucket"], row["n_reviews"]
            )))  # fmt: skip
        metadata.write_text("\n".join(rows) + "\n", encoding="utf-8")
        for done, target in zip((vectors, metadata), targets, strict=True):
            shutil.move(done, target)
    return targets


def map_neighbours(coords: np.ndarray, k: int) -> np.ndarray:
    """For every point of a 2-D map, the ids of its ``k`` nearest other points (Euclidean), nearest first."""
    from sklearn.neighbors import NearestNeighbors

    coords = np.asarray(coords, dtype=np.float64)
    if coords.ndim != 2 or len(coords) < 2:
        raise ValueError(f"a map needs at least 2 points in a 2-D array, not shape {coords.shape}")
    if not is_whole_number(k) or not 1 <= k < len(coords):
        raise ValueError(f"k must be a whole number from 1 to {len(coords) - 1}, not {k!r}")
    return NearestNeighbors(n_neighbors=int(k)).fit(coords).kneighbors(return_distance=False)


def map_analogy(
    coords: np.ndarray, names: list[str] | tuple[str, ...], a: str, b: str, c: str | None = None, k: int = 10
) -> pd.DataFrame:
    """The original article's arithmetic: the points nearest to ``a - b (+ c)`` on a 2-D map.

    Kept to show why it misleads: a t-SNE map keeps neighbourhoods, not offsets, and the
    same data gives another map (and another answer) for another seed. Use
    :func:`~bands2vec_lib.similarity.analogy` in the embedding's own space instead.
    Returns the columns ``artist`` and ``distance`` (from the point ``a - b (+ c)``).
    """
    coords = np.asarray(coords, dtype=np.float64)
    names = list(names)
    if coords.shape != (len(names), 2):
        raise ValueError(f"{len(names)} names need a ({len(names)}, 2) array of map coordinates, not {coords.shape}")
    where = {n: i for i, n in enumerate(names)}
    inputs = [a, b] if c is None else [a, b, c]
    unknown = [n for n in inputs if n not in where]
    if unknown:
        raise KeyError(f"{unknown[0]!r} is not on this map of {len(names)} artists: map it with them first")
    ids = [where[n] for n in inputs]
    point = coords[ids[0]] - coords[ids[1]] + (coords[ids[2]] if c is not None else 0.0)
    distance = np.linalg.norm(coords - point, axis=1)
    distance[ids] = np.inf
    if not is_whole_number(k) or not 1 <= k <= len(names) - len(set(ids)):
        raise ValueError(f"k must be a whole number from 1 to {len(names) - len(set(ids))}, not {k!r}")
    top = np.lexsort((np.arange(len(names)), distance))[:k]  # nearest first, ties by id
    return pd.DataFrame({"artist": [names[i] for i in top], "distance": distance[top]})


def neighbours_kept(coords: np.ndarray, vectors: np.ndarray, k: int = 10) -> float:
    """How well a map keeps neighbourhoods: the share of each point's ``k`` cosine-nearest
    neighbours in the full space (``vectors``) that are among its ``k`` nearest on the map.

    1 means every neighbourhood survives; a random map scores about ``k / (n - 1)``.
    """
    from .similarity import neighbour_ids

    coords, vectors = np.asarray(coords), np.asarray(vectors)
    if len(coords) != len(vectors):
        raise ValueError(f"{len(coords)} map points need {len(coords)} vectors, not {len(vectors)}")
    on_map, in_space = map_neighbours(coords, k), neighbour_ids(vectors, k)
    return float((on_map[:, :, None] == in_space[:, None, :]).any(axis=2).mean())


def map_genre_precision_at_k(coords: np.ndarray, artists: pd.DataFrame, k: int = 10) -> float:
    """:func:`~bands2vec_lib.similarity.genre_precision_at_k` on a map: the share of each
    artist's ``k`` nearest on the map that share a genre with it (artists with a genre)."""
    from .data import genre_matrix

    if len(coords) != len(artists):
        raise ValueError(f"{len(coords)} map points need {len(coords)} artists, not {len(artists)}")
    genres = genre_matrix(artists)
    has_genre = genres.any(axis=1)
    if not has_genre.any():
        raise ValueError("no artist has a genre, so genre precision is undefined")
    on_map = map_neighbours(coords, k)
    return float((genres[:, None, :] & genres[on_map]).any(axis=2)[has_genre].mean())
