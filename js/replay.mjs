// Replay patch ops with client.js in jsdom, for tests/test_client_replay.py.
//
// Reads stdin line by line. Each line is a JSON list of cases
//   {"tree": [wire nodes], "ops": [op, ...], "html": "<optional> HTML to parse"}
// and gets one line back: a JSON list with, for each case, {"dom": children} (the container's
// children in canonical wire form, see dom.mjs, once the tree is built and the ops applied) or
// {"error": message} when applying threw; plus {"parsed": children} when "html" was given (the
// children the HTML parser makes of it, to compare with what the server would render).
// One process serves a whole test session, so node and jsdom start once.

import { createInterface } from "node:readline";

import { applyOps } from "../client.js";
import { canonicalChildren, mount, page } from "./dom.mjs";

/** @typedef {{ tree: any[], ops: any[], html?: string }} ReplayCase */

/**
 * Build the case's tree in the emptied container, apply its ops, report what the container holds.
 * @param {ReplayCase} replayCase
 * @param {HTMLElement} container
 */
function replay(replayCase, container) {
  container.replaceChildren();
  /** @type {Record<string, unknown>} */
  const result = {};
  try {
    mount(container, replayCase.tree);
    applyOps(container, replayCase.ops);
    result.dom = canonicalChildren(container);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  if (replayCase.html !== undefined) {
    container.innerHTML = replayCase.html;
    result.parsed = canonicalChildren(container);
  }
  return result;
}

const { container } = page();
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line.trim() === "") continue;
  const cases = JSON.parse(line);
  process.stdout.write(JSON.stringify(cases.map((c) => replay(c, container))) + "\n");
}
