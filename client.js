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
  stream_insert: 7,
  stream_delete: 8,
  stream_reset: 9,
});

/**
 * Message kinds (the `type` of a frame); mirrors the `MSG_*` constants of `pylive.protocol`.
 * @type {Readonly<Record<string, string>>}
 */
const MESSAGES = Object.freeze({
  join: "join",
  event: "event",
  heartbeat: "hb",
  patch: "patch",
  error: "error",
  reload: "reload",
  redirect: "redirect",
});

/** Websocket close code of a server going away on purpose (`pylive.protocol.CLOSE_RESTART`). */
const CLOSE_RESTART = 1012;
const WS_OPEN = 1;

/** The view container's state classes, per connection status (LiveView's names). */
const STATUS_CLASSES = Object.freeze({
  connecting: ["phx-loading"],
  connected: ["phx-connected"],
  disconnected: ["phx-loading"],
  "client-error": ["phx-loading", "phx-error", "phx-client-error"],
  "server-error": ["phx-loading", "phx-error", "phx-server-error"],
});
const ALL_STATUS_CLASSES = [...new Set(Object.values(STATUS_CLASSES).flat())];

/** Delay before reconnect attempt n (then `RECONNECT_MAX_MS`), as Phoenix's socket does. */
const RECONNECT_AFTER_MS = [10, 50, 100, 150, 200, 250, 500, 1000, 2000];
const RECONNECT_MAX_MS = 5000;
/** Delay before rejoining after crash n of the view (or a failed join), on the same socket. */
const REJOIN_AFTER_MS = [200, 1000, 2000, 5000];
/** Crashes and failed joins in a row before the page is loaded again over HTTP. */
const MAX_FAILED_JOINS = 10;
/** Every delay above is moved by up to ± this fraction, so clients do not come back in step. */
const JITTER = 0.25;
const HEARTBEAT_MS = 30000;
const HEARTBEAT_TIMEOUT_MS = 10000;
/** A reload waits a random delay in this range; after `MAX_RELOADS` in a row, `FAILSAFE_RELOAD_MS`. */
const RELOAD_JITTER_MS = [1000, 3000];
const MAX_RELOADS = 10;
const FAILSAFE_RELOAD_MS = 30000;
/** sessionStorage keys: the debug switch, and consecutive reloads (per path). */
const DEBUG_KEY = "pylive:debug";
const RELOADS_KEY = "pylive:reloads:";

/** Where an event goes (a cid or a CSS selector), and the mark of a component's root element. */
const TARGET_ATTR = "phx-target";
const COMPONENT_ATTR = "data-phx-component";
/** A component id, as `phx_target=assigns.myself` and `data-phx-component` render it. */
const CID_PATTERN = /^(0|[1-9][0-9]*)$/;

const HTML_NS = "http://www.w3.org/1999/xhtml";
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
    case OPS.stream_insert:
      return patchStreamInsert(container, op);
    case OPS.stream_delete:
      return patchStreamDelete(container, op);
    case OPS.stream_reset:
      return patchStreamReset(container, op);
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

/**
 * `[7, path, at, node(, limit(, 1))]`: into the `phx-update="stream"` container at `path`, update
 * the child with `node`'s id in place (`at` is then ignored), or, unless the trailing `1` (update
 * only) is given, insert `node` at element index `at` (`-1` or past the end: last). After an
 * insert or update, keep the first `limit` children (the last `-limit` when negative).
 * @param {Element} container
 * @param {Op} op
 */
function patchStreamInsert(container, op) {
  const [, path, at, wire, limit = null, updateOnly = 0] = op;
  const host = childHost(resolveElement(container, path, op));
  const id = wireId(wire);
  if (id === null) {
    const where = JSON.stringify(path);
    throw opError(op, `a stream item must be an element with an id, at path ${where}`);
  }
  if (!Number.isInteger(at) || at < -1) {
    throw opError(op, `index ${at} is not -1 or a child index at path ${JSON.stringify(path)}`);
  }
  if (limit !== null && !Number.isInteger(limit)) {
    throw opError(op, `limit ${JSON.stringify(limit)} is not an integer or null`);
  }
  const existing = streamItem(host, id);
  if (existing !== null) {
    updateStreamItem(host, existing, wire);
  } else if (updateOnly) {
    return;
  } else {
    const node = buildNode(container.ownerDocument, wire, childrenAreSvg(host));
    const items = /** @type {ParentNode} */ (host).children;
    const before = at === -1 ? null : (items[at] ?? null);
    changeChildren(host, () => host.insertBefore(node, before));
  }
  if (limit !== null) limitStream(host, limit);
}

/**
 * `[8, path, dom_id]`: remove the child with id `dom_id` of the stream container at `path`; no
 * such child is not an error (the client owns the items, the server does not know them).
 * @param {Element} container
 * @param {Op} op
 */
function patchStreamDelete(container, op) {
  const host = childHost(resolveElement(container, op[1], op));
  const item = streamItem(host, op[2]);
  if (item !== null) changeChildren(host, () => item.remove());
}

/**
 * `[9, path]`: remove every child of the stream container at `path`.
 * @param {Element} container
 * @param {Op} op
 */
function patchStreamReset(container, op) {
  const host = childHost(resolveElement(container, op[1], op));
  changeChildren(host, () => {
    while (host.firstChild) host.firstChild.remove();
  });
}

/**
 * The id of a wire element (`attrs.id`), or null when `wire` is not an element with a non-empty
 * string id.
 * @param {WireNode} wire
 * @returns {string | null}
 */
function wireId(wire) {
  if (!Array.isArray(wire) || wire[1] === null || typeof wire[1] !== "object") return null;
  const id = wire[1].id;
  return typeof id === "string" && id !== "" ? id : null;
}

/**
 * The direct child element of a stream container with id `id`, or null (only direct children
 * count: an item may hold elements with ids of its own).
 * @param {Node} host  the container's child host
 * @param {string} id
 * @returns {Element | null}
 */
function streamItem(host, id) {
  const items = /** @type {ParentNode} */ (host).children;
  for (let index = 0; index < items.length; index++) {
    if (items[index].id === id) return items[index];
  }
  return null;
}

/**
 * Turn the stream item `item` into `wire` while keeping the element, so focus, caret and hook
 * state survive; a wire node of another tag replaces the item where it stands.
 * @param {Node} host  the container's child host
 * @param {Element} item
 * @param {WireElement} wire
 */
function updateStreamItem(host, item, wire) {
  const inSvg = childrenAreSvg(host);
  if (isSameKind(item, wire[0], inSvg)) {
    morphElement(item, wire);
  } else {
    const node = buildNode(item.ownerDocument, wire, inSvg);
    changeChildren(host, () => item.replaceWith(node));
  }
}

/**
 * Remove the stream's surplus children: past the first `limit`, or before the last `-limit`.
 * @param {Node} host  the container's child host
 * @param {number} limit
 */
function limitStream(host, limit) {
  const items = Array.from(/** @type {ParentNode} */ (host).children);
  const surplus =
    limit >= 0 ? items.slice(limit) : items.slice(0, Math.max(0, items.length + limit));
  if (surplus.length === 0) return;
  changeChildren(host, () => {
    for (const item of surplus) item.remove();
  });
}

/**
 * Whether `node` is an element that `wire`'s tag would build as a child of a parent whose
 * children are SVG when `inSvg`: same tag, same namespace.
 * @param {Node} node
 * @param {string} tag
 * @param {boolean} inSvg
 * @returns {boolean}
 */
function isSameKind(node, tag, inSvg) {
  if (node.nodeType !== 1) return false;
  const el = /** @type {Element} */ (node);
  const svg = inSvg || tag === "svg";
  return el.localName === tag && (el.namespaceURI === SVG_NS) === svg;
}

/**
 * Make `el` match the wire element `wire` in place: attributes exactly (through `patchAttrs`, so
 * form state follows and the focused control keeps its value), then the children.
 * @param {Element} el
 * @param {WireElement} wire
 */
function morphElement(el, wire) {
  const [, attrs, children] = wire;
  const changes = wireAttrChanges(el, attrs);
  if (Object.keys(changes).length > 0) patchAttrs(el, changes);
  if (typeof children === "string") {
    if (el.innerHTML !== children) changeChildren(el, () => (el.innerHTML = children));
  } else {
    morphChildren(el, children ?? []);
  }
}

/**
 * The attribute patch that turns `el`'s attributes into the wire attributes `attrs`.
 * @param {Element} el
 * @param {WireAttrs} attrs
 * @returns {AttrPatch}
 */
function wireAttrChanges(el, attrs) {
  /** @type {AttrPatch} */
  const changes = {};
  for (const name of Object.keys(attrs)) {
    const value = attrs[name];
    if (el.getAttribute(name) !== (value === true ? "" : value)) changes[name] = value;
  }
  const html = el.namespaceURI === HTML_NS;
  const wanted = new Set(Object.keys(attrs).map((name) => (html ? name.toLowerCase() : name)));
  for (const attr of Array.from(el.attributes)) {
    if (!wanted.has(attr.name)) changes[attr.name] = null;
  }
  return changes;
}

/**
 * Reconcile the children of `el` with the wire children `wires`, position by position: a text
 * node takes the new text, an element of the same tag is morphed, anything else is replaced;
 * extra children are removed and missing ones appended. Only when this level changes does it go
 * through `changeChildren` (an unchanged textarea keeps what the user typed).
 * @param {Element} el
 * @param {WireNode[]} wires
 */
function morphChildren(el, wires) {
  const host = childHost(el);
  const inSvg = childrenAreSvg(el);
  const doc = el.ownerDocument;
  /** @type {Array<() => void>} */
  const edits = [];
  wires.forEach((wire, index) => {
    const old = /** @type {ChildNode | undefined} */ (host.childNodes[index]);
    if (old === undefined) {
      edits.push(() => host.appendChild(buildNode(doc, wire, inSvg)));
    } else if (typeof wire === "string" && old.nodeType === 3) {
      const text = /** @type {Text} */ (old);
      if (text.data !== wire) edits.push(() => (text.data = wire));
    } else if (typeof wire !== "string" && isSameKind(old, wire[0], inSvg)) {
      morphElement(/** @type {Element} */ (old), wire);
    } else {
      edits.push(() => old.replaceWith(buildNode(doc, wire, inSvg)));
    }
  });
  const extra = Array.from(host.childNodes).slice(wires.length);
  for (const node of extra) edits.push(() => node.remove());
  if (edits.length > 0) changeChildren(el, () => edits.forEach((edit) => edit()));
}


/**
 * Replace the children of `container` with the nodes built from `wires` (a join render). When an
 * element inside has focus and the new tree has its counterpart (the element with the same id, or
 * the one at the same place with the same tags and ids on the way), the focused element and its
 * ancestors are kept and everything around them is swapped: focus, typed value and caret survive
 * without a blur. Failing that, focus, value and caret move to the counterpart when there is one.
 * @param {Element} container
 * @param {WireNode[]} wires
 */
function applyTree(container, wires) {
  const doc = container.ownerDocument;
  const nodes = wires.map((wire) => buildNode(doc, wire));
  const active = doc.activeElement;
  if (active === null || active === container || !container.contains(active)) {
    container.replaceChildren(...nodes);
    return;
  }
  const chain = ancestry(container, active);
  const counterpart = findCounterpart(nodes, chain);
  const newChain = counterpart && ancestry(null, counterpart);
  if (newChain !== null && sameTags(chain, newChain)) {
    graft(container, nodes, chain, newChain);
    return;
  }
  const state = saveControl(active);
  container.replaceChildren(...nodes);
  if (counterpart !== null && counterpart.localName === active.localName) {
    restoreControl(counterpart, state);
  }
}

/**
 * The elements from below `top` down to `el`: `[child of top, …, el]`; with `top` null, from the
 * detached root that holds `el`.
 * @param {Node | null} top
 * @param {Element} el
 * @returns {Element[]}
 */
function ancestry(top, el) {
  /** @type {Element[]} */
  const chain = [];
  /** @type {Element | null} */
  let node = el;
  while (node !== null && node !== top) {
    chain.unshift(node);
    node = node.parentElement;
  }
  return chain;
}

/**
 * The element of the new tree that stands for the focused one: same id, else same place.
 * @param {Node[]} nodes  the new top-level nodes
 * @param {Element[]} chain  the focused element's ancestry below the container
 * @returns {Element | null}
 */
function findCounterpart(nodes, chain) {
  const active = chain[chain.length - 1];
  if (active.id) {
    for (const node of nodes) {
      if (node.nodeType !== 1) continue;
      const el = /** @type {Element} */ (node);
      if (el.id === active.id) return el;
      for (const found of Array.from(el.querySelectorAll("[id]"))) {
        if (found.id === active.id) return found;
      }
    }
    return null;
  }
  /** @type {ArrayLike<Node>} */
  let siblings = nodes;
  /** @type {Element | null} */
  let match = null;
  for (const old of chain) {
    const index = Array.prototype.indexOf.call(childHost(old.parentNode ?? old).childNodes, old);
    const node = siblings[index];
    if (node === undefined || node.nodeType !== 1) return null;
    match = /** @type {Element} */ (node);
    if (match.localName !== old.localName || match.id !== old.id) return null;
    siblings = childHost(match).childNodes;
  }
  return match;
}

/**
 * Whether two ancestries have the same tags (and namespaces), level by level.
 * @param {Element[]} a
 * @param {Element[]} b
 * @returns {boolean}
 */
function sameTags(a, b) {
  return (
    a.length === b.length &&
    a.every((el, i) => el.localName === b[i].localName && el.namespaceURI === b[i].namespaceURI)
  );
}

/**
 * Keep the old ancestry `chain` in the document and build the new tree around it: at each level
 * the kept element's siblings are swapped for the new ones and its attributes set to the new
 * element's. The focused element gets the new children too (its value is kept).
 * @param {Element} container
 * @param {Node[]} nodes  the new top-level nodes
 * @param {Element[]} chain  old elements, kept
 * @param {Element[]} newChain  their counterparts in the new tree
 */
function graft(container, nodes, chain, newChain) {
  /** @type {Node} */
  let parent = container;
  /** @type {Node[]} */
  let siblings = nodes;
  chain.forEach((kept, depth) => {
    const replacement = newChain[depth];
    const index = siblings.indexOf(replacement);
    for (const child of Array.from(childHost(parent).childNodes)) {
      if (child !== kept) child.remove();
    }
    for (const node of siblings.slice(0, index)) childHost(parent).insertBefore(node, kept);
    for (const node of siblings.slice(index + 1)) childHost(parent).appendChild(node);
    patchAttrs(kept, attrChanges(kept, replacement));
    parent = kept;
    siblings = Array.from(childHost(replacement).childNodes);
  });
  const focused = chain[chain.length - 1];
  const host = childHost(focused);
  const select = /** @type {HTMLSelectElement} */ (focused);
  const value = focused.localName === "select" ? select.value : null;
  changeChildren(focused, () => {
    while (host.firstChild) host.firstChild.remove();
    for (const node of siblings) host.appendChild(node);
  });
  if (value !== null && Array.from(select.options).some((o) => o.value === value)) {
    select.value = value;
  }
}

/**
 * The attribute patch that turns `el`'s attributes into `target`'s.
 * @param {Element} el
 * @param {Element} target
 * @returns {AttrPatch}
 */
function attrChanges(el, target) {
  /** @type {AttrPatch} */
  const changes = {};
  for (const attr of Array.from(target.attributes)) {
    if (el.getAttribute(attr.name) !== attr.value) changes[attr.name] = attr.value;
  }
  for (const attr of Array.from(el.attributes)) {
    if (!target.hasAttribute(attr.name)) changes[attr.name] = null;
  }
  return changes;
}

/**
 * What the user sees in a control: its value (when live) and selection.
 * @param {Element} el
 * @returns {{ value: string | null, selection: [number, number, string] | null }}
 */
function saveControl(el) {
  const value = hasLiveValue(el) ? /** @type {HTMLInputElement} */ (el).value : null;
  return { value, selection: saveSelection(el) };
}

/**
 * Focus `el` and give it back a saved value and selection.
 * @param {Element} el
 * @param {{ value: string | null, selection: [number, number, string] | null }} state
 */
function restoreControl(el, state) {
  const control = /** @type {HTMLInputElement} */ (el);
  if (state.value !== null && hasLiveValue(el)) control.value = state.value;
  if (typeof control.focus === "function") control.focus({ preventScroll: true });
  if (state.selection !== null && saveSelection(el) !== null) {
    const [start, end, direction] = state.selection;
    control.setSelectionRange(start, end, /** @type {"forward" | "backward" | "none"} */ (direction));
  }
}

// ================================================================================================
// forms
// ================================================================================================

/** @typedef {Array<[string, string]>} FormPairs  `[name, value]` pairs, in the browser's order */
/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Control */

/**
 * Whether `target` is a form control: an input, a select or a textarea.
 * @param {EventTarget | null} target
 * @returns {target is Control}
 */
function isControl(target) {
  const tag = /** @type {Element | null} */ (target)?.localName;
  return tag === "input" || tag === "select" || tag === "textarea";
}

/**
 * The fields of `form` as the browser would submit them (FormData order): unchecked boxes and
 * disabled fields absent, the submitter's name and value included. Files are not sent.
 * @param {HTMLFormElement} form
 * @param {HTMLElement | null} [submitter]
 * @returns {FormPairs}
 */
function serializeForm(form, submitter = null) {
  const FormDataClass = form.ownerDocument.defaultView?.FormData ?? FormData;
  let data;
  try {
    data = submitter ? new FormDataClass(form, submitter) : new FormDataClass(form);
  } catch {
    data = new FormDataClass(form); // a submitter that is not a submit button of this form
  }
  /** @type {FormPairs} */
  const pairs = [];
  for (const [name, value] of data) {
    if (typeof value === "string") pairs.push([name, value]);
  }
  return pairs;
}

/**
 * The fields of one control alone, for an input with its own `phx-change`.
 * @param {Control} control
 * @returns {FormPairs}
 */
function controlPairs(control) {
  if (!control.name || control.disabled) return [];
  const input = /** @type {HTMLInputElement} */ (control);
  if (control.localName === "input") {
    if (input.type === "file") return [];
    if ((input.type === "checkbox" || input.type === "radio") && !input.checked) return [];
  }
  const select = /** @type {HTMLSelectElement} */ (control);
  if (control.localName === "select" && select.multiple) {
    return Array.from(select.selectedOptions, (option) => [control.name, option.value]);
  }
  return [[control.name, control.value]];
}

/**
 * The form a control belongs to (its `form` attribute counts), or null.
 * @param {Control} control
 * @returns {HTMLFormElement | null}
 */
function formOf(control) {
  return control.form ?? control.closest("form");
}

/**
 * Whether a change of `control` is not worth sending: a number input holding text that is not
 * a number yet (its value reads "" while the user types "1e").
 * @param {Control} control
 * @returns {boolean}
 */
function isUnfinished(control) {
  return Boolean(control.validity?.badInput);
}

// ================================================================================================
// view
// ================================================================================================

/**
 * A server frame: a reply (`ref`), or a message (`type`). Every key but these is optional.
 * @typedef {object} Frame
 * @property {string} [type]
 * @property {number} [ref]
 * @property {Op[]} [ops]
 * @property {WireNode[]} [tree]
 * @property {Array<[string, unknown]>} [events]
 * @property {Record<string, unknown>} [reply]
 * @property {string} [title]
 * @property {string} [error]
 * @property {string} [reason]
 * @property {string} [detail]
 * @property {string} [to]
 */
/**
 * An event sent and not answered yet.
 * @typedef {object} Pending
 * @property {Element[]} els  elements showing the loading class
 * @property {string} className  `phx-<kind>-loading`
 * @property {Element | null} source  the element whose repeated clicks are ignored meanwhile
 * @property {(reply: Record<string, unknown>) => void} resolve
 * @property {(error: Error) => void} reject
 */
/**
 * @typedef {object} PushOptions
 * @property {Element[]} [els]  get `phx-<kind>-loading` until every reply
 * @property {Element | null} [source]  ignores clicks and submits until every reply
 * @property {string} [target]  a form event's changed field (`_target`)
 */
/** @typedef {number | null} Target  where an event frame goes: a component's cid, null: the view */
/** @typedef {keyof typeof STATUS_CLASSES} Status */
/** @typedef {(message: Record<string, unknown>) => number | null} Send */

/** The error a push gets when there is no joined view to answer it. */
class NotConnected extends Error {}

/** The error of a `phx-target` that names no component of the page or matches no element. */
class TargetError extends Error {}

/** One live view: its container, the events it waits for, and how frames change its DOM. */
class View {
  /**
   * @param {HTMLElement} el  the container, `[data-phx-main]`
   * @param {Send} send  sends a frame, gives its ref; null when it cannot be sent
   */
  constructor(el, send) {
    this.el = el;
    this.send = send;
    this.joined = false;
    /** @type {Map<number, Pending>} */
    this.pending = new Map();
    /** @type {WeakMap<Element, Set<number>>} the refs each source still waits for */
    this.sources = new WeakMap();
  }

  /** The signed join token of the HTTP render. */
  get token() {
    return this.el.getAttribute("data-phx-session") ?? "";
  }

  /** @param {Status} status */
  setStatus(status) {
    this.el.classList.remove(...ALL_STATUS_CLASSES);
    this.el.classList.add(...STATUS_CLASSES[status]);
  }

  /**
   * Whether `el` sent an event whose reply has not come yet.
   * @param {Element} el
   * @returns {boolean}
   */
  isWaiting(el) {
    return this.sources.has(el);
  }

  /**
   * Send an event to each of `targets`: one frame each, with its own ref, and `"cid"` for a
   * component. The promise gives the replies (`handle_event`'s dict, or `{}`) in target order.
   * `els` keep `phx-<kind>-loading`, and `source` ignores clicks and submits, until every frame
   * is answered.
   * @param {Target[]} targets
   * @param {string} kind  click, change, submit, keydown, keyup, focus, blur, hook
   * @param {string} event  the name `handle_event` receives
   * @param {Record<string, unknown> | FormPairs} value
   * @param {PushOptions} [options]
   * @returns {Promise<Array<Record<string, unknown>>>}
   */
  pushTo(targets, kind, event, value, options = {}) {
    const els = options.els ?? [];
    const className = `phx-${kind}-loading`;
    const source = options.source ?? null;
    /** @type {Array<Promise<Record<string, unknown>>>} */
    const replies = [];
    for (const cid of targets) {
      /** @type {Record<string, unknown>} */
      const message = { type: MESSAGES.event, kind, event, value };
      if (options.target !== undefined) message.target = options.target;
      if (cid !== null) message.cid = cid;
      const ref = this.joined ? this.send(message) : null;
      if (ref === null) {
        replies.push(Promise.reject(new NotConnected(`pylive: not connected (${event})`)));
        break;
      }
      for (const el of els) el.classList.add(className);
      if (source !== null) {
        const refs = this.sources.get(source) ?? new Set();
        this.sources.set(source, refs.add(ref));
      }
      replies.push(
        new Promise((resolve, reject) => {
          this.pending.set(ref, { els, className, source, resolve, reject });
        }),
      );
    }
    return Promise.all(replies);
  }

  /**
   * Send an event to the view itself (no component); the promise gives its reply.
   * @param {string} kind
   * @param {string} event
   * @param {Record<string, unknown> | FormPairs} value
   * @param {PushOptions} [options]
   * @returns {Promise<Record<string, unknown>>}
   */
  push(kind, event, value, options = {}) {
    return this.pushTo([null], kind, event, value, options).then((replies) => replies[0]);
  }

  /**
   * The join reply: the whole tree, then title and pushed events.
   * @param {Frame} frame
   */
  handleJoin(frame) {
    applyTree(this.el, frame.tree ?? []);
    this.joined = true;
    this.setStatus("connected");
    this.finishFrame(frame, undefined);
  }

  /**
   * A reply to an event, or a pushed patch: apply the ops, settle the event it answers, then
   * title and pushed events (after the patch, so listeners see the new DOM).
   * @param {Frame} frame
   */
  handleFrame(frame) {
    if (frame.ops) applyOps(this.el, frame.ops);
    for (const entry of this.pending.values()) {
      for (const el of entry.els) el.classList.add(entry.className); // a patch may set `class`
    }
    const entry = typeof frame.ref === "number" ? this.pending.get(frame.ref) : undefined;
    if (entry !== undefined) this.settle(/** @type {number} */ (frame.ref), entry);
    this.finishFrame(frame, entry);
  }

  /**
   * @param {Frame} frame
   * @param {Pending | undefined} entry
   */
  finishFrame(frame, entry) {
    const doc = this.el.ownerDocument;
    if (typeof frame.title === "string") doc.title = frame.title;
    const win = doc.defaultView;
    for (const [name, payload] of frame.events ?? []) {
      if (win) win.dispatchEvent(new win.CustomEvent(`phx:${name}`, { detail: payload }));
    }
    if (entry === undefined) return;
    if (typeof frame.error === "string") entry.reject(new Error(`pylive: ${frame.error}`));
    else entry.resolve(frame.reply ?? {});
  }

  /**
   * Forget a pending event: its loading classes go, its source may send again.
   * @param {number} ref
   * @param {Pending} entry
   */
  settle(ref, entry) {
    this.pending.delete(ref);
    for (const el of entry.els) {
      if (!this.isLoading(el, entry.className)) el.classList.remove(entry.className);
    }
    const refs = entry.source === null ? undefined : this.sources.get(entry.source);
    if (refs !== undefined && refs.delete(ref) && refs.size === 0) {
      this.sources.delete(/** @type {Element} */ (entry.source));
    }
  }

  /**
   * Whether a pending event (one of several frames of a targeted event) still holds
   * `className` on `el`.
   * @param {Element} el
   * @param {string} className
   * @returns {boolean}
   */
  isLoading(el, className) {
    for (const entry of this.pending.values()) {
      if (entry.className === className && entry.els.includes(el)) return true;
    }
    return false;
  }

  /**
   * The view is gone (socket closed, crash): every pending event fails with `reason`.
   * @param {string} reason
   */
  reset(reason) {
    this.joined = false;
    for (const [ref, entry] of [...this.pending]) {
      this.settle(ref, entry);
      entry.reject(new NotConnected(`pylive: ${reason}`));
    }
  }
}

/**
 * The `phx-value-*` attributes of `el` as an object (`phx-value-by="2"` → `{by: "2"}`).
 * @param {Element} el
 * @returns {Record<string, string>}
 */
function phxValues(el) {
  /** @type {Record<string, string>} */
  const value = {};
  for (const attr of Array.from(el.attributes)) {
    if (attr.name.startsWith("phx-value-")) value[attr.name.slice("phx-value-".length)] = attr.value;
  }
  return value;
}

/**
 * The payload of a click, focus, blur or key event on `el`: its `phx-value-*` (names lowercased,
 * as the DOM keeps them), plus `value` for an input, select or textarea (a checkbox or radio only
 * when checked) or a button or option with a value attribute, unless `phx-value-value` set one.
 * @param {Element} el
 * @returns {Record<string, string>}
 */
function elementValue(el) {
  const value = phxValues(el);
  const input = /** @type {HTMLInputElement} */ (el);
  const unchecked = (input.type === "checkbox" || input.type === "radio") && !input.checked;
  const valued = el.localName === "button" || el.localName === "option";
  const has = isControl(el) || (valued && el.hasAttribute("value"));
  if (has && !unchecked && !("value" in value)) value.value = input.value;
  return value;
}

/**
 * Whether `el`'s `phx-key` (if any) names `key`, ignoring case.
 * @param {Element} el
 * @param {string} key
 * @returns {boolean}
 */
function keyMatches(el, key) {
  const wanted = el.getAttribute("phx-key");
  return wanted === null || wanted.toLowerCase() === key.toLowerCase();
}

/**
 * The element an event happened on (a text node's parent element).
 * @param {Event} e
 * @returns {Element | null}
 */
function targetElement(e) {
  const node = /** @type {Node | null} */ (e.target);
  if (node === null || typeof node.nodeType !== "number") return null;
  return node.nodeType === 1 ? /** @type {Element} */ (node) : node.parentElement;
}

/**
 * The cid of the component `el` belongs to: its closest `[data-phx-component]` ancestor-or-self
 * in the view; null when it belongs to the view itself.
 * @param {View} view
 * @param {Element} el
 * @returns {Target}
 */
function componentOf(view, el) {
  let node = el.closest(`[${COMPONENT_ATTR}]`);
  while (node !== null && node !== view.el && view.el.contains(node)) {
    const cid = node.getAttribute(COMPONENT_ATTR) ?? "";
    if (CID_PATTERN.test(cid)) return Number(cid);
    node = node.parentElement?.closest(`[${COMPONENT_ATTR}]`) ?? null;
  }
  return null;
}

/**
 * Where an event goes, by a `phx-target` value, as LiveView's client decides; one frame per
 * entry. No target: the view (`[null]`), even from inside a component. An integer
 * (`phx_target=assigns.myself`): that component. Any other value is a CSS selector, matched in
 * the document: each element it matches in the view sends the event to its own component (the
 * closest `[data-phx-component]`), or to the view when it is in none; each target gets the
 * event once, in document order.
 * Throws a `TargetError` for an integer that names no component of the page, or a selector
 * that is invalid or matches nothing in the view: the event would go nowhere.
 * @param {View} view
 * @param {string | null} target
 * @returns {Target[]}
 */
function resolveTargets(view, target) {
  if (target === null) return [null];
  const text = target.trim();
  const shown = JSON.stringify(target);
  if (CID_PATTERN.test(text)) {
    if (view.el.querySelector(`[${COMPONENT_ATTR}="${text}"]`) === null) {
      const why = "no component with that id is in the page";
      throw new TargetError(`pylive: phx-target=${shown}: ${why}`);
    }
    return [Number(text)];
  }
  /** @type {Element[]} */
  let matched;
  try {
    matched = Array.from(view.el.ownerDocument.querySelectorAll(text));
  } catch {
    throw new TargetError(`pylive: phx-target=${shown} is neither a component id nor a selector`);
  }
  const inView = matched.filter((el) => view.el.contains(el));
  if (inView.length === 0) {
    throw new TargetError(`pylive: phx-target=${shown} matches no element of the view`);
  }
  return [...new Set(inView.map((el) => componentOf(view, el)))];
}

/**
 * Where an event from `el` goes: its `phx-target`, else `holder`'s (the form of a control).
 * @param {View} view
 * @param {Element} el
 * @param {Element | null} [holder]
 * @returns {Target[]}
 */
function eventTargets(view, el, holder = null) {
  const target = el.getAttribute(TARGET_ATTR) ?? holder?.getAttribute(TARGET_ATTR) ?? null;
  return resolveTargets(view, target);
}

/**
 * Send an event from the DOM to the targets of `el` (and `holder`, see `eventTargets`); a
 * failure is logged, never thrown at the page.
 * @param {View} view
 * @param {Element} el  the element whose `phx-target` decides where the event goes
 * @param {Element | null} holder
 * @param {string} kind
 * @param {string} event
 * @param {Record<string, unknown> | FormPairs} value
 * @param {PushOptions} options
 */
function pushFromDom(view, el, holder, kind, event, value, options) {
  /** @type {Target[]} */
  let targets;
  try {
    targets = eventTargets(view, el, holder);
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}: the ${kind} event is not sent`);
    return;
  }
  view.pushTo(targets, kind, event, value, options).catch((error) => {
    if (!(error instanceof NotConnected)) console.error(error);
  });
}

/**
 * Event delegation: one listener per event type on the document (and window, for
 * `phx-window-*`), finding the binding from the event's target.
 * @param {Window} win
 * @param {(el: Element | null) => View | null} viewFor  the view whose container holds `el`
 * @param {() => View[]} views
 * @returns {() => void}  removes the listeners
 */
function bindDocument(win, viewFor, views) {
  const doc = win.document;
  /** @type {Array<() => void>} */
  const undo = [];
  /**
   * @param {EventTarget} target
   * @param {string} type
   * @param {(e: any) => void} handler
   */
  const on = (target, type, handler) => {
    target.addEventListener(type, handler);
    undo.push(() => target.removeEventListener(type, handler));
  };
  on(doc, "click", (e) => onClick(viewFor, e));
  on(doc, "submit", (e) => onSubmit(viewFor, e));
  on(doc, "input", (e) => onInput(viewFor, e));
  on(doc, "focusin", (e) => onFocus(viewFor, e, "focus"));
  on(doc, "focusout", (e) => onFocus(viewFor, e, "blur"));
  for (const type of ["keydown", "keyup"]) {
    on(doc, type, (e) => onKey(viewFor, e, type));
    on(win, type, (e) => onWindowKey(views(), e, type));
  }
  return () => undo.forEach((fn) => fn());
}

/**
 * `phx-click` on the closest element that has it; ignored while that element waits.
 * @param {(el: Element | null) => View | null} viewFor
 * @param {MouseEvent} e
 */
function onClick(viewFor, e) {
  const el = targetElement(e)?.closest("[phx-click]") ?? null;
  const view = viewFor(el);
  if (el === null || view === null) return;
  if (el.getAttribute("href") === "#") e.preventDefault();
  const event = el.getAttribute("phx-click");
  if (!event || view.isWaiting(el)) return;
  pushFromDom(view, el, null, "click", event, elementValue(el), { els: [el], source: el });
}

/**
 * `phx-submit`: no HTTP submit; the fields (with the submitter's) go to the server.
 * @param {(el: Element | null) => View | null} viewFor
 * @param {SubmitEvent} e
 */
function onSubmit(viewFor, e) {
  const form = /** @type {HTMLFormElement} */ (e.target);
  const event = form.getAttribute?.("phx-submit");
  if (!event || viewFor(form) === null) return;
  e.preventDefault();
  const view = /** @type {View} */ (viewFor(form));
  if (view.isWaiting(form)) return;
  const submitter = /** @type {HTMLElement | null} */ (e.submitter ?? null);
  const els = submitter ? [form, submitter] : [form];
  const value = serializeForm(form, submitter);
  pushFromDom(view, form, null, "submit", event, value, { els, source: form });
}

/**
 * `phx-change` on an input (only its own field) or its form (every field), with `_target`.
 * @param {(el: Element | null) => View | null} viewFor
 * @param {Event} e
 */
function onInput(viewFor, e) {
  const control = e.target;
  if (!isControl(control)) return;
  const view = viewFor(control);
  const form = formOf(control);
  const own = control.getAttribute("phx-change");
  const event = own ?? form?.getAttribute("phx-change");
  if (view === null || !event || isUnfinished(control)) return;
  const value = own !== null || form === null ? controlPairs(control) : serializeForm(form);
  const els = form === null ? [control] : [control, form];
  const options = { els, target: control.name || undefined };
  // A control's own phx-change goes where its phx-target says, else where its form's does; the
  // form's phx-change goes where the form's phx-target says.
  if (own !== null) pushFromDom(view, control, form, "change", event, value, options);
  else if (form !== null) pushFromDom(view, form, null, "change", event, value, options);
}

/**
 * `phx-focus` / `phx-blur` on the element that gained or lost focus.
 * @param {(el: Element | null) => View | null} viewFor
 * @param {FocusEvent} e
 * @param {"focus" | "blur"} kind
 */
function onFocus(viewFor, e, kind) {
  const el = targetElement(e);
  const event = el?.getAttribute(`phx-${kind}`);
  const view = viewFor(el ?? null);
  if (!el || !event || view === null) return;
  pushFromDom(view, el, null, kind, event, elementValue(el), { els: [el] });
}

/**
 * `phx-keydown` / `phx-keyup` on the closest element that has it, filtered by `phx-key`.
 * @param {(el: Element | null) => View | null} viewFor
 * @param {KeyboardEvent} e
 * @param {string} kind
 */
function onKey(viewFor, e, kind) {
  if (typeof e.key !== "string") return; // autofill sends key events without a key
  const el = targetElement(e)?.closest(`[phx-${kind}]`) ?? null;
  const view = viewFor(el);
  if (el === null || view === null || !keyMatches(el, e.key)) return;
  const event = /** @type {string} */ (el.getAttribute(`phx-${kind}`));
  pushFromDom(view, el, null, kind, event, { key: e.key, ...elementValue(el) }, { els: [el] });
}

/**
 * `phx-window-keydown` / `phx-window-keyup`: every binding in the view hears every key its
 * `phx-key` names, wherever the focus is.
 * @param {View[]} views
 * @param {KeyboardEvent} e
 * @param {string} kind
 */
function onWindowKey(views, e, kind) {
  if (typeof e.key !== "string") return;
  for (const view of views) {
    if (!view.joined) continue;
    for (const el of Array.from(view.el.querySelectorAll(`[phx-window-${kind}]`))) {
      const event = el.getAttribute(`phx-window-${kind}`);
      if (!event || !keyMatches(el, e.key)) continue;
      pushFromDom(view, el, null, kind, event, { key: e.key, ...phxValues(el) }, { els: [el] });
    }
  }
}

// ================================================================================================
// socket
// ================================================================================================

/**
 * The part of the WebSocket API the client uses (tests inject a fake).
 * @typedef {object} SocketLike
 * @property {number} readyState
 * @property {(data: string) => void} send
 * @property {(code?: number, reason?: string) => void} close
 * @property {((e: unknown) => void) | null} onopen
 * @property {((e: { data: unknown }) => void) | null} onmessage
 * @property {((e: { code: number }) => void) | null} onclose
 * @property {((e: unknown) => void) | null} onerror
 */
/**
 * @typedef {object} SocketOptions
 * @property {new (url: string) => SocketLike} [WebSocket]  default: the window's
 * @property {string} [url]  default: `ws(s)://<host>/live?csrf=<meta csrf-token>`
 * @property {() => void} [reload]  default: `location.reload()`
 * @property {(url: string) => void} [assign]  default: `location.assign(url)`
 * @property {() => number} [random]  default: `Math.random` (the jitter of every delay)
 */

/**
 * The websocket URL of the page's server, with the page's CSRF token.
 * @param {Window} win
 * @returns {string}
 */
function socketUrl(win) {
  const meta = win.document.querySelector('meta[name="csrf-token"]');
  const csrf = meta?.getAttribute("content") ?? "";
  const scheme = win.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${win.location.host}/live?csrf=${encodeURIComponent(csrf)}`;
}

/**
 * The window's sessionStorage, or null where it is not available.
 * @param {Window} win
 * @returns {Storage | null}
 */
function storageOf(win) {
  try {
    return win.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * Whether `to` is a path on this site ("/x"), not another origin ("//host", "/\host", "http:"),
 * in any raw or percent-encoded form a browser or a server may resolve off-site ("/\t/host",
 * "/%09/host", "/%5Chost", "/%2F%2Fhost"); mirrors the server's check.
 * @param {unknown} to
 * @returns {to is string}
 */
function isLocalPath(to) {
  if (typeof to !== "string" || !to.startsWith("/")) return false;
  const forms = [to];
  let text = to;
  for (let round = 0; round < 3; round += 1) {
    let decoded;
    try {
      decoded = decodeURIComponent(text); // %2509 → %09 → tab: a server may decode again
    } catch {
      return false;
    }
    if (decoded === text) break;
    forms.push(decoded);
    text = decoded;
  }
  return forms.every((form) => {
    const path = form.split(/[?#]/, 1)[0];
    return !/[\u0000-\u001f\u007f]/.test(form) && !path.startsWith("//") && !path.includes("\\");
  });
}

/**
 * @typedef {object} PushEventOptions
 * @property {number | string | null} [target]  a component's cid, or a CSS selector
 */

/**
 * One websocket to the server and the page's view: connect, join, route frames, heartbeat,
 * reconnect with backoff, rejoin after a crash, reload when nothing else helps.
 */
class LiveSocket {
  /**
   * @param {Window} win
   * @param {SocketOptions} [options]
   */
  constructor(win, options = {}) {
    this.win = win;
    this.WebSocket = options.WebSocket ?? /** @type {any} */ (win).WebSocket;
    this.url = options.url ?? socketUrl(win);
    this.reloadPage = options.reload ?? (() => win.location.reload());
    this.assign = options.assign ?? ((/** @type {string} */ to) => win.location.assign(to));
    this.random = options.random ?? Math.random;
    this.storage = storageOf(win);
    this.debug = this.stored(DEBUG_KEY) === "1";
    /** @type {SocketLike | null} */
    this.ws = null;
    this.nextRef = 0;
    /** @type {number | null} */
    this.joinRef = null;
    /** @type {number | null} */
    this.heartbeatRef = null;
    /** @type {ReturnType<typeof setTimeout> | null} reconnect, rejoin or reload */
    this.timer = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.heartbeatTimer = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.heartbeatDeadline = null;
    this.reconnectTries = 0;
    this.failedJoins = 0;
    this.mounts = 0;
    this.wanted = false;
    this.reloading = false;
    const el = win.document.querySelector("[data-phx-main]");
    /** @type {View | null} */
    this.view = el ? new View(/** @type {HTMLElement} */ (el), (m) => this.send(m)) : null;
    /** @type {(() => void) | null} */
    this.unbind = null;
  }

  // -- public ------------------------------------------------------------------------------------

  /** Connect (and keep reconnecting) until `disconnect()`. */
  connect() {
    const view = this.view;
    if (view === null || this.reloading) return;
    this.wanted = true;
    if (this.unbind === null) {
      this.unbind = bindDocument(
        this.win,
        (el) => this.viewFor(el),
        () => [view],
      );
    }
    if (this.ws !== null || this.timer !== null) return;
    view.setStatus("connecting");
    this.open();
  }

  /** Close the socket and stay disconnected. */
  disconnect() {
    this.wanted = false;
    this.clearTimer();
    this.drop();
    this.view?.reset("disconnected");
    this.view?.setStatus("disconnected");
  }

  /** @returns {boolean} whether the socket is open and the view joined */
  isConnected() {
    return this.ws?.readyState === WS_OPEN && this.view?.joined === true;
  }

  /** @param {boolean} on  log every frame with console.debug (kept for this tab's session) */
  setDebug(on) {
    this.debug = on;
    try {
      if (on) this.storage?.setItem(DEBUG_KEY, "1");
      else this.storage?.removeItem(DEBUG_KEY);
    } catch {
      // storage full or denied: the switch still holds for this page
    }
  }

  /**
   * Send an event (kind `hook`), as a hook would: to the view's `handle_event`, or to where
   * `options.target` says, as a `phx-target` would (a cid, or a CSS selector). The promise gives
   * the reply; for a selector, the list of replies, one per target.
   * @param {string} event
   * @param {Record<string, unknown>} [value]
   * @param {PushEventOptions} [options]
   * @returns {Promise<Record<string, unknown> | Array<Record<string, unknown>>>}
   */
  pushEvent(event, value = {}, options = {}) {
    const view = this.view;
    if (view === null) return Promise.reject(new NotConnected("pylive: no live view here"));
    const target = options.target ?? null;
    if (target === null) return view.push("hook", event, value);
    if (typeof target !== "string" && !(Number.isInteger(target) && target >= 0)) {
      const shown = JSON.stringify(target);
      return Promise.reject(new TypeError(`pylive: expected a cid or a selector, got ${shown}`));
    }
    const text = String(target);
    /** @type {Target[]} */
    let targets;
    try {
      targets = resolveTargets(view, text);
    } catch (error) {
      return Promise.reject(error);
    }
    const replies = view.pushTo(targets, "hook", event, value);
    return CID_PATTERN.test(text.trim()) ? replies.then((all) => all[0]) : replies;
  }

  // -- connection --------------------------------------------------------------------------------

  /**
   * @param {Element | null} el
   * @returns {View | null}
   */
  viewFor(el) {
    const view = this.view;
    return el !== null && view !== null && view.el.contains(el) ? view : null;
  }

  open() {
    this.timer = null;
    this.nextRef = 0;
    /** @type {SocketLike} */
    let ws;
    try {
      ws = new this.WebSocket(this.url);
    } catch (error) {
      console.error(error);
      this.lost(0);
      return;
    }
    this.ws = ws;
    ws.onopen = () => this.ws === ws && this.opened();
    ws.onmessage = (e) => this.ws === ws && this.receive(e.data);
    ws.onclose = (e) => this.ws === ws && this.lost(e.code);
    ws.onerror = () => {}; // a close event follows
  }

  opened() {
    this.log("open", this.url);
    this.scheduleHeartbeat();
    this.join();
  }

  join() {
    const view = this.view;
    if (view === null) return;
    const url = this.win.location.href;
    const message = { type: MESSAGES.join, token: view.token, url, mounts: this.mounts };
    this.joinRef = this.send(message);
    if (this.joinRef !== null) this.mounts += 1;
  }

  /**
   * Send a frame with the next ref.
   * @type {Send}
   */
  send(message) {
    const ws = this.ws;
    if (ws === null || ws.readyState !== WS_OPEN) return null;
    const ref = this.nextRef++;
    const { type, ...rest } = message;
    const frame = { type, ref, ...rest };
    this.log("out", frame);
    ws.send(JSON.stringify(frame));
    return ref;
  }

  /** @param {unknown} data */
  receive(data) {
    /** @type {Frame} */
    let frame;
    try {
      frame = JSON.parse(String(data));
    } catch {
      console.error("pylive: ignored a frame that is not JSON:", data);
      return;
    }
    this.log("in", frame);
    if (frame === null || typeof frame !== "object") return;
    try {
      this.dispatch(frame);
    } catch (error) {
      console.error(error); // a patch that does not fit the page: start again from a join
      this.rejoinLater("client-error");
    }
  }

  /** @param {Frame} frame */
  dispatch(frame) {
    const view = /** @type {View} */ (this.view);
    const ref = frame.ref;
    if (frame.type === undefined && ref !== undefined && ref === this.heartbeatRef) {
      this.heartbeatAnswered();
    } else if (frame.type === MESSAGES.error) {
      this.serverError(frame);
    } else if (frame.type === MESSAGES.reload) {
      this.reload(frame.reason ?? "the server asked");
    } else if (frame.type === MESSAGES.redirect) {
      if (view.joined) view.handleFrame(frame);
      this.redirect(frame.to);
    } else if (ref !== undefined && ref === this.joinRef) {
      this.joined(frame);
    } else if (view.joined) {
      view.handleFrame(frame);
    }
  }

  /** @param {Frame} frame  the join reply */
  joined(frame) {
    this.joinRef = null;
    /** @type {View} */ (this.view).handleJoin(frame);
    this.reconnectTries = 0;
    this.failedJoins = 0;
    try {
      this.storage?.removeItem(RELOADS_KEY + this.win.location.pathname);
    } catch {
      // nothing to forget
    }
  }

  /** @param {Frame} frame  `{"type": "error", "reason": …}` */
  serverError(frame) {
    const joining = frame.ref !== undefined && frame.ref === this.joinRef;
    if (joining) this.joinRef = null;
    if (frame.reason === "crash") {
      this.rejoinLater("server-error");
    } else if (joining) {
      this.reload(`join refused: ${frame.detail ?? frame.reason}`, true); // stale token: a new page
    } else if (typeof frame.ref === "number" && this.view?.joined) {
      this.view.handleFrame({ ref: frame.ref, error: frame.detail ?? frame.reason ?? "refused" });
    } else {
      console.error("pylive: server error", frame);
    }
  }

  /**
   * The view is gone but the socket is fine: show the error and join again after a backoff;
   * after too many failures in a row, reload the page.
   * @param {"server-error" | "client-error"} status
   */
  rejoinLater(status) {
    const view = /** @type {View} */ (this.view);
    view.reset(status);
    view.setStatus(status);
    this.failedJoins += 1;
    if (this.failedJoins >= MAX_FAILED_JOINS) {
      this.reload(`${this.failedJoins} failed joins in a row`);
      return;
    }
    const base = REJOIN_AFTER_MS[Math.min(this.failedJoins, REJOIN_AFTER_MS.length) - 1];
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.join();
    }, this.jitter(base));
  }

  /**
   * The socket closed (or stopped answering): reconnect after a jittered backoff.
   * @param {number} code  the close code (1012: the server restarts)
   */
  lost(code) {
    this.log("lost", code);
    this.drop();
    const view = /** @type {View} */ (this.view);
    view.reset("connection lost");
    if (!this.wanted) {
      view.setStatus("disconnected");
      return;
    }
    view.setStatus("client-error");
    if (code === CLOSE_RESTART) this.reconnectTries = 0;
    const base = RECONNECT_AFTER_MS[this.reconnectTries] ?? RECONNECT_MAX_MS;
    this.reconnectTries += 1;
    this.clearTimer();
    this.timer = setTimeout(() => this.open(), this.jitter(base));
  }

  /** Forget the current websocket (closing it) and its heartbeat. */
  drop() {
    this.stopHeartbeat();
    this.joinRef = null;
    const ws = this.ws;
    this.ws = null;
    if (ws === null) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close(1000);
    } catch {
      // already closed
    }
  }

  clearTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  // -- heartbeat ---------------------------------------------------------------------------------

  scheduleHeartbeat() {
    if (this.heartbeatTimer !== null) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = setTimeout(() => this.beat(), HEARTBEAT_MS);
  }

  beat() {
    this.heartbeatTimer = null;
    const ref = this.send({ type: MESSAGES.heartbeat });
    if (ref === null) return;
    this.heartbeatRef = ref;
    this.heartbeatDeadline = setTimeout(() => {
      console.warn(`pylive: no heartbeat reply within ${HEARTBEAT_TIMEOUT_MS} ms, reconnecting`);
      this.lost(0);
    }, HEARTBEAT_TIMEOUT_MS);
  }

  heartbeatAnswered() {
    if (this.heartbeatDeadline !== null) clearTimeout(this.heartbeatDeadline);
    this.heartbeatDeadline = null;
    this.heartbeatRef = null;
    this.scheduleHeartbeat();
  }

  stopHeartbeat() {
    if (this.heartbeatTimer !== null) clearTimeout(this.heartbeatTimer);
    if (this.heartbeatDeadline !== null) clearTimeout(this.heartbeatDeadline);
    this.heartbeatTimer = this.heartbeatDeadline = this.heartbeatRef = null;
  }

  // -- leaving the page --------------------------------------------------------------------------

  /**
   * Load the page again over HTTP after a jittered delay: now when `soon` and this is the first
   * reload in a row, 1–3 s otherwise, 30 s after ten in a row (counted per path in this tab).
   * @param {string} reason
   * @param {boolean} [soon]
   */
  reload(reason, soon = false) {
    if (this.reloading) return;
    this.reloading = true;
    this.wanted = false;
    this.clearTimer();
    this.drop();
    this.view?.reset(reason);
    this.view?.setStatus("server-error");
    const key = RELOADS_KEY + this.win.location.pathname;
    const count = Number(this.stored(key)) || 0;
    try {
      this.storage?.setItem(key, String(count + 1));
    } catch {
      // not counted: the jitter still spaces the reloads
    }
    const [min, max] = RELOAD_JITTER_MS;
    let delay = min + (max - min) * this.random();
    if (count >= MAX_RELOADS) delay = FAILSAFE_RELOAD_MS;
    else if (soon && count === 0) delay = 0;
    console.warn(`pylive: reloading the page in ${Math.round(delay)} ms (${reason})`);
    this.timer = setTimeout(() => this.reloadPage(), delay);
  }

  /** @param {unknown} to  a local path from a `redirect` frame */
  redirect(to) {
    if (!isLocalPath(to)) {
      console.error(`pylive: refused to redirect to ${JSON.stringify(to)}: not a local path`);
      return;
    }
    this.wanted = false;
    this.clearTimer();
    this.drop();
    this.assign(to);
  }

  // -- helpers -----------------------------------------------------------------------------------

  /**
   * `ms` moved by up to ± `JITTER` of itself.
   * @param {number} ms
   * @returns {number}
   */
  jitter(ms) {
    return Math.round(ms * (1 - JITTER + 2 * JITTER * this.random()));
  }

  /**
   * @param {string} key
   * @returns {string | null}
   */
  stored(key) {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  /**
   * @param {string} what
   * @param {unknown} data
   */
  log(what, data) {
    if (this.debug) console.debug(`pylive ${what}`, data);
  }
}

// ================================================================================================
// entry point
// ================================================================================================

/**
 * The public API, `window.pylive` in a browser.
 * @typedef {object} PyliveApi
 * @property {() => void} connect
 * @property {() => void} disconnect
 * @property {() => boolean} isConnected
 * @property {() => void} enableDebug
 * @property {() => void} disableDebug
 * @property {PushEvent} pushEvent
 */
/**
 * `pushEvent(event, value, {target})`: a reply, or a list of them for a selector target.
 * @typedef {(
 *   event: string,
 *   value?: Record<string, unknown>,
 *   options?: PushEventOptions,
 * ) => Promise<Record<string, unknown> | Array<Record<string, unknown>>>} PushEvent
 */

/**
 * Start pylive on a page: a live socket for its `[data-phx-main]` container, connected.
 * @param {Window} win
 * @param {SocketOptions} [options]
 * @returns {PyliveApi}
 */
function start(win, options = {}) {
  const socket = new LiveSocket(win, options);
  socket.connect();
  return Object.freeze({
    connect: () => socket.connect(),
    disconnect: () => socket.disconnect(),
    isConnected: () => socket.isConnected(),
    enableDebug: () => socket.setDebug(true),
    disableDebug: () => socket.setDebug(false),
    /** @type {PushEvent} */
    pushEvent: (event, value = {}, options = {}) => socket.pushEvent(event, value, options),
  });
}

if (typeof window !== "undefined" && typeof document !== "undefined" && !("pylive" in window)) {
  const boot = () => {
    /** @type {any} */ (window).pylive = start(window);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
}

export {
  OPS,
  MESSAGES,
  LiveSocket,
  View,
  applyOps,
  applyTree,
  buildNode,
  isLocalPath,
  serializeForm,
  start,
};
