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
# # Going deeper: NCE in theory: the correction, the optimum, the shift
#
# [Lesson 3](../03_negative_sampling.ipynb) states what negative sampling and NCE converge
# to and moves on. This page derives it, checks every step with numbers, and answers the
# questions a careful reader is left with: why NCE and negative sampling seem to promise
# different optima, why the noise's exponent matters more to one than to the other, and
# why the NCE loss of a well-trained model stays far above 0.
#
# ## Learning objectives
#
# After this page you can:
#
# - derive the best logit of the "real pair or noise?" classifier, and from it the
#   optima of NCE (log-probabilities, for any $k$) and of negative sampling (a shifted
#   PMI);
# - reconcile the two ways the course states NCE's optimum, and show that with output
#   biases NCE is negative sampling with other starting biases;
# - say what `tf.nn.nce_loss` computes: Mnih and Teh's form, expected counts that are
#   approximate with `unique=True`, and accidental hits kept;
# - predict what the noise exponent changes in each loss, and measure it;
# - explain, and measure on Bands2Vec's own training, why NCE's loss cannot reach 0.

# %% [markdown]
# ## Setup

# %%
import hashlib

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import minimize

from bands2vec_lib import quiet_tensorflow
from bands2vec_lib.data import load_artists
from bands2vec_lib.heldout import hide_labels
from bands2vec_lib.model import ModelConfig, SkipGram
from bands2vec_lib.pairs import PAIR_KINDS, ContextGroups, pair_counts
from bands2vec_lib.training import TrainConfig, train, training_pairs
from bands2vec_lib.vocab import Vocabulary

tf = quiet_tensorflow()
rng = np.random.default_rng(0)
tf.random.set_seed(0)
tf.config.experimental.enable_op_determinism()  # the same numbers on every run


def softplus(x):
    """log(1 + e^x), computed safely: -log sigma(-x)."""
    return np.logaddexp(0, x)


# %% [markdown]
# ## The best classifier, in closed form
#
# Fix a target $c$. The classifier meets the pair $(c, w)$ in two ways: as a real pair,
# at the rate $P(w \mid c)$ at which $w$ is a context of $c$, and as a noise pair, at the
# rate $k\,q(w)$, since each real pair brings $k$ draws from the
# {term}`noise distribution` $q$. Whatever the loss does with the {term}`logit` $\ell$ of
# that pair, its expected value is
#
# $$ E(\ell) = P(w \mid c)\,\big(-\log\sigma(\ell)\big) + k\,q(w)\,\big(-\log\sigma(-\ell)\big). $$
#
# Its derivative is $-P(w \mid c)\,\big(1 - \sigma(\ell)\big) + k\,q(w)\,\sigma(\ell)$,
# zero where $\sigma(\ell) = P(w \mid c) / \big(P(w \mid c) + k\,q(w)\big)$: the best
# classifier says "real" with the probability that a pair like this one is real. So
#
# $$ \ell^* = \log P(w \mid c) - \log\big(k\,q(w)\big). $$
#
# Everything on this page follows from it. First, a check: minimise $E(\ell)$ numerically
# for a few made-up rates and compare with the formula.

# %%
cases = pd.DataFrame(
    {"P(w|c)": [0.2, 0.05, 0.01, 0.001], "k q(w)": [0.16, 0.16, 1.6, 0.016]}
)


def expected_loss(logit, p, kq):
    return p * softplus(-logit) + kq * softplus(logit)


cases["numerical minimum"] = [
    minimize(lambda x, p=p, kq=kq: expected_loss(x[0], p, kq), [0.0], tol=1e-12).x[0]
    for p, kq in zip(cases["P(w|c)"], cases["k q(w)"], strict=True)
]
cases["log P - log kq"] = np.log(cases["P(w|c)"] / cases["k q(w)"])
cases.round(4)

# %% tags=["remove-cell"]
assert np.allclose(cases["numerical minimum"], cases["log P - log kq"], atol=1e-4)

# %% [markdown]
# The expected loss of the second case against the logit, its minimum marked:

# %% tags=["hide-input"] mystnb={"image": {"alt": "Curve of the expected loss against the logit for P(w|c) = 0.05 and k q(w) = 0.16: high on both sides, lowest at the logit log(0.05 / 0.16) = -1.16, where a dotted line marks the minimum."}}
p, kq = cases.loc[1, ["P(w|c)", "k q(w)"]]
logits = np.linspace(-6, 4, 201)
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(logits, expected_loss(logits, p, kq))
ax.axvline(np.log(p / kq), ls=":", color="grey")
ax.set(xlabel="logit of the pair (c, w)", ylabel="expected loss")
ax.set_title(f"P(w|c) = {p:g}, k q(w) = {kq:g}: lowest at {np.log(p / kq):.2f}")
plt.show()

# %% [markdown]
# ## NCE's correction: the softmax's log-probabilities, for any $k$
#
# Negative sampling feeds the score $s(w) = u_w^\top v_c + b_w$ to the {term}`sigmoid`
# as it is: $\ell = s$. NCE feeds it $\ell = s - \log(k\,q(w))$. Put into the optimum:
#
# - NCE: $s^* = \ell^* + \log(k\,q(w)) = \log P(w \mid c)$, whatever $k$ and $q$ are, as
#   long as $q(w) > 0$ for every word: the scores become the log-probabilities a full
#   softmax would learn, and their exponentials sum to 1 without any normalising;
# - negative sampling: $s^* = \log P(w \mid c) - \log(k\,q(w))$, which depends on both.
#
# A small example checks both. A made-up joint distribution of 3 targets and 6 context
# words; noise from the contexts' counts to the power 0.75; each loss's expected value
# minimised numerically over a free table of scores, for several $k$:

# %%
joint = np.array(  # P(c, w): 3 targets (rows) by 6 context words (columns)
    [[12, 6, 3, 2, 1, 0.5], [2, 8, 1, 6, 2, 1], [1, 1, 6, 1, 4, 4]], dtype=float
)
joint /= joint.sum()
P_c, P_w = joint.sum(axis=1), joint.sum(axis=0)
log_P = np.log(joint / P_c[:, None])  # log P(w | c)
q_toy = P_w**0.75 / (P_w**0.75).sum()


def optimal_scores(k, q, correction):
    """Scores minimising a loss's expected value: NCE's with correction, else NS's."""
    shift = np.log(k * q) if correction else 0.0

    def total(flat):  # the expected loss and its gradient
        logit = flat.reshape(joint.shape) - shift
        p, kq = np.exp(log_P), k * q
        gradient = P_c[:, None] * ((p + kq) / (1 + np.exp(-logit)) - p)
        return (P_c[:, None] * expected_loss(logit, p, kq)).sum(), gradient.ravel()

    start = np.zeros(joint.size)
    found = minimize(total, start, jac=True, method="L-BFGS-B", tol=1e-14)
    return found.x.reshape(joint.shape)


rows = []
for k in [1, 4, 16, 64]:
    nce, ns = optimal_scores(k, q_toy, True), optimal_scores(k, q_toy, False)
    ns_gap = log_P - ns  # should be log(k q(w)), the same down each column
    rows.append({
        "k": k,
        "NCE: largest |s* - log P(w|c)|": np.abs(nce - log_P).max(),
        "NS: s* - log P(w|c), least": ns_gap.min(),
        "NS: most": ns_gap.max(),
        "NS: largest |gap - log(k q)|": np.abs(ns_gap - np.log(k * q_toy)).max(),
    })
optima = pd.DataFrame(rows).set_index("k")
optima.round(3) + 0.0  # + 0.0: no "-0.0"

# %% tags=["remove-cell"]
assert (optima["NCE: largest |s* - log P(w|c)|"] < 1e-3).all()
assert (optima["NS: largest |gap - log(k q)|"] < 1e-3).all()

# %% [markdown]
# NCE's scores land on $\log P(w \mid c)$ for every $k$, to the precision of the
# optimiser. Negative sampling's land below them by $\log(k\,q(w))$: the gap grows with
# $k$ and differs from word to word.
#
# ## A larger $k$: the same optimum, less noise
#
# If $k$ does not move NCE's optimum, what does it buy? Precision. With finite data the
# scores are estimated from counts, and more noise draws make the noise side of the
# estimate less noisy. For a table of free scores the estimate has a closed form: with
# $n_{\text{real}}(w)$ real and $n_{\text{noise}}(w)$ noise occurrences of $w$, the
# empirical loss is lowest at
# $\sigma(\hat\ell) = n_{\text{real}} / (n_{\text{real}} + n_{\text{noise}})$, so
# $\hat s(w) = \log\frac{n_{\text{real}}(w)}{n_{\text{noise}}(w)} + \log(k\,q(w))$.
# Below, one target with 20 context words, 2,000 real pairs and $2{,}000\,k$ noise
# draws, repeated 500 times for each $k$:

# %%
P_one = rng.dirichlet(np.full(20, 5.0))  # P(w | c) of one target: 20 words
q_one = np.full(20, 1 / 20)  # uniform noise
N, REPEATS = 2_000, 500
spread = {}
for k in [1, 4, 16, 64]:
    real = rng.multinomial(N, P_one, size=REPEATS)
    noise = rng.multinomial(N * k, q_one, size=REPEATS)
    estimate = np.log(real / noise) + np.log(k * q_one)
    variance = (1 - P_one) / (N * P_one) + (1 - q_one) / (N * k * q_one)  # delta method
    predicted = np.sqrt(variance.mean())
    rms = np.sqrt(((estimate - np.log(P_one)) ** 2).mean())
    spread[k] = {"root mean square error": rms, "predicted": predicted}
spread = pd.DataFrame(spread).T.rename_axis("k")
spread.round(3)

# %% tags=["remove-cell"]
assert spread["root mean square error"].is_monotonic_decreasing
assert np.allclose(spread["root mean square error"], spread["predicted"], rtol=0.1)

# %% [markdown]
# The error falls with $k$, fast at first, then slowly: the noise side's share of it,
# $1/(N\,k\,q(w))$, shrinks with $k$, the real pairs' share, $1/(N\,P(w \mid c))$, does
# not. Beyond a few dozen noise draws per real pair, more buys little.
#
# ## Negative sampling: a shifted PMI
#
# Without the correction, negative sampling's logit is its score. When the noise is the
# contexts' own distribution, $q(w) = P(w)$, its optimum is
#
# $$ s^* = \log\frac{P(w \mid c)}{k\,P(w)} = \log\frac{P(c, w)}{P(c)\,P(w)} - \log k, $$
#
# the pointwise mutual information ({term}`PMI`) of the pair minus $\log k$. Levy and
# Goldberg showed that a skip-gram trained with negative sampling therefore factorises the
# shifted PMI matrix, when its vectors have dimensions enough to reach the optimum
# {cite}`levy2014neural`. With word2vec's noise, $q \propto P(w)^{0.75}$, the shift is no
# longer the same for every word: $s^* = \mathrm{PMI} - \log k + \log P(w) - \log q(w)$.

# %%
pmi = np.log(joint / (P_c[:, None] * P_w[None, :]))
k = 16
unigram_noise = optimal_scores(k, P_w, correction=False)
distorted_noise = optimal_scores(k, q_toy, correction=False)
shifted_pmi = pmi - np.log(k)
shifted = pd.DataFrame(
    {
        "noise P(w): s* - (PMI - log k)": (unigram_noise - shifted_pmi).mean(axis=0),
        "noise P(w)^0.75: same": (distorted_noise - shifted_pmi).mean(axis=0),
        "log P(w) - log q(w)": np.log(P_w / q_toy),
        "P(w)": P_w,
    },
    index=pd.Index(range(6), name="word"),
)
shifted.round(3) + 0.0

# %% tags=["remove-cell"]
assert np.abs(unigram_noise - (pmi - np.log(k))).max() < 1e-3
assert np.allclose(
    distorted_noise - (pmi - np.log(k)), np.log(P_w / q_toy)[None, :], atol=1e-3
)

# %% [markdown]
# With the unigram as noise, the optimum is the shifted PMI exactly; with the power 0.75,
# it is off by $\log P(w) - \log q(w)$, positive for the frequent words (0 and 1 here)
# and negative for the rare ones. PMI is known to favour rare contexts; Levy, Goldberg
# and Dagan call this reweighting *context distribution smoothing*, and found it helps
# count-based vectors too {cite}`levy2015improving`.
#
# ## One optimum, stated two ways
#
# The course states NCE's optimum twice. Lesson 3: NCE's best scores are
# $\log P(o \mid c)$. Lesson 7, after Levy and Goldberg: NCE factorises a shifted matrix
# of log conditional probabilities, $\log P(o \mid c) - \log k$. Both are right; they
# name different quantities at the same optimum. Write the NCE logit out:
#
# $$ \ell^* = \underbrace{u_o^\top v_c + b_o}_{s^* \;=\; \log P(o \mid c)} - \log k - \log q(o)
# \quad\Longrightarrow\quad \ell^* + \log q(o) = \log P(o \mid c) - \log k. $$
#
# Lesson 3's statement is about the score $s$, before the correction; the second is the
# logit after it with the noise's log-probability $\log q(o)$ put back: with unigram
# noise, $\log P(o)$. What separates them, $\log k$ and $\log q(o)$, depends on the
# context word $o$ alone, and a term of $o$ alone is exactly what the output bias $b_o$
# holds. The table checks it on the example, for the first target, with unigram noise and
# $k = 16$:

# %%
nce_unigram = optimal_scores(k, P_w, correction=True)
logit = nce_unigram - np.log(k * P_w)
two_ways = pd.DataFrame(
    {
        "log P(o|c)": log_P[0],
        "NCE score s*": nce_unigram[0],
        "NCE logit l*": logit[0],
        "l* + log q(o)": logit[0] + np.log(P_w),
        "log P(o|c) - log k": log_P[0] - np.log(k),
        "PMI - log k": pmi[0] - np.log(k),
    },
    index=pd.Index(range(6), name="o"),
)
two_ways.round(3)

# %% tags=["remove-cell"]
assert np.allclose(two_ways["NCE score s*"], two_ways["log P(o|c)"], atol=1e-3)
assert np.allclose(two_ways["l* + log q(o)"], two_ways["log P(o|c) - log k"], atol=1e-3)
assert np.allclose(two_ways["NCE logit l*"], two_ways["PMI - log k"], atol=1e-3)

# %% [markdown]
# Every column is one of the others plus a term that depends only on $o$ ($\log P(o)$,
# $\log k$): the NCE logit is even negative sampling's optimum, the shifted PMI. So with
# output biases, which can take any term of $o$, the dot products $u_o^\top v_c$ need
# not differ between the statements at all.
#
# That holds for training, not only for the optimum. NCE's loss with biases $b$ is,
# term for term, negative sampling's loss with biases $b - \log(k\,q)$: the same
# function, its biases moved. Gradient descent (and Adam) move the biases the same way
# from anywhere, so **NCE is negative sampling whose biases start at $-\log(k\,q(o))$
# instead of 0**. The library's model computes both losses with the same noise draws
# (`noise_block`: its own sampler, exact expected counts $k\,q$), so two trainings show
# it. First, the made-up text of lesson 3 (the collapsed cell makes it again):

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


STEPS, BATCH = 600, 256
train_pairs, held_out = pairs[: STEPS * BATCH], pairs[STEPS * BATCH :][:5_000]
counts = np.bincount(train_pairs[:, 1], minlength=WORDS)


def held_out_loss(vectors, weights, biases):
    """The full softmax loss of a trained model on the 5,000 held-out pairs."""
    logits = vectors[held_out[:, 0]] @ weights.T + biases
    losses = tf.nn.sparse_softmax_cross_entropy_with_logits(held_out[:, 1], logits)
    return float(tf.reduce_mean(losses))


print(f"{len(train_pairs):,} training pairs, {len(held_out):,} held out")

# %% tags=["remove-cell"]
# The same sentences as lesson 3's, to the bit.
assert hashlib.sha256(sentences.tobytes()).hexdigest()[:16] == "2314638374c7c5d5"

# %% [markdown]
# Then three trainings of the library's `SkipGram`, 32-dimensional, 300 steps of Adam:
# NCE; negative sampling with its biases started at $-\log(k\,q)$; and negative sampling
# started, as usual, at 0.


# %%
def train_skipgram(loss, start_biases=None):
    """300 Adam steps of the library's model on the text; the trained model."""
    config = ModelConfig(dim=32, loss=loss)
    model = SkipGram(WORDS, config, context_counts=counts, seed=0)
    if start_biases is not None:
        model.biases.assign(start_biases)
    variables = [model.embeddings, model.weights, model.biases]
    optimizer = tf.keras.optimizers.Adam(0.05)
    batches = tf.constant(train_pairs.reshape(STEPS, BATCH, 2)[:300])

    @tf.function
    def run():  # the loop runs inside the graph: one call for all the steps
        for batch in batches:
            with tf.GradientTape() as tape:
                loss_value = model.loss(batch[:, 0], batch[:, 1])
            gradients = tape.gradient(loss_value, variables)
            optimizer.apply_gradients(zip(gradients, variables, strict=True))

    run()
    return model


nce_model = train_skipgram("nce")
log_kq = np.log(16 * nce_model.noise_probs).astype(np.float32)
ns_shifted = train_skipgram("negative_sampling", start_biases=-log_kq)
ns_plain = train_skipgram("negative_sampling")
same_start = np.abs(nce_model.embeddings.numpy() - ns_shifted.embeddings.numpy()).max()
other_start = np.abs(nce_model.embeddings.numpy() - ns_plain.embeddings.numpy()).max()
bias_gap = np.abs(nce_model.biases.numpy() - (ns_shifted.biases.numpy() + log_kq)).max()
print(f"NCE, NS from -log(kq): vectors differ by at most {same_start:.0e},")
print(f"                       biases + log(kq) by at most {bias_gap:.0e}")
print(f"NCE, NS from 0:        vectors differ by up to {other_start:.2f}")
print(
    "topic precision@10: "
    + ", ".join(
        f"{name} {topic_precision(m.embeddings.numpy()):.3f}"
        for name, m in [("NCE", nce_model), ("NS from -log(kq)", ns_shifted),
                        ("NS from 0", ns_plain)]
    )
)

# %% tags=["remove-cell"]
assert same_start < 1e-4 and bias_gap < 1e-4
assert other_start > 0.5

# %% [markdown]
# Started from $-\log(k\,q)$, negative sampling follows NCE step for step: the vectors
# agree to rounding, and its biases are NCE's minus $\log(k\,q)$. Started from 0, it
# takes another path to vectors that are as good but not the same. (`tf.nn.nce_loss`
# with `unique=True` draws distinct noise and its expected counts change from batch to
# batch, so there the correspondence is close rather than exact.)
#
# ## Mnih and Teh's form, and TensorFlow's
#
# Gutmann and Hyvärinen introduced NCE for models whose normalising constant is unknown:
# the constant becomes one more parameter to learn {cite}`gutmann2010nce`. Mnih and Teh
# applied it to neural language models, one context at a time, and found they could fix
# every context's normaliser to 1 and let the model learn to be normalised
# {cite}`mnih2012fast`. With $P_\theta(w \mid c) = e^{s(w)}$, the probability that a pair
# came from the data rather than the noise is then
#
# $$ \frac{P_\theta(w \mid c)}{P_\theta(w \mid c) + k\,q(w)} = \frac{e^{s}}{e^{s} + k\,q}
# = \sigma\big(s - \log(k\,q(w))\big), $$
#
# lesson 3's corrected logit. `tf.nn.nce_loss` computes exactly this: its source
# subtracts `log(true_expected_count)` from the true logit and `log(sampled_expected_count)`
# from each noise logit (`_compute_sampled_logits` in TensorFlow's `nn_impl.py`, with
# `subtract_log_q=True`). Lesson 3 checked NumPy against it. With expected counts of 1
# the correction vanishes and `nce_loss` becomes negative sampling; with
# `remove_accidental_hits=True` it also drops accidental hits, as word2vec does:

# %%
small = np.random.default_rng(1)
v_small = small.normal(size=(6, 4)).astype(np.float32)
U_small = small.normal(size=(10, 4)).astype(np.float32)
b_small = small.normal(size=10).astype(np.float32)
contexts_small, noise_small = np.array([1, 3, 0, 7, 9, 4]), np.array([2, 7, 5])
ones = (np.ones((6, 1), np.float32), np.ones(3, np.float32))
as_ns = tf.nn.nce_loss(
    U_small, b_small, contexts_small[:, None], v_small, 3, 10,
    sampled_values=(noise_small, *ones), remove_accidental_hits=True,
)
ns_reference = (
    softplus(-((v_small * U_small[contexts_small]).sum(1) + b_small[contexts_small]))
    + (
        (contexts_small[:, None] != noise_small[None, :])
        * softplus(v_small @ U_small[noise_small].T + b_small[noise_small])
    ).sum(1)
)
print("nce_loss, counts of 1, hits removed:", np.round(as_ns.numpy(), 3))
print("negative sampling (NumPy):          ", np.round(ns_reference, 3))

# %% tags=["remove-cell"]
assert np.allclose(as_ns.numpy(), ns_reference, atol=1e-5)

# %% [markdown]
# ## Expected counts with `unique=True`
#
# `nce_loss` draws its noise with `unique=True`: $k$ *distinct* ids. The sampler draws
# with replacement until it has $k$ distinct ids, counting its tries $T$, and reports for
# an id of probability $p$ the expected count $1 - (1 - p)^T$, the chance of being among
# $T$ independent draws (`ExpectedCountHelper` in TensorFlow's `range_sampler.cc`, whose
# comment calls it an approximation: it assumes, falsely, that every batch takes the same
# $T$ tries). With `unique=False` the count is $k\,p$ exactly. One draw of 16 from the
# text's `unigram^0.75`, and the $T$ that fits its reported counts:

# %%
unigrams = (counts + 1).tolist()  # + 1: every word can be noise
q_text = (counts + 1.0) ** 0.75 / ((counts + 1.0) ** 0.75).sum()
true_ids = tf.constant([[0]], dtype=tf.int64)
ids, _, reported = tf.random.fixed_unigram_candidate_sampler(
    true_ids, 1, 16, True, WORDS, distortion=0.75, unigrams=unigrams, seed=3
)
ids, reported = ids.numpy(), reported.numpy()
tries = np.log1p(-reported[0]) / np.log1p(-q_text[ids[0]])  # T from the first id
print(f"tries T = {tries:.2f}")
print("reported:      ", reported.round(4)[:6])
print("1 - (1 - p)^T: ", (1 - (1 - q_text[ids]) ** round(tries)).round(4)[:6])
print("k p:           ", (16 * q_text[ids]).round(4)[:6])

# %% tags=["remove-cell"]
assert abs(tries - round(tries)) < 1e-3
assert np.allclose(reported, 1 - (1 - q_text[ids]) ** round(tries), rtol=1e-4)

# %% [markdown]
# How good is the approximation? Over 2,000 draws, how often each of a few words was among
# the 16, against the average count reported for it:

# %%
words = [0, 1, 9, 60, 300]
extras = tf.constant([words], dtype=tf.int64)
seen, reported_sum = np.zeros(len(words)), np.zeros(len(words))
for _ in range(2_000):
    drawn, reported_true, _ = tf.random.fixed_unigram_candidate_sampler(
        extras, len(words), 16, True, WORDS, distortion=0.75, unigrams=unigrams, seed=4
    )
    seen += np.isin(words, drawn.numpy())
    reported_sum += reported_true.numpy()[0]
inclusion = pd.DataFrame(
    {
        "k q(w)": 16 * q_text[words],
        "reported, mean": reported_sum / 2_000,
        "measured": seen / 2_000,
    },
    index=pd.Index(words, name="word"),
)
inclusion.round(4)

# %% tags=["remove-cell"]
rare = inclusion.loc[[9, 60, 300]]
assert np.allclose(rare["reported, mean"], rare["measured"], atol=0.01)
top = inclusion.loc[0]
assert top["k q(w)"] > top["reported, mean"] > top["measured"] + 0.05

# %% [markdown]
# For words drawn rarely, the reported count, the measured rate and $k\,q(w)$ all agree.
# For the most frequent word they part: $k\,q(w)$ is 0.744, the reported count 0.648,
# the measured rate 0.544. Distinct draws cannot repeat a word, so it is included less
# often than $k\,q$ says, and the approximation corrects only part of the way. Since
# NCE's correction is the log of these counts, with `unique=True` the scores converge to
# the log-probabilities only as well as the approximation holds: for the most frequent
# words, about $\log(0.648 / 0.544) = 0.17$ too low.
#
# ## Accidental hits
#
# An *accidental hit* is a noise draw that equals the pair's own context. Over lesson 3's
# 600 training batches (16 distinct noise ids per batch, from `unigram^0.75`), how often
# is a pair's context among its batch's noise, against the sampler's own expected count?

# %%
hits, expected_hits = 0, 0.0
for batch in train_pairs.reshape(STEPS, BATCH, 2):
    sampled, true_count, _ = tf.random.fixed_unigram_candidate_sampler(
        tf.constant(batch[:, 1:]), 1, 16, True, WORDS, distortion=0.75,
        unigrams=unigrams, seed=1,
    )
    hits += int(np.isin(batch[:, 1], sampled.numpy()).sum())
    expected_hits += float(tf.reduce_sum(true_count))
print(
    f"accidental hits: {hits / len(train_pairs):.2%} of pairs, expected "
    f"{expected_hits / len(train_pairs):.2%}"
)

# %% tags=["remove-cell"]
assert abs(hits - expected_hits) < 0.15 * expected_hits  # close, not equal

# %% [markdown]
# About one pair in seven, because the 10 function words take 17% of the noise and occur
# in most sentences; the expected count is close, not equal, for the reason above. For
# NCE a hit is not a mistake: the noise really did produce that word, and the
# $\log(k\,q)$ term accounts for it, so `tf.nn.nce_loss` keeps hits by default. Its
# documentation says that removing them makes the loss "Sampled Logistic" rather than
# NCE. word2vec, whose negative sampling has no correction, skips a noise draw equal to
# the true word (`if (target == word) continue;` in `word2vec.c`), as lesson 3's NumPy
# version does.
#
# ## The noise exponent: speed for NCE, destination for negative sampling
#
# The optima above say what the exponent of the noise, $q \propto \text{count}^\alpha$,
# should change. NCE's best scores are $\log P(w \mid c)$ for any $q$: the exponent can
# only change how fast it gets there. Negative sampling's are
# $\log P(w \mid c) - \log(k\,q(w))$: the exponent changes where it goes. With uniform
# noise ($\alpha = 0$), $\log(k\,q)$ is the same for every word and a softmax ignores it,
# so negative sampling's scores then give the same probabilities as NCE's.
#
# The made-up text allows the measurement, because its true $P(w \mid c)$ is known: the
# sentences were drawn from it. Its held-out softmax loss is the floor any model can
# reach, and negative sampling's optimum for each $\alpha$ gives its own:

# %%
by_topic = np.array([word_probabilities(t) for t in range(TOPICS)])  # P(w | topic)
topic_given = by_topic / by_topic.sum(axis=0)  # P(topic | c): topics equally likely
true_P = topic_given.T @ by_topic  # P(w | c): both words are drawn from the topic
k, ALPHAS = 16, [0.0, 0.75, 1.0]


def softmax_loss(scores):
    """Held-out softmax loss of a table of scores, one row per target."""
    log_probs = scores - np.logaddexp.reduce(scores, axis=1, keepdims=True)
    return float(-log_probs[held_out[:, 0], held_out[:, 1]].mean())


with np.errstate(divide="ignore"):  # log 0 for words of other topics: never contexts
    floor = softmax_loss(np.log(true_P))
    ns_destination = {}
    for alpha in ALPHAS:
        q_alpha = (counts + 1.0) ** alpha / ((counts + 1.0) ** alpha).sum()
        ns_destination[alpha] = softmax_loss(np.log(true_P) - np.log(k * q_alpha))
print(f"the text's own P(w|c): held-out softmax loss {floor:.2f}")
for alpha, value in ns_destination.items():
    print(f"negative sampling's optimum with alpha = {alpha:g}: {value:.2f}")

# %% tags=["remove-cell"]
assert np.allclose(true_P.sum(axis=1), 1)
assert abs(ns_destination[0.0] - floor) < 1e-9
assert ns_destination[0.0] < ns_destination[0.75] < ns_destination[1.0]

# %% [markdown]
# Now training, for each $\alpha$ and each loss: lesson 3's model and noise sampler
# (`tf.nn.nce_loss`, 16 distinct noise ids per batch), four passes over its 600 batches
# with the learning rate falling linearly from 6.4 to 0, as word2vec lowers it.
# Negative sampling is `nce_loss` given expected counts of 1, with accidental hits kept,
# so the correction is the only difference. The held-out softmax loss is measured after
# each pass:

# %%
EPOCHS, DIM = 4, 32


def train_text(alpha, correction=True, epochs=EPOCHS, decay=True):
    """Lesson 3's training for some passes, the rate decaying to 0 or constant (lesson
    3's); the tables after each pass."""
    start = np.random.default_rng(0).uniform(-0.5, 0.5, (WORDS, DIM))
    vectors = tf.Variable(start.astype(np.float32))
    weights, biases = tf.Variable(tf.zeros((WORDS, DIM))), tf.Variable(tf.zeros(WORDS))
    variables = [vectors, weights, biases]
    rate = tf.keras.optimizers.schedules.PolynomialDecay(6.4, epochs * STEPS, 0.0)
    optimizer = tf.keras.optimizers.SGD(rate if decay else 6.4)
    batches = tf.constant(train_pairs.reshape(STEPS, BATCH, 2))

    @tf.function
    def one_pass():
        for batch in batches:
            labels = batch[:, 1:]
            noise = tf.random.fixed_unigram_candidate_sampler(
                labels, 1, k, True, WORDS, distortion=alpha, unigrams=unigrams, seed=0
            )
            if not correction:  # expected counts of 1: log 1 = 0, nothing subtracted
                noise = (noise[0], tf.ones_like(noise[1]), tf.ones_like(noise[2]))
            with tf.GradientTape() as tape:
                centres = tf.nn.embedding_lookup(vectors, batch[:, 0])
                losses = tf.nn.nce_loss(
                    weights, biases, labels, centres, k, WORDS, sampled_values=noise
                )
                loss = tf.reduce_mean(losses)
            gradients = tape.gradient(loss, variables)
            optimizer.apply_gradients(zip(gradients, variables, strict=True))

    tables = []
    for _ in range(epochs):
        one_pass()
        tables.append([vectors.numpy(), weights.numpy(), biases.numpy()])
    return tables


runs = []
for loss_name, correction in [("NCE", True), ("negative sampling", False)]:
    for alpha in ALPHAS:
        q_alpha = (counts + 1.0) ** alpha / ((counts + 1.0) ** alpha).sum()
        for epoch, (v, w, b) in enumerate(train_text(alpha, correction), start=1):
            runs.append({
                "loss": loss_name, "alpha": alpha, "pass": epoch,
                "held-out loss": held_out_loss(v, w, b),
                "NS with b + log(kq)": np.nan if correction else held_out_loss(
                    v, w, b + np.log(k * q_alpha)
                ),
                "topic precision@10": topic_precision(v),
            })
runs = pd.DataFrame(runs)

# %% [markdown]
# The held-out loss after each pass, for each loss and exponent; the dotted lines mark
# where each should end up (the floor, and negative sampling's optimum for each
# $\alpha$):

# %% tags=["hide-input"] mystnb={"image": {"alt": "Two line charts of held-out softmax loss against training pass (1 to 4). NCE: alpha 0, 0.75 and 1 start apart (4.79, 4.51, 5.75 after one pass) and all end between 4.15 and 4.18, just above the floor of 4.08. Negative sampling: alpha 0 ends at 4.18, alpha 0.75 at 4.76 and alpha 1 at 5.10, each near its own optimum (4.08, 4.69, 5.10), drawn as dotted lines."}}
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
colours = dict(zip(ALPHAS, ["tab:blue", "tab:orange", "tab:green"], strict=True))
for ax, loss_name in zip(axes, ["NCE", "negative sampling"], strict=True):
    for alpha in ALPHAS:
        run = runs[(runs["loss"] == loss_name) & (runs["alpha"] == alpha)]
        ax.plot(run["pass"], run["held-out loss"], "o-", color=colours[alpha],
                label=f"alpha = {alpha:g}")
        target = floor if loss_name == "NCE" else ns_destination[alpha]
        ax.axhline(target, ls=":", color=colours[alpha])
    ax.set(title=loss_name, xlabel="pass over the training pairs", xticks=[1, 2, 3, 4])
axes[0].set_ylabel("held-out softmax loss")
axes[1].legend()
plt.show()

# %%
final = runs[runs["pass"] == EPOCHS].set_index(["loss", "alpha"])
first = runs[runs["pass"] == 1].set_index(["loss", "alpha"])["held-out loss"]
final.insert(0, "after 1 pass", first)
final.drop(columns="pass").rename(columns={"held-out loss": f"after {EPOCHS}"}).round(3)

# %% tags=["remove-cell"]
nce_final = final.loc["NCE", "held-out loss"]
ns_final = final.loc["negative sampling", "held-out loss"]
assert nce_final.max() - nce_final.min() < 0.05  # NCE: the same destination
assert first.loc["NCE"].max() - first.loc["NCE"].min() > 1.0  # reached at other speeds
assert (nce_final - floor).max() < 0.15
for alpha in ALPHAS:  # negative sampling: its own destination for each alpha
    assert abs(ns_final.loc[alpha] - ns_destination[alpha]) < 0.15
assert ns_final.loc[1.0] - ns_final.loc[0.0] > 0.7
shifted_back = final.loc["negative sampling", "NS with b + log(kq)"]
assert (shifted_back - nce_final).abs().max() < 0.04
assert (final["topic precision@10"] == 1.0).all()

# %% [markdown]
# As the optima predict. After one pass, NCE's three exponents are far apart (4.79, 4.51,
# 5.75 for $\alpha$ = 0, 0.75, 1); after four they end within 0.02 of each other, 0.07 to
# 0.09 above the floor of 4.08: the exponent set NCE's speed, not its destination.
# Negative sampling ends near its own optimum for each $\alpha$: 4.18, 4.76, 5.10
# against 4.08, 4.69, 5.10.
# Adding $\log(k\,q)$ back to its biases (the column "NS with b + log(kq)") brings it within
# 0.04 of NCE's: what the exponent changed sits in the biases. The vectors themselves
# do not show it: all six runs end at topic precision 1.000.
#
# Lesson 3 trains for one pass at a constant rate. There, NCE's three exponents are still
# on their way, and the vectors show it a little:

# %%
lesson_3 = {}
for alpha in ALPHAS:
    v, w, b = train_text(alpha, epochs=1, decay=False)[0]
    lesson_3[f"alpha = {alpha:g}"] = {
        "topic precision@10": topic_precision(v),
        "held-out loss": held_out_loss(v, w, b),
    }
lesson_3 = pd.DataFrame(lesson_3).T
lesson_3.round(3)

# %% tags=["remove-cell"]
# lesson 3's numbers for its num_sampled = 16 (alpha = 0.75)
assert round(lesson_3.loc["alpha = 0.75", "topic precision@10"], 3) == 0.972
assert round(lesson_3.loc["alpha = 0.75", "held-out loss"], 3) == 4.577

# %% [markdown]
# After lesson 3's single pass, word2vec's 0.75 gives the best vectors (topic precision
# 0.972, against 0.943 with uniform noise and 0.962 with the raw unigram) and the best
# probabilities. These are single runs, and the differences in precision are of a size a
# different seed could change; Mikolov et al. found 0.75 best on their analogy tests
# {cite}`mikolov2013distributed`.
#
# ## Why NCE's loss does not reach 0
#
# A classifier that tells real pairs from noise perfectly would have a loss of 0. NCE's
# best classifier does not: its probability of "real" for a real pair is
# $\sigma(\ell^*) = P(o \mid c) / (P(o \mid c) + k\,q(o))$, and $P(o \mid c)$ is small
# whenever $c$ has many equally likely contexts. An artist of a genre-and-score group of
# 1,000 artists has about 1,000 of them: the model cannot know which group-mate a
# training pair happened to draw. At the optimum, the loss per pair is therefore
#
# $$ L^* = \mathbb{E}\big[-\log\sigma(\ell^*(c, o))\big]
# + k\,\mathbb{E}_{n \sim q}\big[-\log\sigma(-\ell^*(c, n))\big], $$
#
# the real pair's term and the noise's, both above 0. How much of Bands2Vec's own loss is
# this floor? Train the library's default (lesson 5 explains it):

# %%
artists = load_artists()
config = TrainConfig()
result = train(artists, config)
final_loss = result.history.loss[-1]
print(f"the mean loss of the last {config.log_every} steps: {final_loss:.3f}")

# %% tags=["nbval-ignore-output"]
print(f"trained in {result.seconds:.1f} s")

# %% [markdown]
# The floor needs $P(o \mid c)$, and the pairs say what it is: each kind of pair (a
# genre-and-score group, a record label within a group, a label) picks a membership of a
# group uniformly, the target, and another member of the same group, the context. So for
# one kind of group, with $M$ memberships in groups of two or more,
# $P(c, o) = \frac{1}{M} \sum_{g \ni c, o} \frac{1}{|g| - 1}$ and $P(c) = \frac{1}{M}
# \,\#\{g \ni c\}$, mixed by the shares of the pairs. The cell below computes both with
# sparse membership matrices, for the groups the training saw (some labels are hidden
# from it: lesson 5):

# %%
vocab = Vocabulary.from_artists(artists)
kept = hide_labels(artists, config.hold_out, config.hold_out_seed).kept
groups = ContextGroups.from_artists(kept, vocab)
V = len(vocab)
shares = pair_counts(
    1_000_000, config.genre_share, config.joint_share, config.label_share,
    config.label_group_share,
)
kinds = {}
for kind, count in shares.items():
    if count == 0:
        continue
    index = getattr(groups, PAIR_KINDS[kind])
    member_of = np.repeat(np.arange(len(index.sizes)), index.sizes)
    A = sp.csc_matrix(
        (np.ones(len(index.members)), (member_of, index.members)),
        shape=(len(index.sizes), V),
    )
    kinds[kind] = (count / 1_000_000, A, 1.0 / (index.sizes - 1), len(index.members))


def conditional(c, o, only=None):
    """P(o | c) for arrays of ids, mixed over the kinds of pairs (or one kind)."""
    joint_co, marginal_c = np.zeros(len(c)), np.zeros(len(c))
    for kind, (share, A, weight, M) in kinds.items():
        if only is not None and kind != only:
            continue
        both = A[:, c].multiply(A[:, o])  # groups holding both, one column per pair
        joint_co += share / M * np.asarray(both.T @ weight).ravel()
        marginal_c += share / M * np.asarray(A[:, c].sum(axis=0)).ravel()
    return np.where(c == o, 0.0, joint_co / marginal_c)  # never paired with itself


print({kind: f"{share:.0%} of pairs" for kind, (share, *_) in kinds.items()})

# %% [markdown]
# The floor, estimated on 20,000 of the training pairs, each with 16 noise ids drawn
# from the model's own noise distribution:

# %%
k = config.model.num_sampled
q_model = result.model.noise_probs
pairs_used = training_pairs(artists, vocab, config)
sample = pairs_used[rng.choice(len(pairs_used), 20_000, replace=False)]
c, o = sample[:, 0], sample[:, 1]
P_true = conditional(c, o)
real_term = softplus(np.log(k * q_model[o] / P_true))  # -log sigma(l*)
noise_ids = rng.choice(V, size=(len(c), k), p=q_model)
P_noise = conditional(np.repeat(c, k), noise_ids.ravel()).reshape(len(c), k)
noise_term = np.log1p(P_noise / (k * q_model[noise_ids])).sum(axis=1)  # -log sigma(-l*)
floor_loss = real_term.mean() + noise_term.mean()
decomposition = pd.Series(
    {
        "real pair's term at the optimum": real_term.mean(),
        "noise terms at the optimum": noise_term.mean(),
        "floor (their sum)": floor_loss,
        "final training loss": final_loss,
        "share of the final loss the floor explains": floor_loss / final_loss,
    }
)
decomposition.round(3).to_frame("value")

# %% tags=["remove-cell"]
assert np.all(P_true > 0)  # every training pair is possible under the computed P
assert 0.5 < floor_loss / final_loss < 0.85
assert np.isclose(np.exp(-real_term.mean()), 0.54, atol=0.03)

# %% [markdown]
# The floor, by kind of pair: how likely the best classifier finds a real pair of each
# kind real, and among how many equally likely contexts its context was drawn (the
# median of $1 / P(o \mid c)$):

# %%
by_kind = {}
for kind in kinds:
    index = getattr(groups, PAIR_KINDS[kind])
    drawn = index.sample(5_000, np.random.default_rng(1))
    ck, ok = drawn[:, 0], drawn[:, 1]
    P_kind = conditional(ck, ok)
    by_kind[kind] = {
        "share of pairs": kinds[kind][0],
        "sigma(l*)": (P_kind / (P_kind + k * q_model[ok])).mean(),
        "one context among (median)": np.median(1 / P_kind),
        "real pair's term": softplus(np.log(k * q_model[ok] / P_kind)).mean(),
    }
by_kind = pd.DataFrame(by_kind).T.rename_axis("kind")
by_kind.round({"sigma(l*)": 3, "one context among (median)": 1, "real pair's term": 3})

# %% tags=["remove-cell"]
terms = by_kind["real pair's term"]
assert terms.loc["joint"] > terms.loc["label"]
mixed = (by_kind["share of pairs"] * by_kind["real pair's term"]).sum()
assert abs(mixed - real_term.mean()) < 0.05

# %% [markdown]
# The chart splits the final training loss into the part no model can remove and the
# rest:

# %% tags=["hide-input"] mystnb={"image": {"alt": "A horizontal bar of the final training loss, 1.56, split into three parts: the real pair's term at the optimum (0.63), the noise terms at the optimum (0.44), and what training left above the floor (0.49)."}}
parts = {
    "real pair's term at the optimum": real_term.mean(),
    "noise terms at the optimum": noise_term.mean(),
    "above the floor": final_loss - floor_loss,
}
fig, ax = plt.subplots(figsize=(8, 1.8))
left = 0.0
for (label, width), colour in zip(parts.items(), ["#4c72b0", "#8fa8d6", "#dddddd"],
                                  strict=True):
    ax.barh(0, width, left=left, color=colour, edgecolor="black", label=label)
    ax.text(left + width / 2, 0, f"{width:.2f}", ha="center", va="center")
    left += width
ax.set(yticks=[], xlabel="NCE loss per pair", xlim=(0, left * 1.02))
ax.set_title(f"final training loss {final_loss:.2f}")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.6), ncol=3, frameon=False)
plt.show()

# %% [markdown]
# The floor, 1.06, explains two thirds (0.68) of the final loss of 1.56. Its larger part
# is the real pair's term, 0.63 per pair: in the mean of its logs, the best classifier
# gives a real pair only about an even chance of being real ($e^{-0.63} = 0.53$). Pairs
# from a genre-and-score group are the hard ones: their context is one of about a
# thousand equally likely group-mates (median 1,060), and even the best classifier calls
# them real only 0.41 of the time. Pairs within a label and a group, among about ten
# label-mates, it calls real 0.95 of the time. What is left above the floor, about a
# third, is what 500 steps of a 64-dimensional model did not reach. A loss that stops
# well above 0 is not, by itself, a sign of a model that failed to learn.
#
# ## Summary
#
# - The best "real or noise?" logit is $\log P(w \mid c) - \log(k\,q(w))$. NCE adds
#   $\log(k\,q)$ back, so its scores become the softmax's log-probabilities for any $k$;
#   a larger $k$ only makes the estimate less noisy.
# - Negative sampling's scores stop at $\log P(w \mid c) - \log(k\,q(w))$: with unigram
#   noise, the PMI minus $\log k$ (Levy and Goldberg).
# - "$\log P(o \mid c)$" and "$\log P(o \mid c) - \log k$" name the NCE score and the NCE
#   logit plus $\log q(o)$: they differ by terms of $o$ alone, which output biases hold.
#   With biases, NCE is negative sampling started from biases $-\log(k\,q)$.
# - `tf.nn.nce_loss` is Mnih and Teh's self-normalised NCE. With `unique=True` its
#   expected counts are approximate inclusion probabilities; it keeps accidental hits.
# - The noise exponent changes how fast NCE gets to the softmax's probabilities, but
#   where negative sampling ends up.
# - NCE's loss has a floor above 0, set by how many equally likely contexts each target
#   has; on Bands2Vec's default training it is two thirds of the final loss.
