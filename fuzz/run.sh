#!/usr/bin/env bash
# Run every fuzz target (or the ones named) for FUZZ_SECONDS each (default 20); exit non-zero on
# the first crash. Seeds: fuzz/seeds/<target>/ (committed); working corpus: fuzz/corpus/<target>/.
#
#   fuzz/run.sh                        # all targets, 20 s each (what CI runs)
#   FUZZ_SECONDS=600 fuzz/run.sh       # the long local run (10 minutes per target)
#   fuzz/run.sh sm2_signature          # one target
set -euo pipefail
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-20}"
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

cargo "${tc[@]}" fuzz build -O -s "$san"
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  printf '%-28s ' "$t"
  log="$(mktemp)"
  if ! cargo "${tc[@]}" fuzz run -O -s "$san" "$t" "corpus/$t" "${seeds[@]}" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 >"$log" 2>&1; then
    echo "CRASH"
    tail -60 "$log"
    exit 1
  fi
  grep -E '^#[0-9]+.*DONE' "$log" | tail -1 | sed -E 's/.*(cov: [0-9]+).*(corp: [^ ]+).*(exec\/s: [0-9]+).*/\1 \2 \3/'
  rm -f "$log"
done
