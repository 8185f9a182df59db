#include "app/serve.h"

#include <signal.h>

#include <cstdio>

#include "app/daemon_client.h"
#include "app/evidence_seal.h"
#include "app/intel_stage.h"
#include "app/liveness.h"
#include "core/fs.h"
#include "crawler/http_client.h"
#include "web/server.h"

namespace dragnet::app {

std::string UserStorePath(const Config& c) { return c.general.state_dir + "/web.db"; }

// Declared in the order they are built; destroyed in reverse (the server
// first, then what it borrows).
struct Console::Parts {
  Config cfg;
  std::unique_ptr<crawler::GuardedHttpClient> http;
  std::unique_ptr<FetcherLivenessProbe> probe;
  std::unique_ptr<reporters::ReportService> service;
  std::unique_ptr<web::UserStore> users;
  std::unique_ptr<intel::CampaignIndex> campaigns;  // read: /campaigns, search, TAXII
  std::unique_ptr<JobClient> jobs;  // opened on first submit (the daemon may start later)
  std::unique_ptr<web::WebServer> server;
};

Result<std::unique_ptr<Console>> Console::Start(const Config& config) {
  std::unique_ptr<Console> c(new Console());
  c->parts_ = std::make_unique<Parts>();
  Parts& p = *c->parts_;
  p.cfg = config;
  DRAGNET_RETURN_IF_ERROR(MakeDirs(p.cfg.general.state_dir));
  DRAGNET_RETURN_IF_ERROR(AttachEvidenceKey(p.cfg));
  // Approving files reports; the freshness gate and webhooks go through the
  // guarded client, exactly as `dragnet review approve` does.
  p.http = std::make_unique<crawler::GuardedHttpClient>(p.cfg.crawl);
  p.probe = std::make_unique<FetcherLivenessProbe>(*p.http, p.cfg.crawl);
  p.service = std::make_unique<reporters::ReportService>(p.cfg.reporter, p.cfg.general.state_dir, p.probe.get(),
                                                         p.http.get());
  DRAGNET_RETURN_IF_ERROR(p.service->Init());
  auto users = web::UserStore::Open(UserStorePath(p.cfg));
  if (!users.ok()) return users.status();
  p.users = std::move(users).value();
  auto campaigns = OpenCampaignIndex(p.cfg);
  if (!campaigns.ok()) return campaigns.status();
  p.campaigns = std::move(campaigns).value();
  Parts* pp = &p;
  web::SubmitFn submit = [pp](const std::string& url, const std::string& user) -> Result<std::string> {
    if (!pp->jobs) {
      auto j = OpenJobClient(pp->cfg, 10'000);
      if (!j.ok()) return j.status();
      pp->jobs = std::move(j).value();
    }
    JobSpec spec;
    spec.url = url;
    spec.priority = Priority::kHigh;  // an analyst is waiting for it
    spec.source = "web";
    spec.tags = {"submitted-by:" + user};
    return pp->jobs->Submit(spec);
  };
  web::WebDeps deps{p.service.get(), p.users.get(), submit};
  deps.campaigns = p.campaigns.get();
  deps.producer = p.cfg.reporter.org;
  p.server = std::make_unique<web::WebServer>(p.cfg.web, deps);
  DRAGNET_RETURN_IF_ERROR(p.server->Start());
  return c;
}

Console::~Console() { Stop(); }

int Console::port() const { return parts_->server->port(); }

std::string Console::Url() const {
  auto listen = web::ParseListen(parts_->cfg.web.listen);
  std::string host = listen.ok() ? listen->first : "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(port()) + "/";
}

void Console::Stop() {
  if (parts_ && parts_->server) parts_->server->Stop();
}

int RunServe(const Config& config) {
  // Signals are taken synchronously by this thread; block them before the
  // server starts its threads so they inherit the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  auto console = Console::Start(config);
  if (!console.ok()) {
    std::fprintf(stderr, "dragnet serve: %s\n", console.status().message().c_str());
    return 1;
  }
  std::printf("dragnet serve: console at %s\n", (*console)->Url().c_str());
  std::fflush(stdout);
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  std::fprintf(stderr, "dragnet serve: %s received, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  (*console)->Stop();
  return 0;
}

}  // namespace dragnet::app
