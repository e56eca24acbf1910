"""Test-only views for the uploads e2e suite: a form that takes up to three files, lists each
entry with its progress and errors, consumes them on submit into SAVED (sha256 by name)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pylive import App, LiveView
from pylive.html import button, div, form, li, p, span, ul
from pylive.inputs import live_file_input, live_img_preview
from pylive.uploads import consume_uploaded_entries, upload_errors

SAVED: dict[str, str] = {}
"""What the view consumed: the client's file name → the sha256 of the bytes stored."""


def sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Documents(LiveView):
    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(saved=0)
        socket.allow_upload(
            "docs", accept=":any", max_entries=3, max_file_size=30_000_000, chunk_size=64_000
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "cancel":
            socket.cancel_upload("docs", params["ref"])
        elif event == "save":

            def keep(meta: dict[str, Any], entry: Any) -> str:
                SAVED[entry.client_name] = sha256(meta["path"])
                return str(entry.client_name)

            names = consume_uploaded_entries(socket, "docs", keep)
            socket.update("saved", lambda n: n + len(names))

    def render(self, assigns: Any) -> Any:
        upload = assigns.uploads.docs
        return div(
            form(
                live_file_input(upload),
                ul(
                    [
                        li(
                            span(entry.client_name, class_="name"),
                            span(f"{entry.progress}%", class_="progress"),
                            live_img_preview(entry)
                            if entry.client_type.startswith("image/")
                            else None,
                            [p(code, class_="error") for code in upload_errors(upload, entry)],
                            button(
                                "cancel",
                                type="button",
                                class_="cancel",
                                phx_click="cancel",
                                phx_value_ref=entry.ref,
                            ),
                            id=f"entry-{entry.ref}",
                        )
                        for entry in upload.entries
                    ],
                    id="entries",
                ),
                [p(code, class_="error") for code in upload_errors(upload)],
                div("Drop files here", id="drop", phx_drop_target=upload.ref),
                button("Upload", id="upload", type="submit"),
                id="upload-form",
                phx_change="validate",
                phx_submit="save",
            ),
            p(f"saved={assigns.saved}", id="saved"),
        )


def uploads_app() -> App:
    app = App(
        secret_key="e2e-secret-key-0123456789",
        title="e2e uploads",
        head='<link rel="icon" href="data:,">',
    )
    app.live("/", Documents)
    app.live("/external", ExternalDocuments)
    return app


class ExternalDocuments(LiveView):
    """Files sent straight to a storage endpoint (``external=``): the server only signs the URL
    (``PUT_BASE`` is set by the test to the endpoint it serves on loopback)."""

    PUT_BASE = ""

    def mount(self, params: Any, session: Any, socket: Any) -> None:
        socket.assign(stored=[])
        socket.allow_upload("ext", accept=":any", max_entries=2, external=self.presign)

    def presign(self, entry: Any, socket: Any) -> dict[str, Any]:
        return {"uploader": "Local", "meta": {"url": f"{self.PUT_BASE}/put/{entry.uuid}"}}

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "save":
            names = consume_uploaded_entries(socket, "ext", lambda meta, e: e.uuid)
            socket.update("stored", lambda stored: [*stored, *names])

    def render(self, assigns: Any) -> Any:
        upload = assigns.uploads.ext
        return div(
            form(
                live_file_input(upload),
                ul(
                    [
                        li(
                            span(entry.client_name, class_="name"),
                            span(f"{entry.progress}%", class_="progress"),
                            [p(code, class_="error") for code in upload_errors(upload, entry)],
                            id=f"ext-{entry.ref}",
                        )
                        for entry in upload.entries
                    ],
                    id="entries",
                ),
                button("Upload", id="upload", type="submit"),
                id="ext-form",
                phx_change="validate",
                phx_submit="save",
            ),
            ul([li(uuid) for uuid in assigns.stored], id="stored"),
        )
