"""The pylive gallery: every page is a live demo shown next to its own Python source. The
sidebar's links are ``link(navigate=...)``: moving between pages mounts the next demo over the
same websocket, with no page load (the protected dashboard is in another live session, so
reaching it loads the page and runs its check).

Run it with ``scripts/demo`` (or ``python -m pylive run gallery.app:app``); with
``PYLIVE_REDIS_URL=redis://...`` its PubSub goes through Redis, so that ``--workers 2`` share
the chat room.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from types import ModuleType
from typing import Any

from gallery.pages import (
    async_dashboard,
    async_testing,
    auth_session,
    c61_counters,
    c62_update_lifecycle,
    c63_color_picker,
    c64_send_update,
    c65_event_payload,
    c66_card_slots,
    c67_table_slot,
    c68_dynamic,
    c69_composed_form,
    c70_testing,
    clock,
    counter,
    debounced_search,
    disable_with,
    form,
    form_registration,
    form_testing,
    hooks_basics,
    hooks_chart,
    hooks_clipboard,
    hooks_handle_event,
    hooks_lifecycle,
    hooks_push_event,
    js_dropdown,
    js_modal,
    js_push_navigate,
    js_tabs,
    keyed_list,
    keys,
    loading_states,
    nav_products,
    nav_security,
    nav_table,
    pubsub_chat,
    stream,
    stream_infinite,
    telemetry_dashboard,
    temporary_assigns,
    uploads_component,
    uploads_profile,
    uploads_testing,
)
from pylive import App, LiveView, fragment, link
from pylive.app import default_live_layout
from pylive.html import code, details, div, h1, h2, li, main, nav, p, pre, summary, ul
from pylive.pubsub_redis import RedisPubSub

HERE = Path(__file__).parent
REDIS_URL = os.environ.get("PYLIVE_REDIS_URL")
"""PubSub through this Redis when set, so that several workers share the chat room."""

Page = tuple[str, str, ModuleType, type[LiveView]]
"""A gallery page: its path, title, module (whose source it shows) and live view."""

BASICS: list[Page] = [
    ("/counter", "Counter", counter, counter.Counter),
    ("/keyed-list", "Keyed list", keyed_list, keyed_list.KeyedList),
    ("/form", "Live form", form, form.SignupForm),
    ("/clock", "Clock", clock, clock.Clock),
    ("/keys", "Key events", keys, keys.KeyEvents),
    ("/stream", "Stream", stream, stream.Feed),
    ("/stream/infinite", "Infinite scroll", stream_infinite, stream_infinite.InfiniteFeed),
    (
        "/temporary-assigns",
        "Temporary assigns and append containers",
        temporary_assigns,
        temporary_assigns.LogsPage,
    ),
]

COMPONENTS: list[Page] = [
    ("/components/counters", "Stateful counters", c61_counters, c61_counters.CountersDashboard),
    (
        "/components/update",
        "update() lifecycle",
        c62_update_lifecycle,
        c62_update_lifecycle.UserCardPage,
    ),
    ("/components/via-parent", "Via the parent", c63_color_picker, c63_color_picker.ColorPicker),
    ("/components/send-update", "send_update", c64_send_update, c64_send_update.SettingsPage),
    ("/components/payload", "Event payloads", c65_event_payload, c65_event_payload.ShopPage),
    ("/components/slots", "Slots", c66_card_slots, c66_card_slots.ProfilePage),
    ("/components/slot-arguments", "Slot arguments", c67_table_slot, c67_table_slot.UsersPage),
    ("/components/dynamic", "Dynamic components", c68_dynamic, c68_dynamic.WidgetDashboard),
    (
        "/components/composition",
        "Composition",
        c69_composed_form,
        c69_composed_form.NewUserPage,
    ),
    ("/components/testing", "Testing components", c70_testing, c70_testing.IsolatedCounter),
]

JS_COMMANDS: list[Page] = [
    ("/js/modal", "Modal", js_modal, js_modal.ModalPage),
    ("/js/dropdown", "Dropdown", js_dropdown, js_dropdown.DropdownPage),
    ("/js/tabs", "Tabs", js_tabs, js_tabs.TabsPage),
    ("/js/debounce", "Debounce and throttle", debounced_search, debounced_search.SearchPage),
    ("/js/disable-with", "Disable while saving", disable_with, disable_with.SavePage),
    ("/js/loading", "Loading states", loading_states, loading_states.LoadingPage),
    ("/js/push-navigate", "Push and navigate", js_push_navigate, js_push_navigate.UsersPage),
]

FORMS: list[Page] = [
    (
        "/forms/registration",
        "Registration form",
        form_registration,
        form_registration.RegistrationPage,
    ),
    ("/forms/testing", "Testing forms", form_testing, form_testing.UserFormPage),
    ("/uploads/profile", "Uploads", uploads_profile, uploads_profile.ProfilePage),
    ("/uploads/testing", "Testing uploads", uploads_testing, uploads_testing.UploadTestingPage),
    (
        "/uploads/component",
        "Uploads in live components",
        uploads_component,
        uploads_component.AttachmentsPage,
    ),
]

HOOKS: list[Page] = [
    ("/hooks/basics", "Hook basics", hooks_basics, hooks_basics.ClockPage),
    ("/hooks/lifecycle", "Hook lifecycle", hooks_lifecycle, hooks_lifecycle.LifecyclePage),
    ("/hooks/push-event", "pushEvent with a reply", hooks_push_event, hooks_push_event.MapPage),
    (
        "/hooks/handle-event",
        "handleEvent from the server",
        hooks_handle_event,
        hooks_handle_event.NotificationPage,
    ),
    ("/hooks/clipboard", "Copy to clipboard", hooks_clipboard, hooks_clipboard.ClipboardPage),
    ("/hooks/chart", "A chart drawn by a hook", hooks_chart, hooks_chart.ChartPage),
]

NAVIGATION: list[Page] = [
    (nav_products.PATH, "Filters and sort in the URL", nav_products, nav_products.ProductsPage),
    (nav_table.PATH, "A paginated table", nav_table, nav_table.TablePage),
    ("/nav/security", "Authorization and rate limits", nav_security, nav_security.SecurityPage),
    (auth_session.LOGIN_PATH, "Log in", auth_session, auth_session.LogInPage),
    (auth_session.DASHBOARD_PATH, "Protected dashboard", auth_session, auth_session.DashboardPage),
]
ASYNC: list[Page] = [
    ("/async/dashboard", "Async dashboard", async_dashboard, async_dashboard.AsyncDashboard),
    ("/pubsub/chat", "A chat room over PubSub", pubsub_chat, pubsub_chat.ChatRoom),
    (
        "/async/testing",
        "Testing PubSub and background work",
        async_testing,
        async_testing.StatusRoom,
    ),
]
TELEMETRY: list[Page] = [
    (
        "/telemetry",
        "Telemetry and the live dashboard",
        telemetry_dashboard,
        telemetry_dashboard.Telemetry,
    ),
]

AUTHENTICATED = {auth_session.DASHBOARD_PATH}
"""The pages of the "authenticated" live session: its on_mount hook checks the session token."""

SECTIONS: list[tuple[str, list[Page]]] = [
    ("Basics", BASICS),
    ("Components", COMPONENTS),
    ("JS commands", JS_COMMANDS),
    ("Hooks", HOOKS),
    ("Forms and uploads", FORMS),
    ("Navigation and sessions", NAVIGATION),
    ("Async and PubSub", ASYNC),
    ("Telemetry", TELEMETRY),
]
PAGES: list[Page] = [page for _, pages in SECTIONS for page in pages]

NAV = nav(
    link("pylive gallery", navigate="/", class_="brand"),
    [
        (h2(section), ul(*[li(link(title, navigate=path)) for path, title, _, _ in pages]))
        for section, pages in SECTIONS
    ],
    class_="sidebar",
)


def shell(title: str, demo: Any, source: Any) -> Any:
    return fragment(NAV, main(h1(title), div(demo, class_="demo-box"), source, class_="content"))


def showcase(title: str, module: ModuleType, view: type[LiveView]) -> type[LiveView]:
    """The demo view, rendered inside the gallery shell with its module's source below it."""
    # Built once: the same object every render, so the diff skips it in O(1).
    source = fragment(
        details(
            summary("Python source"),
            pre(code(inspect.getsource(module))),
            open=True,
            class_="source",
        ),
        [
            details(
                summary(f"JavaScript: the {hook.name} hook"),
                pre(code(hook.source.decode())),
                class_="source",
            )
            for hook in view.hooks
            if hook.source is not None
        ],
    )

    def render(self: LiveView, assigns: Any) -> Any:
        return shell(title, view.render(self, assigns), source)

    page = type(f"{view.__name__}Page", (view,), {"render": render, "__module__": __name__})
    return page


class Home(LiveView):
    def render(self, assigns: Any) -> Any:
        return fragment(
            NAV,
            main(
                h1("pylive gallery"),
                p("Live views written as plain Python functions. Pick a demo:"),
                [
                    (
                        h2(section),
                        ul(
                            *[
                                li(link(title, navigate=path), " — ", summary_line(module))
                                for path, title, module, _ in pages
                            ]
                        ),
                    )
                    for section, pages in SECTIONS
                ],
                class_="content",
            ),
        )


def summary_line(module: ModuleType) -> str:
    """The first sentence of a page module's docstring."""
    doc = " ".join((module.__doc__ or "").replace("``", "").split())
    return doc.split(". ")[0].removesuffix(".")


def in_shell(content: Any, assigns: Any) -> Any:
    """The live dashboard's layout: the gallery's sidebar beside it, the flash above it."""
    return fragment(NAV, main(default_live_layout(content, assigns), class_="content"))


app = App(
    title="pylive gallery",
    pubsub=RedisPubSub(REDIS_URL) if REDIS_URL else None,
    secret_key="pylive-gallery-demo-secret-not-for-production",
    # No favicon to fetch: a 404 for it would be a console error on every page.
    head='<link rel="icon" href="data:,">'
    f"<style>{(HERE / 'gallery.css').read_text()}</style>"
    # A hook registered the LiveView way, in the browser (hooks_handle_event.py).
    f'<script type="module">{(HERE / "toast_hook.js").read_text()}</script>',
)
app.live("/", Home)
for path, title, module, view in PAGES:
    if path not in AUTHENTICATED:
        app.live(path, showcase(title, module, view))
with app.live_session("authenticated", on_mount=[auth_session.ensure_authenticated]):
    for path, title, module, view in PAGES:
        if path in AUTHENTICATED:
            app.live(path, showcase(title, module, view))
DASHBOARD_METRICS = telemetry_dashboard.mount_dashboard(app, layout=in_shell)
"""The live dashboard's collector: attached when an operator first opens the dashboard."""
app.post("/users/log_in", form_registration.log_in)
app.post("/auth/log_in", auth_session.log_in)
app.post("/auth/log_out", auth_session.log_out)
