"""Train on the sample with a tf.distribute strategy, in a process of its own, and write
the two quality measures as JSON. Run by tests/test_distributed.py:

    python distributed_worker.py mirrored OUT.json STEPS        # two logical CPU devices
    python distributed_worker.py multiworker OUT.json STEPS     # one worker of TF_CONFIG's cluster
    python distributed_worker.py single OUT.json STEPS          # one device, for comparison
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402

kind, out, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
if kind == "mirrored":
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
elif kind == "multiworker":
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
else:
    strategy = None

from bands2vec_lib.data import load_artists  # noqa: E402
from bands2vec_lib.similarity import neighbour_scores  # noqa: E402
from bands2vec_lib.training import TrainConfig, train  # noqa: E402

artists = load_artists(None)
result = train(artists, TrainConfig(steps=steps), strategy=strategy)
scores = neighbour_scores(result.embeddings, artists, ks=(10,)).iloc[0]
report = {
    "replicas": 1 if strategy is None else strategy.num_replicas_in_sync,
    "genre_precision": float(scores["genre_precision"]),
    "score_error": float(scores["score_error"]),
    "seconds": result.seconds,
}
with open(out, "w") as f:
    json.dump(report, f)
