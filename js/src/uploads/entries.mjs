// @ts-check
/**
 * The files chosen for uploads, per view: each file of an upload config (a file input with
 * `data-phx-upload-ref`) gets an entry with a ref of its own ("0", "1", … per config, never
 * reused in the page), which keeps the `File` and, once the server gave one, its token — so a
 * transfer cut by a reconnect can resume. `transfer.mjs` sends them.
 */

import {
  PHX_ACTIVE_REFS,
  PHX_AUTO_UPLOAD,
  PHX_DONE_REFS,
  PHX_UPLOAD_REF,
} from "../constants.mjs";

/**
 * An entry's state: chosen (not sent yet), preflight (asked, no answer), sending (chunks go),
 * external (an external uploader has it), done, failed.
 * @typedef {"chosen" | "preflight" | "sending" | "external" | "done" | "failed"} EntryState
 */
/**
 * What the `uploads` key of an event frame says of one entry.
 * @typedef {object} WireEntry
 * @property {string} ref
 * @property {string} name
 * @property {number} size
 * @property {string} type
 * @property {number} last_modified
 */

/** The longest `name` and `type` sent (the server refuses longer). */
const MAX_TEXT = 255;

/** One file of an upload config, from its choice to its last byte. */
export class UploadEntry {
  /**
   * @param {string} uploadRef
   * @param {string} ref
   * @param {File} file
   */
  constructor(uploadRef, ref, file) {
    this.uploadRef = uploadRef;
    this.ref = ref;
    this.file = file;
    /** @type {EntryState} */
    this.state = "chosen";
    /** @type {string | null} the server's token (kept across a reconnect, for `resume`) */
    this.token = null;
    /** the bytes the server has */
    this.offset = 0;
    /** the bytes sent (acknowledged or not): chunks in flight are `sent - offset` */
    this.sent = 0;
    /** whether the next chunk is being read from the file */
    this.reading = false;
    this.chunkSize = 0;
    /** whether it is to be sent (auto upload, or its form was submitted) */
    this.wanted = false;
    /** @type {string | null} why it failed */
    this.error = null;
    /** @type {Record<string, unknown>} an external upload's meta, from the preflight reply */
    this.meta = {};
    /** @type {string | null} an external upload's uploader */
    this.uploader = null;
  }

  /** @returns {WireEntry} */
  toWire() {
    const file = this.file;
    return {
      ref: this.ref,
      name: String(file.name ?? "").slice(0, MAX_TEXT),
      size: Number.isInteger(file.size) && file.size >= 0 ? file.size : 0,
      type: String(file.type ?? "").slice(0, MAX_TEXT),
      last_modified: Number.isFinite(file.lastModified) ? Math.trunc(file.lastModified) : 0,
    };
  }

  /** @returns {boolean} whether nothing more will happen to it */
  get settled() {
    return this.state === "done" || this.state === "failed";
  }
}

/** The entries of one view, by upload ref. */
export class UploadStore {
  constructor() {
    /** @type {Map<string, Map<string, UploadEntry>>} */
    this.configs = new Map();
    /** @type {Map<string, number>} the next entry ref of each config */
    this.counters = new Map();
  }

  /**
   * New entries for `files` chosen for the config `uploadRef`.
   * @param {string} uploadRef
   * @param {Iterable<File>} files
   * @returns {UploadEntry[]}
   */
  add(uploadRef, files) {
    const entries = this.configs.get(uploadRef) ?? new Map();
    this.configs.set(uploadRef, entries);
    /** @type {UploadEntry[]} */
    const added = [];
    for (const file of files) {
      const n = this.counters.get(uploadRef) ?? 0;
      this.counters.set(uploadRef, n + 1);
      const entry = new UploadEntry(uploadRef, String(n), file);
      entries.set(entry.ref, entry);
      added.push(entry);
    }
    return added;
  }

  /**
   * @param {string} uploadRef
   * @returns {UploadEntry[]}  its entries, in the order chosen
   */
  entries(uploadRef) {
    return Array.from(this.configs.get(uploadRef)?.values() ?? []);
  }

  /**
   * @param {string} uploadRef
   * @param {string} ref
   * @returns {UploadEntry | undefined}
   */
  get(uploadRef, ref) {
    return this.configs.get(uploadRef)?.get(ref);
  }

  /**
   * @param {string} token
   * @returns {UploadEntry | undefined}  the entry the server gave `token`
   */
  byToken(token) {
    for (const entries of this.configs.values()) {
      for (const entry of entries.values()) if (entry.token === token) return entry;
    }
    return undefined;
  }

  /** @param {UploadEntry} entry  forgotten (the server no longer knows it) */
  remove(entry) {
    this.configs.get(entry.uploadRef)?.delete(entry.ref);
  }

  /** @returns {UploadEntry[]} every entry */
  all() {
    return Array.from(this.configs.keys()).flatMap((ref) => this.entries(ref));
  }
}

/** @type {WeakMap<Element, UploadStore>} by the view's container */
const STORES = new WeakMap();

/**
 * The upload entries of `view` (made on first use), kept by its container.
 * @param {{ el: Element }} view
 * @returns {UploadStore}
 */
export function storeOf(view) {
  let store = STORES.get(view.el);
  if (store === undefined) STORES.set(view.el, (store = new UploadStore()));
  return store;
}

/**
 * Whether `el` is the file input of an upload config.
 * @param {unknown} el
 * @returns {el is HTMLInputElement}
 */
export function isUploadInput(el) {
  const input = /** @type {HTMLInputElement | null} */ (el);
  return (
    input !== null &&
    typeof input === "object" &&
    input.localName === "input" &&
    input.type === "file" &&
    !!input.getAttribute(PHX_UPLOAD_REF)
  );
}

/**
 * The upload config inputs of `root` (a form, or the view's container).
 * @param {ParentNode} root
 * @returns {HTMLInputElement[]}
 */
export function uploadInputs(root) {
  const found = Array.from(root.querySelectorAll(`input[type="file"][${PHX_UPLOAD_REF}]`));
  return /** @type {HTMLInputElement[]} */ (found.filter(isUploadInput));
}

/**
 * A comma-separated ref list attribute of `input`, as a set.
 * @param {Element} input
 * @param {string} attribute
 * @returns {Set<string> | null}  null when `input` has no such attribute
 */
function refList(input, attribute) {
  const value = input.getAttribute(attribute);
  if (value === null) return null;
  return new Set(value.split(",").map((ref) => ref.trim()).filter((ref) => ref !== ""));
}

/**
 * The entry refs the server knows for the config of `input` (`data-phx-active-refs`); null when
 * the input does not say.
 * @param {Element} input
 * @returns {Set<string> | null}
 */
export function activeRefs(input) {
  return refList(input, PHX_ACTIVE_REFS);
}

/**
 * The entry refs the server has every byte of (`data-phx-done-refs`).
 * @param {Element} input
 * @returns {Set<string>}
 */
export function doneRefs(input) {
  return refList(input, PHX_DONE_REFS) ?? new Set();
}

/**
 * @param {Element} input
 * @returns {boolean} whether its config sends files as soon as they are chosen
 */
export function isAutoUpload(input) {
  const value = input.getAttribute(PHX_AUTO_UPLOAD);
  return value !== null && value !== "false";
}

/**
 * The `uploads` key of an event frame for `entries`: their wire form, by upload ref, in order;
 * null when there are none.
 * @param {UploadEntry[]} entries
 * @returns {Record<string, WireEntry[]> | null}
 */
export function wireUploads(entries) {
  /** @type {Record<string, WireEntry[]>} */
  const uploads = {};
  for (const entry of entries) (uploads[entry.uploadRef] ??= []).push(entry.toWire());
  return entries.length > 0 ? uploads : null;
}

/**
 * The entries of the configs of `inputs` a form recovery tells the rejoined server of again:
 * all but the failed ones (same refs; the tokens kept let them resume).
 * @param {UploadStore} store
 * @param {HTMLInputElement[]} inputs
 * @returns {UploadEntry[]}
 */
export function recoveredEntries(store, inputs) {
  return inputs.flatMap((input) =>
    store
      .entries(/** @type {string} */ (input.getAttribute(PHX_UPLOAD_REF)))
      .filter((entry) => entry.state !== "failed"),
  );
}
