"""One measured run in a fresh Python process, so that runs cannot pollute each other.

    python -m benchmarks.worker train DIR METHOD N [--save FILE]
    python -m benchmarks.worker tsne DIR FILE
    python -m benchmarks.worker design DIR GENRE_SHARE JOINT_SHARE
    python -m benchmarks.worker scale ITEMS METHOD STEPS
    python -m benchmarks.worker generate ARTISTS

``DIR`` holds the dataset as written by :func:`write_inputs`. The last line printed is a
JSON object: the run's wall time, its peak resident memory (read right after the method,
before scoring) and, for training, the genre precision@10 and score error@10 of the
vectors. ``design`` trains the library's default recipe on pairs of the given mix.
``scale`` trains on ``STEPS`` batches of random pairs of ``ITEMS`` items (the library with
one of its optimizers, or gensim); ``generate`` makes an embedded sample of ``ARTISTS``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from tools.notebooks import high_water_mark

ARTISTS, PAIRS = "artists.pkl", "pairs.npy"


def write_inputs(directory: Path, artists: pd.DataFrame, pairs: np.ndarray) -> None:
    """Store a dataset's artists and pair stream for the workers."""
    artists.to_pickle(directory / ARTISTS)
    np.save(directory / PAIRS, np.asarray(pairs, dtype=np.int64))


def peak_mib() -> float:
    """This process's peak resident memory so far, in MiB (threads included)."""
    return high_water_mark() / 2**20


def train(directory: Path, method: str, n: int, save: Path | None) -> dict:
    from bands2vec_lib.vocab import Vocabulary

    from .methods import FITS, quality_at_10

    artists = pd.read_pickle(directory / ARTISTS)
    vocab = Vocabulary.from_artists(artists)
    stream = np.load(directory / PAIRS, mmap_mode="r")
    if n > len(stream):
        raise ValueError(f"{n} pairs asked for, the stream holds {len(stream)}")
    pairs = np.array(stream[:n])
    fit = FITS[method](pairs, vocab)
    peak = peak_mib()
    precision, score_error = quality_at_10(fit.vectors, vocab, artists)
    if save is not None:
        from bands2vec_lib.embeddings import Embeddings

        Embeddings(vocab.names, fit.vectors, {"method": method, "pairs": n}).save(save, overwrite=True)
    return {
        "method": method, "amount": n, "pairs_used": fit.pairs_used, "seconds": fit.seconds,
        "cpu_seconds": fit.cpu_seconds, "pairs_per_second": fit.pairs_used / fit.seconds, "peak_mib": peak,
        "precision": precision, "score_error": score_error,
    }  # fmt: skip


def design(directory: Path, genre_share: float, joint_share: float) -> dict:
    """The library's default recipe on the artists, with pairs of the given mix."""
    from bands2vec_lib.training import TrainConfig
    from bands2vec_lib.training import train as train_artists
    from bands2vec_lib.vocab import Vocabulary

    from .methods import quality_at_10

    artists = pd.read_pickle(directory / ARTISTS)
    result = train_artists(artists, TrainConfig(genre_share=genre_share, joint_share=joint_share))
    peak = peak_mib()
    precision, score_error = quality_at_10(result.embeddings.vectors, Vocabulary.from_artists(artists), artists)
    return {"genre_share": genre_share, "joint_share": joint_share, "seconds": result.seconds,
            "peak_mib": peak, "precision": precision, "score_error": score_error}  # fmt: skip


def tsne(directory: Path, file: Path) -> dict:
    from bands2vec_lib.embeddings import Embeddings
    from bands2vec_lib.projection import tsne as run_tsne

    artists = pd.read_pickle(directory / ARTISTS)
    emb = Embeddings.load(file).aligned(artists)
    start, cpu = time.perf_counter(), time.process_time()
    coords = run_tsne(emb.vectors)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if coords.shape != (len(artists), 2) or not np.all(np.isfinite(coords)):
        raise RuntimeError(f"t-SNE gave an array of shape {coords.shape} with non-finite values")
    return {"artists": len(artists), "seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak_mib(),
            "source": emb.meta.get("method")}  # fmt: skip


SCALE_METHODS = ("auto", "adam", "rowwise_adam", "gensim")


def scale(items: int, method: str, steps: int) -> dict:
    """Training on random pairs of ``items`` items: the cost of a vocabulary that size.

    Every method gets the same ``steps * batch_size`` pairs, drawn uniformly. Two clocks:
    ``seconds`` covers all the method does with the pairs (for the library: making the model
    and training it; for gensim: building its vocabulary and training), ``train_seconds``
    the training alone (the library's training loop, with tracing it and making the last
    pending updates; gensim's ``train``).
    """
    from bands2vec_lib.training import TrainConfig, train_on_pairs
    from bands2vec_lib.vocab import Vocabulary

    from .methods import DIM, library_batch_size, sentences_of

    if method not in SCALE_METHODS:
        raise ValueError(f"method must be one of {', '.join(SCALE_METHODS)}, not {method!r}")
    pairs = np.random.default_rng(0).integers(items, size=(steps * library_batch_size(), 2))
    vocab = Vocabulary((f"item {i}" for i in range(items)), np.ones(items, dtype=np.int64), sort=False)
    if method == "gensim":
        from gensim.models import Word2Vec

        sentences = sentences_of(pairs, vocab.names)
        start = time.perf_counter()
        model = Word2Vec(sg=1, negative=16, workers=2, vector_size=DIM, window=1, min_count=1, seed=0, sample=0)
        model.build_vocab(sentences)
        trained = time.perf_counter()
        model.train(sentences, total_examples=len(sentences), epochs=1)
        end = time.perf_counter()
    else:
        start = time.perf_counter()
        result = train_on_pairs(pairs, vocab, TrainConfig(steps=steps, optimizer=method, log_every=steps))
        end = time.perf_counter()
        trained = end - result.seconds
    return {"items": items, "method": method, "pairs": len(pairs), "seconds": end - start,
            "train_seconds": end - trained, "pairs_per_second": len(pairs) / (end - trained),
            "peak_mib": peak_mib()}  # fmt: skip


def generate(n_artists: int) -> dict:
    """The embedded sample generator's time and peak memory for ``n_artists``."""
    from bands2vec_lib.sample import generate_sample

    start = time.perf_counter()
    tables = generate_sample(n_artists=n_artists)
    seconds = time.perf_counter() - start
    return {"artists": n_artists, "reviews": len(tables.reviews), "seconds": seconds, "peak_mib": peak_mib()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    sub = parser.add_subparsers(dest="task", required=True)
    p = sub.add_parser("train")
    p.add_argument("directory", type=Path)
    p.add_argument("method")
    p.add_argument("n", type=int)
    p.add_argument("--save", type=Path)
    p = sub.add_parser("design")
    p.add_argument("directory", type=Path)
    p.add_argument("genre_share", type=float)
    p.add_argument("joint_share", type=float)
    p = sub.add_parser("tsne")
    p.add_argument("directory", type=Path)
    p.add_argument("file", type=Path)
    p = sub.add_parser("scale")
    p.add_argument("items", type=int)
    p.add_argument("method", choices=SCALE_METHODS)
    p.add_argument("steps", type=int)
    p = sub.add_parser("generate")
    p.add_argument("n_artists", type=int)
    args = parser.parse_args(argv)
    if args.task == "train":
        out = train(args.directory, args.method, args.n, args.save)
    elif args.task == "design":
        out = design(args.directory, args.genre_share, args.joint_share)
    elif args.task == "scale":
        out = scale(args.items, args.method, args.steps)
    elif args.task == "generate":
        out = generate(args.n_artists)
    else:
        out = tsne(args.directory, args.file)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
