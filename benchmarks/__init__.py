"""The Bands2Vec benchmark: training speed and quality, pair generation, t-SNE, lesson budgets.

Run it with ``make bench`` or ``python benchmarks/run.py`` (``--help`` lists the options).
"""
