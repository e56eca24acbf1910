"""Dropdown: a menu toggled in the browser by ``JS().toggle``, closed by a click away from it.

The button's ``phx_click`` holds one chain: ``toggle`` shows or hides the menu through a fade, and
``toggle_attribute(("aria-expanded", "true", "false"))`` flips the button's ``aria-expanded`` for
screen readers, all without a message to the server. ``phx_click_away`` on the dropdown closes it
when a click lands outside (a press that starts inside and ends outside is no click away). Only
picking an item talks to the server: ``JS().push("pick", value=...)`` followed by the same
closing chain.

Try this: open the menu, click elsewhere on the page to close it; open it again and pick an item.
"""

from pylive import JS, LiveView
from pylive.html import button, div, li, p, span, ul

ITEMS = ["Profile", "Settings", "Sign out"]
SHOW = ("fade-in", "opacity-0", "opacity-100")
HIDE = ("fade-out", "opacity-100", "opacity-0")

TOGGLE = (
    JS()
    .toggle(to="#menu", in_=SHOW, out=HIDE)
    .toggle_attribute(("aria-expanded", "true", "false"), to="#menu-button")
)
CLOSE = (
    JS()
    .hide(to="#menu", transition=HIDE)
    .set_attribute(("aria-expanded", "false"), to="#menu-button")
)


def pick(item):
    return JS().push("pick", value={"item": item}).concat(CLOSE)


class DropdownPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(picked=None)

    def render(self, assigns):
        return div(
            div(
                button(
                    "Account ▾",
                    id="menu-button",
                    aria_haspopup="menu",
                    aria_expanded="false",
                    aria_controls="menu",
                    phx_click=TOGGLE,
                ),
                ul(
                    li(span("Signed in as ada"), class_="menu-header", id="menu-header"),
                    [
                        li(
                            button(
                                item,
                                id=f"item-{item.lower().replace(' ', '-')}",
                                role="menuitem",
                                phx_click=pick(item),
                            )
                        )
                        for item in ITEMS
                    ],
                    id="menu",
                    class_="menu",
                    role="menu",
                    style="display: none",
                ),
                id="dropdown",
                class_="dropdown",
                phx_click_away=CLOSE,
            ),
            p(f"Picked: {assigns.picked or 'nothing yet'}", id="picked"),
            p("Elsewhere on the page: click here to close the menu.", id="elsewhere"),
            class_="demo js-dropdown",
        )

    def handle_event(self, event, params, socket):
        if event == "pick" and params.get("item") in ITEMS:
            socket.assign(picked=params["item"])
