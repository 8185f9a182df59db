#pragma once
// Config: the whole configuration, one Options struct per stage, read from
// one TOML file (config/dragnet.example.toml documents every key).
//
// Search path when --config is not given: $DRAGNET_CONFIG, then
// ./dragnet.toml, then /etc/dragnet/dragnet.toml; none found -> defaults.
// Unknown sections and keys are errors naming the key.

#include <functional>
#include <string>

#include "core/status.h"
#include "app/daemon_options.h"
#include "crawler/evidence_options.h"
#include "crawler/browser/options.h"
#include "crawler/options.h"
#include "extractors/hosting/options.h"
#include "extractors/options.h"
#include "monitor/options.h"
#include "intel/misp_push.h"
#include "intel/options.h"
#include "reporters/options.h"
#include "web/options.h"

namespace dragnet::app {

struct GeneralOptions {
  std::string state_dir = "/var/lib/dragnet";   // cases, ledger, evidence, outbox
  std::string data_dir;                          // brands/rules/contacts; default: config/ beside the binary's source
};

struct Config {
  std::string source_path;          // file it was read from; empty when defaults
  GeneralOptions general;
  crawler::CrawlOptions crawl;
  crawler::EvidenceOptions evidence;  // [evidence]: signing key folder, TSA
  extractors::ExtractOptions extract;
  hosting::HostingOptions hosting;
  reporters::ReporterOptions reporter;
  DaemonOptions daemon;
  crawler::browser::BrowserOptions browser;
  monitor::MonitorOptions monitor;  // [monitor], [escalation], [inbox]
  web::WebOptions web;                // [web]: `dragnet serve` (web/)
  intel::IntelOptions intel;          // [intel]: campaign index (intel/)
  intel::MispShareOptions share_misp; // [share.misp]: MISP push (intel/misp_push.h)
};

// Folder holding brands.toml, rules.toml, contacts.toml, templates/, rdap/:
// general.data_dir when set, else $DRAGNET_DATA_DIR, else <bin>/../share/dragnet
// when the binary is installed (cmake/DragnetInstall.cmake), else the config/
// folder of the source tree the binary was built from, else /usr/share/dragnet.
std::string DataDir(const Config& c);

// Finds and loads the config. An explicit path that does not exist is an
// error; a missing default file is not.
// `adjust` (command-line flags) runs on the values read from the file,
// before the paths derived from state_dir and data_dir are filled in, so a
// flag that moves state_dir moves the evidence folder and the outbox too.
Result<Config> LoadConfig(const std::string& explicit_path,
                          const std::function<void(Config&)>& adjust = {});

}  // namespace dragnet::app
