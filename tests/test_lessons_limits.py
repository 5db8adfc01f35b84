"""Every lesson runs within Binder's memory limit, and on the real data when it is there.

Each lesson is executed from its stored notebook in a fresh kernel (outputs are not
compared: nbval does that on the sample), while a watchdog kills the kernel if it and its
children together hold more than 2 GB, the memory a Binder session gets. Where
``../shared/data/pitchfork`` exists, the lessons run on the real data
(``BANDS2VEC_DATA`` pointing at its ``database.sqlite``), the larger workload; elsewhere
on the embedded sample, so the memory cap is tested either way.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import nbformat
import psutil
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
REAL_DATA = ROOT.parent / "shared" / "data" / "pitchfork" / "database.sqlite"
BINDER_MEMORY = 2 * 1024**3
CELL_TIMEOUT = 600


class MemoryWatchdog(threading.Thread):
    """Polls a process tree's resident memory; kills the tree when it passes ``limit``."""

    def __init__(self, pid: int, limit: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.limit, self.interval = pid, limit, interval
        self.peak = 0
        self.killed = False
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._halt.wait(self.interval):
            try:
                procs = [root, *root.children(recursive=True)]
                rss = sum(p.memory_info().rss for p in procs)
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, rss)
            if rss > self.limit:
                self.killed = True
                for p in procs:
                    p.kill()
                return

    def stop(self) -> None:
        self._halt.set()


def execute_capped(path: Path, env: dict[str, str], workdir: Path, limit: int = BINDER_MEMORY) -> int:
    """Run a notebook in a fresh kernel under a memory cap; return the peak memory in bytes.

    The kernel runs in ``workdir``, so what a lesson saves (its ``artifacts/``) stays there.
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})  # fmt: skip
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits this process's environment
    try:
        with client.setup_kernel():
            watchdog = MemoryWatchdog(client.km.provisioner.process.pid, limit)
            watchdog.start()
            try:
                client.execute(cleanup_kc=False)
            except (CellExecutionError, DeadKernelError) as e:
                if watchdog.killed:
                    pytest.fail(f"{path.name} went over {limit / 1024**3:.1f} GB and was stopped")
                raise AssertionError(f"{path.name} failed: {str(e).splitlines()[0:3]}") from None
            finally:
                watchdog.stop()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert not watchdog.killed
    return watchdog.peak


def test_watchdog_stops_a_process_over_its_limit() -> None:
    """The cap is real: a process that allocates past the limit is killed."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "import time; x = bytearray(400 * 2**20); time.sleep(30)"])
    watchdog = MemoryWatchdog(proc.pid, limit=200 * 2**20, interval=0.05)
    watchdog.start()
    proc.wait(timeout=20)
    watchdog.join(timeout=5)
    assert watchdog.killed and proc.returncode != 0


@pytest.fixture(scope="module")
def lessons_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One working folder for all lessons, so lesson 6 and 7 reuse lesson 5's vectors,
    with the lessons' ``data/`` folder beside them, as in the repository."""
    workdir = tmp_path_factory.getbasetemp() / "lessons"
    workdir.mkdir(exist_ok=True)
    shutil.copytree(ROOT / "lessons" / "data", workdir / "data", dirs_exist_ok=True)
    return workdir


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_under_binder_memory_limit(lesson: Path, lessons_workdir: Path) -> None:
    env = {"BANDS2VEC_DATA": str(REAL_DATA)} if REAL_DATA.is_file() else {"BANDS2VEC_DATA": ""}
    peak = execute_capped(lesson, env, workdir=lessons_workdir)
    data = "real data" if REAL_DATA.is_file() else "sample (no ../shared/data/pitchfork here)"
    print(f"{lesson.stem}: peak {peak / 1024**2:.0f} MB on the {data}")
    assert 0 < peak < BINDER_MEMORY
