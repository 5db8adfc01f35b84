"""The lessons and the deeper pages as files: each notebook matches its text file and holds
the outputs of a clean run, widgets included; every lesson has the parts a lesson must
have, within a lesson's length, and its checks run without the reader seeing them.

Running the notebooks is ``pytest --nbval lessons/``'s job; these tests only read them.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from tools.notebooks import output_problems

ROOT = Path(__file__).resolve().parents[1]
LESSON_TEXTS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py"))
DEEPER_TEXTS = sorted((ROOT / "lessons" / "deeper").glob("*.py"))
TEXT_FILES = LESSON_TEXTS + DEEPER_TEXTS
NOTEBOOKS = [p.with_suffix(".ipynb") for p in TEXT_FILES]
LESSONS = [p.with_suffix(".ipynb") for p in LESSON_TEXTS]
# The tags that keep a cell out of the reader's way in the book (MyST-NB); nbval still runs it.
CHECK_TAGS = {"remove-cell", "remove-input"}
PLACEHOLDER = "This lesson is being written."
UNCHECKED_TAGS = {"nbval-ignore-output", "nbval-skip"}
UNCHECKED_COMMENTS = ("# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
RERUN = "re-run it with `python -m tools.run_lessons {}`"




def _cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(c.cell_type, c.source, tuple(c.metadata.get("tags", ()))) for c in notebook.cells]


def _written(path: Path) -> nbformat.NotebookNode:
    """A notebook, unless it is still a placeholder: then the test is skipped."""
    notebook = nbformat.read(path, as_version=4)
    if any(PLACEHOLDER in c.source for c in notebook.cells):
        pytest.skip(f"{path.name} is still a placeholder")
    return notebook


def _headings(notebook: nbformat.NotebookNode) -> list[tuple[int, int, str]]:
    """(cell index, level, text) of every markdown heading, outside code blocks."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            if line.startswith("```"):
                fenced = not fenced
            match = None if fenced else re.match(r"(#{1,6})\s+(.*)", line)
            if match:
                found.append((index, len(match.group(1)), match.group(2).strip()))
    return found


def _is_checked(cell: nbformat.NotebookNode) -> bool:
    tags = set(cell.metadata.get("tags", ()))
    return not (tags & UNCHECKED_TAGS) and not any(m in cell.source for m in UNCHECKED_COMMENTS)


def _name(path: Path) -> str:
    return path.stem


def test_every_lesson_is_a_pair():
    assert LESSON_TEXTS, "no lessons found"
    for folder in (ROOT / "lessons", ROOT / "lessons" / "deeper"):
        texts = sorted(p.stem for p in folder.glob("*.py"))
        notebooks = sorted(p.stem for p in folder.glob("*.ipynb"))
        assert texts == notebooks, f"each {folder.name}/name.py needs its name.ipynb and the other way round"


@pytest.mark.parametrize("text_file", TEXT_FILES, ids=_name)
def test_notebook_cells_match_the_text_file(text_file):
    notebook_file = text_file.with_suffix(".ipynb")
    assert notebook_file.exists(), f"{notebook_file.name} is missing: {RERUN.format(text_file.relative_to(ROOT))}"
    notebook, text = jupytext.read(notebook_file), jupytext.read(text_file)
    ours, theirs = _cells(notebook), _cells(text)
    for number, (a, b) in enumerate(zip(ours, theirs, strict=False), start=1):
        assert a == b, (
            f"cell {number} of {notebook_file.name} differs from {text_file.name}: "
            f"{RERUN.format(text_file.relative_to(ROOT))}\nnotebook: {a!r}\ntext:     {b!r}"
        )
    assert len(ours) == len(theirs), f"{notebook_file.name} has {len(ours)} cells, {text_file.name} {len(theirs)}"


BOOK_CODE_WIDTH = 88  # what the book's code blocks show without scrolling sideways


@pytest.mark.parametrize("text_file", TEXT_FILES, ids=_name)
def test_code_lines_fit_the_page(text_file):
    notebook = jupytext.read(text_file)
    long = [
        line
        for cell in notebook.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if len(line) > BOOK_CODE_WIDTH
    ]
    assert not long, f"{text_file.name}: {len(long)} code lines over {BOOK_CODE_WIDTH} characters: {long[:3]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_outputs_come_from_one_clean_run(path):
    notebook = _written(path)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{path.name} was not run top to bottom in one kernel (execution counts {counts}): "
        + RERUN.format(path.with_suffix(".py").relative_to(ROOT))
    )
    assert sum(len(c.outputs) for c in code) >= len(code) // 2, f"{path.name} holds few outputs"
    assert output_problems(notebook) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_widget_state_is_stored_for_every_widget_shown(path):
    notebook = _written(path)
    shown = [
        o["data"][WIDGET_VIEW]["model_id"]
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if WIDGET_VIEW in o.get("data", {})
    ]
    assert shown or path not in LESSONS, f"{path.name} displays no widget"
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    missing = [m for m in shown if m not in state]
    assert not missing, f"{path.name}: no stored state for widgets {missing}: the book could not draw them"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_at_least_half_of_the_output_cells_are_checked(path):
    notebook = _written(path)
    with_output = [c for c in notebook.cells if c.cell_type == "code" and c.outputs]
    checked = [c for c in with_output if _is_checked(c)]
    assert with_output, f"{path.name} has no outputs"
    assert 2 * len(checked) >= len(with_output), (
        f"{path.name}: only {len(checked)} of {len(with_output)} code cells with output are checked by nbval"
    )


def _asserts(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and any(line.lstrip().startswith("assert ") for line in cell.source.splitlines())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_the_claims_are_checked_out_of_the_readers_way(path):
    """Every page asserts its claims, in cells nbval runs and the book leaves out."""
    notebook = _written(path)
    asserting = [c for c in notebook.cells if _asserts(c)]
    assert asserting, f"{path.name} asserts none of its claims"
    shown = [c.source.splitlines()[0] for c in asserting if not CHECK_TAGS & set(c.metadata.get("tags", ()))]
    assert not shown, f"{path.name}: cells that assert must be tagged remove-cell (or remove-input): {shown[:3]}"
    skipped = [c for c in asserting if "nbval-skip" in c.metadata.get("tags", ()) or "# NBVAL_SKIP" in c.source]
    assert not skipped, f"{path.name}: a check that nbval skips checks nothing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_the_reader_meets_the_course_not_its_machinery(path):
    """No visible assert, and no word about the tests, in what the book shows."""
    from tools.lesson_stats import notebook_stats

    stats = notebook_stats(path)
    assert stats.asserts == 0, f"{path.name}: {stats.asserts} assert lines in cells the book shows"
    assert not stats.machinery, f"{path.name}: the prose speaks of the tests: {sorted(set(stats.machinery))}"


@pytest.mark.parametrize("path", LESSONS, ids=_name)
def test_a_lesson_is_one_sitting(path):
    """Prose, visible code, a concept diagram and glossary links within a lesson's limits."""
    from tools.lesson_stats import notebook_stats

    problems = notebook_stats(path).problems()
    assert not problems, f"{path.name}: {'; '.join(problems)}"


def test_the_lessons_together_are_a_short_course():
    from tools.lesson_stats import MAX_TOTAL_WORDS, notebook_stats

    total = sum(notebook_stats(path).words for path in LESSONS)
    assert total <= MAX_TOTAL_WORDS, f"the seven lessons hold {total} words of prose (at most {MAX_TOTAL_WORDS})"


@pytest.mark.parametrize("path", [p.with_suffix(".ipynb") for p in DEEPER_TEXTS], ids=_name)
def test_every_deeper_page_is_linked_from_a_lesson(path):
    texts = " ".join(p.read_text(encoding="utf-8") for p in LESSON_TEXTS)
    assert f"deeper/{path.stem}" in texts, f"no lesson links {path.name} (a 'Going deeper' link where it branches)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_lesson_has_objectives_exercises_and_summary(path):
    notebook = _written(path)
    headings = _headings(notebook)
    texts = [t.lower() for _, _, t in headings]
    assert headings and headings[0][1] == 1, f"{path.name} must open with a title"
    top = " ".join(c.source.lower() for c in notebook.cells[:3] if c.cell_type == "markdown")
    assert "learning objectives" in top, f"{path.name}: learning objectives belong at the top"
    level_two = [t for _, level, t in headings if level == 2]
    assert level_two[-1].lower() == "summary", f"{path.name} must end with a 'Summary' section"
    if path not in LESSONS:
        return  # a deeper page: objectives and a summary; exercises where they help
    assert "exercises" in texts, f"{path.name} has no 'Exercises' section"
    start = next(i for i, _, t in headings if t.lower() == "exercises")
    cells = notebook.cells
    exercises = [c for c in cells[start:] if c.cell_type == "markdown" and ":::{exercise}" in c.source]
    assert len(exercises) >= 2, f"{path.name} has {len(exercises)} exercises, not two or more"
    solutions = [c for c in cells if c.cell_type == "markdown" and "```{solution}" in c.source]
    assert len(solutions) >= len(exercises), f"{path.name}: every exercise needs a solution"
    for cell in solutions:
        assert ":class: dropdown" in cell.source, f"{path.name}: a solution must be hidden (a dropdown)"
    # A solution's code follows it, tagged as a solution's (the student edition leaves it
    # out) and hidden in the book (code and output) until asked for.
    for index, cell in enumerate(cells[:-1]):
        if cell in solutions and cells[index + 1].cell_type == "code":
            tags = cells[index + 1].metadata.get("tags", [])
            assert {"solution", "hide-cell"} <= set(tags), f"{path.name}: a solution's code needs solution, hide-cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_dollar_signs_in_markdown_open_and_close_maths(path):
    """An odd number of unescaped ``$`` in a cell means a literal dollar turned into maths."""
    notebook = _written(path)
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"```.*?```", "", cell.source, flags=re.DOTALL)
        text = re.sub(r"`[^`]*`", "", text)
        dollars = len(re.findall(r"(?<!\\)\$", text))
        assert dollars % 2 == 0, f"{path.name}: write a literal dollar as \\$ in:\n{cell.source[:300]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_lesson_seeds_once_at_the_top(path):
    notebook = _written(path)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    first = next(c.source for c in notebook.cells if c.cell_type == "code")
    if "np.random.default_rng(" in code:
        assert "np.random.default_rng(" in first, f"{path.name}: make the generator in the first code cell"
    if "quiet_tensorflow" in code:
        assert "tf.random.set_seed(" in first, f"{path.name}: seed TensorFlow in the first code cell"
    assert "import tensorflow" not in code, f"{path.name}: use bands2vec_lib.quiet_tensorflow()"


def test_output_problems_finds_what_a_reader_must_not_see():
    check = output_problems
    clean = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    clean.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    assert check(clean) == []
    for output in [
        nbformat.v4.new_output("stream", name="stderr", text="careful\n"),
        nbformat.v4.new_output("stream", name="stdout", text="I0000 00:00:17.1 port.cc:153] oneDNN custom\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "[<matplotlib.lines.Line2D at 0x7f>]"}),
        nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=[]),
    ]:
        noisy = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
        noisy.cells[0].outputs = [output]
        assert check(noisy), f"not caught: {output}"
    figure = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("plt.show()")])
    figure.cells[0].outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": "iVBO", "text/plain": "<Figure size 640x480>"})
    ]
    assert check(figure) == []


def _library_imports(path: Path) -> set[str]:
    """The names a lesson imports from ``bands2vec_lib`` (plots and widgets left out)."""
    text = path.read_text(encoding="utf-8")
    names = set()
    for module, body in re.findall(r"^from (bands2vec_lib[\w.]*) import (\([^)]*\)|[^\n]*)", text, re.MULTILINE):
        if module.split(".")[-1] in {"plots", "widgets"}:
            continue
        names |= {n.strip() for n in body.strip("()").split(",") if n.strip()}
    return names


def test_lesson_3_stands_on_lessons_1_and_2():
    """Lesson 3 uses nothing that only lessons 4 to 7 teach (their pairs, training, metrics)."""
    by_number = {int(p.name[:2]): _library_imports(p) for p in LESSON_TEXTS}
    earlier = by_number[1] | by_number[2]
    later = set().union(*(by_number[n] for n in range(4, 8))) - earlier
    assert later, "lessons 4 to 7 should import something lessons 1 and 2 do not"
    assert not by_number[3] & later, f"lesson 3 leans on later lessons: {sorted(by_number[3] & later)}"
