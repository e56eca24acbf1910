// @ts-check
/**
 * The stream ops (7–9): a `phx-update="stream"` container's children belong to the browser (the
 * server does not remember them), so these ops find items by id among its direct children, and
 * update them in place, insert, trim and clear them.
 */

import { STREAM_FIXED } from "./constants.mjs";
import {
  buildNode,
  changeChildren,
  childHost,
  childrenAreSvg,
  isLeaving,
  keepLeaving,
  opError,
  resolveElement,
} from "./dom.mjs";
import { isSameKind, morphElement } from "./morph.mjs";

/** @import { Op, WireElement, WireNode } from "./constants.mjs" */
/** @import { ChangeLog } from "./dom.mjs" */

/**
 * `[7, path, at, node(, limit(, 1))]`: into the `phx-update="stream"` container at `path`, update
 * the child with `node`'s id in place (`at` is then ignored), or, unless the trailing `1` (update
 * only) is given, insert `node` at index `at` among the stream items (`-1` or past the end: after
 * the last). After an insert or update, keep the first `limit` items (the last `-limit` when
 * negative). Stream items stay before the container's fixed children (`data-phx-fixed`: children
 * no stream inserted, such as an "Empty!" placeholder); a new fixed child goes last.
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 */
export function patchStreamInsert(container, op, log) {
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
  const existing = childById(host, id);
  if (existing !== null) {
    updateChild(host, existing, wire, log);
  } else if (updateOnly) {
    return;
  } else {
    const node = buildNode(container.ownerDocument, wire, childrenAreSvg(host));
    const before = isFixed(node) ? null : (streamItems(host)[at] ?? firstFixed(host));
    changeChildren(host, () => host.insertBefore(node, before));
    log.add(node);
  }
  if (limit !== null) limitStream(host, limit, log);
}

/**
 * `[8, path, dom_id]`: remove the child with id `dom_id` of the stream container at `path`; no
 * such child is not an error (the client owns the items, the server does not know them).
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 */
export function patchStreamDelete(container, op, log) {
  const host = childHost(resolveElement(container, op[1], op));
  const item = childById(host, op[2]);
  if (item === null) return;
  const stay = log.leaving === null ? 0 : log.leaving(item);
  if (stay > 0) setTimeout(keepLeaving(item), stay);
  else changeChildren(host, () => item.remove());
  log.remove(item);
}

/**
 * `[9, path(, 1)]`: remove every stream item of the stream container at `path`, keeping its fixed
 * children; with the trailing `1`, every child.
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 */
export function patchStreamReset(container, op, log) {
  const host = childHost(resolveElement(container, op[1], op));
  const everything = op[2] === 1;
  const items = Array.from(host.childNodes).filter((node) => everything || !isFixed(node));
  changeChildren(host, () => {
    for (const item of items) item.remove();
  });
  for (const item of items) log.remove(item);
}

/**
 * Whether `node` is a fixed child of a stream container: rendered by the server every time, kept
 * after the stream items.
 * @param {Node} node
 * @returns {boolean}
 */
function isFixed(node) {
  return node.nodeType === 1 && /** @type {Element} */ (node).hasAttribute(STREAM_FIXED);
}

/**
 * The first fixed child of a stream container, or null.
 * @param {Node} host  the container's child host
 * @returns {Element | null}
 */
function firstFixed(host) {
  for (const el of Array.from(/** @type {ParentNode} */ (host).children)) {
    if (isFixed(el)) return el;
  }
  return null;
}

/**
 * The stream items of a container: its child elements but the fixed ones (also what the
 * infinite-scroll hook watches the edges of).
 * @param {Node} host  the container's child host
 * @returns {Element[]}
 */
export function streamItems(host) {
  return Array.from(/** @type {ParentNode} */ (host).children).filter((el) => !isFixed(el));
}

/**
 * The id of a wire element (`attrs.id`), or null when `wire` is not an element with a non-empty
 * string id.
 * @param {WireNode} wire
 * @returns {string | null}
 */
export function wireId(wire) {
  if (!Array.isArray(wire) || wire[1] === null || typeof wire[1] !== "object") return null;
  const id = wire[1].id;
  return typeof id === "string" && id !== "" ? id : null;
}

/**
 * The direct child element of a stream (or append) container with id `id` that is not leaving,
 * or null (only direct children count: an item may hold elements with ids of its own).
 * @param {Node} host  the container's child host
 * @param {string} id
 * @returns {Element | null}
 */
export function childById(host, id) {
  const items = /** @type {ParentNode} */ (host).children;
  for (let index = 0; index < items.length; index++) {
    if (items[index].id === id && !isLeaving(items[index])) return items[index];
  }
  return null;
}

/**
 * Turn the stream (or append) container's child `item` into `wire` while keeping the element,
 * so focus, caret and hook state survive; a wire node of another tag replaces the item where it
 * stands.
 * @param {Node} host  the container's child host
 * @param {Element} item
 * @param {WireElement} wire
 * @param {ChangeLog} log
 */
export function updateChild(host, item, wire, log) {
  const inSvg = childrenAreSvg(host);
  if (isSameKind(item, wire[0], inSvg)) {
    morphElement(item, wire, log);
  } else {
    const node = buildNode(item.ownerDocument, wire, inSvg);
    changeChildren(host, () => item.replaceWith(node));
    log.remove(item);
    log.add(node);
  }
}

/**
 * Remove the stream's surplus items: past the first `limit`, or before the last `-limit` (fixed
 * children do not count).
 * @param {Node} host  the container's child host
 * @param {number} limit
 * @param {ChangeLog} log
 */
function limitStream(host, limit, log) {
  const items = streamItems(host);
  const surplus =
    limit >= 0 ? items.slice(limit) : items.slice(0, Math.max(0, items.length + limit));
  if (surplus.length === 0) return;
  changeChildren(host, () => {
    for (const item of surplus) item.remove();
  });
  for (const item of surplus) log.remove(item);
}
