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
# # Lesson 5: The TensorFlow graph
#
# Lessons 2 and 3 trained small models; lesson 4 made two million training pairs. How
# does TensorFlow run the training, and how do we know it learned something? The
# original article {cite}`ferris2018rockbands` wrote TensorFlow 1: describe the whole
# computation as a graph, then run it. TensorFlow 2 runs Python directly and builds a
# graph only when asked. This lesson shows both, trains Bands2Vec, and asks what its
# vectors know.
#
# ## Learning objectives
#
# After this lesson you can:
#
# - say what a computation graph is, and read the article's TensorFlow 1 code;
# - write the model in TensorFlow 2 and list the operations `tf.function` traces;
# - train Bands2Vec and read its loss curve honestly;
# - check an embedding's neighbours across seeds, and say why some change;
# - save the vectors, and train the model the Keras way, with `model.fit`.

# %% [markdown]
# ## Setup

# %%
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.data import load_artists
from bands2vec_lib.diagrams import identical_contexts, training_loop
from bands2vec_lib.heldout import hide_labels, label_sharers
from bands2vec_lib.model import ModelConfig, SkipGram
from bands2vec_lib.plots import plot_computation_graph, plot_loss_curves
from bands2vec_lib.training import (
    TrainConfig,
    optimizer_for,
    save_trained,
    train,
    train_or_load,
    training_pairs,
)
from bands2vec_lib.vocab import Vocabulary
from bands2vec_lib.widgets import seed_neighbours_control

tf = quiet_tensorflow()
keras = tf.keras  # Keras 3, TensorFlow's high-level library
SEED = 0
tf.random.set_seed(SEED)
tf.config.experimental.enable_op_determinism()  # the same numbers on every run

artists = load_artists(seed=SEED)  # lesson 4's artists: the sample or the real data
vocab = Vocabulary.from_artists(artists)
print(f"{len(vocab):,} artists")

# %% [markdown]
# ## The idea in one picture
#
# Every version of the training in this lesson, old or new, repeats one step:

# %% mystnb={"image": {"alt": "One training step as a loop. tf.data gives a batch of (target, context) ids; tf.nn.embedding_lookup reads the targets' rows of the embedding table; tf.nn.nce_loss scores the true contexts against 16 noise words; a tf.GradientTape records both and tape.gradient gives the gradients; optimizer.apply_gradients updates the tables (embeddings, nce_weights, nce_biases), which the next batch reads."}} tags=["remove-input"]
training_loop()

# %% [markdown]
# A {term}`batch` of ({term}`target`, {term}`context`) ids comes in; the targets' rows of
# the {term}`embedding` table are looked up; the
# {term}`NCE <noise-contrastive estimation>` loss of lesson 3 scores each true context
# against 16 noise artists; the {term}`gradient` of that loss says how to change the rows
# that were read; an {term}`optimizer` changes them. Then the next batch.
#
# ## 1. What a computation graph is
#
# A {term}`computation graph` is a program written as data: each node an **operation**
# (add, multiply, look up rows), each edge a **tensor** flowing from one operation into
# the next. Known whole before it runs, it can be optimised, saved, and run without the
# Python that built it. In TensorFlow 1 you built the graph first; a **placeholder** is an
# input given later, and nothing is computed while building:

# %%
tiny = tf.compat.v1.Graph()
with tiny.as_default():
    x = tf.compat.v1.placeholder(tf.float32, shape=[], name="x")
    wx = tf.multiply(tf.constant(3.0, name="w"), x, name="wx")
    y = tf.add(wx, tf.constant(1.0, name="b"), name="y")
print(y)

# %% [markdown]
# `y` is not a number yet, only a node of this graph:

# %% mystnb={"image": {"alt": "Diagram of y = 3x + 1 as a graph: x (Placeholder) and w (Const) feed the node wx (Mul), and wx and b (Const) feed y (AddV2)."}} tags=["hide-input"]
fig, ax = plt.subplots(figsize=(6, 2.2))
plot_computation_graph(tiny, ax=ax)
ax.set_title("y = 3x + 1 as a graph")
plt.show()

# %% [markdown]
# A **session** runs the graph: you ask for the tensors you want and give each
# placeholder a value through `feed_dict`.

# %%
with tf.compat.v1.Session(graph=tiny) as session:
    y_at_2 = session.run(y, feed_dict={x: 2.0})
print("y(2) =", y_at_2)

# %% tags=["remove-cell"]
assert y_at_2 == 7.0
assert tf.executing_eagerly()  # the graph had its own context: the rest stays eager

# %% [markdown]
# ## 2. What the article wrote
#
# The article's model is TensorFlow 1's word2vec tutorial applied to artists:
# placeholders for a batch of target and context ids, an embedding table, NCE output
# weights and biases, `tf.nn.nce_loss` with 16 noise samples, and plain gradient descent
# with a {term}`learning rate` of 1 on batches of 64 pairs. Here it is in
# `tf.compat.v1`, trained for 200 steps on pairs with the article's mix (80% share a
# genre, 20% a score bucket):

# %%
V, DIM, K, BATCH = len(vocab), 64, 16, 64
graph = tf.compat.v1.Graph()
with graph.as_default():
    tf.compat.v1.set_random_seed(SEED)
    train_inputs = tf.compat.v1.placeholder(tf.int64, shape=[None])
    train_labels = tf.compat.v1.placeholder(tf.int64, shape=[None, 1])
    embeddings = tf.compat.v1.Variable(
        tf.compat.v1.random_uniform([V, DIM], -1.0, 1.0)
    )
    embed = tf.nn.embedding_lookup(embeddings, train_inputs)
    nce_weights = tf.compat.v1.Variable(
        tf.compat.v1.truncated_normal([V, DIM], stddev=DIM**-0.5)
    )
    nce_biases = tf.compat.v1.Variable(tf.zeros([V]))
    loss = tf.reduce_mean(
        tf.nn.nce_loss(nce_weights, nce_biases, train_labels, embed, K, V)
    )
    optimizer = tf.compat.v1.train.GradientDescentOptimizer(1.0).minimize(loss)
    init = tf.compat.v1.global_variables_initializer()

article = TrainConfig.article(steps=200, batch_size=BATCH)  # 80% genre, 20% bucket
tf1_pairs = training_pairs(artists, vocab, article)
with tf.compat.v1.Session(graph=graph) as session:
    session.run(init)
    tf1_losses = []
    for step in range(200):
        batch = tf1_pairs[step * BATCH : (step + 1) * BATCH]
        feed = {train_inputs: batch[:, 0], train_labels: batch[:, 1:]}
        _, batch_loss = session.run([optimizer, loss], feed_dict=feed)
        tf1_losses.append(batch_loss)
window_means = np.reshape(tf1_losses, (4, 50)).mean(axis=1)
print("mean loss of each 50 steps:", window_means.round(1))

# %% tags=["remove-cell"]
assert np.mean(tf1_losses[-50:]) < np.mean(tf1_losses[:50])

# %% [markdown]
# Nothing ran while the graph was built; each `session.run` fed one batch and fetched the
# update and the loss. The loss falls, slowly: the article ran 100,000 such steps.
#
# **Going deeper:** [TensorFlow 1 and 2 give the same numbers](deeper/tf1_tf2_parity.ipynb)
# explains this graph's first loss, logs it for TensorBoard, and shows that it and the
# TensorFlow 2 code below give the same loss and update from the same weights and noise.
#
# ## 3. The same model, TensorFlow 2
#
# TensorFlow 2 runs each operation as soon as Python reaches it ("eager execution"). The
# library's `SkipGram` holds the same three tables as `tf.Variable`s, and its `loss`
# method computes a batch's NCE loss; `noise_block=None` makes it the article's model,
# one draw of 16 noise ids per batch through `tf.nn.nce_loss`. (It starts near 100, not
# 60: the deeper page explains both starts.)

# %%
counts = np.bincount(tf1_pairs[:, 1], minlength=V)  # each id's count as a context
ARTICLE = ModelConfig(noise_block=None)  # one draw of noise per batch
model = SkipGram(V, ARTICLE, context_counts=counts, seed=SEED)
targets = tf.constant(tf1_pairs[:BATCH, 0])
contexts = tf.constant(tf1_pairs[:BATCH, 1])
print({v.name: tuple(v.shape) for v in model.trainable_variables})
print(f"loss of the first batch: {float(model.loss(targets, contexts)):.2f}")

# %% [markdown]
# Eager code is easy to write and debug, but every operation goes back through Python.
# {term}`tf.function` turns a Python function into a graph: the first call **traces** it,
# running the Python once with symbolic tensors and recording every operation; later
# calls run the recorded graph. Here is one training step, with a {term}`GradientTape`
# recording the loss and a {term}`Keras` optimizer applying the gradients:


# %%
def make_train_step(model: SkipGram, optimizer: keras.optimizers.Optimizer):
    """A traced training step: returns the batch's loss before the update."""
    tables = [model.embeddings, model.weights, model.biases]
    optimizer.build(tables)

    @tf.function
    def train_step(targets, contexts):
        with tf.GradientTape() as tape:
            batch_loss = model.loss(targets, contexts)
        gradients = tape.gradient(batch_loss, tables)
        optimizer.apply_gradients(zip(gradients, tables, strict=True))
        return batch_loss

    return train_step


train_step = make_train_step(model, keras.optimizers.SGD(1.0))  # as the article
tf2_losses = [float(train_step(targets, contexts)) for _ in range(3)]
print("the same batch three times:", np.round(tf2_losses, 2))

# %% [markdown]
# The loss falls each time the step sees the same batch. Three calls, one trace, and
# the traced graph can be listed:

# %%
traced = train_step.get_concrete_function(targets, contexts).graph
op_types = Counter(op.type for op in traced.get_operations())
print(f"traced {train_step.experimental_get_tracing_count()} time(s):", end=" ")
print(f"{sum(op_types.values())} operations of {len(op_types)} kinds")
print(op_types.most_common(6))

# %% tags=["remove-cell"]
assert train_step.experimental_get_tracing_count() == 1
assert op_types["FixedUnigramCandidateSampler"] == 1  # the noise is drawn in the graph
assert op_types["ResourceGather"] >= 3 and op_types["MatMul"] >= 1
assert tf2_losses[2] < tf2_losses[0]

# %% [markdown]
# Most operations are plumbing (constants, reshapes, slices); the model itself is a few
# lookups (`ResourceGather`), matrix products, the noise sampler and the updates.
#
# ## 4. Training Bands2Vec
#
# `bands2vec_lib.training.train` runs this step at scale: pairs from lesson 4, batches
# from {term}`tf.data`, one traced call for each window of 50 steps. It keeps the
# article's model (64 dimensions, NCE with 16 noise ids) and changes four things:
#
# - **the pairs** (lesson 4): 45% share a group (a genre and a score bucket), 45% a
#   record label within a group, 10% a label alone; 10% of the label memberships are
#   hidden from training, to be asked for later;
# - **the noise** (lesson 3): context counts to the power 0.75, drawn afresh for every
#   block of 16 pairs;
# - **the start**: small random embeddings, output weights at 0;
# - **the optimizer**: {term}`Adam` on batches of 4,096, not plain gradient descent on 64.
#
# Plain gradient descent moves every number by the same learning rate times its
# gradient. Adam gives each number $x$ its own step size: it keeps running means
# of the number's gradients, $m$, and of their squares, $v$, and at each step $t$
#
# $$
# m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad
# v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2,
# $$
#
# $$
# x \leftarrow x - \eta_t\, \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t}\,
# \frac{m}{\sqrt{v} + \epsilon},
# $$
#
# where $g$ is the gradient, $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-7}$,
# and the fraction in front corrects both means for starting at 0. A number with steady
# gradients moves about one learning rate $\eta_t$ per step, one with noisy gradients
# less. Here $\eta_t$ falls linearly from 0.05 to 0 over the 500 steps.
#
# `TrainConfig`'s optimizer, `"auto"`, is here Keras's `Adam` (with Keras's
# `PolynomialDecay` for the falling rate), which moves every row at every step. From
# 100,000 rows up it is the library's `RowwiseAdam`, which makes the same moves only to
# the rows a batch reads, and the others late.

# %%
config = TrainConfig()
print(f"{config.steps} steps of {config.batch_size:,} pairs, learning rate "
      f"{config.learning_rate} falling to 0")  # fmt: skip
print("'auto' picks here:", type(optimizer_for(config, V)).__name__)
result = train(artists, config)
history = result.history

# %% tags=["remove-cell"]
assert (config.model.dim, config.model.num_sampled) == (64, 16)
assert config.model.loss == "nce"
assert (config.joint_share, config.label_group_share, config.label_share) == (
    0.45, 0.45, 0.1
)  # fmt: skip
assert config.hold_out == 0.1
assert isinstance(optimizer_for(config, V), keras.optimizers.Adam)

# %% tags=["nbval-ignore-output"]
print(f"trained in {result.seconds:.0f} s")

# %% [markdown]
# **Going deeper:** [Training at scale](deeper/training_at_scale.ipynb) writes this loop
# out in plain TensorFlow and shows the library's `RowwiseAdam`, which updates only the
# rows a batch reads, equal to Keras's Adam to float precision; the book's page
# [Training at scale](../book/scale.md) measures its speed at a million items.
#
# ## 5. An honest loss curve
#
# `train` records the **mean {term}`loss` of each window** of 50 steps: each number
# describes that stretch of training only. The article printed the **running mean since
# step 0**, the average of every loss so far. Both come from the same losses:

# %%
windowed = history.loss
steps_in_window = np.diff(history.steps, prepend=0)
running = np.cumsum(windowed * steps_in_window) / history.steps
for i in (0, 1, 4, len(windowed) - 1):
    print(f"step {history.steps[i]:3}: window mean {windowed[i]:6.2f}, "
          f"running mean {running[i]:6.2f}")  # fmt: skip

# %% [markdown]
# The figure shows both over the whole training:

# %% mystnb={"image": {"alt": "Line chart of loss against training step, two reports of one run: the mean of the last 50 steps drops sharply after the first window and flattens near 1.6, while the running mean since step 0 falls slowly and stays well above it."}} tags=["hide-input"]
fig, ax = plt.subplots(figsize=(6.5, 3.5))
curves = {"mean of the last 50 steps": windowed, "running mean since step 0": running}
plot_loss_curves(history.steps, curves, ax=ax)
ax.set_title("The same training, two ways to report its loss")
plt.show()

# %% [markdown]
# The running mean carries the large losses of the first steps forever: it ends far
# above what the model now achieves, and keeps falling after training has stopped
# improving, so it hides both the progress and the plateau. The windowed mean shows
# where training is.
#
# It does not go to 0, and should not. A pair's loss sums 17 terms, one for the true
# context and one for each of 16 noise draws, and a noise artist is often a true context
# of the target too (same genre and bucket): the best the model can say of it is a
# probability between 0 and 1, which costs something. **Going deeper:**
# [NCE in theory](deeper/nce_theory.ipynb) derives that floor.

# %% tags=["remove-cell"]
assert windowed[-1] < windowed[0] and running[-1] > windowed[-1]
assert 1.2 < windowed[-1] < 2.0

# %% [markdown]
# ## 6. What do the vectors know?
#
# A falling loss says the model fits its pairs, not that the vectors are useful. Two
# first measures over each artist's 10 nearest neighbours by {term}`cosine similarity`
# (lesson 7 develops them): the share of them with a genre in common with it
# ({term}`genre precision@k`), and how far their mean review score is from its own
# ({term}`score error@k`), against random vectors.

# %%
from bands2vec_lib.similarity import neighbour_scores, random_embeddings

vectors = result.embeddings
random_vectors = random_embeddings(artists, seed=SEED)
scores = {
    name: neighbour_scores(emb, artists, ks=[10]).iloc[0]  # both, for k = 10
    for name, emb in (("trained", vectors), ("random", random_vectors))
}
print(pd.DataFrame(scores).T.drop(columns="k").round(3))

# %% tags=["remove-cell"]
precision, score_error = scores["trained"][["genre_precision", "score_error"]]
chance, chance_error = scores["random"][["genre_precision", "score_error"]]
assert precision > 0.98 and precision > chance + 0.25
assert score_error < 0.5 * chance_error

# %% [markdown]
# Read them for what they are. The pairs were made from genres and score buckets, and
# these measures ask the vectors to give the same genres and buckets back. Nothing is
# held out, so a genre precision of 0.99 says that the vectors give back their input,
# not that they found anything new. Lesson 7 and **Going deeper:**
# [What the vectors know](deeper/what_vectors_know.ipynb) ask for something training
# never saw ({term}`held-out evaluation`).
#
# ### Neighbours across seeds
#
# One more check, which every embedding deserves: train again with another {term}`seed`
# and compare the neighbours, here those of *fast window orchestra*:

# %%
from bands2vec_lib.similarity import cosine_similarity, nearest, neighbour_overlap

ARTIST, TWIN = "fast window orchestra", "ancient comet collective"

# %% tags=["remove-cell"]
from bands2vec_lib.data import resolve_source  # noqa: E402

ON_SAMPLE = resolve_source() is None  # the prose names the sample's artists
if not ON_SAMPLE:  # two real artists with the same contexts and no label shared
    _seen = hide_labels(artists, config.hold_out, config.hold_out_seed).kept
    _alone = _seen[~label_sharers(_seen)]
    _genres = _alone["genres"].map(lambda g: ",".join(sorted(g)))
    _keys = _genres + " " + _alone["score_bucket"].astype(str)
    _sizes = _keys.map(_keys.value_counts())
    ARTIST = _alone.index[(_sizes >= 5) & (_sizes <= 30)][0]
    TWIN = _alone.index[(_keys == _keys[ARTIST]) & (_alone.index != ARTIST)][0]

# %%
seed_1 = train(artists, TrainConfig(seed=1)).embeddings
lists = pd.DataFrame({
    "seed 0": nearest(vectors, ARTIST, k=10)["artist"],
    "seed 1": nearest(seed_1, ARTIST, k=10)["artist"],
})  # fmt: skip
in_both = set(lists["seed 0"]) & set(lists["seed 1"])
print(lists.to_string(index=False))
print(f"in both lists: {len(in_both)} of 10")

# %% [markdown]
# The two lists share few names. Over all artists, the share of the 10 neighbours two
# seeds agree on is the {term}`seed overlap@k` (what `bands2vec evaluate --against`
# prints as `seed_overlap@10`):

# %%
overlap = neighbour_overlap(vectors, seed_1, artists, k=10)
print(f"seed overlap@10, the library's pairs: {overlap:.2f}")

# %% tags=["remove-cell"]
assert not ON_SAMPLE or len(in_both) <= 4
assert 0.25 < overlap < 0.45

# %% [markdown]
# ### Try it: neighbours under two seeds
#
# Pick an artist: its 10 nearest neighbours in the vectors of seed 0 and of seed 1, side
# by side, those in both lists marked with a star. Some artists keep most of their
# neighbours, some almost none; each page also says how many artists share a record label
# with it and how many others have its genres and score bucket.

# %%
picked = [ARTIST, TWIN, *artists.index[:28]]
seeds_control = seed_neighbours_control(vectors, seed_1, artists, picked)
display(seeds_control)

# %% tags=["remove-cell"]
kept = {n: seeds_control.compute(n)["shared"] for n in picked}
assert kept[ARTIST] == len(in_both)
assert seeds_control.callback(ARTIST)["first"] == lists["seed 0"].tolist()

# %% [markdown]
# Why would the neighbours change with the seed when the data did not? Because many
# artists are interchangeable to the model:

# %% mystnb={"image": {"alt": "fast window orchestra and ancient comet collective have exactly the same contexts (genre experimental, score bucket 8) and no label of their own, so training pulls them to nearly the same point (their random starts differ, their cosine ends near 1): the model cannot tell them apart. kofi rinaldi shares those contexts but also has the label felix lindqvist music, which pulls its vector apart from theirs."}} tags=["remove-input"]
identical_contexts()

# %% [markdown]
# An artist's vector learns only from its contexts. Two artists with the same genres,
# the same score bucket and no label shared with anyone else have the same contexts, so
# training pulls them towards the same place. Which of the artists there make a top 10,
# and in which order, is left to chance: to the seed, which sets the random start, the
# noise and the pairs drawn. The artists training saw with exactly the contexts of
# *fast window orchestra*:

# %%
seen = hide_labels(artists, config.hold_out, config.hold_out_seed).kept
genres, bucket = seen.loc[ARTIST, ["genres", "score_bucket"]]
same = (seen["genres"] == genres) & (seen["score_bucket"] == bucket)
twins = seen.index[same & ~label_sharers(seen)]  # no label shared with anyone
print(f"{len(twins)} artists have exactly its contexts; (twin) marks them:")
marked = lists.apply(lambda col: col.where(~col.isin(twins), col + " (twin)"))
print(marked.to_string(index=False))
cosines = [cosine_similarity(e[ARTIST], e[TWIN]) for e in (vectors, seed_1)]
print(f"cosine with {TWIN}, seeds 0 and 1:", np.round(cosines, 2))
unit = vectors.unit()  # the mean cosine of two different artists:
typical = (np.sum(unit.sum(0) ** 2) - len(unit)) / (len(unit) ** 2 - len(unit))
print(f"between two artists taken at random: {typical:.2f} on average")

# %% tags=["remove-cell"]
# The diagram's artists: two with exactly the same contexts, kofi rinaldi with a label.
assert {ARTIST, TWIN} <= set(twins)
if ON_SAMPLE:
    assert "kofi rinaldi" not in twins
    kofi = seen.loc["kofi rinaldi"]
    assert kofi["genres"] == genres and kofi["score_bucket"] == bucket
    assert "felix lindqvist music" in kofi["labels"]
    assert (seen["labels"].map(lambda ls: "felix lindqvist music" in ls)).sum() >= 2
    in_lists = [lists[name].isin(twins).sum() for name in lists]
    assert len(twins) == 9 and all(n >= 3 for n in in_lists)
    assert all(0.8 < c < 0.95 for c in cosines) and 0.5 < typical < 0.56
    # "about 70" pairs as a target for each of the two
    as_target = np.bincount(training_pairs(artists, vocab, config)[:, 0], minlength=V)
    assert all(55 <= as_target[vocab.id(n)] <= 90 for n in (ARTIST, TWIN))
    # The nine are closer to each other than to the rest of their group, in both seeds.
    for emb in (vectors, seed_1):
        u = emb.unit()
        ids = [emb.vocab.id(n) for n in twins]
        rest = [emb.vocab.id(n) for n in seen.index[same] if n not in set(twins)]
        within = u[ids] @ u[ids].T
        within_mean = (within.sum() - len(ids)) / (len(ids) * (len(ids) - 1))
        assert within_mean > (u[ids] @ u[rest].T).mean() + 0.03

# %% [markdown]
# Each seed fills part of the top 10 with a different few of these nine. Training pulls
# them closer to each other than to the rest of their group: the two of the picture end
# at a cosine of 0.85 and 0.89, where two artists taken at random average 0.52. Not at 1:
# each starts from its own random point and learns from its own sample of pairs (about
# 70 as a target) and noise, and training does not undo all of that.
#
# Labels tell such artists apart. Trained on groups alone, without label pairs, the
# vectors' neighbours agree far less across seeds:

# %%
groups_only = dict(joint_share=1.0, label_group_share=0.0, label_share=0.0)
no_labels = [
    train(artists, TrainConfig(seed=seed, **groups_only)).embeddings
    for seed in (0, 1)
]
overlap_no_labels = neighbour_overlap(*no_labels, artists, k=10)
print(f"seed overlap@10: {overlap_no_labels:.2f} without labels, {overlap:.2f} with")

# %% tags=["remove-cell"]
assert overlap_no_labels < 0.2 < overlap

# %% [markdown]
# On the real Pitchfork data the same comparison gives 0.13 without labels and 0.33 with
# them. When two seeds disagree about an artist's neighbours, the data did not decide
# them: check an embedding's neighbours across seeds before you trust them.
#
# ## 7. Saving the embeddings
#
# Lessons 6 and 7 need these vectors. `train_or_load(artists, config, path)` returns the
# vectors stored at `path` when the file records the same settings and the same artists,
# and otherwise trains, saves and returns them. `save_trained` stores ours with both
# facts, so the call below loads the file instead of training again:

# %%
ARTIFACT = Path("artifacts/bands2vec.npz")
save_trained(vectors, artists, config, ARTIFACT)
written = ARTIFACT.stat().st_mtime_ns
loaded = train_or_load(artists, config, path=ARTIFACT)
print(loaded)

# %% tags=["remove-cell"]
assert ARTIFACT.stat().st_mtime_ns == written  # loaded, not trained and written again
assert np.array_equal(loaded.vectors, vectors.vectors)

# %% [markdown]
# ## 8. Today's idiom: a Keras model and `fit`
#
# Current TensorFlow code, TensorFlow's own
# [word2vec tutorial](https://www.tensorflow.org/text/tutorials/word2vec) among it,
# writes the model as a `keras.Model` and trains it with `model.fit` on a
# `tf.data.Dataset`. `fit` runs the loop of the picture above, traced with
# `tf.function`, and calls the model's `train_step` for each batch. Ours holds a
# `SkipGram` and computes its NCE loss:


# %%
class Bands2Vec(keras.Model):
    """The skip-gram model for Keras: ``fit`` calls ``train_step`` on each batch."""

    def __init__(self, skip_gram: SkipGram):
        super().__init__()
        self.skip_gram = skip_gram
        self.tables = [skip_gram.embeddings, skip_gram.weights, skip_gram.biases]
        self.mean_loss = keras.metrics.Mean(name="loss")

    def train_step(self, batch):
        targets, contexts = batch
        with tf.GradientTape() as tape:
            batch_loss = self.skip_gram.loss(targets, contexts)
        gradients = tape.gradient(batch_loss, self.tables)
        self.optimizer.apply_gradients(zip(gradients, self.tables, strict=True))
        self.mean_loss.update_state(batch_loss)
        return {"loss": self.mean_loss.result()}

    @property
    def metrics(self):
        return [self.mean_loss]  # fit resets it at the start of every epoch


# %% [markdown]
# Two copies of the library's model, from the same seed, so the same weights and the
# same noise: one trained by `fit`, the other by section 3's `tf.function` step, on the
# same first 20 batches of the training pairs, both with Keras's Adam and the library's
# falling learning rate.

# %%
from bands2vec_lib.training import learning_rate, pair_dataset

pairs = training_pairs(artists, vocab, config)
dataset = pair_dataset(pairs, config.batch_size).take(20)  # (targets, contexts)
context_counts = np.bincount(pairs[:, 1], minlength=V)


def new_skip_gram() -> SkipGram:
    return SkipGram(V, config.model, context_counts=context_counts, seed=SEED)


def new_adam() -> keras.optimizers.Adam:
    return keras.optimizers.Adam(learning_rate(config), epsilon=1e-7)


by_fit = Bands2Vec(new_skip_gram())
by_fit.compile(optimizer=new_adam(), jit_compile=False)
first = by_fit.fit(dataset.take(1), verbose=0, shuffle=False)  # one batch
first_fit = first.history["loss"][0]
by_fit.fit(dataset.skip(1), verbose=0, shuffle=False)  # the other 19

by_loop = new_skip_gram()
loop_step = make_train_step(by_loop, new_adam())
loop_losses = [float(loop_step(t, c)) for t, c in dataset]
difference = by_fit.skip_gram.embeddings - by_loop.embeddings
gap = float(tf.reduce_max(tf.abs(difference)))
print(f"first batch's loss: model.fit {first_fit:.4f}, "
      f"tf.function {loop_losses[0]:.4f}")  # fmt: skip
print(f"largest difference between the embeddings after 20 steps: {gap:.1e}")

# %% tags=["remove-cell"]
assert abs(first_fit - loop_losses[0]) <= 1e-6 * loop_losses[0]
assert gap <= 1e-6
assert loop_losses[-1] < loop_losses[0]

# %% [markdown]
# Same batch, same weights, same loss, and 20 steps later the same tables: `fit` is the
# loop of section 3, with Keras doing the bookkeeping (epochs, callbacks, progress, logs).
#
# ## Exercises
#
# :::{exercise} feed any tensor
# :label: graph-feed-any-tensor
#
# `feed_dict` is not limited to placeholders. In the tiny graph of section 1, feed the
# intermediate tensor `wx` the value 10 and fetch `y`. What do you get, and what happened
# to `x`?
# :::

# %% [markdown]
# ```{solution} graph-feed-any-tensor
# :label: graph-feed-any-tensor-solution
# :class: dropdown
# A fed tensor replaces the operation that would compute it, so `y = 10 + 1 = 11`, and
# the placeholder `x`, no longer needed, does not have to be fed. The deeper page on
# TensorFlow 1 and 2 uses this to replace the noise sampler's outputs.
# ```

# %% tags=["solution", "hide-cell"]
with tf.compat.v1.Session(graph=tiny) as session:
    print("y =", session.run(y, feed_dict={wx: 10.0}))

# %% [markdown]
# :::{exercise} when does `tf.function` trace again?
# :label: graph-tf-function-trace
#
# A traced graph is reused only for inputs of the same kind. Make a new training step
# for a fresh `SkipGram`, call it with batches of 128, then of 64, then of 128 again, and
# count the traces with `experimental_get_tracing_count()`. How do you avoid the second
# trace?
# :::

# %% [markdown]
# ```{solution} graph-tf-function-trace
# :label: graph-tf-function-trace-solution
# :class: dropdown
# A batch of another shape is a new input signature, so it is traced again (2 traces);
# going back to 128 reuses the first graph. Giving `tf.function` an `input_signature` with
# an unknown batch size, `tf.TensorSpec([None], tf.int64)`, makes one graph serve every
# batch size.
# ```

# %% tags=["solution", "hide-cell"]
fresh = SkipGram(V, ARTICLE, context_counts=counts, seed=SEED)
step_fn = make_train_step(fresh, keras.optimizers.SGD(1.0))
for size in (128, 64, 128):
    step_fn(tf.constant(tf1_pairs[:size, 0]), tf.constant(tf1_pairs[:size, 1]))
print("traces with shapes 128, 64, 128:", step_fn.experimental_get_tracing_count())

spec = tf.TensorSpec([None], tf.int64)
any_batch = tf.function(fresh.loss, input_signature=[spec, spec])
for size in (128, 64, 32):
    any_batch(tf.constant(tf1_pairs[:size, 0]), tf.constant(tf1_pairs[:size, 1]))
print("traces with an input signature:", any_batch.experimental_get_tracing_count())

# %% [markdown]
# :::{exercise} who keeps their neighbours?
# :label: graph-who-keeps-neighbours
#
# Seed overlap@10 is an average over artists. Split it: compute, for each artist, the
# share of its 10 neighbours that `vectors` and `seed_1` agree on (with
# `bands2vec_lib.similarity.neighbour_ids`), then average it separately over the artists
# who share a label with another in the training data (`label_sharers(seen)`) and over
# the others. Which keep more of their neighbours, and why?
# :::

# %% [markdown]
# ```{solution} graph-who-keeps-neighbours
# :label: graph-who-keeps-neighbours-solution
# :class: dropdown
# Artists who share a label keep more of their neighbours across seeds (0.37 against
# 0.23, printed below): a shared label is a context that sets them apart from the rest of
# their group. The others have only a genre and a bucket, shared with many artists that
# the model cannot tell apart, so the seed picks among those.
# ```

# %% tags=["solution", "hide-cell"]
from bands2vec_lib.similarity import neighbour_ids

first = neighbour_ids(vectors.aligned(artists).vectors, 10)
second = neighbour_ids(seed_1.aligned(artists).vectors, 10)
per_artist = (first[:, :, None] == second[:, None, :]).any(axis=2).mean(axis=1)
sharers = label_sharers(seen)
with_mates, others = per_artist[sharers].mean(), per_artist[~sharers].mean()
print(f"seed overlap@10: {with_mates:.2f} with a label-mate, {others:.2f} without")

# %% tags=["solution", "remove-cell"]
assert np.isclose(per_artist.mean(), overlap)
assert per_artist[sharers].mean() > per_artist[~sharers].mean() + 0.1

# %% [markdown]
# ## Summary
#
# - A computation graph is a program as data. The article built it first with
#   TensorFlow 1 and ran it in a `Session`, feeding placeholders through `feed_dict`.
# - TensorFlow 2 runs eagerly; `tf.function` traces a Python function into a graph once
#   and reuses it.
# - Bands2Vec trains with NCE and Adam (per-number step sizes from running means of the
#   gradients). Report the mean loss of recent steps, not the running mean since step 0;
#   it levels off above 0.
# - Genre precision and score error measure how well the vectors give back their input.
#   Where the contexts cannot tell artists apart, neighbours change with the seed: check
#   them across seeds.
# - `train_or_load` saves the vectors for lessons 6 and 7; `keras.Model.fit` runs the
#   same training step, to the bit.
