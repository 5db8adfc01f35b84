"""The same seed gives bit-identical results, whether TensorFlow and NumPy use one thread or two.

Each run happens in a fresh interpreter, because thread counts are fixed when TensorFlow
and the BLAS library start.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = r"""
import hashlib, sys
from bands2vec_lib import quiet_tensorflow
tf = quiet_tensorflow()
threads, seed = int(sys.argv[1]), int(sys.argv[2])
tf.config.threading.set_intra_op_parallelism_threads(threads)
tf.config.threading.set_inter_op_parallelism_threads(threads)
from bands2vec_lib.data import load_artists
from bands2vec_lib.pairs import ContextGroups, context_pairs
from bands2vec_lib.sample import generate_sample
from bands2vec_lib.training import TrainConfig, train
from bands2vec_lib.vocab import Vocabulary

def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(a.tobytes())
    return h.hexdigest()

tables = generate_sample(n_artists=1500, seed=seed)
artists = load_artists(n_artists=1500, seed=seed)
vocab = Vocabulary.from_artists(artists)
pairs = context_pairs(ContextGroups.from_artists(artists, vocab), 200_000, seed=seed)
result = train(artists, TrainConfig(steps=40, log_every=20, seed=seed))
print("sample", hashlib.sha256("".join(t.to_csv() for t in tables.as_dict().values()).encode()).hexdigest())
print("pairs", digest(pairs))
print("embeddings", digest(result.embeddings.vectors))
print("loss", digest(result.history.loss))
"""


def run(threads: int, seed: int = 7) -> dict[str, str]:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads), "PYTHONHASHSEED": "0"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(threads), str(seed)], env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout  # fmt: skip
    return dict(line.split() for line in out.splitlines() if line.count(" ") == 1)


@pytest.fixture(scope="module")
def one_thread() -> dict[str, str]:
    return run(1)


@pytest.mark.parametrize("threads", [1, 2])
def test_same_seed_same_bits(one_thread: dict[str, str], threads: int) -> None:
    again = run(threads)
    assert set(again) == {"sample", "pairs", "embeddings", "loss"}
    assert again == one_thread


def test_another_seed_changes_the_embeddings(one_thread: dict[str, str]) -> None:
    other = run(1, seed=8)
    assert all(other[k] != one_thread[k] for k in ("sample", "pairs", "embeddings"))
