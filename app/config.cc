#include "app/config.h"

#include <cstdlib>

#include "core/config_section.h"
#include "core/fs.h"

namespace dragnet::app {
namespace {

const std::vector<std::string> kSections = {"general", "crawl"};

Status ParseGeneral(const toml::table* root, GeneralOptions& o) {
  ConfigSection s(root, "general");
  DRAGNET_RETURN_IF_ERROR(s.Get("state_dir", o.state_dir));
  DRAGNET_RETURN_IF_ERROR(s.Get("data_dir", o.data_dir));
  return s.Finish();
}

}  // namespace

Result<Config> LoadConfig(const std::string& explicit_path) {
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
  if (c.crawl.evidence_dir.empty()) c.crawl.evidence_dir = c.general.state_dir + "/evidence";
  return c;
}

}  // namespace dragnet::app
