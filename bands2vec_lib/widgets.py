"""Interactive controls for the lessons (ipywidgets), working in the HTML book as in Jupyter.

The HTML book has no kernel, so a control cannot compute there. Each control therefore
makes its outputs in advance, one *page* per setting, and puts them in a ``Stack``; the
setting's selector (a slider or a menu) is joined to the stack with ``jslink``, which runs
in the page itself. Moving the slider in the book shows the page for that setting, and it
does the same in Jupyter. Controls with too many settings to list (artist menus) offer a
menu of examples made in advance the same way, and keep computing any other choice in the
kernel, on a last page.

Each builder returns a :class:`Control`, whose ``callback`` selects (or computes) what a
setting shows and returns it, so a lesson (and a test) can call it directly.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .data import genre_matrix
from .embeddings import Embeddings
from .errors import is_whole_number
from .pairs import GENRE_SHARE, ContextGroups, context_pairs, skipgram_pairs
from .plots import genre_label, plot_map, plot_one_hot, plot_scaling, plot_vectors, plot_window
from .projection import map_genre_precision_at_k, neighbours_kept
from .similarity import analogy, cosine_similarity, nearest
from .vocab import Vocabulary


class Control(widgets.VBox):
    """A box of widgets and ``callback``, the function that shows a setting and returns it.

    ``callback`` returns what it shows (a dict), so a lesson or a test can call it directly.
    ``selector`` is the widget whose ``index`` picks one of the ``stack``'s pages (joined by
    ``jslink``, so it works in a page without a kernel); ``shown`` is the page on view.
    """

    def __init__(
        self,
        children: Sequence[widgets.Widget],
        callback: Callable[..., dict],
        *,
        selector: widgets.Widget,
        stack: widgets.Stack,
    ):
        super().__init__(list(children))
        self.callback, self.selector, self.stack = callback, selector, stack

    @property
    def shown(self) -> widgets.Widget:
        """The page the stack shows now."""
        return self.stack.children[self.stack.selected_index]

    def _repr_mimebundle_(self, **kwargs) -> dict | None:
        # Where no widget can be drawn, a reader sees this sentence rather than the repr of
        # every child; it never changes, so a cell that displays a control can be checked.
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = "An interactive control: run this notebook in Jupyter to use it."
        return bundle


# Lessons 1-3: one-hot vectors, the skip-gram model, negative sampling


def _png(fig: Figure) -> bytes:
    """A figure drawn off-screen as PNG bytes (pyplot never shows it)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def _pre(lines: Sequence[str]) -> str:
    """Lines of plain text as HTML, escaped, so that no artist's name is read as markup."""
    return "<pre>" + html.escape("\n".join(lines)) + "</pre>"


def _linked_stack(selector: widgets.Widget, pages: Sequence[widgets.Widget]) -> widgets.Stack:
    """Pages made in advance, one per option of ``selector``, shown by its ``index``.

    ``jslink`` joins the two in the browser, both ways: no kernel is needed to turn a page.
    """
    stack = widgets.Stack(list(pages), selected_index=selector.index)
    stack.link = widgets.jslink((selector, "index"), (stack, "selected_index"))
    return stack


def _select(selector: widgets.Widget, stack: widgets.Stack, index: int) -> None:
    """Show page ``index``, the selector on the same option (the saved page is consistent)."""
    selector.index = index
    stack.selected_index = index


def _index(options: Sequence[float], value: float, name: str) -> int:
    """The position of ``value`` among the offered numbers (to float precision)."""
    for i, option in enumerate(options):
        if np.isclose(option, value, rtol=0, atol=1e-9):
            return i
    raise ValueError(f"{name}={value!r} is not one of the offered values {list(options)}")


def _image(fig: Figure, alt: str) -> widgets.HTML:
    """A figure as an ``<img>`` with its alt text, what a screen reader reads in its place.
    (ipywidgets' ``Image`` widget has no alt text: its ``<img>`` would be read as nothing.)"""
    if not alt.strip():
        raise ValueError("a figure needs alt text that says what it shows")
    data = base64.b64encode(_png(fig)).decode("ascii")
    return widgets.HTML(f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">')


class _Examples:
    """A menu of examples made in advance, and a last page the kernel fills for any other choice.

    In the book the menu turns the pages with no kernel; the free menus of the control
    (artists) compute in the kernel and show their result on the last page.
    """

    LIVE = "any other choice (needs a running notebook)"
    WAITING = (
        "<p><i>Choose in the menus above: that needs a running notebook (open it on Binder "
        "with the rocket button at the top of the page). In the book, pick one of the "
        "examples.</i></p>"
    )

    def __init__(self, labels: Sequence[str], pages: Sequence[widgets.Widget], description: str = "example"):
        self.labels = list(labels)
        self.menu = widgets.Dropdown(options=[*self.labels, self.LIVE], index=0, description=description,
                                     layout=widgets.Layout(width="70%"))  # fmt: skip
        self.live = widgets.VBox([widgets.HTML(self.WAITING)])
        self.stack = _linked_stack(self.menu, [*pages, self.live])

    def follow(self, values: Sequence[tuple], set_menus: Callable[[tuple], None]) -> None:
        """In a running notebook, picking example ``i`` calls ``set_menus(values[i])``, so the
        free menus name what the page shows (in the book, with no kernel, they stay put)."""

        def on_pick(change: dict) -> None:
            if change["new"] is not None and 0 <= change["new"] < len(values):
                set_menus(values[change["new"]])

        self.menu.observe(on_pick, names="index")

    def show(self, label: str, page: Callable[[], widgets.Widget]) -> None:
        """Show the example called ``label``, or else put ``page()`` on the last page."""
        if label in self.labels:
            index = self.labels.index(label)
        else:
            self.live.children = (page(),)
            index = len(self.labels)
        _select(self.menu, self.stack, index)


class _Quiet:
    """A flag for callbacks that set their own controls: those changes must not call back."""

    def __init__(self) -> None:
        self.on = False

    def __enter__(self) -> None:
        self.on = True

    def __exit__(self, *exc: object) -> None:
        self.on = False


def one_hot_control(
    artists: pd.DataFrame,
    choices: Sequence[str] | None = None,
    *,
    examples: Sequence[tuple[str, str]] | None = None,
) -> Control:
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
    examples
        The pairs drawn in advance, which work in the book without a kernel (default: the
        first choice with each of the next three).
    """
    vocab = Vocabulary.from_artists(artists)
    names = [vocab.resolve(n) for n in (choices if choices is not None else vocab.names[:20])]
    if len(set(names)) < 2:
        raise ValueError("the menus need at least two artists to choose from")
    if examples is None:
        examples = [(names[0], other) for other in names[1:4]]
    examples = [(vocab.resolve(a), vocab.resolve(b)) for a, b in examples]
    genre_names = sorted({g for gs in artists["genres"] for g in gs})
    menus = [widgets.Dropdown(options=names, value=names[k], description=f"artist {'ab'[k]}") for k in range(2)]
    quiet = _Quiet()

    def genres_of(name: str) -> list[str]:
        return sorted(artists.loc[name, "genres"])

    def measure(a: str, b: str) -> dict:
        one_hot = vocab.one_hot([a, b])
        genre_vectors = np.array([[g in genres_of(n) for g in genre_names] for n in (a, b)], dtype=np.float32)
        return {
            "a": a, "b": b, "ids": [vocab.id(a), vocab.id(b)],
            "one_hot": one_hot, "one_hot_cosine": cosine_similarity(one_hot[0], one_hot[1]),
            "genres": genre_names, "genre_vectors": genre_vectors,
            "genre_cosine": cosine_similarity(genre_vectors[0], genre_vectors[1]),
            "shared_genres": sorted(set(genres_of(a)) & set(genres_of(b))),
        }  # fmt: skip

    def page(result: dict) -> widgets.Widget:
        a, b = result["a"], result["b"]
        fig = Figure(figsize=(9, 3.6), layout="constrained")
        top, bottom = fig.subplots(2, 1, height_ratios=[1, 1.2])
        plot_one_hot(result["ids"], [a, b], len(vocab), top,
                     title=f"one-hot vectors: cosine {result['one_hot_cosine']:.2f}")  # fmt: skip
        plot_vectors(result["genre_vectors"], [a, b], genre_names, bottom,
                     title=f"genre vectors: cosine {result['genre_cosine']:.2f}")  # fmt: skip
        text = _pre([
            *(f"{n}: id {vocab.id(n)}, genres: {', '.join(genres_of(n)) or 'none'}" for n in (a, b)),
            f"one-hot cosine {result['one_hot_cosine']:.2f}, genre cosine {result['genre_cosine']:.2f}"
            f" (shared genres: {', '.join(result['shared_genres']) or 'none'})",
        ])  # fmt: skip
        alt = (
            f"Top: the one-hot vectors of {a} and {b}, {len(vocab):,} entries each, all 0 but a 1 at "
            f"ids {result['ids'][0]} and {result['ids'][1]}; cosine {result['one_hot_cosine']:.2f}. "
            f"Bottom: their genre vectors over {len(genre_names)} genres; cosine {result['genre_cosine']:.2f}."
        )
        return widgets.VBox([_image(fig, alt), widgets.HTML(text)])

    label = "{} and {}".format
    shown = _Examples([label(a, b) for a, b in examples], [page(measure(a, b)) for a, b in examples])

    def callback(a: str, b: str) -> dict:
        a, b = vocab.resolve(a), vocab.resolve(b)
        result = measure(a, b)
        shown.show(label(a, b), lambda: page(result))
        set_menus((a, b))
        return result

    def set_menus(names: tuple[str, str]) -> None:
        with quiet:
            for menu, name in zip(menus, names, strict=True):
                if name in menu.options:
                    menu.value = name

    def on_change(change: dict) -> None:
        if not quiet.on:
            callback(menus[0].value, menus[1].value)

    for menu in menus:
        menu.observe(on_change, names="value")
    shown.follow(examples, set_menus)
    callback(*examples[0])
    return Control([shown.menu, widgets.HBox(menus), shown.stack], callback, selector=shown.menu, stack=shown.stack)


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
    windows = list(range(1, int(max_window) + 1))

    def render(window: int) -> tuple[dict, widgets.Widget]:
        pairs = skipgram_pairs(tokens, window)
        fig = Figure(figsize=(4.6, 4.2), layout="constrained")
        plot_window(tokens, window, fig.subplots())
        # skipgram_pairs lists the pairs centre by centre: position i has this many.
        n = len(tokens)
        lines, start = [f"window {window}: {len(pairs)} pairs"], 0
        for i, centre in enumerate(tokens):
            count = min(i, window) + min(n - 1 - i, window)
            lines.append(f"{centre:>8} -> {', '.join(c for _, c in pairs[start : start + count])}")
            start += count
        result = {"window": window, "pairs": pairs, "n_pairs": len(pairs)}
        alt = (
            f"Grid of the sentence's {n} words, centre word by row and context word by column: each "
            f"centre word pairs with the words up to {window} away on either side, {len(pairs)} pairs."
        )
        return result, widgets.HBox([_image(fig, alt), widgets.HTML(_pre(lines))])

    rendered = [render(w) for w in windows]
    slider = widgets.SelectionSlider(options=windows, value=min(2, windows[-1]), description="window",
                                     continuous_update=False)  # fmt: skip
    stack = _linked_stack(slider, [page for _, page in rendered])

    def callback(window: int) -> dict:
        index = _index(windows, window, "window")
        _select(slider, stack, index)
        return dict(rendered[index][0])

    return Control([slider, stack], callback, selector=slider, stack=stack)


def sweep_control(
    run: Callable[[float], Mapping[str, float]],
    values: Sequence[float],
    *,
    name: str,
    value: float | None = None,
    references: Mapping[str, tuple[float, str]] | None = None,
) -> Control:
    """A slider over the values of one parameter; each value's measurements are plotted.

    Every value is run once, when the control is made. ``callback(value)`` returns that
    value's measurements (a dict of numbers) with ``name: value`` added; its page shows
    each measurement against every value, the chosen one marked.

    Parameters
    ----------
    run
        Measures one setting, e.g. trains with ``num_sampled=value`` and returns
        ``{"loss": ..., "seconds": ...}``; the same keys every time.
    values
        The settings the slider offers, increasing.
    name
        The parameter's name, e.g. ``"num_sampled"``.
    value
        The setting shown first (default: the first).
    references
        Measurement -> (level, label): a dashed line to draw on that measurement's panel,
        e.g. ``{"loss": (6.2, "log V: an untrained model")}``.
    """
    values = list(values)
    if not values or sorted(values) != values or len(set(values)) != len(values):
        raise ValueError(f"values must be distinct and increasing, not {values!r}")
    references = dict(references or {})
    results: list[dict] = []
    for v in values:
        measured = {str(k): float(x) for k, x in run(v).items()}
        if results and set(measured) != set(results[0]) - {name}:
            raise ValueError(f"run({v!r}) returned {sorted(measured)}, not the keys it returned before")
        results.append({name: v, **measured})
    metrics = [k for k in results[0] if k != name]
    unknown = set(references) - set(metrics)
    if unknown:
        raise ValueError(f"references to {sorted(unknown)}, which run() does not return: {metrics}")

    def page(index: int) -> widgets.Widget:
        fig = Figure(figsize=(3.2 * max(len(metrics), 1), 2.8), layout="constrained")
        for ax, metric in zip(np.atleast_1d(fig.subplots(1, max(len(metrics), 1))), metrics, strict=False):
            plot_scaling(values, {metric: [r[metric] for r in results]}, ax, xlabel=name, ylabel=metric,
                         highlight=values[index])  # fmt: skip
            if metric in references:
                level, label = references[metric]
                ax.axhline(level, color="grey", ls="--", lw=1)
                ax.annotate(label, (0.02, level), xycoords=("axes fraction", "data"), xytext=(0, 3),
                            textcoords="offset points", fontsize=7, color="grey")  # fmt: skip
        text = _pre([f"{name} = {values[index]:g}", *(f"{m}: {results[index][m]:.4g}" for m in metrics)])
        settings = ", ".join(f"{v:g}" for v in values)
        lines = [f"Line charts against {name} {settings} (dashed red line: {values[index]:g})."]
        for metric in metrics:
            reference = references.get(metric)
            at = f"; a dashed grey line at {reference[0]:.3g}, {reference[1]}" if reference else ""
            lines.append(f"{metric}: {', '.join(f'{r[metric]:.3g}' for r in results)}{at}.")
        alt = " ".join(lines)
        return widgets.VBox([_image(fig, alt), widgets.HTML(text)])

    slider = widgets.SelectionSlider(options=values, value=values[0], description=name, continuous_update=False)
    stack = _linked_stack(slider, [page(i) for i in range(len(values))])

    def callback(value: float) -> dict:
        index = _index(values, value, name)
        _select(slider, stack, index)
        return dict(results[index])

    callback(values[0] if value is None else value)
    return Control([slider, stack], callback, selector=slider, stack=stack)


# Lesson 4: from reviews to pairs


def genre_mix_control(artists: pd.DataFrame, *, n_pairs: int = 20_000, seed: int = 0) -> Control:
    """A slider for the share of genre pairs, showing what the pairs then have in common.

    The slider offers the shares 0, 0.05, ..., 1. ``callback(genre_share)`` draws
    ``n_pairs`` pairs with :func:`~bands2vec_lib.pairs.context_pairs` and returns the
    share of pairs whose two artists share a genre (``same_genre``), share a score bucket
    (``same_bucket``), and the mean difference of their mean scores (``score_gap``).
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
    shares = [round(0.05 * i, 2) for i in range(21)]

    def render(genre_share: float) -> tuple[dict, widgets.Widget]:
        pairs = context_pairs(groups, n_pairs, genre_share=genre_share, seed=seed)
        t, c = pairs[:, 0], pairs[:, 1]
        result = {
            "genre_share": float(genre_share),
            "same_genre": float((genres[t] & genres[c]).any(axis=1).mean()),
            "same_bucket": float((buckets[t] == buckets[c]).mean()),
            "score_gap": float(np.abs(means[t] - means[c]).mean()),
        }
        bars = [
            widgets.FloatProgress(value=result["same_genre"], min=0, max=1, description="same genre",
                                  bar_style="info"),
            widgets.FloatProgress(value=result["same_bucket"], min=0, max=1, description="same bucket",
                                  bar_style="warning"),
        ]  # fmt: skip
        text = (
            f"{genre_share:.0%} genre pairs: {result['same_genre']:.1%} of pairs share a genre, "
            f"{result['same_bucket']:.1%} a score bucket; mean score gap {result['score_gap']:.2f}"
        )
        return result, widgets.VBox([*bars, widgets.HTML(text)])

    rendered = [render(g) for g in shares]
    slider = widgets.SelectionSlider(options=[(f"{g:.2f}", g) for g in shares], value=GENRE_SHARE,
                                     description="genre share", continuous_update=False)  # fmt: skip
    stack = _linked_stack(slider, [page for _, page in rendered])

    def callback(genre_share: float) -> dict:
        index = _index(shares, genre_share, "genre_share")
        _select(slider, stack, index)
        return dict(rendered[index][0])

    callback(GENRE_SHARE)
    return Control([slider, stack], callback, selector=slider, stack=stack)


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
    top = float(max(losses.max(), running.max()))

    def render(where: int) -> tuple[dict, widgets.Widget]:
        step = int(steps[where])
        result = {"step": step, "window_mean": float(losses[where]), "running_mean": float(running[where])}
        bars = [
            widgets.FloatProgress(value=result["window_mean"], min=0, max=top, description="window",
                                  bar_style="info"),
            widgets.FloatProgress(value=result["running_mean"], min=0, max=top, description="running",
                                  bar_style="warning"),
        ]  # fmt: skip
        text = (
            f"step {step}: mean of the last {lengths[where]} steps {result['window_mean']:.3f}, "
            f"running mean since step 0 {result['running_mean']:.3f}"
        )
        return result, widgets.VBox([*bars, widgets.HTML(text)])

    rendered = [render(i) for i in range(len(steps))]
    slider = widgets.SelectionSlider(options=[int(s) for s in steps], value=int(steps[-1]), description="step",
                                     continuous_update=False)  # fmt: skip
    stack = _linked_stack(slider, [page for _, page in rendered])

    def callback(step: int) -> dict:
        where = np.searchsorted(steps, step)
        if where == len(steps) or steps[where] != step:
            raise ValueError(f"step {step} is not the end of a window; windows end at {steps.tolist()}")
        _select(slider, stack, int(where))
        return dict(rendered[where][0])

    return Control([slider, stack], callback, selector=slider, stack=stack)


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

    def render(perplexity: float) -> tuple[dict, widgets.Widget]:
        result = {
            "perplexity": perplexity,
            "kept": neighbours_kept(maps[perplexity], vectors, k),
            "same_genre": map_genre_precision_at_k(maps[perplexity], artists, k),
        }
        fig = Figure(figsize=(6.4, 4.4), layout="constrained")
        plot_map(maps[perplexity], labels, fig.subplots(), title=f"perplexity {perplexity:g}", size=6)
        text = _pre([
            f"perplexity {perplexity:g}: {result['kept']:.0%} of each artist's {k} nearest neighbours "
            f"in {vectors.shape[1]}-d are among its {k} nearest on the map; "
            f"{result['same_genre']:.0%} of its {k} nearest on the map share a genre with it"
        ])  # fmt: skip
        alt = (
            f"t-SNE map at perplexity {perplexity:g} of {len(artists):,} artists, a dot each, coloured by genre: "
            f"on average {result['kept']:.0%} of an artist's {k} nearest neighbours in {vectors.shape[1]}-d are "
            f"among its {k} nearest on the map, and {result['same_genre']:.0%} of its {k} nearest on the map "
            "share a genre with it."
        )
        return result, widgets.VBox([_image(fig, alt), widgets.HTML(text)])

    rendered = [render(p) for p in perplexities]
    slider = widgets.SelectionSlider(options=[(f"{p:g}", p) for p in perplexities], value=perplexities[0],
                                     description="perplexity", continuous_update=False)  # fmt: skip
    stack = _linked_stack(slider, [page for _, page in rendered])

    def callback(perplexity: float) -> dict:
        if perplexity not in maps:
            raise ValueError(f"no map at perplexity {perplexity}: the maps are at {perplexities}")
        index = perplexities.index(perplexity)
        _select(slider, stack, index)
        return dict(rendered[index][0])

    return Control([slider, stack], callback, selector=slider, stack=stack)


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
    examples: Sequence[tuple[str, str, str | None]] | None = None,
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
    examples
        The queries ``(a, b, c)`` worked out in advance, with ``k`` answers, which work in
        the book without a kernel (default: the first query alone).
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
    quiet = _Quiet()

    def measure(a: str, b: str, c: str | None, k: int) -> dict:
        answers = analogy(emb, a, b, c, k=int(k))
        return {
            "query": f"{a} - {b}" + ("" if c is None else f" + {c}"),
            "artists": answers["artist"].tolist(),
            "similarity": answers["similarity"].tolist(),
            "genres": [sorted(artists.loc[n, "genres"]) if n in artists.index else [] for n in answers["artist"]],
        }

    def page(result: dict) -> widgets.Widget:
        rows = "".join(
            f"<tr><td>{i}</td><td>{html.escape(n)}</td><td>{s:.3f}</td><td>{html.escape(', '.join(g) or '-')}</td></tr>"
            for i, (n, s, g) in enumerate(zip(result["artists"], result["similarity"], result["genres"],
                                              strict=True), start=1)
        )  # fmt: skip
        return widgets.HTML(
            f"<p><b>{html.escape(result['query'])}</b></p><table><tr><th>#</th><th>artist</th><th>cosine</th>"
            f"<th>genres</th></tr>{rows}</table>"
        )

    def resolved(a: str, b: str, c: str | None) -> tuple[str, str, str | None]:
        c = None if c in (None, NO_ARTIST) else emb.vocab.resolve(c)
        return emb.vocab.resolve(a), emb.vocab.resolve(b), c

    def label(a: str, b: str, c: str | None, k: int) -> str:
        return f"{a} - {b}" + ("" if c is None else f" + {c}") + f" (k = {k})"

    examples = [resolved(*q) for q in (examples if examples is not None else [(a, b, c)])]
    k0 = min(int(k), max_k)
    shown = _Examples([label(*q, k0) for q in examples], [page(measure(*q, k0)) for q in examples])

    def callback(a: str, b: str, c: str | None = None, k: int = 10) -> dict:
        a, b, c = resolved(a, b, c)
        result = measure(a, b, c, k)
        shown.show(label(a, b, c, int(k)), lambda: page(result))
        set_controls((a, b, c, k))
        return result

    def set_controls(query: tuple) -> None:
        a, b, c, k = query
        with quiet:
            for menu, name in zip(menus, (a, b, c or NO_ARTIST), strict=True):
                if name in menu.options:
                    menu.value = name
            slider.value = min(int(k), slider.max)

    def on_change(change: dict) -> None:
        if not quiet.on:
            callback(menus[0].value, menus[1].value, menus[2].value, slider.value)

    for control in (*menus, slider):
        control.observe(on_change, names="value")
    shown.follow([(*q, k0) for q in examples], set_controls)
    callback(a, b, c, k)
    return Control([shown.menu, widgets.HBox(menus), slider, shown.stack], callback, selector=shown.menu,
                   stack=shown.stack)  # fmt: skip


def design_neighbours_control(
    designs: Mapping[str, Embeddings],
    artists: pd.DataFrame,
    names: Sequence[str],
    *,
    design: str | None = None,
    artist: str,
    k: int = 10,
    examples: Sequence[str] | None = None,
) -> Control:
    """A menu of designs (embeddings trained on different pairs) and of artists: the
    artist's ``k`` nearest neighbours under the chosen design, with genres and mean scores.

    ``callback(design, artist)`` returns ``design``, ``artist``, its ``genres`` and
    ``mean_score``, and for the ``k`` neighbours best first: ``artists``, ``genres``,
    ``mean_scores``, ``share_genre`` (the share that shares a genre with the artist) and
    ``score_gap`` (the distance between their mean score and the artist's). Every design
    with each of the ``examples`` artists (default: ``artist``) is worked out in advance
    and works in the book without a kernel.
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
    quiet = _Quiet()

    def measure(design: str, artist: str) -> dict:
        emb = designs[design]
        found = nearest(emb, artist, k=k)["artist"].tolist()
        own_genres, own_score = artists.loc[artist, "genres"], float(artists.loc[artist, "mean_score"])
        scores = [float(artists.loc[n, "mean_score"]) for n in found]
        return {
            "design": design, "artist": artist, "genres": sorted(own_genres), "mean_score": own_score,
            "artists": found, "neighbour_genres": [sorted(artists.loc[n, "genres"]) for n in found],
            "mean_scores": scores,
            "share_genre": float(np.mean([bool(artists.loc[n, "genres"] & own_genres) for n in found])),
            "score_gap": abs(float(np.mean(scores)) - own_score),
        }  # fmt: skip

    def page(result: dict) -> widgets.Widget:
        rows = "".join(
            f"<tr><td>{i}</td><td>{html.escape(n)}</td><td>{html.escape(', '.join(g) or '-')}</td><td>{s:.2f}</td></tr>"
            for i, (n, g, s) in enumerate(zip(result["artists"], result["neighbour_genres"], result["mean_scores"],
                                              strict=True), start=1)
        )  # fmt: skip
        return widgets.HTML(
            f"<p><b>{html.escape(result['artist'])}</b> ({html.escape(', '.join(result['genres']) or '-')}; "
            f"{result['mean_score']:.2f}) with {html.escape(result['design'])}: {result['share_genre']:.0%} of its "
            f"{k} nearest share a genre; their mean score is {np.mean(result['mean_scores']):.2f}</p><table><tr>"
            f"<th>#</th><th>artist</th><th>genres</th><th>mean score</th></tr>{rows}</table>"
        )

    def label(design: str, artist: str) -> str:
        return f"{artist}, {design}"

    chosen = [first.vocab.resolve(n) for n in (examples if examples is not None else [artist])]
    pairs = [(d, n) for n in chosen for d in designs]
    shown = _Examples([label(d, n) for d, n in pairs], [page(measure(d, n)) for d, n in pairs])

    def callback(design: str, artist: str) -> dict:
        if design not in designs:
            raise ValueError(f"unknown design {design!r}: choose one of {', '.join(map(repr, designs))}")
        artist = designs[design].vocab.resolve(artist)
        result = measure(design, artist)
        shown.show(label(design, artist), lambda: page(result))
        set_menus((design, artist))
        return result

    def set_menus(choice: tuple[str, str]) -> None:
        design, artist = choice
        with quiet:
            design_menu.value = design
            if artist in options:
                artist_menu.value = artist

    def on_change(change: dict) -> None:
        if not quiet.on:
            callback(design_menu.value, artist_menu.value)

    for menu in (design_menu, artist_menu):
        menu.observe(on_change, names="value")
    shown.follow(pairs, set_menus)
    callback(design if design is not None else design_menu.options[0], artist)
    return Control([shown.menu, widgets.HBox([design_menu, artist_menu]), shown.stack], callback,
                   selector=shown.menu, stack=shown.stack)  # fmt: skip
