"""Client hooks declared in Python (``pylive.client_hooks``): ``Hook``, registration, the page's
``data-phx-hooks``, the render check, and the server timing of debug apps."""

from __future__ import annotations

import asyncio
import hashlib
import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from pylive import App, Hook, LiveComponent, LiveView, live_component
from pylive.client_hooks import Hooks, check_hooks
from pylive.document import container, page
from pylive.exceptions import HookFileNotFound, InvalidHook, PyliveError
from pylive.html import button, div, li, p, ul
from pylive.node import Raw, Tree
from pylive.render import render_html
from pylive.session import Connection
from pylive.socket import Socket
from pylive.testing import ViewCrashed, live
from pylive.view_render import dead_render

SECRET = "a test secret, long enough"
SOURCE = "export default { mounted() { this.el.textContent = 'hooked' } }"
CHART = Hook("Chart", js=SOURCE)
CLIPBOARD = Hook("Clipboard")


def sha12(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# -- Hook -----------------------------------------------------------------------------------------


def test_hook_name_must_be_a_js_identifier() -> None:
    for name in ("Chart", "_x", "$el", "Hook2", "a_b$"):
        assert Hook(name).name == name
    with pytest.raises(ValueError) as error:
        Hook("my-chart")
    assert str(error.value) == (
        "Hook('my-chart'): expected a JavaScript identifier as the name (a letter, _ or $, then "
        "letters, digits, _ or $), got 'my-chart'"
    )
    for bad in ("", "2d", "a b", "é"):
        with pytest.raises(ValueError, match="expected a JavaScript identifier"):
            Hook(bad)
    with pytest.raises(TypeError) as type_error:
        Hook(42)  # type: ignore[arg-type]
    assert str(type_error.value) == "Hook(name): expected the hook's name as a str, got 42"


def test_hook_source_str_is_hashed_into_its_url() -> None:
    assert CHART.source == SOURCE.encode()
    assert CHART.filename == f"Chart.{sha12(SOURCE)}.js"
    assert CHART.url == f"/_pylive/hooks/Chart.{sha12(SOURCE)}.js"
    assert Hook("Chart", js=SOURCE + " ").url != CHART.url
    assert repr(CHART) == f"Hook('Chart', js=<{len(SOURCE)} bytes>)"


def test_hook_without_js_has_no_module() -> None:
    assert (CLIPBOARD.source, CLIPBOARD.filename, CLIPBOARD.url) == (None, None, None)
    assert repr(CLIPBOARD) == "Hook('Clipboard')"
    with pytest.raises(ValueError, match=r"Hook\('Clipboard'\) has no module"):
        CLIPBOARD.gzip  # noqa: B018


def test_hook_path_is_read_once_when_declared(tmp_path: Path) -> None:
    module = tmp_path / "chart.js"
    module.write_text(SOURCE)
    hook = Hook("Chart", js=module)
    module.write_text("export default {}")
    assert hook.source == SOURCE.encode()
    assert hook == CHART


def test_hook_missing_file_names_the_hook_and_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.js"
    with pytest.raises(HookFileNotFound) as error:
        Hook("Chart", js=missing)
    assert isinstance(error.value, FileNotFoundError) and isinstance(error.value, PyliveError)
    assert str(error.value) == (
        f"Hook('Chart', js=Path({str(missing)!r})): no such file (resolved: {str(missing)!r}); "
        "expected an ES module whose export default is the hook"
    )


def test_hook_js_str_that_is_a_file_name_or_empty_is_refused() -> None:
    with pytest.raises(ValueError) as error:
        Hook("Chart", js="hooks/chart.js")
    assert str(error.value) == (
        "Hook('Chart', js='hooks/chart.js'): a str is the module's source, and this looks like a "
        "file name; pass pathlib.Path('hooks/chart.js') to read the file"
    )
    with pytest.raises(ValueError) as empty:
        Hook("Chart", js="  ")
    assert (
        str(empty.value)
        == "Hook('Chart', js=...): expected the module's JavaScript source, got '  '"
    )
    with pytest.raises(TypeError) as bad:
        Hook("Chart", js=b"export default {}")  # type: ignore[arg-type]
    assert str(bad.value) == (
        "Hook('Chart', js=...): expected a pathlib.Path of an ES module, its source as a str, or "
        "None for a hook the browser defines, got b'export default {}'"
    )


def test_hook_equality_is_by_name_and_source() -> None:
    assert Hook("Chart", js=SOURCE) == CHART and hash(Hook("Chart", js=SOURCE)) == hash(CHART)
    assert Hook("Chart") != CHART
    assert Hook("Chart", js="export default {}") != CHART
    assert Hook("Graph", js=SOURCE) != CHART
    assert len({CHART, Hook("Chart", js=SOURCE), CLIPBOARD}) == 2


def test_hook_as_attribute_value_renders_its_name() -> None:
    assert render_html(div(id="c", phx_hook=CHART)) == '<div id="c" phx-hook="Chart"></div>'
    assert div(id="c", phx_hook=CLIPBOARD).attrs == {"id": "c", "phx-hook": "Clipboard"}


# -- registration ---------------------------------------------------------------------------------


class ChartView(LiveView):
    hooks = (CHART,)

    def render(self, assigns: Any) -> Tree:
        return div(id="chart", phx_hook=CHART)


def test_register_with_app_app_hook_and_view_hooks() -> None:
    app = App(secret_key=SECRET, hooks=[CLIPBOARD])
    assert list(app.hooks) == [CLIPBOARD]
    graph = Hook("Graph", js="export default {}")
    assert app.hook(graph) is graph
    app.live("/", ChartView)
    assert [hook.name for hook in app.hooks] == ["Clipboard", "Graph", "Chart"]
    assert app.hooks.get("Chart") is CHART and "Chart" in app.hooks and len(app.hooks) == 3
    app.hook(Hook("Chart", js=SOURCE))  # the same hook again: fine
    app.live("/again", ChartView)
    assert len(app.hooks) == 3


def test_register_two_hooks_under_one_name_is_an_error() -> None:
    app = App(secret_key=SECRET, hooks=[Hook("Chart")])
    with pytest.raises(ValueError) as error:
        app.live("/", ChartView)
    assert str(error.value) == (
        f"ChartView.hooks: {CHART!r} is not the hook already registered as 'Chart' "
        "(Hook('Chart'), from App(hooks=[...])); one name, one hook: rename one of them"
    )
    assert app.routes == []
    with pytest.raises(ValueError, match=r"^app.hook\(Hook\('Chart', js=<3 bytes>\)\): "):
        app.hook(Hook("Chart", js="x()"))


def test_register_refuses_what_is_not_a_tuple_of_hooks() -> None:
    with pytest.raises(TypeError) as error:
        App(secret_key=SECRET, hooks=["Chart"])  # type: ignore[list-item]
    assert str(error.value) == "App(hooks=[...]): expected a pylive.Hook, got 'Chart'"

    class Single(LiveView):
        hooks = CHART  # type: ignore[assignment]  # a tuple was meant

    with pytest.raises(TypeError) as single:
        App(secret_key=SECRET).live("/", Single)
    assert str(single.value) == (
        "test_register_refuses_what_is_not_a_tuple_of_hooks.<locals>.Single.hooks: expected a "
        f"tuple of pylive.Hook, got {CHART!r}"
    )


# -- the page -------------------------------------------------------------------------------------


def test_container_lists_hook_modules_in_data_phx_hooks() -> None:
    hooks = Hooks()
    hooks.add(CHART, "test")
    hooks.add(CLIPBOARD, "test")  # no module: not listed
    hooks.add(Hook("Alpha", js="export default {}"), "test")
    assert container(p("hi"), "TOKEN", hooks.attribute()) == (
        '<div id="phx-main" data-phx-main data-phx-session="TOKEN" data-phx-hooks="{&#34;Alpha'
        f"&#34;:&#34;/_pylive/hooks/Alpha.{sha12('export default {}')}.js&#34;,&#34;Chart"
        f'&#34;:&#34;/_pylive/hooks/Chart.{sha12(SOURCE)}.js&#34;}}"><p>hi</p></div>'
    )
    browser_only = Hooks()
    browser_only.add(CLIPBOARD, "test")
    assert browser_only.attribute() is None
    assert container(p("hi"), "T", browser_only.attribute()) == (
        '<div id="phx-main" data-phx-main data-phx-session="T"><p>hi</p></div>'
    )


def test_page_of_an_app_with_hooks_carries_data_phx_hooks() -> None:
    app = App(secret_key=SECRET, indicators=False)
    app.live("/", ChartView)
    html = page(app, div(id="chart", phx_hook=CHART), "TOKEN", None, "CSRF")
    attribute = f'data-phx-hooks="{{&#34;Chart&#34;:&#34;{CHART.url}&#34;}}"'
    assert f'<div id="phx-main" data-phx-main data-phx-session="TOKEN" {attribute}>' in html
    plain = App(secret_key=SECRET, hooks=[CLIPBOARD])
    assert "data-phx-hooks" not in page(plain, p("x"), "TOKEN", None, "CSRF")


# -- the render check -----------------------------------------------------------------------------


def registry(*hooks: Hook) -> Hooks:
    out = Hooks()
    for hook in hooks:
        out.add(hook, "test")
    return out


def check_error(tree: Tree, *hooks: Hook) -> str:
    with pytest.raises(InvalidHook) as error:
        check_hooks(tree, registry(*hooks), "ChartView")
    assert isinstance(error.value, ValueError) and isinstance(error.value, PyliveError)
    return str(error.value)


def test_check_hook_element_needs_an_id() -> None:
    tree = div(p("x"), div(class_="chart", phx_hook=CHART))
    assert check_error(tree, CHART) == (
        'phx-hook="Chart" on <div class="chart"> in ChartView.render: the element needs a unique '
        "id (LiveView's rule: hooks find their element by id)"
    )
    assert check_error(div(id="", phx_hook="Chart"), CHART).startswith(
        'phx-hook="Chart" on <div id=""> in ChartView.render: the element needs a unique id'
    )


def test_check_hook_name_must_be_registered() -> None:
    tree = div(id="c", phx_hook="Chrat")
    assert check_error(tree, CHART, CLIPBOARD) == (
        'phx-hook="Chrat" on <div id="c"> in ChartView.render names no registered hook; '
        'registered: Chart, Clipboard. Declare it: App(hooks=[Hook("Chrat", js=...)]) or '
        'Hook("Chrat") for a hook defined in the browser'
    )
    assert "registered: none." in check_error(tree)


def test_check_hook_ids_must_be_unique() -> None:
    tree = div(div(id="c", class_="a", phx_hook=CHART), p("text", id="c", key="other"))
    assert check_error(tree, CHART) == (
        'phx-hook="Chart" on <div id="c" class="a"> in ChartView.render: the element needs a '
        "unique id, and 'c' is also the id of <p id=\"c\"> in ChartView.render (LiveView's "
        "rule: hooks find their element by id)"
    )


def test_check_passes_a_good_tree_and_ignores_raw_html_and_text_rows() -> None:
    good = div(div(id="a", phx_hook=CHART), div(id="b", phx_hook=CLIPBOARD))
    check_hooks(good, registry(CHART, CLIPBOARD), "ChartView")
    opaque = div(Raw('<div phx-hook="Nope"></div>'), ul([li(str(n), key=n) for n in range(20)]))
    check_hooks(opaque, registry(), "ChartView")
    check_hooks(None, registry(), "ChartView")


# -- in a live view: the test client, debug apps, production apps --------------------------------


class MissingId(LiveView):
    def render(self, assigns: Any) -> Tree:
        return div(p("chart:"), div(class_="chart", phx_hook=CHART))


class Chart(LiveComponent):
    hooks = (CHART,)

    def render(self, assigns: Any) -> Tree:
        return div(div(class_="plot", phx_hook=assigns.hook), id=assigns.id)


class InComponent(LiveView):
    def render(self, assigns: Any) -> Tree:
        return div(live_component(Chart, id="c1", hook="Chart"))


MISSING_ID = (
    'phx-hook="Chart" on <div class="chart"> in MissingId.render: the element needs a unique id '
    "(LiveView's rule: hooks find their element by id)"
)


def make_app(view: type[LiveView], **options: Any) -> App:
    app = App(secret_key=SECRET, hooks=[CHART], **options)
    app.live("/", view)
    return app


def test_test_client_checks_every_render() -> None:
    with pytest.raises(InvalidHook) as error:
        live(make_app(MissingId), "/")
    assert str(error.value) == MISSING_ID


def test_check_names_the_component_whose_render_placed_the_element() -> None:
    with pytest.raises(InvalidHook) as error:
        live(make_app(InComponent), "/")
    assert str(error.value) == (
        'phx-hook="Chart" on <div class="plot"> in Chart(id=\'c1\').render: the element needs '
        "a unique id (LiveView's rule: hooks find their element by id)"
    )


class FakeTransport:
    def __init__(self, incoming: list[str]) -> None:
        self.incoming = incoming
        self.sent: list[str] = []

    async def recv(self) -> str | None:
        return self.incoming.pop(0) if self.incoming else None

    async def send(self, text: str) -> None:
        self.sent.append(text)

    async def close(self, code: int, reason: str = "") -> None:
        self.sent.append(f"closed {code}")


def converse(app: App, *events: str) -> list[Any]:
    """Join ``/`` and send a click per event name; every frame the server sent, decoded."""
    route = app.routes[0]
    token = app.tokens.issue(route.pattern, route.name, {})
    frames = [
        orjson.dumps({"type": "join", "ref": 0, "token": token, "url": "http://h/"}).decode(),
        *(
            orjson.dumps(
                {"type": "event", "ref": n, "kind": "click", "event": e, "value": {}}
            ).decode()
            for n, e in enumerate(events, 1)
        ),
    ]
    transport = FakeTransport(frames)
    asyncio.run(Connection(app, transport).run())
    return [orjson.loads(text) for text in transport.sent]


def http_render(app: App) -> str:
    route = app.routes[0]
    dead = asyncio.run(dead_render(app, route, {}, "http://h/", {}))
    return render_html(dead.tree)


def test_debug_app_checks_renders_and_a_failing_check_crashes_the_view(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app(MissingId, debug=True)
    with pytest.raises(InvalidHook, match=re.escape(MISSING_ID)):
        http_render(app)
    assert converse(app) == [{"type": "error", "reason": "crash", "ref": 0}]
    crash = [r for r in caplog.records if r.exc_info and isinstance(r.exc_info[1], InvalidHook)]
    assert [str(r.exc_info[1]) for r in crash if r.exc_info] == [MISSING_ID]


def test_production_app_does_not_check() -> None:
    app = make_app(MissingId)
    assert http_render(app) == (
        '<div id="flash-group"></div><div><p>chart:</p><div class="chart" phx-hook="Chart">'
        "</div></div>"
    )
    joined = converse(app)[0]
    assert joined["ref"] == 0 and "tree" in joined


# -- a component's hooks --------------------------------------------------------------------------


class Modal(LiveComponent):
    hooks = (Hook("Modal", js="export default { mounted() {} }"),)

    def render(self, assigns: Any) -> Tree:
        return div(div(id="modal-body", phx_hook="Modal"), id=assigns.id)


class Opens(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(open=bool(params.get("open")))

    def render(self, assigns: Any) -> Tree:
        return div(
            button("open", id="open", phx_click="open"),
            live_component(Modal, id="m") if assigns.open else None,
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        socket.assign(open=True)


class OpensListing(Opens):
    hooks = Modal.hooks


def test_component_on_the_page_brings_its_hooks() -> None:
    app = App(secret_key=SECRET, indicators=False)
    app.live("/", Opens)
    assert "Modal" not in app.hooks
    with live(app, "/?open=1") as view:
        assert app.hooks.get("Modal") is Modal.hooks[0]
        body = view.element("#modal-body").render()
    assert body == '<div id="modal-body" phx-hook="Modal"></div>'


def test_component_mounted_after_the_page_must_be_listed_in_the_view_or_app() -> None:
    app = App(secret_key=SECRET)
    app.live("/", Opens)
    with live(app, "/") as view, pytest.raises(ViewCrashed) as crashed:
        view.element("#open").click()
    cause = crashed.value.__cause__
    assert isinstance(cause, InvalidHook)
    assert str(cause) == (
        "Modal(id='m') mounted after the page of Opens was served, and its Modal.hooks declares "
        f"{Modal.hooks[0]!r}, whose module that page does not have (a page loads its hook modules "
        "before it joins); list it in Opens.hooks or App(hooks=[...]) too"
    )
    assert "Modal" not in app.hooks  # refused, so the next page does not hide the mistake

    listed = App(secret_key=SECRET)
    listed.live("/", OpensListing)
    with live(listed, "/") as view:
        html = view.element("#open").click()
    assert html.endswith('<div id="modal-body" phx-hook="Modal"></div></div></div>')


def test_component_mounted_after_the_page_registers_in_production() -> None:
    """Without debug nothing is checked: the hook is registered, pages served later load it."""
    app = App(secret_key=SECRET)
    app.live("/", Opens)
    frames = converse(app, "open")
    assert frames[1]["ref"] == 1 and "ops" in frames[1]
    assert app.hooks.get("Modal") is Modal.hooks[0]


# -- server timing --------------------------------------------------------------------------------


class Counter(LiveView):
    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Socket) -> None:
        socket.assign(count=0)

    def render(self, assigns: Any) -> Tree:
        return p(f"Count: {assigns.count}", id="count")

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        socket.update("count", lambda n: n + 1)


class CounterComponent(LiveComponent):
    def mount(self, socket: Any) -> None:
        socket.assign(n=0)

    def render(self, assigns: Any) -> Tree:
        return p(f"n={assigns.n}", id=assigns.id)

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        socket.update("n", lambda n: n + 1)


class WithComponent(LiveView):
    def render(self, assigns: Any) -> Tree:
        return div(live_component(CounterComponent, id="k"))


def test_timing_is_in_event_replies_of_debug_apps() -> None:
    app = App(secret_key=SECRET, debug=True)
    app.live("/", Counter)
    joined, reply = converse(app, "inc")
    assert "timing" not in joined
    assert reply["ref"] == 1 and reply["ops"] == [[0, [1, 0], "Count: 1"]]
    timing = reply["timing"]
    assert list(timing) == ["callback", "render", "diff"]
    assert all(type(value) is int and value >= 0 for value in timing.values())


def test_timing_of_a_component_event() -> None:
    app = App(secret_key=SECRET, debug=True)
    app.live("/", WithComponent)
    route = app.routes[0]
    token = app.tokens.issue(route.pattern, route.name, {})
    transport = FakeTransport(
        [
            orjson.dumps({"type": "join", "ref": 0, "token": token, "url": "http://h/"}).decode(),
            '{"type":"event","ref":1,"kind":"click","event":"inc","value":{},"cid":1}',
        ]
    )
    asyncio.run(Connection(app, transport).run())
    reply = orjson.loads(transport.sent[1])
    assert reply["ops"] == [[0, [1, 0, 0], "n=1"]]
    assert sorted(reply["timing"]) == ["callback", "diff", "render"]


def test_timing_absent_without_debug_frame_unchanged() -> None:
    app = App(secret_key=SECRET)
    app.live("/", Counter)
    route = app.routes[0]
    token = app.tokens.issue(route.pattern, route.name, {})
    transport = FakeTransport(
        [
            orjson.dumps({"type": "join", "ref": 0, "token": token, "url": "http://h/"}).decode(),
            '{"type":"event","ref":1,"kind":"click","event":"inc","value":{}}',
        ]
    )
    asyncio.run(Connection(app, transport).run())
    assert transport.sent[1] == '{"ref":1,"ops":[[0,[1,0],"Count: 1"]]}'
