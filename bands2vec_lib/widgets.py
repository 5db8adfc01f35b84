"""Interactive controls for the lessons (ipywidgets), working in the HTML book as in Jupyter.

The HTML book has no kernel, so a control cannot compute there, and it must never show a
state its inputs do not name. Controls are of two kinds, each built by one function here:

* **settings** (:func:`settings_control`): one or two inputs (sliders, menus) with a few
  settings each. The page of every combination is made in advance and put in a ``Stack``
  (a stack of stacks for two inputs), joined to the inputs with ``jslink``, which runs in
  the page itself: moving an input in the book shows the page made for exactly what the
  inputs now say, as it does in Jupyter.
* **explorers** (:func:`explorer_control`): free choices (artists) too many to draw in
  advance. A menu of examples turns pages made in advance; its last entry, "any other
  choice", holds the free menus and computes in a running notebook. In the book that page
  says it needs a running notebook, and shows nothing else.

Every control has ``callback(...)``, which selects a setting (or an example) and returns
what it shows (a dict), and ``compute(...)``, which returns it for any choice without
changing what is on view: lessons and tests call both.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .data import label_members
from .diagrams import sliding_window
from .embeddings import Embeddings
from .pairs import ContextGroups, context_pairs, skipgram_pairs, twins, what_pairs_share
from .plots import genre_label, plot_map, plot_one_hot, plot_vectors
from .projection import map_genre_precision_at_k, neighbours_kept
from .similarity import analogy, cosine_similarity, nearest
from .vocab import Vocabulary

WRAP = widgets.Layout(display="flex", flex_flow="row wrap", align_items="center")
WIDE_LABELS = {"description_width": "initial"}  # a description is never cut short ("num_sam...")


class Control(widgets.VBox):
    """A box of widgets, ``callback`` (select and return what is shown) and ``compute``
    (return it for any choice, changing nothing)."""

    def __init__(self, children: Sequence[widgets.Widget], callback: Callable[..., dict], compute: Callable[..., dict]):
        super().__init__(list(children), layout=widgets.Layout(max_width="100%"))
        self.callback, self.compute = callback, compute

    def _repr_mimebundle_(self, **kwargs) -> dict | None:
        # Where no widget can be drawn, a reader sees this sentence rather than the repr of
        # every child; it never changes, so a cell that displays a control can be checked.
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = "An interactive control: run this notebook in Jupyter to use it."
        return bundle


def image(fig: Figure, alt: str, *, dpi: int = 80) -> widgets.HTML:
    """A figure as an ``<img>`` with its alt text, scaled to the page's width but never wider
    than it was drawn, so that moving a control never changes its size. (ipywidgets'
    ``Image`` has no alt text: its ``<img>`` would be read as nothing.)"""
    if not alt.strip():
        raise ValueError("a figure needs alt text that says what it shows")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    width = round(fig.get_figwidth() * dpi)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return widgets.HTML(
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
        f'style="width: 100%; max-width: {width}px; height: auto">'
    )


def text(lines: Sequence[str]) -> widgets.HTML:
    """Lines of plain text, escaped (no artist's name is read as markup), wrapped on a phone."""
    return widgets.HTML("<pre style='white-space: pre-wrap'>" + html.escape("\n".join(lines)) + "</pre>")


def table(frame: pd.DataFrame, caption: str = "") -> widgets.HTML:
    """A table as HTML (pandas escapes every cell), in a box that scrolls sideways if need be."""
    head = f"<p><b>{html.escape(caption)}</b></p>" if caption else ""
    body = frame.to_html(index=False, border=0, classes="control-table", float_format=lambda x: f"{x:.3f}")
    return widgets.HTML(f"{head}<div style='overflow-x: auto'>{body}</div>")


# ------------------------------------------------------------------------ the two kinds


def _marked(page: widgets.Widget, settings: str) -> widgets.Widget:
    """A page with the settings it was made for, in a hidden mark (``data-settings``) that
    the book's tests compare with what the inputs show."""
    mark = widgets.HTML(f'<span class="control-settings" data-settings="{html.escape(settings)}" hidden></span>')
    return widgets.VBox([mark, page])



@dataclass(frozen=True)
class Input:
    """One input of a settings control: its name, the label it shows, and its settings as
    (label, value) pairs; ``slider`` draws a slider, else a menu."""

    name: str
    description: str
    options: Sequence[tuple[str, object]]
    value: object = None
    slider: bool = True

    def widget(self) -> widgets.Widget:
        options = [(str(label), i) for i, (label, _) in enumerate(self.options)]
        index = self.index(self.options[0][1] if self.value is None else self.value)
        if self.slider:
            return widgets.SelectionSlider(
                options=options,
                value=index,
                description=self.description,
                continuous_update=False,
                style=WIDE_LABELS,
                layout=widgets.Layout(width="min(100%, 28em)"),
            )
        return widgets.Dropdown(
            options=options,
            value=index,
            description=self.description,
            style=WIDE_LABELS,
            layout=widgets.Layout(width="auto", max_width="100%"),
        )

    def index(self, value: object) -> int:
        for i, (_, option) in enumerate(self.options):
            if option == value or (isinstance(value, float) and np.isclose(option, value, rtol=0, atol=1e-9)):
                return i
        raise ValueError(f"{self.name}={value!r} is not one of the settings offered: {[v for _, v in self.options]}")


def settings_control(inputs: Sequence[Input], page: Callable[..., tuple[dict, widgets.Widget]]) -> Control:
    """A control over one or two inputs, every combination's page made in advance.

    ``page(**values)`` returns what a combination shows (a dict) and its widget. The book
    turns the pages with no kernel: each input's index is joined (``jslink``) to a stack's
    page, the second input's to the page of every inner stack.
    """
    if not 1 <= len(inputs) <= 2:
        raise ValueError("a settings control has one or two inputs")
    selectors = [i.widget() for i in inputs]
    made = {
        combo: page(**{i.name: v for i, (_, v) in zip(inputs, combo, strict=True)})
        for combo in itertools.product(*(i.options for i in inputs))
    }
    made = {
        combo: (result, _marked(widget, "; ".join(str(label) for label, _ in combo)))
        for combo, (result, widget) in made.items()
    }

    def stack_of(pages: list[widgets.Widget], selector: widgets.Widget) -> widgets.Stack:
        stack = widgets.Stack(pages, selected_index=selector.index)
        stack.link = widgets.jslink((selector, "index"), (stack, "selected_index"))
        return stack

    outer_options = inputs[0].options
    if len(inputs) == 1:
        inner = []
        outer = stack_of([made[(o,)][1] for o in outer_options], selectors[0])
    else:
        inner = [stack_of([made[(o, p)][1] for p in inputs[1].options], selectors[1]) for o in outer_options]
        outer = stack_of(inner, selectors[0])

    def combo(args: tuple, values: Mapping) -> tuple[int, ...]:
        values = {**dict(zip((i.name for i in inputs), args, strict=False)), **values}
        return tuple(
            i.index(values[i.name] if i.name in values else i.options[s.value][1])
            for i, s in zip(inputs, selectors, strict=True)
        )

    def compute(*args, **values) -> dict:
        indexes = combo(args, values)
        return dict(made[tuple(i.options[k] for i, k in zip(inputs, indexes, strict=True))][0])

    def callback(*args, **values) -> dict:
        indexes = combo(args, values)
        for selector, k in zip(selectors, indexes, strict=True):
            selector.value = k
        outer.selected_index = indexes[0]
        for stack in inner:
            stack.selected_index = indexes[1]
        return compute(*args, **values)

    return Control([widgets.Box(selectors, layout=WRAP), outer], callback, compute)


LIVE = "any other choice (needs a running notebook)"
WAITING = (
    "<p><i>Choosing freely needs a running notebook: open this page on Binder (the rocket "
    "button at the top) or in Jupyter. In the book, pick one of the examples.</i></p>"
)


def explorer_control(
    examples: Sequence[tuple[str, Mapping]],
    inputs: Mapping[str, widgets.Widget],
    compute: Callable[..., dict],
    render: Callable[[dict], widgets.Widget],
) -> Control:
    """Examples made in advance, and free ``inputs`` that compute in a running notebook.

    ``examples`` are (label, values) pairs, ``values`` naming every input; ``compute(**values)``
    returns what a choice shows (a dict) and ``render`` draws it. The free inputs live on
    the last page of the examples' menu, with the notice that they need a running notebook
    until one of them is moved there.
    """
    labels = [label for label, _ in examples]
    menu = widgets.Dropdown(
        options=[*labels, LIVE],
        index=0,
        description="example",
        style=WIDE_LABELS,
        layout=widgets.Layout(width="auto", max_width="100%"),
    )
    result = widgets.Box([widgets.HTML(WAITING)])
    live = _marked(widgets.VBox([widgets.Box(list(inputs.values()), layout=WRAP), result]), LIVE)
    pages = [_marked(render(compute(**values)), label) for label, values in examples]
    stack = widgets.Stack([*pages, live], selected_index=0)
    stack.link = widgets.jslink((menu, "index"), (stack, "selected_index"))

    def on_change(_: dict) -> None:
        result.children = (render(compute(**{name: w.value for name, w in inputs.items()})),)

    for widget in inputs.values():
        widget.observe(on_change, names="value")

    def callback(*args, **values) -> dict:
        """Show the example with these values (they must be one) and return what it shows."""
        values = {**dict(zip(inputs, args, strict=False)), **values}
        for index, (_, example) in enumerate(examples):
            if all(example[k] == v for k, v in values.items()) and set(values) == set(example):
                menu.index = stack.selected_index = index
                return compute(**values)
        raise ValueError(f"{values} is not one of the examples; compute() works out any choice")

    return Control([menu, stack], callback, compute)


def _menu(name: str, options: Sequence, value: object) -> widgets.Dropdown:
    return widgets.Dropdown(
        options=list(options),
        value=value,
        description=name,
        style=WIDE_LABELS,
        layout=widgets.Layout(width="auto", max_width="100%"),
    )


# ----------------------------------------------------------------------------- lessons


def one_hot_control(artists: pd.DataFrame, choices: Sequence[str]) -> Control:
    """Two menus of artists: their one-hot vectors and genre vectors, and the cosine of each.

    Every pair of ``choices`` (a handful) is drawn in advance. ``callback(a=..., b=...)``
    returns ``ids``, ``one_hot`` (shape ``(2, vocabulary size)``), ``one_hot_cosine`` (1
    for the same artist, 0 for any two others), ``genres``, ``genre_vectors``,
    ``genre_cosine`` and ``shared_genres``.
    """
    vocab = Vocabulary.from_artists(artists)
    names = list(dict.fromkeys(vocab.resolve(n) for n in choices))
    if len(names) < 2:
        raise ValueError("the menus need at least two artists to choose from")
    genre_names = sorted({g for gs in artists["genres"] for g in gs})

    def page(a: str, b: str) -> tuple[dict, widgets.Widget]:
        one_hot = vocab.one_hot([a, b])
        genres = [sorted(artists.loc[n, "genres"]) for n in (a, b)]
        vectors = np.array([[g in gs for g in genre_names] for gs in genres], dtype=np.float32)
        result = {
            "a": a,
            "b": b,
            "ids": [vocab.id(a), vocab.id(b)],
            "one_hot": one_hot,
            "one_hot_cosine": cosine_similarity(one_hot[0], one_hot[1]),
            "genres": genre_names,
            "genre_vectors": vectors,
            "genre_cosine": cosine_similarity(vectors[0], vectors[1]),
            "shared_genres": sorted(set(genres[0]) & set(genres[1])),
        }
        fig = Figure(figsize=(7.5, 3.6), layout="constrained")
        top, bottom = fig.subplots(2, 1, height_ratios=[1, 1.2])
        plot_one_hot(
            result["ids"], [a, b], len(vocab), top, title=f"one-hot vectors: cosine {result['one_hot_cosine']:.2f}"
        )
        plot_vectors(vectors, [a, b], genre_names, bottom, title=f"genre vectors: cosine {result['genre_cosine']:.2f}")
        alt = (
            f"Top: the one-hot vectors of {a} and {b}, {len(vocab):,} entries each, all 0 but a 1 at ids "
            f"{result['ids'][0]} and {result['ids'][1]}; cosine {result['one_hot_cosine']:.2f}. Bottom: their genre "
            f"vectors over {len(genre_names)} genres; cosine {result['genre_cosine']:.2f}."
        )
        lines = [
            *(f"{n}: id {vocab.id(n)}, genres: {', '.join(g) or 'none'}" for n, g in zip((a, b), genres, strict=True)),
            f"one-hot cosine {result['one_hot_cosine']:.2f}, genre cosine {result['genre_cosine']:.2f}",
        ]
        return result, widgets.VBox([image(fig, alt), text(lines)])

    options = [(n, n) for n in names]
    return settings_control(
        [
            Input("a", "artist a", options, names[0], slider=False),
            Input("b", "artist b", options, names[1], slider=False),
        ],
        page,
    )


def window_control(tokens: Sequence[str], max_window: int = 4, centre: int = 3) -> Control:
    """Two sliders over a sentence, the centre word and the window size: the window drawn
    over the sentence and the (centre, context) pairs it makes, and the sentence's count.

    ``callback(centre=..., window=...)`` returns ``pairs`` (of that centre), ``n_pairs``
    (of the whole sentence, :func:`~bands2vec_lib.pairs.skipgram_pairs`) and both settings.
    """
    tokens = [str(t) for t in tokens]
    if len(tokens) < 2:
        raise ValueError("a sentence of at least two words is needed to make pairs")
    windows = list(range(1, int(max_window) + 1))

    def page(centre: int, window: int) -> tuple[dict, widgets.Widget]:
        drawing = sliding_window(tuple(tokens), centre=centre, window=window)
        everything = skipgram_pairs(tokens, window)
        near = range(max(0, centre - window), min(len(tokens), centre + window + 1))
        mine = [(tokens[centre], tokens[j]) for j in near if j != centre]
        result = {"centre": centre, "window": window, "pairs": mine, "n_pairs": len(everything)}
        words = text([f"the whole sentence, window {window}: {len(everything)} pairs"])
        return result, widgets.VBox([widgets.HTML(drawing.svg), words])

    return settings_control(
        [
            Input(
                "centre", "centre word", [(f"{i}: {t}", i) for i, t in enumerate(tokens)], min(centre, len(tokens) - 1)
            ),
            Input("window", "window", [(str(w), w) for w in windows], min(2, windows[-1])),
        ],
        page,
    )


def sweep_control(
    run: Callable[[float], Mapping[str, float]],
    values: Sequence[float],
    *,
    name: str,
    value: float | None = None,
    curves: Mapping[float, tuple[Sequence[float], Sequence[float]]] | None = None,
    curve_labels: tuple[str, str] = ("step", "value"),
) -> Control:
    """A slider over the values of one parameter, every value run once in advance.

    ``run(value)`` returns that value's measurements (the same keys each time);
    ``callback(**{name: value})`` returns them with ``name: value`` added. Its page shows
    the measurements, and, given ``curves`` (value -> (xs, ys), e.g. a loss during
    training), that value's curve drawn over the others', which a table cannot show.
    """
    values = list(values)
    if not values or sorted(values) != values or len(set(values)) != len(values):
        raise ValueError(f"values must be distinct and increasing, not {values!r}")
    results = {v: {name: v, **{str(k): float(x) for k, x in run(v).items()}} for v in values}
    if len({tuple(sorted(r)) for r in results.values()}) != 1:
        raise ValueError("run() must return the same measurements for every value")
    metrics = [k for k in results[values[0]] if k != name]

    def page(**chosen) -> tuple[dict, widgets.Widget]:
        v = chosen[name]
        lines = [f"{name} = {v:g}", *(f"{m}: {results[v][m]:.4g}" for m in metrics)]
        if not curves:
            return results[v], text(lines)
        fig = Figure(figsize=(6.0, 3.0), layout="constrained")
        ax = fig.subplots()
        for other, (xs, ys) in curves.items():
            ax.plot(
                xs,
                ys,
                color="tab:blue" if other == v else "0.8",
                lw=2.5 if other == v else 1,
                label=f"{name} = {other:g}" if other == v else None,
                zorder=3 if other == v else 1,
            )
        ax.set(xlabel=curve_labels[0], ylabel=curve_labels[1])
        ax.legend(loc="upper right")
        xs, ys = curves[v]
        alt = (
            f"Line chart of {curve_labels[1]} against {curve_labels[0]} for {name} = {v:g}, from {ys[0]:.3g} to "
            f"{ys[-1]:.3g}, drawn over the grey curves of {', '.join(f'{o:g}' for o in curves if o != v)}."
        )
        return results[v], widgets.VBox([image(fig, alt), text(lines)])

    options = [(f"{v:g}", v) for v in values]
    return settings_control([Input(name, name, options, values[0] if value is None else value)], page)


def mix_control(artists: pd.DataFrame, *, n_pairs: int = 20_000, seed: int = 0) -> Control:
    """Two sliders for the course's mix: the share of pairs that share a label within a
    group, and a label alone (the rest share a group). Each page shows what the pairs then
    have in common, and how many artists are left with a twin (all their contexts another
    artist's too), whom the model cannot tell apart.

    ``callback(label_group_share=..., label_share=...)`` returns the shares of pairs that
    share a ``genre``, ``bucket``, ``group`` and ``label``, and ``twins``.
    """
    vocab = Vocabulary.from_artists(artists)
    groups = ContextGroups.from_artists(artists, vocab)
    kinds = ("genre", "bucket", "group", "label")

    def page(label_group_share: float, label_share: float) -> tuple[dict, widgets.Widget]:
        shares = {
            "joint_share": round(1 - label_group_share - label_share, 2),
            "label_group_share": label_group_share,
            "label_share": label_share,
            "genre_share": 0.0,
        }
        pairs = context_pairs(groups, n_pairs, **shares, seed=seed)
        used = [
            k
            for k, s in (("joint", shares["joint_share"]), ("label_groups", label_group_share), ("labels", label_share))
            if s > 0
        ]
        result = {**what_pairs_share(pairs, artists, vocab), "twins": twins(groups, used), **shares}
        fig = Figure(figsize=(6.0, 2.4), layout="constrained")
        ax = fig.subplots()
        ax.barh([f"same {k}" for k in kinds], [result[k] for k in kinds], color="tab:blue")
        ax.set(xlim=(0, 1), xlabel="share of the pairs")
        ax.invert_yaxis()
        for y, k in enumerate(kinds):
            ax.text(min(result[k] + 0.01, 0.9), y, f"{result[k]:.0%}", va="center")
        said = ", ".join(f"{result[k]:.0%} a {k}" for k in kinds)
        alt = f"Bar chart: of these pairs, {said} share."
        return result, widgets.VBox([image(fig, alt), text([f"artists with a twin: {result['twins']:.0%}"])])

    return settings_control(
        [
            Input(
                "label_group_share",
                "label within a group",
                [(f"{s:.2f}", s) for s in (0.0, 0.15, 0.3, 0.45, 0.6)],
                0.45,
            ),
            Input("label_share", "label alone", [(f"{s:.2f}", s) for s in (0.0, 0.1, 0.2)], 0.1),
        ],
        page,
    )


def seed_neighbours_control(
    first: Embeddings, second: Embeddings, artists: pd.DataFrame, names: Sequence[str], *, k: int = 10
) -> Control:
    """A menu of artists: each one's ``k`` nearest neighbours in two embeddings (two training
    seeds) side by side, those both list marked, and how many the two share; and what sets
    the artist apart: how many artists share a record label with it (``label_mates``) and
    how many others have its genres and score bucket (``same_group``).

    ``callback(artist=...)`` returns ``first`` and ``second`` (the two lists), ``shared``,
    ``label_mates`` and ``same_group``.
    """
    names = list(dict.fromkeys(first.vocab.resolve(n) for n in names))
    members = label_members(artists)
    pairs = members.merge(members, on="label", suffixes=("", "_mate"))
    pairs = pairs[pairs["artist"] != pairs["artist_mate"]]
    mates = pairs.groupby("artist")["artist_mate"].nunique()
    group = artists["genres"].map(lambda g: tuple(sorted(g))).astype(str) + artists["score_bucket"].astype(str)
    group_sizes = group.map(group.value_counts())

    def page(artist: str) -> tuple[dict, widgets.Widget]:
        lists = [nearest(emb, artist, k=k)["artist"].tolist() for emb in (first, second)]
        shared = set(lists[0]) & set(lists[1])
        row = artists.index.get_loc(artist)
        result = {
            "artist": artist, "first": lists[0], "second": lists[1], "shared": len(shared),
            "label_mates": int(mates.get(row, 0)), "same_group": int(group_sizes.iloc[row]) - 1,
        }  # fmt: skip
        rows = pd.DataFrame(
            {
                "seed 0": [f"{n} *" if n in shared else n for n in lists[0]],
                "seed 1": [f"{n} *" if n in shared else n for n in lists[1]],
            }
        )
        mates_text = f"{result['label_mates']} artist" + ("" if result["label_mates"] == 1 else "s")
        caption = (
            f"{artist}: {len(shared)} of its {k} nearest in both (marked *). It shares a label with "
            f"{mates_text}; {result['same_group']} others have its genres and score bucket."
        )
        return result, table(rows, caption)

    return settings_control([Input("artist", "artist", [(n, n) for n in names], names[0], slider=False)], page)


def perplexity_control(
    maps: Mapping[float, np.ndarray], artists: pd.DataFrame, vectors: np.ndarray, *, k: int = 10
) -> Control:
    """A slider over t-SNE maps of the same artists made beforehand, one per perplexity.

    ``callback(perplexity=...)`` shows that map and returns ``perplexity``, ``kept`` (the
    share of each artist's ``k`` cosine-nearest neighbours in ``vectors`` also among its
    ``k`` nearest on the map) and ``same_genre`` (the genre precision of its ``k`` nearest on
    the map, counted as :func:`~bands2vec_lib.similarity.genre_precision_at_k` counts).
    """
    vectors = np.asarray(vectors)
    if not maps or len(vectors) != len(artists):
        raise ValueError(f"give at least one map and one vector per artist ({len(artists)})")
    for perplexity, coords in maps.items():
        if np.shape(coords) != (len(artists), 2):
            raise ValueError(
                f"the map at perplexity {perplexity} has shape {np.shape(coords)}, "
                f"not ({len(artists)}, 2): one row per artist"
            )
    labels = genre_label(artists)

    def page(perplexity: float) -> tuple[dict, widgets.Widget]:
        result = {
            "perplexity": perplexity,
            "kept": neighbours_kept(maps[perplexity], vectors, k),
            "same_genre": map_genre_precision_at_k(maps[perplexity], artists, k),
        }
        fig = Figure(figsize=(6.4, 4.4), layout="constrained")
        plot_map(maps[perplexity], labels, fig.subplots(), title=f"perplexity {perplexity:g}", size=6)
        said = (
            f"{result['kept']:.0%} of each artist's {k} nearest neighbours in {vectors.shape[1]}-d are among its "
            f"{k} nearest on the map; {result['same_genre']:.0%} of its {k} nearest on the map share a genre"
        )
        alt = (
            f"t-SNE map at perplexity {perplexity:g} of {len(artists):,} artists, a dot each, coloured by genre: "
            f"on average {said}."
        )
        return result, widgets.VBox([image(fig, alt), text([f"perplexity {perplexity:g}: {said}"])])

    options = [(f"{p:g}", p) for p in sorted(maps)]
    return settings_control([Input("perplexity", "perplexity", options)], page)


def _answers_table(emb: Embeddings, artists: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """The answers of a query with their cosine, genres, score bucket and mean score."""
    known = answers["artist"].isin(artists.index)
    rows = artists.reindex(answers["artist"])
    return pd.DataFrame(
        {
            "#": range(1, len(answers) + 1),
            "artist": answers["artist"].tolist(),
            "cosine": answers["similarity"].round(3).tolist(),
            "genres": [", ".join(sorted(g)) or "-" if ok else "-" for g, ok in zip(rows["genres"], known, strict=True)],
            "bucket": rows["score_bucket"].tolist(),
            "mean score": rows["mean_score"].round(2).tolist(),
        }
    )


NO_ARTIST = "(none)"


def analogy_control(
    emb: Embeddings,
    artists: pd.DataFrame,
    names: Sequence[str],
    examples: Sequence[tuple[str, str, str | None]],
    *,
    k: int = 10,
) -> Control:
    """The artists nearest to ``a - b (+ c)`` in the embedding's own space
    (:func:`~bands2vec_lib.similarity.analogy`): examples worked out in advance, and three
    artist menus and a slider for ``k`` that compute in a running notebook.

    ``callback(a=..., b=..., c=..., k=...)`` shows an example; ``compute`` any query. Both
    return ``query`` (the arithmetic as text) and, best first, ``artists``, ``similarity``
    and ``genres``.
    """
    options = sorted(dict.fromkeys(emb.vocab.resolve(n) for n in names))
    if NO_ARTIST in options:
        raise ValueError(f"an artist named {NO_ARTIST!r} would be mistaken for no artist")

    def compute(a: str, b: str, c: str | None = None, k: int = k) -> dict:
        c = None if c in (None, NO_ARTIST) else c
        answers = analogy(emb, a, b, c, k=int(k))
        found = _answers_table(emb, artists, answers)
        return {
            "query": f"{a} − {b}" + ("" if c is None else f" + {c}"),
            "artists": found["artist"].tolist(),
            "similarity": answers["similarity"].tolist(),
            "genres": [g.split(", ") if g != "-" else [] for g in found["genres"]],
            "table": found,
        }

    def render(result: dict) -> widgets.Widget:
        return table(result["table"], result["query"])

    queries = [
        (emb.vocab.resolve(a), emb.vocab.resolve(b), None if c in (None, NO_ARTIST) else emb.vocab.resolve(c))
        for a, b, c in examples
    ]
    first = queries[0]
    inputs = {
        "a": _menu("a", options, first[0]),
        "b": _menu("minus b", options, first[1]),
        "c": _menu("plus c", [NO_ARTIST, *options], first[2] or NO_ARTIST),
        "k": widgets.IntSlider(value=k, min=1, max=30, description="k", continuous_update=False),
    }
    labels = [
        (f"{a} − {b}" + ("" if c is None else f" + {c}") + f", {k} answers", {"a": a, "b": b, "c": c, "k": k})
        for a, b, c in queries
    ]
    return explorer_control(labels, inputs, compute, render)


def design_neighbours_control(
    designs: Mapping[str, Embeddings],
    artists: pd.DataFrame,
    names: Sequence[str],
    *,
    k: int = 10,
    examples: Sequence[str] | None = None,
) -> Control:
    """An artist's ``k`` nearest neighbours under several designs (embeddings trained on
    different pairs), side by side, with what each shares with the artist.

    ``examples`` (default: the first name) are worked out in advance; any artist of
    ``names`` computes in a running notebook. ``callback(artist=...)`` and ``compute`` return,
    per design, the neighbours, ``share_genre`` and ``score_gap``.
    """
    if not designs:
        raise ValueError("no design to choose from")
    first = next(iter(designs.values()))
    options = sorted(dict.fromkeys(first.vocab.resolve(n) for n in names))

    def compute(artist: str) -> dict:
        artist = first.vocab.resolve(artist)
        own_genres, own_score = artists.loc[artist, "genres"], float(artists.loc[artist, "mean_score"])
        out = {"artist": artist, "genres": sorted(own_genres), "mean_score": own_score, "designs": {}}
        for design, emb in designs.items():
            found = nearest(emb, artist, k=k)["artist"].tolist()
            scores = artists.loc[found, "mean_score"].to_numpy(float)
            out["designs"][design] = {
                "artists": found,
                "genres": [sorted(artists.loc[n, "genres"]) for n in found],
                "mean_scores": scores.tolist(),
                "share_genre": float(np.mean([bool(artists.loc[n, "genres"] & own_genres) for n in found])),
                "score_gap": abs(float(scores.mean()) - own_score),
            }
        return out

    def render(result: dict) -> widgets.Widget:
        rows = pd.DataFrame({design: d["artists"] for design, d in result["designs"].items()})
        said = "; ".join(
            f"{design}: {d['share_genre']:.0%} share a genre, mean score {d['score_gap']:.2f} away"
            for design, d in result["designs"].items()
        )
        caption = (
            f"{result['artist']} ({', '.join(result['genres']) or 'no genre'}; {result['mean_score']:.2f}). {said}"
        )
        return table(rows, caption)

    chosen = [first.vocab.resolve(n) for n in (examples or options[:1])]
    inputs = {"artist": _menu("artist", options, chosen[0])}
    return explorer_control([(n, {"artist": n}) for n in chosen], inputs, compute, render)
