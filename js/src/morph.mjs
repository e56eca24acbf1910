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
import { carryOver } from "./sticky.mjs";

/** @import { AttrPatch, WireAttrs, WireElement, WireNode } from "./constants.mjs" */
/** @import { ChangeLog } from "./dom.mjs" */

// -- the join render -----------------------------------------------------------------------------

/**
 * Replace the children of `container` with the nodes built from `wires` (a join render). When an
 * element inside has focus and the new tree has its counterpart (the element with the same id, or
 * the one at the same place with the same tags and ids on the way), the focused element and its
 * ancestors are kept and everything around them is swapped: focus, typed value and caret survive
 * without a blur. Failing that, focus, value and caret move to the counterpart when there is one.
 * @param {Element} container
 * @param {WireNode[]} wires
 */
export function applyTree(container, wires) {
  const doc = container.ownerDocument;
  const nodes = wires.map((wire) => buildNode(doc, wire));
  dropLeaving(container);
  keepIgnored(container, nodes);
  carryOver(container, nodes);
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
 * A join render is about to replace the elements below `container` with `nodes`: each
 * `phx-update="ignore"` element (it has an id) stays as the client has it, in the place of its
 * counterpart, whose `data-*` attributes it takes.
 * @param {Element} container
 * @param {Node[]} nodes  the new children, not in the document yet
 */
function keepIgnored(container, nodes) {
  const kept = container.querySelectorAll(`[${PHX_UPDATE}="${UPDATE_IGNORE}"][id]`);
  if (kept.length === 0) return;
  /** @type {Map<string, Element>} */
  const byId = new Map();
  for (const node of nodes) {
    if (node.nodeType !== 1) continue;
    const top = /** @type {Element} */ (node);
    for (const el of [top, ...Array.from(top.querySelectorAll("[id]"))]) byId.set(el.id, el);
  }
  for (const old of Array.from(kept)) {
    const counterpart = byId.get(old.id);
    if (counterpart === undefined || counterpart.getAttribute(PHX_UPDATE) !== UPDATE_IGNORE) {
      continue;
    }
    for (const attr of Array.from(counterpart.attributes)) {
      if (attr.name.startsWith("data-")) old.setAttribute(attr.name, attr.value);
    }
    const index = nodes.indexOf(counterpart);
    if (index >= 0) nodes[index] = old;
    else counterpart.replaceWith(old);
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
