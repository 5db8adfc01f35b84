"""Interactive controls for the lessons (ipywidgets).

Each builder returns the widget, and exposes its callback so a lesson (and a test) can
call it directly: the HTML book has no kernel, so every widget also has a static figure.
"""

from __future__ import annotations
