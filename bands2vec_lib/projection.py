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


def tsne(vectors: np.ndarray, *, perplexity: float = 30.0, seed: int = 0) -> np.ndarray:
    """2-D t-SNE coordinates of unit-length ``vectors`` (scikit-learn, seeded, PCA start).

    Scaling to unit length makes Euclidean t-SNE follow cosine similarity.
    """
    from sklearn.manifold import TSNE

    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or len(vectors) < 3:
        raise ValueError(f"t-SNE needs at least 3 vectors in a 2-D array, not shape {vectors.shape}")
    if not 0 < perplexity < len(vectors):
        raise ValueError(f"perplexity must be between 0 and the number of points ({len(vectors)}), not {perplexity}")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms == 0, 1, norms)
    model = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed)
    return model.fit_transform(unit).astype(np.float32)


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
