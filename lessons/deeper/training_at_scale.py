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
# # Going deeper: Training at scale
#
# Lesson 5 trained Bands2Vec with one call, `train(artists, TrainConfig())`. This page
# opens that call. It writes the library's training loop out in plain TensorFlow and
# shows that it gives the library's numbers; explains the library's own Adam,
# `RowwiseAdam`, which makes Keras's Adam's updates only to the rows a batch reads, and
# shows it equal to Keras's Adam to float precision; and measures what each costs as the
# tables grow.
#
# ## Learning objectives
#
# After this page you can:
#
# - write the library's training step by hand: the per-block NCE loss, Adam, and a
#   learning rate that falls linearly to 0;
# - explain why the moves Adam makes to a row without a gradient add up to one number
#   times the row's $m/\sqrt{v}$;
# - say where the row-wise Adam and Keras's differ, and by how much;
# - say what a training step costs as the number of items grows.

# %% [markdown]
# ## Setup

# %%
import time

import numpy as np

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.data import load_artists
from bands2vec_lib.model import SkipGram
from bands2vec_lib.rowwise_adam import RowwiseAdam
from bands2vec_lib.similarity import neighbour_scores
from bands2vec_lib.training import (
    ADAM_EPSILON,
    ROWWISE_FROM,
    TrainConfig,
    optimizer_for,
    train_on_pairs,
    training_pairs,
)
from bands2vec_lib.vocab import Vocabulary

tf = quiet_tensorflow()
keras = tf.keras  # Keras 3, TensorFlow's high-level library
SEED = 0
tf.random.set_seed(SEED)
rng = np.random.default_rng(SEED)

artists = load_artists(seed=SEED)
vocab = Vocabulary.from_artists(artists)
config = TrainConfig()
pairs = training_pairs(artists, vocab, config)  # the 500 x 4,096 pairs train() uses
print(f"{len(vocab):,} artists, {len(pairs):,} pairs")
print("'auto' picks here:", type(optimizer_for(config, len(vocab))).__name__)

# %% [markdown]
# ## 1. The loop, written out
#
# Here is the loop `train` runs, in plain TensorFlow, eagerly, one step per Python
# iteration: the per-block NCE loss, Adam as Keras computes it, and the learning rate
# that falls linearly to 0. With `optimizer="adam"` (which is what `"auto"` picks for the
# course's 8,713 artists) the library runs the same loop with Keras's `Adam` and Keras's
# `PolynomialDecay` schedule, traced, one window of 50 steps per call.
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
# Adam keeps, for every number of every table, a running mean of its gradients ($m$) and
# of their squares ($v$). Keras's Adam, at step $t$ (from 1), with learning rate
# $\eta_t$:
#
# $$
# m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad
# v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2, \qquad
# x \leftarrow x - \eta_t\, c_t\, \frac{m}{\sqrt{v} + \epsilon},
# \qquad c_t = \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t},
# $$
#
# with $\beta_1 = 0.9$, $\beta_2 = 0.999$ and $\epsilon = 10^{-7}$; $c_t$ corrects both
# means for starting at 0. This Adam is dense: it updates every row at every step, and a
# row keeps moving on its fading $m$ for a while after its last gradient. The code below
# does the float operations in the order Keras does (in 32-bit floats, $m + (1 -
# \beta_1)(g - m)$ does not round exactly as $\beta_1 m + (1 - \beta_1) g$ does, and rows
# whose $\sqrt{v}$ is close to $\epsilon$ magnify such differences).


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
    beta1, beta2, eps = 0.9, 0.999, ADAM_EPSILON
    for step, batch in enumerate(used.reshape(config.steps, config.batch_size, 2)):
        lr = tf.constant(config.learning_rate * (1 - step / config.steps))  # to 0
        with tf.GradientTape() as tape:
            loss = block_nce_loss(
                model, tf.constant(batch[:, 0]), tf.constant(batch[:, 1])
            )
        grads = [tf.convert_to_tensor(g) for g in tape.gradient(loss, variables)]
        t = tf.constant(step + 1.0)
        step_size = lr * tf.sqrt(1 - beta2**t) / (1 - beta1**t)  # eta_t c_t
        for i, (x, g) in enumerate(zip(variables, grads, strict=True)):
            m[i] = m[i] + (g - m[i]) * (1 - beta1)  # = beta1 m + (1 - beta1) g
            v[i] = v[i] + (tf.square(g) - v[i]) * (1 - beta2)
            x.assign_sub(m[i] * step_size / (tf.sqrt(v[i]) + eps))
    return model.embeddings.numpy()


# %% [markdown]
# The first 20 steps of a 20-step training, by hand and by the library with each of its
# Adams:

# %%
short = TrainConfig(steps=20)
by_hand = train_by_hand(pairs, short)
by_library = {
    name: train_on_pairs(pairs, vocab, TrainConfig(steps=20, optimizer=name))
    for name in ("adam", "rowwise_adam")
}
short_gaps = {}
for name, result in by_library.items():
    short_gaps[name] = np.abs(by_hand - result.embeddings.vectors).max()
    print(f"{name:13} largest difference after 20 steps: {short_gaps[name]:.1e}")

# %% tags=["remove-cell"]
assert short_gaps["adam"] < 2e-6
assert short_gaps["rowwise_adam"] < 1e-3

# %% [markdown]
# With Keras's Adam (`"adam"`), the same numbers to rounding: the library's
# `train_on_pairs` is this loop, run inside one traced graph per window of steps, which
# makes it many times faster. The row-wise Adam ends a little further off, by a few
# ten-thousandths at most; section 2 says why.
#
# ## 2. The row-wise Adam
#
# Keras's Adam moves every row at every step. A row the batch did not read still moves:
# its gradient is 0, but its $m$ is not yet. With a million rows that is a million rows of
# work per step, for a batch of 4,096 pairs that reads at most 4,096 rows of the
# embedding table and 8,192 of each output table (contexts and noise). `RowwiseAdam`
# makes the same moves only to the rows a batch reads, and makes the others late.
#
# Why they can be made late: take a row whose last gradient came at step $u$, leaving
# running means $m$ and $v$. At step $u + j$, with no gradient since, Keras's Adam has
# faded them to $\beta_1^j m$ and $\beta_2^j v$, and moves the row by
#
# $$
# \eta_{u+j}\, c_{u+j}\, \frac{\beta_1^j\, m}{\sqrt{\beta_2^j\, v} + \epsilon}
# \;\approx\; r^j\, \eta_{u+j}\, c_{u+j}\, \frac{m}{\sqrt{v}},
# \qquad r = \frac{\beta_1}{\sqrt{\beta_2}} \approx 0.9005,
# $$
#
# leaving out $\epsilon$, which is small beside $\sqrt{v}$ while $m$ still counts. Every
# missed move is the same vector, $m/\sqrt{v}$, times a number that depends only on the
# steps, and the numbers $\eta_t c_t$ are known before training starts (the learning-rate
# schedule is fixed). So all the moves a row missed between step $u$ and now add up to
# one number times $m/\sqrt{v}$: `RowwiseAdam` precomputes the running sums, makes a row's
# missed moves when a batch next reads it (`prepare`), and every row's at the end
# (`finish`).
#
# One number of one row shows it: a gradient at each of the first 5 steps, then none for
# 45 steps, each missed move as Keras's Adam makes it, against their sum in closed form.

# %%
beta1, beta2, eps = 0.9, 0.999, ADAM_EPSILON
eta = 0.05 * (1 - np.arange(50) / 500)  # the library's learning rate, steps 1 to 50
t = np.arange(1, 51)
c = np.sqrt(1 - beta2**t) / (1 - beta1**t)
m = v = 0.0
for g in rng.normal(0.0, 1e-3, size=5):  # steps 1 to 5
    m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
j = np.arange(1, 46)  # steps 6 to 50, no gradient
keras_moves = eta[5:] * c[5:] * beta1**j * m / (np.sqrt(beta2**j * v) + eps)
r = beta1 / np.sqrt(beta2)
closed_form = (r**j * eta[5:] * c[5:]).sum() * m / np.sqrt(v)
relative = abs(keras_moves.sum() - closed_form) / abs(keras_moves.sum())
print(f"45 missed moves, one by one: {keras_moves.sum():.6e}")
print(f"one number times m/sqrt(v):  {closed_form:.6e}")
print(f"relative difference {relative:.1e}; epsilon / sqrt(v) {eps / np.sqrt(v):.1e}")

# %% tags=["remove-cell"]
assert relative < 3 * eps / np.sqrt(v) and relative < 1e-2

# %% [markdown]
# The two differ by about $\epsilon/\sqrt{v}$, the share of the denominator that the
# closed form leaves out. It matters only for rows whose gradients are still tiny, as
# they are in the first steps, when the output weights start at 0. Over a whole training
# on the course's data:

# %%
full = {
    name: train_on_pairs(pairs, vocab, TrainConfig(optimizer=name))
    for name in ("adam", "rowwise_adam")
}
full_gap = np.abs(
    full["adam"].embeddings.vectors - full["rowwise_adam"].embeddings.vectors
).max()
print(f"largest difference after {config.steps} steps: {full_gap:.1e}")
for name, result in full.items():
    row = neighbour_scores(result.embeddings, artists, ks=[10]).iloc[0]
    print(f"{name:13} genre precision@10 {row['genre_precision']:.3f}, "
          f"score error@10 {row['score_error']:.3f}")  # fmt: skip

# %% tags=["remove-cell"]
assert 1e-5 < full_gap < 1e-3  # about 5e-4: float precision, not a different training
quality = {
    name: neighbour_scores(result.embeddings, artists, ks=[10]).iloc[0]
    for name, result in full.items()
}
for measure in ("genre_precision", "score_error"):
    assert abs(quality["adam"][measure] - quality["rowwise_adam"][measure]) < 0.005

# %% [markdown]
# The two Adams give vectors that differ by at most a few ten-thousandths in any number,
# and the same genre precision and score error to three decimals.
#
# ## 3. What a step costs as the tables grow
#
# The difference shows when the tables grow. A step has two parts: the lookups, the loss
# and its gradients, which read only the batch's rows whatever the optimizer; and the
# optimizer's update. Here is the update alone, for one table of 64 columns whose
# gradient covers 8,192 random rows (a batch's contexts and noise), at 8,713 and at
# 100,000 rows (where `"auto"` switches): the fastest of 5 timings of 3 updates each,
# after one call to trace it.


# %%
def seconds_per_update(rows: int, name: str, repeats: int = 5, calls: int = 3) -> float:
    """The fastest time of one Adam update of a rows x 64 table."""
    table = tf.Variable(tf.zeros([rows, 64]))
    ids = tf.constant(rng.integers(rows, size=8_192))
    values = tf.fill([8_192, 64], 1e-3)
    gradient = tf.IndexedSlices(values, ids, tf.constant([rows, 64]))
    if name == "adam":
        optimizer = keras.optimizers.Adam(0.01, epsilon=ADAM_EPSILON)
        optimizer.build([table])

        def update():  # Keras's Adam takes the whole table's gradient, as in training
            optimizer.apply_gradients([(tf.convert_to_tensor(gradient), table)])
    else:
        optimizer = RowwiseAdam(0.01, steps=repeats * calls + 2)
        optimizer.build([table])

        def update():  # catch up the rows the step reads, then update them
            optimizer.prepare({table.ref(): ids})
            optimizer.apply_gradients([(gradient, table)])

    update = tf.function(update)
    update()  # trace
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            update()
        times.append((time.perf_counter() - start) / calls)
    return min(times)


# %% tags=["nbval-ignore-output"]
update_seconds = {}
for rows in (8_713, 100_000):
    for name in ("adam", "rowwise_adam"):
        update_seconds[rows, name] = seconds_per_update(rows, name)
        milliseconds = 1000 * update_seconds[rows, name]
        print(f"{rows:7,} rows, {name:13} {milliseconds:6.2f} ms an update")

# %% tags=["remove-cell"]
# Keras's Adam's update grows with the table; the row-wise one's far less.
keras_growth = update_seconds[100_000, "adam"] / update_seconds[8_713, "adam"]
rowwise = update_seconds[100_000, "rowwise_adam"], update_seconds[8_713, "rowwise_adam"]
rowwise_growth = rowwise[0] / rowwise[1]
assert keras_growth > 5 and keras_growth > 3 * rowwise_growth
assert update_seconds[100_000, "rowwise_adam"] < update_seconds[100_000, "adam"]
assert ROWWISE_FROM == 100_000

# %% [markdown]
# At 8,713 rows both updates are cheap, a few milliseconds (the row-wise one does extra
# bookkeeping: each row's last step, the catch-up). At 100,000 rows Keras's costs many
# times more, and the row-wise one's grows far less: Keras's Adam works on every row of
# the table at every step, the row-wise one on the rows the batch reads. So a row-wise step's
# cost follows the batch, plus what still grows with the tables: the final catch-up over
# every row and, probably, rows spread over tables too large for the processor's cache.
# That is why `optimizer="auto"` takes Keras's Adam below `ROWWISE_FROM` = 100,000 rows
# and the row-wise one from there up.
#
# The book's page [Training at scale](../../book/scale.md) measures this properly, each
# size in a fresh process, up to a million items, against gensim: the row-wise Adam
# (named `adam` in its table, from before Keras's Adam became the default for small
# catalogues) keeps 0.61 of its speed at 8,713 items when the catalogue has a million,
# where a dense Adam keeps under a hundredth. It also shows how to spread training over
# several devices or machines with `tf.distribute`, and what tables that do not fit in
# one machine would need.
#
# ## Summary
#
# - The library's training loop is the per-block NCE loss, Adam and a learning rate that
#   falls linearly to 0; written out eagerly, it gives the library's vectors to rounding.
# - Adam moves a row without a gradient by its fading $m$; leaving out $\epsilon$, those
#   moves add up to one number, known in advance from the learning-rate schedule, times
#   the row's $m/\sqrt{v}$. `RowwiseAdam` makes them late, only for the rows a batch
#   reads and at the end.
# - On the course's data the row-wise Adam and Keras's differ by about $5 \cdot 10^{-4}$
#   at most after 500 steps (the left-out $\epsilon$), with the same quality.
# - A row-wise step's cost follows the batch, plus what grows with the tables; a dense
#   step's grows with the tables. The library picks the row-wise Adam from 100,000 rows.
