"""Any table of items and contexts: loading it, its groups and pairs, training, the command."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_cli import assert_one_line_error, run

from bands2vec_lib.errors import DataError
from bands2vec_lib.items import item_groups, item_pairs, item_vocabulary, load_item_contexts, train_items
from bands2vec_lib.similarity import genre_precision_at_k, random_embeddings
from bands2vec_lib.training import TrainConfig

BOOKS = """book,author,subject,year
dune,frank herbert,science fiction,1965
dune,frank herbert,ecology,1965
dune,frank herbert,ecology,1965
children of dune,frank herbert,science fiction,1976
emma,jane austen,romance,1815
persuasion, jane austen ,romance,1817
solaris,stanislaw lem,science fiction,1961
loner,nobody,,2001
,ghost,romance,1900
"""


@pytest.fixture
def books(tmp_path):
    path = tmp_path / "books.csv"
    path.write_text(BOOKS)
    return path


def test_load_strips_values_and_drops_rows_without_an_item(books):
    table = load_item_contexts(books, "book", ["author", "subject"])
    assert list(table.columns) == ["book", "author", "subject"]
    assert "jane austen" in set(table["author"]) and "" not in set(table["book"])
    assert len(table) == 8


@pytest.mark.parametrize(
    ("item", "contexts", "pattern"),
    [
        ("book", ["genre"], r"books\.csv has no column 'genre': its columns are 'book', 'author'"),
        ("title", ["author"], r"no column 'title'"),
        ("book", [], r"at least one context column"),
        ("book", ["book"], r"'book' is the item column"),
    ],
)
def test_load_errors_say_what_to_do(books, item, contexts, pattern):
    with pytest.raises(DataError, match=pattern):
        load_item_contexts(books, item, contexts)


def test_load_errors_for_files(tmp_path):
    with pytest.raises(DataError, match="is not a file"):
        load_item_contexts(tmp_path / "missing.csv", "book", ["author"])
    empty = tmp_path / "empty.csv"
    empty.write_text("book,author\n,someone\n")
    with pytest.raises(DataError, match="names no item"):
        load_item_contexts(empty, "book", ["author"])


def test_groups_hold_each_item_once_and_only_shared_values(books):
    table = load_item_contexts(books, "book", ["author", "subject"])
    vocab = item_vocabulary(table, "book")
    assert vocab.names[0] == "dune" and vocab.counts[0] == 3  # most rows first
    groups = item_groups(table, "book", ["author", "subject"], vocab)
    named = {key: sorted(vocab.name(i) for i in groups.members[s : s + n])
             for key, s, n in zip(groups.keys, groups.starts, groups.sizes, strict=True)}  # fmt: skip
    assert named == {
        ("author", "frank herbert"): ["children of dune", "dune"],
        ("author", "jane austen"): ["emma", "persuasion"],
        ("subject", "romance"): ["emma", "persuasion"],
        ("subject", "science fiction"): ["children of dune", "dune", "solaris"],
    }  # dune's two ecology rows are one member of a group of one, which makes no pair


def test_pairs_share_a_context_value_and_never_repeat_an_item(books):
    pairs, vocab, alone = item_pairs(books, "book", ["author", "subject"], 3000, seed=1)
    assert alone == 1  # loner
    table = load_item_contexts(books, "book", ["author", "subject"])
    values = {name: set(zip(["author"] * len(g), g["author"], strict=True))
              | set(zip(["subject"] * len(g), g["subject"], strict=True))
              for name, g in table.groupby("book")}  # fmt: skip
    names = [(vocab.name(a), vocab.name(b)) for a, b in pairs]
    assert all(a != b and values[a] & values[b] for a, b in names)
    # groups in proportion to their size: the science fiction group (3) holds 3 of 9 memberships
    solaris = np.mean([a == "solaris" for a, _ in names])
    assert abs(solaris - 1 / 9) < 0.02
    again, _, _ = item_pairs(books, "book", ["author", "subject"], 3000, seed=1)
    assert np.array_equal(pairs, again)


def test_a_table_with_no_shared_value_has_no_pair(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("item,tag\na,x\nb,y\n")
    with pytest.raises(DataError, match="no two items share a value of 'tag'"):
        item_pairs(path, "item", ["tag"], 10)


@pytest.fixture(scope="module")
def sample_as_items(small_tables, small_artists, tmp_path_factory):
    """The small sample as a table of items (artists) with their genres and labels."""
    rows = [(artist, genre) for artist, genres in small_artists["genres"].items() for genre in sorted(genres)]
    table = pd.DataFrame(rows, columns=["artist", "genre"])
    path = tmp_path_factory.mktemp("items") / "artists.csv"
    table.to_csv(path, index=False)
    return path


def test_trained_items_learn_their_contexts(sample_as_items, small_artists):
    """Artists paired by shared genre alone: their neighbours share a genre far more often
    than random vectors' do."""
    config = TrainConfig(steps=200, batch_size=512, seed=0)
    emb = train_items(sample_as_items, "artist", ["genre"], config).embeddings
    with_genre = small_artists[small_artists["genres"].map(len) > 0]
    trained = genre_precision_at_k(emb.aligned(with_genre), with_genre)
    random = genre_precision_at_k(random_embeddings(with_genre, emb.dim, seed=0), with_genre)
    assert trained > random + 0.3, (trained, random)


def test_the_command_trains_on_a_table(sample_as_items, tmp_path):
    out = tmp_path / "items.npz"
    code, stdout, err = run("train", "--data", sample_as_items, "--item", "artist", "--context", "genre",
                            "--steps", 20, "--batch-size", 256, "--out", out, "--quiet")  # fmt: skip
    assert code == 0, err
    assert "items ('artist'), contexts 'genre'; 20 steps of 256 pairs" in stdout
    assert "share no context value" not in stdout and out.is_file()
    code, stdout, err = run("similar", "coil", "--model", out, "-k", 3)
    assert code == 0 and len(stdout.splitlines()) == 3, err


@pytest.mark.parametrize(
    ("extra", "pattern"),
    [
        (["--item", "artist"], r"needs all three: --data FILE\.csv --item COLUMN --context COLUMN"),
        (["--item", "artist", "--context", "label"], r"has no column 'label': its columns are 'artist', 'genre'"),
        (["--item", "artist", "--context", "genre", "--contexts", "article"], r"--contexts chooses Pitchfork"),
    ],
)
def test_the_command_says_what_is_missing(sample_as_items, tmp_path, extra, pattern):
    code, out, err = run("train", "--data", sample_as_items, *extra, "--out", tmp_path / "m.npz", "--quiet")
    assert_one_line_error(code, out, err, pattern)
