#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, coverage on the
# libraries) and runs each for a bounded time over its seed corpus. Exit
# status non-zero on any crash, leak or sanitizer report.
#
#   tests/fuzz/run.sh [SECONDS]        (default 60 per target)
#
# Targets:
#   extract_fuzz   HTML -> ParsePage -> ExtractIndicators (fixture pages as seeds)
#   pipeline_fuzz  a raw HTTP response -> the whole scan (tests/fuzz/corpus/
#                  pipeline as seeds); run in a network namespace of its own
#                  (unshare -n, loopback only), so nothing it fetches can
#                  leave the machine whatever the input says.
#   mail_fuzz      any bytes as a message in the abuse mailbox -> ParseMail,
#                  ParseDsn, ClassifyMail (tests/fixtures/monitor/mail as seeds)
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
ninja -C "$BUILD" -j"$JOBS" extract_fuzz pipeline_fuzz mail_fuzz

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
for i in "$ROOT"/tests/fixtures/pages/*/page.html; do
  cp "$i" "$CORPUS/$(basename "$(dirname "$i")").html"
done
run extract_fuzz "$CORPUS"

CORPUS="$BUILD/fuzz-corpus/pipeline"
mkdir -p "$CORPUS"
cp "$ROOT"/tests/fuzz/corpus/pipeline/* "$CORPUS/"
# Loopback only: a network namespace with nothing but lo.
run pipeline_fuzz "$CORPUS" unshare -n sh -c 'ip link set lo up && exec "$@"' netns

CORPUS="$BUILD/fuzz-corpus/mail"
mkdir -p "$CORPUS"
cp "$ROOT"/tests/fixtures/monitor/mail/*.eml "$CORPUS/"
run mail_fuzz "$CORPUS"
