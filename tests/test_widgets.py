"""The lessons' interactive controls: each callback's result, and that the widget follows it."""

from __future__ import annotations

import base64
import html
import re

import ipywidgets as widgets
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


def _assert_linked(control: Control) -> None:
    """One page per option, joined to the selector by jslink (works in a page with no kernel)."""
    link = control.stack.link
    assert link.source == (control.selector, "index") and link.target == (control.stack, "selected_index")
    assert link._model_name == "LinkModel"  # jslink, both ways, in the browser: not a kernel callback
    assert len(control.stack.children) == len(control.selector.options)
    assert control.selector.index == control.stack.selected_index


def _figure(widget: widgets.HTML) -> tuple[bytes, str]:
    """The PNG bytes and the alt text of a figure shown by a control."""
    found = re.fullmatch(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)">', widget.value)
    assert found, widget.value[:200]
    return base64.b64decode(found.group(1)), html.unescape(found.group(2))


def _text(page) -> str:
    """The HTML text of a page (its last HTML widget)."""
    found = [w for w in getattr(page, "children", (page,)) if isinstance(w, widgets.HTML)]
    return found[-1].value


def test_genre_mix_widget_pages_every_share(small_artists):
    control = genre_mix_control(small_artists, n_pairs=300)
    assert isinstance(control, Control)
    _assert_linked(control)
    slider = control.selector
    assert slider.value == pytest.approx(0.8) and len(slider.options) == 21
    result = control.callback(0.5)
    same_genre, same_bucket, text = control.shown.children
    assert slider.value == pytest.approx(0.5) and control.stack.selected_index == slider.index
    assert same_genre.value == pytest.approx(result["same_genre"])
    assert same_bucket.value == pytest.approx(result["same_bucket"])
    assert text.value.startswith("50% genre pairs")
    assert control.callback(0.30000000000000004)["genre_share"] == pytest.approx(0.3)  # np.linspace's 0.3
    assert _text(control.shown).startswith("30% genre pairs")
    pages = [_text(page) for page in control.stack.children]
    assert len(set(pages)) == len(pages)  # every share its own page
    with pytest.raises(ValueError, match="not one of the offered values"):
        control.callback(0.33)


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


def test_loss_curve_widget_pages_every_window():
    control = loss_curve_control([10, 20, 30], [5.0, 4.0, 1.0])
    _assert_linked(control)
    assert control.selector.value == 30 and _text(control.shown).startswith("step 30:")
    control.callback(20)
    window_bar, running_bar, text = control.shown.children
    assert control.selector.value == 20 and control.stack.selected_index == 1
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


def test_perplexity_widget_pages_every_map():
    artists = _toy_artists()
    vectors = np.eye(6)
    maps = {p: np.random.default_rng(p).normal(size=(6, 2)) for p in (2, 3)}
    control = perplexity_control(maps, artists, vectors, k=1)
    _assert_linked(control)
    images = [_figure(page.children[0])[0] for page in control.stack.children]
    assert all(i.startswith(b"\x89PNG") for i in images) and images[0] != images[1]
    assert control.selector.value == 2
    control.callback(3)
    assert control.selector.value == 3 and _figure(control.shown.children[0])[0] == images[1]
    assert _text(control.shown).startswith("<pre>perplexity 3:")
    alt = _figure(control.shown.children[0])[1]
    assert alt.startswith("t-SNE map at perplexity 3 of 6 artists") and "nearest neighbours in 6-d" in alt
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


def test_analogy_widget_examples_work_without_a_kernel_and_menus_with_one(toy_embeddings):
    artists = pd.DataFrame({"genres": [frozenset()] * 21}, index=list(toy_embeddings.names))
    menu = ["artist 1", "artist 2", "a$ap & co"]
    examples = [("artist 1", "artist 2", None), ("a$ap & co", "artist 1", "artist 2")]
    control = analogy_control(toy_embeddings, artists, menu, a="artist 1", b="artist 2", k=4, examples=examples)
    _assert_linked(control)
    example_menu, menus, slider, stack = control.children
    assert example_menu is control.selector and stack is control.stack
    assert len(stack.children) == len(examples) + 1  # the examples, then the kernel's page
    assert [m.value for m in menus.children] == ["artist 1", "artist 2", NO_ARTIST]
    assert control.shown.value.count("<tr>") == 1 + 4
    second = stack.children[1].value
    assert "a$ap &amp; co - artist 1 + artist 2" in second  # made in advance, names escaped
    control.callback("a$ap & co", "artist 1", "artist 2", 4)  # an example: its page, no new one
    assert stack.selected_index == example_menu.index == 1 and control.shown.value == second
    menus.children[2].value = "a$ap & co"  # not an example: the kernel computes the last page
    slider.value = 6
    a, b, c = (m.value for m in menus.children)
    assert (a, b, c) == ("a$ap & co", "artist 1", "a$ap & co")
    expected = analogy(toy_embeddings, a, b, c, k=6)["artist"]
    assert stack.selected_index == example_menu.index == len(examples)
    assert control.shown is stack.children[-1]
    table = control.shown.children[0].value
    assert table.count("<tr>") == 1 + 6 and all(name in table for name in expected)
    example_menu.index = 1  # picking an example: the menus and k name it, and compute nothing
    assert [m.value for m in menus.children] == ["a$ap & co", "artist 1", "artist 2"] and slider.value == 4
    with pytest.raises(ValueError, match="mistaken for no artist"):
        analogy_control(Embeddings([NO_ARTIST, "x"], np.eye(2)), artists, [NO_ARTIST], a="x", b=NO_ARTIST)


# ---- lessons 1 to 3: one-hot vectors, window pairs, a parameter sweep ----------------------

from bands2vec_lib.errors import UnknownArtistError  # noqa: E402
from bands2vec_lib.widgets import one_hot_control, sweep_control, window_control  # noqa: E402


def _genre_artists() -> pd.DataFrame:
    """Four artists, most reviewed first; "a$ap & co" shares rock with "rocky" and nothing with "jazzy"."""
    genres = [frozenset({"rock", "electronic"}), frozenset({"rock"}), frozenset({"jazz"}), frozenset()]
    return pd.DataFrame({"genres": genres, "n_reviews": [9, 5, 3, 1]}, index=["a$ap & co", "rocky", "jazzy", "quiet"])


def test_one_hot_callback_vectors_and_cosines():
    artists = _genre_artists()
    control = one_hot_control(artists)
    result = control.callback("a$ap & co", "rocky")
    assert result["ids"] == [0, 1]
    assert np.array_equal(result["one_hot"], np.eye(4, dtype=np.float32)[[0, 1]])
    assert result["one_hot_cosine"] == 0.0
    assert result["genres"] == ["electronic", "jazz", "rock"]
    assert np.array_equal(result["genre_vectors"], [[1, 0, 1], [0, 0, 1]])
    assert result["genre_cosine"] == pytest.approx(1 / np.sqrt(2))  # one shared genre of 2 and 1
    assert result["shared_genres"] == ["rock"]
    same = control.callback("jazzy", "jazzy")
    assert same["one_hot_cosine"] == pytest.approx(1.0) and same["genre_cosine"] == pytest.approx(1.0)
    apart = control.callback("rocky", "jazzy")
    assert apart["one_hot_cosine"] == 0.0 and apart["genre_cosine"] == 0.0 and apart["shared_genres"] == []
    assert control.callback("jazzy", "quiet")["genre_cosine"] == 0.0  # no genre: a zero vector


def test_one_hot_widget_examples_and_menus():
    control = one_hot_control(_genre_artists(), choices=["rocky", "jazzy", "a$ap & co"],
                              examples=[("rocky", "jazzy"), ("rocky", "a$ap & co")])  # fmt: skip
    _assert_linked(control)
    example_menu, menus, stack = control.children
    a, b = menus.children
    assert (a.value, b.value) == ("rocky", "jazzy") and list(a.options) == ["rocky", "jazzy", "a$ap & co"]
    assert list(example_menu.options)[:2] == ["rocky and jazzy", "rocky and a$ap & co"]
    images = [_figure(page.children[0])[0] for page in stack.children[:2]]
    assert all(i.startswith(b"\x89PNG") for i in images) and images[0] != images[1]
    alt = _figure(stack.children[1].children[0])[1]  # names with & and $ are text, escaped in the HTML
    assert alt.startswith("Top: the one-hot vectors of rocky and a$ap & co, 4 entries each")
    b.value = "a$ap & co"  # the menu calls the callback: an example, so its page
    assert stack.selected_index == example_menu.index == 1
    assert "a$ap &amp; co: id 0" in _text(control.shown) and "shared genres: rock" in _text(control.shown)
    control.callback("jazzy", "rocky")  # a direct call moves the menus; not an example: the last page
    assert (a.value, b.value) == ("jazzy", "rocky")
    assert control.shown is stack.children[-1] and example_menu.index == 2
    assert "genre cosine 0.00" in _text(control.shown.children[0])
    example_menu.index = 0  # picking an example in a running notebook: the menus name it
    assert (a.value, b.value) == ("rocky", "jazzy")  # (the page follows by jslink, in the browser)
    with pytest.raises(UnknownArtistError, match="rocky"):
        control.callback("rocki", "jazzy")
    with pytest.raises(ValueError, match="at least two artists"):
        one_hot_control(_genre_artists(), choices=["rocky"])


def test_window_callback_pairs_by_hand():
    control = window_control(["a", "b", "c", "d"], max_window=3)
    one = control.callback(1)
    assert one["pairs"] == [("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"), ("c", "d"), ("d", "c")]
    assert one["n_pairs"] == 6 and one["window"] == 1
    two = control.callback(2)
    assert two["n_pairs"] == 10 and ("a", "c") in two["pairs"] and ("a", "d") not in two["pairs"]
    three = control.callback(3)
    assert sorted(three["pairs"]) == sorted((x, y) for x in "abcd" for y in "abcd" if x != y)


def test_window_widget_pages_every_window_and_lists_pairs_by_centre():
    control = window_control(["the", "a$ap", "&", "the"], max_window=2)
    _assert_linked(control)
    slider = control.selector
    assert slider.value == 2 and list(slider.options) == [1, 2]
    control.callback(1)
    image, text = control.shown.children
    assert slider.value == 1 and text.value.splitlines()[0] == "<pre>window 1: 6 pairs"
    assert _figure(image)[1].endswith("the words up to 1 away on either side, 6 pairs.")
    assert "a$ap -&gt; the, &amp;" in text.value  # each centre's contexts, escaped for HTML
    control.callback(2)
    assert slider.value == 2 and "window 2: 10 pairs" in _text(control.shown)
    assert _figure(image)[0].startswith(b"\x89PNG") and _figure(control.shown.children[0])[0] != _figure(image)[0]
    with pytest.raises(ValueError, match="not one of the offered values"):
        control.callback(3)
    for bad in ([["one"], 2], [["a", "b"], 0]):
        with pytest.raises(ValueError):
            window_control(*bad)


def test_sweep_runs_each_value_once_when_made():
    calls = []

    def run(k):
        calls.append(k)
        return {"loss": 10.0 / k, "seconds": 0.5 * k}

    control = sweep_control(run, [1, 4, 16], name="num_sampled", value=4)
    assert calls == [1, 4, 16]  # every page is made in advance
    assert control.selector.value == 4
    assert control.callback(4) == {"num_sampled": 4, "loss": 2.5, "seconds": 2.0}
    assert control.callback(1)["seconds"] == 0.5 and calls == [1, 4, 16]
    with pytest.raises(ValueError, match="not one of the offered values"):
        control.callback(2)


def test_sweep_widget_pages_every_value():
    control = sweep_control(lambda k: {"loss": float(k)}, [1, 2, 3], name="k", references={"loss": (2.5, "ref")})
    _assert_linked(control)
    control.callback(3)
    assert control.selector.value == 3 and "k = 3" in _text(control.shown) and "loss: 3" in _text(control.shown)
    images = {_figure(page.children[0])[0] for page in control.stack.children}
    assert len(images) == 3 and all(i.startswith(b"\x89PNG") for i in images)
    assert _figure(control.shown.children[0])[1] == (
        "Line charts against k 1, 2, 3 (dashed red line: 3). loss: 1, 2, 3; a dashed grey line at 2.5, ref."
    )
    with pytest.raises(ValueError, match="does not return"):
        sweep_control(lambda k: {"loss": 1.0}, [1], name="k", references={"time": (1.0, "x")})


def test_sweep_errors():
    with pytest.raises(ValueError, match="distinct and increasing"):
        sweep_control(lambda k: {"x": k}, [4, 1], name="k")
    answers = iter([{"loss": 1.0}, {"time": 2.0}])
    with pytest.raises(ValueError, match="not the keys it returned before"):
        sweep_control(lambda k: next(answers), [1, 2], name="k")


def test_control_says_what_it_is_where_no_widget_can_be_drawn():
    bundle = window_control(["a", "b"])._repr_mimebundle_()
    assert bundle["text/plain"] == "An interactive control: run this notebook in Jupyter to use it."
    assert "application/vnd.jupyter.widget-view+json" in bundle


# ---- lesson 7: neighbours of an artist under each design of pairs ---------------------------

from bands2vec_lib.widgets import design_neighbours_control  # noqa: E402


def _designs() -> tuple[dict[str, Embeddings], pd.DataFrame]:
    """Two designs of six artists: one groups them by genre, the other by score."""
    names = ["r7", "r4", "j7", "j4", "r$7", "j$4"]
    genres = [frozenset({"rock"}), frozenset({"rock"}), frozenset({"jazz"}), frozenset({"jazz"}),
              frozenset({"rock"}), frozenset({"jazz"})]  # fmt: skip
    artists = pd.DataFrame({"genres": genres, "mean_score": [7.0, 4.0, 7.2, 4.2, 6.8, 3.8]}, index=names)
    by_genre = np.array([[1, 0.1], [1, 0], [0, 1], [0.1, 1], [1, -0.1], [-0.1, 1]])
    by_score = np.array([[1, 0.1], [0, 1], [1, 0], [0.1, 1], [1, -0.1], [-0.1, 1]])
    return {"genres": Embeddings(names, by_genre), "scores": Embeddings(names, by_score)}, artists


def test_design_neighbours_callback_follows_the_design():
    designs, artists = _designs()
    control = design_neighbours_control(designs, artists, list(artists.index), artist="r7", k=2)
    genre = control.callback("genres", "r7")
    assert set(genre["artists"]) == {"r4", "r$7"} and genre["share_genre"] == 1.0
    assert genre["score_gap"] == pytest.approx(abs(np.mean([4.0, 6.8]) - 7.0))
    score = control.callback("scores", "r7")
    assert set(score["artists"]) == {"j7", "r$7"} and score["share_genre"] == 0.5
    assert score["score_gap"] == pytest.approx(abs(np.mean([7.2, 6.8]) - 7.0))
    assert score["mean_scores"] == [artists.loc[n, "mean_score"] for n in score["artists"]]
    assert score["genres"] == ["rock"] and score["mean_score"] == 7.0
    with pytest.raises(ValueError, match="unknown design 'words'"):
        control.callback("words", "r7")


def test_design_neighbours_widget_pages_every_design_for_each_example():
    designs, artists = _designs()
    control = design_neighbours_control(designs, artists, list(artists.index), artist="r$7", k=2,
                                        examples=["r$7", "j7"])  # fmt: skip
    _assert_linked(control)
    example_menu, menus, stack = control.children
    design_menu, artist_menu = menus.children
    assert len(stack.children) == 2 * 2 + 1
    assert (design_menu.value, artist_menu.value) == ("genres", "r$7")
    assert "r$7" in control.shown.value and "with genres" in control.shown.value
    design_menu.value = "scores"  # an example: its page is already there
    assert "with scores" in control.shown.value and "j7" in control.shown.value
    assert example_menu.value == "r$7, scores"
    artist_menu.value = "j$4"  # not an example: computed on the kernel's page
    assert control.shown is stack.children[-1]
    table = control.shown.children[0].value
    assert "<b>j$4</b>" in table and table.count("<tr>") == 1 + 2
    example_menu.value = "j7, genres"  # picking an example in a running notebook: the menus name it
    assert (design_menu.value, artist_menu.value) == ("genres", "j7")
    with pytest.raises(ValueError, match="no design"):
        design_neighbours_control({}, artists, ["r7"], artist="r7")
