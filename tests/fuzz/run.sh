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
ninja -C "$BUILD" -j"$JOBS" extract_fuzz deobfuscate_fuzz

CORPUS="$BUILD/fuzz-corpus/extract"
mkdir -p "$CORPUS"
for i in "$ROOT"/tests/fixtures/pages/*/page.html "$ROOT"/tests/fixtures/adversarial/*/page.html; do
  cp "$i" "$CORPUS/$(basename "$(dirname "$i")").html"
done

# -rss_limit_mb and -timeout bound each input: hostile pages must end in
# bounded time and memory (the same promise ParsePage makes).
"$BUILD/tests/fuzz/extract_fuzz" "$CORPUS" \
  -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$BUILD/fuzz-crash-" 2>&1 | tail -n 25

# The decoders: seeds are the fixture pages and scripts, each prefixed with
# every decoder's selector byte (0..11), so every decoder starts from text
# that exercises it.
DCORPUS="$BUILD/fuzz-corpus/deobfuscate"
mkdir -p "$DCORPUS"
for i in "$ROOT"/tests/fixtures/adversarial/*/*.html "$ROOT"/tests/fixtures/adversarial/*/*.js; do
  name=$(basename "$(dirname "$i")")-$(basename "$i")
  for op in 0 1 2 3 4 5 6 7 8 9 10; do
    { printf "\\$(printf '%03o' "$op")"; head -c 16384 "$i"; } > "$DCORPUS/$op-$name"
  done
done
"$BUILD/tests/fuzz/deobfuscate_fuzz" "$DCORPUS" \
  -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$BUILD/fuzz-crash-deob-" 2>&1 | tail -n 25
