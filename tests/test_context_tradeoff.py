"""The table of ``tools/context_tradeoff.py`` that lesson 7 draws: complete, current, and
telling the story the lesson tells (lesson 7 checks three of its rows against vectors it
trains itself, under nbval)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import load_tool

from bands2vec_lib.pairs import GENRE_SHARE, JOINT_SHARE

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tool():
    return load_tool("context_tradeoff")


@pytest.fixture(scope="module")
def table(tool) -> pd.DataFrame:
    return pd.read_csv(tool.TABLE)


def test_the_table_holds_every_design_in_order(tool, table):
    designs = pd.DataFrame(tool.designs())
    assert table[["family", "genre_share", "joint_share"]].equals(designs), "re-run tools/context_tradeoff.py"
    assert (GENRE_SHARE, 0.0) in set(zip(table["genre_share"], table["joint_share"], strict=True))
    assert (0.0, JOINT_SHARE) in set(zip(table["genre_share"], table["joint_share"], strict=True))
    assert table["genre_precision"].between(0, 1).all() and (table["score_error"] > 0).all()


def test_the_default_reaches_both_targets_and_no_genre_share_does(table):
    default = table[(table["family"] == "joint share") & (table["joint_share"] == JOINT_SHARE)].iloc[0]
    assert default["genre_precision"] >= 0.99 and default["score_error"] <= 0.30
    curve = table[table["family"] == "genre share"]
    assert not ((curve["genre_precision"] >= 0.99) & (curve["score_error"] <= 0.30)).any()
    article = curve[curve["genre_share"] == GENRE_SHARE].iloc[0]
    assert article["score_error"] > 2 * default["score_error"]


def test_designs_cover_both_families_from_end_to_end(tool):
    designs = tool.designs()
    genre = [d["genre_share"] for d in designs if d["family"] == "genre share"]
    assert genre[0] == 0.0 and genre[-1] == 1.0 and len(genre) == 11
    assert all(d["genre_share"] + d["joint_share"] <= 1.0 for d in designs)
