"""What a Binder session starts from: the environment ``postBuild`` installs.

``postBuild`` and ``make install`` run the same installer (``tools/install``) from the same
lock, so this environment is one such (on CI: a fresh one, and a second under Python
3.13). In it, JupyterLab has the ipywidgets front end enabled, at the version of the pinned
``jupyterlab_widgets``, and the kernel the lessons ask for runs this environment's Python.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
WIDGETS_EXTENSION = "@jupyter-widgets/jupyterlab-manager"


def test_postbuild_installs_as_make_install_does() -> None:
    """Binder's postBuild and ``make install`` run the same installer, from the same lock."""
    post_build = (ROOT / "postBuild").read_text()
    assert re.search(r"^tools/install\b", post_build, re.M)
    assert "tools/install" in (ROOT / "Makefile").read_text()


def test_jupyterlab_has_the_widgets_extension_of_the_pinned_version() -> None:
    done = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, check=True)  # fmt: skip
    listing = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    line = next((ln for ln in listing.splitlines() if WIDGETS_EXTENSION in ln), None)
    assert line, f"{WIDGETS_EXTENSION} is not installed:\n{listing}"
    assert "enabled" in line and "OK" in line, line
    assert "jupyterlab_widgets" in line, line
    # The front end is the one the pinned jupyterlab_widgets ships (its package.json).
    pinned = metadata.version("jupyterlab_widgets")
    package = Path(sys.prefix, "share/jupyter/labextensions", WIDGETS_EXTENSION, "package.json")
    assert package.is_file(), f"no {package}"
    version = json.loads(package.read_text())["version"]
    assert f"v{version}" in line, line
    assert (ROOT / "requirements.lock").read_text().count(f"jupyterlab-widgets=={pinned}") >= 1, pinned


def test_the_lessons_kernel_is_this_environments_python() -> None:
    specs = json.loads(subprocess.run([sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"],
                                      capture_output=True, text=True, check=True).stdout)["kernelspecs"]  # fmt: skip
    names = {json.loads((ROOT / "lessons" / n).read_text())["metadata"]["kernelspec"]["name"] for n in LESSONS}
    assert names == {"python3"}, names
    spec = specs["python3"]
    assert Path(spec["resource_dir"]).resolve().is_relative_to(Path(sys.prefix).resolve()), spec["resource_dir"]
    argv = spec["spec"]["argv"]
    # "python" in a kernelspec is replaced by the server's own interpreter (jupyter_client).
    assert argv[0] in ("python", "python3", sys.executable), argv
    from jupyter_client.manager import KernelManager

    command = KernelManager(kernel_name="python3").format_kernel_cmd()
    assert Path(command[0]).resolve() == Path(sys.executable).resolve(), command
