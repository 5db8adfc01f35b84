"""t-SNE maps and the Embedding Projector's files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bands2vec_lib import projection
from bands2vec_lib.embeddings import Embeddings
from bands2vec_lib.errors import ModelFileError
from bands2vec_lib.projection import SCHEDULES, export_projector, neighbours_kept, tsne

HEADER = "artist\tgenres\tmean_score\tscore_bucket\tn_reviews"


@pytest.fixture(scope="module")
def clusters():
    """Three tight, well-separated clusters of 20 points in 10 dimensions."""
    rng = np.random.default_rng(0)
    centres = np.eye(10)[:3] * 5
    return np.concatenate([c + rng.normal(scale=0.1, size=(20, 10)) for c in centres]), np.repeat([0, 1, 2], 20)


@pytest.fixture(scope="module")
def maps(clusters):
    """Each method's map of the clusters, twice with seed 0."""
    vectors, _ = clusters
    return {m: (tsne(vectors, perplexity=10, seed=0, method=m), tsne(vectors, perplexity=10, seed=0, method=m))
            for m in ("sklearn", "fft")}  # fmt: skip


@pytest.mark.parametrize("method", ["sklearn", "fft"])
def test_tsne_shape_and_determinism(maps, method):
    first, again = maps[method]
    assert first.shape == (60, 2) and first.dtype == np.float32
    assert np.all(np.isfinite(first))
    np.testing.assert_array_equal(first, again)  # same seed, same coordinates


def test_tsne_fft_seed_matters(clusters, maps):
    vectors, _ = clusters  # (scikit-learn's map from a PCA start does not depend on the seed)
    assert not np.allclose(tsne(vectors, perplexity=10, seed=1, method="fft"), maps["fft"][0])


@pytest.mark.parametrize("method", ["sklearn", "fft"])
def test_tsne_keeps_neighbourhoods(clusters, maps, method):
    _, labels = clusters
    for coords in maps[method]:
        dist = np.linalg.norm(coords[:, None] - coords[None], axis=2)
        np.fill_diagonal(dist, np.inf)
        assert np.all(labels[dist.argmin(axis=1)] == labels)  # each point's 2-D neighbour is in its cluster


@pytest.mark.parametrize("method", ["sklearn", "fft"])
def test_tsne_follows_cosine_not_length(clusters, maps, method):
    vectors, labels = clusters
    # Longer vectors, same directions. 16 is a power of two, so the unit vectors come out bit for
    # bit the same (a factor of 10 changes their last bits, which openTSNE's iterations amplify).
    scaled = vectors * np.where(labels == 0, 16.0, 1.0)[:, None]
    np.testing.assert_array_equal(tsne(scaled, perplexity=10, seed=0, method=method), maps[method][0])


def test_tsne_auto_switches_at_fft_from(clusters, maps, monkeypatch):
    vectors, _ = clusters
    assert projection.FFT_FROM > len(vectors)  # the default: small maps are scikit-learn's
    np.testing.assert_array_equal(tsne(vectors, perplexity=10, seed=0), maps["sklearn"][0])
    monkeypatch.setattr(projection, "FFT_FROM", len(vectors))
    np.testing.assert_array_equal(tsne(vectors, perplexity=10, seed=0), maps["fft"][0])
    monkeypatch.setattr(projection, "FFT_FROM", len(vectors) + 1)
    np.testing.assert_array_equal(tsne(vectors, perplexity=10, seed=0, method="auto"), maps["sklearn"][0])


def test_tsne_fft_does_not_depend_on_threads(clusters, maps, monkeypatch):
    import joblib

    vectors, _ = clusters
    monkeypatch.setattr(joblib, "cpu_count", lambda *args, **kwargs: 1)
    np.testing.assert_array_equal(tsne(vectors, perplexity=10, seed=0, method="fft"), maps["fft"][0])
    monkeypatch.setattr(joblib, "cpu_count", lambda *args, **kwargs: 3)
    np.testing.assert_array_equal(tsne(vectors, perplexity=10, seed=0, method="fft"), maps["fft"][0])


def test_tsne_max_iter(clusters, maps):
    vectors, _ = clusters
    shorter = tsne(vectors, perplexity=10, seed=0, method="fft", max_iter=200)
    assert shorter.shape == (60, 2) and not np.array_equal(shorter, maps["fft"][0])
    default = SCHEDULES["fft"][1]
    np.testing.assert_array_equal(tsne(vectors, perplexity=10, seed=0, method="fft", max_iter=default), maps["fft"][0])


@pytest.fixture(scope="module")
def loose():
    """600 points in 16-d, 8 loose Gaussian clusters: a map can keep only some neighbourhoods."""
    rng = np.random.default_rng(1)
    centres = rng.normal(scale=2.0, size=(8, 16))
    return np.concatenate([c + rng.normal(size=(75, 16)) for c in centres])


def test_fft_maps_as_well_as_scikit_learn(loose):
    from sklearn.manifold import trustworthiness

    unit = loose / np.linalg.norm(loose, axis=1, keepdims=True)
    scores = {}
    for method in ("sklearn", "fft"):
        coords = tsne(loose, seed=0, method=method)
        scores[method] = trustworthiness(unit, coords, n_neighbors=10), neighbours_kept(coords, loose, 10)
    (trust_sk, kept_sk), (trust_fft, kept_fft) = scores["sklearn"], scores["fft"]
    assert kept_sk > 20 * 10 / 599  # the measure has room: far above chance, far below 1
    assert kept_sk < 0.8
    assert trust_fft >= trust_sk - 0.01
    assert kept_fft >= kept_sk - 0.03


def test_tsne_bad_input():
    with pytest.raises(ValueError, match="at least 3 vectors"):
        tsne(np.ones((2, 4)))
    with pytest.raises(ValueError, match="2-D array"):
        tsne(np.ones(10))
    with pytest.raises(ValueError, match="perplexity must be between 0 and the number of points"):
        tsne(np.random.default_rng(0).normal(size=(10, 3)), perplexity=10)
    points = np.random.default_rng(0).normal(size=(10, 3))
    with pytest.raises(ValueError, match="method must be one of 'auto', 'fft', 'sklearn', not 'bh'"):
        tsne(points, perplexity=3, method="bh")
    for method, bad in [("sklearn", 250), ("sklearn", 300.0), ("fft", 125), ("fft", True)]:
        with pytest.raises(ValueError, match=f"max_iter must be a whole number above {SCHEDULES[method][0]} "):
            tsne(points, perplexity=3, method=method, max_iter=bad)


def artist_table(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"genres": [frozenset({"rap"}), frozenset(), frozenset({"rock", "pop/r&b"}), frozenset({"rock"})][: len(names)],
         "mean_score": [7.456, 6.0, 8.25, 5.5][: len(names)], "score_bucket": [7, 6, 8, 6][: len(names)],
         "n_reviews": [3, 1, 2, 1][: len(names)]},
        index=pd.Index(names, name="artist"),
    )  # fmt: skip


NAMES = ["a$ap mob", "nick cave & the bad seeds", "kleenex, liliput", "tab\tin name"]


@pytest.fixture
def emb():
    return Embeddings(NAMES, np.random.default_rng(2).normal(size=(4, 3)).astype(np.float32))


def test_export_writes_both_files(emb, tmp_path):
    vectors, metadata = export_projector(emb, artist_table(NAMES), tmp_path / "out")
    assert (vectors.name, metadata.name) == ("vectors.tsv", "metadata.tsv")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["metadata.tsv", "vectors.tsv"]  # no temp left
    np.testing.assert_allclose(np.loadtxt(vectors, delimiter="\t"), emb.vectors, atol=1e-6)
    lines = metadata.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 1 + len(NAMES)
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 5 for row in rows)  # a tab in a name does not add a column
    assert [row[0] for row in rows] == ["a$ap mob", "nick cave & the bad seeds", "kleenex, liliput", "tab in name"]
    assert rows[0][1:] == ["rap", "7.46", "7", "3"]
    assert rows[1][1] == "(none)" and rows[2][1] == "pop/r&b, rock"


def test_export_follows_the_tables_order(emb, tmp_path):
    order = NAMES[::-1]
    vectors, metadata = export_projector(emb, artist_table(order), tmp_path)
    np.testing.assert_allclose(np.loadtxt(vectors, delimiter="\t"), emb.vectors[::-1], atol=1e-6)
    assert metadata.read_text(encoding="utf-8").splitlines()[1].startswith("tab in name\t")


def test_export_refuses_to_overwrite(emb, tmp_path):
    (tmp_path / "vectors.tsv").write_text("keep me")
    with pytest.raises(FileExistsError, match="vectors.tsv exist: choose another folder or allow overwriting"):
        export_projector(emb, artist_table(NAMES), tmp_path)
    assert (tmp_path / "vectors.tsv").read_text() == "keep me"
    assert not (tmp_path / "metadata.tsv").exists()
    export_projector(emb, artist_table(NAMES), tmp_path, overwrite=True)
    assert (tmp_path / "vectors.tsv").read_text().count("\n") == 4


def test_export_of_a_model_from_other_data(emb, tmp_path):
    other = artist_table(["a$ap mob", "somebody"])
    with pytest.raises(ModelFileError, match="trained on other data"):
        export_projector(emb, other, tmp_path / "out")
    assert not (tmp_path / "out").exists()
