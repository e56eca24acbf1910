// @ts-check
/**
 * The append and prepend ops (10, 11): a `phx-update="append"` or `"prepend"` container keeps the
 * children it has (LiveView's append containers: the server renders only the new ones); a node
 * sent whose id a child has updates that child in place, the others are added after the last
 * child, or before the first.
 */

import {
  buildNode,
  changeChildren,
  childHost,
  childrenAreSvg,
  opError,
  resolveElement,
} from "./dom.mjs";
import { childById, updateChild, wireId } from "./streams.mjs";

/** @import { Op, WireElement, WireNode } from "./constants.mjs" */
/** @import { ChangeLog } from "./dom.mjs" */

/**
 * `[10, path, nodes]` (append) or `[11, path, nodes]` (prepend: `prepend` true): in the
 * container at `path`, update in place each child with the id of one of `nodes` (the element is
 * kept, so focus, caret and hook state survive); add the others, in their order, after its last
 * child, or before the children it had.
 * @param {Element} container
 * @param {Op} op
 * @param {ChangeLog} log
 * @param {boolean} prepend
 */
export function patchAdditions(container, op, log, prepend) {
  const [, path, wires] = op;
  const host = childHost(resolveElement(container, path, op));
  if (!Array.isArray(wires)) {
    throw opError(op, `expected a list of nodes at path ${JSON.stringify(path)}`);
  }
  const doc = container.ownerDocument;
  const inSvg = childrenAreSvg(host);
  let added = 0; // prepended so far: they are the host's first children
  for (const wire of /** @type {WireNode[]} */ (wires)) {
    const id = wireId(wire);
    const existing = id === null ? null : childById(host, id);
    if (existing !== null) {
      updateChild(host, existing, /** @type {WireElement} */ (wire), log);
      continue;
    }
    const node = buildNode(doc, wire, inSvg);
    const before = prepend ? (host.childNodes[added++] ?? null) : null;
    changeChildren(host, () => host.insertBefore(node, before));
    log.add(node);
  }
}
