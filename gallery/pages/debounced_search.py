"""Debounced search: ``phx_debounce`` and ``phx_throttle`` decide how often the browser talks to
the server.

The search field has ``phx_debounce="300"``: typing sends nothing until the field has been quiet
for 300 ms, then one ``phx-change`` with the last value, and the server filters the list. Leaving
the field sends a pending change at once. The nickname field has ``phx_debounce="blur"``: it sends
only when you leave it, and only if its value changed. The button has ``phx_throttle="1000"``:
the first click goes at once and repeats within a second are dropped. The counters show what the
server really received.

Try this: type "is" quickly into the search field and watch the change counter go up by one;
then click the throttled button as fast as you can.
"""

from pylive import LiveView
from pylive.html import button, div, form, input, label, li, p, ul

NAMES = [
    "abs", "all", "any", "bool", "callable", "chr", "dict", "dir", "enumerate", "filter",
    "float", "format", "getattr", "hasattr", "hash", "isinstance", "issubclass", "iter", "len",
    "list", "map", "max", "min", "repr", "reversed", "round", "sorted", "str", "sum", "zip",
]  # fmt: skip


def matching(query):
    query = query.strip().lower()
    return [name for name in NAMES if query in name]


class SearchPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(query="", changes=0, nickname="", blurs=0, clicks=0)

    def render(self, assigns):
        found = matching(assigns.query)
        return div(
            form(
                label(
                    "Search Python builtins ",
                    input(
                        type="search",
                        id="search",
                        name="q",
                        value=assigns.query,
                        autocomplete="off",
                        phx_debounce="300",
                    ),
                ),
                id="search-form",
                phx_change="search",
                phx_submit="search",
            ),
            p(f"Changes received: {assigns.changes}", id="changes"),
            p(f"{len(found)} of {len(NAMES)} names", id="found"),
            ul([li(name) for name in found], id="results", class_="results"),
            form(
                label(
                    "Nickname (sent on blur) ",
                    input(
                        type="text",
                        id="nickname",
                        name="nickname",
                        value=assigns.nickname,
                        phx_debounce="blur",
                    ),
                ),
                id="nickname-form",
                phx_change="nickname",
                phx_submit="nickname",
            ),
            p(
                f"Nickname: {assigns.nickname or '—'} (changes received: {assigns.blurs})",
                id="nickname-seen",
            ),
            button("Throttled click", id="throttled", phx_click="clicked", phx_throttle="1000"),
            p(f"Clicks counted: {assigns.clicks}", id="clicks"),
            class_="demo debounced-search",
        )

    def handle_event(self, event, params, socket):
        if event == "search":
            socket.assign(query=str(params.get("q", "")))
            socket.update("changes", lambda n: n + 1)
        elif event == "nickname":
            socket.assign(nickname=str(params.get("nickname", "")))
            socket.update("blurs", lambda n: n + 1)
        elif event == "clicked":
            socket.update("clicks", lambda n: n + 1)
