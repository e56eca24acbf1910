"""The tests the gallery's "Testing PubSub and background work" page shows, run as shown (pytest
collects the functions imported here), and the page itself served in the gallery."""

from __future__ import annotations

import pytest

from gallery.app import ASYNC, app
from gallery.pages import async_testing
from gallery.pages.async_testing import (  # noqa: F401  (pytest collects them from here)
    test_handles_background_process_updates,
    test_receives_messages_from_other_users,
    test_sends_messages_to_the_room,
    test_the_async_task_completes,
)
from pylive.testing import live


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(async_testing, "TASK_SECONDS", 0.02)


def test_the_page_is_in_the_gallery_with_what_to_try() -> None:
    assert ("/async/testing", "Testing PubSub and background work") in [
        (path, title) for path, title, _, _ in ASYNC
    ]
    assert "Try this: " in (async_testing.__doc__ or "")
    with live(app, "/async/testing") as view:
        assert "def test_the_async_task_completes():" in view.render()  # its source, shown
        view.element("#start-task").click()
        view.render_async(timeout=5)
        assert view.element("#status").render() == '<p id="status">Status: Complete</p>'
