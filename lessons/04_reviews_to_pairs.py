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
# Lesson 1 gave every artist an id and showed that an {term}`embedding` is a lookup
# table. Lessons 2 and 3 trained {term}`skip-gram` models on small made-up texts, where a
# word's context is the words around it, first with a full softmax, then with negative
# sampling and NCE. Artists have no sentences. So where do their (target, context) pairs
# come from? This lesson answers as the original article did
# {cite}`ferris2018rockbands`, from Pitchfork's reviews, fixes its pair generator, and
# adds the context the course relies on: record labels.
#
# ## Learning objectives
#
# After this lesson you can:
#
# - load the review data: the embedded sample, or the real Kaggle data with one switch;
# - say what each cleaning rule removes and why;
# - build the artist table and its contexts: genres, score buckets, groups and labels;
# - explain why artists that share all their contexts are interchangeable to the model;
# - draw pairs with every membership equally likely, and say what the article's
#   generator got wrong;
# - choose a mix of pairs and batch them with `tf.data`.

# %% [markdown]
# ## Setup
#
# One seed for the whole lesson, so the figures are the same on every run.

# %%
import os

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
    genre_matrix,
    load_tables,
    record_labels,
)
from bands2vec_lib.diagrams import reviews_to_pairs
from bands2vec_lib.pairs import (
    JOINT_SHARE,
    LABEL_GROUP_SHARE,
    LABEL_SHARE,
    ContextGroups,
    article_pairs,
    context_pairs,
    pairs_with_mistakes,
)
from bands2vec_lib.plots import plot_genre_mix, plot_group_sizes
from bands2vec_lib.training import pair_dataset
from bands2vec_lib.vocab import Vocabulary
from bands2vec_lib.widgets import mix_control as mix_control_of

tf = quiet_tensorflow()
SEED = 0
tf.random.set_seed(SEED)
rng = np.random.default_rng(SEED)

# %% [markdown]
# ## The idea in one picture
#
# A review names an artist, its genres, a score and a record label. The steps from there
# to training pairs:

# %% mystnb={"image": {"alt": "From reviews to training pairs, in four steps. 4 reviews, one row each with artist, genres, score and label, become 3 artists with their contexts: genres, mean score rounded to a bucket, and labels. Artists sharing a context form a group (4 groups of two or more), and two members of one group make a (target, context) pair: (coil, elder ones) share genre experimental; (coil, kofi rinaldi) share bucket 8; (elder ones, kofi rinaldi) share label felix lindqvist music."}} tags=["remove-input"]
reviews_to_pairs()

# %% [markdown]
# An artist's {term}`contexts <context>` are what it shares with other artists: a genre,
# a {term}`score bucket` (its mean score rounded to a whole number), a
# {term}`group` (a genre and a bucket together) and a {term}`record label`. All the
# artists that share one context play the part of a sentence: any two of them make a
# training pair, one the {term}`target`, the other its context. The rest of the lesson
# builds each step on the data, then asks how to draw the pairs.

# %% [markdown]
# ## 1. The data
#
# The article used Kaggle's Pitchfork data set: about 18,000 album reviews from 1999 to
# 2017, in a SQLite file `database.sqlite`. Kaggle needs a login, so the course ships an
# **embedded sample** instead: invented artists, labels and reviews, generated from a
# seed, with the shape of the real data (genres, scores, reviews per artist, labels, and
# the same kinds of dirt). Set the environment variable `BANDS2VEC_DATA` to the path of
# `database.sqlite` (or of a folder of the same tables as CSV files) before starting
# Jupyter, and every cell below runs on the real reviews; the book's page on the real
# data says where to get them.

# %%
DATA = os.environ.get("BANDS2VEC_DATA")  # None: the embedded sample
tables = load_tables(DATA, seed=SEED)
for name, table in tables.as_dict().items():
    columns = list(table.columns[:5]) + (["..."] if table.shape[1] > 5 else [])
    print(f"{name:8} {len(table):6,} rows: {', '.join(columns)}")

# %% [markdown]
# Both give the same five tables, joined by `reviewid`: one row per review, or per
# review and genre (SQL `NULL` when Pitchfork gave none), artist, label and year.
#
# ## 2. Cleaning, and why
#
# Raw tables make a bad {term}`vocabulary`. The library's cleaning rules, each with its
# reason:

# %%
for rule, why in CLEANING_RULES.items():
    print(f"{rule}: {why}")

# %% [markdown]
# The worst offender: "various artists" is how Pitchfork credits compilations, records by
# many different people. The article kept it as one artist, by far the most reviewed:

# %%
names = tables.reviews["artist"].str.lower().str.strip()
various = tables.reviews.loc[names == VARIOUS_ARTISTS, "reviewid"]
genres_given = tables.genres.dropna(subset=["genre"])
print(f'"{VARIOUS_ARTISTS}": {len(various)} reviews, '
      f"{various.isin(genres_given['reviewid']).sum()} of them with a genre")
others = names[names != VARIOUS_ARTISTS]
print("reviews of the most reviewed other name:", others.value_counts().iloc[0])

# %% [markdown]
# `clean` applies every rule and counts the rows each one removed. A `NULL` genre is not
# a genre called "NULL" (the article had one): such a review only adds a score. A review
# credited to several artists stays one name, as in the article, unless
# `split_collaborations=True` ({numref}`exercise %s <pairs-collaborations>`).

# %%
cleaned = clean(tables)
pd.Series(cleaned.removed).to_frame("rows removed").T

# %% [markdown]
# ## 3. The artist table
#
# The model needs one row per artist: its genres (over all its reviews), its number of
# reviews, its mean score, its score bucket, and its record labels. `artist_table` puts
# the most reviewed artists first, and that order gives the vocabulary its ids.

# %%
artists = artist_table(cleaned.reviews)
vocab = Vocabulary.from_artists(artists)  # id = row of the table
view = artists.assign(
    genres=artists["genres"].map(lambda g: ", ".join(sorted(g))),
    labels=artists["labels"].map(len),
)
print(view[["genres", "n_reviews", "mean_score", "score_bucket", "labels"]]
      .head(5).round(2).to_string())
one = (artists["n_reviews"] == 1).mean()
print(f"\n{len(artists):,} artists, {one:.0%} of them with a single review; "
      f"{(artists['genres'].map(len) == 0).sum():,} without a genre")

# %% tags=["remove-cell"]
assert VARIOUS_ARTISTS not in artists.index
assert artists["n_reviews"].is_monotonic_decreasing
assert vocab.names == tuple(artists.index)  # id = row number
assert (artists["score_bucket"] == np.rint(artists["mean_score"])).all()
assert 0.5 < one < 0.8

# %% [markdown]
# The last column counts labels. "Self-released" is not one: two artists who put out
# their own records share nothing, so `record_labels` leaves it out.
#
# ## 4. Contexts: genre, bucket, group, label
#
# `ContextGroups` collects, as vocabulary ids, the artists of every context: each genre
# (`genres`), each score bucket (`scores`), each group (`joint`, keyed by genre and
# bucket; artists without a genre form groups of their own by bucket, under the genre
# "(no genre)"), each label (`labels`), and each label within a group (`label_groups`). A
# context needs two artists to make a pair, so smaller ones are left out.

# %%
groups = ContextGroups.from_artists(artists, vocab)
kinds = ["genres", "scores", "joint", "labels", "label_groups"]
for kind in kinds:
    index = getattr(groups, kind)
    print(f"{kind:12} {len(index.keys):5,} of them, "
          f"{index.sizes.min()} to {index.sizes.max():,} artists each")

# %% [markdown]
# The sizes differ enormously: rock holds thousands of artists, the smallest score
# buckets a handful. The genres and buckets:

# %% mystnb={"image": {"alt": "Two bar charts of group sizes in artists. Genres: rock 3,946, twice electronic (1,858), down to global 129. Score buckets: 6 to 8 hold most (7: 3,383; 8: 2,704; 6: 1,574); buckets 0, 1 and 10 hold only 6, 8 and 23."}} tags=["hide-input"]
sizes = groups.sizes()
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
plot_group_sizes(sizes, "genre", ax=axes[0])
plot_group_sizes(sizes, "score", ax=axes[1])
fig.tight_layout()
plt.show()

# %% tags=["remove-cell"]
SAMPLE = DATA is None  # the numbers the text gives are the sample's
assert (sizes["size"] >= 2).all()
size_of = dict(zip(sizes["group"], sizes["size"], strict=True))
if SAMPLE:
    assert [size_of[g] for g in ("rock", "electronic", "global")] == [3946, 1858, 129]
    assert [size_of[b] for b in (7, 8, 6, 0, 1, 10)] == [3383, 2704, 1574, 6, 8, 23]

# %% [markdown]
# ### An embedding only knows what its contexts tell apart
#
# The skip-gram model sees an artist only through its pairs. Two artists in exactly the
# same contexts are drawn as often as each other, with the same partners, so nothing in
# training tells them apart: to the model they are interchangeable. How many artists have
# such a twin? List every artist's contexts and count the lists that occur twice or more:


# %%
def share_with_a_twin(kinds: list[str]) -> float:
    """The share of artists whose contexts of these kinds are another's."""
    contexts = [[] for _ in range(len(vocab))]
    for kind in kinds:
        index = getattr(groups, kind)
        spans = zip(index.keys, index.starts, index.sizes, strict=True)
        for key, start, size in spans:
            for artist in index.members[start : start + size]:
                contexts[artist].append((kind, key))
    return pd.Series(map(tuple, contexts)).duplicated(keep=False).mean()


without_labels = share_with_a_twin(["genres", "scores", "joint"])
with_labels = share_with_a_twin(kinds)
print(f"artists with a twin: {without_labels:.1%} with genres and buckets, "
      f"{with_labels:.1%} with labels too")

# %% tags=["remove-cell"]
assert without_labels > 0.97 and 0.3 < with_labels < 0.5
if SAMPLE:
    assert (round(without_labels, 3), round(with_labels, 3)) == (0.986, 0.390)

# %% [markdown]
# With genres and buckets alone, almost every artist has a twin: all the artists of one
# (genre, bucket) group and no other genre are one blur to the model. With labels,
# 39.0% still have one: artists with no label-mate, and, for example, {term}`label-mates`
# in one group whose other labels are theirs alone
# ({numref}`exercise %s <pairs-who-is-left>`). Lesson 5 trains the model and shows what
# the blur does to an artist's neighbours.

# %% [markdown]
# ## 5. Drawing pairs
#
# Pick a kind of context, then a pair of artists that share one. Which one? The fair
# choice: every *membership* (a context and one of its artists) equally likely. Draw one
# uniformly among the $M = \sum_g s_g$ memberships of that kind ($s_g$ is the number of
# artists of context $g$), take its artist $i$ as the target, then one of the other
# $s_g - 1$ members, $j$, as the context:
#
# $$P(i, j) = \frac{1}{M} \sum_{g \ni i, j} \frac{1}{s_g - 1}.$$
#
# A context is then drawn in proportion to its size, and artist $i$ is a target $m_i / M$
# of the time, where $m_i$ counts its contexts of that kind, whatever their sizes. By
# hand, in a few lines of Python:


# %%
def membership_pairs(contexts: dict, n: int, rng: np.random.Generator):
    """n (target, context) pairs: a uniform membership, then another member."""
    memberships = [(g, i) for g in contexts for i in range(len(contexts[g]))]
    pairs = []
    for k in rng.integers(len(memberships), size=n):
        g, i = memberships[k]
        members = contexts[g]
        j = rng.integers(len(members) - 1)  # one of the others: skip position i
        pairs.append((members[i], members[j + (j >= i)]))
    return np.array(pairs)


index = groups.genres
members = np.split(index.members, index.starts[1:])  # one array per genre
by_genre = dict(zip(index.keys, members, strict=True))
by_hand = membership_pairs(by_genre, 100_000, rng)
by_library = context_pairs(groups, 100_000, genre_share=1.0, seed=SEED)

# %% [markdown]
# `context_pairs` is the library's version, with NumPy drawing all the pairs at once and
# then shuffling them. From the same seed, it draws the very same pairs:

# %%
as_keys = lambda p: np.sort(p[:, 0] * len(vocab) + p[:, 1])  # noqa: E731
print("the same pairs in another order:",
      np.array_equal(as_keys(by_hand), as_keys(by_library)))

# %% [markdown]
# The formula says an artist filed under two genres is a target twice as often as one
# filed under one, under three genres three times. Count it:

# %%
n_genres = artists["genres"].map(len).to_numpy()  # by id
memberships = groups.genres.sizes.sum()
as_target = pd.Series(np.bincount(by_library[:, 0], minlength=len(vocab)))
times = pd.DataFrame({
    "predicted": 100_000 * np.arange(1, 4) / memberships,
    "as target": as_target.groupby(n_genres).mean().loc[1:3].to_numpy(),
}, index=pd.Index([1, 2, 3], name="genres of the artist"))
times.round(1)

# %% tags=["remove-cell"]
assert np.array_equal(as_keys(by_hand), as_keys(by_library))
assert np.allclose(times["as target"], times["predicted"], rtol=0.02)
assert (by_library[:, 0] != by_library[:, 1]).all()

# %% [markdown]
# ### What the article's generator got wrong
#
# The article picked a genre (80% of the time) or a score bucket, then two positions in
# its list of artists, drawing the second again while it equalled the first. Three
# mistakes hid in those few lines (`article_pairs` runs them as written):
#
# 1. **One entry per review, not per artist.** The genre lists were filled from every
#    (review, genre) row; the check meant to add each artist once compared a name with a
#    list of ids, and never matched. An artist with 20 rock reviews sat in the rock list
#    20 times, so prolific artists got far more than their share of pairs. The fix: one
#    entry per artist (`artist_table`).
# 2. **Self pairs.** The redraw compared *positions*, not artists, so two entries of one
#    artist still paired it with itself, a pair that teaches nothing. The fix: lists
#    without repeats, and the context drawn among the *other* members.
# 3. **Genres and buckets chosen uniformly.** A bucket of 6 artists was drawn as often
#    as one of 3,383, so its few artists were drawn over and over (a bucket of one artist
#    would have made the redraw loop forever). The fix: draw a membership, as above.
#
# Measure them on 200,000 pairs of the article's 80/20 mix, drawn by the article's loop,
# by the library with the per-review lists put back (`pairs_with_mistakes`), and by the
# library:

# %%
N_PAIRS = 200_000
prolific = vocab.counts >= 10  # ten reviews or more; counts are reviews, by id
buckets = groups.sizes().query("kind == 'score'")
smallest = buckets.nsmallest(4, "size")["group"]  # the four smallest score buckets
in_smallest = artists["score_bucket"].isin(smallest).to_numpy()
drawn = {
    "article": article_pairs(cleaned.reviews, vocab, N_PAIRS, seed=SEED),
    "per-review lists": pairs_with_mistakes(
        cleaned.reviews, vocab, N_PAIRS, uniform_groups=False, seed=SEED),
    "library": context_pairs(groups, N_PAIRS, seed=SEED),
}


def measure(p: np.ndarray) -> dict:
    return {
        "self pairs": (p[:, 0] == p[:, 1]).mean(),
        "slots of prolific artists": prolific[p].mean(),
        "pairs in the 4 smallest buckets": in_smallest[p].all(axis=1).mean(),
    }


mistakes = pd.DataFrame({name: measure(p) for name, p in drawn.items()})
print(f"{prolific.mean():.1%} of artists have ten reviews or more;\n"
      f"the 4 smallest buckets hold {in_smallest.mean():.2%} of the artists")
mistakes.map("{:.2%}".format)

# %% tags=["remove-cell"]
self_share = mistakes.loc["self pairs"]
if SAMPLE:  # the text's 0.24% and 0.11%; on the real data, 0.21% and 0.08%
    assert round(self_share["article"], 4) == 0.0024
    assert round(self_share["per-review lists"], 4) == 0.0011
assert self_share["library"] == 0
slots = mistakes.loc["slots of prolific artists"]
assert slots["article"] > 3 * slots["library"]
assert slots["per-review lists"] > 2 * slots["library"]
rare = mistakes.loc["pairs in the 4 smallest buckets"]
assert rare["article"] > 10 * rare["library"]
assert rare["per-review lists"] < 2 * rare["library"]
if SAMPLE:
    assert round(prolific.mean(), 3) == 0.013 and round(slots["article"], 3) == 0.066
    assert round(slots["library"], 3) == 0.015 and round(rare["article"], 3) == 0.073
    assert round(rare["library"], 4) == 0.002

# %% [markdown]
# The article's loop paired an artist with itself in 0.24% of its pairs. The per-review
# lists alone give 0.11%, and lists of one entry per artist none: drawing genres
# uniformly more than doubles the share, because it favours the small genre lists, where
# one artist's many reviews weigh most. The 1.3% of artists with ten reviews or more
# fill 6.6% of the article's pair slots (target or context) and 1.5% of the library's.
# The four smallest buckets hold 7.3% of the article's pairs and 0.20% of the
# library's.
#
# **Going deeper:** [The article's pair generator, measured](deeper/pair_generator.ipynb)
# measures each mistake in depth and predicts the self pairs, times the article's
# per-pair Python loop against the library's vectorised draw, and derives what the pairs
# of each mix have in common.

# %% [markdown]
# ## 6. The mix of pairs
#
# The article drew 80% of its pairs from a shared genre and 20% from a shared score
# bucket (`TrainConfig.article()`). The course draws them from the contexts that tell
# artists apart: 45% from a shared group (`JOINT_SHARE`), 45% from a shared label within
# a group (`LABEL_GROUP_SHARE`) and 10% from a shared label alone (`LABEL_SHARE`). What do
# the two artists of a pair then have in common?

# %%
genre_of = genre_matrix(artists)  # one row per id, one column per genre
no_genre = ~genre_of.any(axis=1)
bucket_of = artists["score_bucket"].to_numpy()
labels_of = record_labels(artists).to_numpy()


def what_pairs_share(pairs: np.ndarray) -> dict:
    """The shares of pairs sharing a genre, a bucket, a group, a label."""
    t, c = pairs[:, 0], pairs[:, 1]
    genre = (genre_of[t] & genre_of[c]).any(axis=1)
    bucket = bucket_of[t] == bucket_of[c]
    group = bucket & (genre | (no_genre[t] & no_genre[c]))
    label = [bool(labels_of[i] & labels_of[j]) for i, j in pairs]
    return {
        "genre": genre.mean(),
        "bucket": bucket.mean(),
        "group": group.mean(),
        "label": np.mean(label),
    }


course_mix = {
    "genre_share": 0.0,
    "joint_share": JOINT_SHARE,
    "label_group_share": LABEL_GROUP_SHARE,
    "label_share": LABEL_SHARE,
}
shared = pd.DataFrame({
    "article's mix": what_pairs_share(drawn["library"][:20_000]),
    "course's mix": what_pairs_share(
        context_pairs(groups, 20_000, **course_mix, seed=SEED)),
}).T
shared.round(2)

# %% tags=["remove-cell"]
art, ours = shared.iloc[0], shared.iloc[1]
assert art["genre"] > 0.8 and art["bucket"] < 0.5 and art["group"] < 0.35
assert art["label"] < 0.02
assert ours["group"] > 0.9 and ours["bucket"] > 0.9 and 0.5 < ours["label"] < 0.6
if SAMPLE:
    assert [round(art[k], 2) for k in ("genre", "bucket", "label")] == [.85, .43, .01]
    assert [round(ours[k], 2) for k in ("group", "label")] == [0.92, 0.56]

# %% [markdown]
# With the article's mix, 85% of the pairs share a genre, 43% a bucket and 1% a label:
# the model hears little about scores and next to nothing about labels. With the
# course's mix, 92% share a group, a genre (or the lack of one) and a bucket at once, and
# 56% a label. The library's training also hides 10% of the label memberships before
# drawing (`TrainConfig.hold_out`), so that lesson 7 can ask the trained vectors for
# label-mates they were never shown: a {term}`held-out evaluation`.
#
# ### Try it: the course's mix
#
# The sliders set the share of pairs that share a label within a group, and a label
# alone; the rest share a group. Each setting shows what 20,000 pairs then have in common,
# and how many artists are left with a *twin*: an artist whose contexts are all another's
# too, so that the model cannot tell the two apart.

# %%
mix_control = mix_control_of(artists, seed=SEED)
display(mix_control)

# %% tags=["remove-cell"]
at_course = mix_control.callback(label_group_share=0.45, label_share=0.1)
assert at_course["group"] > 0.9 and 0.5 < at_course["label"] < 0.6
no_labels = mix_control.compute(label_group_share=0.0, label_share=0.0)
assert no_labels["twins"] > 0.95 > 0.5 > at_course["twins"]

# %% [markdown]
# For the article's pairs, the figure draws what they have in common as the share of
# genre pairs goes from 0 to 1 (the rest share a bucket), the dashed line at the
# article's 0.8:

# %% mystnb={"image": {"alt": "Share of pairs whose artists share a genre (rising from 0.27 to 1) and a score bucket (falling from 1 to 0.29) against the genre share, 0 to 1: neither reaches 0, they cross near 0.5; at the article's 0.8 (dashed), 0.85 share a genre and 0.43 a bucket."}} tags=["hide-input"]
grid = np.round(np.linspace(0, 1, 11), 1)
mix = pd.DataFrame([
    {"genre_share": g, **{f"same_{k}": v for k, v in what_pairs_share(
        context_pairs(groups, 20_000, genre_share=g, seed=SEED)).items()}}
    for g in grid
]).set_index("genre_share")
fig, ax = plt.subplots(figsize=(6.5, 3.5))
plot_genre_mix(mix[["same_genre", "same_bucket"]], chosen=0.8, ax=ax)
ax.set_ylabel("share of pairs")
ax.set_title("What the article's pairs have in common, by genre share")
plt.show()

# %% tags=["remove-cell"]
assert mix["same_genre"].is_monotonic_increasing
assert mix["same_bucket"].is_monotonic_decreasing
assert mix.loc[1.0, "same_genre"] == 1.0 and mix.loc[0.0, "same_bucket"] == 1.0
if SAMPLE:
    assert round(mix.loc[0.0, "same_genre"], 2) == 0.27
    assert round(mix.loc[1.0, "same_bucket"], 2) == 0.29
    assert round(mix.loc[0.8, "same_genre"], 2) == 0.85
    assert round(mix.loc[0.8, "same_bucket"], 2) == 0.43
gap = mix["same_genre"] - mix["same_bucket"]
assert gap.loc[0.4] < 0 < gap.loc[0.6]

# %% [markdown]
# More genre pairs, more pairs that share a genre and fewer that share a bucket; neither
# share falls to 0, because rock is everywhere and most artists score 6 to 8.
#
# ## 7. Batching with `tf.data`
#
# The model trains on a {term}`batch` of pairs at a time. `pair_dataset` wraps an array
# of pairs in a {term}`tf.data` dataset of (targets, contexts) batches, in order (the
# pairs come shuffled), dropping an incomplete last batch.

# %%
BATCH = 1024
pairs = drawn["library"]
dataset = pair_dataset(pairs, BATCH)
targets_batch, contexts_batch = next(iter(dataset))
for spec in dataset.element_spec:
    print(spec)
print(f"{int(dataset.cardinality())} batches = {N_PAIRS:,} // {BATCH}")
print([(vocab.name(t), vocab.name(c)) for t, c in pairs[:2]])

# %% tags=["remove-cell"]
assert targets_batch.shape == contexts_batch.shape == (BATCH,)
assert int(dataset.cardinality()) == N_PAIRS // BATCH
assert np.array_equal(np.stack([targets_batch, contexts_batch], axis=1), pairs[:BATCH])

# %% [markdown]
# ## Exercises
#
# :::{exercise} who labels leave interchangeable
# :label: pairs-who-is-left
#
# With labels, some artists still share all their contexts with another (section 4).
# Split them into those with no label-mate at all and those with one, and for the second
# kind print a pair of twins with their genres, bucket and labels. What would tell them
# apart?
# :::

# %% [markdown]
# ```{solution} pairs-who-is-left
# :label: pairs-who-is-left-solution
# :class: dropdown
# Keep each artist's list of contexts, as `share_with_a_twin` builds it, and look at the
# lists that repeat. About a third of the artists left interchangeable have no
# label-mate: their only contexts are one group's. The others are label-mates with the
# same genres, the same bucket and the same shared labels; any other label of theirs
# has no other artist (the printed numbers count each label's artists), so it makes no
# pair. A label shared with some other artist, or another genre, would tell them
# apart.
# ```


# %% tags=["solution", "hide-cell"]
def context_lists(kinds: list[str]) -> pd.Series:
    """Each artist's contexts of these kinds, as a tuple, by id."""
    contexts = [[] for _ in range(len(vocab))]
    for kind in kinds:
        index = getattr(groups, kind)
        for key, start, size in zip(index.keys, index.starts, index.sizes, strict=True):
            for artist in index.members[start : start + size]:
                contexts[artist].append((kind, key))
    return pd.Series(map(tuple, contexts))


lists = context_lists(kinds)
twins = lists.duplicated(keep=False)
has_mate = lists.map(lambda cs: any(kind == "labels" for kind, _ in cs))
print(f"{twins.mean():.1%} of artists have a twin: {(twins & ~has_mate).mean():.1%} "
      f"with no label-mate, {(twins & has_mate).mean():.1%} with one")
example = lists[twins & has_mate].iloc[0]
pair = lists.index[lists == example][:2]
artists_of = groups.labels.keys, groups.labels.sizes  # labels of two or more artists
size_of_label = dict(zip(*artists_of, strict=True))
for i in pair:
    print(f"{vocab.name(i)}: {view['genres'].iloc[i]}, bucket {bucket_of[i]}; labels:")
    for label in sorted(labels_of[i]):
        print(f"    {label} ({size_of_label.get(label, 1)} artists)")

# %% tags=["solution", "remove-cell"]
assert np.isclose(twins.mean(), with_labels)
assert 0.25 < (twins & ~has_mate).mean() / twins.mean() < 0.4
assert len(pair) == 2 and labels_of[pair[0]] & labels_of[pair[1]]

# %% [markdown]
# :::{exercise} several epochs with `tf.data`
# :label: pairs-several-epochs
#
# Training for longer than one pass over the pairs means repeating them, ideally in a new
# order each time. Build a dataset that shuffles the first 10,000 pairs with a seed,
# reshuffles them on every pass, repeats for 3 passes, and batches them by 500. Check that
# each pass contains every pair exactly once.
# :::

# %% [markdown]
# ```{solution} pairs-several-epochs
# :label: pairs-several-epochs-solution
# :class: dropdown
# `shuffle` before `repeat`, with `reshuffle_each_iteration=True` (the default), gives a
# new order on each pass and never mixes two passes. A buffer as large as the data makes
# the shuffle complete. Each pass is 20 batches of 500.
# ```

# %% tags=["solution", "hide-cell"]
small = pairs[:10_000]
epochs = (
    tf.data.Dataset.from_tensor_slices(small)
    .shuffle(len(small), seed=SEED, reshuffle_each_iteration=True)
    .repeat(3)
    .batch(500)
)
seen = np.concatenate([batch.numpy() for batch in epochs])
passes = seen.reshape(3, len(small), 2)
key = lambda p: np.sort(p[:, 0] * len(vocab) + p[:, 1])  # noqa: E731
print("every pass holds every pair once:",
      all(np.array_equal(key(p), key(small)) for p in passes))
print("passes in a new order:", not np.array_equal(passes[0], passes[1]))

# %% tags=["solution", "remove-cell"]
assert all(np.array_equal(key(p), key(small)) for p in passes)

# %% [markdown]
# :::{exercise} collaborations as separate artists
# :label: pairs-collaborations
#
# Build the artist table from `clean(tables, split_collaborations=True)`. How many
# names disappear, how many new artists appear, and how many of the new ones have a
# single review?
# :::

# %% [markdown]
# ```{solution} pairs-collaborations
# :label: pairs-collaborations-solution
# :class: dropdown
# Compare the two indexes both ways. The combined names disappear; their members appear,
# unless they also have reviews of their own. On the sample every new artist has just
# that one review (on the real data nearly all do), so splitting adds rare words to the
# vocabulary rather than strengthening the frequent ones.
# ```

# %% tags=["solution", "hide-cell"]
split_artists = artist_table(clean(tables, split_collaborations=True).reviews)
new = split_artists.index.difference(artists.index)
gone = artists.index.difference(split_artists.index)
single = (split_artists.loc[new, "n_reviews"] == 1).mean()
print(f"{len(split_artists):,} artists instead of {len(artists):,}: {len(gone)} names "
      f"gone, {len(new)} new, {single:.0%} of them with one review")

# %% tags=["solution", "remove-cell"]
assert len(new) > 0 and len(gone) > 0 and (DATA is not None or single == 1.0)

# %% [markdown]
# ## Summary
#
# - The lessons run on an embedded sample shaped like the Pitchfork data;
#   `BANDS2VEC_DATA` switches every cell to the real reviews.
# - Cleaning drops "various artists" compilations, treats a `NULL` genre as no genre and
#   removes duplicates.
# - An artist's contexts are its genres, its score bucket, its groups (a genre and a
#   bucket) and its record labels. An embedding only knows what they tell apart: with
#   genres and buckets alone, nearly every artist has a twin; with labels, 39% do.
# - Drawing a membership uniformly makes every artist a target as often as it has
#   contexts. The article's generator listed artists once per review, paired artists
#   with themselves and drew genres and buckets uniformly.
# - The course's mix (45% group, 45% label within a group, 10% label) gives pairs that
#   mostly share a group and often a label; `tf.data` batches them for lesson 5.
