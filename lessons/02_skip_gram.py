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
# # Lesson 2: The skip-gram model
#
# Lesson 1 ended with a table of vectors, one row per artist, looked up by id. This
# lesson shows how such a table is *learned*. The skip-gram model of word2vec
# {cite}`mikolov2013efficient` sets the network a task that nobody cares about, predicting
# the words around a word, and keeps what the network had to learn to do it: the table.
#
# ## Learning objectives
#
# After this lesson you can:
#
# - explain the "fake task" of skip-gram, and why it yields useful vectors;
# - make (centre, context) training pairs with a sliding window, and count them;
# - describe the network, a lookup layer and a softmax output layer, with the shape of
#   every tensor;
# - write a skip-gram with a full softmax in NumPy, check its gradient against finite
#   differences, train it, and see words that share contexts end up close;
# - say why the model cannot see word order, and how word2vec handles phrases such as
#   "New York".

# %% [markdown]
# ## Setup

# %%
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.data import load_artists
from bands2vec_lib.model import ModelConfig, SkipGram
from bands2vec_lib.pairs import skipgram_pairs
from bands2vec_lib.plots import plot_loss_curves, plot_similarity_matrix
from bands2vec_lib.vocab import Vocabulary
from bands2vec_lib.widgets import window_control

tf = quiet_tensorflow()
rng = np.random.default_rng(0)
tf.random.set_seed(0)

# %% [markdown]
# ## The fake task
#
# Train a network on this task: given a word, predict which words appear near it. Nobody
# needs that prediction, and the network will never be very good at it, since many words
# appear near "the". But to do it at all, the network has to give words that appear in
# similar company similar internal representations, because they must predict similar
# neighbours. After training, the prediction part is thrown away and the internal
# representations, the rows of the first layer, are kept as word vectors
# {cite}`mccormick2016skipgram`.
#
# For Bands2Vec the "words" are artists, and an artist's neighbours are the artists that
# share a genre and a score bucket with it (lesson 4). Text comes first, because it is where the
# idea comes from.
#
# ## Training pairs from a sliding window
#
# A window slides over the text. At each position, the word in the middle is the *centre*,
# and every word at most `window` positions to its left or right is a *context*: each
# (centre, context) pair is one training example.

# %%
sentence = "the quick brown fox jumps over the lazy dog"
tokens = sentence.split()
print(len(tokens), "tokens:", tokens)

# %% [markdown]
# Written out in a few lines (the library's `skipgram_pairs` is the version used from here
# on; the two are checked to agree below):


# %%
def window_pairs(tokens: list[str], window: int) -> list[tuple[str, str]]:
    """Each word with every word at most ``window`` positions away from it."""
    n = len(tokens)
    return [
        (tokens[i], tokens[j])
        for i in range(n)
        for j in range(max(0, i - window), min(n, i + window + 1))
        if j != i
    ]


print(window_pairs(tokens, 2)[:7])

# %%
for window in range(1, len(tokens)):
    assert window_pairs(tokens, window) == skipgram_pairs(tokens, window)
print(
    "window_pairs agrees with bands2vec_lib.pairs.skipgram_pairs for windows 1 to",
    len(tokens) - 1,
)

# %% [markdown]
# Each distance $k$ from 1 to the window gives $n - k$ pairs in each direction, so a
# sentence of $n$ words with window $w < n$ gives $2 \sum_{k=1}^{w} (n - k)$ pairs:


# %%
def pair_count(n: int, window: int) -> int:
    return 2 * sum(n - k for k in range(1, min(window, n - 1) + 1))


print({window: len(skipgram_pairs(tokens, window)) for window in range(1, 5)})

# %% tags=["remove-cell"]
assert all(
    len(skipgram_pairs(tokens, w)) == pair_count(len(tokens), w) for w in range(1, 12)
)

# %% [markdown]
# ### Try it: the window size
#
# Move the slider to change the window (it works in the book too: every window's grid is
# drawn in advance). The grid has one row per centre word and one column per word of the
# sentence: the dark cell is the centre itself, the light cells its contexts. The list
# beside it is the pairs, centre by centre.

# %%
control = window_control(tokens, max_window=4)
display(control)

# %%
shown = control.callback(3)
print(
    f"window {shown['window']}: {shown['n_pairs']} pairs, the first "
    f"{shown['pairs'][:3]}"
)

# %% tags=["remove-cell"]
assert shown["pairs"] == window_pairs(tokens, 3)
assert shown["n_pairs"] == pair_count(len(tokens), 3)

# %% [markdown]
# A word that occurs twice, like "the", is a centre twice. With a window of 4, both of
# its windows hold "brown", "fox" and "jumps", so those pairs occur twice: pairs of
# frequent words weigh more in training. (word2vec counters this by randomly dropping
# occurrences of frequent words before making pairs, *subsampling*
# {cite}`mikolov2013distributed`.)

# %%
counts = Counter(skipgram_pairs(tokens, 4))
twice = sorted(pair for pair, count in counts.items() if count == 2)
print("pairs seen twice with window 4:", twice)

# %% tags=["remove-cell"]
assert ("the", "fox") in twice and ("fox", "the") in twice

# %% [markdown]
# ## The network
#
# The skip-gram network has two layers and nothing else:
#
# 1. **The hidden layer**: its weights are a $V \times d$ matrix $W_{\text{in}}$. The centre word's
#    one-hot vector times $W_{\text{in}}$ is a row of it (lesson 1): the centre's vector
#    $v_c$, of $d$ numbers. No bias, no activation function.
# 2. **The output layer**: its weights are a $d \times V$ matrix $W_{\text{out}}$, one column $u_o$ per
#    possible context $o$. The scores $v_c^\top W_{\text{out}}$ go through a softmax,
#    which turns them into a probability for every word of the vocabulary:
#
# $$ p(o \mid c) = \frac{\exp(u_o^\top v_c)}{\sum_{w=0}^{V-1} \exp(u_w^\top v_c)}. $$
#
# Training lowers the loss $-\log p(o \mid c)$, averaged over the pairs. Here is one
# forward pass on the sentence, with $d = 3$, and the shape of each step:

# %%
token_counts = Counter(tokens)
sentence_vocab = Vocabulary(token_counts.keys(), token_counts.values())
V_s, d_s = len(sentence_vocab), 3
W_in_s = rng.normal(0, 0.1, (V_s, d_s))
W_out_s = rng.normal(0, 0.1, (d_s, V_s))

x = sentence_vocab.one_hot(["fox"])  # the centre word
v = x @ W_in_s  # the hidden layer: a row lookup
scores = v @ W_out_s  # one score per word of the vocabulary
p = np.exp(scores) / np.exp(scores).sum()
for name, array in [
    ("one-hot x", x),
    ("W_in", W_in_s),
    ("v = x W_in", v),
    ("W_out", W_out_s),
    ("scores = v W_out", scores),
    ("p = softmax(scores)", p),
]:
    print(f"{name:>20}: {array.shape}")
p_jumps = p[0, sentence_vocab.id("jumps")]
print(
    f"p sums to {p.sum():.3f}; p(jumps | fox) = {p_jumps:.3f}, about 1/{V_s} before "
    f"training"
)

# %% [markdown]
# The library's TensorFlow model, `SkipGram`, holds the same two matrices for the
# artists: `embeddings` is $W_{\text{in}}$; `weights` is $W_{\text{out}}$ stored one row
# per context (transposed), with a bias per context. With the course's 64 dimensions,
# that is two $V \times 64$ tables:

# %%
artists = load_artists()
model = SkipGram(len(artists), ModelConfig(dim=64, sampler="uniform"), seed=0)
for name in ["embeddings", "weights", "biases"]:
    print(f"model.{name:<10} {tuple(getattr(model, name).shape)}")
batch = tf.constant([0, 1, 2, 3])
hidden = tf.nn.embedding_lookup(model.embeddings, batch)
logits = tf.matmul(hidden, model.weights, transpose_b=True) + model.biases
print(
    f"a batch of {batch.shape[0]} centres -> hidden {tuple(hidden.shape)} -> scores "
    f"{tuple(logits.shape)}"
)
print(f"parameters: {sum(int(np.prod(v.shape)) for v in model.trainable_variables):,}")

# %% tags=["remove-cell"]
assert tuple(model.embeddings.shape) == tuple(model.weights.shape) == (len(artists), 64)
assert tuple(logits.shape) == (4, len(artists))

# %% [markdown]
# Every training pair asks for a score for *every* artist, 8,713 of them, to normalise
# one probability. That cost is the subject of lesson 3.
#
# ## A skip-gram in NumPy
#
# To watch the model learn, take a small corpus where some words share their contexts.
# Three kinds of sentence: about animals (cat, dog), instruments (guitar, drums) and
# drinks (coffee, tea). Within a kind, the two words fill the same slot of the same
# sentence templates, so they have exactly the same contexts (but never appear together);
# "the" and "now" appear across kinds.

# %%
KINDS = {
    "animals": (
        ["cat", "dog"],
        ["the {} sleeps on the sofa", "feed the {} now", "the {} eats its food"],
    ),
    "instruments": (
        ["guitar", "drums"],
        ["play the {} loudly", "she tunes the {}", "the {} sounds great"],
    ),
    "drinks": (
        ["coffee", "tea"],
        ["drink hot {} now", "brew the {} slowly", "the {} tastes bitter"],
    ),
}
corpus = []
for _ in range(300):
    words, templates = KINDS[rng.choice(list(KINDS))]
    corpus.append(
        templates[rng.integers(len(templates))]
        .format(words[rng.integers(len(words))])
        .split()
    )
print(len(corpus), "sentences, e.g.", [" ".join(s) for s in corpus[:3]])

# %% [markdown]
# The vocabulary is sorted by frequency, and the pairs come from a window of 2 inside
# each sentence (a window never crosses into the next sentence):

# %%
word_counts = Counter(word for s in corpus for word in s)
vocab = Vocabulary(word_counts.keys(), word_counts.values())
pairs = np.array([vocab.ids(pair) for s in corpus for pair in skipgram_pairs(s, 2)])
centres, contexts = pairs[:, 0], pairs[:, 1]
V, d = len(vocab), 5
print(
    f"V = {V} words, {len(pairs):,} pairs, d = {d}; the most frequent: "
    f"{vocab.names[:5]}"
)

# %% [markdown]
# The forward pass is the one above, for all pairs at once. The gradient follows from
# the softmax: the derivative of the mean loss with respect to the scores is
# $(p - y)/n$, where $y$ is the one-hot vector of the true context. From there, the chain
# rule gives the gradients of both matrices; the lookup sends each pair's gradient back
# to the row of its centre word only.


# %%
def softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(
        scores - scores.max(axis=1, keepdims=True)
    )  # minus the max: no overflow
    return exp / exp.sum(axis=1, keepdims=True)


def loss_and_gradients(W_in, W_out, centres, contexts):
    """Mean softmax loss of the pairs, and its gradients for W_in and W_out."""
    n = len(centres)
    v = W_in[centres]  # (n, d): the lookup
    p = softmax(v @ W_out)  # (n, V)
    loss = -np.log(p[np.arange(n), contexts]).mean()
    d_scores = p.copy()
    d_scores[np.arange(n), contexts] -= 1.0
    d_scores /= n  # (n, V): (p - y) / n
    d_out = v.T @ d_scores  # (d, V)
    d_in = np.zeros_like(W_in)
    np.add.at(d_in, centres, d_scores @ W_out.T)  # each pair updates its centre's row
    return loss, d_in, d_out


W_in = rng.normal(0, 0.1, (V, d))
W_out = rng.normal(0, 0.1, (d, V))
W_in_start, W_out_start = W_in.copy(), W_out.copy()  # kept to train again from here
loss, d_in, d_out = loss_and_gradients(W_in, W_out, centres, contexts)
print(
    f"loss {loss:.4f} (log V = {np.log(V):.4f}: near-uniform guesses); gradients "
    f"{d_in.shape} and {d_out.shape}"
)

# %% [markdown]
# ### Checking the gradient
#
# A gradient derived by hand is easy to get wrong. The check: nudge one weight by
# $\pm\varepsilon$ and compare the change of the loss with the gradient,
#
# $$ \frac{\partial L}{\partial w} \approx \frac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon}, $$
#
# for every weight of both matrices (there are only $2Vd$), in 64-bit floats.


# %%
def numerical_gradient(W, eps=1e-6):
    grad = np.zeros_like(W)
    for index in np.ndindex(W.shape):
        saved = W[index]
        W[index] = saved + eps
        up = loss_and_gradients(W_in, W_out, centres, contexts)[0]
        W[index] = saved - eps
        down = loss_and_gradients(W_in, W_out, centres, contexts)[0]
        W[index] = saved
        grad[index] = (up - down) / (2 * eps)
    return grad


def relative_error(a, b):
    return np.abs(a - b).max() / max(np.abs(a).max(), np.abs(b).max())


errors = {
    "W_in": relative_error(d_in, numerical_gradient(W_in)),
    "W_out": relative_error(d_out, numerical_gradient(W_out)),
}
for name, error in errors.items():
    print(
        f"{name}: gradient and finite differences agree to better than 1e-6: "
        f"{error < 1e-6}"
    )

# %% tags=["remove-cell"]
assert max(errors.values()) < 1e-6

# %% [markdown]
# TensorFlow computes the same loss with `tf.nn.sparse_softmax_cross_entropy_with_logits`,
# and the same gradients by automatic differentiation:

# %%
W_in_tf, W_out_tf = tf.Variable(W_in), tf.Variable(W_out)
with tf.GradientTape() as tape:
    logits = tf.nn.embedding_lookup(W_in_tf, centres) @ W_out_tf
    tf_loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(contexts, logits)
    )
tf_d_in, tf_d_out = tape.gradient(tf_loss, [W_in_tf, W_out_tf])
print(f"TensorFlow loss {float(tf_loss):.4f}, NumPy loss {loss:.4f}")

# %% tags=["remove-cell"]
assert np.isclose(float(tf_loss), loss)
assert np.allclose(tf.convert_to_tensor(tf_d_in).numpy(), d_in) and np.allclose(
    tf_d_out.numpy(), d_out
)

# %% [markdown]
# ### Training
#
# Plain gradient descent on all pairs at once, 500 steps. No model can reach a loss of
# 0: many different words appear near "the". The lowest possible loss is the entropy of
# the context given the centre word, measured on the pairs themselves,
# $-\frac{1}{n}\sum_{\text{pairs}} \log \hat p(o \mid c)$ with $\hat p$ the observed
# frequencies. The loss should approach it from above.

# %%
pair_counts = Counter(zip(centres.tolist(), contexts.tolist(), strict=True))
centre_counts = Counter(centres.tolist())
floor = -sum(
    n * np.log(n / centre_counts[c]) for (c, _), n in pair_counts.items()
) / len(pairs)

LEARNING_RATE, STEPS = 2.0, 500
losses = []
for _ in range(STEPS):
    loss, d_in, d_out = loss_and_gradients(W_in, W_out, centres, contexts)
    losses.append(loss)
    W_in -= LEARNING_RATE * d_in
    W_out -= LEARNING_RATE * d_out
final_loss = loss_and_gradients(W_in, W_out, centres, contexts)[0]
print(
    f"loss: {losses[0]:.3f} at the start, {losses[100]:.3f} after 100 steps, "
    f"{final_loss:.3f} after {STEPS}; "
    f"lowest possible {floor:.3f}"
)

# %% tags=["remove-cell"]
assert losses[-1] < 0.7 * losses[0]
assert np.all(np.diff(losses) < 0)  # down at every step
assert final_loss > floor  # never below the entropy of the context given the centre

# %% mystnb={"image": {"alt": "Line chart of training loss against step (0 to 500): the loss starts near 3.3, falls steeply over the first 100 steps, then flattens and ends just above the dashed line of the lowest possible loss."}}
fig, ax = plt.subplots(figsize=(7, 3.5))
plot_loss_curves(
    np.arange(STEPS)[::5],  # the steps taken before each loss was measured
    {"training loss (all pairs)": np.array(losses)[::5]},
    ax,
)
ax.axhline(floor, color="grey", ls="--", label="lowest possible loss")
ax.legend()
plt.show()

# %% [markdown]
# ### Words that share contexts end up close
#
# The rows of $W_{\text{in}}$ are the word vectors. Cat and dog never appear in the same
# sentence, but they appear in the same *kinds* of sentence; so do guitar and drums, and
# coffee and tea. The cosine similarities of their vectors:

# %% mystnb={"image": {"alt": "Cosine-similarity grid of cat, dog, guitar, drums, coffee and tea after training: cat\u2013dog, guitar\u2013drums and coffee\u2013tea each score about 1, while cat and dog are negative against guitar and drums."}}
shown_words = ["cat", "dog", "guitar", "drums", "coffee", "tea"]
unit = W_in / np.linalg.norm(W_in, axis=1, keepdims=True)
similarity = unit[vocab.ids(shown_words)] @ unit[vocab.ids(shown_words)].T
fig, ax = plt.subplots(figsize=(4.6, 4.2))
plot_similarity_matrix(
    similarity, shown_words, ax, title="cosine similarity after training"
)
plt.show()


# %%
def nearest_word(word: str) -> tuple[str, float]:
    """The word whose vector is closest to ``word``'s by cosine."""
    scores = unit @ unit[vocab.id(word)]
    scores[vocab.id(word)] = -np.inf
    return vocab.name(int(scores.argmax())), float(scores.max())


partner = {"cat": "dog", "guitar": "drums", "coffee": "tea"}
for word, twin in partner.items():
    nearest, score = nearest_word(word)
    print(f"nearest to {word}: {nearest} ({score:.2f})")
    assert nearest == twin and score > 0.8

# %% [markdown]
# Nothing told the model that cats and dogs are alike: it found out from their company.
# Bands2Vec works the same way with artists: two artists that share genres and score
# buckets get the same contexts, so they get similar vectors.
#
# ### From all pairs to minibatches
#
# Every step above used all the pairs. With millions of pairs (Bands2Vec trains on two
# million), one step over all of them is far too slow. Real training takes a *minibatch*
# at each step, a few pairs in random order, and follows that batch's gradient: a noisy
# estimate of the full one, at a fraction of the cost. The same model, from the same
# start, with batches of 64 pairs for as many passes over the pairs as it takes to make
# the same 500 updates:


# %%
def train_minibatches(batch_size: int, steps: int, seed: int = 0) -> list[float]:
    """Minibatch gradient descent from the same start; the full loss after each step."""
    local = np.random.default_rng(seed)
    w_in, w_out = W_in_start.copy(), W_out_start.copy()
    order, at, full = local.permutation(len(pairs)), 0, []
    for _ in range(steps):
        if at + batch_size > len(order):  # a new pass over the pairs, in a new order
            order, at = local.permutation(len(pairs)), 0
        batch = order[at : at + batch_size]
        at += batch_size
        _, g_in, g_out = loss_and_gradients(
            w_in, w_out, centres[batch], contexts[batch]
        )
        w_in -= LEARNING_RATE * g_in
        w_out -= LEARNING_RATE * g_out
        full.append(loss_and_gradients(w_in, w_out, centres, contexts)[0])
    return full


minibatch_losses = train_minibatches(64, STEPS)
print(
    f"after {STEPS} steps: all pairs {final_loss:.3f}, batches of 64 "
    f"{minibatch_losses[-1]:.3f} (each step uses {64 / len(pairs):.0%} of the pairs)"
)

# %% [markdown]
# Each minibatch step costs a fraction of a full step and gets most of the way. Its loss
# no longer falls at every step: a batch's gradient can point slightly wrong. Lesson 5
# trains Bands2Vec this way, with batches of 4,096 pairs.

# %% tags=["remove-cell"]
assert minibatch_losses[-1] < 0.8 * losses[0]  # it learns
assert np.any(np.diff(minibatch_losses) > 0)  # but not at every step

# %% [markdown]
# ## What the model cannot see: word order
#
# A pair says that two words were near each other, not in which order or how far apart.
# Inside one window, order leaves no trace: "dog bites man" and "man bites dog" give the
# same pairs, and so does any sentence read backwards:

# %%
dog_bites, man_bites = "dog bites man".split(), "man bites dog".split()
print(
    "same pairs:",
    Counter(skipgram_pairs(dog_bites, 2)) == Counter(skipgram_pairs(man_bites, 2)),
)
forward = "i love new york".split()
print(
    "same pairs read backwards:",
    Counter(skipgram_pairs(forward, 2)) == Counter(skipgram_pairs(forward[::-1], 2)),
)

# %% tags=["remove-cell"]
assert Counter(skipgram_pairs(dog_bites, 2)) == Counter(skipgram_pairs(man_bites, 2))
assert Counter(skipgram_pairs(forward, 2)) == Counter(skipgram_pairs(forward[::-1], 2))

# %% [markdown]
# A separate problem, which word order alone would not solve: many phrases mean
# something their words do not. "New York" the city is not "new" plus "york", and the
# "Boston Globe" is a newspaper. The word2vec authors find adjacent word pairs that occur
# together far more often than their separate counts predict,
# $\text{score}(a, b) = \frac{\text{count}(ab) - \delta}{\text{count}(a)\,\text{count}(b)}$,
# and join them into one token before training {cite}`mikolov2013distributed`: `new_york`
# then gets its own vector.

# %%
phrase = ["i", "love", "new_york"]
print(skipgram_pairs(phrase, 2))

# %% [markdown]
# For artists, order never mattered in the first place: an artist's contexts are the
# artists sharing its genres and its score bucket, a set with no order. Skip-gram's blindness to
# order costs Bands2Vec nothing.
#
# ## Self-check

# %%
claims = {
    "the teaching pairs equal skipgram_pairs": (
        all(window_pairs(tokens, w) == skipgram_pairs(tokens, w) for w in range(1, 9))
    ),
    "pairs = 2 * sum(n - k)": (
        all(
            len(skipgram_pairs(tokens, w)) == pair_count(len(tokens), w)
            for w in range(1, 9)
        )
    ),
    "the hand-derived gradient matches finite differences": max(errors.values()) < 1e-6,
    "the loss went down at every step": all(np.diff(losses) < 0),
    "words that share contexts end up nearest": (
        all(nearest_word(w)[0] == t for w, t in partner.items())
    ),
    "word order leaves no trace in the pairs": (
        Counter(skipgram_pairs(dog_bites, 2)) == Counter(skipgram_pairs(man_bites, 2))
    ),
}
for claim, holds in claims.items():
    print(f"{'ok' if holds else 'FAILED'}: {claim}")
assert all(claims.values())

# %% [markdown]
# ## Exercises
#
# :::{exercise} what the model predicts
# :label: skip-gram-what-model-predicts
#
# After training, which words does the model rate as the most probable contexts of "cat"?
# Compare the five most probable contexts with the five most frequent contexts of "cat"
# in the pairs.
# :::

# %% [markdown]
# ```{solution} skip-gram-what-model-predicts
# :label: skip-gram-what-model-predicts-solution
# :class: dropdown
# The softmax row of "cat" gives a probability for every word. The most probable context
# is "the", with the share it has in the pairs, then the words of the animal sentences,
# close to their observed shares. Words never seen next to "cat" get little: the
# model has learned the counts, as far as 5 dimensions allow.
# ```

# %% tags=["solution", "hide-cell"]
cat = vocab.id("cat")
predicted = softmax(W_in[[cat]] @ W_out)[0]
observed = Counter(contexts[centres == cat].tolist())
total = sum(observed.values())
print(
    "model:   ",
    [
        (vocab.name(i), round(float(predicted[i]), 2))
        for i in np.argsort(-predicted)[:5]
    ],
)
print(
    "observed:",
    [(vocab.name(i), round(n / total, 2)) for i, n in observed.most_common(5)],
)
unseen = [i for i in range(V) if i not in observed]
print(
    f"probability the model gives to words never seen next to cat: "
    f"{predicted[unseen].sum():.2f}"
)
the = vocab.id("the")
assert predicted.argmax() == the and abs(predicted[the] - observed[the] / total) < 0.05
assert predicted[unseen].sum() < 0.1

# %% [markdown]
# :::{exercise} a dynamic window
# :label: skip-gram-dynamic-window
#
# word2vec does not always use the full window: for each centre word it draws a window
# size uniformly between 1 and the maximum {cite}`mikolov2013efficient`. With a maximum of
# 5, how often is a word at distance $k$ used as a context, compared with the full
# window? Derive it and check it with a simulation.
# :::

# %% [markdown]
# ```{solution} skip-gram-dynamic-window
# :label: skip-gram-dynamic-window-solution
# :class: dropdown
# A word at distance $k$ is a context when the drawn size is at least $k$, which happens
# with probability $(w - k + 1)/w$: 1 for the nearest words, $1/5$ at distance 5. Near
# words weigh more, as they should.
# ```

# %% tags=["solution", "hide-cell"]
w = 5
drawn = rng.integers(1, w + 1, size=100_000)
simulated = [(drawn >= k).mean() for k in range(1, w + 1)]
derived = [(w - k + 1) / w for k in range(1, w + 1)]
print("distance:  ", list(range(1, w + 1)))
print("derived:   ", [round(x, 2) for x in derived])
print("simulated: ", [round(float(x), 2) for x in simulated])
assert np.allclose(simulated, derived, atol=0.01)

# %% [markdown]
# :::{exercise} the size of the hidden layer
# :label: skip-gram-size-hidden-layer
#
# Train the NumPy model again with $d = 1$ and with $d = 10$ (same steps and learning
# rate). Which one gets closer to the lowest possible loss? With $d = 1$, print each
# word's single number: can the three kinds each get a place of their own?
# :::

# %% [markdown]
# ```{solution} skip-gram-size-hidden-layer
# :label: skip-gram-size-hidden-layer-solution
# :class: dropdown
# Ten dimensions get close to the floor; one dimension stays well above it (the printed
# losses). With $d = 1$ every score is a product of two numbers, $v_c u_o$: each centre
# word can only rank the contexts in one order or in its reverse, so at most two kinds can
# each favour their own contexts, not three. The printed numbers show what the model made
# of it: each kind's two words get nearly the same number, but all six numbers have the
# same sign, and in 1-d the cosine similarity is only $+1$ or $-1$ (the sign). By cosine,
# every word is then as similar to cat as dog is: one number cannot keep three kinds
# apart.
# ```


# %% tags=["solution", "hide-cell"]
def train(dim: int, seed: int = 1) -> tuple[float, np.ndarray]:
    local = np.random.default_rng(seed)
    w_in, w_out = local.normal(0, 0.1, (V, dim)), local.normal(0, 0.1, (dim, V))
    for _ in range(STEPS):
        loss, g_in, g_out = loss_and_gradients(w_in, w_out, centres, contexts)
        w_in -= LEARNING_RATE * g_in
        w_out -= LEARNING_RATE * g_out
    return loss, w_in


trained = {dim: train(dim) for dim in (1, 10)}
final = {dim: loss for dim, (loss, _) in trained.items()}
one_d = trained[1][1][:, 0]
print(
    "d = 1:",
    {
        w: round(float(one_d[vocab.id(w)]), 2)
        for kind in KINDS.values()
        for w in kind[0]
    },
)
print(
    ", ".join(f"d = {dim}: loss {loss:.3f}" for dim, loss in final.items()),
    f"(lowest possible {floor:.3f})",
)
assert final[10] < final[1]

# %% [markdown]
# ## Summary
#
# - Skip-gram learns word vectors through a fake task: predict the words around a word.
#   Only the first layer, the table of word vectors, is kept.
# - A sliding window turns text into (centre, context) pairs; a sentence of $n$ words and
#   window $w < n$ gives $2\sum_{k=1}^{w}(n-k)$ of them.
# - The network is a lookup ($V \times d$) and an output layer ($d \times V$) with a
#   softmax over the whole vocabulary.
# - A NumPy version with a hand-derived gradient, checked against finite differences and
#   TensorFlow, learns: its loss falls towards the entropy of the context given the
#   centre, and words with the
#   same company get similar vectors.
# - Pairs forget word order. Phrases such as "new_york" become tokens of their own; for
#   artists, whose contexts have no order, nothing is lost.
# - The softmax scores every word for every pair. Lesson 3 replaces it with something
#   far cheaper.
