"""Binder, CI and the Makefile install the same thing: requirements.lock, made from the
versions pinned in pyproject.toml.

``environment.yml`` gives Binder Python and pip only; ``postBuild`` runs ``tools/install``,
exactly as ``make install`` does. These tests keep the files in agreement; tests/test_lock.py
keeps the lock in agreement with the pins and with the running environment.
"""

from __future__ import annotations

import os
import shlex
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ENVIRONMENT = yaml.safe_load((ROOT / "environment.yml").read_text())
POSTBUILD = ROOT / "postBuild"


def requirements() -> list[Requirement]:
    """Every requirement of the package: its dependencies and all its extras."""
    project = PYPROJECT["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    return [Requirement(line) for line in lines]


def conda_python() -> str:
    """The version in environment.yml's ``python=X.Y`` entry."""
    entries = [d for d in ENVIRONMENT["dependencies"] if isinstance(d, str) and d.split("=")[0] == "python"]
    assert len(entries) == 1, f"environment.yml must name python once: {entries}"
    return entries[0].split("=", 1)[1]


def test_environment_python_is_the_oldest_pyproject_allows():
    """Binder runs the oldest Python the course supports, the one its stored outputs come from."""
    required = SpecifierSet(PYPROJECT["project"]["requires-python"])
    python = conda_python()  # "3.11": a minor series, as conda reads it
    allowed = [f"3.{m}" for m in range(6, 20) if required.contains(f"3.{m}.0")]
    assert allowed and python == allowed[0], f"requires-python {required}: {allowed}; environment.yml: {python}"
    assert required.contains(f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}")


def test_environment_installs_nothing_but_python_and_pip():
    """Any other package there would be a second, unpinned source of versions."""
    names = sorted(d.split("=")[0] if isinstance(d, str) else next(iter(d)) for d in ENVIRONMENT["dependencies"])
    assert names == ["pip", "python"], names


def install_commands(text: str) -> list[list[str]]:
    """The lines of a script or a Makefile that run tools/install, as words."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return [shlex.split(line) for line in lines if "tools/install" in line]


def test_binder_and_the_makefile_install_the_same_way():
    assert os.access(POSTBUILD, os.X_OK), "postBuild must be executable for repo2docker to run it"
    assert os.access(ROOT / "tools" / "install", os.X_OK)
    postbuild = [line for line in POSTBUILD.read_text().splitlines() if line and not line.startswith(("#", "set "))]
    # Binder's image keeps no pip cache; otherwise postBuild only runs tools/install.
    assert postbuild == ["export PIP_NO_CACHE_DIR=1", "tools/install"], f"postBuild: {postbuild}"
    assert install_commands((ROOT / "Makefile").read_text()) == [["tools/install", "$(BIN)/python"]]
    script = (ROOT / "tools" / "install").read_text()
    assert "--require-hashes -r requirements.lock" in script and "--no-deps" in script


def test_every_dependency_is_pinned_exactly():
    loose = [str(r) for r in requirements() if len(r.specifier) != 1 or next(iter(r.specifier)).operator != "=="]
    assert not loose, f"pin with == in pyproject.toml: {loose}"
    wildcards = [str(r) for r in requirements() if "*" in str(r.specifier)]
    assert not wildcards, wildcards
