"""Re-execute lessons top to bottom from their Jupytext text files, storing the outputs.

    python tools/run_lessons.py                 # every lesson
    python tools/run_lessons.py lessons/03_*.py # some

Each ``lessons/NN_name.py`` (py:percent) becomes ``lessons/NN_name.ipynb`` with fresh
outputs from a new kernel, so stored outputs always come from a clean run. Widget state
is saved in the notebook so the HTML book can show the widgets without a kernel.

For each lesson it prints the run time and the kernel's peak memory against the budgets
(90 s, 1.5 GB), and it fails (exit status 1, after writing the notebook so that you can
look at it) when an output holds what a reader must never see: an error, a stream on
stderr, TensorFlow's log lines, or a bare object repr such as ``<Figure ...>``.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
TIMEOUT = 600  # per cell, seconds
BUDGET_SECONDS = 90.0
BUDGET_BYTES = 1.5e9

# Text that must not appear in a stored output: TensorFlow/absl log lines and reprs.
NOISE = re.compile(
    r"WARNING|^[IWEF]\d{4} |oneDNN|TF_CPP|tensorflow/core|"
    r"<Figure size|<matplotlib\.|<keras\.|<tensorflow\.| object at 0x",
    re.MULTILINE,
)


def output_problems(notebook: nbformat.NotebookNode) -> list[str]:
    """What a reader must never see in a notebook's outputs, one line per problem.

    A figure's ``text/plain`` fallback (``<Figure size ...>`` next to its PNG) is fine: the
    book shows the image. A ``text/plain`` that stands alone is what the reader sees.
    """
    problems = []
    code_cells = (c for c in notebook.cells if c.cell_type == "code")
    for number, cell in enumerate(code_cells, start=1):
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                problems.append(f"code cell {number}: {output.get('ename')}: {output.get('evalue')}")
            elif kind == "stream" and output.get("name") == "stderr":
                problems.append(f"code cell {number}: writes to stderr: {output.get('text', '')[:200]!r}")
            texts = [output.get("text", "")] if kind == "stream" else []
            data = output.get("data", {})
            if "text/plain" in data and len(data) == 1:
                texts.append(data["text/plain"])
            for text in texts:
                found = NOISE.search(text)
                if found:
                    problems.append(f"code cell {number}: {found.group(0)!r} in {text[:200]!r}")
    return problems


def stable_ids(notebook: nbformat.NotebookNode) -> None:
    """Give each cell an id derived from its content, so that re-running a lesson changes
    only what changed (Jupytext draws random ids when it reads a text file)."""
    seen: dict[str, int] = {}
    for cell in notebook.cells:
        digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
        seen[digest] = seen.get(digest, 0) + 1
        cell.id = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def _peak_rss(pid: int | None) -> int | None:
    """The peak resident memory of a live process in bytes (Linux ``VmHWM``), if known."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (OSError, TypeError):
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) * 1024 if found else None


def run(text_file: Path) -> tuple[Path, float, int | None, list[str]]:
    """Execute one lesson from its text file and write the paired notebook.

    Returns the notebook's path, the seconds the run took, the kernel's peak memory in
    bytes (``None`` where the system does not say) and the problems in its outputs.
    """
    notebook = jupytext.read(text_file)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3",
    }  # fmt: skip
    peak: list[int] = []

    def measure(**_: object) -> None:
        # VmHWM only grows, so the value read after the last cell is the kernel's peak.
        provisioner = getattr(client.km, "provisioner", None)
        value = _peak_rss(getattr(provisioner, "pid", None))
        if value is not None:
            peak.append(value)

    client = NotebookClient(
        notebook, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(text_file.parent)}},
        store_widget_state=True, on_cell_executed=measure,
    )  # fmt: skip
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps would change on every run
    stable_ids(notebook)
    target = text_file.with_suffix(".ipynb")
    jupytext.write(notebook, target, fmt="ipynb")
    # Write the text file back in canonical form so the pair matches exactly.
    jupytext.write(notebook, text_file, fmt="py:percent")
    nbformat.validate(nbformat.read(target, as_version=4))
    return target, seconds, (max(peak) if peak else None), output_problems(notebook)


def main(argv: list[str]) -> int:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # the kernels inherit it
    files = [Path(a) for a in argv] or sorted(LESSONS.glob("[0-9][0-9]_*.py"))
    files = files if argv else files + sorted((LESSONS / "deeper").glob("*.py"))
    status = 0
    for file in files:
        target, seconds, peak, problems = run(file.resolve())
        memory = "peak memory unknown" if peak is None else f"kernel peak {peak / 1e9:.2f} GB"
        over = [f"over {BUDGET_SECONDS:.0f} s"] if seconds > BUDGET_SECONDS else []
        over += [f"over {BUDGET_BYTES / 1e9:.1f} GB"] if peak is not None and peak > BUDGET_BYTES else []
        note = f"  (OVER BUDGET: {', '.join(over)})" if over else ""
        print(f"{target.relative_to(ROOT)}: {seconds:.1f} s, {memory}{note}", flush=True)
        for problem in problems:
            print(f"  {target.name}: {problem}", file=sys.stderr)
        status = status or (1 if problems else 0)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
