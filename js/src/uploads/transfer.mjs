// @ts-check
/**
 * Sending the entries of `entries.mjs` to the server, by docs/client.md's upload protocol: a
 * preflight frame per config asks for tokens; then each entry's bytes go in binary frames (a
 * 2-byte big-endian header length, the JSON header `{"token", "offset"}`, the chunk), one chunk in
 * flight per entry, the next after the server's `upload_ack`; `upload_error` stops the entry. An
 * entry whose preflight reply names an uploader goes to `window.pylive.uploaders[name]` instead.
 * A cut connection keeps each entry's token: after the rejoin, the preflight says `resume` and
 * sending goes on from the offset the server gives. A submit of a form with entries not sent
 * waits until every one is done (or failed).
 */

import { MESSAGES, PHX_UPLOAD_REF } from "../constants.mjs";
import { activeRefs, doneRefs, isAutoUpload, storeOf, uploadInputs } from "./entries.mjs";

/** @import { UploadEntry } from "./entries.mjs" */

/**
 * An external uploader: called with the entries its configs' preflight gave it, and a way to
 * hear of the view's end (socket lost, crash): `onViewError(callback)`.
 * @typedef {(
 *   entries: ExternalEntry[],
 *   onViewError: (callback: () => void) => void,
 * ) => void} Uploader
 */
/**
 * What an external uploader gets of one entry.
 * @typedef {object} ExternalEntry
 * @property {File} file
 * @property {string} ref
 * @property {Record<string, unknown>} meta  the server's, from `external=fn`
 * @property {(percent: number) => void} progress  report progress, 0–100 (100: done)
 * @property {(message: string) => void} error  report a failure
 */
/**
 * What uploads need of a view (view.mjs's `View` is one).
 * @typedef {object} UploadView
 * @property {HTMLElement} el
 * @property {boolean} joined
 * @property {(message: Record<string, unknown>) => Promise<Record<string, unknown>>} request
 *   sends a frame, gives its reply
 * @property {(data: ArrayBuffer) => boolean} sendBinary  whether it went
 * @property {Record<string, unknown>} uploaders  by name (`window.pylive.uploaders`)
 */
/**
 * A submit waiting for its form's entries.
 * @typedef {object} HeldSubmit
 * @property {HTMLFormElement} form
 * @property {UploadEntry[]} entries
 * @property {() => void} send
 * @property {() => void} release  ends what the submit showed while it waited
 */

/** The chunk size when a preflight reply gives none (the server's default). */
const DEFAULT_CHUNK_SIZE = 64000;
/** Chunks of one entry sent and not acknowledged yet, at most: the next one travels while the
 * server writes the last, and the server holds no more than this many per entry. */
export const CHUNKS_IN_FLIGHT = 2;
/** @type {WeakMap<object, HeldSubmit[]>} */
const HELD = new WeakMap();
/** @type {WeakMap<object, Set<() => void>>} the `onViewError` callbacks of external uploads */
const VIEW_ERROR = new WeakMap();
/** @type {WeakMap<UploadEntry, number>} each entry's transfer, counted: a reset starts another */
const ATTEMPT = new WeakMap();

// -- the wire ------------------------------------------------------------------------------------

/**
 * A chunk's binary frame: 2 bytes big-endian = the header's length H, H bytes of the UTF-8 JSON
 * header `{"token": …, "offset": …}`, the chunk's bytes.
 * @param {string} token
 * @param {number} offset
 * @param {Uint8Array} bytes
 * @returns {Uint8Array}
 */
export function chunkFrame(token, offset, bytes) {
  const header = new TextEncoder().encode(JSON.stringify({ token, offset }));
  if (header.length > 0xffff) {
    const got = header.length;
    throw new RangeError(`pylive: upload header: expected at most 65535 bytes, got ${got}`);
  }
  const frame = new Uint8Array(2 + header.length + bytes.length);
  frame[0] = header.length >> 8;
  frame[1] = header.length & 0xff;
  frame.set(header, 2);
  frame.set(bytes, 2 + header.length);
  return frame;
}

/**
 * The bytes of `blob` from `start` to `end`.
 * @param {Blob} blob
 * @param {number} start
 * @param {number} end
 * @returns {Promise<Uint8Array>}
 */
function readSlice(blob, start, end) {
  const part = blob.slice(start, end);
  if (typeof part.arrayBuffer === "function") {
    return part.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(/** @type {ArrayBuffer} */ (reader.result)));
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(part);
  });
}

// -- choosing ------------------------------------------------------------------------------------

/**
 * `files` were chosen for `input`'s config: their entries (an input without `multiple` drops
 * the entries of its config not sent yet: the server replaces its one entry). An auto-upload
 * config's entries are to be sent as soon as the server knows them.
 * @param {UploadView} view
 * @param {HTMLInputElement} input
 * @param {Iterable<File>} files
 * @returns {UploadEntry[]}
 */
export function chooseFiles(view, input, files) {
  const store = storeOf(view);
  const ref = /** @type {string} */ (input.getAttribute(PHX_UPLOAD_REF));
  const list = Array.from(files);
  if (!input.multiple && list.length > 0) {
    for (const entry of store.entries(ref)) {
      if (entry.state === "chosen") store.remove(entry);
    }
  }
  const added = store.add(ref, input.multiple ? list : list.slice(0, 1));
  if (isAutoUpload(input)) for (const entry of added) entry.wanted = true;
  return added;
}

// -- after each frame ----------------------------------------------------------------------------

/**
 * After a frame is applied: the entries the server says are done are done; the entries to be
 * sent that the server knows are preflighted (one frame per config); held submits whose entries
 * are all settled go.
 * @param {UploadView} view
 */
export function afterFrame(view) {
  if (!view.joined) return;
  const store = storeOf(view);
  for (const input of uploadInputs(view.el)) {
    const ref = /** @type {string} */ (input.getAttribute(PHX_UPLOAD_REF));
    const active = activeRefs(input);
    const done = doneRefs(input);
    /** @type {UploadEntry[]} */
    const ready = [];
    for (const entry of store.entries(ref)) {
      if (done.has(entry.ref) && !entry.settled) entry.state = "done";
      if (isAutoUpload(input)) entry.wanted = true;
      const known = active === null || active.has(entry.ref);
      if (entry.wanted && entry.state === "chosen" && known) ready.push(entry);
    }
    if (ready.length > 0) preflight(view, ref, ready);
  }
  releaseSubmits(view);
}

/**
 * Ask the server to start sending `entries` of config `uploadRef` (with `resume` for those it
 * gave a token before); its reply starts each.
 * @param {UploadView} view
 * @param {string} uploadRef
 * @param {UploadEntry[]} entries
 */
function preflight(view, uploadRef, entries) {
  /** @type {Record<string, string>} */
  const resume = {};
  for (const entry of entries) {
    entry.state = "preflight";
    if (entry.token !== null) resume[entry.ref] = entry.token;
  }
  /** @type {Record<string, unknown>} */
  const message = {
    type: MESSAGES.upload,
    upload: uploadRef,
    entries: entries.map((entry) => entry.ref),
  };
  if (Object.keys(resume).length > 0) message.resume = resume;
  view.request(message).then(
    (reply) => preflighted(view, entries, reply),
    () => {
      for (const entry of entries) if (entry.state === "preflight") entry.state = "chosen";
    },
  );
}

/**
 * The preflight reply: each entry it gave a token starts (chunks, or its external uploader);
 * each it refused fails with its codes.
 * @param {UploadView} view
 * @param {UploadEntry[]} entries
 * @param {Record<string, unknown>} reply
 */
function preflighted(view, entries, reply) {
  const given = /** @type {Record<string, any>} */ (reply.entries ?? {});
  const errors = /** @type {Record<string, unknown>} */ (reply.errors ?? {});
  /** @type {Map<string, UploadEntry[]>} */
  const external = new Map();
  for (const entry of entries) {
    if (entry.state !== "preflight") continue;
    const value = given[entry.ref];
    if (errors[entry.ref] !== undefined || value === null || typeof value !== "object") {
      const codes = errors[entry.ref];
      fail(entry, Array.isArray(codes) ? codes.map(String).join(", ") : "not_found");
      continue;
    }
    if (typeof value.token !== "string" || value.token === "") {
      const got = JSON.stringify(value.token);
      const where = `upload preflight reply, entry ${entry.ref}`;
      console.error(`pylive: ${where}: expected a token (a non-empty string), got ${got}`);
      fail(entry, "not_found");
      continue;
    }
    entry.token = value.token;
    if (typeof value.uploader === "string") {
      entry.state = "external";
      entry.uploader = value.uploader;
      entry.meta = value.meta !== null && typeof value.meta === "object" ? value.meta : {};
      const group = external.get(value.uploader) ?? [];
      external.set(value.uploader, [...group, entry]);
      continue;
    }
    const size = value.chunk_size;
    entry.chunkSize = Number.isInteger(size) && size > 0 ? size : DEFAULT_CHUNK_SIZE;
    entry.offset = Number.isInteger(value.offset) && value.offset >= 0 ? value.offset : 0;
    if (entry.offset >= entry.file.size) {
      entry.state = "done";
      continue;
    }
    entry.state = "sending";
    entry.sent = entry.offset;
    entry.reading = false;
    sendChunks(view, entry);
  }
  for (const [name, group] of external) runUploader(view, name, group);
  releaseSubmits(view);
}

/**
 * @param {UploadEntry} entry
 * @param {string} error
 */
function fail(entry, error) {
  entry.state = "failed";
  entry.error = error;
}

/**
 * Send `entry`'s next chunks, in order, up to `CHUNKS_IN_FLIGHT` not acknowledged (one file
 * read at a time, so they leave in order).
 * @param {UploadView} view
 * @param {UploadEntry} entry
 */
function sendChunks(view, entry) {
  const room = entry.offset + CHUNKS_IN_FLIGHT * entry.chunkSize - entry.sent;
  if (entry.reading || entry.sent >= entry.file.size || room < entry.chunkSize) return;
  const attempt = ATTEMPT.get(entry) ?? 0;
  const start = entry.sent;
  const end = Math.min(entry.file.size, start + entry.chunkSize);
  entry.reading = true;
  readSlice(entry.file, start, end).then(
    (bytes) => {
      const current = (ATTEMPT.get(entry) ?? 0) === attempt;
      if (!current || entry.state !== "sending") return; // reset meanwhile
      entry.reading = false;
      const frame = chunkFrame(/** @type {string} */ (entry.token), start, bytes);
      const sent = view.joined && view.sendBinary(/** @type {ArrayBuffer} */ (frame.buffer));
      if (!sent) {
        entry.state = "chosen"; // resumed after the rejoin
        return;
      }
      entry.sent = end;
      sendChunks(view, entry);
    },
    (error) => {
      if ((ATTEMPT.get(entry) ?? 0) !== attempt) return;
      console.error(`pylive: could not read ${JSON.stringify(entry.file.name)}:`, error);
      fail(entry, "unreadable");
      releaseSubmits(view);
    },
  );
}

/**
 * An `upload_ack` (the next chunk goes, or the entry is done) or an `upload_error` (it fails).
 * @param {UploadView} view
 * @param {Record<string, unknown>} frame
 */
export function uploadFrame(view, frame) {
  const entry = storeOf(view).byToken(String(frame.token));
  if (entry === undefined || entry.state !== "sending") return;
  if (frame.type === MESSAGES.upload_error) {
    fail(entry, String(frame.error ?? "error"));
  } else {
    const received = frame.received;
    if (typeof received !== "number" || !Number.isInteger(received) || received < 0) {
      const got = JSON.stringify(frame.received);
      console.error(`pylive: upload_ack: expected an integer "received" ≥ 0, got ${got}`);
      return;
    }
    entry.offset = received;
    if (received < entry.file.size) {
      sendChunks(view, entry);
      return;
    }
    entry.state = "done";
  }
  releaseSubmits(view);
}

// -- external uploads ----------------------------------------------------------------------------

/**
 * Give `entries` to the uploader `name`; its progress and errors go to the server as
 * `upload_progress` frames.
 * @param {UploadView} view
 * @param {string} name
 * @param {UploadEntry[]} entries
 */
function runUploader(view, name, entries) {
  /**
   * @param {UploadEntry} entry
   * @param {Record<string, unknown>} what
   */
  const report = (entry, what) => {
    view
      .request({ type: MESSAGES.upload_progress, token: entry.token, ...what })
      .catch(() => {}); // the connection is gone: the server times the entry out
  };
  /** @type {ExternalEntry[]} */
  const given = entries.map((entry) => ({
    file: entry.file,
    ref: entry.ref,
    meta: entry.meta,
    progress(percent) {
      if (entry.state !== "external") return;
      const value = Math.max(0, Math.min(100, Math.floor(Number(percent) || 0)));
      report(entry, { progress: value });
      if (value >= 100) {
        entry.state = "done";
        releaseSubmits(view);
      }
    },
    error(message) {
      if (entry.state !== "external") return;
      report(entry, { error: String(message) });
      fail(entry, `external: ${message}`);
      releaseSubmits(view);
    },
  }));
  const uploader = view.uploaders[name];
  if (typeof uploader !== "function") {
    const why = `no uploader ${JSON.stringify(name)} in window.pylive.uploaders`;
    console.error(`pylive: ${why}, got ${typeof uploader}`);
    for (const entry of given) entry.error(why);
    return;
  }
  const callbacks = VIEW_ERROR.get(view) ?? new Set();
  VIEW_ERROR.set(view, callbacks);
  try {
    /** @type {Uploader} */ (uploader)(given, (callback) => callbacks.add(callback));
  } catch (error) {
    console.error(`pylive: uploader ${JSON.stringify(name)} threw:`, error);
    for (const entry of given) entry.error(String(error));
  }
}

// -- submits -------------------------------------------------------------------------------------

/**
 * A submit of `form`: when some of its entries the server knows are not sent yet, they are sent
 * and `send` waits until every one is done or failed (returns true); else false (send now).
 * A held submit calls `hold()` at once (loading states on) and the function it returns after
 * `send` (or when it will not be sent: the form left the page).
 * @param {UploadView} view
 * @param {HTMLFormElement} form
 * @param {() => void} send
 * @param {() => () => void} hold
 * @returns {boolean}
 */
export function holdSubmit(view, form, send, hold) {
  const store = storeOf(view);
  /** @type {UploadEntry[]} */
  const entries = [];
  for (const input of uploadInputs(form)) {
    const active = activeRefs(input);
    const done = doneRefs(input);
    for (const entry of store.entries(/** @type {string} */ (input.getAttribute(PHX_UPLOAD_REF)))) {
      const unknown = active !== null && !active.has(entry.ref);
      if (done.has(entry.ref) || entry.settled || unknown) continue;
      entry.wanted = true;
      entries.push(entry);
    }
  }
  if (entries.length === 0) return false;
  const held = HELD.get(view) ?? [];
  HELD.set(view, [...held, { form, entries, send, release: hold() }]);
  afterFrame(view);
  return true;
}

/**
 * Whether a submit of `form` waits for its entries.
 * @param {UploadView} view
 * @param {HTMLFormElement} form
 * @returns {boolean}
 */
export function isHeld(view, form) {
  return (HELD.get(view) ?? []).some((held) => held.form === form);
}

/** @param {UploadView} view  the held submits whose entries are all settled go, in order */
function releaseSubmits(view) {
  const held = HELD.get(view) ?? [];
  const ready = held.filter((each) => each.entries.every((entry) => entry.settled));
  if (ready.length === 0) return;
  HELD.set(view, held.filter((each) => !ready.includes(each)));
  for (const each of ready) {
    if (each.form.isConnected && view.joined) each.send();
    each.release();
  }
}

// -- the connection ------------------------------------------------------------------------------

/**
 * The view is gone (socket lost, crash): transfers stop where they are, keeping their tokens
 * (the next join's form recovery tells the server of the entries again, and they resume); the
 * external uploaders' `onViewError` callbacks run.
 * @param {UploadView} view
 */
export function resetUploads(view) {
  for (const entry of storeOf(view).all()) {
    if (entry.state === "preflight" || entry.state === "sending") {
      entry.state = "chosen";
      ATTEMPT.set(entry, (ATTEMPT.get(entry) ?? 0) + 1);
    }
  }
  const callbacks = VIEW_ERROR.get(view);
  VIEW_ERROR.delete(view);
  for (const callback of callbacks ?? []) {
    try {
      callback();
    } catch (error) {
      console.error("pylive: an uploader's onViewError callback threw:", error);
    }
  }
}
