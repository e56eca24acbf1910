"""``link``: LiveView's ``<.link>`` — an ``<a>`` that moves between live pages without a page
load, with a plain ``href`` that works without JavaScript.

``link("Next", patch="/items?page=2")`` stays in the view (its ``handle_params`` runs);
``link("Users", navigate="/users")`` mounts the view of that path over the same websocket (a page
load when it is in another live session); ``link("PDF", href="/report.pdf")`` is a plain link.
``replace=True`` replaces the browser's history entry instead of adding one.

It is exported as ``pylive.link``; ``pylive.html.link`` stays the ``<link>`` element (import one
under another name if a module needs both: ``from pylive import link as live_link``).

>>> from pylive.render import render_html
>>> render_html(link("Next", patch="/items?page=2", class_="next"))
'<a href="/items?page=2" data-phx-link="patch" data-phx-link-state="push" class="next">Next</a>'
>>> render_html(link("Users", navigate="/users", replace=True))
'<a href="/users" data-phx-link="redirect" data-phx-link-state="replace">Users</a>'
"""

from __future__ import annotations

from typing import Any

from pylive.html import a
from pylive.node import Element
from pylive.urls import local_path


def link(
    *children: Any,
    patch: str | None = None,
    navigate: str | None = None,
    href: str | None = None,
    replace: bool = False,
    **attrs: Any,
) -> Element:
    """An ``<a>`` to ``patch`` (same view), ``navigate`` (another live view) or ``href`` (a
    plain link): exactly one of them."""
    given = {"patch": patch, "navigate": navigate, "href": href}
    chosen = [(kind, to) for kind, to in given.items() if to is not None]
    if len(chosen) != 1:
        raise ValueError(
            "link: expected exactly one of patch=, navigate= or href=, got "
            + (", ".join(f"{kind}={to!r}" for kind, to in chosen) or "none")
        )
    kind, to = chosen[0]
    if kind == "href":
        return a(*children, href=to, **attrs)
    target = local_path(str(to), f"link({kind}=...)")
    return a(
        *children,
        href=target,
        data_phx_link="patch" if kind == "patch" else "redirect",
        data_phx_link_state="replace" if replace else "push",
        **attrs,
    )
