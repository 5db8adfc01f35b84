"""The lessons' controls: what each shows is what its inputs name, in Jupyter and (joined by
jslink) in the book; callbacks return what they show; no state a reader could reach shows
anything else."""

from __future__ import annotations

import re

import ipywidgets
import numpy as np
import pandas as pd
import pytest

from bands2vec_lib import widgets
from bands2vec_lib.embeddings import Embeddings
from bands2vec_lib.pairs import ContextGroups, context_pairs, skipgram_pairs, what_pairs_share
from bands2vec_lib.similarity import analogy, nearest
from bands2vec_lib.vocab import Vocabulary

SENTENCE = "the quick brown fox jumps over the lazy dog".split()


def selectors(control: widgets.Control) -> list[ipywidgets.Widget]:
    return list(control.children[0].children)


def links(widget: ipywidgets.Widget) -> list:
    """Every (selector, stack) jslink inside a control."""
    found = [widget.link] if isinstance(widget, ipywidgets.Stack) and hasattr(widget, "link") else []
    for child in getattr(widget, "children", ()):
        found += links(child)
    return found


def on_view(control: widgets.Control) -> ipywidgets.Widget:
    """The marked page on view, following each stack's selected page down."""
    page = control.children[-1]
    while isinstance(page, ipywidgets.Stack):
        page = page.children[page.selected_index]
    return page


def shown(control: widgets.Control) -> ipywidgets.Widget:
    """What the page on view shows, without its mark."""
    return on_view(control).children[1]


def mark(control: widgets.Control) -> str:
    """The settings the page on view says it was made for."""
    return re.search(r'data-settings="([^"]*)"', on_view(control).children[0].value).group(1)


def html_of(widget: ipywidgets.Widget) -> str:
    own = widget.value if isinstance(widget, ipywidgets.HTML) else ""
    return own + "".join(html_of(c) for c in getattr(widget, "children", ()))


def test_a_settings_control_joins_every_input_to_its_pages():
    pages = {}

    def page(x, y):
        pages[x, y] = ipywidgets.HTML(f"{x}-{y}")
        return {"x": x, "y": y}, pages[x, y]

    inputs = [
        widgets.Input("x", "x", [("1", 1), ("2", 2)]),
        widgets.Input("y", "y", [("a", "a"), ("b", "b"), ("c", "c")]),
    ]
    control = widgets.settings_control(inputs, page)
    assert len(pages) == 6  # every combination, made in advance
    found = links(control)
    assert len(found) == 1 + 2  # the outer stack to x, each inner stack to y
    assert all(link.source[1] == "index" and link.target[1] == "selected_index" for link in found)
    sources = [link.source[0] for link in found]
    assert sources.count(selectors(control)[0]) == 1 and sources.count(selectors(control)[1]) == 2
    for x, y in [(2, "c"), (1, "a"), (2, "b")]:
        assert control.callback(x=x, y=y) == {"x": x, "y": y}
        assert shown(control).value == f"{x}-{y}"  # the page of exactly these settings
        assert mark(control) == f"{x}; {y}"
        assert [s.index for s in selectors(control)] == [[1, 2].index(x), "abc".index(y)]
    assert control.compute(x=1, y="a") == {"x": 1, "y": "a"} and shown(control).value == "2-b"  # changes nothing
    with pytest.raises(ValueError, match="not one of the settings"):
        control.callback(x=3, y="a")


def test_an_explorer_shows_its_examples_and_needs_a_kernel_for_anything_else():
    computed = []

    def compute(n):
        computed.append(n)
        return {"n": n, "square": n * n}

    menu = ipywidgets.Dropdown(options=[1, 2, 3, 4], value=1)
    control = widgets.explorer_control(
        [("one", {"n": 1}), ("three", {"n": 3})],
        {"n": menu},
        compute,
        lambda r: ipywidgets.HTML(f"{r['n']} squared is {r['square']}"),
    )
    menu_of_examples, stack = control.children
    assert list(menu_of_examples.options) == ["one", "three", widgets.LIVE]
    assert stack.link.source == (menu_of_examples, "index") and stack.link.target == (stack, "selected_index")
    assert [html_of(p.children[1]) for p in stack.children[:2]] == ["1 squared is 1", "3 squared is 9"]
    assert 'data-settings="one"' in html_of(stack.children[0]) and widgets.LIVE in html_of(stack.children[-1])
    live = stack.children[-1]
    assert widgets.WAITING in html_of(live) and "squared" not in html_of(live)  # the book: only the notice
    assert control.callback(n=3)["square"] == 9 and stack.selected_index == menu_of_examples.index == 1
    assert control.compute(4) == {"n": 4, "square": 16} and stack.selected_index == 1
    with pytest.raises(ValueError, match="not one of the examples"):
        control.callback(n=4)
    menu.value = 2  # a running notebook: moving a free menu computes into the last page
    assert "2 squared is 4" in html_of(live) and widgets.WAITING not in html_of(live)


def test_one_hot_pages_every_pair_of_the_choices(small_artists):
    names = list(small_artists.index[:4])
    control = widgets.one_hot_control(small_artists, names)
    vocab = Vocabulary.from_artists(small_artists)
    for a in names:
        for b in names:
            result = control.callback(a, b)
            assert result["ids"] == [vocab.id(a), vocab.id(b)]
            assert result["one_hot_cosine"] == (1.0 if a == b else 0.0)
            assert f"{a}: id {vocab.id(a)}" in html_of(shown(control)) and f"{b}: id" in html_of(shown(control))
    assert len(links(control)) == 1 + len(names)


def test_window_pages_every_centre_and_window():
    control = widgets.window_control(SENTENCE, max_window=3)
    for centre in range(len(SENTENCE)):
        for window in (1, 2, 3):
            result = control.callback(centre=centre, window=window)
            expected = [p for p in skipgram_pairs(SENTENCE, window) if p[0] == SENTENCE[centre]]
            assert set(result["pairs"]) <= set(expected) and result["n_pairs"] == len(skipgram_pairs(SENTENCE, window))
            assert len(result["pairs"]) == min(centre, window) + min(len(SENTENCE) - 1 - centre, window)
            assert "<svg" in html_of(shown(control)) and f"window {window}:" in html_of(shown(control))


def test_sweep_runs_each_value_once_and_draws_its_curve():
    calls = []

    def run(v):
        calls.append(v)
        return {"loss": 10 / v, "seconds": v}

    curves = {v: ([1, 2, 3], [5, 4 - v / 10, 3]) for v in (1, 2, 4)}
    control = widgets.sweep_control(run, [1, 2, 4], name="k", value=2, curves=curves)
    assert calls == [1, 2, 4]
    assert control.callback(k=4) == {"k": 4, "loss": 2.5, "seconds": 4.0}
    assert 'alt="Line chart of value against step for k = 4' in html_of(shown(control))
    assert calls == [1, 2, 4]  # not run again
    with pytest.raises(ValueError, match="distinct and increasing"):
        widgets.sweep_control(run, [2, 1], name="k")


def test_mix_control_measures_the_pairs_of_each_setting(small_artists):
    control = widgets.mix_control(small_artists, n_pairs=4000)
    vocab = Vocabulary.from_artists(small_artists)
    groups = ContextGroups.from_artists(small_artists, vocab)
    result = control.callback(label_group_share=0.3, label_share=0.1)
    pairs = context_pairs(groups, 4000, genre_share=0, joint_share=0.6, label_group_share=0.3, label_share=0.1, seed=0)
    assert {k: result[k] for k in ("genre", "bucket", "group", "label")} == what_pairs_share(
        pairs, small_artists, vocab
    )
    no_labels = control.compute(label_group_share=0.0, label_share=0.0)
    assert no_labels["label"] < result["label"] and no_labels["twins"] > result["twins"]
    assert "artists with a twin" in html_of(shown(control))


def test_seed_neighbours_lists_both_and_counts_what_they_share():
    rng = np.random.default_rng(0)
    names = [f"artist {i}" for i in range(30)]
    first = Embeddings(names, rng.normal(size=(30, 4)))
    second = Embeddings(names, first.vectors + rng.normal(scale=0.3, size=(30, 4)))
    labels = [{"a"}, {"a", "b"}, {"b"}, {"self-released"}, {"c"}, *[{"self-released"}] * 25]
    genres = [{"rock"}] * 10 + [{"jazz"}] * 20
    artists = pd.DataFrame({"labels": map(frozenset, labels), "genres": map(frozenset, genres),
                            "score_bucket": [7] * 5 + [6] * 25}, index=pd.Index(names, name="artist"))  # fmt: skip
    control = widgets.seed_neighbours_control(first, second, artists, names[:5], k=5)
    result = control.callback("artist 2")
    assert result["first"] == nearest(first, "artist 2", k=5)["artist"].tolist()
    assert result["shared"] == len(set(result["first"]) & set(result["second"]))
    assert f"{result['shared']} of its 5 nearest in both" in html_of(shown(control))
    # artist 2 shares label b with artist 1; artists 0 to 4 are rock and bucket 7
    assert (result["label_mates"], result["same_group"]) == (1, 4)
    assert control.compute("artist 1")["label_mates"] == 2  # a with 0, b with 2
    assert control.compute("artist 3")["label_mates"] == 0  # self-released is no label
    assert "It shares a label with 1 artist; 4 others have its genres" in html_of(shown(control))


def test_perplexity_pages_every_map(small_artists):
    rng = np.random.default_rng(1)
    maps = {p: rng.normal(size=(len(small_artists), 2)) for p in (5, 30)}
    control = widgets.perplexity_control(maps, small_artists, rng.normal(size=(len(small_artists), 8)), k=5)
    assert control.callback(perplexity=30)["perplexity"] == 30 and "perplexity 30:" in html_of(shown(control))
    with pytest.raises(ValueError, match="shape"):
        widgets.perplexity_control({5: np.zeros((3, 2))}, small_artists, np.zeros((len(small_artists), 8)))


@pytest.fixture()
def toy(small_artists):
    rng = np.random.default_rng(2)
    names = list(small_artists.index)
    return Embeddings(names, rng.normal(size=(len(names), 8))), small_artists


def test_analogy_examples_are_the_librarys_and_the_table_says_genres_and_buckets(toy):
    emb, artists = toy
    a, b, c = artists.index[:3]
    control = widgets.analogy_control(emb, artists, list(artists.index[:20]), [(a, b, c), (a, b, None)], k=5)
    result = control.callback(a, b, c, 5)
    assert result["artists"] == analogy(emb, a, b, c, k=5)["artist"].tolist()
    page = html_of(shown(control))
    assert "bucket" in page and "mean score" in page and f"{a} − {b} + {c}" in page
    assert control.callback(a, b, None, 5)["query"] == f"{a} − {b}"
    other = control.compute(b, a, None, 3)
    assert len(other["artists"]) == 3 and a not in other["artists"]


def test_design_neighbours_shows_every_design_side_by_side(toy):
    emb, artists = toy
    designs = {"one": emb, "two": Embeddings(emb.names, emb.vectors[::-1].copy())}
    name = artists.index[4]
    control = widgets.design_neighbours_control(designs, artists, list(artists.index[:10]), k=4, examples=[name])
    result = control.callback(name)
    for design, found in result["designs"].items():
        assert found["artists"] == nearest(designs[design], name, k=4)["artist"].tolist()
        assert 0 <= found["share_genre"] <= 1
    assert all(design in html_of(shown(control)) for design in designs)


def test_control_says_what_it_is_where_no_widget_can_be_drawn():
    control = widgets.window_control(SENTENCE)
    bundle = control._repr_mimebundle_()
    assert bundle["text/plain"] == "An interactive control: run this notebook in Jupyter to use it."


def test_figures_keep_their_size_and_carry_alt_text():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 2))
    fig.subplots().plot([0, 1])
    tag = widgets.image(fig, "A line from 0 to 1.").value
    assert 'alt="A line from 0 to 1."' in tag and "max-width: 400px" in tag and "width: 100%" in tag
    with pytest.raises(ValueError, match="alt text"):
        widgets.image(fig, " ")
