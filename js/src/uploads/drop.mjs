// @ts-check
/**
 * Drop targets: files dropped on an element with `phx-drop-target="<upload ref>"` are chosen for
 * that config's file input, as if picked in it; the element has `phx-drop-target-active` while
 * files are dragged over it.
 */

import {
  PHX_DROP_TARGET,
  PHX_DROP_TARGET_ACTIVE_CLASS,
  PHX_UPLOAD_REF,
} from "../constants.mjs";
import { isUploadInput } from "./entries.mjs";

/**
 * @param {EventTarget | null} node
 * @returns {Element | null}  the drop target the node is in
 */
function dropTargetOf(node) {
  const el = /** @type {Element | null} */ (node);
  if (el === null || typeof el.closest !== "function") return null;
  return el.closest(`[${PHX_DROP_TARGET}]`);
}

/**
 * The file input of the upload config `ref` in `doc`.
 * @param {Document} doc
 * @param {string} ref
 * @returns {HTMLInputElement | null}
 */
function inputOf(doc, ref) {
  for (const el of Array.from(doc.querySelectorAll(`input[${PHX_UPLOAD_REF}]`))) {
    if (isUploadInput(el) && el.getAttribute(PHX_UPLOAD_REF) === ref) return el;
  }
  return null;
}

/**
 * Listen for drags and drops on `doc`: `onFiles(input, files)` for a drop on a drop target whose
 * config's input is in the page.
 * @param {Document} doc
 * @param {(target: EventTarget, type: string, handler: (e: any) => void) => void} on
 * @param {(input: HTMLInputElement, files: File[]) => void} onFiles
 */
export function bindDrop(doc, on, onFiles) {
  /** @type {Set<Element>} the targets dragged over now */
  const active = new Set();
  const clear = () => {
    for (const el of active) el.classList.remove(PHX_DROP_TARGET_ACTIVE_CLASS);
    active.clear();
  };
  on(doc, "dragover", (/** @type {DragEvent} */ e) => {
    const target = dropTargetOf(e.target);
    if (target === null) return;
    e.preventDefault(); // a drop is allowed here
    if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
    if (!active.has(target)) {
      clear();
      active.add(target);
      target.classList.add(PHX_DROP_TARGET_ACTIVE_CLASS);
    }
  });
  on(doc, "dragleave", (/** @type {DragEvent} */ e) => {
    const target = dropTargetOf(e.target);
    if (target === null) return;
    const into = /** @type {Node | null} */ (e.relatedTarget ?? null);
    if (into !== null && target.contains(into)) return; // moved onto a child
    target.classList.remove(PHX_DROP_TARGET_ACTIVE_CLASS);
    active.delete(target);
  });
  on(doc, "drop", (/** @type {DragEvent} */ e) => {
    const target = dropTargetOf(e.target);
    clear();
    if (target === null) return;
    e.preventDefault(); // not opened by the browser
    const ref = target.getAttribute(PHX_DROP_TARGET) ?? "";
    const input = inputOf(doc, ref);
    if (input === null) {
      const what = `${PHX_DROP_TARGET}=${JSON.stringify(ref)}`;
      console.error(`pylive: ${what}: no file input with that upload ref`);
      return;
    }
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length > 0) onFiles(input, files);
  });
}
