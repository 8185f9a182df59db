// The campaign index's cost per case as it grows (issue 16: clustering must
// stay O(identifiers of the new case), never a recomputation).
//
//   intel_index_bench [--benchmark_filter=...] [--benchmark_repetitions=3]
//
// Fill100k: 100,000 synthetic cases into a fresh index (9 identifiers
// each: a wallet shared by ~10 cases, so ~10,000 campaigns form and merge,
// an e-mail, a phone, a Telegram account, a GA ID, a host, a URL, an IP, an
// outside domain); the counter us_per_case is the mean. AddAt/N: one more
// case into an index already holding N cases; compare N=1000 with
// N=100000 for the growth (flat when the cost is per identifier).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "intel/index.h"

namespace {

namespace fs = std::filesystem;
using dragnet::intel::CampaignIndex;
using dragnet::intel::CaseFacts;
using dragnet::intel::Identifier;
using dragnet::intel::WeightOf;

std::string FreshDir() {
  char tmpl[] = "/tmp/dragnet-intelbench-XXXXXX";
  char* d = ::mkdtemp(tmpl);
  if (!d) std::abort();
  return d;
}

// Case i: its wallet is shared with the cases i/10*10 .. +9 (campaigns of
// ten), its Telegram account with i/25*25 .. (so campaigns merge in pairs
// and threes), the rest its own.
CaseFacts Case(uint64_t i) {
  CaseFacts f;
  f.case_id = "DN-" + std::to_string(i);
  f.host = "site-" + std::to_string(i) + ".example";
  f.domain = f.host;
  f.seed = f.final_url = "http://" + f.host + "/";
  f.label = "malicious";
  f.seen_ms = 1'700'000'000'000LL + static_cast<int64_t>(i);
  auto add = [&](const std::string& type, const std::string& value) {
    f.identifiers.push_back(Identifier{type, value, WeightOf(type), ""});
  };
  add("btc", "wallet-" + std::to_string(i / 10));
  add("telegram", "desk_" + std::to_string(i / 25));
  add("email", "ops" + std::to_string(i) + "@mail.example");
  add("phone", "+4670" + std::to_string(1'000'000 + i));
  add("analytics_ga", "G-" + std::to_string(i));
  add("host", f.host);
  add("url", f.final_url);
  add("ipv4", "198.51.100." + std::to_string(i % 250));
  add("domain", "cdn-" + std::to_string(i % 7) + ".example");
  return f;
}

std::unique_ptr<CampaignIndex> Open(const std::string& dir) {
  auto x = CampaignIndex::Open(dir + "/intel.db", {});
  if (!x.ok()) std::abort();
  return std::move(x).value();
}

void Fill(CampaignIndex& index, uint64_t from, uint64_t n) {
  for (uint64_t i = from; i < from + n; ++i) {
    if (!index.Add(Case(i)).ok()) std::abort();
  }
}

void Fill100k(benchmark::State& state) {
  constexpr uint64_t kN = 100'000;
  for (auto _ : state) {
    state.PauseTiming();
    std::string dir = FreshDir();
    auto index = Open(dir);
    state.ResumeTiming();
    Fill(*index, 0, kN);
    state.PauseTiming();
    auto all = index->List(1'000'000);
    if (!all.ok()) std::abort();
    state.counters["campaigns"] = static_cast<double>(all->size());
    index.reset();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["us_per_case"] =
      benchmark::Counter(static_cast<double>(kN) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
}
BENCHMARK(Fill100k)->Unit(benchmark::kSecond)->Iterations(1);

// One index per size, filled once and kept for the process.
CampaignIndex& Prefilled(uint64_t n) {
  static std::map<uint64_t, std::pair<std::string, std::unique_ptr<CampaignIndex>>> made;
  auto& slot = made[n];
  if (!slot.second) {
    slot.first = FreshDir();
    slot.second = Open(slot.first);
    Fill(*slot.second, 0, n);
  }
  return *slot.second;
}

void AddAt(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  CampaignIndex& index = Prefilled(n);
  uint64_t next = n;
  for (auto _ : state) {
    if (!index.Add(Case(next++)).ok()) std::abort();
  }
}
BENCHMARK(AddAt)->Arg(1000)->Arg(100'000)->Unit(benchmark::kMicrosecond)->Iterations(2000);

}  // namespace

BENCHMARK_MAIN();
