"""Sphinx extension: markup of the HTML book that screen readers (and axe-core) read better.

docutils writes a bibliography as ``<div role="list">`` around entries of role
``doc-biblioentry``. DPUB-ARIA 1.1 deprecates that role for ``listitem``, and a list
whose children are not list items is a list of nothing: each entry becomes a
``listitem`` (tests/test_book.py runs axe-core on every page).
"""

from __future__ import annotations

from sphinx.application import Sphinx

BIBLIOENTRY = 'role="doc-biblioentry"'


def _bibliography_entries_as_list_items(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body and BIBLIOENTRY in body:
        context["body"] = body.replace(BIBLIOENTRY, 'role="listitem"')


def setup(app: Sphinx) -> dict[str, bool]:
    app.connect("html-page-context", _bibliography_entries_as_list_items)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
