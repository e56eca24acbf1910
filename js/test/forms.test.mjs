// Forms: serialization in the browser's order, phx-change with _target, phx-submit with the
// submitter, loading classes on the control and its form.

import assert from "node:assert/strict";
import { test } from "node:test";

import { serializeForm } from "../../client.js";
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

const SIGNUP = [
  [
    "form",
    { id: "f", "phx-change": "validate", "phx-submit": "save" },
    [
      ["input", { id: "name", name: "user[name]", value: "Al" }],
      ["input", { id: "email", name: "user[email]", type: "email", value: "" }],
      ["input", { name: "user[tags][]", type: "checkbox", value: "a", checked: true }],
      ["input", { name: "user[tags][]", type: "checkbox", value: "b" }],
      ["input", { name: "plan", type: "radio", value: "free" }],
      ["input", { name: "plan", type: "radio", value: "pro", checked: true }],
      [
        "select",
        { name: "colors[]", multiple: true },
        [
          ["option", { value: "r", selected: true }, ["red"]],
          ["option", { value: "g" }, ["green"]],
          ["option", { value: "b", selected: true }, ["blue"]],
        ],
      ],
      ["textarea", { name: "bio" }, ["hi"]],
      ["input", { name: "off", disabled: true, value: "x" }],
      ["input", { name: "upload", type: "file" }],
      ["input", { id: "own", name: "nick", "phx-change": "nick", value: "n" }],
      ["button", { id: "save", name: "action", value: "save" }, ["Save"]],
      ["button", { id: "draft", name: "action", value: "draft" }, ["Draft"]],
    ],
  ],
];

const FIELDS = [
  ["user[name]", "Al"],
  ["user[email]", ""],
  ["user[tags][]", "a"],
  ["plan", "pro"],
  ["colors[]", "r"],
  ["colors[]", "b"],
  ["bio", "hi"],
  ["nick", "n"],
];

live("serializeForm gives [name, value] pairs in document order, as the browser submits", () => {
  const { document } = joinedPage(SIGNUP);
  const form = document.getElementById("f");
  assert.deepEqual(serializeForm(form), FIELDS);
  assert.deepEqual(serializeForm(form, document.getElementById("draft")), [
    ...FIELDS,
    ["action", "draft"],
  ]);
  // Something that is not one of the form's submit buttons is ignored, not thrown.
  assert.deepEqual(serializeForm(form, document.getElementById("name")), FIELDS);
});

/**
 * Type into a control as a user would: set the value, fire `input`.
 * @param {any} el
 * @param {string} value
 */
function type(el, value) {
  el.value = value;
  el.dispatchEvent(new el.ownerDocument.defaultView.Event("input", { bubbles: true }));
}

live("phx-change sends every field with the changed one as target", () => {
  const { current, document } = joinedPage(SIGNUP);
  const email = document.getElementById("email");
  type(email, "a@b");
  // Each field not used yet (no focus, no input, no submit) has its `_unused_` marker first.
  const fields = [
    ["user[_unused_name]", ""],
    ["user[name]", "Al"],
    ["user[email]", "a@b"],
    ["user[_unused_tags]", ""],
    ["user[tags][]", "a"],
    ["_unused_plan", ""],
    ["plan", "pro"],
    ["_unused_colors", ""],
    ["colors[]", "r"],
    ["colors[]", "b"],
    ["_unused_bio", ""],
    ["bio", "hi"],
    ["_unused_nick", ""],
    ["nick", "n"],
  ];
  assert.deepEqual(current().sent, [
    {
      type: "event",
      ref: 1,
      kind: "change",
      event: "validate",
      value: fields,
      target: "user[email]",
    },
  ]);
  assert.equal(classes(email), "phx-change-loading");
  assert.equal(classes(document.getElementById("f")), "phx-change-loading");
  current().receive({ ref: 1 });
  assert.equal(classes(email), "");
  assert.equal(classes(document.getElementById("f")), "");
});

live("checkboxes and selects send on input too; an input with its own phx-change sends itself", () => {
  const { current, document } = joinedPage(SIGNUP);
  const box = document.querySelector('input[value="b"]');
  box.checked = true;
  box.dispatchEvent(new document.defaultView.Event("input", { bubbles: true }));
  assert.deepEqual(current().last.value.slice(4, 6), [
    ["user[tags][]", "a"],
    ["user[tags][]", "b"],
  ]);
  assert.equal(current().last.target, "user[tags][]");
  type(document.getElementById("own"), "nn");
  assert.deepEqual(current().last, {
    type: "event",
    ref: 2,
    kind: "change",
    event: "nick",
    value: [["nick", "nn"]],
    target: "nick",
  });
});

live("phx-submit prevents the HTTP submit and sends the fields with the submitter's", () => {
  const { current, document, window } = joinedPage(SIGNUP);
  const form = document.getElementById("f");
  const draft = document.getElementById("draft");
  let submitted = 0;
  window.addEventListener("submit", (/** @type {Event} */ e) => {
    if (!e.defaultPrevented) submitted++;
  });
  form.requestSubmit(draft);
  assert.deepEqual(current().sent, [
    {
      type: "event",
      ref: 1,
      kind: "submit",
      event: "save",
      value: [...FIELDS, ["action", "draft"]],
    },
  ]);
  assert.equal(classes(form), "phx-submit-loading");
  assert.equal(classes(draft), "phx-submit-loading");
  form.requestSubmit(draft); // still waiting: ignored
  assert.equal(current().sent.length, 1);
  current().receive({ ref: 1 });
  assert.equal(classes(form), "");
  assert.equal(classes(draft), "");
  assert.equal(submitted, 0);
});

live("a form without phx-submit is left to the browser", () => {
  const { document } = joinedPage([["form", { id: "plain" }, [["input", { name: "q" }]]]]);
  const form = document.getElementById("plain");
  const event = new document.defaultView.Event("submit", { bubbles: true, cancelable: true });
  form.dispatchEvent(event);
  assert.equal(event.defaultPrevented, false);
});

// -- reset (type-specific rules, issue 14 item 5; the payloads are vectors in browser_rules.json)

const RESETTABLE = [
  [
    "form",
    { id: "f", "phx-change": "validate" },
    [
      ["input", { id: "q", name: "q", value: "x" }],
      ["input", { id: "clear", type: "reset", name: "clear", value: "Clear" }],
      ["button", { id: "again", type: "reset", name: "again" }, ["Again"]],
    ],
  ],
];

live("a reset's change goes once the form is reset, with the reset button loading", (t) => {
  const { current, document } = joinedPage(RESETTABLE);
  const q = document.getElementById("q");
  const again = document.getElementById("again");
  type(q, "typed");
  current().receive({ ref: 1 });
  again.click();
  assert.equal(current().sent.length, 1, "nothing before the browser has reset the form");
  assert.equal(q.value, "x");
  t.mock.timers.tick(0);
  assert.deepEqual(current().last, {
    type: "event",
    ref: 2,
    kind: "change",
    event: "validate",
    value: [
      ["_unused_q", ""],
      ["q", "x"],
    ],
    target: "again",
  });
  assert.equal(classes(again), "phx-change-loading");
  assert.equal(classes(document.getElementById("f")), "phx-change-loading");
  current().receive({ ref: 2 });
  assert.equal(classes(again), "");
});

live("form.reset() from a script names the form's first reset button", (t) => {
  const { current, document } = joinedPage(RESETTABLE);
  document.getElementById("f").reset();
  t.mock.timers.tick(0);
  assert.equal(current().last.target, "clear");
  assert.deepEqual(current().last.value, [
    ["_unused_q", ""],
    ["q", "x"],
  ]);
});

live("a reset that a listener cancels sends nothing and keeps the fields used", (t) => {
  const { current, document, window } = joinedPage(RESETTABLE);
  const q = document.getElementById("q");
  window.addEventListener("reset", (/** @type {Event} */ e) => e.preventDefault());
  type(q, "typed");
  document.getElementById("again").click();
  t.mock.timers.tick(0);
  assert.equal(current().sent.length, 1);
  assert.equal(q.value, "typed");
  type(q, "more");
  assert.deepEqual(current().last.value, [["q", "more"]]);
});

live("a number input's bad input sends no change; the next number does", () => {
  const number = { id: "n", type: "number", name: "n", value: "5" };
  const form = ["form", { id: "f", "phx-change": "validate" }, [["input", number]]];
  const { current, document } = joinedPage([form]);
  const n = document.getElementById("n");
  let bad = true;
  Object.defineProperty(n, "validity", { get: () => ({ badInput: bad }) });
  n.value = ""; // what a browser's value reads while "1e" is typed
  n.dispatchEvent(new document.defaultView.Event("input", { bubbles: true }));
  assert.equal(current().sent.length, 0);
  bad = false;
  type(n, "12");
  assert.deepEqual(current().last.value, [["n", "12"]]);
});
