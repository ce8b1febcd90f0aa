// Parse Mermaid text with Mermaid's own parser (the one code hosts render with), for the tests
// of `gen graph` (tests/graph/test_graph_mermaid.py). Usage:
//   node mermaid_parse.mjs MODULES_DIR FILE...
// MODULES_DIR is a node_modules folder holding `mermaid` and `jsdom` (npm install mermaid jsdom).
// Prints one line per file: "ok <file>: <vertices> vertices, <edges> edges, <subgraphs>
// subgraphs", or "error <file>: <message>" and exits 1.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [modules, ...files] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), 'noop.js'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const entry = path.join(path.resolve(modules), 'mermaid', 'dist', 'mermaid.core.mjs');
const { default: mermaid } = await import(pathToFileURL(entry).href);
mermaid.initialize({ startOnLoad: false });
let failed = false;
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  try {
    await mermaid.parse(text);
    const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
    const vertices = db.getVertices().size;
    console.log(`ok ${file}: ${vertices} vertices, ${db.getEdges().length} edges, ` +
      `${db.getSubGraphs().length} subgraphs`);
  } catch (error) {
    console.log(`error ${file}: ${error.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
