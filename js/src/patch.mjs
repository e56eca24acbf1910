// @ts-check
/**
 * Applying a batch of patch ops (`OPS`) below a view's container, in order, and reporting what
 * the batch added, updated and removed. The stream ops are in `streams.mjs`, the append and prepend
 * ops in `append.mjs`.
 */

import { OPS } from "./constants.mjs";
import {
  ChangeLog,
  buildNode,
  changeChildren,
  childHost,
  childrenAreSvg,
  containsFocus,
  keepLeaving,
  liveChildren,
  opError,
  patchAttrs,
  replaceContent,
  resolveChild,
  resolveElement,
  resolvePath,
} from "./dom.mjs";
import { patchAdditions } from "./append.mjs";
import { patchStreamDelete, patchStreamInsert, patchStreamReset } from "./streams.mjs";

/** @import { Op } from "./constants.mjs" */
/** @import { PatchReport } from "./dom.mjs" */

/**
 * Apply a batch of patch ops, in order, below `container` (the view's root element).
 * Throws an `Error` naming the op and path when a path does not resolve.
 * `options.leaving`, given a node a remove op takes out, says how many milliseconds it stays on
 * the page (its `phx-remove` transitions), 0 for none; meanwhile paths do not count it.
 * `options.before` is told of each op just before it is applied (hooks' `beforeUpdate`).
 * @param {Element} container
 * @param {Op[]} ops
 * @param {{ leaving?: (node: ChildNode) => number, before?: (op: Op) => void }} [options]
 * @returns {PatchReport}  the elements the batch added, updated and removed
 */
export function applyOps(container, ops, options = {}) {
  const log = new ChangeLog();
  log.leaving = options.leaving ?? null;
  const before = options.before;
  for (const op of ops) {
    before?.(op);
    applyOp(container, op, log);
  }
  return log.report();
}

/**
 * Apply one patch op below `container`.
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 */
function applyOp(container, op, log) {
  switch (op[0]) {
    case OPS.text:
      return patchText(container, op, log);
    case OPS.attrs:
      return patchAttrsOp(container, op, log);
    case OPS.insert:
      return patchInsert(container, op, log);
    case OPS.remove:
      return patchRemove(container, op, log);
    case OPS.move:
      return patchMove(container, op);
    case OPS.replace:
      return patchReplace(container, op, log);
    case OPS.html:
      return patchHtml(container, op, log);
    case OPS.stream_insert:
      return patchStreamInsert(container, op, log);
    case OPS.stream_delete:
      return patchStreamDelete(container, op, log);
    case OPS.stream_reset:
      return patchStreamReset(container, op, log);
    case OPS.append:
      return patchAdditions(container, op, log, false);
    case OPS.prepend:
      return patchAdditions(container, op, log, true);
    default:
      throw opError(op, `unknown op code ${JSON.stringify(op[0])}`);
  }
}

/**
 * `[0, path, text]`: set the data of the text node at `path`; its element is updated.
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 */
function patchText(container, op, log) {
  const node = resolvePath(container, op[1], op);
  if (node.nodeType !== 3) {
    const at = JSON.stringify(op[1]);
    throw opError(op, `expected a text node at path ${at}, found ${node.nodeName}`);
  }
  changeChildren(node.parentNode, () => {
    /** @type {Text} */ (node).data = op[2];
  });
  if (node.parentElement !== null) log.update(node.parentElement);
}

/**
 * `[1, path, attrs]`: set (`true` bare) or remove (`null`) attributes; keep form state in step.
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 */
function patchAttrsOp(container, op, log) {
  const el = resolveElement(container, op[1], op);
  patchAttrs(el, op[2]);
  log.update(el);
}

/**
 * `[2, parent_path, index, node]`: build `node` and insert it at `index` (the length appends).
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 */
function patchInsert(container, op, log) {
  const parent = childHost(resolvePath(container, op[1], op));
  const index = op[2];
  const children = liveChildren(parent);
  const count = children.length;
  if (!Number.isInteger(index) || index < 0 || index > count) {
    const at = JSON.stringify(op[1]);
    throw opError(op, `index ${index} is out of range 0..${count} at path ${at}`);
  }
  const node = buildNode(container.ownerDocument, op[3], childrenAreSvg(parent));
  const before = children[index] ?? null;
  changeChildren(parent, () => parent.insertBefore(node, before));
  log.add(node);
}

/**
 * `[3, path]`: remove the node at `path`.
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 */
function patchRemove(container, op, log) {
  const node = resolveChild(container, op[1], op);
  const stay = log.leaving === null ? 0 : log.leaving(node);
  if (stay > 0) setTimeout(keepLeaving(node), stay);
  else changeChildren(node.parentNode, () => node.remove());
  log.remove(node);
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
  const children = liveChildren(parent);
  const count = children.length;
  for (const index of [from, to]) {
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      const range = `0..${count - 1}`;
      throw opError(op, `index ${index} is out of range ${range} at path ${JSON.stringify(path)}`);
    }
  }
  if (from === to) return;
  const node = children[from];
  if (containsFocus(node)) moveSiblingsAround(children, parent, node, from, to);
  else parent.insertBefore(node, children[from < to ? to + 1 : to] ?? null);
}

/**
 * Move the siblings between `from` and `to` across `node`, leaving `node` itself in place.
 * @param {ArrayLike<ChildNode>} children  the parent's children, as the server counts them
 * @param {Node} parent
 * @param {ChildNode} node  the child at `from`
 * @param {number} from
 * @param {number} to
 */
function moveSiblingsAround(children, parent, node, from, to) {
  if (from < to) {
    const passed = Array.from(children).slice(from + 1, to + 1);
    for (const sibling of passed) parent.insertBefore(sibling, node);
  } else {
    const passed = Array.from(children).slice(to, from);
    const after = node.nextSibling;
    for (const sibling of passed) parent.insertBefore(sibling, after);
  }
}

/**
 * `[5, path, node]`: replace the node at `path` with a newly built one.
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 */
function patchReplace(container, op, log) {
  const old = resolveChild(container, op[1], op);
  const parent = /** @type {Node} */ (old.parentNode);
  const node = buildNode(container.ownerDocument, op[2], childrenAreSvg(parent));
  changeChildren(parent, () => old.replaceWith(node));
  log.remove(old);
  log.add(node);
}

/**
 * `[6, path, html]`: set the inner HTML of the element at `path` (its content is raw HTML).
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 */
function patchHtml(container, op, log) {
  const el = resolveElement(container, op[1], op);
  replaceContent(el, () => (el.innerHTML = op[2]), log);
  log.update(el);
}
