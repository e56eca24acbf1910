// buildNode: wire form → DOM, with createElement/createTextNode and the right namespaces.

import assert from "node:assert/strict";
import { test } from "node:test";

import { buildNode } from "../../client.js";
import { canonical, page } from "../dom.mjs";

const SVG_NS = "http://www.w3.org/2000/svg";
const HTML_NS = "http://www.w3.org/1999/xhtml";

test("buildNode builds a text node from a string, never markup", () => {
  const { document } = page();
  const node = buildNode(document, "<b>not bold</b> & more");
  assert.equal(node.nodeType, 3);
  assert.equal(/** @type {Text} */ (node).data, "<b>not bold</b> & more");
});

test("buildNode builds elements with attributes and children; true is a bare attribute", () => {
  const { document } = page();
  const wire = [
    "ul",
    { class: "list", hidden: true },
    [
      ["li", { "data-id": "1" }, ["one"]],
      ["li", {}],
    ],
  ];
  const el = /** @type {Element} */ (buildNode(document, wire));
  assert.equal(el.outerHTML, '<ul class="list" hidden=""><li data-id="1">one</li><li></li></ul>');
  assert.deepEqual(canonical(el), [
    "ul",
    { class: "list", hidden: "" },
    [
      ["li", { "data-id": "1" }, ["one"]],
      ["li", {}, []],
    ],
  ]);
});

test("buildNode does not give <table> a <tbody> the tree does not have", () => {
  const { document } = page();
  const el = /** @type {Element} */ (
    buildNode(document, ["table", {}, [["tr", {}, [["td", {}, ["x"]]]]]])
  );
  assert.equal(el.outerHTML, "<table><tr><td>x</td></tr></table>");
});

test("buildNode sets raw inner HTML from a string of children", () => {
  const { document } = page();
  const el = /** @type {Element} */ (
    buildNode(document, ["div", { class: "md" }, "<em>hi</em> &amp; bye"])
  );
  assert.equal(el.innerHTML, "<em>hi</em> &amp; bye");
  assert.equal(el.firstElementChild?.localName, "em");
});

test("buildNode creates svg and its descendants in the SVG namespace, case kept", () => {
  const { document } = page();
  const wire = [
    "svg",
    { viewBox: "0 0 10 10" },
    [
      [
        "g",
        {},
        [
          ["circle", { r: "4" }],
          ["linearGradient", { id: "lg" }],
        ],
      ],
    ],
  ];
  const svg = /** @type {Element} */ (buildNode(document, wire));
  assert.equal(svg.namespaceURI, SVG_NS);
  assert.equal(svg.getAttribute("viewBox"), "0 0 10 10");
  const g = /** @type {Element} */ (svg.firstChild);
  assert.equal(g.namespaceURI, SVG_NS);
  assert.equal(g.childNodes[0].namespaceURI, SVG_NS);
  assert.equal(/** @type {Element} */ (g.childNodes[1]).localName, "linearGradient");
});

test("buildNode puts the children of foreignObject back in the HTML namespace", () => {
  const { document } = page();
  const wire = ["svg", {}, [["foreignObject", {}, [["div", {}, [["span", {}, ["x"]]]]]]]];
  const svg = /** @type {Element} */ (buildNode(document, wire));
  const foreign = /** @type {Element} */ (svg.firstChild);
  assert.equal(foreign.namespaceURI, SVG_NS);
  assert.equal(foreign.localName, "foreignObject");
  const div = /** @type {Element} */ (foreign.firstChild);
  assert.equal(div.namespaceURI, HTML_NS);
  assert.equal(div.firstChild?.namespaceURI, HTML_NS);
});

test("buildNode with inSvg builds an SVG element, as an insert into an <svg> needs", () => {
  const { document } = page();
  const el = /** @type {Element} */ (buildNode(document, ["circle", { r: "1" }], true));
  assert.equal(el.namespaceURI, SVG_NS);
  assert.equal(/** @type {Element} */ (buildNode(document, ["circle", {}])).namespaceURI, HTML_NS);
});

test("buildNode gives xlink:href its namespace", () => {
  const { document } = page();
  const svg = /** @type {Element} */ (
    buildNode(document, ["svg", {}, [["use", { "xlink:href": "#a" }]]])
  );
  const use = /** @type {Element} */ (svg.firstChild);
  assert.equal(use.getAttributeNS("http://www.w3.org/1999/xlink", "href"), "#a");
});

test("buildNode puts a <template>'s children in its content, as the HTML parser does", () => {
  const { document } = page();
  const el = /** @type {HTMLTemplateElement} */ (
    buildNode(document, ["template", {}, [["p", {}, ["t"]]]])
  );
  assert.equal(el.childNodes.length, 0);
  assert.equal(el.content.firstChild?.textContent, "t");
});
