"""Concept diagrams of the lessons, written as SVG text by a few small helpers.

Each function returns a :class:`Diagram`: a notebook cell that ends with the call shows
it, ``.svg`` is the SVG text and ``.alt`` what a reader who cannot see it is told (also
the SVG's ``<title>``). The pictures follow the page: text and lines are drawn in
``currentColor`` and the fills are translucent, so one drawing reads on a light and on a
dark theme. Each is at most 560 px wide and shrinks with the page (``width="100%"``),
with text of at least 13 px, so it stays readable at phone width.

Geometry is plain: a :class:`Box` or a :class:`Dot` knows where a line from its centre
leaves its edge, and every arrow is drawn to such an edge point, its tip written first in
its head's ``points`` and the shape it points to named in ``data-to`` (the shapes carry
``data-box``), so the tests can check that arrows end where they should.

>>> d = one_hot_lookup()
>>> d.svg.startswith("<svg")
True
"""

from __future__ import annotations

import hashlib
import html
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

FONT = 14  # px, the body text of every diagram
SMALL = 13  # px, the smallest text anywhere
TITLE = 15  # px, a diagram's heading
CHAR = 0.6  # a glyph's estimated width, in font sizes: text is sized as 0.6 * size * characters
LINE = 1.3  # line height, in font sizes
MARGIN = 16
SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace"

# Translucent fills that read on white and on near-black alike; lines and text are currentColor.
BLUE = "rgba(31,119,180,0.2)"
ORANGE = "rgba(255,127,14,0.3)"
GREEN = "rgba(44,160,44,0.25)"
RED = "rgba(214,39,40,0.2)"
GREY = "rgba(127,127,127,0.15)"

# Outside a page (the SVG opened on its own or shown as an <img>), currentColor has no page
# to follow: a near-black or, in a dark colour scheme, a light grey. `svg:root` matches only
# then; inline in a page, the root is <html> and the page's text colour is used.
_STANDALONE = "svg:root{color:#1a1a1a}@media (prefers-color-scheme:dark){svg:root{color:#ddd}}"

ARTISTS = ("mary castillo", "canyon mirror", "guided by voices", "coil", "elder ones", "black lips")
NOISE = ("mary castillo", "guided by voices", "crookers", "the blue serpents")
REVIEWS = (
    ("coil", ("experimental", "rock", "electronic"), 7.9, "tender echo club tapes"),
    ("elder ones", ("experimental",), 7.8, "felix lindqvist music"),
    ("kofi rinaldi", ("experimental",), 8.3, "felix lindqvist music"),
    ("kofi rinaldi", ("experimental",), 8.6, "felix lindqvist music"),
)

Point = tuple[float, float]


def text_width(text: str, size: float = FONT) -> float:
    """The estimated width of ``text`` in px: 0.6 font sizes a character (generous for sans-serif)."""
    return CHAR * size * len(text)


def _num(x: float) -> str:
    """A coordinate as short, deterministic text: at most two decimals, no ``-0``."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _minus(text: str) -> str:
    """``text`` with hyphen-minus signs of numbers written as the typographic minus."""
    return text.replace("-", "\u2212")


# Shapes


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: left ``x``, top ``y``, width ``w``, height ``h`` (px)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def edge_towards(self, point: Point) -> Point:
        """Where the line from the centre towards ``point`` crosses the edge."""
        dx, dy = point[0] - self.cx, point[1] - self.cy
        if dx == 0 and dy == 0:
            raise ValueError("a point at the centre gives no direction")
        scale = min(self.w / 2 / abs(dx) if dx else math.inf, self.h / 2 / abs(dy) if dy else math.inf)
        return self.cx + dx * scale, self.cy + dy * scale

    def side(self, name: str, at: float = 0.5) -> Point:
        """The point a fraction ``at`` along side ``name`` (top, bottom: from the left; left, right: from the top)."""
        if name in ("top", "bottom"):
            return self.x + at * self.w, self.y if name == "top" else self.bottom
        if name in ("left", "right"):
            return self.x if name == "left" else self.right, self.y + at * self.h
        raise ValueError(f"side must be top, bottom, left or right, not {name!r}")

    def on_edge(self, point: Point, tol: float = 0.5) -> bool:
        """Whether ``point`` lies on the edge, within ``tol`` px."""
        px, py = point
        inside_x = self.x - tol <= px <= self.right + tol
        inside_y = self.y - tol <= py <= self.bottom + tol
        on_vertical = min(abs(px - self.x), abs(px - self.right)) <= tol and inside_y
        on_horizontal = min(abs(py - self.y), abs(py - self.bottom)) <= tol and inside_x
        return on_vertical or on_horizontal


@dataclass(frozen=True)
class Dot:
    """A circle: centre ``(cx, cy)`` and radius ``r`` (px)."""

    cx: float
    cy: float
    r: float

    def edge_towards(self, point: Point) -> Point:
        """Where the line from the centre towards ``point`` crosses the circle."""
        dx, dy = point[0] - self.cx, point[1] - self.cy
        length = math.hypot(dx, dy)
        if length == 0:
            raise ValueError("a point at the centre gives no direction")
        return self.cx + dx / length * self.r, self.cy + dy / length * self.r

    def on_edge(self, point: Point, tol: float = 0.5) -> bool:
        """Whether ``point`` lies on the circle, within ``tol`` px."""
        return abs(math.hypot(point[0] - self.cx, point[1] - self.cy) - self.r) <= tol


Shape = Box | Dot


def _centre(shape: Shape) -> Point:
    return shape.cx, shape.cy


def link_points(start: Shape, end: Shape) -> tuple[Point, Point]:
    """The straight line between two shapes, from edge to edge, along the line of their centres."""
    return start.edge_towards(_centre(end)), end.edge_towards(_centre(start))


# The diagram and its canvas


@dataclass(frozen=True)
class Diagram:
    """An SVG picture with its alt text; a notebook shows it inline.

    Attributes
    ----------
    svg
        The SVG text; its ``<title>`` is ``alt``.
    alt
        What the picture says, for a reader who cannot see it.
    width, height
        The natural size in px (the ``viewBox``); it shrinks to fit narrower pages.
    """

    svg: str
    alt: str
    width: float
    height: float

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_html_(self) -> str:
        # Inline SVG, so currentColor is the page's text colour (an <img> would not see it).
        return self.svg

    def __str__(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        # text/plain: what a reader of the PDF (which cannot show SVG) and a terminal get.
        return f"[Diagram] {self.alt}"


class _Canvas:
    """Collects SVG elements; :meth:`finish` wraps them in the root ``<svg>``."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, element: str) -> None:
        self.parts.append(element)

    def rect(
        self, box: Box, *, fill: str = "none", name: str | None = None, dashed: bool = False, stroke: float = 1.5
    ) -> Box:
        extra = f' data-box="{html.escape(name)}"' if name else ""
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        self.add(
            f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.w)}" height="{_num(box.h)}" rx="4"'
            f' fill="{fill}" stroke="currentColor" stroke-width="{_num(stroke)}"{dash}{extra}/>'
        )
        return box

    def dot(self, dot: Dot, *, fill: str = "currentColor", name: str | None = None) -> Dot:
        extra = f' data-box="{html.escape(name)}"' if name else ""
        self.add(
            f'<circle cx="{_num(dot.cx)}" cy="{_num(dot.cy)}" r="{_num(dot.r)}" fill="{fill}"'
            f' stroke="currentColor" stroke-width="1.5"{extra}/>'
        )
        return dot

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = FONT,
        anchor: str = "middle",
        bold: bool = False,
        mono: bool = False,
        italic: bool = False,
    ) -> None:
        """One line of text, ``y`` its vertical middle (the baseline sits 0.35 font sizes below)."""
        attributes = [f'font-size="{_num(size)}"', f'text-anchor="{anchor}"']
        if bold:
            attributes.append('font-weight="bold"')
        if mono:
            attributes.append(f'font-family="{MONO}"')
        if italic:
            attributes.append('font-style="italic"')
        self.add(
            f'<text x="{_num(x)}" y="{_num(y + 0.35 * size)}" fill="currentColor" {" ".join(attributes)}>'
            f"{html.escape(text)}</text>"
        )

    def lines(self, x: float, y: float, lines: Sequence[str], **style) -> None:
        """Several lines of text, centred as a block on ``y``."""
        size = style.get("size", FONT)
        top = y - (len(lines) - 1) * LINE * size / 2
        for i, line in enumerate(lines):
            self.text(x, top + i * LINE * size, line, **style)

    def line(self, a: Point, b: Point, *, dashed: bool = False, width: float = 1.5) -> None:
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        self.add(
            f'<line x1="{_num(a[0])}" y1="{_num(a[1])}" x2="{_num(b[0])}" y2="{_num(b[1])}"'
            f' stroke="currentColor" stroke-width="{_num(width)}"{dash}/>'
        )

    def path(self, points: Iterable[Point], *, dashed: bool = False, width: float = 1.5, fill: str = "none") -> None:
        d = "M" + " L".join(f"{_num(x)} {_num(y)}" for x, y in points)
        if fill != "none":
            d += " Z"
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        stroke = ' stroke="currentColor"' if width else ' stroke="none"'
        self.add(f'<path d="{d}" fill="{fill}"{stroke} stroke-width="{_num(width)}"{dash}/>')

    def arrow(self, points: Sequence[Point], to: str, *, dashed: bool = False, head: float = 9) -> None:
        """A line through ``points`` whose head's tip is the last point, pointing at the shape named ``to``."""
        (x0, y0), (x1, y1) = points[-2], points[-1]
        length = math.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        base = (x1 - ux * head, y1 - uy * head)
        half = head / 2
        corners = [(x1, y1), (base[0] - uy * half, base[1] + ux * half), (base[0] + uy * half, base[1] - ux * half)]
        d = "M" + " L".join(f"{_num(x)} {_num(y)}" for x, y in [*points[:-1], base])
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        head_points = " ".join(f"{_num(x)},{_num(y)}" for x, y in corners)
        self.add(
            f'<g class="arrow" data-to="{html.escape(to)}"><path d="{d}" fill="none" stroke="currentColor"'
            f' stroke-width="1.5"{dash}/><polygon points="{head_points}" fill="currentColor"/></g>'
        )

    def link(self, start: Shape, end: Shape, to: str, *, dashed: bool = False) -> None:
        """A straight arrow from ``start``'s edge to ``end``'s (named ``to``)."""
        self.arrow(link_points(start, end), to, dashed=dashed)

    def finish(self, kind: str, alt: str, width: float, height: float) -> Diagram:
        body = "\n".join(self.parts)
        key = hashlib.sha1(f"{alt}\n{body}".encode()).hexdigest()[:8]
        title_id = f"b2v-{kind}-{key}"
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" width="100%"'
            f' style="max-width:{_num(width)}px;height:auto" role="img" aria-labelledby="{title_id}"'
            f' font-family="{SANS}" font-size="{FONT}">\n'
            f'<title id="{title_id}">{html.escape(alt)}</title>\n<style>{_STANDALONE}</style>\n{body}\n</svg>'
        )
        return Diagram(svg=svg, alt=alt, width=width, height=height)


# Composite helpers: grids, tables, labelled boxes


def _grid(
    canvas: _Canvas,
    box: Box,
    shape: tuple[int, int],
    *,
    name: str,
    labels: Mapping[tuple[int, int], str] | None = None,
    fills: Mapping[tuple[int, int], str] | None = None,
    size: float = FONT,
) -> Box:
    """A ``rows x cols`` grid of cells filling ``box``, with optional text and fills per cell."""
    rows, cols = shape
    cw, ch = box.w / cols, box.h / rows
    for (r, c), fill in (fills or {}).items():
        canvas.add(
            f'<rect x="{_num(box.x + c * cw)}" y="{_num(box.y + r * ch)}" width="{_num(cw)}" height="{_num(ch)}"'
            f' fill="{fill}"/>'
        )
    for r in range(1, rows):
        canvas.line((box.x, box.y + r * ch), (box.right, box.y + r * ch), width=0.75)
    for c in range(1, cols):
        canvas.line((box.x + c * cw, box.y), (box.x + c * cw, box.bottom), width=0.75)
    for (r, c), label in (labels or {}).items():
        canvas.text(box.x + (c + 0.5) * cw, box.y + (r + 0.5) * ch, label, size=size)
    return canvas.rect(box, name=name)


def _wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` broken into lines that fit ``width`` px at font ``size``."""
    return list(_wrapped(text, max(1, int(width / (CHAR * size) + 1e-9))))


@lru_cache(maxsize=4096)
def _wrapped(text: str, chars: int) -> tuple[str, ...]:
    return tuple(textwrap.wrap(text, chars, break_on_hyphens=False)) or ("",)


def _label_box(
    canvas: _Canvas,
    x: float,
    y: float,
    lines: Sequence[str],
    *,
    name: str,
    fill: str = "none",
    width: float | None = None,
    pad: float = 10,
    size: float = FONT,
    dashed: bool = False,
    bold_first: bool = False,
    mono_first: bool = False,
) -> Box:
    """A box around ``lines`` of text, sized from the text, its top-left at ``(x, y)``."""
    w = width or max(text_width(line, size) for line in lines) + 2 * pad
    h = len(lines) * LINE * size + pad
    box = canvas.rect(Box(x, y, w, h), fill=fill, name=name, dashed=dashed)
    top = box.y + pad / 2 + LINE * size / 2
    for i, line in enumerate(lines):
        first = i == 0
        canvas.text(
            box.cx, top + i * LINE * size, line, size=size, bold=first and bold_first, mono=first and mono_first
        )
    return box


def _table_cost(table: Sequence[Sequence[str]], chars: Sequence[int]) -> int:
    """How tall a table is when column ``c`` wraps at ``chars[c]`` characters: its lines of text
    first, then (to tell apart widths that give as many) the lines of all its cells."""
    cells = [[len(_wrapped(text, n)) for text, n in zip(row, chars, strict=True)] for row in table]
    return 1000 * sum(max(row) for row in cells) + sum(map(sum, cells))


def _column_chars(table: Sequence[Sequence[str]], budget: int) -> list[int]:
    """Characters per column, at most ``budget`` in all, for a short table.

    Every column starts as narrow as its longest word; then, while characters are left, the
    column that saves the most per character added is widened.
    """
    columns = range(len(table[0]))
    full = [max(len(row[c]) for row in table) for c in columns]
    if sum(full) <= budget:
        return full
    chars = [max(len(w) for row in table for w in row[c].split() or [""]) for c in columns]
    if sum(chars) > budget:
        raise ValueError(f"a table of {len(chars)} columns cannot fit {budget} characters a row")
    while True:
        cost, best = _table_cost(table, chars), None
        for c in columns:
            for n in range(chars[c] + 1, min(full[c], chars[c] + budget - sum(chars)) + 1):
                saved = cost - _table_cost(table, [n if i == c else m for i, m in enumerate(chars)])
                if saved > 0 and (best is None or saved / (n - chars[c]) > best[0]):
                    best = (saved / (n - chars[c]), c, n)
        if best is None:
            return chars
        chars[best[1]] = best[2]


def _table(
    canvas: _Canvas,
    x: float,
    y: float,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: float,
    name: str,
    size: float = SMALL,
) -> Box:
    """A table of text, its top-left at ``(x, y)``, ``width`` px wide, with a shaded header row; cells wrap."""
    pad = 8
    table = [list(headers), *(list(row) for row in rows)]
    budget = int((width - 2 * pad * len(headers)) / (CHAR * size))
    chars = _column_chars(table, budget)
    extra = (width - sum(chars) * CHAR * size) / len(chars)  # the padding and what is left, shared out
    widths = [n * CHAR * size + extra for n in chars]
    lefts = np.concatenate([[x], x + np.cumsum(widths)[:-1]])
    top = y
    for i, row in enumerate([headers, *rows]):
        cells = [_wrap(text, w - 2 * pad + 0.01, size) for text, w in zip(row, widths, strict=True)]
        height = max(len(c) for c in cells) * LINE * size + pad
        if i == 0:
            canvas.add(
                f'<rect x="{_num(x)}" y="{_num(top)}" width="{_num(width)}" height="{_num(height)}" fill="{GREY}"/>'
            )
        else:
            canvas.line((x, top), (x + width, top), width=0.75)
        for left, lines in zip(lefts, cells, strict=True):
            canvas.lines(left + pad, top + height / 2, lines, size=size, anchor="start", bold=i == 0)
        top += height
    return canvas.rect(Box(x, y, width, top - y), name=name)


def _heading(canvas: _Canvas, width: float, text: str, y: float = 22) -> None:
    canvas.text(width / 2, y, text, size=TITLE, bold=True)


def _check_names(names: Sequence[str], what: str) -> list[str]:
    names = [str(n) for n in names]
    if not names:
        raise ValueError(f"{what} needs at least one name")
    return names


# 1. One-hot vectors


def _weight_texts(n: int, dims: int, weights: np.ndarray | None, seed: int) -> list[list[str]]:
    """The weight matrix's numbers as text, two decimals; random in [-1, 1] when not given."""
    if weights is None:
        weights = np.round(np.random.default_rng(seed).uniform(-1, 1, (n, dims)), 2)
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2 or weights.shape[0] != n:
        raise ValueError(f"{n} artists need a weight matrix of {n} rows, not {weights.shape}")
    return [[_minus(f"{v:.2f}") for v in row] for row in weights]


def one_hot_lookup(
    artists: Sequence[str] = ARTISTS,
    index: int = 3,
    dims: int = 4,
    weights: np.ndarray | None = None,
    seed: int = 0,
) -> Diagram:
    """A one-hot row vector times a weight matrix picks out one row: an embedding layer is a lookup table.

    Parameters
    ----------
    artists
        The vocabulary, in id order (6 by default).
    index
        The id of the artist whose one-hot vector is drawn.
    dims
        Columns of the weight matrix (the embedding size), when ``weights`` is not given.
    weights
        A ``(len(artists), dims)`` matrix; random numbers in [-1, 1] from ``seed`` by default.
    """
    artists = _check_names(artists, "one_hot_lookup")
    n = len(artists)
    if not 0 <= index < n:
        raise ValueError(f"index must be an id from 0 to {n - 1}, not {index}")
    values = _weight_texts(n, dims, weights, seed)
    dims, name = len(values[0]), artists[index]

    cell_w = max(text_width(v) for row in values for v in row) + 12
    row_h = 30.0
    name_w = max(text_width(a) for a in artists)
    id_x = MARGIN + name_w + 24  # the ids' column, between the names and x
    top = 90.0
    x_box = Box(id_x + 30, top, 36, n * row_h)
    w_box = Box(x_box.right + 28, top, dims * cell_w, n * row_h)
    result = Box(w_box.x, w_box.bottom + 34, w_box.w, row_h)
    footnote = f"row {index} of W: {name}'s vector"
    width = max(w_box.right + 36, result.cx + text_width(footnote) / 2) + MARGIN
    canvas = _Canvas()
    _heading(canvas, width, "An embedding layer is a lookup table")
    canvas.text(x_box.cx, top - 36, "one-hot")
    canvas.text(w_box.cx, top - 36, "weights")
    for x, label, anchor in ((MARGIN + name_w, "artist", "end"), (id_x, "id", "middle")):
        canvas.text(x, top - 15, label, anchor=anchor)
    canvas.text(x_box.cx, top - 15, "x", bold=True)
    canvas.text(w_box.cx, top - 15, f"W ({n} × {dims})", bold=True)
    for i, artist in enumerate(artists):
        y = top + (i + 0.5) * row_h
        canvas.text(MARGIN + name_w, y, artist, anchor="end", bold=i == index)
        canvas.text(id_x, y, str(i))
    canvas.text((x_box.right + w_box.x) / 2, top + n * row_h / 2, "·", size=22, bold=True)
    ones = {(i, 0): "1" if i == index else "0" for i in range(n)}
    _grid(canvas, x_box, (n, 1), name="x", labels=ones, fills={(index, 0): ORANGE})
    labels = {(i, j): v for i, row in enumerate(values) for j, v in enumerate(row)}
    _grid(canvas, w_box, (n, dims), name="W", labels=labels, fills={(index, j): ORANGE for j in range(dims)})
    row = canvas.rect(Box(w_box.x, top + index * row_h, w_box.w, row_h), name="row", stroke=3)
    canvas.rect(Box(x_box.x, row.y, x_box.w, row_h), stroke=3)
    _grid(canvas, result, (1, dims), name="result", labels={(0, j): values[index][j] for j in range(dims)},
          fills={(0, j): ORANGE for j in range(dims)})  # fmt: skip
    turn = w_box.right + 22
    canvas.arrow([row.side("right"), (turn, row.cy), (turn, result.cy), result.side("right")], "result")
    canvas.text(result.x - 10, result.cy, "x · W =", anchor="end", bold=True)
    canvas.text(result.cx, result.bottom + 20, footnote)
    height = result.bottom + 40
    alt = (
        f"The one-hot vector x of {name} has a single 1, at id {index}, and 0 everywhere else. "
        f"Multiplying x by the {n} × {dims} weight matrix W gives exactly row {index} of W, "
        f"{', '.join(values[index])}, {name}'s vector: an embedding layer is a lookup table."
    )
    return canvas.finish("one-hot-lookup", alt, width, height)


# 2. The skip-gram model


def _probability_bars(canvas: _Canvas, box: Box, probs: np.ndarray, *, name: str, highlight: int) -> Box:
    """One bar per word, as tall as its probability (the largest fills the box)."""
    cw = box.w / len(probs)
    for i, p in enumerate(probs):
        h = (box.h - 6) * p / probs.max()
        fill = ORANGE if i == highlight else BLUE
        canvas.add(
            f'<rect x="{_num(box.x + i * cw + 3)}" y="{_num(box.bottom - h)}" width="{_num(cw - 6)}"'
            f' height="{_num(h)}" fill="{fill}" stroke="currentColor" stroke-width="0.75"/>'
        )
    return canvas.rect(box, name=name)


def skip_gram_network(vocab_shown: int = 8, dims_shown: int = 3, target: int = 2, embedding_dim: int = 64) -> Diagram:
    """The skip-gram network, top to bottom: one-hot input, lookup, hidden vector, output layer, softmax.

    Parameters
    ----------
    vocab_shown
        Cells drawn for a vector of the vocabulary's size ``V``.
    dims_shown
        Cells drawn for a vector of the embedding size ``d``.
    target
        The position of the 1 in the one-hot input (and of the row looked up).
    embedding_dim
        The real ``d``, named in the footnote (64 in the course).
    """
    if not 0 <= target < vocab_shown:
        raise ValueError(f"target must be from 0 to {vocab_shown - 1}, not {target}")
    V, d = vocab_shown, dims_shown
    cell = 22.0
    cx = MARGIN + V * cell / 2
    label_x = MARGIN + V * cell + 28
    hot = ORANGE  # the target's one, its row and its vector
    grids = [  # name, (rows, columns), cell height, what the cells hold, title, detail
        ("input", (1, V), cell, {"labels": {(0, target): "1"}, "fills": {(0, target): hot}},
         "one-hot input x", "1 × V: a 1 at the target"),
        ("table", (V, d), 11.0, {"fills": {(target, j): hot for j in range(d)}},
         "embedding table W", "V × d: x · W is a row lookup"),
        ("hidden", (1, d), cell, {"fills": {(0, j): hot for j in range(d)}},
         "hidden vector h", "1 × d: the target's vector"),
        ("output", (d, V), 13.0, {"fills": {(r, c): BLUE for r in range(d) for c in range(V)}},
         "output weights W′", "d × V: one column per word"),
        ("scores", (1, V), cell, {}, "scores h · W′", "1 × V: one score per word"),
    ]  # fmt: skip
    ends = [("softmax", "exponentiate, divide by the sum"), ("P(context word | target)", "1 × V: sums to 1")]
    texts = [line for *_, title, detail in grids for line in (title, detail)] + [t for pair in ends for t in pair]
    width = label_x + max(text_width(t) for t in texts) + MARGIN
    canvas = _Canvas()
    _heading(canvas, width, "The skip-gram network")
    y, boxes = 46.0, []
    for name, (rows, cols), cell_h, cells, title, detail in grids:
        box = _grid(canvas, Box(cx - cols * cell / 2, y, cols * cell, rows * cell_h), (rows, cols), name=name, **cells)
        boxes.append((box, name, title, detail))
        y = box.bottom + 30
    box = _label_box(canvas, cx - 55, y, ["softmax"], name="softmax", width=110, pad=30 - LINE * FONT)
    boxes.append((box, "softmax", *ends[0]))
    scores = np.random.default_rng(0).normal(0, 1, V)
    scores[(target + 1) % V] += 2  # one likely context word
    probs = np.exp(scores) / np.exp(scores).sum()
    box = Box(cx - V * cell / 2, box.bottom + 30, V * cell, 48)
    boxes.append((_probability_bars(canvas, box, probs, name="probabilities", highlight=(target + 1) % V),
                  "probabilities", *ends[1]))  # fmt: skip
    for box, _, title, detail in boxes:
        canvas.text(label_x, box.cy - LINE * FONT / 2, title, anchor="start", bold=True)
        canvas.text(label_x, box.cy + LINE * FONT / 2, detail, anchor="start")
    y = box.bottom + 30
    for (upper, *_), (lower, name, *_) in zip(boxes, boxes[1:], strict=False):
        canvas.arrow([upper.side("bottom"), lower.side("top")], name)
    canvas.text(width / 2, y + 2, f"V: artists in the vocabulary; d: vector size ({embedding_dim} here)", size=SMALL)
    alt = (
        "The skip-gram network, top to bottom: a one-hot input of length V picks one row of the V × d embedding "
        "table, the target's d-number hidden vector; the d × V output layer turns it into V scores, one per word, "
        "and a softmax turns the scores into the probability of each word being a context of the target."
    )
    return canvas.finish("skip-gram-network", alt, width, y + 20)


# 3. Training pairs from a sliding window


def _flow(widths: Sequence[float], max_width: float, gap: float) -> list[tuple[int, float]]:
    """Items of ``widths`` laid left to right, wrapping at ``max_width``: (row, left) of each."""
    places, row, x = [], 0, 0.0
    for w in widths:
        if x > 0 and x + w > max_width:
            row, x = row + 1, 0.0
        places.append((row, x))
        x += w + gap
    return places


def sliding_window(
    tokens: Sequence[str] = ("the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"),
    centre: int = 3,
    window: int = 2,
) -> Diagram:
    """A sentence as word boxes: the centre word, its window, and the (centre, context) pairs it makes.

    Parameters
    ----------
    tokens
        The sentence, one word per item.
    centre
        The position of the centre word.
    window
        How many words on each side are its contexts.
    """
    tokens = _check_names(tokens, "sliding_window")
    if not 0 <= centre < len(tokens):
        raise ValueError(f"centre must be a position from 0 to {len(tokens) - 1}, not {centre}")
    if int(window) != window or window < 1:
        raise ValueError(f"window must be a whole number of at least 1, not {window!r}")
    inside = [j for j in range(max(0, centre - window), min(len(tokens), centre + window + 1))]
    contexts = [j for j in inside if j != centre]
    content = 488.0
    word_w = [text_width(t) + 12 for t in tokens]
    places = _flow(word_w, content, 6)
    row_h = 94.0
    canvas = _Canvas()
    boxes = []
    for (row, left), w, j in zip(places, word_w, range(len(tokens)), strict=True):
        box = Box(MARGIN + left, 66 + row * row_h, w, 32)
        fill = ORANGE if j == centre else BLUE if j in contexts else "none"
        _label_box(canvas, box.x, box.y, [tokens[j]], name=f"word{j}", fill=fill, width=w, pad=32 - LINE * FONT)
        if j in inside:
            canvas.text(box.cx, box.y - 12, "centre" if j == centre else f"{j - centre:+d}".replace("-", "−"),
                        size=SMALL, bold=j == centre)  # fmt: skip
        boxes.append(box)
    rows = sorted({places[j][0] for j in inside})
    width = max(b.right for b in boxes) + MARGIN
    for r in rows:  # the window's bracket under its words, one piece a row
        span = [boxes[j] for j in inside if places[j][0] == r]
        y = span[0].bottom + 10
        canvas.path([(span[0].x, y - 5), (span[0].x, y), (span[-1].right, y), (span[-1].right, y - 5)])
        if r == rows[0]:  # centred under the bracket, but never past the picture's edges
            caption = f"window = {window}: {window} each side"
            half = text_width(caption, SMALL) / 2
            x = min(max((span[0].x + span[-1].right) / 2, MARGIN + half), width - MARGIN - half)
            canvas.text(x, y + 14, caption, size=SMALL)
    _heading(canvas, width, "Training pairs from a sliding window")
    y = boxes[-1].bottom + 52
    pairs = "pair" if len(contexts) == 1 else "pairs"
    canvas.text(MARGIN, y, f"{len(contexts)} {pairs} (centre, context):", anchor="start", bold=True)
    chips = [f"({tokens[centre]}, {tokens[j]})" for j in contexts]
    chip_w = max(text_width(c, SMALL) for c in chips) + 12  # a grid of equal chips
    per_row = max(1, int((width - 2 * MARGIN + 6) // (chip_w + 6)))
    for i, chip in enumerate(chips):
        x, top = MARGIN + (i % per_row) * (chip_w + 6), y + 18 + (i // per_row) * 38
        _label_box(canvas, x, top, [chip], name=f"pair{i}", width=chip_w, pad=30 - LINE * SMALL, size=SMALL)
    height = y + 18 + math.ceil(len(chips) / per_row) * 38 + 8
    sentence = " ".join(tokens)
    alt = (
        f"The sentence '{sentence}' as a row of words. The centre word '{tokens[centre]}' is highlighted, and a "
        f"window of {window} words on each side marks its contexts: {', '.join(tokens[j] for j in contexts)}. "
        f"They make {len(contexts)} training pairs: {', '.join(chips)}."
    )
    return canvas.finish("sliding-window", alt, width, height)


# 4. Negative sampling: true and noise pairs


def true_and_noise_pairs(
    target: str = "coil", context: str = "elder ones", noise: Sequence[str] = NOISE, k: int | None = None
) -> Diagram:
    """One true (target, context) pair labelled 1 beside ``k`` noise pairs labelled 0: a binary classification.

    Parameters
    ----------
    target, context
        The true pair, as found in the data.
    noise
        Artists drawn from the noise distribution, the first ``k`` of them used.
    k
        How many noise pairs to draw (all of ``noise`` by default); ``num_sampled`` in TensorFlow.
    """
    noise = _check_names(noise, "true_and_noise_pairs")
    k = len(noise) if k is None else k
    if not 1 <= k <= len(noise):
        raise ValueError(f"k must be from 1 to {len(noise)} (the noise names given), not {k}")
    noise = noise[:k]
    tw = max(text_width(target), text_width("target")) + 20
    cw = max(text_width(n) for n in [context, *noise, "context"]) + 20
    lw = text_width("0 · noise") + 20
    x_t, x_c = MARGIN + 12, MARGIN + 12 + tw + 10
    x_l = x_c + cw + 44
    width = x_l + lw + 12 + MARGIN
    canvas = _Canvas()
    _heading(canvas, width, "Negative sampling: real pair or noise?")
    for x, w, label in ((x_t, tw, "target"), (x_c, cw, "context"), (x_l, lw, "label")):
        canvas.text(x + w / 2, 52, label, size=SMALL)

    def pair(y: float, other: str, real: bool, i: int) -> None:
        _label_box(canvas, x_t, y, [target], name=f"t{i}", width=tw, pad=30 - LINE * FONT)
        c = _label_box(canvas, x_c, y, [other], name=f"c{i}", width=cw, pad=30 - LINE * FONT)
        lab = _label_box(canvas, x_l, y, ["1 · real" if real else "0 · noise"], name=f"label{i}",
                         fill=GREEN if real else RED, width=lw, pad=30 - LINE * FONT, bold_first=True)  # fmt: skip
        canvas.link(c, lab, f"label{i}")

    canvas.rect(Box(MARGIN, 66, width - 2 * MARGIN, 76), fill=GREY)
    canvas.text(width / 2, 82, "from the data: a pair that occurs", size=SMALL)
    pair(98, context, True, 0)
    top = 158.0
    canvas.rect(Box(MARGIN, top, width - 2 * MARGIN, 30 + k * 40), dashed=True)
    canvas.text(width / 2, top + 16, f"k = {k} noise pairs, drawn from the noise distribution", size=SMALL)
    for i, other in enumerate(noise, start=1):
        pair(top + 32 + (i - 1) * 40, other, False, i)
    y = top + 30 + k * 40 + 28
    canvas.lines(width / 2, y + 10, ["noise distribution: e.g. counts to the power 0.75;",
                                     "a logistic classifier learns to tell 1 from 0"], size=SMALL)  # fmt: skip
    alt = (
        f"Negative sampling as binary classification: the true pair ({target}, {context}), found in the data, "
        f"is labelled 1 (real); {k} noise pairs pair {target} with artists drawn at random from the noise "
        f"distribution ({', '.join(noise)}) and are labelled 0 (noise). A logistic classifier learns to tell "
        "the real pair from the noise."
    )
    return canvas.finish("true-and-noise-pairs", alt, width, y + 36)


# 5. From reviews to pairs


def _artist_contexts(reviews: Sequence[tuple[str, Sequence[str], float, str]]) -> dict[str, dict]:
    """Per artist, in order of first review: its genres, mean score, score bucket and labels."""
    artists: dict[str, dict] = {}
    for artist, genres, score, label in reviews:
        entry = artists.setdefault(artist, {"genres": [], "scores": [], "labels": []})
        entry["genres"] += [g for g in genres if g not in entry["genres"]]
        entry["scores"].append(float(score))
        entry["labels"] += [label] if label and label not in entry["labels"] else []
    for entry in artists.values():
        entry["mean"] = float(np.mean(entry["scores"]))
        entry["bucket"] = int(np.rint(entry["mean"]))  # as data.score_bucket rounds
    return artists


def _context_groups(artists: Mapping[str, Mapping]) -> list[tuple[str, list[str]]]:
    """Every context shared by two or more artists, with its members: genres, buckets, (genre, bucket), labels."""
    groups: dict[str, list[str]] = {}
    for artist, entry in artists.items():
        keys = [f"genre {g}" for g in entry["genres"]] + [f"bucket {entry['bucket']}"]
        keys += [f"({g}, {entry['bucket']})" for g in entry["genres"]] + [f"label {lab}" for lab in entry["labels"]]
        for key in keys:
            groups.setdefault(key, []).append(artist)
    return [(key, members) for key, members in groups.items() if len(members) > 1]


def _example_pairs(groups: Sequence[tuple[str, list[str]]], n: int) -> list[tuple[str, str, str]]:
    """Up to ``n`` (target, context, shared context) pairs, no two the same artists, each context kind once."""
    pairs, seen, kinds = [], set(), set()
    for key, members in groups:
        kind = key.split(" ")[0] if not key.startswith("(") else "joint"
        for i, a in enumerate(members):
            b = members[(i + len(pairs) + 1) % len(members)]
            if a != b and frozenset((a, b)) not in seen and kind not in kinds:
                pairs.append((a, b, key))
                seen.add(frozenset((a, b)))
                kinds.add(kind)
                break
    return pairs[:n]


def reviews_to_pairs(reviews: Sequence[tuple[str, Sequence[str], float, str]] = REVIEWS, pairs: int = 4) -> Diagram:
    """Reviews to artists and their contexts, to groups of artists sharing a context, to training pairs.

    Parameters
    ----------
    reviews
        Rows of (artist, genres, score, record label), one per review.
    pairs
        At most this many example pairs, each from a different kind of context.
    """
    if not reviews:
        raise ValueError("reviews_to_pairs needs at least one review")
    artists = _artist_contexts(reviews)
    groups = _context_groups(artists)
    examples = _example_pairs(groups, pairs)
    width, table_w = 520.0, 520.0 - 2 * MARGIN
    stages = [
        ("1. reviews: one row per review", ["artist", "genres", "score", "label"],
         [[a, ", ".join(g), f"{s:.1f}", lab] for a, g, s, lab in reviews]),
        ("2. artists and their contexts", ["artist", "genres", "bucket", "labels"],
         [[a, ", ".join(e["genres"]), f"{e['mean']:.2f} → {e['bucket']}", ", ".join(e["labels"])]
          for a, e in artists.items()]),
        ("3. artists sharing each context", ["context", "artists"], [[k, ", ".join(m)] for k, m in groups]),
        ("4. pairs: two artists sharing a context", ["target", "context", "they share"], [list(p) for p in examples]),
    ]  # fmt: skip
    steps = ["one row per artist; mean score rounded", "collect the artists of each context", "sample two members"]
    canvas = _Canvas()
    _heading(canvas, width, "From reviews to (target, context) pairs")
    y, boxes = 40.0, []
    for i, (title, headers, rows) in enumerate(stages):
        canvas.text(MARGIN, y + 10, title, anchor="start", bold=True)
        boxes.append(_table(canvas, MARGIN, y + 24, headers, rows, width=table_w, name=f"stage{i + 1}"))
        y = boxes[-1].bottom + (44 if i < len(steps) else 16)
    for upper, lower, (i, step) in zip(boxes, boxes[1:], enumerate(steps), strict=False):
        x = width - MARGIN - 40  # right of the stages' titles
        canvas.arrow([(x, upper.bottom), (x, lower.y)], f"stage{i + 2}")
        canvas.text(x - 14, upper.bottom + 20, step, anchor="end", size=SMALL, italic=True)
    pair_text = "; ".join(f"({a}, {b}) share {k}" for a, b, k in examples)
    alt = (
        f"From reviews to training pairs, in four steps. {len(reviews)} reviews, one row each with artist, genres, "
        f"score and label, become {len(artists)} artists with their contexts: genres, mean score rounded to a bucket, "
        f"and labels. The artists sharing each context are listed ({len(groups)} contexts shared by two or more), and "
        f"two artists sharing a context make a (target, context) pair: {pair_text}."
    )
    return canvas.finish("reviews-to-pairs", alt, width, y)


# 6. The training step in TensorFlow


def training_loop(num_sampled: int = 16, embedding_dim: int = 64) -> Diagram:
    """One training step as a loop, its parts named as in TensorFlow.

    A batch from ``tf.data`` is looked up with ``tf.nn.embedding_lookup``; ``tf.nn.nce_loss``
    scores it against ``num_sampled`` noise words, recorded by ``tf.GradientTape``; the tape's
    gradients go to ``optimizer.apply_gradients``, which updates the tables read by the next batch.
    """
    steps = [
        ("tf.data.Dataset", "a batch of (target, context) ids"),
        ("tf.nn.embedding_lookup", "the targets' rows of the table"),
        ("tf.nn.nce_loss", f"true context vs {num_sampled} noise words"),
        ("tape.gradient", "the loss's gradients"),
        ("optimizer.apply_gradients", "nudge the rows used"),
        ("tf.Variable tables", f"embeddings V × {embedding_dim},", f"nce_weights V × {embedding_dim},", "nce_biases V"),
    ]
    box_w = max(max(text_width(code), *(text_width(t, SMALL) for t in text)) for code, *text in steps) + 24
    left = MARGIN + 64
    width = left + box_w + 86 + MARGIN
    canvas = _Canvas()
    _heading(canvas, width, "One training step, in TensorFlow")
    y, boxes = 44.0, []
    for i, lines in enumerate(steps):
        if i == 1:
            y += 26  # room for the tape's label
        box = Box(left, y, box_w, len(lines) * LINE * FONT + 12)
        canvas.rect(box, name=f"step{i}", fill=BLUE if i == len(steps) - 1 else "none")
        top = box.y + 6 + LINE * FONT / 2
        canvas.text(box.cx, top, lines[0], mono=True, bold=True)
        for j, line in enumerate(lines[1:], start=1):
            canvas.text(box.cx, top + j * LINE * FONT, line, size=SMALL)
        boxes.append(box)
        y = box.bottom + (34 if i != 2 else 44)
    tape = Box(left - 12, boxes[1].y - 26, box_w + 24, boxes[2].bottom + 10 - boxes[1].y + 26)
    canvas.rect(tape, dashed=True, fill=GREY)
    canvas.parts.insert(0, canvas.parts.pop())  # under the boxes it holds
    canvas.text(tape.x + 8, tape.y + 13, "tf.GradientTape", anchor="start", size=SMALL, mono=True, bold=True)
    canvas.text(tape.right - 8, tape.y + 13, "records both", anchor="end", size=SMALL, italic=True)
    for i in range(len(boxes) - 1):
        canvas.arrow([boxes[i].side("bottom"), boxes[i + 1].side("top")], f"step{i + 1}")
    tables, lookup, loss = boxes[-1], boxes[1], boxes[2]
    bus = tables.right + 40
    for target, name in ((lookup, "step1"), (loss, "step2")):
        canvas.arrow([tables.side("right"), (bus, tables.cy), (bus, target.cy), target.side("right")], name)
    canvas.text(bus + 8, (loss.bottom + tables.y) / 2, "read", anchor="start", size=SMALL, italic=True)
    apply, data = boxes[4], boxes[0]
    loop = left - 36
    canvas.arrow([apply.side("left"), (loop, apply.cy), (loop, data.cy), data.side("left")], "step0", dashed=True)
    canvas.add(
        f'<text transform="translate({_num(loop - 8)} {_num((data.cy + apply.cy) / 2)}) rotate(-90)" '
        f'font-size="{SMALL}" text-anchor="middle" font-style="italic" fill="currentColor">next batch</text>'
    )
    canvas.text(tables.cx + 56, (apply.bottom + tables.y) / 2, "update", anchor="start", size=SMALL, italic=True)
    height = tables.bottom + 20
    alt = (
        "One training step as a loop. tf.data gives a batch of (target, context) ids; tf.nn.embedding_lookup "
        f"reads the targets' rows of the embedding table; tf.nn.nce_loss scores the true contexts against "
        f"{num_sampled} noise words; a tf.GradientTape records both and tape.gradient gives the gradients; "
        "optimizer.apply_gradients updates the tables (embeddings, nce_weights, nce_biases), which the next "
        "batch reads."
    )
    return canvas.finish("training-loop", alt, width, height)


# 7. t-SNE's two kernels


def tsne_kernels(sigma: float = 1.0, level: float = 0.1, max_distance: float = 4.0) -> Diagram:
    """The Gaussian kernel of the data space and the heavier-tailed Student-t kernel of the map, on one axis.

    Parameters
    ----------
    sigma
        The Gaussian's width, which t-SNE sets for each point from the perplexity.
    level
        A similarity the two curves both reach; the diagram marks where, to show that the map
        puts a pair farther apart for the same similarity.
    max_distance
        The right end of the distance axis.
    """
    if sigma <= 0 or not 0 < level < 1:
        raise ValueError(f"sigma must be positive and level between 0 and 1, not {sigma} and {level}")
    d_gauss, d_t = sigma * math.sqrt(2 * math.log(1 / level)), math.sqrt(1 / level - 1)
    if max(d_gauss, d_t) >= max_distance:
        raise ValueError(f"the curves reach {level} beyond max_distance={max_distance}")
    plot = Box(52, 48, 420, 230)
    width, height = plot.right + 28, plot.bottom + 62

    def xy(d: np.ndarray, p: np.ndarray) -> list[Point]:
        return list(zip(plot.x + d / max_distance * plot.w, plot.bottom - p / 1.05 * plot.h, strict=True))

    d = np.linspace(0, max_distance, 121)
    gauss, student = np.exp(-(d**2) / (2 * sigma**2)), 1 / (1 + d**2)
    canvas = _Canvas()
    _heading(canvas, width, "t-SNE's two similarity kernels")
    heavier = student > gauss
    first = int(np.argmax(heavier))  # the tail, where the Student-t lies above the Gaussian
    canvas.path(xy(d[first:], student[first:]) + xy(d[first:], gauss[first:])[::-1], fill=ORANGE, width=0)
    canvas.path([(plot.x, plot.y), (plot.x, plot.bottom), (plot.right, plot.bottom)])
    for tick in range(int(max_distance) + 1):
        ((x, y),) = xy(np.array([tick]), np.array([0.0]))
        canvas.line((x, y), (x, y + 5))
        canvas.text(x, y + 16, str(tick), size=SMALL)
    for tick in (0.0, 0.5, 1.0):
        ((x, y),) = xy(np.array([0.0]), np.array([tick]))
        canvas.line((x - 5, y), (x, y))
        canvas.text(x - 9, y, f"{tick:g}", size=SMALL, anchor="end")
    canvas.text(plot.cx, plot.bottom + 38, "distance between two points", size=SMALL)
    canvas.text(plot.x - 6, plot.y - 12, "similarity", size=SMALL, anchor="start")
    canvas.path(xy(d, gauss), width=2.5)
    canvas.path(xy(d, student), width=2.5, dashed=True)
    legend = [(False, "Gaussian: data space,", f"width σ = {sigma:g} (set by perplexity)"),
              (True, "Student-t: the map,", "heavier tails (shaded)")]  # fmt: skip
    x = plot.right - max(text_width(line, SMALL) for entry in legend for line in entry[1:]) - 4
    for i, (dashed, first_line, second) in enumerate(legend):
        y = plot.y + 14 + i * 48
        canvas.path([(x - 44, y), (x - 10, y)], width=2.5, dashed=dashed)
        canvas.text(x, y, first_line, size=SMALL, anchor="start")
        canvas.text(x, y + LINE * SMALL, second, size=SMALL, anchor="start")
    (gx, gy), (tx, ty) = xy(np.array([d_gauss, d_t]), np.array([level, level]))
    canvas.line((plot.x, gy), (plot.right, gy), width=0.75, dashed=True)
    near, far = canvas.dot(Dot(gx, gy, 5), name="gauss-point"), canvas.dot(Dot(tx, ty, 5), name="t-point")
    canvas.link(near, far, "t-point")
    canvas.lines((gx + tx) / 2 + 20, gy - 42, [f"same similarity ({level:g}):", "farther apart on the map"], size=SMALL)
    alt = (
        f"Two similarity curves against distance. The Gaussian of the data space (width σ = {sigma:g}, set by the "
        "perplexity) falls quickly to zero; the Student-t of the map starts the same but has heavier tails. "
        f"Both reach similarity {level:g}, the Gaussian at distance {d_gauss:.1f} and the Student-t at {d_t:.1f}: "
        "moderately distant points can sit far apart on the map."
    )
    return canvas.finish("tsne-kernels", alt, width, height)


# 8. Analogies as arrows


def analogy_arrows(
    a: str = "coil", b: str = "elder ones", c: str = "guided by voices", answer: str | None = None
) -> Diagram:
    """``a - b + c`` as arrows: the offset from ``b`` to ``a``, drawn again from ``c``, ends at the answer.

    Parameters
    ----------
    a, b, c
        The analogy's artists: "b is to a as c is to ?".
    answer
        The artist nearest to ``a - b + c``, if known; a question mark otherwise.
    """
    names = {"a": a, "b": b, "c": c}
    where = {"b": Dot(96, 214, 6), "a": Dot(256, 86, 6), "c": Dot(232, 294, 6)}
    offset = (where["a"].cx - where["b"].cx, where["a"].cy - where["b"].cy)
    end = Dot(where["c"].cx + offset[0], where["c"].cy + offset[1], 6)
    width, height = 470.0, 406.0
    canvas = _Canvas()
    _heading(canvas, width, "Analogy: a − b + c")
    canvas.line(*link_points(where["b"], where["c"]), dashed=True, width=1)
    canvas.line(*link_points(where["a"], end), dashed=True, width=1)
    for key, dot in where.items():
        canvas.dot(dot, fill=BLUE, name=key)
    canvas.dot(end, fill=ORANGE, name="answer")
    canvas.link(where["b"], where["a"], "a")
    canvas.link(where["c"], end, "answer")
    places = {"a": (0, -20, "middle"), "b": (-10, 24, "start"), "c": (0, 26, "middle")}
    for key, (dx, dy, anchor) in places.items():
        canvas.text(where[key].cx + dx, where[key].cy + dy, f"{key}: {names[key]}", anchor=anchor, bold=True)
    for start, stop in ((where["b"], where["a"]), (where["c"], end)):
        mx, my = (start.cx + stop.cx) / 2, (start.cy + stop.cy) / 2
        canvas.text(mx + 28, my + 14, "a − b", size=SMALL, italic=True, anchor="start")
    found = "?" if answer is None else answer
    canvas.lines(end.cx, end.cy - 36, ["a − b + c", found], bold=True)
    canvas.lines(width / 2, height - 34, ["a − b: what a has and b has not, added to c;",
                                          "done on the 64-d vectors, not on a t-SNE map"], size=SMALL)  # fmt: skip
    ending = "" if answer is None else f", nearest to {answer}"
    alt = (
        f"An analogy as arrows: the arrow from b ({b}) to a ({a}) is the offset a − b, what {a} has and {b} has "
        f"not. The same arrow drawn from c ({c}) ends at the point a − b + c{ending}; the answer is the artist "
        "nearest to that point in the 64-d space."
    )
    return canvas.finish("analogy-arrows", alt, width, height)


# 9. What the contexts cannot tell apart


def identical_contexts(
    twins: tuple[str, str] = ("fast window orchestra", "ancient comet collective"),
    third: str = "kofi rinaldi",
    contexts: Sequence[str] = ("genre experimental", "score bucket 8"),
    label: str = "felix lindqvist music",
) -> Diagram:
    """Two artists with the same contexts end up side by side; a third with one more context stands apart.

    Parameters
    ----------
    twins
        Two artists whose contexts are exactly ``contexts`` (no label shared with anyone).
    third
        An artist with ``contexts`` and ``label`` too.
    contexts
        The contexts all three share.
    label
        The record label, the extra context of ``third``.
    """
    artists = [*twins, third]
    if len(twins) != 2 or len(set(artists)) != 3:
        raise ValueError(f"twins must be two artists, both different from third, not {twins!r} and {third!r}")
    width = 510.0
    artist_lines = [_wrap(a, text_width("x" * 14), FONT) for a in artists]
    context_lines = [[c] for c in contexts] + [["label", label]]
    artist_w = max(text_width(line) for lines in artist_lines for line in lines) + 20
    context_w = max(text_width(line) for lines in context_lines for line in lines) + 20
    context_x = width - MARGIN - context_w
    canvas = _Canvas()
    _heading(canvas, width, "Same contexts: nothing tells them apart")
    canvas.text(MARGIN + artist_w / 2, 50, "artists", size=SMALL)
    canvas.text(context_x + context_w / 2, 50, "their contexts", size=SMALL)

    def column(x: float, texts: list[list[str]], w: float, kind: str, fills: Sequence[str]) -> list[Box]:
        boxes = []
        for i, lines in enumerate(texts):  # rows 62 px apart, each box centred on its row
            h = len(lines) * LINE * FONT + 10
            boxes.append(_label_box(canvas, x, 95 + i * 62 - h / 2, lines, name=f"{kind}{i}", fill=fills[i], width=w))
        return boxes

    nodes = column(MARGIN, artist_lines, artist_w, "artist", [BLUE, BLUE, ORANGE])
    context_nodes = column(context_x, context_lines, context_w, "context", ["none"] * len(context_lines))
    for artist in nodes:
        for context in context_nodes[: len(contexts)]:
            canvas.line(artist.side("right"), context.side("left"))
    canvas.line(nodes[2].side("right"), context_nodes[-1].side("left"), width=3)
    graph_bottom = max(n.bottom for n in [*nodes, *context_nodes])
    panel = canvas.rect(Box(MARGIN, graph_bottom + 56, width - 2 * MARGIN, 150), fill=GREY, name="vectors")
    canvas.arrow([(width / 2, graph_bottom + 12), (width / 2, panel.y)], "vectors")
    canvas.text(width / 2 + 12, graph_bottom + 32, "training", anchor="start", size=SMALL, italic=True)
    canvas.text(panel.x + 10, panel.y + 16, "the artists' vectors after training", anchor="start", size=SMALL)
    same = Dot(panel.x + 70, panel.y + 80, 8)
    apart = Dot(panel.right - 90, panel.y + 80, 8)
    canvas.dot(Dot(same.cx, same.cy, 13), fill=BLUE)
    canvas.dot(same, fill=BLUE, name="twins")
    canvas.dot(apart, fill=ORANGE, name="third")
    canvas.lines(same.cx - 20, same.cy + 40, [f"{twins[0]} ≈ {twins[1]}:", "the model cannot tell them apart"],
                 size=SMALL, anchor="start")  # fmt: skip
    canvas.lines(apart.cx + 20, apart.cy - 34, [third, "its label pulls it apart"], size=SMALL, anchor="end")
    alt = (
        f"{twins[0]} and {twins[1]} have exactly the same contexts ({', '.join(contexts)}) and no label of their "
        f"own, so training pulls them towards the same point, from different random starts: nothing in their pairs "
        f"tells them apart, and which of them comes first among the other's neighbours is left to chance. "
        f"{third} shares those contexts but also has the label {label}, which pulls its vector apart from theirs."
    )
    return canvas.finish("identical-contexts", alt, width, panel.bottom + MARGIN)
