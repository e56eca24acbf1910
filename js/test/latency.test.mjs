// The latency simulator (every frame out and in held for a one-way delay, in order, kept for the
// tab) and the debug log of an event's round trip with the server's timing, with a fake
// WebSocket and fake timers (setTimeout, Date; performance.now follows Date.now).

import assert from "node:assert/strict";
import { test } from "node:test";

import { LiveSocket, start } from "../../client.js";
import { FakeSocket, joinedPage, livePage } from "../live.mjs";

const ON_100 = "pylive: latency simulator on: 100 ms each way (pylive.disableLatencySim() to stop)";
const OFF = "pylive: latency simulator off";
const TIMING = { callback: 41, render: 120, diff: 33 };
const SERVER = "server: callback 41 µs, render 120 µs, diff 33 µs";

/**
 * A test with fake timers and clock; `clock.extra` ms are added to `performance.now()` (the
 * client's clock) to give it a fraction. Console warnings are recorded in `warnings`.
 * @param {string} name
 * @param {(t: import("node:test").TestContext, env: {
 *   warnings: unknown[][], clock: { extra: number },
 * }) => unknown} fn
 */
function timed(name, fn) {
  test(name, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
    const clock = { extra: 0 };
    t.mock.method(performance, "now", () => Date.now() + clock.extra);
    /** @type {unknown[][]} */
    const warnings = [];
    t.mock.method(console, "warn", (/** @type {unknown[]} */ ...args) => warnings.push(args));
    return fn(t, { warnings, clock });
  });
}

/**
 * Whether `promise` has settled (after the microtasks queued so far).
 * @param {Promise<unknown>} promise
 */
async function settled(promise) {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

timed("an event's frame goes out after the delay, its reply is handled after it", async (t) => {
  const { socket, current, container } = joinedPage([["p", {}, ["Count: 0"]]]);
  const ws = current();
  socket.latency.enable(100);
  const reply = socket.pushEvent("inc", { by: 1 });
  assert.deepEqual(ws.sent, []);
  t.mock.timers.tick(99);
  assert.deepEqual(ws.sent, []);
  t.mock.timers.tick(1);
  assert.deepEqual(ws.sent, [
    { type: "event", ref: 1, kind: "hook", event: "inc", value: { by: 1 } },
  ]);

  ws.receive({ ref: 1, ops: [[0, [0, 0], "Count: 1"]], reply: { n: 1 } });
  t.mock.timers.tick(99);
  assert.equal(container.textContent, "Count: 0");
  assert.equal(await settled(reply), false);
  t.mock.timers.tick(1);
  assert.equal(container.textContent, "Count: 1");
  assert.deepEqual(await reply, { n: 1 });
});

timed("off (the default), frames go out and are handled at once", () => {
  const { socket, current, container } = joinedPage([["p", {}, ["a"]]]);
  assert.equal(socket.latency.ms, null);
  socket.pushEvent("inc", {});
  assert.equal(current().sent.length, 1);
  current().receive({ type: "patch", ops: [[0, [0, 0], "b"]] });
  assert.equal(container.textContent, "b");
});

timed("frames keep their order each way when the delay changes", (t, { warnings }) => {
  const { socket, current, container } = joinedPage([["p", {}, ["0"]]]);
  const ws = current();
  const events = () => ws.sent.map((frame) => frame.event);
  socket.latency.enable(100);
  socket.pushEvent("a", {});
  socket.latency.enable(10);
  socket.pushEvent("b", {}); // due at 10 ms, but behind "a"
  t.mock.timers.tick(10);
  assert.deepEqual(events(), []);
  t.mock.timers.tick(90);
  assert.deepEqual(events(), ["a", "b"]);
  socket.pushEvent("c", {});
  t.mock.timers.tick(10);
  assert.deepEqual(events(), ["a", "b", "c"]);

  socket.latency.enable(100);
  ws.receive({ type: "patch", ops: [[0, [0, 0], "1"]] });
  socket.latency.enable(10);
  ws.receive({ type: "patch", ops: [[0, [0, 0], "2"]] });
  t.mock.timers.tick(10);
  assert.equal(container.textContent, "0");
  t.mock.timers.tick(90);
  assert.equal(container.textContent, "2");
  assert.equal(warnings.length, 4);
});

timed("disable: frames already held keep their delay, later ones wait behind them", (t) => {
  const { socket, current } = joinedPage();
  const ws = current();
  const events = () => ws.sent.map((frame) => frame.event);
  socket.latency.enable(100);
  socket.pushEvent("a", {});
  t.mock.timers.tick(40);
  socket.latency.disable();
  socket.pushEvent("b", {});
  assert.deepEqual(events(), []);
  t.mock.timers.tick(59);
  assert.deepEqual(events(), []);
  t.mock.timers.tick(1);
  assert.deepEqual(events(), ["a", "b"]);
  socket.pushEvent("c", {}); // nothing held: at once
  assert.deepEqual(events(), ["a", "b", "c"]);
});

timed("0 ms holds nothing back; frames behind held ones still wait", (t, { warnings }) => {
  const { socket, current } = joinedPage();
  const ws = current();
  socket.latency.enable(0);
  assert.equal(socket.latency.ms, 0);
  assert.deepEqual(warnings.at(-1), [
    "pylive: latency simulator on: 0 ms each way (pylive.disableLatencySim() to stop)",
  ]);
  socket.pushEvent("a", {});
  assert.equal(ws.sent.length, 1);
  socket.latency.enable(100);
  socket.pushEvent("b", {});
  socket.latency.enable(0);
  socket.pushEvent("c", {});
  assert.equal(ws.sent.length, 1);
  t.mock.timers.tick(100);
  assert.deepEqual(
    ws.sent.map((frame) => frame.event),
    ["a", "b", "c"],
  );
});

timed("the delay is kept in sessionStorage for the tab and read at start", (t, { warnings }) => {
  const { window, socket } = livePage();
  socket.latency.enable(100);
  assert.equal(window.sessionStorage.getItem("pylive:latency-sim"), "100");
  assert.deepEqual(warnings, [[ON_100]]);

  // The same tab after a reload: the simulator is on from the start, and says so.
  const again = new LiveSocket(window, { WebSocket: FakeSocket });
  assert.equal(again.latency.ms, 100);
  assert.deepEqual(warnings, [[ON_100], [ON_100]]);

  again.latency.disable();
  assert.equal(window.sessionStorage.getItem("pylive:latency-sim"), null);
  assert.deepEqual(warnings.at(-1), [OFF]);
  assert.equal(new LiveSocket(window, { WebSocket: FakeSocket }).latency.ms, null);
  assert.equal(warnings.length, 3);

  // A stored value that is not a delay counts as off, silently.
  for (const stored of ["abc", "-5", "", "Infinity"]) {
    window.sessionStorage.setItem("pylive:latency-sim", stored);
    assert.equal(new LiveSocket(window, { WebSocket: FakeSocket }).latency.ms, null, stored);
  }
  window.sessionStorage.setItem("pylive:latency-sim", "12.5");
  assert.equal(new LiveSocket(window, { WebSocket: FakeSocket }).latency.ms, 12.5);
  assert.equal(warnings.length, 4);
});

timed("a page started with a stored delay holds its join frame", (t) => {
  const { window } = livePage();
  window.sessionStorage.setItem("pylive:latency-sim", "100");
  const socket = new LiveSocket(window, { WebSocket: FakeSocket });
  socket.connect();
  const ws = /** @type {FakeSocket} */ (/** @type {unknown} */ (socket.ws));
  ws.open();
  t.mock.timers.tick(99);
  assert.deepEqual(ws.sent, []);
  t.mock.timers.tick(1);
  assert.equal(ws.last.type, "join");
  socket.disconnect();
});

timed("enableLatencySim refuses anything but a non-negative finite number", (t, { warnings }) => {
  const { window, socket } = livePage();
  socket.latency.enable(20);
  for (const [value, got] of [
    [-1, "-1"],
    [NaN, "NaN"],
    [Infinity, "Infinity"],
    ["100", '"100"'],
    [null, "null"],
    [undefined, "undefined"],
    [{ ms: 5 }, '{"ms":5}'],
  ]) {
    assert.throws(
      () => socket.latency.enable(value),
      {
        name: "TypeError",
        message:
          "pylive.enableLatencySim: expected a non-negative finite number of milliseconds, " +
          `got ${got}`,
      },
      got,
    );
  }
  assert.equal(socket.latency.ms, 20);
  assert.equal(window.sessionStorage.getItem("pylive:latency-sim"), "20");
  assert.equal(warnings.length, 1);
});

timed("window.pylive's enableLatencySim, disableLatencySim, getLatencySim", (t, { warnings }) => {
  const page = livePage();
  class WebSocket extends FakeSocket {}
  const api = start(page.window, { WebSocket: /** @type {any} */ (WebSocket) });
  assert.equal(api.getLatencySim(), null);
  api.enableLatencySim(100);
  assert.equal(api.getLatencySim(), 100);
  assert.throws(() => api.enableLatencySim(-3), /got -3/);
  api.disableLatencySim();
  assert.equal(api.getLatencySim(), null);
  assert.deepEqual(warnings, [[ON_100], [OFF]]);
  api.disconnect();
});

timed("a frame held when its socket closed is dropped, not sent on the next one", async (t) => {
  const debug = t.mock.method(console, "debug", () => {});
  const { socket, sockets, current } = joinedPage();
  const old = current();
  socket.setDebug(true);
  socket.latency.enable(100);
  const reply = socket.pushEvent("inc", {});
  t.mock.timers.tick(50);
  old.drop(1006);
  await assert.rejects(reply, /connection lost/);
  t.mock.timers.tick(10); // the reconnect
  assert.equal(sockets.length, 2);
  current().open(); // its join is held too, 100 ms from now (t = 60)
  t.mock.timers.tick(40); // t = 100: the old frame is due
  assert.deepEqual(old.sent, []);
  assert.deepEqual(current().sent, []);
  const dropped = debug.mock.calls.find((call) => String(call.arguments[0]).includes("dropped"));
  assert.deepEqual(dropped?.arguments, [
    "pylive out dropped: its socket closed while it was delayed 100 ms",
    { type: "event", ref: 1, kind: "hook", event: "inc", value: {} },
  ]);
  t.mock.timers.tick(60);
  assert.deepEqual(current().sent, [
    { type: "join", ref: 0, token: "TOKEN", url: "http://127.0.0.1:8000/counter", mounts: 1 },
  ]);
  socket.disconnect();
});

timed("a frame received on a socket that closed while it was held is not handled", (t) => {
  const { socket, current, container } = joinedPage([["p", {}, ["a"]]]);
  socket.latency.enable(100);
  current().receive({ type: "patch", ops: [[0, [0, 0], "b"]] });
  socket.disconnect();
  t.mock.timers.tick(100);
  assert.equal(container.textContent, "a");
});

timed("heartbeats and their replies are held too", (t) => {
  const { socket, sockets, current } = joinedPage();
  const ws = current();
  socket.latency.enable(100);
  t.mock.timers.tick(30000);
  assert.deepEqual(ws.sent, []);
  t.mock.timers.tick(100);
  assert.deepEqual(ws.sent, [{ type: "hb", ref: 1 }]);
  ws.receive({ ref: 1 });
  t.mock.timers.tick(100);
  // Answered (held 100 ms): the 10 s deadline of the beat is gone, the next beat 30 s on.
  t.mock.timers.tick(9800);
  assert.equal(sockets.length, 1);
  assert.equal(ws.closedWith, null);
  t.mock.timers.tick(20200); // t = 60200: the next beat, held
  assert.deepEqual(ws.last, { type: "hb", ref: 1 });
  t.mock.timers.tick(100);
  assert.deepEqual(ws.last, { type: "hb", ref: 2 });
});

timed("with debug on, each delayed frame's log line says so", (t) => {
  const debug = t.mock.method(console, "debug", () => {});
  const { socket, current } = joinedPage();
  const ws = current();
  socket.setDebug(true);
  socket.latency.enable(100);
  socket.pushEvent("inc", {});
  t.mock.timers.tick(100);
  ws.receive({ ref: 1, reply: {} });
  t.mock.timers.tick(100);
  socket.latency.disable();
  socket.pushEvent("dec", {});
  assert.deepEqual(
    debug.mock.calls.map((call) => call.arguments),
    [
      [
        "pylive out (delayed 100 ms)",
        { type: "event", ref: 1, kind: "hook", event: "inc", value: {} },
      ],
      ["pylive in (delayed 100 ms)", { ref: 1, reply: {} }],
      ["pylive out", { type: "event", ref: 2, kind: "hook", event: "dec", value: {} }],
    ],
  );
});

timed("a reply's timing is logged with its round trip, simulated delay included", (t, env) => {
  const debug = t.mock.method(console, "debug", () => {});
  const { socket, current } = joinedPage();
  const ws = current();
  socket.setDebug(true);
  socket.latency.enable(5);
  socket.pushEvent("inc", {});
  t.mock.timers.tick(5); // out
  t.mock.timers.tick(2); // the server
  env.clock.extra = 0.4;
  ws.receive({ ref: 1, ops: [], timing: TIMING });
  t.mock.timers.tick(5); // in
  const lines = debug.mock.calls.map((call) => call.arguments);
  assert.deepEqual(lines.at(-1), [
    `pylive reply ref=1 "inc": 12.4 ms round trip (${SERVER})`,
  ]);
  assert.deepEqual(lines.at(-2), ["pylive in (delayed 5 ms)", { ref: 1, ops: [], timing: TIMING }]);
  assert.equal(socket.latency.trips.size, 0);

  // Without the simulator: the time from the send to the reply.
  socket.latency.disable();
  socket.pushEvent("dec", {});
  t.mock.timers.tick(3);
  ws.receive({ ref: 2, timing: TIMING });
  assert.deepEqual(debug.mock.calls.at(-1)?.arguments, [
    `pylive reply ref=2 "dec": 3.0 ms round trip (${SERVER})`,
  ]);
});

timed("no timing log without debug; a reply to an event sent before debug has no trip", (t) => {
  const debug = t.mock.method(console, "debug", () => {});
  const { socket, current } = joinedPage();
  const ws = current();
  socket.pushEvent("inc", {});
  assert.equal(socket.latency.trips.size, 0);
  ws.receive({ ref: 1, timing: TIMING });
  assert.equal(debug.mock.callCount(), 0);

  socket.pushEvent("inc", {});
  socket.setDebug(true);
  ws.receive({ ref: 2, timing: TIMING });
  assert.deepEqual(debug.mock.calls.at(-1)?.arguments, [`pylive reply ref=2 (${SERVER})`]);

  // A reply without timing forgets its trip all the same, and logs no timing line.
  socket.pushEvent("inc", {});
  assert.equal(socket.latency.trips.size, 1);
  ws.receive({ ref: 3, reply: {} });
  assert.equal(socket.latency.trips.size, 0);
  assert.deepEqual(debug.mock.calls.at(-1)?.arguments, ["pylive in", { ref: 3, reply: {} }]);
});

timed("the trips kept for the log are bounded: the oldest goes past 1000", (t) => {
  t.mock.method(console, "debug", () => {});
  const { socket } = joinedPage();
  socket.setDebug(true);
  for (let i = 0; i < 1001; i += 1) socket.send({ type: "event", kind: "click", event: "x" });
  assert.equal(socket.latency.trips.size, 1000);
  assert.equal(socket.latency.trips.has(1), false);
  assert.equal(socket.latency.trips.has(2), true);
  assert.equal(socket.latency.trips.has(1001), true);
  socket.send({ type: "hb" }); // not an event: no trip
  assert.equal(socket.latency.trips.has(1002), false);
});

timed("a reply on a new socket does not match a trip of the old one's same ref", (t) => {
  const debug = t.mock.method(console, "debug", () => {});
  const { socket, current } = joinedPage();
  socket.setDebug(true);
  socket.pushEvent("old", {}).catch(() => {});
  current().drop(1006);
  t.mock.timers.tick(10);
  current().open();
  current().receive({ ref: 0, tree: [] });
  current().receive({ ref: 1, timing: TIMING });
  assert.deepEqual(debug.mock.calls.at(-1)?.arguments, [`pylive reply ref=1 (${SERVER})`]);
  socket.pushEvent("new", {});
  current().receive({ ref: 1, timing: TIMING });
  assert.match(String(debug.mock.calls.at(-1)?.arguments[0]), /^pylive reply ref=1 "new": /);
  socket.disconnect();
});
