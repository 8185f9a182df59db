#include "app/serve.h"

#include <signal.h>

#include <cstdio>
#include <mutex>

#include "app/daemon_client.h"
#include "app/evidence_seal.h"
#include "app/liveness.h"
#include "core/fs.h"
#include "crawler/http_client.h"
#include "web/server.h"

namespace dragnet::app {

std::string UserStorePath(const Config& c) { return c.general.state_dir + "/web.db"; }

int RunServe(const Config& cfg_in) {
  Config cfg = cfg_in;
  // Signals are taken synchronously by this thread; block them before the
  // server starts its threads so they inherit the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto fail = [](const std::string& msg) {
    std::fprintf(stderr, "dragnet serve: %s\n", msg.c_str());
    return 1;
  };
  if (Status st = MakeDirs(cfg.general.state_dir); !st.ok()) return fail(st.message());
  if (Status st = AttachEvidenceKey(cfg); !st.ok()) return fail(st.message());
  // Approving files reports; the freshness gate and webhooks go through the
  // guarded client, exactly as `dragnet review approve` does.
  crawler::GuardedHttpClient http(cfg.crawl);
  FetcherLivenessProbe probe(http, cfg.crawl);
  reporters::ReportService service(cfg.reporter, cfg.general.state_dir, &probe, &http);
  if (Status st = service.Init(); !st.ok()) return fail(st.message());
  auto users = web::UserStore::Open(UserStorePath(cfg));
  if (!users.ok()) return fail(users.status().message());
  // The queue client is opened on first use (the daemon may start later),
  // and kept; the server calls the submit function under its own lock.
  std::unique_ptr<JobClient> jobs;
  web::SubmitFn submit = [&cfg, &jobs](const std::string& url, const std::string& user) -> Result<std::string> {
    if (!jobs) {
      auto c = OpenJobClient(cfg, 10'000);
      if (!c.ok()) return c.status();
      jobs = std::move(c).value();
    }
    JobSpec spec;
    spec.url = url;
    spec.priority = Priority::kHigh;  // an analyst is waiting for it
    spec.source = "web";
    spec.tags = {"submitted-by:" + user};
    return jobs->Submit(spec);
  };
  web::WebServer server(cfg.web, web::WebDeps{&service, users->get(), submit});
  if (Status st = server.Start(); !st.ok()) return fail(st.message());
  auto listen = web::ParseListen(cfg.web.listen);
  std::string host = listen.ok() ? listen->first : "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  std::printf("dragnet serve: console at http://%s:%d/\n", host.c_str(), server.port());
  std::fflush(stdout);
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  std::fprintf(stderr, "dragnet serve: %s received, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  server.Stop();
  return 0;
}

}  // namespace dragnet::app
