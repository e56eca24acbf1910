"""Uploads: a profile picture and documents, sent in chunks over the live socket. The picture
(``auto_upload=True``) starts as soon as it is chosen or dropped on its area
(``phx_drop_target``), with a preview drawn from the local file (``live_img_preview``) and a
progress bar the ``progress`` callback drives; documents (up to five) go when the form is
submitted. Each entry can be cancelled; the server checks type, size and count before a byte
is sent and shows why it refused one. Saving consumes the finished entries: the view stores
their size and checksum, never the client's file name as a path.

Try this: drop an image on "Profile picture"; choose three documents, cancel one, then press
"Upload all". Try a .txt as a picture: "File type not accepted".
"""

import hashlib
from pathlib import Path

from pylive import LiveView, consume_uploaded_entries, upload_errors
from pylive.html import (
    article,
    button,
    div,
    figcaption,
    figure,
    form,
    h3,
    li,
    progress,
    section,
    span,
    ul,
)
from pylive.inputs import live_file_input, live_img_preview

MESSAGES = {
    "too_large": "File is too large",
    "not_accepted": "File type not accepted",
    "too_many_files": "Too many files selected",
}


def error_to_string(code):
    return MESSAGES.get(code, f"Upload failed ({code})")


def format_bytes(size):
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.2f} KB"
    return f"{size / 1024 / 1024:.2f} MB"


def stored(meta, entry):
    """What the view keeps of a finished entry: its size and checksum (the bytes stay in the
    temp file, which is deleted after this returns)."""
    data = Path(meta["path"]).read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{entry.client_name}: {format_bytes(len(data))}, sha256 {digest}"


class ProfilePage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(uploaded_files=[], uploading=False)
        socket.allow_upload(
            "avatar",
            accept=[".jpg", ".jpeg", ".png", ".webp"],
            max_entries=1,
            max_file_size=5_000_000,
            auto_upload=True,
            progress=self.handle_progress,
            chunk_size=64_000,
        )
        socket.allow_upload(
            "documents", accept=[".pdf", ".doc", ".docx", ".txt"], max_entries=5,
            max_file_size=10_000_000,
        )  # fmt: skip

    def handle_progress(self, name, entry, socket):
        socket.assign(uploading=not entry.done)

    def render(self, assigns):
        avatar, documents = assigns.uploads.avatar, assigns.uploads.documents
        return div(
            form(
                section(
                    h3("Profile picture"),
                    live_file_input(avatar, class_="file-input"),
                    [
                        article(
                            figure(
                                live_img_preview(entry, width=120), figcaption(entry.client_name)
                            ),
                            div(
                                progress(f"{entry.progress}%", value=entry.progress, max=100),
                                span(f"{entry.progress}%", class_="percent"),
                                class_="progress-container",
                            ),
                            button(
                                "Cancel",
                                type="button",
                                phx_click="cancel-upload",
                                phx_value_name="avatar",
                                phx_value_ref=entry.ref,
                                aria_label="cancel",
                            ),
                            [
                                div(error_to_string(e), class_="error")
                                for e in upload_errors(avatar, entry)
                            ],
                            class_="upload-entry",
                            id=f"avatar-{entry.ref}",
                        )
                        for entry in avatar.entries
                    ],
                    [div(error_to_string(e), class_="error") for e in upload_errors(avatar)],
                    id="avatar-drop",
                    class_="avatar-upload",
                    phx_drop_target=avatar.ref,
                ),
                section(
                    h3("Documents (up to 5 files)"),
                    live_file_input(documents),
                    ul(
                        [
                            li(
                                f"{entry.client_name} - {format_bytes(entry.client_size)} ",
                                [
                                    span(error_to_string(e), class_="error")
                                    for e in upload_errors(documents, entry)
                                ],
                                button(
                                    "Remove",
                                    type="button",
                                    phx_click="cancel-upload",
                                    phx_value_name="documents",
                                    phx_value_ref=entry.ref,
                                ),
                                id=f"document-{entry.ref}",
                            )
                            for entry in documents.entries
                        ],
                        id="documents",
                    ),
                    [div(error_to_string(e), class_="error") for e in upload_errors(documents)],
                    class_="documents-upload",
                ),
                button("Upload all", id="upload-all", type="submit", disabled=assigns.uploading),
                id="upload-form",
                phx_submit="save",
                phx_change="validate",
            ),
            section(
                h3("Uploaded files"),
                ul([li(line) for line in assigns.uploaded_files], id="uploaded"),
                class_="uploaded-files",
            )
            if assigns.uploaded_files
            else None,
            class_="demo uploads-profile",
        )

    def handle_event(self, event, params, socket):
        if event == "cancel-upload" and params.get("name") in ("avatar", "documents"):
            socket.cancel_upload(params["name"], params.get("ref", ""))
        elif event == "save":
            files = consume_uploaded_entries(socket, "avatar", stored)
            files += consume_uploaded_entries(socket, "documents", stored)
            socket.update("uploaded_files", lambda shown: [*shown, *files])
            if files:
                socket.put_flash("info", "Files uploaded successfully!")
