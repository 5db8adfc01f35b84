"""Training the skip-gram model: pairs in bulk, ``tf.data`` batches, ``tf.function`` steps.

One Python round trip runs a whole window of ``log_every`` steps inside a traced graph,
and the loss history records the mean loss of each window: an honest figure for that
stretch of training, not a running mean since step 0.

>>> from bands2vec_lib.data import load_artists
>>> result = train(load_artists(n_artists=200), TrainConfig(steps=20, log_every=10))
>>> len(result.history.steps), result.embeddings.dim
(2, 64)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import keras
import numpy as np
import pandas as pd

from .embeddings import Embeddings
from .errors import ModelFileError, is_whole_number
from .heldout import HOLD_OUT, hide_labels
from .model import ModelConfig, SkipGram, tf
from .pairs import GENRE_SHARE, JOINT_SHARE, LABEL_GROUP_SHARE, LABEL_SHARE, ContextGroups, context_pairs, pair_counts
from .rowwise_adam import RowwiseAdam
from .vocab import Vocabulary

OPTIMIZERS = ("auto", "adam", "rowwise_adam", "sgd")
# From this many rows the row-wise Adam trains faster than Keras's, whose every step moves
# every row (the benchmarks page measures both).
ROWWISE_FROM = 100_000
ADAM_EPSILON = 1e-7  # Keras's default, written out: the row-wise Adam uses the same


TF1_BATCH, TF1_LEARNING_RATE, TF1_INIT = 64, 1.0, 1.0  # the article's TF1 graph (lesson 5)


@dataclass(frozen=True)
class TrainConfig:
    """How to train: the defaults are the library's tuned recipe (see the benchmarks).

    The pairs: ``joint_share`` of them share a group (a genre and a score bucket),
    ``label_group_share`` a record label within a group, ``label_share`` a label alone,
    ``genre_share`` a genre, and the rest a score bucket alone
    (:func:`~bands2vec_lib.pairs.context_pairs`). The default learns genres, scores and
    labels, with ``hold_out`` of the label memberships hidden from it
    (:func:`~bands2vec_lib.heldout.hide_labels`, seeded by ``hold_out_seed``) so that
    they can be asked for afterwards. :meth:`article` is the original article's mix (80%
    genre, 20% bucket), which learns genres and hardly any score; :meth:`labels` learns
    from labels alone, never seeing a genre.
    """

    steps: int = 500
    batch_size: int = 4096
    learning_rate: float = 0.05
    decay: bool = True  # the learning rate falls linearly to 0 over the steps
    # "adam" (Keras's), "rowwise_adam" (Adam's updates made only to the rows a batch uses:
    # faster for large catalogues), "auto" (the one that is faster for the catalogue's size)
    # or "sgd" (Keras's plain gradient descent, the article's TF1 optimizer)
    optimizer: str = "auto"
    genre_share: float = 0.0
    joint_share: float = JOINT_SHARE
    label_share: float = LABEL_SHARE
    label_group_share: float = LABEL_GROUP_SHARE
    hold_out: float = HOLD_OUT
    hold_out_seed: int = 0
    seed: int = 0
    log_every: int = 50
    model: ModelConfig = field(default_factory=ModelConfig)

    def __post_init__(self) -> None:
        for name in ("steps", "batch_size", "log_every"):
            value = getattr(self, name)
            if not is_whole_number(value) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, not {self.optimizer!r}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, not {self.learning_rate!r}")
        try:
            pair_counts(0, self.genre_share, self.joint_share, self.label_share, self.label_group_share)
        except ValueError as e:
            hint = ""
            if self.genre_share and self.joint_share == JOINT_SHARE:
                hint = " (for the article's genre and score mix, use TrainConfig.article(genre_share=...))"
            raise ValueError(f"{e}{hint}") from None
        if not 0.0 <= self.hold_out < 1.0:
            raise ValueError(f"hold_out must be at least 0 and below 1, not {self.hold_out!r}")
        block = self.model.noise_block
        if block is not None and self.batch_size % block:
            raise ValueError(f"batch_size ({self.batch_size}) must be a multiple of noise_block ({block})")

    @classmethod
    def article(cls, **changes) -> TrainConfig:
        """The article's pairs (80% share a genre, 20% a score bucket), the rest as given.

        >>> TrainConfig.article().genre_share, TrainConfig.article(steps=10).joint_share
        (0.8, 0.0)
        """
        return cls(**{"genre_share": GENRE_SHARE, "joint_share": 0.0, "label_group_share": 0.0, "label_share": 0.0,
                      **changes})  # fmt: skip

    def tf1(self) -> TrainConfig:
        """This training the article's TF1 way (lesson 5's graph): SGD at a constant rate of 1,
        batches of 64 (as many pairs in all), embeddings uniform in (-1, 1), one noise draw
        per batch.

        >>> TrainConfig.article().tf1().batch_size, TrainConfig.article().tf1().steps
        (64, 32000)
        """
        pairs = self.steps * self.batch_size
        return replace(
            self, steps=pairs // TF1_BATCH, batch_size=TF1_BATCH, learning_rate=TF1_LEARNING_RATE, decay=False,
            optimizer="sgd", log_every=1000, model=replace(self.model, init_scale=TF1_INIT, noise_block=None),
        )  # fmt: skip

    @classmethod
    def labels(cls, **changes) -> TrainConfig:
        """Pairs of artists that share a record label, and nothing else: vectors that never
        see a genre or a score (judged on genres in lesson 7 and by ``bands2vec evaluate``).

        >>> TrainConfig.labels().label_share, TrainConfig.labels().joint_share
        (1.0, 0.0)
        """
        return cls(**{"joint_share": 0.0, "label_group_share": 0.0, "label_share": 1.0, "hold_out": 0.0, **changes})

    @property
    def sees_genres(self) -> bool:
        """Whether any of the pairs comes from a shared genre."""
        return self.genre_share + self.joint_share + self.label_group_share > 0

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> TrainConfig:
        """The config :meth:`as_dict` gave (as a model file stores it); unknown keys are an error."""
        values = dict(values)
        model = ModelConfig(**values.pop("model", {}))
        return cls(**values, model=model)


@dataclass(frozen=True)
class LossHistory:
    """The mean loss of each window of steps; ``steps`` is the last step of each window."""

    steps: np.ndarray
    loss: np.ndarray

    def as_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"step": self.steps, "loss": self.loss})


@dataclass(frozen=True)
class TrainResult:
    embeddings: Embeddings
    history: LossHistory
    model: SkipGram
    seconds: float


def learning_rate(config: TrainConfig):
    """The learning rate of each step, as Keras takes it: falling linearly from
    ``config.learning_rate`` to 0 over the steps with ``decay`` (Keras's
    :class:`~keras.optimizers.schedules.PolynomialDecay` of power 1), else a constant."""
    if not config.decay:
        return config.learning_rate
    return keras.optimizers.schedules.PolynomialDecay(config.learning_rate, config.steps, end_learning_rate=0.0)


def optimizer_for(config: TrainConfig, n_rows: int, *, distributed: bool = False):
    """The optimizer ``config`` names for tables of ``n_rows`` rows.

    ``"adam"`` and ``"sgd"`` are Keras's. ``"rowwise_adam"`` makes Adam's updates only to the
    rows a batch uses (:class:`~bands2vec_lib.rowwise_adam.RowwiseAdam`): faster from about
    :data:`ROWWISE_FROM` rows up. ``"auto"`` (the default) takes Keras's Adam below that size
    and the row-wise one from it; under a ``tf.distribute`` strategy (``distributed``) the
    replicas hand over dense gradients, and Keras's Adam is used.
    """
    name = config.optimizer
    if name == "auto":
        name = "rowwise_adam" if n_rows >= ROWWISE_FROM and not distributed else "adam"
    if name == "rowwise_adam" and not distributed:
        return RowwiseAdam(learning_rate(config), config.steps)
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate(config))
    return keras.optimizers.Adam(learning_rate(config), epsilon=ADAM_EPSILON)


def pair_dataset(pairs: np.ndarray, batch_size: int) -> tf.data.Dataset:
    """Batches of (targets, contexts) from an ``(n, 2)`` array of pairs, in order; an
    incomplete last batch is dropped."""
    pairs = np.asarray(pairs, dtype=np.int64)
    n_batches = len(pairs) // batch_size
    batches = pairs[: n_batches * batch_size].reshape(n_batches, batch_size, 2)
    # One element per batch: slicing whole batches costs far less than batching single pairs.
    return tf.data.Dataset.from_tensor_slices((batches[:, :, 0], batches[:, :, 1]))


def train_on_pairs(
    pairs: np.ndarray,
    vocab: Vocabulary,
    config: TrainConfig | None = None,
    *,
    progress: bool = False,
    strategy: tf.distribute.Strategy | None = None,
) -> TrainResult:
    """Train on given (target, context) pairs: ``steps * batch_size`` of them are used.

    ``strategy`` spreads each batch over several devices or machines
    (:class:`tf.distribute.MirroredStrategy`, :class:`tf.distribute.MultiWorkerMirroredStrategy`):
    every replica computes the gradients of its share of the batch, their mean updates one
    copy of the variables that all replicas hold. ``batch_size`` is the batch of all
    replicas together and must divide evenly among them.
    """
    config = config or TrainConfig()
    needed = config.steps * config.batch_size
    if len(pairs) < needed:
        raise ValueError(f"{config.steps} steps of {config.batch_size} need {needed} pairs, not {len(pairs)}")
    replicas = 1 if strategy is None else strategy.num_replicas_in_sync
    if config.batch_size % replicas:
        raise ValueError(f"a batch of {config.batch_size} pairs does not divide among {replicas} replicas")
    tf.random.set_seed(config.seed)
    tf.config.experimental.enable_op_determinism()
    counts = np.bincount(pairs[:needed, 1], minlength=len(vocab))
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        model = SkipGram(len(vocab), config.model, context_counts=counts, seed=config.seed)
        variables = [model.embeddings, model.weights, model.biases]
        optimizer = optimizer_for(config, len(vocab), distributed=strategy is not None)
        optimizer.build(variables)
    rowwise = isinstance(optimizer, RowwiseAdam)
    dataset = pair_dataset(pairs[:needed], config.batch_size)
    batches = iter(dataset if strategy is None else strategy.experimental_distribute_dataset(dataset))

    def gradients(targets: tf.Tensor, contexts: tf.Tensor) -> tuple[tf.Tensor, list]:
        noise = model.batch_noise(contexts)
        if rowwise:  # bring the rows this batch reads up to date first
            optimizer.prepare(model.rows_read(targets, contexts, noise))
        with tf.GradientTape() as tape:
            loss = model.loss(targets, contexts, noise)
        grads = tape.gradient(loss, variables)
        # Keras's Adam moves every row at every step: it takes the gradients whole.
        return loss, grads if rowwise or config.optimizer == "sgd" else [tf.convert_to_tensor(g) for g in grads]

    def replica_gradients(targets: tf.Tensor, contexts: tf.Tensor) -> tuple[tf.Tensor, list]:
        loss, grads = gradients(targets, contexts)
        return loss, [tf.convert_to_tensor(g) for g in grads]  # dense: each replica's rows differ

    def distributed_gradients(targets, contexts) -> tuple[tf.Tensor, list]:
        """The mean loss and the mean gradients over the replicas, each on its share."""
        loss, grads = strategy.run(replica_gradients, args=(targets, contexts))
        mean = tf.distribute.ReduceOp.MEAN
        return strategy.reduce(mean, loss, axis=None), [strategy.reduce(mean, g, axis=None) for g in grads]

    def train_step(i: tf.Tensor, total: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        targets, contexts = next(batches)
        if strategy is None:
            loss, grads = gradients(targets, contexts)
        else:
            loss, grads = distributed_gradients(targets, contexts)
        optimizer.apply_gradients(zip(grads, variables, strict=True))
        return i + 1, total + loss

    # A plain tf.while_loop, without autograph: nothing to convert, so tracing is quick.
    @tf.function(autograph=False)
    def run_window(n_steps: tf.Tensor) -> tf.Tensor:
        _, total = tf.while_loop(lambda i, _: i < n_steps, train_step, (tf.constant(0), tf.constant(0.0)))
        return total / tf.cast(n_steps, tf.float32)

    ends = list(range(config.log_every, config.steps, config.log_every)) + [config.steps]
    losses = []
    bar = _progress(len(ends), progress)
    start, done = time.perf_counter(), 0
    for end in ends:
        losses.append(float(run_window(tf.constant(end - done))))
        done = end
        if bar is not None:
            bar.set_postfix(step=end, loss=f"{losses[-1]:.3f}")
            bar.update()
    if bar is not None:
        bar.close()
    if rowwise:
        optimizer.finish()
    seconds = time.perf_counter() - start
    meta = {"train": config.as_dict(), "vocab_size": len(vocab), "final_loss": losses[-1]}
    embeddings = Embeddings(vocab.names, model.embeddings.numpy(), meta)
    history = LossHistory(np.array(ends), np.array(losses))
    return TrainResult(embeddings, history, model, seconds)


def _progress(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="training", unit="window")


def train(
    artists: pd.DataFrame,
    config: TrainConfig | None = None,
    *,
    progress: bool = False,
    strategy: tf.distribute.Strategy | None = None,
) -> TrainResult:
    """Train Bands2Vec on an artist table: pairs from shared genres and score buckets.

    ``strategy``: a :mod:`tf.distribute` strategy to train with (see :func:`train_on_pairs`).
    """
    config = config or TrainConfig()
    vocab = Vocabulary.from_artists(artists)
    pairs = training_pairs(artists, vocab, config)
    return train_on_pairs(pairs, vocab, config, progress=progress, strategy=strategy)


def training_pairs(artists: pd.DataFrame, vocab: Vocabulary, config: TrainConfig) -> np.ndarray:
    """The ``steps * batch_size`` pairs that :func:`train` uses for ``config``: from the
    artists' labels without those ``config.hold_out`` hides."""
    if config.hold_out and config.label_share + config.label_group_share:
        artists = hide_labels(artists, config.hold_out, config.hold_out_seed).kept
    return context_pairs(
        ContextGroups.from_artists(artists, vocab), config.steps * config.batch_size,
        genre_share=config.genre_share, joint_share=config.joint_share, label_share=config.label_share,
        label_group_share=config.label_group_share, seed=config.seed,
    )  # fmt: skip


def train_or_load(
    artists: pd.DataFrame, config: TrainConfig | None = None, path: str | os.PathLike | None = None
) -> Embeddings:
    """Embeddings from ``path`` if it holds this training's result, else train and save them.

    The file records the training settings and the artists (:func:`save_trained`), so a
    lesson can reuse what an earlier lesson trained, and gets the same vectors by training
    itself when the file is absent or was made from other data or settings.
    """
    config = config or TrainConfig()
    if path is not None and Path(path).is_file():
        try:
            emb = Embeddings.load(path)
            if all(emb.meta.get(k) == v for k, v in _provenance(artists, config).items()):
                return emb
        except ModelFileError:
            pass  # not ours, or damaged: train again and replace it
    emb = train(artists, config).embeddings
    if path is not None:
        save_trained(emb, artists, config, path)
    return emb


def save_trained(emb: Embeddings, artists: pd.DataFrame, config: TrainConfig, path: str | os.PathLike) -> Path:
    """Save embeddings trained on ``artists`` with ``config`` so :func:`train_or_load` reuses them."""
    emb.meta.update(_provenance(artists, config))
    return emb.save(path, overwrite=True)


def _provenance(artists: pd.DataFrame, config: TrainConfig) -> dict:
    # JSON turns tuples into lists; compare what a saved file will hold.
    return json.loads(json.dumps({"train": config.as_dict(), "artists": artists_fingerprint(artists)}))


def artists_fingerprint(artists: pd.DataFrame) -> str:
    """A short hash of the artists and their genres, scores and labels: same data, same hash."""
    text = "\n".join(
        f"{name}|{','.join(sorted(g))}|{s:.4f}|{','.join(sorted(ls))}"
        for name, g, s, ls in zip(
            artists.index, artists["genres"], artists["mean_score"], artists["labels"], strict=True
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]
