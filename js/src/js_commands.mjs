// @ts-check
/**
 * `pylive.JS` chains in the browser: a binding whose value starts with `[` holds
 * `[[kind, args], …]`, and each command runs, in order, in its `exec_<kind>` handler, with no
 * round trip unless it is a `push`. Display, classes and attributes the commands set are sticky
 * (sticky.mjs): server patches keep them. What a command needs of the view — sending an event,
 * leaving the page — comes in a `JsContext`, so this module knows nothing of events or sockets.
 */

import { DEFAULT_TRANSITION_MS, JS_COMMANDS } from "./constants.mjs";
import { ignoreAttrs, stickAttr, stickClass, stickDisplay } from "./sticky.mjs";
import { runTransition } from "./transition.mjs";

/** @import { Transition } from "./transition.mjs" */

/** @typedef {[string, Record<string, any>]} Command  one `[kind, args]` of a chain */
/**
 * What a chain needs of the page around it.
 * @typedef {object} JsContext
 * @property {(source: Element, args: Record<string, any>) => void} push  sends `args.event`
 * @property {Navigate} navigate  `navigate` and `patch`
 */
/**
 * A JS `navigate` (another view) or `patch` (the same view) to `href`: live when it can be.
 * @typedef {(href: string, replace: boolean, kind: "navigate" | "patch") => void} Navigate
 */
/**
 * A handler: runs one command on `source`; returns the milliseconds its transitions last.
 * @typedef {(ctx: JsContext, source: Element, args: Record<string, any>) => number | Promise<void>} Handler
 */

/** Elements `push_focus` saved, for `pop_focus`. */
const focusStack = /** @type {Element[]} */ ([]);

/**
 * The chain a binding's value holds, or null when it holds an event name.
 * Throws a `SyntaxError` naming the value when it starts like a chain and is none.
 * @param {string | null} value
 * @returns {Command[] | null}
 */
export function parseJS(value) {
  if (value === null || !value.startsWith("[")) return null;
  const ops = JSON.parse(value);
  const valid =
    Array.isArray(ops) &&
    ops.every(
      (op) =>
        Array.isArray(op) &&
        op.length === 2 &&
        typeof op[0] === "string" &&
        op[1] !== null &&
        typeof op[1] === "object",
    );
  if (!valid) throw new SyntaxError(`pylive: not a JS command chain: ${value}`);
  return ops;
}

/**
 * Run `ops` with `source` as the element they came from. Returns the milliseconds until every
 * transition they started has ended (a `phx-remove` waits that long). A blocking `dispatch`
 * holds the commands after it until its listener calls `event.detail.done()`.
 * An unknown kind is logged and skipped; the others run.
 * @param {JsContext} ctx
 * @param {Element} source
 * @param {Command[]} ops
 * @returns {number}
 */
export function execJS(ctx, source, ops) {
  let longest = 0;
  for (let index = 0; index < ops.length; index++) {
    const [kind, args] = ops[index];
    const handler = Object.hasOwn(HANDLERS, kind) ? HANDLERS[kind] : undefined;
    if (handler === undefined) {
      console.error(`pylive: unknown JS command ${JSON.stringify(kind)}; expected one of ${JS_COMMANDS.join(", ")}`);
      continue;
    }
    const result = handler(ctx, source, args);
    if (typeof result === "number") {
      longest = Math.max(longest, result);
    } else {
      const rest = ops.slice(index + 1);
      result.then(() => execJS(ctx, source, rest));
      break;
    }
  }
  return longest;
}

// -- targets -------------------------------------------------------------------------------------

/**
 * The elements a command acts on: `to` (a selector in the document), or a scope — `{inner}`
 * (under the source), `{closest}` (its closest ancestor-or-self), `{document}` — or the source.
 * @param {Element} source
 * @param {string | Record<string, string> | undefined} to
 * @returns {Element[]}
 */
export function targetsOf(source, to) {
  if (to === undefined || to === null) return [source];
  const doc = source.ownerDocument;
  try {
    if (typeof to === "string") return Array.from(doc.querySelectorAll(to));
    if (typeof to.inner === "string") return Array.from(source.querySelectorAll(to.inner));
    if (typeof to.closest === "string") {
      const found = source.closest(to.closest);
      return found === null ? [] : [found];
    }
    if (typeof to.document === "string") return Array.from(doc.querySelectorAll(to.document));
  } catch {
    console.error(`pylive: JS command target ${JSON.stringify(to)} is not a valid selector`);
    return [];
  }
  console.error(`pylive: JS command target ${JSON.stringify(to)}: expected a selector or a scope`);
  return [];
}

// -- visibility ----------------------------------------------------------------------------------

/**
 * Whether `el` is shown: neither it nor an ancestor is `display: none` or `hidden`.
 * @param {Element} el
 * @returns {boolean}
 */
export function isVisible(el) {
  const win = el.ownerDocument.defaultView;
  for (let node = /** @type {Element | null} */ (el); node !== null; node = node.parentElement) {
    if (node.hasAttribute("hidden")) return false;
    if (win !== null && win.getComputedStyle(node).display === "none") return false;
  }
  return true;
}

// -- the handlers: exec_<kind> -------------------------------------------------------------------

/** @type {Handler} */
function exec_push(ctx, source, args) {
  ctx.push(source, args);
  return 0;
}

/** @type {Handler} */
function exec_dispatch(_ctx, source, args) {
  const targets = targetsOf(source, args.to);
  const win = source.ownerDocument.defaultView;
  if (win === null) return 0;
  const detail = { ...(args.detail ?? {}) };
  /** @type {Array<Promise<void>>} */
  const holds = [];
  for (const el of targets) {
    if (args.blocking) {
      holds.push(new Promise((resolve) => (detail.done = () => resolve(undefined))));
    }
    const bubbles = args.bubbles !== false;
    el.dispatchEvent(new win.CustomEvent(args.event, { detail, bubbles, cancelable: true }));
  }
  return args.blocking && holds.length > 0 ? Promise.all(holds).then(() => {}) : 0;
}

/** @type {Handler} */
function exec_show(_ctx, source, args) {
  return showAll(targetsOf(source, args.to), true, args);
}

/** @type {Handler} */
function exec_hide(_ctx, source, args) {
  return showAll(targetsOf(source, args.to), false, args);
}

/** @type {Handler} */
function exec_toggle(_ctx, source, args) {
  let longest = 0;
  for (const el of targetsOf(source, args.to)) {
    const showing = !isVisible(el);
    const transition = showing ? args.ins : args.outs;
    const time = showAll([el], showing, { ...args, transition });
    longest = Math.max(longest, time);
  }
  return longest;
}

/** @type {Handler} */
function exec_add_class(_ctx, source, args) {
  return classes(targetsOf(source, args.to), args, () => true);
}

/** @type {Handler} */
function exec_remove_class(_ctx, source, args) {
  return classes(targetsOf(source, args.to), args, () => false);
}

/** @type {Handler} */
function exec_toggle_class(_ctx, source, args) {
  return classes(targetsOf(source, args.to), args, (el, name) => !el.classList.contains(name));
}

/** @type {Handler} */
function exec_transition(_ctx, source, args) {
  const time = timeOf(args);
  for (const el of targetsOf(source, args.to)) {
    runTransition(el, transitionOf(args.transition), time, { blocking: args.blocking });
  }
  return time;
}

/** @type {Handler} */
function exec_set_attribute(_ctx, source, args) {
  const [name, value] = args.attr;
  for (const el of targetsOf(source, args.to)) stickAttr(el, name, value);
  return 0;
}

/** @type {Handler} */
function exec_remove_attribute(_ctx, source, args) {
  for (const el of targetsOf(source, args.to)) stickAttr(el, args.attr, null);
  return 0;
}

/** @type {Handler} */
function exec_toggle_attribute(_ctx, source, args) {
  const [name, first, second] = args.attr;
  for (const el of targetsOf(source, args.to)) {
    if (second === undefined) {
      stickAttr(el, name, el.hasAttribute(name) ? null : first);
    } else {
      stickAttr(el, name, el.getAttribute(name) === first ? second : first);
    }
  }
  return 0;
}

/** @type {Handler} */
function exec_ignore_attributes(_ctx, source, args) {
  for (const el of targetsOf(source, args.to)) ignoreAttrs(el, args.attrs);
  return 0;
}

/** @type {Handler} */
function exec_focus(_ctx, source, args) {
  const [el] = targetsOf(source, args.to);
  if (el !== undefined) focusLater(el);
  return 0;
}

/** @type {Handler} */
function exec_focus_first(_ctx, source, args) {
  const [el] = targetsOf(source, args.to);
  const first = el === undefined ? null : firstFocusable(el);
  if (first !== null) focusLater(first);
  return 0;
}

/** @type {Handler} */
function exec_push_focus(_ctx, source, args) {
  const el = args.to === undefined ? source.ownerDocument.activeElement : targetsOf(source, args.to)[0];
  if (el) focusStack.push(el);
  return 0;
}

/** @type {Handler} */
function exec_pop_focus() {
  const el = focusStack.pop();
  if (el !== undefined) focusLater(el);
  return 0;
}

/** @type {Handler} */
function exec_navigate(ctx, _source, args) {
  ctx.navigate(args.href, args.replace === true, "navigate");
  return 0;
}

/** @type {Handler} */
function exec_patch(ctx, _source, args) {
  ctx.navigate(args.href, args.replace === true, "patch");
  return 0;
}

/** @type {Handler} */
function exec_exec(ctx, source, args) {
  let longest = 0;
  for (const el of targetsOf(source, args.to)) {
    const value = el.getAttribute(args.attr);
    if (value === null) {
      console.error(`pylive: JS exec: ${el.localName}#${el.id} has no ${args.attr} attribute`);
      continue;
    }
    try {
      const ops = parseJS(value) ?? [["push", { event: value }]];
      longest = Math.max(longest, execJS(ctx, el, /** @type {Command[]} */ (ops)));
    } catch (error) {
      console.error(error);
    }
  }
  return longest;
}

/**
 * Every handler by kind, in `JS_COMMANDS`' order (a test checks that the two list the same).
 * @type {Record<string, Handler>}
 */
export const HANDLERS = Object.freeze({
  push: exec_push,
  dispatch: exec_dispatch,
  show: exec_show,
  hide: exec_hide,
  toggle: exec_toggle,
  add_class: exec_add_class,
  remove_class: exec_remove_class,
  toggle_class: exec_toggle_class,
  transition: exec_transition,
  set_attribute: exec_set_attribute,
  remove_attribute: exec_remove_attribute,
  toggle_attribute: exec_toggle_attribute,
  ignore_attributes: exec_ignore_attributes,
  focus: exec_focus,
  focus_first: exec_focus_first,
  push_focus: exec_push_focus,
  pop_focus: exec_pop_focus,
  navigate: exec_navigate,
  patch: exec_patch,
  exec: exec_exec,
});

// -- helpers -------------------------------------------------------------------------------------

/**
 * Show (or hide) `els`, through a transition when `args` has one; LiveView's `phx:show-start`,
 * `phx:show-end` (`hide-…`) events fire on each element around it.
 * @param {Element[]} els
 * @param {boolean} showing
 * @param {Record<string, any>} args
 * @returns {number}
 */
function showAll(els, showing, args) {
  const time = args.transition ? timeOf(args) : 0;
  const display = showing ? (args.display ?? "block") : "none";
  const phase = showing ? "show" : "hide";
  for (const el of els) {
    if (isVisible(el) === showing) continue;
    announce(el, `phx:${phase}-start`);
    if (!args.transition) {
      stickDisplay(el, display);
      announce(el, `phx:${phase}-end`);
      continue;
    }
    if (showing) stickDisplay(el, display);
    runTransition(el, transitionOf(args.transition), time, {
      blocking: args.blocking,
      onEnd: () => {
        if (!showing) stickDisplay(el, display);
        announce(el, `phx:${phase}-end`);
      },
    });
  }
  return time;
}

/**
 * Add or remove each of `args.names` on `els` (`present` decides per element and name), after
 * `args.transition` when it has one.
 * @param {Element[]} els
 * @param {Record<string, any>} args
 * @param {(el: Element, name: string) => boolean} present
 * @returns {number}
 */
function classes(els, args, present) {
  const names = /** @type {string[]} */ (args.names);
  if (!args.transition) {
    for (const el of els) for (const name of names) stickClass(el, name, present(el, name));
    return 0;
  }
  const time = timeOf(args);
  for (const el of els) {
    const wanted = names.map((name) => /** @type {const} */ ([name, present(el, name)]));
    runTransition(el, transitionOf(args.transition), time, {
      blocking: args.blocking,
      onStart: () => wanted.forEach(([name, on]) => stickClass(el, name, on)),
    });
  }
  return time;
}

/**
 * @param {Record<string, any>} args
 * @returns {number}
 */
function timeOf(args) {
  return typeof args.time === "number" ? args.time : DEFAULT_TRANSITION_MS;
}

/**
 * @param {unknown} value  `[[during…], [start…], [end…]]`
 * @returns {Transition}
 */
function transitionOf(value) {
  const [during = [], start = [], end = []] = /** @type {string[][]} */ (value);
  return [during, start, end];
}

/**
 * @param {Element} el
 * @param {string} name
 */
function announce(el, name) {
  const win = el.ownerDocument.defaultView;
  if (win !== null) el.dispatchEvent(new win.CustomEvent(name, { bubbles: true }));
}

/**
 * Focus `el` once the current event is done (focusing during a click would be undone by it).
 * @param {Element} el
 */
function focusLater(el) {
  const target = /** @type {HTMLElement} */ (el);
  target.focus();
  setTimeout(() => {
    if (target.isConnected && target.ownerDocument.activeElement !== target) target.focus();
  }, 0);
}

const FOCUSABLE =
  "a[href], area[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
  "select:not([disabled]), textarea:not([disabled]), iframe, [tabindex]:not([tabindex='-1']), " +
  "[contenteditable]:not([contenteditable='false'])";

/**
 * The first element under `el` that takes the keyboard focus, in document order.
 * @param {Element} el
 * @returns {Element | null}
 */
function firstFocusable(el) {
  for (const candidate of Array.from(el.querySelectorAll(FOCUSABLE))) {
    if (isVisible(candidate)) return candidate;
  }
  return null;
}
