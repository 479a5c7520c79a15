#!/usr/bin/env bash
# Builds the console's release bundle into dist/ with the pinned, installed
# tools only (no downloads), and prints its transfer size.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# wasm-bindgen and wasm-opt take ~15 s even when nothing changed; a warm test
# run skips the build when every input is as it was for the dist/ on disk
# (FORCE_BUILD=1 builds anyway).
inputs_hash() {
  { find src style wire bundle/src -type f -print0 | sort -z | xargs -0 sha256sum
    sha256sum index.html boot.js config.json Cargo.toml Cargo.lock .cargo/config.toml scripts/build.sh scripts/join_css.sh bundle/Cargo.toml bundle/optimize.mjs
    rustc --version; wasm-opt --version; wasm-bindgen --version; command -v brotli || true
  } | sha256sum | cut -d' ' -f1
}
hash="$(inputs_hash)"
# The stored line also names dist/index.html (which names every hashed
# asset), so a dist/ rebuilt by hand since is not taken for this one.
stamp() { echo "$hash $(sha256sum dist/index.html 2>/dev/null | cut -d' ' -f1)"; }
if [ -z "${FORCE_BUILD:-}" ] && [ -f dist/index.html ] && [ "$(cat target/dist-inputs-hash 2>/dev/null)" = "$(stamp)" ]; then
  echo "[build] dist/ is up to date with its inputs (FORCE_BUILD=1 to rebuild)"
else
# The wasm, with its split points (feature `split`), linked with --emit-relocs
# (.cargo/config.toml) for the splitter.
cargo build --offline --release --target wasm32-unknown-unknown --bin sa-console --features split
sh scripts/join_css.sh
# dist/ anew: the wasm split at its lazy pages, wasm-bindgen, wasm-opt; the
# page with the stylesheet, boot.js and the preloads; content names, SRI.
cargo run --offline --quiet -p bundle -- target/wasm32-unknown-unknown/release/sa-console.wasm dist
# Precompressed copies for servers that serve them as they are (the deploy
# kit's gzip_static): best compression once here, none per request there.
# Brotli too when Debian's brotli is installed (scripts/setup.sh installs it
# for the tests; the demo does without): servers with a brotli_static module
# send it to browsers that ask, ~20% fewer bytes than gzip for the wasm.
for f in dist/*.wasm dist/*.js dist/*.css; do
  gzip -9 -k -f "$f"
  if command -v brotli >/dev/null; then brotli -q 11 -k -f "$f"; fi
done
mkdir -p target && stamp > target/dist-inputs-hash
fi
# The first screen fetches everything but the lazy pages' chunks (lazy-*).
gz() { gzip -9 -c "$1" | wc -c; }
first=0; all=0
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html; do
  size=$(gz "$f"); all=$((all + size))
  case "$(basename "$f")" in lazy-*) ;; *) first=$((first + size)) ;; esac
done
printf '[build] dist/: main wasm %s KB raw, %s lazy chunks\n' \
  "$(( $(cat dist/sa-console-*_bg.wasm | wc -c) / 1024 ))" "$(ls dist/lazy-*.wasm | wc -l)"
printf '[build] first screen (gzip of wasm+js+css+html) %s KB; every page %s KB\n' "$(( first / 1024 ))" "$(( all / 1024 ))"
if command -v brotli >/dev/null; then
  br=0
  for f in dist/*.wasm dist/*.js dist/*.css; do
    case "$(basename "$f")" in lazy-*) ;; *) br=$((br + $(stat -c %s "$f.br"))) ;; esac
  done
  br=$((br + $(brotli -q 11 -c dist/index.html | wc -c)))
  printf '[build] first screen with brotli (wasm+js+css+html) %s KB\n' "$(( br / 1024 ))"
fi
