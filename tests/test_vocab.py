"""The vocabulary: frequency order, ids both ways, loose name matching, one-hot vectors."""

from __future__ import annotations

import numpy as np
import pytest

from bands2vec_lib.errors import UnknownArtistError
from bands2vec_lib.vocab import Vocabulary, closest_names, normal_name, unknown_artist


@pytest.fixture
def vocab():
    return Vocabulary(["crookers", "coil", "black lips", "a$ap mob", "Guided By Voices"], counts=[1, 1, 5, 2, 23])


def test_sorted_by_frequency_then_name(vocab):
    assert vocab.names == ("Guided By Voices", "black lips", "a$ap mob", "coil", "crookers")
    assert vocab.counts.tolist() == [23, 5, 2, 1, 1]
    assert len(vocab) == 5
    assert "5 entries" in repr(vocab)


def test_ids_both_ways(vocab):
    for i, name in enumerate(vocab.names):
        assert vocab.id(name) == i and vocab.name(i) == name
        assert vocab.name(np.int64(i)) == name
    assert vocab.ids(["coil", "black lips"]).tolist() == [3, 1]
    assert vocab.ids(["coil"]).dtype == np.int64
    for bad in (-1, 5, 100):
        with pytest.raises(IndexError, match=r"outside the vocabulary \(0\.\.4\)"):
            vocab.name(bad)


def test_loose_matching_of_case_and_spaces(vocab):
    assert vocab.resolve("  COIL ") == "coil"
    assert vocab.id("guided  by voices") == 0
    assert vocab.id("Black Lips") == 1
    assert "BLACK   lips" in vocab and "coil" in vocab
    assert "coyl" not in vocab and 3 not in vocab and None not in vocab


def test_unknown_artist_suggests_close_names(vocab):
    with pytest.raises(UnknownArtistError, match=r"unknown artist 'coyl'; did you mean 'coil'") as err:
        vocab.id("coyl")
    assert isinstance(err.value, KeyError)  # usable where a KeyError is expected
    assert str(err.value).startswith("unknown artist")  # not quoted as KeyError would
    with pytest.raises(UnknownArtistError, match=r"^unknown artist 'zzzzzz'$"):
        vocab.id("zzzzzz")  # nothing close: no suggestion
    assert closest_names("black lip", vocab.names) == ["black lips"]
    assert "did you mean 'crookers'" in str(unknown_artist("CROOKER", vocab.names))


def test_normal_name():
    assert normal_name("  The  KnIfe\t") == "the knife"
    assert normal_name(1349) == "1349"


def test_one_hot_is_a_row_lookup(vocab):
    hot = vocab.one_hot(["coil", "black lips", 0])
    assert hot.shape == (3, 5) and hot.dtype == np.float32
    assert hot.sum(axis=1).tolist() == [1.0, 1.0, 1.0]
    assert hot.argmax(axis=1).tolist() == [3, 1, 0]
    weights = np.arange(5 * 4, dtype=np.float32).reshape(5, 4)
    np.testing.assert_array_equal(hot @ weights, weights[[3, 1, 0]])
    # every pair of different one-hot vectors is equally far apart, and orthogonal
    full = vocab.one_hot(range(5))
    np.testing.assert_array_equal(full @ full.T, np.eye(5))


def test_invalid_vocabularies():
    with pytest.raises(ValueError, match="2 names but 1 counts"):
        Vocabulary(["a", "b"], counts=[1])
    with pytest.raises(ValueError, match="distinct"):
        Vocabulary(["a", "a"], counts=[1, 2])


def test_from_artists_follows_the_artist_table(small_artists):
    vocab = Vocabulary.from_artists(small_artists)
    assert vocab.names == tuple(small_artists.index)
    assert vocab.counts.tolist() == small_artists["n_reviews"].tolist()
    assert np.all(np.diff(vocab.counts) <= 0)
    assert vocab.id("guided by voices") == 0  # 23 reviews: the most frequent


def test_first_seen_keeps_the_order_of_the_reviews(small_tables):
    from bands2vec_lib.data import clean

    reviews = clean(small_tables).reviews
    vocab = Vocabulary.first_seen(reviews)
    assert vocab.names == tuple(dict.fromkeys(reviews["artist"]))
    assert vocab.names[0] == reviews["artist"].iloc[0]
    assert dict(zip(vocab.names, vocab.counts.tolist(), strict=True)) == reviews["artist"].value_counts().to_dict()
    assert np.any(np.diff(vocab.counts) > 0)  # not sorted by count
    assert set(vocab.names) == set(Vocabulary(vocab.names, vocab.counts).names)
    kept = Vocabulary(["b", "a", "c"], counts=[1, 5, 3], sort=False)
    assert kept.names == ("b", "a", "c") and kept.id("a") == 1
