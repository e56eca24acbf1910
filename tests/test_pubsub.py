"""PubSub in process: views subscribed to a topic get its broadcasts in handle_info,
broadcast_from skips the sender, subscriptions end with the view, nothing on the HTTP render."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pylive import App, LiveView, pubsub
from pylive.html import li, ul
from pylive.node import Tree
from pylive.socket import Socket
from pylive.testing import live

SECRET = "a test secret, long enough"


class Room(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        pubsub.subscribe(socket, "room:lobby")
        socket.assign(lines=[])

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        if event == "say":
            pubsub.broadcast("room:lobby", ("said", params["text"]))
        elif event == "whisper":
            pubsub.broadcast_from(socket, "room:lobby", ("said", params["text"]))
        elif event == "leave":
            pubsub.unsubscribe(socket, "room:lobby")

    def handle_info(self, msg: Any, socket: Socket) -> None:
        kind, text = msg
        socket.update("lines", lambda lines: [*lines, text])

    def render(self, assigns: Any) -> Tree:
        return ul([li(line) for line in assigns.lines], id="lines")


def lines(view: Any) -> list[str]:
    return [str(el.text_content()) for el in view.element("#lines").find()]


def make_app() -> App:
    app = App(secret_key=SECRET)
    app.live("/", Room)
    return app


def test_a_broadcast_reaches_every_subscribed_view_and_broadcast_from_skips_its_own() -> None:
    app = make_app()
    with live(app, "/") as ann, live(app, "/") as bo:
        assert app.pubsub.topics() == {"room:lobby": 2}
        ann._event("click", "say", {"text": "hello"})
        bo.sleep(10)
        assert lines(ann) == ["hello"] and lines(bo) == ["hello"]
        bo._event("click", "whisper", {"text": "psst"})
        ann.sleep(10)
        assert lines(ann) == ["hello", "psst"] and lines(bo) == ["hello"]
        bo._event("click", "leave", {})
        assert app.pubsub.topics() == {"room:lobby": 1}
        ann._event("click", "say", {"text": "anyone?"})
        bo.sleep(10)
        assert lines(bo) == ["hello"]
    assert app.pubsub.topics() == {}  # closed views take their subscriptions with them


def test_the_http_render_subscribes_nothing_and_topics_are_checked() -> None:
    app = make_app()
    live(app, "/", connect=False)
    assert app.pubsub.topics() == {}
    assert pubsub.broadcast("room:nobody", "x") == 0
    for bad in ("", "t" * 257, 3):
        with pytest.raises(ValueError, match="pubsub: expected a topic name of 1 to 256"):
            pubsub.broadcast(bad, "x")  # type: ignore[arg-type]


def test_broadcast_reaches_the_views_of_every_app_in_the_process() -> None:
    one, two = make_app(), make_app()
    with live(one, "/") as a, live(two, "/") as b:
        assert pubsub.broadcast("room:lobby", ("said", "to all")) == 2
        a.sleep(10)
        b.sleep(10)
        assert lines(a) == ["to all"] and lines(b) == ["to all"]


def test_the_docs_example_runs_as_written() -> None:
    text = (Path(__file__).parent.parent / "docs" / "pubsub.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/pubsub.md", "exec"), namespace)
    app = namespace["app"]
    with live(app, "/") as one, live(app, "/") as two:
        one.element("#add").click()
        two.sleep(10)
        assert two.element("#notes li").render() == "<li>hello</li>"
