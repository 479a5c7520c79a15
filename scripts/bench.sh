#!/usr/bin/env bash
# Benchmarks the accounts table (10,000 accounts) and the access matrix (200 projects, 50 ms latency) in headless Chromium and
# prints each figure against its target. Not part of scripts/test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh
setup_all
scripts/build.sh
CHROMEDRIVER="$(command -v chromedriver)" cargo run --offline --release -p e2e --bin bench
