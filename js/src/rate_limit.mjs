// @ts-check
/**
 * `phx-debounce` and `phx-throttle`, LiveView's semantics without its known edge-case bugs:
 *
 * - `phx-debounce="300"` sends once the element has been quiet for 300 ms (empty: 300; `"0"`:
 *   every event at once, as the in-process test client does); the
 *   pending send goes at once when the element loses focus or its form is submitted (before the
 *   submit, in order), and never after the element has left the page.
 * - `phx-debounce="blur"` sends when the element loses focus, once, and only if its value
 *   changed since it was last sent (or rendered).
 * - `phx-throttle="500"` sends the first event at once and drops repeats for 500 ms (empty:
 *   300; a click is leading-edge only); for an input the last value of the interval is sent when it ends, so the
 *   final value is never lost.
 */

import { DEFAULT_DEBOUNCE_MS, PHX_DEBOUNCE, PHX_THROTTLE } from "./constants.mjs";

/**
 * One element's limiter for one kind of event.
 * @typedef {object} Limiter
 * @property {Element} el
 * @property {(() => void) | null} pending  the send waiting, if any
 * @property {ReturnType<typeof setTimeout> | null} timer
 * @property {number} until  throttle: repeats before this time (ms) are held back
 * @property {string | null} sent  blur debounce: the value last sent
 */

/** @type {WeakMap<Element, Map<string, Limiter>>} */
const LIMITERS = new WeakMap();
/** Every limiter with a pending send, in the order they were first held. */
const waiting = /** @type {Set<Limiter>} */ (new Set());

/**
 * Send now, later or never, as `rules`' `phx-debounce`/`phx-throttle` say (the first of
 * `rules` that has one: a control, then its form). Without either, `send` runs now.
 * @param {Element[]} rules  the elements whose attributes decide, in order of precedence
 * @param {Element} el  the element the events come from (its value, its focus)
 * @param {string} kind  the event kind: each kind of each element is limited on its own
 * @param {() => void} send
 */
export function limit(rules, el, kind, send) {
  const holder = rules.find((r) => r.hasAttribute(PHX_DEBOUNCE) || r.hasAttribute(PHX_THROTTLE));
  if (holder === undefined) {
    send();
    return;
  }
  const limiter = limiterOf(el, kind);
  const debounce = holder.getAttribute(PHX_DEBOUNCE);
  if (debounce !== null) {
    hold(limiter, send);
    if (debounce === "blur") return;
    const ms = debounce === "" ? DEFAULT_DEBOUNCE_MS : milliseconds(debounce, holder, PHX_DEBOUNCE);
    if (limiter.timer !== null) clearTimeout(limiter.timer);
    limiter.timer = null;
    if (ms === 0) release(limiter); // no quiet to wait for: each event goes, in order
    else limiter.timer = setTimeout(() => release(limiter), ms);
    return;
  }
  const throttle = /** @type {string} */ (holder.getAttribute(PHX_THROTTLE));
  const ms = throttle === "" ? DEFAULT_DEBOUNCE_MS : milliseconds(throttle, holder, PHX_THROTTLE);
  const now = Date.now();
  if (now >= limiter.until) {
    limiter.until = now + ms;
    send();
    if (hasValue(el)) limiter.timer = setTimeout(() => trail(limiter, ms), ms);
  } else if (hasValue(el)) {
    hold(limiter, send); // an input's last value in the interval goes when it ends
  }
}

/**
 * `el` lost the focus: its pending debounced sends go now (a `"blur"` one only if the value
 * changed since it was last sent).
 * @param {Element} el
 */
export function blurred(el) {
  const limiters = LIMITERS.get(el);
  if (limiters === undefined) return;
  for (const limiter of limiters.values()) {
    if (limiter.pending === null || limiter.until > 0) continue; // throttles keep their pace
    if (el.getAttribute(PHX_DEBOUNCE) === "blur" || formDebounce(el) === "blur") {
      if (valueOf(el) === limiter.sent) {
        drop(limiter);
        continue;
      }
    }
    release(limiter);
  }
}

/**
 * `form` is submitted: every send pending for an element in it goes now, in order.
 * @param {Element} form
 */
export function flushWithin(form) {
  for (const limiter of [...waiting]) {
    if (form.contains(limiter.el)) release(limiter);
  }
}

// -- helpers -------------------------------------------------------------------------------------

/**
 * @param {Element} el
 * @param {string} kind
 * @returns {Limiter}
 */
function limiterOf(el, kind) {
  let limiters = LIMITERS.get(el);
  if (limiters === undefined) LIMITERS.set(el, (limiters = new Map()));
  let limiter = limiters.get(kind);
  if (limiter === undefined) {
    limiter = { el, pending: null, timer: null, until: 0, sent: initialValue(el) };
    limiters.set(kind, limiter);
  }
  return limiter;
}

/**
 * @param {Limiter} limiter
 * @param {() => void} send
 */
function hold(limiter, send) {
  limiter.pending = send;
  waiting.add(limiter);
}

/** @param {Limiter} limiter  send what it holds, now (not once it left the page) */
function release(limiter) {
  const send = limiter.pending;
  drop(limiter);
  if (send === null || !limiter.el.isConnected) return;
  limiter.sent = valueOf(limiter.el);
  send();
}

/** @param {Limiter} limiter */
function drop(limiter) {
  if (limiter.timer !== null && limiter.until === 0) clearTimeout(limiter.timer);
  if (limiter.until === 0) limiter.timer = null;
  limiter.pending = null;
  waiting.delete(limiter);
}

/**
 * A throttle interval ended: send the value held meanwhile, which starts a new interval.
 * @param {Limiter} limiter
 * @param {number} ms
 */
function trail(limiter, ms) {
  limiter.timer = null;
  if (limiter.pending === null) {
    limiter.until = 0;
    return;
  }
  const send = limiter.pending;
  limiter.pending = null;
  waiting.delete(limiter);
  if (!limiter.el.isConnected) return;
  limiter.until = Date.now() + ms;
  send();
  limiter.timer = setTimeout(() => trail(limiter, ms), ms);
}

/**
 * @param {string} text
 * @param {Element} el
 * @param {string} attribute
 * @returns {number}
 */
function milliseconds(text, el, attribute) {
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms < 0) {
    console.error(`pylive: ${attribute}=${JSON.stringify(text)} on ${el.localName}: expected milliseconds (or "blur")`);
    return DEFAULT_DEBOUNCE_MS;
  }
  return ms;
}

/**
 * @param {Element} el
 * @returns {boolean}  whether `el` has a value the user edits (its last one must not be lost)
 */
function hasValue(el) {
  return "value" in el && el.localName !== "button";
}

/**
 * @param {Element} el
 * @returns {string | null}
 */
function valueOf(el) {
  return hasValue(el) ? String(/** @type {HTMLInputElement} */ (el).value) : null;
}

/**
 * The value `el` was rendered with: a blur-debounced field that comes back to it sends nothing.
 * @param {Element} el
 * @returns {string | null}
 */
function initialValue(el) {
  if (!hasValue(el)) return null;
  const control = /** @type {HTMLInputElement} */ (el);
  return typeof control.defaultValue === "string" ? control.defaultValue : valueOf(el);
}

/**
 * @param {Element} el
 * @returns {string | null}  the phx-debounce of `el`'s form, if any
 */
function formDebounce(el) {
  const form = /** @type {HTMLInputElement} */ (el).form ?? null;
  return form === null ? null : form.getAttribute(PHX_DEBOUNCE);
}
