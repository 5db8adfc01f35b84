"""The book's editions: the full course, the student edition, and the PDF in the site.

A Sphinx extension, loaded by ``_config.yml`` (``sphinx.local_extensions``).

- **Student edition** (``BANDS2VEC_EDITION=student``, what ``make book-student`` sets):
  sphinx-exercise's ``hide_solutions`` leaves out every ``solution`` directive, and the
  code cells of a solution, which a notebook cannot put inside a directive and which the
  lessons tag ``solution``, are removed too, and the notebooks the site offers for
  download lose the same cells and directives. Nothing of a solution reaches that site,
  and it offers no way to one: no Binder button, no link to the repository.
- **Exercises numbered per lesson**: Sphinx numbers the exercises of a book without
  numbered chapters 1 to N across all pages; here each lesson's start at 1, as its text
  says ("lesson 3, exercise 3").
- **One collapsible per solution** (HTML): a solution's code cells follow its directive in
  the notebook, each folded away on its own ("Show code cell content"); in the page they
  move into the solution's dropdown, after its text, and show unfolded there: one click
  opens the whole solution. The PDF keeps them after the solution's text, as written.
- **The PDF** (``make pdf`` writes ``_build/bands2vec.pdf``): when it exists, the HTML build
  of the full course copies it to the site's root and every page's download menu links it
  (the student edition has none: the PDF holds the solutions). Without it the menu offers
  no ".pdf": the theme's entry of that name printed the one page, not the course.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "_build" / "bands2vec.pdf"
EDITIONS = ("full", "student")
SOLUTION_TAG = "solution"  # the tag of a solution's code cells in the lessons
# A solution directive in a markdown cell, from its opening fence to its closing one.
SOLUTION_DIRECTIVE = re.compile(r"^(`{3,}|:{3,})\{solution\}.*?^\1[ \t]*$\n?", re.MULTILINE | re.DOTALL)


def edition() -> str:
    """The edition being built, from ``BANDS2VEC_EDITION`` (default: the full course)."""
    name = os.environ.get("BANDS2VEC_EDITION", "full")
    if name not in EDITIONS:
        raise ValueError(f"BANDS2VEC_EDITION is {name!r}; the editions are {', '.join(EDITIONS)}")
    return name


class RemoveSolutionCells(SphinxTransform):
    """In the student edition, drop every notebook cell tagged ``solution``: its code and
    its output."""

    default_priority = 5  # before sphinx-exercise merges gated directives (10)

    def apply(self) -> None:
        if not self.config.hide_solutions:
            return
        for cell in list(self.document.findall(nodes.container)):
            tags = (cell.get("cell_metadata") or {}).get("tags", [])
            if cell.get("nb_element") == "cell_code" and SOLUTION_TAG in tags:
                cell.parent.remove(cell)


def _is_solution_cell(node: nodes.Node) -> bool:
    tags = (node.get("cell_metadata") or {}).get("tags", []) if isinstance(node, nodes.Element) else []
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code" and SOLUTION_TAG in tags


class SolutionCodeInItsDropdown(SphinxPostTransform):
    """In the HTML pages, the code cells tagged ``solution`` that follow a ``solution``
    directive move into it, after its text, no longer folded on their own."""

    default_priority = 100  # after sphinx-exercise's (5 to 22), before MyST-NB folds hidden cells (199)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        from sphinx_exercise.nodes import solution_node

        for solution in list(self.document.findall(solution_node)):
            parent = solution.parent
            if parent is None:
                continue
            body = next((c for c in solution.children if isinstance(c, nodes.section)), solution)
            following = parent.children[parent.index(solution) + 1 :]
            for node in following:
                if isinstance(node, (nodes.comment, nodes.target)):
                    continue  # invisible: a cell's label or a comment between them
                if not _is_solution_cell(node):
                    break
                parent.remove(node)
                node.attributes.pop("hide_mode", None)  # the dropdown folds it now
                body.append(node)


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def student_notebook(notebook: dict) -> dict:
    """The notebook without its solutions: no cell tagged ``solution``, no ``solution``
    directive in a markdown cell (a cell left empty goes too)."""
    cells = []
    for cell in notebook["cells"]:
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell["cell_type"] == "markdown":
            text = SOLUTION_DIRECTIVE.sub("", _source(cell)).strip("\n")
            if not text:
                continue
            cell = {**cell, "source": text}
        cells.append(cell)
    return {**notebook, "cells": cells}


def _strip_downloads(app: Sphinx, exception: Exception | None) -> None:
    """In the student edition, the notebooks under ``_sources/`` lose their solutions."""
    if exception or not app.config.hide_solutions or app.builder.format != "html":
        return
    for path in Path(app.outdir, "_sources").rglob("*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(student_notebook(notebook), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _number_exercises_per_page(app: Sphinx, env) -> list[str]:
    """Renumber each page's exercises 1, 2, ... in the order Sphinx numbered them."""
    for numbers in env.toc_fignumbers.values():
        exercises = numbers.get("exercise", {})
        for k, label in enumerate(sorted(exercises, key=exercises.get), start=1):
            exercises[label] = (k,)
    return []


def _configure(app: Sphinx, config: Config) -> None:
    if edition() == "student":
        config.hide_solutions = True
        # No Binder button and no link to the repository: both open the notebooks with
        # their solutions.
        options = dict(config.html_theme_options)
        options["launch_buttons"] = {}
        options["use_repository_button"] = False
        options.pop("repository_url", None)
        config.html_theme_options = options


def _with_pdf(app: Sphinx) -> bool:
    """The PDF goes in the full course's site (the student edition's would hold solutions)."""
    return PDF.exists() and not app.config.hide_solutions


def _copy_pdf(app: Sphinx) -> None:
    if _with_pdf(app) and app.builder.format == "html":
        app.config.html_extra_path = [*app.config.html_extra_path, str(PDF)]


def _link_pdf(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The download menu's ".pdf": the whole course where the site has its PDF, else none
    (sphinx-book-theme's ".pdf" entry is the browser's print of the one page)."""
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        group["buttons"] = [b for b in group["buttons"] if b.get("label") != "download-pdf-button"]
        if _with_pdf(app):
            group["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"](PDF.name, 1),
                    "text": "whole course .pdf",
                    "tooltip": "Download the whole course as a PDF",
                    "icon": "fas fa-book",
                    "label": "download-course-pdf-button",
                }
            )


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _copy_pdf)
    app.connect("build-finished", _strip_downloads)
    app.add_transform(RemoveSolutionCells)
    app.add_post_transform(SolutionCodeInItsDropdown)
    # After Sphinx's toctree collector assigns the numbers (priority 500).
    app.connect("env-get-updated", _number_exercises_per_page, priority=900)
    # After sphinx-book-theme builds the download menu (priority 501).
    app.connect("html-page-context", _link_pdf, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
