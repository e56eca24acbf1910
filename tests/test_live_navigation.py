"""Live navigation on the server: live actions and url_for, push_patch (handle_params, no
remount), push_navigate (another view of the live session on the same connection), redirect
(local or external), the client's navigate frames, on_mount hooks and attach_hook — the exact
frames a Connection sends."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from pylive.app import App
from pylive.html import button, div, p
from pylive.http_session import load_flash
from pylive.live_component import ComponentSocket, LiveComponent, live_component
from pylive.node import Tree
from pylive.session import Connection
from pylive.socket import Socket
from pylive.testing import Redirected, TestClient, live
from pylive.view import LiveView
from pylive.view_render import dead_render
from tests.test_session import FakeTransport, feed, frame, join, token_for

SECRET = "a test secret, long enough"
LOG: list[Any] = []


class Users(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        LOG.append(("mount", socket.connected, dict(session)))
        socket.assign(clicks=0, page="1")

    def handle_params(self, params: dict[str, Any], uri: str, socket: Socket) -> None:
        LOG.append(("handle_params", socket.assigns.live_action, dict(params), uri))
        socket.assign(page=params.get("page", "1"))

    def render(self, assigns: Any) -> Tree:
        return div(
            p(f"{assigns.live_action} page {assigns.page} clicks {assigns.clicks}", id="state"),
            live_component(Pager, id="pager"),
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        socket.update("clicks", lambda n: n + 1)
        if event == "next":
            socket.push_patch(f"/users?page={int(socket.assigns.page) + 1}")
        elif event == "edit":
            socket.push_patch("/users/7/edit", replace=True)
        elif event == "about":
            socket.push_navigate("/about")
        elif event == "admin":
            socket.push_navigate("/admin")
        elif event == "docs":
            socket.redirect(external="https://docs.example.com/pylive")

    def handle_info(self, msg: Any, socket: Socket) -> None:
        socket.push_patch(f"/users?page={msg}")

    def terminate(self, reason: str, socket: Socket) -> None:
        LOG.append(("terminate", type(self).__name__, reason))


class Pager(LiveComponent):
    def render(self, assigns: Any) -> Tree:
        return button("last", phx_click="last", phx_target=assigns.myself, id="last")

    def handle_event(self, event: str, params: dict[str, Any], socket: ComponentSocket) -> None:
        socket.push_patch("/users?page=9")


class About(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        LOG.append(("mount About", dict(session), dict(socket.assigns.flash)))
        socket.assign(page_title="About")

    def render(self, assigns: Any) -> Tree:
        return p("about", id="about")

    def terminate(self, reason: str, socket: Socket) -> None:
        LOG.append(("terminate", "About", reason))


class Admin(LiveView):
    def render(self, assigns: Any) -> Tree:
        return p(f"admin {assigns.get('user')}", id="admin")


def require_user(params: dict[str, Any], session: dict[str, Any], socket: Socket) -> str:
    LOG.append(("on_mount", socket.connected))
    if session.get("user") is None:
        socket.put_flash("error", "You must log in")
        socket.redirect("/users")
        return "halt"
    socket.assign(user=session["user"])
    return "cont"


def make_app() -> App:
    LOG.clear()
    app = App(secret_key=SECRET)
    app.live("/users", Users, "index")
    app.live("/users/{id}/edit", Users, "edit")
    app.live("/about", About)
    with app.live_session("admin", on_mount=[require_user]):
        app.live("/admin", Admin)
    return app


async def joined(app: App, path: str = "/users", session: dict[str, Any] | None = None) -> Any:
    transport = FakeTransport()
    connection = Connection(app, transport)
    await feed(connection, join(0, token_for(app, path, session or {"u": 1}), path))
    assert "tree" in transport.sent[-1], transport.sent
    transport.sent.clear()
    LOG.clear()
    return connection, transport


def click(ref: int, event: str, cid: int | None = None) -> str:
    fields: dict[str, Any] = {"type": "event", "ref": ref, "kind": "click", "event": event}
    if cid is not None:
        fields["cid"] = cid
    return frame(value={}, **fields)


def test_live_actions_and_url_for() -> None:
    app = make_app()
    assert app.url_for(Users, "index") == "/users"
    assert app.url_for(Users, "edit", id=7, tab="a b") == "/users/7/edit?tab=a+b"
    assert app.url_for(f"{About.__module__}.About") == "/about"
    with pytest.raises(KeyError, match=r"the path '/users/\{id\}/edit' needs 'id', got \[\]"):
        app.url_for(Users, "edit")
    with pytest.raises(LookupError, match=r"url_for\(Users, 'show'\): no such live route"):
        app.url_for(Users, "show")
    with pytest.raises(ValueError, match="expected an action name like 'edit', got 'a b'"):
        app.live("/x", Users, "a b")


def test_push_patch_runs_handle_params_without_a_remount() -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, click(1, "next"))
        assert transport.sent == [
            {
                "ref": 1,
                "ops": [[0, [1, 0, 0], "index page 2 clicks 1"]],
                "nav": {"kind": "patch", "to": "/users?page=2", "replace": False},
            }
        ]
        assert LOG == [("handle_params", "index", {"page": "2"}, "http://testserver/users?page=2")]
        await feed(connection, click(2, "edit"))  # another route of the same view: its action
        assert transport.sent[-1] == {
            "ref": 2,
            "ops": [[0, [1, 0, 0], "edit page 1 clicks 2"]],
            "nav": {"kind": "patch", "to": "/users/7/edit", "replace": True},
        }
        assert LOG[-1] == ("handle_params", "edit", {"id": "7"}, "http://testserver/users/7/edit")

    asyncio.run(scenario())


def test_push_patch_from_a_component_and_from_handle_info() -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, click(1, "last", cid=1))
        assert transport.sent[-1] == {
            "ref": 1,
            "ops": [[0, [1, 0, 0], "index page 9 clicks 0"]],
            "nav": {"kind": "patch", "to": "/users?page=9", "replace": False},
        }
        assert connection.live is not None
        connection.live.socket.send_self(4)
        await connection.process_queued()
        assert transport.sent[-1] == {
            "type": "patch",
            "ops": [[0, [1, 0, 0], "index page 4 clicks 0"]],
            "nav": {"kind": "patch", "to": "/users?page=4", "replace": False},
        }

    asyncio.run(scenario())


def test_the_clients_patch_frame_runs_handle_params() -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        url = "http://testserver/users?page=5"
        await feed(connection, frame(type="navigate", ref=1, url=url, kind="patch"))
        assert transport.sent == [{"ref": 1, "ops": [[0, [1, 0, 0], "index page 5 clicks 0"]]}]
        assert LOG == [("handle_params", "index", {"page": "5"}, url)]

    asyncio.run(scenario())


def test_push_navigate_mounts_the_next_view_on_the_same_connection() -> None:
    async def scenario() -> None:
        app = make_app()
        connection, transport = await joined(app)
        assert connection.live is not None
        connection.live.socket.put_flash("info", "Saved")
        await feed(connection, click(1, "about"))
        sent = transport.sent[-1]
        token = sent["token"]
        assert sent == {
            "ref": 1,
            "tree": [
                ["div", {"id": "flash-group"}, [
                    ["p", {"class": "flash flash-info", "role": "alert",
                           "phx-click": "lv:clear-flash", "phx-value-key": "info"},
                     ["Saved", ["button", {"type": "button", "aria-label": "close"}, ["×"]]]],
                ]],
                ["p", {"id": "about"}, ["about"]],
            ],
            "title": "About",
            "token": token,
            "nav": {"kind": "navigate", "to": "/about", "replace": False},
        }  # fmt: skip
        assert LOG == [
            ("terminate", "Users", "navigate"),
            ("mount About", {"u": 1}, {"info": "Saved"}),
        ]
        assert app.tokens.check(token, "/about", app.routes[2].name) == {"u": 1}
        assert connection.live is not None and type(connection.live.view) is About

    asyncio.run(scenario())


def test_the_clients_navigate_frame_mounts_the_view_of_the_url() -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        assert connection.live is not None
        connection.live.socket.put_flash("info", "shown here only")
        url = "http://testserver/about"
        await feed(connection, frame(type="navigate", ref=1, url=url, kind="navigate"))
        assert transport.sent[-1]["tree"][0] == ["div", {"id": "flash-group"}]  # a link: no flash
        assert transport.sent[-1]["tree"][1] == ["p", {"id": "about"}, ["about"]]
        assert "nav" not in transport.sent[-1]  # the client made its own history entry
        back = "http://testserver/users?page=3"  # back: a "patch" of another view remounts it
        await feed(connection, frame(type="navigate", ref=2, url=back, kind="patch"))
        assert transport.sent[-1]["tree"][1][2][0] == [
            "p", {"id": "state"}, ["index page 3 clicks 0"]
        ]  # fmt: skip

    asyncio.run(scenario())


def test_navigation_to_another_live_session_or_no_live_route_loads_the_page() -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, click(1, "admin"))
        assert transport.sent[-1] == {"ref": 1, "type": "redirect", "to": "/admin"}
        assert LOG == [("terminate", "Users", "redirect")]
        connection, transport = await joined(make_app())
        url = "http://testserver/login?next=%2Fusers"
        await feed(connection, frame(type="navigate", ref=1, url=url, kind="navigate"))
        assert transport.sent[-1] == {"ref": 1, "type": "redirect", "to": "/login?next=%2Fusers"}

    asyncio.run(scenario())


def test_redirect_external_is_marked_and_only_http_urls_are_accepted() -> None:
    async def scenario() -> None:
        connection, transport = await joined(make_app())
        await feed(connection, click(1, "docs"))
        assert transport.sent[-1] == {
            "ref": 1,
            "ops": [[0, [1, 0, 0], "index page 1 clicks 1"]],
            "type": "redirect",
            "to": "https://docs.example.com/pylive",
            "external": True,
        }

    asyncio.run(scenario())
    socket = Socket("V")
    for bad in ("javascript:alert(1)", "//evil.example", "https://", "ftp://x.example/"):
        with pytest.raises(ValueError, match=r"V.redirect\(external=...\): expected an absolute"):
            socket.redirect(external=bad)
    with pytest.raises(ValueError, match="expected a local path or external=URL"):
        socket.redirect()
    with pytest.raises(ValueError, match="V.push_patch: expected a local path"):
        socket.push_patch("https://evil.example/")


def test_on_mount_halts_both_renders_with_its_redirect_and_no_html() -> None:
    app = make_app()
    route, params = app.match("/admin") or (None, {})
    assert route is not None
    dead = asyncio.run(dead_render(app, route, params, "http://testserver/admin", {}))
    assert (dead.redirect, dead.tree, dead.token) == ("/users", None, "")
    assert LOG == [("on_mount", False)]
    dead = asyncio.run(dead_render(app, route, params, "http://testserver/admin", {"user": "ann"}))
    assert dead.redirect is None and "admin ann" in str(dead.tree)

    async def scenario() -> None:
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, token_for(app, "/admin", {}), "/admin"))
        flash = transport.sent[0].pop("flash")  # what the halting hook put, for the next page
        assert transport.sent == [{"ref": 0, "type": "redirect", "to": "/users"}]
        assert load_flash(app, flash) == {"error": "You must log in"}
        transport.sent.clear()
        await feed(connection, join(1, token_for(app, "/admin", {"user": "bo"}), "/admin"))
        assert transport.sent[-1]["tree"][1] == ["p", {"id": "admin"}, ["admin bo"]]

    asyncio.run(scenario())


def test_an_on_mount_that_halts_without_a_redirect_is_an_error() -> None:
    def stop(params: Any, session: Any, socket: Socket) -> str:
        return "halt"

    def odd(params: Any, session: Any, socket: Socket) -> Any:
        return 42

    for hook, message in (
        (
            stop,
            "the on_mount hook .*stop of live session 'guarded' halted Admin without a redirect",
        ),
        (
            odd,
            "invalid return from the on_mount hook '.*odd' of Admin: "
            "expected 'cont' or 'halt', got 42",
        ),
    ):
        app = App(secret_key=SECRET)
        with app.live_session("guarded", on_mount=[hook]):
            app.live("/", Admin)
        with pytest.raises(TypeError, match=message):
            asyncio.run(dead_render(app, app.routes[0], {}, "http://testserver/", {}))


def test_live_session_declarations_are_checked() -> None:
    app = App(secret_key=SECRET)
    with app.live_session("a"):
        with pytest.raises(ValueError, match=r"live sessions do not nest \(inside 'a'\)"):
            with app.live_session("b"):
                pass
    with pytest.raises(ValueError, match="'a' is already declared"):
        with app.live_session("a"):
            pass
    with pytest.raises(TypeError, match=r"on_mount=...\): expected functions"):
        with app.live_session("c", on_mount=["nope"]):  # type: ignore[list-item]
            pass


class Sortable(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(items=["a", "b", "c"])
        socket.attach_hook("logger", "handle_event", self.log_events)
        socket.attach_hook("sortable", "handle_event", self.handle_sort)
        socket.attach_hook(
            "count", "after_render", lambda s: LOG.append(("rendered", s.assigns.items))
        )

    @staticmethod
    def log_events(event: str, params: dict[str, Any], socket: Socket) -> str:
        LOG.append(("event", event))
        return "cont"

    @staticmethod
    def handle_sort(event: str, params: dict[str, Any], socket: Socket) -> Any:
        if event != "sort":
            return "cont"
        socket.assign(items=list(reversed(socket.assigns.items)))
        return ("halt", {"sorted": True})

    def render(self, assigns: Any) -> Tree:
        return p(" ".join(assigns.items), id="items")

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        LOG.append(("handle_event", event))
        if event == "disable_sort":
            socket.detach_hook("sortable", "handle_event")
        elif event == "bad_hook":
            socket.attach_hook("bad", "handle_event", lambda e, p, s: 3)


def test_attach_hook_runs_in_order_halts_and_detaches() -> None:
    async def scenario() -> None:
        app = App(secret_key=SECRET)
        app.live("/", Sortable)
        transport = FakeTransport()
        connection = Connection(app, transport)
        LOG.clear()
        await feed(connection, join(0, token_for(app)))
        assert LOG == [("rendered", ["a", "b", "c"])]
        await feed(connection, click(1, "sort"))
        assert transport.sent[-1] == {
            "ref": 1,
            "ops": [[0, [1, 0], "c b a"]],
            "reply": {"sorted": True},
        }
        assert LOG[1:] == [("event", "sort"), ("rendered", ["c", "b", "a"])]
        await feed(connection, click(2, "disable_sort"))
        await feed(connection, click(3, "sort"))
        assert LOG[3:] == [
            ("event", "disable_sort"),
            ("handle_event", "disable_sort"),
            ("event", "sort"),
            ("handle_event", "sort"),
        ]
        await feed(connection, click(4, "bad_hook"))
        await feed(connection, click(5, "x"))
        assert transport.sent[-1] == {"type": "error", "reason": "crash", "ref": 5}

    asyncio.run(scenario())


def test_attach_hook_refuses_what_it_cannot_run() -> None:
    socket = Socket("V")
    with pytest.raises(ValueError, match=r"V.attach_hook\('x', 'render'\): expected a stage"):
        socket.attach_hook("x", "render", print)
    socket.attach_hook("x", "handle_info", print)
    with pytest.raises(ValueError, match="a hook named 'x' is already attached to handle_info"):
        socket.attach_hook("x", "handle_info", print)
    with pytest.raises(KeyError, match=r"detach_hook\('y', 'handle_info'\): no such hook"):
        socket.detach_hook("y", "handle_info")
    component = ComponentSocket("Card(id='a')", 1, None, socket)
    with pytest.raises(ValueError, match="expected a stage among handle_event, after_render"):
        component.attach_hook("x", "handle_params", print)


def test_disconnect_sessions_ends_the_views_of_that_session_and_no_other() -> None:
    async def scenario() -> None:
        app = make_app()
        mine = [await joined(app, "/users", {"live_socket_id": "users:1"}) for _ in range(2)]
        other, other_sent = await joined(app, "/about", {"live_socket_id": "users:2"})
        await feed(mine[1][0], click(1, "next"))  # this one is at /users?page=2 now
        for _, transport in mine:
            transport.sent.clear()
        assert app.disconnect_sessions("users:1") == 2
        await asyncio.sleep(0)
        for connection, _ in mine:
            await connection.process_queued()
        assert [transport.sent for _, transport in mine] == [
            [{"type": "redirect", "to": "/users"}],
            [{"type": "redirect", "to": "/users?page=2"}],
        ]
        assert all(connection.live is None for connection, _ in mine)
        assert other_sent.sent == [] and other.live is not None
        assert app.disconnect_sessions("users:1") == 0  # they are gone from the registry
        assert app.disconnect_sessions("users:3") == 0

    asyncio.run(scenario())


def test_the_docs_example_runs_as_written() -> None:
    """docs/navigation.md's first example, exec'd as written, driven by the test client."""
    text = (Path(__file__).parent.parent / "docs" / "navigation.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/navigation.md", "exec"), namespace)
    with live(namespace["app"], "/items") as view:
        view.element("#star").click()
        view.element("#next").click()
        view.assert_patch("/items?page=2")
        assert view.element("#status").render() == '<p id="status">page 2, starred 1</p>'
        view.element("#last").click()
        view.assert_patch("/items?page=3")
        assert view.element("#status").render() == '<p id="status">page 3, starred 1</p>'
        view.element("#about").click()
        view.assert_navigate("/about")
        assert view.element("#about-text").render() == '<p id="about-text">About this app</p>'


def test_a_redirect_takes_the_flash_to_the_next_page_once() -> None:
    app = make_app()
    with TestClient(app) as client:
        response = client.get("/admin")  # on_mount: put_flash, redirect, halt
        assert (response.status, response.location) == (302, "/users")
        view = client.follow(response)
        assert view.element("#flash-group").render().count("You must log in") == 1
        assert client.flash == {}
        again = client.live("/users")
        assert "You must log in" not in again.element("#flash-group").render()

    async def scenario() -> None:
        connection, transport = await joined(app, "/users", {"u": 1})
        assert connection.live is not None
        connection.live.socket.put_flash("info", "Bye")
        await feed(connection, click(1, "admin"))  # push_navigate to another live session
        sent = transport.sent[-1]
        assert (sent["type"], sent["to"]) == ("redirect", "/admin")
        assert load_flash(app, sent["flash"]) == {"info": "Bye"}

    asyncio.run(scenario())


class Hops(LiveView):
    """Navigation asked for from mount and from handle_params."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        if params.get("away"):
            socket.push_navigate("/about")  # before the view is on the page: a page load

    def handle_params(self, params: dict[str, Any], uri: str, socket: Socket) -> None:
        page = int(params.get("page", "1"))
        if page > 3:  # handle_params patches again: clamped
            socket.push_patch("/hops?page=3", replace=True)
        socket.assign(page=min(page, 3))

    def render(self, assigns: Any) -> Tree:
        return p(f"page {assigns.page}", id="page")

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        socket.push_patch("/hops?page=9")


def test_navigation_from_mount_halts_and_from_handle_params_patches_again() -> None:
    app = App(secret_key=SECRET)
    app.live("/hops", Hops)
    app.live("/about", About)
    with pytest.raises(Redirected) as redirected:
        live(app, "/hops?away=1")
    assert redirected.value.to == "/about"

    async def scenario() -> None:
        connection, transport = await joined(app, "/hops")
        await feed(connection, click(1, "go"))
        assert transport.sent[-1] == {
            "ref": 1,
            "ops": [[0, [1, 0], "page 3"]],
            "nav": {"kind": "patch", "to": "/hops?page=3", "replace": False},
        }  # one history entry for the patches of one callback: the last URL, the first's mode
        assert connection.live is not None and connection.live.url.endswith("/hops?page=3")

    asyncio.run(scenario())


def test_an_on_mount_hook_attaches_hooks_for_every_view_of_its_session() -> None:
    def audited(params: Any, session: Any, socket: Socket) -> None:
        socket.attach_hook("audit", "handle_event", lambda e, p, s: LOG.append(("audit", e)))

    app = App(secret_key=SECRET)
    with app.live_session("audited", on_mount=[audited]):
        app.live("/", Sortable)

    async def scenario() -> None:
        LOG.clear()
        transport = FakeTransport()
        connection = Connection(app, transport)
        await feed(connection, join(0, token_for(app)))
        await feed(connection, click(1, "sort"))
        assert LOG[1:3] == [("audit", "sort"), ("event", "sort")]

    asyncio.run(scenario())
