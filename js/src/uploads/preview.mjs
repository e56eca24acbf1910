// @ts-check
/**
 * `pylive:ImgPreview`, the built-in hook of `live_img_preview(entry)`: the `<img>` shows the
 * entry's local file (an object URL, revoked when the element goes).
 */

import { PHX_ENTRY_REF, PHX_MAIN, PHX_UPLOAD_REF } from "../constants.mjs";
import { storeOf } from "./entries.mjs";

/** Its name, as the server renders it in `data-phx-hook`. */
export const IMG_PREVIEW = "pylive:ImgPreview";

/**
 * The hook: `this.el` is the `<img>`, in the view whose entries it looks in.
 * @type {Record<string, any>}
 */
export const ImgPreview = {
  mounted() {
    this.show();
  },
  updated() {
    if (this.url === undefined || this.url === null) this.show();
    else this.el.src = this.url; // a patch may have set src
  },
  destroyed() {
    if (this.url) this.el.ownerDocument.defaultView?.URL.revokeObjectURL(this.url);
    this.url = null;
  },
  show() {
    const el = /** @type {HTMLImageElement} */ (this.el);
    const uploadRef = el.getAttribute(PHX_UPLOAD_REF) ?? "";
    const entryRef = el.getAttribute(PHX_ENTRY_REF) ?? "";
    const container = el.closest(`[${PHX_MAIN}]`);
    const entry =
      container === null ? undefined : storeOf({ el: container }).get(uploadRef, entryRef);
    if (entry === undefined) {
      const what =
        `${PHX_UPLOAD_REF}=${JSON.stringify(uploadRef)} ` +
        `${PHX_ENTRY_REF}=${JSON.stringify(entryRef)}`;
      console.error(`pylive: ${IMG_PREVIEW} on #${el.id}: no file chosen for ${what}`);
      return;
    }
    const url = el.ownerDocument.defaultView?.URL.createObjectURL(entry.file) ?? null;
    this.url = url;
    if (url !== null) el.src = url;
  },
};
