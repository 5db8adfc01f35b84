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
# # Lesson 6: t-SNE
#
# The trained artist vectors have 64 numbers each, and nobody can look at 64 dimensions.
# t-SNE {cite}`vandermaaten2008tsne` draws them on a page: it places one point per artist
# in 2-D so that artists that are neighbours in 64-d stay neighbours on the map. This
# lesson takes the algorithm apart, writes it in NumPy on a toy data set, checks it
# against scikit-learn, and then maps every artist of the course. It ends with what a
# t-SNE map does *not* tell you, which is why lesson 7 does its arithmetic in 64-d.
#
# ## Learning objectives
#
# After this lesson you can:
#
# - turn distances into similarities with a Gaussian whose width is set, point by point,
#   by a binary search for a target *perplexity*;
# - say why the map uses a Student-t instead, and write down the Kullback-Leibler
#   objective that t-SNE minimises and its gradient;
# - write a small t-SNE in NumPy and check it against scikit-learn on clusters you know;
# - map thousands of artists, label a few hundred of them (names such as "lady ca\$h\$"
#   included, printed as written), and see what the perplexity changes;
# - explain why cluster sizes and the distances between clusters on a t-SNE map need
#   not mean anything.

# %% [markdown]
# ## Setup
#
# One seed for the whole lesson: the toy data, the NumPy t-SNE's starting points and
# every scikit-learn t-SNE below come from it.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.cbook import is_math_text
from sklearn.manifold import TSNE, trustworthiness
from sklearn.metrics import silhouette_score

from bands2vec_lib.data import load_artists
from bands2vec_lib.plots import displayed_text, genre_label, plot_labelled_map, plot_map
from bands2vec_lib.projection import (
    map_genre_precision_at_k,
    map_neighbours,
    neighbours_kept,
    tsne,
)
from bands2vec_lib.similarity import genre_precision_at_k
from bands2vec_lib.training import TrainConfig, train_or_load
from bands2vec_lib.widgets import perplexity_control

SEED = 0
rng = np.random.default_rng(SEED)

# %% [markdown]
# ## A toy data set with known clusters
#
# To check an algorithm, start where the right answer is known: four clusters ("blobs")
# of 40 points each in 10 dimensions, every blob a Gaussian of standard deviation 1
# around its own random centre. A good map shows four separate groups.

# %%
N_BLOBS, PER_BLOB, DIM = 4, 40, 10
centres = rng.normal(0, 4, size=(N_BLOBS, DIM))
X = np.vstack([c + rng.normal(size=(PER_BLOB, DIM)) for c in centres])
blob = np.repeat(np.arange(N_BLOBS), PER_BLOB)
blob_names = np.array([f"blob {b}" for b in blob])
print("toy data", X.shape, "| points per blob", np.bincount(blob))

# %% [markdown]
# ## Similarities in high dimensions: a Gaussian and a perplexity
#
# t-SNE first says how much each point $i$ "chooses" each other point $j$ as a neighbour,
# with a Gaussian of width $\sigma_i$ centred on $i$:
#
# $$p_{j|i} = \frac{\exp(-\lVert x_i - x_j \rVert^2 / 2\sigma_i^2)}
#                  {\sum_{k \ne i} \exp(-\lVert x_i - x_k \rVert^2 / 2\sigma_i^2)},
#   \qquad p_{i|i} = 0.$$
#
# The width is not one global setting: each point gets the $\sigma_i$ that makes its row
# of probabilities have a chosen *perplexity*,
#
# $$\mathrm{Perp}(P_i) = 2^{H(P_i)}, \qquad H(P_i) = -\sum_j p_{j|i} \log_2 p_{j|i},$$
#
# which reads as "the effective number of neighbours": a point that spreads its choice
# evenly over $k$ neighbours has perplexity exactly $k$. A wider Gaussian spreads the
# choice over more points, so the perplexity grows with $\sigma_i$, and a binary search
# finds the $\sigma_i$ that hits the target. Points in dense regions get a narrow
# Gaussian, points in sparse regions a wide one.


# %%
def squared_distances(points: np.ndarray) -> np.ndarray:
    """All pairwise squared Euclidean distances (0 on the diagonal)."""
    sq = (points**2).sum(axis=1)
    d = sq[:, None] + sq[None, :] - 2 * points @ points.T
    np.fill_diagonal(d, 0.0)
    return np.maximum(d, 0.0)  # rounding can make a tiny distance negative


def row_probabilities(d: np.ndarray, sigma: float) -> np.ndarray:
    """p_{j|i} for one point, from its squared distances d to the other points."""
    p = np.exp(-(d - d.min()) / (2 * sigma**2))  # shifting by d.min() changes no ratio
    return p / p.sum()


def perplexity_of(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(2 ** -(p * np.log2(p)).sum())


def find_sigma(
    d: np.ndarray, target: float, tol: float = 1e-5, max_steps: int = 200
) -> float:
    """Binary search for the sigma that gives a row the target perplexity."""
    low, high, sigma = 0.0, np.inf, 1.0
    for _ in range(max_steps):
        perplexity = perplexity_of(row_probabilities(d, sigma))
        if abs(perplexity - target) < tol:
            break
        if perplexity > target:
            high = sigma  # too many neighbours: narrower
        else:
            low = sigma  # too few: wider
        sigma = sigma * 2 if np.isinf(high) else (low + high) / 2
    return sigma


# %% [markdown]
# For the first point of the toy data and a target perplexity of 20, the search settles on
# the width where the curve of perplexity against $\sigma$ crosses 20:

# %% mystnb={"image": {"alt": "Perplexity of point 0 against the width \u03c3 of its Gaussian (log x axis): rising from 1, the curve levels off near 40 (its own blob) and climbs again to about 160 (all points); it crosses the dotted target of 20 at the dashed line, the \u03c3 found (1.98)."}}
PERPLEXITY = 20.0
D = squared_distances(X)
d0 = np.delete(D[0], 0)
sigma0 = find_sigma(d0, PERPLEXITY)
print(
    f"point 0: sigma = {sigma0:.3f}, perplexity "
    f"{perplexity_of(row_probabilities(d0, sigma0)):.4f}"
)

widths = np.geomspace(0.3, 30, 200)
fig, ax = plt.subplots(figsize=(6.5, 3.4))
ax.plot(widths, [perplexity_of(row_probabilities(d0, s)) for s in widths])
ax.axhline(PERPLEXITY, color="grey", ls=":", label=f"target perplexity {PERPLEXITY:g}")
ax.axvline(sigma0, color="tab:red", ls="--", label=rf"found $\sigma$ = {sigma0:.2f}")
ax.set_xscale("log")
ax.set_xlabel(r"$\sigma$ of point 0")
ax.set_ylabel("perplexity (effective neighbours)")
ax.legend()
plt.show()

# %% [markdown]
# Every point gets its own search. The conditional probabilities are then made symmetric,
# $p_{ij} = (p_{j|i} + p_{i|j}) / 2n$, so that the whole matrix $P$ sums to 1 and no point
# is left out (an outlier chooses its neighbours, but they may not choose it).


# %%
def conditional_probabilities(
    points: np.ndarray, perplexity: float
) -> tuple[np.ndarray, np.ndarray]:
    """The matrix of p_{j|i} (row i: point i's choice) and each point's sigma."""
    d = squared_distances(points)
    n = len(points)
    p, sigmas = np.zeros((n, n)), np.zeros(n)
    for i in range(n):
        others = np.arange(n) != i
        sigmas[i] = find_sigma(d[i, others], perplexity)
        p[i, others] = row_probabilities(d[i, others], sigmas[i])
    return p, sigmas


P_cond, sigmas = conditional_probabilities(X, PERPLEXITY)
P = (P_cond + P_cond.T) / (2 * len(X))
row_perplexities = np.array([perplexity_of(row) for row in P_cond])
print(
    f"perplexity of the {len(X)} rows: {row_perplexities.min():.4f} to "
    f"{row_perplexities.max():.4f}"
)
print(
    f"sigma from {sigmas.min():.2f} to {sigmas.max():.2f}; P sums to {P.sum():.6f}; "
    f"symmetric: {np.allclose(P, P.T)}"
)

# %% tags=["remove-cell"]
assert np.allclose(
    row_perplexities, PERPLEXITY, atol=1e-3
)  # every point has the perplexity asked for
assert np.isclose(P.sum(), 1.0) and np.allclose(P, P.T) and np.all(np.diag(P) == 0)

# %% [markdown]
# ## Similarities on the map: a Student-t
#
# On the map, with points $y_i$ in 2-D, t-SNE measures similarity with a Student-t
# distribution of one degree of freedom instead of a Gaussian:
#
# $$q_{ij} = \frac{(1 + \lVert y_i - y_j \rVert^2)^{-1}}
#                 {\sum_{k \ne l} (1 + \lVert y_k - y_l \rVert^2)^{-1}}.$$
#
# Its tail is heavy: far from a point it falls off as $1/d^2$, not as $e^{-d^2}$. That
# answers the *crowding problem*. In 10 or 64 dimensions a point can have many neighbours
# at the same moderate distance; a page has no room for all of them. With a heavy tail,
# a moderate similarity in high dimensions is matched by a larger distance on the map, so
# clusters can spread out and pull apart from each other.

# %% mystnb={"image": {"alt": "Similarity against distance d (0 to 5) for a Gaussian (high dimensions) and a Student-t (the map): both start at 1 and the Gaussian is higher up to d \u2248 1.6; then it falls to almost 0 by d = 3 (0.011), while the Student-t's heavy tail is still at 0.1 there."}}
distance = np.linspace(0, 5, 200)
fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.plot(
    distance,
    np.exp(-(distance**2) / 2),
    label=r"Gaussian $e^{-d^2/2}$ (high dimensions)",
)
ax.plot(distance, 1 / (1 + distance**2), label=r"Student-t $1/(1+d^2)$ (the map)")
ax.set_xlabel("distance d")
ax.set_ylabel("similarity (before normalising)")
ax.legend()
plt.show()
print(f"at d = 3: Gaussian {np.exp(-4.5):.4f}, Student-t {1 / 10:.4f}")

# %% [markdown]
# ## The objective and its gradient
#
# t-SNE moves the map points until $Q$ looks like $P$, measured by the Kullback-Leibler
# divergence
#
# $$C = \mathrm{KL}(P \,\Vert\, Q) = \sum_{i \ne j} p_{ij} \log \frac{p_{ij}}{q_{ij}}.$$
#
# It punishes neighbours in high dimensions (large $p_{ij}$) drawn far apart on the map
# (small $q_{ij}$) much more than the reverse: t-SNE keeps neighbourhoods first. Its
# gradient with respect to one map point is short {cite}`vandermaaten2008tsne`:
#
# $$\frac{\partial C}{\partial y_i}
#   = 4 \sum_j (p_{ij} - q_{ij})\,(y_i - y_j)\,(1 + \lVert y_i - y_j \rVert^2)^{-1}.$$
#
# Each term is a spring between $i$ and $j$: it pulls when the pair is more similar in
# high dimensions than on the map ($p_{ij} > q_{ij}$) and pushes otherwise.


# %%
def map_similarities(Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q, and the Student-t kernel (1 + |y_i - y_j|^2)^-1 it is made of."""
    kernel = 1.0 / (1.0 + squared_distances(Y))
    np.fill_diagonal(kernel, 0.0)
    return kernel / kernel.sum(), kernel


def kl_divergence(P: np.ndarray, Y: np.ndarray) -> float:
    Q, _ = map_similarities(Y)
    m = P > 0
    return float(np.sum(P[m] * np.log(P[m] / Q[m])))


def kl_gradient(P: np.ndarray, Y: np.ndarray) -> np.ndarray:
    Q, kernel = map_similarities(Y)
    springs = (P - Q) * kernel  # (p_ij - q_ij) / (1 + |y_i - y_j|^2)
    return 4.0 * (springs.sum(axis=1)[:, None] * Y - springs @ Y)


# %% [markdown]
# A formula copied wrong would still run, so check it: nudge a few coordinates of a
# random map by $\pm\varepsilon$ and compare the change in $C$ with the gradient.

# %%
Y_test = rng.normal(size=(len(X), 2))
gradient = kl_gradient(P, Y_test)
eps = 1e-6
checks = []
for i, axis in [(0, 0), (17, 1), (85, 0), (150, 1)]:
    up, down = Y_test.copy(), Y_test.copy()
    up[i, axis] += eps
    down[i, axis] -= eps
    numeric = (kl_divergence(P, up) - kl_divergence(P, down)) / (2 * eps)
    checks.append((i, axis, gradient[i, axis], numeric))
    print(
        f"y[{i}, {axis}]: formula {gradient[i, axis]: .6f}, finite difference "
        f"{numeric: .6f}"
    )

# %% tags=["remove-cell"]
assert all(abs(g - n) <= 1e-6 + 1e-4 * abs(n) for _, _, g, n in checks)

# %% [markdown]
# ## A t-SNE in NumPy
#
# The rest is gradient descent with the tricks of the original paper: start from tiny
# random points; for the first steps multiply $P$ by a constant ("early exaggeration": 4
# for 50 iterations in the 2008 paper, 12 for 250 in Barnes-Hut t-SNE and scikit-learn;
# here 12 for 100 steps), which pulls clusters together tightly and lets them move past
# each other ({numref}`exercise %s <tsne-no-early-exaggeration>` shows when that
# matters); use momentum (0.5, then 0.8); and give each coordinate a gain that grows
# while its gradient keeps its sign.


# %%
def tsne_numpy(
    P: np.ndarray,
    *,
    n_iter: int = 500,
    learning_rate: float = 50.0,
    exaggeration: float = 12.0,
    exaggerate_for: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """A 2-D map for the joint probabilities P, and the KL divergence every 10 steps."""
    Y = rng.normal(0, 1e-4, size=(len(P), 2))
    velocity, gains = np.zeros_like(Y), np.ones_like(Y)
    history = []
    for step in range(1, n_iter + 1):
        target = P * exaggeration if step <= exaggerate_for else P
        grad = kl_gradient(target, Y)
        gains = np.where(
            np.sign(grad) != np.sign(velocity), gains + 0.2, gains * 0.8
        ).clip(0.01)
        velocity = (
            0.5 if step <= 250 else 0.8
        ) * velocity - learning_rate * gains * grad
        Y = Y + velocity
        if step % 10 == 0:
            history.append((step, kl_divergence(P, Y)))
    return Y, np.array(history)


Y_numpy, history = tsne_numpy(P)
print(
    f"KL divergence after 100 steps {history[9, 1]:.3f}, after {int(history[-1, 0])} "
    f"steps {history[-1, 1]:.3f}"
)

# %% mystnb={"image": {"alt": "Left: KL divergence against step; it falls, rises during the shaded early exaggeration (steps 0 to 100), drops sharply after it and levels off. Right: the NumPy t-SNE map of the toy data, four blobs as four well-separated clusters."}}
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
left.plot(history[:, 0], history[:, 1], marker=".")
left.axvspan(0, 100, color="grey", alpha=0.15, label="early exaggeration")
left.set_xlabel("step")
left.set_ylabel("KL(P || Q)")
left.legend()
plot_map(Y_numpy, blob_names, right, title="the NumPy t-SNE of the toy data", size=14)
plt.show()

# %% tags=["remove-cell"]
assert (
    history[-1, 1] < 0.5 * history[9, 1]
)  # the divergence fell by more than half after the exaggeration
assert np.all(
    np.diff(history[30:, 1]) <= 1e-3
)  # and kept falling (within noise) once momentum settled

# %% [markdown]
# ## Checked against scikit-learn
#
# scikit-learn's `TSNE` runs the same algorithm, with a faster approximation of the
# gradient (Barnes-Hut {cite}`vandermaaten2014bhtsne`) and, with `init="pca"` (its
# default since version 1.2), a start from the data's first two principal components,
# scaled as small as the random start, instead of random points. The two maps will not
# be identical: a map rotated or reflected is exactly as good, and one with the clusters
# in other places is another optimum of similar quality. What must agree is what t-SNE
# promises, that neighbours stay neighbours. Two measures:
#
# - *cluster agreement*: the share of each point's 5 nearest map neighbours that come from
#   its own blob;
# - *trustworthiness* (scikit-learn's `trustworthiness`): 1 when every map neighbour is
#   also a neighbour in high dimensions, lower when the map invents neighbours.

# %%
Y_sklearn = TSNE(perplexity=PERPLEXITY, init="pca", random_state=SEED).fit_transform(X)


def cluster_agreement(Y: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    return float((labels[map_neighbours(Y, k)] == labels[:, None]).mean())


comparison = pd.DataFrame(
    {
        name: {
            "cluster agreement": cluster_agreement(Y, blob),
            "trustworthiness": trustworthiness(X, Y, n_neighbors=5),
        }
        for name, Y in {"NumPy t-SNE": Y_numpy, "scikit-learn": Y_sklearn}.items()
    }
).T
comparison.round(3)

# %% mystnb={"image": {"alt": "Two t-SNE maps of the same toy data, NumPy (left) and scikit-learn (right): both show the four blobs as four tight, well-separated clusters, placed differently on the two maps."}}
fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
plot_map(Y_numpy, blob_names, axes[0], title="NumPy t-SNE", size=14, legend=False)
plot_map(Y_sklearn, blob_names, axes[1], title="scikit-learn TSNE", size=14)
plt.show()

# %% tags=["remove-cell"]
assert (comparison["cluster agreement"] >= 0.95).all()
assert (comparison["trustworthiness"] >= 0.9).all()
assert (
    abs(comparison["trustworthiness"].diff().iloc[-1]) < 0.03
)  # the two are equally trustworthy

# %% [markdown]
# ## All artists on one map
#
# Now the real thing. Lesson 5 trained the artist vectors and saved them;
# `train_or_load` reads them back (or, if this lesson runs on its own, trains them with
# the same settings and gets the same vectors). The library's `tsne` runs scikit-learn's
# t-SNE on the vectors scaled to length 1, so that the distances t-SNE starts from rank
# pairs exactly as the cosine similarity used everywhere else in the course does
# ($\lVert u - v \rVert^2 = 2 - 2\cos(u, v)$). Mapping about 8,700 artists takes a
# few tens of seconds.

# %%
artists = load_artists()
emb = train_or_load(artists, TrainConfig(), path="artifacts/bands2vec.npz").aligned(
    artists
)
print(emb)

# %%
coords = tsne(emb.vectors, seed=SEED)
labels = genre_label(artists)
print("map", coords.shape)

# %% [markdown]
# Each point is coloured by its artist's genre; artists with several genres are dark
# grey, those without any light grey. Each genre appears as several islands, not one: the
# vectors were trained on pairs of artists that share a genre *and* a score bucket
# (lesson 5), so an island holds one genre and one bucket (measured below: nearly all of
# an artist's neighbours on the map share its bucket). The artists filed under several
# genres form islands of their own, and the artists without a genre gather in the
# middle.

# %% mystnb={"image": {"alt": "t-SNE map of all artists, one dot each, coloured by genre: every genre forms several separate islands, artists with several genres form grey islands of their own, and artists without a genre gather in the middle."}}
fig, ax = plt.subplots(figsize=(10, 8))
plot_map(
    coords,
    labels,
    ax,
    title=f"{len(artists):,} artists, t-SNE of the {emb.dim}-d vectors",
)
plt.show()

# %% [markdown]
# How faithful is the map? Two numbers, for each artist's 10 nearest neighbours: the
# share of its nearest in 64-d that are also nearest on the map (a random map would keep
# about $k / (n - 1)$ of them, for $n$ artists), and the share of its nearest on the map
# that share a genre with it, next to the same measure in 64-d.

# %%
K = 10
kept = neighbours_kept(coords, emb.vectors, K)
chance = K / (len(artists) - 1)
genre_on_map = map_genre_precision_at_k(coords, artists, K)
genre_in_space = genre_precision_at_k(emb, artists, K)
print(f"neighbours kept on the map: {kept:.2f} (chance: {chance:.4f})")
print(
    f"neighbours sharing a genre: on the map {genre_on_map:.2f}, in {emb.dim}-d "
    f"{genre_in_space:.2f}"
)
buckets = artists["score_bucket"].to_numpy()
same_bucket_on_map = float(
    (buckets[map_neighbours(coords, K)] == buckets[:, None]).mean()
)
print(f"neighbours on the map in the same score bucket: {same_bucket_on_map:.2f}")

# %% tags=["remove-cell"]
assert kept > 50 * chance  # far more neighbourhoods survive than chance would keep
assert (
    abs(genre_on_map - genre_in_space) < 0.1
)  # the map shows the genre structure the vectors have
assert (
    same_bucket_on_map > 0.9
)  # and the score buckets: an island is a genre and a bucket

# %% [markdown]
# ## 300 artists with their names
#
# The original article labelled a few hundred artists on its map
# {cite}`ferris2018rockbands`. Here are the 300 most reviewed, on the map of all artists.
# One detail matters: Matplotlib reads text between two dollar signs as mathematics, so
# a name such as "mc ca\$h\$" would print as "mc ca" followed by an italic *h*. The
# library's plots escape every dollar sign, and the check below reads back what the
# figure prints.

# %% mystnb={"image": {"alt": "t-SNE map of the 300 most reviewed artists, each dot coloured by genre and labelled with the artist's name as written; the names fall into tight groups, many overlapping where a group is dense."}}
top = list(artists.index[:300])
fig, ax = plt.subplots(figsize=(13, 11))
plot_labelled_map(coords[:300], top, ax, labels=labels.iloc[:300], fontsize=6.5)
ax.set_title("the 300 most reviewed artists")
plt.show()

# %%
printed = [displayed_text(t) for t in ax.texts]
print("every label prints exactly the artist's name:", printed == top)
special = [n for n in top if "$" in n or "&" in n]
print(f"{len(special)} of the 300 names hold '$' or '&', e.g. {special[:4]}")
would_be_maths = [n for n in artists.index if is_math_text(n)]
print(
    f"{len(would_be_maths)} of all {len(artists):,} names would turn into maths "
    f"unescaped, "
    f"e.g. {would_be_maths[:3]}"
)

# %% tags=["remove-cell"]
assert printed == top

# %% [markdown]
# ## Perplexity: how many neighbours does a point look at?
#
# Perplexity is the main setting of t-SNE: how many neighbours each point attends to.
# At 5, a point only cares about its closest few, so the map is built from very local
# information; at 100, each point weighs a hundred neighbours, and larger groups pull
# together. Mapping takes seconds, so the maps of the 800 most reviewed artists at
# perplexities 5, 30 and 100 are computed once, here; the control below only switches
# between them.

# %%
few = artists.iloc[:800]
few_vectors = emb.vectors[:800]
maps = {p: tsne(few_vectors, perplexity=p, seed=SEED) for p in (5, 30, 100)}
print({p: m.shape for p, m in maps.items()})

# %% [markdown]
# The three maps side by side, to compare the shapes at a glance:

# %% mystnb={"image": {"alt": "Three t-SNE maps of the 800 most reviewed artists, coloured by genre, at perplexity 5, 30 and 100: the same genre islands, three large rock ones, on all three; at 5 spread evenly, at 30 and 100 gathered around the rock islands, small islands strung out between."}}
fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), layout="constrained")
for (p, m), ax in zip(maps.items(), axes, strict=True):
    plot_map(m, genre_label(few), ax, title=f"perplexity {p}", size=5, legend=p == 100)
plt.show()

# %% [markdown]
# And the control, one map at a time with its two measures (at $k = 10$). The three
# maps are drawn in advance, so the slider works in the book as well as in a running
# notebook:

# %%
control = perplexity_control(maps, few, few_vectors, k=K)
display(control)

# %% [markdown]
# The control's callback, called directly for each map:

# %%
by_perplexity = pd.DataFrame([control.callback(p) for p in maps])
control.callback(min(maps))  # leave the control on the map it first showed
by_perplexity.set_index("perplexity").round(2)

# %% [markdown]
# The genre islands appear at every perplexity: these vectors separate the genres so
# clearly that any setting finds them. What changes is how the islands are drawn, and, a
# little, how many of each artist's nearest neighbours survive on the map (the `kept`
# column).

# %% tags=["remove-cell"]
by_perplexity = by_perplexity.set_index("perplexity")
chance_kept = K / (len(few) - 1)
assert (by_perplexity["kept"] > 10 * chance_kept).all()  # ten times what chance keeps
assert (by_perplexity["same_genre"] >= 0.9).all()  # genres show at every perplexity
assert by_perplexity.index.tolist() == [5, 30, 100]

# %% [markdown]
# ## What a t-SNE map does not show
#
# Each point's $\sigma_i$ adapts to the density around it, and the Student-t pushes all
# clusters apart. Both are what makes t-SNE good at neighbourhoods; both can also erase
# two things a reader is tempted to see {cite}`wattenberg2016tsne`. Two toy data sets
# show it.
#
# ### Cluster sizes
#
# Two blobs of 100 points in 10-d: one tight (standard deviation 1), one ten times wider.

# %%
tight = rng.normal(0, 1, size=(100, DIM))
wide = rng.normal(0, 10, size=(100, DIM)) + np.r_[100.0, np.zeros(DIM - 1)]
two = np.vstack([tight, wide])
two_names = np.array(["tight (sd 1)"] * 100 + ["wide (sd 10)"] * 100)
two_map = TSNE(perplexity=30, init="pca", random_state=SEED).fit_transform(two)


def spread(points: np.ndarray) -> float:
    """Mean distance of the points to their centre."""
    return float(np.linalg.norm(points - points.mean(axis=0), axis=1).mean())


size_ratio_data = spread(two[100:]) / spread(two[:100])
size_ratio_map = spread(two_map[100:]) / spread(two_map[:100])
_, two_sigmas = conditional_probabilities(two, 30)
print(
    f"spread of wide / tight: {size_ratio_data:.1f} in 10-d, {size_ratio_map:.1f} on "
    f"the map"
)
print(
    f"median sigma: tight {np.median(two_sigmas[:100]):.1f}, wide "
    f"{np.median(two_sigmas[100:]):.1f}"
)

# %% [markdown]
# The wide blob is ten times bigger in the data and about the same size on the map. The
# last line says why: the wide blob's points got Gaussians about ten times wider, so each
# sees its 30 effective neighbours just as the tight blob's points do.
#
# ### Distances between clusters
#
# Three blobs of 50 points on a line: A at 0, B at 10, C at 100. C is ten times farther
# from A than B is.

# %%
three = np.vstack(
    [
        rng.normal(size=(50, DIM)) + np.r_[x, np.zeros(DIM - 1)]
        for x in (0.0, 10.0, 100.0)
    ]
)
three_names = np.repeat(["A (at 0)", "B (at 10)", "C (at 100)"], 50)
three_map = TSNE(perplexity=30, init="pca", random_state=SEED).fit_transform(three)


def centre_ratio(points: np.ndarray) -> float:
    """Distance from A's centre to C's, divided by the distance from A's to B's."""
    a, b, c = (points[i * 50 : (i + 1) * 50].mean(axis=0) for i in range(3))
    return float(np.linalg.norm(c - a) / np.linalg.norm(b - a))


distance_ratio_data, distance_ratio_map = centre_ratio(three), centre_ratio(three_map)
print(
    f"|AC| / |AB|: {distance_ratio_data:.1f} in 10-d, {distance_ratio_map:.1f} on the "
    f"map"
)

# %% mystnb={"image": {"alt": "Two t-SNE maps of toy clusters. Left: a tight cluster and one 10 times wider come out the same size. Right: clusters A, B and C, C ten times farther from A than B is, come out about equally far apart."}}
fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
plot_map(
    two_map,
    two_names,
    axes[0],
    size=10,
    title=f"10x wider in the data, {size_ratio_map:.1f}x on the map",
)
plot_map(
    three_map,
    three_names,
    axes[1],
    size=10,
    title=f"|AC| = {distance_ratio_data:.0f} |AB| in the data, "
    f"{distance_ratio_map:.1f} |AB| on the map",
)
for ax in axes:
    ax.set_aspect("equal")
plt.show()

# %% tags=["remove-cell"]
assert size_ratio_data > 8 and size_ratio_map < 2  # the size difference is gone
assert (
    distance_ratio_data > 8 and distance_ratio_map < 3
)  # and so is the gap between clusters

# %% [markdown]
# So on a t-SNE map, read who is next to whom, and little else: not how big a cluster is,
# not how far apart two clusters are, and not the direction from one point to another.
# The original article added and subtracted map coordinates to find analogies; lesson 7
# shows what that gives, and does it in 64-d instead.

# %% [markdown]
# ## Self-check
#
# The lesson's claims, in one place:

# %%
claims = {
    "every row of P has the target perplexity": (
        np.allclose(row_perplexities, PERPLEXITY, atol=1e-3)
    ),
    "the KL gradient matches finite differences": (
        all(abs(g - n) <= 1e-6 + 1e-4 * abs(n) for _, _, g, n in checks)
    ),
    "the NumPy t-SNE separates the blobs like scikit-learn": (
        bool((comparison["cluster agreement"] >= 0.95).all())
    ),
    "the artist map keeps neighbourhoods": kept > 50 * chance,
    "every label prints the artist's name": printed == top,
    "a 10x wider cluster is not 2x wider on the map": size_ratio_map < 2,
    "a 10x larger gap is not 3x larger on the map": distance_ratio_map < 3,
}
for claim, holds in claims.items():
    print(f"{'ok' if holds else 'FAILED'}: {claim}")
assert all(claims.values())

# %% [markdown]
# ## Exercises
#
# :::{exercise} perplexity counts neighbours
# :label: tsne-perplexity-counts-neighbours
#
# Show that a point that spreads its probability evenly over $k$ neighbours has perplexity
# exactly $k$. Then, for the toy data at perplexity 5 and at perplexity 50, count how many
# neighbours it takes to cover 90% of point 0's probability.
# :::

# %% [markdown]
# ```{solution} tsne-perplexity-counts-neighbours
# :label: tsne-perplexity-counts-neighbours-solution
# :class: dropdown
# With $p_j = 1/k$ for $k$ points,
# $H = -\sum_j \frac{1}{k} \log_2 \frac{1}{k} = \log_2 k$, so $2^H = k$. A Gaussian row
# is not uniform, so the count of points that covers 90% of the mass need not equal the
# perplexity (the printed counts): it grows with the perplexity, but the last 10% of a
# Gaussian row spreads over many far points.
# ```

# %% tags=["solution", "hide-cell"]
for k in (1, 5, 30):
    assert np.isclose(perplexity_of(np.full(k, 1 / k)), k)
for target in (5, 50):
    row = row_probabilities(d0, find_sigma(d0, target))
    covering = int(np.searchsorted(np.cumsum(np.sort(row)[::-1]), 0.9) + 1)
    print(
        f"perplexity {target}: {covering} neighbours hold 90% of point 0's probability"
    )

# %% [markdown]
# :::{exercise} no early exaggeration
# :label: tsne-no-early-exaggeration
#
# Run `tsne_numpy` on the toy data with `exaggeration=1` and compare the final KL
# divergence and the cluster agreement with the run above. Then try data whose clusters
# hold together more loosely: four clusters of 100 points in 10-d, each a flat sheet (a
# centre drawn with `rng.normal(0, 10, size=DIM)`, plus points spread along two random
# directions with standard deviation 3, and by only 0.1 along the others), and $P$ at
# perplexity 5. Run `tsne_numpy` on it with and without exaggeration, look at the two
# maps, and measure each map's *silhouette* (`sklearn.metrics.silhouette_score`): for
# each point, how much nearer it is to the points of its own cluster than to those of the
# next cluster, from -1 (nearer the other) to 1 (tight, well apart), averaged.
# :::

# %% [markdown]
# ```{solution} tsne-no-early-exaggeration
# :label: tsne-no-early-exaggeration-solution
# :class: dropdown
# On the four blobs exaggeration changes nothing that matters: the final KL divergence
# is 0.299 with it and 0.290 without, and every map neighbour comes from its own blob
# either way. On the sheets, without exaggeration every sheet ends in pieces scattered
# over the map (the figure): the silhouette falls from 0.547 to 0.114, and the final KL
# divergence rises from 0.384 to 0.539. The cluster agreement stays at 1.000 and 0.995:
# each piece is pure, so a count of nearest neighbours alone misses the split.
# Exaggeration makes every attraction 12 times stronger for the first 100 steps, so each
# sheet gathers while the map is still small; without it the map spreads out within the
# first few dozen steps, before the points of a sheet, each attending to about 5
# neighbours, have found each other, and pieces that drift apart stay apart. Other seeds
# give the same picture; try a few. In scikit-learn, mind that `learning_rate="auto"`
# (the default) is max(N / (4 × `early_exaggeration`), 50), so `early_exaggeration=1`
# also makes the learning rate 12 times larger: fix it to compare.
# ```

# %% tags=["solution", "hide-cell"] mystnb={"image": {"alt": "Two t-SNE maps of four flat sheets of points, coloured by sheet: with early exaggeration 12 each sheet keeps to its own quarter of the map; without it (exaggeration 1) sheets 0, 2 and 3 break into pieces scattered among the others, and only sheet 1 stays in one region."}}
Y_plain, history_plain = tsne_numpy(P, exaggeration=1.0)  # the four blobs

SHEETS, PER_SHEET = 4, 100
sheets = []
for centre in rng.normal(0, 10, size=(SHEETS, DIM)):
    plane = np.linalg.qr(rng.normal(size=(DIM, 2)))[0].T  # two random directions
    spread_in_plane = rng.normal(0, 3, size=(PER_SHEET, 2)) @ plane
    sheets.append(centre + spread_in_plane + rng.normal(0, 0.1, size=(PER_SHEET, DIM)))
X_sheets = np.vstack(sheets)
sheet = np.repeat(np.arange(SHEETS), PER_SHEET)
P_cond_sheets, _ = conditional_probabilities(X_sheets, 5.0)
P_sheets = (P_cond_sheets + P_cond_sheets.T) / (2 * len(X_sheets))
sheet_runs = {e: tsne_numpy(P_sheets, exaggeration=e) for e in (12.0, 1.0)}


def outcome(Y: np.ndarray, history: np.ndarray, labels: np.ndarray) -> dict:
    return {
        "final KL": history[-1, 1],
        "cluster agreement": cluster_agreement(Y, labels),
        "silhouette": silhouette_score(Y, labels),
    }


exaggeration_table = pd.DataFrame(
    {
        "blobs, with": outcome(Y_numpy, history, blob),
        "blobs, without": outcome(Y_plain, history_plain, blob),
        "sheets, with": outcome(*sheet_runs[12.0], sheet),
        "sheets, without": outcome(*sheet_runs[1.0], sheet),
    }
).T
print(exaggeration_table.round(3).to_string())

sheet_names = np.array([f"sheet {k}" for k in sheet])
fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
for (e, (Y, _)), ax in zip(sheet_runs.items(), axes, strict=True):
    title = f"exaggeration {e:g}" + (" (none)" if e == 1 else "")
    plot_map(Y, sheet_names, ax, title=title, size=10, legend=e == 1)
plt.show()

blobs_with, blobs_without, with_, without = exaggeration_table.to_dict("records")
assert abs(blobs_with["final KL"] - blobs_without["final KL"]) < 0.03
assert with_["silhouette"] > without["silhouette"] + 0.25
assert with_["final KL"] < without["final KL"] - 0.05

# %% [markdown]
# :::{exercise} another seed, another map
# :label: tsne-another-seed-another
#
# Map the toy data twice with scikit-learn's `TSNE(init="random")`, with `random_state` 1
# and 2. Are the maps the same? Are the neighbourhoods?
# :::

# %% [markdown]
# ```{solution} tsne-another-seed-another
# :label: tsne-another-seed-another-solution
# :class: dropdown
# The coordinates differ (the clusters land in other places and orientations) but both
# maps separate the blobs: t-SNE's answer is defined up to where the clusters go, which is
# one more reason not to read directions or positions off a map.
# ```

# %% tags=["solution", "hide-cell"]
runs = [
    TSNE(perplexity=PERPLEXITY, init="random", random_state=s).fit_transform(X)
    for s in (1, 2)
]
print(
    "largest coordinate difference:", round(float(np.abs(runs[0] - runs[1]).max()), 1)
)
print("cluster agreement:", [round(cluster_agreement(Y, blob), 3) for Y in runs])

# %% [markdown]
# :::{exercise} the article's pairs, on the map
# :label: tsne-article-pairs-map
#
# The vectors above were trained on the library's pairs, 95% of which join two artists
# that share a genre *and* a score bucket. The article drew 80% of its pairs from a shared
# genre and 20% from a shared bucket (`TrainConfig.article()`). Train that model with
# `train_or_load(artists, TrainConfig.article(), path="artifacts/bands2vec_article.npz")`
# (a few seconds; lesson 7 reads the same file), map its vectors of the 800 most reviewed
# artists at perplexity 30, and compare with the default's map of the same artists
# (`maps[30]` above): the share of each artist's 10 nearest map neighbours in its score
# bucket and sharing a genre, and the two maps coloured by mean score.
# :::

# %% [markdown]
# ```{solution} tsne-article-pairs-map
# :label: tsne-article-pairs-map-solution
# :class: dropdown
# On the default's map 0.99 of an artist's 10 nearest neighbours are in its score bucket;
# on the map of the article's vectors 0.30, barely more than the 0.27 of two artists
# drawn at random from the 800 (87% of them are in buckets 6 to 8). Coloured by score,
# each island of the default's map holds one narrow band of colour, one score bucket,
# and each of the article's islands mixes them all.
# Genres show on both maps (0.96 and 1.00 of the neighbours share one). The map shows
# what the vectors know, and vectors trained on the article's pairs know the genres and
# hardly any score, as lesson 7 measures in 64-d.
# ```

# %% tags=["solution", "hide-cell"] mystnb={"image": {"alt": "Two t-SNE maps of the 800 most reviewed artists coloured by mean score (4 to 9). Default vectors: each island holds one narrow band of colour. Vectors from the article's pairs: every island mixes all scores."}}
article_emb = train_or_load(
    artists, TrainConfig.article(), path="artifacts/bands2vec_article.npz"
).aligned(artists)
article_map = tsne(article_emb.vectors[:800], perplexity=30, seed=SEED)
few_buckets = few["score_bucket"].to_numpy()
bucket_shares = np.bincount(few_buckets) / len(few)


def share_in_bucket(coords: np.ndarray) -> float:
    """The share of each artist's K nearest map neighbours in its score bucket."""
    return float(
        (few_buckets[map_neighbours(coords, K)] == few_buckets[:, None]).mean()
    )


by_training = pd.DataFrame(
    {
        name: {
            "same bucket": share_in_bucket(m),
            "same genre": map_genre_precision_at_k(m, few, K),
        }
        for name, m in (("default", maps[30]), ("article's pairs", article_map))
    }
).T
print(by_training.round(2).to_string())
chance = (bucket_shares**2).sum()
print(
    f"two of the 800 drawn at random share a bucket: {chance:.2f} "
    f"(buckets 6 to 8 hold {bucket_shares[6:9].sum():.0%} of them)"
)

fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), layout="constrained")
for (name, m), ax in zip(
    (("default", maps[30]), ("article's pairs", article_map)), axes, strict=True
):
    points = ax.scatter(*m.T, c=few["mean_score"], cmap="viridis", s=6, vmin=4, vmax=9)
    ax.set_title(f"{name}: the 800 most reviewed, by mean score")
    ax.set_xticks([])
    ax.set_yticks([])
fig.colorbar(points, ax=axes, label="mean score", extend="both")
plt.show()

assert by_training.loc["default", "same bucket"] > 0.9
# how much of the way from chance (0) to every neighbour in the bucket (1) a map goes
beyond_chance = (by_training["same bucket"] - chance) / (1 - chance)
assert beyond_chance["article's pairs"] < 0.1  # barely more than chance
assert (by_training["same genre"] > 0.9).all()

# %% [markdown]
# ## Summary
#
# - t-SNE turns distances into neighbour probabilities: a Gaussian per point in high
#   dimensions, its width found by binary search so that every point has the same
#   perplexity (effective number of neighbours), and a heavy-tailed Student-t on the map.
# - It moves the map points down the gradient of $\mathrm{KL}(P \Vert Q)$, which punishes
#   separating true neighbours most. Early exaggeration and momentum help it along:
#   exaggeration gathers each cluster before the map spreads out, without which loosely
#   knit clusters can end in pieces.
# - A few dozen lines of NumPy do it on toy data, and separate known clusters as well as
#   scikit-learn does.
# - The map of all artists keeps about a third of each artist's 10 nearest 64-d
#   neighbours (chance would keep 0.1%) and shows each genre and score bucket as an
#   island; labels must escape `$` so that names print as written.
# - Perplexity sets how local the map is.
# - Cluster sizes, distances between clusters and directions on a t-SNE map need not
#   mean anything: measure and do arithmetic in the full space (lesson 7).
