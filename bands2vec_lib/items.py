"""Any table of items and their contexts, not only Pitchfork's: vectors for the items.

The table is a CSV file with one row per item and context value, in long form::

    book,author,subject
    dune,frank herbert,science fiction
    dune,frank herbert,ecology
    emma,jane austen,romance

Each ``--context`` column names one kind of context. Two items are a training pair when
they share a value of one of those columns (the same author, or the same subject), and
the pairs are drawn as the course draws its own: a (column, value) group in proportion
to its size, then two different items of it (:meth:`~bands2vec_lib.pairs.GroupIndex.sample`).
Ids follow how many rows each item has, most first.

    bands2vec train --data books.csv --item book --context author --context subject --out books.npz
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError
from .pairs import GroupIndex
from .training import TrainConfig, TrainResult, train_on_pairs
from .vocab import Vocabulary


def load_item_contexts(path: str | os.PathLike, item: str, contexts: list[str]) -> pd.DataFrame:
    """The ``item`` and ``contexts`` columns of a CSV file, as stripped text.

    Rows with no item are dropped, and so are empty context values. Raises
    :class:`~bands2vec_lib.errors.DataError` for a missing column or a table with no item.
    """
    if not contexts:
        raise DataError("name at least one context column (--context COLUMN)")
    if item in contexts:
        raise DataError(f"{item!r} is the item column; a context must be another column")
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path} is not a file: give a CSV file with one row per item and context value")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in [item, *contexts] if c not in table.columns]
    if missing:
        have = ", ".join(map(repr, table.columns))
        raise DataError(f"{path.name} has no column {', '.join(map(repr, missing))}: its columns are {have}")
    table = table[[item, *dict.fromkeys(contexts)]].apply(lambda column: column.str.strip())
    table = table[table[item] != ""]
    if table.empty:
        raise DataError(f"{path.name} names no item in its column {item!r}")
    return table.reset_index(drop=True)


def item_vocabulary(table: pd.DataFrame, item: str) -> Vocabulary:
    """The items, most rows first."""
    counts = table[item].value_counts(sort=False)
    return Vocabulary(counts.index, counts.to_numpy())


def item_groups(table: pd.DataFrame, item: str, contexts: list[str], vocab: Vocabulary) -> GroupIndex:
    """One group per (context column, value): the ids of the items that have it, each once."""
    groups = {}
    for column in dict.fromkeys(contexts):
        rows = table.loc[table[column] != "", [item, column]].drop_duplicates()
        for value, members in rows.groupby(column, sort=True)[item]:
            groups[(column, value)] = vocab.ids(members)
    return GroupIndex.from_groups(groups)


def item_pairs(
    path: str | os.PathLike, item: str, contexts: list[str], n: int, seed: int = 0
) -> tuple[np.ndarray, Vocabulary, int]:
    """``n`` training pairs from a CSV table, its items' vocabulary, and how many items
    share no context value with another item (they get no pair, and their vectors stay
    where they started)."""
    table = load_item_contexts(path, item, contexts)
    vocab = item_vocabulary(table, item)
    groups = item_groups(table, item, contexts, vocab)
    if len(groups.members) == 0:
        raise DataError(f"no two items share a value of {', '.join(map(repr, contexts))}: there is no pair to train on")
    alone = len(vocab) - len(np.unique(groups.members))
    return groups.sample(n, np.random.default_rng(seed)), vocab, alone


def train_items(
    path: str | os.PathLike, item: str, contexts: list[str], config: TrainConfig | None = None
) -> TrainResult:
    """Item vectors from a CSV table of items and contexts (see the module's help)."""
    config = config or TrainConfig()
    pairs, vocab, _ = item_pairs(path, item, contexts, config.steps * config.batch_size, config.seed)
    return train_on_pairs(pairs, vocab, config)
