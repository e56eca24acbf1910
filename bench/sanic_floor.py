"""Diagnostic: the floor of Sanic's websocket path, without pylive.

A bare Sanic app (same version and settings as ``pylive.sanic``: single process, access log off)
speaking the peer harness's ``generic`` protocol: each event frame is parsed with orjson and
answered with a fixed-shape reply ``{"ref":N,"ops":[[0,[1,0,0],"Count is N"]]}`` — the size of
pylive's counter update — with no view, render or diff. What the harness measures against it is
what pylive's S1 could reach on Sanic if pylive's own work cost nothing.

    <bench venv>/bin/python ../shared/peers/bench.py --peer generic --port 8111 --only lat \\
        --open-concurrency 1 --server-cmd "<repo>/.venv/bin/python bench/sanic_floor.py {port}" \\
        --server-cwd <repo>
"""

from __future__ import annotations

import sys

import orjson
from sanic import Request, Sanic, response

app = Sanic("sanic_floor")
app.config.ACCESS_LOG = False
app.config.MOTD = False


@app.get("/s1")
async def page(request: Request) -> response.HTTPResponse:
    return response.text("ok")


@app.get("/s2")
async def page2(request: Request) -> response.HTTPResponse:
    return response.text("ok")


@app.websocket("/live")
async def live(request: Request, ws: object) -> None:
    await ws.send(orjson.dumps({"ref": 0, "tree": []}).decode())  # type: ignore[attr-defined]
    count = 0
    while True:
        frame = await ws.recv()  # type: ignore[attr-defined]
        if frame is None:
            return
        message = orjson.loads(frame)
        count += 1
        reply = {"ref": message.get("ref"), "ops": [[0, [1, 0, 0], f"Count is {count}"]]}
        await ws.send(orjson.dumps(reply).decode())  # type: ignore[attr-defined]


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8111
    app.run(host="127.0.0.1", port=port, single_process=True, motd=False, access_log=False)
