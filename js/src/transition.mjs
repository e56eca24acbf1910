// @ts-check
/**
 * CSS transitions as JS commands run them, LiveView's way: a transition is three class lists —
 * applied for its whole time, at its start, at its end. The start classes go and the end classes
 * come on the next animation frame, so the browser sees both states and animates between them;
 * after `time` milliseconds all of them go. Blocking transitions hold server patches back until
 * they end (`afterTransitions`).
 */

/** @typedef {[string[], string[], string[]]} Transition  (classes for the whole time, start, end) */

let blocking = 0;
/** @type {Array<() => void>} */
let waiting = [];

/**
 * Run `transition` on `el` for `time` ms; `onEnd` runs when it is over (every class removed).
 * @param {Element} el
 * @param {Transition} transition
 * @param {number} time
 * @param {{ blocking?: boolean, onStart?: () => void, onEnd?: () => void }} [options]
 */
export function runTransition(el, transition, time, options = {}) {
  const [during, start, end] = transition;
  const holds = options.blocking !== false;
  if (holds) blocking += 1;
  el.classList.add(...during, ...start);
  options.onStart?.();
  nextFrame(el, () => {
    el.classList.remove(...start);
    el.classList.add(...end);
  });
  setTimeout(() => {
    el.classList.remove(...during, ...end);
    options.onEnd?.();
    if (holds) ended();
  }, time);
}

/** Whether a blocking transition is running. */
export function transitionsRunning() {
  return blocking > 0;
}

/**
 * Run `fn` once no blocking transition is running (now, if none is).
 * @param {() => void} fn
 */
export function afterTransitions(fn) {
  if (blocking === 0) fn();
  else waiting.push(fn);
}

function ended() {
  blocking -= 1;
  if (blocking > 0) return;
  const ready = waiting;
  waiting = [];
  for (const fn of ready) fn();
}

/**
 * Run `fn` after the browser has painted the current state (two animation frames; a timeout
 * where there are no frames).
 * @param {Element} el
 * @param {() => void} fn
 */
function nextFrame(el, fn) {
  const win = el.ownerDocument.defaultView;
  if (win && typeof win.requestAnimationFrame === "function") {
    win.requestAnimationFrame(() => win.requestAnimationFrame(fn));
  } else {
    setTimeout(fn, 0);
  }
}
