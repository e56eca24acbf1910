// @ts-check
/**
 * What JS commands did to an element that server patches must not undo, as in LiveView: the
 * display `show`/`hide`/`toggle` set, the classes added or removed, the attributes set or
 * removed, and the attributes it keeps against the server (`ignore_attributes`). `patchAttrs`
 * asks `isIgnored` before writing an attribute and calls `reapply` after; a join render keeps the
 * elements that stay, and with them these effects.
 */

/**
 * @typedef {object} Sticky
 * @property {string | null} display  the inline display a command set; null: none set
 * @property {Map<string, boolean>} classes  class name → present
 * @property {Map<string, string | null>} attrs  attribute → value (null: removed)
 * @property {string[]} ignore  attribute names the element keeps, `data-*` wildcards allowed
 */

/** @type {WeakMap<Element, Sticky>} */
const STICKY = new WeakMap();

/**
 * @param {Element} el
 * @returns {Sticky}
 */
function stickyOf(el) {
  let sticky = STICKY.get(el);
  if (sticky === undefined) {
    sticky = { display: null, classes: new Map(), attrs: new Map(), ignore: [] };
    STICKY.set(el, sticky);
  }
  return sticky;
}

/**
 * Set `el`'s inline display, kept across patches of its `style`.
 * @param {Element} el
 * @param {string} display  e.g. `"block"`, `"none"`
 */
export function stickDisplay(el, display) {
  stickyOf(el).display = display;
  /** @type {HTMLElement} */ (el).style.display = display;
}

/**
 * Add (`present`) or remove a class of `el`, kept across patches of its `class`.
 * @param {Element} el
 * @param {string} name
 * @param {boolean} present
 */
export function stickClass(el, name, present) {
  stickyOf(el).classes.set(name, present);
  el.classList.toggle(name, present);
}

/**
 * Set (`value`) or remove (null) an attribute of `el`, kept across patches of it.
 * @param {Element} el
 * @param {string} name
 * @param {string | null} value
 */
export function stickAttr(el, name, value) {
  stickyOf(el).attrs.set(name, value);
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

/**
 * From now on `el` keeps its own values of the attributes `patterns` name (`open`,
 * `data-*`) whatever the server sends.
 * @param {Element} el
 * @param {string[]} patterns
 */
export function ignoreAttrs(el, patterns) {
  const ignore = stickyOf(el).ignore;
  for (const pattern of patterns) if (!ignore.includes(pattern)) ignore.push(pattern);
}

/**
 * Whether a server patch must leave attribute `name` of `el` alone.
 * @param {Element} el
 * @param {string} name
 * @returns {boolean}
 */
export function isIgnored(el, name) {
  const sticky = STICKY.get(el);
  if (sticky === undefined) return false;
  if (sticky.attrs.has(name)) return true;
  for (const pattern of sticky.ignore) {
    if (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : pattern === name) {
      return true;
    }
  }
  return false;
}

/**
 * After a server patch of `el`'s attributes: put back what commands set on its `class` and
 * `style` (the two attributes commands share with the server).
 * @param {Element} el
 */
export function reapply(el) {
  const sticky = STICKY.get(el);
  if (sticky === undefined) return;
  for (const [name, present] of sticky.classes) el.classList.toggle(name, present);
  if (sticky.display !== null) /** @type {HTMLElement} */ (el).style.display = sticky.display;
}
