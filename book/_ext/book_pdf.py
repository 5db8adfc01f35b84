"""The PDF's structure (``make pdf``): a Sphinx extension for LaTeX builds only.

Sphinx's LaTeX writer drops the root page's title (it is the document's) and makes each of
the root page's sections a chapter; the table of contents' first caption becomes the name
of the contents. For the course that gave five one-page chapters before the first lesson
and contents called "Start here". Here, in a LaTeX build only:

- the root page's text becomes one chapter, "About this course";
- each caption of the table of contents (Start here, Lessons, Reference) becomes a part,
  and the contents are called Contents;
- a reference to an exercise gives its number as text and links to it: LaTeX keeps no
  count of exercises, so the ``\\ref`` Sphinx writes for another lesson's exercise would
  print "??".

sphinx-jupyterbook-latex does the first two for xelatex builds, but it needs xelatex and
TeX Live's largest font packages; the course's PDF is built with pdflatex.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx

ABOUT = "About this course"


class RootPageAsChapterAndParts(SphinxTransform):
    """The root page's text as one chapter, then a part for each caption of its toctrees."""

    default_priority = 500  # after sphinx-external-toc inserts the toctrees (100)

    def apply(self) -> None:
        if self.app.builder.format != "latex" or self.env.docname != self.config.root_doc:
            return
        top = next(iter(self.document.findall(nodes.section)), None)
        if top is None:
            return
        wrappers, parts = [], []
        for toctree in list(self.document.findall(addnodes.toctree)):
            wrapper = toctree.parent if isinstance(toctree.parent, nodes.compound) else toctree
            wrappers.append(wrapper)
            caption = toctree.attributes.pop("caption", None)
            if caption:
                parts.append(nodes.raw("", rf"\part{{{caption}}}", format="latex"))
                wrapper.parent.insert(wrapper.parent.index(wrapper), parts[-1])
        first_part = parts[0] if parts else None
        body = [child for child in top.children[1:] if child not in wrappers and child not in parts]
        for child in body:
            top.remove(child)
        chapter = nodes.section("", nodes.title("", ABOUT), *body, ids=["about-this-course"], names=[ABOUT.lower()])
        top.insert(1, chapter)
        if first_part is not None:  # the root page's chapter opens the first part
            first_part.parent.remove(first_part)
            top.insert(1, first_part)


class NumberExerciseReferencesInLatex(SphinxPostTransform):
    """A reference to an exercise, in the PDF: its number as text, linked to it."""

    default_priority = 30  # after Sphinx resolves references (10) and sphinx-exercise (5 to 22)
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        registry = getattr(self.env, "sphinx_exercise_registry", {})
        for node in list(self.document.findall(addnodes.number_reference)):
            label = node.get("refid") or node.get("refuri", "").rpartition("#")[2]
            target = registry.get(label)
            if target is None or target["type"] != "exercise":
                continue
            number = self.env.toc_fignumbers.get(target["docname"], {}).get("exercise", {}).get(label, ())
            text = node.get("title", "%s") % ".".join(map(str, number))
            node.replace_self(nodes.raw("", rf"\hyperref[exercise:{label}]{{{text}}}", format="latex"))


def setup(app: Sphinx) -> dict:
    app.add_transform(RootPageAsChapterAndParts)
    app.add_post_transform(NumberExerciseReferencesInLatex)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
