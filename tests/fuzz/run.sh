#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, coverage on the
# libraries) and runs each for a bounded time over the fixture pages as seed
# corpus. Exit status non-zero on any crash, leak or sanitizer report.
#
#   tests/fuzz/run.sh [SECONDS]        (default 60 per target)
#
# Env: BUILD_DIR (default <repo>/build-fuzz), JOBS (default 2).
set -euo pipefail
SECONDS_PER_TARGET="${1:-60}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build-fuzz}"
JOBS="${JOBS:-2}"

CC=clang-14 CXX=clang++-14 cmake -S "$ROOT" -B "$BUILD" -G Ninja \
  -DDRAGNET_FUZZ=ON -DDRAGNET_SANITIZE=ON -DDRAGNET_BENCH=OFF -DDRAGNET_TESTS=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link" -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" >/dev/null
ninja -C "$BUILD" -j"$JOBS" extract_fuzz devtools_fuzz

CORPUS="$BUILD/fuzz-corpus/extract"
mkdir -p "$CORPUS"
for i in "$ROOT"/tests/fixtures/pages/*/page.html; do
  cp "$i" "$CORPUS/$(basename "$(dirname "$i")").html"
done

# -rss_limit_mb and -timeout bound each input: hostile pages must end in
# bounded time and memory (the same promise ParsePage makes).
"$BUILD/tests/fuzz/extract_fuzz" "$CORPUS" \
  -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$BUILD/fuzz-crash-" 2>&1 | tail -n 25

# The DevTools pipe's framing (#14): seeds are a few messages as Chromium
# sends them.
DT_CORPUS="$BUILD/fuzz-corpus/devtools"
mkdir -p "$DT_CORPUS"
printf '\x07{"id":1,"result":{"product":"Chrome/156"}}\0{"method":"Fetch.requestPaused","params":{"requestId":"i-1"}}\0' > "$DT_CORPUS/two.bin"
printf '\x01{"id":2,"error":{"code":-32000,"message":"x"}}\0{"id' > "$DT_CORPUS/cut.bin"
"$BUILD/tests/fuzz/devtools_fuzz" "$DT_CORPUS" \
  -max_total_time="$SECONDS_PER_TARGET" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$BUILD/fuzz-crash-devtools-" 2>&1 | tail -n 25
