"""Element and form proxies: one element (or ``<form>``) of a page, found by selector each time
it is used, and the events a user would fire on it (``click``, ``blur``, ``change``, ``submit``
…). ``pylive.testing.client`` hands them out (``view.element(...)``, ``view.form(...)``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pylive.testing import _dom
from pylive.testing._dom import LxmlElement

if TYPE_CHECKING:
    from pylive.testing.client import LiveViewClient, _Rendered

Text = str | re.Pattern[str] | None
"""What an element's text must contain: a str, a regex, or None for any text."""


class ElementProxy:
    """One element of a view, found by selector each time it is used."""

    def __init__(self, view: _Rendered, selector: str, text: Text = None) -> None:
        self.view = view
        self.selector = selector
        self.text = text

    def __repr__(self) -> str:
        text = "" if self.text is None else f", text={self.text!r}"
        return f"element({self.selector!r}{text})"

    def find(self) -> LxmlElement:
        """The lxml element (fails unless exactly one matches)."""
        self.view._sync()
        return self.view._find(self.selector, self.text)

    def render(self) -> str:
        """The element's outer HTML."""
        el = self.find()
        return self.view._page().outer_html(el)

    def exists(self) -> bool:
        return self.view.has_element(self.selector, self.text)

    def click(self, value: Mapping[str, Any] | None = None) -> str:
        """Click: send the element's ``phx-click`` event with its values (``value`` merged
        over them); returns the new render."""
        return self._fire("click", "phx-click", {}, dict(value or {}))

    def focus(self, value: Mapping[str, Any] | None = None) -> str:
        """Send the element's ``phx-focus`` event, as ``click`` does."""
        return self._fire("focus", "phx-focus", {}, dict(value or {}))

    def blur(self, value: Mapping[str, Any] | None = None) -> str:
        """Send the element's ``phx-blur`` event; ``value={"value": "typed"}`` stands for what
        the user typed before leaving the field."""
        return self._fire("blur", "phx-blur", {}, dict(value or {}))

    def keydown(self, key: str) -> str:
        """Press ``key`` on the element (``phx-keydown``, filtered by ``phx-key``)."""
        return self._fire("keydown", "phx-keydown", {"key": key}, {}, key)

    def keyup(self, key: str) -> str:
        return self._fire("keyup", "phx-keyup", {"key": key}, {}, key)

    def _fire(
        self,
        kind: str,
        attribute: str,
        before: dict[str, Any],
        after: dict[str, Any],
        key: str | None = None,
    ) -> str:
        """Send ``kind`` with ``{**before, **values of the element, **after}``."""
        view = self.view._live(f"{kind} {self!r}")
        el = self.find()
        page = view._page()
        event = el.get(attribute)
        if event is None:
            hint = ""
            holder = _dom.closest_with(el, attribute)
            if holder is not None:
                hint = (
                    f"\nan ancestor has {attribute}={holder.get(attribute)!r}; select it "
                    f"instead:\n{page.describe(holder)}"
                )
            raise AssertionError(
                f"{self!r} has no {attribute} attribute, so a {kind} sends nothing:\n"
                f"{page.describe(el)}{hint}"
            )
        event = str(event)
        if event.startswith("["):
            raise AssertionError(
                f"{self!r}: {attribute} holds JS commands ({event}), which the test client "
                "does not run"
            )
        if key is not None and not _dom.key_matches(el, key):
            return view._html()  # phx-key filtered it out, as in the browser
        self._send(view, el, kind, event, {**before, **_dom.event_values(el), **after})
        return view._html()

    def _send(
        self, view: LiveViewClient, el: LxmlElement, kind: str, event: str, value: Any
    ) -> None:
        """The event frames for this element: one per target its ``phx-target`` names (a
        component, or the view)."""
        for cid in view._targets(el):
            view._event(kind, event, value, cid=cid)


class FormProxy:
    """A ``<form>`` of a view with values laid over its fields; ``change()`` or ``submit()``."""

    def __init__(self, view: _Rendered, selector: str, values: Mapping[str, Any]) -> None:
        self.view = view
        self.selector = selector
        self.values = dict(values)

    def __repr__(self) -> str:
        return f"form({self.selector!r})"

    def render(self) -> str:
        return ElementProxy(self.view, self.selector).render()

    def data(self) -> list[list[str]]:
        """The ``[[name, value], ...]`` pairs the form would send now."""
        self.view._sync()
        return self._serialize(None)[0]

    def change(self, target: str | None = None) -> str:
        """Send the form's ``phx-change`` (or the changed field's own) with ``target`` (a field
        name, default: the first value given) as ``_target``; returns the new render."""
        view = self.view._live(f"change {self!r}")
        view._sync()
        pairs, form, fields, changed = self._serialize(None)
        page = view._page()
        if target is None and changed:
            target = changed[0]
        if target is not None and target not in {f.name for f in fields}:
            raise AssertionError(
                f"{self!r}: change target {target!r} is not a field of the form:\n"
                f"{page.describe(form)}"
            )
        own = next(
            (f for f in fields if f.name == target and f.el.get("phx-change") is not None), None
        )
        if own is not None:  # a control with its own phx-change sends only its own value
            event = str(own.el.get("phx-change"))
            pairs = [[own.name, value] for value in own.values]
            targets = view._targets(own.el, form)
        elif form.get("phx-change") is not None:
            event = str(form.get("phx-change"))
            targets = view._targets(form)
        else:
            raise AssertionError(f"{self!r} has no phx-change attribute:\n{page.describe(form)}")
        for cid in targets:
            view._event("change", event, pairs, target, cid=cid)
        return view._html()

    def submit(self, submitter: str | None = None) -> str:
        """Send the form's ``phx-submit``; ``submitter`` (a selector inside the form) names the
        button pressed, whose name and value are included. Returns the new render."""
        view = self.view._live(f"submit {self!r}")
        view._sync()
        form = view._find(self.selector, None)
        page = view._page()
        button = None
        if submitter is not None:
            inside = [el for el in page.select(submitter) if form in el.iterancestors()]
            if len(inside) != 1:
                raise AssertionError(
                    f"{self!r}: submitter {submitter!r} matches {len(inside)} elements of the "
                    f"form, expected one:\n{page.describe(form)}"
                )
            button = inside[0]
            if not (
                (button.tag == "button" and (button.get("type") or "submit").lower() == "submit")
                or (button.tag == "input" and _dom.input_type(button) in ("submit", "image"))
            ):
                raise AssertionError(
                    f"{self!r}: submitter {submitter!r} is not a submit button:\n"
                    f"{page.describe(button)}"
                )
        pairs, form, _, _ = self._serialize(button)
        event = form.get("phx-submit")
        if event is None:
            raise AssertionError(f"{self!r} has no phx-submit attribute:\n{page.describe(form)}")
        for cid in view._targets(form):
            view._event("submit", str(event), pairs, cid=cid)
        return view._html()

    def _serialize(
        self, submitter: LxmlElement | None
    ) -> tuple[list[list[str]], LxmlElement, list[_dom.Field], list[str]]:
        """The pairs to send, the form, its fields (values overlaid) and the names set."""
        form = self.view._find(self.selector, None)
        page = self.view._page()
        if form.tag != "form":
            raise AssertionError(
                f"{self!r} is a <{form.tag}>, not a <form>:\n{page.describe(form)}"
            )
        fields = _dom.form_fields(page, form)
        names: list[str] = []
        for name, value in _dom.flatten(self.values):
            try:
                names.append(_dom.overlay(fields, name, value))
            except _dom.FormError as error:
                raise _dom.FormError(f"{self!r}: {error}:\n{page.describe(form)}") from None
        return _dom.serialize(fields, submitter), form, fields, names
