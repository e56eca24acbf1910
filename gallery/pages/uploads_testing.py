"""Testing uploads: an "Upload File" form and the tests written for it with the in-process test
client (``tests/test_gallery_uploads.py`` runs them), LiveViewTest's upload helpers done the
Python way: ``file_input(view, "#upload-form", "avatar", [file])`` chooses a file (the server's
checks show in the HTML it returns) and ``render_upload(upload, "avatar.png", 100)`` sends its
bytes, in chunks, through the same session code as the browser.

Try this: choose a PDF ("Invalid file type"), a PNG over 5 MB ("File too large"), then a small
PNG: its progress reaches 100 % and "Save" keeps it.
"""

from pylive import LiveView, consume_uploaded_entries, upload_errors
from pylive.html import button, div, form, h2, li, p, span, ul
from pylive.inputs import live_file_input

MESSAGES = {
    "not_accepted": "Invalid file type",
    "too_large": "File too large",
    "too_many_files": "Too many files",
}


class UploadTestingPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(saved=[])
        socket.allow_upload("avatar", accept=[".png", ".jpg", ".jpeg"], max_file_size=5_000_000)

    def render(self, assigns):
        upload = assigns.uploads.avatar
        return div(
            h2("Upload File"),
            form(
                div(live_file_input(upload), phx_drop_target=upload.ref, class_="drop-zone"),
                ul(
                    [
                        li(
                            span(entry.client_name),
                            f" {entry.progress}%",
                            [
                                p(MESSAGES.get(e, e), class_="error")
                                for e in upload_errors(upload, entry)
                            ],
                            id=f"upload-entry-{entry.ref}",
                        )
                        for entry in upload.entries
                    ],
                    id="upload-entries",
                ),
                button("Save", id="save-upload", type="submit"),
                id="upload-form",
                phx_change="validate",
                phx_submit="save",
            ),
            ul([li(name) for name in assigns.saved], id="saved-files"),
            class_="demo uploads-testing",
        )

    def handle_event(self, event, params, socket):
        if event == "save":
            names = consume_uploaded_entries(
                socket, "avatar", lambda meta, entry: entry.client_name
            )
            socket.update("saved", lambda saved: [*saved, *names])
