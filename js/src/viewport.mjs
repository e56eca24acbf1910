// @ts-check
/**
 * Infinite scroll: `phx-viewport-top="event"` and `phx-viewport-bottom="event"` on a stream
 * container, as in LiveView. A built-in hook (the hooks module gives it to every element with
 * either binding) watches the container's first and last stream item with an
 * IntersectionObserver whose root is the container's scrolling ancestor (the viewport when none
 * scrolls):
 * - the last item comes into view → the bottom event, `{id: lastItem.id}`;
 * - the first item comes into view → the top event, `{id: firstItem.id}`;
 * - scrolling up far enough to see the container's own top edge (the items above were pruned
 *   and the user overran them) → the top event with `{id, _overran: true}`, once until the user
 *   scrolls down again; the overview's feed resets to page 1 on it.
 * One event at a time: until its reply has come, no other viewport event goes. When the reply's
 * patch has been applied, the item that triggered it is kept where it was on the screen (items
 * added above, or pruned above by a `limit`, do not make the list jump), then the new first and
 * last items are watched — so a page too short to fill the view loads the next at once. Fixed
 * children (`data-phx-fixed`: an "Empty!" placeholder, a sentinel) are not items.
 */

import { PHX_VIEWPORT_BOTTOM, PHX_VIEWPORT_TOP } from "./constants.mjs";
import { streamItems } from "./streams.mjs";

/** @typedef {Record<string, any>} HookInstance */

/**
 * The nearest ancestor of `el` that scrolls vertically, or null (the viewport).
 * @param {Element} el
 * @returns {HTMLElement | null}
 */
export function scrollContainer(el) {
  const win = el.ownerDocument.defaultView;
  for (let node = el.parentElement; node !== null; node = node.parentElement) {
    if (node === el.ownerDocument.documentElement || node === el.ownerDocument.body) break;
    const overflow = win ? win.getComputedStyle(node).overflowY : "";
    if (overflow === "auto" || overflow === "scroll") return node;
  }
  return null;
}

/**
 * The top and bottom of the scrolling area, in the viewport's coordinates.
 * @param {HTMLElement | null} root
 * @param {Element} el
 * @returns {{top: number, bottom: number}}
 */
function viewBox(root, el) {
  if (root !== null) {
    const rect = root.getBoundingClientRect();
    return { top: rect.top, bottom: rect.bottom };
  }
  return { top: 0, bottom: el.ownerDocument.defaultView?.innerHeight ?? 0 };
}

/** The built-in hook of `phx-viewport-top` / `phx-viewport-bottom` elements. */
export const InfiniteScroll = {
  /** @this {HookInstance} */
  mounted() {
    const el = /** @type {HTMLElement} */ (this.el);
    const win = el.ownerDocument.defaultView;
    this.root = scrollContainer(el);
    this.waiting = false;
    this.overran = false;
    /** @type {Element | null} */
    this.first = null;
    /** @type {Element | null} */
    this.last = null;
    const scroller = this.root ?? win;
    this.lastScroll = this.scrollTop();
    if (win && typeof win.IntersectionObserver === "function") {
      this.observer = new win.IntersectionObserver(
        (/** @type {IntersectionObserverEntry[]} */ entries) => {
          for (const entry of entries) if (entry.isIntersecting) this.seen(entry.target);
        },
        { root: this.root },
      );
    }
    this.onScroll = () => this.scrolled();
    scroller?.addEventListener("scroll", this.onScroll, { passive: true });
    this.watch();
  },

  /** @this {HookInstance} */
  updated() {
    if (!this.waiting) this.watch();
  },

  /** @this {HookInstance} */
  destroyed() {
    this.gone = true; // a reply still on its way must not watch again
    this.observer?.disconnect();
    const scroller = this.root ?? this.el.ownerDocument.defaultView;
    scroller?.removeEventListener("scroll", this.onScroll);
  },

  /** @this {HookInstance} Watch the current first and last items (and only them). */
  watch() {
    const all = streamItems(this.el);
    const first = all[0] ?? null;
    const last = all[all.length - 1] ?? null;
    if (first === this.first && last === this.last) return;
    this.observer?.disconnect();
    this.first = first;
    this.last = last;
    if (first !== null) this.observer?.observe(first);
    if (last !== null && last !== first) this.observer?.observe(last);
  },

  /**
   * @this {HookInstance}
   * @param {Element} target  an item that came into view
   */
  seen(target) {
    const top = this.el.getAttribute(PHX_VIEWPORT_TOP);
    const bottom = this.el.getAttribute(PHX_VIEWPORT_BOTTOM);
    if (target === this.last && bottom) this.load(bottom, target, false);
    else if (target === this.first && top) this.load(top, target, false);
  },

  /**
   * The user scrolled: an item the observer cannot see because the scroll jumped past it (the
   * last item's bottom above the view's bottom while going down, the first item's top below
   * the view's top while going up) loads too; and going up far enough to see the container's
   * own top edge is an overrun.
   * @this {HookInstance}
   */
  scrolled() {
    const now = this.scrollTop();
    const up = now < this.lastScroll;
    const down = now > this.lastScroll;
    this.lastScroll = now;
    const top = this.el.getAttribute(PHX_VIEWPORT_TOP);
    const bottom = this.el.getAttribute(PHX_VIEWPORT_BOTTOM);
    const all = streamItems(this.el);
    const first = all[0];
    const last = all[all.length - 1];
    const view = viewBox(this.root, this.el);
    if (top && up && first !== undefined) {
      const edgeVisible = this.el.getBoundingClientRect().top >= view.top;
      if (edgeVisible && !this.overran) {
        this.overran = true;
        this.load(top, first, true);
      } else if (first.getBoundingClientRect().top >= view.top) {
        this.load(top, first, false);
      }
    } else if (down) {
      if (this.el.getBoundingClientRect().top < view.top) this.overran = false;
      if (bottom && last !== undefined && last.getBoundingClientRect().bottom <= view.bottom) {
        this.load(bottom, last, false);
      }
    }
  },

  /**
   * Send `event` for `anchor`; once the reply's patch is in, keep `anchor` where it was on the
   * screen and watch the new first and last items.
   * @this {HookInstance}
   * @param {string} event
   * @param {Element} anchor
   * @param {boolean} overran
   */
  load(event, anchor, overran) {
    if (this.waiting) return;
    this.waiting = true;
    const before = anchor.getBoundingClientRect().top;
    const value = overran ? { id: anchor.id, _overran: true } : { id: anchor.id };
    const done = () => {
      this.waiting = false;
      if (this.gone) return;
      if (anchor.isConnected && !overran) {
        const moved = anchor.getBoundingClientRect().top - before;
        if (moved !== 0) this.scrollBy(moved);
      }
      this.lastScroll = this.scrollTop();
      this.first = this.last = null; // watch afresh: a still-visible item loads the next page
      this.watch();
    };
    Promise.resolve(this.pushEventTo(this.el, event, value)).then(done, done);
  },

  /** @this {HookInstance} */
  scrollTop() {
    const root = this.root;
    if (root !== null) return root.scrollTop;
    return this.el.ownerDocument.defaultView?.scrollY ?? 0;
  },

  /**
   * @this {HookInstance}
   * @param {number} dy
   */
  scrollBy(dy) {
    if (this.root !== null) this.root.scrollTop += dy;
    else this.el.ownerDocument.defaultView?.scrollBy(0, dy);
  },
};
