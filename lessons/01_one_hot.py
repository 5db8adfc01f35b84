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
# each artist has to become numbers. This lesson asks why a name or an id will not do,
# builds the simplest honest answer, the {term}`one-hot vector <one-hot vector>`, finds
# out what it cannot do, and ends with the observation that turns it into an
# {term}`embedding`: multiplying a one-hot vector by a matrix just picks a row.
#
# The whole course treats music artists the way word2vec {cite}`mikolov2013efficient`
# treats words, following Patrick Ferris's article, on which it is built
# {cite}`ferris2018rockbands`.
#
# ## Learning objectives
#
# After this lesson you can:
#
# - give every artist an id with a {term}`vocabulary`, and say why the id is no measure
#   of how alike two artists are;
# - encode artists as one-hot vectors, and work out how much memory a one-hot matrix of
#   the whole vocabulary takes;
# - explain why any two different one-hot vectors are exactly as unlike as any other two
#   (their {term}`cosine similarity` is 0);
# - show that a one-hot vector times a weight matrix selects one row of it, so that an
#   embedding layer is a lookup table, in NumPy and in TensorFlow.

# %% [markdown]
# ## Why not compare names or ids?
#
# To find the artists most like coil, a program has to compare coil with the others, so
# it needs the artists as data. The code first seeds its random numbers, so that every
# run shows the same numbers; TensorFlow comes through `quiet_tensorflow()`, which keeps
# its start-up logs out of the page.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.data import load_artists
from bands2vec_lib.diagrams import one_hot_lookup
from bands2vec_lib.plots import plot_similarity_matrix
from bands2vec_lib.similarity import cosine_similarity, genre_matrix
from bands2vec_lib.vocab import Vocabulary
from bands2vec_lib.widgets import one_hot_control

tf = quiet_tensorflow()
rng = np.random.default_rng(0)
tf.random.set_seed(0)

# %% [markdown]
# The lessons run on an embedded sample with the shape of the Pitchfork review data
# (lesson 4 shows how to use the real data). `load_artists()` returns one row per artist,
# most reviewed first: its genres, its reviews' scores and their mean, its record labels.

# %%
artists = load_artists()
print(f"{len(artists):,} artists")
preview = artists.head(5)[["genres", "n_reviews", "mean_score"]].copy()
preview["genres"] = preview["genres"].map(sorted).str.join(", ")
preview.round(2)

# %% [markdown]
# A computer can hold an artist as its name, a string of letters, or as a number. A
# {term}`vocabulary` gives the numbers: it is the list of names, and an artist's *id* is
# its position in the list. The library's `Vocabulary` sorts artists by number of
# reviews, ties by name, so id 0 is the most reviewed artist. Here are four artists of
# the article's headline example:

# %%
vocab = Vocabulary.from_artists(artists)
V = len(vocab)
coil_id = vocab.id("coil")
print("vocabulary size V =", V)
for name in ["coil", "crookers", "elder ones", "guided by voices"]:
    i, genres = vocab.id(name), "/".join(sorted(artists.loc[name, "genres"]))
    print(f"{name:>16}: id {i:>4} ({i - coil_id:+}), {genres}")
print("coil's neighbours by id:", vocab.names[coil_id - 1 : coil_id + 2])
print("artists with a single review:", (artists["n_reviews"] == 1).sum())

# %% tags=["remove-cell"]
from bands2vec_lib.data import resolve_source  # noqa: E402

ON_SAMPLE = resolve_source() is None  # the prose quotes the sample's figures
assert list(vocab.names) == list(artists.index)  # id i is row i of the table
assert all(artists.loc[n, "n_reviews"] == 1 for n in ["coil", "crookers", "elder ones"])
if ON_SAMPLE:
    assert vocab.id("coil") == 4124 and vocab.id("crookers") == 4215
    assert vocab.id("elder ones") == 4453 and vocab.id("guided by voices") == 2
    assert (artists["n_reviews"] == 1).sum() == 5133
single = [n for n in vocab.names if artists.loc[n, "n_reviews"] == 1]
assert single == sorted(single)  # among one-review artists, ids go alphabetically

# %% [markdown]
# Coil's id is 91 away from crookers' and 329 from elder ones'. That says nothing about
# their music: all three have a single review, and among the 5,133 artists with one
# review the ids go in alphabetical order, so coil's neighbours by id are the names next
# to "coil" in the alphabet. Comparing names compares spelling; comparing ids compares
# review counts and spelling. A network fed the raw id would also treat it as a
# quantity, as if artist 4124 were twice artist 2062. An id tells artists apart, nothing
# more.

# %% [markdown]
# ## The idea in one picture
#
# Write the id as a vector of zeros with a single 1 at the artist's place: the one-hot
# vector $x$. Then give every artist a row of numbers in a weight matrix $W$. The product
# $x W$ is the artist's row: the 1 picks it, the zeros drop all the others. Here with a
# made-up vocabulary of six artists (coil has id 3) and four numbers per artist:

# %% tags=["remove-input"] mystnb={"image": {"alt": "The one-hot vector x of coil has a single 1, at id 3, and 0 everywhere else. Multiplying x by the 6 \u00d7 4 weight matrix W gives exactly row 3 of W, 0.71, \u22120.93, 0.46, \u22120.65, coil's vector: an embedding layer is a lookup table."}}
one_hot_lookup()

# %% [markdown]
# The rows of $W$ are what the course trains: each becomes an artist's vector, its
# embedding. The sections below take the picture apart.
#
# ## One-hot vectors
#
# The one-hot vector of the artist with id $i$ has $V$ entries, one per artist in the
# vocabulary:
#
# $$x_k = \begin{cases} 1 & \text{if } k = i, \\ 0 & \text{otherwise.} \end{cases}$$
#
# It needs no learning and no knowledge of the artists: it is the id, spelled out as a
# vector, and each artist gets a direction of its own instead of a place on a line. In a
# few lines of NumPy:


# %%
def one_hot(i: int, size: int) -> np.ndarray:
    """A vector of ``size`` zeros with a 1 at position ``i``."""
    x = np.zeros(size, dtype=np.float32)
    x[i] = 1.0
    return x


coil = one_hot(vocab.id("coil"), V)
print("shape", coil.shape, "| sum", coil.sum(), "| 1 at", np.flatnonzero(coil))

# %% [markdown]
# The library's `Vocabulary.one_hot` does the same for a list of artists (names or ids),
# one row each:

# %%
three = vocab.one_hot(["coil", "crookers", "guided by voices"])
print("shape", three.shape, "| the 1 of each row is at", three.argmax(axis=1))

# %% tags=["remove-cell"]
assert np.array_equal(three[0], coil)
assert np.array_equal(three.sum(axis=1), np.ones(3))

# %% [markdown]
# ## What one-hot vectors cost
#
# A one-hot vector holds $V - 1$ zeros for a single 1. Stacked, the one-hot vectors of the
# whole vocabulary make the $V \times V$ identity matrix; in 32-bit floats (4 bytes each)
# that is $4V^2$ bytes. A table of 64 numbers per artist, the size of the vectors this
# course learns, takes $4 \cdot 64 \cdot V$ bytes.

# %%
FLOAT32_BYTES = np.dtype(np.float32).itemsize
DIM = 64
one_hot_bytes = FLOAT32_BYTES * V * V
table_bytes = FLOAT32_BYTES * V * DIM
print(f"one-hot matrix, {V:,} x {V:,}: {one_hot_bytes / 1e6:,.1f} MB")
print(f"embedding table, {V:,} x {DIM}: {table_bytes / 1e6:,.2f} MB")
print(f"the table is {one_hot_bytes / table_bytes:.0f} times smaller")

# %% [markdown]
# The formula is what NumPy allocates: the one-hot matrix of every artist, made by the
# library, holds exactly that many bytes, of which only 8,713 entries, one per artist,
# are not 0.

# %%
everyone = vocab.one_hot(range(V))
print(everyone.shape, f"{everyone.nbytes:,} bytes")
print("entries that are not 0:", np.count_nonzero(everyone))

# %% tags=["remove-cell"]
assert everyone.nbytes == one_hot_bytes == 4 * V**2
assert np.count_nonzero(everyone) == V == 8713
del everyone
assert round(one_hot_bytes / table_bytes) == 136

# %% [markdown]
# The one-hot matrix grows as $V^2$, the table only as $V$. With the 3 million words and
# phrases of the Google News vectors released with word2vec {cite}`word2vec2013project`:

# %%
for size in [V, 100_000, 3_000_000]:
    print(
        f"V = {size:>9,}: one-hot {FLOAT32_BYTES * size**2 / 1e9:>9,.1f} GB, "
        f"table {FLOAT32_BYTES * size * DIM / 1e9:.3f} GB"
    )

# %% [markdown]
# 36,000 GB, 36 terabytes, for the one-hot matrix; 0.768 GB for a table of 64 numbers per
# word. No one builds the one-hot matrix, and the next section shows that no one needs to.
#
# ## One-hot times a matrix selects a row
#
# Give every artist a row of $d$ numbers in a matrix $W$ of shape $V \times d$, as in the
# picture. The product of the one-hot row vector $x$ of the artist with id $i$ and $W$ is
#
# $$ (x W)_j = \sum_{k=0}^{V-1} x_k W_{kj} = W_{ij}, $$
#
# because $x_i = 1$ is the only entry that is not zero. Multiplying by a one-hot vector
# *selects row $i$* of $W$. Here with $d = 4$ random numbers per artist:

# %%
d = 4
W = rng.normal(size=(V, d)).astype(np.float32)
x = vocab.one_hot(["coil"])
product = x @ W
print("x", x.shape, "@ W", W.shape, "->", product.shape)
print("x @ W          ", np.round(product[0], 3))
print("W[id of coil]  ", np.round(W[vocab.id("coil")], 3))
print(f"the product does {V * d:,} multiplications to copy {d} numbers")

# %% [markdown]
# The same holds for a batch of ids (repeats allowed): the one-hot matrix of the batch
# times $W$ is $W$ indexed by the ids.

# %%
batch = vocab.ids(["coil", "crookers", "coil", "guided by voices"])
by_product = vocab.one_hot(batch) @ W
by_lookup = W[batch]
print("batch ids", batch, "->", by_product.shape)
print("one-hot @ W equals W[ids]:", np.array_equal(by_product, by_lookup))

# %% tags=["remove-cell"]
assert np.array_equal(product[0], W[vocab.id("coil")])
assert np.array_equal(by_product, by_lookup)

# %% [markdown]
# So a network whose first layer multiplies one-hot inputs by a weight matrix never needs
# the one-hot vectors: it can look the rows up by id. That is an *embedding layer*, which
# TensorFlow offers as `tf.nn.embedding_lookup` and {term}`Keras` as the `Embedding`
# layer. Given the same $W$, both return exactly the rows above; a Keras `Dense` layer
# without bias, fed the one-hot vectors, returns them too, the slow way.

# %%
import keras  # Keras 3: the layers library TensorFlow uses as tf.keras

tf_rows = tf.nn.embedding_lookup(W, batch).numpy()

embedding = keras.layers.Embedding(input_dim=V, output_dim=d)
embedding.build((None,))
embedding.set_weights([W])
keras_rows = keras.ops.convert_to_numpy(embedding(batch))

dense = keras.layers.Dense(d, use_bias=False)
dense.build((None, V))
dense.set_weights([W])
dense_rows = keras.ops.convert_to_numpy(dense(vocab.one_hot(batch)))

looked_up = {
    "tf.nn.embedding_lookup": tf_rows,
    "keras Embedding": keras_rows,
    "keras Dense on one-hot": dense_rows,
}
print("largest difference from W[ids]:")
for name, rows in looked_up.items():
    print(f"{name:>24}: {np.abs(rows - by_lookup).max()}")

# %% tags=["remove-cell"]
assert np.array_equal(tf_rows, by_lookup)
assert np.array_equal(keras_rows, by_lookup)
assert np.allclose(dense_rows, by_lookup)
assert tuple(embedding.embeddings.shape) == (V, d)

# %% [markdown]
# The rows of $W$ are random here, so they mean nothing yet. Training, in the next
# lessons, moves them until artists that appear in the same contexts get similar rows.
# The one-hot vectors themselves never will, as the next section shows.
#
# ## Every pair of one-hot vectors is equally unlike
#
# The usual measure of how alike two vectors are is their {term}`cosine similarity`, the
# cosine of the angle between them:
#
# $$\cos(a, b) = \frac{a \cdot b}{\lVert a \rVert \, \lVert b \rVert}.$$
#
# It is 1 for vectors pointing the same way and 0 for perpendicular ones. Two one-hot
# vectors of different artists have their 1 in different places, so every product in the
# dot product $a \cdot b$ has a 0 in it: the cosine is 0, for *any* two artists, whatever
# their music. Checked on a thousand random pairs (the distance between any two is
# $\sqrt{2}$ too):

# %%
pairs = rng.choice(V, size=(1000, 2))
pairs = pairs[pairs[:, 0] != pairs[:, 1]]
a, b = vocab.one_hot(pairs[:, 0]), vocab.one_hot(pairs[:, 1])
cosines = [cosine_similarity(x, y) for x, y in zip(a, b, strict=True)]
distances = np.linalg.norm(a - b, axis=1)
print(f"{len(pairs)} pairs: cosines from {min(cosines)} to {max(cosines)}")
print(f"distances from {distances.min():.4f} to {distances.max():.4f}")

# %% tags=["remove-cell"]
assert set(cosines) == {0.0}
assert np.allclose(distances, np.sqrt(2))

# %% [markdown]
# Compare a vector written from what we know about the artists: its genres, as a
# "multi-hot" vector with one entry per genre. Two artists that share genres now point in
# similar directions. Here are both kinds for the five artists of the article and the
# most reviewed artist, mary castillo:

# %%
names = ["coil", "elder ones", "black lips", "crookers", "guided by voices"]
names.append(vocab.names[0])


def cosines_of(vectors: np.ndarray) -> np.ndarray:
    """The cosine similarity of every pair of rows."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return unit @ unit.T


one_hot_cosines = cosines_of(vocab.one_hot(names))
all_genres = genre_matrix(artists).astype(np.float32)  # vocabulary order
genre_cosines = cosines_of(all_genres[vocab.ids(names)])
identity = np.array_equal(one_hot_cosines, np.eye(len(names)))
print("one-hot cosines form the identity matrix:", identity)
print("genre cosines of coil:", np.round(genre_cosines[0], 2))

# %% tags=["remove-cell"]
# the most reviewed artist: a sixth one on the sample, guided by voices on the real data
assert np.array_equal(one_hot_cosines, np.eye(len(names))) or not ON_SAMPLE
assert np.allclose(genre_cosines[0, 1:5], 1 / np.sqrt(3))  # one genre of coil's three
assert genre_cosines[1, 2] == 0  # elder ones and black lips share nothing
assert np.isclose(genre_cosines[2, 4], 1)
if ON_SAMPLE:
    assert names[-1] == "mary castillo"
    assert np.isclose(genre_cosines[0, 5], 1 / np.sqrt(3))
    assert np.isclose(genre_cosines[3, 5], 1)

# %% [markdown]
# Coil is filed under three genres and shares one with each of the other five, so its
# genre cosine with each is $1/\sqrt{3} \approx 0.58$. The grids show every pair: on the
# left the one-hot cosines, 1 on the diagonal and 0 elsewhere; on the right the genre
# cosines, 1 for black lips and guided by voices (both rock only), 0 for artists that
# share no genre, such as elder ones and black lips.

# %% tags=["hide-input"] mystnb={"image": {"alt": "Two cosine-similarity grids of the same six artists. One-hot vectors: 1 on the diagonal, 0 for every other pair. Genre vectors: coil has 0.6 with each of the others; black lips and guided by voices 1, crookers and mary castillo 1; pairs that share no genre 0."}}
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.8), layout="constrained")
plot_similarity_matrix(one_hot_cosines, names, left, title="one-hot vectors")
plot_similarity_matrix(genre_cosines, names, right, title="genre vectors")
plt.show()

# %% [markdown]
# That is the kind of vector this course wants, except that the course's vectors are
# *learned*: they are the rows of $W$, and training sets them from which artists appear
# together.
#
# ## Try it: two artists side by side
#
# The control draws the one-hot vectors of two of the six artists (a line of zeros with
# one spike) and their genre vectors, with the cosine of each pair. Whatever you choose,
# the one-hot cosine stays 0 unless you pick the same artist twice; the genre cosine
# depends on the music. Every pair is drawn in advance, so the menus work in the book too.

# %%
control = one_hot_control(artists, choices=names)
display(control)

# %% [markdown]
# The control's callback is an ordinary function: called directly, it shows that pair
# and returns what it shows.

# %%
shown = control.callback("coil", "black lips")
print(shown["a"], "and", shown["b"], "| ids", shown["ids"])
print("shared genres:", shown["shared_genres"])
print("one-hot cosine", round(shown["one_hot_cosine"], 2))
print("genre cosine", round(shown["genre_cosine"], 2))

# %% tags=["remove-cell"]
assert shown["one_hot_cosine"] == 0.0
assert np.isclose(shown["genre_cosine"], genre_cosines[0, 2])

# %% [markdown]
# ## Exercises
#
# :::{exercise} a vocabulary of words
# :label: one-hot-vocabulary-words
#
# The Google News word2vec vectors cover 3 million words and phrases with 300 numbers
# each {cite}`word2vec2013project`. In 32-bit floats, how much memory does one one-hot
# vector take, a batch of 1,024 of them, and the embedding table? How many one-hot
# vectors fit in the memory of the table?
# :::

# %% [markdown]
# ```{solution} one-hot-vocabulary-words
# :label: one-hot-vocabulary-words-solution
# :class: dropdown
# One one-hot vector is $4 \times 3{,}000{,}000$ bytes, 12 MB; a batch of 1,024 is
# 12.3 GB, about 3.4 times the table ($3{,}000{,}000 \times 300 \times 4$ bytes, 3.6 GB):
# the table's memory holds 300 one-hot vectors, not even one batch. A lookup of the same
# batch reads 1,024 rows of 300 numbers: 1.2 MB.
# ```

# %% tags=["solution", "hide-cell"]
words, dims, batch_size = 3_000_000, 300, 1024
vector_bytes = words * FLOAT32_BYTES
table = words * dims * FLOAT32_BYTES
print(
    f"one vector {vector_bytes / 1e6:.0f} MB, a batch "
    f"{batch_size * vector_bytes / 1e9:.1f} GB, the table {table / 1e9:.1f} GB"
)
print(
    f"the batch is {batch_size * vector_bytes / table:.1f} times the table, which "
    f"holds {table // vector_bytes} one-hot vectors"
)
print(f"the looked-up rows: {batch_size * dims * FLOAT32_BYTES / 1e6:.1f} MB")

# %% tags=["solution", "remove-cell"]
assert table // vector_bytes == 300
assert round(batch_size * vector_bytes / table, 1) == 3.4

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

# %% tags=["solution", "remove-cell"]
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
# under exactly coil's three genres (rock, experimental and electronic) tie at cosine 1.
# A useful representation must put related artists close together; one-hot vectors
# cannot.
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

# %% tags=["solution", "remove-cell"]
assert set(np.unique(one_hot_scores[np.isfinite(one_hot_scores)])) == {0.0}
assert all(
    artists.loc[vocab.name(i), "genres"] == artists.loc["coil", "genres"]
    for i in np.flatnonzero(genre_scores > 0.999)
)

# %% [markdown]
# ## Summary
#
# - A vocabulary gives each artist an id, its place in a list (here sorted by number of
#   reviews). The id tells artists apart and nothing more: nearby ids, like similar
#   names, say nothing about the music.
# - A one-hot vector is an id written as a vector: $V$ entries, one 1. A one-hot matrix of
#   the whole vocabulary takes $4V^2$ bytes, about 300 MB for this sample and 36 TB for
#   the 3 million words and phrases of the Google News vectors.
# - A one-hot vector times a weight matrix selects one row. An embedding layer
#   (`tf.nn.embedding_lookup`, `keras.layers.Embedding`) does that lookup by id, without
#   building the one-hot vectors.
# - Any two different one-hot vectors have cosine 0 and distance $\sqrt{2}$: one-hot
#   vectors carry no notion of similarity. Genre vectors do, because they are written
#   from what we know about the artists.
# - The next lesson trains the rows of such a table: the {term}`skip-gram` model learns
#   rows that put artists seen in the same contexts close together.
