"""``nearest`` and ``analogy`` give what gensim's ``KeyedVectors.most_similar`` gives on the
same vectors: the same artists in the same order, with the same cosine similarities."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors

from bands2vec_lib.embeddings import Embeddings
from bands2vec_lib.similarity import analogy, nearest

K = 15


@pytest.fixture(scope="module")
def both():
    rng = np.random.default_rng(0)
    names = [f"artist {i}" for i in range(300)]
    vectors = rng.normal(size=(300, 24)).astype(np.float32) * rng.uniform(0.2, 5, size=(300, 1)).astype(np.float32)
    keyed = KeyedVectors(vector_size=24)
    keyed.add_vectors(names, vectors)
    return Embeddings(names, vectors), keyed


def _agree(ours, theirs) -> None:
    assert list(ours["artist"]) == [name for name, _ in theirs]
    np.testing.assert_allclose(ours["similarity"], [s for _, s in theirs], atol=1e-5)


@pytest.mark.parametrize("name", ["artist 0", "artist 17", "artist 299"])
def test_nearest_is_most_similar(both, name):
    emb, keyed = both
    _agree(nearest(emb, name, k=K), keyed.most_similar(name, topn=K))


@pytest.mark.parametrize(("a", "b", "c"), [("artist 1", "artist 2", "artist 3"), ("artist 40", "artist 7", None)])
def test_analogy_is_most_similar_with_a_negative(both, a, b, c):
    emb, keyed = both
    positive = [a] if c is None else [a, c]
    _agree(analogy(emb, a, b, c, k=K), keyed.most_similar(positive=positive, negative=[b], topn=K))
