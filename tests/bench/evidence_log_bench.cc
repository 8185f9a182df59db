// The evidence log's append cost as it grows (issue 12: appends must be
// O(log n) or amortised small, not a recomputation of the tree at large n).
//
//   evidence_log_bench [--benchmark_filter=...] [--benchmark_repetitions=3]
//
// Append100k: 100,000 appends into a fresh log (flock, state, leaf and
// checkpoint lines, Ed25519 signature, witness), fdatasync off so the disk
// does not dominate; the counter us_per_append is the mean. AppendAt/N: one
// more append into a log already holding N leaves; compare N=1000 with
// N=100000 for the growth. RebuildRoot/N: what an append would cost if it
// recomputed the tree from the leaves file (the naive approach), for scale.
// FrontierAppend: the in-memory Merkle part alone.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/hash.h"
#include "crawler/evidence_log.h"
#include "crawler/merkle.h"

namespace {

namespace fs = std::filesystem;
using dragnet::crawler::EvidenceLog;
using dragnet::crawler::Keyring;
using dragnet::crawler::LogLeaf;
using dragnet::crawler::LogOptions;

std::string FreshDir() {
  char tmpl[] = "/tmp/dragnet-logbench-XXXXXX";
  char* d = ::mkdtemp(tmpl);
  if (!d) std::abort();
  return d;
}

EvidenceLog MakeLog(const std::string& dir) {
  LogOptions o;
  o.sync = false;
  o.witness_dir = dir + "/keys/witness";
  return EvidenceLog(dir + "/evidence", Keyring(dir + "/keys"), o);
}

LogLeaf Leaf(uint64_t i) {
  return {"2026-12-04T00-00-00-000Z-" + std::to_string(i) + ".json", dragnet::Sha256Hex(std::to_string(i))};
}

void Fill(EvidenceLog& log, uint64_t from, uint64_t n) {
  for (uint64_t i = from; i < from + n; ++i) {
    if (!log.Append(Leaf(i)).ok()) std::abort();
  }
}

void Append100k(benchmark::State& state) {
  constexpr uint64_t kN = 100'000;
  for (auto _ : state) {
    state.PauseTiming();
    std::string dir = FreshDir();
    EvidenceLog log = MakeLog(dir);
    state.ResumeTiming();
    Fill(log, 0, kN);
    state.PauseTiming();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["us_per_append"] = benchmark::Counter(static_cast<double>(kN) * state.iterations(),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(Append100k)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

void AppendAt(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  std::string dir = FreshDir();
  EvidenceLog log = MakeLog(dir);
  Fill(log, 0, n);
  uint64_t i = n;
  for (auto _ : state) {
    if (!log.Append(Leaf(i++)).ok()) std::abort();
  }
  fs::remove_all(dir);
}
BENCHMARK(AppendAt)->Arg(1000)->Arg(100'000)->Unit(benchmark::kMicrosecond)->UseRealTime();

void RebuildRoot(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  std::string dir = FreshDir();
  EvidenceLog log = MakeLog(dir);
  Fill(log, 0, n);
  for (auto _ : state) {
    auto c = dragnet::crawler::ReadLogLeaves(dir + "/evidence");
    benchmark::DoNotOptimize(c->tree.Root());
  }
  fs::remove_all(dir);
}
BENCHMARK(RebuildRoot)->Arg(1000)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void FrontierAppend(benchmark::State& state) {
  dragnet::crawler::MerkleFrontier f;
  const std::string leaf = dragnet::crawler::MerkleLeafHash("x");
  for (auto _ : state) {
    f.Append(leaf);
    benchmark::DoNotOptimize(f.Root());
  }
}
BENCHMARK(FrontierAppend)->Unit(benchmark::kNanosecond);

}  // namespace

BENCHMARK_MAIN();
