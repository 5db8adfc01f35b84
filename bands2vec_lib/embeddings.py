"""Trained vectors with their artists' names, saved to and loaded from one ``.npz`` file.

>>> import numpy as np
>>> emb = Embeddings(["a", "b"], np.eye(2, dtype=np.float32))
>>> emb["b"].tolist()
[0.0, 1.0]
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ModelFileError
from .vocab import Vocabulary

FORMAT = "bands2vec-embeddings/1"


class Embeddings:
    """One vector per artist, in vocabulary order, and what produced them (``meta``)."""

    def __init__(self, names: Sequence[str], vectors: np.ndarray, meta: dict | None = None):
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(names) != len(vectors):
            raise ValueError(f"{len(names)} names need a ({len(names)}, dim) array, not {vectors.shape}")
        if not np.all(np.isfinite(vectors)):
            raise ValueError("the vectors hold NaN or infinite values")
        self.names = tuple(str(n) for n in names)
        self.vectors = vectors
        self.meta = dict(meta or {})
        # Decreasing counts keep the given order: row i is the artist with id i.
        self.vocab = Vocabulary(self.names, counts=np.arange(len(names), 0, -1), sort=False)

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        return f"Embeddings({len(self)} artists x {self.dim} dimensions)"

    def __getitem__(self, name: str) -> np.ndarray:
        return self.vectors[self.vocab.id(name)]

    def __contains__(self, name: object) -> bool:
        return name in self.vocab

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    def unit(self) -> np.ndarray:
        """The vectors scaled to length 1 (a zero vector stays zero)."""
        norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
        return self.vectors / np.where(norms == 0, 1, norms)

    def aligned(self, artists: pd.DataFrame) -> Embeddings:
        """The vectors of the artists in ``artists``, in its order.

        Raises :class:`ModelFileError` when the model was trained on other data.
        """
        known = set(self.names)  # built once: a set per artist made this quadratic
        missing = [a for a in artists.index if a not in known]
        if missing:
            raise ModelFileError(
                f"this model does not know {len(missing)} of the data's {len(artists)} artists "
                f"(e.g. {missing[0]!r}): it was trained on other data; train it on this data"
            )
        if tuple(artists.index) == self.names:
            return self
        ids = self.vocab.ids(artists.index)
        return Embeddings(list(artists.index), self.vectors[ids], self.meta)

    def save(self, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
        """Write one ``.npz`` file (atomically: never a half-written file)."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise FileExistsError(f"{path} exists: choose another name or allow overwriting")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, format=np.array(FORMAT), names=np.array(self.names, dtype=str),
                         vectors=self.vectors, meta=np.array(json.dumps(self.meta)))  # fmt: skip
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> Embeddings:
        """Read a file written by :meth:`save`; anything else is a clear error."""
        path = Path(path)
        if not path.is_file():
            raise ModelFileError(f"no model file at {path}: train one with 'bands2vec train --out {path}'")
        try:
            with np.load(path, allow_pickle=False) as f:
                if "format" not in f.files or str(f["format"]) != FORMAT:
                    raise ModelFileError(f"{path} is not a Bands2Vec model file ({FORMAT})")
                return cls(list(f["names"]), f["vectors"], json.loads(str(f["meta"])))
        except ModelFileError:
            raise
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as e:
            raise ModelFileError(f"{path} is not a readable Bands2Vec model file ({e})") from None

