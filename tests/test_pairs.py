"""Training pairs: text skip-gram windows, Bands2Vec context pairs, and the article's generator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bands2vec_lib.data import SELF_RELEASED, clean
from bands2vec_lib.errors import DataError
from bands2vec_lib.pairs import (
    GENRE_SHARE,
    JOINT_SHARE,
    LABEL_GROUP_SHARE,
    LABEL_SHARE,
    NO_GENRE,
    PAIR_KINDS,
    ContextGroups,
    GroupIndex,
    article_pairs,
    context_pairs,
    pair_counts,
    pairs_with_mistakes,
    skipgram_pairs,
)
from bands2vec_lib.sample import Tables
from bands2vec_lib.vocab import Vocabulary

# ---- text skip-gram ------------------------------------------------------------------------


def test_skipgram_pairs_exact():
    tokens = "the quick brown fox jumps".split()
    assert skipgram_pairs(tokens, window=2) == [
        ("the", "quick"), ("the", "brown"),
        ("quick", "the"), ("quick", "brown"), ("quick", "fox"),
        ("brown", "the"), ("brown", "quick"), ("brown", "fox"), ("brown", "jumps"),
        ("fox", "quick"), ("fox", "brown"), ("fox", "jumps"),
        ("jumps", "brown"), ("jumps", "fox"),
    ]  # fmt: skip
    assert skipgram_pairs(tokens, window=1) == [
        ("the", "quick"), ("quick", "the"), ("quick", "brown"), ("brown", "quick"), ("brown", "fox"),
        ("fox", "brown"), ("fox", "jumps"), ("jumps", "fox"),
    ]  # fmt: skip


def test_skipgram_pairs_edges():
    assert skipgram_pairs([], window=3) == []
    assert skipgram_pairs(["solo"], window=3) == []
    sentence = "the quick brown fox jumps over the lazy dog".split()
    # a window wider than the sentence pairs every word with every other position
    assert len(skipgram_pairs(sentence, window=50)) == len(sentence) * (len(sentence) - 1)
    # repeated words pair with each other: positions, not words, are excluded
    assert ("the", "the") in skipgram_pairs(sentence, window=6)
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="window must be a whole number of at least 1"):
            skipgram_pairs(sentence, window=bad)


# ---- groups ----------------------------------------------------------------------------


def artist_frame(rows: dict[str, tuple]) -> pd.DataFrame:
    """A minimal artist table: name -> (genres, score bucket[, labels]); one review each."""
    return pd.DataFrame(
        {
            "genres": [frozenset(row[0]) for row in rows.values()],
            "n_reviews": 1,
            "score_bucket": [row[1] for row in rows.values()],
            "mean_score": [float(row[1]) for row in rows.values()],
            "labels": [frozenset(row[2] if len(row) > 2 else ()) for row in rows.values()],
        },
        index=pd.Index(list(rows), name="artist"),
    )


def index_members(index: GroupIndex, vocab: Vocabulary) -> dict:
    """Each key of a group index and the names of its artists, sorted."""
    return {k: sorted(vocab.name(i) for i in index.members[s : s + n])
            for k, s, n in zip(index.keys, index.starts, index.sizes, strict=True)}  # fmt: skip


def groups_of(artists: pd.DataFrame) -> tuple[Vocabulary, ContextGroups]:
    vocab = Vocabulary.from_artists(artists)
    return vocab, ContextGroups.from_artists(artists, vocab)


def test_context_groups_from_artists():
    artists = artist_frame({
        "a": ({"rock", "jazz"}, 7), "b": ({"rock"}, 7), "c": ({"jazz"}, 3), "d": (set(), 3), "e": ({"rap"}, 9),
    })  # fmt: skip
    vocab, groups = groups_of(artists)
    assert index_members(groups.genres, vocab) == {"jazz": ["a", "c"], "rock": ["a", "b"]}  # "rap": one artist
    assert groups.scores.keys == (3, 7)  # bucket 9 has one artist
    assert groups.vocab_size == 5
    sizes = groups.sizes()
    assert list(sizes.columns) == ["kind", "group", "size"]
    assert sizes["size"].sum() == 8 and set(sizes["kind"]) == {"genre", "score"}


def test_group_index_keeps_only_groups_of_two_or_more():
    index = GroupIndex.from_groups({"x": [0], "y": [1, 2, 3], "z": [], "w": [4, 5]})
    assert index.keys == ("y", "w")
    assert index.members.tolist() == [1, 2, 3, 4, 5]
    assert index.starts.tolist() == [0, 3] and index.sizes.tolist() == [3, 2]
    empty = GroupIndex.from_groups({"x": [0]})
    assert empty.members.dtype == np.int64 and len(empty.members) == 0


# ---- context pairs --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_groups(small_artists):
    return groups_of(small_artists)


def shares_context(pairs: np.ndarray, artists: pd.DataFrame, vocab: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """For each pair: do the two share a genre? a score bucket?"""
    order = artists.loc[list(vocab.names)]
    genres = order["genres"].to_numpy()
    buckets = order["score_bucket"].to_numpy()
    genre = np.array([bool(genres[t] & genres[c]) for t, c in pairs], dtype=bool)
    return genre, buckets[pairs[:, 0]] == buckets[pairs[:, 1]]


def no_genre(pairs: np.ndarray, artists: pd.DataFrame, vocab: Vocabulary) -> np.ndarray:
    """For each pair: are both artists without a genre?"""
    empty = (artists.loc[list(vocab.names), "genres"].map(len) == 0).to_numpy()
    return empty[pairs[:, 0]] & empty[pairs[:, 1]]


def shares_label(pairs: np.ndarray, artists: pd.DataFrame, vocab: Vocabulary) -> np.ndarray:
    """For each pair: do the two share a record label (not "self-released")?"""
    labels = artists.loc[list(vocab.names), "labels"].map(lambda ls: ls - {SELF_RELEASED}).to_numpy()
    return np.array([bool(labels[t] & labels[c]) for t, c in pairs], dtype=bool)


def test_context_pairs_shape_dtype_and_invariants(small_artists, small_groups):
    vocab, groups = small_groups
    pairs = context_pairs(groups, 20_000, seed=1)
    assert pairs.shape == (20_000, 2) and pairs.dtype == np.int64
    assert pairs.min() >= 0 and pairs.max() < len(vocab)
    assert not np.any(pairs[:, 0] == pairs[:, 1])
    genre, bucket = shares_context(pairs, small_artists, vocab)
    assert np.all(genre | bucket)
    assert genre.sum() >= round(20_000 * GENRE_SHARE)  # genre pairs, and some bucket pairs share one too
    assert bucket.sum() >= 20_000 - round(20_000 * GENRE_SHARE)


def disjoint_groups(genre_sizes, score_sizes) -> ContextGroups:
    """Genre and score groups on separate id ranges, so each pair tells where it came from."""
    ids = iter(range(10**6))
    genres = {f"g{i}": [next(ids) for _ in range(s)] for i, s in enumerate(genre_sizes)}
    scores = {i: [next(ids) for _ in range(s)] for i, s in enumerate(score_sizes)}
    return ContextGroups(GroupIndex.from_groups(genres), GroupIndex.from_groups(scores), next(ids))


@pytest.mark.parametrize(("n", "share"), [(1000, 0.8), (999, 0.8), (7, 0.5), (10, 0.0), (10, 1.0), (0, 0.8)])
def test_exact_genre_share(n, share):
    groups = disjoint_groups([3, 5], [4, 6])
    pairs = context_pairs(groups, n, genre_share=share, seed=2)
    assert pairs.shape == (n, 2)
    from_genres = pairs[:, 0] < 8  # genre groups hold ids 0..7
    assert from_genres.sum() == round(n * share)
    assert np.array_equal(from_genres, pairs[:, 1] < 8)  # never a mix of the two kinds


def test_genre_and_score_pairs_are_shuffled_together():
    pairs = context_pairs(disjoint_groups([3, 5], [4, 6]), 1000, seed=3)
    from_genres = pairs[:, 0] < 8
    assert from_genres[:200].mean() < 0.95 and from_genres[-200:].mean() > 0.65  # not blocks


def chi_square(observed: np.ndarray, expected_share: np.ndarray) -> float:
    expected = observed.sum() * expected_share / expected_share.sum()
    return float(((observed - expected) ** 2 / expected).sum())


def test_groups_drawn_in_proportion_to_size():
    sizes = np.array([2, 5, 20, 73])
    groups = disjoint_groups(sizes, [])
    pairs = context_pairs(groups, 40_000, genre_share=1.0, seed=4)
    group_of = np.searchsorted(np.cumsum(sizes), pairs[:, 0], side="right")
    observed = np.bincount(group_of, minlength=len(sizes))
    assert np.array_equal(group_of, np.searchsorted(np.cumsum(sizes), pairs[:, 1], side="right"))
    # chi-square with 3 degrees of freedom: 16.3 is the 0.1% critical value
    assert chi_square(observed, sizes.astype(float)) < 16.3
    assert chi_square(observed, np.ones(len(sizes))) > 1000  # the article's uniform choice is far off
    # within a group, every member is as likely a target and as likely a context
    big = pairs[group_of == 3]
    for column in (0, 1):
        counts = np.bincount(big[:, column] - 27, minlength=73)
        assert chi_square(counts, np.ones(73)) < 120  # 72 d.o.f.: 0.1% critical value 116.1 (+ margin)


def test_seeded(small_groups):
    _, groups = small_groups
    a, b = context_pairs(groups, 5000, seed=9), context_pairs(groups, 5000, seed=9)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, context_pairs(groups, 5000, seed=10))


def test_no_shared_context_is_an_error_only_when_needed():
    artists = artist_frame({"a": ({"rock"}, 1), "b": ({"jazz"}, 1), "c": ({"rap"}, 2)})
    _, groups = groups_of(artists)
    with pytest.raises(DataError, match="no genre is shared by two artists"):
        context_pairs(groups, 10)
    pairs = context_pairs(groups, 10, genre_share=0.0)  # bucket 1 holds a and b
    assert {tuple(sorted(p)) for p in pairs.tolist()} == {(0, 1)}
    artists = artist_frame({"a": ({"rock"}, 1), "b": ({"rock"}, 2)})
    with pytest.raises(DataError, match="no score bucket is shared"):
        context_pairs(groups_of(artists)[1], 10)


def test_bad_arguments():
    groups = disjoint_groups([3], [3])
    for n in (-1, 2.5, True, "10", None):
        with pytest.raises(ValueError, match="number of pairs must be a whole number of at least 0"):
            context_pairs(groups, n)
    for share in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match="genre_share must be between 0 and 1"):
            context_pairs(groups, 10, genre_share=share)


# ---- hypothesis: invariants over random group structures ----------------------------------

GENRE_NAMES = ["rock", "jazz", "rap", "metal", "pop/r&b"]
LABEL_NAMES = ["matador", "sub pop", "warp", "merge", SELF_RELEASED]


@st.composite
def artist_tables(draw):
    n = draw(st.integers(2, 25))
    genres = draw(st.lists(st.sets(st.sampled_from(GENRE_NAMES), max_size=3), min_size=n, max_size=n))
    buckets = draw(st.lists(st.integers(0, 10), min_size=n, max_size=n))
    labels = draw(st.lists(st.sets(st.sampled_from(LABEL_NAMES), max_size=3), min_size=n, max_size=n))
    return artist_frame({f"artist {i}": (genres[i], buckets[i], labels[i]) for i in range(n)})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(artists=artist_tables(), n=st.integers(0, 400), share=st.floats(0, 1), seed=st.integers(0, 2**32 - 1))
def test_property_pairs_share_a_context_and_never_self(artists, n, share, seed):
    vocab, groups = groups_of(artists)
    n_genre = round(n * share)
    if (n_genre and not len(groups.genres.members)) or (n - n_genre and not len(groups.scores.members)):
        with pytest.raises(DataError):
            context_pairs(groups, n, genre_share=share, seed=seed)
        return
    pairs = context_pairs(groups, n, genre_share=share, seed=seed)
    assert pairs.shape == (n, 2) and pairs.dtype == np.int64
    assert not np.any(pairs[:, 0] == pairs[:, 1])
    genre, bucket = shares_context(pairs, artists, vocab)
    assert np.all(genre | bucket)
    assert genre.sum() >= n_genre and bucket.sum() >= n - n_genre
    assert np.array_equal(pairs, context_pairs(groups, n, genre_share=share, seed=seed))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    artists=artist_tables(),
    n=st.integers(0, 400),
    shares=st.lists(st.floats(0, 1), min_size=4, max_size=4),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_every_kind_of_pair_shares_what_it_says(artists, n, shares, seed):
    """Any mix of the five kinds: a label pair shares a label, a group pair a genre (or no
    genre at all) and a bucket, a label-within-a-group pair all three, a bucket pair a bucket."""
    genre_share, joint_share, label_share, label_group_share = np.array(shares) / max(1.0, sum(shares) + 1e-6)
    vocab, groups = groups_of(artists)
    mix = {"genre_share": genre_share, "joint_share": joint_share, "label_share": label_share,
           "label_group_share": label_group_share}  # fmt: skip
    counts = pair_counts(n, **mix)
    if any(count and not len(getattr(groups, PAIR_KINDS[kind]).members) for kind, count in counts.items()):
        with pytest.raises(DataError, match="is shared by two artists"):
            context_pairs(groups, n, seed=seed, **mix)
        return
    pairs = context_pairs(groups, n, seed=seed, **mix)
    assert pairs.shape == (n, 2) and not np.any(pairs[:, 0] == pairs[:, 1])
    genre, bucket = shares_context(pairs, artists, vocab)
    label = shares_label(pairs, artists, vocab)
    group = bucket & (genre | no_genre(pairs, artists, vocab))
    assert np.all(genre | bucket | label)
    assert label.sum() >= counts["label"] + counts["label_group"]
    assert (group & label).sum() >= counts["label_group"]
    assert group.sum() >= counts["joint"] + counts["label_group"]
    assert bucket.sum() >= counts["joint"] + counts["label_group"] + counts["score"]
    assert genre.sum() >= counts["genre"]


@settings(max_examples=60, deadline=None)
@given(
    genre_sizes=st.lists(st.integers(0, 12), max_size=6),
    score_sizes=st.lists(st.integers(0, 12), max_size=6),
    n=st.integers(0, 300),
    share=st.floats(0, 1),
    seed=st.integers(0, 1000),
)
def test_property_exact_genre_share(genre_sizes, score_sizes, n, share, seed):
    groups = disjoint_groups(genre_sizes, score_sizes)
    n_genre = round(n * share)
    if (n_genre and not len(groups.genres.members)) or (n - n_genre and not len(groups.scores.members)):
        with pytest.raises(DataError):
            context_pairs(groups, n, genre_share=share, seed=seed)
        return
    pairs = context_pairs(groups, n, genre_share=share, seed=seed)
    boundary = sum(genre_sizes)  # genre ids come first
    assert int((pairs[:, 0] < boundary).sum()) == n_genre
    # each pair stays inside one group
    edges = np.cumsum(list(genre_sizes) + list(score_sizes))
    assert np.array_equal(np.searchsorted(edges, pairs[:, 0], "right"), np.searchsorted(edges, pairs[:, 1], "right"))
    assert not np.any(pairs[:, 0] == pairs[:, 1])


# ---- the article's generator -------------------------------------------------------------


def reviews_table(rows) -> pd.DataFrame:
    """Clean reviews from (artist, genre or None, score) rows."""
    rows = list(rows)
    tables = Tables(
        reviews=pd.DataFrame({"reviewid": range(len(rows)), "artist": [r[0] for r in rows],
                              "score": [r[2] for r in rows]}),  # fmt: skip
        genres=pd.DataFrame({"reviewid": range(len(rows)), "genre": [r[1] for r in rows]}),
        artists=pd.DataFrame(columns=["reviewid", "artist"]),
        labels=pd.DataFrame(columns=["reviewid", "label"]),
        years=pd.DataFrame(columns=["reviewid", "year"]),
    )
    return clean(tables).reviews


def test_article_pairs_weigh_by_review_and_pair_artists_with_themselves():
    # "prolific" has ten rock reviews; two other rock artists have one each.
    reviews = reviews_table([("prolific", "rock", 7.0)] * 10 + [("b", "rock", 7.0), ("c", "rock", 7.0)])
    vocab = Vocabulary(["prolific", "b", "c"], [10, 1, 1])
    pairs = article_pairs(reviews, vocab, 6000, genre_share=1.0, seed=1)
    assert pairs.shape == (6000, 2) and pairs.dtype == np.int64
    target_share = (pairs[:, 0] == vocab.id("prolific")).mean()
    assert abs(target_share - 10 / 12) < 0.03  # per review, not per artist (1/3)
    self_share = (pairs[:, 0] == pairs[:, 1]).mean()
    assert abs(self_share - 10 * 9 / (12 * 11)) < 0.03  # two different entries of prolific
    # the fixed generator: a third each, and no self pairs
    artists = artist_frame({"prolific": ({"rock"}, 7), "b": ({"rock"}, 7), "c": ({"rock"}, 7)})
    fixed = context_pairs(groups_of(artists)[1], 6000, genre_share=1.0, seed=1)
    assert abs((fixed[:, 0] == vocab.id("prolific")).mean() - 1 / 3) < 0.03


def test_article_pairs_choose_groups_uniformly():
    rows = [(f"r{i}", "rock", 7.0) for i in range(20)] + [("j0", "jazz", 7.0), ("j1", "jazz", 7.0)]
    reviews = reviews_table(rows)
    vocab = Vocabulary([r[0] for r in rows], [1] * len(rows))
    pairs = article_pairs(reviews, vocab, 4000, genre_share=1.0, seed=2)
    jazz = np.isin(pairs[:, 0], vocab.ids(["j0", "j1"]))
    assert abs(jazz.mean() - 0.5) < 0.04  # a group of 2 as often as one of 20
    assert np.array_equal(pairs, article_pairs(reviews, vocab, 4000, genre_share=1.0, seed=2))


def test_article_pairs_on_the_sample_have_self_pairs(small_tables, small_artists):
    reviews = clean(small_tables).reviews
    vocab = Vocabulary.from_artists(small_artists)
    pairs = article_pairs(reviews, vocab, 5000, seed=0)
    assert (pairs[:, 0] == pairs[:, 1]).sum() > 0
    fixed = context_pairs(ContextGroups.from_artists(small_artists, vocab), 5000, seed=0)
    assert not np.any(fixed[:, 0] == fixed[:, 1])
    with pytest.raises(ValueError, match="at least 0"):
        article_pairs(reviews, vocab, -5)


# ---- the article's mistakes, one at a time --------------------------------------------------


def test_without_mistakes_it_is_context_pairs_seed_for_seed(small_tables, small_artists):
    reviews = clean(small_tables).reviews
    vocab = Vocabulary.from_artists(small_artists)
    fixed = pairs_with_mistakes(reviews, vocab, 5000, per_review_lists=False, uniform_groups=False, seed=4)
    assert np.array_equal(fixed, context_pairs(ContextGroups.from_artists(small_artists, vocab), 5000, seed=4))


@pytest.fixture(scope="module")
def prolific_and_jazz():
    """Rock: "prolific" (10 reviews), b and c (1 each); jazz: j0 and j1; bucket 7 for all."""
    rows = [("prolific", "rock", 7.0)] * 10 + [("b", "rock", 7.0), ("c", "rock", 7.0)]
    rows += [("j0", "jazz", 7.0), ("j1", "jazz", 7.0)]
    reviews = reviews_table(rows)
    return reviews, Vocabulary(["prolific", "b", "c", "j0", "j1"], [10, 1, 1, 1, 1])


@pytest.mark.parametrize(
    ("per_review", "uniform", "jazz_share", "prolific_share_of_rock"),
    [
        (False, False, 2 / 5, 1 / 3),  # the fixed generator: groups by artists, no self pairs
        (True, False, 2 / 14, 10 / 12),  # groups by reviews: prolific artists dominate
        (False, True, 1 / 2, 1 / 3),  # a group of 2 artists as often as one of 3
        (True, True, 1 / 2, 10 / 12),  # the article's
    ],
)
def test_each_mistake_on_its_own(prolific_and_jazz, per_review, uniform, jazz_share, prolific_share_of_rock):
    reviews, vocab = prolific_and_jazz
    pairs = pairs_with_mistakes(reviews, vocab, 20_000, genre_share=1.0, seed=5,
                                per_review_lists=per_review, uniform_groups=uniform)  # fmt: skip
    assert pairs.shape == (20_000, 2) and pairs.dtype == np.int64
    jazz = np.isin(pairs[:, 0], vocab.ids(["j0", "j1"]))
    assert np.array_equal(jazz, np.isin(pairs[:, 1], vocab.ids(["j0", "j1"])))  # never across groups
    assert abs(jazz.mean() - jazz_share) < 0.015
    assert abs((pairs[~jazz, 0] == vocab.id("prolific")).mean() - prolific_share_of_rock) < 0.015
    if not per_review:
        assert not np.any(pairs[:, 0] == pairs[:, 1])
    else:
        rock_self = 10 * 9 / (12 * 11) * (1 - jazz_share)  # jazz lists j0 and j1 once each
        assert abs((pairs[:, 0] == pairs[:, 1]).mean() - rock_self) < 0.015


def test_the_articles_bucket_lists_hold_each_artist_once(prolific_and_jazz):
    reviews, vocab = prolific_and_jazz
    for pairs in (pairs_with_mistakes(reviews, vocab, 5000, genre_share=0.0, seed=1),
                  article_pairs(reviews, vocab, 5000, genre_share=0.0, seed=1)):  # fmt: skip
        assert not np.any(pairs[:, 0] == pairs[:, 1])  # one bucket of five artists, once each
        assert abs((pairs[:, 0] == vocab.id("prolific")).mean() - 1 / 5) < 0.02


def test_lists_of_one_entry_are_left_out():
    # the article's loop would redraw the context's position forever on the jazz list
    reviews = reviews_table([("a", "rock", 7.0), ("b", "rock", 7.0), ("loner", "jazz", 7.0)])
    vocab = Vocabulary(["a", "b", "loner"], [1, 1, 1])
    loner = vocab.id("loner")
    for per_review in (True, False):
        pairs = pairs_with_mistakes(reviews, vocab, 3000, genre_share=1.0, per_review_lists=per_review, seed=1)
        assert not np.any(pairs == loner)
    assert not np.any(article_pairs(reviews, vocab, 3000, genre_share=1.0, seed=1) == loner)
    with pytest.raises(DataError, match="no genre has two entries"):
        article_pairs(reviews_table([("loner", "jazz", 7.0)]), Vocabulary(["loner"], [1]), 10, genre_share=1.0)


def test_both_mistakes_draw_what_the_articles_loop_draws(small_tables, small_artists):
    reviews = clean(small_tables).reviews
    vocab = Vocabulary.from_artists(small_artists)
    loop = article_pairs(reviews, vocab, 60_000, seed=2)
    fast = pairs_with_mistakes(reviews, vocab, 60_000, seed=3)
    assert abs((loop[:, 0] == loop[:, 1]).mean() - (fast[:, 0] == fast[:, 1]).mean()) < 0.004
    bucket = small_artists.loc[list(vocab.names), "score_bucket"].to_numpy()
    for column in (0, 1):
        shares = [np.bincount(bucket[p[:, column]], minlength=11) / len(p) for p in (loop, fast)]
        assert 0.5 * np.abs(shares[0] - shares[1]).sum() < 0.02  # total variation distance
    top = np.bincount(loop[:, 0], minlength=len(vocab)).argsort()[-20:]
    assert np.corrcoef(np.bincount(loop[:, 0], minlength=len(vocab))[top],
                       np.bincount(fast[:, 0], minlength=len(vocab))[top])[0, 1] > 0.9  # fmt: skip
    with pytest.raises(ValueError, match="at least 0"):
        pairs_with_mistakes(reviews, vocab, -1)


# ---- joint pairs: a genre and a score bucket together -------------------------------------


def test_joint_groups_are_genre_and_bucket(small_artists, small_groups):
    vocab, groups = small_groups
    members = dict(zip(groups.joint.keys, np.split(groups.joint.members, groups.joint.starts[1:]), strict=True))
    by_id = small_artists.loc[list(vocab.names)]
    for (genre, bucket), ids in members.items():
        assert len(ids) >= 2
        assert all(by_id["score_bucket"].iloc[i] == bucket for i in ids)
        if genre == NO_GENRE:  # the artists without a genre form groups of their own, by bucket
            assert all(not by_id["genres"].iloc[i] for i in ids)
        else:
            assert all(genre in by_id["genres"].iloc[i] for i in ids)
    expected = {}
    for name, genres, bucket in zip(small_artists.index, small_artists["genres"], small_artists["score_bucket"],
                                    strict=True):  # fmt: skip
        for g in genres or [NO_GENRE]:
            expected.setdefault((g, int(bucket)), set()).add(vocab.id(name))
    assert {k: set(v.tolist()) for k, v in members.items()} == {k: v for k, v in expected.items() if len(v) >= 2}
    assert any(genre == NO_GENRE for genre, _ in members)  # the sample has artists without a genre


def test_joint_pairs_share_a_genre_and_a_bucket(small_artists, small_groups):
    vocab, groups = small_groups
    pairs = context_pairs(groups, 20_000, genre_share=0.0, joint_share=1.0, seed=1)
    genre, bucket = shares_context(pairs, small_artists, vocab)
    none = no_genre(pairs, small_artists, vocab)
    assert np.all(bucket & (genre | none)) and not np.any(pairs[:, 0] == pairs[:, 1])
    # the artists without a genre get pairs too, as often as their share of the memberships
    no_genre_share = sum(size for (g, _), size in zip(groups.joint.keys, groups.joint.sizes, strict=True)
                         if g == NO_GENRE) / len(groups.joint.members)  # fmt: skip
    assert 0.05 < no_genre_share and abs(none.mean() - no_genre_share) < 0.01
    mixed = context_pairs(groups, 20_000, genre_share=0.0, joint_share=0.5, seed=1)
    genre, bucket = shares_context(mixed, small_artists, vocab)
    assert np.all(bucket)  # joint pairs and bucket pairs both share a bucket
    assert 0.45 <= genre.mean() < 0.95  # half are joint, and some bucket pairs share a genre by chance


def test_joint_share_zero_leaves_the_article_mix_unchanged(small_groups):
    _, groups = small_groups
    assert np.array_equal(context_pairs(groups, 5000, seed=3), context_pairs(groups, 5000, joint_share=0.0, seed=3))


@pytest.mark.parametrize(("n", "shares", "expected"), [
    (100, (0.8,), (80, 0, 0, 0, 20)), (100, (0.0, 0.95), (0, 95, 0, 0, 5)), (10, (0.5, 0.5), (5, 5, 0, 0, 0)),
    (7, (0.3, 0.3), (2, 2, 0, 0, 3)), (0, (0.2, 0.7), (0, 0, 0, 0, 0)), (3, (0.5, 0.5), (2, 1, 0, 0, 0)),
    (100, (0.0, 0.45, 0.1, 0.45), (0, 45, 10, 45, 0)), (1000, (0.0, 0.0, 1.0), (0, 0, 1000, 0, 0)),
    (7, (0.1, 0.2, 0.3, 0.4), (1, 1, 2, 3, 0)), (10, (0.0, 0.3, 0.2, 0.4), (0, 3, 2, 4, 1)),
])  # fmt: skip
def test_pair_counts(n, shares, expected):
    """Kinds in the order they are drawn (genre, joint, label, label within a group); each
    gets its share rounded, up to what is left, and the rest share a score bucket."""
    counts = pair_counts(n, *shares)
    assert list(counts) == ["genre", "joint", "label", "label_group", "score"] == list(PAIR_KINDS)
    assert tuple(counts.values()) == expected and sum(expected) == n
    names = ("genre_share", "joint_share", "label_share", "label_group_share")
    assert pair_counts(n, **dict(zip(names, shares, strict=False))) == counts


def test_the_default_mix_is_groups_and_labels():
    assert pair_counts(1000, 0.0, JOINT_SHARE, LABEL_SHARE, LABEL_GROUP_SHARE) == {
        "genre": 0, "joint": 450, "label": 100, "label_group": 450, "score": 0}  # fmt: skip
    assert JOINT_SHARE + LABEL_GROUP_SHARE + LABEL_SHARE == pytest.approx(1.0)


def test_shares_that_add_up_to_more_than_one_are_refused():
    groups = disjoint_groups([3], [3])
    with pytest.raises(ValueError, match=r"the shares of pairs must add up to at most 1, not 0\.5 \+ 0\.6 \+ 0\.0"):
        context_pairs(groups, 10, genre_share=0.5, joint_share=0.6)
    with pytest.raises(ValueError, match=r"must add up to at most 1, not 0\.0 \+ 0\.45 \+ 0\.2 \+ 0\.45$"):
        pair_counts(10, 0.0, 0.45, 0.2, 0.45)
    with pytest.raises(ValueError, match="joint_share must be between 0 and 1"):
        context_pairs(groups, 10, joint_share=-0.1)
    for name in ("label_share", "label_group_share"):
        with pytest.raises(ValueError, match=f"{name} must be between 0 and 1, not 1.5"):
            context_pairs(groups, 10, genre_share=0.0, **{name: 1.5})


def test_joint_pairs_need_a_shared_genre_and_bucket():
    artists = artist_frame({"a": ({"rock"}, 1), "b": ({"rock"}, 2), "c": ({"jazz"}, 1)})
    _, groups = groups_of(artists)
    with pytest.raises(DataError, match="no genre and score bucket is shared"):
        context_pairs(groups, 10, genre_share=0.0, joint_share=0.5)


# ---- record labels: a label, and a label within a group -----------------------------------


@pytest.fixture(scope="module")
def label_artists() -> pd.DataFrame:
    """x: a, b, c; y: c, d, e; f and g release their own records (which is no label)."""
    return artist_frame({
        "a": ({"rock"}, 7, {"x", SELF_RELEASED}), "b": ({"rock"}, 7, {"x"}), "c": ({"jazz"}, 7, {"x", "y"}),
        "d": (set(), 3, {"y", SELF_RELEASED}), "e": (set(), 3, {"y"}), "f": ({"rock"}, 2, {SELF_RELEASED}),
        "g": ({"rock"}, 2, {SELF_RELEASED}), "h": ({"rap"}, 5, set()),
    })  # fmt: skip


def test_label_groups_by_hand(label_artists):
    vocab, groups = groups_of(label_artists)
    assert index_members(groups.labels, vocab) == {"x": ["a", "b", "c"], "y": ["c", "d", "e"]}
    # keys are (label, genre, bucket): c is alone in both of its, so only two are left
    assert index_members(groups.label_groups, vocab) == {("x", "rock", 7): ["a", "b"], ("y", NO_GENRE, 3): ["d", "e"]}
    assert index_members(groups.joint, vocab) == {("rock", 2): ["f", "g"], ("rock", 7): ["a", "b"],
                                                  (NO_GENRE, 3): ["d", "e"]}  # fmt: skip
    assert SELF_RELEASED not in groups.labels.keys
    # the genre and score groups are what they were: no NO_GENRE genre
    assert index_members(groups.genres, vocab) == {"rock": ["a", "b", "f", "g"]}
    assert groups.scores.keys == (2, 3, 7)


def test_label_groups_hold_exactly_the_artists_of_each_label(small_artists, small_groups):
    vocab, groups = small_groups
    expected: dict = {}
    for name, labels in zip(small_artists.index, small_artists["labels"], strict=True):
        for label in labels - {SELF_RELEASED}:
            expected.setdefault(label, set()).add(name)
    expected = {k: sorted(v) for k, v in expected.items() if len(v) >= 2}
    assert index_members(groups.labels, vocab) == expected and len(expected) > 20
    assert list(groups.labels.keys) == sorted(expected)
    assert any(SELF_RELEASED in ls for ls in small_artists["labels"]) and SELF_RELEASED not in expected


def test_label_groups_within_a_group_share_label_genre_and_bucket(small_artists, small_groups):
    vocab, groups = small_groups
    by_id = small_artists.loc[list(vocab.names)]
    expected: dict = {}
    for i, (genres, bucket, labels) in enumerate(zip(by_id["genres"], by_id["score_bucket"], by_id["labels"],
                                                     strict=True)):  # fmt: skip
        for label in labels - {SELF_RELEASED}:
            for genre in genres or [NO_GENRE]:
                expected.setdefault((label, genre, int(bucket)), set()).add(i)
    expected = {k: v for k, v in expected.items() if len(v) >= 2}
    index = groups.label_groups
    members = {k: set(index.members[s : s + n].tolist())
               for k, s, n in zip(index.keys, index.starts, index.sizes, strict=True)}  # fmt: skip
    assert members == expected and len(members) > 5
    for (label, genre, bucket), ids in members.items():
        for i in ids:
            assert label in by_id["labels"].iloc[i] and by_id["score_bucket"].iloc[i] == bucket
            assert genre in by_id["genres"].iloc[i] or (genre == NO_GENRE and not by_id["genres"].iloc[i])
        assert ids <= set(dict(zip(groups.labels.keys, np.split(groups.labels.members, groups.labels.starts[1:]),
                                   strict=True))[label].tolist())  # fmt: skip


def test_label_pairs_share_a_label(small_artists, small_groups):
    vocab, groups = small_groups
    pairs = context_pairs(groups, 20_000, genre_share=0.0, label_share=1.0, seed=2)
    assert np.all(shares_label(pairs, small_artists, vocab)) and not np.any(pairs[:, 0] == pairs[:, 1])
    genre, bucket = shares_context(pairs, small_artists, vocab)
    assert not np.all(genre & bucket)  # a label alone says nothing of the genre or the bucket
    within = context_pairs(groups, 20_000, genre_share=0.0, label_group_share=1.0, seed=2)
    genre, bucket = shares_context(within, small_artists, vocab)
    none = no_genre(within, small_artists, vocab)
    assert np.all(shares_label(within, small_artists, vocab) & bucket & (genre | none))


def test_the_default_mix_on_the_sample(small_artists, small_groups):
    vocab, groups = small_groups
    n = 20_000
    pairs = context_pairs(groups, n, genre_share=0.0, joint_share=JOINT_SHARE, label_share=LABEL_SHARE,
                          label_group_share=LABEL_GROUP_SHARE, seed=3)  # fmt: skip
    genre, bucket = shares_context(pairs, small_artists, vocab)
    group = bucket & (genre | no_genre(pairs, small_artists, vocab))
    label = shares_label(pairs, small_artists, vocab)
    assert group.sum() >= round(n * (JOINT_SHARE + LABEL_GROUP_SHARE))  # and some label pairs by chance
    assert (group & label).sum() >= round(n * LABEL_GROUP_SHARE)
    assert np.all(group | label)  # nothing shares a bucket alone: no score pairs in the default


def disjoint_kinds(sizes: dict[str, list[int]]) -> ContextGroups:
    """Groups of every kind on separate id ranges, in the order of PAIR_KINDS."""
    ids = iter(range(10**6))
    indexes = {field: GroupIndex.from_groups({(kind, i): [next(ids) for _ in range(s)]
                                              for i, s in enumerate(sizes.get(kind, []))})
               for kind, field in PAIR_KINDS.items()}  # fmt: skip
    return ContextGroups(vocab_size=next(ids), **indexes)


@pytest.mark.parametrize("shares", [(0.0, 0.45, 0.1, 0.45), (0.2, 0.2, 0.2, 0.2), (0.0, 0.0, 1.0, 0.0),
                                    (0.0, 0.0, 0.0, 1.0), (0.1, 0.0, 0.3, 0.0)])  # fmt: skip
def test_exact_count_of_every_kind(shares):
    sizes = {"genre": [3, 4], "joint": [2, 5], "label": [6, 2], "label_group": [3, 3], "score": [4, 7]}
    groups = disjoint_kinds(sizes)
    n = 999
    pairs = context_pairs(groups, n, genre_share=shares[0], joint_share=shares[1], label_share=shares[2],
                          label_group_share=shares[3], seed=4)  # fmt: skip
    edges = np.cumsum([sum(sizes[kind]) for kind in PAIR_KINDS])
    kind_of = np.searchsorted(edges, pairs, side="right")
    assert np.array_equal(kind_of[:, 0], kind_of[:, 1])  # a pair never mixes two kinds
    counts = np.bincount(kind_of[:, 0], minlength=len(PAIR_KINDS))
    assert dict(zip(PAIR_KINDS, counts.tolist(), strict=True)) == pair_counts(n, *shares)
    assert not np.any(pairs[:, 0] == pairs[:, 1])


def test_label_pairs_need_a_shared_label():
    artists = artist_frame({"a": ({"rock"}, 1, {"x"}), "b": ({"rock"}, 1, {"y", SELF_RELEASED}),
                            "c": ({"rock"}, 2, {SELF_RELEASED})})  # fmt: skip
    _, groups = groups_of(artists)
    with pytest.raises(DataError, match="no record label is shared by two artists, so no record label pairs"):
        context_pairs(groups, 10, genre_share=0.0, label_share=0.5)
    with pytest.raises(DataError, match="no record label within a genre and score bucket is shared"):
        context_pairs(groups, 10, genre_share=0.0, label_group_share=0.5)
    assert len(context_pairs(groups, 10, genre_share=0.0, joint_share=1.0)) == 10  # a and b share rock and 1
