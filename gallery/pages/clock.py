"""Clock: ``send_interval`` delivers a tick to ``handle_info`` every second, only once connected;
the timer is cancelled when the page goes away."""

import time

from pylive import LiveView
from pylive.html import button, div, p


class Clock(LiveView):
    def mount(self, params, session, socket):
        socket.assign(now=time.strftime("%H:%M:%S"), ticks=0, running=True)
        if socket.connected:
            socket.assign(timer=socket.send_interval("tick", 1000))

    def render(self, assigns):
        return div(
            p(assigns.now, id="time", class_="big"),
            p(f"{assigns.ticks} ticks", id="ticks"),
            button("Pause" if assigns.running else "Resume", id="toggle", phx_click="toggle"),
            class_="demo clock",
        )

    def handle_info(self, msg, socket):
        if msg == "tick":
            socket.assign(now=time.strftime("%H:%M:%S"), ticks=socket.assigns.ticks + 1)

    def handle_event(self, event, params, socket):
        if event == "toggle":
            if socket.assigns.running:
                socket.cancel_timer(socket.assigns.get("timer"))
                socket.assign(running=False)
            else:
                socket.assign(running=True, timer=socket.send_interval("tick", 1000))
