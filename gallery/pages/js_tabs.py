"""Tabs: ``remove_class``, ``add_class`` and ``toggle_class`` switch tabs in the browser, with no
round trip.

Each tab's ``phx_click`` takes the ``active`` class off every tab and panel and puts it on its own
tab and panel (the stylesheet shows only the active panel); ``set_attribute`` keeps
``aria-selected`` right. ``toggle_class`` turns a compact layout on and off. The unread counter
is server state: a new message patches the Inbox tab's own ``class`` (it gains ``unread``), and
the tab you picked stays picked, because classes set by JS commands are sticky across server
patches and reconnects.

Try this: pick the Drafts tab, then click "New message": the Inbox tab turns bold with its count,
and Drafts stays open.
"""

from pylive import JS, LiveView
from pylive.html import button, div, p

TABS = [
    ("inbox", "Inbox", "Messages sent to you."),
    ("drafts", "Drafts", "Messages you started and did not send yet."),
    ("archive", "Archive", "Messages you put away."),
]


def select(name):
    return (
        JS()
        .remove_class("active", to=".tab")
        .set_attribute(("aria-selected", "false"), to=".tab")
        .remove_class("active", to=".tab-panel")
        .add_class("active", to=f"#tab-{name}")
        .set_attribute(("aria-selected", "true"), to=f"#tab-{name}")
        .add_class("active", to=f"#panel-{name}")
    )


COMPACT = JS().toggle_class("compact", to="#tabs")


class TabsPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(unread=0)

    def render(self, assigns):
        unread = assigns.unread

        def tab(name, title):
            first = name == "inbox"
            label = f"{title} ({unread})" if first and unread else title
            return button(
                label,
                id=f"tab-{name}",
                class_={"tab": True, "active": first, "unread": first and unread > 0},
                role="tab",
                aria_selected="true" if first else "false",
                aria_controls=f"panel-{name}",
                phx_click=select(name),
            )

        return div(
            div(
                div(
                    [tab(name, title) for name, title, _ in TABS], class_="tab-list", role="tablist"
                ),
                [
                    div(
                        p(text),
                        id=f"panel-{name}",
                        class_={"tab-panel": True, "active": name == "inbox"},
                        role="tabpanel",
                    )
                    for name, _, text in TABS
                ],
                id="tabs",
                class_="tabs",
            ),
            button("New message", id="new-message", phx_click="new_message"),
            button("Compact", id="compact", phx_click=COMPACT),
            class_="demo js-tabs",
        )

    def handle_event(self, event, params, socket):
        if event == "new_message":
            socket.update("unread", lambda n: n + 1)
