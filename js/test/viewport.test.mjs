// Infinite scroll: phx-viewport-top / phx-viewport-bottom get the built-in hook, which watches the
// first and last stream items (not the fixed children) with an IntersectionObserver, sends one
// event at a time with the item's id (and `_overran` past the top), watches the new edge items
// once the reply's patch is in, and keeps the triggering item where it was on the screen.

import assert from "node:assert/strict";
import { test } from "node:test";

import { JSDOM } from "jsdom";

import { LiveSocket, OPS } from "../../client.js";
import { FakeSocket } from "../live.mjs";

/** An IntersectionObserver stand-in: the test says which targets came into view. */
class FakeObserver {
  /** @type {FakeObserver[]} */
  static all = [];

  /** @param {(entries: any[]) => void} callback @param {any} options */
  constructor(callback, options) {
    this.callback = callback;
    this.root = options.root;
    /** @type {Set<Element>} */
    this.targets = new Set();
    FakeObserver.all.push(this);
  }

  /** @param {Element} el */
  observe(el) {
    this.targets.add(el);
  }

  disconnect() {
    this.targets.clear();
  }

  /** @param {Element} el */
  show(el) {
    assert.ok(this.targets.has(el), `not observed: #${el.id}`);
    this.callback([{ target: el, isIntersecting: true }]);
  }
}

const item = (/** @type {number} */ n) => ["li", { id: `posts-${n}` }, [`post ${n}`]];
const EMPTY = ["li", { id: "posts-empty", "data-phx-fixed": "" }, ["No posts yet."]];

/**
 * A joined page whose view shows `<div id="scroller" style="overflow-y: auto">` around a stream
 * container `#posts` with posts `from`..`to`, the fixed child last, and `attrs`.
 * @param {Record<string, string>} attrs
 */
function feed(attrs, from = 1, to = 3) {
  FakeObserver.all = [];
  const dom = new JSDOM(
    '<!DOCTYPE html><body><div id="phx-main" data-phx-main data-phx-session="T"></div></body>',
    { url: "http://127.0.0.1:8000/feed" },
  );
  const window = /** @type {any} */ (dom.window);
  window.IntersectionObserver = FakeObserver;
  /** @type {FakeSocket[]} */
  const sockets = [];
  class WebSocket extends FakeSocket {
    /** @param {string} url */
    constructor(url) {
      super(url);
      sockets.push(this);
    }
  }
  const socket = new LiveSocket(window, { WebSocket, random: () => 0.5 });
  socket.connect();
  const ws = sockets[0];
  ws.open();
  const posts = [];
  for (let n = from; n <= to; n++) posts.push(item(n));
  const tree = [
    [
      "div",
      { id: "scroller", style: "overflow-y: auto" },
      [["ul", { id: "posts", "phx-update": "stream", ...attrs }, [...posts, EMPTY]]],
    ],
  ];
  ws.receive({ ref: ws.last.ref, tree });
  ws.sent.length = 0;
  const document = window.document;
  const observer = FakeObserver.all[0];
  const el = (/** @type {string} */ id) => /** @type {Element} */ (document.getElementById(id));
  return { window, document, ws, observer, el };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test("the viewport hook watches the first and last items in their scrolling ancestor", () => {
  const { observer, el } = feed({ "phx-viewport-bottom": "next-page" });
  assert.equal(FakeObserver.all.length, 1);
  assert.equal(observer.root, el("scroller"));
  assert.deepEqual([...observer.targets].map((t) => t.id), ["posts-1", "posts-3"]);
});

test("the last item in view sends the bottom event with its id, one at a time", async () => {
  const { ws, observer, el } = feed({ "phx-viewport-bottom": "next-page" });
  observer.show(el("posts-3"));
  observer.show(el("posts-3")); // still waiting for the reply: nothing more
  assert.deepEqual(
    ws.sent.map(({ type, kind, event, value }) => ({ type, kind, event, value })),
    [{ type: "event", kind: "hook", event: "next-page", value: { id: "posts-3" } }],
  );
  const ref = ws.sent[0].ref;
  ws.receive({ ref, ops: [[OPS.stream_insert, [0, 0], -1, item(4)]] });
  await tick();
  assert.deepEqual([...observer.targets].map((t) => t.id), ["posts-1", "posts-4"]);
  observer.show(el("posts-4"));
  assert.deepEqual(ws.sent.slice(1).map((f) => [f.event, f.value]), [["next-page", { id: "posts-4" }]]);
});

test("the first item in view sends the top event; the fixed child is never an item", () => {
  const { ws, observer, el } = feed({ "phx-viewport-top": "prev-page" }, 21, 22);
  assert.ok(!observer.targets.has(el("posts-empty")));
  observer.show(el("posts-22")); // the last: no bottom binding, nothing
  observer.show(el("posts-21"));
  assert.deepEqual(ws.sent.map((f) => [f.event, f.value]), [["prev-page", { id: "posts-21" }]]);
});

test("scrolling up until the container's top shows is an overrun: `_overran: true`, once", () => {
  const { window, ws, el } = feed({ "phx-viewport-top": "prev-page" }, 21, 22);
  const scroller = /** @type {any} */ (el("scroller"));
  const posts = /** @type {any} */ (el("posts"));
  scroller.getBoundingClientRect = () => ({ top: 100, bottom: 500 });
  posts.getBoundingClientRect = () => ({ top: -900 });
  /** @type {any} */ (el("posts-21")).getBoundingClientRect = () => ({ top: -800, bottom: -760 });
  scroller.scrollTop = 1000;
  scroller.dispatchEvent(new window.Event("scroll"));
  scroller.scrollTop = 500; // up, the container's top still above the view
  scroller.dispatchEvent(new window.Event("scroll"));
  assert.deepEqual(ws.sent, []);
  posts.getBoundingClientRect = () => ({ top: 120 }); // up past every item: its top shows
  scroller.scrollTop = 0;
  scroller.dispatchEvent(new window.Event("scroll"));
  assert.deepEqual(ws.sent.map((f) => [f.event, f.value]), [
    ["prev-page", { id: "posts-21", _overran: true }],
  ]);
});

test("a scroll that jumps past the last item loads, as if the observer had seen it", () => {
  const { window, ws, el } = feed({ "phx-viewport-bottom": "next-page" });
  const scroller = /** @type {any} */ (el("scroller"));
  scroller.getBoundingClientRect = () => ({ top: 0, bottom: 400 });
  /** @type {any} */ (el("posts")).getBoundingClientRect = () => ({ top: -2000 });
  /** @type {any} */ (el("posts-3")).getBoundingClientRect = () => ({ top: -300, bottom: -260 });
  scroller.scrollTop = 2400;
  scroller.dispatchEvent(new window.Event("scroll"));
  assert.deepEqual(ws.sent.map((f) => [f.event, f.value]), [["next-page", { id: "posts-3" }]]);
});

test("after the reply's patch, the item that triggered the load stays where it was", async () => {
  const { ws, observer, el } = feed({ "phx-viewport-bottom": "next-page" });
  const scroller = /** @type {any} */ (el("scroller"));
  scroller.scrollTop = 500;
  let top = 380; // on screen when the event goes
  /** @type {any} */ (el("posts-3")).getBoundingClientRect = () => ({ top, bottom: top + 20 });
  observer.show(el("posts-3"));
  top = 300; // the patch pruned 80 px of posts above it (and nothing compensated)
  ws.receive({
    ref: ws.sent[0].ref,
    ops: [
      [OPS.stream_insert, [0, 0], -1, item(4), -3],
      [OPS.stream_insert, [0, 0], -1, item(5), -3],
    ],
  });
  await tick();
  assert.equal(scroller.scrollTop, 420); // scrolled by -80: the item is back at 380
  assert.deepEqual(
    Array.from(el("posts").children, (c) => c.id),
    ["posts-3", "posts-4", "posts-5", "posts-empty"],
  );
});
