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
