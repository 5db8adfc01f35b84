"""Library pieces the t-SNE and analogy lessons lean on: neighbours and arithmetic on a 2-D map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bands2vec_lib.embeddings import Embeddings
from bands2vec_lib.projection import map_analogy, map_genre_precision_at_k, map_neighbours, neighbours_kept
from bands2vec_lib.similarity import genre_precision_at_k, neighbour_ids


def _brute_force_neighbours(coords: np.ndarray, k: int) -> np.ndarray:
    distances = np.linalg.norm(coords[:, None, :] - coords[None, :, :], axis=2)
    np.fill_diagonal(distances, np.inf)
    return np.argsort(distances, axis=1, kind="stable")[:, :k]


def test_map_neighbours_match_brute_force():
    coords = np.random.default_rng(0).normal(size=(60, 2))
    for k in (1, 5, 59):
        ids = map_neighbours(coords, k)
        assert ids.shape == (60, k)
        assert (ids != np.arange(60)[:, None]).all()  # a point is not its own neighbour
        np.testing.assert_array_equal(ids, _brute_force_neighbours(coords, k))


def test_map_neighbours_errors():
    with pytest.raises(ValueError, match="from 1 to 2"):
        map_neighbours(np.zeros((3, 2)), 3)
    with pytest.raises(ValueError, match="at least 2 points"):
        map_neighbours(np.zeros((1, 2)), 1)


NAMES = ["a", "b", "c", "d", "e"]
COORDS = np.array([[5.0, 5.0], [4.0, 4.0], [0.0, 0.0], [1.0, 1.2], [10.0, 0.0]])


def test_map_analogy_is_the_nearest_point_to_the_sum():
    # a - b = (1, 1): d at (1, 1.2) is nearest (0.2), then c at the origin (1.41); inputs excluded.
    answer = map_analogy(COORDS, NAMES, "a", "b", k=3)
    assert answer["artist"].tolist() == ["d", "c", "e"]
    assert answer["distance"].tolist() == pytest.approx([0.2, np.sqrt(2), np.sqrt(81 + 1)])
    # a - b + e = (11, 1): d (10.0 away) before c (11.05); e is excluded as an input.
    assert map_analogy(COORDS, NAMES, "a", "b", "e", k=2)["artist"].tolist() == ["d", "c"]


def test_map_analogy_with_c_and_shift():
    with_c = map_analogy(COORDS, NAMES, "a", "b", "c", k=2)  # a - b + c = (1, 1)
    assert with_c["artist"].tolist() == ["d", "e"]
    # Shifting the whole map (which t-SNE may do freely) moves a - b's answer: the origin has no meaning.
    shifted = map_analogy(COORDS + 4.0, NAMES, "a", "b", k=1)
    assert shifted["artist"].tolist() == ["c"]  # (1, 1) is now nearest to c at (4, 4)


def test_map_analogy_errors():
    with pytest.raises(KeyError, match="not on this map of 5 artists"):
        map_analogy(COORDS, NAMES, "a", "zz")
    with pytest.raises(ValueError, match="from 1 to 3"):
        map_analogy(COORDS, NAMES, "a", "b", k=4)
    with pytest.raises(ValueError, match=r"\(4, 2\) array"):
        map_analogy(COORDS, NAMES[:4], "a", "b")


def test_neighbours_kept_perfect_random_and_by_hand():
    rng = np.random.default_rng(1)
    # Points on a circle: for unit vectors, cosine order is distance order (|a - b|^2 = 2 - 2 cos),
    # so the vectors' cosine neighbours are exactly the map's neighbours.
    angles = rng.uniform(0, 2 * np.pi, size=200)
    coords = np.column_stack([np.cos(angles), np.sin(angles)])
    vectors = np.column_stack([coords, np.zeros((200, 3))])
    assert neighbours_kept(coords, vectors, k=5) == 1.0
    shuffled = coords[rng.permutation(200)]
    assert neighbours_kept(shuffled, vectors, k=5) < 0.15  # about 5 / 199 by chance
    on_map, in_space = map_neighbours(shuffled, 5), neighbour_ids(vectors, 5)
    by_hand = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(on_map, in_space, strict=True)])
    assert neighbours_kept(shuffled, vectors, k=5) == pytest.approx(by_hand)
    with pytest.raises(ValueError, match="200 map points need 200 vectors"):
        neighbours_kept(coords, vectors[:10])


def test_map_genre_precision_agrees_with_the_full_space_measure():
    rng = np.random.default_rng(2)
    genres = [frozenset({g}) for g in rng.choice(["rock", "jazz", "rap"], size=120)] + [frozenset()] * 10
    artists = pd.DataFrame({"genres": genres}, index=[f"a{i}" for i in range(130)])
    angles = rng.uniform(0, 2 * np.pi, size=130)
    coords = np.column_stack([np.cos(angles), np.sin(angles)])  # on a circle, cosine order = distance order
    emb = Embeddings(list(artists.index), coords)
    assert map_genre_precision_at_k(coords, artists, k=4) == pytest.approx(genre_precision_at_k(emb, artists, k=4))
    # Each genre in its own corner: every neighbour shares the genre.
    corners = {"rock": (0, 0), "jazz": (50, 0), "rap": (0, 50)}
    clustered = np.array([corners[next(iter(g))] if g else (99, 99) for g in genres]) + rng.normal(size=(130, 2))
    assert map_genre_precision_at_k(clustered, artists, k=4) == 1.0
    with pytest.raises(ValueError, match="no artist has a genre"):
        map_genre_precision_at_k(coords[:5], artists.iloc[120:125], k=2)


def test_neighbour_scores_equal_the_single_k_measures(small_artists):
    from bands2vec_lib.similarity import neighbour_scores, random_embeddings, score_error_at_k

    emb = random_embeddings(small_artists, dim=16, seed=4)
    table = neighbour_scores(emb, small_artists, ks=(10, 1, 5, 5))
    assert table["k"].tolist() == [1, 5, 10]
    for row in table.itertuples():
        assert row.genre_precision == pytest.approx(genre_precision_at_k(emb, small_artists, k=row.k))
        assert row.score_error == pytest.approx(score_error_at_k(emb, small_artists, k=row.k))
    with pytest.raises(ValueError, match="k must be a whole number"):
        neighbour_scores(emb, small_artists, ks=(0,))
