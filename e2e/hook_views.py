"""Test-only views for the hooks e2e suite: every hook callback recorded, in order, into
``window.hookCalls`` as ``"<callback>:<id at mount>"``; hook instances reachable as
``window.hookInstances[id]``."""

from __future__ import annotations

from typing import Any

from pylive import JS, App, Hook, LiveComponent, LiveView, live_component
from pylive.html import button, div, li, p, span, ul

RECORDER = Hook(
    "Recorder",
    js="""\
function record(hook, callback) {
  (window.hookCalls ??= []).push(`${callback}:${hook.id}`);
}
export default {
  mounted() {
    this.id = this.el.id;
    (window.hookInstances ??= {})[this.id] = this;
    record(this, "mounted");
  },
  beforeUpdate() { record(this, "beforeUpdate"); },
  updated() { record(this, "updated"); },
  destroyed() { record(this, "destroyed"); },
  disconnected() { record(this, "disconnected"); },
  reconnected() { record(this, "reconnected"); },
};
""",
)
LATE = Hook("Late")  # registered by the test, in the browser, after the page joined
FADE = JS().transition(("fading", "opacity-1", "opacity-0"), time=300)


class Counter(LiveComponent):
    """A component a hook inside it pushes to (``pushEventTo``)."""

    def mount(self, socket: Any) -> None:
        socket.assign(bumps=0)

    def handle_event(self, event: str, params: Any, socket: Any) -> Any:
        socket.update("bumps", lambda n: n + int(params.get("by", 1)))
        return {"bumps": socket.assigns.bumps, "who": "component"}

    def render(self, assigns: Any) -> Any:
        return div(
            p(f"bumps={assigns.bumps}", id=f"{assigns.id}-bumps"),
            span(id=f"{assigns.id}-hook", phx_hook=RECORDER),
            id=assigns.id,
        )


class HookLifecycle(LiveView):
    hooks = (RECORDER, LATE)

    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(rows=[("a", "row-a"), ("b", "row-b")], box=True, child=0, parent=0, pings=0)

    def render(self, assigns: Any) -> Any:
        return div(
            div(
                span(f"child {assigns.child}", id="child", phx_hook=RECORDER),
                id="parent",
                phx_hook=RECORDER,
                data_version=str(assigns.parent),
            ),
            ul([li(dom_id, id=dom_id, key=key, phx_hook=RECORDER) for key, dom_id in assigns.rows]),
            div(span(id="doomed", phx_hook=RECORDER), id="box", phx_remove=FADE)
            if assigns.box
            else None,
            div(id="late", phx_hook=LATE),
            live_component(Counter, id="counter"),
            p(f"pings={assigns.pings}", id="pings"),
            button("child", id="patch-child", phx_click="child"),
            button("parent", id="patch-parent", phx_click="parent"),
            button("move", id="move", phx_click="move"),
            button("remove row", id="remove-row", phx_click="remove_row"),
            button("rename", id="rename", phx_click="rename"),
            button("remove box", id="remove-box", phx_click="remove_box"),
            button("push", id="push", phx_click="push"),
        )

    def handle_event(self, event: str, params: Any, socket: Any) -> Any:
        rows = list(socket.assigns.rows)
        if event == "child":
            socket.update("child", lambda n: n + 1)
        elif event == "parent":
            socket.update("parent", lambda n: n + 1)
        elif event == "move":
            socket.assign(rows=rows[::-1])
        elif event == "remove_row":
            socket.assign(rows=[row for row in rows if row[0] != "a"])
        elif event == "rename":
            socket.assign(rows=[(key, f"{dom_id}-2") for key, dom_id in rows])
        elif event == "remove_box":
            socket.assign(box=False)
        elif event == "push":
            socket.push_event("notice", {"n": 1})
        elif event == "ping":
            socket.update("pings", lambda n: n + 1)
            return {"pong": socket.assigns.pings, "echo": params.get("n")}
        return None


def hooks_app(debug: bool = False) -> App:
    app = App(
        secret_key="e2e-secret-key-0123456789",
        title="e2e hooks",
        debug=debug,
        head='<link rel="icon" href="data:,">',
    )
    app.live("/", HookLifecycle)
    return app
