"""The course's budgets on a 2-core machine: every lesson and deeper page, the nbval run,
the book build.

Each page runs in a fresh kernel from an in-memory copy of its stored notebook (the files
are never rewritten), measured as every notebook of the course is (tools/notebooks.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tools.notebooks import ROOT, execute, pages  # noqa: F401 (pages: the benchmark's list)


@dataclass(frozen=True)
class Timed:
    """One budgeted run: what, how long, how much memory, and whether it went through."""

    name: str
    seconds: float
    peak_mib: float | None = None
    ok: bool = True
    detail: str = ""


def run_page(path: Path) -> Timed:
    """Execute a copy of one page in a fresh kernel; its wall time and peak memory."""
    import nbformat

    run = execute(nbformat.read(path, as_version=4), path.parent)
    return Timed(path.stem, run.seconds, run.peak_bytes / 2**20, run.ok, run.detail)


def run_nbval() -> Timed:
    """The whole ``pytest --nbval lessons/`` run, in a subprocess."""
    command = [sys.executable, "-m", "pytest", "--nbval", "lessons/", "-q", "-p", "no:cacheprovider"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=os.environ.copy())
    seconds = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    summary = lines[-1].strip("= ") if lines else done.stderr.strip()[-200:]
    return Timed("pytest --nbval lessons/", seconds, None, done.returncode == 0, summary)


def build_book() -> Timed:
    """``jupyter-book build`` from the stored outputs into a temporary folder (not ``_build``)."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory(prefix="bands2vec-book-") as out:
        command = [str(jupyter_book), "build", str(ROOT), "--path-output", out, "-W", "-n", "--keep-going", "--all"]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        built = (Path(out) / "_build" / "html" / "index.html").is_file()
    ok = done.returncode == 0 and built
    detail = "" if ok else _last_error(done.stdout + "\n" + done.stderr)
    return Timed("jupyter-book build", seconds, None, ok, detail)


def _last_error(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower() or "warning" in line.lower()]
    return (errors or lines or ["no output"])[-1][:200]
