// @ts-check
/**
 * The client's vocabulary: the wire table (mirroring `pylive.protocol`), the wire forms of nodes
 * and ops, and every `phx-*` attribute and class name the client reads or sets. Other modules
 * name these through the constants here, never as string literals of their own.
 */

// -- the wire protocol (pylive.protocol) ---------------------------------------------------------

/**
 * Patch op name → code; mirrors `pylive.protocol.OPS` exactly (a test fails if the two drift).
 * @type {Readonly<Record<string, number>>}
 */
export const OPS = Object.freeze({
  text: 0,
  attrs: 1,
  insert: 2,
  remove: 3,
  move: 4,
  replace: 5,
  html: 6,
  stream_insert: 7,
  stream_delete: 8,
  stream_reset: 9,
  append: 10,
  prepend: 11,
});

/**
 * Message kinds (the `type` of a frame); mirrors the `MSG_*` constants of `pylive.protocol`.
 * @type {Readonly<Record<string, string>>}
 */
export const MESSAGES = Object.freeze({
  join: "join",
  event: "event",
  heartbeat: "hb",
  patch: "patch",
  error: "error",
  reload: "reload",
  redirect: "redirect",
  // live navigation (docs/protocol.md, "Live navigation"): a link, JS.patch/navigate or a
  // popstate asks the server for another URL
  navigate: "navigate",
  // uploads (docs/client.md, "Uploads"): the preflight and an external upload's progress go
  // out; each chunk's ack and an entry's error come in
  upload: "upload",
  upload_progress: "upload_progress",
  upload_ack: "upload_ack",
  upload_error: "upload_error",
});

/** Websocket close code of a server going away on purpose (`pylive.protocol.CLOSE_RESTART`). */
export const CLOSE_RESTART = 1012;
/** The close code the client leaves with (`pylive.protocol.CLOSE_NORMAL`). */
export const CLOSE_NORMAL = 1000;

/** A component id, as `phx_target=assigns.myself` and `data-phx-component` render it. */
export const CID_PATTERN = /^(0|[1-9][0-9]*)$/;

/** @typedef {number[]} Path  child indexes (`childNodes`) from the view's container */
/** @typedef {Record<string, string | true | null>} AttrPatch  `true` = bare, `null` = remove */
/** @typedef {Record<string, string | true>} WireAttrs  `true` = bare attribute */
/**
 * An element in wire form: `[tag, attrs]` or `[tag, attrs, children]`, where children is a list
 * of wire nodes or one string of raw inner HTML.
 * @typedef {[string, WireAttrs, (Array<WireNode> | string)?]} WireElement
 */
/** @typedef {string | WireElement} WireNode  a string is a text node */
/** @typedef {[number, ...any[]]} Op  `[code, ...args]`, see `OPS` */

// -- marks of the server's render ----------------------------------------------------------------

/** The live view's container. */
export const PHX_MAIN = "data-phx-main";
/** The container's signed join token. */
export const PHX_SESSION = "data-phx-session";
/** The root element of a component: its value is the cid. */
export const PHX_COMPONENT = "data-phx-component";
/** The container's Python-declared hook modules: a JSON object, hook name → module URL. */
export const PHX_HOOKS = "data-phx-hooks";
/** A child of a stream container no stream inserted: kept after the items (pylive.protocol). */
export const STREAM_FIXED = "data-phx-fixed";

// -- bindings (LiveView's names) -----------------------------------------------------------------

export const PHX_CLICK = "phx-click";
export const PHX_CHANGE = "phx-change";
export const PHX_SUBMIT = "phx-submit";
export const PHX_FOCUS = "phx-focus";
export const PHX_BLUR = "phx-blur";
export const PHX_KEYDOWN = "phx-keydown";
export const PHX_KEYUP = "phx-keyup";
export const PHX_WINDOW_KEYDOWN = "phx-window-keydown";
export const PHX_WINDOW_KEYUP = "phx-window-keyup";
export const PHX_CLICK_AWAY = "phx-click-away";
export const PHX_WINDOW_FOCUS = "phx-window-focus";
export const PHX_WINDOW_BLUR = "phx-window-blur";
/** The client hook an element gets (`phx-hook="Name"`; the element needs a unique id). */
export const PHX_HOOK = "phx-hook";
/** Infinite scroll: the event sent when a stream container's first item comes into view. */
export const PHX_VIEWPORT_TOP = "phx-viewport-top";
/** Infinite scroll: the event sent when a stream container's last item comes into view. */
export const PHX_VIEWPORT_BOTTOM = "phx-viewport-bottom";
/** JS run when the element is added to the page (at join, or by a patch). */
export const PHX_MOUNTED = "phx-mounted";
/** JS run when a patch removes the element; the removal waits for its transitions. */
export const PHX_REMOVE = "phx-remove";
/** JS run on the view's container state changes. */
export const PHX_CONNECTED = "phx-connected";
export const PHX_DISCONNECTED = "phx-disconnected";
/** Milliseconds (or `"blur"`; empty: `DEFAULT_DEBOUNCE_MS`) an event waits for quiet. */
export const PHX_DEBOUNCE = "phx-debounce";
/** Milliseconds within which repeats of an event are dropped (an input's last value is sent). */
export const PHX_THROTTLE = "phx-throttle";
export const DEFAULT_DEBOUNCE_MS = 300;
/** Text an element shows, disabled, while its event waits for the reply. */
export const PHX_DISABLE_WITH = "phx-disable-with";
/** `phx-update="ignore"`: the client keeps the element's children and attributes (not data-*). */
export const PHX_UPDATE = "phx-update";
export const UPDATE_IGNORE = "ignore";
/** A form the client submits over HTTP (a real POST to its `action`) once this is set. */
export const PHX_TRIGGER_ACTION = "phx-trigger-action";
/** A form's recovery after a reconnect: `"ignore"`, or the event sent instead of phx-change. */
export const PHX_AUTO_RECOVER = "phx-auto-recover";
export const AUTO_RECOVER_IGNORE = "ignore";
/** The prefix of the "used" markers in a form's change payload (`_unused_email`). */
export const UNUSED_PREFIX = "_unused_";
/** The field of the page's CSRF token in an HTTP submit (trigger-action). */
export const CSRF_FIELD = "_csrf_token";
/** Filters a key binding by `e.key`. */
export const PHX_KEY = "phx-key";
/** Where an event goes: a cid or a CSS selector. */
export const PHX_TARGET = "phx-target";
/** `phx-value-<name>` attributes make the payload of an element's events. */
export const PHX_VALUE_PREFIX = "phx-value-";

// -- JS commands (pylive.JS) ---------------------------------------------------------------------

/**
 * Every JS command kind, in `pylive.protocol.JS_COMMANDS`' order (a test fails if the two drift);
 * each is run by the `exec_<kind>` handler of js_commands.mjs.
 */
export const JS_COMMANDS = Object.freeze([
  "push",
  "dispatch",
  "show",
  "hide",
  "toggle",
  "add_class",
  "remove_class",
  "toggle_class",
  "transition",
  "set_attribute",
  "remove_attribute",
  "toggle_attribute",
  "ignore_attributes",
  "focus",
  "focus_first",
  "push_focus",
  "pop_focus",
  "navigate",
  "patch",
  "exec",
]);
/** Milliseconds a JS command's transition lasts unless it says (`pylive.js.DEFAULT_TIME`). */
export const DEFAULT_TRANSITION_MS = 200;
/** Window events around a `JS.push(page_loading=True)` and a live navigation. */
export const PAGE_LOADING_START = "phx:page-loading-start";
export const PAGE_LOADING_STOP = "phx:page-loading-stop";

// -- live navigation (LiveView's `<.link patch/navigate>`; docs/client.md, "Live navigation") ----

/** A link navigated live: `"patch"` (the same view) or `"redirect"` (another view mounted). */
export const PHX_LINK = "data-phx-link";
/** `"replace"`: the link replaces the history entry (`"push"`, the default, adds one). */
export const PHX_LINK_STATE = "data-phx-link-state";
/** The cancelable window event before a link's or a JS command's live navigation. */
export const BEFORE_NAVIGATE = "phx:before-navigate";
/** The window event after each history change a live navigation made (push, replace, pop). */
export const NAVIGATED = "phx:navigate";
/** The cookie a redirect's flash travels in to the next page's HTTP render. */
export const FLASH_COOKIE = "_pylive_flash";

// -- the default layout's indicators (pylive.document renders them; App(indicators=False): none) --

/** The progress bar at the top of the page, shown while a page-loading event runs. */
export const TOPBAR_ID = "pylive-topbar";
/** "Disconnected — reconnecting…", shown while the socket is down after having been up. */
export const DISCONNECTED_ID = "pylive-disconnected";
/** "Something went wrong — the page was reset", shown after a view crashed and rejoined. */
export const CRASHED_ID = "pylive-crashed";

// -- state classes (LiveView's names) ------------------------------------------------------------

export const PHX_LOADING_CLASS = "phx-loading";
export const PHX_CONNECTED_CLASS = "phx-connected";
export const PHX_ERROR_CLASS = "phx-error";
export const PHX_CLIENT_ERROR_CLASS = "phx-client-error";
export const PHX_SERVER_ERROR_CLASS = "phx-server-error";

/** The view container's state classes, per connection status. */
export const STATUS_CLASSES = Object.freeze({
  connecting: [PHX_LOADING_CLASS],
  connected: [PHX_CONNECTED_CLASS],
  disconnected: [PHX_LOADING_CLASS],
  "client-error": [PHX_LOADING_CLASS, PHX_ERROR_CLASS, PHX_CLIENT_ERROR_CLASS],
  "server-error": [PHX_LOADING_CLASS, PHX_ERROR_CLASS, PHX_SERVER_ERROR_CLASS],
});
export const ALL_STATUS_CLASSES = [...new Set(Object.values(STATUS_CLASSES).flat())];

/**
 * The class an element holds while its event of `kind` waits for the reply:
 * `phx-click-loading`, `phx-change-loading`, `phx-submit-loading` …
 * @param {string} kind
 * @returns {string}
 */
export function loadingClass(kind) {
  return `phx-${kind}-loading`;
}

/**
 * The name of the window event a pushed server event is dispatched as: `phx:<name>`.
 * @param {string} name
 * @returns {string}
 */
export function pushedEventName(name) {
  return `phx:${name}`;
}

// -- uploads (LiveView's names; the protocol is docs/client.md's "Uploads") ----------------------

/** A file input of an upload config: its ref (`phx-upload-<n>`), rendered by the server. */
export const PHX_UPLOAD_REF = "data-phx-upload-ref";
/** The entry refs the server knows (comma separated), and those fully received. */
export const PHX_ACTIVE_REFS = "data-phx-active-refs";
export const PHX_DONE_REFS = "data-phx-done-refs";
/** Present on a file input whose config has `auto_upload=True`: sent as soon as chosen. */
export const PHX_AUTO_UPLOAD = "data-phx-auto-upload";
/** A built-in hook the server renders (`data-phx-hook="pylive:ImgPreview"`), as `phx-hook`. */
export const PHX_DATA_HOOK = "data-phx-hook";
/** An image preview's entry ref (with its `data-phx-upload-ref`). */
export const PHX_ENTRY_REF = "data-phx-entry-ref";
/** An element files may be dropped on: its value is the upload ref they go to. */
export const PHX_DROP_TARGET = "phx-drop-target";
/** The class a drop target has while files are dragged over it. */
export const PHX_DROP_TARGET_ACTIVE_CLASS = "phx-drop-target-active";
/** The key of an event frame that carries the entries of the files chosen. */
export const UPLOADS_KEY = "uploads";
