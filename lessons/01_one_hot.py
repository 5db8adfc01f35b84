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
# # Lesson 1: One-hot vectors
#
# A neural network computes with numbers, so before it can learn anything about artists,
# each artist has to become a vector. This lesson starts with the simplest encoding there
# is, the one-hot vector, finds out what it cannot do, and ends with the observation that
# turns it into an *embedding*: multiplying a one-hot vector by a matrix just picks a row.
#
# The whole course treats music artists the way word2vec {cite}`mikolov2013efficient`
# treats words, following Patrick Ferris's article, on which this course is built
# {cite}`ferris2018rockbands`.
#
# ## Learning objectives
#
# After this lesson you can:
#
# - build a vocabulary that gives every artist an id, the most reviewed artist first;
# - encode artists as one-hot vectors, and work out how much memory a one-hot matrix of
#   the whole vocabulary would take;
# - explain why any two different one-hot vectors are exactly as unlike as any other two
#   (their cosine similarity is 0);
# - show that a one-hot vector times a weight matrix selects one row of it, so that an
#   embedding layer is a lookup table, in NumPy and in TensorFlow.

# %% [markdown]
# ## Setup
#
# Every lesson seeds its random numbers at the start (a few functions take seeds of their
# own), so that it shows the same numbers and figures on every run. TensorFlow comes
# through `quiet_tensorflow()`, which keeps its start-up logs out of the notebook.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.data import load_artists
from bands2vec_lib.plots import plot_scaling, plot_similarity_matrix
from bands2vec_lib.similarity import cosine_similarity, genre_matrix
from bands2vec_lib.vocab import Vocabulary
from bands2vec_lib.widgets import one_hot_control

tf = quiet_tensorflow()
rng = np.random.default_rng(0)
tf.random.set_seed(0)

# %% [markdown]
# ## Artists as words
#
# The lessons run on an embedded sample that has the shape of the Pitchfork review data
# (lesson 4 shows how to use the real data). `load_artists()` returns one row per artist:
# its genres, how many reviews it has, and its mean review score. The rows come most
# reviewed first.

# %%
artists = load_artists()
print(f"{len(artists):,} artists")
preview = artists.head(6)[["genres", "n_reviews", "mean_score"]].copy()
preview["genres"] = preview["genres"].map(lambda genres: ", ".join(sorted(genres)))
preview.round(2)

# %% [markdown]
# ## A vocabulary: one id per artist
#
# A vocabulary is a list of names and the id of each, its position in the list. The
# library's `Vocabulary` sorts the names by number of reviews, so that id 0 is the most
# reviewed artist and the ids do not depend on the order of the rows. (Lesson 3 shows why
# TensorFlow's default noise sampler cares about the order of the ids, and lesson 4 why
# for artists no order satisfies it.) Here the vocabulary follows the table's rows
# exactly.

# %%
vocab = Vocabulary.from_artists(artists)
V = len(vocab)
print("vocabulary size V =", V)
print("ids 0-2:", vocab.names[:3])
print(
    "id of 'coil':",
    vocab.id("coil"),
    "-> name of that id:",
    vocab.name(vocab.id("coil")),
)

# %% tags=["remove-cell"]
assert list(vocab.names) == list(artists.index)  # id i is row i of the table
assert all(
    vocab.name(vocab.id(name)) == name
    for name in ["coil", "black lips", "guided by voices"]
)

# %% [markdown]
# ## One-hot vectors
#
# The one-hot vector of the artist with id $i$ has $V$ entries, all 0 except entry $i$,
# which is 1. It needs no learning and no knowledge of the artists: it is just the id,
# spelled out as a vector. Written in a few lines of NumPy:


# %%
def one_hot(i: int, size: int) -> np.ndarray:
    """A vector of ``size`` zeros with a 1 at position ``i``."""
    x = np.zeros(size, dtype=np.float32)
    x[i] = 1.0
    return x


coil = one_hot(vocab.id("coil"), V)
print("shape", coil.shape, "| sum", coil.sum(), "| the 1 is at", np.flatnonzero(coil))

# %% [markdown]
# The library's `Vocabulary.one_hot` does the same for a list of artists (names or ids),
# one row each. The two agree:

# %%
three = vocab.one_hot(["coil", "black lips", "guided by voices"])
print("shape", three.shape, "| the 1 of each row is at", three.argmax(axis=1))

# %% tags=["remove-cell"]
assert np.array_equal(three[0], coil)
assert np.array_equal(three.sum(axis=1), np.ones(3))

# %% [markdown]
# ## What one-hot vectors cost
#
# A one-hot vector holds $V - 1$ zeros for a single 1. Stacking the one-hot vectors of
# the whole vocabulary gives the $V \times V$ identity matrix; in 32-bit floats (4 bytes
# each) that is $4V^2$ bytes. A table of 64 numbers per artist, the size of the vectors
# this course learns, takes $4 \cdot 64 \cdot V$ bytes.

# %%
FLOAT32_BYTES = np.dtype(np.float32).itemsize
DIM = 64
one_hot_bytes = V * V * FLOAT32_BYTES
table_bytes = V * DIM * FLOAT32_BYTES
print(
    f"one-hot matrix, {V:,} x {V:,}: {one_hot_bytes / 1e6:,.1f} MB, of which "
    f"{V / V**2:.3%} is not zero"
)
print(
    f"embedding table, {V:,} x {DIM}: {table_bytes / 1e6:,.2f} MB "
    f"({one_hot_bytes // table_bytes}x smaller)"
)

# %% [markdown]
# The formula is what NumPy allocates (checked on a smaller identity matrix, to spare the
# memory):

# %% tags=["remove-cell"]
assert np.eye(1000, dtype=np.float32).nbytes == 1000 * 1000 * FLOAT32_BYTES
assert one_hot_bytes // table_bytes == V // DIM

# %% [markdown]
# The gap grows with the vocabulary: the one-hot matrix grows as $V^2$, the table as $V$.
# For the 3 million words and phrases of the Google News vectors released with word2vec
# {cite}`word2vec2013project` the one-hot matrix would take 36 terabytes.

# %% mystnb={"image": {"alt": "Line chart, log scale, of memory in bytes against vocabulary size V from 1k to 3M: the one-hot matrix (V \u00d7 V) climbs far more steeply than the embedding table (V \u00d7 64), the gap widening with V; a dashed line marks this sample's V."}}
sizes = np.array([1_000, 10_000, 100_000, 1_000_000, 3_000_000])
fig, ax = plt.subplots(figsize=(7, 3.5))
plot_scaling(
    sizes,
    {
        "one-hot matrix (V x V)": 4.0 * sizes**2,
        "embedding table (V x 64)": 4.0 * sizes * DIM,
    },
    ax,
    xlabel="vocabulary size V",
    ylabel="bytes (float32)",
    logy=True,
    highlight=V,
)
ax.set_title(f"memory against vocabulary size (dashed: this sample, V = {V:,})")
plt.show()

# %% [markdown]
# ## Every pair of one-hot vectors is equally unlike
#
# The usual measure of how alike two vectors are is the cosine of the angle between them:
#
# $$\cos(a, b) = \frac{a \cdot b}{\lVert a \rVert \, \lVert b \rVert}.$$
#
# It is 1 for vectors pointing the same way and 0 for perpendicular ones. Two one-hot
# vectors of different artists have their 1 in different places, so every product in the
# dot product $a \cdot b$ has a 0 in it: the cosine is 0, for *any* two artists, whatever
# their music. Coil is as far from Elder Ones as from Guided By Voices.

# %%
# The five artists of the article, and the most reviewed other artist that has a genre.
names = ["coil", "elder ones", "black lips", "crookers", "guided by voices"]
names.append(
    next(
        name
        for name in vocab.names
        if artists.loc[name, "genres"] and name not in names
    )
)
vectors = vocab.one_hot(names)
unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
one_hot_cosines = unit @ unit.T
print(one_hot_cosines.astype(int))

# %% [markdown]
# The cosine matrix is the identity: 1 for an artist with itself, 0 for everything else.
# The same holds for a thousand random pairs of distinct artists, and so does a second
# fact: the distance between any two is $\sqrt{2}$.

# %%
assert np.array_equal(one_hot_cosines, np.eye(len(names)))
pairs = rng.choice(V, size=(1000, 2))
pairs = pairs[pairs[:, 0] != pairs[:, 1]]
a, b = vocab.one_hot(pairs[:, 0]), vocab.one_hot(pairs[:, 1])
cosines = [cosine_similarity(x, y) for x, y in zip(a, b, strict=True)]
distances = np.linalg.norm(a - b, axis=1)
print(
    f"{len(pairs)} random pairs: cosines from {min(cosines)} to {max(cosines)}, "
    f"distances from {distances.min():.4f} to {distances.max():.4f} (sqrt 2 = "
    f"{np.sqrt(2):.4f})"
)

# %% tags=["remove-cell"]
assert set(cosines) == {0.0}
assert np.allclose(distances, np.sqrt(2))

# %% [markdown]
# Compare a vector that knows something about the artists: its genres, as a "multi-hot"
# vector with one entry per genre. Two artists that share genres now point in similar
# directions. That is the kind of vector this course wants, except that it will be
# *learned* from which artists appear together, not written by hand.

# %%
all_genres = genre_matrix(artists).astype(np.float32)  # rows in vocabulary order
genre_vectors = all_genres[vocab.ids(names)]
genre_unit = genre_vectors / np.linalg.norm(genre_vectors, axis=1, keepdims=True)
genre_cosines = genre_unit @ genre_unit.T
print(np.round(genre_cosines, 2))

# %% tags=["remove-cell"]
assert genre_cosines[0, 1] > 0  # coil and elder ones share experimental
assert genre_cosines[0, 2] > 0  # coil and black lips share rock
assert genre_cosines[1, 2] == 0  # elder ones and black lips share nothing
assert len(np.unique(np.round(genre_cosines[np.triu_indices(len(names), 1)], 6))) > 2

# %% [markdown]
# ## Try it: two artists side by side
#
# Pick two artists. The control draws their one-hot vectors (a line of zeros with a single
# spike) and their genre vectors, with the cosine of each pair. However you choose, the
# one-hot cosine stays 0 unless you pick the same artist twice; the genre cosine depends
# on the music. The *example* menu works in the book too: its pairs are drawn in
# advance. The two artist menus pick any pair, which needs a running notebook (the
# rocket button at the top of the page opens it on Binder).

# %%
examples = [("coil", other) for other in names] + [("elder ones", "black lips")]
control = one_hot_control(artists, choices=names, examples=examples)
display(control)

# %% [markdown]
# The control's callback is an ordinary function: called directly, it returns what it
# shows.

# %%
shown = control.callback("coil", "black lips")
print(
    f"{shown['a']} (id {shown['ids'][0]}) and {shown['b']} (id {shown['ids'][1]}): "
    f"one-hot cosine {shown['one_hot_cosine']:.2f}, genre cosine "
    f"{shown['genre_cosine']:.2f}, "
    f"shared genres: {', '.join(shown['shared_genres'])}"
)

# %% tags=["remove-cell"]
assert shown["one_hot_cosine"] == 0.0
assert np.isclose(shown["genre_cosine"], genre_cosines[0, 2])

# %% [markdown]
# The control shows one pair at a time; the two matrices below show every pair of the
# six at once, to compare.

# %% mystnb={"image": {"alt": "Two cosine-similarity grids of the same six artists. One-hot vectors: 1 on the diagonal, 0 for every other pair. Genre vectors: pairs that share a genre get values above 0, up to 1 for the same genres; pairs sharing none stay 0."}}
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.4), layout="constrained")
plot_similarity_matrix(
    one_hot_cosines, names, left, title="one-hot vectors: all pairs 0"
)
plot_similarity_matrix(
    genre_cosines, names, right, title="genre vectors: shared genres show"
)
plt.show()

# %% [markdown]
# ## One-hot times a matrix selects a row
#
# Now give every artist a row of $d$ numbers in a matrix $W$ of shape $V \times d$. The
# product of a one-hot row vector $x$ (the artist with id $i$) and $W$ is
#
# $$ (x W)_j = \sum_{k=0}^{V-1} x_k W_{kj} = W_{ij}, $$
#
# because only $x_i$ is not zero. Multiplying by a one-hot vector *selects row $i$* of
# $W$. Here with $d = 4$ random numbers per artist:

# %%
d = 4
W = rng.normal(size=(V, d)).astype(np.float32)
x = vocab.one_hot(["coil"])
product = x @ W
row = W[vocab.id("coil")]
print("x", x.shape, "@ W", W.shape, "->", product.shape)
print("x @ W          ", np.round(product[0], 3))
print("W[id of coil]  ", np.round(row, 3))

# %%
assert np.array_equal(product[0], row)
print(f"the product does {V * d:,} multiplications to copy {d} numbers")

# %% [markdown]
# The same holds for a whole batch of ids at once (repeats allowed): the one-hot matrix of
# the batch times $W$ is $W$ indexed by the ids.

# %%
batch = vocab.ids(["coil", "black lips", "coil", "guided by voices"])
by_product = vocab.one_hot(batch) @ W
by_lookup = W[batch]
print("batch ids", batch, "->", by_product.shape)

# %% tags=["remove-cell"]
assert np.array_equal(by_product, by_lookup)

# %% [markdown]
# So a network whose first layer multiplies one-hot inputs by a weight matrix never needs
# the one-hot vectors at all: it can look up rows by id. That is what an *embedding layer*
# is, and what TensorFlow provides as `tf.nn.embedding_lookup` and as Keras's `Embedding`
# layer. Given the same matrix, both return exactly the rows above, and a Keras `Dense`
# layer without bias fed the one-hot vectors returns the same rows (to float precision),
# the slow way.

# %%
import keras  # Keras 3: the layers library TensorFlow uses as tf.keras

tf_rows = tf.nn.embedding_lookup(W, batch)

embedding = keras.layers.Embedding(input_dim=V, output_dim=d)
embedding.build((None,))
embedding.set_weights([W])
keras_rows = embedding(batch)

dense = keras.layers.Dense(d, use_bias=False)
dense.build((None, V))
dense.set_weights([W])
dense_rows = dense(vocab.one_hot(batch))

print(
    "tf.nn.embedding_lookup:",
    tuple(tf_rows.shape),
    "| keras Embedding:",
    tuple(keras_rows.shape),
    "| keras Dense on one-hot:",
    tuple(dense_rows.shape),
)
print("Embedding weights:", tuple(embedding.embeddings.shape), "= V x d")

# %% tags=["remove-cell"]
assert np.array_equal(tf_rows.numpy(), by_lookup)
assert np.array_equal(keras.ops.convert_to_numpy(keras_rows), by_lookup)
assert np.allclose(keras.ops.convert_to_numpy(dense_rows), by_lookup)

# %% [markdown]
# The rows of $W$ are random here, so they mean nothing yet. Training, in the next
# lessons, moves them until artists that appear in the same contexts get similar rows:
# the rows become the artist vectors, and $W$ is the embedding.

# %% [markdown]
# ## Self-check
#
# The claims of this lesson, checked once more in one place:

# %%
claims = {
    "each one-hot vector has a single 1": (
        np.array_equal(vocab.one_hot(names).sum(axis=1), np.ones(len(names)))
    ),
    "distinct one-hot vectors have cosine 0": set(cosines) == {0.0},
    "a one-hot V x V matrix takes 4 V^2 bytes": one_hot_bytes == 4 * V**2,
    "one-hot @ W == W[ids]": np.array_equal(vocab.one_hot(batch) @ W, W[batch]),
    "tf.nn.embedding_lookup == W[ids]": np.array_equal(tf_rows.numpy(), W[batch]),
    "keras Embedding == W[ids]": (
        np.array_equal(keras.ops.convert_to_numpy(keras_rows), W[batch])
    ),
}
for claim, holds in claims.items():
    print(f"{'ok' if holds else 'FAILED'}: {claim}")
assert all(claims.values())

# %% [markdown]
# ## Exercises
#
# :::{exercise} a vocabulary of words
# :label: one-hot-vocabulary-words
#
# The Google News word2vec vectors cover 3 million words and phrases with 300 numbers
# each {cite}`word2vec2013project`. In 32-bit floats, how much memory does one one-hot
# vector take, a batch of 1,024 of them, and the embedding table? How many batches of
# one-hot vectors fit in the memory of the table?
# :::

# %% [markdown]
# ```{solution} one-hot-vocabulary-words
# :label: one-hot-vocabulary-words-solution
# :class: dropdown
# One one-hot vector is $4 \times 3{,}000{,}000$ bytes, 12 MB; a batch of 1,024 is 12.3 GB,
# about 3.4 times the table ($3{,}000{,}000 \times 300 \times 4$ bytes, 3.6 GB): the
# table's memory holds 300 one-hot vectors, not even one batch. A lookup reads 1,024 rows of 300 numbers: 1.2 MB.
# ```

# %% tags=["solution", "hide-cell"]
words, dims, batch_size = 3_000_000, 300, 1024
vector_bytes = words * FLOAT32_BYTES
print(
    f"one vector {vector_bytes / 1e6:.0f} MB, a batch "
    f"{batch_size * vector_bytes / 1e9:.1f} GB, "
    f"the table {words * dims * FLOAT32_BYTES / 1e9:.1f} GB, "
    f"the looked-up rows {batch_size * dims * FLOAT32_BYTES / 1e6:.1f} MB"
)
assert batch_size * vector_bytes > words * dims * FLOAT32_BYTES

# %% [markdown]
# :::{exercise} a listener as a bag of artists
# :label: one-hot-listener-bag-artists
#
# A listener's history is a set of artists. Its "bag of artists" vector is the sum of
# their one-hot vectors. Show that this vector times $W$ is the sum of the artists' rows
# of $W$, and compute it for coil, black lips and crookers.
# :::

# %% [markdown]
# ```{solution} one-hot-listener-bag-artists
# :label: one-hot-listener-bag-artists-solution
# :class: dropdown
# Matrix multiplication is linear: $(x_1 + x_2 + x_3) W = x_1 W + x_2 W + x_3 W$, and
# each $x_k W$ is a row. PyTorch calls this lookup-and-sum an *embedding bag*
# (`nn.EmbeddingBag`); in TensorFlow it is `tf.nn.embedding_lookup` followed by
# `tf.reduce_sum`, or `tf.nn.embedding_lookup_sparse` with `combiner="sum"` in one op.
# ```

# %% tags=["solution", "hide-cell"]
listener = vocab.ids(["coil", "black lips", "crookers"])
bag = vocab.one_hot(listener).sum(axis=0)
summed = tf.reduce_sum(tf.nn.embedding_lookup(W, listener), axis=0).numpy()
print("bag of artists @ W:", np.round(bag @ W, 3))
print("sum of the rows:   ", np.round(summed, 3))
assert np.allclose(bag @ W, summed, atol=1e-6)

# %% [markdown]
# :::{exercise} the nearest artist
# :label: one-hot-nearest-artist
#
# Using one-hot vectors, which artists are nearest to coil by cosine similarity? Using
# genre vectors? What does that tell you about one-hot vectors as a representation?
# :::

# %% [markdown]
# ```{solution} one-hot-nearest-artist
# :label: one-hot-nearest-artist-solution
# :class: dropdown
# With one-hot vectors every other artist ties at cosine 0, so "nearest" picks whichever
# comes first: the answer says nothing about music. With genre vectors, the artists filed
# under exactly coil's three genres (rock, experimental and electronic) tie at cosine 1. A useful
# representation must put related artists close together; one-hot vectors cannot.
# ```

# %% tags=["solution", "hide-cell"]
coil_id = vocab.id("coil")
# Every artist's one-hot vector times coil's, 1,000 artists at a time to spare memory.
one_hot_scores = np.concatenate(
    [vocab.one_hot(ids) @ coil for ids in np.array_split(np.arange(V), 9)]
)
genre_scores = (all_genres @ all_genres[coil_id]) / (
    np.linalg.norm(all_genres, axis=1) * np.linalg.norm(all_genres[coil_id]) + 1e-12
)
one_hot_scores[coil_id] = genre_scores[coil_id] = -np.inf  # not coil itself
print(
    "one-hot: distinct scores among the others:",
    np.unique(one_hot_scores[np.isfinite(one_hot_scores)]),
)
print(
    f"genres: {(genre_scores > 0.999).sum()} artists at cosine 1, e.g.",
    [vocab.name(i) for i in np.flatnonzero(genre_scores > 0.999)[:3]],
)

# %% [markdown]
# ## Summary
#
# - A vocabulary gives each artist an id; the library's sorts artists by number of
#   reviews, so id 0 is the most reviewed.
# - A one-hot vector is an id written as a vector: $V$ entries, one 1. A one-hot matrix of
#   the whole vocabulary takes $4V^2$ bytes, about 300 MB for this sample and 36 TB for
#   the 3 million words and phrases of the Google News vectors.
# - Any two different one-hot vectors have cosine 0 and distance $\sqrt{2}$: one-hot
#   vectors carry no notion of similarity.
# - A one-hot vector times a weight matrix selects one row. An embedding layer
#   (`tf.nn.embedding_lookup`, `keras.layers.Embedding`) does that lookup by id, without
#   building the one-hot vectors.
# - The next lesson trains such a table: the skip-gram model learns rows that put
#   artists seen in the same contexts close together.
