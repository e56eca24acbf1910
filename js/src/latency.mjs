// @ts-check
/**
 * The time frames take: the latency simulator, which holds every frame out (before the
 * websocket sends it) and every frame in (before the client handles it) for a one-way delay
 * kept for the tab, as Phoenix LiveView's `enableLatencySim` does; and, with debug on, the log
 * line of an event's round trip next to the server's timing of it.
 *
 * - Frames keep their order each way: one FIFO per direction, never one timer per frame.
 * - A new delay (or `disable`) applies to frames from then on; frames already held keep theirs,
 *   and a frame never overtakes one held ahead of it.
 * - Opening and closing the socket are not frames and are not delayed; a frame still held when
 *   its socket closes is dropped (the socket's job: it checks at delivery).
 * - The round trip is the one the user feels: from `send` (before the outbound delay) to the
 *   reply's handling (after the inbound delay).
 */

/** @import { TabStorage } from "./browser.mjs" */

/** Sent events remembered for their round trip at most; past it the oldest is forgotten. */
const MAX_TRIPS = 1000;

/**
 * What a frame's delivery is told: how long the simulator held it (ms, rounded), or null when
 * it went through at once.
 * @typedef {(held: number | null) => void} Deliver
 */
/**
 * A frame waiting: when it is due, since when it waits, and what delivers it.
 * @typedef {object} Held
 * @property {number} due
 * @property {number} since
 * @property {Deliver} deliver
 */
/**
 * A sent event waiting for its reply: the socket it went out on, when, and its name.
 * @typedef {object} Trip
 * @property {object} ws
 * @property {number} sent
 * @property {string} event
 */
/**
 * The server's timing of an event (`App(debug=True)`), in µs.
 * @typedef {object} Timing
 * @property {number} callback
 * @property {number} render
 * @property {number} diff
 */

/**
 * One direction's frames held in order: a frame is delivered when it is due and never before
 * the frames ahead of it (its due time is at least theirs), so frames keep their order when the
 * delay changes. One timer, for the head of the queue.
 */
class Queue {
  /** @param {() => number} now */
  constructor(now) {
    this.now = now;
    /** @type {Held[]} */
    this.held = [];
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    this.flushing = false;
  }

  /**
   * Deliver a frame after `ms`: at once (synchronously) when nothing waits and `ms` is null
   * or 0, otherwise after the frames already waiting.
   * @param {number | null} ms
   * @param {Deliver} deliver
   */
  push(ms, deliver) {
    if (this.held.length === 0 && !ms) {
      deliver(null);
      return;
    }
    const now = this.now();
    const last = this.held[this.held.length - 1];
    const due = Math.max(now + (ms ?? 0), last === undefined ? now : last.due);
    this.held.push({ due, since: now, deliver });
    if (this.timer === null && !this.flushing) this.schedule();
  }

  schedule() {
    const head = this.held[0];
    this.timer = setTimeout(() => this.flush(), Math.max(0, head.due - this.now()));
  }

  /** The head's timer fired: deliver it, and every frame after it that is due by now. */
  flush() {
    this.timer = null;
    this.flushing = true;
    try {
      for (let first = true; this.held.length > 0; first = false) {
        const head = this.held[0];
        const now = this.now();
        if (!first && head.due > now) break; // the head's own timer is not held to the clock
        this.held.shift();
        try {
          head.deliver(Math.round(now - head.since));
        } catch (error) {
          console.error(error); // one frame's failure does not hold up the ones behind it
        }
      }
    } finally {
      this.flushing = false;
    }
    if (this.held.length > 0) this.schedule();
  }
}

/**
 * The latency simulator of one live socket, and its round-trip log. `ms` is the one-way delay,
 * null when off; it starts from the tab's stored value.
 */
export class Latency {
  /**
   * @param {TabStorage} tab
   * @param {() => number} [now]  the clock, in ms (default: `performance.now()`)
   */
  constructor(tab, now = () => performance.now()) {
    this.tab = tab;
    this.now = now;
    /** @type {number | null} */
    this.ms = tab.latencySim;
    this.outgoing = new Queue(now);
    this.incoming = new Queue(now);
    /** @type {Map<number, Trip>} ref → the event sent with it */
    this.trips = new Map();
    if (this.ms !== null) warnOn(this.ms);
  }

  /**
   * Hold every frame, out and in, for `ms` from now on (frames already held keep their delay);
   * kept for the tab.
   * @param {unknown} ms  a non-negative finite number of milliseconds
   */
  enable(ms) {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw new TypeError(
        "pylive.enableLatencySim: expected a non-negative finite number of milliseconds, " +
          `got ${shown(ms)}`,
      );
    }
    this.ms = ms;
    this.tab.setLatencySim(ms);
    warnOn(ms);
  }

  /** Stop holding new frames (frames already held keep their delay); kept for the tab. */
  disable() {
    this.ms = null;
    this.tab.setLatencySim(null);
    console.warn("pylive: latency simulator off");
  }

  /**
   * A frame to send: `deliver` sends it, after the delay.
   * @param {Deliver} deliver
   */
  out(deliver) {
    this.outgoing.push(this.ms, deliver);
  }

  /**
   * A frame received: `deliver` handles it, after the delay.
   * @param {Deliver} deliver
   */
  in(deliver) {
    this.incoming.push(this.ms, deliver);
  }

  /**
   * An event frame goes out on `ws` (before the simulated delay): remember when, for the round
   * trip of its reply.
   * @param {object} ws
   * @param {{ ref: number, event?: unknown }} frame
   */
  sent(ws, frame) {
    if (typeof frame.event !== "string") return;
    this.trips.delete(frame.ref);
    if (this.trips.size >= MAX_TRIPS) this.trips.delete(this.trips.keys().next().value ?? -1);
    this.trips.set(frame.ref, { ws, sent: this.now(), event: frame.event });
  }

  /**
   * A frame came in on `ws` and is handled now (after the simulated delay): forget the event
   * its ref answers. Gives the log line of its round trip and server timing, when it carries
   * `timing`; null otherwise.
   * @param {object} ws
   * @param {{ ref?: unknown, timing?: unknown }} frame
   * @returns {string | null}
   */
  replied(ws, frame) {
    const ref = frame.ref;
    if (typeof ref !== "number") return null;
    const trip = this.trips.get(ref);
    if (trip !== undefined && trip.ws === ws) this.trips.delete(ref);
    const timing = frame.timing;
    if (timing === null || typeof timing !== "object") return null;
    const { callback, render, diff } = /** @type {Timing} */ (timing);
    const server = `server: callback ${callback} µs, render ${render} µs, diff ${diff} µs`;
    if (trip === undefined || trip.ws !== ws) return `pylive reply ref=${ref} (${server})`;
    const ms = (this.now() - trip.sent).toFixed(1);
    return `pylive reply ref=${ref} ${JSON.stringify(trip.event)}: ${ms} ms round trip (${server})`;
  }
}

/** @param {number} ms */
function warnOn(ms) {
  console.warn(
    `pylive: latency simulator on: ${ms} ms each way (pylive.disableLatencySim() to stop)`,
  );
}

/**
 * `value` as an error message shows it.
 * @param {unknown} value
 * @returns {string}
 */
function shown(value) {
  if (typeof value === "number" || value === undefined || typeof value === "bigint") {
    return String(value);
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
