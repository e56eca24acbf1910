// Stream ops: the items of a phx-update="stream" container live in the client only; the server
// sends inserts (or in-place updates), deletes by id and resets.

import assert from "node:assert/strict";
import { test } from "node:test";

import { OPS, applyOps } from "../../client.js";
import { mount, page } from "../dom.mjs";

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * A page whose view container holds a stream `<ul id="s">` with one `<li>` per id.
 * @param {string[]} ids
 */
function stream(ids = ["a", "b", "c"]) {
  const p = page();
  const items = ids.map((id) => ["li", { id }, [id]]);
  mount(p.container, [["ul", { id: "s", "phx-update": "stream" }, items]]);
  const ul = /** @type {Element} */ (p.container.firstChild);
  return { ...p, ul };
}

/** @param {string} id @param {string} [text] */
const li = (id, text = id) => ["li", { id }, [text]];

/** @param {Element} ul */
const ids = (ul) => Array.from(ul.children, (el) => el.id);

test("OPS has the stream ops of pylive.protocol", () => {
  assert.equal(OPS.stream_insert, 7);
  assert.equal(OPS.stream_delete, 8);
  assert.equal(OPS.stream_reset, 9);
});

test("insert at -1 appends", () => {
  const { container } = stream();
  applyOps(container, [[OPS.stream_insert, [0], -1, li("d")]]);
  assert.equal(
    container.innerHTML,
    '<ul id="s" phx-update="stream"><li id="a">a</li><li id="b">b</li><li id="c">c</li>' +
      '<li id="d">d</li></ul>',
  );
});

test("insert at 0 prepends", () => {
  const { container } = stream();
  applyOps(container, [[OPS.stream_insert, [0], 0, li("d")]]);
  assert.equal(
    container.innerHTML,
    '<ul id="s" phx-update="stream"><li id="d">d</li><li id="a">a</li><li id="b">b</li>' +
      '<li id="c">c</li></ul>',
  );
});

test("insert at 1 goes before the current second child", () => {
  const { container, ul } = stream();
  applyOps(container, [[OPS.stream_insert, [0], 1, ["li", { id: "d", class: "new" }, ["d"]]]]);
  assert.equal(
    ul.outerHTML,
    '<ul id="s" phx-update="stream"><li id="a">a</li><li id="d" class="new">d</li>' +
      '<li id="b">b</li><li id="c">c</li></ul>',
  );
});

test("insert at an index past the end appends, also into an empty stream", () => {
  const { container, ul } = stream(["a"]);
  applyOps(container, [[OPS.stream_insert, [0], 7, li("b")]]);
  assert.deepEqual(ids(ul), ["a", "b"]);
  const empty = stream([]);
  applyOps(empty.container, [
    [OPS.stream_insert, [0], 0, li("x")],
    [OPS.stream_insert, [0], 3, li("y")],
  ]);
  assert.equal(empty.ul.innerHTML, '<li id="x">x</li><li id="y">y</li>');
});

test("an item whose id is present is updated in place: same element, `at` ignored", () => {
  const { container, ul } = stream();
  const b = ul.children[1];
  const updated = ["li", { id: "b", class: "done", title: "t" }, ["B ", ["em", {}, ["!"]]]];
  applyOps(container, [[OPS.stream_insert, [0], 0, updated]]);
  assert.equal(ul.children[1], b);
  assert.equal(
    ul.outerHTML,
    '<ul id="s" phx-update="stream"><li id="a">a</li>' +
      '<li id="b" class="done" title="t">B <em>!</em></li><li id="c">c</li></ul>',
  );
  applyOps(container, [[OPS.stream_insert, [0], -1, ["li", { id: "b", "data-x": "1" }, ["b"]]]]);
  assert.equal(ul.children[1], b);
  assert.equal(b.outerHTML, '<li id="b" data-x="1">b</li>');
});

test("an update reconciles children by position, keeping what matches", () => {
  const { container, ul } = stream([]);
  applyOps(container, [
    [
      OPS.stream_insert,
      [0],
      -1,
      ["li", { id: "x" }, ["one", ["span", { class: "a" }, ["s"]], ["b", {}, []], ["i", {}, []]]],
    ],
  ]);
  const item = ul.children[0];
  const span = item.childNodes[1];
  const text = item.childNodes[0];
  applyOps(container, [
    [OPS.stream_insert, [0], -1, ["li", { id: "x" }, ["two", ["span", {}, ["t"]], "plain"]]],
  ]);
  assert.equal(item.outerHTML, '<li id="x">two<span>t</span>plain</li>');
  assert.equal(item.childNodes[0], text);
  assert.equal(item.childNodes[1], span);
  applyOps(container, [[OPS.stream_insert, [0], -1, ["li", { id: "x" }, "<b>raw</b> html"]]]);
  assert.equal(ul.children[0], item);
  assert.equal(item.innerHTML, "<b>raw</b> html");
  applyOps(container, [[OPS.stream_insert, [0], -1, ["li", { id: "x" }]]]);
  assert.equal(ul.innerHTML, '<li id="x"></li>');
});

test("an update with another tag replaces the item where it stands", () => {
  const { container, ul } = stream();
  applyOps(container, [[OPS.stream_insert, [0], 0, ["div", { id: "b" }, ["B"]]]]);
  assert.equal(ul.innerHTML, '<li id="a">a</li><div id="b">B</div><li id="c">c</li>');
});

test("update only (trailing 1) skips a missing id and updates an existing one", () => {
  const { container, ul } = stream(["a", "b"]);
  const a = ul.children[0];
  applyOps(container, [
    [OPS.stream_insert, [0], -1, li("z"), null, 1],
    [OPS.stream_insert, [0], -1, li("a", "A"), null, 1],
  ]);
  assert.equal(ul.innerHTML, '<li id="a">A</li><li id="b">b</li>');
  assert.equal(ul.children[0], a);
});

test("a positive limit keeps the first children, a negative one the last", () => {
  const first = stream();
  applyOps(first.container, [[OPS.stream_insert, [0], 0, li("d"), 2]]);
  assert.equal(first.ul.innerHTML, '<li id="d">d</li><li id="a">a</li>');

  const last = stream();
  applyOps(last.container, [[OPS.stream_insert, [0], -1, li("d"), -2]]);
  assert.equal(last.ul.innerHTML, '<li id="c">c</li><li id="d">d</li>');

  const roomy = stream();
  applyOps(roomy.container, [[OPS.stream_insert, [0], -1, li("d"), -10]]);
  assert.deepEqual(ids(roomy.ul), ["a", "b", "c", "d"]);

  const zero = stream();
  applyOps(zero.container, [[OPS.stream_insert, [0], 0, li("d"), 0]]);
  assert.equal(zero.ul.innerHTML, "");
});

test("a limit applies after an update, but not when update only skipped the item", () => {
  const updated = stream();
  applyOps(updated.container, [[OPS.stream_insert, [0], 0, li("c", "C"), -1]]);
  assert.equal(updated.ul.innerHTML, '<li id="c">C</li>');

  const skipped = stream();
  applyOps(skipped.container, [[OPS.stream_insert, [0], 0, li("z"), 1, 1]]);
  assert.deepEqual(ids(skipped.ul), ["a", "b", "c"]);
});

test("delete removes the child with the id; a missing id does nothing", () => {
  const { container, ul } = stream();
  applyOps(container, [[OPS.stream_delete, [0], "b"]]);
  assert.equal(
    ul.outerHTML,
    '<ul id="s" phx-update="stream"><li id="a">a</li><li id="c">c</li></ul>',
  );
  applyOps(container, [[OPS.stream_delete, [0], "nope"]]);
  assert.equal(ul.innerHTML, '<li id="a">a</li><li id="c">c</li>');
});

test("ids are looked up among the container's direct children only", () => {
  const p = page();
  mount(p.container, [
    ["ul", { "phx-update": "stream" }, [["li", { id: "a" }, [["span", { id: "inner" }, ["x"]]]]]],
    ["p", { id: "outside" }, ["o"]],
  ]);
  applyOps(p.container, [
    [OPS.stream_delete, [0], "inner"],
    [OPS.stream_delete, [0], "outside"],
    [OPS.stream_insert, [0], -1, li("inner")],
  ]);
  assert.equal(
    p.container.innerHTML,
    '<ul phx-update="stream"><li id="a"><span id="inner">x</span></li><li id="inner">inner</li>' +
      '</ul><p id="outside">o</p>',
  );
});

test("reset removes every child of the container", () => {
  const { container, ul } = stream();
  applyOps(container, [[OPS.stream_reset, [0]]]);
  assert.equal(container.innerHTML, '<ul id="s" phx-update="stream"></ul>');
  applyOps(container, [
    [OPS.stream_reset, [0]],
    [OPS.stream_insert, [0], -1, li("a")],
  ]);
  assert.equal(ul.innerHTML, '<li id="a">a</li>');
});

test("a focused input inside an updated item keeps its node, focus, typed value and caret", () => {
  const p = page();
  const item = (/** @type {string} */ label, /** @type {string} */ value) => [
    "li",
    { id: "i" },
    [label, ["input", { name: "q", value }]],
  ];
  mount(p.container, [["ul", { "phx-update": "stream" }, [item("Q", "server")]]]);
  const { document, container } = p;
  const input = /** @type {HTMLInputElement} */ (container.querySelector("input"));
  let blurs = 0;
  input.addEventListener("blur", () => blurs++);
  input.focus();
  input.value = "typed";
  input.setSelectionRange(2, 3);

  applyOps(container, [[OPS.stream_insert, [0], 0, item("Query", "server2")]]);
  assert.equal(container.querySelector("input"), input);
  assert.equal(document.activeElement, input);
  assert.equal(blurs, 0);
  assert.equal(input.value, "typed");
  assert.deepEqual([input.selectionStart, input.selectionEnd], [2, 3]);
  assert.equal(input.getAttribute("value"), "server2");
  assert.equal(container.querySelector("li")?.firstChild?.textContent, "Query");
});

test("an unfocused input inside an updated item follows the server's value", () => {
  const p = page();
  /** @param {string} value */
  const item = (value) => ["li", { id: "i" }, [["input", { value }]]];
  mount(p.container, [["ul", { "phx-update": "stream" }, [item("1")]]]);
  const input = /** @type {HTMLInputElement} */ (p.container.querySelector("input"));
  input.value = "typed";
  applyOps(p.container, [[OPS.stream_insert, [0], 0, item("2")]]);
  assert.equal(p.container.querySelector("input"), input);
  assert.equal(input.value, "2");
});

test("a textarea in an updated item: focused keeps its value, unfocused follows new text", () => {
  const p = page();
  /** @param {string} text */
  const item = (text) => ["li", { id: "i" }, [["textarea", { name: "t" }, [text]]]];
  mount(p.container, [["ul", { "phx-update": "stream" }, [item("one")]]]);
  const area = /** @type {HTMLTextAreaElement} */ (p.container.querySelector("textarea"));
  area.value = "typed";
  applyOps(p.container, [[OPS.stream_insert, [0], -1, item("one")]]);
  assert.equal(area.value, "typed", "an unchanged textarea keeps what the user typed");
  area.focus();
  applyOps(p.container, [[OPS.stream_insert, [0], -1, item("two")]]);
  assert.equal(p.container.querySelector("textarea"), area);
  assert.equal(area.defaultValue, "two");
  assert.equal(area.value, "typed");
  area.blur();
  applyOps(p.container, [[OPS.stream_insert, [0], -1, item("three")]]);
  assert.equal(area.value, "three");
});

test("items inserted into an SVG stream are SVG elements", () => {
  const p = page();
  mount(p.container, [["svg", {}, [["g", { "phx-update": "stream" }, []]]]]);
  applyOps(p.container, [[OPS.stream_insert, [0, 0], -1, ["circle", { id: "c", r: "1" }]]]);
  const circle = /** @type {Element} */ (p.container.querySelector("circle"));
  assert.equal(circle.namespaceURI, SVG_NS);
  applyOps(p.container, [[OPS.stream_insert, [0, 0], -1, ["circle", { id: "c", r: "2" }]]]);
  assert.equal(p.container.querySelector("circle"), circle);
  assert.equal(circle.getAttribute("r"), "2");
});

test("a path that does not resolve to an element throws, naming the op and path", () => {
  const { container } = stream();
  const bad = [
    [OPS.stream_insert, [5], -1, li("d")],
    [OPS.stream_delete, [0, 9], "a"],
    [OPS.stream_reset, [3]],
    [OPS.stream_reset, [0, 0, 0]],
  ];
  for (const op of bad) {
    assert.throws(
      () => applyOps(container, [op]),
      (/** @type {Error} */ error) =>
        error.message.includes(`cannot apply op ${JSON.stringify(op)}`) &&
        error.message.includes(JSON.stringify(op[1])),
    );
  }
  assert.throws(
    () => applyOps(container, [[OPS.stream_insert, [0], -1, ["li", {}, ["no id"]]]]),
    /a stream item must be an element with an id, at path \[0\]/,
  );
  assert.deepEqual(ids(/** @type {Element} */ (container.firstChild)), ["a", "b", "c"]);
});

// -- fixed children: children no stream inserted (data-phx-fixed), kept after the items -----------

/** A stream with items a, b and a fixed "Empty!" child after them. */
function withFixed() {
  const p = page();
  const empty = ["li", { id: "empty", "data-phx-fixed": "" }, ["Empty!"]];
  mount(p.container, [["ul", { id: "s", "phx-update": "stream" }, [li("a"), li("b"), empty]]]);
  return { ...p, ul: /** @type {Element} */ (p.container.firstChild) };
}

test("a reset keeps the fixed children and new items go before them (LiveView #3260)", () => {
  const { container, ul } = withFixed();
  const empty = ul.lastElementChild;
  applyOps(container, [
    [OPS.stream_reset, [0]],
    [OPS.stream_insert, [0], -1, ["li", { id: "empty", "data-phx-fixed": "" }, ["Empty!"]]],
    [OPS.stream_insert, [0], -1, li("d")],
    [OPS.stream_insert, [0], -1, li("c")],
  ]);
  assert.deepEqual(ids(ul), ["d", "c", "empty"]);
  assert.equal(ul.lastElementChild, empty); // the same element, updated in place
});

test("inserts index and limits count the items only", () => {
  const { container, ul } = withFixed();
  applyOps(container, [[OPS.stream_insert, [0], 5, li("c")]]);
  assert.deepEqual(ids(ul), ["a", "b", "c", "empty"]);
  applyOps(container, [[OPS.stream_insert, [0], 1, li("x"), 2]]);
  assert.deepEqual(ids(ul), ["a", "x", "empty"]);
  applyOps(container, [[OPS.stream_insert, [0], 0, li("y"), -1]]);
  assert.deepEqual(ids(ul), ["x", "empty"]);
});

test("a new fixed child goes last; a reset with the trailing 1 takes every child", () => {
  const { container, ul } = stream(["a"]);
  applyOps(container, [
    [OPS.stream_insert, [0], 0, ["li", { id: "more", "data-phx-fixed": "" }, ["more"]]],
    [OPS.stream_insert, [0], -1, li("b")],
  ]);
  assert.deepEqual(ids(ul), ["a", "b", "more"]);
  applyOps(container, [[OPS.stream_reset, [0], 1]]);
  assert.deepEqual(ids(ul), []);
});
