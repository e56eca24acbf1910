// @ts-check
/**
 * The websocket to the server, and the page's view on it: connect, join, route frames,
 * heartbeat, reconnect with backoff, rejoin after a crash, reload or redirect when nothing else
 * helps; live navigation (navigation.mjs) over it.
 */

import { TabStorage, isLocalPath, isWebUrl, reloadDelay, setFlashCookie } from "./browser.mjs";
import { CID_PATTERN, CLOSE_NORMAL, CLOSE_RESTART, MESSAGES, PHX_MAIN } from "./constants.mjs";
import { NotConnected } from "./errors.mjs";
import { bindDocument, resolveTargets, runJS } from "./events.mjs";
import { HookRegistry, loadHookModules } from "./hook_registry.mjs";
import { ViewHooks, pageView } from "./hooks.mjs";
import { Indicators } from "./indicators.mjs";
import { Latency } from "./latency.mjs";
import { Navigation } from "./navigation.mjs";
import { View } from "./view.mjs";

/** @import { EventView, Target } from "./events.mjs" */
/** @import { Command } from "./js_commands.mjs" */
/** @import { Frame, Send } from "./view.mjs" */

const WS_OPEN = 1;
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

/**
 * The part of the WebSocket API the client uses (tests inject a fake).
 * @typedef {object} SocketLike
 * @property {number} readyState
 * @property {(data: string | ArrayBuffer) => void} send
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
 * @property {(url: string) => void} [replace]  default: `location.replace(url)`
 * @property {() => number} [random]  default: `Math.random` (the jitter of every delay)
 * @property {unknown} [hooks]  hooks to register at once, `{Name: {mounted() {…}}, …}`
 * @property {Record<string, unknown>} [uploaders]  external uploaders by name,
 *   `{S3: (entries, onViewError) => {…}}`
 * @property {(url: string) => Promise<any>} [importModule]  default: `import(url)` (the
 *   Python-declared hook modules of `data-phx-hooks`)
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
 * @typedef {object} PushEventOptions
 * @property {number | string | null} [target]  a component's cid, or a CSS selector
 */

/**
 * One websocket to the server and the page's view: connect, join, route frames, heartbeat,
 * reconnect with backoff, rejoin after a crash, reload when nothing else helps.
 */
export class LiveSocket {
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
    this.replacePage =
      options.replace ?? ((/** @type {string} */ to) => win.location.replace(to));
    this.random = options.random ?? Math.random;
    this.tab = new TabStorage(win);
    this.debug = this.tab.debug;
    this.latency = new Latency(this.tab);
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
    const el = win.document.querySelector(`[${PHX_MAIN}]`);
    this.indicators = new Indicators(win);
    /** every hook by name: `window.pylive.hooks` */
    this.registry = new HookRegistry(options.hooks);
    /** @type {Record<string, unknown>} the external uploaders by name: `window.pylive.uploaders` */
    this.uploaders = Object.assign(Object.create(null), options.uploaders ?? {});
    /** @type {unknown} the public API (`window.pylive`) hooks see as `this.liveSocket` */
    this.api = null;
    const liveSocket = () => this.api;
    /** @type {View | null} */
    this.view = el
      ? new View(/** @type {HTMLElement} */ (el), (m) => this.send(m), {
          navigate: (href, replace, kind) => this.navigate(href, replace, kind),
          onApplied: (frame) => this.navigation?.applied(frame),
          onStatus: (status) => this.indicators.status(status),
          registry: this.registry,
          liveSocket,
          unload: () => this.unload(),
          sendBinary: (data) => this.sendBinary(data),
          uploaders: this.uploaders,
        })
      : null;
    /** @type {Navigation | null} links, history and scroll of the view */
    this.navigation = this.view
      ? new Navigation(win, this.view, (href, replace) => this.load(href, replace))
      : null;
    /** @type {EventView} what JS commands outside a view (and hooks without one) act through */
    this.page = pageView(win.document.documentElement, (href, replace, kind) =>
      this.navigate(href, replace, kind),
    );
    /** @type {ViewHooks | null} the hooks of a page without a live container */
    this.pageHooks = el
      ? null
      : new ViewHooks(this.registry, this.page, { live: false, liveSocket });
    const importModule = options.importModule ?? ((/** @type {string} */ url) => import(url));
    const base = win.location.href;
    /** @type {Promise<void> | null} the Python-declared hook modules loading: join after */
    this.loading = el ? loadHookModules(el, this.registry, importModule, base) : null;
    this.loading?.then(() => (this.loading = null));
    /** @type {(() => void) | null} */
    this.unbind = null;
  }

  // -- public ------------------------------------------------------------------------------------

  /** Connect (and keep reconnecting) until `disconnect()`. */
  connect() {
    const view = this.view;
    this.pageHooks?.mountAll(); // a page without a live view: its hooks mount at boot
    if (view === null || this.reloading) return;
    this.wanted = true;
    if (this.unbind === null) {
      const unbind = bindDocument(
        this.win,
        (el) => this.viewFor(el),
        () => [view],
      );
      const unbindNavigation = /** @type {Navigation} */ (this.navigation).bind();
      this.unbind = () => {
        unbind();
        unbindNavigation();
      };
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
    this.tab.setDebug(on);
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

  /**
   * Run a JS chain with `el` as its source (`window.pylive.js()`, `execJS`): its pushes go to
   * the view `el` is in (none outside a view: not sent).
   * @param {Element} el
   * @param {Command[]} ops
   * @returns {number}  the milliseconds its transitions last
   */
  runJS(el, ops) {
    return runJS(this.viewFor(el) ?? this.page, el, ops);
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
    if (this.loading !== null) {
      const ws = this.ws; // join once the hook modules are in, if this socket is still the one
      this.loading.then(() => this.ws === ws && this.join());
      return;
    }
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
    if (this.debug) this.latency.sent(ws, frame);
    this.latency.out((held) => {
      if (this.ws !== ws || ws.readyState !== WS_OPEN) {
        this.log(`out dropped: its socket closed while it was delayed ${held} ms`, frame);
        return;
      }
      this.log(held === null ? "out" : `out (delayed ${held} ms)`, frame);
      ws.send(JSON.stringify(frame));
    });
    return ref;
  }

  /**
   * Send a binary frame (an upload's chunk), in order with the text frames (through the
   * latency simulator as they go). False when the socket is not open.
   * @param {ArrayBuffer} data
   * @returns {boolean}
   */
  sendBinary(data) {
    const ws = this.ws;
    if (ws === null || ws.readyState !== WS_OPEN) return false;
    this.latency.out((held) => {
      if (this.ws !== ws || ws.readyState !== WS_OPEN) {
        this.log(`out dropped: its socket closed while it was delayed ${held} ms`, data);
        return;
      }
      this.log(held === null ? "out binary" : `out binary (delayed ${held} ms)`, data.byteLength);
      ws.send(data);
    });
    return true;
  }

  /** @param {unknown} data  a frame from the current socket: handled after the simulated delay */
  receive(data) {
    const ws = this.ws;
    this.latency.in((held) => this.handle(ws, data, held));
  }

  /**
   * Handle a frame that came in on `ws`, unless that socket closed while it was held.
   * @param {SocketLike | null} ws
   * @param {unknown} data
   * @param {number | null} held  the ms the latency simulator held it; null: not held
   */
  handle(ws, data, held) {
    if (ws === null || this.ws !== ws) {
      this.log(`in dropped: its socket closed while it was delayed ${held} ms`, data);
      return;
    }
    /** @type {Frame} */
    let frame;
    try {
      frame = JSON.parse(String(data));
    } catch {
      console.error("pylive: ignored a frame that is not JSON:", data);
      return;
    }
    this.log(held === null ? "in" : `in (delayed ${held} ms)`, frame);
    if (frame === null || typeof frame !== "object") return;
    const timing = this.latency.replied(ws, frame);
    if (timing !== null && this.debug) console.debug(timing);
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
      this.redirect(frame);
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
    this.navigation?.joined(frame);
    this.reconnectTries = 0;
    this.failedJoins = 0;
    this.tab.forgetReloads();
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
      ws.close(CLOSE_NORMAL);
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
    this.view?.leave(); // gone for good: its hooks are destroyed
    const delay = reloadDelay(this.tab.countReload(), soon, this.random);
    console.warn(`pylive: reloading the page in ${Math.round(delay)} ms (${reason})`);
    this.timer = setTimeout(() => this.reloadPage(), delay);
  }

  /**
   * A JS `navigate` or `patch` to the local path `href`: live (navigation.mjs) in a joined
   * view, else a full page load.
   * @param {string} href
   * @param {boolean} replace  replace the history entry
   * @param {"navigate" | "patch"} [kind]
   */
  navigate(href, replace, kind = "navigate") {
    if (!isLocalPath(href)) {
      console.error(`pylive: refused to navigate to ${JSON.stringify(href)}: not a local path`);
      return;
    }
    if (this.navigation?.go(href, kind, replace)) return;
    this.load(href, replace);
  }

  /**
   * A full page load of `href`.
   * @param {string} href
   * @param {boolean} replace  replace the history entry
   */
  load(href, replace) {
    if (replace) this.replacePage(href);
    else this.assign(href);
  }

  /**
   * A `redirect` frame: its flash in the flash cookie, then a page load of `to`, a local path
   * (or, marked `external`, an http(s) URL).
   * @param {Frame} frame
   */
  redirect(frame) {
    const to = frame.to;
    if (!isLocalPath(to) && !(frame.external === true && isWebUrl(to))) {
      console.error(`pylive: refused to redirect to ${JSON.stringify(to)}: not a local path`);
      return;
    }
    this.wanted = false;
    this.clearTimer();
    this.drop();
    this.view?.leave(); // gone for good: its hooks are destroyed
    if (frame.flash !== undefined) setFlashCookie(this.win.document, frame.flash);
    this.assign(to);
  }

  /**
   * The page is leaving by an HTTP request the page makes (a form's phx-trigger-action): close
   * the socket for good, before the request, with no notice shown (the view keeps its status).
   */
  unload() {
    this.wanted = false;
    this.clearTimer();
    this.drop();
    this.view?.leave(); // gone for good: its hooks are destroyed
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
   * @param {string} what
   * @param {unknown} data
   */
  log(what, data) {
    if (this.debug) console.debug(`pylive ${what}`, data);
  }
}
