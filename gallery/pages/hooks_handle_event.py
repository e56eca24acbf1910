"""handleEvent: the server pushes an event to the page with ``socket.push_event``, and the hooks
that called ``this.handleEvent(name, callback)`` get its payload (so does any
``window.addEventListener("phx:<name>")`` listener).

The ``ToastNotifier`` hook is registered the LiveView way, in the browser
(``window.pylive.hooks.ToastNotifier = {...}`` in a script of the page's head); the view only
declares its name, ``Hook("ToastNotifier")``, so pylive can check every ``phx-hook`` it renders.
Its toasts are the browser's alone: the server renders an empty container and never learns of
them. "Notify me in a second" goes through ``handle_info``, as a message from elsewhere (PubSub,
a job) would.

Try this: press the buttons; each toast leaves after five seconds.
"""

from pylive import Hook, LiveView
from pylive.html import button, div, p

TOAST_NOTIFIER = Hook("ToastNotifier")  # defined in the browser: see the gallery's head

KINDS = {
    "info": ("Heads up", "Your report is being prepared."),
    "success": ("Saved", "Your changes are live."),
    "error": ("Failed", "The payment was declined."),
}


class NotificationPage(LiveView):
    hooks = (TOAST_NOTIFIER,)

    def mount(self, params, session, socket):
        socket.assign(pushed=0)

    def render(self, assigns):
        return div(
            div(
                [
                    button(kind.title(), id=f"toast-{kind}", phx_click="toast", phx_value_kind=kind)
                    for kind in KINDS
                ],
                button("Notify me in a second", id="toast-later", phx_click="later"),
                class_="toolbar",
            ),
            p(f"{assigns.pushed} toasts pushed", id="pushed"),
            div(
                id="notification-container",
                class_="toasts",
                phx_hook=TOAST_NOTIFIER,
                phx_update="ignore",
            ),
            class_="demo hooks-handle-event",
        )

    def handle_event(self, event, params, socket):
        if event == "toast" and params.get("kind") in KINDS:
            self.toast(socket, params["kind"])
        elif event == "later":
            socket.send_after(("notification", "info"), 1000)

    def handle_info(self, msg, socket):
        _, kind = msg
        self.toast(socket, kind)

    def toast(self, socket, kind):
        title, message = KINDS[kind]
        socket.push_event("show-toast", {"title": title, "message": message, "type": kind})
        socket.update("pushed", lambda n: n + 1)
