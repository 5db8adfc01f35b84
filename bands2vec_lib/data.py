"""Review data in, a tidy table of artists out.

Two sources give the same five tables (:class:`~bands2vec_lib.sample.Tables`):

* the embedded sample (:func:`~bands2vec_lib.sample.generate_sample`), the default;
* the real Pitchfork data: Kaggle's ``database.sqlite``, or a folder of the same tables
  as CSV files, from a path or from the ``BANDS2VEC_DATA`` environment variable.

:func:`clean` applies the cleaning rules (:data:`CLEANING_RULES`) and
:func:`artist_table` gives one row per artist. :func:`load_artists` does all three.

>>> artists = load_artists(n_artists=300, seed=1)
>>> artists.loc["coil", "genres"] == {"rock", "experimental", "electronic"}
True
"""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError
from .sample import GENRES, Tables, generate_sample

DATA_ENV = "BANDS2VEC_DATA"
VARIOUS_ARTISTS = "various artists"
HOW_TO_GET = (
    "download database.sqlite from Kaggle's nolanbconaway/pitchfork-data "
    "(see the book's 'Using the real data' page)"
)
# The columns each table must have; other columns are kept but not needed.
REQUIRED_COLUMNS = {
    "reviews": ("reviewid", "artist", "score"),
    "genres": ("reviewid", "genre"),
    "artists": ("reviewid", "artist"),
    "labels": ("reviewid", "label"),
    "years": ("reviewid", "year"),
}
OPTIONAL_TABLES = ("artists", "labels", "years")

CLEANING_RULES = {
    "duplicate_rows": "exact duplicate review rows are kept once",
    "no_artist": "reviews with an empty or NULL artist are dropped",
    "various_artists": '"various artists" compilations are dropped: they are not one artist',
    "bad_score": "reviews whose score is missing or outside 0..10 are dropped",
    "null_genre": "a NULL genre is no genre: such a review only adds a score",
    "names": "artist names are lower-cased with surrounding and repeated spaces removed",
    "collaborations": 'a name like "kleenex, liliput" is one artist unless split_collaborations',
}
# The rules clean(skip=...) can leave out, to measure what the article lost without them.
SKIPPABLE_RULES = ("various_artists", "null_genre")
NULL_GENRE = "null"  # the genre a NULL becomes when the null_genre rule is skipped
# Not a label: artists who release their own records share nothing through it.
SELF_RELEASED = "self-released"


@dataclass(frozen=True)
class CleanReviews:
    """Cleaned reviews (one row per review and artist) and what each rule removed."""

    reviews: pd.DataFrame
    removed: dict[str, int]


def resolve_source(path: str | os.PathLike | None = None) -> Path | None:
    """The real data's location: ``path`` if given, else ``$BANDS2VEC_DATA``, else ``None``."""
    if path is None or str(path) == "":
        path = os.environ.get(DATA_ENV) or None
    return None if path is None else Path(path).expanduser()


def read_tables(path: str | os.PathLike) -> Tables:
    """Read Kaggle's tables from a ``database.sqlite`` file or a folder of CSV files.

    A folder may hold ``database.sqlite`` or ``reviews.csv`` and ``genres.csv`` (with,
    optionally, ``artists.csv``, ``labels.csv`` and ``years.csv``).
    """
    path = Path(path).expanduser()
    if path.is_dir():
        if (path / "database.sqlite").is_file():
            return read_sqlite(path / "database.sqlite")
        return read_csv_folder(path)
    if not path.exists():
        raise DataError(f"no data at {path}: {HOW_TO_GET}, then pass its path or set {DATA_ENV}")
    if path.suffix.lower() == ".csv":
        return read_csv_folder(path.parent)
    return read_sqlite(path)


def read_sqlite(path: str | os.PathLike) -> Tables:
    """Read the tables of Kaggle's ``database.sqlite``, opened read-only."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            header = f.read(16)
    except OSError as e:
        raise DataError(f"cannot read {path}: {e.strerror}") from None
    if header != b"SQLite format 3\x00":
        raise DataError(f"{path} is not a SQLite database: {HOW_TO_GET}")
    tables = {}
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
            for table in REQUIRED_COLUMNS:
                if table not in names:
                    tables[table] = None
                    continue
                tables[table] = pd.read_sql_query(f"select * from {table}", con)  # noqa: S608
        finally:
            con.close()
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as e:
        raise DataError(f"{path} is a damaged SQLite database ({e}): {HOW_TO_GET}") from None
    return _checked(tables, str(path))


def read_csv_folder(path: str | os.PathLike) -> Tables:
    """Read ``reviews.csv``, ``genres.csv`` (and the optional tables) from a folder.

    As in the CSV export of the Kaggle database, an empty field is SQL ``NULL``.
    """
    path = Path(path)
    tables = {}
    for table in REQUIRED_COLUMNS:
        file = path / f"{table}.csv"
        if not file.is_file():
            tables[table] = None
            continue
        try:
            # Only an empty field is missing: a band may well be called "nan" or "null".
            tables[table] = pd.read_csv(
                file, keep_default_na=False, na_values=[""], encoding="utf-8",
                quoting=csv.QUOTE_MINIMAL, dtype={"artist": object, "genre": object,
                                                  "label": object, "title": object},
            )  # fmt: skip
        except UnicodeDecodeError:
            raise DataError(f"{file} is not UTF-8 text: save it as UTF-8 and try again") from None
        except pd.errors.EmptyDataError:
            raise DataError(f"{file} is empty: {HOW_TO_GET}") from None
        except (pd.errors.ParserError, ValueError) as e:
            msg = str(e).splitlines()[0]
            raise DataError(f"{file} is not a readable CSV table ({msg}): {HOW_TO_GET}") from None
        except OSError as e:
            raise DataError(f"cannot read {file}: {e.strerror}") from None
    if tables["reviews"] is None and tables["genres"] is None:
        raise DataError(
            f"no database.sqlite, reviews.csv or genres.csv in {path}: {HOW_TO_GET}, "
            f"then pass its path or set {DATA_ENV}"
        )
    return _checked(tables, str(path))


def _checked(tables: dict[str, pd.DataFrame | None], where: str) -> Tables:
    """Check the schema; the optional tables become empty when they are absent."""
    for table, columns in REQUIRED_COLUMNS.items():
        frame = tables[table]
        if frame is None:
            if table in OPTIONAL_TABLES:
                tables[table] = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
                continue
            raise DataError(f"{where} has no '{table}' table: {HOW_TO_GET}")
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DataError(
                f"the '{table}' table in {where} lacks column(s) {', '.join(missing)}: "
                f"is it Kaggle's Pitchfork data? {HOW_TO_GET}"
            )
    if len(tables["reviews"]) == 0:
        raise DataError(f"the 'reviews' table in {where} is empty: {HOW_TO_GET}")
    for table in tables.values():
        table["reviewid"] = pd.to_numeric(table["reviewid"], errors="coerce")
    reviews = tables["reviews"]
    if reviews["reviewid"].isna().any():
        raise DataError(
            f"the 'reviews' table in {where} has {int(reviews['reviewid'].isna().sum())} reviewid(s) "
            f"that are not numbers: is it Kaggle's Pitchfork data? {HOW_TO_GET}"
        )
    reviews["score"] = pd.to_numeric(reviews["score"], errors="coerce")
    return Tables(**tables)


def load_tables(
    path: str | os.PathLike | None = None, *, n_artists: int | None = None, seed: int = 0
) -> Tables:
    """The real data if ``path`` or ``$BANDS2VEC_DATA`` names it, else the embedded sample.

    ``n_artists`` and ``seed`` size and seed the sample; they are ignored for real data.
    """
    source = resolve_source(path)
    if source is None:
        return generate_sample(n_artists=n_artists, seed=seed)
    return read_tables(source)


def _normal_name(name: object) -> str | None:
    if not isinstance(name, str):
        return None
    name = " ".join(name.lower().split())
    return name or None


def clean(tables: Tables, *, split_collaborations: bool = False, skip: Collection[str] = ()) -> CleanReviews:
    """Apply :data:`CLEANING_RULES`: one row per (review, artist) with its genres.

    ``skip`` leaves out rules of :data:`SKIPPABLE_RULES`, as the original article did:
    ``"various_artists"`` keeps the compilations as one artist, ``"null_genre"`` makes
    a NULL genre the genre :data:`NULL_GENRE`. Their counts in ``removed`` are then 0.

    Returns
    -------
    CleanReviews
        ``reviews`` has columns ``reviewid, artist, score, genres`` (a tuple in the
        order of :data:`GENRES`, empty for none) and ``labels`` (a tuple); ``removed``
        counts the rows each rule removed.
    """
    unknown = sorted(set(skip) - set(SKIPPABLE_RULES))
    if unknown or isinstance(skip, str):
        raise ValueError(f"skip takes rules among {', '.join(SKIPPABLE_RULES)}, not {unknown or skip!r}")
    removed = {}
    reviews = tables.reviews
    before = len(reviews)
    reviews = reviews.drop_duplicates(ignore_index=True)
    reviews = reviews.drop_duplicates(subset="reviewid", ignore_index=True)
    removed["duplicate_rows"] = before - len(reviews)
    reviews = reviews.assign(artist=reviews["artist"].map(_normal_name))

    if split_collaborations and len(tables.artists):
        credits = tables.artists.assign(artist=tables.artists["artist"].map(_normal_name))
        credits = credits.dropna(subset=["artist"]).drop_duplicates()
        credited = reviews.drop(columns="artist").merge(credits, on="reviewid", how="left")
        # A review without a row in the artists table keeps the name it has.
        fallback = reviews.set_index("reviewid")["artist"]
        missing = credited["artist"].isna()
        credited.loc[missing, "artist"] = credited.loc[missing, "reviewid"].map(fallback)
        reviews = credited

    before = len(reviews)
    reviews = reviews[reviews["artist"].notna()]
    removed["no_artist"] = before - len(reviews)
    before = len(reviews)
    if "various_artists" not in skip:
        reviews = reviews[reviews["artist"] != VARIOUS_ARTISTS]
    removed["various_artists"] = before - len(reviews)
    before = len(reviews)
    scores = reviews["score"]
    reviews = reviews[scores.notna() & (scores >= 0) & (scores <= 10)]
    removed["bad_score"] = before - len(reviews)

    order = {g: i for i, g in enumerate(GENRES)}
    genre_names = tables.genres["genre"].map(_normal_name)
    removed["null_genre"] = int(genre_names.isna().sum())
    if "null_genre" in skip:
        genre_names, removed["null_genre"] = genre_names.fillna(NULL_GENRE), 0
    genres = tables.genres.assign(genre=genre_names).dropna()
    genres = genres.drop_duplicates()
    by_review = genres.groupby("reviewid")["genre"].agg(
        lambda g: tuple(sorted(g, key=lambda x: (order.get(x, len(order)), x)))
    )
    labels = tables.labels.dropna(subset=["label"]).drop_duplicates()
    labels_by_review = labels.groupby("reviewid")["label"].agg(tuple)

    out = pd.DataFrame({
        "reviewid": reviews["reviewid"].astype("int64").to_numpy(),
        "artist": reviews["artist"].astype(object).to_numpy(),
        "score": reviews["score"].astype(float).to_numpy(),
    })  # fmt: skip
    out["genres"] = out["reviewid"].map(by_review).map(lambda g: g if isinstance(g, tuple) else ())
    out["labels"] = out["reviewid"].map(labels_by_review).map(
        lambda g: g if isinstance(g, tuple) else ()
    )
    if out.empty:
        raise DataError("no reviews are left after cleaning: is this Kaggle's Pitchfork data?")
    return CleanReviews(reviews=out, removed=removed)


def score_bucket(mean_score: np.ndarray | float) -> np.ndarray:
    """The mean score rounded to a whole number (half to even, as NumPy rounds)."""
    return np.rint(mean_score).astype(int)


def artist_table(reviews: pd.DataFrame) -> pd.DataFrame:
    """One row per artist, most reviewed first (ties by name): the vocabulary's order.

    Columns: ``genres`` (a frozenset), ``n_reviews``, ``scores`` (a tuple), ``mean_score``,
    ``score_bucket`` (the mean rounded to a whole number) and ``labels`` (a frozenset).
    """
    grouped = reviews.groupby("artist", sort=False)
    table = pd.DataFrame({
        "genres": grouped["genres"].agg(lambda gs: frozenset(g for t in gs for g in t)),
        "n_reviews": grouped.size(),
        "scores": grouped["score"].agg(tuple),
        "mean_score": grouped["score"].mean(),
        "labels": grouped["labels"].agg(lambda ls: frozenset(x for t in ls for x in t)),
    })  # fmt: skip
    table["score_bucket"] = score_bucket(table["mean_score"].to_numpy())
    table.index = table.index.astype(object)
    table.index.name = "artist"
    table = table.reset_index().sort_values(
        ["n_reviews", "artist"], ascending=[False, True], kind="stable"
    )
    return table.set_index("artist")[
        ["genres", "n_reviews", "scores", "mean_score", "score_bucket", "labels"]
    ]


def load_artists(
    path: str | os.PathLike | None = None,
    *,
    n_artists: int | None = None,
    seed: int = 0,
    split_collaborations: bool = False,
) -> pd.DataFrame:
    """Load (the sample by default), clean, and tabulate the artists in one call."""
    tables = load_tables(path, n_artists=n_artists, seed=seed)
    return artist_table(clean(tables, split_collaborations=split_collaborations).reviews)


def record_labels(artists: pd.DataFrame) -> pd.Series:
    """Each artist's record labels (a frozenset), without :data:`SELF_RELEASED`."""
    return artists["labels"].map(lambda labels: frozenset(labels) - {SELF_RELEASED})


def label_members(artists: pd.DataFrame) -> pd.DataFrame:
    """One row per (artist position, label): ``artist`` is the row of ``artists``.

    Labels are those of :func:`record_labels`; rows are sorted by label, then artist.
    """
    labels = record_labels(artists)
    owner = np.repeat(np.arange(len(artists)), labels.map(len).to_numpy())
    names = [label for ls in labels for label in sorted(ls)]
    frame = pd.DataFrame({"artist": owner.astype(np.int64), "label": pd.Series(names, dtype=object)})
    return frame.sort_values(["label", "artist"], ignore_index=True)


def label_statistics(artists: pd.DataFrame, *, max_pairs: int = 50, seed: int = 0) -> dict[str, float]:
    """The figures that describe how labels sit in a catalogue (see the real data's STATS).

    Label-mates are two different artists of one label; up to ``max_pairs`` of them are
    drawn from each label (with replacement), and as many pairs of random artists. Two
    artists share a genre when they have one in common (no genre shares nothing), and a
    score bucket when their mean scores round alike.

    Returns
    -------
    dict
        ``labels`` (labels with an artist), ``artists_per_label_median``, ``_mean``,
        ``_max``, ``labels_with_two_or_more`` (a share), ``labels_per_artist`` (mean, over
        artists with a label), ``mates_share_genre``, ``random_share_genre``,
        ``mates_share_bucket``, ``random_share_bucket`` and ``lowest_mean_of_five_reviews``
        (the lowest mean score of an artist with five or more reviews).
    """
    members = label_members(artists)
    sizes = members.groupby("label", sort=False).size()
    rng = np.random.default_rng(seed)
    multi = members[members["label"].map(sizes) >= 2]
    codes, uniques = pd.factorize(multi["label"])
    starts = np.searchsorted(codes, np.arange(len(uniques)))
    counts = np.diff(np.append(starts, len(codes)))
    per_label = np.minimum(counts * (counts - 1) // 2, max_pairs)
    label_of = np.repeat(np.arange(len(uniques)), per_label)
    first = rng.integers(0, counts[label_of])
    second = rng.integers(0, counts[label_of] - 1)
    second += second >= first
    ids = multi["artist"].to_numpy()
    a, b = ids[starts[label_of] + first], ids[starts[label_of] + second]
    x = rng.integers(len(artists), size=len(a))
    y = (x + rng.integers(1, len(artists), size=len(a))) % len(artists)
    genres = genre_matrix(artists)
    buckets = artists["score_bucket"].to_numpy()
    with_label = record_labels(artists).map(len)
    five = artists.loc[artists["n_reviews"] >= 5, "mean_score"]
    return {
        "labels": float(len(sizes)),
        "artists_per_label_median": float(sizes.median()),
        "artists_per_label_mean": float(sizes.mean()),
        "artists_per_label_max": float(sizes.max()),
        "labels_with_two_or_more": float((sizes >= 2).mean()),
        "labels_per_artist": float(with_label[with_label > 0].mean()),
        "mates_share_genre": float((genres[a] & genres[b]).any(axis=1).mean()),
        "random_share_genre": float((genres[x] & genres[y]).any(axis=1).mean()),
        "mates_share_bucket": float((buckets[a] == buckets[b]).mean()),
        "random_share_bucket": float((buckets[x] == buckets[y]).mean()),
        "lowest_mean_of_five_reviews": float(five.min()) if len(five) else float("nan"),
    }


def genre_matrix(artists: pd.DataFrame) -> np.ndarray:
    """A boolean (artists x genres) matrix, genres in alphabetical order."""
    names = sorted({g for gs in artists["genres"] for g in gs})
    column = {g: j for j, g in enumerate(names)}
    out = np.zeros((len(artists), len(names)), dtype=bool)
    rows = [i for i, gs in enumerate(artists["genres"]) for _ in gs]
    out[rows, [column[g] for gs in artists["genres"] for g in gs]] = True
    return out
