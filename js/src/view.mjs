// @ts-check
/**
 * One live view's life on the page: its container and state classes, the events it sent and
 * waits for (loading classes, replies), and how join renders and patches change its DOM. It
 * sends through the `send` it is given, so it knows nothing of the socket.
 */

import {
  ALL_STATUS_CLASSES,
  MESSAGES,
  PHX_CONNECTED,
  PHX_DISABLE_WITH,
  PHX_DISCONNECTED,
  PHX_MOUNTED,
  PHX_REMOVE,
  PHX_SESSION,
  PHX_TRIGGER_ACTION,
  STATUS_CLASSES,
  loadingClass,
  pushedEventName,
} from "./constants.mjs";
import { NotConnected } from "./errors.mjs";
import { runAttribute } from "./events.mjs";
import { restoreForms, saveForms, sendRecovery } from "./form_recovery.mjs";
import {
  lastSubmitter,
  lockForm,
  resetToRendered,
  submitNatively,
  unlockForm,
} from "./forms.mjs";
import { HookRegistry } from "./hook_registry.mjs";
import { ViewHooks } from "./hooks.mjs";
import { applyTree } from "./morph.mjs";
import { applyOps } from "./patch.mjs";
import { afterTransitions, transitionsRunning } from "./transition.mjs";
import { afterFrame, resetUploads, uploadFrame } from "./uploads/transfer.mjs";

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
 * @property {string} [token]  with a `tree` outside a join: the join token of the view mounted
 * @property {{ kind: string, to: string, replace?: boolean }} [nav]  the server navigated
 * @property {string} [flash]  a redirect's: the flash cookie for the next page
 * @property {boolean} [external]  a redirect's: `to` is another site's URL
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
 * An element showing its `phx-disable-with` text while events wait: what it had before.
 * @typedef {object} Disabled
 * @property {Node[]} children
 * @property {boolean} wasDisabled
 * @property {Set<number>} refs  the events it waits for
 * @property {boolean} showing  whether it shows the text now
 */
/**
 * A form whose submit waits for its reply (ack): what `lockForm` switched on, while it is on.
 * @typedef {object} FormLock
 * @property {Set<number>} refs  the submit's frames not answered yet
 * @property {import("./forms.mjs").Locked | null} locked  null while a patch is applied
 */
/** @typedef {keyof typeof STATUS_CLASSES} Status */
/** @typedef {(message: Record<string, unknown>) => number | null} Send */
/**
 * @typedef {object} ViewOptions
 * @property {(href: string, replace: boolean, kind: "navigate" | "patch") => void} [navigate]
 *   JS `navigate` / `patch`
 * @property {(frame: Frame) => void} [onApplied]  told each frame once applied (not a join's)
 * @property {(status: Status) => void} [onStatus]  told every status change
 * @property {HookRegistry} [registry]  the hooks by name (`window.pylive.hooks`)
 * @property {() => unknown} [liveSocket]  what hooks see as `this.liveSocket`
 * @property {() => void} [unload]  the page is leaving (a trigger-action's HTTP submit): close
 *   the connection for good, quietly
 * @property {(data: ArrayBuffer) => boolean} [sendBinary]  sends a binary frame (an upload's
 *   chunk); false when it cannot be sent
 * @property {Record<string, unknown>} [uploaders]  the external uploaders by name
 */

/** One live view: its container, the events it waits for, and how frames change its DOM. */
export class View {
  /**
   * @param {HTMLElement} el  the container, `[data-phx-main]`
   * @param {Send} send  sends a frame, gives its ref; null when it cannot be sent
   * @param {ViewOptions} [options]
   */
  constructor(el, send, options = {}) {
    this.el = el;
    this.send = send;
    this.navigate = options.navigate ?? (() => {});
    this.onStatus = options.onStatus ?? (() => {});
    this.onApplied = options.onApplied ?? (() => {});
    this.unload = options.unload ?? (() => {});
    this.sendBinary = options.sendBinary ?? (() => false);
    /** @type {Record<string, unknown>} `window.pylive.uploaders` */
    this.uploaders = options.uploaders ?? {};
    this.joined = false;
    /** how many join renders the view had: a join after the first recovers the forms */
    this.joins = 0;
    /** @type {Status | null} */
    this.status = null;
    /** @type {Frame[]} frames held back while a blocking transition runs or a submit waits */
    this.held = [];
    /** @type {Set<number>} the refs of the submits whose reply has not arrived yet */
    this.awaiting = new Set();
    /** @type {Map<HTMLFormElement, FormLock>} the forms locked while their submit waits */
    this.locks = new Map();
    /** @type {Set<HTMLFormElement>} forms whose phx-trigger-action ran (again once it is off) */
    this.triggered = new Set();
    /** @type {Map<Element, Disabled>} */
    this.disabled = new Map();
    /** @type {Set<string>} ids of the elements whose phx-mounted ran (not again on a rejoin) */
    this.mountedIds = new Set();
    /** @type {Map<number, Pending>} */
    this.pending = new Map();
    /** the last ref `prepare` took: negative, never one the server answers */
    this.localRef = 0;
    /** @type {WeakMap<Element, Set<number>>} the refs each source still waits for */
    this.sources = new WeakMap();
    const registry = options.registry ?? new HookRegistry();
    /** the `phx-hook` instances of the view (hooks.mjs says in what order they are called) */
    this.hooks = new ViewHooks(registry, this, { liveSocket: options.liveSocket });
  }

  /** The signed join token of the HTTP render. */
  get token() {
    return this.el.getAttribute(PHX_SESSION) ?? "";
  }

  /**
   * Show `status` with the container's classes; run `phx-connected` on becoming connected and
   * `phx-disconnected` on ceasing to be.
   * @param {Status} status
   */
  setStatus(status) {
    const before = this.status;
    this.status = status;
    this.el.classList.remove(...ALL_STATUS_CLASSES);
    this.el.classList.add(...STATUS_CLASSES[status]);
    if (status === before) return;
    this.onStatus(status);
    if (status === "connected") this.runAll(PHX_CONNECTED);
    else if (before === "connected") this.runAll(PHX_DISCONNECTED);
  }

  /**
   * Run the JS of `attribute` on every element of the view that has it (the container too).
   * @param {string} attribute
   */
  runAll(attribute) {
    const els = [this.el, ...Array.from(this.el.querySelectorAll(`[${attribute}]`))];
    for (const el of els) if (el.hasAttribute(attribute)) runAttribute(this, el, attribute);
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
      if (options.uploads !== undefined) message.uploads = options.uploads;
      const ref = this.joined ? this.send(message) : null;
      if (ref === null) {
        replies.push(Promise.reject(new NotConnected(`pylive: not connected (${event})`)));
        break;
      }
      for (const el of els) el.classList.add(className);
      if (options.lock !== undefined) this.lock(options.lock, ref); // before disable-with's
      for (const el of options.disable ?? []) this.disable(el, ref);
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
   * Send a frame that is not an event (an upload's preflight or progress, a navigation); the
   * promise gives its reply (rejected with `NotConnected` when it cannot be sent, or the view
   * resets first). `sent` is told the frame's ref.
   * @param {Record<string, unknown>} message
   * @param {(ref: number) => void} [sent]
   * @returns {Promise<Record<string, unknown>>}
   */
  request(message, sent) {
    const ref = this.joined ? this.send(message) : null;
    if (ref === null) {
      return Promise.reject(new NotConnected(`pylive: not connected (${message.type})`));
    }
    sent?.(ref);
    return new Promise((resolve, reject) => {
      this.pending.set(ref, { els: [], className: "", source: null, resolve, reject });
    });
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
   * The join reply: the whole tree; hooks destroyed for the elements gone and mounted for the
   * new ones, with phx-mounted; then title and pushed events; then the hooks that survived from
   * before a disconnect are reconnected. A join after the first recovers the forms: saved before
   * the tree is applied, put back after, sent once hooks and phx-mounted ran.
   * @param {Frame} frame
   */
  handleJoin(frame) {
    this.held = [];
    this.awaiting.clear();
    const saved = this.joins > 0 ? saveForms(this.el) : [];
    const before = this.hooks.inOrder();
    applyTree(this.el, frame.tree ?? []);
    restoreForms(this.el, saved);
    this.joined = true;
    this.joins += 1;
    this.hooks.joined(before, (el) => {
      if (!el.id || !this.mountedIds.has(el.id)) this.mounted(el); // not again on a rejoin
    });
    this.setStatus("connected");
    this.finishFrame(frame, undefined);
    this.hooks.reconnectAll();
    if (this.triggerActions()) return;
    sendRecovery(this, saved);
  }

  /**
   * A reply or a pushed patch: applied now, or after the blocking transitions running and the
   * submits waiting for their reply, in the order the frames came.
   * @param {Frame} frame
   */
  handleFrame(frame) {
    if (frame.type === MESSAGES.upload_ack || frame.type === MESSAGES.upload_error) {
      uploadFrame(this, frame); // no DOM change: never held
      return;
    }
    const answered = typeof frame.ref === "number" && this.awaiting.delete(frame.ref);
    if (this.held.length > 0 || transitionsRunning() || this.awaiting.size > 0) {
      this.held.push(frame);
      if (this.held.length === 1 || (answered && this.awaiting.size === 0)) {
        afterTransitions(() => this.releaseHeld());
      }
      return;
    }
    this.applyFrame(frame);
  }

  releaseHeld() {
    while (this.held.length > 0 && this.awaiting.size === 0) {
      if (transitionsRunning()) {
        afterTransitions(() => this.releaseHeld());
        return;
      }
      this.applyFrame(/** @type {Frame} */ (this.held.shift()));
    }
  }

  /** @param {Element} el  run its phx-mounted */
  mounted(el) {
    if (el.id) this.mountedIds.add(el.id);
    runAttribute(this, el, PHX_MOUNTED);
  }

  /**
   * A patch removes `node`: run the `phx-remove` of it and of the elements in it; the
   * milliseconds it must stay for their transitions.
   * @param {ChildNode} node
   * @returns {number}
   */
  leaving(node) {
    if (node.nodeType !== 1) return 0;
    const el = /** @type {Element} */ (node);
    const els = [el, ...Array.from(el.querySelectorAll(`[${PHX_REMOVE}]`))];
    let longest = 0;
    for (const each of els) {
      if (each.hasAttribute(PHX_REMOVE)) {
        longest = Math.max(longest, runAttribute(this, each, PHX_REMOVE));
      }
    }
    return longest;
  }

  /**
   * A reply to an event, or a pushed patch: apply the ops (or, from a live navigation, the tree
   * of the view now mounted), settle the event it answers, then title and pushed events (after
   * the patch, so listeners see the new DOM), then `onApplied` (history).
   * @param {Frame} frame
   */
  applyFrame(frame) {
    const entry = typeof frame.ref === "number" ? this.pending.get(frame.ref) : undefined;
    this.restoreDisabled(); // the server's paths address what it rendered, not our texts
    this.unlockAll(); // nor our readonly and disabled
    /** @type {HTMLFormElement[]} forms whose submit this frame answers (the last of its refs) */
    const acked = [];
    if (entry !== undefined) acked.push(...this.settle(/** @type {number} */ (frame.ref), entry));
    if (frame.tree) {
      this.remount(frame);
    } else if (frame.ops) {
      const before = this.hooks.beginPatch(frame.ops);
      const leaving = (/** @type {ChildNode} */ node) => this.leaving(node);
      const report = applyOps(this.el, frame.ops, { leaving, before });
      this.hooks.finishPatch(report, (el) => this.mounted(el));
    }
    for (const form of acked) if (this.el.contains(form)) resetToRendered(form);
    this.lockAll();
    this.showDisabled();
    for (const entry of this.pending.values()) {
      for (const el of entry.els) el.classList.add(entry.className); // a patch may set `class`
    }
    this.finishFrame(frame, entry);
    this.onApplied(frame);
    if (this.triggerActions()) return;
    afterFrame(this); // entries the server now knows are sent; held submits whose files are in go
  }

  /**
   * A live navigation mounted another view: its tree is applied as a join render applies one
   * (elements kept by id, hooks destroyed and mounted accordingly), every `phx-mounted` runs (a
   * new view), and the container takes its join token (a later rejoin joins it).
   * @param {Frame} frame
   */
  remount(frame) {
    const before = this.hooks.inOrder();
    applyTree(this.el, frame.tree ?? []);
    if (typeof frame.token === "string") this.el.setAttribute(PHX_SESSION, frame.token);
    this.mountedIds.clear();
    this.hooks.joined(before, (el) => this.mounted(el));
  }

  // -- the submit lifecycle --------------------------------------------------------------------

  /**
   * A submit waiting for its files (they are sent first): its `els` show `phx-<kind>-loading`,
   * its `disable` elements their disable-with text and its `lock` form is read-only from now,
   * as they will be while the submit itself waits. Patches are not held meanwhile (the upload's
   * progress shows). The returned function ends this; called right after the submit is sent,
   * the submit carries on what it started. A reset ends it too.
   * @param {string} kind
   * @param {PushOptions} options
   * @returns {() => void}
   */
  prepare(kind, options) {
    const ref = --this.localRef;
    const els = options.els ?? [];
    const className = loadingClass(kind);
    for (const el of els) el.classList.add(className);
    if (options.lock !== undefined) this.lock(options.lock, ref, false);
    for (const el of options.disable ?? []) this.disable(el, ref);
    const none = () => {};
    this.pending.set(ref, { els, className, source: null, resolve: none, reject: none });
    return () => {
      const entry = this.pending.get(ref);
      if (entry !== undefined) this.settle(ref, entry);
    };
  }

  /**
   * `form` is locked until submit `ref` is answered, and frames are held until then (unless
   * `hold` is false).
   * @param {HTMLFormElement} form
   * @param {number} ref
   * @param {boolean} [hold]
   */
  lock(form, ref, hold = true) {
    if (hold) this.awaiting.add(ref);
    const known = this.locks.get(form);
    if (known !== undefined) known.refs.add(ref);
    else this.locks.set(form, { refs: new Set([ref]), locked: lockForm(form) });
  }

  /** Every locked form is unlocked (for a patch, or for good). */
  unlockAll() {
    for (const lock of this.locks.values()) {
      if (lock.locked !== null) unlockForm(lock.locked);
      lock.locked = null;
    }
  }

  /** Every form still waiting for its submit's reply is locked again (after a patch). */
  lockAll() {
    for (const [form, lock] of this.locks) if (lock.locked === null) lock.locked = lockForm(form);
  }

  /**
   * After a patch: the first form of the view whose `phx-trigger-action` is on (present, not
   * "false") and was not before is submitted over HTTP, the connection closed first (the page
   * is leaving). Returns whether one was.
   * @returns {boolean}
   */
  triggerActions() {
    /** @type {HTMLFormElement[]} */
    const forms = Array.from(this.el.querySelectorAll(`form[${PHX_TRIGGER_ACTION}]`));
    const on = forms.filter(
      (form) => form.getAttribute(PHX_TRIGGER_ACTION) !== "false",
    );
    for (const form of this.triggered) if (!on.includes(form)) this.triggered.delete(form);
    const form = on.find((each) => !this.triggered.has(each));
    if (form === undefined) return false;
    this.triggered.add(form);
    const meta = this.el.ownerDocument.querySelector('meta[name="csrf-token"]');
    this.unload();
    submitNatively(form, lastSubmitter(form), meta?.getAttribute("content") ?? null);
    return true;
  }


  // -- phx-disable-with ------------------------------------------------------------------------

  /**
   * `el` shows its `phx-disable-with` text, disabled, until event `ref` is answered.
   * @param {Element} el
   * @param {number} ref
   */
  disable(el, ref) {
    const known = this.disabled.get(el);
    if (known !== undefined) {
      known.refs.add(ref);
      return;
    }
    const control = /** @type {HTMLButtonElement} */ (el);
    this.disabled.set(el, {
      children: [],
      wasDisabled: control.disabled === true,
      refs: new Set([ref]),
      showing: false,
    });
    this.showDisabled();
  }

  /** Every element waiting shows its disable-with text. */
  showDisabled() {
    for (const [el, state] of this.disabled) {
      if (state.showing) continue;
      state.showing = true;
      const text = el.getAttribute(PHX_DISABLE_WITH) ?? "";
      state.children = Array.from(el.childNodes);
      el.replaceChildren(el.ownerDocument.createTextNode(text));
      /** @type {HTMLButtonElement} */ (el).disabled = true;
    }
  }

  /** Every element waiting gets its own children back (for a patch, or for good). */
  restoreDisabled() {
    for (const [el, state] of this.disabled) {
      if (!state.showing) continue;
      state.showing = false;
      el.replaceChildren(...state.children);
      if (!state.wasDisabled) /** @type {HTMLButtonElement} */ (el).disabled = false;
    }
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
      this.hooks.dispatch(name, payload); // the hooks' handleEvent listeners, then the window's
      if (win) win.dispatchEvent(new win.CustomEvent(pushedEventName(name), { detail: payload }));
    }
    if (entry === undefined) return;
    if (typeof frame.error === "string") entry.reject(new Error(`pylive: ${frame.error}`));
    else entry.resolve(frame.reply ?? {});
  }

  /**
   * Forget a pending event: its loading classes go, its source may send again, a form its
   * submit locked is unlocked (returned: their submit is answered).
   * @param {number} ref
   * @param {Pending} entry
   * @returns {HTMLFormElement[]}
   */
  settle(ref, entry) {
    this.pending.delete(ref);
    this.awaiting.delete(ref);
    /** @type {HTMLFormElement[]} */
    const acked = [];
    for (const [form, lock] of this.locks) {
      if (!lock.refs.delete(ref) || lock.refs.size > 0) continue;
      if (lock.locked !== null) unlockForm(lock.locked);
      this.locks.delete(form);
      acked.push(form);
    }
    for (const [el, state] of this.disabled) {
      if (state.refs.delete(ref) && state.refs.size === 0) this.disabled.delete(el);
    }
    for (const el of entry.els) {
      if (!this.isLoading(el, entry.className)) el.classList.remove(entry.className);
    }
    const refs = entry.source === null ? undefined : this.sources.get(entry.source);
    if (refs !== undefined && refs.delete(ref) && refs.size === 0) {
      this.sources.delete(/** @type {Element} */ (entry.source));
    }
    return acked;
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
    this.held = [];
    this.awaiting.clear();
    this.restoreDisabled();
    this.unlockAll();
    for (const [ref, entry] of [...this.pending]) {
      this.settle(ref, entry);
      entry.reject(new NotConnected(`pylive: ${reason}`));
    }
    this.hooks.disconnectAll();
    resetUploads(this);
  }

  /** The view is gone for good (redirect, reload): every hook is destroyed. */
  leave() {
    this.hooks.destroyAll();
  }
}
