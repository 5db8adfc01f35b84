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
# The original article {cite}`ferris2018rockbands` trained its model in TensorFlow 1,
# where you first describe a computation as a graph and then run it in a session. TensorFlow
# 2 runs Python code directly and builds graphs only when asked. This lesson rebuilds the
# article's graph, writes the same model the TensorFlow 2 way, checks that both compute the
# same thing, and then trains Bands2Vec for real.
#
# ## Learning objectives
#
# After this lesson you can:
#
# - say what a computation graph is, and run one with placeholders, `feed_dict` and a `Session`;
# - rebuild the article's skip-gram graph with `tf.compat.v1` and train it for a few steps;
# - write the same model in TensorFlow 2, list the operations of the graph `tf.function`
#   traces, and log that graph for TensorBoard;
# - check that the two versions compute the same loss;
# - train Bands2Vec with NCE, read its loss curve honestly, and save the embeddings.

# %% [markdown]
# ## Setup
#
# One seed for the lesson. `enable_op_determinism` makes TensorFlow pick deterministic
# kernels, so the losses printed below are the same on every run.

# %%
import math
import shutil
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.data import load_artists
from bands2vec_lib.model import ModelConfig, SkipGram
from bands2vec_lib.pairs import ContextGroups, context_pairs
from bands2vec_lib.plots import plot_computation_graph, plot_loss_curves
from bands2vec_lib.similarity import (
    genre_precision_at_k,
    random_embeddings,
    score_error_at_k,
)
from bands2vec_lib.training import (
    TrainConfig,
    save_trained,
    train,
    train_on_pairs,
    train_or_load,
    training_pairs,
)
from bands2vec_lib.vocab import Vocabulary
from bands2vec_lib.widgets import loss_curve_control

tf = quiet_tensorflow()
SEED = 0
tf.random.set_seed(SEED)
tf.config.experimental.enable_op_determinism()

# %% [markdown]
# The data of lesson 4: the artists of the embedded sample (or of the real data, when
# `BANDS2VEC_DATA` is set), their vocabulary, and pairs of artists that share a genre or a
# score bucket.

# %%
artists = load_artists(seed=SEED)
vocab = Vocabulary.from_artists(artists)
groups = ContextGroups.from_artists(artists, vocab)
print(f"{len(vocab):,} artists")

# %% [markdown]
# ## 1. What a computation graph is
#
# A computation graph is a program written as data: each node is an **operation** (add,
# multiply, look up rows of a matrix), and each edge is a **tensor** flowing from one
# operation's output into another's input. Because the whole computation is known before it
# runs, a framework can optimise it as a whole (prune what is not needed, fuse operations),
# save it, and run it without the Python code that built it, for example from C++ or on a
# phone. (Differentiating and running on a GPU do not need a graph: TensorFlow 2's eager
# mode does both.)
#
# In TensorFlow 1 you built the graph first. A **placeholder** is an input to be given
# later; nothing is computed while building:

# %%
tiny = tf.compat.v1.Graph()
with tiny.as_default():
    x = tf.compat.v1.placeholder(tf.float32, shape=[], name="x")
    wx = tf.multiply(tf.constant(3.0, name="w"), x, name="wx")
    y = tf.add(wx, tf.constant(1.0, name="b"), name="y")
print(y)
print([f"{op.name} ({op.type})" for op in tiny.get_operations()])

# %% mystnb={"image": {"alt": "Diagram of y = 3x + 1 as a graph: x (Placeholder) and w (Const) feed the node wx (Mul), and wx and b (Const) feed y (AddV2)."}}
fig, ax = plt.subplots(figsize=(6, 2.2))
plot_computation_graph(tiny, ax=ax)
ax.set_title("y = 3x + 1 as a graph")
plt.show()

# %% [markdown]
# A **session** runs the graph: you ask for the tensors you want (`fetches`) and give a
# value to each placeholder they depend on (`feed_dict`). TensorFlow then executes only the
# operations needed for the fetches.

# %%
with tf.compat.v1.Session(graph=tiny) as session:
    y_at_2 = session.run(y, feed_dict={x: 2.0})
print("y(2) =", y_at_2)

# %% tags=["remove-cell"]
assert y_at_2 == 7.0
assert (
    tf.executing_eagerly()
)  # the graph lived in its own context: the rest stays eager

# %% [markdown]
# ## 2. The article's graph, TensorFlow 1 style
#
# The article's model is TensorFlow 1's word2vec tutorial applied to artists:
# placeholders for a batch of target ids and their context ids, an embedding table
# looked up by id, NCE output weights and biases, `tf.nn.nce_loss` with 16 noise samples
# (and its default `remove_accidental_hits=False`: a noise id that equals a pair's true
# context still counts as noise, which is right for NCE; lesson 3,
# {numref}`exercise %s <sampling-accidental-hits>`), and plain stochastic gradient
# descent with learning rate 1 on batches of 64 pairs (the article ran 100,000 of them).
# One change makes the later comparison possible: the noise sampler, which `nce_loss`
# would create inside itself, is created explicitly (it is the same log-uniform sampler
# `nce_loss` uses by default), so that we can hand it other values later. This keeps the
# article's sampler mistake on purpose: lesson 3 showed that the log-uniform sampler
# assumes ids sorted by context count with Zipf-like counts, and the ids here are sorted
# by reviews while the pairs' context counts form a few plateaus, so half of its noise
# falls on the first 100 ids, whichever artists those are. Section 3 replaces it.

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
        tf.compat.v1.truncated_normal([VOCAB_SIZE, DIM], stddev=1.0 / math.sqrt(DIM)),
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

print(
    f"{len(graph.get_operations())} operations, for example:",
    sorted(
        {op.type for op in graph.get_operations()}
        & {
            "Placeholder",
            "ResourceGather",
            "LogUniformCandidateSampler",
            "MatMul",
            "ResourceScatterAdd",
            "ResourceApplyGradientDescent",
        }
    ),
)

# %% [markdown]
# Nothing has run yet: `loss` is a symbolic tensor. A session initialises the variables,
# then each training step feeds a batch of pairs through `feed_dict` and fetches the
# optimizer (to update the weights) together with the loss. Here are 300 steps on pairs
# from lesson 4's generator:

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
# The loss of a single batch jumps around, but the mean over the last 50 steps is below
# the mean over the first 50 (both printed below). It is still falling: 300 batches of
# 64 pairs show each artist only about twice (printed below), where section 5's training
# uses 2,048,000 pairs. (Section 6's loss, near 2, is not on this scale: NCE's loss
# depends on the noise distribution, and section 5 uses another one.) The graph runs;
# the model has hardly started.
#
# Why does it start near 64? At the start every score $u^\top v + b$ is close to 0, so
# NCE's logit for a noise id $n$ is about $-\log(k\,q(n))$, and its term in the loss is
# about $\log\frac{1}{k\,q(n)}$ (the true context's term is close to 0). Summed over
# $k = 16$ draws from $q$, that is roughly $k\,(H(q) - \log k)$, where $H(q)$ is the
# entropy of the noise distribution: a rough estimate, because the sampler draws 16
# *distinct* ids and the first ids are drawn so often that the approximation is loose.
# The loss is a sum of $k + 1$ terms, so its scale grows with $k$: it is not a
# probability. Each batch shares one draw of 16 noise ids, and which ids are drawn moves
# the loss a lot from batch to batch.


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
# a rough estimate: within a quarter of the first batch's loss
assert (
    abs(nce_start_loss(log_uniform_q, NUM_SAMPLED) - tf1_losses[0])
    < 0.25 * tf1_losses[0]
)

# %% [markdown]
# ## 3. The same model, TensorFlow 2 style
#
# In TensorFlow 2 operations run as soon as Python reaches them ("eager execution"), and
# the model is an ordinary Python object. The library's `SkipGram` holds the same three
# variables, and its `loss(targets, contexts)` method computes the batch's NCE loss. Its
# `ModelConfig` has one setting that matters here: `noise_block`, how many pairs share one
# draw of noise ids. `None` is the article's way, one draw of 16 ids for the whole batch
# through `tf.nn.nce_loss`; the library's default draws fresh noise for every small block
# of pairs (section 5). Here we take the article's way, with the library's unigram^0.75
# noise instead of the log-uniform one.

# %%
ARTICLE = ModelConfig(
    noise_block=None
)  # 64 dimensions, 16 noise ids shared by the batch
counts = np.bincount(
    tf1_pairs[:, 1], minlength=VOCAB_SIZE
)  # how often each id is a context
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
# The same model starts higher than the TensorFlow 1 graph, near 100, for the reason given
# above: its output weights start at 0, so every score is exactly 0, and its noise is
# spread over many more artists than the log-uniform noise, which has most of its mass on
# the first ids. A flatter $q$ has a larger entropy $H(q)$, so each noise draw costs more
# at the start. (The prediction is an average over draws of noise; one batch's draw of 16
# ids lands a few percent to either side of it.)

# %% tags=["remove-cell"]
assert (
    abs(nce_start_loss(model.noise_probs, NUM_SAMPLED) - first_batch)
    < 0.1 * first_batch
)

# %% [markdown]
# Eager code is easy to write and debug, but every operation goes back through Python.
# `tf.function` turns a Python function into a graph: the first call **traces** it, running
# the Python once with symbolic tensors and recording every TensorFlow operation; later
# calls run the recorded graph. Here is a full training step, with the same plain gradient
# descent as the article. The gradient of a lookup only concerns the rows that were looked
# up, a `tf.IndexedSlices`, so it is applied to those rows only, as TensorFlow 1's
# optimizer did.


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
# Before the first call, ask TensorFlow to record the traced graph for TensorBoard, then
# write it to a log folder (`lessons/runs/`, which git ignores) with the article's TensorFlow
# 1 graph beside it:

# %%
LOGDIR = Path("runs/lesson05")
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
# To look at both graphs, run `tensorboard --logdir lessons/runs/lesson05` in a terminal and
# open its "Graphs" tab. The traced graph can also be listed from Python: a concrete
# function (the graph for one input signature) holds it.

# %%
traced = train_step.get_concrete_function(targets, contexts).graph
op_types = Counter(op.type for op in traced.get_operations())
print(
    f"{len(traced.get_operations())} operations of {len(op_types)} types; the most "
    f"common:"
)
print(op_types.most_common(8))
print(
    "the model's work:",
    {
        t: op_types[t]
        for t in (
            "ResourceGather",
            "FixedUnigramCandidateSampler",
            "MatMul",
            "ResourceScatterSub",
            "AssignSubVariableOp",
        )
    },
)

# %% tags=["remove-cell"]
assert (
    op_types["FixedUnigramCandidateSampler"] == 1
)  # the noise is drawn inside the graph
assert (
    op_types["ResourceScatterSub"] == 3 and op_types["AssignSubVariableOp"] == 0
)  # all updates sparse
assert train_step.experimental_get_tracing_count() == 1  # traced once, reused since

# %% [markdown]
# Most operations are plumbing (constants, reshapes, slices); the model itself is a few
# gathers, matrix products, the sampler, and the updates. All three updates are sparse:
# NCE only reads the output weights and biases of the batch's contexts and of the noise
# samples, so only those rows (and the batch's rows of the embedding table) change.
#
# ## 4. Same batch, same weights, same loss
#
# The two versions are the same model only if they compute the same loss. To compare them,
# give them the same weights and the same noise:
#
# - copy the TensorFlow 1 variables (after its 300 steps) into a fresh `SkipGram`;
# - draw one set of noise ids with the model's sampler, together with the expected counts
#   NCE needs, and use it in both: TensorFlow 1 lets `feed_dict` replace *any* tensor of
#   the graph, the sampler's outputs included; in TensorFlow 2 we replace the model's
#   `sample_noise` method on this one object.

# %%
twin = SkipGram(VOCAB_SIZE, ARTICLE, context_counts=counts, seed=SEED)
for name, tf1_variable in [
    ("embeddings", embeddings),
    ("weights", nce_weights),
    ("biases", nce_biases),
]:
    getattr(twin, name).assign(session.run(tf1_variable))

fixed_noise = twin.sample_noise(
    contexts
)  # (noise ids, expected count of each true id, of each noise id)
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
for name, tf1_variable in [
    ("embeddings", embeddings),
    ("weights", nce_weights),
    ("biases", nce_biases),
]:
    gap = np.abs(getattr(twin, name).numpy() - session.run(tf1_variable)).max()
    print(f"{name:10} largest difference after one step: {gap:.1e}")
    assert gap < 1e-5
session.close()

# %% [markdown]
# ## 5. Training Bands2Vec
#
# Time for real training. `bands2vec_lib.training.train` does what section 3 did, at
# scale: pairs from `context_pairs`, batches from `tf.data` (lesson 4), and one traced
# function that runs a whole window of steps per Python call. Its defaults are printed
# below. What stays from the article: the model (64 dimensions, NCE with 16 noise ids per
# draw). What changes:
#
# - **the start**: small random embeddings (between -0.1 and 0.1) and output weights at
#   0, where the article used -1 to 1 and random output weights;
# - **the noise distribution**: context counts (plus 1, so that every id can be noise)
#   raised to the power 0.75 (lesson 3) instead of log-uniform;
# - **the pairs**: 95% share a genre *and* a score bucket, 5% a bucket alone (lesson 4,
#   section 6), where the article's were 80% genre and 20% bucket; lesson 7 measures what
#   that changes in the vectors;
# - **the noise**: where the article's whole batch shared one draw of 16 noise ids, each
#   block of `noise_block` = 16 pairs draws its own 16, so a batch of 4,096 pairs sees
#   4,096 noise draws (with repeats) instead of 16;
# - **the optimizer**: Adam, with a learning rate that falls linearly to 0, and batches
#   of 4,096 (the recipe the library's benchmarks measure against gensim), where the
#   article ran plain SGD at a learning rate of 1 on 100,000 batches of 64. In Adam a
#   row the batch did not use still moves, by its running mean of earlier gradients,
#   which fades by about a factor 0.9 a step; only a row that has never had a gradient
#   stays where it is. The library makes those moves late: all at once when a batch next
#   reads the row, and for every row at the end of training (leaving out Adam's small
#   $\epsilon$, a row's missed moves add up to one number times its $m/\sqrt{v}$). A step
#   then touches only the rows its batch reads, so its cost does not grow with the
#   vocabulary: the book's page *Training at scale* measures it up to a million items.
#
# `TrainConfig` and `ModelConfig` document each setting.

# %%
config = TrainConfig()
print(
    f"steps {config.steps}, batch {config.batch_size}, learning rate "
    f"{config.learning_rate}, "
    f"log every {config.log_every} steps"
)
print(config.model)
bucket_only = 1 - config.joint_share - config.genre_share
print(
    f"pairs: {config.joint_share:.0%} share a genre and a bucket, "
    f"{config.genre_share:.0%} a genre only, "
    f"{bucket_only:.0%} a bucket only"
)

# %% tags=["remove-cell"]
assert (config.model.dim, config.model.num_sampled, config.model.loss) == (
    64,
    16,
    "nce",
)

# %% [markdown]
# ### The loop, written out
#
# Before calling the library, here is the loop it runs, in plain TensorFlow: the
# per-block NCE loss, Adam, and the learning rate that falls linearly to 0. It runs
# eagerly, one step per Python iteration, for the first 20 steps of a 20-step training.
#
# The loss: each block of 16 pairs shares 16 noise ids, and every score is shifted by
# $-\log(k\,q)$ as NCE requires (lesson 3).


# %%
def block_nce_loss(
    model: SkipGram, targets: tf.Tensor, contexts: tf.Tensor
) -> tf.Tensor:
    """The mean NCE loss of a batch, each block of pairs with its own noise ids."""
    k, block = model.config.num_sampled, model.config.noise_block
    log_kq = tf.constant(np.log(k * model.noise_probs).astype(np.float32))
    centre = tf.gather(model.embeddings, targets)  # (B, d)
    noise = model.draw_noise(len(targets) // block)  # (B / block, k)
    true = tf.reduce_sum(centre * tf.gather(model.weights, contexts), axis=1)
    true += tf.gather(model.biases, contexts) - tf.gather(log_kq, contexts)  # (B,)
    blocks = tf.reshape(centre, [-1, block, centre.shape[1]])  # (B / block, block, d)
    scores = tf.einsum("gid,gkd->gik", blocks, tf.gather(model.weights, noise))
    scores += (tf.gather(model.biases, noise) - tf.gather(log_kq, noise))[:, None, :]
    noise_terms = tf.reshape(tf.reduce_sum(tf.nn.softplus(scores), axis=2), [-1])
    return tf.reduce_mean(tf.nn.softplus(-true) + noise_terms)


# %% [markdown]
# Adam keeps, for every number of every table, a running mean of its gradients ($m$)
# and of their squares ($v$), and moves it by the learning rate times
# $\hat m / (\sqrt{\hat v} + \epsilon)$, where the hats correct both means for starting
# at 0 (one correction, by the global step, for every row). This Adam is dense: it
# updates every row at every step, and a row keeps moving on its fading $m$ for a few
# dozen steps after its last gradient. The library has it as `optimizer="dense_adam"`;
# its default Adam makes the same moves late, only to the rows a batch reads.


# %%
def train_by_hand(pairs: np.ndarray, config: TrainConfig) -> np.ndarray:
    """The library's training loop, eagerly: returns the trained embeddings."""
    tf.random.set_seed(config.seed)
    used = pairs[: config.steps * config.batch_size]
    counts = np.bincount(used[:, 1], minlength=len(vocab))
    model = SkipGram(len(vocab), config.model, context_counts=counts, seed=config.seed)
    variables = [model.embeddings, model.weights, model.biases]
    m = [tf.zeros_like(x) for x in variables]
    v = [tf.zeros_like(x) for x in variables]
    beta1, beta2, eps = 0.9, 0.999, 1e-7
    for step, batch in enumerate(used.reshape(config.steps, config.batch_size, 2)):
        lr = config.learning_rate * (1 - step / config.steps)  # linear decay to 0
        with tf.GradientTape() as tape:
            loss = block_nce_loss(
                model, tf.constant(batch[:, 0]), tf.constant(batch[:, 1])
            )
        grads = [tf.convert_to_tensor(g) for g in tape.gradient(loss, variables)]
        t = step + 1
        correction = np.sqrt(1 - beta2**t) / (1 - beta1**t)
        for i, (x, g) in enumerate(zip(variables, grads, strict=True)):
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * tf.square(g)
            x.assign_sub(lr * correction * m[i] / (tf.sqrt(v[i]) + eps))
    return model.embeddings.numpy()


# %% tags=["nbval-ignore-output"]
short = TrainConfig(steps=20)
short_pairs = training_pairs(artists, vocab, short)
by_hand = train_by_hand(short_pairs, short)
dense = TrainConfig(steps=20, optimizer="dense_adam")
by_library = train_on_pairs(short_pairs, vocab, dense).embeddings.vectors
by_default = train_on_pairs(short_pairs, vocab, short).embeddings.vectors
for name, vectors in (("dense_adam", by_library), ("adam (the default)", by_default)):
    gap = np.abs(by_hand - vectors).max()
    print(f"{name:18} largest difference after {short.steps} steps: {gap:.1e}")

# %% [markdown]
# With `dense_adam`, the same numbers to rounding: the library's `train_on_pairs` is this
# loop, run inside one traced graph per window of steps (section 3), which makes it many
# times faster. The default Adam ends a little further off, by a few ten-thousandths at
# most: its late moves leave out Adam's $\epsilon$, which counts for rows whose gradients
# are still tiny, as they are in the first steps, when the output weights start at 0.

# %% tags=["remove-cell"]
assert np.allclose(by_hand, by_library, atol=1e-4)
assert np.allclose(by_hand, by_default, atol=1e-3)

# %% [markdown]
# Now the full training, with the library:

# %%
result = train(artists, config)
history = result.history

# %% tags=["nbval-ignore-output"]
print(f"trained in {result.seconds:.0f} s")

# %% [markdown]
# ## 6. An honest loss curve
#
# `train` records the **mean loss of each window** of `log_every` steps: each figure
# describes that stretch of training only. The article printed instead the **running mean
# since step 0**, the average of every loss so far. Both come from the same losses: the
# running mean at the end of a window is the mean of the window means so far, each weighted
# by its number of steps.

# %%
windowed = history.loss
lengths = np.diff(np.concatenate([[0], history.steps]))  # steps in each window
running = np.cumsum(windowed * lengths) / history.steps
for i in np.unique(np.linspace(0, len(windowed) - 1, 6).round().astype(int)):
    print(
        f"step {history.steps[i]:5}: window mean {windowed[i]:8.3f}   running mean "
        f"{running[i]:8.3f}"
    )

# %% mystnb={"image": {"alt": "Line chart of loss against training step, two reports of one run: the mean of the last 50 steps drops sharply after the first window and stays low, while the running mean since step 0 falls slowly and stays well above it."}}
fig, ax = plt.subplots(figsize=(6.5, 3.5))
plot_loss_curves(
    history.steps,
    {
        f"mean of the last {config.log_every} steps": windowed,
        "running mean since step 0": running,
    },
    ax=ax,
)
ax.set_title("The same training, two ways to report its loss")
plt.show()

# %% [markdown]
# The first window's mean is far below the start near 100 (section 3) because the loss
# falls fast in the first few steps. It ends near 2, summed over a pair's 17 terms. It
# cannot reach 0 even for a perfect model: a noise artist drawn at random is often a true
# context of the target too (the same genre and bucket), and NCE's best answer for it is
# then a probability between 0 and 1, not certainty.
#
# The running mean carries the large losses of the first steps forever: at the end it is
# still far above what the model now achieves, and it keeps falling even when training has
# stopped improving, so it hides both the progress and the plateau. The windowed mean
# shows where training is.
#
# The slider below moves along the training: the two bars are the two figures at that
# step. It works in the book too, since every step's bars are made in advance; the figure
# above stays, because it shows both curves over the whole training at once.

# %% tags=["nbval-ignore-output"]
loss_control = loss_curve_control(history.steps, history.loss)
display(loss_control)

# %%
at_end = loss_control.callback(int(history.steps[-1]))
print({key: round(value, 3) for key, value in at_end.items()})

# %% tags=["remove-cell"]
assert (
    np.isclose(at_end["running_mean"], running[-1])
    and at_end["window_mean"] == windowed[-1]
)
assert windowed[-1] < windowed[0]  # training lowered the loss
assert running[-1] > windowed[-1]  # the running mean lags behind

# %% [markdown]
# ## 7. Did it learn anything?
#
# A falling loss says the model fits its pairs, not that the vectors are useful. Two first
# checks, developed in lesson 7, over each artist's 10 nearest neighbours by cosine
# similarity: the share of them that share a genre with it (**genre precision@10**), and
# how far their mean review score is from its own (**score error@10**), against the same
# figures for random vectors. Random vectors already score well above 0 on genres, because
# so many artists play rock.

# %%
precision = genre_precision_at_k(result.embeddings, artists, k=10)
random_vectors = random_embeddings(artists, seed=SEED)
chance = genre_precision_at_k(random_vectors, artists, k=10)
score_error = score_error_at_k(result.embeddings, artists, k=10)
chance_error = score_error_at_k(random_vectors, artists, k=10)
print(f"genre precision@10: trained {precision:.3f}, random vectors {chance:.3f}")
print(
    f"score error@10:     trained {score_error:.3f}, random vectors {chance_error:.3f}"
)

# %% tags=["remove-cell"]
assert precision > chance + 0.25 and score_error < 0.5 * chance_error

# %% [markdown]
# ## 8. Saving the embeddings
#
# Lessons 6 and 7 need these vectors. `train_or_load(artists, config, path)` returns the
# embeddings stored at `path` when the file records the same training settings and the
# same artists; otherwise it trains, saves and returns them. Lessons 6 and 7 call it with
# the same arguments, so they reuse this lesson's file, or train the same vectors
# themselves (training is deterministic for a seed) if you run them first.
#
# We already trained, so `save_trained` stores our result with the two facts
# `train_or_load` checks: the settings and a fingerprint of the artists. The call then
# finds the file and loads it instead of training again.

# %%
ARTIFACT = Path("artifacts/bands2vec.npz")
save_trained(result.embeddings, artists, config, ARTIFACT)
written = ARTIFACT.stat().st_mtime_ns

loaded = train_or_load(artists, config, path=ARTIFACT)
print(loaded, f"({ARTIFACT.stat().st_size / 2**20:.1f} MiB)")

# %% tags=["remove-cell"]
assert ARTIFACT.stat().st_mtime_ns == written  # loaded, not trained and written again
assert np.array_equal(loaded.vectors, result.embeddings.vectors)

# %% [markdown]
# ## Self-check
#
# The claims of this lesson, checked once more in one place:

# %%
claims = {
    "a TensorFlow 1 graph runs only in a session; the rest stays eager": (
        y_at_2 == 7.0 and tf.executing_eagerly()
    ),
    "300 steps of the article's graph lower its loss": (
        np.mean(tf1_losses[-50:]) < np.mean(tf1_losses[:50])
    ),
    "tf.function traced the training step once": (
        train_step.experimental_get_tracing_count() == 1
    ),
    "TensorFlow 1 and 2 give the same loss (to 1e-6)": (
        abs(loss_tf1 - loss_eager) <= 1e-6 * abs(loss_tf1)
    ),
    "the loop by hand gives the library's vectors (to 1e-4)": bool(
        np.allclose(by_hand, by_library, atol=1e-4)
    ),
    "training lowered the windowed loss": windowed[-1] < windowed[0],
    "the running mean ends above the last window's mean": running[-1] > windowed[-1],
    "the trained vectors beat random ones at genre precision@10": (
        precision > chance + 0.25
    ),
    "their neighbours' scores are under half as far off as random ones'": (
        score_error < 0.5 * chance_error
    ),
    "train_or_load loaded the saved file": ARTIFACT.stat().st_mtime_ns == written,
}
for claim, holds in claims.items():
    print(f"{'ok' if holds else 'FAILED'}: {claim}")
assert all(claims.values())

# %% [markdown]
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
# A fed tensor replaces the operation that would compute it, so `y = 10 + 1 = 11` and the
# placeholder `x`, no longer needed, does not even have to be fed. Section 4 used this to
# replace the noise sampler's outputs.
# ```

# %% tags=["solution", "hide-cell"]
with tf.compat.v1.Session(graph=tiny) as session:
    print("y =", session.run(y, feed_dict={wx: 10.0}))

# %% [markdown]
# :::{exercise} when does `tf.function` trace again?
# :label: graph-tf-function-trace
#
# A traced graph is reused only for inputs of the same kind. Make a new training step for
# a fresh `SkipGram`, call it with batches of 128, then of 64, then of 128 again, and count
# the traces with `experimental_get_tracing_count()`. How do you avoid the second trace?
# :::

# %% [markdown]
# ```{solution} graph-tf-function-trace
# :label: graph-tf-function-trace-solution
# :class: dropdown
# A batch of another shape is a new input signature, so it is traced again (2 traces);
# going back to 128 reuses the first graph. Giving `tf.function` an `input_signature` with
# an unknown batch size, `tf.TensorSpec([None], tf.int64)`, makes one graph serve every
# batch size. `tf.function(reduce_retracing=True)` (off by default) does not avoid the
# second trace: on the first retrace it traces a more general signature, which then
# serves every later batch size.
# ```

# %% tags=["solution", "hide-cell"]
fresh = SkipGram(VOCAB_SIZE, ARTICLE, context_counts=counts, seed=SEED)
step_fn = make_train_step(fresh, LEARNING_RATE)
for size in (128, 64, 128):
    step_fn(tf.constant(tf1_pairs[:size, 0]), tf.constant(tf1_pairs[:size, 1]))
print("traces with shapes 128, 64, 128:", step_fn.experimental_get_tracing_count())

spec = tf.TensorSpec([None], tf.int64)
any_batch = tf.function(fresh.loss, input_signature=[spec, spec])
for size in (128, 64, 32):
    any_batch(tf.constant(tf1_pairs[:size, 0]), tf.constant(tf1_pairs[:size, 1]))
print("traces with an input signature:", any_batch.experimental_get_tracing_count())

# %% [markdown]
# :::{exercise} the two figures, step by step
# :label: graph-two-figures-step
#
# Section 2 kept the loss of each of its 300 TensorFlow 1 steps. Compute, at every step,
# the running mean since step 0 and the mean of the last 50 steps, and plot both with the
# raw losses. At step 299, how far apart are they?
# :::

# %% [markdown]
# ```{solution} graph-two-figures-step
# :label: graph-two-figures-step-solution
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
# :::{exercise} one draw of noise per batch
# :label: graph-one-draw-noise
#
# The article's `tf.nn.nce_loss` shares one draw of 16 noise ids across the whole batch;
# the library draws 16 for every block of 16 pairs. Train with
# `TrainConfig(model=ModelConfig(noise_block=None))`, every other setting the default,
# and compare genre precision@10 and score error@10 with the default's. What happens to
# the output layer when 4,096 pairs share 16 noise ids?
# :::

# %% [markdown]
# ```{solution} graph-one-draw-noise
# :label: graph-one-draw-noise-solution
# :class: dropdown
# With one draw per batch, each step pushes down the output vectors of only 16 artists,
# against 4,096 true contexts: most output vectors are never shown as noise in a given
# step, so the model learns far less from the same 500 steps: genre precision 0.45 and
# score error 0.96, close to random vectors (printed).
# Per-block noise gives every block its own 16, 4,096 noise draws per batch.
# ```

# %% tags=["solution", "hide-cell"]
shared = train(artists, TrainConfig(model=ModelConfig(noise_block=None)))
for name, trained in (
    ("one draw per batch", shared.embeddings),
    ("one draw per block (default)", result.embeddings),
):
    precision_k = genre_precision_at_k(trained, artists, k=10)
    error_k = score_error_at_k(trained, artists, k=10)
    print(f"{name}: genre precision@10 {precision_k:.3f}, score error@10 {error_k:.3f}")


# %% [markdown]
# ## Summary
#
# - A computation graph is a program as data: operations joined by tensors. TensorFlow 1
#   built it first and ran it in a `Session`, feeding placeholders through `feed_dict`.
# - The article's model, rebuilt with `tf.compat.v1`, and the library's TensorFlow 2
#   `SkipGram` compute the same loss and the same update from the same weights and noise.
# - In TensorFlow 2, `tf.function` traces Python into a graph that you can list, reuse and
#   log for TensorBoard; a new input signature means a new trace.
# - `train` trains Bands2Vec with NCE (64 dimensions, 16 noise samples), per-block noise
#   and Adam with a decaying learning rate, the loop written out above (its moves made
#   late, only to the rows a batch reads); report the mean loss of recent steps, not the
#   running mean since step 0, which hides progress.
# - The trained vectors beat random ones at finding artists of the same genre and of a
#   similar score, and `train_or_load` saves them for lessons 6 and 7.
