// @ts-check
/**
 * What the client keeps in, and asks of, the browser tab: the debug switch, the latency
 * simulator's delay and the count of reloads in a row (sessionStorage), how long to wait before
 * loading the page again, which redirect targets may be followed, and the flash cookie a
 * redirect sets for the next page.
 */

import { FLASH_COOKIE } from "./constants.mjs";

/** sessionStorage keys: the debug switch, the simulated latency, consecutive reloads (per path). */
const DEBUG_KEY = "pylive:debug";
const LATENCY_KEY = "pylive:latency-sim";
const RELOADS_KEY = "pylive:reloads:";
/** A reload waits a random delay in this range; from `MAX_RELOADS` in a row on, the failsafe. */
const RELOAD_JITTER_MS = [1000, 3000];
const MAX_RELOADS = 10;
const FAILSAFE_RELOAD_MS = 30000;

/**
 * The tab's sessionStorage, as the client remembers things across page loads. Storage that is
 * missing, full or denied is not an error: the client then just does not remember.
 */
export class TabStorage {
  /** @param {Window} win */
  constructor(win) {
    this.win = win;
    this.storage = storageOf(win);
  }

  /** @returns {boolean} whether frame logging was switched on in this tab */
  get debug() {
    return this.get(DEBUG_KEY) === "1";
  }

  /** @param {boolean} on */
  setDebug(on) {
    try {
      if (on) this.storage?.setItem(DEBUG_KEY, "1");
      else this.storage?.removeItem(DEBUG_KEY);
    } catch {
      // storage full or denied: the switch still holds for this page
    }
  }

  /**
   * @returns {number | null}  the latency simulator's one-way delay in this tab (ms), null when
   *   off; a stored value that is not a non-negative finite number counts as off
   */
  get latencySim() {
    const stored = this.get(LATENCY_KEY);
    const ms = stored === null || stored.trim() === "" ? NaN : Number(stored);
    return Number.isFinite(ms) && ms >= 0 ? ms : null;
  }

  /** @param {number | null} ms  the one-way delay to keep for this tab, null = off */
  setLatencySim(ms) {
    try {
      if (ms === null) this.storage?.removeItem(LATENCY_KEY);
      else this.storage?.setItem(LATENCY_KEY, String(ms));
    } catch {
      // storage full or denied: the simulator still runs for this page
    }
  }

  /**
   * Count one more reload of the current path.
   * @returns {number}  the reloads of this path in a row before this one
   */
  countReload() {
    const key = RELOADS_KEY + this.win.location.pathname;
    const count = Number(this.get(key)) || 0;
    try {
      this.storage?.setItem(key, String(count + 1));
    } catch {
      // not counted: the jitter still spaces the reloads
    }
    return count;
  }

  /** The current path joined: its reloads in a row start again from zero. */
  forgetReloads() {
    try {
      this.storage?.removeItem(RELOADS_KEY + this.win.location.pathname);
    } catch {
      // nothing to forget
    }
  }

  /**
   * @param {string} key
   * @returns {string | null}
   */
  get(key) {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }
}

/**
 * The window's sessionStorage, or null where it is not available.
 * @param {Window} win
 * @returns {Storage | null}
 */
function storageOf(win) {
  try {
    return win.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * How long to wait before loading the page again: now when `soon` and this is the first reload
 * in a row, 1–3 s otherwise, 30 s after ten in a row (a failsafe against a reload loop).
 * @param {number} count  the reloads in a row before this one
 * @param {boolean} soon
 * @param {() => number} random
 * @returns {number}  milliseconds
 */
export function reloadDelay(count, soon, random) {
  const [min, max] = RELOAD_JITTER_MS;
  let delay = min + (max - min) * random();
  if (count >= MAX_RELOADS) delay = FAILSAFE_RELOAD_MS;
  else if (soon && count === 0) delay = 0;
  return delay;
}

/**
 * Whether `to` is a path on this site ("/x"), not another origin ("//host", "/\host", "http:"),
 * in any raw or percent-encoded form a browser or a server may resolve off-site ("/\t/host",
 * "/%09/host", "/%5Chost", "/%2F%2Fhost"); mirrors the server's check.
 * @param {unknown} to
 * @returns {to is string}
 */
export function isLocalPath(to) {
  if (typeof to !== "string" || !to.startsWith("/")) return false;
  const forms = [to];
  let text = to;
  for (let round = 0; round < 3; round += 1) {
    let decoded;
    try {
      decoded = decodeURIComponent(text); // %2509 → %09 → tab: a server may decode again
    } catch {
      return false;
    }
    if (decoded === text) break;
    forms.push(decoded);
    text = decoded;
  }
  return forms.every((form) => {
    const path = form.split(/[?#]/, 1)[0];
    return !/[\u0000-\u001f\u007f]/.test(form) && !path.startsWith("//") && !path.includes("\\");
  });
}

/**
 * Whether `to` is an absolute `http:` or `https:` URL (a redirect the server marked `external`).
 * @param {unknown} to
 * @returns {to is string}
 */
export function isWebUrl(to) {
  if (typeof to !== "string" || /[\u0000-\u0020\u007f]/.test(to)) return false;
  try {
    const url = new URL(to);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host !== "";
  } catch {
    return false;
  }
}

/**
 * Set the flash cookie a redirect brought (`"flash": token`), for the next page's HTTP render:
 * `_pylive_flash=<token>; path=/; max-age=60; SameSite=Lax`. A token that is not a cookie value
 * (whitespace, `;`, `,`, `"`, `\\`, control or non-ASCII characters) is refused and logged.
 * @param {Document} doc
 * @param {unknown} token
 */
export function setFlashCookie(doc, token) {
  if (typeof token !== "string" || !/^[\u0021-\u007e]+$/.test(token) || /[";,\\]/.test(token)) {
    console.error(`pylive: ignored a flash that is not a cookie value: ${JSON.stringify(token)}`);
    return;
  }
  doc.cookie = `${FLASH_COOKIE}=${token}; path=/; max-age=60; SameSite=Lax`;
}
