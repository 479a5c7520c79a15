// wasm-opt -Oz on many files in one node process, through binaryen's own
// JS API (the npm package scripts/setup.sh installs). Its wasm-opt command
// starts binaryen anew for every file, ~3 s each under node, which was most
// of the bundle's time with 37 chunks.
// Usage: node optimize.mjs BINARYEN_INDEX_JS FILE...   (each rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [entry, ...files] = process.argv.slice(2);
const { default: binaryen } = await import(pathToFileURL(entry).href);
const F = binaryen.Features;
// The features Rust's wasm32 target emits (as the wasm-opt flags in tools.rs).
const features = F.MVP | F.BulkMemory | F.BulkMemoryOpt | F.NontrappingFPToInt | F.SignExt |
  F.ReferenceTypes | F.Multivalue | F.MutableGlobals;
binaryen.setOptimizeLevel(2); // -Oz: optimize level 2, shrink level 2
binaryen.setShrinkLevel(2);
// BUNDLE_KEEP_NAMES (bundle/src/tools.rs): names kept for CPU profiles.
binaryen.setDebugInfo(Boolean(process.env.BUNDLE_KEEP_NAMES));
for (const file of files) {
  const module = binaryen.readBinary(readFileSync(file));
  module.setFeatures(features);
  module.optimize();
  writeFileSync(file, module.emitBinary());
  module.dispose();
}
