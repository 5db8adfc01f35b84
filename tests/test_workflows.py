"""The GitHub workflow runs what is tested here: the library's tests on each supported
platform and Python, installed the way tools/install installs them."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml
from test_lock import PLATFORMS, PYTHONS

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())


def pip_installs(lines: list[str]) -> list[list[str]]:
    """The arguments after ``pip install`` of each line, without the options that only
    change what pip prints or caches."""
    quiet = {"--quiet", "--no-cache-dir"}
    out = []
    for line in lines:
        if "pip install" in line and not line.lstrip().startswith("#"):
            words = shlex.split(line)
            out.append([w for w in words[words.index("install") + 1 :] if w not in quiet])
    return out


def test_the_library_runs_on_every_platform_and_python():
    job = WORKFLOW["jobs"]["library"]
    matrix = job["strategy"]["matrix"]
    assert job["strategy"]["fail-fast"] is False
    systems = sorted(os.split("-")[0] for os in matrix["os"])
    assert systems == ["macos", "ubuntu", "windows"] and len(systems) == len(PLATFORMS)
    assert matrix["python"] == list(PYTHONS)


def test_the_workflow_installs_as_tools_install_does():
    steps = WORKFLOW["jobs"]["library"]["steps"]
    workflow = pip_installs([line for step in steps for line in step.get("run", "").splitlines()])
    script = pip_installs((ROOT / "tools" / "install").read_text().splitlines())
    assert workflow == script == [["--require-hashes", "-r", "requirements.lock"],
                                  ["--no-deps", "--no-build-isolation", "-e", "."]]  # fmt: skip
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache-dependency-path"] == "requirements.lock"
