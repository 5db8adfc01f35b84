"""Neighbours, analogies and measures, on hand-made vectors whose answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bands2vec_lib.similarity as similarity
from bands2vec_lib.embeddings import Embeddings
from bands2vec_lib.errors import ModelFileError, UnknownArtistError
from bands2vec_lib.similarity import (
    analogy,
    cosine_similarity,
    genre_matrix,
    genre_precision,
    genre_precision_at_k,
    nearest,
    neighbour_ids,
    neighbour_overlap,
    profile_embeddings,
    random_embeddings,
    score_error,
    score_error_at_k,
    unit_rows,
)


def table(rows: dict[str, tuple[set[str], float]]) -> pd.DataFrame:
    """An artist table: name -> (genres, mean score)."""
    means = np.array([m for _, m in rows.values()])
    return pd.DataFrame(
        {"genres": [frozenset(g) for g, _ in rows.values()], "mean_score": means,
         "score_bucket": np.rint(means).astype(int), "n_reviews": 1},
        index=pd.Index(list(rows), name="artist"),
    )  # fmt: skip


@pytest.fixture
def compass():
    """Four directions: east's neighbours are north-east, then north/south, then west."""
    names = ["east", "north-east", "north", "west", "south"]
    vectors = np.array([[1, 0], [1, 1], [0, 2], [-3, 0], [0, -1]], dtype=np.float32)
    return Embeddings(names, vectors)


def test_cosine_similarity():
    assert cosine_similarity([1, 0], [5, 0]) == pytest.approx(1.0)
    assert cosine_similarity([1, 0], [0, 3]) == pytest.approx(0.0)
    assert cosine_similarity([1, 1], [-2, -2]) == pytest.approx(-1.0)
    assert cosine_similarity([1, 0], [1, 1]) == pytest.approx(1 / np.sqrt(2))
    assert cosine_similarity([0, 0], [1, 1]) == 0.0


def test_nearest_is_cosine_and_excludes_itself(compass):
    result = nearest(compass, "east", k=4)
    assert list(result.columns) == ["artist", "similarity"]
    assert result["artist"].tolist() == ["north-east", "north", "south", "west"]  # ties by id
    np.testing.assert_allclose(result["similarity"], [1 / np.sqrt(2), 0, 0, -1], atol=1e-6)
    assert "east" not in nearest(compass, "east", k=10)["artist"].tolist()
    assert len(nearest(compass, "east", k=10)) == 4  # k larger than the others: all of them
    assert nearest(compass, "  EAST ", k=1)["artist"].tolist() == ["north-east"]


def test_nearest_errors(compass):
    with pytest.raises(UnknownArtistError, match=r"unknown artist 'eest'; did you mean .*'east'"):
        nearest(compass, "eest")
    for k in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="k must be a whole number of at least 1"):
            nearest(compass, "east", k=k)
    lonely = Embeddings(["only"], np.ones((1, 3)))
    with pytest.raises(ValueError, match="no other artist"):
        nearest(lonely, "only")


@pytest.fixture
def royals():
    """king - man + woman = queen, in three dimensions: (royalty, male, female)."""
    names = ["king", "queen", "man", "woman", "prince", "table"]
    vectors = np.array(
        [[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1], [0.8, 1, 0.1], [0.1, 0.1, 0.1]], dtype=np.float32
    )
    return Embeddings(names, vectors)


def test_analogy_known_answer(royals):
    result = analogy(royals, "king", "man", "woman", k=3)
    assert result["artist"].iloc[0] == "queen"
    unit = royals.unit()
    query = unit[0] - unit[2] + unit[3]
    assert result["similarity"].iloc[0] == pytest.approx(cosine_similarity(query, unit[1]), abs=1e-6)
    assert not {"king", "man", "woman"} & set(result["artist"])
    assert np.all(np.diff(result["similarity"]) <= 0)


def test_analogy_excludes_inputs_even_when_nearest(royals):
    # king - table points almost exactly at king itself; without exclusion king would win
    result = analogy(royals, "king", "table", k=10)
    assert result["artist"].tolist()[0] == "prince"
    assert not {"king", "table"} & set(result["artist"])
    assert len(result) == 4
    with pytest.raises(UnknownArtistError, match="did you mean 'queen'"):
        analogy(royals, "king", "man", "quen")


def test_neighbour_ids_match_brute_force(monkeypatch):
    vectors = np.random.default_rng(1).normal(size=(50, 6)).astype(np.float32)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    expected = np.argsort(-sims, axis=1, kind="stable")[:, :5]
    np.testing.assert_array_equal(neighbour_ids(vectors, 5), expected)
    monkeypatch.setattr(similarity, "_CHUNK", 7)  # several chunks give the same answer
    np.testing.assert_array_equal(neighbour_ids(vectors, 5), expected)
    with pytest.raises(ValueError, match="k must be"):
        neighbour_ids(vectors, 0)


def on_circle(degrees: list[float]) -> np.ndarray:
    """Unit vectors at the given angles: cosine order is angle order."""
    rad = np.radians(degrees)
    return np.stack([np.cos(rad), np.sin(rad)], axis=1).astype(np.float32)


def test_genre_precision_on_a_known_case():
    artists = table({
        "r1": ({"rock"}, 7.0), "r2": ({"rock"}, 7.0), "j1": ({"jazz"}, 6.0), "rj": ({"rock", "jazz"}, 8.0),
        "none": (set(), 5.0),
    })  # fmt: skip
    vectors = on_circle([0, 40, 70, 110, 175])
    emb = Embeddings(list(artists.index), vectors)
    # k=1: r1 -> r2 hit, r2 -> j1 miss, j1 -> r2 miss, rj -> j1 hit ("none" is not averaged): 2/4
    np.testing.assert_array_equal(neighbour_ids(vectors, 1)[:, 0], [1, 2, 1, 2, 3])
    assert genre_precision_at_k(emb, artists, k=1) == pytest.approx(2 / 4)
    # k=2: r1 {r2, j1} 1, r2 {j1, r1} 1, j1 {r2, rj} 1, rj {j1, none} 1 (no genre: a miss): 4/8
    assert genre_precision_at_k(emb, artists, k=2) == pytest.approx(4 / 8)
    # k=3: r1 {r2, j1, rj} 2, r2 {j1, r1, rj} 2, j1 {r2, rj, r1} 1, rj {j1, none, r2} 2: 7/12
    assert genre_precision_at_k(emb, artists, k=3) == pytest.approx(7 / 12)
    # the model's rows may be in any order: they are aligned to the table's
    shuffled = Embeddings(list(artists.index)[::-1], vectors[::-1])
    assert genre_precision_at_k(shuffled, artists, k=3) == pytest.approx(7 / 12)


def test_score_error_on_a_known_case():
    artists = table({"a": (set(), 7.0), "b": (set(), 8.0), "c": (set(), 4.0)})
    vectors = np.array([[1, 0], [1, 0.1], [0, 1]], dtype=np.float32)
    emb = Embeddings(list(artists.index), vectors)
    # neighbours: a -> b (1.0), b -> a (1.0), c -> b (4.0)
    assert score_error_at_k(emb, artists, k=1) == pytest.approx(2.0)


def test_precision_needs_genres_and_the_same_artists():
    artists = table({"a": (set(), 7.0), "b": (set(), 8.0)})
    emb = Embeddings(["a", "b"], np.eye(2))
    with pytest.raises(ValueError, match="no artist has a genre"):
        genre_precision_at_k(emb, artists)
    other = Embeddings(["a", "x"], np.eye(2))
    with pytest.raises(ModelFileError, match="trained on other data"):
        genre_precision_at_k(other, artists)


def test_genre_matrix():
    artists = table({"a": ({"rock", "jazz"}, 7.0), "b": (set(), 6.0)})
    np.testing.assert_array_equal(genre_matrix(artists), [[True, True], [False, False]])  # jazz, rock
    assert genre_matrix(table({"a": (set(), 7.0)})).shape == (1, 0)


def chance_precision(artists: pd.DataFrame) -> float:
    """The share of other artists that share a genre, averaged over artists with a genre."""
    genres = genre_matrix(artists).astype(int)
    shared = (genres @ genres.T > 0).astype(float)
    np.fill_diagonal(shared, 0)
    has = genres.any(axis=1)
    return float((shared.sum(axis=1)[has] / (len(artists) - 1)).mean())


def test_random_vectors_are_at_chance(small_artists):
    chance = chance_precision(small_artists)
    scores = [genre_precision_at_k(random_embeddings(small_artists, 32, seed=s), small_artists, 10) for s in (0, 1)]
    for score in scores:
        assert abs(score - chance) < 0.04, (score, chance)
    assert scores[0] != scores[1]


def test_random_embeddings():
    artists = table({"a": (set(), 7.0), "b": (set(), 8.0), "c": (set(), 4.0)})
    emb = random_embeddings(artists, dim=5, seed=3)
    assert emb.vectors.shape == (3, 5) and emb.names == ("a", "b", "c") and emb.meta["kind"] == "random"
    np.testing.assert_array_equal(emb.vectors, random_embeddings(artists, dim=5, seed=3).vectors)
    assert not np.array_equal(emb.vectors, random_embeddings(artists, dim=5, seed=4).vectors)
    for dim in (0, -2, 2.0, True):
        with pytest.raises(ValueError, match="dim must be a whole number of at least 1"):
            random_embeddings(artists, dim=dim)


def test_profile_embeddings_know_genres_and_buckets(small_artists):
    emb = profile_embeddings(small_artists)
    assert emb.vectors.shape[1] == genre_matrix(small_artists).shape[1] + 11
    same = [n for n in small_artists.index
            if small_artists.loc[n, "genres"] == {"rock"} and small_artists.loc[n, "score_bucket"] == 7]  # fmt: skip
    assert len(same) >= 2
    assert cosine_similarity(emb[same[0]], emb[same[1]]) == pytest.approx(1.0, abs=1e-6)
    profile = genre_precision_at_k(emb, small_artists, 10)
    assert profile > chance_precision(small_artists) + 0.4


def test_neighbour_scores_match_the_single_measures(small_artists):
    from bands2vec_lib.similarity import neighbour_scores

    emb = random_embeddings(small_artists, 16, seed=2)
    table = neighbour_scores(emb, small_artists, ks=(10, 1, 5))
    assert table["k"].tolist() == [1, 5, 10]
    for row in table.itertuples():
        assert row.genre_precision == pytest.approx(genre_precision_at_k(emb, small_artists, row.k))
        assert row.score_error == pytest.approx(score_error_at_k(emb, small_artists, row.k))


# ---- PPMI-SVD: the closed-form factorisation of the pairs ----------------------------------

from bands2vec_lib.similarity import ppmi_embeddings, ppmi_svd  # noqa: E402


def two_group_pairs(n: int = 4000, size: int = 10, seed: int = 0) -> np.ndarray:
    """Pairs of distinct ids within group 0..size-1 or within group size..2*size-1."""
    rng = np.random.default_rng(seed)
    group = rng.integers(2, size=n)
    a = rng.integers(size, size=n)
    b = (a + rng.integers(1, size, size=n)) % size  # never equal to a
    return np.stack([a + group * size, b + group * size], axis=1)


def test_ppmi_svd_separates_two_disjoint_groups():
    vectors = ppmi_svd(two_group_pairs(), vocab_size=20, dim=4)
    assert vectors.shape == (20, 4) and vectors.dtype == np.float32
    group = np.arange(20) // 10
    neighbours = neighbour_ids(vectors, k=9)
    # Every id's 9 nearest neighbours are exactly the other 9 members of its own group.
    assert np.all(group[neighbours] == group[:, None])
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cos = unit @ unit.T
    assert cos[:10, 10:].max() < cos[:10, :10][~np.eye(10, dtype=bool)].min()


def test_ppmi_svd_gives_zero_vectors_to_unseen_ids_and_checks_dim():
    vectors = ppmi_svd(two_group_pairs(), vocab_size=22, dim=4)
    assert np.all(vectors[20:] == 0) and np.all(np.linalg.norm(vectors[:20], axis=1) > 0)
    with pytest.raises(ValueError, match="dim"):
        ppmi_svd(two_group_pairs(), vocab_size=20, dim=20)


def test_ppmi_embeddings_are_ppmi_svd_with_names():
    names = [f"artist {i}" for i in range(20)]
    emb = ppmi_embeddings(two_group_pairs(), names, dim=4, seed=1)
    assert emb.names == tuple(names) and emb.meta["kind"] == "ppmi_svd"
    np.testing.assert_array_equal(emb.vectors, ppmi_svd(two_group_pairs(), 20, dim=4, seed=1))



# ---- measures of given neighbours, and of two embeddings' agreement -------------------------


def test_unit_rows():
    vectors = np.array([[3.0, 4.0], [0.0, 0.0], [0.0, -2.0]])
    np.testing.assert_allclose(unit_rows(vectors), [[0.6, 0.8], [0.0, 0.0], [0.0, -1.0]])


def test_genre_precision_and_score_error_of_given_neighbours(small_artists):
    emb = random_embeddings(small_artists, 16, seed=4)
    neighbours = neighbour_ids(emb.aligned(small_artists).vectors, 10)
    assert genre_precision(neighbours, small_artists) == genre_precision_at_k(emb, small_artists, 10)
    assert score_error(neighbours, small_artists) == score_error_at_k(emb, small_artists, 10)
    artists = table({"r1": ({"rock"}, 7.0), "r2": ({"rock"}, 6.0), "j": ({"jazz"}, 4.0), "none": (set(), 5.0)})
    given = np.array([[1, 2], [2, 3], [3, 0], [0, 1]])  # any neighbours, not only the nearest
    # r1: r2 hit, j miss; r2: j miss, none miss; j: none miss, r1 miss ("none" is not averaged)
    assert genre_precision(given, artists) == pytest.approx(1 / 6)
    # |7 - 5| + |6 - 4.5| + |4 - 6| + |5 - 6.5| over four
    assert score_error(given, artists) == pytest.approx((2 + 1.5 + 2 + 1.5) / 4)


def test_neighbour_overlap_is_one_for_the_same_neighbours(small_artists):
    emb = random_embeddings(small_artists, 16, seed=0)
    assert neighbour_overlap(emb, emb, small_artists, 10) == 1.0
    # the same vectors scaled and in another row order: the same neighbours
    order = np.random.default_rng(0).permutation(len(emb.names))
    other = Embeddings([emb.names[i] for i in order], 3 * emb.vectors[order])
    assert neighbour_overlap(emb, other, small_artists, 10) == 1.0


@pytest.mark.parametrize("k", [5, 10, 40])
def test_neighbour_overlap_of_independent_vectors_is_k_over_n(small_artists, k):
    n = len(small_artists)
    overlaps = [neighbour_overlap(random_embeddings(small_artists, 16, seed=s),
                                  random_embeddings(small_artists, 16, seed=s + 100), small_artists, k)
                for s in range(3)]  # fmt: skip
    chance = k / (n - 1)  # each of k neighbours is among the other's k of n - 1 by chance
    assert all(abs(o - chance) < 0.5 * chance for o in overlaps), (overlaps, chance)
    assert abs(np.mean(overlaps) - chance) < 0.25 * chance


def test_neighbour_overlap_on_a_known_case():
    artists = table({"a": (set(), 1.0), "b": (set(), 2.0), "c": (set(), 3.0), "d": (set(), 4.0)})
    line = Embeddings(list("abcd"), on_circle([0, 10, 30, 70]))  # a: b, c; b: a, c; c: b, a; d: c, b
    other = Embeddings(list("abcd"), on_circle([0, 100, 10, 60]))  # a: c, d; b: d, c; c: a, d; d: b, c
    # shared at k=2: a {c}, b {c}, c {a}, d {c, b}: (1 + 1 + 1 + 2) / 8
    assert neighbour_overlap(line, other, artists, 2) == pytest.approx(5 / 8)
