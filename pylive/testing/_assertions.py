"""What a live view sent, asserted: the ``assert_*`` methods of ``LiveViewClient`` — the DOM
events ``JS.dispatch`` fired, the navigations ``JS.navigate``/``JS.patch`` asked for, the events
``socket.push_event`` pushed, the real submits ``phx-trigger-action`` made, and the redirect.
Each ``assert_*`` consumes the first match and fails listing what is left."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pylive.testing._form_state import TriggerAction
from pylive.testing._js import Dispatched, Navigation

ANY: Any = object()
"""An argument not given: any value matches."""


class ServerAssertions:
    """The assertions mixed into ``LiveViewClient``, over what it recorded."""

    dispatched: list[Dispatched]
    navigations: list[Navigation]
    pushed: list[tuple[str, Any]]
    triggered: list[TriggerAction]
    redirected_to: str | None
    _sync: Callable[[], None]
    """``LiveViewClient._sync``: run the loop until the page has settled."""

    def assert_dispatched(
        self, event: str, detail: Any = ANY, to: str | None = None
    ) -> dict[str, Any]:
        """Consume the first DOM event ``JS.dispatch`` fired named ``event`` (with ``detail``,
        on an element matching ``to``, when given) and return its detail; fail listing what
        was dispatched."""
        self._sync()
        for index, fired in enumerate(self.dispatched):
            if (
                fired.event == event
                and (detail is ANY or fired.detail == detail)
                and (to is None or fired.matches(to))
            ):
                del self.dispatched[index]
                return fired.detail
        wanted = event + ("" if detail is ANY else f" {detail!r}") + (f" to {to!r}" if to else "")
        listing = (
            "\n".join(f"    {d.event} {d.detail!r} to {d.target}" for d in self.dispatched)
            or "    (none)"
        )
        raise AssertionError(
            f"no dispatched event {wanted}; dispatched and not yet asserted:\n{listing}"
        )

    def assert_navigate(self, href: str) -> None:
        """Consume the first navigation to another view at ``href``: a ``JS.navigate``, a
        ``link(navigate=...)`` clicked, or the server's ``push_navigate``; fail listing what was
        asked for."""
        self._assert_navigation("navigate", href)

    def assert_patch(self, href: str) -> None:
        """Consume the first patch to ``href``: a ``JS.patch``, a ``link(patch=...)`` clicked,
        ``render_patch``, or the server's ``push_patch``; fail listing what was asked for."""
        self._assert_navigation("patch", href)

    def _assert_navigation(self, kind: str, href: str) -> None:
        self._sync()
        for index, navigation in enumerate(self.navigations):
            if navigation.kind == kind and navigation.href == href:
                del self.navigations[index]
                return
        listing = (
            "\n".join(
                f"    {n.kind} {n.href!r}" + (" (replace)" if n.replace else "")
                for n in self.navigations
            )
            or "    (none)"
        )
        raise AssertionError(
            f"expected a {kind} to {href!r}; navigations asked for and not yet asserted:\n{listing}"
        )

    def assert_push_event(self, name: str, payload: Any = ANY) -> Any:
        """Consume the first pushed event named ``name`` (with ``payload``, when given) and
        return its payload; fail listing what was pushed."""
        self._sync()
        for index, (pushed, data) in enumerate(self.pushed):
            if pushed == name and (payload is ANY or data == payload):
                del self.pushed[index]
                return data
        wanted = name if payload is ANY else f"{name} {payload!r}"
        listing = "\n".join(f"    {n} {p!r}" for n, p in self.pushed) or "    (none)"
        raise AssertionError(f"no pushed event {wanted}; pushed and not yet asserted:\n{listing}")

    def assert_trigger_action(
        self,
        action: str | None = None,
        data: Mapping[str, Any] | list[list[str]] | None = None,
        *,
        method: str | None = None,
        form: str | None = None,
    ) -> TriggerAction:
        """Consume the first real HTTP submit a ``phx-trigger-action`` form made (after a patch
        or a join render turned the attribute on) and return it: its ``action`` (the page's
        path when the form has none), ``method`` (lowercase, ``"get"`` by default), ``pairs``
        (the form's fields as ``FormData`` gives them, then the name and value of the last
        ``phx-submit``'s submitter) and ``data`` (the pairs decoded, as the server decodes a
        form). Each given argument must match: ``data`` a dict (compared with ``data``) or a
        list of ``[name, value]`` pairs (compared with ``pairs``), ``form`` a selector the form
        was found by (``"#login"``). Fails listing what was submitted.

        LiveViewTest's ``follow_trigger_action`` also performs the request; here the HTTP
        handler is yours to call with what this returns."""
        self._sync()
        for index, made in enumerate(self.triggered):
            if (
                (action is None or made.action == action)
                and (method is None or made.method == method.lower())
                and (form is None or made.form == form)
                and (
                    data is None
                    or (made.pairs == data if isinstance(data, list) else made.data == data)
                )
            ):
                del self.triggered[index]
                return made
        wanted = ", ".join(
            f"{name}={value!r}"
            for name, value in (("action", action), ("data", data), ("method", method))
            if value is not None
        )
        listing = (
            "\n".join(
                f"    {t.form}: {t.method.upper()} {t.action} {t.pairs!r}" for t in self.triggered
            )
            or "    (none)"
        )
        raise AssertionError(
            f"expected a phx-trigger-action submit ({wanted or 'any'}); submits made and not yet "
            f"asserted:\n{listing}"
        )

    def assert_redirect(self, to: str) -> None:
        """Assert the view redirected (``socket.redirect``) to ``to``."""
        self._sync()
        if self.redirected_to != to:
            raise AssertionError(f"expected a redirect to {to!r}, got {self.redirected_to!r}")

    def refute_redirect(self) -> None:
        """Assert the view did not redirect (LiveViewTest's ``refute_redirected``)."""
        self._sync()
        if self.redirected_to is not None:
            raise AssertionError(f"expected no redirect, got one to {self.redirected_to!r}")
