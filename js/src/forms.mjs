// @ts-check
/**
 * Reading forms as the browser would submit them: which targets are controls, the `[name, value]`
 * pairs of a whole form or of one control, and when a change is not worth sending yet.
 */

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
 * Whether a change of `control` is not worth sending: a number input holding text that is not
 * a number yet (its value reads "" while the user types "1e").
 * @param {Control} control
 * @returns {boolean}
 */
export function isUnfinished(control) {
  return Boolean(control.validity?.badInput);
}
