"""Copy to clipboard: a button whose hook, written inline as a Python string, copies the text of
the element its ``data-copy`` names, shows "Copied!" with the JS command API a hook has
(``this.js()``), and tells the server with ``pushEvent``.

A hook needs no file: ``Hook("Clipboard", js="export default {...}")`` is served by the app like
any other, under a URL that changes when its source does.

Try this: press "Copy" and paste somewhere; the server counts the copies.
"""

from pylive import Hook, LiveView
from pylive.html import button, code, div, p, span

CLIPBOARD = Hook(
    "Clipboard",
    js="""\
export default {
  mounted() {
    this.el.addEventListener("click", async () => {
      const source = document.querySelector(this.el.dataset.copy);
      await navigator.clipboard.writeText(source.textContent.trim());
      const done = this.el.querySelector(".copied");
      this.js().show(done);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.js().hide(done), 1500);
      this.pushEvent("copied", { from: this.el.dataset.copy });
    });
  },
  destroyed() {
    clearTimeout(this.timer);
  },
};
""",
)


class ClipboardPage(LiveView):
    hooks = (CLIPBOARD,)

    def mount(self, params, session, socket):
        socket.assign(copies=0)

    def render(self, assigns):
        return div(
            p("Your invitation link:"),
            code("https://example.com/join/7f3a9c", id="invite-link"),
            button(
                "Copy",
                span("Copied!", class_="copied", style="display: none"),
                id="copy-invite",
                type="button",
                phx_hook=CLIPBOARD,
                data_copy="#invite-link",
            ),
            p(f"Copied {assigns.copies} times.", id="copies"),
            class_="demo hooks-clipboard",
        )

    def handle_event(self, event, params, socket):
        if event == "copied":
            socket.update("copies", lambda n: n + 1)
