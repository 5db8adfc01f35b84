"""The skip-gram model in TensorFlow 2: an embedding table and a sampled loss.

Two losses tell true (target, context) pairs from noise:

* ``"nce"``: noise-contrastive estimation, :func:`tf.nn.nce_loss`, as in the article;
* ``"negative_sampling"``: word2vec's simpler loss, the same logits without NCE's
  correction by the noise probability.

The noise sampler is where frequency matters. ``"unigram"`` draws negatives from the
contexts' own counts raised to ``distortion`` (word2vec's unigram^0.75).
``"log_uniform"`` is TensorFlow's default: a Zipf law over the ids, only right when ids
are sorted by how often each occurs as a context and those counts follow Zipf's law. A
:class:`~bands2vec_lib.vocab.Vocabulary` sorts by reviews, not by context counts (an
artist's context count follows the size of its groups and labels: on the sample they run
from 0 to about 2,300, median 220), so ``"unigram"``, which reads the counts, is the
default.

How many pairs share one draw of noise is ``noise_block``. :func:`tf.nn.nce_loss`
shares its ``num_sampled`` noise ids across the whole batch (``noise_block=None``, the
article's way). With large batches that starves the output layer of negatives, so by
default every block of 16 pairs draws its own 16 noise ids (word2vec draws them for
every pair): the same NCE formula, computed by :func:`sampled_logits`, and equal to
:func:`tf.nn.nce_loss` when the noise is the same (tested).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from . import quiet_tensorflow
from .errors import is_whole_number

tf = quiet_tensorflow()

EMBEDDING_DIM = 64  # the article's embedding size
NUM_SAMPLED = 16  # the article's negatives per batch
LOSSES = ("nce", "negative_sampling")
SAMPLERS = ("unigram", "log_uniform", "uniform")


@dataclass(frozen=True)
class ModelConfig:
    """The model's hyper-parameters: the article's 64 dimensions and 16 noise ids, and
    the library's own start, noise distribution and noise blocks (see the benchmarks)."""

    dim: int = EMBEDDING_DIM
    num_sampled: int = NUM_SAMPLED
    loss: str = "nce"
    sampler: str = "unigram"
    distortion: float = 0.75
    noise_block: int | None = 16
    init_scale: float = 0.1

    def __post_init__(self) -> None:
        for name in ("dim", "num_sampled"):
            value = getattr(self, name)
            if not is_whole_number(value) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
        block = self.noise_block
        if block is not None and (not is_whole_number(block) or block < 1):
            raise ValueError(f"noise_block must be a whole number of at least 1 or None, not {block!r}")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}, not {self.loss!r}")
        if self.sampler not in SAMPLERS:
            raise ValueError(f"sampler must be one of {', '.join(SAMPLERS)}, not {self.sampler!r}")

    def as_dict(self) -> dict:
        return asdict(self)


class SkipGram(tf.Module):
    """Skip-gram: a target's embedding scores every context through an output layer.

    Parameters
    ----------
    vocab_size
        Number of artists (or words).
    config
        Hyper-parameters.
    context_counts
        How often each id occurs as a context; the ``"unigram"`` sampler needs it.
    seed
        Seeds the initial weights and the noise sampler.
    """

    def __init__(
        self,
        vocab_size: int,
        config: ModelConfig | None = None,
        context_counts: np.ndarray | None = None,
        seed: int = 0,
    ):
        super().__init__(name="skip_gram")
        self.config = config or ModelConfig()
        if vocab_size < 2:
            raise ValueError(f"a vocabulary needs at least 2 entries, not {vocab_size}")
        if self.config.num_sampled >= vocab_size:
            raise ValueError(
                f"num_sampled ({self.config.num_sampled}) must be smaller than the vocabulary ({vocab_size})"
            )
        self.vocab_size = int(vocab_size)
        self.seed = int(seed)
        dim = self.config.dim
        init = np.random.default_rng(seed)
        scale = self.config.init_scale
        # Small uniform embeddings (the article used scale 1), zero output weights and biases,
        # as word2vec starts: the first updates then depend only on the data.
        self.embeddings = tf.Variable(
            init.uniform(-scale, scale, (vocab_size, dim)).astype(np.float32), name="embeddings"
        )
        self.weights = tf.Variable(tf.zeros([vocab_size, dim]), name="nce_weights")
        self.biases = tf.Variable(tf.zeros([vocab_size]), name="nce_biases")
        self.noise_probs = noise_distribution(self.config, vocab_size, context_counts)
        self._cdf = tf.constant(np.cumsum(self.noise_probs).astype(np.float32))
        self._log_expected = tf.constant(np.log(self.config.num_sampled * self.noise_probs).astype(np.float32))
        self.generator = tf.random.Generator.from_seed(seed)

    def sample_noise(self, contexts: tf.Tensor):
        """TensorFlow's candidate sampler: ``num_sampled`` ids shared by the whole batch."""
        cfg = self.config
        true = tf.reshape(tf.cast(contexts, tf.int64), [-1, 1])
        kwargs = dict(true_classes=true, num_true=1, num_sampled=cfg.num_sampled, unique=True,
                      range_max=self.vocab_size, seed=self.seed)  # fmt: skip
        if cfg.sampler == "unigram":
            return tf.random.fixed_unigram_candidate_sampler(
                distortion=cfg.distortion, unigrams=(self.noise_probs ** (1 / cfg.distortion)).tolist(), **kwargs
            )
        if cfg.sampler == "log_uniform":
            return tf.random.log_uniform_candidate_sampler(**kwargs)
        return tf.random.uniform_candidate_sampler(**kwargs)

    def draw_noise(self, n_blocks: int) -> tf.Tensor:
        """``num_sampled`` noise ids for each of ``n_blocks`` blocks, shape (n_blocks, K)."""
        k = self.config.num_sampled
        u = self.generator.uniform([n_blocks * k])
        ids = tf.minimum(tf.searchsorted(self._cdf, u, side="right"), self.vocab_size - 1)
        return tf.reshape(tf.cast(ids, tf.int64), [n_blocks, k])

    def batch_noise(self, contexts: tf.Tensor):
        """The noise of a batch: its blocks' ids (:meth:`draw_noise`), or with
        ``noise_block=None`` the candidate sampler's draw (:meth:`sample_noise`)."""
        block = self.config.noise_block
        if block is None:
            return self.sample_noise(tf.cast(contexts, tf.int64))
        batch = tf.shape(contexts)[0]
        tf.debugging.assert_equal(
            batch % block, 0, message=f"the batch size must be a multiple of noise_block ({block})"
        )
        return self.draw_noise(batch // block)

    def noise_ids(self, noise) -> tf.Tensor:
        """Every id in a batch's noise (:meth:`batch_noise`), as one vector."""
        return tf.reshape(noise[0] if self.config.noise_block is None else noise, [-1])

    def rows_read(self, targets: tf.Tensor, contexts: tf.Tensor, noise) -> dict:
        """The rows of each table a batch's loss reads, by the table's ``ref()``: the targets'
        embeddings, and the output weights and biases of the contexts and the noise."""
        outputs = tf.concat([tf.cast(contexts, tf.int64), self.noise_ids(noise)], 0)
        return {self.embeddings.ref(): targets, self.weights.ref(): outputs, self.biases.ref(): outputs}

    def loss(self, targets: tf.Tensor, contexts: tf.Tensor, noise=None) -> tf.Tensor:
        """The mean loss of a batch of (target, context) id pairs, against ``noise`` (drawn
        by :meth:`batch_noise` when not given)."""
        embedded = tf.nn.embedding_lookup(self.embeddings, targets)
        contexts = tf.cast(contexts, tf.int64)
        block = self.config.noise_block
        if noise is None:
            noise = self.batch_noise(contexts)
        if block is None:
            if self.config.loss == "nce":
                return tf.reduce_mean(tf.nn.nce_loss(
                    weights=self.weights, biases=self.biases, labels=contexts[:, None], inputs=embedded,
                    num_sampled=self.config.num_sampled, num_classes=self.vocab_size, sampled_values=noise,
                ))  # fmt: skip
            return tf.reduce_mean(negative_sampling_loss(embedded, self.weights, self.biases, contexts, noise[0]))
        true_logit, noise_logits = sampled_logits(embedded, self.weights, self.biases, contexts, noise, block)
        if self.config.loss == "nce":
            # NCE: a logit minus the log of how often the noise would produce that id.
            true_logit -= tf.gather(self._log_expected, contexts)
            noise_logits -= tf.gather(self._log_expected, noise)[:, None, :]
        noise_loss = tf.reshape(tf.reduce_sum(tf.nn.softplus(noise_logits), axis=2), [-1])
        return tf.reduce_mean(tf.nn.softplus(-true_logit) + noise_loss)


def noise_distribution(config: ModelConfig, vocab_size: int, context_counts: np.ndarray | None) -> np.ndarray:
    """The probability of drawing each id as noise, for the configured sampler."""
    if config.sampler == "unigram":
        if context_counts is None:
            raise ValueError("the unigram sampler needs context_counts")
        counts = np.asarray(context_counts, dtype=np.float64)
        if counts.shape != (vocab_size,) or not np.all(counts >= 0) or counts.sum() == 0:
            raise ValueError("context_counts must be one non-negative count per id, not all 0")
        probs = (counts + 1.0) ** config.distortion  # +1: every id can be drawn as noise
    elif config.sampler == "log_uniform":
        ids = np.arange(vocab_size, dtype=np.float64)
        probs = np.log(ids + 2) - np.log(ids + 1)  # TensorFlow's Zipf law over sorted ids
    else:
        probs = np.ones(vocab_size)
    return probs / probs.sum()


def sampled_logits(
    embedded: tf.Tensor, weights: tf.Tensor, biases: tf.Tensor, contexts: tf.Tensor, noise: tf.Tensor, block: int
) -> tuple[tf.Tensor, tf.Tensor]:
    """Logits of the true contexts, shape (B,), and of each block's noise, (B/block, block, K).

    ``embedded`` is (B, dim); ``noise`` holds the noise ids of each block of ``block`` pairs.
    """
    true_logit = tf.reduce_sum(embedded * tf.gather(weights, contexts), axis=1) + tf.gather(biases, contexts)
    dim = tf.shape(embedded)[1]
    blocks = tf.reshape(embedded, [-1, block, dim])
    noise_logits = tf.einsum("gid,gkd->gik", blocks, tf.gather(weights, noise))
    noise_logits += tf.gather(biases, noise)[:, None, :]
    return true_logit, noise_logits


def negative_sampling_loss(
    embedded: tf.Tensor,
    weights: tf.Tensor,
    biases: tf.Tensor,
    contexts: tf.Tensor,
    noise: tf.Tensor,
) -> tf.Tensor:
    """word2vec's negative-sampling loss per pair: -log s(u.v) - sum log s(-u.v_noise).

    ``noise`` ids are shared by the batch, as in :func:`tf.nn.nce_loss`; a noise id that
    equals the true context is masked out (an "accidental hit").
    """
    true_w = tf.gather(weights, contexts)
    true_logit = tf.reduce_sum(embedded * true_w, axis=1) + tf.gather(biases, contexts)
    noise_logits = tf.matmul(embedded, tf.gather(weights, noise), transpose_b=True)
    noise_logits += tf.gather(biases, noise)
    hit = tf.equal(tf.cast(contexts, tf.int64)[:, None], tf.cast(noise, tf.int64)[None, :])
    noise_loss = tf.where(hit, 0.0, tf.nn.softplus(noise_logits))
    return tf.nn.softplus(-true_logit) + tf.reduce_sum(noise_loss, axis=1)
