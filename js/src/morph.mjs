// @ts-check
/**
 * Turning the DOM into a new tree while keeping the nodes the user is on: the join render's swap
 * of the whole tree (`applyTree`, which keeps the focused control), and the in-place update of
 * one element from its wire form (`morphElement`, for a stream item sent again).
 */

import { PHX_UPDATE, UPDATE_IGNORE } from "./constants.mjs";
import {
  HTML_NS,
  SVG_NS,
  buildNode,
  changeChildren,
  childHost,
  childrenAreSvg,
  dropLeaving,
  hasLiveValue,
  patchAttrs,
  replaceContent,
  saveSelection,
} from "./dom.mjs";

/** @import { AttrPatch, WireAttrs, WireElement, WireNode } from "./constants.mjs" */
/** @import { ChangeLog } from "./dom.mjs" */

// -- the join render -----------------------------------------------------------------------------

/**
 * Turn the children of `container` into the join render `wires`, keeping every element that
 * stays: a wire element with an id takes the old element with that id (moved if need be), one
 * without takes the next old element without an id of the same tag, a text the next text.
 * Kept elements get the new attributes (through `patchAttrs`: what JS commands set stays, the
 * focused control keeps its value) and their children are joined the same way; a
 * `phx-update="ignore"` element keeps its children and takes only `data-*` attributes. What is
 * kept keeps everything the browser holds on it — focus, caret, scroll, listeners, hook
 * instances; what matches nothing is built, and old nodes nothing took are removed. The focused
 * element, if kept and moved, gets its focus and caret back.
 * @param {Element} container
 * @param {WireNode[]} wires
 */
export function applyTree(container, wires) {
  dropLeaving(container);
  const doc = container.ownerDocument;
  const active = doc.activeElement;
  const focused = active !== null && active !== container && container.contains(active);
  if (!focused) {
    joinChildren(container, wires);
    return;
  }
  const el = /** @type {Element} */ (active);
  const state = saveControl(el);
  const select = el.localName === "select" ? /** @type {HTMLSelectElement} */ (el) : null;
  const chosen = select === null ? null : select.value;
  joinChildren(container, wires);
  if (el.isConnected) {
    if (doc.activeElement !== el) restoreControl(el, state); // it was moved
    if (select !== null && Array.from(select.options).some((o) => o.value === chosen)) {
      select.value = /** @type {string} */ (chosen); // the user's choice over the server's
    }
  } else if (el.id) {
    const counterpart = Array.from(container.querySelectorAll("[id]")).find((c) => c.id === el.id);
    if (counterpart !== undefined && counterpart.localName === el.localName) {
      restoreControl(counterpart, state); // the same control, built elsewhere in the tree
    }
  }
}

/**
 * Join the children of `parent` to `wires` (see `applyTree`).
 * @param {Element} parent
 * @param {WireNode[]} wires
 */
function joinChildren(parent, wires) {
  const host = childHost(parent);
  const inSvg = childrenAreSvg(parent);
  const doc = parent.ownerDocument;
  const old = Array.from(host.childNodes);
  /** @type {Map<string, Element>} */
  const byId = new Map();
  for (const node of old) {
    const id = node.nodeType === 1 ? /** @type {Element} */ (node).id : "";
    if (id && !byId.has(id)) byId.set(id, /** @type {Element} */ (node));
  }
  /** @type {Set<ChildNode>} */
  const used = new Set();
  let next = 0; // the next old node without an id that may be taken
  /** @type {Array<() => void>} */
  const texts = [];
  const nodes = wires.map((wire) => {
    /** @type {ChildNode | null} */
    let match = null;
    const id = typeof wire === "string" ? "" : wireId(wire);
    if (id) {
      const found = byId.get(id);
      if (found !== undefined && !used.has(found) && isSameKind(found, wire[0], inSvg)) {
        match = found;
      }
    } else {
      while (next < old.length && (used.has(old[next]) || hasId(old[next]))) next++;
      const candidate = old[next];
      const fits =
        candidate !== undefined &&
        (typeof wire === "string"
          ? candidate.nodeType === 3
          : isSameKind(candidate, wire[0], inSvg));
      if (fits) {
        match = candidate;
        next++;
      }
    }
    if (match === null) return buildNode(doc, wire, inSvg);
    used.add(match);
    if (typeof wire === "string") {
      const text = /** @type {Text} */ (match);
      if (text.data !== wire) texts.push(() => (text.data = wire));
    } else {
      joinElement(/** @type {Element} */ (match), wire);
    }
    return match;
  });
  const moved = nodes.length !== old.length || nodes.some((node, index) => node !== old[index]);
  if (!moved && texts.length === 0) return;
  changeChildren(parent, () => {
    for (const edit of texts) edit();
    if (!moved) return;
    for (const node of old) if (!used.has(node)) node.remove();
    nodes.forEach((node, index) => {
      const at = host.childNodes[index] ?? null;
      if (at !== node) host.insertBefore(node, at);
    });
  });
}

/**
 * Join the kept element `el` to the wire element `wire`: its attributes, then its children.
 * @param {Element} el
 * @param {WireElement} wire
 */
function joinElement(el, wire) {
  const [, attrs, children] = wire;
  const wanted = attrs ?? {};
  const ignored = el.getAttribute(PHX_UPDATE) === UPDATE_IGNORE;
  if (ignored && wanted[PHX_UPDATE] !== UPDATE_IGNORE) el.removeAttribute(PHX_UPDATE);
  const changes = wireAttrChanges(el, wanted);
  if (Object.keys(changes).length > 0) patchAttrs(el, changes); // ignore: data-* only
  if (ignored && wanted[PHX_UPDATE] === UPDATE_IGNORE) return; // the client's children stay
  if (typeof children === "string") {
    if (el.innerHTML !== children) changeChildren(el, () => (el.innerHTML = children));
  } else {
    joinChildren(el, children ?? []);
  }
}

/**
 * @param {Node} node
 * @returns {boolean}  whether it is an element with an id
 */
function hasId(node) {
  return node.nodeType === 1 && /** @type {Element} */ (node).id !== "";
}

/**
 * The id of a wire element, or "" when it has none.
 * @param {WireElement} wire
 * @returns {string}
 */
function wireId(wire) {
  const attrs = wire[1];
  const id = attrs !== null && typeof attrs === "object" ? attrs.id : undefined;
  return typeof id === "string" ? id : "";
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

// -- one element in place ------------------------------------------------------------------------

/**
 * Whether `node` is an element that `wire`'s tag would build as a child of a parent whose
 * children are SVG when `inSvg`: same tag, same namespace.
 * @param {Node} node
 * @param {string} tag
 * @param {boolean} inSvg
 * @returns {boolean}
 */
export function isSameKind(node, tag, inSvg) {
  if (node.nodeType !== 1) return false;
  const el = /** @type {Element} */ (node);
  const svg = inSvg || tag === "svg";
  return el.localName === tag && (el.namespaceURI === SVG_NS) === svg;
}

/**
 * Make `el` match the wire element `wire` in place: attributes exactly (through `patchAttrs`, so
 * form state follows and the focused control keeps its value), then the children. `log` gets
 * `el` as updated when its attributes or text changed, and the nodes built or dropped below it.
 * @param {Element} el
 * @param {WireElement} wire
 * @param {ChangeLog} log
 */
export function morphElement(el, wire, log) {
  const [, attrs, children] = wire;
  const changes = wireAttrChanges(el, attrs);
  const attrsChanged = Object.keys(changes).length > 0;
  if (attrsChanged) patchAttrs(el, changes);
  let contentChanged;
  if (typeof children === "string") {
    contentChanged = el.innerHTML !== children;
    if (contentChanged) {
      replaceContent(el, () => changeChildren(el, () => (el.innerHTML = children)), log);
    }
  } else {
    contentChanged = morphChildren(el, children ?? [], log);
  }
  if (attrsChanged || contentChanged) log.update(el);
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
 * @param {ChangeLog} log
 * @returns {boolean}  whether a text child of `el` changed
 */
function morphChildren(el, wires, log) {
  const host = childHost(el);
  const inSvg = childrenAreSvg(el);
  const doc = el.ownerDocument;
  /** @type {Array<() => void>} */
  const edits = [];
  let textChanged = false;
  wires.forEach((wire, index) => {
    const old = /** @type {ChildNode | undefined} */ (host.childNodes[index]);
    if (old === undefined) {
      edits.push(() => log.add(host.appendChild(buildNode(doc, wire, inSvg))));
    } else if (typeof wire === "string" && old.nodeType === 3) {
      const text = /** @type {Text} */ (old);
      if (text.data !== wire) {
        edits.push(() => (text.data = wire));
        textChanged = true;
      }
    } else if (typeof wire !== "string" && isSameKind(old, wire[0], inSvg)) {
      morphElement(/** @type {Element} */ (old), wire, log);
    } else {
      edits.push(() => {
        const node = buildNode(doc, wire, inSvg);
        old.replaceWith(node);
        log.remove(old);
        log.add(node);
      });
    }
  });
  const extra = Array.from(host.childNodes).slice(wires.length);
  for (const node of extra) {
    edits.push(() => {
      node.remove();
      log.remove(node);
    });
  }
  if (edits.length > 0) changeChildren(el, () => edits.forEach((edit) => edit()));
  return textChanged;
}
