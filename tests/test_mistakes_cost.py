"""The table of ``tools/mistakes_cost.py`` that lesson 7 draws: complete, current, and
telling the story the lesson tells (lesson 7 trains one of its rows itself and checks it
under nbval), and the tool's recipe for each mistake, on a small sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bands2vec_lib.data import VARIOUS_ARTISTS, artist_table, clean
from bands2vec_lib.model import ModelConfig
from bands2vec_lib.pairs import GENRE_SHARE, JOINT_SHARE, LABEL_GROUP_SHARE, LABEL_SHARE
from bands2vec_lib.similarity import neighbour_scores, random_embeddings
from bands2vec_lib.training import TrainConfig
from bands2vec_lib.vocab import Vocabulary

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tool():
    from tools import mistakes_cost

    return mistakes_cost


@pytest.fixture(scope="module")
def table(tool) -> pd.DataFrame:
    return pd.read_csv(tool.TABLE)


@pytest.fixture(scope="module")
def means(table) -> pd.DataFrame:
    return table.groupby("row", sort=False)[["genre_precision", "score_error"]].mean()


def test_the_table_holds_every_row_and_seed_in_order(tool, table):
    expected = [(r["row"], seed) for r in tool.rows() for seed in tool.SEEDS]
    assert list(zip(table["row"], table["seed"], strict=True)) == expected, "re-run tools/mistakes_cost.py"
    assert table["genre_precision"].between(0, 1).all() and (table["score_error"] > 0).all()


def test_rows_put_back_each_mistake_alone_then_all(tool):
    rows = tool.rows()
    assert rows[0] == {"row": "corrected", "mistakes": ()}
    alone = [r["mistakes"] for r in rows if len(r["mistakes"]) == 1]
    assert alone == [(m,) for m in tool.MISTAKES] and len(alone) == 5
    assert [r["mistakes"] for r in rows if len(r["mistakes"]) > 1] == [
        tuple(m for m in tool.MISTAKES if m != "TF1 recipe"), tuple(tool.MISTAKES), tuple(tool.MISTAKES)
    ]
    # only the article's own run is longer: 100,000 steps of 64, as its notebook ran
    assert [r.get("tf1_steps") for r in rows if "tf1_steps" in r] == [100_000]
    assert [r["row"] for r in rows[-2:]] == ["library default", "random vectors"]
    assert len({r["row"] for r in rows}) == len(rows)


def test_the_table_agrees_with_the_context_tradeoff_table(table):
    """The corrected pipeline is the article's mix and the library default is the default:
    seed 0 of each is the run ``tools/context_tradeoff.py`` made, to the last digit."""
    tradeoff = pd.read_csv(ROOT / "lessons" / "data" / "context_tradeoff.csv")
    seed0 = table[table["seed"] == 0].set_index("row")
    (article,) = tradeoff[(tradeoff["family"] == "genre share") & (tradeoff["genre_share"] == GENRE_SHARE)].itertuples()
    (default,) = tradeoff[(tradeoff["family"] == "label share") & np.isclose(tradeoff["joint_share"], JOINT_SHARE)
                          & np.isclose(tradeoff["label_group_share"], LABEL_GROUP_SHARE)
                          & np.isclose(tradeoff["label_share"], LABEL_SHARE)].itertuples()  # fmt: skip
    article, default = (pd.Series(r._asdict()) for r in (article, default))
    for row, expected in (("corrected", article), ("library default", default)):
        got = seed0.loc[row, ["genre_precision", "score_error"]].to_numpy(dtype=float)
        np.testing.assert_allclose(got, expected[["genre_precision", "score_error"]].to_numpy(dtype=float))


def test_random_vectors_are_what_random_embeddings_measure(table, full_artists):
    row = table[(table["row"] == "random vectors") & (table["seed"] == 1)].iloc[0]
    scores = neighbour_scores(random_embeddings(full_artists, seed=1), full_artists, ks=(10,)).iloc[0]
    np.testing.assert_allclose([row["genre_precision"], row["score_error"]],
                               [scores["genre_precision"], scores["score_error"]], atol=5e-5)  # fmt: skip


def test_the_articles_pipeline_is_worse_than_the_corrected_one(means, table):
    corrected, article = means.loc["corrected"], means.loc["all five (the article's)"]
    assert article["score_error"] > corrected["score_error"]
    assert article["genre_precision"] < corrected["genre_precision"] - 0.1
    random = means.loc["random vectors"]
    assert corrected["genre_precision"] > random["genre_precision"] + 0.3
    assert means.loc["library default", "score_error"] < 0.5 * corrected["score_error"]
    # the library's default reaches both targets on every seed
    default = table[table["row"] == "library default"]
    assert (default["genre_precision"] >= 0.98).all() and (default["score_error"] <= 0.30).all()


def test_the_tf1_recipe_uses_the_same_pairs(tool):
    base = TrainConfig.article()
    tf1 = base.tf1()
    assert tf1.steps * tf1.batch_size == base.steps * base.batch_size
    # the article's notebook: batch_size = 64, GradientDescentOptimizer(1.0)
    assert (tf1.batch_size, tf1.learning_rate, tf1.decay, tf1.optimizer) == (64, 1.0, False, "sgd")
    assert (tf1.model.init_scale, tf1.model.noise_block, tf1.model.sampler) == (1.0, None, "unigram")
    assert (tf1.genre_share, tf1.joint_share, tf1.seed) == (base.genre_share, base.joint_share, base.seed)


@pytest.fixture(scope="module")
def small_config():
    return TrainConfig.article(steps=4, batch_size=256, log_every=2, seed=1, model=ModelConfig(dim=8))


def test_each_mistake_changes_what_it_should(tool, small_tables, small_config):
    clean_artists = artist_table(clean(small_tables).reviews)
    corrected = tool.train_with_mistakes(small_tables, (), small_config)
    assert corrected.names == tuple(clean_artists.index) and corrected.meta["train"] == small_config.as_dict()
    kept = tool.train_with_mistakes(small_tables, ("various artists and NULL",), small_config)
    assert VARIOUS_ARTISTS in kept.names and len(kept.names) == len(corrected.names) + 1
    noise = tool.train_with_mistakes(small_tables, ("log-uniform noise",), small_config)
    assert noise.names == Vocabulary.first_seen(clean(small_tables).reviews).names != corrected.names
    assert noise.meta["train"]["model"]["sampler"] == "log_uniform"
    tf1 = tool.train_with_mistakes(small_tables, ("TF1 recipe",), small_config)
    assert tf1.meta["train"] == small_config.tf1().as_dict()
    longer = tool.train_with_mistakes(small_tables, ("TF1 recipe",), small_config, tf1_steps=3)
    assert longer.meta["train"]["steps"] == 3 and longer.meta["train"]["batch_size"] == 64
    with pytest.raises(ValueError, match="needs the TF1 recipe"):
        tool.train_with_mistakes(small_tables, (), small_config, tf1_steps=3)
    every = tool.train_with_mistakes(small_tables, tuple(tool.MISTAKES), small_config)
    assert every.meta["train"]["optimizer"] == "sgd" and every.meta["train"]["model"]["sampler"] == "log_uniform"
    assert VARIOUS_ARTISTS in every.names
    for emb in (kept, noise, tf1, every):
        # measured on the clean table
        assert np.isfinite(neighbour_scores(emb, clean_artists, ks=(10,)).to_numpy()).all()
    with pytest.raises(ValueError, match="unknown mistakes"):
        tool.train_with_mistakes(small_tables, ("typos",), small_config)


def test_per_review_lists_and_uniform_groups_change_the_pairs(tool, small_tables, small_config, monkeypatch):
    import bands2vec_lib.pairs as pairs

    seen = []
    real = pairs.pairs_with_mistakes
    monkeypatch.setattr(pairs, "pairs_with_mistakes", lambda *a, **kw: seen.append(kw) or real(*a, **kw))
    for mistakes in ((), ("per-review lists",), ("uniform groups",), ("per-review lists", "uniform groups")):
        tool.train_with_mistakes(small_tables, mistakes, small_config)
    assert [(kw["per_review_lists"], kw["uniform_groups"]) for kw in seen] == [
        (False, False), (True, False), (False, True), (True, True)
    ]
    assert {kw["genre_share"] for kw in seen} == {GENRE_SHARE}
