"""Testing pylive apps: the in-process test client (``live``) and its pytest plugin.

``from pylive.testing import live`` gives the client of ``pylive.testing.client``; the names are
loaded on first use, so the pytest plugin (which imports this package) stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pylive.testing.client import (
        ElementProxy,
        FormProxy,
        LiveViewClient,
        MemoryTransport,
        StaticRender,
        ViewCrashed,
        live,
    )

__all__ = [
    "ElementProxy",
    "FormProxy",
    "LiveViewClient",
    "MemoryTransport",
    "StaticRender",
    "ViewCrashed",
    "live",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("pylive.testing.client"), name)
    raise AttributeError(f"module 'pylive.testing' has no attribute {name!r}")
