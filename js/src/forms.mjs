// @ts-check
/**
 * Reading forms as the browser would submit them: which targets are controls, the `[name, value]`
 * pairs of a whole form or of one control, and when a change is not worth sending yet.
 */

import { CSRF_FIELD, UNUSED_PREFIX } from "./constants.mjs";

/** @typedef {Array<[string, string]>} FormPairs  `[name, value]` pairs, in the browser's order */
/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Control */

/**
 * Whether `target` is a form control: an input, a select or a textarea.
 * @param {EventTarget | null} target
 * @returns {target is Control}
 */
export function isControl(target) {
  const tag = /** @type {Element | null} */ (target)?.localName;
  return tag === "input" || tag === "select" || tag === "textarea";
}

/**
 * The fields of `form` as the browser would submit them (FormData order): unchecked boxes and
 * disabled fields absent, the submitter's name and value included. Files are not sent.
 * @param {HTMLFormElement} form
 * @param {HTMLElement | null} [submitter]
 * @returns {FormPairs}
 */
export function serializeForm(form, submitter = null) {
  const FormDataClass = form.ownerDocument.defaultView?.FormData ?? FormData;
  let data;
  try {
    data = submitter ? new FormDataClass(form, submitter) : new FormDataClass(form);
  } catch {
    data = new FormDataClass(form); // a submitter that is not a submit button of this form
  }
  /** @type {FormPairs} */
  const pairs = [];
  for (const [name, value] of data) {
    if (typeof value === "string") pairs.push([name, value]);
  }
  return pairs;
}

/**
 * The fields of one control alone, for an input with its own `phx-change`.
 * @param {Control} control
 * @returns {FormPairs}
 */
export function controlPairs(control) {
  if (!control.name || control.disabled) return [];
  const input = /** @type {HTMLInputElement} */ (control);
  if (control.localName === "input") {
    if (input.type === "file") return [];
    if ((input.type === "checkbox" || input.type === "radio") && !input.checked) return [];
  }
  const select = /** @type {HTMLSelectElement} */ (control);
  if (control.localName === "select" && select.multiple) {
    return Array.from(select.selectedOptions, (option) => [control.name, option.value]);
  }
  return [[control.name, control.value]];
}

/**
 * The form a control belongs to (its `form` attribute counts), or null.
 * @param {Control} control
 * @returns {HTMLFormElement | null}
 */
export function formOf(control) {
  return control.form ?? control.closest("form");
}

/**
 * Whether a change of `control` is not worth sending: the browser holds input it cannot read as
 * a value, as a number input does while the user types "1e" or "-" (its `value` reads "" and
 * `validity.badInput` is true). Its form's other changes and submits still send it, as "".
 * @param {Control} control
 * @returns {boolean}
 */
export function isUnfinished(control) {
  return Boolean(control.validity?.badInput);
}

// -- "used" fields (LiveView's `_unused_*` markers) ----------------------------------------------

/** @type {WeakSet<Element>} the controls that have had focus (or an input event) */
const focusedControls = new WeakSet();
/** @type {WeakSet<HTMLFormElement>} the forms whose phx-submit ran */
const submittedForms = new WeakSet();

/**
 * `control` has been used: it had focus, or the user changed it.
 * @param {Control} control
 */
export function markUsed(control) {
  focusedControls.add(control);
}

/**
 * `form` was submitted: every control of it counts as used from now on.
 * @param {HTMLFormElement} form
 */
export function markSubmitted(form) {
  submittedForms.add(form);
}

/**
 * Whether `control` has been used: it had focus, or its form was submitted.
 * @param {Control} control
 * @returns {boolean}
 */
export function isUsed(control) {
  const form = formOf(control);
  return focusedControls.has(control) || (form !== null && submittedForms.has(form));
}

/**
 * The form controls (inputs, selects, textareas) of `form`, in tree order, `form=` included.
 * @param {HTMLFormElement} form
 * @returns {Control[]}
 */
export function formControls(form) {
  return /** @type {Control[]} */ (Array.from(form.elements).filter(isControl));
}

/**
 * The marker of a field not used yet: `_unused_` before the last part of its name, a list's
 * `[]` dropped (`email` → `_unused_email`, `user[email]` → `user[_unused_email]`,
 * `user[tags][]` → `user[_unused_tags]`).
 * @param {string} name
 * @returns {string}
 */
export function unusedName(name) {
  const base = name.endsWith("[]") ? name.slice(0, -2) : name;
  if (!base.endsWith("]")) return `${UNUSED_PREFIX}${base}`;
  const open = base.lastIndexOf("[");
  return `${base.slice(0, open + 1)}${UNUSED_PREFIX}${base.slice(open + 1)}`;
}

/**
 * `pairs` with the marker of each field not used yet, `[marker, ""]`, just before the field's
 * first pair: a name is unused when no control of `controls` with that name was used, and is
 * never marked when all its controls are hidden inputs. A name without a pair gets no marker.
 * Pure of `pairs`: a new list.
 * @param {FormPairs} pairs  a phx-change payload (`serializeForm`, `controlPairs`)
 * @param {Control[]} controls  the controls whose use decides (a form's, or one control)
 * @returns {FormPairs}
 */
export function withUnusedMarkers(pairs, controls) {
  /** @type {Map<string, {used: boolean, hidden: boolean}>} per name: any used, all hidden */
  const names = new Map();
  for (const control of controls) {
    if (!control.name) continue;
    const known = names.get(control.name) ?? { used: false, hidden: true };
    known.used ||= isUsed(control);
    known.hidden &&= control.type === "hidden";
    names.set(control.name, known);
  }
  /** @type {FormPairs} */
  const result = [];
  const done = new Set();
  for (const pair of pairs) {
    const name = pair[0];
    if (!done.has(name)) {
      done.add(name);
      const known = names.get(name);
      if (known !== undefined && !known.used && !known.hidden) {
        result.push([unusedName(name), ""]);
      }
    }
    result.push(pair);
  }
  return result;
}

/**
 * A form's phx-change payload: every field (`serializeForm`) with the used markers.
 * @param {HTMLFormElement} form
 * @returns {FormPairs}
 */
export function formPayload(form) {
  return withUnusedMarkers(serializeForm(form), formControls(form));
}

/**
 * The phx-change payload of a control with its own phx-change (or outside a form): its field
 * alone (`controlPairs`), with its marker if no control of its name in its form was used.
 * @param {Control} control
 * @returns {FormPairs}
 */
export function controlPayload(control) {
  const form = formOf(control);
  const controls = form === null ? [control] : formControls(form);
  return withUnusedMarkers(controlPairs(control), controls);
}

// -- reset ---------------------------------------------------------------------------------------

/** @type {WeakMap<HTMLFormElement, HTMLElement>} the reset button just clicked, per form */
const resetClicks = new WeakMap();

/**
 * Whether `el` is a reset button: `<button type="reset">` or `<input type="reset">`.
 * @param {Element | null} el
 * @returns {el is HTMLButtonElement | HTMLInputElement}
 */
export function isResetButton(el) {
  const tag = el?.localName;
  const button = /** @type {HTMLInputElement} */ (el);
  return (tag === "button" || tag === "input") && button.type === "reset";
}

/**
 * A click on `el` that may reset its form: a reset button's click goes before the reset it
 * makes (its `reset` event), which then knows the button (`resetButtonOf`).
 * @param {Element | null} el  the clicked element
 */
export function noteResetClick(el) {
  const button = el?.closest("button, input") ?? null;
  if (!isResetButton(button) || button.form === null) return;
  resetClicks.set(button.form, button);
}

/**
 * The reset button that reset `form` (taken: asked once per reset): the one just clicked, else
 * the form's first reset button (a script's `form.reset()`, as LiveView's client takes it), else
 * null.
 * @param {HTMLFormElement} form
 * @returns {HTMLButtonElement | HTMLInputElement | null}
 */
export function resetButtonOf(form) {
  const clicked = resetClicks.get(form);
  resetClicks.delete(form);
  if (clicked !== undefined && clicked.isConnected && isResetButton(clicked)) return clicked;
  const first = Array.from(form.elements).find(isResetButton);
  return /** @type {HTMLButtonElement | HTMLInputElement | undefined} */ (first) ?? null;
}

/**
 * `form` was reset: none of its controls counts as used any more, nor the form as submitted
 * (LiveView's rule: a reset form shows no errors until the user is back in it).
 * @param {HTMLFormElement} form
 */
export function forgetUsed(form) {
  submittedForms.delete(form);
  for (const control of formControls(form)) focusedControls.delete(control);
}

// -- the submit lifecycle ------------------------------------------------------------------------

/** Input types that are buttons: disabled, not made readonly, while their form submits. */
const BUTTON_INPUTS = new Set(["submit", "image", "button", "reset"]);

/** @typedef {Array<[Element, "readOnly" | "disabled"]>} Locked  what `lockForm` switched on */

/**
 * Lock `form` while its submit waits: every control not readonly or disabled already becomes
 * readonly (inputs, textareas) or disabled (selects, buttons). Returns what it switched on, for
 * `unlockForm`.
 * @param {HTMLFormElement} form
 * @returns {Locked}
 */
export function lockForm(form) {
  /** @type {Locked} */
  const locked = [];
  for (const el of Array.from(form.elements)) {
    const control = /** @type {HTMLInputElement} */ (el);
    const tag = el.localName;
    const button = tag === "button" || (tag === "input" && BUTTON_INPUTS.has(control.type));
    if (control.disabled) continue;
    if (button || tag === "select") {
      control.disabled = true;
      locked.push([el, "disabled"]);
    } else if ((tag === "input" || tag === "textarea") && !control.readOnly) {
      control.readOnly = true;
      locked.push([el, "readOnly"]);
    }
  }
  return locked;
}

/**
 * Undo `lockForm`: exactly what it switched on is switched off again.
 * @param {Locked} locked
 */
export function unlockForm(locked) {
  for (const [el, property] of locked) /** @type {HTMLInputElement} */ (el)[property] = false;
}

/**
 * Every control of `form` takes the value the server rendered, the focused one too: an input
 * its `value` attribute, a checkbox or radio its `checked`, a select its `selected` options, a
 * textarea its text. File inputs keep their files.
 * @param {HTMLFormElement} form
 */
export function resetToRendered(form) {
  for (const control of formControls(form)) {
    if (control.localName === "select") {
      const select = /** @type {HTMLSelectElement} */ (control);
      for (const option of Array.from(select.options)) option.selected = option.defaultSelected;
      const size = select.multiple ? 0 : Number(select.getAttribute("size") ?? 1);
      if (select.selectedIndex === -1 && size <= 1) {
        // A drop-down shows its first enabled option when none is selected, as a reset does.
        const first = Array.from(select.options).findIndex((option) => !option.disabled);
        select.selectedIndex = first;
      }
      continue;
    }
    const input = /** @type {HTMLInputElement} */ (control);
    if (input.type === "checkbox" || input.type === "radio") input.checked = input.defaultChecked;
    else if (input.type !== "file") input.value = input.defaultValue;
  }
}

/** @typedef {{ el: Element, name: string, value: string }} Submitter  as it was at the submit */
/** @type {WeakMap<HTMLFormElement, Submitter | null>} the last phx-submit's submitter per form */
const submitters = new WeakMap();

/**
 * Remember the submitter of `form`'s phx-submit (null: none), for its trigger-action.
 * @param {HTMLFormElement} form
 * @param {HTMLElement | null} submitter
 */
export function rememberSubmitter(form, submitter) {
  const button = /** @type {HTMLButtonElement | null} */ (submitter);
  const seen = button === null ? null : { el: button, name: button.name, value: button.value };
  submitters.set(form, seen);
}

/**
 * The submitter of `form`'s last phx-submit, or null.
 * @param {HTMLFormElement} form
 * @returns {Submitter | null}
 */
export function lastSubmitter(form) {
  return submitters.get(form) ?? null;
}

/**
 * Submit `form` over HTTP, as the browser would without pylive (`HTMLFormElement.submit`: no
 * submit event, so phx-submit does not see it): the submitter's name and value go along as a
 * hidden field (where the submitter is, or last), and so does the page's CSRF token as
 * `_csrf_token` unless the form has a field of that name.
 * @param {HTMLFormElement} form
 * @param {Submitter | null} submitter
 * @param {string | null} csrf  the content of `<meta name="csrf-token">`
 */
export function submitNatively(form, submitter, csrf) {
  const doc = form.ownerDocument;
  const hidden = (/** @type {string} */ name, /** @type {string} */ value) => {
    const input = doc.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  };
  if (submitter !== null && submitter.name) {
    const input = hidden(submitter.name, submitter.value);
    const el = submitter.el;
    const owner = el.getAttribute("form");
    if (owner !== null) input.setAttribute("form", owner);
    const inForm = Array.from(form.elements).includes(el) && el.parentNode !== null;
    if (inForm) /** @type {ParentNode} */ (el.parentNode).insertBefore(input, el);
    else form.appendChild(input);
  }
  const named = Array.from(form.elements).some((el) => /** @type {any} */ (el).name === CSRF_FIELD);
  if (csrf !== null && !named) form.appendChild(hidden(CSRF_FIELD, csrf));
  const FormClass = doc.defaultView?.HTMLFormElement ?? HTMLFormElement;
  FormClass.prototype.submit.call(form);
}
