"""The skip-gram model in TensorFlow 2: an embedding table and a sampled loss.

Two losses tell true (target, context) pairs from noise:

* ``"nce"``: noise-contrastive estimation, :func:`tf.nn.nce_loss`, as in the article;
* ``"negative_sampling"``: word2vec's simpler loss, the same logits without NCE's
  correction by the noise probability.

The noise sampler is where frequency matters. ``"unigram"`` draws negatives from the
contexts' own counts raised to ``distortion`` (word2vec's unigram^0.75).
``"log_uniform"`` is TensorFlow's default: a Zipf law that is only right when id 0 is
the most frequent word, which a :class:`~bands2vec_lib.vocab.Vocabulary` guarantees.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from . import quiet_tensorflow

tf = quiet_tensorflow()

EMBEDDING_DIM = 64  # the article's embedding size
NUM_SAMPLED = 16  # the article's negatives per batch
LOSSES = ("nce", "negative_sampling")
SAMPLERS = ("unigram", "log_uniform", "uniform")


@dataclass(frozen=True)
class ModelConfig:
    """The model's hyper-parameters; the defaults are the article's settings."""

    dim: int = EMBEDDING_DIM
    num_sampled: int = NUM_SAMPLED
    loss: str = "nce"
    sampler: str = "unigram"
    distortion: float = 0.75
    init_scale: float = 1.0

    def __post_init__(self) -> None:
        for name in ("dim", "num_sampled"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
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
        # Uniform embeddings (the article: scale 1), small output weights, zero biases.
        self.embeddings = tf.Variable(
            init.uniform(-scale, scale, (vocab_size, dim)).astype(np.float32), name="embeddings"
        )
        self.weights = tf.Variable(
            (np.clip(init.normal(0, 1, (vocab_size, dim)), -2, 2) / np.sqrt(dim)).astype(np.float32),
            name="nce_weights",
        )
        self.biases = tf.Variable(tf.zeros([vocab_size]), name="nce_biases")
        if self.config.sampler == "unigram":
            if context_counts is None:
                raise ValueError("the unigram sampler needs context_counts")
            counts = np.asarray(context_counts, dtype=np.float64)
            if counts.shape != (vocab_size,) or not np.all(counts >= 0) or counts.sum() == 0:
                raise ValueError("context_counts must be one non-negative count per id, not all 0")
            # Every id keeps a little mass, so that any id can be drawn as noise.
            self.unigrams = (counts + 1.0).tolist()
        self._draws = 0

    def sample_noise(self, contexts: tf.Tensor):
        """Draw ``num_sampled`` noise ids for a batch (shared by the whole batch)."""
        cfg = self.config
        true = tf.reshape(tf.cast(contexts, tf.int64), [-1, 1])
        kwargs = dict(true_classes=true, num_true=1, num_sampled=cfg.num_sampled, unique=True,
                      range_max=self.vocab_size, seed=self.seed)  # fmt: skip
        if cfg.sampler == "unigram":
            return tf.random.fixed_unigram_candidate_sampler(
                distortion=cfg.distortion, unigrams=self.unigrams, **kwargs
            )
        if cfg.sampler == "log_uniform":
            return tf.random.log_uniform_candidate_sampler(**kwargs)
        return tf.random.uniform_candidate_sampler(**kwargs)

    def loss(self, targets: tf.Tensor, contexts: tf.Tensor) -> tf.Tensor:
        """The mean loss of a batch of (target, context) id pairs."""
        embedded = tf.nn.embedding_lookup(self.embeddings, targets)
        labels = tf.reshape(tf.cast(contexts, tf.int64), [-1, 1])
        noise = self.sample_noise(contexts)
        if self.config.loss == "nce":
            per_pair = tf.nn.nce_loss(
                weights=self.weights, biases=self.biases, labels=labels, inputs=embedded,
                num_sampled=self.config.num_sampled, num_classes=self.vocab_size,
                sampled_values=noise,
            )  # fmt: skip
        else:
            per_pair = negative_sampling_loss(
                embedded, self.weights, self.biases, labels[:, 0], noise[0]
            )
        return tf.reduce_mean(per_pair)


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
