"""Benchmark Bands2Vec: training speed and quality against gensim and PPMI-SVD, pair
generation, t-SNE, and the lessons' time and memory budgets.

    python -m benchmarks.run            # everything, 0.25 to 8 million pairs (10 to 30 minutes)
    python -m benchmarks.run --quick    # up to 1 million pairs
    python -m benchmarks.run --datasets sample --methods bands2vec,gensim --parts training

Every training run happens in a fresh Python process (``benchmarks/worker.py``), on the
first N pairs of one stream per dataset, so that all methods see the same data. The script
is a report: it exits 0 even when a budget fails, and ends with every PASS/FAIL line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from benchmarks import budgets
from benchmarks.methods import METHODS, QUALITY, REFERENCE, SCORE_QUALITY, time_to_quality
from tools import notebooks

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pitchfork"
FULL_AMOUNTS = (250_000, 500_000, 1_000_000, 2_000_000, 4_000_000, 8_000_000)
QUICK_AMOUNTS = (125_000, 250_000, 500_000, 1_000_000)
PARTS = ("training", "contexts", "pairs", "tsne", "scaling", "lessons", "nbval", "book")
DATASETS = ("sample", "real")
LIBRARY_PAIRS = 1_000_000  # pairs drawn by context_pairs when timing it
ARTICLE_PAIRS = 50_000  # pairs drawn by the article's loop (then extrapolated)
PAIRS_PER_SECOND = 1_000_000  # what context_pairs must reach
TSNE_SECONDS = 30.0
WORKER_TIMEOUT = 3600
TIMING_REPEATS = 2  # extra runs of the article's and the default mix, to compare their speed


# ----------------------------------------------------------------------------- output


class Report:
    """Prints as it goes, and keeps the tables and PASS/FAIL lines for the summary and the page."""

    def __init__(self) -> None:
        self.sections: list[tuple[str, list[str]]] = []
        self.checks: list[str] = []

    def table(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], notes: Sequence[str] = ()):
        lines = pipe_table(headers, rows) + ([""] if notes else []) + list(notes)
        self.sections.append((title, lines))
        print(f"\n## {title}\n", flush=True)
        print("\n".join(lines), flush=True)

    def check(self, ok: bool, text: str) -> bool:
        line = f"{'PASS' if ok else 'FAIL'}  {text}"
        self.checks.append(line)
        print(line, flush=True)
        return ok


def pipe_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown pipe table, padded so that it also reads well in a terminal."""
    cells = [list(map(str, headers))] + [list(map(str, r)) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_looks_numeric(r[i]) for r in cells[1:]) and len(cells) > 1 for i in range(len(headers))]

    def line(row):
        padded = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric, strict=True)]
        return "| " + " | ".join(padded) + " |"

    dashes = [("-" * (w + 1) + ":") if num else ("-" * (w + 2)) for w, num in zip(widths, numeric, strict=True)]
    return [line(cells[0]), "|" + "|".join(dashes) + "|"] + [line(r) for r in cells[1:]]


def _looks_numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").isdigit() or text in ("-", "failed")


def log(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def pairs_text(n: float) -> str:
    return f"{int(n):,}"


def millions(n: float) -> str:
    return f"{n / 1e6:g}M"


def seconds_text(s: float | None) -> str:
    return "-" if s is None else (f"{s:.2f}" if s < 10 else f"{s:.1f}")


# ----------------------------------------------------------------------------- data


def load_dataset(name: str, data_path: Path | None):
    """(artists, clean reviews) of the embedded sample or of the real data."""
    from bands2vec_lib.data import artist_table, clean, read_tables
    from bands2vec_lib.sample import generate_sample

    tables = generate_sample() if name == "sample" else read_tables(data_path)
    reviews = clean(tables).reviews
    return artist_table(reviews), reviews


def real_data_path(option: str | None) -> Path | None:
    """The real data from --data, else ``$BANDS2VEC_DATA``, else ``../shared/data/pitchfork``."""
    for candidate in (option, os.environ.get("BANDS2VEC_DATA"), DEFAULT_DATA):
        if candidate:
            path = Path(candidate).expanduser()
            if path.exists():
                return path
    return None


# ----------------------------------------------------------------------------- workers


def run_worker(args: Sequence[str]) -> dict:
    """Run ``python -m benchmarks.worker ARGS`` in a fresh process; its JSON result."""
    command = [sys.executable, "-m", "benchmarks.worker", *map(str, args)]
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=WORKER_TIMEOUT)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        what = " ".join(str(a) for a in args if not isinstance(a, Path) and not str(a).startswith("--"))
        raise RuntimeError(f"{what} failed: {tail[:300]}")
    return json.loads(lines[-1])


def bench_training(report: Report, dataset: str, artists, directory: Path, methods, amounts) -> dict:
    """Every method on every amount of the dataset's pair stream; each method's last saved vectors."""
    rows, saved = [], {}
    for method in methods:
        for n in amounts:
            log(f"{dataset}: {method} on {pairs_text(n)} pairs")
            file = directory / f"{method}_{n}.npz"
            try:
                row = run_worker(["train", directory, method, n, "--save", file])
                saved[method] = file
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                log(str(e))
                row = {"method": method, "amount": n, "error": str(e)}
            rows.append(row)
    table = []
    for r in rows:
        if "error" in r:
            table.append([r["method"], pairs_text(r["amount"]), "failed", "-", "-", "-", "-", "-"])
        else:
            table.append([
                r["method"], pairs_text(r["pairs_used"]), seconds_text(r["seconds"]), seconds_text(r["cpu_seconds"]),
                f"{r['pairs_per_second']:,.0f}", f"{r['peak_mib']:,.0f}", f"{r['precision']:.3f}",
                f"{r['score_error']:.3f}",
            ])  # fmt: skip
    notes = [f"Failed: {r['method']} on {pairs_text(r['amount'])} pairs: {r['error']}" for r in rows if "error" in r]
    if "gensim" in methods:
        notes.append("gensim's peak memory includes its input: the pairs as Python lists of two names.")
    report.table(
        f"Training on the {dataset} data ({len(artists):,} artists)",
        ["method", "pairs", "seconds", "CPU seconds", "pairs/s", "peak MiB", "precision@10", "score error@10"],
        table, notes,
    )  # fmt: skip
    scored = [r for r in rows if "error" not in r]
    if not scored:
        report.check(False, f"{dataset}: no training run succeeded")
        return saved
    quality = time_to_quality(scored)
    report.table(
        f"Time to quality on the {dataset} data (genre precision@10 of at least {QUALITY} and score error@10 "
        f"of at most {SCORE_QUALITY})",
        ["method", "first reaches both at", "seconds", f"ratio to {REFERENCE}", "best precision@10",
         "best score error@10"],
        [[q.method, "not reached" if q.amount is None else pairs_text(q.amount), seconds_text(q.seconds),
          "-" if q.ratio is None else f"{q.ratio:.2f}", f"{q.best:.3f}", f"{q.best_score_error:.3f}"]
         for q in quality],
    )  # fmt: skip
    by_method = {q.method: q for q in quality}
    lib, ref = by_method.get("bands2vec"), by_method.get(REFERENCE)
    if lib is not None:
        best = f"best {lib.best:.3f}, {lib.best_score_error:.3f}"
        report.check(lib.amount is not None, f"{dataset}: bands2vec reaches precision@10 >= {QUALITY} and "
                     f"score error@10 <= {SCORE_QUALITY} ({best})")  # fmt: skip
        if ref is not None and lib.amount is not None and ref.amount is None:
            report.check(True, f"{dataset}: bands2vec reaches the quality that {REFERENCE} does not reach here")
        elif ref is not None:
            ok = lib.ratio is not None and lib.ratio <= 1.0
            ratio = "n/a" if lib.ratio is None else f"{lib.ratio:.2f}"
            report.check(ok, f"{dataset}: bands2vec time to quality <= {REFERENCE}'s (ratio {ratio}, at most 1.0)")
    return saved


def bench_contexts(report: Report, dataset: str, directory: Path) -> None:
    """What the contexts decide: the default recipe trained on each mix of pairs of
    ``tools/context_tradeoff.py``, and the article's mix against the library's default."""
    from bands2vec_lib.pairs import GENRE_SHARE, JOINT_SHARE
    from tools.context_tradeoff import designs

    rows = []
    for d in designs():
        log(f"{dataset}: contexts {d['family']} genre {d['genre_share']} joint {d['joint_share']}")
        try:
            rows.append({**d, **run_worker(["design", directory, d["genre_share"], d["joint_share"]])})
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            log(str(e))

    def mark(r: dict) -> str:
        if (r["genre_share"], r["joint_share"]) == (GENRE_SHARE, 0.0):
            return " (the article's)"
        return " (the library's default)" if (r["genre_share"], r["joint_share"]) == (0.0, JOINT_SHARE) else ""

    report.table(
        f"What the contexts decide, on the {dataset} data (the default recipe, 2.05M pairs of each mix)",
        ["pairs", "genre share", "joint share", "seconds", "precision@10", "score error@10"],
        [[r["family"] + mark(r), f"{r['genre_share']:.2f}", f"{r['joint_share']:.2f}", seconds_text(r["seconds"]),
          f"{r['precision']:.3f}", f"{r['score_error']:.3f}"] for r in rows],
        ["genre share: that share of the pairs share a genre, the rest a score bucket (the article's design). "
         "joint share: that share share a genre and a score bucket, the rest a score bucket alone."],
    )  # fmt: skip
    by_design = {(r["genre_share"], r["joint_share"]): r for r in rows}
    article, default = by_design.get((GENRE_SHARE, 0.0)), by_design.get((0.0, JOINT_SHARE))
    if article is None or default is None:
        report.check(False, f"{dataset}: the article's mix and the default were both trained")
        return
    report.check(default["precision"] >= QUALITY and default["score_error"] <= SCORE_QUALITY,
                 f"{dataset}: the default mix reaches precision@10 >= {QUALITY} and score error@10 <= "
                 f"{SCORE_QUALITY} ({default['precision']:.3f}, {default['score_error']:.3f}; the article's "
                 f"{article['precision']:.3f}, {article['score_error']:.3f})")  # fmt: skip
    # The two differ only in their pairs, so their cost should be the same: time each a few
    # more times, alternating, and compare the fastest runs (the least disturbed).
    times = {"article": [article["seconds"]], "default": [default["seconds"]]}
    for _ in range(TIMING_REPEATS):
        for name, (g, j) in (("article", (GENRE_SHARE, 0.0)), ("default", (0.0, JOINT_SHARE))):
            try:
                times[name].append(run_worker(["design", directory, g, j])["seconds"])
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                log(str(e))
    ratio = min(times["default"]) / min(times["article"])
    report.check(ratio <= 1.10, f"{dataset}: training on the default mix takes no longer than on the article's "
                 f"(fastest of {len(times['default'])} runs each: {min(times['default']):.2f} s and "
                 f"{min(times['article']):.2f} s, ratio {ratio:.2f}; at most 1.10, for timing noise)")  # fmt: skip


def bench_pairs(report: Report, dataset: str, artists, reviews) -> None:
    """The library's vectorised pair generator against the article's per-pair loop."""
    from bands2vec_lib.pairs import ContextGroups, article_pairs, context_pairs
    from bands2vec_lib.vocab import Vocabulary

    log(f"{dataset}: pair generation")
    vocab = Vocabulary.from_artists(artists)
    start = time.perf_counter()
    groups = ContextGroups.from_artists(artists, vocab)
    group_seconds = time.perf_counter() - start
    library = best_of(3, lambda: context_pairs(groups, LIBRARY_PAIRS, seed=0))
    setup = best_of(3, lambda: article_pairs(reviews, vocab, 0, seed=0))
    loop = best_of(3, lambda: article_pairs(reviews, vocab, ARTICLE_PAIRS, seed=0))
    library_rate = LIBRARY_PAIRS / library
    article_rate = ARTICLE_PAIRS / max(loop - setup, 1e-9)
    report.table(
        f"Pair generation on the {dataset} data",
        ["generator", "pairs", "seconds", "pairs/s", f"seconds for {millions(LIBRARY_PAIRS)}"],
        [["context_pairs (library, vectorised)", pairs_text(LIBRARY_PAIRS), f"{library:.3f}",
          f"{library_rate:,.0f}", f"{library:.2f}"],
         ["article_pairs (the article's per-pair loop)", pairs_text(ARTICLE_PAIRS), f"{loop - setup:.3f}",
          f"{article_rate:,.0f}", f"{setup + LIBRARY_PAIRS / article_rate:.1f} (extrapolated)"]],
        [f"Best of 3 runs each. Grouping the artists takes {group_seconds:.2f} s once for the library; "
         f"the article's loop needs {setup:.2f} s of set-up, left out of its rate above.",
         f"The library generates pairs {library_rate / article_rate:,.0f} times as fast as the article's loop."],
    )  # fmt: skip
    report.check(
        library_rate >= PAIRS_PER_SECOND,
        f"{dataset}: context_pairs makes {library_rate:,.0f} pairs/s (at least {PAIRS_PER_SECOND:,})",
    )


SCALE_ITEMS = (8_713, 100_000, 1_000_000)  # the course's artists, then 11 and 115 times as many
DENSE_STEPS = 50  # dense Adam's steps (its cost per step grows with the items; 500 would take 15 minutes)
GENERATOR_SIZES = (10_000, 20_000, 40_000, 100_000, 500_000, 1_000_000)  # doublings: ratio to half the size
LINEAR_RATIO = 2.5  # doubling the size may at most multiply the time by this (linear: 2, quadratic: 4)
GENERATOR_TIMEOUT = 120  # seconds: a size that takes longer is reported as not finished
SCALE_MEMORY_MIB = 4096  # peak memory allowed at a million items
SCALE_CSV = ROOT / "book" / "scaling.csv"  # the table the "Training at scale" page shows


def bench_scaling(report: Report) -> None:
    """Cost against the number of items: the library's default ("auto"), Keras's Adam, the
    row-wise Adam and gensim on random pairs, every method in a fresh process; then the
    sample generator at growing sizes."""
    from bands2vec_lib.training import TrainConfig

    steps = TrainConfig().steps
    rows, results = [], {}
    for items in SCALE_ITEMS:
        for method, n_steps in (("auto", steps), ("gensim", steps), ("adam", DENSE_STEPS), ("rowwise_adam", steps)):
            log(f"scaling: {method} on {items:,} items, {n_steps} steps")
            try:
                r = run_worker(["scale", items, method, n_steps])
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                rows.append([f"{items:,}", method, "failed", "", "", "", str(e)[:80]])
                continue
            results[items, method] = r
            rows.append([f"{items:,}", "bands2vec" if method == "auto" else method, pairs_text(r["pairs"]),
                         f"{r['train_seconds']:.1f}", f"{r['pairs_per_second']:,.0f}", f"{r['seconds']:.1f}",
                         f"{r['peak_mib']:,.0f}"])  # fmt: skip
    report.table(
        "Training cost against the number of items",
        ["items", "method", "pairs", "training s", "training pairs/s", "all s", "peak MiB"],
        rows,
        ["Random pairs, drawn uniformly; the library's default `TrainConfig` (batches of 4,096; `bands2vec`: "
         "its optimizer \"auto\", Keras's Adam below 100,000 items and the row-wise Adam from there), "
         f"`optimizer=\"adam\"` (Keras's Adam, every row at every step, {DENSE_STEPS} steps) and "
         "`optimizer=\"rowwise_adam\"`; gensim's skip-gram with 16 negatives and 2 workers on the same pairs, each a "
         "two-word sentence that gensim trains in both directions (two updates for the library's one).",
         "Training: the library's training loop (tracing it and the last pending updates included), "
         "gensim's `train`. All: making the model (the library) or building the vocabulary (gensim) as well."],
    )  # fmt: skip
    write_scaling_csv(results)
    small, large = results.get((SCALE_ITEMS[0], "auto")), results.get((SCALE_ITEMS[-1], "auto"))
    rival = results.get((SCALE_ITEMS[-1], "gensim"))
    if small and large and rival:
        report.check(
            large["pairs_per_second"] >= rival["pairs_per_second"],
            f"at {SCALE_ITEMS[-1]:,} items the library trains {large['pairs_per_second']:,.0f} pairs/s, "
            f"gensim {rival['pairs_per_second']:,.0f}",
        )
        ratio = large["pairs_per_second"] / small["pairs_per_second"]
        report.check(
            ratio >= 0.5,
            f"the library's pairs/s at {SCALE_ITEMS[-1]:,} items is {ratio:.2f} of its pairs/s at "
            f"{SCALE_ITEMS[0]:,} (at least 0.5)",
        )
        report.check(
            large["peak_mib"] < SCALE_MEMORY_MIB,
            f"peak memory at {SCALE_ITEMS[-1]:,} items: {large['peak_mib']:,.0f} MiB (under {SCALE_MEMORY_MIB:,})",
        )
    bench_generator(report)


def write_scaling_csv(results: dict) -> None:
    """The scaling table as the book page reads it: one row per items and method."""
    lines = ["items,method,steps,pairs,train_seconds,pairs_per_second,seconds,peak_mib"]
    for (items, method), r in sorted(results.items()):
        lines.append(f"{items},{method},{r['pairs'] // 4096},{r['pairs']},{r['train_seconds']:.2f},"
                     f"{r['pairs_per_second']:.0f},{r['seconds']:.2f},{r['peak_mib']:.0f}")  # fmt: skip
    SCALE_CSV.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plot_scaling(results, SCALE_CSV.with_suffix(".png"))


def plot_scaling(results: dict, path: Path) -> None:
    """Training pairs/s against the number of items, one line per method (log-log)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = {"auto": "bands2vec (default)", "gensim": "gensim (2 workers)", "adam": "bands2vec, Keras's Adam",
              "rowwise_adam": "bands2vec, row-wise Adam"}
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for method, label in labels.items():
        points = sorted((items, r["pairs_per_second"]) for (items, m), r in results.items() if m == method)
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=label)
    ax.set(xscale="log", yscale="log", xlabel="items (vocabulary size)", ylabel="training pairs per second",
           title="Training speed against the number of items")  # fmt: skip
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def bench_generator(report: Report) -> None:
    """The embedded sample generator's time at growing sizes, each in a fresh process."""
    rows, times = [], {}
    for n in GENERATOR_SIZES:
        log(f"sample generator: {n:,} artists")
        command = [sys.executable, "-m", "benchmarks.worker", "generate", str(n)]
        try:
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=GENERATOR_TIMEOUT)
            r = json.loads(done.stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            rows.append([f"{n:,}", f"not finished in {GENERATOR_TIMEOUT} s", "", ""])
            break  # larger sizes take longer still
        except (IndexError, json.JSONDecodeError):
            rows.append([f"{n:,}", "failed", "", ""])
            break
        times[n] = r["seconds"]
        half = times.get(n // 2)
        rows.append([f"{n:,}", f"{r['seconds']:.1f}", f"{r['seconds'] / half:.2f}" if half else "",
                     f"{r['peak_mib']:,.0f}"])  # fmt: skip
    report.table("The sample generator against its size", ["artists", "seconds", "ratio to half the size", "peak MiB"],
                 rows)  # fmt: skip
    ratios = {n: times[n] / times[n // 2] for n in times if n // 2 in times}
    report.check(
        bool(ratios) and max(ratios.values()) <= LINEAR_RATIO,
        "doubling the size multiplies the generator's time by "
        + ", ".join(f"{r:.2f} ({n // 2:,} to {n:,})" for n, r in ratios.items())
        + f" (at most {LINEAR_RATIO}: linear is 2, quadratic 4)",
    )
    million = times.get(1_000_000)
    report.check(
        million is not None and million < 30,
        f"the sample generator makes 1,000,000 artists in under 30 s: "
        f"{f'{million:.1f} s' if million is not None else 'did not finish'}",
    )


def best_of(repeats: int, function) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_tsne(report: Report, results: list[tuple[str, dict]]) -> None:
    rows = []
    for dataset, result in results:
        if "error" in result:
            rows.append([dataset, "-", "failed", "-", "-", "-"])
            report.check(False, f"{dataset}: t-SNE of all artists failed: {result['error']}")
            continue
        rows.append([dataset, f"{result['artists']:,}", seconds_text(result["seconds"]),
                     seconds_text(result["cpu_seconds"]), f"{result['peak_mib']:,.0f}", result["source"]])  # fmt: skip
        report.check(result["seconds"] < TSNE_SECONDS, f"{dataset}: t-SNE of all {result['artists']:,} artists "
                     f"in {result['seconds']:.1f} s (budget {TSNE_SECONDS:.0f} s)")  # fmt: skip
    report.table(
        "t-SNE of all artists (scikit-learn's default method, 64-d vectors)",
        ["data", "artists", "seconds", "CPU seconds", "peak MiB", "vectors from"], rows,
    )


def bench_lessons(report: Report) -> None:
    rows = []
    paths = notebooks.pages()
    if not paths:
        report.check(False, "lessons: no lessons/NN_*.ipynb found")
        return
    lab = live_lessons(paths)
    for path in paths:
        log(f"page {path.stem}")
        run = budgets.run_page(path)
        budget_seconds = notebooks.seconds_budget(path)
        ok = run.ok and run.seconds < budget_seconds and run.peak_mib * 2**20 < notebooks.PAGE_BYTES
        in_lab = lab.get(path.name)
        problems = in_lab.problems() if in_lab is not None else []
        rows.append([run.name, seconds_text(run.seconds), f"{run.peak_mib:,.0f}", "ran" if run.ok else "error",
                     *(("no Chromium", "") if in_lab is None else
                       (seconds_text(in_lab.open_seconds), seconds_text(in_lab.run_seconds)
                        + (" (problems)" if problems else "")))])  # fmt: skip
        report.check(ok, f"page {run.name}: {run.seconds:.1f} s (budget {budget_seconds:.0f} s), "
                     f"{run.peak_mib:,.0f} MiB (budget {notebooks.PAGE_BYTES / 2**20:,.0f} MiB)"
                     + ("" if run.ok else f", but it did not pass: {run.detail}"))  # fmt: skip
        if in_lab is not None:
            report.check(not problems, f"lesson {run.name} live in JupyterLab: "
                         + ("; ".join(problems[:3]) or f"{len(in_lab.moves)} control moves, all redrawn"))
    report.table(
        "Lessons and deeper pages, each in a fresh kernel (budget: 90 s, lesson 6 60 s, and 1.5 GB each)",
        ["page", "seconds", "peak MiB (kernel and children)", "result", "JupyterLab: open to first output s",
         "JupyterLab: run all s"], rows,
        ["The first three columns: the notebook run by nbclient. The last two: the lesson live in JupyterLab in "
         "headless Chromium (`tests/test_live_lab.py` runs the same session): from opening the page to its "
         "first output, and from \"Restart Kernel and Run All Cells\" to the last cell done and the kernel idle. "
         "The browser draws every output on the same 2 cores as the kernel, which on Binder it does not (a "
         "learner's browser runs on the learner's machine), so these times are longer than a learner's."],
    )  # fmt: skip


def live_lessons(notebooks: list[Path]) -> dict:
    """Each lesson worked live in JupyterLab in Chromium (``benchmarks/live.py``); {} without Chromium."""
    import tempfile

    from benchmarks import live

    if not live.chromium():
        log("no Chromium: the lessons are not run in JupyterLab")
        return {}
    runs = {}
    with tempfile.TemporaryDirectory() as scratch, live.Lab(Path(scratch)) as lab:
        driver = live.browser(Path(scratch) / "profile")
        try:
            for path in notebooks:
                log(f"lesson {path.stem} live in JupyterLab")
                runs[path.name] = live.run_lesson(driver, lab, str(path.relative_to(ROOT)))
        finally:
            driver.quit()
    return runs


def bench_nbval(report: Report) -> None:
    log("pytest --nbval lessons/")
    run = budgets.run_nbval()
    report.table("Whole nbval run (budget: 5 minutes)", ["command", "seconds", "result"],
                 [[run.name, seconds_text(run.seconds), run.detail]])  # fmt: skip
    report.check(run.ok and run.seconds < notebooks.NBVAL_SECONDS,
                 f"pytest --nbval lessons/: {run.seconds:.1f} s (budget {notebooks.NBVAL_SECONDS:.0f} s)"
                 + ("" if run.ok else f", but it did not pass: {run.detail}"))  # fmt: skip


def bench_book(report: Report) -> None:
    log("jupyter-book build")
    run = budgets.build_book()
    report.table("Book build from the stored outputs (budget: 60 s)", ["command", "seconds", "result"],
                 [[run.name, seconds_text(run.seconds), "built" if run.ok else "failed"]])  # fmt: skip
    report.check(run.ok and run.seconds < notebooks.BOOK_SECONDS,
                 f"book build: {run.seconds:.1f} s (budget {notebooks.BOOK_SECONDS:.0f} s)"
                 + ("" if run.ok else f", but it did not pass: {run.detail}"))  # fmt: skip


# ----------------------------------------------------------------------------- main


def machine() -> str:
    versions = []
    for package in ("tensorflow-cpu", "gensim", "scikit-learn", "numpy"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{platform.system()} {platform.machine()}, {cores} cores, Python {platform.python_version()}, " + ", ".join(
        versions
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller amounts, up to 1 million pairs")
    parser.add_argument("--amounts", help="comma-separated amounts of pairs, in millions (e.g. 0.25,0.5,1)")
    parser.add_argument("--datasets", default=",".join(DATASETS), help="sample, real, or both (default)")
    parser.add_argument("--methods", default=",".join(METHODS), help=f"any of {', '.join(METHODS)} (default: all)")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"any of {', '.join(PARTS)} (default: all)")
    parser.add_argument("--data", help="the real data (database.sqlite or its folder); default: $BANDS2VEC_DATA, "
                        "then ../shared/data/pitchfork")  # fmt: skip
    parser.add_argument("--page", type=Path, help="also write the results as a book page (Markdown) to this file")
    args = parser.parse_args(argv)
    for option, allowed in (("datasets", DATASETS), ("methods", METHODS), ("parts", PARTS)):
        chosen = [x.strip() for x in getattr(args, option).split(",") if x.strip()]
        unknown = [x for x in chosen if x not in allowed]
        if unknown or not chosen:
            parser.error(f"--{option}: choose among {', '.join(allowed)}, not {', '.join(unknown) or 'nothing'}")
        setattr(args, option, chosen)
    if args.amounts:
        try:
            args.amounts = sorted({int(round(float(x) * 1e6)) for x in args.amounts.split(",")})
        except ValueError:
            parser.error("--amounts: give numbers of millions of pairs, like 0.25,0.5,1")
    else:
        args.amounts = list(QUICK_AMOUNTS if args.quick else FULL_AMOUNTS)
    if min(args.amounts) < 1:
        parser.error("--amounts: every amount must hold at least one pair")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    from bands2vec_lib.training import TrainConfig, training_pairs
    from bands2vec_lib.vocab import Vocabulary
    from benchmarks.worker import write_inputs

    report = Report()
    started = time.perf_counter()
    print(f"# Bands2Vec benchmark, {dt.date.today().isoformat()}\n\n{machine()}", flush=True)
    print(f"amounts of pairs: {', '.join(pairs_text(n) for n in args.amounts)}", flush=True)
    datasets = []
    for name in args.datasets:
        path = real_data_path(args.data) if name == "real" else None
        if name == "real" and path is None:
            print(f"\nreal data: not found (--data, $BANDS2VEC_DATA or {DEFAULT_DATA}); skipped", flush=True)
            continue
        datasets.append((name, path))
    tsne_results = []
    with tempfile.TemporaryDirectory(prefix="bands2vec-bench-") as tmp:
        for name, path in datasets:
            log(f"loading the {name} data")
            artists, reviews = load_dataset(name, path)
            directory = Path(tmp) / name
            directory.mkdir()
            wants_training = "training" in args.parts
            if wants_training or "tsne" in args.parts or "contexts" in args.parts:
                # One stream of the default training's pairs (same mix and seed), every method on it.
                stream_config = TrainConfig(steps=-(-max(args.amounts) // TrainConfig().batch_size))
                stream = training_pairs(artists, Vocabulary.from_artists(artists), stream_config)[: max(args.amounts)]
                write_inputs(directory, artists, stream)
                del stream
            saved = {}
            if wants_training:
                saved = bench_training(report, name, artists, directory, args.methods, args.amounts)
            if "contexts" in args.parts:
                bench_contexts(report, name, directory)
            if "pairs" in args.parts:
                bench_pairs(report, name, artists, reviews)
            if "tsne" in args.parts:
                tsne_results.append((name, tsne_of(directory, saved, args.methods, args.amounts)))
        if tsne_results:
            bench_tsne(report, tsne_results)
    if "scaling" in args.parts:
        bench_scaling(report)
    if "lessons" in args.parts:
        bench_lessons(report)
    if "nbval" in args.parts:
        bench_nbval(report)
    if "book" in args.parts:
        bench_book(report)
    print(f"\n## Summary ({time.perf_counter() - started:.0f} s in all)\n", flush=True)
    print("\n".join(report.checks) if report.checks else "nothing was checked", flush=True)
    failed = sum(line.startswith("FAIL") for line in report.checks)
    print(f"\n{len(report.checks) - failed} PASS, {failed} FAIL", flush=True)
    if args.page:
        write_page(args.page, report, args)
        print(f"\nwrote {args.page}", flush=True)
    return 0


def tsne_of(directory: Path, saved: dict, methods: Sequence[str], amounts: Sequence[int]) -> dict:
    """t-SNE of the vectors of the library (or the first method trained) at the largest amount.

    Without training in this run, the library is trained on the largest amount first.
    """
    log(f"t-SNE ({directory.name})")
    try:
        source = next((saved[m] for m in ("bands2vec", *methods) if m in saved), None)
        if source is None:
            source = directory / "tsne_input.npz"
            run_worker(["train", directory, methods[0], max(amounts), "--save", source])
        return run_worker(["tsne", directory, source])
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        return {"error": str(e)}


PAGE_INTRO = """\
# Benchmarks

The library's trainer is measured against two other ways to embed the same artists from the
same (target, context) pairs: gensim's `Word2Vec` (skip-gram, 16 negatives, 2 workers, the
pairs written as two-token sentences with window 1) and a closed-form embedding, the
positive pointwise mutual information (PPMI) of the pair counts factorised by a truncated
SVD. The pairs are the library's default mix: 95% share a genre and a score bucket, 5% a
score bucket alone. Every method gets the first N pairs of one stream per dataset, for
growing N, and runs in a fresh Python process. A method's **time to quality** is the wall
time of the smallest amount of pairs at which its genre precision@10 reaches 0.99 and its
score error@10 falls to 0.30 or below.

**What the contexts decide** trains the library's default recipe on other mixes of pairs:
the article's design (a share of genre pairs, the rest score-bucket pairs; the article used
80%) for every share from 0 to 1, and the share of pairs that share a genre *and* a bucket.
Lesson 7 draws the same table for the sample (`tools/context_tradeoff.py` makes it).

The same run times the pair generator against the original article's per-pair loop, a
t-SNE of all artists, and every lesson against the course's budgets on 2 CPU cores: each
lesson under 90 s and 1.5 GB, the whole `pytest --nbval lessons/` run under 5 minutes, the
book build under 60 s. Where Chromium is installed, it also works every lesson live in
JupyterLab, as a learner on Binder does and as `tests/test_live_lab.py` does: it times
opening the page and running all cells, and checks that every control redraws its output.

## How to reproduce

From a clone of the repository, with the environment installed (`make install`):

```bash
make bench                         # everything, 0.25 to 8 million pairs: 10 to 30 minutes
.venv/bin/python benchmarks/run.py --quick                   # up to 1 million pairs
.venv/bin/python benchmarks/run.py --datasets sample --parts training,pairs
.venv/bin/python benchmarks/run.py --help                    # every option
```

The real data is used when it is found: `--data PATH`, the `BANDS2VEC_DATA` environment
variable, or `../shared/data/pitchfork/` next to the repository. Timings depend on the
machine and on whatever else it is running; memory is the peak resident memory of the
process that ran the method (for the lessons: the kernel and its children).
"""


def write_page(path: Path, report: Report, args: argparse.Namespace) -> None:
    """The book's benchmark page: what is measured, how to reproduce it, the latest tables."""
    amounts = ", ".join(millions(n) for n in args.amounts)
    command = "python benchmarks/run.py"
    if args.amounts == list(QUICK_AMOUNTS):
        command += " --quick"
    elif args.amounts != list(FULL_AMOUNTS):
        command += f" --amounts {','.join(f'{n / 1e6:g}' for n in args.amounts)}"
    for option, default in (("datasets", DATASETS), ("methods", METHODS), ("parts", PARTS)):
        if list(getattr(args, option)) != list(default):
            command += f" --{option} {','.join(getattr(args, option))}"
    when, where = dt.date.today().isoformat(), machine()
    parts = [PAGE_INTRO, "## Latest results\n", f"Measured on {when} with `{command}` ({amounts} pairs): {where}.\n"]
    for title, lines in report.sections:
        parts.append(f"### {title}\n")
        parts.append("\n".join(lines) + "\n")
    parts.append("### Summary\n")
    parts.append("```text\n" + "\n".join(report.checks) + "\n```\n")
    text = "\n".join(parts)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
