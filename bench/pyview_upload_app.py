"""The pyview (``pyview-web``) side of ``bench/uploads.py``: one LiveView at ``/s1`` with one
``allow_upload`` ("doc": any type, up to 200 MB, 64_000-byte chunks, auto upload, as a browser's
file input would start it on change). When an entry completes (the client's 100 % progress event)
``entry_complete`` consumes it and renders the size of the file pyview wrote, so the client can
check that every byte arrived.

Run by the pyview venv's interpreter, not the project's (binds 127.0.0.1 only):

    ~/.cache/pylive-peers/venv-pyview/bin/python bench/pyview_upload_app.py PORT
"""

from __future__ import annotations

import os
import sys
from typing import Any

import uvicorn
from pyview import LiveView, PyView
from pyview.template.live_template import (
    LiveRender,
    LiveTemplate,
)
from pyview.uploads import UploadConstraints
from pyview.vendor.ibis import Template
from starlette.staticfiles import StaticFiles

CHUNK = 64_000

PAGE = LiveTemplate(
    Template(
        '<div><form id="f" phx-change="validate">{{ doc|live_file_input }}</form>'
        '<p id="r">{{ received }}</p></div>'
    )
)


async def entry_complete(entry: Any, result: Any, socket: Any) -> None:
    """Consume the finished entry: record how many bytes pyview wrote to its temp file."""
    with socket.context["doc"].consume_upload_entry(entry.ref) as upload:
        size = os.path.getsize(upload.file.name) if upload is not None else -1
    socket.context["received"] = f"received {size} bytes"


class UploadBench(LiveView):
    async def mount(self, socket: Any, session: Any) -> None:
        doc = socket.allow_upload(
            "doc",
            UploadConstraints(max_file_size=200_000_000, max_files=1, accept=[], chunk_size=CHUNK),
            auto_upload=True,
            entry_complete=entry_complete,
        )
        socket.context = {"doc": doc, "received": "nothing yet"}

    async def handle_event(self, event: str, payload: Any, socket: Any) -> None:
        return None

    async def render(self, assigns: Any, meta: Any) -> Any:
        return LiveRender(PAGE, assigns, meta)


app = PyView()
# the bundled Phoenix LiveView client, so the page also works in a real browser
app.mount("/static", StaticFiles(packages=[("pyview", "static")]), name="static")
app.add_live_view("/s1", UploadBench)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
