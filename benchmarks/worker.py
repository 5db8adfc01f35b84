"""One measured run in a fresh Python process, so that runs cannot pollute each other.

    python -m benchmarks.worker train DIR METHOD N [--save FILE]
    python -m benchmarks.worker tsne DIR FILE
    python -m benchmarks.worker design DIR GENRE_SHARE JOINT_SHARE

``DIR`` holds the dataset as written by :func:`write_inputs`. The last line printed is a
JSON object: the run's wall time, its peak resident memory (read right after the method,
before scoring) and, for training, the genre precision@10 and score error@10 of the
vectors. ``design`` trains the library's default recipe on pairs of the given mix.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ARTISTS, PAIRS = "artists.pkl", "pairs.npy"


def write_inputs(directory: Path, artists: pd.DataFrame, pairs: np.ndarray) -> None:
    """Store a dataset's artists and pair stream for the workers."""
    artists.to_pickle(directory / ARTISTS)
    np.save(directory / PAIRS, np.asarray(pairs, dtype=np.int64))


def peak_mib() -> float:
    """This process's peak resident memory so far, in MiB (threads included)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


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
    args = parser.parse_args(argv)
    if args.task == "train":
        out = train(args.directory, args.method, args.n, args.save)
    elif args.task == "design":
        out = design(args.directory, args.genre_share, args.joint_share)
    else:
        out = tsne(args.directory, args.file)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
