// The browser's rules, written once (tests/vectors/browser_rules.json): the event payload
// (phx-value-*, an element's value), the phx-key filter, phx-target routing and form
// serialization. Each case joins a page holding its HTML, does its action as a user would and
// must send exactly its frames. tests/test_browser_rules.py runs the same cases through
// pylive.testing, so the test client and client.js cannot drift apart.

import assert from "node:assert/strict";
import { test } from "node:test";

import { loadVectors, runVector } from "../vectors.mjs";

const VECTORS = loadVectors();
const RULES = ["payload", "keys", "targets", "forms", "unused"];

test("the vectors: at least 40 cases, each named once, every rule covered", () => {
  const names = VECTORS.map((vector) => vector.name);
  assert.ok(names.length >= 40, `${names.length} cases`);
  assert.equal(new Set(names).size, names.length);
  assert.deepEqual([...new Set(VECTORS.map((vector) => vector.rule))].sort(), [...RULES].sort());
});

for (const vector of VECTORS) {
  test(`${vector.rule}: ${vector.name}`, (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] }); // no real heartbeat timer outlives the test
    /** @type {string[]} */
    const errors = [];
    t.mock.method(console, "error", (/** @type {unknown} */ message) => {
      errors.push(String(message));
    });
    assert.deepEqual(runVector(vector, () => t.mock.timers.tick(0)), vector.frames);
    if (vector.refused) {
      assert.equal(errors.length, 1, "a refused event logs why it is not sent");
      assert.match(errors[0], /^pylive: phx-target=.*: the \w+ event is not sent$/);
    } else {
      assert.deepEqual(errors, []);
    }
  });
}
