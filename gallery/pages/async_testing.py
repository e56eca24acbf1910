"""Testing PubSub and background work: a room that shows messages broadcast to it, a status
pushed by another process, and a task started with ``start_async`` — and the tests written for
it with the in-process test client, which pytest runs as they are shown here
(``tests/test_gallery_async_testing.py`` collects them).

What the tests use: ``pubsub.broadcast(topic, msg)`` to play another user (the view's
``handle_info`` gets it, ``view.render()`` shows the result: it waits for the view to be
idle), ``view.send(msg)`` to deliver a message straight to the view, and
``view.render_async(timeout=...)`` to wait until the view's background work is done.

Try this: send a message (every tab on this page gets it), press "Start Task" and watch the
status go from running to done; open a second tab and send from there.
"""

import time

from pylive import App, LiveView, pubsub
from pylive.html import button, div, form, input, li, p, ul
from pylive.testing import live

TOPIC = "gallery:room-1"
TASK_SECONDS = 1.0


def import_rows():
    time.sleep(TASK_SECONDS)  # a slow job: it runs in a worker thread, the page stays live
    return "42 rows imported"


class StatusRoom(LiveView):
    def mount(self, params, session, socket):
        pubsub.subscribe(socket, TOPIC)
        socket.assign(messages=[], status="Idle", result="")

    def handle_event(self, event, params, socket):
        if event == "say":
            text = (params.get("text") or "").strip()[:200]
            if text:
                pubsub.broadcast(TOPIC, ("new_message", {"user": "You", "text": text}))
        elif event == "start_task":
            socket.assign(status="Processing...", result="")
            socket.start_async("import", import_rows)

    def handle_info(self, msg, socket):
        match msg:
            case ("new_message", {"user": user, "text": text}):
                socket.update("messages", lambda messages: [*messages, f"{user}: {text}"][-20:])
            case ("status_update", status):
                socket.assign(status=status)

    def handle_async(self, name, result, socket):
        match result:
            case ("ok", summary):
                socket.assign(status="Complete", result=summary)
            case ("exit", reason):
                socket.assign(status=f"Failed: {reason}")

    def render(self, assigns):
        return div(
            ul([li(line) for line in assigns.messages], id="room-messages"),
            form(
                input(name="text", value="", placeholder="Say something", id="room-text"),
                button("Send", type="submit"),
                phx_submit="say",
                id="message-form",
            ),
            p(f"Status: {assigns.status}", id="status"),
            button("Start Task", phx_click="start_task", id="start-task"),
            p(assigns.result, id="task-result"),
            class_="demo async-testing",
        )


# -- the tests (pytest runs them) -----------------------------------------------------------

app = App(secret_key="the tests' own app, long enough")
app.live("/room", StatusRoom)


def test_receives_messages_from_other_users():
    with live(app, "/room") as view:
        pubsub.broadcast(TOPIC, ("new_message", {"user": "Bob", "text": "Hello!"}))
        html = view.render()  # waits until the view has handled what it was sent
        assert "Bob: Hello!" in html


def test_sends_messages_to_the_room():
    with live(app, "/room") as view:
        view.form("#message-form", text="Test message").submit()
        assert "You: Test message" in view.render()


def test_handles_background_process_updates():
    with live(app, "/room") as view:
        assert "Status: Processing..." in view.send(("status_update", "Processing..."))
        assert "Status: Complete" in view.send(("status_update", "Complete"))


def test_the_async_task_completes():
    with live(app, "/room") as view:
        assert "Status: Processing..." in view.element("button", "Start Task").click()
        html = view.render_async(timeout=5)
        assert "Status: Complete" in html
        assert "42 rows imported" in html
