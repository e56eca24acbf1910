"""Form payloads: browser field names and values → nested params, as LiveView decodes them.

``[("user[email]", "a@b"), ("user[tags][]", "x"), ("user[tags][]", "y"), ("ok", "1")]`` becomes
``{"user": {"email": "a@b", "tags": ["x", "y"]}, "ok": "1"}`` (the decoder of ``pylive.params``,
shared with query strings); ``_target`` names the changed field as a key path: ``"user[email]"`` →
``["user", "email"]``.
"""

from __future__ import annotations

from typing import Any

from pylive.params import decode_pairs, name_path


def decode_form(pairs: list[tuple[str, str]], target: str | None = None) -> dict[str, Any]:
    """Nested params from a form's ``(name, value)`` pairs; bad shapes raise ``InvalidParams``."""
    params = decode_pairs(pairs, "form field")
    if target is not None:
        params["_target"] = name_path(target)
    return params
