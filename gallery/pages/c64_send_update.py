"""send_update: update one component directly, without re-rendering the parent.

"Save settings" calls ``socket.send_update(NotificationComponent, id="notification", ...)``: the
component's ``update`` runs and only it re-renders; the parent's assigns did not change, so its
``render`` is not called (its render count below stays put). "Run background job" does the same
from another thread, after a delay: ``send_update`` is safe from any task or thread holding the
socket, as LiveView's ``send_update(pid, ...)`` is from any process.
"""

import threading
import time

from pylive import LiveComponent, LiveView, live_component
from pylive.html import button, div, p

JOB_SECONDS = 1.0


class NotificationComponent(LiveComponent):
    def update(self, assigns, socket):
        socket.assign(**assigns)
        socket.assign_new("message", lambda: None)

    def render(self, assigns):
        # A component has exactly one root element: hidden while there is no message.
        return div(
            assigns.message,
            id=assigns.id,
            class_="notification",
            role="status",
            hidden=assigns.message is None,
        )


def save_user_settings():
    """Where an app would save the settings: nothing to save in a demo."""


def notify_user(socket, message):
    """A background job: runs in its own thread, then updates the component."""
    time.sleep(JOB_SECONDS)
    socket.send_update(NotificationComponent, id="notification", message=message)


class SettingsPage(LiveView):
    renders = 0

    def render(self, assigns):
        self.renders += 1  # counted on the instance, not assigned: counting must not re-render
        return div(
            live_component(NotificationComponent, id="notification"),
            button("Save Settings", id="save", phx_click="save"),
            button("Run background job", id="job", phx_click="start_job"),
            p(f"Parent rendered {self.renders}×", id="parent-renders"),
            class_="demo settings",
        )

    def handle_event(self, event, params, socket):
        if event == "save":
            save_user_settings()
            socket.send_update(
                NotificationComponent, id="notification", message="Settings saved successfully!"
            )
        elif event == "start_job":
            threading.Thread(
                target=notify_user, args=(socket, "Background job finished"), daemon=True
            ).start()
