// Test support for js/test/*.test.mjs: a jsdom page served "by pylive" (a view container with a
// join token, a CSRF meta tag) and a fake WebSocket the test drives from the server's side.

import { JSDOM } from "jsdom";

import { LiveSocket, buildNode } from "../client.js";

/** A WebSocket stand-in: records what the client sends; the test opens, answers and closes it. */
export class FakeSocket {
  /** @param {string} url */
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    /** @type {any[]} */
    this.sent = [];
    /** @type {number | null} */
    this.closedWith = null;
    /** @type {any} */
    this.onopen = null;
    /** @type {any} */
    this.onmessage = null;
    /** @type {any} */
    this.onclose = null;
    /** @type {any} */
    this.onerror = null;
  }

  /** @param {string} data */
  send(data) {
    this.sent.push(JSON.parse(data));
  }

  /** @param {number} [code] */
  close(code) {
    this.readyState = 3;
    this.closedWith = code ?? 1005;
  }

  // -- the server's side ---------------------------------------------------------------------------

  open() {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** @param {any} frame */
  receive(frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** @param {number} [code] */
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  /** The last frame the client sent. */
  get last() {
    return this.sent[this.sent.length - 1];
  }
}

/**
 * A jsdom page at `url` whose live container holds `wires`, and a `LiveSocket` on it with a fake
 * WebSocket; nothing is connected yet. `sockets` lists every FakeSocket the client opened.
 * @param {any[]} wires
 * @param {{ url?: string, random?: () => number, body?: string }} [options]
 */
export function livePage(wires = [], options = {}) {
  const url = options.url ?? "http://127.0.0.1:8000/counter";
  const html =
    '<!DOCTYPE html><html><head><meta name="csrf-token" content="csrf+/=1"><title>t</title></head>' +
    '<body><div id="phx-main" data-phx-main data-phx-session="TOKEN"></div>' +
    '<input id="outside" phx-click="nope">' +
    (options.body ?? "") +
    "</body></html>";
  const dom = new JSDOM(html, { url });
  const window = /** @type {any} */ (dom.window);
  const document = window.document;
  const container = document.getElementById("phx-main");
  for (const wire of wires) container.appendChild(buildNode(document, wire));
  /** @type {FakeSocket[]} */
  const sockets = [];
  /** @type {string[]} */
  const reloads = [];
  /** @type {string[]} */
  const assigned = [];
  class WebSocket extends FakeSocket {
    /** @param {string} url */
    constructor(url) {
      super(url);
      sockets.push(this);
    }
  }
  const socket = new LiveSocket(window, {
    WebSocket,
    reload: () => reloads.push("reload"),
    assign: (to) => assigned.push(to),
    random: options.random ?? (() => 0.5),
  });
  const current = () => sockets[sockets.length - 1];
  return { window, document, container, socket, sockets, current, reloads, assigned };
}

/**
 * A page like `livePage`'s, connected and joined: its container holds `wires` as the join reply.
 * @param {any[]} wires
 * @param {{ url?: string, random?: () => number }} [options]
 */
export function joinedPage(wires = [], options = {}) {
  const page = livePage([], options);
  page.socket.connect();
  const ws = page.current();
  ws.open();
  ws.receive({ ref: ws.last.ref, tree: wires });
  ws.sent.length = 0;
  return page;
}

/**
 * The classes of an element, sorted, as one string.
 * @param {Element} el
 */
export function classes(el) {
  return Array.from(el.classList).sort().join(" ");
}
