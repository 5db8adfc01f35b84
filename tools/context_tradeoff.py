"""What the contexts decide: train on different mixes of pairs and measure each result.

    python tools/context_tradeoff.py                  # the embedded sample: writes the lesson's table
    python tools/context_tradeoff.py --data PATH      # the real data: prints the table

Two families of pairs, each trained with the library's default settings otherwise:

* ``genre share``: the article's design, a share of the pairs from a shared genre and the
  rest from a shared score bucket, for shares 0, 0.1, ..., 1 (the article used 0.8);
* ``joint share``: a share of the pairs from artists that share a genre *and* a score
  bucket and the rest from a bucket alone (the library's default is
  :data:`~bands2vec_lib.pairs.JOINT_SHARE`).

For each it records genre precision@10 and score error@10. Training is deterministic, so
the table is the same on every run on the same data. Lesson 7 draws it (training all 16
in the lesson would take about two minutes, over the lesson's budget) and checks that the
points it trains itself agree with it. About two to three minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "lessons" / "data" / "context_tradeoff.csv"
GENRE_SHARES = tuple(round(0.1 * i, 1) for i in range(11))
JOINT_SHARES = (0.5, 0.8, 0.9, 0.95, 1.0)


def designs() -> list[dict]:
    """Every (family, genre_share, joint_share) to train, the article's family first."""
    rows = [{"family": "genre share", "genre_share": g, "joint_share": 0.0} for g in GENRE_SHARES]
    rows += [{"family": "joint share", "genre_share": 0.0, "joint_share": j} for j in JOINT_SHARES]
    return rows


def measure(artists, genre_share: float, joint_share: float) -> dict:
    """Train with the default settings on the given mix; genre precision@10 and score error@10."""
    from bands2vec_lib.similarity import neighbour_scores
    from bands2vec_lib.training import TrainConfig, train

    result = train(artists, TrainConfig(genre_share=genre_share, joint_share=joint_share))
    scores = neighbour_scores(result.embeddings, artists, ks=(10,)).iloc[0]
    return {"genre_precision": round(float(scores["genre_precision"]), 4),
            "score_error": round(float(scores["score_error"]), 4), "seconds": result.seconds}  # fmt: skip


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
        measured = measure(artists, design["genre_share"], design["joint_share"])
        rows.append({**design, **{k: v for k, v in measured.items() if k != "seconds"}})
        print(f"{design['family']:12s} genre {design['genre_share']:.2f} joint {design['joint_share']:.2f}: "
              f"precision@10 {measured['genre_precision']:.3f}, score error@10 {measured['score_error']:.3f} "
              f"({measured['seconds']:.1f} s)", flush=True)  # fmt: skip
    table = pd.DataFrame(rows)
    out = args.out or (TABLE if args.data is None else None)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
