"""The lessons' interactive controls: each callback's result, and that the widget follows it."""

from __future__ import annotations

import numpy as np
import pytest

from bands2vec_lib.pairs import ContextGroups, context_pairs
from bands2vec_lib.vocab import Vocabulary
from bands2vec_lib.widgets import Control, genre_mix_control, loss_curve_control

# ---- lesson 4: the genre / score mix -----------------------------------------------------


def _mix_by_hand(artists, genre_share: float, n_pairs: int, seed: int) -> dict:
    """The same measurement, name by name through the artists table."""
    vocab = Vocabulary.from_artists(artists)
    pairs = context_pairs(ContextGroups.from_artists(artists, vocab), n_pairs, genre_share=genre_share, seed=seed)
    rows = [(artists.loc[vocab.name(t)], artists.loc[vocab.name(c)]) for t, c in pairs]
    return {
        "same_genre": np.mean([bool(a["genres"] & b["genres"]) for a, b in rows]),
        "same_bucket": np.mean([a["score_bucket"] == b["score_bucket"] for a, b in rows]),
        "score_gap": np.mean([abs(a["mean_score"] - b["mean_score"]) for a, b in rows]),
    }


@pytest.mark.parametrize("genre_share", [0.0, 0.3, 0.8, 1.0])
def test_genre_mix_callback_measures_the_pairs(small_artists, genre_share):
    control = genre_mix_control(small_artists, n_pairs=400, seed=5)
    result = control.callback(genre_share)
    expected = _mix_by_hand(small_artists, genre_share, 400, 5)
    assert result["genre_share"] == genre_share
    for key, value in expected.items():
        assert result[key] == pytest.approx(value, abs=1e-12), key


def test_genre_mix_extremes(small_artists):
    control = genre_mix_control(small_artists, n_pairs=1000)
    assert control.callback(1.0)["same_genre"] == 1.0  # every pair was drawn from a genre
    assert control.callback(0.0)["same_bucket"] == 1.0  # every pair was drawn from a bucket
    assert control.callback(0.0)["same_genre"] < 1.0


def test_genre_mix_rows_in_any_order(small_artists):
    # Ids follow the vocabulary (most reviewed first), not the rows: shuffled rows must not matter.
    shuffled = small_artists.sample(frac=1.0, random_state=0)
    result = genre_mix_control(shuffled, n_pairs=500).callback(0.6)
    expected = _mix_by_hand(shuffled, 0.6, 500, 0)
    for key, value in expected.items():
        assert result[key] == pytest.approx(value, abs=1e-12), key


def test_genre_mix_widget_follows_the_slider(small_artists):
    control = genre_mix_control(small_artists, n_pairs=300)
    assert isinstance(control, Control)
    slider, same_genre, same_bucket, text = control.children
    assert slider.value == pytest.approx(0.8)
    slider.value = 0.5
    result = control.callback(0.5)
    assert same_genre.value == pytest.approx(result["same_genre"])
    assert same_bucket.value == pytest.approx(result["same_bucket"])
    assert text.value.startswith("50% genre pairs")


# ---- lesson 5: windowed and running mean of the loss --------------------------------------


def test_loss_curve_callback_running_mean_weights_windows_by_length():
    control = loss_curve_control([100, 200, 250], [3.0, 2.0, 1.0])
    assert control.callback(100) == {"step": 100, "window_mean": 3.0, "running_mean": 3.0}
    assert control.callback(200)["running_mean"] == pytest.approx(2.5)
    # The last window is 50 steps long: (3 * 100 + 2 * 100 + 1 * 50) / 250.
    assert control.callback(250) == {"step": 250, "window_mean": 1.0, "running_mean": pytest.approx(2.2)}


def test_loss_curve_running_mean_equals_mean_of_per_step_losses():
    rng = np.random.default_rng(0)
    per_step = rng.uniform(1, 10, size=300)
    ends = np.array([50, 100, 175, 300])
    windows = [per_step[a:b].mean() for a, b in zip([0, *ends[:-1]], ends, strict=True)]
    control = loss_curve_control(ends, windows)
    for end in ends:
        assert control.callback(int(end))["running_mean"] == pytest.approx(per_step[:end].mean())


def test_loss_curve_widget_follows_the_slider():
    control = loss_curve_control([10, 20, 30], [5.0, 4.0, 1.0])
    slider, window_bar, running_bar, text = control.children
    assert slider.value == 30
    slider.value = 20
    assert window_bar.value == 4.0 and running_bar.value == pytest.approx(4.5)
    assert text.value.startswith("step 20:")


def test_loss_curve_errors():
    with pytest.raises(ValueError, match="one loss per window"):
        loss_curve_control([10, 20], [1.0])
    with pytest.raises(ValueError, match="increasing"):
        loss_curve_control([20, 10], [1.0, 2.0])
    control = loss_curve_control([10, 20], [1.0, 2.0])
    with pytest.raises(ValueError, match="windows end at"):
        control.callback(15)


# ---- lessons 6 and 7: perplexity maps, analogy explorer -----------------------------------

import pandas as pd  # noqa: E402

from bands2vec_lib.embeddings import Embeddings  # noqa: E402
from bands2vec_lib.similarity import analogy  # noqa: E402
from bands2vec_lib.widgets import NO_ARTIST, analogy_control, perplexity_control  # noqa: E402


def _toy_artists() -> pd.DataFrame:
    """Six artists: three rock, three jazz; the vectors put each trio together."""
    genres = [frozenset({"rock"})] * 3 + [frozenset({"jazz"})] * 3
    names = ["r1", "r2", "r3", "j1", "j2", "j$"]
    return pd.DataFrame({"genres": genres, "mean_score": [7.0] * 6}, index=names)


def test_perplexity_callback_measures_each_map():
    artists = _toy_artists()
    vectors = np.array([[1, 0.1], [1, 0.0], [1, -0.1], [0.1, 1], [0.0, 1], [-0.1, 1]])
    together = np.array([[0, 0], [0, 1], [1, 0], [9, 9], [9, 10], [10, 9]], dtype=float)  # trios kept apart
    angles = np.pi / 3 * np.array([0, 2, 4, 1, 3, 5])  # a hexagon, rock and jazz taking turns
    mixed = np.column_stack([np.cos(angles), np.sin(angles)])  # each artist's two nearest: the other genre
    control = perplexity_control({5: together, 30: mixed}, artists, vectors, k=2)
    good = control.callback(5)
    assert good == {"perplexity": 5, "kept": 1.0, "same_genre": 1.0}
    bad = control.callback(30)
    assert bad == {"perplexity": 30, "kept": 0.0, "same_genre": 0.0}
    with pytest.raises(ValueError, match=r"maps are at \[5, 30\]"):
        control.callback(100)


def test_perplexity_widget_follows_the_slider():
    artists = _toy_artists()
    vectors = np.eye(6)
    maps = {p: np.random.default_rng(p).normal(size=(6, 2)) for p in (2, 3)}
    control = perplexity_control(maps, artists, vectors, k=1)
    slider, image, text = control.children
    first = bytes(image.value)
    assert first.startswith(b"\x89PNG") and slider.value == 2
    slider.value = 3
    assert bytes(image.value) != first and text.value.startswith("<pre>perplexity 3:")
    with pytest.raises(ValueError, match=r"shape \(5, 2\)"):
        perplexity_control({5: np.zeros((5, 2))}, artists, vectors)


@pytest.fixture()
def toy_embeddings():
    rng = np.random.default_rng(0)
    names = [f"artist {i}" for i in range(20)] + ["a$ap & co"]
    return Embeddings(names, rng.normal(size=(21, 8)))


def test_analogy_callback_equals_library_analogy(toy_embeddings):
    artists = pd.DataFrame({"genres": [frozenset({"rock"})] * 21}, index=list(toy_embeddings.names))
    menu = ["artist 1", "artist 2", "artist 3", "a$ap & co"]
    control = analogy_control(toy_embeddings, artists, menu, a="artist 1", b="artist 2", k=5)
    for a, b, c, k in [("artist 1", "artist 2", None, 5), ("a$ap & co", "artist 3", "artist 1", 7)]:
        result = control.callback(a, b, c, k)
        expected = analogy(toy_embeddings, a, b, c, k=k)
        assert result["artists"] == expected["artist"].tolist()
        assert result["similarity"] == pytest.approx(expected["similarity"].tolist())
        assert result["genres"] == [["rock"]] * k
    assert result["query"] == "a$ap & co - artist 3 + artist 1"
    assert control.callback("artist 1", "artist 2", NO_ARTIST, 3)["query"] == "artist 1 - artist 2"


def test_analogy_widget_follows_the_menus(toy_embeddings):
    artists = pd.DataFrame({"genres": [frozenset()] * 21}, index=list(toy_embeddings.names))
    menu = ["artist 1", "artist 2", "a$ap & co"]
    control = analogy_control(toy_embeddings, artists, menu, a="artist 1", b="artist 2", k=4)
    menus, slider, table = control.children
    assert [m.value for m in menus.children] == ["artist 1", "artist 2", NO_ARTIST]
    assert table.value.count("<tr>") == 1 + 4
    menus.children[2].value = "a$ap & co"
    slider.value = 6
    expected = analogy(toy_embeddings, "artist 1", "artist 2", "a$ap & co", k=6)["artist"]
    assert table.value.count("<tr>") == 1 + 6
    assert "a$ap &amp; co" in table.value  # names are escaped for HTML
    assert all(name in table.value for name in expected)
    with pytest.raises(ValueError, match="mistaken for no artist"):
        analogy_control(Embeddings([NO_ARTIST, "x"], np.eye(2)), artists, [NO_ARTIST], a="x", b=NO_ARTIST)
