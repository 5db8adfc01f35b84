"""The vectorised :func:`clean` and :func:`artist_table` give what the rules say, row by row.

The reference below is the plain, slow reading of :data:`CLEANING_RULES`: a Python loop over
the rows of each table, with no pandas grouping or merging. Both are run on a small sample,
on a hand-made table full of edge cases, and on the real data when it is here, with every
combination of ``split_collaborations`` and ``skip``; the results must be equal, with the
same dtypes and the same Python types inside the cells (tuples, frozensets, floats).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bands2vec_lib.data import (
    NULL_GENRE,
    SKIPPABLE_RULES,
    VARIOUS_ARTISTS,
    artist_table,
    clean,
    read_csv_folder,
    read_sqlite,
    score_bucket,
)
from bands2vec_lib.sample import GENRES, Tables, generate_sample

REAL_DATA = Path(__file__).resolve().parents[2] / "shared/data/pitchfork"
OPTIONS = [
    pytest.param(split, skip, id=f"split={split}-skip={'+'.join(skip) or 'none'}")
    for split in (False, True)
    for skip in ((), ("various_artists",), ("null_genre",), SKIPPABLE_RULES)
]
# On the real data (slower): as the course cleans it, with both rules skipped, split, and both.
REAL_OPTIONS = [OPTIONS[0], OPTIONS[3], OPTIONS[4], OPTIONS[7]]
COLUMNS = ["genres", "n_reviews", "scores", "mean_score", "score_bucket", "labels"]


# ---- the reference: one row at a time ------------------------------------------------------


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def normal(name):
    if not isinstance(name, str):
        return None
    return " ".join(name.lower().split()) or None


def row_key(row: tuple) -> tuple:
    """A row as a key in which every missing value is equal (as pandas finds duplicates)."""
    return tuple(None if missing(v) else v for v in row)


def records(frame: pd.DataFrame) -> list[dict]:
    return [dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(index=False, name=None)]


def distinct(rows: list[dict]) -> list[dict]:
    """The rows, each exact copy kept once (the first)."""
    seen, out = set(), []
    for row in rows:
        key = row_key(tuple(row.values()))
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def reference_clean(tables: Tables, *, split_collaborations=False, skip=()):
    removed = {}
    rows, first_of = distinct(records(tables.reviews)), {}
    for row in rows:
        first_of.setdefault(row_key((row["reviewid"],)), row)
    kept = [row for row in rows if first_of[row_key((row["reviewid"],))] is row]
    removed["duplicate_rows"] = len(tables.reviews) - len(kept)

    credits: dict = {}
    if split_collaborations and len(tables.artists):
        named = [{**row, "artist": normal(row["artist"])} for row in records(tables.artists)]
        for row in distinct([row for row in named if row["artist"] is not None]):
            credits.setdefault(row_key((row["reviewid"],)), []).append(row["artist"])
    rows = []
    for row in kept:
        names = credits.get(row_key((row["reviewid"],)), [normal(row["artist"])])
        rows += [(row["reviewid"], name, row["score"]) for name in names]

    counts = dict.fromkeys(["no_artist", "various_artists", "bad_score"], 0)
    good = []
    for reviewid, name, score in rows:
        if name is None:
            counts["no_artist"] += 1
        elif name == VARIOUS_ARTISTS and "various_artists" not in skip:
            counts["various_artists"] += 1
        elif missing(score) or not 0 <= score <= 10:
            counts["bad_score"] += 1
        else:
            good.append((reviewid, name, score))
    removed.update(counts)

    genre_rows = [{**row, "genre": normal(row["genre"])} for row in records(tables.genres)]
    removed["null_genre"] = sum(row["genre"] is None for row in genre_rows)
    if "null_genre" in skip:
        removed["null_genre"] = 0
        genre_rows = [{**row, "genre": row["genre"] or NULL_GENRE} for row in genre_rows]
    genres: dict = {}
    for row in distinct([row for row in genre_rows if not any(missing(v) for v in row.values())]):
        genres.setdefault(row["reviewid"], []).append(row["genre"])
    place = {g: i for i, g in enumerate(GENRES)}
    genres = {k: tuple(sorted(v, key=lambda g: (place.get(g, len(place)), g))) for k, v in genres.items()}
    labels: dict = {}
    for row in distinct([row for row in records(tables.labels) if not missing(row["label"])]):
        if not missing(row["reviewid"]):
            labels.setdefault(row["reviewid"], []).append(row["label"])

    reviews = pd.DataFrame({
        "reviewid": np.array([int(r) for r, _, _ in good], dtype="int64"),
        "artist": [name for _, name, _ in good],
        "score": np.array([s for _, _, s in good], dtype=float),
        "genres": [genres.get(int(r), ()) for r, _, _ in good],
        "labels": [tuple(labels.get(int(r), ())) for r, _, _ in good],
    })  # fmt: skip
    return reviews, removed


def kahan_mean(values) -> float:
    """The mean as pandas' grouped mean adds up: with Kahan's compensated sum, in row order."""
    total = compensation = 0.0
    for v in values:
        y = v - compensation
        t = total + y
        compensation = (t - total) - y
        total = t
    return total / len(values)


def reference_artist_table(reviews: pd.DataFrame) -> pd.DataFrame:
    per_artist: dict = {}
    for row in records(reviews):
        if missing(row["artist"]):
            continue
        entry = per_artist.setdefault(row["artist"], {"genres": set(), "scores": [], "labels": set()})
        entry["genres"].update(row["genres"])
        entry["scores"].append(row["score"])
        entry["labels"].update(row["labels"])
    names = sorted(per_artist, key=lambda name: (-len(per_artist[name]["scores"]), name))
    means = [kahan_mean(per_artist[name]["scores"]) for name in names]
    table = pd.DataFrame(
        {
            "genres": [frozenset(per_artist[name]["genres"]) for name in names],
            "n_reviews": np.array([len(per_artist[name]["scores"]) for name in names], dtype=np.int64),
            "scores": [tuple(per_artist[name]["scores"]) for name in names],
            "mean_score": np.array(means, dtype=float),
            "score_bucket": score_bucket(np.array(means, dtype=float)),
            "labels": [frozenset(per_artist[name]["labels"]) for name in names],
        },
        index=pd.Index(names, name="artist"),
    )
    return table[COLUMNS]


# ---- comparing -----------------------------------------------------------------------------


def cell_types(frame: pd.DataFrame, column: str) -> list:
    return [(type(v), tuple(type(x) for x in v) if isinstance(v, tuple) else ()) for v in frame[column]]


def assert_same(tables: Tables, split: bool, skip: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    result = clean(tables, split_collaborations=split, skip=skip)
    expected, removed = reference_clean(tables, split_collaborations=split, skip=skip)
    assert result.removed == removed
    pd.testing.assert_frame_equal(result.reviews, expected, check_exact=True)
    for column in ("genres", "labels"):
        assert cell_types(result.reviews, column) == cell_types(expected, column)
    artists, expected_artists = artist_table(result.reviews), reference_artist_table(result.reviews)
    pd.testing.assert_frame_equal(artists, expected_artists, check_exact=True)
    for column in ("genres", "scores", "labels"):
        assert cell_types(artists, column) == cell_types(expected_artists, column)
    return result.reviews, artists


@pytest.fixture(scope="module")
def sample_300() -> Tables:
    return generate_sample(n_artists=300, seed=1)


def edge_tables(*, numbers: bool = True) -> Tables:
    """Every case a rule has to decide, in a few rows (``numbers``: with a name that is a number)."""
    nan = float("nan")
    reviews = [
        (1, "Kleenex, Liliput", 7.0),  # a collaboration, with rows in the artists table
        (2, None, 6.0),  # NULL artist
        (3, "", 6.0),  # empty name
        (4, "   ", 6.0),  # only spaces
        (5, "  Various   Artists ", 5.0),  # a compilation, however written
        (6, "The  KNIFE", 8.0),
        (6, "The  KNIFE", 8.0),  # an exact duplicate row
        (7, "the knife\t", 9.0),  # the same artist, written otherwise
        (7, "someone else", 2.0),  # the same reviewid again, other content: the first row is kept
        (8, "the knife", 11.0),  # score out of range
        (9, "the knife", -0.5),
        (10, "the knife", nan),  # no score
        (11, "Sigur\u00a0R\u00d3S", 10.0),  # a non-breaking space, capitals beyond ASCII
        (12, 1349, 7.5),  # not a string: no name
        (13, "a, b", 0.0),  # a collaboration without a row in the artists table
        (14, "solo", 6.5),  # no genre row at all
        (15, "solo", 6.6),
        (16, "c, d", 4.0),  # its only credit has no name: the review keeps its own
    ]
    genres = [
        (1, "Rock"), (1, "electronic"), (1, "ROCK "), (2, "rock"), (3, "jazz"), (5, None), (6, "zydeco"),
        (6, "Ambient"), (6, "metal"), (6, None), (7, "rock"), (7, "rock"), (11, "experimental"), (11, "global"),
        (13, None), (14, "  "), (15, "folk/country"), (99, "rock"),
    ]  # fmt: skip
    artists = [(1, "Kleenex"), (1, "LiLiPUT"), (1, "kleenex"), (6, "the knife"), (16, None), (98, "ghost")]
    labels = [
        (1, "Mute"), (1, "Kill Rock Stars"), (1, "Mute"), (6, "rabid"), (6, None), (7, "Rabid"), (7, "rabid"),
        (11, "fat cat"), (14, "self-released"), (15, "solo records"), (15, "self-released"), (97, "nobody"),
        (nan, "lost"),
    ]  # fmt: skip
    if not numbers:  # every name a string (or NULL): the names take another way through clean
        reviews = [row for row in reviews if not isinstance(row[1], int)]
    return Tables(
        reviews=pd.DataFrame(reviews, columns=["reviewid", "artist", "score"]),
        genres=pd.DataFrame(genres, columns=["reviewid", "genre"]),
        artists=pd.DataFrame(artists, columns=["reviewid", "artist"]),
        labels=pd.DataFrame(labels, columns=["reviewid", "label"]),
        years=pd.DataFrame({"reviewid": pd.Series(dtype=int), "year": pd.Series(dtype=int)}),
    )


@pytest.mark.parametrize(("split", "skip"), OPTIONS)
def test_sample_as_the_rules_say(sample_300, split, skip):
    assert_same(sample_300, split, skip)


@pytest.mark.parametrize("numbers", [True, False])
@pytest.mark.parametrize(("split", "skip"), OPTIONS)
def test_edge_cases_as_the_rules_say(split, skip, numbers):
    reviews, artists = assert_same(edge_tables(numbers=numbers), split, skip)
    # And by hand, the cases that matter most.
    null = (NULL_GENRE,) if "null_genre" in skip else ()
    assert reviews["reviewid"].tolist().count(7) == 1
    assert reviews.set_index("reviewid").loc[6, "genres"] == ("metal", "ambient", *null, "zydeco")
    assert artists.loc["the knife", "n_reviews"] == 2
    assert artists.loc["the knife", "genres"] == {"metal", "rock", "ambient", "zydeco", *null}
    assert artists.loc["sigur r\u00f3s", "genres"] == {"experimental", "global"}
    assert ("kleenex" in artists.index) == split and ("kleenex, liliput" in artists.index) == (not split)
    assert ("various artists" in artists.index) == ("various_artists" in skip)
    assert "c, d" in artists.index and "a, b" in artists.index


@pytest.mark.parametrize(("split", "skip"), OPTIONS)
def test_without_the_optional_tables(split, skip):
    """No artists table, no labels table (the CSV form may lack them): every review keeps its name."""
    tables = edge_tables()
    empty = pd.DataFrame({"reviewid": pd.Series(dtype=object), "artist": pd.Series(dtype=object)})
    none = pd.DataFrame({"reviewid": pd.Series(dtype=object), "label": pd.Series(dtype=object)})
    reviews, artists = assert_same(Tables(tables.reviews, empty, tables.genres, none, tables.years), split, skip)
    assert set(reviews["labels"]) == {()} and set(artists["labels"]) == {frozenset()}


def test_extra_columns_take_part_in_the_duplicates():
    """A row is a duplicate only if every column is equal, as pandas' drop_duplicates says."""
    tables = edge_tables()
    genres = tables.genres.assign(source=["x", "y"] * (len(tables.genres) // 2) + ["x"] * (len(tables.genres) % 2))
    genres.loc[genres["genre"] == "global", "source"] = None  # a row with a NULL anywhere is no genre
    labels = tables.labels.assign(source="x")
    labels.loc[2, "source"] = "y"  # (1, "Mute") twice, from two sources
    tables = Tables(tables.reviews, tables.artists, genres, labels, tables.years)
    reviews, _ = assert_same(tables, False, ())
    assert reviews.set_index("reviewid").loc[1, "labels"] == ("Mute", "Kill Rock Stars", "Mute")
    assert reviews.set_index("reviewid").loc[11, "genres"] == ("experimental",)


def test_artist_table_needs_no_shared_tuples(sample_300):
    """Cells that are equal but not the same objects (as read from elsewhere) give the same table."""
    reviews = clean(sample_300).reviews
    fresh = reviews.assign(
        genres=[tuple(g.encode().decode() for g in t) for t in reviews["genres"]],
        labels=[tuple(x.encode().decode() for x in t) for t in reviews["labels"]],
    )
    pd.testing.assert_frame_equal(artist_table(fresh), artist_table(reviews), check_exact=True)
    pd.testing.assert_frame_equal(artist_table(fresh), reference_artist_table(fresh), check_exact=True)


def test_artist_table_of_unsorted_names():
    """Names of mixed types do not sort in Python: pandas still orders them as before."""
    reviews = pd.DataFrame({
        "reviewid": [1, 2, 3], "artist": pd.Series(["b", 5, "a"], dtype=object), "score": [7.0, 6.0, 5.0],
        "genres": [("rock",), (), ("jazz",)], "labels": [("x",), ("y",), ()],
    })  # fmt: skip
    table = artist_table(reviews)
    assert table.index.tolist() == [5, "a", "b"]
    assert table.loc["a", "genres"] == frozenset({"jazz"}) and table.loc[5, "labels"] == frozenset({"y"})


def test_artist_table_of_no_artist():
    """No named artist, no row: the columns keep the dtypes pandas' grouping gave them."""
    reviews = pd.DataFrame({"reviewid": [1], "artist": [None], "score": [7.0], "genres": [()], "labels": [()]})
    table = artist_table(reviews)
    assert table.empty and table.index.name == "artist" and table.index.dtype == object
    assert table.dtypes.astype(str).to_dict() == {
        "genres": "object", "n_reviews": "int64", "scores": "float64", "mean_score": "float64",
        "score_bucket": "int64", "labels": "object",
    }  # fmt: skip


@pytest.mark.skipif(not (REAL_DATA / "database.sqlite").is_file(), reason=f"the real data is not at {REAL_DATA}")
@pytest.mark.parametrize("form", ["sqlite", "csv"])
@pytest.mark.parametrize(("split", "skip"), REAL_OPTIONS)
def test_real_data_as_the_rules_say(form, split, skip):
    if form == "csv" and not (REAL_DATA / "reviews.csv").is_file():
        pytest.skip(f"no reviews.csv in {REAL_DATA}")
    tables = read_sqlite(REAL_DATA / "database.sqlite") if form == "sqlite" else read_csv_folder(REAL_DATA)
    assert_same(tables, split, skip)
