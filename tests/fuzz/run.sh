#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, coverage on the
# libraries) and runs each for a bounded time over its seed corpus. Exit
# status non-zero on any crash, leak or sanitizer report.
#
#   tests/fuzz/run.sh [SECONDS]        (default 60 per target)
#
# Targets:
#   extract_fuzz   HTML -> ParsePage -> ExtractIndicators (fixture pages as seeds)
#   deobfuscate_fuzz  every decoder of extractors/deobfuscate/ (selector byte + text)
#   pipeline_fuzz  a raw HTTP response -> the whole scan (tests/fuzz/corpus/
#                  pipeline as seeds); run in a network namespace of its own
#                  (unshare -n, loopback only), so nothing it fetches can
#                  leave the machine whatever the input says.
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
ninja -C "$BUILD" -j"$JOBS" extract_fuzz pipeline_fuzz evidence_fuzz verdict_fuzz devtools_fuzz deobfuscate_fuzz

# -rss_limit_mb and -timeout bound each input: hostile pages must end in
# bounded time and memory (the same promise ParsePage makes).
run() {
  local name=$1 corpus=$2
  shift 2
  "$@" "$BUILD/tests/fuzz/$name" "$corpus" \
    -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -timeout=30 -rss_limit_mb=2048 \
    -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$BUILD/fuzz-crash-$name-" 2>&1 | tail -n 25
  return "${PIPESTATUS[0]}"
}

CORPUS="$BUILD/fuzz-corpus/extract"
mkdir -p "$CORPUS"
for i in "$ROOT"/tests/fixtures/pages/*/page.html "$ROOT"/tests/fixtures/adversarial/*/page.html; do
  cp "$i" "$CORPUS/$(basename "$(dirname "$i")").html"
done
run extract_fuzz "$CORPUS"

CORPUS="$BUILD/fuzz-corpus/pipeline"
mkdir -p "$CORPUS"
cp "$ROOT"/tests/fuzz/corpus/pipeline/* "$CORPUS/"
# Loopback only: a network namespace with nothing but lo.
run pipeline_fuzz "$CORPUS" unshare -n sh -c 'ip link set lo up && exec "$@"' netns

# evidence_fuzz: seeded with the byte-selector followed by real evidence
# files (a manifest, log lines, a tree head, a public key) from the fixtures.
ECORPUS="$BUILD/fuzz-corpus/evidence"
mkdir -p "$ECORPUS"
i=0
for f in "$ROOT"/tests/fixtures/evidence/*; do
  [[ -f $f ]] || continue
  for sel in 0 1 2 3 4 5; do
    { printf "\\x0$sel"; cat "$f"; } > "$ECORPUS/seed-$i-$sel"
  done
  i=$((i + 1))
done
run evidence_fuzz "$ECORPUS"

# The verdict over the same seeds plus the verdict corpus pages.
VCORPUS="$BUILD/fuzz-corpus/verdict"
mkdir -p "$VCORPUS"
cp "$BUILD/fuzz-corpus/extract"/*.html "$VCORPUS/"
for i in "$ROOT"/tests/fixtures/verdict/corpus/*/*.html; do
  cp "$i" "$VCORPUS/$(basename "$(dirname "$i")")-$(basename "$i")"
done
run verdict_fuzz "$VCORPUS"

# The DevTools pipe's framing (#14): seeds are a few messages as Chromium
# sends them.
DT_CORPUS="$BUILD/fuzz-corpus/devtools"
mkdir -p "$DT_CORPUS"
printf '\x07{"id":1,"result":{"product":"Chrome/156"}}\0{"method":"Fetch.requestPaused","params":{"requestId":"i-1"}}\0' > "$DT_CORPUS/two.bin"
printf '\x01{"id":2,"error":{"code":-32000,"message":"x"}}\0{"id' > "$DT_CORPUS/cut.bin"
run devtools_fuzz "$DT_CORPUS"

# The decoders: seeds are the fixture pages and scripts, each prefixed with
# every decoder's selector byte (0..10), so every decoder starts from text
# that exercises it.
DCORPUS="$BUILD/fuzz-corpus/deobfuscate"
mkdir -p "$DCORPUS"
for i in "$ROOT"/tests/fixtures/adversarial/*/*.html "$ROOT"/tests/fixtures/adversarial/*/*.js; do
  name=$(basename "$(dirname "$i")")-$(basename "$i")
  for op in 0 1 2 3 4 5 6 7 8 9 10; do
    { printf "\\$(printf '%03o' "$op")"; head -c 16384 "$i"; } > "$DCORPUS/$op-$name"
  done
done
run deobfuscate_fuzz "$DCORPUS"
