// dragnet scan: crawl seeds, extract, locate, score, report; print a
// summary per seed or JSON Lines (--json).

#include <unistd.h>

#include <fstream>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "app/config.h"
#include "app/pipeline.h"
#include "cli/command.h"
#include "cli/common.h"
#include "cli/seeds.h"
#include "core/fs.h"
#include "core/model_json.h"
#include "core/url.h"

namespace dragnet::cli {
namespace {

struct ScanArgs {
  std::vector<std::string> urls;
  std::string file;
  std::optional<int> depth, max_pages;
  std::string evidence;
  std::string state_dir;
  bool json = false;
  std::string output;
  std::vector<std::string> resolve;
  bool allow_private = false;
  bool no_report = false;
  bool no_locate = false;
  bool no_browser = false;
};

void PrintBrowserSummary(const SeedResult& r);

void PrintSummary(const SeedResult& r) {
  std::cout << "== " << r.seed << "\n";
  if (!r.final_url.empty() && r.final_url != r.seed) std::cout << "   final:    " << r.final_url << "\n";
  if (r.redirects.size() > 1) {
    std::cout << "   chain:   ";
    for (size_t i = 0; i < r.redirects.size(); ++i) {
      const auto& h = r.redirects[i];
      std::cout << (i ? " -> " : " ") << "[" << h.via << " " << h.status << "] " << h.url;
    }
    std::cout << "\n";
  }
  std::cout << "   pages:    " << r.pages.size();
  if (!r.pages.empty() && !r.pages.front().title.empty()) std::cout << "  (\"" << r.pages.front().title << "\")";
  std::cout << "\n";
  if (r.verdict) {
    std::cout << "   verdict:  " << r.verdict->label << " (score " << r.verdict->score;
    if (!r.verdict->scam_type.empty()) std::cout << ", " << r.verdict->scam_type;
    if (!r.verdict->brand_impersonated.empty()) std::cout << ", impersonates " << r.verdict->brand_impersonated;
    std::cout << ")\n";
    for (const auto& reason : r.verdict->reasons) {
      std::cout << "     +" << reason.weight << " " << reason.rule << ": " << reason.detail << "\n";
    }
  }
  if (!r.indicators.empty()) {
    std::cout << "   indicators (" << r.indicators.size() << "):";
    size_t shown = 0;
    for (const auto& ind : r.indicators) {
      if (ind.type == "url") continue;
      if (shown++ == 12) {
        std::cout << " ...";
        break;
      }
      std::cout << " " << ind.type << "=" << ind.value;
    }
    std::cout << "\n";
  }
  if (r.hosting) {
    const auto& h = *r.hosting;
    for (const auto& ip : h.ips) {
      std::cout << "   hosting:  " << ip.ip << " " << (ip.country.empty() ? "??" : ip.country);
      if (ip.asn) std::cout << " AS" << ip.asn << " " << ip.as_org;
      if (!ip.abuse.email.empty()) std::cout << " abuse=" << ip.abuse.email << " (" << ip.abuse.source << ")";
      std::cout << "\n";
    }
    if (h.cdn) std::cout << "   cdn:      " << h.cdn->name << "\n";
    if (!h.registrar.name.empty()) {
      std::cout << "   registrar: " << h.registrar.name;
      if (!h.registrar.iana_id.empty()) std::cout << " (IANA " << h.registrar.iana_id << ")";
      if (!h.registrar.abuse.email.empty()) std::cout << " abuse=" << h.registrar.abuse.email;
      std::cout << "\n";
    }
  }
  if (!r.case_id.empty()) std::cout << "   case:     " << r.case_id << "\n";
  for (const auto& rep : r.reports) {
    std::cout << "   report:   " << rep.status << " -> " << rep.recipient << " (" << rep.reason << ")\n";
  }
  if (!r.limits_hit.empty()) {
    std::cout << "   limits:  ";
    for (const auto& l : r.limits_hit) std::cout << " " << l;
    std::cout << "\n";
  }
  PrintBrowserSummary(r);
  for (const auto& e : r.errors) std::cout << "   error:    " << e << "\n";
  if (!r.evidence_manifest.empty()) std::cout << "   evidence: " << r.evidence_manifest << "\n";
}

// The browser stage's lines: one screenshot path per profile, and cloaking.
void PrintBrowserSummary(const SeedResult& r) {
  // <evidence dir>/manifests/<id>.json -> <evidence dir>/objects/ab/<sha>
  std::string dir = std::filesystem::path(r.evidence_manifest).parent_path().parent_path().string();
  for (const auto& c : r.captures) {
    std::cout << "   browser:  " << c.profile << " " << c.status << " \"" << c.title << "\"";
    if (!c.screenshot_sha256.empty() && !r.evidence_manifest.empty()) {
      std::cout << " screenshot " << dir << "/objects/" << c.screenshot_sha256.substr(0, 2) << "/" << c.screenshot_sha256;
    }
    if (c.blocked_requests) std::cout << " (" << c.blocked_requests << " requests blocked)";
    std::cout << "\n";
  }
  if (r.cloaking && r.cloaking->detected) std::cout << "   cloaking: " << r.cloaking->detail << "\n";
}

void RunScan(const ScanArgs& a, Globals& g) {
  auto cfg = LoadConfigOrReport(g, "scan", [&a](app::Config& c) {
    if (a.depth) c.crawl.depth = *a.depth;
    if (a.max_pages) c.crawl.max_pages = *a.max_pages;
    if (!a.state_dir.empty()) c.general.state_dir = a.state_dir;
    if (!a.evidence.empty()) c.crawl.evidence_dir = a.evidence;
    for (const auto& r : a.resolve) c.crawl.resolve.push_back(r);
    if (a.allow_private) c.crawl.allow_private = true;
    if (a.no_browser) c.browser.enabled = "false";
  });
  if (!cfg) return;
  app::Config c = std::move(*cfg);

  std::vector<std::string> seeds;
  Status st = CollectSeeds(a.urls, a.file, seeds);
  if (!st.ok()) {
    std::cerr << "dragnet scan: " << st.message() << "\n";
    g.exit_code = kExitUsage;
    return;
  }
  // Validate every seed first: a bad one is a usage error (exit 2), reported
  // before anything is fetched, so no half-run is left behind.
  for (const auto& s : seeds) {
    auto u = ParseUrl(s);
    if (!u.ok()) {
      std::cerr << "dragnet scan: " << u.status().message() << "\n";
      g.exit_code = kExitUsage;
      return;
    }
  }
  if (seeds.empty()) {
    std::cerr << "dragnet scan: no URLs given (pass URLs or -f FILE)\n";
    g.exit_code = kExitUsage;
    return;
  }
  app::Pipeline p(std::move(c));
  st = p.Init();
  if (!st.ok()) {
    std::cerr << "dragnet scan: " << st.message() << "\n";
    g.exit_code = kExitFailure;
    return;
  }
  app::ScanFlags flags;
  flags.report = !a.no_report;
  flags.locate = !a.no_locate;
  auto results = p.ScanSeeds(seeds, flags);
  // Results are printed either way; a report store that failed is exit 1.
  Status flushed = flags.report ? p.FlushReports() : Status::Ok();
  if (!flushed.ok()) std::cerr << "dragnet scan: reports: " << flushed.message() << "\n";
  std::string jsonl;
  for (const auto& r : results) {
    std::string line = nlohmann::json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    jsonl += line + "\n";
    if (a.json) {
      std::cout << line << "\n";
    } else {
      PrintSummary(r);
    }
  }
  std::cout.flush();
  if (!a.output.empty()) {
    st = WriteFileAtomic(a.output, jsonl);
    if (!st.ok()) {
      std::cerr << "dragnet scan: " << st.message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
  }
  g.exit_code = flushed.ok() ? kExitOk : kExitFailure;
}

void RegisterScan(CLI::App& root, Globals& g) {
  auto a = std::make_shared<ScanArgs>();
  auto* cmd = root.add_subcommand("scan", "Crawl suspected URLs, keep evidence, extract indicators, "
                                          "locate hosting, score and report");
  cmd->add_option("urls", a->urls, "Seed URLs (http or https)");
  cmd->add_option("-f,--file", a->file, "Read seed URLs from FILE, one per line ('-' for stdin; # comments)");
  cmd->add_option("--depth", a->depth, "Link hops to follow from the landing page [crawl.depth, 2]");
  cmd->add_option("--max-pages", a->max_pages, "Pages fetched per seed [crawl.max_pages, 50]");
  cmd->add_option("--evidence", a->evidence, "Evidence folder [crawl.evidence_dir, <state_dir>/evidence]");
  cmd->add_option("--state-dir", a->state_dir, "State folder for cases, ledger, outbox [general.state_dir]");
  cmd->add_flag("--json", a->json, "Print one JSON document per seed (JSON Lines)");
  cmd->add_option("-o,--output", a->output, "Also write the JSON Lines to FILE (with the human summary on stdout)");
  cmd->add_option("--resolve", a->resolve, "Pin HOST:PORT:ADDR like curl ('*' as HOST pins every name) [crawl.resolve]");
  cmd->add_flag("--allow-private", a->allow_private, "Allow private, loopback and link-local addresses [crawl.allow_private]");
  cmd->add_flag("--no-report", a->no_report, "Skip the reporter stage");
  cmd->add_flag("--no-locate", a->no_locate, "Skip DNS, geolocation and RDAP");
  cmd->add_flag("--no-browser", a->no_browser, "Skip the browser stage: screenshots, rendered pages, cloaking [browser.enabled]");
  cmd->callback([a, &g] { RunScan(*a, g); });
}

}  // namespace

DRAGNET_COMMAND(scan, 10, RegisterScan);

}  // namespace dragnet::cli
