"""The TensorFlow skip-gram model: configuration, samplers and losses."""

from __future__ import annotations

import numpy as np
import pytest

from bands2vec_lib.model import LOSSES, SAMPLERS, ModelConfig, SkipGram, negative_sampling_loss, tf


def test_defaults_are_the_articles():
    config = ModelConfig()
    assert (config.dim, config.num_sampled, config.loss, config.sampler) == (64, 16, "nce", "unigram")
    assert config.distortion == 0.75
    assert config.as_dict()["dim"] == 64


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"dim": 0}, "dim must be a whole number of at least 1"),
        ({"dim": -8}, "dim must be"),
        ({"dim": 8.0}, "dim must be"),
        ({"dim": True}, "dim must be"),
        ({"num_sampled": 0}, "num_sampled must be a whole number of at least 1"),
        ({"loss": "softmax"}, "loss must be one of nce, negative_sampling"),
        ({"sampler": "zipf"}, "sampler must be one of unigram, log_uniform, uniform"),
    ],
)
def test_bad_configs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ModelConfig(**kwargs)


def counts(n: int) -> np.ndarray:
    return np.arange(n, 0, -1).astype(float) ** 2  # id 0 the most frequent


def test_model_shapes_and_seeded_init():
    config = ModelConfig(dim=8, num_sampled=4)
    a = SkipGram(30, config, context_counts=counts(30), seed=1)
    b = SkipGram(30, config, context_counts=counts(30), seed=1)
    c = SkipGram(30, config, context_counts=counts(30), seed=2)
    assert a.embeddings.shape == (30, 8) and a.weights.shape == (30, 8) and a.biases.shape == (30,)
    np.testing.assert_array_equal(a.embeddings.numpy(), b.embeddings.numpy())
    np.testing.assert_array_equal(a.weights.numpy(), b.weights.numpy())
    assert not np.array_equal(a.embeddings.numpy(), c.embeddings.numpy())
    assert np.abs(a.embeddings.numpy()).max() <= config.init_scale
    np.testing.assert_array_equal(a.biases.numpy(), 0)


def test_bad_models():
    with pytest.raises(ValueError, match="at least 2 entries"):
        SkipGram(1, ModelConfig(num_sampled=1), context_counts=[1])
    with pytest.raises(ValueError, match=r"num_sampled \(16\) must be smaller than the vocabulary \(10\)"):
        SkipGram(10, context_counts=counts(10))
    with pytest.raises(ValueError, match="needs context_counts"):
        SkipGram(30, ModelConfig(num_sampled=4))
    with pytest.raises(ValueError, match="one non-negative count per id"):
        SkipGram(30, ModelConfig(num_sampled=4), context_counts=np.zeros(30))
    with pytest.raises(ValueError, match="one non-negative count per id"):
        SkipGram(30, ModelConfig(num_sampled=4), context_counts=counts(29))
    SkipGram(30, ModelConfig(num_sampled=4, sampler="uniform"))  # no counts needed


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_noise_ids_in_range_and_unique(sampler):
    model = SkipGram(50, ModelConfig(dim=4, num_sampled=10, sampler=sampler), context_counts=counts(50))
    ids, true_expected, sampled_expected = model.sample_noise(tf.constant([1, 2, 3]))
    ids = ids.numpy()
    assert ids.shape == (10,) and len(set(ids.tolist())) == 10
    assert ids.min() >= 0 and ids.max() < 50
    assert true_expected.shape == (3, 1) and sampled_expected.shape == (10,)


def test_unigram_sampler_prefers_frequent_contexts():
    # counts ~ (200 - id)^4: with unigram^0.75 the 50 most frequent ids hold 1 - 0.75^4 = 68% of the mass
    model = SkipGram(200, ModelConfig(dim=4, num_sampled=5), context_counts=counts(200) ** 2)
    draws = np.concatenate([model.sample_noise(tf.constant([0]))[0].numpy() for _ in range(100)])
    assert np.mean(draws < 50) > 0.55
    uniform = SkipGram(200, ModelConfig(dim=4, num_sampled=5, sampler="uniform"))
    draws = np.concatenate([uniform.sample_noise(tf.constant([0]))[0].numpy() for _ in range(100)])
    assert np.mean(draws < 50) < 0.35


@pytest.mark.parametrize("noise_block", [None, 16])
@pytest.mark.parametrize("loss", LOSSES)
def test_loss_is_a_finite_scalar(loss, noise_block):
    config = ModelConfig(dim=8, num_sampled=5, loss=loss, noise_block=noise_block)
    targets, contexts = np.arange(32) % 40, (np.arange(32) * 7 + 3) % 40  # a batch of 32 pairs

    def seeded_loss() -> float:
        tf.random.set_seed(3)  # as train() does: TensorFlow's samplers follow the global seed
        model = SkipGram(40, config, context_counts=counts(40), seed=3)
        return model.loss(tf.constant(targets), tf.constant(contexts))

    value = seeded_loss()
    assert value.shape == () and np.isfinite(value.numpy()) and value.numpy() > 0
    assert seeded_loss().numpy() == value.numpy()  # weights and noise are seeded


def test_negative_sampling_loss_matches_numpy():
    rng = np.random.default_rng(0)
    embedded, weights, biases = rng.normal(size=(3, 4)), rng.normal(size=(6, 4)), rng.normal(size=6)
    contexts, noise = np.array([1, 2, 5]), np.array([2, 4])  # pair 1's context is also drawn as noise

    def softplus(x):
        return np.log1p(np.exp(x))

    expected = []
    for i, c in enumerate(contexts):
        loss = softplus(-(embedded[i] @ weights[c] + biases[c]))
        loss += sum(softplus(embedded[i] @ weights[n] + biases[n]) for n in noise if n != c)  # hit masked
        expected.append(loss)
    got = negative_sampling_loss(*(tf.constant(x, tf.float32) for x in (embedded, weights, biases)),
                                 tf.constant(contexts), tf.constant(noise))  # fmt: skip
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5)
