"""Re-execute lessons top to bottom from their Jupytext text files, storing the outputs.

    python -m tools.run_lessons                         # every lesson and deeper page
    python -m tools.run_lessons lessons/03_*.py         # some

Each ``lessons/NN_name.py`` (py:percent; and each ``lessons/deeper/name.py``) becomes its
``.ipynb`` with fresh outputs from a new kernel, so stored outputs always come from a clean
run. Widget state is saved in the notebook so the HTML book can show the widgets without a
kernel.

For each page it prints the run time and the kernel's peak memory against the budgets
(tools/notebooks.py), and it fails (exit status 1, after writing the notebook so that you
can look at it) when a cell fails or an output holds what a reader must never see: a
stream on stderr, TensorFlow's log lines, or a bare object repr such as ``<Figure ...>``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import jupytext
import nbformat

from tools.notebooks import LESSONS, PAGE_BYTES, ROOT, execute, output_problems, seconds_budget, stable_ids


def run(text_file: Path):
    """Execute one page from its text file and write the paired notebook.

    Returns the notebook's path, the :class:`~tools.notebooks.Run` and the problems in its outputs.
    """
    notebook = jupytext.read(text_file)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3",
    }  # fmt: skip
    result = execute(notebook, text_file.parent, store_widget_state=True)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps would change on every run
    stable_ids(notebook)
    target = text_file.with_suffix(".ipynb")
    jupytext.write(notebook, target, fmt="ipynb")
    # Write the text file back in canonical form so the pair matches exactly.
    jupytext.write(notebook, text_file, fmt="py:percent")
    nbformat.validate(nbformat.read(target, as_version=4))
    problems = ([] if result.ok else [result.detail]) + output_problems(notebook)
    return target, result, problems


def main(argv: list[str]) -> int:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    files = [Path(a) for a in argv] or sorted(LESSONS.glob("[0-9][0-9]_*.py"))
    files = files if argv else files + sorted((LESSONS / "deeper").glob("*.py"))
    status = 0
    for file in files:
        target, result, problems = run(file.resolve())
        budget = seconds_budget(target)
        over = [f"over {budget:.0f} s"] if result.seconds > budget else []
        over += [f"over {PAGE_BYTES / 1e9:.1f} GB"] if result.peak_bytes > PAGE_BYTES else []
        note = f"  (OVER BUDGET: {', '.join(over)})" if over else ""
        print(f"{target.relative_to(ROOT)}: {result.seconds:.1f} s, kernel peak {result.peak_bytes / 1e9:.2f} GB{note}",
              flush=True)  # fmt: skip
        for problem in problems:
            print(f"  {target.name}: {problem}", file=sys.stderr)
        status = status or (1 if problems else 0)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
