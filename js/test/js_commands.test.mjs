// JS commands in the browser: each command's effect, targets and scopes, no frame unless a push,
// pushes that keep the binding's payload and target, stickiness across patches and a rejoin,
// transitions, blocking dispatch, focus, exec, navigate.

import assert from "node:assert/strict";
import { test } from "node:test";

import { JS_COMMANDS, JS_HANDLERS } from "../../client.js";
import { classes, joinedPage } from "../live.mjs";

/**
 * @param {string} name
 * @param {(t: import("node:test").TestContext) => unknown} fn
 */
function live(name, fn) {
  test(name, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
    return fn(t);
  });
}

/** @param {...any[]} ops */
const js = (...ops) => JSON.stringify(ops);

/** A modal, a menu, a form and buttons that act on them. */
function page(buttons) {
  return [
    ["div", { id: "modal", style: "display: none", class: "modal" }, [
      ["input", { id: "first", type: "text" }],
      ["button", { id: "close" }, ["x"]],
    ]],
    ["ul", { id: "menu", class: "menu" }, [["li", { class: "item" }, ["a"]], ["li", { class: "item" }, ["b"]]]],
    ["p", { id: "count" }, ["0"]],
    ...buttons,
  ];
}

test("every JS command has its exec_<kind> handler, in the table's order", () => {
  assert.deepEqual(Object.keys(JS_HANDLERS), [...JS_COMMANDS]);
  assert.deepEqual(Object.values(JS_HANDLERS).map((f) => f.name), JS_COMMANDS.map((k) => `exec_${k}`));
});

live("show, hide and toggle change the display and send no frame", () => {
  const { document, current } = joinedPage(page([
    ["button", { id: "open", "phx-click": js(["show", { to: "#modal" }]) }],
    ["button", { id: "hide", "phx-click": js(["hide", { to: "#modal" }]) }],
    ["button", { id: "flip", "phx-click": js(["toggle", { to: "#modal", display: "flex" }]) }],
  ]));
  const modal = document.getElementById("modal");
  document.getElementById("open").click();
  assert.equal(modal.style.display, "block");
  document.getElementById("hide").click();
  assert.equal(modal.style.display, "none");
  document.getElementById("flip").click();
  assert.equal(modal.style.display, "flex");
  document.getElementById("flip").click();
  assert.equal(modal.style.display, "none");
  assert.deepEqual(current().sent, []);
});

live("class commands act on the element itself, or the inner, closest or document scope", () => {
  const { document, current } = joinedPage([
    ["div", { id: "box", class: "box" }, [
      ["span", { class: "dot" }, ["."]],
      ["button", { id: "self", "phx-click": js(["add_class", { names: ["on", "big"] }]) }],
      ["button", { id: "up", "phx-click": js(["toggle_class", { names: ["open"], to: { closest: ".box" } }]) }],
      ["button", { id: "in", "phx-click": js(["add_class", { names: ["lit"], to: { inner: "i" } }]) }, [["i", {}, ["i"]]]],
      ["button", { id: "all", "phx-click": js(["remove_class", { names: ["dot"], to: { document: ".dot" } }]) }],
    ]],
  ]);
  document.getElementById("self").click();
  assert.equal(classes(document.getElementById("self")), "big on");
  document.getElementById("up").click();
  assert.equal(classes(document.getElementById("box")), "box open");
  document.getElementById("up").click();
  assert.equal(classes(document.getElementById("box")), "box");
  document.getElementById("in").click();
  assert.equal(document.querySelector("#in i").className, "lit");
  document.getElementById("all").click();
  assert.equal(document.querySelector("span").className, "");
  assert.deepEqual(current().sent, []);
});

live("attribute commands set, remove and toggle (two and three values)", () => {
  const { document } = joinedPage([
    ["details", { id: "d", "aria-expanded": "false" }, [["summary", {}, ["s"]]]],
    ["button", { id: "set", "phx-click": js(["set_attribute", { attr: ["open", ""], to: "#d" }]) }],
    ["button", { id: "rm", "phx-click": js(["remove_attribute", { attr: "open", to: "#d" }]) }],
    ["button", { id: "t2", "phx-click": js(["toggle_attribute", { attr: ["open", "true"], to: "#d" }]) }],
    ["button", { id: "t3", "phx-click": js(["toggle_attribute", { attr: ["aria-expanded", "true", "false"], to: "#d" }]) }],
  ]);
  const d = document.getElementById("d");
  document.getElementById("set").click();
  assert.equal(d.getAttribute("open"), "");
  document.getElementById("rm").click();
  assert.equal(d.hasAttribute("open"), false);
  document.getElementById("t2").click();
  assert.equal(d.getAttribute("open"), "true");
  document.getElementById("t2").click();
  assert.equal(d.hasAttribute("open"), false);
  document.getElementById("t3").click();
  assert.equal(d.getAttribute("aria-expanded"), "true");
  document.getElementById("t3").click();
  assert.equal(d.getAttribute("aria-expanded"), "false");
});

live("push sends the binding's event kind and payload with value over it, then the next command runs", () => {
  const { document, current } = joinedPage(page([
    ["button", {
      id: "save", "phx-value-id": "7",
      "phx-click": js(["push", { event: "save", value: { extra: 1 } }], ["hide", { to: "#menu" }]),
    }],
  ]));
  document.getElementById("save").click();
  assert.deepEqual(current().sent, [
    { type: "event", ref: current().sent[0].ref, kind: "click", event: "save", value: { id: "7", extra: 1 } },
  ]);
  assert.equal(document.getElementById("menu").style.display, "none");
  assert.equal(classes(document.getElementById("save")), "phx-click-loading");
});

live("push goes to its target (a cid), and its loading selector gets the loading class until the reply", () => {
  const { document, current } = joinedPage([
    ["div", { "data-phx-component": "3" }, [["p", { id: "spin" }, ["…"]]]],
    ["button", { id: "go", "phx-click": js(["push", { event: "go", target: 3, loading: "#spin" }]) }],
  ]);
  document.getElementById("go").click();
  const frame = current().last;
  assert.equal(frame.cid, 3);
  assert.equal(classes(document.getElementById("spin")), "phx-click-loading");
  current().receive({ ref: frame.ref, ops: [] });
  assert.equal(classes(document.getElementById("spin")), "");
});

live("push with page_loading fires phx:page-loading-start, then stop after the reply", async () => {
  const { window, document, current } = joinedPage([
    ["button", { id: "go", "phx-click": js(["push", { event: "go", page_loading: true }]) }],
  ]);
  const seen = [];
  window.addEventListener("phx:page-loading-start", (e) => seen.push(["start", e.detail.kind]));
  window.addEventListener("phx:page-loading-stop", (e) => seen.push(["stop", e.detail.kind]));
  document.getElementById("go").click();
  assert.deepEqual(seen, [["start", "element"]]);
  current().receive({ ref: current().last.ref, ops: [] });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, [["start", "element"], ["stop", "element"]]);
});

live("effects are sticky: a server patch of class and style keeps them", () => {
  const { document, current } = joinedPage(page([
    ["button", { id: "open", "phx-click": js(["show", { to: "#modal" }], ["add_class", { names: ["open"], to: "#menu" }], ["set_attribute", { attr: ["aria-busy", "true"], to: "#menu" }]) }],
  ]));
  document.getElementById("open").click();
  current().receive({ type: "patch", ops: [
    [1, [0], { style: "display: none; color: red", class: "modal dark" }],
    [1, [1], { class: "menu wide", "aria-busy": null }],
  ] });
  const modal = document.getElementById("modal");
  assert.equal(modal.style.display, "block");
  assert.equal(modal.style.color, "red");
  assert.equal(classes(modal), "dark modal");
  assert.equal(classes(document.getElementById("menu")), "menu open wide");
  assert.equal(document.getElementById("menu").getAttribute("aria-busy"), "true");
});

live("effects survive a rejoin: the new elements take them, by id or by place", (t) => {
  const wires = page([
    ["button", { id: "open", "phx-click": js(["show", { to: "#modal" }], ["add_class", { names: ["lit"], to: ".item" }]) }],
  ]);
  const { document, current } = joinedPage(wires);
  document.getElementById("open").click();
  const ws = current();
  ws.receive({ type: "error", reason: "crash" });
  t.mock.timers.tick(200); // the rejoin after a crash
  const join = ws.last;
  assert.equal(join.type, "join");
  ws.receive({ ref: join.ref, tree: wires });
  assert.equal(document.getElementById("modal").style.display, "block");
  assert.deepEqual(Array.from(document.querySelectorAll(".item"), (li) => classes(li)), ["item lit", "item lit"]);
});

live("ignore_attributes keeps the client's values of those attributes, wildcards too", () => {
  const { document, current } = joinedPage([
    ["dialog", { id: "dlg", "data-x": "1" }, []],
    ["button", { id: "keep", "phx-click": js(["ignore_attributes", { attrs: ["open", "data-*"], to: "#dlg" }]) }],
  ]);
  document.getElementById("keep").click();
  const dlg = document.getElementById("dlg");
  dlg.setAttribute("open", "");
  current().receive({ type: "patch", ops: [[1, [0], { open: null, "data-x": "2", title: "t" }]] });
  assert.equal(dlg.getAttribute("open"), "");
  assert.equal(dlg.getAttribute("data-x"), "1");
  assert.equal(dlg.getAttribute("title"), "t");
});

live("a transition adds its classes, swaps start for end on the next frame, and clears them after time", (t) => {
  const { document } = joinedPage([
    ["div", { id: "box" }, []],
    ["button", { id: "go", "phx-click": js(["transition", { to: "#box", transition: [["ease"], ["o-0"], ["o-100"]], time: 300 }]) }],
  ]);
  const box = document.getElementById("box");
  document.getElementById("go").click();
  assert.equal(classes(box), "ease o-0");
  t.mock.timers.tick(1);
  assert.equal(classes(box), "ease o-100");
  t.mock.timers.tick(299);
  assert.equal(classes(box), "");
});

live("hide with a transition sets display none when it ends; blocking holds server patches until then", (t) => {
  const { document, current } = joinedPage(page([
    ["button", { id: "shut", "phx-click": js(["hide", { to: "#modal", transition: [["fade"], [], []], time: 200 }]) }],
  ]));
  const modal = document.getElementById("modal");
  modal.style.display = "block";
  document.getElementById("shut").click();
  assert.equal(modal.style.display, "block");
  assert.equal(classes(modal), "fade modal");
  current().receive({ type: "patch", ops: [[0, [2, 0], "5"]] });
  assert.equal(document.getElementById("count").textContent, "0"); // held back
  t.mock.timers.tick(200);
  assert.equal(modal.style.display, "none");
  assert.equal(document.getElementById("count").textContent, "5");
});

live("a blocking dispatch holds the commands after it until its listener calls done()", () => {
  const { window, document } = joinedPage([
    ["div", { id: "box" }, []],
    ["button", { id: "go", "phx-click": js(["dispatch", { event: "copy", to: "#box", detail: { a: 1 }, blocking: true }], ["add_class", { names: ["done"], to: "#box" }]) }],
  ]);
  /** @type {any} */
  let event = null;
  document.getElementById("box").addEventListener("copy", (e) => (event = e));
  document.getElementById("go").click();
  assert.equal(event.detail.a, 1);
  assert.equal(event.bubbles, true);
  assert.equal(classes(document.getElementById("box")), "");
  event.detail.done();
  return new Promise((resolve) => setImmediate(resolve)).then(() => {
    assert.equal(classes(document.getElementById("box")), "done");
    void window;
  });
});

live("focus, focus_first, push_focus and pop_focus move the focus", () => {
  const { document } = joinedPage(page([
    ["button", { id: "open", "phx-click": js(["push_focus", {}], ["show", { to: "#modal" }], ["focus_first", { to: "#modal" }]) }],
    ["button", { id: "back", "phx-click": js(["pop_focus", {}]) }],
    ["button", { id: "there", "phx-click": js(["focus", { to: "#close" }]) }],
  ]));
  const open = document.getElementById("open");
  open.focus();
  open.click();
  assert.equal(document.activeElement.id, "first");
  document.getElementById("back").click();
  assert.equal(document.activeElement.id, "open");
  document.getElementById("there").click();
  assert.equal(document.activeElement.id, "close");
});

live("exec runs the chain another element's attribute holds, with that element as the source", () => {
  const { document, current } = joinedPage([
    ["div", { id: "modal", "data-cancel": js(["add_class", { names: ["gone"] }], ["push", { event: "closed" }]) }, []],
    ["button", { id: "esc", "phx-click": js(["exec", { attr: "data-cancel", to: "#modal" }]) }],
  ]);
  document.getElementById("esc").click();
  assert.equal(classes(document.getElementById("modal")), "gone phx-click-loading");
  assert.equal(current().last.event, "closed");
});

live("navigate and patch navigate live to the local path (navigation.test.mjs); others are refused", () => {
  const { document, assigned, current } = joinedPage([
    ["button", { id: "nav", "phx-click": js(["navigate", { href: "/users?page=2" }]) }],
    ["button", { id: "pat", "phx-click": js(["patch", { href: "/items" }]) }],
    ["button", { id: "off", "phx-click": js(["navigate", { href: "//evil.example" }]) }],
  ]);
  document.getElementById("nav").click();
  document.getElementById("pat").click();
  assert.deepEqual(current().sent, [
    { type: "navigate", ref: 1, url: "http://127.0.0.1:8000/users?page=2", kind: "navigate" },
    { type: "navigate", ref: 2, url: "http://127.0.0.1:8000/items", kind: "patch" },
  ]);
  const errors = [];
  const original = console.error;
  console.error = (m) => errors.push(String(m));
  try {
    document.getElementById("off").click();
  } finally {
    console.error = original;
  }
  assert.deepEqual(assigned, []);
  assert.equal(current().sent.length, 2);
  assert.match(errors[0], /refused to navigate to "\/\/evil.example"/);
});

live("an unknown command is logged and the others still run", () => {
  const { document } = joinedPage([
    ["button", { id: "b", "phx-click": js(["explode", {}], ["add_class", { names: ["ok"] }]) }],
  ]);
  const errors = [];
  const original = console.error;
  console.error = (m) => errors.push(String(m));
  try {
    document.getElementById("b").click();
  } finally {
    console.error = original;
  }
  assert.match(errors[0], /unknown JS command "explode"; expected one of push, dispatch, show/);
  assert.equal(classes(document.getElementById("b")), "ok");
});
