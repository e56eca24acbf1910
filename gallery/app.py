"""The pylive gallery: every page is a live demo shown next to its own Python source.

Run it with ``scripts/demo`` (or ``python -m pylive run gallery.app:app``).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from types import ModuleType
from typing import Any

from pylive import App, LiveView, fragment
from pylive.html import a, code, details, div, h1, li, main, nav, p, pre, summary, ul

from gallery.pages import clock, counter, form, keyed_list, keys

PAGES: list[tuple[str, str, ModuleType, type[LiveView]]] = [
    ("/counter", "Counter", counter, counter.Counter),
    ("/keyed-list", "Keyed list", keyed_list, keyed_list.KeyedList),
    ("/form", "Live form", form, form.SignupForm),
    ("/clock", "Clock", clock, clock.Clock),
    ("/keys", "Key events", keys, keys.KeyEvents),
]

NAV = nav(
    a("pylive gallery", href="/", class_="brand"),
    ul(*[li(a(title, href=path)) for path, title, _, _ in PAGES]),
    class_="sidebar",
)


def shell(title: str, demo: Any, source: Any) -> Any:
    return fragment(NAV, main(h1(title), div(demo, class_="demo-box"), source, class_="content"))


def showcase(title: str, module: ModuleType, view: type[LiveView]) -> type[LiveView]:
    """The demo view, rendered inside the gallery shell with its module's source below it."""
    # Built once: the same object every render, so the diff skips it in O(1).
    source = details(
        summary("Python source"), pre(code(inspect.getsource(module))), open=True, class_="source"
    )

    def render(self: LiveView, assigns: Any) -> Any:
        return shell(title, view.render(self, assigns), source)

    page = type(f"{view.__name__}Page", (view,), {"render": render, "__module__": __name__})
    return page


class Home(LiveView):
    def render(self, assigns: Any) -> Any:
        return fragment(
            NAV,
            main(
                h1("pylive gallery"),
                p("Live views written as plain Python functions. Pick a demo:"),
                ul(*[li(a(title, href=path), " — ", (module.__doc__ or "").split("\n")[0])
                     for path, title, module, _ in PAGES]),
                class_="content",
            ),
        )


app = App(
    title="pylive gallery",
    secret_key="pylive-gallery-demo-secret-not-for-production",
    head=f"<style>{(Path(__file__).parent / 'gallery.css').read_text()}</style>",
)
app.live("/", Home)
for path, title, module, view in PAGES:
    app.live(path, showcase(title, module, view))
