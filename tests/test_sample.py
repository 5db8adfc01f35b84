"""The embedded sample: seeded, and shaped like the real data (figures from STATS.md).

The figures are written out here again, not imported from ``sample.py``: a wrong constant
there must make these tests fail.
"""

from __future__ import annotations

import itertools
import math
import re
import time
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from conftest import REAL_DB

from bands2vec_lib.data import VARIOUS_ARTISTS, artist_table, clean, label_statistics, load_artists
from bands2vec_lib.errors import DataError
from bands2vec_lib.sample import Tables, generate_sample

# The real data (STATS.md): named artists other than "various artists", and review rows.
REAL_ARTISTS = 8713
REAL_REVIEWS = 18393
ARTISTS_PER_GENRE = {
    "rock": 3946, "electronic": 1857, "pop/r&b": 835, "experimental": 819, "rap": 727,
    "metal": 440, "folk/country": 355, "jazz": 270, "global": 129,
}  # fmt: skip
GENRES_PER_ARTIST = {0: 1394, 1: 8713 - 1394 - 1815, 2: 1595, 3: 198, 4: 22}
COMMON_PAIRS = {
    ("electronic", "rock"): 606, ("experimental", "rock"): 466, ("metal", "rock"): 218,
    ("electronic", "pop/r&b"): 132, ("electronic", "experimental"): 105, ("pop/r&b", "rap"): 81,
    ("pop/r&b", "rock"): 77, ("electronic", "jazz"): 68,
}  # fmt: skip
SCORE_BUCKETS = (4, 8, 48, 93, 247, 462, 1574, 3318, 2757, 185, 19)
REVIEWS_PER_ARTIST = {(1, 1): 5134, (2, 2): 1599, (3, 3): 808, (4, 5): 713, (6, 10): 384, (11, 20): 73}
# What label_statistics gives on the real data (measured on database.sqlite; where that
# file is, the test measures them again and checks these).
REAL_LABEL_STATISTICS = {
    "labels": 3556.0, "artists_per_label_median": 1.0, "artists_per_label_mean": 3.7567,
    "artists_per_label_max": 138.0, "labels_with_two_or_more": 0.3878, "labels_per_artist": 1.5645,
    "mates_share_genre": 0.5144, "random_share_genre": 0.2760, "mates_share_bucket": 0.3228,
    "random_share_bucket": 0.2815, "lowest_mean_of_five_reviews": 3.62,
}  # fmt: skip
KAGGLE_REVIEW_COLUMNS = [
    "reviewid", "title", "artist", "url", "score", "best_new_music", "author", "author_type",
    "pub_date", "pub_weekday", "pub_day", "pub_month", "pub_year",
]  # fmt: skip
ARTICLE = {  # name: (genres, reviews, mean score)
    "coil": ({"rock", "experimental", "electronic"}, 1, 7.9),
    "elder ones": ({"experimental"}, 1, 7.8),
    "black lips": ({"rock"}, 5, 7.48),
    "crookers": ({"electronic"}, 1, 5.5),
    "guided by voices": ({"rock"}, 23, 7.23),
}


def assert_tables_equal(a: Tables, b: Tables) -> None:
    for name, frame in a.as_dict().items():
        pd.testing.assert_frame_equal(frame, b.as_dict()[name], obj=name)


def genre_pairs(artists: pd.DataFrame) -> Counter:
    return Counter(p for gs in artists["genres"] for p in itertools.combinations(sorted(gs), 2))


# ---- determinism and sizes ------------------------------------------------------------


def test_same_seed_same_tables_other_seed_other_tables():
    first, again = generate_sample(n_artists=300, seed=11), generate_sample(n_artists=300, seed=11)
    assert_tables_equal(first, again)
    other = generate_sample(n_artists=300, seed=12)
    assert not first.reviews["artist"].equals(other.reviews["artist"])
    assert not first.reviews["score"].equals(other.reviews["score"])


def test_default_size_is_the_real_datas(full_tables, full_artists):
    names = full_tables.reviews["artist"].dropna()
    assert names.nunique() == REAL_ARTISTS + 1  # and "various artists"
    assert VARIOUS_ARTISTS in set(names)
    assert len(full_artists) == REAL_ARTISTS
    assert abs(len(full_tables.reviews) - REAL_REVIEWS) <= 0.05 * REAL_REVIEWS


def test_tables_have_kaggles_columns(small_tables):
    assert list(small_tables.reviews.columns) == KAGGLE_REVIEW_COLUMNS
    assert list(small_tables.genres.columns) == ["reviewid", "genre"]
    assert list(small_tables.artists.columns) == ["reviewid", "artist"]
    assert list(small_tables.labels.columns) == ["reviewid", "label"]
    assert list(small_tables.years.columns) == ["reviewid", "year"]
    # every review has genre, label and year rows, and nothing else is referenced
    ids = set(small_tables.reviews["reviewid"])
    for name in ("genres", "artists", "labels", "years"):
        assert set(small_tables.as_dict()[name]["reviewid"]) <= ids, name
    assert set(small_tables.genres["reviewid"]) == ids


def test_every_cleaning_rule_has_something_to_do(full_tables):
    removed = clean(full_tables).removed
    assert removed["duplicate_rows"] == 4
    assert removed["no_artist"] >= 1
    assert abs(removed["various_artists"] - 687) <= 0.05 * 687
    assert removed["null_genre"] > 1000
    assert full_tables.reviews["artist"].str.contains(", ", regex=False).sum() > 300  # collaborations


# ---- the real data's shape ------------------------------------------------------------


def test_artists_per_genre_within_5_percent(full_artists):
    counts = Counter(g for gs in full_artists["genres"] for g in gs)
    assert set(counts) == set(ARTISTS_PER_GENRE)
    for genre, real in ARTISTS_PER_GENRE.items():
        assert abs(counts[genre] - real) <= 0.05 * real, (genre, counts[genre], real)


def test_genres_per_artist(full_artists):
    counts = Counter(len(gs) for gs in full_artists["genres"])
    assert set(counts) == set(GENRES_PER_ARTIST)
    for n, real in GENRES_PER_ARTIST.items():
        assert abs(counts[n] - real) <= max(0.05 * real, 3), (n, counts[n], real)


def test_common_genre_pairs(full_artists):
    pairs = genre_pairs(full_artists)
    ranked = [p for p, _ in pairs.most_common()]
    # The three big pairs in the real order and within 15%,
    assert ranked[:3] == list(COMMON_PAIRS)[:3]
    for pair in list(COMMON_PAIRS)[:3]:
        assert abs(pairs[pair] - COMMON_PAIRS[pair]) <= 0.15 * COMMON_PAIRS[pair], pair
    # the eight common pairs all common (none off by more than 0.75x..1.75x),
    for pair, real in COMMON_PAIRS.items():
        assert 0.75 * real <= pairs[pair] <= 1.75 * real, (pair, pairs[pair], real)
    # and no other pair as common as the least common of the eight.
    others = {p: c for p, c in pairs.items() if p not in COMMON_PAIRS}
    assert max(others.values()) < min(COMMON_PAIRS.values()), max(others.items(), key=lambda x: x[1])


def test_score_buckets(full_artists):
    counts = np.bincount(full_artists["score_bucket"], minlength=11)
    assert len(counts) == 11
    for bucket, (got, real) in enumerate(zip(counts, SCORE_BUCKETS, strict=True)):
        assert abs(got - real) <= max(0.1 * real, 10), (bucket, got, real)
    share, real_share = counts / counts.sum(), np.array(SCORE_BUCKETS) / sum(SCORE_BUCKETS)
    assert 0.5 * np.abs(share - real_share).sum() < 0.03  # total variation distance


def test_scores_are_one_decimal_in_range(full_tables):
    scores = full_tables.reviews["score"].to_numpy()
    assert scores.min() >= 0 and scores.max() <= 10
    assert np.allclose(scores * 10, np.round(scores * 10))
    assert abs(scores.mean() - 7.006) < 0.15  # the real mean review score


def test_reviews_per_artist(full_artists):
    n = full_artists["n_reviews"].to_numpy()
    for (lo, hi), real in REVIEWS_PER_ARTIST.items():
        got = int(((n >= lo) & (n <= hi)).sum())
        assert abs(got - real) <= max(0.1 * real, 10), ((lo, hi), got, real)
    real_mean = (REAL_REVIEWS - 4 - 687 - 1) / REAL_ARTISTS  # named artists' reviews, deduplicated
    assert abs(n.mean() - real_mean) <= 0.05 * real_mean
    assert 20 <= n.max() <= 30


# ---- names, article artists, URLs --------------------------------------------------------


def test_names_lowercase_ascii_unique_some_special(full_tables, full_artists):
    names = list(full_artists.index)
    assert len(set(names)) == len(names)
    for name in names:
        assert name == name.lower() and name.isascii() and name == " ".join(name.split()), name
    for char in "$&,":
        assert sum(char in name for name in names) >= 20, char
    credited = full_tables.artists["artist"]
    assert all(isinstance(n, str) and n == n.lower() and n.isascii() for n in credited)


@pytest.mark.parametrize("name", ARTICLE)
def test_article_artists(full_artists, small_artists, name):
    genres, n_reviews, mean = ARTICLE[name]
    for artists in (full_artists, small_artists):
        row = artists.loc[name]
        assert row["genres"] == genres
        assert row["n_reviews"] == n_reviews
        assert round(row["mean_score"], 2) == mean


def test_urls_are_not_pitchforks(full_tables):
    urls = full_tables.reviews["url"]
    assert not urls.str.contains("pitchfork", case=False).any()
    assert urls.map(lambda u: re.fullmatch(r"https://example\.org/[\w/-]+/", u) is not None).all()


# ---- small sizes ---------------------------------------------------------------------


@pytest.mark.parametrize("n", [15, 60, 500])
def test_small_sizes_work_and_are_fast(n):
    start = time.process_time()  # CPU time: not inflated by a busy machine
    tables = generate_sample(n_artists=n, seed=5)
    cpu = time.process_time() - start
    artists = artist_table(clean(tables).reviews)
    assert len(artists) == n
    assert set(ARTICLE) <= set(artists.index)
    assert cpu < 2.0


def test_small_sample_keeps_the_genre_mix(small_artists):
    counts = Counter(g for gs in small_artists["genres"] for g in gs)
    scale = len(small_artists) / REAL_ARTISTS
    for genre in ("rock", "electronic", "pop/r&b", "experimental"):
        assert abs(counts[genre] - ARTISTS_PER_GENRE[genre] * scale) <= 0.15 * ARTISTS_PER_GENRE[genre] * scale + 3


@pytest.mark.parametrize("bad", [0, 14, -3, 2.5, "100", True])
def test_bad_sizes_are_refused(bad):
    with pytest.raises(DataError, match=r"n_artists must be (a whole number|at least 15)"):
        generate_sample(n_artists=bad)


# ---- record labels and the scores of prolific artists -----------------------------------


@pytest.fixture(scope="module")
def real_label_statistics() -> dict[str, float]:
    """label_statistics of the real data where it is here, else the figures written above."""
    if not REAL_DB.is_file():
        return REAL_LABEL_STATISTICS
    measured = label_statistics(load_artists(REAL_DB))
    assert measured == pytest.approx(REAL_LABEL_STATISTICS, rel=1e-4, abs=1e-4), "update REAL_LABEL_STATISTICS"
    return measured


def test_label_statistics_within_10_percent_of_the_real_datas(full_artists, real_label_statistics):
    sample = label_statistics(full_artists)
    assert set(sample) == set(real_label_statistics)
    off = {key: (round(sample[key], 4), real) for key, real in real_label_statistics.items()
           if not abs(sample[key] - real) <= 0.10 * abs(real)}  # fmt: skip
    assert not off, off
    # label-mates share a genre and a bucket more often than random artists, as in the real data
    assert sample["mates_share_genre"] > 1.5 * sample["random_share_genre"]
    assert sample["mates_share_bucket"] > sample["random_share_bucket"]


def test_no_artist_of_five_reviews_scores_under_the_real_lowest(full_artists, real_label_statistics):
    sample = label_statistics(full_artists)["lowest_mean_of_five_reviews"]
    assert sample >= real_label_statistics["lowest_mean_of_five_reviews"] == pytest.approx(3.62)
    five = full_artists[full_artists["n_reviews"] >= 5]
    assert len(five) > 500 and five["mean_score"].min() == sample


def test_label_statistics_on_a_known_case():
    artists = pd.DataFrame(
        {"genres": [frozenset({"rock"}), frozenset({"rock"}), frozenset({"rock", "jazz"}), frozenset()],
         "score_bucket": [7, 7, 7, 3], "n_reviews": [5, 1, 6, 1], "mean_score": [7.0, 6.8, 6.6, 2.9],
         "labels": [frozenset({"x", "self-released"}), frozenset({"x"}), frozenset({"x", "y"}),
                    frozenset({"self-released"})]},
        index=pd.Index(list("abcd"), name="artist"),
    )  # fmt: skip
    stats = label_statistics(artists)
    assert stats["labels"] == 2 and stats["artists_per_label_max"] == 3  # x: a, b, c; y: c
    assert stats["artists_per_label_median"] == stats["artists_per_label_mean"] == 2.0
    assert stats["labels_with_two_or_more"] == 0.5
    assert stats["labels_per_artist"] == pytest.approx(4 / 3)  # d has no label but self-released
    assert stats["mates_share_genre"] == stats["mates_share_bucket"] == 1.0  # x's three share rock and 7
    assert stats["lowest_mean_of_five_reviews"] == 6.6  # b and d have fewer reviews
    assert math.isnan(label_statistics(artists.assign(n_reviews=1))["lowest_mean_of_five_reviews"])
