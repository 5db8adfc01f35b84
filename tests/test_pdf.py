"""The PDF of the whole course (``make pdf``, LaTeX's pdflatex): every page of the book in
it, with its figures, maths and tables, and the site linking it.

``make pdf`` needs TeX Live; ``.ci/run`` installs it and builds the PDF before ``make
test``. Where the PDF was not built the tests are skipped, except on CI, where they fail.
Poppler's tools (``pdftotext``, ``pdfimages``, ``pdffonts``, ``pdftoppm``) read it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import matplotlib.image
import pytest
import yaml
from conftest import skip_or_fail
from test_book import HTML, LESSON_PAGES, PAGES, ROOT, notebook, outputs

PDF = ROOT / "_build" / "bands2vec.pdf"
PDF_BUILD = ROOT / "_build" / "pdf" / "_build" / "latex"  # make pdf's LaTeX files


@pytest.fixture(scope="module", autouse=True)
def _pdf_built():
    tools = [t for t in ("pdftotext", "pdfimages", "pdffonts", "pdftoppm") if shutil.which(t) is None]
    missing = [f"{PDF.relative_to(ROOT)} (make pdf)"] * (not PDF.exists()) + tools
    if missing:
        skip_or_fail(f"no {', '.join(missing)}", "CI builds the PDF before the tests, and reads it with poppler-utils")


def poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


@cache
def text() -> str:
    # Sphinx's smart quotes print ' as ’: read both as '.
    return " ".join(poppler("pdftotext", "-enc", "UTF-8", str(PDF), "-").split()).replace("\u2019", "'")


def titles() -> dict[str, str]:
    """Each page of the book by its title: the text of its first ``#`` heading."""
    found = {}
    for page in PAGES:
        if (ROOT / f"{page}.ipynb").is_file():  # a lesson or a deeper page
            source = "\n".join("".join(c["source"]) for c in notebook(page)["cells"] if c["cell_type"] == "markdown")
        else:
            source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
        found[page] = re.search(r"^# (.+)$", source, re.MULTILINE).group(1).strip()
    return found


def test_every_page_of_the_book_is_in_it():
    absent = {page: title for page, title in titles().items() if title.upper() not in text().upper()}
    assert not absent, f"pages missing from the PDF: {absent}"


def test_parts_and_chapters_follow_the_table_of_contents():
    """A part for each caption of _toc.yml and a chapter for each of its pages, the root
    page's text first as "About this course" (book/_ext/book_pdf.py); read from LaTeX's .toc."""
    toc = (PDF_BUILD / "bands2vec.toc").read_text(encoding="utf-8")
    toc = toc.replace("\\sphinxhyphen {}", "-").replace("\u2019", "'")
    found = re.findall(r"\\contentsline \{(part|chapter)\}\{(?:[IVX]+\\hspace \{1em\})?([^{}]*)\}", toc)
    expected, pages = [], titles()
    for k, part in enumerate(yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]):
        expected += [("part", part["caption"])] + [("chapter", "About this course")] * (k == 0)
        expected += [("chapter", pages[entry["file"]]) for entry in part["chapters"]]
    assert found[: len(expected)] == expected
    assert [name for _, name in found[len(expected) :]] == ["Bibliography", "Index"]


def test_every_exercise_is_numbered_and_every_reference_resolved():
    for page in LESSON_PAGES:
        markdown = "\n".join("".join(c["source"]) for c in notebook(page)["cells"] if c["cell_type"] == "markdown")
        for number, title in enumerate(re.findall(r"^:::\{exercise\} (.+)$", markdown, re.MULTILINE), start=1):
            plain = re.sub(r"`([^`]*)`", r"\1", title)
            assert f"Exercise {number} ({plain})" in text(), f"{page}: exercise {number} ({plain})"
    assert "??" not in text(), "a reference LaTeX could not resolve"


def test_every_figure_is_in_it():
    """Every raster figure of every page (the SVG diagrams come as their description: LaTeX
    takes no SVG)."""
    figures = 0
    for page in PAGES:
        if (ROOT / f"{page}.ipynb").is_file():
            figures += sum(any(t in out.get("data", {}) for t in ("image/png", "image/jpeg"))
                           for out in outputs(notebook(page)))  # fmt: skip
        else:
            source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
            figures += len(re.findall(r"^```\{figure\}", source, re.MULTILINE))
    notebooks = [notebook(page) for page in PAGES if (ROOT / f"{page}.ipynb").is_file()]
    plain = ["".join(out.get("data", {}).get("text/plain", "")) for nb in notebooks for out in outputs(nb)]
    diagrams = sum(p.startswith("[Diagram]") for p in plain)
    assert diagrams >= 7 and text().count("[Diagram]") >= diagrams, "a diagram's description is missing"
    images = [line for line in poppler("pdfimages", "-list", str(PDF)).splitlines()[2:] if line.split()[2] == "image"]
    assert len(images) >= figures >= 28


def test_maths_is_typeset_and_tables_are_tables():
    fonts = poppler("pdffonts", str(PDF))
    assert re.search(r"\bCMMI\d+", fonts), "no maths italic font: the maths was not typeset"
    # A table of the benchmarks page, laid out as a table: its header, then a row.
    layout = poppler("pdftotext", "-layout", "-enc", "UTF-8", str(PDF), "-")
    assert re.search(r"method +first reaches both at.*\n(.*\n){0,3} *bands2vec +[\d,]+ +[\d.]+ +[\d.]+", layout)


@pytest.mark.parametrize("which", ["first", "a figure"])
def test_pages_render(which: str, tmp_path: Path):
    """pdftoppm draws the page; the first is the title page, the other one of the lessons'
    figures: the drawing must hold ink, and a figure page much more than a page of text."""
    page = 1
    if which == "a figure":
        listing = poppler("pdfimages", "-list", str(PDF)).splitlines()[2:]
        page = int(listing[len(listing) // 2].split()[0])
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(page), "-l", str(page), str(PDF), str(tmp_path / "p")],
                   check=True)  # fmt: skip
    (png,) = tmp_path.glob("p*.png")
    pixels = matplotlib.image.imread(png)[..., :3]
    ink = float((pixels.mean(axis=2) < 0.9).mean())
    assert ink > (0.05 if which == "a figure" else 0.002), f"page {page}: {ink:.1%} of it drawn"


def test_the_site_links_it_from_every_page():
    """``make book`` after ``make pdf`` puts the PDF at the site's root and every page's
    download menu links it."""
    assert (HTML / PDF.name).read_bytes() == PDF.read_bytes(), "the site's PDF is not the one make pdf built"
    for page in PAGES:
        depth = page.count("/")
        html = (HTML / f"{page}.html").read_text(encoding="utf-8")
        assert f'href="{"../" * depth}{PDF.name}"' in html, f"{page}: no link to the PDF"
