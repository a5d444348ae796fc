#!/usr/bin/env bash
# Run every fuzz target (or the ones named) for a bounded time each; exit non-zero on a crash.
# Seeds: fuzz/seeds/<target>/ (committed, made by `cargo run --example gen_seeds`); working
# corpus: fuzz/corpus/<target>/ (not committed). docs/fuzzing.md has the details.
#
#   fuzz/run.sh                          # all targets, 20 s each (CI: capped to 300 s in all)
#   FUZZ_SECONDS=600 fuzz/run.sh         # the long local run (10 minutes per target)
#   fuzz/run.sh sm2_signature            # one target
#   FUZZ_SANITIZER=address fuzz/run.sh   # with AddressSanitizer
#
# FUZZ_SECONDS      seconds per target (default 20)
# FUZZ_BUDGET       seconds for all targets together: each target gets
#                   min(FUZZ_SECONDS, FUZZ_BUDGET / number of targets), at least 5. Default 300
#                   when CI is set (CI's fuzz step: build + 300 s), unlimited otherwise.
# FUZZ_KEEP_GOING   1: after a crash, go on with the next target (exit non-zero at the end);
#                   default: stop at the first crash.
# FUZZ_LOG_DIR      keep each target's libFuzzer log there (default: discarded unless it crashed).
set -euo pipefail
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-20}"
if [ -n "${CI:-}" ]; then
  budget="${FUZZ_BUDGET:-300}"
else
  budget="${FUZZ_BUDGET:-}"
fi
# No sanitizer by default: the targets are safe Rust, where a bug shows as a panic, and an
# AddressSanitizer build of every crate costs CI minutes; the SKF FFI (the only unsafe code) runs
# under valgrind in CI. FUZZ_SANITIZER=address for long local runs.
san="${FUZZ_SANITIZER:-none}"

# cargo-fuzz needs nightly flags (-Zsanitizer); use the nightly toolchain when rustup has one,
# otherwise let the stable compiler accept them.
if cargo +nightly --version >/dev/null 2>&1; then
  tc=(+nightly)
else
  tc=()
  export RUSTC_BOOTSTRAP=1
fi
if ! cargo "${tc[@]}" fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo "${tc[@]}" fuzz list)
fi
if [ -n "$budget" ]; then
  per=$((budget / ${#targets[@]}))
  [ "$per" -lt 5 ] && per=5
  [ "$per" -lt "$secs" ] && secs="$per"
fi

# Seeds are committed; regenerate them if a checkout lacks them.
if [ ! -d seeds/cms_signed_data ]; then
  cargo run --quiet --release --example gen_seeds
fi

cargo "${tc[@]}" fuzz build -O -s "$san"
echo "fuzzing ${#targets[@]} targets, ${secs} s each (sanitizer: $san)"
printf '%-26s %10s %7s %7s %12s %8s\n' target runs cov ft corpus exec/s
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  log="$(mktemp)"
  if ! cargo "${tc[@]}" fuzz run -O -s "$san" "$t" "corpus/$t" "${seeds[@]}" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
    printf '%-26s CRASH\n' "$t"
    tail -60 "$log"
    [ -n "${FUZZ_LOG_DIR:-}" ] && mkdir -p "$FUZZ_LOG_DIR" && cp "$log" "$FUZZ_LOG_DIR/$t.log"
    rm -f "$log"
    status=1
    [ "${FUZZ_KEEP_GOING:-0}" = 1 ] || exit 1
    continue
  fi
  # libFuzzer's last status line: "#<runs> DONE cov: <n> ft: <n> corp: <n>/<size> ... exec/s: <n>"
  done_line="$(grep -E '^#[0-9]+' "$log" | tail -1)"
  field() { sed -nE "s|.*$1 ([^ ]+).*|\\1|p" <<<"$done_line"; }
  runs="$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)"
  printf '%-26s %10s %7s %7s %12s %8s\n' "$t" "${runs:-?}" "$(field cov:)" "$(field ft:)" \
    "$(field corp:)" "$(field exec/s:)"
  [ -n "${FUZZ_LOG_DIR:-}" ] && mkdir -p "$FUZZ_LOG_DIR" && cp "$log" "$FUZZ_LOG_DIR/$t.log"
  rm -f "$log"
done
exit "$status"
