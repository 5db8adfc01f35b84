"""Shared fixtures: small seeded samples, files written from them, a small trained model.

Everything here is built from the embedded sample generator, so the tests need no file
from outside the repository (``test_real_data.py`` is the exception, and skips without it).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pandas as pd
import pytest

from bands2vec_lib.data import DATA_ENV, artist_table, clean
from bands2vec_lib.sample import Tables, generate_sample

SMALL_N, SMALL_SEED = 400, 7
# The real data, where the course keeps it (next to the repository); never copied. Tests of
# it are skipped without it (it is not on CI): see test_real_data.py.
REAL_DATA = Path(__file__).resolve().parents[2] / "shared/data/pitchfork"
REAL_DB = REAL_DATA / "database.sqlite"
needs_real_data = pytest.mark.skipif(
    not REAL_DB.is_file(),
    reason=f"the real Pitchfork data is not at {REAL_DATA} (../shared/data/pitchfork next to the repository)",
)


def skip_or_fail(reason: str, on_ci: str) -> NoReturn:
    """Skip a test whose tool or build is missing here; on CI, which provides it (``on_ci``
    says how), fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} ({on_ci})")
    pytest.skip(reason)


def need_chromium() -> tuple[str, str]:
    """Chromium and its driver, as benchmarks/live.py finds them; else skip (on CI: fail)."""
    from benchmarks import live

    return live.chromium() or skip_or_fail(
        "Chromium and its driver are needed: apt-get install chromium chromium-driver", ".ci/run installs them"
    )


# Fixtures that need what `make` builds (the book, its student edition, the PDF) or a browser
# and JupyterLab. Their tests are marked ``built``; GitHub's library job, on every platform,
# runs ``-m "not built"`` (the course job runs them all).
BUILT_FIXTURES = {"book", "site", "browser", "student", "_pdf_built", "lab", "driver"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BUILT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.built)


@pytest.fixture(autouse=True)
def _no_data_env(monkeypatch):
    """Tests choose their data explicitly: a BANDS2VEC_DATA set for the lessons must not leak in."""
    monkeypatch.delenv(DATA_ENV, raising=False)


def write_sqlite(tables: Tables, path: Path) -> Path:
    """Write the five tables as a SQLite database like Kaggle's ``database.sqlite``."""
    con = sqlite3.connect(path)
    try:
        for name, frame in tables.as_dict().items():
            frame.to_sql(name, con, index=False)
    finally:
        con.close()
    return path


def write_csv_folder(tables: Tables, folder: Path) -> Path:
    """Write the five tables as ``<name>.csv`` files (an empty field is NULL), as Kaggle's CSVs."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.as_dict().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def call_with_timeout(fn: Callable[[], object], seconds: float = 30.0) -> object:
    """Run ``fn`` in a thread; fail the test (rather than block) if it has not returned in time."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:  # re-raised in the test's thread
            box["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"no answer within {seconds} s: the call hangs")
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.fixture(scope="session")
def sqlite_writer():
    return write_sqlite


@pytest.fixture(scope="session")
def csv_writer():
    return write_csv_folder


@pytest.fixture(scope="session")
def within():
    """``within(fn, seconds)``: call ``fn`` with a time limit (a hang fails the test)."""
    return call_with_timeout


@pytest.fixture(scope="session")
def small_tables() -> Tables:
    return generate_sample(n_artists=SMALL_N, seed=SMALL_SEED)


@pytest.fixture(scope="session")
def small_artists(small_tables) -> pd.DataFrame:
    return artist_table(clean(small_tables).reviews)


@pytest.fixture(scope="session")
def small_db(small_tables, tmp_path_factory) -> Path:
    """The small sample as a ``database.sqlite`` file."""
    return write_sqlite(small_tables, tmp_path_factory.mktemp("small_db") / "database.sqlite")


@pytest.fixture(scope="session")
def full_tables() -> Tables:
    """The default embedded sample (the real data's size): a few seconds, built once."""
    return generate_sample()


@pytest.fixture(scope="session")
def full_artists(full_tables) -> pd.DataFrame:
    return artist_table(clean(full_tables).reviews)


@pytest.fixture(scope="session")
def tiny_config():
    """A training recipe small enough for tests: few steps, small batches, 16 dimensions."""
    from bands2vec_lib.model import ModelConfig
    from bands2vec_lib.training import TrainConfig

    return TrainConfig(steps=60, batch_size=256, log_every=20, seed=3, model=ModelConfig(dim=16))


@pytest.fixture(scope="session")
def trained(small_artists, tiny_config):
    """A small model trained once on the small sample (a ``TrainResult``)."""
    from bands2vec_lib.training import train

    return train(small_artists, tiny_config)


@pytest.fixture(scope="session")
def model_file(trained, tmp_path_factory) -> Path:
    """The small model saved to a file, as ``bands2vec train --data small_db`` would."""
    from bands2vec_lib.embeddings import Embeddings

    emb = trained.embeddings
    copy = Embeddings(emb.names, emb.vectors, {**emb.meta, "data": "the small test sample"})
    return copy.save(tmp_path_factory.mktemp("model") / "small.npz")
