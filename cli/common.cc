#include "cli/common.h"

#include <iostream>

#include "app/evidence_seal.h"
#include "app/liveness.h"
#include "crawler/http_client.h"

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

std::unique_ptr<reporters::OpenedService> OpenReporter(Globals& g, const char* what, bool send) {
  auto cfg = LoadConfigOrReport(g, what);
  if (!cfg) return nullptr;
  Status key = app::AttachEvidenceKey(*cfg);  // reports name the evidence key
  if (!key.ok()) {
    std::cerr << "dragnet " << what << ": " << key.message() << "\n";
    g.exit_code = kExitFailure;
    return nullptr;
  }
  auto out = std::make_unique<reporters::OpenedService>();
  // The freshness gate's re-fetches and webhook deliveries go through the
  // guarded client: [crawl] resolve pins, the SSRF guard and the limits apply.
  out->http = std::make_unique<crawler::GuardedHttpClient>(cfg->crawl);
  out->probe = std::make_unique<app::FetcherLivenessProbe>(*out->http, cfg->crawl);
  out->service = std::make_unique<reporters::ReportService>(cfg->reporter, cfg->general.state_dir,
                                                            out->probe.get(), out->http.get());
  Status st = out->service->Init();
  if (!st.ok()) {
    std::cerr << "dragnet " << what << ": " << st.message() << "\n";
    g.exit_code = ExitCodeFor(st);
    return nullptr;
  }
  if (send) {
    st = out->service->EnableDelivery();
    if (!st.ok()) {
      std::cerr << "dragnet " << what << ": --send: " << st.message() << "\n";
      g.exit_code = kExitUsage;
      return nullptr;
    }
  }
  return out;
}

}  // namespace dragnet::cli
