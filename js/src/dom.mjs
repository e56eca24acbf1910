// @ts-check
/**
 * The DOM work every patcher shares: finding a node by its path, building a node from its wire
 * form, editing attributes and children without overwriting what the user is typing, and
 * recording what a batch of ops added, updated and removed.
 */

import { PHX_UPDATE, UPDATE_IGNORE } from "./constants.mjs";
import { isIgnored, reapply } from "./sticky.mjs";

/** @import { AttrPatch, Op, Path, WireNode } from "./constants.mjs" */

export const HTML_NS = "http://www.w3.org/1999/xhtml";
export const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";
const XML_NS = "http://www.w3.org/XML/1998/namespace";

/** Input types whose `.value` is not text the user edits (and, for `file`, cannot be set). */
const FIXED_VALUE_INPUTS = new Set([
  "button",
  "checkbox",
  "file",
  "hidden",
  "image",
  "radio",
  "reset",
  "submit",
]);

// -- paths ---------------------------------------------------------------------------------------

/**
 * Elements a patch removed that stay on the page while their `phx-remove` transition runs. The
 * server's paths do not count them.
 * @type {Set<Node>}
 */
const leaving = new Set();
/** @type {WeakMap<Node, Array<() => void>>} what runs when a leaving node is taken out */
const onLeft = new WeakMap();

/**
 * Keep `node`, which a patch removes, where it is until `leave` is called: paths skip it.
 * @param {Node} node
 * @returns {() => void}  takes it out of the page (once)
 */
export function keepLeaving(node) {
  leaving.add(node);
  return () => {
    if (leaving.delete(node)) left(node);
  };
}

/**
 * Run `fn` once `node` has left the page: when the leaving node that holds it (it, or an
 * ancestor) is taken out after its transitions, or now when no leaving node holds it.
 * @param {Node} node
 * @param {() => void} fn
 */
export function afterLeaving(node, fn) {
  /** @type {Node | null} */
  let holder = node;
  while (holder !== null && !leaving.has(holder)) holder = holder.parentNode;
  if (holder === null) {
    fn();
    return;
  }
  const waiting = onLeft.get(holder);
  if (waiting === undefined) onLeft.set(holder, [fn]);
  else waiting.push(fn);
}

/** @param {Node} node  a leaving node, taken out now: what waited for it runs */
function left(node) {
  /** @type {ChildNode} */ (node).remove();
  const waiting = onLeft.get(node) ?? [];
  onLeft.delete(node);
  for (const fn of waiting) fn();
}

/**
 * @param {Node} node
 * @returns {boolean}  whether `node` was removed by a patch and only waits for its transitions
 */
export function isLeaving(node) {
  return leaving.has(node);
}

/**
 * Take out at once every leaving node below `root` (a join render replaces everything).
 * @param {Node} root
 */
export function dropLeaving(root) {
  for (const node of [...leaving]) {
    if (root.contains(node)) {
      leaving.delete(node);
      left(node);
    }
  }
}

/**
 * The children of `host` as the server counts them: without the leaving ones.
 * @param {Node} host
 * @returns {ArrayLike<ChildNode>}
 */
export function liveChildren(host) {
  const nodes = host.childNodes;
  if (leaving.size === 0) return nodes;
  return Array.prototype.filter.call(nodes, (node) => !leaving.has(node));
}

/**
 * An error saying which op could not be applied and why.
 * @param {Op} op
 * @param {string} why
 * @returns {Error}
 */
export function opError(op, why) {
  return new Error(`pylive: cannot apply op ${JSON.stringify(op)}: ${why}`);
}

/**
 * Where the children of `node` live: a `<template>` keeps them in its `content` fragment (that is
 * where the HTML parser puts them), any other node in itself.
 * @param {Node} node
 * @returns {Node}
 */
export function childHost(node) {
  const template = /** @type {HTMLTemplateElement} */ (node);
  return node.nodeName === "TEMPLATE" && template.content ? template.content : node;
}

/**
 * The node at `path` below `root`; `[]` is `root` itself.
 * @param {Node} root
 * @param {Path} path
 * @param {Op} op  for the error message
 * @returns {Node}
 */
export function resolvePath(root, path, op) {
  if (!Array.isArray(path)) throw opError(op, `expected a path (a list of child indexes)`);
  let node = root;
  for (let depth = 0; depth < path.length; depth++) {
    const siblings = liveChildren(childHost(node));
    const child = siblings[path[depth]];
    if (child === undefined) {
      const at = JSON.stringify(path.slice(0, depth + 1));
      const count = siblings.length;
      throw opError(
        op,
        `path ${JSON.stringify(path)} does not resolve (no child at ${at}; ` +
          `its parent has ${count} children)`,
      );
    }
    node = child;
  }
  return node;
}

/**
 * The node at `path`, which must be an element.
 * @param {Node} root
 * @param {Path} path
 * @param {Op} op
 * @returns {Element}
 */
export function resolveElement(root, path, op) {
  const node = resolvePath(root, path, op);
  if (node.nodeType !== 1) {
    const at = JSON.stringify(path);
    throw opError(op, `expected an element at path ${at}, found ${node.nodeName}`);
  }
  return /** @type {Element} */ (node);
}

/**
 * The node at `path`, which must not be the container itself (it is removed or replaced).
 * @param {Node} root
 * @param {Path} path
 * @param {Op} op
 * @returns {ChildNode}
 */
export function resolveChild(root, path, op) {
  if (path.length === 0) {
    throw opError(op, "the path is empty: the container itself cannot be removed or replaced");
  }
  return /** @type {ChildNode} */ (resolvePath(root, path, op));
}

// -- building ------------------------------------------------------------------------------------

/**
 * Whether elements built as children of `parent` belong to the SVG namespace.
 * @param {Node} parent
 * @returns {boolean}
 */
export function childrenAreSvg(parent) {
  const el = /** @type {Element} */ (parent);
  return el.namespaceURI === SVG_NS && el.localName !== "foreignObject";
}

/**
 * Set one attribute as the HTML parser would: `true` is a bare attribute, `xlink:`/`xml:` names
 * get their namespace.
 * @param {Element} el
 * @param {string} name
 * @param {string | true} value
 */
function setAttr(el, name, value) {
  const text = value === true ? "" : value;
  if (name.startsWith("xlink:")) el.setAttributeNS(XLINK_NS, name, text);
  else if (name.startsWith("xml:")) el.setAttributeNS(XML_NS, name, text);
  else el.setAttribute(name, text);
}

/**
 * Build a DOM node from its wire form, with createElement/createTextNode (the HTML parser is used
 * only for an element whose content is a raw HTML string).
 * @param {Document} doc
 * @param {WireNode} wire
 * @param {boolean} [inSvg]  true when the parent is an SVG element other than `foreignObject`
 * @returns {Node}
 */
export function buildNode(doc, wire, inSvg = false) {
  if (typeof wire === "string") return doc.createTextNode(wire);
  const [tag, attrs, children] = wire;
  const svg = inSvg || tag === "svg";
  const el = svg ? doc.createElementNS(SVG_NS, tag) : doc.createElement(tag);
  for (const name of Object.keys(attrs)) setAttr(el, name, attrs[name]);
  if (typeof children === "string") {
    el.innerHTML = children;
  } else if (children !== undefined) {
    const childSvg = svg && tag !== "foreignObject";
    const host = childHost(el);
    for (const child of children) host.appendChild(buildNode(doc, child, childSvg));
  }
  return el;
}

// -- focus and form state ------------------------------------------------------------------------

/**
 * Whether `el` is the document's focused element.
 * @param {Element} el
 * @returns {boolean}
 */
export function isFocused(el) {
  return el.ownerDocument.activeElement === el;
}

/**
 * Whether `node` is, or contains, the document's focused element.
 * @param {Node} node
 * @returns {boolean}
 */
export function containsFocus(node) {
  const active = node.ownerDocument?.activeElement;
  return active != null && node.contains(active);
}

/**
 * The selection of a text control, or null when it has none (checkbox, select, …).
 * @param {Element} el
 * @returns {[number, number, string] | null}
 */
export function saveSelection(el) {
  const control = /** @type {HTMLInputElement} */ (el);
  try {
    if (control.selectionStart == null || control.selectionEnd == null) return null;
    return [control.selectionStart, control.selectionEnd, control.selectionDirection || "none"];
  } catch {
    return null;
  }
}

/**
 * Run `change` on a focused form control, then put back the value (and caret) the user sees if
 * `change` altered it: a patch never overwrites the value of the focused element.
 * @param {Element} el  an input, select or textarea that has focus
 * @param {() => void} change
 */
function keepFocusedValue(el, change) {
  const control = /** @type {HTMLInputElement} */ (el);
  const value = control.value;
  const selection = saveSelection(el);
  change();
  if (control.value === value) return;
  control.value = value;
  if (selection !== null) {
    const [start, end, direction] = selection;
    const towards = /** @type {"forward" | "backward" | "none"} */ (direction);
    control.setSelectionRange(start, end, towards);
  }
}

/**
 * Whether `el` is a textarea, a select or an input whose `.value` is live state the user edits
 * (text, number, range, date …), as opposed to a checkbox or button whose value is markup.
 * @param {Element} el
 * @returns {boolean}
 */
export function hasLiveValue(el) {
  if (el.namespaceURI === SVG_NS) return false;
  const tag = el.localName;
  if (tag === "textarea" || tag === "select") return true;
  return tag === "input" && !FIXED_VALUE_INPUTS.has(/** @type {HTMLInputElement} */ (el).type);
}

// -- editing -------------------------------------------------------------------------------------

/**
 * Set (`true` bare) or remove (`null`) attributes of `el`, keeping form state in step: an
 * unfocused control's live value, checkedness and selectedness follow; the focused control keeps
 * the value the user sees.
 * @param {Element} el
 * @param {AttrPatch} attrs
 */
export function patchAttrs(el, attrs) {
  const ignored = el.getAttribute(PHX_UPDATE) === UPDATE_IGNORE;
  for (const name of Object.keys(attrs)) {
    if (ignored && !name.startsWith("data-")) continue; // phx-update="ignore": data-* only
    if (isIgnored(el, name)) continue; // set by a JS command, or kept by ignore_attributes
    const value = attrs[name];
    if (name === "value" && hasLiveValue(el) && isFocused(el)) {
      keepFocusedValue(el, () => writeAttr(el, name, value));
    } else {
      writeAttr(el, name, value);
      syncProperty(el, name, value);
    }
  }
  reapply(el);
}

/**
 * @param {Element} el
 * @param {string} name
 * @param {string | true | null} value
 */
function writeAttr(el, name, value) {
  if (value === null) el.removeAttribute(name);
  else setAttr(el, name, value);
}

/**
 * Make the live state of a form control follow its attribute: `.value`, `.checked`, `.selected`.
 * @param {Element} el
 * @param {string} name
 * @param {string | true | null} value
 */
function syncProperty(el, name, value) {
  const control = /** @type {HTMLInputElement & HTMLOptionElement} */ (el);
  if (name === "value" && hasLiveValue(el)) {
    control.value = typeof value === "string" ? value : "";
  } else if (name === "checked" && el.localName === "input") {
    control.checked = value !== null;
  } else if (name === "selected" && el.localName === "option") {
    control.selected = value !== null;
  }
}

/**
 * Run `change`, which alters the children of `parent`. A textarea's text is its default value:
 * when `parent` is a textarea, keep the value the user sees if it has focus, and make the value
 * follow the new text otherwise.
 * @param {Node | null} parent
 * @param {() => void} change
 */
export function changeChildren(parent, change) {
  const el = /** @type {Element | null} */ (parent);
  if (el === null || el.nodeType !== 1 || el.localName !== "textarea" || !hasLiveValue(el)) {
    change();
    return;
  }
  const textarea = /** @type {HTMLTextAreaElement} */ (el);
  if (isFocused(textarea)) {
    keepFocusedValue(textarea, change);
  } else {
    change();
    textarea.value = textarea.defaultValue;
  }
}

// -- what a batch did ----------------------------------------------------------------------------

/**
 * What a batch of ops did to elements, as Phoenix's DOMPatch reports it (to hooks, to
 * `phx-mounted` and `phx-remove`). `added`: every element it built and put in place, descendants
 * included; `updated`: every element it kept whose attributes or text changed; `removed`: every
 * element it took out, descendants included. Each list is in the order the ops touched the
 * elements, each element once per list. A move adds, updates and removes nothing.
 * @typedef {object} PatchReport
 * @property {Element[]} added
 * @property {Element[]} updated
 * @property {Element[]} removed
 */

/** Records, as a batch of ops is applied, the elements it adds, updates and removes. */
export class ChangeLog {
  constructor() {
    /** @type {((node: ChildNode) => number) | null} how long a removed node stays (phx-remove) */
    this.leaving = null;
    /** @type {Set<Element>} */
    this.added = new Set();
    /** @type {Set<Element>} */
    this.updated = new Set();
    /** @type {Set<Element>} */
    this.removed = new Set();
  }

  /** @param {Node} node  built and put in place: it and the elements below it */
  add(node) {
    for (const el of elementsOf(node)) this.added.add(el);
  }

  /** @param {Element} el  kept, its attributes or text changed */
  update(el) {
    this.updated.add(el);
  }

  /** @param {Node} node  taken out: it and the elements below it */
  remove(node) {
    for (const el of elementsOf(node)) this.removed.add(el);
  }

  /** @returns {PatchReport} */
  report() {
    return { added: [...this.added], updated: [...this.updated], removed: [...this.removed] };
  }
}

/**
 * Run `change`, which replaces the whole content of `el` (raw inner HTML), and note it in `log`:
 * the nodes `el` held are removed, the ones it holds now added.
 * @param {Element} el
 * @param {() => void} change
 * @param {ChangeLog} log
 */
export function replaceContent(el, change, log) {
  const before = Array.from(childHost(el).childNodes);
  change();
  for (const node of before) log.remove(node);
  for (const node of Array.from(childHost(el).childNodes)) log.add(node);
}

/**
 * `node` and the elements below it, in document order; nothing for a text node. A template's
 * content is not below it (it is inert, as in the page).
 * @param {Node} node
 * @returns {Element[]}
 */
function elementsOf(node) {
  if (node.nodeType !== 1) return [];
  const el = /** @type {Element} */ (node);
  return [el, ...Array.from(el.querySelectorAll("*"))];
}
