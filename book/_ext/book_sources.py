"""Sphinx extension: the book reads only the files its table of contents names.

``only_build_toc_files`` (sphinx-external-toc) leaves out the documents _toc.yml does not
list, but it finds them with ``glob``, which skips hidden folders: a virtual environment
named ``.v313/`` had its site-packages' README files read into the book. Others (``venv/``,
``env/``) were walked file by file, every build. Whatever a learner keeps in the
checkout, Sphinx should not look into it.

So, before any document is looked for, every folder that holds no page of _toc.yml is
added to ``exclude_patterns`` (Sphinx then never enters it), from the checkout's root down
through the folders that do hold pages: ``venv/``, ``env/``, ``.v313/``, ``data/``,
``lessons/__pycache__/``, ``book/_static/`` all go, ``book/``, ``lessons/`` and
``lessons/deeper/`` stay. A folder that holds pages but is itself a virtual environment
(it has ``pyvenv.cfg`` or ``conda-meta/``) goes too. The static files, images and
bibliography the pages use are read by path and are not affected.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

VENV_MARKERS = ("pyvenv.cfg", "conda-meta")


def toc_documents(toc: dict) -> list[str]:
    """Every ``file`` (and the root) of a jb-book table of contents, as written there."""
    found = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                found.append(entry["file"])
            for key in ("sections", "chapters", "parts"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    walk(toc.get("sections", []))
    return found


def is_virtual_environment(folder: Path) -> bool:
    return any((folder / marker).exists() for marker in VENV_MARKERS)


def folders_to_skip(srcdir: Path, documents: list[str]) -> list[str]:
    """The folders of ``srcdir`` (paths relative to it, POSIX) that Sphinx need not enter:
    each holds no document of ``documents``, or is a virtual environment; the folders
    inside a skipped one are not listed."""
    keep = {PurePosixPath(doc).parent for doc in documents}
    keep = {parent for folder in keep for parent in (folder, *folder.parents)}
    skipped = []
    for folder in sorted(keep):  # a folder that holds pages: which of its folders to skip?
        path = srcdir / folder
        if not path.is_dir():
            continue
        with os.scandir(path) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if not entry.is_dir(follow_symlinks=True):
                    continue
                relative = folder / entry.name
                if relative not in keep or is_virtual_environment(Path(entry.path)):
                    skipped.append(relative.as_posix())
    return skipped


def _skip_folders(app: Sphinx, config: Config) -> None:
    toc_path = Path(app.srcdir, config["external_toc_path"])
    documents = toc_documents(yaml.safe_load(toc_path.read_text(encoding="utf-8")))
    extra = [f for f in folders_to_skip(Path(app.srcdir), documents) if f not in config.exclude_patterns]
    # A new list: extending it in place would alter the default of Sphinx's Config.
    config.exclude_patterns = [*config.exclude_patterns, *extra]


def setup(app: Sphinx) -> dict[str, bool]:
    # Before sphinx-external-toc looks for the documents the table of contents leaves out (900).
    app.connect("config-inited", _skip_folders, priority=800)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
