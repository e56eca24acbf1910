"""What a client can send once the socket is open: join tokens it tampered with (S3), tokens it
tries to read (S4), payloads naming state it must not set (S5), hostile event names (S6),
components that are not there (S7), more views than one (D3), batches (D4), other users'
sessions (S13); plus the static routes (S14), the server's own JavaScript (S10) and redirect
targets (item 9).

The server is ``security_app.py``: its views record what reached them (``/_probe``), so every
"nothing happened" is counted, not assumed.
"""

from __future__ import annotations

import ast
import asyncio
import base64
import json
import random
import re
import socket as pysocket
import string
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from _security import SECURITY_APP, aprobe, connect, quiet, unexpected_errors
from _wire import (
    HOST,
    OP_TEXT,
    WAIT,
    Page,
    RawWebsocket,
    ServerProcess,
    Session,
    frame_bytes,
    run,
)
from cryptography.fernet import Fernet
from server_app import SECRET

from pylive.forms import decode_form
from pylive.socket import Socket
from pylive.tokens import JOIN_INFO, derive_key

pytestmark = pytest.mark.e2e  # real sockets and server processes

ROOT = Path(__file__).resolve().parents[2]
TWO_WEEKS = 14 * 24 * 3600
LIFTED = {
    "events_per_second": 1e9,
    "event_burst": 10**9,
    "max_message_bytes": 2**20,
    "websocket_connects_per_second": 1e6,
    "websocket_connect_burst": 100_000,
    "max_connections_per_ip": 2_000,
}
"""Rate limits out of the way (the attacks here are not floods), frames up to 1 MiB (D4)."""
RECORDER = "__main__.Recorder"
OTHER = "__main__.OtherRecorder"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    with ServerProcess(LIFTED, app=SECURITY_APP) as process:
        yield process
        assert unexpected_errors(process) == [], process.log_text()[-3000:]


def stale(detail: str) -> dict[str, Any]:
    return {"type": "error", "reason": "stale", "detail": detail}


def without_ref(reply: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in reply.items() if key != "ref"}


def fernet(secret: str = SECRET) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(derive_key(secret, JOIN_INFO)))


def mint(payload: Any, *, at: float | None = None, secret: str = SECRET) -> str:
    """A join token as the server would issue it, with any payload, time or secret."""
    data = payload if isinstance(payload, bytes) else orjson.dumps(payload)
    when = int(time.time() if at is None else at)
    return fernet(secret).encrypt_at_time(data, when).decode()


def recorder_payload(**changes: Any) -> dict[str, Any]:
    return {"v": 2, "route": "/rec", "view": RECORDER, "session": {}, **changes}


# -- S3: tampered, expired, old, misplaced and foreign join tokens --------------------------------


def flipped_characters(token: str) -> list[str]:
    """The token with each character, in turn, replaced by the next one of the alphabet."""
    alphabet = string.ascii_letters + string.digits + "-_="
    return [
        token[:i] + alphabet[(alphabet.index(c) + 1) % len(alphabet)] + token[i + 1 :]
        for i, c in enumerate(token)
    ]


def flipped_bytes(token: str) -> list[str]:
    """The token with each byte it encodes, in turn, XOR 1 (re-encoded canonically)."""
    raw = base64.urlsafe_b64decode(token)
    out = []
    for index in range(len(raw)):
        changed = bytearray(raw)
        changed[index] ^= 0x01
        out.append(base64.urlsafe_b64encode(bytes(changed)).decode())
    return out


def test_join_token_tampered_expired_or_foreign_is_refused_with_zero_mounts(server) -> None:
    url, other_url = server.url + "/rec", server.url + "/rec2"
    now = time.time()
    guarded = Page(server.url + "/guarded").token

    async def scenario() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], Any]:
        await quiet(server)
        session = await connect(server.url, "/rec")
        token = session.page.token
        cases: list[tuple[str, str, str, str]] = []  # (what, token, url, detail)
        for index, bad in enumerate(flipped_characters(token)):
            cases.append((f"character {index}", bad, url, "invalid join token"))
        for index, bad in enumerate(flipped_bytes(token)):
            cases.append((f"byte {index}", bad, url, "invalid join token"))
        cases += [
            ("padding added", token + "=", url, "invalid join token"),
            ("padding removed", token.rstrip("="), url, "invalid join token"),
            ("truncated", token[:-8], url, "invalid join token"),
            ("empty", "", url, "missing join token"),
            ("signed-only style", "eyJ2IjoxfQ.ZnJvbS10aGUtcGFzdA.c2ln", url, "invalid join token"),
            ("other secret", mint(recorder_payload(), secret="x" * 40), url, "invalid join token"),
            ("not JSON inside", mint(b"not json"), url, "invalid join token"),
            (
                "expired by 1 s",
                mint(recorder_payload(), at=now - TWO_WEEKS - 1),
                url,
                "expired join token",
            ),
            ("from the future", mint(recorder_payload(), at=now + 3600), url, "expired join token"),
            ("version 1", mint(recorder_payload(v=1)), url, "join token of another version"),
            ("version 3", mint(recorder_payload(v=3)), url, "join token of another version"),
            ("version '2'", mint(recorder_payload(v="2")), url, "join token of another version"),
            ("no version", mint({"route": "/rec"}), url, "join token of another version"),
            ("a list inside", mint([1, 2]), url, "join token of another version"),
            (
                "view A's token at route B",
                token,
                other_url,
                f"join token is for {RECORDER!r} at '/rec', not {OTHER!r} at '/rec2'",
            ),
            (
                "route right, view wrong",
                mint(recorder_payload(view=OTHER)),
                url,
                f"join token is for {OTHER!r} at '/rec', not {RECORDER!r} at '/rec'",
            ),
            (
                "another page's token",
                guarded,
                url,
                f"join token is for '__main__.Guarded' at '/guarded', not {RECORDER!r} at '/rec'",
            ),
        ]  # fmt: skip
        before = await aprobe(server.url, reset=True)
        # as client.js sends it (ref 0), the whole reply
        await session.ws.send(
            json.dumps({"type": "join", "ref": 0, "token": cases[0][1], "url": url})
        )
        first = json.loads(await asyncio.wait_for(session.ws.recv(), WAIT))
        assert first == {"ref": 0, **stale("invalid join token")}
        got: dict[str, Any] = {}
        want: dict[str, Any] = {}
        for what, bad, at, detail in cases:
            reply = await session.call({"type": "join", "token": bad, "url": at})
            got[what], want[what] = without_ref(reply), stale(detail)
        after = await aprobe(server.url)
        good = await session.call({"type": "join", "token": token, "url": url})
        joined = await aprobe(server.url)
        await session.close()
        assert got == want
        assert len(cases) > 250
        return before, after, joined, good

    before, after, joined, good = run(scenario())
    assert (before["mounts"], after["mounts"], after["renders"]) == (0, 0, 0)
    assert "tree" in good and joined["mounts"] == 1  # the counter does count


# -- S4: nothing readable in any token -----------------------------------------------------------

SESSION = {
    "user_id": "alice-4242",
    "email": "alice@example.org",
    "role": "superuser-7781",
    "api_key": "sk-live-0123456789abcdef",
}
ROUTES = {
    "/": "server_app.Counter",
    "/rec": RECORDER,
    "/rec2": OTHER,
    "/guarded": "__main__.Guarded",
    "/panel": "__main__.Panel",
    "/whoami": "__main__.WhoAmI",
    "/go": "__main__.Go",
}
_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_TOKEN = re.compile(r'data-phx-session="([^"]+)"')


def fetch_page(url: str) -> tuple[str, list[str]]:
    with urllib.request.urlopen(url, timeout=WAIT) as reply:
        return reply.read().decode(), reply.headers.get_all("Set-Cookie") or []


def test_tokens_the_server_emits_hold_no_session_value_host_pid_or_secret() -> None:
    """Every page of every route, three times: the join token is a Fernet token (version byte,
    issue time, IV, AES ciphertext, HMAC: nothing else in the clear), the CSRF token is the
    cookie's random nonce plus a MAC, and neither they nor the page carry the session's values,
    the secret, its derived key, the server's pid or host name."""
    with ServerProcess({"session": SESSION}, app=SECURITY_APP) as server:
        pid = server.pid
        pages = [(path, *fetch_page(server.url + path)) for path in ROUTES for _ in range(3)]

        async def joined() -> str:
            session = await Session.open(server.url, "/rec")
            await session.close()
            return json.dumps(session.join_reply)

        join_reply = run(joined())
        assert server.unhandled() == []
    key = base64.urlsafe_b64encode(derive_key(SECRET, JOIN_INFO)).decode()
    secrets_text = [*map(str, SESSION.values()), SECRET, SECRET[:16], key, key[:16]]
    host_names = {pysocket.gethostname(), pysocket.getfqdn()}
    binary = [
        *(s.encode() for s in secrets_text),
        str(pid).encode(),
        pid.to_bytes(4, "big"),
        pid.to_bytes(4, "little"),
        *(h.encode() for h in host_names if len(h) >= 3),  # shorter: noise in random bytes
    ]
    nonces = set()
    for path, html, cookies in pages:
        token = _TOKEN.search(html).group(1)  # type: ignore[union-attr]
        csrf = _META.search(html).group(1)  # type: ignore[union-attr]
        (cookie_header,) = cookies
        nonce = cookie_header.split(";")[0].split("=", 1)[1]
        assert cookie_header == f"_pylive_csrf={nonce}; Path=/; SameSite=Lax; HttpOnly"
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", nonce), nonce
        assert len(base64.urlsafe_b64decode(nonce)) == 24
        assert re.fullmatch(re.escape(nonce) + r"\.[A-Za-z0-9_-]{27}", csrf), csrf
        raw = base64.urlsafe_b64decode(token)
        assert raw[0] == 0x80 and abs(int.from_bytes(raw[1:9], "big") - time.time()) < 60
        assert len(raw) > 57 and (len(raw) - 57) % 16 == 0  # header, IV, blocks, HMAC
        assert orjson.loads(fernet().decrypt(token)) == {
            "v": 2, "route": path, "view": ROUTES[path], "session": SESSION,
        }  # fmt: skip
        for text in (html, token, csrf, nonce):
            assert [s for s in secrets_text if s in text] == [], path
        decoded = [raw, base64.urlsafe_b64decode(csrf.rsplit(".", 1)[1] + "=")]
        for blob in decoded:
            assert [b for b in binary if b in blob] == [], path
        nonces.add(nonce)
    assert len(nonces) == len(pages)  # a fresh nonce per browser without the cookie
    assert [s for s in secrets_text if s in join_reply] == []


# -- S5: payloads never set state ----------------------------------------------------------------

CLICK_PAYLOADS: list[dict[str, Any]] = [
    {"is_admin": True},
    {"role": "admin"},
    {"_private": 1, "__private": 2},
    {"__class__": "Admin"},
    {"__dict__": {"is_admin": True}},
    {"__init__": {}, "__setattr__": "x", "__getattribute__": "x"},
    {"assigns": {"is_admin": True}},
    {"assigns.is_admin": True, "socket.assigns.role": "admin"},
    {"__class__.__name__": "Admin", "view.__dict__.is_admin": True},
    {"__proto__": {"is_admin": True}, "constructor": {"prototype": {"is_admin": True}}},
    {"balance": 10**9, "_changed": ["balance"], "_values": {"is_admin": True}},
    {"__globals__": {}, "__builtins__": {}, "__module__": "os"},
    {"flash": {"info": "pwned"}, "streams": {}, "uploads": {}, "myself": 1},
]
FORM_FIELDS = [
    ["is_admin", "true"],
    ["role", "admin"],
    ["user[is_admin]", "true"],
    ["__class__[__name__]", "Admin"],
    ["_private", "1"],
    ["assigns[is_admin]", "true"],
    ["socket.assigns.role", "admin"],
    ["__dict__[is_admin]", "1"],
    ["balance", "1000000000"],
]
INITIAL = '{"balance":100,"flash":{},"is_admin":false,"live_action":null,"note":"","role":"user"}'


def guarded_snapshot(record: dict[str, Any]) -> dict[str, Any]:
    (view,) = [v for v in record["views"] if v["view"] == "Guarded"]
    return view


def test_event_payloads_naming_private_state_change_no_assign(server) -> None:
    async def scenario() -> None:
        await quiet(server)
        await aprobe(server.url, reset=True)
        session = await Session.open(server.url, "/guarded")
        start = await aprobe(server.url)
        replies = []
        for payload in CLICK_PAYLOADS:
            replies.append(await session.click("update", payload))
        for kind in ("change", "submit"):
            event = {"type": "event", "kind": kind, "event": "validate", "value": FORM_FIELDS}
            replies.append(await session.call({**event, "target": "is_admin"}))
        after = await aprobe(server.url)
        save = await session.click("save", {"note": "hi", "is_admin": True, "balance": 0})
        saved = await aprobe(server.url)
        await session.click("poke")  # the view's own setattr: the recorder does see one
        poked = await aprobe(server.url)
        await session.close()

        assert [without_ref(r) for r in replies] == [{}] * len(replies)  # nothing to render
        assert guarded_snapshot(start)["assigns"] == INITIAL
        assert guarded_snapshot(after) == guarded_snapshot(start)  # byte-identical
        assert after["setattr_calls"] == start["setattr_calls"] == []
        form = sorted(decode_form([(n, v) for n, v in FORM_FIELDS], "is_admin"))
        assert after["keys"] == [sorted(p) for p in CLICK_PAYLOADS] + [form, form]
        assert "ops" in save and "error" not in save, save
        expected = orjson.loads(INITIAL) | {"note": "hi"}  # what the view itself assigned
        assigns = guarded_snapshot(saved)["assigns"]
        assert assigns == orjson.dumps(expected, option=orjson.OPT_SORT_KEYS).decode()
        assert saved["setattr_calls"] == []
        assert poked["setattr_calls"] == ["Guarded.poked", "Guarded.__setattr__(poked)"]

    run(scenario())


# -- S6: hostile event names ---------------------------------------------------------------------

HOSTILE_NAMES = [
    "__init__", "__class__", "__dict__", "__setattr__", "__getattribute__", "__call__",
    "__reduce__", "__del__", "mount", "render", "handle_info", "handle_params", "handle_event",
    "terminate", "_private", "__private", "socket", "assigns", "self", "constructor",
    "__proto__", "toString", "eval", "exec", "os.system", "__import__('os')", "a.b.c", "../x",
    "lv:unknown", "phx:x", "\u0000", " ", "\u2028", "ä", "x" * 256,
]  # fmt: skip


def too_long_error(name: str) -> str:
    shown = repr(name)
    return f"event.event: string should have at most 256 characters, got {shown[:57]}..."


def test_event_hostile_names_reach_handle_event_as_plain_strings(server) -> None:
    async def scenario() -> None:
        await quiet(server)
        session = await Session.open(server.url, "/rec")
        await aprobe(server.url, reset=True)
        replies = [await session.click(name) for name in HOSTILE_NAMES]
        record = await aprobe(server.url)
        huge = await session.click("x" * 10_240)
        over = await session.click("y" * 257)
        alive = await session.click("still-here")
        end = await aprobe(server.url)
        await session.close()

        assert [without_ref(r) for r in replies] == [{}] * len(HOSTILE_NAMES)
        assert record["names"] == HOSTILE_NAMES  # as sent, each one
        assert (record["events"], record["not_str"]) == (len(HOSTILE_NAMES), 0)
        # "mount", "render", "handle_info", "terminate" were names, not calls:
        assert (record["mounts"], record["renders"], record["infos"]) == (0, 0, 0)
        assert record["terminated"] == [] and record["setattr_calls"] == []
        assert without_ref(huge) == {"error": too_long_error("x" * 10_240)}
        assert without_ref(over) == {"error": too_long_error("y" * 257)}
        assert without_ref(alive) == {}
        assert end["names"][-1] == "still-here" and end["events"] == len(HOSTILE_NAMES) + 1

    run(scenario())


def event_frames(names: list[str], first_ref: int) -> bytes:
    return b"".join(
        frame_bytes(
            OP_TEXT,
            orjson.dumps({"type": "event", "ref": ref, "kind": "click", "event": name}),
        )
        for ref, name in enumerate(names, first_ref)
    )


async def send_names(raw: RawWebsocket, names: list[str], first_ref: int) -> int:
    """Send ``names`` as click events, 2,000 frames a write, and read every answer: the count of
    answers that were exactly ``{"ref": n}`` in order."""
    good = 0
    ref = first_ref
    for start in range(0, len(names), 2000):
        chunk = names[start : start + 2000]
        raw.send(event_frames(chunk, ref))
        await raw.writer.drain()
        for _ in chunk:
            frame = await raw.read_frame()
            assert frame is not None
            good += frame == (OP_TEXT, b'{"ref":%d}' % ref)
            ref += 1
    return good


WARM_UP = 20_000
"""Names sent before the baseline: more than pydantic-core's string cache holds (16,384 strings,
filled once: about 700 KiB, then flat, measured over 400,000 names)."""


def test_event_100000_distinct_names_grow_the_server_by_under_1_mib(server) -> None:
    rng = random.Random(6)
    names = [f"n{i}-{rng.getrandbits(64):016x}" for i in range(WARM_UP + 100_000)]

    async def scenario() -> tuple[int, int, int, dict[str, Any]]:
        await quiet(server)
        raw = await RawWebsocket.open(server.url, "/rec")
        join = {"type": "join", "ref": 0, "token": raw.page.token, "url": server.url + "/rec"}  # type: ignore[attr-defined]
        raw.send(frame_bytes(OP_TEXT, json.dumps(join).encode()))
        assert (await raw.read_frame()) is not None
        warm = await send_names(raw, names[:WARM_UP], 1)
        await asyncio.sleep(0.3)
        await aprobe(server.url, reset=True)
        before = server.rss_kib()
        good = await send_names(raw, names[WARM_UP:], WARM_UP + 1)
        await asyncio.sleep(0.3)
        after = server.rss_kib()
        record = await aprobe(server.url)
        raw.send(frame_bytes(OP_TEXT, b'{"type":"hb","ref":1}'))
        assert await raw.read_frame() == (OP_TEXT, b'{"ref":1}')  # alive
        raw.close()
        assert warm == WARM_UP
        return before, after, good, record

    start = time.monotonic()
    before, after, good, record = run(scenario(), timeout=120)
    elapsed = time.monotonic() - start
    assert good == 100_000  # each answered exactly {"ref": n}, in order
    assert (record["events"], record["not_str"], record["mounts"]) == (100_000, 0, 0)
    assert record["names"] == names[-64:]
    assert after - before < 1024, (before, after)
    print(f"S6: 100,000 names in {elapsed:.1f} s; RSS {before} → {after} KiB")


# -- S7: a component that is not there -----------------------------------------------------------


def test_event_for_a_missing_component_is_an_error_and_the_view_lives(server) -> None:
    async def scenario() -> list[dict[str, Any]]:
        session = await Session.open(server.url, "/panel")
        replies = []
        for cid in (99, 0, 2**53 - 1, 1, 99, 1):
            event = {"type": "event", "kind": "click", "event": "bump", "value": {}, "cid": cid}
            replies.append(without_ref(await session.call(event)))
        await session.close()
        return replies

    replies = run(scenario())
    assert replies == [
        {"error": "no component 99 (it was removed)"},
        {"error": "no component 0 (it was removed)"},
        {"error": "no component 9007199254740991 (it was removed)"},
        {"ops": [[0, [1, 0, 0], "tally 1"]]},
        {"error": "no component 99 (it was removed)"},
        {"ops": [[0, [1, 0, 0], "tally 2"]]},
    ]


# -- D3: one view per socket ---------------------------------------------------------------------


def test_join_again_on_one_socket_leaves_the_first_view_and_keeps_one(server) -> None:
    async def scenario() -> None:
        await quiet(server)
        await aprobe(server.url, reset=True)
        session = await connect(server.url, "/rec")
        token, url = session.page.token, server.url + "/rec"
        other = Page(server.url + "/rec2").token
        first = await session.call({"type": "join", "token": token, "url": url})
        second = await session.call({"type": "join", "token": other, "url": url + "2"})
        record = await aprobe(server.url)
        assert "tree" in first and "tree" in second
        assert record["terminated"] == ["Recorder:left"]
        assert [v["view"] for v in record["views"]] == ["OtherRecorder"]

        await aprobe(server.url, reset=True)
        await session.call({"type": "join", "token": token, "url": url})
        baseline = {**server.stats(), "rss": server.rss_kib()}
        replies = [
            await session.call({"type": "join", "token": token, "url": url}) for _ in range(100)
        ]
        record = await aprobe(server.url)
        stats = {**server.stats(), "rss": server.rss_kib()}
        assert all("tree" in r for r in replies)
        assert record["mounts"] == 101
        assert record["terminated"] == ["OtherRecorder:left"] + ["Recorder:left"] * 100
        assert [v["view"] for v in record["views"]] == ["Recorder"]
        assert (stats["connections"], stats["views"], stats["tasks"]) == (
            1, 1, baseline["tasks"],
        )  # fmt: skip
        assert stats["rss"] - baseline["rss"] < 2048, (baseline, stats)
        await session.close()
        await quiet(server)
        final = await aprobe(server.url)
        assert final["terminated"][-1] == "Recorder:closed" and final["views"] == []

    run(scenario())


# -- D4: a batch in one frame --------------------------------------------------------------------

BATCH = [{"type": "event", "ref": 1, "kind": "click", "event": "inc", "value": {}}] * 10_000
BATCH_ERROR = {
    "type": "error",
    "reason": "bad_frame",
    "detail": "expected a JSON object, got "
    "[{'type': 'event', 'ref': 1, 'kind': 'click', 'event': 'i...",
}  # fmt: skip


def test_frame_with_an_array_of_10000_events_is_one_bad_frame_error(server) -> None:
    """21 frames of 750 KB, each a JSON array of 10,000 click events: each is one ``bad_frame``
    error, not one event of the 210,000 runs, the view stays alive, and the server's memory
    stays within the cost of parsing one such frame (measured: +18 to +25 MiB, then flat)."""
    frame = json.dumps(BATCH)
    assert 700_000 < len(frame) < LIFTED["max_message_bytes"]

    async def scenario() -> tuple[list[dict[str, Any]], dict[str, Any], int, list[int]]:
        session = await Session.open(server.url, "/rec")
        await aprobe(server.url, reset=True)
        baseline = server.rss_kib()
        answers, samples = [], []
        for _ in range(21):
            await session.ws.send(frame)
            answers.append(json.loads(await asyncio.wait_for(session.ws.recv(), WAIT)))
            samples.append(server.rss_kib())
        alive = await session.click("after-the-batch")
        record = await aprobe(server.url)
        await session.close()
        return [*answers, without_ref(alive)], record, baseline, samples

    answers, record, baseline, samples = run(scenario())
    assert answers == [BATCH_ERROR] * 21 + [{}]
    assert (record["events"], record["names"]) == (1, ["after-the-batch"])  # none of the 210,000
    # Parsing such frames costs 18-25 MiB, reached over the first ten or so (the allocator's
    # arenas filling, as with the code before any change here); then it is flat within the
    # allocator's jitter: the last ten add under 3 MiB (keeping even their raw bytes: +7.5).
    assert max(samples) - baseline < 32 * 1024, (baseline, samples)
    assert samples[-1] - samples[10] < 3 * 1024, (baseline, samples)
    print(f"D4: 21 × 750 KB batches, RSS {baseline} → max {max(samples)} → {samples[-1]} KiB")


def test_frame_with_an_array_of_10000_events_past_the_default_size_closes_1009(
    shared_server,
) -> None:
    async def scenario() -> tuple[list[dict[str, Any]], int | None]:
        raw = await RawWebsocket.open(shared_server.url)
        join = {"type": "join", "ref": 0, "token": raw.page.token, "url": shared_server.url + "/"}  # type: ignore[attr-defined]
        raw.send(frame_bytes(OP_TEXT, json.dumps(join).encode()))
        assert (await raw.read_frame()) is not None
        raw.send(frame_bytes(OP_TEXT, json.dumps(BATCH).encode()))
        texts, code = await raw.texts_then_close()
        raw.close()
        return texts, code

    assert run(scenario()) == ([], 1009)
    assert shared_server.unhandled() == []


# -- S13: 200 users at once, no cross-talk -------------------------------------------------------

_USER = re.compile(r"user=(u\d+)")


async def user_session(base: str, index: int, clicks: int) -> tuple[str, list[str]]:
    """Session of user ``u<index>``: every frame it received (as text), join first."""
    path = f"/whoami?user=u{index}" if index % 2 else f"/?user=u{index}"
    session = await Session.open(base, path)
    received = [json.dumps(session.join_reply)]
    for _ in range(clicks):
        await asyncio.sleep(random.random() * 0.05)  # interleave with the others
        ref = await session.send({"type": "event", "kind": "click", "event": "inc", "value": {}})
        async with asyncio.timeout(WAIT):
            while True:
                text = await session.ws.recv()
                received.append(text)
                if json.loads(text).get("ref") == ref:
                    break
    await session.close()
    return f"u{index}", received


def test_sessions_of_200_users_receive_only_their_own_patches(server) -> None:
    async def scenario() -> list[tuple[str, list[str]]]:
        await quiet(server)
        gate = asyncio.Semaphore(50)

        async def one(index: int) -> tuple[str, list[str]]:
            async with gate:
                return await user_session(server.url, index, 5)

        return await asyncio.gather(*(one(i) for i in range(200)))

    results = run(scenario(), timeout=90)
    crossed = {}
    for user, frames in results:
        others = {u for text in frames for u in _USER.findall(text)} - {user}
        if others:
            crossed[user] = others
    assert crossed == {}
    for (user, frames), index in zip(results, range(200), strict=True):
        assert f"user={user}" in frames[0]  # the join shows the page's own user
        if index % 2:  # /whoami: every patch names the user and its count
            assert [f"user={user} count={n}" in f for n, f in enumerate(frames[1:], 1)] == [
                True
            ] * 5
        else:  # the Counter at /
            assert [f"Count: {n}" in f for n, f in enumerate(frames[1:], 1)] == [True] * 5


# -- S14: static routes --------------------------------------------------------------------------

TRAVERSALS = [
    "/_pylive/..%2f..%2fpyproject.toml",
    "/_pylive/..%2F..%2Fpyproject.toml",
    "/_pylive/%2e%2e/%2e%2e/pyproject.toml",
    "/_pylive/%2E%2E%2F%2E%2E%2Fpyproject.toml",
    "/_pylive/..%252f..%252fpyproject.toml",
    "/_pylive/..%255c..%255cpyproject.toml",
    "/_pylive/..\\..\\pyproject.toml",
    "/_pylive/..%5c..%5cpyproject.toml",
    "/_pylive/client.js/../../pyproject.toml",
    "/_pylive/client.js/..%2f..%2fpyproject.toml",
    "/_pylive/client.js/../../x",
    "/_pylive/../pyproject.toml",
    "/_pylive/../../../../../../etc/passwd",
    "/_pylive/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/_pylive/....//....//pyproject.toml",
    "/_pylive/..;/..;/pyproject.toml",
    "/_pylive/client.js%00.toml",
    "/_pylive/client.js%2500",
    "/_pylive//etc/passwd",
    "/_pylive/%5c%5c%3f%5cC:%5cWindows%5cwin.ini",
    "/_pylive/\\\\.\\device",
    "/_pylive/client.000000000000.js",
    "/_pylive/client.js.map",
    "/_pylive",
    "/..%2fpyproject.toml",
    "/%2e%2e/pyproject.toml",
    "/pyproject.toml",
    "/pylive/client.js",
    "/tests/reliability/server_app.py",
    "/%2fetc%2fpasswd",
]


NOT_FOUND = "⚠️ 404 — Not Found\n==================\n"
"""Sanic's plain-text error page, as pylive configures it (FALLBACK_ERROR_FORMAT = "text")."""


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
"""What Chromium asks for when it loads a page: Sanic would answer an error with its HTML page."""


async def raw_get(port: int, path: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n"
            f"Accept: {BROWSER_ACCEPT}\r\n\r\n"
        )
        writer.write(request.encode())
        async with asyncio.timeout(WAIT):
            data = await reader.read(-1)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_static_route_traversals_are_404_and_never_file_contents(shared_server) -> None:
    port = shared_server.port
    secrets_on_disk = [
        (ROOT / "pyproject.toml").read_bytes()[:40],
        Path("/etc/passwd").read_bytes()[:20],
        (ROOT / "client.js").read_bytes()[:40],
        (ROOT / "tests/reliability/server_app.py").read_bytes()[:40],
    ]

    async def scenario() -> dict[str, tuple[int, bytes]]:
        replies = await asyncio.gather(*(raw_get(port, path) for path in TRAVERSALS))
        return dict(zip(TRAVERSALS, replies, strict=True))

    replies = run(scenario())
    expected = {
        path: (404, f"{NOT_FOUND}Requested URL {path} not found\n\n".encode())
        for path in TRAVERSALS
    }  # fmt: skip
    assert replies == expected
    leaked = [p for p, (_, body) in replies.items() if any(s in body for s in secrets_on_disk)]
    assert leaked == []
    status, body = run(raw_get(port, "/_pylive/client.js"))  # the one file it does serve
    assert (status, body) == (200, (ROOT / "pylive" / "client.min.js").read_bytes())  # minified


# -- S10: JavaScript is never built from strings -------------------------------------------------

MARKERS = ("<script", "javascript:")


def constant_text(node: ast.AST) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def interpolations(tree: ast.AST) -> Iterator[tuple[int, str, str]]:
    """(line, how, constant text) of every string built from parts: f-strings, ``%``,
    ``.format()``, ``+`` with a non-constant operand; except inside a ``raise`` statement (an
    exception's message, which no page ever receives)."""
    messages = {id(n) for r in ast.walk(tree) if isinstance(r, ast.Raise) for n in ast.walk(r)}
    for node in ast.walk(tree):
        if id(node) in messages:
            continue
        if isinstance(node, ast.JoinedStr):
            yield node.lineno, "f-string", "".join(constant_text(v) for v in node.values)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
            texts = constant_text(node.left) + constant_text(node.right)
            mixed = not (
                isinstance(node.left, ast.Constant) and isinstance(node.right, ast.Constant)
            )
            if texts and mixed:
                yield node.lineno, type(node.op).__name__, texts
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and constant_text(node.func.value)
        ):
            yield node.lineno, ".format", constant_text(node.func.value)


def script_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "script":
                yield node


def test_server_builds_no_javascript_by_string_interpolation(shared_server) -> None:
    """(1) No f-string, ``%``, ``.format()`` or ``+`` in any ``pylive/**/*.py`` (outside a
    ``raise`` statement) has a constant part containing ``<script`` or ``javascript:`` (any
    case); (2) the only ``script(...)`` call
    in the package is ``htpy.script(type="module", src=client_src)`` in ``document.py``; (3) a
    page the server renders holds exactly one ``<script``: that tag, naming the hashed
    client.js."""
    found = []
    calls = []
    for path in sorted((ROOT / "pylive").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for line, how, text in interpolations(tree):
            if any(marker in text.lower() for marker in MARKERS):
                found.append(f"{path.relative_to(ROOT)}:{line} {how} {text!r}")
        for call in script_calls(tree):
            keywords = {k.arg: ast.unparse(k.value) for k in call.keywords}
            calls.append((path.relative_to(ROOT).as_posix(), ast.unparse(call.func), keywords))
    assert found == []
    only = ("pylive/document.py", "htpy.script", {"type": "'module'", "src": "client_src"})
    assert calls == [only]
    html, _ = fetch_page(shared_server.url + "/")
    tags = re.findall(r"<script[^>]*>", html, re.IGNORECASE)
    assert len(tags) == 1 and html.lower().count("<script") == 1
    assert re.fullmatch(r'<script type="module" src="/_pylive/client\.[0-9a-f]{12}\.js">', tags[0])
    assert "javascript:" not in html.lower()


# -- item 9: redirect targets --------------------------------------------------------------------

REFUSED_TARGETS = [
    "//evil", "/\\evil", "/%09/evil.example", "/%5Cevil", "/%5cevil", "/%2F%2Fevil",
    "/%2f/evil", "/\t/evil", "/%2509/x", "/%250A/x", "/x\r\nSet-Cookie: a=b", "/x\nLocation: //e",
    "/\r/evil", "/x\x00", "/%00", "https://evil.example", "javascript:alert(1)", "evil", "",
    " /x", "\\\\evil", "/\\/evil", "/ /x\x7f",
]  # fmt: skip
ACCEPTED_TARGETS = ["/users/1?x=2", "/a?next=%2F%2Fx", "/", "/a/b#frag", "/search?q=%5C"]


def test_redirect_refuses_every_off_site_target_with_an_exact_error() -> None:
    socket = Socket("Go")
    messages = {}
    for target in REFUSED_TARGETS:
        with pytest.raises(ValueError) as refused:
            socket.redirect(target)
        messages[target] = str(refused.value)
    assert messages == {
        target: f"Go.redirect: expected a local path like '/users/1', got {target!r}"
        for target in REFUSED_TARGETS
    }
    assert socket.redirect_to is None
    for target in ACCEPTED_TARGETS:
        assert socket.redirect(target).redirect_to == target


def test_redirect_over_the_wire_sends_only_local_paths(server) -> None:
    """A view that redirects wherever the client asks: a local path is a redirect frame, an
    off-site one a crash of that view (its ValueError), never a redirect frame."""

    async def scenario() -> list[dict[str, Any]]:
        replies = []
        for target in ["/users/1?x=2", "//evil", "/a?next=%2F%2Fx", "/%09/evil.example"]:
            session = await Session.open(server.url, "/go")
            replies.append(without_ref(await session.click("go", {"to": target})))
            await session.close()
        return replies

    assert run(scenario()) == [
        {"type": "redirect", "to": "/users/1?x=2"},
        {"type": "error", "reason": "crash"},
        {"type": "redirect", "to": "/a?next=%2F%2Fx"},
        {"type": "error", "reason": "crash"},
    ]
