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
import gc
import os
import sqlite3
from collections.abc import Collection
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, repeat
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


def _normal_names(values: np.ndarray) -> np.ndarray:
    """:func:`_normal_name` of every value (an object array, ``None`` for no name), worked
    out once per distinct value: an artist's name comes back on each of its reviews."""
    codes, uniques = pd.factorize(values)
    if pd.api.types.infer_dtype(uniques, skipna=False) == "string":  # the usual case: only strings
        normal = _as_objects(map(" ".join, map(str.split, map(str.lower, uniques))), len(uniques))
        normal[normal == ""] = None
    else:
        normal = _as_objects(map(_normal_name, uniques), len(uniques))
    return np.append(normal, None)[codes]  # a missing value (code -1) is no name


def _as_objects(items, n: int) -> np.ndarray:
    """An object array of ``n`` items (tuples, frozensets) kept whole, not unpacked by NumPy."""
    return np.fromiter(items, dtype=object, count=n)


def _stable_order(small: np.ndarray) -> np.ndarray:
    """The stable argsort of small non-negative integers (a radix sort when they fit 16 bits)."""
    narrow = len(small) and small.max() < 2**16
    return np.argsort(small.astype(np.uint16) if narrow else small, kind="stable")


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct integers of ``values``, sorted."""
    values = np.sort(values)
    new = np.ones(len(values), dtype=bool)
    new[1:] = values[1:] != values[:-1]
    return values[new]


def _first_of_each(code: np.ndarray, n_codes: int) -> np.ndarray:
    """The first position of each code ``0 .. n_codes - 1`` in ``code``."""
    first = np.empty(n_codes, dtype=np.int64)
    first[code[::-1]] = np.arange(len(code) - 1, -1, -1)  # the last write, the first position, wins
    return first


def _by_length(values: np.ndarray, start: np.ndarray, length: np.ndarray, kind) -> np.ndarray:
    """``kind(values[s : s + n])`` for each start ``s`` and length ``n``, as an object array.

    They are made by ``zip`` (in C), one length at a time: the loop is over the lengths
    and the positions within them, not over the items made.
    """
    out = np.empty(len(start), dtype=object)
    order = _stable_order(length)
    sizes = np.bincount(length[order]) if len(length) else np.zeros(0, dtype=np.int64)
    ends = np.cumsum(sizes)
    with _collector_paused():
        for n, (begin, end) in enumerate(zip((ends - sizes).tolist(), ends.tolist(), strict=True)):
            if begin == end:
                continue
            at = order[begin:end]
            columns = [values[start[at] + k].tolist() for k in range(n)]
            made = zip(*columns, strict=True) if n else repeat((), end - begin)
            out[at] = _as_objects(made if kind is tuple else map(kind, made), end - begin)
    return out


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while a million tuples or frozensets are made:
    it would otherwise run every few hundred of them, over more and more objects (making
    frozensets took ten times as long). Nothing is lost: it runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _distinct_sequences(group: np.ndarray, item: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Number the distinct sequences of items that groups ``0 .. n_groups - 1`` hold.

    ``group`` is sorted, each group's rows in their order, and ``item`` holds codes >= 0.
    The loop is over positions in a sequence (as many as the longest has), not over groups:
    at each position, a group's number and its item there give it a new number. When every
    sequence fits an int64 as a number written with its items as digits, that is the number;
    else the numbers are renumbered at each position, to stay small.

    Returns
    -------
    tuple
        each group's sequence number (0, 1, ... in order of first appearance; groups
        without rows share one) and, for each sequence, the first group that has it.
    """
    counts = np.bincount(group, minlength=n_groups)
    position = np.arange(len(group)) - (np.cumsum(counts) - counts)[group]
    width = int(item.max()) + 2 if len(item) else 1  # the digits are items + 1: no sequence is 0
    digits = (width ** int(counts.max()) if n_groups else 1) < 2**63
    number = np.zeros(n_groups, dtype=np.int64)
    by_position = _stable_order(position)
    begin, fresh = 0, 1
    for end in np.cumsum(np.bincount(position)).tolist():
        rows = by_position[begin:end]
        begin, owner = end, group[rows]
        if digits:
            number[owner] = number[owner] * width + item[rows] + 1
            continue
        new = pd.factorize(number[owner] * width + item[rows] + 1)[0]
        number[owner] = fresh + new
        fresh += int(new.max()) + 1
    sequence, distinct = pd.factorize(number)
    return sequence, _first_of_each(sequence, len(distinct))


def _grouped_tuples(
    group: np.ndarray, item: np.ndarray, values: np.ndarray, n_groups: int, *, kind=tuple
) -> np.ndarray:
    """Each group's items (codes into ``values``) as a ``kind`` (a tuple, in the rows' order,
    or a frozenset), made once per distinct sequence and shared by the groups that have it.

    ``group`` is sorted; an object array of ``n_groups`` is returned.
    """
    sequence, first = _distinct_sequences(group, item, n_groups)
    counts = np.bincount(group, minlength=n_groups)
    start = np.cumsum(counts) - counts
    return _by_length(values[item], start[first], counts[first], kind)[sequence]


def _review_tuples(
    frame: pd.DataFrame, column: str, item: np.ndarray, values: np.ndarray, *, complete: bool, rank: bool
) -> tuple[pd.Index, np.ndarray]:
    """Each review's items: the rows of ``frame`` with an item (``item`` codes them into
    ``values``, -1 for none) and, if ``complete``, no missing value in another column, kept
    once (equal in every column), grouped by ``reviewid`` and, if ``rank``, sorted by code.

    Returns the reviewids (an index) and their tuples (an object array), as
    ``frame.groupby("reviewid")[column].agg(tuple)`` would give them.
    """
    coded = frame.assign(**{column: item})
    usable = (item >= 0) & coded.notna().all(axis=1).to_numpy() if complete else item >= 0
    coded = coded[usable]
    two_columns = list(coded.columns) == ["reviewid", column]
    if not two_columns:
        coded = coded[~coded.duplicated().to_numpy()]
    review, reviewids = pd.factorize(coded["reviewid"])  # as groupby: a NaN reviewid is in no group
    item = coded[column].to_numpy()[review >= 0]
    review = review[review >= 0]
    key = review.astype(np.int64) * len(values) + item
    order = np.argsort(key, kind="stable")  # by review, then item, then row
    if two_columns:  # a row is a (review, item) pair: keep the first of equal ones
        new = np.ones(len(order), dtype=bool)
        new[1:] = key[order[1:]] != key[order[:-1]]
        order = order[new]
    if not rank:  # by review, then row
        order = np.sort(order)
        order = order[np.argsort(review[order], kind="stable")]
    tuples = _grouped_tuples(review[order], item[order], values, len(reviewids))
    return pd.Index(reviewids), tuples


def _per_row(reviewids: pd.Index, tuples: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The tuple of each row's reviewid (``Series.map`` looks up the same way), ``()`` for none."""
    at = reviewids.get_indexer(rows)
    return np.append(tuples, _as_objects([()], 1))[np.where(at >= 0, at, len(tuples))]


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
    # Exact duplicate rows share their reviewid: keeping each reviewid's first row keeps them once.
    first = ~tables.reviews["reviewid"].duplicated().to_numpy()
    removed["duplicate_rows"] = int(np.count_nonzero(~first))
    reviews = tables.reviews.loc[first, ["reviewid", "score"]].reset_index(drop=True)
    artist = _normal_names(tables.reviews["artist"].to_numpy(dtype=object)[first])

    if split_collaborations and len(tables.artists):
        credits = tables.artists.assign(artist=_normal_names(tables.artists["artist"].to_numpy(dtype=object)))
        credits = credits.dropna(subset=["artist"]).drop_duplicates()[["reviewid", "artist"]]
        credited = reviews.merge(credits, on="reviewid", how="left")
        # A review without a row in the artists table keeps the name it has.
        fallback = pd.Series(artist, index=reviews["reviewid"])
        missing = credited["artist"].isna()
        credited.loc[missing, "artist"] = credited.loc[missing, "reviewid"].map(fallback)
        reviews, artist = credited[["reviewid", "score"]], credited["artist"].to_numpy(dtype=object)

    keep = pd.notna(artist)
    removed["no_artist"] = int(np.count_nonzero(~keep))
    various = keep & (artist == VARIOUS_ARTISTS) if "various_artists" not in skip else np.zeros_like(keep)
    removed["various_artists"] = int(np.count_nonzero(various))
    keep &= ~various
    scores = reviews["score"]
    scored = (scores.notna() & (scores >= 0) & (scores <= 10)).to_numpy()
    removed["bad_score"] = int(np.count_nonzero(keep & ~scored))
    keep &= scored
    reviews = reviews[keep]

    # Genres are numbered in their order: that of GENRES, then unknown ones alphabetically.
    order = {g: i for i, g in enumerate(GENRES)}
    genre_names = _normal_names(tables.genres["genre"].to_numpy(dtype=object))
    null = pd.isna(genre_names)
    removed["null_genre"] = int(np.count_nonzero(null))
    if "null_genre" in skip:
        genre_names[null], removed["null_genre"] = NULL_GENRE, 0
    genre_code, names = pd.factorize(genre_names)
    ranked = sorted(range(len(names)), key=lambda i: (order.get(names[i], len(order)), names[i]))
    rank = np.empty(len(names) + 1, dtype=np.int64)
    rank[ranked], rank[-1] = np.arange(len(names)), -1
    genre_ids, genre_tuples = _review_tuples(
        tables.genres, "genre", rank[genre_code], np.array([names[i] for i in ranked], dtype=object),
        complete=True, rank=True,
    )
    label_code, label_names = pd.factorize(tables.labels["label"].to_numpy(dtype=object))
    label_ids, label_tuples = _review_tuples(
        tables.labels, "label", label_code, label_names, complete=False, rank=False
    )

    out = pd.DataFrame({
        "reviewid": reviews["reviewid"].astype("int64").to_numpy(),
        "artist": artist[keep],
        "score": reviews["score"].astype(float).to_numpy(),
    })  # fmt: skip
    out["genres"] = _per_row(genre_ids, genre_tuples, out["reviewid"].to_numpy())
    out["labels"] = _per_row(label_ids, label_tuples, out["reviewid"].to_numpy())
    if out.empty:
        raise DataError("no reviews are left after cleaning: is this Kaggle's Pitchfork data?")
    return CleanReviews(reviews=out, removed=removed)


def score_bucket(mean_score: np.ndarray | float) -> np.ndarray:
    """The mean score rounded to a whole number (half to even, as NumPy rounds)."""
    return np.rint(mean_score).astype(int)


def _by_identity(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes for objects told apart by identity, and the object of each code.

    Equal objects that are not the same get different codes: fine for the tuples of a
    column taken apart (their elements are then told apart by value), and it spares hashing
    every tuple where :func:`clean` shares one tuple among the reviews that have it.
    """
    code, ids = pd.factorize(np.fromiter(map(id, values), dtype=np.int64, count=len(values)))
    return code, values[_first_of_each(code, len(ids))]


def _union_per_group(group: np.ndarray, collections: np.ndarray, n_groups: int) -> np.ndarray:
    """The union of each group's collections (tuples) as a frozenset, one per group.

    Each collection is taken apart once; a frozenset is made once per distinct set.
    """
    which, distinct = _by_identity(collections)
    lengths = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))
    element, elements = pd.factorize(
        _as_objects(chain.from_iterable(distinct), int(lengths.sum())), use_na_sentinel=False
    )
    # Each (group, collection) pair once, then one row per element of its collection.
    pairs = _sorted_unique(group.astype(np.int64) * len(distinct) + which)
    owner, which = np.divmod(pairs, max(len(distinct), 1))
    size = lengths[which]
    at = np.repeat(np.cumsum(lengths)[which] - np.cumsum(size), size) + np.arange(int(size.sum()))
    members = _sorted_unique(np.repeat(owner, size) * max(len(elements), 1) + element[at])
    owner, member = np.divmod(members, max(len(elements), 1))
    return _grouped_tuples(owner, member, np.asarray(elements, dtype=object), n_groups, kind=frozenset)


def artist_table(reviews: pd.DataFrame) -> pd.DataFrame:
    """One row per artist, most reviewed first (ties by name): the vocabulary's order.

    Columns: ``genres`` (a frozenset), ``n_reviews``, ``scores`` (a tuple), ``mean_score``,
    ``score_bucket`` (the mean rounded to a whole number) and ``labels`` (a frozenset).
    """
    artist, names = pd.factorize(reviews["artist"].to_numpy(dtype=object))  # as groupby: no NaN artist
    named = artist >= 0
    artist, n = artist[named], len(names)
    counts = np.bincount(artist, minlength=n)
    scores = reviews["score"][named]
    flat = scores.to_numpy()[np.argsort(artist, kind="stable")]
    mean = scores.groupby(artist).mean().to_numpy() if n else np.zeros(0)
    columns = {
        "genres": _union_per_group(artist, reviews["genres"].to_numpy(dtype=object)[named], n),
        "n_reviews": counts.astype(np.int64),
        "scores": _by_length(flat, np.cumsum(counts) - counts, counts, tuple) if n else np.zeros(0),  # as before
        "mean_score": mean,
        "score_bucket": score_bucket(mean),
        "labels": _union_per_group(artist, reviews["labels"].to_numpy(dtype=object)[named], n),
    }
    try:  # by name: Python's sort, of names, is faster than pandas' of a column of them
        by_name = np.empty(n, dtype=np.int64)
        by_name[sorted(range(n), key=names.tolist().__getitem__)] = np.arange(n)
        order = np.lexsort((by_name, -counts))
    except TypeError:  # names that do not compare (mixed types): pandas knows how to sort them
        order = pd.DataFrame({"n_reviews": counts, "artist": names}).sort_values(
            ["n_reviews", "artist"], ascending=[False, True], kind="stable"
        ).index.to_numpy()
    return pd.DataFrame({"artist": names[order], **{k: v[order] for k, v in columns.items()}}).set_index("artist")


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
