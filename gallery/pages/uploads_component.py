"""Uploads in live components: each attachment card is a live component that allows its own
upload in ``mount`` (``socket.allow_upload`` on the component's socket), renders its own file
input and form (``phx_target=assigns.myself``) and consumes its own files. The two cards never
see each other's entries; choosing, sending and saving re-render only the card involved. Removing
a card from the page deletes the files it was holding.

Try this: attach two files to "Report" and one to "Invoice", save each card, then attach a file
to "Invoice" and press "Remove invoice" before saving it.
"""

import hashlib
from pathlib import Path

from pylive import LiveComponent, LiveView, consume_uploaded_entries, live_component, upload_errors
from pylive.html import button, div, form, h3, li, span, ul
from pylive.inputs import live_file_input


def checksum(meta, entry):
    data = Path(meta["path"]).read_bytes()
    return f"{entry.client_name}: {len(data)} B, sha256 {hashlib.sha256(data).hexdigest()[:12]}"


class AttachmentCard(LiveComponent):
    def mount(self, socket):
        socket.assign(saved=[])
        socket.allow_upload("files", accept=":any", max_entries=3, max_file_size=1_000_000)

    def render(self, assigns):
        files = assigns.uploads.files
        return form(
            h3(assigns.title),
            live_file_input(files),
            ul(
                [
                    li(
                        span(entry.client_name),
                        f" {entry.progress}%",
                        [span(f" {code}", class_="error") for code in upload_errors(files, entry)],
                        id=f"{assigns.id}-entry-{entry.ref}",
                    )
                    for entry in files.entries
                ],
                class_="entries",
            ),
            [div(code, class_="error") for code in upload_errors(files)],
            button("Save", type="submit"),
            ul([li(line) for line in assigns.saved], class_="saved"),
            id=f"{assigns.id}-card",
            class_="attachment-card",
            phx_change="validate",
            phx_submit="save",
            phx_target=assigns.myself,
        )

    def handle_event(self, event, params, socket):
        if event == "save":
            saved = consume_uploaded_entries(socket, "files", checksum)
            socket.update("saved", lambda shown: [*shown, *saved])


class AttachmentsPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(cards=["report", "invoice"])

    def render(self, assigns):
        return div(
            [
                live_component(AttachmentCard, id=card, title=card.capitalize())
                for card in assigns.cards
            ],
            [
                button(
                    f"Remove {card}", phx_click="remove", phx_value_card=card, id=f"remove-{card}"
                )
                for card in assigns.cards
            ],
            class_="demo uploads-component",
        )

    def handle_event(self, event, params, socket):
        if event == "remove":
            socket.update("cards", lambda cards: [c for c in cards if c != params.get("card")])
