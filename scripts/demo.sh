#!/usr/bin/env bash
# Runs the console against the sandbox with demo data, on one URL.
# Extra arguments go to the sandbox, e.g.: scripts/demo.sh --accounts 10000 --projects 200
# PORT (default 8787) chooses the port.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh
setup_all demo
scripts/build.sh
cargo build --release --offline -p sandbox
exec target/release/sandbox --dist dist --port "${PORT:-8787}" "$@"
