"""The embedded sample: invented Pitchfork-like review data, generated from a seed.

The course runs everywhere on this sample, so it needs no download and no file from
outside the repository. It has the shape of the real data (the figures below are the
real data's, from Kaggle's ``nolanbconaway/pitchfork-data``): nine genres with their
real frequencies and co-occurrences, review scores by genre, reviews per artist,
"various artists" compilations without a genre, collaborations credited as one name,
a few exact duplicate rows and one review with no artist, so that every cleaning rule
has something to do. Artist names, album titles, labels and authors are invented.

>>> tables = generate_sample(n_artists=300, seed=1)
>>> sorted(tables.as_dict())
['artists', 'genres', 'labels', 'reviews', 'years']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import DataError, is_whole_number

GENRES = (
    "rock", "electronic", "experimental", "rap", "pop/r&b",
    "metal", "folk/country", "jazz", "global",
)  # fmt: skip

# Figures of the real data (see the course's STATS.md), for 8,713 named artists.
REAL_N_ARTISTS = 8713
ARTISTS_PER_GENRE = {
    "rock": 3946, "electronic": 1857, "pop/r&b": 835, "experimental": 819, "rap": 727,
    "metal": 440, "folk/country": 355, "jazz": 270, "global": 129,
}  # fmt: skip
ARTISTS_BY_GENRE_COUNT = {0: 1393, 1: 5506, 2: 1595, 3: 198, 4: 22}
COMMON_GENRE_PAIRS = {
    ("electronic", "rock"): 606, ("experimental", "rock"): 466, ("metal", "rock"): 218,
    ("electronic", "pop/r&b"): 132, ("electronic", "experimental"): 105,
    ("pop/r&b", "rap"): 81, ("pop/r&b", "rock"): 77, ("electronic", "jazz"): 68,
}  # fmt: skip
OTHER_GENRE_PAIRS = 568  # artists' genre pairs not in COMMON_GENRE_PAIRS
MEAN_SCORE_BY_GENRE = {
    "global": 7.44, "experimental": 7.34, "jazz": 7.30, "folk/country": 7.20, "metal": 6.95,
    "rock": 6.94, "electronic": 6.92, "rap": 6.90, "pop/r&b": 6.88,
}  # fmt: skip
MEAN_SCORE = 7.006
ARTISTS_PER_SCORE_BUCKET = (4, 8, 48, 93, 247, 462, 1575, 3315, 2758, 185, 19)
WITHIN_ARTIST_SD = 0.75
REVIEWS_PER_ARTIST = {  # (low, high) inclusive -> artists
    (1, 1): 5134, (2, 2): 1599, (3, 3): 808, (4, 5): 713, (6, 10): 384, (11, 20): 73,
    (21, 30): 4,
}  # fmt: skip
REVIEWS_DECAY = 0.7  # within a bin of REVIEWS_PER_ARTIST, k + 1 reviews are 0.7 times as common as k
NO_GENRE_SECOND_REVIEW = 0.2  # 1,393 artists without a genre have ~1,680 reviews
VARIOUS_ARTISTS_REVIEWS = 687
COLLABORATION_SHARE = 409 / 8714
SPECIAL_NAME_SHARE = 217 / 8714
N_AUTHORS = 432
N_LABELS = 3667
SELF_RELEASED_SHARE = 420 / 18389
FIRST_REVIEW = dt.date(1999, 1, 5)
LAST_REVIEW = dt.date(2017, 1, 8)

# The five artists of the original article, with the genres and scores it printed.
ARTICLE_ARTISTS = {
    "coil": (("rock", "experimental", "electronic"), (7.9,)),
    "elder ones": (("experimental",), (7.8,)),
    "black lips": (("rock",), (7.2, 7.8, 7.0, 7.9, 7.5)),
    "crookers": (("electronic",), (5.5,)),
    "guided by voices": (("rock",), (7.3,) * 15 + (7.1,) * 8),  # mean 7.23
}

_ADJECTIVES = """
black white silver golden hollow quiet velvet electric broken burning frozen lonely
secret wild gentle crystal paper glass neon iron painted sleepy distant sacred strange
tender violent yellow crimson bitter sweet lost young ancient modern final little big
dark bright hidden lucky slow fast savage holy tiny giant green blue pale cosmic
""".split()
_NOUNS = """
wolf river ghost mirror garden machine shadow island tiger signal engine harbor forest
comet lantern animal horse valley crown temple ocean desert thunder window planet
satellite cathedral mountain canyon arrow flower serpent falcon raven dream echo
radio tunnel circus palace station bridge feather candle anchor rocket meadow orchard
storm glacier lighthouse parade ritual monument museum""".split()
_FIRST = """
john mary lena oscar ruth felix nina arthur clara hugo iris jonas maya otto rosa
simon tara victor wanda yusuf zoe amir beth carlos dana elias fiona gabe hana ivan
june kofi lars mina noah olga pablo quinn rafael sara theo uma vera will xena
""".split()
_LAST = """
walker hart moreno fischer okafor lindqvist novak brennan castillo dupont haas kimura
larsen mendes nakamura oduya petrov quist rinaldi sato tanaka ulrich varga weiss
young zamora abbott booker cole drake ellis frost grey hayes irwin jensen keane lowe
""".split()
_PREFIXES = ["dj", "mc", "lil", "young", "big", "doctor", "saint", "king", "lady"]
_LABEL_WORDS = ["records", "recordings", "music", "sound", "tapes", "editions", "audio"]
_AUTHOR_TYPES = ["contributor", "contributor", "contributor", "senior editor", "tracks coordinator"]


@dataclass(frozen=True)
class Tables:
    """The five tables of Kaggle's ``database.sqlite``: reviews, artists, genres, labels, years.

    Missing values (SQL ``NULL``) are ``None``/``NaN``, as pandas reads them from SQLite.
    """

    reviews: pd.DataFrame
    artists: pd.DataFrame
    genres: pd.DataFrame
    labels: pd.DataFrame
    years: pd.DataFrame

    def as_dict(self) -> dict[str, pd.DataFrame]:
        """The tables by name."""
        return {
            "reviews": self.reviews,
            "artists": self.artists,
            "genres": self.genres,
            "labels": self.labels,
            "years": self.years,
        }


def _scaled(count: float, n_artists: int) -> int:
    return int(round(count * n_artists / REAL_N_ARTISTS))


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integer parts proportional to ``weights`` (largest remainder)."""
    weights = np.clip(np.asarray(weights, dtype=float), 0, None)
    if total <= 0 or weights.sum() == 0:
        return np.zeros(len(weights), dtype=int)
    exact = total * weights / weights.sum()
    parts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - parts), kind="stable")
    parts[order[: total - parts.sum()]] += 1
    return parts


def _genre_sets(n_artists: int, rng: np.random.Generator) -> list[tuple[str, ...]]:
    """Genre sets with the real numbers of genres per artist, pairs and genre sizes."""
    index = {g: i for i, g in enumerate(GENRES)}
    marginal = np.array([ARTISTS_PER_GENRE[g] for g in GENRES], dtype=float)
    # Weights of every unordered genre pair: the common ones as counted, the rest in
    # proportion to the geometric mean of the genres' sizes. A set starts with one pair;
    # the genres a 3- or 4-genre set adds bring the remaining share of the rare pairs.
    pairs = [(a, b) for i, a in enumerate(GENRES) for b in GENRES[i + 1 :]]
    rare = np.array([0.0 if tuple(sorted(p)) in _SORTED_COMMON else
                     np.sqrt(marginal[index[p[0]]] * marginal[index[p[1]]]) for p in pairs])  # fmt: skip
    n_pairs = {k: ARTISTS_BY_GENRE_COUNT[k] * k * (k - 1) // 2 for k in (2, 3, 4)}
    rare *= OTHER_GENRE_PAIRS * sum(ARTISTS_BY_GENRE_COUNT[k] for k in n_pairs) / sum(n_pairs.values()) / rare.sum()
    pair_weight = np.array([_SORTED_COMMON.get(tuple(sorted(p)), 0.0) for p in pairs]) + rare
    affinity = np.zeros((len(GENRES), len(GENRES)))  # pair weights as a symmetric matrix
    for (a, b), w in zip(pairs, pair_weight, strict=True):
        affinity[index[a], index[b]] = affinity[index[b], index[a]] = w
    pair_weight /= pair_weight.sum()

    sets: list[tuple[str, ...]] = []
    for size in (2, 3, 4):
        for _ in range(_scaled(ARTISTS_BY_GENRE_COUNT[size], n_artists)):
            chosen = list(pairs[rng.choice(len(pairs), p=pair_weight)])
            while len(chosen) < size:
                # A further genre goes with the ones chosen, as the pair weights say.
                free = affinity[[index[g] for g in chosen]].sum(axis=0)
                free[[index[g] for g in chosen]] = 0.0
                chosen.append(GENRES[rng.choice(len(GENRES), p=free / free.sum())])
            sets.append(tuple(sorted(chosen, key=index.get)))
    # Single-genre artists fill each genre up to its real size.
    n_none = _scaled(ARTISTS_BY_GENRE_COUNT[0], n_artists)
    n_single = max(n_artists - n_none - len(sets), 0)
    in_multi = np.zeros(len(GENRES))
    for s in sets:
        for g in s:
            in_multi[index[g]] += 1
    wanted = np.maximum(marginal * n_artists / REAL_N_ARTISTS - in_multi, 0) + 1e-9
    singles = _allocate(n_single, wanted)
    for i, count in enumerate(singles):
        sets.extend([(GENRES[i],)] * int(count))
    sets.extend([()] * (n_artists - len(sets)))
    order = rng.permutation(len(sets))
    return [sets[i] for i in order[:n_artists]]


_SORTED_COMMON = {tuple(sorted(k)): float(v) for k, v in COMMON_GENRE_PAIRS.items()}


def _review_counts(n_artists: int, rng: np.random.Generator) -> np.ndarray:
    bins = list(REVIEWS_PER_ARTIST)
    per_bin = _allocate(n_artists, np.array(list(REVIEWS_PER_ARTIST.values()), dtype=float))
    # Within a bin, fewer artists have more reviews (about x0.7 per extra review, as in the real data).
    counts = []
    for (lo, hi), k in zip(bins, per_bin, strict=True):
        values = np.arange(lo, hi + 1)
        weights = REVIEWS_DECAY ** (values - lo)
        counts.append(rng.choice(values, size=k, p=weights / weights.sum()))
    return rng.permutation(np.concatenate(counts))


def _fit_counts(counts: np.ndarray, wanted: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Give artists with a ``wanted`` count (> 0) that count, taken out of ``counts``.

    The others share what is left, so the histogram of reviews per artist is kept.
    """
    pool = {int(c): int(k) for c, k in zip(*np.unique(counts, return_counts=True), strict=True)}
    out = np.zeros(len(counts), dtype=np.int64)
    for i in np.flatnonzero(wanted > 0):
        w = int(wanted[i])
        take = w if pool.get(w, 0) else min((c for c, k in pool.items() if k), key=lambda c: (abs(c - w), c))
        pool[take] -= 1
        out[i] = w
    rest = np.repeat(np.array(sorted(pool), dtype=np.int64), [pool[c] for c in sorted(pool)])
    out[wanted <= 0] = rng.permutation(rest)
    return out


def _artist_scores(genres: tuple[str, ...], n: int, rng: np.random.Generator) -> list[float]:
    """Review scores whose mean falls in a bucket drawn with the real bucket sizes."""
    bucket = rng.choice(11, p=np.array(ARTISTS_PER_SCORE_BUCKET) / sum(ARTISTS_PER_SCORE_BUCKET))
    shift = np.mean([MEAN_SCORE_BY_GENRE[g] - MEAN_SCORE for g in genres]) if genres else 0.0
    # The genre moves the mean within its bucket, never out of it (scores are rounded to
    # one decimal later, which moves a mean by less than 0.05), so buckets keep their sizes.
    mean = float(np.clip(bucket + np.clip(rng.uniform(-0.5, 0.5) + shift, -0.44, 0.44), 0.0, 10.0))
    noise = rng.normal(0.0, WITHIN_ARTIST_SD, size=n)
    noise -= noise.mean()  # keep the artist's mean where it was drawn
    return [float(s) for s in np.round(np.clip(mean + noise, 0.0, 10.0), 1)]


class _Names:
    """Invented, unique, lower-case ASCII names."""

    def __init__(self, rng: np.random.Generator, taken: set[str]):
        self.rng = rng
        self.taken = set(taken)

    def _pick(self, words: list[str]) -> str:
        return words[self.rng.integers(len(words))]

    def _candidate(self) -> str:
        r = self.rng.random()
        adj, noun, first, last = (self._pick(w) for w in (_ADJECTIVES, _NOUNS, _FIRST, _LAST))
        if r < SPECIAL_NAME_SHARE * 0.2:  # names with '$', as rap names often have
            word = self._pick(_NOUNS).replace("s", "$") if self.rng.random() < 0.5 else "ca$h"
            return f"{self._pick(_PREFIXES)} {word}{'$' if 's' not in word else ''}"
        if r < SPECIAL_NAME_SHARE * 0.5:
            return f"{first} {last} & the {adj} {noun}s"
        if r < 0.30:
            return f"the {adj} {noun}s"
        if r < 0.50:
            return f"{adj} {noun}"
        if r < 0.68:
            return f"{first} {last}"
        if r < 0.80:
            return f"{noun} {self._pick(_NOUNS)}"
        if r < 0.88:
            return f"{self._pick(_PREFIXES)} {noun}"
        return f"{adj} {noun} {self._pick(['club', 'ensemble', 'collective', 'orchestra', 'trio'])}"

    def new(self) -> str:
        while True:
            name = self._candidate()
            if name not in self.taken:
                self.taken.add(name)
                return name


def generate_sample(n_artists: int | None = None, seed: int = 0) -> Tables:
    """Generate the embedded sample: invented review tables with the real data's shape.

    Parameters
    ----------
    n_artists
        Named artists (besides "various artists"); default ``REAL_N_ARTISTS`` (8,713), as
        in the real data. A few hundred make a fast sample for lessons and tests.
    seed
        The same seed always gives the same tables.

    Returns
    -------
    Tables
        The five tables, with the columns and types of Kaggle's ``database.sqlite``.
    """
    n_artists = REAL_N_ARTISTS if n_artists is None else n_artists
    if not is_whole_number(n_artists):
        raise DataError(f"n_artists must be a whole number, not {n_artists!r}")
    if n_artists < len(ARTICLE_ARTISTS) + 10:
        raise DataError(f"n_artists must be at least {len(ARTICLE_ARTISTS) + 10}, not {n_artists}")
    rng = np.random.default_rng(seed)
    n_invented = n_artists - len(ARTICLE_ARTISTS)
    names = _Names(rng, taken=set(ARTICLE_ARTISTS) | {"various artists"})

    genre_sets = _genre_sets(n_invented, rng)
    review_counts = _review_counts(n_invented, rng)
    n_collabs = _scaled(COLLABORATION_SHARE * REAL_N_ARTISTS, n_invented)
    members: list[tuple[str, ...]] = []
    for i in range(n_invented):
        if i < n_collabs:
            members.append((names.new(), names.new()))
        else:
            members.append((names.new(),))
    # A collaboration is usually one record; reviews with no genre are mostly of artists
    # reviewed once. Those counts come out of the same histogram as everyone else's.
    wanted = np.array([
        1 if len(who) > 1 else 0 if genres else 1 + int(rng.random() < NO_GENRE_SECOND_REVIEW)
        for who, genres in zip(members, genre_sets, strict=True)
    ])  # fmt: skip
    review_counts = _fit_counts(review_counts, wanted, rng)
    artists: list[tuple[tuple[str, ...], tuple[str, ...], list[float]]] = []
    for who, genres, n in zip(members, genre_sets, review_counts, strict=True):
        artists.append((who, genres, _artist_scores(genres, int(n), rng)))
    for name, (genres, scores) in ARTICLE_ARTISTS.items():
        artists.append(((name,), genres, list(scores)))

    # Various-artists compilations: one "artist", almost never with a genre.
    n_va = max(_scaled(VARIOUS_ARTISTS_REVIEWS, n_artists), 2)
    for i in range(n_va):
        genres = ("electronic",) if i == 0 else ()
        artists.append((("various artists",), genres, _artist_scores(genres, 1, rng)))

    artists.append(((), (), _artist_scores((), 1, rng)))  # as in the real data: no artist
    return _tables(artists, n_artists, rng)


def _tables(
    artists: list[tuple[tuple[str, ...], tuple[str, ...], list[float]]],
    n_artists: int,
    rng: np.random.Generator,
) -> Tables:
    """Lay the artists' reviews out as Kaggle's five tables."""
    label_names = _Names(rng, taken=set())
    n_labels = max(_scaled(N_LABELS, n_artists), 5)
    labels = ["self-released"] + [
        f"{label_names.new()} {_LABEL_WORDS[rng.integers(len(_LABEL_WORDS))]}"
        for _ in range(n_labels - 1)
    ]
    label_weights = 1.0 / np.arange(1, n_labels + 1) ** 0.6
    label_weights[0] = 0.0
    label_weights *= (1 - SELF_RELEASED_SHARE) / label_weights.sum()
    label_weights[0] = SELF_RELEASED_SHARE
    author_names = _Names(rng, taken=set())
    n_authors = max(_scaled(N_AUTHORS, n_artists), 3)
    authors = [author_names.new() for _ in range(n_authors)]
    author_weights = 1.0 / np.arange(1, n_authors + 1) ** 0.8
    author_weights /= author_weights.sum()
    span = (LAST_REVIEW - FIRST_REVIEW).days
    titles = _Names(rng, taken=set())

    review_rows, artist_rows, genre_rows, label_rows, year_rows = [], [], [], [], []
    order = rng.permutation(sum(len(scores) for _, _, scores in artists))
    reviewid = iter(int(i) + 1 for i in order)
    for who, genres, scores in artists:
        home = rng.choice(n_labels, p=label_weights)
        for score in scores:
            rid = next(reviewid)
            day = FIRST_REVIEW + dt.timedelta(days=int(rng.integers(span + 1)))
            review_rows.append({
                "reviewid": rid,
                "title": titles.new(),
                "artist": ", ".join(who) or None,
                "url": f"https://example.org/bands2vec-sample/reviews/{rid}/",
                "score": score,
                "best_new_music": int(score >= 8.4 and day.year >= 2003 and rng.random() < 0.6),
                "author": authors[rng.choice(n_authors, p=author_weights)],
                "author_type": _AUTHOR_TYPES[rng.integers(len(_AUTHOR_TYPES))],
                "pub_date": day.isoformat(),
                "pub_weekday": day.weekday(),
                "pub_day": day.day,
                "pub_month": day.month,
                "pub_year": day.year,
            })  # fmt: skip
            artist_rows.extend({"reviewid": rid, "artist": name} for name in who)
            genre_rows.extend({"reviewid": rid, "genre": g} for g in genres or (None,))
            label = home if rng.random() < 0.6 else rng.choice(n_labels, p=label_weights)
            label_rows.append({"reviewid": rid, "label": labels[label]})
            if rng.random() < 0.09:
                label_rows.append({"reviewid": rid, "label": labels[rng.integers(n_labels)]})
            year_rows.append({"reviewid": rid, "year": day.year - int(rng.random() < 0.3)})

    # As in the real data: a few exact duplicate review rows.
    reviews = pd.DataFrame(review_rows)
    n_dupes = max(_scaled(4, n_artists), 1)
    reviews = pd.concat([reviews, reviews.iloc[1 : 1 + n_dupes]], ignore_index=True)
    reviews = reviews.sort_values("reviewid", kind="stable", ignore_index=True)
    return Tables(
        reviews=reviews,
        artists=pd.DataFrame(artist_rows),
        genres=pd.DataFrame(genre_rows),
        labels=pd.DataFrame(label_rows),
        years=pd.DataFrame(year_rows),
    )
