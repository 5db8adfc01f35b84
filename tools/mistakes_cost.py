"""What each of the article's mistakes cost: train with one mistake at a time and measure.

    python tools/mistakes_cost.py                  # the embedded sample: writes the lesson's table
    python tools/mistakes_cost.py --data PATH      # the real data: prints the table

The corrected pipeline is the library's, trained on the article's mix of pairs (80% share
a genre, 20% a score bucket: ``TrainConfig.article()``), so that only the mistakes differ.
Each of the article's mistakes is then put back on its own (lettered as in lesson 7),
the four in the data together, and all five together (the article's pipeline):

* ``per-review lists`` (a): a genre's list holds one entry per review, so prolific artists
  dominate and two entries of one artist pair it with itself (0.28% of the pairs on the
  sample, 0.21% on the real data);
* ``uniform groups`` (b): a genre or bucket is chosen uniformly, whatever its size;
* ``log-uniform noise`` (c): TensorFlow's Zipf noise over ids in the order the artists
  first appear in the reviews (the article's SQL join order), not sorted by anything;
* ``various artists and NULL`` (d): "various artists" stays one artist and a NULL genre
  is a genre;
* ``TF1 recipe`` (e): TensorFlow 1's word2vec tutorial, as the article ran it:
  plain SGD at a constant learning rate of 1, batches of 64, embeddings that start
  uniform in (-1, 1), and one draw of 16 noise ids per batch (``tf.nn.nce_loss``'s way).

Every row trains on the same number of pairs (500 steps of 4,096; the TF1 recipe takes
32,000 steps of 64), but for one: "all five, the article's 100,000 steps" runs the
article's own length, 100,000 steps of 64, three times as many pairs. Every row is
measured on the clean artist table (the vectors of "various artists" are not measured),
with genre precision@10 and score error@10, for each seed in :data:`SEEDS`. The
library's default (groups and record labels) and random vectors are there for reference.
Training is deterministic, so the table is the same on every run on the same data.
Lesson 7 draws it (training all rows would take minutes, over the lesson's budget) and
trains one row itself to check it. About six minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "lessons" / "data" / "mistakes_cost.csv"
SEEDS = (0, 1, 2)
# The article's mistakes, in the order of the course's design, with the label of each row.
MISTAKES = {
    "per-review lists": "per-review lists, self pairs",
    "uniform groups": "uniform choice of group",
    "log-uniform noise": "log-uniform noise, unsorted ids",
    "various artists and NULL": '"various artists" and NULL kept',
    "TF1 recipe": "TF1 recipe: SGD at 1, batches of 64",
}
ARTICLE_STEPS = 100_000  # the article's own run: 6,400,000 pairs


def rows() -> list[dict]:
    """Every row of the table, in order: ``row`` names it, ``mistakes`` lists what it keeps."""
    out = [{"row": "corrected", "mistakes": ()}]
    out += [{"row": name, "mistakes": (name,)} for name in MISTAKES]
    in_the_data = tuple(m for m in MISTAKES if m != "TF1 recipe")
    out += [{"row": "all but the TF1 recipe", "mistakes": in_the_data}]
    out += [{"row": "all five (the article's)", "mistakes": tuple(MISTAKES)}]
    out += [{"row": "all five, the article's 100,000 steps", "mistakes": tuple(MISTAKES), "tf1_steps": ARTICLE_STEPS}]
    out += [{"row": "library default", "mistakes": ()}, {"row": "random vectors", "mistakes": ()}]
    return out


def train_with_mistakes(tables, mistakes: tuple[str, ...], config=None, tf1_steps: int | None = None):
    """The corrected pipeline with ``mistakes`` (keys of :data:`MISTAKES`) put back: embeddings.

    ``config`` is the corrected pipeline's training (default ``TrainConfig.article()``);
    its seed seeds the pairs and the model. ``tf1_steps`` runs the TF1 recipe for that
    many steps instead of on ``config``'s number of pairs.
    """
    from bands2vec_lib.data import SKIPPABLE_RULES, artist_table, clean
    from bands2vec_lib.pairs import pairs_with_mistakes
    from bands2vec_lib.training import TrainConfig, train_on_pairs
    from bands2vec_lib.vocab import Vocabulary

    unknown = set(mistakes) - set(MISTAKES)
    if unknown:
        raise ValueError(f"unknown mistakes {sorted(unknown)}: choose among {list(MISTAKES)}")
    skip = SKIPPABLE_RULES if "various artists and NULL" in mistakes else ()
    reviews = clean(tables, skip=skip).reviews
    config = config or TrainConfig.article()
    if "log-uniform noise" in mistakes:
        vocab = Vocabulary.first_seen(reviews)
        config = replace(config, model=replace(config.model, sampler="log_uniform"))
    else:
        vocab = Vocabulary.from_artists(artist_table(reviews))
    if "TF1 recipe" in mistakes:
        config = config.tf1()
        if tf1_steps is not None:
            config = replace(config, steps=tf1_steps)
    elif tf1_steps is not None:
        raise ValueError("tf1_steps needs the TF1 recipe among the mistakes")
    pairs = pairs_with_mistakes(
        reviews, vocab, config.steps * config.batch_size, genre_share=config.genre_share, seed=config.seed,
        per_review_lists="per-review lists" in mistakes, uniform_groups="uniform groups" in mistakes,
    )  # fmt: skip
    return train_on_pairs(pairs, vocab, config).embeddings


def measure(tables, artists, row: dict, seed: int) -> dict:
    """Genre precision@10 and score error@10 of one row's vectors on the clean ``artists``."""
    from bands2vec_lib.similarity import neighbour_scores, random_embeddings
    from bands2vec_lib.training import TrainConfig, train

    if row["row"] == "random vectors":
        emb = random_embeddings(artists, seed=seed)
    elif row["row"] == "library default":
        emb = train(artists, TrainConfig(seed=seed)).embeddings
    else:
        emb = train_with_mistakes(tables, row["mistakes"], TrainConfig.article(seed=seed), row.get("tf1_steps"))
    scores = neighbour_scores(emb, artists, ks=(10,)).iloc[0]
    return {"genre_precision": round(float(scores["genre_precision"]), 4),
            "score_error": round(float(scores["score_error"]), 4)}  # fmt: skip


def summary(table):
    """Mean, smallest and largest of each measure over the seeds, one line per row, in order."""
    grouped = table.groupby("row", sort=False)[["genre_precision", "score_error"]]
    out = grouped.agg(["mean", "min", "max"])
    out.columns = [f"{measure} {stat}" for measure, stat in out.columns]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="the real data (database.sqlite or a CSV folder); default: the sample")
    parser.add_argument("--out", type=Path, help=f"where to write the table (default for the sample: {TABLE})")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS), help="default: %(default)s")
    args = parser.parse_args(argv)
    import pandas as pd

    from bands2vec_lib.data import artist_table, clean, load_tables

    tables = load_tables(args.data)
    artists = artist_table(clean(tables).reviews)
    measured = []
    start = time.perf_counter()
    for row in rows():
        for seed in args.seeds:
            t0 = time.perf_counter()
            result = measure(tables, artists, row, seed)
            measured.append({"row": row["row"], "seed": seed, **result})
            seconds = time.perf_counter() - t0
            print(f"{row['row']:38s} seed {seed}: precision@10 {result['genre_precision']:.3f}, "
                  f"score error@10 {result['score_error']:.3f} ({seconds:.1f} s)", flush=True)  # fmt: skip
    table = pd.DataFrame(measured)
    print(f"\n{len(table)} runs in {time.perf_counter() - start:.0f} s; mean (min to max) over seeds {args.seeds}:")
    print(summary(table).round(3).to_string())
    out = args.out or (TABLE if args.data is None else None)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
