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
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .embeddings import Embeddings
from .errors import ModelFileError, is_whole_number
from .heldout import HOLD_OUT, hide_labels
from .model import ModelConfig, SkipGram, tf
from .pairs import GENRE_SHARE, JOINT_SHARE, LABEL_GROUP_SHARE, LABEL_SHARE, ContextGroups, context_pairs, pair_counts
from .vocab import Vocabulary

OPTIMIZERS = ("adam", "dense_adam", "lazy_adam", "sgd")


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
    # "adam" (dense Adam's updates, made only to the rows a batch uses, so a step's cost
    # does not grow with the vocabulary), "dense_adam" (every row, every step), "lazy_adam"
    # (only the rows a batch uses, with no moves in between) or "sgd" (the article's, TF1's)
    optimizer: str = "adam"
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


class DenseAdam:
    """Adam on dense gradients: every row of every table moves at every step."""

    def __init__(self, variables: list[tf.Variable], beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-7):
        self.variables = variables
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.m = [tf.Variable(tf.zeros_like(v)) for v in variables]
        self.v = [tf.Variable(tf.zeros_like(v)) for v in variables]
        self.t = tf.Variable(0.0)

    def apply(self, gradients: list, learning_rate: tf.Tensor) -> None:
        self.t.assign_add(1.0)
        correction = tf.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
        for var, grad, m, v in zip(self.variables, gradients, self.m, self.v, strict=True):
            grad = tf.convert_to_tensor(grad)
            m.assign(self.beta1 * m + (1 - self.beta1) * grad)
            v.assign(self.beta2 * v + (1 - self.beta2) * tf.square(grad))
            var.assign_sub(learning_rate * correction * m / (tf.sqrt(v) + self.epsilon))

    def prepare(self, rows: list) -> None:
        """Nothing to do before a step: every row is where dense Adam put it."""

    def finish(self) -> None:
        """Nothing is pending: every step moved every row."""


def _rows_and_sums(grad, n_rows) -> tuple[tf.Tensor, tf.Tensor]:
    """The distinct rows of a gradient and the summed gradient of each."""
    if not isinstance(grad, tf.IndexedSlices):  # dense (a strategy's reduced gradients): every row
        return tf.range(n_rows, dtype=tf.int64), tf.convert_to_tensor(grad)
    rows, position = tf.unique(tf.cast(grad.indices, tf.int64))
    return rows, tf.math.unsorted_segment_sum(grad.values, position, tf.shape(rows)[0])


class Adam(DenseAdam):
    """Dense Adam's updates, made only to the rows a batch uses: a step costs what its batch
    costs, whatever the number of rows.

    A row with no gradient at a step still moves under dense Adam, by its fading running
    mean: at step u, ``lr_u * c_u * (b1**k * m) / (sqrt(b2**k * v) + eps)``, ``k`` steps
    after its last gradient (``c_u`` is the bias correction). Leaving out ``eps`` (which is
    small beside ``sqrt(v)`` while ``m`` is not yet negligible) that is ``r**k * lr_u * c_u *
    m / sqrt(v)`` with ``r = b1 / sqrt(b2)``, so the moves a row missed add up to one number
    times ``m / sqrt(v)``: this optimizer makes them when the row next has a gradient, and
    for every row in :meth:`finish`. The sums come from the learning-rate ``schedule`` (one
    rate per step), known before training starts.
    """

    def __init__(self, variables: list[tf.Variable], schedule, **kwargs):
        super().__init__(variables, **kwargs)
        schedule = np.asarray(schedule, dtype=np.float64)
        steps = np.arange(1, len(schedule) + 1)
        moves = schedule * np.sqrt(1 - self.beta2**steps) / (1 - self.beta1**steps)  # lr_u * c_u
        # tail[u] = sum over w >= u of r**(w - u) * moves[w], steps 1..T (tail[T + 1] = 0)
        self.ratio = self.beta1 / np.sqrt(self.beta2)
        tail = np.zeros(len(schedule) + 2)
        for u in range(len(schedule), 0, -1):
            tail[u] = moves[u - 1] + self.ratio * tail[u + 1]
        self.tail = tf.constant(tail, dtype=tf.float32)
        self.last = [tf.Variable(tf.zeros([var.shape[0]], tf.int64)) for var in variables]

    def _step(self) -> tf.Tensor:
        """The steps made so far, as an integer (Adam's ``t``)."""
        return tf.cast(self.t, tf.int64)

    def _missed(self, last: tf.Tensor, end: tf.Tensor, m: tf.Tensor, v: tf.Tensor) -> tf.Tensor:
        """Dense Adam's moves, from step ``last + 1`` to step ``end - 1``, of rows whose
        running means were ``m`` and ``v`` after step ``last``."""
        gap = tf.cast(end - last, tf.float32)
        # sum over u of r**(u - last) * moves[u] = r * tail[last + 1] - r**gap * tail[end]
        total = self.ratio * tf.gather(self.tail, last + 1) - self.ratio**gap * tf.gather(self.tail, end)
        return _per_row(total, m) * m / (tf.sqrt(v) + self.epsilon)

    def prepare(self, rows: list) -> None:
        """Make the moves dense Adam would have made since their last gradient to the rows a
        step is about to read (one id vector per variable, repeats allowed), so the step's
        gradients are taken where dense Adam's would be. Their running means stay as they
        were after that gradient: :meth:`apply` fades them."""
        for var, ids, m, v, last in zip(self.variables, rows, self.m, self.v, self.last, strict=True):
            ids, _ = tf.unique(tf.cast(ids, tf.int64))
            moves = self._missed(tf.gather(last, ids), self._step() + 1, tf.gather(m, ids), tf.gather(v, ids))
            _subtract_rows(var, moves, ids)

    def apply(self, gradients: list, learning_rate: tf.Tensor) -> None:
        """One step of Adam for the rows with a gradient, every one of which :meth:`prepare`
        has brought up to date."""
        self.t.assign_add(1.0)
        step = self._step()
        correction = tf.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
        for var, grad, m, v, last in zip(self.variables, gradients, self.m, self.v, self.last, strict=True):
            rows, summed = _rows_and_sums(grad, var.shape[0])
            m_rows, v_rows = tf.gather(m, rows), tf.gather(v, rows)
            idle = _per_row(tf.cast(step - tf.gather(last, rows), tf.float32), m_rows)  # steps since
            m_rows = self.beta1**idle * m_rows + (1 - self.beta1) * summed
            v_rows = self.beta2**idle * v_rows + (1 - self.beta2) * tf.square(summed)
            m.scatter_update(tf.IndexedSlices(m_rows, rows))
            v.scatter_update(tf.IndexedSlices(v_rows, rows))
            last.scatter_update(tf.IndexedSlices(tf.fill(tf.shape(rows), step), rows))
            _subtract_rows(var, learning_rate * correction * m_rows / (tf.sqrt(v_rows) + self.epsilon), rows)

    def finish(self) -> None:
        """Make every row's pending moves, up to the last step: the tables are then dense
        Adam's. (The running means are left as they were: training is over.)"""
        self._finish()

    @tf.function(autograph=False)
    def _finish(self) -> None:
        for var, m, v, last in zip(self.variables, self.m, self.v, self.last, strict=True):
            var.assign_sub(self._missed(last, self._step() + 1, m, v))


def _subtract_rows(var: tf.Variable, amounts: tf.Tensor, rows: tf.Tensor) -> None:
    """``var[rows] -= amounts`` for distinct ``rows`` (a gather and a scatter cost far less
    on CPU than TensorFlow's ``scatter_sub``, which also adds up repeated rows)."""
    var.scatter_update(tf.IndexedSlices(tf.gather(var, rows) - amounts, rows))


def _per_row(values: tf.Tensor, like: tf.Tensor) -> tf.Tensor:
    """One value per row, shaped to multiply the rows of ``like``."""
    return values if like.shape.rank == 1 else values[:, None]


class LazyAdam(DenseAdam):
    """Adam that updates only the rows a batch uses: a step's cost follows the batch, not
    the number of rows. A row's moments move only on the steps that use it (as in
    TensorFlow Addons' LazyAdam), so rare rows are not dragged by momentum in between.
    """

    def apply(self, gradients: list, learning_rate: tf.Tensor) -> None:
        self.t.assign_add(1.0)
        correction = tf.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
        for var, grad, m, v in zip(self.variables, gradients, self.m, self.v, strict=True):
            if not isinstance(grad, tf.IndexedSlices):
                raise TypeError("lazy_adam needs the sparse gradients of embedding lookups")
            rows, summed = _rows_and_sums(grad, var.shape[0])
            m_rows = self.beta1 * tf.gather(m, rows) + (1 - self.beta1) * summed
            v_rows = self.beta2 * tf.gather(v, rows) + (1 - self.beta2) * tf.square(summed)
            m.scatter_update(tf.IndexedSlices(m_rows, rows))
            v.scatter_update(tf.IndexedSlices(v_rows, rows))
            _subtract_rows(var, learning_rate * correction * m_rows / (tf.sqrt(v_rows) + self.epsilon), rows)


class SGD:
    """Plain gradient descent, as TensorFlow 1's ``GradientDescentOptimizer``: sparse
    gradients (the rows a batch used) update only those rows."""

    def __init__(self, variables: list[tf.Variable]):
        self.variables = variables

    def prepare(self, rows: list) -> None:
        """Nothing to do before a step."""

    def finish(self) -> None:
        """Nothing is pending."""

    def apply(self, gradients: list, learning_rate: tf.Tensor) -> None:
        for var, grad in zip(self.variables, gradients, strict=True):
            if isinstance(grad, tf.IndexedSlices):
                var.scatter_sub(tf.IndexedSlices(learning_rate * grad.values, grad.indices))
            else:
                var.assign_sub(learning_rate * grad)


def make_optimizer(config: TrainConfig, variables: list[tf.Variable], *, distributed: bool = False):
    """The optimizer ``config`` names, for ``variables``.

    ``distributed``: the replicas of a strategy hand over dense, summed gradients, so
    ``"adam"`` is :class:`DenseAdam` there (the same updates; nothing to gain from rows).
    """
    if config.optimizer == "adam" and not distributed:
        return Adam(variables, schedule=learning_rates(config))
    if config.optimizer == "adam":
        return DenseAdam(variables)
    return {"dense_adam": DenseAdam, "lazy_adam": LazyAdam, "sgd": SGD}[config.optimizer](variables)


def learning_rates(config: TrainConfig) -> np.ndarray:
    """The learning rate of each step: falling linearly to 0 with ``decay``, else constant."""
    steps = np.arange(config.steps, dtype=np.float64)
    return config.learning_rate * (1 - steps / config.steps if config.decay else np.ones_like(steps))


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
    if strategy is not None and config.optimizer == "lazy_adam":
        raise ValueError("lazy_adam updates the rows one device used; with a strategy, use adam or sgd")
    if config.batch_size % replicas:
        raise ValueError(f"a batch of {config.batch_size} pairs does not divide among {replicas} replicas")
    tf.random.set_seed(config.seed)
    tf.config.experimental.enable_op_determinism()
    counts = np.bincount(pairs[:needed, 1], minlength=len(vocab))
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        model = SkipGram(len(vocab), config.model, context_counts=counts, seed=config.seed)
        variables = [model.embeddings, model.weights, model.biases]
        optimizer = make_optimizer(config, variables, distributed=strategy is not None)
        step = tf.Variable(0.0)
    dataset = pair_dataset(pairs[:needed], config.batch_size)
    batches = iter(dataset if strategy is None else strategy.experimental_distribute_dataset(dataset))
    lr0, total_steps = config.learning_rate, float(config.steps)

    def gradients(targets: tf.Tensor, contexts: tf.Tensor) -> tuple[tf.Tensor, list]:
        noise = model.batch_noise(contexts)
        outputs = tf.concat([tf.cast(contexts, tf.int64), model.noise_ids(noise)], 0)
        optimizer.prepare([targets, outputs, outputs])  # the rows this batch reads
        with tf.GradientTape() as tape:
            loss = model.loss(targets, contexts, noise)
        return loss, tape.gradient(loss, variables)

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
        lr = lr0 * (1.0 - step / total_steps) if config.decay else tf.constant(lr0)
        optimizer.apply(grads, lr)
        step.assign_add(1.0)
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
