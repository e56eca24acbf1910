"""End-to-end tests: a real chromium (Debian's) against the real Sanic server, through exactly the
fixtures users get from pylive's pytest plugin (``pylive.testing.browser``, registered by it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gallery.app import app as gallery_app
from pylive.sanic import LiveServer


@pytest.fixture(scope="session")
def gallery() -> Iterator[LiveServer]:
    """The gallery app, served once for the whole session."""
    server = LiveServer(gallery_app).start()
    yield server
    server.stop()
