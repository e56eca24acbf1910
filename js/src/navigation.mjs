// @ts-check
/**
 * Live navigation, as LiveView's `<.link patch/navigate>`, `push_patch` and `push_navigate`: a
 * link click or a JS `patch`/`navigate` asks the server for another URL over the websocket (a
 * `navigate` frame), and the reply changes the page without a page load; then the history entry
 * is pushed (or replaced) and the scroll set. Back and forward ask the server again and restore
 * the scroll the entry had. The server may navigate too: a frame's `nav`.
 *
 * Every history entry pylive makes holds `{pylive: {id, kind, scroll}}`. The scroll of the
 * current entry is recorded (replaceState) on scroll events, at most every `SAVE_SCROLL_MS`,
 * when the page hides, and when a navigation starts; a popstate cannot write to the entry it
 * left, so what is recorded by then is what comes back.
 */

import { isLocalPath } from "./browser.mjs";
import {
  BEFORE_NAVIGATE,
  MESSAGES,
  NAVIGATED,
  PAGE_LOADING_START,
  PAGE_LOADING_STOP,
  PHX_LINK,
  PHX_LINK_STATE,
} from "./constants.mjs";

/** @import { Frame } from "./view.mjs" */

/** At most one scroll record (a replaceState) per this many ms: browsers limit replaceState. */
export const SAVE_SCROLL_MS = 150;

/** @typedef {"patch" | "navigate"} NavKind */
/**
 * What navigation needs of the view (view.mjs's `View` is one).
 * @typedef {object} NavView
 * @property {HTMLElement} el
 * @property {boolean} joined
 * @property {(
 *   message: Record<string, unknown>,
 *   sent?: (ref: number) => void,
 * ) => Promise<Record<string, unknown>>} request
 */
/**
 * A navigation sent and not answered yet.
 * @typedef {object} Going
 * @property {string} url  absolute
 * @property {boolean} replace
 * @property {number | null} pop  a popstate's: the scroll of the entry, restored once applied
 * @property {{ kind: "patch" | "redirect", to: string }} loading  the page-loading detail
 */

/** History, scroll and links of the page's live view. */
export class Navigation {
  /**
   * @param {Window} win
   * @param {NavView} view
   * @param {(href: string, replace: boolean) => void} load  a full page load
   */
  constructor(win, view, load) {
    this.win = win;
    this.view = view;
    this.load = load;
    /** @type {Map<number, Going>} the navigations sent, by ref */
    this.going = new Map();
    /** the URL the view shows, without its hash */
    this.href = bare(win.location.href);
    /** the scroll position as of the last scroll event (not moved yet by a patch's new DOM) */
    this.y = win.scrollY;
    this.nextId = 0;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.saveTimer = null;
  }

  /**
   * Take over scroll restoration, give the current entry its state (restoring the scroll a
   * reload or a traversal back into the page brings in it) and listen to clicks, popstate,
   * scroll and pagehide.
   * @returns {() => void}  removes the listeners
   */
  bind() {
    const win = this.win;
    win.history.scrollRestoration = "manual";
    const known = pyliveState(win.history.state);
    if (known !== null) this.scrollTo(known.scroll);
    else this.y = win.scrollY;
    const id = known?.id ?? 0;
    this.nextId = id + 1;
    this.write({ id, kind: known?.kind ?? "navigate", scroll: this.y });
    /** @type {Array<[string, (e: any) => void]>} */
    const listeners = [
      ["click", (e) => this.clicked(e)],
      ["popstate", (e) => this.popped(e)],
      ["scroll", () => this.scrolled()],
      ["pagehide", () => this.record()],
    ];
    for (const [type, fn] of listeners) win.addEventListener(type, fn, { passive: type === "scroll" });
    return () => listeners.forEach(([type, fn]) => win.removeEventListener(type, fn));
  }

  /**
   * Navigate live to `href` (a link, JS `patch`/`navigate`): `phx:before-navigate` first (a
   * listener may cancel: nothing happens), then the frame. False when the view is not joined:
   * the caller loads the page instead.
   * @param {string} href
   * @param {NavKind} kind
   * @param {boolean} replace
   * @returns {boolean}
   */
  go(href, kind, replace) {
    if (!this.view.joined) return false;
    const win = this.win;
    const url = new URL(href, win.location.href).href;
    const detail = { to: url, kind, pop: false };
    if (!this.fire(BEFORE_NAVIGATE, detail, true)) return true;
    this.record(); // the scroll of the page left, before the reply changes its DOM
    this.send(url, kind, replace, null);
    return true;
  }

  /**
   * A frame was applied to the view: a reply to a navigation (its history entry, scroll), or a
   * frame whose `nav` says the server navigated.
   * @param {Frame} frame
   */
  applied(frame) {
    const going = typeof frame.ref === "number" ? this.going.get(frame.ref) : undefined;
    if (going !== undefined) {
      this.going.delete(/** @type {number} */ (frame.ref));
      this.answered(going, frame);
      this.fire(PAGE_LOADING_STOP, going.loading);
    }
    if (frame.nav) this.serverNav(frame.nav);
  }

  /**
   * A join render was applied: it shows `location.href` (the join's URL), and its `nav`, if
   * any, is followed.
   * @param {Frame} frame
   */
  joined(frame) {
    this.href = bare(this.win.location.href);
    if (frame.nav) this.serverNav(frame.nav);
  }

  // -- going -------------------------------------------------------------------------------------

  /**
   * @param {string} url
   * @param {NavKind} kind
   * @param {boolean} replace
   * @param {number | null} pop
   */
  send(url, kind, replace, pop) {
    /** @type {Going["loading"]} */
    const loading = { kind: kind === "patch" ? "patch" : "redirect", to: url };
    /** @type {Going} */
    const going = { url, replace, pop, loading };
    this.fire(PAGE_LOADING_START, loading);
    let ref = -1;
    const message = { type: MESSAGES.navigate, url, kind };
    const reply = this.view.request(message, (sent) => {
      ref = sent;
      this.going.set(ref, going);
    });
    reply.catch(() => {
      if (ref !== -1 && !this.going.delete(ref)) return; // answered: `applied` saw the reply
      this.fire(PAGE_LOADING_STOP, loading); // not sent, or the connection went first
      this.load(url, replace);
    });
  }

  /**
   * @param {Going} going
   * @param {Frame} frame
   */
  answered(going, frame) {
    if (frame.type === MESSAGES.redirect) return; // the socket loads its page
    if (typeof frame.error === "string") {
      console.error(`pylive: navigation to ${going.url} refused: ${frame.error}`);
      this.load(going.url, going.replace);
      return;
    }
    const patch = frame.tree === undefined;
    if (going.pop === null) {
      this.change(going.url, patch ? "patch" : "navigate", going.replace);
      return;
    }
    this.href = bare(this.win.location.href);
    this.scrollTo(going.pop);
    this.announce(patch, true);
  }

  /** @param {NonNullable<Frame["nav"]>} nav */
  serverNav(nav) {
    if (!isLocalPath(nav.to)) {
      console.error(`pylive: refused to navigate to ${JSON.stringify(nav.to)}: not a local path`);
      return;
    }
    const url = new URL(nav.to, this.win.location.href).href;
    this.change(url, nav.kind === "navigate" ? "navigate" : "patch", nav.replace === true);
  }

  /**
   * The page now shows `url`: a new history entry (or the current one replaced; always when
   * `url` is the current URL, as a browser does for a link to the page it shows), the scroll
   * (`navigate`: the top, `patch`: where it was; `#anchor`: that element), `phx:navigate`.
   * @param {string} url
   * @param {NavKind} kind
   * @param {boolean} replace
   */
  change(url, kind, replace) {
    const history = this.win.history;
    this.cancelSave();
    replace ||= url === this.win.location.href;
    if (!replace) this.record(this.y);
    const scroll = kind === "patch" ? this.y : 0;
    const state = { pylive: { id: this.nextId++, kind, scroll } };
    try {
      if (replace) history.replaceState(state, "", url);
      else history.pushState(state, "", url);
    } catch (error) {
      console.error(error); // a browser's limit on history calls: the page changed all the same
    }
    this.href = bare(url);
    const anchor = anchorOf(this.win.document, url);
    if (anchor !== null) anchor.scrollIntoView?.();
    else if (kind === "navigate") this.scrollTo(0);
    if (this.win.scrollY !== scroll) this.record();
    this.announce(kind === "patch", false);
  }

  /**
   * @param {boolean} patch
   * @param {boolean} pop
   */
  announce(patch, pop) {
    this.fire(NAVIGATED, { href: this.win.location.href, patch, pop });
  }

  // -- links and history events ----------------------------------------------------------------

  /**
   * A left click, without modifier keys, on a `data-phx-link` of the joined view, to this site
   * and this tab: navigated live. Anything else is the browser's.
   * @param {MouseEvent} e
   */
  clicked(e) {
    if (e.defaultPrevented || e.button !== 0) return;
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    const node = /** @type {Node | null} */ (e.target);
    const from = node?.nodeType === 1 ? /** @type {Element} */ (node) : (node?.parentElement ?? null);
    const link = /** @type {HTMLAnchorElement | null} */ (from?.closest(`a[${PHX_LINK}]`) ?? null);
    if (link === null || !this.view.joined || !this.view.el.contains(link)) return;
    const type = link.getAttribute(PHX_LINK);
    const kind = type === "patch" ? "patch" : type === "redirect" ? "navigate" : null;
    const target = (link.getAttribute("target") ?? "_self").toLowerCase();
    if (kind === null || link.hasAttribute("download") || (target !== "" && target !== "_self")) {
      return;
    }
    const href = link.href; // resolved; an SVG <a> has no string href: the browser's
    if (typeof href !== "string" || new URL(href).origin !== this.win.location.origin) return;
    e.preventDefault();
    this.go(href, kind, link.getAttribute(PHX_LINK_STATE) === "replace");
  }

  /**
   * Back or forward onto an entry pylive made: the server is asked for its URL (it decides:
   * patch or another view), and the entry's scroll comes back once the reply is applied. Only
   * the hash changed: the scroll comes back at once, nothing is sent. An entry without pylive's
   * state (a hash link's) is the browser's.
   * @param {PopStateEvent} e
   */
  popped(e) {
    this.cancelSave(); // a pending record would land in the entry just entered
    const state = pyliveState(e.state);
    if (state === null) return;
    const url = this.win.location.href;
    if (bare(url) === this.href) {
      this.scrollTo(state.scroll);
      return;
    }
    if (!this.view.joined) {
      this.load(url, true);
      return;
    }
    this.send(url, "patch", true, state.scroll);
  }

  /** A scroll: remembered now, recorded in the entry at most every `SAVE_SCROLL_MS`. */
  scrolled() {
    this.y = this.win.scrollY;
    if (this.saveTimer !== null) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.record(this.y);
    }, SAVE_SCROLL_MS);
  }

  cancelSave() {
    if (this.saveTimer !== null) clearTimeout(this.saveTimer);
    this.saveTimer = null;
  }

  // -- the current entry -------------------------------------------------------------------------

  /**
   * Record `y` as the current entry's scroll. An entry pylive did not make (a hash link's) gets
   * pylive's state now: back to it comes through `popped` like any other.
   * @param {number} [y]  default: the scroll now
   */
  record(y = this.win.scrollY) {
    this.y = y;
    const known = pyliveState(this.win.history.state);
    this.write({ ...(known ?? { id: this.nextId++, kind: "patch" }), scroll: y });
  }

  /** @param {{ id: number, kind: string, scroll: number }} pylive */
  write(pylive) {
    const history = this.win.history;
    const state = history.state !== null && typeof history.state === "object" ? history.state : {};
    try {
      history.replaceState({ ...state, pylive }, "");
    } catch (error) {
      console.error(error); // a browser's limit on history calls: this record is lost
    }
  }

  /** @param {number} y */
  scrollTo(y) {
    this.win.scrollTo(0, y);
    this.y = y;
  }

  /**
   * Dispatch a CustomEvent on the window.
   * @param {string} type
   * @param {unknown} detail
   * @param {boolean} [cancelable]
   * @returns {boolean}  false when a listener cancelled it
   */
  fire(type, detail, cancelable = false) {
    const Custom = /** @type {typeof CustomEvent} */ (/** @type {any} */ (this.win).CustomEvent);
    return this.win.dispatchEvent(new Custom(type, { detail, cancelable }));
  }
}

// -- helpers -------------------------------------------------------------------------------------

/**
 * @param {string} url
 * @returns {string}  `url` without its hash
 */
function bare(url) {
  const at = url.indexOf("#");
  return at === -1 ? url : url.slice(0, at);
}

/**
 * pylive's part of a history state, or null (an entry pylive did not make).
 * @param {unknown} state
 * @returns {{ id: number, kind: string, scroll: number } | null}
 */
function pyliveState(state) {
  const pylive = state !== null && typeof state === "object" ? /** @type {any} */ (state).pylive : null;
  if (pylive === null || typeof pylive !== "object") return null;
  const id = Number.isInteger(pylive.id) ? pylive.id : 0;
  const scroll = Number.isFinite(pylive.scroll) ? pylive.scroll : 0;
  return { id, kind: String(pylive.kind ?? "navigate"), scroll };
}

/**
 * The element `url`'s `#anchor` names (by id), or null.
 * @param {Document} doc
 * @param {string} url
 * @returns {Element | null}
 */
function anchorOf(doc, url) {
  const hash = new URL(url).hash.slice(1);
  if (hash === "") return null;
  try {
    return doc.getElementById(decodeURIComponent(hash));
  } catch {
    return doc.getElementById(hash);
  }
}
