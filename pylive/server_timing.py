"""``Timing``: where the server spent an event's time (``App(debug=True)``), sent as the reply's
``timing`` (docs/protocol.md) and logged by ``pylive.enableDebug()`` next to the round trip."""

from __future__ import annotations

from time import perf_counter_ns

from pylive.component_registry import Components


class Timing:
    """Where the server spent an event's time, in nanoseconds (``App(debug=True)``).

    ``callback``: the user's ``handle_event``; ``render``: rendering the view and the components
    that changed (the ``update`` callbacks of the components a render passes new assigns to, and
    the ``send_update``s the event asked for, included); ``diff``: turning the renders into ops.
    """

    __slots__ = ("callback", "diff", "render")

    def __init__(self) -> None:
        self.callback = 0
        self.render = 0
        self.diff = 0

    def callback_since(self, start: int) -> int:
        """Count the time since ``start`` as the callback's; the time now."""
        now = perf_counter_ns()
        self.callback += now - start
        return now

    def render_since(self, start: int, components: Components) -> int:
        """Count the time since ``start`` as rendering, but for what components' re-renders
        spent diffing (``Components.diff_ns``); the time now."""
        now = perf_counter_ns()
        diffed, components.diff_ns = components.diff_ns, 0
        self.render += now - start - diffed
        self.diff += diffed
        return now

    def to_wire(self) -> dict[str, int]:
        """The frame's ``timing``: whole microseconds."""
        return {
            "callback": self.callback // 1000,
            "render": self.render // 1000,
            "diff": self.diff // 1000,
        }
