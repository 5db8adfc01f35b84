# ---
# jupyter:
#   jupytext:
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
# # Lesson 3: Negative sampling and NCE
#
# The skip-gram of lesson 2 ends in a softmax over the whole vocabulary: to learn from one
# pair, it scores every word. With 27 words that is nothing; with millions of words, or
# the 8,700 artists of Bands2Vec batch after batch, it is most of the work. This lesson
# replaces the question "which word is the context?" with a cheaper one: "is this a real
# pair, or noise?"
#
# ## Learning objectives
#
# After this lesson you can:
#
# - measure how the cost of a full softmax grows with the vocabulary;
# - explain negative sampling and noise-contrastive estimation (NCE) as telling true
#   pairs from noise, and write the negative-sampling loss and its gradient in NumPy so
#   that they agree with TensorFlow;
# - compare the `unigram^0.75` noise distribution with the raw unigram and the uniform;
# - use `tf.nn.nce_loss` and its samplers, and avoid the trap of the default sampler,
#   which assumes a vocabulary sorted by frequency;
# - choose `num_sampled` knowing what more noise samples cost and what they buy.

# %% [markdown]
# ## Setup

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.data import artist_table, clean, load_tables
from bands2vec_lib.embeddings import Embeddings
from bands2vec_lib.model import negative_sampling_loss
from bands2vec_lib.pairs import ContextGroups, article_pairs, context_pairs
from bands2vec_lib.plots import (
    plot_cumulative_shares,
    plot_noise_distributions,
    plot_scaling,
)
from bands2vec_lib.sample import generate_sample
from bands2vec_lib.similarity import genre_precision_at_k
from bands2vec_lib.vocab import Vocabulary
from bands2vec_lib.widgets import sweep_control

tf = quiet_tensorflow()
rng = np.random.default_rng(0)
tf.random.set_seed(0)
tf.config.experimental.enable_op_determinism()  # the same numbers on every run

# %% [markdown]
# ## The price of a full softmax
#
# For a batch of $B$ pairs with $d$-dimensional vectors, the softmax layer multiplies a
# $B \times d$ matrix by a $d \times V$ one: $B \cdot V \cdot d$ multiply-adds forward, about
# twice that backward, all growing with the vocabulary size $V$. A sampled loss scores
# only the true context and $k$ noise words: $B \cdot (k + 1) \cdot d$, whatever $V$ is.
#
# The cell below times one training step (loss and gradients) of each, for vocabularies
# from 500 to 32,000 words, with $B = 256$, $d = 64$ and $k = 16$ noise words. Each time is the
# best of five runs.

# %%
B, D, K = 256, 64, 16
SIZES = [500, 2_000, 8_000, 32_000]


def step_seconds(loss_fn, variables, repeats=5):
    """The best time of a compiled step that computes a loss and its gradients."""

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = loss_fn()
        return tape.gradient(loss, variables)

    step()  # the first call traces the graph: not timed
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def softmax_and_sampled_seconds(V):
    inputs = tf.Variable(tf.random.normal((B, D)))
    weights, biases = (
        tf.Variable(tf.random.normal((V, D)) * 0.1),
        tf.Variable(tf.zeros(V)),
    )
    labels = tf.random.uniform((B,), maxval=V, dtype=tf.int64)
    variables = [inputs, weights, biases]

    def full_softmax():
        logits = tf.matmul(inputs, weights, transpose_b=True) + biases
        return tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
        )

    def sampled():
        return tf.reduce_mean(
            tf.nn.nce_loss(weights, biases, labels[:, None], inputs, K, V)
        )

    return step_seconds(full_softmax, variables), step_seconds(sampled, variables)


timings = pd.DataFrame(
    [softmax_and_sampled_seconds(V) for V in SIZES],
    index=pd.Index(SIZES, name="V"),
    columns=["softmax", "nce"],
)

# %% [markdown]
# The times themselves depend on the machine and on what else it is doing, so they are
# printed in a cell whose output the tests do not compare:

# %% tags=["nbval-ignore-output"]
print((timings * 1000).round(2).rename(columns=lambda c: f"{c} (ms)"))

# %% [markdown]
# What does not depend on the machine: the work, and the shape of the growth. From 500 to
# 32,000 words the softmax does 64 times the work and takes many times longer (how many
# depends on the machine's caches); the sampled loss stays far cheaper.

# %%
for V in [SIZES[0], SIZES[-1]]:
    softmax_work, sampled_work = B * V * D / 1e6, B * (K + 1) * D / 1e6
    print(
        f"V = {V:>6,}: softmax {softmax_work:>7,.1f} M multiply-adds forward, sampled "
        f"{sampled_work:.2f} M"
    )
print(
    "softmax time grows with V:",
    timings["softmax"].iloc[-1] > 4 * timings["softmax"].iloc[0],
)
print(
    "sampled loss cheaper at the largest V:",
    timings["nce"].iloc[-1] < timings["softmax"].iloc[-1] / 4,
)
assert timings["softmax"].iloc[-1] > 4 * timings["softmax"].iloc[0]
assert timings["nce"].iloc[-1] < timings["softmax"].iloc[-1] / 4

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
plot_scaling(
    SIZES,
    {
        "full softmax": timings["softmax"] * 1000,
        "sampled (NCE, k = 16)": timings["nce"] * 1000,
    },
    ax,
    xlabel="vocabulary size V",
    ylabel="ms per training step",
    logy=True,
)
ax.set_title(f"one step of {B} pairs, {D} dimensions")
plt.show()

# %% [markdown]
# ## Real pair or noise?
#
# Negative sampling {cite}`mikolov2013distributed` turns the $V$-way softmax into binary
# classification. For a true pair $(c, o)$ with centre vector $v_c$ and context output
# vector $u_o$, draw $k$ *noise* words $n_1, \dots, n_k$ from a noise distribution $q$, and
# train a logistic classifier to say "real" for the true context and "noise" for the
# others:
#
# $$ L = -\log \sigma(u_o^\top v_c + b_o) - \sum_{j=1}^{k} \log \sigma\big(-(u_{n_j}^\top v_c + b_{n_j})\big), $$
#
# where $\sigma(x) = 1/(1 + e^{-x})$. Only $k + 1$ output vectors take part, so the cost
# no longer depends on $V$. (word2vec's own formula has no biases $b$; TensorFlow's
# sampled losses have them, so this course keeps them throughout.)
#
# Noise-contrastive estimation {cite}`gutmann2010nce` does the same with one correction:
# it subtracts $\log(k\,q(w))$ from each score $s(w) = u_w^\top v_c + b_w$ before the
# sigmoid. With it, the best scores NCE can reach are the log-probabilities of the full
# softmax, for any $k$, as long as the noise can produce every word and the model can
# represent the true probabilities; a larger $k$ makes the estimate less noisy. Without
# it (negative sampling), the scores estimate something else: for a model without biases
# and noise from the raw counts, the pointwise mutual information of the pair shifted by
# $\log k$ {cite}`levy2014neural`. Both give good word vectors; Mikolov et al. found
# negative sampling the better of the two on their analogy tests
# {cite}`mikolov2013distributed`. `tf.nn.nce_loss`, the article's loss, is NCE.
#
# ### Negative sampling in NumPy
#
# The loss above, for a batch, with the gradient worked out by hand: the derivative of
# $-\log\sigma(s)$ is $\sigma(s) - 1$ and that of $-\log\sigma(-s)$ is $\sigma(s)$. As in
# `tf.nn.nce_loss`, one set of noise words serves the whole batch (word2vec draws a fresh
# set for every pair). As in word2vec, a noise word that happens to be a pair's own context
# (an "accidental hit") is left out for that pair; `tf.nn.nce_loss` keeps it by default.


# %%
def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def ns_loss_and_gradients(v, U, b, contexts, noise):
    """Negative-sampling loss per pair, and the gradients of its sum.

    v: (B, d) centre vectors; U: (V, d) output vectors; b: (V,) biases;
    contexts: (B,) true context ids; noise: (k,) noise ids shared by the batch.
    """
    true_score = (v * U[contexts]).sum(axis=1) + b[contexts]  # (B,)
    noise_score = v @ U[noise].T + b[noise]  # (B, k)
    keep = contexts[:, None] != noise[None, :]  # False for accidental hits
    loss = np.logaddexp(0, -true_score) + (keep * np.logaddexp(0, noise_score)).sum(
        axis=1
    )
    g_true = sigmoid(true_score) - 1.0  # d loss / d true_score
    g_noise = keep * sigmoid(noise_score)  # d loss / d noise_score
    d_v = g_true[:, None] * U[contexts] + g_noise @ U[noise]
    d_U, d_b = np.zeros_like(U), np.zeros_like(b)
    np.add.at(d_U, contexts, g_true[:, None] * v)
    np.add.at(d_U, noise, g_noise.T @ v)
    np.add.at(d_b, contexts, g_true)
    np.add.at(d_b, noise, g_noise.sum(axis=0))
    return loss, d_v, d_U, d_b


# %% [markdown]
# A small example: 10 words, 4 dimensions, a batch of 6 pairs and 3 noise words. The
# fourth pair's context, 7, is also a noise word: an accidental hit.

# %%
v_np = rng.normal(size=(6, 4)).astype(np.float32)
U_np = rng.normal(size=(10, 4)).astype(np.float32)
b_np = rng.normal(size=10).astype(np.float32)
contexts_np = np.array([1, 3, 0, 7, 9, 4])
noise_np = np.array([2, 7, 5])
ns_loss, d_v, d_U, d_b = ns_loss_and_gradients(v_np, U_np, b_np, contexts_np, noise_np)
print("loss per pair:", np.round(ns_loss, 3))

# %% [markdown]
# The library's TensorFlow version, `bands2vec_lib.model.negative_sampling_loss`, gives
# the same losses, and TensorFlow's automatic gradients match the hand-derived ones:

# %%
v_tf, U_tf, b_tf = tf.Variable(v_np), tf.Variable(U_np), tf.Variable(b_np)
with tf.GradientTape() as tape:
    tf_loss = negative_sampling_loss(
        v_tf, U_tf, b_tf, tf.constant(contexts_np), tf.constant(noise_np)
    )
    total = tf.reduce_sum(tf_loss)
tf_grads = [
    tf.convert_to_tensor(g).numpy() for g in tape.gradient(total, [v_tf, U_tf, b_tf])
]
print("TensorFlow:   ", np.round(tf_loss.numpy(), 3))
for name, ours, theirs in zip(["v", "U", "b"], [d_v, d_U, d_b], tf_grads, strict=True):
    print(
        f"gradient of {name}: largest difference below 1e-5: "
        f"{np.abs(ours - theirs).max() < 1e-5}"
    )

# %% tags=["remove-cell"]
assert np.allclose(ns_loss, tf_loss.numpy(), atol=1e-5)
assert all(
    np.allclose(ours, theirs, atol=1e-5)
    for ours, theirs in zip([d_v, d_U, d_b], tf_grads, strict=True)
)
assert np.allclose(d_U[6], 0) and np.allclose(
    d_U[8], 0
)  # words in no pair get no gradient

# %% [markdown]
# ### NCE in NumPy, and `tf.nn.nce_loss`
#
# NCE needs the noise distribution itself, through the *expected counts* $k\,q(w)$:
# how often each word is expected among the $k$ draws. `tf.nn.nce_loss` takes the noise
# words and both expected counts as `sampled_values`, so with fixed noise its result can
# be checked exactly. Here $q$ is proportional to made-up counts raised to the power 0.75.


# %%
def nce_loss(v, U, b, contexts, noise, q, k):
    """NCE loss per pair: negative sampling with scores shifted by -log(k q)."""
    true_score = (v * U[contexts]).sum(axis=1) + b[contexts] - np.log(k * q[contexts])
    noise_score = v @ U[noise].T + b[noise] - np.log(k * q[noise])
    return np.logaddexp(0, -true_score) + np.logaddexp(0, noise_score).sum(axis=1)


made_up_counts = np.array([50, 30, 20, 12, 8, 6, 5, 4, 3, 2], dtype=np.float64)
q = made_up_counts**0.75 / (made_up_counts**0.75).sum()
k = len(noise_np)
tf_nce = tf.nn.nce_loss(
    weights=U_np,
    biases=b_np,
    labels=contexts_np[:, None],
    inputs=v_np,
    num_sampled=k,
    num_classes=10,
    sampled_values=(
        noise_np,
        (k * q[contexts_np])[:, None].astype(np.float32),
        (k * q[noise_np]).astype(np.float32),
    ),
)
ours = nce_loss(v_np, U_np, b_np, contexts_np, noise_np, q, k)
print("NumPy NCE:     ", np.round(ours, 3))
print("tf.nn.nce_loss:", np.round(tf_nce.numpy(), 3))
assert np.allclose(ours, tf_nce.numpy(), atol=1e-5)

# %% [markdown]
# With expected counts of 1 the correction $\log(k\,q)$ vanishes: NCE becomes negative
# sampling. `tf.nn.nce_loss` then gives the library's negative-sampling loss, provided it
# also removes accidental hits (its default keeps them):

# %%
ones = (np.ones((6, 1), np.float32), np.ones(k, np.float32))
as_ns = tf.nn.nce_loss(
    U_np,
    b_np,
    contexts_np[:, None],
    v_np,
    k,
    10,
    sampled_values=(noise_np, *ones),
    remove_accidental_hits=True,
)
print("nce_loss with counts of 1:", np.round(as_ns.numpy(), 3))
assert np.allclose(as_ns.numpy(), tf_loss.numpy(), atol=1e-5)

# %% [markdown]
# ## The noise distribution
#
# Which words should serve as noise? Drawing them uniformly makes the classifier's job
# too easy: most noise words would be rare words that rarely occur anywhere. Drawing them
# by frequency (the *unigram* distribution) gives the most frequent words a large share
# of the noise (about half to the 100 most frequent of 10,000 words in exercise 2).
# word2vec takes the counts to the power 0.75, in between, which Mikolov et al. found
# worked better than either {cite}`mikolov2013distributed`.
#
# For Bands2Vec the counts are how often each artist occurs as a context in the training
# pairs. Two sets of pairs are compared throughout this lesson (lesson 4 explains both):
# the library's generator with the article's mix of shared genres and score buckets, and
# the article's own generator, which favours artists with many reviews.

# %%
tables = load_tables()
reviews = clean(tables).reviews
artists = artist_table(reviews)  # what load_artists() returns
vocab = Vocabulary.from_artists(artists)
V = len(vocab)
pairs = context_pairs(ContextGroups.from_artists(artists, vocab), 200_000, seed=0)
article = article_pairs(reviews, vocab, 200_000, seed=0)
context_counts = {
    "library pairs": np.bincount(pairs[:, 1], minlength=V),
    "article's pairs": np.bincount(article[:, 1], minlength=V),
}
counts, article_counts = context_counts.values()
for name, c in context_counts.items():
    print(
        f"{name}: {len(pairs):,} pairs, contexts per artist: median "
        f"{np.median(c):.0f}, max {c.max()}"
    )

# %%
shares = {}
for name, c in context_counts.items():
    top = np.argsort(-c)[: V // 100]  # the 1% most frequent contexts
    for power in [1.0, 0.75, 0.0]:
        weights = c.astype(float) ** power
        shares[name, power] = weights[top].sum() / weights.sum()
    print(
        f"{name}: the 1% most frequent contexts get",
        ", ".join(
            f"{shares[name, power]:.1%} with counts^{power:g}"
            for power in [1.0, 0.75, 0.0]
        ),
    )
    assert shares[name, 1.0] > shares[name, 0.75] > shares[name, 0.0]

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True, layout="constrained")
for ax, (name, c) in zip(axes, context_counts.items(), strict=True):
    plot_noise_distributions(
        c + 1, ax
    )  # + 1: every artist can be noise, as in the library
    ax.set_title(name)
plt.show()

# %% [markdown]
# Raising the counts to the power 0.75 lowers the most frequent artists and lifts the
# rare ones. The library's contexts are nearly even to begin with, so it changes little;
# the article's are skewed, and it matters more. In text, where "the" is thousands of
# times more frequent than most words, it matters most.
#
# ## `tf.nn.nce_loss` and its samplers
#
# `tf.nn.nce_loss` draws the noise itself unless it is given `sampled_values`. TensorFlow
# has several candidate samplers; three matter here, each returning the noise ids and the
# two expected counts that NCE needs:
#
# - `tf.random.log_uniform_candidate_sampler`, the default: a Zipf law over the ids,
#   $P(i) = \log\frac{i + 2}{i + 1} / \log(V + 1)$, which knows nothing of the data;
# - `tf.random.fixed_unigram_candidate_sampler`: given counts and `distortion=0.75` (its
#   default, 1.0, is the raw unigram), draws from the counts raised to that power;
# - `tf.random.uniform_candidate_sampler`: every id equally likely.
#
# The expected counts TensorFlow returns are $k \cdot P(i)$, exactly, when drawing with
# `unique=False`, as here. With `unique=True`, as `nce_loss` and the training below use,
# they are approximate probabilities of appearing among the $k$ distinct draws.

# %%
true_ids = tf.constant([[0], [5]], dtype=tf.int64)
noise, true_expected, noise_expected = tf.random.log_uniform_candidate_sampler(
    true_classes=true_ids, num_true=1, num_sampled=8, unique=False, range_max=V, seed=0
)
print(
    "noise ids:",
    noise.numpy(),
    "| shapes:",
    tuple(noise.shape),
    tuple(true_expected.shape),
    tuple(noise_expected.shape),
)


def log_uniform(ids, V):
    return (np.log(ids + 2.0) - np.log(ids + 1.0)) / np.log(V + 1.0)


assert np.allclose(noise_expected.numpy(), 8 * log_uniform(noise.numpy(), V), rtol=1e-5)
assert np.allclose(
    true_expected.numpy()[:, 0], 8 * log_uniform(np.array([0, 5]), V), rtol=1e-5
)
print(
    f"P(id 0) = {log_uniform(0, V):.3f}; the first 100 ids together: "
    f"{log_uniform(np.arange(100), V).sum():.3f}"
)

# %% [markdown]
# ## The log-uniform trap
#
# Half the log-uniform noise falls on the first 100 ids, whatever those ids are. For text
# whose vocabulary is sorted by frequency that is about the raw unigram distribution
# (words follow Zipf's law, the $r$-th most frequent word occurring in proportion to
# $1/r$), a reasonable noise if not word2vec's choice. It is wrong when the ids
# come in another order. The article built its ids in the order the SQL query returned the
# artists {cite}`ferris2018rockbands`, so its noise came mostly from whichever artists
# happened to come first.
#
# Here is that situation measured on the article's own pair generator (which favours
# artists with many reviews, so its contexts are skewed), with two orders of the ids: by
# how often each artist occurs as a context in these pairs (the order the log-uniform
# sampler assumes; note that it is not the library's `Vocabulary` order, which is by
# number of reviews), and in the order the artists first appear in the reviews table, as
# a SQL join returns them.

# %%
orders = {
    "sorted by context count": np.argsort(-article_counts, kind="stable"),
    "as first seen (the article)": vocab.ids(reviews["artist"].unique()),
}
drawn, _, _ = tf.random.log_uniform_candidate_sampler(
    true_classes=true_ids,
    num_true=1,
    num_sampled=200_000,
    unique=False,
    range_max=V,
    seed=0,
)
noise_share = (drawn.numpy() < 100).mean()  # the sampler only sees positions 0..V-1
rows = []
for name, order in orders.items():
    in_order = article_counts[order]  # the count of the artist at each position
    rows.append(
        {
            "ids": name,
            "contexts": in_order[:100].sum() / in_order.sum(),
            "log-uniform noise": noise_share,
            "unigram^0.75 noise": (in_order[:100] ** 0.75).sum()
            / (in_order**0.75).sum(),
        }
    )
trap = pd.DataFrame(rows).set_index("ids")
print("share of the first 100 ids in:")
trap.round(3)

# %%
zipf = 1.0 / np.arange(1, V + 1)
print(
    f"for text following Zipf's law, the first 100 of {V:,} words hold "
    f"{zipf[:100].sum() / zipf.sum():.1%}"
)
first = vocab.name(int(orders["as first seen (the article)"][0]))
print(
    f"as first seen, id 0 is {first!r}: "
    f"{article_counts[vocab.id(first)] / article_counts.sum():.3%} of the "
    f"contexts, but {log_uniform(0, V):.1%} of the log-uniform noise"
)

# %% tags=["remove-cell"]
assert 0.49 < noise_share < 0.53  # log(101) / log(V + 1): about half
assert noise_share > 20 * trap.loc["as first seen (the article)", "contexts"]
assert trap["unigram^0.75 noise"].gt(trap["contexts"] / 2).all()

# %% [markdown]
# In the article's order, the first 100 artists make up about 2% of the contexts but half
# of the noise: the model spends most of its negative examples pushing away a hundred
# arbitrary artists. Sorting by context count helps, but only partly, because artists are
# not words: their contexts do not follow Zipf's law. With the library's pairs it does
# not help at all: their context counts are nearly flat (the 1% most frequent contexts
# hold only a few percent of the pairs, printed above), so a Zipf law over the ids is
# wrong in any order.
#
# The fix that works whatever the order: give the sampler the real counts.
# `fixed_unigram_candidate_sampler` draws from counts raised to the power 0.75, so the
# noise follows the data. The library does the same (`ModelConfig(sampler="unigram")`),
# with its own sampler that draws fresh noise for every block of 16 pairs (lesson 5).
# The TensorFlow sampler's draws match the table's last column:

# %%
first_seen = orders["as first seen (the article)"]
unigram_drawn, _, _ = tf.random.fixed_unigram_candidate_sampler(
    true_classes=true_ids,
    num_true=1,
    num_sampled=200_000,
    unique=False,
    range_max=V,
    distortion=0.75,
    unigrams=(article_counts[first_seen] + 1).tolist(),
    seed=0,
)
measured = (unigram_drawn.numpy() < 100).mean()
expected = trap.loc["as first seen (the article)", "unigram^0.75 noise"]
print(
    f"unigram^0.75 sampler, ids as first seen: {measured:.3f} of the noise from the "
    f"first 100 ids "
    f"(expected {expected:.3f})"
)
assert abs(measured - expected) < 0.005

# %%
fig, ax = plt.subplots(figsize=(7, 4))
plot_cumulative_shares(
    {
        "log-uniform sampler (any order)": log_uniform(np.arange(V), V),
        "contexts, ids by context count": article_counts[
            orders["sorted by context count"]
        ],
        "contexts, ids as first seen": article_counts[first_seen],
        "unigram^0.75 sampler": (article_counts[first_seen] + 1.0) ** 0.75,
        "a text (Zipf's law)": zipf,
    },
    ax,
    mark=100,
)
ax.set_title("share of each distribution in the first n ids (dotted: n = 100)")
plt.show()

# %% [markdown]
# ## How many noise samples?
#
# The article uses `num_sampled=16`. More noise words cost more per step; what do they
# buy? To find out, the cell below trains a small skip-gram with `tf.nn.nce_loss` on 500
# artists of the embedded sample (whatever data the rest of the lesson uses), for a few
# values of `num_sampled`, always the same 600 steps. It measures:
#
# - the *held-out softmax loss*: the full softmax loss of the trained model on pairs it
#   never saw, which says how well NCE learned the fake task (lower is better; the NCE
#   loss itself sums $k + 1$ terms, so it cannot be compared across $k$);
# - the *genre precision@10*: the share of each artist's 10 nearest neighbours that share a
#   genre with it, which says how good the vectors are (lessons 5 and 7 come back to it;
#   random vectors score about 0.3 here, because so many artists play rock);
# - the time of one training step of the full-size model: 8,713 artists, 64 dimensions and
#   batches of 1,024 pairs, with `nce_loss`'s default sampler.

# %%
small = artist_table(
    clean(generate_sample(n_artists=500, seed=0)).reviews
)  # always the embedded sample
small_vocab = Vocabulary.from_artists(small)
SMALL_V, DIM, BATCH, STEPS, LEARNING_RATE = len(small_vocab), 16, 256, 600, 0.05
small_pairs = context_pairs(
    ContextGroups.from_artists(small, small_vocab), STEPS * BATCH + 5_000, seed=0
)
train_pairs, held_out = small_pairs[: STEPS * BATCH], small_pairs[STEPS * BATCH :]
small_counts = np.bincount(train_pairs[:, 1], minlength=SMALL_V) + 1
print(
    f"{SMALL_V} artists; {len(train_pairs):,} training pairs, {STEPS} batches of "
    f"{BATCH}; {len(held_out):,} held out"
)


# %%
def train_nce(num_sampled, sampler="unigram"):
    """Train a small skip-gram with NCE; its embeddings, output weights, biases.

    ``sampler`` is "unigram" (counts^0.75) or "log_uniform" (nce_loss's default).
    """
    init = np.random.default_rng(0)
    embeddings = tf.Variable(init.uniform(-0.5, 0.5, (SMALL_V, DIM)).astype(np.float32))
    weights, biases = (
        tf.Variable(tf.zeros((SMALL_V, DIM))),
        tf.Variable(tf.zeros(SMALL_V)),
    )
    variables = [embeddings, weights, biases]
    optimizer = tf.keras.optimizers.Adam(LEARNING_RATE)
    targets = tf.constant(train_pairs[:, 0].reshape(STEPS, BATCH))
    labels = tf.constant(train_pairs[:, 1].reshape(STEPS, BATCH, 1))

    @tf.function
    def train():
        for step in tf.range(STEPS):
            common = dict(
                num_true=1,
                num_sampled=num_sampled,
                unique=True,
                range_max=SMALL_V,
                seed=0,
            )
            if sampler == "unigram":
                noise = tf.random.fixed_unigram_candidate_sampler(
                    labels[step],
                    distortion=0.75,
                    unigrams=small_counts.tolist(),
                    **common,
                )
            else:
                noise = tf.random.log_uniform_candidate_sampler(labels[step], **common)
            with tf.GradientTape() as tape:
                centre = tf.nn.embedding_lookup(embeddings, targets[step])
                loss = tf.nn.nce_loss(
                    weights,
                    biases,
                    labels[step],
                    centre,
                    num_sampled,
                    SMALL_V,
                    sampled_values=noise,
                )
                loss = tf.reduce_mean(loss)
            optimizer.apply_gradients(
                zip(tape.gradient(loss, variables), variables, strict=True)
            )

    train()
    return embeddings.numpy(), weights.numpy(), biases.numpy()


def held_out_softmax_loss(embeddings, weights, biases):
    logits = embeddings[held_out[:, 0]] @ weights.T + biases
    return float(
        tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(held_out[:, 1], logits)
        )
    )


def full_size_step_ms(num_sampled):
    """Milliseconds per NCE step at full size: all artists, 64-d, batches of 1,024."""
    inputs = tf.Variable(tf.random.normal((1024, 64)))
    weights, biases = (
        tf.Variable(tf.random.normal((V, 64)) * 0.1),
        tf.Variable(tf.zeros(V)),
    )
    labels = tf.constant(pairs[:1024, 1:])

    def loss():
        return tf.reduce_mean(
            tf.nn.nce_loss(weights, biases, labels, inputs, num_sampled, V)
        )

    return 1000 * step_seconds(loss, [inputs, weights, biases], repeats=10)


def measure(num_sampled):
    """What one value of num_sampled gives: the control's callback calls this."""
    embeddings, weights, biases = train_nce(num_sampled)
    return {
        "held-out softmax loss": held_out_softmax_loss(embeddings, weights, biases),
        "genre precision@10": genre_precision_at_k(
            Embeddings(small_vocab.names, embeddings), small
        ),
        "ms per full-size step": full_size_step_ms(num_sampled),
    }


# %% [markdown]
# ### Try it: `num_sampled`
#
# The slider offers five values of `num_sampled`. Each is trained once (a few seconds)
# and kept; the three panels show each measurement against `num_sampled`, the chosen
# value marked. The static figure after it shows all five, for readers of the book.

# %%
VALUES = [1, 4, 16, 64, 256]
control = sweep_control(measure, VALUES, name="num_sampled")
display(control)

# %% [markdown]
# The callback is the function the slider calls; calling it for every value fills the
# control's figure and gives the results as a table:

# %%
results = pd.DataFrame([control.callback(k) for k in VALUES]).set_index("num_sampled")
control.callback(16)  # leave the article's value selected
results[["held-out softmax loss", "genre precision@10"]].round(2)

# %% tags=["nbval-ignore-output"]
results[["ms per full-size step"]].round(2)

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), layout="constrained")
for ax, metric in zip(axes, results.columns, strict=True):
    plot_scaling(
        VALUES, {metric: results[metric]}, ax, xlabel="num_sampled", ylabel=metric
    )
axes[0].axhline(np.log(SMALL_V), color="grey", ls="--", lw=1)
axes[0].annotate(
    "log V: an untrained model",
    (VALUES[0], np.log(SMALL_V)),
    xytext=(0, 4),
    textcoords="offset points",
    fontsize=8,
    color="grey",
)
fig.suptitle("NCE with 1 to 256 noise samples: 500 artists, 600 steps")
plt.show()

# %% [markdown]
# With a single noise word, 600 steps teach the model almost nothing. From 16 on, the
# vectors are good and barely change: for the vectors, which are what Bands2Vec is after,
# the article's 16 is plenty.
#
# The held-out softmax loss tells another story, and its most striking number is easy to
# miss: up to $k = 64$ it is *worse* than the dashed line, $\log V$, the loss of an
# untrained model that gives every artist the same probability. That is not a bug. A
# loss above $\log V$ means the model gives the true context, on (geometric) average, less
# probability than a uniform guess would: it is confidently wrong on many held-out pairs.
# NCE never computes the softmax. Each step compares the true context's score with $k$
# noise scores, and nothing in its loss ties all $V$ scores together, so after 600 steps
# with few noise samples the scores are still far from the log-probabilities NCE would
# converge to. With $k = 256$, half of the 500 artists take part in every step and the
# loss falls below $\log V$. NCE is consistent for any $k$: with enough data and training
# its optimum is the true distribution {cite}`gutmann2010nce`. A larger $k$ lowers the
# variance of its estimate, so it gets closer in the same number of steps, and each step
# costs more. The probabilities matter only if they themselves are wanted; the vectors
# were good from $k = 16$.

# %%
precision = results["genre precision@10"]
loss = results["held-out softmax loss"]
print(
    f"precision@10: {precision.loc[1]:.2f} with 1 noise sample, at least "
    f"{precision.loc[16:].min():.2f} with 16+"
)
print(
    f"held-out softmax loss: {loss.loc[4]:.2f} with 4 noise samples, "
    f"{loss.loc[256]:.2f} with 256 "
    f"(guessing uniformly: log V = {np.log(SMALL_V):.2f})"
)
assert precision.loc[16:].min() > precision.loc[1] + 0.3
assert precision.loc[16:].max() - precision.loc[16:].min() < 0.05
assert loss.loc[256] < loss.loc[4] and loss.loc[256] < np.log(SMALL_V)
assert loss.loc[16] > np.log(SMALL_V) and loss.loc[64] > np.log(
    SMALL_V
)  # worse than untrained

# %% [markdown]
# ## Self-check

# %%
claims = {
    "a full softmax step slows down as V grows": (
        timings["softmax"].iloc[-1] > 4 * timings["softmax"].iloc[0]
    ),
    "NumPy negative sampling == the library's loss": (
        np.allclose(ns_loss, tf_loss.numpy(), atol=1e-5)
    ),
    "hand-derived gradients == TensorFlow's": (
        all(
            np.allclose(a, b, atol=1e-5)
            for a, b in zip([d_v, d_U, d_b], tf_grads, strict=True)
        )
    ),
    "NumPy NCE == tf.nn.nce_loss": np.allclose(ours, tf_nce.numpy(), atol=1e-5),
    "counts^0.75 lies between unigram and uniform": (
        all(
            shares[name, 1.0] > shares[name, 0.75] > shares[name, 0.0]
            for name in context_counts
        )
    ),
    "log-uniform draws half its noise from the first 100 ids": (
        0.49 < noise_share < 0.53
    ),
    "unigram sampler follows the counts in any order": abs(measured - expected) < 0.005,
    "16 noise samples are enough for the vectors": (
        precision.loc[16] > precision.loc[1] + 0.3
    ),
}
for claim, holds in claims.items():
    print(f"{'ok' if holds else 'FAILED'}: {claim}")
assert all(claims.values())

# %% [markdown]
# ## Exercises
#
# ### Exercise 1: how much noise lands on the first ids
#
# Show that the log-uniform sampler puts a share $\log(n + 1)/\log(V + 1)$ of its noise on
# the first $n$ ids, and check it against the 200,000 draws above for $n$ = 10, 100 and
# 1,000.

# %% [markdown]
# ```{admonition} Solution
# :class: dropdown
# The sum $\sum_{i=0}^{n-1} \log\frac{i+2}{i+1}$ telescopes to $\log(n + 1)$. For this
# vocabulary that is 26% for the first 10 ids, 51% for 100 and 76% for 1,000.
# ```

# %% tags=["hide-cell"]
for n in [10, 100, 1000]:
    formula = np.log(n + 1) / np.log(V + 1)
    print(
        f"first {n:>5} ids: formula {formula:.3f}, drawn "
        f"{(drawn.numpy() < n).mean():.3f}"
    )
    assert abs(formula - (drawn.numpy() < n).mean()) < 0.005

# %% [markdown]
# ### Exercise 2: noise for a text
#
# Take a text whose 10,000 words follow Zipf's law exactly (the word of rank $r$ occurs in
# proportion to $1/r$), with ids sorted by frequency. What share of the noise goes to the
# 100 most frequent words under the unigram distribution, under `unigram^0.75` and under
# TensorFlow's log-uniform sampler? Which of the two samplers is closer to the unigram?

# %% [markdown]
# ```{admonition} Solution
# :class: dropdown
# The unigram gives the top 100 words about half of the noise, and so does the log-uniform
# sampler: for sorted text it is a good stand-in for the unigram, which is why it is
# TensorFlow's default. The `unigram^0.75` distribution gives them far less, about a quarter: it spreads
# the noise over the rarer words.
# ```

# %% tags=["hide-cell"]
words = 10_000
text_counts = 1.0 / np.arange(1, words + 1)
text_shares = {
    "unigram": text_counts[:100].sum() / text_counts.sum(),
    "unigram^0.75": (text_counts[:100] ** 0.75).sum() / (text_counts**0.75).sum(),
    "log-uniform": log_uniform(np.arange(100), words).sum(),
}
print({name: f"{share:.1%}" for name, share in text_shares.items()})
assert abs(text_shares["log-uniform"] - text_shares["unigram"]) < 0.05
assert text_shares["unigram^0.75"] < text_shares["unigram"] - 0.2

# %% [markdown]
# ### Exercise 3: accidental hits
#
# With 16 noise artists drawn (without repeats) from counts raised to the power 0.75 over the library's
# pairs, how often is a pair's true context among the noise? Count it over 200 batches of
# 1,000 pairs, and compare with the average `true_expected_count` the sampler reports.

# %% [markdown]
# ```{admonition} Solution
# :class: dropdown
# With thousands of artists and 16 noise draws, about 0.2% of pairs hit. The sampler's
# expected count for the true context is the probability of that hit, so the two agree.
# For NCE a hit is not a mistake: the noise really did produce that word, and the
# $\log(k\,q)$ term already accounts for it, so `tf.nn.nce_loss` keeps hits by default
# (removing them turns NCE into a different loss, which TensorFlow's documentation calls
# "sampled logistic"). For negative sampling, word2vec skips them, as this lesson's NumPy
# version does. Either way they are rare here: one pair in 500.
# ```

# %% tags=["hide-cell"]
hits, expected_hits = 0, 0.0
unigrams = (counts + 1).tolist()
for batch in pairs.reshape(200, 1000, 2):
    labels = tf.constant(batch[:, 1:])
    sampled, true_count, _ = tf.random.fixed_unigram_candidate_sampler(
        labels, 1, 16, True, V, distortion=0.75, unigrams=unigrams, seed=1
    )
    hits += int(np.isin(batch[:, 1], sampled.numpy()).sum())
    expected_hits += float(tf.reduce_sum(true_count))
print(
    f"accidental hits: {hits / len(pairs):.2%} of pairs, expected "
    f"{expected_hits / len(pairs):.2%}"
)
assert abs(hits - expected_hits) < 5 * np.sqrt(expected_hits)

# %% [markdown]
# ### Exercise 4: the trap, trained
#
# `train_nce` takes a `sampler`: train the small model with 16 noise samples from the
# log-uniform sampler (`sampler="log_uniform"`), whose noise falls mostly on the first
# ids, and compare its genre precision@10 with the unigram^0.75 sampler's (the sweep
# above). Does the trap cost anything on these 500 artists?

# %% [markdown]
# ```{admonition} Solution
# :class: dropdown
# Here it costs little (printed: 0.97 against 0.98). The log-uniform noise still spends
# about three quarters of its draws on the first 100 of 500 ids
# ($\log 101 / \log 501$), but with a vocabulary this small the other artists are drawn
# often enough over 600 steps. A result that disappoints is worth keeping: the trap
# wastes noise draws, and how much that costs depends on the data and the budget.
# ```

# %% tags=["hide-cell"]
trap_vectors = Embeddings(small_vocab.names, train_nce(16, sampler="log_uniform")[0])
print(
    f"genre precision@10 with 16 noise samples: log-uniform "
    f"{genre_precision_at_k(trap_vectors, small):.2f}, unigram^0.75 "
    f"{results.loc[16, 'genre precision@10']:.2f}"
)

# %% [markdown]
# ## Summary
#
# - A full softmax costs $B \cdot V \cdot d$ per batch and slows down as the vocabulary
#   grows; a sampled loss costs $B \cdot (k + 1) \cdot d$.
# - Negative sampling trains a classifier to tell each true pair from $k$ noise pairs.
#   NCE does the same with scores shifted by $\log(k\,q(w))$, which makes its optimum the
#   softmax's, for any $k$; a larger $k$ lowers the variance. Written in NumPy, both agree with TensorFlow.
# - word2vec draws noise from counts raised to the power 0.75, between the unigram and the uniform.
# - `tf.nn.nce_loss` defaults to a log-uniform sampler that puts half its noise on the
#   first 100 ids. It suits text whose ids are sorted by frequency, which follows Zipf's
#   law; the article's unsorted ids made a hundred arbitrary artists half of all its
#   noise, and artists' context counts follow no Zipf law, so no order of the ids makes it
#   right. Pass the real counts (`fixed_unigram_candidate_sampler`), as the library does.
# - From 16 noise samples on the vectors are good; more noise brings NCE's probabilities
#   closer to the softmax's (with few, they are worse than a uniform guess after 600
#   steps), at a growing cost per step.
