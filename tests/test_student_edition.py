"""The student edition (``make book-student``): every exercise, no solution.

Every solution of the lessons is a ``solution`` directive (its prose) followed by code
cells tagged ``solution``. The test takes from each lesson notebook the solutions' prose
(runs of plain words, which survive rendering unchanged), their code lines and their
printed outputs, and looks for each in every page, download and search index of the
student edition: none may appear. Each must appear in the full edition, so a needle the
rendering would change, or an empty list of needles, fails the test instead of passing it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import pytest
import yaml
from test_book import DEEPER_PAGES, LESSON_PAGES, ROOT, build_if_stale, notebook

from book._ext import book_editions as editions  # noqa: E402

FULL = ROOT / "_build" / "html"
STUDENT = ROOT / "_build" / "student" / "_build" / "html"
PLAIN_WORD = re.compile(r"^[A-Za-z0-9]+[,.;:]?$")  # Sphinx's smart quotes change ' and "
MIN_WORDS, MIN_CODE = 6, 25


def _cells(nb: dict, tag: str) -> list[dict]:
    return [c for c in nb["cells"] if tag in c.get("metadata", {}).get("tags", [])]


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def prose_runs(markdown: str) -> list[str]:
    """Runs of at least MIN_WORDS plain words (no markup, maths or quotes) in a text."""
    runs, run = [], []
    for word in [*markdown.split(), "\0"]:
        if PLAIN_WORD.match(word):
            run.append(word)
            continue
        if len(run) >= MIN_WORDS:
            runs.append(" ".join(run))
        run = []
    return runs


def solution_needles(nb: dict) -> dict[str, bool]:
    """What of a notebook's solutions a reader could read: prose runs, code lines, outputs,
    each with whether the full edition's pages show it (a ``remove-cell`` cell's code is
    only in the downloadable notebook; a figure's text stand-in is never shown)."""
    needles = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for block in editions.SOLUTION_DIRECTIVE.finditer(_text(cell["source"])):
                body = [line for line in block.group(0).splitlines()[1:-1] if not line.startswith(":")]
                needles.update(dict.fromkeys(prose_runs(" ".join(body)), True))
    for cell in _cells(nb, editions.SOLUTION_TAG):
        shown = "remove-cell" not in cell["metadata"].get("tags", [])
        lines = [(line, shown) for line in _text(cell["source"]).splitlines()]
        for output in cell.get("outputs", []):
            lines += [(line, shown) for line in _text(output.get("text", "")).splitlines()]
            figure = any(key.startswith("image/") for key in output.get("data", {}))
            plain = _text(output.get("data", {}).get("text/plain", ""))
            lines += [(line, shown and not figure) for line in plain.splitlines()]
        for line, seen in lines:
            if len(line.strip()) >= MIN_CODE and not line.lstrip().startswith("#"):
                needles[" ".join(line.split())] = seen
    return needles


def solution_images(nb: dict) -> set[str]:
    """The file names MyST-NB gives the solutions' figures (the sha256 of their bytes)."""
    return {
        hashlib.sha256(base64.b64decode(output["data"]["image/png"])).hexdigest() + ".png"
        for cell in _cells(nb, editions.SOLUTION_TAG)
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    }


def without_solutions(nb: dict) -> str:
    """A notebook's text outside its solutions (cells and lines), whitespace collapsed."""
    parts = []
    for cell in nb["cells"]:
        if editions.SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        inside = None
        for line in _text(cell["source"]).splitlines():
            if inside is None and re.match(r"^`{3,}\{solution\}", line):
                inside = line[: len(line) - len(line.lstrip("`"))]
            elif inside is not None and line.strip() == inside:
                inside = None
            elif inside is None:
                parts.append(line)
        for output in cell.get("outputs", []):
            parts += [_text(output.get("text", "")), _text(output.get("data", {}).get("text/plain", ""))]
    return " ".join(" ".join(parts).split())


def readable(path: Path) -> str:
    """A file of a built site as its reader or a search would see it, whitespace collapsed."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        nb = json.loads(raw)
        parts = [_text(c["source"]) for c in nb["cells"]]
        for cell in nb["cells"]:
            for output in cell.get("outputs", []):
                parts += [_text(output.get("text", "")), *map(_text, output.get("data", {}).values())]
        raw = "\n".join(p for p in parts if isinstance(p, str))
    elif path.suffix == ".html":
        raw = html.unescape(re.sub(r"<[^>]+>", "", raw))
    return " ".join(raw.split())


def site_text(site: Path) -> dict[str, str]:
    files = [p for p in site.rglob("*") if p.suffix in {".html", ".ipynb", ".txt", ".md"} or p.name == "searchindex.js"]
    return {str(p.relative_to(site)): readable(p) for p in files if "_static" not in p.parts}


@pytest.fixture(scope="module")
def student() -> Path:
    """The student edition, built now if it is missing or older than the lessons."""
    sources = [ROOT / "_config.yml", ROOT / "book" / "_ext" / "book_editions.py", *(ROOT / "lessons").rglob("*.ipynb")]
    return build_if_stale(STUDENT, sources, "--path-output", "_build/student", env={"BANDS2VEC_EDITION": "student"})


def test_prose_runs_skip_markup():
    text = "With weight 0 the profile is genres only: its $x$ neighbours share `genres` but not scores, and"
    assert prose_runs(text) == ["With weight 0 the profile is genres only: its"]


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_every_exercise_has_a_solution(page: str):
    nb = notebook(page)
    markdown = "\n".join(_text(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    exercises = re.findall(r"^:::\{exercise\}.*\n:label: (\S+)", markdown, re.MULTILINE)
    solved = re.findall(r"^`{3,}\{solution\} (\S+)", markdown, re.MULTILINE)
    assert exercises and solved == exercises, f"{page}: exercises {exercises}, solutions {solved}"


def test_the_student_edition_has_every_exercise_and_no_solution(student: Path):
    full, students = site_text(FULL), site_text(STUDENT)
    assert set(students) == set(full), "the two editions have different pages"
    pages = {name: text for name, text in full.items() if name.endswith(".html") or name == "searchindex.js"}
    leaks, missing = {}, {}
    # A line a solution shares with the rest of the course (``fig, ax = plt.subplots(...)``)
    # is no sign of a leak.
    elsewhere = " ".join(without_solutions(notebook(page)) for page in LESSON_PAGES + DEEPER_PAGES)
    for page in LESSON_PAGES:
        nb = notebook(page)
        needles = {n: shown for n, shown in solution_needles(nb).items() if n not in elsewhere}
        assert len(needles) >= 10, f"{page}: only {len(needles)} pieces of solution to look for"
        # Each is in the full edition: in its pages where they show it, else in its downloads.
        missing[page] = [n for n, seen in needles.items()
                         if not any(n in s for s in (pages if seen else full).values())]
        leaks[page] = {n: [f for f, text in students.items() if n in text] for n in needles}
        leaks[page] = {n: files for n, files in leaks[page].items() if files}
        labels = re.findall(r":label: (\S+)", "\n".join(_text(c["source"]) for c in nb["cells"]))
        page_html = (STUDENT / f"{page}.html").read_text(encoding="utf-8")
        for label in labels:
            assert (f'id="{label}"' in page_html) == (not label.endswith("-solution")), f"{page}: {label}"
    assert not any(missing.values()), f"not found in the full edition either: {missing}"
    assert not any(leaks.values()), f"solutions in the student edition: {leaks}"
    figures = set().union(*(solution_images(notebook(page)) for page in LESSON_PAGES))
    assert figures and figures <= {p.name for p in (FULL / "_images").iterdir()}
    assert not figures & {p.name for p in (STUDENT / "_images").iterdir()}, "a solution's figure"


def test_the_student_edition_opens_no_notebook_with_solutions(student: Path):
    """Its pages have no Binder button and no link to the repository: both lead to the
    notebooks with their solutions."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    for page in LESSON_PAGES:
        full, students = ((site / f"{page}.html").read_text(encoding="utf-8") for site in (FULL, student))
        for link in (config["launch_buttons"]["binderhub_url"], config["repository"]["url"]):
            assert link in full and link not in students, f"{page}: {link}"


def test_student_notebook_drops_solutions():
    nb = notebook(LESSON_PAGES[0])
    stripped = editions.student_notebook(nb)
    assert not _cells(stripped, editions.SOLUTION_TAG) and _cells(nb, editions.SOLUTION_TAG)
    markdown = "".join(_text(c["source"]) for c in stripped["cells"] if c["cell_type"] == "markdown")
    assert "{exercise}" in markdown and "{solution}" not in markdown
