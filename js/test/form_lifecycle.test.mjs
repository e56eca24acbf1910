// Forms over their life (issue 14): the used markers of a phx-change payload, the submit
// lifecycle (readonly and disabled while it waits, frames held until its reply, the server's
// values applied on the reply, the focused control too), phx-trigger-action's HTTP submit, and
// the recovery of every form after a reconnect.

import assert from "node:assert/strict";
import { test } from "node:test";

import { classes, joinedPage, livePage } from "../live.mjs";

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

/**
 * Type into a control as a user would: set its value (or checkedness), fire `input`.
 * @param {any} el
 * @param {string | boolean} value
 */
function type(el, value) {
  if (typeof value === "boolean") el.checked = value;
  else el.value = value;
  el.dispatchEvent(new el.ownerDocument.defaultView.Event("input", { bubbles: true }));
}

// -- used markers --------------------------------------------------------------------------------

const PROFILE = [
  [
    "form",
    { id: "f", "phx-change": "validate", "phx-submit": "save" },
    [
      ["input", { type: "hidden", name: "user[id]", value: "7" }],
      ["input", { id: "name", name: "user[name]", value: "Al" }],
      ["input", { id: "email", name: "user[email]", value: "" }],
      ["input", { id: "city", name: "user[address][city]", value: "Oslo" }],
      ["input", { type: "checkbox", name: "user[tags][]", value: "a", checked: true }],
      ["input", { type: "checkbox", name: "user[tags][]", value: "b", checked: true }],
      ["input", { id: "note", name: "note", value: "n" }],
      ["button", { id: "go", name: "action", value: "go" }, ["Go"]],
    ],
  ],
];

live("phx-change marks every field not used yet: flat, nested and list names, not hidden", () => {
  const { current, document } = joinedPage(PROFILE);
  type(document.getElementById("email"), "a@b");
  assert.deepEqual(current().last.value, [
    ["user[id]", "7"],
    ["user[_unused_name]", ""],
    ["user[name]", "Al"],
    ["user[email]", "a@b"],
    ["user[address][_unused_city]", ""],
    ["user[address][city]", "Oslo"],
    ["user[_unused_tags]", ""],
    ["user[tags][]", "a"],
    ["user[tags][]", "b"],
    ["_unused_note", ""],
    ["note", "n"],
  ]);
});

live("a field that had focus loses its marker; after a submit no field has one", () => {
  const { current, document } = joinedPage(PROFILE);
  document.getElementById("name").focus();
  document.getElementById("city").focus();
  type(document.getElementById("email"), "a@b");
  assert.deepEqual(current().last.value, [
    ["user[id]", "7"],
    ["user[name]", "Al"],
    ["user[email]", "a@b"],
    ["user[address][city]", "Oslo"],
    ["user[_unused_tags]", ""],
    ["user[tags][]", "a"],
    ["user[tags][]", "b"],
    ["_unused_note", ""],
    ["note", "n"],
  ]);
  current().receive({ ref: current().last.ref });
  document.getElementById("f").requestSubmit(document.getElementById("go"));
  const submit = current().last;
  assert.equal(submit.kind, "submit");
  assert.deepEqual(submit.value, [
    ["user[id]", "7"],
    ["user[name]", "Al"],
    ["user[email]", "a@b"],
    ["user[address][city]", "Oslo"],
    ["user[tags][]", "a"],
    ["user[tags][]", "b"],
    ["note", "n"],
    ["action", "go"],
  ]);
  current().receive({ ref: submit.ref });
  type(document.getElementById("note"), "m");
  assert.deepEqual(current().last.value, [
    ["user[id]", "7"],
    ["user[name]", "Al"],
    ["user[email]", ""], // the reply gave every field the server's value
    ["user[address][city]", "Oslo"],
    ["user[tags][]", "a"],
    ["user[tags][]", "b"],
    ["note", "m"],
  ]);
});

// -- the submit lifecycle ------------------------------------------------------------------------

const LOCKED = [
  [
    "form",
    { id: "f", "phx-submit": "save" },
    [
      ["input", { id: "text", name: "text", value: "" }],
      ["input", { id: "ro", name: "ro", value: "r", readonly: true }],
      ["input", { id: "off", name: "off", value: "o", disabled: true }],
      ["input", { id: "box", name: "box", type: "checkbox" }],
      ["textarea", { id: "area", name: "area" }, ["t"]],
      ["select", { id: "sel", name: "sel" }, [["option", { value: "1" }, ["1"]]]],
      ["select", { id: "sel-off", name: "s2", disabled: true }, [["option", {}, ["x"]]]],
      ["button", { id: "save", "phx-disable-with": "Saving…" }, ["Save"]],
      ["button", { id: "plain", type: "button" }, ["Other"]],
      ["button", { id: "dead", disabled: true }, ["Dead"]],
      ["input", { id: "sub", type: "submit", value: "Go" }],
    ],
  ],
  ["p", { id: "out" }, ["0"]],
];

/**
 * The readonly and disabled properties of every control of the LOCKED form, by id.
 * @param {Document} document
 */
function lockState(document) {
  const ids = ["text", "ro", "off", "box", "area", "sel", "sel-off", "save", "plain", "dead", "sub"];
  return Object.fromEntries(
    ids.map((id) => {
      const el = /** @type {any} */ (document.getElementById(id));
      return [id, `${el.readOnly ? "readonly " : ""}${el.disabled ? "disabled" : ""}`.trim()];
    }),
  );
}

const UNLOCKED = {
  text: "",
  ro: "readonly",
  off: "disabled",
  box: "",
  area: "",
  sel: "",
  "sel-off": "disabled",
  save: "",
  plain: "",
  dead: "disabled",
  sub: "",
};

live("a submit locks its form until the reply and restores exactly what it changed", () => {
  const { current, document } = joinedPage(LOCKED);
  const form = /** @type {any} */ (document.getElementById("f"));
  assert.deepEqual(lockState(document), UNLOCKED);
  form.requestSubmit();
  assert.equal(classes(form), "phx-submit-loading");
  assert.deepEqual(lockState(document), {
    text: "readonly",
    ro: "readonly",
    off: "disabled",
    box: "readonly",
    area: "readonly",
    sel: "disabled",
    "sel-off": "disabled",
    save: "disabled",
    plain: "disabled",
    dead: "disabled",
    sub: "disabled",
  });
  assert.equal(document.getElementById("save")?.textContent, "Saving…");
  // The readonly and disabled attributes are pylive's: a patch's paths do not see them.
  current().receive({ ref: current().last.ref, ops: [[0, [1, 0], "1"]] });
  assert.equal(classes(form), "");
  assert.deepEqual(lockState(document), UNLOCKED);
  assert.equal(document.getElementById("save")?.textContent, "Save");
  assert.equal(document.getElementById("out")?.textContent, "1");
  assert.equal(document.getElementById("text")?.hasAttribute("readonly"), false);
});

live("a connection lost while a submit waits unlocks its form and drops the held frames", () => {
  const { current, document } = joinedPage(LOCKED);
  /** @type {any} */ (document.getElementById("f")).requestSubmit();
  current().receive({ type: "patch", ops: [[0, [1, 0], "B"]] });
  current().drop(1006);
  assert.deepEqual(lockState(document), UNLOCKED);
  assert.equal(document.getElementById("save")?.textContent, "Save");
  assert.equal(classes(/** @type {Element} */ (document.getElementById("f"))), "");
  assert.equal(document.getElementById("out")?.textContent, "0");
});

live("frames that arrive while a submit waits are held, then applied in order with its reply", () => {
  const { current, document } = joinedPage(LOCKED);
  const out = /** @type {HTMLElement} */ (document.getElementById("out"));
  document.getElementById("plain")?.setAttribute("phx-click", "other");
  /** @type {HTMLElement} */ (document.getElementById("plain")).click();
  const click = current().last.ref;
  /** @type {any} */ (document.getElementById("f")).requestSubmit();
  const submit = current().last.ref;
  current().receive({ ref: click, ops: [[0, [1, 0], "A"]] });
  current().receive({ type: "patch", ops: [[0, [1, 0], "B"]] });
  assert.equal(out.textContent, "0", "held while the submit waits");
  assert.equal(document.getElementById("text")?.getAttribute("readonly"), "");
  const observer = new (/** @type {any} */ (document.defaultView).MutationObserver)(() => {});
  observer.observe(out, { characterData: true, characterDataOldValue: true, subtree: true });
  current().receive({ ref: submit, ops: [[0, [1, 0], "C"]] });
  // Each text before each op: the click's reply, the pushed patch, then the submit's reply.
  const before = observer.takeRecords().map((/** @type {any} */ record) => record.oldValue);
  assert.deepEqual(before, ["0", "A", "B"]);
  assert.equal(out.textContent, "C");
  assert.deepEqual(lockState(document), UNLOCKED);
  // Nothing waits any more: the next frame applies at once.
  current().receive({ type: "patch", ops: [[0, [1, 0], "D"]] });
  assert.equal(out.textContent, "D");
});

live("the reply of a submit gives every control the server's value, the focused one too", () => {
  const todo = [
    [
      "form",
      { id: "todo", "phx-submit": "add" },
      [
        ["input", { id: "text", name: "text", value: "" }],
        ["input", { id: "done", name: "done", type: "checkbox" }],
        [
          "select",
          { id: "prio", name: "prio" },
          [
            ["option", { value: "low" }, ["low"]],
            ["option", { value: "high" }, ["high"]],
          ],
        ],
        ["textarea", { id: "memo", name: "memo" }, [""]],
      ],
    ],
    ["input", { id: "search", value: "" }],
  ];
  const { current, document } = joinedPage(todo);
  const text = /** @type {any} */ (document.getElementById("text"));
  text.focus();
  type(text, "milk");
  type(document.getElementById("done"), true);
  /** @type {any} */ (document.getElementById("prio")).value = "high";
  /** @type {any} */ (document.getElementById("memo")).value = "from the shop";
  /** @type {any} */ (document.getElementById("todo")).requestSubmit(); // Enter in the input
  assert.deepEqual(current().last.value, [
    ["text", "milk"],
    ["done", "on"],
    ["prio", "high"],
    ["memo", "from the shop"],
  ]);
  // The server adds the todo and renders the form as it was: nothing to patch in it.
  current().receive({ ref: current().last.ref });
  assert.equal(document.activeElement, text);
  assert.equal(text.value, "");
  assert.equal(/** @type {any} */ (document.getElementById("done")).checked, false);
  assert.equal(/** @type {any} */ (document.getElementById("prio")).value, "low");
  assert.equal(/** @type {any} */ (document.getElementById("memo")).value, "");
  // Any other patch keeps the focused control's value (dom.mjs's rule holds).
  type(text, "eggs");
  current().receive({ type: "patch", ops: [[1, [0, 0], { value: "server" }]] });
  assert.equal(text.value, "eggs");
  const search = /** @type {any} */ (document.getElementById("search"));
  search.value = "typed";
  current().receive({ type: "patch", ops: [[1, [1], { value: "rendered" }]] });
  assert.equal(search.value, "rendered");
});

// -- phx-trigger-action --------------------------------------------------------------------------

const LOGIN = [
  [
    "form",
    { id: "login", action: "/users/log_in", method: "post", "phx-submit": "login" },
    [
      ["input", { name: "email", value: "a@b" }],
      ["button", { id: "in", name: "remember", value: "yes" }, ["Log in"]],
    ],
  ],
];

/**
 * Count the HTTP submits (`HTMLFormElement.prototype.submit`) and what each sent.
 * @param {import("node:test").TestContext} t
 * @param {any} window
 */
function watchSubmits(t, window) {
  /** @type {Array<{ form: HTMLFormElement, pairs: Array<[string, string]> }>} */
  const submits = [];
  t.mock.method(window.HTMLFormElement.prototype, "submit", function () {
    const data = new window.FormData(this);
    submits.push({ form: this, pairs: Array.from(data.entries()) });
  });
  return submits;
}

live("phx-trigger-action submits the form over HTTP once, with the submitter and the CSRF token", (t) => {
  const { current, document, window, container, socket } = joinedPage(LOGIN);
  const submits = watchSubmits(t, window);
  const form = /** @type {any} */ (document.getElementById("login"));
  let submitEvents = 0;
  form.addEventListener("submit", () => submitEvents++);
  form.requestSubmit(document.getElementById("in"));
  assert.equal(submitEvents, 1);
  const ws = current();
  ws.receive({ ref: ws.last.ref, ops: [[1, [0], { "phx-trigger-action": true }]] });
  assert.equal(submits.length, 1);
  assert.equal(submits[0].form, form);
  assert.deepEqual(submits[0].pairs, [
    ["email", "a@b"],
    ["remember", "yes"],
    ["_csrf_token", "csrf+/=1"],
  ]);
  assert.equal(submitEvents, 1, "no submit event: phx-submit does not see the HTTP submit");
  assert.equal(form.action, "http://127.0.0.1:8000/users/log_in");
  assert.equal(form.method, "post");
  // The socket was closed for good, quietly: no notice, no reconnect.
  assert.equal(ws.closedWith, 1000);
  assert.equal(classes(container), "phx-connected");
  assert.equal(socket.isConnected(), false);
  t.mock.timers.tick(60000);
  assert.equal(document.getElementById("pylive-disconnected"), null);
  assert.equal(submits.length, 1);
});

live("phx-trigger-action in the join render submits; =\"false\" does not; a token field stays", (t) => {
  const page = livePage([]);
  const submits = watchSubmits(t, page.window);
  page.socket.connect();
  page.current().open();
  const off = structuredClone(LOGIN);
  off[0][1]["phx-trigger-action"] = "false";
  page.current().receive({ ref: 0, tree: off });
  assert.equal(submits.length, 0);
  const on = structuredClone(LOGIN);
  on[0][1]["phx-trigger-action"] = true;
  on[0][2].push(["input", { type: "hidden", name: "_csrf_token", value: "own" }]);
  page.current().receive({ type: "patch", ops: [[1, [0], { "phx-trigger-action": true }]] });
  assert.equal(submits.length, 1);
  assert.deepEqual(submits[0].pairs, [
    ["email", "a@b"],
    ["_csrf_token", "csrf+/=1"],
  ]);
  // A page joined with it on (no phx-submit before: no submitter), its own token kept.
  const second = livePage([]);
  const more = watchSubmits(t, second.window);
  second.socket.connect();
  second.current().open();
  second.current().receive({ ref: 0, tree: on });
  assert.equal(more.length, 1);
  assert.deepEqual(more[0].pairs, [
    ["email", "a@b"],
    ["_csrf_token", "own"],
  ]);
  assert.equal(second.current().closedWith, 1000);
});

// -- recovery ------------------------------------------------------------------------------------

/** Three forms as a server renders them: plain, per-input phx-change, in a component. */
const RECOVERED = () => [
  [
    "form",
    { id: "plain", "phx-change": "validate", "phx-submit": "save" },
    [
      ["input", { type: "hidden", name: "user[id]", value: "7" }],
      ["input", { id: "name", name: "user[name]", value: "" }],
      ["input", { id: "email", name: "user[email]", value: "" }],
      ["input", { id: "t-a", type: "checkbox", name: "user[tags][]", value: "a" }],
      ["input", { id: "t-b", type: "checkbox", name: "user[tags][]", value: "b" }],
      [
        "select",
        { id: "plan", name: "user[plan]" },
        [
          ["option", { value: "free" }, ["free"]],
          ["option", { value: "pro" }, ["pro"]],
        ],
      ],
      ["textarea", { id: "bio", name: "user[bio]" }, [""]],
    ],
  ],
  [
    "form",
    { id: "per" },
    [
      ["input", { id: "nick", name: "nick", value: "", "phx-change": "nick" }],
      ["input", { id: "age", name: "age", value: "", "phx-change": "age", "phx-target": "1" }],
      ["input", { id: "free", name: "free", value: "" }],
    ],
  ],
  [
    "div",
    { id: "c1", "data-phx-component": "1" },
    [
      [
        "form",
        { id: "comp", "phx-change": "check", "phx-target": "1" },
        [["input", { id: "city", name: "city", value: "" }]],
      ],
    ],
  ],
];

/**
 * The page joined to RECOVERED, the user's typing done, then the socket dropped and opened
 * again: returns the page and the new socket, its join sent and not answered yet.
 * @param {import("node:test").TestContext} t
 * @param {(wires: any[]) => any[]} [change]  changes the rendered forms
 */
function typedThenReconnected(t, change = (wires) => wires) {
  const page = joinedPage(change(RECOVERED()));
  const { document } = page;
  const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
  $("name").focus();
  type($("name"), "Ann");
  type($("t-b"), true);
  $("plan").value = "pro"; // chosen, never focused: still unused
  type($("bio"), "hello");
  type($("nick"), "an");
  type($("age"), "30");
  $("free").value = "x";
  type($("city"), "Oslo");
  page.current().sent.length = 0;
  page.current().drop(1006);
  t.mock.timers.tick(10);
  page.current().open();
  return { ...page, $, ws: page.current() };
}

live("a rejoin puts every field of every form back and sends them, in order, to their targets", (t) => {
  const { $, ws } = typedThenReconnected(t);
  assert.deepEqual(ws.sent.map((frame) => frame.type), ["join"]);
  ws.receive({ ref: 0, tree: RECOVERED() }); // the server's state: empty forms
  assert.equal($("name").value, "Ann");
  assert.equal($("t-b").checked, true);
  assert.equal($("t-a").checked, false);
  assert.equal($("plan").value, "pro");
  assert.equal($("bio").value, "hello");
  assert.equal($("nick").value, "an");
  assert.equal($("age").value, "30");
  assert.equal($("free").value, "x");
  assert.equal($("city").value, "Oslo");
  assert.deepEqual(ws.sent.slice(1), [
    {
      type: "event",
      ref: 1,
      kind: "change",
      event: "validate",
      value: [
        ["user[id]", "7"],
        ["user[name]", "Ann"],
        ["user[_unused_email]", ""],
        ["user[email]", ""],
        ["user[tags][]", "b"],
        ["user[_unused_plan]", ""],
        ["user[plan]", "pro"],
        ["user[bio]", "hello"],
      ],
    },
    { type: "event", ref: 2, kind: "change", event: "nick", value: [["nick", "an"]] },
    { type: "event", ref: 3, kind: "change", event: "age", value: [["age", "30"]], cid: 1 },
    { type: "event", ref: 4, kind: "change", event: "check", value: [["city", "Oslo"]], cid: 1 },
  ]);
  // What was used stays used: the next change has the same markers.
  ws.sent.length = 0;
  type($("bio"), "hello!");
  assert.deepEqual(ws.last.value.slice(2, 4), [
    ["user[_unused_email]", ""],
    ["user[email]", ""],
  ]);
});

live("phx-auto-recover names the recovery event or opts out; an empty form is sent too", (t) => {
  const forms = (/** @type {any[]} */ wires) => {
    wires[0][1]["phx-auto-recover"] = "recover";
    wires[2][2][0][1]["phx-auto-recover"] = "ignore";
    wires.push(["form", { id: "empty", "phx-change": "nothing" }, []]);
    wires.push(["form", { "phx-change": "no-id" }, [["input", { name: "z", value: "z" }]]]);
    return wires;
  };
  const { ws } = typedThenReconnected(t, forms);
  ws.receive({ ref: 0, tree: forms(RECOVERED()) });
  assert.deepEqual(
    ws.sent.slice(1).map((frame) => [frame.event, frame.value.length, frame.cid ?? null]),
    [
      ["recover", 8, null],
      ["nick", 1, null],
      ["age", 1, 1],
      ["nothing", 0, null],
    ],
  );
  assert.ok(ws.sent.every((frame) => !("target" in frame)), "no _target in recovery");
});

live("recovery waits for the join's hooks and phx-mounted, and the first join sends nothing", (t) => {
  /** @type {string[]} */
  const order = [];
  const page = livePage([]);
  page.window.addEventListener("mounted-ran", (/** @type {any} */ e) => {
    order.push(`mounted ${e.target.id}`);
  });
  page.socket.connect();
  const ws = page.current();
  ws.open();
  const mounted = JSON.stringify([["dispatch", { event: "mounted-ran" }]]);
  ws.receive({ ref: 0, tree: [...RECOVERED(), ["p", { id: "old", "phx-mounted": mounted }]] });
  assert.deepEqual(ws.sent.map((frame) => frame.type), ["join"]);
  const send = ws.send.bind(ws);
  ws.send = (/** @type {string} */ data) => {
    order.push(`sent ${JSON.parse(data).event ?? "join"}`);
    send(data);
  };
  ws.receive({ type: "error", reason: "crash" }); // a crash: rejoin on the same socket
  t.mock.timers.tick(250);
  const tree = [...RECOVERED(), ["p", { id: "new", "phx-mounted": mounted }]];
  ws.receive({ ref: ws.last.ref, tree });
  assert.deepEqual(order, [
    "mounted old",
    "sent join",
    "mounted new",
    "sent validate",
    "sent nick",
    "sent age",
    "sent check",
  ]);
});
