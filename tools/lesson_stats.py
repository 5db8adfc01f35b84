"""How long a lesson is for its reader: prose words, code lines shown, pictures, glossary links.

    python -m tools.lesson_stats                      # every lesson and deeper page, from the notebooks
    python -m tools.lesson_stats --html _build/html   # the same, measured on the built book

What is counted is what a reader meets without opening anything: prose without code,
outputs and solutions; the lines of code cells the book shows (not those removed,
collapsed or belonging to a solution); ``assert`` lines among them; concept diagrams (SVG
pictures); links to the glossary. The limits are the course's (a lesson is one sitting).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_WORDS = 2200  # prose words of one lesson
MAX_CODE_LINES = 200  # code lines a reader sees without opening anything
MAX_TOTAL_WORDS = 12000  # all seven lessons
MIN_DIAGRAMS = 1
MIN_GLOSSARY_LINKS = 3
HIDDEN_TAGS = {"remove-cell", "remove-input", "hide-input", "hide-cell", "solution"}
WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")
# Words about the course's machinery that a reader of a lesson must not meet.
MACHINERY = re.compile(r"\b(nbval|self-check|hidden cell|the tests?\b|budget|pytest)", re.IGNORECASE)


@dataclass(frozen=True)
class Stats:
    name: str
    words: int
    code_lines: int
    asserts: int
    diagrams: int
    glossary_links: int
    machinery: tuple[str, ...] = ()

    def problems(self, *, lesson: bool = True) -> list[str]:
        """What breaks the limits of a lesson (or, with ``lesson=False``, of a deeper page)."""
        found = []
        if lesson and self.words > MAX_WORDS:
            found.append(f"{self.words} words of prose (at most {MAX_WORDS})")
        if lesson and self.code_lines > MAX_CODE_LINES:
            found.append(f"{self.code_lines} visible code lines (at most {MAX_CODE_LINES})")
        if self.asserts:
            found.append(f"{self.asserts} visible assert lines")
        if lesson and self.diagrams < MIN_DIAGRAMS:
            found.append("no concept diagram")
        if lesson and self.glossary_links < MIN_GLOSSARY_LINKS:
            found.append(f"{self.glossary_links} glossary links (at least {MIN_GLOSSARY_LINKS})")
        if self.machinery:
            found.append(f"words about the tests: {sorted(set(self.machinery))}")
        return found


def _prose(markdown: str) -> str:
    """A markdown cell's prose: no solutions, code, maths blocks or directive options."""
    text = re.sub(r"```\{solution\}.*?```", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"^:[\w-]+:.*$", " ", text, flags=re.MULTILINE)
    text = re.sub(r"^:::.*$", " ", text, flags=re.MULTILINE)
    return text


def notebook_stats(path: Path) -> Stats:
    """The counts of a lesson's notebook (or its py:percent text)."""
    import jupytext

    notebook = jupytext.read(path)
    words = code = asserts = diagrams = links = 0
    machinery: list[str] = []
    for cell in notebook.cells:
        tags = set(cell.metadata.get("tags", ()))
        if cell.cell_type == "markdown":
            if "```{solution}" in cell.source and cell.source.lstrip().startswith("```{solution}"):
                continue
            prose = _prose(cell.source)
            words += len(WORD.findall(prose))
            links += len(re.findall(r"\{term\}`", re.sub(r"```\{solution\}.*?```", "", cell.source, flags=re.DOTALL)))
            machinery += MACHINERY.findall(prose)
            continue
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            diagrams += "image/svg+xml" in output.get("data", {})
        if tags & HIDDEN_TAGS:
            continue
        lines = [line for line in cell.source.splitlines() if line.strip()]
        code += len(lines)
        asserts += sum(line.lstrip().startswith("assert") for line in lines)
    return Stats(path.stem, words, code, asserts, diagrams, links, tuple(machinery))


def html_stats(page: Path) -> Stats:
    """The same counts, read from a page of the built book."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup
    links = len(article.select('a[href*="glossary.html#term-"]'))
    diagrams = 0
    code = asserts = 0
    for cell in article.select("div.cell"):
        classes = set(cell.get("class", []))
        diagrams += len(cell.select('div.cell_output img[src$=".svg"], div.cell_output svg[role="img"]'))
        hidden = any(c.startswith("tag_") and c[4:] in HIDDEN_TAGS for c in classes)
        source = cell.select_one("div.cell_input pre")
        if source is not None and not hidden:
            lines = [line for line in source.get_text().splitlines() if line.strip()]
            code += len(lines)
            asserts += sum(line.lstrip().startswith("assert") for line in lines)
    for element in article.select("div.cell, div.solution, pre, code, span.math, div.math, script, style"):
        element.decompose()
    for element in article.select("a.headerlink"):
        element.decompose()
    prose = article.get_text(" ")
    return Stats(page.stem, len(WORD.findall(prose)), code, asserts, diagrams, links, tuple(MACHINERY.findall(prose)))


def lesson_texts() -> list[Path]:
    """The lessons' text files, then the deeper pages'."""
    lessons = ROOT / "lessons"
    return sorted(lessons.glob("[0-9][0-9]_*.py")) + sorted((lessons / "deeper").glob("*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, help="measure the built book in this folder (e.g. _build/html)")
    parser.add_argument("files", nargs="*", type=Path, help="lessons' .py or .ipynb files (default: all)")
    args = parser.parse_args(argv)
    files = args.files or lesson_texts()
    failed = False
    total = 0
    print(f"{'page':40s} {'words':>6s} {'code':>5s} {'assert':>6s} {'diagrams':>8s} {'glossary':>8s}  problems")
    for path in files:
        deeper = "deeper" in path.parts
        if args.html:
            relative = path.relative_to(ROOT) if path.is_absolute() else path
            stats = html_stats(args.html / relative.with_suffix(".html"))
        else:
            notebook = path.with_suffix(".ipynb")
            stats = notebook_stats(notebook if notebook.exists() else path)
        problems = stats.problems(lesson=not deeper)
        failed |= bool(problems)
        total += 0 if deeper else stats.words
        print(f"{stats.name:40s} {stats.words:6d} {stats.code_lines:5d} {stats.asserts:6d} {stats.diagrams:8d} "
              f"{stats.glossary_links:8d}  {'; '.join(problems)}")  # fmt: skip
    print(f"lessons' prose in all: {total} words (at most {MAX_TOTAL_WORDS})")
    return int(failed or total > MAX_TOTAL_WORDS)


if __name__ == "__main__":
    sys.exit(main())
