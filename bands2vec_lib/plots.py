"""Figures for the lessons: each function draws on a Matplotlib ``Axes`` and returns it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.ticker import NullLocator

from .errors import is_whole_number


def _new_axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots()
    return ax


# Lessons 1-3: one-hot vectors, the skip-gram model, negative sampling


def _literal(text: object) -> str:
    """``text`` with its dollar signs escaped, so Matplotlib never reads a name like a$ap as maths."""
    return str(text).replace("$", r"\$")


def plot_similarity_matrix(
    matrix: np.ndarray, labels: Sequence[str], ax: Axes | None = None, *, title: str | None = None
) -> Axes:
    """A heatmap of pairwise similarities (-1 to 1), each value written in its cell.

    Parameters
    ----------
    matrix
        Square, one row and one column per label, e.g. cosine similarities.
    labels
        The names of the rows (and columns).
    """
    matrix = np.asarray(matrix, dtype=float)
    n = len(labels)
    if matrix.shape != (n, n):
        raise ValueError(f"{n} labels need a ({n}, {n}) matrix, not {matrix.shape}")
    ax = _new_axes(ax)
    ax.imshow(matrix, cmap="RdBu_r", vmin=-1, vmax=1)
    names = [_literal(label) for label in labels]
    ax.set_xticks(np.arange(n), names, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(np.arange(n), names, fontsize=8)
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=7,
                color="white" if abs(value) > 0.6 else "black")  # fmt: skip
    if title:
        ax.set_title(title)
    return ax


def plot_vectors(
    vectors: np.ndarray,
    row_labels: Sequence[str],
    column_labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    *,
    title: str | None = None,
) -> Axes:
    """A few vectors as rows of coloured cells, values written in the cells.

    Parameters
    ----------
    vectors
        Shape ``(rows, dims)``, a few dozen dimensions at most.
    row_labels
        One name per vector.
    column_labels
        One name per dimension (default: the dimension's index).
    """
    vectors = np.atleast_2d(np.asarray(vectors, dtype=float))
    rows, dims = vectors.shape
    if len(row_labels) != rows:
        raise ValueError(f"{rows} vectors need {rows} row labels, not {len(row_labels)}")
    if column_labels is not None and len(column_labels) != dims:
        raise ValueError(f"{dims} dimensions need {dims} column labels, not {len(column_labels)}")
    ax = _new_axes(ax)
    limit = max(float(np.abs(vectors).max()), 1e-12)
    if vectors.min() >= 0:  # counts or indicators: white is 0
        ax.imshow(vectors, cmap="Blues", vmin=0, vmax=limit, aspect="auto")
    else:
        ax.imshow(vectors, cmap="PuOr", vmin=-limit, vmax=limit, aspect="auto")
    for (i, j), value in np.ndenumerate(vectors):
        ax.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=7,
                color="white" if abs(value) > 0.6 * limit else "black")  # fmt: skip
    columns = [str(j) for j in range(dims)] if column_labels is None else [_literal(c) for c in column_labels]
    ax.set_xticks(np.arange(dims), columns, rotation=45 if column_labels is not None else 0, ha="right"
                  if column_labels is not None else "center", fontsize=8)  # fmt: skip
    ax.set_yticks(np.arange(rows), [_literal(r) for r in row_labels], fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def plot_one_hot(
    ids: Sequence[int], labels: Sequence[str], vocab_size: int, ax: Axes | None = None, *, title: str | None = None
) -> Axes:
    """One-hot vectors as rows: a long line of zeros over every id, one spike at the artist's id."""
    if len(ids) != len(labels):
        raise ValueError(f"{len(ids)} ids but {len(labels)} labels")
    if any(not 0 <= int(i) < vocab_size for i in ids):
        raise ValueError(f"every id must be in 0..{vocab_size - 1}, not {list(ids)}")
    ax = _new_axes(ax)
    for row, i in enumerate(ids):
        ax.hlines(row, 0, vocab_size - 1, color="lightgrey", lw=3)
        ax.vlines(int(i), row - 0.35, row + 0.35, color="tab:red", lw=2)
        ax.annotate(f"1 at id {int(i)}", (int(i), row), xytext=(4, 0), textcoords="offset points",
                    fontsize=8, va="center", bbox={"fc": "white", "ec": "none", "pad": 1})  # fmt: skip
    ax.set_yticks(np.arange(len(ids)), [_literal(label) for label in labels], fontsize=8)
    ax.set_ylim(len(ids) - 0.5, -0.5)
    ax.set_xlim(-0.01 * vocab_size, 1.01 * vocab_size)
    ax.set_xlabel(f"id (0 to {vocab_size - 1}); grey: {vocab_size - 1:,} zeros")
    if title:
        ax.set_title(title)
    return ax


def plot_window(tokens: Sequence[str], window: int, ax: Axes | None = None) -> Axes:
    """Which word pairs a sliding window makes: row = centre word, column = context word.

    Dark cells are the centre word itself, light cells the ``window`` neighbours on each
    side that become (centre, context) training pairs.
    """
    n = len(tokens)
    if not is_whole_number(window) or window < 1:
        raise ValueError(f"window must be a whole number of at least 1, not {window!r}")
    i, j = np.indices((n, n))
    grid = np.where(i == j, 2, np.where(np.abs(i - j) <= window, 1, 0))
    ax = _new_axes(ax)
    ax.imshow(grid, cmap=ListedColormap(["white", "#9ecae1", "#08519c"]), vmin=0, vmax=2)
    words = [f"{k}:{_literal(t)}" for k, t in enumerate(tokens)]
    ax.set_xticks(np.arange(n), words, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(np.arange(n), words, fontsize=8)
    ax.set_xticks(np.arange(n + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(n + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="lightgrey", lw=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("context word")
    ax.set_ylabel("centre word")
    ax.set_title(f"window {window}: {int((grid == 1).sum())} pairs")
    return ax


def _distortion_label(power: float) -> str:
    if power == 1:
        return "unigram (count)"
    if power == 0:
        return "uniform"
    return f"unigram^{power:g}"


def plot_noise_distributions(
    counts: np.ndarray, ax: Axes | None = None, *, distortions: Sequence[float] = (1.0, 0.75, 0.0)
) -> Axes:
    """Noise probabilities by frequency rank: the counts raised to each power, normalised.

    A power of 1 is the raw unigram distribution, 0 the uniform one, and word2vec's 0.75
    lies between: it lifts rare items and lowers frequent ones (log-log axes).
    """
    counts = np.sort(np.asarray(counts, dtype=float))[::-1]
    if counts.ndim != 1 or len(counts) == 0 or np.any(counts < 0) or counts.sum() == 0:
        raise ValueError("counts must be non-negative, one per item, not all zero")
    ax = _new_axes(ax)
    rank = np.arange(1, len(counts) + 1)
    for power in distortions:
        weights = np.where(counts > 0, counts, 0.0) ** power if power != 0 else np.ones_like(counts)
        ax.loglog(rank, weights / weights.sum(), label=_distortion_label(power))
    ax.set_xlabel("rank by frequency (1 = most frequent)")
    ax.set_ylabel("probability of being drawn as noise")
    ax.legend()
    return ax


def plot_cumulative_shares(
    shares: Mapping[str, np.ndarray], ax: Axes | None = None, *, mark: int | None = None
) -> Axes:
    """For each distribution over ids, the share of its mass that lies in ids ``0..n-1``.

    Parameters
    ----------
    shares
        Name -> probabilities (or counts) in id order.
    mark
        An ``n`` to mark with a vertical line, e.g. 100 (the first hundred ids).
    """
    ax = _new_axes(ax)
    for name, values in shares.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 1 or values.sum() <= 0:
            raise ValueError(f"{name!r} must be one non-negative weight per id, not all zero")
        ax.plot(np.arange(1, len(values) + 1), np.cumsum(values) / values.sum(), label=_literal(name))
    if mark is not None:
        ax.axvline(mark, color="grey", ls=":", lw=1)
    ax.set_xscale("log")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("first n ids")
    ax.set_ylabel("share of the distribution")
    ax.legend(fontsize=8)
    return ax


def _short_number(value: float) -> str:
    """1000 -> "1k", 3000000 -> "3M", 16 -> "16": tick labels that do not collide."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size and value % (size / 10) == 0:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def plot_scaling(
    x: Sequence[float],
    series: Mapping[str, Sequence[float]],
    ax: Axes | None = None,
    *,
    xlabel: str,
    ylabel: str,
    logx: bool = True,
    logy: bool = False,
    highlight: float | None = None,
) -> Axes:
    """How one or more measurements grow with a parameter (a vocabulary size, ``num_sampled``)."""
    x = np.asarray(x, dtype=float)
    ax = _new_axes(ax)
    for name, values in series.items():
        if len(values) != len(x):
            raise ValueError(f"{name!r} has {len(values)} values for {len(x)} x values")
        ax.plot(x, np.asarray(values, dtype=float), marker="o", label=_literal(name))
    if highlight is not None:
        ax.axvline(highlight, color="tab:red", ls="--", lw=1)
    if logx:
        ax.set_xscale("log")
        ax.set_xticks(x, [_short_number(v) for v in x], fontsize=8)
        ax.xaxis.set_minor_locator(NullLocator())
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(series) > 1:
        ax.legend(fontsize=8)
    return ax


# Lesson 4: from reviews to pairs


def plot_group_sizes(sizes: pd.DataFrame, kind: str, ax: Axes | None = None) -> Axes:
    """Horizontal bars: how many artists each genre (``kind="genre"``) or score bucket holds.

    Parameters
    ----------
    sizes
        The table of :meth:`~bands2vec_lib.pairs.ContextGroups.sizes` (kind, group, size).
    kind
        ``"genre"`` or ``"score"``.
    """
    rows = sizes[sizes["kind"] == kind]
    if rows.empty:
        raise ValueError(f"no groups of kind {kind!r}; kinds are {sorted(set(sizes['kind']))}")
    if kind == "score":
        rows = rows.sort_values("group")
        labels = [f"score {g}" for g in rows["group"]]
    else:
        rows = rows.sort_values("size")
        labels = [str(g) for g in rows["group"]]
    ax = _new_axes(ax)
    bars = ax.barh(labels, rows["size"], color="tab:blue" if kind == "genre" else "tab:orange")
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_xlabel("artists")
    ax.set_title("genres" if kind == "genre" else "score buckets (mean score, rounded)")
    ax.margins(x=0.15)
    return ax


def plot_representation(relative: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """How often an artist appears in the pairs, against how many reviews it has.

    Parameters
    ----------
    relative
        Indexed by reviews per artist; one column per pair generator, holding the mean
        number of appearances of an artist with that many reviews, relative to the mean
        over all artists (1 = a fair share).
    """
    ax = _new_axes(ax)
    for name in relative.columns:
        ax.plot(relative.index, relative[name], marker="o", label=name)
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("reviews per artist")
    ax.set_ylabel("appearances in pairs / average")
    ax.legend()
    return ax


def plot_genre_mix(mix: pd.DataFrame, chosen: float | None = None, ax: Axes | None = None) -> Axes:
    """Measured properties of the pairs (one line per column) against the genre share.

    Parameters
    ----------
    mix
        Indexed by ``genre_share``; columns such as the share of pairs that share a genre.
    chosen
        A genre share to mark with a vertical line (the article's 0.8).
    """
    ax = _new_axes(ax)
    for name in mix.columns:
        ax.plot(mix.index, mix[name], marker=".", label=name.replace("_", " "))
    if chosen is not None:
        ax.axvline(chosen, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("genre share (the rest of the pairs share a score bucket)")
    ax.legend(fontsize=8)
    return ax


# Lesson 5: the TensorFlow graph


def plot_loss_curves(
    steps: np.ndarray, curves: dict[str, np.ndarray], ax: Axes | None = None, *, log: bool = False
) -> Axes:
    """Loss curves that share their steps, e.g. a windowed mean and a running mean."""
    ax = _new_axes(ax)
    for name, values in curves.items():
        if len(values) != len(steps):
            raise ValueError(f"{name!r} has {len(values)} values for {len(steps)} steps")
        ax.plot(steps, values, marker=".", label=name)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("loss")
    ax.legend()
    return ax


def plot_computation_graph(graph, ax: Axes | None = None) -> Axes:
    """A small TensorFlow graph drawn left to right: one box per operation, one arrow per tensor.

    Parameters
    ----------
    graph
        A ``tf.Graph`` (e.g. a ``tf.compat.v1.Graph`` or a traced function's ``.graph``);
        meant for a dozen operations or so, a bigger graph belongs in TensorBoard.
    """
    ops = list(graph.get_operations())
    if not ops:
        raise ValueError("the graph has no operations to draw")
    depth: dict[str, int] = {}
    for op in ops:  # operations are listed in creation order, inputs first
        depth[op.name] = 1 + max((depth.get(t.op.name, -1) for t in op.inputs), default=-1)
    rows: dict[int, int] = {}
    where = {}
    for op in ops:
        d = depth[op.name]
        where[op.name] = (d, -rows.get(d, 0))
        rows[d] = rows.get(d, 0) + 1
    ax = _new_axes(ax)
    for op in ops:
        for tensor in op.inputs:
            ax.annotate("", xy=where[op.name], xytext=where[tensor.op.name],
                        arrowprops={"arrowstyle": "-|>", "color": "grey", "shrinkA": 28, "shrinkB": 28})  # fmt: skip
    for op in ops:
        ax.text(*where[op.name], f"{_literal(op.name)}\n{op.type}", ha="center", va="center", fontsize=9,
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "tab:blue"})  # fmt: skip
    ax.set_xlim(-0.6, max(depth.values()) + 0.6)
    ax.set_ylim(-max(rows.values()) + 0.4, 0.6)
    ax.set_axis_off()
    return ax


# Lessons 6 and 7: t-SNE maps, similarity and analogies

SEVERAL_GENRES, NO_GENRE = "several genres", "no genre"
_GREYS = {SEVERAL_GENRES: (0.45, 0.45, 0.45), NO_GENRE: (0.78, 0.78, 0.78)}


def displayed_text(text) -> str:
    """What Matplotlib prints for a ``Text`` artist: an escaped dollar (``\\$``) prints as ``$``.

    A string that Matplotlib would typeset as maths (an even number of unescaped ``$``,
    as in the name "mc ca$h$") would not print as written: that raises ``ValueError``.
    """
    from matplotlib.cbook import is_math_text

    s = text.get_text()
    if not text.get_parse_math():
        return s
    if is_math_text(s):
        raise ValueError(f"{s!r} would be typeset as maths, not printed as written: escape its dollar signs")
    return s.replace(r"\$", "$")


def genre_label(artists: pd.DataFrame) -> pd.Series:
    """One label per artist to colour a map by: its genre, "several genres" or "no genre"."""

    def label(genres: frozenset) -> str:
        if len(genres) == 1:
            return next(iter(genres))
        return SEVERAL_GENRES if genres else NO_GENRE

    return pd.Series([label(g) for g in artists["genres"]], index=artists.index, name="genre", dtype=object)


def group_colours(labels: Sequence[str]) -> dict[str, tuple]:
    """A colour per label: each of the nine genres keeps its colour in every figure, greys for
    "several genres" and "no genre", other colours for any other label."""
    from .sample import GENRES

    tab10 = plt.get_cmap("tab10").colors
    fixed = dict(zip(GENRES, [c for i, c in enumerate(tab10) if i != 7], strict=True))  # tab10's 7 is grey
    others = sorted(set(labels) - set(fixed) - set(_GREYS))
    extra = plt.get_cmap("Dark2").colors
    fixed.update({g: extra[i % len(extra)] for i, g in enumerate(others)})
    fixed.update(_GREYS)
    return {g: fixed[g] for g in dict.fromkeys(labels)}


def _check_map(coords: np.ndarray, n: int, what: str) -> np.ndarray:
    coords = np.asarray(coords, dtype=float)
    if coords.ndim != 2 or coords.shape[1] != 2 or len(coords) != n:
        raise ValueError(f"{n} {what} need a ({n}, 2) array of map coordinates, not shape {coords.shape}")
    return coords


def plot_map(
    coords: np.ndarray,
    labels: Sequence[str],
    ax: Axes | None = None,
    *,
    title: str | None = None,
    size: float = 4.0,
    legend: bool = True,
) -> Axes:
    """A 2-D map (e.g. t-SNE coordinates), one colour per label (see :func:`genre_label`).

    Greys go underneath and big groups before small ones, so small groups stay visible.
    The axes have no ticks: a t-SNE map has no units, and its axes no meaning.
    """
    labels = np.asarray(labels, dtype=object)
    coords = _check_map(coords, len(labels), "labels")
    ax = _new_axes(ax)
    colours = group_colours(list(labels))
    groups, counts = np.unique(labels, return_counts=True)
    size_of = dict(zip(groups, counts, strict=True))
    handles = {}
    for group in sorted(groups, key=lambda g: (g not in _GREYS, -size_of[g], g)):
        inside = labels == group
        handles[group] = ax.scatter(coords[inside, 0], coords[inside, 1], s=size, color=colours[group],
                                    linewidths=0, label=_literal(f"{group} ({size_of[group]})"))  # fmt: skip
    if legend:
        order = [g for g in colours if g not in _GREYS] + [g for g in _GREYS if g in handles]
        ax.legend([handles[g] for g in order], [handles[g].get_label() for g in order], fontsize=7,
                  markerscale=max(1.0, 12 / size), loc="center left", bbox_to_anchor=(1.0, 0.5))  # fmt: skip
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(_literal(title))
    return ax


def plot_labelled_map(
    coords: np.ndarray,
    names: Sequence[str],
    ax: Axes | None = None,
    *,
    labels: Sequence[str] | None = None,
    fontsize: float = 6.0,
) -> Axes:
    """Points with their names written beside them, exactly as written ("a$ap rocky" stays so).

    ``labels`` (optional) colour the points, as in :func:`plot_map`; the names are in
    ``ax.texts``, in the order given.
    """
    coords = _check_map(coords, len(names), "names")
    ax = _new_axes(ax)
    if labels is None:
        ax.scatter(coords[:, 0], coords[:, 1], s=8, color="tab:blue", linewidths=0)
    else:
        plot_map(coords, labels, ax, size=8, legend=True)
    for (x, y), name in zip(coords, names, strict=True):
        ax.text(x, y, _literal(name), fontsize=fontsize, ha="left", va="bottom", alpha=0.85)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def plot_ranking(
    table: pd.DataFrame,
    ax: Axes | None = None,
    *,
    value: str = "similarity",
    title: str | None = None,
    labels: Sequence[str] | None = None,
) -> Axes:
    """Horizontal bars of a ranking (from :func:`~bands2vec_lib.similarity.nearest` or
    :func:`~bands2vec_lib.similarity.analogy`): the best at the top, names as written.

    ``labels`` (optional, one per row, e.g. from :func:`genre_label`) colour the bars, with a legend.
    """
    if "artist" not in table or value not in table:
        raise ValueError(f"the table needs the columns 'artist' and {value!r}, not {list(table.columns)}")
    if labels is not None and len(labels) != len(table):
        raise ValueError(f"{len(table)} rows need {len(table)} labels, not {len(labels)}")
    ax = _new_axes(ax)
    positions = np.arange(len(table))[::-1]
    if labels is None:
        ax.barh(positions, table[value].to_numpy(dtype=float), color="tab:blue")
    else:
        colours = group_colours(list(labels))
        for group in colours:
            rows = np.array([g == group for g in labels])
            ax.barh(positions[rows], table[value].to_numpy(dtype=float)[rows], color=colours[group],
                    label=_literal(group))  # fmt: skip
        ax.legend(fontsize=7, loc="lower right")
    ax.set_yticks(positions, [_literal(a) for a in table["artist"]], fontsize=8)
    ax.set_xlabel(value)
    if title:
        ax.set_title(_literal(title), fontsize=10)
    return ax


def plot_scores_over_k(scores: pd.DataFrame, metric: str, ax: Axes | None = None) -> Axes:
    """One line per embedding: ``metric`` (a column of ``scores``) against the number of neighbours k.

    ``scores`` has one row per embedding and k, with the columns ``embedding``, ``k`` and ``metric``.
    """
    missing = {"embedding", "k", metric} - set(scores.columns)
    if missing:
        raise ValueError(f"scores lack the columns {sorted(missing)}")
    ax = _new_axes(ax)
    for name, rows in scores.groupby("embedding", sort=False):
        rows = rows.sort_values("k")
        ax.plot(rows["k"], rows[metric], marker="o", label=_literal(name))
    ax.set_xscale("log")
    ax.set_xticks(sorted(scores["k"].unique()), [str(k) for k in sorted(scores["k"].unique())])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("k (neighbours)")
    ax.set_ylabel(metric.replace("_", " "))
    ax.legend(fontsize=8)
    return ax


def plot_context_tradeoff(
    curve: pd.DataFrame, points: Mapping[str, tuple[float, float]] | None = None, ax: Axes | None = None
) -> Axes:
    """Genre precision@k against score error@k of vectors trained on different pairs.

    Parameters
    ----------
    curve
        One row per genre share, with the columns ``genre_share``, ``genre_precision`` and
        ``score_error``: drawn as a line, each point labelled with its share.
    points
        Other designs to mark, as ``{label: (score_error, genre_precision)}``.
    """
    ax = _new_axes(ax)
    curve = curve.sort_values("genre_share")
    ax.plot(curve["score_error"], curve["genre_precision"], marker="o", color="tab:blue",
            label="genre share 0 to 1 (the rest: score bucket)")  # fmt: skip
    for share, x, y in zip(curve["genre_share"], curve["score_error"], curve["genre_precision"], strict=True):
        ax.annotate(f"{share:g}", (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7, color="tab:blue")
    markers = ["*", "s", "D", "^", "v", "P"]
    for (label, (x, y)), marker in zip((points or {}).items(), markers, strict=False):
        ax.scatter([x], [y], s=140 if marker == "*" else 60, marker=marker, zorder=3, label=label)
    ax.set_xlabel("score error@10 (lower is better)")
    ax.set_ylabel("genre precision@10 (higher is better)")
    # Centre right is empty: the curve runs along the top, random vectors sit bottom right.
    ax.legend(fontsize=8, loc="center right")
    return ax
