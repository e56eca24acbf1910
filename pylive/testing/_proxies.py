"""Element and form proxies: one element (or ``<form>``) of a page, found by selector each time
it is used, and the events a user would fire on it (``click``, ``blur``, ``change``, ``submit``
…). ``pylive.testing.client`` hands them out (``view.element(...)``, ``view.form(...)``). They
check what the test asked makes sense (the binding exists, the form has the field) and leave the
rest to the browser side (``pylive.testing._browser``): running the binding, chain or event name,
through its rate limit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from pylive.testing import _dom
from pylive.testing import _form_state as forms
from pylive.testing._browser import change_payload, form_payload, with_source
from pylive.testing._dom import LxmlElement, Page
from pylive.testing._js import FOCUSABLE, Event, Runner
from pylive.testing._sticky import hidden

if TYPE_CHECKING:
    from pylive.testing.client import LiveViewClient, _Rendered

Text = str | re.Pattern[str] | None
"""What an element's text must contain: a str, a regex, or None for any text."""


class ElementProxy:
    """One element of a view, found by selector each time it is used."""

    def __init__(
        self, view: _Rendered, selector: str, text: Text = None, *, token: int | None = None
    ) -> None:
        self.view = view
        self.selector = selector
        self.text = text
        self._token = token

    def __repr__(self) -> str:
        text = "" if self.text is None else f", text={self.text!r}"
        return f"element({self.selector!r}{text})"

    def find(self) -> LxmlElement:
        """The lxml element (fails unless exactly one matches)."""
        self.view._sync()
        if self._token is not None:
            page = self.view._page()
            el = page.by_token.get(self._token)
            if el is None:
                raise AssertionError(f"{self!r} is no longer in the page:\n{page.pretty()}")
            return el
        return self.view._find(self.selector, self.text)

    def render(self) -> str:
        """The element's outer HTML, as the browser has it (JS commands' effects included)."""
        el = self.find()
        return self.view._page().outer_html(el)

    def exists(self) -> bool:
        return self.view.has_element(self.selector, self.text)

    def visible(self) -> bool:
        """Whether the browser shows the element, as far as the page tells: neither it nor an
        ancestor has the ``hidden`` attribute or an inline ``display: none`` (stylesheets, such
        as a ``hidden`` utility class, are not evaluated)."""
        return not hidden(self.find())

    def value(self) -> str:
        """The control's live value, as the DOM's ``.value`` reads it: what the test typed into
        it (``form(...).change()``/``.submit()``, a recovery), until the server's value for it
        changes or a submit's ack resets the form; else the value rendered. A select gives its
        (first) selected option's value, a checkbox or radio its ``value`` attribute."""
        el = self.find()
        if el.tag == "select":
            values = _dom.selected_values(el)
            return values[0] if values else ""
        if el.tag == "textarea":
            return _dom.textarea_value(el)
        if el.tag == "input":
            kind = _dom.input_type(el)
            return str(el.get("value", "on" if kind in _dom.CHECKABLE else ""))
        raise AssertionError(
            f"{self!r} is a <{el.tag}>, not a form control with a value:\n"
            f"{self.view._page().describe(el)}"
        )

    def checked(self) -> bool:
        """Whether the checkbox or radio is checked, as the DOM's ``.checked`` reads it (a click
        or a ``change`` of the test toggles it until the server's ``checked`` changes)."""
        el = self.find()
        if el.tag != "input" or _dom.input_type(el) not in _dom.CHECKABLE:
            raise AssertionError(
                f"{self!r} is not a checkbox or radio:\n{self.view._page().describe(el)}"
            )
        return _dom.is_checked(el)

    def click(self, value: Mapping[str, Any] | None = None) -> str:
        """Click: run the element's ``phx-click`` (an event name sends that event with its
        values, ``value`` merged over them; a JS chain runs), after the ``phx-click-away`` of
        every visible element that does not contain it; returns the new render. A click on (or
        inside) a ``link(patch=...)`` or ``link(navigate=...)`` makes its live navigation, as
        the browser does (``assert_patch`` / ``assert_navigate`` then see it). A reset button
        (``type="reset"``) then resets its form, as the browser does: every control shows the
        server's value again, none counts as used, and the form's ``phx-change`` goes with every
        field and the button's name as ``_target``."""
        view, el, page = self._acting("click")
        link = el if el.tag == "a" else next(el.iterancestors("a"), None)
        if link is not None and link.get("data-phx-link") in ("patch", "redirect"):
            if el.get("phx-click") is not None:
                view._browser.click(el, dict(value or {}))
            kind = "patch" if link.get("data-phx-link") == "patch" else "navigate"
            replace = link.get("data-phx-link-state") == "replace"
            return view._go(kind, str(link.get("href") or "/"), replace)
        resets = _dom.is_reset_button(el) and _dom.form_of(page, el) is not None
        if el.get("phx-click") is None and not resets:
            holder = _dom.closest_with(el, "phx-click")
            if holder is not None or not view._browser.click_aways(page, el):
                self._missing(el, "phx-click", "click")
        view._browser.click(el, dict(value or {}))
        return view._html()

    def focus(self, value: Mapping[str, Any] | None = None) -> str:
        """Focus the element (the one that had the focus loses it first) and run its
        ``phx-focus``, as ``click`` does. An element without ``phx-focus`` must be one a user
        can focus (a control, a link, ``[tabindex]`` …)."""
        view, el, page = self._acting("focus")
        if el.get("phx-focus") is None and el not in page.select(FOCUSABLE):
            self._missing(el, "phx-focus", "focus")
        view._browser.focus(el, dict(value or {}))
        return view._html()

    def blur(self, value: Mapping[str, Any] | None = None) -> str:
        """Leave the element: its pending debounced change is sent (``phx-debounce``), then its
        ``phx-blur`` runs; ``value={"value": "typed"}`` stands for what the user typed before
        leaving the field."""
        view, el, page = self._acting("blur")
        browser = view._browser
        form = _dom.form_of(page, el)
        limited = browser.limit(el, form) is not None or browser.limits.bound(
            browser.token(el, "blur")
        )
        if el.get("phx-blur") is None and not limited:
            self._missing(el, "phx-blur", "blur")
        browser.blur(el, dict(value or {}))
        return view._html()

    def keydown(self, key: str) -> str:
        """Press ``key`` on the element (``phx-keydown``, filtered by ``phx-key``)."""
        return self._key("keydown", key)

    def keyup(self, key: str) -> str:
        return self._key("keyup", key)

    def _key(self, kind: str, key: str) -> str:
        view, el, _ = self._acting(kind)
        if el.get(f"phx-{kind}") is None:
            self._missing(el, f"phx-{kind}", kind)
        if _dom.key_matches(el, key):  # else phx-key filtered it out, as in the browser
            view._browser.key(el, kind, key)
        return view._html()

    def _acting(self, kind: str) -> tuple[LiveViewClient, LxmlElement, _dom.Page]:
        view = self.view._live(f"{kind} {self!r}")
        el = self.find()
        return view, el, view._page()

    def _missing(self, el: LxmlElement, attribute: str, kind: str) -> NoReturn:
        page = self.view._page()
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
        name, default: the first value given) as ``_target``; a JS chain there runs instead.
        The field's (else the form's) ``phx-debounce`` or ``phx-throttle`` applies, on the test
        client's clock. Values are taken as the browser takes them: a textarea's CRLF and CR
        become LF; text that is no number yet (``"1e"``, ``"-"``) in a number input reads
        ``""``, and a change of that input sends nothing. Returns the new render."""
        view = self.view._live(f"change {self!r}")
        view._sync()
        pairs, form, fields, changed = self._serialize(None)
        page = view._page()
        browser = view._browser
        if target is None and changed:
            target = changed[0]
        if target is not None and target not in {f.name for f in fields}:
            raise AssertionError(
                f"{self!r}: change target {target!r} is not a field of the form:\n"
                f"{page.describe(form)}"
            )
        # The control that changed: of the fields with that name (a group of checkboxes), the
        # first whose value the test changed, else the first; and that control as rendered.
        named = [
            (f, before)
            for f, before in zip(fields, _dom.form_fields(page, form), strict=True)
            if f.name == target
        ]
        edited = [(f, before) for f, before in named if f.values != before.values]
        field, rendered = (edited or named)[0] if named else (None, None)
        own = field if field is not None and field.el.get("phx-change") is not None else None
        if own is None and form.get("phx-change") is None:
            raise AssertionError(f"{self!r} has no phx-change attribute:\n{page.describe(form)}")
        form_token = browser.token(form, "change")
        own_token = None if own is None else browser.token(own.el, "change")
        source = form if own is None else own.el

        def payload(page: Page, el: LxmlElement) -> list[list[str]]:
            """The pairs as the browser serialises them when the event goes (a debounced one
            later), with the test's values laid over the fields; a control with its own
            phx-change sends only its own."""
            current = page.by_token.get(form_token)
            if current is None:
                return []
            found = self._fields(page, current)
            controls = forms.form_controls(page, current)
            if own_token is None:
                return forms.with_unused(page, controls, _dom.serialize(found))
            mine = page.by_token.get(own_token)
            pairs = [[f.name, value] for f in found if f.el is mine for value in f.values]
            same = [
                el for el in controls if mine is not None and el.get("name") == mine.get("name")
            ]
            return forms.with_unused(page, same, pairs)

        token = browser.token(source, "change")
        control = token if field is None else browser.token(field.el, "change")
        event = Event(
            "change",
            with_source(token, payload, change_payload),
            target=target,
            holder=None if own is None else form_token,
        )
        typed = set(changed) | ({target} if target is not None else set())
        if field is not None and field.unfinished:
            # A number input holding text that is no number yet: the browser sends no change
            # (nor counts the input as used); the field reads "" until a number is typed.
            browser.type_fields([f for f in fields if f.name in typed], used=False)
            return view._html()
        browser.type_fields([f for f in fields if f.name in typed])
        browser.act(
            lambda runner: browser.limited(
                token,
                "phx-change",
                event,
                control=control,
                holder=form_token,
                signature=None if field is None else _dom.field_value(field),
                initial=None if rendered is None else _dom.field_value(rendered),
            )
        )
        return view._html()

    def submit(self, submitter: str | None = None) -> str:
        """Send the form's ``phx-submit`` (a JS chain there runs instead), after any change its
        fields' ``phx-debounce`` still holds back; ``submitter`` (a selector inside the form)
        names the button pressed, whose name and value are included. Returns the new render."""
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
        pairs, form, fields, changed = self._serialize(button)
        if form.get("phx-submit") is None:
            raise AssertionError(f"{self!r} has no phx-submit attribute:\n{page.describe(form)}")
        browser = view._browser
        token = browser.token(form, "submit")
        event = Event("submit", with_source(token, lambda page, el: pairs, form_payload))
        pressed = None
        if button is not None and button.get("name"):
            pressed = (
                browser.token(button, "submit"),
                str(button.get("name")),
                str(button.get("value", "")),
            )
        browser.type_fields([f for f in fields if f.name in changed])

        def body(runner: Runner) -> None:
            browser.submit(runner, token, event, pressed)

        browser.act(body)
        return view._html()

    def _fields(self, page: Page, form: LxmlElement) -> list[_dom.Field]:
        """``form``'s fields on ``page`` with the test's values laid over them."""
        fields = _dom.form_fields(page, form)
        for name, value in _dom.flatten(self.values):
            try:
                _dom.overlay(fields, name, value)
            except _dom.FormError as error:
                raise _dom.FormError(f"{self!r}: {error}:\n{page.describe(form)}") from None
        return fields

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
