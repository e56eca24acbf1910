"""Keyed list: shuffle, sort, insert and remove rows; each row keeps its input, typed text and
caret, because keyed rows are moved, never re-created."""

import random

from pylive import LiveView
from pylive.html import button, div, input, li, span, ul


class KeyedList(LiveView):
    def mount(self, params, session, socket):
        socket.assign(items=[f"item {n}" for n in range(1, 6)], next=6, shuffles=0)

    def render(self, assigns):
        return div(
            div(
                button("Shuffle", id="shuffle", phx_click="shuffle"),
                button("Sort", id="sort", phx_click="sort"),
                button("Reverse", id="reverse", phx_click="reverse"),
                button("Insert", id="insert", phx_click="insert"),
                class_="toolbar",
            ),
            ul(
                *[
                    li(
                        span(name, class_="name"),
                        input(type="text", placeholder=f"note for {name}", aria_label=name),
                        button("×", phx_click="remove", phx_value_name=name, aria_label="remove"),
                        key=name,
                        id=f"row-{name.split()[-1]}",
                    )
                    for name in assigns["items"]
                ],
                id="rows",
            ),
            class_="demo keyed-list",
        )

    def handle_event(self, event, params, socket):
        items = list(socket.assigns["items"])
        if event == "shuffle":
            shuffles = socket.assigns.shuffles + 1
            random.Random(shuffles).shuffle(items)  # the same order for the same count
            socket.assign(shuffles=shuffles)
        elif event == "sort":
            items.sort(key=lambda name: int(name.split()[-1]))
        elif event == "reverse":
            items.reverse()
        elif event == "insert":
            position = len(items) // 2
            items.insert(position, f"item {socket.assigns.next}")
            socket.assign(next=socket.assigns.next + 1)
        elif event == "remove":
            items.remove(params["name"])
        socket.assign(items=items)
