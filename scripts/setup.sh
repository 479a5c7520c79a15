#!/usr/bin/env bash
# Installs every tool the demo and the tests need, skipping what is already
# present at the right version. Sourced by demo.sh and test.sh; safe to run alone.
# Versions are pinned here and in Cargo.toml; keep them equal.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The app pins wasm-bindgen with "=X"; the CLI and test runner must be the same X.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n1)"
BINARYEN_VERSION="132.0.0"
# axe-core: the accessibility checker the end-to-end tests run in each page.
AXE_CORE_VERSION="4.14.1"
TOOLS_DIR="${SA_CONSOLE_TOOLS:-$HOME/.cache/sa-console-tools}"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "wasm32 target: present"
  else
    log "wasm32 target: installing"
    rustup target add wasm32-unknown-unknown
  fi
}

# apt_install PACKAGE...: Debian's packages, as root or through sudo.
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# Debian's packages the tests use, in one apt run (one index update):
# chromium + chromedriver (every browser test; the end-to-end tests and the
# benchmark drive chromium-headless-shell, the same browser without its own
# window: see e2e/src/pool.rs), nginx and openssl (the deploy
# kit's tests, HTTPS + HTTP/2 with a certificate made per test; nginx is
# started by the tests on a loopback port, never as a service) and brotli
# (scripts/build.sh writes .br copies with it).
ensure_debian_packages() {
  local missing=()
  # All three when one is missing: they must be one version (chromedriver refuses
  # a browser of another), so an older chromium is upgraded with the others.
  { command -v chromium && command -v chromedriver && command -v chromium-headless-shell; } >/dev/null \
    || missing+=(chromium chromium-driver chromium-headless-shell)
  { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; } || missing+=(nginx)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v brotli >/dev/null || missing+=(brotli)
  if [ ${#missing[@]} -eq 0 ]; then
    log "chromium, its headless shell, chromedriver, nginx, openssl, brotli: present"
    return
  fi
  log "installing from Debian: ${missing[*]}"
  apt_install "${missing[@]}"
  # The nginx package may start a system nginx on port 80; the tests need none.
  service nginx stop >/dev/null 2>&1 || true
}

ensure_wasm_bindgen() {
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $WASM_BINDGEN_VERSION\$" \
     && command -v wasm-bindgen-test-runner >/dev/null; then
    log "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
  else
    log "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installing"
    # Not --locked: one of its locked dependencies is no longer in the registry.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

ensure_wasm_opt() {
  # Debian's binaryen (108) corrupts Leptos wasm, so a private npm copy is used.
  local bin="$TOOLS_DIR/node_modules/.bin"
  if [ -x "$bin/wasm-opt" ] && "$bin/wasm-opt" --version | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    log "wasm-opt $BINARYEN_VERSION: present"
  else
    log "wasm-opt $BINARYEN_VERSION: installing from npm"
    mkdir -p "$TOOLS_DIR"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR" "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
}

ensure_axe_core() {
  local package="$TOOLS_DIR/node_modules/axe-core/package.json"
  if [ -f "$package" ] && grep -q "\"version\": \"$AXE_CORE_VERSION\"" "$package"; then
    log "axe-core $AXE_CORE_VERSION: present"
  else
    log "axe-core $AXE_CORE_VERSION: installing from npm"
    mkdir -p "$TOOLS_DIR"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR" "axe-core@$AXE_CORE_VERSION" >/dev/null
  fi
  # Where the end-to-end tests read it (e2e/src/accessibility.rs).
  export SA_AXE_CORE="$TOOLS_DIR/node_modules/axe-core/axe.min.js"
}

# setup_all [demo]: with "demo", the browser and axe-core (needed only by
# tests) are skipped.
setup_all() {
  ensure_wasm_target
  [ "${1:-}" = "demo" ] || ensure_debian_packages
  ensure_wasm_opt
  [ "${1:-}" = "demo" ] || ensure_axe_core
  ensure_wasm_bindgen
  export PATH="$TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH:/usr/sbin"
  # Fetch once online, so every later build (cargo --offline) is offline.
  log "cargo fetch"
  (cd "$ROOT" && cargo fetch --quiet)
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  setup_all "$@"
fi
