"""requirements.lock, the one list of every package the course installs, checked three ways:
against pyproject.toml's pins (no network), against the environment the tests run in, and
against the package index for every platform and Python the course supports."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

import pytest
from conftest import skip_or_fail
from packaging.markers import Marker, default_environment
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from test_environment import requirements

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# The platforms the course supports: uv's name for each, and its environment markers.
PLATFORMS = {
    "linux-x86_64": ("x86_64-unknown-linux-gnu",
                     {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                      "platform_machine": "x86_64"}),
    "macos-arm64": ("aarch64-apple-darwin",
                    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
                     "platform_machine": "arm64"}),
    "windows-x86_64": ("x86_64-pc-windows-msvc",
                       {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                        "platform_machine": "AMD64"}),
}  # fmt: skip
PYTHONS = ("3.11", "3.13")  # the oldest and the newest the course supports
TARGETS = [(p, v) for p in PLATFORMS for v in PYTHONS]
# Installed by venv itself, not by the course: the lock leaves it out.
NOT_LOCKED = {"pip"}
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]*?))?\s*\\?$")


def read_lock(text: str) -> list[tuple[str, str, Marker | None]]:
    """(name, version, marker) for every entry of a requirements file written by uv."""
    entries = []
    for line in text.splitlines():
        match = ENTRY.match(line)
        if match:
            name, version, marker = match.groups()
            entries.append((canonicalize_name(name), version, Marker(marker) if marker else None))
    return entries


def environment(platform: str, python: str) -> dict[str, str]:
    """The marker environment of CPython ``python`` on ``platform``."""
    env = dict(default_environment())
    env.update(PLATFORMS[platform][1], python_version=python, python_full_version=f"{python}.0",
               implementation_name="cpython", platform_python_implementation="CPython")  # fmt: skip
    return env


def applies(marker: Marker | None, env: dict[str, str]) -> bool:
    return marker is None or marker.evaluate(env)


def locked_for(env: dict[str, str], entries=None) -> dict[str, str]:
    """The lock's versions for one environment: one per package."""
    chosen: dict[str, str] = {}
    for name, version, marker in entries if entries is not None else read_lock(LOCK.read_text()):
        if applies(marker, env):
            assert name not in chosen, f"the lock gives {name} twice for {env['sys_platform']}"
            chosen[name] = version
    return chosen


def test_read_lock_reads_markers():
    text = "a-b==1.0 ; sys_platform == 'darwin' \\\n    --hash=sha256:00\nc_d==2.1 \\\n    # via x\n"
    assert [(n, v, str(m) if m else None) for n, v, m in read_lock(text)] == [
        ("a-b", "1.0", 'sys_platform == "darwin"'),
        ("c-d", "2.1", None),
    ]


@pytest.mark.parametrize(("platform", "python"), TARGETS)
def test_the_lock_pins_what_pyproject_pins(platform, python):
    env = environment(platform, python)
    locked = locked_for(env)
    for requirement in requirements():
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"pyproject.toml pins every dependency exactly: {requirement}"
        name = canonicalize_name(requirement.name)
        if applies(requirement.marker, env):
            assert locked.get(name) == spec.version, (
                f"{platform}, Python {python}: pyproject.toml pins {requirement}, the lock has "
                f"{locked.get(name)}: run `make lock`"
            )
        else:
            assert name not in locked, f"{platform}, Python {python}: {name} is locked but not wanted"


def test_tensorflow_is_the_cpu_build_where_one_is_published():
    for platform, python in TARGETS:
        locked = locked_for(environment(platform, python))
        builds = {n for n in ("tensorflow", "tensorflow-cpu") if n in locked}
        assert builds == ({"tensorflow"} if platform.startswith("macos") else {"tensorflow-cpu"}), platform


def test_the_supported_pythons_agree():
    requires = SpecifierSet(PYPROJECT["project"]["requires-python"])
    makefile = (ROOT / "Makefile").read_text()
    supported = re.search(r"^SUPPORTED := (.+)$", makefile, re.M).group(1).split()
    assert sorted(supported) == ["3.11", "3.12", "3.13"]
    assert all(f"{v}.0" in requires for v in supported)
    assert "3.10.14" not in requires and "3.14.0" not in requires
    assert set(PYTHONS) <= set(supported)


def test_this_environment_is_the_lock():
    """What the tests run in was installed from the lock, and from nothing else."""
    installed = {}
    for dist in importlib.metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name not in NOT_LOCKED and name != "bands2vec":
            installed[name] = dist.version
    expected = locked_for(dict(default_environment()))
    missing = {n: v for n, v in expected.items() if installed.get(n) != v}
    extra = {n: v for n, v in installed.items() if n not in expected}
    assert not missing and not extra, (
        f"installed differs from the lock: not as locked {missing}, not locked {extra}; run tools/install"
    )


def _index_reachable() -> bool:
    try:
        with urllib.request.urlopen("https://pypi.org/simple/pip/", timeout=15):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def index():
    if not _index_reachable():
        skip_or_fail("PyPI cannot be reached", "CI must check the lock against it")


@pytest.mark.parametrize(("platform", "python"), TARGETS)
def test_the_lock_installs_on_every_platform(index, platform, python, tmp_path):
    """Resolve the lock for each platform from wheels alone, as pip would there: every
    locked package has a wheel for it, and nothing outside the lock is needed."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    assert uv, "uv is locked with the course: run tools/install"
    command = [uv, "pip", "compile", str(LOCK), "--python-platform", PLATFORMS[platform][0],
               "--python-version", python, "--only-binary", ":all:", "--no-header", "--no-annotate",
               "--quiet", "-o", str(tmp_path / "resolved.txt")]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, f"{platform}, Python {python}: {result.stderr[-2000:]}"
    resolved = {n: v for n, v, _ in read_lock((tmp_path / "resolved.txt").read_text())}
    assert resolved == locked_for(environment(platform, python))
