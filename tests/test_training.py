"""Training: a falling loss, honest per-window means, seeds, and train_or_load's reuse."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import bands2vec_lib.training as training
from bands2vec_lib.data import record_labels
from bands2vec_lib.embeddings import Embeddings
from bands2vec_lib.heldout import HOLD_OUT, hide_labels
from bands2vec_lib.model import ModelConfig, SkipGram
from bands2vec_lib.pairs import GENRE_SHARE, JOINT_SHARE, LABEL_GROUP_SHARE, LABEL_SHARE, ContextGroups, context_pairs
from bands2vec_lib.rowwise_adam import RowwiseAdam
from bands2vec_lib.training import (
    TrainConfig,
    artists_fingerprint,
    pair_dataset,
    train,
    train_on_pairs,
    train_or_load,
)
from bands2vec_lib.vocab import Vocabulary


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"steps": 0}, "steps must be a whole number of at least 1"),
        ({"steps": -5}, "steps must be"),
        ({"steps": 10.0}, "steps must be"),
        ({"batch_size": 0}, "batch_size must be a whole number of at least 1"),
        ({"log_every": 0}, "log_every must be"),
        ({"learning_rate": 0.0}, "learning_rate must be positive"),
        ({"learning_rate": -1e-3}, "learning_rate must be positive"),
        ({"genre_share": 1.2}, "genre_share must be between 0 and 1"),
        ({"joint_share": -0.5}, "joint_share must be between 0 and 1"),
        ({"genre_share": 0.5}, r"at most 1.*use TrainConfig\.article\(genre_share=\.\.\.\)"),
        ({"genre_share": 0.5, "joint_share": 0.6, "label_share": 0.0, "label_group_share": 0.0},
         r"the shares of pairs must add up to at most 1, not 0\.5 \+ 0\.6 \+ 0\.0 \+ 0\.0$"),  # fmt: skip
        ({"joint_share": 1.0}, r"must add up to at most 1, not 0\.0 \+ 1\.0 \+ 0\.1 \+ 0\.45$"),
        ({"label_share": 1.5}, "label_share must be between 0 and 1"),
        ({"label_group_share": -0.1}, "label_group_share must be between 0 and 1"),
        ({"hold_out": 1.0}, r"hold_out must be at least 0 and below 1, not 1\.0"),
        ({"hold_out": -0.1}, "hold_out must be at least 0 and below 1"),
    ],
)
def test_bad_configs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TrainConfig(**kwargs)


def shares(config: TrainConfig) -> tuple[float, float, float, float]:
    return config.genre_share, config.joint_share, config.label_group_share, config.label_share


def test_the_articles_mix_by_name():
    article = TrainConfig.article()
    assert shares(article) == (GENRE_SHARE, 0.0, 0.0, 0.0)
    assert TrainConfig.article(steps=7, genre_share=0.5) == TrainConfig(
        steps=7, genre_share=0.5, joint_share=0.0, label_group_share=0.0, label_share=0.0
    )
    default = TrainConfig()
    assert shares(default) == (0.0, JOINT_SHARE, LABEL_GROUP_SHARE, LABEL_SHARE)
    assert (default.hold_out, default.hold_out_seed) == (HOLD_OUT, 0) and 0 < HOLD_OUT < 1
    assert dataclasses.replace(article, genre_share=0.0, joint_share=JOINT_SHARE, label_group_share=LABEL_GROUP_SHARE,
                               label_share=LABEL_SHARE) == default  # fmt: skip
    assert article.sees_genres and default.sees_genres


def test_the_labels_preset_never_shows_a_genre():
    labels = TrainConfig.labels()
    assert shares(labels) == (0.0, 0.0, 0.0, 1.0) and labels.hold_out == 0.0
    assert not labels.sees_genres
    assert TrainConfig.labels(steps=7, hold_out=0.2) == dataclasses.replace(labels, steps=7, hold_out=0.2)
    # any pair drawn from a genre shows one, a label within a group too
    for changes in ({"genre_share": 0.1}, {"joint_share": 0.1}, {"label_group_share": 0.1}):
        assert TrainConfig.labels(label_share=0.9, **changes).sees_genres
    assert not TrainConfig.labels(label_share=0.5).sees_genres  # the rest: score buckets, no genre


def test_from_dict_gives_back_as_dict():
    for config in (TrainConfig(), TrainConfig.article(seed=3), TrainConfig.labels(hold_out=0.2, seed=4),
                   TrainConfig(model=ModelConfig(dim=8, noise_block=None))):  # fmt: skip
        assert TrainConfig.from_dict(config.as_dict()) == config
    with pytest.raises(TypeError):
        TrainConfig.from_dict({**TrainConfig().as_dict(), "colour": "blue"})
    assert TrainConfig.from_dict({"steps": 3}) == TrainConfig(steps=3)  # a file from before: the rest default


def test_train_uses_the_configured_mix(small_artists):
    """Pairs from the configured shares, and label pairs only from the memberships the
    hold-out keeps."""
    vocab = Vocabulary.from_artists(small_artists)
    kept = hide_labels(small_artists, HOLD_OUT, 0).kept
    configs = (TrainConfig(steps=3, batch_size=64), TrainConfig.article(steps=3, batch_size=64, seed=2),
               TrainConfig.labels(steps=3, batch_size=64),
               TrainConfig.labels(steps=3, batch_size=64, hold_out=HOLD_OUT))  # fmt: skip
    for config, seen in zip(configs, (kept, small_artists, small_artists, kept), strict=True):  # fmt: skip
        expected = context_pairs(ContextGroups.from_artists(seen, vocab), 192, genre_share=config.genre_share,
                                 joint_share=config.joint_share, label_share=config.label_share,
                                 label_group_share=config.label_group_share, seed=config.seed)  # fmt: skip
        assert np.array_equal(training.training_pairs(small_artists, vocab, config), expected)
    # the hidden memberships make no label pair (without the hold-out, some pairs have only those)
    default = TrainConfig(steps=50, batch_size=256)
    kept_labels = record_labels(kept.loc[list(vocab.names)]).to_numpy()
    for hold_out, all_kept in ((HOLD_OUT, True), (0.0, False)):
        config = TrainConfig.labels(steps=50, batch_size=256, hold_out=hold_out)
        pairs = training.training_pairs(small_artists, vocab, config)
        assert all(kept_labels[a] & kept_labels[b] for a, b in pairs.tolist()) == all_kept
    other = dataclasses.replace(default, hold_out_seed=1)
    assert not np.array_equal(training.training_pairs(small_artists, vocab, other),
                              training.training_pairs(small_artists, vocab, default))  # fmt: skip


def test_loss_is_finite_and_falls(trained, tiny_config):
    loss = trained.history.loss
    assert np.all(np.isfinite(loss))
    assert loss[-1] < loss[0]
    assert np.isfinite(trained.embeddings.vectors).all()
    assert trained.seconds > 0


def test_result_is_in_vocabulary_order_with_meta(trained, small_artists, tiny_config):
    emb = trained.embeddings
    assert emb.names == tuple(small_artists.index)
    assert emb.vectors.shape == (len(small_artists), 16)
    assert emb.meta["vocab_size"] == len(small_artists)
    assert emb.meta["final_loss"] == trained.history.loss[-1]
    assert emb.meta["train"] == tiny_config.as_dict()
    np.testing.assert_array_equal(emb.vectors, trained.model.embeddings.numpy())


def test_history_has_one_entry_per_window(trained):
    assert trained.history.steps.tolist() == [20, 40, 60]
    assert len(trained.history.loss) == 3
    frame = trained.history.as_frame()
    assert list(frame.columns) == ["step", "loss"] and len(frame) == 3


@pytest.fixture(scope="module")
def pairs_and_vocab(small_artists):
    vocab = Vocabulary.from_artists(small_artists)
    return training.training_pairs(small_artists, vocab, small()), vocab


def small(**kw) -> TrainConfig:
    return TrainConfig(**{"steps": 24, "batch_size": 128, "seed": 5, "model": ModelConfig(dim=8, num_sampled=4), **kw})


def test_history_is_the_mean_of_each_window(pairs_and_vocab):
    pairs, vocab = pairs_and_vocab
    per_step = train_on_pairs(pairs, vocab, small(log_every=1)).history
    assert per_step.steps.tolist() == list(range(1, 25))
    windows = train_on_pairs(pairs, vocab, small(log_every=10)).history
    assert windows.steps.tolist() == [10, 20, 24]  # the last window is shorter
    expected = [per_step.loss[:10].mean(), per_step.loss[10:20].mean(), per_step.loss[20:].mean()]
    np.testing.assert_allclose(windows.loss, expected, rtol=1e-5)
    running = np.cumsum(per_step.loss) / np.arange(1, 25)  # not a running mean since step 0
    assert not np.allclose(windows.loss[1:], running[[19, 23]], rtol=1e-3)


def test_same_seed_same_bits_other_seed_other_bits(pairs_and_vocab, small_artists):
    pairs, vocab = pairs_and_vocab
    a = train_on_pairs(pairs, vocab, small(log_every=8)).embeddings.vectors
    b = train_on_pairs(pairs, vocab, small(log_every=8)).embeddings.vectors
    np.testing.assert_array_equal(a, b)
    c = train_on_pairs(pairs, vocab, small(log_every=8, seed=6)).embeddings.vectors
    assert not np.array_equal(a, c)
    # from the artist table: the same seeded pairs, so the same bits
    np.testing.assert_array_equal(train(small_artists, small(log_every=8)).embeddings.vectors, a)


def test_too_few_pairs(pairs_and_vocab):
    pairs, vocab = pairs_and_vocab
    with pytest.raises(ValueError, match=r"24 steps of 128 need 3072 pairs, not 100"):
        train_on_pairs(pairs[:100], vocab, small())


def test_pair_dataset_batches_in_order():
    pairs = np.arange(20, dtype=np.int64).reshape(10, 2)
    batches = list(pair_dataset(pairs, 4))
    assert len(batches) == 2  # the remainder of 2 pairs is dropped
    targets, contexts = batches[1]
    assert targets.numpy().tolist() == [8, 10, 12, 14] and contexts.numpy().tolist() == [9, 11, 13, 15]


def test_fingerprint(small_artists):
    assert artists_fingerprint(small_artists) == artists_fingerprint(small_artists.copy())
    changed = small_artists.copy()
    changed.iloc[5, changed.columns.get_loc("mean_score")] += 0.1
    assert artists_fingerprint(changed) != artists_fingerprint(small_artists)
    assert artists_fingerprint(small_artists.iloc[:-1]) != artists_fingerprint(small_artists)
    assert len(artists_fingerprint(small_artists)) == 16
    relabelled = small_artists.copy()
    relabelled.iloc[5, relabelled.columns.get_loc("labels")] = frozenset({"another label"})
    assert artists_fingerprint(relabelled) != artists_fingerprint(small_artists)  # labels make pairs too


def test_train_or_load(small_artists, tmp_path, monkeypatch):
    calls = []
    real_train = training.train

    def counting_train(*args, **kwargs):
        calls.append(args[1])
        return real_train(*args, **kwargs)

    monkeypatch.setattr(training, "train", counting_train)
    path = tmp_path / "cache.npz"
    config = small(log_every=12)

    first = train_or_load(small_artists, config, path)
    assert len(calls) == 1 and path.is_file()
    assert first.meta["artists"] == artists_fingerprint(small_artists)

    again = train_or_load(small_artists, config, path)  # a matching file: loaded, not trained
    assert len(calls) == 1
    np.testing.assert_array_equal(again.vectors, first.vectors)

    other_config = dataclasses.replace(config, steps=12)  # another recipe: trained again, file replaced
    retrained = train_or_load(small_artists, other_config, path)
    assert len(calls) == 2 and Embeddings.load(path).meta["train"]["steps"] == 12
    assert not np.array_equal(retrained.vectors, first.vectors)

    fewer = small_artists.iloc[:-3]  # other data: trained again
    train_or_load(fewer, other_config, path)
    assert len(calls) == 3 and len(Embeddings.load(path)) == len(fewer)

    path.write_text("not a model")  # a damaged file: trained again and replaced
    train_or_load(small_artists, config, path)
    assert len(calls) == 4 and Embeddings.load(path).meta["artists"] == artists_fingerprint(small_artists)

    no_file = train_or_load(small_artists, config, None)  # no path: trained, nothing written
    assert len(calls) == 5
    np.testing.assert_array_equal(no_file.vectors, first.vectors)


def test_sgd_updates_only_the_rows_the_batches_used(pairs_and_vocab):
    pairs, vocab = pairs_and_vocab
    used = pairs[:256]
    config = small(steps=2, optimizer="sgd", learning_rate=1.0, decay=False)
    counts = np.bincount(used[:, 1], minlength=len(vocab))
    before = SkipGram(len(vocab), config.model, context_counts=counts, seed=config.seed)
    after = train_on_pairs(used, vocab, config)
    moved = np.flatnonzero(np.any(after.embeddings.vectors != before.embeddings.numpy(), axis=1))
    assert 0 < len(moved) and set(moved) <= set(used[:, 0])  # the targets' rows, and no other
    weights_moved = np.flatnonzero(np.any(after.model.weights.numpy() != 0, axis=1))
    assert set(used[:, 1]) <= set(weights_moved) < set(range(len(vocab)))  # contexts and noise only
    with pytest.raises(ValueError, match="optimizer must be one of auto, adam, rowwise_adam, sgd, not 'momentum'"):
        TrainConfig(optimizer="momentum")


def test_sgd_learns(pairs_and_vocab):
    pairs, vocab = pairs_and_vocab
    history = train_on_pairs(pairs, vocab, small(optimizer="sgd", learning_rate=1.0, log_every=12)).history
    assert np.all(np.isfinite(history.loss)) and history.loss[-1] < history.loss[0]


def _sparse_steps(n_steps: int, rows: int = 20, per_step: int = 4, seed: int = 0):
    """Gradients of a few random rows (with repeats) of a (rows, 3) table, one per step."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    for _ in range(n_steps):
        ids = rng.integers(rows, size=per_step)
        values = rng.normal(size=(per_step, 3)).astype(np.float32)
        yield tf.IndexedSlices(tf.constant(values), tf.constant(ids, tf.int64), tf.constant([rows, 3], tf.int64))


def _keras_adam(schedule, table):
    import keras

    adam = keras.optimizers.Adam(schedule, epsilon=training.ADAM_EPSILON)
    adam.build([table])
    return adam


def test_rowwise_adam_makes_keras_adams_moves_touching_only_the_batch_rows():
    """The row-wise Adam moves a row only when a step reads it (and in ``finish``), yet ends
    where Keras's Adam, which moves every row at every step, ends."""
    import keras
    import tensorflow as tf

    steps = 60
    schedule = keras.optimizers.schedules.PolynomialDecay(0.05, steps, end_learning_rate=0.0)
    start = np.random.default_rng(1).normal(size=(20, 3)).astype(np.float32)
    dense_table, table = tf.Variable(start), tf.Variable(start)
    dense = _keras_adam(schedule, dense_table)
    rowwise = RowwiseAdam(schedule, steps)
    rowwise.build([table])
    seen = set()
    for grad in _sparse_steps(steps):
        before = table.numpy()
        rowwise.prepare({table.ref(): grad.indices})
        dense.apply_gradients([(tf.convert_to_tensor(grad), dense_table)])
        rowwise.apply_gradients([(grad, table)])
        moved = set(np.flatnonzero(np.any(table.numpy() != before, axis=1)))
        assert moved <= set(grad.indices.numpy())  # only the rows of this step
        seen |= moved
    assert not np.allclose(table.numpy(), dense_table.numpy(), atol=1e-3)  # moves still pending
    rowwise.finish()
    np.testing.assert_allclose(table.numpy(), dense_table.numpy(), atol=1e-5)
    assert np.abs(table.numpy() - start).max() > 0.1 and len(seen) == 20


def test_rowwise_adam_on_dense_gradients_is_keras_adam():
    import tensorflow as tf

    steps = 10
    start = np.random.default_rng(2).normal(size=(20, 3)).astype(np.float32)
    dense_table, table = tf.Variable(start), tf.Variable(start)
    dense = _keras_adam(0.1, dense_table)
    rowwise = RowwiseAdam(0.1, steps)
    rowwise.build([table])
    for grad in _sparse_steps(steps, seed=3):
        grad = tf.convert_to_tensor(grad)  # every row has a gradient, most of them 0
        dense.apply_gradients([(grad, dense_table)])
        rowwise.apply_gradients([(grad, table)])
    rowwise.finish()
    np.testing.assert_allclose(table.numpy(), dense_table.numpy(), atol=1e-6)


def test_training_with_the_rowwise_adam_gives_keras_adams_vectors(pairs_and_vocab):
    """Equal up to epsilon: in the steps a row sits out, the deferred moves leave out Adam's
    epsilon, which counts where a row's gradients are tiny."""
    pairs, vocab = pairs_and_vocab
    keras_adam, rowwise = (train_on_pairs(pairs, vocab, small(optimizer=name, log_every=12))
                           for name in ("adam", "rowwise_adam"))  # fmt: skip
    gap = np.abs(keras_adam.embeddings.vectors - rowwise.embeddings.vectors).max()
    assert 0 < gap < 2e-3
    np.testing.assert_allclose(keras_adam.history.loss, rowwise.history.loss, rtol=1e-3)


def test_auto_takes_keras_adam_for_a_catalogue_and_the_rowwise_adam_from_rowwise_from():
    import keras

    config = TrainConfig()
    assert config.optimizer == "auto"
    assert isinstance(training.optimizer_for(config, 8713), keras.optimizers.Adam)
    assert isinstance(training.optimizer_for(config, training.ROWWISE_FROM), RowwiseAdam)
    assert isinstance(training.optimizer_for(config, 10**6, distributed=True), keras.optimizers.Adam)
    assert isinstance(training.optimizer_for(TrainConfig(optimizer="sgd"), 10), keras.optimizers.SGD)


def test_the_learning_rate_falls_linearly_to_0_as_keras_computes_it():
    rates = training.learning_rate(TrainConfig(steps=4, learning_rate=0.2))
    np.testing.assert_allclose([float(rates(i)) for i in range(5)], [0.2, 0.15, 0.1, 0.05, 0.0], atol=1e-7)
    assert training.learning_rate(TrainConfig(decay=False, learning_rate=0.3)) == 0.3
