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
# Labels: artists per label (labels other than "self-released", by size), as REVIEWS_PER_ARTIST.
ARTISTS_PER_LABEL = {
    (1, 1): 2177, (2, 2): 522, (3, 3): 204, (4, 5): 195, (6, 10): 203, (11, 20): 133,
    (21, 50): 87, (51, 100): 30, (101, 138): 5,
}  # fmt: skip
LABEL_SIZE_POWER = 1.5  # within a bin of ARTISTS_PER_LABEL, size s is drawn in proportion to s**-1.5
NEW_LABEL_PER_REVIEW = 0.45  # each review after an artist's first brings a new label with this chance
SECOND_LABEL_ON_REVIEW = 0.08  # a review credits a second label
NO_LABEL_SHARE = 174 / 8713  # artists whose only label is "self-released"
# Where an artist's label comes from: a label of its (genre, score bucket) group, of its
# genre, or of anyone. Chosen so that label-mates share a genre and a bucket at the real
# data's rates (0.514 and 0.323 of pairs; random artists: 0.276 and 0.281).
LABEL_FROM_GROUP = 0.05
LABEL_FROM_GENRE = 0.34
LOWEST_MEAN_OF_FIVE_REVIEWS = 3.62  # no artist with five or more reviews has a lower mean
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


def _genre_sets(n_artists: int, rng: np.random.Generator) -> np.ndarray:
    """Genre sets with the real numbers of genres per artist, pairs and genre sizes.

    Returns a boolean array, one row per artist and one column per genre of ``GENRES``.
    """
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
    pair_ids = np.array([(index[a], index[b]) for a, b in pairs])

    blocks = []
    for size in (2, 3, 4):
        count = _scaled(ARTISTS_BY_GENRE_COUNT[size], n_artists)
        chosen = np.zeros((count, len(GENRES)), dtype=bool)
        first = pair_ids[rng.choice(len(pairs), size=count, p=pair_weight)]
        chosen[np.arange(count)[:, None], first] = True
        for _ in range(size - 2):
            # A further genre goes with the ones chosen, as the pair weights say.
            free = np.where(chosen, 0.0, chosen.astype(float) @ affinity)
            cumulative = np.cumsum(free, axis=1)
            draw = rng.random(count) * cumulative[:, -1]
            chosen[np.arange(count), (cumulative <= draw[:, None]).sum(axis=1)] = True
        blocks.append(chosen)
    multi = np.concatenate(blocks)
    # Single-genre artists fill each genre up to its real size.
    n_none = _scaled(ARTISTS_BY_GENRE_COUNT[0], n_artists)
    n_single = max(n_artists - n_none - len(multi), 0)
    wanted = np.maximum(marginal * n_artists / REAL_N_ARTISTS - multi.sum(axis=0), 0) + 1e-9
    singles = np.repeat(np.eye(len(GENRES), dtype=bool), _allocate(n_single, wanted), axis=0)
    sets = np.concatenate([multi, singles])
    sets = np.concatenate([sets, np.zeros((max(n_artists - len(sets), 0), len(GENRES)), dtype=bool)])
    return sets[rng.permutation(len(sets))[:n_artists]]


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


def _scores(genres: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Every artist's review scores, one after the other (``counts[i]`` for artist ``i``):
    their mean falls in a bucket drawn with the real bucket sizes."""
    n = len(counts)
    bucket = rng.choice(11, size=n, p=np.array(ARTISTS_PER_SCORE_BUCKET) / sum(ARTISTS_PER_SCORE_BUCKET))
    # A catalogue keeps reviewing an artist it likes: an artist with five or more reviews
    # trades a low bucket for the bucket of an artist with fewer, so bucket sizes stay.
    floor = int(np.ceil(LOWEST_MEAN_OF_FIVE_REVIEWS))
    low = np.flatnonzero((counts >= 5) & (bucket < floor))
    donors = rng.permutation(np.flatnonzero((counts < 5) & (bucket >= floor)))[: len(low)]
    bucket[low[: len(donors)]], bucket[donors] = bucket[donors], bucket[low[: len(donors)]]
    offsets = np.array([MEAN_SCORE_BY_GENRE[g] - MEAN_SCORE for g in GENRES])
    n_genres = genres.sum(axis=1)
    shift = np.divide(genres @ offsets, n_genres, out=np.zeros(n), where=n_genres > 0)
    # The genre moves the mean within its bucket, never out of it (scores are rounded to
    # one decimal later, which moves a mean by less than 0.05), so buckets keep their sizes.
    mean = np.clip(bucket + np.clip(rng.uniform(-0.5, 0.5, n) + shift, -0.44, 0.44), 0.0, 10.0)
    mean[counts >= 5] = np.maximum(mean[counts >= 5], LOWEST_MEAN_OF_FIVE_REVIEWS + 0.05)
    owner = np.repeat(np.arange(n), counts)
    noise = rng.normal(0.0, WITHIN_ARTIST_SD, size=len(owner))
    noise -= (np.bincount(owner, noise, minlength=n) / np.maximum(counts, 1))[owner]  # keep each mean
    return np.round(np.clip(mean[owner] + noise, 0.0, 10.0), 1)


_SUFFIX_AFTER = 0.25  # when fewer new names than this share of a round's candidates are new


def _names(rng: np.random.Generator, n: int, taken: set[str] = frozenset()) -> list[str]:
    """``n`` invented, distinct, lower-case ASCII names, none of them in ``taken``.

    Candidates are drawn in rounds, a quarter more than are still needed, and the new
    ones kept. When the word lists run short (a round brings hardly any new names), the
    rest get a number: the second "black wolf" is "black wolf 2", and so on.
    """
    seen, names = set(taken), []
    while len(names) < n:
        wanted = n - len(names)
        drawn = wanted + wanted // 4 + 100
        fresh = [c for c in dict.fromkeys(_candidates(rng, drawn)) if c not in seen][:wanted]
        names += fresh
        seen.update(fresh)
        if len(fresh) < wanted and len(fresh) < _SUFFIX_AFTER * drawn:
            break
    if len(names) < n:
        rest = pd.Series(_candidates(rng, n - len(names)))
        number = rest.groupby(rest, sort=False).cumcount() + 2
        names += (rest + " " + number.astype(str)).tolist()
    return names


def _candidates(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` candidate names (repeats likely), in the forms and shares of band names."""
    r = rng.random(n)

    def pick(words) -> list[str]:
        return np.array(words, dtype=object)[rng.integers(len(words), size=n)].tolist()

    adj, noun, noun2, first, last, prefix = map(pick, (_ADJECTIVES, _NOUNS, _NOUNS, _FIRST, _LAST, _PREFIXES))
    kind = pick(["club", "ensemble", "collective", "orchestra", "trio"])
    cash = (rng.random(n) >= 0.5).tolist()
    limits = np.array([0.2 * SPECIAL_NAME_SHARE, 0.5 * SPECIAL_NAME_SHARE, 0.30, 0.50, 0.68, 0.80, 0.88])
    form = np.searchsorted(limits, r, side="right")
    rows = [np.flatnonzero(form == f).tolist() for f in range(len(limits) + 1)]
    raps = {i: "ca$h" if cash[i] else noun2[i].replace("s", "$") for i in rows[0]}
    out = np.empty(n, dtype=object)
    out[rows[0]] = [f"{prefix[i]} {raps[i]}$" for i in rows[0]]  # '$', as rap names often have
    out[rows[1]] = [f"{first[i]} {last[i]} & the {adj[i]} {noun[i]}s" for i in rows[1]]
    out[rows[2]] = [f"the {adj[i]} {noun[i]}s" for i in rows[2]]
    out[rows[3]] = [f"{adj[i]} {noun[i]}" for i in rows[3]]
    out[rows[4]] = [f"{first[i]} {last[i]}" for i in rows[4]]
    out[rows[5]] = [f"{noun[i]} {noun2[i]}" for i in rows[5]]
    out[rows[6]] = [f"{prefix[i]} {noun[i]}" for i in rows[6]]
    out[rows[7]] = [f"{adj[i]} {noun[i]} {kind[i]}" for i in rows[7]]
    return out.tolist()


def generate_sample(n_artists: int | None = None, seed: int = 0) -> Tables:
    """Generate the embedded sample: invented review tables with the real data's shape.

    The time it takes grows in proportion to ``n_artists`` (a million artists take
    seconds, see the benchmarks).

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
    genre_sets = _genre_sets(n_invented, rng)
    review_counts = _review_counts(n_invented, rng)
    n_collabs = _scaled(COLLABORATION_SHARE * REAL_N_ARTISTS, n_invented)
    names = _names(rng, n_invented + n_collabs, taken=set(ARTICLE_ARTISTS) | {"various artists"})
    first = names[:n_invented]
    second = names[n_invented:] + [None] * (n_invented - n_collabs)  # the first n_collabs are duos
    # A collaboration is usually one record; reviews with no genre are mostly of artists
    # reviewed once. Those counts come out of the same histogram as everyone else's.
    no_genre = ~genre_sets.any(axis=1)
    wanted = np.where(no_genre, 1 + (rng.random(n_invented) < NO_GENRE_SECOND_REVIEW), 0)
    wanted[:n_collabs] = 1
    review_counts = _fit_counts(review_counts, wanted, rng)

    # Then the article's five artists, the various-artists compilations (one "artist",
    # almost never with a genre) and, as in the real data, one review with no artist.
    index = {g: i for i, g in enumerate(GENRES)}
    article = np.zeros((len(ARTICLE_ARTISTS), len(GENRES)), dtype=bool)
    for row, (genres, _) in enumerate(ARTICLE_ARTISTS.values()):
        article[row, [index[g] for g in genres]] = True
    n_va = max(_scaled(VARIOUS_ARTISTS_REVIEWS, n_artists), 2)
    va = np.zeros((n_va, len(GENRES)), dtype=bool)
    va[0, index["electronic"]] = True
    invented_scores = _scores(genre_sets, review_counts, rng)
    other_scores = _scores(np.concatenate([va, np.zeros((1, len(GENRES)), dtype=bool)]), np.ones(n_va + 1, int), rng)
    article_scores = np.concatenate([np.array(s, dtype=float) for _, s in ARTICLE_ARTISTS.values()])
    artists = _Artists(
        first=first + list(ARTICLE_ARTISTS) + ["various artists"] * n_va + [None],
        second=second + [None] * (len(ARTICLE_ARTISTS) + n_va + 1),
        genres=np.concatenate([genre_sets, article, va, np.zeros((1, len(GENRES)), dtype=bool)]),
        counts=np.concatenate([review_counts, [len(s) for _, s in ARTICLE_ARTISTS.values()], np.ones(n_va + 1, int)]),
        scores=np.concatenate([invented_scores, article_scores, other_scores]),
    )
    return _tables(artists, n_artists, rng)


@dataclass(frozen=True)
class _Artists:
    """Every artist of the sample: its one or two names (``None``: no name), its genres
    (a boolean row per artist), its number of reviews and all the scores, artist by artist."""

    first: list[str | None]
    second: list[str | None]
    genres: np.ndarray
    counts: np.ndarray
    scores: np.ndarray


def _tables(artists: _Artists, n_artists: int, rng: np.random.Generator) -> Tables:
    """Lay the artists' reviews out as Kaggle's five tables."""
    n_authors = max(_scaled(N_AUTHORS, n_artists), 3)
    authors = np.array(_names(rng, n_authors))
    author_weights = 1.0 / np.arange(1, n_authors + 1) ** 0.8
    author_weights /= author_weights.sum()
    span = (LAST_REVIEW - FIRST_REVIEW).days

    counts = np.asarray(artists.counts, dtype=np.int64)
    n_reviews, n_owners = int(counts.sum()), len(counts)
    owner = np.repeat(np.arange(n_owners), counts)  # each review's artist
    reviewid = rng.permutation(n_reviews) + 1
    days = pd.to_datetime(FIRST_REVIEW) + pd.to_timedelta(rng.integers(span + 1, size=n_reviews), unit="D")
    first = np.array(artists.first, dtype=object)
    second = np.array(artists.second, dtype=object)
    credit = np.array([a if b is None else f"{a}, {b}" for a, b in zip(first, second, strict=True)])
    scores = artists.scores
    years = days.year.to_numpy(dtype=np.int64)
    reviews = pd.DataFrame({
        "reviewid": reviewid,
        "title": _names(rng, n_reviews),
        "artist": credit[owner],
        "url": [f"https://example.org/bands2vec-sample/reviews/{rid}/" for rid in reviewid.tolist()],
        "score": scores,
        "best_new_music": ((scores >= 8.4) & (years >= 2003) & (rng.random(n_reviews) < 0.6)).astype(int),
        "author": authors[rng.choice(n_authors, size=n_reviews, p=author_weights)],
        "author_type": np.array(_AUTHOR_TYPES)[rng.integers(len(_AUTHOR_TYPES), size=n_reviews)],
        "pub_date": days.strftime("%Y-%m-%d"),
        "pub_weekday": days.day_of_week.to_numpy(dtype=np.int64),
        "pub_day": days.day.to_numpy(dtype=np.int64),
        "pub_month": days.month.to_numpy(dtype=np.int64),
        "pub_year": years,
    })  # fmt: skip

    # One row per credited name, per genre (or a NULL genre) and per label of each review,
    # in the order of the reviews.
    named = first[owner] != None  # noqa: E711
    duo = second[owner] != None  # noqa: E711
    artist_rows = _in_review_order(
        np.concatenate([np.flatnonzero(named), np.flatnonzero(duo)]),
        {"artist": np.concatenate([first[owner][named], second[owner][duo]])}, reviewid)
    review_of, genre_of = np.nonzero(artists.genres[owner])
    no_genre = np.flatnonzero(~artists.genres[owner].any(axis=1))
    genre_rows = _in_review_order(
        np.concatenate([review_of, no_genre]),
        {"genre": np.concatenate([np.array(GENRES, dtype=object)[genre_of], np.full(len(no_genre), None)])},
        reviewid)
    label_review, label_names = _review_labels(artists, owner, rng)
    label_rows = _in_review_order(label_review, {"label": label_names}, reviewid)
    year_rows = pd.DataFrame({"reviewid": reviewid, "year": years - (rng.random(n_reviews) < 0.3)})

    # As in the real data: a few exact duplicate review rows.
    n_dupes = max(_scaled(4, n_artists), 1)
    reviews = pd.concat([reviews, reviews.iloc[1 : 1 + n_dupes]], ignore_index=True)
    reviews = reviews.sort_values("reviewid", kind="stable", ignore_index=True)
    return Tables(reviews=reviews, artists=artist_rows, genres=genre_rows, labels=label_rows, years=year_rows)


def _label_sizes(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` label sizes (artists per label) drawn from :data:`ARTISTS_PER_LABEL`."""
    values = np.concatenate([np.arange(lo, hi + 1) for lo, hi in ARTISTS_PER_LABEL])
    weights = np.concatenate([
        k * (v := np.arange(lo, hi + 1.0)) ** -LABEL_SIZE_POWER / np.sum(v**-LABEL_SIZE_POWER)
        for (lo, hi), k in ARTISTS_PER_LABEL.items()
    ])  # fmt: skip
    return rng.choice(values, size=n, p=weights / weights.sum())


def _label_memberships(genres: np.ndarray, buckets: np.ndarray, counts: np.ndarray, rng: np.random.Generator):
    """Which artists are on which labels: ``(artist, label)`` index arrays, one row each.

    An artist has one label per review at first, and a new label on each later review
    with probability :data:`NEW_LABEL_PER_REVIEW` (plus, now and then, a label credited
    beside another on one review). Each of its labels is found among the labels of its
    (genre, bucket) group, of one of its genres, or of the whole catalogue
    (:data:`LABEL_FROM_GROUP`, :data:`LABEL_FROM_GENRE`): the memberships of each of those
    pools, shuffled, are cut into labels of the real data's sizes.
    """
    n = len(counts)
    n_labels = 1 + rng.binomial(np.maximum(counts - 1, 0), NEW_LABEL_PER_REVIEW)
    n_labels += rng.random(n) < SECOND_LABEL_ON_REVIEW
    n_labels[rng.random(n) < NO_LABEL_SHARE] = 0
    artist = np.repeat(np.arange(n), n_labels)
    # The pool of each membership: 0 is everyone, then genres, then (genre, bucket) groups.
    n_genres = genres.sum(axis=1)
    cumulative = np.cumsum(genres, axis=1)
    pick = (rng.random(len(artist)) * n_genres[artist]).astype(np.int64)
    genre = np.where(n_genres[artist] > 0, (cumulative[artist] <= pick[:, None]).sum(axis=1), genres.shape[1])
    mode = rng.random(len(artist))
    pool = np.where(mode < LABEL_FROM_GROUP, 2 + genres.shape[1] + genre * 11 + buckets[artist],
                    np.where(mode < LABEL_FROM_GROUP + LABEL_FROM_GENRE, 1 + genre, 0))  # fmt: skip
    order = np.lexsort((rng.random(len(artist)), pool))
    artist, pool = artist[order], pool[order]
    # Cut into labels: at each drawn size, and wherever a pool ends.
    sizes = _label_sizes(len(artist) + 1, rng)
    cuts = np.cumsum(sizes)
    new = np.zeros(len(artist), dtype=bool)
    new[cuts[cuts < len(artist)]] = True
    new[0] = True
    new[1:] |= pool[1:] != pool[:-1]
    label = np.cumsum(new) - 1
    label = rng.permutation(label.max() + 1)[label] if len(label) else label
    pairs = np.unique(np.stack([artist, label], axis=1), axis=0)
    return pairs[:, 0], pairs[:, 1]


def _review_labels(artists: _Artists, owner: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Label rows (review position, label name) for the reviews of ``owner``: an artist's
    first reviews carry its labels in turn, its other reviews one of them at random; an
    artist with no label releases its records itself."""
    counts = np.asarray(artists.counts, dtype=np.int64)
    first_review = np.cumsum(counts) - counts
    means = np.bincount(owner, artists.scores, minlength=len(counts)) / np.maximum(counts, 1)
    member, label = _label_memberships(artists.genres, np.rint(means).astype(np.int64), counts, rng)
    n_labels = int(label.max()) + 1 if len(label) else 0
    words = np.array(_LABEL_WORDS)[rng.integers(len(_LABEL_WORDS), size=n_labels)]
    names = np.array([f"{n} {w}" for n, w in zip(_names(rng, n_labels), words, strict=True)] + ["self-released"])
    # The k-th label of an artist goes on its k-th review (or, past its last, on a random one).
    rank = np.arange(len(member)) - np.searchsorted(member, member)
    review = first_review[member] + np.where(rank < counts[member], rank, rng.integers(0, counts[member]))
    # Reviews with no label yet: one of the artist's labels, or self-released.
    covered = np.zeros(len(owner), dtype=bool)
    covered[review] = True
    rest = np.flatnonzero(~covered)
    start = np.searchsorted(member, np.arange(len(counts)))
    have = np.diff(np.append(start, len(member)))
    who = owner[rest]
    chosen = np.where(have[who] > 0, label[start[who] + (rng.random(len(rest)) * have[who]).astype(np.int64)], n_labels)
    return np.concatenate([review, rest]), names[np.concatenate([label, chosen])]


def _in_review_order(review: np.ndarray, columns: dict[str, np.ndarray], reviewid: np.ndarray) -> pd.DataFrame:
    """Rows that belong to reviews (by position), sorted by review position, stably."""
    order = np.argsort(review, kind="stable")
    return pd.DataFrame({"reviewid": reviewid[review[order]], **{k: v[order] for k, v in columns.items()}})
