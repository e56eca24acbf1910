"""S9: about 200 hostile strings rendered by a real server into a real Chromium page, in text,
attribute values, class and style dicts, URLs, a textarea, the page title and push_event
payloads; first as the HTTP render alone (client.js blocked), then live, through patches. No
payload may run: each one, if it ran, would call ``alert`` (the page's ``dialog`` event) and set
``top.__xss``. Attribute names from dict keys raise ``InvalidAttribute`` and script URLs
``UnsafeURL`` while the view renders, so they never reach a page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from pylive import App, LiveView
from pylive.exceptions import InvalidAttribute, UnsafeURL
from pylive.html import a, button, div, form, iframe, img, li, p, section, span, textarea, ul
from pylive.testing.browser import sync

pytestmark = pytest.mark.e2e

JS = "alert(1),top.__xss=1"
"""What every payload runs, if it ever runs: a dialog, and a marker on the top window."""

TEMPLATES = [
    "</script><script>{j}</script>",
    '"><img src=x onerror="{j}">',
    "'><img src=x onerror='{j}'>",
    "<img src=x onerror={j}>",
    "<svg onload={j}>",
    "<svg><script>{j}</script></svg>",
    '<iframe src="javascript:{j}"></iframe>',
    '<iframe srcdoc="<script>{j}</script>"></iframe>',
    "<body onload={j}>",
    "<details open ontoggle={j}>",
    '<a href="javascript:{j}" id=xa>x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror={j}>",
    '<noscript><p title="</noscript><img src=x onerror={j}>">',
    "<!--<img src=x onerror={j}>-->",
    "--><img src=x onerror={j}>",
    "]]><img src=x onerror={j}>",
    "<![CDATA[<img src=x onerror={j}>]]>",
    '<style>@import "javascript:{j}";</style>',
    '<object data="javascript:{j}"></object>',
    '<embed src="javascript:{j}">',
    "<form><button formaction=javascript:{j}>x</button></form>",
    "<input autofocus onfocus={j}>",
    "<video><source onerror={j}></video>",
    "<audio src=x onerror={j}>",
    "<marquee onstart={j}>x</marquee>",
    '" onmouseover="{j}" x="',
    "' onfocus='{j}' autofocus x='",
    '" autofocus onfocus="{j}" x="',
    '<base href="javascript:/a/-{j}///">',
    '<meta http-equiv="refresh" content="0;url=javascript:{j}">',
    "<template><script>{j}</script></template>",
    "</textarea><script>{j}</script>",
    "</title><script>{j}</script>",
    "</style><script>{j}</script>",
    "</noscript><script>{j}</script>",
    "<scr<script>ipt>{j}</scr</script>ipt>",
    "<ScRiPt>{j}</sCrIpT>",
    "<script\x0c>{j}</script>",
    "<img src=x onerror\x0b={j}>",
    "&lt;script&gt;{j}&lt;/script&gt;",
    "&#60;img src=x onerror={j}&#62;",
    "\u2028{j}\u2029",
    "\u2028</script>\u2029<script>{j}</script>",
    "${{j}}",
    "{{constructor.constructor('{j}')()}}",
    "`;{j};`",
    "');{j};//",
    '");{j};//',
    '\\");{j};//',
    "<div onpointerover={j} style=position:fixed;inset:0>",
    "<a id=x tabindex=1 onfocusin={j}></a>",
    "<xss id=x onfocus={j} tabindex=1>#x",
    "<img src=1 onerror=eval(atob('YWxlcnQoMSk='))>",
]
BASE = [template.replace("{j}", JS) for template in TEMPLATES]
MARKUP = BASE + ["\u2028" + payload + "\u2029" for payload in BASE]
"""Strings for text and attribute values, each also wrapped in U+2028/U+2029."""

SCHEMES = [
    "javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    "data:application/xhtml+xml,<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)"
    "</script></html>",
    "data:text/xml,<a:script xmlns:a='http://www.w3.org/1999/xhtml'>alert(1)</a:script>",
]
DISGUISES = [
    lambda s: s,
    str.upper,
    lambda s: "".join(c.upper() if i % 2 else c for i, c in enumerate(s)),
    lambda s: " " + s,
    lambda s: "\t" + s,
    lambda s: "\n" + s,
    lambda s: "\r\n" + s,
    lambda s: "\x00" + s,
    lambda s: "\x01\x1f" + s,
    lambda s: "  \t \n" + s,
    lambda s: s[:4] + "\t" + s[4:],
    lambda s: s[:4] + "\n" + s[4:],
    lambda s: s[:2] + "\r" + s[2:],
    lambda s: " \n" + s[:3] + "\t" + s[3:] + " ",
    lambda s: "\x0c" + s,
]
SCRIPT_URLS = [disguise(scheme) for scheme in SCHEMES for disguise in DISGUISES]
"""URLs a browser runs as script (it drops leading C0 controls and spaces, and every tab, CR
and LF, and compares the scheme case-insensitively): each must raise at render."""

INERT_URLS = [
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#0000106avascript:alert(1)",
    "javascript&colon;alert(1)",
    "java&#09;script:alert(1)",
    "java&Tab;script:alert(1)",
    "\u200bjavascript:alert(1)",
    "\u00a0javascript:alert(1)",
    "\ufeffjavascript:alert(1)",
    "jav\u0430script:alert(1)",
    "%6Aavascript:alert(1)",
    "/javascript:alert(1)",
    "./javascript:alert(1)",
    "?javascript:alert(1)",
    "#javascript:alert(1)",
    "https://example.invalid/?q=javascript:alert(1)",
    'http://x.invalid/"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "data:image/png;base64,iVBORw0KGgo=",
]
"""URLs that look like script but that a browser reads as relative (or harmless) URLs: they
render, escaped, and resolve to no script scheme."""

BAD_NAMES = [
    '"><img src=x onerror=alert(1)>',
    "x onerror=alert(1)",
    "onerror=alert(1)",
    "a=b",
    "a'b",
    'a"b',
    "a>b",
    "a<b",
    "a/b",
    "/",
    "x\tonload",
    "x\nonload",
    "x\x00",
    "\x0c",
    " ",
    "",
    "x y",
    "data-x=1",
    "\x85x",
    "x\x7f",
    "on\x9fload",
    "'",
    '"',
    "=",
    ">",
]
"""Attribute names from dict keys that would break out of the name: each raises at render."""


def browser_runs(url: str) -> bool:
    """Whether a browser would run ``url`` as script, in a link or an ``iframe`` (WHATWG URL
    parsing, simplified): script schemes, and ``data:`` documents (HTML, SVG, XHTML, XML)."""
    squeezed = re.sub(r"[\t\n\r]", "", url.lstrip("".join(map(chr, range(0x21))))).lower()
    documents = ("data:text/html", "data:image/svg+xml", "data:application/xhtml+xml",
                 "data:text/xml")  # fmt: skip
    return squeezed.startswith(("javascript:", "vbscript:", *documents))


def rotated(items: list[str], by: int) -> list[str]:
    by %= len(items)
    return items[by:] + items[:by]


def title_for(round_: int) -> str:
    return " | ".join(rotated(MARKUP, round_)[:4])


class XssPage(LiveView):
    """Renders every payload in every context; ``next`` rotates them all (text and attribute
    patches) and adds rows (inserts); ``inject``/``link``/``go`` take a hostile attribute name,
    href or redirect target from the client."""

    def mount(self, params: dict[str, Any], session: dict[str, Any], socket: Any) -> None:
        socket.assign(round=0, page_title=title_for(0), bad_name=None, bad_href=None)

    def render(self, assigns: Any) -> Any:
        payloads = rotated(MARKUP, assigns.round)
        extra = [li(payload, title=payload, id=f"x{i}") for i, payload in enumerate(payloads)]
        return div(
            section([p(payload, id=f"t{i}") for i, payload in enumerate(payloads)], id="text"),
            section(
                [
                    span(
                        str(i),
                        id=f"a{i}",
                        title=payload,
                        data_payload=payload,
                        aria_label=payload,
                        class_=payload,
                        style=payload,
                    )
                    for i, payload in enumerate(payloads)
                ],
                id="attrs",
            ),
            span(
                "dicts",
                id="dicts",
                class_=dict.fromkeys(payloads[:20], True),
                style={"color": payloads[0], "--x": payloads[1]},
            ),
            section(
                [
                    div(
                        a("link", href=url, id=f"u{i}"),
                        img(src=url, alt=url),
                        form(button("go", formaction=url, type="button"), action=url),
                    )
                    for i, url in enumerate(INERT_URLS)
                ],
                id="urls",
            ),
            textarea("\n".join(payloads), id="area"),
            ul(extra[: assigns.round * 10], id="extra"),
            button("next", id="next", phx_click="next"),
            button("inject", id="inject", phx_click="inject", phx_value_name=BAD_NAMES[0]),
            button("link", id="link", phx_click="link", phx_value_href=SCRIPT_URLS[3]),
            button("go", id="go", phx_click="go", phx_value_to="/\t/evil.example"),
            span(**{assigns.bad_name: "x"}) if assigns.bad_name is not None else None,
            a("bad", href=assigns.bad_href) if assigns.bad_href is not None else None,
        )

    def handle_event(self, event: str, params: dict[str, Any], socket: Any) -> None:
        if event == "next":
            socket.update("round", lambda n: n + 1)
            socket.assign(page_title=title_for(socket.assigns.round))
            socket.push_event("xss", {"payloads": MARKUP, "urls": INERT_URLS})
        elif event == "inject":
            socket.assign(bad_name=params["name"])
        elif event == "link":
            socket.assign(bad_href=params["href"])
        elif event == "go":
            socket.redirect(params["to"])


def xss_app() -> App:
    app = App(secret_key="e2e-xss-secret-0123456789", title="xss")
    app.live("/xss", XssPage)
    return app


# -- at render: names and URLs that cannot be written safely -----------------------------------


def test_xss_corpus_has_about_200_payloads() -> None:
    assert len(MARKUP) + len(SCRIPT_URLS) + len(INERT_URLS) + len(BAD_NAMES) >= 200
    assert [u for u in SCRIPT_URLS if not browser_runs(u)] == []
    assert [u for u in INERT_URLS if browser_runs(u)] == []


def test_xss_attribute_names_from_dict_keys_raise_invalid_attribute() -> None:
    messages = {}
    for name in BAD_NAMES:
        with pytest.raises(InvalidAttribute) as refused:
            span("x", **{name: "1"})
        messages[name] = str(refused.value)
    assert messages == {
        name: f"invalid attribute name {name!r}: expected a name without whitespace, quotes, "
        "'<', '>', '/', '=' or control characters"
        for name in BAD_NAMES
    }


def test_xss_script_urls_raise_unsafe_url_in_every_url_attribute() -> None:
    builders = [
        ("a", "href", lambda u: a("x", href=u)),
        ("a", "HREF", lambda u: a("x", HREF=u)),
        ("img", "src", lambda u: img(src=u)),
        ("iframe", "src", lambda u: iframe(src=u)),
        ("form", "action", lambda u: form(action=u)),
        ("button", "formaction", lambda u: button("x", formaction=u)),
        ("a", "xlink:href", lambda u: a("x", **{"xlink:href": u})),
    ]
    messages = {}
    expected = {}
    for url in SCRIPT_URLS:
        for tag, name, build in builders:
            if tag == "img" and "svg+xml" in url.lower():
                assert build(url).attrs["src"] == url  # a picture there: its scripts never run
                continue
            with pytest.raises(UnsafeURL) as refused:
                build(url)
            messages[(tag, name, url)] = str(refused.value)
            expected[(tag, name, url)] = (
                f"<{tag} {name}={url!r}>: refusing a script URL; expected a relative, http(s), "
                "mailto:, tel: or other link URL, or a data:image/... picture. Wrap it in "
                "pylive.html.trusted(...) if you really mean it"
            )
    assert messages == expected
    for url in INERT_URLS:  # kept, as given: the renderer escapes them
        assert a("x", href=url).attrs["href"] == url


# -- in Chromium ---------------------------------------------------------------------------------

READ_PAGE = """() => {
    const texts = [...document.querySelectorAll('#text p')].map(e => e.textContent);
    const attrs = [...document.querySelectorAll('#attrs span')].map(e =>
        ['title', 'data-payload', 'aria-label', 'class', 'style'].map(n => e.getAttribute(n)));
    const extra = [...document.querySelectorAll('#extra li')].map(e => [e.textContent, e.title]);
    const urls = [];
    for (const el of document.querySelectorAll('[href], [src], [action], [formaction]')) {
        for (const n of ['href', 'src', 'action', 'formAction']) {
            const value = el[n];
            if (typeof value === 'string' && value) urls.push(new URL(value).protocol);
        }
    }
    return {texts, attrs, extra, urls, marker: window.__xss ?? null,
            area: document.querySelector('#area').value, title: document.title,
            dictClass: document.querySelector('#dicts').getAttribute('class'),
            hrefs: [...document.querySelectorAll('#urls a')].map(e => e.getAttribute('href')),
            onattrs: [...document.querySelectorAll('*')].flatMap(
                e => [...e.attributes].map(x => x.name).filter(n => n.startsWith('on'))),
            elements: document.querySelectorAll('script, iframe, img, svg, object, embed').length};
}"""


def collapse(text: str) -> str:
    """``document.title``'s whitespace rule."""
    return re.sub(r"[\t\n\f\r ]+", " ", text).strip()


def expected_page(round_: int) -> dict[str, Any]:
    payloads = rotated(MARKUP, round_)
    return {
        "texts": payloads,
        "attrs": [[payload] * 5 for payload in payloads],
        "extra": [[payload, payload] for payload in payloads[: round_ * 10]],
        "marker": None,
        "area": "\n".join(payloads),
        "title": collapse(title_for(round_)),
        "dictClass": " ".join(payloads[:20]),
        "hrefs": INERT_URLS,
        "onattrs": [],
        "elements": 1 + len(INERT_URLS),  # the client.js tag and the images
    }


def check(page: Any, round_: int, dialogs: list[str]) -> None:
    page.wait_for_timeout(300)  # onerror/onload handlers would have run by now
    state = page.evaluate(READ_PAGE)
    urls = state.pop("urls")
    assert state == expected_page(round_)
    assert [u for u in urls if u in ("javascript:", "vbscript:")] == []
    assert set(urls) <= {"http:", "https:", "data:"}
    assert dialogs == []


def test_xss_payloads_never_run_in_the_http_render_nor_after_live_patches(
    live_server, live_page
) -> None:
    page = live_page
    server = live_server(xss_app())
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pushed = """() => window.addEventListener('phx:xss', e => { window.__pushed = e.detail; })"""

    # the HTTP render alone: the browser's HTML parser reads every payload back as text
    page.route("**/_pylive/client.*", lambda route: route.abort())
    page.goto(server.url + "/xss")
    check(page, 0, dialogs)
    assert page.evaluate("() => document.querySelector('.phx-connected')") is None  # dead
    page.unroute("**/_pylive/client.*")

    # live: the join, then patches that rewrite every text and attribute and insert rows
    page.goto(server.url + "/xss")
    sync(page)
    page.evaluate(pushed)
    check(page, 0, dialogs)
    for round_ in (1, 2, 3):
        page.click("#next")
        sync(page)
        expect(page.locator("#t0")).to_have_text(rotated(MARKUP, round_)[0])
        check(page, round_, dialogs)
        assert page.evaluate("() => window.__pushed") == {
            "payloads": MARKUP,
            "urls": INERT_URLS,
        }

    # hostile input from the client: the render raises, the view crashes and is remounted
    for button_id in ("#inject", "#link", "#go"):
        page.click(button_id)
        page.wait_for_timeout(200)
        sync(page)
        check(page, 0, dialogs)  # a fresh mount: round 0 again, nothing of the attempt
        page.click("#next")  # a good event between (crashes in a row reload the page)
        sync(page)
        check(page, 1, dialogs)
        page.evaluate("() => { window.__xss = window.__xss ?? null; }")
    assert page.url == server.url + "/xss"
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []
