#!/usr/bin/env bash
# Installs what is missing, then runs every check and test:
#   lint (fmt, clippy native + wasm) -> native unit and sandbox tests ->
#   browser tests (wasm-bindgen-test in headless Chromium, against a sandbox) ->
#   release build -> end-to-end tests (headless Chromium drives dist/ served by the sandbox).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STARTED=$(date +%s)
source scripts/setup.sh
setup_all

LOG="$(mktemp)"
SANDBOX_PID=""
cleanup() {
  [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null || true
  rm -f "$LOG" "$LOG.sandbox"
}
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
export CARGO_TERM_COLOR=never CHROMEDRIVER="$(command -v chromedriver)"

step "format and lints"
cargo fmt --all -- --check
cargo clippy --offline --workspace --all-targets -- -D warnings
# With the split points the release build has (native clippy covers the rest).
cargo clippy --offline -p sa-console --target wasm32-unknown-unknown --all-targets --features split -- -D warnings

step "native unit tests and sandbox API tests"
cargo test --offline --workspace --exclude e2e 2>&1 | tee -a "$LOG"

step "browser tests (wasm-bindgen-test, headless Chromium)"
cargo build --offline -p sandbox
# Two lost create answers, one 429 and one dropped connection for the browser tests' workflow checks (see tests/browser/workflows.rs).
target/debug/sandbox --port 0 --accounts 30 --projects 4 \
  --fault 'POST /organizations/2/service-accounts=500afterx1' \
  --fault 'GET /projects/999999/service-accounts=429:1x1' \
  --fault 'GET /projects/999998/service-accounts=dropx2' \
  --fault 'POST /organizations/2/service-accounts=500x1' >"$LOG.sandbox" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 100); do grep -q '^Sandbox API:' "$LOG.sandbox" && break; sleep 0.1; done
SANDBOX_URL="$(sed -n 's#^Console: *\(http://[^/]*\)/.*#\1#p' "$LOG.sandbox")"
[ -n "$SANDBOX_URL" ] || { cat "$LOG.sandbox"; echo "sandbox did not start"; exit 1; }
SANDBOX_URL="$SANDBOX_URL" cargo test --offline --target wasm32-unknown-unknown --test browser 2>&1 | tee -a "$LOG"
kill "$SANDBOX_PID"; SANDBOX_PID=""

step "release build"
scripts/build.sh

step "end-to-end tests (headless Chromium drives the release build)"
cargo test --offline -p e2e --no-fail-fast -- --test-threads=4 2>&1 | tee -a "$LOG"

sum() { sed -n "$1" "$LOG" | awk '{ s += $1 } END { print s + 0 }'; }
passed=$(sum 's/.*test result: [A-Za-z]*\. \([0-9]*\) passed.*/\1/p')
failed=$(sum 's/.*test result: [A-Za-z]*\. [0-9]* passed; \([0-9]*\) failed.*/\1/p')
echo
echo "total: ${passed} passed, ${failed} failed"
# The whole run's time (installs included), for scripts/bench.sh to report.
mkdir -p target
echo "$(( $(date +%s) - STARTED )) $(date -u +%FT%TZ) ${passed}" > target/test-command-seconds
echo "time: $(( ($(date +%s) - STARTED) / 60 ))m$(( ($(date +%s) - STARTED) % 60 ))s"
