"""The wire vocabulary: every patch op code and message kind, named once.

``client.js`` mirrors these values in its constants section; ``tests/test_protocol.py`` fails when
the two drift. ``docs/protocol.md`` documents each one with an example.

Patch ops are JSON arrays ``[code, ...args]``. They are applied in order; every path is a list of
child indexes from the view's container, valid at the moment its op is applied.
"""

from __future__ import annotations

from typing import Final

# --- patch ops -----------------------------------------------------------------------------------
OP_TEXT: Final = 0
"""``[0, path, text]`` — set the text of the text node at ``path``."""
OP_ATTRS: Final = 1
"""``[1, path, {name: value}]`` — set attributes; ``true`` sets a bare attribute, ``null`` removes."""
OP_INSERT: Final = 2
"""``[2, parent_path, index, node]`` — insert a node (wire form, see ``pylive.wire``) at ``index``."""
OP_REMOVE: Final = 3
"""``[3, path]`` — remove the node at ``path``."""
OP_MOVE: Final = 4
"""``[4, parent_path, from, to]`` — move child ``from`` so that it ends at index ``to``."""
OP_REPLACE: Final = 5
"""``[5, path, node]`` — replace the node at ``path`` with a new one."""
OP_HTML: Final = 6
"""``[6, path, html]`` — set the inner HTML of an element whose content is raw HTML."""

OPS: Final = {
    "text": OP_TEXT,
    "attrs": OP_ATTRS,
    "insert": OP_INSERT,
    "remove": OP_REMOVE,
    "move": OP_MOVE,
    "replace": OP_REPLACE,
    "html": OP_HTML,
}
"""Op name → code; the table ``client.js`` must mirror."""
