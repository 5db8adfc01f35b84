"""Every lesson and deeper page runs within Binder's memory limit, and on the real data
when it is there.

Each page is executed from its stored notebook in a fresh kernel (outputs are not
compared: nbval does that on the sample), while the watch of tools/notebooks.py kills the
kernel if it and its children together hold more than 2 GB, the memory a Binder session
gets. Where ``../shared/data/pitchfork`` exists, the pages run on the real data
(``BANDS2VEC_DATA`` pointing at its ``database.sqlite``), the larger workload; elsewhere
on the embedded sample, so the memory cap is tested either way.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REAL_DB

from tools.notebooks import BINDER_BYTES, ROOT, MemoryWatch, execute, pages

PAGES = pages()


def test_the_watch_stops_a_process_over_its_limit() -> None:
    """The cap is real: a process that allocates past the limit is killed."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; x = bytearray(400 * 2**20); time.sleep(30)"])
    watch = MemoryWatch(lambda: proc.pid, kill_above=200 * 2**20, interval=0.05)
    watch.start()
    proc.wait(timeout=20)
    watch.join(timeout=5)
    assert watch.killed and proc.returncode != 0


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the lessons' folders with their data, so that lessons 6 and 7 reuse lesson
    5's vectors and what a page saves stays out of the repository."""
    folder = tmp_path_factory.getbasetemp() / "lessons"
    folder.mkdir(exist_ok=True)
    shutil.copytree(ROOT / "lessons" / "data", folder / "data", dirs_exist_ok=True)
    (folder / "deeper").mkdir(exist_ok=True)
    return folder


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_runs_under_binder_memory_limit(page: Path, workdir: Path) -> None:
    env = {"BANDS2VEC_DATA": str(REAL_DB) if REAL_DB.is_file() else ""}
    folder = workdir / page.parent.relative_to(ROOT / "lessons")
    run = execute(nbformat.read(page, as_version=4), folder, kill_above=BINDER_BYTES, env=env)
    data = "real data" if REAL_DB.is_file() else "sample (no ../shared/data/pitchfork here)"
    print(f"{page.stem}: peak {run.peak_bytes / 2**20:.0f} MB on the {data}")
    assert not run.killed, f"{page.name} went over {BINDER_BYTES / 1024**3:.1f} GB and was stopped"
    assert run.ok, f"{page.name} failed on the {data}: {run.detail}"
    assert 0 < run.peak_bytes < BINDER_BYTES
