"""The course's budgets on a 2-core machine: every lesson, the nbval run, the book build.

Each lesson runs in a fresh kernel from an in-memory copy of its stored notebook (the
files are never rewritten); a thread polls the kernel process and its children for their
resident memory, and the peak of their sum is the lesson's peak memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
LESSON_SECONDS = 90.0
LESSON_MIB = 1536.0  # 1.5 GB: Binder allows 2 GB
NBVAL_SECONDS = 300.0
BOOK_SECONDS = 60.0
CELL_TIMEOUT = 600


@dataclass(frozen=True)
class Timed:
    """One budgeted run: what, how long, how much memory, and whether it went through."""

    name: str
    seconds: float
    peak_mib: float | None = None
    ok: bool = True
    detail: str = ""


def lesson_notebooks() -> list[Path]:
    return sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))


def _hwm_mib(pid: int) -> float:
    """A process's own peak resident memory (VmHWM), in MiB; 0 if unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemoryPoller(threading.Thread):
    """Polls a process tree's total resident memory until stopped; keeps the maximum.

    ``find_pid`` is called until it returns a process id (the kernel starts later).
    """

    def __init__(self, find_pid, interval: float = 0.05):
        super().__init__(daemon=True)
        self.find_pid, self.interval = find_pid, interval
        self.peak_mib = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        import psutil

        process = None
        while not self._stop_event.is_set():
            try:
                if process is None:
                    pid = self.find_pid()
                    process = psutil.Process(pid) if pid else None
                if process is not None:
                    tree = [process, *process.children(recursive=True)]
                    total = 0
                    for p in tree:
                        try:
                            total += p.memory_info().rss
                        except psutil.Error:
                            pass
                    # The kernel's own high-water mark catches a spike between two polls.
                    self.peak_mib = max(self.peak_mib, total / 2**20, _hwm_mib(process.pid))
            except psutil.Error:
                pass
            self._stop_event.wait(self.interval)

    def stop(self) -> float:
        self._stop_event.set()
        self.join()
        return self.peak_mib


def _kernel_pid(client) -> int | None:
    km = getattr(client, "km", None)
    provisioner = getattr(km, "provisioner", None)
    return getattr(provisioner, "pid", None)


def run_lesson(path: Path) -> Timed:
    """Execute a copy of one lesson in a fresh kernel; its wall time and peak memory."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    poller = MemoryPoller(lambda: _kernel_pid(client))
    poller.start()
    start = time.perf_counter()
    ok, detail = True, ""
    try:
        client.execute()
    except Exception as e:  # a failing lesson is a finding, not a crash of the benchmark
        ok, detail = False, f"{type(e).__name__}: {str(e).strip().splitlines()[-1] if str(e).strip() else ''}"
    seconds = time.perf_counter() - start
    peak = poller.stop()
    return Timed(path.stem, seconds, peak, ok, detail)


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
