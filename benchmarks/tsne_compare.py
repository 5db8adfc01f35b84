"""t-SNE of all artists: scikit-learn's Barnes-Hut against openTSNE's FFT-accelerated interpolation.

    python -m benchmarks.tsne_compare                      # the sample, and the real data if found
    python -m benchmarks.tsne_compare --data PATH          # the real data from PATH
    python -m benchmarks.tsne_compare --datasets sample --variants sklearn,library --repeats 3

For each dataset it trains the library's default vectors (``train(artists)``, 64-d), then maps
all artists with every variant, once per seed (0, 1, ...: ``--repeats``), and prints per
variant the wall and CPU seconds (mean, and the range over the runs) and three measures of
the map (mean and range over the seeds):

* ``trust``: scikit-learn's ``trustworthiness`` at 10 neighbours, on a fixed random subset of
  2,000 artists (the full matrix of ranks would take longer than the maps);
* ``kept``: :func:`~bands2vec_lib.projection.neighbours_kept`, the share of each artist's 10
  cosine-nearest neighbours in 64-d that are among its 10 nearest on the map;
* ``bucket``: the share of each artist's 10 nearest on the map in its score bucket.

The variants: ``sklearn`` is the course's setting (``tsne(method="sklearn")``: perplexity 30,
PCA start, learning rate "auto", 750 iterations of which 250 exaggerated 12 times, Euclidean on
unit vectors, Barnes-Hut angle 0.5), and ``sklearn-500`` the same cut to 500 iterations;
``library`` is ``tsne(method="fft")``, what the library uses for all-artist maps (openTSNE,
125 iterations exaggerated 12 times then 200, exact neighbours, a coarser grid while the map
is small: see :func:`bands2vec_lib.projection.tsne`). The ``ot-*`` variants call openTSNE
directly, with its defaults but scikit-learn's schedule (250 iterations exaggerated 12 times,
then 500), perplexity 30 and a PCA start, to separate what each choice costs: the
negative-gradient method (``fft`` or ``bh``), the nearest neighbours (``exact`` or Annoy's
approximate ones; pynndescent is not installed) and the threads (``n_jobs``).

Afterwards it checks that ``tsne(method="fft")`` gives the same coordinates twice for seed 0,
and whether openTSNE's coordinates depend on the number of threads. ``--sizes`` also times
both library methods on the most reviewed artists of the sample, to show where the FFT
method starts to pay. Every run happens in this process, one after another; the load average
is printed, since other work on the machine slows every figure down.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as bands2vec_lib sets it, before any OpenMP runtime loads

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from bands2vec_lib.projection import SCHEDULES  # noqa: E402

DEFAULT_DB = Path(__file__).resolve().parents[2] / "shared" / "data" / "pitchfork" / "database.sqlite"
K = 10
TRUST_SUBSET = 2_000
SIZES = (1_000, 2_500, 5_000)


def _opentsne(gradient: str, neighbors: str, n_jobs: int) -> Callable[[np.ndarray, int], np.ndarray]:
    """openTSNE with scikit-learn's schedule: 250 iterations exaggerated 12 times, then 500."""

    def run(vectors: np.ndarray, seed: int) -> np.ndarray:
        from openTSNE import TSNE

        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        model = TSNE(
            perplexity=30, initialization="pca", random_state=seed, early_exaggeration=12,
            early_exaggeration_iter=250, n_iter=500, negative_gradient_method=gradient, neighbors=neighbors,
            n_jobs=n_jobs,
        )  # fmt: skip
        return np.asarray(model.fit(unit))

    return run


def _library(method: str, max_iter: int | None = None) -> Callable[[np.ndarray, int], np.ndarray]:
    def run(vectors: np.ndarray, seed: int) -> np.ndarray:
        from bands2vec_lib.projection import tsne

        return tsne(vectors, seed=seed, method=method, max_iter=max_iter)

    return run


VARIANTS: dict[str, tuple[str, Callable[[np.ndarray, int], np.ndarray]]] = {
    "sklearn": ("scikit-learn Barnes-Hut, 750 it (course)", _library("sklearn")),
    "sklearn-500": ("scikit-learn Barnes-Hut, 500 it", _library("sklearn", 500)),
    "library": (f"tsne(method='fft'): openTSNE FFT, {SCHEDULES['fft'][1]} it", _library("fft")),
    "ot-fft": ("openTSNE FFT, 750 it, exact kNN, 2 thr", _opentsne("fft", "exact", 2)),
    "ot-fft-annoy": ("openTSNE FFT, 750 it, Annoy kNN, 2 thr", _opentsne("fft", "annoy", 2)),
    "ot-fft-1": ("openTSNE FFT, 750 it, exact kNN, 1 thr", _opentsne("fft", "exact", 1)),
    "ot-bh": ("openTSNE Barnes-Hut, 750 it, exact kNN, 2 thr", _opentsne("bh", "exact", 2)),
}


@dataclass
class Runs:
    """The runs of one variant on one dataset, one per seed."""

    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    trust: list[float] = field(default_factory=list)
    kept: list[float] = field(default_factory=list)
    bucket: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)
    first_map: np.ndarray | None = None

    def add(self, **measured: float) -> None:
        for name, value in measured.items():
            getattr(self, name).append(value)


def timed(function: Callable[[], np.ndarray]) -> tuple[np.ndarray, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    out = function()
    return out, time.perf_counter() - start, time.process_time() - cpu


def quality(coords: np.ndarray, vectors: np.ndarray, buckets: np.ndarray, subset: np.ndarray) -> tuple[float, ...]:
    from sklearn.manifold import trustworthiness

    from bands2vec_lib.projection import map_neighbours, neighbours_kept

    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    trust = trustworthiness(unit[subset], coords[subset], n_neighbors=K)
    kept = neighbours_kept(coords, vectors, K)
    bucket = float((buckets[map_neighbours(coords, K)] == buckets[:, None]).mean())
    return float(trust), kept, bucket


@contextmanager
def no_data_env():
    """``$BANDS2VEC_DATA`` unset, so that no path means the sample."""
    from bands2vec_lib.data import DATA_ENV

    saved = os.environ.pop(DATA_ENV, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[DATA_ENV] = saved


def default_vectors(path: Path | None) -> tuple[pd.DataFrame, np.ndarray, float]:
    """All artists (the sample for ``None``) and their default 64-d vectors, in table order."""
    from bands2vec_lib.data import load_artists
    from bands2vec_lib.training import train

    with no_data_env():
        artists = load_artists(path)
    start = time.perf_counter()
    emb = train(artists).embeddings.aligned(artists)
    return artists, np.asarray(emb.vectors, dtype=np.float64), time.perf_counter() - start


def spread(values: Sequence[float], fmt: str) -> str:
    """``mean (min-max)``, or the one value."""
    if len(values) == 1:
        return format(values[0], fmt)
    return f"{format(float(np.mean(values)), fmt)} ({format(min(values), fmt)}-{format(max(values), fmt)})"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line.format(*row))
    sys.stdout.flush()


def bench_dataset(name: str, path: Path | None, variants: Sequence[str], repeats: int) -> dict[str, Runs]:
    artists, vectors, train_seconds = default_vectors(path)
    buckets = artists["score_bucket"].to_numpy()
    subset = np.random.default_rng(0).choice(len(artists), size=min(TRUST_SUBSET, len(artists)), replace=False)
    print(f"\n{name}: {len(artists):,} artists, default vectors trained in {train_seconds:.1f} s")
    results: dict[str, Runs] = {}
    for key in variants:
        label, run = VARIANTS[key]
        runs = results[key] = Runs()
        for seed in range(repeats):
            runs.load.append(os.getloadavg()[0])
            coords, seconds, cpu = timed(lambda run=run, seed=seed: run(vectors, seed))
            if coords.shape != (len(artists), 2) or not np.all(np.isfinite(coords)):
                raise RuntimeError(f"{label} gave an array of shape {coords.shape} with non-finite values")
            trust, kept, bucket = quality(coords, vectors, buckets, subset)
            runs.add(seconds=seconds, cpu=cpu, trust=trust, kept=kept, bucket=bucket)
            if seed == 0:
                runs.first_map = np.asarray(coords)
            print(f"  {label}, seed {seed}: {seconds:.1f} s (CPU {cpu:.1f} s, load {runs.load[-1]:.1f}), "
                  f"trust {trust:.4f}, kept {kept:.4f}, bucket {bucket:.4f}", flush=True)  # fmt: skip

    from bands2vec_lib.similarity import neighbour_ids

    in_space = float((buckets[neighbour_ids(vectors, K)] == buckets[:, None]).mean())
    print(f"\n{name}: {len(artists):,} artists, {repeats} seed(s) each; mean (min-max)")
    rows = [
        [VARIANTS[key][0], spread(r.seconds, ".1f"), spread(r.cpu, ".1f"), spread(r.trust, ".4f"),
         spread(r.kept, ".4f"), spread(r.bucket, ".4f"), spread(r.load, ".1f")]
        for key, r in results.items()
    ]  # fmt: skip
    print_table(["variant", "wall s", "CPU s", "trust", "kept", "bucket", "load"], rows)
    print(f"reference: a random map keeps {K / (len(artists) - 1):.4f}; "
          f"in 64-d {in_space:.4f} of the {K} nearest share the bucket")  # fmt: skip

    if "library" in results:
        again = VARIANTS["library"][1](vectors, 0)
        same = np.array_equal(again, results["library"].first_map)
        print(f"tsne(method='fft'), seed 0 twice: {'the same coordinates' if same else 'DIFFERENT coordinates'}")
    if "ot-fft" in results and "ot-fft-1" in results:
        same = np.array_equal(results["ot-fft"].first_map, results["ot-fft-1"].first_map)
        print(f"openTSNE FFT with 1 and 2 threads, seed 0: {'the same' if same else 'different'} coordinates")
    return results


def bench_sizes(sizes: Sequence[int]) -> None:
    """Both library methods on the most reviewed artists of the sample: where the FFT starts to pay."""
    artists, vectors, _ = default_vectors(None)
    buckets = artists["score_bucket"].to_numpy()
    rows = []
    for n in sizes:
        few, few_buckets = vectors[:n], buckets[:n]
        subset = np.random.default_rng(0).choice(n, size=min(TRUST_SUBSET, n), replace=False)
        row = [f"{n:,}"]
        for key in ("sklearn", "library"):
            coords, seconds, cpu = timed(lambda key=key, few=few: VARIANTS[key][1](few, 0))
            _, kept, _ = quality(coords, few, few_buckets, subset)
            row += [f"{seconds:.1f}", f"{cpu:.1f}", f"{kept:.4f}"]
        rows.append(row + [f"{os.getloadavg()[0]:.1f}"])
        print(f"  {n:,} artists: scikit-learn {row[1]} s, fft {row[4]} s", flush=True)
    print("\nthe most reviewed artists of the sample, seed 0")
    headers = ["artists", "sklearn s", "CPU s", "kept", "fft s", "CPU s", "kept", "load"]
    print_table(headers, rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help=f"the real data (default: $BANDS2VEC_DATA, else {DEFAULT_DB} if it exists)")  # fmt: skip
    parser.add_argument("--datasets", default="sample,real", help="sample, real or both (default: both)")
    parser.add_argument("--variants", default=",".join(VARIANTS), help=f"among {', '.join(VARIANTS)} (default: all)")
    parser.add_argument("--repeats", type=int, default=2, help="runs per variant, seeds 0, 1, ... (default: 2)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="sample sizes for the crossover table, or '' to skip it")  # fmt: skip
    args = parser.parse_args(argv)

    import bands2vec_lib  # noqa: F401  (sets the environment: OMP_WAIT_POLICY, TensorFlow's logs)

    variants = [v for v in args.variants.split(",") if v]
    unknown = sorted(set(variants) - set(VARIANTS))
    if unknown or args.repeats < 1:
        parser.error(f"unknown variants {unknown}" if unknown else "--repeats must be at least 1")
    datasets = [d for d in args.datasets.split(",") if d]
    real = args.data or (Path(os.environ["BANDS2VEC_DATA"]) if os.environ.get("BANDS2VEC_DATA") else None)
    real = real or (DEFAULT_DB if DEFAULT_DB.is_file() else None)
    if "real" in datasets and real is None:
        print("no real data (give --data PATH or set BANDS2VEC_DATA): the sample only")
        datasets.remove("real")
    print(f"{os.cpu_count()} CPUs, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for name in datasets:
        bench_dataset(name, real if name == "real" else None, variants, args.repeats)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if sizes:
        bench_sizes(sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
