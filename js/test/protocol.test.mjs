// client.js's tables mirror pylive/protocol.py: message kinds and the close codes (read
// from its source, js/src/constants.mjs; the bundle does not export them). Op codes are checked
// against the Python table by tests/test_client_replay.py.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { MESSAGES } from "../../client.js";

const PROTOCOL = readFileSync(new URL("../../pylive/protocol.py", import.meta.url), "utf8");
const CONSTANTS = readFileSync(new URL("../src/constants.mjs", import.meta.url), "utf8");

test("MESSAGES mirrors the MSG_* constants of pylive.protocol", () => {
  /** @type {Record<string, string>} */
  const python = {};
  for (const [, name, value] of PROTOCOL.matchAll(/^MSG_([A-Z_]+): Final = "([^"]+)"$/gm)) {
    python[name.toLowerCase()] = value;
  }
  assert.ok(Object.keys(python).length >= 7, "protocol.py's MSG_* constants were not found");
  assert.deepEqual({ ...MESSAGES }, python);
  assert.ok(Object.isFrozen(MESSAGES));
});

test("the restart close code is pylive.protocol.CLOSE_RESTART", () => {
  const python = PROTOCOL.match(/^CLOSE_RESTART: Final = (\d+)$/m);
  const client = CONSTANTS.match(/^export const CLOSE_RESTART = (\d+);$/m);
  assert.ok(python && client);
  assert.equal(client[1], python[1]);
});

test("the close code the client leaves with is pylive.protocol.CLOSE_NORMAL", () => {
  const python = PROTOCOL.match(/^CLOSE_NORMAL: Final = (\d+)$/m);
  const client = CONSTANTS.match(/^export const CLOSE_NORMAL = (\d+);$/m);
  assert.ok(python && client);
  assert.equal(client[1], python[1]);
});
