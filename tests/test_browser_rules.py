"""The browser's rules, written once (``tests/vectors/browser_rules.json``), via the test client.

Each case is the HTML of a view, a user action and the exact frames the client sends for it: the
event payload (``phx-value-*``, an element's value), the ``phx-key`` filter, where ``phx-target``
sends the event, and how a form serialises. ``js/test/vectors.test.mjs`` runs the very same cases
with ``client.js`` in jsdom, so the test client and the browser client cannot drift apart (as
``tests/test_client_replay.py`` does for patches).

Here a real view renders the case's HTML (parsed as XML, so attribute names keep their case on
the way to the wire), each ``data-phx-component`` element being a live component that renders it,
and the test client joins it and acts; the test records every event frame it sends the server.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pylive.app import App
from pylive.assigns import Assigns
from pylive.component_registry import COMPONENT_ATTR
from pylive.html import element
from pylive.live_component import ComponentSocket, LiveComponent, live_component
from pylive.node import Node, Tree, fragment
from pylive.socket import Socket
from pylive.testing import LiveViewClient, live
from pylive.view import LiveView

VECTORS = Path(__file__).resolve().parent / "vectors" / "browser_rules.json"
CASES: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]
RULES = ("payload", "keys", "targets", "forms", "unused")


# -- the view that renders a case -----------------------------------------------------------------


def nodes_of(html: str) -> list[Node]:
    """The case's HTML as pylive nodes; a ``data-phx-component`` element is a live component."""
    root = ET.fromstring(f"<view>{html}</view>")
    return _children(root)


def _children(parent: ET.Element) -> list[Node]:
    nodes: list[Node] = [parent.text] if parent.text else []
    for child in parent:
        nodes.append(_node(child))
        if child.tail:
            nodes.append(child.tail)
    return nodes


def _node(el: ET.Element, component: bool = False) -> Node:
    attrs = dict(el.attrib)
    cid = attrs.pop(COMPONENT_ATTR, None)
    if cid is not None and not component:
        return live_component(Echo, id=cid, xml=el)
    return element(el.tag)(*_children(el), **attrs)


class Echo(LiveComponent):
    """A component rendering the XML element it is given (the components inside it are placed
    by its render, as a component's own); its events change nothing."""

    def render(self, assigns: Assigns) -> Tree:
        return _node(assigns.xml, component=True)

    def handle_event(self, event: str, params: dict[str, Any], socket: ComponentSocket) -> None:
        pass


class RulesView(LiveView):
    """A view rendering its class's ``html``; its events change nothing."""

    html: ClassVar[str] = ""

    def render(self, assigns: Assigns) -> Tree:
        return fragment(*nodes_of(self.html))

    def handle_event(self, event: str, params: dict[str, Any], socket: Socket) -> None:
        pass


def joined(html: str) -> tuple[LiveViewClient, list[dict[str, Any]]]:
    """The test client joined to a view rendering ``html``, and the list of the event frames it
    sends from now on."""
    app = App(layout=lambda content, assigns: content)
    app.live("/", type("CaseView", (RulesView,), {"html": html}))
    view = live(app, "/")
    sent: list[dict[str, Any]] = []
    exchange: Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]] = view._exchange

    async def recording(frame: dict[str, Any]) -> dict[str, Any] | None:
        sent.append(frame)
        return await exchange(frame)

    setattr(view, "_exchange", recording)  # noqa: B010 (a method replaced on one instance)
    return view, sent


# -- actions --------------------------------------------------------------------------------------


def act(view: LiveViewClient, action: dict[str, Any] | list[dict[str, Any]]) -> None:
    """Do ``action`` (or each of its steps, in order) as a test does it with the test client."""
    if isinstance(action, list):
        for step in action:
            act(view, step)
        return
    kind = action["do"]
    if kind == "click":
        view.element(action["on"]).click()
    elif kind in ("keydown", "keyup"):
        getattr(view.element(action["on"]), kind)(action["key"])
    elif kind == "window_keydown":
        view.keydown(action["key"])
    elif kind == "window_keyup":
        view.keyup(action["key"])
    elif kind == "focus":
        view.element(action["on"]).focus()
    elif kind == "blur":  # as js/vectors.mjs does: the element gets the focus, then loses it
        element = view.element(action["on"])
        element.focus()
        if element.find().get("phx-blur") is not None:  # else the blur sends nothing (and the
            element.blur()  # test client refuses a blur with nothing bound)
    elif kind == "submit":
        view.form(action["on"]).submit(action.get("submitter"))
    elif kind == "change":
        change(view, action["on"], action.get("value"))
    else:
        raise ValueError(f"unknown action {action!r}")


def change(view: LiveViewClient, selector: str, value: Any) -> None:
    """Set the control ``selector`` as ``js/vectors.mjs`` does (a checkbox or radio by a bool,
    a multiple select by a list, anything else by its text), then send its form's change."""
    control = view.element(selector).find()
    name = str(control.get("name"))
    owner = control.get("form")
    form = owner or next(control.iterancestors("form")).get("id")
    values: dict[str, Any] = {}
    if isinstance(value, bool):
        if control.get("type") == "radio":
            values[name] = str(control.get("value", "on"))
        else:
            group = view.element(f"#{form}").find().xpath(f'.//input[@name="{name}"]')
            own = str(control.get("value", "on"))
            checked = [
                str(box.get("value", "on")) for box in group if box.get("checked") is not None
            ]
            wanted = [*[v for v in checked if v != own], *([own] if value else [])]
            values[name] = value if len(group) == 1 else wanted
    elif value is not None:
        values[name] = value
    view.form(f"#{form}", **values).change(target=name)


# -- the vectors ----------------------------------------------------------------------------------


def wire_of(html: str) -> list[Any]:
    """The case's HTML in wire form (what ``js/vectors.mjs`` joins its page with)."""

    def wire(el: ET.Element) -> list[Any]:
        return [el.tag, dict(el.attrib), [*_texts(el, wire)]]

    return [*_texts(ET.fromstring(f"<view>{html}</view>"), wire)]


def _texts(parent: ET.Element, wire: Callable[[ET.Element], Any]) -> list[Any]:
    nodes: list[Any] = [parent.text] if parent.text else []
    for child in parent:
        nodes.append(wire(child))
        if child.tail:
            nodes.append(child.tail)
    return nodes


def canonical(wire: Any) -> Any:
    """A wire node with its children always present (the server leaves out an empty list)."""
    if isinstance(wire, str):
        return wire
    tag, attrs, *rest = wire
    return [tag, attrs, [canonical(child) for child in (rest[0] if rest else [])]]


def test_browser_rules_vectors_are_well_formed() -> None:
    """At least 40 cases, each named once, every rule covered; only known keys."""
    names = [case["name"] for case in CASES]
    assert len(names) >= 40
    assert len(set(names)) == len(names)
    assert {case["rule"] for case in CASES} == set(RULES)
    keys = {"name", "rule", "note", "html", "action", "frames", "refused", "test_client_frames"}
    for case in CASES:
        assert set(case) <= keys, case["name"]
        assert not case.get("refused") or case["frames"] == [], case["name"]
        assert "test_client_frames" not in case or "note" in case, case["name"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_browser_rules_case(case: dict[str, Any]) -> None:
    view, sent = joined(case["html"])
    with view:
        # The server rendered the very page client.js is given (cids included).
        assert canonical(["view", {}, view.frames[0]["tree"]]) == canonical(
            ["view", {}, wire_of(case["html"])]
        )
        if case.get("refused"):
            with pytest.raises(AssertionError, match=r"^phx-target="):
                act(view, case["action"])
        else:
            act(view, case["action"])
    assert sent == case.get("test_client_frames", case["frames"])
