// Test support shared by js/test/*.test.mjs and js/replay.mjs: a jsdom page with a view
// container, and the canonical wire form of what a container holds.

import { JSDOM } from "jsdom";

import { buildNode } from "../client.js";

/**
 * A fresh jsdom page holding one empty view container, `<div id="view">`.
 * @returns {{ window: any, document: Document, container: HTMLElement }}
 */
export function page() {
  const { window } = new JSDOM('<!DOCTYPE html><body><div id="view"></div></body>');
  const document = window.document;
  const container = /** @type {HTMLElement} */ (document.getElementById("view"));
  return { window, document, container };
}

/**
 * Fill `container` with the nodes built from a list of wire nodes.
 * @param {HTMLElement} container
 * @param {any[]} wires
 */
export function mount(container, wires) {
  for (const wire of wires) container.appendChild(buildNode(container.ownerDocument, wire));
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * The canonical wire form of a DOM node: a text node is its string, an element is
 * `[tag, attrs, children]` with every attribute value a string (a bare attribute is ""). The tag
 * of an element in the SVG namespace is prefixed with "svg:", so a namespace error shows.
 * @param {Node} node
 * @returns {any}
 */
export function canonical(node) {
  if (node.nodeType === 3) return /** @type {Text} */ (node).data;
  if (node.nodeType !== 1) return ["#" + node.nodeName, {}, []];
  const el = /** @type {Element} */ (node);
  /** @type {Record<string, string>} */
  const attrs = {};
  for (const attr of Array.from(el.attributes)) attrs[attr.name] = attr.value;
  const host = el.localName === "template" ? /** @type {any} */ (el).content : el;
  const children = Array.from(host.childNodes, canonical);
  const tag = el.namespaceURI === SVG_NS ? `svg:${el.localName}` : el.localName;
  return [tag, attrs, children];
}

/**
 * The canonical wire form of each child of `container`.
 * @param {Node} container
 * @returns {any[]}
 */
export function canonicalChildren(container) {
  return Array.from(container.childNodes, canonical);
}
