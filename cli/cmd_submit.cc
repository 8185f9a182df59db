// dragnet submit: queue seeds for the daemons; one job ID per URL.

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/json.h"
#include "core/text.h"
#include "app/config.h"
#include "app/daemon_client.h"
#include "cli/command.h"
#include "cli/common.h"
#include "cli/seeds.h"
#include "core/refang.h"
#include "core/url.h"

namespace dragnet::cli {
namespace {

struct SubmitArgs {
  std::vector<std::string> urls;
  std::string file;
  std::string format = "plain";  // of -f: core/feed_format.h
  std::string priority = "normal";
  std::vector<std::string> tags;
  bool force = false;
  bool json = false;
};

int Submit(const SubmitArgs& a, Globals& g) {
  std::vector<SeedInput> seeds;
  Status st = CollectSeeds(a.urls, a.file, seeds, a.format);
  if (!st.ok()) {
    std::fprintf(stderr, "dragnet submit: %s\n", st.message().c_str());
    return kExitUsage;
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "dragnet submit: no URLs given (arguments, or -f FILE, or -f - for stdin)\n");
    return kExitUsage;
  }
  app::JobSpec base;
  app::ParsePriority(a.priority, base.priority);
  base.tags = a.tags;
  base.force = a.force;
  base.source = "cli";
  auto config = LoadConfigOrReport(g, "submit");
  if (!config) return kExitUsage;
  // Check every URL before touching the queue, so a typo is reported even
  // when the queue is down, and the valid ones are never held back by it.
  std::vector<std::pair<std::string, std::string>> rejected;  // url, why
  std::vector<std::string> valid;
  for (const auto& s : seeds) {
    if (!s.error.empty()) {
      rejected.emplace_back(ToText(s.text), s.where + ": " + s.error);
      continue;
    }
    std::string url = RefangSeed(s.text);  // hxxp://evil[.]com, evil.com
    auto u = ParseUrl(url);
    if (u.ok()) valid.push_back(std::move(url));
    else rejected.emplace_back(ToText(s.text), s.where + ": " + u.status().message());
  }
  for (const auto& [url, why] : rejected) {
    std::fprintf(stderr, "dragnet submit: rejected '%s': %s\n", ToPrintable(url).c_str(), why.c_str());
    if (a.json) {
      std::cout << DumpJson(nlohmann::json{{"url", url}, {"error", why}}) << "\n";
    }
  }
  if (valid.empty()) return kExitUsage;
  auto client = app::OpenJobClient(*config);
  if (!client.ok()) {
    std::fprintf(stderr, "dragnet submit: %s\n", client.status().message().c_str());
    return kExitFailure;
  }
  int failed = 0;
  for (const auto& url : valid) {
    app::JobSpec spec = base;
    spec.url = url;
    auto id = (*client)->Submit(spec);
    if (!id.ok()) {
      if (id.status().code() == Code::kInvalidArgument || id.status().code() == Code::kRefused) {
        std::fprintf(stderr, "dragnet submit: rejected '%s': %s\n", ToPrintable(url).c_str(),
                     id.status().message().c_str());
        rejected.emplace_back(url, id.status().message());
        if (a.json) std::cout << DumpJson(nlohmann::json{{"url", url}, {"error", id.status().message()}}) << "\n";
        continue;
      }
      std::fprintf(stderr, "dragnet submit: queue error for '%s': %s\n", ToPrintable(url).c_str(),
                   id.status().message().c_str());
      ++failed;
      continue;
    }
    if (a.json) {
      std::cout << DumpJson(nlohmann::json{{"url", url}, {"job_id", *id}, {"priority", a.priority}})
                << "\n";
    } else {
      std::cout << *id << "\n";
    }
    std::cout.flush();
  }
  if (failed > 0) return kExitFailure;
  if (rejected.size() == seeds.size()) return kExitUsage;
  return rejected.empty() ? kExitOk : kExitPartial;
}

void RegisterSubmit(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("submit", "Queue URLs for the daemons; prints one job ID per URL");
  auto a = std::make_shared<SubmitArgs>();
  cmd->add_option("urls", a->urls, "URLs to crawl");
  cmd->add_option("-f,--file", a->file, "Read URLs from FILE, one per line ('-' = stdin)");
  cmd->add_option("--format", a->format,
                  "Format of -f: plain (one a line), openphish, urlhaus_csv, phishtank_json, csv:COLUMN [plain]");
  cmd->add_option("--priority", a->priority, "high (analysts), normal, low (bulk feeds)")
      ->check(CLI::IsMember({"high", "normal", "low"}));
  cmd->add_option("--tag", a->tags, "Tag the jobs (repeatable)");
  cmd->add_flag("--force", a->force, "Crawl even if crawled within recrawl_after");
  cmd->add_flag("--json", a->json, "One JSON object per URL: {url, job_id} or {url, error}");
  cmd->callback([a, &g] { g.exit_code = Submit(*a, g); });
}

}  // namespace

DRAGNET_COMMAND(submit, 20, RegisterSubmit);

}  // namespace dragnet::cli
