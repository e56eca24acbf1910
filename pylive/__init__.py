"""pylive: Phoenix LiveView's model, done the Python way."""

from __future__ import annotations

__version__ = "0.1.0"
