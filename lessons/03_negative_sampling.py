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
# # Lesson 3: Negative sampling and NCE
#
# The {term}`skip-gram` of lesson 2 ends in a {term}`softmax` over the whole vocabulary:
# to learn from one pair, it scores every word. With 27 words that is nothing; with the
# 8,700 artists of Bands2Vec it is most of the work. This lesson replaces the question
# "which word is the context?" with a cheaper one: "is this pair real, or noise?"
#
# ## Learning objectives
#
# After this lesson you can:
#
# - measure how the cost of a full softmax grows with the vocabulary;
# - explain negative sampling and noise-contrastive estimation (NCE) as telling true
#   pairs from noise, and write their losses in NumPy;
# - compare the `unigram^0.75` noise distribution with the unigram and the uniform;
# - use `tf.nn.nce_loss` with a sampler of your choice, and say why its default sampler
#   needs ids sorted by frequency;
# - choose `num_sampled` knowing what more noise samples cost and buy.

# %% [markdown]
# ## Setup

# %%
import timeit

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.diagrams import true_and_noise_pairs
from bands2vec_lib.model import negative_sampling_loss
from bands2vec_lib.pairs import skipgram_pairs
from bands2vec_lib.plots import plot_noise_distributions, plot_scaling
from bands2vec_lib.widgets import sweep_control

tf = quiet_tensorflow()
rng = np.random.default_rng(0)
tf.random.set_seed(0)
tf.config.experimental.enable_op_determinism()  # the same numbers on every run

# %% [markdown]
# ## The price of a full softmax
#
# For a {term}`batch` of $B$ pairs with $d$-dimensional vectors, the softmax layer
# multiplies a $B \times d$ matrix by a $d \times V$ one: $B \cdot V \cdot d$
# multiply-adds forward, about twice that backward. A sampled loss scores only the true
# context and $k$ noise words: $B \cdot (k + 1) \cdot d$, whatever the vocabulary size
# $V$.
#
# A fair timing runs each step as training does: compiled into a graph by
# {term}`tf.function`, its gradients taken by a {term}`GradientTape` (lesson 5 explains
# both), the best of five timings kept. The timing code is collapsed below.

# %% tags=["hide-input"]
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
    return min(timeit.repeat(step, number=1, repeat=repeats))


# %% [markdown]
# The two losses over $V$ words, for $V$ from 500 to 32,000, with $B = 256$, $d = 64$
# and $k = 16$ noise words (`tf.nn.nce_loss` for the sampled one, explained below):


# %% tags=["hide-input"]
def make_losses(V, batch=B, k=K):
    """A full-softmax loss and a sampled (NCE) loss over V words; their variables."""
    inputs = tf.Variable(tf.random.normal((batch, D)))
    weights = tf.Variable(tf.random.normal((V, D)) * 0.1)
    biases = tf.Variable(tf.zeros(V))
    labels = tf.random.uniform((batch,), maxval=V, dtype=tf.int64)

    def full_softmax():
        logits = tf.matmul(inputs, weights, transpose_b=True) + biases
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
        return tf.reduce_mean(losses)

    def sampled():
        losses = tf.nn.nce_loss(weights, biases, labels[:, None], inputs, k, V)
        return tf.reduce_mean(losses)

    return full_softmax, sampled, [inputs, weights, biases]


def both_seconds(V):
    full_softmax, sampled, variables = make_losses(V)
    return step_seconds(full_softmax, variables), step_seconds(sampled, variables)


timings = pd.DataFrame(
    [both_seconds(V) for V in SIZES], pd.Index(SIZES, name="V"), ["softmax", "nce"]
)

# %% [markdown]
# The times depend on the machine and on what else it is doing:

# %% tags=["nbval-ignore-output"]
print((timings * 1000).round(2).rename(columns=lambda c: f"{c} (ms)"))
growth = timings["softmax"].iloc[-1] / timings["softmax"].iloc[0]
print(f"the softmax step at V = 32,000 takes {growth:.0f} times as long as at 500")

# %% tags=["remove-cell"]
assert timings["softmax"].iloc[-1] > 4 * timings["softmax"].iloc[0]
assert timings["nce"].iloc[-1] < timings["softmax"].iloc[-1] / 4

# %% [markdown]
# The work does not depend on the machine: from 500 to 32,000 words the softmax does 64
# times as much, the sampled loss the same.

# %%
for V in [SIZES[0], SIZES[-1]]:
    softmax_work, sampled_work = B * V * D / 1e6, B * (K + 1) * D / 1e6
    print(f"V = {V:>6,}: softmax {softmax_work:5.1f} M multiply-adds,", end=" ")
    print(f"sampled {sampled_work:.2f} M")

# %% [markdown]
# The timings, drawn on a log scale:

# %% tags=["hide-input"] mystnb={"image": {"alt": "Line chart, log scale, of milliseconds per training step against vocabulary size V (500 to 32k): the full softmax climbs steeply as V grows, while the sampled NCE loss (k = 16) stays flat and far below it."}}
fig, ax = plt.subplots(figsize=(7, 3.5))
lines = {"full softmax": timings["softmax"], "sampled (NCE, k = 16)": timings["nce"]}
plot_scaling(
    SIZES,
    {name: ms * 1000 for name, ms in lines.items()},
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
# {term}`Negative sampling <negative sampling>` asks "is this pair real?" Each true pair
# from the data is shown beside a few *noise* pairs, the same target with words drawn at
# random from a {term}`noise distribution`, and a classifier learns to tell them apart.
# Here with artists, as Bands2Vec will use it:

# %% tags=["remove-input"] mystnb={"image": {"alt": "Negative sampling as binary classification: the true pair (coil, elder ones), found in the data, is labelled 1 (real); 4 noise pairs pair coil with artists drawn at random from the noise distribution (mary castillo, guided by voices, crookers, the blue serpents) and are labelled 0 (noise). A logistic classifier learns to tell the real pair from the noise."}}
true_and_noise_pairs()

# %% [markdown]
# The classifier is the skip-gram itself. Its score for a pair is the softmax's score,
# here with a bias, $s(w) = u_w^\top v_c + b_w$ (target vector $v_c$, output vector $u_w$
# and bias $b_w$), and the {term}`sigmoid` $\sigma(s) = 1/(1 + e^{-s})$ makes it the
# probability that the pair is real. For a true pair $(c, o)$ and $k$ noise words
# $n_1, \dots, n_k$, the loss is logistic regression's {cite}`mikolov2013distributed`:
#
# $$ L = -\log \sigma\big(s(o)\big) - \sum_{j=1}^{k} \log \sigma\big(-s(n_j)\big). $$
#
# Only $k + 1$ output vectors take part, so the cost no longer depends on $V$.
# (word2vec's own formula has no biases; TensorFlow's sampled losses have them.)
#
# {term}`Noise-contrastive estimation <noise-contrastive estimation>`
# {cite}`gutmann2010nce`, in the form Mnih and Teh gave it {cite}`mnih2012fast` and
# `tf.nn.nce_loss` computes, makes one change: it subtracts $\log(k\,q(w))$, where $q$ is
# the noise distribution, from each score before the sigmoid. With that correction the
# best scores NCE can reach are the log-probabilities of the full softmax, for any $k$;
# negative sampling's are those minus $\log(k\,q(w))$. Both give good vectors;
# `tf.nn.nce_loss`, the article's loss, is NCE.
#
# **Going deeper:** [NCE in theory](deeper/nce_theory.ipynb) derives these optima, shows
# that with output biases NCE is negative sampling with other starting biases, and
# measures why NCE's loss never reaches 0.
#
# ### Negative sampling in NumPy
#
# The loss for a batch, with its gradient by hand: the derivative of $-\log\sigma(s)$ is
# $\sigma(s) - 1$, that of $-\log\sigma(-s)$ is $\sigma(s)$. One set of noise words
# serves the whole batch, as in `tf.nn.nce_loss`; a noise word that is the pair's own
# context (an "accidental hit") is left out, as in word2vec.


# %%
def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def ns_loss_and_gradients(v, U, b, contexts, noise):
    """Loss per pair, gradients of its sum. v: (B, d) target vectors; U: (V, d)
    output vectors; b: (V,) biases; contexts: (B,) ids; noise: (k,) ids for all."""
    true_score = (v * U[contexts]).sum(axis=1) + b[contexts]  # (B,)
    noise_score = v @ U[noise].T + b[noise]  # (B, k)
    keep = contexts[:, None] != noise[None, :]  # False for accidental hits
    noise_loss = (keep * np.logaddexp(0, noise_score)).sum(axis=1)
    loss = np.logaddexp(0, -true_score) + noise_loss  # log(1 + e^x), computed safely
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
print("NumPy:     ", np.round(ns_loss, 3))

# %% [markdown]
# The library's TensorFlow version, `negative_sampling_loss`, gives the same losses, and
# TensorFlow's automatic gradients match the hand-derived ones:

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
print("TensorFlow:", np.round(tf_loss.numpy(), 3))
for name, ours, theirs in zip(["v", "U", "b"], [d_v, d_U, d_b], tf_grads, strict=True):
    bound = 10 ** np.ceil(np.log10(np.abs(ours - theirs).max()))
    print(f"gradient of {name}: largest difference below {bound:.0e}")

# %% tags=["remove-cell"]
assert np.allclose(ns_loss, tf_loss.numpy(), atol=1e-5)
assert all(
    np.abs(ours - theirs).max() < 1e-5
    for ours, theirs in zip([d_v, d_U, d_b], tf_grads, strict=True)
)
assert np.allclose(d_U[[6, 8]], 0)  # words in no pair get no gradient

# %% [markdown]
# ### NCE in NumPy, and `tf.nn.nce_loss`
#
# NCE needs the *expected counts* $k\,q(w)$: how often each word is expected among the
# $k$ draws. `tf.nn.nce_loss` takes the noise words and their expected counts as
# `sampled_values`, so with fixed noise its result can be checked exactly. Here $q$ is
# proportional to made-up counts raised to the power 0.75.


# %%
def nce_loss(v, U, b, contexts, noise, q, k):
    """NCE loss per pair: negative sampling with scores shifted by -log(k q)."""
    true_score = (v * U[contexts]).sum(axis=1) + b[contexts] - np.log(k * q[contexts])
    noise_score = v @ U[noise].T + b[noise] - np.log(k * q[noise])
    return np.logaddexp(0, -true_score) + np.logaddexp(0, noise_score).sum(axis=1)


made_up_counts = np.array([50, 30, 20, 12, 8, 6, 5, 4, 3, 2], dtype=np.float64)
q = made_up_counts**0.75 / (made_up_counts**0.75).sum()
k = len(noise_np)
expected = [(k * q[contexts_np])[:, None], k * q[noise_np]]  # true, noise
sampled_values = (noise_np, *(c.astype(np.float32) for c in expected))
tf_nce = tf.nn.nce_loss(  # weights, biases, labels, inputs, num_sampled, num_classes
    U_np, b_np, contexts_np[:, None], v_np, k, 10, sampled_values=sampled_values
)
ours = nce_loss(v_np, U_np, b_np, contexts_np, noise_np, q, k)
print("NumPy NCE:     ", np.round(ours, 3))
print("tf.nn.nce_loss:", np.round(tf_nce.numpy(), 3))

# %% tags=["remove-cell"]
assert np.allclose(ours, tf_nce.numpy(), atol=1e-5)

# %% [markdown]
# ## A text to learn from
#
# Training needs a text large enough for the noise to matter, whose words' right
# neighbours are known. A made-up one has both:
#
# - 500 words, the word with id $i$ drawn in proportion to $1/(i + 1)$ within its group:
#   Zipf's law, which real text roughly follows;
# - 10 topics; ids 0 to 9 are *function words*, like "the", that belong to every topic;
#   every other word belongs to one;
# - 6,000 sentences of 10 words, each about one topic: every word is a function word with
#   probability 0.3, otherwise a word of the topic.
#
# Lesson 2's sliding window, of 2, makes the pairs. Good vectors put a topic's words
# together; the *topic precision@10* measures it: for each word but the function words,
# the share of its 10 nearest words (by cosine similarity) in its topic. The collapsed
# cell makes the text and that measure:

# %% tags=["hide-input"]
WORDS, TOPICS, FUNCTION_WORDS = 500, 10, 10
SENTENCES, LENGTH, FUNCTION_SHARE = 6_000, 10, 0.3
text_rng = np.random.default_rng(0)
zipf = 1.0 / np.arange(1, WORDS + 1)  # word r, id r - 1, in proportion to 1 / r
topic = text_rng.integers(TOPICS, size=WORDS)
topic[:FUNCTION_WORDS] = -1  # the function words belong to every topic


def word_probabilities(t: int) -> np.ndarray:
    """How likely each word is at any position of a sentence about topic ``t``."""
    function = np.where(topic == -1, zipf, 0.0)
    own = np.where(topic == t, zipf, 0.0)
    return (
        FUNCTION_SHARE * function / function.sum()
        + (1 - FUNCTION_SHARE) * own / own.sum()
    )


sentences = np.array(
    [
        text_rng.choice(WORDS, size=LENGTH, p=word_probabilities(t))
        for t in text_rng.integers(TOPICS, size=SENTENCES)
    ]
)


def window_pairs(sentences: np.ndarray, window: int) -> np.ndarray:
    """Lesson 2's sliding window over every sentence at once: (centre, context) ids."""
    parts = []
    for distance in range(1, window + 1):
        right = np.stack(
            [sentences[:, :-distance], sentences[:, distance:]], axis=-1
        ).reshape(-1, 2)
        parts += [right, right[:, ::-1]]  # the context on the right, then on the left
    return np.concatenate(parts)


pairs = window_pairs(sentences, 2)
pairs = pairs[text_rng.permutation(len(pairs))]  # training takes them in random order
content = np.flatnonzero(topic >= 0)  # every word but the function words


def topic_precision(vectors: np.ndarray, k: int = 10) -> float:
    """The share of each word's k nearest words (by cosine) in the same topic."""
    unit = vectors[content] / np.linalg.norm(vectors[content], axis=1, keepdims=True)
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, -np.inf)  # a word is not its own neighbour
    nearest = np.argsort(-similarity, axis=1)[:, :k]
    return float((topic[content][nearest] == topic[content][:, None]).mean())


random_precision = topic_precision(np.random.default_rng(0).normal(size=(WORDS, 32)))
print(f"{SENTENCES:,} sentences of {LENGTH} words; the first: {sentences[0]}")
print(f"{len(pairs):,} pairs; the first three: {pairs[:3].tolist()}")
print(f"topic precision@10 of random vectors: {random_precision:.2f}")

# %% tags=["remove-cell"]
import hashlib

for sentence in sentences[:20]:
    assert sorted(map(tuple, window_pairs(sentence[None], 2).tolist())) == sorted(
        skipgram_pairs(sentence.tolist(), 2)
    )
# The deeper pages make the same text: the same sentences, to the bit.
assert hashlib.sha256(sentences.tobytes()).hexdigest()[:16] == "2314638374c7c5d5"

# %% [markdown]
# ## The noise distribution
#
# Which words should be noise? Uniform draws make the classifier's job too easy: most
# would be rare words that rarely occur anywhere. Draws by frequency (the
# {term}`unigram distribution`) give the frequent words most of the noise. word2vec takes
# the counts to the power 0.75, in between, which Mikolov et al. found worked better than
# either {cite}`mikolov2013distributed`. The counts are how often each word is a context
# in the training pairs (600 batches of 256); 5,000 more pairs are kept aside to test on.

# %%
STEPS, BATCH = 600, 256
train_pairs, held_out = pairs[: STEPS * BATCH], pairs[STEPS * BATCH :][:5_000]
counts = np.bincount(train_pairs[:, 1], minlength=WORDS)
print(f"{len(train_pairs):,} training pairs; contexts per word:")
print(f"  most {counts.max():,}, median {np.median(counts):.0f}, least {counts.min()}")
top = counts[:FUNCTION_WORDS]
shares = [(top**p).sum() / (counts**p).sum() for p in [1, 0.75, 0]]
print("share of the noise on the 10 function words, with counts^1, ^0.75, ^0:")
print("  " + ", ".join(f"{share:.1%}" for share in shares))

# %% [markdown]
# Each word's probability of being noise under the three distributions:

# %% tags=["hide-input"] mystnb={"image": {"alt": "Log-log chart of each word's probability of being drawn as noise against its frequency rank: raw unigram counts fall steeply, uniform is flat, and unigram^0.75 lies between, lower for frequent words and higher for rare ones."}}
fig, ax = plt.subplots(figsize=(6, 3.8))
plot_noise_distributions(counts + 1, ax)  # + 1: every word can be noise
ax.set_title("noise distributions over the text's 500 words")
plt.show()

# %% [markdown]
# The power 0.75 lowers the frequent words and lifts the rare ones: the 10 function
# words get 29.8% of the unigram's noise, 17.1% of word2vec's, 2.0% of the uniform's.
#
# ## `tf.nn.nce_loss` and its samplers
#
# `tf.nn.nce_loss` draws the noise itself unless it is given `sampled_values`.
# TensorFlow's candidate samplers return the noise ids and the expected counts; three
# matter here:
#
# - `tf.random.log_uniform_candidate_sampler`, the default {term}`log-uniform sampler`:
#   a Zipf law over the ids, $P(i) = \log\frac{i + 2}{i + 1} / \log(V + 1)$, blind to
#   the data;
# - `tf.random.fixed_unigram_candidate_sampler`: the given counts raised to `distortion`
#   (0.75 for word2vec's noise; its default, 1.0, is the unigram);
# - `tf.random.uniform_candidate_sampler`: every id equally likely.

# %%
true_ids = tf.constant([[0], [5]], dtype=tf.int64)  # two pairs' true contexts
noise, true_expected, noise_expected = tf.random.log_uniform_candidate_sampler(
    true_classes=true_ids, num_true=1, num_sampled=8, unique=False,
    range_max=WORDS, seed=0,
)
print("noise ids:      ", noise.numpy())
print("expected counts:", noise_expected.numpy().round(3))

# %% tags=["remove-cell"]
def log_uniform(ids, V):
    return (np.log(ids + 2.0) - np.log(ids + 1.0)) / np.log(V + 1.0)


assert np.allclose(
    noise_expected.numpy(), 8 * log_uniform(noise.numpy(), WORDS), rtol=1e-5
)
assert np.allclose(
    true_expected.numpy()[:, 0], 8 * log_uniform(np.array([0, 5]), WORDS), rtol=1e-5
)

# %% [markdown]
# Drawn with replacement (`unique=False`), each expected count is $k \cdot P(i)$:
# $8 \cdot P(0) = 0.892$ for id 0. With `unique=True`, `nce_loss`'s way, they estimate
# the chance of being among $k$ distinct draws.
#
# ### The sorted-vocabulary trap
#
# The log-uniform sampler gives the first ids most of the noise, whatever words they
# stand for: right only when the ids are sorted by how often each is a context and those
# counts follow Zipf's law. TensorFlow's documentation says the labels "must be sorted in
# order of decreasing frequency". The first 100 of the 500 ids' share of the noise and of
# the contexts, sorted and shuffled:

# %%
drawn = tf.random.log_uniform_candidate_sampler(
    true_ids, 1, 200_000, False, WORDS, seed=0
)[0].numpy()
orders = {
    "sorted by frequency": np.argsort(-counts, kind="stable"),  # the word at each id
    "in a random order": np.random.default_rng(1).permutation(WORDS),
}
print(f"log-uniform noise that falls on the first 100 ids: {(drawn < 100).mean():.3f}")
for name, order in orders.items():
    share = counts[order][:100].sum() / counts.sum()
    print(f"contexts of the first 100 ids, {name}: {share:.3f}")

# %% tags=["remove-cell"]
assert abs((drawn < 100).mean() - np.log(101) / np.log(WORDS + 1)) < 0.005

# %% [markdown]
# Sorted, the first 100 words hold 70% of the contexts and get 74% of the noise: a fair
# match. Shuffled, they hold 23% and still get 74%: most negative examples go to a
# hundred arbitrary words, and in the same number of steps the vectors learn less. The
# cure works in any order: give the sampler the real counts, as the training below does.
#
# The article's ids were neither sorted nor shuffled: they came in the order its SQL
# query first met each artist. And artists are not words: how often an artist is a
# context follows the size of its groups, not Zipf's law.
#
# **Going deeper:** [The log-uniform trap](deeper/log_uniform_trap.ipynb) trains with
# each order, on this text and on the artists, and measures what the article's order
# cost.
#
# ## Training with NCE
#
# The model is lesson 2's, 32-dimensional, with `nce_loss`'s output biases; the input
# vectors start random in $(-0.5, 0.5)$, the rest at zero. Each step takes 256 pairs,
# draws `num_sampled` distinct noise words from `unigram^0.75`, and makes lesson 2's
# update, $w \leftarrow w - \eta\,\nabla L$ (TensorFlow's `SGD`). The
# {term}`learning rate` $\eta = 6.4$ is word2vec's 0.025 per pair
# {cite}`word2vec2013project` times the 256 pairs a batch averages.

# %%
DIM, LEARNING_RATE = 32, 6.4
unigrams = (counts + 1).tolist()  # + 1: every word can be drawn as noise


def train_nce(num_sampled, curve=None):
    """Train on the text's pairs: input vectors, output weights and biases (and, given a
    list as ``curve``, the held-out loss every 100 steps appended to it)."""
    start = np.random.default_rng(0).uniform(-0.5, 0.5, (WORDS, DIM))
    vectors = tf.Variable(start.astype(np.float32))
    weights, biases = tf.Variable(tf.zeros((WORDS, DIM))), tf.Variable(tf.zeros(WORDS))
    variables = [vectors, weights, biases]
    optimizer = tf.keras.optimizers.SGD(LEARNING_RATE)

    @tf.function
    def step(batch):
        labels = batch[:, 1:]
        noise = tf.random.fixed_unigram_candidate_sampler(
            labels, 1, num_sampled, True, WORDS,  # 1 true context; distinct noise ids
            distortion=0.75, unigrams=unigrams, seed=0,
        )
        with tf.GradientTape() as tape:
            centres = tf.nn.embedding_lookup(vectors, batch[:, 0])
            losses = tf.nn.nce_loss(
                weights, biases, labels, centres, num_sampled, WORDS,
                sampled_values=noise,
            )
            loss = tf.reduce_mean(losses)
        gradients = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(gradients, variables, strict=True))

    for i, batch in enumerate(train_pairs.reshape(STEPS, BATCH, 2), start=1):
        step(tf.constant(batch))
        if curve is not None and i % 100 == 0:
            curve.append((i, held_out_loss(*(v.numpy() for v in variables))))
    return vectors.numpy(), weights.numpy(), biases.numpy()


# %% [markdown]
# A second measure says how well NCE learned the fake task itself: the *held-out softmax
# loss*, the full softmax loss of the trained model on the 5,000 pairs it never saw.
# Lower is better; a uniform guess scores $\log V = \log 500 = 6.21$. (The NCE loss sums
# $k + 1$ terms: it cannot be compared across values of $k$.)


# %%
def held_out_loss(vectors, weights, biases):
    logits = vectors[held_out[:, 0]] @ weights.T + biases
    losses = tf.nn.sparse_softmax_cross_entropy_with_logits(held_out[:, 1], logits)
    return float(tf.reduce_mean(losses))


# %% [markdown]
# ## How many noise samples?
#
# The article uses `num_sampled=16`. More noise words cost more per step; what do they
# buy? The function below trains with one value for 600 steps, and measures the topic
# precision, the held-out softmax loss, and the time of one step of a more typical size
# (10,000 words, 64 dimensions, batches of 1,024).


# %%
def full_size_step_ms(num_sampled):
    """Milliseconds per NCE step: 10,000 words, 64-d, batches of 1,024."""
    _, sampled, variables = make_losses(10_000, batch=1024, k=num_sampled)
    return 1000 * step_seconds(sampled, variables, repeats=10)


CURVES = {}  # num_sampled -> (steps, held-out loss), drawn by the control


def measure(num_sampled):
    """What one value of num_sampled gives: the control's callback returns this."""
    curve = [(0, np.log(WORDS))]  # step 0: untrained, every score 0, a uniform guess
    trained = train_nce(num_sampled, curve)
    CURVES[num_sampled] = tuple(zip(*curve, strict=True))
    return {
        "topic precision@10": topic_precision(trained[0]),
        "held-out softmax loss": held_out_loss(*trained),
        "ms per full-size step": full_size_step_ms(num_sampled),
    }


# %% [markdown]
# ### Try it: `num_sampled`
#
# Each value was trained once, when the control was made, so the slider works in the
# book as well as in Jupyter. It draws the held-out loss during training with the chosen
# value, over the other values' curves in grey, from step 0, where the untrained model
# scores $\log V$. It does not always fall (see below).

# %%
VALUES = [1, 4, 16, 64, 256]
control = sweep_control(
    measure,
    VALUES,
    name="num_sampled",
    value=16,  # the article's
    curves=CURVES,
    curve_labels=("training step", "held-out softmax loss"),
)
display(control)

# %% [markdown]
# The same measurements as a table:

# %%
results = pd.DataFrame([control.callback(k) for k in VALUES]).set_index("num_sampled")
control.callback(16)  # leave the article's value selected
results[["topic precision@10", "held-out softmax loss"]].round(2)

# %% tags=["nbval-ignore-output"]
results[["ms per full-size step"]].round(2)

# %% tags=["remove-cell"]
precision = results["topic precision@10"]
loss = results["held-out softmax loss"]
assert precision.loc[16:].min() > precision.loc[1] + 0.3
assert precision.loc[16:].max() - precision.loc[16:].min() < 0.05
assert loss.loc[256] < loss.loc[4] and loss.loc[256] < np.log(WORDS)
assert loss.loc[1] > np.log(WORDS) and loss.loc[4] > np.log(WORDS)
# the untrained model scores log V, as the curves' step 0 says
zeros = np.zeros((WORDS, DIM), np.float32)
untrained = held_out_loss(zeros, zeros, np.zeros(WORDS, np.float32))
assert np.isclose(untrained, np.log(WORDS))
step_ms = results["ms per full-size step"]
assert step_ms.loc[256] > step_ms.loc[:4].min()  # more noise costs more per step

# %% [markdown]
# With one noise word, 600 steps get the vectors only part of the way (topic precision
# 0.51; random vectors score 0.11). From 16 on they are good and barely change (0.97 to
# 0.98): for the vectors, the article's 16 is plenty. Mikolov et al. recommend 5 to 20
# noise words for small training sets, 2 to 5 for large ones
# {cite}`mikolov2013distributed`.
#
# The held-out softmax loss tells another story: with 1 and 4 noise samples it is
# *worse* than a uniform guess. NCE never computes the softmax, nothing ties all $V$
# scores together, and after 600 steps with few noise samples they are still far from
# the log-probabilities NCE converges to. More noise gets closer in the same steps (4.27
# with 256), at a growing cost per step: worth it only if the probabilities are wanted.

# %% [markdown]
# ## Exercises
#
# :::{exercise} how much noise lands on the first ids
# :label: sampling-how-much-noise
#
# Show that the log-uniform sampler puts a share $\log(n + 1)/\log(V + 1)$ of its noise on
# the first $n$ ids, and check it against the 200,000 draws above for $n$ = 10, 100 and
# 400.
# :::

# %% [markdown]
# ```{solution} sampling-how-much-noise
# :label: sampling-how-much-noise-solution
# :class: dropdown
# The sum $\sum_{i=0}^{n-1} \log\frac{i+2}{i+1}$ telescopes to $\log(n + 1)$. For these
# 500 words that is 39% for the first 10 ids, 74% for 100 and 96% for 400.
# ```

# %% tags=["solution", "hide-cell"]
for n in [10, 100, 400]:
    formula = np.log(n + 1) / np.log(WORDS + 1)
    print(f"first {n:>3} ids: formula {formula:.3f}, drawn {(drawn < n).mean():.3f}")

# %% tags=["solution", "remove-cell"]
for n in [10, 100, 400]:
    assert abs(np.log(n + 1) / np.log(WORDS + 1) - (drawn < n).mean()) < 0.005

# %% [markdown]
# :::{exercise} noise for a large text
# :label: sampling-noise-large-text
#
# Take a text whose 10,000 words follow Zipf's law exactly (the word of rank $r$ occurs in
# proportion to $1/r$), with ids sorted by frequency. What share of the noise goes to the
# 100 most frequent words under the unigram distribution, under `unigram^0.75` and under
# TensorFlow's log-uniform sampler? Which of the two samplers is closer to the unigram?
# :::

# %% [markdown]
# ```{solution} sampling-noise-large-text
# :label: sampling-noise-large-text-solution
# :class: dropdown
# The unigram gives the top 100 words about half of the noise, and so does the
# log-uniform sampler: for sorted text it is a good stand-in for the unigram, which is
# what TensorFlow's documentation recommends it for. The `unigram^0.75` distribution
# gives them far less, about a quarter: it spreads the noise over the rarer words.
# ```

# %% tags=["solution", "hide-cell"]
def log_uniform(ids, V):
    return (np.log(ids + 2.0) - np.log(ids + 1.0)) / np.log(V + 1.0)


big = 10_000
text_counts = 1.0 / np.arange(1, big + 1)
text_shares = {
    "unigram": text_counts[:100].sum() / text_counts.sum(),
    "unigram^0.75": (text_counts[:100] ** 0.75).sum() / (text_counts**0.75).sum(),
    "log-uniform": log_uniform(np.arange(100), big).sum(),
}
print({name: f"{share:.1%}" for name, share in text_shares.items()})

# %% tags=["solution", "remove-cell"]
assert abs(text_shares["log-uniform"] - text_shares["unigram"]) < 0.05
assert text_shares["unigram^0.75"] < text_shares["unigram"] - 0.2

# %% [markdown]
# ## Summary
#
# - A full softmax costs $B \cdot V \cdot d$ per batch, a sampled loss
#   $B \cdot (k + 1) \cdot d$.
# - Negative sampling tells each true pair from $k$ noise pairs. NCE shifts the scores by
#   $\log(k\,q(w))$, which makes its best scores the softmax's log-probabilities.
# - word2vec's noise is the counts to the power 0.75, between unigram and uniform.
# - `tf.nn.nce_loss`'s default log-uniform sampler needs ids sorted by frequency; the
#   real counts (`fixed_unigram_candidate_sampler`) work in any order.
# - From 16 noise samples on the vectors are good; more noise brings NCE's probabilities
#   closer to the softmax's, at a growing cost per step.
