"""Loaders, cleaning rules and the artist table, on small hand-made tables and files."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bands2vec_lib.data import (
    CLEANING_RULES,
    DATA_ENV,
    SELF_RELEASED,
    artist_table,
    clean,
    genre_matrix,
    label_members,
    load_artists,
    load_tables,
    read_csv_folder,
    read_sqlite,
    read_tables,
    record_labels,
    resolve_source,
    score_bucket,
)
from bands2vec_lib.errors import DataError
from bands2vec_lib.sample import Tables, generate_sample

ARTIST_COLUMNS = ["genres", "n_reviews", "scores", "mean_score", "score_bucket", "labels"]


def make_tables(reviews, genres, artists=(), labels=()) -> Tables:
    """Tables from rows: reviews (reviewid, artist, score), genres (reviewid, genre), ..."""
    return Tables(
        reviews=pd.DataFrame(list(reviews), columns=["reviewid", "artist", "score"]),
        genres=pd.DataFrame(list(genres), columns=["reviewid", "genre"]),
        artists=pd.DataFrame(list(artists), columns=["reviewid", "artist"]),
        labels=pd.DataFrame(list(labels), columns=["reviewid", "label"]),
        years=pd.DataFrame({"reviewid": pd.Series(dtype=int), "year": pd.Series(dtype=int)}),
    )


def cleaned(reviews, genres, **kw):
    return clean(make_tables(reviews, genres, **kw.pop("extra", {})), **kw)


# ---- the cleaning rules, one by one -------------------------------------------------------


def test_every_rule_is_documented_and_counted():
    result = cleaned([(1, "a", 7.0)], [(1, "rock")])
    assert set(result.removed) == set(CLEANING_RULES) - {"names", "collaborations"}
    assert all(isinstance(text, str) and text for text in CLEANING_RULES.values())


def test_duplicate_rows_are_kept_once():
    result = cleaned(
        [(1, "a", 7.0), (1, "a", 7.0), (1, "a", 7.0), (2, "b", 6.0), (3, "c", 5.0), (3, "c", 5.5)],
        [(1, "rock"), (2, "rock"), (3, "jazz")],
    )
    assert result.removed["duplicate_rows"] == 3  # two exact copies, and a second row for id 3
    assert sorted(result.reviews["reviewid"]) == [1, 2, 3]
    assert result.reviews.set_index("reviewid").loc[3, "score"] == 5.0  # the first row is kept


def test_null_or_empty_artist_is_dropped():
    result = cleaned(
        [(1, None, 7.0), (2, "", 6.0), (3, "   ", 6.0), (4, np.nan, 6.0), (5, "a", 5.0)],
        [(i, "rock") for i in range(1, 6)],
    )
    assert result.removed["no_artist"] == 4
    assert result.reviews["artist"].tolist() == ["a"]


def test_various_artists_are_dropped_whatever_the_case():
    result = cleaned(
        [(1, "various artists", 7.0), (2, "Various  Artists", 6.0), (3, "various artists band", 6.0)],
        [(1, None), (2, "rock"), (3, "rock")],
    )
    assert result.removed["various_artists"] == 2
    assert result.reviews["artist"].tolist() == ["various artists band"]


def test_null_genre_is_no_genre():
    result = cleaned([(1, "a", 7.0), (2, "a", 8.0), (3, "b", 6.0)], [(1, None), (2, "rock"), (3, None)])
    assert result.removed["null_genre"] == 2
    by_id = result.reviews.set_index("reviewid")["genres"]
    assert by_id[1] == () and by_id[2] == ("rock",) and by_id[3] == ()
    artists = artist_table(result.reviews)
    assert artists.loc["a", "genres"] == {"rock"}
    assert artists.loc["b", "genres"] == frozenset()
    assert artists.loc["b", "mean_score"] == 6.0  # still an artist, with a score


def test_bad_scores_are_dropped_and_the_bounds_kept():
    result = cleaned(
        [(1, "a", np.nan), (2, "b", -0.1), (3, "c", 10.1), (4, "d", 0.0), (5, "e", 10.0), (6, "f", np.inf)],
        [(i, "rock") for i in range(1, 7)],
    )
    assert result.removed["bad_score"] == 4
    assert sorted(result.reviews["artist"]) == ["d", "e"]


def test_names_are_normalised_and_merged():
    result = cleaned([(1, "  Black   LIPS ", 7.0), (2, "black lips", 8.0), (3, "Nan", 5.0)],
                     [(1, "rock"), (2, "rock"), (3, "jazz")])  # fmt: skip
    assert sorted(result.reviews["artist"]) == ["black lips", "black lips", "nan"]
    artists = artist_table(result.reviews)
    assert artists.loc["black lips", "n_reviews"] == 2
    assert artists.loc["black lips", "mean_score"] == 7.5
    assert "nan" in artists.index  # a band may be called "nan": it is a name, not a missing value


def test_genres_are_ordered_and_deduplicated():
    result = cleaned([(1, "a", 7.0)], [(1, "zydeco"), (1, "jazz"), (1, "Rock"), (1, "rock")])
    assert result.reviews.loc[0, "genres"] == ("rock", "jazz", "zydeco")  # GENRES order, unknown last


def test_split_collaborations():
    tables = dict(
        reviews=[(1, "kleenex, liliput", 7.0), (2, "kleenex", 6.0), (3, "solo act", 5.0)],
        genres=[(1, "rock"), (2, "rock"), (3, "jazz")],
        extra={"artists": [(1, "Kleenex"), (1, "liliput"), (2, "kleenex")]},  # no row for review 3
    )
    whole = cleaned(**tables)
    assert sorted(whole.reviews["artist"]) == ["kleenex", "kleenex, liliput", "solo act"]
    split = cleaned(**tables, split_collaborations=True)
    assert sorted(split.reviews["artist"]) == ["kleenex", "kleenex", "liliput", "solo act"]
    artists = artist_table(split.reviews)
    assert artists.loc["kleenex", "n_reviews"] == 2 and artists.loc["liliput", "scores"] == (7.0,)


def test_labels_are_collected():
    result = cleaned([(1, "a", 7.0), (2, "a", 6.0)], [(1, "rock"), (2, "rock")],
                     extra={"labels": [(1, "x"), (1, "y"), (2, "x"), (2, None)]})  # fmt: skip
    assert result.reviews.set_index("reviewid").loc[1, "labels"] == ("x", "y")
    assert artist_table(result.reviews).loc["a", "labels"] == {"x", "y"}


def labelled(labels: dict[str, set[str]]) -> pd.DataFrame:
    """An artist table with only the labels column: name -> labels."""
    return pd.DataFrame({"labels": [frozenset(ls) for ls in labels.values()]},
                        index=pd.Index(list(labels), name="artist"))  # fmt: skip


def test_record_labels_leave_out_self_released():
    artists = labelled({"a": {"x", SELF_RELEASED}, "b": {SELF_RELEASED}, "c": set(), "d": {"y", "x"}})
    labels = record_labels(artists)
    assert labels.tolist() == [frozenset({"x"}), frozenset(), frozenset(), frozenset({"x", "y"})]
    assert list(labels.index) == list(artists.index) and SELF_RELEASED == "self-released"


def test_label_members_one_row_per_membership_sorted_by_label():
    artists = labelled({"a": {"y", SELF_RELEASED}, "b": {"x", "y"}, "c": set(), "d": {"x"}})
    members = label_members(artists)
    assert list(members.columns) == ["artist", "label"] and members["artist"].dtype == np.int64
    assert list(members.itertuples(index=False, name=None)) == [(1, "x"), (3, "x"), (0, "y"), (1, "y")]
    empty = label_members(labelled({"a": {SELF_RELEASED}}))
    assert len(empty) == 0 and list(empty.columns) == ["artist", "label"]


def test_label_members_of_the_sample_are_its_labels(small_artists):
    members = label_members(small_artists)
    again = members.groupby("artist")["label"].agg(frozenset)
    labels = record_labels(small_artists)
    assert again.to_dict() == {i: ls for i, ls in enumerate(labels) if ls}
    assert len(members) == labels.map(len).sum()


def test_genre_matrix_columns_are_genres_in_order():
    artists = pd.DataFrame({"genres": [frozenset({"rock", "jazz"}), frozenset(), frozenset({"rap"})]})
    np.testing.assert_array_equal(genre_matrix(artists), [[True, False, True], [False, False, False],
                                                          [False, True, False]])  # jazz, rap, rock; fmt: skip
    assert genre_matrix(pd.DataFrame({"genres": [frozenset()]})).shape == (1, 0)


def test_nothing_left_is_an_error():
    with pytest.raises(DataError, match="no reviews are left after cleaning"):
        cleaned([(1, "various artists", 7.0), (2, None, 6.0), (3, "a", 11.0)], [(1, "rock")])


# ---- the artist table -------------------------------------------------------------------


def test_artist_table_columns_types_and_order():
    result = cleaned(
        [(1, "b", 7.0), (2, "b", 8.0), (3, "a", 6.0), (4, "c", 5.0), (5, "c", 6.0), (6, "d", 9.0)],
        [(1, "rock"), (2, "jazz"), (3, None), (4, "metal"), (5, "metal"), (6, "rap")],
    )
    artists = artist_table(result.reviews)
    assert list(artists.columns) == ARTIST_COLUMNS
    assert artists.index.name == "artist"
    assert list(artists.index) == ["b", "c", "a", "d"]  # most reviews first, ties by name
    assert artists.loc["b", "genres"] == frozenset({"rock", "jazz"})
    assert isinstance(artists.loc["b", "genres"], frozenset)
    assert artists.loc["b", "scores"] == (7.0, 8.0)
    assert artists.loc["c", "mean_score"] == 5.5
    assert artists.loc["c", "score_bucket"] == 6  # 5.5 rounds to even
    assert artists["score_bucket"].dtype.kind == "i"
    assert artists["n_reviews"].tolist() == [2, 2, 1, 1]


@pytest.mark.parametrize(
    ("mean", "bucket"),
    [(0.0, 0), (0.49, 0), (0.5, 0), (1.5, 2), (6.5, 6), (6.51, 7), (7.5, 8), (7.4999, 7), (9.5, 10), (10.0, 10)],
)
def test_score_bucket_rounds_half_to_even(mean, bucket):
    assert score_bucket(mean) == bucket
    assert score_bucket(np.array([mean, mean])).tolist() == [bucket, bucket]


# ---- where the data comes from ----------------------------------------------------------


def test_resolve_source(monkeypatch, tmp_path):
    assert resolve_source() is None
    assert resolve_source("") is None
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "env.sqlite"))
    assert resolve_source() == tmp_path / "env.sqlite"
    assert resolve_source("") == tmp_path / "env.sqlite"
    assert resolve_source(tmp_path / "given.sqlite") == tmp_path / "given.sqlite"  # a path wins
    monkeypatch.setenv(DATA_ENV, "")
    assert resolve_source() is None
    assert resolve_source("~/x.sqlite") == Path.home() / "x.sqlite"


def test_load_tables_follows_the_environment(monkeypatch, small_db, small_tables):
    assert load_tables(n_artists=60, seed=1).reviews.equals(generate_sample(60, seed=1).reviews)
    monkeypatch.setenv(DATA_ENV, str(small_db))
    from_env = load_tables(n_artists=60, seed=1)  # the size is for the sample only
    assert len(from_env.reviews) == len(small_tables.reviews)
    assert set(from_env.reviews["reviewid"]) == set(small_tables.reviews["reviewid"])


def test_load_artists_is_clean_then_artist_table():
    expected = artist_table(clean(generate_sample(n_artists=120, seed=4)).reviews)
    pd.testing.assert_frame_equal(load_artists(n_artists=120, seed=4), expected)


# ---- the readers --------------------------------------------------------------------------


def test_sqlite_and_csv_give_the_sample_back(small_tables, small_artists, small_db, csv_writer, tmp_path):
    folder = csv_writer(small_tables, tmp_path / "csv")
    from_sqlite, from_csv = read_sqlite(small_db), read_csv_folder(folder)
    for tables in (from_sqlite, from_csv):
        assert len(tables.reviews) == len(small_tables.reviews)
        assert tables.reviews["score"].dtype.kind == "f"
        assert tables.reviews["artist"].isna().sum() == small_tables.reviews["artist"].isna().sum()
        pd.testing.assert_frame_equal(artist_table(clean(tables).reviews), small_artists)
    # read_tables finds either form, from a file or a folder
    for where in (small_db, small_db.parent, folder, folder / "reviews.csv"):
        pd.testing.assert_frame_equal(artist_table(clean(read_tables(where)).reviews), small_artists)
    pd.testing.assert_frame_equal(load_artists(small_db), small_artists)


def test_optional_tables_may_be_absent(small_tables, csv_writer, tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    small_tables.reviews.to_csv(folder / "reviews.csv", index=False)
    small_tables.genres.to_csv(folder / "genres.csv", index=False)
    tables = read_csv_folder(folder)
    assert len(tables.artists) == 0 and list(tables.labels.columns) == ["reviewid", "label"]
    artists = artist_table(clean(tables).reviews)
    assert (artists["labels"] == frozenset()).all()
    assert len(artists) == len(artist_table(clean(small_tables).reviews))


def test_csv_keeps_names_that_look_missing(tmp_path):
    (tmp_path / "reviews.csv").write_text(
        'reviewid,artist,score\n1,nan,7.0\n2,null,6.0\n3,,5.0\n4,"a, b",7.5\n5,NA,6.5\n', encoding="utf-8"
    )
    (tmp_path / "genres.csv").write_text("reviewid,genre\n1,rock\n2,\n3,jazz\n4,rock\n5,rap\n", encoding="utf-8")
    tables = read_csv_folder(tmp_path)
    result = clean(tables)
    assert sorted(result.reviews["artist"]) == ["a, b", "na", "nan", "null"]
    assert result.removed["no_artist"] == 1 and result.removed["null_genre"] == 1
    assert math.isclose(artist_table(result.reviews).loc["a, b", "mean_score"], 7.5)


def test_csv_in_utf8_with_non_ascii_names(tmp_path):
    (tmp_path / "reviews.csv").write_text("reviewid,artist,score\n1,Motörhead,7.0\n2,björk,8.0\n", encoding="utf-8")
    (tmp_path / "genres.csv").write_text("reviewid,genre\n1,metal\n2,electronic\n", encoding="utf-8")
    artists = load_artists(tmp_path)
    assert sorted(artists.index) == ["björk", "motörhead"]


def test_scores_as_text_are_coerced(tmp_path):
    (tmp_path / "reviews.csv").write_text("reviewid,artist,score\n1,a,seven\n2,b, 6.5\n", encoding="utf-8")
    (tmp_path / "genres.csv").write_text("reviewid,genre\n1,rock\n2,rock\n", encoding="utf-8")
    result = clean(read_csv_folder(tmp_path))
    assert result.removed["bad_score"] == 1 and result.reviews["score"].tolist() == [6.5]


def test_skip_keeps_various_artists_and_makes_null_a_genre():
    from bands2vec_lib.data import NULL_GENRE, SKIPPABLE_RULES

    reviews = [(1, "various artists", 7.0), (2, "Various Artists", 6.0), (3, "a", 8.0), (4, "a", 5.0)]
    genres = [(1, None), (2, "rock"), (3, None), (4, "rock")]
    assert cleaned(reviews, genres).removed["various_artists"] == 2
    kept = cleaned(reviews, genres, skip=("various_artists",))
    assert kept.removed["various_artists"] == 0 and kept.removed["null_genre"] == 2
    assert kept.reviews["artist"].tolist() == ["various artists", "various artists", "a", "a"]
    assert artist_table(kept.reviews).loc["various artists", "n_reviews"] == 2
    both = cleaned(reviews, genres, skip=SKIPPABLE_RULES)
    assert both.removed["null_genre"] == 0
    by_id = both.reviews.set_index("reviewid")["genres"]
    assert by_id[1] == (NULL_GENRE,) and by_id[2] == ("rock",) and by_id[3] == (NULL_GENRE,)
    assert artist_table(both.reviews).loc["a", "genres"] == {"rock", NULL_GENRE}
    for bad in (("bad_score",), "null_genre", ("no such rule",)):
        with pytest.raises(ValueError, match="skip takes rules among various_artists, null_genre"):
            cleaned(reviews, genres, skip=bad)
