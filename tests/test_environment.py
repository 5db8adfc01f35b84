"""Binder, CI and the Makefile install the same thing: the versions pinned in pyproject.toml.

``environment.yml`` gives Binder Python and pip only; ``postBuild`` installs the package
with its ``course`` extra, exactly as ``make install`` does. These tests keep the three
files in agreement, and the running environment in agreement with the pins.
"""

from __future__ import annotations

import os
import shlex
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
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


def test_environment_python_is_the_one_pyproject_requires():
    required = SpecifierSet(PYPROJECT["project"]["requires-python"])
    python = conda_python()
    major, minor = (int(part) for part in python.split("."))  # "3.11": a minor series, as conda reads it
    allowed = {f"3.{m}" for m in range(6, 20) if required.contains(f"3.{m}.0")}
    assert allowed == {python}, f"requires-python {required} allows {sorted(allowed)}, environment.yml has {python}"
    assert required.contains(f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}")


def test_environment_installs_nothing_but_python_and_pip():
    """Any other package there would be a second, unpinned source of versions."""
    names = sorted(d.split("=")[0] if isinstance(d, str) else next(iter(d)) for d in ENVIRONMENT["dependencies"])
    assert names == ["pip", "python"], names


def test_postbuild_installs_exactly_the_course_extra():
    assert os.access(POSTBUILD, os.X_OK), "postBuild must be executable for repo2docker to run it"
    commands = [
        shlex.split(line)
        for line in POSTBUILD.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#") and not line.startswith("set ")
    ]
    installs = [c for c in commands if "pip" in c and "install" in c]
    assert installs == commands and len(installs) == 1, f"postBuild should only pip-install: {commands}"
    args = installs[0][installs[0].index("install") + 1 :]
    targets = [a for a in args if not a.startswith("-")]
    assert targets == [".[course]"], targets
    assert "-e" in args or "--editable" in args, "install the library editable, so lessons import the repository's copy"


def test_every_dependency_is_pinned_exactly():
    loose = [str(r) for r in requirements() if len(r.specifier) != 1 or next(iter(r.specifier)).operator != "=="]
    assert not loose, f"pin with == in pyproject.toml: {loose}"
    wildcards = [str(r) for r in requirements() if "*" in str(r.specifier)]
    assert not wildcards, wildcards


@pytest.mark.parametrize("requirement", requirements(), ids=lambda r: r.name)
def test_installed_version_is_the_pinned_one(requirement: Requirement):
    pinned = next(iter(requirement.specifier)).version
    try:
        installed = version(requirement.name)
    except PackageNotFoundError:
        pytest.fail(f"{requirement.name} is pinned but not installed: run `make install`")
    assert installed == pinned, f"{requirement.name} {installed} is installed, pyproject.toml pins {pinned}"
