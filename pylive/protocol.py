"""The wire vocabulary: every patch op code and message kind, named once.

``client.js`` mirrors these values in its constants section; ``tests/test_client_replay.py``
fails when the two drift. ``docs/protocol.md`` documents each one with an example.

Patch ops are JSON arrays ``[code, ...args]``. They are applied in order; every path is a list of
child indexes from the view's container, valid at the moment its op is applied.
"""

from __future__ import annotations

from typing import Final

# --- patch ops -----------------------------------------------------------------------------------
OP_TEXT: Final = 0
"""``[0, path, text]`` — set the text of the text node at ``path``."""
OP_ATTRS: Final = 1
"""``[1, path, {name: value}]`` — set attributes (``true``: bare attribute, ``null``: remove)."""
OP_INSERT: Final = 2
"""``[2, parent_path, index, node]`` — insert a node (wire form: ``pylive.wire``) at ``index``."""
OP_REMOVE: Final = 3
"""``[3, path]`` — remove the node at ``path``."""
OP_MOVE: Final = 4
"""``[4, parent_path, from, to]`` — move child ``from`` so that it ends at index ``to``."""
OP_REPLACE: Final = 5
"""``[5, path, node]`` — replace the node at ``path`` with a new one."""
OP_HTML: Final = 6
"""``[6, path, html]`` — set the inner HTML of an element whose content is raw HTML."""
OP_STREAM_INSERT: Final = 7
"""``[7, path, at, node(, limit(, 1))]`` — into the ``phx-update="stream"`` container at ``path``:
update the child with ``node``'s id in place, or (unless the trailing ``1``, *update only*, is
given) insert ``node`` at index ``at`` among the stream items (``-1``: after the last one); then
keep the first ``limit`` items (the last ``-limit`` when negative). Stream items always come before
the container's fixed children (``STREAM_FIXED``), which a new fixed child joins at the end."""
OP_STREAM_DELETE: Final = 8
"""``[8, path, dom_id]`` — remove the child with id ``dom_id`` of the stream container at
``path`` (none: nothing happens)."""
OP_STREAM_RESET: Final = 9
"""``[9, path(, 1)]`` — remove every stream item of the stream container at ``path`` (its fixed
children stay); with the trailing ``1``, every child (the element stops or starts being a stream
container)."""

OP_APPEND: Final = 10
"""``[10, path, [node, ...]]`` — into the ``phx-update="append"`` container at ``path``, whose
children the browser keeps: each node whose id is the id of a child already there updates that
child in place; the others are added after the last child, in order."""
OP_PREPEND: Final = 11
"""``[11, path, [node, ...]]`` — as ``OP_APPEND``, for a ``phx-update="prepend"`` container: the
new nodes are added before its first child, in their order (``[c, d]`` before ``[a, b]`` gives
``c, d, a, b``)."""

STREAM_FIXED: Final = "data-phx-fixed"
"""Marks a child of a stream container that no stream inserted (an "Empty!" placeholder, a "load
more" sentinel): the server renders it every time, the browser keeps it after the stream items, a
reset leaves it, and a limit does not count it."""

OPS: Final = {
    "text": OP_TEXT,
    "attrs": OP_ATTRS,
    "insert": OP_INSERT,
    "remove": OP_REMOVE,
    "move": OP_MOVE,
    "replace": OP_REPLACE,
    "html": OP_HTML,
    "stream_insert": OP_STREAM_INSERT,
    "stream_delete": OP_STREAM_DELETE,
    "stream_reset": OP_STREAM_RESET,
    "append": OP_APPEND,
    "prepend": OP_PREPEND,
}
"""Op name → code; the table ``client.js`` must mirror."""

# --- messages ------------------------------------------------------------------------------------
# Every frame is one JSON object with a "type" (c→s) or a "ref" answering one (s→c replies).
# See docs/protocol.md for one example of each.

MSG_JOIN: Final = "join"
"""c→s ``{"type":"join","ref":0,"token":…,"url":…,"mounts":n}`` — mount the view the token names."""
MSG_EVENT: Final = "event"
"""c→s ``{"type":"event","ref":n,"kind":"click","event":"inc","value":{…}}`` — a user event."""
MSG_HEARTBEAT: Final = "hb"
"""c→s ``{"type":"hb","ref":n}`` — liveness; answered by ``{"ref":n}``."""
MSG_PATCH: Final = "patch"
"""s→c ``{"type":"patch","ops":[…]}`` — a render not caused by a client event (timer, message)."""
MSG_ERROR: Final = "error"
"""s→c ``{"type":"error","reason":…}`` — the view crashed or the join was refused."""
MSG_RELOAD: Final = "reload"
"""s→c ``{"type":"reload","reason":…}`` — give up on this page: load it again over HTTP."""
MSG_REDIRECT: Final = "redirect"
"""s→c ``{"type":"redirect","to":"/path"}`` — load a page (a local path; ``"external": true``:
another site's URL); ``"flash"``: the flash to show there."""
MSG_NAVIGATE: Final = "navigate"
"""c→s ``{"type":"navigate","ref":n,"url":…,"kind":"patch"}`` — live navigation to ``url``: the
same view's ``handle_params`` (patch), or another view of the live session mounted."""

MSG_UPLOAD: Final = "upload"
"""c→s ``{"type":"upload","ref":n,"upload":"phx-upload-0","entries":["0"]}`` — preflight: start
sending these entries; the reply gives each a token (docs/protocol.md, Uploads)."""
MSG_UPLOAD_PROGRESS: Final = "upload_progress"
"""c→s ``{"type":"upload_progress","ref":n,"token":t,"progress":50}`` (or ``"error"``) — an
external uploader's report."""
MSG_UPLOAD_ACK: Final = "upload_ack"
"""s→c ``{"type":"upload_ack","token":t,"received":n}`` — a binary chunk written."""
MSG_UPLOAD_ERROR: Final = "upload_error"
"""s→c ``{"type":"upload_error","token":t,"error":"too_large"}`` — the entry failed; stop it."""

UPLOAD_MESSAGES: Final = frozenset(
    {MSG_UPLOAD, MSG_UPLOAD_PROGRESS, MSG_UPLOAD_ACK, MSG_UPLOAD_ERROR}
)
"""The upload messages (besides the binary chunk frames)."""
KEY_UPLOADS: Final = "uploads"
"""In a form event frame: ``{upload_ref: [entry, ...]}``, the files the client chose."""

MESSAGES: Final = frozenset(
    {
        MSG_JOIN,
        MSG_EVENT,
        MSG_HEARTBEAT,
        MSG_PATCH,
        MSG_ERROR,
        MSG_RELOAD,
        MSG_REDIRECT,
        MSG_NAVIGATE,
    }
)

# Keys of a server frame besides "type"/"ref".
KEY_OPS: Final = "ops"
"""The patch ops of this render."""
KEY_TREE: Final = "tree"
"""In a join reply: the container's children in wire form, replacing what the HTTP render put."""
KEY_REPLY: Final = "reply"
"""In an event reply: the dict ``handle_event`` returned."""
KEY_EVENTS: Final = "events"
"""``[[name, payload], …]`` pushed with ``socket.push_event``; dispatched as ``phx:<name>``."""
KEY_TITLE: Final = "title"
"""The new page title, when ``page_title`` changed."""
KEY_NAV: Final = "nav"
"""A live navigation the server made: ``{"kind":"patch"|"navigate","to":"/path","replace":b}``
(the frame's ops, or its tree and token, are the page there)."""
KEY_TOKEN: Final = "token"
"""With a tree sent by a live navigation: the join token of the view now mounted."""
KEY_ERROR: Final = "error"
"""In a reply: why the event was refused (rate limit, bad payload); nothing else happened."""

# Event kinds sent by the client (the "kind" of an event frame).
EVENT_KINDS: Final = frozenset(
    {"click", "submit", "change", "keydown", "keyup", "focus", "blur", "hook"}
)

# Websocket close codes.
CLOSE_NORMAL: Final = 1000
CLOSE_GOING_AWAY: Final = 1001
CLOSE_UNSUPPORTED: Final = 1003
"""A binary frame where the protocol defines none."""
CLOSE_INVALID_DATA: Final = 1007
"""A text frame that is not UTF-8."""
CLOSE_POLICY: Final = 1008
"""Refused by policy: too many events, sustained."""
CLOSE_TOO_BIG: Final = 1009
"""A frame larger than ``Limits.max_message_bytes``."""
CLOSE_TRY_LATER: Final = 1013
"""The client does not read what it is sent (``Limits.max_outbound_bytes``): reconnect."""
CLOSE_RESTART: Final = 1012
"""The server is shutting down or restarting: reconnect."""

# JS command kinds: ``[[kind, {args}], ...]`` in a ``phx-*`` attribute (``pylive.js``); each is
# the name of a ``JS`` method and of the client's ``exec_<kind>`` handler.
JS_COMMANDS: Final = (
    "push",
    "dispatch",
    "show",
    "hide",
    "toggle",
    "add_class",
    "remove_class",
    "toggle_class",
    "transition",
    "set_attribute",
    "remove_attribute",
    "toggle_attribute",
    "ignore_attributes",
    "focus",
    "focus_first",
    "push_focus",
    "pop_focus",
    "navigate",
    "patch",
    "exec",
)
"""Every JS command kind, in the order ``docs/js.md`` lists them; ``client.js`` mirrors it."""
