"""Re-execute lessons top to bottom from their Jupytext text files, storing the outputs.

    python tools/run_lessons.py                 # every lesson
    python tools/run_lessons.py lessons/03_*.py # some

Each ``lessons/NN_name.py`` (py:percent) becomes ``lessons/NN_name.ipynb`` with fresh
outputs from a new kernel, so stored outputs always come from a clean run. Widget state
is saved in the notebook so the HTML book can show the widgets without a kernel.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
TIMEOUT = 600  # per cell, seconds


def run(text_file: Path) -> Path:
    """Execute one lesson from its text file and write the paired notebook."""
    notebook = jupytext.read(text_file)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3",
    }  # fmt: skip
    client = NotebookClient(
        notebook, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(LESSONS)}},
        store_widget_state=True,
    )  # fmt: skip
    client.execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps would change on every run
    target = text_file.with_suffix(".ipynb")
    jupytext.write(notebook, target, fmt="ipynb")
    # Write the text file back in canonical form so the pair matches exactly.
    jupytext.write(notebook, text_file, fmt="py:percent")
    nbformat.validate(nbformat.read(target, as_version=4))
    return target


def main(argv: list[str]) -> int:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    files = [Path(a) for a in argv] or sorted(LESSONS.glob("[0-9][0-9]_*.py"))
    for file in files:
        start = time.perf_counter()
        target = run(file.resolve())
        print(f"{target.relative_to(ROOT)}: executed in {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
