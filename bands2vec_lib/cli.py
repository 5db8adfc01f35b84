"""The ``bands2vec`` command: train, evaluate, query and export artist embeddings.

Data comes from ``--data PATH``, else ``$BANDS2VEC_DATA``, else the embedded sample.
Errors are one line on standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .data import DATA_ENV, load_artists, resolve_source
from .embeddings import Embeddings
from .errors import Bands2VecError

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130
SAMPLE_LABEL = "the embedded sample"
CONTEXTS = {
    "default": "half of the pairs share a genre and a score bucket, half a record label as well",
    "article": "the article's mix: 80% of pairs share a genre, 20% a score bucket",
    "labels": "pairs share a record label, and no genre is ever shown",
}


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, not {value}")
    return value


def _data_label(path: str | None) -> str:
    source = resolve_source(path)
    return SAMPLE_LABEL if source is None else str(source)


def cmd_train(args: argparse.Namespace) -> None:
    from .training import TrainConfig, train

    out = Path(args.out)
    if out.exists() and not args.force:
        raise FileExistsError(f"{out} exists: choose another --out or add --force to replace it")
    if args.item or args.context:
        return _train_items(args, out)
    artists = load_artists(args.data)
    preset = {"default": TrainConfig, "article": TrainConfig.article, "labels": TrainConfig.labels}[args.contexts]
    defaults = preset()
    config = preset(
        steps=args.steps or defaults.steps,
        batch_size=args.batch_size or defaults.batch_size,
        seed=args.seed,
        hold_out=defaults.hold_out if args.hold_out is None else args.hold_out,
    )
    print(f"training on {_data_label(args.data)}: {len(artists)} artists, "
          f"{config.steps} steps of {config.batch_size} pairs ({CONTEXTS[args.contexts]})", flush=True)  # fmt: skip
    if config.hold_out and config.label_share + config.label_group_share:
        print(f"{config.hold_out:.0%} of the label memberships are hidden, for evaluate to ask for")
    result = train(artists, config, progress=not args.quiet)
    _save(result, _data_label(args.data), out, args.force)


def _save(result, data: str, out: Path, force: bool) -> None:
    """Save a training result, with where its data came from, and say so."""
    result.embeddings.meta["data"] = data
    result.embeddings.save(out, overwrite=force)
    print(f"trained in {result.seconds:.1f} s; final loss {result.history.loss[-1]:.4f}")
    print(f"saved {len(result.embeddings)} x {result.embeddings.dim} embeddings to {out}")


def _train_items(args: argparse.Namespace, out: Path) -> None:
    """``train --item COLUMN --context COLUMN ...``: any CSV table of items and contexts."""
    from .items import item_pairs
    from .training import TrainConfig, train_on_pairs

    if not (args.item and args.context and args.data):
        raise ValueError("a table of your own needs all three: --data FILE.csv --item COLUMN --context COLUMN")
    if args.contexts != "default":
        raise ValueError("--contexts chooses Pitchfork's pairs; with --item, the --context columns make the pairs")
    defaults = TrainConfig()
    config = TrainConfig(steps=args.steps or defaults.steps, batch_size=args.batch_size or defaults.batch_size,
                         seed=args.seed)  # fmt: skip
    pairs, vocab, alone = item_pairs(args.data, args.item, args.context, config.steps * config.batch_size, args.seed)
    print(f"training on {args.data}: {len(vocab)} items ({args.item!r}), contexts "
          f"{', '.join(map(repr, args.context))}; {config.steps} steps of {config.batch_size} pairs", flush=True)
    if alone:
        print(f"{alone} of {len(vocab)} items share no context value with another item: their vectors stay untrained")
    result = train_on_pairs(pairs, vocab, config, progress=not args.quiet)
    _save(result, str(args.data), out, args.force)


def cmd_evaluate(args: argparse.Namespace) -> None:
    from .similarity import (
        genre_precision,
        genre_precision_at_k,
        neighbour_overlap,
        random_embeddings,
        score_error_at_k,
    )

    emb = Embeddings.load(args.model)
    artists = load_artists(args.data)
    emb = _aligned(emb, artists, args)
    config = _train_config(emb)
    k = args.k
    print(f"artists: {len(artists)} ({_data_label(args.data)})")
    if config is not None and not config.sees_genres:
        from .heldout import label_mate_neighbours, label_sharers

        artists = artists[label_sharers(artists)]
        print(f"genres were never shown: judged on the {len(artists)} artists who share a label with another")
        print(f"label-mates genre_precision@{k}: {genre_precision(label_mate_neighbours(artists, k), artists):.3f}")
    random = random_embeddings(artists, emb.dim, seed=0)
    print(f"random vectors genre_precision@{k}: {genre_precision_at_k(random, artists, k):.3f}")
    print(f"random vectors score_error@{k}: {score_error_at_k(random, artists, k):.3f}")
    if config is not None and config.hold_out and config.label_share + config.label_group_share:
        _label_recall(emb, artists, config, k)
    if args.against:
        other = _aligned(Embeddings.load(args.against), artists, args, args.against)
        print(f"seed_overlap@{k}: {neighbour_overlap(emb, other, artists, k):.3f}")
    print(f"score_error@{k}: {score_error_at_k(emb, artists, k):.3f}")
    print(f"genre_precision@{k}: {genre_precision_at_k(emb, artists, k):.3f}")


def _train_config(emb: Embeddings):
    """The training settings a model file records, or None (a file from elsewhere)."""
    from .training import TrainConfig

    try:
        return TrainConfig.from_dict(emb.meta["train"])
    except (KeyError, TypeError, ValueError):
        return None


def _label_recall(emb: Embeddings, artists, config, k: int) -> None:
    """The held-out label-mates the model was not shown, found by it and by its baselines."""
    from .heldout import hide_labels
    from .similarity import ppmi_embeddings, random_embeddings
    from .training import training_pairs
    from .vocab import Vocabulary

    hidden = hide_labels(artists, config.hold_out, config.hold_out_seed)
    vocab = Vocabulary.from_artists(artists)
    ppmi = ppmi_embeddings(training_pairs(artists, vocab, config), vocab.names, dim=emb.dim).aligned(artists)
    print(f"hidden labels: {len(hidden.hidden)} memberships ({config.hold_out:.0%}); "
          f"{len(hidden.queries)} artists have label-mates to find")  # fmt: skip
    found = {
        "random vectors": hidden.neighbours(random_embeddings(artists, emb.dim).vectors, k),
        "label-mates of label-mates": hidden.mates_of_mates(k),
        "PPMI-SVD on the same pairs": hidden.neighbours(ppmi.vectors, k),
        "": hidden.neighbours(emb.aligned(artists).vectors, k),  # rows of the artists judged
    }
    for name, neighbours in found.items():
        print(f"{name + ' ' if name else ''}label_recall@{k}: {hidden.recall_at_k(neighbours):.3f}")


def _aligned(emb: Embeddings, artists, args: argparse.Namespace, model: str | None = None) -> Embeddings:
    try:
        return emb.aligned(artists)
    except Bands2VecError as e:
        trained_on = emb.meta.get("data")
        if trained_on == SAMPLE_LABEL:  # there is no path to pass for the sample
            unset = f" and unset {DATA_ENV}" if resolve_source(None) is not None else ""
            hint = f" (it was trained on {trained_on}: leave out --data{unset})"
        else:
            hint = f" (it was trained on {trained_on}; pass that with --data)" if trained_on else ""
        raise type(e)(f"{model or args.model}: {e}{hint}") from None


def cmd_similar(args: argparse.Namespace) -> None:
    from .similarity import nearest

    emb = Embeddings.load(args.model)
    for row in nearest(emb, args.name, k=args.k).itertuples():
        print(f"{row.similarity:+.3f}  {row.artist}")


def cmd_analogy(args: argparse.Namespace) -> None:
    from .similarity import analogy

    emb = Embeddings.load(args.model)
    for row in analogy(emb, args.a, args.b, args.c, k=args.k).itertuples():
        print(f"{row.similarity:+.3f}  {row.artist}")


def cmd_export(args: argparse.Namespace) -> None:
    from .projection import export_projector

    emb = Embeddings.load(args.model)
    artists = load_artists(args.data)
    emb = _aligned(emb, artists, args)
    vectors, metadata = export_projector(emb, artists, args.out, overwrite=args.force)
    print(f"wrote {vectors} and {metadata}: load them at https://projector.tensorflow.org")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bands2vec",
        description="Artist embeddings from Pitchfork-style reviews (the Bands2Vec course).",
        epilog=f"Data: --data PATH, else ${DATA_ENV}, else the embedded sample.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def data_option(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--data", metavar="PATH",
                         help="database.sqlite or a folder of CSV tables (default: the sample)")  # fmt: skip

    t = sub.add_parser("train", help="train embeddings and save them to one file")
    data_option(t)
    t.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    t.add_argument("--steps", type=_positive, help="training steps")
    t.add_argument("--batch-size", type=_positive, help="pairs per step")
    t.add_argument("--contexts", choices=list(CONTEXTS), default="default",
                   help="which pairs: 'default' (a genre and score bucket, half of them with a record label as "
                        "well), 'article' (80%% genre, 20%% score bucket) or 'labels' (a record label, no genre)")
    t.add_argument("--hold-out", type=_share, metavar="SHARE",
                   help="the share of label memberships hidden from training, for evaluate (default 0.1; "
                        "0 with --contexts labels)")  # fmt: skip
    t.add_argument("--item", metavar="COLUMN",
                   help="train on a CSV table of your own (--data FILE.csv): the column of the items")
    t.add_argument("--context", metavar="COLUMN", action="append",
                   help="with --item: a column of context values; items that share a value are pairs "
                        "(repeat for more columns)")  # fmt: skip
    t.add_argument("--out", required=True, metavar="MODEL", help="the model file to write (.npz)")
    t.add_argument("--force", action="store_true", help="replace MODEL if it exists")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    t.set_defaults(run=cmd_train)

    e = sub.add_parser("evaluate", help="genre precision@k, score error and held-out checks of a model")
    e.add_argument("--model", required=True, metavar="MODEL")
    data_option(e)
    e.add_argument("--against", metavar="MODEL",
                   help="a second model (another seed): the share of neighbours the two agree on")
    e.add_argument("-k", type=_positive, default=10, help="neighbours per artist (default 10)")
    e.set_defaults(run=cmd_evaluate)

    s = sub.add_parser("similar", help="the artists nearest to NAME")
    s.add_argument("name", metavar="NAME")
    s.add_argument("--model", required=True, metavar="MODEL")
    s.add_argument("-k", type=_positive, default=10, help="how many (default 10)")
    s.set_defaults(run=cmd_similar)

    a = sub.add_parser("analogy", help="the artists nearest to A - B (+ C)")
    a.add_argument("a", metavar="A")
    a.add_argument("b", metavar="B")
    a.add_argument("c", metavar="C", nargs="?")
    a.add_argument("--model", required=True, metavar="MODEL")
    a.add_argument("-k", type=_positive, default=10, help="how many (default 10)")
    a.set_defaults(run=cmd_analogy)

    x = sub.add_parser("export", help="vectors.tsv and metadata.tsv for the Embedding Projector")
    x.add_argument("--model", required=True, metavar="MODEL")
    data_option(x)
    x.add_argument("--out", required=True, metavar="DIR")
    x.add_argument("--force", action="store_true", help="replace files in DIR")
    x.set_defaults(run=cmd_export)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except (Bands2VecError, FileExistsError, ValueError, OSError) as e:
        message = " ".join(str(e).split()) or type(e).__name__
        print(f"bands2vec: error: {message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("bands2vec: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
