"""Every figure of the lessons says what it shows to a reader who cannot see it.

A static figure (a code cell's image output) gets its alt text from the cell's metadata,
``mystnb: image: alt:``, which MyST-NB writes into the page's ``<img>``. A control's
figures are ``<img>`` elements inside the saved widget state, with the alt text the
library writes (``bands2vec_lib.widgets``). Both are checked in the built book: no
``<img>`` of a lesson page, static or in a widget, lacks a meaningful alt.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from test_book import (  # noqa: F401 (book: a fixture)
    DEEPER_PAGES,
    IMAGE_TYPES,
    LESSON_PAGES,
    ROOT,
    WIDGET_STATE,
    book,
    image_outputs,
    notebook,
    saved_widget_state,
)

IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = r"""\b{}\s*=\s*(?:"([^"]*)"|'([^']*)')"""
FILE_NAME = re.compile(r"^\S+\.(png|jpe?g|gif|svg|webp)$|^[\w./-]*/[\w./-]*$", re.IGNORECASE)
MIN_ALT = 30  # characters: enough for "what it shows", more than any file name here


def attribute(tag: str, name: str) -> str | None:
    found = re.search(ATTRIBUTE.format(name), tag, re.IGNORECASE)
    return None if found is None else html.unescape(found.group(1) if found.group(1) is not None else found.group(2))


def alt_problem(tag: str) -> str | None:
    """Why an ``<img>`` tag's alt text would tell a screen-reader user nothing, or None."""
    alt = attribute(tag, "alt")
    if alt is None:
        return "no alt"
    alt = alt.strip()
    src = attribute(tag, "src") or ""
    if not alt:
        return "empty alt"
    if FILE_NAME.match(alt) or alt == src or (src and Path(src).name in alt):
        return f"alt is a file name: {alt!r}"
    figure = src.startswith("data:image/") or "_images/" in src  # not an icon of the theme
    if figure and len(alt) < MIN_ALT:
        return f"alt too short to say what the figure shows: {alt!r}"
    return None


@pytest.mark.parametrize(
    ("tag", "problem"),
    [
        ('<img src="a.png">', "no alt"),
        ('<img alt="" src="a.png">', "empty alt"),
        ('<img alt="../_images/49513e62.png" src="../_images/49513e62.png">', "file name"),
        ('<img alt="figure" src="../_images/a.png">', "too short"),
        ('<img alt="Binder logo" src="../_static/images/logo_binder.svg">', None),
        ('<img src="data:image/png;base64,AAAA" alt="Line chart of loss against step: it falls, flattens.">', None),
    ],
)
def test_alt_problem_tells_meaningful_alt_from_the_rest(tag: str, problem: str | None):
    found = alt_problem(tag)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize("page", LESSON_PAGES + DEEPER_PAGES)
def test_every_figure_cell_gives_alt_text(page: str):
    nb = notebook(page)
    missing = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or not any(t in o.get("data", {}) for o in cell["outputs"] for t in IMAGE_TYPES):
            continue
        alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
        if alt_problem(f'<img alt="{html.escape(alt)}">'):
            missing.append((index, cell["source"][:1]))
    assert not missing, f"{page}: figure cells without alt text: {missing}"


WIDGET_STATE_SCRIPT = re.compile(rf'<script type="{re.escape(WIDGET_STATE)}">(.*?)</script>', re.DOTALL)


def page_images(text: str) -> tuple[list[str], list[str]]:
    """The ``<img>`` tags of a built page: in its HTML, and in the widget state it embeds
    (which the widgets manager draws when the page opens)."""
    scripts = WIDGET_STATE_SCRIPT.findall(text)
    static = IMG.findall(WIDGET_STATE_SCRIPT.sub("", text))
    in_widgets = []
    for script in scripts:
        for model in json.loads(script)["state"].values():
            value = model.get("state", {}).get("value")
            in_widgets += IMG.findall(value) if isinstance(value, str) else []
    return static, in_widgets


INLINE_SVG = re.compile(r'<svg\b[^>]*\brole="img"[^>]*>.*?</svg>', re.DOTALL)
SVG_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.DOTALL)


@pytest.mark.parametrize("page", LESSON_PAGES + DEEPER_PAGES)
def test_no_image_of_a_built_lesson_lacks_meaningful_alt(page: str, book: Path):  # noqa: F811
    """Every figure is an ``<img>`` with alt text, or a concept diagram drawn inline as
    ``<svg role="img">`` whose ``<title>`` says what it shows."""
    nb = notebook(page)
    text = (book / f"{page}.html").read_text(encoding="utf-8")
    diagrams = INLINE_SVG.findall(text)
    static, in_widgets = page_images(INLINE_SVG.sub("", text))
    figures = [tag for tag in static if re.search(r'\bsrc="(data:image/|[^"]*_images/)', tag)]
    found = len(figures) + len(diagrams)
    assert found == image_outputs(nb), f"{page}: {found} figures, the notebook has {image_outputs(nb)}"
    titles = [html.unescape(t.group(1)) if (t := SVG_TITLE.search(svg)) else "" for svg in diagrams]
    problems = [(tag[:120], alt_problem(tag)) for tag in static + in_widgets if alt_problem(tag)]
    problems += [(title[:60], "diagram without a meaningful title") for title in titles
                 if alt_problem(f'<img alt="{html.escape(title)}">')]  # fmt: skip
    assert not problems, f"{page}: images without meaningful alt: {problems}"


def test_lesson_lines_fit_except_cell_headers():
    """Ruff leaves the lessons' long lines alone for their cell headers (alt text); every
    other line keeps to the project's 120 characters."""
    long = [
        f"{path.name}:{n}"
        for path in sorted((ROOT / "lessons").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > 120 and not line.startswith("# %%")
    ]
    assert not long, long


def test_controls_figures_are_images_with_alt_in_the_saved_state():
    """Lesson 6's perplexity control saves its maps as ``<img>`` tags with alt text (an
    ``Image`` model would hold bytes and no alt), one map per perplexity, more of them than
    a static row of panels would show."""
    state = saved_widget_state(notebook("lessons/06_tsne"))
    assert "ImageModel" not in {model["model_name"] for model in state.values()}
    tags = [tag for model in state.values() for tag in IMG.findall(str(model["state"].get("value", "")))]
    assert len(tags) >= 5 and all(alt_problem(tag) is None for tag in tags)
    maps = [attribute(tag, "alt").split(" of ")[0] for tag in tags]
    assert all(m.startswith("t-SNE map at perplexity ") for m in maps) and len(set(maps)) == len(maps)
