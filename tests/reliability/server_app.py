"""The server the reliability tests attack, run as its own process so that its memory, tasks and
log can be read and it can be killed: ``python server_app.py PORT [LIMITS_JSON]``.

It serves test views on the real Sanic adapter (pylive's websocket layer included) plus
``/_stats`` (live tasks, connections and views, for leak checks) and prints ``READY <port>`` once
it listens.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sanic import Request, response

from pylive import App, Limits, LiveComponent, LiveView, in_thread, live_component
from pylive.html import button, div, p
from pylive.sanic import LiveProtocol, create_sanic

SECRET = "reliability tests secret, long enough"


class Counter(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(count=0, user=session.get("user", params.get("user", "-")))

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"Count: {assigns.count}", id="count"),
            p(f"user={assigns.user}", id="user"),
            button("+", id="inc", phx_click="inc"),
        )

    async def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> Any:
        if event == "boom":
            raise RuntimeError("boom (the reliability suite provokes it)")
        if event == "slow":
            await asyncio.sleep(float(params.get("s", 0.5)))
        if event == "echo":
            return {"params": params}
        socket.update("count", lambda n: n + 1)
        return None


class Blocking(LiveView):
    """A plain ``def`` handler that blocks: it must not stall the other sessions."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(count=0)

    def render(self, assigns: Any) -> Any:
        return p(f"Blocked {assigns.count}", id="count")

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        time.sleep(float(params.get("s", 0.2)))
        socket.update("count", lambda n: n + 1)


class InThread(Blocking):
    """The same blocking handler, declared with ``@in_thread``: not even its first call stalls."""

    @in_thread
    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        time.sleep(float(params.get("s", 0.2)))
        socket.update("count", lambda n: n + 1)


class Pusher(LiveView):
    """Pushes a patch of ``size`` bytes every ``ms`` milliseconds, whether the client reads."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(tick=0, size=int(params.get("size", 10_000)))
        if socket.connected:
            socket.send_interval("tick", float(params.get("ms", 1)))

    def render(self, assigns: Any) -> Any:
        return p("x" * assigns.size + str(assigns.tick), id="blob")

    def handle_info(self, msg: Any, socket: Any) -> None:
        socket.update("tick", lambda n: n + 1)


class Badge(LiveComponent):
    def render(self, assigns: Any) -> Any:
        return button(f"badge {assigns.id}", phx_click="poke", phx_target=assigns.myself)

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "poke":
            raise RuntimeError("component crash (the reliability suite provokes it)")


class WithComponent(LiveView):
    def render(self, assigns: Any) -> Any:
        return div(live_component(Badge, id="b"), id="holder")


def build(limits: dict[str, Any]) -> Any:
    app = App(secret_key=SECRET, limits=Limits(**limits))
    app.live("/", Counter)
    app.live("/blocking", Blocking)
    app.live("/in-thread", InThread)
    app.live("/pusher", Pusher)
    app.live("/component", WithComponent)
    sanic = create_sanic(app, name="reliability", serving=True)

    async def stats(request: Request) -> response.HTTPResponse:
        if request.args.get("collect"):
            gc.collect()
        connections = sanic.ctx.pylive_connections
        if request.args.get("garbage"):  # what reference cycles hold, by type
            gc.set_debug(gc.DEBUG_SAVEALL)
            gc.collect()
            kinds: dict[str, int] = {}
            for thing in gc.garbage:
                kinds[type(thing).__qualname__] = kinds.get(type(thing).__qualname__, 0) + 1
            ids = {id(thing) for thing in gc.garbage}
            links = {}
            for name in request.args.get("garbage").split(","):
                found = [t for t in gc.garbage if type(t).__qualname__ == name][:1]
                if found:
                    links[name] = [
                        f"{type(r).__qualname__}: {str(r)[:90]}"
                        for r in gc.get_referrers(found[0])
                        if id(r) in ids
                    ]
            gc.garbage.clear()
            gc.set_debug(0)
            return response.json(
                {"kinds": sorted(kinds.items(), key=lambda kv: -kv[1])[:40], "links": links}
            )
        if request.args.get("types"):  # live objects by type, for leak hunting
            counts: dict[str, int] = {}
            for thing in gc.get_objects():
                counts[type(thing).__qualname__] = counts.get(type(thing).__qualname__, 0) + 1
            return response.json(counts)
        if request.args.get("tasks"):
            return response.json([repr(task.get_coro()) for task in asyncio.all_tasks()])
        return response.json(
            {
                "tasks": len(asyncio.all_tasks()),
                "connections": len(connections),
                "views": sum(1 for c in connections if c.live is not None),
                "objects": len(gc.get_objects()),
            }
        )

    sanic.add_route(stats, "/_stats")
    return sanic


def main() -> None:
    port = int(sys.argv[1])
    limits = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    sanic = build(limits)

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
