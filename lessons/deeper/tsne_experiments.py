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
# # Going deeper: t-SNE experiments
#
# [Lesson 6](../06_tsne.ipynb) gave the formulas of {term}`t-SNE` and ran scikit-learn's
# and openTSNE's versions. This page takes the algorithm apart: it writes t-SNE in
# NumPy on the lesson's toy blobs, checks every piece (the {term}`perplexity` search,
# the {term}`gradient`, the optimiser) and the result against scikit-learn, measures
# what early exaggeration does, compares the library's two methods on the artists, and
# makes sure the artists' names print as written.
#
# ## Learning objectives
#
# - find each point's Gaussian width by binary search for a target perplexity, and make
#   the probabilities symmetric;
# - check the gradient of the {term}`KL divergence` against finite differences;
# - write t-SNE in NumPy (early exaggeration, momentum, gains) and check its map against
#   scikit-learn's with two measures, cluster agreement and trustworthiness;
# - say when early exaggeration matters, from a measurement;
# - compare Barnes-Hut and FFT-accelerated t-SNE on the artists, and measure how
#   faithful the map of all artists is;
# - print names with dollar signs as written on a Matplotlib figure.

# %% [markdown]
# ## Setup
#
# One seed for the whole page: the toy data, the NumPy t-SNE's starting points and
# every scikit-learn t-SNE below come from it. The toy data are the lesson's.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.cbook import is_math_text
from sklearn.manifold import TSNE, trustworthiness
from sklearn.metrics import silhouette_score

from bands2vec_lib.data import load_artists
from bands2vec_lib.plots import (
    displayed_text,
    genre_label,
    plot_labelled_map,
    plot_map,
)
from bands2vec_lib.projection import (
    SCHEDULES,
    map_genre_precision_at_k,
    map_neighbours,
    neighbours_kept,
    tsne,
)
from bands2vec_lib.similarity import genre_precision_at_k, neighbour_ids
from bands2vec_lib.training import TrainConfig, train_or_load

SEED = 0
rng = np.random.default_rng(SEED)

# %% tags=["remove-cell"]
from bands2vec_lib.data import resolve_source  # noqa: E402

ON_SAMPLE = resolve_source() is None  # the prose states the sample's figures

# %% [markdown]
# ## A toy data set with known clusters
#
# Four clusters ("blobs") of 40 points each in 10 dimensions, every blob a Gaussian of
# standard deviation 1 around its own random centre. A good map shows four separate
# groups.

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
# Point $i$ "chooses" point $j$ as a neighbour with a Gaussian of width $\sigma_i$
# centred on $i$:
#
# $$p_{j|i} = \frac{\exp(-\lVert x_i - x_j \rVert^2 / 2\sigma_i^2)}
#                  {\sum_{k \ne i} \exp(-\lVert x_i - x_k \rVert^2 / 2\sigma_i^2)},
#   \qquad p_{i|i} = 0.$$
#
# Each point gets the $\sigma_i$ that makes its row of probabilities have a chosen
# perplexity,
#
# $$\mathrm{Perp}(P_i) = 2^{H(P_i)}, \qquad H(P_i) = -\sum_j p_{j|i} \log_2 p_{j|i}.$$
#
# A wider Gaussian spreads the choice over more points, so the perplexity grows with
# $\sigma_i$, and a binary search finds the $\sigma_i$ that hits the target. Points in
# dense regions get a narrow Gaussian, points in sparse regions a wide one.


# %%
def squared_distances(points: np.ndarray) -> np.ndarray:
    """All pairwise squared Euclidean distances (0 on the diagonal)."""
    sq = (points**2).sum(axis=1)
    d = sq[:, None] + sq[None, :] - 2 * points @ points.T
    np.fill_diagonal(d, 0.0)
    return np.maximum(d, 0.0)  # rounding can make a tiny distance negative


def row_probabilities(d: np.ndarray, sigma: float) -> np.ndarray:
    """p_{j|i} for one point, from its squared distances d to the other points."""
    p = np.exp(-(d - d.min()) / (2 * sigma**2))  # the shift changes no ratio
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
# For the first point of the toy data and a target perplexity of 20, the search settles
# on the width where the curve of perplexity against $\sigma$ crosses 20:

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
ax.axhline(PERPLEXITY, color="grey", ls=":", label=f"target {PERPLEXITY:g}")
ax.axvline(sigma0, color="tab:red", ls="--", label=rf"$\sigma$ found: {sigma0:.2f}")
ax.set_xscale("log")
ax.set_xlabel(r"$\sigma$ of point 0")
ax.set_ylabel("perplexity (effective neighbours)")
ax.legend()
plt.show()

# %% tags=["remove-cell"]
assert round(sigma0, 2) == 1.98  # the alt text's figure
curve = np.array([perplexity_of(row_probabilities(d0, s)) for s in widths])
assert np.all(np.diff(curve) > -1e-9) and curve[-1] > 150  # rises, towards all 159

# %% [markdown]
# Every point gets its own search. The conditional probabilities are then made
# symmetric, $p_{ij} = (p_{j|i} + p_{i|j}) / 2n$, so that the whole matrix $P$ sums to 1
# and no point is left out (an outlier chooses its neighbours, but they may not choose
# it).


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


def joint_probabilities(points: np.ndarray, perplexity: float) -> np.ndarray:
    p_cond, _ = conditional_probabilities(points, perplexity)
    return (p_cond + p_cond.T) / (2 * len(points))


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
assert np.allclose(row_perplexities, PERPLEXITY, atol=1e-3)  # as asked for
assert np.isclose(P.sum(), 1.0) and np.allclose(P, P.T) and np.all(np.diag(P) == 0)

# %% [markdown]
# scikit-learn makes the same $P$ with a search of its own, but its default method
# (Barnes-Hut) looks only at each point's $3 \times \text{perplexity} + 1$ nearest
# neighbours, the rest getting $p_{j|i} = 0$; its `method="exact"` uses all points.
#
# ## Similarities on the map: a Student-t
#
# On the map, with points $y_i$ in 2-D, t-SNE measures similarity with a Student-t
# distribution of one degree of freedom instead of a Gaussian:
#
# $$q_{ij} = \frac{(1 + \lVert y_i - y_j \rVert^2)^{-1}}
#                 {\sum_{k \ne l} (1 + \lVert y_k - y_l \rVert^2)^{-1}}.$$
#
# Its tail is heavy: far from a point it falls off as $1/d^2$, not as $e^{-d^2}$. That
# answers the *crowding problem*: in 10 or 64 dimensions a point can have many
# neighbours at the same moderate distance, and a page has no room for all of them.
# With a heavy tail, a moderate similarity in high dimensions is matched by a larger
# distance on the map, so clusters can spread out and pull apart from each other.

# %% mystnb={"image": {"alt": "Similarity against distance d (0 to 5) for a Gaussian (high dimensions) and a Student-t (the map): both start at 1 and the Gaussian is higher up to d \u2248 1.6; then it falls to almost 0 by d = 3 (0.011), while the Student-t's heavy tail is still at 0.1 there."}}
distance = np.linspace(0, 5, 200)
fig, ax = plt.subplots(figsize=(6.5, 3.2))
gauss, student = np.exp(-(distance**2) / 2), 1 / (1 + distance**2)
ax.plot(distance, gauss, label=r"Gaussian $e^{-d^2/2}$ (high dimensions)")
ax.plot(distance, student, label=r"Student-t $1/(1+d^2)$ (the map)")
ax.set_xlabel("distance d")
ax.set_ylabel("similarity (before normalising)")
ax.legend()
plt.show()
print(f"at d = 3: Gaussian {np.exp(-4.5):.4f}, Student-t {1 / 10:.4f}")

# %% tags=["remove-cell"]
crossing = distance[np.argmax((student > gauss) & (distance > 0))]
assert 1.5 < crossing < 1.7  # "the Gaussian is higher up to d = 1.6"

# %% [markdown]
# ## The objective and its gradient
#
# t-SNE moves the map points until $Q$ looks like $P$, measured by the Kullback-Leibler
# divergence
#
# $$C = \mathrm{KL}(P \,\Vert\, Q) = \sum_{i \ne j} p_{ij} \log \frac{p_{ij}}{q_{ij}}.$$
#
# Its gradient with respect to one map point is short {cite}`vandermaaten2008tsne`:
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
# A formula copied wrong would still run, so check it with a {term}`gradient check`:
# nudge a few coordinates of a random map by $\pm\varepsilon$ and compare the change in
# $C$ with the gradient.

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
# random points; for the first steps multiply $P$ by a constant
# ({term}`early exaggeration`: 4 for 50 iterations in the 2008 paper, 12 for 250 in
# Barnes-Hut t-SNE {cite}`vandermaaten2014bhtsne` and scikit-learn; here 12 for 100
# steps), which pulls clusters together tightly and lets them move past each other;
# use momentum (0.5, then 0.8 from step 250, the 2008 paper's schedule; scikit-learn
# switches when its exaggeration ends, also after 250 steps); and give each coordinate
# a gain that grows by 0.2 while its last step went against its gradient (downhill
# still) and shrinks by a factor 0.8 otherwise: after an overshoot, and on the first
# step, when there is no last step (scikit-learn's rule, `update * grad < 0`). The
# learning rate, 50, is what scikit-learn's `learning_rate="auto"` gives for 160
# points: $\max(N / (4 \times 12), 50)$.


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
        downhill = velocity * grad < 0  # last step against the gradient
        gains = np.where(downhill, gains + 0.2, gains * 0.8).clip(0.01)
        momentum = 0.5 if step <= 250 else 0.8
        velocity = momentum * velocity - learning_rate * gains * grad
        Y = Y + velocity
        if step % 10 == 0:
            history.append((step, kl_divergence(P, Y)))
    return Y, np.array(history)


Y_numpy, history = tsne_numpy(P)
print(
    f"KL divergence after 100 steps {history[9, 1]:.3f}, after {int(history[-1, 0])} "
    f"steps {history[-1, 1]:.3f}"
)

# %% [markdown]
# The divergence during the run (left) and the map it ends with (right). The curve
# measures $\mathrm{KL}(P \Vert Q)$ with the true $P$, while during the exaggeration
# the optimiser follows $12P$, another objective, whose best map packs each cluster
# tightly: so the divergence from $P$ can stop falling, and even rise, until the
# exaggeration ends.

# %% tags=["hide-input"] mystnb={"image": {"alt": "Left: KL divergence against step; during the shaded early exaggeration (steps 0 to 100) it falls from 2.3 to about 1.2, wavering, and rises again at the end; then it drops sharply and levels off near 0.3. Right: the NumPy t-SNE map of the toy data, four blobs as four well-separated clusters."}}
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
left.plot(history[:, 0], history[:, 1], marker=".")
left.axvspan(0, 100, color="grey", alpha=0.15, label="early exaggeration")
left.set_xlabel("step")
left.set_ylabel("KL(P || Q)")
left.legend()
plot_map(Y_numpy, blob_names, right, title="NumPy t-SNE of the toy data", size=12)
plt.show()

# %% tags=["remove-cell"]
assert history[-1, 1] < 0.5 * history[9, 1]  # fell by more than half after it
assert history[9, 1] > history[:9, 1].min()  # and rose before the exaggeration ended
assert 2.2 < history[0, 1] < 2.4 and 1.1 < history[:9, 1].min() < 1.3  # the alt text
assert 0.25 < history[-1, 1] < 0.35
assert np.all(np.diff(history[30:, 1]) <= 1e-3)  # and kept falling once settled

# %% [markdown]
# ## Checked against scikit-learn
#
# scikit-learn's `TSNE` runs the same algorithm, with the Barnes-Hut approximation of
# the gradient and, with `init="pca"` (its default since version 1.2), a start from the
# data's first two principal components, scaled as small as the random start. The two
# maps will not be identical: a map rotated or reflected is exactly as good, and one
# with the clusters in other places is another optimum of similar quality. What must
# agree is what t-SNE promises, that neighbours stay neighbours. Two measures:
#
# - *cluster agreement*: the share of each point's 5 nearest map neighbours that come
#   from its own blob;
# - {term}`trustworthiness` (scikit-learn's `trustworthiness`): 1 when every map
#   neighbour is also a neighbour in high dimensions, lower when the map invents
#   neighbours, each intruder penalised by how far beyond the $k$ nearest it ranks in
#   the data.

# %%
sklearn_tsne = TSNE(perplexity=PERPLEXITY, init="pca", random_state=SEED)
Y_sklearn = sklearn_tsne.fit_transform(X)


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

# %% tags=["hide-input"] mystnb={"image": {"alt": "Two t-SNE maps of the same toy data, NumPy (left) and scikit-learn (right): both show the four blobs as four tight, well-separated clusters, placed differently on the two maps."}}
fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
plot_map(Y_numpy, blob_names, axes[0], title="NumPy t-SNE", size=12, legend=False)
plot_map(Y_sklearn, blob_names, axes[1], title="scikit-learn TSNE", size=12)
plt.show()

# %% tags=["remove-cell"]
assert (comparison["cluster agreement"] >= 0.95).all()
assert (comparison["trustworthiness"] >= 0.9).all()
assert abs(comparison["trustworthiness"].diff().iloc[-1]) < 0.03  # equally trustworthy

# %% [markdown]
# ## What early exaggeration does
#
# Run the NumPy t-SNE again without exaggeration (`exaggeration=1`), on the blobs and on
# data whose clusters hold together more loosely: four clusters of 100 points in 10-d,
# each a flat sheet (a random centre, points spread along two random directions with
# standard deviation 3, and by only 0.1 along the others), with $P$ at perplexity 5.
# Besides the final divergence and the cluster agreement, a third measure: the
# *silhouette* (`sklearn.metrics.silhouette_score`), for each point how much nearer it
# is to the points of its own cluster than to those of the next cluster, from -1 (nearer
# the other) to 1 (tight, well apart), averaged.

# %%
Y_plain, history_plain = tsne_numpy(P, exaggeration=1.0)  # the four blobs

SHEETS, PER_SHEET = 4, 100
sheets = []
for centre in rng.normal(0, 10, size=(SHEETS, DIM)):
    plane = np.linalg.qr(rng.normal(size=(DIM, 2)))[0].T  # two random directions
    in_plane = rng.normal(0, 3, size=(PER_SHEET, 2)) @ plane
    sheets.append(centre + in_plane + rng.normal(0, 0.1, size=(PER_SHEET, DIM)))
X_sheets = np.vstack(sheets)
sheet = np.repeat(np.arange(SHEETS), PER_SHEET)
P_sheets = joint_probabilities(X_sheets, 5.0)
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
exaggeration_table.round(3)

# %% [markdown]
# The two maps of the sheets, with exaggeration and without:

# %% tags=["hide-input"] mystnb={"image": {"alt": "Two t-SNE maps of four flat sheets of points, coloured by sheet; on both, every sheet is broken into several small pieces. With early exaggeration 12 the pieces of each sheet stay together in their own region of the map; without it (exaggeration 1) the pieces of the sheets are scattered among each other."}}
sheet_names = np.array([f"sheet {k}" for k in sheet])
fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
for (e, (Y, _)), ax in zip(sheet_runs.items(), axes, strict=True):
    title = f"exaggeration {e:g}" + (" (none)" if e == 1 else "")
    plot_map(Y, sheet_names, ax, title=title, size=8, legend=e == 1)
plt.show()

# %% tags=["remove-cell"]
blobs_with, blobs_without, with_, without = exaggeration_table.to_dict("records")
assert abs(blobs_with["final KL"] - blobs_without["final KL"]) < 0.03
assert blobs_with["cluster agreement"] == blobs_without["cluster agreement"] == 1
assert with_["silhouette"] > without["silhouette"] + 0.25
assert with_["final KL"] < without["final KL"] - 0.05
assert with_["cluster agreement"] >= 0.99 and without["cluster agreement"] >= 0.98
quoted = [0.304, 0.292, 0.386, 0.508, 0.539, 0.154, 1.000, 0.996]
measured = [
    blobs_with["final KL"], blobs_without["final KL"], with_["final KL"],
    without["final KL"], with_["silhouette"], without["silhouette"],
    with_["cluster agreement"], without["cluster agreement"],
]  # fmt: skip
assert np.allclose(measured, quoted, atol=5e-4)  # the numbers the prose quotes

# %% [markdown]
# On the four blobs exaggeration changes nothing that matters: the final divergence is
# 0.304 with it and 0.292 without, and every map neighbour comes from its own blob
# either way.
#
# On the sheets, both maps break every sheet into pieces, as a low perplexity can: at 5
# each point attends to about 5 neighbours, and t-SNE may then draw small clusters that
# are not in the data {cite}`wattenberg2016tsne`. What exaggeration
# changes is where the pieces go. With it, the pieces of a sheet stay together in one
# region of the map; without it, they scatter among the other sheets' pieces: the
# silhouette falls from 0.539 to 0.154 and the final divergence rises from 0.386 to
# 0.508. The cluster agreement hardly moves (1.000 and 0.996): each piece is pure, so a
# count of nearest neighbours alone misses the scattering. Exaggeration makes every
# attraction 12 times stronger for the first 100 steps, so the pieces of a sheet gather
# while the map is still small; without it the map spreads out before they have found
# each other, and pieces that drift apart stay apart. This is one data set and one
# seed: an example of what can happen, not a law.
#
# In scikit-learn, mind that `learning_rate="auto"` (the default) is $\max(N / (4e), 50)$,
# where $e$ is `early_exaggeration`, so `early_exaggeration=1` also
# makes the learning rate larger, up to 12 times for $N \ge 2{,}400$: fix it to compare.
#
# ## The artists: two methods, and how faithful the map is
#
# The library's `tsne` runs scikit-learn's t-SNE below 5,000 points and openTSNE's
# FFT-accelerated t-SNE {cite}`linderman2019fitsne` from 5,000 up. Both start from the
# first two principal components of the vectors scaled to length 1. They differ in how
# they compute the gradient. Its attraction (the $p_{ij}$ terms) involves only each
# point's nearest neighbours; its repulsion (the $q_{ij}$ terms), the push of every
# point on every other, would cost $N^2$ terms a step. {term}`Barnes-Hut`
# {cite}`vandermaaten2014bhtsne` groups far points into the cells of a quadtree and
# lets each cell push as one, at a cost of about $N \log N$; the FFT method
# interpolates the repulsion on a grid and computes it there with fast Fourier
# transforms, at a cost about linear in $N$. The library gives openTSNE exact nearest
# neighbours (all $N^2$ distances, computed once; quick at this size).
#
# Their schedules differ too. scikit-learn exaggerates 12 times for 250 iterations and
# the library stops it at 750 in all (its default is 1,000); openTSNE exaggerates 12
# times for 125 and stops at 325. openTSNE's learning rate is $N / 12$ while it
# exaggerates and $N$ after, which looks 48 times scikit-learn's $N / 48$ but is 12
# times in effect: scikit-learn's gradient keeps the factor 4 of the formula above and
# openTSNE's leaves it out (scikit-learn's documentation of `learning_rate` says so).
# On the 3,000 most reviewed artists, the time each takes and the share of each
# artist's 10 nearest 64-d neighbours that each keeps on its map:

# %%
artists = load_artists()
emb = train_or_load(artists, TrainConfig(), path="../artifacts/bands2vec.npz")
emb = emb.aligned(artists)  # row i is the artist in row i of the table
K, N_COMPARE = 10, 3000
subset = emb.vectors[:N_COMPARE]
method_maps, seconds = {}, {}
for method in ("sklearn", "fft"):
    start = time.perf_counter()
    method_maps[method] = tsne(subset, method=method, seed=SEED)
    seconds[method] = time.perf_counter() - start
unit = subset / np.linalg.norm(subset, axis=1, keepdims=True)
methods = pd.DataFrame(
    {
        "kept": {m: neighbours_kept(c, subset, K) for m, c in method_maps.items()},
        "trustworthiness": {
            m: trustworthiness(unit, c, n_neighbors=K)
            for m, c in method_maps.items()
        },
    }
)
methods.round(3)

# %% tags=["nbval-ignore-output"]
per_step = {m: s / SCHEDULES[m][1] for m, s in seconds.items()}
for m, s in seconds.items():
    print(f"{m}: {s:.1f} s, {1000 * per_step[m]:.1f} ms per iteration")

# %% tags=["remove-cell"]
assert seconds["fft"] < seconds["sklearn"]  # faster
assert 0.5 < per_step["fft"] / per_step["sklearn"] < 2  # about as fast per iteration
assert (methods.max() - methods.min() < 0.01).all()  # and as faithful

# %% [markdown]
# The library's FFT set-up is faster, because it runs fewer iterations (325 against
# 750) with a larger learning rate: per iteration, set-up included (the printed
# milliseconds), the two methods are about as fast at 3,000 points. On all 8,713
# artists the library measured 8.4 s of CPU time for the FFT method against 36.8 s for
# Barnes-Hut (the docstring of `tsne`), so per iteration the FFT method pulls ahead as
# the points grow. Its map keeps as many neighbours and is as trustworthy.
#
# Now the map of all artists, with the FFT method, and three measures for each
# artist's 10 nearest neighbours: the share of its nearest in 64-d that are also
# nearest on the map (a random map keeps about $k / (n - 1)$), the share of its nearest
# on the map that share a genre with it, and the share in its {term}`score bucket`,
# each next to the same share among its 10 nearest in 64-d (for genres, the
# {term}`genre precision@k`). A map of 3,000 artists drawn at random (FFT method)
# tells whether fewer artists or better known ones make the difference.

# %%
coords = tsne(emb.vectors, seed=SEED)
kept = neighbours_kept(coords, emb.vectors, K)
chance = K / (len(artists) - 1)
genre_on_map = map_genre_precision_at_k(coords, artists, K)
genre_in_space = genre_precision_at_k(emb, artists, K)
buckets = artists["score_bucket"].to_numpy()
same_bucket = (buckets[map_neighbours(coords, K)] == buckets[:, None]).mean()
in_space = neighbour_ids(emb.vectors, K)
bucket_in_space = (buckets[in_space] == buckets[:, None]).mean()
drawn = np.sort(rng.choice(len(artists), N_COMPARE, replace=False))
drawn_map = tsne(emb.vectors[drawn], method="fft", seed=SEED)
drawn_kept = neighbours_kept(drawn_map, emb.vectors[drawn], K)
print(f"neighbours kept on the map: {kept:.2f} (chance: {chance:.4f})")
print(f"sharing a genre: on the map {genre_on_map:.2f}, 64-d {genre_in_space:.2f}")
print(f"same score bucket: map {same_bucket:.2f}, 64-d {bucket_in_space:.2f}")
top_kept = methods["kept"].min()
print(f"kept, 3,000 most reviewed {top_kept:.2f}, at random {drawn_kept:.2f}")

# %% tags=["remove-cell"]
assert kept > 50 * chance  # far more neighbourhoods survive than chance would keep
assert abs(genre_on_map - genre_in_space) < 0.1  # the map shows the genre structure
assert same_bucket > 0.9  # and the buckets: an island is a genre and a bucket
assert abs(same_bucket - bucket_in_space) < 0.05  # as the 64-d vectors do
kept_quoted = [round(x, 2) for x in (kept, methods["kept"].min(), drawn_kept)]
assert not ON_SAMPLE or kept_quoted == [0.39, 0.44, 0.41]
assert not ON_SAMPLE or kept < drawn_kept < methods["kept"].min()  # between the two
assert not ON_SAMPLE or round(genre_on_map, 2) == round(genre_in_space, 2) == 0.99
assert not ON_SAMPLE or round(same_bucket, 2) == round(bucket_in_space, 2) == 1.00

# %% [markdown]
# The map of all artists keeps fewer than half of each artist's 10 nearest neighbours
# (0.39), several hundred times chance. What it shows of the genres and the score
# buckets, it shows as well as the 64-d vectors do: 0.99 of the map's neighbours share
# a genre and 1.00 a bucket, as in 64-d. Both the number of artists and which artists
# matter for the share kept: 3,000 drawn at random keep 0.41 (one draw), between all
# 8,713 (0.39) and the 3,000 most reviewed (0.44).
#
# ## Names as written
#
# Matplotlib reads text between two dollar signs as mathematics, so a name such as
# "mc ca\$h\$" would print as "mc ca" followed by an italic *h*. The library's plots
# escape every dollar sign. Here are all the artists whose names would turn into maths
# unescaped, on the map of all artists, and a check that reads back what the figure
# prints:

# %%
would_be_maths = [n for n in artists.index if is_math_text(n)]
print(f"{len(would_be_maths)} of {len(artists):,} names:", would_be_maths[:3])

# %% tags=["hide-input"] mystnb={"image": {"alt": "The t-SNE map of all artists in light grey; the artists whose names hold two dollar signs (such as dj fore$t$ and big ca$h$) are coloured dots, each labelled with its name exactly as written, dollar signs included."}}
rows = [artists.index.get_loc(n) for n in would_be_maths]
fig, ax = plt.subplots(figsize=(8, 6.4))
ax.scatter(*coords.T, s=1, color="0.88")
plot_labelled_map(
    coords[rows], would_be_maths, ax, labels=genre_label(artists).iloc[rows], fontsize=8
)
ax.set_title("names that Matplotlib would read as maths, printed as written")
plt.show()
printed = [displayed_text(t) for t in ax.texts]
print("every label prints exactly the artist's name:", printed == would_be_maths)

# %% tags=["remove-cell"]
assert printed == would_be_maths and len(printed) > 0
assert not ON_SAMPLE or len(would_be_maths) == 18

# %% [markdown]
# ## Why cluster sizes vanish
#
# The lesson mapped two blobs of 100 points in 10-d, one ten times wider than the
# other, and they came out the same size. Two blobs like the lesson's (drawn afresh
# here) and the widths t-SNE gives their points at perplexity 30 show why:

# %%
along = np.r_[1.0, np.zeros(DIM - 1)]
tight = rng.normal(0, 1, (100, DIM))
wide = rng.normal(0, 10, (100, DIM)) + 100 * along
_, two_sigmas = conditional_probabilities(np.vstack([tight, wide]), 30)
print(
    f"median sigma: tight {np.median(two_sigmas[:100]):.1f}, "
    f"wide {np.median(two_sigmas[100:]):.1f}"
)

# %% tags=["remove-cell"]
assert 8 < np.median(two_sigmas[100:]) / np.median(two_sigmas[:100]) < 12

# %% [markdown]
# The wide blob's points get Gaussians about ten times wider, so each sees its 30
# effective neighbours just as the tight blob's points do: the rows of $P$ look alike
# for both blobs, and nothing in them tells the map that one blob is wider.
#
# ## Exercises
#
# :::{exercise} perplexity counts neighbours
# :label: tsne-deeper-perplexity-counts-neighbours
#
# Show that a point that spreads its probability evenly over $k$ neighbours has
# perplexity exactly $k$. Then, for the toy data at perplexity 5 and at perplexity 50,
# count how many neighbours it takes to cover 90% of point 0's probability.
# :::

# %% [markdown]
# ```{solution} tsne-deeper-perplexity-counts-neighbours
# :label: tsne-deeper-perplexity-counts-neighbours-solution
# :class: dropdown
# With $p_j = 1/k$ for $k$ points,
# $H = -\sum_j \frac{1}{k} \log_2 \frac{1}{k} = \log_2 k$, so $2^H = k$. A Gaussian row
# is not uniform, so the count of points that covers 90% of the mass need not equal
# the perplexity (the printed counts): it grows with the perplexity, but the last 10%
# of a Gaussian row spreads over many far points.
# ```

# %% tags=["solution", "hide-cell"]
for k in (1, 5, 30):
    print(f"uniform over {k}: perplexity {perplexity_of(np.full(k, 1 / k)):g}")
covering = {}
for target in (5, 50):
    row = row_probabilities(d0, find_sigma(d0, target))
    covering[target] = int(np.searchsorted(np.cumsum(np.sort(row)[::-1]), 0.9) + 1)
    print(f"perplexity {target}: {covering[target]} neighbours hold 90% of point 0's")

# %% tags=["solution", "remove-cell"]
assert all(np.isclose(perplexity_of(np.full(k, 1 / k)), k) for k in (1, 5, 30))
assert covering[5] < covering[50]

# %% [markdown]
# ## Summary
#
# - Each point's Gaussian width comes from a binary search for the target perplexity;
#   symmetrising the conditional probabilities gives a $P$ that sums to 1.
# - The gradient of $\mathrm{KL}(P \Vert Q)$ is a sum of springs, and it matches finite
#   differences; a few dozen lines of NumPy with early exaggeration, momentum and gains
#   separate known clusters as well as scikit-learn does.
# - Early exaggeration changes nothing on tight blobs. On flat sheets at perplexity 5
#   both maps break each sheet into pieces (a low perplexity draws clusters that are
#   not there); with exaggeration a sheet's pieces stay together, without it they
#   scatter, which the silhouette shows and a count of nearest neighbours misses.
# - On the artists, the library's FFT set-up (fewer iterations, a larger learning
#   rate) is faster than its Barnes-Hut one and as faithful; per iteration the FFT
#   method pulls ahead only on many points. The map of all artists shows genres and
#   score buckets as well as the 64-d vectors do and keeps fewer than half of each
#   artist's nearest neighbours; a map of fewer artists keeps a little more, and one of
#   the most reviewed more still.
# - Names with dollar signs must be escaped to print as written.
