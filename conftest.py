"""Suite-wide hooks: browser tests (``e2e/``) run after everything else, because Playwright's
sync API keeps an event loop running in the test process once it has started."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)  # stable: order kept
