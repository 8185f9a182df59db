// dragnet rdap update: refreshes the RDAP bootstrap snapshot ([rdap]
// bootstrap_dir) from IANA ([rdap] bootstrap_url). All four files are
// fetched and checked first; only then are they replaced, each atomically.
// Offline, or on any bad file, nothing changes and the exit code is 1.
// The download goes through the guarded HTTP client (crawler/http_client.h):
// [crawl] resolve pins, the SSRF guard and the fetcher's limits apply.
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/config.h"
#include "cli/command.h"
#include "cli/common.h"
#include "core/fs.h"
#include "crawler/http_client.h"
#include "extractors/hosting/bootstrap.h"
#include "dragnet/version.h"

namespace dragnet::cli {
namespace {

void RunUpdate(Globals& g) {
  auto cfg = LoadConfigOrReport(g, "rdap update");
  if (!cfg) return;
  const auto& o = cfg->hosting;
  std::string base = o.bootstrap_url;
  if (!base.empty() && base.back() != '/') base += '/';
  crawler::GuardedHttpClient http(cfg->crawl);
  std::vector<std::pair<std::string, std::string>> files;
  for (const char* name : {"dns.json", "ipv4.json", "ipv6.json", "asn.json"}) {
    std::string url = base + name;
    HttpRequest req;
    req.url = url;
    req.headers = {"Accept: application/json", std::string("User-Agent: dragnet/") + DRAGNET_VERSION + " (rdap update)"};
    req.max_body_bytes = static_cast<int64_t>(hosting::kMaxBootstrapBytes);
    req.timeout_ms = o.rdap_timeout_ms;
    HttpResponse r = http.Send(req);
    std::string why;
    if (!r.error.empty()) why = r.error;
    else if (r.status != 200) why = "HTTP " + std::to_string(r.status);
    else if (Status s = hosting::ValidateBootstrapFile(r.body, url); !s.ok()) why = s.message();
    if (!why.empty()) {
      std::fprintf(stderr,
                   "dragnet rdap update: cannot fetch %s: %s; the snapshot in %s is unchanged\n",
                   url.c_str(), why.c_str(), o.bootstrap_dir.c_str());
      g.exit_code = kExitFailure;
      return;
    }
    files.emplace_back(name, std::move(r.body));
  }
  if (Status s = MakeDirs(o.bootstrap_dir); !s.ok()) {
    std::fprintf(stderr, "dragnet rdap update: %s\n", s.message().c_str());
    g.exit_code = kExitFailure;
    return;
  }
  for (const auto& [name, body] : files) {
    std::string path = o.bootstrap_dir + "/" + name;
    if (Status s = WriteFileAtomic(path, body); !s.ok()) {
      std::fprintf(stderr, "dragnet rdap update: writing %s: %s\n", path.c_str(), s.message().c_str());
      g.exit_code = kExitFailure;
      return;
    }
    auto j = nlohmann::json::parse(body, nullptr, false);
    std::string pub = j.is_object() && j.contains("publication") && j["publication"].is_string()
                          ? j["publication"].get<std::string>()
                          : "undated";
    std::printf("%s  publication %s\n", path.c_str(), pub.c_str());
  }
  g.exit_code = kExitOk;
}

void RegisterRdap(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("rdap", "RDAP bootstrap maintenance");
  cmd->require_subcommand(1);
  auto* update = cmd->add_subcommand(
      "update", "Refresh the RDAP bootstrap snapshot from IANA (keeps the old one when offline)");
  update->callback([&g] { RunUpdate(g); });
}

}  // namespace

DRAGNET_COMMAND(rdap, 90, RegisterRdap);

}  // namespace dragnet::cli
