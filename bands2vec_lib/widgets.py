"""Interactive controls for the lessons (ipywidgets).

Each builder returns the widget, and exposes its callback so a lesson (and a test) can
call it directly: the HTML book has no kernel, so every widget also has a static figure.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .embeddings import Embeddings
from .errors import is_whole_number
from .pairs import GENRE_SHARE, ContextGroups, context_pairs, skipgram_pairs
from .plots import genre_label, plot_map, plot_one_hot, plot_scaling, plot_vectors, plot_window
from .projection import map_genre_precision_at_k, neighbours_kept
from .similarity import analogy, cosine_similarity, genre_matrix, nearest
from .vocab import Vocabulary


class Control(widgets.VBox):
    """A box of widgets and ``callback``, the function that recomputes and shows its result.

    ``callback`` returns what it shows (a dict), so a lesson or a test can call it directly.
    """

    def __init__(self, children: Sequence[widgets.Widget], callback: Callable[..., dict]):
        super().__init__(list(children))
        self.callback = callback

    def _repr_mimebundle_(self, **kwargs) -> dict | None:
        # Where no widget can be drawn, a reader sees this sentence rather than the repr of
        # every child; it never changes, so a cell that displays a control can be checked.
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = "An interactive control: run this notebook in Jupyter to use it."
        return bundle


# Lessons 1-3: one-hot vectors, the skip-gram model, negative sampling


def _png(fig: Figure) -> bytes:
    """A figure drawn off-screen as PNG bytes for an ``Image`` widget (pyplot never shows it)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def _pre(lines: Sequence[str]) -> str:
    """Lines of plain text as HTML, escaped, so that no artist's name is read as markup."""
    return "<pre>" + html.escape("\n".join(lines)) + "</pre>"


class _Quiet:
    """A flag for callbacks that set their own controls: those changes must not call back."""

    def __init__(self) -> None:
        self.on = False

    def __enter__(self) -> None:
        self.on = True

    def __exit__(self, *exc: object) -> None:
        self.on = False


def one_hot_control(artists: pd.DataFrame, choices: Sequence[str] | None = None) -> Control:
    """Pick two artists: their one-hot vectors and genre vectors, and the cosine of each pair.

    ``callback(a, b)`` returns ``ids``, ``one_hot`` (shape ``(2, vocabulary size)``),
    ``one_hot_cosine``, ``genres`` (the genre names), ``genre_vectors`` (shape
    ``(2, genres)``), ``genre_cosine`` and ``shared_genres``. The one-hot cosine is 1 for
    the same artist and 0 for any two others; the genre cosine grows with shared genres.

    Parameters
    ----------
    artists
        An artist table (:func:`~bands2vec_lib.data.load_artists`).
    choices
        The artists offered in the two menus (default: the 20 most reviewed).
    """
    vocab = Vocabulary.from_artists(artists)
    names = [vocab.resolve(n) for n in (choices if choices is not None else vocab.names[:20])]
    if len(set(names)) < 2:
        raise ValueError("the menus need at least two artists to choose from")
    genre_names = sorted({g for gs in artists["genres"] for g in gs})
    menus = [widgets.Dropdown(options=names, value=names[k], description=f"artist {'ab'[k]}") for k in range(2)]
    image, text, quiet = widgets.Image(format="png"), widgets.HTML(), _Quiet()

    def genres_of(name: str) -> list[str]:
        return sorted(artists.loc[name, "genres"])

    def callback(a: str, b: str) -> dict:
        a, b = vocab.resolve(a), vocab.resolve(b)
        one_hot = vocab.one_hot([a, b])
        genre_vectors = np.array([[g in genres_of(n) for g in genre_names] for n in (a, b)], dtype=np.float32)
        result = {
            "a": a, "b": b, "ids": [vocab.id(a), vocab.id(b)],
            "one_hot": one_hot, "one_hot_cosine": cosine_similarity(one_hot[0], one_hot[1]),
            "genres": genre_names, "genre_vectors": genre_vectors,
            "genre_cosine": cosine_similarity(genre_vectors[0], genre_vectors[1]),
            "shared_genres": sorted(set(genres_of(a)) & set(genres_of(b))),
        }  # fmt: skip
        fig = Figure(figsize=(9, 3.6), layout="constrained")
        top, bottom = fig.subplots(2, 1, height_ratios=[1, 1.2])
        plot_one_hot(result["ids"], [a, b], len(vocab), top,
                     title=f"one-hot vectors: cosine {result['one_hot_cosine']:.2f}")  # fmt: skip
        plot_vectors(genre_vectors, [a, b], genre_names, bottom,
                     title=f"genre vectors: cosine {result['genre_cosine']:.2f}")  # fmt: skip
        image.value = _png(fig)
        with quiet:
            for menu, name in zip(menus, (a, b), strict=True):
                if name in menu.options:
                    menu.value = name
        text.value = _pre([
            *(f"{n}: id {vocab.id(n)}, genres: {', '.join(genres_of(n)) or 'none'}" for n in (a, b)),
            f"one-hot cosine {result['one_hot_cosine']:.2f}, genre cosine {result['genre_cosine']:.2f}"
            f" (shared genres: {', '.join(result['shared_genres']) or 'none'})",
        ])  # fmt: skip
        return result

    def on_change(change: dict) -> None:
        if not quiet.on:
            callback(menus[0].value, menus[1].value)

    for menu in menus:
        menu.observe(on_change, names="value")
    callback(names[0], names[1])
    return Control([widgets.HBox(menus), image, text], callback)


def window_control(tokens: Sequence[str], max_window: int = 4) -> Control:
    """A window-size slider over a sentence, showing the (centre, context) pairs it makes.

    ``callback(window)`` returns ``window``, ``pairs`` (from
    :func:`~bands2vec_lib.pairs.skipgram_pairs`, centre by centre) and ``n_pairs``.
    """
    tokens = [str(t) for t in tokens]
    if len(tokens) < 2:
        raise ValueError("a sentence of at least two words is needed to make pairs")
    if not is_whole_number(max_window) or max_window < 1:
        raise ValueError(f"max_window must be a whole number of at least 1, not {max_window!r}")
    slider = widgets.IntSlider(value=min(2, max_window), min=1, max=max_window, description="window",
                               continuous_update=False)  # fmt: skip
    image, text, quiet = widgets.Image(format="png"), widgets.HTML(), _Quiet()

    def callback(window: int) -> dict:
        pairs = skipgram_pairs(tokens, window)
        fig = Figure(figsize=(4.6, 4.2), layout="constrained")
        plot_window(tokens, window, fig.subplots())
        image.value = _png(fig)
        with quiet:
            slider.value = min(max(int(window), slider.min), slider.max)
        # skipgram_pairs lists the pairs centre by centre: position i has this many.
        n = len(tokens)
        lines, start = [f"window {window}: {len(pairs)} pairs"], 0
        for i, centre in enumerate(tokens):
            count = min(i, window) + min(n - 1 - i, window)
            lines.append(f"{centre:>8} -> {', '.join(c for _, c in pairs[start : start + count])}")
            start += count
        text.value = _pre(lines)
        return {"window": int(window), "pairs": pairs, "n_pairs": len(pairs)}

    slider.observe(lambda change: None if quiet.on else callback(change["new"]), names="value")
    callback(slider.value)
    return Control([slider, widgets.HBox([image, text])], callback)


def sweep_control(run: Callable[[float], Mapping[str, float]], values: Sequence[float], *, name: str) -> Control:
    """A slider over the values of one parameter; each value's measurements are plotted.

    ``callback(value)`` calls ``run(value)`` (once per value: results are kept) and returns
    its measurements (a dict of numbers) with ``name: value`` added. The figure shows each
    measurement against the values run so far, the chosen one marked.

    Parameters
    ----------
    run
        Measures one setting, e.g. trains with ``num_sampled=value`` and returns
        ``{"loss": ..., "seconds": ...}``; the same keys every time.
    values
        The settings the slider offers, increasing.
    name
        The parameter's name, e.g. ``"num_sampled"``.
    """
    values = list(values)
    if not values or sorted(values) != values or len(set(values)) != len(values):
        raise ValueError(f"values must be distinct and increasing, not {values!r}")
    results: dict[float, dict] = {}
    slider = widgets.SelectionSlider(options=values, value=values[0], description=name, continuous_update=False)
    image, text, quiet = widgets.Image(format="png"), widgets.HTML(), _Quiet()

    def callback(value: float) -> dict:
        if value not in values:
            raise ValueError(f"{name}={value!r} is not one of the offered values {values}")
        if value not in results:
            measured = {str(k): float(v) for k, v in run(value).items()}
            if results and set(measured) != set(next(iter(results.values()))) - {name}:
                raise ValueError(f"run({value!r}) returned {sorted(measured)}, not the keys it returned before")
            results[value] = {name: value, **measured}
        done = [v for v in values if v in results]
        metrics = [k for k in results[value] if k != name]
        fig = Figure(figsize=(3.2 * max(len(metrics), 1), 2.8), layout="constrained")
        for ax, metric in zip(np.atleast_1d(fig.subplots(1, max(len(metrics), 1))), metrics, strict=False):
            plot_scaling(done, {metric: [results[v][metric] for v in done]}, ax, xlabel=name, ylabel=metric,
                         highlight=value)  # fmt: skip
        image.value = _png(fig)
        with quiet:
            slider.value = value
        text.value = _pre([f"{name} = {value:g}", *(f"{m}: {results[value][m]:.4g}" for m in metrics)])
        return dict(results[value])

    slider.observe(lambda change: None if quiet.on else callback(change["new"]), names="value")
    callback(slider.value)
    return Control([slider, image, text], callback)


# Lesson 4: from reviews to pairs


def genre_mix_control(artists: pd.DataFrame, *, n_pairs: int = 20_000, seed: int = 0) -> Control:
    """A slider for the share of genre pairs, showing what the pairs then have in common.

    ``callback(genre_share)`` draws ``n_pairs`` pairs with
    :func:`~bands2vec_lib.pairs.context_pairs` and returns the share of pairs whose two
    artists share a genre (``same_genre``), share a score bucket (``same_bucket``), and the
    mean difference of their mean scores (``score_gap``).
    """
    vocab = Vocabulary.from_artists(artists)
    groups = ContextGroups.from_artists(artists, vocab)
    ids = vocab.ids(artists.index)
    genres = np.zeros((len(vocab), genre_matrix(artists).shape[1]), dtype=bool)
    genres[ids] = genre_matrix(artists)
    buckets = np.zeros(len(vocab), dtype=np.int64)
    buckets[ids] = artists["score_bucket"].to_numpy()
    means = np.zeros(len(vocab))
    means[ids] = artists["mean_score"].to_numpy(dtype=float)

    slider = widgets.FloatSlider(value=GENRE_SHARE, min=0.0, max=1.0, step=0.05, description="genre share",
                                 readout_format=".2f", continuous_update=False)  # fmt: skip
    bars = {
        "same_genre": widgets.FloatProgress(min=0, max=1, description="same genre", bar_style="info"),
        "same_bucket": widgets.FloatProgress(min=0, max=1, description="same bucket", bar_style="warning"),
    }
    text, quiet = widgets.HTML(), _Quiet()

    def callback(genre_share: float) -> dict:
        pairs = context_pairs(groups, n_pairs, genre_share=genre_share, seed=seed)
        t, c = pairs[:, 0], pairs[:, 1]
        result = {
            "genre_share": float(genre_share),
            "same_genre": float((genres[t] & genres[c]).any(axis=1).mean()),
            "same_bucket": float((buckets[t] == buckets[c]).mean()),
            "score_gap": float(np.abs(means[t] - means[c]).mean()),
        }
        for key, bar in bars.items():
            bar.value = result[key]
        with quiet:  # the slider shows the share the bars were drawn for
            slider.value = float(genre_share)
        text.value = (
            f"{genre_share:.0%} genre pairs: {result['same_genre']:.1%} of pairs share a genre, "
            f"{result['same_bucket']:.1%} a score bucket; mean score gap {result['score_gap']:.2f}"
        )
        return result

    slider.observe(lambda change: None if quiet.on else callback(change["new"]), names="value")
    callback(slider.value)
    return Control([slider, *bars.values(), text], callback)


# Lesson 5: the TensorFlow graph


def loss_curve_control(steps: Sequence[int], window_losses: Sequence[float]) -> Control:
    """A step slider comparing the loss of the last window with the running mean since step 0.

    ``steps`` are the last step of each window and ``window_losses`` the mean loss of each
    window (a :class:`~bands2vec_lib.training.LossHistory`). ``callback(step)`` returns
    ``window_mean`` and ``running_mean``, the mean over every step up to ``step``.
    """
    steps = np.asarray(steps, dtype=np.int64)
    losses = np.asarray(window_losses, dtype=float)
    if steps.shape != losses.shape or len(steps) == 0:
        raise ValueError(f"need one loss per window: {len(steps)} steps, {len(losses)} losses")
    if np.any(np.diff(np.concatenate([[0], steps])) <= 0):
        raise ValueError("steps must be increasing and positive")
    lengths = np.diff(np.concatenate([[0], steps]))
    running = np.cumsum(losses * lengths) / steps

    slider = widgets.SelectionSlider(options=[int(s) for s in steps], value=int(steps[-1]), description="step",
                                     continuous_update=False)  # fmt: skip
    top = float(max(losses.max(), running.max()))
    bars = {
        "window_mean": widgets.FloatProgress(min=0, max=top, description="window", bar_style="info"),
        "running_mean": widgets.FloatProgress(min=0, max=top, description="running", bar_style="warning"),
    }
    text, quiet = widgets.HTML(), _Quiet()

    def callback(step: int) -> dict:
        where = np.searchsorted(steps, step)
        if where == len(steps) or steps[where] != step:
            raise ValueError(f"step {step} is not the end of a window; windows end at {steps.tolist()}")
        result = {"step": int(step), "window_mean": float(losses[where]), "running_mean": float(running[where])}
        for key, bar in bars.items():
            bar.value = result[key]
        with quiet:  # the slider shows the step the bars were drawn for
            slider.value = int(step)
        text.value = (
            f"step {step}: mean of the last {lengths[where]} steps {result['window_mean']:.3f}, "
            f"running mean since step 0 {result['running_mean']:.3f}"
        )
        return result

    slider.observe(lambda change: None if quiet.on else callback(change["new"]), names="value")
    callback(slider.value)
    return Control([slider, *bars.values(), text], callback)


# Lessons 6 and 7: t-SNE, similarity and analogies


def perplexity_control(
    maps: Mapping[float, np.ndarray], artists: pd.DataFrame, vectors: np.ndarray, *, k: int = 10
) -> Control:
    """A slider over t-SNE maps of the same artists made beforehand, one per perplexity.

    t-SNE takes seconds, so every map is computed and drawn in advance and the slider only
    swaps pictures. ``callback(perplexity)`` shows that map and returns ``perplexity``,
    ``kept`` (the share of each artist's ``k`` cosine-nearest neighbours in ``vectors`` that
    are also among its ``k`` nearest on the map) and ``same_genre`` (the share of its ``k``
    nearest on the map that share a genre with it, over the artists with a genre, counted
    as :func:`~bands2vec_lib.similarity.genre_precision_at_k` counts in the full space).

    Parameters
    ----------
    maps
        Perplexity -> ``(n, 2)`` map coordinates, one row per artist of ``artists``.
    artists
        The mapped artists, in the maps' row order (:func:`~bands2vec_lib.data.load_artists`).
    vectors
        Their vectors in the full space, in the same order.
    """
    if not maps:
        raise ValueError("give at least one map")
    vectors = np.asarray(vectors)
    if len(vectors) != len(artists):
        raise ValueError(f"{len(artists)} artists need {len(artists)} vectors, not {len(vectors)}")
    for perplexity, coords in maps.items():
        if np.shape(coords) != (len(artists), 2):
            raise ValueError(f"the map at perplexity {perplexity} has shape {np.shape(coords)}, "
                             f"not ({len(artists)}, 2): one row per artist")  # fmt: skip
    perplexities = sorted(maps)
    labels = genre_label(artists)
    pictures = {}
    for p in perplexities:
        fig = Figure(figsize=(6.4, 4.4), layout="constrained")
        plot_map(maps[p], labels, fig.subplots(), title=f"perplexity {p:g}", size=6)
        pictures[p] = _png(fig)

    slider = widgets.SelectionSlider(options=[(f"{p:g}", p) for p in perplexities], value=perplexities[0],
                                     description="perplexity", continuous_update=False)  # fmt: skip
    image, text, quiet = widgets.Image(format="png"), widgets.HTML(), _Quiet()

    def callback(perplexity: float) -> dict:
        if perplexity not in maps:
            raise ValueError(f"no map at perplexity {perplexity}: the maps are at {perplexities}")
        result = {
            "perplexity": perplexity,
            "kept": neighbours_kept(maps[perplexity], vectors, k),
            "same_genre": map_genre_precision_at_k(maps[perplexity], artists, k),
        }
        image.value = pictures[perplexity]
        with quiet:  # the slider shows the perplexity the map was drawn for
            slider.value = perplexity
        text.value = _pre([
            f"perplexity {perplexity:g}: {result['kept']:.0%} of each artist's {k} nearest neighbours "
            f"in {vectors.shape[1]}-d are among its {k} nearest on the map; "
            f"{result['same_genre']:.0%} of its {k} nearest on the map share a genre with it"
        ])  # fmt: skip
        return result

    slider.observe(lambda change: None if quiet.on else callback(change["new"]), names="value")
    callback(slider.value)
    return Control([slider, image, text], callback)


NO_ARTIST = "(none)"


def analogy_control(
    emb: Embeddings,
    artists: pd.DataFrame,
    names: Sequence[str],
    *,
    a: str,
    b: str,
    c: str | None = None,
    k: int = 10,
    max_k: int = 30,
) -> Control:
    """Three artist menus and a slider for k: the artists nearest to ``a - b (+ c)``, in the
    embedding's own space (:func:`~bands2vec_lib.similarity.analogy`).

    ``callback(a, b, c=None, k=10)`` returns ``query`` (the arithmetic, as text) and, for
    the ``k`` answers best first, ``artists``, ``similarity`` (cosine) and ``genres``;
    the control shows them as a table. ``c`` may be ``None`` or ``"(none)"`` for no third artist.

    Parameters
    ----------
    emb
        The embeddings.
    artists
        The artist table, for the answers' genres and scores.
    names
        The artists offered in the menus (a few hundred at most: a menu is a list).
    a, b, c, k
        What the control shows first.
    """
    options = sorted(dict.fromkeys(emb.vocab.resolve(n) for n in names))
    if NO_ARTIST in options:
        raise ValueError(f"an artist named {NO_ARTIST!r} would be mistaken for no artist")
    menus = [
        widgets.Dropdown(options=options, description="a", layout=widgets.Layout(width="32%")),
        widgets.Dropdown(options=options, description="minus b", layout=widgets.Layout(width="32%")),
        widgets.Dropdown(options=[NO_ARTIST, *options], description="plus c", layout=widgets.Layout(width="32%")),
    ]
    slider = widgets.IntSlider(value=min(k, max_k), min=1, max=max_k, description="k", continuous_update=False)
    table, quiet = widgets.HTML(), _Quiet()

    def callback(a: str, b: str, c: str | None = None, k: int = 10) -> dict:
        c = None if c in (None, NO_ARTIST) else emb.vocab.resolve(c)
        a, b = emb.vocab.resolve(a), emb.vocab.resolve(b)
        answers = analogy(emb, a, b, c, k=int(k))
        query = f"{a} - {b}" + ("" if c is None else f" + {c}")
        result = {
            "query": query,
            "artists": answers["artist"].tolist(),
            "similarity": answers["similarity"].tolist(),
            "genres": [sorted(artists.loc[n, "genres"]) if n in artists.index else [] for n in answers["artist"]],
        }
        rows = "".join(
            f"<tr><td>{i}</td><td>{html.escape(n)}</td><td>{s:.3f}</td><td>{html.escape(', '.join(g) or '-')}</td></tr>"
            for i, (n, s, g) in enumerate(zip(result["artists"], result["similarity"], result["genres"],
                                              strict=True), start=1)
        )  # fmt: skip
        table.value = (
            f"<p><b>{html.escape(query)}</b></p><table><tr><th>#</th><th>artist</th><th>cosine</th>"
            f"<th>genres</th></tr>{rows}</table>"
        )
        with quiet:
            for menu, name in zip(menus, (a, b, c or NO_ARTIST), strict=True):
                if name in menu.options:
                    menu.value = name
            slider.value = min(int(k), slider.max)
        return result

    def on_change(change: dict) -> None:
        if not quiet.on:
            callback(menus[0].value, menus[1].value, menus[2].value, slider.value)

    for control in (*menus, slider):
        control.observe(on_change, names="value")
    callback(a, b, c, k)
    return Control([widgets.HBox(menus), slider, table], callback)


def design_neighbours_control(
    designs: Mapping[str, Embeddings],
    artists: pd.DataFrame,
    names: Sequence[str],
    *,
    design: str | None = None,
    artist: str,
    k: int = 10,
) -> Control:
    """A menu of designs (embeddings trained on different pairs) and of artists: the
    artist's ``k`` nearest neighbours under the chosen design, with genres and mean scores.

    ``callback(design, artist)`` returns ``design``, ``artist``, its ``genres`` and
    ``mean_score``, and for the ``k`` neighbours best first: ``artists``, ``genres``,
    ``mean_scores``, ``share_genre`` (the share that shares a genre with the artist) and
    ``score_gap`` (the distance between their mean score and the artist's).
    """
    if not designs:
        raise ValueError("no design to choose from")
    if not is_whole_number(k) or k < 1:
        raise ValueError(f"k must be a whole number of at least 1, not {k!r}")
    k = int(k)
    first = next(iter(designs.values()))
    options = sorted(dict.fromkeys(first.vocab.resolve(n) for n in names))
    design_menu = widgets.Dropdown(options=list(designs), description="pairs", layout=widgets.Layout(width="60%"))
    artist_menu = widgets.Dropdown(options=options, description="artist", layout=widgets.Layout(width="38%"))
    table, quiet = widgets.HTML(), _Quiet()

    def callback(design: str, artist: str) -> dict:
        if design not in designs:
            raise ValueError(f"unknown design {design!r}: choose one of {', '.join(map(repr, designs))}")
        emb = designs[design]
        artist = emb.vocab.resolve(artist)
        found = nearest(emb, artist, k=k)["artist"].tolist()
        own_genres, own_score = artists.loc[artist, "genres"], float(artists.loc[artist, "mean_score"])
        scores = [float(artists.loc[n, "mean_score"]) for n in found]
        result = {
            "design": design, "artist": artist, "genres": sorted(own_genres), "mean_score": own_score,
            "artists": found, "neighbour_genres": [sorted(artists.loc[n, "genres"]) for n in found],
            "mean_scores": scores,
            "share_genre": float(np.mean([bool(artists.loc[n, "genres"] & own_genres) for n in found])),
            "score_gap": abs(float(np.mean(scores)) - own_score),
        }  # fmt: skip
        rows = "".join(
            f"<tr><td>{i}</td><td>{html.escape(n)}</td><td>{html.escape(', '.join(g) or '-')}</td><td>{s:.2f}</td></tr>"
            for i, (n, g, s) in enumerate(zip(found, result["neighbour_genres"], scores, strict=True), start=1)
        )  # fmt: skip
        table.value = (
            f"<p><b>{html.escape(artist)}</b> ({html.escape(', '.join(result['genres']) or '-')}; "
            f"{own_score:.2f}) with {html.escape(design)}: {result['share_genre']:.0%} of its {k} nearest share "
            f"a genre; their mean score is {np.mean(scores):.2f}</p><table><tr><th>#</th><th>artist</th>"
            f"<th>genres</th><th>mean score</th></tr>{rows}</table>"
        )
        with quiet:
            design_menu.value = design
            if artist in options:
                artist_menu.value = artist
        return result

    def on_change(change: dict) -> None:
        if not quiet.on:
            callback(design_menu.value, artist_menu.value)

    for menu in (design_menu, artist_menu):
        menu.observe(on_change, names="value")
    callback(design if design is not None else design_menu.options[0], artist)
    return Control([widgets.HBox([design_menu, artist_menu]), table], callback)
