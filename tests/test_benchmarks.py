"""The benchmark's own pieces, on tiny inputs, so that ``make bench`` does not rot."""

from __future__ import annotations

import os

import numpy as np
import pytest

from benchmarks import run, worker
from benchmarks.methods import _in_vocab_order, time_to_quality
from tools.notebooks import MemoryWatch


def test_in_vocab_order_reorders_by_name_and_fills_unknown_names():
    keys = ["c", "a"]
    vectors = np.array([[3.0, 3.0], [1.0, 1.0]], dtype=np.float32)
    out = _in_vocab_order(keys, vectors, ["a", "b", "c"])
    assert out[0].tolist() == [1.0, 1.0] and out[2].tolist() == [3.0, 3.0]
    assert np.all(np.abs(out[1]) <= 0.25) and np.any(out[1] != 0)  # small random, not a copy


def rows(method, table):
    return [{"method": method, "amount": a, "seconds": s, "precision": p} for a, s, p in table]


def test_time_to_quality_picks_the_smallest_amount_reaching_the_threshold():
    table = (
        rows("mine", [(4, 8.0, 0.995), (1, 2.0, 0.90), (2, 4.0, 0.99), (8, 16.0, 0.999)])
        + rows("gensim", [(1, 3.0, 0.80), (2, 5.0, 0.991), (4, 9.0, 0.995)])
        + rows("never", [(1, 1.0, 0.5), (2, 2.0, 0.7)])
        + [{"method": "never", "amount": 4, "error": "crashed", "seconds": None, "precision": None}]
    )
    result = {q.method: q for q in time_to_quality(table, threshold=0.99, reference="gensim", score_threshold=None)}
    assert (result["mine"].amount, result["mine"].seconds) == (2, 4.0)
    assert result["mine"].ratio == pytest.approx(4.0 / 5.0)
    assert result["gensim"].ratio == pytest.approx(1.0)
    assert result["mine"].best == pytest.approx(0.999)
    never = result["never"]
    assert never.amount is None and never.seconds is None and never.ratio is None and never.best == 0.7


def test_time_to_quality_has_no_ratio_when_the_reference_never_gets_there():
    table = rows("mine", [(1, 2.0, 0.995)]) + rows("gensim", [(1, 1.0, 0.5)])
    result = {q.method: q for q in time_to_quality(table, threshold=0.99, reference="gensim", score_threshold=None)}
    assert result["mine"].amount == 1 and result["mine"].ratio is None


def test_time_to_quality_needs_both_targets():
    def scored(method, table):
        return [{"method": method, "amount": a, "seconds": s, "precision": p, "score_error": e} for a, s, p, e in table]

    table = (scored("mine", [(1, 2.0, 0.995, 0.70), (2, 4.0, 0.991, 0.29), (4, 8.0, 0.999, 0.25)])
             + scored("gensim", [(1, 1.0, 0.999, 0.31), (2, 5.0, 0.98, 0.20), (4, 10.0, 0.995, 0.30)])
             + rows("unscored", [(1, 1.0, 0.999)]))  # fmt: skip
    result = {q.method: q for q in time_to_quality(table, threshold=0.99, reference="gensim", score_threshold=0.30)}
    assert (result["mine"].amount, result["mine"].seconds) == (2, 4.0)  # not 1: its score error is 0.70
    assert (result["gensim"].amount, result["gensim"].seconds) == (4, 10.0)  # 0.30 is enough, 0.31 is not
    assert result["mine"].ratio == pytest.approx(0.4)
    assert result["mine"].best_score_error == pytest.approx(0.25)
    assert result["unscored"].amount is None  # a run without a score error cannot reach the target


def test_pipe_table_aligns_numbers_right_and_text_left():
    lines = run.pipe_table(["method", "seconds"], [["gensim", "1.5"], ["bands2vec", "12.25"]])
    assert len({len(line) for line in lines}) == 1
    assert lines[1].endswith(":|")  # the numeric column is right-aligned in Markdown too
    assert lines[2] == "| gensim    |     1.5 |"


def test_options_choose_amounts_datasets_and_methods():
    quick = run.parse_args(["--quick"])
    assert max(quick.amounts) == 1_000_000 and quick.amounts == sorted(quick.amounts)
    assert max(run.parse_args([]).amounts) == 8_000_000
    chosen = run.parse_args(["--amounts", "0.5,0.25", "--datasets", "sample", "--methods", "gensim,ppmi_svd"])
    assert chosen.amounts == [250_000, 500_000] and chosen.datasets == ["sample"]
    assert chosen.methods == ["gensim", "ppmi_svd"]
    with pytest.raises(SystemExit):
        run.parse_args(["--methods", "word2vec"])


def test_memory_watch_sees_a_running_process():
    watch = MemoryWatch(lambda: os.getpid(), interval=0.01)
    watch.start()
    ballast = np.ones(40 * 2**20 // 8)  # 40 MiB, touched
    peak = watch.stop()
    assert peak >= 40 * 2**20 and ballast.sum() > 0


def test_worker_trains_and_scores_in_a_fresh_process(tmp_path):
    from bands2vec_lib.data import load_artists
    from bands2vec_lib.pairs import ContextGroups, context_pairs
    from bands2vec_lib.vocab import Vocabulary

    artists = load_artists(n_artists=300)
    vocab = Vocabulary.from_artists(artists)
    worker.write_inputs(tmp_path, artists, context_pairs(ContextGroups.from_artists(artists, vocab), 30_000))
    result = run.run_worker(["train", tmp_path, "ppmi_svd", 20_000, "--save", tmp_path / "v.npz"])
    assert result["method"] == "ppmi_svd" and result["pairs_used"] == 20_000
    assert result["seconds"] > 0 and result["peak_mib"] > 10
    assert 0.5 < result["precision"] <= 1.0  # far above random vectors (about 0.33 on the sample)
    assert 0.0 < result["score_error"] < 1.5
    assert (tmp_path / "v.npz").is_file()
    with pytest.raises(RuntimeError, match="failed"):
        run.run_worker(["train", tmp_path, "ppmi_svd", 40_000])  # more pairs than the stream holds
