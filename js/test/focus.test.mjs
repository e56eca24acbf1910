// Form state: a patch never overwrites what the user sees in the focused control, a move never
// re-creates a node, and unfocused controls follow the server.

import assert from "node:assert/strict";
import { test } from "node:test";

import { OPS, applyOps } from "../../client.js";
import { mount, page } from "../dom.mjs";

/**
 * A page whose view container holds the given wire nodes.
 * @param {any[]} wires
 */
function view(wires) {
  const p = page();
  mount(p.container, wires);
  return p;
}

/** @param {any} el */
const selection = (el) => [el.selectionStart, el.selectionEnd, el.selectionDirection];

test("a move keeps a focused input: same node, focus, value and selection", () => {
  const { document, container } = view([
    [
      "div",
      {},
      [
        ["input", { name: "a" }],
        ["input", { name: "b" }],
        ["input", { name: "c" }],
        ["p", {}],
      ],
    ],
  ]);
  const form = /** @type {Element} */ (container.firstChild);
  const input = /** @type {HTMLInputElement} */ (form.childNodes[1]);
  let blurs = 0;
  input.addEventListener("blur", () => blurs++);
  input.focus();
  input.value = "typed";
  input.setSelectionRange(1, 4, "backward");

  applyOps(container, [[OPS.move, [0], 1, 3]]);
  assert.equal(form.childNodes[3], input);
  applyOps(container, [[OPS.move, [0], 3, 0]]);
  assert.equal(form.childNodes[0], input);

  const names = Array.from(form.childNodes, (n) => /** @type {any} */ (n).name ?? n.nodeName);
  assert.deepEqual(names, ["b", "a", "c", "P"]);
  assert.equal(document.activeElement, input);
  assert.equal(blurs, 0);
  assert.equal(input.value, "typed");
  assert.deepEqual(selection(input), [1, 4, "backward"]);
});

test("a move keeps focus inside a moved subtree", () => {
  const { document, container } = view([
    [
      "ul",
      {},
      [
        ["li", {}, ["a"]],
        ["li", {}, [["input", {}]]],
        ["li", {}, ["c"]],
      ],
    ],
  ]);
  const ul = /** @type {Element} */ (container.firstChild);
  const input = /** @type {HTMLInputElement} */ (ul.childNodes[1].firstChild);
  input.focus();
  applyOps(container, [[OPS.move, [0], 1, 2]]);
  assert.equal(ul.innerHTML, "<li>a</li><li>c</li><li><input></li>");
  assert.equal(document.activeElement, input);
});

test("attrs on the focused input sets the value attribute but keeps its value and caret", () => {
  const { document, container } = view([["input", { value: "server" }]]);
  const input = /** @type {HTMLInputElement} */ (container.firstChild);
  input.focus();
  input.value = "user typing";
  input.setSelectionRange(4, 4);
  applyOps(container, [[OPS.attrs, [0], { value: "server 2", class: "x" }]]);
  assert.equal(input.getAttribute("value"), "server 2");
  assert.equal(input.className, "x");
  assert.equal(input.value, "user typing");
  assert.deepEqual(selection(input), [4, 4, "none"]);
  assert.equal(document.activeElement, input);
});

test("attrs on a focused input the user has not edited still keeps its value", () => {
  const { container } = view([["input", { value: "old" }]]);
  const input = /** @type {HTMLInputElement} */ (container.firstChild);
  input.focus();
  applyOps(container, [[OPS.attrs, [0], { value: "new" }]]);
  assert.equal(input.getAttribute("value"), "new");
  assert.equal(input.value, "old");
});

test("attrs on an unfocused input, select or textarea makes its value follow the server", () => {
  const { container } = view([
    ["input", { value: "a" }],
    [
      "select",
      {},
      [
        ["option", { value: "1" }, ["one"]],
        ["option", { value: "2" }, ["two"]],
      ],
    ],
    ["textarea", {}, ["t"]],
  ]);
  const [input, select, textarea] = /** @type {any[]} */ (Array.from(container.childNodes));
  input.value = "edited";
  textarea.value = "edited";
  applyOps(container, [
    [OPS.attrs, [0], { value: "b" }],
    [OPS.attrs, [1], { value: "2" }],
    [OPS.attrs, [2], { value: "server" }],
  ]);
  assert.deepEqual([input.value, select.value, textarea.value], ["b", "2", "server"]);
  applyOps(container, [[OPS.attrs, [0], { value: null }]]);
  assert.equal(input.hasAttribute("value"), false);
  assert.equal(input.value, "");
});

test("attrs syncs checked and selected, even after the user changed them", () => {
  const { container } = view([
    ["input", { type: "checkbox", value: "on" }],
    [
      "select",
      {},
      [
        ["option", {}, ["one"]],
        ["option", {}, ["two"]],
      ],
    ],
  ]);
  const [box, select] = /** @type {any[]} */ (Array.from(container.childNodes));
  box.checked = true;
  box.checked = false; // dirty: the attribute alone no longer drives it
  applyOps(container, [
    [OPS.attrs, [0], { checked: true }],
    [OPS.attrs, [1, 1], { selected: true }],
  ]);
  assert.equal(box.checked, true);
  assert.equal(select.value, "two");
  applyOps(container, [
    [OPS.attrs, [0], { checked: null }],
    [OPS.attrs, [1, 1], { selected: null }],
  ]);
  assert.equal(box.checked, false);
  assert.equal(select.options[1].selected, false);
});

test("a focused checkbox's value attribute is plain markup and is set", () => {
  const { container } = view([["input", { type: "checkbox", value: "a" }]]);
  const box = /** @type {HTMLInputElement} */ (container.firstChild);
  box.focus();
  applyOps(container, [[OPS.attrs, [0], { value: "b" }]]);
  assert.equal(box.value, "b");
});

test("a text op inside a focused textarea keeps what the user typed", () => {
  const { document, container } = view([["textarea", {}, ["server"]]]);
  const textarea = /** @type {HTMLTextAreaElement} */ (container.firstChild);
  textarea.focus();
  textarea.value = "user text";
  textarea.setSelectionRange(2, 5);
  applyOps(container, [[OPS.text, [0, 0], "server 2"]]);
  assert.equal(textarea.defaultValue, "server 2");
  assert.equal(textarea.value, "user text");
  assert.deepEqual(selection(textarea), [2, 5, "none"]);
  assert.equal(document.activeElement, textarea);
});

test("a text op inside an unfocused textarea updates its value, even once edited", () => {
  const { container } = view([["textarea", {}, ["server"]]]);
  const textarea = /** @type {HTMLTextAreaElement} */ (container.firstChild);
  textarea.value = "user text";
  applyOps(container, [[OPS.text, [0, 0], "server 2"]]);
  assert.equal(textarea.value, "server 2");
  applyOps(container, [[OPS.remove, [0, 0]]]);
  assert.equal(textarea.value, "");
  applyOps(container, [[OPS.insert, [0], 0, "again"]]);
  assert.equal(textarea.value, "again");
});
