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
# # Going deeper: TensorFlow 1 and 2 give the same numbers
#
# Lesson 5 showed the article's TensorFlow 1 graph {cite}`ferris2018rockbands` for a
# few steps, and the library's TensorFlow 2 model beside it. This page proves they are
# the same model: the same batch, the same weights and the same noise give the same loss
# and the same update, in both worlds. On the way it explains the size of the first loss,
# logs both graphs for TensorBoard, and measures what the article's single draw of noise
# per batch costs.
#
# ## Learning objectives
#
# After this page you can:
#
# - build the article's graph with `tf.compat.v1`, with its noise sampler made explicit,
#   and train it in a `Session`;
# - predict the NCE loss of an untrained model from the entropy of the noise;
# - log a TensorFlow 1 graph and a traced TensorFlow 2 function for TensorBoard;
# - feed the same weights and noise to both versions and compare their losses and
#   updates;
# - say what one draw of 16 noise ids per batch costs the trained vectors.

# %% [markdown]
# ## Setup
#
# One seed for the page. `enable_op_determinism` makes TensorFlow pick deterministic
# kernels, so the losses printed below are the same on every run.

# %%
import shutil
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.data import load_artists
from bands2vec_lib.model import ModelConfig, SkipGram
from bands2vec_lib.pairs import ContextGroups, context_pairs
from bands2vec_lib.similarity import neighbour_scores, random_embeddings
from bands2vec_lib.training import TrainConfig, train
from bands2vec_lib.vocab import Vocabulary

tf = quiet_tensorflow()
SEED = 0
tf.random.set_seed(SEED)
tf.config.experimental.enable_op_determinism()

artists = load_artists(seed=SEED)
vocab = Vocabulary.from_artists(artists)
groups = ContextGroups.from_artists(artists, vocab)
print(f"{len(vocab):,} artists")

# %% [markdown]
# A graph is not needed to differentiate or to run on a GPU: TensorFlow 2's eager mode
# does both. What a graph adds is a program known whole before it runs, which TensorFlow
# can prune, optimise, save, and run without Python, for example from C++ or on a phone.
# A `Session` runs only the operations its fetches need.
#
# ## 1. The article's graph, with its sampler made explicit
#
# The graph of lesson 5, with one change that makes the later comparison possible: the
# noise sampler, which `nce_loss` would create inside itself, is created explicitly (the
# same log-uniform sampler `nce_loss` uses by default), so that we can hand it other
# values later. `nce_loss` keeps its default `remove_accidental_hits=False`: a noise id
# that equals a pair's true context still counts as noise, which is right for NCE
# (lesson 3). This keeps the article's sampler mistake on purpose: the log-uniform
# sampler assumes ids sorted by context count with Zipf-like counts, and the ids here are
# sorted by reviews while the pairs' context counts form a few plateaus, so half of its
# noise falls on the first 100 ids, whichever artists those are (lesson 3; the deeper
# page [The log-uniform trap](log_uniform_trap.ipynb)).

# %%
VOCAB_SIZE, DIM, NUM_SAMPLED, BATCH, LEARNING_RATE = len(vocab), 64, 16, 64, 1.0

graph = tf.compat.v1.Graph()
with graph.as_default():
    tf.compat.v1.set_random_seed(SEED)
    train_inputs = tf.compat.v1.placeholder(tf.int64, shape=[None], name="train_inputs")
    train_labels = tf.compat.v1.placeholder(
        tf.int64, shape=[None, 1], name="train_labels"
    )
    embeddings = tf.compat.v1.Variable(
        tf.compat.v1.random_uniform([VOCAB_SIZE, DIM], -1.0, 1.0), name="embeddings"
    )
    embed = tf.nn.embedding_lookup(embeddings, train_inputs)
    nce_weights = tf.compat.v1.Variable(
        tf.compat.v1.truncated_normal([VOCAB_SIZE, DIM], stddev=DIM**-0.5),
        name="nce_weights",
    )
    nce_biases = tf.compat.v1.Variable(tf.zeros([VOCAB_SIZE]), name="nce_biases")
    noise = tf.random.log_uniform_candidate_sampler(
        true_classes=train_labels,
        num_true=1,
        num_sampled=NUM_SAMPLED,
        unique=True,
        range_max=VOCAB_SIZE,
    )
    loss = tf.reduce_mean(
        tf.nn.nce_loss(
            weights=nce_weights,
            biases=nce_biases,
            labels=train_labels,
            inputs=embed,
            num_sampled=NUM_SAMPLED,
            num_classes=VOCAB_SIZE,
            sampled_values=noise,
        )
    )
    optimizer = tf.compat.v1.train.GradientDescentOptimizer(LEARNING_RATE).minimize(
        loss
    )
    init = tf.compat.v1.global_variables_initializer()

wanted = {"Placeholder", "ResourceGather", "LogUniformCandidateSampler", "MatMul",
          "ResourceScatterAdd", "ResourceApplyGradientDescent"}  # fmt: skip
found = {op.type for op in graph.get_operations()}
print(f"{len(graph.get_operations())} operations, among them:", sorted(found & wanted))

# %% [markdown]
# A session initialises the variables, then each step feeds a batch through `feed_dict`
# and fetches the optimizer (to update the weights) with the loss: 300 steps on pairs
# with the article's mix (80% share a genre, 20% a score bucket). The session stays open,
# for the comparisons below.

# %%
tf1_pairs = context_pairs(groups, 300 * BATCH, seed=SEED)
session = tf.compat.v1.Session(graph=graph)
session.run(init)
tf1_losses = []
for step in range(300):
    batch = tf1_pairs[step * BATCH : (step + 1) * BATCH]
    _, batch_loss = session.run(
        [optimizer, loss],
        feed_dict={train_inputs: batch[:, 0], train_labels: batch[:, 1:]},
    )
    tf1_losses.append(float(batch_loss))
    if step % 50 == 0 or step == 299:
        print(f"step {step:3}: loss {batch_loss:6.2f}")

# %% tags=["remove-cell"]
assert np.mean(tf1_losses[-50:]) < np.mean(tf1_losses[:50])

# %% [markdown]
# ## 2. Why the loss starts near 64
#
# The loss of a single batch jumps around, but the mean over the last 50 steps is below
# the mean over the first 50 (both printed below). It is still falling: 300 batches of 64
# pairs show each artist only about twice (printed below), where the library's training
# uses 2,048,000 pairs. The graph runs; the model has hardly started.
#
# At the start every score $u^\top v + b$ is close to 0, so NCE's logit for a noise id
# $n$ is about $-\log(k\,q(n))$, and its term in the loss about $\log\frac{1}{k\,q(n)}$
# (the true context's term is close to 0). Summed over $k = 16$ draws from $q$, that is
# roughly $k\,(H(q) - \log k)$, where $H(q)$ is the entropy of the noise distribution: a
# rough estimate, because the sampler draws 16 *distinct* ids and the first ids are drawn
# so often that the approximation is loose. The loss is a sum of $k + 1$ terms, so its
# scale grows with $k$: it is not a probability. Each batch shares one draw of 16 noise
# ids, and which ids are drawn moves the loss a lot from batch to batch.


# %%
def nce_start_loss(noise_probs: np.ndarray, k: int) -> float:
    """k (H(q) - log k): the NCE loss of a model whose scores are all 0, on average."""
    entropy = -(noise_probs * np.log(noise_probs)).sum()
    return float(k * (entropy - np.log(k)))


ids = np.arange(VOCAB_SIZE)
log_uniform_q = (np.log(ids + 2) - np.log(ids + 1)) / np.log(VOCAB_SIZE + 1)
print(
    f"predicted start: {nce_start_loss(log_uniform_q, NUM_SAMPLED):.1f}; "
    f"loss of the first batch: {tf1_losses[0]:.1f}"
)
print(
    f"mean loss of steps 0-49: {np.mean(tf1_losses[:50]):.1f}, of steps 250-299: "
    f"{np.mean(tf1_losses[-50:]):.1f}; pairs per artist: {300 * BATCH / VOCAB_SIZE:.1f}"
)

# %% tags=["remove-cell"]
assert 0.45 < log_uniform_q[:100].sum() < 0.55  # "half of its noise on the first 100"
# a rough estimate: within a quarter of the first batch's loss
assert (
    abs(nce_start_loss(log_uniform_q, NUM_SAMPLED) - tf1_losses[0])
    < 0.25 * tf1_losses[0]
)

# %% [markdown]
# ## 3. The same model, TensorFlow 2 style
#
# The library's `SkipGram` holds the same three variables, and its `loss(targets,
# contexts)` computes the batch's NCE loss. `noise_block=None` is the article's way: one
# draw of 16 ids for the whole batch through `tf.nn.nce_loss` (the library's default
# draws fresh noise for every block of 16 pairs). Its noise is the library's
# unigram^0.75 instead of the log-uniform one.

# %%
ARTICLE = ModelConfig(noise_block=None)  # 64 dimensions, 16 noise ids for the batch
counts = np.bincount(tf1_pairs[:, 1], minlength=VOCAB_SIZE)  # each id's context count
model = SkipGram(VOCAB_SIZE, ARTICLE, context_counts=counts, seed=SEED)
targets, contexts = tf.constant(tf1_pairs[:BATCH, 0]), tf.constant(tf1_pairs[:BATCH, 1])
print({v.name: tuple(v.shape) for v in model.trainable_variables})
first_batch = float(model.loss(targets, contexts))
print("eager loss of the first batch:", round(first_batch, 2))
print(
    f"predicted start with its unigram^0.75 noise: "
    f"{nce_start_loss(model.noise_probs, NUM_SAMPLED):.1f}"
)

# %% [markdown]
# The same model starts higher than the TensorFlow 1 graph, near 100, for the reason
# given above: its output weights start at 0, so every score is exactly 0, and its noise
# is spread over many more artists than the log-uniform noise, which has most of its mass
# on the first ids. A flatter $q$ has a larger entropy $H(q)$, so each noise draw costs
# more at the start. (The prediction is an average over draws of noise; one batch's draw
# of 16 ids lands a few percent to either side of it.)

# %% tags=["remove-cell"]
assert (
    abs(nce_start_loss(model.noise_probs, NUM_SAMPLED) - first_batch)
    < 0.1 * first_batch
)

# %% [markdown]
# Here is a training step with the same plain gradient descent as the article, traced by
# `tf.function`. The gradient of a lookup concerns only the rows that were looked up, a
# `tf.IndexedSlices`, so it is applied to those rows only, as TensorFlow 1's optimizer
# did.


# %%
def make_train_step(model: SkipGram, learning_rate: float):
    """A traced SGD step for ``model``: returns the batch's loss before the update."""
    variables = [model.embeddings, model.weights, model.biases]

    @tf.function
    def train_step(targets, contexts):
        with tf.GradientTape() as tape:
            batch_loss = model.loss(targets, contexts)
        for variable, gradient in zip(
            variables, tape.gradient(batch_loss, variables), strict=True
        ):
            if isinstance(gradient, tf.IndexedSlices):
                variable.scatter_sub(
                    tf.IndexedSlices(learning_rate * gradient.values, gradient.indices)
                )
            else:
                variable.assign_sub(learning_rate * gradient)
        return batch_loss

    return train_step


train_step = make_train_step(model, LEARNING_RATE)

# %% [markdown]
# ## 4. Both graphs in TensorBoard
#
# Before the first call, ask TensorFlow to record the traced graph for TensorBoard, then
# write it to a log folder (`lessons/deeper/runs/`, which git ignores) with the article's
# TensorFlow 1 graph beside it:

# %%
LOGDIR = Path("runs/tf1_tf2_parity")
shutil.rmtree(LOGDIR, ignore_errors=True)
writer = tf.summary.create_file_writer(str(LOGDIR / "tf2_train_step"))
tf.summary.trace_on(graph=True, profiler=False)
first_loss = train_step(targets, contexts)
with writer.as_default():
    tf.summary.trace_export(name="train_step", step=0)
writer.close()
with graph.as_default():
    tf.compat.v1.summary.FileWriter(str(LOGDIR / "tf1_article"), graph=graph).close()

event_files = sorted(LOGDIR.rglob("events.out.tfevents.*"))
print(f"loss at the first step {float(first_loss):.2f}")
print("event files in", [p.parent.name for p in event_files])

# %% tags=["remove-cell"]
assert len(event_files) == 2 and all(p.stat().st_size > 0 for p in event_files)

# %% [markdown]
# To look at both graphs, run `tensorboard --logdir lessons/deeper/runs/tf1_tf2_parity`
# in a terminal and open its "Graphs" tab. The traced graph can also be listed from
# Python: a concrete function (the graph for one input signature) holds it.

# %%
traced = train_step.get_concrete_function(targets, contexts).graph
op_types = Counter(op.type for op in traced.get_operations())
print(f"{len(traced.get_operations())} operations of {len(op_types)} types")
print("the most common:", op_types.most_common(8))
model_ops = ("ResourceGather", "FixedUnigramCandidateSampler", "MatMul",
             "ResourceScatterSub", "AssignSubVariableOp")  # fmt: skip
print("the model's work:", {t: op_types[t] for t in model_ops})

# %% tags=["remove-cell"]
assert op_types["FixedUnigramCandidateSampler"] == 1  # the noise is drawn in the graph
assert op_types["ResourceScatterSub"] == 3 and op_types["AssignSubVariableOp"] == 0
assert train_step.experimental_get_tracing_count() == 1  # traced once, reused since

# %% [markdown]
# Most operations are plumbing (constants, reshapes, slices); the model itself is a few
# gathers, matrix products, the sampler, and the updates. All three updates are sparse:
# NCE only reads the output weights and biases of the batch's contexts and of the noise
# samples, so only those rows (and the batch's rows of the embedding table) change.
#
# ## 5. Same batch, same weights, same loss
#
# The two versions are the same model only if they compute the same loss. To compare
# them, give them the same weights and the same noise:
#
# - copy the TensorFlow 1 variables (after its 300 steps) into a fresh `SkipGram`;
# - draw one set of noise ids with the model's sampler, together with the expected counts
#   NCE needs, and use it in both: TensorFlow 1 lets `feed_dict` replace *any* tensor of
#   the graph, the sampler's outputs included; in TensorFlow 2 we replace the model's
#   `sample_noise` method on this one object.

# %%
twin = SkipGram(VOCAB_SIZE, ARTICLE, context_counts=counts, seed=SEED)
tf1_variables = {"embeddings": embeddings, "weights": nce_weights, "biases": nce_biases}
for name, tf1_variable in tf1_variables.items():
    getattr(twin, name).assign(session.run(tf1_variable))

# (noise ids, expected count of each true id, expected count of each noise id)
fixed_noise = twin.sample_noise(contexts)
twin.sample_noise = lambda contexts: fixed_noise
feed = {
    train_inputs: targets.numpy(),
    train_labels: contexts.numpy()[:, None],
    noise[0]: fixed_noise[0].numpy(),
    noise[1]: fixed_noise[1].numpy(),
    noise[2]: fixed_noise[2].numpy(),
}
loss_tf1 = session.run(loss, feed_dict=feed)
loss_eager = float(twin.loss(targets, contexts))
loss_traced = float(tf.function(twin.loss)(targets, contexts))
print(
    f"TensorFlow 1: {loss_tf1:.4f}   TensorFlow 2 eager: {loss_eager:.4f}   traced: "
    f"{loss_traced:.4f}"
)

# %% tags=["remove-cell"]
assert abs(loss_tf1 - loss_eager) <= 1e-6 * abs(loss_tf1)
assert abs(loss_tf1 - loss_traced) <= 1e-6 * abs(loss_tf1)

# %% [markdown]
# The same holds for the training step: one update in each world, from the same weights
# with the same noise, gives the same new weights.

# %%
session.run(optimizer, feed_dict=feed)
make_train_step(twin, LEARNING_RATE)(targets, contexts)
gaps = {}
for name, tf1_variable in tf1_variables.items():
    gaps[name] = np.abs(getattr(twin, name).numpy() - session.run(tf1_variable)).max()
    print(f"{name:10} largest difference after one step: {gaps[name]:.1e}")
session.close()

# %% tags=["remove-cell"]
assert all(gap < 1e-5 for gap in gaps.values())

# %% [markdown]
# ## 6. What one draw of noise per batch costs
#
# The article's `tf.nn.nce_loss` shares one draw of 16 noise ids across the whole batch;
# the library draws 16 for every block of 16 pairs. With batches of 64 the difference is
# small. With the library's batches of 4,096, one draw per batch pushes down the output
# vectors of only 16 artists in a step, against 4,096 true contexts; per-block noise
# gives the batch 4,096 noise draws (with repeats). Here is the library's default
# training with each, judged by genre precision@10 and score error@10 (lesson 7), with
# random vectors for scale:

# %%
shared = train(artists, TrainConfig(model=ModelConfig(noise_block=None)))
per_block = train(artists, TrainConfig())
scores = {}
for name, emb in (
    ("one draw per batch", shared.embeddings),
    ("one draw per block (default)", per_block.embeddings),
    ("random vectors", random_embeddings(artists, seed=SEED)),
):
    scores[name] = neighbour_scores(emb, artists, ks=[10]).iloc[0]
    print(f"{name:29} genre precision@10 {scores[name]['genre_precision']:.3f}, "
          f"score error@10 {scores[name]['score_error']:.3f}")  # fmt: skip

# %% tags=["remove-cell"]
batch_draw = scores["one draw per batch"]
block_draw = scores["one draw per block (default)"]
chance = scores["random vectors"]
assert block_draw["genre_precision"] > batch_draw["genre_precision"] + 0.2
assert block_draw["score_error"] < 0.5 * batch_draw["score_error"]
assert batch_draw["genre_precision"] < chance["genre_precision"] + 0.15

# %% [markdown]
# With one draw per batch, each step pushes down the output vectors of only 16 artists,
# against 4,096 true contexts: most output vectors are never shown as noise in a given
# step, and the model learns far less from the same 500 steps. Its vectors are close to
# random ones on both measures.
#
# ## Exercises
#
# :::{exercise} the two figures, step by step
# :label: parity-two-figures-step
#
# Section 1 kept the loss of each of its 300 TensorFlow 1 steps. Compute, at every step,
# the running mean since step 0 and the mean of the last 50 steps, and plot both with the
# raw losses. At step 299, how far apart are they?
# :::

# %% [markdown]
# ```{solution} parity-two-figures-step
# :label: parity-two-figures-step-solution
# :class: dropdown
# A cumulative sum gives both: the running mean divides it by the number of steps, the
# window mean takes differences 50 steps apart. The raw losses are noisy; the window mean
# follows their level, the running mean trails behind it.
# ```

# %% tags=["solution", "hide-cell"] mystnb={"image": {"alt": "Loss against step (1 to 300) of the TF1 training: the raw loss of each batch (grey) is very noisy; the running mean since step 0 declines slowly, and the mean of the last 50 steps, from step 50 on, runs below it."}}
per_step = np.array(tf1_losses)
total = np.concatenate([[0.0], np.cumsum(per_step)])
steps = np.arange(1, len(per_step) + 1)
running_tf1 = total[1:] / steps
window_tf1 = (total[50:] - total[:-50]) / 50  # windows ending at steps 50..300
fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.plot(steps, per_step, color="lightgrey", label="loss of each batch")
ax.plot(steps, running_tf1, label="running mean since step 0")
ax.plot(steps[49:], window_tf1, label="mean of the last 50 steps")
ax.set_xlabel("step")
ax.set_ylabel("loss")
ax.legend()
plt.show()
print(
    f"at step 299: running mean {running_tf1[-1]:.2f}, last 50 steps "
    f"{window_tf1[-1]:.2f}"
)

# %% [markdown]
# ## Summary
#
# - The article's graph, rebuilt with `tf.compat.v1` with its sampler made explicit,
#   trains in a `Session`; its first loss is about $k\,(H(q) - \log k)$, set by the
#   entropy of the noise.
# - Both a TensorFlow 1 graph and a traced `tf.function` can be written for TensorBoard;
#   the traced step's model work is a few gathers, matrix products, the sampler and three
#   sparse updates.
# - Fed the same weights and the same noise (`feed_dict` can replace any tensor), the
#   article's graph and the library's `SkipGram` give the same loss, eager or traced, and
#   the same update.
# - One draw of 16 noise ids per batch of 4,096 leaves the vectors close to random ones;
#   the library draws fresh noise for every block of 16 pairs.
