// Client hooks (phx-hook): the exact order of their callbacks across join, patches (changes
// inside, keyed moves, adds, removes, id changes, phx-remove), disconnect and rejoin; their API
// (pushEvent, pushEventTo, handleEvent, js()); the registry (window.pylive.hooks, registerHooks,
// a page's own window.pylive set before boot, Python-declared modules); the errors.

import assert from "node:assert/strict";
import { test } from "node:test";

import { JSDOM } from "jsdom";

import { LiveSocket, OPS, buildNode, start } from "../../client.js";
import { FakeSocket, classes } from "../live.mjs";

const CALLBACKS = ["mounted", "beforeUpdate", "updated", "destroyed", "disconnected", "reconnected"];
const URL_ = "http://127.0.0.1:8000/page";
const js = (/** @type {any[]} */ ...ops) => JSON.stringify(ops);

/**
 * A hook that records each callback as `<callback>:<id>` (the id its element had when it
 * mounted, kept as the instance's own state).
 * @param {string[]} log
 * @param {string} [prefix]
 */
function recording(log, prefix = "") {
  /** @type {Record<string, any>} */
  const hook = {};
  for (const name of CALLBACKS) {
    hook[name] = function () {
      if (name === "mounted") this.mountedId = this.el.id;
      log.push(`${prefix}${name}:${this.mountedId}`);
    };
  }
  return hook;
}

/**
 * A jsdom page with a live container (attributes `containerAttrs`) and a LiveSocket on it with a
 * fake WebSocket; `options.live === false`: no container.
 * @param {{ hooks?: any, containerAttrs?: string, body?: string, live?: boolean,
 *   importModule?: (url: string) => Promise<any>, wires?: any[] }} [options]
 */
function hookPage(options = {}) {
  const container =
    options.live === false
      ? ""
      : `<div id="phx-main" data-phx-main data-phx-session="TOKEN" ${options.containerAttrs ?? ""}></div>`;
  const dom = new JSDOM(`<!DOCTYPE html><body>${container}${options.body ?? ""}</body>`, { url: URL_ });
  const window = /** @type {any} */ (dom.window);
  const document = window.document;
  const main = document.getElementById("phx-main");
  for (const wire of options.wires ?? []) main.appendChild(buildNode(document, wire));
  /** @type {FakeSocket[]} */
  const sockets = [];
  class WebSocket extends FakeSocket {
    /** @param {string} url */
    constructor(url) {
      super(url);
      sockets.push(this);
    }
  }
  /** @type {string[]} */
  const assigned = [];
  /** @type {string[]} */
  const reloads = [];
  const socket = new LiveSocket(window, {
    WebSocket,
    hooks: options.hooks,
    importModule: options.importModule,
    reload: () => reloads.push("reload"),
    assign: (to) => assigned.push(to),
    random: () => 0.5,
  });
  const current = () => sockets[sockets.length - 1];
  /** @param {string} id */
  const hookOf = (id) => socket.view?.hooks.instanceOf(document.getElementById(id));
  return { window, document, main, socket, sockets, current, hookOf, assigned, reloads };
}

/**
 * `hookPage` connected and joined with `wires` as the join render; `log` records the hook `Log`.
 * @param {any[]} wires
 * @param {Record<string, any>} [hooks]
 */
function joined(wires, hooks = {}) {
  /** @type {string[]} */
  const log = [];
  const page = hookPage({ hooks: { Log: recording(log), ...hooks } });
  page.socket.connect();
  page.current().open();
  page.current().receive({ ref: page.current().last.ref, tree: wires });
  page.current().sent.length = 0;
  return { ...page, log };
}

/**
 * @param {FakeSocket} ws
 * @param {any[]} ops
 */
const patch = (ws, ops) => ws.receive({ type: "patch", ops });

/**
 * A test with fake timers; console.warn silenced unless the test mocks it itself.
 * @param {string} name
 * @param {(t: import("node:test").TestContext) => unknown} fn
 */
function live(name, fn) {
  test(name, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    return fn(t);
  });
}

const hooked = (/** @type {string} */ id, /** @type {any[]} */ children = [], extra = {}) => [
  "div",
  { id, "phx-hook": "Log", ...extra },
  children,
];

// -- join ----------------------------------------------------------------------------------------

live("join: hooks mount in document order, parent before child, each before its phx-mounted", () => {
  /** @type {string[]} */
  const log = [];
  const page = hookPage({ hooks: { Log: recording(log) } });
  page.document.addEventListener("m", (/** @type {any} */ e) => log.push(`phx-mounted:${e.target.id}`));
  const mountedJs = js(["dispatch", { event: "m" }]);
  page.socket.connect();
  page.current().open();
  assert.deepEqual(log, []); // nothing before the join render
  page.current().receive({
    ref: 0,
    tree: [
      hooked("a", [hooked("b", [], { "phx-mounted": mountedJs })], { "phx-mounted": mountedJs }),
      hooked("c"),
    ],
  });
  assert.deepEqual(log, ["mounted:a", "phx-mounted:a", "mounted:b", "phx-mounted:b", "mounted:c"]);
  assert.equal(page.hookOf("a").el, page.document.getElementById("a"));
});

// -- patches -------------------------------------------------------------------------------------

live("a patch changing text and attributes inside: beforeUpdate before the op, updated after", () => {
  const { current, log, hookOf, document } = joined([
    hooked("a", [["p", {}, ["x"]], hooked("b", ["y"])]),
    hooked("c"),
  ]);
  log.length = 0;
  /** @type {string[]} */
  const seen = [];
  hookOf("a").beforeUpdate = function () {
    seen.push(document.querySelector("#a p").textContent);
    log.push("beforeUpdate:a");
  };
  patch(current(), [
    [0, [0, 0, 0], "x2"],
    [1, [0, 1], { class: "k" }],
  ]);
  assert.deepEqual(seen, ["x"]); // called before the text changed
  assert.deepEqual(log, ["beforeUpdate:a", "beforeUpdate:b", "updated:a", "updated:b"]);
  log.length = 0;
  patch(current(), [[0, [0, 1, 0], "y2"]]); // text inside b: b and its hook ancestor a
  assert.deepEqual(log, ["beforeUpdate:a", "beforeUpdate:b", "updated:a", "updated:b"]);
});

live("a keyed move updates the parent, not the moved element, which keeps its instance", () => {
  const { current, log, hookOf } = joined([
    ["ul", { id: "list", "phx-hook": "Log" }, [hooked("x"), hooked("y")]],
  ]);
  const x = hookOf("x");
  log.length = 0;
  patch(current(), [[4, [0], 0, 1]]);
  assert.deepEqual(log, ["beforeUpdate:list", "updated:list"]);
  assert.equal(hookOf("x"), x);
  assert.deepEqual(
    Array.from(/** @type {any} */ (x.el.parentNode).children, (/** @type {any} */ el) => el.id),
    ["y", "x"],
  );
});

live("an add mounts the new hooks after the whole batch, in document order", () => {
  const { current, log } = joined([["ul", { id: "list", "phx-hook": "Log" }, [hooked("x")]]]);
  log.length = 0;
  patch(current(), [
    [2, [0], 1, hooked("z", [hooked("z1")])],
    [2, [0], 1, hooked("w")], // before z: mounted in document order, not op order
  ]);
  assert.deepEqual(log, ["beforeUpdate:list", "updated:list", "mounted:w", "mounted:z", "mounted:z1"]);
});

live("a remove destroys the hooks it takes out (document order), after the updates", () => {
  const { current, log, main } = joined([
    ["ul", { id: "list", "phx-hook": "Log" }, [hooked("x", [hooked("x1")]), hooked("y"), hooked("z")]],
  ]);
  log.length = 0;
  patch(current(), [[3, [0, 1]], [3, [0, 0]]]); // y then x: destroyed in document order
  assert.deepEqual(log, ["beforeUpdate:list", "updated:list", "destroyed:x", "destroyed:x1", "destroyed:y"]);
  assert.equal(main.querySelectorAll("[phx-hook]").length, 2);
});

live("an id or phx-hook change: the old instance is destroyed, a new one mounted", () => {
  /** @type {string[]} */
  const other = [];
  const { current, log, hookOf } = joined(
    [["ul", { id: "list", "phx-hook": "Log" }, [hooked("x"), hooked("y")]]],
    { Other: recording(other, "other-") },
  );
  const y = hookOf("y");
  log.length = 0;
  patch(current(), [[1, [0, 0], { id: "x2" }]]);
  assert.deepEqual(log, ["beforeUpdate:list", "updated:list", "destroyed:x", "mounted:x2"]);
  log.length = 0;
  patch(current(), [[1, [0, 1], { "phx-hook": "Other", class: "o" }]]);
  assert.deepEqual(log, ["beforeUpdate:list", "updated:list", "destroyed:y"]);
  assert.deepEqual(other, ["other-mounted:y"]);
  assert.notEqual(hookOf("y"), y);
  log.length = 0;
  patch(current(), [[1, [0, 0], { id: "x2", class: "same-id" }]]); // same id: an update
  assert.deepEqual(log, ["beforeUpdate:list", "beforeUpdate:x2", "updated:list", "updated:x2"]);
});

live("a stream item sent again is updated in place: it and its hook ancestors; a new one mounts", () => {
  const item = (/** @type {string} */ id, /** @type {string} */ text) => [
    "li",
    { id, "phx-hook": "Log" },
    [text],
  ];
  const { current, log, hookOf } = joined([
    ["ul", { id: "s", "phx-update": "stream", "phx-hook": "Log" }, [item("s-1", "a")]],
  ]);
  const first = hookOf("s-1");
  log.length = 0;
  patch(current(), [[7, [0], -1, item("s-1", "b")]]);
  assert.deepEqual(log, ["beforeUpdate:s", "beforeUpdate:s-1", "updated:s", "updated:s-1"]);
  assert.equal(hookOf("s-1"), first);
  log.length = 0;
  patch(current(), [[7, [0], 0, item("s-2", "c")]]);
  assert.deepEqual(log, ["beforeUpdate:s", "updated:s", "mounted:s-2"]);
  log.length = 0;
  patch(current(), [[8, [0], "s-1"]]);
  assert.deepEqual(log, ["beforeUpdate:s", "updated:s", "destroyed:s-1"]);
});

live("removal under a phx-remove parent: destroyed when it leaves, after its transition", (t) => {
  const remove = js(["hide", { transition: [["fade-out"], [], []], time: 300, blocking: false }]);
  const { current, log, document } = joined([
    hooked("box", [["span", { id: "inner", "phx-hook": "Log" }, []]], { "phx-remove": remove }),
    hooked("other"),
  ]);
  log.length = 0;
  patch(current(), [[3, [0]]]);
  assert.deepEqual(log, []);
  assert.notEqual(document.getElementById("box"), null);
  t.mock.timers.tick(299);
  assert.deepEqual(log, []);
  t.mock.timers.tick(1);
  assert.equal(document.getElementById("box"), null);
  assert.deepEqual(log, ["destroyed:box", "destroyed:inner"]);
});

live("a leaving element dropped by a rejoin is destroyed then", (t) => {
  const remove = js(["hide", { transition: [["fade-out"], [], []], time: 300, blocking: false }]);
  const { current, log } = joined([hooked("box", [], { "phx-remove": remove })]);
  log.length = 0;
  patch(current(), [[3, [0]]]);
  current().drop();
  t.mock.timers.tick(10);
  current().open();
  current().receive({ ref: current().last.ref, tree: [] });
  assert.deepEqual(log, ["disconnected:box", "destroyed:box"]);
});

// -- disconnect and rejoin -----------------------------------------------------------------------

live("disconnect → rejoin: reconnected for survivors, destroyed + mounted for re-created ones", (t) => {
  const tree = [
    hooked("form", [["input", { id: "name" }]]),
    hooked("ign", ["kept"], { "phx-update": "ignore" }),
    hooked("swap"),
    hooked("gone"),
  ];
  const rejoin = [tree[0], tree[1], ["section", { id: "swap", "phx-hook": "Log" }, []]];
  const { current, log, hookOf, document, socket, window } = joined(tree);
  window.addEventListener("phx:hi", () => log.push("phx:hi"));
  const form = hookOf("form");
  const ign = hookOf("ign");
  document.getElementById("name").focus();
  log.length = 0;
  current().drop();
  assert.deepEqual(log, ["disconnected:form", "disconnected:ign", "disconnected:swap", "disconnected:gone"]);
  socket.disconnect(); // a second reset: no second disconnected
  socket.connect();
  assert.equal(log.length, 4);
  current().open();
  log.length = 0;
  current().receive({ ref: current().last.ref, tree: rejoin, events: [["hi", {}]] });
  // The join render keeps the elements that stay (same id and tag): their hooks reconnect; the
  // one of another tag is a new element, the one gone is gone.
  assert.deepEqual(log, [
    "destroyed:swap",
    "destroyed:gone",
    "mounted:swap",
    "phx:hi",
    "reconnected:form",
    "reconnected:ign",
  ]);
  assert.equal(hookOf("form"), form);
  assert.equal(hookOf("ign"), ign);
  assert.equal(socket.view.hooks.size, 3);
  t.mock.timers.tick(0);
});

live("a crash and rejoin: no duplicate instance; reload and redirect destroy every hook", (t) => {
  t.mock.method(console, "warn", () => {});
  const tree = [hooked("a", [], { "phx-update": "ignore" }), hooked("b")];
  const { current, log, socket } = joined(tree);
  log.length = 0;
  current().receive({ type: "error", reason: "crash" });
  t.mock.timers.tick(200);
  current().receive({ ref: current().last.ref, tree });
  assert.deepEqual(log, ["disconnected:a", "disconnected:b", "reconnected:a", "reconnected:b"]);
  assert.equal(socket.view.hooks.size, 2);
  log.length = 0;
  socket.reload("test");
  assert.deepEqual(log, ["disconnected:a", "disconnected:b", "destroyed:a", "destroyed:b"]);

  const other = joined(tree);
  other.log.length = 0;
  other.current().receive({ type: "redirect", to: "/elsewhere" });
  assert.deepEqual(other.log, ["destroyed:a", "destroyed:b"]);
  assert.deepEqual(other.assigned, ["/elsewhere"]);
});

live("attributes reordered (two attrs ops on one element) keep the instance: an update", () => {
  const { current, log, hookOf } = joined([hooked("a", [], { class: "x" })]);
  const before = hookOf("a");
  log.length = 0;
  patch(current(), [
    [OPS.attrs, [0], { "phx-hook": null, class: null }],
    [OPS.attrs, [0], { title: "t", "phx-hook": "Log", class: "y" }],
  ]);
  assert.deepEqual(log, ["beforeUpdate:a", "updated:a"]);
  assert.equal(hookOf("a"), before);
});

// -- pushed events -------------------------------------------------------------------------------

live("handleEvent listeners get a frame's events before the window; removeHandleEvent, destroyed", () => {
  /** @type {any[]} */
  const got = [];
  const Listen = {
    mounted() {
      this.ref = this.handleEvent("point", (/** @type {any} */ p) => got.push([this.el.id, p]));
    },
  };
  const { current, window, hookOf } = joined(
    [["div", { id: "l1", "phx-hook": "Listen" }, []], ["div", { id: "l2", "phx-hook": "Listen" }, []]],
    { Listen },
  );
  window.addEventListener("phx:point", (/** @type {any} */ e) => got.push(["window", e.detail]));
  current().receive({ type: "patch", events: [["point", { x: 1 }], ["other", {}]] });
  assert.deepEqual(got, [["l1", { x: 1 }], ["l2", { x: 1 }], ["window", { x: 1 }]]);
  got.length = 0;
  const l1 = hookOf("l1");
  l1.removeHandleEvent(l1.ref);
  current().receive({ type: "patch", events: [["point", { x: 2 }]] });
  assert.deepEqual(got, [["l2", { x: 2 }], ["window", { x: 2 }]]);
  got.length = 0;
  patch(current(), [[3, [1]]]); // l2 destroyed: its listener goes with it
  current().receive({ type: "patch", events: [["point", { x: 3 }]] });
  assert.deepEqual(got, [["window", { x: 3 }]]);
});

// -- pushEvent, pushEventTo ----------------------------------------------------------------------

live("pushEvent: a promise of the reply, or onReply(reply); not connected: NotConnected", async () => {
  const { current, hookOf } = joined([hooked("h")]);
  const hook = hookOf("h");
  const promise = hook.pushEvent("save", { a: 1 });
  assert.deepEqual(current().last, { type: "event", ref: 1, kind: "hook", event: "save", value: { a: 1 } });
  current().receive({ ref: 1, reply: { ok: true } });
  assert.deepEqual(await promise, { ok: true });
  /** @type {any[]} */
  const replies = [];
  assert.equal(hook.pushEvent("save", {}, (/** @type {any} */ reply) => replies.push(reply)), undefined);
  current().receive({ ref: 2, reply: { n: 2 } });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(replies, [{ n: 2 }]);
  const failing = hook.pushEvent("save");
  current().receive({ ref: 3, error: "boom" });
  await assert.rejects(failing, { message: "pylive: boom" });
  current().drop();
  await assert.rejects(hook.pushEvent("save"), (/** @type {any} */ e) => e.constructor.name === "NotConnected");
});

live("pushEventTo: a cid, a selector (one reply per target), an element (its component)", async () => {
  const { current, hookOf } = joined([
    ["div", { "data-phx-component": "3", class: "c" }, [hooked("in3")]],
    ["div", { "data-phx-component": "4", class: "c" }, []],
    hooked("top"),
  ]);
  const hook = hookOf("top");
  const byCid = hook.pushEventTo(3, "e", { v: 1 });
  assert.deepEqual(current().last, { type: "event", ref: 1, kind: "hook", event: "e", value: { v: 1 }, cid: 3 });
  current().receive({ ref: 1, reply: { from: 3 } });
  assert.deepEqual(await byCid, { from: 3 });

  const bySelector = hook.pushEventTo(".c", "e", {});
  assert.deepEqual(current().sent.slice(-2).map((/** @type {any} */ f) => f.cid), [3, 4]);
  current().receive({ ref: 2, reply: { from: 3 } });
  current().receive({ ref: 3, reply: { from: 4 } });
  assert.deepEqual(await bySelector, [{ from: 3 }, { from: 4 }]);

  /** @type {any[]} */
  const replies = [];
  hook.pushEventTo(hookOf("in3").el, "e", {}, (/** @type {any} */ r) => replies.push(r));
  assert.equal(current().last.cid, 3);
  current().receive({ ref: 4, reply: { el: true } });
  hook.pushEventTo(hook.el, "e", {}); // an element in no component: the view
  assert.equal("cid" in current().last, false);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(replies, [{ el: true }]);
  await assert.rejects(hook.pushEventTo(9, "e", {}), /no component with that id/);
  await assert.rejects(hook.pushEventTo(/** @type {any} */ (null), "e", {}), TypeError);
});

// -- the registry --------------------------------------------------------------------------------

live("a hook registered after the join mounts the elements waiting for it; unknown: warned once", (t) => {
  const warn = t.mock.method(console, "warn", () => {});
  /** @type {string[]} */
  const log = [];
  const { socket } = joined([
    ["div", { id: "l1", "phx-hook": "Late" }, []],
    ["div", { id: "l2", "phx-hook": "Late" }, []],
  ]);
  assert.deepEqual(
    warn.mock.calls.map((c) => c.arguments[0]),
    [
      'pylive: no hook named "Late" is registered yet (<div id="l1" phx-hook="Late">); ' +
        "register it: window.pylive.hooks.Late = {mounted() {...}}",
    ],
  );
  socket.registry.register("Late", recording(log));
  assert.deepEqual(log, ["mounted:l1", "mounted:l2"]);
});

live("window.pylive.hooks.Name = …, registerHooks, hooks = {…}: before and after connect", (t) => {
  /** @type {string[]} */
  const log = [];
  const dom = new JSDOM(
    '<!DOCTYPE html><body><div id="phx-main" data-phx-main data-phx-session="T"></div></body>',
    { url: URL_ },
  );
  /** @type {FakeSocket[]} */
  const sockets = [];
  class WebSocket extends FakeSocket {
    /** @param {string} url */
    constructor(url) {
      super(url);
      sockets.push(this);
    }
  }
  t.mock.method(console, "warn", () => {});
  const api = /** @type {any} */ (start(/** @type {any} */ (dom.window), { WebSocket: /** @type {any} */ (WebSocket) }));
  api.hooks.Before = recording(log, "before-");
  sockets[0].open();
  sockets[0].receive({
    ref: 0,
    tree: [
      ["div", { id: "b", "phx-hook": "Before" }, []],
      ["div", { id: "a", "phx-hook": "After" }, []],
      ["div", { id: "r", "phx-hook": "Reg" }, []],
      ["div", { id: "s", "phx-hook": "Set" }, []],
    ],
  });
  assert.deepEqual(log, ["before-mounted:b"]);
  api.hooks.After = recording(log, "after-");
  api.registerHooks({ Reg: recording(log, "reg-") });
  api.hooks = { Set: recording(log, "set-") };
  assert.deepEqual(log, ["before-mounted:b", "after-mounted:a", "reg-mounted:r", "set-mounted:s"]);
  assert.equal(typeof api.hooks.After.mounted, "function");
  /** @type {any} */
  let seen = null;
  api.hooks.Probe = {
    mounted() {
      seen = this.liveSocket; // the public API
    },
  };
  sockets[0].receive({ type: "patch", ops: [[2, [], 4, ["div", { id: "p", "phx-hook": "Probe" }, []]]] });
  assert.equal(seen, api);
  api.disconnect();
});

test("window.pylive = {hooks} set before the client loads: it boots and takes them", async () => {
  /** @type {string[]} */
  const log = [];
  const dom = new JSDOM('<!DOCTYPE html><body><div id="h" phx-hook="Early"></div></body>', { url: URL_ });
  const window = /** @type {any} */ (dom.window);
  window.pylive = { hooks: { Early: recording(log) } };
  const globals = /** @type {any} */ (globalThis);
  globals.window = window;
  globals.document = window.document;
  try {
    await import(`../../client.js?boot=${Date.now()}`);
  } finally {
    delete globals.window;
    delete globals.document;
  }
  assert.deepEqual(log, ["mounted:h"]);
  assert.equal(typeof window.pylive.connect, "function");
  assert.deepEqual(Object.keys(window.pylive.hooks), ["Early"]);
  await assert.rejects(window.pylive.pushEvent("x"), /no live view here/);
});

live("a page without a live container: hooks mount at boot, only mounted runs, pushEvent rejects", async () => {
  /** @type {string[]} */
  const log = [];
  const page = hookPage({ live: false, body: '<div id="d" phx-hook="Log"></div>', hooks: { Log: recording(log) } });
  page.socket.connect();
  assert.deepEqual(log, ["mounted:d"]);
  assert.equal(page.sockets.length, 0);
  page.socket.connect();
  page.socket.disconnect();
  assert.deepEqual(log, ["mounted:d"]);
  const hook = page.socket.pageHooks?.instanceOf(page.document.getElementById("d"));
  await assert.rejects(hook.pushEvent("x"), (/** @type {any} */ e) => e.constructor.name === "NotConnected");
  hook.js().addClass(hook.el, "on");
  assert.equal(classes(hook.el), "on");
});

live("Python-declared hook modules (data-phx-hooks) are imported before the join", async (t) => {
  const error = t.mock.method(console, "error", () => {});
  /** @type {string[]} */
  const log = [];
  /** @type {string[]} */
  const imported = [];
  /** @type {Record<string, () => Promise<any>>} */
  const modules = {
    "http://127.0.0.1:8000/_pylive/hooks/Chart.1a2b3c4d5e6f.js": async () => ({ default: recording(log) }),
    "http://127.0.0.1:8000/_pylive/hooks/Bare.000000000000.js": async () => ({ other: 1 }),
    "http://127.0.0.1:8000/_pylive/hooks/Broken.111111111111.js": async () => {
      throw new Error("404");
    },
  };
  const attr = JSON.stringify({
    Chart: "/_pylive/hooks/Chart.1a2b3c4d5e6f.js",
    Bare: "/_pylive/hooks/Bare.000000000000.js",
    Broken: "/_pylive/hooks/Broken.111111111111.js",
  });
  const page = hookPage({
    containerAttrs: `data-phx-hooks='${attr}'`,
    importModule: (url) => {
      imported.push(url);
      return modules[url]();
    },
  });
  page.socket.connect();
  page.current().open();
  assert.deepEqual(page.current().sent, []); // waits for the modules
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(imported.length, 3);
  assert.equal(page.current().last.type, "join");
  page.current().receive({ ref: page.current().last.ref, tree: [["div", { id: "c", "phx-hook": "Chart" }, []]] });
  assert.deepEqual(log, ["mounted:c"]);
  assert.deepEqual(
    error.mock.calls.map((c) => c.arguments[0]),
    [
      "pylive: hook module /_pylive/hooks/Bare.000000000000.js has no default export",
      "pylive: could not load hook module /_pylive/hooks/Broken.111111111111.js:",
    ],
  );
});

test("a hook module is imported with import() by default (a data: URL here)", async () => {
  const source = "export default { mounted() { this.el.dataset.hooked = this.el.id; } };";
  const url = `data:text/javascript,${encodeURIComponent(source)}`;
  const page = hookPage({ containerAttrs: `data-phx-hooks='${JSON.stringify({ Data: url })}'` });
  page.socket.connect();
  page.current().open();
  await page.socket.loading;
  await Promise.resolve();
  page.current().receive({ ref: page.current().last.ref, tree: [["div", { id: "d", "phx-hook": "Data" }, []]] });
  assert.equal(page.document.getElementById("d").dataset.hooked, "d");
  page.socket.disconnect();
});

// -- errors --------------------------------------------------------------------------------------

live("a missing or duplicate id: console.error naming the hook and the element, no instance", (t) => {
  const error = t.mock.method(console, "error", () => {});
  const { hookOf, document, socket } = joined([
    ["div", { "phx-hook": "Log", class: "x" }, []],
    ["div", { id: "d", "phx-hook": "Log" }, []],
    ["p", { id: "d" }, []],
    hooked("ok"),
  ]);
  assert.deepEqual(error.mock.calls.map((c) => c.arguments[0]), [
    'pylive: hook "Log" not mounted on <div phx-hook="Log" class="x">: it has no id (a hook element needs a unique id)',
    'pylive: hook "Log" not mounted on <div id="d" phx-hook="Log">: another element has id "d" (a hook element needs a unique id)',
  ]);
  assert.equal(socket.view.hooks.instanceOf(document.querySelector("div.x")), undefined);
  assert.equal(hookOf("d"), undefined);
  assert.notEqual(hookOf("ok"), undefined);
});

live("a throwing callback is logged and breaks neither the patch nor the other hooks", (t) => {
  const error = t.mock.method(console, "error", () => {});
  const Bad = {
    mounted() {
      throw new Error("no");
    },
    updated() {
      throw new Error("again");
    },
  };
  const { current, log, document } = joined(
    [["div", { id: "bad", "phx-hook": "Bad" }, ["0"]], hooked("good", ["0"])],
    { Bad },
  );
  assert.deepEqual(log, ["mounted:good"]);
  patch(current(), [[0, [0, 0], "1"], [0, [1, 0], "1"]]);
  assert.equal(document.getElementById("bad").textContent, "1");
  assert.equal(document.getElementById("good").textContent, "1");
  assert.deepEqual(log, ["mounted:good", "beforeUpdate:good", "updated:good"]);
  assert.deepEqual(error.mock.calls.map((c) => c.arguments[0]), [
    "pylive: hook Bad's mounted threw on #bad:",
    "pylive: hook Bad's updated threw on #bad:",
  ]);
});

// -- instances and js() --------------------------------------------------------------------------

live("each element has its own instance: state set on one does not leak to another", () => {
  const Count = {
    n: 0,
    mounted() {
      this.n += 1;
    },
  };
  const { hookOf } = joined([["div", { id: "a", "phx-hook": "Count" }, []], ["div", { id: "b", "phx-hook": "Count" }, []]], { Count });
  assert.equal(hookOf("a").n, 1);
  assert.equal(hookOf("b").n, 1);
  assert.equal(Count.n, 0);
  assert.notEqual(hookOf("a"), hookOf("b"));
});

live("js(): commands on elements, kept across patches as a phx-click chain's effects are", () => {
  const { current, hookOf, document, socket } = joined([
    hooked("h", [["p", { id: "p", class: "server" }, ["x"]]], { "phx-value-from": "hook" }),
  ]);
  /** @type {string[]} */
  const assigned = [];
  /** @type {string[]} */
  const replaced = [];
  socket.assign = (/** @type {string} */ to) => assigned.push(to);
  socket.replacePage = (/** @type {string} */ to) => replaced.push(to);
  const hook = hookOf("h");
  const p = document.getElementById("p");
  const cmd = hook.js();
  cmd.addClass(p, "on");
  cmd.setAttribute(p, "aria-expanded", "true");
  cmd.hide(hook.el);
  patch(current(), [[1, [0, 0], { class: "server2", "aria-expanded": "false" }], [0, [0, 0, 0], "y"]]);
  assert.equal(classes(p), "on server2");
  assert.equal(p.getAttribute("aria-expanded"), "true");
  assert.equal(hook.el.style.display, "none");
  cmd.show(hook.el, { display: "flex" });
  assert.equal(hook.el.style.display, "flex");
  cmd.toggleClass(p, ["on", "extra"]);
  assert.equal(classes(p), "extra server2");
  cmd.toggleAttribute(p, "open", "");
  assert.equal(p.getAttribute("open"), "");
  cmd.removeAttribute(p, "aria-expanded");
  assert.equal(p.hasAttribute("aria-expanded"), false);
  cmd.push(hook.el, "clicked", { value: { a: 1 } });
  assert.deepEqual(current().last, {
    type: "event",
    ref: 1,
    kind: "hook",
    event: "clicked",
    value: { from: "hook", a: 1 },
  });
  hook.js().exec(js(["add_class", { names: ["by-exec"] }]));
  assert.equal(classes(hook.el), "by-exec phx-hook-loading");
  assert.throws(() => cmd.addClass(p, 3), /expected class names/);
  assert.throws(() => hook.js().exec("save"), /expected an encoded JS chain/);
  cmd.navigate("/next"); // live: the view is joined (navigation.test.mjs has the rest)
  cmd.patch("/other", { replace: true });
  assert.deepEqual(current().sent.slice(-2), [
    { type: "navigate", ref: 2, url: "http://127.0.0.1:8000/next", kind: "navigate" },
    { type: "navigate", ref: 3, url: "http://127.0.0.1:8000/other", kind: "patch" },
  ]);
  assert.deepEqual(assigned, []);
  assert.deepEqual(replaced, []);
});

live("window.pylive.js() and execJS(el, encoded) run commands outside hooks", () => {
  const dom = new JSDOM('<!DOCTYPE html><body><p id="p"></p></body>', { url: URL_ });
  const api = /** @type {any} */ (start(/** @type {any} */ (dom.window), {}));
  const p = dom.window.document.getElementById("p");
  api.js().addClass(p, "a b");
  api.execJS(p, js(["remove_class", { names: ["a"] }]));
  api.js().exec(p, js(["set_attribute", { attr: ["data-x", "1"] }]));
  assert.equal(/** @type {any} */ (p).className, "b");
  assert.equal(p?.getAttribute("data-x"), "1");
});
