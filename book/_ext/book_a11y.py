"""Sphinx extension: markup of the HTML book that screen readers (and axe-core) read better.

docutils writes a bibliography as ``<div role="list">`` around entries of role
``doc-biblioentry``. DPUB-ARIA 1.1 deprecates that role for ``listitem``, and a list
whose children are not list items is a list of nothing: each entry becomes a
``listitem`` (tests/test_book.py runs axe-core on every page).

MyST-NB names the toggle of a hidden cell (``<summary>``) "Toggle hidden content" while it
shows "Show code cell source": a name that does not contain the visible words fails
WCAG 2.5.3 (axe-core 4's label-content-name-mismatch), and a speech-input user who says
what they see is not understood. Without the aria-label its name is the words it shows.

sphinx-exercise gives the body of every exercise and solution the same id
(``exercise-content``, ``solution-content``), several times on a page; an id names one
element, so each body gets its exercise's or solution's label instead.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

BIBLIOENTRY = 'role="doc-biblioentry"'
HIDDEN_CELL_SUMMARY = '<summary aria-label="Toggle hidden content">'


def _readable_markup(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body and BIBLIOENTRY in body:
        context["body"] = body = body.replace(BIBLIOENTRY, 'role="listitem"')
    if body and HIDDEN_CELL_SUMMARY in body:  # the toggle is named by the words it shows
        context["body"] = body.replace(HIDDEN_CELL_SUMMARY, "<summary>")


class UniqueExerciseBodyIds(SphinxPostTransform):
    """``<label>-content`` for the body of the exercise or solution ``<label>``."""

    default_priority = 40  # after sphinx-exercise's post-transforms (5 to 22)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for section in self.document.findall(nodes.section):
            if section["ids"] in (["exercise-content"], ["solution-content"]) and section.parent is not None:
                label = section.parent.get("label")
                if label:
                    section["ids"] = [f"{label}-content"]


def setup(app: Sphinx) -> dict[str, bool]:
    app.connect("html-page-context", _readable_markup)
    app.add_post_transform(UniqueExerciseBodyIds)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
