"""The server the security tests attack: ``python security_app.py PORT [CONFIG_JSON]``.

Built like ``server_app.py`` (whose ``Counter`` it serves at ``/``), with views that record what
reached them, so a test can prove what did *not* happen: how many connected mounts ran, which
event names and param keys ``handle_event`` received (and that each name was a plain ``str``),
which views terminated and why, and every ``setattr`` aimed at a view, a socket or assigns.
``GET /_probe`` answers that record plus a byte-exact snapshot of every live view's assigns and
instance attributes; ``/_probe?reset=1`` clears the record first. ``/_stats`` is as in
``server_app.py``.

``CONFIG_JSON`` holds ``Limits`` fields plus ``allowed_origins`` (a list), ``token_max_age``
(seconds) and ``session`` (the dict every request's session is), all optional.
"""

from __future__ import annotations

import asyncio
import builtins
import gc
import json
import sys
from collections import deque
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import orjson
from sanic import Request, response
from server_app import SECRET, Counter

from pylive import App, Limits, LiveComponent, LiveView, live_component
from pylive.assigns import Assigns
from pylive.html import button, div, p
from pylive.sanic import LiveProtocol, create_sanic
from pylive.socket import Socket

RECENT = 64
"""Event names kept (the last ones): the record itself must not grow with 100,000 names."""


class Record:
    """What reached the recording views, since the last reset."""

    def __init__(self) -> None:
        self.mounts = 0  # connected mounts only: the HTTP render is not a join
        self.renders = 0
        self.events = 0
        self.not_str = 0
        self.names: deque[str] = deque(maxlen=RECENT)
        self.keys: deque[list[str]] = deque(maxlen=RECENT)
        self.infos = 0
        self.terminated: list[str] = []
        self.setattr_calls: list[str] = []

    def to_json(self) -> dict[str, Any]:
        return {
            "mounts": self.mounts,
            "renders": self.renders,
            "events": self.events,
            "not_str": self.not_str,
            "names": list(self.names),
            "keys": list(self.keys),
            "infos": self.infos,
            "terminated": self.terminated,
            "setattr_calls": self.setattr_calls,
        }


RECORD = Record()
_setattr = builtins.setattr


def recording_setattr(obj: Any, name: str, value: Any) -> None:
    """``setattr`` as every module of the process sees it: calls aimed at a view, a socket or
    assigns are recorded (then done, so nothing behaves differently)."""
    if isinstance(obj, LiveView | Socket | Assigns) or (
        isinstance(obj, type) and issubclass(obj, LiveView)
    ):
        RECORD.setattr_calls.append(f"{type(obj).__name__}.{name}")
    _setattr(obj, name, value)


class Recorder(LiveView):
    """Renders nothing of its own state; records its callbacks; ``handle_event`` never assigns."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        if socket.connected:
            RECORD.mounts += 1
        socket.assign(label="recorder")

    def render(self, assigns: Any) -> Any:
        RECORD.renders += 1
        return p(assigns.label, id="label")

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        RECORD.events += 1
        if type(event) is not str:
            RECORD.not_str += 1
        RECORD.names.append(event)

    def handle_info(self, msg: Any, socket: Any) -> None:
        RECORD.infos += 1

    def terminate(self, reason: str, socket: Any) -> None:
        RECORD.terminated.append(f"{type(self).__name__}:{reason}")


class OtherRecorder(Recorder):
    """Another view (another route): a token for ``Recorder`` must not mount it."""


class Guarded(LiveView):
    """State a client must never set: only ``save`` writes, and only the ``note`` field."""

    def __setattr__(self, name: str, value: Any) -> None:
        RECORD.setattr_calls.append(f"Guarded.__setattr__({name})")
        object.__setattr__(self, name, value)

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        if socket.connected:
            RECORD.mounts += 1
        socket.assign(is_admin=False, role="user", note="", balance=100)

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"admin={assigns.is_admin} role={assigns.role}", id="who"),
            p(assigns.note, id="note"),
            p(f"balance={assigns.balance}", id="balance"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        RECORD.events += 1
        RECORD.names.append(event)
        RECORD.keys.append(sorted(params))
        if event == "save":
            socket.assign(note=str(params.get("note", "")))
        elif event == "poke":  # the control: a setattr the recorder must see
            setattr(self, "poked", True)  # noqa: B010 - through builtins.setattr on purpose


class Tally(LiveComponent):
    def mount(self, socket: Any) -> None:
        socket.assign(count=0)

    def render(self, assigns: Any) -> Any:
        return button(
            f"tally {assigns.count}", id="tally", phx_click="bump", phx_target=assigns.myself
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.update("count", lambda n: n + 1)


class Panel(LiveView):
    """One live component (cid 1)."""

    def render(self, assigns: Any) -> Any:
        return div(live_component(Tally, id="t"), id="panel")


class WhoAmI(LiveView):
    """Every render names the user of the page (``/whoami?user=u17``): a patch that reached the
    wrong session would show it."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(user=str(params.get("user", "-")), count=0)

    def render(self, assigns: Any) -> Any:
        return p(f"user={assigns.user} count={assigns.count}", id="who")

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.update("count", lambda n: n + 1)


class Go(LiveView):
    """``go`` redirects to the ``to`` the client names: ``socket.redirect`` must refuse it unless
    it is a local path."""

    def render(self, assigns: Any) -> Any:
        return p("go", id="go")

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.redirect(params["to"])


def snapshot(connection: Any) -> dict[str, Any]:
    live = connection.live
    view = live.view
    return {
        "view": type(view).__name__,
        "assigns": orjson.dumps(
            live.socket.assigns.to_dict(), option=orjson.OPT_SORT_KEYS, default=repr
        ).decode(),
        "attributes": repr(sorted(vars(view).items())) if hasattr(view, "__dict__") else "",
        "class_attributes": sorted(vars(type(view))),
    }


def build(config: dict[str, Any]) -> Any:
    options = dict(config)
    origins = options.pop("allowed_origins", None)
    max_age = options.pop("token_max_age", 14 * 24 * 3600)
    session = options.pop("session", None)
    app = App(
        secret_key=SECRET,
        limits=Limits(**options),
        allowed_origins=origins,
        token_max_age=max_age,
        session=None if session is None else (lambda request: dict(session)),
    )
    app.live("/", Counter)
    app.live("/rec", Recorder)
    app.live("/rec2", OtherRecorder)
    app.live("/guarded", Guarded)
    app.live("/panel", Panel)
    app.live("/whoami", WhoAmI)
    app.live("/go", Go)
    sanic = create_sanic(app, name="security", serving=True)
    connections = sanic.ctx.pylive_connections

    async def probe(request: Request) -> response.HTTPResponse:
        global RECORD
        if request.args.get("reset"):
            RECORD = Record()
        views = [snapshot(c) for c in connections if c.live is not None]
        return response.json({**RECORD.to_json(), "views": views})

    async def stats(request: Request) -> response.HTTPResponse:
        if request.args.get("collect"):
            gc.collect()
        return response.json(
            {
                "tasks": len(asyncio.all_tasks()),
                "connections": len(connections),
                "views": sum(1 for c in connections if c.live is not None),
            }
        )

    sanic.add_route(probe, "/_probe")
    sanic.add_route(stats, "/_stats")
    return sanic


def main() -> None:
    builtins.setattr = recording_setattr  # only in the server process, never on import
    port = int(sys.argv[1])
    config = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    sanic = build(config)

    async def ready(*_: Any) -> None:
        print(f"READY {port}", flush=True)

    sanic.register_listener(ready, "after_server_start")
    sanic.run(
        host="127.0.0.1",
        port=port,
        single_process=True,
        motd=False,
        access_log=False,
        protocol=LiveProtocol,
    )


if __name__ == "__main__":
    main()
