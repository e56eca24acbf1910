"""The Sanic adapter: serve a pylive ``App`` over HTTP and one websocket per page.

This package is the only part of pylive that imports sanic. ``_app`` builds the Sanic
application (pages, ``client.js``, the guarded websocket route), ``_protocol`` and ``_websocket``
are pylive's own websocket layer under Sanic's HTTP protocol, ``_server`` runs it.
"""

from __future__ import annotations

from pylive.sanic._app import CSRF_COOKIE as CSRF_COOKIE
from pylive.sanic._app import GC_THRESHOLD as GC_THRESHOLD
from pylive.sanic._app import LIVE_PATH as LIVE_PATH
from pylive.sanic._app import create_sanic as create_sanic
from pylive.sanic._app import sanic_path as sanic_path
from pylive.sanic._app import tune_gc as tune_gc
from pylive.sanic._protocol import LiveProtocol as LiveProtocol
from pylive.sanic._server import LiveServer as LiveServer
from pylive.sanic._server import load_app as load_app
from pylive.sanic._server import serve as serve
from pylive.sanic._websocket import LiveWebsocket as LiveWebsocket

__all__ = [
    "CSRF_COOKIE",
    "GC_THRESHOLD",
    "LIVE_PATH",
    "LiveProtocol",
    "LiveServer",
    "LiveWebsocket",
    "create_sanic",
    "load_app",
    "sanic_path",
    "serve",
    "tune_gc",
]
