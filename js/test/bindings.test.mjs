// The bindings beyond clicks, keys and forms: phx-click-away, phx-window-focus/blur,
// phx-debounce and phx-throttle, phx-disable-with, phx-update="ignore", phx-mounted and
// phx-remove, phx-connected and phx-disconnected, and the default layout's indicators.

import assert from "node:assert/strict";
import { test } from "node:test";

import { classes, joinedPage, livePage } from "../live.mjs";

/**
 * @param {string} name
 * @param {(t: import("node:test").TestContext) => unknown} fn
 */
function live(name, fn) {
  test(name, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
    return fn(t);
  });
}

/** @param {...any[]} ops */
const js = (...ops) => JSON.stringify(ops);

/** @param {Element} el */
function mouse(el, type) {
  const win = el.ownerDocument.defaultView;
  el.dispatchEvent(new win.MouseEvent(type, { bubbles: true }));
}

/** A press and release on `down`, the click landing on `up` (their common ancestor in a browser). */
function press(down, up = down) {
  mouse(down, "mousedown");
  mouse(up, "click");
}

/**
 * @param {HTMLInputElement} input
 * @param {string} value
 */
function type(input, value) {
  input.value = value;
  input.dispatchEvent(new input.ownerDocument.defaultView.Event("input", { bubbles: true }));
}

const events = (ws) => ws.sent.filter((f) => f.type === "event").map((f) => [f.kind, f.event, f.value]);

// -- phx-click-away ------------------------------------------------------------------------------

const MENU = [
  ["div", { id: "menu", "phx-click-away": js(["hide", {}], ["push", { event: "closed" }]) }, [
    ["button", { id: "inner", "phx-click": "pick", "phx-value-n": "1" }, ["1"]],
  ]],
  ["p", { id: "outside" }, ["elsewhere"]],
  ["div", { id: "hidden-menu", style: "display: none", "phx-click-away": "hidden_away" }, []],
];

live("phx-click-away runs for a click outside, not inside, and never blocks an inner phx-click", () => {
  const { document, current } = joinedPage(MENU);
  press(document.getElementById("inner"));
  assert.deepEqual(events(current()), [["click", "pick", { n: "1" }]]);
  assert.equal(document.getElementById("menu").style.display, "");
  press(document.getElementById("outside"));
  assert.deepEqual(events(current()).slice(1), [["click", "closed", {}]]);
  assert.equal(document.getElementById("menu").style.display, "none");
});

live("phx-click-away runs before the click's phx-click: a button that opens a menu is not undone", () => {
  const { document } = joinedPage([
    ["button", { id: "open", "phx-click": js(["show", { to: "#m" }]) }],
    ["div", { id: "m", style: "display: none", "phx-click-away": js(["hide", {}]) }, []],
  ]);
  press(document.getElementById("open"));
  assert.equal(document.getElementById("m").style.display, "block");
  press(document.getElementById("open"));
  assert.equal(document.getElementById("m").style.display, "block"); // hidden, then shown again
});

live("phx-click-away: a drag from inside to outside is no click away; hidden elements never fire", () => {
  const { document, current } = joinedPage(MENU);
  press(document.getElementById("inner"), document.getElementById("outside"));
  assert.deepEqual(events(current()), []);
  assert.equal(document.getElementById("menu").style.display, "");
});

// -- window focus and blur -----------------------------------------------------------------------

live("phx-window-focus and phx-window-blur send on the window's focus changes", () => {
  const { window, current } = joinedPage([
    ["div", { "phx-window-focus": "back", "phx-window-blur": "away", "phx-value-tab": "t1" }, []],
  ]);
  window.dispatchEvent(new window.FocusEvent("blur"));
  window.dispatchEvent(new window.FocusEvent("focus"));
  assert.deepEqual(events(current()), [["blur", "away", { tab: "t1" }], ["focus", "back", { tab: "t1" }]]);
});

// -- debounce ------------------------------------------------------------------------------------

const SEARCH = [
  ["form", { id: "f", "phx-change": "search", "phx-submit": "go" }, [
    ["input", { id: "q", name: "q", "phx-debounce": "300" }],
    ["input", { id: "b", name: "b", value: "same", "phx-debounce": "blur" }],
    ["input", { id: "e", name: "e", "phx-debounce": "" }],
  ]],
];

live("phx-debounce: typing 10 characters fast sends one change, with the last value", (t) => {
  const { document, current } = joinedPage(SEARCH);
  const q = document.getElementById("q");
  for (const text of ["p", "py", "pyl", "pyli", "pyliv", "pylive", "pylive ", "pylive j", "pylive js", "pylive js!"]) {
    type(q, text);
    t.mock.timers.tick(50);
  }
  assert.deepEqual(events(current()), []);
  t.mock.timers.tick(300);
  const sent = events(current());
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0][2].find(([k]) => k === "q"), ["q", "pylive js!"]);
});

live('phx-debounce="0" sends every event at once, in order', () => {
  const { document, current } = joinedPage([
    ["input", { id: "z", name: "z", "phx-change": "v", "phx-debounce": "0" }],
  ]);
  const z = document.getElementById("z");
  type(z, "a");
  type(z, "ab");
  assert.deepEqual(events(current()).map(([, , value]) => value), [[["z", "a"]], [["z", "ab"]]]);
});

live("phx-debounce with no value waits 300 ms", (t) => {
  const { document, current } = joinedPage(SEARCH);
  type(document.getElementById("e"), "x");
  t.mock.timers.tick(299);
  assert.equal(events(current()).length, 0);
  t.mock.timers.tick(1);
  assert.equal(events(current()).length, 1);
});

live('phx-debounce="blur": sent once on blur, and not at all when the value is back to what it was', () => {
  const { document, current } = joinedPage(SEARCH);
  const b = document.getElementById("b");
  b.focus();
  type(b, "changed");
  type(b, "changed again");
  assert.equal(events(current()).length, 0);
  b.blur();
  assert.equal(events(current()).length, 1);
  b.focus();
  b.blur();
  assert.equal(events(current()).length, 1); // no new change: nothing sent again
  b.focus();
  type(b, "x");
  type(b, "changed again"); // back to the value last sent
  b.blur();
  assert.equal(events(current()).length, 1);
});

live("a submit sends the pending debounced change of its form first, then the submit", (t) => {
  const { document, current } = joinedPage(SEARCH);
  type(document.getElementById("q"), "abc");
  const form = document.getElementById("f");
  form.dispatchEvent(new document.defaultView.Event("submit", { bubbles: true, cancelable: true }));
  assert.deepEqual(events(current()).map(([kind, event]) => [kind, event]), [["change", "search"], ["submit", "go"]]);
  t.mock.timers.tick(1000);
  assert.equal(events(current()).length, 2); // the debounce timer does not send it again
});

live("a debounced change of an element that left the page is never sent", (t) => {
  const { document, current } = joinedPage(SEARCH);
  type(document.getElementById("q"), "abc");
  current().receive({ type: "patch", ops: [[3, [0]]] });
  t.mock.timers.tick(1000);
  assert.deepEqual(events(current()), []);
});

// -- throttle ------------------------------------------------------------------------------------

live("phx-throttle on a click: five clicks within the interval count once (leading edge)", (t) => {
  const { document, current } = joinedPage([["button", { id: "b", "phx-click": "inc", "phx-throttle": "1000" }]]);
  const b = document.getElementById("b");
  for (let i = 0; i < 5; i++) {
    b.click();
    current().receive({ ref: current().last.ref, ops: [] });
    t.mock.timers.tick(100);
  }
  assert.equal(events(current()).length, 1);
  t.mock.timers.tick(1000);
  assert.equal(events(current()).length, 1); // nothing trails a click
  b.click();
  assert.equal(events(current()).length, 2);
});

live("phx-throttle on an input sends the first value at once and the last when the interval ends", (t) => {
  const { document, current } = joinedPage([["input", { id: "v", name: "v", "phx-change": "vol", "phx-throttle": "500" }]]);
  const v = document.getElementById("v");
  for (const value of ["1", "2", "3", "4"]) {
    type(v, value);
    t.mock.timers.tick(50);
  }
  assert.deepEqual(events(current()).map(([, , value]) => value), [[["v", "1"]]]);
  t.mock.timers.tick(500);
  assert.deepEqual(events(current()).map(([, , value]) => value), [[["v", "1"]], [["v", "4"]]]);
});

// -- phx-disable-with ----------------------------------------------------------------------------

live("phx-disable-with swaps the text and disables until the reply, whose patch lands on the real text", () => {
  const { document, current } = joinedPage([
    ["form", { id: "f", "phx-submit": "save" }, [
      ["input", { name: "t", value: "x" }],
      ["button", { id: "save", type: "submit", "phx-disable-with": "Saving…" }, ["Save"]],
    ]],
  ]);
  const save = document.getElementById("save");
  const form = document.getElementById("f");
  form.dispatchEvent(new document.defaultView.Event("submit", { bubbles: true, cancelable: true }));
  assert.equal(save.textContent, "Saving…");
  assert.equal(save.disabled, true);
  current().receive({ ref: current().last.ref, ops: [[0, [0, 1, 0], "Saved"]] });
  assert.equal(save.textContent, "Saved");
  assert.equal(save.disabled, false);
});

// -- phx-update="ignore" -------------------------------------------------------------------------

live('phx-update="ignore": the client keeps its attributes (data-* merge) and, on a rejoin, its children', (t) => {
  const wires = [["div", { id: "map", "phx-update": "ignore", class: "a", "data-zoom": "1" }, [["canvas", {}]]]];
  const { document, current } = joinedPage(wires);
  const map = document.getElementById("map");
  map.appendChild(document.createElement("span")); // a library drew into it
  current().receive({ type: "patch", ops: [[1, [0], { class: "b", "data-zoom": "2" }]] });
  assert.equal(map.className, "a");
  assert.equal(map.getAttribute("data-zoom"), "2");
  current().receive({ type: "error", reason: "crash" });
  t.mock.timers.tick(200);
  current().receive({ ref: current().last.ref, tree: [["div", { id: "map", "phx-update": "ignore", class: "c", "data-zoom": "3" }, []]] });
  const kept = document.getElementById("map");
  assert.equal(kept, map);
  assert.equal(kept.children.length, 2);
  assert.equal(kept.getAttribute("data-zoom"), "3");
});

// -- phx-mounted, phx-remove ---------------------------------------------------------------------

live("phx-mounted runs at join and when a patch adds the element, not again on a rejoin", (t) => {
  const wires = [["div", { id: "a", "phx-mounted": js(["add_class", { names: ["in"] }], ["push", { event: "seen" }]) }, []]];
  const { document, socket, current } = livePage();
  socket.connect();
  current().open();
  current().receive({ ref: current().last.ref, tree: wires });
  assert.equal(classes(document.getElementById("a")), "in phx-hook-loading");
  assert.deepEqual(events(current()), [["hook", "seen", {}]]);
  current().receive({ ref: current().last.ref });
  current().receive({ type: "patch", ops: [[2, [], 1, ["p", { id: "b", "phx-mounted": js(["add_class", { names: ["new"] }]) }, []]]] });
  assert.equal(classes(document.getElementById("b")), "new");
  current().receive({ type: "error", reason: "crash" });
  t.mock.timers.tick(200);
  const join = current().last;
  assert.equal(join.type, "join");
  current().receive({ ref: join.ref, tree: wires });
  assert.deepEqual(events(current()), [["hook", "seen", {}]]); // not sent again
  assert.equal(classes(document.getElementById("a")), "in"); // its class carried over
});

live("phx-remove runs when a patch removes the element; it stays until its transition ends", (t) => {
  const { document, current } = joinedPage([
    ["ul", {}, [
      ["li", { id: "x", "phx-remove": js(["hide", { transition: [["fade-out"], [], []], time: 300 }]) }, ["x"]],
      ["li", { id: "y" }, ["y"]],
    ]],
  ]);
  current().receive({ type: "patch", ops: [[3, [0, 0]], [0, [0, 0, 0], "Y"]] });
  const x = document.getElementById("x");
  assert.notEqual(x, null); // still on the page, fading
  assert.equal(classes(x), "fade-out");
  assert.equal(document.getElementById("y").textContent, "Y"); // paths skip the leaving one
  t.mock.timers.tick(300);
  assert.equal(document.getElementById("x"), null);
});

// -- phx-connected, phx-disconnected -------------------------------------------------------------

live("phx-connected runs on each join, phx-disconnected when the socket drops", (t) => {
  const wires = [
    ["div", { id: "s", "phx-connected": js(["remove_class", { names: ["off"] }]), "phx-disconnected": js(["add_class", { names: ["off"] }]) }, []],
  ];
  const { document, current } = joinedPage(wires);
  const s = document.getElementById("s");
  assert.equal(classes(s), "");
  current().drop();
  assert.equal(classes(s), "off");
  t.mock.timers.tick(10); // reconnect
  current().open();
  current().receive({ ref: current().last.ref, tree: wires });
  assert.equal(classes(document.getElementById("s")), "");
});

// -- indicators ----------------------------------------------------------------------------------

live("indicators: the bar shows past 120 ms of page loading; the notices on disconnect and after a crash", (t) => {
  const page = livePage([], {
    body:
      '<div id="pylive-topbar"></div><div id="pylive-disconnected" hidden>Disconnected</div>' +
      '<div id="pylive-crashed" hidden>Reset <button>Dismiss</button></div>',
  });
  const { window, document, socket, current } = page;
  socket.connect();
  current().open();
  current().receive({ ref: current().last.ref, tree: [] });
  const bar = document.getElementById("pylive-topbar");
  window.dispatchEvent(new window.CustomEvent("phx:page-loading-start"));
  t.mock.timers.tick(119);
  assert.equal(bar.getAttribute("data-state"), null);
  t.mock.timers.tick(1);
  assert.equal(bar.getAttribute("data-state"), "loading");
  window.dispatchEvent(new window.CustomEvent("phx:page-loading-stop"));
  assert.equal(bar.getAttribute("data-state"), "done");
  const down = document.getElementById("pylive-disconnected");
  current().drop();
  t.mock.timers.tick(5); // reconnecting, not shown yet
  assert.equal(down.hidden, true);
  t.mock.timers.tick(500);
  assert.equal(down.hidden, false);
  current().open();
  current().receive({ ref: current().last.ref, tree: [] });
  assert.equal(down.hidden, true);
  const crashed = document.getElementById("pylive-crashed");
  current().receive({ type: "error", reason: "crash" });
  assert.equal(crashed.hidden, true);
  t.mock.timers.tick(200);
  current().receive({ ref: current().last.ref, tree: [] });
  assert.equal(crashed.hidden, false);
  crashed.querySelector("button").click();
  assert.equal(crashed.hidden, true);
});
