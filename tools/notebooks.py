"""One way to run a course notebook and measure it, used by the tools, the benchmarks and
the tests: the budgets, the pages, a fresh kernel, its wall time and its peak memory.

    from tools.notebooks import execute, pages
    run = execute(nbformat.read(path, as_version=4), path.parent)
    run.seconds, run.peak_bytes, run.ok

The peak is that of the kernel and its children together, polled while the notebook runs,
with the kernel's own high-water mark (Linux ``VmHWM``) to catch a spike between two polls.
Given ``kill_above``, the watch stops the kernel when the tree holds more: Binder's cap.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
# The course's budgets on a 2-core machine (Binder's and CI's).
PAGE_SECONDS = 90.0  # each lesson and deeper page, run top to bottom
PAGE_BYTES = 1.5e9  # its peak memory
SECONDS_BY_PAGE = {"06_tsne": 60.0}  # tighter where a page promises more
BINDER_BYTES = 2 * 1024**3  # what a Binder session gets: over it, the kernel is killed
NBVAL_SECONDS = 300.0  # the whole `pytest --nbval lessons/`
BOOK_SECONDS = 60.0  # `jupyter-book build` from the stored outputs
CELL_TIMEOUT = 600  # seconds for one cell: a hang, not a budget

# Text that must not appear in a stored output: TensorFlow/absl log lines and reprs.
NOISE = re.compile(
    r"WARNING|^[IWEF]\d{4} |oneDNN|TF_CPP|tensorflow/core|"
    r"<Figure size|<matplotlib\.|<keras\.|<tensorflow\.| object at 0x",
    re.MULTILINE,
)


def pages() -> list[Path]:
    """Every page's notebook: the lessons in order, then the deeper pages."""
    return sorted(LESSONS.glob("[0-9][0-9]_*.ipynb")) + sorted((LESSONS / "deeper").glob("*.ipynb"))


def seconds_budget(page: Path) -> float:
    """The time a page may take."""
    return SECONDS_BY_PAGE.get(page.stem, PAGE_SECONDS)


@dataclass(frozen=True)
class Run:
    """One execution: how long, how much memory at most, and whether it went through."""

    seconds: float
    peak_bytes: int
    ok: bool = True
    detail: str = ""
    killed: bool = False

    def within(self, page: Path) -> bool:
        """Whether it went through within the page's time and memory budgets."""
        return self.ok and self.seconds < seconds_budget(page) and self.peak_bytes < PAGE_BYTES


class MemoryWatch(threading.Thread):
    """Polls a process tree's resident memory until stopped and keeps its peak; kills the
    tree when it passes ``kill_above`` (if given). ``find_pid`` is called until it gives
    a process id: the kernel starts after the watch."""

    def __init__(self, find_pid, kill_above: float | None = None, interval: float = 0.05):
        super().__init__(daemon=True)
        self.find_pid, self.kill_above, self.interval = find_pid, kill_above, interval
        self.peak = 0
        self.killed = False
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil

        process, halted = None, False
        while not halted:  # one last look after the halt: a short run is still measured
            halted = self._halt.wait(self.interval)
            try:
                if process is None:
                    pid = self.find_pid()
                    process = psutil.Process(pid) if pid else None
                if process is None:
                    continue
                tree = [process, *process.children(recursive=True)]
                total = sum(_rss(p) for p in tree)
                self.peak = max(self.peak, total, high_water_mark(process.pid))
                if self.kill_above is not None and total > self.kill_above:
                    self.killed = True
                    for p in tree:
                        p.kill()
                    return
            except psutil.Error:
                pass

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


def _rss(process) -> int:
    import psutil

    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0


def high_water_mark(pid: int | None = None) -> int:
    """A process's own peak resident memory in bytes (Linux ``VmHWM``; this process by
    default); 0 where the system does not say."""
    try:
        status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    except (OSError, TypeError):
        return 0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) * 1024 if found else 0


@contextmanager
def _environment(env: dict[str, str] | None):
    """``env`` set for the kernels started inside (they inherit this process's)."""
    old = {k: os.environ.get(k) for k in env or {}}
    os.environ.update(env or {})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute(
    notebook: nbformat.NotebookNode,
    folder: Path,
    *,
    store_widget_state: bool = False,
    kill_above: float | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``notebook`` (in place) top to bottom in a fresh kernel working in ``folder``.

    A failing cell is a finding, not a crash: ``ok`` is False and ``detail`` says why.
    """
    from nbclient import NotebookClient

    client = NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
        store_widget_state=store_widget_state,
    )
    watch = MemoryWatch(lambda: getattr(getattr(client.km, "provisioner", None), "pid", None), kill_above)
    ok, detail = True, ""
    with _environment({"OMP_WAIT_POLICY": "PASSIVE", **(env or {})}):
        watch.start()
        start = time.perf_counter()
        try:
            client.execute()
        except Exception as e:  # noqa: BLE001 -- the notebook's own error, reported
            ok, detail = False, _failure(e)
        seconds = time.perf_counter() - start
    peak = watch.stop()
    if watch.killed:
        ok, detail = False, f"stopped at {kill_above / 1024**3:.1f} GB"
    return Run(seconds, peak, ok, detail, watch.killed)


def _failure(error: Exception) -> str:
    """One line on a failed run: the error, and the line of the notebook that raised it."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    raising = [line for line in lines if line.startswith("---->") or line.startswith("assert ")]
    where = f" at {raising[-1].lstrip('-> ')[:160]}" if raising else ""
    return f"{type(error).__name__}: {lines[-1] if lines else ''}{where}"


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
