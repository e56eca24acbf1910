// @ts-check
/**
 * Events from the page to the server: one delegated listener per event type on the document
 * (and the window, for `phx-window-*`), the payload rules (`phx-value-*`, an element's value,
 * `phx-key`) and the routing rules (`phx-target`), as LiveView's client has them.
 */

import {
  CID_PATTERN,
  PHX_BLUR,
  PHX_CHANGE,
  PHX_CLICK,
  PHX_COMPONENT,
  PHX_FOCUS,
  PHX_KEY,
  PHX_KEYDOWN,
  PHX_KEYUP,
  PHX_SUBMIT,
  PHX_TARGET,
  PHX_VALUE_PREFIX,
  PHX_WINDOW_KEYDOWN,
  PHX_WINDOW_KEYUP,
} from "./constants.mjs";
import { NotConnected, TargetError } from "./errors.mjs";
import { controlPairs, formOf, isControl, isUnfinished, serializeForm } from "./forms.mjs";

/** @import { FormPairs } from "./forms.mjs" */

/** @typedef {number | null} Target  where an event frame goes: a component's cid, null: the view */
/**
 * @typedef {object} PushOptions
 * @property {Element[]} [els]  get `phx-<kind>-loading` until every reply
 * @property {Element | null} [source]  ignores clicks and submits until every reply
 * @property {string} [target]  a form event's changed field (`_target`)
 */
/**
 * What events need of a view (view.mjs's `View` is one): its container, whether it is joined,
 * whether an element still waits for a reply, and a way to send an event to targets.
 * @typedef {object} EventView
 * @property {HTMLElement} el
 * @property {boolean} joined
 * @property {(el: Element) => boolean} isWaiting
 * @property {(
 *   targets: Target[],
 *   kind: string,
 *   event: string,
 *   value: Record<string, unknown> | FormPairs,
 *   options?: PushOptions,
 * ) => Promise<Array<Record<string, unknown>>>} pushTo
 */
/** @typedef {(el: Element | null) => EventView | null} ViewFor  the view holding `el`, if any */

/** Each key event type, with its binding on an element and its binding on the window. */
const KEY_BINDINGS = /** @type {const} */ ([
  ["keydown", PHX_KEYDOWN, PHX_WINDOW_KEYDOWN],
  ["keyup", PHX_KEYUP, PHX_WINDOW_KEYUP],
]);

// -- payloads ------------------------------------------------------------------------------------

/**
 * The `phx-value-*` attributes of `el` as an object (`phx-value-by="2"` → `{by: "2"}`).
 * @param {Element} el
 * @returns {Record<string, string>}
 */
function phxValues(el) {
  /** @type {Record<string, string>} */
  const value = {};
  for (const attr of Array.from(el.attributes)) {
    if (attr.name.startsWith(PHX_VALUE_PREFIX)) {
      value[attr.name.slice(PHX_VALUE_PREFIX.length)] = attr.value;
    }
  }
  return value;
}

/**
 * The payload of a click, focus, blur or key event on `el`: its `phx-value-*` (names lowercased,
 * as the DOM keeps them), plus `value` for an input, select or textarea (a checkbox or radio only
 * when checked) or a button or option with a value attribute, unless `phx-value-value` set one.
 * @param {Element} el
 * @returns {Record<string, string>}
 */
function elementValue(el) {
  const value = phxValues(el);
  const input = /** @type {HTMLInputElement} */ (el);
  const unchecked = (input.type === "checkbox" || input.type === "radio") && !input.checked;
  const valued = el.localName === "button" || el.localName === "option";
  const has = isControl(el) || (valued && el.hasAttribute("value"));
  if (has && !unchecked && !("value" in value)) value.value = input.value;
  return value;
}

/**
 * Whether `el`'s `phx-key` (if any) names `key`, ignoring case.
 * @param {Element} el
 * @param {string} key
 * @returns {boolean}
 */
function keyMatches(el, key) {
  const wanted = el.getAttribute(PHX_KEY);
  return wanted === null || wanted.toLowerCase() === key.toLowerCase();
}

/**
 * The element an event happened on (a text node's parent element).
 * @param {Event} e
 * @returns {Element | null}
 */
function targetElement(e) {
  const node = /** @type {Node | null} */ (e.target);
  if (node === null || typeof node.nodeType !== "number") return null;
  return node.nodeType === 1 ? /** @type {Element} */ (node) : node.parentElement;
}

// -- targets -------------------------------------------------------------------------------------

/**
 * The cid of the component `el` belongs to: its closest `[data-phx-component]` ancestor-or-self
 * in the view; null when it belongs to the view itself.
 * @param {EventView} view
 * @param {Element} el
 * @returns {Target}
 */
function componentOf(view, el) {
  let node = el.closest(`[${PHX_COMPONENT}]`);
  while (node !== null && node !== view.el && view.el.contains(node)) {
    const cid = node.getAttribute(PHX_COMPONENT) ?? "";
    if (CID_PATTERN.test(cid)) return Number(cid);
    node = node.parentElement?.closest(`[${PHX_COMPONENT}]`) ?? null;
  }
  return null;
}

/**
 * Where an event goes, by a `phx-target` value, as LiveView's client decides; one frame per
 * entry. No target: the view (`[null]`), even from inside a component. An integer
 * (`phx_target=assigns.myself`): that component. Any other value is a CSS selector, matched in
 * the document: each element it matches in the view sends the event to its own component (the
 * closest `[data-phx-component]`), or to the view when it is in none; each target gets the
 * event once, in document order.
 * Throws a `TargetError` for an integer that names no component of the page, or a selector
 * that is invalid or matches nothing in the view: the event would go nowhere.
 * @param {EventView} view
 * @param {string | null} target
 * @returns {Target[]}
 */
export function resolveTargets(view, target) {
  if (target === null) return [null];
  const text = target.trim();
  const shown = JSON.stringify(target);
  if (CID_PATTERN.test(text)) {
    if (view.el.querySelector(`[${PHX_COMPONENT}="${text}"]`) === null) {
      const why = "no component with that id is in the page";
      throw new TargetError(`pylive: ${PHX_TARGET}=${shown}: ${why}`);
    }
    return [Number(text)];
  }
  /** @type {Element[]} */
  let matched;
  try {
    matched = Array.from(view.el.ownerDocument.querySelectorAll(text));
  } catch {
    const why = "is neither a component id nor a selector";
    throw new TargetError(`pylive: ${PHX_TARGET}=${shown} ${why}`);
  }
  const inView = matched.filter((el) => view.el.contains(el));
  if (inView.length === 0) {
    throw new TargetError(`pylive: ${PHX_TARGET}=${shown} matches no element of the view`);
  }
  return [...new Set(inView.map((el) => componentOf(view, el)))];
}

/**
 * Where an event from `el` goes: its `phx-target`, else `holder`'s (the form of a control).
 * @param {EventView} view
 * @param {Element} el
 * @param {Element | null} [holder]
 * @returns {Target[]}
 */
function eventTargets(view, el, holder = null) {
  const target = el.getAttribute(PHX_TARGET) ?? holder?.getAttribute(PHX_TARGET) ?? null;
  return resolveTargets(view, target);
}

/**
 * Send an event from the DOM to the targets of `el` (and `holder`, see `eventTargets`); a
 * failure is logged, never thrown at the page.
 * @param {EventView} view
 * @param {Element} el  the element whose `phx-target` decides where the event goes
 * @param {Element | null} holder
 * @param {string} kind
 * @param {string} event
 * @param {Record<string, unknown> | FormPairs} value
 * @param {PushOptions} options
 */
function pushFromDom(view, el, holder, kind, event, value, options) {
  /** @type {Target[]} */
  let targets;
  try {
    targets = eventTargets(view, el, holder);
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}: the ${kind} event is not sent`);
    return;
  }
  view.pushTo(targets, kind, event, value, options).catch((error) => {
    if (!(error instanceof NotConnected)) console.error(error);
  });
}

// -- delegation ----------------------------------------------------------------------------------

/**
 * Event delegation: one listener per event type on the document (and window, for
 * `phx-window-*`), finding the binding from the event's target.
 * @param {Window} win
 * @param {ViewFor} viewFor
 * @param {() => EventView[]} views
 * @returns {() => void}  removes the listeners
 */
export function bindDocument(win, viewFor, views) {
  const doc = win.document;
  /** @type {Array<() => void>} */
  const undo = [];
  /**
   * @param {EventTarget} target
   * @param {string} type
   * @param {(e: any) => void} handler
   */
  const on = (target, type, handler) => {
    target.addEventListener(type, handler);
    undo.push(() => target.removeEventListener(type, handler));
  };
  on(doc, "click", (e) => onClick(viewFor, e));
  on(doc, "submit", (e) => onSubmit(viewFor, e));
  on(doc, "input", (e) => onInput(viewFor, e));
  on(doc, "focusin", (e) => onFocus(viewFor, e, "focus", PHX_FOCUS));
  on(doc, "focusout", (e) => onFocus(viewFor, e, "blur", PHX_BLUR));
  for (const [kind, binding, windowBinding] of KEY_BINDINGS) {
    on(doc, kind, (e) => onKey(viewFor, e, kind, binding));
    on(win, kind, (e) => onWindowKey(views(), e, kind, windowBinding));
  }
  return () => undo.forEach((fn) => fn());
}

/**
 * `phx-click` on the closest element that has it; ignored while that element waits.
 * @param {ViewFor} viewFor
 * @param {MouseEvent} e
 */
function onClick(viewFor, e) {
  const el = targetElement(e)?.closest(`[${PHX_CLICK}]`) ?? null;
  const view = viewFor(el);
  if (el === null || view === null) return;
  if (el.getAttribute("href") === "#") e.preventDefault();
  const event = el.getAttribute(PHX_CLICK);
  if (!event || view.isWaiting(el)) return;
  pushFromDom(view, el, null, "click", event, elementValue(el), { els: [el], source: el });
}

/**
 * `phx-submit`: no HTTP submit; the fields (with the submitter's) go to the server.
 * @param {ViewFor} viewFor
 * @param {SubmitEvent} e
 */
function onSubmit(viewFor, e) {
  const form = /** @type {HTMLFormElement} */ (e.target);
  const event = form.getAttribute?.(PHX_SUBMIT);
  if (!event || viewFor(form) === null) return;
  e.preventDefault();
  const view = /** @type {EventView} */ (viewFor(form));
  if (view.isWaiting(form)) return;
  const submitter = /** @type {HTMLElement | null} */ (e.submitter ?? null);
  const els = submitter ? [form, submitter] : [form];
  const value = serializeForm(form, submitter);
  pushFromDom(view, form, null, "submit", event, value, { els, source: form });
}

/**
 * `phx-change` on an input (only its own field) or its form (every field), with `_target`.
 * @param {ViewFor} viewFor
 * @param {Event} e
 */
function onInput(viewFor, e) {
  const control = e.target;
  if (!isControl(control)) return;
  const view = viewFor(control);
  const form = formOf(control);
  const own = control.getAttribute(PHX_CHANGE);
  const event = own ?? form?.getAttribute(PHX_CHANGE);
  if (view === null || !event || isUnfinished(control)) return;
  const value = own !== null || form === null ? controlPairs(control) : serializeForm(form);
  const els = form === null ? [control] : [control, form];
  const options = { els, target: control.name || undefined };
  // A control's own phx-change goes where its phx-target says, else where its form's does; the
  // form's phx-change goes where the form's phx-target says.
  if (own !== null) pushFromDom(view, control, form, "change", event, value, options);
  else if (form !== null) pushFromDom(view, form, null, "change", event, value, options);
}

/**
 * `phx-focus` / `phx-blur` on the element that gained or lost focus.
 * @param {ViewFor} viewFor
 * @param {FocusEvent} e
 * @param {"focus" | "blur"} kind
 * @param {string} binding  `phx-focus` or `phx-blur`
 */
function onFocus(viewFor, e, kind, binding) {
  const el = targetElement(e);
  const event = el?.getAttribute(binding);
  const view = viewFor(el ?? null);
  if (!el || !event || view === null) return;
  pushFromDom(view, el, null, kind, event, elementValue(el), { els: [el] });
}

/**
 * `phx-keydown` / `phx-keyup` on the closest element that has it, filtered by `phx-key`.
 * @param {ViewFor} viewFor
 * @param {KeyboardEvent} e
 * @param {string} kind
 * @param {string} binding  `phx-keydown` or `phx-keyup`
 */
function onKey(viewFor, e, kind, binding) {
  if (typeof e.key !== "string") return; // autofill sends key events without a key
  const el = targetElement(e)?.closest(`[${binding}]`) ?? null;
  const view = viewFor(el);
  if (el === null || view === null || !keyMatches(el, e.key)) return;
  const event = /** @type {string} */ (el.getAttribute(binding));
  pushFromDom(view, el, null, kind, event, { key: e.key, ...elementValue(el) }, { els: [el] });
}

/**
 * `phx-window-keydown` / `phx-window-keyup`: every binding in the view hears every key its
 * `phx-key` names, wherever the focus is.
 * @param {EventView[]} views
 * @param {KeyboardEvent} e
 * @param {string} kind
 * @param {string} binding  `phx-window-keydown` or `phx-window-keyup`
 */
function onWindowKey(views, e, kind, binding) {
  if (typeof e.key !== "string") return;
  for (const view of views) {
    if (!view.joined) continue;
    for (const el of Array.from(view.el.querySelectorAll(`[${binding}]`))) {
      const event = el.getAttribute(binding);
      if (!event || !keyMatches(el, e.key)) continue;
      pushFromDom(view, el, null, kind, event, { key: e.key, ...phxValues(el) }, { els: [el] });
    }
  }
}
