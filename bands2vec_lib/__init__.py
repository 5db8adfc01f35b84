"""bands2vec_lib: the companion library of the Bands2Vec course.

One module per idea: ``sample`` and ``data`` (reviews in, artists out), ``vocab``,
``pairs``, ``model`` and ``training`` (TensorFlow), ``embeddings``, ``similarity``,
``projection`` (t-SNE and the Embedding Projector), ``plots``, ``widgets`` and ``cli``.
"""

from __future__ import annotations

import os

__version__ = "0.1.0"

# TensorFlow prints C++ start-up logs unless told otherwise before it is imported;
# importing this package first keeps them out of notebooks and the command line.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# oneDNN's reordered float sums differ with the thread count; plain Eigen does not.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# OpenMP threads (scikit-learn's t-SNE) that spin while they wait slow everything down
# tenfold on a busy 2-core machine such as Binder's; waiting passively costs nothing.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def quiet_tensorflow():
    """Import TensorFlow with its Python and C++ logs limited to errors, and return it."""
    import logging

    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    tf.autograph.set_verbosity(0)
    return tf
