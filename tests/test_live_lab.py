"""The Binder path: every lesson run live in JupyterLab in Chromium, every control moved.

A copy of the repository's tracked files (what Binder clones) is served by the installed
JupyterLab, started through the ``start`` script as Binder starts it. For each lesson the
browser opens the notebook, restarts the kernel and runs all cells from the Kernel menu,
and then checks what a learner sees: no cell error, every code cell run, every widget
drawn (none left "Loading widget..." or "Error displaying widget"), no console error; and
every slider (arrow keys on its handle) and menu (an option picked), moved one setting at
a time, changes the images or text it drives.
Screenshots of each lesson's first control before and after its first move go to
``_build/screenshots/live/``.

Without Chromium the test is skipped, except on CI, where it fails.
``test_binder_environment.py`` checks the environment the server runs in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import need_chromium

from benchmarks import live

ROOT = Path(__file__).resolve().parents[1]

LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
SCREENSHOTS = ROOT / "_build" / "screenshots" / "live"


def _need_chromium() -> None:
    need_chromium()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[live.Lab]:
    _need_chromium()
    with live.Lab(tmp_path_factory.mktemp("binder")) as server:
        yield server


@pytest.fixture(scope="module")
def driver(lab: live.Lab, tmp_path_factory: pytest.TempPathFactory):
    chrome = live.browser(tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.quit()


@pytest.mark.parametrize("lesson", LESSONS, ids=[Path(n).stem for n in LESSONS])
def test_lesson_runs_live_and_every_control_moves_its_output(lesson: str, lab: live.Lab, driver) -> None:
    run = live.run_lesson(driver, lab, f"lessons/{lesson}", screenshots=SCREENSHOTS)
    assert run.code_cells > 0, f"{lesson}: no code cell in the notebook"
    assert not run.problems(), f"{lesson}: " + "\n".join(run.problems())
    # every displayed control was moved (problems() holds any move that changed nothing)
    assert {m.control for m in run.moves} == set(range(run.widget_outputs)), f"{lesson}: a control was never moved"


def test_the_server_was_started_as_binder_starts_it(lab: live.Lab) -> None:
    """Binder runs ``start`` around the server: its environment reaches the kernels."""
    started = (lab.repo / "start").read_text()
    assert "OMP_WAIT_POLICY=PASSIVE" in started and 'exec "$@"' in started
    environ = (Path("/proc") / str(lab.process.pid) / "environ").read_bytes().split(b"\0")
    assert b"OMP_WAIT_POLICY=PASSIVE" in environ
    assert f"PYTHONPATH={lab.repo}".encode() in environ  # the kernels import the copy's library
    assert not (lab.repo / ".venv").exists() and (lab.repo / "lessons" / "data").is_dir()
