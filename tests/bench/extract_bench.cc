// Parse + extract throughput against Gumbo's own, over the fixture pages.
//
//   extract_bench [--benchmark_filter=...]
//
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

#include "extractors/indicators.h"
#include "extractors/page.h"

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
