// Uploads, the client's side of the protocol (issue 14): files chosen (input, drop, a hook's
// upload) ride on the form's phx-change as entries; the preflight; binary chunks, two in flight,
// each acknowledged; upload_error; the submit held until every entry is in;
// auto_upload; resume after a reconnect; external uploaders; the ImgPreview built-in hook.
// Exact frames in and out, on the fake socket of live.mjs.

import assert from "node:assert/strict";
import { test } from "node:test";

import { classes, joinedPage } from "../live.mjs";

/**
 * A test with fake timers (`setTimeout`), so no real heartbeat or reconnect timer outlives it.
 * @param {string} name
 * @param {(t: import("node:test").TestContext) => unknown} fn
 */
function live(name, fn) {
  test(name, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    t.mock.method(console, "warn", () => {});
    return fn(t);
  });
}

/** Let the file reads (promises) finish. */
function settle() {
  return new Promise((resolve) => setImmediate(resolve)).then(
    () => new Promise((resolve) => setImmediate(resolve)),
  );
}

/**
 * The binary frames `ws` is sent, decoded: `{header, bytes}` (text frames stay in `ws.sent`).
 * @param {any} ws
 * @returns {Array<{ header: any, bytes: string }>}
 */
function binaryOf(ws) {
  /** @type {Array<{ header: any, bytes: string }>} */
  const frames = [];
  const text = ws.send.bind(ws);
  ws.send = (/** @type {any} */ data) => {
    if (typeof data === "string") return text(data);
    assert.ok(data instanceof ArrayBuffer, `expected an ArrayBuffer, got ${data}`);
    const all = new Uint8Array(data);
    const length = (all[0] << 8) | all[1];
    const header = JSON.parse(new TextDecoder().decode(all.slice(2, 2 + length)));
    frames.push({ header, bytes: new TextDecoder().decode(all.slice(2 + length)) });
  };
  return frames;
}

/**
 * An upload form: a text field, the file input of config `phx-upload-0`.
 * @param {Record<string, string | boolean>} [input]  more attributes of the file input
 */
const FORM = (input = {}) => [
  [
    "form",
    { id: "f", "phx-change": "validate", "phx-submit": "save" },
    [
      ["input", { id: "title", name: "title", value: "t" }],
      [
        "input",
        {
          type: "file",
          id: "phx-upload-0",
          name: "avatar",
          accept: ".png,.txt",
          "data-phx-upload-ref": "phx-upload-0",
          "data-phx-active-refs": "",
          "data-phx-done-refs": "",
          ...input,
        },
      ],
      ["button", { id: "go" }, ["Go"]],
    ],
  ],
];

/**
 * Choose `files` in the file input, as the browser does (its `files`, then `input`).
 * @param {any} input
 * @param {File[]} files
 */
function choose(input, files) {
  Object.defineProperty(input, "files", { value: files, configurable: true });
  input.dispatchEvent(new input.ownerDocument.defaultView.Event("input", { bubbles: true }));
}

/**
 * @param {any} window
 * @param {string} text
 * @param {string} name
 * @param {string} [type]
 */
function file(window, text, name, type = "text/plain") {
  return new window.File([text], name, { type, lastModified: 1700000000000 });
}

/** The change event's fields for FORM (the title never focused). */
const FIELDS = [
  ["_unused_title", ""],
  ["title", "t"],
];

/**
 * The page joined to FORM with `files` chosen; its phx-change answered with the input's
 * `data-phx-active-refs` set to `active` (a patch).
 * @param {any[]} wires
 * @param {(window: any) => File[]} files
 * @param {string} active
 */
function chosen(wires, files, active) {
  const page = joinedPage(wires);
  const ws = page.current();
  const binary = binaryOf(ws);
  const input = page.document.getElementById("phx-upload-0");
  choose(input, files(page.window));
  const change = ws.last;
  ws.receive({ ref: change.ref, ops: [[1, [0, 1], { "data-phx-active-refs": active }]] });
  return { ...page, ws, binary, input, change };
}

// -- choosing ------------------------------------------------------------------------------------

live("chosen files go as entries in the form's phx-change; refs count on, never reused", () => {
  const { current, document, window } = joinedPage(FORM({ multiple: true }));
  const input = document.getElementById("phx-upload-0");
  choose(input, [file(window, "abc", "a.txt"), file(window, "", "b.png", "image/png")]);
  assert.deepEqual(current().sent, [
    {
      type: "event",
      ref: 1,
      kind: "change",
      event: "validate",
      value: FIELDS,
      target: "avatar",
      uploads: {
        "phx-upload-0": [
          { ref: "0", name: "a.txt", size: 3, type: "text/plain", last_modified: 1700000000000 },
          { ref: "1", name: "b.png", size: 0, type: "image/png", last_modified: 1700000000000 },
        ],
      },
    },
  ]);
  assert.equal(classes(/** @type {any} */ (input)), "phx-change-loading");
  choose(input, [file(window, "z", "c.txt")]);
  assert.deepEqual(current().last.uploads, {
    "phx-upload-0": [
      { ref: "2", name: "c.txt", size: 1, type: "text/plain", last_modified: 1700000000000 },
    ],
  });
});

live("a long name or type is cut to 255 characters", () => {
  const { current, document, window } = joinedPage(FORM());
  const long = "n".repeat(300);
  choose(document.getElementById("phx-upload-0"), [file(window, "x", long, "t".repeat(300))]);
  const [entry] = current().last.uploads["phx-upload-0"];
  assert.equal(entry.name, "n".repeat(255));
  assert.equal(entry.type, "t".repeat(255));
});

live("a file input without a phx-change on its form sends nothing, and says why", (t) => {
  const errors = t.mock.method(console, "error", () => {});
  const wires = FORM();
  delete wires[0][1]["phx-change"];
  const { current, document, window } = joinedPage(wires);
  choose(document.getElementById("phx-upload-0"), [file(window, "x", "a.txt")]);
  assert.deepEqual(current().sent, []);
  assert.equal(
    errors.mock.calls[0].arguments[0],
    "pylive: the file input #phx-upload-0 needs a phx-change on its form: files not sent",
  );
});

// -- manual upload: on submit --------------------------------------------------------------------

live("a submit sends its entries first (preflight, chunk, ack …), then itself", async () => {
  const { ws, binary, document } = chosen(
    FORM(),
    (w) => [file(w, "abcdefghij", "a.txt")],
    "0",
  );
  assert.equal(ws.sent.length, 1, "no preflight before the submit (not auto_upload)");
  document.getElementById("go").click();
  const preflight = ws.last;
  assert.deepEqual(preflight, { type: "upload", ref: 2, upload: "phx-upload-0", entries: ["0"] });
  const token = "tok-0123456789abcdefghijkl";
  ws.receive({
    ref: 2,
    reply: { entries: { 0: { token, chunk_size: 4, offset: 0 } }, errors: {} },
  });
  await settle();
  await settle();
  assert.deepEqual(binary, [
    { header: { token, offset: 0 }, bytes: "abcd" },
    { header: { token, offset: 4 }, bytes: "efgh" },
  ]);
  await settle();
  assert.equal(binary.length, 2, "two chunks in flight, no more");
  ws.receive({ type: "upload_ack", token, received: 4 });
  await settle();
  assert.deepEqual(binary.slice(2), [{ header: { token, offset: 8 }, bytes: "ij" }]);
  ws.receive({ type: "upload_ack", token, received: 8 });
  await settle();
  assert.equal(binary.length, 3, "nothing past the file's end");
  assert.equal(ws.sent.length, 2, "the submit waits for the last ack");
  ws.receive({ type: "upload_ack", token, received: 10 });
  assert.deepEqual(ws.last, {
    type: "event",
    ref: 3,
    kind: "submit",
    event: "save",
    value: [["title", "t"]],
  });
});

live("a submit waiting for its files shows its loading states at once; patches still apply", async () => {
  const wires = FORM();
  wires[0][2][2] = ["button", { id: "go", "phx-disable-with": "Saving…" }, ["Go"]];
  const { ws, document } = chosen(wires, (w) => [file(w, "abcdef", "a.txt")], "0");
  const form = document.getElementById("f");
  const title = document.getElementById("title");
  const go = document.getElementById("go");
  go.click();
  assert.equal(ws.last.type, "upload", "the files go first");
  // What the submit will show while it waits, shown while its files go.
  assert.equal(classes(form), "phx-submit-loading");
  assert.equal(classes(go), "phx-submit-loading");
  assert.equal(go.textContent, "Saving…");
  assert.equal(go.disabled, true);
  assert.equal(title.readOnly, true);
  const token = "tok-0123456789abcdefghijkl";
  ws.receive({
    ref: ws.last.ref,
    reply: { entries: { 0: { token, chunk_size: 4, offset: 0 } }, errors: {} },
    ops: [[1, [0, 0], { value: "t", "data-progress": "0" }]],
  });
  assert.equal(title.getAttribute("data-progress"), "0", "a patch is not held back");
  await settle();
  ws.receive({ type: "upload_ack", token, received: 4 });
  ws.receive({ type: "patch", ops: [[1, [0, 0], { value: "t", "data-progress": "66" }]] });
  assert.equal(title.getAttribute("data-progress"), "66");
  assert.equal(title.readOnly, true, "locked again after the patch");
  assert.equal(go.textContent, "Saving…");
  await settle();
  ws.receive({ type: "upload_ack", token, received: 6 });
  const submit = ws.last;
  assert.equal(submit.kind, "submit");
  assert.equal(classes(form), "phx-submit-loading", "the submit carries them on");
  assert.equal(go.textContent, "Saving…");
  assert.equal(title.readOnly, true);
  ws.receive({ ref: submit.ref });
  assert.equal(classes(form), "");
  assert.equal(classes(go), "");
  assert.equal(go.textContent, "Go");
  assert.equal(go.disabled, false);
  assert.equal(title.readOnly, false);
});

live("a held submit's loading states end when the connection drops", () => {
  const { ws, document, current } = chosen(FORM(), (w) => [file(w, "abc", "a.txt")], "0");
  document.getElementById("go").click();
  assert.equal(classes(document.getElementById("f")), "phx-submit-loading");
  ws.drop();
  assert.equal(classes(document.getElementById("f")), "");
  assert.equal(document.getElementById("title").readOnly, false);
  assert.ok(current());
});

live("a submit of a form whose entries the server has (done refs) or none goes at once", () => {
  const { ws, document, input } = chosen(FORM(), (w) => [file(w, "abc", "a.txt")], "0");
  input.setAttribute("data-phx-done-refs", "0");
  document.getElementById("go").click();
  assert.equal(ws.last.kind, "submit");
});

live("preflight errors fail entries; upload_error stops one; then the submit goes", async () => {
  const { ws, binary, document } = chosen(
    FORM({ multiple: true }),
    (w) => [file(w, "abcdef", "a.txt"), file(w, "big", "b.txt"), file(w, "", "e.txt")],
    "0,1,2",
  );
  document.getElementById("go").click();
  assert.deepEqual(ws.last.entries, ["0", "1", "2"]);
  const token = "t0-0123456789abcdefghijkl";
  ws.receive({
    ref: ws.last.ref,
    reply: {
      entries: {
        0: { token, chunk_size: 2, offset: 0 },
        2: { token: "t2-0123456789abcdefghijkl", chunk_size: 2, offset: 0 },
      },
      errors: { 1: ["too_large"] },
    },
  });
  await settle();
  await settle();
  const first = [
    { header: { token, offset: 0 }, bytes: "ab" },
    { header: { token, offset: 2 }, bytes: "cd" },
  ];
  assert.deepEqual(binary, first, "the 0-byte entry is done at its preflight");
  ws.receive({ type: "upload_error", token, error: "too_large" });
  assert.equal(ws.last.kind, "submit");
  ws.receive({ type: "upload_ack", token, received: 2 });
  await settle();
  assert.equal(binary.length, 2, "no chunk after an upload_error");
});

live("entries the server does not list as active are not sent", () => {
  const { ws, document } = chosen(FORM(), (w) => [file(w, "abc", "a.txt")], "");
  document.getElementById("go").click();
  assert.equal(ws.last.kind, "submit");
});

live("a second file in a single-entry input replaces the one not sent", () => {
  const { ws, document, input, window } = chosen(FORM(), (w) => [file(w, "abc", "a.txt")], "0");
  choose(input, [file(window, "xyz", "b.txt")]);
  assert.deepEqual(ws.last.uploads["phx-upload-0"].map((/** @type {any} */ e) => e.ref), ["1"]);
  ws.receive({ ref: ws.last.ref, ops: [[1, [0, 1], { "data-phx-active-refs": "1" }]] });
  document.getElementById("go").click();
  assert.deepEqual(ws.last.entries, ["1"]);
});

// -- auto upload ---------------------------------------------------------------------------------

live("auto_upload: the preflight goes once the server knows the entries", async () => {
  const { ws, binary, change } = chosen(
    FORM({ "data-phx-auto-upload": true }),
    (w) => [file(w, "hello", "a.txt")],
    "0",
  );
  assert.equal(change.kind, "change");
  assert.deepEqual(ws.last, { type: "upload", ref: 2, upload: "phx-upload-0", entries: ["0"] });
  const token = "auto-0123456789abcdefghij";
  ws.receive({ ref: 2, reply: { entries: { 0: { token, chunk_size: 64000, offset: 0 } } } });
  await settle();
  assert.deepEqual(binary, [{ header: { token, offset: 0 }, bytes: "hello" }]);
  // A progress patch (another frame) does not preflight it again.
  ws.receive({ type: "patch", ops: [[1, [0], { class: "busy" }]] });
  assert.equal(ws.sent.length, 2);
});

// -- resume after a reconnect --------------------------------------------------------------------

live("after a reconnect, the recovery re-sends the entries and the upload resumes", async (t) => {
  const page = chosen(
    FORM({ "data-phx-auto-upload": true }),
    (w) => [file(w, "abcdefgh", "a.txt")],
    "0",
  );
  const token = "resume-0123456789abcdefg";
  page.ws.receive({ ref: 2, reply: { entries: { 0: { token, chunk_size: 4, offset: 0 } } } });
  await settle();
  await settle();
  assert.equal(page.binary.length, 2);
  page.ws.drop(1006); // the chunks' acks never come
  t.mock.timers.tick(10);
  const ws = page.current();
  const binary = binaryOf(ws);
  ws.open();
  ws.receive({ ref: ws.last.ref, tree: FORM({ "data-phx-auto-upload": true }) });
  assert.deepEqual(ws.sent.slice(1), [
    {
      type: "event",
      ref: 1,
      kind: "change",
      event: "validate",
      value: FIELDS,
      uploads: {
        "phx-upload-0": [
          { ref: "0", name: "a.txt", size: 8, type: "text/plain", last_modified: 1700000000000 },
        ],
      },
    },
  ]);
  ws.receive({ ref: 1, ops: [[1, [0, 1], { "data-phx-active-refs": "0" }]] });
  assert.deepEqual(ws.last, {
    type: "upload",
    ref: 2,
    upload: "phx-upload-0",
    entries: ["0"],
    resume: { 0: token },
  });
  ws.receive({ ref: 2, reply: { entries: { 0: { token, chunk_size: 4, offset: 4 } } } });
  await settle();
  assert.deepEqual(binary, [{ header: { token, offset: 4 }, bytes: "efgh" }]);
  assert.deepEqual(page.binary.length, 2, "nothing more on the old socket");
});

// -- binary frames and the latency simulator -----------------------------------------------------

live("chunks go through the latency simulator, in order with the text frames", async (t) => {
  t.mock.method(console, "info", () => {});
  const page = chosen(FORM(), (w) => [file(w, "abc", "a.txt")], "0");
  page.document.getElementById("go").click();
  page.socket.latency.enable(100);
  const token = "lat-0123456789abcdefghijk";
  page.ws.receive({ ref: 2, reply: { entries: { 0: { token, chunk_size: 9, offset: 0 } } } });
  t.mock.timers.tick(100); // the reply, held on its way in
  await settle();
  assert.deepEqual(page.binary, [], "held on its way out");
  t.mock.timers.tick(100);
  assert.deepEqual(page.binary, [{ header: { token, offset: 0 }, bytes: "abc" }]);
  page.socket.latency.disable();
});

// -- external uploads ----------------------------------------------------------------------------

live("an external uploader gets the entries; its progress and errors go as frames", async () => {
  const page = chosen(
    FORM({ multiple: true }),
    (w) => [file(w, "abc", "a.txt"), file(w, "xy", "b.txt")],
    "0,1",
  );
  /** @type {any[]} */
  const calls = [];
  page.socket.uploaders.S3 = (/** @type {any[]} */ entries, /** @type {any} */ onViewError) => {
    calls.push(entries.map((e) => [e.ref, e.file.name, e.meta]));
    calls.push(typeof onViewError);
    entries[0].progress(49.7);
    entries[0].progress(100);
    entries[1].error("denied");
  };
  page.document.getElementById("go").click();
  page.ws.receive({
    ref: 2,
    reply: {
      entries: {
        0: { token: "e0", uploader: "S3", meta: { url: "https://s3/x" } },
        1: { token: "e1", uploader: "S3", meta: {} },
      },
    },
  });
  await settle();
  assert.deepEqual(calls, [
    [
      ["0", "a.txt", { url: "https://s3/x" }],
      ["1", "b.txt", {}],
    ],
    "function",
  ]);
  assert.deepEqual(page.ws.sent.slice(2), [
    { type: "upload_progress", ref: 3, token: "e0", progress: 49 },
    { type: "upload_progress", ref: 4, token: "e0", progress: 100 },
    { type: "upload_progress", ref: 5, token: "e1", error: "denied" },
    { type: "event", ref: 6, kind: "submit", event: "save", value: [["title", "t"]] },
  ]);
  assert.deepEqual(page.binary, []);
});

live("an uploader nobody registered: its entries fail with an error frame", async (t) => {
  const errors = t.mock.method(console, "error", () => {});
  const page = chosen(FORM(), (w) => [file(w, "abc", "a.txt")], "0");
  page.document.getElementById("go").click();
  const entries = { 0: { token: "e0", uploader: "Nope", meta: {} } };
  page.ws.receive({ ref: 2, reply: { entries } });
  await settle();
  const why = 'no uploader "Nope" in window.pylive.uploaders';
  assert.deepEqual(page.ws.sent.slice(2, 3), [
    { type: "upload_progress", ref: 3, token: "e0", error: why },
  ]);
  assert.equal(errors.mock.calls[0].arguments[0], `pylive: ${why}, got undefined`);
  assert.equal(page.ws.last.kind, "submit");
});

live("an uploader's onViewError callbacks run when the connection is lost", async () => {
  const page = chosen(FORM(), (w) => [file(w, "abc", "a.txt")], "0");
  /** @type {string[]} */
  const log = [];
  page.socket.uploaders.S3 = (/** @type {any} */ _entries, /** @type {any} */ onViewError) => {
    onViewError(() => log.push("view error"));
  };
  page.document.getElementById("go").click();
  page.ws.receive({ ref: 2, reply: { entries: { 0: { token: "e0", uploader: "S3", meta: {} } } } });
  await settle();
  assert.deepEqual(log, []);
  page.ws.drop(1006);
  assert.deepEqual(log, ["view error"]);
});

// -- drop targets --------------------------------------------------------------------------------

/**
 * @param {any} window
 * @param {string} type
 * @param {File[]} [files]
 */
function dragEvent(window, type, files = []) {
  const e = new window.Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(e, "dataTransfer", { value: { files, dropEffect: "none" } });
  return e;
}

live("phx-drop-target: active class while dragged over; dropped files are chosen", () => {
  const zone0 = ["div", { id: "zone", "phx-drop-target": "phx-upload-0" }, [["p", {}, ["drop"]]]];
  const wires = [...FORM({ multiple: true }), zone0];
  const { current, document, window } = joinedPage(wires);
  const zone = /** @type {any} */ (document.getElementById("zone"));
  const over = dragEvent(window, "dragover");
  zone.firstChild.dispatchEvent(over);
  assert.equal(over.defaultPrevented, true);
  assert.equal(classes(zone), "phx-drop-target-active");
  zone.dispatchEvent(dragEvent(window, "dragleave"));
  assert.equal(classes(zone), "");
  zone.dispatchEvent(dragEvent(window, "dragover"));
  const drop = dragEvent(window, "drop", [file(window, "abc", "a.txt")]);
  zone.dispatchEvent(drop);
  assert.equal(drop.defaultPrevented, true);
  assert.equal(classes(zone), "");
  assert.deepEqual(current().last, {
    type: "event",
    ref: 1,
    kind: "change",
    event: "validate",
    value: FIELDS,
    target: "avatar",
    uploads: {
      "phx-upload-0": [
        { ref: "0", name: "a.txt", size: 3, type: "text/plain", last_modified: 1700000000000 },
      ],
    },
  });
});

// -- hooks: ImgPreview, upload / uploadTo --------------------------------------------------------

live("pylive:ImgPreview shows the entry's local file, revoked when its element goes", () => {
  const page = joinedPage(FORM());
  /** @type {string[]} */
  const log = [];
  page.window.URL.createObjectURL = (/** @type {File} */ f) => {
    log.push(`create ${f.name}`);
    return "blob:1";
  };
  page.window.URL.revokeObjectURL = (/** @type {string} */ url) => log.push(`revoke ${url}`);
  choose(page.document.getElementById("phx-upload-0"), [file(page.window, "abc", "a.png")]);
  const img = [
    "img",
    {
      id: "phx-preview-phx-upload-0-0",
      "data-phx-upload-ref": "phx-upload-0",
      "data-phx-entry-ref": "0",
      "data-phx-hook": "pylive:ImgPreview",
    },
  ];
  page.current().receive({ ref: 1, ops: [[2, [], 1, img]] });
  const el = /** @type {any} */ (page.document.getElementById("phx-preview-phx-upload-0-0"));
  assert.equal(el.getAttribute("src"), "blob:1");
  page.current().receive({ type: "patch", ops: [[1, [1], { class: "thumb" }]] });
  assert.deepEqual(log, ["create a.png"], "an attrs patch keeps the instance");
  page.current().receive({ type: "patch", ops: [[3, [1]]] });
  assert.deepEqual(log, ["create a.png", "revoke blob:1"]);
});

live("a hook's upload(name, files) and uploadTo(target, name, files) choose files", () => {
  const wires = [
    ...FORM(),
    [
      "div",
      { id: "c1", "data-phx-component": "1" },
      [
        [
          "form",
          { id: "g", "phx-change": "check", "phx-target": "1" },
          [
            [
              "input",
              {
                type: "file",
                name: "doc",
                id: "phx-upload-1",
                "data-phx-upload-ref": "phx-upload-1",
              },
            ],
          ],
        ],
      ],
    ],
    ["div", { id: "h", "phx-hook": "Up" }],
  ];
  const page = joinedPage([]);
  /** @type {any} */
  let hook = null;
  page.socket.registry.register("Up", {
    mounted() {
      hook = this;
    },
  });
  page.current().receive({ type: "patch", ops: wires.map((w, i) => [2, [], i, w]) });
  hook.upload("avatar", [file(page.window, "abc", "a.txt")]);
  assert.deepEqual(page.current().last.uploads, {
    "phx-upload-0": [
      { ref: "0", name: "a.txt", size: 3, type: "text/plain", last_modified: 1700000000000 },
    ],
  });
  hook.uploadTo(1, "doc", [file(page.window, "d", "d.txt")]);
  const frame = page.current().last;
  assert.deepEqual([frame.event, frame.cid, frame.target], ["check", 1, "doc"]);
  assert.deepEqual(frame.uploads["phx-upload-1"][0].ref, "0");
  assert.throws(
    () => hook.upload("nope", []),
    /no file input of an upload named "nope"/,
  );
});

live("a held submit survives a reconnect: the entry resumes, then the submit goes", async (t) => {
  const page = chosen(FORM(), (w) => [file(w, "abcdef", "a.txt")], "0");
  page.document.getElementById("go").click();
  page.document.getElementById("go").click(); // ignored: the first still waits for its files
  assert.deepEqual(
    page.ws.sent.map((/** @type {any} */ f) => f.type),
    ["event", "upload"],
  );
  const token = "held-0123456789abcdefghij";
  page.ws.receive({ ref: 2, reply: { entries: { 0: { token, chunk_size: 3, offset: 0 } } } });
  await settle();
  page.ws.drop(1006);
  t.mock.timers.tick(10);
  const ws = page.current();
  const binary = binaryOf(ws);
  ws.open();
  ws.receive({ ref: ws.last.ref, tree: FORM() });
  assert.equal(ws.last.kind, "change");
  ws.receive({ ref: ws.last.ref, ops: [[1, [0, 1], { "data-phx-active-refs": "0" }]] });
  assert.deepEqual(ws.last.resume, { 0: token });
  ws.receive({ ref: ws.last.ref, reply: { entries: { 0: { token, chunk_size: 3, offset: 3 } } } });
  await settle();
  assert.deepEqual(binary, [{ header: { token, offset: 3 }, bytes: "def" }]);
  ws.receive({ type: "upload_ack", token, received: 6 });
  assert.deepEqual(ws.last, {
    type: "event",
    ref: 3,
    kind: "submit",
    event: "save",
    value: [["title", "t"]],
  });
});

live("an ack that is not an integer is logged and changes nothing", async (t) => {
  const errors = t.mock.method(console, "error", () => {});
  const page = chosen(FORM(), (w) => [file(w, "abcdefghi", "a.txt")], "0");
  page.document.getElementById("go").click();
  const token = "bad-0123456789abcdefghijk";
  page.ws.receive({ ref: 2, reply: { entries: { 0: { token, chunk_size: 3, offset: 0 } } } });
  await settle();
  await settle();
  assert.equal(page.binary.length, 2);
  page.ws.receive({ type: "upload_ack", token, received: "3" });
  await settle();
  assert.equal(page.binary.length, 2, "the window did not move");
  assert.equal(
    errors.mock.calls[0].arguments[0],
    'pylive: upload_ack: expected an integer "received" ≥ 0, got "3"',
  );
});

live("a preflight reply without a token fails the entry, says why; the submit goes", async (t) => {
  const errors = t.mock.method(console, "error", () => {});
  const page = chosen(FORM(), (w) => [file(w, "abc", "a.txt")], "0");
  page.document.getElementById("go").click();
  page.ws.receive({ ref: 2, reply: { entries: { 0: { chunk_size: 3, offset: 0 } } } });
  await settle();
  assert.equal(
    errors.mock.calls[0].arguments[0],
    "pylive: upload preflight reply, entry 0: expected a token (a non-empty string), got undefined",
  );
  assert.equal(page.ws.last.kind, "submit");
  assert.deepEqual(page.binary, []);
});
