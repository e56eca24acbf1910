// @ts-check
/**
 * Form recovery after a reconnect or a rejoin: the fields of the view's forms are saved before
 * the join render replaces the page, put back into the new forms after it, and sent to the
 * server as each form's phx-change (or its `phx-auto-recover` event) with every field, then as
 * each input's own phx-change, so the server's state matches what the user typed.
 */

import { AUTO_RECOVER_IGNORE, PHX_AUTO_RECOVER, PHX_CHANGE } from "./constants.mjs";
import { pushChange } from "./events.mjs";
import { controlPayload, formControls, formPayload, isUsed, markUsed } from "./forms.mjs";

/** @import { EventView } from "./events.mjs" */
/** @import { Control, FormPairs } from "./forms.mjs" */

/**
 * What a control held: its value (or checkedness, or selected options) and whether it was used.
 * @typedef {object} SavedControl
 * @property {string} name
 * @property {string} value
 * @property {boolean} checked
 * @property {string[]} selected  a select's selected option values
 * @property {boolean} used
 */
/**
 * A form saved for recovery.
 * @typedef {object} SavedForm
 * @property {string} id
 * @property {FormPairs} pairs  every field, with the used markers (the form's event payload)
 * @property {Array<{ name: string, index: number, pairs: FormPairs }>} own  the controls with
 *   their own phx-change: name, place among the controls of that name, payload
 * @property {SavedControl[]} controls  every named control, in tree order
 */

/** Input types whose value is not the user's to recover. */
const NOT_RECOVERED = new Set(["file", "submit", "image", "button", "reset"]);

/**
 * The named controls of `form` whose values are recovered, in tree order.
 * @param {HTMLFormElement} form
 * @returns {Control[]}
 */
function recoverable(form) {
  return formControls(form).filter(
    (control) => control.name !== "" && !NOT_RECOVERED.has(control.type),
  );
}

/**
 * The place of each control among the controls of its name: `[control, name, index]`.
 * @param {Control[]} controls
 * @returns {Array<[Control, string, number]>}
 */
function placed(controls) {
  /** @type {Map<string, number>} */
  const seen = new Map();
  return controls.map((control) => {
    const index = seen.get(control.name) ?? 0;
    seen.set(control.name, index + 1);
    return [control, control.name, index];
  });
}

/**
 * The forms of `root` that recovery saves: with an id, a phx-change on the form or on one of its
 * controls, and no `phx-auto-recover="ignore"`.
 * @param {Element} root
 * @returns {HTMLFormElement[]}
 */
function recoveredForms(root) {
  return Array.from(root.querySelectorAll("form")).filter(
    (form) =>
      form.id !== "" &&
      form.getAttribute(PHX_AUTO_RECOVER) !== AUTO_RECOVER_IGNORE &&
      (form.hasAttribute(PHX_CHANGE) ||
        formControls(form).some((control) => control.hasAttribute(PHX_CHANGE))),
  );
}

/**
 * Save the forms of `root` that recovery sends (before the join render).
 * @param {Element} root  the view's container
 * @returns {SavedForm[]}
 */
export function saveForms(root) {
  return recoveredForms(root).map((form) => {
    const controls = recoverable(form);
    const own = placed(controls)
      .filter(([control]) => control.hasAttribute(PHX_CHANGE))
      .map(([control, name, index]) => ({ name, index, pairs: controlPayload(control) }));
    return {
      id: form.id,
      pairs: formPayload(form),
      own,
      controls: controls.map(saveControl),
    };
  });
}

/**
 * @param {Control} control
 * @returns {SavedControl}
 */
function saveControl(control) {
  const select = /** @type {HTMLSelectElement} */ (control);
  const selected =
    control.localName === "select" ? Array.from(select.selectedOptions, (o) => o.value) : [];
  const checked = /** @type {HTMLInputElement} */ (control).checked === true;
  return { name: control.name, value: control.value, checked, selected, used: isUsed(control) };
}

/**
 * The form of `root` with id `id`, or null.
 * @param {Element} root
 * @param {string} id
 * @returns {HTMLFormElement | null}
 */
function formById(root, id) {
  return Array.from(root.querySelectorAll("form")).find((form) => form.id === id) ?? null;
}

/**
 * Put the saved values back into the forms of the same ids (after the join render): the k-th
 * control of a name takes what the k-th control of that name held; a control used before
 * counts as used.
 * @param {Element} root
 * @param {SavedForm[]} saved
 */
export function restoreForms(root, saved) {
  for (const form of saved) {
    const target = formById(root, form.id);
    if (target === null) continue;
    /** @type {Map<string, SavedControl[]>} */
    const byName = new Map();
    for (const control of form.controls) {
      byName.set(control.name, [...(byName.get(control.name) ?? []), control]);
    }
    for (const [control, name, index] of placed(recoverable(target))) {
      const state = byName.get(name)?.[index];
      if (state !== undefined) restoreControl(control, state);
    }
  }
}

/**
 * @param {Control} control
 * @param {SavedControl} state
 */
function restoreControl(control, state) {
  const input = /** @type {HTMLInputElement} */ (control);
  if (control.localName === "select") {
    for (const option of Array.from(/** @type {HTMLSelectElement} */ (control).options)) {
      option.selected = state.selected.includes(option.value);
    }
  } else if (input.type === "checkbox" || input.type === "radio") {
    input.checked = state.checked;
  } else {
    control.value = state.value;
  }
  if (state.used) markUsed(control);
}

/**
 * Send the recovery events (after the join's hooks and phx-mounted ran): per saved form still
 * on the page, its `phx-auto-recover` event (else its phx-change) with every field, where its
 * phx-target says; then each control's own phx-change with its field, where the control's
 * phx-target (else the form's) says. No `_target`.
 * @param {EventView} view
 * @param {SavedForm[]} saved
 */
export function sendRecovery(view, saved) {
  for (const form of saved) {
    const target = formById(view.el, form.id);
    if (target === null) continue;
    const recover = target.getAttribute(PHX_AUTO_RECOVER);
    if (recover === AUTO_RECOVER_IGNORE) continue;
    const event = recover || target.getAttribute(PHX_CHANGE);
    if (event) pushChange(view, target, null, event, form.pairs);
    const controls = placed(recoverable(target));
    for (const { name, index, pairs } of form.own) {
      const found = controls.find(([, n, i]) => n === name && i === index);
      const binding = found?.[0].getAttribute(PHX_CHANGE);
      if (found !== undefined && binding) pushChange(view, found[0], target, binding, pairs);
    }
  }
}
