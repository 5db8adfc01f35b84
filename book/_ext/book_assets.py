"""Local copies of the JavaScript the HTML book runs: MathJax 3, RequireJS, the widgets manager.

A reader of the book needs no internet: equations are typeset by MathJax and widgets are
drawn from their saved state by ``@jupyter-widgets/html-manager`` (loaded with RequireJS),
all served from the book's own ``_static/vendor/`` folder instead of a CDN. The three
packages come from the npm registry at build time, pinned below with their integrity
hashes, and are unpacked into ``_build/.assets/`` (never committed). Their ``dist`` files
are self-contained bundles, so ``npm pack`` (one tarball each, no dependency tree) is enough.

    python -m book._ext.book_assets    # fetch now; the book build does it when they are missing

``_config.yml`` loads this file as a Sphinx extension (``sphinx.local_extensions``), so a
plain ``jupyter-book build .`` fetches the assets before Sphinx copies its static files;
``html_static_path``, ``mathjax_path`` and ``nb_ipywidgets_js`` there point at them.
"""

from __future__ import annotations

import json
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tools.npm import integrity, pack

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "_build" / ".assets" / "static"  # an html_static_path entry in _config.yml
VENDOR = STATIC / "vendor"
STAMP = VENDOR / "PACKAGES.json"

# name -> (version, the tarball's sha512 integrity as the registry publishes it).
# html-manager 1.0.x renders ipywidgets 8 state (@jupyter-widgets/controls 2.0.0 models).
PACKAGES: dict[str, tuple[str, str]] = {
    "mathjax": (
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
    ),
    "requirejs": (
        "2.3.8",
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
    ),
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
    ),
}

# What each package contributes to _static/vendor/<folder>: paths inside the tarball's
# ``package/`` folder (a folder is copied whole) and paths left out of those folders.
LAYOUT: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # tex-mml-chtml.js is the component Sphinx loads; it fetches fonts, TeX extensions and
    # the accessibility tools from the folders beside it when a page needs them.
    "mathjax": (
        "mathjax",
        ("LICENSE", "es5/tex-mml-chtml.js", "es5/input", "es5/output", "es5/ui", "es5/a11y", "es5/sre"),
        ("es5/output/svg", "es5/output/svg.js"),
    ),
    "requirejs": ("requirejs", ("require.js",), ()),
    # embed-amd.js (which bundles libembed-amd.js) plus the icon fonts its CSS refers to,
    # found relative to the script.
    "@jupyter-widgets/html-manager": (
        "html-manager",
        ("dist",),
        ("dist/embed.js", "dist/embed.js.map", "dist/embed.js.LICENSE.txt", "dist/libembed-amd.js"),
    ),
}


def wanted() -> dict[str, str]:
    """The pinned versions, as recorded in the stamp file once installed."""
    return {name: version for name, (version, _) in PACKAGES.items()}


def installed() -> bool:
    """Whether ``_build/.assets`` holds exactly the pinned versions."""
    try:
        return json.loads(STAMP.read_text()) == wanted()
    except (OSError, ValueError):
        return False


def _copy(package_dir: Path, target: Path, include: tuple[str, ...], exclude: tuple[str, ...]) -> None:
    excluded = {package_dir / e for e in exclude}
    for item in include:
        source = package_dir / item
        if not source.exists():
            raise RuntimeError(f"{source.relative_to(package_dir.parent)} is missing from the npm package")
        if source.is_dir():
            for file in sorted(source.rglob("*")):
                if file.is_file() and not any(file == e or e in file.parents for e in excluded):
                    out = target / file.relative_to(source.parent)
                    out.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(file, out)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / source.name)


def install(force: bool = False) -> Path:
    """Fetch the pinned packages (unless already there) and lay them out under ``VENDOR``."""
    if installed() and not force:
        return VENDOR
    STATIC.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=STATIC.parent) as tmp:
        tmp = Path(tmp)
        specs = [f"{name}@{version}" for name, (version, _) in PACKAGES.items()]
        tarballs = pack(specs, tmp)
        staged = tmp / "vendor"
        for (name, (version, pinned)), tarball in zip(PACKAGES.items(), tarballs, strict=True):
            if integrity(tarball) != pinned:
                raise RuntimeError(f"{name}@{version}: the tarball's sha512 does not match the pinned integrity")
            unpacked = tmp / tarball.stem
            with tarfile.open(tarball) as archive:
                archive.extractall(unpacked, filter="data")
            folder, include, exclude = LAYOUT[name]
            _copy(unpacked / "package", staged / folder, include, exclude)
        (staged / STAMP.name).write_text(json.dumps(wanted(), indent=1) + "\n")
        shutil.rmtree(VENDOR, ignore_errors=True)
        VENDOR.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(VENDOR)
    return VENDOR


def _on_config_inited(app: Sphinx, config: Config) -> None:
    from sphinx.errors import ExtensionError

    try:
        install()
    except RuntimeError as error:
        raise ExtensionError(str(error)) from error


def setup(app: Sphinx) -> dict[str, bool]:
    """Sphinx extension: make sure the assets exist before ``html_static_path`` is checked."""
    app.connect("config-inited", _on_config_inited, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    force = "--force" in sys.argv[1:]
    print(f"offline book assets in {install(force=force).relative_to(ROOT)}")
