// Event delegation and payloads: phx-click with phx-value-*, loading classes until the reply,
// repeated clicks ignored while waiting, keys filtered by phx-key, focus/blur, pushed events,
// title, replies and errors.

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

const BUTTONS = [
  [
    "div",
    { class: "counter" },
    [
      ["p", { id: "count" }, ["Count: 0"]],
      ["button", { id: "inc", "phx-click": "inc", "phx-value-by": "2", "phx-value-Kind": "x" }, [
        ["span", { id: "label" }, ["+2"]],
      ]],
      ["a", { id: "link", href: "#", "phx-click": "go" }, ["go"]],
      ["button", { id: "valued", "phx-click": "pick", value: "7" }, ["7"]],
      ["input", { id: "box", type: "checkbox", "phx-click": "tick", value: "on" }],
    ],
  ],
];

live("phx-click sends the closest binding with its phx-value-* attributes", () => {
  const { current, document } = joinedPage(BUTTONS);
  document.getElementById("label").click();
  assert.deepEqual(current().sent, [
    { type: "event", ref: 1, kind: "click", event: "inc", value: { by: "2", kind: "x" } },
  ]);
});

live("a click payload carries the element's value; an unchecked checkbox's is left out", () => {
  const { current, document } = joinedPage(BUTTONS);
  document.getElementById("valued").click();
  const box = document.getElementById("box");
  box.click(); // now checked
  current().receive({ ref: 1 });
  current().receive({ ref: 2 });
  box.click(); // unchecked again
  assert.deepEqual(
    current().sent.map((frame) => frame.value),
    [{ value: "7" }, { value: "on" }, {}],
  );
});

live("phx-value-value wins over the element's value; other elements' value attrs are not sent", () => {
  const { current, document } = joinedPage([
    ["button", { id: "pv", "phx-click": "pv", value: "7", "phx-value-value": "explicit" }],
    ["li", { id: "li", "phx-click": "li", value: "3" }],
  ]);
  document.getElementById("pv").click();
  document.getElementById("li").click();
  assert.deepEqual(
    current().sent.map((frame) => frame.value),
    [{ value: "explicit" }, {}],
  );
});

live('phx-click on href="#" prevents the navigation', () => {
  const { document } = joinedPage(BUTTONS);
  const link = document.getElementById("link");
  const event = new document.defaultView.MouseEvent("click", { bubbles: true, cancelable: true });
  link.dispatchEvent(event);
  assert.equal(event.defaultPrevented, true);
});

live("phx-click-loading stays until the reply with the same ref; a second click is ignored", () => {
  const { current, document, container } = joinedPage(BUTTONS);
  const button = document.getElementById("inc");
  button.click();
  assert.equal(classes(button), "phx-click-loading");
  button.click();
  button.click();
  assert.equal(current().sent.length, 1);
  // Another element is not blocked; a reply to it does not end the first one's wait.
  document.getElementById("valued").click();
  current().receive({ ref: 2 });
  assert.equal(classes(button), "phx-click-loading");
  // A pushed patch rewriting the class attribute keeps the loading class on.
  current().receive({ type: "patch", ops: [[1, [0, 1], { class: "big" }]] });
  assert.equal(classes(button), "big phx-click-loading");
  current().receive({ ref: 1, ops: [[0, [0, 0, 0], "Count: 2"]] });
  assert.equal(classes(button), "big");
  assert.equal(container.querySelector("#count").textContent, "Count: 2");
  button.click();
  assert.equal(current().sent.length, 3);
  assert.equal(current().last.ref, 3);
});

live("clicks outside the container, or before the join, send nothing", () => {
  const { current, document, socket } = joinedPage(BUTTONS);
  document.getElementById("outside").click();
  assert.equal(current().sent.length, 0);
  socket.disconnect();
  document.getElementById("inc").click();
  assert.equal(classes(document.getElementById("inc")), "");
});

live("pushed events are dispatched as phx:<name> on window, after the patch", () => {
  const { current, window, document } = joinedPage(BUTTONS);
  /** @type {any[]} */
  const seen = [];
  window.addEventListener("phx:counter-reset", (/** @type {any} */ e) => {
    seen.push([e.detail, document.getElementById("count").textContent]);
  });
  current().receive({
    type: "patch",
    ops: [[0, [0, 0, 0], "Count: 0!"]],
    events: [["counter-reset", { at: 0 }], ["other", null]],
  });
  assert.deepEqual(seen, [[{ at: 0 }, "Count: 0!"]]);
});

live("title sets document.title", () => {
  const { current, document } = joinedPage(BUTTONS);
  current().receive({ type: "patch", title: "Count 3" });
  assert.equal(document.title, "Count 3");
});

live("pushEvent resolves with the reply; an error reply rejects", async () => {
  const { socket, current } = joinedPage(BUTTONS);
  const ok = socket.pushEvent("save", { a: 1 });
  assert.deepEqual(current().last, { type: "event", ref: 1, kind: "hook", event: "save", value: { a: 1 } });
  current().receive({ ref: 1, reply: { id: 5 } });
  assert.deepEqual(await ok, { id: 5 });
  const empty = socket.pushEvent("noop");
  current().receive({ ref: 2 });
  assert.deepEqual(await empty, {});
  const limited = socket.pushEvent("spam", {});
  current().receive({ ref: 3, error: "rate limited: more than 50 events/s" });
  await assert.rejects(limited, /rate limited/);
  const refused = socket.pushEvent("bad", {});
  current().receive({ ref: 4, type: "error", reason: "bad_frame", detail: "bad ref" });
  await assert.rejects(refused, /bad ref/);
});

live("a crash with a ref fails that event and the others waiting", async () => {
  const { socket, current, document } = joinedPage(BUTTONS);
  const first = socket.pushEvent("a");
  document.getElementById("inc").click();
  current().receive({ type: "error", reason: "crash", ref: 2 });
  assert.equal(classes(document.getElementById("inc")), "");
  await assert.rejects(first, /server-error/);
});

const KEYS = [
  [
    "div",
    {},
    [
      ["div", { id: "up", "phx-window-keydown": "up", "phx-key": "ArrowUp" }],
      ["div", { id: "any", "phx-window-keyup": "any" }],
      ["input", { id: "typing", "phx-keyup": "key", "phx-value-field": "t" }],
      ["div", { id: "esc", "phx-keydown": "close", "phx-key": "escape" }, [["button", { id: "in" }]]],
    ],
  ],
];

/**
 * @param {any} target
 * @param {string} type
 * @param {string} key
 */
function press(target, type, key) {
  const win = target.ownerDocument?.defaultView ?? target;
  target.dispatchEvent(new win.KeyboardEvent(type, { key, bubbles: true }));
}

live("phx-window-keydown hears its phx-key anywhere, case-insensitively; other keys do not", () => {
  const { current, document, window } = joinedPage(KEYS);
  press(document.body, "keydown", "ArrowUp");
  press(document.body, "keydown", "arrowup");
  press(document.body, "keydown", "ArrowDown");
  press(document.body, "keydown", "a");
  press(window, "keydown", "ARROWUP");
  const ups = current().sent.filter((frame) => frame.event === "up");
  assert.deepEqual(
    ups.map((frame) => [frame.kind, frame.value]),
    [
      ["keydown", { key: "ArrowUp" }],
      ["keydown", { key: "arrowup" }],
      ["keydown", { key: "ARROWUP" }],
    ],
  );
  assert.equal(classes(document.getElementById("up")), "phx-keydown-loading");
});

live("phx-window-keyup without phx-key hears every key", () => {
  const { current, document } = joinedPage(KEYS);
  press(document.body, "keyup", "x");
  press(document.body, "keyup", "Enter");
  assert.deepEqual(
    current().sent.map((frame) => [frame.event, frame.value.key]),
    [
      ["any", "x"],
      ["any", "Enter"],
    ],
  );
});

live("phx-keyup on an input sends the key, its phx-value-* and its value", () => {
  const { current, document } = joinedPage(KEYS);
  const input = document.getElementById("typing");
  input.value = "ab";
  press(input, "keyup", "b");
  const frame = current().sent.find((f) => f.event === "key");
  assert.deepEqual(frame, {
    type: "event",
    ref: frame.ref,
    kind: "keyup",
    event: "key",
    value: { key: "b", field: "t", value: "ab" },
  });
});

live("phx-keydown on an element hears keys from inside it, filtered by phx-key", () => {
  const { current, document } = joinedPage(KEYS);
  const inner = document.getElementById("in");
  press(inner, "keydown", "Enter");
  press(inner, "keydown", "Escape");
  assert.deepEqual(
    current().sent.filter((f) => f.event === "close").map((f) => f.value),
    [{ key: "Escape" }],
  );
});

live("key events without a key (autofill) are ignored", () => {
  const { current, document } = joinedPage(KEYS);
  const win = document.defaultView;
  document.body.dispatchEvent(new win.Event("keydown", { bubbles: true }));
  assert.equal(current().sent.length, 0);
});

live("phx-focus and phx-blur fire on the element itself", () => {
  const { current, document } = joinedPage([
    ["input", { id: "f", "phx-focus": "focused", "phx-blur": "blurred", "phx-value-x": "1" }],
    ["input", { id: "g" }],
  ]);
  const input = document.getElementById("f");
  input.value = "v";
  input.focus();
  assert.equal(classes(input), "phx-focus-loading");
  document.getElementById("g").focus();
  assert.deepEqual(
    current().sent.map((f) => [f.kind, f.event, f.value]),
    [
      ["focus", "focused", { x: "1", value: "v" }],
      ["blur", "blurred", { x: "1", value: "v" }],
    ],
  );
});
