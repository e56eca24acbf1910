"""Testing pylive apps: the in-process test client (``live``, ``live_isolated``,
``render_component``), its pytest plugin, and ``apply(ops, tree)``: the browser's patch semantics
in Python, which the client keeps its page with and a property test of a diff can check
``apply(diff(a, b), a) == b`` with.

``from pylive.testing import live`` gives the client of ``pylive.testing.client``; the names are
loaded on first use, so the pytest plugin (which imports this package) stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pylive.testing._apply import apply
    from pylive.testing._http import ClientResponse, TestClient
    from pylive.testing._js import Dispatched, JSCommandError, Navigation
    from pylive.testing._proxies import ElementProxy, FormProxy
    from pylive.testing._uploads import Upload, file_input, render_upload
    from pylive.testing.client import (
        LiveViewClient,
        MemoryTransport,
        Redirected,
        StaticRender,
        ViewCrashed,
        live,
    )
    from pylive.testing.isolated import IsolatedComponent, live_isolated, render_component

__all__ = [
    "ClientResponse",
    "Dispatched",
    "ElementProxy",
    "FormProxy",
    "IsolatedComponent",
    "JSCommandError",
    "LiveViewClient",
    "MemoryTransport",
    "Navigation",
    "Redirected",
    "StaticRender",
    "TestClient",
    "Upload",
    "ViewCrashed",
    "apply",
    "file_input",
    "live",
    "live_isolated",
    "render_component",
    "render_upload",
]

_MODULES = {
    "apply": "_apply",
    "ClientResponse": "_http",
    "TestClient": "_http",
    "Dispatched": "_js",
    "ElementProxy": "_proxies",
    "JSCommandError": "_js",
    "Navigation": "_js",
    "FormProxy": "_proxies",
    "IsolatedComponent": "isolated",
    "live_isolated": "isolated",
    "render_component": "isolated",
    "Upload": "_uploads",
    "file_input": "_uploads",
    "render_upload": "_uploads",
}


def __getattr__(name: str) -> Any:
    if name in __all__:
        module = _MODULES.get(name, "client")
        return getattr(importlib.import_module(f"pylive.testing.{module}"), name)
    raise AttributeError(f"module 'pylive.testing' has no attribute {name!r}")
