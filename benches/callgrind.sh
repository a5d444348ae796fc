#!/usr/bin/env bash
# Instruction-count regression check: run the fixed workload of
# benches/src/bin/callgrind-workload.rs under callgrind and compare the per-round instruction
# count with benches/callgrind-baseline.txt. Fails when it grew by more than 10 %.
#
#   benches/callgrind.sh            # check (what CI runs)
#   benches/callgrind.sh --update   # write a new baseline (commit it with the change that moved it)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=16
cargo build --release -q -p gmseal-benches --bin callgrind-workload
target="${CARGO_TARGET_DIR:-target}"
bin="$target/release/callgrind-workload"

count() {
  local out
  out="$(mktemp)"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "$1" >/dev/null 2>&1
  # "summary: <Ir>" (or "totals:") line of the callgrind output
  awk '/^(summary|totals):/ {print $2; exit}' "$out"
  rm -f "$out"
}
setup=$(count 0)
total=$(count "$rounds")
per_round=$(( (total - setup) / rounds ))
baseline_file=benches/callgrind-baseline.txt
echo "callgrind: ${per_round} instructions per round (setup ${setup}, ${rounds} rounds)"
if [ "${1:-}" = "--update" ]; then
  {
    echo "# Instructions per round of benches/src/bin/callgrind-workload.rs (valgrind callgrind, release"
    echo "# build, $(rustc --version | cut -d' ' -f1-2)); written by benches/callgrind.sh --update."
    echo "$per_round"
  } > "$baseline_file"
  echo "baseline updated"
  exit 0
fi
baseline=$(grep -Eo '^[0-9]+' "$baseline_file" | head -1)
limit=$(( baseline + baseline / 10 ))
pct=$(( (per_round - baseline) * 100 / baseline ))
echo "baseline: ${baseline} (change ${pct}%, limit +10%)"
if [ "$per_round" -gt "$limit" ]; then
  echo "FAIL: instruction count regressed by more than 10%"
  exit 1
fi
