#include "cli/common.h"

#include <iostream>

namespace dragnet::cli {

std::optional<app::Config> LoadConfigOrReport(Globals& g, const char* what,
                                              const std::function<void(app::Config&)>& adjust) {
  auto cfg = app::LoadConfig(g.config_path, adjust);
  if (!cfg.ok()) {
    std::cerr << "dragnet " << what << ": " << cfg.status().message() << "\n";
    g.exit_code = kExitUsage;
    return std::nullopt;
  }
  return std::move(cfg).value();
}

int ExitCodeFor(const Status& st) {
  switch (st.code()) {
    case Code::kInvalidArgument:
    case Code::kNotFound:
    case Code::kParseError:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

std::unique_ptr<reporters::OpenedService> OpenReporter(Globals& g, const char* what) {
  auto cfg = LoadConfigOrReport(g, what);
  if (!cfg) return nullptr;
  auto s = reporters::OpenReportService(cfg->reporter, cfg->general.state_dir, cfg->crawl.allow_private);
  if (!s.ok()) {
    std::cerr << "dragnet " << what << ": " << s.status().message() << "\n";
    g.exit_code = ExitCodeFor(s.status());
    return nullptr;
  }
  return std::make_unique<reporters::OpenedService>(std::move(s).value());
}

}  // namespace dragnet::cli
