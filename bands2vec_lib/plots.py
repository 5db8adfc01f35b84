"""Figures for the lessons: each function draws on a Matplotlib ``Axes`` and returns it."""

from __future__ import annotations
