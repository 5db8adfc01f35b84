"""What the contexts decide: train on different mixes of pairs and measure each result.

    python tools/context_tradeoff.py                  # the embedded sample: writes the lesson's table
    python tools/context_tradeoff.py --data PATH      # the real data: prints the table

Three families of pairs, each trained with the library's default settings otherwise:

* ``genre share``: the article's design, a share of the pairs from a shared genre and the
  rest from a shared score bucket, for shares 0, 0.1, ..., 1 (the article used 0.8);
* ``joint share``: a share of the pairs from artists that share a genre *and* a score
  bucket (a group) and the rest from a bucket alone;
* ``label share``: mixes of pairs from a shared group, a shared record label within a
  group and a shared label alone (:data:`LABEL_MIXES`; the library's default is
  :data:`~bands2vec_lib.pairs.JOINT_SHARE`, :data:`~bands2vec_lib.pairs.LABEL_GROUP_SHARE`
  and :data:`~bands2vec_lib.pairs.LABEL_SHARE`), down to labels alone. Wherever a design
  draws label pairs, the default share of label memberships is hidden from training, as
  the library's training does.

For each it records genre precision@10, score error@10 and the seed overlap@10 (the share
of each artist's ten nearest neighbours that the vectors of seeds 0 and 1 agree on, see
:func:`~bands2vec_lib.similarity.neighbour_overlap`); the other columns are seed 0's.
Training is deterministic, so the table is the same on every run on the same data.
Lesson 7 draws it (training all 23 designs twice in the lesson would take minutes, over
the lesson's budget) and checks that the points it trains itself agree with it. About
six minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "lessons" / "data" / "context_tradeoff.csv"
GENRE_SHARES = tuple(round(0.1 * i, 1) for i in range(11))
JOINT_SHARES = (0.5, 0.8, 0.9, 0.95, 1.0)
# (joint_share, label_group_share, label_share): groups alone, more and more label pairs
# within a group, the library's default, more labels alone, and labels alone.
LABEL_MIXES = ((1.0, 0.0, 0.0), (0.7, 0.3, 0.0), (0.5, 0.5, 0.0), (0.45, 0.45, 0.1), (0.4, 0.4, 0.2),
               (0.3, 0.7, 0.0), (0.0, 0.0, 1.0))  # fmt: skip
SHARES = ("genre_share", "joint_share", "label_group_share", "label_share")
SEEDS = (0, 1)  # the seed overlap compares the vectors of these two seeds


def designs() -> list[dict]:
    """Every (family, genre_share, joint_share, label_group_share, label_share) to train,
    the article's family first."""
    rows = [{"family": "genre share", "genre_share": g, "joint_share": 0.0} for g in GENRE_SHARES]
    rows += [{"family": "joint share", "genre_share": 0.0, "joint_share": j} for j in JOINT_SHARES]
    rows = [{**row, "label_group_share": 0.0, "label_share": 0.0} for row in rows]
    rows += [{"family": "label share", "genre_share": 0.0, "joint_share": j, "label_group_share": lg, "label_share": ls}
             for j, lg, ls in LABEL_MIXES]  # fmt: skip
    return rows


def config(design: dict, seed: int = 0):
    """The library's default training with the design's mix of pairs."""
    from bands2vec_lib.training import TrainConfig

    return TrainConfig(seed=seed, **{share: design[share] for share in SHARES})


def measure(artists, design: dict) -> dict:
    """Train the design with seeds 0 and 1: seed 0's genre precision@10 and score error@10,
    and the seed overlap@10 of the two."""
    from bands2vec_lib.similarity import neighbour_overlap, neighbour_scores
    from bands2vec_lib.training import train

    results = [train(artists, config(design, seed)) for seed in SEEDS]
    scores = neighbour_scores(results[0].embeddings, artists, ks=(10,)).iloc[0]
    overlap = neighbour_overlap(results[0].embeddings, results[1].embeddings, artists, k=10)
    return {"genre_precision": round(float(scores["genre_precision"]), 4),
            "score_error": round(float(scores["score_error"]), 4), "seed_overlap": round(overlap, 4),
            "seconds": sum(r.seconds for r in results)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="the real data (database.sqlite or a CSV folder); default: the sample")
    parser.add_argument("--out", type=Path, help=f"where to write the table (default for the sample: {TABLE})")
    args = parser.parse_args(argv)
    import pandas as pd

    from bands2vec_lib.data import load_artists

    artists = load_artists(args.data)
    rows = []
    for design in designs():
        measured = measure(artists, design)
        rows.append({**design, **{k: v for k, v in measured.items() if k != "seconds"}})
        mix = " ".join(f"{share.removesuffix('_share')} {design[share]:.2f}" for share in SHARES)
        print(f"{design['family']:12s} {mix}: precision@10 {measured['genre_precision']:.3f}, "
              f"score error@10 {measured['score_error']:.3f}, seed overlap@10 {measured['seed_overlap']:.3f} "
              f"({measured['seconds']:.1f} s)", flush=True)  # fmt: skip
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    out = args.out or (TABLE if args.data is None else None)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
