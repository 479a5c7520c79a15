#!/usr/bin/env bash
# Interleaved A/B runs of one benchmark part on two builds, for changes whose
# gain is smaller than this machine's drift by the hour: A, B, A, B, ...
#   scripts/bench-ab.sh PART RUNS PAIRS DIST_A DIST_B [PATTERN]
# PART is a BENCH_ONLY value (first|table|matrix|review|matrix2); RUNS the
# runs per figure; each DIST a copy of dist/ (cp -r dist /tmp/dist-a after
# scripts/build.sh); PATTERN picks the printed lines (default: the medians).
# Needs the bench binary (scripts/bench.sh builds it). Not part of the tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ $# -ge 5 ] || { sed -n '2,8p' "$0"; exit 2; }
part=$1 runs=$2 pairs=$3 a=$4 b=$5 pattern=${6:-median}
export PATH="${SA_CONSOLE_TOOLS:-$HOME/.cache/sa-console-tools}/node_modules/.bin:$PATH"
for _ in $(seq "$pairs"); do
  for dist in "$a" "$b"; do
    SA_DIST="$dist" BENCH_ONLY="$part" BENCH_RUNS="$runs" CHROMEDRIVER="$(command -v chromedriver)" \
      target/release/bench 2>&1 | grep -E "$pattern" | sed "s#^#$(basename "$dist"): #"
  done
done
