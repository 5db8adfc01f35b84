# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,mystnb,-all
#     notebook_metadata_filter: kernelspec,jupytext
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 4: From reviews to pairs
#
# Lessons 1 to 3 trained skip-gram models on sentences. Now the "words" are music artists
# and the "sentences" are Pitchfork reviews. This lesson turns review tables into the
# (target, context) pairs the model learns from, following the original article
# {cite}`ferris2018rockbands`, and fixes its pair generator along the way.
#
# ## Learning objectives
#
# After this lesson you can:
#
# - load the review data: the embedded sample, or the real Kaggle data with one switch;
# - say what each cleaning rule removes and why it matters;
# - build the artists table and the two kinds of context: genre groups and score buckets;
# - measure three bugs of the article's pair generator against the library's generator;
# - choose the mix of genre and score pairs, and batch pairs with `tf.data`.

# %% [markdown]
# ## Setup
#
# One seed for the whole lesson: every random draw below derives from it, so the figures
# are the same on every run.

# %%
import os
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.data import (
    CLEANING_RULES,
    VARIOUS_ARTISTS,
    artist_table,
    clean,
    load_tables,
)
from bands2vec_lib.pairs import (
    GENRE_SHARE,
    JOINT_SHARE,
    ContextGroups,
    article_pairs,
    context_pairs,
)
from bands2vec_lib.plots import plot_genre_mix, plot_group_sizes, plot_representation
from bands2vec_lib.similarity import (
    genre_precision_at_k,
    neighbour_ids,
    random_embeddings,
    score_error_at_k,
)
from bands2vec_lib.training import TrainConfig, pair_dataset, train, train_or_load
from bands2vec_lib.vocab import Vocabulary
from bands2vec_lib.widgets import genre_mix_control

tf = quiet_tensorflow()
SEED = 0
tf.random.set_seed(SEED)
rng = np.random.default_rng(SEED)

# %% [markdown]
# ## 1. The data
#
# The article used Kaggle's Pitchfork data set: about 18,000 album reviews from 1999 to
# 2017, in a SQLite file `database.sqlite`. Kaggle needs a login, so the course ships
# with an **embedded sample** instead: invented artists and reviews, generated from a
# seed, with the shape of the real data (the same genres and their frequencies, scores,
# reviews per artist, and the same kinds of dirt).
#
# The library reads the real data when the environment variable `BANDS2VEC_DATA` holds
# the path of `database.sqlite` (or of a folder of CSV files), and the sample otherwise.
# The line below is the only switch in the lesson: set the variable before starting
# Jupyter (`BANDS2VEC_DATA=~/data/database.sqlite jupyter lab`) and every cell that
# follows runs on the real reviews. The book's page on the real data says where to get it.

# %%
DATA = os.environ.get(
    "BANDS2VEC_DATA"
)  # unset: the embedded sample; a path: the real data
tables = load_tables(DATA, seed=SEED)
print("data:", "the embedded sample" if DATA is None else DATA)

# %% [markdown]
# Both sources give the same five tables, one row per review (or per review and genre,
# artist, label, year), joined by `reviewid`:

# %%
for name, table in tables.as_dict().items():
    print(f"{name:8} {len(table):6,} rows  columns: {', '.join(table.columns[:6])}")

# %% [markdown]
# A review has one `artist` name and one score; its genres are in a separate table,
# with one row per genre (and a row with a missing genre, SQL `NULL`, when Pitchfork
# gave none):

# %%
first = tables.reviews["reviewid"].iloc[:3]
print(
    tables.reviews.loc[
        tables.reviews["reviewid"].isin(first), ["reviewid", "artist", "score"]
    ].to_string()
)
print(tables.genres[tables.genres["reviewid"].isin(first)].to_string())

# %% [markdown]
# ## 2. Cleaning, and why
#
# Raw tables make bad vocabularies. The article fed them to the model almost as they came,
# and two of its problems start here. The library's cleaning rules, each with its reason:

# %%
for rule, reason in CLEANING_RULES.items():
    print(f"{rule:16} {reason}")

# %% [markdown]
# Look at the worst offender first. "Various artists" is how Pitchfork credits
# compilations: hundreds of records by different people, nearly all without a genre. Kept
# as one artist, it would be by far the most reviewed "artist" in the data, and the
# article indeed had it as one.

# %%
raw_names = tables.reviews["artist"].str.lower().str.strip()
various = tables.reviews.loc[raw_names == VARIOUS_ARTISTS, "reviewid"]
genre_rows = tables.genres[
    tables.genres["reviewid"].isin(various) & tables.genres["genre"].notna()
]
with_genre = genre_rows["reviewid"].nunique()
print(f'"{VARIOUS_ARTISTS}": {len(various)} reviews, {with_genre} of them with a genre')
print(
    f"the most reviewed other name has "
    f"{raw_names[raw_names != VARIOUS_ARTISTS].value_counts().iloc[0]} reviews"
)

# %% [markdown]
# `clean` applies every rule and counts what each one removed. A `NULL` genre is not a
# genre called "NULL" (the article had one): it only means the review adds a score.

# %%
cleaned = clean(tables)
print(pd.Series(cleaned.removed, name="rows removed").to_string())
cleaned.reviews.head(3)

# %% [markdown]
# Some reviews credit several artists in one name ("kleenex, liliput" on the real data).
# The `artists` table lists each of them separately, so `split_collaborations=True`
# credits the review to every artist; by default a collaboration stays one name, as in the
# article. Here is what splitting changes:

# %%
credits = tables.artists.groupby("reviewid")["artist"].agg(list)
shared = credits[credits.map(len) > 1]
example = shared.index[0]
print(
    "review credited to:",
    tables.reviews.loc[tables.reviews["reviewid"] == example, "artist"].iloc[0],
)
print("artists table:     ", shared.loc[example])
split = clean(tables, split_collaborations=True)
print(
    f"{len(shared)} reviews with several artists; rows after cleaning: "
    f"{len(cleaned.reviews):,} as names, {len(split.reviews):,} split"
)

# %% [markdown]
# ## 3. The artists table
#
# The model needs one row per artist: its genres (the union over its reviews), its number
# of reviews, its mean score, and the **score bucket**, the mean score rounded to a whole
# number. `artist_table` sorts the rows by number of reviews, most reviewed first: that
# order becomes the vocabulary's ids. It is not the order TensorFlow's log-uniform noise
# sampler wants: that needs ids sorted by how often each occurs as a *context*, with
# counts that follow Zipf's law (lesson 3). Section 5 shows that in the library's pairs
# an artist's count does not grow with its reviews: it grows with the number of groups the
# artist belongs to (one genre, two, three), a few plateaus and nothing like Zipf's law.
# So no order of the ids would suit the log-uniform sampler, and the library draws noise
# from the counts themselves.

# %%
artists = artist_table(cleaned.reviews)
vocab = Vocabulary.from_artists(artists)
view = artists.assign(genres=artists["genres"].map(lambda g: ", ".join(sorted(g))))
print(
    view[["genres", "n_reviews", "mean_score", "score_bucket"]]
    .head(8)
    .round(2)
    .to_string()
)
print(
    f"\n{len(artists):,} artists; {(artists['genres'].map(len) == 0).sum():,} have no "
    f"genre; {(artists['n_reviews'] > 10).sum()} have more than ten reviews"
)

# %% tags=["remove-cell"]
assert VARIOUS_ARTISTS not in artists.index
assert artists["n_reviews"].is_monotonic_decreasing
assert vocab.names == tuple(artists.index)  # id = row number
assert (artists["score_bucket"] == np.rint(artists["mean_score"])).all()

# %% [markdown]
# Most artists have a single review; under a hundred have more than ten (printed above).
# Keep that skew in
# mind: it is what the article's generator gets wrong below.

# %% mystnb={"image": {"alt": "Bar chart, log scale, of the number of artists against reviews per artist: one review is by far the most common, and the bars fall steeply to a long tail of a few artists with many reviews."}}
counts = artists["n_reviews"].value_counts().sort_index()
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(counts.index, counts.to_numpy())
ax.set_yscale("log")
ax.set_xlabel("reviews per artist")
ax.set_ylabel("artists (log scale)")
ax.set_title("Most artists have one review")
plt.show()

# %% [markdown]
# ## 4. Contexts: genre groups and score buckets
#
# Words have neighbours in a sentence; artists do not. The article's idea: an artist's
# contexts are the artists that share one of its **genres**, or its **score bucket**. So
# the "sentences" are the groups: the nine genres, and the eleven buckets from 0 to 10.
# `ContextGroups` holds them as vocabulary ids. A group needs two artists to make a pair,
# so smaller groups are left out.

# %% mystnb={"image": {"alt": "Two bar charts of group sizes in artists. Genres: rock 3,946, twice electronic (1,858), down to global 129. Score buckets: 6 to 8 hold most (7: 3,383; 8: 2,705; 6: 1,574); buckets 0, 1 and 10 hold only 6, 8 and 24."}}
groups = ContextGroups.from_artists(artists, vocab)
sizes = groups.sizes()
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
plot_group_sizes(sizes, "genre", ax=axes[0])
plot_group_sizes(sizes, "score", ax=axes[1])
fig.tight_layout()
plt.show()

# %%
largest, smallest = sizes["size"].max(), sizes["size"].min()
print(
    f"{len(sizes)} groups, from {smallest} to {largest:,} artists "
    f"({largest / smallest:,.0f} times larger)"
)

# %% tags=["remove-cell"]
assert (sizes["size"] >= 2).all()

# %% [markdown]
# The sizes differ by a factor of several hundred. How a pair generator treats that
# difference decides which artists the model sees most.

# %% [markdown]
# ## 5. The article's pair generator, and three bugs
#
# The article made each pair with a few lines of Python per pair:
#
# 1. with probability 0.8 pick a genre, otherwise a score bucket, **uniformly** among
#    them;
# 2. pick a position in that group's list of artists for the target and another for the
#    context, drawing the context's position again while it equals the target's.
#
# The genre lists were built by looping over every (review, genre) row, and the check
# meant to add each artist only once compared its name with a list of ids, so it never
# matched: an artist with 20 rock reviews sat in the rock list 20 times. The check of
# step 2 compares positions, not artists, so two entries of one artist still pair it with
# itself. The bucket lists were built once per artist. `article_pairs` runs the
# article's loop as it was written, bugs included
# ({numref}`exercise %s <pairs-predict-self-pairs>` predicts its self pairs);
# `context_pairs` is the library's. Draw the same number of pairs with both:

# %%
N_PAIRS = 200_000
ours = context_pairs(groups, N_PAIRS, seed=SEED)
theirs = article_pairs(cleaned.reviews, vocab, N_PAIRS, seed=SEED)
print("shapes:", ours.shape, theirs.shape)
for label, pairs in (("library", ours), ("article", theirs)):
    print(f"{label}:", [(vocab.name(t), vocab.name(c)) for t, c in pairs[:2]])

# %% [markdown]
# ### Bug 1: self pairs
#
# A pair (coil, coil) teaches nothing about coil's neighbours: the model is asked to
# predict an artist from itself. Here is the article's step 2 written out, on a rock list in which coil has two
# reviews and elder ones one:


# %%
def article_draw(entries: list, rng: np.random.Generator, max_draws: int = 1_000):
    """The article's step 2: a first position, then a second drawn again while the two
    are equal. The article had no ``max_draws``; ``None`` here means "gave up"."""
    first = rng.integers(len(entries))
    for _ in range(max_draws):
        second = rng.integers(len(entries))
        if second != first:
            return entries[first], entries[second]
    return None


rock = ["coil", "coil", "elder ones"]
draws = [article_draw(rock, rng) for _ in range(3_000)]
coil_twice = draws.count(("coil", "coil")) / len(draws)
print(f"(coil, coil) in {coil_twice:.0%} of the draws")

# %% [markdown]
# Two of the six ordered pairs of different positions hold coil twice, so about a third
# of the draws pair coil with itself. Over all the pairs drawn above:

# %%
self_ours, self_theirs = (
    (ours[:, 0] == ours[:, 1]).mean(),
    (theirs[:, 0] == theirs[:, 1]).mean(),
)
print(f"self pairs: article {self_theirs:.2%}, library {self_ours:.2%}")

# %% tags=["remove-cell"]
assert abs(coil_twice - 1 / 3) < 0.03
assert self_ours == 0 and self_theirs > 0.002

# %% [markdown]
# ### Bug 2: one entry per review, not per artist
#
# Count how often each artist appears in the pairs (as target or context), average over
# the artists with the same number of reviews, and divide by the overall average. A fair
# generator gives every artist a share that does not depend on its number of reviews (it
# grows with the number of groups the artist is in); the article's share grows with the
# number of reviews.


# %%
def appearances_by_reviews(pairs: np.ndarray, cap: int = 12) -> pd.Series:
    """Mean appearances in ``pairs`` by number of reviews (capped), over the mean."""
    seen = np.bincount(pairs.ravel(), minlength=len(vocab))
    seen = seen / seen.mean()
    reviews = np.minimum(
        vocab.counts, cap
    )  # ids follow the artists table, so counts align
    return pd.Series(seen).groupby(reviews).mean()


relative = pd.DataFrame(
    {"article": appearances_by_reviews(theirs), "library": appearances_by_reviews(ours)}
)
relative.index.name = "reviews (12 = 12 or more)"
print(relative.round(2).T.to_string())

# %% mystnb={"image": {"alt": "Line chart of how often an artist appears in the pairs, relative to the average, against reviews per artist (1 to 12 or more): the article's line climbs from about 0.5 to about 6, while the library's stays flat between 0.9 and 1.2."}}
fig, ax = plt.subplots(figsize=(6, 3.5))
plot_representation(relative, ax=ax)
ax.set_xlabel("reviews per artist (12: twelve or more)")
ax.set_title("The article's pairs favour prolific artists")
plt.show()

# %% [markdown]
# The artists with ten reviews or more are a small share of the vocabulary (printed
# below). Their share of the pairs:

# %%
prolific = vocab.counts >= 10


def share_of(pairs: np.ndarray, mask: np.ndarray) -> float:
    """The share of the artists in ``pairs`` (both columns) for which ``mask`` holds."""
    return float(mask[pairs.ravel()].mean())


print(
    f"{prolific.mean():.1%} of artists; {share_of(theirs, prolific):.1%} of the "
    f"article's pairs, "
    f"{share_of(ours, prolific):.1%} of the library's"
)

# %% tags=["remove-cell"]
assert share_of(theirs, prolific) > 2.5 * share_of(ours, prolific)

# %% [markdown]
# ### Bug 3: groups chosen uniformly, whatever their size
#
# Picking a group uniformly and then an artist within it gives each artist of a small
# group a much larger chance than each artist of a large one. The library draws a
# *membership* uniformly instead, which picks a group in proportion to its size. Measure
# it on the four smallest score buckets: what share of the pairs have both artists in
# these buckets?

# %%
buckets = artists["score_bucket"].to_numpy()  # by id
score_sizes = sizes[sizes["kind"] == "score"]
rare = score_sizes.nsmallest(4, "size")["group"].astype(int).tolist()
in_rare = np.isin(buckets, rare)


def both_in(pairs: np.ndarray, mask: np.ndarray) -> float:
    """The share of pairs whose target and context both satisfy ``mask``."""
    return float((mask[pairs[:, 0]] & mask[pairs[:, 1]]).mean())


print(f"buckets {sorted(rare)} hold {in_rare.sum()} artists ({in_rare.mean():.1%})")
print(
    f"pairs inside them: article {both_in(theirs, in_rare):.2%}, library "
    f"{both_in(ours, in_rare):.2%}"
)

# %% tags=["remove-cell"]
assert both_in(theirs, in_rare) > 5 * both_in(ours, in_rare)

# %% [markdown]
# With 11 buckets drawn uniformly for 20% of the pairs, each bucket gets
# $0.2 / 11 \approx 1.8\%$ of all pairs, however few artists it holds; the library gives
# a bucket of $s$ artists a share proportional to $s$.
#
# A bucket of a single artist would have been worse still. The article's bucket lists
# held each artist once, so that bucket's list would have one position, and step 2 would
# draw the context's position again forever (`article_draw` gives up after 1,000 draws):

# %%
print("a list of one entry, after 1,000 draws:", article_draw(["coil"], rng))

# %% [markdown]
# No group of this data is that small (section 4 printed the smallest). `article_pairs`
# and the library both leave groups of one out.
#
# ### The fix, in a few lines
#
# The library's sampler, written plainly: list every *membership* (a group and one of its
# artists), draw memberships uniformly, and pair each drawn artist with another member of
# the same group, drawn uniformly too. A group of $s$ artists has $s$ memberships, so it
# is drawn in proportion to its size, and every artist is a target as often as it has
# groups.


# %%
def membership_pairs(groups: dict, n: int, rng: np.random.Generator) -> np.ndarray:
    """n (target, context) pairs: a uniform membership, then another member."""
    memberships = [(g, i) for g, members in groups.items() for i in range(len(members))]
    pairs = []
    for k in rng.integers(len(memberships), size=n):
        group, i = memberships[k]
        members = groups[group]
        j = rng.integers(len(members) - 1)  # one of the others: skip position i
        pairs.append((members[i], members[j + (j >= i)]))
    return np.array(pairs)


genre_members = dict(
    zip(
        groups.genres.keys,
        np.split(groups.genres.members, groups.genres.starts[1:]),
        strict=True,
    )
)
by_hand = membership_pairs(genre_members, 100_000, rng)
by_library = context_pairs(groups, 100_000, genre_share=1.0, seed=SEED)
n_genres = artists["genres"].map(len).to_numpy()  # ids follow the artists table


def targets_by_genre_count(pairs: np.ndarray) -> pd.Series:
    """How often an artist is a target, on average, by its number of genres."""
    as_target = np.bincount(pairs[:, 0], minlength=len(vocab))
    return pd.Series(as_target).groupby(n_genres).mean().loc[1:3]


target_counts = pd.DataFrame(
    {
        "by hand": targets_by_genre_count(by_hand),
        "library": targets_by_genre_count(by_library),
    }
)
target_counts.index.name = "genres of the artist"
target_counts.round(1)

# %% [markdown]
# The two draw different pairs (different random numbers) from the same distribution: an
# artist filed under two genres is a target about twice as often as one filed under one,
# under three genres about three times, in both.

# %% tags=["remove-cell"]
ratios = target_counts / target_counts.loc[1]
assert np.allclose(ratios.to_numpy(), [[1, 1], [2, 2], [3, 3]], rtol=0.1)
assert np.allclose(target_counts["by hand"], target_counts["library"], rtol=0.05)

# %% [markdown]
# Why draw a group in proportion to its size? Compare three ways to pick the group of a
# pair, by the share of pairs that the largest genre and the smallest get:
#
# - **uniformly** (the article): every genre gets the same share, so an artist of a small
#   genre is a target far more often than one of a large genre;
# - **in proportion to its size** (the library): every membership is equally likely;
# - **every pair of co-members once**: a genre of $s$ artists has $s(s - 1)$ ordered
#   pairs, so large genres take almost everything.

# %%
sizes_by_genre = pd.Series(groups.genres.sizes, index=list(groups.genres.keys))
all_pairs = sizes_by_genre * (sizes_by_genre - 1)
schemes = pd.DataFrame(
    {
        "uniform (article)": 1 / len(sizes_by_genre),
        "by size (library)": sizes_by_genre / sizes_by_genre.sum(),
        "all co-member pairs": all_pairs / all_pairs.sum(),
    }
)
schemes.loc[[sizes_by_genre.idxmax(), sizes_by_genre.idxmin()]].round(3)

# %% [markdown]
# By size, every artist is a target as often as it has groups, whatever the size of its
# groups: the fair choice. Uniformly, the few artists of the smallest genre are drawn over
# and over; with all co-member pairs, the smallest genre all but disappears.
#
# ### Speed
#
# The article's loop runs Python code for every pair. The library draws all pairs at once
# with NumPy. Time both the same way: each call starts from what the generator takes (the
# cleaned reviews for the article's, the artists table for the library's, the vocabulary
# for both), builds its groups and draws as many pairs as one training run of the
# library's defaults uses, 2,048,000, in the article's 80/20 mix for both. The first row
# times the same calls for 0 pairs: building the groups alone. `time.process_time`
# counts the CPU time of this process only, which other programs on a busy machine
# disturb less than the wall-clock time, and each figure is the best of three calls, as
# `timeit` reports it (a first call also pays for fresh memory). The seconds vary from
# machine to machine; their ratio varies less.


# %% tags=["nbval-ignore-output"]
def best_cpu_seconds(draw, *args, repeat: int = 3) -> float:
    """The least CPU time of ``repeat`` calls ``draw(*args)``, as ``timeit`` reports."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        draw(*args)
        times.append(time.process_time() - start)
    return min(times)


def library_draw(n: int) -> np.ndarray:
    return context_pairs(ContextGroups.from_artists(artists, vocab), n, seed=SEED)


def article_draw_all(n: int) -> np.ndarray:
    return article_pairs(cleaned.reviews, vocab, n, seed=SEED)


n_train = TrainConfig().steps * TrainConfig().batch_size
seconds = pd.DataFrame(
    {
        name: [best_cpu_seconds(draw, 0), best_cpu_seconds(draw, n_train)]
        for name, draw in (("article", article_draw_all), ("library", library_draw))
    },
    index=["0 pairs (the groups alone)", f"{n_train:,} pairs"],
)
drawing = seconds.loc[f"{n_train:,} pairs"]
speedup = drawing["article"] / drawing["library"]
print("CPU seconds, best of 3:")
print(seconds.round(3).to_string())
print(f"the library is {speedup:.0f} times faster")

# %% tags=["remove-cell"]
assert n_train == 2_048_000  # the figure the text gives
assert speedup > 4

# %% [markdown]
# ## 6. The genre and score mix
#
# The article made 80% of its pairs from genres and 20% from score buckets
# (`GENRE_SHARE` in the library). What does that choice do to the pairs? Move the slider:
# for each share, the control draws 20,000 pairs and measures how many of them share a
# genre, how many share a score bucket, and the mean gap between the two artists' mean
# scores. Every share from 0 to 1 in steps of 0.05 is measured in advance, so the slider
# works in the book too. The figure below it draws the shares 0, 0.1, ..., 1 at once, as
# two lines, which the slider, one share at a time, cannot.

# %% tags=["nbval-ignore-output"]
mix_control = genre_mix_control(artists, seed=SEED)
display(mix_control)

# %%
at_article = mix_control.callback(GENRE_SHARE)
print({key: round(value, 3) for key, value in at_article.items()})

# %% mystnb={"image": {"alt": "Share of pairs whose artists share a genre (rising from 0.27 to 1) and a score bucket (falling from 1 to 0.29) against the genre share, 0 to 1: neither reaches 0, they cross at 0.5; at the article's 0.8 (dashed), 0.85 share a genre and 0.43 a bucket."}}
grid = np.linspace(0, 1, 11)
mix = pd.DataFrame([mix_control.callback(g) for g in grid]).set_index("genre_share")
mix_control.callback(GENRE_SHARE)  # leave the slider on the article's share
fig, ax = plt.subplots(figsize=(6.5, 3.5))
plot_genre_mix(mix[["same_genre", "same_bucket"]], chosen=GENRE_SHARE, ax=ax)
ax.set_ylabel("share of pairs")
ax.set_title("What the pairs have in common, by genre share")
plt.show()
print(mix.round(3).to_string())

# %% [markdown]
# Score pairs often share a genre by chance (rock is everywhere), and genre pairs often
# share a bucket (most artists score 6 to 8), so neither line reaches 0. The more genre
# pairs, the more the model learns genres and the less it learns scores: at 80%, most
# pairs share a genre and fewer than half share a bucket.

# %% tags=["remove-cell"]
assert (
    mix["same_genre"].is_monotonic_increasing
    and mix["same_bucket"].is_monotonic_decreasing
)
assert mix.loc[1.0, "same_genre"] == 1.0 and mix.loc[0.0, "same_bucket"] == 1.0
assert at_article["same_genre"] >= GENRE_SHARE

# %% [markdown]
# ### A third kind of pair: a genre and a bucket together
#
# Every pair above says one thing: "same genre" or "same bucket". A pair can say both. The
# library's training draws its pairs from the artists that share a genre *and* a score
# bucket: `ContextGroups` holds these (genre, bucket) groups too, and `context_pairs`
# takes their share as `joint_share`. The library's default, `JOINT_SHARE`, is 95%; the
# other 5% share a bucket alone, because an artist without a genre has nothing else (a
# genre pair never reaches it). So such an artist appears in far fewer pairs than the
# others, and its vector learns less. What the two mixes' pairs have in common:

# %%
print(
    f"{len(groups.joint.keys)} (genre, bucket) groups of two or more artists, "
    f"from {groups.joint.sizes.min()} to {groups.joint.sizes.max():,} artists"
)
genres_by_id = artists["genres"].to_numpy()  # ids follow the artists table


def what_pairs_share(pairs: np.ndarray) -> dict:
    """The share of pairs whose two artists share a genre, a bucket, and both."""
    t, c = pairs[:, 0], pairs[:, 1]
    genre = np.array(
        [bool(genres_by_id[a] & genres_by_id[b]) for a, b in zip(t, c, strict=True)]
    )
    bucket = buckets[t] == buckets[c]
    return {
        "same genre": genre.mean(),
        "same bucket": bucket.mean(),
        "both": (genre & bucket).mean(),
    }


mixes = pd.DataFrame(
    {
        "article (80% genre, 20% bucket)": what_pairs_share(
            context_pairs(groups, 20_000, seed=SEED)
        ),
        f"library ({JOINT_SHARE:.0%} genre and bucket, {1 - JOINT_SHARE:.0%} "
        f"bucket)": what_pairs_share(
            context_pairs(
                groups, 20_000, genre_share=0.0, joint_share=JOINT_SHARE, seed=SEED
            )
        ),
    }
).T
mixes.round(3)

# %% [markdown]
# With the article's mix, most pairs share a genre but fewer than half share a bucket, and
# only about a quarter share both: the model hears about scores in a minority of its
# pairs. With the library's mix nearly every pair carries both facts at once. Lesson 7
# trains on both mixes and measures what the vectors learn from each.

# %% tags=["remove-cell"]
assert mixes.iloc[1]["both"] >= JOINT_SHARE and mixes.iloc[1]["same bucket"] == 1.0
assert mixes.iloc[0]["same bucket"] < 0.5 and mixes.iloc[0]["both"] < 0.35

# %% [markdown]
# ## 7. Batching with `tf.data`
#
# The model trains on batches of pairs. `pair_dataset` wraps an array of pairs in a
# `tf.data.Dataset` of (targets, contexts) batches, which a traced training step can
# consume directly (lesson 5); adding `.prefetch(tf.data.AUTOTUNE)` would overlap
# preparing the next batch with training on this one. `context_pairs` already shuffled
# the pairs, so the dataset keeps their order and drops an incomplete last batch.

# %%
BATCH = 1024
dataset = pair_dataset(ours, BATCH)
targets, contexts = next(iter(dataset))
print(dataset.element_spec)
print(
    "targets",
    targets.shape,
    targets.dtype.name,
    " contexts",
    contexts.shape,
    contexts.dtype.name,
)
print("batches:", int(dataset.cardinality()), "=", N_PAIRS, "//", BATCH)
print(
    "first pairs:",
    [
        (vocab.name(t), vocab.name(c))
        for t, c in zip(targets[:2].numpy(), contexts[:2].numpy(), strict=True)
    ],
)

# %% tags=["remove-cell"]
assert targets.shape == contexts.shape == (BATCH,)
assert int(dataset.cardinality()) == N_PAIRS // BATCH
assert np.array_equal(np.stack([targets, contexts], axis=1), ours[:BATCH])

# %% [markdown]
# ## Self-check
#
# The claims of this lesson, checked once more in one place:

# %%
claims = {
    '"various artists" is not an artist': VARIOUS_ARTISTS not in artists.index,
    "ids follow the number of reviews, most reviewed first": (
        artists["n_reviews"].is_monotonic_decreasing
    ),
    "every context group holds two artists or more": bool((sizes["size"] >= 2).all()),
    "the library never pairs an artist with itself": self_ours == 0,
    "the article does": self_theirs > 0,
    "the article gives prolific artists over 2.5 times their share": (
        share_of(theirs, prolific) > 2.5 * share_of(ours, prolific)
    ),
    "the article over-draws the smallest buckets over 5 times": (
        both_in(theirs, in_rare) > 5 * both_in(ours, in_rare)
    ),
    "the sampler by hand draws targets like the library's": bool(
        np.allclose(target_counts["by hand"], target_counts["library"], rtol=0.05)
    ),
    "the library draws pairs over 4 times faster": speedup > 4,
    "with 80% genre pairs, at least 80% of pairs share a genre": (
        at_article["same_genre"] >= GENRE_SHARE
    ),
    "the library's pairs nearly all share a genre and a bucket": (
        mixes.iloc[1]["both"] >= JOINT_SHARE
    ),
    "a batch holds 1,024 targets and 1,024 contexts": (
        targets.shape == contexts.shape == (BATCH,)
    ),
}
for claim, holds in claims.items():
    print(f"{'ok' if holds else 'FAILED'}: {claim}")
assert all(claims.values())

# %% [markdown]
# ## Exercises
#
# :::{exercise} predict the self pairs
# :label: pairs-predict-self-pairs
#
# In `article_pairs`, as in the article, a pair is a self pair when two *different*
# positions of a list hold the same artist. A list in which artist $i$ appears $m_i$
# times among $L$ entries gives one with probability $\sum_i m_i (m_i - 1) / (L (L - 1))$.
# Compute that for every genre list (one entry per review) and every bucket list (one
# entry per artist), average over the lists the way the generator picks them (80% genre,
# uniform within each kind), and compare with the measured share of self pairs. Then
# predict what the loop would make without its redraw, drawing the two positions
# independently: $\sum_i (m_i / L)^2$.
# :::

# %% [markdown]
# ```{solution} pairs-predict-self-pairs
# :label: pairs-predict-self-pairs-solution
# :class: dropdown
# Build the lists from the cleaned reviews, with each artist's score bucket from its mean
# score. The bucket lists hold each artist once, so they give no self pairs; the genre
# lists give all of them. Prediction and measurement agree to within the sampling error
# of 200,000 pairs (0.26% and 0.27%). Without the redraw the loop would make 1.04%, and
# 66% of those would come from the bucket lists: a small bucket's list is short, so two
# independent draws often hit one artist. The redraw the article wrote did its job on the
# buckets; the genre lists' duplicates, which it could not see, are what is left.
# ```


# %% tags=["solution", "hide-cell"]
def self_pair_probability(entries: pd.Series, distinct: bool = True) -> float:
    """The chance that two draws from a list pick the same artist: at two different
    positions, or (``distinct=False``) independently."""
    m = entries.value_counts().to_numpy()
    if distinct:
        return float((m * (m - 1)).sum() / (m.sum() * (m.sum() - 1)))
    return float(((m / m.sum()) ** 2).sum())


def predicted_self_pairs(distinct: bool) -> tuple[float, float]:
    """The share of self pairs from the genre lists and from the bucket lists."""
    per_review = cleaned.reviews.explode("genres").dropna(subset=["genres"])
    genre_lists = per_review.groupby("genres")["artist"]
    bucket_of = np.rint(cleaned.reviews.groupby("artist")["score"].mean()).astype(int)
    bucket_lists = bucket_of.index.to_series().groupby(bucket_of.to_numpy())
    in_genres = genre_lists.agg(self_pair_probability, distinct=distinct).mean()
    in_buckets = bucket_lists.agg(self_pair_probability, distinct=distinct).mean()
    return GENRE_SHARE * in_genres, (1 - GENRE_SHARE) * in_buckets


from_genres, from_buckets = predicted_self_pairs(distinct=True)
print(
    f"article_pairs: predicted {from_genres + from_buckets:.2%} "
    f"({from_buckets:.2%} from the buckets), measured {self_theirs:.2%}"
)
genres_free, buckets_free = predicted_self_pairs(distinct=False)
share = buckets_free / (genres_free + buckets_free)
print(
    f"without the redraw: {genres_free + buckets_free:.2%}, "
    f"{share:.0%} of them from the bucket lists"
)

# %% tags=["solution", "remove-cell"]
assert from_buckets == 0 and abs(from_genres - self_theirs) < 0.0006
assert genres_free + buckets_free > 3 * self_theirs

# %% [markdown]
# :::{exercise} several epochs with `tf.data`
# :label: pairs-several-epochs-tf
#
# Training for longer than one pass over the pairs means repeating them, ideally in a new
# order each time. Build a dataset that shuffles the first 10,000 pairs with a seed,
# reshuffles them on every pass, repeats for 3 passes, and batches them by 500. Check that
# each pass contains every pair exactly once.
# :::

# %% [markdown]
# ```{solution} pairs-several-epochs-tf
# :label: pairs-several-epochs-tf-solution
# :class: dropdown
# `shuffle` before `repeat`, with `reshuffle_each_iteration=True` (the default), gives a
# new order on each pass and never mixes two passes. A buffer as large as the data makes
# the shuffle complete. Each pass is 20 batches of 500.
# ```

# %% tags=["solution", "hide-cell"]
small = ours[:10_000]
epochs = (
    tf.data.Dataset.from_tensor_slices(small)
    .shuffle(len(small), seed=SEED, reshuffle_each_iteration=True)
    .repeat(3)
    .batch(500)
)
seen = np.concatenate([batch.numpy() for batch in epochs])
passes = seen.reshape(3, len(small), 2)
key = lambda p: np.sort(p[:, 0] * len(vocab) + p[:, 1])  # noqa: E731
assert all(np.array_equal(key(p), key(small)) for p in passes)
print("passes in a new order:", not np.array_equal(passes[0], passes[1]))

# %% [markdown]
# :::{exercise} collaborations as separate artists
# :label: pairs-collaborations-separate-artists
#
# Build the artists table from `clean(tables, split_collaborations=True)`. How many
# names disappear, how many new artists appear, and how many of the new ones have a
# single review?
# :::

# %% [markdown]
# ```{solution} pairs-collaborations-separate-artists
# :label: pairs-collaborations-separate-artists-solution
# :class: dropdown
# Compare the two indexes both ways. The combined names disappear; their members appear,
# unless they also have reviews of their own. On the sample every new artist has just
# that one review (on the real data nearly all do), so splitting adds rare words to the
# vocabulary rather than strengthening the frequent ones.
# ```

# %% tags=["solution", "hide-cell"]
split_artists = artist_table(split.reviews)
new = split_artists.index.difference(artists.index)
gone = artists.index.difference(split_artists.index)
print(
    f"{len(split_artists):,} artists instead of {len(artists):,}: {len(gone)} names "
    f"gone, {len(new)} new, "
    f"{(split_artists.loc[new, 'n_reviews'] == 1).mean():.0%} of them with one review"
)

# %% [markdown]
# :::{exercise} the last 5% of pairs
# :label: pairs-last-5-pairs
#
# The library's training draws 95% of its pairs from (genre, bucket) groups and the other
# 5% from buckets alone, because an artist without a genre is in no genre group
# (section 6). Train the model with `TrainConfig(joint_share=1.0)`, every other setting
# the default (`train`, a few seconds), next to the default's vectors (`train_or_load`
# reads the ones lesson 5 saved, or trains them the same way). Measure genre
# precision@10 and score error@10 (`bands2vec_lib.similarity`), and split the score
# error between the artists with a genre and those without (`score_error_at_k` averages
# one error per artist; `neighbour_ids` gives each artist's neighbours). What changes,
# and for whom?
# :::

# %% [markdown]
# ```{solution} pairs-last-5-pairs
# :label: pairs-last-5-pairs-solution
# :class: dropdown
# With a joint share of 1.0, none of the pairs includes one of the 1,392 artists without
# a genre (1.48% of the default's pairs do), so their vectors stay where training
# started them: random. Their neighbours' mean score is 1.050 away from their own, more
# than with random vectors (0.985), against 0.333 with the default. The artists with a
# genre hardly notice (score error@10 0.247 and 0.252), and genre precision@10 does not
# move (0.994 and 0.995). So the score error@10 of all artists rises from 0.260 to
# 0.379, nearly all of it from the artists without a genre: the 5% of bucket pairs are
# all that tells their vectors anything.
# ```

# %% tags=["solution", "hide-cell"]
no_genre = (artists["genres"].map(len) == 0).to_numpy()  # by id, like the pairs
mean_scores = artists["mean_score"].to_numpy()


def measures(emb) -> dict:
    """Genre precision@10 and score error@10, the latter split by having a genre."""
    emb = emb.aligned(artists)
    nearest_10 = neighbour_ids(emb.vectors, 10)
    errors = np.abs(mean_scores - mean_scores[nearest_10].mean(axis=1))
    return {
        "genre precision@10": genre_precision_at_k(emb, artists, 10),
        "score error@10": errors.mean(),  # what score_error_at_k(emb, artists) gives
        "with a genre": errors[~no_genre].mean(),
        "no genre": errors[no_genre].mean(),
    }


def reaches_no_genre(joint_share: float) -> float:
    """The share of pairs that include an artist without a genre."""
    pairs = context_pairs(
        groups, N_PAIRS, genre_share=0.0, joint_share=joint_share, seed=SEED
    )
    return float(no_genre[pairs].any(axis=1).mean())


default_emb = train_or_load(artists, TrainConfig(), path="artifacts/bands2vec.npz")
joint_only_emb = train(artists, TrainConfig(joint_share=1.0)).embeddings
joint_table = pd.DataFrame(
    {
        f"joint share {JOINT_SHARE}": measures(default_emb),
        "joint share 1.0": measures(joint_only_emb),
        "random vectors": measures(random_embeddings(artists, seed=SEED)),
    }
).T
reach = {share: reaches_no_genre(share) for share in (JOINT_SHARE, 1.0)}
print(
    f"{no_genre.sum():,} artists without a genre, in {reach[JOINT_SHARE]:.2%} of the "
    f"pairs at joint share {JOINT_SHARE} and {reach[1.0]:.2%} at 1.0"
)
print("score error@10 split between the artists with a genre and those without:")
print(joint_table.round(3).to_string())
at_default, at_one = joint_table.iloc[0], joint_table.iloc[1]
assert reach[1.0] == 0 < reach[JOINT_SHARE]
assert abs(at_one["genre precision@10"] - at_default["genre precision@10"]) < 0.01
assert abs(at_one["with a genre"] - at_default["with a genre"]) < 0.02
assert at_one["no genre"] > 2.5 * at_default["no genre"]
assert at_one["score error@10"] > at_default["score error@10"] + 0.05
assert np.isclose(at_one["score error@10"], score_error_at_k(joint_only_emb, artists))

# %% [markdown]
# ## Summary
#
# - The lessons run on an embedded sample shaped like the Pitchfork data; setting
#   `BANDS2VEC_DATA` switches every cell to the real reviews.
# - Cleaning drops "various artists" compilations, treats a `NULL` genre as no genre,
#   removes duplicates, and can split collaborations into their artists.
# - An artist's contexts are the artists sharing one of its genres or its score bucket;
#   the groups range from a handful of artists to thousands.
# - The article's generator paired artists with themselves (its check compared positions
#   in lists that held an artist once per review), favoured prolific artists and drew
#   small groups as often as large ones. The library's `context_pairs` fixes all three
#   and is several times faster: it draws a membership uniformly, which picks a group in
#   proportion to its size, as a few lines by hand show.
# - The bucket-only pairs are the only ones that reach the artists without a genre:
#   without them, those artists' vectors stay random
#   ({numref}`exercise %s <pairs-last-5-pairs>`).
# - The genre share trades what the pairs teach: genres at 80%, score buckets at 20%.
#   Pairs of artists that share a genre *and* a bucket teach both; the library trains on
#   them by default (`joint_share`).
# - `tf.data` batches the pairs for training, which is the next lesson.
