#include "app/config.h"

#include <cstdlib>

#include "core/config_section.h"
#include "core/fs.h"

namespace dragnet::app {
namespace {

const std::vector<std::string> kSections = {
    "general", "crawl", "extract", "hosting", "dns", "geo", "rdap",
    "reporter", "policy", "delivery", "contacts", "redis", "daemon",
    "evidence", "browser", "monitor", "escalation", "inbox", "intel", "share", "web"};

Status ParseGeneral(const toml::table* root, GeneralOptions& o) {
  ConfigSection s(root, "general");
  DRAGNET_RETURN_IF_ERROR(s.Get("state_dir", o.state_dir));
  DRAGNET_RETURN_IF_ERROR(s.Get("data_dir", o.data_dir));
  return s.Finish();
}

}  // namespace

Result<Config> LoadConfig(const std::string& explicit_path,
                          const std::function<void(Config&)>& adjust) {
  Config c;
  std::string path = explicit_path;
  if (path.empty()) {
    const char* env = std::getenv("DRAGNET_CONFIG");
    if (env && *env) {
      path = env;
    } else if (FileExists("dragnet.toml")) {
      path = "dragnet.toml";
    } else if (FileExists("/etc/dragnet/dragnet.toml")) {
      path = "/etc/dragnet/dragnet.toml";
    }
  }
  toml::table root;
  const toml::table* rootp = nullptr;
  if (!path.empty()) {
    auto t = LoadTomlFile(path);
    if (!t.ok()) return t.status();
    root = std::move(t).value();
    rootp = &root;
    DRAGNET_RETURN_IF_ERROR(CheckSections(root, kSections));
    c.source_path = path;
  }
  DRAGNET_RETURN_IF_ERROR(ParseGeneral(rootp, c.general));
  DRAGNET_RETURN_IF_ERROR(crawler::ParseCrawlOptions(rootp, c.crawl));
  DRAGNET_RETURN_IF_ERROR(crawler::ParseEvidenceOptions(rootp, c.evidence));
  DRAGNET_RETURN_IF_ERROR(extractors::ParseExtractOptions(rootp, c.extract));
  DRAGNET_RETURN_IF_ERROR(hosting::ParseHostingOptions(rootp, c.hosting));
  DRAGNET_RETURN_IF_ERROR(reporters::ParseReporterOptions(rootp, c.reporter));
  DRAGNET_RETURN_IF_ERROR(ParseDaemonOptions(rootp, c.daemon));
  DRAGNET_RETURN_IF_ERROR(crawler::browser::ParseBrowserOptions(rootp, c.browser));
  DRAGNET_RETURN_IF_ERROR(monitor::ParseMonitorOptions(rootp, c.monitor));
  DRAGNET_RETURN_IF_ERROR(intel::ParseIntelOptions(rootp, c.intel));
  DRAGNET_RETURN_IF_ERROR(intel::ParseMispShareOptions(rootp, c.share_misp));
  DRAGNET_RETURN_IF_ERROR(web::ParseWebOptions(rootp, c.web));
  if (adjust) adjust(c);
  DRAGNET_RETURN_IF_ERROR(crawler::ValidateCrawlOptions(c.crawl));
  DRAGNET_RETURN_IF_ERROR(crawler::browser::ValidateBrowserOptions(c.browser));
  DRAGNET_RETURN_IF_ERROR(web::ValidateWebOptions(c.web));
  std::string data = DataDir(c);
  if (c.extract.brands_file.empty()) c.extract.brands_file = data + "/brands.toml";
  if (c.extract.rules_file.empty()) c.extract.rules_file = data + "/rules.toml";
  if (c.reporter.contacts_file.empty()) c.reporter.contacts_file = data + "/contacts.toml";
  if (c.hosting.bootstrap_dir.empty()) c.hosting.bootstrap_dir = data + "/rdap";
  if (c.hosting.cdn_file.empty()) c.hosting.cdn_file = data + "/cdn.toml";
  if (c.hosting.embedded_db.empty()) c.hosting.embedded_db = data + "/geo/dragnet-country.mmdb";
  if (c.reporter.templates_dir.empty()) c.reporter.templates_dir = data + "/templates";
  if (c.monitor.signatures_file.empty()) c.monitor.signatures_file = data + "/takedown.toml";
  if (c.reporter.outbox_dir.empty()) c.reporter.outbox_dir = c.general.state_dir + "/outbox";
  if (c.crawl.evidence_dir.empty()) c.crawl.evidence_dir = c.general.state_dir + "/evidence";
  if (c.evidence.key_dir.empty()) c.evidence.key_dir = c.general.state_dir + "/keys";
  return c;
}

std::string DataDir(const Config& c) {
  if (!c.general.data_dir.empty()) return c.general.data_dir;
  const char* env = std::getenv("DRAGNET_DATA_DIR");
  if (env && *env) return env;
  // An installed binary: <prefix>/bin/dragnet beside <prefix>/share/dragnet
  // (the package, `cmake --install --prefix`, a package unpacked anywhere).
  if (std::string installed = InstalledShareDir(); !installed.empty() && FileExists(installed + "/rules.toml")) {
    return installed;
  }
  std::string src = std::string(DRAGNET_SOURCE_CONFIG_DIR);
  if (FileExists(src + "/rules.toml") || FileExists(src + "/dragnet.example.toml")) return src;
  return "/usr/share/dragnet";
}

}  // namespace dragnet::app
