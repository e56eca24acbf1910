// A join render (the whole tree, on connect and on every rejoin) keeps the focused control:
// the same node, focus, typed value and caret, whenever the new tree has its counterpart.

import assert from "node:assert/strict";
import { test } from "node:test";

import { applyTree } from "../../client.js";
import { mount, page } from "../dom.mjs";

/** @param {any} el */
const selection = (el) => [el.selectionStart, el.selectionEnd, el.selectionDirection];

const FORM = (/** @type {string} */ value, /** @type {string} */ cls) => [
  ["h1", {}, ["Signup"]],
  [
    "form",
    { id: "f", class: cls },
    [
      ["label", {}, ["Name", ["input", { id: "name", name: "n", value }]]],
      ["input", { name: "plain", value }],
      ["p", {}, [`error for ${value}`]],
    ],
  ],
];

/**
 * A page holding `wires`, with `focus` focused, typed into and its caret placed.
 * @param {any[]} wires
 * @param {string} selector
 */
function typedInto(wires, selector) {
  const p = page();
  mount(p.container, wires);
  const input = /** @type {HTMLInputElement} */ (p.container.querySelector(selector));
  let blurs = 0;
  input.addEventListener("blur", () => blurs++);
  input.focus();
  input.value = "typed";
  input.setSelectionRange(1, 3, "forward");
  return { ...p, input, blurs: () => blurs };
}

test("applyTree without focus inside replaces the children", () => {
  const { container } = page();
  mount(container, [["p", {}, ["old"]]]);
  applyTree(container, [["p", {}, ["new"]], "text"]);
  assert.equal(container.innerHTML, "<p>new</p>text");
});

test("the focused input with an id is kept: node, focus, value, caret; around it, the new tree", () => {
  const { container, document, input, blurs } = typedInto(FORM("", "a"), "#name");
  applyTree(container, FORM("server", "b"));
  assert.equal(container.querySelector("#name"), input);
  assert.equal(document.activeElement, input);
  assert.equal(blurs(), 0);
  assert.equal(input.value, "typed");
  assert.equal(input.getAttribute("value"), "server");
  assert.deepEqual(selection(input), [1, 3, "forward"]);
  assert.equal(
    container.innerHTML,
    '<h1>Signup</h1><form id="f" class="b"><label>Name<input id="name" name="n" value="server">' +
      '</label><input name="plain" value="server"><p>error for server</p></form>',
  );
});

test("a focused input without an id is kept when the same place has the same tags and ids", () => {
  const { container, document, input } = typedInto(FORM("", "a"), 'input[name="plain"]');
  applyTree(container, FORM("x", "b"));
  assert.equal(document.activeElement, input);
  assert.equal(input.value, "typed");
  assert.equal(container.querySelector('input[name="plain"]'), input);
  assert.equal(container.querySelector("p")?.textContent, "error for x");
});

test("an id found elsewhere in the tree gets the focus, value and caret moved to it", () => {
  const { container, document } = typedInto(FORM("", "a"), "#name");
  applyTree(container, [["div", {}, [["section", {}, [["input", { id: "name", value: "s" }]]]]]]);
  const moved = /** @type {HTMLInputElement} */ (container.querySelector("#name"));
  assert.equal(document.activeElement, moved);
  assert.equal(moved.value, "typed");
  assert.deepEqual(selection(moved), [1, 3, "forward"]);
});

test("no counterpart: plain replace", () => {
  const { container, document } = typedInto(FORM("", "a"), 'input[name="plain"]');
  applyTree(container, [["div", { id: "other" }, [["input", { name: "plain" }]]]]);
  assert.equal(container.innerHTML, '<div id="other"><input name="plain"></div>');
  assert.notEqual(document.activeElement, container.querySelector("input"));
});

test("a focused textarea keeps its text; a focused select keeps its choice", () => {
  const { container, document } = page();
  const options = (/** @type {string} */ selected) => [
    ["option", selected === "a" ? { value: "a", selected: true } : { value: "a" }, ["A"]],
    ["option", { value: "b" }, ["B"]],
  ];
  mount(container, [
    ["textarea", { id: "t" }, ["server text"]],
    ["select", { id: "s" }, options("")],
  ]);
  const textarea = /** @type {HTMLTextAreaElement} */ (container.querySelector("#t"));
  textarea.focus();
  textarea.value = "mine";
  applyTree(container, [["textarea", { id: "t" }, ["new server text"]]]);
  assert.equal(document.activeElement, textarea);
  assert.equal(textarea.value, "mine");
  assert.equal(textarea.defaultValue, "new server text");

  const other = page();
  mount(other.container, [["select", { id: "s" }, options("")]]);
  const select = /** @type {HTMLSelectElement} */ (other.container.querySelector("#s"));
  select.focus();
  select.value = "b";
  applyTree(other.container, [["select", { id: "s" }, options("a")]]);
  assert.equal(other.document.activeElement, select);
  assert.equal(select.value, "b");
});
