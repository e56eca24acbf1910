// Run the browser-rule vectors (tests/vectors/browser_rules.json) with client.js in jsdom, for
// js/test/vectors.test.mjs; tests/test_browser_rules.py runs the same cases through
// pylive.testing. Each case is a view's HTML (XML syntax, so attribute names keep their case on
// the way to the wire), a user action and the exact frames the client must send.

import { readFileSync } from "node:fs";

import { JSDOM } from "jsdom";

import { joinedPage } from "./live.mjs";

export const VECTORS = new URL("../tests/vectors/browser_rules.json", import.meta.url);

/**
 * @typedef {object} Action
 * @property {string} do  click, keydown, keyup, focus, blur, submit, change, window_keydown or
 *   window_keyup
 * @property {string} [on]  a selector: the element acted on
 * @property {string} [key]  a key event's `key`
 * @property {string} [submitter]  a submit's submitter (a selector)
 * @property {string | boolean | string[]} [value]  what a change sets the control to
 */
/**
 * @typedef {object} Vector
 * @property {string} name
 * @property {string} rule
 * @property {string} html
 * @property {Action | Action[]} action  one action, or steps done in order
 * @property {any[]} frames
 * @property {boolean} [refused]
 */

/** @returns {Vector[]} */
export function loadVectors() {
  return JSON.parse(readFileSync(VECTORS, "utf8")).cases;
}

const parser = new new JSDOM("").window.DOMParser();

/**
 * The wire nodes of a case's HTML: `[tag, attrs, children]`, text as strings.
 * @param {string} html
 * @returns {any[]}
 */
export function wiresOf(html) {
  const doc = parser.parseFromString(`<view>${html}</view>`, "application/xml");
  const error = doc.getElementsByTagName("parsererror")[0];
  if (error !== undefined) throw new Error(`not well-formed XML: ${error.textContent}\n${html}`);
  return Array.from(doc.documentElement.childNodes, wire);
}

/**
 * @param {Node} node
 * @returns {any}
 */
function wire(node) {
  if (node.nodeType !== 1) return /** @type {Text} */ (node).data;
  const el = /** @type {Element} */ (node);
  /** @type {Record<string, string>} */
  const attrs = {};
  for (const attr of Array.from(el.attributes)) attrs[attr.name] = attr.value;
  return [el.localName, attrs, Array.from(el.childNodes, wire)];
}

/**
 * Join a page holding the case's HTML, do its action (or each of its steps) as a user would,
 * then let the client's due timers run (`tick`: what a reset sends goes once the browser has
 * reset the form), the server answering every event after each step with an empty reply, as
 * the test client's server does; return the frames client.js sent.
 * @param {Vector} vector
 * @param {() => void} [tick]  runs the timers due now (the test's mocked clock)
 * @returns {any[]}
 */
export function runVector(vector, tick = () => {}) {
  const page = joinedPage(wiresOf(vector.html));
  const steps = Array.isArray(vector.action) ? vector.action : [vector.action];
  let answered = 0;
  for (const action of steps) {
    act(page, action);
    tick();
    const sent = page.current().sent;
    for (; answered < sent.length; answered++) {
      page.current().receive({ ref: sent[answered].ref });
    }
  }
  return page.current().sent;
}

/**
 * Do `action` on the page as a user would.
 * @param {ReturnType<typeof joinedPage>} page
 * @param {Action} action
 */
function act(page, action) {
  const { document, window } = page;
  const find = (/** @type {string | undefined} */ selector) => {
    const found = document.querySelectorAll(selector ?? "");
    if (found.length !== 1) throw new Error(`${selector} matches ${found.length} elements`);
    return /** @type {any} */ (found[0]);
  };
  /**
   * @param {EventTarget} target
   * @param {string} type
   */
  const press = (target, type) => {
    target.dispatchEvent(new window.KeyboardEvent(type, { key: action.key, bubbles: true }));
  };
  switch (action.do) {
    case "click":
      find(action.on).click();
      break;
    case "keydown":
    case "keyup":
      press(find(action.on), action.do);
      break;
    case "window_keydown":
    case "window_keyup":
      press(document.body, action.do.slice("window_".length));
      break;
    case "focus":
      find(action.on).focus();
      break;
    case "blur":
      find(action.on).focus();
      find(action.on).blur();
      break;
    case "submit": {
      const form = find(action.on);
      if (action.submitter === undefined) form.requestSubmit();
      else form.requestSubmit(find(action.submitter));
      break;
    }
    case "change": {
      const control = find(action.on);
      setValue(control, action.value);
      control.dispatchEvent(new window.Event("input", { bubbles: true }));
      break;
    }
    default:
      throw new Error(`unknown action ${JSON.stringify(action)}`);
  }
}

/** HTML's valid floating-point number: what a number input's value may hold. */
const FLOAT = /^-?(\d+|\d*\.\d+)([eE][-+]?\d+)?$/;

/**
 * Set a control as a user would before its `input` event: a checkbox or radio (un)checked, a
 * select's options (a list for a multiple select), any other control's text. Text typed into a
 * number input that is no number yet ("1e", "-") makes its value "" and its
 * `validity.badInput` true, as a browser does (jsdom sanitizes the value but knows no bad input).
 * @param {any} control
 * @param {string | boolean | string[] | undefined} value
 */
function setValue(control, value) {
  if (value === undefined) return;
  if (typeof value === "boolean") control.checked = value;
  else if (Array.isArray(value)) {
    for (const option of control.options) option.selected = value.includes(option.value);
  } else {
    control.value = value;
    if (control.type === "number") {
      const badInput = value !== "" && !FLOAT.test(value);
      Object.defineProperty(control, "validity", { configurable: true, value: { badInput } });
    }
  }
}
