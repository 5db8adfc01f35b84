"""Training with tf.distribute: two logical CPU devices (MirroredStrategy), and two worker
processes on 127.0.0.1 (MultiWorkerMirroredStrategy), each reaching the course's targets.

Devices must be set up before TensorFlow starts, and each worker is a process, so every run
happens in a process of its own (tests/distributed_worker.py)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from bands2vec_lib.training import TrainConfig, train_on_pairs
from bands2vec_lib.vocab import Vocabulary

WORKER = Path(__file__).with_name("distributed_worker.py")
ROOT = WORKER.parents[1]
STEPS = 500  # the library's default training: the course's targets hold for it
TIMEOUT = 600


def targets_hold(report: dict) -> bool:
    """The course's targets for the default training: precision@10 >= 0.99, score error@10 <= 0.30."""
    return report["genre_precision"] >= 0.99 and report["score_error"] <= 0.30


def run_worker(kind: str, out: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKER), kind, str(out), str(STEPS)], cwd=ROOT,
                            env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip


def finish(processes: list[subprocess.Popen]) -> None:
    """Wait for every process; stop them all if one fails or runs too long."""
    try:
        for p in processes:
            output, _ = p.communicate(timeout=TIMEOUT)
            assert p.returncode == 0, output[-3000:]
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
                p.wait()


def test_mirrored_strategy_over_two_devices_matches_one_device(tmp_path):
    single, mirrored = tmp_path / "single.json", tmp_path / "mirrored.json"
    finish([run_worker("single", single)])
    finish([run_worker("mirrored", mirrored)])
    one, two = json.loads(single.read_text()), json.loads(mirrored.read_text())
    assert (one["replicas"], two["replicas"]) == (1, 2)
    assert targets_hold(one) and targets_hold(two), (one, two)
    assert abs(one["genre_precision"] - two["genre_precision"]) < 0.01
    assert abs(one["score_error"] - two["score_error"]) < 0.02


def free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def test_multi_worker_strategy_over_two_processes(tmp_path):
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(2)]}
    outs = [tmp_path / f"worker{i}.json" for i in range(2)]
    configs = [json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}}) for i in range(2)]
    workers = [run_worker("multiworker", out, {"TF_CONFIG": c}) for out, c in zip(outs, configs, strict=True)]
    finish(workers)
    reports = [json.loads(out.read_text()) for out in outs]
    assert [r["replicas"] for r in reports] == [2, 2]
    assert reports[0]["genre_precision"] == reports[1]["genre_precision"]  # one model, held by both
    assert all(targets_hold(r) for r in reports), reports


def test_the_batch_must_divide_among_the_replicas():
    vocab = Vocabulary(["a", "b", "c"], [1, 1, 1])
    pairs = np.zeros((64, 2), dtype=np.int64)
    three = SimpleNamespace(num_replicas_in_sync=3)
    with pytest.raises(ValueError, match="a batch of 32 pairs does not divide among 3 replicas"):
        train_on_pairs(pairs, vocab, TrainConfig(steps=2, batch_size=32), strategy=three)
