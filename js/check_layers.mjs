// Fails (exit 1) when js/src/ breaks DESIGN.md's layering of the client: an import cycle, a
// module importing one of a higher layer, or a module without a layer. The imports are the ones
// esbuild's metafile records for the bundle, plus the JSDoc type imports (`@import … from`,
// `import("…")`), which esbuild does not see but which couple modules all the same.
//
// Usage: node check_layers.mjs   (part of `npm run check` and scripts/test)

import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";

import { bundle } from "./build.mjs";

/**
 * Every module of js/src/ and its layer (DESIGN.md, "client.js"); a module imports only from
 * its own layer or below. A new module gets its row here.
 * @type {Record<string, number>}
 */
const LAYERS = {
  "src/constants.mjs": 0, // the wire table, every phx-* attribute and class name
  "src/errors.mjs": 0, // the error classes callers tell apart
  "src/dom.mjs": 1, // paths, building nodes, focus-safe edits, the patch report
  "src/patch.mjs": 1, // applyOps: the ops, in order
  "src/streams.mjs": 1, // the stream ops
  "src/append.mjs": 1, // the append and prepend ops: phx-update="append"/"prepend" containers
  "src/morph.mjs": 1, // the join render's tree swap; a stream item's in-place update
  "src/forms.mjs": 1, // form serialization, used markers, submit locks, HTTP submit
  "src/sticky.mjs": 1, // what JS commands set that server patches keep
  "src/transition.mjs": 1, // transition classes over time; blocking transitions hold patches
  "src/uploads/entries.mjs": 2, // the files chosen for uploads: entry refs, File, token
  "src/uploads/transfer.mjs": 2, // preflight, chunks and acks, external uploaders, held submits
  "src/uploads/drop.mjs": 2, // phx-drop-target: dropped files chosen for its config
  "src/uploads/preview.mjs": 2, // the pylive:ImgPreview built-in hook: a local file's object URL
  "src/viewport.mjs": 2, // infinite scroll: the built-in hook of phx-viewport-top/bottom
  "src/js_commands.mjs": 2, // pylive.JS chains: exec_<kind> per command
  "src/rate_limit.mjs": 2, // phx-debounce and phx-throttle
  "src/events.mjs": 2, // document delegation; phx-value, phx-key, phx-target rules
  "src/form_recovery.mjs": 2, // forms saved before a rejoin's render, put back and re-sent
  "src/js_api.mjs": 2, // LiveView's js() API: one method per JS command, on an element
  "src/hook_registry.mjs": 2, // hooks by name: window.pylive.hooks, Python-declared modules
  "src/hooks.mjs": 2, // phx-hook instances, their callbacks' order, the registry
  "src/view.mjs": 3, // a view's life: pending events, replies, frames to DOM
  "src/navigation.mjs": 3, // live navigation: links, the navigate frame, history and scroll
  "src/browser.mjs": 3, // sessionStorage, reload delay, redirect check, flash cookie
  "src/indicators.mjs": 3, // the page-loading bar and the connection and crash notices
  "src/latency.mjs": 3, // the latency simulator (frames held in order); the round-trip log
  "src/socket.mjs": 4, // the websocket: join, heartbeat, reconnect, reload, redirect
  "src/index.mjs": 4, // window.pylive and the public exports
};

const HERE = fileURLToPath(new URL(".", import.meta.url));
/** A JSDoc type import: `@import { T } from "./m.mjs"` or `import("./m.mjs")`. */
const TYPE_IMPORT = /@import\s+[^*]*?\bfrom\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

/**
 * The import graph of the bundle's modules: module → the modules it imports (paths relative to
 * js/, as in the metafile).
 * @returns {Promise<Map<string, Set<string>>>}
 */
async function importGraph() {
  const { metafile } = await bundle({ outfile: "client.js", write: false, metafile: true });
  /** @type {Map<string, Set<string>>} */
  const graph = new Map();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    const imported = new Set(input.imports.map((entry) => entry.path));
    for (const match of readFileSync(join(HERE, file), "utf8").matchAll(TYPE_IMPORT)) {
      const target = match[1] ?? match[2];
      if (target.startsWith(".")) imported.add(posix.join(posix.dirname(file), target));
    }
    graph.set(file, imported);
  }
  return graph;
}

/**
 * The problems of `graph`: modules without a layer (or layers without a module), imports of a
 * higher layer, cycles.
 * @param {Map<string, Set<string>>} graph
 * @returns {string[]}
 */
function problems(graph) {
  const found = [];
  for (const file of graph.keys()) {
    if (!(file in LAYERS)) found.push(`${file} has no layer: give it its row in LAYERS`);
  }
  for (const file of Object.keys(LAYERS)) {
    if (!graph.has(file)) found.push(`${file} is in LAYERS but not in the bundle`);
  }
  for (const [file, imported] of graph) {
    for (const target of imported) {
      if (LAYERS[target] > LAYERS[file]) {
        const layers = `L${LAYERS[file]} → L${LAYERS[target]}`;
        found.push(`${file} imports ${target}, a module of a higher layer (${layers})`);
      }
    }
  }
  for (const cycle of cycles(graph)) found.push(`import cycle: ${cycle.join(" → ")}`);
  return found;
}

/**
 * The cycles a depth-first walk of `graph` meets (one per edge back to a module still open), each
 * as a path that ends where it starts.
 * @param {Map<string, Set<string>>} graph
 * @returns {string[][]}
 */
function cycles(graph) {
  /** @type {string[][]} */
  const found = [];
  /** @type {Map<string, "open" | "done">} */
  const state = new Map();
  /** @type {string[]} */
  const path = [];
  /** @param {string} file */
  const visit = (file) => {
    state.set(file, "open");
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === "open") found.push([...path.slice(path.indexOf(target)), target]);
      else if (!state.has(target)) visit(target);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

const found = problems(await importGraph());
if (found.length > 0) {
  console.error(`js/src/ breaks the client's layering (DESIGN.md, "client.js"):`);
  for (const problem of found) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`js/src/: ${Object.keys(LAYERS).length} modules, layered, no import cycle`);
