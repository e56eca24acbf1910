// phx-target: an integer sends the event to that component ("cid"), a CSS selector sends one
// event per distinct target (each matched element's closest component, or the view), no target
// sends it to the view. The same rules as pylive.testing's (_dom.event_targets).

import assert from "node:assert/strict";
import { test } from "node:test";

import { classes, joinedPage } from "../live.mjs";

/**
 * A test with fake timers, so no real heartbeat timer outlives it.
 * @param {string} name
 * @param {(t: import("node:test").TestContext) => unknown} fn
 */
function live(name, fn) {
  test(name, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    return fn(t);
  });
}

/**
 * Collect console.error messages for the rest of the test.
 * @param {import("node:test").TestContext} t
 */
function consoleErrors(t) {
  /** @type {string[]} */
  const errors = [];
  t.mock.method(console, "error", (/** @type {unknown} */ message) => {
    errors.push(String(message));
  });
  return errors;
}

/** Two counter components (cids 1 and 2), a badge in neither, and bindings that target them. */
const PAGE = [
  [
    "div",
    { id: "counter-1", class: "counter", "data-phx-component": "1" },
    [
      ["p", { class: "count" }, ["A: 0"]],
      ["button", { id: "inc-1", "phx-click": "inc", "phx-target": "1" }, ["+"]],
      ["button", { id: "plain", "phx-click": "top" }, ["to the view"]],
    ],
  ],
  [
    "div",
    { id: "counter-2", class: "counter", "data-phx-component": "2" },
    [
      ["p", { class: "count" }, ["B: 0"]],
      ["div", { id: "inner", "data-phx-component": "3" }, [["span", { class: "count" }, ["C"]]]],
    ],
  ],
  ["p", { id: "badge", class: "badge" }, ["0"]],
  ["button", { id: "both", "phx-click": "reset", "phx-value-to": "0", "phx-target": ".counter" }],
  ["button", { id: "counts", "phx-click": "reset", "phx-target": ".count, #counter-1" }],
  ["button", { id: "outside", "phx-click": "reset", "phx-target": "#badge" }],
  ["button", { id: "mixed", "phx-click": "reset", "phx-target": " #badge, .counter " }],
  ["button", { id: "gone", "phx-click": "reset", "phx-target": "7" }],
  ["button", { id: "nothing", "phx-click": "reset", "phx-target": ".nowhere" }],
  ["button", { id: "bad", "phx-click": "reset", "phx-target": "[[" }],
];

/** @param {any[]} frames */
function routes(frames) {
  return frames.map((frame) => [frame.ref, frame.event, "cid" in frame ? frame.cid : "view"]);
}

live("an integer phx-target sends the event to that component's cid", () => {
  const { current, document } = joinedPage(PAGE);
  document.getElementById("inc-1").click();
  assert.deepEqual(current().sent, [
    { type: "event", ref: 1, kind: "click", event: "inc", value: {}, cid: 1 },
  ]);
});

live("without phx-target the event goes to the view, even from inside a component", () => {
  const { current, document } = joinedPage(PAGE);
  document.getElementById("plain").click();
  assert.deepEqual(current().sent, [
    { type: "event", ref: 1, kind: "click", event: "top", value: {} },
  ]);
});

live("a selector hitting two components sends two frames, each with its cid and ref", () => {
  const { current, document } = joinedPage(PAGE);
  document.getElementById("both").click();
  assert.deepEqual(current().sent, [
    { type: "event", ref: 1, kind: "click", event: "reset", value: { to: "0" }, cid: 1 },
    { type: "event", ref: 2, kind: "click", event: "reset", value: { to: "0" }, cid: 2 },
  ]);
});

live("a selector hitting an element outside any component sends to the view (no cid)", () => {
  const { current, document } = joinedPage(PAGE);
  document.getElementById("outside").click();
  assert.deepEqual(current().sent, [
    { type: "event", ref: 1, kind: "click", event: "reset", value: {} },
  ]);
  current().receive({ ref: 1 });
  document.getElementById("mixed").click();
  assert.deepEqual(routes(current().sent.slice(1)), [
    [2, "reset", 1],
    [3, "reset", 2],
    [4, "reset", "view"],
  ]);
});

live("each target gets the event once; a nested component is its own target", () => {
  const { current, document } = joinedPage(PAGE);
  // .count matches in counter-1, counter-2 and component 3 (inside counter-2); #counter-1 again.
  document.getElementById("counts").click();
  assert.deepEqual(routes(current().sent), [
    [1, "reset", 1],
    [2, "reset", 2],
    [3, "reset", 3],
  ]);
});

live("the loading class stays until every frame of a targeted event is answered", () => {
  const { current, document } = joinedPage(PAGE);
  const both = document.getElementById("both");
  both.click();
  assert.equal(classes(both), "phx-click-loading");
  current().receive({ ref: 2 });
  assert.equal(classes(both), "phx-click-loading");
  both.click(); // still waiting for ref 1: ignored
  assert.equal(current().sent.length, 2);
  current().receive({ ref: 1, ops: [[0, [0, 0, 0], "A: 0!"]] });
  assert.equal(classes(both), "");
  both.click(); // answered: sends again, to both
  assert.deepEqual(routes(current().sent.slice(2)), [
    [3, "reset", 1],
    [4, "reset", 2],
  ]);
});

live("a target naming no component, or matching nothing, sends nothing and logs", (t) => {
  const errors = consoleErrors(t);
  const { current, document } = joinedPage(PAGE);
  for (const id of ["gone", "nothing", "bad"]) document.getElementById(id).click();
  assert.deepEqual(current().sent, []);
  assert.equal(errors.length, 3);
  assert.match(errors[0], /phx-target="7": no component with that id is in the page/);
  assert.match(errors[1], /phx-target="\.nowhere" matches no element of the view/);
  assert.match(errors[2], /phx-target="\[\[" is neither a component id nor a selector/);
  assert.equal(classes(document.getElementById("gone")), ""); // not waiting for anything
});

live("a selector ignores matches outside the view's container", () => {
  const { current, document } = joinedPage([
    ["button", { id: "b", "phx-click": "go", "phx-target": "#outside, #phx-main p" }],
    ["p", {}, ["in the view"]],
  ]);
  document.getElementById("b").click(); // #outside is an input after the container
  assert.deepEqual(routes(current().sent), [[1, "go", "view"]]);
});

/** A form component (cid 4) holding two inputs; a second form without phx-target. */
const FORMS = [
  [
    "form",
    {
      id: "f",
      "data-phx-component": "4",
      "phx-submit": "save",
      "phx-change": "validate",
      "phx-target": "4",
    },
    [
      ["input", { id: "name", name: "name", value: "a", "phx-target": "#elsewhere" }],
      ["input", { id: "own", name: "own", "phx-change": "check" }],
      ["input", { id: "ot", name: "ot", "phx-change": "check", "phx-target": "#elsewhere" }],
      ["button", { id: "go", type: "submit" }, ["Go"]],
    ],
  ],
  ["p", { id: "elsewhere", "data-phx-component": "5" }],
];

live("a form's phx-target routes its submit and its change", () => {
  const { current, document, window } = joinedPage(FORMS);
  document.getElementById("go").click();
  const name = document.getElementById("name");
  name.value = "ab";
  name.dispatchEvent(new window.Event("input", { bubbles: true }));
  // The form's phx-change goes where the form's phx-target says, not the input's.
  assert.deepEqual(
    current().sent.map((frame) => [frame.kind, frame.event, frame.cid]),
    [
      ["submit", "save", 4],
      ["change", "validate", 4],
    ],
  );
});

live("a control's own phx-change uses its phx-target, else its form's", () => {
  const { current, document, window } = joinedPage(FORMS);
  for (const id of ["own", "ot"]) {
    const input = document.getElementById(id);
    input.value = "x";
    input.dispatchEvent(new window.Event("input", { bubbles: true }));
  }
  assert.deepEqual(
    current().sent.map((frame) => [frame.event, frame.target, frame.cid]),
    [
      ["check", "own", 4],
      ["check", "ot", 5],
    ],
  );
});

live("focus, blur, keys and window keys follow phx-target too", () => {
  const { current, document, window } = joinedPage([
    [
      "div",
      { id: "c", "data-phx-component": "9" },
      [
        ["input", { id: "i", name: "i", "phx-focus": "f", "phx-blur": "b", "phx-target": "9" }],
        ["div", { id: "k", "phx-keydown": "kd", "phx-target": "#c" }, [["input", { id: "ki" }]]],
        ["div", { "phx-window-keyup": "wk", "phx-target": "9" }],
      ],
    ],
  ]);
  const input = document.getElementById("i");
  input.focus();
  input.blur();
  const key = new window.KeyboardEvent("keydown", { key: "a", bubbles: true });
  document.getElementById("ki").dispatchEvent(key);
  window.dispatchEvent(new window.KeyboardEvent("keyup", { key: "Escape" }));
  assert.deepEqual(
    current().sent.map((frame) => [frame.kind, frame.event, frame.cid]),
    [
      ["focus", "f", 9],
      ["blur", "b", 9],
      ["keydown", "kd", 9],
      ["keyup", "wk", 9],
    ],
  );
});

live("pushEvent takes a target: a cid gives one reply, a selector a list of them", async (t) => {
  const { current, socket } = joinedPage(PAGE);
  const one = socket.pushEvent("inc", { by: 1 }, { target: 2 });
  const many = socket.pushEvent("reset", {}, { target: ".counter, #badge" });
  const view = socket.pushEvent("top");
  assert.deepEqual(routes(current().sent), [
    [1, "inc", 2],
    [2, "reset", 1],
    [3, "reset", 2],
    [4, "reset", "view"],
    [5, "top", "view"],
  ]);
  assert.ok(current().sent.every((frame) => frame.kind === "hook"));
  for (const ref of [1, 2, 3, 4, 5]) current().receive({ ref, reply: { ref } });
  assert.deepEqual(await one, { ref: 1 });
  assert.deepEqual(await many, [{ ref: 2 }, { ref: 3 }, { ref: 4 }]);
  assert.deepEqual(await view, { ref: 5 });
  consoleErrors(t);
  await assert.rejects(socket.pushEvent("x", {}, { target: 7 }), /no component with that id/);
  await assert.rejects(socket.pushEvent("x", {}, { target: ".nowhere" }), /matches no element/);
  await assert.rejects(socket.pushEvent("x", {}, { target: -1 }), /expected a cid or a selector/);
  assert.equal(current().sent.length, 5);
});
