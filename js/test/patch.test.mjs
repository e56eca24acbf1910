// applyOps: each patch op, applied in order, with paths of child indexes from the container.

import assert from "node:assert/strict";
import { test } from "node:test";

import { OPS, applyOps } from "../../client.js";
import { mount, page } from "../dom.mjs";

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * A page whose view container holds the given wire nodes.
 * @param {any[]} wires
 */
function view(wires) {
  const p = page();
  mount(p.container, wires);
  return p;
}

const list = () =>
  view([
    [
      "ul",
      {},
      [
        ["li", {}, ["a"]],
        ["li", {}, ["b"]],
        ["li", {}, ["c"]],
      ],
    ],
  ]);

test("OPS is frozen: nothing on the page can rewrite the wire table", () => {
  // The table itself is compared with pylive.protocol by tests/test_client_replay.py.
  assert.ok(Object.isFrozen(OPS));
  assert.throws(() => {
    "use strict";
    /** @type {any} */ (OPS).text = 9;
  }, TypeError);
  assert.equal(OPS.text, 0);
});

test("text sets the data of the text node at path, keeping the node", () => {
  const { container } = view([["p", {}, ["Count: 1"]]]);
  const text = container.firstChild?.firstChild;
  applyOps(container, [[OPS.text, [0, 0], "Count: <2>"]]);
  assert.equal(container.innerHTML, "<p>Count: &lt;2&gt;</p>");
  assert.equal(container.firstChild?.firstChild, text);
});

test("attrs sets, makes bare and removes attributes", () => {
  const { container } = view([["div", { class: "a", title: "t" }]]);
  applyOps(container, [[OPS.attrs, [0], { class: "b", hidden: true, title: null, "data-x": "1" }]]);
  assert.equal(container.innerHTML, '<div class="b" hidden="" data-x="1"></div>');
});

test("insert builds a node at index; the length appends; top level works", () => {
  const { container } = list();
  applyOps(container, [
    [OPS.insert, [0], 0, ["li", {}, ["first"]]],
    [OPS.insert, [0], 2, ["li", {}, ["middle"]]],
    [OPS.insert, [0], 5, ["li", {}, ["last"]]],
    [OPS.insert, [], 1, "after the list"],
  ]);
  assert.equal(
    container.innerHTML,
    "<ul><li>first</li><li>a</li><li>middle</li><li>b</li><li>c</li><li>last</li></ul>after the list",
  );
});

test("remove removes the node at path", () => {
  const { container } = list();
  applyOps(container, [[OPS.remove, [0, 1]]]);
  assert.equal(container.innerHTML, "<ul><li>a</li><li>c</li></ul>");
});

test("move puts child from at index to, forwards and backwards, keeping the node objects", () => {
  const { container } = list();
  const ul = /** @type {Element} */ (container.firstChild);
  const [a, b, c] = Array.from(ul.childNodes);
  applyOps(container, [[OPS.move, [0], 0, 2]]);
  assert.deepEqual(Array.from(ul.childNodes), [b, c, a]);
  applyOps(container, [[OPS.move, [0], 2, 0]]);
  assert.deepEqual(Array.from(ul.childNodes), [a, b, c]);
  applyOps(container, [
    [OPS.move, [0], 2, 1],
    [OPS.move, [0], 1, 1],
  ]);
  assert.deepEqual(Array.from(ul.childNodes), [a, c, b]);
});

test("a reverse as a batch of moves keeps every node", () => {
  const { container } = view([["ol", {}, [1, 2, 3, 4].map((n) => ["li", {}, [String(n)]])]]);
  const ol = /** @type {Element} */ (container.firstChild);
  const before = Array.from(ol.childNodes);
  applyOps(container, [
    [OPS.move, [0], 3, 0],
    [OPS.move, [0], 3, 1],
    [OPS.move, [0], 3, 2],
  ]);
  assert.deepEqual(Array.from(ol.childNodes), before.reverse());
});

test("replace swaps the node at path for a new one", () => {
  const { container } = list();
  applyOps(container, [
    [OPS.replace, [0, 1], ["p", { class: "x" }, ["B"]]],
    [OPS.replace, [0, 0, 0], "A"],
  ]);
  assert.equal(container.innerHTML, '<ul><li>A</li><p class="x">B</p><li>c</li></ul>');
});

test("html sets the inner HTML of an element holding raw HTML", () => {
  const { container } = view([["div", {}, "<b>old</b>"]]);
  applyOps(container, [[OPS.html, [0], "<i>new</i> &amp; more"]]);
  assert.equal(container.innerHTML, "<div><i>new</i> &amp; more</div>");
});

test("ops in one batch see the paths left by the ops before them", () => {
  const { container } = list();
  applyOps(container, [
    [OPS.remove, [0, 0]],
    [OPS.text, [0, 0, 0], "B"],
    [OPS.insert, [0], 2, ["li", {}, ["d"]]],
    [OPS.move, [0], 2, 0],
  ]);
  assert.equal(container.innerHTML, "<ul><li>d</li><li>B</li><li>c</li></ul>");
});

test("insert and replace inside <svg> build SVG elements; inside foreignObject, HTML", () => {
  const { container } = view([
    [
      "svg",
      {},
      [
        ["foreignObject", {}, []],
        ["rect", {}],
      ],
    ],
  ]);
  applyOps(container, [
    [OPS.insert, [0], 2, ["circle", { r: "2" }]],
    [OPS.replace, [0, 1], ["g", {}, [["path", { d: "M0 0" }]]]],
    [OPS.insert, [0, 0], 0, ["p", {}, ["html"]]],
  ]);
  const svg = /** @type {Element} */ (container.firstChild);
  assert.deepEqual(
    Array.from(svg.childNodes, (n) => n.namespaceURI),
    [SVG_NS, SVG_NS, SVG_NS],
  );
  assert.equal(svg.childNodes[1].firstChild?.namespaceURI, SVG_NS);
  assert.equal(svg.firstChild?.firstChild?.namespaceURI, "http://www.w3.org/1999/xhtml");
});

test("ops address a <template>'s children in its content", () => {
  const { container } = view([["template", {}, [["p", {}, ["a"]]]]]);
  applyOps(container, [
    [OPS.text, [0, 0, 0], "b"],
    [OPS.insert, [0], 1, ["i", {}]],
  ]);
  const template = /** @type {HTMLTemplateElement} */ (container.firstChild);
  assert.equal(template.innerHTML, "<p>b</p><i></i>");
});

test("a path that does not resolve throws an Error naming the op and the path", () => {
  const { container } = list();
  assert.throws(() => applyOps(container, [[OPS.text, [0, 7, 0], "x"]]), {
    message:
      'pylive: cannot apply op [0,[0,7,0],"x"]: path [0,7,0] does not resolve ' +
      "(no child at [0,7]; its parent has 3 children)",
  });
  assert.throws(
    () => applyOps(container, [[OPS.remove, [1]]]),
    /op \[3,\[1\]\]: path \[1\] does not resolve/,
  );
  assert.throws(
    () => applyOps(container, [[OPS.attrs, [0, 0, 0], { a: "1" }]]),
    /expected an element at path \[0,0,0\], found #text/,
  );
  assert.throws(
    () => applyOps(container, [[OPS.text, [0, 0], "x"]]),
    /expected a text node at path \[0,0\], found LI/,
  );
  assert.throws(
    () => applyOps(container, [[OPS.insert, [0], 4, "x"]]),
    /index 4 is out of range 0\.\.3 at path \[0\]/,
  );
  assert.throws(
    () => applyOps(container, [[OPS.move, [0], 0, 3]]),
    /index 3 is out of range 0\.\.2 at path \[0\]/,
  );
  assert.throws(() => applyOps(container, [[OPS.remove, []]]), /the path is empty/);
  assert.throws(() => applyOps(container, [[99, [0]]]), /op \[99,\[0\]\]: unknown op code 99/);
  assert.equal(container.innerHTML, "<ul><li>a</li><li>b</li><li>c</li></ul>");
});
