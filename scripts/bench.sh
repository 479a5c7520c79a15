#!/usr/bin/env bash
# Benchmarks the bytes, the first screen, the accounts table (10,000
# accounts), the access matrix (200 projects, 50 ms latency; HTTP/1.1 and
# HTTP/2 through the deploy kit's nginx) and Review in headless Chromium, and
# prints each figure against its target. Not part of scripts/test.sh, whose
# last run's time it reports.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh
setup_all
build_output="$(scripts/build.sh 2>&1 | tee /dev/stderr | grep '^\[build\]')"
CHROMEDRIVER="$(command -v chromedriver)" cargo run --offline --release -p e2e --bin bench

echo
echo "bytes"
gz=$(printf '%s\n' "$build_output" | sed -n 's/.*first screen (gzip of wasm+js+css+html) \([0-9]*\) KB.*/\1/p')
all=$(printf '%s\n' "$build_output" | sed -n 's/.*; every page \([0-9]*\) KB.*/\1/p')
br=$(printf '%s\n' "$build_output" | sed -n 's/.*first screen with brotli (wasm+js+css+html) \([0-9]*\) KB.*/\1/p')
printf '%-38s %7s KB  target <= 250 KB (stretch 150): %s\n' "transfer to the first screen, gzip -9" "$gz" "$([ "$gz" -le 250 ] && echo meets || echo MISSES)"
printf '%-38s %7s KB  (the first screen plus every lazy page)\n' "transfer, every page, gzip -9" "$all"
[ -z "$br" ] || printf '%-38s %7s KB\n' "first screen, brotli -q 11" "$br"
echo
echo "test command"
if [ -f target/test-command-seconds ]; then
  read -r secs when count < target/test-command-seconds
  printf '%-38s %4dm%02ds  (%s tests, %s; warm target <= 3 min, fresh machine <= 20 min)\n' \
    "last scripts/test.sh on this machine" "$((secs / 60))" "$((secs % 60))" "$count" "$when"
else
  echo "scripts/test.sh has not run here yet"
fi
