"""The gallery's async dashboard in-process: cards loading then ok, the failing card retried,
a reload cancelled, the report through start_async."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from gallery.app import ASYNC, app
from gallery.pages import async_dashboard, pubsub_chat
from pylive.pubsub import PubSubGap
from pylive.testing import live


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(async_dashboard, "DELAY", 0.02)


def value(view: Any, card: str) -> str:
    return str(view.element(f"#card-{card} .value").find().text_content())


def test_the_async_dashboard_loads_fails_retries_cancels_and_reports() -> None:
    assert [(path, title) for path, title, *_ in ASYNC] == [
        ("/async/dashboard", "Async dashboard"),
        ("/pubsub/chat", "A chat room over PubSub"),
        ("/async/testing", "Testing PubSub and background work"),
    ]
    assert "Try this: " in (async_dashboard.__doc__ or "")
    static = live(app, "/async/dashboard", connect=False)
    assert (
        static.element(".cards").render().count("Loading…") == 3
    )  # the HTTP render waits for none
    with live(app, "/async/dashboard") as view:
        view.render_async()
        assert (value(view, "users"), value(view, "visitors")) == ("1204", "8311")
        assert value(view, "revenue") == "Failed: the billing service timed out"
        view.element("#card-revenue button").click()
        assert value(view, "revenue") == "Loading…"
        view.render_async()
        assert value(view, "revenue") == "$12,340"
        view.element("#reload").click()
        assert value(view, "visitors") == "Loading…"
        view.element("#card-visitors button").click()
        assert value(view, "visitors") == "Failed: cancelled by you"
        view.element("#report").click()
        assert view.element("#report-status").render() == '<p id="report-status">Building…</p>'
        view.render_async()
        assert view.element("#report-status").render() == (
            '<p id="report-status">Report ready: 3 pages</p>'
        )


def test_the_chat_room_is_shared_by_every_open_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Try this: " in (pubsub_chat.__doc__ or "")
    monkeypatch.setattr(pubsub_chat, "DB_PATH", tmp_path / "chat.sqlite3")
    with live(app, "/pubsub/chat") as ann, live(app, "/pubsub/chat") as bo:
        assert ann.element("#worker").render() == (
            f'<p id="worker">This tab is served by worker process {os.getpid()}.</p>'
        )
        ann.form("#chat-form", name="Ann", text="hello").submit()
        bo.sleep(10)
        for view in (ann, bo):
            shown = [str(el.text_content()) for el in view.element("#messages").find()]
            assert [line.split(" ", 1)[1] for line in shown] == ["Ann: hello"]
        bo.form("#chat-form", name="Bo", text="hi Ann").submit()
        ann.sleep(10)
        shown = [str(el.text_content()) for el in ann.element("#messages").find()]
        assert [line.split(" ", 1)[1] for line in shown] == ["Ann: hello", "Bo: hi Ann"]
    # a tab opened later shows the room's history, from SQLite
    with live(app, "/pubsub/chat") as cy:
        shown = [str(el.text_content()) for el in cy.element("#messages").find()]
        assert [line.split(" ", 1)[1] for line in shown] == ["Ann: hello", "Bo: hi Ann"]
        # a gap (Redis came back): the view reads the room again, here with one more line
        pubsub_chat.store_message("12:00:00", "Dee", "missed while Redis was away")
        cy.send(PubSubGap(pubsub_chat.TOPIC))
        shown = [str(el.text_content()) for el in cy.element("#messages").find()]
        assert shown[-1] == "12:00:00 Dee: missed while Redis was away"


def test_the_chat_room_keeps_the_last_50_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pubsub_chat, "DB_PATH", tmp_path / "chat.sqlite3")
    for n in range(60):
        pubsub_chat.store_message("t", "n", str(n))
    assert [text for _, _, text in pubsub_chat.recent_messages()] == [str(n) for n in range(10, 60)]
