#pragma once
// PipelineProbe: the monitor's probe (monitor/probe.h) made of the same
// parts a scan uses, so a re-check is looked at exactly like a scan:
//   DNS     hosting::Resolver against [dns] servers: the host's A/AAAA and
//           its registrable domain's NS;
//   crawl   app::Pipeline::ScanOne of the reported URL with [monitor] depth
//           and max_pages (locate and report off): the crawler's fetcher
//           with [crawl] resolve pins, the SSRF guard, limits and evidence
//           (each re-check leaves its own manifest), scored by the verdict
//           rules; the landing page's visible text is read back from its
//           evidence blob for the takedown signatures;
//   RDAP    hosting::RdapClient through the guarded client (no cache: a
//           re-check wants today's status);
//   last IP when DNS says the name is gone, the URL crawled again pinned to
//           the address it was last served from ("HOST:PORT:ADDR"), to tell
//           a takedown at DNS level only from one at the host.
// Skipped crawls (DNS gone) never touch the network by name.
//
// Ownership: owns its pipelines, resolver and RDAP client; shares the
// read-only tables and pool given in PipelineShared. One thread at a time.

#include <memory>
#include <string>

#include "app/config.h"
#include "app/pipeline.h"
#include "monitor/probe.h"

namespace dragnet::hosting {
class Bootstrap;
class RdapClient;
class Resolver;
}  // namespace dragnet::hosting

namespace dragnet::crawler {
class GuardedHttpClient;
}

namespace dragnet::app {

class PipelineProbe final : public monitor::Probe {
 public:
  PipelineProbe(Config config, PipelineShared shared);
  ~PipelineProbe() override;

  // Builds the pipeline and the resolver; a missing RDAP bootstrap only
  // turns the RDAP part off (one warning). Errors name the file.
  Status Init();
  monitor::ProbeResult Check(const monitor::ProbeRequest& request) override;

 private:
  // Crawls `url` with `pins` added in front of [crawl] resolve; fills what
  // the crawl saw (status, text, verdict, evidence).
  SeedResult Crawl(const std::string& url, const std::vector<std::string>& extra_pins, std::string* text,
                   std::string* title);

  Config config_;
  PipelineShared shared_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<hosting::Resolver> resolver_;
  std::unique_ptr<crawler::GuardedHttpClient> http_;
  hosting::HostingOptions rdap_options_;  // must outlive rdap_
  std::unique_ptr<hosting::Bootstrap> bootstrap_;
  std::unique_ptr<hosting::RdapClient> rdap_;
};

}  // namespace dragnet::app
