// Parse + extract throughput against Gumbo's own, over the fixture pages.
//
//   extract_bench [--benchmark_filter=...]
//
// PageCacheHit serves the same pages from extractors/page_cache.h instead.
// Each iteration processes every tests/fixtures/pages/*/page.html once (or
// every *.html under $DRAGNET_BENCH_HTML_DIR, e.g. real captured pages that
// cannot be committed, or the 5-60 KB pages tests/bench/make_bench_pages.py
// writes);
// bytes_per_second is HTML bytes. The target (issue 3): ParseAndExtract at
// >= 0.8x GumboRaw. The machine is shared: compare ratios within one run,
// e.g. with --benchmark_repetitions=10 --benchmark_enable_random_interleaving.
#include <benchmark/benchmark.h>
#include <gumbo.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/hash.h"
#include "extractors/indicators.h"
#include "extractors/page.h"
#include "extractors/brands.h"
#include "extractors/lookalike.h"
#include "extractors/page_cache.h"
#include "extractors/rules.h"
#include "extractors/verdict.h"
#include "core/url.h"

namespace {

struct Doc {
  std::string url, html;
};

const std::vector<Doc>& Docs() {
  static const std::vector<Doc> docs = [] {
    std::vector<Doc> out;
    std::vector<std::filesystem::path> files;
    if (const char* env = std::getenv("DRAGNET_BENCH_HTML_DIR")) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(env)) {
        if (e.path().extension() == ".html") files.push_back(e.path());
      }
    } else {
      std::filesystem::path dir = std::filesystem::path(DRAGNET_SOURCE_DIR) / "tests/fixtures/pages";
      for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (std::filesystem::exists(e.path() / "page.html")) files.push_back(e.path() / "page.html");
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back({"https://" + f.parent_path().filename().string() + ".example.com/", ss.str()});
    }
    return out;
  }();
  return docs;
}

int64_t TotalBytes() {
  int64_t n = 0;
  for (const Doc& d : Docs()) n += static_cast<int64_t>(d.html.size());
  return n;
}

void GumboRaw(benchmark::State& state) {
  for (auto _ : state) {
    for (const Doc& d : Docs()) {
      GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, d.html.data(), d.html.size());
      benchmark::DoNotOptimize(out);
      gumbo_destroy_output(&kGumboDefaultOptions, out);
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(GumboRaw);

// Gumbo with the options ParsePage uses (no error records).
void GumboRawNoErrors(benchmark::State& state) {
  GumboOptions opts = kGumboDefaultOptions;
  opts.max_errors = 0;
  for (auto _ : state) {
    for (const Doc& d : Docs()) {
      GumboOutput* out = gumbo_parse_with_options(&opts, d.html.data(), d.html.size());
      benchmark::DoNotOptimize(out);
      gumbo_destroy_output(&opts, out);
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(GumboRawNoErrors);

void ParsePageOnly(benchmark::State& state) {
  for (auto _ : state) {
    for (const Doc& d : Docs()) {
      dragnet::Page p = dragnet::extractors::ParsePage(d.html, d.url);
      benchmark::DoNotOptimize(p);
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(ParsePageOnly);

// The same pages served by extractors/page_cache.h, every one a hit: each
// body was seen twice under another host first (the kit on its second and
// third domain). Compare with ParsePageOnly; the SHA-256 is the fetcher's.
void PageCacheHit(benchmark::State& state) {
  dragnet::extractors::PageCache cache(256u << 20);
  std::vector<std::string> shas;
  for (const Doc& d : Docs()) {
    shas.push_back(dragnet::Sha256Hex(d.html));
    for (int i = 0; i < 2; ++i) cache.Parse(d.html, shas.back(), "https://kit-origin.example/", {});
  }
  for (auto _ : state) {
    for (size_t i = 0; i < Docs().size(); ++i) {
      dragnet::Page p = cache.Parse(Docs()[i].html, shas[i], Docs()[i].url);
      benchmark::DoNotOptimize(p);
    }
  }
  if (cache.stats().hits < static_cast<uint64_t>(state.iterations()) * Docs().size()) {
    state.SkipWithError("PageCache missed");
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(PageCacheHit);

// state.range(0) == 1: with the phone family (libphonenumber) switched off,
// to show its share.
void ParseAndExtract(benchmark::State& state) {
  dragnet::extractors::ExtractContext ctx;
  dragnet::extractors::ExtractOptions opts;
  if (state.range(0) == 1) opts.disabled = {"phone"};
  // Warm the process-wide pattern database and libphonenumber's metadata.
  for (const Doc& d : Docs()) {
    ctx.site_url = d.url;
    benchmark::DoNotOptimize(
        dragnet::extractors::ExtractIndicators({dragnet::extractors::ParsePage(d.html, d.url)}, ctx, opts));
  }
  for (auto _ : state) {
    for (const Doc& d : Docs()) {
      ctx.site_url = d.url;
      std::vector<dragnet::Page> pages;
      pages.push_back(dragnet::extractors::ParsePage(d.html, d.url));
      auto inds = dragnet::extractors::ExtractIndicators(pages, ctx, opts);
      benchmark::DoNotOptimize(inds);
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(ParseAndExtract)->Arg(0)->Arg(1);

// The verdict's own cost, as the pipeline pays it after extraction: brand
// findings, lookalikes, the form-field classifier, keywords and every rule of
// config/rules.toml over the parsed pages (parsed once, outside the loop).
// Compare its time per page with ParsePageOnly's.
struct VerdictTables {
  dragnet::extractors::RuleSet rules;
  dragnet::extractors::BrandCatalog brands;
};
const VerdictTables& Tables() {
  static const VerdictTables t = [] {
    VerdictTables v;
    auto r = dragnet::extractors::RuleSet::Load(DRAGNET_SOURCE_DIR "/config/rules.toml");
    auto b = dragnet::extractors::BrandCatalog::Load(DRAGNET_SOURCE_DIR "/config/brands.toml");
    if (r.ok()) v.rules = std::move(*r);
    if (b.ok()) v.brands = std::move(*b);
    return v;
  }();
  return t;
}

// state.range(0): 0 everything; 1 FindBrands only; 2 FindLookalikes only;
// 3 Score only (findings computed outside the loop).
void ScoreOnly(benchmark::State& state) {
  const VerdictTables& t = Tables();
  if (t.rules.rules().empty() || t.brands.brands().empty()) {
    state.SkipWithError("config/rules.toml or brands.toml did not load");
    return;
  }
  struct Prepared {
    std::vector<dragnet::Page> pages;
    std::vector<dragnet::Indicator> indicators;
    std::string host, domain;
  };
  std::vector<Prepared> prepared;
  for (const Doc& d : Docs()) {
    Prepared p;
    p.pages.push_back(dragnet::extractors::ParsePage(d.html, d.url));
    dragnet::extractors::ExtractContext ctx;
    ctx.site_url = d.url;
    p.indicators = dragnet::extractors::ExtractIndicators(p.pages, ctx);
    auto u = dragnet::ParseUrl(d.url);
    p.host = u.ok() ? u->host : "";
    p.domain = u.ok() ? u->RegistrableDomain() : "";
    prepared.push_back(std::move(p));
  }
  const int64_t part = state.range(0);
  std::vector<dragnet::extractors::VerdictInput> inputs(prepared.size());
  for (size_t i = 0; i < prepared.size(); ++i) {
    const Prepared& p = prepared[i];
    inputs[i].site_url = inputs[i].final_url = Docs()[i].url;
    inputs[i].pages = &p.pages;
    inputs[i].indicators = &p.indicators;
    inputs[i].brands = dragnet::extractors::FindBrands(t.brands, p.pages, p.domain);
    inputs[i].lookalikes = dragnet::extractors::FindLookalikes(t.brands, p.host);
    inputs[i].own_site_brand = dragnet::extractors::OwnSiteBrand(t.brands, p.domain);
  }
  for (auto _ : state) {
    for (size_t i = 0; i < prepared.size(); ++i) {
      const Prepared& p = prepared[i];
      if (part == 1) {
        benchmark::DoNotOptimize(dragnet::extractors::FindBrands(t.brands, p.pages, p.domain));
      } else if (part == 2) {
        benchmark::DoNotOptimize(dragnet::extractors::FindLookalikes(t.brands, p.host));
      } else if (part == 3) {
        benchmark::DoNotOptimize(dragnet::extractors::Score(t.rules, inputs[i]));
      } else {
        dragnet::extractors::VerdictInput in = inputs[i];
        in.brands = dragnet::extractors::FindBrands(t.brands, p.pages, p.domain);
        in.lookalikes = dragnet::extractors::FindLookalikes(t.brands, p.host);
        in.own_site_brand = dragnet::extractors::OwnSiteBrand(t.brands, p.domain);
        benchmark::DoNotOptimize(dragnet::extractors::Score(t.rules, in));
      }
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(ScoreOnly)->Arg(0)->Arg(1)->Arg(2)->Arg(3);

}  // namespace

// Process-wide state (the vectorscan database, libphonenumber's metadata) is
// built before any benchmark runs, so a profile of the benchmarks (valgrind
// --tool=callgrind --toggle-collect='benchmark::RunSpecifiedBenchmarks*')
// holds the per-page work only.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  for (const Doc& d : Docs()) {
    dragnet::extractors::ExtractContext ctx;
    ctx.site_url = d.url;
    benchmark::DoNotOptimize(
        dragnet::extractors::ExtractIndicators({dragnet::extractors::ParsePage(d.html, d.url)}, ctx));
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
