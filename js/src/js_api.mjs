// @ts-check
/**
 * LiveView's `js()` API, as hooks (`this.js()`) and pages (`window.pylive.js()`) call it: one
 * method per JS command, on an element, with LiveView's argument names, turned into pylive.JS's
 * wire form (`[kind, args]`) and run by js_commands.mjs's `exec_<kind>` handlers. What the
 * commands do is therefore sticky (sticky.mjs), exactly as a `phx-click` chain's effects are.
 */

import { parseJS } from "./js_commands.mjs";

/** @import { Command } from "./js_commands.mjs" */

/** @typedef {Record<string, any>} Options  a method's options, LiveView's names */

/**
 * LiveView's `js()` API on elements. Transitions are `"classes"` (for the whole time) or
 * `[during, start, end]` (each a string or a list of class names); class names a string or a list.
 * @typedef {object} JsApi
 * @property {(el: Element, opts?: Options) => void} show  `{display, transition, time, blocking}`
 * @property {(el: Element, opts?: Options) => void} hide  `{transition, time, blocking}`
 * @property {(el: Element, opts?: Options) => void} toggle  `{display, in, out, time, blocking}`
 * @property {(el: Element, names: string | string[], opts?: Options) => void} addClass
 *   `{transition, time, blocking}`, as for removeClass and toggleClass
 * @property {(el: Element, names: string | string[], opts?: Options) => void} removeClass
 * @property {(el: Element, names: string | string[], opts?: Options) => void} toggleClass
 * @property {(el: Element, transition: unknown, opts?: Options) => void} transition
 *   `{time, blocking}`
 * @property {(el: Element, name: string, value: string) => void} setAttribute
 * @property {(el: Element, name: string) => void} removeAttribute
 * @property {(el: Element, name: string, first: string, second?: string) => void} toggleAttribute
 * @property {(el: Element, event: string, opts?: Options) => void} push
 *   `{value, target, loading, page_loading}`
 * @property {(href: string, opts?: { replace?: boolean }) => void} navigate
 * @property {(href: string, opts?: { replace?: boolean }) => void} patch
 */

/**
 * The `js()` API: each method runs one JS command (pylive.JS's `[kind, args]`) on an element,
 * through `run`, so what it does is kept by the sticky layer across patches exactly as a
 * `phx-click` chain's effects are.
 * @param {(el: Element, ops: Command[]) => number} run
 * @param {() => Element} source  the element `navigate` and `patch` run from
 * @returns {JsApi}
 */
export function jsApi(run, source) {
  /**
   * @param {Element} el
   * @param {string} kind
   * @param {Record<string, unknown>} args
   */
  const one = (el, kind, args) => {
    run(el, [[kind, defined(args)]]);
  };
  /** @param {Record<string, any>} opts */
  const timing = (opts) => ({ time: opts.time, blocking: opts.blocking });
  return {
    show: (el, opts = {}) =>
      one(el, "show", {
        display: opts.display,
        transition: transitionOf(opts.transition),
        ...timing(opts),
      }),
    hide: (el, opts = {}) =>
      one(el, "hide", { transition: transitionOf(opts.transition), ...timing(opts) }),
    toggle: (el, opts = {}) =>
      one(el, "toggle", {
        display: opts.display,
        ins: transitionOf(opts.in),
        outs: transitionOf(opts.out),
        ...timing(opts),
      }),
    addClass: (el, names, opts = {}) => one(el, "add_class", classArgs(names, opts)),
    removeClass: (el, names, opts = {}) => one(el, "remove_class", classArgs(names, opts)),
    toggleClass: (el, names, opts = {}) => one(el, "toggle_class", classArgs(names, opts)),
    transition: (el, transition, opts = {}) =>
      one(el, "transition", { transition: transitionOf(transition), ...timing(opts) }),
    setAttribute: (el, name, value) => one(el, "set_attribute", { attr: [name, value] }),
    removeAttribute: (el, name) => one(el, "remove_attribute", { attr: name }),
    toggleAttribute: (el, name, first, second) =>
      one(el, "toggle_attribute", {
        attr: second === undefined ? [name, first] : [name, first, second],
      }),
    push: (el, event, opts = {}) =>
      one(el, "push", {
        event,
        value: opts.value,
        target: opts.target,
        loading: opts.loading,
        page_loading: opts.page_loading,
      }),
    navigate: (href, opts = {}) =>
      one(source(), "navigate", { href, replace: opts.replace === true }),
    patch: (href, opts = {}) => one(source(), "patch", { href, replace: opts.replace === true }),
  };
}

/**
 * Run an encoded chain (a `JS(...)` rendered into an attribute) with `el` as its source.
 * @param {(el: Element, ops: Command[]) => number} run
 * @param {Element} el
 * @param {string} encoded
 */
export function execEncoded(run, el, encoded) {
  const ops = parseJS(encoded);
  if (ops === null) {
    const got = JSON.stringify(encoded);
    throw new SyntaxError(`pylive: exec: expected an encoded JS chain, got ${got}`);
  }
  run(el, ops);
}

/**
 * `args` without its undefined entries (the handlers tell absent from given).
 * @param {Record<string, unknown>} args
 * @returns {Record<string, unknown>}
 */
function defined(args) {
  return Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
}

/**
 * @param {string | string[]} names
 * @param {Record<string, any>} opts
 */
function classArgs(names, opts) {
  return {
    names: classList(names),
    transition: transitionOf(opts.transition),
    time: opts.time,
    blocking: opts.blocking,
  };
}

/**
 * @param {unknown} names  `"a b"` or `["a", "b"]`
 * @returns {string[]}
 */
function classList(names) {
  if (typeof names === "string") return names.split(/\s+/).filter(Boolean);
  if (Array.isArray(names) && names.every((name) => typeof name === "string")) return names;
  const got = JSON.stringify(names);
  throw new TypeError(`pylive: expected class names (a string or a list of strings), got ${got}`);
}

/**
 * A transition as LiveView's `js()` takes it — `"classes"` (for its whole time) or
 * `[during, start, end]` — in the command's wire form, three class lists.
 * @param {unknown} transition
 * @returns {string[][] | undefined}
 */
function transitionOf(transition) {
  if (transition === undefined || transition === null) return undefined;
  if (typeof transition === "string") return [classList(transition), [], []];
  if (Array.isArray(transition) && transition.length === 3) return transition.map(classList);
  const got = JSON.stringify(transition);
  const expected = 'a transition ("classes" or [during, start, end])';
  throw new TypeError(`pylive: expected ${expected}, got ${got}`);
}
