"""The lessons' figures: each function draws what its data says on the Axes it returns."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from bands2vec_lib.pairs import ContextGroups  # noqa: E402
from bands2vec_lib.plots import plot_genre_mix, plot_group_sizes, plot_loss_curves, plot_representation  # noqa: E402
from bands2vec_lib.vocab import Vocabulary  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ---- lesson 4 -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def group_sizes(small_artists) -> pd.DataFrame:
    return ContextGroups.from_artists(small_artists, Vocabulary.from_artists(small_artists)).sizes()


@pytest.mark.parametrize("kind", ["genre", "score"])
def test_plot_group_sizes_one_bar_per_group(group_sizes, kind):
    ax = plot_group_sizes(group_sizes, kind)
    rows = group_sizes[group_sizes["kind"] == kind]
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == sorted(rows["size"])
    labels = {t.get_text() for t in ax.get_yticklabels()}
    expected = {f"score {g}" for g in rows["group"]} if kind == "score" else set(rows["group"])
    assert labels == expected


def test_plot_group_sizes_unknown_kind(group_sizes):
    with pytest.raises(ValueError, match="no groups of kind 'label'"):
        plot_group_sizes(group_sizes, "label")


def test_plot_representation_one_line_per_generator():
    relative = pd.DataFrame({"article": [0.5, 1.0, 2.0], "library": [1.0, 1.0, 1.1]}, index=[1, 2, 3])
    _, ax = plt.subplots()
    assert plot_representation(relative, ax=ax) is ax
    lines = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    assert set(lines) == {"article", "library"}
    assert list(lines["article"].get_ydata()) == [0.5, 1.0, 2.0]


def test_plot_genre_mix_lines_and_marker():
    mix = pd.DataFrame({"same_genre": [0.3, 1.0], "same_bucket": [1.0, 0.3]}, index=[0.0, 1.0])
    ax = plot_genre_mix(mix, chosen=0.8)
    labels = [line.get_label() for line in ax.get_lines()]
    assert "same genre" in labels and "same bucket" in labels
    marker = [line for line in ax.get_lines() if line.get_label().startswith("_")]
    assert len(marker) == 1 and list(marker[0].get_xdata()) == [0.8, 0.8]


# ---- lesson 5 -----------------------------------------------------------------------------


def test_plot_loss_curves():
    steps = np.array([100, 200, 300])
    ax = plot_loss_curves(steps, {"window": np.array([3.0, 2.0, 1.0]), "running": np.array([3.0, 2.5, 2.0])}, log=True)
    assert [line.get_label() for line in ax.get_lines()] == ["window", "running"]
    assert list(ax.get_lines()[1].get_ydata()) == [3.0, 2.5, 2.0]
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="2 values for 3 steps"):
        plot_loss_curves(steps, {"bad": np.array([1.0, 2.0])})


def test_plot_computation_graph_boxes_and_arrows():
    from matplotlib.text import Annotation

    from bands2vec_lib import quiet_tensorflow
    from bands2vec_lib.plots import plot_computation_graph

    tf = quiet_tensorflow()
    graph = tf.compat.v1.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape=[], name="x")
        wx = tf.multiply(tf.constant(3.0, name="w"), x, name="wx")
        tf.add(wx, tf.constant(1.0, name="b"), name="y")
    ax = plot_computation_graph(graph)
    arrows = [t for t in ax.texts if isinstance(t, Annotation)]
    boxes = {t.get_text(): t.get_position() for t in ax.texts if not isinstance(t, Annotation)}
    assert set(boxes) == {"x\nPlaceholder", "w\nConst", "wx\nMul", "b\nConst", "y\nAddV2"}
    # Left to right by depth: inputs in column 0, the product in 1, the sum in 2.
    assert boxes["x\nPlaceholder"][0] == boxes["w\nConst"][0] == boxes["b\nConst"][0] == 0
    assert (boxes["wx\nMul"][0], boxes["y\nAddV2"][0]) == (1, 2)
    # One arrow per input tensor, from the producer's box to the consumer's.
    edges = {(tuple(a.xyann), tuple(a.xy)) for a in arrows}
    assert len(arrows) == 4
    assert (boxes["wx\nMul"], boxes["y\nAddV2"]) in edges and (boxes["x\nPlaceholder"], boxes["wx\nMul"]) in edges
    with pytest.raises(ValueError, match="no operations"):
        plot_computation_graph(tf.compat.v1.Graph())


# ---- lessons 6 and 7 ----------------------------------------------------------------------

from matplotlib.colors import to_rgba  # noqa: E402

from bands2vec_lib.plots import (  # noqa: E402
    NO_GENRE,
    SEVERAL_GENRES,
    displayed_text,
    genre_label,
    group_colours,
    plot_labelled_map,
    plot_map,
    plot_ranking,
    plot_scores_over_k,
)

DOLLAR_NAMES = ["mc ca$h$", "a$ap rocky & a$ap ferg", "joey bada$$", "plain & simple", "curren$y"]


def test_displayed_text_of_escaped_and_raw_dollars():
    fig, ax = plt.subplots()
    escaped = ax.text(0, 0, "mc ca\\$h\\$")
    assert displayed_text(escaped) == "mc ca$h$"
    with pytest.raises(ValueError, match="typeset as maths"):
        displayed_text(ax.text(0, 0, "mc ca$h$"))  # two dollars: Matplotlib's maths
    assert displayed_text(ax.text(0, 0, "mc ca$h$", parse_math=False)) == "mc ca$h$"
    assert displayed_text(ax.text(0, 0, "curren$y")) == "curren$y"  # one dollar is no maths


def test_genre_label_one_genre_several_or_none():
    artists = pd.DataFrame({"genres": [frozenset({"rock"}), frozenset({"rock", "jazz"}), frozenset()]},
                           index=["a", "b", "c"])  # fmt: skip
    labels = genre_label(artists)
    assert labels.to_dict() == {"a": "rock", "b": SEVERAL_GENRES, "c": NO_GENRE}


def test_group_colours_fixed_for_genres_and_distinct():
    first = group_colours(["rock", "jazz", NO_GENRE])
    second = group_colours(["jazz", "rock", "metal", SEVERAL_GENRES, "made up"])
    assert first["rock"] == second["rock"] and first["jazz"] == second["jazz"]
    assert len({to_rgba(c) for c in second.values()}) == len(second)
    assert set(second) == {"jazz", "rock", "metal", SEVERAL_GENRES, "made up"}


def test_plot_map_one_scatter_per_label_with_counts():
    coords = np.array([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]], dtype=float)
    labels = ["rock", "rock", "jazz", NO_GENRE, "rock"]
    ax = plot_map(coords, labels, title="a $5 map")
    collections = {c.get_label(): c for c in ax.collections}
    assert set(collections) == {"rock (3)", "jazz (1)", "no genre (1)"}
    assert collections["rock (3)"].get_offsets().tolist() == [[0, 0], [1, 1], [4, 4]]
    assert ax.collections[0].get_label() == "no genre (1)"  # greys underneath
    assert displayed_text(ax.title) == "a $5 map"
    with pytest.raises(ValueError, match=r"need a \(5, 2\) array"):
        plot_map(coords[:4], labels)


def test_plot_labelled_map_prints_names_as_written():
    coords = np.arange(len(DOLLAR_NAMES) * 2, dtype=float).reshape(-1, 2)
    fig, ax = plt.subplots()
    plot_labelled_map(coords, DOLLAR_NAMES, ax, labels=["rap"] * len(DOLLAR_NAMES))
    fig.canvas.draw()  # a name read as maths could fail only when drawn
    assert [displayed_text(t) for t in ax.texts] == DOLLAR_NAMES
    assert [t.get_position() for t in ax.texts] == [tuple(xy) for xy in coords]


def test_plot_ranking_best_on_top_names_as_written():
    table = pd.DataFrame({"artist": ["mc ca$h$", "b", "c"], "similarity": [0.9, 0.5, 0.1]})
    fig, ax = plt.subplots()
    plot_ranking(table, ax, title="coil - elder ones")
    fig.canvas.draw()
    ticks = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [displayed_text(t) for t in ticks] == ["mc ca$h$", "b", "c"]
    bars = sorted(ax.patches, key=lambda p: -p.get_y())
    assert [p.get_width() for p in bars] == [0.9, 0.5, 0.1]
    with pytest.raises(ValueError, match="columns 'artist' and 'distance'"):
        plot_ranking(table, value="distance")


def test_plot_ranking_coloured_by_label():
    table = pd.DataFrame({"artist": ["a", "b", "c"], "similarity": [0.9, 0.5, 0.1]})
    ax = plot_ranking(table, labels=["rock", "jazz", "rock"])
    colours = group_colours(["rock", "jazz"])
    by_width = {p.get_width(): p.get_facecolor() for p in ax.patches}
    assert by_width[0.9] == by_width[0.1] == to_rgba(colours["rock"])
    assert by_width[0.5] == to_rgba(colours["jazz"])
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["jazz", "rock"]
    with pytest.raises(ValueError, match="3 rows need 3 labels"):
        plot_ranking(table, labels=["rock"])


def test_plot_scores_over_k_one_line_per_embedding():
    scores = pd.DataFrame({"embedding": ["trained"] * 2 + ["random"] * 2, "k": [10, 1, 1, 10],
                           "genre_precision": [0.7, 0.8, 0.3, 0.3]})  # fmt: skip
    ax = plot_scores_over_k(scores, "genre_precision")
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"trained", "random"}
    assert list(lines["trained"].get_xdata()) == [1, 10]
    assert list(lines["trained"].get_ydata()) == [0.8, 0.7]
    assert ax.get_ylabel() == "genre precision"
    with pytest.raises(ValueError, match="score_error"):
        plot_scores_over_k(scores, "score_error")


# ---- lessons 1 to 3 -----------------------------------------------------------------------

from bands2vec_lib.pairs import skipgram_pairs  # noqa: E402
from bands2vec_lib.plots import (  # noqa: E402
    _short_number,
    plot_cumulative_shares,
    plot_noise_distributions,
    plot_one_hot,
    plot_scaling,
    plot_similarity_matrix,
    plot_vectors,
    plot_window,
)


def test_plot_similarity_matrix_draws_every_value_and_literal_names():
    matrix = np.array([[1.0, 0.25, -0.5], [0.25, 1.0, 0.0], [-0.5, 0.0, 1.0]])
    names = ["coil", "mc ca$h$", "a$ap & co"]
    ax = plot_similarity_matrix(matrix, names, title="cosines")
    assert np.array_equal(ax.images[0].get_array(), matrix)
    assert ax.images[0].get_clim() == (-1, 1)
    assert sorted(t.get_text() for t in ax.texts) == sorted(f"{v:.1f}" for v in matrix.ravel())
    assert [displayed_text(t) for t in ax.get_yticklabels()] == names
    assert ax.get_title() == "cosines"
    with pytest.raises(ValueError, match="3 labels need a"):
        plot_similarity_matrix(np.eye(2), names)


def test_plot_vectors_cells_colours_and_labels():
    vectors = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    ax = plot_vectors(vectors, ["a$ap", "b"], ["rock", "jazz", "pop/r&b"])
    assert np.array_equal(ax.images[0].get_array(), vectors)
    assert ax.images[0].get_cmap().name == "Blues"  # non-negative: white is 0
    assert [t.get_text() for t in ax.texts] == ["1", "0", "1", "0", "0", "1"]
    assert [displayed_text(t) for t in ax.get_xticklabels()] == ["rock", "jazz", "pop/r&b"]
    assert displayed_text(ax.get_yticklabels()[0]) == "a$ap"
    signed = plot_vectors(np.array([[-2.0, 1.0]]), ["x"])
    assert signed.images[0].get_clim() == (-2.0, 2.0)
    assert [t.get_text() for t in signed.get_xticklabels()] == ["0", "1"]
    with pytest.raises(ValueError, match="2 vectors need 2 row labels"):
        plot_vectors(vectors, ["a"])
    with pytest.raises(ValueError, match="3 dimensions need 3 column labels"):
        plot_vectors(vectors, ["a", "b"], ["x"])


def test_plot_one_hot_one_spike_per_row_at_the_id():
    ax = plot_one_hot([4100, 3], ["coil", "guided by voices"], 8713)
    spikes = ax.collections[1::2]  # each row: a grey line of zeros, then its spike
    assert [s.get_segments()[0][0][0] for s in spikes] == [4100, 3]
    assert [t.get_text() for t in ax.texts] == ["1 at id 4100", "1 at id 3"]
    assert "8,712 zeros" in ax.get_xlabel()
    with pytest.raises(ValueError, match="every id must be in 0..9"):
        plot_one_hot([10], ["x"], 10)
    with pytest.raises(ValueError, match="2 ids but 1 labels"):
        plot_one_hot([1, 2], ["x"], 10)


@pytest.mark.parametrize("window", [1, 2, 3, 8])
def test_plot_window_marks_exactly_the_pairs(window):
    tokens = "the quick brown fox jumps over the lazy dog".split()
    ax = plot_window(tokens, window)
    grid = np.asarray(ax.images[0].get_array())
    assert np.array_equal(np.diag(grid), np.full(len(tokens), 2))
    marked = [(tokens[i], tokens[j]) for i, j in zip(*np.nonzero(grid == 1), strict=True)]
    assert marked == skipgram_pairs(tokens, window)  # row by row, as the library lists them
    assert ax.get_title() == f"window {window}: {len(skipgram_pairs(tokens, window))} pairs"
    with pytest.raises(ValueError, match="window must be"):
        plot_window(tokens, 0)


def test_plot_noise_distributions_normalised_and_ordered():
    counts = np.array([1, 100, 10, 1000, 0])
    ax = plot_noise_distributions(counts)
    unigram, distorted, uniform = (np.asarray(line.get_ydata()) for line in ax.lines)
    assert [line.get_label() for line in ax.lines] == ["unigram (count)", "unigram^0.75", "uniform"]
    for probabilities in (unigram, distorted, uniform):
        assert probabilities.sum() == pytest.approx(1.0)
    assert np.allclose(unigram, np.array([1000, 100, 10, 1, 0]) / 1111)
    assert np.allclose(uniform, 0.2)
    assert uniform[0] < distorted[0] < unigram[0]  # 0.75 lowers the most frequent
    assert np.all(np.diff(distorted) <= 0)
    with pytest.raises(ValueError, match="not all zero"):
        plot_noise_distributions(np.zeros(3))


def test_plot_cumulative_shares_end_at_one():
    ax = plot_cumulative_shares({"a": np.array([3.0, 1.0]), "b$": np.array([0.5, 0.5])}, mark=1)
    a, b, mark = ax.lines
    assert np.allclose(a.get_ydata(), [0.75, 1.0]) and np.allclose(b.get_ydata(), [0.5, 1.0])
    assert list(a.get_xdata()) == [1, 2]
    assert list(mark.get_xdata()) == [1, 1]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", r"b\$"]
    with pytest.raises(ValueError, match="not all zero"):
        plot_cumulative_shares({"c": np.zeros(2)})


def test_plot_scaling_lines_ticks_and_highlight():
    ax = plot_scaling([1_000, 64_000, 3_000_000], {"softmax": [1, 2, 3], "nce": [1, 1, 1]},
                      xlabel="V", ylabel="ms", logy=True, highlight=64_000)  # fmt: skip
    softmax, nce, marker = ax.lines
    assert list(softmax.get_ydata()) == [1, 2, 3] and list(nce.get_ydata()) == [1, 1, 1]
    assert list(marker.get_xdata()) == [64_000, 64_000]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1k", "64k", "3M"]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("V", "ms")
    with pytest.raises(ValueError, match="'nce' has 1 values for 3 x values"):
        plot_scaling([1, 2, 3], {"nce": [1]}, xlabel="k", ylabel="ms")


def test_short_numbers():
    assert [_short_number(v) for v in [1, 16, 256, 1000, 8713, 32_000, 1_500_000, 3e9]] == [
        "1", "16", "256", "1k", "8713", "32k", "1.5M", "3G",
    ]  # fmt: skip


from bands2vec_lib.plots import plot_context_tradeoff  # noqa: E402


def test_plot_context_tradeoff_curve_labels_and_points():
    curve = pd.DataFrame({"genre_share": [1.0, 0.0, 0.5], "genre_precision": [0.99, 0.3, 0.8],
                          "score_error": [0.9, 0.25, 0.3]})  # fmt: skip
    ax = plot_context_tradeoff(curve, {"the article's": (0.7, 0.99), "default": (0.25, 0.99)})
    line = ax.lines[0]
    assert line.get_xdata().tolist() == [0.25, 0.3, 0.9]  # sorted by share
    assert line.get_ydata().tolist() == [0.3, 0.8, 0.99]
    assert [t.get_text() for t in ax.texts] == ["0", "0.5", "1"]
    assert [tuple(c.get_offsets()[0]) for c in ax.collections] == [(0.7, 0.99), (0.25, 0.99)]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[1:] == ["the article's", "default"]
    plt.close("all")
