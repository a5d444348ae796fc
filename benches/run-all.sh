#!/usr/bin/env bash
# Run every benchmark of issue 12 with short criterion settings, the peers on the same inputs
# (`openssl speed sm2`, pyHanko signing the same 20 MB PDF with ECDSA P-256, sOFD verifying the
# same OFD files: inside the gmseal-ofd bench), callgrind on the batch workload before and
# after the verification cache, and write docs/performance.md (ratios, machine, versions,
# date). Takes about 15-20 minutes on two cores. Not run in CI.
#
#   benches/run-all.sh                      # everything
#   GMSEAL_BATCH_DOCS=100 benches/run-all.sh   # a smaller batch
#
# Needs: cargo, openssl, python3 with pyhanko (pip install pyhanko), valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
out="${GMSEAL_BENCH_OUT:-$target/bench-run}"
rm -rf "$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
export CRITERION_HOME="$out/criterion"
export GMSEAL_BENCH_DUMP="$out"
crit=(--warm-up-time 1 --measurement-time 3)

bench() {
  echo "== cargo bench $*" >&2
  if ! cargo bench -q "$@" -- "${crit[@]}" > "$out/bench.log" 2>&1; then
    echo "cargo bench $*" >> "$out/failed.txt"
  fi
  grep -vE '^(Benchmarking|Gnuplot|Found [0-9]+ outliers|  [0-9]+ \()' "$out/bench.log" >&2 || true
}
bench -p gmseal-benches --bench sm2
bench -p gmseal-cert --bench issue
bench -p gmseal-ses --bench ses
bench -p gmseal-pdf --bench pdf
bench -p gmseal-ofd --bench ofd
bench -p gmseal-benches --bench batch

echo "== openssl speed sm2" >&2
openssl speed -seconds 3 sm2 > "$out/openssl-speed.txt" 2>/dev/null || true

echo "== pyHanko" >&2
if python3 -c 'import pyhanko' 2>/dev/null && [ -f "$out/pdf-200p.pdf" ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/p256.key" 2>/dev/null
  openssl req -x509 -new -key "$out/p256.key" -subj "/CN=pyHanko bench" -days 30 \
    -out "$out/p256.crt" 2>/dev/null
  python3 benches/peers/pyhanko_sign.py "$out/pdf-200p.pdf" "$out/p256.key" "$out/p256.crt" 5 \
    > "$out/pyhanko.json"
else
  echo "pyHanko not installed (pip install pyhanko): skipped" >&2
fi

echo "== callgrind on the batch workload" >&2
docs=100
if command -v valgrind >/dev/null; then
  cargo build --release -q -p gmseal-benches --example batch-workload
  : > "$out/callgrind.txt"
  for mode in one-by-one uncached cached; do
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*verify_batch*' \
      --callgrind-out-file="$out/callgrind-$mode.out" \
      "$target/release/examples/batch-workload" "$docs" mixed "$mode" 2> "$out/callgrind-$mode.log" >&2
    ir=$(grep -Eo 'Collected : [0-9]+' "$out/callgrind-$mode.log" | grep -Eo '[0-9]+$')
    echo "$mode $ir $docs" >> "$out/callgrind.txt"
  done
  # the share of the main parts, before (one by one) and after (cached)
  share() {
    callgrind_annotate --inclusive=yes "$out/callgrind-$1.out" 2>/dev/null |
      grep -F -- "$2" | head -1 | grep -Eo '\( *[0-9.]+%\)' | tr -d '( )' || true
  }
  {
    echo "Inclusive share of the verified batch, one by one → cached:"
    echo
    echo "| Part | One by one | Cached |"
    echo "|---|---:|---:|"
    while IFS='|' read -r label pattern; do
      echo "| $label | $(share one-by-one "$pattern") | $(share cached "$pattern") |"
    done <<'PARTS'
SM2 verifications (RustCrypto `verify_prehash`)|PrehashVerifier<sm2::dsa::Signature>>::verify_prehash
certificate path building (gmseal-cert)|gmseal_cert::chain::Builder::search [
SM3 compression (document digests, fingerprints)|sm3::compress::compress
PDF object parsing (gmseal-pdf reader)|gmseal_pdf::reader::Reader<R>::load_entry
certificate summaries for the reports|gmseal_cert::cert::Cert::summary
PARTS
  } > "$out/callgrind-notes.txt"
else
  echo "valgrind not installed: skipped" >&2
fi

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  echo "nproc: $(nproc)"
  echo "rustc: $(rustc --version)"
  echo "openssl: $(openssl version)"
  echo "pyhanko: $(python3 -c 'import importlib.metadata as m; print(m.version("pyhanko"))' 2>/dev/null || echo 'not installed')"
  echo "sofd: sofd-sign $(grep -A1 'name = "sofd-sign"' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p') (crates.io, dev-dependency of gmseal-ofd)"
} > "$out/meta.txt"
python3 benches/peers/report.py "$out" docs/performance.md
