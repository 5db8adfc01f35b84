# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
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
# # Going deeper: What each of the article's mistakes cost
#
# The article this course starts from {cite}`ferris2018rockbands` made five mistakes,
# and lessons 3 to 5 fixed them one at a time. This page is the audit, for a reader who
# wants to know what each one cost: it puts the mistakes back, one at a time, into a
# pipeline that is otherwise correct, trains, and measures the vectors. It then finds
# out which part of the article's training recipe holds it back, and looks at the one
# mistake the measures cannot see.
#
# ## Learning objectives
#
# - name the article's five mistakes and where the course explains each;
# - measure what each one cost, one at a time, against a pipeline that differs only by
#   it, with three {term}`seeds <seed>` to see what a seed alone changes;
# - find out which part of a training recipe holds it back, by changing one thing at a
#   time;
# - tell a cost from what a measure cannot see.

# %% [markdown]
# ## Setup
#
# The page runs on the embedded sample, like the lessons; `BANDS2VEC_DATA` switches it
# to the real data (the table read below is the sample's).

# %%
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from bands2vec_lib.data import (
    NULL_GENRE,
    SKIPPABLE_RULES,
    artist_table,
    clean,
    load_tables,
    resolve_source,
)
from bands2vec_lib.pairs import pairs_with_mistakes
from bands2vec_lib.similarity import nearest, neighbour_ids, neighbour_scores
from bands2vec_lib.training import TrainConfig, train_on_pairs, train_or_load
from bands2vec_lib.vocab import Vocabulary

SEED = 0
tables = load_tables()  # the sample, or the real data if BANDS2VEC_DATA names it
ON_SAMPLE = resolve_source() is None  # the table below was made for the sample
reviews = clean(tables).reviews
artists = artist_table(reviews)
vocab = Vocabulary.from_artists(artists)  # ids in the artist table's order
N_PAIRS = TrainConfig().steps * TrainConfig().batch_size
print(f"{len(artists):,} artists; {N_PAIRS:,} training pairs per run")

# %% [markdown]
# ## The five mistakes
#
# Start from the library's pipeline, trained on the article's mix of pairs (80% share a
# genre, 20% a {term}`score bucket <score bucket>`: `TrainConfig.article()`), so that
# only the mistakes differ. Call it the **corrected** pipeline, and put the article's
# mistakes back, one at a time:
#
# - **(a) per-review lists.** A genre's list held one entry per *review*, so prolific
#   artists were drawn more often, and two entries of one artist paired it with itself.
#   [Lesson 4](../04_reviews_to_pairs.ipynb) ("What the article's generator got wrong")
#   explains it; [The article's pair generator, measured](pair_generator.ipynb)
#   (sections 1 and 2) measures it and predicts the self pairs.
# - **(b) uniform groups.** A genre or a bucket was chosen uniformly, so a bucket of a
#   handful of artists came up as often as one of thousands. Lesson 4, the same section;
#   [the pair generator page](pair_generator.ipynb), section 3.
# - **(c) log-uniform noise.** `tf.nn.nce_loss` draws its noise ids from the
#   {term}`log-uniform sampler`, a Zipf law that assumes ids sorted by frequency, but the
#   article's ids came in the order of its SQL join, the order in which artists first
#   appear in the reviews (`Vocabulary.first_seen`).
#   [Lesson 3](../03_negative_sampling.ipynb) ("The sorted-vocabulary trap") and
#   [The log-uniform trap, in depth](log_uniform_trap.ipynb).
# - **(d) "various artists" and NULL.** The compilations stayed one artist, and NULL
#   was a genre (`clean(tables, skip=SKIPPABLE_RULES)`). Lesson 4, "Cleaning, and why".
# - **(e) the TF1 recipe.** Plain gradient descent (SGD) at a constant
#   {term}`learning rate` of 1 with {term}`batches <batch>` of 64, as the article's
#   TensorFlow 1 graph ran it, embeddings that start uniform in $(-1, 1)$, and one draw
#   of 16 noise ids per batch. (The output weights start at zero in every row, where the
#   article drew them from a truncated normal.) [Lesson 5](../05_tensorflow_graph.ipynb)
#   ("What the article wrote") and
#   [TensorFlow 1 and 2 give the same numbers](tf1_tf2_parity.ipynb).
#
# Every run trains on 2,048,000 pairs (500 steps of 4,096; for the TF1 recipe 32,000
# steps of 64), except one row that runs the article's own 100,000 steps of 64. Every
# row has three seeds, since some differences are about as large as what a seed changes.
# Every run is measured on the clean artist table, with {term}`genre precision@k` and
# {term}`score error@k` at $k = 10$: the vector a run learns for "various artists" is
# not measured, and "null" is no genre when precision is counted. The library's default
# pairs and random vectors are there for reference. (Both measures ask the vectors to
# give back what their pairs were made of;
# [What the vectors know](what_vectors_know.ipynb) says what that can and cannot show.
# Here they compare pipelines trained on the same kind of pairs.)

# %% [markdown]
# ## What each mistake cost
#
# `tools/mistakes_cost.py` in the repository trained the 33 runs, several minutes on two
# cores, so the page reads the table it wrote for the embedded sample and trains some of
# its runs again further down to check it.

# %%
mistakes_cost = pd.read_csv("../data/mistakes_cost.csv")
print(
    f"{mistakes_cost['seed'].nunique()} seeds per row: "
    "the mean over the seeds (smallest to largest)"
)
if not ON_SAMPLE:
    print("This table is the sample's; for your data run tools/mistakes_cost.py")


def mean_and_range(values: pd.Series) -> str:
    return f"{values.mean():.3f} ({values.min():.3f} to {values.max():.3f})"


cost = mistakes_cost.groupby("row", sort=False).agg(
    **{
        "genre precision@10": ("genre_precision", mean_and_range),
        "score error@10": ("score_error", mean_and_range),
    }
)
cost

# %% [markdown]
# The same table as bars, against the corrected pipeline (the dashed lines):

# %% mystnb={"image": {"alt": "Two bar charts, genre precision@10 and score error@10 for each run (whiskers: 3 seeds; dashed: the corrected pipeline). On genres the TF1 recipe (0.371) and all five mistakes (0.455) sit near random vectors (0.325), every other row near the corrected 0.995. On scores uniform groups (0.650) and all but the TF1 recipe (0.694) are below the corrected 0.894, the library default far below (0.263)."}} tags=["hide-input"]
spread = mistakes_cost.groupby("row", sort=False)[
    ["genre_precision", "score_error"]
].agg(["mean", "min", "max"])
means = spread.xs("mean", axis=1, level=1)
kinds = {"corrected": "tab:green", "library default": "tab:blue"}
kinds["random vectors"] = "0.6"
colours = [
    kinds.get(row, "tab:red" if row.startswith("all") else "tab:orange")
    for row in spread.index
]
y = np.arange(len(spread))[::-1]  # the first row at the top
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True, layout="constrained")
titles = {
    "genre_precision": "genre precision@10 (higher is better)",
    "score_error": "score error@10 (lower is better)",
}
for ax, (measure, title) in zip(axes, titles.items(), strict=True):
    m = spread[measure]
    low, high = m["mean"] - m["min"], m["max"] - m["mean"]
    ax.barh(y, m["mean"], xerr=[low, high], color=colours, capsize=3)
    ax.axvline(m.loc["corrected", "mean"], color="black", linestyle="--", linewidth=0.8)
    ax.set_title(title)
axes[0].set_yticks(y, spread.index)
fig.suptitle(
    "One mistake at a time (dashed: the corrected pipeline; whiskers: 3 seeds)"
)
plt.show()

# %% tags=["remove-cell"]
fixed, all_five = means.loc["corrected"], means.loc["all five (the article's)"]
assert all_five["genre_precision"] < fixed["genre_precision"]
assert all_five["score_error"] > fixed["score_error"]
chance = means.loc["random vectors", "genre_precision"]
assert means.loc["TF1 recipe", "genre_precision"] < chance + 0.1
assert means.loc["uniform groups", "score_error"] < fixed["score_error"] - 0.1
null_row = means.loc["various artists and NULL"]
assert null_row["genre_precision"] >= fixed["genre_precision"]
if ON_SAMPLE:  # the numbers the text quotes, as the table prints them
    quoted = {
        "corrected": ("0.995 (0.995 to 0.996)", "0.894 (0.876 to 0.904)"),
        "per-review lists": ("0.980 (0.979 to 0.984)", "0.888 (0.865 to 0.909)"),
        "uniform groups": ("0.930 (0.927 to 0.935)", "0.650 (0.642 to 0.656)"),
        "log-uniform noise": ("0.979 (0.974 to 0.990)", "0.917 (0.912 to 0.921)"),
        "various artists and NULL": (
            "1.000 (1.000 to 1.000)",
            "0.903 (0.898 to 0.908)",
        ),
        "TF1 recipe": ("0.371 (0.367 to 0.375)", "0.965 (0.962 to 0.968)"),
        "all but the TF1 recipe": ("0.958 (0.952 to 0.962)", "0.694 (0.685 to 0.705)"),
        "all five (the article's)": (
            "0.455 (0.453 to 0.458)",
            "0.916 (0.911 to 0.919)",
        ),
        "all five, the article's 100,000 steps": (
            "0.747 (0.746 to 0.748)",
            "0.771 (0.770 to 0.771)",
        ),
        "library default": ("0.991 (0.990 to 0.991)", "0.263 (0.261 to 0.265)"),
        "random vectors": ("0.325 (0.324 to 0.326)", "0.962 (0.958 to 0.971)"),
    }
    for row, expected in quoted.items():
        assert tuple(cost.loc[row]) == expected, (row, tuple(cost.loc[row]))

# %% [markdown]
# Against the corrected row (the dashed lines):
#
# **The article's pipeline learns little from this many pairs.** With all five mistakes,
# genre precision@10 is 0.455 and score error@10 0.916, where random vectors score 0.325
# and 0.962. The TF1 recipe is what holds it back: on the corrected pairs it does worse
# still (0.371 and 0.965), so the mistakes in the data help this optimizer (0.371 to
# 0.455, 0.965 to 0.916); the table does not say which of them. A section below finds
# out what in the recipe holds it back.
#
# The article itself ran 100,000 steps of 64, three times as many pairs. The row
# "all five, the article's 100,000 steps" does the same: genre precision 0.747 and score
# error 0.771. Three times the pairs lift the genres a long way, and still leave them
# far below the corrected pipeline's 0.995 on a third of the pairs. Its score error is
# below the corrected pipeline's 0.894, as in the other rows with uniform groups that
# learned something; (b) below says why.
#
# **The four mistakes in the data cost less, and pull the two measures apart.**
# Together, with the library's trainer (the row "all but the TF1 recipe"), they give a
# genre precision of 0.958 and a score error of 0.694: worse on genres than the
# corrected pipeline's 0.995, and *better* on scores than its 0.894. One at a time:
#
# - **(a) per-review lists** cost genre precision: 0.980 (0.979 to 0.984 over the
#   seeds), where the corrected pipeline's seeds give 0.995 to 0.996. The score error
#   hardly moves: 0.888 against 0.894, inside the corrected pipeline's own spread over
#   its seeds (0.876 to 0.904).
# - **(b) uniform groups** cost more genre precision (0.930) but bring the score error
#   down to 0.650, the largest change any one mistake makes here, and for the better.
#   The pairs below show why.
# - **(c) log-uniform noise over unsorted ids** costs a little on both (0.979 and
#   0.917). Most of its noise falls on the artists with the first few hundred ids,
#   whoever those are (lesson 3), so every pair is contrasted with much the same few
#   artists.
# - **(d) "various artists" and NULL** *raise* genre precision to 1.000 and leave the
#   score error about where it was (0.903, from 0.898 to 0.908 over the seeds: the two
#   ranges overlap). The measures do not see what this mistake costs; the last section
#   trains this row to look.

# %% [markdown]
# ## What the generator's two mistakes do to the pairs
#
# What per-review lists and uniform groups do to the pairs, on as many pairs as a
# training run draws:

# %%
bucket = artists["score_bucket"].to_numpy()  # artists are in vocabulary order
rare = (bucket <= 4) | (bucket >= 9)


def pair_profile(pairs: np.ndarray) -> dict:
    """Whom the pairs train: self pairs, the most reviewed 1%, the rare buckets."""
    targets = np.bincount(pairs[:, 0], minlength=len(vocab))
    same = bucket[pairs[:, 0]] == bucket[pairs[:, 1]]
    in_bucket = np.bincount(pairs[same, 0], minlength=len(vocab))
    return {
        "% self pairs": 100 * np.mean(pairs[:, 0] == pairs[:, 1]),
        "% to the top 1%": 100 * targets[: len(vocab) // 100].sum() / len(pairs),
        "median pairs": np.median(targets),
        "% rare: own bucket": 100 * in_bucket[rare].sum() / targets[rare].sum(),
    }


generators = {
    "corrected": (False, False),
    "per-review lists": (True, False),
    "uniform groups": (False, True),
    "both (the article's)": (True, True),
}
drawn = {
    name: pairs_with_mistakes(
        reviews, vocab, N_PAIRS, per_review_lists=a, uniform_groups=b, seed=SEED
    )
    for name, (a, b) in generators.items()
}
corrected_pairs = drawn["corrected"]  # the article's mix, without the mistakes
profiles = pd.DataFrame({name: pair_profile(p) for name, p in drawn.items()}).T
print(f"{rare.sum():,} artists ({rare.mean():.0%}) in the rare buckets 0-4 and 9-10")
print(f"{N_PAIRS / len(vocab):.0f} pairs per artist on average")
profiles.round(2)

# %% tags=["remove-cell"]
self_pairs = profiles["% self pairs"]
assert self_pairs["corrected"] == 0 and self_pairs["uniform groups"] == 0
assert 0.05 < self_pairs["per-review lists"] < self_pairs["both (the article's)"] < 0.5
if ON_SAMPLE:
    quoted = profiles.round(2).to_dict("index")
    assert quoted["corrected"] == {
        "% self pairs": 0.0, "% to the top 1%": 1.17, "median pairs": 223.0,
        "% rare: own bucket": 21.71,
    }  # fmt: skip
    assert quoted["per-review lists"]["% self pairs"] == 0.10
    assert quoted["per-review lists"]["% to the top 1%"] == 5.94
    assert quoted["per-review lists"]["median pairs"] == 153.0
    assert quoted["both (the article's)"]["% self pairs"] == 0.26
    assert quoted["uniform groups"]["% rare: own bucket"] == 69.96
    assert quoted["uniform groups"]["median pairs"] == 122.0
    assert rare.sum() == 607 and round(N_PAIRS / len(vocab)) == 235
rock = artists["genres"].map(lambda genres: "rock" in genres).mean()
assert 0.4 < rock < 0.5  # "almost half the artists"

# %% [markdown]
# Per-review lists give the 1% most reviewed artists 5.94% of the pairs instead of
# 1.17%, and leave the median artist 153 pairs instead of 223: the artists with one or
# two reviews, most of the vocabulary, learn from fewer pairs. 0.10% of the pairs pair
# an artist with itself; with uniform groups as well, as in the article's generator,
# 0.26%: a few pairs in a thousand, too few to cost much. On the real data, measured the
# same way (2,048,000 pairs, seeds 0 to 2), the article's generator pairs an artist with
# itself in 0.21% to 0.22% of the pairs, and per-review lists alone in 0.09%.
#
# Uniform groups draw every score bucket equally often, whatever its size. The 607
# artists in the rare buckets (mean scores that round to 0 to 4, or to 9 or 10) then
# get 69.96% of their pairs with an artist of their own bucket instead of 21.71%. Their
# mean scores lie far from most artists', so their neighbours' scores tend to be the
# furthest off; pulling them together is the likely reason the score error falls,
# though the table does not split the fall artist by artist. The genres pay: rock, the
# genre of almost half the artists, is drawn no more often than each of the other eight
# genres, and the median artist gets 122 pairs instead of 223. That is no recipe to
# copy: the library's default pairs bring the score error down to 0.263 without losing
# the genres.

# %% [markdown]
# ## The TF1 recipe, one change at a time
#
# The TF1 recipe changes four things at once against the library's trainer: the
# {term}`optimizer` (plain SGD at a constant learning rate of 1, where the library uses
# {term}`Adam` at 0.05 falling to 0), the batch (64 pairs, not 4,096), the start
# (embeddings uniform in $(-1, 1)$, not $(-0.1, 0.1)$) and the noise (one draw of 16
# noise ids shared by the whole batch, not one for every 16 pairs). Which of them holds
# it back?
#
# A suspect that is easy to name is the step. SGD on the batch's *mean* loss moves an
# artist by a 64th of what one pair's gradient says, at a learning rate of 1: a step of
# $1/64 \approx 0.016$ per pair. But word2vec's own step per pair is of that size: its
# code starts at 0.025 for skip-gram and lets it fall towards 0, updating the vectors
# after every pair {cite}`word2vec2013project`. The other two are as easy to suspect.
# word2vec draws fresh noise for every pair, so 16 noise ids shared by 64 pairs are few;
# and it starts its vectors uniform in $\pm 0.5 / d$, 0.008 for $d = 64$, so a start in
# $(-1, 1)$ is 128 times wider. Change one thing at a time, on the same 2,048,000 pairs
# as the table's TF1 row, with its seed 0:

# %%
article = TrainConfig.article()
tf1 = replace(  # the article's TF1 recipe, on as many pairs as the library's runs
    article,
    steps=N_PAIRS // 64,
    batch_size=64,
    learning_rate=1.0,
    decay=False,
    optimizer="sgd",
    log_every=1_000,
    model=replace(article.model, init_scale=1.0, noise_block=None),
)
one_change = {
    "noise: 16 ids for every 16 pairs": replace(
        tf1, model=replace(tf1.model, noise_block=16)
    ),
    "start: uniform in (-0.1, 0.1)": replace(
        tf1, model=replace(tf1.model, init_scale=0.1)
    ),
    "step: learning rate 1.6 (0.025 per pair)": replace(tf1, learning_rate=1.6),
    "step: learning rate 4 (0.0625 per pair)": replace(tf1, learning_rate=4.0),
}
changed = {
    name: neighbour_scores(
        train_on_pairs(corrected_pairs, vocab, config).embeddings, artists, ks=(10,)
    ).iloc[0, 1:]
    for name, config in one_change.items()
}
in_table = mistakes_cost.query("seed == @SEED").set_index("row")
one_at_a_time = pd.DataFrame(
    {
        "the TF1 recipe (the table)": in_table.loc["TF1 recipe"],
        **changed,
        "corrected: the library's trainer (the table)": in_table.loc["corrected"],
    }
).T[["genre_precision", "score_error"]]
one_at_a_time.columns = ["genre precision@10", "score error@10"]
one_at_a_time.astype(float).round(3)

# %% tags=["remove-cell"]
# The recipe written here is the one tools/mistakes_cost.py trained for the table.
assert tf1 == TrainConfig.article().tf1()
assert np.isclose(1.6 / 64, 0.025) and np.isclose(4 / 64, 0.0625)
gp = one_at_a_time["genre precision@10"].astype(float)
recipe = gp["the TF1 recipe (the table)"]
assert gp["noise: 16 ids for every 16 pairs"] < recipe + 0.03  # no fix
assert gp["start: uniform in (-0.1, 0.1)"] < recipe + 0.1  # a little
assert gp["step: learning rate 4 (0.0625 per pair)"] > 0.95  # the fix
if ON_SAMPLE:
    assert [round(x, 3) for x in gp] == [0.367, 0.373, 0.423, 0.605, 0.984, 0.996]
    score = one_at_a_time["score error@10"].astype(float)
    assert round(score["step: learning rate 4 (0.0625 per pair)"], 3) == 0.893
    assert round(score.iloc[-1], 3) == 0.901

# %% [markdown]
# Not the noise: 16 noise ids for every 16 pairs give a genre precision of 0.373, where
# the recipe gives 0.367. A little the start: ten times smaller, 0.423. Mostly the step:
# at a learning rate of 1.6, word2vec's 0.025 per pair, genre precision reaches 0.605,
# and at 4 (0.0625 per pair) 0.984, near the library trainer's 0.996 on the same pairs,
# with a score error (0.893) like the corrected pipeline's (0.901). On this number of
# pairs the article's step is too small, and so would word2vec's be. Each artist is the
# target of 235 pairs on average (printed above). word2vec takes steps of that size and
# makes up for them in number: it passes over its text five times by default, and a
# frequent word comes up in far more than 235 pairs. {term}`Adam`, the library's
# optimizer, scales each number's step by its own gradient history, so averaging the
# loss over a batch of 4,096 pairs does not shrink its steps, and the same pairs take it
# to 0.996.
#
# So the step is to blame, but not for being a 64th of what one pair's gradient says: a
# step of that size is what word2vec takes too. What is small is the step *for the
# number of pairs*; with three times as many, the article's own 100,000 steps, the
# recipe gets as far as 0.747 (the table above).

# %% [markdown]
# ## The mistake the measures cannot see
#
# The last mistake, trained here: keep "various artists" as one artist and make NULL the
# genre `"null"`, train on the article's pairs as for the corrected row, and measure on
# the clean artists. The corrected pipeline is trained (or read back) beside it, seed 0
# of both.

# %%
dirty = artist_table(clean(tables, skip=SKIPPABLE_RULES).reviews)
added = sorted(set(dirty.index) - set(artists.index))
in_null = sum(NULL_GENRE in g for g in dirty["genres"])
print(f"{len(added)} more artist {added}; {in_null:,} in the genre {NULL_GENRE!r}")
va = dirty.loc["various artists"]
print(
    f"various artists: {va['n_reviews']} reviews, genres {sorted(va['genres'])}, "
    f"mean score {va['mean_score']:.2f}"
)
kept = train_or_load(
    dirty, TrainConfig.article(), path="../artifacts/bands2vec_article_null.npz"
)
corrected = train_or_load(
    artists, TrainConfig.article(), path="../artifacts/bands2vec_article.npz"
)
measured = {  # on the clean artists only
    name: neighbour_scores(e, artists, ks=(10,)).iloc[0]
    for name, e in (("corrected", corrected), (f"{NULL_GENRE!r} kept", kept))
}
for name, scores in measured.items():
    print(
        f"{name}: genre precision@10 {scores['genre_precision']:.3f}, "
        f"score error@10 {scores['score_error']:.3f}"
    )

# %% tags=["remove-cell"]
# The two runs trained here against the table (seed 0; on the sample, for which the
# table was made).
rows = {"various artists and NULL": f"{NULL_GENRE!r} kept", "corrected": "corrected"}
for row, name in rows.items():
    ours = measured[name][["genre_precision", "score_error"]].to_numpy(float)
    table = in_table.loc[row, ["genre_precision", "score_error"]].to_numpy(float)
    assert not ON_SAMPLE or np.allclose(table, ours, atol=0.001), (row, ours)

# %% [markdown]
# The run here gives the table's figures for seed 0. Where does a perfect genre
# precision come from?

# %%
no_genre = artists["genres"].map(len).to_numpy() == 0


def genre_less_neighbours(e) -> tuple[float, float]:
    """The share of genre-less neighbours, of artists with a genre and without one."""
    near = no_genre[neighbour_ids(e.aligned(artists).vectors, 10)]
    return near[~no_genre].mean(), near[no_genre].mean()


print(f"{no_genre.mean():.0%} of the artists have no genre")
shares = {"corrected": genre_less_neighbours(corrected)}
shares[f"{NULL_GENRE!r} kept"] = genre_less_neighbours(kept)
print("genre-less neighbours of artists with a genre, and of those without one:")
for name, (with_genre, without) in shares.items():
    print(f"{name:>13}: {with_genre:.2%}, {without:.0%}")
various = nearest(kept, "various artists", k=5)
various["genres"] = [
    ", ".join(sorted(dirty.loc[a, "genres"])) or "-"
    for a in various["artist"]
]
various["mean score"] = [dirty.loc[a, "mean_score"] for a in various["artist"]]
various.index = range(1, len(various) + 1)
various.round(3)

# %% tags=["remove-cell"]
assert shares[f"{NULL_GENRE!r} kept"][0] < shares["corrected"][0]
assert shares[f"{NULL_GENRE!r} kept"][1] >= shares["corrected"][1]
if ON_SAMPLE:
    with_genre, without = shares["corrected"]
    assert round(with_genre, 4) == 0.0040 and round(without, 2) == 0.96
    assert [round(x, 4) for x in shares[f"{NULL_GENRE!r} kept"]] == [0.0, 1.0]
    assert round(no_genre.mean(), 2) == 0.16
    assert various["genres"].eq("electronic").all()
    lowest, highest = various["mean score"].min(), various["mean score"].max()
    assert [round(lowest, 2), round(highest, 2)] == [6.13, 8.4]
# every miss of genre precision is a neighbour without a genre
corrected_precision = measured["corrected"]["genre_precision"]
assert abs((1 - corrected_precision) - shares["corrected"][0]) < 5e-4

# %% [markdown]
# In the corrected vectors the artists without a genre already keep to themselves (96%
# of their neighbours have no genre either), since bucket pairs are all they get, and
# the 0.40% of the neighbours of artists with a genre that have none are all the misses
# genre precision counts. Made a genre, "null" closes that gap to 0.00%: the genre-less
# artists form a cluster of their own (100%), and precision, which only asks about the
# artists with a genre, reaches 1.000. But "no genre" is not a style; it is a missing
# value, and 16% of the artists now look alike because nobody filed them. And "various
# artists", one vector for 687 reviews of compilations, lands among electronic artists
# with mean scores from 6.13 to 8.40 (in the sample, some of its reviews are filed under
# electronic), which no measure on the clean artists counts. A measure only sees what it
# asks about.

# %% [markdown]
# ## Summary
#
# - One mistake at a time, on the same pairs and with three seeds: the article's
#   pipeline, all five mistakes, reaches a genre precision@10 of 0.455 on 2,048,000
#   pairs, and 0.747 on three times as many (the article's own 100,000 steps of 64),
#   where the corrected pipeline reaches 0.995 on 2,048,000.
# - The TF1 recipe is what holds it back (0.371 on the corrected pairs). Not its shared
#   noise (0.373 with noise for every 16 pairs), a little its start (0.423 from a start
#   ten times smaller), mostly its step for this number of pairs: 0.605 at word2vec's
#   0.025 per pair, 0.984 at 0.0625.
# - The generator's mistakes pull the measures apart: per-review lists cost genre
#   precision (0.980) and make 0.10% self pairs (0.26% with uniform groups); uniform
#   groups cost more genre precision (0.930) and lower the score error (0.650), likely
#   by pairing the artists of the rare buckets among themselves.
# - Log-uniform noise over unsorted ids costs a little on both measures (0.979 and
#   0.917).
# - NULL as a genre raises genre precision to 1.000 by making a missing value look like
#   a style, and the vector of "various artists" is measured by nothing. A measure only
#   sees what it asks about.
