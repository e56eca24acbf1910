// The socket layer with a fake WebSocket and fake timers: connect, join, container classes,
// reconnect backoff, rejoin after a crash, heartbeat, reload and redirect, debug switch.

import assert from "node:assert/strict";
import { test } from "node:test";

import { LiveSocket, isLocalPath, start } from "../../client.js";
import { FakeSocket, classes, joinedPage, livePage } from "../live.mjs";

const COUNTER = [["p", { id: "count" }, ["Count: 0"]]];

/**
 * A test with fake timers (`setTimeout`), so no real heartbeat or reconnect timer outlives it;
 * the client's console warnings (reloading, heartbeat) are silenced.
 * @param {string} name
 * @param {(t: import("node:test").TestContext) => unknown} fn
 */
function live(name, fn) {
  test(name, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    t.mock.method(console, "warn", () => {});
    return fn(t);
  });
}

live("connect opens ws://host/live with the page's CSRF token and joins with the view's token", () => {
  const { socket, sockets, container } = livePage();
  socket.connect();
  assert.equal(sockets.length, 1);
  assert.equal(sockets[0].url, "ws://127.0.0.1:8000/live?csrf=csrf%2B%2F%3D1");
  assert.equal(classes(container), "phx-loading");
  sockets[0].open();
  assert.deepEqual(sockets[0].sent, [
    {
      type: "join",
      ref: 0,
      token: "TOKEN",
      url: "http://127.0.0.1:8000/counter",
      mounts: 0,
    },
  ]);
  assert.equal(socket.isConnected(), false);
});

live("https pages connect with wss", () => {
  const { socket, sockets } = livePage([], { url: "https://example.test/x" });
  socket.connect();
  assert.match(sockets[0].url, /^wss:\/\/example\.test\/live\?csrf=/);
});

live("the join reply replaces the container's children and marks it connected", () => {
  const { socket, current, container, document } = livePage([["p", {}, ["dead render"]]]);
  socket.connect();
  current().open();
  current().receive({ ref: 0, tree: COUNTER, title: "Counter", events: [["hi", { a: 1 }]] });
  assert.equal(container.innerHTML, '<p id="count">Count: 0</p>');
  assert.equal(classes(container), "phx-connected");
  assert.equal(document.title, "Counter");
  assert.equal(socket.isConnected(), true);
});

live("a dropped socket shows phx-client-error and reconnects with jittered backoff", (t) => {
  const { socket, sockets, current, container } = joinedPage(COUNTER);
  const expected = [10, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000, 5000];
  for (const delay of expected) {
    current().drop(1006);
    assert.equal(classes(container), "phx-client-error phx-error phx-loading");
    const before = sockets.length;
    t.mock.timers.tick(delay - 1);
    assert.equal(sockets.length, before, `no reconnect before ${delay} ms`);
    t.mock.timers.tick(1);
    assert.equal(sockets.length, before + 1, `a reconnect at ${delay} ms`);
  }
  // The reconnect that opens rejoins with mounts counting every join, and resets the backoff.
  current().open();
  assert.deepEqual(current().last, {
    type: "join",
    ref: 0,
    token: "TOKEN",
    url: "http://127.0.0.1:8000/counter",
    mounts: 1,
  });
  current().receive({ ref: 0, tree: COUNTER });
  assert.equal(classes(container), "phx-connected");
  current().drop(1006);
  const before = sockets.length;
  t.mock.timers.tick(10);
  assert.equal(sockets.length, before + 1);
  assert.equal(socket.isConnected(), false);
});

live("the jitter moves each delay by at most a quarter", (t) => {
  for (const [random, delay] of [
    [0, 750],
    [1, 1250],
  ]) {
    const { sockets, current } = joinedPage(COUNTER, { random: () => random });
    current().drop(1006);
    for (const d of [10, 50, 100, 150, 200, 250, 500]) {
      t.mock.timers.tick(Math.round(d * (0.75 + 0.5 * random)));
      current().drop(1006);
    }
    const before = sockets.length;
    t.mock.timers.tick(delay - 1);
    assert.equal(sockets.length, before);
    t.mock.timers.tick(1);
    assert.equal(sockets.length, before + 1);
  }
});

live("close code 1012 (server restart) reconnects from the shortest delay", (t) => {
  const { sockets, current } = joinedPage(COUNTER);
  current().drop(1006);
  t.mock.timers.tick(10);
  current().drop(1006);
  t.mock.timers.tick(50);
  current().open();
  current().drop(1012);
  const before = sockets.length;
  t.mock.timers.tick(10);
  assert.equal(sockets.length, before + 1);
});

live("pending events fail and lose their loading class when the socket drops", async (t) => {
  const { socket, current, document } = joinedPage([["button", { "phx-click": "inc", id: "b" }]]);
  const button = document.getElementById("b");
  const reply = socket.pushEvent("inc", {});
  button.click();
  assert.equal(classes(button), "phx-click-loading");
  current().drop(1006);
  assert.equal(classes(button), "");
  await assert.rejects(reply, /connection lost/);
});

live("a crash shows phx-server-error and rejoins on the same socket after 200 ms", (t) => {
  const { sockets, current, container } = joinedPage(COUNTER);
  const ws = current();
  ws.receive({ type: "error", reason: "crash" });
  assert.equal(classes(container), "phx-error phx-loading phx-server-error");
  t.mock.timers.tick(199);
  assert.equal(ws.sent.length, 0);
  t.mock.timers.tick(1);
  assert.equal(sockets.length, 1);
  assert.deepEqual(ws.last, {
    type: "join",
    ref: 1,
    token: "TOKEN",
    url: "http://127.0.0.1:8000/counter",
    mounts: 1,
  });
  ws.receive({ ref: 1, tree: COUNTER });
  assert.equal(classes(container), "phx-connected");
});

live("failed joins back off 200, 1000, 2000, 5000 ms and the tenth reloads the page", (t) => {
  const { current, reloads, window } = joinedPage(COUNTER);
  const ws = current();
  const joins = () => ws.sent.filter((frame) => frame.type === "join");
  ws.receive({ type: "error", reason: "crash" });
  for (const delay of [200, 1000, 2000, 5000, 5000, 5000, 5000, 5000, 5000]) {
    const sent = joins().length;
    t.mock.timers.tick(delay - 1);
    assert.equal(joins().length, sent);
    t.mock.timers.tick(1);
    assert.equal(joins().length, sent + 1);
    ws.receive({ type: "error", reason: "crash", ref: joins()[sent].ref });
  }
  assert.equal(ws.closedWith, 1000);
  t.mock.timers.tick(1999);
  assert.deepEqual(reloads, []);
  t.mock.timers.tick(1);
  assert.deepEqual(reloads, ["reload"]);
  assert.equal(window.sessionStorage.getItem("pylive:reloads:/counter"), "1");
});

live("a refused join (stale token) reloads the page at once, later reloads wait 1-3 s", (t) => {
  const first = livePage();
  first.socket.connect();
  first.current().open();
  first.current().receive({ ref: 0, type: "error", reason: "stale", detail: "expired" });
  assert.equal(classes(first.container), "phx-error phx-loading phx-server-error");
  t.mock.timers.tick(0);
  assert.deepEqual(first.reloads, ["reload"]);

  // The same tab after that reload: the count is kept in sessionStorage.
  const again = livePage([], { random: () => 0 });
  again.window.sessionStorage.setItem("pylive:reloads:/counter", "1");
  again.socket.connect();
  again.current().open();
  again.current().receive({ ref: 0, type: "error", reason: "stale" });
  t.mock.timers.tick(999);
  assert.deepEqual(again.reloads, []);
  t.mock.timers.tick(1);
  assert.deepEqual(again.reloads, ["reload"]);
});

live("after ten reloads in a row the next waits 30 s; a successful join resets the count", (t) => {
  const page = livePage();
  page.window.sessionStorage.setItem("pylive:reloads:/counter", "10");
  page.socket.connect();
  page.current().open();
  page.current().receive({ type: "reload", reason: "crash loop" });
  t.mock.timers.tick(29999);
  assert.deepEqual(page.reloads, []);
  t.mock.timers.tick(1);
  assert.deepEqual(page.reloads, ["reload"]);

  const ok = livePage();
  ok.window.sessionStorage.setItem("pylive:reloads:/counter", "4");
  ok.socket.connect();
  ok.current().open();
  ok.current().receive({ ref: 0, tree: [] });
  assert.equal(ok.window.sessionStorage.getItem("pylive:reloads:/counter"), null);
});

live("a reload frame reloads after 1-3 s", (t) => {
  const { current, reloads } = joinedPage(COUNTER, { random: () => 1 });
  current().receive({ type: "reload", reason: "crash loop" });
  t.mock.timers.tick(2999);
  assert.deepEqual(reloads, []);
  t.mock.timers.tick(1);
  assert.deepEqual(reloads, ["reload"]);
});

live("redirect goes to local paths only", (t) => {
  const ok = joinedPage(COUNTER);
  ok.current().receive({ type: "redirect", to: "/users/1?x=2" });
  assert.deepEqual(ok.assigned, ["/users/1?x=2"]);
  assert.equal(ok.current().closedWith, 1000);

  const errors = t.mock.method(console, "error", () => {});
  for (const to of ["//evil.test/x", "/\\evil.test", "https://evil.test/", "javascript:alert(1)"]) {
    const page = joinedPage(COUNTER);
    page.current().receive({ type: "redirect", to });
    assert.deepEqual(page.assigned, [], to);
    assert.equal(page.socket.isConnected(), true);
  }
  assert.equal(errors.mock.callCount(), 4);
  assert.equal(isLocalPath("/"), true);
  assert.equal(isLocalPath(""), false);
  assert.equal(isLocalPath(null), false);
});

live("isLocalPath refuses every raw or encoded off-site form, as the server does", () => {
  for (const to of ["/users/1", "/a?next=%2F%2Fx", "/files/a%2Fb", "/search?q=a\\b"]) {
    assert.equal(isLocalPath(to), true, to);
  }
  for (const to of [
    "//evil", "/\\evil", "/%09/evil.example", "/%5Cevil", "/%2F%2Fevil", "/%2f%2fevil",
    "/\t/evil", "/%2509/x", "/a\nb", "/x%00", "/%E0%A4%A", "http://x",
  ]) {
    assert.equal(isLocalPath(to), false, JSON.stringify(to));
  }
});

live("a redirect in an event reply applies the reply, then navigates", async () => {
  const { socket, current, container, assigned } = joinedPage(COUNTER);
  const reply = socket.pushEvent("go", {});
  current().receive({
    ref: 1,
    type: "redirect",
    to: "/next",
    ops: [[0, [0, 0], "Count: 9"]],
    reply: { ok: true },
  });
  assert.deepEqual(await reply, { ok: true });
  assert.equal(container.textContent, "Count: 9");
  assert.deepEqual(assigned, ["/next"]);
});

live("heartbeat every 30 s; no reply within 10 s is a lost connection", (t) => {
  const { sockets, current, container } = joinedPage(COUNTER);
  const ws = current();
  t.mock.timers.tick(30000);
  assert.deepEqual(ws.last, { type: "hb", ref: 1 });
  ws.receive({ ref: 1 });
  assert.equal(classes(container), "phx-connected");
  t.mock.timers.tick(30000);
  assert.deepEqual(ws.last, { type: "hb", ref: 2 });
  t.mock.timers.tick(9999);
  assert.equal(sockets.length, 1);
  t.mock.timers.tick(1);
  assert.equal(ws.closedWith, 1000);
  assert.equal(classes(container), "phx-client-error phx-error phx-loading");
  t.mock.timers.tick(10);
  assert.equal(sockets.length, 2);
});

live("disconnect closes and stays disconnected; connect comes back", (t) => {
  const { socket, sockets, current, container } = joinedPage(COUNTER);
  socket.disconnect();
  assert.equal(classes(container), "phx-loading");
  assert.equal(sockets[0].closedWith, 1000);
  t.mock.timers.tick(60000);
  assert.equal(sockets.length, 1);
  socket.connect();
  assert.equal(sockets.length, 2);
  current().open();
  assert.equal(current().last.mounts, 1);
});

live("a patch that does not fit the page is logged and the view rejoins", (t) => {
  const errors = t.mock.method(console, "error", () => {});
  const { current, container } = joinedPage(COUNTER);
  current().receive({ type: "patch", ops: [[0, [5, 5], "x"]] });
  assert.equal(errors.mock.callCount(), 1);
  assert.match(String(errors.mock.calls[0].arguments[0]), /cannot apply op/);
  assert.equal(classes(container), "phx-client-error phx-error phx-loading");
  t.mock.timers.tick(200);
  assert.equal(current().last.type, "join");
});

live("debug logging is off by default, switched on and off, and kept in sessionStorage", (t) => {
  const debug = t.mock.method(console, "debug", () => {});
  const { window, socket, current } = livePage();
  socket.connect();
  current().open();
  assert.equal(debug.mock.callCount(), 0);
  socket.setDebug(true);
  current().receive({ ref: 0, tree: [] });
  assert.deepEqual(debug.mock.calls[0].arguments, ["pylive in", { ref: 0, tree: [] }]);
  assert.equal(window.sessionStorage.getItem("pylive:debug"), "1");
  const later = livePage();
  later.window.sessionStorage.setItem("pylive:debug", "1");
  assert.equal(new LiveSocket(later.window, { WebSocket: FakeSocket }).debug, true);
  socket.setDebug(false);
  assert.equal(window.sessionStorage.getItem("pylive:debug"), null);
});

live("start() connects and returns the public API", async () => {
  const page = livePage();
  /** @type {any[]} */
  const opened = [];
  class WebSocket {
    /** @param {string} url */
    constructor(url) {
      this.readyState = 0;
      opened.push(url);
    }
    close() {}
  }
  const api = start(page.window, { WebSocket: /** @type {any} */ (WebSocket) });
  assert.deepEqual(Object.keys(api).sort(), [
    "connect",
    "disableDebug",
    "disableLatencySim",
    "disconnect",
    "enableDebug",
    "enableLatencySim",
    "execJS",
    "getLatencySim",
    "hooks",
    "isConnected",
    "js",
    "pushEvent",
    "registerHooks",
    "uploaders",
  ]);
  assert.equal(opened.length, 1);
  assert.equal(api.isConnected(), false);
  await assert.rejects(api.pushEvent("x"), /not connected/);
  api.disconnect();
});
