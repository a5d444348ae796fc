#!/usr/bin/env bash
# Run the FFI tests of gmseal-skf (tests/ffi.rs: the binding driving the soft token, loaded with
# dlopen, including the misbehaving-library cases) under valgrind's memcheck. Any invalid read
# or write, use of uninitialised memory or bad free in the binding or the token fails the run.
#
# Usage: crates/gmseal-skf/tests/valgrind.sh [test-name-filter]
# CI: `bash crates/gmseal-skf/tests/valgrind.sh` after `apt-get install -y valgrind`.
set -euo pipefail
cd "$(dirname "$0")/../../.."

if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind is not installed (apt-get install -y valgrind)" >&2
  exit 1
fi

# Build the test binary (with the workspace's features, so CI reuses the artifacts of `cargo test
# --workspace`); cargo builds the soft token's cdylib with it (dev-dependency).
json=$(cargo test --workspace --test ffi --no-run --message-format=json)
bin=$(printf '%s\n' "$json" | grep -o '"executable":"[^"]*/ffi-[^"]*"' | tail -n 1 | sed 's/"executable":"//; s/"$//')
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "cannot find the ffi test binary" >&2
  exit 1
fi
lib="$(dirname "$bin")/libgmseal_skf_soft.so"
if [ ! -f "$lib" ]; then
  echo "soft token not built at $lib" >&2
  exit 1
fi
export GMSEAL_SKF_SOFT_LIB="$lib"
echo "valgrind: $bin (token $lib)"

# Leaks are not errors here: each test loads its own copy of the token, which stays mapped
# (its thread-local destructors keep the loader from unloading it). Everything else is.
valgrind --error-exitcode=1 --leak-check=no --track-origins=yes --trace-children=no -q \
  "$bin" --test-threads=1 "$@"
