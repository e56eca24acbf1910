// Live navigation (navigation.mjs; docs/protocol.md, "Live navigation"): data-phx-link clicks and
// JS patch/navigate send a `navigate` frame and apply its reply (a patch, or another view's tree
// and token), then push or replace the history entry; back/forward ask again and restore the
// scroll; a frame's `nav` is the server navigating; redirects (with their flash cookie) and
// errors load the page; clicks that are not plain left clicks, and a view not joined, are the
// browser's. Exact frames in and out, exact history states and window events.

import assert from "node:assert/strict";
import { test } from "node:test";

import { livePage } from "../live.mjs";

const ORIGIN = "http://127.0.0.1:8000";
const EVENTS = [
  "phx:before-navigate",
  "phx:page-loading-start",
  "phx:navigate",
  "phx:page-loading-stop",
];
const js = (/** @type {any[]} */ ...ops) => JSON.stringify(ops);

/** @param {string} id @param {string} href @param {Record<string, string>} [attrs] */
const link = (id, href, attrs = {}) => ["a", { id, href, ...attrs }, [id]];

/** The items page: links of every kind, and the page's text at [1, 0]. */
const ITEMS = [
  ["nav", { id: "nav" }, [
    link("next", "/items?page=2", { "data-phx-link": "patch", "data-phx-link-state": "push" }),
    link("sort", "/items?sort=name", { "data-phx-link": "patch", "data-phx-link-state": "replace" }),
    link("users", "/users", { "data-phx-link": "redirect" }),
    link("row", "/items?page=2#row-9", { "data-phx-link": "patch" }),
    link("top", "/users#team", { "data-phx-link": "redirect" }),
    link("plain", "/about"),
  ]],
  ["p", { id: "count" }, ["page 1"]],
];

/** The users view a navigation mounts: the same nav (kept by id), its own content. */
const USERS = [
  ITEMS[0],
  ["h1", { id: "team", "phx-mounted": js(["add_class", { names: ["in"] }]) }, ["Users"]],
];

/**
 * A joined page at /items (`wires` as its join render) with the window's scroll, page loads and
 * navigation events recorded: `scrolls` (each `scrollTo`'s y; `scrollY` follows), `assigned` /
 * `replaced` (location.assign / replace), `events` ([type, detail] of `EVENTS`), `into` (the ids
 * `scrollIntoView` was called on). `state` (optional) is the history state before connecting.
 * @param {any[]} [wires]
 * @param {{ hooks?: Record<string, any>, body?: string, state?: any, url?: string }} [options]
 */
function navPage(wires = ITEMS, options = {}) {
  const page = livePage([], { url: options.url ?? `${ORIGIN}/items`, body: options.body });
  const { window, socket } = page;
  /** @type {number[]} */
  const scrolls = [];
  window.scrollTo = (/** @type {number} */ _x, /** @type {number} */ y) => {
    scrolls.push(y);
    window.scrollY = y;
  };
  /** @type {string[]} */
  const into = [];
  window.HTMLElement.prototype.scrollIntoView = function () {
    into.push(this.id);
    window.scrollY = 900;
  };
  /** @type {string[]} */
  const replaced = [];
  socket.replacePage = (/** @type {string} */ to) => replaced.push(to);
  /** @type {Array<[string, any]>} */
  const events = [];
  for (const type of EVENTS) window.addEventListener(type, (/** @type {any} */ e) => events.push([type, e.detail]));
  if (options.hooks) socket.registry.registerAll(options.hooks);
  if (options.state !== undefined) window.history.replaceState(options.state, "");
  socket.connect();
  const ws = page.current();
  ws.open();
  ws.receive({ ref: ws.last.ref, tree: wires });
  ws.sent.length = 0;
  /**
   * Click `id` as a user would (`init`: modifier keys, button); the browser's own navigation is
   * stopped after pylive's listener ran. Returns whether pylive prevented the default.
   * @param {string} id
   * @param {MouseEventInit} [init]
   */
  const click = (id, init = {}) => {
    let prevented = null;
    const after = (/** @type {Event} */ e) => {
      prevented = e.defaultPrevented;
      e.preventDefault();
    };
    window.addEventListener("click", after);
    const e = new window.MouseEvent("click", { bubbles: true, cancelable: true, button: 0, ...init });
    page.document.getElementById(id).dispatchEvent(e);
    window.removeEventListener("click", after);
    return prevented;
  };
  return { ...page, scrolls, into, replaced, events, click, history: window.history };
}

/**
 * @param {string} name
 * @param {(t: import("node:test").TestContext) => unknown} fn
 */
function nav(name, fn) {
  test(name, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    t.mock.method(console, "warn", () => {});
    return fn(t);
  });
}

/** @param {string} to @param {"patch" | "redirect"} kind */
const loading = (to, kind = "patch") => [
  ["phx:page-loading-start", { kind, to }],
  ["phx:page-loading-stop", { kind, to }],
];

// -- links ---------------------------------------------------------------------------------------

nav("connect takes over scroll restoration and gives the first entry pylive's state", () => {
  const { history } = navPage();
  assert.equal(history.scrollRestoration, "manual");
  assert.deepEqual(history.state, { pylive: { id: 0, kind: "navigate", scroll: 0 } });
  assert.equal(history.length, 1);
});

nav("a patch link: the frame, the reply applied, a pushed entry with its state, phx:navigate", () => {
  const { window, document, current, history, click, events, scrolls } = navPage();
  window.scrollY = 120;
  window.dispatchEvent(new window.Event("scroll"));
  assert.equal(click("next"), true);
  const to = `${ORIGIN}/items?page=2`;
  assert.deepEqual(current().sent, [{ type: "navigate", ref: 1, url: to, kind: "patch" }]);
  assert.equal(window.location.href, `${ORIGIN}/items`, "the URL changes once the reply is in");
  assert.deepEqual(history.state, { pylive: { id: 0, kind: "navigate", scroll: 120 } });
  current().receive({ ref: 1, ops: [[0, [1, 0], "page 2"]], title: "Items, page 2" });
  assert.equal(document.getElementById("count").textContent, "page 2");
  assert.equal(document.title, "Items, page 2");
  assert.equal(window.location.href, to);
  assert.equal(history.length, 2);
  assert.deepEqual(history.state, { pylive: { id: 1, kind: "patch", scroll: 120 } });
  assert.deepEqual(scrolls, [], "a patch keeps the scroll");
  assert.deepEqual(events, [
    ["phx:before-navigate", { to, kind: "patch", pop: false }],
    loading(to)[0],
    ["phx:navigate", { href: to, patch: true, pop: false }],
    loading(to)[1],
  ]);
});

nav("a replace link replaces the entry", () => {
  const { window, current, history, click, events } = navPage();
  click("sort");
  const to = `${ORIGIN}/items?sort=name`;
  assert.deepEqual(current().sent, [{ type: "navigate", ref: 1, url: to, kind: "patch" }]);
  current().receive({ ref: 1, ops: [[0, [1, 0], "sorted"]] });
  assert.equal(window.location.href, to);
  assert.equal(history.length, 1);
  assert.deepEqual(history.state, { pylive: { id: 1, kind: "patch", scroll: 0 } });
  assert.deepEqual(events.at(-2), ["phx:navigate", { href: to, patch: true, pop: false }]);
});

nav("a link to the URL shown replaces the entry, as a browser does", () => {
  const { current, history, click } = navPage();
  click("next");
  current().receive({ ref: 1, ops: [] });
  click("next");
  current().receive({ ref: 2, ops: [] });
  assert.equal(history.length, 2);
  assert.deepEqual(history.state, { pylive: { id: 2, kind: "patch", scroll: 0 } });
});

nav("a navigate link mounts the view its reply brings: tree, token, hooks, phx-mounted, top of the page", (t) => {
  /** @type {string[]} */
  const log = [];
  const Log = {
    mounted() { log.push(`mounted:${this.el.id}`); },
    destroyed() { log.push(`destroyed:${this.el.id}`); },
  };
  const hookedNav = ["nav", { id: "nav", "phx-hook": "Log" }, ITEMS[0][2]];
  const page = navPage([hookedNav, ["p", { id: "count", "phx-hook": "Log" }, ["page 1"]]], { hooks: { Log } });
  const { window, document, container, current, history, click, events, scrolls } = page;
  const navEl = document.getElementById("nav");
  window.scrollY = 500;
  log.length = 0;
  assert.equal(click("users"), true);
  const to = `${ORIGIN}/users`;
  assert.deepEqual(current().sent, [{ type: "navigate", ref: 1, url: to, kind: "navigate" }]);
  const tree = [hookedNav, ["section", { id: "list", "phx-hook": "Log" }], USERS[1]];
  current().receive({ ref: 1, tree, token: "TOKEN2", title: "Users" });
  assert.equal(document.getElementById("nav"), navEl, "kept by id, its hook too");
  assert.deepEqual(log, ["destroyed:count", "mounted:list"]);
  assert.equal(document.getElementById("team").className, "in", "phx-mounted ran");
  assert.equal(container.getAttribute("data-phx-session"), "TOKEN2");
  assert.equal(document.title, "Users");
  assert.deepEqual(scrolls, [0]);
  assert.equal(window.location.href, to);
  assert.deepEqual(history.state, { pylive: { id: 1, kind: "navigate", scroll: 0 } });
  assert.equal(history.length, 2);
  assert.deepEqual(events.slice(1), [
    loading(to, "redirect")[0],
    ["phx:navigate", { href: to, patch: false, pop: false }],
    loading(to, "redirect")[1],
  ]);
  // The entry left kept its scroll; a reconnect rejoins the view now mounted, at its URL.
  current().drop(1006);
  t.mock.timers.tick(10);
  current().open();
  assert.deepEqual(current().last, { type: "join", ref: 0, token: "TOKEN2", url: to, mounts: 1 });
});

nav("a link with #anchor scrolls to that element (patch and navigate alike); a missing one: the top", () => {
  const { current, history, click, into, scrolls } = navPage();
  click("row");
  current().receive({ ref: 1, ops: [[5, [1], ["p", { id: "row-9" }, ["row 9"]]]] });
  assert.deepEqual(into, ["row-9"]);
  assert.deepEqual(scrolls, []);
  assert.deepEqual(history.state, { pylive: { id: 1, kind: "patch", scroll: 900 } }, "where it went");
  click("users"); // the anchor #team is not in this reply's tree: the top
  current().receive({ ref: 2, tree: [ITEMS[0], ["p", {}, ["no team here"]]], token: "T2" });
  assert.deepEqual(scrolls, [0]);
  click("top");
  current().receive({ ref: 3, tree: USERS, token: "T3" });
  assert.deepEqual(into, ["row-9", "team"]);
  assert.deepEqual(scrolls, [0], "no scroll to the top first");
  assert.equal(history.length, 4);
});

nav("a redirect reply loads its page, its flash in the cookie first; the history is left alone", () => {
  const { document, socket, current, history, click, events } = navPage();
  /** @type {Array<[string, string]>} */
  const loads = [];
  socket.assign = (/** @type {string} */ to) => loads.push([to, document.cookie]);
  click("users");
  current().receive({ ref: 1, type: "redirect", to: "/login?next=%2Fusers", flash: "eyJpbmZvIjoiaGkifQ.Zx-9_a" });
  assert.deepEqual(loads, [["/login?next=%2Fusers", "_pylive_flash=eyJpbmZvIjoiaGkifQ.Zx-9_a"]]);
  assert.equal(current().closedWith, 1000);
  assert.equal(history.length, 1);
  assert.deepEqual(events.slice(1), loading(`${ORIGIN}/users`, "redirect"));
});

nav("a redirect frame's flash that is not a cookie value is refused; external redirects load their URL", (t) => {
  const errors = t.mock.method(console, "error", () => {});
  const first = navPage();
  first.current().receive({ type: "redirect", to: "/x", flash: "a; Domain=evil.test" });
  assert.deepEqual(first.assigned, ["/x"]);
  assert.equal(first.document.cookie, "");
  assert.match(String(errors.mock.calls[0].arguments[0]), /ignored a flash that is not a cookie value/);
  const second = navPage();
  second.current().receive({ type: "redirect", to: "https://example.com/docs", external: true });
  assert.deepEqual(second.assigned, ["https://example.com/docs"]);
  const third = navPage();
  third.current().receive({ type: "redirect", to: "javascript:alert(1)", external: true });
  third.current().receive({ type: "redirect", to: "https://example.com/docs" });
  assert.deepEqual(third.assigned, []);
  assert.equal(errors.mock.callCount(), 3);
});

nav("an error reply is logged and the URL loaded over HTTP; so is a refused frame", (t) => {
  const errors = t.mock.method(console, "error", () => {});
  const { current, history, click, assigned, replaced, events } = navPage();
  click("next");
  current().receive({ ref: 1, error: "no route for /items?page=2" });
  assert.deepEqual(assigned, [`${ORIGIN}/items?page=2`]);
  assert.match(String(errors.mock.calls[0].arguments[0]), /navigation to .*page=2 refused: no route/);
  click("sort");
  current().receive({ type: "error", ref: 2, reason: "bad_frame", detail: "unknown type" });
  assert.deepEqual(replaced, [`${ORIGIN}/items?sort=name`]);
  assert.equal(history.length, 1);
  assert.deepEqual(events.filter(([type]) => type === "phx:navigate"), []);
  assert.equal(events.filter(([type]) => type === "phx:page-loading-stop").length, 2);
});

nav("a connection lost while a link's navigation waits: the page loading stops and the URL is loaded", async () => {
  const { current, click, assigned, events } = navPage();
  click("next");
  current().drop(1006);
  await new Promise(setImmediate); // the reply's promise is rejected
  assert.deepEqual(assigned, [`${ORIGIN}/items?page=2`]);
  assert.deepEqual(events.slice(1), loading(`${ORIGIN}/items?page=2`));
});

// -- clicks that stay the browser's --------------------------------------------------------------

nav("modified, middle-button, new-tab, download, plain and outside links are the browser's", () => {
  const body =
    '<a id="outside" href="/items?page=2" data-phx-link="patch">out</a>';
  const wires = [
    ...ITEMS,
    link("blank", "/items?page=2", { "data-phx-link": "patch", target: "_blank" }),
    link("self", "/items?page=3", { "data-phx-link": "patch", target: "_self" }),
    link("file", "/items.csv", { "data-phx-link": "patch", download: "" }),
    link("away", "https://example.com/", { "data-phx-link": "patch" }),
    link("odd", "/items?page=2", { "data-phx-link": "sideways" }),
  ];
  const { current, click, events } = navPage(wires, { body });
  for (const init of [{ ctrlKey: true }, { metaKey: true }, { shiftKey: true }, { altKey: true }, { button: 1 }]) {
    assert.equal(click("next", init), false, JSON.stringify(init));
  }
  for (const id of ["blank", "file", "away", "odd", "plain", "outside"]) assert.equal(click(id), false, id);
  assert.deepEqual(current().sent, []);
  assert.deepEqual(events, []);
  assert.equal(click("self"), true, "target=_self stays in the tab: live");
  assert.equal(current().sent.length, 1);
});

nav("a disconnected view: links load over HTTP, JS navigate and patch load the page", () => {
  const js_ = [
    ["button", { id: "go", "phx-click": js(["navigate", { href: "/users" }]) }],
    ["button", { id: "swap", "phx-click": js(["patch", { href: "/items?page=3", replace: true }]) }],
  ];
  const { socket, document, current, click, assigned, replaced } = navPage([...ITEMS, ...js_]);
  const ws = current();
  socket.disconnect();
  assert.equal(click("next"), false);
  document.getElementById("go").click();
  document.getElementById("swap").click();
  assert.deepEqual(ws.sent, []);
  assert.deepEqual(assigned, ["/users"]);
  assert.deepEqual(replaced, ["/items?page=3"]);
});

nav("phx:before-navigate cancelled: no frame, no history change (links and JS commands)", () => {
  const wires = [...ITEMS, ["button", { id: "go", "phx-click": js(["patch", { href: "/items?page=4" }]) }]];
  const { window, document, current, history, click, events, assigned } = navPage(wires);
  window.addEventListener("phx:before-navigate", (/** @type {Event} */ e) => e.preventDefault());
  assert.equal(click("users"), true, "the browser's load is stopped too");
  document.getElementById("go").click();
  assert.deepEqual(current().sent, []);
  assert.deepEqual(assigned, []);
  assert.equal(history.length, 1);
  assert.deepEqual(events, [
    ["phx:before-navigate", { to: `${ORIGIN}/users`, kind: "navigate", pop: false }],
    ["phx:before-navigate", { to: `${ORIGIN}/items?page=4`, kind: "patch", pop: false }],
  ]);
});

// -- JS commands ---------------------------------------------------------------------------------

nav("JS.patch and JS.navigate navigate live as the links do", () => {
  const wires = [
    ...ITEMS,
    ["button", { id: "five", "phx-click": js(["patch", { href: "/items?page=5", replace: true }]) }],
    ["button", { id: "me", "phx-click": js(["navigate", { href: "/users/me" }]) }],
  ];
  const { window, document, container, current, history, events, scrolls } = navPage(wires);
  document.getElementById("five").click();
  assert.deepEqual(current().last, { type: "navigate", ref: 1, url: `${ORIGIN}/items?page=5`, kind: "patch" });
  current().receive({ ref: 1, ops: [[0, [1, 0], "page 5"]] });
  assert.equal(window.location.href, `${ORIGIN}/items?page=5`);
  assert.equal(history.length, 1);
  document.getElementById("me").click();
  assert.deepEqual(current().last, { type: "navigate", ref: 2, url: `${ORIGIN}/users/me`, kind: "navigate" });
  current().receive({ ref: 2, tree: USERS, token: "ME" });
  assert.equal(window.location.href, `${ORIGIN}/users/me`);
  assert.equal(container.getAttribute("data-phx-session"), "ME");
  assert.equal(history.length, 2);
  assert.deepEqual(history.state, { pylive: { id: 2, kind: "navigate", scroll: 0 } });
  assert.deepEqual(scrolls, [0]);
  assert.deepEqual(events.filter(([type]) => type === "phx:navigate"), [
    ["phx:navigate", { href: `${ORIGIN}/items?page=5`, patch: true, pop: false }],
    ["phx:navigate", { href: `${ORIGIN}/users/me`, patch: false, pop: false }],
  ]);
});

// -- the server navigating -----------------------------------------------------------------------

nav("a frame's nav: push_patch in an event reply, push_navigate in a pushed patch", async () => {
  const { window, socket, container, current, history, events, scrolls } = navPage();
  window.scrollY = 40;
  window.dispatchEvent(new window.Event("scroll"));
  const reply = socket.pushEvent("more", {});
  current().receive({
    ref: 1,
    ops: [[0, [1, 0], "page 3"]],
    reply: { ok: true },
    nav: { kind: "patch", to: "/items?page=3", replace: false },
  });
  assert.deepEqual(await reply, { ok: true });
  assert.equal(window.location.href, `${ORIGIN}/items?page=3`);
  assert.equal(history.length, 2);
  assert.deepEqual(history.state, { pylive: { id: 1, kind: "patch", scroll: 40 } });
  current().receive({
    type: "patch",
    tree: USERS,
    token: "T7",
    title: "User 7",
    nav: { kind: "navigate", to: "/users/7", replace: true },
  });
  assert.equal(window.location.href, `${ORIGIN}/users/7`);
  assert.equal(history.length, 2);
  assert.deepEqual(history.state, { pylive: { id: 2, kind: "navigate", scroll: 0 } });
  assert.equal(container.getAttribute("data-phx-session"), "T7");
  assert.equal(window.document.title, "User 7");
  assert.deepEqual(scrolls, [0]);
  assert.deepEqual(events, [
    ["phx:navigate", { href: `${ORIGIN}/items?page=3`, patch: true, pop: false }],
    ["phx:navigate", { href: `${ORIGIN}/users/7`, patch: false, pop: false }],
  ]);
});

nav("a nav to anything but a local path is refused", (t) => {
  const errors = t.mock.method(console, "error", () => {});
  const { window, current, history } = navPage();
  current().receive({ type: "patch", ops: [], nav: { kind: "patch", to: "//evil.test/x" } });
  assert.equal(window.location.href, `${ORIGIN}/items`);
  assert.equal(history.length, 1);
  assert.match(String(errors.mock.calls[0].arguments[0]), /refused to navigate to "\/\/evil.test\/x"/);
});

// -- back and forward ----------------------------------------------------------------------------

nav("back and forward: a patch frame for the entry's URL, its scroll restored once the reply is in", (t) => {
  const { window, current, history, click, events, scrolls } = navPage();
  window.scrollY = 120;
  window.dispatchEvent(new window.Event("scroll"));
  click("next");
  current().receive({ ref: 1, ops: [[0, [1, 0], "page 2"]] });
  window.scrollY = 300; // read on, on page 2: recorded within SAVE_SCROLL_MS
  window.dispatchEvent(new window.Event("scroll"));
  t.mock.timers.tick(150);
  assert.deepEqual(history.state, { pylive: { id: 1, kind: "patch", scroll: 300 } });
  events.length = 0;
  history.back();
  t.mock.timers.tick(0);
  const back = `${ORIGIN}/items`;
  assert.deepEqual(current().last, { type: "navigate", ref: 2, url: back, kind: "patch" });
  assert.deepEqual(scrolls, [], "not before the reply");
  current().receive({ ref: 2, ops: [[0, [1, 0], "page 1"]] });
  assert.deepEqual(scrolls, [120]);
  assert.deepEqual(events, [
    loading(back)[0],
    ["phx:navigate", { href: back, patch: true, pop: true }],
    loading(back)[1],
  ]);
  history.forward();
  t.mock.timers.tick(0);
  const forward = `${ORIGIN}/items?page=2`;
  assert.deepEqual(current().last, { type: "navigate", ref: 3, url: forward, kind: "patch" });
  current().receive({ ref: 3, tree: ITEMS, token: "T3" }); // the server remounted: same restore
  assert.deepEqual(scrolls, [120, 300]);
  assert.deepEqual(events.at(-2), ["phx:navigate", { href: forward, patch: false, pop: true }]);
  assert.equal(history.length, 2);
});

nav("a popstate without pylive's state is ignored; one that changes only the hash just scrolls", (t) => {
  const { window, current, history, scrolls, events } = navPage();
  window.scrollY = 250;
  window.dispatchEvent(new window.Event("pagehide")); // recorded as the page leaves, too
  assert.deepEqual(history.state, { pylive: { id: 0, kind: "navigate", scroll: 250 } });
  history.pushState(null, "", "#section"); // a hash link's entry: the browser's
  window.scrollY = 800;
  history.back();
  t.mock.timers.tick(0);
  assert.deepEqual(scrolls, [250]);
  history.forward();
  t.mock.timers.tick(0);
  window.dispatchEvent(new window.PopStateEvent("popstate", { state: { other: 1 } }));
  assert.deepEqual(scrolls, [250]);
  assert.deepEqual(current().sent, []);
  assert.deepEqual(events, []);
});

nav("a hash link's entry scrolled gets pylive's state: back to it from a patch asks for its URL", (t) => {
  const { window, current, history, click, scrolls } = navPage();
  history.pushState(null, "", "#section"); // a hash link: the browser's entry, no state
  window.scrollY = 800;
  window.dispatchEvent(new window.Event("scroll"));
  t.mock.timers.tick(150);
  assert.deepEqual(history.state, { pylive: { id: 1, kind: "patch", scroll: 800 } });
  click("next");
  current().receive({ ref: 1, ops: [[0, [1, 0], "page 2"]] });
  assert.deepEqual(history.state, { pylive: { id: 2, kind: "patch", scroll: 800 } });
  history.back();
  t.mock.timers.tick(0);
  assert.deepEqual(current().last, { type: "navigate", ref: 2, url: `${ORIGIN}/items#section`, kind: "patch" });
  current().receive({ ref: 2, ops: [[0, [1, 0], "page 1"]] });
  assert.deepEqual(scrolls, [800]);
});

nav("scroll records are throttled; a popstate drops the pending one (it would land in the new entry)", (t) => {
  const { window, history, click, current } = navPage();
  for (const y of [10, 20, 30]) {
    window.scrollY = y;
    window.dispatchEvent(new window.Event("scroll"));
    t.mock.timers.tick(50);
  }
  assert.deepEqual(history.state, { pylive: { id: 0, kind: "navigate", scroll: 30 } });
  click("next");
  current().receive({ ref: 1, ops: [] });
  window.scrollY = 70;
  window.dispatchEvent(new window.Event("scroll"));
  history.back();
  t.mock.timers.tick(0);
  t.mock.timers.tick(200);
  assert.deepEqual(history.state, { pylive: { id: 0, kind: "navigate", scroll: 30 } });
});

nav("a reload (the entry has pylive's state) restores its scroll and keeps counting its ids", () => {
  const { current, history, click, scrolls } = navPage(ITEMS, {
    state: { pylive: { id: 4, kind: "patch", scroll: 640 }, app: "kept" },
  });
  assert.deepEqual(scrolls, [640]);
  assert.deepEqual(history.state, { pylive: { id: 4, kind: "patch", scroll: 640 }, app: "kept" });
  click("next");
  current().receive({ ref: 1, ops: [] });
  assert.deepEqual(history.state, { pylive: { id: 5, kind: "patch", scroll: 640 } });
});

nav("a popstate while disconnected, or whose frame the connection lost, loads the entry's URL", async (t) => {
  for (const lose of ["before", "while"]) {
    const { socket, current, history, click, replaced } = navPage();
    click("next");
    current().receive({ ref: 1, ops: [] });
    if (lose === "before") socket.disconnect();
    history.back();
    t.mock.timers.tick(0);
    if (lose === "while") current().drop(1006);
    await new Promise(setImmediate);
    assert.deepEqual(replaced, [`${ORIGIN}/items`], lose);
  }
});
