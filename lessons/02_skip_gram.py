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
# Lesson 1 ended with an {term}`embedding` table: one row of numbers per artist, looked up
# by id, its numbers random. How does the table get numbers that put similar artists
# close together? The {term}`skip-gram` model of word2vec {cite}`mikolov2013efficient`
# sets a network a task nobody cares about, predicting the words around a word, and
# keeps what the network had to learn to do it: the table.
#
# ## Learning objectives
#
# After this lesson you can:
#
# - explain the "fake task" of skip-gram, and why it yields useful vectors;
# - make (centre, context) training pairs with a sliding window, and count them;
# - describe the network, a lookup layer and a softmax output layer, with the shape of
#   every array;
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

from bands2vec_lib.data import load_artists
from bands2vec_lib.diagrams import skip_gram_network, sliding_window
from bands2vec_lib.pairs import skipgram_pairs
from bands2vec_lib.plots import plot_loss_curves, plot_similarity_matrix
from bands2vec_lib.vocab import Vocabulary
from bands2vec_lib.widgets import window_control

rng = np.random.default_rng(0)

# %% [markdown]
# ## The fake task
#
# Train a network on this task: given a word, predict the words that appear near it,
# its {term}`context`. Nobody needs the prediction, and the network will never be good at
# it, since a word has many different neighbours. But to do it at all, the network must
# give words that appear in similar company similar internal representations, since
# they must predict similar neighbours. After training, the prediction part is thrown
# away, and the internal representations, the rows of the first layer, are kept as word
# vectors {cite}`mccormick2016skipgram`.
#
# For Bands2Vec the "words" are artists, and an artist's context is the artists that
# share a genre and a score bucket with it, or a record label (lesson 4). Text comes
# first: the idea comes from it.
#
# ## Training pairs from a sliding window
#
# The picture shows one step of making the training data: the word "fox" with the two
# words on each side of it.

# %% tags=["remove-input"] mystnb={"image": {"alt": "The sentence 'the quick brown fox jumps over the lazy dog' as a row of words. The centre word 'fox' is highlighted, and a window of 2 words on each side marks its contexts: quick, brown, jumps, over. They make 4 training pairs: (fox, quick), (fox, brown), (fox, jumps), (fox, over)."}}
sliding_window()

# %% [markdown]
# A {term}`window` slides over the text. At each position, the word in the middle is the
# *centre* (also called the {term}`target`), and every word at most `window` positions
# to its left or right is a context: each (centre, context) pair is one training example.

# %%
sentence = "the quick brown fox jumps over the lazy dog"
tokens = sentence.split()
print(len(tokens), "tokens:", *tokens)

# %% [markdown]
# Written out, that is a double loop. The library's `skipgram_pairs` does the same and is
# used from here on.


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


print([pair for pair in window_pairs(tokens, 2) if pair[0] == "fox"])

# %% tags=["remove-cell"]
for window in range(1, len(tokens) + 3):
    assert window_pairs(tokens, window) == skipgram_pairs(tokens, window)
assert [p for p in window_pairs(tokens, 2) if p[0] == "fox"] == [
    ("fox", "quick"),
    ("fox", "brown"),
    ("fox", "jumps"),
    ("fox", "over"),
]  # the picture's four pairs

# %% [markdown]
# How many pairs? Each distance $k$ from 1 to the window gives $n - k$ pairs in each
# direction, so a sentence of $n$ words with window $w < n$ gives
# $2 \sum_{k=1}^{w} (n - k)$ pairs:


# %%
def pair_count(n: int, window: int) -> int:
    return 2 * sum(n - k for k in range(1, min(window, n - 1) + 1))


for w in range(1, 5):
    n_pairs = len(skipgram_pairs(tokens, w))
    print(f"window {w}: {n_pairs} pairs; formula: {pair_count(len(tokens), w)}")

# %% tags=["remove-cell"]
assert all(
    len(skipgram_pairs(tokens, w)) == pair_count(len(tokens), w) for w in range(1, 12)
)

# %% [markdown]
# ### Try it: the window size
#
# Slide the window along the sentence with the first slider and widen it with the second:
# the picture marks the centre word and its window, and lists the pairs that centre
# makes; below it, how many pairs the whole sentence makes with that window.

# %%
control = window_control(tokens, max_window=4, centre=3)
display(control)

# %%
shown = control.callback(centre=3, window=3)
print(f"window {shown['window']}: {shown['n_pairs']} pairs in the whole sentence")
print(f"centre {tokens[shown['centre']]!r}: {len(shown['pairs'])} of them")

# %% tags=["remove-cell"]
assert shown["n_pairs"] == pair_count(len(tokens), 3) == 42
assert shown["pairs"] == [p for p in window_pairs(tokens, 3) if p[0] == "fox"]

# %% [markdown]
# A word that occurs twice, like "the", is a centre twice. With a window of 4, both of
# its windows hold "brown", "fox" and "jumps", so those pairs occur twice: pairs of
# frequent words weigh more in training. (word2vec counters this by randomly dropping
# occurrences of frequent words before making pairs, *subsampling*
# {cite}`mikolov2013distributed`.)

# %%
counts = Counter(skipgram_pairs(tokens, 4))
twice = sorted(pair for pair, count in counts.items() if count == 2)
print("twice:", *twice[3:], "and the same reversed")

# %% tags=["remove-cell"]
assert twice[:3] == [(b, a) for a, b in twice[3:]]
assert set(twice) == {
    (a, b) for w in ("brown", "fox", "jumps") for a, b in [("the", w), (w, "the")]
}

# %% [markdown]
# ## The network
#
# The network reads one centre word and gives a probability to every word of the
# {term}`vocabulary` (the $V$ distinct words, each with an id) of being its context:

# %% tags=["remove-input"] mystnb={"image": {"alt": "The skip-gram network, top to bottom: a one-hot input of length V picks one row of the V \u00d7 d embedding table, the target's d-number hidden vector; the d \u00d7 V output layer turns it into V scores, one per word, and a softmax turns the scores into the probability of each word being a context of the target."}}
skip_gram_network()

# %% [markdown]
# It has two layers and nothing else:
#
# 1. **The hidden layer**: a $V \times d$ matrix $W$ (`W_in` in the code). The centre
#    word's {term}`one-hot vector` times $W$ is a row of it (lesson 1): the centre's
#    vector, $h$ in the picture and $v_c$ below, of $d$ numbers. No bias, no activation
#    function.
# 2. **The output layer**: a $d \times V$ matrix $W'$ (`W_out`), one column $u_o$ per
#    possible context $o$. The scores $v_c^\top W'$, one per word, go through a
#    {term}`softmax`, which turns them into probabilities that sum to 1:
#
# $$ p(o \mid c) = \frac{\exp(u_o^\top v_c)}{\sum_{w=1}^{V} \exp(u_w^\top v_c)}. $$
#
# Training makes the {term}`loss` small: $-\log p(o \mid c)$, averaged over the pairs. It
# is 0 only if the model gives probability 1 to the true context. Here is one forward
# pass (from the input to the probabilities) on the sentence, with $d = 3$, and the
# shape of each step:

# %%
sentence_vocab = Vocabulary(Counter(tokens).keys(), Counter(tokens).values())
V_s, d_s = len(sentence_vocab), 3
W_in_s = rng.normal(0, 0.1, (V_s, d_s))
W_out_s = rng.normal(0, 0.1, (d_s, V_s))

x = sentence_vocab.one_hot(["fox"])  # the centre word
v = x @ W_in_s  # the hidden layer: a row lookup
scores = v @ W_out_s  # one score per word of the vocabulary
p = np.exp(scores) / np.exp(scores).sum()  # the softmax
print(f"W_in {W_in_s.shape}, W_out {W_out_s.shape}")
print(f"x {x.shape} -> v = x W_in {v.shape} -> scores = v W_out {scores.shape}")
print(f"p {p.shape}, sums to {p.sum():.3f}")
print(f"p(jumps | fox) = {p[0, sentence_vocab.id('jumps')]:.3f}, about 1/{V_s}")

# %% [markdown]
# Before training, every word gets about the same probability. For Bands2Vec's artists,
# with the course's 64 dimensions, the two tables are far bigger:

# %%
V_artists = len(load_artists())
print(f"{V_artists:,} artists x 64 = {V_artists * 64:,} numbers in each table")

# %% tags=["remove-cell"]
assert V_artists == 8713

# %% [markdown]
# Every training pair then asks for a score for *every* artist, 8,713 of them, to
# normalise one probability. That cost is the subject of lesson 3.
#
# ## A skip-gram in NumPy
#
# To watch the model learn, take a small corpus where some words share their contexts.
# Three kinds of sentence: about animals (cat, dog), instruments (guitar, drums) and
# drinks (coffee, tea). Within a kind, the two words fill the same slot of the same
# sentence templates, so they have exactly the same contexts (but never appear
# together); "the" and "now" appear across kinds.

# %%
KINDS = {
    "animals": (
        ["cat", "dog"],
        ["the {} sleeps on the sofa", "feed the {} now",
         "the {} eats its food"],
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
    template = templates[rng.integers(len(templates))]
    corpus.append(template.format(words[rng.integers(len(words))]).split())
examples = " / ".join(" ".join(s) for s in corpus[:2])
print(len(corpus), "sentences, e.g.", examples)

# %% [markdown]
# The vocabulary is sorted by frequency, and the pairs come from a window of 2 inside
# each sentence (a window never crosses into the next sentence):

# %%
word_counts = Counter(word for s in corpus for word in s)
vocab = Vocabulary(word_counts.keys(), word_counts.values())
pairs = np.array(
    [vocab.ids(pair) for s in corpus for pair in skipgram_pairs(s, 2)]
)
centres, contexts = pairs[:, 0], pairs[:, 1]
V, d = len(vocab), 5
print(f"V = {V} words, {len(pairs):,} pairs, d = {d}")
print("most frequent:", *vocab.names[:5])

# %% [markdown]
# Training needs the {term}`gradient` of the loss: for every weight, how fast the loss
# changes with it. The forward pass is the one above, for all pairs at once. For one
# pair the loss is $-\log p_o = -s_o + \log\sum_j e^{s_j}$, so its derivative with
# respect to a score $s_j$ is $p_j - y_j$, with $y$ the one-hot vector of the true
# context: for $p = (0.2, 0.5, 0.3)$ and the second word true, $(0.2, -0.5, 0.3)$; a
# step against it raises the true word's score and lowers the others. Over $n$ pairs the
# mean loss's is $(p - y)/n$. The chain rule carries it back to both matrices; the lookup sends each
# pair's share to its centre word's row only.


# %%
def softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))  # no overflow
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
    np.add.at(d_in, centres, d_scores @ W_out.T)  # each pair: its centre's row
    return loss, d_in, d_out


W_in = rng.normal(0, 0.1, (V, d))
W_out = rng.normal(0, 0.1, (d, V))
W_in_start, W_out_start = W_in.copy(), W_out.copy()  # to start again from here
loss, d_in, d_out = loss_and_gradients(W_in, W_out, centres, contexts)
print(f"loss {loss:.4f}; log V = {np.log(V):.4f}, the loss of uniform guesses")

# %% [markdown]
# ### Checking the gradient
#
# A gradient derived by hand is easy to get wrong. A {term}`gradient check` catches the
# mistakes: nudge one weight by $\pm\varepsilon$ and compare the change of the loss with
# the gradient,
#
# $$ \frac{\partial L}{\partial w} \approx \frac{L(w + \varepsilon) - L(w - \varepsilon)}{2\varepsilon}. $$
#
# The matrices are small enough ($2Vd = 270$ weights) to check every weight.


# %%
def numerical_gradient(W, eps=1e-6):
    """Central differences of the loss, one weight of W at a time."""
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


num_in, num_out = numerical_gradient(W_in), numerical_gradient(W_out)
cat = vocab.id("cat")
print("weight           by hand  finite differences")
for name, hand, numerical, index in [
    ("W_in", d_in, num_in, (cat, 0)),
    ("W_in", d_in, num_in, (cat, 1)),
    ("W_out", d_out, num_out, (0, cat)),
]:
    label = f"{name}[{index[0]}, {index[1]}]"
    print(f"{label:<12} {hand[index]:11.8f} {numerical[index]:19.8f}")
gap = max(np.abs(d_in - num_in).max(), np.abs(d_out - num_out).max())
bound = 10 ** np.ceil(np.log10(gap))  # the next power of ten
print(f"largest difference over all {2 * V * d} weights: below {bound:.0e}")

# %% tags=["remove-cell"]
assert 2 * V * d == 270
assert gap < 1e-9  # what the cell prints
largest = max(np.abs(d_in).max(), np.abs(d_out).max())
assert 1e-3 < largest < 1e-2 and gap / largest < 1e-6  # six digits or more

# %% [markdown]
# The gradients are of order $10^{-3}$, so the two agree to six significant digits or
# more: the derivation is right. A forgotten $1/n$ or a wrong sign would show at once.
#
# ### Training
#
# Plain gradient descent on all pairs at once: 500 steps, each moving every weight
# against its gradient, times a {term}`learning rate` of 2. No model reaches a loss of
# 0, since many different words appear near "the". The lowest possible loss is that of
# the observed frequencies $\hat p$ of each context given each centre word,
# $-\frac{1}{n}\sum_{\text{pairs}} \log \hat p(o \mid c)$; the loss should approach it
# from above.

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
    f"{final_loss:.3f} after {STEPS}"
)
print(f"lowest possible: {floor:.3f}")

# %% tags=["remove-cell"]
assert losses[-1] < 0.7 * losses[0]
assert np.all(np.diff(losses) < 0)  # down at every step
assert floor < final_loss < floor + 0.05  # above the floor, and close to it

# %% [markdown]
# The loss at every fifth step, and the floor:

# %% tags=["hide-input"] mystnb={"image": {"alt": "Line chart of training loss against step (0 to 500): the loss starts near 3.3, falls steeply over the first 100 steps, then flattens and ends just above the dashed line of the lowest possible loss."}}
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
# The rows of $W$ are the word vectors. Cat and dog never appear in the same sentence,
# but they appear in the same *kinds* of sentence; so do guitar and drums, and coffee
# and tea. The grid shows the {term}`cosine similarity` (lesson 1) of each two of the six
# words' vectors, from 1 (same direction) to −1 (opposite):

# %% tags=["hide-input"] mystnb={"image": {"alt": "Cosine-similarity grid of cat, dog, guitar, drums, coffee and tea after training: cat\u2013dog, guitar\u2013drums and coffee\u2013tea each score about 1, while cat and dog are negative against guitar and drums."}}
shown_words = ["cat", "dog", "guitar", "drums", "coffee", "tea"]
unit = W_in / np.linalg.norm(W_in, axis=1, keepdims=True)
similarity = unit[vocab.ids(shown_words)] @ unit[vocab.ids(shown_words)].T
fig, ax = plt.subplots(figsize=(4.6, 4.2))
plot_similarity_matrix(
    similarity, shown_words, ax, title="cosine similarity after training"
)
plt.show()

# %% tags=["remove-cell"]
ids = {w: vocab.id(w) for w in shown_words}
for a, b in [("cat", "dog"), ("guitar", "drums"), ("coffee", "tea")]:
    assert unit[ids[a]] @ unit[ids[b]] > 0.95
for a in ("cat", "dog"):  # the alt text: cat and dog against guitar and drums
    assert all(unit[ids[a]] @ unit[ids[b]] < 0 for b in ("guitar", "drums"))

# %%
# unit: the rows of W scaled to length 1 (made in the figure's cell above)
partner = {"cat": "dog", "guitar": "drums", "coffee": "tea"}
for word in partner:
    scores = unit @ unit[vocab.id(word)]
    scores[vocab.id(word)] = -np.inf  # not the word itself
    nearest = vocab.name(int(scores.argmax()))
    print(f"nearest to {word}: {nearest} ({scores.max():.2f})")

# %% tags=["remove-cell"]
for word, twin in partner.items():
    scores = unit @ unit[vocab.id(word)]
    scores[vocab.id(word)] = -np.inf
    assert vocab.name(int(scores.argmax())) == twin and scores.max() > 0.8

# %% [markdown]
# Nothing told the model that cats and dogs are alike: it found out from their company.
# Bands2Vec works the same way: artists that share genres, score buckets and labels get
# the same contexts, so they get similar vectors.
#
# ### From all pairs to minibatches
#
# Every step above used all 3,356 pairs; with millions of pairs, that is far too slow.
# Real training takes a small {term}`batch` of pairs at random at each step and follows
# its gradient: a noisy estimate of the full one, at a fraction of the cost. The same
# model, from the same start, with batches of 64 pairs:

# %%
w_in, w_out = W_in_start.copy(), W_out_start.copy()
mini_losses = []  # the loss over all pairs after each step
for _ in range(STEPS):
    batch = pairs[rng.integers(len(pairs), size=64)]
    _, g_in, g_out = loss_and_gradients(w_in, w_out, batch[:, 0], batch[:, 1])
    w_in -= LEARNING_RATE * g_in
    w_out -= LEARNING_RATE * g_out
    mini_losses.append(loss_and_gradients(w_in, w_out, centres, contexts)[0])
same_work = STEPS * 64 / len(pairs)  # full steps that look at as many pairs
print(
    f"batches of 64, {STEPS} steps: loss {mini_losses[-1]:.3f}, "
    f"with the pairs of {same_work:.1f} full steps"
)
print(f"all pairs, 10 steps: loss {losses[10]:.3f}; {STEPS} steps: {final_loss:.3f}")

# %% tags=["remove-cell"]
assert len(pairs) == 3356
assert mini_losses[-1] < 0.8 * losses[0]  # it learns
assert same_work < 10 and mini_losses[-1] < losses[10] - 1  # ten full steps
assert losses[0] - mini_losses[-1] > 0.8 * (losses[0] - final_loss)  # most of it
assert losses[0] - losses[10] < 0.05 * (losses[0] - final_loss)  # hardly started
assert np.any(np.diff(mini_losses) > 0)  # but not at every step

# %% [markdown]
# With the pairs of fewer than ten full steps, the batches went most of the way that 500
# full steps go; ten full steps hardly start. But their loss no longer falls at every
# step: a batch's gradient can point slightly wrong. Lesson 5 trains Bands2Vec this way.
#
# ## What the model cannot see: word order
#
# A pair says that two words were near each other, not in which order or how far apart.
# Inside one window, order leaves no trace: "dog bites man" and "man bites dog" give the
# same pairs, and so does any sentence read backwards:

# %%
def pairs_of(text: str) -> Counter:
    """How often each (centre, context) pair occurs in ``text``, window 2."""
    return Counter(skipgram_pairs(text.split(), 2))


print("same pairs:", pairs_of("dog bites man") == pairs_of("man bites dog"))
print("backwards:", pairs_of("i love new york") == pairs_of("york new love i"))

# %% tags=["remove-cell"]
assert pairs_of("dog bites man") == pairs_of("man bites dog")
assert pairs_of("i love new york") == pairs_of("york new love i")
assert pairs_of("the cat ate the dog") != pairs_of("the cat the ate dog")  # not always

# %% [markdown]
# A separate problem, which word order alone would not solve: some phrases mean
# something their words do not. "New York" the city is not "new" plus "york", and the
# "Boston Globe" is a newspaper. The word2vec authors find adjacent word pairs that occur
# together far more often than their separate counts predict,
# $\text{score}(a, b) = \frac{\text{count}(ab) - \delta}{\text{count}(a)\,\text{count}(b)}$
# (the discount $\delta$ keeps pairs of very rare words out), and join them into one
# token before training {cite}`mikolov2013distributed`: `new_york` then gets its own
# vector.

# %%
phrase = ["i", "love", "new_york"]
print([pair for pair in skipgram_pairs(phrase, 2) if pair[0] == "new_york"])

# %% [markdown]
# For artists, order never mattered in the first place: an artist's context is the set
# of artists it shares a genre and score bucket or a label with, and a set has no order.
# Skip-gram's blindness to order costs Bands2Vec nothing.
#
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
# is "the", with about the share it has in the pairs, then the words of the animal
# sentences, close to their observed shares. Words never seen next to "cat" get little:
# the model has learned the counts, as far as 5 dimensions allow.
# ```

# %% tags=["solution", "hide-cell"]
predicted = softmax(W_in[[cat]] @ W_out)[0]
observed = Counter(contexts[centres == cat].tolist())
total = sum(observed.values())
order, common = np.argsort(-predicted)[:5], observed.most_common(5)
model_top = [f"{vocab.name(i)} {predicted[i]:.2f}" for i in order]
seen_top = [f"{vocab.name(i)} {n / total:.2f}" for i, n in common]
print("model:   ", ", ".join(model_top))
print("observed:", ", ".join(seen_top))
unseen = [i for i in range(V) if i not in observed]
print(f"given to words never seen next to cat: {predicted[unseen].sum():.2f}")

# %% tags=["solution", "remove-cell"]
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

# %% tags=["solution", "remove-cell"]
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
# guitar and coffee are then as similar to cat as dog is: one number cannot keep three
# kinds apart.
# ```


# %% tags=["solution", "hide-cell"]
def train(dim: int) -> tuple[float, np.ndarray]:
    w_in, w_out = rng.normal(0, 0.1, (V, dim)), rng.normal(0, 0.1, (dim, V))
    for _ in range(STEPS):
        loss, g_in, g_out = loss_and_gradients(w_in, w_out, centres, contexts)
        w_in -= LEARNING_RATE * g_in
        w_out -= LEARNING_RATE * g_out
    return loss, w_in


trained = {dim: train(dim) for dim in (1, 10)}
one_d = trained[1][1][:, 0]
print("d = 1:", ", ".join(f"{w} {one_d[vocab.id(w)]:.2f}" for w in shown_words))
for dim, (loss, _) in trained.items():
    print(f"d = {dim}: loss {loss:.3f}")
print(f"lowest possible: {floor:.3f}")

# %% tags=["solution", "remove-cell"]
assert trained[10][0] < floor + 0.02 < trained[1][0] - 0.5
signs = np.sign(one_d[vocab.ids(shown_words)])
assert np.all(signs == signs[0])  # all six the same sign
for a, b in [("cat", "dog"), ("guitar", "drums"), ("coffee", "tea")]:
    assert abs(one_d[vocab.id(a)] - one_d[vocab.id(b)]) < 0.05

# %% [markdown]
# ## Summary
#
# - Skip-gram learns word vectors through a fake task, predicting the words around a
#   word, and keeps only the first layer: the table of word vectors.
# - A sliding window turns text into (centre, context) pairs, $2\sum_{k=1}^{w}(n-k)$ of
#   them for $n$ words and a window $w < n$.
# - The network is a lookup ($V \times d$) and an output layer ($d \times V$) with a
#   softmax over the whole vocabulary.
# - A NumPy version, its gradient checked against finite differences, learns: its loss
#   falls towards the lowest possible, and words with the same company get similar
#   vectors. Minibatches make each step far cheaper, and noisier.
# - Pairs forget word order. Phrases such as "new_york" become tokens of their own; for
#   artists, whose contexts have no order, nothing is lost.
# - The softmax scores every word for every pair. Lesson 3 replaces it with something
#   far cheaper.
