"""The pyview (``pyview-web``) side of ``bench/fanout.py``: the same fan-out app as pylive's.

``/fan`` is a LiveView that subscribes to the topic ``fanout`` once connected (pyview's
in-process PubSub, ``socket.subscribe``) and renders the last message it got in one ``<p>``;
``POST /fire`` (a plain Starlette route, form field ``msg``) broadcasts ``msg`` on the topic
through pyview's hub (``pub_sub_hub.send_all_on_topic_async``, what ``socket.broadcast`` calls)
and answers how many views are subscribed. Each subscribed view then runs ``handle_info``,
renders, diffs and sends its ``diff`` push.

Run by the pyview venv's interpreter, not the project's (binds 127.0.0.1 only):

    ~/.cache/pylive-peers/venv-pyview/bin/python bench/pyview_fanout_app.py PORT
"""

from __future__ import annotations

import sys
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from pyview import LiveView, PyView
from pyview.live_socket import is_connected, pub_sub_hub
from pyview.template.live_template import LiveRender, LiveTemplate
from pyview.vendor.ibis import Template
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

TOPIC = "fanout"
PAGE = LiveTemplate(Template('<div id="fan"><p id="msg">{{ msg }}</p></div>'))


class Fanout(LiveView):
    async def mount(self, socket: Any, session: Any) -> None:
        socket.context = {"msg": "waiting"}
        if is_connected(socket):
            await socket.subscribe(TOPIC)

    async def handle_info(self, event: Any, socket: Any) -> None:
        socket.context["msg"] = event.payload

    async def render(self, assigns: Any, meta: Any) -> Any:
        return LiveRender(PAGE, assigns, meta)


async def fire(request: Request) -> JSONResponse:
    msg = parse_qs((await request.body()).decode())["msg"][0]
    await pub_sub_hub.send_all_on_topic_async(TOPIC, msg)
    return JSONResponse({"ok": True})


app = PyView()
# the bundled Phoenix LiveView client, so the page also works in a real browser
app.mount("/static", StaticFiles(packages=[("pyview", "static")]), name="static")
app.add_live_view("/fan", Fanout)
app.routes.append(Route("/fire", fire, methods=["POST"]))

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
