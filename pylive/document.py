"""The HTTP page around a live view: the document shell and the live container.

The shell is static, so it is written with htpy (its strength: a whole document as Python). The
container is a pylive element: ``<div id="phx-main" data-phx-main data-phx-session="token">``, whose
children are the view's tree; every patch path starts from it. When the app has hooks with a
module, it also carries ``data-phx-hooks='{"Chart": "/_pylive/hooks/Chart.<hash>.js"}'`` (JSON,
name → URL): the client imports each module before it joins (``pylive.client_hooks``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import htpy
from markupsafe import Markup

from pylive.app import App
from pylive.html import div
from pylive.node import Tree, top_level
from pylive.render import render_html

CONTAINER_ID = "phx-main"


def container(tree: Tree | None, token: str, hooks: str | None = None) -> str:
    """The live container with the HTTP-rendered tree inside; ``hooks`` is its
    ``data-phx-hooks`` (``Hooks.attribute()``: JSON, or None for no attribute)."""
    return render_html(
        div(
            *top_level(tree),
            id=CONTAINER_ID,
            data_phx_main=True,
            data_phx_session=token,
            data_phx_hooks=hooks,
        )
    )


def default_root_layout(
    *, title: str, content: Markup, csrf_token: str, client_src: str, head: Markup
) -> str:
    """The document shell. Replace it with ``App(root_layout=...)`` (same keyword arguments)."""
    return str(
        htpy.html(lang="en")[
            htpy.head[
                htpy.meta(charset="utf-8"),
                htpy.meta(name="viewport", content="width=device-width, initial-scale=1"),
                htpy.meta(name="csrf-token", content=csrf_token),
                htpy.title[title],
                htpy.script(type="module", src=client_src),
                head,
            ],
            htpy.body[content],
        ]
    )


INDICATORS_STYLE = """\
#pylive-topbar{position:fixed;top:0;left:0;z-index:9999;height:3px;width:0;opacity:0;
background:#2563eb;box-shadow:0 0 8px #2563eb;pointer-events:none;
transition:width 2s cubic-bezier(.1,.7,.3,1),opacity .2s}
#pylive-topbar[data-state=loading]{width:85%;opacity:1}
#pylive-topbar[data-state=done]{width:100%;opacity:0;transition:width .15s,opacity .3s .15s}
.pylive-notice{position:fixed;right:1rem;bottom:1rem;z-index:9999;max-width:22rem;
padding:.75rem 1rem;border-radius:.5rem;background:#1f2937;color:#f9fafb;
font:14px/1.4 system-ui,sans-serif;box-shadow:0 6px 20px rgb(0 0 0/.25)}
.pylive-notice[hidden]{display:none}
.pylive-notice button{margin-left:.75rem;font:inherit;color:inherit;background:none;
border:1px solid currentColor;border-radius:.25rem;padding:0 .5rem;cursor:pointer}
"""
"""The indicators' look; override any of it in ``App(head=...)``."""
INDICATORS_HEAD = Markup(f"<style>{INDICATORS_STYLE}</style>")


@cache
def indicators() -> Markup:
    """The page-state indicators ``client.js`` drives: a progress bar at the top while a page
    loads (``JS.push(page_loading=True)``, live navigation), a "Disconnected — reconnecting…"
    notice while the socket is down, and a "Something went wrong — the page was reset" notice
    after a view crashed and rejoined. ``App(indicators=False)`` leaves them out."""
    return Markup(
        str(
            htpy.fragment[
                htpy.div(id="pylive-topbar", aria_hidden="true"),
                htpy.div("#pylive-disconnected.pylive-notice", role="status", hidden=True)[
                    "Disconnected — reconnecting…"
                ],
                htpy.div("#pylive-crashed.pylive-notice", role="alert", hidden=True)[
                    "Something went wrong — the page was reset. ",
                    htpy.button(type="button")["Dismiss"],
                ],
            ]
        )
    )


def page(app: App, tree: Tree | None, token: str, title: str | None, csrf_token: str) -> str:
    """The full HTML document of a live route's HTTP render."""
    layout: Any = app.root_layout or default_root_layout
    content = Markup(container(tree, token, app.hooks.attribute()))
    head = Markup(app.head)
    if app.indicators:
        content = indicators() + content
        head = INDICATORS_HEAD + head
    result = layout(
        title=title or app.title,
        content=content,
        csrf_token=csrf_token,
        client_src=app.client_js_url,
        head=head,
    )
    return str(result)
