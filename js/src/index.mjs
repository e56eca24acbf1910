// @ts-check
/**
 * pylive's browser client: the public exports, and `window.pylive` started on a page that loads
 * this module. The server renders the page, then sends batches of patch ops over one websocket;
 * the modules this one imports apply them to the DOM.
 */

import { execEncoded, jsApi } from "./js_api.mjs";
import { LiveSocket } from "./socket.mjs";

/** @import { JsApi } from "./js_api.mjs" */
/** @import { PushEventOptions, SocketOptions } from "./socket.mjs" */

/** Marks a started `window.pylive` (a page's own `window.pylive = {hooks}` has no such mark). */
const STARTED = Symbol.for("pylive.started");

/**
 * The public API, `window.pylive` in a browser.
 * @typedef {object} PyliveApi
 * @property {() => void} connect
 * @property {() => void} disconnect
 * @property {() => boolean} isConnected
 * @property {() => void} enableDebug
 * @property {() => void} disableDebug
 * @property {(ms: number) => void} enableLatencySim  hold every frame, out and in, `ms` each way
 * @property {() => void} disableLatencySim
 * @property {() => number | null} getLatencySim  the one-way delay (ms), null when off
 * @property {PushEvent} pushEvent
 * @property {Record<string, object>} hooks  the hooks by name; assigning one registers it
 * @property {Record<string, unknown>} uploaders  the external uploaders by name; assign
 *   `uploaders.S3 = (entries, onViewError) => {…}`
 * @property {(hooks: Record<string, object>) => void} registerHooks  registers each
 * @property {() => JsApi & { exec: (el: Element, encoded: string) => void }} js  JS commands
 * @property {(el: Element, encoded: string) => void} execJS  runs an encoded `JS(...)` chain
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
  const registry = socket.registry;
  /** @type {(el: Element, ops: import("./js_commands.mjs").Command[]) => number} */
  const run = (el, ops) => socket.runJS(el, ops);
  const exec = (/** @type {Element} */ el, /** @type {string} */ encoded) =>
    execEncoded(run, el, encoded);
  const js = Object.freeze({ ...jsApi(run, () => win.document.documentElement), exec });
  /** @type {PyliveApi} */
  const api = Object.freeze({
    [STARTED]: true,
    get hooks() {
      return registry.object;
    },
    set hooks(hooks) {
      registry.registerAll(hooks);
    },
    registerHooks: (/** @type {Record<string, object>} */ hooks) => registry.registerAll(hooks),
    uploaders: socket.uploaders,
    js: () => js,
    execJS: exec,
    connect: () => socket.connect(),
    disconnect: () => socket.disconnect(),
    isConnected: () => socket.isConnected(),
    enableDebug: () => socket.setDebug(true),
    disableDebug: () => socket.setDebug(false),
    enableLatencySim: (ms) => socket.latency.enable(ms),
    disableLatencySim: () => socket.latency.disable(),
    getLatencySim: () => socket.latency.ms,
    /** @type {PushEvent} */
    pushEvent: (event, value = {}, options = {}) => socket.pushEvent(event, value, options),
  });
  socket.api = api;
  socket.connect();
  return api;
}

/**
 * Whether `win` runs a started pylive already (a second copy of the client must not start).
 * @param {Window} win
 * @returns {boolean}
 */
function started(win) {
  const pylive = /** @type {any} */ (win).pylive;
  return pylive !== null && typeof pylive === "object" && pylive[STARTED] === true;
}

if (typeof window !== "undefined" && typeof document !== "undefined" && !started(window)) {
  const boot = () => {
    if (started(window)) return;
    // A page script may have set `window.pylive = {hooks: {...}}` first: those hooks count.
    const early = /** @type {any} */ (window).pylive;
    const hooks = early !== null && typeof early === "object" ? early.hooks : undefined;
    const uploaders = early !== null && typeof early === "object" ? early.uploaders : undefined;
    /** @type {any} */ (window).pylive = start(window, { hooks, uploaders });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
}

// The public names, the same as the hand-written client.js exported before it was split.
export { JS_COMMANDS, MESSAGES, OPS } from "./constants.mjs";
export { HANDLERS as JS_HANDLERS, execJS, parseJS } from "./js_commands.mjs";
export { isLocalPath } from "./browser.mjs";
export { buildNode } from "./dom.mjs";
export { serializeForm } from "./forms.mjs";
export { applyTree } from "./morph.mjs";
export { applyOps } from "./patch.mjs";
export { View } from "./view.mjs";
export { LiveSocket, start };
