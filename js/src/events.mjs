// @ts-check
/**
 * Events from the page to the server: one delegated listener per event type on the document
 * (and the window, for `phx-window-*`), the payload rules (`phx-value-*`, an element's value,
 * `phx-key`) and the routing rules (`phx-target`), as LiveView's client has them.
 */

import {
  CID_PATTERN,
  PAGE_LOADING_START,
  PAGE_LOADING_STOP,
  PHX_BLUR,
  PHX_CHANGE,
  PHX_CLICK,
  PHX_CLICK_AWAY,
  PHX_COMPONENT,
  PHX_DISABLE_WITH,
  PHX_FOCUS,
  PHX_KEY,
  PHX_KEYDOWN,
  PHX_KEYUP,
  PHX_SUBMIT,
  PHX_TARGET,
  PHX_VALUE_PREFIX,
  PHX_WINDOW_BLUR,
  PHX_WINDOW_FOCUS,
  PHX_WINDOW_KEYDOWN,
  PHX_WINDOW_KEYUP,
} from "./constants.mjs";
import { NotConnected, TargetError } from "./errors.mjs";
import {
  controlPayload,
  forgetUsed,
  formOf,
  formPayload,
  isControl,
  isUnfinished,
  markSubmitted,
  markUsed,
  noteResetClick,
  rememberSubmitter,
  resetButtonOf,
  serializeForm,
} from "./forms.mjs";
import { execJS, isVisible, parseJS } from "./js_commands.mjs";
import { blurred, flushWithin, limit } from "./rate_limit.mjs";
import { bindDrop } from "./uploads/drop.mjs";
import {
  isUploadInput,
  recoveredEntries,
  storeOf,
  uploadInputs,
  wireUploads,
} from "./uploads/entries.mjs";
import { chooseFiles, holdSubmit, isHeld } from "./uploads/transfer.mjs";

/** @import { JsContext, Navigate } from "./js_commands.mjs" */

/** @import { FormPairs } from "./forms.mjs" */
/** @import { WireEntry } from "./uploads/entries.mjs" */
/** @import { UploadView } from "./uploads/transfer.mjs" */

/** @typedef {number | null} Target  where an event frame goes: a component's cid, null: the view */
/**
 * @typedef {object} PushOptions
 * @property {Element[]} [els]  get `phx-<kind>-loading` until every reply
 * @property {Element | null} [source]  ignores clicks and submits until every reply
 * @property {string} [target]  a form event's changed field (`_target`)
 * @property {Element[]} [disable]  show their `phx-disable-with` text, disabled, until every reply
 * @property {HTMLFormElement} [lock]  a submitting form: locked (readonly, disabled) until every
 *   reply; frames are held meanwhile, and its controls take the server's values on the last
 * @property {Record<string, WireEntry[]>} [uploads]  the entries of files chosen (a change's
 *   `"uploads"` key)
 */
/**
 * What events need of a view (view.mjs's `View` is one): its container, whether it is joined,
 * whether an element still waits for a reply, and a way to send an event to targets.
 * @typedef {object} EventView
 * @property {HTMLElement} el
 * @property {boolean} joined
 * @property {(el: Element) => boolean} isWaiting
 * @property {Navigate} navigate  JS `navigate` / `patch`: live, or a page load
 * @property {(
 *   targets: Target[],
 *   kind: string,
 *   event: string,
 *   value: Record<string, unknown> | FormPairs,
 *   options?: PushOptions,
 * ) => Promise<Array<Record<string, unknown>>>} pushTo
 * @property {(kind: string, options: PushOptions) => () => void} prepare  loading states of a
 *   submit that waits for its files, until the function it returns is called
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
 * when checked) or a button, option or data element with a value attribute, unless
 * `phx-value-value` set one.
 * @param {Element} el
 * @returns {Record<string, string>}
 */
function elementValue(el) {
  const value = phxValues(el);
  const input = /** @type {HTMLInputElement} */ (el);
  const unchecked = (input.type === "checkbox" || input.type === "radio") && !input.checked;
  const valued = el.localName === "button" || el.localName === "option" || el.localName === "data";
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
export function componentOf(view, el) {
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
 * Send an event from the DOM to the targets of `el` (and `holder`, see `eventTargets`), or to
 * `target` when given (a JS push's own: a cid or a selector); a failure is logged, never thrown
 * at the page. The promise settles once every reply came (or the event was not sent).
 * @param {EventView} view
 * @param {Element} el  the element whose `phx-target` decides where the event goes
 * @param {Element | null} holder
 * @param {string} kind
 * @param {string} event
 * @param {Record<string, unknown> | FormPairs} value
 * @param {PushOptions} options
 * @param {unknown} [target]
 * @returns {Promise<void>}
 */
function pushFromDom(view, el, holder, kind, event, value, options, target = undefined) {
  /** @type {Target[]} */
  let targets;
  try {
    targets =
      target === undefined ? eventTargets(view, el, holder) : resolveTargets(view, String(target));
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}: the ${kind} event is not sent`);
    return Promise.resolve();
  }
  return view.pushTo(targets, kind, event, value, options).then(
    () => {},
    (error) => {
      if (!(error instanceof NotConnected)) console.error(error);
    },
  );
}

/**
 * What a JS chain run by a binding of `kind` on an element needs: `push` sends its event as the
 * binding would (the binding's payload `base` with the command's `value` over it, to the
 * command's `target` or else where the element's `phx-target` says), `navigate` navigates.
 * @param {EventView} view
 * @param {string} kind
 * @param {Element | null} holder  the form of a control (its `phx-target` applies)
 * @param {Record<string, unknown> | FormPairs} base
 * @param {PushOptions} options
 * @returns {JsContext}
 */
function jsContext(view, kind, holder, base, options) {
  return {
    push(source, args) {
      const extra = args.value ?? {};
      const value = Array.isArray(base)
        ? [...base, ...Object.entries(extra).map(([k, v]) => [k, String(v)])]
        : { ...base, ...extra };
      // The binding's elements get the loading class, or the source an `exec` ran the chain on.
      const els = options.els?.includes(source) ? [...options.els] : [source];
      if (typeof args.loading === "string") {
        els.push(...Array.from(source.ownerDocument.querySelectorAll(args.loading)));
      }
      const win = source.ownerDocument.defaultView;
      const loading = args.page_loading === true && win !== null;
      const detail = { kind: "element", target: source };
      if (loading) win.dispatchEvent(new win.CustomEvent(PAGE_LOADING_START, { detail }));
      const opts = { ...options, els };
      const sent = pushFromDom(view, source, holder, kind, args.event, value, opts, args.target);
      if (loading) {
        sent.finally(() => win.dispatchEvent(new win.CustomEvent(PAGE_LOADING_STOP, { detail })));
      }
    },
    navigate: (href, replace, kind) => view.navigate(href, replace, kind),
  };
}

/**
 * A binding fired on `el`: its value is an event name (sent as `pushFromDom` sends it) or a JS
 * chain (run, its pushes sending as the binding would). Returns the milliseconds the chain's
 * transitions last.
 * @param {EventView} view
 * @param {Element} el
 * @param {Element | null} holder
 * @param {string} kind
 * @param {string} binding  the binding's value
 * @param {Record<string, unknown> | FormPairs} value  the payload of the binding's event
 * @param {PushOptions} options
 * @returns {number}
 */
function runBinding(view, el, holder, kind, binding, value, options) {
  let ops;
  try {
    ops = parseJS(binding);
  } catch (error) {
    console.error(error);
    return 0;
  }
  if (ops === null) {
    pushFromDom(view, el, holder, kind, binding, value, options);
    return 0;
  }
  return execJS(jsContext(view, kind, holder, value, options), el, ops);
}

/**
 * Run the JS (or send the event) that `el`'s attribute `attribute` holds, as the view's life
 * asks (`phx-mounted`, `phx-remove`, `phx-connected`, `phx-disconnected`): a push sends a
 * `hook` event with `el`'s `phx-value-*`. Returns the milliseconds its transitions last.
 * @param {EventView} view
 * @param {Element} el
 * @param {string} attribute
 * @returns {number}
 */
export function runAttribute(view, el, attribute) {
  const binding = el.getAttribute(attribute);
  if (!binding) return 0;
  return runBinding(view, el, null, "hook", binding, phxValues(el), { els: [el] });
}

/**
 * Run the JS chain `ops` with `el` as its source, as a hook's `js()` does: a push sends a
 * `hook` event with `el`'s `phx-value-*`, where `el`'s `phx-target` (or the push's) says.
 * Returns the milliseconds its transitions last.
 * @param {EventView} view
 * @param {Element} el
 * @param {import("./js_commands.mjs").Command[]} ops
 * @returns {number}
 */
export function runJS(view, el, ops) {
  return execJS(jsContext(view, "hook", null, phxValues(el), { els: [el] }), el, ops);
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
  /** @type {Element | null} where the pointer went down: a drag out is no click away */
  let pressed = null;
  on(doc, "mousedown", (e) => (pressed = targetElement(e)));
  on(doc, "click", (e) => {
    // Click-away first, as LiveView does: a button outside a closed menu that opens it must
    // not see its menu closed again by the same click.
    onClickAway(views(), targetElement(e), pressed);
    pressed = null;
    onClick(viewFor, e);
    noteResetClick(targetElement(e)); // the reset it makes names this button as its _target
  });
  on(doc, "submit", (e) => onSubmit(viewFor, e));
  on(doc, "reset", (e) => onReset(viewFor, e));
  on(doc, "input", (e) => onInput(viewFor, e));
  bindDrop(doc, on, (input, files) => {
    const view = viewFor(input);
    if (view !== null) chooseUploads(view, input, files);
  });
  on(doc, "focusin", (e) => {
    const el = targetElement(e);
    if (isControl(el) && viewFor(el) !== null) markUsed(el); // "used": no _unused_ marker
    onFocus(viewFor, e, "focus", PHX_FOCUS);
  });
  on(doc, "focusout", (e) => {
    const el = targetElement(e);
    if (el !== null) blurred(el); // a debounced change goes before the blur
    onFocus(viewFor, e, "blur", PHX_BLUR);
  });
  on(win, "focus", (e) => e.target === win && onWindow(views(), "focus", PHX_WINDOW_FOCUS));
  on(win, "blur", (e) => e.target === win && onWindow(views(), "blur", PHX_WINDOW_BLUR));
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
  const options = { els: [el], source: el, disable: disabling([el]) };
  limit([el], el, "click", () => {
    runBinding(view, el, null, "click", event, elementValue(el), options);
  });
}

/**
 * `phx-click-away`: every visible element holding it whose inside the click neither started
 * nor ended in runs it (before the click's own `phx-click`, which it never stops).
 * @param {EventView[]} views
 * @param {Element | null} clicked
 * @param {Element | null} pressed
 */
function onClickAway(views, clicked, pressed) {
  for (const view of views) {
    if (!view.joined) continue;
    for (const el of Array.from(view.el.querySelectorAll(`[${PHX_CLICK_AWAY}]`))) {
      if ((clicked && el.contains(clicked)) || (pressed && el.contains(pressed))) continue;
      if (!isVisible(el)) continue;
      const binding = /** @type {string} */ (el.getAttribute(PHX_CLICK_AWAY));
      if (binding) runBinding(view, el, null, "click", binding, phxValues(el), { els: [el] });
    }
  }
}

/**
 * `phx-window-focus` / `phx-window-blur`: the window gained or lost the focus.
 * @param {EventView[]} views
 * @param {"focus" | "blur"} kind
 * @param {string} binding
 */
function onWindow(views, kind, binding) {
  for (const view of views) {
    if (!view.joined) continue;
    for (const el of Array.from(view.el.querySelectorAll(`[${binding}]`))) {
      const value = /** @type {string} */ (el.getAttribute(binding));
      if (value) runBinding(view, el, null, kind, value, phxValues(el), { els: [el] });
    }
  }
}

/**
 * The elements of `els` that have `phx-disable-with`.
 * @param {Iterable<Element>} els
 * @returns {Element[]}
 */
function disabling(els) {
  return Array.from(els).filter((el) => el.hasAttribute(PHX_DISABLE_WITH));
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
  if (view.isWaiting(form) || isHeld(/** @type {any} */ (view), form)) return;
  flushWithin(form); // a pending debounced change of this form goes first
  const submitter = /** @type {HTMLElement | null} */ (e.submitter ?? null);
  markSubmitted(form); // every field counts as used from now on
  rememberSubmitter(form, submitter); // for its phx-trigger-action
  const els = submitter ? [form, submitter] : [form];
  const value = serializeForm(form, submitter);
  const disable = disabling(form.querySelectorAll(`[${PHX_DISABLE_WITH}]`));
  if (submitter && submitter.hasAttribute(PHX_DISABLE_WITH) && !disable.includes(submitter)) {
    disable.push(submitter);
  }
  const options = { els, source: form, disable, lock: form };
  const send = () => runBinding(view, form, null, "submit", event, value, options);
  // Files chosen and not sent yet go first; the submit waits until every one is in.
  const uploading = /** @type {UploadView} */ (/** @type {any} */ (view));
  const hold = () => view.prepare("submit", options); // loading states while files go
  if (!holdSubmit(uploading, form, send, hold)) send();
}

/**
 * `phx-change` on an input (only its own field) or its form (every field), with `_target`.
 * @param {ViewFor} viewFor
 * @param {Event} e
 */
function onInput(viewFor, e) {
  const control = e.target;
  if (isUploadInput(control)) {
    const view = viewFor(control);
    if (view !== null) chooseUploads(view, control, Array.from(control.files ?? []));
    return;
  }
  if (!isControl(control)) return;
  const view = viewFor(control);
  const form = formOf(control);
  const own = control.getAttribute(PHX_CHANGE);
  const event = own ?? form?.getAttribute(PHX_CHANGE);
  if (view === null || !event || isUnfinished(control)) return;
  markUsed(control); // the user changed it (an input event without focus: autofill, a script)
  const els = form === null ? [control] : [control, form];
  const options = { els, target: control.name || undefined };
  const rules = form === null ? [control] : [control, form];
  limit(rules, control, "change", () => {
    // The fields as they are when the change goes (a debounced one sends the last value).
    const value = own !== null || form === null ? controlPayload(control) : formPayload(form);
    // A control's own phx-change goes where its phx-target says, else where its form's does;
    // the form's phx-change goes where the form's phx-target says.
    if (own !== null) runBinding(view, control, form, "change", event, value, options);
    else if (form !== null) runBinding(view, form, null, "change", event, value, options);
  });
}

/**
 * A form was reset (a reset button, or `form.reset()`): its pending debounced changes go first,
 * as they were typed; once the browser has reset its controls (after the `reset` event, so a
 * timer), unless a listener cancelled the reset, no control of it counts as used any more and
 * the form's `phx-change` goes with every field (their values after the reset, each with its
 * `_unused_*` marker), `_target` the name of the reset button (LiveView's rule).
 * @param {ViewFor} viewFor
 * @param {Event} e
 */
function onReset(viewFor, e) {
  const form = /** @type {HTMLFormElement} */ (e.target);
  const view = viewFor(form);
  if (form?.localName !== "form" || view === null) return;
  const button = resetButtonOf(form);
  flushWithin(form);
  setTimeout(() => {
    if (e.defaultPrevented || !form.isConnected) return; // nothing was reset
    forgetUsed(form);
    const event = form.getAttribute(PHX_CHANGE);
    if (!event) return;
    const els = button === null ? [form] : [button, form];
    const options = { els, target: button?.name || undefined };
    runBinding(view, form, null, "change", event, formPayload(form), options);
  }, 0);
}

/**
 * Files were chosen for the upload config of `input` (picked, dropped, or a hook's `upload`):
 * each gets an entry, and the form's `phx-change` (or the input's own) goes with every field,
 * `_target` the input's name, and the entries in its `"uploads"` key.
 * @param {EventView} view
 * @param {HTMLInputElement} input
 * @param {File[]} files
 */
export function chooseUploads(view, input, files) {
  const entries = chooseFiles(/** @type {UploadView} */ (/** @type {any} */ (view)), input, files);
  const form = formOf(input);
  const own = input.getAttribute(PHX_CHANGE);
  const event = own ?? form?.getAttribute(PHX_CHANGE);
  const uploads = wireUploads(entries);
  if (uploads === null) return;
  if (!event) {
    const where = input.id ? `#${input.id}` : JSON.stringify(input.name);
    const why = `needs a ${PHX_CHANGE} on its form: files not sent`;
    console.error(`pylive: the file input ${where} ${why}`);
    return;
  }
  const els = form === null ? [input] : [input, form];
  const options = { els, target: input.name || undefined, uploads };
  const value = own !== null || form === null ? controlPayload(input) : formPayload(form);
  if (own !== null) runBinding(view, input, form, "change", event, value, options);
  else if (form !== null) runBinding(view, form, null, "change", event, value, options);
}

/**
 * A hook's `upload(name, files)` / `uploadTo(target, name, files)`: `files` chosen for the
 * upload config whose file input is named `name` in `root`.
 * @param {EventView} view
 * @param {ParentNode} root
 * @param {string} name
 * @param {Iterable<File>} files
 */
export function uploadFiles(view, root, name, files) {
  const input = uploadInputs(root).find((each) => each.name === name);
  if (input === undefined) {
    throw new TypeError(`pylive: upload: no file input of an upload named ${JSON.stringify(name)}`);
  }
  chooseUploads(view, input, Array.from(files));
}

/**
 * Send a change event as a form's (or a control's own) phx-change does, without `_target`: for
 * form recovery. `binding` is an event name or a JS chain; `el`'s phx-target (else `holder`'s)
 * says where it goes.
 * @param {EventView} view
 * @param {Element} el
 * @param {Element | null} holder
 * @param {string} binding
 * @param {FormPairs} value
 */
export function pushChange(view, el, holder, binding, value) {
  /** @type {PushOptions} */
  const options = { els: [el] };
  if (el.localName === "form") {
    // The files chosen in it, under the same refs: their transfers resume.
    const entries = recoveredEntries(storeOf(view), uploadInputs(el));
    const uploads = wireUploads(entries);
    if (uploads !== null) options.uploads = uploads;
  }
  runBinding(view, el, holder, "change", binding, value, options);
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
  runBinding(view, el, null, kind, event, elementValue(el), { els: [el] });
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
  const value = { key: e.key, ...elementValue(el) };
  limit([el], el, kind, () => runBinding(view, el, null, kind, event, value, { els: [el] }));
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
      const value = { key: e.key, ...phxValues(el) };
      limit([el], el, kind, () => runBinding(view, el, null, kind, event, value, { els: [el] }));
    }
  }
}
