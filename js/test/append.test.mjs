// The append and prepend ops: a phx-update="append" or "prepend" container keeps the children it
// has; the server sends only the rows it rendered this time, one op for the lot: a row whose id
// is there is updated in place, the others are added at the end (append) or the start (prepend).

import assert from "node:assert/strict";
import { test } from "node:test";

import { OPS, applyOps, applyTree } from "../../client.js";
import { mount, page } from "../dom.mjs";

/** @param {string} id @param {string} [text] */
const row = (id, text = id) => ["p", { id }, [text]];

/**
 * A page whose view container holds `<div id="logs" phx-update=mode>` with one row per id.
 * @param {string} mode
 * @param {string[]} ids
 */
function logs(mode, ids = ["a", "b"]) {
  const p = page();
  mount(p.container, [["div", { id: "logs", "phx-update": mode }, ids.map((id) => row(id))]]);
  const div = /** @type {Element} */ (p.container.firstChild);
  return { ...p, div };
}

/** @param {Element} el */
const ids = (el) => Array.from(el.children, (child) => child.id);

test("OPS has the append and prepend ops of pylive.protocol", () => {
  assert.equal(OPS.append, 10);
  assert.equal(OPS.prepend, 11);
});

test("append adds the new rows after the kept ones, in order", () => {
  const { container, div } = logs("append");
  const kept = div.children[0];
  applyOps(container, [[OPS.append, [0], [row("c"), row("d")]]]);
  assert.equal(
    container.innerHTML,
    '<div id="logs" phx-update="append"><p id="a">a</p><p id="b">b</p><p id="c">c</p>' +
      '<p id="d">d</p></div>',
  );
  assert.equal(div.children[0], kept);
});

test("prepend adds the new rows before the kept ones, in their order", () => {
  const { container, div } = logs("prepend");
  applyOps(container, [[OPS.prepend, [0], [row("c"), row("d")]]]);
  assert.deepEqual(ids(div), ["c", "d", "a", "b"]);
  applyOps(container, [[OPS.prepend, [0], [row("e")]]]);
  assert.deepEqual(ids(div), ["e", "c", "d", "a", "b"]);
});

test("a row whose id is there is updated in place: same element, same position", () => {
  for (const [mode, code] of [
    ["append", OPS.append],
    ["prepend", OPS.prepend],
  ]) {
    const { container, div } = logs(String(mode), ["a", "b", "c"]);
    const b = div.children[1];
    applyOps(container, [[code, [0], [row("x"), ["p", { id: "b", class: "seen" }, ["B"]]]]]);
    const expected = mode === "append" ? ["a", "b", "c", "x"] : ["x", "a", "b", "c"];
    assert.deepEqual(ids(div), expected);
    assert.equal(div.querySelector("#b"), b);
    assert.equal(b.outerHTML, '<p id="b" class="seen">B</p>');
  }
});

test("an updated row with another tag replaces the row where it stands", () => {
  const { container, div } = logs("prepend");
  applyOps(container, [[OPS.prepend, [0], [["li", { id: "a" }, ["A"]], row("z")]]]);
  assert.equal(div.innerHTML, '<p id="z">z</p><li id="a">A</li><p id="b">b</p>');
});

test("ids are looked up among the container's direct children only", () => {
  const p = page();
  mount(p.container, [
    ["div", { "phx-update": "append" }, [["p", { id: "a" }, [["span", { id: "inner" }, ["x"]]]]]],
  ]);
  applyOps(p.container, [[OPS.append, [0], [row("inner")]]]);
  assert.equal(
    p.container.innerHTML,
    '<div phx-update="append"><p id="a"><span id="inner">x</span></p><p id="inner">inner</p></div>',
  );
});

test("the report: new rows added, changed rows updated, nothing removed", () => {
  const { container } = logs("append");
  const report = applyOps(container, [[OPS.append, [0], [row("a", "A"), row("c")]]]);
  const named = (/** @type {Element[]} */ els) => els.map((el) => el.id);
  assert.deepEqual(named(report.added), ["c"]);
  assert.deepEqual(named(report.updated), ["a"]);
  assert.deepEqual(report.removed, []);
});

test("a focused input in a row sent again keeps its node, focus and typed value", () => {
  const p = page();
  const item = (/** @type {string} */ value) => ["p", { id: "r" }, [["input", { value }]]];
  mount(p.container, [["div", { id: "logs", "phx-update": "append" }, [item("server")]]]);
  const input = /** @type {HTMLInputElement} */ (p.container.querySelector("input"));
  input.focus();
  input.value = "typed";
  applyOps(p.container, [[OPS.append, [0], [item("server 2"), row("n")]]]);
  assert.equal(p.container.querySelector("input"), input);
  assert.equal(p.document.activeElement, input);
  assert.equal(input.value, "typed");
  assert.equal(input.getAttribute("value"), "server 2");
});

test("an op addressing no element, or without a node list, throws naming the op", () => {
  const { container } = logs("append");
  assert.throws(() => applyOps(container, [[OPS.append, [5], [row("c")]]]), /\[10,\[5\]/);
  assert.throws(() => applyOps(container, [[OPS.append, [0], "c"]]), /expected a list of nodes/);
});

test("a rejoin resets the container to what the server renders (LiveView's join patch)", () => {
  const { container, div } = logs("append", ["a", "b", "c"]);
  const b = div.children[1];
  applyTree(container, [["div", { id: "logs", "phx-update": "append" }, [row("b"), row("x")]]]);
  assert.equal(container.firstChild, div);
  assert.deepEqual(ids(div), ["b", "x"]);
  assert.equal(div.children[0], b, "a row the join renders again keeps its element");
});
