// @ts-check
/**
 * pylive's browser client: the public exports, and `window.pylive` started on a page that loads
 * this module. The server renders the page, then sends batches of patch ops over one websocket;
 * the modules this one imports apply them to the DOM.
 */

import { LiveSocket } from "./socket.mjs";

/** @import { PushEventOptions, SocketOptions } from "./socket.mjs" */

/**
 * The public API, `window.pylive` in a browser.
 * @typedef {object} PyliveApi
 * @property {() => void} connect
 * @property {() => void} disconnect
 * @property {() => boolean} isConnected
 * @property {() => void} enableDebug
 * @property {() => void} disableDebug
 * @property {PushEvent} pushEvent
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
  socket.connect();
  return Object.freeze({
    connect: () => socket.connect(),
    disconnect: () => socket.disconnect(),
    isConnected: () => socket.isConnected(),
    enableDebug: () => socket.setDebug(true),
    disableDebug: () => socket.setDebug(false),
    /** @type {PushEvent} */
    pushEvent: (event, value = {}, options = {}) => socket.pushEvent(event, value, options),
  });
}

if (typeof window !== "undefined" && typeof document !== "undefined" && !("pylive" in window)) {
  const boot = () => {
    /** @type {any} */ (window).pylive = start(window);
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
