// A join render (the whole tree, on connect and on every rejoin) keeps the elements that stay —
// by id, else by place and tag — and with them the focused control (node, focus, typed value,
// caret), listeners, scroll and hook instances; the rest is built anew.

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

test("applyTree turns the children into the new tree", () => {
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

test("no counterpart: the new tree is built, the focused input is gone", () => {
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

test("a join keeps elements by id even when they moved, and by place and tag otherwise", () => {
  const { container } = page();
  mount(container, [
    ["ul", {}, [["li", { id: "x" }, ["x"]], ["li", { id: "y" }, ["y"]]]],
    ["p", { class: "a" }, ["old"]],
  ]);
  const [x, y] = Array.from(container.querySelectorAll("li"));
  const para = container.querySelector("p");
  let clicks = 0;
  x.addEventListener("click", () => clicks++);
  applyTree(container, [
    ["ul", {}, [["li", { id: "y" }, ["y!"]], ["li", { id: "x" }, ["x"]], ["li", { id: "z" }, ["z"]]]],
    ["p", { class: "b" }, ["new"]],
  ]);
  const [first, second, third] = Array.from(container.querySelectorAll("li"));
  assert.equal(first, y);
  assert.equal(second, x);
  assert.equal(container.querySelector("p"), para);
  assert.equal(container.innerHTML.replace(/\s/g, ""), '<ul><liid="y">y!</li><liid="x">x</li><liid="z">z</li></ul><pclass="b">new</p>');
  x.click();
  assert.equal(clicks, 1); // the same element: its listener is still there
  assert.equal(third.id, "z");
});

test("a join rebuilds an element whose tag changed, and an ignored one keeps its children", () => {
  const { container } = page();
  mount(container, [
    ["div", { id: "k" }, ["a div"]],
    ["div", { id: "ign", "phx-update": "ignore", "data-n": "1", title: "t" }, ["client's"]],
  ]);
  const old = container.querySelector("#k");
  applyTree(container, [
    ["section", { id: "k" }, ["a section"]],
    ["div", { id: "ign", "phx-update": "ignore", "data-n": "2", title: "server" }, ["server's"]],
  ]);
  assert.notEqual(container.querySelector("#k"), old);
  assert.equal(
    container.innerHTML,
    '<section id="k">a section</section>' +
      '<div id="ign" phx-update="ignore" data-n="2" title="t">client\'s</div>',
  );
});
