// dragnet scan: crawl seeds, extract, locate, score, report; print a
// summary per seed or JSON Lines (--json).

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <filesystem>
#include <iostream>
#include <mutex>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/json.h"
#include "app/config.h"
#include "app/evidence_seal.h"
#include "app/pipeline.h"
#include "cli/command.h"
#include "cli/common.h"
#include "cli/seeds.h"
#include "core/fs.h"
#include "core/model_json.h"
#include "core/refang.h"
#include "core/text.h"
#include "core/url.h"

namespace dragnet::cli {
namespace {

struct ScanArgs {
  std::vector<std::string> urls;
  std::string file;
  std::string format = "plain";  // of -f: core/feed_format.h
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

// Strings from sites (titles, indicators, reasons quoting pages, RDAP names)
// reach a terminal: shown printable, so a title cannot move the cursor or
// forge a line.
std::string P(const std::string& s) { return ToPrintable(s); }
void PrintBrowserSummary(const SeedResult& r);

void PrintSummary(const SeedResult& r) {
  std::cout << "== " << P(r.seed) << "\n";
  if (!r.final_url.empty() && r.final_url != r.seed) std::cout << "   final:    " << P(r.final_url) << "\n";
  if (r.redirects.size() > 1) {
    std::cout << "   chain:   ";
    for (size_t i = 0; i < r.redirects.size(); ++i) {
      const auto& h = r.redirects[i];
      std::cout << (i ? " -> " : " ") << "[" << P(h.via) << " " << h.status << "] " << P(h.url);
    }
    std::cout << "\n";
  }
  std::cout << "   pages:    " << r.pages.size();
  if (!r.pages.empty() && !r.pages.front().title.empty()) std::cout << "  (\"" << P(r.pages.front().title) << "\")";
  std::cout << "\n";
  if (r.verdict) {
    std::cout << "   verdict:  " << P(r.verdict->label) << " (score " << r.verdict->score;
    if (!r.verdict->scam_type.empty()) std::cout << ", " << P(r.verdict->scam_type);
    if (!r.verdict->brand_impersonated.empty()) std::cout << ", impersonates " << P(r.verdict->brand_impersonated);
    std::cout << ")\n";
    for (const auto& reason : r.verdict->reasons) {
      std::cout << "     +" << reason.weight << " " << P(reason.rule) << ": " << P(reason.detail) << "\n";
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
      std::cout << " " << P(ind.type) << "=" << P(ind.value);
    }
    std::cout << "\n";
  }
  if (r.hosting) {
    const auto& h = *r.hosting;
    for (const auto& ip : h.ips) {
      std::cout << "   hosting:  " << P(ip.ip) << " " << (ip.country.empty() ? "??" : ip.country);
      if (ip.asn) std::cout << " AS" << ip.asn << " " << P(ip.as_org);
      if (!ip.abuse.email.empty()) std::cout << " abuse=" << P(ip.abuse.email) << " (" << P(ip.abuse.source) << ")";
      std::cout << "\n";
    }
    if (h.cdn) std::cout << "   cdn:      " << P(h.cdn->name) << "\n";
    if (!h.registrar.name.empty()) {
      std::cout << "   registrar: " << P(h.registrar.name);
      if (!h.registrar.iana_id.empty()) std::cout << " (IANA " << P(h.registrar.iana_id) << ")";
      if (!h.registrar.abuse.email.empty()) std::cout << " abuse=" << P(h.registrar.abuse.email);
      std::cout << "\n";
    }
  }
  if (!r.case_id.empty()) std::cout << "   case:     " << r.case_id << "\n";
  for (const auto& rep : r.reports) {
    std::cout << "   report:   " << P(rep.status) << " -> " << P(rep.recipient) << " (" << P(rep.reason) << ")\n";
  }
  if (!r.limits_hit.empty()) {
    std::cout << "   limits:  ";
    for (const auto& l : r.limits_hit) std::cout << " " << P(l);
    std::cout << "\n";
  }
  PrintBrowserSummary(r);
  for (const auto& e : r.errors) std::cout << "   error:    " << P(e) << "\n";
  if (!r.evidence_manifest.empty()) std::cout << "   evidence: " << P(r.evidence_manifest) << "\n";
}

// ---- stopping: SIGINT/SIGTERM ----
// The first signal asks the running pipeline to stop (Pipeline::Cancel is
// async-signal-safe): what is done is written, the rest is recorded as
// interrupted, and scan exits 128+signal. SA_RESETHAND: a second signal
// ends the process at once, as the user would expect of a second Ctrl-C.
std::atomic<app::Pipeline*> g_scanning{nullptr};
volatile sig_atomic_t g_stop_signal = 0;

void OnStopSignal(int sig) {
  if (g_stop_signal == 0) g_stop_signal = sig;
  app::Pipeline* p = g_scanning.load();
  if (p != nullptr) p->Cancel();
}

void InstallStopHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// An evidence write that failed (a full disk, a read-only folder): the
// first such error of the scan, or empty.
std::string EvidenceFailure(const SeedResult& r) {
  for (const auto& e : r.errors) {
    if (e.rfind("evidence: ", 0) == 0) return e;
  }
  return {};
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

  std::vector<SeedInput> inputs;
  Status st = CollectSeeds(a.urls, a.file, inputs, a.format);
  if (!st.ok()) {
    std::cerr << "dragnet scan: " << st.message() << "\n";
    g.exit_code = kExitUsage;
    return;
  }
  if (inputs.empty()) {
    std::cerr << "dragnet scan: no URLs given (pass URLs or -f FILE)\n";
    g.exit_code = kExitUsage;
    return;
  }
  // Check every seed first: a bad one is named (where it came from and
  // why) and skipped, the others are scanned, and the run exits 4.
  std::vector<std::string> seeds;
  size_t rejected = 0;
  for (const auto& in : inputs) {
    std::string why = in.error;
    std::string url = RefangSeed(in.text);  // hxxp://evil[.]com, evil.com
    if (why.empty()) {
      auto u = ParseUrl(url);
      if (!u.ok()) why = u.status().message();
    }
    if (!why.empty()) {
      std::cerr << "dragnet scan: " << in.where << ": skipped: " << ToPrintable(why) << "\n";
      ++rejected;
      continue;
    }
    seeds.push_back(std::move(url));
  }
  if (seeds.empty()) {
    std::cerr << "dragnet scan: no valid URL to scan\n";
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

  // Each seed's document is printed as soon as that seed is done (JSON
  // Lines in completion order; each names its seed), from the pool's
  // threads, one whole document at a time.
  std::mutex out_mu;
  std::string jsonl;        // GUARDED_BY(out_mu)
  std::string evidence_error;  // GUARDED_BY(out_mu)
  size_t internal_errors = 0;  // GUARDED_BY(out_mu)
  // Progress on a terminal: one line on stderr, redrawn after each seed
  // (seeds done/total, pages, rate) and erased at the end; never when
  // stderr is a file or a pipe, so logs and scripts see none of it.
  const bool progress = seeds.size() > 1 && isatty(STDERR_FILENO) == 1;
  size_t done = 0, pages = 0;  // GUARDED_BY(out_mu)
  const auto started = std::chrono::steady_clock::now();
  auto each = [&](size_t, SeedResult r) {
    std::string line = DumpJson(nlohmann::json(r));
    std::lock_guard<std::mutex> lock(out_mu);
    if (evidence_error.empty()) evidence_error = EvidenceFailure(r);
    for (const auto& e : r.errors) internal_errors += e.rfind("internal: ", 0) == 0 ? 1 : 0;
    if (!a.output.empty()) jsonl += line + "\n";
    if (progress) std::cerr << "\r\033[K" << std::flush;
    if (a.json) {
      std::cout << line << "\n";
    } else {
      PrintSummary(r);
    }
    std::cout.flush();
    ++done;
    pages += r.pages.size();
    if (progress) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      char rate[32];
      std::snprintf(rate, sizeof rate, "%.1f", secs > 0 ? static_cast<double>(done) / secs : 0.0);
      std::cerr << "dragnet scan: " << done << "/" << seeds.size() << " seeds, " << pages << " pages, " << rate
                << " seeds/s" << std::flush;
    }
  };
  g_scanning.store(&p);
  InstallStopHandlers();
  p.ScanSeeds(seeds, flags, each);
  if (progress) std::cerr << "\r\033[K" << std::flush;
  // One RFC 3161 timestamp covers every manifest of the run (when configured).
  if (Status ts = app::TimestampEvidence(p.config()); !ts.ok()) {
    std::cerr << "dragnet scan: evidence timestamp: " << ts.message() << "\n";
  }
  // Results are printed either way; a report store that failed is exit 1.
  Status flushed = Status::Ok();
  if (flags.report && g_stop_signal == 0) flushed = p.FlushReports();
  g_scanning.store(nullptr);
  if (!flushed.ok()) std::cerr << "dragnet scan: reports: " << flushed.message() << "\n";
  std::cout.flush();
  int code = flushed.ok() ? kExitOk : kExitFailure;
  if (!a.output.empty()) {
    st = WriteFileAtomic(a.output, jsonl);
    if (!st.ok()) {
      std::cerr << "dragnet scan: " << st.message() << "\n";
      code = kExitFailure;
    }
  }
  if (!evidence_error.empty()) {
    // Evidence that could not be kept is a failure of the run, not of a site.
    std::cerr << "dragnet scan: " << evidence_error << "\n";
    code = kExitFailure;
  }
  if (code == kExitOk && (rejected > 0 || internal_errors > 0)) code = kExitPartial;
  if (g_stop_signal != 0) {
    std::cerr << "dragnet scan: stopped by signal " << g_stop_signal
              << "; unfinished seeds are marked interrupted\n";
    code = 128 + g_stop_signal;
  }
  g.exit_code = code;
}

void RegisterScan(CLI::App& root, Globals& g) {
  auto a = std::make_shared<ScanArgs>();
  auto* cmd = root.add_subcommand("scan", "Crawl suspected URLs, keep evidence, extract indicators, "
                                          "locate hosting, score and report");
  cmd->add_option("urls", a->urls, "Seed URLs (http or https)");
  cmd->add_option("-f,--file", a->file, "Read seed URLs from FILE, one per line ('-' for stdin; # comments)");
  cmd->add_option("--format", a->format,
                  "Format of -f: plain (one a line), openphish, urlhaus_csv, phishtank_json, csv:COLUMN [plain]");
  cmd->add_option("--depth", a->depth, "Link hops to follow from the landing page [crawl.depth, 2]");
  cmd->add_option("--max-pages", a->max_pages, "Pages fetched per seed [crawl.max_pages, 50]");
  cmd->add_option("--evidence", a->evidence, "Evidence folder [crawl.evidence_dir, <state_dir>/evidence]");
  cmd->add_option("--state-dir", a->state_dir, "State folder for cases, ledger, outbox [general.state_dir]");
  cmd->add_flag("--json", a->json, "Print one JSON document per seed (JSON Lines)");
  cmd->add_option("-o,--output", a->output, "Also write the JSON Lines to FILE (with the human summary on stdout)");
  // One value per use (--resolve A --resolve B), so a URL after it stays a seed.
  cmd->add_option("--resolve", a->resolve, "Pin HOST:PORT:ADDR like curl ('*' as HOST pins every name) [crawl.resolve]")
      ->allow_extra_args(false);
  cmd->add_flag("--allow-private", a->allow_private, "Allow private, loopback and link-local addresses [crawl.allow_private]");
  cmd->add_flag("--no-report", a->no_report, "Skip the reporter stage");
  cmd->add_flag("--no-locate", a->no_locate, "Skip DNS, geolocation and RDAP");
  cmd->add_flag("--no-browser", a->no_browser, "Skip the browser stage: screenshots, rendered pages, cloaking [browser.enabled]");
  cmd->callback([a, &g] { RunScan(*a, g); });
}

}  // namespace

DRAGNET_COMMAND(scan, 10, RegisterScan);

}  // namespace dragnet::cli
