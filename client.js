// @ts-check
/**
 * pylive's browser client: one ES module, no build step.
 *
 * The server renders the page, then sends batches of patch ops over one websocket; this file
 * applies them to the DOM. One banner comment per section, in the order DESIGN.md gives.
 */

// ================================================================================================
// constants
// ================================================================================================

/**
 * Patch op name → code; mirrors `pylive.protocol.OPS` exactly (a test fails if the two drift).
 * @type {Readonly<Record<string, number>>}
 */
const OPS = Object.freeze({
  text: 0,
  attrs: 1,
  insert: 2,
  remove: 3,
  move: 4,
  replace: 5,
  html: 6,
});

const SVG_NS = "http://www.w3.org/2000/svg";
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

/** @typedef {number[]} Path  child indexes (`childNodes`) from the view's container */
/** @typedef {Record<string, string | true | null>} AttrPatch  `true` = bare, `null` = remove */
/** @typedef {Record<string, string | true>} WireAttrs  `true` = bare attribute */
/**
 * An element in wire form: `[tag, attrs]` or `[tag, attrs, children]`, where children is a list
 * of wire nodes or one string of raw inner HTML.
 * @typedef {[string, WireAttrs, (Array<WireNode> | string)?]} WireElement
 */
/** @typedef {string | WireElement} WireNode  a string is a text node */
/** @typedef {[number, ...any[]]} Op  `[code, ...args]`, see `OPS` */

// ================================================================================================
// dom helpers
// ================================================================================================

/**
 * An error saying which op could not be applied and why.
 * @param {Op} op
 * @param {string} why
 * @returns {Error}
 */
function opError(op, why) {
  return new Error(`pylive: cannot apply op ${JSON.stringify(op)}: ${why}`);
}

/**
 * Where the children of `node` live: a `<template>` keeps them in its `content` fragment (that is
 * where the HTML parser puts them), any other node in itself.
 * @param {Node} node
 * @returns {Node}
 */
function childHost(node) {
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
function resolvePath(root, path, op) {
  if (!Array.isArray(path)) throw opError(op, `expected a path (a list of child indexes)`);
  let node = root;
  for (let depth = 0; depth < path.length; depth++) {
    const siblings = childHost(node).childNodes;
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
function resolveElement(root, path, op) {
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
function resolveChild(root, path, op) {
  if (path.length === 0) {
    throw opError(op, "the path is empty: the container itself cannot be removed or replaced");
  }
  return /** @type {ChildNode} */ (resolvePath(root, path, op));
}

/**
 * Whether elements built as children of `parent` belong to the SVG namespace.
 * @param {Node} parent
 * @returns {boolean}
 */
function childrenAreSvg(parent) {
  const el = /** @type {Element} */ (parent);
  return el.namespaceURI === SVG_NS && el.localName !== "foreignObject";
}

/**
 * Whether `el` is the document's focused element.
 * @param {Element} el
 * @returns {boolean}
 */
function isFocused(el) {
  return el.ownerDocument.activeElement === el;
}

/**
 * Whether `node` is, or contains, the document's focused element.
 * @param {Node} node
 * @returns {boolean}
 */
function containsFocus(node) {
  const active = node.ownerDocument?.activeElement;
  return active != null && node.contains(active);
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
 * The selection of a text control, or null when it has none (checkbox, select, …).
 * @param {Element} el
 * @returns {[number, number, string] | null}
 */
function saveSelection(el) {
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
function hasLiveValue(el) {
  if (el.namespaceURI === SVG_NS) return false;
  const tag = el.localName;
  if (tag === "textarea" || tag === "select") return true;
  return tag === "input" && !FIXED_VALUE_INPUTS.has(/** @type {HTMLInputElement} */ (el).type);
}

// ================================================================================================
// patch
// ================================================================================================

/**
 * Build a DOM node from its wire form, with createElement/createTextNode (the HTML parser is used
 * only for an element whose content is a raw HTML string).
 * @param {Document} doc
 * @param {WireNode} wire
 * @param {boolean} [inSvg]  true when the parent is an SVG element other than `foreignObject`
 * @returns {Node}
 */
function buildNode(doc, wire, inSvg = false) {
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

/**
 * Apply a batch of patch ops, in order, below `container` (the view's root element).
 * Throws an `Error` naming the op and path when a path does not resolve.
 * @param {Element} container
 * @param {Op[]} ops
 */
function applyOps(container, ops) {
  for (const op of ops) applyOp(container, op);
}

/**
 * Apply one patch op below `container`.
 * @param {Element} container
 * @param {Op} op
 */
function applyOp(container, op) {
  switch (op[0]) {
    case OPS.text:
      return patchText(container, op);
    case OPS.attrs:
      return patchAttrs(resolveElement(container, op[1], op), op[2]);
    case OPS.insert:
      return patchInsert(container, op);
    case OPS.remove:
      return patchRemove(container, op);
    case OPS.move:
      return patchMove(container, op);
    case OPS.replace:
      return patchReplace(container, op);
    case OPS.html:
      resolveElement(container, op[1], op).innerHTML = op[2];
      return;
    default:
      throw opError(op, `unknown op code ${JSON.stringify(op[0])}`);
  }
}

/**
 * `[0, path, text]`: set the data of the text node at `path`.
 * @param {Element} container
 * @param {Op} op
 */
function patchText(container, op) {
  const node = resolvePath(container, op[1], op);
  if (node.nodeType !== 3) {
    const at = JSON.stringify(op[1]);
    throw opError(op, `expected a text node at path ${at}, found ${node.nodeName}`);
  }
  changeChildren(node.parentNode, () => {
    /** @type {Text} */ (node).data = op[2];
  });
}

/**
 * `[1, path, attrs]`: set (`true` bare) or remove (`null`) attributes; keep form state in step.
 * @param {Element} el
 * @param {AttrPatch} attrs
 */
function patchAttrs(el, attrs) {
  for (const name of Object.keys(attrs)) {
    const value = attrs[name];
    if (name === "value" && hasLiveValue(el) && isFocused(el)) {
      keepFocusedValue(el, () => writeAttr(el, name, value));
    } else {
      writeAttr(el, name, value);
      syncProperty(el, name, value);
    }
  }
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
 * `[2, parent_path, index, node]`: build `node` and insert it at `index` (the length appends).
 * @param {Element} container
 * @param {Op} op
 */
function patchInsert(container, op) {
  const parent = childHost(resolvePath(container, op[1], op));
  const index = op[2];
  const count = parent.childNodes.length;
  if (!Number.isInteger(index) || index < 0 || index > count) {
    const at = JSON.stringify(op[1]);
    throw opError(op, `index ${index} is out of range 0..${count} at path ${at}`);
  }
  const node = buildNode(container.ownerDocument, op[3], childrenAreSvg(parent));
  const before = parent.childNodes[index] ?? null;
  changeChildren(parent, () => parent.insertBefore(node, before));
}

/**
 * `[3, path]`: remove the node at `path`.
 * @param {Element} container
 * @param {Op} op
 */
function patchRemove(container, op) {
  const node = resolveChild(container, op[1], op);
  changeChildren(node.parentNode, () => node.remove());
}

/**
 * `[4, parent_path, from, to]`: move child `from` so that it ends at index `to`. The node is
 * moved, never re-created; when it holds the focus, its siblings move around it instead, because
 * taking a focused node out of the document blurs it.
 * @param {Element} container
 * @param {Op} op
 */
function patchMove(container, op) {
  const parent = childHost(resolvePath(container, op[1], op));
  const [, path, from, to] = op;
  const count = parent.childNodes.length;
  for (const index of [from, to]) {
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      const range = `0..${count - 1}`;
      throw opError(op, `index ${index} is out of range ${range} at path ${JSON.stringify(path)}`);
    }
  }
  if (from === to) return;
  const node = parent.childNodes[from];
  if (containsFocus(node)) moveSiblingsAround(parent, node, from, to);
  else parent.insertBefore(node, parent.childNodes[from < to ? to + 1 : to] ?? null);
}

/**
 * Move the siblings between `from` and `to` across `node`, leaving `node` itself in place.
 * @param {Node} parent
 * @param {ChildNode} node  the child at `from`
 * @param {number} from
 * @param {number} to
 */
function moveSiblingsAround(parent, node, from, to) {
  if (from < to) {
    const passed = Array.from(parent.childNodes).slice(from + 1, to + 1);
    for (const sibling of passed) parent.insertBefore(sibling, node);
  } else {
    const passed = Array.from(parent.childNodes).slice(to, from);
    const after = node.nextSibling;
    for (const sibling of passed) parent.insertBefore(sibling, after);
  }
}

/**
 * `[5, path, node]`: replace the node at `path` with a newly built one.
 * @param {Element} container
 * @param {Op} op
 */
function patchReplace(container, op) {
  const old = resolveChild(container, op[1], op);
  const parent = /** @type {Node} */ (old.parentNode);
  const node = buildNode(container.ownerDocument, op[2], childrenAreSvg(parent));
  changeChildren(parent, () => old.replaceWith(node));
}

/**
 * Run `change`, which alters the children of `parent`. A textarea's text is its default value:
 * when `parent` is a textarea, keep the value the user sees if it has focus, and make the value
 * follow the new text otherwise.
 * @param {Node | null} parent
 * @param {() => void} change
 */
function changeChildren(parent, change) {
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

export { OPS, applyOps, buildNode };
