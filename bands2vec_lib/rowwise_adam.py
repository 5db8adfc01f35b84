"""Adam for large embedding tables: Keras's Adam updates, made only to the rows a batch uses.

Keras's :class:`~keras.optimizers.Adam` moves every row of a table at every step: a row
with no gradient still moves, by its fading running mean. With a million rows that is a
million rows of work per step for a batch that touches a few thousand. This optimizer
gives the same tables (to float rounding) and does only the batch's rows' work: a row's
missed moves are made when it next has a gradient (:meth:`RowwiseAdam.prepare`), and every
row's at the end (:meth:`RowwiseAdam.finish`). The book's "Training at scale" page
measures where it pays.

Why the missed moves add up to one number: ``k`` steps after its last gradient, at step
``u``, a row moves by ``lr_u * c_u * (b1**k * m) / (sqrt(b2**k * v) + eps)`` (``c_u`` is
Adam's bias correction). Leaving out ``eps`` (small beside ``sqrt(v)`` while ``m`` is not
yet negligible) that is ``r**k * lr_u * c_u * m / sqrt(v)`` with ``r = b1 / sqrt(b2)``, so
the moves of a stretch of steps are a sum of ``r**k * lr_u * c_u`` times ``m / sqrt(v)``;
the sums come from the learning rate of every step, known before training starts.
"""

from __future__ import annotations

import numpy as np

from . import quiet_tensorflow

tf = quiet_tensorflow()


class RowwiseAdam:
    """Keras's Adam (``beta_1=0.9, beta_2=0.999, epsilon=1e-7``) for a run of ``steps`` steps,
    updating only the rows a step reads.

    ``learning_rate`` is a number or a Keras schedule (called with the step, from 0).
    Use: :meth:`build` with the variables, then at every step :meth:`prepare` with the rows
    the step reads, the gradients, :meth:`apply_gradients`; :meth:`finish` at the end.
    """

    def __init__(self, learning_rate, steps: int, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7):
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.steps = int(steps)
        step_numbers = np.arange(self.steps, dtype=np.float64)
        rates = np.asarray(learning_rate(step_numbers) if callable(learning_rate) else
                           np.full(self.steps, float(learning_rate)), dtype=np.float64)  # fmt: skip
        t = step_numbers + 1
        moves = rates * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)  # lr_u * c_u, steps 1..T
        # tail[u] = sum over w >= u of r**(w - u) * moves[w] (steps 1..T; tail[T + 1] = 0)
        self.ratio = beta_1 / np.sqrt(beta_2)
        tail = np.zeros(self.steps + 2)
        for u in range(self.steps, 0, -1):
            tail[u] = moves[u - 1] + self.ratio * tail[u + 1]
        # Variables, not constants: a constant is copied into every traced graph.
        self.tail = tf.Variable(tail.astype(np.float32), trainable=False, name="rowwise_adam_tail")
        self.rates = tf.Variable(rates.astype(np.float32), trainable=False, name="rowwise_adam_rates")
        self.iterations = tf.Variable(0, dtype=tf.int64, trainable=False, name="rowwise_adam_iterations")
        self.variables: list[tf.Variable] = []

    def build(self, variables: list[tf.Variable]) -> None:
        """Make the running means (``m``, ``v``) and each row's last step, for ``variables``."""
        self.variables = list(variables)
        self.m = [tf.Variable(tf.zeros_like(v), trainable=False) for v in self.variables]
        self.v = [tf.Variable(tf.zeros_like(v), trainable=False) for v in self.variables]
        self.last = [tf.Variable(tf.zeros([v.shape[0]], tf.int64), trainable=False) for v in self.variables]

    def _missed(self, last: tf.Tensor, end: tf.Tensor, m: tf.Tensor, v: tf.Tensor) -> tf.Tensor:
        """Keras's Adam's moves, from step ``last + 1`` to step ``end - 1``, of rows whose
        running means were ``m`` and ``v`` after step ``last``."""
        gap = tf.cast(end - last, tf.float32)
        # sum over u of r**(u - last) * moves[u] = r * tail[last + 1] - r**gap * tail[end]
        total = self.ratio * tf.gather(self.tail, last + 1) - self.ratio**gap * tf.gather(self.tail, end)
        return _per_row(total, m) * m / (tf.sqrt(v) + self.epsilon)

    def prepare(self, rows: dict) -> None:
        """Make the moves Keras's Adam would have made since their last gradient to the rows a
        step is about to read, so that its gradients are taken where Keras's would be.

        ``rows`` maps each variable's ``ref()`` to the ids the step reads (repeats allowed).
        The running means stay as they were after the last gradient: :meth:`apply_gradients`
        fades them."""
        for var, m, v, last in zip(self.variables, self.m, self.v, self.last, strict=True):
            ids, _ = tf.unique(tf.cast(rows[var.ref()], tf.int64))
            moves = self._missed(tf.gather(last, ids), self.iterations + 1, tf.gather(m, ids), tf.gather(v, ids))
            _subtract_rows(var, moves, ids)

    def apply_gradients(self, grads_and_vars) -> None:
        """One step of Adam for the rows with a gradient (every one brought up to date by
        :meth:`prepare`). Gradients are the ``tf.IndexedSlices`` of embedding lookups, or
        dense (every row)."""
        grads = [g for g, _ in grads_and_vars]
        rate = tf.gather(self.rates, self.iterations)
        self.iterations.assign_add(1)
        step = self.iterations
        t = tf.cast(step, tf.float32)
        correction = tf.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        for var, grad, m, v, last in zip(self.variables, grads, self.m, self.v, self.last, strict=True):
            rows, summed = _rows_and_sums(grad, var.shape[0])
            m_rows, v_rows = tf.gather(m, rows), tf.gather(v, rows)
            idle = _per_row(tf.cast(step - tf.gather(last, rows), tf.float32), m_rows)  # steps since
            m_rows = self.beta_1**idle * m_rows + (1 - self.beta_1) * summed
            v_rows = self.beta_2**idle * v_rows + (1 - self.beta_2) * tf.square(summed)
            m.scatter_update(tf.IndexedSlices(m_rows, rows))
            v.scatter_update(tf.IndexedSlices(v_rows, rows))
            last.scatter_update(tf.IndexedSlices(tf.fill(tf.shape(rows), step), rows))
            _subtract_rows(var, rate * correction * m_rows / (tf.sqrt(v_rows) + self.epsilon), rows)

    def finish(self) -> None:
        """Make every row's pending moves, up to the last step: the tables are then Keras's
        Adam's. (The running means are left as they were: training is over.)"""
        self._finish()

    @tf.function(autograph=False)
    def _finish(self) -> None:
        for var, m, v, last in zip(self.variables, self.m, self.v, self.last, strict=True):
            var.assign_sub(self._missed(last, self.iterations + 1, m, v))


def _rows_and_sums(grad, n_rows) -> tuple[tf.Tensor, tf.Tensor]:
    """The distinct rows of a gradient and the summed gradient of each."""
    if not isinstance(grad, tf.IndexedSlices):  # dense: every row
        return tf.range(n_rows, dtype=tf.int64), tf.convert_to_tensor(grad)
    rows, position = tf.unique(tf.cast(grad.indices, tf.int64))
    return rows, tf.math.unsorted_segment_sum(grad.values, position, tf.shape(rows)[0])


def _subtract_rows(var: tf.Variable, amounts: tf.Tensor, rows: tf.Tensor) -> None:
    """``var[rows] -= amounts`` for distinct ``rows`` (a gather and a scatter cost far less
    on CPU than TensorFlow's ``scatter_sub``, which also adds up repeated rows)."""
    var.scatter_update(tf.IndexedSlices(tf.gather(var, rows) - amounts, rows))


def _per_row(values: tf.Tensor, like: tf.Tensor) -> tf.Tensor:
    """One value per row, shaped to multiply the rows of ``like``."""
    return values if like.shape.rank == 1 else values[:, None]
