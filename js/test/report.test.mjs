// applyOps reports what a batch did to elements, as Phoenix's DOMPatch callbacks do: the
// elements it added (descendants included), updated (attributes or text) and removed.

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

/**
 * Each element of a list as `tag#id` (or `tag` without an id), to compare reports by.
 * @param {Element[]} els
 */
const names = (els) => els.map((el) => (el.id ? `${el.localName}#${el.id}` : el.localName));

/**
 * A report with each list as names.
 * @param {{ added: Element[], updated: Element[], removed: Element[] }} report
 */
const named = (report) => ({
  added: names(report.added),
  updated: names(report.updated),
  removed: names(report.removed),
});

const NOTHING = { added: [], updated: [], removed: [] };

/** A stream `<ul id="s">` with items a, b, c (each `<li id><span>text</span></li>`). */
const stream = () =>
  view([
    [
      "ul",
      { id: "s", "phx-update": "stream" },
      ["a", "b", "c"].map((id) => ["li", { id }, [["span", {}, [id]]]]),
    ],
  ]);

test("no ops: the report is empty", () => {
  const { container } = view([["p", {}, ["x"]]]);
  assert.deepEqual(applyOps(container, []), NOTHING);
});

test("insert reports the new element and the elements below it, in document order", () => {
  const { container } = view([["ul", { id: "list" }, []]]);
  const node = ["li", { id: "n" }, [["b", { id: "b" }, ["bold"]], ["i", {}, []]]];
  const report = applyOps(container, [[OPS.insert, [0], 0, node]]);
  assert.deepEqual(named(report), { added: ["li#n", "b#b", "i"], updated: [], removed: [] });
  assert.equal(report.added[0], container.querySelector("#n"));
});

test("inserting a text node adds no element", () => {
  const { container } = view([["p", {}, []]]);
  assert.deepEqual(applyOps(container, [[OPS.insert, [0], 0, "text"]]), NOTHING);
});

test("attrs reports the element as updated", () => {
  const { container } = view([["div", { id: "d", class: "a" }]]);
  const report = applyOps(container, [[OPS.attrs, [0], { class: "b" }]]);
  assert.deepEqual(named(report), { added: [], updated: ["div#d"], removed: [] });
  assert.equal(report.updated[0], container.firstChild);
});

test("text reports the text node's element as updated", () => {
  const { container } = view([["p", { id: "p" }, ["Count: 1"]]]);
  const report = applyOps(container, [[OPS.text, [0, 0], "Count: 2"]]);
  assert.deepEqual(named(report), { added: [], updated: ["p#p"], removed: [] });
});

test("remove reports the removed element and the elements below it", () => {
  const { container } = view([["div", { id: "d" }, [["span", { id: "s" }, ["x"]]]], "tail"]);
  const span = container.querySelector("#s");
  const report = applyOps(container, [[OPS.remove, [0]]]);
  assert.deepEqual(named(report), { added: [], updated: [], removed: ["div#d", "span#s"] });
  assert.equal(report.removed[1], span);
  assert.deepEqual(applyOps(container, [[OPS.remove, [0]]]), NOTHING); // a text node
});

test("replace reports the old element removed and the new one added", () => {
  const { container } = view([["p", { id: "old" }, ["x"]]]);
  const report = applyOps(container, [[OPS.replace, [0], ["div", { id: "new" }, []]]]);
  assert.deepEqual(named(report), { added: ["div#new"], updated: [], removed: ["p#old"] });
});

test("move reports nothing: the node is moved, not added or removed", () => {
  const { container } = view([["ul", {}, [["li", { id: "a" }], ["li", { id: "b" }]]]]);
  assert.deepEqual(applyOps(container, [[OPS.move, [0], 0, 1]]), NOTHING);
});

test("html reports the element updated, its old elements removed, the parsed ones added", () => {
  const { container } = view([["div", { id: "raw" }, '<b id="old">x</b>']]);
  const report = applyOps(container, [[OPS.html, [0], '<i id="new"><u>y</u></i>']]);
  assert.deepEqual(named(report), {
    added: ["i#new", "u"],
    updated: ["div#raw"],
    removed: ["b#old"],
  });
});

test("a batch lists each element once per list, in the order the ops touched them", () => {
  const { container } = view([["p", { id: "p" }, ["a"]], ["div", { id: "d" }]]);
  const report = applyOps(container, [
    [OPS.attrs, [1], { class: "x" }],
    [OPS.text, [0, 0], "b"],
    [OPS.attrs, [0], { class: "y" }],
    [OPS.attrs, [1], { class: "z" }],
  ]);
  assert.deepEqual(named(report), { added: [], updated: ["div#d", "p#p"], removed: [] });
});

test("stream insert of a new item reports it added", () => {
  const { container } = stream();
  const report = applyOps(container, [[OPS.stream_insert, [0], -1, ["li", { id: "d" }, []]]]);
  assert.deepEqual(named(report), { added: ["li#d"], updated: [], removed: [] });
});

test("stream insert of a known item reports it updated in place, and what changed below it", () => {
  const { container } = stream();
  const item = container.querySelector("#b");
  const wire = ["li", { id: "b", class: "done" }, [["span", {}, ["B"]], ["em", { id: "e" }, []]]];
  const report = applyOps(container, [[OPS.stream_insert, [0], -1, wire]]);
  assert.deepEqual(named(report), { added: ["em#e"], updated: ["span", "li#b"], removed: [] });
  assert.equal(report.updated[1], item);
});

test("stream insert of an unchanged item reports nothing", () => {
  const { container } = stream();
  const wire = ["li", { id: "a" }, [["span", {}, ["a"]]]];
  assert.deepEqual(applyOps(container, [[OPS.stream_insert, [0], -1, wire]]), NOTHING);
});

test("stream insert of a known id with another tag reports the old removed, the new added", () => {
  const { container } = stream();
  const report = applyOps(container, [[OPS.stream_insert, [0], -1, ["div", { id: "a" }, []]]]);
  assert.deepEqual(named(report), { added: ["div#a"], updated: [], removed: ["li#a", "span"] });
});

test("stream insert with a limit reports the trimmed items removed", () => {
  const { container } = stream();
  const report = applyOps(container, [[OPS.stream_insert, [0], 0, ["li", { id: "z" }, []], 2]]);
  assert.deepEqual(named(report), {
    added: ["li#z"],
    updated: [],
    removed: ["li#b", "span", "li#c", "span"],
  });
});

test("stream delete reports the item removed; an unknown id reports nothing", () => {
  const { container } = stream();
  const report = applyOps(container, [[OPS.stream_delete, [0], "b"]]);
  assert.deepEqual(named(report), { added: [], updated: [], removed: ["li#b", "span"] });
  assert.deepEqual(applyOps(container, [[OPS.stream_delete, [0], "nope"]]), NOTHING);
});

test("stream reset reports every item removed", () => {
  const { container } = stream();
  const report = applyOps(container, [[OPS.stream_reset, [0]]]);
  assert.deepEqual(names(report.removed), ["li#a", "span", "li#b", "span", "li#c", "span"]);
});
