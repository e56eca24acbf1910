// @ts-check
/**
 * One live view's life on the page: its container and state classes, the events it sent and
 * waits for (loading classes, replies), and how join renders and patches change its DOM. It
 * sends through the `send` it is given, so it knows nothing of the socket.
 */

import {
  ALL_STATUS_CLASSES,
  MESSAGES,
  PHX_SESSION,
  STATUS_CLASSES,
  loadingClass,
  pushedEventName,
} from "./constants.mjs";
import { NotConnected } from "./errors.mjs";
import { applyTree } from "./morph.mjs";
import { applyOps } from "./patch.mjs";

/** @import { Op, WireNode } from "./constants.mjs" */
/** @import { PushOptions, Target } from "./events.mjs" */
/** @import { FormPairs } from "./forms.mjs" */

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
/** @typedef {keyof typeof STATUS_CLASSES} Status */
/** @typedef {(message: Record<string, unknown>) => number | null} Send */

/** One live view: its container, the events it waits for, and how frames change its DOM. */
export class View {
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
    return this.el.getAttribute(PHX_SESSION) ?? "";
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
    const className = loadingClass(kind);
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
      if (win) win.dispatchEvent(new win.CustomEvent(pushedEventName(name), { detail: payload }));
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
