"""The installed pylive's version (from the package's metadata, so it is written once)."""

from __future__ import annotations

from importlib.metadata import version

__version__ = version("pylive")
