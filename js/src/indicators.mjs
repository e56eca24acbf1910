// @ts-check
/**
 * What the default layout shows of the page's state (each part only if the layout has it):
 * a progress bar at the top while `phx:page-loading-start`…`stop` runs (shown only past a short
 * delay, so quick events do not flicker it), a "Disconnected — reconnecting…" notice while the
 * socket is down after having been up, and a "Something went wrong — the page was reset" notice
 * after a crash of the view, once it has joined again.
 */

import {
  CRASHED_ID,
  DISCONNECTED_ID,
  PAGE_LOADING_START,
  PAGE_LOADING_STOP,
  TOPBAR_ID,
} from "./constants.mjs";

/** @import { Status } from "./view.mjs" */

/** Milliseconds a page load runs before the bar shows. */
export const TOPBAR_DELAY_MS = 120;
/** Milliseconds the socket is down before the disconnected notice shows. */
export const DISCONNECTED_DELAY_MS = 500;
/** Milliseconds the crash notice stays unless dismissed. */
export const CRASHED_SHOWN_MS = 8000;

export class Indicators {
  /** @param {Window} win */
  constructor(win) {
    const doc = win.document;
    this.topbar = doc.getElementById(TOPBAR_ID);
    this.disconnected = doc.getElementById(DISCONNECTED_ID);
    this.crashed = doc.getElementById(CRASHED_ID);
    this.loads = 0;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.topbarTimer = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.noticeTimer = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.crashTimer = null;
    this.wasConnected = false;
    this.crash = false;
    if (this.topbar !== null) {
      win.addEventListener(PAGE_LOADING_START, () => this.loadingStarted());
      win.addEventListener(PAGE_LOADING_STOP, () => this.loadingStopped());
    }
    this.crashed?.querySelector("button")?.addEventListener("click", () => hide(this.crashed));
  }

  loadingStarted() {
    this.loads += 1;
    if (this.loads > 1 || this.topbar === null) return;
    const bar = this.topbar;
    this.topbarTimer = setTimeout(() => {
      bar.removeAttribute("data-state"); // from the start again, not back from a finished bar
      void bar.offsetWidth; // the browser takes in the reset before the bar grows again
      bar.setAttribute("data-state", "loading");
    }, TOPBAR_DELAY_MS);
  }

  loadingStopped() {
    this.loads = Math.max(0, this.loads - 1);
    if (this.loads > 0 || this.topbar === null) return;
    if (this.topbarTimer !== null) clearTimeout(this.topbarTimer);
    this.topbarTimer = null;
    if (this.topbar.getAttribute("data-state") === "loading") {
      this.topbar.setAttribute("data-state", "done");
    }
  }

  /** @param {Status} status  the view's new status */
  status(status) {
    if (this.noticeTimer !== null) clearTimeout(this.noticeTimer);
    this.noticeTimer = null;
    if (status === "connected") {
      hide(this.disconnected);
      if (this.crash && this.crashed !== null) {
        const notice = this.crashed;
        show(notice);
        if (this.crashTimer !== null) clearTimeout(this.crashTimer);
        this.crashTimer = setTimeout(() => hide(notice), CRASHED_SHOWN_MS);
      }
      this.crash = false;
      this.wasConnected = true;
    } else if (status === "server-error") {
      this.crash = true;
    } else if (status === "client-error" && this.wasConnected && this.disconnected !== null) {
      const notice = this.disconnected;
      hide(this.crashed);
      this.noticeTimer = setTimeout(() => show(notice), DISCONNECTED_DELAY_MS);
    }
  }
}

/** @param {HTMLElement | null} el */
function show(el) {
  el?.removeAttribute("hidden");
}

/** @param {HTMLElement | null} el */
function hide(el) {
  el?.setAttribute("hidden", "");
}
