"""Embeddings: one file in, one file out, atomically; anything else is a clear error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bands2vec_lib.embeddings as embeddings_module
from bands2vec_lib.embeddings import FORMAT, Embeddings
from bands2vec_lib.errors import ModelFileError, UnknownArtistError

NAMES = ["a$ap mob", "nick cave & the bad seeds", "kleenex, liliput", "björk", "coil"]


@pytest.fixture
def emb():
    vectors = np.random.default_rng(0).normal(size=(len(NAMES), 8)).astype(np.float32)
    return Embeddings(NAMES, vectors, {"kind": "test", "steps": 3, "nested": {"x": [1, 2]}})


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


def test_round_trip(emb, tmp_path):
    path = emb.save(tmp_path / "model.npz")
    assert path == tmp_path / "model.npz" and leftovers(tmp_path) == ["model.npz"]
    back = Embeddings.load(path)
    assert back.names == tuple(NAMES)
    assert back.vectors.dtype == np.float32
    np.testing.assert_array_equal(back.vectors, emb.vectors)  # bit for bit
    assert back.meta == emb.meta
    with np.load(path, allow_pickle=False) as f:  # plain arrays: no pickle needed to read it
        assert str(f["format"]) == FORMAT


def test_save_creates_folders(emb, tmp_path):
    path = emb.save(tmp_path / "deep" / "er" / "m.npz")
    assert Embeddings.load(path).names == tuple(NAMES)


def test_refuses_to_overwrite_unless_asked(emb, tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"precious")
    with pytest.raises(FileExistsError, match="exists: choose another name or allow overwriting"):
        emb.save(path)
    assert path.read_bytes() == b"precious"
    emb.save(path, overwrite=True)
    assert Embeddings.load(path).names == tuple(NAMES)


def test_failed_write_leaves_no_file(emb, tmp_path, monkeypatch):
    def broken_savez(f, **arrays):
        f.write(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(embeddings_module.np, "savez", broken_savez)
    with pytest.raises(OSError, match="No space left"):
        emb.save(tmp_path / "model.npz")
    assert leftovers(tmp_path) == []  # neither the model nor a temporary file
    # and an existing file survives a failed overwrite
    (tmp_path / "old.npz").write_bytes(b"old model")
    with pytest.raises(OSError):
        emb.save(tmp_path / "old.npz", overwrite=True)
    assert leftovers(tmp_path) == ["old.npz"] and (tmp_path / "old.npz").read_bytes() == b"old model"


def test_interrupted_write_leaves_no_file(emb, tmp_path, monkeypatch):
    def interrupted(f, **arrays):
        f.write(b"PK")
        raise KeyboardInterrupt

    monkeypatch.setattr(embeddings_module.np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        emb.save(tmp_path / "model.npz")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (None, r"no model file at .*: train one with 'bands2vec train --out"),
        ("npz", r"is not a Bands2Vec model file \(bands2vec-embeddings/1\)"),
        ("text", r"is not a readable Bands2Vec model file"),
        ("empty", r"is not a readable Bands2Vec model file"),
        ("truncated", r"is not a readable Bands2Vec model file"),
        ("pickle", r"is not a readable Bands2Vec model file"),
        ("folder", r"no model file at"),
    ],
)
def test_loading_something_else_is_a_model_file_error(emb, tmp_path, content, match):
    path = tmp_path / "thing.npz"
    if content == "npz":
        np.savez(path, x=np.arange(3), names=np.array(["a"]))
    elif content == "text":
        path.write_text("artist\tvector\ncoil\t0.1 0.2\n")
    elif content == "empty":
        path.write_bytes(b"")
    elif content == "truncated":
        data = emb.save(tmp_path / "good.npz").read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif content == "pickle":
        np.savez(path, format=np.array(FORMAT), names=np.array(NAMES, dtype=object),
                 vectors=emb.vectors, meta=np.array("{}"))  # fmt: skip
    elif content == "folder":
        path.mkdir()
    with pytest.raises(ModelFileError, match=match):
        Embeddings.load(path)


def test_invalid_vectors():
    with pytest.raises(ValueError, match=r"2 names need a \(2, dim\) array"):
        Embeddings(["a", "b"], np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"need a \(2, dim\) array"):
        Embeddings(["a", "b"], np.zeros(2))
    with pytest.raises(ValueError, match="NaN or infinite"):
        Embeddings(["a", "b"], np.array([[1.0, np.nan], [0.0, 1.0]]))


def test_lookup_unit_and_size(emb):
    assert len(emb) == 5 and emb.dim == 8 and "5 artists x 8 dimensions" in repr(emb)
    np.testing.assert_array_equal(emb["COIL"], emb.vectors[4])
    assert "  Coil " in emb and "coyl" not in emb
    with pytest.raises(UnknownArtistError, match="did you mean 'coil'"):
        emb["coyl"]
    with_zero = Embeddings(["x", "y"], np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(with_zero.unit(), [[0.6, 0.8], [0.0, 0.0]])


def test_aligned(emb):
    artists = pd.DataFrame(index=pd.Index(["coil", "a$ap mob"], name="artist"))
    sub = emb.aligned(artists)
    assert sub.names == ("coil", "a$ap mob")
    np.testing.assert_array_equal(sub.vectors, emb.vectors[[4, 0]])
    same = pd.DataFrame(index=pd.Index(NAMES, name="artist"))
    assert emb.aligned(same) is emb
    other = pd.DataFrame(index=pd.Index(["coil", "somebody else", "another"], name="artist"))
    with pytest.raises(ModelFileError, match=r"does not know 2 of the data's 3 artists .*trained on other data"):
        emb.aligned(other)
