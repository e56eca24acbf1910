"""The HTTP page around a live view: the document shell and the live container.

The shell is static, so it is written with htpy (its strength: a whole document as Python). The
container is a pylive element: ``<div id="phx-main" data-phx-main data-phx-session="token">``, whose
children are the view's tree; every patch path starts from it.
"""

from __future__ import annotations

from typing import Any

import htpy
from markupsafe import Markup

from pylive.app import App
from pylive.html import div
from pylive.node import Tree, top_level
from pylive.render import render_html

CONTAINER_ID = "phx-main"


def container(tree: Tree | None, token: str) -> str:
    """The live container with the HTTP-rendered tree inside."""
    return render_html(
        div(*top_level(tree), id=CONTAINER_ID, data_phx_main=True, data_phx_session=token)
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


def page(app: App, tree: Tree | None, token: str, title: str | None, csrf_token: str) -> str:
    """The full HTML document of a live route's HTTP render."""
    layout: Any = app.root_layout or default_root_layout
    result = layout(
        title=title or app.title,
        content=Markup(container(tree, token)),
        csrf_token=csrf_token,
        client_src=app.client_js_url,
        head=Markup(app.head),
    )
    return str(result)
