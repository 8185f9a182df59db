// extract_page: what Dragnet extracts from one saved HTML file, for people
// writing fixtures (tests/fixtures/adversarial/) and checking a captured page.
//
//   extract_page PAGE.html URL [--text] [--script FILE.js=SCRIPT_URL]...
//
// Prints one line per indicator: type=value [source] raw=...; with --text
// also the page's visible text, hidden text and comments as ParsePage sees
// them; and the extraction limits hit. External scripts given with --script
// are extracted as the crawl would (source "script:<url>").
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "extractors/indicators.h"
#include "extractors/page.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: extract_page PAGE.html URL [--text] [--script FILE.js=SCRIPT_URL]...\n";
    return 2;
  }
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  bool text = false;
  std::vector<dragnet::extractors::ScriptFile> scripts;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--text") {
      text = true;
    } else if (a == "--script" && i + 1 < argc) {
      std::string spec = argv[++i];
      size_t eq = spec.find('=');
      if (eq == std::string::npos) return 2;
      scripts.push_back({spec.substr(eq + 1), read(spec.substr(0, eq))});
    }
  }
  dragnet::Page p = dragnet::extractors::ParsePage(read(argv[1]), argv[2]);
  if (text) {
    std::cout << "--- text\n" << p.text << "\n--- hidden text\n" << p.hidden_text << "\n";
    for (const auto& c : p.comments) std::cout << "--- comment\n" << c << "\n";
    std::cout << "---\n";
  }
  dragnet::extractors::ExtractContext ctx;
  ctx.site_url = argv[2];
  dragnet::extractors::ExtractReport report;
  auto inds = dragnet::extractors::ExtractIndicators({p}, ctx, {}, &report);
  if (!scripts.empty()) {
    dragnet::extractors::MergeIndicators(inds, dragnet::extractors::ExtractScriptIndicators(scripts, ctx, {}, &report));
  }
  for (const auto& i : inds) std::cout << i.type << "=" << i.value << " [" << i.source << "] raw=" << i.raw << "\n";
  for (const auto& l : report.limits_hit) std::cout << "limit hit: " << l << "\n";
  return 0;
}
