// @ts-check
/**
 * Client hooks, LiveView's way: an element with `phx-hook="Name"` (and a unique `id`) gets its
 * own instance of the hook registered under `Name` — a plain object of callbacks `mounted`,
 * `beforeUpdate`, `updated`, `destroyed`, `disconnected`, `reconnected` (and any members or state
 * of its own), called with `this` = the instance, which also has `el`, `liveSocket`,
 * `pushEvent`, `pushEventTo`, `handleEvent`, `removeHandleEvent`, `upload`, `uploadTo` and `js()`.
 *
 * The order of the callbacks (view.mjs calls `ViewHooks` at these points):
 * - Join: once the join render is in the page, hooks mount in document order (a parent before its
 *   children); each element's hook `mounted` runs before its `phx-mounted` JS (LiveView #2882).
 * - No live container on the page: the page's hooks mount at boot; only `mounted` ever runs and
 *   `pushEvent` rejects with `NotConnected`.
 * - A patch: before each op, `beforeUpdate` of every hook element whose attributes or content
 *   (anything inside it) the op changes and which had none yet in this batch, outer first; after
 *   the whole batch, `updated` of those (same order), then `destroyed` of the hooks it removed
 *   (in their document order before its first removal), then `mounted` of the hook elements it
 *   added, in document order, each followed by its element's `phx-mounted`. A keyed move
 *   changes its parent, not the moved element (no callback for it, same instance). A stream item
 *   sent again is changed in place (it and its hook ancestors). An element whose `id` or
 *   `phx-hook` changed gets no `beforeUpdate`/`updated`: its old instance is `destroyed` and a
 *   new one `mounted` (no ghost hooks, LiveView #3651).
 * - Removal under a `phx-remove` element: the hooks in (and on) it are `destroyed` when it
 *   actually leaves the page, after its transitions (LiveView #1915).
 * - Socket lost, or the view reset: every mounted hook gets `disconnected`, once, in document
 *   order. The next join render: hooks whose element is gone or was re-created get `destroyed`,
 *   the new elements' hooks `mounted`; after the join's pushed events, the survivors (same
 *   element, same id, same hook name) get `reconnected` — never a second instance (LiveView
 *   #1174); the join render gives them no `beforeUpdate`/`updated`. The view gone for good
 *   (redirect, reload): every hook gets `destroyed`.
 * - An element without an id, or whose id another element has: `console.error` naming the hook
 *   and the element, no instance. A name nobody registered: `console.warn` once per name; the
 *   element gets its hook when one is registered under that name.
 * A callback that throws is logged (hook, callback, element id) and never stops the patch or
 * the other hooks.
 */

import {
  OPS,
  PHX_COMPONENT,
  PHX_DATA_HOOK,
  PHX_HOOK,
  PHX_MOUNTED,
  PHX_VIEWPORT_BOTTOM,
  PHX_VIEWPORT_TOP,
} from "./constants.mjs";
import { afterLeaving, childHost, isLeaving, liveChildren, resolvePath } from "./dom.mjs";
import { NotConnected } from "./errors.mjs";
import { componentOf, resolveTargets, runJS, uploadFiles } from "./events.mjs";
import { HOOK_SELECTOR, INFINITE_SCROLL, hookName } from "./hook_registry.mjs";
import { execEncoded, jsApi } from "./js_api.mjs";

/** @import { Op } from "./constants.mjs" */
/** @import { PatchReport } from "./dom.mjs" */
/** @import { EventView, Target } from "./events.mjs" */
/** @import { Command, Navigate } from "./js_commands.mjs" */
/** @import { HookDefinition, HookRegistry } from "./hook_registry.mjs" */

/** @typedef {(reply: Record<string, unknown>) => void} OnReply */
/**
 * One hook instance: the element it is on and what it was when it mounted.
 * @typedef {object} Entry
 * @property {Record<string, any>} hook  the instance (`this` of the callbacks)
 * @property {Element} el
 * @property {string} id  the element's id when it mounted
 * @property {string} name  its hook name
 * @property {boolean} disconnected  got `disconnected`, no `reconnected` yet
 * @property {boolean} destroyed
 */

/** `compareDocumentPosition`: the other node follows. */
const FOLLOWING = 4;
const TARGET_EXPECTED = "pylive: pushEventTo: expected a cid, a selector or an element";
/** Op codes that may take elements out (the document order of hooks is noted before them). */
const REMOVING = new Set([
  OPS.remove,
  OPS.replace,
  OPS.html,
  OPS.stream_insert,
  OPS.stream_delete,
  OPS.stream_reset,
  OPS.append,
  OPS.prepend,
]);

/** The attributes whose change may give an element another hook instance. */
const NAMING = ["id", PHX_HOOK, PHX_DATA_HOOK, PHX_VIEWPORT_TOP, PHX_VIEWPORT_BOTTOM];
// -- a page without a live view ------------------------------------------------------------------

/**
 * What hooks and JS commands need of a view, on a page with no live container: events cannot be
 * sent (`NotConnected`); `navigate` loads a page.
 * @param {HTMLElement} el  the page's root element
 * @param {Navigate} navigate
 * @returns {EventView}
 */
export function pageView(el, navigate) {
  return {
    el,
    joined: false,
    isWaiting: () => false,
    navigate,
    pushTo: () => Promise.reject(new NotConnected("pylive: this page has no live view")),
    prepare: () => () => {},
  };
}

// -- one view's hooks ----------------------------------------------------------------------------

/**
 * The hook instances of one view (or of a page without one, `live` false: only `mounted` runs),
 * and the `handleEvent` listeners they registered.
 */
export class ViewHooks {
  /**
   * @param {HookRegistry} registry
   * @param {EventView} view
   * @param {{ live?: boolean, liveSocket?: () => unknown }} [options]
   */
  constructor(registry, view, options = {}) {
    this.registry = registry;
    this.view = view;
    this.live = options.live ?? true;
    this.liveSocket = options.liveSocket ?? (() => null);
    /** @type {Map<Element, Entry>} */
    this.entries = new Map();
    /** @type {Map<number, { entry: Entry, name: string, callback: (payload: unknown) => void }>} */
    this.listeners = new Map();
    this.nextRef = 0;
    /** @type {PatchState | null} the batch being applied */
    this.batch = null;
    this.unsubscribe = registry.subscribe((name) => this.registered(name));
  }

  /** @returns {number} how many instances there are */
  get size() {
    return this.entries.size;
  }

  /**
   * The hook instance on `el`, if any.
   * @param {Element} el
   * @returns {Record<string, any> | undefined}
   */
  instanceOf(el) {
    return this.entries.get(el)?.hook;
  }

  // -- mounting ----------------------------------------------------------------------------------

  /**
   * Mount the hooks of the elements in the view (or the page) that have none yet, in document
   * order; each element's `then` (its `phx-mounted`) runs after its hook's `mounted`.
   * @param {(el: Element) => void} [then]  run for every element with `phx-mounted`
   */
  mountAll(then) {
    const root = this.view.el;
    const selector = then === undefined ? HOOK_SELECTOR : `${HOOK_SELECTOR}, [${PHX_MOUNTED}]`;
    for (const el of Array.from(root.querySelectorAll(selector))) {
      if (hookName(el) !== null && !this.entries.has(el)) this.mount(el);
      if (then !== undefined && el.hasAttribute(PHX_MOUNTED)) then(el);
    }
  }

  /**
   * Give `el` its hook instance and call `mounted`; a missing or duplicate id, or an unknown
   * name, gives none.
   * @param {Element} el
   * @returns {boolean}  whether it got one
   */
  mount(el) {
    const name = hookName(el) ?? "";
    if (name === "") return false;
    const why = !el.id
      ? "it has no id"
      : duplicated(el)
        ? `another element has id ${JSON.stringify(el.id)}`
        : null;
    if (why !== null) {
      console.error(
        `pylive: hook ${JSON.stringify(name)} not mounted on ${openingTag(el)}: ${why} ` +
          "(a hook element needs a unique id)",
      );
      return false;
    }
    const definition = this.registry.get(name);
    if (definition === undefined) {
      if (!this.registry.warned.has(name)) {
        this.registry.warned.add(name);
        console.warn(
          `pylive: no hook named ${JSON.stringify(name)} is registered yet (${openingTag(el)}); ` +
            `register it: window.pylive.hooks.${name} = {mounted() {...}}`,
        );
      }
      return false;
    }
    /** @type {Entry} */
    const entry = { hook: {}, el, id: el.id, name, disconnected: false, destroyed: false };
    entry.hook = this.instance(entry, definition);
    this.entries.set(el, entry);
    this.call(entry, "mounted");
    return true;
  }

  /**
   * A hook was registered under `name`: the elements waiting for it get it (once the view is
   * joined; at once on a page without a view).
   * @param {string} name
   */
  registered(name) {
    if (this.live && !this.view.joined) return;
    for (const el of Array.from(this.view.el.querySelectorAll(HOOK_SELECTOR))) {
      if (hookName(el) !== name || this.entries.has(el) || isLeaving(el)) continue;
      this.mount(el);
    }
  }

  /**
   * Call `destroyed` of the instance on `el` and forget it and its listeners.
   * @param {Element} el
   */
  destroy(el) {
    const entry = this.entries.get(el);
    if (entry === undefined) return;
    this.entries.delete(el);
    entry.destroyed = true;
    for (const [ref, listener] of this.listeners) {
      if (listener.entry === entry) this.listeners.delete(ref);
    }
    this.call(entry, "destroyed");
  }

  /** The view is gone for good: every hook is destroyed, in document order. */
  destroyAll() {
    for (const el of this.inOrder()) this.destroy(el);
  }

  // -- connection --------------------------------------------------------------------------------

  /** The socket is lost or the view reset: `disconnected`, once, for every hook, document order. */
  disconnectAll() {
    for (const el of this.inOrder()) {
      const entry = /** @type {Entry} */ (this.entries.get(el));
      if (entry.disconnected) continue;
      entry.disconnected = true;
      this.call(entry, "disconnected");
    }
  }

  /**
   * The join render replaced the view's content: hooks whose element left, or changed id or
   * hook name, are destroyed (in their document order before the join), and the elements
   * without one get theirs (document order, each followed by its `then`, i.e. `phx-mounted`).
   * @param {Element[]} before  `inOrder()` taken before the join render
   * @param {(el: Element) => void} then
   */
  joined(before, then) {
    for (const el of before) {
      const entry = this.entries.get(el);
      if (entry !== undefined && !this.survives(entry)) this.destroy(el);
    }
    this.mountAll(then);
  }

  /** After a join: `reconnected` of every hook that got `disconnected`, in document order. */
  reconnectAll() {
    for (const el of this.inOrder()) {
      const entry = /** @type {Entry} */ (this.entries.get(el));
      if (!entry.disconnected) continue;
      entry.disconnected = false;
      this.call(entry, "reconnected");
    }
  }

  /**
   * The instances' elements in document order.
   * @returns {Element[]}
   */
  inOrder() {
    return documentOrder([...this.entries.keys()]);
  }

  // -- patches -----------------------------------------------------------------------------------

  /**
   * The batch `ops` is about to be applied: the `before` option of `applyOps`, or undefined when
   * there is no hook to tell.
   * @param {Op[]} ops
   * @returns {((op: Op) => void) | undefined}
   */
  beginPatch(ops) {
    this.batch = new PatchState();
    if (this.entries.size === 0) return undefined;
    let index = 0;
    return (op) => this.beforeOp(op, attrsAfter(ops, index++));
  }

  /**
   * `op` is about to be applied: `beforeUpdate` of the hook elements it changes.
   * @param {Op} op
   * @param {Record<string, string | true | null>} [attrs]  for an attrs op, every attribute
   *   change this and the attrs ops right after it on the same element make (the diff sends two
   *   when attributes change order: whether the element keeps its hook is decided on both)
   */
  beforeOp(op, attrs) {
    const batch = /** @type {PatchState} */ (this.batch);
    if (REMOVING.has(op[0]) && batch.rank === null) batch.rank = this.inOrder();
    const root = this.view.el;
    const changed = changedBy(root, op);
    if (changed === null) return;
    /** @type {Entry[]} */
    const found = [];
    /** @type {Element | null} */
    let el = changed;
    for (; el !== null && el !== root; el = el.parentElement) {
      const entry = this.entries.get(el);
      if (entry === undefined || batch.updating.has(entry) || batch.rekeyed.has(entry)) continue;
      found.push(entry);
    }
    for (const entry of found.reverse()) {
      if (entry.el === changed && op[0] === OPS.attrs && rekeys(entry, attrs ?? op[2])) {
        batch.rekeyed.add(entry);
        continue;
      }
      batch.updating.add(entry);
      this.call(entry, "beforeUpdate");
    }
    if (op[0] === OPS.attrs && NAMING.some((name) => name in op[2])) batch.retry.push(changed);
  }

  /**
   * The batch was applied (`report` is what it did): `updated`, then `destroyed` (document order
   * before the batch; an element still leaving waits until it has left), then `mounted` of the
   * new hook elements (document order), each element's `then` (`phx-mounted`) after its hook's.
   * @param {PatchReport} report
   * @param {(el: Element) => void} then  run for every added element with `phx-mounted`
   */
  finishPatch(report, then) {
    const batch = this.batch ?? new PatchState();
    this.batch = null;
    const removed = new Set(report.removed);
    for (const el of report.updated) {
      const entry = this.entries.get(el);
      if (entry === undefined || batch.updating.has(entry) || this.survives(entry)) continue;
      batch.rekeyed.add(entry); // changed in place (a stream item sent again)
    }
    /** @type {Entry[]} */
    const gone = [];
    for (const entry of batch.updating) {
      if (removed.has(entry.el) || !entry.el.isConnected) gone.push(entry);
      else if (!this.survives(entry)) batch.rekeyed.add(entry);
      else this.call(entry, "updated");
    }
    const destroying = new Set([...gone, ...batch.rekeyed]);
    for (const el of report.removed) {
      const entry = this.entries.get(el);
      if (entry !== undefined) destroying.add(entry);
    }
    let ordered = [...destroying];
    if (ordered.length > 1) {
      const rank = new Map((batch.rank ?? this.inOrder()).map((el, index) => [el, index]));
      const at = (/** @type {Entry} */ entry) => rank.get(entry.el) ?? rank.size;
      ordered = ordered.sort((a, b) => at(a) - at(b));
    }
    for (const entry of ordered) {
      if (removed.has(entry.el)) afterLeaving(entry.el, () => this.destroy(entry.el));
      else this.destroy(entry.el);
    }
    /** @type {Set<Element>} */
    const mounting = new Set();
    for (const el of report.added) {
      if (!el.isConnected) continue;
      if (hookName(el) !== null || el.hasAttribute(PHX_MOUNTED)) mounting.add(el);
    }
    for (const entry of batch.rekeyed) if (entry.el.isConnected) mounting.add(entry.el);
    for (const el of batch.retry) if (el.isConnected) mounting.add(el);
    const added = new Set(report.added);
    for (const el of documentOrder([...mounting])) {
      if (hookName(el) !== null && !this.entries.has(el) && !isLeaving(el)) this.mount(el);
      if (added.has(el) && el.hasAttribute(PHX_MOUNTED)) then(el);
    }
  }

  /**
   * Whether the instance still fits its element: in the view, same id, same hook name.
   * @param {Entry} entry
   * @returns {boolean}
   */
  survives(entry) {
    const el = entry.el;
    return (
      el.isConnected &&
      this.view.el.contains(el) &&
      el.id === entry.id &&
      hookName(el) === entry.name
    );
  }

  // -- pushed events -----------------------------------------------------------------------------

  /**
   * A server `push_event`: every listener `handleEvent(name, …)` registered gets `payload`.
   * @param {string} name
   * @param {unknown} payload
   */
  dispatch(name, payload) {
    for (const listener of [...this.listeners.values()]) {
      if (listener.name !== name || listener.entry.destroyed) continue;
      try {
        listener.callback.call(listener.entry.hook, payload);
      } catch (error) {
        const { entry } = listener;
        const where = `handleEvent(${JSON.stringify(name)}) listener threw on #${entry.id}`;
        console.error(`pylive: hook ${entry.name}'s ${where}:`, error);
      }
    }
  }

  // -- instances ---------------------------------------------------------------------------------

  /**
   * Call the callback `name` of an instance, if it has one; what it throws is logged.
   * @param {Entry} entry
   * @param {string} name
   */
  call(entry, name) {
    if (!this.live && name !== "mounted") return;
    const callback = entry.hook[name];
    if (typeof callback !== "function") return;
    try {
      callback.call(entry.hook);
    } catch (error) {
      console.error(`pylive: hook ${entry.name}'s ${name} threw on #${entry.id}:`, error);
    }
  }

  /**
   * A new instance of `definition` for `entry`'s element: it inherits the definition (so its own
   * state stays its own) and has the hook API as own members.
   * @param {Entry} entry
   * @param {HookDefinition} definition
   * @returns {Record<string, any>}
   */
  instance(entry, definition) {
    const hooks = this;
    const view = this.view;
    const el = entry.el;
    /** @type {(el: Element, ops: Command[]) => number} */
    const run = (source, ops) => runJS(view, source, ops);
    const commands = {
      ...jsApi(run, () => el),
      exec: (/** @type {string} */ encoded) => execEncoded(run, el, encoded),
    };
    /** @type {PropertyDescriptorMap} */
    const members = {
      el: { value: el },
      liveSocket: { get: () => hooks.liveSocket() },
      pushEvent: {
        /**
         * @param {string} event
         * @param {Record<string, unknown>} [payload]
         * @param {OnReply} [onReply]
         */
        value: (event, payload = {}, onReply) => {
          const replies = view.pushTo([null], "hook", event, payload).then((all) => all[0]);
          return settle(replies, onReply, false);
        },
      },
      pushEventTo: {
        /**
         * @param {number | string | Element} target
         * @param {string} event
         * @param {Record<string, unknown>} [payload]
         * @param {OnReply} [onReply]
         */
        value: (target, event, payload = {}, onReply) => {
          /** @type {Promise<any>} */
          let replies;
          let many = false;
          try {
            const targets = targetsOf(view, target);
            many = typeof target === "string" && !isCid(target);
            replies = view.pushTo(targets, "hook", event, payload);
            if (!many) replies = replies.then((all) => all[0]);
          } catch (error) {
            replies = Promise.reject(error);
          }
          return settle(replies, onReply, many);
        },
      },
      handleEvent: {
        /**
         * @param {string} name
         * @param {(payload: unknown) => void} callback
         * @returns {number}
         */
        value: (name, callback) => {
          const ref = hooks.nextRef++;
          if (!entry.destroyed) hooks.listeners.set(ref, { entry, name, callback });
          return ref;
        },
      },
      removeHandleEvent: {
        /** @param {number} ref */
        value: (ref) => {
          if (hooks.listeners.get(ref)?.entry === entry) hooks.listeners.delete(ref);
        },
      },
      upload: {
        /**
         * Choose `files` for the upload config whose file input is named `name` in the view.
         * @param {string} name
         * @param {Iterable<File>} files
         */
        value: (name, files) => uploadFiles(view, view.el, name, files),
      },
      uploadTo: {
        /**
         * Choose `files` for the upload config named `name` in `target`: an element, a
         * component's cid, or a selector (its first element holding such an input).
         * @param {number | string | Element} target
         * @param {string} name
         * @param {Iterable<File>} files
         */
        value: (target, name, files) =>
          uploadFiles(view, uploadRoot(view, target, name), name, files),
      },
      js: { value: () => commands },
    };
    for (const descriptor of Object.values(members)) {
      descriptor.configurable = true;
      if ("value" in descriptor) descriptor.writable = true;
    }
    return Object.create(definition, members);
  }
}

/** What one batch of ops did to hooks so far. */
class PatchState {
  constructor() {
    /** @type {Set<Entry>} got `beforeUpdate`, `updated` comes after the batch */
    this.updating = new Set();
    /** @type {Set<Entry>} their element's id or hook name changes: destroyed, then mounted */
    this.rekeyed = new Set();
    /** @type {Element[]} got a new id or phx-hook: may get a hook now */
    this.retry = [];
    /** @type {Element[] | null} the instances' elements in document order before the batch */
    this.rank = null;
  }
}

// -- helpers -------------------------------------------------------------------------------------

/**
 * The element whose attributes or content `op` changes, resolved before it is applied (paths
 * address the page as it is then): an attrs or html op's element, a text op's parent, the parent
 * whose children an insert, move, remove or replace changes, the stream container (or, for an
 * item sent again, the item updated in place).
 * @param {Element} root
 * @param {Op} op
 * @returns {Element | null}
 */
export function changedBy(root, op) {
  /** @type {Node} */
  let node;
  try {
    node = resolvePath(root, op[1], op);
  } catch {
    return null; // applying it throws the error
  }
  switch (op[0]) {
    case OPS.text:
    case OPS.remove:
    case OPS.replace:
      return node.parentElement;
    case OPS.stream_insert:
      return streamItem(node, op[3]) ?? asElement(node);
    default:
      return asElement(node);
  }
}

/**
 * @param {Node} node
 * @returns {Element | null}
 */
function asElement(node) {
  return node.nodeType === 1 ? /** @type {Element} */ (node) : null;
}

/**
 * The child of a stream container with the id of the wire element `wire`, if any.
 * @param {Node} container
 * @param {unknown} wire
 * @returns {Element | null}
 */
function streamItem(container, wire) {
  const attrs = Array.isArray(wire) ? wire[1] : null;
  const id = attrs !== null && typeof attrs === "object" ? attrs.id : null;
  if (typeof id !== "string" || id === "") return null;
  for (const child of Array.from(liveChildren(childHost(container)))) {
    const el = /** @type {Element} */ (child);
    if (child.nodeType === 1 && el.id === id) return el;
  }
  return null;
}

/**
 * For the attrs op at `index` of `ops`, the attribute changes it and the attrs ops that follow
 * it on the same path make together (later ones win); undefined for any other op.
 * @param {Op[]} ops
 * @param {number} index
 * @returns {Record<string, string | true | null> | undefined}
 */
function attrsAfter(ops, index) {
  const op = ops[index];
  if (op === undefined || op[0] !== OPS.attrs) return undefined;
  const path = JSON.stringify(op[1]);
  let merged = op[2];
  for (let next = index + 1; next < ops.length; next++) {
    const later = ops[next];
    if (later[0] !== OPS.attrs || JSON.stringify(later[1]) !== path) break;
    merged = { ...merged, ...later[2] };
  }
  return merged;
}

/**
 * Whether an attrs patch gives the instance's element another id or hook name.
 * @param {Entry} entry
 * @param {Record<string, string | true | null>} attrs
 * @returns {boolean}
 */
function rekeys(entry, attrs) {
  const after = (/** @type {string} */ name) => {
    if (!(name in attrs)) return entry.el.getAttribute(name);
    const value = attrs[name];
    return value === true ? "" : value;
  };
  const viewport = after(PHX_VIEWPORT_TOP) !== null || after(PHX_VIEWPORT_BOTTOM) !== null;
  const name = after(PHX_HOOK) || after(PHX_DATA_HOOK) || (viewport ? INFINITE_SCROLL : null);
  return ("id" in attrs && after("id") !== entry.id) || name !== entry.name;
}

/**
 * Where a hook's `uploadTo` looks for its file input: the element, the component of a cid, or
 * the first element a selector matches in the view that holds an input named `name`.
 * @param {EventView} view
 * @param {unknown} target
 * @param {string} name
 * @returns {ParentNode}
 */
function uploadRoot(view, target, name) {
  const el = /** @type {Element | null} */ (target);
  if (el !== null && typeof el === "object" && el.nodeType === 1) return el;
  if (typeof target === "number" || (typeof target === "string" && isCid(target))) {
    const found = view.el.querySelector(`[${PHX_COMPONENT}="${String(target).trim()}"]`);
    if (found === null) throw new TypeError(`pylive: uploadTo: no component ${target} in the page`);
    return found;
  }
  if (typeof target !== "string") {
    const got = target === null ? "null" : typeof target;
    throw new TypeError(`pylive: uploadTo: expected a cid, a selector or an element, got ${got}`);
  }
  const all = Array.from(view.el.querySelectorAll(target));
  const named = (/** @type {Element} */ each) =>
    Array.from(each.querySelectorAll("input[type=file]")).some(
      (input) => /** @type {HTMLInputElement} */ (input).name === name,
    );
  return all.find(named) ?? all[0] ?? view.el.ownerDocument.createElement("div");
}

/**
 * Where a hook's `pushEventTo` goes: a cid, a `phx-target`-style selector, or an element (the
 * component it is in, else the view).
 * @param {EventView} view
 * @param {unknown} target
 * @returns {Target[]}
 */
function targetsOf(view, target) {
  if (typeof target === "number") {
    if (!Number.isInteger(target) || target < 0) {
      throw new TypeError(`${TARGET_EXPECTED}, got ${target}`);
    }
    return resolveTargets(view, String(target));
  }
  if (typeof target === "string") return resolveTargets(view, target);
  const el = /** @type {Element | null} */ (target);
  if (el !== null && typeof el === "object" && el.nodeType === 1) return [componentOf(view, el)];
  throw new TypeError(`${TARGET_EXPECTED}, got ${target === null ? "null" : typeof target}`);
}

/**
 * @param {string} target
 * @returns {boolean}
 */
function isCid(target) {
  return /^(0|[1-9][0-9]*)$/.test(target.trim());
}

/**
 * A push's promise as the hook API gives it: as is without `onReply`; with it, `onReply` gets
 * each reply (one per target for a selector), and a failure other than not being connected is
 * logged.
 * @param {Promise<any>} replies
 * @param {OnReply | undefined} onReply
 * @param {boolean} many  the promise gives a list of replies
 * @returns {Promise<any> | undefined}
 */
function settle(replies, onReply, many) {
  if (onReply === undefined) return replies;
  replies.then(
    (result) => {
      for (const reply of many ? result : [result]) onReply(reply);
    },
    (error) => {
      if (!(error instanceof NotConnected)) console.error(error);
    },
  );
  return undefined;
}

/**
 * Whether another element of the document has `el`'s id.
 * @param {Element} el
 * @returns {boolean}
 */
function duplicated(el) {
  const quoted = `"${el.id.replace(/["\\]/g, "\\$&").replace(/\n/g, "\\a ")}"`;
  return el.ownerDocument.querySelectorAll(`[id=${quoted}]`).length > 1;
}

/**
 * `el`'s opening tag, as the page's source would show it (for error messages).
 * @param {Element} el
 * @returns {string}
 */
export function openingTag(el) {
  const attrs = Array.from(el.attributes, (attr) =>
    attr.value === "" ? ` ${attr.name}` : ` ${attr.name}="${attr.value.replace(/"/g, "&quot;")}"`,
  );
  return `<${el.localName}${attrs.join("")}>`;
}

/**
 * `els` (all in one document) sorted in document order.
 * @param {Element[]} els
 * @returns {Element[]}
 */
function documentOrder(els) {
  return els.sort((a, b) => (a === b ? 0 : a.compareDocumentPosition(b) & FOLLOWING ? -1 : 1));
}

