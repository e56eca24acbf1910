// @ts-check
/**
 * The client hooks by name — `window.pylive.hooks`, which users assign to, `registerHooks`, and
 * the modules a Python app declares (`data-phx-hooks` on the live container, imported before the
 * join) — and which hook an element gets: its `phx-hook`, or the built-in infinite-scroll hook
 * for a `phx-viewport-top` / `phx-viewport-bottom` binding, or a built-in one the server names
 * in `data-phx-hook` (`pylive:ImgPreview`). `hooks.mjs` runs the instances.
 */

import {
  PHX_DATA_HOOK,
  PHX_HOOK,
  PHX_HOOKS,
  PHX_VIEWPORT_BOTTOM,
  PHX_VIEWPORT_TOP,
} from "./constants.mjs";
import { IMG_PREVIEW, ImgPreview } from "./uploads/preview.mjs";
import { InfiniteScroll } from "./viewport.mjs";

/** A hook as users give it: an object of callbacks and whatever else it holds. */
/** @typedef {Record<string, any>} HookDefinition */

/** The built-in hook of `phx-viewport-top` / `phx-viewport-bottom` elements (infinite scroll). */
export const INFINITE_SCROLL = "pylive:InfiniteScroll";
/** The elements that may get a hook. */
export const HOOK_SELECTOR =
  `[${PHX_HOOK}], [${PHX_DATA_HOOK}], [${PHX_VIEWPORT_TOP}], [${PHX_VIEWPORT_BOTTOM}]`;
/**
 * The built-in hooks, by name (a user's hook of the same name wins).
 * @type {Readonly<Record<string, HookDefinition>>}
 */
const BUILT_IN = Object.freeze({ [INFINITE_SCROLL]: InfiniteScroll, [IMG_PREVIEW]: ImgPreview });

/**
 * The hook an element gets: its `phx-hook`, else the built-in its `data-phx-hook` names, else
 * the infinite-scroll hook for a viewport binding, else none.
 * @param {Element} el
 * @returns {string | null}
 */
export function hookName(el) {
  const name = el.getAttribute(PHX_HOOK) || el.getAttribute(PHX_DATA_HOOK);
  if (name) return name;
  const viewport = el.hasAttribute(PHX_VIEWPORT_TOP) || el.hasAttribute(PHX_VIEWPORT_BOTTOM);
  return viewport ? INFINITE_SCROLL : null;
}

// -- the registry --------------------------------------------------------------------------------

/**
 * Every hook by name: `window.pylive.hooks` (`object`, which users assign to), and whoever
 * mounts hooks listens for names registered later.
 */
export class HookRegistry {
  /** @param {unknown} [initial]  hooks given before the client started (`{Name: {...}}`) */
  constructor(initial) {
    /** @type {Record<string, HookDefinition>} */
    const defs = Object.create(null);
    this.defs = defs;
    /** @type {Set<(name: string) => void>} */
    this.listeners = new Set();
    /** @type {Set<string>} names warned about (once each) */
    this.warned = new Set();
    /** `window.pylive.hooks`: assigning a name registers it. */
    this.object = new Proxy(defs, {
      set: (_target, name, value) => {
        if (typeof name === "string") this.register(name, value);
        return true;
      },
      deleteProperty: () => false,
      defineProperty: () => false,
    });
    if (initial !== undefined && initial !== null) this.registerAll(initial);
  }

  /**
   * Register `definition` under `name`; elements waiting for that name get it.
   * @param {string} name
   * @param {unknown} definition
   * @returns {boolean}  whether it was registered
   */
  register(name, definition) {
    if (definition === null || typeof definition !== "object") {
      const got = definition === null ? "null" : typeof definition;
      const what = `pylive: hook ${JSON.stringify(name)}`;
      console.error(`${what}: expected an object of callbacks, got ${got}`);
      return false;
    }
    this.defs[name] = /** @type {HookDefinition} */ (definition);
    for (const listener of this.listeners) listener(name);
    return true;
  }

  /**
   * Register each hook of `hooks` (`{Name: {...}, ...}`).
   * @param {unknown} hooks
   */
  registerAll(hooks) {
    if (hooks === null || typeof hooks !== "object") {
      const got = hooks === null ? "null" : typeof hooks;
      console.error(`pylive: registerHooks: expected an object {Name: hook, ...}, got ${got}`);
      return;
    }
    for (const [name, definition] of Object.entries(hooks)) this.register(name, definition);
  }

  /**
   * @param {string} name
   * @returns {HookDefinition | undefined}
   */
  get(name) {
    return this.defs[name] ?? (Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name] : undefined);
  }

  /**
   * `listener` is told each name registered from now on.
   * @param {(name: string) => void} listener
   * @returns {() => void}  stops telling it
   */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Import the Python-declared hook modules the container names (`data-phx-hooks`, a JSON object
 * name → URL) and register each module's default export under its name. A module that fails to
 * load, or has no default export, is logged; the promise always resolves (the view joins anyway).
 * @param {Element} container
 * @param {HookRegistry} registry
 * @param {(url: string) => Promise<any>} importModule
 * @param {string} base  the page's URL (relative module URLs are resolved against it)
 * @returns {Promise<void> | null}  null when the container names none
 */
export function loadHookModules(container, registry, importModule, base) {
  const attr = container.getAttribute(PHX_HOOKS);
  if (attr === null) return null;
  /** @type {unknown} */
  let modules;
  try {
    modules = JSON.parse(attr);
  } catch {
    modules = null;
  }
  if (modules === null || typeof modules !== "object" || Array.isArray(modules)) {
    console.error(`pylive: ${PHX_HOOKS} must be a JSON object {name: url}, got ${attr}`);
    return null;
  }
  const loads = Object.entries(modules).map(async ([name, url]) => {
    try {
      const module = await importModule(new URL(String(url), base).href);
      if (module === null || typeof module !== "object" || !("default" in module)) {
        console.error(`pylive: hook module ${url} has no default export`);
        return;
      }
      registry.register(name, module.default);
    } catch (error) {
      console.error(`pylive: could not load hook module ${url}:`, error);
    }
  });
  return Promise.all(loads).then(() => {});
}
