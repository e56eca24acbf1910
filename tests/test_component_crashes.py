"""A live component that raises, in its ``handle_event``, in the render its event causes, or in
the ``update`` a ``send_update`` runs, crashes its view like any callback of the view (a crash
frame answering the event, then the client rejoins and the view mounts afresh); it never
escapes the connection loop, and other connections never notice."""

from __future__ import annotations

from typing import Any

import pytest
from test_live_component import Session

from pylive import App, LiveComponent, LiveView, live_component
from pylive.html import button, div, p


class Fragile(LiveComponent):
    def update(self, assigns: dict[str, Any], socket: Any) -> None:
        if assigns.get("explode"):
            raise RuntimeError("update exploded")
        socket.assign(**assigns)
        socket.assign_new("broken", lambda: False)

    def render(self, assigns: Any) -> Any:
        if assigns.broken:
            raise RuntimeError("render exploded")
        return div(button("x", phx_click="go", phx_target=assigns.myself), class_="fragile")

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "raise":
            raise RuntimeError("handle_event exploded")
        if event == "break":
            socket.assign(broken=True)


class Page(LiveView):
    mounts = 0

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        Page.mounts += 1
        socket.assign(n=0)

    def render(self, assigns: Any) -> Any:
        return div(p(f"n={assigns.n}"), live_component(Fragile, id="f"))

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "explode":
            socket.send_update(Fragile, id="f", explode=True)
        socket.update("n", lambda n: n + 1)


@pytest.fixture
def app() -> App:
    app = App(secret_key="component crash tests, long enough")
    app.live("/", Page)
    return app


def cid_of(session: Session) -> int:
    fragile = session.join_reply["tree"][1][2][1]
    return int(fragile[1]["data-phx-component"])


@pytest.mark.parametrize(
    ("event", "where", "message"),
    [
        ("raise", "Fragile(id='f').handle_event('raise')", "handle_event exploded"),
        ("break", "Fragile(id='f').handle_event('break')", "render exploded"),
    ],
)
def test_component_crash_in_its_event_is_a_crash_frame_then_a_fresh_mount(
    app: App, event: str, where: str, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    Page.mounts = 0
    crashing, other = Session(app), Session(app)
    try:
        assert other.click("inc")["ops"]
        reply = crashing.click(event, cid=cid_of(crashing))
        assert reply == {"type": "error", "reason": "crash", "ref": 2}
        assert f"live view Page crashed in {where}; it will be remounted" in caplog.text
        assert message in caplog.text
        rejoined = crashing.frame({"type": "join", "token": crashing.dead.token,
                                   "url": "http://testserver/"})  # fmt: skip
        assert rejoined["tree"][1][2][0] == ["p", {}, ["n=0"]]
        assert Page.mounts == 5  # two pages (HTTP render and join each), then the rejoin
        assert other.click("inc")["ops"] == [[0, [1, 0, 0], "n=2"]]  # untouched
        assert crashing.click("inc")["ops"] == [[0, [1, 0, 0], "n=1"]]
    finally:
        crashing.close()
        other.close()


def test_component_crash_in_a_send_update_crashes_its_view(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    session, other = Session(app), Session(app)
    try:
        reply = session.click("explode")
        assert reply == {"type": "error", "reason": "crash", "ref": 2}
        assert "live view Page crashed in handle_event('explode')" in caplog.text
        assert "update exploded" in caplog.text
        assert other.click("inc")["ops"] == [[0, [1, 0, 0], "n=1"]]
    finally:
        session.close()
        other.close()
