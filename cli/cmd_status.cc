// dragnet status: queue depths, jobs in flight, done, failed, dead-lettered
// and live daemons; or one job's stage and result.

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/json.h"
#include "app/config.h"
#include "app/daemon_client.h"
#include "cli/command.h"
#include "cli/common.h"

namespace dragnet::cli {
namespace {

struct StatusArgs {
  std::string job;
  bool json = false;
};

void PrintCounts(const app::QueueCounts& c) {
  std::printf("queued       %lld\n", static_cast<long long>(c.queued));
  std::printf("in_flight    %lld\n", static_cast<long long>(c.in_flight));
  std::printf("done         %lld\n", static_cast<long long>(c.done));
  std::printf("failed       %lld   (waiting for a retry)\n", static_cast<long long>(c.failed));
  std::printf("dead_letter  %lld\n", static_cast<long long>(c.dead_letter));
  std::printf("daemons      %zu\n", c.daemons.size());
  for (const auto& d : c.daemons) {
    std::string roles;
    for (const auto& r : d.value("roles", nlohmann::json::array())) {
      roles += (roles.empty() ? "" : ",") + r.get<std::string>();
    }
    std::printf("  %s  roles=%s  in_flight=%lld  processed=%lld  heartbeat=%s\n",
                d.value("id", "").c_str(), roles.c_str(),
                static_cast<long long>(d.value("in_flight", int64_t{0})),
                static_cast<long long>(d.value("processed", int64_t{0})),
                d.value("heartbeat_at", "").c_str());
  }
  std::printf("streams\n");
  for (const auto& s : c.streams) {
    std::printf("  %-36s length=%lld waiting=%lld pending=%lld\n", s.value("name", "").c_str(),
                static_cast<long long>(s.value("length", int64_t{0})),
                static_cast<long long>(s.value("lag", int64_t{0})),
                static_cast<long long>(s.value("pending", int64_t{0})));
  }
}

void PrintJob(const nlohmann::json& j) {
  auto s = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; };
  std::printf("job       %s\n", s("job_id").c_str());
  std::printf("url       %s\n", s("url").c_str());
  std::printf("state     %s\n", s("state").c_str());
  std::printf("stage     %s\n", s("stage").c_str());
  std::printf("attempts  %lld\n", static_cast<long long>(j.value("attempts", int64_t{0})));
  if (!s("error").empty()) std::printf("error     %s\n", s("error").c_str());
  if (!s("duplicate_of").empty()) std::printf("duplicate of %s\n", s("duplicate_of").c_str());
  if (j.contains("result")) {
    const auto& r = j["result"];
    std::printf("result    final_url=%s pages=%zu\n", r.value("final_url", "").c_str(),
                r.contains("pages") ? r["pages"].size() : 0);
    if (r.contains("verdict")) {
      std::printf("verdict   %s (score %d)\n", r["verdict"].value("label", "").c_str(),
                  r["verdict"].value("score", 0));
    }
    if (r.contains("case_id")) std::printf("case      %s\n", r.value("case_id", "").c_str());
  }
}

int Status_(const StatusArgs& a, Globals& g) {
  auto config = LoadConfigOrReport(g, "status");
  if (!config) return kExitUsage;
  auto client = app::OpenJobClient(*config);
  if (!client.ok()) {
    std::fprintf(stderr, "dragnet status: %s\n", client.status().message().c_str());
    return kExitFailure;
  }
  if (!a.job.empty()) {
    auto j = (*client)->Job(a.job);
    if (!j.ok()) {
      std::fprintf(stderr, "dragnet status: %s\n", j.status().message().c_str());
      return j.status().code() == Code::kNotFound ? kExitUsage : kExitFailure;
    }
    if (a.json) std::cout << j->dump() << "\n";
    else PrintJob(*j);
    return kExitOk;
  }
  auto c = (*client)->Counts();
  if (!c.ok()) {
    std::fprintf(stderr, "dragnet status: %s\n", c.status().message().c_str());
    return kExitFailure;
  }
  if (a.json) std::cout << DumpJson(app::CountsToJson(*c)) << "\n";
  else PrintCounts(*c);
  return kExitOk;
}

void RegisterStatus(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("status", "Queue and daemon status, or one job's stage and result");
  auto a = std::make_shared<StatusArgs>();
  cmd->add_option("job", a->job, "Job ID (from dragnet submit)");
  cmd->add_flag("--json", a->json, "JSON output");
  cmd->callback([a, &g] { g.exit_code = Status_(*a, g); });
}

}  // namespace

DRAGNET_COMMAND(status, 30, RegisterStatus);

}  // namespace dragnet::cli
