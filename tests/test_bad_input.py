"""Bad input, tried on purpose: one table, one test.

Each case gives the call, what it must produce (an exception type, a command-line exit
code, or a documented result), and a pattern the one-line message must match: the
message says what is wrong and what to do. Every call runs with a time limit, so a hang
fails the test instead of blocking the suite.
"""

from __future__ import annotations

import contextlib
import io
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from bands2vec_lib import cli
from bands2vec_lib.data import artist_table, clean, load_artists
from bands2vec_lib.embeddings import Embeddings
from bands2vec_lib.errors import DataError, ModelFileError, UnknownArtistError
from bands2vec_lib.heldout import hide_labels
from bands2vec_lib.model import ModelConfig
from bands2vec_lib.pairs import ContextGroups, context_pairs, skipgram_pairs
from bands2vec_lib.projection import export_projector
from bands2vec_lib.sample import Tables, generate_sample
from bands2vec_lib.similarity import analogy, genre_precision_at_k, nearest, random_embeddings
from bands2vec_lib.training import TrainConfig
from bands2vec_lib.vocab import Vocabulary

TIME_LIMIT = 60.0  # seconds; every case answers in well under one on an idle machine
GET_DATA = r"download database\.sqlite from Kaggle"


@dataclass(frozen=True)
class Case:
    id: str
    call: Callable[[SimpleNamespace], object]
    expect: type[BaseException] | int | Callable[[object, SimpleNamespace], None]
    match: str | None = None  # the one-line message (exceptions and exit codes)
    after: Callable[[SimpleNamespace], None] | None = None  # e.g. nothing was overwritten


def documented(check: Callable[[object, SimpleNamespace], None]) -> Callable[[object, SimpleNamespace], None]:
    """A case whose answer is a result, documented in the library, rather than an error."""
    return check


# ---- things to feed the library ---------------------------------------------------------


def sqlite_file(ctx, name: str, statements: list[str]):
    path = ctx.tmp / name
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    return path


def csv_folder(ctx, reviews: bytes | str, genres: str = "reviewid,genre\n1,rock\n", encoding: str = "utf-8"):
    folder = ctx.tmp / "csv"
    folder.mkdir(exist_ok=True)
    data = reviews if isinstance(reviews, bytes) else reviews.encode(encoding)
    (folder / "reviews.csv").write_bytes(data)
    (folder / "genres.csv").write_text(genres, encoding="utf-8")
    return folder


def write(ctx, name: str, data: bytes):
    path = ctx.tmp / name
    path.write_bytes(data)
    return path


def hand_tables(rows, genres) -> Tables:
    """Tables from (reviewid, artist, score) rows and (reviewid, genre) rows."""
    return Tables(
        reviews=pd.DataFrame(rows, columns=["reviewid", "artist", "score"]),
        genres=pd.DataFrame(genres, columns=["reviewid", "genre"]),
        artists=pd.DataFrame(columns=["reviewid", "artist"]),
        labels=pd.DataFrame(columns=["reviewid", "label"]),
        years=pd.DataFrame(columns=["reviewid", "year"]),
    )


def run_cli(ctx, *argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main([str(a) for a in argv])
        except SystemExit as e:
            code = e.code
    return code, out.getvalue(), err.getvalue()


def other_model(ctx):
    """A model file of other artists (random vectors), trained on "other data"."""
    emb = random_embeddings(other_artists(ctx), dim=8)
    return Embeddings(emb.names, emb.vectors, {"data": "other data"}).save(ctx.tmp / "other.npz")


def other_artists(ctx) -> pd.DataFrame:
    return artist_table(clean(generate_sample(n_artists=80, seed=123)).reviews)


def lone_bucket_groups(ctx):
    """'loner' has no genre, is alone in its score bucket and releases its own records; the
    others share genre, bucket and a label. Pairs of the article's mix and of the library's."""
    artists = pd.DataFrame(
        {"genres": [frozenset({"rock"})] * 3 + [frozenset()], "score_bucket": [7, 7, 7, 2], "n_reviews": 1,
         "mean_score": [7.0, 7.0, 7.0, 2.0], "labels": [frozenset({"x"})] * 3 + [frozenset({"self-released"})]},
        index=pd.Index(["a", "b", "c", "loner"], name="artist"),
    )  # fmt: skip
    vocab = Vocabulary.from_artists(artists)
    groups = ContextGroups.from_artists(artists, vocab)
    mix = {"genre_share": 0.0, "joint_share": 0.45, "label_group_share": 0.45, "label_share": 0.1}
    return vocab, context_pairs(groups, 100_000, seed=0), context_pairs(groups, 100_000, seed=0, **mix)


def check_lone_bucket(result, ctx) -> None:
    vocab, *both = result
    for pairs in both:
        assert pairs.shape == (100_000, 2)
        assert vocab.id("loner") not in pairs  # nothing to pair it with: left out, no endless loop
        assert not np.any(pairs[:, 0] == pairs[:, 1])


def check_bad_scores_dropped(result, ctx) -> None:
    cleaned = result
    assert cleaned.removed["bad_score"] == 4
    assert sorted(cleaned.reviews["artist"]) == ["fine", "top"]


def check_no_genre_no_score(result, ctx) -> None:
    artists = artist_table(result.reviews)
    assert "silent" not in artists.index  # no score: dropped by the bad_score rule
    assert artists.loc["genreless", "genres"] == frozenset()  # no genre but a score: kept, score groups only
    assert artists.loc["genreless", "score_bucket"] == 6


def check_same_as(expected_call):
    def check(result, ctx) -> None:
        pd.testing.assert_frame_equal(result, expected_call(ctx))

    return check


def unchanged(path_of: Callable[[SimpleNamespace], object]):
    def check(ctx) -> None:
        path = path_of(ctx)
        assert path.read_bytes() == ctx.snapshots[str(path)], f"{path} was overwritten"

    return check


def existing(ctx, name: str, content: bytes = b"precious"):
    path = ctx.tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    ctx.snapshots[str(path)] = content
    return path


# ---- the table ----------------------------------------------------------------------------

def no_file(name: str):
    def check(ctx) -> None:
        assert not (ctx.tmp / name).exists(), f"{name} was written"

    return check


def empty_dir(ctx):
    (ctx.tmp / "empty_dir").mkdir()
    return ctx.tmp / "empty_dir"


def npz_of_weights(ctx):
    np.savez(ctx.tmp / "w.npz", weights=np.ones(3))
    return ctx.tmp / "w.npz"


def two_lonely_genres(ctx, labels=({"x"}, {"x"})) -> ContextGroups:
    artists = pd.DataFrame({"genres": [frozenset({"rock"}), frozenset({"jazz"})], "score_bucket": [7, 7],
                            "n_reviews": 1, "labels": [frozenset(ls) for ls in labels]},
                           index=pd.Index(["a", "b"], name="artist"))  # fmt: skip
    return ContextGroups.from_artists(artists, Vocabulary.from_artists(artists))


def analogy_widget(ctx):
    from bands2vec_lib.widgets import analogy_control

    return analogy_control(ctx.emb, ctx.artists, ["coil", "elder ones", "black lips", "crookers"],
                           [("coil", "elder ones", None)])  # fmt: skip


def one_hot_widget(ctx):
    from bands2vec_lib.widgets import one_hot_control

    return one_hot_control(ctx.artists, ["  COIL ", "Black  Lips", "crookers"])


def window_widget(ctx, tokens=("the", "quick", "brown", "fox")):
    from bands2vec_lib.widgets import window_control

    return window_control(list(tokens), centre=1)


def mix_widget(ctx):
    from bands2vec_lib.widgets import mix_control

    return mix_control(ctx.artists, n_pairs=500)


def check_resolved_pair(result, ctx) -> None:
    assert (result["a"], result["b"]) == ("coil", "black lips")
    assert result["shared_genres"] == ["rock"] and result["one_hot_cosine"] == 0.0


def with_env(ctx, value, *argv):
    ctx.monkeypatch.setenv("BANDS2VEC_DATA", str(value))
    return run_cli(ctx, *argv)


CASES = [
    # loaders: files
    Case("missing file",
         lambda c: load_artists(c.tmp / "nope.sqlite"),
         DataError, rf"^no data at .*nope\.sqlite: {GET_DATA}.*then pass its path or set BANDS2VEC_DATA$"),
    Case("empty file",
         lambda c: load_artists(write(c, "empty.sqlite", b"")),
         DataError, rf"empty\.sqlite is not a SQLite database: {GET_DATA}"),
    Case("truncated sqlite",
         lambda c: load_artists(write(c, "cut.sqlite", c.db_bytes[: len(c.db_bytes) // 2])),
         DataError, rf"cut\.sqlite is a damaged SQLite database \(.*\): {GET_DATA}"),
    Case("corrupt sqlite (random bytes)",
         lambda c: load_artists(write(c, "noise.sqlite", np.random.default_rng(0).bytes(8192))),
         DataError, rf"noise\.sqlite is not a SQLite database: {GET_DATA}"),
    Case("corrupt sqlite (valid header, garbage after)",
         lambda c: load_artists(write(c, "bad.sqlite", c.db_bytes[:100] + np.random.default_rng(1).bytes(8192))),
         DataError, rf"bad\.sqlite is a damaged SQLite database .*{GET_DATA}"),
    Case("wrong schema: no tables of ours",
         lambda c: load_artists(sqlite_file(c, "x.sqlite", ["create table t(x)"])),
         DataError, rf"x\.sqlite has no 'reviews' table: {GET_DATA}"),
    Case("wrong schema: genres table missing",
         lambda c: load_artists(sqlite_file(c, "x.sqlite", ["create table reviews(reviewid, artist, score)",
                                                             "insert into reviews values (1, 'a', 7.0)"])),
         DataError, r"has no 'genres' table"),
    Case("wrong schema: columns missing",
         lambda c: load_artists(sqlite_file(c, "x.sqlite", ["create table reviews(reviewid, artist)",
                                                             "create table genres(reviewid, genre)"])),
         DataError, r"the 'reviews' table in .* lacks column\(s\) score: is it Kaggle's Pitchfork data\?"),
    Case("empty reviews table",
         lambda c: load_artists(sqlite_file(c, "x.sqlite", ["create table reviews(reviewid, artist, score)",
                                                             "create table genres(reviewid, genre)"])),
         DataError, rf"the 'reviews' table in .* is empty: {GET_DATA}"),
    Case("empty CSV file",
         lambda c: load_artists(csv_folder(c, "")),
         DataError, rf"reviews\.csv is empty: {GET_DATA}"),
    Case("CSV with a header only",
         lambda c: load_artists(csv_folder(c, "reviewid,artist,score\n")),
         DataError, r"the 'reviews' table in .* is empty"),
    Case("CSV in latin-1 with non-ASCII names",
         lambda c: load_artists(csv_folder(c, "reviewid,artist,score\n1,motörhead,7.0\n2,sigur rós,8.1\n",
                                           encoding="latin-1")),
         DataError, r"reviews\.csv is not UTF-8 text: save it as UTF-8 and try again"),
    Case("CSV with a broken quote",
         lambda c: load_artists(csv_folder(c, 'reviewid,artist,score\n1,"the unclosed,7.0\n2,b,6.0\n')),
         DataError, rf"reviews\.csv is not a readable CSV table \(.*\): {GET_DATA}"),
    Case("CSV with review ids that are not numbers",
         lambda c: load_artists(csv_folder(c, "reviewid,artist,score\none,a,7.0\n2,b,6.0\n")),
         DataError, r"1 reviewid\(s\) that are not numbers: is it Kaggle's Pitchfork data\?"),
    Case("folder without the tables",
         lambda c: load_artists(empty_dir(c)),
         DataError, r"no database\.sqlite, reviews\.csv or genres\.csv in .*set BANDS2VEC_DATA"),
    # loaders: values
    Case("NaN and out-of-range scores (dropped)",
         lambda c: clean(hand_tables([(1, "nan score", np.nan), (2, "negative", -1.0), (3, "eleven", 11.0),
                                      (4, "fine", 6.5), (5, "top", 10.0), (6, "infinite", np.inf)],
                                     [(i, "rock") for i in range(1, 7)])),
         documented(check_bad_scores_dropped)),
    Case("an artist with no genre and no score (dropped)",
         lambda c: clean(hand_tables([(1, "silent", None), (2, "genreless", 6.2), (3, "x", 7.0)],
                                     [(1, None), (2, None), (3, "rock")])),
         documented(check_no_genre_no_score)),
    Case("nothing but compilations and unnamed reviews",
         lambda c: clean(hand_tables([(1, "various artists", 7.0), (2, None, 6.0), (3, " ", 5.0)], [(1, "rock")])),
         DataError, r"no reviews are left after cleaning: is this Kaggle's Pitchfork data\?"),
    # pairs
    Case("a bucket with one artist (returns, leaves it out)",
         lone_bucket_groups,
         documented(check_lone_bucket)),
    Case("no genre shared by two artists",
         lambda c: context_pairs(two_lonely_genres(c), 10),
         DataError, r"no genre is shared by two artists, so no genre pairs can be made"),
    Case("no record label shared by two artists (self-released is none)",
         lambda c: context_pairs(two_lonely_genres(c, labels=({"self-released"}, {"self-released"})), 10,
                                 genre_share=0.0, label_share=0.5),
         DataError, r"no record label is shared by two artists, so no record label pairs can be made"),
    Case("shares of pairs above 1 in all",
         lambda c: TrainConfig(joint_share=1.0),
         ValueError, r"the shares of pairs must add up to at most 1, not 0\.0 \+ 1\.0 \+ 0\.1 \+ 0\.45"),
    Case("hold out every label membership",
         lambda c: TrainConfig(hold_out=1.0),
         ValueError, r"hold_out must be at least 0 and below 1, not 1\.0"),
    Case("hide every label membership",
         lambda c: hide_labels(c.artists, 1.0),
         ValueError, r"the share of label memberships to hide must be at least 0 and below 1, not 1\.0"),
    Case("negative number of pairs",
         lambda c: context_pairs(c.groups, -1),
         ValueError, r"the number of pairs must be a whole number of at least 0, not -1"),
    Case("fractional number of pairs",
         lambda c: context_pairs(c.groups, 2.5),
         ValueError, r"must be a whole number of at least 0, not 2\.5"),
    Case("genre share above 1",
         lambda c: context_pairs(c.groups, 10, genre_share=1.5),
         ValueError, r"genre_share must be between 0 and 1, not 1\.5"),
    Case("skip-gram window 0",
         lambda c: skipgram_pairs(["a", "b"], 0),
         ValueError, r"window must be a whole number of at least 1, not 0"),
    # sizes, steps, k, dimensions
    Case("zero training steps",
         lambda c: TrainConfig(steps=0),
         ValueError, r"steps must be a whole number of at least 1, not 0"),
    Case("negative training steps",
         lambda c: TrainConfig(steps=-10),
         ValueError, r"steps must be .* at least 1, not -10"),
    Case("zero batch size",
         lambda c: TrainConfig(batch_size=0),
         ValueError, r"batch_size must be a whole number of at least 1"),
    Case("zero dimensions",
         lambda c: ModelConfig(dim=0),
         ValueError, r"dim must be a whole number of at least 1, not 0"),
    Case("negative dimensions",
         lambda c: ModelConfig(dim=-64),
         ValueError, r"dim must be .* at least 1, not -64"),
    Case("zero negatives",
         lambda c: ModelConfig(num_sampled=0),
         ValueError, r"num_sampled must be a whole number of at least 1"),
    Case("nearest with k=0",
         lambda c: nearest(c.emb, "coil", k=0),
         ValueError, r"k must be a whole number of at least 1, not 0"),
    Case("nearest with k=-5",
         lambda c: nearest(c.emb, "coil", k=-5),
         ValueError, r"k must be .* at least 1, not -5"),
    Case("analogy with k=0",
         lambda c: analogy(c.emb, "coil", "elder ones", k=0),
         ValueError, r"k must be .* at least 1"),
    Case("precision with k=0",
         lambda c: genre_precision_at_k(c.emb, c.artists, k=0),
         ValueError, r"k must be .* at least 1"),
    Case("random vectors with dim=0",
         lambda c: random_embeddings(c.artists, dim=0),
         ValueError, r"dim must be a whole number of at least 1, not 0"),
    Case("random vectors with dim=-3",
         lambda c: random_embeddings(c.artists, dim=-3),
         ValueError, r"dim must be .* not -3"),
    Case("sample of 0 artists",
         lambda c: generate_sample(n_artists=0),
         DataError, r"n_artists must be at least 15, not 0"),
    Case("sample of -100 artists",
         lambda c: load_artists(n_artists=-100),
         DataError, r"n_artists must be at least 15, not -100"),
    Case("sample of 2.5 artists",
         lambda c: generate_sample(n_artists=2.5),
         DataError, r"n_artists must be a whole number, not 2\.5"),
    # names
    Case("unknown artist",
         lambda c: nearest(c.emb, "coyl"),
         UnknownArtistError, r"^unknown artist 'coyl'; did you mean .*'coil'.*\?$"),
    Case("unknown artist in an analogy",
         lambda c: analogy(c.emb, "coil", "eldr ones"),
         UnknownArtistError, r"unknown artist 'eldr ones'; did you mean .*'elder ones'"),
    Case("names differing in case and spaces (resolve to the artist)",
         lambda c: nearest(c.emb, "  COIL "),
         documented(check_same_as(lambda c: nearest(c.emb, "coil")))),
    Case("names differing in case and spaces in an analogy",
         lambda c: analogy(c.emb, "Coil", "ELDER   ones", "black Lips"),
         documented(check_same_as(lambda c: analogy(c.emb, "coil", "elder ones", "black lips")))),
    # the widgets' callbacks
    Case("analogy widget: unknown artist",
         lambda c: analogy_widget(c).compute("coil", "eldr ones"),
         UnknownArtistError, r"unknown artist 'eldr ones'; did you mean .*'elder ones'"),
    Case("analogy widget: k=0",
         lambda c: analogy_widget(c).compute("coil", "elder ones", None, 0),
         ValueError, r"k must be a whole number of at least 1, not 0"),
    Case("analogy widget: an example it was not given",
         lambda c: analogy_widget(c).callback("coil", "crookers", None, 10),
         ValueError, r"is not one of the examples; compute\(\) works out any choice"),
    Case("one-hot widget: names differing in case and spaces (resolve to the artist)",
         lambda c: one_hot_widget(c).callback("coil", "black lips"),
         documented(check_resolved_pair)),
    Case("one-hot widget: an artist not among its choices",
         lambda c: one_hot_widget(c).callback("coil", "elder ones"),
         ValueError, r"b='elder ones' is not one of the settings offered: \['coil', 'black lips', 'crookers'\]"),
    Case("window widget: window 0",
         lambda c: window_widget(c).callback(window=0),
         ValueError, r"window=0 is not one of the settings offered: \[1, 2, 3, 4\]"),
    Case("window widget: a one-word sentence",
         lambda c: window_widget(c, ["solo"]),
         ValueError, r"a sentence of at least two words is needed"),
    Case("mix widget: share above 1",
         lambda c: mix_widget(c).callback(label_share=1.5),
         ValueError, r"label_share=1\.5 is not one of the settings offered: \[0\.0, "),
    # model files
    Case("model from another vocabulary: precision",
         lambda c: genre_precision_at_k(c.emb, other_artists(c)),
         ModelFileError, r"does not know \d+ of the data's 80 artists .*: it was trained on other data; train it on"),
    Case("model from another vocabulary: export",
         lambda c: export_projector(c.emb, other_artists(c), c.tmp / "out"),
         ModelFileError, r"trained on other data; train it on this data", no_file("out")),
    Case("non-model .npz as model",
         lambda c: Embeddings.load(npz_of_weights(c)),
         ModelFileError, r"w\.npz is not a Bands2Vec model file \(bands2vec-embeddings/1\)"),
    Case("text file as model",
         lambda c: Embeddings.load(write(c, "m.npz", b"coil 0.1 0.2\n")),
         ModelFileError, r"m\.npz is not a readable Bands2Vec model file"),
    Case("truncated model file",
         lambda c: Embeddings.load(write(c, "m.npz", c.model_bytes[: len(c.model_bytes) // 3])),
         ModelFileError, r"m\.npz is not a readable Bands2Vec model file"),
    # the command line
    Case("CLI: evaluate a model from another vocabulary",
         lambda c: run_cli(c, "evaluate", "--model", c.model, "--data", c.other_db),
         1, r"this model does not know .* trained on other data.*pass that with --data\)$"),
    Case("CLI: export a model from another vocabulary",
         lambda c: run_cli(c, "export", "--model", c.model, "--data", c.other_db, "--out", c.tmp / "proj"),
         1, r"trained on other data", no_file("proj")),
    Case("CLI: a non-model file as model",
         lambda c: run_cli(c, "similar", "coil", "--model", write(c, "m.npz", b"\x00" * 64)),
         1, r"m\.npz is not a readable Bands2Vec model file"),
    Case("CLI: --out exists, no --force",
         lambda c: run_cli(c, "train", "--data", c.db, "--steps", 1, "--out", existing(c, "model.npz")),
         1, r"model\.npz exists: choose another --out or add --force to replace it$",
         unchanged(lambda c: c.tmp / "model.npz")),
    Case("CLI: export into files that exist, no --force",
         lambda c: run_cli(c, "export", "--model", c.model, "--data", c.db, "--out",
                           existing(c, "proj/metadata.tsv").parent),
         1, r"metadata\.tsv exist: choose another folder or allow overwriting",
         unchanged(lambda c: c.tmp / "proj/metadata.tsv")),
    Case("CLI: missing --data path",
         lambda c: run_cli(c, "evaluate", "--model", c.model, "--data", c.tmp / "nowhere.sqlite"),
         1, rf"no data at .*nowhere\.sqlite: {GET_DATA}.*set BANDS2VEC_DATA"),
    Case("CLI: BANDS2VEC_DATA names a missing file",
         lambda c: with_env(c, c.tmp / "gone.sqlite", "evaluate", "--model", c.model),
         1, r"no data at .*gone\.sqlite"),
    Case("CLI: --data is a corrupt file",
         lambda c: run_cli(c, "train", "--data", write(c, "c.sqlite", b"garbage" * 100), "--out", c.tmp / "new.npz"),
         1, r"c\.sqlite is not a SQLite database", no_file("new.npz")),
    Case("CLI: unknown artist",
         lambda c: run_cli(c, "similar", "Coyl", "--model", c.model),
         1, r"unknown artist 'Coyl'; did you mean .*'coil'"),
    Case("CLI: zero steps",
         lambda c: run_cli(c, "train", "--steps", 0, "--out", c.tmp / "m.npz"),
         2, r"argument --steps: must be at least 1, not 0", no_file("m.npz")),
    Case("CLI: --hold-out of 1.5",
         lambda c: run_cli(c, "train", "--hold-out", 1.5, "--out", c.tmp / "m.npz"),
         2, r"argument --hold-out: must be at least 0 and below 1, not 1\.5$", no_file("m.npz")),
    Case("CLI: evaluate --against a model from another vocabulary",
         lambda c: run_cli(c, "evaluate", "--model", c.model, "--against", other_model(c), "--data", c.db),
         1, r"other\.npz: this model does not know .*it was trained on other data; pass that with --data\)$"),
    Case("CLI: negative k",
         lambda c: run_cli(c, "similar", "coil", "--model", c.model, "-k", -1),
         2, r"argument -k: must be at least 1, not -1"),
]  # fmt: skip


def test_there_are_enough_cases():
    assert len(CASES) >= 25
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def other_db(sqlite_writer, tmp_path_factory):
    """Data a model trained on the small sample does not know."""
    return sqlite_writer(generate_sample(n_artists=60, seed=321), tmp_path_factory.mktemp("other") / "other.sqlite")


@pytest.fixture
def ctx(tmp_path, monkeypatch, small_db, small_artists, model_file, trained, other_db):
    vocab = Vocabulary.from_artists(small_artists)
    return SimpleNamespace(
        tmp=tmp_path,
        monkeypatch=monkeypatch,
        db=small_db,
        db_bytes=small_db.read_bytes(),
        other_db=other_db,
        artists=small_artists,
        groups=ContextGroups.from_artists(small_artists, vocab),
        emb=trained.embeddings,
        model=model_file,
        model_bytes=model_file.read_bytes(),
        snapshots={},
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case: Case, ctx, within):
    expect = case.expect
    if isinstance(expect, type):
        with pytest.raises(expect) as err:
            within(lambda: case.call(ctx), TIME_LIMIT)
        message = str(err.value)
        assert "\n" not in message, message
        assert re.search(case.match, message), message
    elif isinstance(expect, int):
        code, out, stderr = within(lambda: case.call(ctx), TIME_LIMIT)
        assert code == expect, (code, stderr)
        assert "Traceback" not in stderr + out
        if expect == 1:  # our errors: exactly one line
            assert stderr.startswith("bands2vec: error: ") and stderr.count("\n") == 1, stderr
        else:  # argparse: usage, then one error line
            assert stderr.splitlines()[-1].startswith("bands2vec "), stderr
        assert re.search(case.match, stderr.splitlines()[-1]), stderr
    else:
        expect(within(lambda: case.call(ctx), TIME_LIMIT), ctx)
    if case.after is not None:
        case.after(ctx)
